"""What editions and add-ons offer and cost, checked by hand against DESIGN.md's acme example.

The DESIGN strategy has N = 12 + 6 + 2 + 2 = 22 users over horizon_years 3, so M = 36 months.
"""

from __future__ import annotations

import pytest
from conftest import DESIGN_STRATEGY

from vendormatch.files.catalog import Catalog
from vendormatch.files.models import Price, Product, Strategy
from vendormatch.files.offers import (
    Charge,
    add_on_allowed,
    add_on_charge,
    add_on_levels,
    describe_price,
    edition_charge,
    edition_levels,
    seats_allowed,
)
from vendormatch.files.strategy import load_strategy


@pytest.fixture(scope="module")
def acme(design_catalog: Catalog) -> Product:
    return design_catalog.products["acme-crm"]


@pytest.fixture(scope="module")
def northwind(design_catalog: Catalog) -> Strategy:
    return load_strategy(DESIGN_STRATEGY, design_catalog)


def test_the_design_strategy_is_22_users_over_36_months(northwind: Strategy) -> None:
    assert northwind.total_users == 22
    assert northwind.months == 36


def test_starter_is_unavailable_above_max_users(acme: Product, northwind: Strategy) -> None:
    price = acme.editions["starter"].price
    assert edition_charge(price, northwind.total_users) is None
    assert not seats_allowed(price, 22)
    # At its cap it is available: 15 x 10 a month.
    assert edition_charge(price, 10) == Charge(150.0, 0.0)


def test_professional_per_user_plus_one_time(acme: Product, northwind: Strategy) -> None:
    charge = edition_charge(acme.editions["professional"].price, northwind.total_users)
    assert charge == Charge(49 * 22, 1500)
    assert charge.total(northwind.months) == 36 * 49 * 22 + 1500 == 40_308


def test_professional_bills_at_least_min_users(acme: Product) -> None:
    # 2 users are billed as min_users = 3.
    assert edition_charge(acme.editions["professional"].price, 2) == Charge(49 * 3, 1500)


def test_team_flat_plus_users_beyond_the_included(acme: Product, northwind: Strategy) -> None:
    charge = edition_charge(acme.editions["team"].price, northwind.total_users)
    assert charge == Charge(300 + 20 * (22 - 10), 0)
    assert charge.total(northwind.months) == 36 * (300 + 20 * (22 - 10)) == 19_440


def test_team_below_its_included_users_costs_the_flat_fee(acme: Product) -> None:
    # max(N, min_users) - included_users is never below 0.
    assert edition_charge(acme.editions["team"].price, 5) == Charge(300, 0)


def test_voice_add_on_per_user(acme: Product, northwind: Strategy) -> None:
    charge = add_on_charge(acme.add_ons["voice"].price, northwind.total_users)
    assert charge == Charge(12 * 22, 0)
    assert charge.total(northwind.months) == 36 * 12 * 22 == 9_504


def test_onboarding_add_on_is_one_time(acme: Product, northwind: Strategy) -> None:
    charge = add_on_charge(acme.add_ons["onboarding"].price, northwind.total_users)
    assert charge == Charge(0, 2000)
    assert charge.total(northwind.months) == 2000


def test_a_whole_bundle_within_the_design_budget(acme: Product, northwind: Strategy) -> None:
    n, m = northwind.total_users, northwind.months
    parts = [
        edition_charge(acme.editions["professional"].price, n),
        add_on_charge(acme.add_ons["voice"].price, n),
        add_on_charge(acme.add_ons["onboarding"].price, n),
    ]
    total = sum(c.total(m) for c in parts if c is not None)
    assert total == 40_308 + 9_504 + 2_000 == 51_812
    assert northwind.budget == 60_000
    assert total <= northwind.budget


def test_flat_plan_without_per_user_price_is_capped_by_included_users() -> None:
    price = Price(flat_month=49, included_users=5)
    assert edition_charge(price, 5) == Charge(49, 0)
    assert edition_charge(price, 6) is None
    assert add_on_charge(price, 6) is None


