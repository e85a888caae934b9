"""The combined PuLP model: per unit, one edition per product, any compatible add-ons, and the
expressions each lexicographic stage needs (qualify, score, unknown prices, known cost, tie-break)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vendormatch.solve.blocks import Block, Group
from vendormatch.solve.solvers import make_solver, quiet_solver, solver_error
from vendormatch.solve.units import Choice, Unit, UnitChoice


class Model:
    """The combined model with, per unit, the expressions each stage needs."""

    def __init__(self, units: Sequence[Unit], groups: Sequence[Group], budgets: Sequence[float | None],
                 floor: float | None) -> None:
        self._setup(units)
        for unit, budget in zip(units, budgets, strict=True):
            self._add_unit(unit, groups, budget, floor)

    def _setup(self, units: Sequence[Unit]) -> None:
        """An empty problem with the helpers' state (also the start of `stack_model.StackModel`)."""
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

    def _var(self, cat: str, upper: float = 1.0) -> Any:
        self._counter += 1
        # Variables are named by index: PuLP sanitises names, so ids like acme-sso and acme_sso would collide.
        return self.problem.add_variable(f"v{self._counter}", lowBound=0, upBound=upper, cat=cat)

    def _expr(self, pairs: list[tuple[Any, float]]) -> Any:
        # PuLP keeps only the last pair of a variable: coefficients are summed first.
        merged: dict[Any, float] = {}
        for var, coefficient in pairs:
            merged[var] = merged.get(var, 0.0) + coefficient
        return self.pulp.LpAffineExpression(list(merged.items()))

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
        if len(unit.members) != 1:
            raise ValueError("the combined model buys one product per unit; stacks go to stack_model")
        add = self.problem.addConstraint
        q = self._var("Binary")
        self.qualify.append(q)
        members = [self._member(block, q) for block in unit.members]
        self.edition_vars.append([m[0] for m in members])
        self.add_on_vars.append([m[1] for m in members])

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
            (level,) = levels
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
        # A member's fixed cost (the strategy's estimates) comes with whichever edition it is bought as.
        # A member's fixed cost (the strategy's estimates) comes with whichever edition it is bought as.
        fixed = [(v, block.fixed) for block, (x, _, _, _) in zip(unit.members, members, strict=True) if block.fixed
                 for v in x]
        known = self._expr([(v, o.cost) for v, o in options if o.cost] + fixed)
        self.known_cost.append(known)
        self.max_cost.append(sum(o.cost for _, o in options if o.cost) + sum(b.fixed for b in unit.members))
        self.unknown_count.append(self._expr([(v, 1.0) for v, o in options if o.cost is None]))
        if budget is not None:
            add(known <= budget)
        self.tie_break.append(self._tie_break(unit, members))

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
        status = self.run(solver)
        if not self.optimal(status) and isinstance(solver, pulp.HiGHS):
            # Every stage is feasible by construction (no unit need qualify, and each later stage admits
            # the earlier optimum), yet HiGHS's presolve has called such models infeasible: solve again
            # without it, then with the other solver.
            status = self.run(pulp.HiGHS(msg=False, gapRel=0.0, gapAbs=0.0, presolve="off"))
        if not self.optimal(status):
            status = self.run(make_solver("cbc" if isinstance(solver, pulp.HiGHS) else "highs"))
        if not self.optimal(status):
            raise solver_error(
                f"the solver stopped without proving an optimum (status: {pulp.LpStatus.get(status, status)}); "
                "no ranking is reported rather than a possibly wrong one"
            )

    def run(self, solver: Any) -> int:
        with quiet_solver():
            try:
                status: int = self.problem.solve(solver)
            except (self.pulp.PulpSolverError, IndexError, ValueError, ArithmeticError):
                # PuLP's HiGHS bridge fails reading a solution the solver did not finish (an IndexError):
                # treated as no answer, so that the other solver, or a clear error, follows.
                return int(self.pulp.LpStatusNotSolved)
        return status

    def optimal(self, status: int) -> bool:
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


def chosen(model: Model, index: int) -> UnitChoice | None:
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
            raise solver_error(f"the solver returned {len(editions)} editions for {block.product}")
        chosen.append(Choice(block.product, editions[0], tuple(sorted(add_ons))))
    return tuple(chosen)
