"""The `lssc-legal` console script. It imports nothing before it can answer Ctrl-C, so a
user who interrupts a command in its first moments gets one line and exit 130, never a
traceback from an import in progress. A polite kill (SIGTERM) unwinds like an error, so
that no temporary file is left beside an output."""

from __future__ import annotations

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
