"""`--responses DIR`: vendors' answers applied over the catalogue, for every command that ranks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from vendormatch.cli.support import call
from vendormatch.files.catalog import Catalog
from vendormatch.files.responses import apply_responses, load_responses


def responses_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """--responses DIR: apply the vendors' answers (responses/<product>.yaml) over the catalogue."""
    return click.option(
        "--responses", "responses", type=click.Path(path_type=Path, file_okay=False), default=None,
        help="A folder of vendors' answers (written by `vendormatch responses import`), applied over the catalogue; "
             "reports show which facts came from a vendor's answer.",
    )(function)


def with_responses(catalog: Catalog, folder: Path | None) -> Catalog:
    """The catalogue with the answers of `folder` applied (unchanged without a folder); exit on errors."""
    if folder is None:
        return catalog
    responses = call(load_responses, folder, catalog)
    applied: Catalog = apply_responses(catalog, responses)
    named = ", ".join(sorted(responses)) or "none: the folder holds no response file"
    click.echo(f"vendormatch: vendors' answers applied from {folder} ({named})", err=True)
    return applied


def response_files(folder: Path | None) -> list[Path]:
    """The response files a run reads, so that -o never writes over one."""
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
