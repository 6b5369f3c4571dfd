"""What a batch worker process runs: read one bill file and analyze it.

Imported by the worker processes only (the batch's main process never loads spaCy). Every
failure comes back as a one-line reason, never as an exception, so one bad file cannot stop
a batch.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from ..analyze import analyze_bill
from ..analyze.rules import engine
from ..errors import LsscError
from ..ingest import read_bill

_SETTINGS: dict[str, Any] = {"corpus": None, "state": None, "memory_gb": None, "spent": False}


def start(corpus: str | None, state: str | None, memory_gb: float | None = None) -> str | None:
    """Process initializer: remember the settings, cap the process's memory at `memory_gb`
    and build the pattern engine once. Returns why the worker cannot analyze (a broken
    --corpus), a failure that is the batch's, not any file's; None when it is ready."""
    _SETTINGS.update(corpus=corpus, state=state, memory_gb=memory_gb)
    if memory_gb:
        mapped = _mapped()
        if mapped is not None and mapped >= memory_gb * 2**30:
            return (
                f"--file-memory {memory_gb:g} GB is less than a worker process takes before "
                f"it reads any file ({mapped / 2**30:.2f} GB)"
            )
        _limit_memory(int(memory_gb * 2**30))
    try:
        engine(f"{corpus}/patterns" if corpus else None)
    except LsscError as exc:
        return exc.line()
    except MemoryError:
        raise
    except Exception as exc:
        return f"internal error ({type(exc).__name__}: {exc})"
    return None


def _limit_memory(limit: int) -> None:
    """Let this process map at most `limit` bytes: past it an allocation fails (MemoryError)
    in this worker alone, instead of the machine running out of memory."""
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # not on this system (Windows, macOS)
        pass


def _mapped() -> int | None:
    """Bytes this process has mapped (what RLIMIT_AS counts), where the system says."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def analyze_file(path: str) -> tuple[str, Any, int | None, float]:
    """(status, analysis dict or reason, pages, seconds) for the bill at `path`."""
    from . import printable

    t = time.perf_counter()
    try:
        bill = read_bill(Path(path), state=_SETTINGS["state"])
        analysis = analyze_bill(bill, _SETTINGS["corpus"]).to_dict()
    except LsscError as exc:
        reason = exc.message + (f" ({exc.hint})" if exc.hint else "")
        return "failed", printable(reason), None, _since(t)
    except MemoryError:
        return "failed", too_big(), None, _since(t)
    except Exception as exc:  # a bug must not stop the batch: record it with the file
        reason = f"internal error ({type(exc).__name__}: {exc}); please report it with this file"
        return "failed", printable(reason), None, _since(t)
    return "analyzed", _printable_strings(analysis), bill.pages, _since(t)


def too_big() -> str:
    """The reason for a file whose analysis ran out of memory; the worker leaves after it."""
    _SETTINGS["spent"] = True
    limit = _SETTINGS["memory_gb"]
    if not limit:
        return "ran out of memory; close other programs, or give fewer --jobs"
    return (
        f"needed more than {limit:g} GB of memory and was stopped; for a legitimately huge "
        "bill, run again with a larger --file-memory and --retry-failed"
    )


def spent() -> bool:
    """Whether this worker ran out of memory (and a fresh one should take the next file)."""
    return bool(_SETTINGS["spent"])


def _printable_strings(value: Any) -> Any:
    """The analysis with every string printable: a file name that is not UTF-8 (its bill's
    source) cannot go into the store or JSON as it is."""
    from . import printable

    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {k: _printable_strings(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_printable_strings(v) for v in value)
    return value


def _since(t: float) -> float:
    return time.perf_counter() - t
