"""Requirements to and from spreadsheets (.xlsx or .csv), for the departments' workshops.

A sheet has a header row naming its columns (any order, any case): `department`, `text`,
`objective` and `priority` (must, should, could or wont; blank reads as should), and optionally
`id` (made from the text when blank), `features` (pinned feature ids separated by commas, `a|b`
for alternatives, `none` for a requirement no feature serves) and `weight`. Importing turns the rows into the folder form of a
strategy, one `requirements/<department>.yaml` per department, checked against the strategy's
objectives and departments when `strategy.yaml` is there. Every mistake is reported with its
sheet, row and column, and nothing is written while any row is wrong. Exporting writes the same
columns, with drop-down lists in .xlsx, so that the round trip works.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vendormatch.files.diagnostics import Diagnostic, UnreadableInputError, VendormatchError
from vendormatch.files.kpi_data import data_requirement_ids
from vendormatch.files.models import ID_PATTERN, MAX_WEIGHT, MIN_WEIGHT, AnyOf, Strategy, is_kebab_id
from vendormatch.files.output_file import replace_file
from vendormatch.files.schema_errors import did_you_mean

COLUMNS = ("id", "department", "text", "objective", "priority", "features", "weight")
REQUIRED = ("department", "text", "objective")
PRIORITIES = ("must", "should", "could", "wont")
#: What the features cell says of a requirement pinned to no feature (`features: []`).
NO_FEATURE = "none"
SHEET = "requirements"
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Sheet:
    """The header's columns (name -> 1-based index) and the rows below it as text (row number, cells)."""

    file: str
    name: str
    columns: dict[str, int]
    rows: list[tuple[int, dict[str, str]]]

    def where(self, row: int, column: str) -> str:
        """`sheet 'x', row 5, column C (priority)`: how a message names a cell."""
        return f"sheet '{self.name}', row {row}, column {_letter(self.columns.get(column, 1))} ({column})"


def _letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _grid(path: Path) -> tuple[str, list[list[str]]]:
    """The sheet's name and its cells as text, row by row."""
    shown = str(path)
    if path.suffix.lower() == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UnreadableInputError([Diagnostic(shown, 0, 0, "error", "unreadable",
                                                   f"cannot read the CSV file ({exc}); save it as UTF-8 CSV")]) from exc
        return path.stem, [[_text(c) for c in row] for row in csv.reader(io.StringIO(text))]
    if path.suffix.lower() != ".xlsx":
        raise UnreadableInputError([Diagnostic(shown, 0, 0, "error", "unreadable",
                                               "a requirements sheet is an .xlsx workbook or a .csv file")])
    from openpyxl import load_workbook  # only when a workbook is read: it costs a tenth of a second

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableInputError([Diagnostic(shown, 0, 0, "error", "unreadable",
                                               f"not a readable .xlsx workbook ({type(exc).__name__}); save it again "
                                               "from the spreadsheet program as Excel Workbook (.xlsx)")]) from exc
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = [[_text(c) for c in row] for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
        return sheet.title, rows
    finally:
        book.close()


def read_sheet(path: Path) -> Sheet:
    """Read a requirements sheet; a missing required column is an error located at the header row."""
    name, grid = _grid(path)
    header = grid[0] if grid else []
    columns = {cell.strip().lower(): i for i, cell in enumerate(header, start=1) if cell.strip()}
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise VendormatchError([Diagnostic(
            str(path), 1, 1, "error", "sheet-missing-column",
            f"sheet '{name}', row 1: no column {', '.join(repr(m) for m in missing)}; the header row names the "
            f"columns {', '.join(COLUMNS)} (id optional)")])
    rows = []
    for number, row in enumerate(grid[1:], start=2):
        cells = {c: (row[i - 1] if i - 1 < len(row) else "") for c, i in columns.items() if c in COLUMNS}
        if any(cells.values()):
            rows.append((number, cells))
    return Sheet(str(path), name, {c: i for c, i in columns.items() if c in COLUMNS}, rows)


def _slug(text: str, taken: set[str]) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())[:6] or ["requirement"]
    base = "-".join(words)[:48].strip("-") or "requirement"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _features(cell: str) -> list[str | dict[str, list[str]]]:
    """Pinned features as a cell writes them: ids separated by commas, alternatives joined by |."""
    items: list[str | dict[str, list[str]]] = []
    for part in (p.strip() for p in cell.split(",")):
        members = [m.strip() for m in part.split("|") if m.strip()]
        if members:
            items.append({"any": members} if len(members) > 1 else members[0])
    return items


