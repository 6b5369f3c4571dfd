"""`fetch`, `watch` and `watch scan` against a local server that answers as the Open States
API v3 documents (/jurisdictions/{state}?include=legislative_sessions, /bills with
identifier, session, updated_since and include=versions, /bills/ocd-bill/{uuid}; errors as
{"detail": ...}; X-API-KEY), with the legislature's files served beside it as a state's
site would serve them: the real five versions of Texas S.B. 11 (89th Leg., 2d C.S.) from
tests/fixtures/real, undated as Open States lists Texas versions, and the generated H.B.
2127. It also drops downloads part way, ignores Range, answers 429 and refuses keys."""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from click.testing import CliRunner

from lssc_legal.batch.store import STORE_NAME, Store
from lssc_legal.cli import cli
from lssc_legal.errors import ProviderError
from lssc_legal.track import parse_bill_id
from lssc_legal.track.fetch import fetch_bill
from lssc_legal.track.openstates import OpenStates

from .conftest import HERE

KEY = "os-key-fedcba9876543210"
REAL = HERE / "fixtures" / "real"
SB11 = [  # a Senate bill's versions in legislative order, as capitol.texas.gov names them
    ("Introduced", "TX-SB0011-2025C2-introduced.htm"),
    ("Senate Committee Report", "TX-SB0011-2025C2-senate-committee-report.htm"),
    ("Engrossed", "TX-SB0011-2025C2-engrossed.htm"),
    ("House Committee Report", "TX-SB0011-2025C2-house-committee-report.htm"),
    ("Enrolled", "TX-SB0011-2025C2-enrolled.htm"),
]
SESSIONS = [
    {"identifier": "88", "name": "88th Legislature (2023)", "classification": "primary",
     "start_date": "2023-01-10", "end_date": "2023-05-29"},
    {"identifier": "89", "name": "89th Legislature (2025)", "classification": "primary",
     "start_date": "2025-01-14", "end_date": "2025-06-02"},
    {"identifier": "891", "name": "89th Legislature, 1st Called Session (2025)",
     "classification": "special", "start_date": "2025-07-21", "end_date": "2025-08-15"},
    {"identifier": "892", "name": "89th Legislature, 2nd Called Session (2025)",
     "classification": "special", "start_date": "2025-08-15", "end_date": "2025-09-04"},
]  # fmt: skip


