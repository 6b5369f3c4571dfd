"""Principles, model language and word diffs: tables of bills and what a lawyer expects."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lssc_legal.analyze import analyze_bill
from lssc_legal.analyze.model_language import load_model_language
from lssc_legal.analyze.principles import load_principles
from lssc_legal.corpusdir import corpus_dir
from lssc_legal.errors import CorpusError
from lssc_legal.ingest import read_bill
from lssc_legal.models import PRINCIPLES
from lssc_legal.textdiff import similarity, word_diff

from .conftest import real

HEAD = {
    "TX": "H.B. No. 100\nA BILL TO BE ENTITLED\nAN ACT\nrelating to local regulation.\n"
    "BE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n",
    "MO": "SECOND REGULAR SESSION\nHOUSE BILL NO. 100\n102ND GENERAL ASSEMBLY\n"
    "AN ACT\nTo repeal section 1.100, RSMo, relating to local regulation.\n"
    "Be it enacted by the General Assembly of the state of Missouri, as follows:\n",
}


def analysis_of(tmp_path: Path, body: str, state: str = "TX"):
    path = tmp_path / "bill.txt"
    path.write_text(HEAD[state] + body + "\nSECTION 9. This Act takes effect September 1, 2025.\n")
    return analyze_bill(read_bill(path, state=state))


def fired_tests(analysis) -> set[tuple[str, str]]:
    return {(f.test, f.severity) for f in analysis.findings}


S1 = "SECTION 1. Chapter 250, Local Government Code, is amended by adding Section 250.020 to "
S1 += "read as follows:\nSec. 250.020. REGULATION. "

CASES = [
    # (name, body, findings that must fire, findings that must not)
    (
        "express ceiling, no interest, no savings",
        S1 + "(a) A political subdivision may not adopt, enforce, or maintain an ordinance that "
        "requires an employer to provide paid leave.",
        {("P3.express", "high"), ("P3.no_savings", "medium")},
        set(),
    ),
    (
        "a savings clause in the section lowers the severity and answers the bill test",
        S1 + "(a) A political subdivision may not adopt an ordinance that requires an employer "
        "to provide paid leave.\n(b) This section does not apply to an employee of the "
        "political subdivision.",
        {("P3.express", "medium")},
        {("P3.express", "high"), ("P3.no_savings", "medium")},
    ),
    (
        "a stated state interest lowers the severity",
        S1 + "(a) The legislature finds that a uniform rule serves a substantial state interest. "
        "(b) A political subdivision may not adopt an ordinance that requires an employer to "
        "provide paid leave.",
        {("P3.express", "medium")},
        {("P3.express", "high")},
    ),
    (
        "field preemption offends P1 and P3",
        S1 + "(a) This state occupies the whole field of regulation of firearms, to the "
        "exclusion of all existing and future ordinances of a municipality or county.",
        {("P1.field", "high"), ("P3.field", "high")},
        set(),
    ),
    (
        "retroactive nullification is raised to high",
        S1 + "(a) A municipality may not regulate firearms. (b) Any existing or future "
        "ordinance of a municipality regulating firearms is null and void.",
        {("P1.nullification", "high")},
        {("P1.nullification", "medium")},
    ),
    (
        "penalties on officials, funds withheld, fees: stacking and fiscal punishment",
        S1 + "(a) A municipality may not adopt an ordinance regulating firearms.\n(b) An officer "
        "of a municipality who violates this section is liable for a civil penalty of $5,000 "
        "and may be removed from office.\n(c) The comptroller shall withhold state sales tax "
        "revenue from a municipality that violates this section.\n(d) A court shall award "
        "reasonable attorney's fees to a person who prevails against the municipality in an "
        "action under this section.\n(e) A municipality that violates this section is liable "
        "to the state for a civil penalty of $1,000 for each day of the violation.",
        {
            ("P4.officials", "high"),
            ("P2.funding_withheld", "high"),
            ("P4.funding", "high"),
            ("P4.stacking", "high"),
            ("P2.fiscal_punishment", "high"),
            ("P4.fiscal_retaliation", "high"),
        },
        set(),
    ),
    (
        "a savings clause alone offends nothing",
        S1 + "(a) This chapter does not prohibit a municipality from adopting an ordinance that "
        "provides greater protection to employees.",
        set(),
        {("P3.no_savings", "medium")},
    ),
]


@pytest.mark.parametrize("name, body, fired, quiet", CASES, ids=[c[0] for c in CASES])
def test_findings(tmp_path, name, body, fired, quiet):
    got = fired_tests(analysis_of(tmp_path, body))
    assert fired <= got, got
    assert not (quiet & got), got


def test_finding_reason_reads_like_a_lawyer(tmp_path):
    a = analysis_of(tmp_path, CASES[0][1])
    f = next(f for f in a.findings if f.test == "P3.express")
    assert f.summary == (
        "SECTION 1, Sec. 250.020(a) (1:7) bars political subdivisions from acting on employment "
        "leave with no stated state interest and no savings clause: contrary to P3."
    )
    assert a.provisions[0].principles == ("P3",)


def test_struck_savings_clause_only_counts_when_the_preemption_stays(tmp_path):
    """Striking a savings clause beside preemption that stays widens it (P3); striking the
    whole preemptive section with its savings clause is a repeal and offends nothing."""
    pdf = real("IndigoW0lf__show-me-resistance-backend", "pdf", "HB1462.pdf")
    a = analyze_bill(read_bill(pdf))
    assert a.findings == ()
    assert any(p.markup == "deleted" and "savings" in p.kinds for p in a.provisions)


def test_every_principle_file_loads_and_covers_p1_to_p4():
    principles = load_principles()
    assert [p.id for p in principles] == list(PRINCIPLES)
    ids = [t["id"] for p in principles for t in (*p.provision_tests, *p.bill_tests)]
    assert len(ids) == len(set(ids))
    assert all(t["id"].startswith(p.id + ".") for p in principles for t in p.provision_tests)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d.update(id="P9"), "is not one of"),
        (lambda d: d["provision_tests"][0].update(severity="grave"), "severity"),
        (lambda d: d["provision_tests"][0]["when"].update(colour=["red"]), "unknown condition"),
        (lambda d: d["provision_tests"][0].update(reason="{whre} bars"), "unknown placeholder"),
        (lambda d: d["bill_tests"][0].update(test="vibes"), "unknown bill test"),
    ],
)
def test_a_broken_principle_file_is_a_clear_error(tmp_path, edit, message):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir(), corpus, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = corpus / "principles" / "P1.json"
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))
    with pytest.raises(CorpusError, match=message):
        load_principles(str(corpus / "principles"))


# -- model language ---------------------------------------------------------------------


def test_model_files_load_and_name_known_alternatives():
    language = load_model_language()
    assert len(language.models) >= 10 and len(language.alternatives) >= 6
    kinds = {m.kind for m in language.models}
    assert {"field", "express", "nullification", "punitive"} <= kinds


@pytest.mark.parametrize("model", load_model_language().models, ids=lambda m: m.id)
def test_each_model_is_its_own_nearest_match(tmp_path, model):
    from lssc_legal.analyze.model_language import match_models
    from lssc_legal.models import Pinpoint, Provision

    p = Provision(
        id="P1", kind="express", kinds=("express",), punitive=(), subjects=model.subjects,
        targets=(), effect=None, markup="inserted", text=model.text, redline=(), section="",
        start=Pinpoint(1, 1), end=Pinpoint(1, 1), rules=(),
    )  # fmt: skip
    [match] = match_models([p], load_model_language())
    assert match.model == model.id and match.similarity == 1.0


AMENDMENTS = [
    # (body, alternative, struck text, inserted text)
    (
        S1 + "(a) A political subdivision may not adopt an ordinance that requires an employer "
        "to provide paid leave beyond that required by state law.",
        "alt.floor_savings",
        "",
        "may not be construed to prohibit a political subdivision from adopting",
    ),
    (
        CASES[0][1],  # a bare prohibition has no state standard to be a floor: own employees
        "alt.own_employees",
        "",
        "This section does not apply to a political subdivision with respect to its own",
    ),
    (
        S1 + "(a) A municipality may not regulate firearms. (b) An officer of a municipality who "
        "violates this section is liable for a civil penalty of $5,000.",
        "alt.no_official_penalties",
        "An officer of a municipality who violates this section is liable for a civil penalty "
        "of $5,000.",
        "",
    ),
    (
        S1 + "(a) A municipality may not regulate firearms. (b) The attorney general may bring "
        "an action to enjoin a violation of this section and may recover reasonable attorney's "
        "fees.",
        "alt.no_fee_shifting",
        " and may recover reasonable attorney's fees",
        "",
    ),
    (
        S1 + "(a) This state occupies the whole field of regulation of firearms, to the "
        "exclusion of ordinances of a municipality.",
        "alt.conflict_only",
        "This state occupies the whole field",
        "A municipality may not adopt or enforce an ordinance, order, or rule that directly "
        "conflicts with [the specific state statute]",
    ),
]


@pytest.mark.parametrize("body, alternative, struck, inserted", AMENDMENTS)
def test_amendments_are_drawn_on_the_bills_own_words(tmp_path, body, alternative, struck, inserted):
    a = analysis_of(tmp_path, body)
    found = [x for x in a.amendments if x.alternative == alternative]
    assert found, [x.alternative for x in a.amendments]
    amendment = found[0]
    provision = next(p for p in a.provisions if p.id == amendment.provision)
    # the unchanged and struck spans are the provision's own words, in order
    kept = "".join(s.text for s in amendment.redline if s.mark != "inserted")
    assert kept == provision.text
    deleted = "".join(s.text for s in amendment.redline if s.mark == "deleted")
    added = "".join(s.text for s in amendment.redline if s.mark == "inserted")
    assert struck in deleted if struck else not deleted
    assert inserted in added if inserted else not added


@pytest.mark.parametrize(
    "state, body, says",
    [
        (
            "MO",
            "Section A. Section 1.100, RSMo, is enacted to read as follows:\n1.100. 1. No "
            "political subdivision shall adopt an ordinance regulating paid leave.\n2. This "
            "section shall not apply to employees of the political subdivision.",
            "The general assembly finds that",
        ),
        (
            "TX",
            S1 + "(a) A political subdivision may not adopt an ordinance that requires paid "
            "leave.\n(b) This section does not apply to an employee of the political "
            "subdivision.",
            "The legislature finds that",
        ),
    ],
)
def test_legislature_is_named_as_the_state_names_it(tmp_path, state, body, says):
    """With a savings clause in the section, the proposal is a stated state interest, in
    the words of the state's own legislature."""
    a = analysis_of(tmp_path, body, state)
    [amendment] = [x for x in a.amendments if x.alternative == "alt.stated_interest"]
    assert amendment.text.startswith(says)


