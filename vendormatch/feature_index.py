"""A catalogue's feature phrases reduced to weighted stems, built once and reused for many texts.

Every feature is known by phrases: its name, its aliases (the buyers' words, the main lever) and
its description (one phrase per sentence). Each phrase becomes a tuple of stem numbers
(`text_normalise`); a stem's weight is its rarity across the catalogue's features (a word every
feature uses proves nothing).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from vendormatch.match_options import DEFAULT_OPTIONS, MatchOptions
from vendormatch.models import Feature
from vendormatch.text_normalise import stems

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
    #: Each phrase's weight, as an array for the prefilter.
    phrase_weights: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    #: The features themselves, for scorers that read whole phrases (the semantic one).
    features: Mapping[str, Feature] = field(default_factory=dict)


@dataclass(frozen=True)
class FeatureScore:
    """A feature's score (0-100) for one text, the phrase that gave it and the stems it rests on."""

    feature: int
    score: float
    via: str
    evidence: frozenset[int]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def feature_phrases(feature: Feature) -> list[tuple[int, str]]:
    """A feature's phrases with their kind: the name, each alias, then each sentence of the description."""
    phrases = [(NAME, feature.name)]
    phrases.extend((ALIAS, alias) for alias in feature.aliases)
    if feature.description:
        phrases.extend((DESCRIPTION, sentence) for sentence in _SENTENCE_END.split(feature.description.strip()))
    return phrases


def build_index(features: Mapping[str, Feature], options: MatchOptions = DEFAULT_OPTIONS) -> FeatureIndex:
    """Reduce every name, alias and description to stems and weigh each stem by its rarity."""
    ids = sorted(features)
    vocabulary: dict[str, int] = {}
    raw: list[tuple[int, int, str, tuple[int, ...]]] = []
    feature_stems: list[set[int]] = []
    for number, feature_id in enumerate(ids):
        seen: set[int] = set()
        for kind, text in feature_phrases(features[feature_id]):
            tokens = tuple(dict.fromkeys(vocabulary.setdefault(s, len(vocabulary)) for s in stems(text)))
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
    weights = [(math.log(1 + len(ids) / f) / top) ** options.rarity_power for f in frequency]
    phrases = [Phrase(n, k, t, toks, sum(weights[x] for x in toks)) for n, k, t, toks in raw]
    lists: dict[int, list[int]] = defaultdict(list)
    for number, phrase in enumerate(phrases):
        for token in phrase.tokens:
            lists[token].append(number)
    postings = {token: np.array(numbers, dtype=np.int32) for token, numbers in lists.items()}
    phrase_weights = np.array([p.weight for p in phrases], dtype=np.float64)
    return FeatureIndex(ids, phrases, vocabulary, weights, postings, phrase_weights, dict(features))


def shared(evidence: frozenset[int], other: frozenset[int], index: FeatureIndex) -> float:
    """The share of `evidence`'s weight that `other` also explains (1.0 for no evidence)."""
    total = sum(index.weights[t] for t in evidence)
    return sum(index.weights[t] for t in evidence & other) / total if total else 1.0
