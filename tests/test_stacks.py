"""Stacks of two and three products against brute force on random catalogues, and hand-worked stacks."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date
from pathlib import Path
from typing import Any

import oracle
import pytest
from conftest import write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from randomcatalog import FEATURES, brute_force, catalogues, strategies_

from vendormatch.files.catalog import Catalog, load_catalog
from vendormatch.files.models import Product, Strategy
from vendormatch.files.strategy import load_strategy
from vendormatch.solve.blocks import Group, group_requirements, screen
from vendormatch.solve.optimise import solve_blocks
from vendormatch.solve.scoring import (
    ScoredRequirement,
)
from vendormatch.solve.shortlist import pinned_decisions, scored_requirements, shortlist
from vendormatch.solve.stack_bounds import stack_bounds
from vendormatch.solve.stack_enumeration import MAX_WORK
from vendormatch.solve.stack_model import Candidate, StackChoice, StackSpec
from vendormatch.solve.stack_search import search_stacks, solve_stack
from vendormatch.solve.stacks import alone_score, stack_candidates, stack_spec

LINK = "f-e"  # the random catalogues' stand-in for api-access


def _bundles(product: Product, strategy: Strategy, departments: tuple[str, ...]) -> list[oracle.Bundle]:
    rate = {"USD": 1.0, **strategy.exchange_rates}[product.currency]
    need = oracle.need_of(strategy, list(departments))
    return list(oracle.bundles(product, need, strategy.months, rate, strategy.currency,
                               extra=oracle.extras(product, strategy)))


def _patterns(departments: list[str]) -> list[tuple[str, ...]]:
    return [combo for size in range(1, len(departments) + 1) for combo in itertools.combinations(departments, size)]


Values = tuple[float, int, float]


def brute_force_stack(products: list[Product], strategy: Strategy, requirements: list[ScoredRequirement],
                      budget: float | None) -> Values | None:
    """The best (score, unknown-priced items, known cost) of these products bought together, by trying every
    bundle and every set of licensed departments for each: every department uses a member, a requirement is
    served by the best member licensed for its department, every pair links (listed, or LINK in full on both)."""
    departments = sorted(d for d in strategy.users if strategy.uses.get(d) != "none")
    options = [[(pattern, bundle) for pattern in _patterns(departments) for bundle in _bundles(p, strategy, pattern)
                if budget is None or not bundle.unknown] for p in products]
    best: Values | None = None
    for combo in itertools.product(*options):
        if set().union(*(pattern for pattern, _ in combo)) != set(departments):
            continue
        if not _uses_respected(products, [pattern for pattern, _ in combo], strategy):
            continue
        if any(not (b.id in a.integrates_with or a.id in b.integrates_with)
               and (ba.levels.get(LINK, 0) < 1 or bb.levels.get(LINK, 0) < 1)
               for (a, (_, ba)), (b, (_, bb)) in itertools.combinations(list(zip(products, combo, strict=True)), 2)):
            continue
        levels = {r.id: max((oracle.requirement_level(r.features, bundle.levels)
                             for pattern, bundle in combo if r.department in pattern), default=0.0)
                  for r in requirements}
        if any(r.must and levels[r.id] < 1 for r in requirements):
            continue
        cost = sum(bundle.known for _, bundle in combo)
        if budget is not None and cost > budget + 1e-6:
            continue
        floor = strategy.min_department_coverage
        if floor and any(v < floor - 1e-9 for v in oracle.by_department(levels, requirements).values()):
            continue
        values = (oracle.weighted(levels, requirements), sum(len(bundle.unknown) for _, bundle in combo), cost)
        if best is None or (-round(values[0], 9), values[1], round(values[2], 6)) < (-round(best[0], 9), best[1],
                                                                                        round(best[2], 6)):
            best = values
    return best


def _uses_respected(products: list[Product], licensed: list[tuple[str, ...]], strategy: Strategy) -> bool:
    """A department assigned to products uses those the stack holds, and no other member while it holds one."""
    for department, used in strategy.uses.items():
        if used == "none":
            continue
        holds = any(p.id in used for p in products)
        for product, pattern in zip(products, licensed, strict=True):
            if product.id in used and department not in pattern:
                return False
            if holds and product.id not in used and department in pattern:
                return False
    return True


def brute_force_stacks(catalog: Catalog, strategy: Strategy, requirements: list[ScoredRequirement],
                       size: int) -> dict[tuple[str, ...], Values]:
    """Every stack that ranks: it scores higher than each product alone (verified) and each pair inside it."""
    budget = strategy.budget
    alone = {}
    for pid, product in catalog.products.items():
        single = brute_force(product, strategy, requirements, budget)
        alone[pid] = single.score if single is not None and single.band == "verified" else -1.0
    best = {ids: brute_force_stack([catalog.products[i] for i in ids], strategy, requirements, budget)
            for n in range(2, size + 1) for ids in itertools.combinations(sorted(catalog.products), n)}
    ranked = {}
    for ids, values in best.items():
        if values is None or any(values[0] <= alone[i] + 1e-9 for i in ids):
            continue
        pairs = [best[pair] for pair in itertools.combinations(ids, 2)] if len(ids) == 3 else []
        if any(pair is not None and values[0] <= pair[0] + 1e-9 for pair in pairs):
            continue
        ranked[ids] = values
    return ranked


@st.composite
def linked_catalogues(draw: st.DrawFn, min_products: int = 2, specialised: bool = False) -> Catalog:
    """Small random catalogues whose products list native connectors to each other now and then, so that
    stacks integrate often (LINK in full on both sides being rare). `specialised` products each keep only
    one or two features (what they drop reads as unknown), so that three can do better than any two."""
    catalog = draw(catalogues(max_editions=2, max_add_ons=2, min_products=min_products))
    ids = sorted(catalog.products)
    linked = {}
    for pid in ids:
        others = [o for o in ids if o != pid]
        links = [o for o in others if draw(st.integers(0, 3)) > 0]
        product = catalog.products[pid].model_copy(update={"integrates_with": tuple(links)})
        if specialised:
            keep = set(draw(st.lists(st.sampled_from(FEATURES), min_size=1, max_size=2, unique=True)))
            editions = {e: ed.model_copy(update={"features": tuple(f for f in ed.features if f.feature in keep)})
                        for e, ed in product.editions.items()}
            add_ons = {a: ad.model_copy(update={"features": tuple(f for f in ad.features if f.feature in keep)})
                       for a, ad in product.add_ons.items()}
            product = product.model_copy(update={"editions": editions, "add_ons": add_ons})
        linked[pid] = product
    return dataclasses.replace(catalog, products=linked)


@st.composite
def stack_strategies(draw: st.DrawFn, single_features: bool = False) -> Strategy:
    """Random strategies of one or two departments, mostly without a budget or must-haves, under which
    stacks often qualify (each kind of constraint still comes up)."""
    strategy = draw(strategies_(max_departments=2))
    changes: dict[str, Any] = {}
    if draw(st.integers(0, 3)) > 0:
        changes["budget"] = None
    requirements = list(strategy.requirements)
    if draw(st.integers(0, 3)) > 0:
        requirements = [r.model_copy(update={"priority": "should"}) if r.priority == "must" else r for r in requirements]
    if single_features:
        # Several requirements, one feature each, as different as can be.
        order = draw(st.permutations(FEATURES))
        base = requirements[0]
        requirements = [base.model_copy(update={"id": f"s{i}", "features": (order[i],),
                                                "priority": draw(st.sampled_from(["should", "could", "must"])),
                                                "department": draw(st.sampled_from(sorted(strategy.users)))})
                        for i in range(draw(st.integers(3, 5)))]
    elif draw(st.integers(0, 3)) > 0:
        # One feature each: products that each do part of the job are what stacks are for.
        requirements = [r.model_copy(update={"features": (draw(st.sampled_from(FEATURES)),)}) for r in requirements]
    changes["requirements"] = tuple(requirements)
    if draw(st.integers(0, 3)) == 0:
        department = draw(st.sampled_from(sorted(strategy.users)))
        changes["uses"] = {department: tuple(draw(st.lists(st.sampled_from(["p0", "p1", "p2"]), min_size=1,
                                                          max_size=2, unique=True)))}
    return strategy.model_copy(update=changes)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog=linked_catalogues(), strategy=stack_strategies(), size=st.sampled_from([2, 3]),
       limit=st.sampled_from([1, 2, 5]), max_work=st.sampled_from([0, MAX_WORK]))
def test_stack_search_equals_brute_force(catalog: Catalog, strategy: Strategy, size: int, limit: int,
                                         max_work: int) -> None:
    """Each stack solved by the model (no case enumerated) or enumerated, as brute force has it."""
    check_against_brute_force(catalog, strategy, size, limit, max_work)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog=linked_catalogues(min_products=3, specialised=True), strategy=stack_strategies(single_features=True),
       limit=st.sampled_from([1, 2, 5]), max_work=st.sampled_from([0, MAX_WORK]))
def test_three_product_stacks_equal_brute_force(catalog: Catalog, strategy: Strategy, limit: int,
                                                max_work: int) -> None:
    check_against_brute_force(catalog, strategy, 3, limit, max_work)


def _search_inputs(catalog: Catalog, strategy: Strategy, size: int) -> tuple[list[Candidate], StackSpec, float]:
    """The stack search's candidates and spec for a random strategy, as the shortlist builds them, and the
    strategy's total weight."""
    requirements, _ = scored_requirements(strategy, pinned_decisions(strategy))
    groups = group_requirements(requirements)
    screened = screen(catalog.products, strategy, requirements, start=date(2026, 1, 1),
                      priced_only=strategy.budget is not None)
    choices = solve_blocks(screened.blocks, screened.groups, budget=strategy.budget,
                           floor=strategy.min_department_coverage)
    singles = {b.product: alone_score(b, choices[b.product], screened.groups) for b in screened.blocks
               if choices[b.product].edition is not None and b.product not in screened.conditional}
    candidates = stack_candidates(catalog.products, strategy, groups, start=date(2026, 1, 1),
                                  priced_only=strategy.budget is not None, integration_feature=LINK)
    spec = stack_spec(catalog.products, strategy, groups, size=size, budget=strategy.budget, alone=singles,
                      integration_feature=LINK)
    return candidates, spec, sum(g.weight for g in groups)


