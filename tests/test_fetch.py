"""`lssc-legal fetch` against a local server that answers as the LegiScan API documents
(getSessionList, getMasterList, getBill, getBillText), serving the four versions of the generated H.B. 2127
drawn as Texas prints them, and failing on purpose: 429s, 5xx, malformed JSON, dropped
connections, an HTML page served as a PDF, a wrong checksum. No internet is used."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner

from lssc_legal.batch.store import STORE_NAME, Store
from lssc_legal.billwriter import write_bill_file
from lssc_legal.cli import cli
from lssc_legal.errors import ProviderError
from lssc_legal.track import parse_bill_id
from lssc_legal.track.fetch import fetch_bill
from lssc_legal.track.legiscan import LegiScan

from .conftest import HERE

KEY = "test-key-0123456789abcdef"
VERSIONS = HERE / "fixtures" / "versions" / "tx_hb2127"
TYPES = ["Introduced", "Comm Sub", "Engrossed", "Enrolled", "Chaptered"]


SESSIONS = [  # getSessionList, as the API manual gives it
    {"session_id": 2010, "state_id": 43, "year_start": 2023, "year_end": 2023, "prefile": 0,
     "sine_die": 1, "prior": 1, "special": 0, "session_tag": "Regular Session",
     "session_title": "2023 Regular Session", "session_name": "88th Legislature"},
    {"session_id": 2150, "state_id": 43, "year_start": 2025, "year_end": 2025, "prefile": 0,
     "sine_die": 1, "prior": 0, "special": 0, "session_tag": "Regular Session",
     "session_title": "2025 Regular Session", "session_name": "89th Legislature"},
    {"session_id": 2155, "state_id": 43, "year_start": 2025, "year_end": 2025, "prefile": 0,
     "sine_die": 1, "prior": 0, "special": 1, "session_tag": "1st Special Session",
     "session_title": "2025 1st Special Session",
     "session_name": "89th Legislature 1st Special Session"},
    {"session_id": 2160, "state_id": 43, "year_start": 2025, "year_end": 2025, "prefile": 0,
     "sine_die": 0, "prior": 0, "special": 1, "session_tag": "2nd Special Session",
     "session_title": "2025 2nd Special Session",
     "session_name": "89th Legislature 2nd Special Session"},
]  # fmt: skip


class FakeLegiScan:
    """The API's state: one bill, its documents, and faults to answer with next."""

    def __init__(self, docs: list[bytes]) -> None:
        self.docs = {1000 + i: d for i, d in enumerate(docs)}
        self.hashes = {k: hashlib.md5(d).hexdigest() for k, d in self.docs.items()}
        self.faults: list[str] = []  # "429", "500", "json", "drop", consumed one per request
        self.served: dict[int, bytes] = {}  # doc_id -> bytes to serve instead (a bad file)
        self.calls: list[str] = []
        # A document whose download hangs until `release` is set (`reached` says it began).
        self.hold: int | None = None
        self.reached, self.release = threading.Event(), threading.Event()
        self.change_hash = "c0ffee"
        # The current session's other bills: bill_id -> [number, change_hash, text]
        self.session: dict[int, list[Any]] = {}
        self.broken_bills: set[int] = set()  # getBill answers that are not as documented
        self.amendments: dict[int, bytes] = {}  # amendment_id -> its text (getAmendment)
        # Bills of other sessions, for finding: session id -> {bill_id: (number, hash)}
        self.elsewhere: dict[int, dict[int, tuple[str, str]]] = {}

    def publish(self, data: bytes) -> None:
        """A new version appears; the bill's change_hash changes with it."""
        doc = 1000 + len(self.docs)
        self.docs[doc] = data
        self.hashes[doc] = hashlib.md5(data).hexdigest()
        self.change_hash = f"c0ffee{len(self.docs)}"

    def answer(self, query: dict[str, str]) -> dict[str, Any]:
        op = query.get("op", "")
        self.calls.append(op)
        if query.get("key") != KEY:
            return {"status": "ERROR", "alert": {"message": "Invalid API key"}}
        if op == "getSessionList":
            if query.get("state") != "TX":
                return {"status": "ERROR", "alert": {"message": "Unknown state"}}
            return {"status": "OK", "sessions": SESSIONS}
        if op == "getMasterList":
            # By session id; by state, the current session (the regular one of 2025).
            session = (
                int(query["id"]) if "id" in query else 2150 if query.get("state") == "TX" else 0
            )
            if session == 2010:
                bills = {77: ("HB2127", self.change_hash)}
            elif session in (2150, 2155, 2160):
                bills = (
                    {b: (n, h) for b, (n, h, _) in self.session.items()} if session == 2150 else {}
                )
                bills.update(self.elsewhere.get(session, {}))
            else:
                return {"status": "ERROR", "alert": {"message": "Unknown session id"}}
            listed = {str(i): {"bill_id": b, "number": n, "change_hash": h}
                      for i, (b, (n, h)) in enumerate(bills.items())}  # fmt: skip
            name = next(x["session_name"] for x in SESSIONS if x["session_id"] == session)
            return {"status": "OK", "masterlist": {
                "session": {"session_id": session, "session_name": name}, **listed}}  # fmt: skip
        if op == "getBill" and int(query["id"]) in self.broken_bills:
            return {"status": "OK", "bill": {"bill_id": int(query["id"])}}  # no session, no texts
        if op == "getBill" and int(query["id"]) in self.session:
            b = int(query["id"])
            number, change, text = self.session[b]
            return {"status": "OK", "bill": {
                "bill_id": b, "state": "TX", "bill_number": number, "change_hash": change,
                "title": "", "session": {"session_name": "89th Legislature", "year_start": 2025},
                "texts": [{"doc_id": 5000 + b, "date": "2025-02-01", "type": "Introduced",
                           "mime": "text/plain", "text_hash": hashlib.md5(text).hexdigest()}]}}  # fmt: skip
        if op == "getBillText" and int(query["id"]) - 5000 in self.session:
            text = self.session[int(query["id"]) - 5000][2]
            return {"status": "OK", "text": {"doc_id": int(query["id"]), "mime": "text/plain",
                                             "doc": base64.b64encode(text).decode()}}  # fmt: skip
        if op == "getBill":
            texts = [
                {"doc_id": k, "date": f"2023-0{i + 2}-01", "type": TYPES[i], "type_id": i + 1,
                 "mime": "application/pdf", "mime_id": 2, "text_hash": self.hashes[k],
                 "url": f"https://legiscan.com/TX/text/HB2127/id/{k}"}
                for i, k in enumerate(self.docs)
            ]  # fmt: skip
            return {"status": "OK", "bill": {
                "bill_id": 77, "state": "TX", "bill_number": "HB2127", "change_hash": self.change_hash,
                "title": "Relating to employment leave.", "texts": texts,
                "amendments": [{"amendment_id": a, "adopted": 1, "chamber": "H",
                                "date": "2023-06-01", "title": f"Floor Amendment {n + 1}",
                                "mime": "text/plain", "amendment_hash": hashlib.md5(t).hexdigest()}
                               for n, (a, t) in enumerate(self.amendments.items())],
                "session": {"session_id": 2010, "session_name": "88th Legislature",
                            "year_start": 2023, "year_end": 2023}}}  # fmt: skip
        if op == "getAmendment":
            text = self.amendments[int(query["id"])]
            return {"status": "OK", "amendment": {"amendment_id": int(query["id"]),
                    "mime": "text/plain", "doc": base64.b64encode(text).decode()}}  # fmt: skip
        if op == "getBillText":
            doc = int(query["id"])
            if doc == self.hold:
                self.reached.set()
                self.release.wait(60)
            data = self.served.get(doc, self.docs[doc])
            return {"status": "OK", "text": {
                "doc_id": doc, "bill_id": 77, "mime": "application/pdf",
                "text_hash": self.hashes[doc], "doc": base64.b64encode(data).decode()}}  # fmt: skip
        return {"status": "ERROR", "alert": {"message": f"unknown op {op}"}}


