"""A progress line on stderr for long runs: drawn only on a terminal, and only once a run takes a moment.

The library reports stages through a plain callback (`shortlist(progress=...)`) and never prints;
the command line passes a `ProgressLine`, which a background thread redraws while the solver works
(a single solve gives no callbacks of its own) and erases when the run ends, so that only the
result is left on the screen.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

#: Seconds a run may take before the line appears: quick runs show nothing at all.
DELAY = 0.5
INTERVAL = 0.25


class ProgressLine:
    """A context manager and progress callback: `with ProgressLine(sys.stderr, enabled=tty) as p: run(progress=p)`."""

    def __init__(self, stream: TextIO, *, enabled: bool, delay: float = DELAY, interval: float = INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._stream = stream
        self._enabled = enabled
        self._delay = delay
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._stage = "working"
        self._total = 0
        self._start = 0.0
        self._drawn = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Record the stage a run has reached (the `progress` callback of the library)."""
        with self._lock:
            self._stage, self._total = stage, total

    def __enter__(self) -> ProgressLine:
        self._start = self._clock()
        if self._enabled:
            self._thread = threading.Thread(target=self._run, name="vendormatch-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self._drawn:
                self._stream.write("\r" + " " * self._drawn + "\r")
                self._stream.flush()
                self._drawn = 0

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            elapsed = self._clock() - self._start
            if elapsed >= self._delay:
                self._draw(elapsed)

    def _draw(self, elapsed: float) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            count = f" ({self._total:,} products)" if self._total else ""
            text = f"vendormatch: {self._stage}{count}... {elapsed:.0f}s"
            self._stream.write("\r" + text + " " * max(self._drawn - len(text), 0))
            self._stream.flush()
            self._drawn = max(self._drawn, len(text))
