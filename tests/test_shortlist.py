"""`shortlist()` and `vendormatch shortlist` on real files: exclusions, prices, floors, output, determinism."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import DESIGN_CATALOG, DESIGN_STRATEGY, DESIGN_TODAY, REPO, write_tree

from vendormatch.cli.commands import cli
from vendormatch.files.catalog import load_catalog
from vendormatch.files.strategy import check_strategy, load_strategy
from vendormatch.solve.results import Shortlist
from vendormatch.solve.shortlist import shortlist

FEATURES = """\
features:
  contacts: {name: Contacts}
  pipeline: {name: Pipeline}
  tickets: {name: Tickets}
  phone: {name: Phone calls}
"""


def product(pid: str, editions: str, add_ons: str = "", currency: str = "USD") -> str:
    """A product file with the given editions (and add-ons) blocks, indented by the caller."""
    text = (f"id: {pid}\nvendor: V {pid}\nproduct: P {pid}\nurl: https://example.com\nas_of: 2026-09\n"
            f"deployment: saas\nlicense: proprietary\ncurrency: {currency}\neditions:\n{editions}")
    return text + (f"add_ons:\n{add_ons}" if add_ons else "")


STRATEGY = """\
organisation: Test Ltd
currency: USD
horizon_years: 1
users: {{sales: 4, service: 1}}
{extra}objectives:
  grow: {{statement: Grow, kpi: revenue, weight: 2}}
requirements:
  - {{id: see-contacts, text: t, objective: grow, department: sales, priority: must, features: [contacts]}}
  - {{id: see-pipeline, text: t, objective: grow, department: sales, priority: should, features: [pipeline]}}
  - {{id: answer-tickets, text: t, objective: grow, department: service, priority: should, features: [tickets]}}
