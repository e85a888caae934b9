"""The file formats as frozen pydantic models: features and products here, strategies in `strategy_model`
(re-exported, with the shared types of `format_types`, so that `vendormatch.files.models` names them all)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Strict, StringConstraints, Tag, model_validator

from vendormatch.files.format_types import (
    ID_PATTERN,
    MAX_CONTACTS,
    MAX_COST,
    MAX_MONEY,
    MAX_RATE,
    MAX_USERS,
    MAX_WEIGHT,
    MIN_WEIGHT,
    Amount,
    Count,
    CurrencyCode,
    Id,
    Level,
    Model,
    Rate,
    Text,
    Weight,
    YearMonth,
    is_kebab_id,
)
from vendormatch.files.strategy_model import (
    ALTERNATIVES_TAG,
    FEATURE_TAG,
    PRIORITY_FACTORS,
    AnyOf,
    CostEstimate,
    FeatureChoice,
    Kpi,
    KpiData,
    Objective,
    Priority,
    Requirement,
    RequirementsFile,
    Strategy,
    feature_keys,
    requirement_weight,
    yearly,
)

__all__ = [
    "ALTERNATIVES_TAG",
    "FEATURE_TAG",
    "ID_PATTERN",
    "MAX_CONTACTS",
    "MAX_COST",
    "MAX_MONEY",
    "MAX_RATE",
    "MAX_USERS",
    "MAX_WEIGHT",
    "MIN_WEIGHT",
    "PRIORITY_FACTORS",
    "AddOn",
    "Amount",
    "AnyOf",
    "Confidence",
    "ContactTier",
    "CostEstimate",
    "Count",
    "CurrencyCode",
    "Edition",
    "Feature",
    "FeatureChoice",
    "FeatureItem",
    "FeatureRef",
    "FeaturesFile",
    "Id",
    "Kpi",
    "KpiData",
    "Level",
    "Model",
    "Objective",
    "Price",
    "Priority",
    "Product",
    "Rate",
    "Requirement",
    "RequirementsFile",
    "StanceItem",
    "StanceRef",
    "Strategy",
    "Text",
    "ThirdPartyRef",
    "Weight",
    "YearMonth",
    "feature_keys",
    "is_kebab_id",
    "requirement_weight",
    "stance_feature",
    "stance_ref",
    "yearly",
]


# -- the taxonomy ---------------------------------------------------------------------------


class Feature(Model):
    """One capability a CRM product may have, with the words buyers use for it."""

    name: Text
    category: Id = "core"
    aliases: tuple[Text, ...] = ()
    description: Text | None = None
    # How the feature captures data when it serves a KPI's datum: by itself (an email filed, a form
    # submitted), or helping a person enter it (a phone app, a prompt); left out, it is typed by hand.
    capture: Literal["automatic", "assisted"] | None = None
    # A narrower form of another feature (data hosted in the UK is a form of choosing where data is
    # hosted): a statement labelled with the broader feature is served by a match to the narrower one.
    refines: Id | None = None


class FeaturesFile(Model):
    """`features.yaml`: the catalogue's taxonomy of feature ids."""

    features: dict[Id, Feature]


# -- products --------------------------------------------------------------------------------


class ContactTier(Model):
    """One step of a price by marketing contacts: up to `up_to` contacts, `month` a month."""

    up_to: Annotated[int, Strict(), Field(gt=0, le=MAX_CONTACTS)]
    month: Amount


class Price(Model):
    """What an edition or add-on costs; every figure is in the product's currency (or, under an
    edition's `prices:`, in the currency it is filed under). The formulas are in `vendormatch.files.offers`."""

    per_user_month: Amount | None = None
    # A cheaper seat type (light, collaborator, viewer) for the strategy's `light_users`.
    light_user_month: Amount | None = None
    flat_month: Amount | None = None
    included_users: Count | None = None
    min_users: Count | None = None
    max_users: Count | None = None
    one_time: Amount | None = None
    billing: Literal["annual", "monthly"] | None = None
    # Seats sold only in these bundle sizes (monday CRM: 3, 5, 10, ...): the buyer pays for the smallest
    # bucket that seats everyone, and a plan whose largest bucket is too small cannot be bought.
    seat_buckets: Annotated[tuple[Annotated[int, Strict(), Field(gt=0, le=MAX_USERS)], ...],
                            Field(min_length=1)] | None = None
    # A monthly charge by the number of marketing contacts (the strategy's `contacts`): the first tier
    # whose `up_to` holds them; beyond the last published tier the price is unknown (vendors quote it).
    contact_tiers: Annotated[tuple[ContactTier, ...], Field(min_length=1)] | None = None
    # The shortest commitment: a horizon shorter than this still pays for this many months.
    min_term_months: Annotated[int, Strict(), Field(gt=0, le=120)] | None = None
    # A yearly uplift the vendor publishes (0.05 for 5%), applied from the second year on.
    annual_increase: Annotated[float, Strict(), Field(ge=0, le=1, allow_inf_nan=False)] | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _charges_something(self) -> Price:
        if (self.per_user_month is None and self.flat_month is None and self.one_time is None
                and self.contact_tiers is None):
            raise ValueError(
                "a price needs per_user_month, flat_month, contact_tiers or one_time; "
                "if the price is not known, leave `price` out"
            )
        if self.seat_buckets is not None and list(self.seat_buckets) != sorted(set(self.seat_buckets)):
            raise ValueError("seat_buckets must rise strictly, like [3, 5, 10, 15]")
        if self.contact_tiers is not None:
            limits = [tier.up_to for tier in self.contact_tiers]
            if limits != sorted(set(limits)):
                raise ValueError("contact_tiers must rise strictly by up_to, like "
                                 "[{up_to: 500, month: 20}, {up_to: 1500, month: 45}]")
        if self.light_user_month is not None and self.per_user_month is None:
            raise ValueError("light_user_month needs per_user_month: the price of a full user")
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


def _stance_kind(value: Any) -> str:
    return STANCE_REF_TAG if isinstance(value, dict | StanceRef) else STANCE_ID_TAG


STANCE_ID_TAG, STANCE_REF_TAG = "<feature id>", "<feature with a note>"
#: A feature without a note, written as its bare id, stays text: a large catalogue lists thousands of
#: absent features per product, and building an object for each made loading ten times slower.
StanceId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
#: A stance entry: a bare feature id, or a mapping when it needs a note, a source or a confidence.
StanceItem = Annotated[
    Annotated[StanceId, Tag(STANCE_ID_TAG)] | Annotated[StanceRef, Tag(STANCE_REF_TAG)], Discriminator(_stance_kind)
]


def stance_feature(item: str | StanceRef) -> str:
    """The feature id of a stance entry, bare or with a note."""
    return item if isinstance(item, str) else item.feature


def stance_ref(item: str | StanceRef) -> StanceRef:
    """A stance entry as a StanceRef (its note, source and confidence empty when written bare)."""
    return StanceRef(feature=item) if isinstance(item, str) else item


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
    # Prices the vendor publishes in other currencies, used when the strategy's currency is one of them.
    prices: dict[CurrencyCode, Price] = Field(default_factory=dict)
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
    prices: dict[CurrencyCode, Price] = Field(default_factory=dict)
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
    add_ons: dict[Id, AddOn] = Field(default_factory=dict)
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
