"""The MIP: for every product block, one edition and any compatible add-ons, solved together.

Every product is an independent block of one combined model, solved with HiGHS in-process (or
CBC). The objective is lexicographic, solved in stages, each stage fixing every block's optimum
of the one before (blocks are independent, so the sum's optimum is each block's optimum):

1. qualify if at all possible (must-haves at level 1, budget, department floors), then
   maximise the weighted score;
2. at that score, use as few unknown-priced items as possible, then minimise the known cost;
3. at that cost, break ties deterministically: edition id, then fewer add-ons, then add-on ids.

PuLP is imported here only, and only when a model is solved.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vendormatch.blocks import Block, Group
from vendormatch.diagnostics import Diagnostic, VendormatchError

SOLVERS = ("highs", "cbc")
# Fixing a stage's optimum leaves this much room for the solver's floating point; real scores differ
# by at least half the smallest weight and real costs by cents, far above these.
_SCORE_TOLERANCE = 1e-7
_COST_ABSOLUTE_TOLERANCE = 1e-6
_COST_RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Choice:
    """What the model chose for one block: the bundle, or None when the product cannot qualify."""

    product: str
    edition: str | None
    add_ons: tuple[str, ...]


class SolverError(VendormatchError):
    """The solver did not prove optimality: never report such an answer as the best one."""


def _solver_error(message: str) -> SolverError:
    return SolverError([Diagnostic("<solver>", 0, 0, "error", "solver", message)])


# HiGHS prints its banner once per process; after the first solve there is nothing to silence.
_banner = {"silenced": False}


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Keep HiGHS's once-per-process banner off stdout (it would corrupt JSON output)."""
    if _banner["silenced"]:
        yield
        return
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            try:
                yield
            finally:
                sys.stdout.flush()
                os.dup2(saved, fd)
        _banner["silenced"] = True
    finally:
        os.close(saved)


def _make_solver(name: str) -> Any:
    import pulp

    if name == "highs":
        if not pulp.HiGHS().available():
            raise _solver_error("HiGHS is not available: install highspy (pip install highspy) or use --solver cbc")
        # Presolve off: HiGHS 1.16's presolve returned a suboptimal bundle as "optimal" on one random
        # catalogue and called feasible stages infeasible on others (tests/test_optimise_properties.py);
        # our blocks are small, so the solve barely needs it.
        return pulp.HiGHS(msg=False, gapRel=0.0, gapAbs=0.0, presolve="off")
    if name == "cbc":
        bundled = getattr(pulp.PULP_CBC_CMD, "pulp_cbc_path", None)
        solver = pulp.COIN_CMD(path=bundled, msg=False, gapRel=0.0, gapAbs=0.0) if bundled and os.path.exists(bundled) \
            else pulp.COIN_CMD(msg=False, gapRel=0.0, gapAbs=0.0)
        if not solver.available():
            raise _solver_error("CBC is not available: install it (pip install 'pulp[cbc]') or use --solver highs")
        return solver
    raise _solver_error(f"unknown solver '{name}'; choose one of: {', '.join(SOLVERS)}")


