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
PuLP is imported here only, and only when a model is solved.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vendormatch.files.diagnostics import Diagnostic, VendormatchError
from vendormatch.solve.blocks import Block, Group

SOLVERS = ("highs", "cbc")
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


@contextlib.contextmanager
def _quiet_solver() -> Iterator[None]:
    """Keep whatever the solver's native code prints off our stdout and stderr.

    HiGHS prints a banner on its first solve even with msg=False, and some versions print debug
    lines from their MIP code; on file descriptors 1 and 2 they would corrupt JSON output and the
    diagnostics. Every solve's status is checked instead.
    """
    streams = []
    for stream in (sys.stdout, sys.stderr):
        try:
            streams.append((stream, stream.fileno()))
        except (AttributeError, OSError, ValueError):
            continue  # not a real file (captured by a test runner): nothing native can reach it
    saved: list[tuple[int, int]] = []
    try:
        with open(os.devnull, "w") as devnull:
            for stream, fd in streams:
                stream.flush()
                saved.append((fd, os.dup(fd)))
                os.dup2(devnull.fileno(), fd)
            yield
    finally:
        for (stream, _), (fd, copy) in zip(streams, saved, strict=False):
            stream.flush()
            os.dup2(copy, fd)
            os.close(copy)


def _make_solver(name: str) -> Any:
    import pulp

    if name == "highs":
        if not pulp.HiGHS().available():
            raise _solver_error("HiGHS is not available: install highspy (pip install highspy) or use --solver cbc")
        return pulp.HiGHS(msg=False, gapRel=0.0, gapAbs=0.0)
    if name == "cbc":
        bundled = getattr(pulp.PULP_CBC_CMD, "pulp_cbc_path", None)
        solver = pulp.COIN_CMD(path=bundled, msg=False, gapRel=0.0, gapAbs=0.0) if bundled and os.path.exists(bundled) \
            else pulp.COIN_CMD(msg=False, gapRel=0.0, gapAbs=0.0)
        if not solver.available():
            raise _solver_error("CBC is not available: install it (pip install 'pulp[cbc]') or use --solver highs")
        return solver
    raise _solver_error(f"unknown solver '{name}'; choose one of: {', '.join(SOLVERS)}")


@dataclass(frozen=True)
class Unit:
    """What one block of the model buys: one product, or a stack of several bought together.

    In a stack each requirement is served by whichever member serves it best (its level is the
    highest of the members' levels), costs add up, and with `integrate` every member's bundle must
    give `api-access` in full so that the products can exchange data.
    """

    members: tuple[Block, ...]
    integrate: bool = False
    integration_feature: str = "api-access"

    @property
    def id(self) -> str:
        """The unit's id: its products' ids joined by '+'."""
        return "+".join(m.product for m in self.members)


