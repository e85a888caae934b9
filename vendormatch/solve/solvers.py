"""The solvers behind the MIP, through PuLP: HiGHS in-process or CBC, made quiet, with one error type.

PuLP is imported only when a solver is made, so that commands that do not solve never load it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

from vendormatch.files.diagnostics import Diagnostic, VendormatchError

SOLVERS = ("highs", "cbc")


class SolverError(VendormatchError):
    """The solver did not prove optimality: never report such an answer as the best one."""


def solver_error(message: str) -> SolverError:
    return SolverError([Diagnostic("<solver>", 0, 0, "error", "solver", message)])


@contextlib.contextmanager
def quiet_solver() -> Iterator[None]:
    """Keep whatever the solver's native code prints off our stdout and stderr.

    HiGHS prints a banner on its first solve even with msg=False, and some versions print debug
    lines from their MIP code; on file descriptors 1 and 2 they would corrupt JSON output and the
    diagnostics. Every solve's status is checked instead.
    """
    streams = []
    for stream in (sys.stdout, sys.stderr):
        try:
            streams.append((stream, stream.fileno()))
        except (AttributeError, OSError, ValueError):
            continue  # not a real file (captured by a test runner): nothing native can reach it
    saved: list[tuple[int, int]] = []
    try:
        with open(os.devnull, "w") as devnull:
            for stream, fd in streams:
                stream.flush()
                saved.append((fd, os.dup(fd)))
                os.dup2(devnull.fileno(), fd)
            yield
    finally:
        for (stream, _), (fd, copy) in zip(streams, saved, strict=False):
            stream.flush()
            os.dup2(copy, fd)
            os.close(copy)


def make_solver(name: str) -> Any:
    import pulp

    if name == "highs":
        if not pulp.HiGHS().available():
            raise solver_error("HiGHS is not available: install highspy (pip install highspy) or use --solver cbc")
        return pulp.HiGHS(msg=False, gapRel=0.0, gapAbs=0.0)
    if name == "cbc":
        bundled = getattr(pulp.PULP_CBC_CMD, "pulp_cbc_path", None)
        solver = pulp.COIN_CMD(path=bundled, msg=False, gapRel=0.0, gapAbs=0.0) if bundled and os.path.exists(bundled) \
            else pulp.COIN_CMD(msg=False, gapRel=0.0, gapAbs=0.0)
        if not solver.available():
            raise solver_error("CBC is not available: install it (pip install 'pulp[cbc]') or use --solver highs")
        return solver
    raise solver_error(f"unknown solver '{name}'; choose one of: {', '.join(SOLVERS)}")
