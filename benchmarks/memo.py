"""Memo speed: the time to weigh, match and draft the memo (Word and Markdown) once a bill
is read and analyzed, for the example bill, a 100-page generated bill, and the real
Missouri PDFs with the most provisions when ../shared/corpus-real is present.

    python benchmarks/memo.py [--pages 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repository makes `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.analyze import REAL, timed
from benchmarks.ingest import make_bill
from lssc_legal.analyze import analyze_bill, weigh_and_match
from lssc_legal.ingest import read_bill
from lssc_legal.render.memo import memo_markdown, write_memo

ROOT = Path(__file__).resolve().parent.parent


def report(name: str, pdf: Path, repeat: int, out: Path) -> None:
    analysis = analyze_bill(read_bill(pdf))
    provisions = list(analysis.provisions)
    weigh = timed(lambda: weigh_and_match(analysis.bill, provisions), repeat)
    docx = timed(lambda: write_memo(analysis, out / "memo.docx"), repeat)
    md = timed(lambda: memo_markdown(analysis), repeat)
    size = (out / "memo.docx").stat().st_size // 1024
    print(
        f"{name:28} {analysis.bill.pages:4} pages {len(provisions):4} provisions "
        f"{len(analysis.findings):4} findings | principles+models+amendments {weigh:6.3f} s | "
        f"Word memo {docx:6.3f} s ({size} KB) | Markdown {md:6.3f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        report("example (tx_hb4312.pdf)", ROOT / "corpus" / "examples" / "tx_hb4312.pdf",
               args.repeat, out)  # fmt: skip
        big = out / "big.pdf"
        make_bill(args.pages, big)
        report(f"generated {args.pages} pages", big, args.repeat, out)
        for name in ("SB948", "HB2207", "HB1462"):
            if (REAL / f"{name}.pdf").exists():
                report(f"real MO {name}", REAL / f"{name}.pdf", args.repeat, out)


if __name__ == "__main__":
    main()
