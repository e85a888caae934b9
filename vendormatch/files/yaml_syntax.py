"""A YAML syntax error as a message a person can act on: where the broken construct began, and a fix.

The parser notices a mistake where it can no longer go on, often lines after the cause: an
unclosed quote is reported at the end of the file, an unclosed `{` at the next key. So the
message names the place where the construct it was reading began, and says what usually fixes
that kind of mistake.
"""

from __future__ import annotations

from typing import Any

from vendormatch.files.yaml_events import pos

#: (words of the parser's context, words of its problem) -> the usual fix; first match wins.
_FIXES: tuple[tuple[str, str, str], ...] = (
    ("quoted scalar", "end of stream", "close the quote opened there with the same quote character"),
    ("quoted scalar", "", "close the quote opened there, or escape the quote characters inside it"),
    ("flow mapping", "", "close the '{' opened there with '}', and put a comma between its entries"),
    ("flow sequence", "", "close the '[' opened there with ']', and put a comma between its items"),
    ("", "mapping values are not allowed", "quote a value that holds ': ' (\"like: this\"), or indent this line "
     "under the key it belongs to"),
    ("block mapping", "expected key", "line this key up with the other keys of its mapping (spaces, not tabs)"),
    ("block collection", "", "line this item up with the other items of its list"),
    ("", "expected <block end>", "line this line up with the lines above it of the same level"),
)


#: The parser's name for what it was reading -> the name a person knows it by.
_CONSTRUCTS = (
    ("quoted scalar", "quoted value"), ("flow mapping", "'{' mapping"), ("flow sequence", "'[' list"),
    ("block mapping", "mapping"), ("block collection", "list"),
)


def _tab_at(text: str, line: int, column: int) -> bool:
    lines = text.splitlines()
    return 0 < line <= len(lines) and "\t" in lines[line - 1][: column + 1]


def syntax_message(exc: Any, text: str) -> tuple[int, int, str]:
    """The place (line, column, 1-based), and the message, for a MarkedYAMLError raised on `text`."""
    mark = exc.problem_mark or exc.context_mark
    line, column = pos(mark) if mark is not None else (1, 1)
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    message = f"YAML syntax error: {context}: {problem}" if context else f"YAML syntax error: {problem}"
    began = exc.context_mark
    if began is not None and exc.problem_mark is not None and pos(began) != (line, column):
        start_line, start_column = pos(began)
        what = next((name for words, name in _CONSTRUCTS if words in context), "construct")
        message += f" (the {what} began at line {start_line}, column {start_column})"
    if _tab_at(text, line, column):
        return line, column, message + "; indent with spaces: YAML does not allow tabs for indentation"
    for in_context, in_problem, fix in _FIXES:
        if in_context in context and in_problem in problem:
            return line, column, f"{message}; {fix}"
    return line, column, f"{message}; check this line and the one above it: YAML often notices a mistake after it"
