"""`vendormatch match`: each requirement's features, from pins, the lock file and the matcher."""

from __future__ import annotations

import json
from pathlib import Path

import click

from vendormatch.cli.options import set_option
from vendormatch.cli.support import (
    call,
    catalog_option,
    echo_diagnostics,
    embedding_notice,
    load_catalog_option,
    match_options,
    semantic_option,
    use_cache,
    with_settings,
)


@click.command("match")
@click.argument("strategy_path", metavar="STRATEGY", type=click.Path(path_type=Path))
@catalog_option
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table: fits 80 columns; json: {\"requirements\": [{id, status, features, candidates}]}.")
@click.option("--lock", "write_lock", is_flag=True,
              help="Write the mapping to a lock file beside the strategy (x.lock.yaml) for review.")
@semantic_option
@set_option
def match_command(strategy_path: Path, catalog_dir: Path | None, output_format: str, write_lock: bool,
                  settings: tuple[str, ...]) -> None:
    """Match each requirement's text to catalogue features; pinned and locked features win.

    Ambiguous and unmatched requirements propose candidates but choose nothing: pin their
    features in the strategy, or correct the lock file written by --lock.
    """
    from vendormatch.files.strategy import check_strategy
    from vendormatch.match.lockfile import LockedMatch, match_strategy
    from vendormatch.match.matcher import format_match_table, match_to_json

    if settings and write_lock:
        raise click.UsageError("--lock records the reviewed mapping of the strategy as written; "
                               "drop --set to write it, or --lock to try a what-if")
    catalog = load_catalog_option(catalog_dir)
    strategy = None
    if settings:
        # Checked here only to apply the settings: match_strategy reports the strategy's findings once.
        checked = call(check_strategy, strategy_path, catalog)
        if checked.strategy is not None:
            strategy = with_settings(checked, settings, catalog).strategy
    options = match_options()
    embedding_notice(catalog)  # match_strategy always runs the matcher
    outcome: LockedMatch = call(match_strategy, strategy_path, catalog, options=options, write=write_lock,
                                strategy=strategy, cache=use_cache())
    echo_diagnostics(outcome.diagnostics)
    if output_format == "json":
        click.echo(json.dumps(match_to_json(outcome.result), indent=2))
    else:
        click.echo(format_match_table(outcome.result), nl=False)
    review = outcome.result.needing_review()
    if review:
        click.echo(
            f"vendormatch: {len(review)} requirement(s) ambiguous or unmatched: "
            "pin their features or review them in the lock file", err=True,
        )
    if outcome.written is not None:
        click.echo(f"vendormatch: wrote {outcome.written}", err=True)
