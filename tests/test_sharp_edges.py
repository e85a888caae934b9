"""Sharp edges a new user hit (issue 16): the folder form's own file, the wrong kind of file, --top counts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import (
    DESIGN_CATALOG,
    DESIGN_STRATEGY,
    DESIGN_TODAY,
    SHIPPED_STRATEGIES,
    edition_yaml,
    product_yaml,
    write_tree,
)

from vendormatch import load_catalog, load_strategy, render
from vendormatch.analysis.explain import explain
from vendormatch.analysis.frontier import frontier
from vendormatch.cli.commands import cli
from vendormatch.match.lockfile import text_hash
from vendormatch.match.resolution import settle_features
from vendormatch.solve.shortlist import shortlist


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_folder_forms_own_strategy_file_reads_the_whole_folder(tmp_path: Path) -> None:
    folder = shutil.copytree(SHIPPED_STRATEGIES / "b2b-distributor", tmp_path / "b2b")
    code_file, out_file, _ = run("shortlist", str(folder / "strategy.yaml"), "--format", "json")
    code_folder, out_folder, _ = run("shortlist", str(folder), "--format", "json")
    assert code_file == code_folder == 0
    by_file, by_folder = json.loads(out_file), json.loads(out_folder)
    # Before, the file alone scored 0 requirements and ranked every product at 100%.
    assert by_file["strategy"]["requirements_counted"] == by_folder["strategy"]["requirements_counted"] > 0
    assert by_file == by_folder


def test_a_lock_file_passed_as_a_strategy_says_what_to_pass() -> None:
    code, out, err = run("shortlist", str(SHIPPED_STRATEGIES / "sme-services.lock.yaml"))
    assert (code, out) == (2, "")
    assert ("sme-services.lock.yaml:1:1: error this is a lock file (written by `vendormatch match --lock`), not a "
            "strategy; pass the strategy it belongs to (sme-services.yaml, or the strategy folder) (wrong-kind)") in err


def test_a_requirements_file_passed_as_a_strategy_says_to_pass_the_folder() -> None:
    code, _, err = run("shortlist", str(SHIPPED_STRATEGIES / "b2b-distributor" / "requirements" / "sales.yaml"))
    assert code == 2
    assert "this is a requirements file of a strategy folder, not a strategy; pass the folder" in err


def test_top_says_how_many_of_how_many_are_ranked() -> None:
    code, out, _ = run("shortlist", str(SHIPPED_STRATEGIES / "sme-services.yaml"), "--top", "3")
    assert code == 0
    second = out.splitlines()[1]
    qualified = int(second.split(" of ")[1].split()[0])
    assert second.startswith("3 of ") and qualified > 3
    code, out, _ = run("shortlist", str(SHIPPED_STRATEGIES / "sme-services.yaml"), "--top", "3", "--format", "json")
    assert json.loads(out)["qualified"] == qualified


# -- validate is as strict as the shortlist (items 3 and 4) -------------------------------------

MATCHED_MUST = """\
  - id: managers-dashboard
    text: Managers see reports and dashboards of the pipeline
    objective: repeat-business
    department: sales
    priority: must
