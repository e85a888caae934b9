"""How well a matcher's decisions agree with labelled statements (the evaluation figures)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vendormatch.match.results import RequirementMatch


@dataclass(frozen=True)
class MatchFigures:
    """How well matches agree with labels (each label list: every feature asked for, main one first)."""

    #: Share of labelled texts whose first chosen feature (else best candidate) is the first label.
    top1: float
    #: Share of all labels that were chosen.
    recall: float
    #: Share of chosen features that are labels.
    precision: float
    #: Share of texts labelled `[]` (no feature serves them) left unmatched.
    unmatched_when_none: float
    labelled: int
    unlabelled: int
    #: Share of labelled texts whose first label is among the first three candidates.
    top3: float = 0.0
    #: Share of `matched` texts whose chosen features are all labels (a no-feature text matched is wrong).
    matched_right: float = 0.0
    #: How many texts were `matched`.
    matched: int = 0


def in_label_terms(feature: str, label: Sequence[str], refines: Mapping[str, str] | None) -> str:
    """The feature as a label would name it: a narrower feature (`refines`) counts as the broader label.

    Labels written before a feature was split out of a broader one (data hosted in the UK out of
    hosting and data residency) name the broader one; a match to the narrower one serves them.
    """
    if refines and feature not in label and refines.get(feature) in label:
        return refines[feature]
    return feature


def _top3(match: RequirementMatch, label: Sequence[str], refines: Mapping[str, str] | None) -> bool:
    ranked = list(match.features) + [c.feature for c in match.candidates if c.feature not in match.features]
    return label[0] in [in_label_terms(f, label, refines) for f in ranked[:3]]


def measure(matches: Sequence[RequirementMatch], labels: Sequence[Sequence[str]],
            refines: Mapping[str, str] | None = None) -> MatchFigures:
    """Compare matches with the labels of the same texts, in the same order (see `in_label_terms`)."""
    top1 = top3 = hits = wanted = chosen = right = none = left = matched = matched_right = 0
    for match, label in zip(matches, labels, strict=True):
        picked = {in_label_terms(f, label, refines) for f in match.features}
        chosen += len(picked)
        right += len(picked & set(label))
        if match.status == "matched":
            matched += 1
            matched_right += bool(label) and picked <= set(label)
        if label:
            top1 += match.top_feature is not None and in_label_terms(match.top_feature, label, refines) == label[0]
            top3 += _top3(match, label, refines)
            wanted += len(label)
            hits += len(picked & set(label))
        else:
            none += 1
            left += match.status == "unmatched"
    labelled = len(labels) - none
    return MatchFigures(
        top1=top1 / labelled if labelled else 0.0,
        recall=hits / wanted if wanted else 0.0,
        precision=right / chosen if chosen else 0.0,
        unmatched_when_none=left / none if none else 0.0,
        labelled=labelled,
        unlabelled=none,
        top3=top3 / labelled if labelled else 0.0,
        matched_right=matched_right / matched if matched else 0.0,
        matched=matched,
    )


@dataclass(frozen=True)
class Band:
    """One band of best-candidate scores: how many texts fell in it and how often that candidate was right."""

    low: float
    high: float
    count: int
    right: int

    @property
    def share(self) -> float:
        """The share of the band's best candidates that are labels of their text (0 when the band is empty)."""
        return self.right / self.count if self.count else 0.0


def calibration(
    matches: Sequence[RequirementMatch], labels: Sequence[Sequence[str]], edges: Sequence[float] = (0, 50, 75, 85, 95),
    refines: Mapping[str, str] | None = None,
) -> list[Band]:
    """For each band of the best candidate's score, the share of texts whose best candidate is one of their labels.

    `edges` are the bands' lower bounds, rising; the last band runs to 100 inclusive. Texts with no
    candidate are left out: they have no score to calibrate.
    """
    bounds = [*edges, float("inf")]
    counts = [0] * len(edges)
    rights = [0] * len(edges)
    for match, label in zip(matches, labels, strict=True):
        if not match.candidates:
            continue
        best = match.candidates[0]
        band = max(i for i, low in enumerate(edges) if best.score >= low) if best.score >= edges[0] else None
        if band is None:
            continue
        counts[band] += 1
        rights[band] += in_label_terms(best.feature, label, refines) in label
    return [Band(edges[i], min(bounds[i + 1], 100.0), counts[i], rights[i]) for i in range(len(edges))]