class _Model:
    """The combined model with, per unit, the expressions each stage needs."""

    def __init__(self, units: Sequence[Unit], groups: Sequence[Group], budgets: Sequence[float | None],
                 floor: float | None) -> None:
        import pulp

        self.pulp = pulp
        self.problem = pulp.LpProblem("vendormatch", pulp.LpMaximize)
        self.units = units
        self.edition_vars: list[list[list[Any]]] = []
        self.add_on_vars: list[list[list[Any]]] = []
        self.qualify: list[Any] = []
        self.score: list[Any] = []
        self.known_cost: list[Any] = []
        self.unknown_count: list[Any] = []
        self.tie_break: list[Any] = []
        self.max_score: list[float] = []
        self.max_cost: list[float] = []
        self._counter = 0
        for unit, budget in zip(units, budgets, strict=True):
            self._add_unit(unit, groups, budget, floor)

    def _var(self, cat: str, upper: float = 1.0) -> Any:
        self._counter += 1
        # Variables are named by index: PuLP sanitises names, so ids like acme-sso and acme_sso would collide.
        return self.problem.add_variable(f"v{self._counter}", lowBound=0, upBound=upper, cat=cat)

    def _expr(self, pairs: list[tuple[Any, float]]) -> Any:
        return self.pulp.LpAffineExpression(pairs)

    def _member(self, block: Block, q: Any) -> tuple[list[Any], list[Any], Any, frozenset[str]]:
        """One product's choice variables (exactly one edition when the unit qualifies), its coverage and
        the features any of its options gives."""
        add = self.problem.addConstraint
        x = [self._var("Binary") for _ in block.editions]
        y = [self._var("Binary") for _ in block.add_ons]
        add(self._expr([(v, 1.0) for v in x]) - q == 0)
        edition_index = {e.id: i for i, e in enumerate(block.editions)}
        for add_on, var in zip(block.add_ons, y, strict=True):
            add(self._expr([(var, 1.0)] + [(x[edition_index[e]], -1.0) for e in add_on.editions]) <= 0)
        cache: dict[str, Any | None] = {}

        def coverage(feature: str) -> Any | None:
            """An expression equal to the best level of `feature` in the chosen bundle (None: never offered)."""
            if feature not in cache:
                cache[feature] = self._coverage(block, x, y, feature)
            return cache[feature]

        offered = frozenset(f for option in (*block.editions, *block.add_ons) for f in option.levels)
        return x, y, coverage, offered

    def _coverage(self, block: Block, x: list[Any], y: list[Any], feature: str) -> Any | None:
        add = self.problem.addConstraint
        edition_pairs = [(x[i], e.levels[feature]) for i, e in enumerate(block.editions) if e.levels.get(feature)]
        add_on_sources = [(y[i], a.levels[feature]) for i, a in enumerate(block.add_ons) if a.levels.get(feature)]
        sources: list[list[tuple[Any, float]]] = ([edition_pairs] if edition_pairs else []) + [
            [pair] for pair in add_on_sources
        ]
        if not sources:
            return None
        if len(sources) == 1:
            return self._expr(sources[0])
        z = self._var("Continuous")
        if all(level == 1.0 for source in sources for _, level in source):
            # Every source gives it in full: the best level is min(1, sum of sources).
            add(z - self._expr([pair for source in sources for pair in source]) <= 0)
            return z
        # Partial levels: a max, not a sum (0.5 from the edition and 0.5 from an add-on is 0.5).
        # One source is picked; z is at most that source's level.
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
        return z

    def _level(self, terms: list[Any]) -> Any:
        """A variable at most every term: the lowest level over a requirement's features."""
        level = self._var("Continuous")
        for term in terms:
            self.problem.addConstraint(level - term <= 0)
        return level

    def _add_unit(self, unit: Unit, groups: Sequence[Group], budget: float | None, floor: float | None) -> None:
        add = self.problem.addConstraint
        q = self._var("Binary")
        self.qualify.append(q)
        members = [self._member(block, q) for block in unit.members]
        self.edition_vars.append([m[0] for m in members])
        self.add_on_vars.append([m[1] for m in members])
        if unit.integrate:
            for _, _, coverage, _ in members:
                api = coverage(unit.integration_feature)
                add((api - q >= 0) if api is not None else (self._expr([(q, 1.0)]) <= 0))

        score_pairs: list[tuple[Any, float]] = []
        department_pairs: dict[str, list[tuple[Any, float]]] = {}
        department_totals: dict[str, float] = {}
        for group in groups:
            for department, weight in group.department_weights.items():
                department_totals[department] = department_totals.get(department, 0.0) + weight
            levels = [
                self._level([coverage(f) for f in group.features])
                for _, _, coverage, offered in members
                if all(f in offered for f in group.features)
            ]
            if not levels:
                # A feature no option offers: this group's level is 0 here, and a must-have cannot be met.
                if group.must:
                    add(self._expr([(q, 1.0)]) <= 0)
                continue
            level = levels[0] if len(levels) == 1 else self._best_of(levels)
            if group.must:
                add(level - q >= 0)
            score_pairs.append((level, group.weight))
            for department, weight in group.department_weights.items():
                department_pairs.setdefault(department, []).append((level, weight))
        self.score.append(self._expr(score_pairs))
        self.max_score.append(sum(g.weight for g in groups))
        if floor:
            for department, total in sorted(department_totals.items()):
                if total > 0:
                    add(self._expr(department_pairs.get(department, [])) - floor * total * q >= 0)

        options = [
            (v, o)
            for block, (x, y, _, _) in zip(unit.members, members, strict=True)
            for v, o in [*zip(x, block.editions, strict=True), *zip(y, block.add_ons, strict=True)]
        ]
        known = self._expr([(v, o.cost) for v, o in options if o.cost])
        self.known_cost.append(known)
        self.max_cost.append(sum(o.cost for _, o in options if o.cost))
        self.unknown_count.append(self._expr([(v, 1.0) for v, o in options if o.cost is None]))
        if budget is not None:
            add(known <= budget)
        self.tie_break.append(self._tie_break(unit, members))

    def _best_of(self, levels: list[Any]) -> Any:
        """A variable at most the highest of several levels: one member is picked to serve."""
        add = self.problem.addConstraint
        best = self._var("Continuous")
        picks = [self._var("Binary") for _ in levels]
        add(self._expr([(p, 1.0) for p in picks]) == 1)
        for level, pick in zip(levels, picks, strict=True):
            # best <= level when this member is picked; levels never exceed 1, so 1 - pick relaxes it.
            add(best - level + pick <= 1)
        return best

    def _tie_break(self, unit: Unit, members: list[tuple[list[Any], list[Any], Any, frozenset[str]]]) -> Any:
        # Per member: edition rank dominates; then the number of add-ons; then, among sets of the same
        # size, the one whose sorted ids compare smallest (a smaller id outweighs all larger ones).
        # Members are ordered too: the first member's choice outweighs the second's.
        total: list[tuple[Any, float]] = []
        scale = 1.0
        for block, (x, y, _, _) in reversed(list(zip(unit.members, members, strict=True))):
            n = len(y)
            per_add_on = (n + 1) * 2**n
            edition_step = (n + 1) * per_add_on + 1
            pairs = [(var, float(rank * edition_step)) for rank, var in enumerate(x)]
            pairs += [(var, float(per_add_on + 2**n - 2 ** (n - 1 - rank))) for rank, var in enumerate(y)]
            total += [(var, coef * scale) for var, coef in pairs]
            scale *= len(block.editions) * edition_step + 1
        return self._expr(total)

    def solve(self, solver: Any, objective: Any, sense: int) -> None:
        pulp = self.pulp
        self.problem.sense = sense
        self.problem.setObjective(objective)
        status = self._run(solver)
        if not self._optimal(status) and isinstance(solver, pulp.HiGHS):
            # Every stage is feasible by construction (no unit need qualify, and each later stage admits
            # the earlier optimum), yet HiGHS's presolve has called such models infeasible: solve again
            # without it, then with the other solver.
            status = self._run(pulp.HiGHS(msg=False, gapRel=0.0, gapAbs=0.0, presolve="off"))
        if not self._optimal(status):
            status = self._run(_make_solver("cbc" if isinstance(solver, pulp.HiGHS) else "highs"))
        if not self._optimal(status):
            raise _solver_error(
                f"the solver stopped without proving an optimum (status: {pulp.LpStatus.get(status, status)}); "
                "no ranking is reported rather than a possibly wrong one"
            )

    def _run(self, solver: Any) -> int:
        with _quiet_solver():
            try:
                status: int = self.problem.solve(solver)
            except self.pulp.PulpSolverError:
                return int(self.pulp.LpStatusNotSolved)
        return status

    def _optimal(self, status: int) -> bool:
        pulp = self.pulp
        return status == pulp.LpStatusOptimal and self.problem.sol_status in (
            pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible,
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


UnitChoice = tuple[Choice, ...]


def _chosen(model: _Model, index: int) -> UnitChoice | None:
    unit = model.units[index]
    if model.value(model.qualify[index]) < 0.5:
        return None
    chosen: list[Choice] = []
    for m, block in enumerate(unit.members):
        editions = [e.id for e, v in zip(block.editions, model.edition_vars[index][m], strict=True)
                    if model.value(v) > 0.5]
        add_ons = tuple(a.id for a, v in zip(block.add_ons, model.add_on_vars[index][m], strict=True)
                        if model.value(v) > 0.5)
        if len(editions) != 1:
            raise _solver_error(f"the solver returned {len(editions)} editions for {block.product}")
        chosen.append(Choice(block.product, editions[0], tuple(sorted(add_ons))))
    return tuple(chosen)


def _member_best(block: Block, choice: Choice) -> tuple[dict[str, float], list[Any]]:
    options: list[Any] = [e for e in block.editions if e.id == choice.edition]
    options += [a for a in block.add_ons if a.id in choice.add_ons]
    best: dict[str, float] = {}
    for option in options:
        for feature, level in option.levels.items():
            best[feature] = max(best.get(feature, 0.0), level)
    return best, options


def exact_values(unit: Unit | Block, choice: UnitChoice | Choice | None, groups: Sequence[Group]) -> tuple[float, int, float]:
    """Score, unknown-priced items and known cost of a chosen bundle, from the data, not the solver's floats.

    Fixing a stage's optimum at the solver's value of an expression could exclude the very bundle it
    chose (a binary at 0.9999999 times a large cost); the bundle's exact values cannot.
    """
    members = unit.members if isinstance(unit, Unit) else (unit,)
    choices = (choice,) if isinstance(choice, Choice) else choice
    if not choices or any(c.edition is None for c in choices):
        return 0.0, 0, 0.0
    bests = []
    unknown, cost = 0, 0.0
    for block, member_choice in zip(members, choices, strict=True):
        best, options = _member_best(block, member_choice)
        bests.append(best)
        unknown += sum(1 for o in options if o.cost is None)
        cost += sum(o.cost for o in options if o.cost is not None)
    present = set().union(*bests)
    score = 0.0
    for g in groups:
        # Most groups name a feature this bundle lacks: skip them before the min-max.
        if g.features[0] in present and all(f in present for f in g.features):
            score += g.weight * max(min(b.get(f, 0.0) for f in g.features) for b in bests)
    return score, unknown, cost


_MAX_BUDGET_REPAIRS = 5


def _repair_budgets(model: _Model, groups: Sequence[Group], budgets: list[float | None]) -> bool:
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
        _, _, cost = exact_values(unit, _chosen(model, i), groups)
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
    import pulp

    engine = _make_solver(solver)
    budgets = list(budget) if isinstance(budget, Sequence) else [budget] * len(units)
    n = len(units)
    for _attempt in range(_MAX_BUDGET_REPAIRS + 1):
        model = _Model(units, groups, budgets, floor)
        # Stage 1: qualifying outweighs any score (a score never exceeds the sum of weights).
        model.solve(engine, model.sum(model.score + model.qualify, [1.0] * n + [m + 1.0 for m in model.max_score]),
                    pulp.LpMaximize)
        if not _repair_budgets(model, groups, budgets):
            break
    else:
        raise _solver_error("the solver kept choosing bundles over the budget by less than its tolerance")
    add = model.problem.addConstraint
    for i, unit in enumerate(units):
        choice = _chosen(model, i)
        add(model.qualify[i] == (0 if choice is None else 1))
        best, _, _ = exact_values(unit, choice, groups)
        add(model.score[i] >= best - _SCORE_TOLERANCE)
    # Stage 2: fewer unknown-priced items outweigh any known cost, then the known cost.
    model.solve(engine, model.sum(model.unknown_count + model.known_cost, [c + 1.0 for c in model.max_cost] + [1.0] * n),
                pulp.LpMinimize)
    for i, unit in enumerate(units):
        _, unknown, cost = exact_values(unit, _chosen(model, i), groups)
        add(model.unknown_count[i] <= unknown)
        add(model.known_cost[i] <= cost + _COST_ABSOLUTE_TOLERANCE + _COST_RELATIVE_TOLERANCE * abs(cost))
    # Stage 3: a deterministic choice among equal bundles, whatever the solver's internals.
    model.solve(engine, model.sum(model.tie_break), pulp.LpMinimize)
    return [_chosen(model, i) for i in range(n)]


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

    engine = _make_solver(solver)
    model = _Model(units, groups, [None] * len(units), floor)
    n = len(units)
    model.solve(engine, model.sum(model.qualify + model.known_cost, [c + 1.0 for c in model.max_cost] + [-1.0] * n),
                pulp.LpMaximize)
    add = model.problem.addConstraint
    for i, unit in enumerate(units):
        choice = _chosen(model, i)
        add(model.qualify[i] == (0 if choice is None else 1))
        _, _, cost = exact_values(unit, choice, groups)
        add(model.known_cost[i] <= cost + _COST_ABSOLUTE_TOLERANCE + _COST_RELATIVE_TOLERANCE * abs(cost))
    model.solve(engine, model.sum(model.unknown_count), pulp.LpMinimize)
    for i, unit in enumerate(units):
        _, unknown, _ = exact_values(unit, _chosen(model, i), groups)
        add(model.unknown_count[i] <= unknown)
    model.solve(engine, model.sum(model.tie_break), pulp.LpMinimize)
    return [_chosen(model, i) for i in range(n)]


def cheapest_compliant(
    blocks: Sequence[Block], groups: Sequence[Group], *, floor: float | None, solver: str = "highs"
) -> dict[str, Choice]:
    """For products the budget ruled out: the cheapest bundle meeting every must-have and floor, budget ignored."""
    results = cheapest_compliant_units([Unit((b,)) for b in blocks], groups, floor=floor, solver=solver)
    return _as_choices(blocks, results)


def choices_by_product(choices: Mapping[str, Choice]) -> list[Choice]:
    """Choices sorted by product id."""
    return [choices[k] for k in sorted(choices)]
