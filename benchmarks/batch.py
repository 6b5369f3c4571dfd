"""Batch speed: bills and pages per second for the real Missouri corpus in
../shared/corpus-real (2,593 derived texts, 100 PDFs), with 1 and 2 worker processes, and
the time of a second run over the same, unchanged folder.

    python benchmarks/batch.py [--repeat 3] [--only pdf|text]

Each run is the command a user types (`lssc-legal batch DIR --jobs N --store S`), timed
from process start to exit, into a new store; the second run reuses the store of the
last first run. Medians of --repeat runs: the second core here is intermittently busy.
It also times a batch of one small bill (the fixed cost of starting Python, the fork
server, spaCy and the patterns) and gives the speed-up of the rest.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MO = ROOT.parent / "shared" / "corpus-real" / "IndigoW0lf__show-me-resistance-backend"
SETS = {
    "pdf": ("100 Missouri PDFs", MO / "pdf"),
    "text": ("2,593 Missouri texts", MO / "extracted_text"),
}


def batch(folder: Path, store: Path, jobs: int) -> float:
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "lssc_legal", "batch", str(folder), "--jobs", str(jobs),
         "--store", str(store)],
        check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=sorted(SETS))
    args = parser.parse_args()
    if not MO.is_dir():
        print(f"skipped: {MO} is not present")
        return
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one"
        one.mkdir()
        (one / "bill.pdf").write_bytes(
            (ROOT / "corpus" / "examples" / "tx_hb4312.pdf").read_bytes()
        )
        fixed = statistics.median(batch(one, Path(tmp) / f"{i}.sqlite", 1) for i in range(3))
    print(f"fixed cost of a batch (one 2-page bill, 1 worker): median {fixed:.2f} s")
    for key, (name, folder) in SETS.items():
        if args.only and key != args.only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            medians: dict[int, float] = {}
            for jobs in (1, 2):
                runs = []
                for i in range(args.repeat):
                    store = Path(tmp) / f"{jobs}-{i}.sqlite"
                    runs.append(batch(folder, store, jobs))
                with sqlite3.connect(store) as db:
                    bills, pages, failed = db.execute(
                        "SELECT count(*), coalesce(sum(pages), 0), "
                        "sum(status = 'failed') FROM bills"
                    ).fetchone()
                medians[jobs] = statistics.median(runs)
                m = medians[jobs]
                print(
                    f"{name}, {jobs} worker{'s' * (jobs != 1)}: median {m:.1f} s of "
                    f"{', '.join(f'{r:.1f}' for r in runs)}; {bills / m:.1f} bills/s, "
                    f"{pages / m:.1f} pages/s ({bills} bills, {pages} pages, {failed} failed)"
                )
            again = [batch(folder, store, 2) for _ in range(args.repeat)]
            second = statistics.median(again)
            work = (medians[1] - fixed) / (medians[2] - fixed)
            print(
                f"{name}: speed-up with 2 workers {medians[1] / medians[2]:.2f}x (target 1.8x), "
                f"{work:.2f}x after the fixed cost; "
                f"second, unchanged run {second:.2f} s = {100 * second / medians[2]:.1f}% of "
                f"the first with 2 workers (target < 5%)"
            )


if __name__ == "__main__":
    main()