class FakeOpenStates:
    """The API's bills, the files it links to, and faults to answer with."""

    def __init__(self, hb2127: list[bytes]) -> None:
        self.files: dict[str, bytes] = {}
        self.bills: dict[str, dict[str, Any]] = {}
        self.calls: list[str] = []  # "/bills?session=892&identifier=SB 11", "/files/x"
        self.keys_sent_to_files: list[str] = []
        self.ranges: list[str] = []  # Range headers of file requests
        self.if_ranges: list[str] = []  # and their If-Range headers
        self.encodings: set[str] = set()  # Accept-Encoding of file requests
        self.faults: list[str] = []  # API: "429min", "429day"; consumed one per API call
        self.file_faults: dict[str, list[str]] = {}  # name -> "drop", "norange", "html"
        self.clock = 0
        self.base = ""  # the server's address, once it listens
        versions = []
        for i, (note, name) in enumerate(SB11):
            self.files[name] = (REAL / name).read_bytes()
            links = [{"url": f"/files/{name}", "media_type": "text/html"}]
            if i == 0:  # the PDF of the introduced version is missing: the site's error page
                self.files["SB00011I.pdf"] = b"<!DOCTYPE html><html>Not Found</html>"
                links.insert(0, {"url": "/files/SB00011I.pdf", "media_type": "application/pdf"})
            versions.append({"id": f"0000000{i}-aaaa-bbbb-cccc-dddddddddddd", "note": note,
                             "date": "", "links": links})  # fmt: skip
        self.add_bill("5b6a4c1e-0000-0000-0000-000000000011", "892", "SB 11", versions)
        hb = []
        for i, data in enumerate(hb2127):
            name = f"HB02127{'ICHE'[i]}.pdf"
            self.files[name] = data
            # The older schema: no id on a version.
            hb.append({"note": ["Introduced", "Committee Substitute", "Engrossed", "Enrolled"][i],
                       "date": "", "links": [{"url": f"/files/{name}", "media_type": "application/pdf"}]})  # fmt: skip
        self.add_bill("9c9c9c9c-0000-0000-0000-000000002127", "88", "HB 2127", hb)

    def tick(self) -> str:
        self.clock += 1
        return f"2025-09-10T12:00:{self.clock:02d}.000000+00:00"

    def add_bill(self, uuid: str, session: str, identifier: str, versions: list[Any]) -> None:
        self.bills[uuid] = {
            "id": f"ocd-bill/{uuid}", "session": session, "identifier": identifier,
            "jurisdiction": {"id": "ocd-jurisdiction/country:us/state:tx/government",
                             "name": "Texas", "classification": "state"},
            "from_organization": {"id": "ocd-organization/x", "name": "Senate", "classification": "upper"},
            "title": f"Relating to {identifier}.", "classification": ["bill"], "subject": [],
            "extras": {}, "created_at": "2025-08-15T00:00:00+00:00", "updated_at": self.tick(),
            "openstates_url": f"https://openstates.org/tx/bills/{session}/{identifier.replace(' ', '')}/",
            "first_action_date": "2025-08-15", "versions": versions,
        }  # fmt: skip

    def publish(self, uuid: str, note: str, name: str, data: bytes) -> None:
        self.files[name] = data
        bill = self.bills[uuid]
        url = f"{self.base}/files/{name}"
        bill["versions"].append({"note": note, "date": "",
                                 "links": [{"url": url, "media_type": "application/pdf"}]})  # fmt: skip
        bill["updated_at"] = self.tick()

    def shown(self, bill: dict[str, Any], include: list[str]) -> dict[str, Any]:
        """A bill with the lists asked for (include=versions, include=documents) only."""
        return {k: v for k, v in bill.items() if k not in ("versions", "documents") or k in include}

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        one = {k: v[0] for k, v in query.items()}
        include = query.get("include", [])
        if path == "/jurisdictions/tx":
            if "legislative_sessions" not in include:
                return 200, {"id": "ocd-jurisdiction/country:us/state:tx/government"}
            return 200, {"id": "ocd-jurisdiction/country:us/state:tx/government", "name": "Texas",
                         "classification": "state", "legislative_sessions": SESSIONS}  # fmt: skip
        if path.startswith("/bills/ocd-bill/"):
            bill = self.bills.get(path.rsplit("/", 1)[1])
            return (200, self.shown(bill, include)) if bill else (404, {"detail": "No such Bill."})
        if path == "/bills":
            if one.get("jurisdiction") != "tx":
                return 400, {"detail": "either 'jurisdiction' or 'q' required"}
            if int(one.get("per_page", "10")) > 20:
                return 400, {"detail": "invalid per_page, must be in [1, 20]"}
            found = [b for b in self.bills.values()
                     if ("session" not in one or b["session"] == one["session"])
                     and (not query.get("identifier") or b["identifier"] in query["identifier"])
                     and ("updated_since" not in one or b["updated_at"] >= one["updated_since"])]  # fmt: skip
            found.sort(key=lambda b: b["updated_at"])
            per, page = int(one.get("per_page", "10")), int(one.get("page", "1"))
            pages = max(1, -(-len(found) // per))
            if page > pages:
                return 404, {"detail": f"invalid page, must be in [1, {pages}]"}
            return 200, {
                "results": [self.shown(b, include) for b in found[(page - 1) * per : page * per]],
                "pagination": {"per_page": per, "page": page, "max_page": pages,
                               "total_items": len(found)},
            }  # fmt: skip
        return 404, {"detail": "Not Found"}


@pytest.fixture
def api(hb2127: list[Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenStates]:
    fake = FakeOpenStates([p.read_bytes() for p in hb2127])

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            url = urlparse(self.path)
            path = unquote(url.path)
            if path.startswith("/files/"):
                return self.serve_file(path.removeprefix("/files/"))
            query = parse_qs(url.query)
            fake.calls.append(path + "?" + "&".join(
                f"{k}={v}" for k in ("session", "updated_since", "identifier") for v in query.get(k, [])))  # fmt: skip
            fault = fake.faults.pop(0) if fake.faults else ""
            if self.headers.get("X-API-KEY") != KEY:
                status, body = ((403, {"detail": "Must provide API Key as ?apikey or X-API-KEY."})
                                if not self.headers.get("X-API-KEY")
                                else (401, {"detail": "Invalid API Key. Login and visit https://openstates.org/account/profile/ for your API key."}))  # fmt: skip
            elif fault == "redirect":  # to another address: the key must not follow
                self.send_response(302)
                self.send_header("Location", f"{fake.base}/files/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            elif fault == "429min":
                status, body = 429, {"detail": "exceeded limit of 10/min: 11"}
            elif fault == "429day":
                status, body = 429, {"detail": "exceeded limit of 250/day: 251"}
            else:
                status, body = fake.answer(path, query)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def serve_file(self, name: str) -> None:
            fake.calls.append(f"/files/{name}")
            fake.encodings.add(self.headers.get("Accept-Encoding", ""))
            if self.headers.get("X-API-KEY"):
                fake.keys_sent_to_files.append(self.headers["X-API-KEY"])
            data = fake.files.get(name)
            faults = fake.file_faults.get(name, [])
            fault = faults.pop(0) if faults else ""
            if data is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = '"' + hashlib.md5(data).hexdigest() + '"'
            tokens = set(fault.split("+"))  # "drop+noetag": faults of one answer
            said = self.headers.get("Range", "")
            if said:
                fake.ranges.append(said)
                fake.if_ranges.append(self.headers.get("If-Range", ""))
            if said and "416" in tokens:  # the server says the range is past the file
                self.send_response(416)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            same = self.headers.get("If-Range", etag) == etag
            start = 0
            if said.startswith("bytes=") and not tokens & {"norange", "badstart"} and same:
                start = int(said[6:].split("-")[0])
            partial = start or (said and "badstart" in tokens)  # 206 from the first byte
            self.send_response(206 if partial else 200)
            self.send_header(
                "Content-Type", "application/pdf" if name.endswith(".pdf") else "text/html"
            )
            if "noetag" not in tokens:
                self.send_header("ETag", f"W/{etag}" if "weak" in tokens else etag)
            self.send_header("Content-Length", str(len(data) - start))
            if partial:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.end_headers()
            body = data[start:]
            if "drop" in tokens:  # half the bytes, then the connection goes
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for bill in fake.bills.values():  # the links name the files' host, as real ones do
        for v in bill["versions"]:
            for link in v["links"]:
                link["url"] = base + link["url"]
    fake.base = base
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    monkeypatch.setenv("OPENSTATES_API_KEY", KEY)
    monkeypatch.setenv("LSSC_OPENSTATES_URL", base)
    monkeypatch.setenv("LSSC_OPENSTATES_INTERVAL", "0")
    monkeypatch.delenv("LEGISCAN_API_KEY", raising=False)
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def run(*args: str | Path):
    return CliRunner().invoke(cli, [*map(str, args)])


def fetched(store: Path) -> list[tuple]:
    with sqlite3.connect(store) as db:
        return db.execute(
            "SELECT provider, bill_id, version, mime, position, sha256 FROM fetched "
            "ORDER BY position"
        ).fetchall()


def test_fetch_saves_the_legislatures_own_files_and_a_second_run_fetches_nothing(api, tmp_path):
    """The five real versions of Texas S.B. 11, found by a lawyer's words and LegiScan's
    session name (2025C2: the 2nd called session), each saved byte for byte; the missing
    PDF of the first is refused and its HTML taken instead; the key never goes to the
    legislature's site."""
    out = tmp_path / "sb11"
    first = run("fetch", "Tex. S.B. No. 11", "--session", "2025C2", "-o", out)
    assert first.exit_code == 0, first.output
    assert "5 fetched, 0 already fetched, 0 rejected" in first.stderr
    rows = fetched(out / STORE_NAME)
    assert [r[2] for r in rows] == [note for note, _ in SB11]  # legislative order, undated
    assert {r[0] for r in rows} == {"openstates"} and rows[0][3] == "text/html"
    files = sorted(out.glob("*.htm*"))
    assert len(files) == 5
    for (note, name), row in zip(SB11, rows, strict=True):
        saved = next(f for f in files if row[5] == hashlib.sha256(f.read_bytes()).hexdigest())
        assert saved.read_bytes() == (REAL / name).read_bytes(), note
        assert saved.name.startswith("TX-SB11-2025-")
    assert "/bills?session=892&identifier=SB 11" in api.calls
    assert api.keys_sent_to_files == []
    assert KEY not in first.output and KEY.encode() not in (out / STORE_NAME).read_bytes()
    api.calls.clear()
    second = run("fetch", "TX SB 11", "--session", "892", "-o", out)
    assert second.exit_code == 0 and "0 fetched, 5 already fetched" in second.stderr
    assert not [c for c in api.calls if c.startswith("/files/")]
    # The real series reads as one bill through compare, in legislative order: a Senate
    # bill's House committee report comes after it is engrossed.
    compared = run("compare", "--batch", out)
    assert compared.exit_code == 0, compared.output
    assert "S.B. 11 (Tex. 2025): 5 versions" in compared.output
    steps = [line.split("\u2192")[1] for line in compared.output.splitlines() if "\u2192" in line]
    kinds = ["senate-committee-report", "engrossed", "house-committee-report", "enrolled"]
    assert [next(k for k in kinds if f"-{k}-" in step) for step in steps] == kinds


def test_a_dropped_download_resumes_where_it_stopped(api, tmp_path):
    """Dropped half way: the retry asks for the rest (Range, checked by ETag) and the file
    is whole; with no retry left, the part stays and the next run resumes it; a server that
    ignores Range sends it whole again."""
    name = SB11[2][1]
    api.file_faults[name] = ["drop"]
    with OpenStates(backoff=0) as client, Store(tmp_path / "a.sqlite") as store:
        outcomes = fetch_bill(parse_bill_id("TX SB 11 892"), tmp_path / "a", store, client)
    assert [o.status for o in outcomes] == ["fetched"] * 5
    assert api.ranges == [f"bytes={len(api.files[name]) // 2}-"]
    assert outcomes[2].path.read_bytes() == api.files[name]
    api.ranges.clear()
    api.file_faults[name] = ["drop"]
    with OpenStates(backoff=0, retries=0) as client, Store(tmp_path / "b.sqlite") as store:
        outcomes = fetch_bill(parse_bill_id("TX SB 11 892"), tmp_path / "b", store, client)
        assert outcomes[2].status == "rejected" and "resumes" not in outcomes[2].reason
        assert "download failed" in outcomes[2].reason
        [part] = (tmp_path / "b").glob(".lssc-part-*[!g]")
        assert part.stat().st_size == len(api.files[name]) // 2
        again = fetch_bill(parse_bill_id("TX SB 11 892"), tmp_path / "b", store, client)
    assert [o.status for o in again] == ["already fetched"] * 2 + ["fetched"] + [
        "already fetched"
    ] * 2
    assert again[2].path.read_bytes() == api.files[name]
    assert api.ranges == [f"bytes={len(api.files[name]) // 2}-"]
    assert not list((tmp_path / "b").glob(".lssc-part-*"))
    # Files are asked for as sent (a compressed answer's length is not the file's), and
    # each resume named the file it continues (its ETag), so a changed file is not spliced.
    assert api.encodings == {"identity"}
    assert set(api.if_ranges) == {'"' + hashlib.md5(api.files[name]).hexdigest() + '"'}
    # The file fetched whole again, never spliced: where the server ignores Range; where it
    # gave nothing to tell the file by (no Range sent); where a 206 starts elsewhere; a 416.
    for n, faults in enumerate([["drop", "norange"], ["drop+noetag"], ["drop", "badstart"],
                                ["drop", "416"], ["drop+weak"]]):  # fmt: skip
        api.file_faults[name], api.ranges = list(faults), []
        with OpenStates(backoff=0) as client, Store(tmp_path / f"c{n}.sqlite") as store:
            outcomes = fetch_bill(parse_bill_id("TX SB 11 892"), tmp_path / f"c{n}", store, client)
        assert outcomes[2].path.read_bytes() == api.files[name], faults
        # No name for the file, or only a weak one: nothing to resume into safely.
        assert (api.ranges == []) == (faults in (["drop+noetag"], ["drop+weak"])), faults


def test_a_download_larger_than_the_limit_is_refused_and_not_kept(api, tmp_path):
    from lssc_legal.track.provider import Transport

    transport = Transport("Download", backoff=0)
    partial = tmp_path / ".lssc-part-x"
    with pytest.raises(ProviderError) as caught:
        transport.download("Engrossed", f"{api.base}/files/{SB11[2][1]}", partial, limit=1000)
    transport.close()
    assert "larger than 1,000 bytes" in caught.value.line()
    assert not partial.exists() and not list(tmp_path.iterdir())


def test_rate_limits_and_refused_keys(api, tmp_path, monkeypatch):
    """A per-minute 429 waits for the next minute and asks again; the daily limit, a
    redirect (the key in its header is not carried to another address) and a refused key
    are one line each, exit 4, the key in no output."""
    waits: list[float] = []
    api.faults = ["429min"]
    with OpenStates(backoff=0, sleep=waits.append) as client, Store(tmp_path / "s.sqlite") as store:
        outcomes = fetch_bill(parse_bill_id("TX SB 11 892"), tmp_path / "o", store, client)
    assert len(outcomes) == 5 and waits and 0 < waits[0] <= 61
    api.faults = ["429day"]
    daily = run("fetch", "TX SB 11", "--session", "892", "-o", tmp_path / "d")
    assert daily.exit_code == 4 and "250 requests a day" in daily.stderr
    assert not (tmp_path / "d").exists()
    api.faults = ["redirect"]
    moved = run("fetch", "TX SB 11", "--session", "892", "-o", tmp_path / "r")
    assert moved.exit_code == 4 and "HTTP 302" in moved.stderr
    assert api.keys_sent_to_files == [] and "/files/elsewhere" not in api.calls
    monkeypatch.setenv("OPENSTATES_API_KEY", "not-the-key")
    bad = run("fetch", "TX SB 11", "--session", "892", "-o", tmp_path / "k")
    assert (
        bad.exit_code == 4 and "Invalid API Key" in bad.stderr and "not-the-key" not in bad.output
    )
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.output
    monkeypatch.delenv("OPENSTATES_API_KEY")
    none = run("fetch", "TX SB 11", "-o", tmp_path / "n")
    assert none.exit_code == 4
    assert "LEGISCAN_API_KEY" in none.stderr and "OPENSTATES_API_KEY" in none.stderr


def test_watch_asks_open_states_only_what_changed_since_the_last_run(api, tmp_path):
    """Two bills of two sessions watched: the first run fetches and compares every version;
    the second asks each session once, with updated_since, and downloads nothing; a new
    version of H.B. 2127 raising the officials' civil penalty from $5,000 to $25,000 is
    fetched alone and named in the Word digest and the JSON one."""
    from docx import Document

    from lssc_legal.billwriter import write_bill_file

    store = tmp_path / "w.sqlite"
    assert run("watch", "add", "TX SB 11", "--session", "2025C2", "--store", store).exit_code == 0
    added = run("watch", "add", "TX HB 2127 2023", "--store", store)
    assert added.exit_code == 0 and "(openstates)" in added.stderr
    listed = run("watch", "list", "--store", store).output
    assert (
        "TX SB11, 89th Legislature, 2nd Called Session (2025)\t0 versions\tchecked never\topenstates"
        in listed
    )
    first = run("watch", "run", "--store", store, "-o", tmp_path / "d1.md")
    assert first.exit_code == 0, first.output
    digest = (tmp_path / "d1.md").read_text()
    assert (
        digest.count("\n## TX SB11, 89th Legislature, 2nd Called Session (2025): ") == 4
        and digest.count("\n## TX HB2127, 88th Legislature (2023): ") == 3
    )
    assert "Enrolled (undated), compared with House Committee Report (undated)" in digest
    # Bill by bill, each bill's newest version first (undated: in the order published).
    heads = [line.split(": ", 1) for line in digest.splitlines() if line.startswith("## TX")]
    assert sum(a[0] != b[0] for a, b in itertools.pairwise(heads)) == 1
    assert [h[1].split(" (")[0] for h in heads if h[0] == "## TX SB11, 89th Legislature, 2nd Called Session (2025)"] == [
        "Enrolled", "House Committee Report", "Engrossed", "Senate Committee Report"]  # fmt: skip
    api.calls.clear()
    second = run("watch", "run", "--store", store)
    assert second.exit_code == 0 and "No watched bill has a new version." in second.stdout
    # One listing per session since the change seen, and the state's sessions once (to
    # name a bill's year): no bill, no file.
    assert sorted(c.split("&")[0] for c in api.calls) == [
        "/bills?session=88", "/bills?session=892", "/jurisdictions/tx?"]  # fmt: skip
    assert all("updated_since=2025-09-10T12:00:" in c for c in api.calls if c.startswith("/bills"))
    spec = (HERE / "fixtures" / "versions" / "tx_hb2127" / "4_enrolled.txt").read_text()
    (tmp_path / "5.txt").write_text(spec.replace("$5,000", "$25,000"))
    write_bill_file(tmp_path / "5.txt", tmp_path / "5.pdf")
    api.publish("9c9c9c9c-0000-0000-0000-000000002127", "Enrolled (corrected)",
                "HB02127X.pdf", (tmp_path / "5.pdf").read_bytes())  # fmt: skip
    api.calls.clear()
    third = run("watch", "run", "--store", store, "-o", tmp_path / "d3.docx")
    assert third.exit_code == 0, third.output
    assert [c for c in api.calls if c.startswith("/files/")] == ["/files/HB02127X.pdf"]
    doc = Document(str(tmp_path / "d3.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "TX HB2127, 88th Legislature (2023): Enrolled (corrected) (undated), compared with Enrolled"
        in text
    )
    assert "$5,000" in text and "$25,000" in text, text
    links = [r.target_ref for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert len(links) == 1 and links[0].startswith("bills/TX-HB2127-2023/redline-")
    assert (tmp_path / links[0]).is_file()


def test_watch_scan_with_open_states_lists_what_batch_finds(api, tmp_path):
    """A session of 25 bills more (two pages of 20), one of whose files cannot be had at
    first: the next scan fetches it; the list is exactly the bills a batch over the same
    files finds preemptive; the scan after asks only for the bills updated since the
    newest change seen, and downloads nothing; a bill that changed is fetched again
    alone."""
    from lssc_legal.models import PREEMPTIVE

    from .test_fetch import _session_bill

    for n in range(25):
        name = f"HB{5000 + n}.txt"
        api.files[name] = _session_bill(5000 + n, n % 4 == 0)
        links = [{"url": f"{api.base}/files/{name}", "media_type": "text/plain"}]
        api.add_bill(f"00000000-0000-0000-0000-{n:012d}", "892", f"HB {5000 + n}",
                     [{"note": "Introduced", "date": "2025-08-20", "links": links}])  # fmt: skip
    store = tmp_path / "s.sqlite"
    missing = api.files.pop("HB5002.txt")  # the site has lost one file, for now
    first = run("watch", "scan", "TX", "--store", store)
    assert first.exit_code == 3 and "TX HB5002: " in first.stdout and "HTTP 404" in first.stdout
    assert "25 texts fetched; 1 not read" in first.stderr
    api.files["HB5002.txt"] = missing
    again = run("watch", "scan", "TX", "--store", store, "-o", tmp_path / "intake.json")
    assert again.exit_code == 0, again.output
    data = json.loads((tmp_path / "intake.json").read_text())
    assert data["bills"] == 26 and data["fetched"] == 1  # S.B. 11 is of the session too
    listed = {f["bill"] for f in data["flagged"]}
    other = tmp_path / "other.sqlite"
    folder = tmp_path / "bills" / "TX"
    assert run("batch", folder, "--store", other).exit_code == 0
    with Store(other, readonly=True) as s:
        found = {
            "TX " + Path(r["path"]).name.split("-")[1]
            for r in s.provisions(scope=sorted(PREEMPTIVE | {"punitive"}), confidence=["high"])
        }
    assert listed == found == {f"TX HB{5000 + n}" for n in range(0, 25, 4)}
    api.calls.clear()
    second = run("watch", "scan", "TX", "--store", store)
    assert second.exit_code == 0 and "0 texts fetched" in second.stderr
    assert "TX, 89th Legislature, 2nd Called Session (2025): 7 of 26 bills" in second.stderr
    bills_calls = [c for c in api.calls if c.startswith("/bills")]
    assert len(bills_calls) == 1 and "updated_since=" in bills_calls[0]
    assert not [c for c in api.calls if c.startswith("/files/")]
    changed = api.bills["00000000-0000-0000-0000-000000000001"]
    api.files["HB5001b.txt"] = _session_bill(5001, True)
    changed["versions"].append({"note": "Engrossed", "date": "2025-08-30",
                                "links": [{"url": f"{api.base}/files/HB5001b.txt", "media_type": "text/plain"}]})  # fmt: skip
    changed["updated_at"] = api.tick()
    api.calls.clear()
    third = run("watch", "scan", "TX", "--store", store)
    assert "1 text fetched" in third.stderr and "8 of 26 bills" in third.stderr
    assert [c for c in api.calls if c.startswith("/files/")] == ["/files/HB5001b.txt"]


def test_the_key_and_provider_can_come_from_the_config_file(api, tmp_path, monkeypatch):
    """[tracking] in the config file: the key and the provider are read from it (the
    environment wins), never written; a provider it cannot name is one line."""
    config = tmp_path / "lssc-legal.toml"
    config.write_text(f'[tracking]\nprovider = "openstates"\nopenstates_key = "{KEY}"\n')
    monkeypatch.setenv("LSSC_LEGAL_CONFIG", str(config))
    monkeypatch.delenv("OPENSTATES_API_KEY")
    monkeypatch.setenv("LEGISCAN_API_KEY", "a-legiscan-key")  # the config names Open States
    out = tmp_path / "c"
    done = run("fetch", "TX SB 11", "--session", "892", "-o", out)
    assert done.exit_code == 0, done.output
    assert KEY.encode() not in (out / STORE_NAME).read_bytes() and KEY not in done.output
    monkeypatch.setenv("OPENSTATES_API_KEY", "from-the-environment")
    refused = run("fetch", "TX SB 11", "--session", "892", "-o", tmp_path / "e")
    assert refused.exit_code == 4 and "Invalid API Key" in refused.stderr
    config.write_text('[tracking]\nprovider = "billtrack50"\n')
    bad = run("fetch", "TX SB 11", "-o", tmp_path / "b")
    assert bad.exit_code != 0 and "provider is legiscan or openstates" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_amendments_among_the_documents_are_fetched_and_fiscal_notes_are_not(api, tmp_path):
    from .test_fetch import AMENDMENT

    api.files["SB11-fa1.txt"], api.files["SB11-fn.pdf"] = AMENDMENT, b"%PDF-1.4 fiscal %%EOF"
    api.bills["5b6a4c1e-0000-0000-0000-000000000011"]["documents"] = [
        {"note": "Fiscal Note (Introduced)", "date": "",
         "links": [{"url": f"{api.base}/files/SB11-fn.pdf", "media_type": "application/pdf"}]},
        {"note": "House Floor Amendment 1", "date": "",
         "links": [{"url": f"{api.base}/files/SB11-fa1.txt", "media_type": "text/plain"}]},
        {"note": "Fiscal Note (As Amended)", "date": "",
         "links": [{"url": f"{api.base}/files/SB11-fn.pdf", "media_type": "application/pdf"}]},
    ]  # fmt: skip
    out = tmp_path / "sb11"
    done = run("fetch", "TX SB 11", "--session", "892", "-o", out)
    assert done.exit_code == 0 and "6 fetched" in done.stderr, done.output
    assert "/files/SB11-fa1.txt" in api.calls and "/files/SB11-fn.pdf" not in api.calls
    assert [r[2] for r in fetched(out / STORE_NAME)][-1] == "House Floor Amendment 1"
    [saved] = (out / "amendments").iterdir()
    assert saved.read_bytes() == AMENDMENT and saved.name.startswith("TX-SB11-2025-house-floor-")


def test_two_sessions_scanned_into_one_store_are_kept_apart(api, tmp_path):
    """Scanning the 2nd called session and then the regular one: the regular session's
    bills, changed before anything of the called session, are all listed, and each list
    holds its own session's bills only."""
    from .test_fetch import _session_bill

    for n in range(3):
        name = f"HB{700 + n}.txt"
        api.files[name] = _session_bill(700 + n, n == 0)
        uuid = f"89000000-0000-0000-0000-{n:012d}"
        api.add_bill(uuid, "89", f"HB {700 + n}", [{"note": "Introduced", "date": "2025-03-01",
                     "links": [{"url": f"{api.base}/files/{name}", "media_type": "text/plain"}]}])  # fmt: skip
        api.bills[uuid]["updated_at"] = f"2025-06-0{n + 1}T00:00:00+00:00"  # before the 892 bills
    store = tmp_path / "s.sqlite"
    called = run("watch", "scan", "TX", "--store", store, "-o", tmp_path / "892.json")
    assert called.exit_code == 0, called.output
    assert json.loads((tmp_path / "892.json").read_text())["bills"] == 1  # S.B. 11
    regular = run("watch", "scan", "TX", "--session", "2025", "--store", store,
                  "-o", tmp_path / "89.json")  # fmt: skip
    assert regular.exit_code == 0, regular.output
    data = json.loads((tmp_path / "89.json").read_text())
    assert data["bills"] == 3 and data["fetched"] == 3
    assert [f["bill"] for f in data["flagged"]] == ["TX HB700"]


def test_a_first_scan_stopped_by_the_daily_limit_goes_on_the_next_day(api, tmp_path):
    """The daily limit reached on the second page of a session's list: the bills of the
    first page are kept, and the next scan asks only for the rest (updated_since), so a
    session larger than a day's calls is read over several days."""
    from .test_fetch import _session_bill

    for n in range(25):
        name = f"HB{6000 + n}.txt"
        api.files[name] = _session_bill(6000 + n, n % 5 == 0)
        api.add_bill(f"00000000-0000-0000-0000-{n:012d}", "892", f"HB {6000 + n}",
                     [{"note": "Introduced", "date": "2025-08-20", "links": [
                         {"url": f"{api.base}/files/{name}", "media_type": "text/plain"}]}])  # fmt: skip
    store = tmp_path / "s.sqlite"
    api.faults = ["", "", "429day"]  # sessions, page 1, then the day is spent
    stopped = run("watch", "scan", "TX", "--store", store)
    assert stopped.exit_code == 4 and "250 requests a day" in stopped.stderr
    with Store(store, readonly=True) as s:
        kept = s.scanned("openstates", "TX", "892")
    assert len(kept) == 20 and all(h for h, _, _ in kept.values())  # the first page
    api.calls.clear()
    again = run("watch", "scan", "TX", "--store", store, "-o", tmp_path / "list.json")
    assert again.exit_code == 0, again.output
    data = json.loads((tmp_path / "list.json").read_text())
    assert data["bills"] == 26 and data["fetched"] == 6  # the rest, not the first 20 again
    listing = next(c for c in api.calls if c.startswith("/bills?"))
    assert listing.split("&")[1].startswith("updated_since=")
    assert {f["bill"] for f in data["flagged"]} == {f"TX HB{6000 + n}" for n in range(0, 25, 5)}
