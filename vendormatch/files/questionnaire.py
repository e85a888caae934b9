"""Questionnaires for vendors (one workbook per product) and reading their answers back.

A questionnaire has a `cover` sheet (the organisation, the deadline, how to answer, and the cells
for the respondent's name and the date), the strategy's `requirements` in the business's own
words, and the `questions`: one row per feature the requirements need, decision-relevant ones
first, with columns for the answer (yes, partial, roadmap, third-party, no; a drop-down list),
the edition that includes it (a drop-down of the product's editions), the roadmap date, any
extra price, an evidence URL and a comment. Reading a filled workbook back checks every cell and
names the sheet, row and column of each mistake; nothing is imported from a file with errors.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vendormatch.files.answers import ANSWER_KINDS
from vendormatch.files.catalog import Catalog
from vendormatch.files.diagnostics import Diagnostic, UnreadableInputError, VendormatchError
from vendormatch.files.models import Product, Strategy
from vendormatch.files.responses import ResponseAnswer, ResponseFile
from vendormatch.files.schema_errors import did_you_mean
from vendormatch.files.stances import ProductStances

COVER, REQUIREMENTS, QUESTIONS = "cover", "requirements", "questions"
COLUMNS = ("feature", "question", "decision-relevant", "the catalogue says", "answer", "edition", "roadmap date",
           "extra price", "evidence url", "comment")
ANSWER_COLUMNS = ("answer", "edition", "roadmap date", "extra price", "evidence url", "comment")
#: The longest text a cell may hold (the format's limit on text).
MAX_CELL = 10_000
_DAY = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$")


def question_rows(strategy: Strategy, catalog: Catalog, product: Product, features: Sequence[str],
                  relevant: Sequence[str]) -> list[list[str]]:
    """One row per feature, decision-relevant ones first: id, the question, relevance, the catalogue's stance."""
    stances = ProductStances(product)
    ordered = [f for f in relevant if f in features] + [f for f in features if f not in relevant]
    rows = []
    for feature_id in ordered:
        feature = catalog.features[feature_id]
        best = stances.best_stance(feature_id)
        # The description's first sentence says what the feature is; the rest is the matcher's vocabulary.
        first = (feature.description or "").split(". ")[0].rstrip(".")
        question = f"Does {product.product} provide {feature.name}?" + (f" ({first}.)" if first else "")
        rows.append([feature_id, question, "yes" if feature_id in relevant else "", best.kind, "", "", "", "", "", ""])
    return rows


