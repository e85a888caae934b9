"""Licensing per department: which departments a stack's member is licensed for, and what each of its
editions and add-ons costs for exactly those departments' users.

A price need not be linear in users (seat buckets, minimum seats, included users), so the stack model
does not multiply a price by a head count: each option's cost for every *pattern* (a set of departments)
is worked out here by the same functions that cost a single product (`offers.edition_charge` and
`offers.add_on_charge`). Where every pattern's cost is a fixed part plus a part per department (`linear`),
the model licenses a member department by department; otherwise it chooses one pattern per member.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from vendormatch.files.demand import strategy_demand
from vendormatch.files.models import Price, Product, Strategy
from vendormatch.files.offers import Demand, add_on_charge, edition_charge, needs_contacts, priced_in
from vendormatch.solve.scoring import conversion_rate

#: Above this many departments, patterns (2^n - 1 per member) are not enumerated: every member is then
#: licensed for every department, as a single product is.
MAX_PATTERN_DEPARTMENTS = 6


def licensable(strategy: Strategy) -> tuple[str, ...]:
    """The departments that use a CRM (all but `uses: none`), sorted."""
    return tuple(sorted(strategy.licensed_departments))


def patterns(strategy: Strategy) -> tuple[tuple[str, ...], ...]:
    """Every non-empty set of licensable departments, smallest first, then by name; only the full set
    past `MAX_PATTERN_DEPARTMENTS` departments."""
    departments = licensable(strategy)
    if len(departments) > MAX_PATTERN_DEPARTMENTS:
        return (departments,)
    return tuple(combo for size in range(1, len(departments) + 1) for combo in itertools.combinations(departments, size))


def smallest_demand(strategy: Strategy) -> Demand:
    """The demand of the one department with the fewest users: what any member must at least be able to seat."""
    departments = licensable(strategy)
    return min((strategy_demand(strategy, [d]) for d in departments), key=lambda demand: (demand.peak, demand.full))


@dataclass(frozen=True)
class OptionCosts:
    """One option's cost for each pattern (index into `patterns`): None where it cannot seat that pattern.

    `linear` is (a, b) when the cost of every pattern D it can seat is a + the sum of b[d] over D (a price
    per user, with growth, yearly increases and light seats, is; seat buckets, minimum seats and included
    users beside a per-user price are not), and `cap` the most users it seats in any year (None: no limit).
    """

    option: str
    costs: tuple[float | None, ...]
    linear: tuple[float, dict[str, float]] | None = None
    cap: int | None = None

    @property
    def constant(self) -> float | None:
        """The cost when every pattern costs the same (a flat price), else None."""
        values = set(self.costs)
        return self.costs[0] if len(values) == 1 else None


def _linear(pattern_list: Sequence[tuple[str, ...]], costs: Sequence[float]) -> tuple[float, dict[str, float]] | None:
    by_pattern = dict(zip(pattern_list, costs, strict=True))
    singles = {p[0]: cost for p, cost in by_pattern.items() if len(p) == 1}
    pairs = [(p, cost) for p, cost in by_pattern.items() if len(p) == 2]
    if not singles:
        return None
    base = singles[pairs[0][0][0]] + singles[pairs[0][0][1]] - pairs[0][1] if pairs else 0.0
    each = {d: cost - base for d, cost in singles.items()}
    for pattern, cost in by_pattern.items():
        if abs(base + sum(each[d] for d in pattern) - cost) > 1e-6 * max(1.0, abs(cost)):
            return None
    return base, each


def _cap(price: Price) -> int | None:
    """The users a plan takes at most whatever its charges: max_users, or a flat plan's included users."""
    limits = [price.max_users] if price.max_users is not None else []
    if price.per_user_month is None and price.flat_month is not None and price.included_users is not None:
        limits.append(price.included_users)
    return min(limits) if limits else None


def option_costs(product: Product, strategy: Strategy, option: str, *, edition: bool,
                 pattern_list: Sequence[tuple[str, ...]]) -> OptionCosts | None:
    """The option's cost over the horizon for every pattern, in the strategy's currency; None when its price
    is unknown (unpublished, or by contacts the strategy does not settle)."""
    rate = conversion_rate(product, strategy)
    offer = product.editions[option] if edition else product.add_ons[option]
    price, price_rate = priced_in(offer, strategy.currency, rate if rate is not None else 1.0)
    if price is None:
        return None
    if needs_contacts(price, strategy_demand(strategy)):
        return None  # priced by contacts the strategy does not settle: unknown, whatever the departments
    charge_of = edition_charge if edition else add_on_charge

    def costs_of(of: Price) -> list[float | None]:
        found: list[float | None] = []
        for departments in pattern_list:
            charge = charge_of(of, strategy_demand(strategy, departments))
            found.append(None if charge is None else charge.total(strategy.months) * price_rate)
        return found

    costs = costs_of(price)
    cap = _cap(price)
    # The same price without its cap: linear or not, the cap being a separate constraint on the seats.
    free: dict[str, None] = {"max_users": None}
    if price.per_user_month is None:
        free["included_users"] = None  # a flat plan: its charge does not depend on the users it seats
    uncapped = costs_of(price.model_copy(update=free)) if cap is not None else costs
    linear = None if None in uncapped else _linear(pattern_list, [c for c in uncapped if c is not None])
    return OptionCosts(option, tuple(costs), linear, cap)
