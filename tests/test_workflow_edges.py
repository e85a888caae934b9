"""Edge cases of the workflows (init, sheets, questionnaires, review) that a review of them turned up."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import b2b_strategy_only
from openpyxl import Workbook, load_workbook

from vendormatch.cli.commands import cli
from vendormatch.files.strategy import load_strategy

ROOT = Path(__file__).resolve().parent.parent
B2B = ROOT / "strategies" / "b2b-distributor"
TIGHT = ROOT / "strategies" / "tight-budget.yaml"


def test_an_import_whose_result_would_not_validate_writes_nothing(tmp_path: Path) -> None:
    folder = b2b_strategy_only(tmp_path)
    for row in ("sales,Track leads,share-of-wallet,,,mobile-app|mobile-app",
                f"sales,Track leads,share-of-wallet,,{'x' * 98},"):
        sheet = tmp_path / "req.csv"
        sheet.write_text(f"department,text,objective,priority,id,features\n{row}\n", encoding="utf-8")
        outcome = CliRunner().invoke(cli, ["requirements", "import", str(sheet), "--into", str(folder)])
        assert outcome.exit_code == 1, outcome.output
        assert not (folder / "requirements").exists()


def test_an_xlsx_sheet_longer_than_the_limit_is_refused_not_cut(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "requirements"
    sheet.append(["department", "text", "objective"])
    for number in range(20_001):
        sheet.append(["sales", f"need {number}", "share-of-wallet"])
    book.save(tmp_path / "long.xlsx")
    outcome = CliRunner().invoke(cli, ["requirements", "import", str(tmp_path / "long.xlsx"), "--into",
                                       str(b2b_strategy_only(tmp_path))])
    assert outcome.exit_code == 1 and "more than 20,000 rows" in outcome.output


def test_none_in_the_features_column_round_trips_a_requirement_no_feature_serves(tmp_path: Path) -> None:
    folder = b2b_strategy_only(tmp_path)
    sheet = tmp_path / "req.csv"
    sheet.write_text("department,text,objective,features\nsales,The supplier holds ISO 27001,protect-margin,none\n",
                     encoding="utf-8")
    assert CliRunner().invoke(cli, ["requirements", "import", str(sheet), "--into", str(folder)]).exit_code == 0
    (requirement,) = [r for r in load_strategy(folder).requirements if r.text.startswith("The supplier")]
    assert requirement.features == ()
    out = tmp_path / "again.csv"
    assert CliRunner().invoke(cli, ["requirements", "export", str(folder), "-o", str(out)]).exit_code == 0
    assert ",none," in out.read_text()


def _questionnaire(tmp_path: Path) -> tuple[Path, Path]:
    plan = Path(shutil.copy(TIGHT, tmp_path / "plan.yaml"))
    shutil.copy(ROOT / "strategies" / "tight-budget.lock.yaml", tmp_path / "plan.lock.yaml")
    assert CliRunner().invoke(cli, ["rfp", str(plan), "--products", "espocrm", "-o", str(tmp_path / "rfp")]).exit_code == 0
    return plan, tmp_path / "rfp" / "rfp-espocrm.xlsx"


def test_questionnaires_refuse_duplicates_overlong_cells_and_csv_and_keep_filled_ones(tmp_path: Path) -> None:
    plan, workbook = _questionnaire(tmp_path)
    book = load_workbook(workbook)
    for row in book["cover"].iter_rows():
        if row[0].value in ("respondent", "date answered"):
            row[1].value = "Ana" if row[0].value == "respondent" else "2026-12-10"
    rows = list(book["questions"].iter_rows(min_row=2))
    rows[0][4].value, rows[1][4].value = "yes", "no"
    rows[1][0].value = rows[0][0].value  # the same feature answered twice
    rows[2][4].value, rows[2][9].value = "yes", "x" * 10_001
    book.save(workbook)
    outcome = CliRunner().invoke(cli, ["responses", "import", str(workbook), "--strategy", str(plan)])
    assert outcome.exit_code == 1, outcome.output
    assert "is answered again (first in row 2)" in outcome.output and "keep it under 10,000" in outcome.output
    assert not (tmp_path / "responses").exists()
    csv_form = tmp_path / "rfp" / "rfp-espocrm.csv"
    csv_form.write_text("feature,answer\n")
    refused = CliRunner().invoke(cli, ["responses", "import", str(csv_form), "--strategy", str(plan)])
    assert refused.exit_code == 2 and "the .xlsx workbook `vendormatch rfp` wrote" in refused.output
    filled = workbook.read_bytes()
    assert CliRunner().invoke(cli, ["rfp", str(plan), "--products", "espocrm", "-o", str(tmp_path / "rfp")]).exit_code == 0
    assert (tmp_path / "rfp" / "rfp-espocrm.xlsx.bak").read_bytes() == filled


def test_output_never_overwrites_a_response_file_and_validate_sees_two_files_for_one_product(tmp_path: Path) -> None:
    plan = Path(shutil.copy(TIGHT, tmp_path / "plan.yaml"))
    answers = tmp_path / "responses"
    answers.mkdir()
    text = "product: espocrm\nrespondent: Ana\ndate: 2026-12-10\nanswers:\n  - {feature: mobile-app, answer: 'yes'}\n"
    (answers / "espocrm.yaml").write_text(text)
    outcome = CliRunner().invoke(cli, ["shortlist", str(plan), "--no-lock", "--responses", str(answers), "--format",
                                       "json", "-o", str(answers / "espocrm.yaml")])
    assert outcome.exit_code == 2 and (answers / "espocrm.yaml").read_text() == text
    (answers / "espocrm-again.yaml").write_text(text)
    validated = CliRunner().invoke(cli, ["validate", str(plan)])
    assert validated.exit_code == 1 and "duplicate-product" in validated.output


def test_review_checks_its_date_and_can_record_that_no_feature_serves_a_requirement(tmp_path: Path) -> None:
    plan = Path(shutil.copy(TIGHT, tmp_path / "plan.yaml"))
    runner = CliRunner()
    assert runner.invoke(cli, ["match", str(plan), "--lock"]).exit_code == 0
    bad = runner.invoke(cli, ["review", str(plan), "--by", "Ann", "--on", "2027-02-31"])
    assert bad.exit_code == 2 and "is not a date written YYYY-MM-DD" in bad.output
    pending = runner.invoke(cli, ["review", str(plan), "--by", "Ann", "--on", "2026-12-07"], input="n\n" * 10)
    assert pending.exit_code == 0, pending.output
    matched = runner.invoke(cli, ["match", str(plan)])
    assert "no catalogue feature serves it" in " ".join(matched.stdout.split())
    assert runner.invoke(cli, ["validate", "--strict", str(plan)]).exit_code == 0
    # Locking again keeps that decision, as it keeps every reviewed entry.
    lock = tmp_path / "plan.lock.yaml"
    before = lock.read_bytes()
    assert runner.invoke(cli, ["match", str(plan), "--lock"]).exit_code == 0
    assert lock.read_bytes() == before


def test_init_answers_of_the_wrong_kind_and_a_file_for_a_folder_are_clear_errors(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("organisation: N\nhorizon_years: [1]\nusers: {sales: 2}\nobjectives:\n"
                       "  revenue: {statement: Grow}\n")
    wrong = CliRunner().invoke(cli, ["init", str(tmp_path / "n"), "--answers", str(answers)])
    assert wrong.exit_code == 1 and "answers.yaml:2:16: error horizon_years:" in wrong.output
    answers.write_text("organisation: N\nbudget: 1e20\nusers: {sales: 2}\nobjectives:\n  revenue: {statement: Grow}\n")
    big = CliRunner().invoke(cli, ["init", str(tmp_path / "n"), "--answers", str(answers)])
    assert big.exit_code == 1 and "a budget is a number from 0 to" in big.output and not (tmp_path / "n").exists()
    (tmp_path / "afile").write_text("x")
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "afile"), "--answers", str(answers)]).exit_code == 2


def test_a_day_the_calendar_lacks_is_refused_and_weigh_mends_broken_judgements(tmp_path: Path) -> None:
    plan = Path(shutil.copy(TIGHT, tmp_path / "plan.yaml"))
    answers = tmp_path / "responses"
    answers.mkdir()
    (answers / "espocrm.yaml").write_text("product: espocrm\nrespondent: Ana\ndate: 2027-02-31\nanswers: []\n")
    outcome = CliRunner().invoke(cli, ["validate", str(plan)])
    assert outcome.exit_code == 1 and "'2027-02-31' is not a day of the calendar" in outcome.output
    plan.write_text(plan.read_text().replace("[win-cafes, low-overhead, 3]", "[win-cafes, low-overhead, 12]"))
    weighed = CliRunner().invoke(cli, ["weigh", str(plan)], input="win-cafes\n2\nwin-cafes\n3\nrenew-service-plans\n2\n")
    assert weighed.exit_code == 0, weighed.output
    assert "left out and judged afresh" in weighed.output and "  - [win-cafes, low-overhead, 3]\n" in weighed.output


def test_validate_fails_on_a_must_have_that_nothing_settles_as_the_shortlist_does(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(TIGHT.read_text().replace("requirements:\n", "requirements:\n  - id: lisbon\n    text: The weather "
                                              "in Lisbon is pleasant in spring\n    objective: win-cafes\n    department: "
                                              "sales\n    priority: must\n", 1), encoding="utf-8")
    shortlisted = CliRunner().invoke(cli, ["shortlist", str(plan), "--no-lock"])
    validated = CliRunner().invoke(cli, ["validate", str(plan)])
    assert shortlisted.exit_code == 1 and validated.exit_code == 1
    assert "unmatched-must" in shortlisted.output and "unmatched-must" in validated.output


def test_a_typo_in_an_objectives_own_key_suggests_renaming_it(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(TIGHT.read_text().replace("  low-overhead:\n", "  low-overhed:\n")
                    .replace(", low-overhead, ", ", low-overhed, "), encoding="utf-8")
    outcome = CliRunner().invoke(cli, ["validate", str(plan)])
    assert outcome.exit_code == 1
    assert "or, if 'low-overhead' is right, rename objective 'low-overhed' to 'low-overhead'" in outcome.output
