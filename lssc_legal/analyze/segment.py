"""Cut a bill's body into provisions: the units a lawyer quotes.

A provision is one sentence, or one enumerated subsection, of the body (from the enacting
clause on; the title only describes the bill). Sentences never end at a citation's dots
("s. 790.33, F.S.", "42 U.S.C. s. 1983", "Sec.", "No.", "A.R.S."), and a lead-in that ends
with a colon keeps its list ("A political subdivision shall not: (1) limit ...; or (2) ...")
because the items mean nothing without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.assemble import ENACTING
from ..models import Bill, Section

# Abbreviations that end in a period inside a sentence of bill text.
_ABBREVIATIONS = frozenset(
    [
        "s",
        "ss",
        "sec",
        "secs",
        "no",
        "nos",
        "f.s",
        "u.s.c",
        "u.s",
        "c.f.r",
        "a.r.s",
        "rsmo",
        "stat",
        "ann",
        "inc",
        "co",
        "corp",
        "ltd",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "gen",
        "rev",
        "assemb",
        "leg",
        "sess",
        "reg",
        "spec",
        "ch",
        "art",
        "arts",
        "e.g",
        "i.e",
        "v",
        "vs",
        "o.s",
        "g.s",
        "t.c.a",
        "p.l",
        "pub",
        "l",
        "pa.c.s",
        "cons",
        "const",
        "cal",
        "mo",
        "fla",
        "tex",
        "ariz",
        "okla",
        "tenn",
        "pa",
        "n.c",
        "par",
        "subpar",
        "cl",
        "subch",
        "para",
        "pp",
        "p",
        "sub",
        "subd",
        "div",
        "dept",
        "govt",
        "approx",
        "etc",
        "al",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sept",
        "sep",
        "oct",
        "nov",
        "dec",
    ]
)
_BOUNDARY = re.compile(r"(?<=[.?!])([\"”’)\]]*)\s+(?=[\[\"“(]*[A-Z0-9§])")
_CATCHLINE = re.compile(r"^[A-Z][A-Za-z ,'&()-]{0,60}?(?:\.—|\.--|\.–|—)\s*")
_LABEL = re.compile(r"^\s*[\[\"“]?\s*(?:(?:\([A-Za-z0-9.]{1,6}\)\s*)+|(?:[A-Z]|\d{1,2})\.\s+)")


@dataclass(frozen=True)
class Segment:
    start: int  # offsets into Bill.text: the quotable words, labels and headings excluded
    end: int


def segment(bill: Bill) -> list[Segment]:
    text = bill.text
    enacting = ENACTING.search(text)
    body_start = text.find("\n", enacting.end()) + 1 if enacting else 0
    if body_start <= 0:
        body_start = enacting.end() if enacting else 0
    units = _units(bill, body_start)
    out: list[Segment] = []
    for start, end, section in units:
        start = _skip_label(text, start, end, section)
        out.extend(_sentences(text, start, end))
    return _merge_lists(text, out)


def _units(bill: Bill, body_start: int) -> list[tuple[int, int, Section | None]]:
    starts: dict[int, Section | None] = {body_start: None}
    for s in bill.sections:
        if s.start >= body_start:
            # The innermost section starting here decides how its label is skipped.
            prev = starts.get(s.start)
            if prev is None or _rank(s) > _rank(prev):
                starts[s.start] = s
    ordered = sorted(starts)
    units = []
    for i, start in enumerate(ordered):
        end = ordered[i + 1] if i + 1 < len(ordered) else len(bill.text)
        units.append((start, end, starts[start]))
    return units


def _rank(s: Section) -> int:
    return {"bill_section": 0, "code_section": 1, "subsection": 2}[s.level] * 10 + s.depth


_CODE_LABEL = re.compile(
    r"^\s*[\[\"“]?(?:Sec\.|§+|Section)?\s*\d+[A-Z]?(?:[-.:]\d+[A-Za-z]?)*\.?\s*"
)


def _skip_label(text: str, start: int, end: int, section: Section | None) -> int:
    """Step over a code section's number and heading and any subsection labels."""
    chunk = text[start:end]
    pos = 0
    if section is not None and section.level == "code_section":
        m = _CODE_LABEL.match(chunk)
        if m:
            pos = m.end()
            if section.heading and chunk[pos:].startswith(section.heading):
                pos += len(section.heading)
                pos += len(re.match(r"^[.—\s-]*", chunk[pos:]).group(0))  # type: ignore[union-attr]
    m = _LABEL.match(chunk[pos:])
    while m and m.end() > 0:
        pos += m.end()
        m = _LABEL.match(chunk[pos:])
    # A subsection's catchline is a heading, not words of the rule: "(1) PREEMPTION.—",
    # "(a) General rule.--".
    m = _CATCHLINE.match(chunk[pos:])
    if m:
        pos += m.end()
    while start + pos < end and text[start + pos].isspace():
        pos += 1
    return start + pos


def _sentences(text: str, start: int, end: int) -> list[Segment]:
    out: list[Segment] = []
    chunk = text[start:end]
    last = 0
    for m in _BOUNDARY.finditer(chunk):
        cut = m.start() + len(m.group(1))
        before = chunk[last:cut]
        word = re.search(r"(\S+)\.[\"”’)\]]*$", before)
        token = word.group(1).lower().lstrip('(["“') if word else ""
        if token in _ABBREVIATIONS or (re.fullmatch(r"[a-z]", token) and len(token) == 1):
            continue
        if re.fullmatch(r"[A-Z]", word.group(1) if word else ""):
            continue  # an initial: "D. Costa"
        out.append(Segment(start + last, start + cut))
        last = m.end()
    if chunk[last:].strip():
        out.append(Segment(start + last, start + len(chunk.rstrip())))
    return [s for s in out if re.search(r"[A-Za-z]{2}", text[s.start : s.end])]


def _merge_lists(text: str, segments: list[Segment]) -> list[Segment]:
    """A lead-in ending with a colon keeps the list items that complete its sentence."""
    out: list[Segment] = []
    i = 0
    while i < len(segments):
        seg = segments[i]
        if text[seg.start : seg.end].rstrip().endswith(":"):
            j = i + 1
            # An item, or the list's last item after "...; or" even when it starts with a
            # capital ("(5) Inspecting the work ...").
            while j < len(segments) and (
                _is_item(text[segments[j].start : segments[j].end])
                or (
                    j > i + 1
                    and text[segments[j - 1].start : segments[j - 1].end]
                    .rstrip()
                    .endswith((";", "; or", "; and"))
                )
            ):
                j += 1
                if text[segments[j - 1].start : segments[j - 1].end].rstrip().endswith("."):
                    break
            if j > i + 1:
                out.append(Segment(seg.start, segments[j - 1].end))
                i = j
                continue
        out.append(seg)
        i += 1
    return out


_ITEM_START = re.compile(r"^(?:Shall|May|Must|Is|Are|Be|Has|Have|Does|Do)\b")


def _is_item(item: str) -> bool:
    """A list item completes the lead-in's sentence: it starts in lower case or with the
    verb the lead-in's subject needs ("Shall be ineligible ..."), or ends with a semicolon."""
    item = item.strip()
    return bool(item) and (
        item[0].islower()
        or bool(_ITEM_START.match(item))
        or item.rstrip().endswith((";", "; or", "; and"))
    )
