"""The pydantic models, and how their errors are mapped back to the line and column of the YAML."""

from __future__ import annotations

import pydantic
import pytest
from conftest import Where, parse_text, where

from vendormatch.files.diagnostics import Diagnostic
from vendormatch.files.models import (
    Edition,
    Feature,
    FeatureRef,
    FeaturesFile,
    Objective,
    Price,
    Product,
    Requirement,
    RequirementsFile,
    Strategy,
    is_kebab_id,
    requirement_weight,
)
from vendormatch.files.schema_errors import did_you_mean, validate_model

PRODUCT = """\
id: acme-crm
vendor: Acme Software
product: Acme CRM
url: https://example.com/pricing
as_of: 2026-09
deployment: saas
license: proprietary
currency: USD
editions:
  starter:
    name: Starter
    price: {per_user_month: 15, billing: annual, max_users: 10}
    features: [contact-management, opportunity-pipeline]
"""

STRATEGY = """\
organisation: Northwind Traders
currency: USD
horizon_years: 3
users: {sales: 12, service: 6}
objectives:
  repeat-business:
    statement: Grow revenue from returning customers
    weight: 5
requirements:
  - id: log-calls
    text: Sales reps log calls from their phone
    objective: repeat-business
    department: sales
    priority: must
"""

PRICE_LINE = "    price: {per_user_month: 15, billing: annual, max_users: 10}"


def product_errors(old: str, new: str) -> list[Diagnostic]:
    """Validate PRODUCT with `old` replaced by `new` (which must occur in it); return the diagnostics."""
    assert old in PRODUCT
    doc = parse_text(PRODUCT.replace(old, new, 1), "p.yaml")
    model, found = validate_model(Product, doc.data, doc)
    assert (model is None) == bool(found)
    return found


def strategy_errors(old: str, new: str) -> list[Diagnostic]:
    """Validate STRATEGY with `old` replaced by `new`; return the diagnostics."""
    assert old in STRATEGY
    doc = parse_text(STRATEGY.replace(old, new, 1), "s.yaml")
    model, found = validate_model(Strategy, doc.data, doc)
    assert (model is None) == bool(found)
    return found


def only(found: list[Diagnostic]) -> Diagnostic:
    assert len(found) == 1, found
    assert found[0].file in ("p.yaml", "s.yaml")
    assert found[0].severity == "error"
    return found[0]


def test_base_examples_are_valid() -> None:
    assert product_errors("USD", "USD") == []
    assert strategy_errors("USD", "USD") == []


# -- unknown and missing keys -----------------------------------------------------------------


def test_unknown_key_at_the_top() -> None:
    # `licence` for `license`: the unknown key is reported at the key, and the real one is missing.
    found = product_errors("license: proprietary", "licence: proprietary")
    assert where(found) == [(1, 1, "missing-key"), (7, 1, "unknown-key")]
    assert found[0].message == "missing required key 'license' in the file"
    assert found[1].message == "unknown key 'licence'; did you mean 'license'?"


def test_unknown_key_nested_is_positioned_at_the_key() -> None:
    found = only(product_errors("    name: Starter\n", "    name: Starter\n    prise: 3\n"))
    assert (found.line, found.column, found.code) == (12, 5, "unknown-key")
    assert found.message == "unknown key 'prise'; did you mean 'price'?"


def test_unknown_key_in_a_flow_mapping() -> None:
    found = only(product_errors("billing: annual", "biling: annual"))
    assert (found.line, found.column, found.code) == (12, 33, "unknown-key")
    assert "did you mean 'billing'?" in found.message


def test_unknown_key_far_from_any_lists_the_allowed_keys() -> None:
    found = only(product_errors("    name: Starter\n", "    name: Starter\n    colour: red\n"))
    assert (found.line, found.column, found.code) == (12, 5, "unknown-key")
    assert found.message == (
        "unknown key 'colour'; allowed here: end_of_life, end_of_sale, features, includes, name, note, price, prices, unknown"
    )


