"""A match result as the stable JSON shape and as a table for the terminal."""

from __future__ import annotations

import textwrap

from vendormatch.files.alternatives import as_item, describe
from vendormatch.match.results import STATUSES, MatchResult


def match_to_json(result: MatchResult) -> dict[str, list[dict[str, object]]]:
    """The stable JSON shape: {"requirements": [{"id", "status", "features", "candidates", "reason"}]}; a
    feature is an id, or {"any": [...]} for alternatives, as in strategy and lock files."""
    return {
        "requirements": [
            {
                "id": m.requirement,
                "status": m.status,
                "features": [as_item(key) for key in m.features],
                "candidates": [{"feature": c.feature, "score": c.score, "via": c.via} for c in m.candidates],
                "reason": m.reason,
            }
            for m in result.requirements
        ]
    }


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _cut_id(text: str, width: int) -> str:
    """An id cut in the middle: ids of one strategy often differ only at the end ("...-data-1", "...-data-2")."""
    if len(text) <= width:
        return text
    tail = (width - 3) // 2
    return text[: width - 3 - tail] + "..." + text[len(text) - tail:]


def format_match_table(result: MatchResult, width: int = 80) -> str:
    """A table of at most `width` columns: each requirement, its status, its features or candidates.

    An ambiguous or unmatched requirement also gets the reason, for the person who must pin it.
    """
    id_width = min(24, max([len("requirement")] + [len(m.requirement) for m in result.requirements]))
    status_width = len("unmatched")
    rest = max(20, width - id_width - status_width - 4)
    lines = [f"{'requirement':<{id_width}}  {'status':<{status_width}}  features (score) or ? candidates"]
    for match in result.requirements:
        if match.features:
            scores = {c.feature: c.score for c in match.candidates}
            items = [f"{f} ({scores[f]:.0f})" if f in scores else describe(f) for f in match.features]
        else:
            items = [f"? {c.feature} ({c.score:.0f})" for c in match.candidates[:3]] or ["-"]
        first = True
        for item in items:
            head = f"{_cut_id(match.requirement, id_width):<{id_width}}  {match.status:<{status_width}}" if first else " " * (
                id_width + 2 + status_width
            )
            lines.append(f"{head}  {_cut(item, rest)}".rstrip())
            first = False
        if match.reason and not match.features:
            indent = " " * (id_width + 2 + status_width + 2)
            lines.extend(textwrap.wrap(
                f"why: {match.reason}", width=max(40, width), initial_indent=indent, subsequent_indent=indent + "  ",
                break_on_hyphens=False,
            ))
    counts = {s: sum(1 for m in result.requirements if m.status == s) for s in STATUSES}
    lines.append("")
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no requirements")
    return "\n".join(lines) + "\n"
