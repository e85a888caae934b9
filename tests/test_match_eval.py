"""Floors on the labelled statements, so that a change to the matcher, the thesaurus or the aliases
cannot quietly make matching worse. The figures and how to reproduce them: benchmarks/bench_match.py.

Two sets: tests/data/match_eval.yaml only measures (nothing in the matcher or the catalogue was
written from its wording); tests/data/match_dev.yaml is the set the mechanisms and aliases were
tuned on. The issue's targets on the evaluation set are top-1 0.75, recall 0.8 and no-feature
statements unmatched 0.7. Top-1 and unmatched are met; recall is not (see the README), so its
floor sits a little below what the matcher reaches today, like the others:

- lexical (the default): evaluation 0.771 / 0.758 / 0.829, development 0.894 / 0.846 / 0.933;
- hybrid (`MatchOptions.hybrid()`, the `semantic` extra): evaluation 0.809 / 0.758 / 0.866,
  development 0.912 / 0.840 / 0.956.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from vendormatch.catalog import load_catalog
from vendormatch.match_measures import MatchFigures
from vendormatch.matching import MatchOptions, match_texts, measure
from vendormatch.semantic_scoring import semantic_available

ROOT = Path(__file__).resolve().parent.parent

#: (top-1, recall of chosen features, no-feature statements left unmatched)
FLOORS: dict[tuple[str, str], tuple[float, float, float]] = {
    ("lexical", "match_eval.yaml"): (0.76, 0.74, 0.80),
    ("lexical", "match_dev.yaml"): (0.88, 0.83, 0.91),
    ("hybrid", "match_eval.yaml"): (0.79, 0.74, 0.84),
    ("hybrid", "match_dev.yaml"): (0.89, 0.82, 0.93),
}


@cache
def _figures(method: str, name: str) -> MatchFigures:
    statements = yaml.safe_load((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))["statements"]
    catalog = load_catalog(ROOT / "catalog")
    options = MatchOptions.hybrid() if method == "hybrid" else MatchOptions()
    matches = match_texts([s["text"] for s in statements], catalog.features, options)
    return measure(matches, [s["features"] for s in statements])


def test_the_sets_are_large_and_varied_enough() -> None:
    for name, size in (("match_eval.yaml", 250), ("match_dev.yaml", 200)):
        figures = _figures("lexical", name)
        assert figures.labelled + figures.unlabelled >= size
        assert figures.unlabelled >= 40


@pytest.mark.parametrize("name", ["match_eval.yaml", "match_dev.yaml"])
def test_the_lexical_matcher_stays_above_its_floors(name: str) -> None:
    figures = _figures("lexical", name)
    top1, recall, unmatched = FLOORS["lexical", name]
    assert figures.top1 >= top1, figures
    assert figures.recall >= recall, figures
    assert figures.unmatched_when_none >= unmatched, figures


@pytest.mark.skipif(not semantic_available(), reason="the semantic extra is not installed: pip install 'vendormatch[semantic]'")
@pytest.mark.parametrize("name", ["match_eval.yaml", "match_dev.yaml"])
def test_the_hybrid_matcher_stays_above_its_floors(name: str) -> None:
    figures = _figures("hybrid", name)
    top1, recall, unmatched = FLOORS["hybrid", name]
    assert figures.top1 >= top1, figures
    assert figures.recall >= recall, figures
    assert figures.unmatched_when_none >= unmatched, figures
