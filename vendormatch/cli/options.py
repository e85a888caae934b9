"""Click options shared by several commands (the CLI's part of features that span them)."""

from __future__ import annotations

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
