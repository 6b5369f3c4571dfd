"""Accuracy of the analysis on the gold sets, each reported apart:

- written: bills drawn by the project's bill writer in the core-state styles;
- real: the regression set of real bills (labels set after reading the tool's output: it
  measures memory of those bills, not reading);
- blind/dev and blind/frozen: real bills labelled by readers who never saw the tool's output
  (tests/gold/blind/CONVENTIONS.md). Patterns may be tuned on dev; frozen is never read to
  tune, and its misses are not printed unless --show-frozen is given.

Recall and precision count review items (confidence "review"); high_prec is the precision
of high-confidence items alone; review is the share of predictions that are review items.
punitive_f1 and subject_f1 count the mechanisms and subjects of unmatched predictions as
false; pun_match and subj_match read only the labels the tool found (as kind does, and as
benchmarks/agreement.py scores two readers). "pooled" sums every split but frozen.

    python benchmarks/accuracy.py [--show-errors] [--show-frozen] [--set blind] [--hide dev5]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lssc_legal.goldset import Score, evaluate

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "corpus-real"
TARGETS = {
    "recall": 0.95,
    "precision": 0.85,
    "high_precision": 0.95,
    "kind": 0.90,
    "punitive_f1": 0.90,
    "subject_f1": 0.85,
}
COLUMNS = [
    "recall",
    "precision",
    "high_precision",
    "review_share",
    "kind",
    "punitive_f1",
    "subject_f1",
    "punitive_f1_matched",
    "subject_f1_matched",
    "markup",
    "pinpoint",
    "negatives_quiet",
]
NAMES = {
    "high_precision": "high_prec",
    "review_share": "review",
    "negatives_quiet": "neg_quiet",
    "punitive_f1_matched": "pun_match",
    "subject_f1_matched": "subj_match",
}


def fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:5.2f}"


def row(name: str, state: str, score: Score) -> str:
    figs = score.figures()
    return f"{name:<16}{state:<6}{score.gold:>7}{score.predicted:>6}  " + " ".join(
        f"{fmt(figs[c]):>9}" for c in COLUMNS
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="list misses and extras")
    parser.add_argument(
        "--show-frozen", action="store_true", help="also list the frozen set's errors"
    )
    parser.add_argument(
        "--set", action="append", choices=["written", "real", "blind"], help="only these sets"
    )
    parser.add_argument(
        "--hide",
        action="append",
        default=[],
        metavar="SPLIT",
        help="leave out a split (a round still being labelled, not yet measured)",
    )
    args = parser.parse_args()
    if not REAL.is_dir():
        print(f"note: {REAL} is absent; only the written gold is scored")
    print(
        f"{'set':<16}{'state':<6}{'labels':>7}{'pred':>6}  "
        + " ".join(f"{NAMES.get(c, c)[:9]:>9}" for c in COLUMNS)
    )
    print(f"{'target':<29}  " + " ".join(f"{fmt(TARGETS.get(c)):>9}" for c in COLUMNS))
    for name in args.set or ["written", "real", "blind"]:
        results = evaluate(ROOT / "tests" / "gold" / name, REAL)
        pooled = Score()
        for split in sorted(results):
            if split != "frozen" and split not in args.hide:
                pooled.add(results[split]["all"])
            label = f"{name}/{split}"
            if split in args.hide:
                continue
            for state, score in sorted(results[split].items(), key=lambda kv: kv[0] == "all"):
                print(row(label, state, score))
            total = results[split]["all"]
            kinds = ", ".join(
                f"{k} {fmt(v).strip()} ({total.by_kind[k][1]})"
                for k, v in total.recall_by_kind().items()
            )
            print(f"{'':<16}recall by kind: {kinds}")
            show = args.show_errors and (split != "frozen" or args.show_frozen)
            if show:
                for miss in total.misses:
                    print(f"    missed: {miss}")
                for extra in total.extras:
                    print(f"    extra:  {extra}")
        if len([s for s in results if s != "frozen" and s not in args.hide]) > 1:
            print(row(f"{name}/pooled", "all", pooled))


if __name__ == "__main__":
    main()
