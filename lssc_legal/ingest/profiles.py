"""Per-state printing conventions: what a state's bills mean by brackets, bold and capitals.

Drawn marks (underline, strike, shading) are read from the page in every state. A profile
adds the conventions the page does not draw, as each legislature's bill-drafting manual
states them:

- Texas and Utah print deleted text [bracketed and struck]; Missouri brackets its deletions and
  strikes (House) or shades (Senate) them; Pennsylvania brackets deletions without strike.
- Arizona prints new language in CAPITALS inside amended sections.
- Missouri prints new language in bold; so do Oklahoma floor versions for committee
  amendments.
- Missouri does not underline new text: an underline in a Missouri bill (a table's
  total line) is not an insertion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    state: str | None
    name: str
    brackets_delete: bool = False
    bold_inserts: bool = False
    caps_inserts: bool = False
    # Pennsylvania's amended prints: language an amendment inserts is printed in capitals
    # throughout the bill, not only inside sections "amended to read".
    caps_everywhere: bool = False
    underline_inserts: bool = True
    # Some legislatures number lines across the whole bill (Florida, Utah); most restart
    # on each page; Missouri restarts at each section. Printed numbers are read as printed
    # whichever it is: this only documents the style and drives the bill writer.
    numbering: str = "page"


PROFILES: dict[str, Profile] = {
    "TX": Profile("TX", "Texas", brackets_delete=True),
    "FL": Profile("FL", "Florida", numbering="continuous"),
    "NC": Profile("NC", "North Carolina"),
    "PA": Profile("PA", "Pennsylvania", brackets_delete=True),
    "AZ": Profile("AZ", "Arizona", caps_inserts=True),
    "OK": Profile("OK", "Oklahoma"),
    "TN": Profile("TN", "Tennessee"),
    "MO": Profile(
        "MO",
        "Missouri",
        brackets_delete=True,
        bold_inserts=True,
        underline_inserts=False,
        numbering="section",
    ),
    "UT": Profile("UT", "Utah", brackets_delete=True, numbering="continuous"),
}
GENERIC = Profile(None, "generic")

STATE_NAMES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "Florida": "FL", "Georgia": "GA",
    "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA",
    "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD",
    "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN", "Mississippi": "MS",
    "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY",
    "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK",
    "Oregon": "OR", "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC",
    "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT",
    "Virginia": "VA", "Washington": "WA", "West Virginia": "WV", "Wisconsin": "WI",
    "Wyoming": "WY",
}  # fmt: skip
STATE_BY_CODE = {code: name for name, code in STATE_NAMES.items()}

# Strong signals first: the enacting clause names the state in every core state.
_STATE_SIGNALS: list[tuple[str, re.Pattern[str]]] = [
    ("TX", re.compile(r"LEGISLATURE OF THE STATE OF TEXAS|\bH\.B\. No\.|\bS\.B\. No\.", re.I)),
    ("FL", re.compile(r"Legislature of the State of Florida|F L O R I D A|Florida Senate|"
                      r"CODING: Words stricken", re.I)),
    ("NC", re.compile(r"GENERAL ASSEMBLY OF NORTH CAROLINA", re.I)),
    ("PA", re.compile(r"GENERAL ASSEMBLY OF PENNSYLVANIA|Commonwealth of Pennsylvania", re.I)),
    ("AZ", re.compile(r"Legislature of the State of Arizona|Arizona\s+Revised\s+Statutes|"
                      r"ARIZONA\s+(?:HOUSE\s+OF\s+REPRESENTATIVES|STATE\s+SENATE)|"
                      r"(?:Fifty|Sixty)-\w+\s+Legislature\b[\s\S]{0,90}?"
                      r"\b(?:First|Second|Third|Fourth)\s+(?:Regular|Special)\s+Session",
                      re.I)),
    ("OK", re.compile(r"PEOPLE OF THE STATE OF OKLAHOMA|STATE OF OKLAHOMA", re.I)),
    ("TN", re.compile(r"GENERAL ASSEMBLY OF THE STATE OF TENNESSEE|Tennessee Code Annotated",
                      re.I)),
    ("MO", re.compile(r"General Assembly of the state of Missouri|\bRSMo\b|"
                      r"Constitution of (?:the state of )?Missouri", re.I)),
    ("MO", re.compile(r"^\d{4}[HS]\.\d{2}[A-Z]\b", re.M)),  # Missouri's file code: 4736H.01I
    ("UT", re.compile(r"STATE OF UTAH|Utah Code", re.I)),
]  # fmt: skip
_ANY_STATE = re.compile(
    r"(?:LEGISLATURE|GENERAL ASSEMBLY|PEOPLE|SENATE AND (?:THE )?HOUSE[A-Z ]*?)\s+OF\s+"
    r"(?:THE\s+)?(?:(?:STATE|COMMONWEALTH)\s+OF\s+)?([A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?)|"
    r"\bSTATE\s+OF\s+([A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?)\s*\n",
    re.I,
)


def detect_state(front_text: str) -> str | None:
    """The state whose bill this is, from the bill's own front matter."""
    for state, pattern in _STATE_SIGNALS:
        if pattern.search(front_text):
            return state
    for m in _ANY_STATE.finditer(front_text):
        words = (m.group(1) or m.group(2)).split()
        for n in (2, 1):
            name = " ".join(w.capitalize() for w in words[:n])
            if name in STATE_NAMES:
                return STATE_NAMES[name]
    return None


def profile_for(state: str | None) -> Profile:
    if state is None:
        return GENERIC
    return PROFILES.get(state.upper(), Profile(state.upper(), state.upper()))


def is_floor_version(front_text: str) -> bool:
    """Oklahoma floor versions print committee amendments in bold."""
    return bool(re.search(r"\bFLOOR VERSION\b|\bHFLR\b|\bSFLR\b", front_text))