def check_against_brute_force(catalog: Catalog, strategy: Strategy, size: int, limit: int = 5,
                              max_work: int = MAX_WORK) -> None:
    """The stacks the search finds, and their values, are the `limit` best that brute force ranks, in the
    documented order: score, unknown prices, known cost, fewer products, then the products' ids."""
    requirements, _ = scored_requirements(strategy, pinned_decisions(strategy))
    ranked = brute_force_stacks(catalog, strategy, requirements, size)
    candidates, spec, total = _search_inputs(catalog, strategy, size)
    found = search_stacks(candidates, spec, limit=limit, max_work=max_work)
    # As the README has it: with nothing weighed, every bundle scores 1.
    got = [("+".join(m.choice.product for m in stack), (score / total if total else 1.0, unknown, cost))
           for stack, (score, unknown, cost) in found]
    expected = sorted((("+".join(ids), values) for ids, values in ranked.items()),
                      key=lambda entry: (-round(entry[1][0], 6), entry[1][1], round(entry[1][2], 6),
                                         entry[0].count("+"), entry[0]))
    assert [name for name, _ in got] == [name for name, _ in expected[:limit]], (got, expected)
    for (name, (score, unknown, cost)), (_, (want_score, want_unknown, want_cost)) in zip(got, expected, strict=False):
        assert abs(score - want_score) < 1e-6 and unknown == want_unknown and abs(cost - want_cost) < 1e-4, name


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog=linked_catalogues(min_products=3, specialised=True), strategy=stack_strategies(single_features=True),
       size=st.sampled_from([2, 3]))
