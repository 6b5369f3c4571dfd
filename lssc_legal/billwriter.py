"""Draw a bill as a state legislature prints it, from a small text format.

Used for test fixtures and for the example bill shipped in corpus/examples. Each state's
style draws its own front matter, running heads, margin line numbers and amendment markup
(underline, strike, brackets, capitals, bold), and the writer returns, for every word of the
bill, the page, line and mark it printed, so tests can check that ingest reads them back.

The format: `key: value` lines (state, chamber, number, session, year, version_line,
sponsors, title, code), a line `---`, then one paragraph per line. `{+new words+}` are inserted,
`{-old words-}` deleted. A paragraph starting with `>` is indented (a subsection).

    state: TX
    chamber: house
    number: 2127
    ---
    SECTION 1. Section 250.001, Local Government Code, is amended to read as follows:
    > (a) A municipality {-may-} {+may not+} adopt an ordinance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from .models import Mark


@dataclass
class BillSpec:
    meta: dict[str, str]
    # (indented, words): each word with its mark and whether it is glued to the word before
    # (punctuation right after a marked run: "{+fees+}.").
    paragraphs: list[tuple[bool, list[tuple[str, Mark, bool]]]]

    @property
    def state(self) -> str:
        return self.meta.get("state", "TX").upper()


@dataclass
class PrintedWord:
    text: str  # as printed, brackets included
    page: int
    line: int | None
    mark: Mark


@dataclass
class _Style:
    font: str = "Times-Roman"
    bold: str = "Times-Bold"
    size: float = 12
    leading: float = 24
    left: float = 90
    right: float = 540
    top: float = 700
    bottom: float = 90
    numbering: str = "page"  # page, continuous, section, none
    insert: str = "underline"  # underline, caps, bold
    delete: str = "strike"  # strike, brackets, brackets+strike
    rule: str = "line"  # how marks are drawn: line, rect, curve
    max_lines: int = 0  # lines per page, when the state fixes it (Oklahoma: 24)


STYLES: dict[str, _Style] = {
    "TX": _Style(font="Courier", bold="Courier-Bold", delete="brackets+strike", rule="rect"),
    "FL": _Style(numbering="continuous", leading=20, rule="line"),
    "NC": _Style(rule="rect"),
    "PA": _Style(delete="brackets", rule="line"),
    "AZ": _Style(insert="caps", rule="line"),
    "OK": _Style(font="Courier", bold="Courier-Bold", rule="curve", max_lines=24, leading=22),
    "TN": _Style(numbering="none", leading=16),
    "MO": _Style(numbering="section", insert="bold", delete="brackets+strike", rule="curve",
                 leading=17),
}  # fmt: skip

_MARKUP = re.compile(r"\{\+(.*?)\+\}|\{-(.*?)-\}|([^{]+|\{)", re.S)


def parse_spec(text: str) -> BillSpec:
    head, _, body = text.partition("\n---\n")
    meta: dict[str, str] = {}
    for line in head.splitlines():
        if ":" in line and not line.lstrip().startswith("#"):
            key, value = line.split(":", 1)
            meta[key.strip().lower()] = value.strip()
    paragraphs: list[tuple[bool, list[tuple[str, Mark, bool]]]] = []
    for line in body.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indented = line.startswith(">")
        words: list[tuple[str, Mark, bool]] = []
        for m in _MARKUP.finditer(line.lstrip(">").strip()):
            ins, dele, plain = m.groups()
            mark: Mark = (
                "inserted" if ins is not None else "deleted" if dele is not None else ("unchanged")
            )
            chunk = ins if ins is not None else dele if dele is not None else plain
            chunk = chunk or ""
            glue_first = (
                plain is not None and bool(words) and bool(chunk) and not chunk[0].isspace()
            )
            for k, w in enumerate(chunk.split()):
                words.append((w, mark, glue_first and k == 0))
        paragraphs.append((indented, words))
    return BillSpec(meta, paragraphs)


# -- front matter ----------------------------------------------------------------------


def _front(spec: BillSpec) -> tuple[list[tuple[str, str]], list[str]]:
    """(unnumbered header lines with alignment, numbered caption lines) in the state's form.
    A `version_line` ("COMMITTEE SUBSTITUTE", "ENGROSSED") heads the page when given."""
    header, caption = _state_front(spec)
    line = spec.meta.get("version_line")
    if line and spec.state != "NC":  # North Carolina prints it in its own place
        header = [("center", line), *header]
    return header, caption


def _state_front(spec: BillSpec) -> tuple[list[tuple[str, str]], list[str]]:
    m = spec.meta
    s = spec.state
    ch = m.get("chamber", "house")
    num = m.get("number", "1")
    year = m.get("year", "2025")
    sponsors = m.get("sponsors", "Smith")
    title = m.get("title", "relating to local regulation")
    house = ch == "house"
    if s == "TX":
        kind = "H.B." if house else "S.B."
        return (
            [
                ("right", m.get("code", "89R1234 ABC-D")),
                ("split", f"By: {sponsors}|{kind} No. {num}"),
            ],
            [
                "A BILL TO BE ENTITLED",
                "AN ACT",
                title,
                "BE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:",
            ],
        )
    if s == "FL":
        kind = "HB" if house else "SB"
        return (
            [],
            [
                "A bill to be entitled",
                f"An act {title}",
                "Be It Enacted by the Legislature of the State of Florida:",
            ],
        )
    if s == "NC":
        return (
            [
                ("center", "GENERAL ASSEMBLY OF NORTH CAROLINA"),
                ("center", f"SESSION {year}"),
                ("center", "H" if house else "S"),
                ("center", f"{'HOUSE' if house else 'SENATE'} BILL {num}"),
                ("center", m.get("version_line", "")) if m.get("version_line") else ("center", ""),
                (
                    "left",
                    f"{'Representatives' if house else 'Senators'} {sponsors} (Primary Sponsors).",
                ),
            ],
            [
                "A BILL TO BE ENTITLED",
                f"AN ACT {title.upper()}",
                "The General Assembly of North Carolina enacts:",
            ],
        )
    if s == "PA":
        return (
            [
                ("left", f"PRINTER'S NO. {m.get('printers', '1003')}"),
                ("center", "THE GENERAL ASSEMBLY OF PENNSYLVANIA"),
                ("center", f"{'HOUSE' if house else 'SENATE'} BILL No. {num} Session of {year}"),
                ("left", f"INTRODUCED BY {sponsors.upper()}, MARCH 4, {year}"),
            ],
            [
                "AN ACT",
                title,
                "The General Assembly of the Commonwealth of Pennsylvania hereby enacts as "
                "follows:",
            ],
        )
    if s == "AZ":
        return (
            [
                ("center", f"REFERENCE TITLE: {m.get('short', 'local regulation')}"),
                ("center", "State of Arizona"),
                ("center", "House of Representatives" if house else "Senate"),
                ("center", m.get("legislature", "Fifty-seventh Legislature")),
                ("center", m.get("session", "First Regular Session")),
                ("center", year),
                ("center", f"{'HOUSE' if house else 'SENATE'} BILL {num}"),
                ("center", f"Introduced by {'Representative' if house else 'Senator'} {sponsors}"),
            ],
            ["AN ACT", title.upper(), "Be it enacted by the Legislature of the State of Arizona:"],
        )
    if s == "OK":
        return (
            [
                ("left", "STATE OF OKLAHOMA"),
                ("left", m.get("session", "1st Session of the 58th Legislature (2021)")),
                ("left", f"{'HOUSE' if house else 'SENATE'} BILL {num} By: {sponsors}"),
            ],
            [f"AN ACT {title}", "BE IT ENACTED BY THE PEOPLE OF THE STATE OF OKLAHOMA:"],
        )
    if s == "TN":
        return (
            [("split", f"{'HOUSE' if house else 'SENATE'} BILL {num}|By {sponsors}")],
            [f"AN ACT {title}", "BE IT ENACTED BY THE GENERAL ASSEMBLY OF THE STATE OF TENNESSEE:"],
        )
    if s == "MO":
        return (
            [
                ("center", m.get("session", "SECOND REGULAR SESSION")),
                ("center", f"{'HOUSE' if house else 'SENATE'} BILL NO. {num}"),
                ("center", m.get("assembly", "102ND GENERAL ASSEMBLY")),
                (
                    "center",
                    f"INTRODUCED BY {'REPRESENTATIVE' if house else 'SENATOR'} {sponsors.upper()}.",
                ),
                ("split", f"{m.get('code', '4736H.01I')}|DANA RADEMAN MILLER, Chief Clerk"),
                ("center", "AN ACT"),
            ],
            [title, "Be it enacted by the General Assembly of the state of Missouri, as follows:"],
        )
    raise ValueError(f"no bill style for state {s!r}")


def _running_head(
    spec: BillSpec, page: int, pages: int
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(header lines, footer lines) printed on `page`."""
    m, s = spec.meta, spec.state
    num = m.get("number", "1")
    house = m.get("chamber", "house") == "house"
    year = m.get("year", "2025")
    if s == "TX":
        head = [] if page == 1 else [("right", f"{'H.B.' if house else 'S.B.'} No. {num}")]
        return head, [("center", str(page))]
    if s == "FL":
        kind = "HB" if house else "SB"
        return (
            [
                ("center", "F L O R I D A   H O U S E   O F   R E P R E S E N T A T I V E S"),
                ("split", f"{kind} {num}|{year}"),
            ],
            [
                ("center", f"Page {page} of {pages}"),
                ("center", "CODING: Words stricken are deletions; words underlined are additions."),
                ("right", f"{kind.lower()}{int(num):04d}-00"),
            ],
        )
    if s == "NC":
        head = (
            [] if page == 1 else [("split", f"General Assembly Of North Carolina|Session {year}")]
        )
        return head, [("split", f"Page {page}|{'House' if house else 'Senate'} Bill {num}")]
    if s == "PA":
        return [], [
            ("right", f"{year}0{'HB' if house else 'SB'}{int(num):04d}PN1003"),
            ("center", f"- {page} -"),
        ]
    if s == "AZ":
        return (
            [] if page == 1 else [("split", f"{'H.B.' if house else 'S.B.'} {num}|")],
            [("center", f"- {page} -")],
        )
    if s == "OK":
        return [], [("split", f"Req. No. {m.get('req', '1234')}|Page {page}")]
    if s == "TN":
        return [], [
            ("left", f"{'HB' if house else 'SB'}{int(num):04d} 002182"),
            ("center", f"- {page} -"),
        ]
    if s == "MO":
        head = [] if page == 1 else [("split", f"{'HB' if house else 'SB'} {num}|{page}")]
        foot = (
            []
            if page > 1
            else [
                (
                    "left",
                    "EXPLANATION — Matter enclosed in bold-faced brackets [thus] in the above",
                ),
                ("left", "bill is not enacted and is intended to be omitted from the law."),
            ]
        )
        return head, foot
    return [], []


