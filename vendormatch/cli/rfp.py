"""`vendormatch rfp` (questionnaires out) and `vendormatch responses import` (answers in)."""

from __future__ import annotations

from pathlib import Path

import click

from vendormatch.cli.options import no_lock_option
from vendormatch.cli.support import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    call,
    catalog_option,
    echo_diagnostics,
    load_catalog_option,
    load_inputs,
    semantic_option,
    settle,
)


@click.command("rfp")
@click.argument("strategy_path", metavar="STRATEGY", type=click.Path(path_type=Path))
@catalog_option
@click.option("--products", required=True, help="The products to send a questionnaire to, separated by commas.")
@click.option("--format", "output_format", type=click.Choice(["xlsx", "csv", "markdown"]), default="xlsx",
              show_default=True, help="xlsx: cover, requirements and questions with drop-down lists; csv or markdown.")
@click.option("-o", "--output", "folder", type=click.Path(path_type=Path, dir_okay=True, file_okay=False),
              required=True, help="The folder for the questionnaires (rfp-<product>.xlsx, one per product).")
@click.option("--deadline", default=None, help="The date answers are due, shown on the cover.")
@click.option("--top", type=click.IntRange(min=1), default=3, show_default=True,
              help="Questions whose answer could change the top K or the winner come first, marked.")
@no_lock_option
@semantic_option
def rfp_command(*, strategy_path: Path, catalog_dir: Path | None, products: str, output_format: str, folder: Path,
                deadline: str | None, top: int, no_lock: bool) -> None:
    """Write one questionnaire per vendor: the strategy's needs, and a question for every feature they need.

    Answers come back with `vendormatch responses import`.
    """
    from vendormatch.analysis.rfp import write_rfp

    catalog, checked = load_inputs(strategy_path, catalog_dir)
    decisions = settle(strategy_path, checked, catalog, no_lock)
    assert checked.strategy is not None
    chosen = [p.strip() for p in products.split(",") if p.strip()]
    from vendormatch.files.schema_errors import did_you_mean

    unknown = [p for p in chosen if p not in catalog.products]
    if unknown or not chosen:
        raise click.BadParameter(
            "; ".join(f"no product '{p}' in the catalogue{did_you_mean(p, catalog.products)}" for p in unknown)
            or "name at least one product", param_hint="--products")
    for path in call(write_rfp, checked.strategy, catalog, chosen, folder, decisions=decisions,
                     output_format=output_format, deadline=deadline, top=top):
        click.echo(f"vendormatch: wrote {path}", err=True)


@click.group("responses")
def responses_group() -> None:
    """Vendors' answers to the questionnaires of `vendormatch rfp`."""


@responses_group.command("import")
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@catalog_option
@click.option("--strategy", "strategy_path", type=click.Path(path_type=Path), default=None,
              help="Write the response files into a `responses` folder beside this strategy.")
@click.option("--responses", "folder", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Write the response files into this folder instead.")
def import_command(workbooks: tuple[Path, ...], catalog_dir: Path | None, strategy_path: Path | None,
                   folder: Path | None) -> None:
    """Turn filled questionnaires into response files (responses/<product>.yaml), one per product.

    Every mistake is reported with its sheet, row and column; nothing is imported from a workbook
    with errors (the others are). Apply the answers with `--responses DIR` on shortlist, explain,
    frontier, sensitivity and questions.
    """
    from vendormatch.files.response_import import import_responses

    if folder is None:
        if strategy_path is None:
            raise click.UsageError("say where the response files go: --strategy STRATEGY or --responses DIR")
        folder = (strategy_path if strategy_path.is_dir() else strategy_path.parent) / "responses"
    missing = [w for w in workbooks if not w.is_file()]
    if missing:
        raise click.UsageError(f"no such file: {missing[0]}")
    catalog = load_catalog_option(catalog_dir)
    written, problems = call(import_responses, list(workbooks), catalog, folder)
    echo_diagnostics(problems)
    for path in written:
        click.echo(f"vendormatch: wrote {path}", err=True)
    if problems:
        click.echo(f"vendormatch: {len(workbooks) - len(written)} workbook(s) not imported: fix them and import again",
                   err=True)
        # A file that is not a questionnaire at all is unreadable input (2); a wrongly filled one is a finding (1).
        raise SystemExit(EXIT_USAGE if any(d.code == "unreadable" for d in problems) else EXIT_FINDINGS)
