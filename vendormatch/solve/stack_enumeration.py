"""Exact enumeration of one stack with numpy: the stack model's answer without solving it, when every
bundle of each member times every way of licensing the departments is a few million cases at most.

Under a budget that binds, each stage of the stack model is a hard knapsack for the solver (tenths of a
second for 300 variables), while the cases of a stack of three products with a few bundles each, over
four departments, number a few million array entries. The enumeration keeps the model's semantics
(`stack_model`) and its stages: the best score (scores within the tolerance counting as equal); the
fewest unknown-priced items, then the least known cost; then, within the cost tolerance, the model's
own tie-break expressions, read off the model so that both give the same stack.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vendormatch.solve.stack_model import Candidate, Member, StackChoice, StackModel, StackSpec
from vendormatch.solve.units import Choice

#: Stacks that would take more work than this (cases, i.e. bundle combinations x licence assignments,
#: times departments and members: the array passes each case takes) go to the solver. Measured: b2b's
#: five best stacks (up to 11.5 million cases over 4 departments) enumerate in 1.1 s where the solver
#: takes 6 s; past about 10 ns a case the solver is faster on stacks over six departments.
MAX_WORK = 100_000_000
_LEVEL_TOLERANCE = 1e-9
#: Cases scored at once: a block that stays in the processor's cache.
_BLOCK = 1 << 16

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class _Bundles:
    """One member's bundles, each an edition and add-ons, with what the enumeration needs of each."""

    picks: list[tuple[int, tuple[int, ...]]]  # edition index, add-on indices
    levels: FloatArray  # bundles x groups (0 for a group the member does not offer)
    api: NDArray[np.bool_]  # gives the integration feature in full
    unknown: IntArray  # options of unknown price
    costs: FloatArray  # bundles x patterns (inf: cannot seat that pattern)
    tie: FloatArray  # the model's bundle tie-break value
    offers: NDArray[np.bool_]  # per group: some option names each of its features (else no level at all)


def _bundle_picks(candidate: Candidate) -> list[tuple[int, tuple[int, ...]]]:
    block = candidate.block
    picks = []
    for e, edition in enumerate(block.editions):
        allowed = [k for k, a in enumerate(block.add_ons) if edition.id in a.editions]
        for size in range(len(allowed) + 1):
            picks += [(e, combo) for combo in itertools.combinations(allowed, size)]
    return picks


def enumeration_work(candidates: Sequence[Candidate], spec: StackSpec) -> int:
    """Bundle combinations times licence assignments times departments and members: what enumerating the
    stack would take."""
    bundles: int = 1
    for c in candidates:
        bundles *= sum(2 ** sum(1 for a in c.block.add_ons if e.id in a.editions) for e in c.block.editions)
    return bundles * _assignment_count(len(candidates), spec) * (len(spec.departments) + len(candidates))


def _assignment_count(members: int, spec: StackSpec) -> int:
    return len(_assignments(members, spec))


def _assignments(members: int, spec: StackSpec) -> IntArray:
    """Licence assignments: for each department, the non-empty set of members (a bit mask) licensed for it.

    Past `licensing.MAX_PATTERN_DEPARTMENTS` the only pattern is every department, so there is one
    assignment. Otherwise a department that no requirement names and the strategy does not assign is
    never licensed on a second member that holds another department too: taking it off that member
    costs no more (costs never fall as departments are added), changes no score, and wins the licence
    tie-break, so the model's answer is never such an assignment."""
    departments = tuple(spec.departments)
    named = {d for g in spec.groups for d in g.department_weights}
    free = tuple(k for k, d in enumerate(departments) if d not in named and d not in spec.uses)
    everywhere = len(spec.patterns) == 1 and len(spec.patterns[0]) == len(departments)
    return _assignments_of(members, len(departments), free, everywhere)


@functools.lru_cache(maxsize=64)
def _assignments_of(members: int, departments: int, free: tuple[int, ...], everywhere: bool) -> IntArray:
    if everywhere:
        return np.full((1, departments), 2**members - 1, dtype=np.int64)
    masks = np.array(list(itertools.product(range(1, 2**members), repeat=departments)), dtype=np.int64).reshape(
        -1, departments)
    keep = np.ones(len(masks), dtype=bool)
    for k in free:
        mask = masks[:, k]
        others = np.bitwise_or.reduce(np.delete(masks, k, axis=1), axis=1) if departments > 1 else 0 * mask
        keep &= ~(((mask & (mask - 1)) != 0) & ((mask & others) != 0))
    kept: IntArray = masks[keep]
    kept.flags.writeable = False  # shared between calls through the cache
    return kept


