"""Exact enumeration of one product's bundles with numpy: the optimiser's answer without building a
MIP, when the product's bundle space is small.

Each product's choice is a problem of its own: every edition with every set of the add-ons it may
take. When there are at most `MAX_BUNDLES` of them, scoring them all at once with array operations
is far cheaper than PuLP's model building, and gives the same bundle: the same lexicographic stages
as vendormatch.solve.optimise (qualify; the best score, scores within its tolerance counting as
equal; the fewest unknown-priced items; the least known cost, within its tolerance; then edition
order, fewer add-ons, and the smallest add-on ids), the same levels (a feature's best level over
the chosen options, a requirement's weakest feature) and the same caps.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from vendormatch.solve.blocks import Block, Group, Option
from vendormatch.solve.units import Choice

#: Products with more bundles than this go to the MIP.
MAX_BUNDLES = 4096
# The same tolerances as the staged MIP (vendormatch.solve.optimise): equal scores and costs are
# decided by the later stages, exactly as the solver's fixed optima leave them.
_SCORE_TOLERANCE = 1e-4
_COST_ABSOLUTE_TOLERANCE = 1e-4
_COST_RELATIVE_TOLERANCE = 1e-9
_OVER_CAP = 1e-9
_LEVEL_TOLERANCE = 1e-9


def bundle_count(block: Block) -> int:
    """How many bundles the block holds: each edition with every set of the add-ons it may take."""
    return sum(2 ** sum(1 for a in block.add_ons if e.id in a.editions) for e in block.editions)


def _subsets(values: NDArray[np.float64], combine: str) -> NDArray[np.float64]:
    """For every subset (as a bit mask) of the rows of `values`: their elementwise max or sum."""
    count = values.shape[0]
    out = np.zeros((2 ** count, *values.shape[1:]))
    for j in range(count):
        low = out[: 2 ** j]
        out[2 ** j: 2 ** (j + 1)] = np.maximum(low, values[j]) if combine == "max" else low + values[j]
    return out


def enumerate_block(block: Block, groups: Sequence[Group], *, budget: float | None, floor: float | None) -> Choice:
    """The block's best bundle by the optimiser's stages, or a Choice with no edition when none qualifies."""
    features = sorted({f for g in groups for f in g.features})
    column = {f: i for i, f in enumerate(features)}
    width = max((len(g.features) for g in groups), default=1)
    # Each group's feature columns, padded with a column of ones (a level that never decides a min).
    pad = len(features)
    index = np.array([[column[f] for f in g.features] + [pad] * (width - len(g.features)) for g in groups],
                     dtype=np.int64).reshape(len(groups), width)
    weights = np.array([g.weight for g in groups])
    musts = np.array([g.must for g in groups], dtype=bool)
    departments = sorted({d for g in groups for d in g.department_weights})
    by_department = np.array([[g.department_weights.get(d, 0.0) for d in departments] for g in groups]).reshape(
        len(groups), len(departments))
    totals = by_department.sum(axis=0)

    def levels_of(options: Sequence[Option]) -> NDArray[np.float64]:
        rows = np.zeros((len(options), len(features)))
        for r, option in enumerate(options):
            for feature, level in option.levels.items():
                if feature in column:
                    rows[r, column[feature]] = level
        return rows

    edition_levels = levels_of(block.editions)
    found: list[tuple[int, NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64],
                      NDArray[np.bool_]]] = []
    for e_index, edition in enumerate(block.editions):
        allowed = [a for a in block.add_ons if edition.id in a.editions]
        add_levels = _subsets(levels_of(allowed), "max")
        levels = np.maximum(add_levels, edition_levels[e_index])
        extended = np.concatenate([levels, np.ones((levels.shape[0], 1))], axis=1)
        group_levels = extended[:, index].min(axis=2) if len(groups) else np.zeros((levels.shape[0], 0))
        score = group_levels @ weights if len(groups) else np.zeros(levels.shape[0])
        ok = np.all(group_levels[:, musts] >= 1 - _LEVEL_TOLERANCE, axis=1)
        if floor and departments:
            cover = group_levels @ by_department
            ok &= np.all((cover >= floor * totals - _LEVEL_TOLERANCE) | (totals <= 0), axis=1)
        known = _subsets(np.array([a.cost or 0.0 for a in allowed]), "sum") + (edition.cost or 0.0) + block.fixed
        unknown = _subsets(np.array([1.0 if a.cost is None else 0.0 for a in allowed]), "sum") + (
            1.0 if edition.cost is None else 0.0)
        if budget is not None:
            ok &= known <= budget + _OVER_CAP * max(1.0, abs(budget))
        masks = np.arange(2 ** len(allowed))
        found.append((e_index, masks, score, unknown, known, ok))
    best_score = max((float(s[ok].max()) for _, _, s, _, _, ok in found if ok.any()), default=None)
    if best_score is None:
        return Choice(block.product, None, ())
    pool: list[tuple[int, float, int, int]] = []
    for e_index, masks, score, unknown, known, ok in found:
        keep = ok & (score >= best_score - _SCORE_TOLERANCE)
        pool.extend((int(unknown[m]), float(known[m]), e_index, int(masks[m])) for m in np.flatnonzero(keep))
    fewest = min(p[0] for p in pool)
    pool = [p for p in pool if p[0] == fewest]
    cheapest = min(p[1] for p in pool)
    pool = [p for p in pool if p[1] <= cheapest + _COST_ABSOLUTE_TOLERANCE + _COST_RELATIVE_TOLERANCE * abs(cheapest)]

    def tie_break(candidate: tuple[int, float, int, int]) -> tuple[int, int, tuple[int, ...]]:
        e_index = candidate[2]
        allowed = [i for i, a in enumerate(block.add_ons) if block.editions[e_index].id in a.editions]
        chosen = tuple(allowed[j] for j in range(len(allowed)) if candidate[3] >> j & 1)
        return e_index, len(chosen), chosen

    e_index, _, chosen = min(tie_break(p) for p in pool)
    return Choice(block.product, block.editions[e_index].id, tuple(sorted(block.add_ons[i].id for i in chosen)))
