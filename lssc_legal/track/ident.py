"""Bill identifiers as lawyers write them and as the bill APIs do.

    parse_bill_id("TX HB 2127 2023")  -> BillId(state="TX", kind="HB", number=2127, session="2023")
    parse_bill_id("Fla. CS/HB 3")     -> BillId("FL", "HB", 3, prefix="CS")
    parse_bill_id("HB2127", state="TX")

A state is a two-letter code, a name ("Texas") or its Bluebook abbreviation ("Tex.",
"W. Va."); the bill is a chamber and type written any common way ("HB", "H.B.", "House
Bill", "S.J.R.", "HCR") with its number ("No. 17" too); a four-digit year, or a session as
the API names it ("2025C2"), may follow. Committee-substitute and engrossed prefixes
("CS/", "CS/CS/", "E", "SUB") are kept apart: they name a version, not the bill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import BadInputError
from ..ingest.metadata import BLUEBOOK_STATE
from ..ingest.profiles import STATE_NAMES


@dataclass(frozen=True)
class BillId:
    state: str  # two-letter code
    kind: str  # "HB", "SB", "HJR", "SCR", ... (LegiScan's bill-number prefix)
    number: int
    session: str | None = None  # a year ("2023") or the API's session name ("2025C2")
    prefix: str = ""  # a version named in front of the bill: "CS", "CS/CS"

    @property
    def api_number(self) -> str:
        """The bill number as LegiScan and Open States write it: "HB2127", "HB 2127"."""
        return f"{self.kind}{self.number}"

    def __str__(self) -> str:
        head = f"{self.prefix}/" if self.prefix else ""
        tail = f" ({self.session})" if self.session else ""
        return f"{self.state} {head}{self.kind} {self.number}{tail}"


# Chamber and type, however written: "H.B.", "HB", "House Bill", "S.J.R.", "Senate Joint
# Resolution", "HCR".
_CHAMBER = {"h": "H", "house": "H", "s": "S", "senate": "S", "a": "A", "assembly": "A"}
_TYPE = {
    "b": "B", "bill": "B", "jr": "JR", "joint resolution": "JR", "cr": "CR",
    "concurrent resolution": "CR", "r": "R", "resolution": "R", "f": "F", "file": "F",
}  # fmt: skip
_KIND = re.compile(
    r"(?P<chamber>house|senate|assembly|[hsa])\.?\s*"
    r"(?P<type>joint\s+resolution|concurrent\s+resolution|resolution|bill|file|"
    r"j\.?\s*r|c\.?\s*r|[bfr])?\.?\s*(?:no\.?\s*)?(?P<number>\d{1,5})\b",
    re.I,
)
_PREFIX = re.compile(r"^((?:(?:CS|C\.S\.|SUB|E|ENG)\s*/\s*)+)", re.I)
_SESSION = re.compile(r"\b((?:19|20)\d\d(?:[A-Z]\d?)?)\b")
# State names and abbreviations, longest first ("West Virginia" before "Virginia").
_STATE_WORDS = sorted(
    [(name.lower(), code) for name, code in STATE_NAMES.items()]
    + [(abbr.lower(), code) for code, abbr in BLUEBOOK_STATE.items()],
    key=lambda x: -len(x[0]),
)
_CODES = set(STATE_NAMES.values())


def parse_bill_id(text: str, state: str | None = None) -> BillId:
    """The bill `text` names; `state` when the text names none. A one-line BadInputError
    says what could not be read."""
    rest = " ".join(text.split())
    found = state.upper() if state else None
    if state and found not in _CODES:
        raise BadInputError(None, f"{state!r} is not a state", "give a two-letter code such as TX")
    named, rest = _take_state(rest)
    if named and found and named != found:
        raise BadInputError(None, f"{text!r} names {named}, not {found}", "give one state")
    found = named or found
    if found is None:
        raise BadInputError(
            None, f"{text!r} names no state", 'put the state first: "TX HB 2127 2023"'
        )
    prefix = ""
    m = _PREFIX.match(rest)
    if m:
        parts = re.split(r"\s*/\s*", m.group(1))
        prefix = "/".join(p.upper().replace(".", "") for p in parts if p)
        rest = rest[m.end() :]
    bill = _KIND.search(rest)
    if bill is None:
        raise BadInputError(
            None,
            f"{text!r}: no bill number",
            'write it as "HB 2127", "S.B. 17" or "House Bill 5"',
        )
    chamber = _CHAMBER[bill.group("chamber").lower()]
    written = re.sub(r"[\s.]+", " ", (bill.group("type") or "").lower()).strip()
    # South Carolina numbers its bills "H 4301": a chamber with no type.
    kind = _TYPE.get(written.replace("j r", "jr").replace("c r", "cr"), "")
    after = rest[bill.end() :]
    session = _SESSION.search(after)
    return BillId(found, chamber + kind, int(bill.group("number")),
                  session.group(1).upper() if session else None, prefix)  # fmt: skip


def _take_state(text: str) -> tuple[str | None, str]:
    """The state the text opens with, and the rest."""
    low = text.lower()
    head = re.match(r"([A-Za-z]{2})\b(?!\.)", text)
    if head and head.group(1).upper() in _CODES and not _KIND.match(text):
        return head.group(1).upper(), text[head.end() :].strip(" ,")
    for word, code in _STATE_WORDS:
        if low.startswith(word) and (len(low) == len(word) or not low[len(word)].isalpha()):
            return code, text[len(word) :].strip(" ,")
    return None, text
