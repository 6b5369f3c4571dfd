"""Analysis speed: words per second for the analysis stage alone, and end to end (ingest +
analysis) for a 100-page bill, beside ingest alone; and the same over the 100 real Missouri
PDFs when ../shared/corpus-real is present.

    python benchmarks/analyze.py [--pages 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import make_bill

from lssc_legal.analyze import analyze_bill
from lssc_legal.analyze.rules import engine
from lssc_legal.ingest import read_bill

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus-real" / "IndigoW0lf__show-me-resistance-backend" / "pdf"


def timed(fn, repeat: int) -> float:
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


if __name__ == "__main__":
    main()
