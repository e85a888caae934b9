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

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from vendormatch.solve.stack_model import Candidate, Member, StackChoice, StackModel, StackSpec
from vendormatch.solve.units import Choice

#: Stacks with more cases (bundle combinations x licence assignments) than this go to the solver.
MAX_CASES = 8_000_000
_LEVEL_TOLERANCE = 1e-9

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


def case_count(candidates: Sequence[Candidate], spec: StackSpec) -> int:
    """Bundle combinations times licence assignments: what enumerating the stack would take."""
    bundles: int = 1
    for c in candidates:
        bundles *= sum(2 ** sum(1 for a in c.block.add_ons if e.id in a.editions) for e in c.block.editions)
    assignments: int = (2 ** len(candidates) - 1) ** len(spec.departments)
    return bundles * assignments


def _member_bundles(index: int, candidate: Candidate, spec: StackSpec, model: StackModel, tie: object) -> _Bundles:
    block = candidate.block
    picks = _bundle_picks(candidate)
    offered = {f for o in (*block.editions, *block.add_ons) for f in o.levels}
    x, a, _, _ = model.members[index]
    coefficient = tie.get  # type: ignore[attr-defined]
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


@dataclass(frozen=True)
class Enumerated:
    """The stack's answer: its choice (None: it cannot be bought) and its exact values."""

    choice: StackChoice | None


def enumerate_stack(candidates: Sequence[Candidate], spec: StackSpec, model: StackModel,
                    score_tolerance: float, cost_tolerance: float) -> Enumerated:
    """The stack model's answer by enumeration (the caller checks `case_count` first)."""
    m, departments = len(candidates), list(spec.departments)
    bundles_tie, patterns_tie = model.tie_breaks()
    members = [_member_bundles(i, c, spec, model, bundles_tie) for i, c in enumerate(candidates)]
    pattern_index = {frozenset(p): k for k, p in enumerate(spec.patterns)}
    # Licence assignments: for each department, the non-empty set of members (a bit mask) licensed for it.
    masks = np.array(list(itertools.product(range(1, 2**m), repeat=len(departments))), dtype=np.int64).reshape(
        -1, len(departments))
    patterns = np.full((len(masks), m), -1, dtype=np.int64)
    for i in range(m):
        for row, assignment in enumerate(masks):
            held = frozenset(d for d, mask in zip(departments, assignment, strict=True) if mask >> i & 1)
            patterns[row, i] = pattern_index.get(held, -1)
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
        return Enumerated(None)  # as the model: a must-have nobody offers rules the stack out
    levels = np.stack([members[i].levels[combos[:, i]] for i in range(m)], axis=1)  # combos x members x groups
    api_ok = np.ones(len(combos), dtype=bool)
    for i, j in itertools.combinations(range(m), 2):
        if frozenset({products[i], products[j]}) not in spec.links:
            api_ok &= members[i].api[combos[:, i]] & members[j].api[combos[:, j]]
    # Per department set (mask) and department: the weighted level, and whether musts and floor hold.
    weights = np.array([[g.department_weights.get(d, 0.0) for d in departments] for g in spec.groups]).reshape(
        len(spec.groups), len(departments))
    in_group = np.array([[d in g.department_weights for d in departments] for g in spec.groups], dtype=bool).reshape(
        len(spec.groups), len(departments))
    musts = np.array([g.must for g in spec.groups], dtype=bool)
    totals = weights.sum(axis=0)
    served = np.zeros((len(combos), 2**m, len(spec.groups)))
    for mask in range(1, 2**m):
        chosen = [i for i in range(m) if mask >> i & 1]
        served[:, mask] = levels[:, chosen].max(axis=1)
    department_score = served @ weights  # combos x masks x departments
    must_ok = ~((served[:, :, :, None] < 1.0 - _LEVEL_TOLERANCE) & (musts[:, None] & in_group)[None, None]).any(axis=2)
    if spec.floor:
        must_ok &= (department_score + 1e-9 >= spec.floor * totals) | (totals <= 0)
    columns = np.arange(len(departments))
    score = department_score[:, masks, columns].sum(axis=2)  # combos x cases
    ok = must_ok[:, masks, columns].all(axis=2) & api_ok[:, None]
    cost = sum(members[i].costs[combos[:, i]][:, patterns[:, i]] for i in range(m))
    assert isinstance(cost, np.ndarray)
    ok &= np.isfinite(cost)
    if spec.budget is not None:
        ok &= cost <= spec.budget + 1e-6
    if not ok.any():
        return Enumerated(None)
    unknown = sum(members[i].unknown[combos[:, i]] for i in range(m))
    assert isinstance(unknown, np.ndarray)
    best = score[ok].max()
    ok &= score >= best - score_tolerance
    fewest = np.where(ok, unknown[:, None], np.iinfo(np.int64).max).min()
    ok &= unknown[:, None] == fewest
    least = np.where(ok, cost, np.inf).min()
    ok &= cost <= least + cost_tolerance + 1e-9 * abs(least)
    bundle_tie = sum(members[i].tie[combos[:, i]] for i in range(m))
    assert isinstance(bundle_tie, np.ndarray)
    ok &= bundle_tie[:, None] <= np.where(ok, bundle_tie[:, None], np.inf).min() + 0.5
    flat = int(np.argmin(np.where(ok, case_ties[None, :], np.inf)))
    row, case = divmod(flat, len(masks))
    return Enumerated(tuple(
        Member(Choice(products[i], candidates[i].block.editions[members[i].picks[combos[row, i]][0]].id,
                      tuple(sorted(candidates[i].block.add_ons[k].id for k in members[i].picks[combos[row, i]][1]))),
               spec.patterns[patterns[case, i]])
        for i in range(m)
    ))


def _pattern_tie(model: StackModel, member: int, pattern: int, spec: StackSpec, tie: object) -> float:
    """The model's licence tie-break value of a member licensed for one pattern."""
    coefficient = tie.get  # type: ignore[attr-defined]
    if model.pattern_vars[member]:
        return float(coefficient(model.pattern_vars[member][pattern], 0.0))
    return float(sum(coefficient(model.licence[member][d], 0.0) for d in spec.patterns[pattern]))
