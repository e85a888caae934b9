"""`sensitivity()` and `vendormatch sensitivity`: hand-worked catalogues with known change points, real solves,
reproducible robustness for any number of workers, and agreement with brute force on random catalogues."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import oracle
import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, edition_yaml, product_yaml, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from randomcatalog import DEPARTMENTS, FEATURES, brute_force, catalogues

from vendormatch.analysis import sensitivity_tasks
from vendormatch.analysis.sensitivity import (
    BUDGET_PRECISION,
    WEIGHT_LIMITS,
    WEIGHT_PRECISION,
    draw_scenarios,
    robustness,
    sensitivity,
)
from vendormatch.analysis.sensitivity_engine import grid
from vendormatch.analysis.whatif import apply_settings
from vendormatch.cli.commands import cli
from vendormatch.files.catalog import Catalog, load_catalog
from vendormatch.files.diagnostics import VendormatchError
from vendormatch.files.loader import parse_yaml
from vendormatch.files.models import Strategy
from vendormatch.files.schema_errors import validate_model
from vendormatch.files.strategy import load_strategy
from vendormatch.solve.scoring import conversion_rate
from vendormatch.solve.shortlist import pinned_decisions, scored_requirements

FEATURES_YAML = """\
features:
  must-thing: {name: The must-have}
  feature-a: {name: Feature A}
  feature-b: {name: Feature B}
"""

# Objective x (weight 3) and y (weight 2). Requirement weights: rm 3x (must), rx 2x, ry 2y.
STRATEGY = """\
organisation: Test Ltd
currency: USD
horizon_years: 1
{budget}users: {{sales: 1, service: 1}}
objectives:
  x: {{statement: X, weight: 3}}
  y: {{statement: Y, weight: 2}}
requirements:
  - {{id: rm, text: t, objective: x, department: sales, priority: must, features: [must-thing]}}
  - {{id: rx, text: t, objective: x, department: sales, priority: should, features: [feature-a]}}
  - {{id: ry, text: t, objective: y, department: service, priority: should, features: [feature-b]}}
