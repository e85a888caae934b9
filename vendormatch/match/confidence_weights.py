"""The confidence model fitted on the development sets: written by `benchmarks/fit_confidence.py --write`.

One weight per cue of `vendormatch.match.confidence_model.CUES`, in that order. Refit whenever the
lexical scorer, the catalogue's phrases or the development sets change; tests/test_match_eval.py
fails while these figures differ from a refit.
"""

from __future__ import annotations

from vendormatch.match.confidence_model import ConfidenceModel

DEFAULT_MODEL = ConfidenceModel(
    intercept=-4.3340,
    weights=(0.9133, 4.7657, 0.1896, 2.6417, 1.3013, 0.8504, 1.0723, -2.8091, -3.8313, 1.4660),
)
