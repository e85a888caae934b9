"""The strategy's formats as frozen pydantic models: objectives with their KPIs, requirements and the strategy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Strict, Tag, model_validator

from vendormatch.files.alternatives import any_key
from vendormatch.files.format_types import (
    MAX_COST,
    MAX_USERS,
    Count,
    CurrencyCode,
    Id,
    Model,
    Rate,
    Text,
    Weight,
    YearMonth,
)

# -- strategies ------------------------------------------------------------------------------

Priority = Literal["must", "should", "could", "wont"]


class AnyOf(Model):
    """Alternatives: the requirement is met by whichever of these features a bundle gives best."""

    any: Annotated[tuple[Id, ...], Field(min_length=2)]

    @model_validator(mode="after")
    def _distinct(self) -> AnyOf:
        if len(set(self.any)) != len(self.any):
            raise ValueError("lists a feature twice: name each alternative once (at least two different ones)")
        return self

    @property
    def key(self) -> str:
        """The one string that stands for these alternatives after loading (see vendormatch.files.alternatives)."""
        return any_key(self.any)


def _choice_kind(value: Any) -> str:
    return ALTERNATIVES_TAG if isinstance(value, dict | AnyOf) else FEATURE_TAG


#: Tags of the two kinds of FeatureChoice. They appear in pydantic's error locations, which the
#: diagnostics drop (see schema_errors): they name no place in the file.
FEATURE_TAG = "<feature id>"
ALTERNATIVES_TAG = "<alternatives>"
#: A feature a requirement needs: one feature id, or `{any: [...]}` for alternatives. A mapping is
#: only ever read as alternatives, text only as an id, so each mistake gets one message, not two.
FeatureChoice = Annotated[
    Annotated[Id, Tag(FEATURE_TAG)] | Annotated[AnyOf, Tag(ALTERNATIVES_TAG)],
    Discriminator(_choice_kind),
]


def feature_keys(items: Iterable[str | AnyOf]) -> tuple[str, ...]:
    """Feature ids and alternatives as keys, in order, each once."""
    return tuple(dict.fromkeys(item.key if isinstance(item, AnyOf) else item for item in items))


class KpiData(Model):
    """A datum a KPI needs, who captures it and how often: it becomes a requirement of its own.

    Its requirement (`vendormatch.files.kpi_data`) says that this datum gets captured: it is matched
    to features like any requirement, serves the objective, belongs to `captured_by` and is a
    `should` unless `priority` says otherwise.
    """

    text: Text
    captured_by: Id
    frequency: Text | None = None
    priority: Priority = "should"
    id: Id | None = None
    features: tuple[FeatureChoice, ...] | None = None


class Kpi(Model):
    """How an objective is measured: the measure, its target, and the data the measure is computed from."""

    measure: Text
    target: Text | None = None
    data: tuple[KpiData, ...] = ()


def _kpi_kind(value: Any) -> str:
    return KPI_TAG if isinstance(value, dict | Kpi) else TEXT_TAG


TEXT_TAG = "<text>"
KPI_TAG = "<kpi>"
#: A KPI: a line of text, or `{measure, target, data: [...]}`; a mapping is only ever read as the latter.
KpiField = Annotated[Annotated[Text, Tag(TEXT_TAG)] | Annotated[Kpi, Tag(KPI_TAG)], Discriminator(_kpi_kind)]


class Objective(Model):
    """What the organisation is trying to achieve, and how it will know."""

    statement: Text
    kpi: KpiField | None = None
    weight: Weight = 1.0

    @property
    def kpi_text(self) -> str | None:
        """The KPI as one line: its text, or its measure and target."""
        if isinstance(self.kpi, Kpi):
            return self.kpi.measure + (f"; target: {self.kpi.target}" if self.kpi.target else "")
        return self.kpi

    @property
    def data(self) -> tuple[KpiData, ...]:
        """The data the KPI needs (none for a KPI written as text)."""
        return self.kpi.data if isinstance(self.kpi, Kpi) else ()


class Requirement(Model):
    """A need of one department, derived from one objective."""

    id: Id
    text: Text
    objective: Id | None = None
    department: Id | None = None
    priority: Priority = "should"
    features: tuple[FeatureChoice, ...] | None = None
    weight: Weight | None = None


def _count_kind(value: Any) -> str:
    return YEARLY_TAG if isinstance(value, list | tuple) else COUNT_TAG


COUNT_TAG, YEARLY_TAG = "<count>", "<count per year>"
#: A head count: one figure for the whole horizon, or one per year (`[12, 15, 18]`; the last repeats).
#: A list is only ever read as yearly figures, a number only as one, so each mistake gets one message.
YearlyCount = Annotated[
    Annotated[Count, Tag(COUNT_TAG)]
    | Annotated[tuple[Count, ...], Field(min_length=1, max_length=30), Tag(YEARLY_TAG)],
    Discriminator(_count_kind),
]

CostKind = Literal["implementation", "migration", "hosting", "support", "training", "other"]


class CostEstimate(Model):
    """A cost beyond licences that the organisation estimates: for one product, or for every product of
    a deployment kind (hosting for self-hosted products, say), in the strategy's currency."""

    kind: CostKind
    product: Id | None = None
    deployment: Literal["saas", "self-hosted"] | None = None
    one_time: Annotated[float, Strict(), Field(ge=0, le=MAX_COST, allow_inf_nan=False)] | None = None
    monthly: Annotated[float, Strict(), Field(ge=0, le=MAX_COST, allow_inf_nan=False)] | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _aimed_and_priced(self) -> CostEstimate:
        if (self.product is None) == (self.deployment is None):
            raise ValueError("a cost estimate names either `product` (one product) or `deployment` (saas or "
                             "self-hosted: every product of that kind), not both and not neither")
        if self.one_time is None and self.monthly is None:
            raise ValueError("a cost estimate needs `one_time`, `monthly` or both")
        return self


