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

from vendormatch.files.models import AddOn, Edition, FeatureRef, Price, Product, Strategy
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


@dataclass(frozen=True)
class Need:
    """What is licensed, per year of the horizon (year 0 first; past a list's end its last figure holds):
    all users, the light users among them, and marketing contacts (None: not stated)."""

    users: tuple[int, ...]
    light: tuple[int, ...]
    contacts: tuple[int, ...] | None
    months: float

    def in_year(self, year: int) -> tuple[int, int, int | None]:
        def at(values: tuple[int, ...]) -> int:
            return values[year] if year < len(values) else values[-1]
        return at(self.users), at(self.light), None if self.contacts is None else at(self.contacts)


def _per_year(value: int | tuple[int, ...]) -> tuple[int, ...]:
    return (value,) if isinstance(value, int) else tuple(value)


def need_of(strategy: Strategy, departments: Sequence[str] | None = None) -> Need:
    """The README's demand: the departments' users year by year (default: all but `uses: none`)."""
    chosen = [d for d in strategy.users if strategy.uses.get(d) != "none"] if departments is None else departments
    years = 1
    for d in chosen:
        years = max(years, len(_per_year(strategy.users[d])), len(_per_year(strategy.light_users.get(d, 0))))
    if strategy.contacts is not None:
        years = max(years, len(_per_year(strategy.contacts)))
    users, light = [], []
    for year in range(years):
        users.append(sum(_per_year(strategy.users[d])[min(year, len(_per_year(strategy.users[d])) - 1)] for d in chosen))
        light.append(sum(_per_year(strategy.light_users.get(d, 0))[min(year, len(_per_year(strategy.light_users.get(d, 0))) - 1)]
                         for d in chosen))
    contacts = None if strategy.contacts is None else _per_year(strategy.contacts)
    return Need(tuple(users), tuple(light), contacts, strategy.months)


def _listed_years(need: Need) -> range:
    return range(max(len(need.users), len(need.light), len(need.contacts or ())))


def _full_and_light(price: Price, users: int, light: int) -> tuple[int, int]:
    """Light users are their own seat type only where the price sells one; else they are full users."""
    return (users - light, light) if price.light_user_month is not None else (users, 0)


def seats_everyone(price: Price | None, need: Need | int) -> bool:
    """A plan takes the users of every year unless they are over max_users, the full seats over its largest
    seat bucket, or (a flat plan with no per-user price) the users over its included users. An unknown price
    rules nothing out."""
    if price is None:
        return True
    if isinstance(need, int):
        need = Need((need,), (0,), None, 1.0)
    for year in _listed_years(need):
        users, light, _ = need.in_year(year)
        full, _ = _full_and_light(price, users, light)
        if price.max_users is not None and users > price.max_users:
            return False
        if price.seat_buckets is not None and full > max(price.seat_buckets):
            return False
        flat_only = price.per_user_month is None and price.flat_month is not None
        if flat_only and price.included_users is not None and users > price.included_users:
            return False
    return True


def contacts_priced(price: Price, need: Need) -> bool:
    """A price by contacts is known only when the strategy states contacts within its published tiers."""
    if price.contact_tiers is None:
        return True
    if need.contacts is None:
        return False
    return all(c <= price.contact_tiers[-1].up_to for c in need.contacts)


def month_charge(price: Price, need: Need, year: int, *, edition: bool) -> float:
    """One month of `year`: flat_month + per_user_month x full seats + light_user_month x light users + the
    contact tier's month. An edition's full seats are max(full, min_users) less included_users (never below
    0), an add-on's are the full users; seat buckets round the seats bought up to the smallest that holds them."""
    users, light, contacts = need.in_year(year)
    full, light = _full_and_light(price, users, light)
    bought = max(full, price.min_users or 0) if edition else full
    if price.seat_buckets is not None:
        bought = min(bucket for bucket in price.seat_buckets if bucket >= bought)
    charged = max(bought - (price.included_users or 0), 0) if edition else bought
    tier = 0.0
    if price.contact_tiers is not None and contacts is not None:
        tier = min((t for t in price.contact_tiers if t.up_to >= contacts), key=lambda t: t.up_to).month
    return (price.flat_month or 0.0) + (price.per_user_month or 0.0) * charged \
        + (price.light_user_month or 0.0) * light + tier


