"""The trace of a requirement through a bundle: which edition or add-on gives each of its features."""

from __future__ import annotations

from typing import Literal

from vendormatch.files.alternatives import is_any, members
from vendormatch.files.models import Product
from vendormatch.files.offers import add_on_levels, edition_levels
from vendormatch.files.stances import stances_of
from vendormatch.solve.optimise import Choice
from vendormatch.solve.results import FeatureTrace, RequirementOutcome
from vendormatch.solve.scoring import ScoredRequirement


class BundleTracer:
    """Traces requirements through one product's chosen bundle; ids get `prefix` (a stack's `product:`)."""

    def __init__(self, product: Product, choice: Choice, prefix: str = "") -> None:
        assert choice.edition is not None
        self.edition = choice.edition
        self.from_edition = edition_levels(product, choice.edition)
        self.from_add_ons = [(a, add_on_levels(product.add_ons[a])) for a in choice.add_ons]
        self.third_party = {a for a in choice.add_ons if product.add_ons[a].provider is not None}
        self.stances = stances_of(product)
        self.prefix = prefix

    def feature(self, feature: str) -> FeatureTrace:
        """The best level of one feature in the bundle, what gives it (the edition wins a tie), and its stance.

        An alternative is traced through its best member (on a tie, one the edition gives, then the
        first in id order, as for a feature); the trace keeps the alternative's key, and its note
        names the member."""
        if is_any(feature):
            traces = [self.feature(m) for m in members(feature)]
            best_trace = max(traces, key=lambda t: (t.level, t.provider_kind == "edition"))
            if best_trace.level <= 0:
                stance = self.stances.stance(self.edition, feature)
                return FeatureTrace.model_construct(feature=feature, level=0.0, provided_by=None, provider_kind=None,
                                                    stance=stance.kind, source=stance.source, note=stance.note)
            note = f"{best_trace.feature}: {best_trace.note}" if best_trace.note else best_trace.feature
            return best_trace.model_copy(update={"feature": feature, "note": note})
        best, provider = self.from_edition.get(feature, 0.0), self.edition
        kind: Literal["edition", "add-on", "third-party"] = "edition"
        for add_on_id, levels in self.from_add_ons:
            level = levels.get(feature, 0.0)
            if level > best:
                best, provider = level, add_on_id
                kind = "third-party" if add_on_id in self.third_party else "add-on"
        stance = self.stances.stance(self.edition, feature)
        # model_construct: these values come from validated models, and a 1,000-product ranking of
        # 500 requirements builds half a million of them (validation was half the run).
        if best <= 0:
            return FeatureTrace.model_construct(feature=feature, level=0.0, provided_by=None, provider_kind=None,
                                                stance=stance.kind, source=stance.source, note=stance.note)
        # What the bundle buys decides the stance shown: an add-on's feature reads "add-on" whatever the edition says.
        shown = stance.kind if kind == "edition" else kind
        return FeatureTrace.model_construct(feature=feature, level=best, provided_by=self.prefix + provider,
                                            provider_kind=kind, stance=shown, source=stance.source, note=stance.note)

    def outcome(self, req: ScoredRequirement, priority: str) -> RequirementOutcome:
        """A requirement's level in the bundle (its weakest feature) with each feature's trace."""
        traces = tuple(self.feature(f) for f in req.features)
        return RequirementOutcome.model_construct(
            id=req.id, objective=req.objective, department=req.department, priority=priority, weight=req.weight,
            level=min((t.level for t in traces), default=0.0), features=traces,
        )
