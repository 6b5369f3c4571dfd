"""Rows as CSV, one way for every command (query, appendix)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], bom: bool = True) -> str:
    """The rows under their header, as CSV text; with a byte-order mark (for a file: Excel
    then reads the quotes' typography), without one for a pipe."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return ("\ufeff" if bom else "") + buf.getvalue()