def test_missing_key_at_the_top_is_positioned_at_the_file_start() -> None:
    found = only(product_errors("vendor: Acme Software\n", ""))
    assert (found.line, found.column, found.code) == (1, 1, "missing-key")
    assert found.message == "missing required key 'vendor' in the file"


def test_missing_key_is_positioned_at_its_parent_key() -> None:
    found = only(product_errors("    name: Starter\n", ""))
    assert (found.line, found.column, found.code) == (10, 3, "missing-key")
    assert found.message == "missing required key 'name' in editions.starter"


def test_missing_key_in_a_list_item_is_positioned_at_the_item() -> None:
    found = only(strategy_errors("    text: Sales reps log calls from their phone\n", ""))
    assert (found.line, found.column, found.code) == (10, 5, "missing-key")
    assert found.message == "missing required key 'text' in requirements[0]"


def test_missing_feature_in_a_feature_mapping() -> None:
    found = only(product_errors("opportunity-pipeline]", "{level: 0.5}]"))
    assert (found.line, found.column, found.code) == (13, 36, "missing-key")
    assert "'feature'" in found.message


# -- wrong types and bad values -----------------------------------------------------------------


def test_number_written_as_text() -> None:
    found = only(product_errors("per_user_month: 15", "per_user_month: '15'"))
    assert (found.line, found.column, found.code) == (12, 29, "wrong-type")
    assert found.message == "editions.starter.price.per_user_month: expected a number, got '15'"


def test_fraction_where_a_count_belongs() -> None:
    found = only(product_errors("max_users: 10", "max_users: 10.5"))
    assert (found.line, found.column, found.code) == (12, 61, "wrong-type")
    assert "expected a whole number, got 10.5" in found.message


def test_boolean_where_text_belongs_suggests_quotes() -> None:
    found = only(product_errors("license: proprietary", "license: true"))
    assert (found.line, found.column, found.code) == (7, 10, "wrong-type")
    assert found.message == "license: expected text, got true; put it in quotes"


def test_list_where_a_mapping_belongs() -> None:
    found = only(product_errors("  starter:\n", "  - starter:\n"))
    assert (found.line, found.column, found.code) == (10, 3, "wrong-type")
    assert "editions: expected a mapping of 'key: value' lines, got a list" in found.message


def test_scalar_where_a_list_belongs() -> None:
    doc = parse_text("features:\n  crm:\n    name: CRM\n    aliases: address book\n", "p.yaml")
    _, errors = validate_model(FeaturesFile, doc.data, doc)
    found = only(errors)
    assert (found.line, found.column, found.code) == (4, 14, "wrong-type")
    assert found.message == ("features.crm.aliases: expected a list, got 'address book'; "
                             "write a list even for one item: [address book]")


def test_bad_id_pattern_in_a_value() -> None:
    found = only(product_errors("id: acme-crm", "id: Acme_CRM"))
    assert (found.line, found.column, found.code) == (1, 5, "bad-value")
    assert found.message.startswith("id: 'Acme_CRM' is not valid:")
    assert "kebab-case" in found.message


def test_bad_id_pattern_in_a_list() -> None:
    found = only(product_errors("opportunity-pipeline]", "Opportunity Pipeline]"))
    assert (found.line, found.column, found.code) == (13, 36, "bad-value")
    assert "'Opportunity Pipeline' is not valid" in found.message


def test_bad_id_pattern_in_a_mapping_key() -> None:
    found = only(product_errors("  starter:\n", "  Starter:\n"))
    assert (found.line, found.column, found.code) == (10, 3, "bad-value")
    assert "'Starter' is not valid" in found.message
    assert "[key]" not in found.message


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("-1", "must be at least 0, got -1"),
        (".nan", "got nan"),
        (".inf", "must be a finite number"),
        ("-.inf", "must be a finite number"),
        ("1e999", "must be a finite number"),
    ],
)
def test_bad_price_amounts(value: str, words: str) -> None:
    found = only(product_errors("per_user_month: 15", f"per_user_month: {value}"))
    assert (found.line, found.column, found.code) == (12, 29, "bad-value")
    assert words in found.message
    assert found.message.startswith("editions.starter.price.per_user_month: ")


