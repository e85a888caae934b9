"""`sensitivity()`: how far the objective weights and the budget can move before the winner changes,
and how often the winner stays first when every weight is a little off.

Every answer comes from re-solving `shortlist()`, never from a formula that would ignore must-haves,
budgets or department floors:

- weights: each objective's weight is scaled along a geometric grid (ratio sqrt 2) down to x0.05
  and up to x20; between the last grid point with the same winner and the first with another, a
  bisection narrows the change to 1% of the weight (`WEIGHT_PRECISION`);
- budget: an exact walk from bundle cost to bundle cost (see `budget_walk`), to a cent;
- robustness: `scenarios` draws of a uniform factor in [1-p, 1+p] for every objective weight, from
  `random.Random(seed)`: the share in which the winner stays first, and every product's wins.

Weights never change which products can qualify (must-haves, users and budget do not depend on
them), so weight solves only look at the products that rank without the department floor, and
`weight_bounds` skips the solves it can prove unnecessary. Independent searches and chunks of
scenarios run in worker processes; each result depends only on its own inputs, so any number of
workers gives the same answer. A small problem runs in this process: starting workers would cost
more than it saves.
"""

from __future__ import annotations

import itertools
import math
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from vendormatch.analysis.budget_walk import BUDGET_PRECISION, budget_change
from vendormatch.analysis.sensitivity_results import (
    BudgetChange,
    BudgetSensitivity,
    Direction,
    Leader,
    ObjectiveSensitivity,
    Robustness,
    Sensitivity,
    WeightChange,
    Win,
)
from vendormatch.analysis.weight_bounds import Array, Bounds, BundleTerms, Ceiling, WeightModel, contenders
from vendormatch.analysis.work_pool import Pending, task_runner
from vendormatch.files.catalog import Catalog
from vendormatch.files.diagnostics import Diagnostic, VendormatchError
from vendormatch.files.models import Strategy
from vendormatch.files.stances import ProductStances
from vendormatch.match.matcher import MatchResult
from vendormatch.solve.results import Ranking, StrategySummary
from vendormatch.solve.scoring import ScoredRequirement
from vendormatch.solve.shortlist import Location, pinned_decisions, scored_requirements, shortlist

#: How far each objective's weight is scaled, down and up, when looking for a change of winner.
WEIGHT_LIMITS = (0.05, 20.0)
#: The ratio between successive factors of the weights' grid.
GRID_RATIO = math.sqrt(2)
#: A weight's change of winner is located to this share of the objective's weight.
WEIGHT_PRECISION = 0.01
#: Worker processes are started only for work expected to take at least this long in one process:
#: each costs about a second to start (imports, and the catalogue sent to it).
POOL_MIN_SECONDS = 2.0

__all__ = [
    "BUDGET_PRECISION",
    "BudgetChange",
    "BudgetSensitivity",
    "Leader",
    "ObjectiveSensitivity",
    "Robustness",
    "Sensitivity",
    "WeightChange",
    "Win",
    "draw_scenarios",
    "robustness",
    "sensitivity",
]


# -- the engine: re-solving shortlist() with changed weights or budgets ----------------------


