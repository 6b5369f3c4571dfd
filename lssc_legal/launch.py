"""The `lssc-legal` console script. It imports nothing before it can answer Ctrl-C, so a
user who interrupts a command in its first moments gets one line and exit 130, never a
traceback from an import in progress. A polite kill (SIGTERM) unwinds like an error, so
that no temporary file is left beside an output."""

from __future__ import annotations

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
        # Exit at once: after a Ctrl-C inside an import, the interpreter's own shutdown may
        # end the process by SIGINT (exit -2) instead of 130 on a busy machine.
        sys.stderr.write("interrupted\n")
        sys.stderr.flush()
        os._exit(130)
    run()