# -- layout -----------------------------------------------------------------------------


@dataclass
class _Piece:
    text: str
    mark: Mark
    width: float
    glue: bool = False  # attached to the previous piece (a bracket)


@dataclass
class _PLine:
    pieces: list[_Piece]
    indent: float
    numbered: bool = True
    section_start: bool = False


@dataclass
class _Layout:
    pages: list[list[_PLine]] = field(default_factory=list)


def _pieces(spec: BillSpec, style: _Style, words: list[tuple[str, Mark, bool]]) -> list[_Piece]:
    out: list[_Piece] = []
    brackets = "brackets" in style.delete
    for i, (w, mark, glued) in enumerate(words):
        text = w.upper() if mark == "inserted" and style.insert == "caps" else w
        if mark == "deleted" and brackets:
            first = i == 0 or words[i - 1][1] != "deleted"
            last = i == len(words) - 1 or words[i + 1][1] != "deleted"
            text = ("[" if first else "") + text + ("]" if last else "")
        font = style.bold if mark == "inserted" and style.insert == "bold" else style.font
        out.append(_Piece(text, mark, stringWidth(text, font, style.size), glue=glued))
    return out


def _wrap(
    pieces: list[_Piece], width: float, first_indent: float, style: _Style
) -> list[list[_Piece]]:
    space = stringWidth(" ", style.font, style.size)
    lines: list[list[_Piece]] = [[]]
    used = first_indent
    for p in pieces:
        need = p.width + (space if lines[-1] and not p.glue else 0)
        if lines[-1] and used + need > width and not p.glue:
            lines.append([])
            used = 0.0
            need = p.width
        lines[-1].append(p)
        used += need
    return lines


