"""The Markdown report: GitHub-flavoured tables, and each leading product's trace in a `<details>` block."""

from __future__ import annotations

import re

from vendormatch.report.data import (
    UNKNOWN_PRICE_NOTE,
    band_footnote,
    band_note,
    bundle,
    closest_heading,
    closest_text,
    cost_text,
    leaders,
    missing_features,
    money,
    pairwise_note,
    percent,
    provenance,
    requirement_texts,
    requirement_weights,
    seats_text,
    stance_summary,
    trace_rows,
    years,
)
from vendormatch.report.kpi_view import kpi_markdown
from vendormatch.solve.results import Ranking, Shortlist

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md(text: str) -> str:
    """Text safe in a Markdown table cell: specials backslash-escaped, line breaks as spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _code(identifier: str) -> str:
    return f"`{identifier.replace('`', '')}`"


def _table(header: list[str], align: str, rows: list[list[str]]) -> list[str]:
    """A GFM table; `align` has one letter per column: l(eft) or r(ight)."""
    rule = ["---:" if a == "r" else "---" for a in align]
    return [f"| {' | '.join(cells)} |" for cells in (header, rule, *rows)]


def _summary(result: Shortlist) -> list[str]:
    s = result.strategy
    users = ", ".join(f"{d} {n}" for d, n in s.users.items())
    budget = f"budget **{s.currency} {money(s.budget)}**" if s.budget is not None else "no budget"
    lines = [f"# Shortlist: {md(s.organisation)}", "",
             f"**{s.total_users} users** ({users}) · **{years(s)}** · {budget} · "
             f"{s.requirements_counted} requirements scored · solver {_code(result.solver)}"]
    if s.min_department_coverage is not None:
        lines[-1] += f" · every department at least {percent(s.min_department_coverage)}"
    if s.objectives:
        lines += ["", "## Objectives", ""]
        lines += _table(["Objective", "Statement", "KPI", "Weight"], "lllr", [
            [_code(oid), md(o.statement), md(o.kpi or "—"), f"{o.weight:g}"] for oid, o in s.objectives.items()
        ])
        if s.consistency_ratio is not None:
            lines += ["", pairwise_note(s.consistency_ratio)]
    return lines


def _ranking_table(result: Shortlist) -> list[str]:
    s = result.strategy
    lines = ["", "## Ranking", ""]
    if not result.rankings:
        return [*lines, "No product qualifies: see the exclusions below."]
    lines += _table(["#", "Product", "Bundle", "Score", "Up to", f"Cost ({s.currency}, {years(s)})", "Features", "Gaps"],
                    "rllrrrll", [
        [str(r.rank) + (" ⚠" if r.band == "if-confirmed" else ""),
         f"**{md(r.product)}**<br>{md(r.vendor)}: {md(r.product_name)}"
         + (f"<br>qualifies if the vendor confirms: {', '.join(_code(f) for f in r.to_confirm)}"
            if r.band == "if-confirmed" else ""),
         _code(bundle(r)), percent(r.score), "—" if r.score_up_to is None else percent(r.score_up_to),
         md(cost_text(r)), md(stance_summary(r)) or "—", ", ".join(_code(g) for g in r.gaps) or "—"]
        for r in result.rankings
    ])
    if band_footnote(result.rankings):
        lines += ["", md(band_footnote(result.rankings, "marked ⚠"))]
    if any(r.cost_total is None for r in result.rankings):
        lines += ["", f"\\>N? : {md(UNKNOWN_PRICE_NOTE)}."]
    return lines


def _lists(result: Shortlist) -> list[str]:
    lines: list[str] = []
    if result.unscored:
        lines += ["", f"## Not scored ({len(result.unscored)})", ""]
        lines += [f"- {_code(u.id)} ({u.priority}, {u.status}): {md(u.message)}" for u in result.unscored]
    if result.excluded:
        lines += ["", f"## Excluded ({len(result.excluded)})", ""]
        lines += [f"- {_code(e.product)} ({md(e.vendor)}): {md('; '.join(e.reasons))}" for e in result.excluded]
    if result.closest:
        lines += ["", f"## {md(closest_heading(result))}", ""]
        lines += [f"- {md(closest_text(fit, result.strategy.currency))}" for fit in result.closest]
    return lines


def _gaps(ranking: Ranking, texts: dict[str, str]) -> list[str]:
    if not ranking.gaps:
        return ["", "No gaps: every scored requirement is met in full."]
    outcomes = {o.id: o for o in ranking.requirements}
    weights = requirement_weights(ranking)
    rows = [
        [f"{_code(g)}<br>{md(texts[g])}" if texts.get(g) else _code(g), md(outcomes[g].department), outcomes[g].priority or "—",
         f"{weights[g]:g}", percent(outcomes[g].level), ", ".join(missing_features(ranking, g))]
        for g in ranking.gaps
    ]
    return ["", "**Gaps**", "", *_table(["Requirement", "Department", "Priority", "Weight", "Level", "Missing"],
                                        "lllrrl", rows)]


def _costs(ranking: Ranking, result: Shortlist) -> list[str]:
    s = result.strategy
    rows = [
        [_code(c.item), c.kind, md(c.name), md(seats_text(c.seats)), "unknown" if c.monthly is None else f"{c.monthly:,.2f}",
         money(c.one_time), money(c.total)]
        for c in ranking.cost_lines
    ]
    rows.append(["**Total**", "", "", "", "", "", f"**{md(cost_text(ranking))}**"])
    notes = [line for note in ranking.cost_notes for line in ("", f"**Not included:** {md(note)}")]
    return ["", f"**Cost over {years(s)} ({s.currency})**", "",
            *_table(["Item", "Kind", "Name", "Seats", "Monthly", "One-time", "Total"], "llllrrr", rows), *notes]


def _trace(ranking: Ranking) -> list[str]:
    rows = []
    for row in trace_rows(ranking):
        provider = (f"{_code(row.provider)} ({row.provider_kind})" if row.provider
                    else f"**{row.stance or 'missing'}**" + (f" ({md(row.note)})" if row.note else ""))
        cost = "—" if row.cost is None else money(row.cost.total)
        priority = f" ({row.priority})" if row.priority else ""
        rows.append([_code(row.objective) if row.objective else "—", f"{_code(row.requirement)}{priority}",
                     _code(row.feature), percent(row.feature_level), provider, cost, md(provenance(row))])
    return ["", "<details>", "<summary>Trace: objective → requirement → feature → edition or add-on → cost line</summary>",
            "", *_table(["Objective", "Requirement", "Feature", "Level", "Provided by", "Cost line", "Source"], "lllrlrl",
                        rows),
            "", "</details>"]


def _leader(ranking: Ranking, result: Shortlist) -> list[str]:
    s = result.strategy
    budget = "" if ranking.within_budget is None else (
        ", within budget" if ranking.within_budget else ", over budget")
    departments = ", ".join(f"{d} {percent(v)}" for d, v in ranking.departments.items())
    lines = ["", f"### {ranking.rank}. {md(ranking.product)}: {md(ranking.product_name)} ({md(ranking.vendor)})", "",
             f"Bundle **{md(ranking.edition_name)}** ({_code(ranking.edition)})"
             + "".join(f" + {_code(a)}" for a in ranking.add_ons)
             + f", score **{percent(ranking.score)}**, **{s.currency} {md(cost_text(ranking))}** over {years(s)}{budget}."]
    if departments:
        lines += ["", f"Coverage by department: {departments}."]
    if ranking.feature_stances:
        lines += ["", f"The strategy's features in this bundle: {md(stance_summary(ranking))}."]
    if band_note(ranking):
        lines += ["", f"**{md(band_note(ranking))}.**"]
    if ranking.open_questions:
        lines += ["", "Open questions for the vendor: " + ", ".join(_code(f) for f in ranking.open_questions) + "."]
    texts = requirement_texts(s)
    return lines + _gaps(ranking, texts) + _costs(ranking, result) + _trace(ranking)


def format_markdown(result: Shortlist, *, color: bool = False) -> str:
    """The shortlist as Markdown: summary, objectives, ranking, exclusions, then each leader in full."""
    what_if = result.run.settings if result.run else ()
    lines = _summary(result)
    if what_if:
        lines += ["", f"> **What-if run**, not the strategy as written: {', '.join(f'`{x}`' for x in what_if)}"]
    lines += _ranking_table(result) + _lists(result) + kpi_markdown(result)
    top = leaders(result)
    if top:
        lines += ["", "## Leading products"]
        for ranking in top:
            lines += _leader(ranking, result)
    run = f" {result.run.describe()}." if result.run else ""
    lines += ["", f"<sub>vendormatch shortlist, result version {result.version}.{run}</sub>"]
    return "\n".join(lines) + "\n"
