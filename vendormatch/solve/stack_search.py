"""Finding the best stacks: a best-first search over pairs and threes, on bounds, solving only the stacks
that could still rank.

Every stack waits in a heap under the best ranking key it could reach: an upper bound on its score
(`stack_bounds`), no unknown price, and a lower bound on its cost; then its size and its products'
ids. Threes are not listed up front: each pair that integrates also stands for the threes that extend
it with a later product, under a bound that submodularity gives, and they are listed only when it
leads. A stack that leads is first bounded again with the budget, the must-haves and the floor, then
solved exactly: enumerated when it is small enough (`stack_enumeration`), else as one PuLP model of
its members (`stack_model`), stage by stage: its best score, and (only while that score could place
it among the best) its fewest unknown prices and least cost. It ranks when it beats each member alone
and, for three, each pair inside it; a pair that reaches a three's bound rules the three out unsolved.
The search stops once `limit` stacks are found and the heap's best possible key comes after the last
of them, so no stack left could rank above; the stacks kept are then solved for their deterministic
tie-breaks.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import numpy as np

from vendormatch.solve.solvers import make_solver, solver_error
from vendormatch.solve.stack_bounds import BOUND_SLACK, stack_bounds
from vendormatch.solve.stack_enumeration import MAX_WORK, enumerate_stack, enumeration_work
from vendormatch.solve.stack_model import Candidate, StackChoice, StackModel, StackSpec
from vendormatch.solve.units import member_best

#: How many stacks a shortlist reports at most, unless --top asks for more.
MAX_STACKS = 5
_SCORE_TOLERANCE = 1e-6
_COST_TOLERANCE = 1e-4
Key = tuple[float, int, float]
Values = tuple[float, int, float]


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


def _engine(solver: str) -> Any:
    """The solver for stack models: HiGHS without its presolve.

    On these small models HiGHS's presolve has reported a stack infeasible, failed on one ("solve
    error", with a repaired point that violates a bound) and, worst, proved optimal a cost stage that was
    not: an add-on of unknown price kept that added nothing (highspy 1.15), a department licensed on a
    member at 120 where 0 was possible (1.16). CBC, and HiGHS without presolve, found the optimum."""
    engine = make_solver(solver)
    if solver == "highs":
        return type(engine)(msg=False, gapRel=0.0, gapAbs=0.0, presolve="off")
    return engine


def _solve(model: StackModel, engine: Any, objective: Any, maximise: bool) -> bool:
    """Solve one stage; False when no stack satisfies the model."""
    pulp = model.pulp
    model.problem.sense = pulp.LpMaximize if maximise else pulp.LpMinimize
    model.problem.setObjective(objective)
    status = model.run(engine)
    if status == pulp.LpStatusInfeasible:
        return False
    if not model.optimal(status):
        raise solver_error(f"the solver stopped without proving the best stack (status: {pulp.LpStatus.get(status, status)})")
    return True


class _Stack:
    """One stack, solved as the search needs it: the best score; then the fewest unknown prices and the
    least known cost at that score; then the deterministic tie-breaks. Enumerated all at once when it
    would take at most `max_work` (`enumeration_work`), else solved stage by stage in its model."""

    def __init__(self, candidates: Sequence[Candidate], spec: StackSpec, engine: Any, max_work: int) -> None:
        self.by_id = {c.product: c for c in candidates}
        self.spec = spec
        self.engine = engine
        self.model = StackModel(candidates, spec)
        self.score: float | None = None
        # A small stack is enumerated, all stages at once; a larger one is solved stage by stage.
        self.enumerated: StackChoice | None = None
        if enumeration_work(candidates, spec) <= max_work:
            self.enumerated = enumerate_stack(candidates, spec, self.model, _SCORE_TOLERANCE, _COST_TOLERANCE)
            if self.enumerated is not None:
                self.score = evaluate(self.by_id, spec, self.enumerated)[0]
        elif _solve(self.model, engine, self.model.total_score, maximise=True):
            self.score = evaluate(self.by_id, spec, self.model.chosen())[0]

    def values(self) -> Values:
        """Stage 2 (once the score is known): the stack's exact values at its best bundles."""
        assert self.score is not None
        if self.enumerated is not None:
            self._values = evaluate(self.by_id, self.spec, self.enumerated)
            return self._values
        model = self.model
        model.problem.addConstraint(model.total_score >= self.score - _SCORE_TOLERANCE)
        weight = model.max_known + 1.0
        if not _solve(model, self.engine, model.sum([model.total_unknown, model.total_known], [weight, 1.0]),
                      maximise=False):
            raise solver_error("the solver lost the best stack between two stages")
        self._values = evaluate(self.by_id, self.spec, model.chosen())
        return self._values

    def choice(self) -> StackChoice:
        """The last stages (after `values`): among equal stacks, the first bundles and licence patterns."""
        if self.enumerated is not None:
            return self.enumerated
        model = self.model
        _, unknown, cost = self._values
        add = model.problem.addConstraint
        add(model.total_unknown <= unknown)
        add(model.total_known <= cost + _COST_TOLERANCE + 1e-9 * abs(cost))
        bundles, patterns = model.tie_breaks()
        for expression in (bundles, patterns):
            if not _solve(model, self.engine, expression, maximise=False):
                raise solver_error("the solver lost the best stack while breaking ties")
            # Tie-break coefficients are whole numbers, up to 1e14 for three members with many add-ons:
            # the bound is the chosen binaries' exact value, not the solver's (a binary at 1 - 1e-9 times
            # 1e14 is off by far more than the half that separates two tie-break values).
            chosen = sum(coefficient * round(var.varValue or 0.0) for var, coefficient in expression.items())
            add(expression <= chosen + 0.5)
        return model.chosen()


