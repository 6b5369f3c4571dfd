"""Metadata as each core state prints it: session, version and year from the words and codes
the legislatures' own documents carry (benchmarks/metadata.py measures every file of
../shared/corpus-real/core-states/)."""

from __future__ import annotations

import re

import pytest

from lssc_legal.ingest import read_bill
from lssc_legal.ingest.metadata import read_metadata
from lssc_legal.models import Provision

from .test_recall import FIXTURES

# (state, front matter as printed, field, expected)
FRONTS = [
    # Florida House: the drafting code at the foot of every page says the version.
    ("FL", "HB 173 2026\nA bill to be entitled\nPage 1 of 18\nhb173-00", "version", "introduced"),
    ("FL", "CS/HB 949 2026\nA bill to be entitled\nhb949-01-c1", "version",
     "committee substitute 1"),
    ("FL", "CS/CS/HB 927 2026\nhb927 -04-e1", "version", "engrossed 1"),
    ("FL", "ENROLLED\nCS/CS/HB 927 2026\nhb927 -04-er", "version", "enrolled"),
    # Tennessee amendments name the bill they amend; the companion's number is kept as printed.
    ("TN", "Senate Education 1\nAmendment No. 1 to SB0346\nAMEND Senate Bill No. 346* House "
     "Bill No. 453", "version", "amendment"),
    ("TN", "Amendment No. 1 to SB0346\nAMEND Senate Bill No. 0346", "number", "346"),
    # Oklahoma floor versions are dated under their name.
    ("OK", "SENATE FLOOR VERSION\nFebruary 19, 2025\nSENATE BILL NO. 742 By: Gollihare",
     "year", 2025),
    ("OK", "ENGR OSSED SENATE\nBILL NO. 742 By: Gollihare", "version", "engrossed"),
    # Pennsylvania amended prints name the prints before them first.
    ("PA", "PRIOR PRINTER'S NO. 161 PRINTER'S NO. 1485\nTHE GENERAL ASSEMBLY OF PENNSYLVANIA\n"
     "HOUSE BILL No. 242 Session of 2025", "version", "printer's no. 1485"),
    # Arizona names the prime sponsor, then the cosponsors after a colon; a letter tells two
    # members apart; the printer's note under the caption is not the caption.
    ("AZ", "State of Arizona\nHouse of Representatives\nHB 2152\nIntroduced by\nRepresentatives "
     "Lopez: Carbone, Griffin\nAN ACT\namending section 42-5061; relating to taxes.\n"
     "(TEXT OF BILL BEGINS ON NEXT PAGE)\nBe it enacted by the Legislature of the State of Arizona:",
     "sponsors", ("Lopez", "Carbone", "Griffin")),
    ("AZ", "SB 1033\nIntroduced by\nSenator Carter N\nAN ACT\namending section 42-6004; relating "
     "to local excise taxes.\n(TEXT OF BILL BEGINS ON NEXT PAGE)\nBe it enacted by the "
     "Legislature of the State of Arizona:", "title",
     "amending section 42-6004; relating to local excise taxes."),
    ("AZ", "SB 1033\nIntroduced by\nSenator Carter N\nAN ACT\namending section 42-6004.\n",
     "sponsors", ("Carter N",)),
]  # fmt: skip


@pytest.mark.parametrize(("state", "front", "field", "expected"), FRONTS)
def test_front_matter_as_printed(state, front, field, expected):
    meta = read_metadata(front, state, {})
    assert getattr(meta, field) == expected


def test_oklahoma_year_from_the_record_of_passage():
    meta = read_metadata("ENROLLED SENATE\nBILL NO. 742", "OK", {"passed_year": "2025"})
    assert meta.year == 2025 and meta.citation is not None and meta.citation.endswith("2025)")


def test_texas_page_title_names_the_called_session_and_version():
    """capitol.texas.gov: "89(2) HB 74 - Introduced version - Bill Text"."""
    bill = read_bill(FIXTURES / "TX-HB0074-2025C2-introduced.htm")
    assert bill.meta.citation == "H.B. 74, 89th Leg., 2d C.S. (Tex. 2025)"
    assert bill.meta.version == "introduced"


def test_tennessee_prints_no_session_year_and_the_tool_does_not_guess():
    bill = read_bill(FIXTURES / "TN-SB0674-114-current-version.txt")
    assert bill.meta.year is None
    assert bill.meta.citation is not None and "20" not in bill.meta.citation


ARIZONA = [
    # A committee amendment names neither "Arizona" nor an enacting clause on its first page.
    ("Fifty-seventh Legislature Appropriations, Transportation and Technology\n"
     "Second Regular Session H.B. 2812\nPROPOSED\nSENATE AMENDMENTS TO H.B. 2812",
     "amendment"),
    ("Fifty-seventh Legislature Artificial Intelligence & Innovation\n"
     "Second Regular Session S.B. 1020\nPROPOSED\nHOUSE OF REPRESENTATIVES AMENDMENTS TO "
     "S.B. 1020\n1 Strike everything after the enacting clause and insert:",
     "strike-everything amendment"),
    ("State of Arizona Senate Fifty-seventh Legislature Second Regular Session 2026\n"
     "CHAPTER 156\nSENATE BILL 1205\nAN ACT amending title 9", "chaptered"),
]  # fmt: skip


