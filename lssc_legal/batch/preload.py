"""Imported once by the batch's fork server: the analyzer and its pattern engine for the
shipped corpus are built there, so every worker forked from it starts ready.

The server ends when the batch's main process does, however it ends (kill -9 included),
and each worker when the server does: none outlives the batch."""

from __future__ import annotations

import gc
import os
import sys
from types import TracebackType

from . import die_with_parent, main_pid

SERVER = os.getpid()  # the parent of every worker: they check it is still there
die_with_parent(main_pid())  # (already gone: the server leaves now)


def _quiet(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    # A worker that cannot start, or a server that cannot fork one, is reported by the
    # main process in one line; the traceback is for LSSC_DEBUG=1.
    if os.environ.get("LSSC_DEBUG"):
        sys.__excepthook__(kind, exc, tb)


sys.excepthook = _quiet

try:
    from ..analyze.rules import engine
    from . import worker  # noqa: F401  (the module the workers run)

    engine(None)
except Exception:  # each worker tries again and reports why it cannot start
    pass

# Keep the collector off what every worker shares: fewer pages copied on write, and
# collections in the workers scan only what each bill makes.
gc.freeze()
