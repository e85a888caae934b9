"""Renderings of a Shortlist: pure functions from the result to text, registered by name."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable

from vendormatch.results import Ranking, Shortlist

WIDTH = 80


def _money(value: float | None, unknown: str = "unknown") -> str:
    return unknown if value is None else f"{value:,.0f}"


def _bundle(ranking: Ranking) -> str:
    return " + ".join((ranking.edition, *ranking.add_ons))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _cost_cell(ranking: Ranking) -> str:
    if ranking.cost_total is not None:
        return _money(ranking.cost_total)
    if ranking.cost_known > 0:
        return f">{_money(ranking.cost_known)}?"
    return "unknown"


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ", break_on_hyphens=False)


def format_table(result: Shortlist) -> str:
    """A plain table that fits 80 columns: rank, product, bundle, score, cost, top gaps; then exclusions."""
    s = result.strategy
    lines: list[str] = []
    budget = f", budget {s.currency} {_money(s.budget)}" if s.budget is not None else ", no budget"
    years = f"{s.horizon_years:g} year" + ("" if s.horizon_years == 1 else "s")
    lines.append(_cut(f"{s.organisation}: {s.total_users} users, {years}{budget}", WIDTH))
    lines.append(f"{len(result.rankings)} ranked, {len(result.excluded)} excluded, "
                 f"{s.requirements_counted} requirements scored")
    if result.unscored:
        lines.append("")
        lines.extend(_wrap(f"NOT SCORED ({len(result.unscored)}): these requirements count in no score until "
                           "their features are settled (pin them, or review `vendormatch match --lock`)", ""))
        for item in result.unscored:
            lines.extend(_wrap(f"! {item.id} [{item.priority}, {item.status}]", "  "))
    lines.append("")
    header = f"{'#':>3}  {'Product':<20} {'Bundle':<21} {'Score':>5} {('Cost ' + s.currency):>11}  Gaps"
    lines.append(header)
    lines.append("-" * WIDTH)
    for r in result.rankings:
        gaps = ", ".join(r.gaps) if r.gaps else "-"
        row = (f"{r.rank:>3}  {_cut(r.product, 20):<20} {_cut(_bundle(r), 21):<21} {r.score * 100:>4.0f}%"
               f" {_cost_cell(r):>11}  ")
        lines.append(row + _cut(gaps, WIDTH - len(row)))
    if not result.rankings:
        lines.append("  (no product qualifies: see the exclusions below)")
    if any(r.cost_total is None for r in result.rankings):
        lines.append("  >N? = the known part of the cost; some item's price is unknown (see --format json)")
    if result.excluded:
        lines.append("")
        lines.append(f"Excluded ({len(result.excluded)}):")
        for e in result.excluded:
            lines.extend(_wrap(f"{e.product}: {'; '.join(e.reasons)}", "  "))
    for warning in result.warnings:
        lines.extend(_wrap(f"warning: {warning}", ""))
    return "\n".join(lines) + "\n"


def format_json(result: Shortlist) -> str:
    """The result as JSON: the documented, versioned shape of `Shortlist`."""
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[Shortlist], str]] = {
    "table": format_table,
    "json": format_json,
}
