"""What bill this is: state, chamber, number, session, year, version, title, sponsors, and
its Bluebook citation ("H.B. 2127, 88th Leg., Reg. Sess. (Tex. 2023)").

Everything is read from the bill's own front matter (and its running heads and drafting
codes); a field the bill does not show is left empty rather than guessed.
"""

from __future__ import annotations

import re

from ..models import BillMeta

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}

# Bluebook T1 abbreviations of state names, for the citation's parenthetical.
BLUEBOOK_STATE = {
    "AL": "Ala.", "AK": "Alaska", "AZ": "Ariz.", "AR": "Ark.", "CA": "Cal.", "CO": "Colo.",
    "CT": "Conn.", "DE": "Del.", "FL": "Fla.", "GA": "Ga.", "HI": "Haw.", "ID": "Idaho",
    "IL": "Ill.", "IN": "Ind.", "IA": "Iowa", "KS": "Kan.", "KY": "Ky.", "LA": "La.",
    "ME": "Me.", "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.", "MS": "Miss.",
    "MO": "Mo.", "MT": "Mont.", "NE": "Neb.", "NV": "Nev.", "NH": "N.H.", "NJ": "N.J.",
    "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.", "ND": "N.D.", "OH": "Ohio", "OK": "Okla.",
    "OR": "Or.", "PA": "Pa.", "RI": "R.I.", "SC": "S.C.", "SD": "S.D.", "TN": "Tenn.",
    "TX": "Tex.", "UT": "Utah", "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W. Va.",
    "WI": "Wis.", "WY": "Wyo.",
}  # fmt: skip

# Year of the first regular session of the Nth legislature (they meet in two-year terms).
_FIRST_YEAR = {
    "TX": lambda n: 2 * n + 1847,  # 88th Legislature: 2023
    "MO": lambda n: 2 * n + 1819,  # 102nd General Assembly: 2023-2024
    "AZ": lambda n: 2 * n + 1911,  # 57th Legislature: 2025
    "OK": lambda n: 2 * n + 1905,  # 58th Legislature: 2021
    "TN": lambda n: 2 * n + 1797,  # 113th General Assembly: 2023
    "PA": lambda n: n + 1816,  # numbered each year: 207th General Assembly: 2023
}
_ASSEMBLY_WORD = {"TX": "Leg.", "AZ": "Leg.", "OK": "Leg.", "FL": "Leg.",
                  "MO": "Gen. Assemb.", "TN": "Gen. Assemb.", "PA": "Gen. Assemb.",
                  "NC": "Gen. Assemb."}  # fmt: skip

_BILL_TYPES = [
    # (pattern, chamber, abbreviation, type)
    (r"(?:HOUSE|House)\s+JOINT\s+RESOLUTION", "house", "H.J.R.", "joint resolution"),
    (r"(?:SENATE|Senate)\s+JOINT\s+RESOLUTION", "senate", "S.J.R.", "joint resolution"),
    (r"(?:HOUSE|House)\s+CONCURRENT\s+RESOLUTION", "house", "H.C.R.", "concurrent resolution"),
    (r"(?:SENATE|Senate)\s+CONCURRENT\s+RESOLUTION", "senate", "S.C.R.", "concurrent resolution"),
    (r"(?:HOUSE|House)\s+BILL", "house", "H.B.", "bill"),
    (r"(?:SENATE|Senate)\s+BILL", "senate", "S.B.", "bill"),
    (r"ASSEMBLY\s+BILL", "house", "Assem. B.", "bill"),
    (r"\bASSEMBLY,(?=\s*No\.)", "house", "Assem. B.", "bill"),  # New Jersey
]
_NUMBER_AFTER = r"\s*(?:NO\.|No\.|NUMBER|Number)?\s*(\d{1,5})\b"
_SHORT_FORMS = re.compile(
    r"\b(?P<prefix>(?:C\.?S\.?/)*|C\.S\.)(?P<ch>[HS])\.?\s?(?P<t>B|J\.?R|C\.?R|JR|CR)\.?"
    r"\s*(?:No\.\s*)?(?P<num>\d{1,5})\b"
)