def test_nan_price_says_finite() -> None:
    found = only(product_errors("per_user_month: 15", "per_user_month: .nan"))
    assert "finite" in found.message


@pytest.mark.parametrize("price", ["{}", "{billing: annual, max_users: 10}", "{note: ask sales}"])
def test_price_that_charges_nothing(price: str) -> None:
    found = only(product_errors("{per_user_month: 15, billing: annual, max_users: 10}", price))
    assert (found.line, found.column, found.code) == (12, 12, "bad-value")
    assert "a price needs per_user_month, flat_month, contact_tiers or one_time" in found.message
    assert "leave `price` out" in found.message


def test_price_left_empty_means_unknown() -> None:
    doc = parse_text(PRODUCT.replace(PRICE_LINE, "    price:"))
    model, found = validate_model(Product, doc.data, doc)
    assert found == []
    assert model is not None
    assert model.editions["starter"].price is None


@pytest.mark.parametrize(
    ("level", "column", "words"),
    [("0", 75, "must be above 0, got 0"), ("1.5", 75, "must be at most 1, got 1.5"), ("-0.5", 75, "must be above 0")],
)
def test_level_outside_zero_to_one(level: str, column: int, words: str) -> None:
    found = only(product_errors("opportunity-pipeline]", f"{{feature: opportunity-pipeline, level: {level}}}]"))
    assert (found.line, found.column, found.code) == (13, column, "bad-value")
    assert found.message.startswith("editions.starter.features[1].level: ")
    assert words in found.message


def test_level_one_and_a_half_on_its_own_line() -> None:
    found = only(product_errors(
        "features: [contact-management, opportunity-pipeline]",
        "features:\n      - contact-management\n      - {feature: opportunity-pipeline, level: 1.5}",
    ))
    assert (found.line, found.column, found.code) == (15, 48, "bad-value")


@pytest.mark.parametrize("code", ["usd", "US", "DOLLARS", "U$D"])
def test_bad_currency_pattern(code: str) -> None:
    found = only(product_errors("currency: USD", f"currency: {code}"))
    assert (found.line, found.column, found.code) == (8, 11, "bad-value")
    assert "three-letter ISO 4217 code in capitals" in found.message


@pytest.mark.parametrize("as_of", ["2026-13", "September 2026", "202609", "2026-9", "2026-09-32", "26-09"])
def test_bad_as_of(as_of: str) -> None:
    found = only(product_errors("as_of: 2026-09", f"as_of: {as_of}"))
    assert (found.line, found.column, found.code) == (5, 8, "bad-value")
    assert "write the month as YYYY-MM, like 2026-09" in found.message


@pytest.mark.parametrize("as_of", ["2026-09", "2026-09-01", "2026-12-31", "'2026-01'"])
def test_good_as_of(as_of: str) -> None:
    assert product_errors("as_of: 2026-09", f"as_of: {as_of}") == []


def test_literal_with_a_near_miss_suggests_it() -> None:
    found = only(product_errors("deployment: saas", "deployment: sas"))
    assert (found.line, found.column, found.code) == (6, 13, "bad-value")
    assert found.message == "deployment: 'sas' is not one of 'saas', 'self-hosted' or 'both'; did you mean 'saas'?"
    found = only(product_errors("deployment: saas", "deployment: cloud"))
    assert "did you mean" not in found.message


