"""The watch list: bills a lawyer follows, and `watch run`, which asks each bill's provider
only about what changed (LegiScan: each bill's `change_hash`; Open States: the bills of a
session updated since the last change seen), fetches the new versions, compares each with
the version before it, and writes a digest of what changed in the preemption provisions,
newest first, with pinpoints in both versions and the redlines it wrote.

Nothing is marked done until the digest is delivered (`Digest.deliver`, called once it is
written): the versions it reports are marked reported, and each bill whose versions were
all fetched is marked up to date with its change_hash, in one transaction. A run killed
part way, or one whose digest could not be written, reports the same again next time; a
run that could not fetch a version reports what it could and the rest next time.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..batch.store import Fetched, Store, Watched
from ..errors import LsscError
from ..outputs import atomic_output
from ..render.digest import NOTHING_FOUND, NOTHING_IN_AMENDMENT, href
from .fetch import fetch_versions, short_id
from .provider import Bill, Provider

if TYPE_CHECKING:
    from ..models import Bill as BillText


@dataclass
class Step:
    """One new version compared with the one before it."""

    bill: str  # "TX HB2127, 88th Legislature"
    old: Fetched
    new: Fetched
    changes: list[str]  # the comparison's statement, in a lawyer's words, with pinpoints
    redline: Path | None

    def heading(self) -> str:
        return (
            f"{self.bill}: {self.new.version} ({self.new.date or 'undated'}), compared with "
            f"{self.old.version} ({self.old.date or 'undated'})"
        )


@dataclass
class First:
    """A bill's first version (nothing to compare it with yet), or an amendment offered to
    it (`offered`): what it holds."""

    bill: str
    version: Fetched
    provisions: list[str]  # each provision found, in a lawyer's words, with its pinpoint
    offered: bool = False

    def heading(self) -> str:
        tail = "offered" if self.offered else "its first version"
        return f"{self.bill}: {self.version.version} ({self.version.date or 'undated'}), {tail}"

    def lines(self) -> list[str]:
        """Its provisions, or a line saying none was found."""
        return self.provisions or [NOTHING_IN_AMENDMENT if self.offered else NOTHING_FOUND]


@dataclass
class Digest:
    date: str
    steps: list[Step] = field(default_factory=list)
    first: list[First] = field(default_factory=list)
    amendments: list[First] = field(default_factory=list)  # offered since the last digest
    unchanged: list[str] = field(default_factory=list)  # bills with nothing new
    problems: list[str] = field(default_factory=list)  # "TX HB2127: reason"
    # What delivering the digest marks done (see deliver).
    checked: list[tuple[Watched, str]] = field(default_factory=list)
    covered: list[tuple[str, str]] = field(default_factory=list)  # (provider, doc_id)

    def deliver(self, store: Store) -> None:
        """The digest has been written: mark what it reports."""
        store.reported(self.checked, self.covered)

    def ordered(self) -> list[Step]:
        """The comparisons bill by bill, each bill's newest version first (undated
        versions, as Open States lists Texas and Florida ones, by the order the provider
        published them); the bill with the newest dated version first."""

        def newest(s: Step) -> tuple[str, int, str]:
            return s.new.date or "", s.new.position, s.new.doc_id

        bills: dict[str, list[Step]] = {}
        for s in self.steps:
            bills.setdefault(s.bill, []).append(s)
        for steps in bills.values():
            steps.sort(key=newest, reverse=True)
        order = sorted(bills, key=lambda b: (bills[b][0].new.date or "", b), reverse=True)
        return [s for b in order for s in bills[b]]

    def sections(self) -> list[tuple[str, Step | First]]:
        """What the digest says, in its order: bill by bill, the comparisons (newest
        first) and then the amendments offered to the bill; then the first versions, and
        the amendments to bills with no new version."""
        out: list[tuple[str, Step | First]] = []
        offered = list(self.amendments)
        steps = self.ordered()
        for i, s in enumerate(steps):
            out.append(("step", s))
            if i + 1 == len(steps) or steps[i + 1].bill != s.bill:  # the bill's last
                out += [("amendment", a) for a in offered if a.bill == s.bill]
                offered = [a for a in offered if a.bill != s.bill]
        out += [("first", f) for f in self.first]
        out += [("amendment", a) for a in offered]
        return out

    def summary(self) -> str:
        """The digest's counts, in a sentence."""
        n, k, a = len(self.steps), len(self.first), len(self.amendments)
        parts = [f"{n} new version{'s' * (n != 1)} compared with the version before"]
        if k:
            parts.append(f"{k} first version{'s' * (k != 1)} read")
        if a:
            parts.append(f"{a} amendment{'s' * (a != 1)} offered")
        return "; ".join(parts)

    def markdown(self, base: Path | None = None) -> str:
        """The digest in Markdown; its links relative to `base`, the folder it is
        written to (absolute when it goes to the terminal)."""

        def link(path: str | Path) -> str:
            return f"[{Path(path).name}]({href(Path(path), base)})"

        out = [f"# What changed in the preemption provisions, {self.date}", ""]
        if not self.steps and not self.first and not self.amendments:
            out += ["No watched bill has a new version.", ""]
        else:
            out += [f"{self.summary()}. Pinpoints are page:line as each version prints them.", ""]
        for _, item in self.sections():
            out += [f"## {item.heading()}", ""]
            if isinstance(item, Step):
                out += [f"- {line}" for line in item.changes]
                if item.redline:
                    out.append(f"- Redline: {link(item.redline)}")
                out += [f"- Files: {link(item.old.path)} \u2192 {link(item.new.path)}", ""]
            else:
                out += [f"- {line}" for line in item.lines()]
                out += [f"- File: {link(item.version.path)}", ""]
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
                for s in self.ordered()
            ],
            "first_versions": [
                {"bill": f.bill, "version": _version(f.version), "provisions": f.provisions}
                for f in self.first
            ],
            "amendments": [
                {"bill": f.bill, "amendment": _version(f.version), "provisions": f.provisions}
                for f in self.amendments
            ],
            "unchanged": self.unchanged,
            "problems": self.problems,
        }


