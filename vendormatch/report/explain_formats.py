"""Renderings of an Explanation: `text` (80 columns, for a terminal) and `json` (the `Explanation` model)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable

from vendormatch.analysis.explain import Explanation, GapFix
from vendormatch.files.alternatives import describe
from vendormatch.files.answers import VENDOR_ANSWER
from vendormatch.report.data import (
    band_note,
    bundle,
    cost_text,
    missing_features,
    money,
    percent,
    seats_text,
    stance_summary,
    what_if_text,
    years,
)
from vendormatch.solve.results import Ranking, RequirementOutcome

WIDTH = 80


def _wrap(text: str, indent: str = "", more: str = "    ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + more,
                         break_on_hyphens=False) or [indent]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _providers(outcome: RequirementOutcome) -> str:
    def told(note: str | None) -> str:
        # A fact from a vendor's answer says so, with who answered and when.
        return f" [{note.split(':')[0]}]" if note and note.startswith(VENDOR_ANSWER) else ""

    return ", ".join(
        f"{describe(t.feature)}: {t.provided_by}" + ("" if t.level >= 1 else f" ({percent(t.level)})") + told(t.note)
        if t.provided_by else f"{describe(t.feature)}: missing{told(t.note)}"
        for t in outcome.features
    )


def _bundle_lines(ranking: Ranking, explanation: Explanation) -> list[str]:
    s = explanation.strategy
    budget = "" if ranking.within_budget is None else (" (within budget)" if ranking.within_budget else " (over budget)")
    lines = _wrap(f"Bundle: {bundle(ranking)}; score {percent(ranking.score)}; "
                  f"{s.currency} {cost_text(ranking)} over {years(s)}{budget}")
    if ranking.price_unknown:
        lines += _wrap(f"price unknown: {', '.join(ranking.price_unknown)}", "  ")
    if ranking.feature_stances:
        lines += _wrap(f"The strategy's features in this bundle: {stance_summary(ranking)}", "  ")
    if band_note(ranking):
        lines += _wrap(band_note(ranking)[0].upper() + band_note(ranking)[1:], "  ")
    if ranking.open_questions:
        lines += _wrap(f"Questions for the vendor: {', '.join(ranking.open_questions)}", "  ")
    lines.append("")
    lines.append(f"Cost over {years(s)} ({s.currency}):")
    for c in ranking.cost_lines:
        lines.append(f"  {_cut(c.item, 24):<24} {c.kind:<8} {_cut(c.name, 28):<28} {money(c.total):>14}")
        if c.seats:
            lines.append(f"  {'':<24} seats: {seats_text(c.seats)}")
    for note in ranking.cost_notes:
        lines += _wrap(f"Not included: {note}", "  ")
    return lines


def _requirement_lines(ranking: Ranking) -> list[str]:
    lines = ["", f"Requirements ({len(ranking.requirements)} scored): level, requirement, priority, what gives it"]
    for o in sorted(ranking.requirements, key=lambda o: (-o.level, o.id)):
        head = f"  {percent(o.level):>4}  {_cut(o.id, 26):<26} {o.priority or '-':<6}  "
        lines.extend(textwrap.wrap(_providers(o), WIDTH, initial_indent=head, subsequent_indent=" " * len(head),
                                   break_on_hyphens=False))
    return lines


def _gap_lines(gap: GapFix, ranking: Ranking, explanation: Explanation) -> list[str]:
    s = explanation.strategy
    short = missing_features(ranking, gap.requirement)
    missing = f": short of {', '.join(short)}" if short else ""
    lines = _wrap(f"{gap.requirement} ({gap.department}, {gap.priority or '-'}, weight {gap.weight:g}, now "
                  f"{percent(gap.level)}){missing}", "  ")
    fix = gap.fix
    if fix is None:
        return lines + _wrap(f"-> {gap.note}", "    ")
    if fix.extra_cost is not None:
        more = "more" if fix.extra_cost >= 0 else "less"
        cost = f"{s.currency} {money(abs(fix.extra_cost))} {more} (total {money(fix.cost_total)})"
    else:
        cost = f"total {s.currency} >{money(fix.cost_known)}? (a price is unknown)"
    budget = "" if fix.within_budget is None else (", within budget" if fix.within_budget else ", over budget")
    also = [c.requirement for c in fix.raises if c.requirement != gap.requirement]
    text = f"-> {gap.note}: {cost}{budget}; score {percent(fix.score)}"
    if also:
        text += f"; also raises {', '.join(also)}"
    if fix.lowers:
        text += f"; but lowers {', '.join(c.requirement for c in fix.lowers)}"
    return lines + _wrap(text, "    ")


def format_explanation_text(explanation: Explanation) -> str:
    """The explanation for a terminal, in 80 columns."""
    e = explanation
    s = e.strategy
    budget = f", budget {s.currency} {money(s.budget)}" if s.budget is not None else ", no budget"
    lines = _wrap(f"{e.product}: {e.product_name} ({e.vendor})", "")
    lines += _wrap(f"for {s.organisation}: {s.total_users} users, {years(s)}{budget}", "")
    if what_if_text(e.run):
        lines += _wrap(what_if_text(e.run), "")
    lines.append("")
    if e.ranking is not None:
        lines.append(f"Ranked {e.ranking.rank} of {e.ranked}.")
        lines += _bundle_lines(e.ranking, e)
        lines += _requirement_lines(e.ranking)
        lines.append("")
        if e.gaps:
            lines.append(f"Gaps, and the cheapest change that closes each (costs over {years(s)}):")
            for gap in e.gaps:
                lines += _gap_lines(gap, e.ranking, e)
        else:
            lines.append("No gaps: every scored requirement is met in full.")
    elif e.exclusion is not None:
        for reason in e.exclusion.reasons:
            lines += _wrap(f"Excluded: {reason}", "")
        if e.remedy is not None:
            lines.append("")
            lines += _wrap(f"What would bring it back: {e.remedy.message}.", "")
            if e.remedy.ranking is not None and e.remedy.ranking.gaps:
                lines += _wrap(f"Its gaps then: {', '.join(e.remedy.ranking.gaps)}", "  ")
    if e.unscored:
        lines.append("")
        lines += _wrap(f"Not scored ({len(e.unscored)}): {', '.join(u.id for u in e.unscored)} "
                       "(pin their features, or review `vendormatch match --lock`)", "")
    if e.run is not None:
        lines += ["", *_wrap(e.run.describe(), "")]
    return "\n".join(lines) + "\n"


def format_explanation_json(explanation: Explanation) -> str:
    """The explanation as JSON: the versioned shape of `Explanation`."""
    return json.dumps(explanation.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


EXPLAIN_FORMATS: dict[str, Callable[[Explanation], str]] = {
    "text": format_explanation_text,
    "json": format_explanation_json,
}
