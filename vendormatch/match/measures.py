"""How well a matcher's decisions agree with labelled statements (the evaluation figures)."""

from __future__ import annotations

from collections.abc import Sequence
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


def measure(matches: Sequence[RequirementMatch], labels: Sequence[Sequence[str]]) -> MatchFigures:
    """Compare matches with the labels of the same texts, in the same order."""
    top1 = hits = wanted = chosen = right = none = left = 0
    for match, label in zip(matches, labels, strict=True):
        picked = set(match.features)
        chosen += len(picked)
        right += len(picked & set(label))
        if label:
            top1 += match.top_feature == label[0]
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
    )
