"""Finding the best stacks one after another in the stack model.

Each round solves the whole model for the best stack (score, then fewest unknown prices, then least
known cost) and then cuts it: no later round may hold all of its products. A stack that holds all of
an earlier one's products scores no higher than it (the earlier one was the best), so it could never
beat that sub-stack and would not rank. The chosen products are then solved alone for their exact
bundles and licences, with deterministic tie-breaks, and a stack of three is kept only when it beats
each pair inside it. Rounds go on until `limit` stacks are kept and the next one is worse than the
last kept, so that stacks tied at the limit are all found and the ranking's order decides between them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

from vendormatch.solve.solvers import make_solver, solver_error
from vendormatch.solve.stack_model import Candidate, StackChoice, StackModel, StackSpec
from vendormatch.solve.units import member_best

#: How many stacks a shortlist reports at most, unless --top asks for more.
MAX_STACKS = 5
_SCORE_TOLERANCE = 1e-6
_COST_TOLERANCE = 1e-4


def evaluate(candidates: Mapping[str, Candidate], spec: StackSpec, stack: StackChoice) -> tuple[float, int, float]:
    """The stack's weighted score, unknown-priced items and known cost, from the data, not the solver."""
    bests = {m.choice.product: member_best(candidates[m.choice.product].block, m.choice)[0] for m in stack}
    score = 0.0
    for group in spec.groups:
        for department, weight in group.department_weights.items():
            served = [min(bests[m.choice.product].get(f, 0.0) for f in group.features)
                      for m in stack if department in m.departments]
            score += weight * max(served, default=0.0)
    unknown, cost = 0, 0.0
    for m in stack:
        candidate = candidates[m.choice.product]
        index = spec.patterns.index(m.departments)
        options = [*zip(candidate.block.editions, candidate.editions, strict=True),
                   *zip(candidate.block.add_ons, candidate.add_ons, strict=True)]
        for option, costs in options:
            if option.id != m.choice.edition and option.id not in m.choice.add_ons:
                continue
            if costs is None:
                unknown += 1
            else:
                cost += costs.costs[index] or 0.0
        cost += candidate.block.fixed
    return score, unknown, cost


def _solve(model: StackModel, engine: Any, objective: Any, maximise: bool) -> bool:
    """Solve one stage; False when no stack satisfies the model (checked without presolve too)."""
    pulp = model.pulp
    model.problem.sense = pulp.LpMaximize if maximise else pulp.LpMinimize
    model.problem.setObjective(objective)
    status = model.run(engine)
    if status == pulp.LpStatusInfeasible and isinstance(engine, pulp.HiGHS):
        status = model.run(pulp.HiGHS(msg=False, gapRel=0.0, gapAbs=0.0, presolve="off"))
    if status == pulp.LpStatusInfeasible:
        return False
    if not model.optimal(status):
        raise solver_error(f"the solver stopped without proving the best stack (status: {pulp.LpStatus.get(status, status)})")
    return True


class _ToleranceArtifact(Exception):
    """The solver's best stack beats a member alone only within its own tolerances, not in fact."""

    def __init__(self, products: tuple[str, ...]) -> None:
        super().__init__(products)
        self.products = products


def _best_and_cheapest(model: StackModel, engine: Any, candidates: Mapping[str, Candidate],
                       spec: StackSpec, *, against_alone: bool = True) -> tuple[float, int, float] | None:
    """Stages 1 and 2: the best score, then the fewest unknown prices and the least known cost.

    With `against_alone`, a best stack whose exact score does not beat each member alone (the solver
    can reach a hair above a member's score by summing tolerances) raises _ToleranceArtifact: the
    search cuts it and looks again, since a genuine stack may score lower than the artifact."""
    if not _solve(model, engine, model.total_score, maximise=True):
        return None
    score, _, _ = evaluate(candidates, spec, model.chosen())
    products = model.chosen_products()
    if against_alone and any(score <= spec.alone.get(p, -1.0) + _SCORE_TOLERANCE for p in products):
        raise _ToleranceArtifact(products)
    model.problem.addConstraint(model.total_score >= score - _SCORE_TOLERANCE)
    weight = model.max_known + 1.0
    if not _solve(model, engine, model.sum([model.total_unknown, model.total_known], [weight, 1.0]), maximise=False):
        raise solver_error("the solver lost the best stack between two stages")
    return evaluate(candidates, spec, model.chosen())