@pytest.mark.parametrize(("front", "version"), ARIZONA)
def test_arizona_amendments_and_chaptered_bills(front, version):
    from lssc_legal.ingest.profiles import detect_state

    assert detect_state(front) == "AZ"
    meta = read_metadata(front, "AZ", {})
    assert meta.version == version
    assert meta.citation is not None and meta.citation.endswith("(Ariz. 2026)")
    if version.endswith("amendment"):
        assert meta.title is None  # an amendment has no caption of its own


def test_oklahoma_enrolled_caption_is_the_acts_not_the_bills_name():
    front = (
        "An Act\nENROLLED SENATE\nBILL NO. 742 By: Gollihare of the Senate\n"
        "An Act relating to firearms; amending 21 O.S. 2021, Section 1277.\n"
        "BE IT ENACTED BY THE PEOPLE OF THE STATE OF OKLAHOMA:"
    )
    meta = read_metadata(front, "OK", {}, title_text=front)
    assert meta.title is not None and meta.title.startswith("relating to firearms")


def test_pinpoints_say_whether_they_are_printed_or_counted(tmp_path):
    from click.testing import CliRunner

    from lssc_legal.analyze import analyze_bill
    from lssc_legal.appendix import row
    from lssc_legal.cli import cli

    printed = read_bill(FIXTURES / "PA-HB0120-2025-PN0102.html")
    counted = read_bill(FIXTURES / "AZ-HB2769-2026-introduced.htm")
    assert (printed.pinpoints, counted.pinpoints) == ("printed", "counted")
    assert counted.to_dict(include_text=False)["pinpoints"] == "counted"
    assert "prints no line numbers" in counted.pinpoints_note
    result = CliRunner().invoke(cli, ["read", str(FIXTURES / "AZ-HB2769-2026-introduced.htm")])
    assert "Pinpoints: This document prints no line numbers" in result.output
    analysis = analyze_bill(counted).to_dict()
    assert analysis["bill"]["pinpoints"] == "counted"
    first = Provision.from_dict(analysis["provisions"][0])
    assert row(analysis["bill"], first)["pinpoint"].endswith("(counted lines)")


def test_texas_pdf_invisible_spacers_are_not_text():
    """Texas draws an invisible "A" where a space goes ("By:AALeo Wilson", "H.B.ANo.A100"):
    text a reader cannot see is not the bill. The PDF's title names session and version."""
    bill = read_bill(FIXTURES / "TX-HB0100-2025-introduced.pdf")
    assert bill.meta.sponsors == ("Leo Wilson",)
    assert "AALeo" not in bill.text and "H.B.ANo" not in bill.text
    assert bill.meta.citation == "H.B. 100, 89th Leg., Reg. Sess. (Tex. 2025)"
    assert bill.meta.version == "introduced"


def _two_bills(tmp_path):
    def page(head: str, first: int, words: str) -> str:
        return f"{head}\n" + "\n".join(f"{first + k} {words} line {k}" for k in range(3)) + "\n"

    text = "\f".join(
        [
            page(
                "H.B. 311", 1, "BE IT ENACTED BY THE LEGISLATURE OF THE STATE OF UTAH: Section 1."
            ),
            page("H.B. 311", 4, "A county may not regulate social media."),
            page(
                "S.B. 152", 1, "BE IT ENACTED BY THE LEGISLATURE OF THE STATE OF UTAH: Section 1."
            ),
            page("S.B. 152", 4, "A city may not regulate age verification."),
        ]
    )
    path = tmp_path / "two.txt"
    path.write_text(text)
    return path


def test_a_file_holding_two_bills_reads_the_first_and_says_so(tmp_path):
    from click.testing import CliRunner

    from lssc_legal.cli import cli
    from lssc_legal.ingest import read_bills

    path = _two_bills(tmp_path)
    first = read_bill(path)
    assert first.meta.number == "311" and "age verification" not in first.text
    assert any(
        "holds 2 bills: H.B. 311 (pages 1-2); S.B. 152 (pages 3-4)" in w for w in first.warnings
    )
    both = read_bills(path)
    assert [b.meta.number for b in both] == ["311", "152"]
    result = CliRunner().invoke(cli, ["read", "--all", "--format", "json", str(path)])
    assert result.exit_code == 0
    import json

    assert [d["number"] for d in json.loads(result.output)] == ["311", "152"]


