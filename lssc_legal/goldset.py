"""Score the analysis against hand-labelled bills (tests/gold): the figures a lawyer asks
for before trusting the tool. Used by benchmarks/accuracy.py and by the tests.

A gold file labels every provision of one bill: its opening words (`quote`), kind, kinds,
punitive mechanisms, subjects, markup and start pinpoint ("page:line"), plus hard
negatives: sentences that must not come out as provisions. A predicted provision matches a
label when its words contain the label's opening words (compared as lower-case words, so
quotes, dashes and line-end hyphens do not decide), or, for a list item, when its lead-in
does. Labels marked optional count neither for recall nor against precision; a label's
markup "unknown" or start null is not scored. Review items (confidence "review") count as
predictions; the high-confidence figures leave them out.

Punitive mechanisms and subjects are scored twice: `punitive_f1` and `subject_f1` count an
unmatched prediction's mechanisms and subjects as false (so they fall with precision), and
the `_matched` figures read only the labels the tool found, as `kind` does, and as
benchmarks/agreement.py scores two readers against each other.

It ships with the tool rather than in a dev extra: it is small and needs nothing the tool
does not (the bill writer it draws the written gold with is the `write-bill` command).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .analyze import analyze_bill
from .models import Analysis, Provision


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
    mech_matched: list[int] = field(default_factory=lambda: [0, 0, 0])
    subj_matched: list[int] = field(default_factory=lambda: [0, 0, 0])
    markup_n: int = 0  # matched labels whose markup is known
    pinpoint_n: int = 0  # matched labels with a start pinpoint
    high_predicted: int = 0
    high_correct: int = 0
    review_predicted: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind: [found, gold]
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
            "markup_n",
            "pinpoint_n",
            "high_predicted",
            "high_correct",
            "review_predicted",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, (f, g) in other.by_kind.items():
            mine = self.by_kind.setdefault(kind, [0, 0])
            mine[0] += f
            mine[1] += g
        for i in range(3):
            self.mech[i] += other.mech[i]
            self.subj[i] += other.subj[i]
            self.mech_matched[i] += other.mech_matched[i]
            self.subj_matched[i] += other.subj_matched[i]
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
            "high_precision": ratio(self.high_correct, self.high_predicted),
            "review_share": ratio(self.review_predicted, self.predicted),
            "kind": ratio(self.kind_right, self.matched),
            "punitive_f1": f1(*self.mech),
            "subject_f1": f1(*self.subj),
            "punitive_f1_matched": f1(*self.mech_matched),
            "subject_f1_matched": f1(*self.subj_matched),
            "markup": ratio(self.markup_right, self.markup_n),
            "pinpoint": ratio(self.pinpoint_right, self.pinpoint_n),
            "negatives_quiet": ratio(self.negatives - self.negatives_hit, self.negatives),
        }

    def recall_by_kind(self) -> dict[str, float | None]:
        return {k: (f / g if g else None) for k, (f, g) in sorted(self.by_kind.items())}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


_LABEL = re.compile(r"^\s*(?:\(?[a-z0-9]{1,4}[.)]\s*)+", re.I)


def _words(text: str) -> str:
    """Lower-case words joined by single spaces, with an opening enumeration label dropped:
    what two readings of the same printed words share."""
    text = _LABEL.sub("", text.replace("-\n", ""))
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def _matches(label_quote: str, p: Provision, length: int = 10) -> bool:
    """The label's first `length` words in the provision (or its lead-in), or the
    provision's opening words in the label."""
    probe = " " + " ".join(_words(label_quote).split()[:length]) + " "
    if probe.strip() == "":
        return False
    if probe in _words(p.text):
        return True
    # A list item whose label quoted the lead-in (a list of conditions), or a label that
    # quotes more than the tool's unit: the tool's opening words inside the label's.
    if p.lead_in and probe in _words(p.lead_in):
        return True
    head = " " + " ".join(_words(p.text).split()[:10]) + " "
    return len(head.split()) >= 6 and head in _words(label_quote)


def score_bill(analysis: Analysis, gold: dict[str, Any], starts: dict[str, str]) -> Score:
    s = Score()
    preds = list(analysis.provisions)
    used: set[str] = set()
    # Required labels first, so that an optional label never takes the provision a
    # required one needs.
    labels = sorted(gold["provisions"], key=lambda lab: bool(lab.get("optional")))
    for label in labels:
        # The whole quote first: two sentences may open with the same ten words ("Subsection
        # (a) preempts any policy ... of a state / local governmental entity").
        match = next(
            (p for p in preds if p.id not in used and _matches(label["quote"], p, 40)), None
        ) or next((p for p in preds if p.id not in used and _matches(label["quote"], p)), None)
        optional = bool(label.get("optional"))
        kind_count = s.by_kind.setdefault(label["kind"], [0, 0])
        if not optional:
            s.gold += 1
            kind_count[1] += 1
        if match is None:
            if not optional:
                s.misses.append(f"{gold['name']}: [{label['kind']}] {label['quote'][:90]}")
                s.mech[2] += len(label["punitive"])
                s.subj[2] += len(label["subjects"])
            continue
        used.add(match.id)
        if optional:
            continue
        s.found += 1
        kind_count[0] += 1
        s.matched += 1
        s.kind_right += match.kind == label["kind"]
        if label.get("markup", "unknown") != "unknown":
            s.markup_n += 1
            s.markup_right += match.markup == label["markup"]
        start = starts.get(label["quote"], label.get("start"))
        if start:
            s.pinpoint_n += 1
            s.pinpoint_right += str(match.start) == start
        _count(s.mech, set(match.punitive), set(label["punitive"]))
        _count(s.subj, set(match.subjects), set(label["subjects"]))
        _count(s.mech_matched, set(match.punitive), set(label["punitive"]))
        _count(s.subj_matched, set(match.subjects), set(label["subjects"]))
    s.predicted = len(preds)
    s.correct = len(used)
    s.high_predicted = sum(p.confidence == "high" for p in preds)
    s.high_correct = sum(p.confidence == "high" and p.id in used for p in preds)
    s.review_predicted = sum(p.confidence == "review" for p in preds)
    for p in preds:
        if p.id not in used:
            s.extras.append(f"{gold['name']}: {p.id} {p.confidence} {p.kind} {p.text[:80]}")
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


def evaluate(
    folder: Path, real_root: Path, splits: Collection[str] | None = None
) -> dict[str, dict[str, Score]]:
    """Scores by split (dev, holdout) and state, with "all" for the totals; only the bills
    of `splits` when given."""
    results: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    with tempfile.TemporaryDirectory() as tmp:
        for gold in load_gold(folder):
            if splits is not None and gold.get("split", "dev") not in splits:
                continue
            ran = run_gold(gold, real_root, Path(tmp))
            if ran is None:
                continue
            analysis, starts = ran
            s = score_bill(analysis, gold, starts)
            split = gold.get("split", "dev")
            results[split][gold.get("state", "?")].add(s)
            results[split]["all"].add(s)
    return results
