"""How far two blind readers agree: the ceiling for what the blind gold can measure.

Eleven dev bills of tests/gold/blind were read a second time, blind, by readers 71 to 75
(tests/gold/agreement, session 24), under the same CONVENTIONS.md and the same brief. Each
second reading is scored against the first as the tool is: a first reader's required label
counts as found when the second reader quoted the same unit (the same matching of quotes
as benchmarks/accuracy.py), with the second reader's optional labels counting as found the
way the tool's review items do; and the other way round.

    python benchmarks/agreement.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lssc_legal.goldset import _count, _matches

ROOT = Path(__file__).resolve().parent.parent
FIRST = ROOT / "tests" / "gold" / "blind"
SECOND = ROOT / "tests" / "gold" / "agreement"


class _Quote:
    """A label read as if it were a provision: what the quote matcher reads."""

    def __init__(self, quote: str) -> None:
        self.text, self.lead_in = quote, None


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    one, other = _Quote(b["quote"]), _Quote(a["quote"])
    return _matches(a["quote"], one) or _matches(b["quote"], other)  # type: ignore[arg-type]


def _found(label: dict[str, Any], others: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((o for o in others if _same(label, o)), None)


def main() -> None:
    totals = dict.fromkeys(["a", "a_any", "a_req", "a_kind", "b", "b_any", "b_req"], 0)
    # Subjects and mechanisms of the labels both readers marked: true positives, then the
    # second reader's extras and misses, scored as the tool's are (goldset._count).
    subj, mech = [0, 0, 0], [0, 0, 0]
    head = ("bill", "1st req/opt", "2nd req/opt", "1st in 2nd", "2nd in 1st")
    print(f"{head[0]:45} {head[1]:>11} {head[2]:>11} {head[3]:>10} {head[4]:>10}")
    for path in sorted(SECOND.glob("*.json")):
        first = json.loads((FIRST / path.name).read_text(encoding="utf-8"))["provisions"]
        second = json.loads(path.read_text(encoding="utf-8"))["provisions"]
        a = [lab for lab in first if not lab.get("optional")]
        b = [lab for lab in second if not lab.get("optional")]
        hits = [_found(lab, second) for lab in a]
        row = {
            "a": len(a),
            "a_any": sum(h is not None for h in hits),
            "a_req": sum(_found(lab, b) is not None for lab in a),
            "a_kind": sum(
                h is not None and h["kind"] == lab["kind"] for h, lab in zip(hits, a, strict=True)
            ),
            "b": len(b),
            "b_any": sum(_found(lab, first) is not None for lab in b),
            "b_req": sum(_found(lab, a) is not None for lab in b),
        }
        for key in totals:
            totals[key] += row[key]
        for h, lab in zip(hits, a, strict=True):
            if h is not None:
                _count(subj, set(h["subjects"]), set(lab["subjects"]))
                _count(mech, set(h["punitive"]), set(lab["punitive"]))
        print(
            f"{path.stem:45} {len(a):>5}/{len(first) - len(a):<5}"
            f" {len(b):>5}/{len(second) - len(b):<5} {row['a_any']:>10} {row['b_any']:>10}"
        )
    t = totals
    print()
    print(f"first reader's {t['a']} required labels found by the second reader:")
    print(f"  counting the second reader's optional labels: {t['a_any'] / t['a']:.2f}")
    print(f"  counting required labels only:                {t['a_req'] / t['a']:.2f}")
    print(f"  same kind, where found:                       {t['a_kind'] / max(t['a_any'], 1):.2f}")
    print(f"second reader's {t['b']} required labels found by the first reader:")
    print(f"  counting the first reader's optional labels:  {t['b_any'] / t['b']:.2f}")
    print(f"  counting required labels only:                {t['b_req'] / t['b']:.2f}")
    print("on the labels both readers marked, the second reader's against the first:")
    print(f"  subject F1:                                   {_f1(subj):.2f}")
    print(f"  punitive mechanism F1:                        {_f1(mech):.2f}")


def _f1(counts: list[int]) -> float:
    tp, fp, fn = counts
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


if __name__ == "__main__":
    main()