@pytest.fixture(scope="module")
def documents(hb2127: list[Path]) -> list[bytes]:
    return [p.read_bytes() for p in hb2127]


@pytest.fixture
def api(documents: list[bytes], monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLegiScan]:
    fake = FakeLegiScan(documents)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fault = fake.faults.pop(0) if fake.faults else ""
            if fault == "drop":
                self.close_connection = True
                self.connection.close()
                return
            if fault in ("429", "500", "503-wait", "503-long"):
                self.send_response(int(fault[:3]))
                wait = {"503-wait": "7", "503-long": "36000"}.get(fault, "0")
                self.send_header("Retry-After", wait)
                self.end_headers()
                return
            query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
            if fault == "echo":  # an error that repeats the request, key and all
                body = json.dumps({"status": "ERROR", "alert": {
                    "message": f"bad request: {self.path}"}}).encode()  # fmt: skip
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            body = b"{not json" if fault == "json" else json.dumps(fake.answer(query)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.setenv("LEGISCAN_API_KEY", KEY)
    monkeypatch.setenv("LSSC_LEGISCAN_URL", f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def fetch(*args: str | Path):
    return CliRunner().invoke(cli, ["fetch", *map(str, args)])


def rows(store: Path) -> list[tuple]:
    with sqlite3.connect(store) as db:
        return db.execute(
            "SELECT doc_id, version, path, sha256 FROM fetched ORDER BY doc_id"
        ).fetchall()


def test_fetch_writes_every_version_once_and_a_second_run_fetches_nothing(api, tmp_path):
    out = tmp_path / "hb2127"
    first = fetch("TX HB 2127 2023", "-o", out)
    assert first.exit_code == 0, first.output
    files = sorted(out.glob("*.pdf"))
    assert {f.name for f in files} == {
        "TX-HB2127-2023-introduced-1000.pdf", "TX-HB2127-2023-comm-sub-1001.pdf",
        "TX-HB2127-2023-engrossed-1002.pdf", "TX-HB2127-2023-enrolled-1003.pdf",
    }  # fmt: skip
    assert len(rows(out / STORE_NAME)) == 4
    for f in files:  # the legislature's own file, byte for byte
        assert f.read_bytes() == api.docs[int(f.stem[-4:])]
    assert "4 fetched, 0 already fetched, 0 rejected" in first.stderr
    api.calls.clear()
    second = fetch("TX HB 2127 2023", "-o", out)
    assert second.exit_code == 0 and "0 fetched, 4 already fetched" in second.stderr
    assert "getBillText" not in api.calls  # nothing downloaded twice
    # the fetched files are bills the tool reads
    assert CliRunner().invoke(cli, ["compare", "--batch", str(out)]).exit_code == 0
    # A fetched file a lawyer has changed since is never written over.
    noted = out / "TX-HB2127-2023-engrossed-1002.pdf"
    noted.write_bytes(noted.read_bytes() + b"\n% my notes\n")
    third = fetch("TX HB 2127 2023", "-o", out)
    assert third.exit_code == 0 and "1 changed here and kept" in third.stderr
    assert noted.read_bytes().endswith(b"% my notes\n")
    # Republished with a new checksum: fetched beside it, the lawyer's copy untouched.
    api.docs[1002] = api.docs[1002].replace(b"%%EOF", b"% republished\n%%EOF")
    api.hashes[1002] = hashlib.md5(api.docs[1002]).hexdigest()
    fourth = fetch("TX HB 2127 2023", "-o", out)
    assert fourth.exit_code == 0 and "1 fetched" in fourth.stderr
    assert noted.read_bytes().endswith(b"% my notes\n")
    assert (out / "TX-HB2127-2023-engrossed-1002-2.pdf").read_bytes() == api.docs[1002]


def test_a_download_that_is_not_what_it_claims_is_rejected_and_the_run_goes_on(api, tmp_path):
    api.served[1001] = b"<!DOCTYPE html><html><body>Service unavailable</body></html>"
    api.served[1002] = api.docs[1002][: len(api.docs[1002]) // 2]  # truncated: hash differs
    out = tmp_path / "bad"
    result = fetch("Tex. H.B. 2127", "--session", "2023", "-o", out)
    assert result.exit_code == 3, result.output
    assert "rejected: Comm Sub (document 1001)" in result.stderr
    assert "LegiScan listed" in result.stderr  # the checksum
    assert "2 fetched, 0 already fetched, 2 rejected" in result.stderr
    assert [r[0] for r in rows(out / STORE_NAME)] == ["1000", "1003"]
    assert not list(out.glob(".lssc-fetch-*"))  # no partial file left
    api.served.clear()  # the server mends: the next run fetches only what was rejected
    again = fetch("Tex. H.B. 2127", "--session", "2023", "-o", out)
    assert again.exit_code == 0 and "2 fetched, 2 already fetched" in again.stderr
    # The store says what a clean run's says.
    clean = tmp_path / "clean"
    assert fetch("TX HB 2127 2023", "-o", clean).exit_code == 0
    mended = [(d, v, Path(p).name, h) for d, v, p, h in rows(out / STORE_NAME)]
    assert mended == [(d, v, Path(p).name, h) for d, v, p, h in rows(clean / STORE_NAME)]


def test_rate_limits_server_errors_and_dropped_connections_are_retried(api, tmp_path):
    """Retried, waiting as the server asks (Retry-After) or backing off; calls paced
    `interval` seconds apart where a provider asks for it."""
    waits: list[float] = []
    api.faults = ["429", "500", "drop", "503-wait"]
    with (
        LegiScan(backoff=0.5, sleep=waits.append) as client,
        Store(tmp_path / "s.sqlite") as store,
    ):  # fmt: skip
        outcomes = fetch_bill(parse_bill_id("TX HB 2127 2023"), tmp_path / "out", store, client)
    assert [o.status for o in outcomes] == ["fetched"] * 4
    assert waits == [0.0, 0.0, 2.0, 7.0]  # Retry-After 0, 0; backoff 0.5 * 2**2; 7
    waits.clear()
    api.faults = ["503-long"]  # a Retry-After of hours is cut to two minutes
    with LegiScan(backoff=0, sleep=waits.append) as client:
        client.find(parse_bill_id("TX HB 2127 2023"))
    assert waits == [120.0]
    paced: list[float] = []
    with LegiScan(interval=5.0, sleep=paced.append) as client:
        client.find(parse_bill_id("TX HB 2127 2023"))  # two calls: sessions, master list
    assert len(paced) == 1 and 4.5 < paced[0] <= 5.0


def test_a_store_that_cannot_be_made_is_one_line_before_any_call(api, tmp_path):
    result = fetch("TX HB 2127 2023", "-o", tmp_path / "o", "--store", tmp_path / "no" / "s.sqlite")
    assert result.exit_code == 2 and "its folder does not exist" in result.stderr
    assert api.calls == [] and not (tmp_path / "o").exists()
    added = watch("add", "TX HB 2127 2023", "--store", tmp_path / "no" / "w.sqlite")
    assert added.exit_code == 2 and api.calls == []
    scanned = watch("scan", "XX", "--store", tmp_path / "w.sqlite")
    assert scanned.exit_code == 2 and "'XX' is not a state" in scanned.stderr
    assert "STATE" in scanned.stderr and api.calls == []


def test_a_key_an_error_repeats_is_blanked(api, tmp_path):
    api.faults = ["echo"]
    result = fetch("TX HB 2127 2023", "-o", tmp_path / "e")
    assert result.exit_code == 4 and "key=[key]" in result.stderr and KEY not in result.output


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("TX HB 92 2025C2", "901"),  # the 2nd special session's, not the regular one's
        ("TX HB 92 --session 2150", "900"),  # LegiScan's own session id
        ("TX HB 2127 2023", "77"),
        ("TX HB 92 2025", "is in 2 sessions: 89th Legislature (--session 2150); 89th "
         "Legislature 2nd Special Session (--session 2160)"),  # not guessed at
        ("TX HB 2127 2025", "LegiScan has no TX HB 2127 (2025) (searched: 89th Legislature, "
         "89th Legislature 1st Special Session, 89th Legislature 2nd Special Session)"),
        ("TX HB 92 2019", "LegiScan has no TX HB 92 (2019) (searched: no session it lists)"),
    ],
)  # fmt: skip
def test_a_bill_is_found_in_the_session_its_words_name(api, words, found):
    """Numbers start again each session: a regular and a special session of one year can
    both have an H.B. 92; the lawyer's session decides, and where it does not, one line
    names both."""
    from dataclasses import replace

    text, _, session = words.partition(" --session ")
    bill = parse_bill_id(text)
    bill = replace(bill, session=session) if session else bill
    api.elsewhere = {2150: {900: ("HB92", "a")}, 2160: {901: ("HB92", "b")}}
    with LegiScan(backoff=0) as client:
        if found.isdigit():
            assert client.find(bill) == found
        else:
            with pytest.raises(ProviderError) as caught:
                client.find(bill)
            assert found in caught.value.line() and "\n" not in caught.value.line()


@pytest.mark.parametrize(
    ("faults", "message"),
    [
        (["json"], "malformed JSON"),
        (["500"] * 6, "answered HTTP 500"),
        (["drop"] * 6, "LegiScan getSessionList failed"),
    ],
)
def test_a_provider_that_fails_gives_one_line_and_writes_nothing(api, tmp_path, faults, message):
    api.faults = faults
    with (
        LegiScan(backoff=0, retries=2) as client,
        Store(tmp_path / "s.sqlite") as store,
        pytest.raises(ProviderError) as caught,
    ):
        fetch_bill(parse_bill_id("TX HB 2127 2023"), tmp_path / "out", store, client)
    assert message in caught.value.line() and "\n" not in caught.value.line()
    assert KEY not in caught.value.line()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_the_key_is_never_written_and_a_bad_key_is_one_line(api, tmp_path, monkeypatch):
    out = tmp_path / "k"
    result = fetch("TX HB 2127 2023", "-o", out)
    assert result.exit_code == 0
    assert KEY not in result.output and KEY.encode() not in (out / STORE_NAME).read_bytes()
    monkeypatch.setenv("LEGISCAN_API_KEY", "wrong-key")
    bad = fetch("TX HB 2127 2023", "-o", tmp_path / "k2")
    assert bad.exit_code == 4 and "Invalid API key" in bad.stderr
    assert "wrong-key" not in bad.output and "Traceback" not in bad.output
    monkeypatch.delenv("LEGISCAN_API_KEY")
    none = fetch("TX HB 2127 2023", "-o", tmp_path / "k3")
    assert none.exit_code == 4 and "LEGISCAN_API_KEY" in none.stderr
    assert not (tmp_path / "k3").exists()  # nothing made before the key is known
    monkeypatch.setenv("LEGISCAN_API_KEY", KEY)
    api.faults = ["json"]
    broken = fetch("TX HB 2127 2023", "-o", tmp_path / "k4")
    assert broken.exit_code == 4 and "malformed JSON" in broken.stderr
    assert not (tmp_path / "k4").exists()  # nor before LegiScan has answered


# -- watch ------------------------------------------------------------------------------


def watch(*args: str | Path):
    return CliRunner().invoke(cli, ["watch", *map(str, args)])


def test_watch_run_fetches_compares_and_says_what_changed(api, tmp_path):
    """Added, then run: the four versions are fetched and each compared with the one before
    it; a second run finds nothing new without downloading; a new version raising the
    civil penalty on officials from $5,000 to $25,000 is named in the digest."""
    store = tmp_path / "watch.sqlite"
    assert watch("add", "TX HB 2127 2023", "--store", store).exit_code == 0
    listed = watch("list", "--store", store)
    assert "TX HB2127, 88th Legislature\t0 versions\tchecked never\tlegiscan" in listed.output
    first = watch("run", "--store", store, "-o", tmp_path / "d1.md")
    assert first.exit_code == 0, first.output
    digest = (tmp_path / "d1.md").read_text()
    assert (
        digest.count("\n## TX HB2127, 88th Legislature: ") == 3
    )  # three versions, each against the one before
    head = digest.split("\n## ")[1]
    assert head.startswith(
        "TX HB2127, 88th Legislature: Enrolled (2023-05-01), compared with Engrossed"
    )  # newest first
    assert "Comm Sub (2023-03-01), compared with Introduced" in digest
    # what changed, with pinpoints in both versions
    assert "Penalty added: fines on local officials" in digest and "at 1:20-22" in digest
    assert "(was at 1:8-10, now at 1:8-9)" in digest
    assert len(list((tmp_path / "bills" / "TX-HB2127-2023").glob("redline-*.docx"))) == 3
    api.calls.clear()
    second = watch("run", "--store", store)
    assert second.exit_code == 0 and "No watched bill has a new version." in second.stdout
    assert api.calls == ["getBill"]  # only the change_hash was asked
    spec = (VERSIONS / "4_enrolled.txt").read_text().replace("$5,000", "$25,000")
    (tmp_path / "5.txt").write_text(spec)
    write_bill_file(tmp_path / "5.txt", tmp_path / "5.pdf")
    raised = (tmp_path / "5.pdf").read_bytes()
    api.publish(raised)
    third = watch("run", "--store", store, "-o", tmp_path / "d3.json")
    assert third.exit_code == 0, third.output
    data = json.loads((tmp_path / "d3.json").read_text())
    [step] = data["steps"]
    assert step["new"]["version"] == "Chaptered" and step["old"]["version"] == "Enrolled"
    said = " ".join(step["changes"])
    assert "$5,000" in said and "$25,000" in said, said


def test_a_watch_run_that_could_not_finish_does_the_rest_next_time(api, tmp_path):
    """A version rejected (or a run killed) leaves the bill not up to date: the next run
    fetches what is missing and compares it."""
    store = tmp_path / "w.sqlite"
    assert watch("add", "TX HB 2127 2023", "--store", store).exit_code == 0
    api.served[1002] = b"<html>busy</html>"
    first = watch("run", "--store", store)
    assert first.exit_code == 3 and "Engrossed (document 1002)" in first.stdout
    api.served.clear()
    again = watch("run", "--store", store)
    assert again.exit_code == 0
    assert "Engrossed (2023-04-01), compared with Comm Sub" in again.stdout
    assert "Enrolled (2023-05-01), compared with Engrossed" in again.stdout
    assert "compared with Introduced" not in again.stdout  # reported the first time
    ours, clean = store_state(store), clean_run(tmp_path / "clean")
    # The first digest compared Comm Sub with Enrolled across the gap; that redline stays.
    extra = "bills/TX-HB2127-2023/redline-1001-to-1003.docx"
    assert ours.pop("redlines") == sorted([*clean.pop("redlines"), extra])
    assert ours == clean
    assert watch("remove", "TX HB 2127 2023", "--store", store).exit_code == 0
    assert "No bill is watched." in watch("list", "--store", store).output


def store_state(store: Path) -> dict[str, Any]:
    """What a store says of its watched bills and their files, times left out and paths
    taken from the store's folder: two stores that say the same are consistent."""
    root = store.parent
    with sqlite3.connect(store) as db:
        fetched = [
            (*row[:-2], str(Path(row[-2]).relative_to(root)), row[-1])
            for row in db.execute(
                "SELECT provider, doc_id, bill_id, state, bill_number, session, version, date, "
                "mime, md5, sha256, position, path, reported_at IS NOT NULL FROM fetched "
                "ORDER BY provider, doc_id"
            )
        ]
        watched = db.execute(
            "SELECT provider, state, bill_number, bill_id, change_hash, session, "
            "checked_at IS NOT NULL FROM watched ORDER BY provider, bill_id"
        ).fetchall()
    files = sorted(
        (str(f.relative_to(root)), hashlib.sha256(f.read_bytes()).hexdigest())
        for f in (root / "bills").rglob("*") if f.is_file() and f.suffix != ".docx"
    )  # fmt: skip
    redlines = sorted(str(f.relative_to(root)) for f in (root / "bills").rglob("*.docx"))
    return {"fetched": fetched, "watched": watched, "files": files, "redlines": redlines}


def clean_run(root: Path) -> dict[str, Any]:
    """The same bill watched and run once in a fresh folder, nothing failing."""
    root.mkdir()
    store = root / "w.sqlite"
    assert watch("add", "TX HB 2127 2023", "--store", store).exit_code == 0
    assert watch("run", "--store", store).exit_code == 0
    return store_state(store)


def test_a_watch_run_killed_mid_way_resumes_and_leaves_a_consistent_store(api, tmp_path):
    """`watch run` in its own process, killed (SIGKILL) while the third version downloads:
    no digest is written and nothing is marked done; the next run fetches the rest and
    reports all three comparisons, and the store then says exactly what a clean run's says."""
    store = tmp_path / "w.sqlite"
    assert watch("add", "TX HB 2127 2023", "--store", store).exit_code == 0
    api.hold = 1002
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lssc_legal", "watch", "run", "--store", str(store),
         "-o", str(tmp_path / "d.md")],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert api.reached.wait(60), proc.stderr.read().decode() if proc.stderr else ""
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        if proc.stderr:
            proc.stderr.close()
        api.release.set()
    api.hold = None
    assert not (tmp_path / "d.md").exists()
    killed = store_state(store)
    assert [r[1] for r in killed["fetched"]] == ["1000", "1001"]  # fetched before the kill
    assert not any(r[-1] for r in killed["fetched"])  # but none reported
    assert killed["watched"][0][4] == "" and not killed["redlines"]
    again = watch("run", "--store", store, "-o", tmp_path / "d.md")
    assert again.exit_code == 0, again.output
    digest = (tmp_path / "d.md").read_text()
    assert "Comm Sub (2023-03-01), compared with Introduced" in digest
    assert digest.count("\n## TX HB2127") == 3
    assert store_state(store) == clean_run(tmp_path / "clean")


