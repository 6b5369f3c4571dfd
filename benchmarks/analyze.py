"""Analysis speed: words per second for the analysis stage alone, and end to end (ingest +
analysis) for a 100-page bill, beside ingest alone; the same for bills of 20 to 2,000
pages (is the analysis linear in bill length?); and, when ../shared/corpus-real is present,
over the 100 real Missouri PDFs and the Missouri text corpus (the first --texts files of
its 2,593), with the share of review items.

    python benchmarks/analyze.py [--pages 100] [--repeat 3] [--texts 600] [--scaling]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repository makes `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ingest import make_bill
from lssc_legal.analyze import analyze_bill
from lssc_legal.analyze.rules import engine
from lssc_legal.ingest import read_bill

ROOT = Path(__file__).resolve().parent.parent
MISSOURI = ROOT.parent / "shared" / "corpus-real" / "IndigoW0lf__show-me-resistance-backend"
REAL = MISSOURI / "pdf"
TEXTS = MISSOURI / "extracted_text"


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--texts", type=int, default=600, help="Missouri texts to analyze")
    parser.add_argument(
        "--scaling", action="store_true", help="also time bills of 20 to 2,000 pages"
    )
    args = parser.parse_args()
    t = time.perf_counter()
    engine()
    print(
        f"pipeline build (spaCy blank English + {len(engine().rules)} patterns): "
        f"{time.perf_counter() - t:.2f} s, once per process"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bill.pdf"
        make_bill(args.pages, path)
        bill = read_bill(path)
        words = len(bill.text.split())
        ingest = timed(lambda: read_bill(path), args.repeat)
        analysis = timed(lambda: analyze_bill(bill), args.repeat)
        count = len(analyze_bill(bill).provisions)
        print(
            f"{bill.pages}-page bill, {words:,} words, {count} provisions (median of "
            f"{args.repeat}):"
        )
        print(f"  ingest     {ingest:6.2f} s  {words / ingest:>10,.0f} words/s")
        print(f"  analysis   {analysis:6.2f} s  {words / analysis:>10,.0f} words/s")
        print(
            f"  end to end {ingest + analysis:6.2f} s  {words / (ingest + analysis):>10,.0f} "
            f"words/s  {bill.pages / (ingest + analysis):.0f} pages/s"
        )
    if args.scaling:
        # A text bill of N pages built from one section repeated (the PDF bill writer takes
        # minutes for a thousand pages): is the analysis linear in bill length?
        with tempfile.TemporaryDirectory() as tmp:
            print("pages   words      analysis s   words/s   s per 100 pages")
            took = {}
            for pages in (20, 300, 2000):
                path = Path(tmp) / f"bill{pages}.txt"
                path.write_text(_long_bill(pages), encoding="utf-8")
                bill = read_bill(path)
                words = len(bill.text.split())
                dt = timed(functools.partial(analyze_bill, bill), 1)
                per100 = dt / pages * 100
                took[pages] = dt
                print(f"{pages:5d} {words:9,d} {dt:12.2f} {words / dt:10,.0f} {per100:10.2f}")
            ratio = took[2000] / took[300]
            print(f"2,000 / 300 pages: {ratio:.2f} times as long (linear: {2000 / 300:.2f})")
    if TEXTS.exists():
        files = sorted(TEXTS.glob("*.md"))[: args.texts]
        texts = []
        for f in files:
            try:
                texts.append(read_bill(f))
            except Exception:
                continue
        analyze_bill(texts[0])  # build the pipeline outside the timing
        words = sum(len(b.text.split()) for b in texts)
        t = time.perf_counter()
        results = [analyze_bill(b) for b in texts]
        dt = time.perf_counter() - t
        provisions = [p for a in results for p in a.provisions]
        review = sum(p.confidence == "review" for p in provisions)
        print(
            f"{len(texts)} Missouri texts, {words:,} words: analysis {dt:.2f} s, "
            f"{words / dt:,.0f} words/s (target 50,000), {len(provisions)} provisions, "
            f"{review} of them review items"
        )
    if REAL.exists():
        pdfs = sorted(REAL.glob("*.pdf"))
        bills = [read_bill(p) for p in pdfs]
        words = sum(len(b.text.split()) for b in bills)
        t = time.perf_counter()
        found = sum(len(analyze_bill(b).provisions) for b in bills)
        dt = time.perf_counter() - t
        print(
            f"{len(pdfs)} real Missouri PDFs, {words:,} words: analysis {dt:.2f} s, "
            f"{words / dt:,.0f} words/s, {found} provisions"
        )


_SECTION = """SECTION {n}. Sec. {n}.001. LOCAL REGULATION {n}.
(a) A political subdivision may not adopt, enforce, or maintain an ordinance, order, or rule
regulating employment leave, wages, or the scheduling of employees under Chapter {n}.
(b) This section does not apply to an employee of the political subdivision hired after {n}.
(c) The department shall publish report {n} on its website not later than December 1.
(d) A person who violates this section commits an offense punishable by a fine of ${n}.
(e) A political subdivision that violates Subsection (a) is liable for a civil penalty of:
(1) ${n}0 for a first violation;
(2) ${n}00 for a second violation; and
(3) ${n}000 for each later violation.
(f) The comptroller shall withhold from the municipality {n} percent of the sales tax revenue.
(g) The commissioners court may appoint a committee of {n} members to study the roads of the
county and to report on the condition of each road, bridge, and culvert in the county.
"""


def _long_bill(pages: int) -> str:
    """About 150 words a page, each section's sentences its own (no sentence repeats, so
    no reading is reused)."""
    head = "H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
    return head + "".join(_SECTION.format(n=n) for n in range(1, pages + 1))


if __name__ == "__main__":
    main()
