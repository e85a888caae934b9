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


#: Set once SIGTERM arrives: a library may swallow the exception (pulp's check for highspy catches
#: everything while it imports), and the run must still end as terminated, not with what followed.
_received: list[bool] = []


def on_terminate(signum: int, frame: FrameType | None) -> None:
    _received.append(True)
    raise Terminated


def terminate_received() -> bool:
    """Whether SIGTERM arrived during this run, even if something caught the exception it raised."""
    return bool(_received)


def stop_in(exc: BaseException) -> BaseException | None:
    """The interrupt or termination behind an error, if any (libraries such as pydantic wrap them)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, (KeyboardInterrupt, Terminated)):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def stopped(exc: BaseException) -> int:
    """Say that the run was stopped, and give its exit code."""
    if isinstance(exc, Terminated):
        sys.stderr.write("vendormatch: terminated\n")
        return EXIT_TERMINATED
    sys.stderr.write("vendormatch: interrupted\n")
    return EXIT_INTERRUPTED