def test_a_version_that_cannot_be_read_is_named_once_and_compared_around(api, tmp_path):
    """A version published as a scan with no text layer: the digest says it could not be
    read, compares the versions either side of it, and the next run does not ask again."""
    blank = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages"
             b"/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 "
             b"792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")  # fmt: skip
    api.docs[1002], api.hashes[1002] = blank, hashlib.md5(blank).hexdigest()
    store = tmp_path / "w.sqlite"
    assert watch("add", "TX HB 2127 2023", "--store", store).exit_code == 0
    first = watch("run", "--store", store)
    assert first.exit_code == 3
    assert first.stdout.count("Engrossed could not be read") == 1
    assert "Enrolled (2023-05-01), compared with Comm Sub (2023-03-01)" in first.stdout
    assert "compared with Engrossed" not in first.stdout
    second = watch("run", "--store", store)
    assert second.exit_code == 0 and "No watched bill has a new version." in second.stdout


AMENDMENT = b"""FLOOR AMENDMENT NO. 1
Amend H.B. No. 2127 (engrossed version) by adding the following appropriately numbered
SECTION to the bill and renumbering subsequent SECTIONS of the bill accordingly:
SECTION ____. Section 250.0131, Local Government Code, is amended by adding Subsection (c)
to read as follows:
(c) A municipality or county may not adopt or enforce an ordinance, order, or rule that
regulates employment leave or the scheduling of work.
"""


