"""Matching requirements written in business language to catalogue features.

Every feature is known by phrases: its name, its aliases (the buyers' words, the main lever) and
its description. A requirement's text and every phrase are reduced to word stems
(`text_normalise`); a phrase scores by how much of its weight the text contains, where a stem's
weight is its rarity across the catalogue (a word every feature uses proves nothing), a phrase's
score is capped by how specific it is (a lone common word like "log" cannot reach the threshold)
and scattered words score lower than adjacent ones. Words the catalogue does not know are mapped
to its closest stem with rapidfuzz (`process.cdist`, a cheap scorer, all cores), so typos and
derived forms still count. A feature scores its best phrase; descriptions count as weak evidence.

The requirement then gets every feature that reaches `high` and is asked for by its own words
(multi-feature), unless two features explain the same words with scores within `margin`
(ambiguous), the best score is between `low` and `high` (ambiguous) or below `low` (unmatched).
Ambiguous and unmatched requirements propose candidates but choose no feature: they are never
silently scored.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from vendormatch.models import Feature, Strategy
from vendormatch.text_normalise import stems

Status = Literal["pinned", "locked", "matched", "ambiguous", "unmatched"]
STATUSES: tuple[Status, ...] = ("pinned", "locked", "matched", "ambiguous", "unmatched")
_CHOOSING: frozenset[str] = frozenset({"matched", "locked"})
_NOT_CHOOSING: frozenset[str] = frozenset({"ambiguous", "unmatched"})

NAME, ALIAS, DESCRIPTION = 0, 1, 2


@dataclass(frozen=True)
class Candidate:
    """A feature proposed for a requirement, its score (0-100) and the phrase that matched."""

    feature: str
    score: float
    #: The feature's name, alias or description that matched, as the catalogue writes it.
    via: str


@dataclass(frozen=True)
class RequirementMatch:
    """What the matcher (or a pin, or a lock) decided for one requirement."""

    requirement: str
    status: Status
    #: The features the requirement needs; empty when ambiguous or unmatched.
    features: tuple[str, ...]
    #: Ranked proposals, best first (chosen features first when there are any).
    candidates: tuple[Candidate, ...]
    #: Why an ambiguous or unmatched requirement was not matched, for the person who reviews it.
    reason: str = ""

    def __post_init__(self) -> None:
        if self.status in _CHOOSING and not self.features:
            raise ValueError(f"a {self.status} requirement needs features")
        if self.status in _NOT_CHOOSING and self.features:
            raise ValueError(f"an {self.status} requirement chooses no feature")

    @property
    def top_feature(self) -> str | None:
        """The first chosen feature, else the best candidate, else None."""
        if self.features:
            return self.features[0]
        return self.candidates[0].feature if self.candidates else None


@dataclass(frozen=True)
class MatchOptions:
    """Thresholds and margins of the matcher; the defaults are the ones the evaluation measures."""

    #: A feature is chosen when its score reaches this (scores run 0-100).
    high: float = 85.0
    #: Below this best score a requirement is unmatched; from `low` up to `high` it is ambiguous.
    low: float = 75.0
    #: Two features that explain the same words and score within this of each other: ambiguous.
    margin: float = 5.0
    #: A further feature is chosen too when it reaches this on words of its own (multi-feature).
    also: float = 85.0
    #: Candidates listed per requirement.
    max_candidates: int = 5
    #: Features scoring below this are not listed as candidates.
    candidate_floor: float = 25.0
    #: Evidence -> score: 100 * (1 - exp(-saturation * evidence)), where evidence is counted in
    #: stem weights (1 = a word that only one feature uses, found as a whole alias).
    saturation: float = 2.0
    #: A phrase found in part gives its found weight times its found share times this.
    partial_factor: float = 0.6
    #: Words shared with a description count this much of the same words in an alias.
    description_factor: float = 0.5
    #: Further phrases of the same feature, found through other words, add this share of their evidence.
    corroboration: float = 0.5
    #: How much scattered words lower a phrase's evidence (0 = word distance ignored).
    proximity_penalty: float = 0.6
    #: Exponent on a stem's rarity: higher makes common words ("record", "customer") count less.
    rarity_power: float = 1.0
    #: rapidfuzz ratio from which an unknown word counts as a catalogue stem (a typo or variant).
    fuzzy_cutoff: float = 90.0
    #: Shorter words are never fuzzily mapped: "log" must not become "blog".
    fuzzy_min_length: int = 5
    #: Threads for rapidfuzz (-1 = every core).
    workers: int = -1

    def __post_init__(self) -> None:
        if not 0 <= self.low <= self.high <= 100 or not 0 <= self.also <= 100:
            raise ValueError("MatchOptions needs 0 <= low <= high <= 100 and 0 <= also <= 100")
        if self.margin < 0 or self.max_candidates < 1 or self.saturation <= 0:
            raise ValueError("MatchOptions needs margin >= 0, max_candidates >= 1 and saturation > 0")
        if not 0 <= self.proximity_penalty <= 1 or not 0 <= self.partial_factor <= 1:
            raise ValueError("MatchOptions needs proximity_penalty and partial_factor between 0 and 1")


@dataclass(frozen=True)
class MatchResult:
    """The match of every requirement of a strategy, in strategy order."""

    requirements: tuple[RequirementMatch, ...]

    def by_id(self) -> dict[str, RequirementMatch]:
        """The matches keyed by requirement id."""
        return {m.requirement: m for m in self.requirements}

    def needing_review(self) -> tuple[RequirementMatch, ...]:
        """The ambiguous and unmatched requirements, which the shortlist must not score silently."""
        return tuple(m for m in self.requirements if m.status in _NOT_CHOOSING)


# -- the index --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Phrase:
    feature: int
    kind: int
    text: str
    tokens: tuple[int, ...]
    weight: float


@dataclass
class FeatureIndex:
    """A catalogue's phrases reduced to weighted stems, built once and reused for many texts."""

    ids: list[str]
    phrases: list[_Phrase]
    vocabulary: dict[str, int]
    weights: list[float]
    #: Stem -> the numbers of the phrases holding it.
    postings: dict[int, NDArray[np.int32]] = field(default_factory=dict)
    #: Each phrase's weight and whether it is a description, as arrays for the prefilter.
    phrase_weights: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))


