"""The shortlist's result: frozen models that check their own invariants and define the JSON shape."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from vendormatch.files.catalog_identity import CatalogIdentity
from vendormatch.files.stances import StanceKind


class Result(BaseModel):
    """Base of result models: frozen, and unknown fields are bugs."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CostItem(Result):
    """One item of a bundle's cost over the horizon, in the strategy's currency (None: price unknown)."""

    item: str
    # "estimate": a cost beyond licences that the strategy estimates (vendormatch.solve.estimates).
    kind: Literal["edition", "add-on", "estimate"]
    name: str
    monthly: float | None
    one_time: float | None
    total: float | None
    # For editions and add-ons: each licensed department's users in the first year.
    seats: dict[str, int] = Field(default_factory=dict)


# A trace's stance is a stance of the catalogue's (vendormatch.files.stances), one vocabulary for both.
Stance = StanceKind
Band = Literal["verified", "if-confirmed"]
#: How reports count a bundle's stance on the strategy's features (`Ranking.feature_stances`).
COUNTED_STANCES = ("confirmed", "partial", "unknown", "third-party", "absent")


class FeatureTrace(Result):
    """One feature of a requirement: its level in the bundle, what gives it, and the catalogue's stance on it.

    `stance` is the product's fact about the feature in the chosen edition (an add-on that the bundle
    buys reads "add-on", a priced third-party app "third-party"); `source` is where the fact is
    documented, and `note` says what a partial level or an absence means.
    """

    feature: str
    level: float
    provided_by: str | None
    provider_kind: Literal["edition", "add-on", "third-party"] | None
    stance: Stance | None = None  # None: not computed (a result built by hand)
    source: str | None = None
    note: str | None = None


class RequirementOutcome(Result):
    """A requirement's level under a product's bundle, with its trace back to an objective."""

    id: str
    objective: str
    department: str
    priority: str
    weight: float
    level: float
    features: tuple[FeatureTrace, ...]


class DataCapture(Result):
    """How a bundle captures one datum a KPI needs: automatically, with assistance, by hand, or not yet settled.

    `unsettled`: the datum's requirement has no features yet (ambiguous or unmatched): review it.
    """

    objective: str
    measure: str
    data: str
    requirement: str
    captured_by: str
    frequency: str | None
    mode: Literal["automatic", "assisted", "manual", "unsettled"]
    #: The features that capture it in this bundle (those the bundle gives above level 0).
    features: tuple[str, ...] = ()


class StackMember(Result):
    """One product of a stack, with its own bundle and cost."""

    product: str
    vendor: str
    product_name: str
    edition: str
    edition_name: str
    add_ons: tuple[str, ...]
    cost_total: float | None
    # The departments this member is licensed for (it serves their requirements).
    departments: tuple[str, ...] = ()


