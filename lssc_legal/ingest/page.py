"""What a PDF page shows, whichever library read it, and how to read its lines and marks.

Two readers fill a `PageData` (pypdfium2 for speed, pdfplumber for `debug`); everything
after that (line grouping, margin line numbers, underline, strike and shading) is decided
here once, so both readers see the same bill.

Coordinates are top-down points, as pdfplumber gives them: `top` < `bottom`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from ..models import Mark

MarkRole = Literal["strike", "underline", "shade", "ignored"]

# A drawn horizontal rule at most this tall (points) can be an underline or a strike;
# anything taller is a box, a shading or a thick typographic rule.
RULE_MAX_HEIGHT = 2.5
# Shading taller than this is a background panel, not a highlighted deletion.
SHADE_MAX_HEIGHT = 30.0


@dataclass
class PWord:
    """A run of non-space characters on one printed line."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    bold: bool = False
    # Per-character facts, filled only where a word is not uniform (a mark or a bold run
    # that starts or ends inside it: "1996[, or").
    char_x: list[tuple[float, float]] | None = None
    char_bold: list[bool] | None = None

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class PMark:
    """A drawn shape that may mark text: a thin rule or a shaded box."""

    x0: float
    top: float
    x1: float
    bottom: float
    shape: Literal["rule", "shade"]
    source: str = "path"  # line, rect, curve, path: what the PDF drew
    role: MarkRole = "ignored"  # decided by `mark_words`

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class PageData:
    number: int
    width: float
    height: float
    words: list[PWord]
    marks: list[PMark]
    has_images: bool = False


@dataclass
class Token:
    """A word (or part of one) with its amendment mark, ready for the text."""

    text: str
    mark: Mark = "unchanged"
    bold: bool = False
    glued: bool = False  # no space before it: the rest of a word split by markup


@dataclass
class VLine:
    """A visual line of a page: its words in reading order and its margin number."""

    page: int
    top: float
    bottom: float
    words: list[PWord]
    number: int | None = None
    tokens: list[Token] = field(default_factory=list)
    number_word: PWord | None = None  # the margin number as printed, for `debug`

    @property
    def x0(self) -> float:
        return self.words[0].x0 if self.words else 0.0


def classify_shape(
    x0: float,
    top: float,
    x1: float,
    bottom: float,
    *,
    filled: bool,
    stroked: bool,
    fill_grey: float | None,
    stroke_grey: float | None,
    source: str,
) -> PMark | None:
    """Keep the drawn shapes that can mark words; drop boxes, borders and white-outs.

    `fill_grey`/`stroke_grey` are the colours' lightness from 0 (black) to 1 (white).
    """
    width, height = x1 - x0, bottom - top
    if width < 2:
        return None  # vertical rules, dots
    visible_fill = filled and fill_grey is not None and fill_grey < 0.97
    visible_stroke = stroked and stroke_grey is not None and stroke_grey < 0.97
    if height <= RULE_MAX_HEIGHT and (visible_fill or visible_stroke):
        return PMark(x0, top, x1, bottom, "rule", source)
    # Shading: a filled box the height of a text line, lighter than ink (Missouri Senate
    # shades deletions light grey). Black boxes are redactions or rules, not markup.
    if visible_fill and 4 <= height <= SHADE_MAX_HEIGHT and 0.45 <= (fill_grey or 0) < 0.97:
        return PMark(x0, top, x1, bottom, "shade", source)
    return None


# -- lines ----------------------------------------------------------------------------


def group_lines(page: PageData) -> list[VLine]:
    """Group words into printed lines by their vertical middle, top to bottom."""
    words = sorted(page.words, key=lambda w: (w.top + w.bottom) / 2)
    lines: list[VLine] = []
    current: list[PWord] = []
    mid = total = 0.0
    for w in words:
        wmid = (w.top + w.bottom) / 2
        tolerance = 0.45 * min(w.height, current[0].height if current else w.height)
        if current and abs(wmid - mid) <= max(tolerance, 1.0):
            current.append(w)
            total += wmid
            mid = total / len(current)
        else:
            if current:
                lines.append(_vline(page.number, current))
            current, mid, total = [w], wmid, wmid
    if current:
        lines.append(_vline(page.number, current))
    return lines


