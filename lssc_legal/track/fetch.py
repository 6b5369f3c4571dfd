"""Fetch every published version of a bill into a folder, and record each in the results
store: the legislature's own files (as LegiScan serves them), named by state, bill, year,
version and document id, each checked before it is kept.

A version already fetched (same provider document, same checksum, file still there) is not
fetched again. A download that is not what it claims (an HTML page served as a PDF, a
truncated PDF, a checksum that does not match) is rejected with its reason and the run
goes on to the next version.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..batch.store import Fetched, Store
from ..errors import ProviderError
from .ident import BillId
from .legiscan import Bill, LegiScan, Text

PROVIDER = "legiscan"
# The file types a legislature publishes, by the MIME type LegiScan gives.
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "text/html": ".html",
    "text/plain": ".txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


@dataclass(frozen=True)
class Outcome:
    version: str  # "Introduced", "Comm Sub", ...
    doc_id: int
    status: str  # "fetched", "already fetched", "rejected"
    path: Path | None
    reason: str = ""


def fetch_bill(bill: BillId, out: Path, store: Store, client: LegiScan) -> list[Outcome]:
    """Every published version of `bill`, oldest first, saved into `out` and recorded in
    `store`."""
    return fetch_versions(client.bill(client.find(bill)), out, store, client)


def fetch_versions(
    found: Bill, out: Path, store: Store, client: LegiScan, latest_only: bool = False
) -> list[Outcome]:
    """The published versions of a bill LegiScan described (`found`, its getBill answer),
    or its latest only, oldest first, saved into `out` and recorded in `store`."""
    out.mkdir(parents=True, exist_ok=True)
    outcomes = []
    texts = sorted(found.texts, key=lambda t: (t.date, t.doc_id))
    for text in texts[-1:] if latest_only else texts:
        name = _name(found.state, found.number, found.year, text)
        known = store.fetched(PROVIDER, str(text.doc_id))
        if known is not None and (not text.text_hash or known.md5 == text.text_hash):
            path = Path(known.path)
            if path.is_file() and _sha256(path.read_bytes()) == known.sha256:
                outcomes.append(Outcome(text.type, text.doc_id, "already fetched", path))
                continue
        try:
            data = client.text(text)
            ext = _check(data, text)
        except ProviderError as exc:
            outcomes.append(Outcome(text.type, text.doc_id, "rejected", None, exc.message))
            continue
        path = out / (name + ext)
        _write(path, data)
        store.record_fetch(
            Fetched(
                PROVIDER, str(text.doc_id), str(found.bill_id), found.state, found.number,
                found.session, text.type, text.date, text.mime,
                hashlib.md5(data).hexdigest(), _sha256(data), str(path),
            )
        )  # fmt: skip
        outcomes.append(Outcome(text.type, text.doc_id, "fetched", path))
    return outcomes


def _name(state: str, number: str, year: int, text: Text) -> str:
    version = re.sub(r"[^a-z0-9]+", "-", text.type.lower()).strip("-") or "version"
    return f"{state}-{number}-{year}-{version}-{text.doc_id}"


def _check(data: bytes, text: Text) -> str:
    """The file's extension, once its bytes are what the provider says they are."""
    ext = _EXTENSIONS.get(text.mime.split(";")[0].strip().lower())
    if ext is None:
        raise ProviderError(None, f"{text.mime or 'no'} file type: not a bill text this tool reads")
    head = data[:1024].lstrip().lower()
    if ext == ".pdf":
        if not data.startswith(b"%PDF"):
            what = "an HTML page" if head.startswith((b"<!doctype", b"<html")) else "not a PDF"
            raise ProviderError(None, f"served as a PDF but is {what}")
        if b"%%EOF" not in data[-2048:]:
            raise ProviderError(None, "the PDF is cut short (no end-of-file mark)")
    elif ext == ".docx" and not zipfile.is_zipfile(io.BytesIO(data)):
        raise ProviderError(None, "served as a Word file but is not one")
    elif not data.strip():
        raise ProviderError(None, "the document is empty")
    return ext


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: a temporary file beside it, renamed over it."""
    fd, tmp = tempfile.mkstemp(prefix=".lssc-fetch-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
