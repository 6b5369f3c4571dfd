"""The results store under any input: only this tool's store (or a new or empty file) is
opened, anything else is refused in one line and left byte for byte as it was; any file
name works; reading leaves nothing beside the store; `query --sql` is bounded in time and
size and writes every SQLite value in every format."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lssc_legal.batch import store as store_module
from lssc_legal.batch.store import APPLICATION_ID, STORE_NAME
from lssc_legal.cli import cli

from .conftest import HERE

BILLS = 2
PROVISIONS_EACH = 7  # what the leave bill below holds (checked in `built`)


def run(*args: str | Path):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_line_error(result, code: int, message: str) -> None:
    assert result.exit_code == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and message in lines[0], lines[0]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> dict[str, str]:
    """Every file of `folder` with its hash: what a command must leave as it was."""
    return {p.name: digest(p) for p in sorted(folder.iterdir()) if p.is_file()}


def sidecars(path: Path) -> list[str]:
    return [p.name for p in path.parent.glob(f"{glob_escape(path.name)}-*")]


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


@pytest.fixture(scope="module")
def bills(tmp_path_factory) -> Path:
    """Two small text bills (the Texas leave bill, numbered apart)."""
    folder = tmp_path_factory.mktemp("safety") / "bills"
    folder.mkdir()
    spec = (HERE / "fixtures" / "specs" / "tx_hb_leave.txt").read_text().split("---\n")[1]
    body = re.sub(r"\{-.*?-\}", "", spec).replace("{+", "").replace("+}", "").replace("> ", "")
    for i in range(BILLS):
        head = f"H.B. No. {3000 + i}\nA BILL TO BE ENTITLED\nAN ACT\nrelating to leave {i}.\n"
        (folder / f"hb{3000 + i}.txt").write_text(head + body)
    return folder


@pytest.fixture(scope="module")
def built(bills: Path, tmp_path_factory) -> Path:
    """A store written by batch, kept aside: each test reads or writes a copy."""
    store = tmp_path_factory.mktemp("built") / "s.sqlite"
    result = run("batch", bills, "--jobs", "1", "--store", store)
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(f"file:{store}?immutable=1", uri=True) as db:
        count = db.execute("SELECT count(*) FROM current_provisions").fetchone()[0]
    assert count == BILLS * PROVISIONS_EACH
    return store


@pytest.fixture
def store(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store" / STORE_NAME
    copy.parent.mkdir()
    shutil.copy(built, copy)
    return copy


def foreign(path: Path, *, wal: bool = False, app_id: int = 0, tables: str = "notes") -> Path:
    """Another program's SQLite database (closed, so nothing is left beside it)."""
    db = sqlite3.connect(path)
    if wal:
        db.execute("PRAGMA journal_mode = WAL")
    if app_id:
        db.execute(f"PRAGMA application_id = {app_id}")
    for table in tables.split():
        db.execute(f"CREATE TABLE {table} (x)")
        db.execute(f"INSERT INTO {table} VALUES ('a row of the other program')")
    db.commit()
    db.close()
    return path


def old_store(built: Path, path: Path, schema: str = "2") -> Path:
    """A store as the tool wrote it before stores were marked (application_id 0)."""
    shutil.copy(built, path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA application_id = 0")
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (schema,))
    db.commit()
    db.close()
    return path


def application_id(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[68:72], "big")


# -- what is not a results store is refused and left as it was ---------------------------


def _text_file(path: Path) -> Path:
    path.write_text("a lawyer's notes, not a database\n")
    return path


def _pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    return path


REFUSED = "is not a results store"
FOREIGN = "another program's SQLite database; it was left unchanged"