def test_stack_bounds_hold_for_every_stack(catalog: Catalog, strategy: Strategy, size: int) -> None:
    """The search skips a stack on its bounds alone, so they must hold for every stack: no stack scores above
    its score bound, or costs less than its cost bound; a stack the bounds call impossible has no bundle."""
    requirements, _ = scored_requirements(strategy, pinned_decisions(strategy))
    candidates, spec, total = _search_inputs(catalog, strategy, size)
    bounds = stack_bounds(candidates, spec)
    index = {c.product: i for i, c in enumerate(candidates)}
    for n in range(2, size + 1):
        for ids in itertools.combinations(sorted(index), n):
            values = brute_force_stack([catalog.products[i] for i in ids], strategy, requirements, strategy.budget)
            members = [index[i] for i in ids]
            refined = bounds.refined(members)
            if values is None:
                continue
            assert refined is not None, ids
            assert refined <= bounds.score(members) + 1e-9
            if all(bounds.integrable[a, b] for a, b in itertools.combinations(members, 2)) is False:
                raise AssertionError(f"{ids} integrate, yet the bounds say they cannot")
            if total:
                assert refined / total >= values[0] - 1e-9, (ids, refined / total, values)
            assert bounds.cost(members) <= values[2] + 1e-6, (ids, bounds.cost(members), values)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog=linked_catalogues(min_products=2), strategy=stack_strategies(), size=st.sampled_from([2, 3]))
