"""Renderings of a Shortlist: pure functions from the result to text, registered by name.

- `table`: for a terminal; fits `width` columns (80 unless the caller gives the terminal's); ANSI colour
  only when the caller asks (a tty, no NO_COLOR).
- `json`: the `Shortlist` model as JSON (version 1; keys are documented on the models in results.py).
- `csv`: one row per ranked product; the columns are `CSV_COLUMNS`, then `coverage_<department>` for
  each department (sorted). Numbers are plain (`1798.00`, `0.9714`), lists are joined with `;`, an
  unknown value is an empty cell, `within_budget` is `yes`, `no` or empty (no budget, or price unknown).
- `markdown`: GitHub-flavoured Markdown, with the trace of each leading product in a `<details>` block.
- `html`: one self-contained file with inline CSS and SVG charts (see html.py).
"""

from __future__ import annotations

import csv
import io
import textwrap
from typing import Protocol

from vendormatch.report.data import (
    UNKNOWN_PRICE_NOTE,
    band_footnote,
    band_note,
    bundle,
    closest_heading,
    closest_text,
    cost_text,
    money,
    stance_summary,
    what_if_text,
    years,
)
from vendormatch.report.html import format_html
from vendormatch.report.markdown import format_markdown
from vendormatch.solve.results import COUNTED_STANCES, Ranking, Shortlist

WIDTH = 80


class ShortlistFormatter(Protocol):
    """A format: the whole result to one string, ending with a newline."""

    def __call__(self, result: Shortlist, *, color: bool = False) -> str:
        """Render the result; `color` asks for ANSI colour where the format has any."""
        ...


_RESET = "\033[0m"
_STYLES = {"bold": "\033[1m", "dim": "\033[2m", "warn": "\033[33m", "bad": "\033[31m"}


def _style(text: str, style: str, color: bool) -> str:
    return f"{_STYLES[style]}{text}{_RESET}" if color and text else text


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _wrap(text: str, indent: str, width: int = WIDTH) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + "  ", break_on_hyphens=False)


def _gaps_cell(gaps: tuple[str, ...], room: int) -> tuple[str, bool]:
    """The gaps as the row shows them, and whether they are listed in full below it instead.

    Feature ids are never cut: when they do not all fit, the cell gives their number and the
    row's detail lines list them.
    """
    whole = ", ".join(gaps) if gaps else "-"
    if len(whole) <= room:
        return whole, False
    return _cut(f"{len(gaps)}, below", room), True


def _score_cell(r: Ranking) -> str:
    """The score a row ranks by: confirmed, or in the if-confirmed band "≤" the score once confirmed."""
    if r.band == "if-confirmed" and r.score_up_to is not None:
        return f"≤{r.score_up_to * 100:.0f}%"
    return f"{r.score * 100:.0f}%"


def _row(r: Ranking, color: bool, width: int) -> tuple[str, bool]:
    """One ranked product; widths are measured on the plain text, so colour never changes the layout."""
    product = f"{_cut(r.product, 20):<20}"
    cost = f"{cost_text(r):>11}"
    score = f"{_score_cell(r):>5}"
    plain = f"{r.rank:>3}  {product} {_cut(bundle(r), 21):<21} {score} {cost}  "
    gaps, below = _gaps_cell(r.gaps, width - len(plain))
    return (f"{r.rank:>3}  {_style(product, 'bold', color)} {_cut(bundle(r), 21):<21} {score} "
            f"{_style(cost, 'warn', color and r.cost_total is None)}  {_style(gaps, 'dim', color)}"), below


