"""A catalogue's feature phrases reduced to weighted stems, built once and reused for many texts.

Every feature is known by phrases: its name, its aliases (the buyers' words, the main lever) and
its description (one phrase per sentence). Each phrase becomes a tuple of stem numbers
(`text_normalise`); a stem's weight is its rarity across the catalogue's features (a word every
feature uses proves nothing).

All of a feature's phrases together are also read as one document, and each stem gets an Okapi
BM25 term weight in each document that holds it (`terms`): how often the feature uses the word,
damped, and how rare the word is. The phrases of statements no feature serves (`out_of_scope`)
are kept apart, each weighed by the rarity of its words.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from vendormatch.files.models import Feature
from vendormatch.match.normalise import stems
from vendormatch.match.options import DEFAULT_OPTIONS, MatchOptions
from vendormatch.match.out_of_scope import phrases as out_of_scope_phrases

NAME, ALIAS, DESCRIPTION = 0, 1, 2


@dataclass(frozen=True)
class Phrase:
    """One name, alias or description of a feature, as stem numbers with their summed weight."""

    feature: int
    kind: int
    text: str
    tokens: tuple[int, ...]
    weight: float


@dataclass
class FeatureIndex:
    """A catalogue's phrases reduced to weighted stems, built once and reused for many texts."""

    ids: list[str]
    phrases: list[Phrase]
    vocabulary: dict[str, int]
    weights: list[float]
    #: Stem -> the numbers of the phrases holding it.
    postings: dict[int, NDArray[np.int32]] = field(default_factory=dict)
    #: Each phrase's weight (the sum of its stems' rarity weights), as an array.
    phrase_weights: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    #: Each phrase's feature number, and whether it is a description sentence, as arrays.
    phrase_features: NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    phrase_descriptions: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    #: The features themselves, for scorers that read whole phrases (the semantic one).
    features: Mapping[str, Feature] = field(default_factory=dict)
    #: Stem -> (the features holding it, its BM25 weight in each), as parallel arrays.
    terms: dict[int, tuple[NDArray[np.int32], NDArray[np.float64]]] = field(default_factory=dict)
    #: Each feature's phrase numbers.
    feature_phrases: list[list[int]] = field(default_factory=list)
    #: The out-of-scope vocabulary's phrases, as stem numbers (`feature` is len(ids)).
    out_of_scope: list[Phrase] = field(default_factory=list)
    #: Each out-of-scope stem's rarity among the features and the out-of-scope vocabulary.
    out_of_scope_weights: dict[int, float] = field(default_factory=dict)
    #: Out-of-scope stem -> the numbers of the out-of-scope phrases holding it.
    out_of_scope_postings: dict[int, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class FeatureScore:
    """A feature's score (0-100) for one text, the phrase that gave it and the stems it rests on."""

    feature: int
    score: float
    via: str
    #: Each stem the score rests on, with its share of the lexical evidence, by stem number.
    parts: tuple[tuple[int, float], ...] = ()
    #: The weight of the heaviest name or alias of the feature that the text holds whole (0: none).
    held: float = 0.0

    @cached_property
    def evidence(self) -> frozenset[int]:
        """The stems the score rests on."""
        return frozenset(stem for stem, _ in self.parts)

    def evidence_without(self, explained: frozenset[int]) -> float:
        """The lexical evidence this feature has from stems outside `explained`."""
        return sum(weight for stem, weight in self.parts if stem not in explained)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def feature_phrases(feature: Feature) -> list[tuple[int, str]]:
    """A feature's phrases with their kind: the name, each alias, then each sentence of the description."""
    phrases = [(NAME, feature.name)]
    phrases.extend((ALIAS, alias) for alias in feature.aliases)
    if feature.description:
        phrases.extend((DESCRIPTION, sentence) for sentence in _SENTENCE_END.split(feature.description.strip()))
    return phrases


def build_index(features: Mapping[str, Feature], options: MatchOptions = DEFAULT_OPTIONS, *,
                stemmer: Callable[[str], Sequence[str]] = stems) -> FeatureIndex:
    """Reduce every name, alias and description to stems and weigh each stem by its rarity.

    `stemmer` gives a text's stems: `normalise.stems`, or a cache in front of it (match.stem_cache)."""
    ids = sorted(features)
    vocabulary: dict[str, int] = {}
    raw: list[tuple[int, int, str, tuple[int, ...]]] = []
    feature_stems: list[set[int]] = []
    for number, feature_id in enumerate(ids):
        seen: set[int] = set()
        for kind, text in feature_phrases(features[feature_id]):
            tokens = tuple(dict.fromkeys(vocabulary.setdefault(s, len(vocabulary)) for s in stemmer(text)))
            if tokens:
                raw.append((number, kind, text, tokens))
                seen.update(tokens)
        feature_stems.append(seen)
    frequency = [0] * len(vocabulary)
    for seen in feature_stems:
        for token in seen:
            frequency[token] += 1
    # Inverse feature frequency scaled to (0, 1]: a stem of one feature weighs 1.
    top = math.log(1 + len(ids)) if ids else 1.0
    weights = [(math.log(1 + len(ids) / f) / top) for f in frequency]
    phrases = [Phrase(n, k, t, toks, sum(weights[x] for x in toks)) for n, k, t, toks in raw]
    lists: dict[int, list[int]] = defaultdict(list)
    by_feature: list[list[int]] = [[] for _ in ids]
    for number, phrase in enumerate(phrases):
        by_feature[phrase.feature].append(number)
        for token in phrase.tokens:
            lists[token].append(number)
    postings = {token: np.array(numbers, dtype=np.int32) for token, numbers in lists.items()}
    phrase_weights = np.array([p.weight for p in phrases], dtype=np.float64)
    terms = _bm25_terms(phrases, len(ids), options)
    excluded_texts = out_of_scope_phrases() if options.out_of_scope else ()
    excluded_tokens = [
        tuple(dict.fromkeys(vocabulary.setdefault(s, len(vocabulary)) for s in stemmer(text))) for text in excluded_texts
    ]
    # An out-of-scope word weighs by its rarity among the features and the vocabulary itself:
    # "tenderer" (no feature) weighs 1, "proposal" (several features) much less.
    frequency.extend([0] * (len(vocabulary) - len(frequency)))
    scale = math.log(2 + len(ids))
    rarity = {t: math.log(1 + (len(ids) + 1) / (frequency[t] + 1)) / scale for toks in excluded_tokens for t in toks}
    excluded = [
        Phrase(len(ids), ALIAS, text, tokens, sum(rarity[t] for t in tokens))
        for text, tokens in zip(excluded_texts, excluded_tokens, strict=True)
        if tokens
    ]
    excluded_postings: dict[int, list[int]] = defaultdict(list)
    for number, phrase in enumerate(excluded):
        for token in phrase.tokens:
            excluded_postings[token].append(number)
    # Stems only the out-of-scope vocabulary holds prove nothing about a feature.
    weights.extend([0.0] * (len(vocabulary) - len(weights)))
    return FeatureIndex(
        ids, phrases, vocabulary, weights, postings, phrase_weights,
        np.array([p.feature for p in phrases], dtype=np.int32), np.array([p.kind == DESCRIPTION for p in phrases], dtype=bool),
        dict(features), terms, by_feature, excluded, rarity, dict(excluded_postings),
    )


def _bm25_terms(
    phrases: list[Phrase], documents: int, options: MatchOptions
) -> dict[int, tuple[NDArray[np.int32], NDArray[np.float64]]]:
    """Each stem's BM25 weight in every document (feature) that holds it, as parallel arrays.

    A document's term frequency counts the phrases that use the stem, a description sentence
    counting `description_factor`; the inverse document frequency is scaled so that a stem of
    one document in a catalogue of n weighs the same whatever n is (log(1 + n) -> 1).
    """
    if not documents or not phrases:
        return {}
    vocabulary = 1 + max(max(p.tokens) for p in phrases)
    owner = np.repeat(np.array([p.feature for p in phrases], dtype=np.int64), [len(p.tokens) for p in phrases])
    token = np.fromiter((t for p in phrases for t in p.tokens), dtype=np.int64, count=len(owner))
    share = np.repeat(
        np.array([options.description_factor if p.kind == DESCRIPTION else 1.0 for p in phrases]),
        [len(p.tokens) for p in phrases],
    )
    # One entry per (stem, document), ordered by stem then document: the term frequencies.
    pairs, inverse = np.unique(token * documents + owner, return_inverse=True)
    frequency = np.bincount(inverse, weights=share)
    stem_of, document_of = pairs // documents, pairs % documents
    lengths = np.bincount(owner, weights=share, minlength=documents)
    average = float(lengths.mean()) or 1.0
    holders = np.bincount(stem_of, minlength=vocabulary)
    rarity = np.log(1 + documents / np.maximum(holders, 1)) / math.log(1 + documents)
    k1, b = options.bm25_k1, options.bm25_b
    weights = rarity[stem_of] * frequency * (k1 + 1) / (frequency + k1 * (1 - b + b * lengths[document_of] / average))
    bounds = np.searchsorted(stem_of, np.arange(vocabulary + 1))
    terms: dict[int, tuple[NDArray[np.int32], NDArray[np.float64]]] = {}
    for stem in np.flatnonzero(holders).tolist():
        low, high = int(bounds[stem]), int(bounds[stem + 1])
        terms[stem] = (document_of[low:high].astype(np.int32), weights[low:high])
    return terms


def score_of(evidence: float) -> float:
    """Lexical evidence (a sum of stem weights) as a score from 0 to 100: 100 x (1 - exp(-evidence))."""
    return 100 * (1 - math.exp(-max(evidence, 0.0)))


def evidence_of(score: float) -> float:
    """The evidence behind a score: the inverse of `score_of` (a score of 100 counts as 99.9)."""
    return -math.log(1 - min(max(score, 0.0), 99.9) / 100)


def shared(evidence: frozenset[int], other: frozenset[int], index: FeatureIndex) -> float:
    """The share of `evidence`'s weight that `other` also explains (1.0 for no evidence)."""
    total = sum(index.weights[t] for t in evidence)
    return sum(index.weights[t] for t in evidence & other) / total if total else 1.0
