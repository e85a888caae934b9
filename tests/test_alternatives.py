"""Alternatives (issue 16, item 8): a requirement met by any one of several features, as
`features: [{any: [api-access, integrations-marketplace]}]`, in pinned features, lock files, the
optimiser's constraints and scores, explain and every report. The brute-force property tests in
test_optimise_properties.py draw alternatives too (randomcatalog.strategies_)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import edition_yaml, product_yaml, write_tree

from vendormatch.cli.commands import cli
from vendormatch.match.lockfile import text_hash

FEATURES = """\
features:
  api-access: {name: API access}
  integrations-marketplace: {name: Integrations marketplace}
  contact-management: {name: Contact management}
  reports-dashboards: {name: Reports and dashboards}
"""


def _product(pid: str, price: int, features: str, lacks: str) -> str:
    return product_yaml(pid, edition_yaml("one", price, features), extra=f"lacks: {lacks}\n")


def _strategy(connect: str, priority: str = "must") -> str:
    return f"""\
organisation: Alt Ltd
currency: USD
horizon_years: 1
users: {{sales: 2}}
objectives:
  grow: {{statement: Grow, kpi: orders a month, weight: 1}}
requirements:
  - id: r-connect
    text: Orders flow from the web shop into the CRM
    objective: grow
    department: sales
    priority: {priority}
{connect}
  - {{id: r-contacts, text: t, objective: grow, department: sales, priority: should, features: [contact-management]}}