def test_an_enumerated_stack_is_the_models_own_answer(catalog: Catalog, strategy: Strategy, size: int) -> None:
    """Enumeration and the staged model give every stack the same bundles, licences and values: the
    tie-breaks included, which brute force does not look at."""
    candidates, spec, _ = _search_inputs(catalog, strategy, size)
    for n in range(2, size + 1):
        for chosen in itertools.combinations(candidates, n):
            enumerated = solve_stack(chosen, spec)
            solved = solve_stack(chosen, spec, max_work=0)
            if enumerated is None or solved is None:
                assert enumerated is None and solved is None, (enumerated, solved)
                continue
            assert enumerated[0] == solved[0]
            assert all(abs(a - b) < 1e-6 for a, b in zip(enumerated[1], solved[1], strict=True))


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
    # crm alone misses the tickets (score 6/10) and is licensed for all 4 users: 4 x 10 x 12 = 480. crm+desk has
    # both, each licensed for the department it serves: crm for sales 2 x 10 x 12 = 240, desk for service
    # 2 x 5 x 12 = 120. island cannot integrate (no API, not listed), and desk never meets the must-have alone.
    assert ranked == [("crm+desk", 1.0, 360.0), ("crm", 0.6, 480.0)]
    stack = result.rankings[0]
    assert [(m.product, m.edition, m.cost_total, m.departments) for m in stack.members] == [
        ("crm", "pro", 240.0, ("sales",)), ("desk", "std", 120.0, ("service",))]
    assert [(c.item, c.seats) for c in stack.cost_lines] == [("crm:pro", {"sales": 2}), ("desk:std", {"service": 2})]
    assert {r.id: r.features[0].provided_by for r in stack.requirements} == {"deals": "crm:pro", "cases": "desk:std"}
    # Listing the island as an integration partner makes it a (cheaper) stack of its own.
    (tmp_path / "catalog" / "vendors" / "island.yaml").write_text(
        (tmp_path / "catalog" / "vendors" / "island.yaml").read_text() + "integrates_with: [crm]\n")
    catalog = load_catalog(tmp_path / "catalog")
    result = shortlist(load_strategy(tmp_path / "s.yaml", catalog), catalog, stack=2)
    assert [(r.product, r.cost_total) for r in result.rankings][:2] == [("crm+island", 264.0), ("crm+desk", 360.0)]


def _pairs_of(root: Path, max_work: int) -> tuple[list[tuple[StackChoice, Values]], tuple[Group, ...]]:
    """The stacks of two that the search finds for `root`'s catalogue and strategy (no budget, no product
    scored alone), and the strategy's requirement groups."""
    catalog = load_catalog(root / "catalog")
    strategy = load_strategy(root / "s.yaml", catalog)
    requirements, _ = scored_requirements(strategy, pinned_decisions(strategy))
    groups = group_requirements(requirements)
    candidates = stack_candidates(catalog.products, strategy, groups, start=date(2026, 1, 1))
    spec = stack_spec(catalog.products, strategy, groups, size=2, budget=None, alone={})
    return search_stacks(candidates, spec, max_work=max_work), groups