def _feature_phrases(feature: Feature) -> list[tuple[int, str]]:
    phrases = [(NAME, feature.name)]
    phrases.extend((ALIAS, alias) for alias in feature.aliases)
    if feature.description:
        phrases.append((DESCRIPTION, feature.description))
    return phrases


def build_index(features: Mapping[str, Feature], options: MatchOptions = MatchOptions()) -> FeatureIndex:
    """Reduce every name, alias and description to stems and weigh each stem by its rarity."""
    ids = sorted(features)
    vocabulary: dict[str, int] = {}
    raw: list[tuple[int, int, str, tuple[int, ...]]] = []
    feature_stems: list[set[int]] = []
    for number, feature_id in enumerate(ids):
        seen: set[int] = set()
        for kind, text in _feature_phrases(features[feature_id]):
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
    phrases = [_Phrase(n, k, t, toks, sum(weights[x] for x in toks)) for n, k, t, toks in raw]
    lists: dict[int, list[int]] = defaultdict(list)
    for number, phrase in enumerate(phrases):
        for token in phrase.tokens:
            lists[token].append(number)
    postings = {token: np.array(numbers, dtype=np.int32) for token, numbers in lists.items()}
    phrase_weights = np.array([p.weight for p in phrases], dtype=np.float64)
    return FeatureIndex(ids, phrases, vocabulary, weights, postings, phrase_weights)


# -- reading a text ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Text:
    #: Catalogue stem -> (positions in the text, quality 1.0 exact or the fuzzy ratio / 100).
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


def _read_texts(texts: Sequence[str], index: FeatureIndex, options: MatchOptions) -> list[_Text]:
    stemmed = [stems(text) for text in texts]
    unknown = {
        s for words in stemmed for s in words
        if s not in index.vocabulary and len(s) >= options.fuzzy_min_length and s.isalpha()
    }
    fuzzy = _fuzzy_map(unknown, index, options)
    read: list[_Text] = []
    for words in stemmed:
        positions: dict[int, list[int]] = defaultdict(list)
        quality: dict[int, float] = {}
        for position, word in enumerate(words):
            token = index.vocabulary.get(word)
            q = 1.0
            if token is None:
                if word not in fuzzy:
                    continue
                token, q = fuzzy[word]
            positions[token].append(position)
            quality[token] = max(quality.get(token, 0.0), q)
        read.append(_Text({t: (tuple(p), quality[t]) for t, p in positions.items()}))
    return read


