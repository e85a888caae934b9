"""KPI data as requirements, and the KPI view: how each leading bundle captures the data, on real solves."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import edition_yaml, product_yaml, write_tree

from vendormatch.cli.commands import cli
from vendormatch.files.catalog import load_catalog
from vendormatch.files.strategy import check_strategy, load_strategy
from vendormatch.solve.shortlist import shortlist

FEATURES = """features:
  contacts: {name: Contact records}
  web-forms: {name: Web forms, capture: automatic}
  mobile: {name: Mobile app, capture: assisted}
  reports: {name: Reports}
"""
STRATEGY = """organisation: Test Ltd
currency: USD
horizon_years: 1
users: {sales: 2, service: 1}
objectives:
  grow:
    statement: Grow enquiries
    kpi:
      measure: enquiries a month
      target: 40 a month
      data:
        - {text: each enquiry from the website, captured_by: sales, frequency: each enquiry, features: [web-forms]}
        - {text: notes of each site visit, captured_by: sales, frequency: weekly, features: [mobile], priority: could}
        - {id: visit-count, text: visits per month, captured_by: service, features: [reports]}
  keep:
    statement: Keep clients
    kpi: clients renewing
requirements:
  - {id: records, text: one record per client, objective: keep, department: sales, features: [contacts]}
"""


def _catalog(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "cat", {
        "features.yaml": FEATURES,
        "vendors/formsy.yaml": product_yaml("formsy", edition_yaml("one", 10, "[contacts, web-forms, reports]"),
                                            extra="lacks: [mobile]\n"),
        "vendors/mobi.yaml": product_yaml("mobi", edition_yaml("one", 12, "[contacts, mobile, reports]"),
                                          extra="lacks: [web-forms]\n"),
    })


def test_each_datum_becomes_a_requirement_of_its_objective_and_department(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(STRATEGY)
    strategy = load_strategy(tmp_path / "plan.yaml", load_catalog(_catalog(tmp_path)))
    derived = {r.id: (r.objective, r.department, r.priority, r.features, r.text) for r in strategy.requirements}
    assert derived == {
        "records": ("keep", "sales", "should", ("contacts",), "one record per client"),
        "grow-data-1": ("grow", "sales", "should", ("web-forms",), "each enquiry from the website"),
        "grow-data-2": ("grow", "sales", "could", ("mobile",), "notes of each site visit"),
        "visit-count": ("grow", "service", "should", ("reports",), "visits per month"),
    }
    assert strategy.objectives["grow"].kpi_text == "enquiries a month; target: 40 a month"
    assert strategy.objectives["keep"].kpi_text == "clients renewing" and strategy.objectives["keep"].data == ()


def test_a_wrong_datum_is_a_located_error(tmp_path: Path) -> None:
    bad = (STRATEGY.replace("captured_by: service", "captured_by: servise")
           .replace("{id: visit-count,", "{id: records,").replace("frequency: weekly", "frequncy: weekly"))
    (tmp_path / "plan.yaml").write_text(bad)
    found = [(d.line, d.column, d.code) for d in check_strategy(tmp_path / "plan.yaml").diagnostics if d.severity == "error"]
    assert found == [(13, 64, "unknown-key")]
    (tmp_path / "plan.yaml").write_text(bad.replace("frequncy", "frequency"))
    lines = [(d.line, d.code) for d in check_strategy(tmp_path / "plan.yaml").diagnostics if d.severity == "error"]
    assert lines == [(14, "unknown-department"), (14, "duplicate-id")]


def test_the_kpi_view_says_how_each_bundle_captures_each_datum(tmp_path: Path) -> None:
    catalog = load_catalog(_catalog(tmp_path))
    (tmp_path / "plan.yaml").write_text(STRATEGY)
    result = shortlist(load_strategy(tmp_path / "plan.yaml", catalog), catalog)
    modes = {r.product: [(c.requirement, c.mode, c.features) for c in r.capture] for r in result.rankings}
    assert modes["formsy"] == [("grow-data-1", "automatic", ("web-forms",)), ("grow-data-2", "manual", ()),
                               ("visit-count", "manual", ("reports",))]
    assert modes["mobi"] == [("grow-data-1", "manual", ()), ("grow-data-2", "assisted", ("mobile",)),
                             ("visit-count", "manual", ("reports",))]
    runner = CliRunner()
    base = ["shortlist", str(tmp_path / "plan.yaml"), "--catalog", str(tmp_path / "cat"), "--no-lock"]
    markdown = runner.invoke(cli, [*base, "--format", "markdown"]).stdout
    assert "## KPI data: how each leading bundle captures it" in markdown
    assert "| `grow` · enquiries a month; target: 40 a month | each enquiry from the website | sales | each enquiry |" in markdown
    assert "- `formsy`: sales 1 of 2 by hand (weekly); service 1 of 1 by hand (frequency not given)" in markdown
    html = runner.invoke(cli, [*base, "--format", "html"]).stdout
    assert '<section id="kpi-data">' in html and '<span class="capture-assisted">assisted (mobile)</span>' in html
    data = json.loads(runner.invoke(cli, [*base, "--format", "json"]).stdout)
    capture = {r["product"]: r["capture"] for r in data["rankings"]}
    assert capture["mobi"][1] == {"objective": "grow", "measure": "enquiries a month; target: 40 a month",
                                  "data": "notes of each site visit", "requirement": "grow-data-2",
                                  "captured_by": "sales", "frequency": "weekly", "mode": "assisted",
                                  "features": ["mobile"]}


def test_a_datum_the_matcher_cannot_settle_is_not_settled_and_counts_as_typing(tmp_path: Path) -> None:
    _catalog(tmp_path)
    vague = STRATEGY.replace(", features: [reports]}", "}").replace("visits per month", "a thing about the weather")
    (tmp_path / "plan.yaml").write_text(vague)
    outcome = CliRunner().invoke(cli, ["shortlist", str(tmp_path / "plan.yaml"), "--catalog", str(tmp_path / "cat"),
                                       "--no-lock", "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    rankings = json.loads(outcome.stdout)["rankings"]
    assert {r["product"]: r["capture"][2]["mode"] for r in rankings} == {"formsy": "unsettled", "mobi": "unsettled"}


def test_the_shipped_strategies_show_the_kpi_view() -> None:
    root = Path(__file__).resolve().parent.parent / "strategies"
    for strategy in ("sme-services.yaml", "b2b-distributor"):
        outcome = CliRunner().invoke(cli, ["shortlist", str(root / strategy), "--format", "markdown"])
        assert outcome.exit_code == 0 and "## KPI data: how each leading bundle captures it" in outcome.stdout
        assert "lock-unreviewed" not in outcome.stderr


def test_a_sheet_export_leaves_the_kpi_data_in_the_kpi(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(STRATEGY)
    outcome = CliRunner().invoke(cli, ["requirements", "export", str(tmp_path / "plan.yaml"), "-o", str(tmp_path / "r.csv")])
    assert outcome.exit_code == 0, outcome.output
    assert (tmp_path / "r.csv").read_text().splitlines()[1:] == ["records,sales,one record per client,keep,should,contacts,"]
