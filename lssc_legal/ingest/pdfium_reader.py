"""Read PDF pages with pdfium (pypdfium2): words with boxes and weight, and drawn shapes.

pdfium is about ten times faster than pdfminer-based readers on bill PDFs. To keep it so,
this reads one box per word (its first and last letters) and fetches letter boxes only for
the few words a mark starts or ends inside. pypdfium2 is not thread-safe: one document per
process.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ..errors import DamagedFileError, EncryptedFileError
from ..limits import limits, too_large
from .page import MarkIndex, PageData, PMark, PWord, classify_shape

# pdfium reports a hyphen that ends a printed line as U+FFFE and may run straight on into
# the next line's first word: end the word at it.
_WORD = re.compile(r"[^\s\ufffe]+\ufffe?|\ufffe")
_BOLD_WEIGHT = 600
_BRACKETS = frozenset("[]")


def open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise EncryptedFileError(path, "the PDF is encrypted") from None
        raise DamagedFileError(path, "the PDF is damaged and cannot be opened") from None


def read_pages(path: Path) -> Iterator[PageData]:
    """Yield each page's words and marks, closing pages as it goes (memory stays flat)."""
    pdf = open_pdf(path)
    try:
        try:
            count = len(pdf)
        except pdfium.PdfiumError:
            raise DamagedFileError(path, "the PDF's page tree is damaged") from None
        if count > limits().max_pages:
            raise too_large(path, f"the PDF has {count:,} pages", "max_pages")
        for index in range(count):
            try:
                page = pdf[index]
            except pdfium.PdfiumError:
                raise DamagedFileError(
                    path, f"page {index + 1} of the PDF is damaged and cannot be read"
                ) from None
            try:
                yield _read_page(page, index + 1)
            finally:
                page.close()
    finally:
        pdf.close()


def _read_page(page: pdfium.PdfPage, number: int) -> PageData:
    width, height = page.get_size()
    marks, has_images = _read_shapes(page.raw, height)
    textpage = raw.FPDFText_LoadPage(page.raw)
    invisible, bold = _scan_text_objects(page.raw)
    try:
        words = _read_words(textpage, height, marks, invisible, bold)
    finally:
        raw.FPDFText_ClosePage(textpage)
    return PageData(number, width, height, words, marks, has_images)


def _read_words(
    textpage: object,
    page_height: float,
    marks: list[PMark],
    invisible: frozenset[int],
    bold: bool = True,
) -> list[PWord]:
    """The page's words. `bold`: whether any font on the page is bold; when none is, no
    character's weight is asked (two calls into pdfium per word saved)."""
    count = raw.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    buf = ctypes.create_string_buffer(count * 2 + 2)
    raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[: count * 2].decode("utf-16-le", errors="replace")
    if invisible:
        text = _blank_invisible(textpage, text, invisible)
    rect = raw.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    loose_box = raw.FPDFText_GetLooseCharBox
    weight = _weigher(textpage) if bold else _not_bold
    index = MarkIndex(marks)
    words: list[PWord] = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        loose_box(textpage, start, rect_ref)
        x0, top, bottom = rect.left, page_height - rect.top, page_height - rect.bottom
        loose_box(textpage, end - 1, rect_ref)
        x1 = rect.right
        if x1 < x0:  # right-to-left or rotated run: keep it readable, never negative
            x0, x1 = x1, x0
        if abs(page_height - rect.bottom - bottom) > 0.5 * (bottom - top):
            # The run crosses printed lines (no break in pdfium's text): split it by line.
            words.extend(_split_by_line(textpage, start, end, page_height, text, weight))
            continue
        first_bold = weight(textpage, start) >= _BOLD_WEIGHT
        word = PWord(m.group().replace("\ufffe", "-"), x0, x1, top, bottom, first_bold)
        if end - start > 1 and (
            (weight(textpage, end - 1) >= _BOLD_WEIGHT) != first_bold
            or not _BRACKETS.isdisjoint(word.text)
        ):
            word.char_bold = [weight(textpage, i) >= _BOLD_WEIGHT for i in range(start, end)]
            if all(word.char_bold) or not any(word.char_bold):
                word.bold, word.char_bold = word.char_bold[0], None
        if marks and index.needs_char_boxes(word):
            word.char_x = []
            for i in range(start, end):
                loose_box(textpage, i, rect_ref)
                word.char_x.append((rect.left, rect.right))
        words.append(word)
    return words


# Text render modes that draw nothing: 3 (invisible), 7 (clip only). Texas prints an
# invisible "A" where a word space goes ("By:AALeo Wilson", "H.B.ANo.A100").
_INVISIBLE_MODES = frozenset({3, 7})


def _scan_text_objects(page: object) -> tuple[frozenset[int], bool]:
    """Addresses of the page's text objects drawn in an invisible render mode (most pages
    have none, and then no character is looked at), and whether any text object's font is
    bold (by its stated weight, else its name, as `_weigher` reads a character's)."""
    out = set()
    bold = False
    seen: set[int] = set()  # fonts already weighed
    name = ctypes.create_string_buffer(128)
    for i in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, i)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_TEXT:
            continue
        if raw.FPDFTextObj_GetTextRenderMode(obj) in _INVISIBLE_MODES:
            out.add(ctypes.cast(obj, ctypes.c_void_p).value or 0)
        if bold:
            continue
        key = _FONT_ADDRESS(obj) or 0
        if not key or key in seen:
            continue
        seen.add(key)
        font = raw.FPDFTextObj_GetFont(obj)
        w = raw.FPDFFont_GetWeight(font)
        if w > 0:
            bold = w >= _BOLD_WEIGHT
        else:
            n = raw.FPDFFont_GetBaseFontName(font, name, 128)
            lowered = name.value.lower() if n else b""
            bold = b"bold" in lowered or b"black" in lowered
    return frozenset(out), bold


