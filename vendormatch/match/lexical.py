"""Lexical scores: how well each feature's words, all its phrases together, explain a requirement's.

Each feature is a document of its name, aliases and description; a requirement's content stems
are the query, and a feature's evidence is the sum of the Okapi BM25 weights of the stems it
shares with the text (`feature_index`): a rare word counts more than a common one, a word the
feature uses in several phrases more than one it uses once, with diminishing returns. Reading
all of a feature's phrases at once, rather than its best phrase alone, lets "estimated value and
close date" find the pipeline through three ordinary words instead of a quote through one.
Each stem's weight is scaled by how much of the feature's best phrase holding it the text holds
(`_evidence`), so that a word torn from its phrase counts less. Evidence maps to a score of
100 x (1 - exp(-evidence)): one word that only one feature uses, in one of its phrases, scores
about 63.

Words the catalogue does not know are mapped to its closest stem with rapidfuzz
(`process.cdist`, a cheap scorer, all cores), so typos and derived forms still count, and to the
words they imply (`thesaurus.RELATED`). The out-of-scope vocabulary is read phrase by phrase,
whole phrases only, for the decision to weigh against the best feature. Each feature's `via` is
its phrase that the text contains most of, for the reviewer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from vendormatch.match.feature_index import DESCRIPTION, FeatureIndex, FeatureScore, Phrase, evidence_of, score_of
from vendormatch.match.normalise import content_words, stem_word
from vendormatch.match.options import MatchOptions
from vendormatch.match.thesaurus import RELATED, RELATED_QUALITY


@dataclass(frozen=True)
class _Text:
    #: Catalogue stem -> (positions in the text, quality 1.0 exact, else the fuzzy ratio / 100).
    tokens: dict[int, tuple[tuple[int, ...], float]]
    #: How many content words the text has.
    words: int = 0


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
        read.append(_Text({t: (tuple(p), quality[t]) for t, p in positions.items()}, len(words)))
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


#: For choosing the phrase shown as `via`: part of a phrase counts this share of its found words,
#: scattered words cost up to this share, and a description sentence counts this much of an alias.
_PARTIAL, _SCATTER, _DESCRIPTION = 0.6, 0.6, 0.5


def _phrase_strength(phrase: Phrase, text: _Text, index: FeatureIndex) -> tuple[float, bool]:
    """How much of one phrase the text holds, in stem weights (the phrase shown as a match's `via`),
    and whether the text holds all of it."""
    present = text.tokens
    matched = [t for t in phrase.tokens if t in present]
    if not matched or phrase.weight <= 0:
        return 0.0, False
    whole = len(matched) == len(phrase.tokens)
    weights = index.weights
    got = sum(weights[t] * present[t][1] for t in matched)
    if phrase.kind == DESCRIPTION:
        return _DESCRIPTION * got * got / phrase.weight, whole
    proximity = 1.0
    if len(matched) > 1:
        proximity = 1 - _SCATTER * (1 - len(matched) / _span(matched, text))
    share = 1.0 if whole else _PARTIAL * got / phrase.weight
    return share * proximity * got, whole


def _via(phrases: Sequence[Phrase], text: _Text, index: FeatureIndex) -> tuple[str, float]:
    """The phrase the text holds most of (the first such, in catalogue order), and the weight of the
    heaviest name or alias the text holds whole (0 when it holds none)."""
    best, via, held = -1.0, phrases[0].text if phrases else "", 0.0
    for phrase in phrases:
        strength, whole = _phrase_strength(phrase, text, index)
        if strength > best:
            best, via = strength, phrase.text
        if whole and phrase.kind != DESCRIPTION and phrase.weight > held:
            held = phrase.weight
    return via, held


@dataclass(frozen=True)
class TextScores:
    """One text's candidate features, best first, and its out-of-scope reading (None without evidence)."""

    features: list[FeatureScore]
    out_of_scope: FeatureScore | None
    #: The rarity weight of every catalogue stem the text holds, summed: what a feature could explain.
    weight: float = 0.0
    #: How many content words the text has (stop words left out), known to the catalogue or not.
    words: int = 0


@dataclass(frozen=True)
class _Contributions:
    """Every (stem, feature) pair of a text's evidence, as parallel arrays."""

    stems: NDArray[np.int64]
    features: NDArray[np.int64]
    evidence: NDArray[np.float64]
    #: Every phrase holding one of the text's stems (once per stem held).
    phrases: NDArray[np.int64]


def _phrase_credits(tokens: list[int], text: _Text, index: FeatureIndex, options: MatchOptions) -> NDArray[np.float64]:
    """For each (stem, phrase) posting of the tokens, in order: how much of that phrase the text holds.

    An alias or name gives the share of its weight found, to `phrase_share_power`; a description
    sentence, which a text never holds whole, gives `description_credit`.
    """
    numbers = np.concatenate([index.postings[t] for t in tokens])
    found = np.repeat([index.weights[t] * text.tokens[t][1] for t in tokens], [len(index.postings[t]) for t in tokens])
    held = np.bincount(numbers, weights=found, minlength=len(index.phrases))[numbers]
    share = np.minimum(held / index.phrase_weights[numbers], 1.0)
    return np.where(index.phrase_descriptions[numbers], options.description_credit, share**options.phrase_share_power)


def _evidence(text: _Text, index: FeatureIndex, options: MatchOptions) -> tuple[NDArray[np.float64], _Contributions]:
    """Each feature's evidence in the text, and every stem's contribution to it.

    A stem contributes its BM25 weight in the feature, times how surely the text has it, times
    the credit of the feature's phrase that holds most of the text: "monthly" counts in full
    for a feature with the alias "monthly reports" when the text says "monthly reports", and
    about half when it says "monthly newsletter".
    """
    tokens = [t for t in text.tokens if t in index.postings]
    features = len(index.ids)
    if not tokens:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(features), _Contributions(empty, empty, np.zeros(0), empty)
    credits = _phrase_credits(tokens, text, index, options)
    # The best credit per (stem, feature) among the stem's phrases, in one flat array.
    rows = np.repeat(np.arange(len(tokens)), [len(index.postings[t]) for t in tokens])
    numbers = np.concatenate([index.postings[t] for t in tokens])
    owners = index.phrase_features[numbers]
    best = np.zeros(len(tokens) * features)
    np.maximum.at(best, rows * features + owners, credits)
    documents = np.concatenate([index.terms[t][0] for t in tokens]).astype(np.int64)
    term_rows = np.repeat(np.arange(len(tokens)), [len(index.terms[t][0]) for t in tokens])
    quality = np.array([text.tokens[t][1] for t in tokens])
    weights = np.concatenate([index.terms[t][1] for t in tokens])
    evidence = weights * quality[term_rows] * best[term_rows * features + documents]
    totals = np.bincount(documents, weights=evidence, minlength=features).astype(np.float64)
    stems = np.array(tokens, dtype=np.int64)[term_rows]
    return totals, _Contributions(stems, documents, evidence, numbers.astype(np.int64))


def _out_of_scope(text: _Text, index: FeatureIndex) -> FeatureScore | None:
    """How much the text reads like a condition of the purchase, from the out-of-scope phrases it holds.

    A phrase counts only when the text holds all its words, and then gives their rarity: "audited
    accounts" counts when both words are there, never for "accounts" alone, nor "contract term"
    for "payment terms". Phrases on words already counted add nothing.
    """
    present = text.tokens
    weights = index.out_of_scope_weights
    numbers = sorted({n for t in present if t in weights for n in index.out_of_scope_postings[t]})
    found: list[tuple[float, int]] = []
    for number in numbers:
        phrase = index.out_of_scope[number]
        if all(t in present for t in phrase.tokens):
            found.append((sum(weights[t] * present[t][1] for t in phrase.tokens), number))
    if not found:
        return None
    found.sort(key=lambda f: (-f[0], f[1]))
    total, used = 0.0, set[int]()
    parts: list[tuple[int, float]] = []
    for strength, number in found:
        tokens = set(index.out_of_scope[number].tokens) & present.keys()
        if tokens.isdisjoint(used):
            total += strength
            used |= tokens
            parts.extend((t, strength / len(tokens)) for t in sorted(tokens))
    phrase = index.out_of_scope[found[0][1]]
    return FeatureScore(phrase.feature, score_of(total), phrase.text, tuple(sorted(parts)))


def _score_text(text: _Text, index: FeatureIndex, options: MatchOptions) -> TextScores:
    """The features the decision can use, best first (ties by id), and the out-of-scope reading.

    Those are the `max_candidates` best that reach the candidate floor, and any further ones
    that reach `also` or come within `margin` of the best (multi-feature choice and rivals).
    """
    totals, contributions = _evidence(text, index, options)
    excluded = _out_of_scope(text, index) if index.out_of_scope else None
    weight = sum(index.weights[t] * q for t, (_, q) in text.tokens.items())
    above = np.flatnonzero(totals >= max(evidence_of(options.candidate_floor), 1e-12))
    if not len(above):
        return TextScores([], excluded, weight, text.words)
    # Best first, ties by id: the ids are sorted, so the feature number breaks ties.
    above = above[np.lexsort((above, -totals[above]))]
    best = score_of(float(totals[above[0]]))
    extra = int(np.count_nonzero(totals[above] >= evidence_of(min(options.also, best - options.margin))))
    kept = above[: max(options.max_candidates, extra)].tolist()
    wanted = np.zeros(len(totals), dtype=bool)
    wanted[kept] = True
    held: dict[int, dict[int, float]] = defaultdict(dict)
    mask = wanted[contributions.features] & (contributions.evidence > 0)
    for stem, document, value in zip(
        contributions.stems[mask].tolist(), contributions.features[mask].tolist(), contributions.evidence[mask].tolist(),
        strict=True,
    ):
        held[document][stem] = value
    # The phrases that could explain each kept feature: those holding a word of the text.
    holding: dict[int, list[Phrase]] = defaultdict(list)
    touched = contributions.phrases
    touched = np.unique(touched[wanted[index.phrase_features[touched]]])
    for number, owner in zip(touched.tolist(), index.phrase_features[touched].tolist(), strict=True):
        holding[owner].append(index.phrases[number])
    scores: list[FeatureScore] = []
    for document in kept:
        evidence = held[document]
        via, whole = _via(holding[document], text, index)
        score = score_of(float(totals[document]))
        scores.append(FeatureScore(document, score, via, tuple(sorted(evidence.items())), whole))
    return TextScores(scores, excluded, weight, text.words)


def lexical_scores(texts: Sequence[str], index: FeatureIndex, options: MatchOptions) -> list[TextScores]:
    """For each text, the features whose words explain enough of it, best first, and its out-of-scope reading."""
    return [_score_text(text, index, options) for text in _read_texts(texts, index, options)]
