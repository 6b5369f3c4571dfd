"""The results store: one SQLite file holding the analysis of every bill a batch has read.

Tables (docs/store.md has the full schema and example queries):

- `bills`: one row per bill text, keyed by the file's SHA-256, the tool version and the
  corpus fingerprint (the patterns, principles and model language that produced it); its
  metadata, its analysis JSON (`lssc-legal/analysis/1`), or the reason it failed.
- `files`: each path a batch has seen, the bill it holds (sha256) and the size and
  modification time that let a re-run skip it without reading it again.
- `provisions`: one row per provision of each analyzed bill, its lists joined with ", ".
- `provision_terms`: (provision, field, value) for exact queries on its lists: field is
  kind, subject, target, penalty, principle or rule.
- view `current_provisions`: provisions of the bills the files now hold, with the bill's
  state, citation and version: what `lssc-legal query` reads.
- `fetched`, `watched`, `scanned`: bill versions fetched from LegiScan, the watch list and
  the last session scan (lssc_legal.track).

Each result is written in its own transaction in WAL mode, so a batch killed at any moment
leaves a store that opens, holds every bill finished before the kill, and is resumed by the
next run. Only the batch's main process writes.

A store is marked as one by `PRAGMA application_id` (`APPLICATION_ID`, "LSSC") and its
`meta` row `schema`. A file is opened as a store only when it is new or empty, carries that
mark, or is a store written before the mark existed (its tables and `meta` schema row are
there; opening it for writing marks it): anything else, another program's SQLite database
or not a SQLite file, is refused and left unchanged. Stores are opened by `file:` URI with
the path percent-quoted, so `#`, `?` and `%` in a name are only characters of the name.
Reading leaves no `-wal` or `-shm` file beside a store that had none.

`query --sql` runs under limits (`SQL_SECONDS`, `SQL_MAX_VALUE`, `SQL_MAX_ROWS`,
`SQL_MAX_BYTES`, `SQL_MAX_MEMORY`), each a one-line `StoreError` when passed, and gives
every value as text, a number or None: a BLOB as SQLite writes it as a literal, `X'00FF'`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import OutputError, StoreError

SCHEMA = 2  # 2: provisions gained confidence, rationale and lead_in
STORE_NAME = "lssc-legal.sqlite"
APPLICATION_ID = 0x4C535343  # "LSSC": PRAGMA application_id of a results store

# Limits of `query --sql` (module constants, so that tests can shorten them).
SQL_SECONDS = 10.0  # time to run the statement and fetch its rows
SQL_MAX_VALUE = 32 * 2**20  # bytes of one string or BLOB (SQLITE_LIMIT_LENGTH)
SQL_MAX_ROWS = 1_000_000  # rows of the result
SQL_MAX_BYTES = 128 * 2**20  # bytes of the result, as text (a BLOB as its hex)
# SQLite's own memory (PRAGMA hard_heap_limit: for the process, as SQLite can only lower it).
SQL_MAX_MEMORY = 512 * 2**20

_SQLITE_MAGIC = b"SQLite format 3\x00"
_STORE_TABLES = frozenset({"meta", "bills", "files", "provisions", "provision_terms"})
# `fetched`, `watched` and `scanned` (lssc-legal fetch and watch) are made when a store is
# opened for writing: a store written before they existed is still a store. Columns added
# to them since are added then too (_ADDED).
_ADDED = {
    "fetched": [
        ("position", "INTEGER NOT NULL DEFAULT 0"),
        ("reported_at", "TEXT"),
        ("kind", "TEXT NOT NULL DEFAULT 'version'"),
    ],
    "watched": [
        ("session", "TEXT NOT NULL DEFAULT ''"),
        ("session_name", "TEXT NOT NULL DEFAULT ''"),
        ("year", "INTEGER NOT NULL DEFAULT 0"),
    ],
    "scanned": [("session", "TEXT NOT NULL DEFAULT ''")],
}

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bills (
    sha256 TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    corpus TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('analyzed', 'failed')),
    error TEXT,
    source TEXT NOT NULL,
    format TEXT,
    pages INTEGER,
    state TEXT,
    chamber TEXT,
    number TEXT,
    session TEXT,
    year INTEGER,
    version TEXT,
    title TEXT,
    citation TEXT,
    provisions INTEGER,
    findings INTEGER,
    analysis TEXT,
    seconds REAL,
    analyzed_at TEXT NOT NULL,
    PRIMARY KEY (sha256, tool_version, corpus)
);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    seen_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS provisions (
    sha256 TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    corpus TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    kinds TEXT NOT NULL,
    subjects TEXT NOT NULL,
    targets TEXT NOT NULL,
    punitive TEXT NOT NULL,
    effect TEXT,
    markup TEXT NOT NULL,
    section TEXT,
    start_page INTEGER,
    start_line INTEGER,
    end_page INTEGER,
    end_line INTEGER,
    text TEXT NOT NULL,
    rules TEXT NOT NULL,
    principles TEXT NOT NULL,
    confidence TEXT NOT NULL DEFAULT 'high' CHECK (confidence IN ('high', 'review')),
    rationale TEXT NOT NULL DEFAULT '',
    lead_in TEXT,
    PRIMARY KEY (sha256, tool_version, corpus, id),
    FOREIGN KEY (sha256, tool_version, corpus)
        REFERENCES bills (sha256, tool_version, corpus) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS provision_terms (
    sha256 TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    corpus TEXT NOT NULL,
    provision TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    FOREIGN KEY (sha256, tool_version, corpus)
        REFERENCES bills (sha256, tool_version, corpus) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS fetched (
    provider TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    bill_id TEXT NOT NULL,
    state TEXT NOT NULL,
    bill_number TEXT NOT NULL,
    session TEXT,
    version TEXT,
    date TEXT,
    mime TEXT,
    md5 TEXT,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    reported_at TEXT,
    kind TEXT NOT NULL DEFAULT 'version',
    PRIMARY KEY (provider, doc_id)
);
CREATE TABLE IF NOT EXISTS watched (
    provider TEXT NOT NULL,
    state TEXT NOT NULL,
    bill_number TEXT NOT NULL,
    bill_id TEXT NOT NULL,
    folder TEXT NOT NULL,
    change_hash TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    checked_at TEXT,
    session TEXT NOT NULL DEFAULT '',
    session_name TEXT NOT NULL DEFAULT '',
    year INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (provider, bill_id)
);
CREATE TABLE IF NOT EXISTS scanned (
    provider TEXT NOT NULL,
    bill_id TEXT NOT NULL,
    state TEXT NOT NULL,
    bill_number TEXT NOT NULL,
    change_hash TEXT NOT NULL,
    path TEXT,
    checked_at TEXT NOT NULL,
    session TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (provider, bill_id)
);
CREATE INDEX IF NOT EXISTS terms_by_value ON provision_terms (field, value);
CREATE INDEX IF NOT EXISTS terms_by_provision
    ON provision_terms (sha256, tool_version, corpus, provision);
CREATE INDEX IF NOT EXISTS files_by_sha ON files (sha256);
CREATE VIEW IF NOT EXISTS current_bills AS
    SELECT * FROM bills WHERE sha256 IN (SELECT sha256 FROM files);
CREATE VIEW IF NOT EXISTS current_provisions AS
    SELECT b.state, b.citation, b.version, b.source, b.title, p.*
    FROM provisions p JOIN current_bills b USING (sha256, tool_version, corpus)
    WHERE b.status = 'analyzed';
"""