def yearly(value: int | tuple[int, ...]) -> tuple[int, ...]:
    """A head count as one figure per year."""
    return (value,) if isinstance(value, int) else value


class Strategy(Model):
    """A strategy: objectives, the users of each department, and the requirements."""

    organisation: Text
    currency: CurrencyCode
    horizon_years: Annotated[float, Strict(), Field(gt=0, le=30, allow_inf_nan=False)]
    budget: Annotated[float, Strict(), Field(ge=0, le=MAX_COST, allow_inf_nan=False)] | None = None
    exchange_rates: dict[CurrencyCode, Rate] = Field(default_factory=dict)
    users: dict[Id, YearlyCount]
    # Of each department's users, how many need only a light seat (viewer, collaborator) where sold.
    light_users: dict[Id, YearlyCount] = Field(default_factory=dict)
    # Marketing contacts, for products priced by them.
    contacts: YearlyCount | None = None
    # Which products a department uses in a stack, or `none`: it uses no CRM and is never licensed.
    uses: dict[Id, Literal["none"] | Annotated[tuple[Id, ...], Field(min_length=1)]] = Field(default_factory=dict)
    costs: tuple[CostEstimate, ...] = ()
    objectives: Annotated[dict[Id, Objective], Field(min_length=1)]
    requirements: tuple[Requirement, ...] = ()
    min_department_coverage: Annotated[float, Strict(), Field(ge=0, le=1)] | None = None
    # When the software would be bought: the horizon runs from here (lifecycle dates are read against
    # it). Left out, a run uses its own date.
    start: YearMonth | None = None
    # Objective weights as written, or derived from pairwise `judgements` (vendormatch.files.pairwise).
    weights: Literal["direct", "pairwise"] = "direct"
    judgements: tuple[tuple[Id, Id, Annotated[int, Strict(), Field(ge=1, le=9)]], ...] = ()

    @model_validator(mode="after")
    def _users_in_range(self) -> Strategy:
        if self.peak_users > MAX_USERS:
            raise ValueError(f"users come to {self.peak_users:,} over all departments; at most {MAX_USERS:,} are allowed")
        return self

    @property
    def total_users(self) -> int:
        """All users over every department in the first year: the N of the cost formula."""
        return sum(yearly(n)[0] for n in self.users.values())

    @property
    def peak_users(self) -> int:
        """All users over every department in the busiest year."""
        years = max(len(yearly(n)) for n in self.users.values()) if self.users else 1
        return max((sum(yearly(n)[min(y, len(yearly(n)) - 1)] for n in self.users.values()) for y in range(years)),
                   default=0)

    @property
    def licensed_departments(self) -> tuple[str, ...]:
        """The departments a single product is licensed for: all but those that `uses: none`."""
        return tuple(d for d in self.users if self.uses.get(d) != "none")

    @property
    def months(self) -> float:
        """The horizon in months: the M of the cost formula."""
        return 12 * self.horizon_years


class RequirementsFile(Model):
    """`requirements/<department>.yaml` in the folder form of a strategy."""

    requirements: tuple[Requirement, ...]


PRIORITY_FACTORS: dict[str, float] = {"must": 3.0, "should": 2.0, "could": 1.0, "wont": 0.0}


def requirement_weight(requirement: Requirement, strategy: Strategy) -> float:
    """The explicit weight, else the objective's weight times the priority's factor."""
    if requirement.priority == "wont":
        return 0.0
    if requirement.weight is not None:
        return requirement.weight
    objective = strategy.objectives.get(requirement.objective or "")
    base = objective.weight if objective is not None else 1.0
    return base * PRIORITY_FACTORS[requirement.priority]
