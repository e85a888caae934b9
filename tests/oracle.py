"""A deliberately plain reading of the README's rules for bundles, levels and costs, for the
brute-force tests (randomcatalog, frontier, stacks, sensitivity).

Written apart from vendormatch.files.offers and vendormatch.solve.scoring on purpose: an oracle that
shares the code it checks cannot catch a mistake in it. Everything here follows the README's
"Scores and costs" section word for word, favouring obviousness over speed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from vendormatch.files.models import FeatureRef, Price, Product
from vendormatch.solve.scoring import ScoredRequirement


@dataclass(frozen=True)
class Bundle:
    """An edition with a set of add-ons, its feature levels, and its cost over the horizon."""

    edition: str
    add_ons: tuple[str, ...]
    levels: Mapping[str, float]
    known: float  # the priced items' total, in the strategy's currency
    unknown: tuple[str, ...]  # items whose price is unknown

    @property
    def total(self) -> float | None:
        return None if self.unknown else self.known


def may_take(product: Product, add_on: str, edition: str) -> bool:
    """An add-on lists the editions that may take it; no list means every edition."""
    editions = product.add_ons[add_on].editions
    return editions is None or edition in editions


def seats_everyone(price: Price | None, users: int) -> bool:
    """A plan takes N users unless N is over max_users, over its largest seat bucket, or (a flat plan with no
    per-user price) over its included users. An unknown price rules nothing out."""
    if price is None:
        return True
    if price.max_users is not None and users > price.max_users:
        return False
    if price.seat_buckets is not None and users > max(price.seat_buckets):
        return False
    flat_only = price.per_user_month is None and price.flat_month is not None
    return not (flat_only and price.included_users is not None and users > price.included_users)


def item_cost(price: Price, users: int, months: float, *, edition: bool) -> float:
    """flat_month + per_user_month x seats a month, over the months, plus one_time. An edition's seats are
    max(N, min_users) less included_users (never below 0); an add-on's are N. Seat buckets round the seats
    bought up to the smallest bucket that holds them."""
    bought = max(users, price.min_users or 0) if edition else users
    if price.seat_buckets is not None:
        bought = min(bucket for bucket in price.seat_buckets if bucket >= bought)
    charged = max(bought - (price.included_users or 0), 0) if edition else bought
    monthly = (price.flat_month or 0.0) + (price.per_user_month or 0.0) * charged
    return months * monthly + (price.one_time or 0.0)


def feature_levels(product: Product, edition: str, add_ons: Sequence[str]) -> dict[str, float]:
    """Each feature's best level: the edition's own, what it includes (transitively), and the add-ons."""
    found: dict[str, float] = {}
    sources: list[FeatureRef] = []
    current: str | None = edition
    visited: set[str] = set()
    while current is not None and current not in visited:
        visited.add(current)
        sources.extend(product.editions[current].features)
        current = product.editions[current].includes
    for add_on in add_ons:
        sources.extend(product.add_ons[add_on].features)
    for ref in sources:
        found[ref.feature] = max(found.get(ref.feature, 0.0), ref.level)
    return found


def requirement_level(keys: Sequence[str], levels: Mapping[str, float]) -> float:
    """The weakest of a requirement's features; an alternative (`any:a|b`) counts its best member."""
    found = []
    for key in keys:
        names = key.removeprefix("any:").split("|") if key.startswith("any:") else [key]
        found.append(max(levels.get(name, 0.0) for name in names))
    return min(found, default=0.0)


def bundles(product: Product, users: int, months: float, rate: float) -> Iterator[Bundle]:
    """Every edition x add-on subset that can be bought for the users, in edition, size, then id order."""
    for edition in sorted(product.editions):
        price = product.editions[edition].price
        if not seats_everyone(price, users):
            continue
        takers = [a for a in sorted(product.add_ons)
                  if may_take(product, a, edition) and seats_everyone(product.add_ons[a].price, users)]
        for size in range(len(takers) + 1):
            for subset in itertools.combinations(takers, size):
                known, unknown = 0.0, []
                priced = [(edition, price, True), *((a, product.add_ons[a].price, False) for a in subset)]
                for item, item_price, is_edition in priced:
                    if item_price is None:
                        unknown.append(item)
                    else:
                        known += item_cost(item_price, users, months, edition=is_edition) * rate
                yield Bundle(edition, subset, feature_levels(product, edition, subset), known, tuple(unknown))


def weighted(levels: Mapping[str, float], requirements: Sequence[ScoredRequirement]) -> float:
    """The weight-averaged level of the requirements (1.0 when none weighs anything)."""
    total = sum(r.weight for r in requirements)
    return sum(r.weight * levels[r.id] for r in requirements) / total if total > 0 else 1.0


def by_department(levels: Mapping[str, float], requirements: Sequence[ScoredRequirement]) -> dict[str, float]:
    """Each department's weight-averaged level over its own requirements."""
    departments = sorted({r.department for r in requirements})
    return {d: weighted(levels, [r for r in requirements if r.department == d]) for d in departments}
