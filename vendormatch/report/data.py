"""What several report formats derive from a Shortlist: money text, the trace rows, leaders, the Pareto set."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from vendormatch.files.alternatives import describe
from vendormatch.files.answers import VENDOR_ANSWER
from vendormatch.solve.results import ClosestFit, CostItem, Ranking, RunInfo, Shortlist, StrategySummary

#: How many of the best-ranked products get a section of their own in Markdown and HTML.
LEADERS = 5


def what_if_text(run: RunInfo | None) -> str:
    """The banner a what-if report opens with ('' for a run of the strategy as written)."""
    if run is None or not run.settings:
        return ""
    return f"WHAT-IF, not the strategy as written: {', '.join(run.settings)}"


def closest_heading(result: Shortlist) -> str:
    """The heading of the closest fits: why they are shown, and what was lifted to rank them."""
    count = result.qualified if result.qualified is not None else len(result.rankings)
    why = "nothing qualifies" if count == 0 else f"only {count} qualif{'ies' if count == 1 else 'y'}"
    return f"Closest fits ({why}): each one's best bundle with every must-have, the floor and the budget lifted"


def closest_text(fit: ClosestFit, currency: str) -> str:
    """One closest fit in words: its bundle, score and cost once lifted, and what stops it."""
    cost = money(fit.cost_total) if fit.cost_total is not None else f"more than {money(fit.cost_known)}"
    bundle_text = " + ".join((fit.edition, *fit.add_ons))
    hedge = " if the vendor confirms its unknowns" if fit.band == "if-confirmed" else ""
    return (f"{fit.product}: {bundle_text} would score {fit.score:.0%}{hedge}, {currency} {cost}; "
            f"stopped by: {'; '.join(fit.misses)}")


def money(value: float | None, unknown: str = "unknown") -> str:
    """A whole amount with thousands separators, like '21,600'."""
    return unknown if value is None else f"{value:,.0f}"


def percent(value: float) -> str:
    """A level or score as a whole percentage, like '97%'."""
    return f"{value * 100:.0f}%"


def bundle(ranking: Ranking) -> str:
    """The chosen bundle as ids: 'edition + add-on + add-on'."""
    return " + ".join((ranking.edition, *ranking.add_ons))


def seats_text(seats: Mapping[str, int]) -> str:
    """A cost line's seats by department, like 'sales 3, service 4' (empty when none are recorded)."""
    return ", ".join(f"{d} {n}" for d, n in sorted(seats.items()))


def cost_text(ranking: Ranking) -> str:
    """The total cost, or '>N?' (the known part) when some item's price is unknown."""
    if ranking.cost_total is not None:
        return money(ranking.cost_total)
    if ranking.cost_known > 0:
        return f">{money(ranking.cost_known)}?"
    return "unknown"


def stance_summary(ranking: Ranking) -> str:
    """How many of the strategy's features the bundle has in each stance: '9 confirmed, 1 partial, 2 unknown'."""
    return ", ".join(f"{n} {kind}" for kind, n in ranking.feature_stances.items() if n)


def band_note(ranking: Ranking) -> str:
    """What a ranking's band and "up to" score mean, in words ('' for a verified bundle with nothing unknown)."""
    parts: list[str] = []
    if ranking.band == "if-confirmed":
        parts.append(f"qualifies if the vendor confirms: {', '.join(ranking.to_confirm)}")
    if ranking.score_up_to is not None and ranking.score_up_to > ranking.score + 1e-9:
        parts.append(f"up to {percent(ranking.score_up_to)} if the vendor confirms {len(ranking.open_questions)} "
                     f"unknown feature{'s' if len(ranking.open_questions) != 1 else ''}")
    return "; ".join(parts)


#: Why a bundle with an unknown price sits where it does, for every format's footnote.
UNKNOWN_PRICE_NOTE = ("some item's price is unknown: the figure is the known part, and such a bundle ranks after "
                      "fully priced bundles of equal score, since its cost cannot be compared")