def test_an_amendment_offered_is_fetched_and_said_what_it_would_write(api, tmp_path):
    """Amendments are fetched beside the versions, kept out of the versions compared, and
    the digest says what each would write into the bill."""
    api.amendments = {555: AMENDMENT}
    store = tmp_path / "w.sqlite"
    assert watch("add", "TX HB 2127 2023", "--store", store).exit_code == 0
    first = watch("run", "--store", store)
    assert first.exit_code == 0, first.output
    assert first.stdout.count(", compared with") == 3  # the four texts, as before
    assert "3 new versions compared with the version before; 1 amendment offered" in first.stdout
    head = (
        "## TX HB2127, 88th Legislature: Floor Amendment 1 (House, adopted) (2023-06-01), offered"
    )
    # after the bill's comparisons, before any other bill
    assert first.stdout.index(head) > first.stdout.rindex(", compared with")
    assert head in first.stdout
    offered = first.stdout.split(head)[1].split("\n## ")[0]
    assert "Express preemption" in offered and "employment leave" in offered
    assert "getAmendment" in api.calls
    # A scan takes a bill's latest text, not an amendment dated after it.
    from lssc_legal.track.fetch import fetch_versions

    with LegiScan(backoff=0) as client, Store(tmp_path / "s.sqlite") as s:
        [latest] = fetch_versions(
            client.bill("77"), tmp_path / "latest", s, client, latest_only=True
        )
    assert latest.version == "Enrolled"
    api.calls.clear()
    assert "No watched bill has a new version." in watch("run", "--store", store).stdout


