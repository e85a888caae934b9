"""Floors on the labelled evaluation set, so that a change to the matcher or the aliases cannot
quietly make matching worse. The figures and how to reproduce them: benchmarks/bench_match.py.

The floors sit a little below what the matcher reaches today (top-1 0.652, recall 0.602,
no-feature statements unmatched 0.659); the issue's targets (0.75, 0.8, 0.7) are not met yet.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from vendormatch.catalog import load_catalog
from vendormatch.matching import match_texts, measure

ROOT = Path(__file__).resolve().parent.parent

TOP1_FLOOR = 0.62
RECALL_FLOOR = 0.57
UNMATCHED_WHEN_NONE_FLOOR = 0.62


def test_the_matcher_stays_above_its_floors_on_the_evaluation_set() -> None:
    statements = yaml.safe_load((ROOT / "tests" / "data" / "match_eval.yaml").read_text(encoding="utf-8"))["statements"]
    assert len(statements) >= 250
    catalog = load_catalog(ROOT / "catalog")
    figures = measure(match_texts([s["text"] for s in statements], catalog.features), [s["features"] for s in statements])
    assert figures.top1 >= TOP1_FLOOR, figures
    assert figures.recall >= RECALL_FLOOR, figures
    assert figures.unmatched_when_none >= UNMATCHED_WHEN_NONE_FLOOR, figures
