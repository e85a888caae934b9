"""The console entry point. Python's own Ctrl-C handling stays until this module runs, so it imports
almost nothing before `main` takes charge: an interrupt while the rest of vendormatch loads ends as
cleanly as one during a run."""

from __future__ import annotations

import os
import sys

from vendormatch.cli.stops import (
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    Terminated,
    on_terminate,
    stop_in,
    stopped,
    terminate_received,
)


def _unraisable(info: sys.UnraisableHookArgs) -> None:
    """An interrupt that lands in a callback Python cannot raise from (a weak-reference callback of the
    import machinery, say) would be printed as "Exception ignored" and then lost, the run going on
    as if Ctrl-C had not been pressed: stop there, as for any interrupt."""
    if isinstance(info.exc_value, (KeyboardInterrupt, Terminated)):
        code = stopped(info.exc_value)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.__unraisablehook__(info)


def main() -> None:
    """Run the command line; never let a traceback reach the user, even on Ctrl-C during start-up."""
    sys.unraisablehook = _unraisable
    try:
        import signal

        signal.signal(signal.SIGTERM, on_terminate)
        from vendormatch.cli.commands import run

        code = run()
        # The work is done and said: an interrupt now, while Python shuts down, must not turn a
        # finished run into a killed one.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    except (KeyboardInterrupt, Terminated) as exc:
        code = stopped(exc)
    except Exception as exc:
        # An interrupt during the imports can come back wrapped: pydantic builds its validators then,
        # and reports a SchemaError whose cause is the interrupt.
        stop = stop_in(exc)
        if stop is None:
            raise
        code = stopped(stop)
    if code != EXIT_TERMINATED and terminate_received():
        # SIGTERM arrived but something caught it and the run went on: what it said since may be wrong
        # (a solver "not available" because its import was cut short), and the caller asked it to stop.
        code = stopped(Terminated())
    if code in (EXIT_INTERRUPTED, EXIT_TERMINATED):
        # CPython remembers an interrupt that arrived while code given to exec() ran (dataclasses and
        # pydantic build classes that way during imports) and, at exit, kills the process with SIGINT
        # even though the interrupt was handled: exit at once, with the code said. Every file the run
        # writes is replaced in one rename or not at all, so nothing is left half-written.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
