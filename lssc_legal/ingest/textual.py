"""Bills that arrive as text rather than drawn pages: TXT, HTML and DOCX.

Each reader turns its file into rows of marked characters, one row per printed line; the
rows then become RawLines the same way, with any line numbers the text carries at the start
of its lines taken off as margin numbers.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

from ..errors import DamagedFileError, EmptyFileError
from ..limits import limits, too_large
from ..models import Mark
from .assemble import RawLine
from .page import Token

Char = tuple[str, Mark, bool]  # character, mark, bold
Row = tuple[int, list[Char]]  # page, characters of one line


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return _repair_double_encoding(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# UTF-8 bytes read as Latin-1 and saved again as UTF-8 ("1.â\x80\x83The department" for an
# em space): a scraper's copy of a legislature's page. Each such run is decoded back.
_DOUBLE_ENCODED = re.compile(r"[\u00c2-\u00f4][\u0080-\u00bf]{1,3}")


def _repair_double_encoding(text: str) -> str:
    if len(_DOUBLE_ENCODED.findall(text[:200_000])) < 3:
        return text

    def fix(m: re.Match[str]) -> str:
        try:
            return m.group(0).encode("latin-1").decode("utf-8")
        except UnicodeError:
            return m.group(0)

    return _DOUBLE_ENCODED.sub(fix, text)


_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")


def rows_to_lines(
    rows: list[Row], printed: dict[int, int] | None = None
) -> tuple[list[RawLine], list[str]]:
    """RawLines from rows of characters, with line numbers read as margin numbers where the
    text carries them at the start (or, as some extractions do, at the end) of its lines.
    `printed` gives the printed line number of rows whose file says it (Pennsylvania's
    printed-bill HTML): those are used as they are."""
    if printed:
        return [
            RawLine(page, printed.get(i), tokens)
            for i, (page, chars) in enumerate(rows)
            if (tokens := tokens_from_chars(chars))
        ], []
    where = _numbering_in_use(rows)
    out: list[RawLine] = []
    bare = 0
    for page, chars in rows:
        number = None
        if _BARE_NUMBER.match("".join(c[0] for c in chars)):
            # In numbered text, a numbered blank line (Florida Senate HTML's "376" between
            # two lines); otherwise a line number the extraction separated from its line.
            if where is None:
                bare += 1
            continue
        if where is not None:
            number, chars = _take_number(chars, where)
        tokens = tokens_from_chars(chars)
        if tokens:
            out.append(RawLine(page, number, tokens))
    warnings: list[str] = []
    if bare > 5:
        warnings.append(
            f"{bare} line numbers stand apart from their lines in this text: pinpoints are "
            "counted lines, not the printed numbers; read the PDF for printed pinpoints"
        )
    numbers = [line.number for line in out if line.number is not None]
    restarts = sum(1 for a, b in itertools.pairwise(numbers) if b < a)
    if restarts and len({line.page for line in out}) == 1:
        warnings.append(
            f"line numbers restart {restarts} times but the text has no page breaks: "
            "pinpoints give the line but not the page; read the PDF for pages"
        )
    return out, warnings


_NUMBER_AT = {
    # A number with text beside it: words, or a section number or label ("316.003.", "(7)").
    "start": re.compile(r"^\s*(\d{1,4})\s+(?=.*[A-Za-z]|\(?\d+(?:\.\d+)*[.)]?\s*$|\(\w{1,4}\))"),
    "end": re.compile(r"(?<=[A-Za-z.,;:)\]\"”'])\s+(\d{1,4})\s*$"),
}


def _numbering_in_use(rows: list[Row]) -> str | None:
    """Where the lines carry numbers that count up, if most text lines carry them: a
    number counts only with text beside it (a column of bare numbers is not margin
    numbering a reader can pin text to)."""
    texts = ["".join(c[0] for c in chars) for _, chars in rows]
    texts = [t for t in texts if t.strip()]
    best: tuple[int, str | None] = (0, None)
    for where, pattern in _NUMBER_AT.items():
        numbers = [int(m.group(1)) for t in texts if (m := pattern.search(t))]
        if len(numbers) < 3 or len(numbers) < 0.3 * len(texts):
            continue
        steps = sum(1 for a, b in itertools.pairwise(numbers) if b == a + 1)
        if steps >= 0.5 * len(numbers) and steps > best[0]:
            best = (steps, where)
    return best[1]


# A number that ends a line is not a margin number when it is what the words before it
# name: "HB 2505", "Senate Bill 40", "No. 12", "Section 5".
_NAMED_NUMBER = re.compile(
    r"(?:\b[HS]\.?\s?[BRJ]\.?|\bNo\.|\bBill|\bBILL|\bSection|\bSECTION|\bSec\.|\bChapter|"
    r"\bCHAPTER|\bTitle|\bArticle)\s*$"
)


def _take_number(chars: list[Char], where: str) -> tuple[int | None, list[Char]]:
    text = "".join(c[0] for c in chars)
    m = _NUMBER_AT[where].search(text)
    if not m:
        return None, chars
    if where == "end" and _NAMED_NUMBER.search(text[: m.start()]):
        return None, chars
    if where == "start":
        return int(m.group(1)), chars[m.end() :]
    return int(m.group(1)), chars[: m.start()]


def tokens_from_chars(chars: list[Char]) -> list[Token]:
    """Words from marked characters; a word whose mark changes inside it is split, glued."""
    tokens: list[Token] = []
    in_word = False
    for ch, mark, bold in chars:
        if ch.isspace():
            in_word = False
            continue
        if in_word and tokens[-1].mark == mark and tokens[-1].bold == bold:
            tokens[-1].text += ch
        else:
            tokens.append(Token(ch, mark, bold, glued=in_word))
        in_word = True
    return tokens


# -- TXT ------------------------------------------------------------------------------


class TextTooLong(Exception):
    """Raised inside the HTML parser: more text than limits().max_chars."""


def check_text(path: Path, text: str) -> None:
    """A text longer than any bill, or with more lines than any bill prints, is refused
    before it is split into lines and characters (which costs memory in proportion)."""
    bounds = limits()
    if len(text) > bounds.max_chars:
        raise too_large(path, f"the text runs to {len(text):,} characters", "max_chars")
    lines = text.count("\n") + 1
    if lines > bounds.max_lines:
        raise too_large(path, f"the text has {lines:,} lines", "max_lines")


def read_txt_rows(path: Path, data: bytes) -> list[Row]:
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyFileError(path, "the file is empty")
    check_text(path, text)
    text = restore_dump_layout(text)
    rows: list[Row] = []
    for page_no, page in enumerate(text.split("\f"), start=1):
        for line in page.split("\n"):
            rows.append((page_no, [(c, "unchanged", False) for c in line.replace("\t", " ")]))
    return rows


_BARE = re.compile(r"^\s*(\d{1,3})\s*$")
_NUMBERED = re.compile(r"^\s*(\d{1,3})\s+\S")  # a line that opens with its margin number
# A scraper's notes on struck text ("[DELETED:  -0S((]") and a template's unfilled fields
# ("<BillNo> <Sponsor>"): not the bill's words.
_SCRAPER_NOTE = re.compile(r"^\s*(?:\[DELETED:.*\]|<[A-Za-z]+>(?:\s+<[A-Za-z]+>)*)\s*$")
# The foot of a printed page in a text dump: Oklahoma's "Req. No. 218 Page 1", Tennessee's
# "SB1464 / 008686 / - 1 -" on the first page and "- 2 - 008686" on the others.
_FOOT_CODE = re.compile(r"^\s*(?:[HS][BJR]{1,2}\d{3,5}|\d{5,6})\s*$")
# (and Oklahoma's engrossed head, "ENGR. H. B. NO. 1217 Page 2").
_PAGE_FOOT = re.compile(
    r"^\s*(?:Req\.\s*No\.\s*\d+\s+Page\s+\d+|-\s*\d{1,3}\s*-(?:[ \t]+\d{5,6})?|"
    # (the optional head carries its own spaces: two \s* in a row backtrack on a blank line)
    r"(?:(?:ENGR\.|ENR\.)\s*)?[HS]\.\s*[BJCR]\.\s*NO\.\s*\d+\s+Page\s+\d+|"
    # Oklahoma's floor versions: "SB742 HFLR Page 6", "SENATE FLOOR VERSION - SB318 SFLR Page 2"
    r"(?:SENATE\s+FLOOR\s+VERSION\s+-\s+)?[HS][BJCR]{1,2}\d{1,4}\s+[HS]FLR\s+Page\s+\d+)\s*$"
)
# ... under which a floor version prints its legend: "BOLD FACE denotes Committee Amendments."
_FOOT_LEGEND = re.compile(
    r"^\s*\(?(?:bold\s+face|underlined|strike-?through)\b.{0,60}\bdenotes\b.{0,60}$", re.I
)


def restore_dump_layout(text: str) -> str:
    """A text dump of a printed bill (Oklahoma's and Tennessee's scrapers), put back as it was
    printed: each margin number, which the dump writes on its own line before (and after)
    its line of text, goes back to the start of that line; a page ends at its printed foot;
    the scraper's own notes are dropped. Text that is not such a dump comes back as it was."""
    lines = text.split("\n")
    if not any(_SCRAPER_NOTE.match(x) or _PAGE_FOOT.match(x) for x in lines):
        return text
    out: list[str] = []
    for line in lines:
        if _SCRAPER_NOTE.match(line):
            continue
        if out and out[-1] == "\f" and _FOOT_LEGEND.match(line):
            out.insert(len(out) - 1, line)  # the legend is the page's foot too
            continue
        if _PAGE_FOOT.match(line):
            # Tennessee's foot: the bill's code and the drafting number above the page number.
            while out and _FOOT_CODE.match(out[-1]):
                out.pop()
            out.extend([line, "\f"])
            continue
        out.append(line)
    lines = out
    texts = [x for x in lines if x.strip() and not _BARE.match(x) and x != "\f"]
    sandwiched = sum(
        1
        for i in range(1, len(lines) - 1)
        if _BARE.match(lines[i - 1])
        and not _BARE.match(lines[i])
        and lines[i].strip()
        and _BARE.match(lines[i + 1])
        and lines[i - 1].strip() == lines[i + 1].strip()
    )
    # Another dump writes the margin number at the start of its line and again, alone, on
    # the next ("13 expressly prohibited. Any person convicted of" then "13"): the echo goes.
    echoed = [
        i
        for i in range(1, len(lines))
        if (bare := _BARE.match(lines[i])) is not None
        and (numbered := _NUMBERED.match(lines[i - 1])) is not None
        and numbered.group(1) == bare.group(1)
    ]
    if texts and len(echoed) >= 0.3 * len(texts) and sandwiched < len(echoed):
        drop = set(echoed)
        lines = [x for i, x in enumerate(lines) if i not in drop]
    elif texts and sandwiched >= 0.3 * len(texts):
        joined: list[str] = []
        pending: str | None = None
        last_number: str | None = None
        for line in lines:
            bare = _BARE.match(line)
            if bare:
                number = bare.group(1)
                if pending is None and number == last_number:
                    continue  # the number written again after its line
                pending = number
                continue
            if _PAGE_FOOT.match(line):
                pending = None  # the foot is not a numbered line
            elif line.strip() and line != "\f" and pending is not None:
                joined.append(f"{pending} {line.strip()}")
                last_number, pending = pending, None
                continue
            if line == "\f":
                pending = last_number = None
            joined.append(line)
        lines = joined
    return "\n".join(lines).replace("\n\f\n", "\f").replace("\n\f", "\f")