def item_cost(price: Price, need: Need | int, months: float | None = None, *, edition: bool) -> float:
    """Month by month over the billed months (the horizon, or min_term_months if longer; a fraction of a
    last month pays that fraction), each at its year's charge raised by annual_increase once per year
    passed, plus one_time."""
    if isinstance(need, int):
        assert months is not None
        need = Need((need,), (0,), None, months)
    billed = max(need.months, float(price.min_term_months or 0))
    total, month = 0.0, 0
    while month < billed - 1e-9:
        share = min(1.0, billed - month)
        year = month // 12
        total += share * month_charge(price, need, year, edition=edition) * (1 + (price.annual_increase or 0.0)) ** year
        month += 1
    return total + (price.one_time or 0.0)


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


def bundles(product: Product, need: Need | int, months: float, rate: float, currency: str | None = None, *,
            extra: float = 0.0) -> Iterator[Bundle]:
    """Every edition x add-on subset that can be bought for the need, in edition, size, then id order. An
    item priced in `currency` under `prices` takes that price at rate 1; a price by contacts the need does
    not settle is unknown. `extra` (the strategy's estimates, see `extras`) is added to every bundle."""
    if isinstance(need, int):
        need = Need((need,), (0,), None, months)
    for edition in sorted(product.editions):
        price = _in_currency(product.editions[edition], currency)
        if price is not None and contacts_priced(price, need) and not seats_everyone(price, need):
            continue
        takers = []
        for a in sorted(product.add_ons):
            add_price = _in_currency(product.add_ons[a], currency)
            if may_take(product, a, edition) and (add_price is None or not contacts_priced(add_price, need)
                                                  or seats_everyone(add_price, need)):
                takers.append(a)
        for size in range(len(takers) + 1):
            for subset in itertools.combinations(takers, size):
                known, unknown = extra, []
                items: list[tuple[str, Edition | AddOn, bool]] = [
                    (edition, product.editions[edition], True), *((a, product.add_ons[a], False) for a in subset)]
                for item, offer, is_edition in items:
                    item_price = _in_currency(offer, currency)
                    if item_price is None or not contacts_priced(item_price, need):
                        unknown.append(item)
                    else:
                        local = currency is not None and currency in offer.prices
                        known += item_cost(item_price, need, edition=is_edition) * (1.0 if local else rate)
                yield Bundle(edition, subset, feature_levels(product, edition, subset), known, tuple(unknown))


def extras(product: Product, strategy: Strategy) -> float:
    """The strategy's estimates for the product: per kind, the estimate naming the product, else the one for its
    deployment kind (a product sold both ways takes only those naming it); monthly x months + one_time each."""
    by_kind: dict[str, float] = {}
    for estimate in strategy.costs:
        if estimate.deployment == product.deployment and estimate.kind not in by_kind:
            by_kind[estimate.kind] = (estimate.monthly or 0.0) * strategy.months + (estimate.one_time or 0.0)
    for estimate in strategy.costs:
        if estimate.product == product.id:
            by_kind[estimate.kind] = (estimate.monthly or 0.0) * strategy.months + (estimate.one_time or 0.0)
    return sum(by_kind.values())


def _in_currency(offer: Edition | AddOn, currency: str | None) -> Price | None:
    return offer.prices[currency] if currency is not None and currency in offer.prices else offer.price


def weighted(levels: Mapping[str, float], requirements: Sequence[ScoredRequirement]) -> float:
    """The weight-averaged level of the requirements (1.0 when none weighs anything)."""
    total = sum(r.weight for r in requirements)
    return sum(r.weight * levels[r.id] for r in requirements) / total if total > 0 else 1.0


def by_department(levels: Mapping[str, float], requirements: Sequence[ScoredRequirement]) -> dict[str, float]:
    """Each department's weight-averaged level over its own requirements."""
    departments = sorted({r.department for r in requirements})
    return {d: weighted(levels, [r for r in requirements if r.department == d]) for d in departments}