class _Model:
    """The combined model with, per block, the expressions each stage needs."""

    def __init__(self, blocks: Sequence[Block], groups: Sequence[Group], budgets: Sequence[float | None],
                 floor: float | None) -> None:
        import pulp

        self.pulp = pulp
        self.problem = pulp.LpProblem("vendormatch", pulp.LpMaximize)
        self.blocks = blocks
        self.edition_vars: list[list[Any]] = []
        self.add_on_vars: list[list[Any]] = []
        self.qualify: list[Any] = []
        self.score: list[Any] = []
        self.known_cost: list[Any] = []
        self.unknown_count: list[Any] = []
        self.tie_break: list[Any] = []
        self.max_score: list[float] = []
        self.max_cost: list[float] = []
        self._counter = 0
        for index, (block, budget) in enumerate(zip(blocks, budgets, strict=True)):
            self._add_block(index, block, groups, budget, floor)

    def _var(self, cat: str, upper: float = 1.0) -> Any:
        self._counter += 1
        # Variables are named by index: PuLP sanitises names, so ids like acme-sso and acme_sso would collide.
        return self.problem.add_variable(f"v{self._counter}", lowBound=0, upBound=upper, cat=cat)

    def _expr(self, pairs: list[tuple[Any, float]]) -> Any:
        return self.pulp.LpAffineExpression(pairs)

    def _add_block(self, index: int, block: Block, groups: Sequence[Group], budget: float | None,
                   floor: float | None) -> None:
        add = self.problem.addConstraint
        x = [self._var("Binary") for _ in block.editions]
        y = [self._var("Binary") for _ in block.add_ons]
        q = self._var("Binary")
        self.edition_vars.append(x)
        self.add_on_vars.append(y)
        self.qualify.append(q)
        add(self._expr([(v, 1.0) for v in x]) - q == 0)
        edition_index = {e.id: i for i, e in enumerate(block.editions)}
        for add_on, var in zip(block.add_ons, y, strict=True):
            add(self._expr([(var, 1.0)] + [(x[edition_index[e]], -1.0) for e in add_on.editions]) <= 0)

        feature_terms: dict[str, Any] = {}

        def coverage(feature: str) -> Any | None:
            """An expression equal to the best level of `feature` in the chosen bundle (None: never offered)."""
            if feature in feature_terms:
                return feature_terms[feature]
            edition_pairs = [(x[i], e.levels[feature]) for i, e in enumerate(block.editions) if e.levels.get(feature)]
            add_on_sources = [(y[i], a.levels[feature]) for i, a in enumerate(block.add_ons) if a.levels.get(feature)]
            sources: list[list[tuple[Any, float]]] = ([edition_pairs] if edition_pairs else []) + [
                [pair] for pair in add_on_sources
            ]
            result: Any | None
            if not sources:
                result = None
            elif len(sources) == 1:
                result = self._expr(sources[0])
            elif all(level == 1.0 for source in sources for _, level in source):
                # Every source gives it in full: the best level is min(1, sum of sources).
                z = self._var("Continuous")
                add(z - self._expr([pair for source in sources for pair in source]) <= 0)
                result = z
            else:
                # Partial levels: a max, not a sum (0.5 from the edition and 0.5 from an add-on is 0.5).
                # One source is picked; z is at most that source's level.
                z = self._var("Continuous")
                picks: list[tuple[Any, float]] = []
                shares: list[tuple[Any, float]] = []
                for source in sources:
                    pick = self._var("Binary")
                    share = self._var("Continuous")
                    add(share - self._expr(source) <= 0)
                    add(share - pick <= 0)
                    picks.append((pick, 1.0))
                    shares.append((share, 1.0))
                add(self._expr(picks) <= 1)
                add(z - self._expr(shares) <= 0)
                result = z
            feature_terms[feature] = result
            return result

        score_pairs: list[tuple[Any, float]] = []
        department_pairs: dict[str, list[tuple[Any, float]]] = {}
        department_totals: dict[str, float] = {}
        for group in groups:
            for department, weight in group.department_weights.items():
                department_totals[department] = department_totals.get(department, 0.0) + weight
            terms = [coverage(f) for f in group.features]
            if any(t is None for t in terms):
                # A feature no option offers: this group's level is 0 here, and a must-have cannot be met.
                if group.must:
                    add(self._expr([(q, 1.0)]) <= 0)
                continue
            level = self._var("Continuous")
            for term in terms:
                add(level - term <= 0)
            if group.must:
                add(level - q >= 0)
            score_pairs.append((level, group.weight))
            for department, weight in group.department_weights.items():
                department_pairs.setdefault(department, []).append((level, weight))
        score = self._expr(score_pairs)
        self.score.append(score)
        self.max_score.append(sum(g.weight for g in groups))
        if floor:
            for department, total in sorted(department_totals.items()):
                if total > 0:
                    add(self._expr(department_pairs.get(department, [])) - floor * total * q >= 0)

        options = [(v, o) for v, o in zip(x, block.editions, strict=True)]
        options += [(v, o) for v, o in zip(y, block.add_ons, strict=True)]
        known = self._expr([(v, o.cost) for v, o in options if o.cost])
        self.known_cost.append(known)
        self.max_cost.append(sum(o.cost for o in block.editions if o.cost) + sum(o.cost for o in block.add_ons if o.cost))
        self.unknown_count.append(self._expr([(v, 1.0) for v, o in options if o.cost is None]))
        if budget is not None:
            add(known <= budget)

        # Tie-break weights: edition rank dominates; then the number of add-ons; then, among sets of the
        # same size, the one whose sorted ids compare smallest (a smaller id outweighs all larger ones).
        n = len(y)
        per_add_on = (n + 1) * 2**n
        edition_step = (n + 1) * per_add_on + 1
        pairs = [(var, float(rank * edition_step)) for rank, var in enumerate(x)]
        pairs += [(var, float(per_add_on + 2**n - 2 ** (n - 1 - rank))) for rank, var in enumerate(y)]
        self.tie_break.append(self._expr(pairs))

    def solve(self, solver: Any, objective: Any, sense: int) -> None:
        pulp = self.pulp
        self.problem.sense = sense
        self.problem.setObjective(objective)
        with _quiet_stdout():
            status = self.problem.solve(solver)
        if status != pulp.LpStatusOptimal or self.problem.sol_status not in (
            pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible,
        ):
            raise _solver_error(
                f"the solver stopped without proving an optimum (status: {pulp.LpStatus.get(status, status)}); "
                "no ranking is reported rather than a possibly wrong one"
            )

    def value(self, expr: Any) -> float:
        result = self.pulp.value(expr)
        return float(result) if result is not None else 0.0

    def sum(self, exprs: Sequence[Any], weights: Sequence[float] | None = None) -> Any:
        terms: list[tuple[Any, float]] = []
        for i, expr in enumerate(exprs):
            factor = weights[i] if weights is not None else 1.0
            if isinstance(expr, self.pulp.LpVariable):
                terms.append((expr, factor))
            else:
                terms.extend((var, coef * factor) for var, coef in expr.items())
        return self._expr(terms)


