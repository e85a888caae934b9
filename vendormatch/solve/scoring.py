"""The semantics of scores and costs for one bundle (an edition plus add-ons), as pure functions.

The optimiser encodes exactly these rules as a MIP; after each solve the chosen bundle is
re-evaluated here, so that every reported figure comes from one definition, not from solver floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from vendormatch.files.alternatives import level_of
from vendormatch.files.models import AddOn, Edition, Product, Strategy
from vendormatch.files.offers import Demand, add_on_charge, add_on_levels, edition_charge, edition_levels, priced_in, seats_fail


@dataclass(frozen=True)
class ScoredRequirement:
    """A requirement as the optimiser sees it: its features, weight, department and whether it is a must."""

    id: str
    department: str
    objective: str
    weight: float
    features: tuple[str, ...]
    must: bool


@dataclass(frozen=True)
class CostLine:
    """One priced item of a bundle over the horizon, in the strategy's currency."""

    item: str
    kind: str  # "edition" | "add-on"
    monthly: float | None
    one_time: float | None
    total: float | None  # None: price unknown


@dataclass(frozen=True)
class BundleCost:
    """What a bundle costs over the horizon; `total` is None when any item's price is unknown."""

    lines: tuple[CostLine, ...]
    total: float | None
    known_total: float
    unknown_items: tuple[str, ...]


def conversion_rate(product: Product, strategy: Strategy) -> float | None:
    """Units of the strategy's currency per unit of the product's; None when the strategy gives no rate."""
    if product.currency == strategy.currency:
        return 1.0
    if product.currency in strategy.exchange_rates:
        return strategy.exchange_rates[product.currency]
    items: list[Edition | AddOn] = [*product.editions.values(), *product.add_ons.values()]
    if all(strategy.currency in item.prices for item in items if item.price is not None):
        return 1.0  # every priced item is published in the strategy's currency: nothing is converted
    return None


def bundle_feature_levels(product: Product, edition_id: str, add_on_ids: Iterable[str]) -> dict[str, float]:
    """Each feature's best level over the edition (with what it includes) and the add-ons: a max, never a sum."""
    levels = dict(edition_levels(product, edition_id))
    for add_on_id in add_on_ids:
        for feature, level in add_on_levels(product.add_ons[add_on_id]).items():
            if level > levels.get(feature, 0.0):
                levels[feature] = level
    return levels


def requirement_level(features: Sequence[str], levels: Mapping[str, float]) -> float:
    """A requirement's level: the lowest level over its features (0 when one is missing); an alternative's
    level is its best member's."""
    return min((level_of(levels, f) for f in features), default=0.0)


def bundle_levels(
    product: Product, edition_id: str, add_on_ids: Iterable[str], requirements: Sequence[ScoredRequirement]
) -> dict[str, float]:
    """Each requirement's level under a bundle, keyed by requirement id."""
    levels = bundle_feature_levels(product, edition_id, add_on_ids)
    return {req.id: requirement_level(req.features, levels) for req in requirements}


def weighted_score(levels: Mapping[str, float], requirements: Sequence[ScoredRequirement]) -> float:
    """The weight-averaged level over the requirements (1.0 when nothing counts)."""
    total = sum(req.weight for req in requirements)
    if total <= 0:
        return 1.0
    return sum(req.weight * levels.get(req.id, 0.0) for req in requirements) / total


def department_scores(levels: Mapping[str, float], requirements: Sequence[ScoredRequirement]) -> dict[str, float]:
    """The weighted score of each department's own requirements, keyed by department, sorted."""
    by_department: dict[str, list[ScoredRequirement]] = {}
    for req in requirements:
        by_department.setdefault(req.department, []).append(req)
    return {d: weighted_score(levels, reqs) for d, reqs in sorted(by_department.items())}


def bundle_cost(
    product: Product, edition_id: str, add_on_ids: Iterable[str], *, users: int | Demand, months: float, rate: float,
    currency: str | None = None,
) -> BundleCost | None:
    """The bundle's cost over `months` months for a demand (or a number of users); None when the edition
    cannot seat them. Items the vendor prices in `currency` use that price (see `offers.priced_in`)."""
    edition = product.editions[edition_id]
    lines: list[CostLine] = []
    demand = Demand.of(users)
    price, edition_rate = priced_in(edition, currency, rate)
    charge = edition_charge(price, demand)
    if price is not None and charge is None and seats_fail(price, demand):
        return None
    items = [(edition_id, "edition", edition_rate, charge)]
    for add_on_id in sorted(add_on_ids):
        add_on = product.add_ons[add_on_id]
        add_price, add_rate = priced_in(add_on, currency, rate)
        add_charge = add_on_charge(add_price, demand)
        if add_price is not None and add_charge is None and seats_fail(add_price, demand):
            return None
        items.append((add_on_id, "add-on", add_rate, add_charge))
    known = 0.0
    unknown: list[str] = []
    for item, kind, item_rate, item_charge in items:
        if item_charge is None:
            unknown.append(item)
            lines.append(CostLine(item, kind, None, None, None))
            continue
        total = item_charge.total(months) * item_rate
        known += total
        lines.append(CostLine(item, kind, item_charge.monthly * item_rate, item_charge.one_time * item_rate, total))
    return BundleCost(tuple(lines), None if unknown else known, known, tuple(unknown))


def money(value: float) -> float:
    """Money as reported: to the cent, so that output does not carry floating-point noise. The noise is
    cleared first (to a millionth), so that a sum landing on half a cent rounds the same way whatever
    order its parts were added in."""
    return round(round(value, 6), 2)


def cents(value: float | None) -> float | None:
    """`money`, or None for an unknown amount."""
    return None if value is None else money(value)
