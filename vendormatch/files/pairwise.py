"""Objective weights from pairwise judgements (Saaty's analytic hierarchy process).

A strategy with `weights: pairwise` judges every pair of objectives once on Saaty's 1-9 scale:
`[grow, retain, 3]` says grow matters three times as much as retain (1 equal, 3 moderately, 5
strongly, 7 very strongly, 9 extremely more; to say the second matters more, swap the two). The
judgements fill a reciprocal matrix A (a_ij = 3, a_ji = 1/3); the weights are its principal
eigenvector, scaled so that they average 1 (like weights left at their default). Judgements are
rarely perfectly consistent; the consistency ratio CR = ((lambda_max - n) / (n - 1)) / RI(n)
measures how far they are, against the random index RI of Saaty's tables, and above 0.1 the
judgements contradict each other too much to weigh anything. The judgement that strays furthest
from what the other judgements say of the same pair (|ln a_ij - mean over k of ln(a_ik a_kj)|
largest: through every third objective) is named, so that it can be revised first.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from vendormatch.files.diagnostics import Diagnostic
from vendormatch.files.models import Strategy
from vendormatch.files.schema_errors import did_you_mean
from vendormatch.files.strategy_rules import StrategySources

#: Saaty's random consistency index for n = 1..10 objectives (Saaty 1980).
RANDOM_INDEX = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
MAX_OBJECTIVES = len(RANDOM_INDEX) - 1
MAX_RATIO = 0.1


@dataclass(frozen=True)
class PairwiseWeights:
    """The weights derived from complete judgements, with how consistent the judgements are."""

    weights: dict[str, float]
    consistency_ratio: float
    #: The index of the judgement furthest from what the others imply for its pair, and that implied ratio.
    worst: int | None
    implied: float


def derive(objectives: Sequence[str], judgements: Sequence[tuple[str, str, int]]) -> PairwiseWeights:
    """The principal eigenvector of the judgement matrix (weights averaging 1) and the consistency ratio.

    Every pair of `objectives` must be judged exactly once (`pairwise_rules` checks that first).
    """
    n = len(objectives)
    place = {o: i for i, o in enumerate(objectives)}
    matrix = np.ones((n, n))
    for more, less, intensity in judgements:
        matrix[place[more], place[less]] = intensity
        matrix[place[less], place[more]] = 1 / intensity
    vector = np.ones(n) / n
    # Power iteration: A is positive, so it converges to the principal eigenvector (Perron).
    for _ in range(1000):
        following = matrix @ vector
        following /= following.sum()
        if float(np.abs(following - vector).max()) < 1e-14:
            vector = following
            break
        vector = following
    lambda_max = float(np.mean((matrix @ vector) / vector))
    ratio = 0.0 if n < 3 else max(0.0, (lambda_max - n) / (n - 1)) / RANDOM_INDEX[n]
    scaled = vector * n
    weights = {o: round(float(scaled[place[o]]), 4) for o in objectives}
    worst, implied, furthest = None, 0.0, (-1.0, 0)
    logs = np.log(matrix)
    for index, (more, less, intensity) in enumerate(judgements):
        i, j = place[more], place[less]
        others = [k for k in range(n) if k not in (i, j)]
        if not others:
            continue
        # What the other judgements say of this pair: the geometric mean of a_ik * a_kj over every third objective.
        through = float(np.mean([logs[i, k] + logs[k, j] for k in others]))
        # With three objectives every judgement of a cycle strays alike: the strongest one is named.
        distance = (round(abs(math.log(intensity) - through), 9), intensity)
        if distance > furthest:
            worst, implied, furthest = index, math.exp(through), distance
    return PairwiseWeights(weights, round(ratio, 6), worst, implied)


def apply_pairwise(strategy: Strategy) -> Strategy:
    """The strategy with each objective's weight derived from its judgements (unchanged with direct weights)."""
    if strategy.weights != "pairwise":
        return strategy
    derived = derive(list(strategy.objectives), strategy.judgements).weights
    return strategy.model_copy(update={"objectives": {
        oid: objective.model_copy(update={"weight": derived[oid]}) for oid, objective in strategy.objectives.items()
    }})