def _chosen(model: _Model, index: int) -> Choice:
    block = model.blocks[index]
    if model.value(model.qualify[index]) < 0.5:
        return Choice(block.product, None, ())
    editions = [e.id for e, v in zip(block.editions, model.edition_vars[index], strict=True) if model.value(v) > 0.5]
    add_ons = tuple(a.id for a, v in zip(block.add_ons, model.add_on_vars[index], strict=True) if model.value(v) > 0.5)
    if len(editions) != 1:
        raise _solver_error(f"the solver returned {len(editions)} editions for {block.product}")
    return Choice(block.product, editions[0], tuple(sorted(add_ons)))


def exact_values(block: Block, choice: Choice, groups: Sequence[Group]) -> tuple[float, int, float]:
    """Score, unknown-priced items and known cost of a chosen bundle, from the data, not the solver's floats.

    Fixing a stage's optimum at the solver's value of an expression could exclude the very bundle it
    chose (a binary at 0.9999999 times a large cost); the bundle's exact values cannot.
    """
    if choice.edition is None:
        return 0.0, 0, 0.0
    options = [e for e in block.editions if e.id == choice.edition]
    options += [a for a in block.add_ons if a.id in choice.add_ons]
    best: dict[str, float] = {}
    for option in options:
        for feature, level in option.levels.items():
            best[feature] = max(best.get(feature, 0.0), level)
    score = sum(g.weight * min(best.get(f, 0.0) for f in g.features) for g in groups)
    unknown = sum(1 for o in options if o.cost is None)
    cost = sum(o.cost for o in options if o.cost is not None)
    return score, unknown, cost


_MAX_BUDGET_REPAIRS = 5


