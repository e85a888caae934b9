"""The budget side of sensitivity: the smallest move of the budget that changes the winner, exactly.

A product that wins at budget B with a bundle costing c also wins at every budget in [c, B]: its
bundle is still affordable, and the others only lose options (`_steady_from` covers the one
exception, ties with unknown prices). So re-solving just below that cost, again and again, visits
every change of winner: an exact walk, to a cent (`BUDGET_PRECISION`). Downwards it starts at the
budget in force and stops at the first change; upwards it starts above every bundle's cost and
walks down to the budget in force, and the last change it sees is the first on the way up.

With a budget, a bundle of unknown price cannot be shown to fit it (it ranks "if confirmed"), so
having no budget differs from having a very large one: from no budget, the walk down first asks
whether any budget at all changes the winner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vendormatch.analysis.sensitivity_results import BudgetChange, Direction
from vendormatch.solve.results import Ranking, rank_key, standing


def _could_lead(ranking: Ranking, leader: Ranking) -> bool:
    """Whether a product with at most this standing could still rank at or above the leader."""
    (band, score), (leader_band, leader_score) = standing(ranking), standing(leader)
    return band < leader_band or (band == leader_band and score >= leader_score)

#: A budget's change of winner is located to this amount of the strategy's currency.
BUDGET_PRECISION = 0.01
#: A budget above any bundle's cost. With a budget, a bundle of unknown price cannot be shown to fit,
#: so "no budget" and "a very large budget" can have different winners: walks stay on the finite side.
UNBOUNDED_BUDGET = 1e16  # no option costs over 1e14 (the cost-range rule), and no bundle has 100 options

#: `at_budget(budget, products)`: the rankings at a budget (None: none) over some products (None: all).
Solve = Callable[[float | None, Sequence[str] | None], Sequence[Ranking]]


def _steady_from(rankings: Sequence[Ranking]) -> float:
    """The lowest budget down to which the leader of these rankings surely stays first.

    Every product keeps its chosen bundle while the budget still covers it, and with fewer options
    no product's score rises: a product standing below the leader (by band, then the score its band
    ranks by) cannot overtake it. One scoring the
    same can, when both have items of unknown price: within a product the optimiser prefers fewer
    unknown-priced items, across products the ranking compares known costs, so a budget that takes
    away its bundle can hand it a cheaper-looking one. Hence the highest cost among the leader and
    such products.
    """
    if not rankings:
        return 0.0
    leader = rankings[0]
    tied = [r.cost_known for r in rankings[1:]
            if standing(r) == standing(leader) and r.cost_total is None and leader.cost_total is None]
    return max([leader.cost_known, *tied])


@dataclass(frozen=True)
class _Standing:
    """The ranking at one budget as far as the winner needs it: exact rankings, and upper bounds."""

    #: Rankings at this budget, by rank.
    exact: tuple[Ranking, ...]
    #: Rankings at a higher budget whose bundles no longer fit: their scores bound these products' from above.
    stale: tuple[Ranking, ...] = ()

    @property
    def winner(self) -> str | None:
        """The product ranked first (stale ones cannot be: see `_lower`)."""
        return self.exact[0].product if self.exact else None


def _lower(at_budget: Solve, standing: _Standing, budget: float) -> _Standing:
    """The standing at a lower budget, re-solving only the products that could be first there.

    A product whose bundle still fits keeps it (it lost options, none better); one that must give
    its bundle up scores no more than before, so it needs a solve only if that could still put it
    first. Products that rank nowhere at the higher budget rank nowhere at the lower one either.
    """
    exact = [r for r in standing.exact if r.cost_known <= budget]
    stale = [r for r in standing.exact if r.cost_known > budget] + list(standing.stale)
    leader = min(exact, key=rank_key) if exact else None
    # A tie in score can still go either way (cost, and unknown prices), so ties are solved too.
    needed = [r.product for r in stale if leader is None or _could_lead(r, leader)]
    if needed:
        exact += at_budget(budget, needed)
    return _Standing(tuple(sorted(exact, key=rank_key)), tuple(r for r in stale if r.product not in needed))


def budget_change(at_budget: Solve, baseline: Sequence[Ranking], budget: float | None,
                  direction: Direction) -> BudgetChange | None:
    """The smallest decrease (or increase) of `budget` that changes the winner; None: no budget to raise.

    `at_budget(b, products)` gives the rankings at budget b (None: no budget) over those products
    (None: every product); `baseline` are the rankings at `budget` itself.

    Exact: from any budget, the winner stays first down to `_steady_from` its rankings, so a walk
    that re-solves just below that budget, again and again, passes every change of winner. Each
    step re-solves only the products that could be first (`_lower`); the walk up starts with a
    solve of every product at a budget above any bundle's cost.
    """
    same = baseline[0].product if baseline else None

    def change(threshold: float, new_winner: str | None) -> BudgetChange:
        relative = round(threshold / budget - 1, 6) if budget else None
        return BudgetChange(direction=direction, changed=True, budget=round(threshold, 2), relative_change=relative,
                            new_winner=new_winner)

    if direction == "down":
        if same is None:
            return BudgetChange(direction=direction, changed=False)  # fewer options cannot make a product qualify
        standing = _Standing(tuple(baseline))
        if budget is None:
            standing = _Standing(tuple(at_budget(UNBOUNDED_BUDGET, None)))
            if standing.winner != same:
                return BudgetChange(direction=direction, changed=True, any_budget=True, new_winner=standing.winner)
        while (steady := _steady_from(standing.exact)) - BUDGET_PRECISION >= 0:
            standing = _lower(at_budget, standing, steady - BUDGET_PRECISION)
            if standing.winner != same:
                return change(steady, standing.winner)
        return BudgetChange(direction=direction, changed=False)
    if budget is None:
        return None
    # Walk down from no budget at all to the budget in force: the last switch away from `same` on
    # the way down is the first one on the way up.
    standing = _Standing(tuple(at_budget(UNBOUNDED_BUDGET, None)))
    lowest: tuple[float, str | None] | None = None
    while True:
        winner, steady = standing.winner, _steady_from(standing.exact)
        if steady - BUDGET_PRECISION < budget:
            break
        standing = _lower(at_budget, standing, steady - BUDGET_PRECISION)
        if winner != same and standing.winner == same:
            lowest = (steady, winner)
    if winner != same:
        lowest = (steady, winner)
    return change(*lowest) if lowest is not None else BudgetChange(direction=direction, changed=False)
