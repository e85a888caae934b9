"""YAML to plain data, with the line and column of every node, and hostile input rejected.

The loader walks PyYAML's event stream (from the C parser where present) with an explicit
stack instead of using PyYAML's constructors. That one walk gives us what the constructors
cannot: positions for every key and value, duplicate-key detection, a depth limit that no
nesting can overflow, a bound on alias expansion, and a scalar resolver that follows YAML 1.2's
core schema so that `NO` stays the string "NO" and dates stay the text the user wrote.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from vendormatch.files.diagnostics import Diagnostic, UnreadableInputError, VendormatchError, truncate
from vendormatch.files.yaml_events import DEFAULT_LIMITS, Builder, DataPath, Limits, LoadError
from vendormatch.files.yaml_scalars import YamlFloat, YamlInt, resolve_plain
from vendormatch.files.yaml_syntax import syntax_message

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = [
    "DEFAULT_LIMITS", "DataPath", "Document", "Limits", "YamlFloat", "YamlInt", "collector_paused", "load_yaml",
    "parse_yaml", "read_bytes", "resolve_plain",
]


@dataclass(frozen=True)
class Document:
    """One loaded YAML file: its plain data and where each node stands in it."""

    file: str
    data: Any
    # 1-based (line, column) of each value node, keyed by its path from the root.
    values: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    # 1-based (line, column) of the key of each mapping entry, keyed by the entry's path.
    keys: dict[DataPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """Return the position of the node at `path`, or of its nearest located ancestor."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if end < len(path) and prefix in self.keys:
                return self.keys[prefix] if key or prefix not in self.values else self.values[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)

    def diagnostic(
        self, path: DataPath, code: str, message: str, *, key: bool = False, severity: str = "error"
    ) -> Diagnostic:
        """Build a diagnostic located at the node at `path`."""
        line, column = self.locate(path, key=key)
        return Diagnostic(self.file, line, column, "warning" if severity == "warning" else "error", code, message)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _line_col_of_offset(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, counting line breaks as libyaml does (CR too)."""
    line, start = 1, 0
    for match in _LINE_BREAK.finditer(text, 0, offset):
        line, start = line + 1, match.end()
    return line, offset - start + 1


def _text_before(raw: bytes) -> str:
    """The decoded text of some leading bytes, without a BOM: what positions count in."""
    return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")


def _decode(raw: bytes, file: str) -> str:
    """Decode UTF-8 (an optional BOM allowed), rejecting NUL bytes and other encodings with a place."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) >= 2 and (raw[0] == 0 or raw[1] == 0)):
        raise VendormatchError([Diagnostic(
            file, 1, 1, "error", "not-utf8",
            "the file looks like UTF-16 or UTF-32; save it as UTF-8",
        )])
    nul = raw.find(b"\x00")
    if nul >= 0:
        prefix = _text_before(raw[:nul])
        line, col = _line_col_of_offset(prefix, len(prefix))
        raise VendormatchError([Diagnostic(
            file, line, col, "error", "nul-byte",
            "the file contains a NUL byte: it is binary or corrupt, not a YAML text file",
        )])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", "replace")
        line, col = _line_col_of_offset(prefix, len(prefix))
        raise VendormatchError([Diagnostic(
            file, line, col, "error", "not-utf8",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
        )]) from None


def parse_yaml(raw: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Parse YAML bytes into a located Document, or raise VendormatchError with the place."""
    if len(raw) > limits.max_bytes:
        raise VendormatchError([Diagnostic(
            file, 1, 1, "error", "file-too-large",
            f"the file is {len(raw):,} bytes, over the {limits.max_bytes:,}-byte limit for one YAML file; "
            "split it (a catalogue holds one file per product)",
        )])
    text = _decode(raw, file)
    builder = Builder(limits)
    parser = _Parser(text)
    # The collector finds no cycles in freshly built plain data, yet its full passes over a
    # growing heap made loading a 1,000-file catalogue twice as slow: pause it for the walk.
    collecting = gc.isenabled()
    gc.disable()
    try:
        data = builder.run(parser.get_event)
    except LoadError as exc:
        raise VendormatchError([Diagnostic(file, exc.line, exc.column, "error", exc.code, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        line, col, message = syntax_message(exc, text)
        raise VendormatchError([Diagnostic(file, line, col, "error", "syntax", message)]) from None
    except yaml.reader.ReaderError as exc:
        # libyaml reports a byte offset into the UTF-8 text: count characters up to it.
        before = _text_before(text.encode("utf-8")[: exc.position])
        line, col = _line_col_of_offset(before, len(before))
        code = exc.character if isinstance(exc.character, int) else 0
        raise VendormatchError([Diagnostic(
            file, line, col, "error", "bad-character",
            f"character #x{code:04x} is not allowed in YAML; delete it or escape it in a quoted string",
        )]) from None
    except yaml.YAMLError as exc:
        raise VendormatchError([Diagnostic(file, 1, 1, "error", "syntax", f"YAML error: {truncate(exc, 200)}")]) from None
    finally:
        if collecting:
            gc.enable()
        parser.dispose()
    return Document(file, data, builder.values, builder.keys)


def read_bytes(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Read a file for parsing, turning every OS error into a located, exit-code-2 diagnostic."""
    try:
        info = path.stat()
        size = info.st_size
        if path.is_dir():
            raise IsADirectoryError(str(path))
        if not stat.S_ISREG(info.st_mode):
            # Opening a FIFO would block until something writes to it; a device may never end.
            raise UnreadableInputError([Diagnostic(
                display, 0, 0, "error", "unreadable",
                "is not a regular file (a FIFO, device or socket); give a YAML file",
            )])
        if size > limits.max_bytes:
            raise VendormatchError([Diagnostic(
                display, 1, 1, "error", "file-too-large",
                f"the file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit for one YAML file; "
                "split it (a catalogue holds one file per product)",
            )])
        with path.open("rb") as handle:
            return handle.read(limits.max_bytes + 1)
    except FileNotFoundError:
        message, code = "no such file or folder", "not-found"
    except IsADirectoryError:
        message, code = "is a folder, expected a YAML file", "unreadable"
    except OSError as exc:
        message, code = f"cannot read the file: {exc.strerror or type(exc).__name__}", "unreadable"
    raise UnreadableInputError([Diagnostic(display, 0, 0, "error", code, message)])


def load_yaml(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS, *, display: str | None = None) -> Document:
    """Read and parse one YAML file; `display` is the name diagnostics give it."""
    p = Path(path)
    name = display if display is not None else str(path)
    return parse_yaml(read_bytes(p, name, limits), name, limits)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the garbage collector while many files are loaded.

    Loading builds many small objects and frees nothing until the end; the collector's full passes
    over that growing heap made a 1,000-product catalogue take twice as long.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            # What was loaded lives on: freezing it spares the full pass that re-enabling would
            # trigger over the whole heap (a third of a second on 1,000 products).
            gc.freeze()
            gc.enable()
