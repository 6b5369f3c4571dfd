"""Metadata read from every real bill in ../shared/corpus-real/core-states/, checked against
what the corpus MANIFEST's file names say (state, bill, session and version of each file,
taken from the legislatures' own file names), per state and format: fields right / files.

    python benchmarks/metadata.py [--show-wrong] [--state FL]

The fields: state; chamber and number (from the bill column: "HB927"); year (the session's
year; Tennessee's 114th General Assembly is 2025); session ("2d C.S." for Texas 2025C2,
"Reg. Sess." elsewhere); version (filed/introduced, committee substitute, committee report
(Texas names its chamber), engrossed, floor version, enrolled, chaptered, amendment,
printer's number); and whether a
citation was written at all. A field the tool leaves unknown counts as wrong.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

from lssc_legal.errors import LsscError
from lssc_legal.ingest import read_bill

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT.parent / "shared" / "corpus-real" / "core-states"
FIELDS = ["state", "chamber", "number", "year", "session", "version", "citation"]

# The MANIFEST's version column, in the words the tool uses.
VERSIONS = {
    "filed": "introduced",
    "introduced": "introduced",
    "c1": "committee substitute",
    "c2": "committee substitute",
    "c3": "committee substitute",
    "c4": "committee substitute",
    "committee-substitute": "committee substitute",
    "committee-amendment-pcs": "committee substitute",
    "e1": "engrossed",
    "e2": "engrossed",
    "engrossed": "engrossed",
    "house-engrossed": "engrossed",
    "senate-engrossed": "engrossed",
    "house-committee-report": "house committee report",
    "senate-committee-report": "senate committee report",
    "house-floor-version": "floor version",
    "senate-floor-version": "floor version",
    "enrolled": "enrolled",
    "er": "enrolled",
    "chaptered": "chaptered",
}


def expected(row: dict[str, str]) -> dict[str, object]:
    state = row["state"]
    bill = row["bill"]
    m = re.match(r"([HS])(?:B|JR|CR|R|M)?\D*(\d+)", bill)
    chamber = {"H": "house", "S": "senate"}[m.group(1)] if m else None
    number = str(int(m.group(2))) if m else None
    session_col = row["session"]
    # Tennessee prints no session year or General Assembly on its bills: unknown is right.
    year = None if state == "TN" else int(session_col[:4])
    session = "2d C.S." if session_col.endswith("C2") else "Reg. Sess."
    version_col = row["version"]
    if re.fullmatch(r"[ce]\d", version_col):  # Florida: the first committee substitute ...
        kind = "committee substitute" if version_col[0] == "c" else "engrossed"
        version_col = f"{kind} {version_col[1]}"
    if version_col.startswith(("committee substitute ", "engrossed ")):
        version: str | None = version_col
    elif version_col.startswith("PN"):
        version = f"printer's no. {int(version_col[2:])}"
    elif "amendment" in version_col and version_col not in VERSIONS:
        strike = "strike-everything" in row["file"]
        version = "strike-everything amendment" if strike else "amendment"
    else:
        version = VERSIONS.get(version_col)  # TN "current-version": any stage is accepted
    return {
        "state": state,
        "chamber": chamber,
        "number": number,
        "year": year,
        "session": session,
        "version": version,
        "citation": True,
    }


_NAME = re.compile(
    r"^(?P<state>[A-Z]{2})-(?P<bill>[A-Z]+\d+)-(?P<session>\d{3,4}(?:C\d)?)-(?P<version>.+)\.(?P<ext>\w+)$"
)
_FORMATS = {"pdf": "PDF", "htm": "HTML", "html": "HTML", "txt": "text"}


def read_manifest() -> list[dict[str, str]]:
    """Every file of core-states, with what its name (the MANIFEST's naming: state, bill,
    session, version) says it is."""
    rows = []
    for path in sorted(CORE.glob("*/*.*")):
        m = _NAME.match(path.name)
        if not m:
            continue
        rows.append(
            {
                "file": path.name,
                "state": m.group("state"),
                "bill": m.group("bill"),
                "session": m.group("session"),
                "version": m.group("version"),
                "format": _FORMATS.get(m.group("ext").lower(), m.group("ext")),
            }
        )
    return rows


def got(path: Path) -> dict[str, object]:
    bill = read_bill(path)
    meta = bill.meta
    session = None
    if meta.citation:
        if re.search(r"\b\d+[a-z]{1,2} C\.S\.", meta.citation):
            session = re.search(r"\b(\d+[a-z]{1,2} C\.S\.)", meta.citation).group(1)  # type: ignore[union-attr]
        elif "Reg. Sess." in meta.citation or re.search(r"\(\w+\. \d{4}\)$", meta.citation):
            session = "Reg. Sess."
    return {
        "state": meta.state,
        "chamber": meta.chamber,
        "number": str(int(meta.number)) if meta.number and meta.number.isdigit() else meta.number,
        "year": meta.year,
        "session": session,
        "version": meta.version,
        "citation": bool(meta.citation),
        "_citation": meta.citation,
        "_named": _named(bill.text[:3000]),
    }


def _named(front: str) -> set[tuple[str, str]]:
    """Every bill the front of the document names: Tennessee prints the Senate and House
    companions together, and an amendment names both."""
    out = set()
    for m in re.finditer(
        r"\b(HOUSE|SENATE|House|Senate|S\s?e\s?n\s?ate)\s+BILL\s*(?:No\.?)?\s*(\d+)|\b([HS])B\s?0*(\d+)",
        front,
        re.I,
    ):
        if m.group(1):
            ch = "senate" if m.group(1).replace(" ", "").lower() == "senate" else "house"
            out.add((ch, str(int(m.group(2)))))
        else:
            out.add(("house" if m.group(3).upper() == "H" else "senate", str(int(m.group(4)))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-wrong", action="store_true", help="list every wrong field")
    parser.add_argument("--state", help="only this state")
    args = parser.parse_args()
    if not CORE.is_dir():
        print(f"note: {CORE} is absent; nothing to measure")
        return
    right: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    files: dict[tuple[str, str], int] = defaultdict(int)
    wrong: list[str] = []
    for row in read_manifest():
        if args.state and row["state"] != args.state.upper():
            continue
        key = (row["state"], row["format"])
        files[key] += 1
        want = expected(row)
        try:
            have = got(CORE / row["state"] / row["file"])
        except LsscError as exc:
            wrong.append(f"{row['file']}: not read ({exc})")
            continue
        for f in FIELDS:
            ok = have[f] == want[f]
            if row["version"] == "current-version" and f == "version":
                ok = True  # Tennessee's "current version" is whatever stage the bill is at
            named = have["_named"]
            assert isinstance(named, set)
            if f in ("chamber", "number") and (have["chamber"], have["number"]) in named:
                ok = True  # a companion bill the document itself names ("SB 116 / HB 140")
            right[key][f] += ok
            if not ok:
                wrong.append(f"{row['file']}: {f} {have[f]!r}, want {want[f]!r}")
    print(f"{'state':<6}{'format':<10}{'files':>6}  " + " ".join(f"{f:>9}" for f in FIELDS))
    totals: dict[str, int] = defaultdict(int)
    for key in sorted(files):
        n = files[key]
        cells = []
        for f in FIELDS:
            totals[f] += right[key][f]
            cells.append(f"{right[key][f] / n:9.2f}")
        print(f"{key[0]:<6}{key[1]:<10}{n:>6}  " + " ".join(cells))
    n = sum(files.values())
    print(f"{'all':<16}{n:>6}  " + " ".join(f"{totals[f] / n:9.2f}" for f in FIELDS))
    if args.show_wrong:
        print("\n".join(wrong))


if __name__ == "__main__":
    main()
