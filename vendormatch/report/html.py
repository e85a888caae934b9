"""The HTML report: one self-contained page (inline CSS and SVG; no scripts, fonts or network) that prints well.

Sections: the strategy (objectives with KPIs and weights, users, horizon, budget), the coverage-versus-cost
chart, the coverage of each department by the leading products, the ranked table, what is not scored and
what is excluded, then for each leading product its gaps, cost breakdown and trace.
"""

from __future__ import annotations

from html import escape

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
from vendormatch.report.kpi_view import kpi_html
from vendormatch.report.svg import cost_chart, department_chart
from vendormatch.solve.results import Ranking, Shortlist

STYLE = """\
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --band: #f6f8fa; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
  color: var(--ink); background: #ffffff; line-height: 1.45; margin: 0 auto; padding: 24px 32px;
  max-width: 1100px; font-size: 15px; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.3em; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05em; margin: 20px 0 6px; }
p.lede { color: var(--muted); margin: 0 0 8px; }
p.what-if { border-left: 4px solid #b45309; background: #fff7ed; padding: 6px 10px; margin: 8px 0; }
.capture-automatic { color: #166534; } .capture-assisted { color: #1d4ed8; }
.capture-manual, .capture-unsettled { color: #b45309; font-weight: 600; }
.strategy { display: grid; grid-template-columns: minmax(220px, 1fr) 3fr; gap: 24px; align-items: start; }
dl.facts { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-weight: 600; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 0.92em; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--rule); }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
.missing { color: #b42318; font-weight: 600; }
.unverified { color: #b54708; font-weight: 600; }
.note, .muted { color: var(--muted); }
figure { margin: 8px 0 0; }
figcaption { color: var(--muted); font-size: 0.9em; }
svg.chart { width: 100%; max-width: 760px; height: auto; display: block; font-size: 12px;
  font-family: system-ui, "DejaVu Sans", Arial, sans-serif; }
svg .grid line { stroke: #e4e8ec; stroke-width: 1; }
svg .grid text, svg .legend text, svg .value { fill: var(--muted); }
svg .axis, svg .department { fill: var(--ink); font-size: 13px; }
svg .label { fill: #8a3200; font-weight: 700; }
svg .label-other { fill: #24527a; }
svg .budget-label { fill: #333333; font-weight: 600; }
section.product { border-top: 3px solid var(--ink); margin-top: 36px; }
section.product h2 { border: none; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 9.5pt; padding: 0; max-width: none; }
  h2, h3 { break-after: avoid; }
  figure, tr, dl.facts { break-inside: avoid; }
  thead { display: table-header-group; }
  section.product { break-before: page; border-top: none; }
  svg.chart { max-width: 17cm; }
}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _table(header: list[str], rows: list[list[str]], numeric: set[int] | None = None,
           total: list[str] | None = None) -> str:
    """A table from cells that are already HTML; columns in `numeric` align right."""
    numeric = numeric or set()

    def cells(tag: str, row: list[str]) -> str:
        return "".join(f'<{tag} class="num">{c}</{tag}>' if i in numeric else f"<{tag}>{c}</{tag}>"
                       for i, c in enumerate(row))

    body = [f"<tr>{cells('td', row)}</tr>" for row in rows]
    if total is not None:
        body.append(f'<tr class="total">{cells("td", total)}</tr>')
    return (f"<table>\n<thead><tr>{cells('th', header)}</tr></thead>\n<tbody>\n" + "\n".join(body)
            + "\n</tbody>\n</table>")


def _strategy(result: Shortlist) -> str:
    s = result.strategy
    facts = [("Users", f"{s.total_users}"), *((f"&nbsp;&nbsp;{_e(d)}", str(n)) for d, n in s.users.items()),
             ("Horizon", _e(years(s))),
             ("Budget", f"{_e(s.currency)} {money(s.budget)}" if s.budget is not None else "none"),
             ("Currency", _e(s.currency))]
    facts += [(f"1 {_e(c)}", f"{rate:g} {_e(s.currency)}") for c, rate in s.exchange_rates.items()]
    if s.min_department_coverage is not None:
        facts.append(("Department floor", percent(s.min_department_coverage)))
    facts.append(("Requirements scored", str(s.requirements_counted)))
    dl = "\n".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    counts: dict[str, int] = {}
    for req in s.requirements:
        if req.priority != "wont" and req.objective:
            counts[req.objective] = counts.get(req.objective, 0) + 1
    objectives = _table(
        ["Objective", "Statement", "KPI", "Weight", "Requirements"],
        [[f"<code>{_e(oid)}</code>", _e(o.statement), _e(o.kpi or "—"), f"{o.weight:g}", str(counts.get(oid, 0))]
         for oid, o in s.objectives.items()],
        numeric={3, 4},
    ) if s.objectives else '<p class="note">No objectives recorded in this result.</p>'
    if s.objectives and s.consistency_ratio is not None:
        objectives += f'\n<p class="note">{_e(pairwise_note(s.consistency_ratio))}</p>'
    return (f'<section id="strategy">\n<h2>The strategy</h2>\n<div class="strategy">\n<dl class="facts">\n{dl}\n</dl>\n'
            f"<div>\n{objectives}\n</div>\n</div>\n</section>")


def _charts(result: Shortlist) -> str:
    s = result.strategy
    top = leaders(result)
    chart = cost_chart(result.rankings, budget=s.budget, currency=s.currency, horizon=years(s))
    return (
        '<section id="coverage-cost">\n<h2>Coverage versus cost</h2>\n<figure>\n' + chart + "\n"
        "<figcaption>Each ranked product at its best bundle. The efficient products (no other covers as much "
        "for less) are joined and labelled; the dashed line is the budget.</figcaption>\n</figure>\n</section>\n"
        f'<section id="departments">\n<h2>Coverage by department: the {len(top)} leading '
        f'product{"" if len(top) == 1 else "s"}</h2>\n<figure>\n' + department_chart(top) + "\n"
        "<figcaption>Each department's own requirements, weighted: 100% means all of them met in full."
        "</figcaption>\n</figure>\n</section>"
    )


def _ranking(result: Shortlist) -> str:
    s = result.strategy
    if not result.rankings:
        return '<section id="ranking">\n<h2>Ranking</h2>\n<p>No product qualifies: see the exclusions.</p>\n</section>'
    budget = {True: "yes", False: "no", None: "—"}
    rows = [
        [str(r.rank), f"<strong>{_e(r.product_name)}</strong><br><span class=\"muted\">{_e(r.vendor)} · "
         f"<code>{_e(r.product)}</code></span>" + _unverified(r), f"<code>{_e(bundle(r))}</code>", percent(r.score),
         "—" if r.score_up_to is None else percent(r.score_up_to), _e(cost_text(r)), budget[r.within_budget],
         _e(stance_summary(r) or "—"), str(len(r.gaps))]
        for r in result.rankings
    ]
    notes = []
    if band_footnote(result.rankings):
        notes.append(f'<p class="note">{_e(band_footnote(result.rankings, "marked unverified"))}</p>')
    if any(r.cost_total is None for r in result.rankings):
        notes.append(f'<p class="note">&gt;N?: {_e(UNKNOWN_PRICE_NOTE)}.</p>')
    note = "".join("\n" + n for n in notes)
    return ('<section id="ranking">\n<h2>Ranking</h2>\n'
            + _table(["#", "Product", "Bundle", "Score", "Up to", f"Cost ({_e(s.currency)}, {_e(years(s))})",
                      "Within budget", "Features", "Gaps"], rows, numeric={0, 3, 4, 5, 8}) + note + "\n</section>")


def _unverified(ranking: Ranking) -> str:
    """The mark of a product that qualifies only if its vendor confirms what the catalogue does not know."""
    if ranking.band != "if-confirmed":
        return ""
    names = ", ".join(f"<code>{_e(f)}</code>" for f in ranking.to_confirm)
    return f'<br><span class="unverified">unverified, to confirm: {names}</span>'



def _lists(result: Shortlist) -> str:
    out: list[str] = []
    if result.unscored:
        rows = [[f"<code>{_e(u.id)}</code>", _e(u.priority), _e(u.status), _e(u.message)] for u in result.unscored]
        out.append(f'<section id="unscored">\n<h2>Not scored ({len(result.unscored)})</h2>\n'
                   '<p class="note">These requirements count in no score until their features are settled.</p>\n'
                   + _table(["Requirement", "Priority", "Status", "Why"], rows) + "\n</section>")
    if result.excluded:
        rows = [[f"<code>{_e(e.product)}</code>", _e(e.vendor), _e("; ".join(e.reasons))] for e in result.excluded]
        out.append(f'<section id="excluded">\n<h2>Excluded ({len(result.excluded)})</h2>\n'
                   + _table(["Product", "Vendor", "Why"], rows) + "\n</section>")
    if result.closest:
        items = "\n".join(f"<li>{_e(closest_text(fit, result.strategy.currency))}</li>" for fit in result.closest)
        out.append(f'<section id="closest">\n<h2>{_e(closest_heading(result))}</h2>\n<ul>\n{items}\n</ul>\n</section>')
    return "\n".join(out)


def _gaps(ranking: Ranking, texts: dict[str, str]) -> str:
    if not ranking.gaps:
        return "<h3>Gaps</h3>\n<p>None: every scored requirement is met in full.</p>"
    outcomes = {o.id: o for o in ranking.requirements}
    weights = requirement_weights(ranking)
    rows = [
        [f"<code>{_e(g)}</code><br>{_e(texts.get(g, ''))}", _e(outcomes[g].department), _e(outcomes[g].priority or "—"),
         f"{weights[g]:g}", percent(outcomes[g].level), _e(", ".join(missing_features(ranking, g)))]
        for g in ranking.gaps
    ]
    return "<h3>Gaps</h3>\n" + _table(["Requirement", "Department", "Priority", "Weight", "Level", "Missing"], rows,
                                      numeric={3, 4})


def _costs(ranking: Ranking, result: Shortlist) -> str:
    s = result.strategy
    rows = [
        [f"<code>{_e(c.item)}</code>", _e(c.kind), _e(c.name), _e(seats_text(c.seats)),
         "unknown" if c.monthly is None else f"{c.monthly:,.2f}", money(c.one_time), money(c.total)]
        for c in ranking.cost_lines
    ]
    return (f"<h3>Cost over {_e(years(s))} ({_e(s.currency)})</h3>\n"
            + _table(["Item", "Kind", "Name", "Seats", "Monthly", "One-time", "Total"], rows, numeric={4, 5, 6},
                     total=["Total", "", "", "", "", "", _e(cost_text(ranking))])
            + "".join(f'<p class="note"><strong>Not included:</strong> {_e(note)}</p>\n' for note in ranking.cost_notes))


def _trace(ranking: Ranking) -> str:
    rows = []
    for row in trace_rows(ranking):
        provider = (f"<code>{_e(row.provider)}</code> ({_e(row.provider_kind)})" if row.provider
                    else f'<span class="missing">{_e(row.stance or "missing")}</span>'
                    + (f" ({_e(row.note)})" if row.note else ""))
        priority = f" ({_e(row.priority)})" if row.priority else ""
        rows.append([f"<code>{_e(row.objective or '—')}</code>", f"<code>{_e(row.requirement)}</code>{priority}",
                     f"<code>{_e(row.feature)}</code>", percent(row.feature_level), provider,
                     "—" if row.cost is None else money(row.cost.total), _e(provenance(row))])
    return ("<h3>Trace: objective → requirement → feature → edition or add-on → cost line</h3>\n"
            + _table(["Objective", "Requirement", "Feature", "Level", "Provided by", "Cost line", "Source"], rows,
                     numeric={3, 5}))


def _product(ranking: Ranking, result: Shortlist) -> str:
    s = result.strategy
    add_ons = "".join(f" + <code>{_e(a)}</code>" for a in ranking.add_ons)
    budget = "" if ranking.within_budget is None else (" Within budget." if ranking.within_budget else " Over budget.")
    departments = ", ".join(f"{_e(d)} {percent(v)}" for d, v in ranking.departments.items())
    return "\n".join([
        f'<section class="product" id="product-{_e(ranking.product)}">',
        f"<h2>{ranking.rank}. {_e(ranking.product_name)} <span class=\"muted\">({_e(ranking.vendor)})</span></h2>",
        f"<p>Bundle <strong>{_e(ranking.edition_name)}</strong> (<code>{_e(ranking.edition)}</code>){add_ons}; "
        f"score <strong>{percent(ranking.score)}</strong>; <strong>{_e(s.currency)} {_e(cost_text(ranking))}</strong> "
        f"over {_e(years(s))}.{budget}</p>",
        f"<p>Coverage by department: {departments}.</p>" if departments else "",
        f"<p>The strategy's features in this bundle: {_e(stance_summary(ranking))}.</p>" if ranking.feature_stances
        else "",
        f'<p class="unverified">{_e(band_note(ranking))}.</p>' if band_note(ranking) else "",
        _gaps(ranking, requirement_texts(s)), _costs(ranking, result), _trace(ranking),
        "</section>",
    ])


def format_html(result: Shortlist, *, color: bool = False) -> str:
    """The shortlist as one self-contained HTML page with inline SVG charts and print styles."""
    s = result.strategy
    budget = f"budget {s.currency} {money(s.budget)}" if s.budget is not None else "no budget"
    lede = (f"{s.total_users} users over {years(s)}; {budget}; {s.requirements_counted} requirements scored; "
            f"{len(result.rankings)} ranked, {len(result.excluded)} excluded.")
    what_if = result.run.settings if result.run else ()
    banner = (f'\n<p class="what-if"><strong>What-if run</strong>, not the strategy as written: '
              f"{_e(', '.join(what_if))}</p>" if what_if else "")
    run = f" {_e(result.run.describe())}." if result.run else ""
    body = [
        f"<header>\n<h1>CRM shortlist: {_e(s.organisation)}</h1>\n<p class=\"lede\">{_e(lede)}</p>{banner}\n</header>",
        _strategy(result), _charts(result), _ranking(result), _lists(result), kpi_html(result),
        *(_product(r, result) for r in leaders(result)),
        f'<footer class="note"><p>Made by vendormatch shortlist (result version {result.version}, solver '
        f"{_e(result.solver)}).{run}</p></footer>",
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>CRM shortlist: {_e(s.organisation)}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(part for part in body if part) + "\n</body>\n</html>\n")
