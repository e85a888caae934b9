"""From a requirement's ranked feature scores to a status, the chosen features and the candidates.

Calibrated (the default, `decide_confidently`): each candidate's confidence is the probability
that it is right (`confidence`); candidates are ranked by it and shown with it as their score. A
requirement is matched when its best candidate reaches `confident`, choosing every further one
that reaches `also_confident`; it is unmatched when the best stays below `plausible` (with the
out-of-scope phrase as the reason when the statement reads as a purchase condition), and
ambiguous in between.

Lexical (`decide`, `calibrated=False`), in order: a requirement whose words the out-of-scope vocabulary explains, times
`out_of_scope_factor`, at least as well as the best feature is unmatched (a tender rule, a price
or a quality wish is not a feature); so is one whose best score is below `low`. Two features that
explain the same words within `margin` of each other, or a best score between `low` and `high`,
make it ambiguous. Otherwise the best feature is chosen, and with it every further feature that reaches
`also` and `also_share` of the best one's evidence on words of its own (multi-feature).
Ambiguous and unmatched requirements propose candidates but choose no feature: they are never
silently scored.
"""

from __future__ import annotations

from collections.abc import Sequence

from vendormatch.match.feature_index import FeatureIndex, FeatureScore, evidence_of, shared
from vendormatch.match.lexical import TextScores
from vendormatch.match.options import MatchOptions
from vendormatch.match.results import Candidate, RequirementMatch


def _candidates(ranked: list[FeatureScore], index: FeatureIndex) -> tuple[Candidate, ...]:
    return tuple(Candidate(index.ids[s.feature], round(s.score, 1), s.via) for s in ranked)


def decide(requirement: str, found: TextScores, index: FeatureIndex, options: MatchOptions) -> RequirementMatch:
    """Turn a requirement's ranked feature scores into a status, chosen features and candidates."""
    scores = found.features
    listed = [s for s in scores if s.score >= options.candidate_floor][: options.max_candidates]
    best = scores[0] if scores else None
    excluded = found.out_of_scope
    if excluded is not None and excluded.score >= options.candidate_floor and (
        options.out_of_scope_factor * evidence_of(excluded.score) >= evidence_of(best.score if best else 0.0)
    ):
        than = f", more than as {index.ids[best.feature]} ({best.score:.0f})" if best else ""
        reason = f"reads as a condition of the purchase (like \"{excluded.via}\"), not a feature{than}; pin features if it is one"
        return RequirementMatch(requirement, "unmatched", (), _candidates(listed, index), reason)
    if best is None or best.score < options.low:
        named = f" (best: {index.ids[best.feature]} {best.score:.0f})" if best else ""
        reason = f"no feature scored {options.low:g} or more{named}"
        return RequirementMatch(requirement, "unmatched", (), _candidates(listed, index), reason)
    top = best
    rival = next(
        (s for s in scores[1:] if top.score - s.score < options.margin and shared(s.evidence, top.evidence, index) >= 0.5),
        None,
    )
    if rival is not None:
        reason = (
            f"{index.ids[top.feature]} ({top.score:.0f}) and {index.ids[rival.feature]} ({rival.score:.0f}) "
            "match the same words"
        )
        return RequirementMatch(requirement, "ambiguous", (), _candidates(listed, index), reason)
    if top.score < options.high:
        reason = f"best score {top.score:.0f} ({index.ids[top.feature]}) is below {options.high:g}"
        return RequirementMatch(requirement, "ambiguous", (), _candidates(listed, index), reason)
    chosen = [top]
    explained = top.evidence
    needed = max(evidence_of(options.also), options.also_share * evidence_of(top.score))
    for other in scores[1:]:
        if other.score < options.also:
            break
        # Only words no chosen feature explains count: "log calls" asks for telephony once, not
        # for every feature with "call"; a second need is asked for in words of its own.
        if other.evidence_without(explained) >= needed:
            chosen.append(other)
            explained = explained | other.evidence
    rest = [s for s in listed if s not in chosen]
    ranked = chosen + rest[: max(0, options.max_candidates - len(chosen))]
    return RequirementMatch(
        requirement, "matched", tuple(index.ids[s.feature] for s in chosen), _candidates(ranked, index)
    )


def decide_confidently(
    requirement: str, found: TextScores, confidence: Sequence[float], index: FeatureIndex, options: MatchOptions
) -> RequirementMatch:
    """Turn a requirement's candidates and their confidences (`confidence.confidences`, lexical order)
    into a status, chosen features and candidates."""
    scores = found.features
    # Most confident first; equal confidences keep the lexical order, itself best score then id.
    order = sorted(range(len(scores)), key=lambda i: (-round(confidence[i], 6), i))
    listed = tuple(
        Candidate(index.ids[scores[i].feature], round(confidence[i], 1), scores[i].via)
        for i in order[: options.max_candidates]
    )
    best = confidence[order[0]] if order else 0.0
    named = f"{listed[0].feature}, confidence {listed[0].score:.0f}" if listed else ""
    excluded = found.out_of_scope
    purchase = excluded is not None and excluded.score >= options.candidate_floor and (
        options.out_of_scope_factor * evidence_of(excluded.score) >= evidence_of(scores[0].score if scores else 0.0)
    )
    if best < options.plausible or (purchase and best < options.confident):
        if excluded is not None and excluded.score >= options.candidate_floor:
            reason = f"reads as a condition of the purchase (like \"{excluded.via}\"), not a feature"
            reason += f" (best: {named})" if named else ""
        else:
            reason = f"no feature is likely enough (best: {named})" if named else "no feature shares its words"
        return RequirementMatch(requirement, "unmatched", (), listed, reason + "; pin features if it needs one")
    if best < options.confident:
        reason = f"best candidate {named} is below {options.confident:g}; confirm it or pin the features"
        return RequirementMatch(requirement, "ambiguous", (), listed, reason)
    chosen = [c.feature for c in listed if c.score >= options.also_confident] or [listed[0].feature]
    ranked = tuple(sorted(listed, key=lambda c: c.feature not in chosen))
    return RequirementMatch(requirement, "matched", tuple(chosen), ranked)
