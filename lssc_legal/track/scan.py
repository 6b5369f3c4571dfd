"""`watch scan`: a session's intake. The bills of a state's session that are new or changed
since the last scan (LegiScan's master list and each bill's change_hash) have their latest
text fetched; every bill's latest text is analyzed in the batch pool (a text analyzed
before is not analyzed again), and the bills with preemptive or punitive provisions are
listed with their kinds and subjects: the list a legal team triages each morning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..batch.store import Store
from ..models import KIND_LABELS, PREEMPTIVE, SUBJECT_LABELS
from .fetch import PROVIDER, fetch_versions
from .legiscan import LegiScan


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

    def markdown(self) -> str:
        out = [
            f"# {self.state}: bills with preemptive or punitive provisions",
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
            "bills": self.bills,
            "fetched": self.fetched,
            "flagged": [f.__dict__ for f in self.flagged],
            "problems": self.problems,
        }


def scan_session(
    state: str,
    out: Path,
    store: Store,
    client: LegiScan,
    *,
    session: str | None = None,
    jobs: int = 1,
    corpus: Path | None = None,
) -> Scan:
    from ..batch import session as batch_session
    from ..corpusdir import fingerprint

    bills = client.master_list(state, session)
    known = store.scanned(PROVIDER, state)
    scan = Scan(state, len(bills), 0)
    for bill_id, number, change_hash in bills:
        seen = known.get(str(bill_id))
        if seen and seen[0] == change_hash and seen[1] and Path(seen[1]).is_file():
            continue
        found = client.bill(bill_id)
        if not found.texts:
            store.record_scan(PROVIDER, str(bill_id), state, number, change_hash, None)
            continue
        [latest] = fetch_versions(found, out, store, client, latest_only=True)
        if latest.status == "rejected":
            scan.problems.append(f"{state} {number}: {latest.reason}")
            continue
        scan.fetched += latest.status == "fetched"
        store.record_scan(PROVIDER, str(bill_id), state, number, change_hash, str(latest.path))
    current = store.scanned(PROVIDER, state)
    paths = {
        str(bid): Path(p) for bid, (_, p) in current.items() if p and Path(p).is_file()
    }  # fmt: skip
    names = {str(bid): f"{state} {num}" for bid, num, _ in bills}
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