_PARENT, _STACK, _REFINED = 0, 1, 2


def _key(values: Values) -> Key:
    """The ranking order of a stack's values (or of bounds on them): score, unknown prices, known cost."""
    score, unknown, cost = values
    return round(-score, 6), unknown, round(cost, 6)


class _Search:
    """The best-first search: a heap of stacks (and of pairs standing for the threes that extend them),
    each under the best ranking key it could reach (its score's upper bound, no unknown price, the least
    its members cost), and each stack solved only when it leads the heap."""

    def __init__(self, candidates: Sequence[Candidate], spec: StackSpec, engine: Any, max_work: int) -> None:
        self.candidates = list(candidates)
        self.max_work = max_work
        self.spec = spec
        self.engine = engine
        self.bounds = stack_bounds(self.candidates, spec)
        self.stacks: dict[tuple[int, ...], _Stack] = {}
        self.heap: list[tuple[Key, int, str, int, tuple[int, ...], float]] = []

    def push(self, bound: float, kind: int, members: tuple[int, ...], least: float) -> None:
        name = "+".join(self.candidates[i].product for i in members)
        heapq.heappush(self.heap, (_key((bound, 0, least)), len(members), name, kind, members, bound))

    def least(self, members: Sequence[int]) -> float:
        return float(self.bounds.least_cost[list(members)].sum())

    def alone(self, members: Sequence[int]) -> float:
        """The best score a member reaches alone: the stack must score above it."""
        return max(float(self.bounds.alone[i]) for i in members)

    def score(self, members: tuple[int, ...]) -> float | None:
        """The exact best score of these products bought together (None: they cannot be), solved once."""
        if members not in self.stacks:
            self.stacks[members] = _Stack([self.candidates[i] for i in members], self.spec, self.engine,
                                          self.max_work)
        return self.stacks[members].score

    def start(self) -> None:
        """Every pair that integrates, and (for threes) each such pair as the parent of the threes that
        extend it with a later candidate, bounded by submodularity."""
        b = self.bounds
        singles = b.levels @ b.weights
        pairs = np.stack([np.maximum(b.levels[i], b.levels) @ b.weights for i in range(len(self.candidates))])
        gains = np.where(b.integrable, pairs - singles[:, None], -np.inf).max(axis=1, initial=-np.inf)
        cheapest = float(b.least_cost.min())
        for i, j in zip(*np.nonzero(np.triu(b.integrable, 1)), strict=True):
            members = (int(i), int(j))
            bound = float(pairs[i, j])
            if bound + BOUND_SLACK > self.alone(members) + _SCORE_TOLERANCE:
                self.push(bound, _STACK, members, self.bounds.cost(members))
            if self.spec.size >= 3:
                gain = max(0.0, float(min(gains[i], gains[j])))
                self.push(bound + gain, _PARENT, members, self.least(members) + cheapest)

    def extend(self, pair: tuple[int, ...]) -> None:
        """The threes of this pair and a later candidate that integrates with both, at their own bounds."""
        a, b_ = pair
        bounds = self.bounds
        later = np.nonzero(bounds.integrable[a, b_ + 1:] & bounds.integrable[b_, b_ + 1:])[0] + b_ + 1
        if not len(later):
            return
        values = np.maximum(np.maximum(bounds.levels[a], bounds.levels[b_]), bounds.levels[later]) @ bounds.weights
        for c, value in zip(later, values, strict=True):
            members = (a, b_, int(c))
            if float(value) + BOUND_SLACK > self.alone(members) + _SCORE_TOLERANCE:
                self.push(float(value), _STACK, members, self.bounds.cost(members))

    def beaten(self, members: tuple[int, ...], score: float) -> bool:
        """Whether a pair inside this three scores at least `score` (pairs whose bound is lower are not solved)."""
        for pair in combinations(members, 2):
            bound = self.bounds.refined(pair)
            if bound is None or bound + BOUND_SLACK < score - _SCORE_TOLERANCE:
                continue
            other = self.score(pair)
            if other is not None and other >= score - _SCORE_TOLERANCE:
                return True
        return False

    def valid(self, members: tuple[int, ...], bound: float) -> bool:
        """Whether the stack ranks: it can be bought, and it scores above each member alone and each pair
        inside it. A three is first held against its pairs at its bound: a pair that reaches the bound
        rules it out without solving it (pairs are solved once, and shared by many threes)."""
        three = len(members) > 2
        if three and self.beaten(members, bound):
            return False
        score = self.score(members)
        if score is None or score <= self.alone(members) + _SCORE_TOLERANCE:
            return False
        return not (three and self.beaten(members, score))

    def run(self, limit: int) -> list[tuple[StackChoice, Values]]:
        """The `limit` best stacks: popped in the order of their best possible keys, until the next best
        possible key (then size and name) comes after the `limit`-th stack found.

        A stack's unknown prices and cost (a second, often harder solve) are worked out only while its
        score could still place it among the `limit` best: later stacks only raise that bar."""
        valid: list[tuple[float, str, tuple[int, ...]]] = []  # score, name, members
        found: list[tuple[Key, int, str, tuple[int, ...], Values]] = []
        priced: set[tuple[int, ...]] = set()
        while self.heap:
            if len(found) >= limit and self.heap[0][:3] > found[limit - 1][:3]:
                break
            key, _, name, kind, members, bound = heapq.heappop(self.heap)
            if kind == _PARENT:
                self.extend(members)
            elif kind == _STACK:
                refined = self.bounds.refined(members)
                if refined is not None and refined + BOUND_SLACK > self.alone(members) + _SCORE_TOLERANCE:
                    self.push(min(refined, bound), _REFINED, members, key[2])
            elif self.valid(members, bound):
                score = self.stacks[members].score
                assert score is not None
                valid.append((score, name, members))
                valid.sort(key=lambda entry: -entry[0])
                bar = valid[limit - 1][0] - _SCORE_TOLERANCE if len(valid) >= limit else -math.inf
                for score, name, members in valid:
                    if score < bar or members in priced:
                        continue
                    priced.add(members)
                    values = self.stacks[members].values()
                    if self.spec.budget is None or values[2] <= self.spec.budget + _COST_TOLERANCE:
                        bisect.insort(found, (_key(values), len(members), name, members, values),
                                      key=lambda entry: entry[:3])
        return [(self.stacks[members].choice(), values) for _, _, _, members, values in found[:limit]]


def search_stacks(candidates: Sequence[Candidate], spec: StackSpec, *, solver: str = "highs",
                  limit: int = MAX_STACKS, max_work: int = MAX_WORK) -> list[tuple[StackChoice, Values]]:
    """The `limit` best stacks, best first (by score, unknown prices, known cost, then fewer products, then
    their products' ids), each with its exact values. A stack that would take at most `max_work` to
    enumerate (`enumeration_work`) is enumerated, a larger one solved in its model."""
    if len(candidates) < 2:
        return []
    search = _Search(candidates, spec, _engine(solver), max_work)
    search.start()
    return search.run(limit)


def solve_stack(candidates: Sequence[Candidate], spec: StackSpec, *, solver: str = "highs",
                max_work: int = MAX_WORK) -> tuple[StackChoice, Values] | None:
    """These products bought together: their bundles, licences and exact values (None: they cannot be)."""
    stack = _Stack(candidates, spec, _engine(solver), max_work)
    if stack.score is None:
        return None
    values = stack.values()
    return stack.choice(), values