def _weight(cell: str) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if MIN_WEIGHT <= value <= MAX_WEIGHT else None


def import_rows(
    sheet: Sheet, strategy: Strategy | None, existing_ids: set[str], known_features: Collection[str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The sheet's requirements by department, in row order; VendormatchError with every wrong cell, located."""
    found: list[Diagnostic] = []

    def wrong(row: int, column: str, code: str, message: str) -> None:
        found.append(Diagnostic(sheet.file, row, sheet.columns.get(column, 1), "error", code,
                                f"{sheet.where(row, column)}: {message}"))

    if not sheet.rows:
        raise VendormatchError([Diagnostic(sheet.file, 2, 1, "error", "sheet-empty",
                                           f"sheet '{sheet.name}' has no requirement rows under its header")])
    if len(sheet.rows) > MAX_ROWS:
        raise VendormatchError([Diagnostic(sheet.file, MAX_ROWS + 2, 1, "error", "sheet-too-long",
                                           f"sheet '{sheet.name}' has more than {MAX_ROWS:,} rows; split it")])
    taken = set(existing_ids)
    by_department: dict[str, list[dict[str, Any]]] = {}
    for row, cells in sheet.rows:
        department = cells.get("department", "").lower()
        objective = cells.get("objective", "")
        priority = (cells.get("priority", "") or "should").lower()
        text = cells.get("text", "")
        if not text:
            wrong(row, "text", "sheet-bad-value", "the requirement's text is empty; write the need in the business's words")
        if not is_kebab_id(department):
            wrong(row, "department", "sheet-bad-value",
                  f"'{department}' is not a department id: lower-case words joined by hyphens, like customer-service")
        elif strategy is not None and department not in strategy.users:
            wrong(row, "department", "sheet-unknown-department",
                  f"unknown department '{department}'{did_you_mean(department, strategy.users)}; the strategy's "
                  f"users name: {', '.join(strategy.users)}")
        if not objective:
            wrong(row, "objective", "sheet-bad-value", "no objective: every requirement traces to one")
        elif strategy is not None and objective not in strategy.objectives:
            wrong(row, "objective", "sheet-unknown-objective",
                  f"unknown objective '{objective}'{did_you_mean(objective, strategy.objectives)}; the strategy's "
                  f"objectives are: {', '.join(strategy.objectives)}")
        elif strategy is None and not is_kebab_id(objective):
            wrong(row, "objective", "sheet-bad-value", f"'{objective}' is not an objective id ({ID_PATTERN})")
        if priority not in PRIORITIES:
            wrong(row, "priority", "sheet-bad-value",
                  f"priority '{priority}' is not one of {', '.join(PRIORITIES)}{did_you_mean(priority, PRIORITIES)}")
        requirement_id = cells.get("id", "") or _slug(text, taken)
        if not is_kebab_id(requirement_id):
            wrong(row, "id", "sheet-bad-value", f"'{requirement_id}' is not an id: lower-case words joined by hyphens")
        elif requirement_id in taken:
            wrong(row, "id", "sheet-duplicate-id", f"id '{requirement_id}' is used twice; give each requirement its own")
        taken.add(requirement_id)
        requirement: dict[str, Any] = {"id": requirement_id, "text": text, "objective": objective, "priority": priority}
        if cells.get("features", "").lower() == NO_FEATURE:
            requirement["features"] = []  # pinned to no feature: a condition the catalogue cannot serve
        pinned = _features(cells.get("features", "") if cells.get("features", "").lower() != NO_FEATURE else "")
        for feature in (f for item in pinned for f in (item["any"] if isinstance(item, dict) else [item])):
            if not is_kebab_id(feature):
                wrong(row, "features", "sheet-bad-value", f"'{feature}' is not a feature id")
            elif known_features is not None and feature not in known_features:
                wrong(row, "features", "sheet-unknown-feature",
                      f"unknown feature '{feature}'{did_you_mean(feature, known_features)}; `vendormatch catalog "
                      "--features` lists them")
        if pinned:
            requirement["features"] = pinned
        if cells.get("weight", ""):
            weight = _weight(cells["weight"])
            if weight is None:
                wrong(row, "weight", "sheet-bad-value",
                      f"weight '{cells['weight']}' is not a number from {MIN_WEIGHT:g} to {MAX_WEIGHT:g}; leave it blank "
                      "to derive it from the objective and the priority")
            else:
                requirement["weight"] = weight
        by_department.setdefault(department, []).append(requirement)
    if found:
        raise VendormatchError(found)
    return by_department


def requirement_files(by_department: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, str]:
    """The YAML text of each `requirements/<department>.yaml`."""
    header = "# Imported from a requirements sheet by `vendormatch requirements import`.\n"
    return {
        department: header + yaml.safe_dump({"requirements": [dict(r) for r in rows]}, sort_keys=False,
                                            allow_unicode=True, width=100)
        for department, rows in sorted(by_department.items())
    }


def _holds_requirements(path: Path) -> bool:
    """Whether a requirements file holds anything to lose: `vendormatch init` writes them empty, to be filled."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))  # our own small file: PyYAML's safe loader is enough
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return True
    return not (isinstance(data, dict) and set(data) == {"requirements"} and not data["requirements"])


def backup(path: Path) -> Path:
    """Keep a copy of a file about to be replaced: `x.yaml.bak`, or `x.yaml.bak2`, ... when that exists."""
    target, number = path.with_name(path.name + ".bak"), 2
    while target.exists():
        target, number = path.with_name(f"{path.name}.bak{number}"), number + 1
    target.write_bytes(path.read_bytes())
    return target


def write_requirement_files(folder: Path, texts: Mapping[str, str], *, replace: bool) -> list[Path]:
    """Write the files into `folder/requirements/`; without `replace`, an existing file that holds requirements
    stops everything first (an empty one, as `vendormatch init` writes them, is replaced; every old file is kept
    beside the new one as .yaml.bak)."""
    target = folder / "requirements"
    paths = [target / f"{department}.yaml" for department in texts]
    clashes = [p for p in paths if p.exists()]
    if not replace and any(_holds_requirements(p) for p in clashes):
        raise VendormatchError([Diagnostic(str(p), 0, 0, "error", "would-overwrite",
                                           "already exists and was left as it is; move it away, or pass --replace "
                                           "to replace it (its old content is kept beside it as .yaml.bak, .yaml.bak2, ...)")
                                for p in clashes if _holds_requirements(p)])
    target.mkdir(parents=True, exist_ok=True)
    for path in clashes:
        backup(path)
    for path, text in zip(paths, texts.values(), strict=True):
        replace_file(path, text, newline="\n")
    return paths


def sheet_rows(strategy: Strategy) -> Iterator[list[str]]:
    """The strategy's requirements as sheet rows (header first)."""
    yield list(COLUMNS)
    derived = data_requirement_ids(strategy)
    for r in (r for r in strategy.requirements if r.id not in derived):
        pinned = "" if r.features is None else ", ".join(describe_cell(item) for item in r.features) or NO_FEATURE
        yield [r.id, r.department or "", r.text, r.objective or "", r.priority, pinned,
               f"{r.weight:g}" if r.weight is not None else ""]


def describe_cell(item: str | AnyOf) -> str:
    """A pinned feature as a cell writes it: its id, or alternatives joined by |."""
    return "|".join(item.any) if isinstance(item, AnyOf) else item
