"""One function to render any result in any of its formats, so that scripts and notebooks need not
call the command line: `render(shortlist(...), "html")`.

| result | formats |
|---|---|
| `Shortlist` | table (the default), json, csv, markdown, html |
| `Explanation` | text (the default), json |
| `Frontier` | table (the default), json |
| `Sensitivity` | table (the default), json |
| `MatchResult` | table (the default), json |

The output is exactly what the matching command prints or writes with `--format`.
"""

from __future__ import annotations

import json

from vendormatch.analysis.explain_results import Explanation
from vendormatch.analysis.sensitivity_results import Sensitivity
from vendormatch.match.rendering import format_match_table, match_to_json
from vendormatch.match.results import MatchResult
from vendormatch.report.explain_formats import EXPLAIN_FORMATS
from vendormatch.report.frontier_formats import FORMATS as FRONTIER_FORMATS
from vendormatch.report.sensitivity_formats import FORMATS as SENSITIVITY_FORMATS
from vendormatch.report.shortlist_formats import FORMATS as SHORTLIST_FORMATS
from vendormatch.report.shortlist_formats import WIDTH
from vendormatch.report.shortlist_formats import format_table as shortlist_table
from vendormatch.solve.results import Frontier, Shortlist

Renderable = Shortlist | Explanation | Frontier | Sensitivity | MatchResult


def formats_of(result: Renderable) -> tuple[str, ...]:
    """The formats a result can be rendered in; the first is the default."""
    if isinstance(result, Shortlist):
        return tuple(SHORTLIST_FORMATS)
    if isinstance(result, Explanation):
        return tuple(EXPLAIN_FORMATS)
    if isinstance(result, Frontier):
        return tuple(FRONTIER_FORMATS)
    if isinstance(result, Sensitivity):
        return tuple(SENSITIVITY_FORMATS)
    return ("table", "json")


def render(result: Renderable, format: str | None = None, *, color: bool = False, width: int = WIDTH) -> str:
    """Render a result as text in one of its formats (see `formats_of`); None picks the default.

    `color` adds ANSI colour to the formats that have any (the shortlist and sensitivity tables);
    `width` sets the columns of the shortlist and match tables. An unknown format raises ValueError
    naming the formats there are.
    """
    known = formats_of(result)
    chosen = known[0] if format is None else format
    if chosen not in known:
        raise ValueError(f"a {type(result).__name__} renders as {', '.join(known)}; not as '{chosen}'")
    if isinstance(result, Shortlist):
        if chosen == "table":
            return shortlist_table(result, color=color, width=width)
        return SHORTLIST_FORMATS[chosen](result, color=color)
    if isinstance(result, Explanation):
        return EXPLAIN_FORMATS[chosen](result)
    if isinstance(result, Frontier):
        return FRONTIER_FORMATS[chosen](result)
    if isinstance(result, Sensitivity):
        return SENSITIVITY_FORMATS[chosen](result, color=color)
    if chosen == "json":
        return json.dumps(match_to_json(result), indent=2) + "\n"
    return format_match_table(result, width=width)