def band_footnote(rankings: Sequence[Ranking], below: str = "below the line") -> str:
    """What scores and bands mean, when some ranking has an unknown to confirm ('' when none has)."""
    hopeful = any(r.score_up_to is not None and r.score_up_to > r.score + 1e-9 for r in rankings)
    conditional = any(r.band == "if-confirmed" for r in rankings)
    if not (hopeful or conditional):
        return ""
    note = "Scores count confirmed features only."
    if conditional:
        note += (f" Products {below} qualify only if their vendor confirms what the catalogue records as unknown "
                 "(a must-have, a feature a department floor needs, or with a budget a price); they rank by the "
                 "score they would reach once confirmed.")
    return note


def pairwise_note(ratio: float) -> str:
    """Where the objectives' weights come from when they were judged in pairs."""
    return (f"Weights derived from pairwise judgements of the objectives (principal eigenvector; "
            f"consistency ratio {ratio:.3f}, at most 0.1 accepted).")


def years(summary: StrategySummary) -> str:
    """The horizon in words: '1 year', '3 years', '2.5 years'."""
    return f"{summary.horizon_years:g} year" + ("" if summary.horizon_years == 1 else "s")


def leaders(result: Shortlist) -> tuple[Ranking, ...]:
    """The best-ranked products that reports describe in full."""
    return result.rankings[:LEADERS]


@dataclass(frozen=True)
class TraceRow:
    """One line of the trace: objective -> requirement -> feature -> edition or add-on -> the cost line it adds."""

    objective: str
    requirement: str
    priority: str
    requirement_level: float
    feature: str
    feature_level: float
    provider: str | None
    provider_kind: str | None
    cost: CostItem | None
    stance: str | None = None
    source: str | None = None
    note: str | None = None


def provenance(row: TraceRow) -> str:
    """Where a trace's fact comes from: its source, marked as the vendor's answer when it is one."""
    if row.note and row.note.startswith(VENDOR_ANSWER):
        return f"{row.note.split(';')[0]}; {row.source}" if row.source else row.note.split(";")[0]
    return row.source or "—"


def trace_rows(ranking: Ranking) -> list[TraceRow]:
    """The trace of a ranked product, grouped by objective (by id), requirements in the strategy's order."""
    lines: dict[tuple[str, str], CostItem] = {(c.kind, c.item): c for c in ranking.cost_lines}
    rows: list[TraceRow] = []
    for outcome in sorted(ranking.requirements, key=lambda o: o.objective):
        for trace in outcome.features:
            cost = lines.get((trace.provider_kind or "", trace.provided_by or ""))
            rows.append(TraceRow(
                outcome.objective, outcome.id, outcome.priority, outcome.level, describe(trace.feature), trace.level,
                trace.provided_by, trace.provider_kind, cost, trace.stance, trace.source, trace.note,
            ))
    return rows


def missing_features(ranking: Ranking, requirement: str) -> list[str]:
    """The features of a requirement that the bundle gives below level 1, with the level when partial."""
    for outcome in ranking.requirements:
        if outcome.id == requirement:
            return [describe(t.feature) if t.level == 0 else f"{describe(t.feature)} (at {percent(t.level)})"
                    for t in outcome.features if t.level < 1]
    return []


def efficient(rankings: Sequence[Ranking]) -> list[Ranking]:
    """The Pareto-efficient verified products (no other covers as much for less), cheapest first; known costs only."""
    # Only verified products are points a buyer can rely on: an if-confirmed one may not qualify at all.
    known = sorted((r for r in rankings if r.cost_total is not None and r.band == "verified"),
                   key=lambda r: (r.cost_total, -r.score, r.product))
    frontier: list[Ranking] = []
    for r in known:
        if not frontier or r.score > frontier[-1].score + 1e-9:
            frontier.append(r)
        elif r.cost_total == frontier[-1].cost_total and abs(r.score - frontier[-1].score) <= 1e-9:
            frontier.append(r)  # the same point as an efficient one: neither dominates the other
    return frontier


def requirement_texts(summary: StrategySummary) -> dict[str, str]:
    """Each requirement's words, by id (empty when the summary carries none)."""
    return {r.id: r.text for r in summary.requirements}


def requirement_weights(ranking: Ranking) -> dict[str, float]:
    """Each scored requirement's weight, by id."""
    return {o.id: o.weight for o in ranking.requirements}