# -- word diff --------------------------------------------------------------------------

DIFFS = [
    ("a b c", "a b c", [("equal", "a b c")], 1.0),
    (
        "A municipality may adopt an ordinance.",
        "A municipality or county may not adopt an ordinance.",
        [
            ("equal", "A municipality "),
            ("insert", "or county "),
            ("equal", "may"),
            ("insert", " not"),
            ("equal", " adopt an ordinance."),
        ],
        0.8,
    ),
    (
        "is void and unenforceable.",
        "is null and void.",
        [
            ("equal", "is "),
            ("delete", "void"),
            ("insert", "null"),
            ("equal", " and "),
            ("delete", "unenforceable"),
            ("insert", "void"),
            ("equal", "."),
        ],
        0.5,
    ),
    ("", "new words", [("insert", "new words")], 0.0),
]


@pytest.mark.parametrize("old, new, ops, score", DIFFS)
def test_word_diff(old, new, ops, score):
    got = word_diff(old, new)
    assert got == ops
    assert "".join(t for op, t in got if op != "insert") == old
    assert "".join(t for op, t in got if op != "delete") == new
    assert similarity(got) == pytest.approx(score, abs=0.01)


def test_word_diff_of_long_texts_is_not_delete_all_insert_all():
    old = " ".join(f"word{i}" for i in range(20000))
    new = old.replace("word10000", "changed")
    ops = word_diff(old, new)
    assert [op for op, _ in ops] == ["equal", "delete", "insert", "equal"]


