"""What a product's editions and add-ons offer and cost, by the semantics of DESIGN.md.

Costs are in the product's own currency; `None` means "price unknown", never zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from vendormatch.files.models import AddOn, Edition, FeatureRef, Price, Product


def _best_levels(refs: tuple[FeatureRef, ...], into: dict[str, float]) -> None:
    for ref in refs:
        if ref.level > into.get(ref.feature, 0.0):
            into[ref.feature] = ref.level


def edition_levels(product: Product, edition_id: str) -> dict[str, float]:
    """Each feature's best level in an edition, counting what it `includes`, transitively."""
    levels: dict[str, float] = {}
    seen: set[str] = set()
    current: str | None = edition_id
    while current is not None and current not in seen and current in product.editions:
        seen.add(current)
        edition = product.editions[current]
        _best_levels(edition.features, levels)
        current = edition.includes
    return levels


def add_on_levels(add_on: AddOn) -> dict[str, float]:
    """Each feature's best level in an add-on."""
    levels: dict[str, float] = {}
    _best_levels(add_on.features, levels)
    return levels


def add_on_allowed(add_on: AddOn, edition_id: str) -> bool:
    """Tell whether an add-on may be bought with an edition (no `editions` list means any)."""
    return add_on.editions is None or edition_id in add_on.editions


def priced_in(item: Edition | AddOn, currency: str | None, rate: float) -> tuple[Price | None, float]:
    """The item's price in `currency` where the vendor publishes one (at rate 1), else its price in the
    product's currency at `rate`: a published local price is used, never a converted one."""
    if currency is not None and currency in item.prices:
        return item.prices[currency], 1.0
    return item.price, rate


@dataclass(frozen=True)
class Demand:
    """What a bundle is licensed for, year by year over the horizon: users needing a full seat, users
    for whom a light seat does, and marketing contacts. A figure past its list's end repeats its last
    entry; `months` None prices one month as a whole (a flat monthly charge, the old reading)."""

    full: tuple[int, ...]
    light: tuple[int, ...] = ()
    contacts: tuple[int, ...] | None = None
    months: float | None = None

    @staticmethod
    def of(users: int | Demand) -> Demand:
        return users if isinstance(users, Demand) else Demand((users,))

    def year(self, index: int) -> tuple[int, int, int | None]:
        """Full users, light users and contacts in year `index` (0 is the first)."""
        def pick(values: tuple[int, ...]) -> int:
            return values[min(index, len(values) - 1)] if values else 0
        return pick(self.full), pick(self.light), None if self.contacts is None else pick(self.contacts)

    @property
    def years(self) -> int:
        return max(len(self.full), len(self.light), len(self.contacts or ()), 1)

    @property
    def peak(self) -> int:
        """The most users (full and light) in any year: what seat limits are checked against."""
        return max(sum(self.year(i)[:2]) for i in range(self.years))


@dataclass(frozen=True)
class Charge:
    """A price applied to a demand: the first year's monthly charge, a one-time fee and, when the demand
    spans a horizon, the recurring charges over it (with growth, yearly increases and the minimum term)."""

    monthly: float
    one_time: float
    recurring: float | None = None

    def total(self, months: float) -> float:
        """Cost over a horizon of `months` months."""
        if self.recurring is not None:
            return self.recurring + self.one_time
        return months * self.monthly + self.one_time


def billed_seats(price: Price, users: int, *, minimum: bool = True) -> int:
    """The seats a price charges for: at least `min_users` (editions only), rounded up to the next seat bucket."""
    seats = max(users, price.min_users or 0) if minimum else users
    if price.seat_buckets is not None:
        seats = next((bucket for bucket in price.seat_buckets if bucket >= seats), seats)
    return seats


def seat_limit(price: Price) -> int:
    """The most users a plan can seat (0 when it sets no limit): its max_users, included users of a flat
    plan, or its largest seat bucket, whichever is smallest."""
    limits = [n for n in (price.max_users, price.seat_buckets[-1] if price.seat_buckets else None) if n is not None]
    if price.per_user_month is None and price.flat_month is not None and price.included_users is not None:
        limits.append(price.included_users)
    return min(limits, default=0)


def _year_allowed(price: Price, full: int, light: int, _contacts: int | None) -> bool:
    users = full + light
    bucketed = full if price.light_user_month is not None else users
    if price.max_users is not None and users > price.max_users:
        return False
    if price.seat_buckets is not None and bucketed > price.seat_buckets[-1]:
        return False
    return not (
        price.per_user_month is None and price.flat_month is not None
        and price.included_users is not None and users > price.included_users
    )


