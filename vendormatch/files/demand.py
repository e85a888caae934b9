"""What a strategy asks a product to be licensed for: the departments' users year by year, the light
seats among them, and the marketing contacts (see `offers.Demand`)."""

from __future__ import annotations

from collections.abc import Iterable

from vendormatch.files.offers import Demand
from vendormatch.files.strategy_model import Strategy, yearly


def _summed(counts: list[tuple[int, ...]], years: int) -> tuple[int, ...]:
    return tuple(sum(c[min(y, len(c) - 1)] for c in counts) for y in range(years))


def strategy_demand(strategy: Strategy, departments: Iterable[str] | None = None) -> Demand:
    """The demand of these departments (default: every department licensed for a single product).

    Light users are taken out of the full count of their department; a department with more light
    users than users in some year is an error that `validate` reports, and here counts no full user.
    """
    chosen = list(strategy.licensed_departments if departments is None else departments)
    counts = [yearly(strategy.users[d]) for d in chosen]
    lights = [yearly(strategy.light_users[d]) for d in chosen if d in strategy.light_users]
    years = max([len(c) for c in counts + lights] + [len(yearly(strategy.contacts)) if strategy.contacts is not None else 1])
    total = _summed(counts, years)
    light = _summed(lights, years)
    full = tuple(max(t - lt, 0) for t, lt in zip(total, light, strict=True))
    contacts = None if strategy.contacts is None else yearly(strategy.contacts)
    return Demand(full, tuple(min(lt, t) for t, lt in zip(total, light, strict=True)), contacts, strategy.months)
