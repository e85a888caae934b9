"""Prices as vendors publish them: seat buckets, light seats, contact tiers, platform fees, minimum terms,
yearly increases and users that grow, each worked by hand once and then checked against the oracle's
month-by-month reading of the README on random prices and demands."""

from __future__ import annotations

from typing import Any

import oracle
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from randomcatalog import prices

from vendormatch.files.demand import strategy_demand
from vendormatch.files.loader import parse_yaml
from vendormatch.files.models import Price, Strategy
from vendormatch.files.offers import Demand, add_on_charge, edition_charge
from vendormatch.files.schema_errors import validate_model


def _load(model: Any, data: dict[str, Any]) -> Any:
    doc = parse_yaml(yaml.safe_dump(data, sort_keys=False).encode(), "x.yaml")
    value, errors = validate_model(model, doc.data, doc)
    assert value is not None, errors
    return value


def _price(**fields: Any) -> Price:
    price: Price = _load(Price, fields)
    return price


def _strategy(**fields: Any) -> Strategy:
    data = {"organisation": "T", "currency": "USD", "horizon_years": 3,
            "objectives": {"goal": {"statement": "grow"}}, **fields}
    strategy: Strategy = _load(Strategy, data)
    return strategy


def _total(price: Price, strategy: Strategy, *, edition: bool = True) -> float | None:
    charge = (edition_charge if edition else add_on_charge)(price, strategy_demand(strategy))
    return None if charge is None else charge.total(strategy.months)


def test_users_that_grow_are_billed_year_by_year() -> None:
    strategy = _strategy(users={"sales": [10, 12, 15], "service": 4})
    # 14, 16 and 19 seats at 20 a month, 12 months each.
    assert _total(_price(per_user_month=20), strategy) == 12 * 20 * (14 + 16 + 19)


def test_seat_buckets_round_each_year_up() -> None:
    strategy = _strategy(users={"sales": [4, 6, 11]})
    # 4 -> 5, 6 -> 10, 11 -> 15 seats.
    assert _total(_price(per_user_month=10, seat_buckets=[3, 5, 10, 15]), strategy) == 12 * 10 * (5 + 10 + 15)
    assert _total(_price(per_user_month=10, seat_buckets=[3, 5, 10]), strategy) is None  # 11 fits no bucket


def test_light_users_pay_the_light_price_where_one_is_sold() -> None:
    strategy = _strategy(users={"sales": 10, "service": 6}, light_users={"service": 4})
    assert _total(_price(per_user_month=50, light_user_month=5), strategy) == 36 * (12 * 50 + 4 * 5)
    assert _total(_price(per_user_month=50), strategy) == 36 * 16 * 50  # no light seat: everyone is full


def test_a_platform_fee_with_seats_and_required_onboarding() -> None:
    strategy = _strategy(users={"sales": 8})
    price = _price(flat_month=800, included_users=3, per_user_month=45, one_time=3000)
    assert _total(price, strategy) == 36 * (800 + 5 * 45) + 3000


def test_contact_tiers_take_the_first_tier_that_holds_the_contacts() -> None:
    tiers = [{"up_to": 1000, "month": 20}, {"up_to": 2500, "month": 45}, {"up_to": 5000, "month": 90}]
    strategy = _strategy(users={"marketing": 2}, contacts=[800, 2500, 4000])
    assert _total(_price(contact_tiers=tiers), strategy) == 12 * (20 + 45 + 90)


def test_contacts_past_the_published_tiers_or_not_stated_leave_the_price_unknown() -> None:
    tiers = [{"up_to": 1000, "month": 20}]
    assert _total(_price(contact_tiers=tiers), _strategy(users={"marketing": 2}, contacts=[800, 1200])) is None
    assert _total(_price(contact_tiers=tiers), _strategy(users={"marketing": 2})) is None


def test_a_minimum_term_longer_than_the_horizon_is_paid_in_full() -> None:
    strategy = _strategy(users={"sales": 5}, horizon_years=1)
    assert _total(_price(per_user_month=10, min_term_months=36), strategy) == 36 * 50


def test_an_annual_increase_compounds_from_the_second_year() -> None:
    strategy = _strategy(users={"sales": 10}, horizon_years=2.5)
    total = _total(_price(per_user_month=10, annual_increase=0.05), strategy)
    assert total == pytest.approx(100 * (12 + 12 * 1.05 + 6 * 1.05**2))


def test_add_ons_charge_every_user_and_ignore_minimums() -> None:
    strategy = _strategy(users={"sales": 2})
    assert _total(_price(per_user_month=10, min_users=5), strategy, edition=False) == 36 * 20


def test_departments_that_use_no_crm_are_not_licensed() -> None:
    strategy = _strategy(users={"sales": 10, "finance": 3}, uses={"finance": "none"})
    assert strategy_demand(strategy).full == (10,)
    assert strategy_demand(strategy, ["finance"]).full == (3,)


@st.composite
def demands(draw: st.DrawFn) -> tuple[Demand, oracle.Need]:
    years = draw(st.integers(1, 4))
    users = draw(st.lists(st.integers(0, 40), min_size=1, max_size=years))
    light = [draw(st.integers(0, n)) for n in users]
    contacts = draw(st.one_of(st.none(), st.lists(st.integers(0, 12000), min_size=1, max_size=years)))
    months = draw(st.sampled_from([1.0, 6.0, 12.0, 13.5, 24.0, 30.0, 36.0, 48.0]))
    demand = Demand(tuple(u - lt for u, lt in zip(users, light, strict=True)), tuple(light),
                    None if contacts is None else tuple(contacts), months)
    return demand, oracle.Need(tuple(users), tuple(light), None if contacts is None else tuple(contacts), months)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), edition=st.booleans(), pair=demands())
def test_every_price_model_equals_the_month_by_month_reading(data: st.DataObject, edition: bool,
                                                            pair: tuple[Demand, oracle.Need]) -> None:
    drawn = data.draw(prices(edition=edition))
    if drawn is None:
        return
    price = _price(**drawn)
    demand, need = pair
    charge = (edition_charge if edition else add_on_charge)(price, demand)
    if not oracle.contacts_priced(price, need) or not oracle.seats_everyone(price, need):
        assert charge is None
        return
    assert charge is not None
    assert charge.total(demand.months or 0.0) == pytest.approx(oracle.item_cost(price, need, edition=edition), rel=1e-9)
