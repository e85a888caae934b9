"""The confidence model fitted on the development sets: written by `benchmarks/fit_confidence.py --write`.

One weight per cue of `vendormatch.match.confidence_model.CUES`, in that order. Refit whenever the
lexical scorer, the catalogue's phrases or the development sets change; tests/test_match_eval.py
fails while these figures differ from a refit.
"""

from __future__ import annotations

from vendormatch.match.confidence_model import ConfidenceModel

DEFAULT_MODEL = ConfidenceModel(
    intercept=-4.5200,
    weights=(0.8365, 4.6542, 0.0428, 3.1250, 1.1748, 1.0192, 1.1260, -2.6758, -3.7606, 1.6914),
)
