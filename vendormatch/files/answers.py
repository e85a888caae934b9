"""A vendor's answer about one feature, applied over the catalogue's facts about its product.

An answer replaces whatever the product file said of the feature (offered, partial, third-party,
absent or unknown), so that no feature ends up with two stances:

- `yes`: offered in full, in `edition` and every edition that includes it, or in every edition
  when no edition is named;
- `partial`: offered at level 0.5 there, the comment saying what is missing;
- `third-party`: only through another company's app (the comment names it, when it does);
- `no` and `roadmap`: absent today (a roadmap answer keeps its date in the note).

Every fact an answer writes carries its provenance: the note says it is the vendor's answer, by
whom and when, and the source is the evidence URL when one was given. Reports show both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from vendormatch.files.models import FeatureRef, Product, StanceRef, ThirdPartyRef
from vendormatch.files.stances import edition_chain

AnswerKind = Literal["yes", "partial", "roadmap", "third-party", "no"]
ANSWER_KINDS: tuple[AnswerKind, ...] = ("yes", "partial", "roadmap", "third-party", "no")
#: How the note of every fact written from an answer begins, so that reports can mark it.
VENDOR_ANSWER = "vendor's answer"
#: The level a partial answer gives.
PARTIAL_LEVEL = 0.5


@dataclass(frozen=True)
class Answer:
    """One answer of a vendor's questionnaire, with its provenance."""

    feature: str
    answer: AnswerKind
    respondent: str
    date: str
    edition: str | None = None
    roadmap_date: str | None = None
    extra_price: str | None = None
    evidence: str | None = None
    comment: str | None = None

    def note(self) -> str:
        """The provenance note every fact written from this answer carries."""
        parts = [f"{VENDOR_ANSWER} ({self.respondent}, {self.date}): {self.answer}"]
        if self.roadmap_date:
            parts.append(f"on the roadmap for {self.roadmap_date}")
        if self.extra_price:
            parts.append(f"extra price: {self.extra_price}")
        if self.comment:
            parts.append(self.comment)
        return "; ".join(parts)


def _editions_with(product: Product, edition: str | None) -> set[str]:
    """The editions an offer in `edition` reaches: itself and every edition whose chain includes it."""
    if edition is None:
        return set(product.editions)
    return {e for e in product.editions if edition in edition_chain(product, e)}


def _without(refs: Iterable[FeatureRef | StanceRef | ThirdPartyRef | str], feature: str) -> tuple[object, ...]:
    return tuple(r for r in refs if (r if isinstance(r, str) else r.feature) != feature)


def apply_answer(product: Product, answer: Answer) -> Product:
    """The product with its stance on `answer.feature` replaced by the answer."""
    feature, note, source = answer.feature, answer.note(), answer.evidence or f"vendor's answer, {answer.date}"
    offered_in = _editions_with(product, answer.edition) if answer.answer in ("yes", "partial") else set()
    # An offer through an included edition reaches the others: write it only where no included edition has it.
    roots = {e for e in offered_in if not any(i in offered_in for i in edition_chain(product, e)[1:])}
    level = 1.0 if answer.answer == "yes" else PARTIAL_LEVEL
    editions = {}
    for edition_id, edition in product.editions.items():
        features = _without(edition.features, feature)
        if edition_id in roots:
            features += (FeatureRef(feature=feature, level=level, note=note, source=source),)
        editions[edition_id] = edition.model_copy(update={
            "features": features, "unknown": _without(edition.unknown, feature),
        })
    # A vendor's own add-on keeps offering what it offered under a yes or partial answer; otherwise not.
    keep_add_ons = answer.answer in ("yes", "partial")
    add_ons = {
        add_on_id: add_on if keep_add_ons or add_on.provider is not None
        else add_on.model_copy(update={"features": _without(add_on.features, feature)})
        for add_on_id, add_on in product.add_ons.items()
    }
    lacks = _without(product.lacks, feature)
    if answer.answer in ("no", "roadmap"):
        lacks += (StanceRef(feature=feature, note=note, source=source),)
    third_party = _without(product.third_party, feature)
    if answer.answer == "third-party":
        apps = (answer.comment or "a third-party app",)
        third_party += (ThirdPartyRef(feature=feature, apps=apps, note=note, source=source),)
    return product.model_copy(update={
        "editions": editions, "add_ons": add_ons, "lacks": lacks, "third_party": third_party,
        "unknown": _without(product.unknown, feature),
    })
