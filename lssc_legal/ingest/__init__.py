"""Ingest: a bill file (PDF, TXT, HTML, DOCX) in, a `Bill` out.

    read_bill("hb2127.pdf") -> Bill

read.py detects the format and runs its reader (pdf.py, textual.py); every reader produces
printed lines of marked tokens, and from there the steps are shared (assemble.py): furniture
is set aside, the state's printing conventions (profiles.py) are applied, missing line
numbers are filled, and the text, spans, sections (structure.py) and metadata (metadata.py)
are built. files.py says which files of a folder are bills.
"""

from .read import detect_format, read_bill, read_bills

__all__ = ["detect_format", "read_bill", "read_bills"]