"""


# alpha scores 5x/(5x+2y) and beta (3x+2y)/(5x+2y): alpha is first while x >= y (at a tie it is cheaper).
# gamma covers a and b but lacks the must-have: it must never win, whatever the weights.
WEIGHT_PRODUCTS = {
    "alpha": product_yaml("alpha", edition_yaml("one", 10, "[must-thing, feature-a]")),
    "beta": product_yaml("beta", edition_yaml("one", 20, "[must-thing, feature-b]")),
    "gamma": product_yaml("gamma", edition_yaml("one", 1, "[feature-a, feature-b]")) + "lacks: [must-thing]\n",
}

# At a budget of 500: alpha plus (360, a and half of b) wins; delta (600, everything) is over budget;
# alpha basic costs 120 and cheap 60 (the must-have only).
BUDGET_PRODUCTS = {
    "alpha": product_yaml("alpha", edition_yaml("basic", 5, "[must-thing, feature-a]")
                     + edition_yaml("plus", 15, "[{feature: feature-b, level: 0.5}]", includes="basic")),
    "delta": product_yaml("delta", edition_yaml("one", 25, "[must-thing, feature-a, feature-b]")),
    "cheap": product_yaml("cheap", edition_yaml("one", 2.5, "[must-thing]")),
}


def setup(tmp_path: Path, products: Mapping[str, str], budget: float | None = None) -> tuple[Catalog, Strategy, Path]:
    """Write the catalogue and strategy; return the loaded catalogue and strategy, and the catalogue folder."""
    files = {"catalog/features.yaml": FEATURES_YAML,
             "strategy.yaml": STRATEGY.format(budget=f"budget: {budget}\n" if budget is not None else "")}
    files.update({f"catalog/vendors/{pid}.yaml": text for pid, text in products.items()})
    write_tree(tmp_path, files)
    catalog = load_catalog(tmp_path / "catalog")
    return catalog, load_strategy(tmp_path / "strategy.yaml", catalog), tmp_path / "catalog"


# -- weights -----------------------------------------------------------------------------------


def test_raising_one_weight_by_a_known_factor_flips_the_winner(tmp_path: Path) -> None:
    catalog, strategy, _ = setup(tmp_path, WEIGHT_PRODUCTS)
    result = sensitivity(strategy, catalog, scenarios=0, workers=1)
    assert result.winner == "alpha"
    assert [(leader.product, leader.score) for leader in result.leaders] == [("alpha", round(15 / 19, 6)),
                                                                             ("beta", round(13 / 19, 6))]
    x, y = result.objectives
    # y's weight 2 must pass x's 3: a factor of 1.5; the change is located within 1% of the weight.
    assert y.up.changed and y.up.new_winner == "beta"
    assert y.up.factor is not None and 1.5 < y.up.factor <= 1.5 + WEIGHT_PRECISION
    assert y.up.weight == pytest.approx(2 * y.up.factor) and y.up.relative_change == pytest.approx(y.up.factor - 1)
    assert y.precision == pytest.approx(0.02)
    # x's weight 3 must fall below y's 2: a factor of 2/3.
    assert x.down.changed and x.down.new_winner == "beta"
    assert x.down.factor is not None and 2 / 3 - WEIGHT_PRECISION <= x.down.factor < 2 / 3
    # Raising x or lowering y only helps alpha; gamma (no must-have) never wins.
    assert (x.up.changed, x.up.limit, y.down.changed, y.down.limit) == (False, WEIGHT_LIMITS[1], False, WEIGHT_LIMITS[0])


def test_an_objective_that_weighs_nothing_changes_nothing(tmp_path: Path) -> None:
    catalog, strategy, _ = setup(tmp_path, WEIGHT_PRODUCTS)
    explicit = apply_settings(strategy, ["requirements.ry.weight=4"])  # y's only requirement now has its own weight
    y = sensitivity(explicit, catalog, scenarios=0, workers=1).objectives[1]
    assert (y.objective, y.counted, y.down.changed, y.up.changed) == ("y", False, False, False)


def test_the_bounds_do_not_change_the_answer(tmp_path: Path) -> None:
    catalog, strategy, _ = setup(tmp_path, WEIGHT_PRODUCTS)
    close = apply_settings(strategy, ["objectives.y.weight=2.8"])
    with_bounds = sensitivity(close, catalog, scenarios=64, seed=3, workers=1)
    without = sensitivity(close, catalog, scenarios=64, seed=3, workers=1, bounds=False)
    assert with_bounds == without


# -- budget ------------------------------------------------------------------------------------


def test_budget_changes_are_exact_bundle_costs(tmp_path: Path) -> None:
    catalog, strategy, _ = setup(tmp_path, BUDGET_PRODUCTS, budget=500)
    result = sensitivity(strategy, catalog, scenarios=0, workers=1)
    assert result.winner == "alpha" and result.leaders[0].edition == "plus"
    budget = result.budget
    assert (budget.budget, budget.winner_cost, budget.precision) == (500, 360, BUDGET_PRECISION)
    # Down: alpha falls back to basic (120) below 360 and still wins; below 120 only cheap qualifies.
    assert (budget.down.changed, budget.down.budget, budget.down.new_winner) == (True, 120, "cheap")
    assert budget.down.relative_change == pytest.approx(120 / 500 - 1)
    # Up: delta becomes affordable at exactly 600.
    assert budget.up is not None
    assert (budget.up.changed, budget.up.budget, budget.up.new_winner) == (True, 600, "delta")
    assert budget.up.relative_change == pytest.approx(0.2)


def test_without_a_budget_the_change_is_the_budget_below_which_the_winner_changes(tmp_path: Path) -> None:
    catalog, strategy, _ = setup(tmp_path, BUDGET_PRODUCTS)
    budget = sensitivity(strategy, catalog, scenarios=0, workers=1).budget
    assert (budget.budget, budget.winner_cost, budget.up) == (None, 600, None)
    assert (budget.down.changed, budget.down.budget, budget.down.new_winner, budget.down.relative_change) == (
        True, 600, "alpha", None)


def test_a_budget_below_everything_has_no_winner_to_change(tmp_path: Path) -> None:
    catalog, strategy, _ = setup(tmp_path, BUDGET_PRODUCTS, budget=10)
    result = sensitivity(strategy, catalog, scenarios=10, workers=1)
    assert (result.winner, result.leaders, result.budget.down.changed) == (None, (), False)
    assert result.budget.up is not None and (result.budget.up.budget, result.budget.up.new_winner) == (60, "cheap")
    assert result.robustness.wins[0].product is None and result.robustness.winner_share == 1


# -- robustness --------------------------------------------------------------------------------


def test_robustness_counts_each_scenario_exactly(tmp_path: Path) -> None:
    catalog, strategy, _ = setup(tmp_path, WEIGHT_PRODUCTS)
    close = apply_settings(strategy, ["objectives.y.weight=2.8"])
    result = robustness(close, catalog, scenarios=500, perturbation=0.2, seed=7, workers=1)
    # alpha is first exactly when 3 u_x >= 2.8 u_y.
    drawn = draw_scenarios(close, 500, 0.2, 7)
    alpha = sum(1 for s in drawn if 3 * s["x"] >= 2.8 * s["y"])
    assert 0 < alpha < 500
    assert [(w.product, w.scenarios) for w in result.wins] == sorted(
        [("alpha", alpha), ("beta", 500 - alpha)], key=lambda item: -item[1])
    assert result.winner == "alpha" and result.winner_share == round(alpha / 500, 6)
    assert robustness(close, catalog, scenarios=500, perturbation=0.2, seed=7, workers=1) == result
    assert robustness(close, catalog, scenarios=500, perturbation=0.2, seed=8, workers=1) != result


def test_robustness_is_identical_for_one_and_two_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog, strategy, _ = setup(tmp_path, WEIGHT_PRODUCTS)
    close = apply_settings(strategy, ["objectives.y.weight=2.8"])
    # The problem is small enough to stay in one process; make it use two anyway.
    monkeypatch.setattr(sensitivity_tasks, "POOL_MIN_SECONDS", 0.0)
    one = robustness(close, catalog, scenarios=200, seed=11, workers=1)
    two = robustness(close, catalog, scenarios=200, seed=11, workers=2)
    assert one == two
    assert robustness(close, catalog, scenarios=200, seed=11, workers=2, bounds=False) == one
    assert sensitivity(close, catalog, scenarios=200, seed=11, workers=2) == sensitivity(
        close, catalog, scenarios=200, seed=11, workers=1)


def test_bad_options_are_errors(tmp_path: Path) -> None:
    catalog, strategy, _ = setup(tmp_path, WEIGHT_PRODUCTS)
    with pytest.raises(VendormatchError) as info:
        sensitivity(strategy, catalog, perturbation=1.0, scenarios=-1, workers=0)
    assert [d.message for d in info.value.diagnostics] == [
        "the number of scenarios cannot be negative, got -1",
        "the perturbation must be at least 0 and below 1 (weights stay positive), got 1.0",
        "workers must be at least 1, got 0",
    ]


# -- the command -------------------------------------------------------------------------------


def test_command_json_and_table(tmp_path: Path) -> None:
    _, _, catalog_dir = setup(tmp_path, WEIGHT_PRODUCTS)
    base = ["sensitivity", str(tmp_path / "strategy.yaml"), "--catalog", str(catalog_dir), "--no-lock",
            "--scenarios", "100"]
    runner = CliRunner()
    done = runner.invoke(cli, [*base, "--format", "json"])
    assert done.exit_code == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"version", "strategy", "solver", "winner", "leaders", "objectives", "budget", "robustness",
                         "run"}
    assert data["winner"] == "alpha" and data["robustness"]["winner_share"] == 1.0
    assert set(data["objectives"][0]) == {"objective", "weight", "counted", "precision", "down", "up"}
    assert set(data["objectives"][0]["up"]) == {"direction", "changed", "limit", "factor", "weight",
                                                 "relative_change", "new_winner", "floor"}
    assert runner.invoke(cli, [*base, "--format", "json"]).stdout == done.stdout  # byte for byte
    table = runner.invoke(cli, base)
    assert table.exit_code == 0, table.stderr
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    assert table.stdout == TABLE


TABLE = """\
Test Ltd: 2 users, 1 year, no budget

  #  Product                  Bundle                      Score      Cost USD