# -- scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Score:
    feature: int
    score: float
    phrase: int
    evidence: frozenset[int]


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


def _phrase_strength(phrase: _Phrase, text: _Text, index: FeatureIndex, options: MatchOptions) -> tuple[float, frozenset[int]]:
    """How much evidence one phrase gives in a text (in stem weights: 1 = one rare word) and which stems."""
    matched = [t for t in phrase.tokens if t in text.tokens]
    if not matched or phrase.weight <= 0:
        return 0.0, frozenset()
    got = sum(index.weights[t] * text.tokens[t][1] for t in matched)
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


def _score_features(text: _Text, index: FeatureIndex, options: MatchOptions) -> list[_Score]:
    """Every feature with evidence in the text that reaches the candidate floor, best first."""
    found: dict[int, list[tuple[float, int, frozenset[int]]]] = defaultdict(list)
    for number in _promising_phrases(text, index, options).tolist():
        phrase = index.phrases[number]
        strength, evidence = _phrase_strength(phrase, text, index, options)
        if strength > 0:
            found[phrase.feature].append((strength, number, evidence))
    scores: list[_Score] = []
    for feature, phrases in found.items():
        phrases.sort(key=lambda p: (-p[0], p[1]))
        total, number, used = phrases[0]
        # Other phrases of the feature that the text contains through other words corroborate it.
        for strength, _, evidence in phrases[1:]:
            if not evidence <= used and _shared(evidence, used, index) < 0.5:
                total += options.corroboration * strength
                used = used | evidence
        score = 100 * (1 - math.exp(-options.saturation * total))
        if score >= options.candidate_floor:
            scores.append(_Score(feature, score, number, used))
    return sorted(scores, key=lambda s: (-s.score, index.ids[s.feature]))


def _shared(evidence: frozenset[int], other: frozenset[int], index: FeatureIndex) -> float:
    """The share of `evidence`'s weight that `other` also explains."""
    total = sum(index.weights[t] for t in evidence)
    return sum(index.weights[t] for t in evidence & other) / total if total else 1.0


def _decide(requirement: str, scores: list[_Score], index: FeatureIndex, options: MatchOptions) -> RequirementMatch:
    """Turn a requirement's ranked feature scores into a status, chosen features and candidates."""

    def candidates(ranked: list[_Score]) -> tuple[Candidate, ...]:
        return tuple(Candidate(index.ids[s.feature], round(s.score, 1), index.phrases[s.phrase].text) for s in ranked)

    listed = [s for s in scores if s.score >= options.candidate_floor][: options.max_candidates]
    if not scores or scores[0].score < options.low:
        best = f" (best: {index.ids[scores[0].feature]} {scores[0].score:.0f})" if scores else ""
        reason = f"no feature scored {options.low:g} or more{best}"
        return RequirementMatch(requirement, "unmatched", (), candidates(listed), reason)
    top = scores[0]
    rival = next(
        (s for s in scores[1:] if top.score - s.score < options.margin and _shared(s.evidence, top.evidence, index) >= 0.5),
        None,
    )
    if rival is not None:
        reason = (
            f"{index.ids[top.feature]} ({top.score:.0f}) and {index.ids[rival.feature]} ({rival.score:.0f}) "
            "match the same words"
        )
        return RequirementMatch(requirement, "ambiguous", (), candidates(listed), reason)
    if top.score < options.high:
        reason = f"best score {top.score:.0f} ({index.ids[top.feature]}) is below {options.high:g}"
        return RequirementMatch(requirement, "ambiguous", (), candidates(listed), reason)
    chosen = [top]
    explained = top.evidence
    for other in scores[1:]:
        if other.score < options.also:
            break
        # A feature found through the same words as one already chosen is a rival reading, not a
        # second need: "log calls" asks for telephony once, not for every feature with "call".
        if _shared(other.evidence, explained, index) < 0.5:
            chosen.append(other)
            explained = explained | other.evidence
    rest = [s for s in listed if s not in chosen]
    ranked = chosen + rest[: max(0, options.max_candidates - len(chosen))]
    return RequirementMatch(requirement, "matched", tuple(index.ids[s.feature] for s in chosen), candidates(ranked))


# -- the API ----------------------------------------------------------------------------------


