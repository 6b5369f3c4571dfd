"""Ingest speed and memory: pages per second and peak memory for 10-, 100- and 500-page
bills, beside pdfplumber's plain extract_text() on the same files.

    python benchmarks/ingest.py [--pages 10 100 500] [--real]
    python benchmarks/ingest.py --scaling     # 300 and 2,000 pages: is ingest linear?

Each measurement runs in a fresh process so peak memory (max RSS) is its own. The bills are
drawn by the project's bill writer in Texas style (underline, brackets and strike on every
page); --real also times the 100 real Missouri PDFs of ../shared/corpus-real.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPHS = [
    "Sec. 250.{n:04d}. REGULATION OF LEAVE. (a) A political subdivision may not adopt, enforce, "
    "or maintain an ordinance, order, rule, or policy that requires an employer to provide an "
    "employee {{+paid or unpaid+}} leave {{-beyond that required by federal law-}}.",
    "> (b) An ordinance, order, rule, or policy that violates Subsection (a) is {{+void and+}} "
    "unenforceable, and a resident may bring an action {{-in a district court-}} to enjoin it.",
    "> (c) This section does not apply to an employee of the political subdivision or to a "
    "contract {{-entered into before September 1, 2025-}} {{+for public works+}}.",
]
# What the bills open with (benchmarks/hostile.py draws its long bills from the same spec).
SPEC_HEAD = (
    "state: TX\nchamber: house\nnumber: 4312\nyear: 2025\nsponsors: Burrows\n"
    "title: relating to local regulation of employment leave.\n---\n"
    "SECTION 1. Chapter 250, Local Government Code, is amended to read as follows:\n"
)


def make_bill(pages: int, out: Path) -> None:
    from lssc_legal.billwriter import parse_spec, write_bill

    # About 2.3 groups of paragraphs fill a page: draw the bill once at the estimate, then
    # once more with what is missing (drawing grows with the bill; redrawing every few
    # groups made a 2,000-page bill take an hour).
    groups = int(pages * 670 / 296) + 1
    while True:
        body = "\n".join(p.format(n=n) for n in range(groups) for p in PARAGRAPHS)
        drawn = max(w.page for w in write_bill(parse_spec(SPEC_HEAD + body), out))
        if drawn >= pages:
            return
        groups = int(groups * pages / drawn * 1.02) + 1


def _measure(kind: str, path: Path, repeat: int = 1) -> dict[str, float]:
    """The median run of `repeat` (the second core of a shared machine is often busy)."""
    runs = sorted((_measure_once(kind, path) for _ in range(repeat)), key=lambda r: r["seconds"])
    return runs[len(runs) // 2]


def _measure_once(kind: str, path: Path) -> dict[str, float]:
    code = f"""
import resource, sys, time, json
from pathlib import Path
path = Path({str(path)!r})
t = time.perf_counter()
if {kind!r} == "ingest":
    from lssc_legal.ingest import read_bill
    bill = read_bill(path)
    pages = bill.pages
else:
    import pdfplumber
    pages = 0
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
            pages += 1
dt = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"pages": pages, "seconds": dt, "rss_mb": rss}}))
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(out.stdout)
    return figures


def scaling(repeat: int) -> None:
    """Is ingest linear in the page count? Seconds for 300 and 2,000 pages, and their ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        seconds = {}
        for pages in (300, 2000):
            path = Path(tmp) / f"bill{pages}.pdf"
            make_bill(pages, path)
            run = _measure("ingest", path, repeat)
            seconds[pages] = run["seconds"] / run["pages"] * pages
            print(
                f"{run['pages']:>6.0f} pages  {run['seconds']:7.1f} s  "
                f"{run['pages'] / run['seconds']:5.0f} pages/s  peak {run['rss_mb']:.0f} MB",
                flush=True,
            )
        ratio = seconds[2000] / seconds[300]
        print(f"2,000 / 300 pages: {ratio:.2f} times as long (linear: {2000 / 300:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--real", action="store_true", help="also the real Missouri PDFs")
    parser.add_argument("--skip-plumber", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--scaling",
        action="store_true",
        help="instead: a 300- and a 2,000-page bill, and the ratio of their times "
        "(linear: 2,000/300 = 6.7)",
    )
    args = parser.parse_args()
    if args.scaling:
        scaling(args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        print(
            f"{'bill':>18} {'pages':>6} {'ingest p/s':>11} {'peak MB':>8}   "
            f"{'pdfplumber p/s':>14} {'peak MB':>8}"
        )
        for pages in args.pages:
            path = Path(tmp) / f"bill{pages}.pdf"
            make_bill(pages, path)
            ours = _measure("ingest", path, args.repeat)
            line = (
                f"{path.name:>18} {ours['pages']:>6.0f} "
                f"{ours['pages'] / ours['seconds']:>11.0f} {ours['rss_mb']:>8.0f}"
            )
            if not args.skip_plumber:
                ref = _measure("plumber", path)
                line += f"   {ref['pages'] / ref['seconds']:>14.1f} {ref['rss_mb']:>8.0f}"
            print(line, flush=True)
    if args.real:
        folder = (
            ROOT.parent
            / "shared"
            / "corpus-real"
            / "IndigoW0lf__show-me-resistance-backend"
            / "pdf"
        )
        code = f"""
import time, json
from pathlib import Path
from lssc_legal.ingest import read_bill
pages = 0
t = time.perf_counter()
for p in sorted(Path({str(folder)!r}).glob('*.pdf')):
    pages += read_bill(p).pages
print(json.dumps({{"pages": pages, "seconds": time.perf_counter() - t}}))
"""
        out = json.loads(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout
        )
        print(f"{'100 Missouri PDFs':>18} {out['pages']:>6} {out['pages'] / out['seconds']:>11.0f}")


if __name__ == "__main__":
    main()
