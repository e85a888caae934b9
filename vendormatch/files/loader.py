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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml import events

from vendormatch.files.diagnostics import Diagnostic, UnreadableInputError, VendormatchError, truncate

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile file from costing more than seconds and a little memory."""

    max_bytes: int = 8 * 1024 * 1024
    max_depth: int = 64
    # Nodes that aliases may add on top of the nodes written out: enough for anchors that
    # share a feature list across editions, far below a "billion laughs" expansion.
    max_alias_nodes: int = 100_000
    # Nodes written out in one file. Each costs about a microsecond and a few hundred bytes, so
    # this keeps a file of millions of tiny values (`[1,1,1,...]` on one 5 MB line) to a second.
    max_nodes: int = 250_000


DEFAULT_LIMITS = Limits()


class YamlInt(int):
    """An integer that remembers the text it was written as, so an id like 007 stays '007'."""

    source: str

    def __new__(cls, value: int, source: str) -> YamlInt:
        obj = super().__new__(cls, value)
        obj.source = source
        return obj


class YamlFloat(float):
    """A float that remembers the text it was written as, so a name like 3.10 stays '3.10'."""

    source: str

    def __new__(cls, value: float, source: str) -> YamlFloat:
        obj = super().__new__(cls, value)
        obj.source = source
        return obj


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


# YAML 1.2 core schema, not YAML 1.1: yes/no/on/off and dates stay strings.
_INT = re.compile(r"[-+]?[0-9]+\Z")
_INT_OCT = re.compile(r"0o[0-7]+\Z")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset(["", "~", "null", "Null", "NULL"])
_TRUES = frozenset(["true", "True", "TRUE"])
_FALSES = frozenset(["false", "False", "FALSE"])
_SPECIAL_FLOATS = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}
_MAYBE_NOT_STR = frozenset("0123456789+-.~nNtTfF")
_NOT_NUMBER_START = frozenset("~nNtTfF")


def resolve_plain(text: str) -> Any:
    """Resolve an untagged plain scalar the way YAML 1.2's core schema does."""
    first = text[:1]
    if first and first not in _MAYBE_NOT_STR:
        return text
    if text in _NULLS:
        return None
    if text in _TRUES:
        return True
    if text in _FALSES:
        return False
    if first in _NOT_NUMBER_START:
        # Words like "feature-x", "true-ish" or "none": no number starts with these letters.
        return text
    if _INT.match(text):
        try:
            return YamlInt(int(text), text)
        except ValueError:
            # Over Python's 4,300-digit limit for int(): no count or price is that long, so keep
            # the text, and the schema then says "expected a number" at its place.
            return text
    if _INT_OCT.match(text):
        return YamlInt(int(text[2:], 8), text)
    if _INT_HEX.match(text):
        return YamlInt(int(text[2:], 16), text)
    if _FLOAT.match(text) and text not in (".", "+.", "-."):
        return YamlFloat(float(text), text)
    if text in _SPECIAL_FLOATS:
        return YamlFloat(_SPECIAL_FLOATS[text], text)
    return text


_TAG = "tag:yaml.org,2002:"


def _tagged_scalar(tag: str, text: str) -> Any:
    """Construct a scalar with an explicit plain-type tag, or raise ValueError."""
    kind = tag[len(_TAG):]
    if kind == "str":
        return text
    value = resolve_plain(text)
    if kind == "null" and value is None:
        return None
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return YamlFloat(float(value), text)
    raise ValueError(f"'{truncate(text)}' is not a valid !!{kind}")


_ALLOWED_SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null"))


class _Frame:
    __slots__ = ("anchor", "container", "explicit", "key_mark", "merging", "path", "pending_key", "size")

    def __init__(self, container: dict[str, Any] | list[Any], path: DataPath, anchor: str | None) -> None:
        self.container = container
        self.path = path
        self.pending_key: str | None = None
        self.key_mark: tuple[int, int] = (0, 0)
        self.anchor = anchor
        self.size = 1
        # Keys written in this mapping (not merged in with `<<`), with where each stands.
        self.explicit: dict[str, tuple[int, int]] = {}
        self.merging = False


