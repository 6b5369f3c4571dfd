"""Reading one file: its format detected, its reader run, a `Bill` built (the package's
face, ingest/__init__.py, says the steps).

    read_bill("hb2127.pdf") -> Bill

Every reader produces printed lines of marked tokens; from there the steps are shared:
furniture (running heads, page numbers, legends, drafting codes) is set aside, the state's
printing conventions are applied, missing line numbers are filled, and the text, spans,
sections and metadata are built.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import (
    BadInputError,
    EmptyFileError,
    FileMissingError,
    LsscError,
    NotABillError,
    UnsupportedFormatError,
)
from ..limits import limits, too_large
from ..models import Bill, Line
from .assemble import (
    ENACTING,
    RawLine,
    apply_conventions,
    body_start,
    build_text,
    find_furniture,
    furniture_of,
    number_lines,
)
from .metadata import PASSED, read_metadata
from .profiles import STATE_NAMES, Profile, detect_state, is_floor_version, profile_for
from .structure import find_sections

if TYPE_CHECKING:
    from collections.abc import Callable

    from .pdf import PageHook

    LinesHook = Callable[[list[RawLine]], None]

Format = Literal["pdf", "txt", "html", "docx"]


def detect_format(path: Path, head: bytes) -> Format:
    """The file's real format, from its first bytes (the extension only breaks ties)."""
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise UnsupportedFormatError(path, "the file is named .pdf but is not a PDF")
    if suffix in (".docx", ".doc"):
        raise UnsupportedFormatError(
            path,
            "the file is not a Word .docx (old .doc files are not read)",
            "save it as .docx or PDF",
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text (Windows "Unicode")
        head = head.decode("utf-16", errors="replace").encode("utf-8")
    if b"\x00" in head[:4096]:
        raise UnsupportedFormatError(path, "the file is binary, not a bill text")
    sample = head[:4096].lstrip().lower()
    if (
        suffix in (".html", ".htm")
        or sample.startswith((b"<!doctype html", b"<html"))
        or (b"<body" in sample or b"<pre" in sample)
    ):
        return "html"
    return "txt"


def read_bill(
    path: str | Path,
    *,
    state: str | None = None,
    engine: Literal["pdfium", "pdfplumber"] = "pdfium",
    on_page: PageHook | None = None,
    on_lines: LinesHook | None = None,
) -> Bill:
    """Read a bill file into a Bill. `state` overrides the state the bill names itself.

    `engine` picks the PDF reader (pdfplumber is the slower reference); `on_page` is
    called with each PDF page's geometry and lines as read, `on_lines` with the lines as
    ingest decided them (furniture, marks, numbers), one for one with those read (see
    `ingest.debug`). A file holding several bills gives its first, with a warning naming
    the others."""
    return read_bills(
        path, state=state, engine=engine, on_page=on_page, on_lines=on_lines, every=False
    )[0]


def read_bills(
    path: str | Path,
    *,
    state: str | None = None,
    engine: Literal["pdfium", "pdfplumber"] = "pdfium",
    on_page: PageHook | None = None,
    on_lines: LinesHook | None = None,
    every: bool = True,
) -> list[Bill]:
    """Every bill a file holds (most files hold one), in printed order."""
    path = Path(path)
    if path.is_dir():
        raise FileMissingError(path, "is a folder, not a bill file", "give one bill file")
    if not path.is_file():
        if path.exists():
            raise FileMissingError(
                path, "is not a regular file (a FIFO, socket or device)", "give the bill file"
            )
        raise FileMissingError(path, "no such file")
    if state is not None and state.upper() not in STATE_NAMES.values():
        raise BadInputError(
            None,
            f"--state {state!r} is not a state",
            "give a two-letter code such as TX, FL, NC, PA, AZ, OK, TN or MO",
        )
    size = path.stat().st_size
    if size > limits().max_file_mb * 2**20:
        raise too_large(path, f"the file is {size / 2**20:,.0f} MB", "max_file_mb")
    data = path.read_bytes()
    if not data.strip():
        raise EmptyFileError(path, "the file is empty")
    fmt = detect_format(path, data[:8192])
    hints: dict[str, str] = {}
    warnings: list[str] = []
    if fmt == "pdf":
        from .pdf import check_streams, read_pdf_lines

        check_streams(path, data)

        pages_iter = None
        if engine == "pdfplumber":
            from .plumber_reader import read_pages as plumber_pages

            pages_iter = plumber_pages(path)
        lines, pages, warnings = read_pdf_lines(path, pages_iter, on_page)
        hints = _pdf_title_hints(path)
    else:
        from .textual import read_docx_rows, read_html_rows, read_txt_rows, rows_to_lines

        printed: dict[int, int] = {}
        if fmt == "html":
            rows, hints, printed = read_html_rows(path, data)
        elif fmt == "docx":
            rows = read_docx_rows(path)
        else:
            rows = read_txt_rows(path, data)
        lines, warnings = rows_to_lines(rows, printed)
        pages = max((line.page for line in lines), default=1)
    if not lines:
        raise EmptyFileError(path, "the file has no text")
    if len(lines) > limits().max_lines:
        raise too_large(path, f"it prints {len(lines):,} lines", "max_lines")
    parts = split_bills(lines)
    sha = hashlib.sha256(data).hexdigest()
    if len(parts) > 1 and not every:
        listed = "; ".join(f"{name} (pages {a}-{b})" for name, a, b, _ in parts)
        warnings = [
            *warnings,
            f"this file holds {len(parts)} bills: {listed}; only the first is read here "
            "(`lssc-legal read --all` lists each)",
        ]
    chosen = parts if every else parts[:1]
    return [
        build_bill(
            part,
            source=path.name,
            sha256=sha,
            fmt=fmt,
            pages=(b - a + 1) if len(parts) > 1 else pages,
            state=state,
            hints=hints,
            warnings=warnings,
            path=path,
            on_lines=on_lines,
        )
        for _, a, b, part in chosen
    ]


# A bill's identifier as a running head prints it: "H.B. 311", "S.B. 152", "HB 1462".
_HEAD_ID = re.compile(r"\b([HS])\.?\s?(B|J\.?R|C\.?R)\.?\s*(?:No\.\s*)?(\d{1,5})\b")


def split_bills(lines: list[RawLine]) -> list[tuple[str, int, int, list[RawLine]]]:
    """The bills a file holds, as (identifier, first page, last page, lines): a new bill
    starts on a page whose running head names another bill, from which on the heads name
    it, and whose printed line numbers start again at 1 (a Utah PDF holding H.B. 311 and
    then S.B. 152). A file holding one bill comes back whole."""
    by_page: dict[int, list[RawLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    heads: dict[int, str | None] = {}
    for page, page_lines in by_page.items():
        top = " ".join(x.text for x in page_lines[:3] if x.number is None)
        m = _HEAD_ID.search(top)
        heads[page] = (
            f"{m.group(1)}.{m.group(2).replace('.', '')}. {int(m.group(3))}" if m else None
        )
    pages = sorted(by_page)
    starts = [pages[0]]
    for i, page in enumerate(pages[1:], 1):
        here, before = heads[page], heads[starts[-1]]
        numbers = [x.number for x in by_page[page] if x.number is not None]
        if (
            here
            and before
            and here != before
            and numbers[:1] == [1]
            and all(heads.get(p) in (here, None) for p in pages[i : i + 3])
        ):
            starts.append(page)
    if len(starts) == 1:
        return [(heads[pages[0]] or "", pages[0], pages[-1], lines)]
    out = []
    for k, first in enumerate(starts):
        last = starts[k + 1] - 1 if k + 1 < len(starts) else pages[-1]
        part = [x for x in lines if first <= x.page <= last]
        out.append((heads[first] or "", first, last, part))
    return out


# A Pennsylvania print after amendment names the prints before it.
_PA_AMENDED_PRINT = re.compile(r"PRIOR\s+PRINTER'?S\s+NOS?\.")
_TX_DRAFT = re.compile(r"^\s*(\d{2})(R|S[1-9])\d{3,5}\s+[A-Z]{2,4}-[A-Z]\b", re.M)


def _pdf_title_hints(path: Path) -> dict[str, str]:
    """What the PDF's own Title says: Texas titles its bill PDFs as its web pages ("89(R) HB
    100 - Introduced version")."""
    from .pdfium_reader import open_pdf
    from .textual import texas_title

    try:
        pdf = open_pdf(path)
    except LsscError:
        return {}
    try:
        title = pdf.get_metadata_value("Title") or ""
    except Exception:  # a broken info dictionary says nothing: the text still does
        title = ""
    finally:
        pdf.close()
    return texas_title(title)


def build_bill(
    lines: list[RawLine],
    *,
    source: str,
    sha256: str,
    fmt: Format,
    pages: int,
    state: str | None,
    hints: dict[str, str],
    warnings: list[str],
    path: Path,
    on_lines: LinesHook | None = None,
) -> Bill:
    """One bill from its lines as read: each step (furniture, the state's conventions, line
    numbers) returns new lines, and the text, spans and sections are built from the last."""
    lines = find_furniture(lines, pages)
    front_lines = lines[: max(body_start(lines), 0) + 40]
    front = "\n".join(line.text for line in front_lines)
    named = detect_state(front)
    detected = named or (state.upper() if state else None)
    if state and named and state.upper() != named:
        warnings.append(
            f"the bill names itself a {named} bill; {state.upper()} printing conventions "
            "applied as asked, metadata kept as the bill prints it"
        )
    profile = profile_for(state.upper() if state else detected)
    if profile.state == "OK" and is_floor_version(front):
        profile = Profile("OK", "Oklahoma (floor version)", bold_inserts=True)
    if profile.state == "PA" and _PA_AMENDED_PRINT.search(front):
        profile = dataclasses.replace(
            profile, name="Pennsylvania (amended print)", caps_inserts=True, caps_everywhere=True
        )
    start = body_start(lines)
    lines = number_lines(apply_conventions(lines, profile, start))
    if on_lines is not None:
        on_lines(lines)
    text, out_lines, spans = build_text(lines)
    if not text.strip():
        raise EmptyFileError(path, "the file has no bill text")
    enacting = ENACTING.search(text)
    sections = find_sections(
        text, out_lines, profile.state, enacting.end() if enacting else 0, spans
    )
    title_front = "\n".join(line.text for line in lines[: start + 1] if line.furniture is None)
    passed = PASSED.search(text)
    if passed and "year" not in hints:
        hints = {**hints, "passed_year": passed.group(1)}
    if profile.state == "TX" and "assembly" not in hints:
        # The Legislative Council's drafting code at a page's foot: "89R1523 TSS-D" (89th
        # Legislature, regular session), "89S20040 CJC-D" (its 2nd called session).
        code = _TX_DRAFT.search("\n".join(line.text for line in lines))
        if code:
            hints = {**hints, "assembly": code.group(1)}
            if code.group(2) != "R":
                hints["session"] = f"{code.group(1)}({code.group(2)[1]})"
    meta = read_metadata(front, detected, hints, title_text=title_front)
    if not (ENACTING.search(text) or meta.number or sections or _numbered(out_lines)):
        raise NotABillError(path, "no bill found: no enacting clause, bill number or sections")
    if detected is None:
        warnings.append("the state could not be told from the text: give --state XX")
    if meta.version == "strike-everything amendment":
        warnings.append(
            "this is a strike-everything amendment: its text replaces everything after the "
            "bill's enacting clause, so it is the bill's new text, not a change to part of it"
        )
    if state and not named:
        meta = replace(meta, state=state.upper())
    return Bill(
        source=source,
        sha256=sha256,
        format=fmt,
        pages=pages,
        text=text,
        lines=tuple(out_lines),
        spans=tuple(spans),
        sections=tuple(sections),
        meta=meta,
        profile=profile.name,
        furniture=tuple(furniture_of(lines)),
        warnings=tuple(warnings),
    )


def _numbered(lines: list[Line]) -> bool:
    return any(line.number_source == "printed" for line in lines)