def test_a_strike_everything_amendment_says_it_replaces_the_bill(tmp_path):
    path = tmp_path / "se.txt"
    path.write_text(
        "Fifty-seventh Legislature Government\nSecond Regular Session H.B. 2429\n"
        "HOUSE OF REPRESENTATIVES AMENDMENTS TO H.B. 2429\n"
        "1 Strike everything after the enacting clause and insert:\n"
        '2 "Section 1. Section 9-500.50, Arizona Revised Statutes, is amended to read:\n'
        "3 A. A city or town may not adopt an ordinance that regulates the matter.\n"
    )
    bill = read_bill(path)
    assert bill.meta.version == "strike-everything amendment"
    assert any("replaces everything after the bill's enacting clause" in w for w in bill.warnings)


OTHER_STATES = [
    # New Jersey: "ASSEMBLY, No. 2354"; Maryland names itself only in its enacting clause.
    ("A2354 2R\n[Second Reprint]\nASSEMBLY, No. 2354\nSTATE OF NEW JERSEY\n216th LEGISLATURE\n",
     "NJ", "Assem. B. 2354"),
    ("SENATE BILL 40\nBy: Senators Pugh\nAN ACT concerning Labor\n"
     "BE IT ENACTED BY THE GENERAL ASSEMBLY OF MARYLAND, That\n", "MD", "S.B. 40"),
]  # fmt: skip


@pytest.mark.parametrize(("front", "state", "cite"), OTHER_STATES)
def test_other_states_front_matter(front, state, cite):
    from lssc_legal.ingest.profiles import detect_state

    assert detect_state(front) == state
    meta = read_metadata(front, state, {})
    assert meta.citation is not None and meta.citation.startswith(cite)


def test_a_number_that_a_bill_name_owns_is_not_a_margin_number(tmp_path):
    path = tmp_path / "az.txt"
    lines = [f"A county may not regulate the matter in line {n}. {n}" for n in range(1, 8)]
    path.write_text("State of Arizona\nHB 2505\nAN ACT relating to leave\n" + "\n".join(lines))
    assert read_bill(path).meta.number == "2505"


def test_florida_house_pdf_filed_version_printed_lines_and_drawn_underline():
    bill = read_bill(FIXTURES / "FL-HB0479-2026-filed.pdf")
    assert bill.meta.citation == "H.B. 479, 2026 Leg., Reg. Sess. (Fla. 2026)"
    assert bill.meta.version == "introduced" and bill.pinpoints == "printed"
    at = bill.text.index("A county or municipality may not adopt laws")
    assert str(bill.pinpoint(at)) == "1:20"
    assert {s.mark for s in bill.spans_in(at, at + 30)} == {"inserted"}


def test_florida_senate_html_filed_version_and_insert_classes():
    bill = read_bill(FIXTURES / "FL-SB0872-2026-filed.html")
    assert bill.meta.citation == "S.B. 872, 2026 Leg., Reg. Sess. (Fla. 2026)"
    assert bill.meta.version == "introduced" and bill.pinpoints == "printed"
    at = bill.text.index("Except as provided in subsection (10)")
    assert {s.mark for s in bill.spans_in(at, at + 20)} == {"inserted"}
    # line numbers, no page breaks: the "1:" of a pinpoint is no printed page
    assert "no page breaks" in bill.pinpoints_note and "cite them by line" in bill.pinpoints_note
    # a numbered blank line ("  89  " with nothing beside it) is no word of the bill
    assert not re.search(r"(?m)^\s*\d{1,4}\s*$", bill.text)


def test_arizona_committee_amendment_pdf():
    bill = read_bill(
        FIXTURES
        / "AZ-HB2812-2026-amendment-senate-appropriations-transportation-and-technology.pdf"
    )
    assert bill.meta.citation == "H.B. 2812, 57th Leg., 2d Reg. Sess. (Ariz. 2026)"
    assert bill.meta.version == "amendment" and bill.meta.title is None
    at = bill.text.index("Page 8, line 7 strike")
    assert str(bill.pinpoint(at)) == "1:1"
    # The drafting block under the signature is not text: file name, date, time, typist.
    assert "28121208.docx" not in bill.text and "LMM/ci" not in bill.text


def test_arizona_capitals_in_a_section_added_by_a_wrapped_instruction_are_new(tmp_path):
    path = tmp_path / "az.txt"
    path.write_text(
        "Fifty-seventh Legislature Regulatory Affairs\nSecond Regular Session S.B. 1473\n"
        "SENATE AMENDMENTS TO S.B. 1473\n"
        "1 Section 1. Title 9, chapter 4, article 6.1, Arizona Revised\n"
        "2 Statutes, is amended by adding section 9-462.15, to read:\n"
        "3 A. A MUNICIPALITY MAY NOT ADOPT ANY LAW RELATING TO AN ASSISTED\n"
        "4 LIVING HOME.\n"
        "5 Sec. 2. Section 9-462.16, Arizona Revised Statutes, is repealed.\n"
    )
    bill = read_bill(path, state="AZ")
    at = bill.text.index("MUNICIPALITY MAY NOT ADOPT")
    assert {s.mark for s in bill.spans_in(at, at + 20)} == {"inserted"}
