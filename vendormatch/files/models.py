"""The file formats as frozen pydantic models: features, products and strategies."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    StringConstraints,
    Tag,
    model_validator,
)

from vendormatch.files.alternatives import any_key
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
# Ranges. Every legal value must reach the solver as a number it handles exactly enough to compare
# costs to the cent and scores to a millionth: no real deployment comes near these limits, and
# anything beyond them is a typo (users: 1e12) that would otherwise break the solve.
MAX_USERS = 10_000_000
MAX_MONEY = 1e12
# A cost over the horizon (and so a budget) may be larger: an edition for thousands of users, in a
# currency of many units to the dollar (VND, IDR), passes 1e12. Doubles still hold it to a hundredth.
MAX_COST = 1e14
MAX_RATE = 1e6
MAX_WEIGHT = 1000.0
MIN_WEIGHT = 0.001
Amount = Annotated[float, Strict(), Field(ge=0, le=MAX_MONEY, allow_inf_nan=False)]
Weight = Annotated[float, Strict(), Field(ge=MIN_WEIGHT, le=MAX_WEIGHT, allow_inf_nan=False)]
Rate = Annotated[float, Strict(), Field(ge=1 / MAX_RATE, le=MAX_RATE, allow_inf_nan=False)]
Count = Annotated[int, Strict(), Field(ge=0, le=MAX_USERS)]
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
    # Seats sold only in these bundle sizes (monday CRM: 3, 5, 10, ...): the buyer pays for the smallest
    # bucket that seats everyone, and a plan whose largest bucket is too small cannot be bought.
    seat_buckets: Annotated[tuple[Annotated[int, Strict(), Field(gt=0, le=MAX_USERS)], ...], Field(min_length=1)] | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _charges_something(self) -> Price:
        if self.per_user_month is None and self.flat_month is None and self.one_time is None:
            raise ValueError(
                "a price needs per_user_month, flat_month or one_time; "
                "if the price is not known, leave `price` out"
            )
        if self.seat_buckets is not None and list(self.seat_buckets) != sorted(set(self.seat_buckets)):
            raise ValueError("seat_buckets must rise strictly, like [3, 5, 10, 15]")
        return self


def _feature_ref_from_id(value: Any) -> Any:
    if isinstance(value, str):
        return {"feature": value}
    return value


Confidence = Literal["high", "medium", "low"]


class FeatureRef(Model):
    """A feature an edition or add-on gives, fully (level 1) or in part, with where that is documented."""

    feature: Id
    level: Level = 1.0
    note: Text | None = None
    source: Text | None = None
    confidence: Confidence | None = None


# A feature is written as its bare id, or as a mapping when it needs a level, a note or a source.
FeatureItem = Annotated[FeatureRef, BeforeValidator(_feature_ref_from_id, json_schema_input_type=Id | FeatureRef)]


class StanceRef(Model):
    """A feature the product is known to lack, or whose stance could not be established."""

    feature: Id
    note: Text | None = None
    source: Text | None = None
    confidence: Confidence | None = None


StanceItem = Annotated[StanceRef, BeforeValidator(_feature_ref_from_id, json_schema_input_type=Id | StanceRef)]


class ThirdPartyRef(Model):
    """A feature the product has only through other companies' apps, naming them."""

    feature: Id
    apps: Annotated[tuple[Text, ...], Field(min_length=1)]
    note: Text | None = None
    source: Text | None = None
    confidence: Confidence | None = None


class Edition(Model):
    """One edition (plan, tier) of a product."""

    name: Text
    includes: Id | None = None
    price: Price | None = None
    features: tuple[FeatureItem, ...] = ()
    # Features whose stance in this edition is unknown although a higher edition offers them.
    unknown: tuple[StanceItem, ...] = ()
    end_of_sale: YearMonth | None = None
    end_of_life: YearMonth | None = None
    note: Text | None = None


class AddOn(Model):
    """An optional module bought on top of an edition: the vendor's own, or a priced third-party app."""

    name: Text
    price: Price | None = None
    editions: tuple[Id, ...] | None = None
    features: tuple[FeatureItem, ...] = ()
    # Set for another company's app sold for this product (its provenance shows in traces and reports).
    provider: Text | None = None
    source: Text | None = None
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
    # The stance of every taxonomy feature that no edition or add-on offers (see vendormatch.files.stances).
    third_party: tuple[ThirdPartyRef, ...] = ()
    lacks: tuple[StanceItem, ...] = ()
    unknown: tuple[StanceItem, ...] = ()
    end_of_sale: YearMonth | None = None
    end_of_life: YearMonth | None = None
    lifecycle_source: Text | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _lifecycle_sourced(self) -> Product:
        dated = self.end_of_sale is not None or self.end_of_life is not None or any(
            e.end_of_sale is not None or e.end_of_life is not None for e in self.editions.values()
        )
        if dated and self.lifecycle_source is None:
            raise ValueError("end_of_sale and end_of_life need `lifecycle_source`: the page that announces them")
        return self


# -- strategies ------------------------------------------------------------------------------

Priority = Literal["must", "should", "could", "wont"]


class Objective(Model):
    """What the organisation is trying to achieve, and how it will know."""

    statement: Text
    kpi: Text | None = None
    weight: Weight = 1.0


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


class Requirement(Model):
    """A need of one department, derived from one objective."""

    id: Id
    text: Text
    objective: Id | None = None
    department: Id | None = None
    priority: Priority = "should"
    features: tuple[FeatureChoice, ...] | None = None
    weight: Weight | None = None


class Strategy(Model):
    """A strategy: objectives, the users of each department, and the requirements."""

    organisation: Text
    currency: CurrencyCode
    horizon_years: Annotated[float, Strict(), Field(gt=0, le=30, allow_inf_nan=False)]
    budget: Annotated[float, Strict(), Field(ge=0, le=MAX_COST, allow_inf_nan=False)] | None = None
    exchange_rates: dict[CurrencyCode, Rate] = {}
    users: dict[Id, Count]
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
        if self.total_users > MAX_USERS:
            raise ValueError(f"users come to {self.total_users:,} over all departments; at most {MAX_USERS:,} are allowed")
        return self

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
