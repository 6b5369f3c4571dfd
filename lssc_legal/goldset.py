"""Score the analysis against hand-labelled bills (tests/gold): the figures a lawyer asks
for before trusting the tool. Used by benchmarks/accuracy.py and by the tests.

A gold file labels every provision of one bill: its opening words (`quote`), kind, kinds,
punitive mechanisms, subjects, markup and start pinpoint ("page:line"), plus hard
negatives: sentences that must not come out as provisions. A predicted provision matches a
label when its text contains the label's opening words.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .analyze import analyze_bill
from .models import Analysis


@dataclass
class Score:
    gold: int = 0  # required labels
    found: int = 0  # required labels matched
    predicted: int = 0
    correct: int = 0  # predictions that match a label (required or optional)
    kind_right: int = 0
    markup_right: int = 0
    pinpoint_right: int = 0
    matched: int = 0
    negatives: int = 0
    negatives_hit: int = 0
    mech: list[int] = field(default_factory=lambda: [0, 0, 0])  # tp, fp, fn
    subj: list[int] = field(default_factory=lambda: [0, 0, 0])
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in (
            "gold",
            "found",
            "predicted",
            "correct",
            "kind_right",
            "markup_right",
            "pinpoint_right",
            "matched",
            "negatives",
            "negatives_hit",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for i in range(3):
            self.mech[i] += other.mech[i]
            self.subj[i] += other.subj[i]
        self.misses += other.misses
        self.extras += other.extras

    def figures(self) -> dict[str, float | None]:
        def ratio(a: int, b: int) -> float | None:
            return a / b if b else None

        def f1(tp: int, fp: int, fn: int) -> float | None:
            return 2 * tp / (2 * tp + fp + fn) if (tp + fp + fn) else None

        return {
            "recall": ratio(self.found, self.gold),
            "precision": ratio(self.correct, self.predicted),
            "kind": ratio(self.kind_right, self.matched),
            "punitive_f1": f1(*self.mech),
            "subject_f1": f1(*self.subj),
            "markup": ratio(self.markup_right, self.matched),
            "pinpoint": ratio(self.pinpoint_right, self.matched),
            "negatives_quiet": ratio(self.negatives - self.negatives_hit, self.negatives),
        }


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def score_bill(analysis: Analysis, gold: dict[str, Any], starts: dict[str, str]) -> Score:
    s = Score()
    preds = list(analysis.provisions)
    used: set[str] = set()
    for label in gold["provisions"]:
        probe = _norm(label["quote"])[:160]
        match = next((p for p in preds if p.id not in used and probe in _norm(p.text)), None)
        optional = bool(label.get("optional"))
        if not optional:
            s.gold += 1
        if match is None:
            if not optional:
                s.misses.append(f"{gold['name']}: {label['quote'][:70]}")
                s.mech[2] += len(label["punitive"])
                s.subj[2] += len(label["subjects"])
            continue
        used.add(match.id)
        if optional:
            continue
        s.found += 1
        s.matched += 1
        s.kind_right += match.kind == label["kind"]
        s.markup_right += match.markup == label["markup"]
        s.pinpoint_right += str(match.start) == starts.get(label["quote"], label.get("start"))
        _count(s.mech, set(match.punitive), set(label["punitive"]))
        _count(s.subj, set(match.subjects), set(label["subjects"]))
    s.predicted = len(preds)
    s.correct = len(used)
    for p in preds:
        if p.id not in used:
            s.extras.append(f"{gold['name']}: {p.id} {p.kind} {p.text[:70]}")
            s.mech[1] += len(p.punitive)
            s.subj[1] += len(p.subjects)
    for negative in gold.get("negatives", []):
        s.negatives += 1
        probe = _norm(negative)[:60]
        s.negatives_hit += any(probe in _norm(p.text) for p in preds)
    return s


def _count(counts: list[int], got: set[str], want: set[str]) -> None:
    counts[0] += len(got & want)
    counts[1] += len(got - want)
    counts[2] += len(want - got)


def load_gold(folder: Path) -> list[dict[str, Any]]:
    out = []
    for path in sorted(folder.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        gold["name"] = path.stem
        gold["path"] = path
        out.append(gold)
    return out


def run_gold(
    gold: dict[str, Any], real_root: Path, work: Path
) -> tuple[Analysis, dict[str, str]] | None:
    """Analyze the gold file's bill; return the analysis and the gold start pinpoints
    (for a written bill, from where the bill writer printed the quote's words)."""
    from .billwriter import write_bill_file
    from .ingest import read_bill

    starts: dict[str, str] = {}
    if "spec" in gold:
        pdf = work / f"{gold['name']}.pdf"
        printed = write_bill_file((gold["path"].parent / gold["spec"]).resolve(), pdf)
        # Where the writer printed the quote's first words: a character search over the
        # printed words, so a quote may start inside one ("Prohibition.--A municipality").
        joined, owner = "", []
        for i, w in enumerate(printed):
            text = w.text.replace("[", "").replace("]", "").lower() + " "
            joined += text
            owner.extend([i] * len(text))
        for label in gold["provisions"]:
            at = joined.find(_norm(label["quote"])[:60])
            if at >= 0:
                w = printed[owner[at]]
                starts[label["quote"]] = f"{w.page}:{w.line}"
        bill = read_bill(pdf)
    else:
        path = real_root / gold["source"]
        if not path.exists():
            return None
        bill = read_bill(path)
    return analyze_bill(bill), starts


def evaluate(folder: Path, real_root: Path) -> dict[str, dict[str, Score]]:
    """Scores by split (dev, holdout) and state, with "all" for the totals."""
    results: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    with tempfile.TemporaryDirectory() as tmp:
        for gold in load_gold(folder):
            ran = run_gold(gold, real_root, Path(tmp))
            if ran is None:
                continue
            analysis, starts = ran
            s = score_bill(analysis, gold, starts)
            split = gold.get("split", "dev")
            results[split][gold.get("state", "?")].add(s)
            results[split]["all"].add(s)
    return results
