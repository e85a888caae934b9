"""What a product's editions and add-ons offer and cost, by the semantics of DESIGN.md.

Costs are in the product's own currency; `None` means "price unknown", never zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from vendormatch.files.models import AddOn, FeatureRef, Price, Product


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


@dataclass(frozen=True)
class Charge:
    """A price applied to a number of users: a monthly charge and a one-time fee."""

    monthly: float
    one_time: float

    def total(self, months: float) -> float:
        """Cost over a horizon of `months` months."""
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


def seats_allowed(price: Price | None, users: int) -> bool:
    """Tell whether a plan can be bought for this many users (unknown prices are not ruled out)."""
    if price is None:
        return True
    if price.max_users is not None and users > price.max_users:
        return False
    if price.seat_buckets is not None and users > price.seat_buckets[-1]:
        return False
    return not (
        price.per_user_month is None and price.flat_month is not None
        and price.included_users is not None and users > price.included_users
    )


def edition_charge(price: Price | None, users: int) -> Charge | None:
    """What an edition costs for `users` users; None when the price is unknown or the plan cannot seat them."""
    if price is None or not seats_allowed(price, users):
        return None
    flat = price.flat_month or 0.0
    per_user = price.per_user_month or 0.0
    billable = billed_seats(price, users) - (price.included_users or 0)
    return Charge(flat + per_user * max(billable, 0), price.one_time or 0.0)


def add_on_charge(price: Price | None, users: int) -> Charge | None:
    """What an add-on costs: its flat fee plus its per-user fee for every user; None when unknown."""
    if price is None or not seats_allowed(price, users):
        return None
    return Charge((price.flat_month or 0.0) + (price.per_user_month or 0.0) * billed_seats(price, users, minimum=False),
                  price.one_time or 0.0)


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
