"""Click options shared by several commands (the CLI's part of features that span them)."""

from __future__ import annotations

import math

import click

#: `--set PATH=VALUE`, repeatable: what-if changes to the strategy for this run (see vendormatch.analysis.whatif).
#: The command receives them as `settings: tuple[str, ...]` and applies them with `whatif.apply_settings`.
set_option = click.option(
    "--set", "settings", multiple=True, metavar="PATH=VALUE",
    help="Change the strategy for this run only, e.g. --set users.sales=30 --set budget=none (repeatable). "
         "PATH: horizon_years, budget, min_department_coverage, users.<department>, exchange_rates.<currency>, "
         "objectives.<objective>.weight, requirements.<id>.priority or .weight; VALUE is read as YAML, and none "
         "removes an optional value.",
)


def _finite_budget(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    from vendormatch.files.models import MAX_COST

    if value is not None and not (math.isfinite(value) and value <= MAX_COST):
        raise click.BadParameter(f"must be a number from 0 to {MAX_COST:,.0f}, got {value}")
    return value


#: `--budget N`: a cap on the total cost of ownership for this run, over the strategy's own.
budget_option = click.option(
    "--budget", type=click.FloatRange(min=0), default=None, callback=_finite_budget,
    help="Cap on total cost of ownership over the horizon; overrides the strategy's budget.",
)

#: `--solver highs|cbc`: the MIP solver behind every optimisation.
solver_option = click.option(
    "--solver", type=click.Choice(["highs", "cbc"]), default="highs", show_default=True,
    help="MIP solver: HiGHS in-process, or the CBC that ships with PuLP.",
)

#: `--no-lock`: match every requirement afresh instead of reading the lock file.
no_lock_option = click.option(
    "--no-lock", is_flag=True, help="Ignore the strategy's lock file and match every requirement afresh.",
)
