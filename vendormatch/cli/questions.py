"""`vendormatch questions`: the unknown or partial facts whose answer could change the leaders."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from vendormatch.cli.options import budget_option, no_lock_option, set_option, solver_option
from vendormatch.cli.responses_option import responses_option, with_responses
from vendormatch.cli.support import call, catalog_option, load_inputs, semantic_option, settle, with_settings


@click.command("questions")
@click.argument("strategy_path", metavar="STRATEGY", type=click.Path(path_type=Path))
@catalog_option
@click.option("--top", "top", type=click.IntRange(min=1), default=3, show_default=True,
              help="A fact counts when an answer moves a product into or out of the top K, or changes the winner.")
@budget_option
@solver_option
@click.option("--format", "format_name", type=click.Choice(["table", "json"]), default="table", show_default=True)
@no_lock_option
@semantic_option
@set_option
@responses_option
def questions_command(*, strategy_path: Path, catalog_dir: Path | None, top: int, budget: float | None, solver: str,
                      format_name: str, no_lock: bool, settings: tuple[str, ...], responses: Path | None) -> None:
    """List the questions for vendors whose answer could change the decision, most impactful first.

    Every unknown or partial fact the strategy's requirements need is tried as "yes" (in full, in every
    edition) and "no" (absent) by exact re-solving; bounds skip the facts that cannot matter.
    """
    from vendormatch.analysis.questions import decision_questions

    catalog, checked = load_inputs(strategy_path, catalog_dir)
    catalog = with_responses(catalog, responses)
    checked = with_settings(checked, settings, catalog)
    decisions = settle(strategy_path, checked, catalog, no_lock)
    assert checked.strategy is not None
    found = call(decision_questions, checked.strategy, catalog, decisions, top=top, budget=budget, solver=solver)
    if format_name == "json":
        click.echo(json.dumps(asdict(found), indent=2, ensure_ascii=False))
        return
    click.echo(f"Leaders: {', '.join(found.top) or 'none'} (top {found.top_k}); winner: {found.winner or 'none'}")
    click.echo(f"{found.open_facts} open facts (unknown or partial) tried; {found.solved} re-solved after the bounds; "
               f"{len(found.questions)} could change the decision.")
    for number, question in enumerate(found.questions, start=1):
        click.echo(f"\n{number}. Ask {question.product}: {question.feature} ({question.stance} in the catalogue)"
                   f"{'  [changes the winner]' if question.impact == 2 else ''}")
        click.echo(f"   if yes: {question.if_yes.summary if question.if_yes else 'no change to the leaders'}")
        click.echo(f"   if no:  {question.if_no.summary if question.if_no else 'no change to the leaders'}")