def format_table(result: Shortlist, *, color: bool = False, width: int = WIDTH) -> str:
    """A plain table that fits `width` columns: rank, product, bundle, score, cost, gaps; then exclusions."""
    width = max(width, 60)
    s = result.strategy
    lines: list[str] = []
    budget = f", budget {s.currency} {money(s.budget)}" if s.budget is not None else ", no budget"
    lines.append(_style(_cut(f"{s.organisation}: {s.total_users} users, {years(s)}{budget}", width), "bold", color))
    shown = f"{len(result.rankings)} of {result.qualified}" if result.qualified is not None else str(len(result.rankings))
    lines.append(f"{shown} ranked, {len(result.excluded)} excluded, "
                 f"{s.requirements_counted} requirements scored")
    if what_if_text(result.run):
        lines.extend(_style(line, "warn", color) for line in _wrap(what_if_text(result.run), "", width))
    if result.unscored:
        lines.append("")
        lines.extend(_style(line, "warn", color) for line in _wrap(
            f"NOT SCORED ({len(result.unscored)}): these requirements count in no score until "
            "their features are settled (pin them, or review `vendormatch match --lock`)", "", width))
        for item in result.unscored:
            lines.extend(_style(line, "warn", color)
                         for line in _wrap(f"! {item.id} [{item.priority}, {item.status}]", "  ", width))
    lines.append("")
    header = f"{'#':>3}  {'Product':<20} {'Bundle':<21} {'Score':>5} {('Cost ' + s.currency):>11}  Gaps"
    lines.append(_style(header, "bold", color))
    lines.append("-" * width)
    for r in result.rankings:
        if r.band == "if-confirmed" and (r.rank == 1 or result.rankings[r.rank - 2].band != r.band):
            rule = "-- qualify only if the vendor confirms (unknown in the catalogue) "
            lines.append(_style(rule + "-" * (width - len(rule)), "warn", color))
        row, gaps_below = _row(r, color, width)
        lines.append(row)
        gaps = f"gaps: {', '.join(r.gaps)}" if gaps_below else ""
        detail = "; ".join(part for part in (gaps, stance_summary(r), band_note(r), *r.cost_notes) if part)
        lines.extend(_style(line, "dim", color) for line in _wrap(detail, "     ", width))
    if not result.rankings:
        lines.append("  (no product qualifies: see the exclusions below)")
    if band_footnote(result.rankings):
        lines.extend(_wrap(band_footnote(result.rankings), "  ", width))
    if any(r.cost_total is None for r in result.rankings):
        lines.extend(_wrap(f">N? = {UNKNOWN_PRICE_NOTE}", "  ", width))
    if result.excluded:
        lines.append("")
        lines.append(_style(f"Excluded ({len(result.excluded)}):", "bold", color))
        for e in result.excluded:
            wrapped = _wrap(f"{e.product}: {'; '.join(e.reasons)}", "  ", width)
            if color and wrapped[0].startswith("  " + e.product):
                wrapped[0] = "  " + _style(e.product, "bad", color) + wrapped[0][2 + len(e.product):]
            lines.extend(wrapped)
    if result.closest:
        lines.append("")
        lines.extend(_style(line, "bold", color) for line in _wrap(closest_heading(result) + ":", "", width))
        for fit in result.closest:
            lines.extend(_wrap(closest_text(fit, s.currency), "  ", width))
    for warning in result.warnings:
        lines.extend(_wrap(f"warning: {warning}", "", width))
    if result.run:
        lines.append("")
        lines.extend(_style(line, "dim", color) for line in _wrap(result.run.describe(), "", width))
    return "\n".join(lines) + "\n"


def format_json(result: Shortlist, *, color: bool = False) -> str:
    """The result as JSON: the documented, versioned shape of `Shortlist`."""
    return result.model_dump_json(indent=2) + "\n"


#: The fixed columns of the CSV format, in order; `coverage_<department>` columns follow.
CSV_COLUMNS = (
    "rank", "product", "vendor", "product_name", "edition", "edition_name", "add_ons", "score",
    "cost_total", "cost_known", "price_unknown", "within_budget", "currency", "gaps",
    "band", "score_up_to", "to_confirm", "open_questions",
    "features_confirmed", "features_partial", "features_unknown", "features_third_party", "features_absent",
    "cost_notes",
)


def _cell(text: str) -> str:
    """Text as a spreadsheet shows it, never as a formula: a leading =, +, -, @ or tab gets a quote."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _amount(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def format_csv(result: Shortlist, *, color: bool = False) -> str:
    """One row per ranked product: `CSV_COLUMNS`, then the coverage of each department (0 to 1)."""
    departments = sorted({*result.strategy.users, *(d for r in result.rankings for d in r.departments)})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *(f"coverage_{d}" for d in departments)])
    for r in result.rankings:
        within = "" if r.within_budget is None else ("yes" if r.within_budget else "no")
        writer.writerow([
            str(r.rank), r.product, _cell(r.vendor), _cell(r.product_name), r.edition, _cell(r.edition_name),
            ";".join(r.add_ons), f"{r.score:.4f}", _amount(r.cost_total), _amount(r.cost_known),
            ";".join(r.price_unknown), within, r.currency, ";".join(r.gaps),
            r.band, "" if r.score_up_to is None else f"{r.score_up_to:.4f}", ";".join(r.to_confirm),
            ";".join(r.open_questions),
            *(str(r.feature_stances.get(kind, "")) for kind in COUNTED_STANCES),
            _cell("; ".join(r.cost_notes)),
            *(f"{r.departments[d]:.4f}" if d in r.departments else "" for d in departments),
        ])
    return out.getvalue()


FORMATS: dict[str, ShortlistFormatter] = {
    "table": format_table,
    "json": format_json,
    "csv": format_csv,
    "markdown": format_markdown,
    "html": format_html,
}