@dataclass(frozen=True)
class _Engine:
    """Everything a search needs; sent once to each worker process."""

    strategy: Strategy  # with the budget in force
    catalog: Catalog
    decisions: MatchResult
    solver: str
    winner: str | None
    winner_cost: float | None
    #: The products that rank without the department floor: those that can rank at some weights.
    universe: tuple[str, ...]
    model: WeightModel
    #: Each universe product's best bundle without the floor at the strategy's own weights.
    free: tuple[BundleTerms, ...]
    #: Every bundle the baseline solves found.
    known: tuple[BundleTerms, ...]
    #: Each universe product's ceiling: what no bundle of it can exceed.
    ceilings: dict[str, Ceiling]
    use_bounds: bool

    def solve(self, strategy: Strategy, products: Sequence[str] | None = None) -> tuple[Ranking, ...]:
        """Rankings of `shortlist()` for the strategy, over the engine's products or only those given."""
        catalog = self.catalog
        if products is not None:
            catalog = replace(catalog, products={p: catalog.products[p] for p in sorted(products)})
        return shortlist(strategy, catalog, self.decisions, solver=self.solver).rankings

    def weighted(self, multipliers: Mapping[str, float], *, floor: bool = True) -> Strategy:
        """The strategy with each named objective's weight multiplied (and maybe without the floor)."""
        objectives = {
            o: objective.model_copy(update={"weight": objective.weight * multipliers[o]}) if o in multipliers else objective
            for o, objective in self.strategy.objectives.items()
        }
        update: dict[str, object] = {"objectives": objectives}
        if not floor:
            update["min_department_coverage"] = None
        return self.strategy.model_copy(update=update)

    def anchor(self, multipliers: Mapping[str, float], products: Sequence[str]) -> tuple[BundleTerms, ...]:
        """Each product's best bundle without the floor at these multipliers, in weight space."""
        if not products:
            return ()
        rankings = self.solve(self.weighted(multipliers, floor=False), products)
        return tuple(self.model.terms(self.catalog.products[r.product], r) for r in rankings)

    def running(self, points: Sequence[Array]) -> tuple[str, ...]:
        """The products whose ceilings do not rule them out anywhere between these points."""
        running = contenders(self.model, self.ceilings, self.known, points)
        # One product alone needs no solve: its ceiling bounds it, and no other can beat it.
        return running if len(running) > 1 else ()

    def winner_at(self, multipliers: Mapping[str, float], bounds: Bounds | None = None,
                  pi: Array | None = None) -> str | None:
        """The winner with these weight multipliers; `bounds` (with the anchors' weights `pi`) spare solves."""
        if not self.universe:
            return None
        products: Sequence[str] = self.universe
        if bounds is not None and pi is not None:
            decided = bounds.decide(self.model.point(multipliers), pi)
            if isinstance(decided, str):
                return decided
            if not decided:
                return None  # no product can meet the floor at these weights
            products = decided
        rankings = self.solve(self.weighted(multipliers), products)
        return rankings[0].product if rankings else None

    def at_budget(self, budget: float | None, products: Sequence[str] | None = None) -> tuple[Ranking, ...]:
        """The rankings at another budget (None: no budget), over the engine's products or only those given."""
        return self.solve(self.strategy.model_copy(update={"budget": budget}), products)


def _build_engine(strategy: Strategy, catalog: Catalog, decisions: MatchResult | None, *, budget: float | None,
                  solver: str, bounds: bool, locations: Mapping[str, Location] | None = None,
                  ) -> tuple[_Engine, tuple[Ranking, ...], StrategySummary, float]:
    """The engine, the baseline rankings, the strategy's summary and the seconds one solve took."""
    decisions = decisions if decisions is not None else pinned_decisions(strategy)
    cap = budget if budget is not None else strategy.budget
    capped = strategy.model_copy(update={"budget": cap})
    started = time.perf_counter()
    result = shortlist(capped, catalog, decisions, solver=solver, locations=locations)
    seconds = time.perf_counter() - started
    free = result.rankings
    if capped.min_department_coverage is not None:
        free = shortlist(capped.model_copy(update={"min_department_coverage": None}), catalog, decisions,
                         solver=solver).rankings
    requirements, _ = scored_requirements(capped, decisions)
    model = WeightModel.build(capped, requirements)
    first = result.rankings[0] if result.rankings else None
    universe = tuple(sorted(r.product for r in free))
    engine = _Engine(
        capped, catalog, decisions, solver, first.product if first else None, first.cost_known if first else None,
        universe, model, tuple(model.terms(catalog.products[r.product], r) for r in free),
        tuple(model.terms(catalog.products[r.product], r) for r in (*result.rankings, *free)),
        {p: model.ceiling(catalog.products[p]) for p in universe},
        # The bounds reason about confirmed facts and known prices alone. Where a product could rank
        # "if confirmed" at some weights (it has unknown features the requirements need, or unknown
        # prices under a budget), every scenario is solved instead.
        bounds and not _any_unknowns(catalog, universe, requirements, priced=cap is not None),
    )
    return engine, result.rankings, result.strategy, seconds


def _any_unknowns(catalog: Catalog, products: Sequence[str], requirements: Sequence[ScoredRequirement], *,
                  priced: bool) -> bool:
    """Whether some product's unknowns (needed features, or prices under a budget) could decide its band."""
    needed = {f for r in requirements for f in r.features}
    for product_id in products:
        product = catalog.products[product_id]
        stances = ProductStances(product)
        for edition_id, edition in product.editions.items():
            if stances.unknown_in(edition_id, needed) or (priced and edition.price is None):
                return True
        if priced and any(a.price is None for a in product.add_ons.values()):
            return True
    return False


def _weight_engine(engine: _Engine) -> _Engine:
    """The engine with only the products weights can make rank: much less to send to workers."""
    products = {p: engine.catalog.products[p] for p in engine.universe}
    return replace(engine, catalog=replace(engine.catalog, products=products))


