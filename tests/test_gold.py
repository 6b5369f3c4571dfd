"""The gold set (tests/gold): well-formed labels in the design's vocabulary, and a guard
that the analysis keeps its measured accuracy on the written dev bills."""

from __future__ import annotations

from pathlib import Path

import pytest

from lssc_legal.goldset import evaluate, load_gold
from lssc_legal.models import KINDS, MECHANISMS, SUBJECTS

from .conftest import HERE, REAL

GOLD = HERE / "gold"
ALL = [g for folder in ("written", "real") for g in load_gold(GOLD / folder)]


@pytest.mark.parametrize("gold", ALL, ids=[g["name"] for g in ALL])
def test_gold_labels_use_the_vocabulary(gold):
    assert gold.get("split") in ("dev", "holdout")
    for label in gold["provisions"]:
        assert label["kind"] in KINDS and label["kind"] in label["kinds"], label["quote"]
        assert set(label["kinds"]) <= set(KINDS)
        assert set(label["punitive"]) <= set(MECHANISMS)
        assert set(label["subjects"]) <= set(SUBJECTS), label["subjects"]
        assert label["markup"] in ("inserted", "deleted", "unchanged", "mixed")
        # precedence: the primary kind is the first of the design's order among kinds
        assert label["kind"] == next(k for k in KINDS if k in label["kinds"]), label["quote"]


def test_gold_set_size_meets_the_plan():
    written = [g for g in ALL if "spec" in g]
    labels = sum(1 for g in written for p in g["provisions"] if not p.get("optional"))
    negatives = sum(len(g.get("negatives", [])) for g in written)
    assert labels >= 80 and negatives >= 25
    assert len([g for g in ALL if "source" in g]) >= 10
    assert any(g["split"] == "holdout" for g in written)


def test_written_dev_accuracy_does_not_regress():
    """Measured 2026-11-22: recall 1.00, precision 1.00, kind 1.00 on the written dev set.
    The guard leaves room for a label that is honestly hard; tune patterns, not this."""
    scores = evaluate(GOLD / "written", REAL)["dev"]["all"].figures()
    assert scores["recall"] >= 0.95
    assert scores["precision"] >= 0.90
    assert scores["kind"] >= 0.90
    assert scores["markup"] >= 0.95
    assert scores["pinpoint"] >= 0.95


def test_real_dev_accuracy_does_not_regress():
    if not REAL.exists():
        pytest.skip("real corpus not present")
    scores = evaluate(GOLD / "real", REAL)["dev"]["all"].figures()
    # Its labels were set after reading the tool's output, before review items existed:
    # precision is measured on the high-confidence items (0.98 on 2026-12-02).
    assert scores["recall"] >= 0.95 and scores["high_precision"] >= 0.95


def test_gold_folder_paths_exist():
    for g in ALL:
        if "spec" in g:
            assert (Path(g["path"]).parent / g["spec"]).exists(), g["name"]


@pytest.mark.parametrize("gold", ALL, ids=[g["name"] for g in ALL])
def test_the_memos_bottom_line_agrees_with_its_tables(gold, tmp_path):
    """The bottom line is computed from the provisions the memo's tables list: it says the
    bill would preempt exactly when a classified provision of new text preempts, that it
    reprints existing preemption exactly when one of existing law does, that it strikes
    preemption when a struck provision preempts, names every penalty of the live provisions,
    and counts the review items."""
    from lssc_legal.goldset import run_gold
    from lssc_legal.models import MECHANISM_LABELS, PREEMPTIVE
    from lssc_legal.render.context import memo_context, mostly_new

    if "source" in gold and not REAL.exists():
        pytest.skip("real corpus not present")
    ran = run_gold(gold, REAL, tmp_path)
    assert ran is not None
    analysis = ran[0]
    line = memo_context(analysis)["bottom_line"]
    high = [p for p in analysis.provisions if p.confidence == "high"]
    review = [p for p in analysis.provisions if p.confidence == "review"]
    live = [p for p in high if p.markup != "deleted"]
    marked = analysis.bill.marked
    new = [p for p in live if set(p.kinds) & PREEMPTIVE and (not marked or mostly_new(p))]
    kept = [p for p in live if set(p.kinds) & PREEMPTIVE and marked and not mostly_new(p)]
    struck = [p for p in high if p.markup == "deleted" and set(p.kinds) & PREEMPTIVE]
    assert ("would preempt local authority" in line) == bool(new), line
    assert ("reprints, and leaves in place, existing preemption" in line) == bool(kept), line
    assert (f"It strikes {len(struck)} preemptive provision" in line) == bool(struck), line
    for p in live:
        for m in p.punitive:
            assert MECHANISM_LABELS[m] in line, (m, line)
    assert (f"A further {len(review)} passage" in line) == bool(review), line
    if not high and not review:
        assert "found no provision" in line