def test_empty_text_and_empty_editions() -> None:
    found = only(product_errors("name: Starter", "name: ''"))
    assert (found.line, found.column, found.code) == (11, 11, "bad-value")
    assert found.message == "editions.starter.name: must not be empty"
    doc = parse_text(PRODUCT.split("editions:", maxsplit=1)[0] + "editions: {}\n")
    _, errors = validate_model(Product, doc.data, doc)
    assert [(d.line, d.column, d.code, d.message) for d in errors] == [
        (9, 11, "bad-value", "editions: must have at least one entry")
    ]


def test_empty_file_and_non_mapping_file() -> None:
    doc = parse_text("# nothing yet\n")
    _, errors = validate_model(Product, doc.data, doc)
    assert [(d.line, d.column, d.code) for d in errors] == [(1, 1, "empty")]
    assert errors[0].message == "the file is empty: expected a mapping of 'key: value' lines"
    doc = parse_text("\n\n- a\n- b\n")
    _, errors = validate_model(Product, doc.data, doc)
    assert where(errors) == [(3, 1, "wrong-type")]
    assert errors[0].message == "the file: expected a mapping of 'key: value' lines, got a list"


STRATEGY_CASES: list[tuple[str, str, Where, str]] = [
    ("horizon_years: 3", "horizon_years: 0", (3, 16, "bad-value"), "horizon_years: must be above 0"),
    ("horizon_years: 3", "horizon_years: 31", (3, 16, "bad-value"), "must be at most 30"),
    ("horizon_years: 3", "horizon_years: '3'", (3, 16, "wrong-type"), "horizon_years: expected a number, got '3'"),
    ("sales: 12", "sales: -1", (4, 16, "bad-value"), "users.sales: must be at least 0"),
    ("sales: 12", "sales: 12.5", (4, 16, "wrong-type"), "users.sales: expected a whole number, got 12.5"),
    ("    weight: 5\n", "    weight: 0\n", (8, 13, "bad-value"),
     "objectives.repeat-business.weight: must be at least 0.001"),
    ("priority: must", "priority: shuold", (14, 15, "bad-value"), "did you mean 'should'?"),
    ("currency: USD", "currency: usd", (2, 11, "bad-value"), "ISO 4217"),
    ("    objective: repeat-business\n", "    objective: Repeat Business\n", (12, 16, "bad-value"), "kebab-case"),
]


@pytest.mark.parametrize(("old", "new", "expected", "words"), STRATEGY_CASES, ids=[c[1].strip() for c in STRATEGY_CASES])
def test_strategy_field_errors(old: str, new: str, expected: Where, words: str) -> None:
    found = strategy_errors(old, new)
    assert where(found) == [expected]
    assert words in found[0].message


def test_errors_in_several_places_are_all_reported() -> None:
    doc = parse_text(PRODUCT.replace("currency: USD", "currency: usd").replace("deployment: saas", "deployment: web"))
    _, errors = validate_model(Product, doc.data, doc)
    assert sorted(where(errors)) == [(6, 13, "bad-value"), (8, 11, "bad-value")]


def test_validate_model_with_a_prefix() -> None:
    doc = parse_text("outer:\n  name: Contact management\n  colour: blue\n")
    _, errors = validate_model(Feature, doc.data["outer"], doc, ("outer",))
    assert where(errors) == [(3, 3, "unknown-key")]
    _, errors = validate_model(Feature, None, doc, ("outer",))
    assert errors[0].message == "outer is empty: expected a mapping of 'key: value' lines"


# -- the models themselves ---------------------------------------------------------------------


def test_numbers_where_ids_and_names_belong_keep_their_text() -> None:
    doc = parse_text(PRODUCT.replace("id: acme-crm", "id: 007").replace("name: Starter", "name: 3.10"))
    model, errors = validate_model(Product, doc.data, doc)
    assert errors == []
    assert model is not None
    assert model.id == "007"
    assert model.editions["starter"].name == "3.10"
    doc = parse_text("features:\n  '1':\n    name: 3.10\n    aliases: [2.50, 1e3, yes]\n")
    features, errors = validate_model(FeaturesFile, doc.data, doc)
    assert errors == []
    assert features is not None
    assert features.features["1"].name == "3.10"
    assert features.features["1"].aliases == ("2.50", "1e3", "yes")