def _vline(page: int, words: list[PWord]) -> VLine:
    words = sorted(words, key=lambda w: w.x0)
    top = min(w.top for w in words)
    bottom = max(w.bottom for w in words)
    return VLine(page, top, bottom, words)


_DIGITS = re.compile(r"^\d{1,4}$")


def take_margin_numbers(lines: list[VLine], page_width: float) -> list[str]:
    """Move printed line numbers out of the text into `VLine.number`.

    A margin number is a bare number at the start of a line, in the left margin, right- or
    left-aligned with the other numbers of the page, and clear of the text that follows it.
    A number in the text ("15 days") sits at the text's own left edge, not in that column.
    Returns the numbers taken, for the record of what was not bill text.
    """
    candidates: list[tuple[VLine, PWord]] = []
    for line in lines:
        first = line.words[0]
        if not _DIGITS.match(first.text) or first.x1 > page_width * 0.3:
            continue
        if len(line.words) > 1:
            gap = line.words[1].x0 - first.x1
            if gap < 0.4 * first.height:
                continue
        candidates.append((line, first))
    if len(candidates) < 2:
        return []
    # The column: the commonest right edge (numbers are usually right-aligned), else left.
    right = Counter(round(w.x1) for _, w in candidates).most_common(1)[0]
    left = Counter(round(w.x0) for _, w in candidates).most_common(1)[0]
    use_right = right[1] >= left[1]
    anchor = right[0] if use_right else left[0]
    support = sum(1 for _, w in candidates if abs((w.x1 if use_right else w.x0) - anchor) <= 3.5)
    if support < 2:
        return []
    # The body text must start to the right of the whole column.
    taken: list[str] = []
    for line, w in candidates:
        edge = w.x1 if use_right else w.x0
        if abs(edge - anchor) > 3.5:
            continue
        line.number = int(w.text)
        line.number_word = w
        line.words = line.words[1:]
        taken.append(w.text)
    return taken


# -- marks ----------------------------------------------------------------------------

# Where a rule sits in a word's box, as a fraction of the box height measured up from its
# bottom (the font's descent line). Underlines run just below the baseline (about 0.2);
# strikes cross the lower-case letters' middle (about 0.45-0.55).
_UNDERLINE_BAND = (-0.45, 0.26)
_STRIKE_BAND = (0.3, 0.78)


def mark_words(lines: list[VLine], marks: list[PMark]) -> None:
    """Decide each mark's role and give every word its tokens with their marks.

    CASE 1: a rule through the middle band of the words it crosses is a strike (deleted).
    CASE 2: a rule just under their baseline is an underline (inserted).
    CASE 3: a light shaded box behind words is a shading (deleted, Missouri Senate).
    A rule counts only where words cover most of it: table borders and full-width rules
    under a heading cross empty space. A word takes a mark when the mark covers most of
    its width; a mark that starts or ends inside a word marks only the letters it covers.
    """
    per_word: dict[int, list[tuple[PMark, Mark]]] = {}
    for mark in marks:
        role, hits = _place_mark(lines, mark)
        mark.role = role
        if role == "ignored":
            continue
        mark_kind: Mark = "inserted" if role == "underline" else "deleted"
        for w in hits:
            per_word.setdefault(id(w), []).append((mark, mark_kind))
    for line in lines:
        line.tokens = []
        for w in line.words:
            line.tokens.extend(_word_tokens(w, per_word.get(id(w), [])))


