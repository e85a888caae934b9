"""Stacks of two products against brute force on random catalogues, and a hand-worked stack."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

import oracle
from conftest import write_tree
from hypothesis import HealthCheck, given, settings
from randomcatalog import catalogues, strategies_

from vendormatch.files.catalog import Catalog, load_catalog
from vendormatch.files.models import Product, Strategy
from vendormatch.files.strategy import load_strategy
from vendormatch.solve.blocks import group_requirements
from vendormatch.solve.optimise import solve_units
from vendormatch.solve.scoring import (
    ScoredRequirement,
)
from vendormatch.solve.shortlist import pinned_decisions, scored_requirements, shortlist
from vendormatch.solve.stacks import stack_units

LINK = "f-e"  # the random catalogues' stand-in for api-access


def _bundles(product: Product, strategy: Strategy) -> list[oracle.Bundle]:
    rate = {"USD": 1.0, **strategy.exchange_rates}[product.currency]
    return list(oracle.bundles(product, oracle.need_of(strategy), strategy.months, rate, strategy.currency,
                                 extra=oracle.extras(product, strategy)))


def brute_force_pair(first: Product, second: Product, strategy: Strategy,
                     requirements: list[ScoredRequirement]) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """The best pair of bundles by the documented order, with both giving the link feature in full."""
    best: tuple[Any, ...] | None = None
    choice = None
    for a in _bundles(first, strategy):
        if a.levels.get(LINK, 0) < 1:
            continue
        for b in _bundles(second, strategy):
            if b.levels.get(LINK, 0) < 1:
                continue
            levels = {r.id: max(oracle.requirement_level(r.features, a.levels),
                                oracle.requirement_level(r.features, b.levels)) for r in requirements}
            if any(r.must and levels[r.id] < 1 for r in requirements):
                continue
            cost = a.known + b.known
            if strategy.budget is not None and cost > strategy.budget + 1e-6:
                continue
            floor = strategy.min_department_coverage
            if floor and any(v < floor - 1e-9 for v in oracle.by_department(levels, requirements).values()):
                continue
            unknown = len(a.unknown) + len(b.unknown)
            key = (-round(oracle.weighted(levels, requirements), 9), unknown, round(cost, 6),
                   a.edition, len(a.add_ons), a.add_ons, b.edition, len(b.add_ons), b.add_ons)
            if best is None or key < best:
                best, choice = key, ((a.edition, a.add_ons), (b.edition, b.add_ons))
    return choice


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog=catalogues(), strategy=strategies_())
def test_stack_choice_equals_brute_force(catalog: Catalog, strategy: Strategy) -> None:
    requirements, _ = scored_requirements(strategy, pinned_decisions(strategy))
    groups = group_requirements(requirements)
    units = stack_units(catalog.products, strategy, groups, start=date(2026, 1, 1), integration_feature=LINK)
    results = solve_units(units, groups, budget=strategy.budget, floor=strategy.min_department_coverage)
    modelled = {unit.id: result for unit, result in zip(units, results, strict=True)}
    for first, second in itertools.combinations(sorted(catalog.products), 2):
        expected = brute_force_pair(catalog.products[first], catalog.products[second], strategy, requirements)
        got = modelled.get(f"{first}+{second}")
        if expected is None:
            assert got is None
            continue
        assert got is not None, f"{first}+{second} should qualify as {expected}"
        assert tuple((c.edition, c.add_ons) for c in got) == expected, (first, second, got, expected)


def test_a_crm_and_a_help_desk_together_beat_either_alone(tmp_path: Path) -> None:
    head = ("vendor: V\nproduct: P\nurl: https://example.com\nas_of: 2026-09\ndeployment: saas\nlicense: x\n"
            "currency: USD\n")
    write_tree(tmp_path, {
        "catalog/features.yaml": "features:\n  pipeline: {name: Pipeline}\n  tickets: {name: Tickets}\n"
                                 "  api-access: {name: API access}\n",
        "catalog/vendors/crm.yaml": "id: crm\n" + head + "editions:\n  pro:\n    name: Pro\n"
                                    "    price: {per_user_month: 10}\n    features: [pipeline, api-access]\n",
        "catalog/vendors/desk.yaml": "id: desk\n" + head + "editions:\n  std:\n    name: Std\n"
                                     "    price: {per_user_month: 5}\n    features: [tickets, api-access]\n"
                                     "lacks: [pipeline]\n",
        "catalog/vendors/island.yaml": "id: island\n" + head + "editions:\n  one:\n    name: One\n"
                                       "    price: {per_user_month: 1}\n    features: [tickets]\n"
                                       "lacks: [pipeline, api-access]\n",
        "s.yaml": "organisation: T\ncurrency: USD\nhorizon_years: 1\nusers: {sales: 2, service: 2}\n"
                  "objectives: {g: {statement: s}}\nrequirements:\n"
                  "  - {id: deals, text: t, objective: g, department: sales, priority: must, features: [pipeline]}\n"
                  "  - {id: cases, text: t, objective: g, department: service, features: [tickets]}\n",
    })
    catalog = load_catalog(tmp_path / "catalog")
    strategy = load_strategy(tmp_path / "s.yaml", catalog)
    result = shortlist(strategy, catalog, stack=2)
    ranked = [(r.product, r.score, r.cost_total) for r in result.rankings]
    # crm alone misses the tickets (score 6/10); crm+desk has both for 4 x (10 + 5) x 12 = 720.
    # island cannot integrate (no API, not listed), and desk never meets the must-have alone.
    assert ranked == [("crm+desk", 1.0, 720.0), ("crm", 0.6, 480.0)]
    stack = result.rankings[0]
    assert [(m.product, m.edition, m.cost_total) for m in stack.members] == [("crm", "pro", 480.0), ("desk", "std", 240.0)]
    assert {r.id: r.features[0].provided_by for r in stack.requirements} == {"deals": "crm:pro", "cases": "desk:std"}
    # Listing the island as an integration partner makes it a (cheaper) stack of its own.
    (tmp_path / "catalog" / "vendors" / "island.yaml").write_text(
        (tmp_path / "catalog" / "vendors" / "island.yaml").read_text() + "integrates_with: [crm]\n")
    catalog = load_catalog(tmp_path / "catalog")
    result = shortlist(load_strategy(tmp_path / "s.yaml", catalog), catalog, stack=2)
    assert [(r.product, r.cost_total) for r in result.rankings][:2] == [("crm+island", 528.0), ("crm+desk", 720.0)]


def test_a_pair_that_only_ties_its_best_member_does_not_rank(tmp_path: Path) -> None:
    head = ("vendor: V\nproduct: P\nurl: https://example.com\nas_of: 2026-09\ndeployment: saas\nlicense: x\n"
            "currency: USD\n")
    write_tree(tmp_path, {
        "catalog/features.yaml": "features:\n  pipeline: {name: Pipeline}\n  tickets: {name: Tickets}\n"
                                 "  api-access: {name: API access}\n",
        # crm alone already gives everything: a help desk beside it adds cost and no score.
        "catalog/vendors/crm.yaml": "id: crm\n" + head + "editions:\n  pro:\n    name: Pro\n"
                                    "    price: {per_user_month: 10}\n    features: [pipeline, tickets, api-access]\n",
        "catalog/vendors/desk.yaml": "id: desk\n" + head + "editions:\n  std:\n    name: Std\n"
                                     "    price: {per_user_month: 5}\n    features: [tickets, api-access]\n"
                                     "lacks: [pipeline]\n",
        "s.yaml": "organisation: T\ncurrency: USD\nhorizon_years: 1\nusers: {sales: 2, service: 2}\n"
                  "objectives: {g: {statement: s}}\nrequirements:\n"
                  "  - {id: deals, text: t, objective: g, department: sales, features: [pipeline]}\n"
                  "  - {id: cases, text: t, objective: g, department: service, features: [tickets]}\n",
    })
    catalog = load_catalog(tmp_path / "catalog")
    result = shortlist(load_strategy(tmp_path / "s.yaml", catalog), catalog, stack=2)
    # crm+desk scores 1.0, exactly as crm alone: a stack ranks only when it beats each member.
    assert [(r.product, r.score) for r in result.rankings] == [("crm", 1.0), ("desk", 0.5)]
