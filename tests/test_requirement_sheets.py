"""Requirements to and from spreadsheets: real workbooks written and read back, and every mistake located."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import b2b_strategy_only
from openpyxl import Workbook, load_workbook

from vendormatch.cli.commands import cli
from vendormatch.files.catalog import load_catalog
from vendormatch.files.diagnostics import UnreadableInputError, VendormatchError
from vendormatch.files.requirement_transfer import export_requirements, import_requirements
from vendormatch.files.workshop import questions

ROOT = Path(__file__).resolve().parent.parent
B2B = ROOT / "strategies" / "b2b-distributor"


def _book(path: Path, rows: list[list[object]], title: str = "requirements") -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_exported_workbook_has_the_columns_lists_and_workshop_questions(tmp_path: Path) -> None:
    target = export_requirements(B2B, tmp_path / "req.xlsx")
    book = load_workbook(target)
    assert book.sheetnames == ["requirements", "objectives", "how to fill"]
    sheet = book["requirements"]
    assert [c.value for c in sheet[1]] == ["id", "department", "text", "objective", "priority", "features", "weight"]
    assert sheet.max_row >= 20 and sheet["A2"].value
    ranges = {str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert set(ranges) == {"B", "D", "E"}
    assert ranges["E"] == '"must,should,could,wont"'
    guide = [row[0] for row in book["how to fill"].iter_rows(values_only=True)]
    assert f"- {questions('accounts')[0]}" in guide and "Questions for the service workshop" in guide


def test_export_then_import_gives_the_same_shortlist(tmp_path: Path) -> None:
    folder = b2b_strategy_only(tmp_path)
    sheet = export_requirements(B2B, tmp_path / "req.xlsx")
    imported = import_requirements(sheet, folder, catalog=load_catalog())
    assert sorted(p.name for p in imported.written) == ["accounts.yaml", "marketing.yaml", "sales.yaml", "service.yaml"]
    assert [d for d in imported.diagnostics if d.severity == "error"] == []
    runner = CliRunner()
    original = runner.invoke(cli, ["shortlist", str(B2B), "--no-lock", "--format", "json"])
    again = runner.invoke(cli, ["shortlist", str(folder), "--no-lock", "--format", "json"])
    assert original.exit_code == again.exit_code == 0
    ranking = [(r["product"], r["score"], r["cost_total"]) for r in json.loads(original.stdout)["rankings"]]
    assert ranking == [(r["product"], r["score"], r["cost_total"]) for r in json.loads(again.stdout)["rankings"]]


def test_every_wrong_cell_is_located_and_nothing_is_written(tmp_path: Path) -> None:
    folder = b2b_strategy_only(tmp_path)
    sheet = _book(tmp_path / "bad.xlsx", [
        ["Department", "Text", "Objective", "Priority", "ID", "features"],
        ["sales", "Reps see open quotes", "protect-margin", "Must", "open-quotes", "quotes-cpq"],
        ["sales", "", "protect-margin", "should", "", ""],
        ["salse", "Log calls", "protect-margn", "urgent", "open-quotes", "telephony-call-loging"],
        [None, None, None, None, None, None],
        ["service", "Answer faster", "cost-to-serve", "", "Bad Id", "case-management|knowledge-base"],
    ])
    with pytest.raises(VendormatchError) as info:
        import_requirements(sheet, folder, catalog=load_catalog())
    found = [(d.line, d.column, d.code) for d in info.value.diagnostics]
    assert found == [
        (3, 2, "sheet-bad-value"),
        (4, 1, "sheet-unknown-department"),
        (4, 3, "sheet-unknown-objective"),
        (4, 4, "sheet-bad-value"),
        (4, 5, "sheet-duplicate-id"),
        (4, 6, "sheet-unknown-feature"),
        (6, 5, "sheet-bad-value"),
    ]
    messages = " ".join(d.message for d in info.value.diagnostics)
    assert "sheet 'requirements', row 4, column A (department)" in messages and "did you mean 'sales'?" in messages
    assert "did you mean 'telephony-call-logging'?" in messages
    assert not (folder / "requirements").exists()


def test_a_sheet_without_a_required_column_or_rows_says_so(tmp_path: Path) -> None:
    folder = b2b_strategy_only(tmp_path)
    with pytest.raises(VendormatchError) as info:
        import_requirements(_book(tmp_path / "a.xlsx", [["department", "text", "priority"], ["sales", "x", "must"]]), folder)
    assert [(d.line, d.code) for d in info.value.diagnostics] == [(1, "sheet-missing-column")]
    assert "'objective'" in info.value.diagnostics[0].message
    with pytest.raises(VendormatchError) as empty:
        import_requirements(_book(tmp_path / "b.xlsx", [["department", "text", "objective"]]), folder)
    assert [d.code for d in empty.value.diagnostics] == ["sheet-empty"]


def test_a_file_that_is_not_a_workbook_is_unreadable_input(tmp_path: Path) -> None:
    fake = tmp_path / "req.xlsx"
    fake.write_bytes(b"PK\x03\x04 this is no workbook")
    with pytest.raises(UnreadableInputError):
        import_requirements(fake, b2b_strategy_only(tmp_path))
    outcome = CliRunner().invoke(cli, ["requirements", "import", str(fake), "--into", str(tmp_path / "plan")])
    assert outcome.exit_code == 2 and "not a readable .xlsx workbook" in outcome.output


def test_csv_rows_get_ids_from_their_text_and_existing_files_are_kept_unless_replaced(tmp_path: Path) -> None:
    folder = b2b_strategy_only(tmp_path)
    sheet = tmp_path / "req.csv"
    sheet.write_text("\ufeffdepartment,text,objective,priority\n"
                     "sales,Reps see open quotes,protect-margin,\n"
                     "sales,Reps see open quotes,protect-margin,could\n", encoding="utf-8")
    imported = import_requirements(sheet, folder)
    text = (folder / "requirements" / "sales.yaml").read_text()
    assert "id: reps-see-open-quotes\n" in text and "id: reps-see-open-quotes-2\n" in text
    assert "priority: should" in text and [p.name for p in imported.written] == ["sales.yaml"]
    sheet.write_text("department,text,objective\nsales,Only one now,protect-margin\n", encoding="utf-8")
    with pytest.raises(VendormatchError) as info:
        import_requirements(sheet, folder)
    assert [d.code for d in info.value.diagnostics] == ["would-overwrite"]
    assert (folder / "requirements" / "sales.yaml").read_text() == text
    import_requirements(sheet, folder, replace=True)
    assert "Only one now" in (folder / "requirements" / "sales.yaml").read_text()
    assert (folder / "requirements" / "sales.yaml.bak").read_text() == text


def test_the_command_reports_cells_and_exits_one(tmp_path: Path) -> None:
    folder = b2b_strategy_only(tmp_path)
    sheet = tmp_path / "req.csv"
    sheet.write_text("department,text,objective,priority\nsales,Log calls,protect-margin,maybe\n", encoding="utf-8")
    outcome = CliRunner().invoke(cli, ["requirements", "import", str(sheet), "--into", str(folder)])
    assert outcome.exit_code == 1
    assert "req.csv:2:4: error sheet 'req', row 2, column D (priority): priority 'maybe'" in outcome.output
    exported = CliRunner().invoke(cli, ["requirements", "export", str(B2B), "-o", str(tmp_path / "out.csv")])
    assert exported.exit_code == 0 and (tmp_path / "out.csv").read_text().startswith("id,department,text,")
    refused = CliRunner().invoke(cli, ["requirements", "export", str(B2B), "-o", str(B2B / "strategy.yaml")])
    assert refused.exit_code == 2