def match_texts(
    texts: Sequence[str],
    features: Mapping[str, Feature] | FeatureIndex,
    options: MatchOptions = MatchOptions(),
    *,
    ids: Sequence[str] | None = None,
) -> list[RequirementMatch]:
    """Match free texts to features; each result's `requirement` is its id (default "1", "2", ...)."""
    index = features if isinstance(features, FeatureIndex) else build_index(features, options)
    names = list(ids) if ids is not None else [str(i + 1) for i in range(len(texts))]
    if len(names) != len(texts):
        raise ValueError("match_texts needs one id per text")
    read = _read_texts(texts, index, options)
    return [_decide(name, _score_features(text, index, options), index, options) for name, text in zip(names, read, strict=True)]


def match_requirements(
    strategy: Strategy, features: Mapping[str, Feature] | FeatureIndex, options: MatchOptions = MatchOptions()
) -> MatchResult:
    """Match every requirement of a strategy; pinned `features` always win (status "pinned")."""
    requirements = strategy.requirements
    found = match_texts([r.text for r in requirements], features, options, ids=[r.id for r in requirements])
    return MatchResult(tuple(
        RequirementMatch(requirement.id, "pinned", tuple(requirement.features), fresh.candidates)
        if requirement.features is not None else fresh
        for requirement, fresh in zip(requirements, found, strict=True)
    ))


# -- rendering --------------------------------------------------------------------------------


def match_to_json(result: MatchResult) -> dict[str, list[dict[str, object]]]:
    """The stable JSON shape: {"requirements": [{"id", "status", "features", "candidates", "reason"}]}."""
    return {
        "requirements": [
            {
                "id": m.requirement,
                "status": m.status,
                "features": list(m.features),
                "candidates": [{"feature": c.feature, "score": c.score, "via": c.via} for c in m.candidates],
                "reason": m.reason,
            }
            for m in result.requirements
        ]
    }


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def format_match_table(result: MatchResult, width: int = 80) -> str:
    """A table of at most `width` columns: each requirement, its status, its features or candidates."""
    id_width = min(24, max([len("requirement")] + [len(m.requirement) for m in result.requirements]))
    status_width = len("unmatched")
    rest = max(20, width - id_width - status_width - 4)
    lines = [f"{'requirement':<{id_width}}  {'status':<{status_width}}  features (score) or ? candidates"]
    for match in result.requirements:
        if match.features:
            scores = {c.feature: c.score for c in match.candidates}
            items = [f"{f} ({scores[f]:.0f})" if f in scores else f for f in match.features]
        else:
            items = [f"? {c.feature} ({c.score:.0f})" for c in match.candidates[:3]] or ["-"]
        first = True
        for item in items:
            head = f"{_cut(match.requirement, id_width):<{id_width}}  {match.status:<{status_width}}" if first else " " * (
                id_width + 2 + status_width
            )
            lines.append(f"{head}  {_cut(item, rest)}".rstrip())
            first = False
    counts = {s: sum(1 for m in result.requirements if m.status == s) for s in STATUSES}
    lines.append("")
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no requirements")
    return "\n".join(lines) + "\n"


# -- measuring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchFigures:
    """How well matches agree with labels (each label list: every feature asked for, main one first)."""

    #: Share of labelled texts whose first chosen feature (else best candidate) is the first label.
    top1: float
    #: Share of all labels that were chosen.
    recall: float
    #: Share of chosen features that are labels.
    precision: float
    #: Share of texts labelled `[]` (no feature serves them) left unmatched.
    unmatched_when_none: float
    labelled: int
    unlabelled: int


def measure(matches: Sequence[RequirementMatch], labels: Sequence[Sequence[str]]) -> MatchFigures:
    """Compare matches with the labels of the same texts, in the same order."""
    top1 = hits = wanted = chosen = right = none = left = 0
    for match, label in zip(matches, labels, strict=True):
        picked = set(match.features)
        chosen += len(picked)
        right += len(picked & set(label))
        if label:
            top1 += match.top_feature == label[0]
            wanted += len(label)
            hits += len(picked & set(label))
        else:
            none += 1
            left += match.status == "unmatched"
    labelled = len(labels) - none
    return MatchFigures(
        top1=top1 / labelled if labelled else 0.0,
        recall=hits / wanted if wanted else 0.0,
        precision=right / chosen if chosen else 0.0,
        unmatched_when_none=left / none if none else 0.0,
        labelled=labelled,
        unlabelled=none,
    )
