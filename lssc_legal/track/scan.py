"""`watch scan`: a session's intake. The bills of a state's session that are new or changed
since the last scan (LegiScan's master list and each bill's change_hash; Open States' bills
updated since the newest change seen) have their latest text fetched; every bill's latest
text is analyzed in the batch pool (a text analyzed before is not analyzed again), and the
bills with preemptive or punitive provisions are listed with their kinds and subjects: the
list a legal team triages each morning.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..batch.store import Store
from ..errors import ProviderError
from ..models import KIND_LABELS, PREEMPTIVE, SUBJECT_LABELS
from .fetch import fetch_versions
from .provider import Listed, Provider


@dataclass
class Flagged:
    bill: str  # "TX HB12"
    path: str
    kinds: dict[str, int]  # kind in words -> provisions
    subjects: list[str]


@dataclass
class Scan:
    state: str
    bills: int  # in the session
    fetched: int  # latest texts fetched this time
    flagged: list[Flagged] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    session: str = ""  # the session scanned, as the provider names it

    def markdown(self) -> str:
        out = [
            f"# {self.state}{', ' + self.session if self.session else ''}: bills with "
            "preemptive or punitive provisions",
            "",
            f"{len(self.flagged)} of {self.bills} bills in the session ({self.fetched} new or "
            "changed texts fetched this time). Each bill's latest text was read.",
            "",
        ]
        for f in self.flagged:
            kinds = ", ".join(f"{k} ({n})" for k, n in f.kinds.items())
            subjects = ", ".join(f.subjects) or "no subject named"
            out.append(f"- **{f.bill}**: {kinds}; {subjects} ({Path(f.path).name})")
        if self.problems:
            out += ["", "## Not read", "", *[f"- {p}" for p in self.problems]]
        return "\n".join(out).rstrip() + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "lssc-legal/scan/1",
            "state": self.state,
            "session": self.session,
            "bills": self.bills,
            "fetched": self.fetched,
            "flagged": [f.__dict__ for f in self.flagged],
            "problems": self.problems,
        }


def scan_session(
    state: str,
    out: Path,
    store: Store,
    client: Provider,
    *,
    session: str | None = None,
    jobs: int = 1,
    corpus: Path | None = None,
) -> Scan:
    from ..batch import session as batch_session
    from ..corpusdir import fingerprint

    provider = client.name
    # A provider that can leave out the bills unchanged since the newest change seen in
    # this session does. A bill whose text could not be fetched last time is kept with no
    # change_hash: the list is then asked for whole, so that it comes back.
    key = client.session_key(state, session)
    hashes = [h for h, _, _ in store.scanned(provider, state, key).values() if h] if key else []
    since = max(hashes) if provider == "openstates" and hashes else None
    listing = client.session_list(state, session, since)
    key = listing.session
    known = store.scanned(provider, state, key)
    names = {b: f"{state} {num}" for b, (_, _, num) in known.items()}
    scan = Scan(state, 0, 0, session=listing.name or key)
    # The bills listed, then those whose text could not be had last time and that the
    # list (since the newest change seen) leaves out: each asked for again by its id.
    listed: set[str] = set()

    def todo() -> Iterator[Listed]:
        for b in listing.bills:
            listed.add(b.bill_id)
            yield b
        for bill_id, (h, _, number) in known.items():
            if not h and bill_id not in listed:
                yield Listed(bill_id, number, "")

    for b in todo():
        names[b.bill_id] = f"{state} {b.number}"
        seen = known.get(b.bill_id)
        if (
            seen
            and b.change_hash
            and seen[0] == b.change_hash
            and seen[1]
            and Path(seen[1]).is_file()
        ):
            continue
        try:
            found = b.bill or client.bill(b.bill_id)
        except ProviderError as exc:  # one bill the provider could not give: the rest go on
            scan.problems.append(f"{state} {b.number}: {exc.line()}")
            kept = seen[1] if seen else None
            store.record_scan(provider, b.bill_id, state, key, b.number, "", kept)
            continue
        b = Listed(b.bill_id, b.number, b.change_hash or found.change_hash, found)
        if not any(v.kind == "version" for v in found.versions):
            store.record_scan(provider, b.bill_id, state, key, b.number, b.change_hash, None)
            continue
        [latest] = fetch_versions(found, out, store, client, latest_only=True)
        if latest.status == "rejected":
            scan.problems.append(f"{state} {b.number}: {latest.reason}")
            kept = seen[1] if seen else None
            store.record_scan(provider, b.bill_id, state, key, b.number, "", kept)
            continue
        scan.fetched += latest.status == "fetched"
        store.record_scan(
            provider, b.bill_id, state, key, b.number, b.change_hash, str(latest.path)
        )
    scan.bills = len(names)
    current = store.scanned(provider, state, key)
    paths = {bid: Path(p) for bid, (_, p, _) in current.items() if p and Path(p).is_file()}
    files = [paths[b] for b in names if b in paths]
    batch_session(
        files, store, fingerprint(corpus), jobs=jobs, each=lambda _o: None,
        corpus_dir=str(corpus) if corpus else None, state=state,
    )  # fmt: skip
    by_path = {str(p): b for b, p in paths.items()}
    # The session's files by the text they hold, to find each provision's file at once.
    holding: dict[str, list[str]] = {}
    for path, seen_file in store.known_files().items():
        if path in by_path:
            holding.setdefault(seen_file.sha256, []).append(path)
    flagged: dict[str, list[dict[str, Any]]] = {}
    for row in store.provisions(scope=sorted(PREEMPTIVE | {"punitive"}), confidence=["high"]):
        for path in holding.get(row["sha256"], []):
            flagged.setdefault(path, []).append(row)
    for path, rows in flagged.items():
        kinds = Counter(KIND_LABELS[r["kind"]] for r in rows)
        subjects: list[str] = []
        for r in rows:
            for s in filter(None, r["subjects"].split(", ")):
                label = SUBJECT_LABELS.get(s, s)
                if label not in subjects:
                    subjects.append(label)
        scan.flagged.append(Flagged(names[by_path[path]], path, dict(kinds), subjects))
    scan.flagged.sort(key=lambda f: (-sum(f.kinds.values()), f.bill))
    return scan