class _LoadError(Exception):
    def __init__(self, line: int, column: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.code, self.message = line, column, code, message


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Builder:
    """Turns one YAML event stream into plain data and position tables."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.values: dict[DataPath, tuple[int, int]] = {}
        self.keys: dict[DataPath, tuple[int, int]] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.alias_nodes = 0
        self.nodes = 0
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0

    def run(self, next_event: Callable[[], Any]) -> Any:
        # Dispatch on the event's exact class: one dict lookup instead of a chain of isinstance
        # calls, on a loop that runs once per node of every file.
        handlers: dict[type, Callable[[Any], None]] = {
            events.MappingStartEvent: self.start,
            events.SequenceStartEvent: self.start,
            events.MappingEndEvent: self.end,
            events.SequenceEndEvent: self.end,
            events.AliasEvent: self.alias,
            events.DocumentStartEvent: self.document_start,
            events.StreamStartEvent: _ignore,
            events.DocumentEndEvent: _ignore,
        }
        stream_end = events.StreamEndEvent
        scalar_event, scalar = events.ScalarEvent, self.scalar
        while True:
            event = next_event()
            kind = type(event)
            if kind is scalar_event:
                scalar(event)
                continue
            if event is None or kind is stream_end:
                return self.root
            handlers.get(kind, _ignore)(event)

    def document_start(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            line, col = _pos(event.start_mark)
            raise _LoadError(
                line, col, "multiple-documents",
                "a second YAML document starts here; keep one document per file "
                "(remove this '---' or split the file)",
            )

    # -- placing values -------------------------------------------------------------------

    def child_path(self) -> DataPath:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        assert top.pending_key is not None
        return (*top.path, top.pending_key)

    def expecting_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].container, dict) and self.stack[-1].pending_key is None

    def place(self, value: Any, size: int, mark: tuple[int, int]) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        top.size += size
        if isinstance(top.container, list):
            top.container.append(value)
            return
        key = top.pending_key
        assert key is not None
        top.pending_key = None
        if top.merging:
            top.merging = False
            self.merge(top, value, mark)
        else:
            top.container[key] = value

    def merge(self, frame: _Frame, value: Any, mark: tuple[int, int]) -> None:
        sources = value if isinstance(value, list) else [value]
        if not all(isinstance(s, dict) for s in sources):
            raise _LoadError(*mark, "bad-merge", "a '<<' merge key needs a mapping or a list of mappings")
        assert isinstance(frame.container, dict)
        for source in sources:
            for k, v in source.items():
                if k not in frame.explicit and k not in frame.container:
                    frame.container[k] = v
                    self.keys.setdefault((*frame.path, k), frame.key_mark)

    def count_node(self, mark: tuple[int, int]) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.too_many_nodes(mark)

    def too_many_nodes(self, mark: tuple[int, int]) -> _LoadError:
        return _LoadError(
            *mark, "too-many-nodes",
            f"the file holds more than {self.limits.max_nodes:,} values; no vendormatch file needs "
            "this many: split it (a catalogue holds one file per product)",
        )

    # -- events ---------------------------------------------------------------------------

    def scalar(self, event: events.ScalarEvent) -> None:
        # The hot path: the general steps (expecting_key, child_path, place) written out inline.
        start_mark: Any = event.start_mark
        mark = (start_mark.line + 1, start_mark.column + 1)
        tag = event.tag
        if tag is not None and tag != "!" and tag not in _ALLOWED_SCALAR_TAGS:
            self.bad_tag(tag, mark)
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.too_many_nodes(mark)
        stack = self.stack
        top: _Frame | None = None
        key: str | None = None
        if stack:
            top = stack[-1]
            container = top.container
            if type(container) is list:
                path: DataPath = (*top.path, len(container))
            else:
                key = top.pending_key
                if key is None:
                    self.key(event.value, mark, plain=bool(event.implicit[0]) and tag is None)
                    return
                path = (*top.path, key)
        else:
            path = ()
        if tag is None:
            value = resolve_plain(event.value) if event.implicit[0] else event.value
        elif tag in _ALLOWED_SCALAR_TAGS:
            try:
                value = _tagged_scalar(tag, event.value)
            except ValueError as exc:
                raise _LoadError(*mark, "bad-tag", str(exc)) from None
        else:
            value = event.value
        self.values[path] = mark
        if top is None:
            self.root = value
        elif key is None:
            top.size += 1
            top.container.append(value)  # type: ignore[union-attr]
        elif top.merging:
            self.place(value, 1, mark)
        else:
            top.size += 1
            top.pending_key = None
            top.container[key] = value  # type: ignore[call-overload]
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)

    def key(self, text: str, mark: tuple[int, int], *, plain: bool) -> None:
        top = self.stack[-1]
        if text == "<<" and plain:
            top.pending_key = "<<"
            top.key_mark = mark
            top.merging = True
            return
        if text == "":
            raise _LoadError(*mark, "empty-key", "a mapping key is empty; write a name before the ':'")
        explicit = top.explicit
        first = explicit.get(text)
        if first is not None:
            raise _LoadError(
                *mark, "duplicate-key",
                f"duplicate key '{truncate(text)}' (first defined at line {first[0]}, column {first[1]}); "
                "YAML would silently keep only the last one: remove or rename one of them",
            )
        explicit[text] = mark
        top.pending_key = text
        top.key_mark = mark
        self.keys[(*top.path, text)] = mark

    def alias(self, event: events.AliasEvent) -> None:
        mark = _pos(event.start_mark)
        if self.expecting_key():
            raise _LoadError(*mark, "complex-key", "an alias cannot be used as a mapping key; write the key out")
        anchor = event.anchor
        if anchor not in self.anchors:
            raise _LoadError(
                *mark, "unknown-alias",
                f"alias '*{truncate(anchor)}' refers to no anchor defined before it (or to the node that contains it)",
            )
        self.count_node(mark)
        value, size = self.anchors[anchor]
        self.alias_nodes += size
        if self.alias_nodes > self.limits.max_alias_nodes:
            raise _LoadError(
                *mark, "alias-bomb",
                f"aliases expand to more than {self.limits.max_alias_nodes:,} nodes (a 'billion laughs' "
                "file?); write the data out or use fewer nested aliases",
            )
        self.values[self.child_path()] = mark
        self.place(value, size, mark)

    def start(self, event: events.CollectionStartEvent) -> None:
        # Hot too: expecting_key and child_path written out inline.
        start_mark: Any = event.start_mark
        mark = (start_mark.line + 1, start_mark.column + 1)
        stack = self.stack
        if stack:
            top = stack[-1]
            if type(top.container) is list:
                path: DataPath = (*top.path, len(top.container))
            elif top.pending_key is None:
                raise _LoadError(
                    *mark, "complex-key", "a mapping key must be a plain name, not a list or mapping"
                )
            else:
                path = (*top.path, top.pending_key)
        else:
            path = ()
        is_mapping = type(event) is events.MappingStartEvent
        tag = event.tag
        if tag is not None and tag not in ("!", _MAP_TAG if is_mapping else _SEQ_TAG):
            self.bad_tag(tag, mark)
        if len(stack) >= self.limits.max_depth:
            raise _LoadError(
                *mark, "too-deep",
                f"nesting deeper than {self.limits.max_depth} levels; no vendormatch file needs this",
            )
        self.count_node(mark)
        self.values[path] = mark
        container: dict[str, Any] | list[Any] = {} if is_mapping else []
        stack.append(_Frame(container, path, event.anchor))

    def end(self, event: Any) -> None:
        # `end` with the common cases of `place` written out inline.
        stack = self.stack
        frame = stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.container, frame.size)
        if stack:
            top = stack[-1]
            parent = top.container
            if type(parent) is list:
                top.size += frame.size
                parent.append(frame.container)
                return
            key = top.pending_key
            if key is not None and not top.merging:
                top.size += frame.size
                top.pending_key = None
                parent[key] = frame.container  # type: ignore[call-overload]
                return
        self.place(frame.container, frame.size, self.values.get(frame.path, (1, 1)))

    def bad_tag(self, tag: str, mark: tuple[int, int]) -> None:
        raise _LoadError(
            *mark, "unsafe-tag",
            f"tag '{truncate(tag)}' is not allowed: vendormatch reads plain YAML only "
            "(mappings, lists, strings, numbers, true/false, null); remove the tag",
        )


def _ignore(event: Any) -> None:
    """Events that carry nothing to build (stream start, document end)."""


_MAP_TAG = _TAG + "map"
_SEQ_TAG = _TAG + "seq"


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
    builder = _Builder(limits)
    parser = _Parser(text)
    # The collector finds no cycles in freshly built plain data, yet its full passes over a
    # growing heap made loading a 1,000-file catalogue twice as slow: pause it for the walk.
    collecting = gc.isenabled()
    gc.disable()
    try:
        data = builder.run(parser.get_event)
    except _LoadError as exc:
        raise VendormatchError([Diagnostic(file, exc.line, exc.column, "error", exc.code, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark is not None else (1, 1)
        message = exc.problem or "invalid YAML"
        if exc.context:
            message = f"{exc.context}: {message}"
        raise VendormatchError([Diagnostic(file, line, col, "error", "syntax", f"YAML syntax error: {message}")]) from None
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
        size = path.stat().st_size
        if path.is_dir():
            raise IsADirectoryError(str(path))
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
