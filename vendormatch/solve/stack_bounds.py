"""Upper bounds on what a stack can score, cheap enough to compute for every pair and, lazily, every three.

A stack's score is, for each group of requirements and each of its departments, the level of the best
member licensed for that department. Whatever the licences and bundles, no member can give a group more
than the best level its options give each of the group's features while seating that department; so
summing, per group and department, the best such level over the members bounds the score from above.
The bound is the weighted coverage of a maximum, hence submodular: adding a third product to a pair
gains at most what it gains beside either member alone, which bounds every three before it is looked
at.

Under a budget the bound is refined per stack. A member's level in a column needs, for each feature
of the group, an option giving it that high while seating the department (a ladder of levels and
their least costs); the bound tries every way of sharing the budget among the members (each spending
where one of its levels steps up) and keeps the best that fits. Every member costs at least its
cheapest edition, with the integration feature when a partner has no connector to it, and every
department must be licensed somewhere: a stack whose least cost is over the budget, or whose bound
misses a must-have or the department floor, is ruled out before any solve.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from vendormatch.solve.licensing import OptionCosts
from vendormatch.solve.stack_model import Candidate, StackSpec, department_weights

#: Slack for sums taken in another order than the exact score's.
BOUND_SLACK = 1e-9
#: The most (ways of sharing the budget among a stack's members) x columns a bound lists.
_MAX_SHARES = 2_000_000

FloatArray = NDArray[np.float64]


def _cheapest(costs: OptionCosts | None) -> float:
    """The least an option costs for any set of departments: 0 when its price is unknown (no bound),
    infinite when it cannot seat any."""
    if costs is None:
        return 0.0
    known = [c for c in costs.costs if c is not None]
    return min(known) if known else math.inf


def _for_department(costs: OptionCosts | None, holding: Sequence[int]) -> float:
    """The least an option costs licensed for a department (`holding`: the patterns that hold it):
    infinite when it cannot seat that department."""
    if costs is None:
        return 0.0
    known = [cost for k in holding if (cost := costs.costs[k]) is not None]
    return min(known, default=math.inf)


@dataclass(frozen=True)
class _Ladder:
    """For one product, group and department: each level it can reach, with the least a bundle reaching
    it costs."""

    steps: tuple[tuple[float, float], ...]  # (level, least cost), highest level first

    def best_within(self, money: float) -> float:
        return next((level for level, cost in self.steps if cost <= money + BOUND_SLACK), 0.0)


def _ladder(candidate: Candidate, features: Sequence[str], holding: Sequence[int]) -> _Ladder:
    block = candidate.block
    edition_costs = [_for_department(c, holding) for c in candidate.editions]
    add_on_costs = [_for_department(c, holding) for c in candidate.add_ons]
    base = min(edition_costs, default=math.inf)
    wanted = sorted({o.levels.get(f, 0.0) for o in (*block.editions, *block.add_ons) for f in features} - {0.0},
                    reverse=True)
    steps = []
    for level in wanted:
        # Each feature needs an option giving it at least this level: an edition, or an add-on beside the
        # cheapest edition. The dearest feature's way is a lower bound on the bundle.
        cost = base
        for f in features:
            ways = [c for e, c in zip(block.editions, edition_costs, strict=True) if e.levels.get(f, 0.0) >= level]
            ways += [base + c for a, c in zip(block.add_ons, add_on_costs, strict=True) if a.levels.get(f, 0.0) >= level]
            cost = max(cost, min(ways, default=math.inf))
        if cost < math.inf:
            steps.append((level, cost + block.fixed))
    return _Ladder(tuple(steps))


@dataclass(frozen=True)
class StackBounds:
    """Per candidate (rows, in the candidates' order) and column (a group and one of its departments) the
    bounds the search needs."""

    levels: FloatArray  # the best level each candidate can give each column, licensed for its department
    weights: FloatArray  # each column's weight
    column_departments: NDArray[np.int64]  # each column's department (index into the spec's departments)
    department_totals: FloatArray  # each department's total weight
    musts: NDArray[np.bool_]  # columns of must-haves
    least_cost: FloatArray  # the least each candidate costs (cheapest edition for any departments, estimates)
    base_cost: FloatArray  # the part of that which does not depend on the departments licensed
    seat_cost: FloatArray  # candidates x departments: the least licensing one more department costs
    ladders: tuple[tuple[_Ladder, ...], ...]  # per candidate, per column
    integrable: NDArray[np.bool_]  # candidates x candidates: a native connector, or the feature on both
    linked: NDArray[np.bool_]  # candidates x candidates: a native connector
    api_cost: FloatArray  # the least a bundle giving the integration feature in full costs (estimates included)
    alone: FloatArray  # each candidate's verified score alone (-1: none)
    budget: float | None
    floor: float | None

    def least(self, members: Sequence[int]) -> FloatArray:
        """The least each member costs in this stack: with the integration feature when a partner has no
        native connector to it."""
        rows = list(members)
        needs = ~self.linked[np.ix_(rows, rows)] & ~np.eye(len(rows), dtype=bool)
        return np.where(needs.any(axis=1), np.maximum(self.least_cost[rows], self.api_cost[rows]), self.least_cost[rows])

    def cost(self, members: Sequence[int]) -> float:
        """The least the stack costs: each member at its least, or each member's fixed part and every
        department licensed on one member at least, at the cheapest member's price for it."""
        rows = list(members)
        seats = float(self.seat_cost[rows].min(axis=0).sum()) if self.seat_cost.shape[1] else 0.0
        return max(float(self.least(rows).sum()), float(self.base_cost[rows].sum()) + seats)

    def score(self, members: Sequence[int]) -> float:
        """The bound without the budget: each column at its best member's best level."""
        return float(self.levels[list(members)].max(axis=0) @ self.weights)

    def _spending(self, member: int, own: float, most: float) -> tuple[FloatArray, FloatArray]:
        """What a member could spend (from its least, `own`, to `most`: where the level it can reach in a
        column steps up) and, for each, the level it then reaches in every column."""
        steps = sorted({own} | {c for ladder in self.ladders[member] for _, c in ladder.steps
                                if own < c <= most * (1.0 + BOUND_SLACK) + BOUND_SLACK})
        reach = np.array([[ladder.best_within(t) for ladder in self.ladders[member]] for t in steps])
        return np.array(steps), np.minimum(reach.reshape(len(steps), -1), self.levels[member])

    def _within_budget(self, rows: list[int]) -> FloatArray:
        """The best level of each column for each way of sharing the budget among the members that fits it
        (one row per way): a member's levels need the dearest of its columns' ladders, all paid at once."""
        assert self.budget is not None
        least = self.least(rows)
        spare = self.budget - float(least.sum())
        tables = [self._spending(i, float(own), spare + float(own)) for i, own in zip(rows, least, strict=True)]
        if math.prod(len(t) for t, _ in tables) * self.levels.shape[1] > _MAX_SHARES:
            # Too many ways to list: each member is given the whole of what the others leave it.
            whole: FloatArray = np.stack([reach[-1] for _, reach in tables]).max(axis=0)[None, :]
            return whole
        spend = np.zeros(1)
        best = np.zeros((1, self.levels.shape[1]))
        for steps, reach in tables:
            spend = (spend[:, None] + steps[None, :]).reshape(-1)
            best = np.maximum(best[:, None, :], reach[None, :, :]).reshape(len(spend), -1)
        fits = spend <= self.budget * (1.0 + BOUND_SLACK) + BOUND_SLACK
        shares: FloatArray = best[fits]
        return shares

    def refined(self, members: Sequence[int]) -> float | None:
        """The bound with the budget, the must-haves and the floor: None when no bundle of these members
        can meet them."""
        rows = list(members)
        if self.budget is None:
            best = self.levels[rows].max(axis=0)[None, :]
        else:
            if self.cost(rows) > self.budget * (1.0 + BOUND_SLACK) + BOUND_SLACK:
                return None
            best = self._within_budget(rows)
        keep = ~np.any(best[:, self.musts] < 1.0 - BOUND_SLACK, axis=1)
        if self.floor:
            for d, total in enumerate(self.department_totals):
                reached = best[:, self.column_departments == d] @ self.weights[self.column_departments == d]
                keep &= reached + BOUND_SLACK >= self.floor * total
        if not bool(keep.any()):
            return None
        return float((best[keep] @ self.weights).max())


def _parts(candidate: Candidate, departments: Sequence[str]) -> tuple[float, list[float]]:
    """A lower bound on the candidate's cost as a fixed part plus a part per department licensed: exact
    for an edition priced linearly in the departments, the edition's cheapest cost as the fixed part for
    any other (costs never fall as departments are added)."""
    bases: list[float] = []
    seats: list[list[float]] = []
    for costs in candidate.editions:
        linear = costs.linear if costs is not None and costs.constant is None else None
        if linear is not None and all(v >= 0 for v in linear[1].values()):
            bases.append(linear[0])
            seats.append([linear[1].get(d, 0.0) for d in departments])
        else:
            bases.append(_cheapest(costs))
            seats.append([0.0] * len(departments))
    if not bases:
        return math.inf, [0.0] * len(departments)
    return min(bases) + candidate.block.fixed, [min(column) for column in zip(*seats, strict=True)]


def stack_bounds(candidates: Sequence[Candidate], spec: StackSpec) -> StackBounds:
    """The bounds of every candidate for the spec's groups and departments."""
    departments = list(spec.departments)
    columns = [(g, departments.index(d), w) for g in spec.groups for d, w in sorted(g.department_weights.items())
               if d in departments]
    holding = [[k for k, pattern in enumerate(spec.patterns) if d in pattern] for d in departments]
    levels = np.zeros((len(candidates), len(columns)))
    ladders = []
    for i, candidate in enumerate(candidates):
        row = []
        for k, (group, d, _) in enumerate(columns):
            ladder = _ladder(candidate, group.features, holding[d]) if _offered(candidate, group.features) \
                else _Ladder(())
            levels[i, k] = ladder.steps[0][0] if ladder.steps else 0.0
            row.append(ladder)
        ladders.append(tuple(row))
    feature = spec.integration_feature
    api = np.array([levels_of_feature(c, feature) >= 1.0 for c in candidates], dtype=bool)
    ids = [c.product for c in candidates]
    linked = np.array([[frozenset({a, b}) in spec.links for b in ids] for a in ids], dtype=bool).reshape(
        len(ids), len(ids))
    integrable = (linked | np.outer(api, api)) & ~np.eye(len(ids), dtype=bool)
    least = np.array([min((_cheapest(c) for c in candidate.editions), default=math.inf) + candidate.block.fixed
                      for candidate in candidates])
    parts = [_parts(c, departments) for c in candidates]
    totals = department_weights(spec.groups)
    return StackBounds(
        levels=levels, weights=np.array([w for _, _, w in columns]),
        column_departments=np.array([d for _, d, _ in columns], dtype=np.int64),
        department_totals=np.array([totals.get(d, 0.0) for d in departments]),
        musts=np.array([g.must for g, _, _ in columns], dtype=bool),
        least_cost=least, base_cost=np.array([base for base, _ in parts]),
        seat_cost=np.array([seats for _, seats in parts]).reshape(len(candidates), len(departments)),
        ladders=tuple(ladders), integrable=integrable, linked=linked,
        api_cost=np.array([_api_cost(c, feature) for c in candidates]),
        alone=np.array([spec.alone.get(p, -1.0) for p in ids]), budget=spec.budget, floor=spec.floor,
    )


def _api_cost(candidate: Candidate, feature: str) -> float:
    """The least a bundle giving `feature` in full costs, for any departments (infinite: none gives it)."""
    block = candidate.block
    editions = [_cheapest(c) for c in candidate.editions]
    base = min(editions, default=math.inf)
    ways = [c for e, c in zip(block.editions, editions, strict=True) if e.levels.get(feature, 0.0) >= 1.0]
    ways += [base + _cheapest(c) for a, c in zip(block.add_ons, candidate.add_ons, strict=True)
             if a.levels.get(feature, 0.0) >= 1.0]
    return min(ways, default=math.inf) + block.fixed


def _offered(candidate: Candidate, features: Sequence[str]) -> bool:
    """Whether some option names each feature: else the model gives the group no level from this member."""
    options = (*candidate.block.editions, *candidate.block.add_ons)
    return all(any(f in o.levels for o in options) for f in features)


def levels_of_feature(candidate: Candidate, feature: str) -> float:
    """The best level any option of the candidate gives one feature."""
    return max((o.levels.get(feature, 0.0) for o in (*candidate.block.editions, *candidate.block.add_ons)), default=0.0)
