"""Running independent tasks in worker processes (or in this one) with the same results either way.

The context (a catalogue, a strategy...) is sent once to each worker, not with every task. Workers
are spawned, not forked: a fork would copy this process's HiGHS state, threads included. A located
error raised in a worker is sent back as its diagnostics and raised again here, because exceptions
carrying diagnostics do not survive pickling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any, Generic, TypeVar

from vendormatch.files.diagnostics import Diagnostic, VendormatchError

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class _Failure:
    """What a worker sends back for a VendormatchError."""

    diagnostics: tuple[Diagnostic, ...]


# The worker's context and task function, set once when the worker starts.
_WORKER: dict[str, Any] = {}


def _start(context: Any, perform: Callable[[Any, Any], Any]) -> None:
    _WORKER["context"] = context
    _WORKER["perform"] = perform


def _perform_in_worker(task: Any) -> Any:
    try:
        return _WORKER["perform"](_WORKER["context"], task)
    except VendormatchError as exc:
        return _Failure(exc.diagnostics)


class Pending(Generic[R]):
    """A submitted task: `result()` waits for it and raises its VendormatchError, if any."""

    def __init__(self, future: Future[Any]) -> None:
        self._future = future

    def result(self) -> R:
        """The task's value, once it is done."""
        value = self._future.result()
        if isinstance(value, _Failure):
            raise VendormatchError(value.diagnostics)
        result: R = value
        return result


@contextmanager
def task_runner(context: C, perform: Callable[[C, T], R], workers: int) -> Iterator[Callable[[T], Pending[R]]]:
    """Yield `submit(task)`, which runs `perform(context, task)` in one of `workers` processes.

    With one worker, tasks run in this process as they are submitted. `perform` must be a
    module-level function and the context and tasks picklable.
    """
    if workers <= 1:
        def inline(task: T) -> Pending[R]:
            future: Future[Any] = Future()
            try:
                future.set_result(perform(context, task))
            except VendormatchError as exc:
                future.set_result(_Failure(exc.diagnostics))
            return Pending(future)

        yield inline
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=_start,
                             initargs=(context, perform)) as pool:
        yield lambda task: Pending(pool.submit(_perform_in_worker, task))
