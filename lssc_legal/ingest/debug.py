"""Draw what ingest saw on a page: margin numbers, running heads, and each drawn mark with
the role it was given, over the page image. The fastest way to see why a word was marked.

The page is read by the same reader and decided by the same code as `read_bill`; the
words are tinted with their final marks, after the state's conventions (brackets, bold,
capitals), so the picture shows exactly what the Bill says. pdfplumber renders the page.

Colours: margin numbers blue; running heads, page numbers and legends grey; strike red;
underline green; shading orange; rules not taken as marks purple. Words: inserted green,
deleted red; bold words (an insertion in Missouri) are outlined.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BadInputError
from ..limits import TooLargeError, limits
from ..models import Bill
from .assemble import RawLine
from .page import PageData, PWord, Token, VLine
from .plumber_reader import open_pdf
from .read import read_bill

_ROLE_COLOURS = {
    "strike": (220, 30, 30, 255),
    "underline": (20, 150, 40, 255),
    "shade": (240, 140, 0, 255),
    "ignored": (150, 60, 200, 160),
}
_TINT = {"deleted": (230, 40, 40, 60), "inserted": (30, 170, 60, 60)}


def draw_page(
    path: Path, page_number: int, out: Path, *, state: str | None = None, resolution: int = 110
) -> tuple[Bill, dict[str, int]]:
    """Write a PNG of `page_number` with ingest's decisions drawn on it; return the Bill
    and counts of what was drawn."""
    seen: dict[str, tuple[PageData, list[VLine]]] = {}
    decided: list[RawLine] = []

    def keep(page: PageData, visual: list[VLine], raws: list[RawLine]) -> None:
        if page.number == page_number:
            seen["page"] = (page, visual)

    def keep_lines(lines: list[RawLine]) -> None:
        decided.extend(line for line in lines if line.page == page_number)

    bill = read_bill(path, state=state, on_page=keep, on_lines=keep_lines)
    if "page" not in seen:
        raise BadInputError(
            path,
            f"there is no page {page_number} with text (the PDF has {bill.pages} pages)",
            f"give --page 1 to {bill.pages}",
        )
    data, visual = seen["page"]
    # The page's lines as ingest decided them, one for one with its visual lines (a page of
    # a second bill in the file is not decided: drawn as read).
    raws = decided or [RawLine(page_number, line.number, line.tokens, band=None) for line in visual]
    counts = {"lines": 0, "numbers": 0, "furniture": 0, "inserted": 0, "deleted": 0}
    with open_pdf(path) as pdf:
        drawn = pdf.pages[page_number - 1]
        wide, high = drawn.width * resolution / 72, drawn.height * resolution / 72
        bound = limits().max_render_mpixels
        if wide * high > bound * 1e6:
            raise TooLargeError(
                path,
                f"page {page_number} drawn at {resolution} dpi would be {wide:,.0f} x "
                f"{high:,.0f} pixels, more than the limit of {bound:,} million",
                "give a lower --resolution, or raise LSSC_MAX_RENDER_MPIXELS",
            )
        image = drawn.to_image(resolution=resolution)
        for line, raw in zip(visual, raws, strict=True):
            counts["lines"] += 1
            box = (line.words[0].x0, line.top, line.words[-1].x1, line.bottom)
            if raw.furniture is not None:
                counts["furniture"] += 1
                image.draw_rect(box, fill=(128, 128, 128, 60), stroke=(90, 90, 90, 200))
                continue
            if line.number_word is not None:
                counts["numbers"] += 1
                n = line.number_word
                image.draw_rect(
                    (n.x0 - 1, n.top, n.x1 + 1, n.bottom),
                    fill=(40, 90, 230, 50),
                    stroke=(40, 90, 230, 220),
                )
            for word, tokens in zip(line.words, _word_tokens(raw.tokens), strict=False):
                marks = {t.mark for t in tokens}
                for kind in ("deleted", "inserted"):
                    if kind in marks:
                        counts[kind] += 1
                        image.draw_rect(_box(word), fill=_TINT[kind], stroke_width=0)
                        break
                if word.bold:
                    image.draw_rect(
                        _box(word), fill=(0, 0, 0, 0), stroke=(20, 120, 40, 200), stroke_width=1
                    )
        for mark in data.marks:
            colour = _ROLE_COLOURS[mark.role]
            fill = (240, 140, 0, 60) if mark.role == "shade" else colour
            image.draw_rect(
                (mark.x0, mark.top - 0.8, mark.x1, mark.bottom + 0.8),
                fill=fill,
                stroke=colour,
                stroke_width=1,
            )
        image.save(str(out), format="PNG")
    return bill, counts


def _box(w: PWord) -> tuple[float, float, float, float]:
    return (w.x0, w.top, w.x1, w.bottom)


def _word_tokens(tokens: list[Token]) -> list[list[Token]]:
    """Tokens grouped back into printed words (a split word's pieces are glued)."""
    words: list[list[Token]] = []
    for t in tokens:
        if t.glued and words:
            words[-1].append(t)
        else:
            words.append([t])
    return words
