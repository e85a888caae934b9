"""Matcher benchmark: quality on the labelled sets (pooled, per source, calibration), then speed.

    python benchmarks/bench_match.py             the development sets, with figures per source
    python benchmarks/bench_match.py --sealed    also the sealed test set (report only: never tune on it)
    python benchmarks/bench_match.py --lexical   the uncalibrated lexical decisions, for comparison
    python benchmarks/bench_match.py --semantic  the hybrid too (the `semantic` extra: pip install '.[semantic]';
                                                 its first run embeds the catalogue's phrases, about 25 s)

Development sets (the matcher and its confidence model are tuned on these): tests/data/match_dev.yaml
and match_eval.yaml, statements written for this project, and rfp_dev.yaml, real statements from
19 public procurement documents. Sealed: tests/data/rfp_sealed.yaml, real statements from 43 other
documents in other sectors. The confidence model's own cross-validated figures on the development
sets: benchmarks/fit_confidence.py.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_taxonomy import synthetic_features, synthetic_requirements

from vendormatch.files.catalog import load_catalog
from vendormatch.match.labelled import figures_by, read_labelled, refinements
from vendormatch.match.matcher import MatchOptions, build_index, match_texts
from vendormatch.match.measures import MatchFigures, calibration, measure
from vendormatch.match.semantic import semantic_available

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT = ("match_dev.yaml", "match_eval.yaml", "rfp_dev.yaml")
SEALED = ("rfp_sealed.yaml",)


def _line(name: str, f: MatchFigures) -> str:
    return (f"{name[:44]:44s} {f.labelled + f.unlabelled:4d}  top-1 {f.top1:.3f}  top-3 {f.top3:.3f}  "
            f"P {f.precision:.3f}  R {f.recall:.3f}  none {f.unmatched_when_none:.3f}  "
            f"matched right {f.matched_right:.3f} of {f.matched}")


def quality(options: MatchOptions, label: str, names: tuple[str, ...]) -> None:
    """Print each set's figures, pooled then per source and per sector, and its calibration table."""
    catalog = load_catalog(ROOT / "catalog")
    refines = refinements(catalog.features)
    for name in names:
        labelled = read_labelled(ROOT / "tests" / "data" / name, list(catalog.features))
        start = time.perf_counter()
        matches = match_texts(labelled.texts, catalog.features, options)
        seconds = time.perf_counter() - start
        print(f"{label} on {name}: {len(labelled.statements)} statements from {len(labelled.sources) or 1} "
              f"source(s), matched in {seconds:.2f} s")
        print("  " + _line("pooled", measure(matches, labelled.labels, refines)))
        if labelled.sources:
            for sector, figures in figures_by(labelled, matches, "sector", refines).items():
                print("  " + _line(f"sector {sector}", figures))
            for source, figures in figures_by(labelled, matches, refines=refines).items():
                print("    " + _line(source, figures))
        for band in calibration(matches, labelled.labels, refines=refines):
            print(f"  score {band.low:3.0f}-{band.high:3.0f}: {band.count:4d} texts, best candidate right {band.share:.2f}")


def speed(features: int = 2000, requirements: int = 2000, runs: int = 5) -> None:
    """Print the median time to index a synthetic taxonomy and match requirements against it."""
    taxonomy = synthetic_features(features)
    texts = synthetic_requirements(taxonomy, requirements)
    aliases = sum(len(f.aliases) for f in taxonomy.values())
    totals, matching = [], []
    for _ in range(runs):
        start = time.perf_counter()
        index = build_index(taxonomy)
        indexed = time.perf_counter()
        match_texts(texts, index)
        end = time.perf_counter()
        totals.append(end - start)
        matching.append(end - indexed)
    print(f"speed: {requirements} requirements x {features} features ({aliases} aliases), median of {runs} runs")
    print(f"  index + match {statistics.median(totals):.3f} s   (match alone, warm index {statistics.median(matching):.3f} s)")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    names = DEVELOPMENT + (SEALED if "--sealed" in arguments else ())
    quality(MatchOptions(), "calibrated (the default)", names)
    if "--lexical" in arguments:
        quality(MatchOptions(calibrated=False), "lexical decisions", names)
    if "--semantic" in arguments:
        if semantic_available():
            quality(MatchOptions.hybrid(), "hybrid", names)
        else:
            print("hybrid: skipped, the semantic extra is not installed (pip install '.[semantic]')")
    speed()
