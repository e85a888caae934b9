"""Matcher benchmark: quality on tests/data/match_eval.yaml, then speed on a synthetic taxonomy.

Run: .venv/bin/python benchmarks/bench_match.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_taxonomy import synthetic_features, synthetic_requirements

from vendormatch.catalog import load_catalog
from vendormatch.matching import build_index, match_texts, measure

ROOT = Path(__file__).resolve().parent.parent


def quality() -> None:
    """Print top-1, recall, precision and the share of no-feature statements left unmatched."""
    statements = yaml.safe_load((ROOT / "tests" / "data" / "match_eval.yaml").read_text(encoding="utf-8"))["statements"]
    catalog = load_catalog(ROOT / "catalog")
    matches = match_texts([s["text"] for s in statements], catalog.features)
    figures = measure(matches, [s["features"] for s in statements])
    print(f"evaluation: {len(statements)} statements ({figures.labelled} labelled, {figures.unlabelled} with no feature)")
    print(f"  top-1 accuracy            {figures.top1:.3f}")
    print(f"  recall of chosen features {figures.recall:.3f}")
    print(f"  precision of chosen       {figures.precision:.3f}")
    print(f"  no-feature left unmatched {figures.unmatched_when_none:.3f}")
    statuses = {s: sum(1 for m in matches if m.status == s) for s in ("matched", "ambiguous", "unmatched")}
    print("  statuses: " + ", ".join(f"{n} {s}" for s, n in statuses.items()))


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
    print(f"  index + match {statistics.median(totals):.3f} s   (match alone {statistics.median(matching):.3f} s)")


if __name__ == "__main__":
    quality()
    speed()
