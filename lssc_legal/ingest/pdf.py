"""PDF bills: pages read by pdfium, lines, margin numbers and drawn marks decided in `page`."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import EmptyFileError, NoTextLayerError
from ..limits import limits, too_large
from .assemble import RawLine
from .page import PageData, VLine, lay_out_words
from .pdfium_reader import read_pages

PageHook = Callable[[PageData, list[VLine], list[RawLine]], None]


# A stream's data starts after the keyword and its end of line ("endstream" is its end).
_STREAM = re.compile(rb"(?<!end)stream\r?\n")


def check_streams(path: Path, data: bytes) -> None:
    """Refuse a PDF one of whose compressed streams unpacks to more than the bound, before
    the PDF library unpacks it whole (a 1 GB page of nothing compresses to 1 MB). Each
    stream is inflated in pieces and the pieces dropped; a stream that is not zlib data
    (images, already plain) is left to the library."""
    bound = limits().max_unpacked_mb * 2**20
    for found in _STREAM.finditer(data):
        inflate = zlib.decompressobj()
        at, total = found.end(), 0
        try:
            while not inflate.eof and at < len(data):
                piece = inflate.decompress(data[at : at + 65536], 1 << 20)
                total += len(piece)
                # (at the stream's end, input past it may stay in the tail: it is not the
                # stream's, and inflating it again gives nothing, for ever)
                while inflate.unconsumed_tail and not inflate.eof and total <= bound:
                    piece = inflate.decompress(inflate.unconsumed_tail, 1 << 20)
                    total += len(piece)
                if total > bound:
                    raise too_large(
                        path,
                        "a compressed stream in the PDF is too large once unpacked",
                        "max_unpacked_mb",
                    )
                at += 65536
        except zlib.error:
            continue


def read_pdf_lines(
    path: Path, pages: Iterable[PageData] | None = None, on_page: PageHook | None = None
) -> tuple[list[RawLine], int, list[str]]:
    """Every printed line of the PDF as a RawLine, the page count, and warnings.

    `on_page` sees each page's data, its visual lines and the RawLines made of them (in
    the same order), for `debug` to draw the decisions the rest of ingest then refines."""
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
        visual = [line for line in lay_out_words(page) if line.tokens]
        raws = [
            RawLine(page.number, line.number, line.tokens, band=_band(line, page.height))
            for line in visual
        ]
        out.extend(raws)
        if on_page is not None:
            on_page(page, visual, raws)
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


def _band(line: VLine, height: float) -> str | None:
    """Lines that start in the top 8% or end in the bottom 8% of the page sit where running
    heads and footers go; on a page with margin numbers, unnumbered ones there are not
    bill text."""
    if line.top < 0.08 * height:
        return "top"
    if line.bottom > 0.92 * height:
        return "bottom"
    return None
