"""PDF bills: pages read by pdfium, lines, margin numbers and drawn marks decided in `page`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import EmptyFileError, NoTextLayerError
from .assemble import RawLine
from .page import PageData, VLine, group_lines, mark_words, take_margin_numbers
from .pdfium_reader import read_pages


def lay_out(page: PageData) -> list[VLine]:
    """A page's printed lines with margin numbers taken off and marks placed on words."""
    lines = group_lines(page)
    take_margin_numbers(lines, page.width)
    mark_words(lines, page.marks)
    return lines


def read_pdf_lines(
    path: Path, pages: Iterable[PageData] | None = None
) -> tuple[list[RawLine], int, list[str]]:
    """Every printed line of the PDF as a RawLine, the page count, and warnings."""
    out: list[RawLine] = []
    warnings: list[str] = []
    count = 0
    blank_with_images: list[int] = []
    for page in pages if pages is not None else read_pages(path):
        count += 1
        if not page.words:
            if page.has_images:
                blank_with_images.append(page.number)
            continue
        for line in lay_out(page):
            if line.tokens:
                out.append(RawLine(page.number, line.number, line.tokens))
    if not out:
        if blank_with_images:
            raise NoTextLayerError(path, "the PDF is scanned: its pages are images with no text")
        raise EmptyFileError(path, "the PDF has no text")
    if blank_with_images:
        listed = ", ".join(map(str, blank_with_images[:10]))
        warnings.append(
            f"pages {listed} are images with no text layer: run OCR (ocrmypdf) to read them"
        )
    return out, count, warnings