def test_a_bill_watched_with_one_version_is_described_not_left_out(api, tmp_path):
    """A bill just filed: nothing to compare it with, so the digest says what its first
    version holds, each provision with its pinpoint."""
    api.session = {100: ["HB4000", "h0", _session_bill(4000, True)],
                   101: ["HB4001", "h1", _session_bill(4001, False)]}  # fmt: skip
    store = tmp_path / "w.sqlite"
    for number in ("4000", "4001"):
        assert watch("add", f"TX HB {number} 2025", "--store", store).exit_code == 0
    first = watch("run", "--store", store, "-o", tmp_path / "d.md")
    assert first.exit_code == 0, first.output
    assert "2 first versions read" in first.stderr
    digest = (tmp_path / "d.md").read_text()
    part = digest.split(
        "## TX HB4000, 89th Legislature: Introduced (2025-02-01), its first version"
    )[1]
    part = part.split("\n## ")[0]
    assert "- Express preemption of employment leave: SECTION 1" in part and " at 1:" in part
    assert "](bills/TX-HB4000-2025/TX-HB4000-2025-introduced-5100.txt)" in part  # a link
    assert "No provision that preempts, voids, punishes or saves local authority." in (
        digest.split("## TX HB4001")[1])  # fmt: skip
    assert watch("run", "--store", store, "-o", tmp_path / "again.json").exit_code == 0
    again = json.loads((tmp_path / "again.json").read_text())
    assert again["first_versions"] == [] and len(again["unchanged"]) == 2