def _member_bundles(index: int, candidate: Candidate, spec: StackSpec, model: StackModel, tie: Any) -> _Bundles:
    block = candidate.block
    picks = _bundle_picks(candidate)
    offered = {f for o in (*block.editions, *block.add_ons) for f in o.levels}
    x, a, _, _ = model.members[index]
    coefficient = tie.get  # a PuLP expression: variable -> coefficient
    levels = np.zeros((len(picks), len(spec.groups)))
    api = np.zeros(len(picks), dtype=bool)
    unknown = np.zeros(len(picks), dtype=np.int64)
    costs = np.zeros((len(picks), len(spec.patterns)))
    ties = np.zeros(len(picks))
    for b, (e, add_ons) in enumerate(picks):
        options = [(block.editions[e], candidate.editions[e])] + [(block.add_ons[k], candidate.add_ons[k]) for k in add_ons]
        best: dict[str, float] = {}
        for option, _ in options:
            for feature, level in option.levels.items():
                best[feature] = max(best.get(feature, 0.0), level)
        for g, group in enumerate(spec.groups):
            if all(f in offered for f in group.features):
                levels[b, g] = min(best.get(f, 0.0) for f in group.features)
        api[b] = best.get(spec.integration_feature, 0.0) >= 1.0 - _LEVEL_TOLERANCE
        for _, option_costs in options:
            if option_costs is None:
                unknown[b] += 1
            else:
                costs[b] += [np.inf if c is None else c for c in option_costs.costs]
        costs[b] += block.fixed
        ties[b] = coefficient(x[e], 0.0) + sum(coefficient(a[k], 0.0) for k in add_ons)
    offers = np.array([all(f in offered for f in g.features) for g in spec.groups], dtype=bool)
    return _Bundles(picks, levels, api, unknown, costs, ties, offers)


