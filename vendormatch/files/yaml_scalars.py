"""YAML 1.2 core-schema scalars: what plain and tagged text mean, and numbers that keep their spelling."""

from __future__ import annotations

import re
from typing import Any

from vendormatch.files.diagnostics import truncate


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


TAG = "tag:yaml.org,2002:"


def tagged_scalar(tag: str, text: str) -> Any:
    """Construct a scalar with an explicit plain-type tag, or raise ValueError."""
    kind = tag[len(TAG):]
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


ALLOWED_SCALAR_TAGS = frozenset(TAG + t for t in ("str", "int", "float", "bool", "null"))