_SECTION_START = re.compile(
    r"^(?:SECTION|Section|Sec\.)\s+\d+[A-Z]?\.|^\d+\.\d+\.|^Section [A-Z]\."
)


def _layout(spec: BillSpec, style: _Style) -> _Layout:
    header, caption = _front(spec)
    width = style.right - style.left
    lines: list[_PLine] = [
        _PLine([_Piece(t, "unchanged", 0)], 0, numbered=False) for _, t in header
    ]
    for cap in caption:
        pieces = _pieces(spec, style, [(w, "unchanged", False) for w in cap.split()])
        numbered = style.numbering not in ("section",)
        for chunk in _wrap(pieces, width, 0, style):
            lines.append(_PLine(chunk, 0, numbered=numbered))
    for indented, words in spec.paragraphs:
        pieces = _pieces(spec, style, words)
        indent = 36.0
        plain = " ".join(w for w, _, _ in words)
        starts = bool(_SECTION_START.match(plain)) and not indented
        for k, chunk in enumerate(_wrap(pieces, width, indent, style)):
            lines.append(_PLine(chunk, indent if k == 0 else 0, section_start=starts and k == 0))
    # Pages: the front header stays together with the first lines of text.
    per_page = style.max_lines or int((style.top - style.bottom) / style.leading)
    layout = _Layout()
    for i in range(0, len(lines), per_page):
        layout.pages.append(lines[i : i + per_page])
    return layout