def test_offline_everything_already_fetched_still_works(api, tmp_path, monkeypatch):
    """With the provider out of reach: the watch list, compare and analyze work on what was
    fetched; `watch run` names each bill it could not check (exit 3) and changes nothing in
    the store; `fetch` is one line (exit 4) and leaves the files as they were."""
    from lssc_legal.track.provider import Transport

    store = tmp_path / "w.sqlite"
    assert watch("add", "TX HB 2127 2023", "--store", store).exit_code == 0
    assert watch("run", "--store", store).exit_code == 0
    before = store_state(store)
    monkeypatch.setenv("LSSC_LEGISCAN_URL", "http://127.0.0.1:9/")  # nothing listens there
    monkeypatch.setattr(Transport, "_retry_wait", lambda self, response, attempt: 0.0)
    listed = watch("list", "--store", store)
    assert listed.exit_code == 0 and "4 versions" in listed.output
    folder = tmp_path / "bills" / "TX-HB2127-2023"
    assert CliRunner().invoke(cli, ["compare", "--batch", str(folder)]).exit_code == 0
    first = sorted(folder.glob("*.pdf"))[0]
    assert CliRunner().invoke(cli, ["analyze", str(first), "--format", "json"]).exit_code == 0
    offline = watch("run", "--store", store)
    assert offline.exit_code == 3
    assert "TX HB2127, 88th Legislature: LegiScan getBill failed" in offline.stdout
    assert store_state(store) == before
    refused = fetch("TX HB 2127 2023", "-o", folder)
    assert refused.exit_code == 4 and len(refused.stderr.strip().splitlines()) == 1
    assert store_state(store) == before