def _version(f: Fetched) -> dict[str, Any]:
    return {"version": f.version, "date": f.date, "doc_id": f.doc_id, "path": f.path}


def label(w: Watched) -> str:
    """A watched bill as the digest names it: "TX HB2127, 88th Legislature"."""
    session = w.session_name or w.session
    return f"{w.state} {w.bill_number}" + (f", {session}" if session else "")


def run_watch(
    store: Store, provider_for: Callable[[str], Provider], author: str = "lssc-legal"
) -> Digest:
    """Check every watched bill; fetch, compare and describe its new versions.
    `provider_for` opens the client of a provider by name (a provider that cannot be
    opened, say for want of a key, leaves its bills unchecked, each named)."""
    today = dt.date.today()
    digest = Digest(f"{today:%B} {today.day}, {today.year}")
    rows = store.watched()
    for name in dict.fromkeys(w.provider for w in rows):
        group = [w for w in rows if w.provider == name]
        try:
            changed = provider_for(name).updates(group)
        except LsscError as exc:
            digest.problems += [f"{label(w)}: {exc.line()}" for w in group]
            continue
        for w in group:
            found = changed.get(w.bill_id)
            if found is None:
                digest.unchanged.append(label(w))
            elif isinstance(found, LsscError):
                digest.problems.append(f"{label(w)}: {found.line()}")
            else:
                try:
                    _catch_up(store, provider_for(name), w, found, digest, author)
                except LsscError as exc:
                    digest.problems.append(f"{label(w)}: {exc.line()}")
    return digest


