"""Compare speed: two 100-page versions of a bill with about 5% of their paragraphs
changed (words replaced, clauses added and struck, a section moved), compared after ingest,
beside difflib's SequenceMatcher on the same words.

    python benchmarks/compare.py [--pages 100] [--repeat 3]

Prints the median of --repeat runs of compare_bills (alignment, word diffs, both versions'
provisions and what changed in them), of writing the redline, and of difflib with and
without its junk heuristic (which mis-aligns repetitive bill text when on). Also the real
Missouri companions (same text, House and Senate layouts) when ../shared is present.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repository makes `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.analyze import REAL, timed
from benchmarks.ingest import PARAGRAPHS
from lssc_legal.analyze.rules import engine
from lssc_legal.billwriter import parse_spec, write_bill
from lssc_legal.compare import compare_bills, sequence
from lssc_legal.compare.align import units
from lssc_legal.ingest import read_bill
from lssc_legal.render.redline import write_redline

HEAD = (
    "state: TX\nchamber: house\nnumber: 4312\nyear: 2025\nsponsors: Burrows\n"
    "title: relating to local regulation of employment leave.\n---\n"
)
EDITS = [  # applied to every 20th paragraph of the new version, in turn
    ("may not adopt, enforce, or maintain", "may not adopt or enforce"),
    ("is {+void and+} unenforceable", "is {+void, unenforceable, and subject to penalty+}"),
    ("does not apply to an employee", "does not apply to a volunteer or an employee"),
]


def versions(pages: int) -> tuple[str, str]:
    """Spec texts of two versions: the old one `pages` long, the new one edited."""
    body = ["SECTION 1. Chapter 250, Local Government Code, is amended to read as follows:"]
    n = 0
    while True:
        body.extend(p.format(n=n) for p in PARAGRAPHS)
        n += 1
        if n % 5 == 0:
            with tempfile.TemporaryDirectory() as tmp:
                words = write_bill(parse_spec(HEAD + "\n".join(body)), Path(tmp) / "b.pdf")
            if max(w.page for w in words) >= pages:
                break
    new = list(body)
    for k in range(1, len(new), 20):
        old_text, new_text = EDITS[(k // 20) % len(EDITS)]
        new[k] = new[k].replace(old_text, new_text)
    # move one section (three paragraphs) from near the start to near the end
    moved = new[4:7]
    del new[4:7]
    new[-3:-3] = moved
    return HEAD + "\n".join(body), HEAD + "\n".join(new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine()
    old_spec, new_spec = versions(args.pages)
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "old.pdf", Path(tmp) / "new.pdf"
        write_bill(parse_spec(old_spec), a)
        write_bill(parse_spec(new_spec), b)
        old, new = read_bill(a), read_bill(b)
        name = f"{old.pages}- and {new.pages}-page generated versions"
        report(name, old, new, args.repeat, Path(tmp))
    if REAL.exists():
        for x, y in (("HB2606", "SB1418"), ("HB2207", "SB1487")):
            old, new = read_bill(REAL / f"{x}.pdf"), read_bill(REAL / f"{y}.pdf")
            with tempfile.TemporaryDirectory() as tmp:
                report(f"real {x} / {y}", old, new, args.repeat, Path(tmp))
    # A committee substitute that rewrites most of a 35-page bill: the word diffs of long,
    # heavily changed sections are what a lawyer waits for.
    florida = REAL.parent.parent / "core-states" / "FL"
    if (florida / "FL-HB0927-2026-filed.pdf").exists():
        old = read_bill(florida / "FL-HB0927-2026-filed.pdf")
        new = read_bill(florida / "FL-HB0927-2026-c1.pdf")
        with tempfile.TemporaryDirectory() as tmp:
            report("real FL HB927 filed / CS (rewritten)", old, new, 1, Path(tmp))


def report(name: str, old, new, repeat: int, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    wa = " ".join(u.text for u in units(old)).split()
    wb = " ".join(u.text for u in units(new)).split()
    c = compare_bills(old, new)
    changed = sum(p.status != "unchanged" for p in c.provisions)
    moved = sum(s.status == "moved" for s in c.sections)
    print(f"{name}: {len(wa):,} and {len(wb):,} words, {len(c.sections)} sections "
          f"({moved} moved), {len(c.provisions)} provisions ({changed} changed), "
          f"{c.similarity:.1%} words kept (median of {repeat}):")  # fmt: skip
    t_compare = timed(lambda: compare_bills(old, new), repeat)
    comparison, seq = sequence(old, new)
    t_docx = timed(lambda: write_redline(comparison, seq, tmp / "r.docx"), repeat)
    t_junk = timed(lambda: difflib.SequenceMatcher(None, wa, wb).get_opcodes(), repeat)
    t_exact = timed(
        lambda: difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes(), repeat
    )
    ratio = difflib.SequenceMatcher(None, wa, wb).ratio()
    exact = difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()
    print(f"  compare_bills (align, word diffs, provisions)  {t_compare:6.3f} s")
    print(f"  redline .docx                                  {t_docx:6.3f} s")
    print(f"  end to end after ingest                        {t_compare + t_docx:6.3f} s")
    print(f"  difflib SequenceMatcher, words, autojunk on    {t_junk:6.3f} s  ratio {ratio:.3f}")
    print(f"  difflib SequenceMatcher, words, autojunk off   {t_exact:6.3f} s  ratio {exact:.3f}")


if __name__ == "__main__":
    main()
