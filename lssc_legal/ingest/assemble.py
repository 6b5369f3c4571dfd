"""From printed lines to a Bill: furniture out, conventions in, numbers, text and spans.

Every reader (PDF, TXT, HTML, DOCX) hands over `RawLine`s (a page, a printed line number
if the page shows one, and marked tokens); everything from there on is the same for all.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..models import Furniture, Line, LineSource, Mark, Span
from .page import Token
from .profiles import Profile


@dataclass
class RawLine:
    page: int
    number: int | None
    tokens: list[Token]
    furniture: str | None = None  # set when the line is not bill text
    source: LineSource = "printed"
    band: str | None = None  # "top" or "bottom": printed in the page's head or foot margin

    @property
    def text(self) -> str:
        return join_tokens(self.tokens)


def copied(lines: list[RawLine], *, tokens: bool = False) -> list[RawLine]:
    """New RawLines with the same values, so that a step decides on its own copy and the
    lines it was given stay as they were (with `tokens`, new Tokens too, for a step that
    marks words)."""
    return [
        RawLine(
            x.page,
            x.number,
            [Token(t.text, t.mark, t.bold, t.glued) for t in x.tokens] if tokens else x.tokens,
            x.furniture,
            x.source,
            x.band,
        )
        for x in lines
    ]


def join_tokens(tokens: list[Token]) -> str:
    out: list[str] = []
    for t in tokens:
        if out and not t.glued:
            out.append(" ")
        out.append(t.text)
    return "".join(out)


# -- furniture ------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^(?:page\s*\d+(?:\s*of\s*\d+)?|-\s*\d+\s*-|\d{1,4}|\d+\s+of\s+\d+)$", re.I
)
_BILL_DESIGNATION = re.compile(
    r"\b(?:[HS]\.?\s?[BR]\.?|[HS]\.?\s?J\.?\s?R\.?|HOUSE BILL|SENATE BILL|House Bill|Senate Bill)"
    r"\s*(?:No\.\s*)?\d+"
)
_LETTER_SPACED = re.compile(r"^(?:[A-Z] ){6,}[A-Z]\b")
_LEGEND_START = re.compile(
    r"^(?:CODING:\s*Words\s+(?:stricken|underlined)|EXPLANATION\s*[-—–:]|"
    r"UNDERLINED language denotes|BOLD FACE CAPITALIZED language|"
    r"Strike thru language denotes|NOTE:\s*Matter in|EXPLANATION--Matter|"
    r"Amendment\s+instruction\s+key)",
    re.I,
)
# A legend that runs to the first numbered line, however long: Arizona's amendment key.
_LONG_LEGEND = re.compile(r"^Amendment\s+instruction\s+key", re.I)
_DRAFTING_CODE = re.compile(
    r"""^(?:
        \d{2}[RS]\d{3,6}\s+[A-Z]{2,4}-[A-Z]{1,2}            # Texas: 88R9991 ABC-D
      | [hs]\d{4}[a-z]?-?\d{0,2}-?[a-z]{0,3}\d?              # Florida: hb0003-04-er
      | [hs]b\d{4}-\d{2}-[a-z]{1,3}\d?
      | \d{3}-\d{5}-\d{2}(?:\s+\d{7,}[a-z]\d?)?               # Florida Senate: 581-02258-26
      | \d{4}[HS]\.\d{2}[A-Z]\b.*                              # Missouri: 4736H.01I ...
      | [HS]B\d{4}\s+\d{6}                                     # Tennessee: SB0675 002182
      | Req\.\s*No\.\s*\d+.*                                   # Oklahoma footer
      | LRB\d+.*                                               # Illinois / Pennsylvania
      | \d{5}[HS][BR]\d{4}PN\d{4}                              # Pennsylvania: 20230HB1243PN1552
      | \d{6,9}\.docx                                          # Arizona amendment: 28121208.docx
      | \d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2}\s*[AP]M)?       # its date, and time
      | \d{1,2}:\d{2}\s*[AP]M
      | [HS]:\s*[A-Z]{2,4}/[a-z]{2,4}                             # drafter/typist: S: LMM/ci
    )$""",
    re.X | re.I,
)


def find_furniture(given: list[RawLine], pages: int) -> list[RawLine]:
    """The lines with running heads, page numbers, legends and drafting codes marked as not
    bill text (new lines: `given` is left as it was).

    Only lines without a margin number can be furniture: a numbered line is bill text by
    the printer's own account. A line is a running head or foot when the same words (digits
    aside) open or close at least two pages and 40% of them.
    """
    lines = copied(given)
    by_page: dict[int, list[RawLine]] = {}
    for line in lines:
        if line.tokens:
            by_page.setdefault(line.page, []).append(line)
    edge_keys: Counter[str] = Counter()
    for page_lines in by_page.values():
        seen = {_edge_key(line) for line in _edges(page_lines)}
        edge_keys.update(k for k in seen if k)
    threshold = max(2, int(0.4 * len(by_page) + 0.999)) if pages > 1 else 10**9
    for page_lines in by_page.values():
        edges = _edges(page_lines)
        top = set(map(id, page_lines[:4]))
        numbered_page = any(x.number is not None for x in page_lines)
        for line in edges:
            text = line.text.strip()
            if line.band and numbered_page:
                line.furniture = "header" if line.band == "top" else "footer"
            elif _LETTER_SPACED.match(text):
                line.furniture = "header"  # "F L O R I D A  H O U S E ..."
            elif _PAGE_NUMBER.match(text):
                line.furniture = "page_number"
            elif _DRAFTING_CODE.match(text):
                line.furniture = "drafting_code"
            elif edge_keys[_edge_key(line)] >= threshold:
                line.furniture = "header" if id(line) in top else "footer"
        # On a continuation page, unnumbered lines above the first numbered line that would
        # count back to line 0 or before are a running head ("H.B. No. 4312", "SB 1418 2").
        # So is a short line there that names the bill ("HB 1462 2", "S.B. 152").
        first = next((i for i, x in enumerate(page_lines) if x.number is not None), None)
        if first is not None and page_lines[0].page > 1:
            first_number = page_lines[first].number or 0
            for k, line in enumerate(page_lines[:first]):
                if line.furniture is None and (
                    first_number - (first - k) < 1
                    or (len(line.tokens) <= 8 and _BILL_DESIGNATION.search(line.text))
                ):
                    line.furniture = "header"
        # A legend (CODING, EXPLANATION) opens or closes a page and runs a few lines.
        legend_left = 0
        long_legend = False
        edge_ids = {id(x) for x in page_lines[:8] + page_lines[-8:]}
        for line in page_lines:
            if line.number is None and line.furniture is None:
                text = line.text.strip()
                if _DRAFTING_CODE.match(text):
                    line.furniture = "drafting_code"
                elif not any(c.isalnum() for c in text):
                    line.furniture = "ornament"  # a check mark or rule of dashes
            if (
                line.number is None
                and id(line) in edge_ids
                and _LEGEND_START.match(line.text.strip())
            ):
                legend_left = 12 if _LONG_LEGEND.match(line.text.strip()) else 4
                long_legend = legend_left == 12
            if line.number is not None:
                legend_left = 0
            if legend_left and line.furniture is None:
                line.furniture = "legend"
                legend_left -= 1
                if not long_legend and line.text.rstrip().endswith((".", ":")) and legend_left < 3:
                    legend_left = 0  # the legend's last sentence has ended
            elif legend_left:
                legend_left = 0
    return lines


def _edges(page_lines: list[RawLine]) -> list[RawLine]:
    unnumbered_top = []
    for line in page_lines:
        if line.number is not None:
            break
        unnumbered_top.append(line)
    unnumbered_bottom = []
    for line in reversed(page_lines):
        if line.number is not None:
            break
        unnumbered_bottom.append(line)
    out = unnumbered_top[:4] + [x for x in unnumbered_bottom[:4] if x not in unnumbered_top[:4]]
    return out


def _edge_key(line: RawLine) -> str:
    text = re.sub(r"\d+", "#", line.text)
    return re.sub(r"\s+", "", text).lower()


# -- conventions ----------------------------------------------------------------------

ENACTING = re.compile(
    r"be\s+it\s+enacted|be\s+it\s+resolved|enacts\s*(?:as\s+follows)?\s*:|hereby\s+enacts|"
    r"the\s+people\s+of\s+the\s+state\s+of\s+\w+\s*,?\s*represented|"
    r"general\s+assembly\s+of\s+north\s+carolina\s+enacts",
    re.I,
)
# A new section, printed in capitals too: "is amended by adding section 9-462.15, to read:".
_ADDED = re.compile(
    r"\bby\s+adding\s+(?:a\s+)?(?:new\s+)?(?:section|sections|chapter|article)\b[^:]{0,60}?"
    r"\bto\s+read\b",
    re.I,
)
_AMENDED = re.compile(r"is\s+amended\s+to\s+read|reads\s+as\s+rewritten|is\s+amended\s+as", re.I)
_BILL_SECTION = re.compile(r"^\s*(?:SECTION|Section|SEC\.|Sec\.)\s+(?:\d+[A-Z]?|[A-Z])\.", re.M)
_CAPS_WORD = re.compile(r"^[^a-z]*[A-Z][^a-z]*$")
# Capitalised words that are not Arizona insertions: initialisms and citations.
_NOT_CAPS_INSERT = frozenset(
    [
        "A.R.S.",
        "U.S.C.",
        "U.S.",
        "C.F.R.",
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
        "X",
        "LLC",
        "USA",
        "ID",
        "TV",
        "GPS",
        "PDF",
        "ADA",
        "ADOT",
        "ADEQ",
        "AHCCCS",
        "DNA",
        "DUI",
        "HIV",
        "AIDS",
        "COVID-19",
        "ATV",
        "UTV",
        "RV",
    ]
)


def body_start(lines: list[RawLine]) -> int:
    """Index of the enacting clause: conventions apply from there on, not to the title."""
    for i, line in enumerate(lines):
        if line.furniture is None and ENACTING.search(line.text):
            return i
    return 0


def apply_conventions(given: list[RawLine], profile: Profile, start: int) -> list[RawLine]:
    """The lines with their words marked by the state's printing conventions (underline,
    bold, capitals, brackets, NEW LAW sections), from the enacting clause (`start`) on: new
    lines and words, `given` is left as it was."""
    lines = copied(given, tokens=True)
    body = [line for line in lines[start:] if line.furniture is None]
    if not profile.underline_inserts:
        for line in body:
            for t in line.tokens:
                if t.mark == "inserted":
                    t.mark = "unchanged"
    if profile.bold_inserts:
        for line in body:
            for t in line.tokens:
                if t.bold and t.mark == "unchanged" and t.text.strip("[]"):
                    t.mark = "inserted"
    if profile.caps_inserts:
        _caps_inserts(body, everywhere=profile.caps_everywhere)
        _fill_between_inserts(body)
    # Oklahoma prints its NEW LAW sections plainly, and a text dump shows no underline: there
    # the bill's own words say what is new. Where the page marks insertions, they say it.
    if profile.state in ("OK", "TN") or not any(
        t.mark == "inserted" for line in body for t in line.tokens
    ):
        _new_sections(body)
    else:
        # Elsewhere the page's marks say what is new, except in a section the bill adds
        # whole ("is amended by adding section 9-500.54, to read:"), which an amendment
        # may print plain (an Arizona strike-everything amendment): it is new law.
        _new_sections(body, whole_only=True)
    if profile.brackets_delete:
        # Texas strikes what it brackets; Pennsylvania brackets existing law it deletes and
        # strikes only what an amendment deletes.
        _bracket_deletions(body, strike_confirms=profile.state == "TX")
    return lines


def _caps_inserts(body: list[RawLine], everywhere: bool = False) -> None:
    """Arizona: inside a section "amended to read", capitalised words are new language.
    Pennsylvania's amended prints (`everywhere`): capitals anywhere are the amendment's."""
    amending = everywhere
    instruction = 0  # lines left of a bill section's instruction ("... is amended / to read:")
    for line in body:
        text = line.text
        if _BILL_SECTION.match(text) and not everywhere:
            amending = bool(_AMENDED.search(text) or _ADDED.search(text))
            instruction = 0 if amending or text.rstrip().endswith(":") else 2
            continue
        if instruction:
            # The instruction wraps: "Section 1. Title 9, ..., Arizona Revised / Statutes, is
            # amended by adding section 9-462.15, to read:".
            instruction -= 1
            if _AMENDED.search(text) or _ADDED.search(text):
                amending, instruction = True, 0
                continue
            if text.rstrip().endswith(":"):
                instruction = 0
        if not amending:
            continue
        tokens = line.tokens
        for i, t in enumerate(tokens):
            letters = [c for c in t.text if c.isalpha()]
            if t.mark != "unchanged" or not letters or not _CAPS_WORD.match(t.text):
                continue
            if t.text.strip(".,;:()\"'") in _NOT_CAPS_INSERT:
                continue
            # "A" or "I" is new only beside other new capitals ("A CITY MAY"); in a whole
            # Pennsylvania print, so is a short capital word or an abbreviation ("P.L.6,",
            # "U.S.C."), which the printer sets in capitals anyway.
            abbreviation = "." in t.text.strip(".,;:")
            alone = (3 if abbreviation else 2) if everywhere else 1  # letters, at most
            if len(letters) <= alone:
                neighbours = tokens[max(i - 1, 0) : i] + tokens[i + 1 : i + 2]
                if not any(
                    _CAPS_WORD.match(n.text) and sum(c.isalpha() for c in n.text) > alone
                    for n in neighbours
                ):
                    continue
            t.mark = "inserted"


# A bill section that enacts new law says so: Oklahoma's "SECTION 2. NEW LAW", "is amended
# by adding the following new section:" (Tennessee), "is created to read:" (Florida).
_NEW_LAW = re.compile(
    r"\bNEW\s+LAW\b|\bby\s+adding\s+(?:the\s+following\s+)?(?:a\s+)?new\s+"
    r"(?:section|sections|subsection|subsections|part|chapter|article|subdivision)\b|"
    r"\bis\s+created\s+to\s+read\b|\bare\s+created\s+to\s+read\b|" + _ADDED.pattern,
    re.I,
)
_SECTION_END = re.compile(
    r"^\s*SECTION\s+\d+[A-Z]?\.|^\s*Section\s+\d+[a-z]?\.\s+\S|^\s*Sec\.\s+\d+\.\s"
)  # Arizona numbers its bill sections "Sec. 2."; a code section "Sec. 250.0131." is not one


# An instruction that also amends existing text ("by adding subsection (c) and amending
# subsection (b) to read:"): its text is not all new.
_AMENDING = re.compile(r"\bamending\b|\bamended\s+to\s+read\b|\bas\s+amended\b", re.I)


def _new_sections(body: list[RawLine], whole_only: bool = False) -> None:
    """Text a bill enacts as a new section is new law even where the document shows no
    underline (Oklahoma and Tennessee text, a print whose underline is lost): from the end of
    the instruction ("NEW LAW ... reads as follows:", "... the following new section:") to
    the next bill section."""
    i = 0
    while i < len(body):
        if not _SECTION_END.match(body[i].text):
            i += 1
            continue
        # The instruction: the section's first lines, to the first that ends with a colon.
        last = i
        while last < min(i + 4, len(body) - 1) and not body[last].text.rstrip().endswith(":"):
            last += 1
        instruction = " ".join(x.text for x in body[i : last + 1])
        j = last + 1
        if not (_NEW_LAW.search(instruction) and body[last].text.rstrip().endswith(":")) or (
            whole_only and _AMENDING.search(instruction)
        ):
            i += 1
            continue
        while j < len(body) and not _SECTION_END.match(body[j].text):
            for t in body[j].tokens:
                if t.mark == "unchanged" and t.text.strip("[]"):
                    t.mark = "inserted"
            j += 1
        i = j


def _fill_between_inserts(body: list[RawLine]) -> None:
    """A number or sign between two new words is new too: "SECTION 1. TITLE 3 OF" printed
    in capitals is one insertion, not three with old numbers between them."""
    for line in body:
        tokens = line.tokens
        for i, t in enumerate(tokens):
            if t.mark != "unchanged" or any(c.isalpha() for c in t.text):
                continue
            before = next(
                (x for x in reversed(tokens[:i]) if any(c.isalpha() for c in x.text)), None
            )
            after = next((x for x in tokens[i + 1 :] if any(c.isalpha() for c in x.text)), None)
            if (
                before is not None
                and before.mark == "inserted"
                and (after is None or after.mark == "inserted")
            ):
                t.mark = "inserted"


def _bracket_deletions(body: list[RawLine], strike_confirms: bool = False) -> None:
    """Brackets enclose text the bill deletes (Texas, Pennsylvania, Missouri).

    The brackets themselves are deletion notation, not words of the law, so they are
    marked deleted with what they enclose. An opening bracket with no closing one within
    the section is left alone: it is more likely a printing slip than a deletion of the
    rest of the bill.
    """
    flat: list[tuple[RawLine, int]] = []
    for line in body:
        new_tokens: list[Token] = []
        for t in line.tokens:
            new_tokens.extend(_split_brackets(t))
        line.tokens = new_tokens
        flat.extend((line, i) for i in range(len(new_tokens)))
    # With `strike_confirms`, where the page strikes what it deletes (Texas capitol HTML:
    # "[<s>1.035</s>]"), a bracket pair deletes only struck words: "= [(LAST YEAR'S LEVY -
    # LOST PROPERTY LEVY) / (...)]" is a formula's own bracket.
    struck = strike_confirms and any(line.tokens[i].mark == "deleted" for line, i in flat)
    opened: int | None = None
    for k, (line, i) in enumerate(flat):
        text = line.tokens[i].text
        if text == "[":
            opened = k
        elif text == "]" and opened is not None:
            inside = [line2.tokens[j] for line2, j in flat[opened + 1 : k]]
            words = [t for t in inside if t.text.strip()]
            if not struck or not words or all(t.mark == "deleted" for t in words):
                for line2, j in flat[opened : k + 1]:
                    line2.tokens[j].mark = "deleted"
            opened = None
        elif opened is not None and k - opened > 1500:
            opened = None


def _split_brackets(t: Token) -> list[Token]:
    if "[" not in t.text and "]" not in t.text:
        return [t]
    parts = [p for p in re.split(r"(\[|\])", t.text) if p]
    out: list[Token] = []
    for n, p in enumerate(parts):
        out.append(Token(p, t.mark, t.bold, glued=t.glued if n == 0 else True))
    return out


# -- line numbers ---------------------------------------------------------------------


def number_lines(given: list[RawLine]) -> list[RawLine]:
    """The lines with the numbers the printer left out filled in, or counted where the bill
    prints none (new lines: `given` is left as it was).

    CASE 1: the line has a printed margin number: keep it.
    CASE 2: an unnumbered line of text just above numbered lines on its page takes the
            number that counts back to it (Missouri prints no 1 on a section's first line).
    CASE 3: an unnumbered line below the last numbered line takes the count forward.
    CASE 4: a bill with no margin numbers at all: count each page's lines from 1.
    Lines before the first numbered line that count back to 0 or less (title blocks) have
    no number; a pinpoint to them names the page only.
    """
    lines = copied(given)
    text_lines = [line for line in lines if line.furniture is None and line.tokens]
    printed = sum(line.number is not None for line in text_lines)
    if printed < 0.2 * len(text_lines):
        # CASE 4, and a few stray numbers are no numbering to pin text to: count.
        for line in text_lines:
            line.number = None
        counts: Counter[int] = Counter()
        for line in text_lines:
            counts[line.page] += 1
            line.number, line.source = counts[line.page], "counted"
        return lines
    by_page: dict[int, list[RawLine]] = {}
    for line in text_lines:
        by_page.setdefault(line.page, []).append(line)
    for page_lines in by_page.values():
        nxt: tuple[int, int] | None = None  # (index, number) of the next numbered line
        inferred: dict[int, int] = {}
        for i in range(len(page_lines) - 1, -1, -1):
            line = page_lines[i]
            if line.number is not None:
                nxt = (i, line.number)
            elif nxt is not None and nxt[1] - (nxt[0] - i) >= 1:
                inferred[i] = nxt[1] - (nxt[0] - i)
            elif (
                nxt is not None
                and i + 1 < len(page_lines)
                and inferred.get(i + 1) == 1
                and (_BILL_SECTION.match(line.text))
            ):
                # Missouri: "Section A." on one line, then "21.750. 1." also unnumbered:
                # each starts its own count at 1.
                inferred[i] = 1
                nxt = (i, 1)
        prev: tuple[int, int] | None = None
        for i, line in enumerate(page_lines):
            if line.number is not None:
                if line.source != "inferred":
                    prev = (i, line.number)
                continue
            if i in inferred:
                line.number, line.source = inferred[i], "inferred"
            elif prev is not None:
                line.number, line.source = prev[1] + (i - prev[0]), "inferred"
            else:
                line.source = "none"
    return lines


# -- text -----------------------------------------------------------------------------


def build_text(lines: list[RawLine]) -> tuple[str, list[Line], list[Span]]:
    """Join the bill's lines into one text, with each line's offsets and the mark spans."""
    parts: list[str] = []
    runs: list[list[Any]] = []  # [start, end, mark], merged as they grow
    out_lines: list[Line] = []
    pos = 0
    prev_mark: Mark | None = None

    def add(length: int, mark: Mark) -> None:
        nonlocal pos
        if runs and runs[-1][2] == mark:
            runs[-1][1] += length
        else:
            runs.append([pos, pos + length, mark])
        pos += length

    for line in lines:
        if line.furniture is not None or not line.tokens:
            continue
        if parts:
            # A break or space inside a marked run belongs to it; between runs, to neither.
            parts.append("\n")
            first = line.tokens[0].mark
            add(1, first if first == prev_mark else "unchanged")
        start = pos
        before: Mark | None = None
        for t in line.tokens:
            if before is not None and not t.glued:
                parts.append(" ")
                add(1, before if before == t.mark else "unchanged")
            parts.append(t.text)
            add(len(t.text), t.mark)
            before = t.mark
        prev_mark = line.tokens[-1].mark
        out_lines.append(Line(line.page, line.number, line.source, start, pos))
    spans = [Span(s, e, m) for s, e, m in runs]
    return "".join(parts), out_lines, spans


def furniture_of(lines: list[RawLine]) -> list[Furniture]:
    return [
        Furniture(line.page, line.furniture, line.text)  # type: ignore[arg-type]
        for line in lines
        if line.furniture is not None
    ]
