"""The `lssc-legal` console script. It imports nothing before it can answer Ctrl-C, so a
user who interrupts a command in its first moments gets one line and exit 130, never a
traceback from an import in progress. A polite kill (SIGTERM) unwinds like an error, so
that no temporary file is left beside an output."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from types import FrameType


def _terminated(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    try:
        signal.signal(signal.SIGTERM, _terminated)
        from .cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    run()


def console() -> None:
    """The console script (`lssc-legal`, `python -m lssc_legal`): `main`, and after a
    Ctrl-C, whose one line is said and whose outputs are cleaned up, an exit at once."""
    try:
        main()
    except SystemExit as exc:
        if exc.code == 130:
            _exit_now(130)
        raise


def _exit_now(code: int) -> None:
    """Exit at once, streams flushed: after a Ctrl-C, the interpreter's own shutdown may
    end the process by SIGINT (exit -2) instead of 130 on a busy machine, which a shell
    reads as a crash. Only the console script does this; in-process callers of `main`
    (tests) get the SystemExit."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