# -- HTML -----------------------------------------------------------------------------

_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "tr",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "pre",
        "blockquote",
        "section",
        "article",
        "dd",
        "dt",
    ]
)
_INSERT_TAGS = frozenset({"u", "ins"})
_DELETE_TAGS = frozenset({"s", "strike", "del"})
_PAGE_LINE = re.compile(r"(\d{1,4})-(\d{1,3})")
_SKIP = frozenset({"script", "style", "head", "title", "xml"})


class _BillHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = [(1, [])]
        self.page = 1
        self.chars = 0  # text read so far, held to limits().max_chars
        self.stack: list[tuple[str, Mark | None, bool]] = []
        self.skip = 0
        self.pre = 0
        self.hints: dict[str, str] = {}
        self.hidden: list[str] = []  # open elements that are not drawn (display:none)
        # Marks a page gives by class in its style sheet (Arizona: span.O is struck through,
        # span.UP is new language printed in capitals).
        self.css = ""
        self.in_style = False
        self.class_marks: dict[str, Mark] = {}
        # Pennsylvania's printed-bill HTML: each printed line is an element carrying its
        # page and line ("data-ln-pg", "data-ln"); row index -> printed line number.
        self.printed: dict[int, int] = {}
        self.title = ""  # the page's <title>: Texas names session, bill and version there
        self.in_title = False
        # ... and draws underline and strike-through in each page's background image.
        self.backgrounds: dict[int, list[str]] = {}  # page -> base64 SVG images
        self.placed: dict[int, list[str]] = {}  # row index -> the line element's classes
        # pdf2htmlEX draws a word in two runs, the second pulled back over the first by a
        # spacer of negative margin ("b<span class='_ _5'></span> <span class='_ _6'> </span>
        # y force"): the blanks after such a spacer may sit inside a word. (row, column).
        self.overlay_classes: set[str] = set()
        self.after_overlay = False
        self.soft: set[tuple[int, int]] = set()
        # Texas capitol HTML tags each printed line with its page and line in the printed
        # bill (<META name="PGLN" contents="2-19">): the next text starts that line.
        self.pending_line: tuple[int, int] | None = None

    def _state(self) -> tuple[Mark, bool]:
        mark: Mark = "unchanged"
        bold = False
        for _, m, b in self.stack:
            if m == "deleted" or (m == "inserted" and mark == "unchanged"):
                mark = m
            bold = bold or b
        return mark, bold

    def newline(self) -> None:
        if self.rows[-1][1]:
            self.rows.append((self.page, []))

    def start_row_on(self, page: int) -> None:
        """A new row on the page the element names (Pennsylvania's positioned lines)."""
        self.page = page
        self.newline()
        self.rows[-1] = (page, self.rows[-1][1])

    def _start_printed_line(self, page: int, number: int) -> None:
        """The text that follows opens printed line `number` of `page`."""
        self.pending_line = None
        if any(c[0] != " " for c in self.rows[-1][1]):
            self.rows.append((page, []))
        self.page = page
        self.rows[-1] = (page, self.rows[-1][1])
        self.printed[len(self.rows) - 1] = number

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag in _SKIP:
            self.skip += 1
            self.in_style = tag == "style"
            self.in_title = tag == "title"
            return
        if tag == "pre":
            self.pre += 1
        if tag in _BLOCK:
            self.newline()
        if "page-break-before" in a.get("style", "") and self.rows[-1][1]:
            self.page += 1
            self.newline()
        if tag == "meta" and a.get("name", "").upper() == "PGLN":
            found = _PAGE_LINE.fullmatch(a.get("contents", "").strip())
            if found:
                self.pending_line = (int(found.group(1)), int(found.group(2)))
            return
        if tag == "img" and a.get("src", "").startswith("data:image/svg+xml;base64,"):
            self.backgrounds.setdefault(self.page, []).append(a["src"].split(",", 1)[1])
        if tag in ("br", "img", "hr", "meta", "link", "input"):
            return
        classes = a.get("class", "").lower().split()
        style = a.get("style", "").lower().replace(" ", "")
        if "display:none" in style or "visibility:hidden" in style or "mso-hide:all" in style:
            # Text that is not drawn is not part of the bill (Arizona's "START_STATUTE").
            self.hidden.append(tag)
        elif "data-footer" in a or "data-islnnbr" in a or "aiccurl" in classes:
            # Pennsylvania: the running foot ("20250HB1582PN1886 - 3 -"), the margin numbers
            # (carried by the lines themselves) and the web page's "See other bills" link.
            self.hidden.append(tag)
        elif "data-page-no" in a and a["data-page-no"].isdigit():
            self.start_row_on(int(a["data-page-no"]))
        if "data-ln" in a and a.get("data-ln-pg", "").isdigit() and a["data-ln"].isdigit():
            self.start_row_on(int(a["data-ln-pg"]))
            self.printed[len(self.rows) - 1] = int(a["data-ln"])
            self.placed[len(self.rows) - 1] = a.get("class", "").split()
        mark: Mark | None = None
        by_class = {self.class_marks[c] for c in classes if c in self.class_marks}
        if (
            tag in _DELETE_TAGS
            or "remove" in classes
            or "line-through" in style
            or "deleted" in by_class
        ):
            mark = "deleted"
        elif (
            tag in _INSERT_TAGS
            or "insert" in classes
            or "text-decoration:underline" in style
            or "inserted" in by_class
        ):
            mark = "inserted"
        bold = tag in ("b", "strong") or "font-weight:bold" in style
        if self.overlay_classes and not self.overlay_classes.isdisjoint(classes):
            self.after_overlay = True
        self.stack.append((tag, mark, bold))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            if tag == "style" and self.in_style:
                self.in_style = False
                self.class_marks.update(_class_marks(self.css))
                self.overlay_classes.update(c.lower() for c in _OVERLAY_CLASS.findall(self.css))
            self.in_title = False
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag in _BLOCK:
            self.newline()

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.css += data
        if self.in_title:
            self.title += data
        if self.skip or self.hidden:
            return
        mark, bold = self._state()
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
        self.chars += len(data)
        if self.chars > limits().max_chars:
            raise TextTooLong(self.chars)
        for ch in data:
            if ch == "\n":
                self.rows.append((self.page, []))
            elif ch == "\f":
                self.page += 1
                self.rows.append((self.page, []))
            else:
                ch = " " if ch in "\t\xa0" else ch
                if ch != " " and self.pending_line is not None:
                    self._start_printed_line(*self.pending_line)
                if ch != " ":
                    self.after_overlay = False
                elif self.after_overlay:
                    self.soft.add((len(self.rows) - 1, len(self.rows[-1][1])))
                self.rows[-1][1].append((ch, mark, bold))

    def handle_comment(self, data: str) -> None:
        # Florida Senate pages carry the bill's identity in an Office comment block.
        for key, name in (
            ("BillNumber", "number"),
            ("BillLegislativeSessionName", "year"),
            ("BillVersionName", "version_name"),
            ("BillChamber", "chamber_code"),
        ):
            m = re.search(rf"<mso:{key}[^>]*>([^<]+)</mso:{key}>", data)
            if m:
                self.hints[name] = m.group(1).strip()