# -- weights ---------------------------------------------------------------------------------


def _grid(limit: float) -> list[float]:
    """Factors from 1 towards `limit` by GRID_RATIO, ending at `limit` itself."""
    step = GRID_RATIO if limit > 1 else 1 / GRID_RATIO
    factors = []
    factor = step
    while (factor < limit) if limit > 1 else (factor > limit):
        factors.append(factor)
        factor *= step
    return [*factors, limit]


def _weight_change(engine: _Engine, objective: str, direction: Direction) -> WeightChange:
    """Scan the grid for another winner, then bisect to WEIGHT_PRECISION of the weight."""
    limit = WEIGHT_LIMITS[0] if direction == "down" else WEIGHT_LIMITS[1]
    if objective not in engine.model.objectives:
        return WeightChange(direction=direction, changed=False, limit=limit)
    bounds: Bounds | None = None
    if engine.use_bounds and engine.universe:
        ends = [engine.model.point({}), engine.model.point({objective: limit})]
        anchors = [(ends[0], engine.free), (ends[1], engine.anchor({objective: limit}, engine.running(ends)))]
        bounds = Bounds.build(engine.model, engine.ceilings, anchors, engine.known)

    def winner(factor: float) -> str | None:
        share = (factor - 1) / (limit - 1)
        return engine.winner_at({objective: factor}, bounds, np.array([1 - share, share]))

    same = engine.winner
    inside, outside, found = 1.0, limit, same
    for factor in _grid(limit):
        found = winner(factor)
        if found != same:
            outside = factor
            break
        inside = factor
    if found == same:
        return WeightChange(direction=direction, changed=False, limit=limit)
    while abs(outside - inside) > WEIGHT_PRECISION:
        middle = (inside + outside) / 2
        now = winner(middle)
        if now == same:
            inside = middle
        else:
            outside, found = middle, now
    weight = engine.strategy.objectives[objective].weight
    return WeightChange(direction=direction, changed=True, limit=limit, factor=round(outside, 6),
                        weight=round(weight * outside, 6), relative_change=round(outside - 1, 6), new_winner=found)


# -- robustness ------------------------------------------------------------------------------


def draw_scenarios(strategy: Strategy, scenarios: int, perturbation: float, seed: int) -> list[dict[str, float]]:
    """Each scenario's weight multipliers: one uniform draw in [1-p, 1+p] per objective, in id order."""
    rng = random.Random(seed)
    names = sorted(strategy.objectives)
    return [{o: rng.uniform(1 - perturbation, 1 + perturbation) for o in names} for _ in range(scenarios)]


@dataclass(frozen=True)
class _Box:
    """The corners of the perturbation box, as anchors: a scenario's point is their multilinear mean."""

    objectives: tuple[str, ...]
    perturbation: float

    def _bits(self) -> list[tuple[int, ...]]:
        return list(itertools.product((0, 1), repeat=len(self.objectives)))

    def corners(self) -> list[dict[str, float]]:
        """Every corner's multipliers, in a fixed order."""
        p = self.perturbation
        return [dict(zip(self.objectives, (1 + p if bit else 1 - p for bit in bits), strict=True)) for bits in self._bits()]

    def weights(self, multipliers: Mapping[str, float]) -> Array:
        """The corners' convex weights whose mean is the scenario's point."""
        p = self.perturbation
        share = np.array([(multipliers[o] - (1 - p)) / (2 * p) for o in self.objectives])
        bits = np.array(self._bits(), dtype=bool).reshape(-1, len(self.objectives))
        weights: Array = np.prod(np.where(bits, share, 1 - share), axis=1)
        return weights


def _use_box(engine: _Engine, scenarios: int) -> bool:
    """Corner solves pay off when there are far fewer corners than scenarios."""
    return engine.use_bounds and bool(engine.universe) and 4 * 2 ** len(engine.model.objectives) <= scenarios


def _scenario_winners(engine: _Engine, bounds: Bounds | None, box: _Box | None,
                      chunk: Sequence[dict[str, float]]) -> list[str | None]:
    if bounds is None or box is None:
        return [engine.winner_at(multipliers) for multipliers in chunk]
    return [engine.winner_at(multipliers, bounds, box.weights(multipliers)) for multipliers in chunk]


