"""Costs beyond licences: estimates per product or per deployment kind enter the total cost of ownership
and the budget, and a self-hosted product without a hosting estimate says so in every report."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from conftest import write_tree

from vendormatch.cli.commands import cli
from vendormatch.files.catalog import load_catalog
from vendormatch.files.strategy import load_strategy
from vendormatch.solve.shortlist import shortlist

HEAD = "vendor: V\nproduct: P\nurl: https://example.com\nas_of: 2026-09\nlicense: x\ncurrency: USD\n"


def _files(tmp_path: Path, costs: str, budget: str = "") -> Path:
    return write_tree(tmp_path, {
        "catalog/features.yaml": "features:\n  pipeline: {name: Pipeline}\n",
        "catalog/vendors/cloudy.yaml": "id: cloudy\ndeployment: saas\n" + HEAD
        + "editions:\n  pro:\n    name: Pro\n    price: {per_user_month: 20}\n    features: [pipeline]\n",
        "catalog/vendors/homegrown.yaml": "id: homegrown\ndeployment: self-hosted\n" + HEAD
        + "editions:\n  community:\n    name: Community\n    price: {flat_month: 0}\n    features: [pipeline]\n",
        "s.yaml": "organisation: T\ncurrency: USD\nhorizon_years: 2\nusers: {sales: 5}\n" + budget
        + "objectives: {g: {statement: s, kpi: deals}}\nrequirements:\n"
          "  - {id: deals, text: t, objective: g, department: sales, features: [pipeline]}\n" + costs,
    })


def test_estimates_enter_the_total_and_a_product_estimate_replaces_its_kinds(tmp_path: Path) -> None:
    root = _files(tmp_path, "costs:\n"
                  "  - {kind: implementation, deployment: saas, one_time: 5000}\n"
                  "  - {kind: implementation, product: cloudy, one_time: 2000, note: partner quote}\n"
                  "  - {kind: hosting, deployment: self-hosted, monthly: 300}\n"
                  "  - {kind: support, product: homegrown, monthly: 100, one_time: 1000}\n")
    catalog = load_catalog(root / "catalog")
    result = shortlist(load_strategy(root / "s.yaml", catalog), catalog)
    by_id = {r.product: r for r in result.rankings}
    # cloudy: 5 x 20 x 24 = 2,400 licences + the partner's 2,000 (the saas-wide 5,000 is replaced).
    assert by_id["cloudy"].cost_total == 4400.0
    assert [(c.kind, c.item, c.total) for c in by_id["cloudy"].cost_lines] == [
        ("edition", "pro", 2400.0), ("estimate", "implementation", 2000.0)]
    # homegrown: 0 licences + hosting 300 x 24 + support 100 x 24 + 1,000.
    assert by_id["homegrown"].cost_total == 7200.0 + 3400.0
    assert by_id["homegrown"].cost_notes == ()
    assert [r.product for r in result.rankings] == ["cloudy", "homegrown"]


def test_an_estimate_can_price_a_product_out_of_the_budget(tmp_path: Path) -> None:
    root = _files(tmp_path, "costs:\n  - {kind: migration, product: cloudy, one_time: 9000}\n", budget="budget: 5000\n")
    catalog = load_catalog(root / "catalog")
    result = shortlist(load_strategy(root / "s.yaml", catalog), catalog)
    assert [r.product for r in result.rankings] == ["homegrown"]
    (excluded,) = result.excluded
    assert excluded.product == "cloudy" and "costs USD 11,400" in excluded.reasons[0]


def test_hosting_not_included_is_said_in_every_report(tmp_path: Path) -> None:
    root = _files(tmp_path, "")
    runner = CliRunner()
    outputs = {}
    for form in ("table", "markdown", "html", "csv", "json"):
        run = runner.invoke(cli, ["shortlist", str(root / "s.yaml"), "--catalog", str(root / "catalog"),
                                  "--format", form])
        assert run.exit_code == 0, run.output
        outputs[form] = run.stdout
    note = "hosting not included: homegrown is self-hosted and the strategy estimates no hosting"
    for form in ("table", "markdown", "html"):
        assert note in " ".join(outputs[form].split()), form
    rows = {row["product"]: row for row in csv.DictReader(io.StringIO(outputs["csv"]))}
    assert rows["homegrown"]["cost_notes"].startswith(note) and rows["cloudy"]["cost_notes"] == ""
    ranked = {r["product"]: r for r in json.loads(outputs["json"])["rankings"]}
    assert ranked["homegrown"]["cost_notes"][0].startswith(note)
    explain = runner.invoke(cli, ["explain", str(root / "s.yaml"), "homegrown", "--catalog", str(root / "catalog")])
    assert explain.exit_code == 0, explain.output
    assert note in " ".join(explain.stdout.split())
