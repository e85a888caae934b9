"""The matcher's thresholds, margins and scoring constants, with the defaults the evaluation measures."""

from __future__ import annotations

from dataclasses import dataclass

from vendormatch.match.confidence_model import ConfidenceModel


@dataclass(frozen=True)
class MatchOptions:
    """Thresholds and margins of the matcher; the defaults are the ones the evaluation measures."""

    #: Decide on calibrated confidences (`vendormatch.match.confidence`): the probability, fitted on
    #: labelled statements from many sources, that a candidate is a feature the requirement asks for.
    #: Off, the lexical thresholds below decide on raw scores, as the matcher did before calibration.
    calibrated: bool = True
    #: Calibrated: matched when the best candidate's confidence reaches this (0-100)...
    confident: float = 60.0
    #: ...with every further candidate whose confidence reaches this...
    also_confident: float = 60.0
    #: ...and unmatched when the best candidate's confidence is below this; ambiguous in between.
    plausible: float = 30.0
    #: The confidence model; None: the one fitted on the project's development set (`confidence_weights`).
    model: ConfidenceModel | None = None
    #: Lexical (`calibrated=False`): a feature is chosen when its score reaches this. Scores run 0-100:
    #: 100 x (1 - exp(-evidence)), evidence counted in BM25 stem weights (one word that only this feature uses, once: ~63).
    high: float = 75.0
    #: Below this best score a requirement is unmatched; from `low` up to `high` it is ambiguous.
    low: float = 75.0
    #: Two features that explain the same words and score within this of each other: ambiguous.
    margin: float = 1.0
    #: A further feature is chosen too when it reaches this on words of its own (multi-feature)...
    also: float = 70.0
    #: ...and at least this share of the best feature's evidence (a distant second is a hint, not a need).
    also_share: float = 0.5
    #: Candidates listed per requirement.
    max_candidates: int = 5
    #: Features scoring below this are not listed as candidates.
    candidate_floor: float = 35
    #: Okapi BM25 over each feature's phrases: term-frequency saturation (k1) and length normalisation (b).
    bm25_k1: float = 1.2
    bm25_b: float = 0.5
    #: A description sentence's words count this much of the same words in a name or alias (term frequency).
    description_factor: float = 1.0
    #: A stem counts in a feature by the share of the feature's best phrase that the text holds, to
    #: this power (0 = bag of words); a description sentence, never held whole, gives `description_credit`.
    phrase_share_power: float = 1.0
    description_credit: float = 0.6
    #: Read statements against the built-in vocabulary of purchase conditions no feature serves
    #: (tender rules, prices, supplier standing, "easy to use"; `vendormatch.match.out_of_scope`).
    out_of_scope: bool = True
    #: Unmatched when the out-of-scope evidence times this reaches the best feature's evidence
    #: (3: the vocabulary need explain a statement only a third as well as the best feature).
    out_of_scope_factor: float = 3.0
    #: rapidfuzz ratio from which an unknown word counts as a catalogue stem (a typo or variant).
    fuzzy_cutoff: float = 90.0
    #: Shorter words are never fuzzily mapped: "log" must not become "blog".
    fuzzy_min_length: int = 6
    #: Threads for rapidfuzz (-1 = every core).
    workers: int = -1
    #: Combine the lexical scores with a text-embedding model's (`pip install '.[semantic]'` in the repository).
    semantic: bool = False
    #: Share of the semantic score in the combined score when `semantic` is on.
    semantic_weight: float = 0.3
    #: Cosine similarity mapped to a semantic score of 0 and of 100 (linear in between, clipped). The
    #: model's cosines are high throughout: a text's closest feature phrase sits at 0.85-0.90, most
    #: others at 0.80-0.86 (on the development sets).
    semantic_floor: float = 0.75
    semantic_ceiling: float = 0.88
    #: With `semantic` and `out_of_scope`: how much of the closest purchase-condition phrase's semantic
    #: score counts as the text's out-of-scope reading, when it beats the lexical reading (0: never).
    semantic_out_of_scope: float = 0.7
    #: ... and only when that phrase's cosine is within this margin of the closest feature phrase's.
    semantic_out_of_scope_margin: float = 0.02

    @classmethod
    def hybrid(cls, **overrides: float | int | bool) -> MatchOptions:
        """The lexical + semantic configuration the evaluation measures, with any field overridden."""
        # The confidence model was fitted on lexical scores; on blended ones it still decides better
        # than the raw thresholds on the development sets (a `matched` requirement right 78% of the time
        # on real statements, against 36%), so the hybrid keeps the calibrated decisions.
        settings: dict[str, float | int | bool] = {"semantic": True}
        settings.update(overrides)
        return cls(**settings)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        if not 0 <= self.plausible <= self.confident <= 100 or not 0 <= self.also_confident <= 100:
            raise ValueError("MatchOptions needs 0 <= plausible <= confident <= 100 and 0 <= also_confident <= 100")
        if not 0 <= self.low <= self.high <= 100 or not 0 <= self.also <= 100:
            raise ValueError("MatchOptions needs 0 <= low <= high <= 100 and 0 <= also <= 100")
        if self.margin < 0 or self.max_candidates < 1:
            raise ValueError("MatchOptions needs margin >= 0 and max_candidates >= 1")
        if self.bm25_k1 <= 0 or not 0 <= self.bm25_b <= 1 or not 0 <= self.description_factor <= 1:
            raise ValueError("MatchOptions needs bm25_k1 > 0, and bm25_b and description_factor between 0 and 1")
        if not 0 <= self.also_share <= 1 or self.out_of_scope_factor <= 0:
            raise ValueError("MatchOptions needs also_share between 0 and 1 and out_of_scope_factor > 0")
        if self.phrase_share_power < 0 or not 0 <= self.description_credit <= 1:
            raise ValueError("MatchOptions needs phrase_share_power >= 0 and description_credit between 0 and 1")
        if not 0 <= self.semantic_weight <= 1:
            raise ValueError("MatchOptions needs semantic_weight between 0 and 1")
        if not 0 <= self.semantic_out_of_scope <= 1 or not 0 <= self.semantic_out_of_scope_margin <= 2:
            raise ValueError("MatchOptions needs semantic_out_of_scope between 0 and 1 and "
                             "semantic_out_of_scope_margin between 0 and 2")
        if not -1 <= self.semantic_floor < self.semantic_ceiling <= 1:
            raise ValueError("MatchOptions needs -1 <= semantic_floor < semantic_ceiling <= 1")


#: The defaults, shared as the default argument of the matching functions.
DEFAULT_OPTIONS = MatchOptions()
