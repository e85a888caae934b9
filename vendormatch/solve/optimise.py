"""The MIP: for every unit (a product, or a stack of products), one edition each and any compatible
add-ons, all units solved together.

Every unit is an independent block of one combined model, solved with HiGHS in-process (or CBC).
The objective is lexicographic, solved in stages, each stage fixing every unit's optimum of the
one before (units are independent, so the sum's optimum is each unit's optimum):

1. qualify if at all possible (must-haves at level 1, budget, department floors), then
   maximise the weighted score;
2. at that score, use as few unknown-priced items as possible, then minimise the known cost;
3. at that cost, break ties deterministically: edition id, then fewer add-ons, then add-on ids.

Every solve's status is checked; a stage a solver cannot prove optimal is solved again (HiGHS
without presolve, then the other solver) and otherwise reported as an error, never as a ranking.
PuLP is imported only in solvers.py and mip_model.py, and only when a model is solved.
"""

from __future__ import annotations

from collections.abc import Sequence

from vendormatch.solve.blocks import Block, Group
from vendormatch.solve.enumeration import MAX_BUNDLES, bundle_count, enumerate_block
from vendormatch.solve.mip_model import Model, chosen
from vendormatch.solve.solvers import SOLVERS, SolverError, make_solver, solver_error
from vendormatch.solve.units import Choice, Unit, UnitChoice, exact_values

__all__ = [
    "SOLVERS", "Choice", "SolverError", "Unit", "UnitChoice", "cheapest_compliant", "cheapest_compliant_units",
    "exact_values", "solve_blocks", "solve_units",
]

# A stage's optimum is fixed at the chosen bundle's exact value less this slack: scores and costs
# closer than a ten-thousandth count as equal (reported scores are rounded to a millionth of the
# total weight, costs to the cent). The slack must stay well clear of the solvers' tolerances
# (1e-7 to 1e-6): at 5e-7 HiGHS's presolve cut off the next stage's true optimum and reported a
# worse answer as optimal, and with no slack at all it called a 1,000-product stage infeasible.
_SCORE_TOLERANCE = 1e-4
_COST_ABSOLUTE_TOLERANCE = 1e-4
_COST_RELATIVE_TOLERANCE = 1e-9
# A chosen bundle over its cap by more than this (relative) is over it, not rounding noise.
_OVER_CAP = 1e-9
# Solvers accept a binary at 1 - 1e-6 as 1, so a bundle can pass a cap it exceeds by up to a
# millionth of its cost: a repaired cap sits this far (relative) below the offending bundle.
_CAP_MARGIN = 1e-5


_MAX_BUDGET_REPAIRS = 5


def _repair_budgets(model: Model, groups: Sequence[Group], budgets: list[float | None]) -> bool:
    """Tighten the cap of every unit whose chosen bundle costs more than it; tell whether any was.

    A solver accepts a binary at 0.999999, so a bundle a hair over its cap can pass as within it;
    the bundle's exact cost decides, and the model is solved again without it (bundles within
    a hundred-thousandth of the cap go too).
    """
    repaired = False
    for i, unit in enumerate(model.units):
        cap = budgets[i]
        if cap is None:
            continue
        _, _, cost = exact_values(unit, chosen(model, i), groups)
        if cost > cap + _OVER_CAP * max(1.0, abs(cap)):
            budgets[i] = min(cap - (cost - cap), cost * (1 - _CAP_MARGIN))
            repaired = True
    return repaired


def solve_units(
    units: Sequence[Unit], groups: Sequence[Group], *, budget: float | Sequence[float | None] | None,
    floor: float | None, solver: str = "highs",
) -> list[UnitChoice | None]:
    """Choose each unit's best bundles (lexicographic: qualify, score, unknown prices, cost, ties).

    `budget` caps every unit's known cost, or is a sequence giving each unit its own cap. A unit
    that cannot qualify gets None.
    """
    if not units:
        return []
    budgets = list(budget) if isinstance(budget, Sequence) else [budget] * len(units)
    # A product with few bundles is enumerated exactly (vendormatch.solve.enumeration); the rest go to
    # one staged MIP.
    small = [bundle_count(u.members[0]) <= MAX_BUNDLES for u in units]
    answers: list[UnitChoice | None] = [None] * len(units)
    for i, unit in enumerate(units):
        if small[i]:
            choice = enumerate_block(unit.members[0], groups, budget=budgets[i], floor=floor)
            answers[i] = (choice,) if choice.edition is not None else None
    large = [i for i in range(len(units)) if not small[i]]
    if large:
        solved = _solve_mip([units[i] for i in large], groups, [budgets[i] for i in large], floor, solver)
        for i, result in zip(large, solved, strict=True):
            answers[i] = result
    return answers


