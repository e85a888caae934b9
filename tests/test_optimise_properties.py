"""The optimiser against brute force on random catalogues, and its monotonicity properties."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from randomcatalog import brute_force, catalogues, strategies_, unknown_in_edition

from vendormatch.files.catalog import Catalog
from vendormatch.files.models import FeatureRef, StanceRef, Strategy, stance_feature
from vendormatch.solve.shortlist import pinned_decisions, scored_requirements, shortlist

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _best(catalog: Catalog, strategy: Strategy, budget: float | None = None) -> dict[str, tuple[str, tuple[str, ...]]]:
    result = shortlist(strategy, catalog, budget=budget)
    return {r.product: (r.edition, r.add_ons) for r in result.rankings}


def _scores(catalog: Catalog, strategy: Strategy, budget: float | None = None) -> dict[str, float]:
    """What the optimiser maximises for each product, on one scale: a verified product's score lies in
    [1, 2], an if-confirmed one's "up to" score (what its bundle was chosen by) in [0, 1], excluded -1."""
    result = shortlist(strategy, catalog, budget=budget)
    scores = {
        r.product: 1.0 + r.score if r.band == "verified" else (r.score_up_to or 0.0) for r in result.rankings
    }
    return {p: scores.get(p, -1.0) for p in catalog.products}


@SETTINGS
@given(catalog=catalogues(), strategy=strategies_())
def test_optimiser_equals_brute_force(catalog: Catalog, strategy: Strategy) -> None:
    requirements, _ = scored_requirements(strategy, pinned_decisions(strategy))
    result = shortlist(strategy, catalog)
    chosen = {r.product: r for r in result.rankings}
    for product_id, product in catalog.products.items():
        expected = brute_force(product, strategy, requirements, strategy.budget)
        if expected is None:
            assert product_id not in chosen, f"{product_id} should be excluded"
            assert product_id in {e.product for e in result.excluded}
            continue
        got = chosen.get(product_id)
        assert got is not None, f"{product_id} should qualify with {expected}"
        assert (got.edition, got.add_ons, got.band) == (expected.edition, expected.add_ons, expected.band)
        assert abs(got.score - expected.score) < 1e-6  # reported scores are rounded to 6 places
        if got.band == "if-confirmed":  # chosen as if the vendor confirmed: the "up to" score is what it maximises
            assert got.score_up_to is not None and abs(got.score_up_to - expected.score_up_to) < 1e-6
        # Reported to the cent, float noise cleared first (scoring.money): a half cent rounds one way only.
        assert abs(got.cost_known - round(round(expected.cost_known, 6), 2)) < 1e-6


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog=catalogues(), strategy=strategies_(), low=st.integers(0, 20000), extra=st.integers(1, 30000))
def test_more_budget_never_lowers_a_score(catalog: Catalog, strategy: Strategy, low: int, extra: int) -> None:
    before = _scores(catalog, strategy, budget=low)
    after = _scores(catalog, strategy, budget=low + extra)
    for product_id in catalog.products:
        assert after[product_id] >= before[product_id] - 1e-9


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog=catalogues(), strategy=strategies_(), data=st.data())
def test_adding_a_feature_never_lowers_a_score(catalog: Catalog, strategy: Strategy, data: st.DataObject) -> None:
    product_id = data.draw(st.sampled_from(sorted(catalog.products)))
    product = catalog.products[product_id]
    edition_id = data.draw(st.sampled_from(sorted(product.editions)))
    feature = data.draw(st.sampled_from(sorted(catalog.features)))
    # Listing a feature in one edition also says that editions not reaching it lack it; editions where it
    # was unknown keep it unknown, so that only the one fact changes.
    was_unknown = {e for e in product.editions if feature in unknown_in_edition(product, e)}
    editions = {
        e: ed.model_copy(update={"unknown": (*ed.unknown, StanceRef(feature=feature))}) if e in was_unknown else ed
        for e, ed in product.editions.items()
    }
    edition = editions[edition_id]
    richer_edition = edition.model_copy(update={"features": (*edition.features, FeatureRef(feature=feature))})
    richer = product.model_copy(update={"editions": {**editions, edition_id: richer_edition},
                                        "lacks": tuple(r for r in product.lacks if stance_feature(r) != feature)})
    richer_catalog = Catalog(root="random", features=catalog.features, products={**catalog.products, product_id: richer})
    assert _scores(richer_catalog, strategy)[product_id] >= _scores(catalog, strategy)[product_id] - 1e-9


