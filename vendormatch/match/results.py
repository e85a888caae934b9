"""What the matcher decides for a requirement: status, chosen features and ranked candidates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["pinned", "locked", "matched", "ambiguous", "unmatched"]
STATUSES: tuple[Status, ...] = ("pinned", "locked", "matched", "ambiguous", "unmatched")
CHOOSING: frozenset[str] = frozenset({"matched", "locked"})
NOT_CHOOSING: frozenset[str] = frozenset({"ambiguous", "unmatched"})


@dataclass(frozen=True)
class Candidate:
    """A feature proposed for a requirement, its score (0-100) and the phrase that matched."""

    feature: str
    score: float
    #: The feature's name, alias or description that matched, as the catalogue writes it.
    via: str


@dataclass(frozen=True)
class RequirementMatch:
    """What the matcher (or a pin, or a lock) decided for one requirement."""

    requirement: str
    status: Status
    #: The features the requirement needs; empty when ambiguous or unmatched.
    features: tuple[str, ...]
    #: Ranked proposals, best first (chosen features first when there are any).
    candidates: tuple[Candidate, ...]
    #: Why an ambiguous or unmatched requirement was not matched, for the person who reviews it.
    reason: str = ""

    def __post_init__(self) -> None:
        if self.status in CHOOSING and not self.features:
            raise ValueError(f"a {self.status} requirement needs features")
        if self.status in NOT_CHOOSING and self.features:
            raise ValueError(f"an {self.status} requirement chooses no feature")

    @property
    def top_feature(self) -> str | None:
        """The first chosen feature, else the best candidate, else None."""
        if self.features:
            return self.features[0]
        return self.candidates[0].feature if self.candidates else None


@dataclass(frozen=True)
class MatchResult:
    """The match of every requirement of a strategy, in strategy order."""

    requirements: tuple[RequirementMatch, ...]

    def by_id(self) -> dict[str, RequirementMatch]:
        """The matches keyed by requirement id."""
        return {m.requirement: m for m in self.requirements}

    def needing_review(self) -> tuple[RequirementMatch, ...]:
        """The ambiguous and unmatched requirements, which the shortlist must not score silently."""
        return tuple(m for m in self.requirements if m.status in NOT_CHOOSING)