def test_a_list_keeps_its_last_item_after_or(tmp_path):
    """A savings clause's list ends "...; or (4) Inspecting ...": each item is its own
    provision with the lead-in it completes, the last one too, though it starts with a
    capital (Missouri H.B. 2207, 6:29-35, printed this way)."""
    body = S1 + (
        "(a) A political subdivision may not require a license of a statewide contractor.\n"
        "(b) This section does not prohibit a political subdivision from:\n"
        "(1) enforcing a technical code;\n(2) Issuing permits;\n"
        "(3) Enforcing technical codes of the political subdivision; or\n"
        "(4) Inspecting the work of a statewide contractor."
    )
    a = analysis_of(tmp_path, body)
    savings = [p for p in a.provisions if p.kind == "savings"]
    assert [p.text for p in savings] == [
        "enforcing a technical code;",
        "Issuing permits;",
        "Enforcing technical codes of the political subdivision; or",
        "Inspecting the work of a statewide contractor.",
    ]
    assert {p.lead_in for p in savings} == {
        "This section does not prohibit a political subdivision from:"
    }
    assert all(p.confidence == "high" for p in savings)
    assert [p.section.rsplit(", ", 1)[-1][-3:] for p in savings] == ["(1)", "(2)", "(3)", "(4)"]


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("The court may award costs and reasonable attorney fees to any plaintiff who "
         "prevails in an action under this act.", "one-way"),
        ("A court shall award the prevailing party reasonable attorney's fees.", "two-way"),
        ("A resident who prevails is entitled to recover reasonable attorney fees.", "one-way"),
        ("The court shall award attorney fees and costs against the political subdivision.",
         "one-way"),
        ("The court may award reasonable attorney's fees.", "unclear"),
    ],
)  # fmt: skip
def test_a_fee_clause_is_read_for_whom_it_pays(text, direction):
    from lssc_legal.analyze.model_language import fee_direction

    assert fee_direction(text) == direction


