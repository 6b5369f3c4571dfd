"""Batch and the results store: parallel analysis, re-runs, resuming, bad files, query."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lssc_legal import __version__
from lssc_legal.analyze import analyze_bill
from lssc_legal.batch import default_store, plan_batch
from lssc_legal.batch.store import STORE_NAME, Store
from lssc_legal.cli import cli
from lssc_legal.corpusdir import fingerprint
from lssc_legal.ingest import read_bill
from lssc_legal.ingest.files import bill_files

from .conftest import HERE, real

CORPUS = HERE.parent / "corpus"


@pytest.fixture
def bills(tmp_path: Path, generated) -> Path:
    return _session_folder(tmp_path / "bills", generated)


def _session_folder(folder: Path, generated) -> Path:
    """A session's folder: the generated bill of every core state (Senate bills in a
    subfolder) and a file that only claims to be a PDF."""
    (folder / "senate").mkdir(parents=True)
    for name, (pdf, _) in generated.items():
        dest = folder / ("senate" if "_sb_" in name else "") / pdf.name
        shutil.copy(pdf, dest)
    (folder / "broken.pdf").write_text("not a pdf at all")
    (folder / ".hidden.pdf").write_text("ignored")
    (folder / "notes.rtf").write_text("ignored: not a bill format")
    return folder


def run(*args: str | Path):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_batch_stores_every_bill_and_records_the_bad_one(bills: Path):
    result = run("batch", bills, "--jobs", "2")
    assert result.exit_code == 3, result.stderr  # finished, with a failure to report
    files = bill_files([bills])
    assert len(files) == 9  # 8 states + broken.pdf; hidden and .rtf files left out
    assert "9 bill files" in result.stderr and "8 analyzed" in result.stderr
    assert f"failed: {bills / 'broken.pdf'}: the file is named .pdf but is not a PDF" in (
        result.stderr
    )
    store = bills / STORE_NAME
    with Store(store, readonly=True) as s:
        assert s.counts()[0] == 8
        [(path, reason)] = s.failures()
        assert path == str(bills / "broken.pdf") and "is not a PDF" in reason
        # each stored analysis is what analyze gives for that file
        for f in files[:3]:
            if f.name == "broken.pdf":
                continue
            direct = analyze_bill(read_bill(f)).to_dict()
            stored = next(s.analyses([direct["bill"]["sha256"]]))
            assert stored["provisions"] == direct["provisions"]
            assert stored["bill"]["citation"] == direct["bill"]["citation"]
        n = s.db.execute("SELECT count(*) FROM current_provisions").fetchone()[0]
        total = sum(len(a["provisions"]) for a in s.analyses())
        assert n == total > 20
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_second_run_skips_unchanged_files_and_an_edited_file_is_read_again(bills: Path):
    run("batch", bills, "--jobs", "2")
    again = run("batch", bills)
    assert "0 analyzed" in again.stderr and "8 unchanged (skipped)" in again.stderr
    assert "failed before and unchanged" in again.stderr  # the bad file is still reported
    # an edited bill is analyzed again; the stale analysis goes
    target = bills / "tx_hb_leave.pdf"
    old_sha = read_bill(target).sha256
    shutil.copy(bills / "fl_hb_wages.pdf", target)
    third = run("batch", bills)
    assert "0 analyzed" in third.stderr and "7 unchanged" in third.stderr
    assert "1 copy of another file" in third.stderr
    with Store(bills / STORE_NAME, readonly=True) as s:
        assert list(s.analyses([old_sha])) == []
        gone = s.db.execute("SELECT count(*) FROM bills WHERE sha256 = ?", (old_sha,))
        assert gone.fetchone() == (0,)
        assert s.counts()[0] == 7  # two files now hold the same text: one bill


def test_retry_failed_tries_the_bad_file_again(bills: Path):
    run("batch", bills)
    (bills / "broken.pdf").unlink()
    shutil.copy(CORPUS / "examples" / "tx_hb4312.pdf", bills / "broken.pdf")
    # the file changed, so it is read again even without --retry-failed: it now holds the
    # text of tx_hb_leave.pdf (the example bill is drawn from that spec)
    result = run("batch", bills)
    assert result.exit_code == 0 and "0 failed" in result.stderr
    assert "copy: " in result.stderr


def test_a_new_tool_version_or_corpus_reanalyzes(bills: Path, tmp_path: Path):
    run("batch", bills)
    files = bill_files([bills])
    with Store(bills / STORE_NAME) as s:
        same = plan_batch(files, s, fingerprint(None))
        assert same.todo == [] and len(same.done) == 9
        newer = plan_batch(files, s, fingerprint(None), tool_version=__version__ + ".1")
        assert len(newer.todo) == 9  # the broken file too: a new version may read it
        corpus = tmp_path / "corpus"
        shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("examples"))
        patterns = corpus / "patterns" / "express.json"
        patterns.write_text(patterns.read_text() + "\n")
        assert fingerprint(corpus) != fingerprint(None)
        assert len(plan_batch(files, s, fingerprint(corpus)).todo) == 9
        assert fingerprint(None, "tx") == fingerprint(None) + "+TX"


def test_copies_are_analyzed_once(bills: Path):
    shutil.copy(bills / "tx_hb_leave.pdf", bills / "copy of tx_hb_leave.pdf")
    result = run("batch", bills)
    assert "1 copy of another file (analyzed once)" in result.stderr
    assert f"copy: {bills / 'tx_hb_leave.pdf'} holds the same text as" in result.stderr


def test_jsonl_streams_one_analysis_per_bill_on_every_run(bills: Path, tmp_path: Path):
    store = tmp_path / "results.sqlite"
    for _ in range(2):
        result = run("batch", bills, "--store", store, "--format", "jsonl")
        lines = result.stdout.splitlines()
        assert len(lines) == 8
        objects = [json.loads(line) for line in lines]
        assert {o["schema"] for o in objects} == {"lssc-legal/analysis/1"}
        assert len({o["bill"]["sha256"] for o in objects}) == 8
    assert not (bills / STORE_NAME).exists()  # --store was used instead


def test_default_store_is_beside_the_bills(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    files = [tmp_path / "a" / "x.pdf", tmp_path / "b" / "y.pdf"]
    for f in files:
        f.write_text("x")
    assert default_store([tmp_path / "a"]) == (tmp_path / "a" / STORE_NAME).resolve()
    assert default_store(files) == tmp_path.resolve() / STORE_NAME


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["batch", "nowhere"], 2, "nowhere: no such file or folder"),
        (["batch", "{empty}"], 2, "holds no bill files"),
        (["batch", "{bills}", "--store", "{bills}/missing/s.sqlite"], 1, "folder does not exist"),
        (["batch", "{bills}", "--store", "{bills}/tx_hb_leave.pdf"], 2, "is not a results store"),
        (["query", "--store", "{bills}/none.sqlite"], 2, "no such results store"),
        (["query", "--store", "{bills}/tx_hb_leave.pdf"], 2, "is not a results store"),
    ],
)
def test_bad_batch_input_is_one_line(bills: Path, tmp_path: Path, args, code, message):
    (tmp_path / "empty").mkdir()
    args = [a.format(bills=bills, empty=tmp_path / "empty") for a in args]
    before = (bills / "tx_hb_leave.pdf").read_bytes()
    result = run(*args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert (bills / "tx_hb_leave.pdf").read_bytes() == before  # inputs never modified


# -- resuming after kill -9 ----------------------------------------------------------


def test_a_batch_killed_mid_run_loses_only_files_in_flight(tmp_path: Path):
    """kill -9 the whole batch (main process and workers) while it writes; the store still
    opens and passes SQLite's integrity check, and the next run does only what is left."""
    folder = tmp_path / "many"
    folder.mkdir()
    spec = (HERE / "fixtures" / "specs" / "tx_hb_leave.txt").read_text().split("---\n")[1]
    body = re.sub(r"\{-.*?-\}", "", spec).replace("{+", "").replace("+}", "").replace("> ", "")
    total = 24
    for i in range(total):
        text = f"H.B. No. {3000 + i}\nA BILL TO BE ENTITLED\nAN ACT\nrelating to leave {i}.\n"
        (folder / f"hb{3000 + i}.txt").write_text(text + body * 3)
    store = tmp_path / "s.sqlite"
    command = [sys.executable, "-m", "lssc_legal", "batch", str(folder), "--jobs", "1",
               "--store", str(store)]  # fmt: skip
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    done = 0
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if store.exists():
                try:
                    with sqlite3.connect(store) as db:
                        done = db.execute("SELECT count(*) FROM bills").fetchone()[0]
                except sqlite3.OperationalError:
                    done = 0
                if done >= 3:
                    break
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert 3 <= done < total, "the batch should be killed part way"
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = db.execute("SELECT count(*) FROM bills").fetchone()[0]
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == kept
    assert kept >= done
    result = run("batch", folder, "--store", store, "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    assert f"{total - kept} analyzed" in result.stderr
    assert f"{kept} unchanged" in result.stderr
    with Store(store, readonly=True) as s:
        assert s.counts()[0] == total


# -- query -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, generated) -> Path:
    """The session folder analyzed once, for the tests that only query it (the store is
    opened read-only by `query`, which refuses to write)."""
    bills = _session_folder(tmp_path_factory.mktemp("queried") / "bills", generated)
    run("batch", bills, "--jobs", "2")
    return bills / STORE_NAME


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        (["--state", "TX"], lambda r: r["state"] == "TX"),
        (["--state", "texas"], lambda r: r["state"] == "TX"),
        (["--kind", "punitive"], lambda r: "punitive" in r["kinds"]),
        (["--subject", "labor"], lambda r: "labor." in r["subjects"]),
        (["--subject", "firearms"], lambda r: "firearms" in r["subjects"]),
        (["--penalty", "official_removal"], lambda r: "official_removal" in r["punitive"]),
        (["--markup", "deleted"], lambda r: r["markup"] == "deleted"),
        (["--text", "may not"], lambda r: "may not" in r["text"].lower()),
        (
            ["--state", "TX", "--state", "FL", "--kind", "express"],
            lambda r: r["state"] in ("TX", "FL") and "express" in r["kinds"],
        ),
    ],
)
def test_query_filters(store: Path, filters, check):
    result = run("query", "--store", store, *filters, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows, filters
    assert all(check(r) for r in rows)
    everything = json.loads(run("query", "--store", store, "--format", "json").stdout)
    assert len(rows) < len(everything)
    assert {"citation", "section", "pinpoint", "text", "path"} <= set(rows[0])


def test_query_table_csv_failed_and_sql(store: Path, tmp_path: Path):
    table = run("query", "--store", store, "--state", "TX", "--kind", "punitive")
    assert "H.B. 4312, 89th Leg., Reg. Sess. (Tex. 2025)" in table.stdout
    assert "attorney general may bring" in table.stdout
    out = tmp_path / "p.csv"
    assert run("query", "--store", store, "--format", "csv", "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("\ufeffcitation,section,pinpoint,kind,")
    failed = run("query", "--store", store, "--failed", "--format", "json")
    assert [r["path"] for r in json.loads(failed.stdout)] == [str(store.parent / "broken.pdf")]
    sql = run("query", "--store", store, "--format", "json", "--sql",
              "SELECT state, count(*) AS n FROM current_provisions GROUP BY state ORDER BY state")  # fmt: skip
    counts = {r["state"]: r["n"] for r in json.loads(sql.stdout)}
    assert set(counts) == {"AZ", "FL", "MO", "NC", "OK", "PA", "TN", "TX"}
    write = run("query", "--store", store, "--sql", "WITH x AS (SELECT 1) DELETE FROM bills")
    assert write.exit_code == 2 and "SQL failed" in write.stderr  # the connection is read-only
    assert "readonly" in write.stderr
    bad = run("query", "--store", store, "--subject", "guns")
    assert bad.exit_code == 2 and "is not a subject" in bad.stderr


def test_query_finds_the_store_in_the_current_folder(store: Path, monkeypatch):
    monkeypatch.chdir(store.parent)
    assert run("query", "--kind", "savings").exit_code == 0
    monkeypatch.chdir(store.parent / "senate")
    result = run("query")
    assert result.exit_code == 2 and "give --store PATH" in result.stderr


# -- real bills ---------------------------------------------------------------------------


def test_batch_over_real_bills(tmp_path: Path):
    pdfs = sorted(real("IndigoW0lf__show-me-resistance-backend", "pdf").glob("*.pdf"))[:12]
    texts = sorted(
        real("IndigoW0lf__show-me-resistance-backend", "extracted_text").glob("*_full_text.md")
    )[:12]
    folder = tmp_path / "mo"
    folder.mkdir()
    for f in pdfs + texts:
        os.symlink(f, folder / f.name)
    before = {f: (f.stat().st_mtime_ns, f.read_bytes()) for f in pdfs + texts}
    result = run("batch", folder, "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    assert "24 analyzed" in result.stderr
    with Store(folder / STORE_NAME, readonly=True) as s:
        cites = [a["bill"]["citation"] for a in s.analyses()]
        assert len(cites) == 24
        assert all(c and c.endswith("(Mo. 2024)") for c in cites if c), cites
        assert sum(bool(c) for c in cites) >= 20
    # the bills are read through links into the shared corpus: none is written to
    assert {f: (f.stat().st_mtime_ns, f.read_bytes()) for f in pdfs + texts} == before


def test_a_file_that_kills_its_worker_is_recorded_and_the_batch_goes_on(bills: Path, monkeypatch):
    """Files in flight when a worker dies are retried one at a time: the one that kills a
    worker on its own is recorded as the cause; the others are analyzed."""
    import lssc_legal.batch as batch_module

    from . import crashing_worker

    shutil.copy(bills / "tx_hb_leave.pdf", bills / "crash.pdf")
    (bills / "crash.pdf").write_bytes((bills / "crash.pdf").read_bytes() + b"\n% other\n")
    monkeypatch.setattr(batch_module, "_worker_call", crashing_worker.call)
    result = run("batch", bills, "--jobs", "2")
    assert result.exit_code == 3, result.stderr
    assert "8 analyzed" in result.stderr and "2 failed" in result.stderr
    assert f"failed: {bills / 'crash.pdf'}: the reader crashed on this file" in result.stderr


def test_a_batch_run_beside_a_folder_named_like_the_tool_uses_the_installed_tool(
    tmp_path: Path, generated
):
    """Run from a folder holding a `lssc_legal` folder (a checkout of the source, say), the
    workers still import the tool the command runs, not that folder."""
    decoy = tmp_path / "lssc_legal"
    decoy.mkdir()
    (decoy / "__init__.py").write_text("# a package of the same name, without the tool in it\n")
    bills = tmp_path / "bills"
    bills.mkdir()
    shutil.copy(generated["tx_hb_leave"][0], bills)
    script = Path(sys.executable).parent / "lssc-legal"
    result = subprocess.run(
        [str(script), "batch", str(bills), "--jobs", "1"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "1 analyzed" in result.stderr and "0 failed" in result.stderr


def test_a_corpus_the_workers_cannot_load_stops_the_batch_without_blaming_a_file(
    bills: Path, tmp_path: Path
):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns("examples"))
    (corpus / "patterns" / "express.json").write_text("{ not json")
    store = tmp_path / "s.sqlite"
    result = run("batch", bills, "--corpus", corpus, "--store", store)
    assert result.exit_code != 0
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("error: the analyzer could not start in a worker process:")
    assert "express.json" in line and "crashed" not in result.stderr
    with Store(store, readonly=True) as s:
        assert s.counts()[0] == 0 and s.failures() == []


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"states": ["TX", "FL"]},
        {"kinds": ["punitive"]},
        {"subjects": ["labor"]},
        {"subjects": ["fiscal", "firearms"]},
        {"penalties": ["official_removal", "fee_shifting"]},
        {"states": ["TX"], "kinds": ["express"], "subjects": ["labor"]},
    ],
)
def test_query_and_the_appendix_filter_alike(store: Path, filters: dict):
    """query and the appendix filter with one implementation (Store.provisions, in SQL):
    on the same store they pick the same provisions."""
    from lssc_legal.appendix import Filters, build_appendix
    from lssc_legal.models import PREEMPTIVE

    with Store(store, readonly=True) as s:
        queried = {
            (r["citation"], r["id"])
            for r in s.provisions(**filters)
            if set(r["kinds"].split(", ")) & (PREEMPTIVE | {"punitive"})  # the appendix's scope
        }
        made = build_appendix(s.analyses(), Filters(**filters))
    every = [*made.rows, *made.repealed_rows, *made.review_rows]
    listed = {(r["citation"], r["provision"]) for r in every}
    assert queried == listed and listed


def test_a_session_runs_a_whole_batch_without_the_cli(bills: Path):
    """batch.session plans and runs a batch for any caller (the CLI adds only a progress
    bar and the words): each outcome is handed on, and the tally counts them."""
    from lssc_legal.batch import session

    seen: list[str] = []
    with Store(bills / STORE_NAME) as s:
        tally = session(
            bill_files([bills]), s, fingerprint(None), jobs=2, each=lambda o: seen.append(o.status)
        )
    assert tally.counts["analyzed"] == 8 and len(tally.failed) == 1 and len(seen) == 9
    assert tally.pages > 0 and sorted(set(seen)) == ["analyzed", "failed"]


def test_an_empty_answer_is_one_line_not_an_empty_table(store: Path, tmp_path: Path, generated):
    none = run("query", "--store", store, "--text", "no bill says these words")
    assert none.exit_code == 0 and none.stdout.strip() == "Nothing matches."
    folder = tmp_path / "one"
    folder.mkdir()
    pdf = next(iter(generated.values()))[0]
    shutil.copy(pdf, folder / pdf.name)
    assert run("batch", folder).exit_code == 0
    clean = run("query", "--store", folder / STORE_NAME, "--failed")
    assert clean.exit_code == 0 and clean.stdout.strip() == "No file failed."
