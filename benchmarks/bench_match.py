"""Matcher benchmark: quality on the labelled sets, then speed on a synthetic taxonomy.

Run: .venv/bin/python benchmarks/bench_match.py            (the lexical matcher, the default)
     .venv/bin/python benchmarks/bench_match.py --semantic (also the hybrid, if the extra is installed)

tests/data/match_eval.yaml only measures; tests/data/match_dev.yaml is the set the matcher was
tuned on. The hybrid's speed is measured on the evaluation set against the shipped catalogue,
cold (model loaded, every sentence embedded) and warm (embeddings cached in the process).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_taxonomy import synthetic_features, synthetic_requirements

from vendormatch.files.catalog import load_catalog
from vendormatch.match.matcher import MatchOptions, build_index, match_texts, measure
from vendormatch.match.semantic import semantic_available

ROOT = Path(__file__).resolve().parent.parent
SETS = ("match_eval.yaml", "match_dev.yaml")


def _statements(name: str) -> list[dict[str, object]]:
    data = yaml.safe_load((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
    statements: list[dict[str, object]] = data["statements"]
    return statements


def quality(options: MatchOptions, label: str) -> None:
    """Print top-1, recall, precision and the share of no-feature statements left unmatched, per set."""
    catalog = load_catalog(ROOT / "catalog")
    for name in SETS:
        statements = _statements(name)
        start = time.perf_counter()
        matches = match_texts([str(s["text"]) for s in statements], catalog.features, options)
        seconds = time.perf_counter() - start
        labels: list[list[str]] = [list(s["features"]) for s in statements]  # type: ignore[call-overload]
        figures = measure(matches, labels)
        statuses = {s: sum(1 for m in matches if m.status == s) for s in ("matched", "ambiguous", "unmatched")}
        print(f"{label} on {name}: {len(statements)} statements ({figures.labelled} labelled, "
              f"{figures.unlabelled} with no feature), matched in {seconds:.2f} s")
        print(f"  top-1 accuracy            {figures.top1:.3f}")
        print(f"  recall of chosen features {figures.recall:.3f}")
        print(f"  precision of chosen       {figures.precision:.3f}")
        print(f"  no-feature left unmatched {figures.unmatched_when_none:.3f}")
        wanted = sum(len(label) for label in labels)
        for k in (2, 5):
            found = sum(len(set(label) & {c.feature for c in m.candidates[:k]}) for m, label in zip(matches, labels, strict=True))
            print(f"  labels among the first {k} candidates {found / wanted:.3f}")
        print("  statuses: " + ", ".join(f"{n} {s}" for s, n in statuses.items()))


def speed(features: int = 2000, requirements: int = 2000, runs: int = 5) -> None:
    """Print the median time to index a synthetic taxonomy and match requirements against it (lexical)."""
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
    print(f"lexical speed: {requirements} requirements x {features} features ({aliases} aliases), median of {runs} runs")
    print(f"  index + match {statistics.median(totals):.3f} s   (match alone {statistics.median(matching):.3f} s)")


if __name__ == "__main__":
    quality(MatchOptions(), "lexical")
    if "--semantic" in sys.argv[1:]:
        if semantic_available():
            quality(MatchOptions.hybrid(), "hybrid")
        else:
            print("hybrid: skipped, the semantic extra is not installed (pip install 'vendormatch[semantic]')")
    speed()