@pytest.mark.parametrize(
    ("make", "command", "code", "message"),
    [
        (lambda p, b: foreign(p), "batch", 2, FOREIGN),
        (lambda p, b: foreign(p), "query", 2, FOREIGN),
        (lambda p, b: foreign(p), "appendix", 2, FOREIGN),
        (lambda p, b: foreign(p, wal=True), "batch", 2, FOREIGN),
        (lambda p, b: foreign(p, wal=True), "query", 2, FOREIGN),
        (lambda p, b: foreign(p, app_id=0x12345678), "batch", 2, FOREIGN),
        (lambda p, b: foreign(p, tables="bills files"), "batch", 2, FOREIGN),
        (lambda p, b: foreign(p, tables="meta bills files provisions provision_terms"),
         "batch", 2, FOREIGN),
        (lambda p, b: _text_file(p), "batch", 2, f"{REFUSED} (not a SQLite file)"),
        (lambda p, b: _text_file(p), "query", 2, f"{REFUSED} (not a SQLite file)"),
        (lambda p, b: _pdf(p), "batch", 2, f"{REFUSED} (not a SQLite file)"),
        (lambda p, b: old_store(b, p, schema="1"), "batch", 2, "store schema 1"),
        (lambda p, b: old_store(b, p, schema="1"), "query", 2, "store schema 1"),
        (lambda p, b: shutil.copy(b, p), "query -o", 1, "is a file this command reads"),
    ],
    ids=[
        "foreign-batch", "foreign-query", "foreign-appendix",
        "foreign-wal-batch", "foreign-wal-query", "foreign-app-id-batch",
        "foreign-some-store-tables-batch", "foreign-store-tables-no-schema-row-batch",
        "text-batch", "text-query", "pdf-batch", "schema1-batch", "schema1-query",
        "query-o-the-store",
    ],
)  # fmt: skip
def test_what_is_not_this_tools_store_is_refused_and_left_unchanged(
    make, command, code, message, bills: Path, built: Path, tmp_path: Path
):
    folder = tmp_path / "given"
    folder.mkdir()
    path = folder / "given.sqlite"
    make(path, built)
    before = listing(folder)
    if command == "batch":
        result = run("batch", bills, "--jobs", "1", "--store", path)
    elif command == "appendix":
        result = run("appendix", "--store", path, "-o", tmp_path / "a.docx")
    elif command == "query -o":
        result = run("query", "--store", path, "--format", "csv", "-o", path)
    else:
        result = run("query", "--store", path, "--format", "json")
    one_line_error(result, code, message)
    assert str(path) in result.stderr  # names the file
    assert listing(folder) == before  # byte for byte, and no -wal, -shm or other file
    assert not (tmp_path / "a.docx").exists()


# -- empty files and stores written before the mark ----------------------------------------


def test_an_empty_file_becomes_a_store_but_is_not_one_to_read(bills: Path, tmp_path: Path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    one_line_error(run("query", "--store", path), 2, "is empty, not a results store")
    assert path.read_bytes() == b"" and sidecars(path) == []
    result = run("batch", bills, "--jobs", "1", "--store", path)
    assert result.exit_code == 0, result.stderr
    assert application_id(path) == APPLICATION_ID


def test_a_store_written_before_the_mark_is_read_as_it_is_and_marked_by_a_batch(
    bills: Path, built: Path, tmp_path: Path
):
    path = old_store(built, tmp_path / "old.sqlite")
    before = listing(tmp_path)
    result = run("query", "--store", path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == BILLS * PROVISIONS_EACH
    assert listing(tmp_path) == before  # reading does not mark it
    result = run("batch", bills, "--jobs", "1", "--store", path)
    assert result.exit_code == 0, result.stderr
    assert f"{BILLS} unchanged" in result.stderr  # its results were kept
    assert application_id(path) == APPLICATION_ID


# -- any file name ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["a#b.sqlite", "a?b.sqlite", "a%b.sqlite", "a%20b.sqlite", "a b.sqlite", "file:a.sqlite",
     "a?mode=memory.sqlite", "ä#1%25?x=y.sqlite"],
)  # fmt: skip
def test_a_store_of_any_name_is_written_and_read_with_nothing_beside_it(
    name: str, bills: Path, tmp_path: Path
):
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / name
    result = run("batch", bills, "--jobs", "1", "--store", path)
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in folder.iterdir()] == [name]  # no stray file (`a` for `a#b`)
    before = listing(folder)
    for fmt in ("json", "csv"):
        result = run("query", "--store", path, "--format", fmt)
        assert result.exit_code == 0, result.stderr
    assert len(json.loads(run("query", "--store", path, "--format", "json").stdout)) == (
        BILLS * PROVISIONS_EACH
    )
    assert listing(folder) == before


# -- reading leaves nothing beside the store --------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["query", "--format", "json"],
        ["query", "--state", "TX", "--kind", "punitive"],
        ["query", "--failed"],
        ["query", "--sql", "SELECT count(*) FROM current_provisions"],
        ["query", "--sql", "WITH x AS (SELECT 1) DELETE FROM bills"],  # refused: read-only
        ["query", "--sql", "SELECT nonsense FROM nowhere"],
        ["appendix", "-o", "{out}/appendix.docx"],
    ],
)
def test_reading_leaves_the_store_and_its_folder_as_they_were(
    args: list[str], store: Path, tmp_path: Path
):
    before = listing(store.parent)
    args = [a.format(out=tmp_path) for a in args]
    result = run(*args[:1], "--store", store, *args[1:])
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert listing(store.parent) == before
    with sqlite3.connect(f"file:{store}?immutable=1", uri=True) as db:
        assert db.execute("SELECT count(*) FROM bills").fetchone()[0] == BILLS