"""


def setup(tmp_path: Path, products: dict[str, str], extra: str = "") -> tuple[Path, Path]:
    """Write a catalogue and a strategy; return their paths."""
    files = {"catalog/features.yaml": FEATURES, "strategy.yaml": STRATEGY.format(extra=extra)}
    files.update({f"catalog/vendors/{pid}.yaml": text for pid, text in products.items()})
    write_tree(tmp_path, files)
    return tmp_path / "catalog", tmp_path / "strategy.yaml"


def run(catalog_dir: Path, strategy_path: Path, budget: float | None = None) -> Shortlist:
    catalog = load_catalog(catalog_dir)
    return shortlist(load_strategy(strategy_path, catalog), catalog, budget=budget)


# basic is known to have no tickets (it states what it lacks); full has them through its desk add-on.
BASIC = product("basic", "  one:\n    name: One\n    price: {per_user_month: 10}\n    features: [contacts, pipeline]\n"
                ) + "lacks: [tickets]\n"
FULL = product(
    "full",
    "  lite:\n    name: Lite\n    price: {per_user_month: 5, max_users: 3}\n    features: [contacts]\n"
    "  pro:\n    name: Pro\n    includes: lite\n    price: {per_user_month: 20, one_time: 100}\n"
    "    features: [pipeline]\n",
    "  desk:\n    name: Desk\n    price: {flat_month: 30}\n    editions: [pro]\n    features: [tickets]\n",
)


def test_ranks_by_score_then_cost_and_costs_over_the_horizon(tmp_path: Path) -> None:
    result = run(*setup(tmp_path, {"basic": BASIC, "full": FULL}))
    assert [(r.rank, r.product, r.edition, r.add_ons) for r in result.rankings] == [
        (1, "full", "pro", ("desk",)), (2, "basic", "one", ()),
    ]
    full, basic = result.rankings
    # 5 users for 12 months: pro 20 x 5 x 12 + 100 once; desk 30 x 12.
    assert full.cost_total == 20 * 5 * 12 + 100 + 30 * 12
    assert basic.cost_total == 10 * 5 * 12
    assert full.score == 1.0
    # Weights: must 2x3 = 6, should 2x2 = 4 each; basic misses the 4 of answer-tickets.
    assert basic.score == pytest.approx(10 / 14)
    assert basic.gaps == ("answer-tickets",)
    assert basic.departments == {"sales": 1.0, "service": 0.0}
    lines = {line.item: line.total for line in full.cost_lines}
    assert lines == {"pro": 1300.0, "desk": 360.0}


def test_budget_excludes_with_the_cheapest_compliant_cost(tmp_path: Path) -> None:
    result = run(*setup(tmp_path, {"basic": BASIC, "full": FULL}), budget=700)
    assert [r.product for r in result.rankings] == ["basic"]
    (excluded,) = result.excluded
    assert excluded.product == "full"
    # lite cannot seat 5 users, so the cheapest bundle with the must-have is pro alone: 1,300.
    assert excluded.cheapest_compliant_cost == 1300
    assert "costs USD 1,300, 600 over the budget of 700" in excluded.reasons[0]


def test_more_users_than_any_edition_takes(tmp_path: Path) -> None:
    small = product("small", "  solo:\n    name: Solo\n    price: {per_user_month: 5, max_users: 2}\n"
                             "    features: [contacts]\n")
    result = run(*setup(tmp_path, {"small": small, "basic": BASIC}))
    assert result.excluded[0].product == "small"
    assert result.excluded[0].reasons == ("5 users is more than any edition allows (the largest takes 2)",)


def test_missing_must_have_is_named(tmp_path: Path) -> None:
    nothing = product("nothing", "  e:\n    name: E\n    price: {per_user_month: 1}\n    features: [pipeline]\n")
    nothing += "lacks:\n  - {feature: contacts, source: https://example.com/docs, note: no contact records}\n"
    result = run(*setup(tmp_path, {"nothing": nothing, "basic": BASIC}))
    (excluded,) = result.excluded
    assert excluded.reasons == (
        "lacks must-have: see-contacts needs contacts (known absent: no contact records; source: https://example.com/docs)",
    )


def test_unknown_price_is_marked_never_zero(tmp_path: Path) -> None:
    secret = product("secret", "  quote:\n    name: Quote\n    features: [contacts, pipeline, tickets]\n")
    result = run(*setup(tmp_path, {"secret": secret, "basic": BASIC}), budget=10)
    top = result.rankings[0]
    assert (top.product, top.cost_total, top.price_unknown, top.within_budget) == ("secret", None, ("quote",), None)
    assert top.cost_lines[0].total is None


def test_department_floor_rules_out_a_product_that_starves_a_department(tmp_path: Path) -> None:
    catalog_dir, strategy_path = setup(tmp_path, {"basic": BASIC, "full": FULL}, extra="min_department_coverage: 0.5\n")
    result = run(catalog_dir, strategy_path)
    assert [r.product for r in result.rankings] == ["full"]
    assert result.excluded[0].product == "basic"
    assert "department floor" in result.excluded[0].reasons[0]


def test_a_second_currency_is_converted(tmp_path: Path) -> None:
    euro = product("euro", "  e:\n    name: E\n    price: {per_user_month: 10}\n    features: [contacts]\n",
                   currency="EUR")
    catalog_dir, strategy_path = setup(tmp_path, {"euro": euro}, extra="exchange_rates: {EUR: 1.5}\n")
    assert run(catalog_dir, strategy_path).rankings[0].cost_total == 10 * 5 * 12 * 1.5


def test_a_missing_exchange_rate_is_an_error_not_a_rate_of_one(tmp_path: Path) -> None:
    euro = product("euro", "  e:\n    name: E\n    price: {per_user_month: 10}\n    features: [contacts]\n",
                   currency="EUR")
    catalog_dir, strategy_path = setup(tmp_path, {"euro": euro})
    checked = check_strategy(strategy_path, load_catalog(catalog_dir))
    assert [(d.line, d.column, d.code) for d in checked.diagnostics] == [(2, 11, "missing-exchange-rate")]
    assert checked.strategy is None


def test_an_unmatched_must_is_an_error_located_at_the_requirement(tmp_path: Path) -> None:
    catalog_dir, strategy_path = setup(tmp_path, {"basic": BASIC})
    text = strategy_path.read_text().replace(
        "  - {id: see-contacts, text: t, objective: grow, department: sales, priority: must, features: [contacts]}",
        "  - {id: see-contacts, text: vendor stability over five years, objective: grow, department: sales, "
        "priority: must}",
    )
    strategy_path.write_text(text)
    result = CliRunner().invoke(cli, ["shortlist", str(strategy_path), "--catalog", str(catalog_dir)])
    assert result.exit_code == 1
    assert f"{strategy_path}:8:5: error must-have 'see-contacts' has no feature to judge it by" in result.stderr
    assert "(unmatched-must)" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_cbc_and_highs_agree_on_the_design_example() -> None:
    catalog = load_catalog(DESIGN_CATALOG, today=DESIGN_TODAY)
    strategy = load_strategy(DESIGN_STRATEGY, catalog)
    highs = shortlist(strategy, catalog, solver="highs")
    cbc = shortlist(strategy, catalog, solver="cbc")
    assert highs.model_dump(exclude={"solver"}) == cbc.model_dump(exclude={"solver"})
    assert [r.product for r in highs.rankings] == ["acme-crm"]
    acme = highs.rankings[0]
    # 22 users: starter is capped at 10; professional + voice gives both must-have features.
    assert (acme.edition, acme.add_ons) == ("professional", ("voice",))


def _reordered_copy(source: Path, target: Path) -> None:
    """The same catalogue with every mapping's keys written in reverse order."""
    shutil.copytree(source, target)

    def reverse(node: object) -> object:
        if isinstance(node, dict):
            return {k: reverse(node[k]) for k in reversed(list(node))}
        if isinstance(node, list):
            return [reverse(v) for v in node]
        return node

    for path in [target / "features.yaml", *sorted((target / "vendors").glob("*.yaml"))]:
        data = yaml.safe_load(path.read_text())
        path.write_text(yaml.safe_dump(reverse(data), sort_keys=False, allow_unicode=True))


