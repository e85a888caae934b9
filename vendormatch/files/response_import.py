"""Turning filled questionnaires into response files: `responses/<product>.yaml`, one per product."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from vendormatch.files.catalog import Catalog
from vendormatch.files.diagnostics import Diagnostic, VendormatchError
from vendormatch.files.output_file import replace_file
from vendormatch.files.questionnaire import read_responses
from vendormatch.files.requirement_sheets import backup
from vendormatch.files.responses import ResponseFile

_HEADER = ("# A vendor's answers, imported by `vendormatch responses import`; apply them with --responses.\n"
           "# Each answer replaces the catalogue's fact about its feature, and reports say it is the vendor's.\n")


def response_text(response: ResponseFile) -> str:
    """The YAML of a response file."""
    data = response.model_dump(mode="json", exclude_none=True)
    return _HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def import_responses(workbooks: Sequence[Path], catalog: Catalog, folder: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Read each filled workbook and write its product's response file; a workbook with errors writes nothing.

    Returns the files written and the errors of the workbooks that were left out. An existing response
    file of the same product is replaced (its old copy kept as .yaml.bak).
    """
    written: list[Path] = []
    problems: list[Diagnostic] = []
    for workbook in workbooks:
        try:
            response = read_responses(workbook, catalog)
        except VendormatchError as exc:
            problems.extend(exc.diagnostics)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{response.product}.yaml"
        if target.exists():
            backup(target)
        replace_file(target, response_text(response), newline="\n")
        written.append(target)
    return written, problems
