"""Bill sections, code sections and subsections, found where a printed line begins.

A bill section ("SECTION 2.", "Section A.", Arizona's "Sec. 2.") holds code sections
("Sec. 250.0131.", "§ 95-25.1.", "790.33", Missouri's "149.192."), which hold subsections
("(b)", Arizona's "B.", Missouri's "2.", "(1)"). A provision is then cited the way a lawyer
writes it: "SECTION 2, Sec. 250.0131(b)(1)".
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Line, Section, Span

_BILL_SECTION = re.compile(
    r"^(?P<label>(?:SECTION|Section|SEC\.|Sec\.)\s+(?P<num>\d+[A-Z]?|[A-Z]))\.(?=\s|$)"
)
# A Texas act in articles numbers its sections by article: "ARTICLE 2. ... SECTION 2.03.
# RATES OF LOCAL VALUE ADDED TAXES. (a) ...".
_ARTICLE_SECTION = re.compile(r"^(?P<label>SECTION\s+(?P<num>\d{1,2}\.\d{2}))\.(?=\s|$)")
# Missouri renumbers a section by striking the old number: "[290.528.] 290.600. 1. As used":
# the section is the new number.
_CODE_SECTION = re.compile(
    r"""^(?:\[\s*\d+(?:[-.:]\d+[A-Za-z]?)*\.?\s*\]\s*)?
    [\"“\[]?
    (?:(?P<prefix>Sec\.|§+|Section)\s*)?
    (?P<num>\d+[A-Z]?(?:[-.:]\d+[A-Za-z]?)*)
    (?P<dot>\.?)
    (?=\s+[\[\]A-Z0-9(“"]|\s*$)""",
    re.X,
)
_SUBSECTION = re.compile(
    r"^[\"“\[]?(?P<label>\((?P<paren>[a-z]{1,5}(?:\.\d+)?|\d{1,3}|[A-Z]{1,3})\)|"
    r"(?P<dotted>[A-Z]|[a-z]|\d{1,2})\.)"
    r"(?=\s+[\[\"“A-Za-z($]|\s*$|\(|\d{1,2}\.\s)"
)
# A label right after another opens a deeper subsection: "(3)(c) If any county ...".
# Florida runs its levels together: "(4)(a)1. A local government ...".
_NEXT_LABEL = re.compile(
    r"^(?P<label>\((?P<paren>[a-z]{1,5}(?:\.\d+)?|\d{1,3}|[A-Z]{1,3})\)|"
    r"(?P<dotted>\d{1,2}|[a-z])\.)(?=\s|\(|\d{1,2}\.\s)"
)
# After a code section's number and heading, the first subsection often shares the line:
# "Sec. 250.0131. REGULATION OF LEAVE. (a) A municipality ...", "21.750. 1. The ...".
_INLINE_SUBSECTION = re.compile(
    r"(?:^|[.—:]\s+|\s)(?P<label>\((?P<paren>[a-z]{1,5}|\d{1,3}|[A-Z]{1,3})\)|"
    r"(?P<dotted>[A-Z]|\d{1,2})\.)\s+(?=[\[\"“A-Z])"
)
# "Part 2. Enforcement", "CHAPTER 63. SOCIAL MEDIA ...": a heading line, after which a
# code section or subsection can start although the heading ends without punctuation.
_HEADING_LINE = re.compile(
    r"^\s*(?:Part|PART|Chapter|CHAPTER|Article|ARTICLE|Subchapter|SUBCHAPTER|Title|TITLE)"
    r"\s+[0-9IVXLC]+[A-Z]?\.?(?:\s|$)"
)
# A line that ends in the middle of a citation: "sections 324.950 to" / "324.983. Any rule".
# Florida's "as defined in s." / "ss." before the number, too.
_CONTINUES_CITE = re.compile(
    r"(?:\b(?:to|through|and|or|of|by|with|from|sections?|under|in|s\.|ss\.)|,|§)\s*$", re.I
)
# A line ending a clause: the next line may open a subsection. A list item ends "...; or".
_ENDS_CLAUSE = re.compile(r"[.:;\]\"”—]\s*$|^\s*$|;\s*(?:or|and)\s*$")
_JOINT_RESOLUTION = re.compile(r"\bjoint\s+resolution\b", re.I)
_CONSTITUTION_ARTICLE = re.compile(r"ARTICLE\s+([IVXLC]+)\s*$")
_FURTHER_RESOLVED = re.compile(r"BE\s+IT\s+FURTHER\s+RESOLVED\b", re.I)
# Roman numerals as bills use them for clauses: (i) to (xx). "(c)" and "(d)" are letters.
_ROMAN = re.compile(r"^(?:x{0,2})(?:i{1,3}|iv|v|vi{1,3}|ix)$|^x{1,2}$")


@dataclass
class _Open:
    label: str
    level: str
    start: int
    depth: int
    style: str
    heading: str


def find_sections(
    text: str,
    lines: list[Line],
    state: str | None,
    body_offset: int = 0,
    spans: Sequence[Span] = (),
) -> list[Section]:
    """Sections of the bill's body (from the enacting clause on; the title has none).
    `spans`: the text's marks; a number whose marks change inside it is a renumbered
    label ("2." inserted, "4." struck: "2.4."), not a code section."""
    changes = [b.start for a, b in itertools.pairwise(spans) if a.mark != b.mark]
    deleted = [(s.start, s.end) for s in spans if s.mark == "deleted"]
    out: list[Section] = []
    open_bill: _Open | None = None
    open_code: _Open | None = None
    subs: list[_Open] = []  # the open subsection at each depth
    styles: list[str] = []  # label style of each subsection depth, in order of first use
    prev_text = ""
    after_heading = False  # the line before opened a code section: "41-194.01. Attorney ..."
    heading_lines = 0
    prev_line: Line | None = None
    # A joint resolution prints the constitution's articles as headings ("ARTICLE VIII /
    # LOCAL GOVERNMENT / SECTION 1. Counties.—"): its sections are cited by article, "Art.
    # VIII, § 1", never as a bare "SECTION 1" that four articles share.
    resolution = _JOINT_RESOLUTION.search(text, 0, max(body_offset, 3000)) is not None
    article = ""

    def close(item: _Open, end: int) -> None:
        out.append(Section(item.label, item.level, item.start, end, item.depth, item.heading))  # type: ignore[arg-type]

    def close_subs(end: int, from_depth: int = 1) -> None:
        while subs and subs[-1].depth >= from_depth:
            close(subs.pop(), end)

    def open_sub(label: str, style: str, value: str, at: int) -> None:
        depth, style = _depth_for(style, value, subs, styles)
        close_subs(at, depth)
        subs.append(_Open(label, "subsection", at, depth, style, ""))

    def open_inline(found: re.Match[str], at: int) -> None:
        # the first subsection, on its section's own line after the heading
        style, value = _style(found)
        open_sub(_render(found.group("label"), style, not subs), style, value, at)

    def open_code_section(label: str, line: str, label_end: int, at: int) -> None:
        """A code section (or a constitution's article section) opens at `at`; its heading
        and perhaps its first subsection follow the label on `line`."""
        nonlocal open_code, styles, after_heading, heading_lines
        close_subs(at)
        if open_code:
            close(open_code, at)
        rest = line[label_end:]
        heading = _heading(rest)
        open_code = _Open(label, "code_section", at, 0, "", heading)
        styles = []
        inline = _INLINE_SUBSECTION.search(rest)
        # A heading may wrap onto the next line; a section whose text starts at once
        # ("324.953. 1. The division shall") has none.
        after_heading = not (inline and not rest[: inline.start("label")].strip())
        heading_lines = 0
        if inline and inline.start() <= len(heading) + 3:
            open_inline(inline, at + label_end + inline.start("label"))

    for line in lines:
        if line.end <= body_offset:
            continue
        body = text[line.start : line.end]
        stripped = body.lstrip()
        at = line.start + (len(body) - len(stripped))
        # Missouri restarts its margin numbers at each section: a line 1 after line 88 of
        # the same page starts one, whatever the line before ends with ("(Official
        # capacity of officer)").
        restarts = (
            line.number == 1
            and prev_line is not None
            and prev_line.page == line.page
            and (prev_line.number or 0) > 1
        )
        prev_line = line
        continues_heading = after_heading and open_code is not None
        paragraph_start = (
            restarts
            or _ENDS_CLAUSE.search(prev_text) is not None
            or _HEADING_LINE.match(prev_text) is not None
            or after_heading
        )
        before, prev_text = prev_text, body
        # A heading that wraps keeps the next line a paragraph start ("...; definition").
        after_heading = after_heading and heading_lines < 2 and not _ENDS_CLAUSE.search(body)
        heading_lines += 1
        if resolution:
            named = _CONSTITUTION_ARTICLE.match(stripped)
            if named:
                article = named.group(1)
            elif _FURTHER_RESOLVED.match(stripped):
                article = ""  # the ballot statement follows: no article's text
                close_subs(at)
                if open_code:
                    close(open_code, at)
                    open_code = None
        m = _BILL_SECTION.match(stripped) or (
            _ARTICLE_SECTION.match(stripped) if state == "TX" else None
        )
        probed = False
        if m is None and deleted and stripped[:1] in "SsC":
            # Arizona's chaptered HTML strikes the number it keeps: "Sec. [2.]2. Title 11":
            # the section is read from what the bill keeps.
            probe = _kept_head(stripped, at, deleted)
            if probe != stripped:
                m = _BILL_SECTION.match(probe)
                probed = m is not None
        if m and article and m.group("num").isdigit():
            open_code_section(f"Art. {article}, § {m.group('num')}", stripped, m.end(), at)
            continue
        # Texas and Oklahoma write bill sections in capitals ("SECTION 2.") and code
        # sections as "Sec. 250.001." and "Section 160.".
        if m and not (
            (state == "TX" and m.group("label").startswith("Sec"))
            or (state == "OK" and m.group("label").startswith("Section"))
        ):
            close_subs(at)
            if open_code:
                close(open_code, at)
                open_code = None
            if open_bill:
                close(open_bill, at)
            label = m.group("label")
            label = re.sub(r"\s+", " ", label)
            open_bill = _Open(label, "bill_section", at, 0, "", "")
            styles = []
            rest = stripped[m.end() :]
            inline = (
                _INLINE_SUBSECTION.search(rest) if "." in m.group("num") and not probed else None
            )
            if inline and inline.start() <= len(_heading(rest)) + 3:
                # "SECTION 2.03. RATES OF LOCAL VALUE ADDED TAXES. (a) The combined rate ...":
                # an article's section, like a code section, opens its first subsection inline.
                open_inline(inline, at + m.end() + inline.start("label"))
            continue
        m = _CODE_SECTION.match(stripped)
        if (
            m
            and paragraph_start
            and _plausible_code(m, stripped)
            and not _CONTINUES_CITE.search(before)
            and not _marks_change(changes, at + m.start("num"), at + m.end("num"))
        ):
            prefix = m.group("prefix") or ""
            num = m.group("num")
            label = f"{'§' if prefix.startswith('§') or not prefix else prefix} {num}"
            if prefix == "Section":
                label = f"§ {num}"
            open_code_section(label, stripped, m.end(), at)
            continue
        m = _SUBSECTION.match(stripped)
        if not m and continues_heading and not subs:
            # A heading that wraps, with the first subsection on its second line:
            # "Sec. 140.015. AUTHORITY TO USE PUBLIC MONEY FOR / ENVIRONMENTAL PROJECT. (a) In".
            inline = _INLINE_SUBSECTION.search(stripped)
            if inline and stripped[: inline.start("label")].rstrip().endswith((".", "—")):
                style, value = _style(inline)
                open_sub(
                    _render(inline.group("label"), style, True),
                    style,
                    value,
                    at + inline.start("label"),
                )
                continue
        if m and paragraph_start:
            while m:
                style, value = _style(m)
                first_level = len(styles) == 0 or styles[0] == style
                open_sub(_render(m.group("label"), style, first_level), style, value, at)
                stripped, at = stripped[m.end() :], at + m.end()
                m = _NEXT_LABEL.match(stripped)
                if m and _struck(deleted, at + m.start("label"), at + m.end("label")):
                    break  # the old number the bill strikes ("2." new, "4." struck)
    end = len(text)
    close_subs(end)
    if open_code:
        close(open_code, end)
    if open_bill:
        close(open_bill, end)
    out.sort(key=lambda s: (s.start, {"bill_section": 0, "code_section": 1}.get(s.level, 2)))
    return out


def _marks_change(changes: list[int], start: int, end: int) -> bool:
    """Whether a mark starts or ends strictly inside text[start:end]."""
    i = bisect.bisect_right(changes, start)
    return i < len(changes) and changes[i] < end


def _kept_head(stripped: str, at: int, deleted: list[tuple[int, int]], head: int = 24) -> str:
    """The line with the struck characters of its first `head` characters left out."""
    cut = [i for i in range(min(head, len(stripped))) if _struck(deleted, at + i, at + i + 1)]
    if not cut:
        return stripped
    gone = set(cut)
    return "".join(ch for i, ch in enumerate(stripped[:head]) if i not in gone) + stripped[head:]


def _struck(deleted: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether text[start:end] lies wholly in one deleted span."""
    i = bisect.bisect_right(deleted, start, key=lambda span: span[0]) - 1
    return i >= 0 and deleted[i][0] <= start and end <= deleted[i][1]


def _plausible_code(m: re.Match[str], line: str) -> bool:
    num = m.group("num")
    if m.group("prefix"):
        return True
    if "-" not in num and "." not in num and ":" not in num:
        return False  # a bare "2005" or "15" is text, not a code section
    # A bare number opens a code section only when followed by its dot ("149.192. ") or a
    # heading ("790.33 Field of regulation ..."); "2005, or" and "144.525;" are text.
    if m.group("dot"):
        return True
    rest = line[m.end() :].lstrip()
    return bool(rest[:1].isupper()) and ("-" in num or "." in num)


def _heading(rest: str) -> str:
    rest = rest.strip()
    m = re.match(r"^([A-Z][^.—]{2,160}?)(?:\.—|\.\s|—|\.$)", rest)
    if not m:
        return ""
    words = m.group(1)
    # A heading is short and title-like; a sentence ("The general assembly hereby...") is not.
    if len(words.split()) > 18 or re.search(r"\b(shall|may|must|is|are)\b", words):
        return ""
    return words.strip()


def _style(m: re.Match[str]) -> tuple[str, str]:
    if m.group("paren") is not None:
        v = m.group("paren")
        if v.isdigit():
            return "(1)", v
        if v[0].islower():
            return ("(i)?" if _ROMAN.match(v) else "(a)"), v
        return "(A)", v
    v = m.group("dotted")
    if v.isdigit():
        return "1.", v
    return ("a." if v.islower() else "A."), v


def _depth_for(style: str, value: str, subs: list[_Open], styles: list[str]) -> tuple[int, str]:
    """The nesting depth of a new label: the depth its style first appeared at, else new."""
    if style == "(i)?":
        style = _letter_or_roman(value, subs, styles)
    if style not in styles:
        styles.append(style)
    return styles.index(style) + 1, style


def _letter_or_roman(value: str, subs: list[_Open], styles: list[str]) -> str:
    """ "(i)" follows "(h)" as a letter; elsewhere it is a roman numeral under "(A)"."""
    if len(value) == 1:
        before = f"({chr(ord(value) - 1)})"
        if any(s.style == "(a)" and s.label == before for s in subs):
            return "(a)"
    if "(i)" in styles:
        return "(i)"
    if len(value) > 1 or "(A)" in styles or "(1)" in styles:
        return "(i)"
    return "(a)"


def _render(label: str, style: str, first_level: bool) -> str:
    """Labels as a citation prints them: "(b)", and "1." as ".1" at Missouri's first level."""
    if style == "1." and first_level:
        return "." + label.rstrip(".")
    if style in ("1.", "A.", "a."):
        return f"({label.rstrip('.')})"
    return label
