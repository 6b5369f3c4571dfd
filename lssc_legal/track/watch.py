"""The watch list: bills a lawyer follows, and `watch run`, which asks LegiScan only about
what changed (each bill's `change_hash`), fetches the new versions, compares each with the
version before it, and writes a digest of what changed in the preemption provisions,
newest first, with pinpoints in both versions and the redlines it wrote.

A bill is marked up to date only after its new versions are fetched and compared, so a run
killed part way does the rest when it is run again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..batch.store import Fetched, Store, Watched
from ..errors import LsscError
from ..outputs import atomic_output
from .fetch import PROVIDER, fetch_versions
from .ident import BillId
from .legiscan import LegiScan


@dataclass
class Step:
    """One new version compared with the one before it."""

    bill: str  # "TX HB2127"
    old: Fetched
    new: Fetched
    changes: list[str]  # the comparison's statement, in a lawyer's words, with pinpoints
    redline: Path | None


@dataclass
class Digest:
    date: str
    steps: list[Step] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # bills with nothing new
    problems: list[str] = field(default_factory=list)  # "TX HB2127: reason"

    def markdown(self) -> str:
        out = [f"# What changed in the preemption provisions, {self.date}", ""]
        if not self.steps:
            out += ["No watched bill has a new version.", ""]
        for s in sorted(self.steps, key=lambda s: (s.new.date or "", s.new.doc_id), reverse=True):
            out += [
                f"## {s.bill}: {s.new.version} ({s.new.date}), compared with {s.old.version} "
                f"({s.old.date})",
                "",
            ]
            out += [f"- {line}" for line in s.changes]
            if s.redline:
                out.append(f"- Redline: {s.redline}")
            out += [f"- Files: {s.old.path} \u2192 {s.new.path}", ""]
        if self.unchanged:
            out += ["## No new version", "", *[f"- {b}" for b in self.unchanged], ""]
        if self.problems:
            out += ["## Not checked", "", *[f"- {p}" for p in self.problems], ""]
        return "\n".join(out).rstrip() + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "lssc-legal/digest/1",
            "date": self.date,
            "steps": [
                {
                    "bill": s.bill,
                    "old": _version(s.old),
                    "new": _version(s.new),
                    "changes": s.changes,
                    "redline": str(s.redline) if s.redline else None,
                }
                for s in self.steps
            ],
            "unchanged": self.unchanged,
            "problems": self.problems,
        }


def _version(f: Fetched) -> dict[str, Any]:
    return {"version": f.version, "date": f.date, "doc_id": f.doc_id, "path": f.path}


def run_watch(store: Store, client: LegiScan, author: str = "lssc-legal") -> Digest:
    """Check every watched bill; fetch, compare and describe its new versions."""
    from ..compare import sequence
    from ..ingest import read_bill
    from ..render.comparison import statement
    from ..render.redline import write_redline

    digest = Digest(f"{dt.date.today():%B} {dt.date.today().day}, {dt.date.today().year}")
    for w in store.watched():
        name = f"{w.state} {w.bill_number}"
        try:
            found = client.bill(int(w.bill_id))
            before = {f.doc_id for f in store.fetched_versions(w.state, w.bill_number)}
            if found.change_hash and found.change_hash == w.change_hash:
                digest.unchanged.append(name)
                continue
            outcomes = fetch_versions(found, Path(w.folder), store, client)
            for o in outcomes:
                if o.status == "rejected":
                    digest.problems.append(f"{name}: {o.version} (document {o.doc_id}): {o.reason}")
            versions = store.fetched_versions(w.state, w.bill_number)
            new = [i for i, f in enumerate(versions) if f.doc_id not in before]
            # Each new version against the one before it; a version that filled a gap (one
            # rejected last time) also against the one after it, compared before with another.
            pairs = {(i - 1, i) for i in new if i > 0}
            pairs |= {(i, i + 1) for i in new if i + 1 < len(versions)}
            for a, b in sorted(pairs):
                old, cur = versions[a], versions[b]
                comparison, seq = sequence(read_bill(old.path), read_bill(cur.path))
                redline = Path(w.folder) / f"redline-{old.doc_id}-to-{cur.doc_id}.docx"
                with atomic_output(redline, "docx", [Path(old.path), Path(cur.path)]) as tmp:
                    write_redline(comparison, seq, tmp, author=author)
                digest.steps.append(Step(name, old, cur, statement(comparison), redline))
            if not new:
                digest.unchanged.append(name)
            if not any(o.status == "rejected" for o in outcomes):
                store.checked(w, found.change_hash)
        except LsscError as exc:
            digest.problems.append(f"{name}: {exc.line()}")
    return digest


def add_watch(store: Store, client: LegiScan, bill: BillId, folder: Path) -> Watched:
    bill_id = client.find(bill)
    row = Watched(PROVIDER, bill.state, bill.api_number, str(bill_id), str(folder))
    store.watch(row)
    return row