def _summarise(winners: Sequence[str | None], winner: str | None, perturbation: float, seed: int) -> Robustness:
    counts = Counter(winners)
    total = len(winners)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    return Robustness(
        scenarios=total, perturbation=perturbation, seed=seed, winner=winner,
        winner_share=round(counts.get(winner, 0) / total, 6) if total else 1.0,
        wins=tuple(Win(product=p, scenarios=n, share=round(n / total, 6)) for p, n in ordered),
    )


# -- tasks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _WeightTask:
    objective: str
    direction: Direction


@dataclass(frozen=True)
class _AnchorTask:
    multipliers: dict[str, float]
    products: tuple[str, ...]


@dataclass(frozen=True)
class _ScenarioTask:
    bounds: Bounds | None
    box: _Box | None
    chunk: tuple[dict[str, float], ...]


_Task = _WeightTask | _AnchorTask | _ScenarioTask
_Submit = Callable[[_Task], Pending[object]]


def _perform(engine: _Engine, task: _Task) -> object:
    """Run one task (in a worker process, or in this one)."""
    match task:
        case _WeightTask(objective, direction):
            return _weight_change(engine, objective, direction)
        case _AnchorTask(multipliers, products):
            return engine.anchor(multipliers, products)
        case _ScenarioTask(bounds, box, chunk):
            return _scenario_winners(engine, bounds, box, chunk)
    raise TypeError(f"unknown task {task!r}")


def _chunks(items: Sequence[dict[str, float]], workers: int) -> list[tuple[dict[str, float], ...]]:
    size = max(1, math.ceil(len(items) / (4 * workers)))
    return [tuple(items[i:i + size]) for i in range(0, len(items), size)]


def _submit_robustness(engine: _Engine, submit: _Submit, scenarios: Sequence[dict[str, float]], perturbation: float,
                       workers: int) -> Callable[[], list[str | None]]:
    """Submit the robustness work; return a function that waits for the winners, in scenario order."""
    if perturbation == 0 or not engine.model.objectives or not engine.universe:
        return lambda: [engine.winner] * len(scenarios)  # nothing that matters moves
    box = _Box(engine.model.objectives, perturbation) if _use_box(engine, len(scenarios)) else None
    corners = box.corners() if box is not None else []
    running = engine.running([engine.model.point(corner) for corner in corners])
    anchors = [(corner, submit(_AnchorTask(corner, running))) for corner in corners]

    def winners() -> list[str | None]:
        bounds = None
        if box is not None:
            solved = [(engine.model.point(corner), _value(pending, tuple)) for corner, pending in anchors]
            bounds = Bounds.build(engine.model, engine.ceilings, solved, engine.known)
        chunks = [submit(_ScenarioTask(bounds, box, chunk)) for chunk in _chunks(scenarios, workers)]
        return [winner for chunk in chunks for winner in _value(chunk, list)]

    return winners


def _value(pending: Pending[object], kind: type[object]) -> Any:
    value = pending.result()
    assert isinstance(value, kind), value
    return value


def _expected_seconds(engine: _Engine, seconds: float, scenarios: int, perturbation: float, sweeps: bool) -> float:
    """A rough estimate of the solving the worker processes would share, from one solve's time.

    Solves take time in proportion to their products, and the bounds tell in advance which
    products the anchor solves need; solves of single scenarios that the bounds leave open are not
    counted (when the bounds are on, they are few).
    """
    per_product = seconds / max(1, len(engine.universe))
    products = 0
    if perturbation > 0 and engine.model.objectives and engine.universe:
        if _use_box(engine, scenarios):
            corners = _Box(engine.model.objectives, perturbation).corners()
            products += len(corners) * len(engine.running([engine.model.point(c) for c in corners]))
        else:
            products += scenarios * len(engine.universe)
    if sweeps and engine.use_bounds:
        one = engine.model.point({})
        products += sum(len(engine.running([one, engine.model.point({o: limit})]))
                        for o in engine.model.objectives for limit in WEIGHT_LIMITS)
    elif sweeps:
        products += 2 * len(engine.model.objectives) * 20 * len(engine.universe)
    return products * per_product


def _workers(requested: int | None, expected_seconds: float) -> int:
    count = requested if requested is not None else (os.cpu_count() or 1)
    return count if count > 1 and expected_seconds >= POOL_MIN_SECONDS else 1