def _repair_budgets(model: _Model, groups: Sequence[Group], budgets: list[float | None]) -> bool:
    """Tighten the cap of every block whose chosen bundle costs more than it; tell whether any was.

    A solver accepts a binary at 0.999999, so a bundle a hair over its cap can pass as within it;
    the bundle's exact cost decides, and the model is solved again without it.
    """
    repaired = False
    for i, block in enumerate(model.blocks):
        cap = budgets[i]
        if cap is None:
            continue
        _, _, cost = exact_values(block, _chosen(model, i), groups)
        if cost > cap + _COST_ABSOLUTE_TOLERANCE + _COST_RELATIVE_TOLERANCE * abs(cap):
            budgets[i] = cap - (cost - cap) - _COST_ABSOLUTE_TOLERANCE
            repaired = True
    return repaired


def solve_blocks(
    blocks: Sequence[Block], groups: Sequence[Group], *, budget: float | Sequence[float | None] | None,
    floor: float | None, solver: str = "highs",
) -> dict[str, Choice]:
    """Choose each block's best bundle (lexicographic: qualify, score, unknown prices, cost, ties).

    `budget` caps every block's known cost, or is a sequence giving each block its own cap.
    """
    if not blocks:
        return {}
    import pulp

    engine = _make_solver(solver)
    budgets = list(budget) if isinstance(budget, Sequence) else [budget] * len(blocks)
    n = len(blocks)
    for _attempt in range(_MAX_BUDGET_REPAIRS + 1):
        model = _Model(blocks, groups, budgets, floor)
        # Stage 1: qualifying outweighs any score (a score never exceeds the sum of weights).
        model.solve(engine, model.sum(model.score + model.qualify, [1.0] * n + [m + 1.0 for m in model.max_score]),
                    pulp.LpMaximize)
        if not _repair_budgets(model, groups, budgets):
            break
    else:
        raise _solver_error("the solver kept choosing bundles over the budget by less than its tolerance")
    add = model.problem.addConstraint
    for i, block in enumerate(blocks):
        choice = _chosen(model, i)
        add(model.qualify[i] == (0 if choice.edition is None else 1))
        best, _, _ = exact_values(block, choice, groups)
        add(model.score[i] >= best - _SCORE_TOLERANCE * max(1.0, abs(best)))
    # Stage 2: fewer unknown-priced items outweigh any known cost, then the known cost.
    model.solve(engine, model.sum(model.unknown_count + model.known_cost, [c + 1.0 for c in model.max_cost] + [1.0] * n),
                pulp.LpMinimize)
    for i, block in enumerate(blocks):
        _, unknown, cost = exact_values(block, _chosen(model, i), groups)
        add(model.unknown_count[i] <= unknown)
        add(model.known_cost[i] <= cost + _COST_ABSOLUTE_TOLERANCE + _COST_RELATIVE_TOLERANCE * abs(cost))
    # Stage 3: a deterministic choice among equal bundles, whatever the solver's internals.
    model.solve(engine, model.sum(model.tie_break), pulp.LpMinimize)
    return {block.product: _chosen(model, i) for i, block in enumerate(blocks)}


def cheapest_compliant(
    blocks: Sequence[Block], groups: Sequence[Group], *, floor: float | None, solver: str = "highs"
) -> dict[str, Choice]:
    """For products the budget ruled out: the cheapest bundle meeting every must-have and floor, budget ignored."""
    if not blocks:
        return {}
    import pulp

    engine = _make_solver(solver)
    model = _Model(blocks, groups, [None] * len(blocks), floor)
    n = len(blocks)
    model.solve(engine, model.sum(model.qualify + model.known_cost, [c + 1.0 for c in model.max_cost] + [-1.0] * n),
                pulp.LpMaximize)
    return {block.product: _chosen(model, i) for i, block in enumerate(blocks)}


def choices_by_product(choices: Mapping[str, Choice]) -> list[Choice]:
    """Choices sorted by product id."""
    return [choices[k] for k in sorted(choices)]
