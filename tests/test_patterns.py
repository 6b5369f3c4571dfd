"""Every pattern in corpus/patterns runs its own examples and counterexamples, inside a
whole analysis: add a pattern with examples and it is tested."""

from __future__ import annotations

import json

import pytest

from lssc_legal.analyze import analyze_bill
from lssc_legal.analyze.rules import Engine, PatternError, expand_token, load_rules
from lssc_legal.corpusdir import corpus_dir
from lssc_legal.ingest import read_bill
from lssc_legal.models import MECHANISMS

RULES = load_rules()
# A preemptive sentence before the example, for rules that count only inside a section
# that preempts ("a violation of this section", "this section does not apply to ...").
CONTEXT = "A political subdivision may not adopt an ordinance regulating leave."


def _analyze(tmp_path, sentence: str, context: bool):
    body = f"(a) {CONTEXT}\n(b) {sentence}\n" if context else f"(a) {sentence}\n"
    path = tmp_path / "bill.txt"
    path.write_text(
        "H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        f"SECTION 1. Sec. 1.001. TEST PROVISION.\n{body}SECTION 2. This Act takes effect "
        "September 1, 2025.\n"
    )
    return analyze_bill(read_bill(path))


def _fired(analysis, sentence: str) -> set[str]:
    probe = " ".join(sentence.split())[:40]
    return {r for p in analysis.provisions if probe in p.text for r in p.rules}


CASES = [(rule.id, text, True) for rule in RULES for text in rule.examples] + [
    (rule.id, text, False) for rule in RULES for text in rule.counterexamples
]


@pytest.mark.parametrize(
    ("rule_id", "sentence", "fires"),
    CASES,
    ids=[f"{c[0]}-{'ex' if c[2] else 'counter'}{i}" for i, c in enumerate(CASES)],
)
def test_pattern_examples(tmp_path, rule_id, sentence, fires):
    rule = next(r for r in RULES if r.id == rule_id)
    context = fires and (rule.requires or "").endswith(("section", "section_preempts"))
    fired = _fired(_analyze(tmp_path, sentence, context), sentence)
    assert (rule_id in fired) == fires, (rule_id, sentence, fired)


def test_every_kind_and_mechanism_has_a_pattern_with_examples():
    kinds = {r.kind for r in RULES if r.examples}
    assert {"field", "express", "conflict", "nullification", "punitive", "savings"} <= kinds
    mechanisms = {r.signal["mechanism"] for r in RULES if "mechanism" in r.signal and r.examples}
    assert mechanisms == set(MECHANISMS)


def test_every_pattern_has_a_rationale_and_a_known_signal():
    for rule in RULES:
        assert rule.rationale, rule.id
        assert rule.id.split(".")[0] in {
            "field",
            "express",
            "conflict",
            "nullification",
            "punitive",
            "savings",
            "exclude",
        }, rule.id


TOKENS = [
    ("may", {"LOWER": "may"}),
    ("may|shall", {"LOWER": {"IN": ["may", "shall"]}}),
    ("@W+", {"OP": "+"}),
    ("@W{,6}", {"OP": "{,6}"}),
    (",?", {"LOWER": ",", "OP": "?"}),
]


@pytest.mark.parametrize(("token", "spec"), TOKENS)
def test_pattern_token_shorthand(token, spec):
    assert expand_token(token, "test") == spec


def test_a_broken_pattern_file_is_a_clear_error(tmp_path):
    folder = tmp_path / "patterns"
    folder.mkdir()
    (folder / "lexicon.json").write_text((corpus_dir() / "patterns" / "lexicon.json").read_text())
    (folder / "bad.json").write_text(
        json.dumps([{"id": "x.y", "signal": {"kind": "express"}, "patterns": [["@NOPE"]]}])
    )
    with pytest.raises(PatternError, match="unknown list '@NOPE'"):
        Engine(folder)