def enumerate_stack(candidates: Sequence[Candidate], spec: StackSpec, model: StackModel,
                    score_tolerance: float, cost_tolerance: float) -> StackChoice | None:
    """The stack model's answer by enumeration (None: the stack cannot be bought); the caller checks
    `enumeration_work` first."""
    m, departments = len(candidates), list(spec.departments)
    bundles_tie, patterns_tie = model.tie_breaks()
    members = [_member_bundles(i, c, spec, model, bundles_tie) for i, c in enumerate(candidates)]
    # Each set of departments (a bit mask) -> its pattern's index, -1 where it is none (the empty set).
    pattern_of = np.full(2 ** len(departments), -1, dtype=np.int64)
    for k, pattern in enumerate(spec.patterns):
        pattern_of[sum(1 << departments.index(d) for d in pattern)] = k
    masks = _assignments(m, spec)
    bits = 1 << np.arange(len(departments), dtype=np.int64)
    patterns = np.stack([pattern_of[((masks >> i) & 1) @ bits] for i in range(m)], axis=1)
    usable = (patterns >= 0).all(axis=1)
    products = [c.product for c in candidates]
    for d, used in spec.uses.items():
        assigned = sum(1 << i for i, p in enumerate(products) if p in used)
        if assigned and d in departments:
            usable &= masks[:, departments.index(d)] == assigned
    masks, patterns = masks[usable], patterns[usable]
    pattern_ties = np.array([[_pattern_tie(model, i, k, spec, patterns_tie) for k in range(len(spec.patterns))]
                             for i in range(m)])
    case_ties = pattern_ties[np.arange(m), patterns].sum(axis=1) if len(masks) else np.zeros(0)

    # Bundle combinations, one row each.
    grids = np.meshgrid(*[np.arange(len(b.picks)) for b in members], indexing="ij")
    combos = np.stack([g.reshape(-1) for g in grids], axis=1)
    offered = np.any([member.offers for member in members], axis=0)
    if len(masks) == 0 or any(g.must and not offered[k] for k, g in enumerate(spec.groups)):
        return None  # as the model: a must-have nobody offers rules the stack out
    api_ok = np.ones(len(combos), dtype=bool)
    for i, j in itertools.combinations(range(m), 2):
        if frozenset({products[i], products[j]}) not in spec.links:
            api_ok &= members[i].api[combos[:, i]] & members[j].api[combos[:, j]]
    weights = np.array([[g.department_weights.get(d, 0.0) for d in departments] for g in spec.groups]).reshape(
        len(spec.groups), len(departments))
    in_group = np.array([[d in g.department_weights for d in departments] for g in spec.groups], dtype=bool).reshape(
        len(spec.groups), len(departments))
    required = np.array([g.must for g in spec.groups], dtype=bool)[:, None] & in_group  # groups x departments
    totals = weights.sum(axis=0)

    def by_mask(rows: slice) -> tuple[FloatArray, NDArray[np.bool_]]:
        """Per bundle combination, set of members (a bit mask) and department: the weighted level the
        department gets from those members, and whether its must-haves and the floor hold."""
        levels = np.stack([members[i].levels[combos[rows, i]] for i in range(m)], axis=1)  # rows x members x groups
        served = np.zeros((len(levels), 2**m, len(spec.groups)))
        for mask in range(1, 2**m):
            served[:, mask] = levels[:, [i for i in range(m) if mask >> i & 1]].max(axis=1)
        department_score = served @ weights
        short = (served < 1.0 - _LEVEL_TOLERANCE).astype(np.float64) @ required.astype(np.float64)
        fine = short == 0
        if spec.floor:
            fine &= (department_score + 1e-9 >= spec.floor * totals) | (totals <= 0)
        return department_score, fine

    unknown = np.sum([members[i].unknown[combos[:, i]] for i in range(m)], axis=0)
    bundle_tie = np.sum([members[i].tie[combos[:, i]] for i in range(m)], axis=0)

    def cases(rows: slice) -> tuple[FloatArray, NDArray[np.bool_], FloatArray]:
        """Score, feasibility and known cost of every case of some bundle combinations (rows x cases)."""
        department_score, must_ok = by_mask(rows)
        score = np.zeros((len(department_score), len(masks)))
        ok = np.repeat(api_ok[rows, None], len(masks), axis=1)
        for d in range(len(departments)):
            score += np.take(department_score[:, :, d], masks[:, d], axis=1)
            ok &= np.take(must_ok[:, :, d], masks[:, d], axis=1)
        cost = np.zeros_like(score)
        for i in range(m):
            cost += np.take(members[i].costs[combos[rows, i]], patterns[:, i], axis=1)
        ok &= np.isfinite(cost)
        if spec.budget is not None:
            ok &= cost <= spec.budget + 1e-6
        return score, ok, cost

    # Two passes over blocks of cases small enough to stay in the processor's cache: the best score,
    # then the cases within the tolerance of it (near-ties only, usually few) for the later stages.
    step = max(1, _BLOCK // len(masks))
    blocks = [slice(start, start + step) for start in range(0, len(combos), step)]
    best = -np.inf
    for rows in blocks:
        score, ok, _ = cases(rows)
        if ok.any():
            best = max(best, float(score[ok].max()))
    if best == -np.inf:
        return None
    found: list[tuple[IntArray, IntArray, FloatArray]] = []
    for rows in blocks:
        score, ok, cost = cases(rows)
        near_rows, near_cases = np.nonzero(ok & (score >= best - score_tolerance))
        found.append((near_rows + rows.start, near_cases, cost[near_rows, near_cases]))
    rows_found = np.concatenate([f[0] for f in found])
    cases_found = np.concatenate([f[1] for f in found])
    cost_found = np.concatenate([f[2] for f in found])
    keep = unknown[rows_found] == unknown[rows_found].min()
    least = cost_found[keep].min()
    keep &= cost_found <= least + cost_tolerance + 1e-9 * abs(least)
    ties = bundle_tie[rows_found]
    keep &= ties <= ties[keep].min() + 0.5
    first = int(np.argmin(np.where(keep, case_ties[cases_found], np.inf)))
    row, case = int(rows_found[first]), int(cases_found[first])
    return tuple(
        Member(Choice(products[i], candidates[i].block.editions[members[i].picks[combos[row, i]][0]].id,
                      tuple(sorted(candidates[i].block.add_ons[k].id for k in members[i].picks[combos[row, i]][1]))),
               spec.patterns[patterns[case, i]])
        for i in range(m)
    )


def _pattern_tie(model: StackModel, member: int, pattern: int, spec: StackSpec, tie: Any) -> float:
    """The model's licence tie-break value of a member licensed for one pattern."""
    coefficient = tie.get  # a PuLP expression: variable -> coefficient
    if model.pattern_vars[member]:
        return float(coefficient(model.pattern_vars[member][pattern], 0.0))
    return float(sum(coefficient(model.licence[member][d], 0.0) for d in spec.patterns[pattern]))
