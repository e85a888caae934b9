"""Writing a strategy's requirements as a workbook for the departments' workshops (.xlsx or .csv).

The `requirements` sheet has the columns `requirement_sheets` imports, one row per requirement
and blank rows for new ones, with drop-down lists for department, objective and priority; the
`objectives` sheet lists what each objective means; `how to fill` gives the instructions and each
department's workshop questions.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from vendormatch.files.models import Strategy
from vendormatch.files.output_file import replace_file
from vendormatch.files.requirement_sheets import COLUMNS, PRIORITIES, SHEET, sheet_rows
from vendormatch.files.workshop import questions

#: Blank rows offered for new requirements below the existing ones.
BLANK_ROWS = 200


def export_csv(strategy: Strategy, path: Path) -> Path:
    """Write the requirements as CSV (UTF-8, header first)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(sheet_rows(strategy))
    replace_file(path, buffer.getvalue(), newline="\n")
    return path


def export_workbook(strategy: Strategy, path: Path) -> Path:
    """Write the requirements workbook (.xlsx), replacing `path` atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = SHEET
    for row in sheet_rows(strategy):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (28, 18, 80, 24, 10, 36, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    last = len(strategy.requirements) + 1 + BLANK_ROWS
    for column, values, name in (("B", list(strategy.users), "department"), ("D", list(strategy.objectives), "objective"),
                                 ("E", list(PRIORITIES), "priority")):
        listed = ",".join(values)
        if values and len(listed) < 250:  # Excel's limit on a list typed into a validation
            rule = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=True,
                                  errorTitle=f"Unknown {name}", error=f"Choose one of: {', '.join(values)}")
            sheet.add_data_validation(rule)
            rule.add(f"{column}2:{column}{last}")
    for cells in sheet.iter_rows(min_row=2, max_row=last, min_col=3, max_col=3):
        for text_cell in cells:
            text_cell.alignment = Alignment(wrap_text=True, vertical="top")
    meanings = book.create_sheet("objectives")
    meanings.append(["objective", "statement", "kpi"])
    for oid, objective in strategy.objectives.items():
        meanings.append([oid, objective.statement, objective.kpi_text or ""])
    guide = book.create_sheet("how to fill")
    guide.column_dimensions["A"].width = 110
    guide.append([f"Requirements of {strategy.organisation}: one row per need, in your own words."])
    guide.append([f"Columns of '{SHEET}': {', '.join(COLUMNS)}. id may stay blank; priority is must, should, could "
                  "or wont (blank: should). Say what you need and why, not which product feature you want; "
                  "features (pinned feature ids, a|b for alternatives) and weight may stay blank."])
    guide.append(["Read it back with: vendormatch requirements import THIS-FILE --into STRATEGY-FOLDER"])
    for department in strategy.users:
        guide.append([])
        guide.append([f"Questions for the {department} workshop"])
        guide.cell(guide.max_row, 1).font = Font(bold=True)
        for question in questions(department):
            guide.append([f"- {question}"])
    buffer = io.BytesIO()
    book.save(buffer)
    replace_file(path, buffer.getvalue())
    return path
