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

Each result is written in its own transaction in WAL mode, so a batch killed at any moment
leaves a store that opens, holds every bill finished before the kill, and is resumed by the
next run. Only the batch's main process writes.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import OutputError, StoreError

SCHEMA = 2  # 2: provisions gained confidence, rationale and lead_in
STORE_NAME = "lssc-legal.sqlite"

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
            if readonly:
                self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
            else:
                self.db = sqlite3.connect(path, timeout=30)
            self.db.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                # WAL: readers never block the writer, a killed writer never corrupts.
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                with self.db:
                    self.db.executescript(_TABLES)
            self._check_schema(readonly)
        except sqlite3.DatabaseError as exc:
            raise StoreError(path, f"is not a results store ({exc})", _STORE_HINT) from None
        except OSError as exc:
            raise StoreError(path, f"cannot be opened ({exc})", _STORE_HINT) from None

    def _check_schema(self, readonly: bool) -> None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError:
            raise StoreError(self.path, "is not a results store", _STORE_HINT) from None
        if row is None and not readonly:
            with self.db:
                self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
        elif row is None or row[0] != str(SCHEMA):
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
    ) -> list[dict[str, Any]]:
        """Provisions of the current bills matching every filter given (within one filter,
        any value): `kinds` match any of a provision's kinds, a subject matches itself and
        its sub-subjects ("labor" matches "labor.wages"), `text` is a phrase in the quote.
        In state, bill and bill order."""
        where: list[str] = []
        args: list[Any] = []
        if states:
            where.append(f"p.state IN ({', '.join('?' * len(states))})")
            args.extend(states)
        for name, values in (("kind", kinds), ("subject", subjects), ("penalty", penalties)):
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
        rows)."""
        words = statement.strip().split(None, 1)
        if not words or words[0].lower() not in ("select", "with"):
            raise StoreError(
                self.path,
                "only a SELECT statement can be run on the store",
                "see docs/store.md for its tables and examples",
            )
        try:
            cur = self.db.execute(statement)
            rows = cur.fetchall()
        except (sqlite3.DatabaseError, sqlite3.Warning) as exc:
            raise StoreError(self.path, f"SQL failed: {exc}", "see docs/store.md") from None
        names = [d[0] for d in cur.description or ()]
        return names, rows


_STORE_HINT = "give a results store written by lssc-legal batch, or a new file name"
