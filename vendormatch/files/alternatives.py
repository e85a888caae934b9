"""Alternatives: a requirement met by any one of several features ("an API or a ready-made connector").

In the files a requirement lists `{any: [api-access, integrations-marketplace]}` beside plain feature
ids. Everywhere after loading it is one key, `any:api-access|integrations-marketplace` (members
sorted), that stands in a list of features like a feature id does: its level in a bundle is the best
level of its members, and its stance is its best member's. Keys keep every later layer (the
optimiser, scores, traces, reports) working on one kind of value, a string.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

ANY_PREFIX = "any:"
_SEPARATOR = "|"


def any_key(members: Iterable[str]) -> str:
    """The key of an alternative: its members sorted and deduplicated."""
    return ANY_PREFIX + _SEPARATOR.join(sorted(set(members)))


def is_any(key: str) -> bool:
    """Tell whether a key stands for an alternative rather than one feature."""
    return key.startswith(ANY_PREFIX)


def members(key: str) -> tuple[str, ...]:
    """The features a key stands for: an alternative's members, or the feature itself."""
    return tuple(key[len(ANY_PREFIX):].split(_SEPARATOR)) if is_any(key) else (key,)


def real_features(keys: Iterable[str]) -> set[str]:
    """Every feature id the keys name, alternatives opened up."""
    return {feature for key in keys for feature in members(key)}


def level_of(levels: Mapping[str, float], key: str) -> float:
    """A key's level in a map of feature levels: an alternative's is its best member's (or its own entry,
    when the map already holds one, as optimistic readings do)."""
    if key.startswith(ANY_PREFIX):  # not is_any(): this runs for every feature of every bundle
        return max(levels.get(key, 0.0), *(levels.get(feature, 0.0) for feature in members(key)))
    return levels.get(key, 0.0)


def with_alternatives(levels: Mapping[str, float], keys: Iterable[str]) -> dict[str, float]:
    """The levels, plus each alternative among `keys` that some member gives (at its best member's level)."""
    out = dict(levels)
    for key in keys:
        if is_any(key):
            level = level_of(levels, key)
            if level > 0:
                out[key] = level
    return out


def as_item(key: str) -> str | dict[str, list[str]]:
    """A key as the files write it: a feature id, or `{"any": [...]}` for alternatives."""
    return {"any": list(members(key))} if is_any(key) else key


def describe(key: str) -> str:
    """A key as people read it: 'api-access or integrations-marketplace'."""
    return " or ".join(members(key)) if is_any(key) else key
