"""What a ranked bundle says about the catalogue's knowledge: its band, the score it could reach if the
vendor confirmed every unknown, what the vendor must confirm, the open questions, and how many of the
strategy's features the bundle has confirmed, in part, through third-party apps, unknown or absent."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from vendormatch.files.alternatives import ANY_PREFIX, level_of, members, real_features
from vendormatch.files.models import Product
from vendormatch.files.stances import optimistic_levels, stances_of
from vendormatch.solve.optimise import Choice
from vendormatch.solve.results import COUNTED_STANCES
from vendormatch.solve.scoring import ScoredRequirement, requirement_level, weighted_score

#: Best news first, for an alternative whose members count differently.
_COUNT_ORDER = ("confirmed", "partial", "third-party", "unknown", "absent")


def _counted_stance(kind_of: Callable[[str], str], bought_apps: frozenset[str], feature: str,
                    feature_levels: Mapping[str, float]) -> str:
    """A feature's place in the counts: what the bundle gives, else what the catalogue says of the edition.
    An alternative counts as its best member does. `bought_apps`: the features of the third-party apps bought."""
    if feature.startswith(ANY_PREFIX):  # not is_any(): a hot path
        placed = [_counted_stance(kind_of, bought_apps, m, feature_levels) for m in members(feature)]
        return min(placed, key=_COUNT_ORDER.index)
    level = feature_levels.get(feature, 0.0)
    if level > 0:
        return "third-party" if feature in bought_apps else ("confirmed" if level >= 1 else "partial")
    kind = kind_of(feature)
    # An add-on the optimiser did not buy leaves the feature out of this bundle.
    return kind if kind in ("unknown", "third-party") else "absent"


def stance_fields(product: Product, choice: Choice, requirements: Sequence[ScoredRequirement],
                   feature_levels: Mapping[str, float], *, conditional: bool, unpriced: Sequence[str]) -> dict[str, Any]:
    """The band, the "up to" score, what the vendor must confirm, the open questions and the stance counts.

    `conditional`: the bundle was found reading unknowns as confirmed; `unpriced`: the items whose
    unknown price keeps the bundle from being shown to fit the budget."""
    assert choice.edition is not None
    stances = stances_of(product)
    edition = choice.edition
    kinds: dict[str, str] = {}

    def kind_of(feature: str) -> str:
        """The feature's stance in the edition, read once per ranking (the counts and questions both ask)."""
        found = kinds.get(feature)
        if found is None:
            found = kinds[feature] = stances.stance(edition, feature).kind
        return found

    needed = sorted({f for req in requirements for f in req.features})
    # The stances of every needed feature the bundle lacks, read as sets at once (the same reading as
    # `stance()`, which is far slower one feature at a time over large catalogues).
    plain = real_features(needed)
    lacking = {f for f in plain if feature_levels.get(f, 0.0) <= 0}
    for feature in stances.third_party_in(edition, lacking):
        kinds[feature] = "third-party"
    for feature in stances.unknown_in(edition, lacking - kinds.keys()):
        kinds[feature] = "unknown"
    for feature in lacking - kinds.keys():
        kinds[feature] = "absent"
    # What to ask the vendor is always a feature: an alternative's members are asked about one by one.
    short = real_features(key for key in needed if level_of(feature_levels, key) < 1)
    unknown = [f for f in sorted(short) if feature_levels.get(f, 0.0) < 1 and kind_of(f) == "unknown"]
    unknown_set = set(unknown)
    hoped = optimistic_levels(feature_levels, unknown)
    up_to = weighted_score({req.id: requirement_level(req.features, hoped) for req in requirements}, requirements)
    # A must-have's alternative already met needs none of its members confirmed; one not met needs any
    # one of its unknown members: "a or b" is one thing to confirm, not two.
    asked: dict[str, None] = {}
    for key in sorted({f for req in requirements if req.must for f in req.features}):
        if level_of(feature_levels, key) < 1:
            candidates = [m for m in members(key) if m in unknown_set]
            if candidates:
                asked[" or ".join(candidates)] = None
    unconfirmed = tuple(asked)
    counts = dict.fromkeys(COUNTED_STANCES, 0)
    bought_apps = frozenset(r.feature for a in choice.add_ons if product.add_ons[a].provider is not None
                            for r in product.add_ons[a].features)
    for feature in needed:
        counts[_counted_stance(kind_of, bought_apps, feature, feature_levels)] += 1
    confirm = [*unconfirmed, *(f"the price of {item}" for item in unpriced)] if conditional else []
    return {
        "band": "if-confirmed" if conditional else "verified",
        "to_confirm": tuple(confirm or (unknown if conditional else ())),
        "score_up_to": round(min(1.0, max(0.0, up_to)), 6),
        "unconfirmed_musts": unconfirmed,
        "open_questions": tuple(unknown),
        "feature_stances": counts,
    }
