"""Questionnaires out, answers in: real workbooks written, filled, read back and applied to a real shortlist."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from vendormatch.cli.commands import cli
from vendormatch.files.answers import Answer, apply_answer
from vendormatch.files.catalog import load_catalog
from vendormatch.files.stances import ProductStances

ROOT = Path(__file__).resolve().parent.parent
STRATEGY = ROOT / "strategies" / "tight-budget.yaml"


def _plan(tmp_path: Path) -> Path:
    plan = Path(shutil.copy(STRATEGY, tmp_path / "plan.yaml"))
    shutil.copy(ROOT / "strategies" / "tight-budget.lock.yaml", tmp_path / "plan.lock.yaml")
    return plan


def _fill(path: Path, answers: dict[str, list[str]], respondent: str = "Ana Vendor", day: str = "2026-12-10") -> None:
    """Answer a questionnaire as a vendor would: the cover's name and date, then answer, edition, ... per feature."""
    book = load_workbook(path)
    for row in book["cover"].iter_rows(min_row=1, max_row=8):
        if row[0].value == "respondent":
            row[1].value = respondent
        if row[0].value == "date answered":
            row[1].value = day
    for row in book["questions"].iter_rows(min_row=2):
        for offset, value in enumerate(answers.get(str(row[0].value), [])):
            row[4 + offset].value = value
    book.save(path)


