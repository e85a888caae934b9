"""The confidence model's shape: the cues it reads and a logistic model over them (`confidence` computes both)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

#: The cues, in column order: each a number from about 0 to 1.
CUES = (
    "score",  # the lexical score / 100
    "evidence",  # the lexical evidence, capped at 6, / 6
    "first",  # 1 for the best lexical candidate
    "lead",  # this score minus the best other candidate's, / 100 (negative when behind)
    "coverage",  # share of the text's catalogue words (by rarity) the feature explains
    "own",  # share of the feature's evidence on words no better-ranked candidate explains
    "held",  # weight of the heaviest name or alias held whole, capped at 3, / 3
    "length",  # log(1 + content words) / log(60)
    "out_of_scope",  # out-of-scope evidence over the feature's, capped at 4, / 4
    "stems",  # log(1 + distinct stems behind the score) / log(8)
)


@dataclass(frozen=True)
class ConfidenceModel:
    """A logistic model over the cues: an intercept and one weight per cue."""

    intercept: float
    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.weights) != len(CUES):
            raise ValueError(f"a confidence model needs {len(CUES)} weights, one per cue, got {len(self.weights)}")

    def probabilities(self, cues: NDArray[np.float64]) -> NDArray[np.float64]:
        """The probability for each row of cues."""
        if not len(cues):
            return np.zeros(0)
        logits = self.intercept + cues @ np.asarray(self.weights)
        result: NDArray[np.float64] = 1 / (1 + np.exp(-np.clip(logits, -30, 30)))
        return result