# The list fields of a provision that provision_terms spells out, one row per value.
_TERMS = {
    "kind": "kinds",
    "subject": "subjects",
    "target": "targets",
    "penalty": "punitive",
    "principle": "principles",
    "rule": "rules",
}


@dataclass(frozen=True)
class Fetched:
    """A published version of a bill, fetched from a provider (table `fetched`)."""

    provider: str  # "legiscan"
    doc_id: str
    bill_id: str
    state: str
    bill_number: str  # "HB2127"
    session: str | None
    version: str | None  # the provider's name for it: "Introduced", "Comm Sub", ...
    date: str | None
    mime: str | None
    md5: str | None
    sha256: str
    path: str
    position: int = 0  # its place in the provider's list of versions (same-day order)
    kind: str = "version"  # or "amendment": offered to the bill, not a text of it


@dataclass(frozen=True)
class Watched:
    """A bill on the watch list (table `watched`)."""

    provider: str
    state: str
    bill_number: str
    bill_id: str
    folder: str
    change_hash: str = ""
    checked_at: str | None = None
    session: str = ""  # the provider's session name or identifier
    session_name: str = ""  # as a reader names it
    year: int = 0  # the year the session began


@dataclass(frozen=True)
class Known:
    """What the store knows of a file from an earlier run."""

    sha256: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Stored:
    """What a re-run needs of a bill row: analyzed, or failed (with its reason)."""

    status: str
    error: str | None
    pages: int | None


