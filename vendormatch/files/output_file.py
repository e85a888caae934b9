"""Writing a report to a file: atomically, and never over a file the run read.

The text goes to a temporary file in the target's folder, which then replaces the target in one
rename (`os.replace`): a reader, or a crash, never sees half a report. A target that is one of the
run's input files (the strategy's files, its lock file, the catalogue's files) is refused, as
DESIGN.md asks: nothing the tool reads is ever written.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from vendormatch.files.diagnostics import Diagnostic, VendormatchError


class OutputError(VendormatchError):
    """The output file cannot or must not be written: a usage error (exit code 2)."""

    exit_code = 2


def _error(path: Path, code: str, message: str) -> OutputError:
    return OutputError([Diagnostic(str(path), 0, 0, "error", code, message)])


def _same(a: Path, b: Path) -> bool:
    """Tell whether two paths name one file: the same file on disk, or the same place once resolved."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def special_file_kind(path: Path) -> str | None:
    """What an existing path is when it is neither a regular file nor a folder (following links), else None."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    return next((what for test, what in _SPECIAL_KINDS if test(mode)), None)


def replace_file(target: Path, text: str | bytes, *, newline: str = "", prefix: str | None = None) -> None:
    """Write UTF-8 text (or bytes, as they are) to `target` through a temporary file in its folder and one rename.

    A reader, or a crash, never sees half a file. The file keeps the mode of the one it replaces, or
    gets the usual permissions the umask allows (mkstemp alone would leave it private, 0600). OSError
    propagates, and so does an interrupt; nothing is left behind. The temporary file's name starts
    with `prefix` (by default a dot and the target's name).
    """
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=prefix or f".{target.name}.", suffix=".tmp")
    try:
        if isinstance(text, bytes):
            with os.fdopen(handle, "wb") as raw:
                raw.write(text)
                raw.flush()
                os.fsync(raw.fileno())
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_output(path: Path, inputs: Iterable[Path]) -> None:
    """Raise OutputError when `path` is an input of the run, a folder, or in a folder that does not exist."""
    for source in inputs:
        if _same(path, source):
            raise _error(path, "output-is-input",
                         f"--output would overwrite '{source}', an input of this run; choose another file")
    if path.is_dir():
        raise _error(path, "output-is-folder", "--output names a folder; give a file name")
    special = special_file_kind(path)
    if special is not None:
        raise _error(path, "output-not-regular",
                     f"--output names {special}, not a regular file: writing would replace it; give a file name")
    if not path.resolve().parent.is_dir():
        raise _error(path, "output-folder-missing", f"--output: the folder '{path.parent}' does not exist")


def write_atomically(path: Path, text: str | bytes, inputs: Iterable[Path] = ()) -> None:
    """Write UTF-8 text (or bytes) to `path` through a temporary file and a rename, after `check_output`."""
    check_output(path, inputs)
    try:
        replace_file(path.resolve(), text)
    except OSError as exc:
        raise _error(path, "output-unwritable", f"--output cannot be written: {exc.strerror or exc}") from exc
