"""`vendormatch weigh`: judge the strategy's objectives in pairs and get the weights and the YAML to paste."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from vendormatch.cli.support import EXIT_FINDINGS, call, echo_diagnostics
from vendormatch.files.diagnostics import has_errors
from vendormatch.files.loader import DEFAULT_LIMITS, load_yaml
from vendormatch.files.models import Objective, Strategy
from vendormatch.files.pairwise import MAX_OBJECTIVES, MAX_RATIO, derive, judgements_yaml
from vendormatch.files.schema_errors import validate_model
from vendormatch.files.strategy import strategy_main_file

Judgement = tuple[str, str, int]
SCALE = "2 slightly, 3 moderately, 5 strongly, 7 very strongly, 9 extremely (4, 6, 8 in between)"


def _ask(a: str, b: str, objectives: dict[str, Objective], earlier: Judgement | None) -> Judgement:
    click.echo(f"\n  {a}: {objectives[a].statement}\n  {b}: {objectives[b].statement}")
    default = "equal" if earlier is not None and earlier[2] == 1 else earlier[0] if earlier is not None else None
    more = click.prompt("Which matters more", type=click.Choice([a, b, "equal"]), default=default)
    if more == "equal":
        return (a, b, 1)
    less = b if more == a else a
    kept = earlier[2] if earlier is not None and earlier[0] == more and earlier[2] > 1 else None
    intensity = click.prompt(f"How much more does {more} matter? {SCALE}", type=click.IntRange(2, 9), default=kept)
    return (more, less, intensity)


@click.command("weigh")
@click.argument("strategy_path", metavar="STRATEGY", type=click.Path(path_type=Path))
def weigh_command(strategy_path: Path) -> None:
    """Weigh the strategy's objectives by judging them in pairs (Saaty's 1-9 scale).

    Asks which of each two objectives matters more and by how much (the strategy's own
    judgements are the defaults), then prints the weights, the consistency ratio and the
    `weights: pairwise` block to paste into the strategy. It never edits the strategy: while the
    judgements contradict each other (ratio above 0.1), it offers to revise the one that strays
    furthest.
    """
    doc = call(load_yaml, strategy_main_file(strategy_path), DEFAULT_LIMITS)
    strategy, errors = validate_model(Strategy, doc.data, doc)
    if (strategy is None or has_errors(errors)) and isinstance(doc.data, dict):
        # Broken judgements are what weigh is for: read the rest, and judge afresh.
        rest = {k: v for k, v in doc.data.items() if k not in ("weights", "judgements")}
        strategy, others = validate_model(Strategy, rest, doc)
        if strategy is not None and not has_errors(others):
            click.echo("vendormatch: the strategy's judgements have errors; they are left out and judged afresh",
                       err=True)
            errors = others
    if strategy is None or has_errors(errors):
        echo_diagnostics(errors)
        click.echo("vendormatch: fix the strategy's errors first (vendormatch validate)", err=True)
        sys.exit(EXIT_FINDINGS)
    objectives = dict(strategy.objectives)
    names = list(objectives)
    if len(names) < 2:
        click.echo("The strategy has one objective: there is nothing to weigh.")
        return
    if len(names) > MAX_OBJECTIVES:
        raise click.UsageError(f"pairwise weights take at most {MAX_OBJECTIVES} objectives; this strategy has {len(names)}")
    earlier = {frozenset(j[:2]): j for j in strategy.judgements}
    click.echo(f"{len(names) * (len(names) - 1) // 2} pairs of objectives to judge.")
    judgements = [_ask(a, b, objectives, earlier.get(frozenset((a, b)))) for i, a in enumerate(names) for b in names[i + 1:]]
    while True:
        derived = derive(names, judgements)
        click.echo("\nWeights (they average 1):")
        for name in names:
            click.echo(f"  {name:<30} {derived.weights[name]:g}")
        click.echo(f"Consistency ratio {derived.consistency_ratio:.3f} (at most {MAX_RATIO:g} accepted)")
        if derived.consistency_ratio <= MAX_RATIO or derived.worst is None:
            break
        more, less, intensity = judgements[derived.worst]
        click.echo(f"The judgements contradict each other; [{more}, {less}, {intensity}] strays furthest "
                   f"(the others put {more} at {derived.implied:.2g} times {less}).")
        if not click.confirm("Judge that pair again?", default=True):
            click.echo("vendormatch: the judgements stay inconsistent; `validate` will refuse them", err=True)
            sys.exit(EXIT_FINDINGS)
        judgements[derived.worst] = _ask(more, less, objectives, None)
    click.echo("\nPaste this into the strategy, and remove each objective's `weight:`:\n")
    click.echo(judgements_yaml(judgements), nl=False)