def read_metadata(
    front: str, state: str | None, hints: dict[str, str], title_text: str = ""
) -> BillMeta:
    """Metadata from the bill's front matter (title block, running heads, drafting codes).

    `title_text` is the bill text up to its enacting clause, without running heads: the
    caption is looked for there first.
    """
    flat = re.sub(r"\s+", " ", front)
    chamber, abbrev, number, bill_type = _number(flat, hints)
    year, session, assembly = _session(flat, state, hints)
    version = _version(flat, hints)
    title = hints.get("title") or _title(title_text) or _title(front)
    if version and version.endswith("amendment") and not hints.get("title"):
        title = None  # an amendment has no caption: "relating to" is in the text it inserts
    sponsors = _sponsors(flat)
    prefix = _substitute_prefix(flat)
    citation = None
    if abbrev and number and state:
        citation = _citation(f"{prefix}{abbrev}", number, state, year, session, assembly)
    return BillMeta(
        state=state,
        chamber=chamber,  # type: ignore[arg-type]
        number=number,
        session=session,
        year=year,
        version=version,
        title=title,
        sponsors=tuple(sponsors),
        citation=citation,
        bill_type=bill_type,
    )


def _number(flat: str, hints: dict[str, str]) -> tuple[str | None, str | None, str | None, str]:
    if hints.get("number") and hints.get("chamber"):
        ch = hints["chamber"]
        return ch, "H.B." if ch == "house" else "S.B.", hints["number"], "bill"
    for pattern, chamber, abbrev, bill_type in _BILL_TYPES:
        m = re.search(pattern + _NUMBER_AFTER, flat)
        if m:
            return chamber, abbrev, str(int(m.group(1))), bill_type
    m = _SHORT_FORMS.search(flat)
    if m:
        chamber = "house" if m.group("ch") == "H" else "senate"
        t = m.group("t").replace(".", "")
        abbrev = {"B": "B.", "JR": "J.R.", "CR": "C.R."}[t]
        bill_type = {"B": "bill", "JR": "joint resolution", "CR": "concurrent resolution"}[t]
        return chamber, f"{m.group('ch')}.{abbrev}", str(int(m.group("num"))), bill_type
    return None, None, None, "bill"


def _substitute_prefix(flat: str) -> str:
    """Florida committee substitutes are cited as printed: "CS/CS/H.B. 3"."""
    m = re.search(r"\b((?:CS/)+)(?:HB|SB|H\.B\.|S\.B\.)\s*\d", flat)
    if m:
        return m.group(1)
    if re.search(r"\bCS for (?:CS for )*SB \d", flat):
        return "CS/" * flat.count("CS for ", 0, 200)
    if re.search(r"\bC\.S\.[HS]\.B\.", flat):
        return "C.S."
    return ""


def _ordinal_number(text: str) -> int | None:
    text = text.lower().replace("–", "-")
    if text.rstrip("stndrh").isdigit():
        return int(text.rstrip("stndrh"))
    parts = text.split("-")
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _ORDINALS:
        return _TENS[parts[0]] + _ORDINALS[parts[1]]
    if text in _ORDINALS:
        return _ORDINALS[text]
    if text.endswith("ieth") and text[:-4] + "y" in _TENS:
        return _TENS[text[:-4] + "y"]
    return None


