"""lssc-legal: read state bills as lawyers see them and find local-preemption provisions.

from lssc_legal import read_bill
bill = read_bill("hb4312.pdf")
bill.meta.citation          # "H.B. 4312, 89th Leg., Reg. Sess. (Tex. 2025)"
bill.pinpoint(offset)       # Pinpoint(page=1, line=20)
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lssc-legal")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"

from .ingest import read_bill
from .models import Bill, BillMeta, Line, Pinpoint, Section, Span

__all__ = ["Bill", "BillMeta", "Line", "Pinpoint", "Section", "Span", "__version__", "read_bill"]
