"""Statutes that govern local governments (corpus/patterns/codes.json): each entry's
examples and counterexamples, and what a bill that amends one reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from lssc_legal.analyze import analyze_bill
from lssc_legal.analyze.codes import load_codes
from lssc_legal.corpusdir import corpus_dir
from lssc_legal.ingest import read_bill

CODES = load_codes(corpus_dir() / "patterns" / "codes.json")
CASES = [(c, text, True) for c in CODES for text in c.examples] + [
    (c, text, False) for c in CODES for text in c.counterexamples
]


@pytest.mark.parametrize(
    ("code", "where", "named"),
    CASES,
    ids=[f"{c[0].state}-{'ex' if c[2] else 'counter'}{i}" for i, c in enumerate(CASES)],
)
def test_code_examples(code, where, named):
    """An example names its statute; a counterexample names no local statute of its state."""
    if named:
        assert code.names(where), (code.name, where)
    else:
        hits = [c.name for c in CODES if c.state == code.state and c.names(where)]
        assert not hits, (where, hits)


def test_every_state_has_local_codes_with_examples():
    states = {c.state for c in CODES}
    assert {"AZ", "FL", "MO", "NC", "OK", "PA", "TN", "TX"} <= states
    assert all(c.examples and c.counterexamples for c in CODES), [
        c.name for c in CODES if not (c.examples and c.counterexamples)
    ]


def _texas(tmp_path: Path, clause: str) -> list:
    path = tmp_path / "hb.txt"
    path.write_text(
        "H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        f"SECTION 1. {clause} is amended to read as follows:\n"
        "(c) The assessor shall submit the appraisal roll to the governing body not later "
        "than August 1.\n"
        "(d) An additional rate adopted under this subsection may not be imposed for more "
        "than two years.\n"
        "SECTION 2. This Act takes effect September 1, 2025.\n"
    )
    return analyze_bill(read_bill(path)).provisions


def test_sentences_of_a_local_tax_statute_bind_though_they_name_no_one(tmp_path):
    """Texas Tax Code ch. 26 sets the tax rates of taxing units: its limits ("not later
    than", "may not") are reported for review, say where they stand, and are fiscal. The
    same sentences in the homestead exemption section (ch. 11) are not."""
    got = _texas(tmp_path, "Section 26.04(c), Tax Code,")
    assert [p.text.split()[0] for p in got] == ["The", "An"], [p.text for p in got]
    for p in got:
        assert p.confidence == "review" and p.kind == "express"
        assert "fiscal" in p.subjects
        assert "Tax Code ch. 26 (tax rates of taxing units)" in p.rationale, p.rationale
        assert "governs" in p.rationale
    assert "limits them: 'may not'" in got[1].rationale, got[1].rationale
    assert "no local government is its subject, but SECTION 1 stands in" in got[0].rationale
    assert not _texas(tmp_path, "Section 11.13(b), Tax Code,")


def test_a_school_code_binds_school_districts_not_universities(tmp_path):
    """Pennsylvania's Public School Code governs school districts, and also colleges: a
    duty of a postsecondary institution in it is someone else's."""
    path = tmp_path / "pa.txt"
    path.write_text(
        "THE GENERAL ASSEMBLY OF PENNSYLVANIA\nHOUSE BILL No. 1\n"
        "The General Assembly of the Commonwealth of Pennsylvania hereby enacts as follows:\n"
        "Section 1. Section 1303-A of the act of March 10, 1949 (P.L.30, No.14), known as the "
        "Public School Code of 1949, is amended to read:\n"
        "Section 1303-A. Reporting.--(a) The reporting policy may be adopted only after a "
        "public hearing.\n"
        "(b) A postsecondary institution shall adopt a written policy on misconduct.\n"
        "Section 2. This act shall take effect in 60 days.\n"
    )
    got = [p.text for p in analyze_bill(read_bill(path)).provisions]
    assert len(got) == 1 and "The reporting policy may be adopted only" in got[0], got


def test_an_amending_clause_citing_a_bill_by_its_initials_is_not_quoted(tmp_path):
    """Texas H.B. 9: "Section 26.042(a-2), Tax Code, as added by H.B. 30, Acts of the 89th
    Legislature, ..., is amended to read as follows: (a-2) The voter-approval tax rate ...":
    "H.B." does not end a sentence, and the law quoted starts at "(a-2)", not at "30, Acts"."""
    path = tmp_path / "hb.txt"
    path.write_text(
        "H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        "SECTION 1. Section 26.042(a-2), Tax Code, as added by H.B.\n30, Acts of the 89th "
        "Legislature, Regular Session, 2025, is amended to read as follows:\n"
        "(a-2) The tax rate may not exceed the voter-approval tax rate.\n"
        "SECTION 2. This Act takes effect September 1, 2025.\n"
    )
    got = [p.text for p in analyze_bill(read_bill(path)).provisions]
    assert got and all(not t.startswith(("30,", "Section 26")) for t in got), got
    assert any("may not exceed the voter-approval tax rate" in t for t in got), got


@pytest.mark.parametrize(("binding", "reported"), [(0, False), (1, True)])
def test_a_plain_duty_of_a_local_statute_needs_one_sentence_in_ten_that_binds(
    tmp_path, binding, reported
):
    """Oklahoma's county purchasing statute (19 O.S. s. 1505) is a county's own procedure:
    "The county clerk shall file the purchase order" is not reported where nothing in the
    section binds a county; beside "A county may not ..." it is."""
    first = ["(A) A county may not purchase goods from a vendor that is not registered."]
    duties = [
        f"({chr(66 + i)}) The county clerk shall file copy {i} of the order." for i in range(8)
    ]
    path = tmp_path / "ok.txt"
    path.write_text(
        "ENGROSSED SENATE BILL NO. 1\nBE IT ENACTED BY THE PEOPLE OF THE STATE OF OKLAHOMA:\n"
        "SECTION 1. AMENDATORY 19 O.S. 2021, Section 1505, is amended to read as follows:\n"
        "Section 1505.\n" + "\n".join(first[:binding] + duties) + "\n"
        "SECTION 2. This act shall become effective November 1, 2025.\n"
    )
    got = [p for p in analyze_bill(read_bill(path)).provisions if "copy" in p.text]
    assert bool(got) == reported, [p.text for p in got]
    if reported:
        assert len(got) == 8
        assert any("Okla. Stat. tit. 19 (counties)" in n for n in got[0].notes), got[0].notes


def test_a_joint_resolution_cites_the_constitution_by_article(tmp_path):
    """Florida H.J.R. 947 prints the articles it amends as headings: its sections are
    "Art. IV, § 1" and "Art. VIII, § 1", not four bare "SECTION 1"s; the ballot statement
    after "BE IT FURTHER RESOLVED" belongs to none; the local government article governs
    counties, so "The county seat may not be moved" binds one."""
    path = tmp_path / "hjr.txt"
    path.write_text(
        "HJR 947\nHouse Joint Resolution\nA joint resolution proposing amendments to the State "
        "Constitution.\nBe It Resolved by the Legislature of the State of Florida:\n"
        "That the following amendments are agreed to:\nARTICLE IV\nEXECUTIVE\n"
        "SECTION 1. Governor.—\n(a) The supreme executive power shall be vested in a governor.\n"
        "ARTICLE VIII\nLOCAL GOVERNMENT\nSECTION 1. Counties.—\n"
        "(k) COUNTY SEAT. In every county there shall be a county seat. The county seat may "
        "not be moved except as provided by general law.\n"
        "BE IT FURTHER RESOLVED that the following statement be placed on the ballot:\n"
        "The county seat may not be moved except by general law.\n"
    )
    bill = read_bill(path)
    labels = [s.label for s in bill.sections if s.level != "subsection"]
    assert labels == ["Art. IV, § 1", "Art. VIII, § 1"], labels
    got = [p for p in analyze_bill(bill).provisions if "county seat may not" in p.text]
    assert [p.section for p in got] == ["Art. VIII, § 1(k)"], [(p.section, p.text) for p in got]
    assert any("Fla. Const. art. VIII" in n for n in got[0].notes), got[0].notes
