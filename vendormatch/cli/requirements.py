"""`vendormatch requirements import|export`: requirements to and from the departments' spreadsheets."""

from __future__ import annotations

from pathlib import Path

import click

from vendormatch.cli.support import call, catalog_option, echo_diagnostics, load_catalog_option
from vendormatch.files.output_file import check_output
from vendormatch.files.requirement_transfer import export_requirements, import_requirements
from vendormatch.files.strategy import check_strategy, lock_path


@click.group("requirements")
def requirements_group() -> None:
    """Requirements to and from spreadsheets (.xlsx or .csv) for the departments' workshops."""


@requirements_group.command("import")
@click.argument("sheet", type=click.Path(path_type=Path))
@click.option("--into", "folder", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="The strategy folder; the rows go to its requirements/<department>.yaml.")
@catalog_option
@click.option("--replace", is_flag=True,
              help="Replace requirements files that exist (each old one is kept beside it as .yaml.bak).")
def import_command(sheet: Path, folder: Path, catalog_dir: Path | None, replace: bool) -> None:
    """Read a sheet with the columns department, text, objective, priority (optionally id, features, weight).

    Every wrong cell is reported with its sheet, row and column, and nothing is written while
    any row is wrong. The rows are checked against the folder's strategy.yaml when it is there.
    """
    if not sheet.is_file():
        raise click.UsageError(f"no such file: {sheet}")
    catalog = load_catalog_option(catalog_dir)
    imported = call(import_requirements, sheet, folder, replace=replace, catalog=catalog)
    echo_diagnostics(imported.diagnostics)
    for path in imported.written:
        click.echo(f"vendormatch: wrote {path}", err=True)


@requirements_group.command("export")
@click.argument("strategy_path", metavar="STRATEGY", type=click.Path(path_type=Path))
@click.option("-o", "--output", "target", type=click.Path(path_type=Path), required=True,
              help="The workbook (.xlsx, with drop-down lists and each department's workshop questions) or .csv.")
def export_command(strategy_path: Path, target: Path) -> None:
    """Write the strategy's requirements for the departments to fill in, in the columns import reads."""
    checked = call(check_strategy, strategy_path)
    call(check_output, target, [strategy_path, *(Path(f) for f in checked.files), lock_path(strategy_path)])
    written = call(export_requirements, strategy_path, target)
    click.echo(f"vendormatch: wrote {written}", err=True)
