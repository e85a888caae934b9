"""Splitting text into lower-case words: the first step of every normalisation, shared by the thesaurus."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[^a-z0-9]+")
# "e-mail", "e-sign", "x-ray": a one-letter prefix joins its word; "a/b" and "24/7" become one token.
_JOINED = re.compile(r"\b([a-z0-9])[-/]([a-z0-9]+)\b")
_SLASH_NUMBERS = re.compile(r"\b(\d+)\s*/\s*(\d+)\b")
_APOSTROPHE = re.compile(r"['\u2019]s?\b")


def raw_words(text: str) -> list[str]:
    """Lower-case words of a text, punctuation removed, one-letter prefixes and "24/7" joined."""
    lowered = text.lower().replace("&", " and ")
    # Most phrases hold none of these characters: the substitutions are skipped, at catalogue scale.
    if "'" in lowered or "\u2019" in lowered:
        lowered = _APOSTROPHE.sub("", lowered)
    if "/" in lowered:
        lowered = _SLASH_NUMBERS.sub(r"\1x\2", lowered)
    if "-" in lowered or "/" in lowered:
        lowered = _JOINED.sub(r"\1\2", lowered)
    return [w for w in _SEPARATORS.split(lowered) if w]
