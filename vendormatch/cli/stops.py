"""How a run that was stopped ends: Ctrl-C and SIGTERM, said in one line with the shell's exit codes.

Standard library only, and little of it: the entry point imports this before anything else.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing itself is slow to import (see vendormatch/__init__.py)
if TYPE_CHECKING:
    from types import FrameType

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(BaseException):
    """SIGTERM, raised like an interrupt so that temporary files are removed on the way out."""


def on_terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def stopped(exc: BaseException) -> int:
    """Say that the run was stopped, and give its exit code."""
    if isinstance(exc, Terminated):
        sys.stderr.write("vendormatch: terminated\n")
        return EXIT_TERMINATED
    sys.stderr.write("vendormatch: interrupted\n")
    return EXIT_INTERRUPTED
