"""Spreadsheets for procurement: the shortlist (ranking, compliance matrix, costs, exclusions, gaps) and the frontier.

Procurement teams work in spreadsheets, so the same facts as the other reports go into sheets
they can filter and annotate. The compliance matrix puts every requirement against the leading
products, with each one's level and where the fact comes from (the catalogue's stance, or a
vendor's answer).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from vendormatch.files.answers import VENDOR_ANSWER
from vendormatch.report.data import leaders, missing_features, requirement_texts, seats_text
from vendormatch.solve.results import Frontier, Ranking, RequirementOutcome, Shortlist


def _book(sheets: Sequence[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, name in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(10, min(60, len(name) + 4))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _compliance(outcome: RequirementOutcome | None) -> str:
    if outcome is None:
        return "not scored"
    stances = sorted({t.stance or "?" for t in outcome.features})
    told = any(t.note and t.note.startswith(VENDOR_ANSWER) for t in outcome.features)
    return f"{outcome.level:.0%} ({', '.join(stances)}{'; vendor answer' if told else ''})"


def shortlist_workbook(result: Shortlist) -> bytes:
    """The shortlist as an .xlsx workbook's bytes."""
    s = result.strategy
    ranking = [[r.rank, r.product, r.vendor, r.product_name, " + ".join((r.edition, *r.add_ons)), r.band,
                round(r.score, 4), r.score_up_to, r.cost_total, s.currency,
                "" if r.within_budget is None else ("yes" if r.within_budget else "no"),
                "; ".join(r.to_confirm), "; ".join(r.gaps), "; ".join(r.cost_notes)] for r in result.rankings]
    top: list[Ranking] = list(leaders(result))
    texts = requirement_texts(s)
    by_product = {r.product: {o.id: o for o in r.requirements} for r in top}
    compliance = [[req.id, req.department or "", req.priority, texts.get(req.id, ""),
                   *(_compliance(by_product[r.product].get(req.id)) for r in top)]
                  for req in s.requirements if req.priority != "wont"]
    costs = [[r.product, c.item, c.kind, c.name, seats_text(c.seats), c.monthly, c.one_time, c.total, s.currency]
             for r in result.rankings for c in r.cost_lines]
    exclusions = [[e.product, e.vendor, "; ".join(e.reasons), e.cheapest_compliant_cost] for e in result.excluded]
    gaps = [[r.product, g, "; ".join(missing_features(r, g)), texts.get(g, "")] for r in top for g in r.gaps]
    return _book([
        ("ranking", ["rank", "product", "vendor", "product name", "bundle", "band", "score", "score up to",
                     "cost total", "currency", "within budget", "to confirm", "gaps", "cost notes"], ranking),
        ("compliance", ["requirement", "department", "priority", "text", *(r.product for r in top)], compliance),
        ("costs", ["product", "item", "kind", "name", "seats", "monthly", "one-time", "total", "currency"], costs),
        ("exclusions", ["product", "vendor", "reasons", "cheapest compliant cost"], exclusions),
        ("gaps", ["product", "requirement", "missing", "text"], gaps),
    ])


def frontier_workbook(result: Frontier) -> bytes:
    """The frontier as an .xlsx workbook's bytes: one row per efficient bundle, cheapest first."""
    points = [[p.product, p.vendor, " + ".join((p.edition, *p.add_ons)), p.cost_total, result.currency,
               round(p.score, 4), "" if p.within_budget is None else ("yes" if p.within_budget else "no")]
              for p in result.points]
    left_out = [[p, "priced only in part"] for p in result.products_with_unknown_prices]
    left_out += [[p, "qualifies only if the vendor confirms a must-have"] for p in result.products_if_confirmed]
    return _book([
        ("frontier", ["product", "vendor", "bundle", "cost total", "currency", "score", "within budget"], points),
        ("left out", ["product", "why"], left_out),
    ])