def _check(perturbation: float, scenarios: int, workers: int | None, leaders: int = 0) -> None:
    problems = []
    if not 0 <= perturbation < 1:
        problems.append(f"the perturbation must be at least 0 and below 1 (weights stay positive), got {perturbation}")
    if scenarios < 0:
        problems.append(f"the number of scenarios cannot be negative, got {scenarios}")
    if workers is not None and workers < 1:
        problems.append(f"workers must be at least 1, got {workers}")
    if leaders < 0:
        problems.append(f"the number of leaders cannot be negative, got {leaders}")
    if problems:
        raise VendormatchError([Diagnostic("<options>", 0, 0, "error", "bad-option", p) for p in problems])


# -- the public functions --------------------------------------------------------------------


def robustness(
    strategy: Strategy,
    catalog: Catalog,
    decisions: MatchResult | None = None,
    *,
    budget: float | None = None,
    solver: str = "highs",
    perturbation: float = 0.2,
    scenarios: int = 1000,
    seed: int = 0,
    workers: int | None = None,
    bounds: bool = True,
) -> Robustness:
    """How often the winner stays first when every objective weight is scaled by a random factor in [1-p, 1+p].

    Reproducible for a seed, and the same for any number of `workers` (default: every core).
    `bounds=False` solves every scenario instead of skipping those it can prove (same result, slower).
    """
    _check(perturbation, scenarios, workers)
    engine, _, _, seconds = _build_engine(strategy, catalog, decisions, budget=budget, solver=solver, bounds=bounds)
    engine = _weight_engine(engine)
    drawn = draw_scenarios(engine.strategy, scenarios, perturbation, seed)
    count = _workers(workers, _expected_seconds(engine, seconds, scenarios, perturbation, sweeps=False))
    with task_runner(engine, _perform, count) as submit:
        winners = _submit_robustness(engine, submit, drawn, perturbation, count)()
    return _summarise(winners, engine.winner, perturbation, seed)


def sensitivity(
    strategy: Strategy,
    catalog: Catalog,
    decisions: MatchResult | None = None,
    *,
    budget: float | None = None,
    solver: str = "highs",
    leaders: int = 3,
    perturbation: float = 0.2,
    scenarios: int = 1000,
    seed: int = 0,
    workers: int | None = None,
    bounds: bool = True,
    locations: Mapping[str, Location] | None = None,
) -> Sensitivity:
    """The winner, the `leaders` best products, and the changes of weights and budget that change the winner.

    `decisions` settle each requirement's features and `locations` place errors as for `shortlist()`;
    `budget` overrides the strategy's. The searches and their precision are described in this module's documentation.
    Raises VendormatchError as `shortlist()` does, or for a perturbation outside [0, 1).
    """
    _check(perturbation, scenarios, workers, leaders)
    engine, baseline, summary, seconds = _build_engine(strategy, catalog, decisions, budget=budget, solver=solver,
                                                       bounds=bounds, locations=locations)
    weights = _weight_engine(engine)
    drawn = draw_scenarios(engine.strategy, scenarios, perturbation, seed)
    names = sorted(engine.strategy.objectives)
    count = _workers(workers, _expected_seconds(engine, seconds, scenarios, perturbation, sweeps=True))
    with task_runner(weights, _perform, count) as submit:
        robust = _submit_robustness(weights, submit, drawn, perturbation, count)
        pending = {(o, d): submit(_WeightTask(o, d)) for o in names for d in ("down", "up")}
        # Budgets change which products qualify, so these solves need the whole catalogue: they run
        # here while the workers get on with the rest.
        down = budget_change(engine.at_budget, baseline, engine.strategy.budget, "down")
        up = budget_change(engine.at_budget, baseline, engine.strategy.budget, "up")
        winners = robust()
        changes = {key: _value(p, WeightChange) for key, p in pending.items()}
    assert down is not None
    objectives = tuple(
        ObjectiveSensitivity(
            objective=o, weight=engine.strategy.objectives[o].weight, counted=o in engine.model.objectives,
            precision=round(WEIGHT_PRECISION * engine.strategy.objectives[o].weight, 6),
            down=changes[(o, "down")], up=changes[(o, "up")],
        )
        for o in names
    )
    return Sensitivity(
        strategy=summary, solver=solver, winner=engine.winner,
        leaders=tuple(
            Leader(rank=r.rank, product=r.product, vendor=r.vendor, edition=r.edition, add_ons=r.add_ons,
                   score=r.score, cost_total=r.cost_total, cost_known=r.cost_known)
            for r in baseline[:leaders]
        ),
        objectives=objectives,
        budget=BudgetSensitivity(budget=engine.strategy.budget, winner_cost=engine.winner_cost,
                                 precision=BUDGET_PRECISION, down=down, up=up),
        robustness=_summarise(winners, engine.winner, perturbation, seed),
    )
