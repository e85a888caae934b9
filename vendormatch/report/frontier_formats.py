"""Renderings of a Frontier: pure functions from the result to text, registered by name."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from vendormatch.report.data import what_if_text
from vendormatch.solve.results import Frontier


def format_frontier_table(result: Frontier) -> str:
    """One line per efficient bundle, cheapest first: what each step up in money buys."""
    lines = [f"{result.organisation}: {len(result.points)} Pareto-efficient bundles, cheapest first"]
    if result.budget is not None:
        lines.append(f"budget {result.currency} {result.budget:,.0f}: * marks bundles within it")
    if what_if_text(result.run):
        lines.extend(textwrap.wrap(what_if_text(result.run), 80))
    lines.append("")
    lines.append(f"{'Cost ' + result.currency:>12}  {'Score':>5}  {'+Score':>6}  Product and bundle")
    lines.append("-" * 80)
    previous = None
    for point in result.points:
        gain = "" if previous is None else f"+{(point.score - previous) * 100:.0f}%"
        mark = "*" if point.within_budget else " "
        bundle = " + ".join((point.edition, *point.add_ons))
        text = f"{point.cost_total:>12,.0f}{mark} {point.score * 100:>4.0f}%  {gain:>6}  {point.product}: {bundle}"
        lines.append(text if len(text) <= 80 else text[:79] + "…")
        previous = point.score
    if not result.points:
        lines.append("  (no bundle with a known price meets every must-have)")
    if result.products_with_unknown_prices:
        lines.append("")
        lines.append("Left out, priced only in part (their unknown-priced editions and add-ons):")
        lines.append("  " + ", ".join(result.products_with_unknown_prices))
    if result.products_if_confirmed:
        lines.append("")
        lines.append("Left out, qualifying only if the vendor confirms a must-have the catalogue records as unknown:")
        lines.append("  " + ", ".join(result.products_if_confirmed))
    if result.unscored:
        lines.append(f"Not scored (features not settled): {', '.join(result.unscored)}")
    if result.run is not None:
        lines += ["", *textwrap.wrap(result.run.describe(), 80)]
    return "\n".join(lines) + "\n"


def format_frontier_json(result: Frontier) -> str:
    """The result as JSON: the documented, versioned shape of `Frontier`."""
    return result.model_dump_json(indent=2) + "\n"


FORMATS: dict[str, Callable[[Frontier], str]] = {"table": format_frontier_table, "json": format_frontier_json}