# -- drawing ----------------------------------------------------------------------------


def write_bill(spec: BillSpec, out: Path) -> list[PrintedWord]:
    """Draw the bill to `out` (PDF) and return every printed word with its page, line, mark."""
    style = STYLES[spec.state]
    layout = _layout(spec, style)
    pdf = canvas.Canvas(str(out), pagesize=letter, invariant=1)
    pdf.setTitle(f"{spec.state} {spec.meta.get('number', '')}")
    pdf.setCreator("lssc-legal write-bill")  # what lets write-bill replace its own PDFs
    printed: list[PrintedWord] = []
    running = 0
    section_line = 0
    pages = len(layout.pages)
    for page_no, page in enumerate(layout.pages, start=1):
        head, foot = _running_head(spec, page_no, pages)
        y = 760.0
        for align, text in head:
            _draw_aligned(pdf, style, align, text, y, size=10)
            y -= 14
        y = style.top
        page_line = 0
        for line in page:
            # CASE 1: no margin numbers (Tennessee): a reader counts every line of the page.
            # CASE 2: Missouri numbers each section from 1 and leaves the 1 unprinted.
            # CASE 3: Florida numbers straight through the bill; most states restart per page.
            if line.section_start:
                section_line = 0
            if line.numbered:
                running += 1
                section_line += 1
            page_line += 1 if (line.numbered or style.numbering == "none") else 0
            number: int | None = None
            if style.numbering == "none":
                number = page_line
            elif line.numbered:
                number = {"continuous": running, "section": section_line}.get(
                    style.numbering, page_line
                )
            shown = (
                number is not None
                and style.numbering != "none"
                and not (style.numbering == "section" and section_line == 1)
            )
            if shown:
                pdf.setFont(style.font, 10)
                pdf.drawRightString(style.left - 14, y, str(number))
            if len(line.pieces) == 1 and line.pieces[0].width == 0:
                # A front-matter header line: text with its alignment.
                text = line.pieces[0].text
                _draw_aligned(pdf, style, _header_align(spec, text), text, y)
                printed.extend(
                    PrintedWord(w, page_no, None, "unchanged")
                    for w in text.replace("|", " ").split()
                )
            else:
                _draw_words(pdf, style, line, y)
                for p in line.pieces:
                    if p.glue and printed:
                        printed[-1].text += p.text  # the reader sees one printed word
                    else:
                        printed.append(PrintedWord(p.text, page_no, number, p.mark))
            y -= style.leading
        y = style.bottom - 30
        for align, text in foot:
            _draw_aligned(pdf, style, align, text, y, size=9)
            y -= 12
        pdf.showPage()
    pdf.save()
    return printed


