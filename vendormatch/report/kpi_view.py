"""The KPI view of the leading bundles: how each captures the data every KPI needs, and the typing left by hand.

A datum captured automatically costs nobody time; one captured with assistance costs a little; one
typed by hand is the data a busy team stops collecting. So the view lists, for every objective's
KPI, each datum with the department that captures it, how each leading bundle captures it, and
then each department's manual-entry burden under each bundle. Markdown and HTML render it; JSON
carries the same facts as each ranking's `capture`.
"""

from __future__ import annotations

from html import escape

from vendormatch.report.data import leaders
from vendormatch.solve.results import DataCapture, Ranking, Shortlist

MODE_TEXT = {"automatic": "automatic", "assisted": "assisted", "manual": "by hand", "unsettled": "not settled"}


def capture_text(capture: DataCapture) -> str:
    """One cell: how a bundle captures a datum, with the features that do it."""
    text = MODE_TEXT[capture.mode]
    return f"{text} ({', '.join(capture.features)})" if capture.features and capture.mode != "manual" else text


def burden(ranking: Ranking) -> list[tuple[str, int, int, list[str]]]:
    """Per department: data typed by hand, data captured in all, and how often each hand-typed datum comes."""
    counts: dict[str, tuple[int, int, list[str]]] = {}
    for capture in ranking.capture:
        manual, total, often = counts.get(capture.captured_by, (0, 0, []))
        by_hand = capture.mode in ("manual", "unsettled")
        counts[capture.captured_by] = (manual + by_hand, total + 1,
                                       often + ([capture.frequency or "frequency not given"] if by_hand else []))
    return [(d, m, t, f) for d, (m, t, f) in sorted(counts.items())]


def burden_text(ranking: Ranking) -> str:
    """`sales 1 of 4 by hand (each decision); service 0 of 1`."""
    parts = []
    for department, manual, total, often in burden(ranking):
        detail = f" ({'; '.join(often)})" if often else ""
        parts.append(f"{department} {manual} of {total} by hand{detail}")
    return "; ".join(parts)


def _leaders_with_capture(result: Shortlist) -> list[Ranking]:
    return [r for r in leaders(result) if r.capture]


def kpi_markdown(result: Shortlist) -> list[str]:
    """The view as Markdown lines (none when no KPI lists its data)."""
    top = _leaders_with_capture(result)
    if not top:
        return []
    head = ["Objective · KPI", "Datum", "Captured by", "How often", *(f"`{r.product}`" for r in top)]
    lines = ["", "## KPI data: how each leading bundle captures it", "",
             "| " + " | ".join(head) + " |", "| " + " | ".join(["---"] * len(head)) + " |"]
    for index, capture in enumerate(top[0].capture):
        cells = [f"`{capture.objective}` · {_md(capture.measure)}", _md(capture.data), capture.captured_by,
                 _md(capture.frequency or "—"), *(capture_text(r.capture[index]) for r in top)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Typed by hand, per department:", ""]
    lines += [f"- `{r.product}`: {_md(burden_text(r))}" for r in top]
    return lines


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def kpi_html(result: Shortlist) -> str:
    """The view as an HTML section (empty when no KPI lists its data)."""
    top = _leaders_with_capture(result)
    if not top:
        return ""
    head = "".join(f"<th>{escape(h)}</th>" for h in ["Objective · KPI", "Datum", "Captured by", "How often",
                                                     *(r.product for r in top)])
    rows = []
    for index, capture in enumerate(top[0].capture):
        cells = [f"<code>{escape(capture.objective)}</code> · {escape(capture.measure)}", escape(capture.data),
                 escape(capture.captured_by), escape(capture.frequency or "—")]
        cells += [f'<span class="capture-{r.capture[index].mode}">{escape(capture_text(r.capture[index]))}</span>'
                  for r in top]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    burdens = "".join(f"<li><code>{escape(r.product)}</code>: {escape(burden_text(r))}</li>" for r in top)
    return (f'<section id="kpi-data">\n<h2>KPI data: how each leading bundle captures it</h2>\n'
            f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n"
            f"<p>Typed by hand, per department:</p>\n<ul>{burdens}</ul>\n</section>")
