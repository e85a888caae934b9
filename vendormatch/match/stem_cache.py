"""A cache of the stems of the catalogue's phrases, so that the matcher's index is not rebuilt from
scratch on every run.

Reducing the 5,000 names, aliases and description sentences of the shipped taxonomy to stems is
most of building the index (0.2 s); the rest takes milliseconds. The stems of each phrase are kept
in one JSON document under the user's cache directory (see vendormatch.files.catalog_cache), keyed
by a digest of this package's sources and the stemmer's release (they decide the stems), sealed with
a digest of its content, read only when it is a regular file of bounded size, and written with the
same atomic writer as the catalogue cache. Anything that does not check out is ignored and rebuilt:
the stems, and so every match, are the same with or without it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import Stemmer

from vendormatch.files.catalog_cache import cache_dir, keep_newest, read_bounded, save_document, sources_digest
from vendormatch.match.normalise import stems

STEM_CACHE_VERSION = 1
# A document past this many phrases holds texts of catalogues long gone: it is started afresh.
MAX_PHRASES = 200_000
#: Documents of other code versions kept beside this one (two installs may share a cache folder).
KEPT_DOCUMENTS = 4


def _seal(entries: dict[str, list[str]]) -> str:
    return hashlib.sha256(json.dumps(entries, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class StemCache:
    """Stems by phrase: looked up, computed when missing, saved once when anything was added."""

    def __init__(self) -> None:
        # The stems depend on this package's code and on the stemmer's release.
        self.code = sources_digest(Path(__file__).resolve().parent, f"stems {STEM_CACHE_VERSION} {Stemmer.version()}")
        self.path = cache_dir() / f"stems-{self.code[:24]}.json"
        self.entries: dict[str, list[str]] = {}
        self.added = False
        data = read_bounded(self.path)
        if data is None:
            return
        try:
            stored = json.loads(data)
            entries = stored["stems"]
            valid = (stored["version"] == STEM_CACHE_VERSION and stored["code"] == self.code
                     and isinstance(entries, dict) and stored["seal"] == _seal(entries))
        except (ValueError, KeyError, TypeError):
            return  # corrupt, or not ours: rebuilt
        if valid and len(entries) <= MAX_PHRASES:
            self.entries = entries

    def stems(self, text: str) -> Sequence[str]:
        """The stems of a text, from the cache when it has them."""
        found = self.entries.get(text)
        if found is None:
            found = stems(text)
            self.entries[text] = found
            self.added = True
        return found

    def save(self) -> None:
        """Write the document atomically if stems were added; a cache that cannot be written is skipped."""
        if not self.added:
            return
        document = {"version": STEM_CACHE_VERSION, "code": self.code, "seal": _seal(self.entries),
                    "stems": self.entries}
        save_document(self.path, lambda: json.dumps(document, ensure_ascii=False), prefix=".stems-")
        keep_newest(self.path.parent, "stems-*.json", KEPT_DOCUMENTS, self.path)
