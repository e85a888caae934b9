"""The frontier against brute force on random catalogues, and on a hand-worked case."""

from __future__ import annotations

from pathlib import Path

import oracle
from hypothesis import HealthCheck, given, settings
from randomcatalog import catalogues, strategies_

from vendormatch.analysis.frontier import frontier
from vendormatch.files.catalog import Catalog, load_catalog
from vendormatch.files.models import Strategy
from vendormatch.files.strategy import load_strategy
from vendormatch.solve.shortlist import pinned_decisions, scored_requirements

Point = tuple[str, str, tuple[str, ...], float, float]


def brute_force_frontier(catalog: Catalog, strategy: Strategy) -> list[Point]:
    """Every bundle of every product with a known cost that meets the must-haves and floor, filtered by hand."""
    requirements, _ = scored_requirements(strategy, pinned_decisions(strategy))
    floor = strategy.min_department_coverage
    rate = {"USD": 1.0, **strategy.exchange_rates}
    bundles: list[Point] = []
    for product in catalog.products.values():
        for bundle in oracle.bundles(product, oracle.need_of(strategy), strategy.months, rate[product.currency],
                                     strategy.currency,
                                 extra=oracle.extras(product, strategy)):
            if bundle.total is None:
                continue
            levels = {r.id: oracle.requirement_level(r.features, bundle.levels) for r in requirements}
            if any(r.must and levels[r.id] < 1 for r in requirements):
                continue
            if floor and any(v < floor - 1e-9 for v in oracle.by_department(levels, requirements).values()):
                continue
            # To the cent as reported: noise cleared first, so half a cent rounds the same whatever the order
            # of the sum.
            bundles.append((product.id, bundle.edition, bundle.add_ons, round(round(bundle.total, 6), 2),
                            round(oracle.weighted(levels, requirements), 6)))
    efficient = [
        b for b in bundles
        if not any((o[3] <= b[3] and o[4] > b[4]) or (o[3] < b[3] and o[4] >= b[4]) for o in bundles)
    ]
    best: dict[tuple[float, float], Point] = {}
    for b in sorted(efficient, key=lambda b: (b[0], b[1], len(b[2]), b[2])):
        best.setdefault((b[3], b[4]), b)
    return sorted(best.values(), key=lambda b: b[3])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog=catalogues(), strategy=strategies_())
def test_frontier_equals_brute_force(catalog: Catalog, strategy: Strategy) -> None:
    got = [(p.product, p.edition, p.add_ons, p.cost_total, p.score) for p in frontier(strategy, catalog).points]
    assert got == brute_force_frontier(catalog, strategy)


def test_frontier_finds_a_point_off_the_convex_hull(tmp_path: Path) -> None:
    # Costs 0, 99.99 and 100 with scores 0.5, 0.6 and 1.0: the middle point lies below the line joining
    # the others, so a weighted sum of score and cost never picks it; epsilon-constraint does, even a
    # cent below the next point.
    (tmp_path / "catalog" / "vendors").mkdir(parents=True)
    (tmp_path / "catalog" / "features.yaml").write_text(
        "features:\n  a: {name: Alpha}\n  b: {name: Beta}\n  c: {name: Gamma}\n")
    (tmp_path / "catalog" / "vendors" / "p.yaml").write_text(
        "id: p\nvendor: V\nproduct: P\nurl: https://example.com\nas_of: 2026-09\ndeployment: saas\n"
        "license: x\ncurrency: USD\neditions:\n"
        "  free:\n    name: Free\n    price: {per_user_month: 0}\n    features: [a]\n"
        "  mid:\n    name: Mid\n    price: {one_time: 99.99}\n    features: [a, {feature: b, level: 0.2}]\n"
        "  top:\n    name: Top\n    price: {one_time: 100}\n    features: [a, b]\n")
    (tmp_path / "s.yaml").write_text(
        "organisation: T\ncurrency: USD\nhorizon_years: 1\nbudget: 60\nusers: {sales: 1}\n"
        "objectives: {g: {statement: s}}\nrequirements:\n"
        "  - {id: ra, text: t, objective: g, department: sales, features: [a]}\n"
        "  - {id: rb, text: t, objective: g, department: sales, features: [b]}\n")
    catalog = load_catalog(tmp_path / "catalog")
    result = frontier(load_strategy(tmp_path / "s.yaml", catalog), catalog)
    assert [(p.edition, p.cost_total, p.score, p.within_budget) for p in result.points] == [
        ("free", 0.0, 0.5, True), ("mid", 99.99, 0.6, False), ("top", 100.0, 1.0, False),
    ]


def test_the_frontier_is_exact_at_large_costs(tmp_path: Path) -> None:
    # 1,000 users over 10 years: the editions cost 120, 240, 240.012 and 360 million. Each epsilon step
    # must clear the solver's tolerance at these costs (relative to the cost, not a fixed amount), and
    # stay below 0.005% of the cost, or "two" (0.005% cheaper than "two-plus") falls off the frontier.
    (tmp_path / "catalog" / "vendors").mkdir(parents=True)
    (tmp_path / "catalog" / "features.yaml").write_text(
        "features:\n  a: {name: Alpha}\n  b: {name: Beta}\n  c: {name: Gamma}\n")
    (tmp_path / "catalog" / "vendors" / "p.yaml").write_text(
        "id: p\nvendor: V\nproduct: P\nurl: https://example.com\nas_of: 2026-09\ndeployment: saas\n"
        "license: x\ncurrency: USD\neditions:\n"
        "  one:\n    name: One\n    price: {per_user_month: 1000}\n    features: [a]\n"
        "  two:\n    name: Two\n    price: {per_user_month: 2000}\n    features: [a, b]\n"
        "  two-plus:\n    name: Two plus\n    price: {per_user_month: 2000.1}\n"
        "    features: [a, b, {feature: c, level: 0.5, note: some}]\n"
        "  three:\n    name: Three\n    price: {per_user_month: 3000}\n    features: [a, b, c]\n")
    (tmp_path / "s.yaml").write_text(
        "organisation: T\ncurrency: USD\nhorizon_years: 10\nusers: {sales: 1000}\n"
        "objectives: {g: {statement: s, kpi: k}}\nrequirements:\n"
        "  - {id: ra, text: t, objective: g, department: sales, features: [a]}\n"
        "  - {id: rb, text: t, objective: g, department: sales, features: [b]}\n"
        "  - {id: rc, text: t, objective: g, department: sales, features: [c]}\n")
    catalog = load_catalog(tmp_path / "catalog")
    strategy = load_strategy(tmp_path / "s.yaml", catalog)
    result = frontier(strategy, catalog, pinned_decisions(strategy))
    assert [(p.edition, p.cost_total, p.score) for p in result.points] == [
        ("one", 120_000_000.0, round(1 / 3, 6)), ("two", 240_000_000.0, round(2 / 3, 6)),
        ("two-plus", 240_012_000.0, round(2.5 / 3, 6)), ("three", 360_000_000.0, 1.0)]