def test_a_bare_feature_id_is_a_full_feature_ref() -> None:
    edition = Edition.model_validate({"name": "Pro", "features": ["crm", {"feature": "bi", "level": 0.5, "note": "basic"}]})
    assert edition.features == (FeatureRef(feature="crm"), FeatureRef(feature="bi", level=0.5, note="basic"))
    assert edition.features[0].level == 1.0


def test_strict_numbers_refuse_text_and_booleans() -> None:
    with pytest.raises(pydantic.ValidationError, match="Input should be a valid number"):
        Price.model_validate({"per_user_month": "12"})
    with pytest.raises(pydantic.ValidationError, match="Input should be a valid number"):
        Price.model_validate({"per_user_month": True})
    assert Price.model_validate({"flat_month": 300, "included_users": 10}).flat_month == 300


def test_models_are_frozen() -> None:
    feature = Feature(name="Contact management")
    with pytest.raises(pydantic.ValidationError, match="Instance is frozen"):
        feature.name = "Other"  # type: ignore[misc]


def test_defaults() -> None:
    feature = Feature(name="Mobile app")
    assert (feature.category, feature.aliases, feature.description) == ("core", (), None)
    requirement = Requirement(id="r", text="t")
    assert (requirement.priority, requirement.features, requirement.weight) == ("should", None, None)
    assert RequirementsFile.model_validate({"requirements": []}).requirements == ()


def make_strategy(requirements: list[dict[str, object]]) -> Strategy:
    return Strategy.model_validate({
        "organisation": "Northwind",
        "currency": "USD",
        "horizon_years": 2.5,
        "users": {"sales": 12, "service": 6, "marketing": 2, "accounts": 2},
        "objectives": {"grow": {"statement": "Grow", "weight": 5}, "plain": {"statement": "Plain"}},
        "requirements": requirements,
    })


def test_total_users_and_months() -> None:
    strategy = make_strategy([])
    assert strategy.total_users == 22
    assert strategy.months == 30.0


@pytest.mark.parametrize(
    ("requirement", "weight"),
    [
        ({"priority": "must", "objective": "grow"}, 15.0),
        ({"priority": "should", "objective": "grow"}, 10.0),
        ({"priority": "could", "objective": "grow"}, 5.0),
        ({"priority": "wont", "objective": "grow"}, 0.0),
        ({"priority": "should", "objective": "plain"}, 2.0),
        ({"priority": "must", "objective": "grow", "weight": 4}, 4.0),
        ({"priority": "wont", "objective": "grow", "weight": 4}, 0.0),
        ({"priority": "could"}, 1.0),
        ({"priority": "must", "objective": "unknown"}, 3.0),
    ],
)
def test_requirement_weight(requirement: dict[str, object], weight: float) -> None:
    strategy = make_strategy([{"id": "r", "text": "t", **requirement}])
    assert requirement_weight(strategy.requirements[0], strategy) == weight


def test_objective_weight_defaults_to_one() -> None:
    assert Objective(statement="Grow").weight == 1.0


def test_did_you_mean() -> None:
    assert did_you_mean("licence", ["license", "url"]) == "; did you mean 'license'?"
    assert did_you_mean("zzz", ["license", "url"]) == ""
    assert did_you_mean("x", []) == ""


@pytest.mark.parametrize(
    ("value", "ok"),
    [("acme-crm", True), ("007", True), ("a", True), ("Acme", False), ("a--b", False), ("-a", False), ("a-", False),
     ("a_b", False), ("", False), ("3.10", False)],
)
def test_is_kebab_id(value: str, ok: bool) -> None:
    assert is_kebab_id(value) is ok