def _solve_mip(units: Sequence[Unit], groups: Sequence[Group], budgets: list[float | None], floor: float | None,
               solver: str) -> list[UnitChoice | None]:
    """The staged MIP over several units at once (see `solve_units`)."""
    import pulp

    engine = make_solver(solver)
    n = len(units)
    for _attempt in range(_MAX_BUDGET_REPAIRS + 1):
        model = Model(units, groups, budgets, floor)
        # Stage 1: qualifying outweighs any score (a score never exceeds the sum of weights).
        model.solve(engine, model.sum(model.score + model.qualify, [1.0] * n + [m + 1.0 for m in model.max_score]),
                    pulp.LpMaximize)
        if not _repair_budgets(model, groups, budgets):
            break
    else:
        raise solver_error("the solver kept choosing bundles over the budget by less than its tolerance")
    add = model.problem.addConstraint
    for i, unit in enumerate(units):
        choice = chosen(model, i)
        add(model.qualify[i] == (0 if choice is None else 1))
        best, _, _ = exact_values(unit, choice, groups)
        add(model.score[i] >= best - _SCORE_TOLERANCE)
    # Stage 2: fewer unknown-priced items outweigh any known cost, then the known cost.
    model.solve(engine, model.sum(model.unknown_count + model.known_cost, [c + 1.0 for c in model.max_cost] + [1.0] * n),
                pulp.LpMinimize)
    for i, unit in enumerate(units):
        _, unknown, cost = exact_values(unit, chosen(model, i), groups)
        add(model.unknown_count[i] <= unknown)
        add(model.known_cost[i] <= cost + _COST_ABSOLUTE_TOLERANCE + _COST_RELATIVE_TOLERANCE * abs(cost))
    # Stage 3: a deterministic choice among equal bundles, whatever the solver's internals.
    model.solve(engine, model.sum(model.tie_break), pulp.LpMinimize)
    return [chosen(model, i) for i in range(n)]


def _as_choices(blocks: Sequence[Block], results: Sequence[UnitChoice | None]) -> dict[str, Choice]:
    return {
        block.product: result[0] if result is not None else Choice(block.product, None, ())
        for block, result in zip(blocks, results, strict=True)
    }


def solve_blocks(
    blocks: Sequence[Block], groups: Sequence[Group], *, budget: float | Sequence[float | None] | None,
    floor: float | None, solver: str = "highs",
) -> dict[str, Choice]:
    """Choose each product's best bundle; a product that cannot qualify gets a Choice with no edition."""
    results = solve_units([Unit((b,)) for b in blocks], groups, budget=budget, floor=floor, solver=solver)
    return _as_choices(blocks, results)


def cheapest_compliant_units(
    units: Sequence[Unit], groups: Sequence[Group], *, floor: float | None, solver: str = "highs"
) -> list[UnitChoice | None]:
    """For units the budget ruled out: the cheapest bundles meeting every must-have and floor, budget ignored.

    Lexicographic too: qualify, then the least known cost, then the fewest unknown-priced items,
    then the same tie-break as the shortlist, so the answer never depends on the solver.
    """
    if not units:
        return []
    import pulp

    engine = make_solver(solver)
    model = Model(units, groups, [None] * len(units), floor)
    n = len(units)
    model.solve(engine, model.sum(model.qualify + model.known_cost, [c + 1.0 for c in model.max_cost] + [-1.0] * n),
                pulp.LpMaximize)
    add = model.problem.addConstraint
    for i, unit in enumerate(units):
        choice = chosen(model, i)
        add(model.qualify[i] == (0 if choice is None else 1))
        _, _, cost = exact_values(unit, choice, groups)
        add(model.known_cost[i] <= cost + _COST_ABSOLUTE_TOLERANCE + _COST_RELATIVE_TOLERANCE * abs(cost))
    model.solve(engine, model.sum(model.unknown_count), pulp.LpMinimize)
    for i, unit in enumerate(units):
        _, unknown, _ = exact_values(unit, chosen(model, i), groups)
        add(model.unknown_count[i] <= unknown)
    model.solve(engine, model.sum(model.tie_break), pulp.LpMinimize)
    return [chosen(model, i) for i in range(n)]


def cheapest_compliant(
    blocks: Sequence[Block], groups: Sequence[Group], *, floor: float | None, solver: str = "highs"
) -> dict[str, Choice]:
    """For products the budget ruled out: the cheapest bundle meeting every must-have and floor, budget ignored."""
    results = cheapest_compliant_units([Unit((b,)) for b in blocks], groups, floor=floor, solver=solver)
    return _as_choices(blocks, results)
