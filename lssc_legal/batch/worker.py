"""What a batch worker process runs: read one bill file and analyze it.

Imported by the worker processes only (the batch's main process never loads spaCy). Every
failure comes back as a one-line reason, never as an exception, so one bad file cannot stop
a batch.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

from ..analyze import analyze_bill
from ..analyze.rules import engine
from ..errors import LsscError
from ..ingest import read_bill

_SETTINGS: dict[str, Any] = {"corpus": None, "state": None, "broken": None}


def start(corpus: str | None, state: str | None) -> None:
    """Process initializer: remember the settings and build the pattern engine once.
    Ctrl-C is the main process's to handle; it stops the workers itself. A failure here
    (a broken --corpus) is the batch's, not any file's: every call reports it as such."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _SETTINGS.update(corpus=corpus, state=state)
    try:
        engine(f"{corpus}/patterns" if corpus else None)
    except LsscError as exc:
        _SETTINGS["broken"] = exc.line()
    except Exception as exc:
        _SETTINGS["broken"] = f"internal error ({type(exc).__name__}: {exc})"


def analyze_file(path: str) -> tuple[str, Any, int | None, float]:
    """(status, analysis dict or reason, pages, seconds) for the bill at `path`; status
    "broken" when the worker itself could not start."""
    if _SETTINGS["broken"]:
        return "broken", _SETTINGS["broken"], None, 0.0
    t = time.perf_counter()
    try:
        bill = read_bill(Path(path), state=_SETTINGS["state"])
        analysis = analyze_bill(bill, _SETTINGS["corpus"]).to_dict()
    except LsscError as exc:
        return "failed", exc.message + (f" ({exc.hint})" if exc.hint else ""), None, _since(t)
    except Exception as exc:  # a bug must not stop the batch: record it with the file
        reason = f"internal error ({type(exc).__name__}: {exc}); please report it with this file"
        return "failed", reason, None, _since(t)
    return "analyzed", analysis, bill.pages, _since(t)


def _since(t: float) -> float:
    return time.perf_counter() - t
