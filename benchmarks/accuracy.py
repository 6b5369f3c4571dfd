"""Accuracy of the analysis on the gold set: recall, precision, kind accuracy, punitive-
mechanism F1, subject F1, markup and pinpoint accuracy, per state and overall, on the
written gold (bills drawn by the bill writer) and on the real gold (labelled real bills from
../shared/corpus-real) separately, and on the held-out gold that patterns were not tuned on.

    python benchmarks/accuracy.py [--show-errors]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lssc_legal.goldset import evaluate

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus-real"
TARGETS = {
    "recall": 0.95,
    "precision": 0.90,
    "kind": 0.90,
    "punitive_f1": 0.90,
    "subject_f1": 0.80,
    "markup": 0.95,
    "pinpoint": 0.98,
}


def fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:5.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="list misses and extras")
    args = parser.parse_args()
    columns = [
        "recall",
        "precision",
        "kind",
        "punitive_f1",
        "subject_f1",
        "markup",
        "pinpoint",
        "negatives_quiet",
    ]
    print(
        f"{'set':<16}{'state':<6}{'labels':>7}{'pred':>6}  "
        + " ".join(f"{c[:9]:>9}" for c in columns)
    )
    print(f"{'target':<29}  " + " ".join(f"{fmt(TARGETS.get(c)):>9}" for c in columns))
    for name in ("written", "real"):
        results = evaluate(ROOT / "tests" / "gold" / name, REAL)
        for split in sorted(results):
            for state, score in sorted(results[split].items(), key=lambda kv: kv[0] == "all"):
                figs = score.figures()
                print(
                    f"{name + '/' + split:<16}{state:<6}{score.gold:>7}{score.predicted:>6}  "
                    + " ".join(f"{fmt(figs[c]):>9}" for c in columns)
                )
            if args.show_errors:
                total = results[split]["all"]
                for miss in total.misses:
                    print(f"    missed: {miss}")
                for extra in total.extras:
                    print(f"    extra:  {extra}")


if __name__ == "__main__":
    main()