def _session(
    flat: str, state: str | None, hints: dict[str, str]
) -> tuple[int | None, str | None, int | None]:
    """(year, session as the state names it, number of the legislature or assembly)."""
    year: int | None = int(hints["year"]) if hints.get("year", "").isdigit() else None
    session: str | None = hints.get("session")
    assembly: int | None = int(hints["assembly"]) if hints.get("assembly", "").isdigit() else None
    special = re.search(
        r"\b(First|Second|Third|Fourth|Fifth|1st|2nd|3rd|4th|5th)\s+(Special|Extra(?:ordinary)?)"
        r"\s+Session",
        flat,
        re.I,
    )
    regular = re.search(
        r"\b(First|Second|Third|1st|2nd|3rd)\s+Regular\s+Session|\b(FIRST|SECOND)\s+REGULAR\s+SESSION",
        flat,
        re.I,
    )
    m = re.search(
        r"\b(\d{1,3}(?:ST|ND|RD|TH|D|st|nd|rd|th|d)|[A-Za-z]+(?:-[A-Za-z]+)?)\s+(?:Legislature|LEGISLATURE|"
        r"General Assembly|GENERAL ASSEMBLY)",
        flat,
    )
    if m and assembly is None:
        assembly = _ordinal_number(m.group(1))
    if state == "TX" and session is None:
        code = re.search(r"\b(\d{2})\(?([RS]|\d)\)?\s*\d{0,5}\b", flat)
        if code and assembly is None and 60 <= int(code.group(1)) <= 120:
            assembly = int(code.group(1))
        if code and code.group(2) != "R" and 60 <= int(code.group(1)) <= 120:
            session = f"{code.group(1)}({code.group(2)})"
        elif assembly:
            session = f"{assembly}R"
    if state == "OK":
        ok = re.search(
            r"(\d)(?:st|nd|rd|th) Session of the (\d+)(?:st|nd|rd|th) Legislature"
            r"\s*\((\d{4})\)",
            flat,
        )
        if ok:
            assembly, year = int(ok.group(2)), int(ok.group(3))
            session = f"{ok.group(1)}"
    if year is None:
        # Oklahoma's floor versions are dated under their name: "SENATE FLOOR VERSION
        # February 19, 2025"; engrossed and enrolled bills only by the record of passage at
        # their end ("Passed the Senate the 10th day of March, 2025": hints["passed_year"]).
        dated = re.search(r"FLOOR VERSION\s+[A-Z][a-z]+\s+\d{1,2},\s+((?:19|20)\d{2})", flat)
        if dated:
            year = int(dated.group(1))
        elif hints.get("passed_year", "").isdigit():
            year = int(hints["passed_year"])
    if year is None:
        y = re.search(
            r"\b(?:SESSION|Session)(?:\s+of)?\s*((?:19|20)\d{2})\b|"
            r"\b((?:19|20)\d{2})\s+(?:Legislature|GENERAL SESSION|General Session|"
            r"Regular Session|REGULAR SESSION)\b|Florida Senate\s*-\s*((?:19|20)\d{2})|"
            r"\b(?:CS/)*[HS](?:B|JR|CR|M|R)\s+\d+(?:,\s*[A-Za-z ]+\d?)?\s+((?:19|20)\d{2})\b",
            flat,
        )
        if y:
            year = int(next(g for g in y.groups() if g))
    if state == "PA" and assembly is None and year is not None:
        assembly = year - 1816
    if year is None and state in _FIRST_YEAR and assembly:
        year = _FIRST_YEAR[state](assembly)
        if regular and (regular.group(1) or regular.group(2) or "").lower() in (
            "second",
            "2nd",
        ):
            year += 1
    if session is None:
        if special:
            session = f"{special.group(1)} {special.group(2)} Session".title()
        elif regular:
            session = f"{(regular.group(1) or regular.group(2)).title()} Regular Session"
        elif year is not None:
            session = f"{year} Regular Session"
    return year, session, assembly


# The record of passage an engrossed or enrolled bill prints at its end ("Passed the Senate
# the 10th day of March, 2025"): read over the whole text by ingest, given as a hint.
PASSED = re.compile(
    r"\bPassed the (?:Senate|House of Representatives) the \d{1,2}\w{0,2} day of [A-Z][a-z]+,?\s+"
    r"((?:19|20)\d{2})"
)
# Pennsylvania prints the print's number and, on an amended print, the ones before it:
# "PRIOR PRINTER'S NO. 161  PRINTER'S NO. 1485".
_PRINTERS = re.compile(r"(?<!PRIOR )(?<!PRIOR  )PRINTER'?S NO\.\s*(\d+)")