def _header_align(spec: BillSpec, text: str) -> str:
    header, _ = _front(spec)
    for align, t in header:
        if t == text:
            return align
    return "left"


def _draw_aligned(
    pdf: Any, style: _Style, align: str, text: str, y: float, size: float | None = None
) -> None:
    size = size or style.size
    pdf.setFont(style.font, size)
    if align == "split":
        left, _, right = text.partition("|")
        pdf.drawString(style.left, y, left)
        pdf.drawRightString(style.right, y, right)
    elif align == "center":
        pdf.drawCentredString((style.left + style.right) / 2, y, text)
    elif align == "right":
        pdf.drawRightString(style.right, y, text)
    else:
        pdf.drawString(style.left, y, text)


def _draw_words(pdf: Any, style: _Style, line: _PLine, y: float) -> None:
    x = style.left + line.indent
    space = stringWidth(" ", style.font, style.size)
    runs: list[tuple[Mark, float, float]] = []  # drawn marks: kind, x start, x end
    for i, p in enumerate(line.pieces):
        bold = p.mark == "inserted" and style.insert == "bold"
        pdf.setFont(style.bold if bold else style.font, style.size)
        pdf.drawString(x, y, p.text)
        start, end = x, x + p.width
        if (p.mark == "deleted" and "strike" in style.delete) or (
            p.mark == "inserted" and style.insert == "underline"
        ):
            # One rule across a run of marked words, spaces included, as printers draw it.
            if runs and runs[-1][0] == p.mark and i and line.pieces[i - 1].mark == p.mark:
                runs[-1] = (p.mark, runs[-1][1], end)
            else:
                runs.append((p.mark, start, end))
        nxt = line.pieces[i + 1] if i + 1 < len(line.pieces) else None
        x = end + (0 if nxt is not None and nxt.glue else space)
    pdf.setLineWidth(0.6)
    for mark, x0, x1 in runs:
        dy = -2.0 if mark == "inserted" else style.size * 0.3
        _rule(pdf, style.rule, x0, x1, y + dy)


def _rule(pdf: Any, how: str, x0: float, x1: float, y: float) -> None:
    if how == "rect":
        pdf.rect(x0, y - 0.35, x1 - x0, 0.7, stroke=0, fill=1)
    elif how == "curve":
        path = pdf.beginPath()
        path.moveTo(x0, y - 0.35)
        path.curveTo(x0 + (x1 - x0) / 3, y - 0.35, x0 + 2 * (x1 - x0) / 3, y - 0.35, x1, y - 0.35)
        path.lineTo(x1, y + 0.35)
        path.lineTo(x0, y + 0.35)
        path.close()
        pdf.drawPath(path, stroke=0, fill=1)
    else:
        pdf.line(x0, y, x1, y)


def write_bill_file(spec_path: Path, out: Path) -> list[PrintedWord]:
    return write_bill(parse_spec(spec_path.read_text(encoding="utf-8")), out)