_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def _class_marks(css: str) -> dict[str, Mark]:
    """Span classes the page's style sheet strikes through (deleted) or sets in capitals
    (inserted: Arizona prints new language in capitals); underlined classes are left
    alone, since headings are underlined too."""
    marks: dict[str, Mark] = {}
    for selectors, body in _CSS_RULE.findall(css):
        body = body.lower().replace(" ", "")
        mark: Mark | None = None
        if "text-decoration:line-through" in body:
            mark = "deleted"
        elif "text-transform:uppercase" in body:
            mark = "inserted"
        if mark is None:
            continue
        for selector in selectors.split(","):
            m = re.fullmatch(r"\s*span\.([\w-]+)\s*", selector)
            if m:
                marks[m.group(1).lower()] = mark
    return marks


def read_html_rows(path: Path, data: bytes) -> tuple[list[Row], dict[str, str], dict[int, int]]:
    parser = _BillHTML()
    try:
        parser.feed(decode_text(data))
        parser.close()
    except TextTooLong as exc:
        said = f"the page holds over {exc.args[0]:,} characters of text"
        raise too_large(path, said, "max_chars") from None
    except Exception as exc:  # html.parser is lenient; anything it raises is a broken file
        raise DamagedFileError(path, f"the HTML cannot be parsed ({exc})") from None
    hints = parser.hints
    out: dict[str, str] = {}
    if hints.get("number") and hints.get("chamber_code") in ("H", "S"):
        out["number"] = hints["number"]
        out["chamber"] = "house" if hints["chamber_code"] == "H" else "senate"
    if hints.get("year", "").isdigit():
        out["year"] = hints["year"]
    if hints.get("version_name"):
        out["version"] = hints["version_name"].lower()
    out.update(texas_title(parser.title))
    rows = parser.rows
    if parser.placed and parser.backgrounds:
        rows = _drawn_marks(parser)
    if parser.soft:
        rows = _glue_overlays(rows, parser.soft)
    return rows, out, parser.printed


