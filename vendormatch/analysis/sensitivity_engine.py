"""The engine of sensitivity: re-solving `shortlist()` with changed weights or budgets, and the
search along one objective's weight for a change of winner."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from vendormatch.analysis.sensitivity_results import (
    Direction,
    WeightChange,
)
from vendormatch.analysis.weight_bounds import Array, Bounds, BundleTerms, Ceiling, WeightModel, contenders
from vendormatch.files.catalog import Catalog
from vendormatch.files.models import Strategy
from vendormatch.match.matcher import MatchResult
from vendormatch.solve.results import Ranking, StrategySummary
from vendormatch.solve.shortlist import Location, pinned_decisions, scored_requirements, shortlist

#: How far each objective's weight is scaled, down and up, when looking for a change of winner.
WEIGHT_LIMITS = (0.05, 20.0)
#: The ratio between successive factors of the weights' grid.
GRID_RATIO = math.sqrt(2)
#: A weight's change of winner is located to this share of the objective's weight.
WEIGHT_PRECISION = 0.01




@dataclass(frozen=True)
class Engine:
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
        """The verified rankings of `shortlist()` for the strategy, over the engine's products or only those given.

        Sensitivity asks how sure the winner on confirmed facts is: a product that qualifies only if
        its vendor confirms something is never the winner here.
        """
        catalog = self.catalog
        if products is not None:
            catalog = replace(catalog, products={p: catalog.products[p] for p in sorted(products)})
        # closest=0: the searches ask only who ranks first; closest fits would cost solves for nothing.
        return tuple(r for r in shortlist(strategy, catalog, self.decisions, solver=self.solver, closest=0).rankings
                     if r.band == "verified")

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


def build_engine(strategy: Strategy, catalog: Catalog, decisions: MatchResult | None, *, budget: float | None,
                  solver: str, bounds: bool, locations: Mapping[str, Location] | None = None,
                  ) -> tuple[Engine, tuple[Ranking, ...], StrategySummary, float]:
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
                         solver=solver, closest=0).rankings
    requirements, _ = scored_requirements(capped, decisions)
    model = WeightModel.build(capped, requirements)
    verified = tuple(r for r in result.rankings if r.band == "verified")
    first = verified[0] if verified else None
    # Only verified products can win (see `Engine.solve`); the bounds reason about confirmed facts and
    # known prices, exactly what makes a product verified, so they hold.
    free = tuple(r for r in free if r.band == "verified")
    universe = tuple(sorted(r.product for r in free))
    engine = Engine(
        capped, catalog, decisions, solver, first.product if first else None, first.cost_known if first else None,
        universe, model, tuple(model.terms(catalog.products[r.product], r) for r in free),
        tuple(model.terms(catalog.products[r.product], r) for r in (*verified, *free)),
        {p: model.ceiling(catalog.products[p]) for p in universe}, bounds,
    )
    return engine, result.rankings, result.strategy, seconds


def weight_engine(engine: Engine) -> Engine:
    """The engine with only the products weights can make rank: much less to send to workers."""
    products = {p: engine.catalog.products[p] for p in engine.universe}
    return replace(engine, catalog=replace(engine.catalog, products=products))


# -- weights ---------------------------------------------------------------------------------


def grid(limit: float) -> list[float]:
    """Factors from 1 towards `limit` by GRID_RATIO, ending at `limit` itself."""
    step = GRID_RATIO if limit > 1 else 1 / GRID_RATIO
    factors = []
    factor = step
    while (factor < limit) if limit > 1 else (factor > limit):
        factors.append(factor)
        factor *= step
    return [*factors, limit]


def weight_change(engine: Engine, objective: str, direction: Direction) -> WeightChange:
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
    for factor in grid(limit):
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
    floor = engine.strategy.min_department_coverage
    # Say so when it is the floor, not the ranking, that the weight change moved.
    floor_decided = found is None and floor is not None and bool(
        engine.solve(engine.weighted({objective: outside}, floor=False), engine.universe))
    return WeightChange(direction=direction, changed=True, limit=limit, factor=round(outside, 6),
                        weight=round(weight * outside, 6), relative_change=round(outside - 1, 6), new_winner=found,
                        floor=floor if floor_decided else None)
