"""`watch scan` of a 200-bill session: does it list exactly the bills `batch` finds with
preemptive or punitive provisions on the same files, and how long do the first scan and the
next (nothing changed) take?

    python benchmarks/scan.py [--bills 200] [--jobs 2]

The session is real: the first --bills Missouri 2024 texts of ../shared/corpus-real (each
bill's text as the legislature published it), served by a local stand-in that answers as
the LegiScan API documents (getMasterList, getBill, getBillText). Each scan is the command
a user types (`lssc-legal watch scan MO --store S --jobs N -o list.json`), timed from
process start to exit; then `lssc-legal batch` runs over the folder the scan filled, into
another store, and the two lists of bills are compared.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parent.parent
MO = ROOT.parent / "shared" / "corpus-real" / "IndigoW0lf__show-me-resistance-backend"
KEY = "benchmark-key"
sys.path.insert(0, str(ROOT))
from lssc_legal.batch.store import Store  # noqa: E402
from lssc_legal.models import PREEMPTIVE  # noqa: E402


def serve(bills: dict[int, tuple[str, bytes]], calls: list[str]) -> ThreadingHTTPServer:
    """A stand-in for LegiScan holding `bills` (bill_id -> (number, text))."""

    def answer(q: dict[str, str]) -> dict[str, Any]:
        op = q.get("op", "")
        calls.append(op)
        if q.get("key") != KEY:
            return {"status": "ERROR", "alert": {"message": "Invalid API key"}}
        if op == "getMasterList":
            listed = {
                str(i): {"bill_id": b, "number": n, "change_hash": hashlib.md5(t).hexdigest()}
                for i, (b, (n, t)) in enumerate(bills.items())
            }
            return {"status": "OK", "masterlist": {"session": {"session_id": 2024}, **listed}}
        if op == "getBill":
            b = int(q["id"])
            number, text = bills[b]
            md5 = hashlib.md5(text).hexdigest()
            return {"status": "OK", "bill": {
                "bill_id": b, "state": "MO", "bill_number": number, "title": "",
                "change_hash": md5,
                "session": {"session_name": "2024 Regular Session", "year_start": 2024},
                "texts": [{"doc_id": 10_000 + b, "date": "2024-01-03", "type": "Introduced",
                           "mime": "text/plain", "text_hash": md5}]}}  # fmt: skip
        if op == "getBillText":
            text = bills[int(q["id"]) - 10_000][1]
            return {"status": "OK", "text": {"doc": base64.b64encode(text).decode()}}
        return {"status": "ERROR", "alert": {"message": f"unknown op {op}"}}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
            body = json.dumps(answer(query)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def cli(args: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "lssc_legal", *args], env=env, check=False,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bills", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    texts = MO / "extracted_text"
    if not texts.is_dir():
        print(f"skipped: {texts} is not present")
        return
    files = sorted(texts.glob("*.md"))[: args.bills]
    bills = {
        i + 1: (f.name.split("_")[0], f.read_bytes()) for i, f in enumerate(files)
    }  # fmt: skip
    calls: list[str] = []
    server = serve(bills, calls)
    port = server.server_address[1]
    env = {**os.environ, "LEGISCAN_API_KEY": KEY, "LSSC_LEGISCAN_URL": f"http://127.0.0.1:{port}/"}
    env.pop("OPENSTATES_API_KEY", None)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store, listing = root / "scan.sqlite", root / "list.json"
        scan = ["watch", "scan", "MO", "--store", str(store), "--jobs", str(args.jobs)]
        first = cli([*scan, "-o", str(listing)], env)
        n_first = len(calls)
        listed = {f["bill"].split()[1] for f in json.loads(listing.read_text())["flagged"]}
        calls.clear()
        second = cli(scan, env)
        n_second = len(calls)
        folder = root / "bills" / "MO"
        other = root / "batch.sqlite"
        cli(["batch", str(folder), "--store", str(other), "--jobs", str(args.jobs),
             "--state", "MO"], env)  # fmt: skip
        with Store(other, readonly=True) as results:
            rows = results.provisions(scope=sorted(PREEMPTIVE | {"punitive"}), confidence=["high"])
            paths = {r["path"] for r in rows}
        found = {Path(p).name.split("-")[1] for p in paths}
    server.shutdown()
    print(f"session: {len(bills)} real Missouri bills (2024), {args.jobs} workers")
    print(f"first scan: {first:.1f} s ({n_first} API calls); bills listed: {len(listed)}")
    print(f"second scan, nothing changed: {second:.1f} s ({n_second} API call)")
    print(f"batch over the same files finds: {len(found)} bills")
    same = listed == found
    print(f"the same bills: {'yes' if same else 'NO'}")
    if not same:
        print(f"  only the scan: {sorted(listed - found)}; only batch: {sorted(found - listed)}")


if __name__ == "__main__":
    main()