def _saaty(more: str, less: str, ratio: float) -> str:
    """A ratio of weights in the words of a judgement: `[a, b, 3]`, the nearest point of the scale."""
    if ratio < 1:
        more, less, ratio = less, more, 1 / ratio
    return f"[{more}, {less}, {min(9, max(1, round(ratio)))}]"


def pairwise_rules(sources: StrategySources) -> Iterator[Diagnostic]:
    """With `weights: pairwise`, every pair of objectives is judged once, consistently, and no weight is written."""
    strategy, doc = sources.strategy, sources.doc
    if strategy.weights != "pairwise":
        if strategy.judgements:
            yield doc.diagnostic(("judgements",), "pairwise-unused",
                                 "judgements are read only with `weights: pairwise`; add it, or remove the judgements",
                                 key=True)
        return
    objectives = list(strategy.objectives)
    if len(objectives) > MAX_OBJECTIVES:
        yield doc.diagnostic(("weights",), "pairwise-too-many",
                             f"pairwise weights take at most {MAX_OBJECTIVES} objectives ({len(objectives)} here); "
                             "write each objective's `weight:` instead")
        return
    for oid, objective in strategy.objectives.items():
        if "weight" in objective.model_fields_set:
            yield doc.diagnostic(("objectives", oid, "weight"), "pairwise-weight-conflict",
                                 f"objective '{oid}' has a weight, but `weights: pairwise` derives every weight from "
                                 "the judgements; remove this weight, or the pairwise setting", key=True)
    seen: dict[frozenset[str], int] = {}
    usable = True
    for index, (more, less, _intensity) in enumerate(strategy.judgements):
        for position, oid in ((0, more), (1, less)):
            if oid not in strategy.objectives:
                usable = False
                yield doc.diagnostic(("judgements", index, position), "pairwise-unknown-objective",
                                     f"unknown objective '{oid}'{did_you_mean(oid, strategy.objectives)}; "
                                     f"judge two of: {', '.join(objectives)}")
        if more == less:
            usable = False
            yield doc.diagnostic(("judgements", index), "pairwise-self",
                                 f"judges '{more}' against itself; a judgement compares two different objectives")
            continue
        pair = frozenset((more, less))
        if pair in seen:
            usable = False
            earlier = doc.locate(("judgements", seen[pair]))
            yield doc.diagnostic(("judgements", index), "pairwise-duplicate",
                                 f"'{more}' and '{less}' are judged again (first at {earlier[0]}:{earlier[1]}); "
                                 "judge each pair once")
        seen.setdefault(pair, index)
    missing = [f"[{a}, {b}, ?]" for i, a in enumerate(objectives) for b in objectives[i + 1:]
               if frozenset((a, b)) not in seen]
    if missing and usable:
        usable = False
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
        yield doc.diagnostic(("weights",), "pairwise-incomplete",
                             f"{len(missing)} pair(s) of objectives are not judged: {shown}; add them under "
                             "`judgements:` (1 equal ... 9 extremely more important)")
    if not usable or len(objectives) < 3:
        return
    derived = derive(objectives, strategy.judgements)
    if derived.consistency_ratio > MAX_RATIO and derived.worst is not None:
        more, less, intensity = strategy.judgements[derived.worst]
        yield doc.diagnostic(("judgements", derived.worst), "pairwise-inconsistent",
                             f"the judgements contradict each other (consistency ratio {derived.consistency_ratio:.2f}, "
                             f"at most {MAX_RATIO:g}); this one strays furthest: [{more}, {less}, {intensity}], where "
                             f"the others imply about {_saaty(more, less, derived.implied)}; revise it first")


def judgements_yaml(judgements: Sequence[tuple[str, str, int]]) -> str:
    """The judgements as the strategy writes them: `weights: pairwise` and a `judgements:` list."""
    lines = ["weights: pairwise", "judgements:"]
    lines += [f"  - [{more}, {less}, {intensity}]" for more, less, intensity in judgements]
    return "\n".join(lines) + "\n"