def _place_mark(lines: list[VLine], mark: PMark) -> tuple[MarkRole, list[PWord]]:
    best: tuple[MarkRole, list[PWord]] = ("ignored", [])
    for line in lines:
        if mark.bottom < line.top - 6 or mark.top > line.bottom + 6:
            continue
        covered = [w for w in line.words if _overlap(w.x0, w.x1, mark.x0, mark.x1) > 0]
        if not covered:
            continue
        if mark.shape == "shade":
            hits = [w for w in covered if mark.top - 1 <= (w.top + w.bottom) / 2 <= mark.bottom + 1]
            if hits:
                return "shade", hits
            continue
        ref = max(covered, key=lambda w: w.height)
        rel = (ref.bottom - mark.middle) / max(ref.height, 1.0)
        if _STRIKE_BAND[0] <= rel <= _STRIKE_BAND[1]:
            role: MarkRole = "strike"
        elif _UNDERLINE_BAND[0] <= rel <= _UNDERLINE_BAND[1]:
            role = "underline"
        else:
            continue
        inked = sum(_overlap(w.x0, w.x1, mark.x0, mark.x1) for w in covered)
        if inked < 0.4 * mark.width and mark.width > 20:
            continue  # mostly over empty space: a border or rule, not a mark on words
        if role == "strike" or best[0] == "ignored":
            best = (role, covered)
    return best


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _word_tokens(w: PWord, marks: list[tuple[PMark, Mark]]) -> list[Token]:
    """Split a word where its mark or its weight changes; whole words stay whole."""
    whole: Mark = "unchanged"
    partial: list[tuple[PMark, Mark]] = []
    for mark, kind in marks:
        cover = _overlap(w.x0, w.x1, mark.x0, mark.x1) / max(w.width, 0.1)
        if cover >= 0.5 and (w.char_x is None or _covers_all(w, mark)):
            whole = _stronger(whole, kind)
        elif w.char_x is not None:
            partial.append((mark, kind))
        elif cover >= 0.25:
            whole = _stronger(whole, kind)
    if not partial and w.char_bold is None:
        return [Token(w.text, whole, w.bold)]
    char_marks: list[Mark] = [whole] * len(w.text)
    if partial and w.char_x is not None:
        for i, (cx0, cx1) in enumerate(w.char_x[: len(w.text)]):
            centre = (cx0 + cx1) / 2
            for mark, kind in partial:
                if mark.x0 - 0.5 <= centre <= mark.x1 + 0.5:
                    char_marks[i] = _stronger(char_marks[i], kind)
    bolds = w.char_bold or [w.bold] * len(w.text)
    tokens: list[Token] = []
    for i, ch in enumerate(w.text):
        key = (char_marks[i], bolds[i] if i < len(bolds) else w.bold)
        if tokens and (tokens[-1].mark, tokens[-1].bold) == key:
            tokens[-1].text += ch
        else:
            tokens.append(Token(ch, key[0], key[1], glued=bool(tokens)))
    return tokens


def _covers_all(w: PWord, mark: PMark) -> bool:
    assert w.char_x is not None
    return all(mark.x0 - 0.5 <= (a + b) / 2 <= mark.x1 + 0.5 for a, b in w.char_x)


def _stronger(a: Mark, b: Mark) -> Mark:
    # A word both underlined and struck was inserted by one amendment and struck by a later
    # one: it is not in the bill as it would read, so deletion wins.
    if "deleted" in (a, b):
        return "deleted"
    if "inserted" in (a, b):
        return "inserted"
    return "unchanged"


def needs_char_boxes(w: PWord, marks: list[PMark]) -> bool:
    """True where a mark starts or ends inside the word, so letters must be placed."""
    lo, hi = w.x0 + 1, w.x1 - 1
    top, bottom = w.top - 4, w.bottom + 4
    for m in marks:
        if (lo < m.x0 < hi or lo < m.x1 < hi) and not (m.bottom < top or m.top > bottom):
            return True
    return False


class MarkIndex:
    """A page's marks by height on the page, so that a word is checked only against the
    marks beside it (`needs_char_boxes` over every mark of the page, for every word, was a
    tenth of reading a marked-up page)."""

    def __init__(self, marks: list[PMark]) -> None:
        self.marks = sorted(marks, key=lambda m: m.bottom)
        self.bottoms = [m.bottom for m in self.marks]
        self.tallest = max((m.bottom - m.top for m in marks), default=0.0)

    def needs_char_boxes(self, w: PWord) -> bool:
        """As `needs_char_boxes`, over the marks whose band meets the word's."""
        top, bottom = w.top - 4, w.bottom + 4
        lo, hi = w.x0 + 1, w.x1 - 1
        # marks ending above the word's band cannot meet it; nor can those starting below
        for k in range(bisect.bisect_left(self.bottoms, top), len(self.marks)):
            m = self.marks[k]
            if m.bottom - self.tallest > bottom:
                break
            if (lo < m.x0 < hi or lo < m.x1 < hi) and m.top <= bottom:
                return True
        return False


def lay_out_words(page: PageData) -> list[VLine]:
    """A page's printed lines with margin numbers taken off and marks placed on words."""
    lines = group_lines(page)
    take_margin_numbers(lines, page.width)
    mark_words(lines, page.marks)
    return lines