--------------------------------------------------------------------------------
  1  alpha                    one                           79%           240
  2  beta                     one                           68%           480

Weights: the smallest change found to change the winner (to 1% of the weight)
  x (weight 3)
    down: at x0.662 (weight 1.985, -34%): beta ranks first
    up: no change of winner up to x20
  y (weight 2)
    down: no change of winner down to x0.05
    up: at x1.51 (weight 3.011, +51%): beta ranks first

Budget: the smallest change that changes the winner (exact); the winner's bundle
  costs USD 240.00
  down: just below USD 240.00: no product qualifies

Robustness: 100 scenarios (seed 0)
  each multiplies every objective weight by a random factor from 0.8 to 1.2
  alpha stays first in 100.0%

vendormatch 0.1.0, run 2026-12-01, catalogue sha256:e9df437a8939 (3 products,
  facts as of 2026-09)
"""


def test_command_set_and_budget_options(tmp_path: Path) -> None:
    _, _, catalog_dir = setup(tmp_path, BUDGET_PRODUCTS)
    base = ["sensitivity", str(tmp_path / "strategy.yaml"), "--catalog", str(catalog_dir), "--no-lock",
            "--scenarios", "0", "--format", "json"]
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, [*base, "--budget", "500"]).stdout)
    assert (data["winner"], data["budget"]["up"]["budget"]) == ("alpha", 600)
    data = json.loads(runner.invoke(cli, [*base, "--set", "budget=500", "--set", "users.sales=3"]).stdout)
    # Four users: alpha plus costs 720, over 500; basic (240) wins, and delta takes over at 1,200.
    assert (data["winner"], data["leaders"][0]["edition"], data["budget"]["up"]["budget"]) == ("alpha", "basic", 1200)
    bad = runner.invoke(cli, [*base, "--set", "budgt=5"])
    assert bad.exit_code == 2 and "did you mean 'budget'?" in bad.stderr
    assert runner.invoke(cli, [*base, "--perturbation", "1.5"]).exit_code == 2


def test_json_is_clean_with_worker_processes(tmp_path: Path) -> None:
    # Spawned workers solve with HiGHS too: its banner must not reach stdout.
    setup(tmp_path, WEIGHT_PRODUCTS)
    script = (
        "import sys\n"
        "from vendormatch.analysis import sensitivity as s\n"
        "from vendormatch.files.catalog import load_catalog\n"
        "from vendormatch.report.sensitivity_formats import format_json\n"
        "from vendormatch.files.strategy import load_strategy\n"
        "if __name__ == '__main__':\n"
        "    s.POOL_MIN_SECONDS = 0.0\n"
        "    catalog = load_catalog(sys.argv[1])\n"
        "    result = s.sensitivity(load_strategy(sys.argv[2], catalog), catalog, scenarios=50, workers=2)\n"
        "    sys.stdout.write(format_json(result))\n"
    )
    (tmp_path / "run.py").write_text(script)
    done = subprocess.run([sys.executable, str(tmp_path / "run.py"), str(tmp_path / "catalog"),
                           str(tmp_path / "strategy.yaml")], capture_output=True, text=True, check=False, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["winner"] == "alpha"


# -- against brute force -----------------------------------------------------------------------


@st.composite
def two_objective_strategies(draw: st.DrawFn) -> Strategy:
    """A strategy like randomcatalog's, with two objectives, so that weights can change the winner."""
    departments = draw(st.lists(st.sampled_from(DEPARTMENTS), min_size=1, max_size=2, unique=True))
    requirements = []
    for i in range(draw(st.integers(1, 5))):
        requirement: dict[str, Any] = {
            "id": f"r{i}", "text": f"requirement {i}", "objective": draw(st.sampled_from(["g", "h"])),
            "department": draw(st.sampled_from(departments)),
            "priority": draw(st.sampled_from(["must", "should", "should", "could", "could"])),
            "features": draw(st.lists(st.sampled_from(FEATURES), min_size=1, max_size=2, unique=True)),
        }
        if draw(st.integers(0, 4)) == 0:
            requirement["weight"] = draw(st.integers(1, 9))
        requirements.append(requirement)
    data: dict[str, Any] = {
        "organisation": "Test", "currency": "USD", "horizon_years": 1, "exchange_rates": {"EUR": 1.25},
        "users": {d: draw(st.integers(1, 6)) for d in departments},
        "objectives": {o: {"statement": o, "weight": draw(st.integers(1, 5))} for o in ("g", "h")},
        "requirements": requirements,
    }
    if draw(st.booleans()):
        data["budget"] = draw(st.integers(0, 20000))
    if draw(st.integers(0, 3)) == 0:
        data["min_department_coverage"] = draw(st.sampled_from([0.25, 0.5]))
    doc = parse_yaml(yaml.safe_dump(data).encode(), "strategy.yaml")
    strategy, errors = validate_model(Strategy, doc.data, doc)
    assert strategy is not None, errors
    return strategy