def _version(flat: str, hints: dict[str, str]) -> str | None:
    if hints.get("version"):
        named = hints["version"]
        # The Florida Senate's names: "Original Filed Version", "Committee Substitute 1".
        return "introduced" if named in ("original filed version", "filed") else named
    head = flat[:1500]
    # An amendment prints what it amends: "Amendment No. 1 to SB0346", "FLOOR AMENDMENT".
    if re.search(
        r"\bAmendment No\.\s*\d+\s+to\b"
        r"|\bAMEND(?:S|ED)?\s+(?:Senate|House|S\s*e\s*n\s*ate)\s+Bill\b",
        head,
    ) or re.search(
        r"\b(?:FLOOR|COMMITTEE)\s+AMENDMENT\b|\bAMENDMENTS?\s+TO\s+(?:[HS]\.\s?(?:B|C\.R|J\.R|R)\.|"
        r"(?:HOUSE|SENATE)\s+BILL)",
        head,
    ):
        if re.search(
            r"strike[- ]everything|STRIKE[- ]EVERYTHING|"
            r"Strike everything after the (?:enacting|resolving) clause",
            head,
        ):
            return "strike-everything amendment"
        return "amendment"
    # The Florida House's drafting code on every page: "hb173-00" (filed), "hb949-01-c1"
    # (first committee substitute), "hb927-04-e1" (engrossed), "hb927-04-er" (enrolled).
    code = re.search(
        r"\b[hs][bjmr]r?\s?\d+\s?-\d{2}(?:-(?P<kind>[ce])(?P<n>\d)|-(?P<er>er))?\b", flat
    )
    if code:
        if code.group("er"):
            return "enrolled"
        if code.group("kind") == "c":
            return f"committee substitute {code.group('n')}"
        if code.group("kind") == "e":
            return f"engrossed {code.group('n')}"
        return "introduced"
    checks = [
        # Missouri's enrolled bill is "truly agreed to and finally passed"; every Missouri
        # version prints "INTRODUCED BY REPRESENTATIVE ...", so the stage words come first.
        (r"\bENROLLED\b|\bEnrolled Copy\b|\bEnrolled\b|\bTRULY AGREED\b", "enrolled"),
        (
            r"\bPUBLIC CHAPTER\b|\bChaptered\b|\bCHAPTERED\b|"
            r"\bCHAPTER\s+\d{1,4}\s+(?:SENATE|HOUSE)\s+(?:BILL|CONCURRENT|JOINT)",  # Arizona
            "chaptered",
        ),
        (r"\bFLOOR VERSION\b|\bHFLR\b|\bSFLR\b", "floor version"),
        (r"\bENGR\s?OSSED\b|\bEngrossed\b|\bReprint\b", "engrossed"),
        (
            r"\bCOMMITTEE SUBSTITUTE\b|\bCommittee Substitute\b|\bCS/|\bCS for\b|\bC\.S\.[HS]\.B\.",
            "committee substitute",
        ),
        (r"\bCommittee Report\b|\bCOMMITTEE REPORT\b", "committee report"),
        (r"\bPERFECTED\b", "perfected"),
        (r"\bINTRODUCED\b|\bIntroduced\b|\bFiled\b|\bFILED\b", "introduced"),
    ]
    for pattern, name in checks:
        if re.search(pattern, head):
            printers = _PRINTERS.search(head)
            if printers and name == "introduced":
                return f"printer's no. {printers.group(1)}"
            return name
    printers = _PRINTERS.search(head)
    if printers:
        return f"printer's no. {printers.group(1)}"
    if re.search(r"\b\d{4}[HS]\.\d{2}I\b", head):
        return "introduced"  # Missouri file code ending in I
    return None


def _title(front: str) -> str | None:
    """The caption: "relating to ..." or "AN ACT To repeal ..." up to the enacting clause."""
    # A caption runs to a few thousand characters: what lies further on is not the title
    # (and a search over a page-long run of capitals costs time in proportion to its square).
    flat = re.sub(r"\s+", " ", front)[:20000]
    # Oklahoma's enrolled bills print "An Act" above the bill's name, then the caption
    # ("An Act relating to firearms; ..."): the caption is the last "An Act" before the
    # enacting clause.
    acts = list(re.finditer(r"(?<![\"“])\b(?:AN ACT|An Act)\b", flat[:4000]))
    if len(acts) > 1 and not re.search(
        r"\b(?:BE IT ENACTED|Be it enacted)\b", flat[: acts[-1].start()]
    ):
        flat = flat[acts[-1].start() :]
    m = re.search(
        r"\b(?:AN ACT|An Act|An act|A BILL TO BE ENTITLED AN ACT|A BILL)\b[\s,:]*(?P<t>.+?)"
        r"(?=\s*(?:BE IT ENACTED|Be It Enacted|Be it enacted|THE GENERAL ASSEMBLY OF|"
        r"The General Assembly of|WHEREAS|Section 1\.|SECTION 1\.|$))",
        flat,
    )
    if not m:
        m = re.search(r"\b(?P<t>relating to .+?)(?=\s*(?:BE IT ENACTED|Be It Enacted|$))", flat)
    if not m:
        # Utah prints a short title in capitals above its year and "LONG TITLE".
        m = re.search(r"(?P<t>[A-Z][A-Z ,'&-]{8,300}?)\s+\d{4}\s+GENERAL SESSION", flat)
    if not m:
        return None
    title = m.group("t").strip()
    # Arizona's printer's note under the caption is not the caption.
    title = re.sub(r"\s*\(TEXT OF BILL BEGINS ON NEXT PAGE\)\s*", " ", title).strip()
    title = re.sub(r"^(?:relating to|RELATING TO)\b", "relating to", title)
    return title[:3000] or None