def test_partial_levels_take_the_best_source_not_the_sum() -> None:
    from randomcatalog import _load, features_file

    from vendormatch.files.models import Product

    product = _load(Product, {
        "id": "half", "vendor": "V", "product": "Half", "url": "https://example.com", "as_of": "2026-09",
        "deployment": "saas", "license": "x", "currency": "USD",
        "editions": {"basic": {"name": "Basic", "price": {"per_user_month": 10},
                               "features": [{"feature": "f-a", "level": 0.5}]}},
        "add_ons": {"extra": {"name": "Extra", "price": {"per_user_month": 1},
                              "features": [{"feature": "f-a", "level": 0.5}]}},
    }, "half.yaml")
    strategy = _load(Strategy, {
        "organisation": "T", "currency": "USD", "horizon_years": 1, "users": {"sales": 2},
        "objectives": {"goal": {"statement": "s"}},
        "requirements": [{"id": "r", "text": "t", "objective": "goal", "department": "sales", "features": ["f-a"]}],
    }, "s.yaml")
    catalog = Catalog(root="t", features=features_file().features, products={"half": product})
    result = shortlist(strategy, catalog)
    assert result.rankings[0].score == 0.5
    assert result.rankings[0].add_ons == ()  # the add-on adds nothing: 0.5 and 0.5 make 0.5


def test_a_model_that_highs_presolve_calls_infeasible_is_still_solved() -> None:
    """Regression: HiGHS 1.16's presolve declared this (feasible) second stage infeasible."""
    from randomcatalog import _load, features_file

    from vendormatch.files.models import Product

    product = _load(Product, {
        "id": "p0", "vendor": "V", "product": "p0", "url": "https://example.com", "as_of": "2026-09",
        "deployment": "saas", "license": "x", "currency": "USD",
        "editions": {"e0": {"name": "E0"}, "e1": {"name": "E1"}, "e2": {"name": "E2"},
                     "e3": {"name": "E3", "features": ["f-a", "f-b", {"feature": "f-c", "level": 0.5}]}},
        "add_ons": {"a0": {"name": "A0", "features": [{"feature": "f-a", "level": 0.5},
                                                       {"feature": "f-b", "level": 0.5}, "f-c"]}},
    }, "p0.yaml")
    strategy = _load(Strategy, {
        "organisation": "T", "currency": "USD", "horizon_years": 1, "users": {"sales": 1},
        "objectives": {"goal": {"statement": "g"}}, "min_department_coverage": 0.25,
        "requirements": [
            {"id": "r0", "text": "t", "objective": "goal", "department": "sales", "features": ["f-a"]},
            {"id": "r1", "text": "t", "objective": "goal", "department": "sales", "features": ["f-b"]},
            {"id": "r2", "text": "t", "objective": "goal", "department": "sales", "features": ["f-a", "f-b"]},
            {"id": "r3", "text": "t", "objective": "goal", "department": "sales", "priority": "could",
             "features": ["f-c"]},
        ],
    }, "s.yaml")
    catalog = Catalog(root="t", features=features_file().features, products={"p0": product})
    for solver in ("highs", "cbc"):
        ranking = shortlist(strategy, catalog, solver=solver).rankings[0]
        assert (ranking.edition, ranking.add_ons, ranking.score) == ("e3", ("a0",), 1.0)
