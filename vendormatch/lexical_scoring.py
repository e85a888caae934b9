"""Lexical scores: how much of each feature's phrases a requirement's words contain.

A phrase scores by how much of its weight the text contains, capped by how specific it is (a
lone general word cannot reach the threshold), lower when its words are scattered, and lower
still when only part of it is there. Words the catalogue does not know are mapped to its closest
stem with rapidfuzz (`process.cdist`, a cheap scorer, all cores), so typos and derived forms still
count, and to the words they imply (`thesaurus.RELATED`). A feature scores its best phrase, with
other phrases found through other words as corroboration; descriptions count as weak evidence.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from vendormatch.feature_index import DESCRIPTION, FeatureIndex, FeatureScore, Phrase, shared
from vendormatch.match_options import MatchOptions
from vendormatch.text_normalise import content_words, stem_word
from vendormatch.thesaurus import RELATED, RELATED_QUALITY


@dataclass(frozen=True)
class _Text:
    #: Catalogue stem -> (positions in the text, quality 1.0 exact, else the fuzzy ratio / 100).
    tokens: dict[int, tuple[tuple[int, ...], float]]


def _fuzzy_map(unknown: set[str], index: FeatureIndex, options: MatchOptions) -> dict[str, tuple[int, float]]:
    """Map words the catalogue does not know to its closest stem, when close enough."""
    if not unknown:
        return {}
    # Only stems sharing the first letter are compared: typos rarely hit it, and it cuts the
    # pairs ~20-fold so that even a large catalogue costs milliseconds.
    by_letter: dict[str, list[str]] = defaultdict(list)
    for stem in index.vocabulary:
        if len(stem) >= options.fuzzy_min_length and stem.isalpha():
            by_letter[stem[0]].append(stem)
    queries: dict[str, list[str]] = defaultdict(list)
    for word in sorted(unknown):
        if word[0] in by_letter:
            queries[word[0]].append(word)
    mapped: dict[str, tuple[int, float]] = {}
    for letter, words in queries.items():
        choices = by_letter[letter]
        scores = process.cdist(
            words, choices, scorer=fuzz.ratio, score_cutoff=options.fuzzy_cutoff, workers=options.workers
        )
        for row, word in enumerate(words):
            best = int(scores[row].argmax())
            score = float(scores[row][best])
            if score >= options.fuzzy_cutoff:
                mapped[word] = (index.vocabulary[choices[best]], score / 100)
    return mapped


def _related(index: FeatureIndex) -> dict[str, list[int]]:
    """A text word (not stemmed) -> the catalogue stems it implies (only those the catalogue has)."""
    implied: dict[str, list[int]] = {}
    for word, targets in RELATED.items():
        tokens = [index.vocabulary[s] for s in (stem_word(t) for t in targets) if s in index.vocabulary]
        if tokens:
            implied[word] = tokens
    return implied


def _read_texts(texts: Sequence[str], index: FeatureIndex, options: MatchOptions) -> list[_Text]:
    written = [content_words(text) for text in texts]
    stemmed = [[stem_word(w) for w in words] for words in written]
    unknown = {
        s for words in stemmed for s in words
        if s not in index.vocabulary and len(s) >= options.fuzzy_min_length and s.isalpha()
    }
    fuzzy = _fuzzy_map(unknown, index, options)
    implied = _related(index)
    read: list[_Text] = []
    for words, originals in zip(stemmed, written, strict=True):
        found: list[tuple[int, int, float]] = []  # (catalogue stem, position, quality)
        for position, (word, original) in enumerate(zip(words, originals, strict=True)):
            found.extend((token, position, RELATED_QUALITY) for token in implied.get(original, ()))
            known = index.vocabulary.get(word)
            if known is not None:
                found.append((known, position, 1.0))
            elif word in fuzzy:
                near, q = fuzzy[word]
                found.append((near, position, q))
        positions: dict[int, list[int]] = defaultdict(list)
        quality: dict[int, float] = {}
        for token, position, q in found:
            positions[token].append(position)
            quality[token] = max(quality.get(token, 0.0), q)
        read.append(_Text({t: (tuple(p), quality[t]) for t, p in positions.items()}))
    return read


def _span(tokens: Sequence[int], text: _Text) -> int:
    """The fewest consecutive words of the text that hold one occurrence of each token."""
    events = sorted((p, t) for t in tokens for p in text.tokens[t][0])
    need, have, best = len(tokens), 0, events[-1][0] - events[0][0] + 1
    counts: dict[int, int] = defaultdict(int)
    left = 0
    for position, token in events:
        counts[token] += 1
        if counts[token] == 1:
            have += 1
        while have == need:
            best = min(best, position - events[left][0] + 1)
            counts[events[left][1]] -= 1
            if counts[events[left][1]] == 0:
                have -= 1
            left += 1
    return best


def _phrase_strength(phrase: Phrase, text: _Text, index: FeatureIndex, options: MatchOptions) -> tuple[float, frozenset[int]]:
    """How much evidence one phrase gives in a text (in stem weights: 1 = one rare word) and which stems."""
    present = text.tokens
    matched = [t for t in phrase.tokens if t in present]
    if not matched or phrase.weight <= 0:
        return 0.0, frozenset()
    weights = index.weights
    got = sum(weights[t] * present[t][1] for t in matched)
    if phrase.kind == DESCRIPTION:
        # A description is a sentence the text will never contain whole: the words they share are
        # weak evidence, worth `description_factor` of the same words in an alias.
        return options.description_factor * got * got / phrase.weight, frozenset(matched)
    proximity = 1.0
    if len(matched) > 1:
        proximity = 1 - options.proximity_penalty * (1 - len(matched) / _span(matched, text))
    # Part of a phrase is weak evidence: "supplier" alone is not "supplier management".
    whole = 1.0 if len(matched) == len(phrase.tokens) else options.partial_factor * got / phrase.weight
    return whole * proximity * got, frozenset(matched)


def _promising_phrases(text: _Text, index: FeatureIndex, options: MatchOptions) -> NDArray[np.intp]:
    """The phrases that could give a candidate its floor score, found with array arithmetic.

    Each phrase's found weight is summed through the postings; a whole phrase can give at most
    that, a partial one at most `partial_factor` x found x found share. Only phrases whose bound
    reaches the candidate floor are scored in full, which keeps common words from costing time.
    """
    tokens = [t for t in text.tokens if t in index.postings]
    if not tokens:
        return np.zeros(0, dtype=np.intp)
    numbers = np.concatenate([index.postings[t] for t in tokens])
    added = np.repeat(
        [index.weights[t] * text.tokens[t][1] for t in tokens], [len(index.postings[t]) for t in tokens]
    )
    phrase_numbers, inverse = np.unique(numbers, return_inverse=True)
    found = np.bincount(inverse, weights=added)
    total = index.phrase_weights[phrase_numbers]
    bound = np.where(found >= total * 0.999, found, options.partial_factor * found * found / total)
    floor = -math.log(1 - min(options.candidate_floor, 99.9) / 100) / options.saturation
    return phrase_numbers[bound >= floor]


def _score_text(text: _Text, index: FeatureIndex, options: MatchOptions) -> list[FeatureScore]:
    """Every feature with evidence in the text that reaches the candidate floor, best first."""
    found: dict[int, list[tuple[float, int, frozenset[int]]]] = defaultdict(list)
    for number in _promising_phrases(text, index, options).tolist():
        phrase = index.phrases[number]
        strength, evidence = _phrase_strength(phrase, text, index, options)
        if strength > 0:
            found[phrase.feature].append((strength, number, evidence))
    scores: list[FeatureScore] = []
    for feature, phrases in found.items():
        if len(phrases) > 1:
            phrases.sort(key=lambda p: (-p[0], p[1]))
        total, number, used = phrases[0]
        # Other phrases of the feature that the text contains through other words corroborate it.
        for strength, _, evidence in phrases[1:]:
            if not evidence <= used and shared(evidence, used, index) < 0.5:
                total += options.corroboration * strength
                used = used | evidence
        score = 100 * (1 - math.exp(-options.saturation * total))
        if score >= options.candidate_floor:
            scores.append(FeatureScore(feature, score, index.phrases[number].text, used))
    return sorted(scores, key=lambda s: (-s.score, index.ids[s.feature]))


def lexical_scores(texts: Sequence[str], index: FeatureIndex, options: MatchOptions) -> list[list[FeatureScore]]:
    """For each text, the features whose phrases it contains enough of, best first."""
    return [_score_text(text, index, options) for text in _read_texts(texts, index, options)]