def _exact(candidates: Sequence[Candidate], spec: StackSpec, engine: Any) -> tuple[StackChoice, tuple[float, int, float]] | None:
    """These products bought together: their bundles and licences, ties broken deterministically."""
    by_id = {c.product: c for c in candidates}
    model = StackModel(candidates, spec, forced=True, against_alone=False)
    values = _best_and_cheapest(model, engine, by_id, spec, against_alone=False)
    if values is None:
        return None
    _, unknown, cost = values
    add = model.problem.addConstraint
    add(model.total_unknown <= unknown)
    add(model.total_known <= cost + _COST_TOLERANCE + 1e-9 * abs(cost))
    bundles, patterns = model.tie_breaks()
    for expression in (bundles, patterns):
        if not _solve(model, engine, expression, maximise=False):
            raise solver_error("the solver lost the best stack while breaking ties")
        add(expression <= model.value(expression) + 0.5)  # tie-break coefficients are whole numbers
    stack = model.chosen()
    return stack, evaluate(by_id, spec, stack)


def _beats_pairs(stack_score: float, candidates: Sequence[Candidate], spec: StackSpec, engine: Any) -> bool:
    """Whether a stack of three scores higher than each pair of its products bought together."""
    by_id = {c.product: c for c in candidates}
    for pair in combinations(candidates, 2):
        model = StackModel(pair, spec, forced=True, against_alone=False)
        if (_solve(model, engine, model.total_score, maximise=True)
                and evaluate(by_id, spec, model.chosen())[0] >= stack_score - _SCORE_TOLERANCE):
            return False
    return True


def _best_products(candidates: Sequence[Candidate], spec: StackSpec, cuts: Sequence[frozenset[str]],
                   engine: Any) -> tuple[str, ...] | None:
    """The products of the best stack the cuts leave, or None when there is none.

    A budget couples every cost into the search for the best score, which makes the model far harder;
    so the model is solved without it first. Its best stack is the best under the budget too whenever
    it fits (the budget only takes stacks away), and only a stack over the budget makes the model with
    the budget necessary.
    """
    by_id = {c.product: c for c in candidates}
    if spec.budget is not None:
        free = dataclasses.replace(spec, budget=None)
        model = StackModel(candidates, free, cuts=cuts)
        values = _best_and_cheapest(model, engine, by_id, free)
        if values is None:
            return None
        if values[2] <= spec.budget + _COST_TOLERANCE:
            return model.chosen_products()
    model = StackModel(candidates, spec, cuts=cuts)
    if _best_and_cheapest(model, engine, by_id, spec) is None:
        return None
    return model.chosen_products()


def search_stacks(candidates: Sequence[Candidate], spec: StackSpec, *, solver: str = "highs",
                  limit: int = MAX_STACKS, max_rounds: int | None = None) -> list[tuple[StackChoice, tuple[float, int, float]]]:
    """The best stacks, best first (by score, unknown prices, known cost), each with its exact values."""
    if len(candidates) < 2:
        return []
    engine = make_solver(solver)
    by_id = {c.product: c for c in candidates}
    rounds = max_rounds if max_rounds is not None else 4 * limit + 20
    cuts: list[frozenset[str]] = []
    kept: list[tuple[StackChoice, tuple[float, int, float]]] = []
    for _ in range(rounds):
        try:
            products = _best_products(candidates, spec, cuts, engine)
        except _ToleranceArtifact as artifact:
            cuts.append(frozenset(artifact.products))
            continue
        if products is None:
            break
        cuts.append(frozenset(products))
        found = _exact([by_id[p] for p in products], spec, engine)
        if found is None:
            continue
        stack, values = found
        if kept and len(kept) >= limit and _key(values) > _key(kept[-1][1]):
            break
        score, _, cost = values
        if spec.budget is not None and cost > spec.budget + _COST_TOLERANCE:
            continue
        if any(score <= spec.alone.get(p, -1.0) + _SCORE_TOLERANCE for p in products):
            continue
        if len(products) > 2 and not _beats_pairs(score, [by_id[p] for p in products], spec, engine):
            continue
        kept.append((stack, values))
    return kept


def _key(values: tuple[float, int, float]) -> tuple[float, int, float]:
    score, unknown, cost = values
    return round(-score, 6), unknown, round(cost, 2)
