"""PyYAML's event stream to plain data with positions: the loader's one walk over a file.

An explicit stack instead of PyYAML's constructors gives positions for every key and value,
duplicate-key detection, a depth limit that no nesting can overflow and a bound on alias expansion.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yaml import events

from vendormatch.files.diagnostics import truncate
from vendormatch.files.yaml_scalars import ALLOWED_SCALAR_TAGS, TAG, resolve_plain, tagged_scalar

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


class LoadError(Exception):
    def __init__(self, line: int, column: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.code, self.message = line, column, code, message


def pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class Builder:
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
            line, col = pos(event.start_mark)
            raise LoadError(
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
            raise LoadError(*mark, "bad-merge", "a '<<' merge key needs a mapping or a list of mappings")
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

    def too_many_nodes(self, mark: tuple[int, int]) -> LoadError:
        return LoadError(
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
        if tag is not None and tag != "!" and tag not in ALLOWED_SCALAR_TAGS:
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
        elif tag in ALLOWED_SCALAR_TAGS:
            try:
                value = tagged_scalar(tag, event.value)
            except ValueError as exc:
                raise LoadError(*mark, "bad-tag", str(exc)) from None
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
            raise LoadError(*mark, "empty-key", "a mapping key is empty; write a name before the ':'")
        explicit = top.explicit
        first = explicit.get(text)
        if first is not None:
            raise LoadError(
                *mark, "duplicate-key",
                f"duplicate key '{truncate(text)}' (first defined at line {first[0]}, column {first[1]}); "
                "YAML would silently keep only the last one: remove or rename one of them",
            )
        explicit[text] = mark
        top.pending_key = text
        top.key_mark = mark
        self.keys[(*top.path, text)] = mark

    def alias(self, event: events.AliasEvent) -> None:
        mark = pos(event.start_mark)
        if self.expecting_key():
            raise LoadError(*mark, "complex-key", "an alias cannot be used as a mapping key; write the key out")
        anchor = event.anchor
        if anchor not in self.anchors:
            raise LoadError(
                *mark, "unknown-alias",
                f"alias '*{truncate(anchor)}' refers to no anchor defined before it (or to the node that contains it)",
            )
        self.count_node(mark)
        value, size = self.anchors[anchor]
        self.alias_nodes += size
        if self.alias_nodes > self.limits.max_alias_nodes:
            raise LoadError(
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
                raise LoadError(
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
            raise LoadError(
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
        raise LoadError(
            *mark, "unsafe-tag",
            f"tag '{truncate(tag)}' is not allowed: vendormatch reads plain YAML only "
            "(mappings, lists, strings, numbers, true/false, null); remove the tag",
        )


def _ignore(event: Any) -> None:
    """Events that carry nothing to build (stream start, document end)."""


_MAP_TAG = TAG + "map"
_SEQ_TAG = TAG + "seq"
