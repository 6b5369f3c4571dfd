"""lssc-legal: read state bills as lawyers see them and find local-preemption provisions.

from lssc_legal import read_bill
bill = read_bill("hb4312.pdf")
bill.meta.citation          # "H.B. 4312, 89th Leg., Reg. Sess. (Tex. 2025)"
bill.pinpoint(offset)       # Pinpoint(page=1, line=20)
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    __version__: str
    from .ingest import read_bill
    from .models import Bill, BillMeta, Line, Pinpoint, Section, Span

__all__ = ["Bill", "BillMeta", "Line", "Pinpoint", "Section", "Span", "__version__", "read_bill"]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lssc-legal")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.1.0"


def __getattr__(name: str) -> Any:
    # Loaded on first use, so that the command line's launcher starts before anything is
    # imported (it can then answer Ctrl-C) and `import lssc_legal.cli` does not load the
    # PDF and HTML readers first.
    if name == "__version__":
        globals()["__version__"] = found = _version()
        return found
    if name == "read_bill":
        from .ingest import read_bill

        return read_bill
    if name in __all__:
        from . import models

        return getattr(models, name)
    raise AttributeError(f"module 'lssc_legal' has no attribute {name!r}")