def _sponsors(flat: str) -> list[str]:
    patterns = [
        # Arizona: "Introduced by Representatives Lopez: Carbone, Griffin" (prime sponsor,
        # then cosponsors; a letter tells two members apart: "Carter N").
        r"\bIntroduced by (?:Senators?|Representatives?) (?P<s>[A-Z][\w.' \-]*"
        r"(?::\s*[A-Z][\w.' \-,]*)?)(?=\s+(?:AN ACT|An Act)\b)",
        r"INTRODUCED BY (?:REPRESENTATIVES?|SENATORS?) (?P<s>[A-Z][A-Z .,'\-]+?)"
        r"(?:\s*\(\d+\))?(?:\.\s|\.$|\s\d{4}[HS]\.)",
        r"INTRODUCED BY (?P<s>[A-Z][A-Z .,'\-]+?),? (?:JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|"
        r"AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)",
        r"Chief Sponsor:\s*(?P<s>[A-Z][A-Za-z.' \-]+?)"
        r"(?=\s+(?:House|Senate) Sponsor|\s+LONG TITLE|$)",
        r"\bBy:\s*(?P<s>[A-Z][A-Za-z.' \-]+?(?:,\s*[A-Z][A-Za-z.' \-]+?)*)(?:\s+(?:H\.B\.|S\.B\.|"
        r"HOUSE|SENATE|\(|$|[A-Z]\.[A-Z]\.))",
        r"\bBy (?:Senators?|Representatives?) (?P<s>[A-Z][A-Za-z.' \-,]+?)(?=\s{1,}\d|\s+\d{3}-|"
        r"\s+Substituted|\s+A bill| AN ACT|$)",
        r"the Committee on [^;]+; and (?:Senators?|Representatives?) (?P<s>[A-Z][A-Za-z.' \-,]+?)"
        r"(?=\s+\d|\s*$)",
        r"\bBy (?P<s>[A-Z][a-z]+(?:, [A-Z][a-z]+)*)\b(?=\s+[A-Z]{2}\d{4}|\s+AN ACT)",
    ]
    for p in patterns:
        m = re.search(p, flat)
        if m:
            raw = m.group("s").strip(" .,")
            names = re.split(r",\s*|\s+and\s+|\s+AND\s+|\s*:\s*", raw)
            return [n.strip() for n in names if n.strip() and n.strip().lower() != "et al."]
    return []


def _ordinal(n: int) -> str:
    """Bluebook ordinals: 2d and 3d, not 2nd and 3rd."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'd', 3: 'd'}.get(n % 10, 'th') }"


def _citation(
    abbrev: str,
    number: str,
    state: str,
    year: int | None,
    session: str | None,
    assembly: int | None,
) -> str:
    """Bluebook rule 13.2: "H.B. 2127, 88th Leg., Reg. Sess. (Tex. 2023)"."""
    parts = [f"{abbrev} {number}"]
    word = _ASSEMBLY_WORD.get(state, "Leg.")
    if assembly:
        parts.append(f"{_ordinal(assembly)} {word}")
    elif year and state in ("FL", "UT", "NC", "CA"):
        parts.append(f"{year} {'Gen. Sess.' if state == 'UT' else word}")
    sess = "Reg. Sess."
    if session:
        s = session.lower()
        nth = re.match(r"(first|second|third|1st|2nd|3rd)", s)
        n = {"first": 1, "second": 2, "third": 3, "1st": 1, "2nd": 2, "3rd": 3}.get(
            nth.group(1) if nth else "", 0
        )
        if "special" in s or "extra" in s or re.match(r"\d+\(\d\)", s):
            called = re.match(r"\d+\((\d)\)", s)
            n = int(called.group(1)) if called else n
            sess = f"{_ordinal(n)} Spec. Sess." if n else "Spec. Sess."
            if state == "TX":
                sess = f"{_ordinal(n)} C.S." if n else "C.S."
        elif n and state in ("MO", "AZ", "OK"):
            sess = f"{_ordinal(n)} Reg. Sess."
        elif state == "OK" and s.isdigit():
            sess = f"{_ordinal(int(s))} Reg. Sess."
    if state != "UT":
        parts.append(sess)
    tail = (
        f"({BLUEBOOK_STATE.get(state, state)} {year})"
        if year
        else f"({BLUEBOOK_STATE.get(state, state)})"
    )
    return ", ".join(parts) + " " + tail
