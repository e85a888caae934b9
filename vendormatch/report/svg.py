"""Inline SVG charts for the HTML report: coverage versus cost, and coverage by department of the leaders.

Pure functions from rankings to SVG text; coordinates are rounded to 0.1 so the output is the same
byte for byte on every machine. No scripts, fonts or external references: the charts print as drawn.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from vendormatch.report.data import efficient, money, percent
from vendormatch.solve.results import Ranking

#: Colours (Okabe-Ito, safe for colour-blind readers). Point colours are not reused in the department chart.
POINT = "#0072B2"
EFFICIENT = "#D55E00"
BUDGET = "#555555"
LEADER_COLOURS = ("#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#332288")

WIDTH = 760
#: Below this many ranked products every point is labelled, not only the efficient ones.
LABEL_ALL_UP_TO = 8
#: The width of a label's character, for placing labels clear of each other (12px bold sans-serif).
CHAR_WIDTH = 7.2
HEIGHT = 440
LEFT, RIGHT, TOP, BOTTOM = 72, WIDTH - 28, 34, HEIGHT - 84


def _n(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros, never '-0'."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` intervals over `span`."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= factor * power * (1 + 1e-9):
            return factor * power
    return 10 * power


def _x_axis(rankings: Sequence[Ranking], budget: float | None) -> tuple[float, float]:
    """The cost axis: (upper bound, tick step), room for every point and the budget line."""
    largest = max([r.cost_total if r.cost_total is not None else r.cost_known for r in rankings]
                  + ([budget] if budget is not None else []) + [0.0])
    step = nice_step(largest * 1.05 if largest > 0 else 1.0)
    upper = step * max(1, math.ceil(largest * 1.05 / step - 1e-9))
    return upper, step


def _y_axis(rankings: Sequence[Ranking]) -> tuple[float, float]:
    """The coverage axis: (lower bound, tick step); the top is always 100%."""
    lowest = min((r.score for r in rankings), default=0.0)
    lower = max(0.0, math.floor(lowest * 10 - 1e-9) / 10 - 0.1)
    step = nice_step(1.0 - lower)
    # Start on a tick, so that the ticks run up to 100% exactly.
    return max(0.0, math.floor(lower / step + 1e-9) * step), step


def _point_title(r: Ranking, currency: str) -> str:
    cost = f"{currency} {money(r.cost_total)}" if r.cost_total is not None else \
        f"at least {currency} {money(r.cost_known)} (price of {', '.join(r.price_unknown)} unknown)"
    return f"#{r.rank} {r.product} ({r.edition}{''.join(' + ' + a for a in r.add_ons)}): {percent(r.score)}, {cost}"


def cost_chart(rankings: Sequence[Ranking], *, budget: float | None, currency: str, horizon: str) -> str:
    """Coverage (score) against total cost: every ranked product a point, the efficient ones joined and labelled."""
    parts = [f'<svg class="chart" id="cost-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             'aria-labelledby="cost-chart-title cost-chart-desc">',
             '<title id="cost-chart-title">Coverage versus total cost</title>',
             f'<desc id="cost-chart-desc">Each ranked product is a point: weighted coverage of the requirements '
             f'against its total cost over {escape(horizon)} in {escape(currency)}.</desc>']
    if not rankings:
        parts.append(f'<text x="{WIDTH // 2}" y="{HEIGHT // 2}" text-anchor="middle" class="note">'
                     'No product qualifies: nothing to plot.</text></svg>')
        return "\n".join(parts)
    x_upper, x_step = _x_axis(rankings, budget)
    y_lower, y_step = _y_axis(rankings)

    def x_of(cost: float) -> float:
        return LEFT + (RIGHT - LEFT) * cost / x_upper

    def y_of(score: float) -> float:
        return BOTTOM - (BOTTOM - TOP) * (score - y_lower) / (1.0 - y_lower)

    parts.append('<g class="grid">')
    for i in range(round(x_upper / x_step) + 1):
        x = x_of(i * x_step)
        parts.append(f'<line x1="{_n(x)}" y1="{TOP}" x2="{_n(x)}" y2="{BOTTOM}"/>')
        parts.append(f'<text x="{_n(x)}" y="{BOTTOM + 18}" text-anchor="middle">{money(i * x_step)}</text>')
    for i in range(round((1.0 - y_lower) / y_step) + 1):
        value = y_lower + i * y_step
        y = y_of(value)
        parts.append(f'<line x1="{LEFT}" y1="{_n(y)}" x2="{RIGHT}" y2="{_n(y)}"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{_n(y + 4)}" text-anchor="end">{percent(value)}</text>')
    parts.append("</g>")
    parts.append(f'<text class="axis" x="{(LEFT + RIGHT) // 2}" y="{BOTTOM + 40}" text-anchor="middle">'
                 f'Total cost over {escape(horizon)} ({escape(currency)})</text>')
    parts.append(f'<text class="axis" transform="translate(18 {(TOP + BOTTOM) // 2}) rotate(-90)" '
                 'text-anchor="middle">Coverage (weighted score)</text>')
    if budget is not None:
        x = x_of(budget)
        parts.append(f'<line class="budget" x1="{_n(x)}" y1="{TOP - 14}" x2="{_n(x)}" y2="{BOTTOM}" '
                     f'stroke="{BUDGET}" stroke-width="1.5" stroke-dasharray="6 4"/>')
        anchor, dx = ("end", -5) if x > RIGHT - 140 else ("start", 5)
        parts.append(f'<text class="budget-label" x="{_n(x + dx)}" y="{TOP - 4}" text-anchor="{anchor}">'
                     f'budget {escape(currency)} {money(budget)}</text>')

    frontier = efficient(rankings)
    on_frontier = {r.product for r in frontier}
    if len(frontier) > 1:
        points = " ".join(f"{_n(x_of(r.cost_total or 0.0))},{_n(y_of(r.score))}" for r in frontier)
        parts.append(f'<polyline class="frontier" points="{points}" fill="none" stroke="{EFFICIENT}" '
                     'stroke-width="2.5"/>')
    # Points: the others first, so efficient points are drawn on top of anything they share a place with.
    for r in sorted(rankings, key=lambda r: (r.product in on_frontier, -r.rank)):
        cost = r.cost_total if r.cost_total is not None else r.cost_known
        cx, cy = _n(x_of(cost)), _n(y_of(r.score))
        title = f"<title>{escape(_point_title(r, currency))}</title>"
        if r.cost_total is None:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="6" fill="#ffffff" stroke="{POINT}" stroke-width="2" '
                         f'stroke-dasharray="3 2">{title}</circle>')
        else:
            colour = EFFICIENT if r.product in on_frontier else POINT
            radius = 7 if r.product in on_frontier else 6
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{colour}" stroke="#ffffff" '
                         f'stroke-width="1">{title}</circle>')
    boxes: list[_Box] = []
    parts.extend(_frontier_labels(frontier, x_of, y_of, boxes))
    if len(rankings) <= LABEL_ALL_UP_TO:
        others = [r for r in rankings if r.product not in on_frontier]
        parts.extend(_other_labels(others, x_of, y_of, boxes))
    parts.append(_legend())
    parts.append("</svg>")
    return "\n".join(parts)


_Box = tuple[float, float, float, float]


def _overlaps(box: _Box, boxes: Sequence[_Box]) -> bool:
    left, right, top, bottom = box
    return any(left < b[1] and b[0] < right and top < b[3] and b[2] < bottom for b in boxes)


def _label(text: str, x: float, baseline: float, anchor: str, css: str) -> str:
    return f'<text class="{css}" x="{_n(x)}" y="{_n(baseline)}" text-anchor="{anchor}">{escape(text)}</text>'


def _frontier_labels(frontier: Sequence[Ranking], x_of: Callable[[float], float],
                     y_of: Callable[[float], float], boxes: list[_Box]) -> list[str]:
    """One label per efficient place (products at the same place share it), clear of points and lines.

    Every other point lies below or to the right of the frontier, so a label goes to the left of its
    point (above the segment from the cheaper efficient point), or above it at the left edge; a label
    that would overlap an earlier one moves up.
    """
    places: dict[tuple[str, str], list[str]] = {}
    for r in frontier:
        places.setdefault((_n(x_of(r.cost_total or 0.0)), _n(y_of(r.score))), []).append(r.product)
    labels: list[str] = []
    for (cx, cy), products in places.items():
        x, y = float(cx), float(cy)
        text = ", ".join(products)
        width = CHAR_WIDTH * len(text)
        if x - 10 - width >= LEFT + 2:
            anchor, left, baseline = "end", x - 10 - width, y + 4
        else:
            anchor, left, baseline = "start", max(x - 4, 2.0), y - 12
        while _overlaps((left, left + width, baseline - 12, baseline + 2), boxes) and baseline > 14:
            baseline -= 14
        boxes.append((left, left + width, baseline - 12, baseline + 2))
        labels.append(_label(text, left + width if anchor == "end" else left, baseline, anchor, "label"))
    return labels


def _other_labels(others: Sequence[Ranking], x_of: Callable[[float], float], y_of: Callable[[float], float],
                  boxes: list[_Box]) -> list[str]:
    """Labels for the other points of a short list: to the right (away from the frontier), moving down when crowded."""
    labels: list[str] = []
    for r in sorted(others, key=lambda r: r.rank):
        x = x_of(r.cost_total if r.cost_total is not None else r.cost_known)
        y = y_of(r.score)
        width = CHAR_WIDTH * len(r.product)
        anchor, left = ("start", x + 10) if x + 10 + width <= WIDTH - 4 else ("end", x - 10 - width)
        baseline = y + 4
        while _overlaps((left, left + width, baseline - 12, baseline + 2), boxes) and baseline < BOTTOM + 40:
            baseline += 14
        boxes.append((left, left + width, baseline - 12, baseline + 2))
        labels.append(_label(r.product, left if anchor == "start" else left + width, baseline, anchor, "label-other"))
    return labels


def _legend() -> str:
    y = HEIGHT - 14
    return "\n".join([
        '<g class="legend">',
        f'<circle cx="{LEFT}" cy="{y - 4}" r="6" fill="{POINT}"/>',
        f'<text x="{LEFT + 12}" y="{y}">ranked product</text>',
        f'<circle cx="{LEFT + 136}" cy="{y - 4}" r="7" fill="{EFFICIENT}"/>',
        f'<text x="{LEFT + 148}" y="{y}">Pareto-efficient (joined, labelled)</text>',
        f'<circle cx="{LEFT + 380}" cy="{y - 4}" r="6" fill="#ffffff" stroke="{POINT}" stroke-width="2" '
        'stroke-dasharray="3 2"/>',
        f'<text x="{LEFT + 392}" y="{y}">price partly unknown (at the known part)</text>',
        "</g>",
    ])


def department_chart(leaders: Sequence[Ranking]) -> str:
    """Grouped bars: for each department, the coverage each leading product gives it."""
    departments = sorted({d for r in leaders for d in r.departments})
    bar, gap, group_gap, left, label_width = 12, 3, 16, 130, 44
    right = WIDTH - label_width
    group = len(leaders) * (bar + gap) - gap
    top = 12
    height = top + len(departments) * (group + group_gap) + 40
    parts = [f'<svg class="chart" id="department-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
             'aria-labelledby="department-chart-title">',
             '<title id="department-chart-title">Coverage of each department by the leading products</title>']
    if not leaders or not departments:
        parts.append('<text x="20" y="30" class="note">No ranked product: nothing to compare.</text></svg>')
        return "\n".join(parts)
    bottom = top + len(departments) * (group + group_gap) - group_gap
    parts.append('<g class="grid">')
    for i in range(5):
        x = left + (right - left) * i / 4
        parts.append(f'<line x1="{_n(x)}" y1="{top - 4}" x2="{_n(x)}" y2="{bottom + 4}"/>')
        parts.append(f'<text x="{_n(x)}" y="{bottom + 18}" text-anchor="middle">{i * 25}%</text>')
    parts.append("</g>")
    for d_index, department in enumerate(departments):
        y0 = top + d_index * (group + group_gap)
        parts.append(f'<text class="department" x="{left - 8}" y="{_n(y0 + group / 2 + 4)}" '
                     f'text-anchor="end">{escape(department)}</text>')
        for l_index, r in enumerate(leaders):
            value = r.departments.get(department)
            y = y0 + l_index * (bar + gap)
            colour = LEADER_COLOURS[l_index % len(LEADER_COLOURS)]
            if value is None:
                continue
            width = (right - left) * value
            tip = f"{r.product}: {department} {percent(value)}"
            parts.append(f'<rect x="{left}" y="{y}" width="{_n(width)}" height="{bar}" fill="{colour}">'
                         f"<title>{escape(tip)}</title></rect>")
            parts.append(f'<text class="value" x="{_n(left + width + 4)}" y="{y + bar - 2}">{percent(value)}</text>')
    x = left
    y = height - 12
    parts.append('<g class="legend">')
    for l_index, r in enumerate(leaders):
        colour = LEADER_COLOURS[l_index % len(LEADER_COLOURS)]
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        text = f"{r.rank}. {r.product}"
        parts.append(f'<text x="{x + 16}" y="{y}">{escape(text)}</text>')
        x += 30 + 7 * len(text)
    parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)