@pytest.mark.parametrize("max_work", [0, MAX_WORK])
def test_equal_stacks_are_decided_by_the_first_edition_fewest_add_ons_and_fewest_departments(
        tmp_path: Path, max_work: int) -> None:
    """Two editions of one price and features, a free add-on that adds nothing, and a department that could be
    licensed on either member at no gain: the model and the enumeration both take the first edition, no
    add-on, and each member for its own department only."""
    head = ("vendor: V\nproduct: P\nurl: https://example.com\nas_of: 2026-09\ndeployment: saas\nlicense: x\n"
            "currency: USD\n")
    write_tree(tmp_path, {
        "catalog/features.yaml": "features:\n  pipeline: {name: Pipeline}\n  tickets: {name: Tickets}\n",
        "catalog/vendors/crm.yaml": "id: crm\n" + head + "editions:\n  pro:\n    name: Pro\n"
                                    "    price: {per_user_month: 0}\n    features: [pipeline]\n"
                                    "lacks: [tickets]\nintegrates_with: [desk]\n",
        "catalog/vendors/desk.yaml": "id: desk\n" + head + "editions:\n"
                                     "  a-std: {name: A, price: {per_user_month: 5}, features: [tickets]}\n"
                                     "  b-std: {name: B, price: {per_user_month: 5}, features: [tickets]}\n"
                                     "add_ons:\n  extra: {name: Extra, price: {per_user_month: 0}, features: [tickets],"
                                     " editions: [a-std, b-std]}\nlacks: [pipeline]\n",
        "s.yaml": "organisation: T\ncurrency: USD\nhorizon_years: 1\nusers: {sales: 2, service: 2}\n"
                  "objectives: {g: {statement: s}}\nrequirements:\n"
                  "  - {id: deals, text: t, objective: g, department: sales, features: [pipeline]}\n"
                  "  - {id: cases, text: t, objective: g, department: service, features: [tickets]}\n",
    })
    found, _ = _pairs_of(tmp_path, max_work)
    assert [[(m.choice.product, m.choice.edition, m.choice.add_ons, m.departments) for m in stack]
            for stack, _ in found] == [[("crm", "pro", (), ("sales",)), ("desk", "a-std", (), ("service",))]]


@pytest.mark.parametrize("max_work", [0, MAX_WORK])
def test_past_six_departments_every_member_is_licensed_for_everyone(tmp_path: Path, max_work: int) -> None:
    """With seven departments licence patterns are not enumerated: each member of a stack is licensed for
    all 7 users, as a single product is, in the model and in the enumeration alike."""
    head = ("vendor: V\nproduct: P\nurl: https://example.com\nas_of: 2026-09\ndeployment: saas\nlicense: x\n"
            "currency: USD\n")
    departments = ["d1", "d2", "d3", "d4", "d5", "d6", "d7"]
    write_tree(tmp_path, {
        "catalog/features.yaml": "features:\n  pipeline: {name: Pipeline}\n  tickets: {name: Tickets}\n",
        "catalog/vendors/crm.yaml": "id: crm\n" + head + "editions:\n  pro: {name: Pro, price: {per_user_month: 10},"
                                    " features: [pipeline]}\nlacks: [tickets]\nintegrates_with: [desk]\n",
        "catalog/vendors/desk.yaml": "id: desk\n" + head + "editions:\n  std: {name: Std, price: {per_user_month: 5},"
                                     " features: [tickets]}\nlacks: [pipeline]\n",
        "s.yaml": "organisation: T\ncurrency: USD\nhorizon_years: 1\nusers: {"
                  + ", ".join(f"{d}: 1" for d in departments) + "}\nobjectives: {g: {statement: s}}\nrequirements:\n"
                  "  - {id: deals, text: t, objective: g, department: d1, features: [pipeline]}\n"
                  "  - {id: cases, text: t, objective: g, department: d2, features: [tickets]}\n",
    })
    found, groups = _pairs_of(tmp_path, max_work)
    # Both requirements met in full; 7 users x 12 months: crm at 10 (840), desk at 5 (420).
    assert [([(m.choice.product, m.departments) for m in stack], values) for stack, values in found] == [
        ([("crm", tuple(departments)), ("desk", tuple(departments))], (sum(g.weight for g in groups), 0, 1260.0))]


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


