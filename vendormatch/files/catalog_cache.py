"""A cache of validated catalogue files, so that an unchanged catalogue is not parsed again.

PyYAML builds Python objects at about 1 MB/s even with its C parser, while pydantic validates
JSON at around 100 MB/s: a large catalogue spends most of a run parsing. Each file's validated
model and its own diagnostics are kept, keyed by the file's path, size, modification time and
content hash, in one JSON document per catalogue folder under the user's cache directory. It is
read back with pydantic's JSON validation (never pickle), written atomically, and any entry that
is stale, corrupt or from another version is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from vendormatch.files.diagnostics import Diagnostic, VendormatchError
from vendormatch.files.loader import DataPath, Document, Limits, load_yaml
from vendormatch.files.models import FeaturesFile, Product

CACHE_VERSION = 1


class CachedDiagnostic(BaseModel):
    """A diagnostic of one file as stored: without the file's name, which depends on the working folder."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    line: int
    column: int
    severity: str
    code: str
    message: str

    def restore(self, file: str) -> Diagnostic:
        """The Diagnostic this entry was made from, for the file as it is shown now."""
        return Diagnostic(file, self.line, self.column, "warning" if self.severity == "warning" else "error",
                          self.code, self.message)


class CacheEntry(BaseModel):
    """One file: its fingerprint, its validated model (None when it had errors) and its diagnostics."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    size: int
    mtime_ns: int
    sha256: str
    product: Product | None = None
    features: FeaturesFile | None = None
    diagnostics: tuple[CachedDiagnostic, ...] = ()


class CacheFile(BaseModel):
    """Every cached file of one catalogue folder, keyed by the file's resolved path."""

    model_config = ConfigDict(extra="forbid")

    version: int
    package_version: str
    entries: dict[str, CacheEntry] = {}


def cache_dir() -> Path:
    """Where caches live: $VENDORMATCH_CACHE_DIR, else $XDG_CACHE_HOME/vendormatch, else ~/.cache/vendormatch."""
    explicit = os.environ.get("VENDORMATCH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vendormatch"


def _package_version() -> str:
    try:
        from importlib.metadata import version

        return version("vendormatch")
    except Exception:  # not installed (running from a checkout): the source tree is the version
        return "source"


def cache_path(root: Path) -> Path:
    """The cache document of one catalogue folder."""
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"catalog-{digest}.json"


def fingerprint(path: Path, data: bytes) -> tuple[int, int, str]:
    """Size, modification time (ns) and SHA-256 of a file whose bytes were just read."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest()


class CatalogCache:
    """The cache of one catalogue folder: look entries up, record new ones, save once."""

    def __init__(self, root: Path) -> None:
        self.path = cache_path(root)
        self.version = _package_version()
        self.old: dict[str, CacheEntry] = {}
        self.new: dict[str, CacheEntry] = {}
        try:
            stored = CacheFile.model_validate_json(self.path.read_bytes())
            if stored.version == CACHE_VERSION and stored.package_version == self.version:
                self.old = stored.entries
        except (OSError, ValueError, ValidationError):
            pass  # missing, unreadable, corrupt or from another version: rebuilt from the files

    def lookup(self, path: Path, data: bytes) -> CacheEntry | None:
        """The entry for this file if its size, time and hash all still match."""
        key = str(path.resolve())
        entry = self.old.get(key)
        if entry is None:
            return None
        size, mtime_ns, sha = fingerprint(path, data)
        if (entry.size, entry.mtime_ns, entry.sha256) != (size, mtime_ns, sha):
            return None
        self.new[key] = entry
        return entry

    def record(self, path: Path, data: bytes, *, product: Product | None = None, features: FeaturesFile | None = None,
               diagnostics: list[Diagnostic] | tuple[Diagnostic, ...] = ()) -> None:
        """Remember a freshly validated file."""
        size, mtime_ns, sha = fingerprint(path, data)
        self.new[str(path.resolve())] = CacheEntry(
            size=size, mtime_ns=mtime_ns, sha256=sha, product=product, features=features,
            diagnostics=tuple(
                CachedDiagnostic(line=d.line, column=d.column, severity=d.severity, code=d.code, message=d.message)
                for d in diagnostics
            ),
        )

    def save(self) -> None:
        """Write the cache atomically when it changed; a cache that cannot be written is simply skipped."""
        if self.new.keys() == self.old.keys() and all(self.new[k] is self.old[k] for k in self.new):
            return
        document = CacheFile(version=CACHE_VERSION, package_version=self.version, entries=dict(sorted(self.new.items())))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".catalog-", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(document.model_dump_json(exclude_defaults=True).encode())
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            pass


class LazyDocument(Document):
    """A cached file's document: positions are parsed from the file only if a diagnostic needs one."""

    def __init__(self, path: Path, file: str, limits: Limits) -> None:
        super().__init__(file, None, {}, {})
        object.__setattr__(self, "_source", (path, limits))
        object.__setattr__(self, "_parsed", None)

    def _document(self) -> Document:
        parsed: Document | None = object.__getattribute__(self, "_parsed")
        if parsed is None:
            path, limits = object.__getattribute__(self, "_source")
            try:
                parsed = load_yaml(path, limits, display=self.file)
            except VendormatchError:
                parsed = Document(self.file, None)  # changed under us since it was cached: positions unknown
            object.__setattr__(self, "_parsed", parsed)
        return parsed

    def locate(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """The position of a node, parsing the file on first use."""
        return self._document().locate(path, key=key)
