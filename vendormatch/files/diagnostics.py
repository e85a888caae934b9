"""Located problems: the values every check produces and every error carries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem found in one file, at a 1-based line and column (0 when unknown)."""

    file: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity} {self.message} ({self.code})"

    def to_dict(self) -> dict[str, str | int]:
        """Return the stable JSON shape of a diagnostic."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Return diagnostics in file, line, column order, without duplicates."""
    return sorted(set(diagnostics))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Tell whether any diagnostic is an error."""
    return any(d.severity == "error" for d in diagnostics)


class VendormatchError(Exception):
    """Raised when input cannot be used; carries every located diagnostic found."""

    #: Exit code the CLI maps this error to: 1 for findings in the content.
    exit_code = 1

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(sort_diagnostics(diagnostics))
        first = self.diagnostics[0] if self.diagnostics else None
        super().__init__(str(first) if first else "invalid input")


class UnreadableInputError(VendormatchError):
    """Raised when a file or folder cannot be read at all (missing, a directory, no permission)."""

    exit_code = 2


def truncate(value: object, limit: int = 60) -> str:
    """Render a user value for a message, cut short so a 5 MB scalar never floods the terminal."""
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", "\\n")
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text