_OVERLAY_CLASS = re.compile(r"\.(_[0-9a-z]+)\s*\{\s*margin-left\s*:\s*-", re.I)
_LETTERS = re.compile(r"[A-Za-z]+")


def _glue_overlays(rows: list[Row], soft: set[tuple[int, int]]) -> list[Row]:
    """Blanks a pdf2htmlEX overlay left inside a word ("b y force", "I mpair", "agenc y")
    are dropped; those between two words ("days or", "A CHILD", "a portion") stay. The
    geometry is the same in both, so the bill's own words decide: the blanks go when the
    joined word is printed elsewhere in the bill, or when a single letter other than "a"
    comes before a part that is no word of the bill ("I mpair")."""
    texts = ["".join(c for c, _, _ in chars) for _, chars in rows]
    by_row: dict[int, list[int]] = {}
    for r, j in soft:
        by_row.setdefault(r, []).append(j)
    # The bill's words, leaving out those that touch a blank under question.
    masked = list(texts)
    for i, cols in by_row.items():
        letters = list(texts[i])
        for j in cols:
            letters[j] = "\x00"
        masked[i] = "".join(letters)
    vocab: set[str] = set()
    for t in masked:
        for m in _LETTERS.finditer(t):
            before = t[m.start() - 1] if m.start() else ""
            after = t[m.end()] if m.end() < len(t) else ""
            if "\x00" not in (before, after):
                vocab.add(m.group(0).lower())
    drop: set[tuple[int, int]] = set()
    for i, unsorted in by_row.items():
        t, cols = texts[i], sorted(unsorted)
        k = 0
        while k < len(cols):
            first = last = cols[k]
            while k + 1 < len(cols) and cols[k + 1] == last + 1:
                k += 1
                last = cols[k]
            k += 1
            if t[first : last + 1].strip():
                continue
            left = re.search(r"[A-Za-z]+$", t[:first])
            right = re.match(r"[A-Za-z]+", t[last + 1 :])
            if not left or not right:
                continue
            lw, rw = left.group(0).lower(), right.group(0).lower()
            if (lw + rw) in vocab or (rw not in vocab and len(lw) == 1 and lw != "a"):
                drop.update((i, j) for j in range(first, last + 1))
    out = list(rows)
    for i in {r for r, _ in drop}:
        page, chars = rows[i]
        out[i] = (page, [c for j, c in enumerate(chars) if (i, j) not in drop])
    return out