def _catch_up(
    store: Store, client: Provider, w: Watched, found: Bill, digest: Digest, author: str
) -> None:
    """Fetch a changed bill's new versions (those in no digest yet) and compare each with
    its neighbours; the bill is to be marked up to date only when every version was
    fetched."""
    from ..compare import sequence
    from ..ingest import read_bill
    from ..render.comparison import statement
    from ..render.redline import write_redline

    outcomes = fetch_versions(found, Path(w.folder), store, client)
    for o in outcomes:
        if o.status == "rejected":
            digest.problems.append(
                f"{label(w)}: {o.version} (document {short_id(o.doc_id)}): {o.reason}"
            )
    versions = store.fetched_versions(w.provider, w.bill_id)
    unreported = store.unreported(w.provider, w.bill_id)
    new = [i for i, f in enumerate(versions) if f.doc_id in unreported]
    read: dict[int, BillText | None] = {}

    def readable(i: int) -> BillText | None:
        """Version i as read; a version that cannot be read (a scan with no text, a
        damaged file) is named once in the digest and left out of the chain."""
        if i not in read:
            try:
                read[i] = read_bill(versions[i].path)
            except LsscError as exc:
                read[i] = None
                digest.problems.append(
                    f"{label(w)}: {versions[i].version} could not be read, so it is compared "
                    f"with no other version: {exc.line()}"
                )
        return read[i]

    # The versions in order, without those that cannot be read; each pair of neighbours
    # in it that holds a new version is compared (a new version against the one before
    # it; one that filled a gap, rejected last time, also against the one after it).
    first = max(0, min(new) - 1) if new else len(versions)
    while 0 < first < len(versions) and readable(first) is None:
        first -= 1
    chain = [i for i in range(first, len(versions)) if readable(i) is not None]
    for a, b in itertools.pairwise(chain):
        older, newer = read[a], read[b]
        if (a not in new and b not in new) or older is None or newer is None:
            continue
        old, cur = versions[a], versions[b]
        comparison, seq = sequence(older, newer)
        redline = Path(w.folder) / f"redline-{short_id(old.doc_id)}-to-{short_id(cur.doc_id)}.docx"
        with atomic_output(redline, "docx", [Path(old.path), Path(cur.path)]) as tmp:
            write_redline(comparison, seq, tmp, author=author)
        digest.steps.append(Step(label(w), old, cur, statement(comparison), redline))
    if len(chain) == 1 and chain[0] in new:  # a first version: nothing to compare it with
        digest.first.append(First(label(w), versions[chain[0]], _holds(read[chain[0]])))
    # Amendments offered to the bill since the last digest: what each would write.
    offered = [
        f for f in store.fetched_versions(w.provider, w.bill_id, "amendment")
        if f.doc_id in unreported
    ]  # fmt: skip
    for amendment in offered:
        try:
            holds = _holds(read_bill(amendment.path), amendment=True)
        except LsscError as exc:
            digest.problems.append(
                f"{label(w)}: {amendment.version} could not be read: {exc.line()}"
            )
            holds = []
        digest.amendments.append(First(label(w), amendment, holds, offered=True))
    if not new and not offered:
        digest.unchanged.append(label(w))
    digest.covered += [(w.provider, versions[i].doc_id) for i in new]
    digest.covered += [(w.provider, f.doc_id) for f in offered]
    if not any(o.status == "rejected" for o in outcomes):
        digest.checked.append((w, found.change_hash))


def _holds(bill: BillText | None, amendment: bool = False) -> list[str]:
    """What a version holds that preempts, voids, punishes or saves local authority, each
    provision in a line with its pinpoint; of an amendment, also what it strikes."""
    from ..analyze import analyze_bill
    from ..compare.provisions import describe
    from ..models import PREEMPTIVE

    if bill is None:
        return []
    wanted = PREEMPTIVE | {"punitive", "savings"}
    found = analyze_bill(bill).provisions
    return [
        ("Strikes: " if p.markup == "deleted" else "") + describe(p) for p in found
        if p.confidence == "high" and p.kind in wanted and (amendment or p.markup != "deleted")
    ]  # fmt: skip


def add_watch(store: Store, client: Provider, found: Bill, folder: Path) -> tuple[Watched, bool]:
    """Put the bill the provider found on the watch list; the row, and False when it was
    on it already (the row as it was)."""
    row = Watched(client.name, found.state, found.number, found.bill_id, str(folder),
                  session=found.session, session_name=found.session_name,
                  year=found.year)  # fmt: skip
    if store.watch(row):
        return row, True
    return next(
        w for w in store.watched() if (w.provider, w.bill_id) == (row.provider, row.bill_id)
    ), False