def test_a_finding_of_interest_goes_after_the_heading_and_once_per_section():
    from lssc_legal.analyze.model_language import load_model_language, propose_amendments
    from lssc_legal.models import Pinpoint, Provision

    def provision(pid: str, text: str) -> Provision:
        return Provision(
            id=pid, kind="express", kinds=("express",), subjects=("labor",), targets=(),
            punitive=(), effect="prohibition", markup="inserted", section="SECTION 1",
            start=Pinpoint(1, 1), end=Pinpoint(1, 2), offsets=(0, len(text)), text=text,
            rules=("express.target_may_not",), principles=("P3",), redline=(),
        )  # fmt: skip

    first = provision("P1", "Sec. 250.0131. REGULATION OF LEAVE. (a) A political subdivision "
                            "may not adopt an ordinance.")  # fmt: skip
    second = provision("P2", "(b) A county may not adopt a rule.")
    found = propose_amendments([first, second], load_model_language(), lambda p: set())
    findings = [a for a in found if a.alternative == "alt.stated_interest"]
    assert [a.provision for a in findings] == ["P1"]
    spans = findings[0].redline
    assert (
        spans[0].text == "Sec. 250.0131. REGULATION OF LEAVE. (a) " and spans[0].mark == "unchanged"
    )
    assert spans[1].mark == "inserted" and spans[1].text.startswith("The legislature finds")