def test_add_on_charges_every_user_and_its_flat_fee() -> None:
    price = Price(flat_month=100, per_user_month=3, one_time=50)
    assert add_on_charge(price, 22) == Charge(100 + 3 * 22, 50)


def test_unknown_price_is_none_never_zero() -> None:
    assert edition_charge(None, 22) is None
    assert add_on_charge(None, 22) is None
    assert seats_allowed(None, 10_000)
    assert describe_price(None, "USD") == "price unknown"


def test_free_plan_costs_zero() -> None:
    assert edition_charge(Price(per_user_month=0), 22) == Charge(0, 0)


def test_edition_levels_follow_includes(acme: Product) -> None:
    assert edition_levels(acme, "starter") == {"contact-management": 1.0, "opportunity-pipeline": 1.0, "mobile-app": 1.0}
    assert edition_levels(acme, "professional") == {
        "contact-management": 1.0,
        "opportunity-pipeline": 1.0,
        "mobile-app": 1.0,
        "workflow-automation": 1.0,
        "reports-dashboards": 0.5,
    }
    assert edition_levels(acme, "team") == {"contact-management": 1.0, "opportunity-pipeline": 1.0}
    assert edition_levels(acme, "no-such-edition") == {}


def test_add_on_levels_and_compatibility(acme: Product) -> None:
    voice, onboarding = acme.add_ons["voice"], acme.add_ons["onboarding"]
    assert add_on_levels(voice) == {"telephony-call-logging": 1.0}
    assert add_on_levels(onboarding) == {"training-support": 1.0}
    assert add_on_allowed(voice, "professional")
    assert not add_on_allowed(voice, "team")
    assert not add_on_allowed(voice, "starter")
    assert all(add_on_allowed(onboarding, e) for e in acme.editions)


def _product(editions: dict[str, object]) -> Product:
    return Product.model_validate({
        "id": "p", "vendor": "V", "product": "P", "url": "u", "as_of": "2026-09", "deployment": "saas",
        "license": "l", "currency": "USD", "editions": editions,
    })


def test_levels_take_the_best_source_not_the_sum() -> None:
    product = _product({
        "base": {"name": "Base", "features": [{"feature": "bi", "level": 0.5}, "crm"]},
        "plus": {"name": "Plus", "includes": "base", "features": [{"feature": "bi", "level": 0.7}]},
        "top": {"name": "Top", "includes": "plus", "features": [{"feature": "bi", "level": 0.25}]},
    })
    assert edition_levels(product, "plus") == {"bi": 0.7, "crm": 1.0}
    assert edition_levels(product, "top") == {"bi": 0.7, "crm": 1.0}


def test_edition_levels_stop_on_an_includes_cycle() -> None:
    # The catalogue rules reject such a cycle; the offer functions must still terminate on it.
    product = _product({
        "a": {"name": "A", "includes": "b", "features": ["x"]},
        "b": {"name": "B", "includes": "a", "features": ["y"]},
    })
    assert edition_levels(product, "a") == {"x": 1.0, "y": 1.0}


@pytest.mark.parametrize(
    ("edition", "text"),
    [
        ("starter", "USD 15/user/mo, max 10 users"),
        ("professional", "USD 49/user/mo, min 3 users, + 1,500 once"),
        ("team", "USD 300/mo for 10 users, + 20/user/mo extra"),
    ],
)
def test_describe_edition_prices(acme: Product, edition: str, text: str) -> None:
    assert describe_price(acme.editions[edition].price, acme.currency) == text


def test_describe_add_on_prices(acme: Product) -> None:
    assert describe_price(acme.add_ons["voice"].price, "USD") == "USD 12/user/mo"
    assert describe_price(acme.add_ons["onboarding"].price, "USD") == "USD 2,000 once"
    assert describe_price(Price(per_user_month=9.99), "EUR") == "EUR 9.99/user/mo"