def test_a_store_a_batch_has_open_is_read_and_its_wal_left_to_the_batch(store: Path):
    writer = sqlite3.connect(store)  # as a running batch holds it: -wal and -shm exist
    try:
        writer.execute("SELECT count(*) FROM bills").fetchone()
        assert sorted(sidecars(store)) == [f"{STORE_NAME}-shm", f"{STORE_NAME}-wal"]
        result = run("query", "--store", store, "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert len(json.loads(result.stdout)) == BILLS * PROVISIONS_EACH
        assert sorted(sidecars(store)) == [f"{STORE_NAME}-shm", f"{STORE_NAME}-wal"]
    finally:
        writer.close()
    assert sidecars(store) == []


# -- query --sql: bounded, and every value written ---------------------------------------


def _cte(limit: int | None, select: str = "x") -> str:
    end = f" LIMIT {limit}" if limit else ""
    return (
        f"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c{end}) "
        f"SELECT {select} FROM c"
    )


@pytest.mark.parametrize(
    ("sql", "limits", "message"),
    [
        (_cte(None, "count(*)"), {"SQL_SECONDS": 0.25}, "ran past the 0.25 s limit"),
        (_cte(None), {"SQL_SECONDS": 0.25}, "ran past the 0.25 s limit"),
        ("SELECT zeroblob(2000000000)", {}, "over the 32 MB limit"),
        ("SELECT zeroblob(100000000)", {}, "over the 32 MB limit"),
        ("SELECT replace(printf('%.*c', 20000000, 'x'), 'x', 'xx')", {}, "over the 32 MB limit"),
        (_cte(None, "group_concat(x)"), {"SQL_SECONDS": 0.5}, ""),  # the first limit it meets
        (_cte(5000), {"SQL_MAX_ROWS": 1000}, "is over 1,000 rows"),
        (_cte(100, "zeroblob(100000)"), {"SQL_MAX_BYTES": 2**20}, "is over 1 MB"),
        ("SELECT " + ", ".join(["zeroblob(30000000)"] * 20), {}, "over 512 MB of memory"),
    ],
    ids=["cte-count", "cte-rows", "zeroblob-2e9", "zeroblob-1e8", "replace", "group-concat",
         "rows", "bytes", "wide-row"],
)  # fmt: skip
def test_sql_that_would_run_forever_or_take_all_memory_stops_in_one_line(
    sql: str, limits: dict, message: str, store: Path, monkeypatch
):
    for name, value in limits.items():
        monkeypatch.setattr(store_module, name, value)
    budget = limits.get("SQL_SECONDS", 10)
    # A watchdog: should the time limit fail, the query is interrupted and the test fails
    # (rather than running for ever).
    opened: list[store_module.Store] = []
    real_init = store_module.Store.__init__

    def init(self, *args, **kwargs) -> None:
        real_init(self, *args, **kwargs)
        opened.append(self)

    monkeypatch.setattr(store_module.Store, "__init__", init)
    watchdog = threading.Timer(budget + 20, lambda: [s.db.interrupt() for s in opened])
    before = listing(store.parent)
    start = time.monotonic()
    watchdog.start()
    try:
        result = run("query", "--store", store, "--format", "json", "--sql", sql)
    finally:
        watchdog.cancel()
    seconds = time.monotonic() - start
    one_line_error(result, 2, message)
    assert str(store) in result.stderr
    assert seconds < budget + 5
    assert listing(store.parent) == before


def test_a_value_near_the_limit_is_still_given(store: Path):
    result = run("query", "--store", store, "--format", "json", "--sql",
                 "SELECT length(printf('%.*c', 30000000, 'x')) AS n")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [{"n": 30_000_000}]


SQL_VALUES = (
    "SELECT x'00ff10' AS b, x'' AS e, 'text' AS t, 7 AS i, 2.5 AS r, NULL AS n, 1e999 AS inf, "
    "CAST(x'ff41' AS TEXT) AS bad"
)
EXPECTED = {"b": "X'00FF10'", "e": "X''", "t": "text", "i": 7, "r": 2.5, "n": None,
            "inf": "Inf", "bad": "\ufffdA"}  # fmt: skip


@pytest.mark.parametrize(
    ("fmt", "to_file"),
    [("json", False), ("json", True), ("jsonl", False), ("jsonl", True), ("csv", False),
     ("csv", True), ("table", False)],
)  # fmt: skip
def test_every_sqlite_value_type_is_written_in_every_format(
    fmt: str, to_file: bool, store: Path, tmp_path: Path
):
    out = tmp_path / f"out.{fmt}"
    result = run("query", "--store", store, "--format", fmt, "--sql", SQL_VALUES,
                 *(["-o", out] if to_file else []))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "internal error" not in result.stderr
    text = out.read_text(encoding="utf-8-sig") if to_file else result.stdout
    if fmt == "json":
        assert json.loads(text) == [EXPECTED]
    elif fmt == "jsonl":
        assert [json.loads(line) for line in text.splitlines()] == [EXPECTED]
    elif fmt == "csv":
        [row] = list(csv.DictReader(io.StringIO(text)))
        assert row == {k: "" if v is None else str(v) for k, v in EXPECTED.items()}
    else:
        for value in ("X'00FF10'", "text", "2.5", "Inf"):
            assert value in text
