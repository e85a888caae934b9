"""Output formats of diagnostics: exact strings for text, JSON and GitHub annotations."""

from __future__ import annotations

import json

import pytest

from vendormatch.files.diagnostics import Diagnostic
from vendormatch.lint.formats import (
    FORMATS,
    choose_format,
    format_github,
    format_json,
    format_text,
    use_color,
)

UNKNOWN_EDITION = Diagnostic(
    "catalog/vendors/acme.yaml", 14, 7, "error", "unknown-edition",
    "edition 'pro' includes unknown edition 'ultra'; known: starter, team",
)
STALE = Diagnostic("catalog/vendors/acme.yaml", 5, 9, "warning", "as-of-stale", "facts are 20 months old (as_of 2025-01)")
MISSING = Diagnostic("catalog/features.yaml", 0, 0, "error", "missing-file", "the catalogue has no features.yaml")
SORTED = sorted([UNKNOWN_EDITION, STALE, MISSING])


def test_text_is_one_parsable_line_each() -> None:
    assert format_text(SORTED) == (
        "catalog/features.yaml:0:0: error the catalogue has no features.yaml (missing-file)\n"
        "catalog/vendors/acme.yaml:5:9: warning facts are 20 months old (as_of 2025-01) (as-of-stale)\n"
        "catalog/vendors/acme.yaml:14:7: error edition 'pro' includes unknown edition 'ultra'; "
        "known: starter, team (unknown-edition)\n"
    )


def test_text_of_nothing_is_empty() -> None:
    for name in ("text", "github"):
        assert FORMATS[name]([]) == ""


def test_coloured_text_groups_lines_under_each_file() -> None:
    assert format_text(SORTED, color=True) == (
        "\033[1mcatalog/features.yaml\033[0m\n"
        "catalog/features.yaml:0:0: \033[1;31merror\033[0m the catalogue has no features.yaml "
        "\033[2m(missing-file)\033[0m\n"
        "\n"
        "\033[1mcatalog/vendors/acme.yaml\033[0m\n"
        "catalog/vendors/acme.yaml:5:9: \033[33mwarning\033[0m facts are 20 months old (as_of 2025-01) "
        "\033[2m(as-of-stale)\033[0m\n"
        "catalog/vendors/acme.yaml:14:7: \033[1;31merror\033[0m edition 'pro' includes unknown edition 'ultra'; "
        "known: starter, team \033[2m(unknown-edition)\033[0m\n"
    )


def test_control_characters_from_a_file_cannot_reach_the_terminal() -> None:
    hostile = Diagnostic("v\x1b]0;x\x07.yaml", 9, 1, "error", "unknown-key", "unknown key '\x1b[2J\u202eevil'")
    for color in (False, True):
        text = format_text([hostile], color=color)
        assert "\x1b[2J" not in text
        assert "\u202e" not in text
        assert "\x07" not in text
    assert format_text([hostile]) == "v\\x1b]0;x\\x07.yaml:9:1: error unknown key '\\x1b[2J\\u202eevil' (unknown-key)\n"
    # Text that is printable, accents and all, is left alone.
    plain = Diagnostic("vendors/société.yaml", 1, 1, "error", "x", "vendor 'Müller'")
    assert format_text([plain]) == "vendors/société.yaml:1:1: error vendor 'Müller' (x)\n"


def test_json_has_a_stable_versioned_shape() -> None:
    document = json.loads(format_json(SORTED, files_checked=3))
    assert document == {
        "version": 1,
        "diagnostics": [
            {"file": "catalog/features.yaml", "line": 0, "column": 0, "severity": "error",
             "code": "missing-file", "message": "the catalogue has no features.yaml"},
            {"file": "catalog/vendors/acme.yaml", "line": 5, "column": 9, "severity": "warning",
             "code": "as-of-stale", "message": "facts are 20 months old (as_of 2025-01)"},
            {"file": "catalog/vendors/acme.yaml", "line": 14, "column": 7, "severity": "error",
             "code": "unknown-edition", "message": "edition 'pro' includes unknown edition 'ultra'; known: starter, team"},
        ],
        "summary": {"errors": 2, "warnings": 1, "files_checked": 3, "files_with_findings": 2},
    }
    assert list(document) == ["version", "diagnostics", "summary"]


def test_json_of_nothing() -> None:
    assert format_json([], files_checked=34) == (
        '{\n  "version": 1,\n  "diagnostics": [],\n  "summary": {\n    "errors": 0,\n    "warnings": 0,\n'
        '    "files_checked": 34,\n    "files_with_findings": 0\n  }\n}\n'
    )


def test_json_ignores_color() -> None:
    assert format_json(SORTED, color=True) == format_json(SORTED)


def test_github_annotations() -> None:
    assert format_github(SORTED) == (
        "::error file=catalog/features.yaml,title=missing-file::the catalogue has no features.yaml\n"
        "::warning file=catalog/vendors/acme.yaml,line=5,col=9,title=as-of-stale::facts are 20 months old (as_of 2025-01)\n"
        "::error file=catalog/vendors/acme.yaml,line=14,col=7,title=unknown-edition::"
        "edition 'pro' includes unknown edition 'ultra'; known: starter, team\n"
    )


def test_github_escapes_what_would_end_a_command() -> None:
    odd = Diagnostic("a,b:c%.yaml", 2, 3, "error", "x", "100% sure\nsecond line\r")
    assert format_github([odd]) == "::error file=a%2Cb%3Ac%25.yaml,line=2,col=3,title=x::100%25 sure\\nsecond line\\r\n"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [({"GITHUB_ACTIONS": "true"}, "github"), ({"GITHUB_ACTIONS": "false"}, "text"), ({}, "text"), ({"CI": "true"}, "text")],
)
def test_auto_picks_github_under_actions(environ: dict[str, str], expected: str) -> None:
    assert choose_format("auto", environ) == expected
    # An explicit name is never overridden.
    assert choose_format("json", environ) == "json"


def test_auto_format_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert FORMATS["auto"](SORTED) == format_github(SORTED)
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert FORMATS["auto"](SORTED, color=True) == format_text(SORTED, color=True)


@pytest.mark.parametrize(
    ("tty", "environ", "expected"),
    [(True, {}, True), (False, {}, False), (True, {"NO_COLOR": "1"}, False), (True, {"NO_COLOR": ""}, True)],
)
def test_colour_only_on_a_terminal_without_no_color(tty: bool, environ: dict[str, str], expected: bool) -> None:
    assert use_color(tty, environ) is expected


def test_registry_holds_the_documented_formats() -> None:
    assert sorted(FORMATS) == ["auto", "github", "json", "text"]
    for formatter in FORMATS.values():
        assert formatter.__doc__
