"""Importing a requirements sheet into a strategy folder, and exporting a strategy's requirements."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from vendormatch.files.catalog import Catalog, display_path, yaml_files
from vendormatch.files.diagnostics import Diagnostic, VendormatchError, has_errors
from vendormatch.files.kpi_data import data_requirement_ids
from vendormatch.files.loader import load_yaml
from vendormatch.files.models import RequirementsFile, Strategy
from vendormatch.files.requirement_sheets import import_rows, read_sheet, requirement_files, write_requirement_files
from vendormatch.files.requirement_workbook import export_csv, export_workbook
from vendormatch.files.schema_errors import validate_model
from vendormatch.files.strategy import REQUIREMENTS_DIR, STRATEGY_FILE, check_strategy, load_strategy


@dataclass(frozen=True)
class Imported:
    """The files written by an import, and what `validate` says of the strategy folder afterwards."""

    written: tuple[Path, ...]
    diagnostics: tuple[Diagnostic, ...]


def _folder_strategy(folder: Path) -> Strategy | None:
    """The folder's `strategy.yaml` read against its format (not yet its rules), or None when there is none."""
    main = folder / STRATEGY_FILE
    if not main.is_file():
        return None
    doc = load_yaml(main, display=display_path(main))
    strategy, errors = validate_model(Strategy, doc.data, doc)
    if strategy is None or has_errors(errors):
        raise VendormatchError(errors)
    return strategy


def _trial(folder: Path, texts: dict[str, str], catalog: Catalog | None) -> None:
    """Validate the folder as it would be after the import, in a scratch copy: any error stops the import
    before a file of the user's is touched (the errors name the sheet's requirements files as they would be)."""
    with tempfile.TemporaryDirectory(prefix="vendormatch-import-") as scratch:
        trial = Path(scratch) / "strategy"
        shutil.copytree(folder, trial, ignore=shutil.ignore_patterns(".*"), symlinks=True)
        (trial / REQUIREMENTS_DIR).mkdir(exist_ok=True)
        for department, text in texts.items():
            (trial / REQUIREMENTS_DIR / f"{department}.yaml").write_text(text, encoding="utf-8")
        errors = [d for d in check_strategy(trial, catalog).diagnostics if d.severity == "error"]
        if errors:
            shown = display_path(folder)
            raise VendormatchError([replace(d, file=d.file.replace(display_path(trial), shown, 1)) for d in errors])


def import_requirements(
    sheet_path: Path, folder: Path, *, replace: bool = False, catalog: Catalog | None = None
) -> Imported:
    """Read a requirements sheet (.xlsx or .csv) into `folder/requirements/<department>.yaml`.

    Rows are checked against the folder's `strategy.yaml` (objectives, departments) when it is there,
    and pinned features against the catalogue's features when one is given.
    Raises VendormatchError, writing nothing, when any row is wrong or a file would be overwritten
    without `replace`.
    """
    strategy = _folder_strategy(folder)
    if strategy is None:
        raise VendormatchError([Diagnostic(str(folder / STRATEGY_FILE), 0, 0, "error", "not-found",
                                           "no strategy here to import into: pass --into the strategy folder "
                                           "(`vendormatch init` writes one)")])
    sheet = read_sheet(sheet_path)
    departments = {row.get("department", "").lower() for _, row in sheet.rows}
    kept_ids = {r.id for r in strategy.requirements} if strategy is not None else set()
    for path in yaml_files(folder / REQUIREMENTS_DIR, []):
        if path.stem not in departments:  # files the import leaves alone keep their ids
            doc = load_yaml(path, display=display_path(path))
            existing, _ = validate_model(RequirementsFile, doc.data, doc)
            kept_ids |= {r.id for r in existing.requirements} if existing is not None else set()
    known = list(catalog.features) if catalog is not None else None
    texts = requirement_files(import_rows(sheet, strategy, kept_ids | data_requirement_ids(strategy), known))
    _trial(folder, texts, catalog)
    written = write_requirement_files(folder, texts, replace=replace)
    diagnostics = check_strategy(folder, catalog).diagnostics
    return Imported(tuple(written), tuple(diagnostics))


def export_requirements(strategy_path: Path, target: Path) -> Path:
    """Write a strategy's requirements to `target`: a workbook (.xlsx) or CSV (.csv), by its suffix."""
    strategy = load_strategy(strategy_path)
    if target.suffix.lower() == ".csv":
        return export_csv(strategy, target)
    if target.suffix.lower() == ".xlsx":
        return export_workbook(strategy, target)
    raise VendormatchError([Diagnostic(str(target), 0, 0, "error", "bad-output",
                                       "the export is written as .xlsx or .csv: name the file with one of them")])
