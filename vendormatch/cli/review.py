"""`vendormatch review`: walk through the lock entries nobody has reviewed yet, and record the decisions."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click

from vendormatch.cli.support import call, catalog_option, load_catalog_option, use_cache
from vendormatch.files.alternatives import any_key, describe
from vendormatch.match.review import PendingReview, check_decision, pending_reviews, record_reviews

CHOICES = ("[a]ccept, 1-5 take that candidate, [k]eep an earlier review, [p]ick features, [n]o feature serves it, "
           "[s]kip, [q]uit and save")


def _reviewer() -> str | None:
    return os.environ.get("VENDORMATCH_REVIEWER") or None


def _show(number: int, total: int, item: PendingReview) -> None:
    click.echo(f"\n[{number}/{total}] {item.requirement} ({item.status})\n  {item.text}")
    proposed = ", ".join(describe(k) for k in item.features) if item.features else "nothing (not decided)"
    click.echo(f"  proposed: {proposed}")
    if item.reason:
        click.echo(f"  why: {item.reason}")
    if item.earlier:
        kept = ", ".join(describe(k) for k in item.earlier)
        click.echo(f"  reviewed before ({item.earlier_review}) for its earlier wording: {kept}  [k keeps it]")
    for index, candidate in enumerate(item.candidates[:5], start=1):
        click.echo(f"  {index}. {candidate.feature} ({candidate.score:g}) via \"{candidate.via}\"")


def _picked(text: str) -> list[str]:
    """Feature keys from what a reviewer typed: ids separated by commas, `a|b` for alternatives."""
    keys = []
    for part in (p.strip() for p in text.split(",")):
        alternatives = list(dict.fromkeys(a.strip() for a in part.split("|") if a.strip()))
        if alternatives:
            keys.append(any_key(alternatives) if len(alternatives) > 1 else alternatives[0])
    return list(dict.fromkeys(keys))


def _day(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date written YYYY-MM-DD") from None
    if len(value) != len("2026-12-07"):
        raise click.BadParameter(f"'{value}' is not a date written YYYY-MM-DD")
    return value


@click.command("review")
@click.argument("strategy_path", metavar="STRATEGY", type=click.Path(path_type=Path))
@catalog_option
@click.option("--by", "reviewer", default=_reviewer,
              help="Who reviews, recorded in each entry [default: $VENDORMATCH_REVIEWER, else asked].")
@click.option("--on", "day", default=lambda: date.today().isoformat(), show_default="today", callback=_day,
              help="The date recorded with each review, YYYY-MM-DD.")
def review_command(strategy_path: Path, catalog_dir: Path | None, reviewer: str | None, day: str) -> None:
    """Review the lock entries nobody has checked: accept, take another candidate, or pick features.

    Walks through every requirement whose mapping is the matcher's proposal (or has no lock entry,
    or whose text changed), then writes the decisions into the lock file with `reviewed: {by, on}`;
    entries you skip stay as they were. Nothing is written until you finish or quit with q; Ctrl-C
    leaves the lock untouched.
    """
    catalog = load_catalog_option(catalog_dir)
    strategy, catalog, pending = call(pending_reviews, strategy_path, catalog, cache=use_cache())
    if not pending:
        click.echo("Every requirement is pinned or has a reviewed lock entry: nothing to review.")
        return
    who = reviewer or click.prompt("Your name, recorded as the reviewer")
    decisions: dict[str, list[str]] = {}
    click.echo(f"{len(pending)} requirement(s) to review. {CHOICES}.")
    for number, item in enumerate(pending, start=1):
        _show(number, len(pending), item)
        # Nothing proposed, nothing to accept: a candidate or the reviewer's own features decide.
        allowed = (["a"] if item.features else []) + (["k"] if item.earlier else []) + ["p", "n", "s", "q"]
        allowed += [str(i) for i in range(1, min(5, len(item.candidates)) + 1)]
        answer = click.prompt("  decision", type=click.Choice(allowed), default="a" if item.features else "p",
                              show_choices=False)
        if answer == "q":
            break
        if answer == "s":
            continue
        if answer == "a":
            decisions[item.requirement] = list(item.features)
        elif answer == "k":
            decisions[item.requirement] = list(item.earlier)
        elif answer == "n":
            decisions[item.requirement] = []
        elif answer == "p":
            while True:
                keys = _picked(click.prompt("  feature ids (comma-separated; a|b for alternatives)"))
                problems = check_decision(keys, catalog) if keys else ["name at least one feature id (n: none serves it)"]
                if not problems:
                    break
                click.echo("  " + "; ".join(problems), err=True)
            decisions[item.requirement] = keys
        else:
            decisions[item.requirement] = [item.candidates[int(answer) - 1].feature]
    if not decisions:
        click.echo("No decision recorded; the lock file is unchanged.")
        return
    written = call(record_reviews, strategy_path, strategy, catalog, decisions, by=who, on=day)
    click.echo(f"vendormatch: reviewed {len(decisions)} of {len(pending)}; wrote {written}", err=True)
