"""A cache of validated catalogue files, so that an unchanged catalogue is not parsed again.

PyYAML builds Python objects at about 1 MB/s even with its C parser, while pydantic validates
JSON at around 100 MB/s: a large catalogue spends most of a run parsing. Each file's validated
model and its own diagnostics are kept, keyed by the file's path, size, modification time and
content hash, in one JSON document per catalogue folder under the user's cache directory. It is
read back with pydantic's JSON validation (never pickle), written atomically, and any entry that
is stale, corrupt or altered (each carries a digest of its content), or written by other code (the
document carries a digest of this layer's sources), is ignored and rebuilt.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import signal
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from pydantic import BaseModel, ConfigDict

from vendormatch.files.diagnostics import Diagnostic, VendormatchError
from vendormatch.files.loader import DataPath, Document, Limits, load_yaml
from vendormatch.files.models import FeaturesFile, Product
from vendormatch.files.output_file import replace_file, special_file_kind

CACHE_VERSION = 2


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

    def digest(self) -> str:
        """A digest of everything the entry says, in its canonical JSON form."""
        return hashlib.sha256(self.model_dump_json(exclude_defaults=True).encode()).hexdigest()


class SealedEntry(BaseModel):
    """An entry with the digest it had when it was written: an entry altered since then is not used."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    digest: str
    entry: CacheEntry


class CacheFile(BaseModel):
    """Every cached file of one catalogue folder, keyed by the file's resolved path."""

    model_config = ConfigDict(extra="forbid")

    version: int
    code: str
    entries: dict[str, SealedEntry] = {}


# A cache document is far smaller than this for any real catalogue (the shipped one: about 1 MB; a
# synthetic 1,000-product one: about 40 MB). Anything larger is not ours: it is ignored, never read.
MAX_CACHE_BYTES = 512 * 1024 * 1024
# Temporary files older than this were left by a run that was killed while saving; younger ones may
# belong to a run saving right now.
STALE_TEMPORARY_SECONDS = 600


