"""Matching requirements written in business language to catalogue features: the public API.

The work is split by job: `feature_index` reduces the catalogue's names, aliases and descriptions
to weighted stems; `lexical_scoring` scores each text against them; `semantic_scoring` (optional,
`pip install '.[semantic]'`, `MatchOptions.hybrid()`) blends in a text-embedding
model's similarity; `match_decisions` turns the scores into a status, chosen features and
candidates; `match_rendering` and `match_measures` render and measure the results. This module
ties them together and re-exports what callers use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from vendormatch.files.models import Feature, Strategy, feature_keys
from vendormatch.match.confidence import confidences
from vendormatch.match.confidence_weights import DEFAULT_MODEL
from vendormatch.match.decisions import decide, decide_confidently
from vendormatch.match.feature_index import FeatureIndex, build_index
from vendormatch.match.lexical import lexical_scores
from vendormatch.match.measures import MatchFigures, measure
from vendormatch.match.options import DEFAULT_OPTIONS, MatchOptions
from vendormatch.match.rendering import format_match_table, match_to_json
from vendormatch.match.results import STATUSES, Candidate, MatchResult, RequirementMatch, Status
from vendormatch.match.stem_cache import StemCache

__all__ = [
    "STATUSES",
    "Candidate",
    "FeatureIndex",
    "MatchFigures",
    "MatchOptions",
    "MatchResult",
    "RequirementMatch",
    "Status",
    "build_index",
    "format_match_table",
    "match_requirements",
    "match_texts",
    "match_to_json",
    "measure",
]


def match_texts(
    texts: Sequence[str],
    features: Mapping[str, Feature] | FeatureIndex,
    options: MatchOptions = DEFAULT_OPTIONS,
    *,
    ids: Sequence[str] | None = None,
    cache: bool = False,
) -> list[RequirementMatch]:
    """Match free texts to features; each result's `requirement` is its id (default "1", "2", ...).

    With `cache`, the stems of the catalogue's phrases come from the user's cache directory when they
    were computed before (see vendormatch.match.stem_cache); the matches are the same either way."""
    if isinstance(features, FeatureIndex):
        index = features
    elif cache:
        stem_cache = StemCache()
        index = build_index(features, options, stemmer=stem_cache.stems)
        stem_cache.save()
    else:
        index = build_index(features, options)
    names = list(ids) if ids is not None else [str(i + 1) for i in range(len(texts))]
    if len(names) != len(texts):
        raise ValueError("match_texts needs one id per text")
    scores = lexical_scores(texts, index, options)
    if options.semantic and texts:
        from vendormatch.match.semantic import blend_semantic

        scores = blend_semantic(texts, scores, index, options, cache=cache)
    if options.calibrated:
        sure = confidences(scores, index, options.model or DEFAULT_MODEL)
        return [
            decide_confidently(name, ranked, confidence, index, options)
            for name, ranked, confidence in zip(names, scores, sure, strict=True)
        ]
    return [decide(name, ranked, index, options) for name, ranked in zip(names, scores, strict=True)]


def match_requirements(
    strategy: Strategy, features: Mapping[str, Feature] | FeatureIndex, options: MatchOptions = DEFAULT_OPTIONS,
    *, cache: bool = False,
) -> MatchResult:
    """Match every requirement of a strategy; pinned `features` always win (status "pinned").
    `cache` as for `match_texts`."""
    requirements = strategy.requirements
    found = match_texts([r.text for r in requirements], features, options, ids=[r.id for r in requirements],
                        cache=cache)
    return MatchResult(tuple(
        RequirementMatch(requirement.id, "pinned", feature_keys(requirement.features), fresh.candidates)
        if requirement.features is not None else fresh
        for requirement, fresh in zip(requirements, found, strict=True)
    ))