def _three_products(tmp_path: Path, extra_strategy: str = "") -> Path:
    head = ("vendor: V\nproduct: P\nurl: https://example.com\nas_of: 2026-09\ndeployment: saas\nlicense: x\n"
            "currency: USD\n")
    return write_tree(tmp_path, {
        "catalog/features.yaml": "features:\n  pipeline: {name: Pipeline}\n  tickets: {name: Tickets}\n"
                                 "  ledger: {name: Ledger}\n  api-access: {name: API access}\n",
        "catalog/vendors/crm.yaml": "id: crm\n" + head + "editions:\n  pro:\n    name: Pro\n"
                                    "    price: {per_user_month: 10}\n    features: [pipeline]\n"
                                    "integrates_with: [desk, books]\n",
        "catalog/vendors/desk.yaml": "id: desk\n" + head + "editions:\n  std:\n    name: Std\n"
                                     "    price: {per_user_month: 5, seat_buckets: [5, 10]}\n    features: [tickets]\n"
                                     "integrates_with: [books]\n",
        "catalog/vendors/books.yaml": "id: books\n" + head + "editions:\n  one:\n    name: One\n"
                                      "    price: {flat_month: 30}\n    features: [ledger]\n",
        "s.yaml": "organisation: T\ncurrency: USD\nhorizon_years: 1\nusers: {sales: 3, service: 4, accounts: 2}\n"
                  + extra_strategy + "objectives: {g: {statement: s, kpi: k}}\nrequirements:\n"
                  "  - {id: deals, text: t, objective: g, department: sales, features: [pipeline]}\n"
                  "  - {id: cases, text: t, objective: g, department: service, features: [tickets]}\n"
                  "  - {id: books, text: t, objective: g, department: accounts, features: [ledger]}\n",
    })


def test_three_products_each_licensed_for_the_departments_they_serve(tmp_path: Path) -> None:
    root = _three_products(tmp_path)
    catalog = load_catalog(root / "catalog")
    result = shortlist(load_strategy(root / "s.yaml", catalog), catalog, stack=3)
    best = result.rankings[0]
    # crm for sales: 3 x 10 x 12 = 360; desk for service: 4 seats bought as a bucket of 5: 5 x 5 x 12 = 300;
    # books for accounts: a flat 30 x 12 = 360. Every pair integrates through a listed connector.
    assert (best.product, best.score, best.cost_total) == ("books+crm+desk", 1.0, 1020.0)
    assert [(m.product, m.departments, m.cost_total) for m in best.members] == [
        ("books", ("accounts",), 360.0), ("crm", ("sales",), 360.0), ("desk", ("service",), 300.0)]
    # Pairs score 2/3 at most, so each ranks below the three; with --stack 2 the three never appear.
    assert all(r.score < 1.0 for r in result.rankings[1:])
    pairs = shortlist(load_strategy(root / "s.yaml", catalog), catalog, stack=2)
    assert all(len(r.members) <= 2 for r in pairs.rankings)


def test_a_department_assigned_to_a_product_is_licensed_there(tmp_path: Path) -> None:
    root = _three_products(tmp_path, "uses: {sales: [desk, crm]}\n")
    catalog = load_catalog(root / "catalog")
    best = shortlist(load_strategy(root / "s.yaml", catalog), catalog, stack=3).rankings[0]
    # Sales now also uses the help desk: 3 + 4 = 7 seats, bought as a bucket of 10: 10 x 5 x 12 = 600.
    assert [(m.product, m.departments, m.cost_total) for m in best.members] == [
        ("books", ("accounts",), 360.0), ("crm", ("sales",), 360.0), ("desk", ("sales", "service"), 600.0)]
    desk = next(c for c in best.cost_lines if c.item == "desk:std")
    assert desk.seats == {"sales": 3, "service": 4}