def _names_session(w: Watched, said: str) -> bool:
    """Whether the words `said` name the watched bill's session: the provider's id or the
    session's name, whole; a year (the sessions that began in it); LegiScan's "2025C2"
    (that year's session named "2nd Called" or "2nd Special")."""
    said = said.strip().lower()
    if said in (w.session.lower(), w.session_name.lower()):
        return True
    year, mark = said[:4], said[4:]
    if not (year.isdigit() and str(w.year) == year):
        return False
    if not mark:
        return True
    ordinal = re.fullmatch(r"[cs](\d)", mark)
    if ordinal is None:
        return False
    n = int(ordinal.group(1))
    nth = {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")
    return re.search(rf"\b{nth}\b.*\b(?:special|called)\b", w.session_name.lower()) is not None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class Store:
    """An open results store. `readonly` opens an existing store for queries only."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        if readonly and not path.is_file():
            raise StoreError(path, "no such results store", "run lssc-legal batch first")
        if not readonly and not path.parent.is_dir():
            raise OutputError(path, "its folder does not exist", "create the folder first")
        try:
            self.db = self._open_reading() if readonly else self._open_writing()
        except sqlite3.DatabaseError as exc:
            if not readonly and not path.exists():  # nothing there: SQLite could not create it
                raise OutputError(
                    path, f"cannot be created ({exc})", "give a --store in a folder you can write"
                ) from None
            raise StoreError(path, f"is not a results store ({exc})", _STORE_HINT) from None
        except OSError as exc:
            raise StoreError(path, f"cannot be opened ({exc})", _STORE_HINT) from None

    @classmethod
    def scratch(cls) -> Store:
        """A store in memory, gone when closed: for asking the store's questions (its
        filters, `provisions`) of analyses that were never written to one."""
        store = cls.__new__(cls)
        store.path = Path(":memory:")
        store.db = sqlite3.connect(":memory:")
        store.db.execute("PRAGMA foreign_keys = ON")
        store.db.executescript(
            f"BEGIN; {_TABLES} INSERT INTO meta VALUES ('schema', '{SCHEMA}'); COMMIT;"
        )
        return store

    def _open_reading(self) -> sqlite3.Connection:
        wal = self._header()
        db = _reader(self.path, wal)
        try:
            if self._recognize(db) == "empty":
                raise StoreError(self.path, "is empty, not a results store", _STORE_HINT)
            self._check_schema(db)
            db.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            db.close()
            raise
        return db

    def _open_writing(self) -> sqlite3.Connection:
        path = self.path
        new = not path.exists() or (path.stat().st_size == 0 and not Path(f"{path}-wal").exists())
        if not new:
            # Looked at first through a connection that writes nothing, as a reader would.
            with closing(_reader(path, self._header())) as probe:
                if self._recognize(probe) != "empty":
                    self._check_schema(probe)
        db = sqlite3.connect(_uri(path, "rwc"), uri=True, timeout=30)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            # WAL: readers never block the writer, a killed writer never corrupts.
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            # One transaction: a store is made (or a store of before the mark marked) whole.
            db.executescript(
                f"BEGIN; {_TABLES} PRAGMA application_id = {APPLICATION_ID}; "
                f"INSERT OR IGNORE INTO meta VALUES ('schema', '{SCHEMA}'); COMMIT;"
            )
            with db:
                for table, columns in _ADDED.items():
                    have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                    for name, decl in columns:
                        if name not in have:
                            db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")
        except BaseException:
            db.close()
            raise
        return db

    def _header(self) -> bool:
        """Refuse a file that is not SQLite, or is another program's SQLite database by its
        application_id, before SQLite opens it; whether it is in WAL mode."""
        with self.path.open("rb") as f:
            head = f.read(100)
        if not head:
            return False
        if not head.startswith(_SQLITE_MAGIC):
            raise StoreError(self.path, "is not a results store (not a SQLite file)", _STORE_HINT)
        if int.from_bytes(head[68:72], "big") not in (0, APPLICATION_ID):
            raise StoreError(self.path, _FOREIGN, _STORE_HINT)
        return head[18:20] == b"\x02\x02"

    def _recognize(self, db: sqlite3.Connection) -> str:
        """The kind of database: "store" (marked, or a store of before the mark) or "empty"
        (no tables, no mark); another program's database is refused."""
        if db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
            return "store"
        names = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        if not names and db.execute("PRAGMA user_version").fetchone()[0] == 0:
            return "empty"
        if names >= _STORE_TABLES:  # a store written before the mark existed
            try:
                row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            except sqlite3.DatabaseError:
                row = None
            if row is not None:
                return "store"
        raise StoreError(self.path, _FOREIGN, _STORE_HINT)

    def _check_schema(self, db: sqlite3.Connection) -> None:
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError:
            raise StoreError(self.path, "is not a results store", _STORE_HINT) from None
        if row is None or row[0] != str(SCHEMA):
            found = row[0] if row else "none"
            raise StoreError(
                self.path,
                f"was written with store schema {found}; this tool reads schema {SCHEMA}",
                "give a new --store, or remove this one and run the batch again",
            )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what is known -------------------------------------------------------------------

    def known_files(self) -> dict[str, Known]:
        rows = self.db.execute("SELECT path, sha256, size, mtime_ns FROM files")
        return {path: Known(sha, size, mtime) for path, sha, size, mtime in rows}

    def stored(self, sha256: str, tool_version: str, corpus: str) -> Stored | None:
        # Not the analysis: a re-run asks this of every file and needs only the status.
        row = self.db.execute(
            "SELECT status, error, pages FROM bills "
            "WHERE sha256 = ? AND tool_version = ? AND corpus = ?",
            (sha256, tool_version, corpus),
        ).fetchone()
        return Stored(*row) if row else None

    # -- writing -------------------------------------------------------------------------

    def record_file(self, path: str, sha256: str, size: int, mtime_ns: int) -> None:
        """The file at `path` holds bill `sha256` (a re-run reads it by size and time)."""
        with self.db:
            self._record_file(path, sha256, size, mtime_ns)

    def _record_file(self, path: str, sha256: str, size: int, mtime_ns: int) -> None:
        self.db.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
            "sha256 = excluded.sha256, size = excluded.size, mtime_ns = excluded.mtime_ns, "
            "seen_at = excluded.seen_at",
            (path, sha256, size, mtime_ns, _now()),
        )

    def put_analysis(
        self,
        file: tuple[str, int, int],
        sha256: str,
        tool_version: str,
        corpus: str,
        analysis: dict[str, Any],
        seconds: float,
    ) -> None:
        """Store one bill's analysis and its provisions, and the file that holds it, in one
        transaction; rows of the same text from other tool versions or corpora go."""
        bill = analysis["bill"]
        provisions = analysis["provisions"]
        key = (sha256, tool_version, corpus)
        with self.db:
            self._replace(key)
            self.db.execute(
                "INSERT INTO bills VALUES (?, ?, ?, 'analyzed', NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?, ?, ?)",
                (
                    *key,
                    bill["source"],
                    bill["format"],
                    bill["pages"],
                    bill["state"],
                    bill["chamber"],
                    bill["number"],
                    bill["session"],
                    bill["year"],
                    bill["version"],
                    bill["title"],
                    bill["citation"],
                    len(provisions),
                    len(analysis["findings"]),
                    json.dumps(analysis, ensure_ascii=False, separators=(",", ":")),
                    round(seconds, 4),
                    _now(),
                ),
            )
            self.db.executemany(
                "INSERT INTO provisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?, ?)",
                [
                    (
                        *key,
                        p["id"],
                        p["kind"],
                        ", ".join(p["kinds"]),
                        ", ".join(p["subjects"]),
                        ", ".join(p["targets"]),
                        ", ".join(p["punitive"]),
                        p["effect"],
                        p["markup"],
                        p["section"],
                        p["start"]["page"],
                        p["start"]["line"],
                        p["end"]["page"],
                        p["end"]["line"],
                        p["text"],
                        ", ".join(p["rules"]),
                        ", ".join(p["principles"]),
                        p.get("confidence", "high"),
                        p.get("rationale", ""),
                        p.get("lead_in"),
                    )
                    for p in provisions
                ],
            )
            self.db.executemany(
                "INSERT INTO provision_terms VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (*key, p["id"], field, value)
                    for p in provisions
                    for field, name in _TERMS.items()
                    for value in p[name]
                ],
            )
            self._record_file(*file[:1], sha256, *file[1:])

    def put_failure(
        self,
        file: tuple[str, int, int],
        sha256: str,
        tool_version: str,
        corpus: str,
        source: str,
        error: str,
        seconds: float,
    ) -> None:
        """Record that the bill text `sha256` could not be analyzed, and why."""
        key = (sha256, tool_version, corpus)
        with self.db:
            self._replace(key)
            self.db.execute(
                "INSERT INTO bills (sha256, tool_version, corpus, status, error, source, "
                "seconds, analyzed_at) VALUES (?, ?, ?, 'failed', ?, ?, ?, ?)",
                (*key, error, source, round(seconds, 4), _now()),
            )
            self._record_file(*file[:1], sha256, *file[1:])

    def _replace(self, key: tuple[str, str, str]) -> None:
        # One row per bill text: an analysis by another tool version or corpus is stale.
        self.db.execute("DELETE FROM bills WHERE sha256 = ?", (key[0],))

    def forget_missing(self, roots: Sequence[Path], present: Iterable[Path]) -> list[str]:
        """Forget files under `roots` (folders, or files named) that a batch no longer found
        there; returns their paths. Files elsewhere (another folder's batch) are kept."""
        seen = {str(p) for p in present}
        folders = [str(r) for r in roots if r.is_dir()]
        named = {str(r) for r in roots if not r.is_dir()}
        gone = [
            path
            for path in self.known_files()
            if path not in seen
            and (path in named or any(path.startswith(f.rstrip("/") + "/") for f in folders))
            and not Path(path).is_file()
        ]
        with self.db:
            self.db.executemany("DELETE FROM files WHERE path = ?", [(g,) for g in gone])
        return gone

    def prune(self) -> int:
        """Drop bills that no file holds any more (a file edited since, or removed from
        the store's knowledge); returns how many went."""
        with self.db:
            cur = self.db.execute(
                "DELETE FROM bills WHERE sha256 NOT IN (SELECT sha256 FROM files)"
            )
        return cur.rowcount

    def record_fetch(self, row: Fetched) -> None:
        """A bill version fetched from a provider and saved at `row.path` (no key is kept)."""
        with self.db:
            self.db.execute(
                # Columns named: a store whose columns were added later has them in
                # another order.
                "INSERT INTO fetched (provider, doc_id, bill_id, state, bill_number, session, "
                "version, date, mime, md5, sha256, path, fetched_at, position, kind) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (provider, doc_id) DO UPDATE SET md5 = excluded.md5, "
                "mime = excluded.mime, sha256 = excluded.sha256, path = excluded.path, "
                "fetched_at = excluded.fetched_at, position = excluded.position",
                (row.provider, row.doc_id, row.bill_id, row.state, row.bill_number, row.session,
                 row.version, row.date, row.mime, row.md5, row.sha256, row.path, _now(),
                 row.position, row.kind),
            )  # fmt: skip

    def fetched(self, provider: str, doc_id: str) -> Fetched | None:
        """What the store knows of a version fetched before, if anything."""
        row = self.db.execute(
            "SELECT provider, doc_id, bill_id, state, bill_number, session, version, date, mime, "
            "md5, sha256, path, position, kind FROM fetched WHERE provider = ? AND doc_id = ?",
            (provider, doc_id),
        ).fetchone()
        return Fetched(*row) if row else None

    def watch(self, row: Watched) -> bool:
        """Add a bill to the watch list; False when it was on it already."""
        with self.db:
            cur = self.db.execute(
                "INSERT OR IGNORE INTO watched (provider, state, bill_number, bill_id, folder, "
                "added_at, session, session_name, year) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row.provider,
                    row.state,
                    row.bill_number,
                    row.bill_id,
                    row.folder,
                    _now(),
                    row.session,
                    row.session_name,
                    row.year,
                ),
            )
        return cur.rowcount == 1

    def unwatch(self, state: str, bill_number: str, session: str | None = None) -> list[Watched]:
        """Take a bill off the watch list, in every session watched unless `session` names
        one: a year (the sessions that began in it), the provider's session id or the
        start of its name. The rows that went."""
        rows = [w for w in self.watched() if (w.state, w.bill_number) == (state, bill_number)]
        if session:
            rows = [w for w in rows if _names_session(w, session)]
        with self.db:
            self.db.executemany(
                "DELETE FROM watched WHERE provider = ? AND bill_id = ?",
                [(w.provider, w.bill_id) for w in rows],
            )
        return rows

    def watched(self) -> list[Watched]:
        rows = self.db.execute(
            "SELECT provider, state, bill_number, bill_id, folder, change_hash, checked_at, "
            "session, session_name, year FROM watched ORDER BY state, bill_number, session"
        )
        return [Watched(*r) for r in rows]

    def unreported(self, provider: str, bill_id: str) -> set[str]:
        """The versions of a bill fetched but in no digest yet (`watch run`)."""
        rows = self.db.execute(
            "SELECT doc_id FROM fetched WHERE provider = ? AND bill_id = ? AND reported_at IS NULL",
            (provider, bill_id),
        )
        return {d for (d,) in rows}

    def reported(
        self, watched: Iterable[tuple[Watched, str]], docs: Iterable[tuple[str, str]]
    ) -> None:
        """A digest was delivered: its versions (provider, doc_id) are reported and its bills
        are up to date with their change_hash, in one transaction, so that a run killed
        before its digest was written reports the same again next time."""
        now = _now()
        with self.db:
            self.db.executemany(
                "UPDATE fetched SET reported_at = ? WHERE provider = ? AND doc_id = ?",
                [(now, p, d) for p, d in docs],
            )
            self.db.executemany(
                "UPDATE watched SET change_hash = ?, checked_at = ? "
                "WHERE provider = ? AND bill_id = ?",
                [(h, now, w.provider, w.bill_id) for w, h in watched],
            )

    def scanned(
        self, provider: str, state: str, session: str
    ) -> dict[str, tuple[str, str | None, str]]:
        """bill_id -> (change_hash, path of its latest text, bill number) of the bills of a
        state's session scanned."""
        rows = self.db.execute(
            "SELECT bill_id, change_hash, path, bill_number FROM scanned "
            "WHERE provider = ? AND state = ? AND session = ?",
            (provider, state, session),
        )
        return {b: (h, p, n) for b, h, p, n in rows}

    def record_scan(
        self, provider: str, bill_id: str, state: str, session: str, number: str,
        change_hash: str, path: str | None,
    ) -> None:  # fmt: skip
        with self.db:
            self.db.execute(
                "INSERT INTO scanned (provider, bill_id, state, bill_number, change_hash, path, "
                "checked_at, session) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (provider, bill_id) DO UPDATE SET "
                "change_hash = excluded.change_hash, path = excluded.path, "
                "checked_at = excluded.checked_at, session = excluded.session",
                (provider, bill_id, state, number, change_hash, path, _now(), session),
            )

    def fetched_versions(self, provider: str, bill_id: str, kind: str = "version") -> list[Fetched]:
        """The versions fetched of one bill (the provider's id names its session too),
        oldest first; or, with kind="amendment", the amendments offered to it."""
        rows = self.db.execute(
            "SELECT provider, doc_id, bill_id, state, bill_number, session, version, date, mime, "
            "md5, sha256, path, position, kind FROM fetched WHERE provider = ? AND bill_id = ? "
            "AND kind = ? ORDER BY date, position, doc_id",
            (provider, bill_id, kind),
        )
        return [Fetched(*r) for r in rows]

    # -- reading -------------------------------------------------------------------------

    def analyses(self, shas: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
        """The stored analyses of the bills files now hold (or of `shas`), once per text."""
        if shas is None:
            rows = self.db.execute(
                "SELECT analysis FROM current_bills WHERE status = 'analyzed' ORDER BY source"
            )
            for (text,) in rows:
                yield json.loads(text)
            return
        for sha in dict.fromkeys(shas):
            row = self.db.execute(
                "SELECT analysis FROM current_bills WHERE sha256 = ? AND status = 'analyzed'",
                (sha,),
            ).fetchone()
            if row:
                yield json.loads(row[0])

    def failures(self) -> list[tuple[str, str]]:
        """(path, reason) of every file whose bill could not be analyzed."""
        rows = self.db.execute(
            "SELECT f.path, b.error FROM files f JOIN current_bills b USING (sha256) "
            "WHERE b.status = 'failed' ORDER BY f.path"
        )
        return [(path, error) for path, error in rows]

    def counts(self) -> tuple[int, int, int]:
        """(bills analyzed, provisions, of which review items) in the store."""
        bills = self.db.execute(
            "SELECT count(*) FROM current_bills WHERE status = 'analyzed'"
        ).fetchone()[0]
        provisions, review = self.db.execute(
            "SELECT count(*), coalesce(sum(confidence = 'review'), 0) FROM current_provisions"
        ).fetchone()
        return int(bills), int(provisions), int(review)

    def provisions(
        self,
        *,
        states: Sequence[str] = (),
        kinds: Sequence[str] = (),
        subjects: Sequence[str] = (),
        penalties: Sequence[str] = (),
        markups: Sequence[str] = (),
        text: str | None = None,
        confidence: Sequence[str] = (),
        scope: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """Provisions of the current bills matching every filter given (within one filter,
        any value): `kinds` match any of a provision's kinds, a subject matches itself and
        its sub-subjects ("labor" matches "labor.wages"), `text` is a phrase in the quote.
        `scope` is a second list of kinds that must also match (the appendix's: preemptive
        or punitive, whatever kinds the user asks for). In state, bill and bill order.
        This is the one place provisions are filtered: query and the appendix both ask it."""
        where: list[str] = []
        args: list[Any] = []
        if states:
            where.append(f"p.state IN ({', '.join('?' * len(states))})")
            args.extend(states)
        terms = (("kind", kinds), ("kind", scope), ("subject", subjects), ("penalty", penalties))
        for name, values in terms:
            if not values:
                continue
            tests = " OR ".join("t.value = ? OR t.value LIKE ?" for _ in values)
            where.append(
                "EXISTS (SELECT 1 FROM provision_terms t WHERE t.sha256 = p.sha256 "
                "AND t.tool_version = p.tool_version AND t.corpus = p.corpus "
                f"AND t.provision = p.id AND t.field = '{name}' AND ({tests}))"
            )
            for v in values:
                args.extend((v, f"{v}.%"))
        if markups:
            where.append(f"p.markup IN ({', '.join('?' * len(markups))})")
            args.extend(markups)
        if confidence:
            where.append(f"p.confidence IN ({', '.join('?' * len(confidence))})")
            args.extend(confidence)
        if text:
            where.append("p.text LIKE ? ESCAPE '\\'")
            args.append(
                "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            )
        sql = (
            "SELECT p.*, (SELECT min(path) FROM files f WHERE f.sha256 = p.sha256) AS path "
            "FROM current_provisions p"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY p.state, p.citation, p.source, CAST(substr(p.id, 2) AS INTEGER)"
        )
        cur = self.db.execute(sql, args)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    def sql(self, statement: str) -> tuple[list[str], list[Sequence[Any]]]:
        """Run one read-only SQL statement, a SELECT (or WITH ... SELECT); (column names,
        rows). Each value is text, a number or None: a BLOB is given as its SQLite literal
        (X'00FF'), an infinite REAL as Inf or -Inf, text that is not UTF-8 with U+FFFD.
        Within the limits SQL_SECONDS, SQL_MAX_VALUE, SQL_MAX_ROWS, SQL_MAX_BYTES and
        SQL_MAX_MEMORY; past one, a StoreError says which and how to narrow the query."""
        words = statement.strip().split(None, 1)
        if not words or words[0].lower() not in ("select", "with"):
            raise StoreError(
                self.path,
                "only a SELECT statement can be run on the store",
                "see docs/store.md for its tables and examples",
            )
        deadline = time.monotonic() + SQL_SECONDS
        late = False

        def progress() -> int:
            nonlocal late
            late = time.monotonic() > deadline
            return int(late)

        db = self.db
        length = db.getlimit(sqlite3.SQLITE_LIMIT_LENGTH)
        db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, SQL_MAX_VALUE)
        # For the whole process, and only ever lowered: SQLite cannot raise it again.
        db.execute(f"PRAGMA hard_heap_limit = {int(SQL_MAX_MEMORY)}")
        db.set_progress_handler(progress, 10_000)
        db.text_factory = _text
        rows: list[Sequence[Any]] = []
        size = 0
        try:
            cur = db.execute(statement)
            names = [d[0] for d in cur.description or ()]
            for row in cur:
                cells = []
                for value in row:
                    cell = _cell(value)
                    size += len(cell) if isinstance(cell, str) else 8
                    if size > SQL_MAX_BYTES:
                        raise self._too_much(f"over {SQL_MAX_BYTES // 2**20} MB")
                    cells.append(cell)
                rows.append(tuple(cells))
                if len(rows) > SQL_MAX_ROWS:
                    raise self._too_much(f"over {SQL_MAX_ROWS:,} rows")
        except (sqlite3.DatabaseError, sqlite3.Warning, MemoryError, ValueError) as exc:
            rows.clear()
            stop = getattr(exc, "sqlite_errorname", "") == "SQLITE_INTERRUPT"
            if stop and not late:
                # Ctrl-C, raised in `progress`, where SQLite takes it as "stop the query".
                raise KeyboardInterrupt from None
            if late:
                raise StoreError(
                    self.path,
                    f"the SQL query ran past the {SQL_SECONDS:g} s limit and was stopped",
                    "narrow it with WHERE or LIMIT; a recursive WITH needs a condition "
                    "that ends it",
                ) from None
            if isinstance(exc, MemoryError):
                raise StoreError(
                    self.path,
                    f"the SQL query needed over {SQL_MAX_MEMORY // 2**20} MB of memory",
                    "narrow it with WHERE or LIMIT, or select fewer and shorter columns",
                ) from None
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_TOOBIG":
                raise StoreError(
                    self.path,
                    f"a value of the SQL query is over the {SQL_MAX_VALUE // 2**20} MB limit",
                    "select a part of it with substr(), or its length()",
                ) from None
            raise StoreError(self.path, f"SQL failed: {exc}", "see docs/store.md") from None
        finally:
            db.set_progress_handler(None, 0)
            db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, length)
            db.text_factory = str
        return names, rows

    def _too_much(self, what: str) -> StoreError:
        return StoreError(
            self.path,
            f"the result of the SQL query is {what}",
            "narrow it with WHERE or LIMIT, or select fewer and shorter columns",
        )


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _cell(value: Any) -> Any:
    """A value of an SQL result as every output format can write it."""
    if isinstance(value, bytes):
        return f"X'{value.hex().upper()}'"
    if isinstance(value, float) and math.isinf(value):
        return "Inf" if value > 0 else "-Inf"
    return value


_STORE_HINT = "give a results store written by lssc-legal batch, or a new file name"
_FOREIGN = "is not a results store but another program's SQLite database; it was left unchanged"


def _uri(path: Path, mode: str) -> str:
    """A `file:` URI of `path`, percent-quoted (`#`, `?` and `%` stay in the name)."""
    return f"{path.absolute().as_uri()}?mode={mode}"


def _reader(path: Path, wal: bool) -> sqlite3.Connection:
    """A connection that reads `path` and leaves nothing beside it.

    Any connection to a WAL database makes `-wal` and `-shm` files beside it, and only a
    read-write one removes them when it closes. So a WAL store that has neither (no one has
    it open, all of it is in the file) is opened read-write with `query_only`: it writes
    nothing and its close removes them. Otherwise the connection is read-only (`mode=ro`):
    a rollback-journal database needs no files, and those of a WAL store are its writer's
    (a batch running, or killed) and stay as they were.
    """
    beside = any(Path(f"{path}{end}").exists() for end in ("-wal", "-shm"))
    if wal and not beside and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        db = sqlite3.connect(_uri(path, "rw"), uri=True, timeout=30)
        db.execute("PRAGMA query_only = ON")
        return db
    return sqlite3.connect(_uri(path, "ro"), uri=True, timeout=30)