class Ranking(Result):
    """One ranked product (or stack of products): its best bundle, score, cost and what it leaves uncovered.

    For a stack, `product` joins the members' ids with '+', `members` holds each member's bundle,
    and edition, add-on and cost-line ids are written `product:id`.
    """

    rank: int = Field(ge=1)
    product: str
    vendor: str
    product_name: str
    edition: str
    edition_name: str
    add_ons: tuple[str, ...]
    score: float = Field(ge=0, le=1)
    cost_total: float | None
    cost_known: float
    price_unknown: tuple[str, ...]
    within_budget: bool | None
    currency: str
    departments: dict[str, float]
    requirements: tuple[RequirementOutcome, ...]
    gaps: tuple[str, ...]
    cost_lines: tuple[CostItem, ...]
    # What the cost leaves out that a reader must know ("hosting not included: ...").
    cost_notes: tuple[str, ...] = ()
    members: tuple[StackMember, ...] = ()
    # "verified": a bundle qualifies on confirmed facts (and, with a budget, known prices); "if-confirmed":
    # it qualifies only if the vendor confirms `to_confirm` (unknown must-haves, prices or features).
    band: Band = "verified"
    # The score if every unknown feature of the bundle's edition were confirmed in full (None for stacks).
    score_up_to: float | None = Field(default=None, ge=0, le=1)
    unconfirmed_musts: tuple[str, ...] = ()
    # What the vendor must confirm for an if-confirmed product to qualify: must-have features, the price
    # of items when a budget is set, else the unknown features its bundle relies on.
    to_confirm: tuple[str, ...] = ()
    # Unknown features that the strategy's requirements need: the questions for the vendor.
    open_questions: tuple[str, ...] = ()
    # Of the strategy's features, how many the bundle has in each of COUNTED_STANCES.
    feature_stances: dict[str, int] = Field(default_factory=dict)
    # How the bundle captures each datum the KPIs need (traced rankings only; empty without KPI data).
    capture: tuple[DataCapture, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Ranking:
        if list(self.add_ons) != sorted(set(self.add_ons)):
            raise ValueError("add_ons must be sorted and unique")
        if (self.cost_total is None) != bool(self.price_unknown):
            raise ValueError("cost_total is unknown exactly when some item's price is unknown")
        if self.score_up_to is not None and self.score_up_to + 1e-9 < self.score:
            raise ValueError("score_up_to can never be below the confirmed score")
        if self.band == "verified" and (self.unconfirmed_musts or self.to_confirm):
            raise ValueError("a verified product has nothing left to confirm")
        if self.band == "if-confirmed" and not self.to_confirm:
            raise ValueError("an if-confirmed product names what the vendor must confirm")
        return self


class Exclusion(Result):
    """A product that cannot qualify, with the reasons and, where it applies, the cheapest compliant cost."""

    product: str
    vendor: str
    reasons: tuple[str, ...] = Field(min_length=1)
    cheapest_compliant_cost: float | None = None


class ClosestFit(Result):
    """An excluded product that comes closest: what stops it, and its best bundle with every must-have,
    the department floor and the budget lifted (must-haves count as shoulds, their weight kept)."""

    product: str
    vendor: str
    misses: tuple[str, ...] = Field(min_length=1)
    edition: str
    add_ons: tuple[str, ...]
    score: float = Field(ge=0, le=1)
    cost_total: float | None
    cost_known: float
    band: Band


class Unscored(Result):
    """A requirement left out of every score because its features are not settled."""

    id: str
    status: str
    priority: str
    message: str


class ObjectiveSummary(Result):
    """An objective as reports show it: what it states, how it is measured and its weight."""

    statement: str
    kpi: str | None
    weight: float


class RequirementSummary(Result):
    """A requirement as reports show it: its words, the objective it serves, its department and weight."""

    id: str
    text: str
    objective: str | None
    department: str | None
    priority: str
    weight: float


class StrategySummary(Result):
    """The figures of the strategy that the costs and scores depend on, and what reports show of it."""

    organisation: str
    currency: str
    users: dict[str, int]
    total_users: int
    horizon_years: float
    budget: float | None
    min_department_coverage: float | None
    requirements_counted: int
    # Added for the reports (objectives with KPIs, requirement texts); empty when a caller leaves them out.
    objectives: dict[str, ObjectiveSummary] = Field(default_factory=dict)
    requirements: tuple[RequirementSummary, ...] = ()
    exchange_rates: dict[str, float] = Field(default_factory=dict)
    #: With `weights: pairwise`, how consistent the judgements behind the objectives' weights are.
    consistency_ratio: float | None = None


class RunInfo(Result):
    """The settings applied with --set, the catalogue read, the run's date and vendormatch's version."""

    vendormatch: str
    run_date: str
    catalog: CatalogIdentity
    settings: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for a report."""
        what_if = f"; what-if: {', '.join(self.settings)}" if self.settings else ""
        return f"vendormatch {self.vendormatch}, run {self.run_date}, {self.catalog.describe()}{what_if}"


class Shortlist(Result):
    """Products ranked by band, score, then total cost (unknown last), then product id; and those excluded."""

    version: Literal[1] = 1
    strategy: StrategySummary
    solver: str
    rankings: tuple[Ranking, ...]
    excluded: tuple[Exclusion, ...]
    unscored: tuple[Unscored, ...]
    warnings: tuple[str, ...] = ()
    # How many products (and stacks) ranked before `top` kept the first ones; None: all are listed.
    qualified: int | None = None
    # The run that made this result: what-if settings, catalogue identity, date, version.
    run: RunInfo | None = None
    # When fewer products qualify than asked for (none, or fewer than `top`): the excluded products
    # that come closest, best first.
    closest: tuple[ClosestFit, ...] = ()

    @model_validator(mode="after")
    def _ranked(self) -> Shortlist:
        if [r.rank for r in self.rankings] != list(range(1, len(self.rankings) + 1)):
            raise ValueError("ranks must run 1..n")
        keys = [rank_key(r) for r in self.rankings]
        if keys != sorted(keys):
            raise ValueError("rankings must be ordered by band, score, cost, fewer products, then product id")
        ranked = {r.product for r in self.rankings}
        if ranked & {e.product for e in self.excluded}:
            raise ValueError("a product cannot be both ranked and excluded")
        if self.qualified is not None and self.qualified < len(self.rankings):
            raise ValueError("fewer products qualified than are listed")
        return self


BANDS: tuple[Band, ...] = ("verified", "if-confirmed")


def rank_key(ranking: Ranking) -> tuple[int, float, int, float, int, str]:
    """The sort key of the ranking order: verified band first; then the score (in the if-confirmed band,
    the "up to" score its bundle was chosen by: what it would score once confirmed); a known cost
    before an unknown one (a bundle of unknown price never outranks a priced one of equal score on
    cost); the lower cost; fewer products (a stack after a single product or smaller stack it only
    equals); the product id."""
    unknown = ranking.cost_total is None
    band, score = standing(ranking)
    return (band, -score, int(unknown), round(ranking.cost_known, 6), len(ranking.members) or 1, ranking.product)


def standing(ranking: Ranking) -> tuple[int, float]:
    """Where a ranking stands before costs decide: its band's index and the score its band ranks by."""
    score = ranking.score if ranking.band == "verified" or ranking.score_up_to is None else ranking.score_up_to
    return BANDS.index(ranking.band), round(score, 9)


class FrontierPoint(Result):
    """One Pareto-efficient bundle: no other bundle costs no more and scores higher."""

    product: str
    vendor: str
    edition: str
    add_ons: tuple[str, ...]
    cost_total: float
    score: float = Field(ge=0, le=1)
    within_budget: bool | None


class Frontier(Result):
    """The cost/coverage frontier across the catalogue, cheapest first, scores strictly rising."""

    version: Literal[1] = 1
    organisation: str
    currency: str
    budget: float | None
    points: tuple[FrontierPoint, ...]
    products_with_unknown_prices: tuple[str, ...]
    unscored: tuple[str, ...]
    # Products that qualify only if their vendor confirms an unknown must-have: not on the frontier.
    products_if_confirmed: tuple[str, ...] = ()
    run: RunInfo | None = None

    @model_validator(mode="after")
    def _efficient(self) -> Frontier:
        for before, after in zip(self.points, self.points[1:], strict=False):
            if not (after.cost_total >= before.cost_total and after.score > before.score):
                raise ValueError("frontier points must rise in cost and strictly in score")
        return self
