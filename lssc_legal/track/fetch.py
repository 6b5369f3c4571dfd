"""Fetch every published version of a bill into a folder, and record each in the results
store: the legislature's own files (as LegiScan serves them, or as the legislature's site
does where Open States links to it), named by state, bill, year, version and document id,
each checked before it is kept.

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
from dataclasses import dataclass, replace
from pathlib import Path

from ..batch.store import Fetched, Store
from ..errors import ProviderError
from .ident import BillId
from .provider import Bill, Provider, Version

# The file types a legislature publishes, by the media type the provider gives.
_EXTENSIONS = {
    "application/pdf": ".pdf",
    "text/html": ".html",
    "text/plain": ".txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


@dataclass(frozen=True)
class Outcome:
    version: str  # "Introduced", "Comm Sub", ...
    doc_id: str
    status: str  # "fetched", "already fetched", "kept" (changed here), "rejected"
    path: Path | None
    reason: str = ""


def fetch_bill(bill: BillId, out: Path, store: Store, client: Provider) -> list[Outcome]:
    """Every published version of `bill`, oldest first, saved into `out` and recorded in
    `store`."""
    return fetch_versions(client.bill(client.find(bill)), out, store, client)


def fetch_versions(
    found: Bill, out: Path, store: Store, client: Provider, latest_only: bool = False
) -> list[Outcome]:
    """The published versions of a bill as the provider described it (`found`), or its
    latest only, oldest first, saved into `out` and recorded in `store`."""
    out.mkdir(parents=True, exist_ok=True)
    outcomes = []
    # By date; versions of one day in the provider's order, which is the order published.
    # The latest only: the latest text (an amendment offered to it is not one).
    order = sorted(enumerate(found.versions), key=lambda iv: (iv[1].date, iv[0]))
    if latest_only:
        order = [iv for iv in order if iv[1].kind == "version"][-1:]
    for position, version in order:
        known = store.fetched(found.provider, version.doc_id)
        if known is not None and (not version.md5 or known.md5 == version.md5):
            path = Path(known.path)
            if path.is_file() and _sha256(path.read_bytes()) == known.sha256:
                outcomes.append(Outcome(version.type, version.doc_id, "already fetched", path))
                continue
            if path.is_file():  # changed since (a lawyer's notes, say): never written over
                outcomes.append(Outcome(
                    version.type, version.doc_id, "kept", path,
                    "changed since it was fetched; left as it is (move it away to fetch "
                    "the published text again)",
                ))  # fmt: skip
                continue
        try:
            # Amendments go in a folder of their own: they are offered to the bill, not
            # texts of it, and `compare --batch` of the folder compares the texts.
            into = out / "amendments" if version.kind == "amendment" else out
            into.mkdir(exist_ok=True)
            data, mime, ext = _download(client, version, into)
        except ProviderError as exc:
            outcomes.append(Outcome(version.type, version.doc_id, "rejected", None, exc.message))
            continue
        path = into / (_name(found, version) + ext)
        if path.is_file():  # republished: written over only if it is the file fetched before
            held = _sha256(path.read_bytes())
            if held not in (known.sha256 if known else None, _sha256(data)):
                path = _free(path)
        _write(path, data)
        store.record_fetch(
            Fetched(
                found.provider, version.doc_id, found.bill_id, found.state, found.number,
                found.session, version.type, version.date, mime,
                hashlib.md5(data).hexdigest(), _sha256(data), str(path), position, version.kind,
            )
        )  # fmt: skip
        outcomes.append(Outcome(version.type, version.doc_id, "fetched", path))
    return outcomes


def _download(client: Provider, version: Version, out: Path) -> tuple[bytes, str, str]:
    """The version's file, its media type and extension: the first of its formats whose
    bytes are what the provider says they are (the reason the first failed, if none is)."""
    first: ProviderError | None = None
    formats = [(version.mime, version.url), *version.alternatives]
    for mime, url in formats:
        each = replace(version, mime=mime, url=url)
        partial = (
            out / f".lssc-part-{hashlib.sha1(f'{version.doc_id} {url}'.encode()).hexdigest()[:16]}"
        )
        try:
            data = client.document(each, partial)
            return data, mime, _check(data, mime)
        except ProviderError as exc:
            first = first or exc
    assert first is not None
    raise first


def _name(found: Bill, version: Version) -> str:
    """ "TX-HB2127-2023-comm-sub-1001"."""
    kind = re.sub(r"[^a-z0-9]+", "-", version.type.lower()).strip("-") or "version"
    return f"{found.state}-{found.number}-{found.year}-{kind}-{short_id(version.doc_id)}"


def short_id(doc_id: str) -> str:
    """A document id fit for a file name: LegiScan's number as it is, a long one (an Open
    States version's) shortened to a stable 10 characters."""
    return doc_id if doc_id.isdigit() else hashlib.sha1(doc_id.encode()).hexdigest()[:10]


def _check(data: bytes, mime: str) -> str:
    """The file's extension, once its bytes are what the provider says they are."""
    ext = _EXTENSIONS.get(mime.split(";")[0].strip().lower())
    if ext is None:
        raise ProviderError(None, f"{mime or 'no'} file type: not a bill text this tool reads")
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


def _free(path: Path) -> Path:
    """A name beside `path` that no file has: "name-2.pdf", "name-3.pdf"."""
    n = 2
    while (free := path.with_name(f"{path.stem}-{n}{path.suffix}")).exists():
        n += 1
    return free


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
