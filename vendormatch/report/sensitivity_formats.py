"""Renderings of a Sensitivity result: pure functions from the result to text, registered by name.

- `table`: for a terminal, within 80 columns;
- `json`: the `Sensitivity` model as JSON (version 1; keys documented on the models in sensitivity_results.py).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable

from vendormatch.analysis.sensitivity_results import BudgetChange, Sensitivity, WeightChange
from vendormatch.report.data import money, what_if_text, years

WIDTH = 80


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ", break_on_hyphens=False)


def _who(product: str | None) -> str:
    return f"{product} ranks first" if product is not None else "no product qualifies"


def _weight_line(change: WeightChange) -> str:
    if not change.changed:
        return f"{change.direction}: no change of winner down to x{change.limit:g}" if change.direction == "down" \
            else f"{change.direction}: no change of winner up to x{change.limit:g}"
    floor = (f": the department floor min_department_coverage={change.floor:g} decides, since department "
             "coverage is weighed with the objectives' weights" if change.floor is not None else "")
    return (f"{change.direction}: at x{change.factor:.3g} (weight {change.weight:.4g}, "
            f"{change.relative_change:+.0%}): {_who(change.new_winner)}{floor}")


def _budget_line(change: BudgetChange, currency: str) -> str:
    if not change.changed:
        return "down: no lower budget changes the winner" if change.direction == "down" \
            else "up: no higher budget changes the winner"
    if change.any_budget:
        return (f"down: any budget at all changes the winner (its price is unknown, so it cannot be shown to fit): "
                f"{_who(change.new_winner)}")
    relative = f" ({change.relative_change:+.0%})" if change.relative_change is not None else ""
    where = "just below" if change.direction == "down" else "at"
    return f"{change.direction}: {where} {currency} {change.budget:,.2f}{relative}: {_who(change.new_winner)}"


def format_table(result: Sensitivity, *, color: bool = False) -> str:
    """The winner, the leaders, then the weight, budget and robustness findings, within 80 columns."""
    s = result.strategy
    budget = f"budget {s.currency} {money(s.budget)}" if s.budget is not None else "no budget"
    lines = [f"{s.organisation}: {s.total_users} users, {years(s)}, {budget}"[:WIDTH]]
    if what_if_text(result.run):
        lines.extend(_wrap(what_if_text(result.run), ""))
    if result.winner is None:
        # The winner is the best verified product (the weight bounds hold only for it): say why there is none.
        lines.extend(_wrap("No product qualifies on confirmed facts at these weights and this budget"
                           + ("; the leaders below qualify only if their vendors confirm what the catalogue "
                              "does not know, so there is no winner to test." if result.leaders else "."), ""))
    lines.append("")
    lines.append(f"{'#':>3}  {'Product':<24} {'Bundle':<27} {'Score':>5} {('Cost ' + s.currency):>13}")
    lines.append("-" * WIDTH)
    for leader in result.leaders:
        bundle = " + ".join((leader.edition, *leader.add_ons))
        bundle = bundle if len(bundle) <= 27 else bundle[:26] + "…"
        cost = money(leader.cost_total) if leader.cost_total is not None else ">" + money(leader.cost_known)
        lines.append(f"{leader.rank:>3}  {leader.product[:24]:<24} {bundle:<27} {leader.score * 100:>4.0f}% {cost:>13}")
    lines.append("")
    lines.extend(_wrap("Weights: the smallest change found to change the winner (to 1% of the weight)", ""))
    for objective in result.objectives:
        note = "" if objective.counted else ": no counted requirement takes its weight"
        lines.extend(_wrap(f"{objective.objective} (weight {objective.weight:g}){note}", "  "))
        if objective.counted:
            lines.extend(_wrap(_weight_line(objective.down), "    "))
            lines.extend(_wrap(_weight_line(objective.up), "    "))
    b = result.budget
    lines.append("")
    cost = f"; the winner's bundle costs {s.currency} {b.winner_cost:,.2f}" if b.winner_cost is not None else ""
    lines.extend(_wrap(f"Budget: the smallest change that changes the winner (exact){cost}", ""))
    lines.extend(_wrap(_budget_line(b.down, s.currency), "  "))
    if b.up is not None:
        lines.extend(_wrap(_budget_line(b.up, s.currency), "  "))
    r = result.robustness
    lines.append("")
    lines.append(f"Robustness: {r.scenarios:,} scenarios (seed {r.seed})")
    lines.append(f"  each multiplies every objective weight by a random factor from {1 - r.perturbation:g} to "
                 f"{1 + r.perturbation:g}")
    if r.scenarios:
        named = r.winner if r.winner is not None else "no winner"
        lines.extend(_wrap(f"{named} stays first in {r.winner_share:.1%}", "  "))
        others = [f"{w.product if w.product is not None else 'no product qualifies'} {w.share:.1%}"
                  for w in r.wins if w.product != r.winner]
        if others:
            lines.extend(_wrap("first instead: " + ", ".join(others), "  "))
    if result.run is not None:
        lines += ["", *_wrap(result.run.describe(), "")]
    return "\n".join(lines) + "\n"


def format_json(result: Sensitivity, *, color: bool = False) -> str:
    """The result as JSON: the documented, versioned shape of `Sensitivity`."""
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


#: The formats by name, as `--format` offers them.
FORMATS: dict[str, Callable[..., str]] = {"table": format_table, "json": format_json}
