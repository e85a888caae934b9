"""The console entry point. Python's own Ctrl-C handling stays until this module runs, so it imports
almost nothing before `main` takes charge: an interrupt while the rest of vendormatch loads ends as
cleanly as one during a run."""

from __future__ import annotations

import sys

from vendormatch.cli.stops import Terminated, on_terminate, stopped


def main() -> None:
    """Run the command line; never let a traceback reach the user, even on Ctrl-C during start-up."""
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
    sys.exit(code)
