"""Fit the matcher's confidence model on the development sets, report it cross-validated, and write it.

The development sets are tests/data/match_dev.yaml and match_eval.yaml (statements written for this
project) and rfp_dev.yaml (real statements from public procurement documents, which weigh
`REAL_WEIGHT` times as much: they are what users write). The sealed set, rfp_sealed.yaml, is never
read here.

Cross-validation leaves one source out at a time (each hand-written file is one source, each
procurement document another), fits on the rest and scores the held-out source, so the figures
say how the model does on a source it has never seen. Then the model is fitted on everything.

    python benchmarks/fit_confidence.py            print the cross-validated figures and the model
    python benchmarks/fit_confidence.py --write    also write vendormatch/match/confidence_weights.py

Run by hand; nothing here is a test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from vendormatch.files.catalog import load_catalog
from vendormatch.match.confidence import confidences, fit_sets
from vendormatch.match.confidence_model import CUES, ConfidenceModel
from vendormatch.match.decisions import decide_confidently
from vendormatch.match.feature_index import build_index
from vendormatch.match.labelled import LabelledSet, read_labelled, refinements
from vendormatch.match.lexical import TextScores, lexical_scores
from vendormatch.match.measures import calibration, measure
from vendormatch.match.options import MatchOptions

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
#: (file, weight of each of its statements)
DEVELOPMENT = (("match_dev.yaml", 1.0), ("match_eval.yaml", 1.0), ("rfp_dev.yaml", 3.0))
L2 = 1.0
TARGET = ROOT / "vendormatch" / "match" / "confidence_weights.py"


def main() -> None:
    catalog = load_catalog(ROOT / "catalog")
    refines = refinements(catalog.features)
    options = MatchOptions()
    index = build_index(catalog.features, options)
    sets: list[tuple[LabelledSet, list[TextScores], float]] = []
    for name, weight in DEVELOPMENT:
        labelled = read_labelled(DATA / name, list(catalog.features))
        sets.append((labelled, lexical_scores(labelled.texts, index, options), weight))
    print("leave one source out:")
    for held_set, held_found, _ in sets:
        matches = []
        for source in sorted({s.source for s in held_set.statements}):
            parts = []
            for labelled, found, weight in sets:
                keep = [i for i, s in enumerate(labelled.statements) if s.source != source]
                parts.append(([found[i] for i in keep], [labelled.labels[i] for i in keep], weight))
            model = fit_sets(parts, index, L2, refines)
            rows = [i for i, s in enumerate(held_set.statements) if s.source == source]
            sure = confidences([held_found[i] for i in rows], index, model)
            for i, confidence in zip(rows, sure, strict=True):
                matches.append((i, decide_confidently(str(i), held_found[i], confidence, index, options)))
        ordered = [m for _, m in sorted(matches, key=lambda x: x[0])]
        f = measure(ordered, held_set.labels, refines)
        print(f"  {held_set.name:16s} top-1 {f.top1:.3f}  top-3 {f.top3:.3f}  precision {f.precision:.3f}  "
              f"recall {f.recall:.3f}  no-feature unmatched {f.unmatched_when_none:.3f}  "
              f"matched right {f.matched_right:.3f} ({f.matched} matched)")
        for band in calibration(ordered, held_set.labels, refines=refines):
            print(f"      confidence {band.low:3.0f}-{band.high:3.0f}: {band.count:4d} texts, "
                  f"best candidate right {band.share:.2f}")
    model = fit_sets([(found, labelled.labels, weight) for labelled, found, weight in sets], index, L2,
                     refines)
    print("fitted on every development statement:")
    print(f"  intercept {model.intercept:+.4f}")
    for cue, weight in zip(CUES, model.weights, strict=True):
        print(f"  {cue:13s} {weight:+.4f}")
    if "--write" in sys.argv[1:]:
        TARGET.write_text(_module(model), encoding="utf-8")
        print(f"wrote {TARGET.relative_to(ROOT)}")


def _module(model: ConfidenceModel) -> str:
    weights = ", ".join(f"{w:.4f}" for w in model.weights)
    return (
        '"""The confidence model fitted on the development sets: written by `benchmarks/fit_confidence.py --write`.\n\n'
        "One weight per cue of `vendormatch.match.confidence_model.CUES`, in that order. Refit whenever the\n"
        "lexical scorer, the catalogue's phrases or the development sets change; tests/test_match_eval.py\n"
        'fails while these figures differ from a refit.\n"""\n\n'
        "from __future__ import annotations\n\n"
        "from vendormatch.match.confidence_model import ConfidenceModel\n\n"
        "DEFAULT_MODEL = ConfidenceModel(\n"
        f"    intercept={model.intercept:.4f},\n"
        f"    weights=({weights}),\n"
        ")\n"
    )


if __name__ == "__main__":
    np.set_printoptions(precision=4)
    main()
