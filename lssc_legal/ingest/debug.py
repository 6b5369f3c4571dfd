"""Draw what ingest saw on a page: margin numbers, running heads, and each drawn mark with
the role it was given, over the page image. The fastest way to see why a word was marked.

Colours: margin numbers blue; running heads, page numbers and legends grey; strike red;
underline green; shading orange; rules that were not taken as marks dotted purple.
Words are tinted by their mark: inserted green, deleted red.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BadInputError
from ..models import Bill
from .page import PWord, Token, VLine
from .pdf import lay_out
from .plumber_reader import open_pdf, page_data

_ROLE_COLOURS = {
    "strike": (220, 30, 30, 255),
    "underline": (20, 150, 40, 255),
    "shade": (240, 140, 0, 255),
    "ignored": (150, 60, 200, 160),
}


def draw_page(
    path: Path, bill: Bill, page_number: int, out: Path, resolution: int = 110
) -> dict[str, int]:
    """Write a PNG of `page_number` with ingest's decisions drawn on it; return counts."""
    furniture = {f.text for f in bill.furniture if f.page == page_number}
    with open_pdf(path) as pdf:
        if not 1 <= page_number <= len(pdf.pages):
            raise BadInputError(
                path,
                f"there is no page {page_number} (the PDF has {len(pdf.pages)} pages)",
                f"give --page 1 to {len(pdf.pages)}",
            )
        page = pdf.pages[page_number - 1]
        data = page_data(page, page_number)
        lines = lay_out(data)
        image = page.to_image(resolution=resolution)
        counts = {"lines": 0, "numbers": 0, "furniture": 0, "inserted": 0, "deleted": 0}
        for line in lines:
            text = " ".join(w.text for w in line.words)
            box = (
                (
                    min(w.x0 for w in line.words),
                    line.top,
                    max(w.x1 for w in line.words),
                    line.bottom,
                )
                if line.words
                else None
            )
            if box is None:
                continue
            counts["lines"] += 1
            if line.number is None and text in furniture:
                counts["furniture"] += 1
                image.draw_rect(box, fill=(128, 128, 128, 60), stroke=(90, 90, 90, 200))
                continue
            if line.number is not None:
                counts["numbers"] += 1
                image.draw_rect(
                    (box[0] - 26, line.top, box[0] - 4, line.bottom),
                    fill=(40, 90, 230, 50),
                    stroke=(40, 90, 230, 220),
                )
            for w in line.words:
                marks = {t.mark for t in _tokens_of(line, w)}
                if "deleted" in marks:
                    counts["deleted"] += 1
                    image.draw_rect(
                        (w.x0, w.top, w.x1, w.bottom), fill=(230, 40, 40, 40), stroke_width=0
                    )
                elif "inserted" in marks:
                    counts["inserted"] += 1
                    image.draw_rect(
                        (w.x0, w.top, w.x1, w.bottom), fill=(30, 170, 60, 40), stroke_width=0
                    )
        for mark in data.marks:
            colour = _ROLE_COLOURS[mark.role]
            image.draw_rect(
                (mark.x0, mark.top - 0.8, mark.x1, mark.bottom + 0.8),
                fill=colour if mark.role != "shade" else (240, 140, 0, 60),
                stroke=colour,
                stroke_width=1,
            )
        image.save(str(out), format="PNG")
    return counts


def _tokens_of(line: VLine, word: PWord) -> list[Token]:
    """The tokens `mark_words` made of `word` (tokens follow words in order)."""
    tokens = line.tokens
    out: list[Token] = []
    k = 0
    for w in line.words:
        group = [tokens[k]] if k < len(tokens) else []
        k += 1
        while k < len(tokens) and tokens[k].glued:
            group.append(tokens[k])
            k += 1
        if w is word:
            out = group
    return out
