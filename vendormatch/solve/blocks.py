"""Per-product inputs of the optimiser: the options a product can be bought as, screened.

Screening happens before any model is built: a product that cannot seat the users, has no
exchange rate, is retired within the horizon, or has no edition that (with its add-ons) gives
every must-have in full is excluded here with its reasons, so the combined model only ever holds
products that can qualify on features. Budget and department floors are left to the model.

A product is screened on its confirmed facts first. One that fails only because a must-have's
stance is unknown is screened again reading its unknowns as confirmed: it then qualifies "if the
vendor confirms", in a band of its own, and is never excluded for what the catalogue does not know.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from vendormatch.files.alternatives import describe, is_any, real_features, with_alternatives
from vendormatch.files.demand import strategy_demand
from vendormatch.files.lifecycle import edition_retired, product_retired
from vendormatch.files.models import AddOn, Edition, Product, Strategy
from vendormatch.files.offers import (
    Demand,
    add_on_allowed,
    add_on_charge,
    add_on_levels,
    edition_charge,
    edition_levels,
    needs_contacts,
    priced_in,
    seat_limit,
    seats_fail,
)
from vendormatch.files.stances import ProductStances, optimistic_levels, stances_of
from vendormatch.solve.estimates import estimates_total
from vendormatch.solve.scoring import ScoredRequirement, conversion_rate


@dataclass(frozen=True)
class Option:
    """An edition or add-on with what it gives and its cost over the horizon (None: price unknown)."""

    id: str
    levels: Mapping[str, float]
    cost: float | None
    # For add-ons: the editions (of this block) it may be bought with.
    editions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    """Requirements with the same features share one level: one variable for all of them."""

    features: tuple[str, ...]
    weight: float
    department_weights: Mapping[str, float]
    must: bool
    requirements: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """A product that passed screening: its usable editions and add-ons, sorted by id."""

    product: str
    editions: tuple[Option, ...]
    add_ons: tuple[Option, ...]
    # What the product costs whatever its bundle: the strategy's estimates (vendormatch.solve.estimates).
    fixed: float = 0.0


@dataclass(frozen=True)
class Screened:
    """The result of screening every product."""

    blocks: tuple[Block, ...]
    excluded: Mapping[str, tuple[str, ...]]
    groups: tuple[Group, ...]
    # Products whose blocks read unknown features as offered: they qualify only if the vendor confirms.
    conditional: frozenset[str] = field(default_factory=frozenset)


def group_requirements(requirements: Sequence[ScoredRequirement]) -> tuple[Group, ...]:
    """Merge requirements with the same feature set (and must-ness) into weighted groups, in a stable order."""
    merged: dict[tuple[tuple[str, ...], bool], tuple[float, dict[str, float], list[str]]] = {}
    for req in requirements:
        key = (tuple(sorted(set(req.features))), req.must)
        weight, departments, ids = merged.get(key, (0.0, {}, []))
        departments[req.department] = departments.get(req.department, 0.0) + req.weight
        merged[key] = (weight + req.weight, departments, [*ids, req.id])
    return tuple(
        Group(features, weight, dict(sorted(departments.items())), must, tuple(ids))
        for (features, must), (weight, departments, ids) in sorted(merged.items())
    )


def _full(levels: Mapping[str, float], feature: str) -> bool:
    return levels.get(feature, 0.0) >= 1.0


def screen_product(
    product: Product, strategy: Strategy, groups: Sequence[Group], *, start: date, require_musts: bool = True,
    extra_features: frozenset[str] = frozenset(), optimistic: bool = False, priced_only: bool = False,
    demand: Demand | None = None,
) -> Block | tuple[str, ...]:
    """Return the product's block, or the reasons it cannot qualify whatever the budget.

    Without `require_musts` (a member of a stack, where another product may give a must-have) only
    seats, the exchange rate and the lifecycle rule a product out. `extra_features` are kept in the
    options' levels even though no requirement names them (the integration feature of a stack). With
    `optimistic`, features whose stance is unknown count as offered in full. With `priced_only` (a
    budget is set, and a bundle whose price is unknown cannot be shown to fit it), editions and add-ons
    of unknown price are left out. `start` is when the strategy's horizon starts, for end-of-sale and
    end-of-life dates. `demand` replaces the strategy's for seats and costs (a stack member licensed
    for fewer departments).
    """
    retired = product_retired(product, start, strategy.horizon_years)
    if retired is not None:
        return (retired,)
    rate = conversion_rate(product, strategy)
    if rate is None:
        return (f"priced in {product.currency} and the strategy gives no exchange rate for it",)
    demand = demand if demand is not None else strategy_demand(strategy)
    users = demand.peak
    months = strategy.months
    relevant = {f for g in groups for f in g.features} | extra_features
    alternatives = [key for key in relevant if is_any(key)]
    stances = stances_of(product)
    seated: list[Option] = []
    retired_editions: list[str] = []
    unpriced: list[str] = []
    largest = 0
    for edition_id in sorted(product.editions):
        edition = product.editions[edition_id]
        why = edition_retired(product, edition_id, start, strategy.horizon_years)
        if why is not None:
            retired_editions.append(why)
            continue
        price, price_rate = priced_in(edition, strategy.currency, rate)
        charge = edition_charge(price, demand)
        if price is not None and charge is None and seats_fail(price, demand):
            largest = max(largest, seat_limit(price))
            continue
        cost = None if charge is None else charge.total(months) * price_rate
        if priced_only and cost is None:
            unpriced.append(edition_id)
            continue
        levels = edition_levels(product, edition_id)
        if optimistic:
            # Members one by one: an alternative with one member partial and another unknown may be full.
            levels = optimistic_levels(levels, stances.unknown_in(edition_id, real_features(relevant) - set(levels)))
        seated.append(Option(edition_id, with_alternatives(levels, alternatives), cost))
    if not seated:
        if retired_editions and largest:
            return (f"{users} users is more than any edition on sale allows (the largest takes {largest})",
                    *retired_editions)
        if unpriced:
            return (f"the price of {', '.join(unpriced)} is unknown, so no edition can be shown to fit the budget",)
        if retired_editions and not largest:
            return tuple(retired_editions)
        return (f"{users} users is more than any edition allows (the largest takes {largest})",)
    seated_ids = {o.id for o in seated}
    add_ons: list[Option] = []
    for add_on_id in sorted(product.add_ons):
        add_on = product.add_ons[add_on_id]
        levels = {f: v for f, v in with_alternatives(add_on_levels(add_on), alternatives).items() if f in relevant}
        allowed = tuple(e for e in sorted(seated_ids) if add_on_allowed(add_on, e))
        add_price, add_rate = priced_in(add_on, strategy.currency, rate)
        charge = add_on_charge(add_price, demand)
        if not levels or not allowed or (add_price is not None and charge is None and seats_fail(add_price, demand)):
            continue  # can never raise the score, or can never be bought: leave it out of the model
        cost = None if charge is None else charge.total(months) * add_rate
        if priced_only and cost is None:
            continue
        add_ons.append(Option(add_on_id, levels, cost, allowed))
    if not require_musts:
        return Block(product.id, tuple(seated), tuple(add_ons), estimates_total(product, strategy))
    must_features = sorted({f for g in groups if g.must for f in g.features})
    qualifying = [
        edition for edition in seated
        if all(
            _full(edition.levels, f) or any(_full(a.levels, f) for a in add_ons if edition.id in a.editions)
            for f in must_features
        )
    ]
    if not qualifying:
        return _must_reasons(stances, seated, add_ons, groups)
    keep = {e.id for e in qualifying}
    usable = tuple(
        Option(a.id, a.levels, a.cost, tuple(e for e in a.editions if e in keep))
        for a in add_ons if any(e in keep for e in a.editions)
    )
    return Block(product.id, tuple(qualifying), usable, estimates_total(product, strategy))


def missing_feature_reason(stances: ProductStances, feature: str, seated: Sequence[str]) -> str:
    """Why a product cannot give a feature in full, by the kind of fact behind it, with its source."""
    candidates = [stances.stance(e, feature) for e in seated] or [stances.best_stance(feature)]
    best = max(candidates, key=lambda s: (s.level, s.kind != "absent"))
    name = describe(feature)
    note = f": {best.note}" if best.note else ""
    if best.kind == "partial":
        return f"{name} (offered only in part, level {best.level:g}{note})"
    if best.kind == "third-party":
        return f"{name} (only through third-party apps: {', '.join(best.via)}; source: {best.source})"
    if best.kind == "unknown":
        return f"{name} (unknown: ask the vendor)"
    if best.kind == "add-on" and best.level < 1:
        return f"{name} (offered only in part, through add-on {', '.join(best.via)}, level {best.level:g}{note})"
    if best.kind == "add-on":
        return f"{name} (only through add-on {', '.join(best.via)}, which cannot be bought for these users)"
    if best.via:
        return f"{name} (absent from the editions that can be bought here; offered in {', '.join(best.via)})"
    return f"{name} (known absent{note}; source: {best.source})"


def _must_reasons(stances: ProductStances, seated: Sequence[Option], add_ons: Sequence[Option],
                  groups: Sequence[Group]) -> tuple[str, ...]:
    offered = {f for option in (*seated, *add_ons) for f, level in option.levels.items() if level >= 1.0}
    edition_ids = [o.id for o in seated]
    missing: dict[str, list[str]] = {}
    for group in (g for g in groups if g.must):
        for feature in group.features:
            if feature not in offered:
                missing.setdefault(feature, []).extend(group.requirements)
    if missing:
        noun = "must-have" if len(missing) == 1 else "must-haves"
        parts = [
            f"{', '.join(sorted(set(reqs)))} needs {missing_feature_reason(stances, feature, edition_ids)}"
            for feature, reqs in sorted(missing.items())
        ]
        return (f"lacks {noun}: " + "; ".join(parts),)
    return ("every must-have is offered somewhere, but no single edition gives all of them with the add-ons it allows",)


def _may_hope(product: Product, strategy: Strategy, groups: Sequence[Group], priced_only: bool) -> bool:
    """Whether reading unknowns as confirmed could change a failed screening: some needed feature is unknown
    in some edition, or (with `priced_only`) some price is unknown (unpublished, or by contacts it does not settle)."""
    if priced_only:
        demand = strategy_demand(strategy)
        offers: list[Edition | AddOn] = [*product.editions.values(), *product.add_ons.values()]
        for offer in offers:
            price, _ = priced_in(offer, strategy.currency, 1.0)
            if price is None or needs_contacts(price, demand):
                return True
    needed = {f for g in groups for f in g.features}
    stances = stances_of(product)
    return any(stances.unknown_in(edition_id, needed) for edition_id in product.editions)


def screen(products: Mapping[str, Product], strategy: Strategy, requirements: Sequence[ScoredRequirement], *,
           start: date, priced_only: bool = False, optimistic_only: bool = False) -> Screened:
    """Screen every product, in id order: on confirmed facts (and known prices, with `priced_only`),
    then, for those that fail, with unknown features read as confirmed and unknown prices allowed.
    With `optimistic_only`, only the second reading is used."""
    groups = group_requirements(requirements)
    blocks: list[Block] = []
    excluded: dict[str, tuple[str, ...]] = {}
    conditional: set[str] = set()
    for product_id in sorted(products):
        outcome: Block | tuple[str, ...] = ()
        if not optimistic_only:
            outcome = screen_product(products[product_id], strategy, groups, start=start, priced_only=priced_only)
        if not isinstance(outcome, Block) and (optimistic_only or _may_hope(products[product_id], strategy, groups, priced_only)):
            outcome = screen_product(products[product_id], strategy, groups, start=start, optimistic=True)
            if isinstance(outcome, Block):
                conditional.add(product_id)
        if isinstance(outcome, Block):
            blocks.append(outcome)
        else:
            excluded[product_id] = outcome
    return Screened(tuple(blocks), excluded, groups, frozenset(conditional))
