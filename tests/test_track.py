"""Bill identifiers as lawyers and the bill APIs write them (issue 17, begun)."""

from __future__ import annotations

import pytest

from lssc_legal.errors import BadInputError
from lssc_legal.track import BillId, parse_bill_id


@pytest.mark.parametrize(
    ("text", "state", "expected"),
    [
        ("TX HB 2127 2023", None, BillId("TX", "HB", 2127, "2023")),
        ("Fla. CS/HB 3", None, BillId("FL", "HB", 3, None, "CS")),
        ("PA HB 587 2025", None, BillId("PA", "HB", 587, "2025")),
        ("Tex. H.B. No. 2127", None, BillId("TX", "HB", 2127)),
        ("Texas House Bill 2127", None, BillId("TX", "HB", 2127)),
        ("Ariz. HB2861 2026", None, BillId("AZ", "HB", 2861, "2026")),
        ("W. Va. SB 5", None, BillId("WV", "SB", 5)),  # before "Va."
        ("Okla. S.J.R. 3", None, BillId("OK", "SJR", 3)),
        ("Tenn. Senate Joint Resolution 12", None, BillId("TN", "SJR", 12)),
        ("FL CS/CS/SB 948 2026", None, BillId("FL", "SB", 948, "2026", "CS/CS")),
        ("TX HB 92 2025C2", None, BillId("TX", "HB", 92, "2025C2")),  # LegiScan's session
        ("Missouri SB 1138 2024", None, BillId("MO", "SB", 1138, "2024")),
        ("SC H 4301", None, BillId("SC", "H", 4301)),  # South Carolina: no type
        ("AZ HCR 2016", None, BillId("AZ", "HCR", 2016)),
        ("HB2127", "tx", BillId("TX", "HB", 2127)),  # as the API writes it, state apart
    ],
)
def test_a_bill_as_lawyers_write_it(text, state, expected):
    assert parse_bill_id(text, state) == expected
    assert expected.api_number == f"{expected.kind}{expected.number}"


@pytest.mark.parametrize(
    ("text", "state", "message"),
    [
        ("HB 2127", None, "names no state"),
        ("TX", None, "no bill number"),
        ("TX HB 2127", "FL", "names TX, not FL"),
        ("HB 1", "XX", "is not a state"),
    ],
)
def test_an_identifier_that_cannot_be_read_says_why_in_one_line(text, state, message):
    with pytest.raises(BadInputError) as caught:
        parse_bill_id(text, state)
    line = caught.value.line()
    assert message in line and "\n" not in line