# A text object's font as a plain address (a set of fonts seen needs a hashable key).
_FONT_ADDRESS = ctypes.cast(
    raw.FPDFTextObj_GetFont, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p)
)


def _not_bold(textpage: object, index: int) -> int:
    return 400


def _blank_invisible(textpage: object, text: str, invisible: frozenset[int]) -> str:
    """The page's text with characters that are not drawn turned into spaces: text a
    reader cannot see is not part of the bill, and stands between words."""
    get_object = _TEXT_OBJECT_ADDRESS
    hidden = [
        i
        for i, ch in enumerate(text)
        if not ch.isspace() and (get_object(textpage, i) or 0) in invisible
    ]
    if not hidden:
        return text
    chars = list(text)
    for i in hidden:
        chars[i] = " "
    return "".join(chars)


# pdfium's text object of a character, returned as a plain address so that it can key a
# cache (the generated binding returns a pointer object, which hashes by identity).
_TEXT_OBJECT_ADDRESS = ctypes.cast(
    raw.FPDFText_GetTextObject, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
)


def _weigher(textpage: object) -> Callable[[object, int], int]:
    """Font weight of a character: as the PDF states it, else by its font's name (the
    standard 14 fonts, not embedded, state none), cached per text object."""
    get_weight = raw.FPDFText_GetFontWeight
    cache: dict[int, int] = {}
    name = ctypes.create_string_buffer(128)

    def by_font(tp: object, index: int) -> int:
        w: int = get_weight(tp, index)
        if w > 0:
            return w
        address = _TEXT_OBJECT_ADDRESS(tp, index) or 0
        if address in cache:
            return cache[address]
        font = (
            raw.FPDFTextObj_GetFont(ctypes.cast(address, raw.FPDF_PAGEOBJECT)) if address else None
        )
        n = raw.FPDFFont_GetBaseFontName(font, name, 128) if font else 0
        lowered = name.value.lower() if n else b""
        cache[address] = 700 if b"bold" in lowered or b"black" in lowered else 400
        return cache[address]

    return by_font


def _split_by_line(
    textpage: object,
    start: int,
    end: int,
    page_height: float,
    text: str,
    weight: Callable[[object, int], int],
) -> list[PWord]:
    """A run of characters that crosses printed lines, as one word per line; `weight` is
    the page's weigher (its font cache, or none where no font on the page is bold)."""
    rect = raw.FS_RECTF()
    out: list[PWord] = []
    for i in range(start, end):
        raw.FPDFText_GetLooseCharBox(textpage, i, ctypes.byref(rect))
        top, bottom = page_height - rect.top, page_height - rect.bottom
        ch = text[i].replace("\ufffe", "-")
        bold = weight(textpage, i) >= _BOLD_WEIGHT
        last = out[-1] if out else None
        if last and abs(last.bottom - bottom) <= 0.5 * (bottom - top) and rect.left >= last.x0:
            last.text += ch
            last.x1 = max(last.x1, rect.right)
        else:
            out.append(PWord(ch, rect.left, rect.right, top, bottom, bold))
    return out


def _read_shapes(page: object, page_height: float) -> tuple[list[PMark], bool]:
    marks: list[PMark] = []
    has_images = False
    box = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    rgba = [ctypes.c_uint() for _ in range(4)]
    rgba_refs = [ctypes.byref(v) for v in rgba]
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()

    def grey() -> float:
        r, g, b = (v.value for v in rgba[:3])
        return (0.299 * r + 0.587 * g + 0.114 * b) / 255

    def visit(obj: object) -> None:
        nonlocal has_images
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            has_images = True
            return
        if kind == raw.FPDF_PAGEOBJ_FORM:
            for j in range(raw.FPDFFormObj_CountObjects(obj)):
                visit(raw.FPDFFormObj_GetObject(obj, j))
            return
        if kind != raw.FPDF_PAGEOBJ_PATH:
            return
        if not raw.FPDFPageObj_GetBounds(obj, *refs):
            return
        left, bottom, right, top = (v.value for v in box)
        raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke))
        filled = fill_mode.value != 0
        fill_grey = stroke_grey = None
        if filled and raw.FPDFPageObj_GetFillColor(obj, *rgba_refs) and rgba[3].value > 0:
            fill_grey = grey()
        if stroke.value and raw.FPDFPageObj_GetStrokeColor(obj, *rgba_refs) and rgba[3].value:
            stroke_grey = grey()
        mark = classify_shape(
            left,
            page_height - top,
            right,
            page_height - bottom,
            filled=filled,
            stroked=bool(stroke.value),
            fill_grey=fill_grey,
            stroke_grey=stroke_grey,
            source="path",
        )
        if mark is not None:
            marks.append(mark)

    for j in range(raw.FPDFPage_CountObjects(page)):
        visit(raw.FPDFPage_GetObject(page, j))
    return marks, has_images