"""


PINNED = "    features: [{any: [api-access, integrations-marketplace]}]"


def _setup(root: Path, strategy: str) -> tuple[Path, Path]:
    write_tree(root, {
        "catalog/features.yaml": FEATURES,
        "catalog/vendors/alpha.yaml": _product("alpha", 10, "[contact-management, api-access]",
                                               "[integrations-marketplace, reports-dashboards]"),
        "catalog/vendors/beta.yaml": _product(
            "beta", 5, "[contact-management, {feature: integrations-marketplace, level: 0.5, note: a few shops}]",
            "[api-access, reports-dashboards]"),
        "catalog/vendors/gamma.yaml": _product("gamma", 1, "[contact-management]",
                                               "[api-access, integrations-marketplace, reports-dashboards]"),
        "plan.yaml": strategy,
    })
    return root / "catalog", root / "plan.yaml"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_must_alternative_is_met_by_either_feature_in_full(tmp_path: Path) -> None:
    catalog, plan = _setup(tmp_path, _strategy(PINNED))
    code, out, err = _run("shortlist", str(plan), "--catalog", str(catalog), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [r["product"] for r in data["rankings"]] == ["alpha"]
    trace = next(o for o in data["rankings"][0]["requirements"] if o["id"] == "r-connect")["features"]
    assert [(t["feature"], t["level"], t["provided_by"], t["note"]) for t in trace] == [
        ("any:api-access|integrations-marketplace", 1.0, "one", "api-access")]
    reasons = {e["product"]: e["reasons"] for e in data["excluded"]}
    assert reasons["beta"] == ["lacks must-have: r-connect needs api-access or integrations-marketplace (offered "
                               "only in part, level 0.5: integrations-marketplace: a few shops)"]
    assert reasons["gamma"][0].startswith(
        "lacks must-have: r-connect needs api-access or integrations-marketplace (known absent")


def test_a_should_alternative_scores_its_best_member(tmp_path: Path) -> None:
    catalog, plan = _setup(tmp_path, _strategy(PINNED, priority="should"))
    code, out, _ = _run("shortlist", str(plan), "--catalog", str(catalog), "--format", "json")
    scores = {r["product"]: r["score"] for r in json.loads(out)["rankings"]}
    assert code == 0
    # Both requirements weigh 2 (a should of an objective of weight 1): beta gives r-connect at 0.5.
    assert scores == {"alpha": 1.0, "beta": 0.75, "gamma": 0.5}
    table = " ".join(_run("shortlist", str(plan), "--catalog", str(catalog), "--format", "markdown")[1].split())
    assert "api-access or integrations-marketplace (at 50%)" in table
    explained = " ".join(_run("explain", str(plan), "beta", "--catalog", str(catalog))[1].split())
    assert "api-access or integrations-marketplace: one (50%)" in explained


def test_a_locked_alternative_is_used_and_written_back_as_it_was(tmp_path: Path) -> None:
    catalog, plan = _setup(tmp_path, _strategy("    # no pinned features: the lock decides"))
    lock = tmp_path / "plan.lock.yaml"
    lock.write_text(
        "version: 1\nrequirements:\n  r-connect:\n"
        f"    text_sha256: {text_hash('Orders flow from the web shop into the CRM')}\n"
        "    status: locked\n"
        "    features:\n    - any: [api-access, integrations-marketplace]\n"
        "    text: Orders flow from the web shop into the CRM\n"
    )
    code, out, _ = _run("shortlist", str(plan), "--catalog", str(catalog), "--format", "json")
    assert code == 0
    assert [r["product"] for r in json.loads(out)["rankings"]] == ["alpha"]
    before = lock.read_text()
    code, _, err = _run("match", str(plan), "--catalog", str(catalog), "--lock")
    assert code == 0, err
    assert "- any: [api-access, integrations-marketplace]" in lock.read_text()
    assert _run("shortlist", str(plan), "--catalog", str(catalog), "--format", "json")[1] == out
    relocked = lock.read_text()
    assert relocked.split("requirements:")[1].split("r-contacts")[0] == before.split("requirements:")[1]


def test_validate_checks_each_member_and_judges_the_alternative_whole(tmp_path: Path) -> None:
    typo = PINNED.replace("integrations-marketplace]", "integration-marketplace]")
    catalog, plan = _setup(tmp_path, _strategy(typo))
    code, out, _ = _run("validate", "--catalog", str(catalog), str(plan))
    assert code == 1
    assert ("plan.yaml:13:35: error unknown feature 'integration-marketplace'; did you mean "
            "'integrations-marketplace'?") in out
    shutil.rmtree(tmp_path / "catalog")
    catalog, plan = _setup(tmp_path, _strategy(PINNED.replace("api-access", "reports-dashboards")))
    code, out, _ = _run("validate", "--strict", "--catalog", str(catalog), str(plan))
    assert code == 1
    assert ("must-have 'r-connect' needs integrations-marketplace or reports-dashboards, which no product of the "
            "catalogue offers in full") in out
    twice = _strategy("    features: [{any: [api-access, api-access]}]")
    (tmp_path / "plan.yaml").write_text(twice)
    code, out, _ = _run("validate", "--catalog", str(catalog), str(plan))
    assert code == 1 and "lists a feature twice: name each alternative once" in out
    one = _strategy("    features: [{any: [api-access]}]")
    (tmp_path / "plan.yaml").write_text(one)
    code, out, _ = _run("validate", "--catalog", str(catalog), str(plan))
    assert code == 1 and "plan.yaml:13:22: error requirements[0].features[0].any: must have at least 2 entries" in out


def test_an_alternative_of_unknowns_is_one_thing_to_confirm(tmp_path: Path) -> None:
    catalog, plan = _setup(tmp_path, _strategy(PINNED))
    # delta says nothing of either member: it qualifies if its vendor confirms one of them.
    (catalog / "vendors" / "delta.yaml").write_text(
        _product("delta", 2, "[contact-management]", "[reports-dashboards]"))
    code, out, _ = _run("shortlist", str(plan), "--catalog", str(catalog), "--format", "json")
    assert code == 0
    delta = next(r for r in json.loads(out)["rankings"] if r["product"] == "delta")
    assert (delta["band"], delta["to_confirm"], delta["unconfirmed_musts"]) == (
        "if-confirmed", ["api-access or integrations-marketplace"], ["api-access or integrations-marketplace"])
    assert delta["open_questions"] == ["api-access", "integrations-marketplace"]


def test_match_json_writes_alternatives_as_the_files_do(tmp_path: Path) -> None:
    catalog, plan = _setup(tmp_path, _strategy(PINNED))
    code, out, _ = _run("match", str(plan), "--catalog", str(catalog), "--format", "json")
    assert code == 0
    connect = next(r for r in json.loads(out)["requirements"] if r["id"] == "r-connect")
    assert (connect["status"], connect["features"]) == ("pinned", [{"any": ["api-access", "integrations-marketplace"]}])
