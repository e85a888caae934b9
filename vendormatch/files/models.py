"""The file formats as frozen pydantic models: features, products and strategies."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    model_validator,
)

from vendormatch.files.loader import YamlFloat, YamlInt


def _source_text(value: Any) -> Any:
    """Read a number the user wrote where text belongs as the exact text they wrote."""
    if isinstance(value, (YamlInt, YamlFloat)):
        return value.source
    return value


ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Text = Annotated[str, StringConstraints(min_length=1, max_length=10_000), BeforeValidator(_source_text)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80), BeforeValidator(_source_text)]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
# Numbers are strict so that "12", true or 3.5 users are errors rather than quietly coerced.
Amount = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)]
PositiveAmount = Annotated[float, Strict(), Field(gt=0, allow_inf_nan=False)]
Count = Annotated[int, Strict(), Field(ge=0)]
Level = Annotated[float, Strict(), Field(gt=0, le=1)]
YearMonth = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$"),
    BeforeValidator(_source_text),
]


class Model(BaseModel):
    """Base of every format model: unknown keys are errors and values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# -- the taxonomy ---------------------------------------------------------------------------


class Feature(Model):
    """One capability a CRM product may have, with the words buyers use for it."""

    name: Text
    category: Id = "core"
    aliases: tuple[Text, ...] = ()
    description: Text | None = None


class FeaturesFile(Model):
    """`features.yaml`: the catalogue's taxonomy of feature ids."""

    features: dict[Id, Feature]


# -- products --------------------------------------------------------------------------------


class Price(Model):
    """What an edition or add-on costs; every figure is in the product's currency."""

    per_user_month: Amount | None = None
    flat_month: Amount | None = None
    included_users: Count | None = None
    min_users: Count | None = None
    max_users: Count | None = None
    one_time: Amount | None = None
    billing: Literal["annual", "monthly"] | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _charges_something(self) -> Price:
        if self.per_user_month is None and self.flat_month is None and self.one_time is None:
            raise ValueError(
                "a price needs per_user_month, flat_month or one_time; "
                "if the price is not known, leave `price` out"
            )
        return self


def _feature_ref_from_id(value: Any) -> Any:
    if isinstance(value, str):
        return {"feature": value}
    return value


class FeatureRef(Model):
    """A feature an edition or add-on gives, fully (level 1) or in part."""

    feature: Id
    level: Level = 1.0
    note: Text | None = None


# A feature is written as its bare id, or as a mapping when it needs a level or a note.
FeatureItem = Annotated[FeatureRef, BeforeValidator(_feature_ref_from_id, json_schema_input_type=Id | FeatureRef)]


class Edition(Model):
    """One edition (plan, tier) of a product."""

    name: Text
    includes: Id | None = None
    price: Price | None = None
    features: tuple[FeatureItem, ...] = ()
    note: Text | None = None


class AddOn(Model):
    """An optional module bought on top of an edition."""

    name: Text
    price: Price | None = None
    editions: tuple[Id, ...] | None = None
    features: tuple[FeatureItem, ...] = ()
    note: Text | None = None


class Product(Model):
    """`vendors/<id>.yaml`: one CRM product with its editions and add-ons."""

    id: Id
    vendor: Text
    product: Text
    url: Text
    as_of: YearMonth
    deployment: Literal["saas", "self-hosted", "both"]
    license: Text
    currency: CurrencyCode
    editions: Annotated[dict[Id, Edition], Field(min_length=1)]
    add_ons: dict[Id, AddOn] = {}
    integrates_with: tuple[Id, ...] = ()
    sources: tuple[Text, ...] = ()
    notes: Text | None = None


# -- strategies ------------------------------------------------------------------------------

Priority = Literal["must", "should", "could", "wont"]


class Objective(Model):
    """What the organisation is trying to achieve, and how it will know."""

    statement: Text
    kpi: Text | None = None
    weight: PositiveAmount = 1.0


class Requirement(Model):
    """A need of one department, derived from one objective."""

    id: Id
    text: Text
    objective: Id | None = None
    department: Id | None = None
    priority: Priority = "should"
    features: tuple[Id, ...] | None = None
    weight: PositiveAmount | None = None


class Strategy(Model):
    """A strategy: objectives, the users of each department, and the requirements."""

    organisation: Text
    currency: CurrencyCode
    horizon_years: Annotated[float, Strict(), Field(gt=0, le=30, allow_inf_nan=False)]
    budget: Amount | None = None
    exchange_rates: dict[CurrencyCode, PositiveAmount] = {}
    users: dict[Id, Count]
    objectives: Annotated[dict[Id, Objective], Field(min_length=1)]
    requirements: tuple[Requirement, ...] = ()
    min_department_coverage: Annotated[float, Strict(), Field(ge=0, le=1)] | None = None

    @property
    def total_users(self) -> int:
        """All users over every department: the N of the cost formula."""
        return sum(self.users.values())

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


def is_kebab_id(value: str) -> bool:
    """Tell whether a string is a valid id."""
    return re.match(ID_PATTERN, value) is not None