def _drawn_marks(parser: _BillHTML) -> list[Row]:
    """Pennsylvania: the underline and strike-through each page's background draws, read
    onto the printed lines they cross."""
    from .drawn import geometry, mark_drawn, rules_in

    geo = geometry(parser.css)
    rules = {
        page: [r for image in images for r in rules_in(image, geo.page_width)]
        for page, images in parser.backgrounds.items()
    }
    rows = list(parser.rows)
    for i, classes in parser.placed.items():
        page, chars = rows[i]
        page_rules = rules.get(page)
        if page_rules:
            rows[i] = (page, mark_drawn(chars, classes, page_rules, geo))
    return rows


# capitol.texas.gov names the legislature and session, the bill and its version in the page
# title: "89(2) HB 89 - Introduced version - Bill Text" (2nd called session of the 89th
# Legislature; "89(R)" is the regular session).
_TEXAS_TITLE = re.compile(
    r"^\s*(?P<leg>\d{2,3})\((?P<sess>R|\d)\)\s+(?P<ch>H|S)(?P<t>B|JR|CR|R)\s+(?P<num>\d{1,5})\s+-\s+"
    r"(?P<version>[A-Za-z ]+?)\s+version\b",
    re.I,
)
_TEXAS_VERSIONS = {
    "introduced": "introduced",
    "engrossed": "engrossed",
    "enrolled": "enrolled",
    "house committee report": "house committee report",
    "senate committee report": "senate committee report",
}


