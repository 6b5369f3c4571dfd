"""A folder of bill versions: which files are versions of one bill, and in what order.

Files are grouped by the bill they print (state, kind of bill, chamber, number, session);
each group is put in legislative order: introduced, committee report and substitutes,
perfected or floor versions, engrossed, the other chamber's committee report, enrolled,
chaptered. Within one stage, the printed
sequence decides (Missouri's file code 4736H.02C, Pennsylvania's printer's number), then the
file name. Every consecutive pair is then compared.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LsscError
from ..models import Bill, Comparison, natural_key
from .sections import Sequenced, sequence

STAGES = {
    "introduced": 0,
    "committee report": 1,
    "committee substitute": 2,
    "perfected": 3,
    "floor version": 3,
    "engrossed": 4,
    "enrolled": 6,
    "chaptered": 7,
}
# Missouri file codes: 4736H.01I introduced, .02C committee substitute, .03P perfected,
# .04S Senate substitute, .05T truly agreed to and finally passed.
_MO_CODE = re.compile(r"\b\d{4}[HS]\.(\d{2})([A-Z])\b")
_MO_STAGE = {"I": 0, "C": 2, "P": 3, "S": 4, "T": 6}
_PRINTERS = re.compile(r"printer's no\. (\d+)", re.I)
_NUMBERED = re.compile(r"(.*?)\s+(\d+)")


@dataclass
class Version:
    path: Path
    bill: Bill

    @property
    def stage(self) -> str:
        return self.bill.meta.version or "version not printed"

    def order(self) -> tuple[float, int, int, list[object]]:
        version = (self.bill.meta.version or "").lower()
        # "committee substitute 2", "engrossed 1": the stage, then its number within it
        numbered = _NUMBERED.fullmatch(version)
        stage, seq = (numbered.group(1), int(numbered.group(2))) if numbered else (version, 0)
        rank: float = STAGES.get(stage, 5 if version else 9)
        # Texas names the chamber of a committee report: the bill's own chamber reports it
        # before it is engrossed, the other chamber after.
        chamber = stage.split()[0] if stage.endswith(" committee report") else ""
        if chamber:
            rank = 1 if chamber == (self.bill.meta.chamber or chamber) else 4.5
        printers = 0
        # the file code is printed in the margin (furniture) or the caption
        head = " ".join(f.text for f in self.bill.furniture if f.page == 1)
        code = _MO_CODE.search(head + " " + self.bill.text[:2000])
        if code:
            seq = int(code.group(1))
            rank = _MO_STAGE.get(code.group(2), rank)
        found = _PRINTERS.search(version)
        if found:
            rank, printers = 0, int(found.group(1))
        return (rank, seq, printers, natural_key(self.path.name))


@dataclass
class Step:
    old: Version
    new: Version
    comparison: Comparison
    seq: Sequenced
    redline: Path | None = None


@dataclass
class Series:
    key: tuple[str, ...]
    name: str  # "H.B. 2606 (Mo. 2024)"
    versions: list[Version]
    steps: list[Step] = field(default_factory=list)
    ordered_by: str = ""


@dataclass
class Folder:
    series: list[Series]
    failed: list[tuple[Path, str]]  # files that could not be read, with the reason
    unidentified: list[Path]  # bills whose number or state is not printed


def compare_folder(
    files: Iterable[Path],
    read: Callable[[Path], Bill],
    corpus: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Folder:
    """Read every file, group the versions of each bill, compare consecutive versions."""
    groups: dict[tuple[str, ...], list[Version]] = {}
    failed: list[tuple[Path, str]] = []
    unidentified: list[Path] = []
    for path in files:
        if progress:
            progress(f"reading {path.name}")
        try:
            bill = read(path)
        except LsscError as exc:
            failed.append((path, exc.line()))
            continue
        m = bill.meta
        if not (m.state and m.number):
            unidentified.append(path)
            continue
        key: tuple[str, ...] = (
            m.state, m.bill_type, m.chamber or "", m.number.lstrip("0"), m.session or "",
            str(m.year or ""),
        )  # fmt: skip
        groups.setdefault(key, []).append(Version(path, bill))
    out: list[Series] = []
    for key, versions in sorted(groups.items()):
        versions.sort(key=Version.order)
        s = Series(key, _name(versions[-1].bill), versions, ordered_by=_ordered_by(versions))
        for old, new in itertools.pairwise(versions):
            if progress:
                progress(f"comparing {old.path.name} with {new.path.name}")
            comparison, seq = sequence(old.bill, new.bill, corpus)
            s.steps.append(Step(old, new, comparison, seq))
        out.append(s)
    return Folder(out, failed, unidentified)


def _name(bill: Bill) -> str:
    m = bill.meta
    if m.citation:
        head = m.citation.split(",")[0]
        tail = re.search(r"\(([^()]*)\)$", m.citation)
        return f"{head} ({tail.group(1)})" if tail else head
    return f"{m.state} {m.number}"


def _ordered_by(versions: list[Version]) -> str:
    if len(versions) < 2:
        return "one version: nothing to compare"
    if not all(v.bill.meta.version for v in versions):
        return "by the version each file prints, then by file name: some print no stage"
    if len({v.order()[:3] for v in versions}) < len(versions):
        return "by the version each file prints, then by file name where two print the same"
    return "by the version each file prints"
