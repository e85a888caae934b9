"""What `explain()` returns: a product's place, what would close each gap, and what would bring it back."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from vendormatch.solve.results import ClosestFit, Exclusion, Ranking, Result, RunInfo, StrategySummary, Unscored


class LevelChange(Result):
    """A requirement whose level a change of bundle raises or lowers."""

    requirement: str
    before: float
    after: float


class BundleChange(Result):
    """Another bundle of the same product, compared with the chosen one: what changes, what it adds, what it costs."""

    edition: str
    add_ons: tuple[str, ...]
    edition_before: str | None
    add_ons_added: tuple[str, ...]
    add_ons_removed: tuple[str, ...]
    raises: tuple[LevelChange, ...]
    lowers: tuple[LevelChange, ...]
    score: float
    cost_total: float | None
    cost_known: float
    #: The change in total cost over the horizon; None when a price on either side is unknown.
    extra_cost: float | None
    within_budget: bool | None


class GapFix(Result):
    """A requirement the chosen bundle leaves short, and the cheapest change of bundle that closes it (if any)."""

    requirement: str
    department: str
    priority: str
    weight: float
    level: float
    missing: tuple[str, ...]
    fix: BundleChange | None
    note: str


class Remedy(Result):
    """The cheapest change that brings an excluded product back, and how it would rank alone after it."""

    kind: Literal["budget", "must-have", "department-floor", "users", "exchange-rate", "lifecycle"]
    message: str
    budget_needed: float | None = None
    must_haves: tuple[str, ...] = ()
    max_users: int | None = None
    floor_reachable: float | None = None
    #: The product's ranking with the change made (alone, so its rank is 1); None when it cannot be computed.
    ranking: Ranking | None = None
    #: When the change alone does not bring it back: its best bundle with every must-have, the floor and
    #: the budget lifted, and what still stops it.
    lifted: ClosestFit | None = None


class Explanation(Result):
    """Why one product ranks where it does (with what closes each gap), or why it is excluded and what brings it back."""

    version: Literal[1] = 1
    product: str
    vendor: str
    product_name: str
    strategy: StrategySummary
    status: Literal["ranked", "excluded"]
    ranked: int
    ranking: Ranking | None
    gaps: tuple[GapFix, ...]
    exclusion: Exclusion | None
    remedy: Remedy | None
    unscored: tuple[Unscored, ...]
    run: RunInfo | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Explanation:
        if (self.status == "ranked") != (self.ranking is not None) or (self.status == "excluded") != (
            self.exclusion is not None
        ):
            raise ValueError("a ranked product has a ranking, an excluded one an exclusion")
        return self
