"""Read PDF pages with pdfplumber, the reference reader, for `debug` and cross-checks.

It fills the same `PageData` as the pdfium reader, so the lines, numbers and marks that
`debug` draws are exactly the ones ingest decides. It is about ten times slower.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError

from ..errors import DamagedFileError, EncryptedFileError
from .page import PageData, PMark, PWord, classify_shape, needs_char_boxes


def open_pdf(path: Path) -> Any:
    try:
        return pdfplumber.open(str(path))
    except PDFPasswordIncorrect:
        raise EncryptedFileError(path, "the PDF is encrypted") from None
    except (PDFSyntaxError, Exception) as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise EncryptedFileError(path, "the PDF is encrypted") from None
        raise DamagedFileError(path, "the PDF is damaged and cannot be opened") from None


def read_pages(path: Path) -> Iterator[PageData]:
    with open_pdf(path) as pdf:
        for index, page in enumerate(pdf.pages):
            try:
                yield page_data(page, index + 1)
            finally:
                page.close()


def page_data(page: Any, number: int) -> PageData:
    marks = shapes_of(page)
    words = _words(page.chars, marks)
    return PageData(number, float(page.width), float(page.height), words, marks, bool(page.images))


def shapes_of(page: Any) -> list[PMark]:
    marks: list[PMark] = []
    for obj in [*page.lines, *page.rects, *page.curves]:
        fill = _grey(obj.get("non_stroking_color")) if obj.get("fill") else None
        stroke = _grey(obj.get("stroking_color")) if obj.get("stroke", True) else None
        mark = classify_shape(
            float(obj["x0"]),
            float(obj["top"]),
            float(obj["x1"]),
            float(obj["bottom"]),
            filled=bool(obj.get("fill")),
            stroked=bool(obj.get("stroke", obj["object_type"] == "line")),
            fill_grey=fill,
            stroke_grey=stroke
            if stroke is not None
            else (0.0 if obj["object_type"] == "line" else None),
            source=str(obj["object_type"]),
        )
        if mark is not None:
            marks.append(mark)
    return marks


def _grey(color: Any) -> float | None:
    if color is None:
        return 0.0
    if isinstance(color, (int, float)):
        return float(color)
    values = [float(v) for v in color if isinstance(v, (int, float))]
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        return 0.299 * values[0] + 0.587 * values[1] + 0.114 * values[2]
    if len(values) == 4:
        c, m, y, k = values
        return (
            (1 - min(1.0, c + k)) * 0.299
            + (1 - min(1.0, m + k)) * 0.587
            + (1 - min(1.0, y + k)) * 0.114
        )
    return 0.0


def _words(chars: list[dict[str, Any]], marks: list[PMark]) -> list[PWord]:
    """Words from characters in stream order: a space, a gap or a new line ends a word."""
    words: list[PWord] = []
    current: list[dict[str, Any]] = []

    def flush() -> None:
        if not current:
            return
        text = "".join(c["text"] for c in current)
        bolds = [_is_bold(c) for c in current]
        w = PWord(
            text,
            min(float(c["x0"]) for c in current),
            max(float(c["x1"]) for c in current),
            min(float(c["top"]) for c in current),
            max(float(c["bottom"]) for c in current),
            bolds[0],
        )
        if len(set(bolds)) > 1:
            w.char_bold = bolds
        if needs_char_boxes(w, marks) or w.char_bold is not None:
            w.char_x = [(float(c["x0"]), float(c["x1"])) for c in current]
        words.append(w)
        current.clear()

    for c in chars:
        if c["text"].isspace() or not c["text"]:
            flush()
            continue
        if current:
            last = current[-1]
            size = float(last.get("size", 10)) or 10
            if (
                abs(float(c["bottom"]) - float(last["bottom"])) > 0.5 * size
                or float(c["x0"]) - float(last["x1"]) > 0.2 * size
                or float(c["x0"]) < float(last["x0"]) - 0.5
            ):
                flush()
        current.append(c)
    flush()
    return words


def _is_bold(c: dict[str, Any]) -> bool:
    name = str(c.get("fontname", "")).lower()
    return "bold" in name or "black" in name or name.endswith(",b")