def test_questions_out_answers_in_and_the_shortlist_changes_exactly_as_answered(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    runner = CliRunner()
    asked = json.loads(runner.invoke(cli, ["questions", str(plan), "--format", "json"]).stdout)
    first = asked["questions"][0]
    assert (first["product"], first["feature"], first["impact"]) == ("espocrm", "mobile-app", 2)
    written = runner.invoke(cli, ["rfp", str(plan), "--products", "espocrm,hubspot-sales-hub", "-o", str(tmp_path / "out"),
                                  "--deadline", "2027-01-15"])
    assert written.exit_code == 0, written.output
    book = load_workbook(tmp_path / "out" / "rfp-espocrm.xlsx")
    assert book.sheetnames == ["cover", "requirements", "questions"]
    cover = {row[0]: row[1] for row in book["cover"].iter_rows(values_only=True) if row and row[0]}
    assert cover["product id"] == "espocrm" and cover["deadline"] == "2027-01-15"
    questions = list(book["questions"].iter_rows(values_only=True))
    assert questions[1][:4] == ("mobile-app", questions[1][1], "yes", "unknown")  # decision-relevant first
    assert {r[2] for r in questions[2:]} == {None}
    from vendormatch.files.strategy import load_strategy

    counted = [r for r in load_strategy(plan).requirements if r.priority != "wont"]
    assert len(list(book["requirements"].iter_rows())) == 1 + len(counted)  # a won't-have is not sent to vendors
    _fill(tmp_path / "out" / "rfp-espocrm.xlsx", {"mobile-app": ["yes", "", "", "", "https://docs.espocrm.com/"]})
    _fill(tmp_path / "out" / "rfp-hubspot-sales-hub.xlsx", {"case-management": ["no", "", "", "", "", "tickets only"]},
          respondent="Hub Rep")
    imported = runner.invoke(cli, ["responses", "import", str(tmp_path / "out" / "rfp-espocrm.xlsx"),
                                   str(tmp_path / "out" / "rfp-hubspot-sales-hub.xlsx"), "--strategy", str(plan)])
    assert imported.exit_code == 0, imported.output
    assert sorted(p.name for p in (tmp_path / "responses").iterdir()) == ["espocrm.yaml", "hubspot-sales-hub.yaml"]
    assert runner.invoke(cli, ["validate", "--strict", str(tmp_path)]).exit_code == 0
    with_answers = runner.invoke(cli, ["shortlist", str(plan), "--responses", str(tmp_path / "responses"), "--format", "json"])
    assert with_answers.exit_code == 0, with_answers.output
    assert "vendors' answers applied" in with_answers.stderr
    # The same shortlist as the catalogue with the two answers written in by hand, and espocrm now leads.
    catalog = load_catalog()
    espo = apply_answer(catalog.products["espocrm"], Answer("mobile-app", "yes", "Ana Vendor", "2026-12-10",
                                                            evidence="https://docs.espocrm.com/"))
    hub = apply_answer(catalog.products["hubspot-sales-hub"],
                       Answer("case-management", "no", "Hub Rep", "2026-12-10", comment="tickets only"))
    by_hand = tmp_path / "cat"
    shutil.copytree(ROOT / "catalog", by_hand)
    for product in (espo, hub):
        (by_hand / "vendors" / f"{product.id}.yaml").write_text(json.dumps(product.model_dump(mode="json",
                                                                                               exclude_defaults=True)))
    expected = runner.invoke(cli, ["shortlist", str(plan), "--catalog", str(by_hand), "--format", "json"])
    ours, theirs = json.loads(with_answers.stdout), json.loads(expected.stdout)
    assert [(r["product"], r["score"], r["cost_total"]) for r in ours["rankings"]] == [
        (r["product"], r["score"], r["cost_total"]) for r in theirs["rankings"]]
    assert ours["rankings"][0]["product"] == "espocrm"
    notes = [t["note"] for o in ours["rankings"][0]["requirements"] for t in o["features"] if t["feature"] == "mobile-app"]
    assert notes and all(n.startswith("vendor's answer (Ana Vendor, 2026-12-10): yes") for n in notes)
    markdown = runner.invoke(cli, ["shortlist", str(plan), "--responses", str(tmp_path / "responses"), "--format",
                                   "markdown"]).stdout
    assert "vendor's answer (Ana Vendor, 2026-12-10): yes; https://docs.espocrm.com/" in markdown
    explained = runner.invoke(cli, ["explain", str(plan), "espocrm", "--responses", str(tmp_path / "responses")])
    assert "mobile-app: community [vendor's answer (Ana Vendor, 2026-12-10)]" in " ".join(explained.stdout.split())


def test_a_wrongly_filled_workbook_is_located_and_imports_nothing(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["rfp", str(plan), "--products", "espocrm,agile-crm", "-o", str(tmp_path / "out")]).exit_code == 0
    bad, good = tmp_path / "out" / "rfp-espocrm.xlsx", tmp_path / "out" / "rfp-agile-crm.xlsx"
    _fill(bad, {"mobile-app": ["maybe"], "web-forms": ["yes", "gold"], "calendar-tasks": ["roadmap", "", "next year"],
                "case-management": ["yes", "", "", "", "docs.espocrm.com"]}, day="10/12/2026")
    _fill(good, {"data-import-dedup": ["partial", "", "", "", "", "no merge of duplicates"]})
    outcome = runner.invoke(cli, ["responses", "import", str(bad), str(good), "--responses", str(tmp_path / "answers")])
    assert outcome.exit_code == 1
    rows = {row[0].value: number for number, row in enumerate(load_workbook(bad)["questions"].iter_rows(), start=1)}
    located = {tuple(int(n) for n in line.split(" error ")[0].rstrip(":").split(":")[-2:])
               for line in outcome.stderr.splitlines() if "rfp-espocrm.xlsx:" in line and " error " in line}
    assert located == {(6, 2), (rows["mobile-app"], 5), (rows["web-forms"], 6), (rows["calendar-tasks"], 7),
                       (rows["case-management"], 9)}
    assert (f"sheet 'questions', row {rows['mobile-app']}, column E: answer 'maybe' is not one of yes, partial, "
            "roadmap") in outcome.stderr
    assert "sheet 'cover', row 6, column B: '10/12/2026' is not a date written YYYY-MM-DD" in outcome.stderr
    assert [p.name for p in (tmp_path / "answers").iterdir()] == ["agile-crm.yaml"]
    response = (tmp_path / "answers" / "agile-crm.yaml").read_text()
    assert "answer: partial" in response and "comment: no merge of duplicates" in response


def test_answers_replace_every_other_stance_of_their_feature() -> None:
    catalog = load_catalog()
    hub = catalog.products["hubspot-sales-hub"]
    editions = list(hub.editions)
    top = editions[-1]

    def kinds(product_id: str, answer: Answer) -> set[str]:
        changed = apply_answer(catalog.products[product_id], answer)
        return {ProductStances(changed).stance(e, answer.feature).kind for e in changed.editions}

    assert kinds("hubspot-sales-hub", Answer("case-management", "yes", "x", "2026-12-10")) == {"full"}
    assert kinds("hubspot-sales-hub", Answer("case-management", "no", "x", "2026-12-10")) == {"absent"}
    assert kinds("hubspot-sales-hub", Answer("case-management", "third-party", "x", "2026-12-10", comment="Zendesk")) == {
        "third-party"}
    assert kinds("hubspot-sales-hub", Answer("case-management", "partial", "x", "2026-12-10")) == {"partial"}
    only_top = apply_answer(hub, Answer("conversation-intelligence", "yes", "x", "2026-12-10", edition=top))
    stances = ProductStances(only_top)
    assert stances.stance(top, "conversation-intelligence").kind == "full"
    assert stances.stance(editions[0], "conversation-intelligence").kind != "full"


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_questionnaires_as_csv_and_markdown(tmp_path: Path, fmt: str) -> None:
    plan = _plan(tmp_path)
    outcome = CliRunner().invoke(cli, ["rfp", str(plan), "--products", "espocrm", "--format", fmt, "-o", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    text = (tmp_path / f"rfp-espocrm.{'csv' if fmt == 'csv' else 'md'}").read_text()
    assert "mobile-app" in text.splitlines()[1] or "| `mobile-app` |" in text
    unknown = CliRunner().invoke(cli, ["rfp", str(plan), "--products", "espocrn", "-o", str(tmp_path)])
    assert unknown.exit_code == 2 and "did you mean 'espocrm'?" in unknown.output


def test_the_shortlist_and_frontier_as_workbooks_for_procurement(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    runner = CliRunner()
    answers = tmp_path / "responses"
    answers.mkdir()
    (answers / "espocrm.yaml").write_text("product: espocrm\nrespondent: Ana Vendor\ndate: 2026-12-10\nanswers:\n"
                                          "  - {feature: mobile-app, answer: 'yes'}\n")
    base = ["shortlist", str(plan), "--responses", str(answers)]
    assert runner.invoke(cli, [*base, "--format", "xlsx"]).exit_code == 2  # a workbook needs -o
    assert runner.invoke(cli, [*base, "--format", "xlsx", "-o", str(tmp_path / "s.xlsx")]).exit_code == 0
    shown = json.loads(runner.invoke(cli, [*base, "--format", "json"]).stdout)
    book = load_workbook(tmp_path / "s.xlsx")
    assert book.sheetnames == ["ranking", "compliance", "costs", "exclusions", "gaps"]
    ranking = list(book["ranking"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[8]) for r in ranking] == [(r["rank"], r["product"], r["cost_total"]) for r in shown["rankings"]]
    compliance = list(book["compliance"].iter_rows(values_only=True))
    leaders = list(compliance[0][4:])
    assert leaders[0] == "espocrm" and len(compliance) - 1 == sum(
        1 for r in shown["strategy"]["requirements"] if r["priority"] != "wont")
    row = next(r for r in compliance if r[0] == "machine-history-on-phone")
    assert row[4] == "100% (full; vendor answer)"
    assert {r[0] for r in book["exclusions"].iter_rows(min_row=2, values_only=True)} == {
        e["product"] for e in shown["excluded"]}
    assert runner.invoke(cli, ["frontier", str(plan), "--format", "xlsx", "-o", str(tmp_path / "f.xlsx")]).exit_code == 0
    frontier = json.loads(runner.invoke(cli, ["frontier", str(plan), "--format", "json"]).stdout)
    points = list(load_workbook(tmp_path / "f.xlsx")["frontier"].iter_rows(min_row=2, values_only=True))
    assert [(p[0], p[3]) for p in points] == [(p["product"], p["cost_total"]) for p in frontier["points"]]