def scaled(strategy: Strategy, multipliers: Mapping[str, float]) -> Strategy:
    """The strategy with objective weights multiplied."""
    objectives = {o: v.model_copy(update={"weight": v.weight * multipliers.get(o, 1.0)}) for o, v in strategy.objectives.items()}
    return strategy.model_copy(update={"objectives": objectives})


def brute_winner(catalog: Catalog, strategy: Strategy, budget: float | None) -> str | None:
    """The first verified product by enumeration of every bundle, in the documented ranking order."""
    requirements, _ = scored_requirements(strategy, pinned_decisions(strategy))
    keys = []
    for item in catalog.products.values():
        if conversion_rate(item, strategy) is None:
            continue
        best = brute_force(item, strategy, requirements, budget)
        # Sensitivity asks about the winner on confirmed facts: if-confirmed products never win.
        if best is not None and best.band == "verified":
            score = round(min(1.0, max(0.0, best.score)), 6)
            keys.append((-score, best.unknown > 0, round(best.cost_known, 6), item.id))
    return min(keys)[3] if keys else None


def bundle_costs(catalog: Catalog, strategy: Strategy) -> set[float]:
    """The known cost of every bundle of every product: the only budgets where a winner can change."""
    costs = set()
    for item in catalog.products.values():
        rate = conversion_rate(item, strategy) or 1.0
        for bundle in oracle.bundles(item, oracle.need_of(strategy), strategy.months, rate, strategy.currency,
                                 extra=oracle.extras(item, strategy)):
            costs.add(round(bundle.known, 6))
    return costs


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog=catalogues(), strategy=two_objective_strategies())
def test_every_finding_agrees_with_brute_force(catalog: Catalog, strategy: Strategy) -> None:
    result = sensitivity(strategy, catalog, scenarios=16, perturbation=0.5, seed=5, workers=1)
    budget = strategy.budget
    same = brute_winner(catalog, strategy, budget)
    assert result.winner == same
    drawn = draw_scenarios(strategy, 16, 0.5, 5)
    expected = Counter(brute_winner(catalog, scaled(strategy, s), budget) for s in drawn)
    assert {w.product: w.scenarios for w in result.robustness.wins} == dict(expected)
    assert robustness(strategy, catalog, scenarios=16, perturbation=0.5, seed=5, workers=1, bounds=False) \
        == result.robustness
    for objective in result.objectives:
        for change in (objective.down, objective.up):
            reach = abs(change.factor - 1) if change.factor is not None else float("inf")
            for factor in grid(change.limit):
                if abs(factor - 1) < reach:
                    assert brute_winner(catalog, scaled(strategy, {objective.objective: factor}), budget) == same
            if change.factor is not None:
                at = brute_winner(catalog, scaled(strategy, {objective.objective: change.factor}), budget)
                assert at == change.new_winner != same
    costs = bundle_costs(catalog, strategy)
    down = result.budget.down
    if down.any_budget:
        # From no budget, a budget above every cost already takes the winner away (its price is unknown).
        assert budget is None and same is not None
        assert brute_winner(catalog, strategy, max(costs, default=0.0) + 1.0) == down.new_winner != same
        return
    if down.budget is not None:
        assert brute_winner(catalog, strategy, down.budget - BUDGET_PRECISION) == down.new_winner != same
    low = down.budget if down.budget is not None else 0.0
    for cost in sorted(c for c in costs if low <= c and (budget is None or c <= budget)):
        assert brute_winner(catalog, strategy, cost) == same
    up = result.budget.up
    if up is not None and budget is not None:
        high = up.budget if up.budget is not None else float("inf")
        for cost in sorted(c for c in costs if budget <= c < high):
            assert brute_winner(catalog, strategy, cost) == same
        if up.budget is not None:
            assert brute_winner(catalog, strategy, up.budget) == up.new_winner != same
        else:
            # Above every bundle's cost (not "no budget": there, unknown prices need no confirming).
            assert brute_winner(catalog, strategy, max(costs, default=0.0) + 1.0) == same


