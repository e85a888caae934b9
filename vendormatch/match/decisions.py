"""From a requirement's ranked feature scores to a status, the chosen features and the candidates.

In order: a requirement whose words the out-of-scope vocabulary explains, times
`out_of_scope_factor`, at least as well as the best feature is unmatched (a tender rule, a price
or a quality wish is not a feature); so is one whose best score is below `low`. Two features that
explain the same words within `margin` of each other, or a best score between `low` and `high`,
make it ambiguous. Otherwise the best feature is chosen, and with it every further feature that reaches
`also` and `also_share` of the best one's evidence on words of its own (multi-feature).
Ambiguous and unmatched requirements propose candidates but choose no feature: they are never
silently scored.
"""

from __future__ import annotations

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
