"""Output formats for diagnostics: pure functions from diagnostics to text, in a name registry.

`text` is the linter line `file:line:col: severity message (rule-id)`, with the files set apart
and coloured when the caller asks (on a terminal); `json` is a stable, versioned document;
`github` writes GitHub Actions workflow commands, which show as annotations on the changed lines.
`auto` is `github` under GitHub Actions and `text` elsewhere.

The JSON shape (version 1), one object per diagnostic, sorted by file, line and column:

    {"version": 1,
     "diagnostics": [{"file": "catalog/vendors/acme.yaml", "line": 14, "column": 7,
                      "severity": "error", "code": "unknown-edition", "message": "..."}],
     "summary": {"errors": 1, "warnings": 0, "files_checked": 27, "files_with_findings": 1}}

`line` and `column` are 1-based; 0 means the problem is about the file as a whole. New keys may
be added within version 1; none is removed or changes meaning without a new version.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import Protocol

from vendormatch.files.diagnostics import Diagnostic

JSON_VERSION = 1


class Formatter(Protocol):
    """A format: every diagnostic (sorted) to one string, ending with a newline when not empty."""

    def __call__(self, diagnostics: Sequence[Diagnostic], *, color: bool = False, files_checked: int = 0) -> str:
        """Render the diagnostics."""
        ...


def _printable(text: str) -> str:
    """Escape control and format characters, so a hostile file name or key cannot drive the terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


_RESET = "\033[0m"
_STYLES = {"error": "\033[1;31m", "warning": "\033[33m", "file": "\033[1m", "code": "\033[2m"}


def _place(d: Diagnostic) -> str:
    return f"{_printable(d.file)}:{d.line}:{d.column}:"


def format_text(diagnostics: Sequence[Diagnostic], *, color: bool = False, files_checked: int = 0) -> str:
    """One `file:line:col: severity message (rule-id)` line each; with color, each file's lines set apart."""
    if not color:
        return "".join(f"{_printable(str(d))}\n" for d in diagnostics)
    lines: list[str] = []
    previous: str | None = None
    for d in diagnostics:
        if d.file != previous:
            if previous is not None:
                lines.append("")
            lines.append(f"{_STYLES['file']}{_printable(d.file)}{_RESET}")
            previous = d.file
        lines.append(
            f"{_place(d)} {_STYLES[d.severity]}{d.severity}{_RESET} {_printable(d.message)} "
            f"{_STYLES['code']}({_printable(d.code)}){_RESET}"
        )
    return "".join(f"{line}\n" for line in lines)


def summary(diagnostics: Sequence[Diagnostic], files_checked: int) -> dict[str, int]:
    """Counts of errors, warnings, files checked and files with findings."""
    return {
        "errors": sum(1 for d in diagnostics if d.severity == "error"),
        "warnings": sum(1 for d in diagnostics if d.severity == "warning"),
        "files_checked": files_checked,
        "files_with_findings": len({d.file for d in diagnostics}),
    }


def format_json(diagnostics: Sequence[Diagnostic], *, color: bool = False, files_checked: int = 0) -> str:
    """The stable JSON document described in this module's docstring."""
    document = {
        "version": JSON_VERSION,
        "diagnostics": [d.to_dict() for d in diagnostics],
        "summary": summary(diagnostics, files_checked),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping: '%', CR and LF in the message.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic], *, color: bool = False, files_checked: int = 0) -> str:
    """`::error file=..,line=..,col=..,title=rule::message` workflow commands, one per diagnostic."""
    lines: list[str] = []
    for d in diagnostics:
        props = [f"file={_escape_property(d.file)}"]
        if d.line:
            props.append(f"line={d.line}")
            if d.column:
                props.append(f"col={d.column}")
        props.append(f"title={_escape_property(d.code)}")
        lines.append(f"::{d.severity} {','.join(props)}::{_escape_data(_printable(d.message))}\n")
    return "".join(lines)


def choose_format(name: str, environ: Mapping[str, str] | None = None) -> str:
    """Resolve `auto` to `github` under GitHub Actions (GITHUB_ACTIONS=true), else `text`; other names stay."""
    if name != "auto":
        return name
    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"


def format_auto(diagnostics: Sequence[Diagnostic], *, color: bool = False, files_checked: int = 0) -> str:
    """`github` under GitHub Actions, `text` elsewhere."""
    return FORMATS[choose_format("auto")](diagnostics, color=color, files_checked=files_checked)


FORMATS: dict[str, Formatter] = {
    "auto": format_auto,
    "text": format_text,
    "json": format_json,
    "github": format_github,
}


def use_color(stream_is_tty: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Colour for a terminal, unless NO_COLOR is set to anything non-empty (no-color.org)."""
    env = os.environ if environ is None else environ
    return stream_is_tty and not env.get("NO_COLOR")
