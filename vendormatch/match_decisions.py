"""From a requirement's ranked feature scores to a status, the chosen features and the candidates.

The requirement gets every feature that reaches `high` and is asked for by its own words
(multi-feature), unless two features explain the same words with scores within `margin`
(ambiguous), the best score is between `low` and `high` (ambiguous) or below `low` (unmatched).
Ambiguous and unmatched requirements propose candidates but choose no feature: they are never
silently scored.
"""

from __future__ import annotations

from vendormatch.feature_index import FeatureIndex, FeatureScore, shared
from vendormatch.match_options import MatchOptions
from vendormatch.match_results import Candidate, RequirementMatch


def _candidates(ranked: list[FeatureScore], index: FeatureIndex) -> tuple[Candidate, ...]:
    return tuple(Candidate(index.ids[s.feature], round(s.score, 1), s.via) for s in ranked)


def decide(requirement: str, scores: list[FeatureScore], index: FeatureIndex, options: MatchOptions) -> RequirementMatch:
    """Turn a requirement's ranked feature scores into a status, chosen features and candidates."""
    listed = [s for s in scores if s.score >= options.candidate_floor][: options.max_candidates]
    if not scores or scores[0].score < options.low:
        best = f" (best: {index.ids[scores[0].feature]} {scores[0].score:.0f})" if scores else ""
        reason = f"no feature scored {options.low:g} or more{best}"
        return RequirementMatch(requirement, "unmatched", (), _candidates(listed, index), reason)
    top = scores[0]
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
    for other in scores[1:]:
        if other.score < options.also:
            break
        # A feature found through the same words as one already chosen is a rival reading, not a
        # second need: "log calls" asks for telephony once, not for every feature with "call".
        if shared(other.evidence, explained, index) < 0.5:
            chosen.append(other)
            explained = explained | other.evidence
    rest = [s for s in listed if s not in chosen]
    ranked = chosen + rest[: max(0, options.max_candidates - len(chosen))]
    return RequirementMatch(
        requirement, "matched", tuple(index.ids[s.feature] for s in chosen), _candidates(ranked, index)
    )