"""


def _design_plan(tmp_path: Path, extra: str) -> Path:
    plan = tmp_path / "plan.yaml"
    plan.write_text(DESIGN_STRATEGY.read_text() + extra)
    return plan


def test_a_matched_must_that_no_product_offers_fails_validate_strict(tmp_path: Path) -> None:
    plan = _design_plan(tmp_path, MATCHED_MUST)
    code, out, _ = run("validate", "--strict", "--catalog", str(DESIGN_CATALOG), str(plan))
    assert code == 1
    assert "warning must-have 'managers-dashboard' needs reports-dashboards, which no product" in out
    code, out, _ = run("validate", "--catalog", str(DESIGN_CATALOG), str(plan))
    assert code == 0 and "must-unavailable" in out


def test_a_locked_must_that_no_product_offers_fails_validate_strict(tmp_path: Path) -> None:
    plan = _design_plan(tmp_path, MATCHED_MUST.replace("Managers see reports and dashboards of the pipeline",
                                                       "Managers know where the quarter stands"))
    (tmp_path / "plan.lock.yaml").write_text(
        "version: 1\nrequirements:\n  managers-dashboard:\n"
        f"    text_sha256: {text_hash('Managers know where the quarter stands')}\n"
        "    features: [reports-dashboards]\n"
    )
    code, out, _ = run("validate", "--strict", "--catalog", str(DESIGN_CATALOG), str(plan))
    assert code == 1
    assert "plan.yaml:" in out and "must-have 'managers-dashboard' needs reports-dashboards" in out


def test_a_requirement_changed_since_locking_fails_validate_strict(tmp_path: Path) -> None:
    plan = Path(shutil.copy(SHIPPED_STRATEGIES / "sme-services.yaml", tmp_path / "plan.yaml"))
    shutil.copy(SHIPPED_STRATEGIES / "sme-services.lock.yaml", tmp_path / "plan.lock.yaml")
    assert run("validate", "--strict", str(plan))[0] == 0
    text = plan.read_text()
    assert "with the current day rates filled in" in text
    plan.write_text(text.replace("with the current day rates filled in", "with last year's rates"))
    code, out, _ = run("validate", "--strict", str(plan))
    assert code == 1
    assert ("plan.lock.yaml:24:18: warning requirement 'standard-fee-proposals' changed since it was locked; its "
            "locked features are not used, and the matcher's fresh proposal stands in") in out


# -- rendering from the library (item 11) -------------------------------------------------------


def test_render_gives_what_each_command_prints(tmp_path: Path) -> None:
    catalog = load_catalog(DESIGN_CATALOG, today=DESIGN_TODAY)
    strategy = load_strategy(DESIGN_STRATEGY, catalog)
    decisions, _ = settle_features(DESIGN_STRATEGY, strategy, catalog)
    base = [str(DESIGN_STRATEGY), "--catalog", str(DESIGN_CATALOG), "--no-lock"]
    result = shortlist(strategy, catalog, decisions)
    for name in ("json", "csv", "markdown", "html"):
        target = tmp_path / f"report.{name}"
        assert CliRunner().invoke(cli, ["shortlist", *base, "--format", name, "-o", str(target)]).exit_code == 0
        assert render(result, name) == target.read_text(encoding="utf-8"), name
    assert render(result) == CliRunner().invoke(cli, ["shortlist", *base]).stdout
    assert render(frontier(strategy, catalog, decisions), "json") == CliRunner().invoke(
        cli, ["frontier", *base, "--format", "json"]).stdout
    explanation = explain(strategy, catalog, "acme-crm", decisions)
    assert render(explanation) == CliRunner().invoke(cli, ["explain", *base[:3], "acme-crm", "--no-lock"]).stdout
    assert render(decisions) == CliRunner().invoke(cli, ["match", str(DESIGN_STRATEGY), "--catalog",
                                                         str(DESIGN_CATALOG)]).stdout


def test_render_names_the_formats_a_result_has() -> None:
    catalog = load_catalog(DESIGN_CATALOG, today=DESIGN_TODAY)
    strategy = load_strategy(DESIGN_STRATEGY, catalog)
    decisions, _ = settle_features(DESIGN_STRATEGY, strategy, catalog)
    with pytest.raises(ValueError, match="a Frontier renders as table, json; not as 'html'"):
        render(frontier(strategy, catalog, decisions), "html")


# -- what-if everywhere, and recorded (item 7) ---------------------------------------------------


def test_a_what_if_report_says_so_and_records_the_run(tmp_path: Path) -> None:
    base = ["shortlist", str(SHIPPED_STRATEGIES / "sme-services.yaml"), "--format", "html"]
    plain, what_if = tmp_path / "plain.html", tmp_path / "what-if.html"
    assert CliRunner().invoke(cli, [*base, "-o", str(plain)]).exit_code == 0
    assert CliRunner().invoke(cli, [*base, "--set", "users.sales=30", "-o", str(what_if)]).exit_code == 0
    assert "What-if run" not in plain.read_text() and "users.sales=30" not in plain.read_text()
    assert ('<p class="what-if"><strong>What-if run</strong>, not the strategy as written: users.sales=30</p>'
            in what_if.read_text())
    code, out, _ = run("shortlist", str(SHIPPED_STRATEGIES / "sme-services.yaml"), "--format", "json",
                       "--set", "users.sales=30", "--set", "budget=none")
    recorded = json.loads(out)["run"]
    assert code == 0
    assert recorded["settings"] == ["users.sales=30", "budget=none"]
    assert recorded["run_date"] == "2026-12-01"  # SOURCE_DATE_EPOCH, set for the tests
    assert recorded["vendormatch"] and len(recorded["catalog"]["sha256"]) == 64
    assert recorded["catalog"]["as_of_first"] <= recorded["catalog"]["as_of_last"]


def test_the_catalogue_identity_changes_with_any_fact_and_only_then(tmp_path: Path) -> None:
    catalog = Path(shutil.copytree(DESIGN_CATALOG, tmp_path / "catalog"))
    before = load_catalog(catalog, today=DESIGN_TODAY).identity
    product = catalog / "vendors" / "acme-crm.yaml"
    product.write_text(product.read_text().replace("per_user_month: 49", "per_user_month: 48"))
    after = load_catalog(catalog, today=DESIGN_TODAY).identity
    assert before.sha256 != after.sha256
    assert (before.products, before.as_of_first) == (after.products, after.as_of_first) == (1, "2026-09")


def test_explain_and_match_take_what_ifs() -> None:
    strategy = str(SHIPPED_STRATEGIES / "sme-services.yaml")
    plain = run("explain", strategy, "vtiger")
    what_if = run("explain", strategy, "vtiger", "--set", "users.sales=30")
    assert plain[0] == what_if[0] == 0
    assert "WHAT-IF" not in plain[1]
    assert "WHAT-IF, not the strategy as written: users.sales=30" in what_if[1]
    assert "41 users" in what_if[1] and "41 users" not in plain[1]
    matched = run("match", strategy, "--set", "requirements.fee-outlook.priority=must")
    assert matched[0] == 0
    assert run("match", strategy, "--set", "users.salse=3")[0] == 2
    refused = run("match", strategy, "--lock", "--set", "users.sales=30")
    assert refused[0] == 2 and "drop --set to write it" in refused[2]


# -- when nothing, or little, qualifies (item 6) --------------------------------------------------

SMALL_FEATURES = """\
features:
  must-thing: {name: The must-have}
  feature-a: {name: Feature A}
  feature-b: {name: Feature B}