# -- a session's intake -------------------------------------------------------------------

LEAVE = (HERE / "fixtures" / "specs" / "tx_hb_leave.txt").read_text().split("---\n")[1]
LEAVE = LEAVE.replace("{+", "").replace("+}", "").replace("> ", "")
import re as _re  # noqa: E402

LEAVE = _re.sub(r"\{-.*?-\}", "", LEAVE)
HIGHWAY = ("SECTION 1. The portion of State Highway 6 in Brazos County is designated as the "
           "Veterans Memorial Highway.\nSECTION 2. This Act takes effect September 1, 2025.\n")  # fmt: skip


def _session_bill(n: int, preempts: bool) -> bytes:
    head = (f"H.B. No. {n}\nA BILL TO BE ENTITLED\nAN ACT\nrelating to "
            f"{'employment leave' if preempts else 'a memorial highway'}.\n"
            "BE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n")  # fmt: skip
    return (head + (LEAVE if preempts else HIGHWAY)).encode()


def test_watch_scan_lists_exactly_the_bills_batch_finds_preemptive(api, tmp_path):
    """A 30-bill session: the scan fetches each bill's latest text, analyzes them, and lists
    the same bills a batch over the same files finds with preemptive or punitive
    provisions; a second scan fetches nothing; a changed bill is fetched again alone."""
    from lssc_legal.models import PREEMPTIVE

    api.session = {
        100 + n: [f"HB{4000 + n}", f"h{n}", _session_bill(4000 + n, n % 3 == 0)] for n in range(30)
    }
    store = tmp_path / "s.sqlite"
    first = watch("scan", "TX", "--store", store, "-o", tmp_path / "intake.json")
    assert first.exit_code == 0, first.output
    data = json.loads((tmp_path / "intake.json").read_text())
    assert data["bills"] == 30 and data["fetched"] == 30
    listed = {f["bill"] for f in data["flagged"]}
    folder = tmp_path / "bills" / "TX"
    assert len(list(folder.glob("*.txt"))) == 30
    other = tmp_path / "other.sqlite"
    assert CliRunner().invoke(cli, ["batch", str(folder), "--store", str(other)]).exit_code == 0
    with Store(other, readonly=True) as s:
        found = {
            "TX " + Path(r["path"]).name.split("-")[1]
            for r in s.provisions(scope=sorted(PREEMPTIVE | {"punitive"}), confidence=["high"])
        }
    assert listed == found == {f"TX HB{4000 + n}" for n in range(0, 30, 3)}
    assert (
        data["session"] == "89th Legislature" and "TX, 89th Legislature: 10 of 30" in first.stderr
    )
    assert all("express preemption" in f["kinds"] for f in data["flagged"])
    api.calls.clear()
    second = watch("scan", "TX", "--store", store)
    assert second.exit_code == 0 and "0 texts fetched" in second.stderr
    assert api.calls == ["getMasterList"]
    api.session[101][1:] = ["changed", _session_bill(4001, True)]  # now it preempts
    third = watch("scan", "TX", "--store", store)
    assert "1 text fetched" in third.stderr and "11 of 30 bills" in third.stderr
    # One bill the provider cannot give (a malformed answer) is named; the rest go on.
    api.session[102][1], api.session[103][1] = "again", "again"
    api.broken_bills = {102}
    fourth = watch("scan", "TX", "--store", store)
    assert fourth.exit_code == 3 and "TX HB4002: LegiScan's getBill answer" in fourth.stdout
    assert "0 texts fetched; 1 not read" in fourth.stderr  # 103: same text, not again