def test_output_is_byte_identical_whatever_the_order_of_keys(tmp_path: Path) -> None:
    _reordered_copy(REPO / "catalog", tmp_path / "catalog")
    strategy = str(REPO / "strategies" / "tight-budget.yaml")
    runner = CliRunner()
    first = runner.invoke(cli, ["shortlist", strategy, "--format", "json", "--no-lock"])
    again = runner.invoke(cli, ["shortlist", strategy, "--format", "json", "--no-lock"])
    reordered = runner.invoke(cli, ["shortlist", strategy, "--format", "json", "--no-lock",
                                    "--catalog", str(tmp_path / "catalog")])
    assert first.exit_code == again.exit_code == reordered.exit_code == 0, first.stderr
    assert first.stdout == again.stdout == reordered.stdout


def test_json_output_is_clean_in_a_real_process_and_keeps_the_documented_keys() -> None:
    # A fresh process: HiGHS prints a banner on its first solve, which must not reach stdout.
    done = subprocess.run(
        [sys.executable, "-m", "vendormatch", "shortlist", str(REPO / "strategies" / "tight-budget.yaml"),
         "--format", "json", "--no-lock"],
        capture_output=True, text=True, check=False, cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"rankings", "excluded", "strategy", "unscored", "version"} <= set(data)
    first = data["rankings"][0]
    assert {"rank", "product", "vendor", "edition", "add_ons", "score", "cost_total"} <= set(first)
    assert first["rank"] == 1 and 0 <= first["score"] <= 1
    assert all({"product", "reasons"} <= set(e) for e in data["excluded"])


def test_table_fits_80_columns_and_shows_what_is_not_scored() -> None:
    result = CliRunner().invoke(cli, ["shortlist", str(REPO / "strategies" / "tight-budget.yaml"), "--no-lock"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0] == "Crema Works: 5 users, 3 years, budget USD 3,000"
    assert any(line.startswith("  1  ") for line in lines)
    assert "Excluded (" in result.stdout