"""


def _small_catalog(root: Path, editions: str) -> Path:
    write_tree(root, {
        "catalog/features.yaml": SMALL_FEATURES,
        "catalog/vendors/alpha.yaml": product_yaml("alpha", editions, extra="lacks: [feature-b]\n"),
    })
    return root / "catalog"


def _small_strategy(root: Path, extra: str = "", ry_priority: str = "should") -> Path:
    write_tree(root, {"plan.yaml": f"""\
organisation: Small Ltd
currency: USD
horizon_years: 1
users: {{sales: 2, service: 1}}
{extra}objectives:
  x: {{statement: X, kpi: x, weight: 3}}
  y: {{statement: Y, kpi: y, weight: 2}}
requirements:
  - {{id: rm, text: t, objective: x, department: sales, priority: must, features: [must-thing]}}
  - {{id: rx, text: t, objective: x, department: sales, priority: should, features: [feature-a]}}
  - {{id: ry, text: t, objective: y, department: sales, priority: {ry_priority}, features: [feature-b]}}
  - {{id: rs, text: t, objective: y, department: service, priority: should, features: [feature-a]}}
"""})
    return root / "plan.yaml"


ONE = edition_yaml("one", 10, "[must-thing, feature-a]")


def test_a_floor_exclusion_names_the_department_and_its_best_reach(tmp_path: Path) -> None:
    catalog = _small_catalog(tmp_path, ONE)
    plan = _small_strategy(tmp_path, "min_department_coverage: 0.9\n")
    code, out, _ = run("shortlist", str(plan), "--catalog", str(catalog), "--format", "json")
    assert code == 0
    [excluded] = json.loads(out)["excluded"]
    # sales: rm 9 + rx 6 met of 9 + 6 + 4; service: rs met in full.
    assert excluded["reasons"] == [
        "no bundle reaches the department floor min_department_coverage=0.9 in sales (its best bundle there "
        "reaches 79%)"]


def test_when_nothing_qualifies_the_closest_fits_say_what_stops_them(tmp_path: Path) -> None:
    catalog = _small_catalog(tmp_path, ONE)
    plan = _small_strategy(tmp_path, "budget: 100\n", ry_priority="must")
    code, out, _ = run("shortlist", str(plan), "--catalog", str(catalog), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["rankings"] == []
    [fit] = data["closest"]
    assert (fit["product"], fit["edition"], fit["add_ons"], fit["cost_total"]) == ("alpha", "one", [], 360.0)
    assert fit["score"] == round((9 + 6 + 4) / (9 + 6 + 6 + 4), 6)  # ry (a must, weight 3 x 2) unmet
    assert fit["misses"] == data["excluded"][0]["reasons"]
    assert "feature-b" in " ".join(fit["misses"])
    table = run("shortlist", str(plan), "--catalog", str(catalog))[1]
    assert "Closest fits (nothing qualifies)" in table and "alpha: one would score 76%, USD 360" in table


def test_explain_shows_the_best_bundle_once_every_constraint_is_lifted(tmp_path: Path) -> None:
    catalog = _small_catalog(tmp_path, ONE)
    plan = _small_strategy(tmp_path, "budget: 100\n", ry_priority="must")
    code, out, _ = run("explain", str(plan), "alpha", "--catalog", str(catalog))
    text = " ".join(out.split())
    assert code == 0
    assert "even then it stays excluded" in text
    assert "with every must-have, the floor and the budget lifted, its best bundle would be one: score 76%, USD 360" in text
