"""The command line: a thin shell that parses options, calls one library function and renders."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from vendormatch import schemas
from vendormatch.catalog import Catalog, load_catalog
from vendormatch.catalog_listing import format_catalog, format_features
from vendormatch.diagnostics import Diagnostic, VendormatchError

T = TypeVar("T")

EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


def _echo_diagnostics(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)


def _fail(error: VendormatchError) -> NoReturn:
    _echo_diagnostics(error.diagnostics)
    errors = sum(1 for d in error.diagnostics if d.severity == "error")
    click.echo(f"vendormatch: {errors} error(s); nothing was written", err=True)
    sys.exit(error.exit_code)


def call(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a library function, turning its located errors into messages and an exit code."""
    try:
        return function(*args, **kwargs)
    except VendormatchError as exc:
        _fail(exc)


catalog_option = click.option(
    "--catalog", "catalog_dir", type=click.Path(path_type=Path), default=None,
    help="Catalogue folder (features.yaml + vendors/). Default: the embedded catalogue.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="vendormatch")
def cli() -> None:
    """Pick CRM software from your strategy, not from a vendor's feature list."""


@cli.command("catalog")
@catalog_option
@click.option("--features", "show_features", is_flag=True, help="List the feature taxonomy instead of products.")
def catalog_command(catalog_dir: Path | None, show_features: bool) -> None:
    """List the catalogue's products, editions and prices (or its features)."""
    catalog: Catalog = call(load_catalog, catalog_dir)
    _echo_diagnostics(catalog.warnings)
    click.echo(format_features(catalog) if show_features else format_catalog(catalog), nl=False)


@cli.command("schema")
@click.argument("kind", type=click.Choice(sorted(schemas.SCHEMAS)))
def schema_command(kind: str) -> None:
    """Print the JSON Schema of a file format (for editors and other validators)."""
    click.echo(json.dumps(schemas.json_schema(kind), indent=2, sort_keys=True))


def main() -> None:
    """Console entry point: never lets a traceback reach the user."""
    try:
        cli(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("vendormatch: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: say so plainly instead of dumping a traceback
        click.echo(
            f"vendormatch: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in vendormatch; please report it with the command and files that caused it.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