def texas_title(title: str) -> dict[str, str]:
    m = _TEXAS_TITLE.match(title)
    if not m:
        return {}
    out = {"assembly": m.group("leg")}
    if m.group("sess").upper() != "R":
        out["session"] = f"{m.group('leg')}({m.group('sess')})"
    if m.group("t").upper() == "B":
        out["number"] = m.group("num")
        out["chamber"] = "house" if m.group("ch").upper() == "H" else "senate"
    version = _TEXAS_VERSIONS.get(m.group("version").strip().lower())
    if version:
        out["version"] = version
    return out


# -- DOCX -----------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_bounded(z: zipfile.ZipFile, name: str) -> bytes:
    """A member read in pieces and stopped at the bound, whatever its header claims."""
    bound = limits().max_unpacked_mb * 2**20
    pieces: list[bytes] = []
    total = 0
    with z.open(name) as member:
        while piece := member.read(1 << 20):
            total += len(piece)
            if total > bound:
                raise too_large(
                    Path(z.filename or name),
                    f"its {name} is too large once unpacked",
                    "max_unpacked_mb",
                )
            pieces.append(piece)
    return b"".join(pieces)


def read_docx_rows(path: Path) -> list[Row]:
    """Paragraphs of a Word bill with underline, strike and tracked changes as marks.

    Word does not store where its lines break, so each paragraph (or manual line break)
    is one line, and lines are counted per page (pages end at explicit page breaks).
    """
    try:
        with zipfile.ZipFile(path) as z:
            size = z.getinfo("word/document.xml").file_size
            if size > limits().max_unpacked_mb * 2**20:
                raise too_large(
                    path,
                    f"its document.xml unpacks to {size / 2**20:,.0f} MB",
                    "max_unpacked_mb",
                )
            xml = _read_bounded(z, "word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        raise DamagedFileError(path, "the DOCX is damaged (no word/document.xml)") from None
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        raise DamagedFileError(path, "the DOCX's document.xml is not valid XML") from None
    body = root.find(f"{_W}body")
    if body is None:
        raise DamagedFileError(path, "the DOCX has no document body")
    rows: list[Row] = []
    page = 1
    for para in body.iter(f"{_W}p"):
        chars: list[Char] = []
        for run, tracked in _runs(para):
            rpr = run.find(f"{_W}rPr")
            mark: Mark = tracked
            bold = False
            if rpr is not None:
                if mark == "unchanged" and (_on(rpr, "strike") or _on(rpr, "dstrike")):
                    mark = "deleted"
                u = rpr.find(f"{_W}u")
                if mark == "unchanged" and u is not None and u.get(f"{_W}val", "single") != "none":
                    mark = "inserted"
                bold = _on(rpr, "b")
            for child in run:
                tag = child.tag
                if tag in (f"{_W}t", f"{_W}delText"):
                    chars.extend((c, mark, bold) for c in (child.text or ""))
                elif tag == f"{_W}tab":
                    chars.append((" ", mark, bold))
                elif tag == f"{_W}br":
                    if child.get(f"{_W}type") == "page":
                        rows.append((page, chars))
                        page, chars = page + 1, []
                    else:
                        rows.append((page, chars))
                        chars = []
        rows.append((page, chars))
    return rows


def _runs(para: ET.Element) -> list[tuple[ET.Element, Mark]]:
    out: list[tuple[ET.Element, Mark]] = []
    for child in para:
        tag = child.tag
        if tag == f"{_W}r":
            out.append((child, "unchanged"))
        elif tag in (f"{_W}ins", f"{_W}moveTo"):
            out.extend((r, "inserted") for r in child.iter(f"{_W}r"))
        elif tag in (f"{_W}del", f"{_W}moveFrom"):
            out.extend((r, "deleted") for r in child.iter(f"{_W}r"))
        elif tag in (f"{_W}hyperlink", f"{_W}smartTag", f"{_W}sdt", f"{_W}fldSimple"):
            out.extend(_runs(child) if tag != f"{_W}sdt" else _runs_sdt(child))
    return out


def _runs_sdt(sdt: ET.Element) -> list[tuple[ET.Element, Mark]]:
    content = sdt.find(f"{_W}sdtContent")
    return _runs(content) if content is not None else []


def _on(rpr: ET.Element, name: str) -> bool:
    el = rpr.find(f"{_W}{name}")
    if el is None:
        return False
    return el.get(f"{_W}val", "true").lower() not in ("false", "0", "off", "none")