def write_questionnaire(path: Path, strategy: Strategy, product: Product, rows: list[list[str]], *,
                        deadline: str | None) -> None:
    """Write one vendor's questionnaire workbook to `path`, atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from vendormatch.files.output_file import replace_file

    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = COVER
    cover.append([f"Questionnaire from {strategy.organisation} for {product.product} ({product.vendor})"])
    cover["A1"].font = Font(bold=True, size=14)
    for label, value in (("product id", product.id), ("organisation", strategy.organisation),
                         ("deadline", deadline or "as agreed"), ("respondent", ""), ("date answered", "")):
        cover.append([label, value])
    cover.append([])
    for line in (
        "How to answer: fill in your name and today's date (YYYY-MM-DD) above, then, on the 'questions' sheet,",
        "give each feature an answer: yes, partial, roadmap (with its date), third-party (name the app in the",
        "comment) or no; the edition that includes it; any extra price; and a link to your documentation.",
        "Questions marked decision-relevant can change the shortlist: please answer those first.",
    ):
        cover.append([line])
    cover.column_dimensions["A"].width = 22
    cover.column_dimensions["B"].width = 60
    needs = book.create_sheet(REQUIREMENTS)
    needs.append(["department", "requirement", "priority", "objective"])
    for r in (r for r in strategy.requirements if r.priority != "wont"):
        objective = strategy.objectives.get(r.objective or "")
        needs.append([r.department or "", r.text, r.priority, objective.statement if objective else ""])
    sheet = book.create_sheet(QUESTIONS)
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    last = max(2, len(rows) + 1)
    for column, values in (("E", list(ANSWER_KINDS)), ("F", list(product.editions))):
        listed = ",".join(values)
        if len(listed) < 250:
            rule = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=True,
                                  error=f"Choose one of: {', '.join(values)}")
            sheet.add_data_validation(rule)
            rule.add(f"{column}2:{column}{last}")
    for letter, width in zip("ABCDEFGHIJ", (24, 70, 10, 12, 12, 16, 12, 16, 30, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    replace_file(path, buffer.getvalue())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return " ".join(str(value).split())


def read_responses(path: Path, catalog: Catalog) -> ResponseFile:
    """Read a filled questionnaire; VendormatchError naming the sheet, row and column of every mistake."""
    from openpyxl import load_workbook

    shown = str(path)
    if path.suffix.lower() != ".xlsx":
        raise UnreadableInputError([Diagnostic(shown, 0, 0, "error", "unreadable",
                                               "a filled questionnaire is the .xlsx workbook `vendormatch rfp` wrote "
                                               "(its csv and markdown forms are for reading, not for answering)")])
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableInputError([Diagnostic(shown, 0, 0, "error", "unreadable",
                                               f"not a readable .xlsx workbook ({type(exc).__name__})")]) from exc
    try:
        missing = [s for s in (COVER, QUESTIONS) if s not in book.sheetnames]
        if missing:
            raise VendormatchError([Diagnostic(shown, 0, 0, "error", "sheet-missing",
                                               f"no sheet {', '.join(repr(m) for m in missing)}: answer in the "
                                               "questionnaire `vendormatch rfp` wrote")])
        cover = [[_cell(c) for c in row] for row in book[COVER].iter_rows(values_only=True, max_row=50)]
        grid = [[_cell(c) for c in row] for row in book[QUESTIONS].iter_rows(values_only=True, max_row=5000)]
    finally:
        book.close()
    found: list[Diagnostic] = []

    def wrong(sheet: str, row: int, column: int, code: str, message: str) -> None:
        letter = chr(64 + column) if column <= 26 else str(column)
        found.append(Diagnostic(shown, row, column, "error", code, f"sheet '{sheet}', row {row}, column {letter}: {message}"))

    labels = {row[0].lower(): (number, row[1] if len(row) > 1 else "") for number, row in enumerate(cover, start=1) if row}
    facts = {}
    for label in ("product id", "respondent", "date answered"):
        number, value = labels.get(label, (0, ""))
        if not number:
            wrong(COVER, 1, 1, "sheet-missing-field", f"no '{label}' row; keep the cover sheet as it was written")
        elif not value:
            wrong(COVER, number, 2, "sheet-bad-value", f"'{label}' is empty: fill it in")
        facts[label] = (number, value)
    product = catalog.products.get(facts["product id"][1])
    if facts["product id"][1] and product is None:
        wrong(COVER, facts["product id"][0], 2, "unknown-product",
              f"unknown product '{facts['product id'][1]}'{did_you_mean(facts['product id'][1], catalog.products)}")
    if facts["date answered"][1] and not _DAY.match(facts["date answered"][1]):
        wrong(COVER, facts["date answered"][0], 2, "sheet-bad-value",
              f"'{facts['date answered'][1]}' is not a date written YYYY-MM-DD")
    header = [h.lower() for h in (grid[0] if grid else [])]
    columns = {name: header.index(name) + 1 for name in ("feature", *ANSWER_COLUMNS) if name in header}
    for name in ("feature", *ANSWER_COLUMNS):
        if name not in columns:
            wrong(QUESTIONS, 1, 1, "sheet-missing-column", f"no column '{name}'; keep the header row as it was written")
    answers: list[ResponseAnswer] = []
    answered: dict[str, int] = {}
    if len(columns) == 1 + len(ANSWER_COLUMNS):
        for number, row in enumerate(grid[1:], start=2):
            cells = {name: (row[i - 1] if i - 1 < len(row) else "") for name, i in columns.items()}
            if not cells["answer"]:
                continue
            if cells["feature"] in answered:
                wrong(QUESTIONS, number, columns["feature"], "duplicate-answer",
                      f"'{cells['feature']}' is answered again (first in row {answered[cells['feature']]}); "
                      "answer each feature once")
            answered.setdefault(cells["feature"], number)
            for name, value in cells.items():
                if len(value) > MAX_CELL:
                    wrong(QUESTIONS, number, columns[name], "sheet-bad-value",
                          f"the {name} is {len(value):,} characters long; keep it under {MAX_CELL:,}")
            answer, edition = cells["answer"].lower(), cells["edition"] or None
            if cells["feature"] not in catalog.features:
                wrong(QUESTIONS, number, columns["feature"], "unknown-feature",
                      f"unknown feature '{cells['feature']}'{did_you_mean(cells['feature'], catalog.features)}")
            if answer not in ANSWER_KINDS:
                wrong(QUESTIONS, number, columns["answer"], "sheet-bad-value",
                      f"answer '{cells['answer']}' is not one of {', '.join(ANSWER_KINDS)}")
            if edition is not None and product is not None and edition not in product.editions:
                wrong(QUESTIONS, number, columns["edition"], "unknown-edition",
                      f"'{product.id}' has no edition '{edition}'{did_you_mean(edition, product.editions)}; "
                      f"editions: {', '.join(product.editions)}")
            roadmap = cells["roadmap date"] or None
            if roadmap is not None and not _MONTH.match(roadmap):
                wrong(QUESTIONS, number, columns["roadmap date"], "sheet-bad-value",
                      f"'{roadmap}' is not a date written YYYY-MM or YYYY-MM-DD")
            evidence = cells["evidence url"] or None
            if evidence is not None and not evidence.startswith(("https://", "http://")):
                wrong(QUESTIONS, number, columns["evidence url"], "sheet-bad-value",
                      f"'{evidence}' is not a web address (https://...)")
            if not found:
                answers.append(ResponseAnswer(feature=cells["feature"], answer=answer, edition=edition,  # type: ignore[arg-type]
                                              roadmap_date=roadmap, extra_price=cells["extra price"] or None,
                                              evidence=evidence, comment=cells["comment"] or None))
    if found:
        raise VendormatchError(found)
    assert product is not None
    return ResponseFile(product=product.id, respondent=facts["respondent"][1], date=facts["date answered"][1],
                        imported_from=path.name, answers=tuple(answers))
