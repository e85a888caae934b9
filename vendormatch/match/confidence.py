"""How likely each candidate feature is to be one the requirement asks for: a calibrated confidence.

The lexical score says how much of a feature's vocabulary a text holds, not how often a feature
with that score is right: a long tender clause that shares one rare word with a feature scores
as high as a short line that names it. So each candidate is described by the kinds of evidence
behind it (`CUES`): its score, whether it leads and by how much, how much of the text it
explains, whether a whole name or alias of it is there, how long the text is, and how much the
text reads as a condition of the purchase. A logistic model over those cues, fitted on labelled
statements from many sources (`benchmarks/fit_confidence.py`, which writes
`confidence_weights.py`), turns them into the probability that the candidate is right. The
decision then reads probabilities: a requirement is matched only when the best candidate is
likely enough, and the reviewer sees the rest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from vendormatch.match.confidence_model import CUES, ConfidenceModel
from vendormatch.match.feature_index import FeatureIndex, evidence_of
from vendormatch.match.lexical import TextScores
from vendormatch.match.measures import in_label_terms


def describe(found: TextScores, index: FeatureIndex) -> NDArray[np.float64]:
    """The cues of each of a text's candidates, in the lexical order, one row each."""
    scores = found.features
    if not scores:
        return np.zeros((0, len(CUES)))
    excluded = evidence_of(found.out_of_scope.score) if found.out_of_scope is not None else 0.0
    length = min(math.log1p(found.words) / math.log(60), 1.5)
    ranked = sorted((s.score for s in scores), reverse=True)
    first, second = ranked[0], ranked[1] if len(ranked) > 1 else 0.0
    weights = index.weights
    explained: set[int] = set()
    rows = []
    for i, candidate in enumerate(scores):
        evidence = evidence_of(candidate.score)
        total = own = held_weight = 0.0
        for stem, value in candidate.parts:
            total += value
            held_weight += weights[stem]
            if stem not in explained:
                own += value
        rows.append((
            candidate.score / 100,
            min(evidence, 6.0) / 6,
            1.0 if i == 0 else 0.0,
            (candidate.score - (second if candidate.score == first else first)) / 100,
            min(held_weight / found.weight, 1.0) if found.weight > 0 else 0.0,
            own / total if total > 0 else 0.0,
            min(candidate.held, 3.0) / 3,
            length,
            min(excluded / max(evidence, 1e-6), 4.0) / 4,
            math.log1p(len(candidate.parts)) / math.log(8),
        ))
        explained.update(stem for stem, _ in candidate.parts)
    return np.array(rows, dtype=np.float64)


def confidences(found: Sequence[TextScores], index: FeatureIndex, model: ConfidenceModel) -> list[list[float]]:
    """Each text's candidates' confidences (0-100), in the lexical order: one matrix product for all texts."""
    blocks = [describe(f, index) for f in found]
    if not blocks:
        return []
    stacked = 100 * model.probabilities(np.vstack(blocks))
    bounds = np.cumsum([0] + [len(b) for b in blocks]).tolist()
    flat = stacked.tolist()
    return [flat[bounds[i]: bounds[i + 1]] for i in range(len(blocks))]


def fit(
    cues: NDArray[np.float64], right: NDArray[np.float64], l2: float = 1.0, rounds: int = 50,
    sample_weight: NDArray[np.float64] | None = None,
) -> ConfidenceModel:
    """Fit a logistic model by Newton's method, with an L2 penalty on the weights (not the intercept).

    `right` holds 1 where the candidate is one of its text's labels, else 0; `sample_weight`, one
    per row, lets each source count alike however many statements it gave.
    """
    if len(cues) != len(right) or not len(cues):
        raise ValueError("fit needs as many labels as rows of cues, and at least one row")
    weight = np.ones(len(cues)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    design = np.hstack([np.ones((len(cues), 1)), cues])
    penalty = np.eye(design.shape[1]) * l2
    penalty[0, 0] = 0.0
    beta = np.zeros(design.shape[1])
    for _ in range(rounds):
        p = 1 / (1 + np.exp(-np.clip(design @ beta, -30, 30)))
        gradient = design.T @ (weight * (p - right)) + penalty @ beta
        hessian = (design * (weight * p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.abs(step).max()) < 1e-9:
            break
    return ConfidenceModel(float(beta[0]), tuple(float(b) for b in beta[1:]))


def training_rows(
    found: Sequence[TextScores], labels: Sequence[Sequence[str]], index: FeatureIndex,
    refines: Mapping[str, str] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """The cues of every candidate of every text, whether each is right, and each row's text number."""
    blocks: list[NDArray[np.float64]] = []
    right: list[float] = []
    owner: list[int] = []
    for number, (scores, label) in enumerate(zip(found, labels, strict=True)):
        blocks.append(describe(scores, index))
        right.extend(1.0 if in_label_terms(index.ids[s.feature], label, refines) in label else 0.0
                     for s in scores.features)
        owner.extend([number] * len(scores.features))
    cues = np.vstack(blocks) if blocks else np.zeros((0, len(CUES)))
    return cues, np.asarray(right), np.asarray(owner, dtype=np.int64)


def fit_sets(
    sets: Sequence[tuple[Sequence[TextScores], Sequence[Sequence[str]], float]], index: FeatureIndex, l2: float = 1.0,
    refines: Mapping[str, str] | None = None,
) -> ConfidenceModel:
    """Fit on several labelled sets at once: (each text's scores, its labels, the set's weight per statement)."""
    blocks = [(*training_rows(found, labels, index, refines), weight) for found, labels, weight in sets]
    cues = np.vstack([b[0] for b in blocks])
    right = np.concatenate([b[1] for b in blocks])
    weights = np.concatenate([np.full(len(b[1]), b[3]) for b in blocks])
    return fit(cues, right, l2, sample_weight=weights)