def cache_dir() -> Path:
    """Where caches live: $VENDORMATCH_CACHE_DIR, else $XDG_CACHE_HOME/vendormatch, else ~/.cache/vendormatch."""
    explicit = os.environ.get("VENDORMATCH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vendormatch"


@functools.cache
def code_digest() -> str:
    """A digest of the code that decides what a cache entry holds: this layer's sources and pydantic's version.

    A version string would not do: an editable or git install reports the same version after every
    change to the models or rules, and would go on serving entries the new code would not produce.
    """
    import pydantic

    return sources_digest(Path(__file__).resolve().parent, f"{CACHE_VERSION} pydantic {pydantic.VERSION}")


def sources_digest(folder: Path, salt: str) -> str:
    """A digest of every Python source below `folder` (names and contents), and of `salt`."""
    digest = hashlib.sha256(salt.encode())
    for source in sorted(folder.rglob("*.py")):
        digest.update(source.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(source.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_path(root: Path) -> Path:
    """The cache document of one catalogue folder."""
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"catalog-{digest}.json"


def fingerprint(path: Path, data: bytes) -> tuple[int, int, str]:
    """Size, modification time (ns) and SHA-256 of a file whose bytes were just read."""
    stat_result = path.stat()
    return stat_result.st_size, stat_result.st_mtime_ns, hashlib.sha256(data).hexdigest()


def read_bounded(path: Path) -> bytes | None:
    """The cache document's bytes, or None when it is missing, not a regular file or too large.

    The file is opened without blocking (a FIFO planted there must not hang the run) and checked
    on the open descriptor, so that what is read is what was checked.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
            return None
        data = handle.read(MAX_CACHE_BYTES + 1)
    return data if len(data) <= MAX_CACHE_BYTES else None


def remove_stale_temporaries(folder: Path, now: float | None = None, prefix: str = ".catalog-") -> None:
    """Delete temporary files (named `prefix`*.tmp) that a killed run left in the cache folder."""
    limit = (time.time() if now is None else now) - STALE_TEMPORARY_SECONDS
    try:
        leftovers = list(folder.glob(f"{prefix}*.tmp"))
    except OSError:
        return
    for leftover in leftovers:
        try:
            if leftover.lstat().st_mtime < limit:
                leftover.unlink()
        except OSError:
            pass  # gone already, or not ours to remove


def keep_newest(folder: Path, pattern: str, keep: int, current: Path) -> None:
    """Delete all but the `keep` most recently written regular files matching `pattern`, `current` (just
    written) counted among them: documents keyed by code or catalogue version pile up otherwise, one per
    release or catalogue edit. A file another run removes or replaces meanwhile is simply skipped."""
    found: list[tuple[float, str, Path]] = []
    try:
        candidates = [p for p in folder.glob(pattern) if p != current]
    except OSError:
        return
    for candidate in candidates:
        with contextlib.suppress(OSError):
            info = candidate.lstat()
            if stat.S_ISREG(info.st_mode):
                found.append((info.st_mtime, candidate.name, candidate))
    for _, _, old in sorted(found, reverse=True)[max(keep - 1, 0):]:
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            old.unlink()


class CatalogCache:
    """The cache of one catalogue folder: look entries up, record new ones, save once."""

    def __init__(self, root: Path) -> None:
        self.path = cache_path(root)
        self.code = code_digest()
        self.old: dict[str, SealedEntry] = {}
        self.new: dict[str, SealedEntry] = {}
        data = read_bounded(self.path)
        if data is None:
            return
        try:
            stored = CacheFile.model_validate_json(data)
        except ValueError:
            return  # corrupt, or written by other code: rebuilt from the files
        if stored.version == CACHE_VERSION and stored.code == self.code:
            self.old = stored.entries

    def lookup(self, path: Path, data: bytes) -> CacheEntry | None:
        """The entry for this file if its size, time and hash all still match and it is as it was written."""
        key = str(path.resolve())
        sealed = self.old.get(key)
        if sealed is None:
            return None
        entry = sealed.entry
        if (entry.size, entry.mtime_ns, entry.sha256) != fingerprint(path, data):
            return None
        if entry.digest() != sealed.digest:
            return None  # altered since it was written: parsed afresh, and replaced on save
        self.new[key] = sealed
        return entry

    def record(self, path: Path, data: bytes, *, product: Product | None = None, features: FeaturesFile | None = None,
               diagnostics: list[Diagnostic] | tuple[Diagnostic, ...] = ()) -> None:
        """Remember a freshly validated file."""
        size, mtime_ns, sha = fingerprint(path, data)
        entry = CacheEntry(
            size=size, mtime_ns=mtime_ns, sha256=sha, product=product, features=features,
            diagnostics=tuple(
                CachedDiagnostic(line=d.line, column=d.column, severity=d.severity, code=d.code, message=d.message)
                for d in diagnostics
            ),
        )
        self.new[str(path.resolve())] = SealedEntry(digest=entry.digest(), entry=entry)

    def save(self) -> None:
        """Write the cache atomically when it changed; a cache that cannot be written is simply skipped."""
        if self.new.keys() == self.old.keys() and all(self.new[k] is self.old[k] for k in self.new):
            return
        document = CacheFile(version=CACHE_VERSION, code=self.code, entries=dict(sorted(self.new.items())))
        save_document(self.path, lambda: document.model_dump_json(exclude_defaults=True), prefix=".catalog-")


def save_document(path: Path, text: Callable[[], str], *, prefix: str) -> None:
    """Write a cache document atomically (temporary files named `prefix`*.tmp), with interrupts held back;
    a cache that cannot be written, or whose place holds something else, is simply skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path.parent, prefix=prefix)
        if special_file_kind(path) is not None:
            return  # something else sits where the cache belongs: leave it, and run without a cache
        with signals_deferred():
            replace_file(path, text(), prefix=prefix)
    except OSError:
        pass


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back until the block ends, then act on them as usual.

    Saving takes milliseconds; an interrupt inside pydantic's serialiser would surface as a
    serialisation error, not as an interrupt. Held back, it arrives once the file is whole. Python
    runs signal handlers in the main thread only, so handlers are swapped there; elsewhere the block
    runs as is.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous: dict[int, Callable[[int, FrameType | None], Any] | int] = {}
    for held in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(held)
        if handler is not None:  # None: set outside Python, and could not be put back
            previous[held] = handler
            signal.signal(held, hold)
    try:
        yield
    finally:
        for restored, handler in previous.items():
            signal.signal(restored, handler)
        if caught:
            first = previous[caught[0]]
            if callable(first):
                first(caught[0], None)
            elif first == signal.SIG_DFL:
                signal.raise_signal(caught[0])


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