def seats_allowed(price: Price | None, users: int | Demand) -> bool:
    """Tell whether a plan can be bought for this demand in every year (unknown prices are not ruled out)."""
    if price is None:
        return True
    demand = Demand.of(users)
    return all(_year_allowed(price, *demand.year(i)) for i in range(demand.years))


def _contact_charge(price: Price, contacts: int | None) -> float:
    if price.contact_tiers is None or contacts is None:
        return 0.0
    return next(tier.month for tier in price.contact_tiers if tier.up_to >= contacts)


def _month(price: Price, full: int, light: int, contacts: int | None, edition: bool) -> float:
    """One month's charge in one year, before any yearly increase."""
    if price.light_user_month is None:
        full, light = full + light, 0
    per_user = price.per_user_month or 0.0
    if edition:
        seats = max(billed_seats(price, full) - (price.included_users or 0), 0)
    else:
        seats = billed_seats(price, full, minimum=False)
    return (price.flat_month or 0.0) + per_user * seats + (price.light_user_month or 0.0) * light \
        + _contact_charge(price, contacts)


def _charge(price: Price, demand: Demand, edition: bool) -> Charge:
    first = _month(price, *demand.year(0), edition)
    if demand.months is None:
        return Charge(first, price.one_time or 0.0)
    months = max(demand.months, float(price.min_term_months or 0))
    growth = 1.0 + (price.annual_increase or 0.0)
    recurring, year = 0.0, 0
    while months > 1e-9:
        span = min(12.0, months)
        recurring += span * _month(price, *demand.year(year), edition) * growth**year
        months -= span
        year += 1
    return Charge(first, price.one_time or 0.0, recurring)


def seats_fail(price: Price, users: int | Demand) -> bool:
    """Tell whether a known price cannot be bought for this demand (as opposed to being unknown)."""
    demand = Demand.of(users)
    return not needs_contacts(price, demand) and not seats_allowed(price, demand)


def needs_contacts(price: Price | None, demand: Demand) -> bool:
    """Tell whether the price depends on marketing contacts that the demand does not state, or that
    pass the last tier the vendor publishes (beyond it, vendors quote: the price is unknown, not zero)."""
    if price is None or price.contact_tiers is None:
        return False
    if demand.contacts is None:
        return True
    return max(demand.contacts) > price.contact_tiers[-1].up_to


def edition_charge(price: Price | None, users: int | Demand) -> Charge | None:
    """What an edition costs for a demand; None when the price is unknown or the plan cannot seat it.

    Each year's month: `flat_month` + `per_user_month` x (full seats billed - `included_users`, never
    below 0) + `light_user_month` x light users + the contact tier's `month`; full seats billed are at
    least `min_users`, rounded up to the next seat bucket, and light users count as full ones where no
    light price is set. See DESIGN.md for the horizon's sum.
    """
    demand = Demand.of(users)
    if price is None or needs_contacts(price, demand) or not seats_allowed(price, demand):
        return None
    return _charge(price, demand, edition=True)


def add_on_charge(price: Price | None, users: int | Demand) -> Charge | None:
    """What an add-on costs: its flat fee plus its per-user fee for every user; None when unknown."""
    demand = Demand.of(users)
    if price is None or needs_contacts(price, demand) or not seats_allowed(price, demand):
        return None
    return _charge(price, demand, edition=False)


def describe_price(price: Price | None, currency: str) -> str:
    """A short human reading of a price, like 'USD 49/user/mo, min 3, +1,500 once'."""
    if price is None:
        return "price unknown"
    parts: list[str] = []
    if price.flat_month is not None:
        covered = f" for {price.included_users} users" if price.included_users is not None else ""
        parts.append(f"{currency} {price.flat_month:,.2f}/mo{covered}".replace(".00/", "/"))
    if price.per_user_month is not None:
        prefix = "+ " if price.flat_month is not None else f"{currency} "
        extra = " extra" if price.flat_month is not None and price.included_users else ""
        parts.append(f"{prefix}{price.per_user_month:,.2f}/user/mo{extra}".replace(".00/", "/"))
    if price.min_users is not None:
        parts.append(f"min {price.min_users} users")
    if price.max_users is not None:
        parts.append(f"max {price.max_users} users")
    if price.seat_buckets is not None:
        parts.append(f"seats in buckets of {', '.join(str(b) for b in price.seat_buckets)}")
    if price.one_time is not None:
        parts.append(f"+ {price.one_time:,.0f} once" if parts else f"{currency} {price.one_time:,.0f} once")
    return ", ".join(parts)