FLOOR_STRATEGY = """\
organisation: Floor Ltd
currency: USD
horizon_years: 1
users: {sales: 2}
min_department_coverage: 0.7
objectives:
  x: {statement: X, kpi: x, weight: 3}
  y: {statement: Y, kpi: y, weight: 2}
requirements:
  - {id: rm, text: t, objective: x, department: sales, priority: must, features: [must-thing]}
  - {id: rx, text: t, objective: x, department: sales, priority: should, features: [feature-a]}
  - {id: ry, text: t, objective: y, department: sales, priority: should, features: [feature-b]}
"""


def test_a_weight_change_that_only_the_floor_decides_says_so(tmp_path: Path) -> None:
    # alpha meets rm and rx, not ry: sales coverage 15f / (15f + 4) at x's factor f, under the 0.7 floor
    # below f = 2.8 / 4.5 = 0.622. Without the floor, alpha ranks at any weight.
    write_tree(tmp_path, {
        "catalog/features.yaml": FEATURES_YAML,
        "catalog/vendors/alpha.yaml": product_yaml("alpha", edition_yaml("one", 10, "[must-thing, feature-a]")),
        "strategy.yaml": FLOOR_STRATEGY,
    })
    catalog = load_catalog(tmp_path / "catalog")
    result = sensitivity(load_strategy(tmp_path / "strategy.yaml", catalog), catalog, scenarios=0)
    down = next(o for o in result.objectives if o.objective == "x").down
    assert down.changed and down.new_winner is None and down.floor == 0.7
    assert down.factor is not None and abs(down.factor - 2.8 / 4.5) <= WEIGHT_PRECISION
    table = CliRunner().invoke(cli, ["sensitivity", str(tmp_path / "strategy.yaml"), "--catalog",
                                     str(tmp_path / "catalog"), "--scenarios", "0"])
    assert "no product qualifies: the department floor min_department_coverage=0.7 decides" in " ".join(
        table.stdout.split())
    up = next(o for o in result.objectives if o.objective == "y").up
    assert up.changed and up.floor == 0.7  # raising y's weight lowers the share alpha covers
