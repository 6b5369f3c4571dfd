"""Track bills as they move (issue 17, begun): bill identifiers as lawyers and the bill
APIs write them (`ident.py`). Fetching by identifier and watching come next."""

from .ident import BillId, parse_bill_id

__all__ = ["BillId", "parse_bill_id"]
