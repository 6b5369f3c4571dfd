"""Real bills from ../shared/corpus-real, read as a lawyer would check them by eye.

Each expectation was read off the rendered page. Skipped when the corpus is absent.
"""

from __future__ import annotations

import re

import pytest

from lssc_legal.ingest import read_bill
from lssc_legal.ingest.assemble import ENACTING

from .conftest import MO_PDF, REAL, real


def line_text(bill, page, number):
    lines = [ln for ln in bill.lines if ln.page == page and ln.number == number]
    assert lines, f"no line {page}:{number}"
    return [bill.text[ln.start : ln.end] for ln in lines]


def marks_of(bill, quote):
    at = bill.text.index(quote)
    return {
        s.mark for s in bill.spans_in(at, at + len(quote)) if bill.text[s.start : s.end].strip()
    }


def test_missouri_house_struck_repeal_and_bold_insertions():
    bill = read_bill(real("IndigoW0lf__show-me-resistance-backend", "pdf", "HB2231.pdf"))
    assert bill.meta.citation == "H.B. 2231, 102d Gen. Assemb., 2d Reg. Sess. (Mo. 2024)"
    assert bill.meta.sponsors == ("MERIDETH",)
    # Line 1 of a Missouri section is printed without its number.
    first = bill.lines[
        [bill.text[ln.start : ln.end] for ln in bill.lines].index(
            next(
                t
                for t in (bill.text[ln.start : ln.end] for ln in bill.lines)
                if t.startswith("149.192.")
            )
        )
    ]
    assert (first.page, first.number, first.number_source) == (1, 1, "inferred")
    assert line_text(bill, 1, 2)[-1].startswith("[The general assembly") is False
    assert "legislation increasing the taxation" in line_text(bill, 1, 2)[-1]
    assert marks_of(bill, "occupies and preempts the entire field") == {"deleted"}
    assert marks_of(bill, "shall be null and void") == {"deleted"}
    assert marks_of(bill, "Any political") == {"inserted"}
    assert bill.pinpoint(bill.text.index("Any political")).line == 8
    for leak in ("4736H.01I", "EXPLANATION", "Chief Clerk", "✔"):
        assert leak not in bill.text
    assert "occupies" not in bill.reading_text()


def test_missouri_senate_grey_shading_is_deletion():
    bill = read_bill(real("IndigoW0lf__show-me-resistance-backend", "pdf", "SB1418.pdf"))
    assert bill.meta.citation == "S.B. 1418, 102d Gen. Assemb., 2d Reg. Sess. (Mo. 2024)"
    assert line_text(bill, 2, 10)[0].startswith("[section 66.300 and section 80.090")
    assert marks_of(bill, "[section 66.300 and section 80.090, section 92.073") == {"deleted"}
    assert marks_of(bill, "this chapter or chapter 66, 80,") == {"inserted"}
    assert marks_of(bill, "business license tax provided under sections") == {"unchanged"}
    assert "SB 1418" not in bill.text  # the running head of pages 2 on
    assert bill.pinpoint(bill.text.index("Tax [Simplification] Modernization")).line == 3


def test_missouri_repealed_preemption_is_wholly_deleted():
    bill = read_bill(real("IndigoW0lf__show-me-resistance-backend", "pdf", "HB1462.pdf"))
    section = next(s for s in bill.sections if s.label == "§ 21.750")
    words = [m for m in re.finditer(r"[A-Za-z]{3,}", bill.text[section.start : section.end])]
    deleted = sum(bill.mark_at(section.start + m.start()) == "deleted" for m in words)
    assert deleted / len(words) > 0.95


def test_florida_house_enrolled_continuous_numbers_and_underline():
    bill = read_bill(real("agentcluck77__techjam-jamming", "Florida State Law.pdf"))
    assert bill.meta.citation == "CS/CS/H.B. 3, 2024 Leg., Reg. Sess. (Fla. 2024)"
    assert bill.meta.version == "enrolled"
    at = bill.text.index("501.1736 Social media use for minors.")
    assert str(bill.pinpoint(at)) == "3:55"
    assert marks_of(bill, "501.1736 Social media use for minors.") == {"inserted"}
    assert line_text(bill, 2, 26)[0].startswith("compliance actions;")
    for leak in ("Page 3 of 20", "CODING", "hb0003-04-er", "F L O R I D A", "2024 Legislature"):
        assert leak not in bill.text


def test_utah_enrolled_struck_words_in_brackets():
    bill = read_bill(real("agentcluck77__techjam-jamming", "SB0152.pdf"))
    assert bill.meta.citation == "S.B. 152, 2023 Gen. Sess. (Utah 2023)"
    at = bill.text.index("Ticket Transferability Act; [and]")
    and_at = at + len("Ticket Transferability Act; [")
    assert bill.mark_at(and_at) == "deleted"
    assert str(bill.pinpoint(and_at)) == "4:95"
    assert "Enrolled Copy" not in bill.text


def test_florida_senate_html_insert_and_remove_classes():
    bill = read_bill(real("jbern1022__Sunshine_Ledger", "s0564_c1.html"))
    assert bill.meta.citation == "CS/S.B. 564, 2026 Leg., Reg. Sess. (Fla. 2026)"
    assert bill.meta.version == "committee substitute 1"
    assert bill.meta.sponsors == ("Yarborough",)
    line17 = line_text(bill, 1, 17)[0]
    assert line17.startswith("(1) An No agency or a state")
    assert marks_of(bill, "(1) An") == {"inserted"}
    at = bill.text.index("No agency")
    assert bill.mark_at(at) == "deleted"
    assert bill.mark_at(bill.text.index("not solicit")) == "inserted"
    assert "2026564c1" not in bill.text
    assert bill.cite(bill.text.index("High school students")) == "Section 1, § 97.0291(2)(b)"


def test_texas_text_file_from_html_extraction():
    bill = read_bill(real("dssg__policy_diffusion", "split_txt", "30_TX_HB3328.txt"))
    assert (bill.meta.state, bill.meta.number, bill.meta.chamber) == ("TX", "3328", "house")
    assert all(ln.number_source == "counted" for ln in bill.lines)


@pytest.mark.skipif(not MO_PDF.exists(), reason="real corpus not present")
def test_every_missouri_pdf_reads_with_numbers_and_no_furniture():
    """All 100 real Missouri PDFs: no error, body lines numbered, no running heads in text."""
    for pdf in sorted(MO_PDF.glob("*.pdf")):
        bill = read_bill(pdf)
        assert bill.meta.state == "MO", pdf.name
        assert bill.meta.number and pdf.stem.endswith(bill.meta.number), pdf.name
        body = bill.lines[
            next(
                i
                for i, ln in enumerate(bill.lines)
                if ENACTING.search(bill.text[ln.start : ln.end])
            )
            + 1 :
        ]
        unnumbered = [ln for ln in body if ln.number is None]
        assert len(unnumbered) <= 2, (pdf.name, [bill.text[x.start : x.end] for x in unnumbered])
        assert not re.search(r"^[HS]B \d+ \d+$", bill.text, re.M), pdf.name


def test_real_corpus_root_is_where_tests_expect_it():
    if not REAL.exists():
        pytest.skip("real corpus not present")
    assert (REAL / "MANIFEST.md").exists()


def test_missouri_sponsor_with_district_and_one_line_section_a():
    bill = read_bill(real("IndigoW0lf__show-me-resistance-backend", "pdf", "HB1462.pdf"))
    assert bill.meta.sponsors == ("BROWN",)
    first = next(ln for ln in bill.lines if bill.text[ln.start : ln.end].startswith("Section A."))
    assert (first.number, first.number_source) == (1, "inferred")


def test_utah_running_head_on_even_pages_is_not_text():
    bill = read_bill(real("agentcluck77__techjam-jamming", "Utah.pdf"))
    heads = [ln for ln in bill.lines if bill.text[ln.start : ln.end] == "Enrolled Copy"]
    assert heads == []
    assert "§ 13-63-201" in {
        s.label for s in read_bill(real("agentcluck77__techjam-jamming", "SB0152.pdf")).sections
    }


def test_a_citation_broken_after_florida_s_dot_opens_no_code_section(tmp_path):
    """ "... as defined in s.\n403.031. The term ..." continues a citation: it is not a code
    section, and the subsections after it keep their levels ("(8)(a)", then "(9)")."""
    path = tmp_path / "fl.txt"
    path.write_text(
        "HB 948\nBe It Enacted by the Legislature of the State of Florida:\n"
        "Section 3. Section 163.3254, Florida Statutes, is amended to read:\n"
        "163.3254 Florida Starter Homes Act.—\n"
        "(7)(a) A local government shall confirm receipt of an application, as defined in s.\n"
        "403.031. The term does not include an onsite system.\n"
        "(8)(a) A property owner may maintain a cause of action for damages.\n"
        "(b) The court may issue a writ of mandamus.\n"
        "(9) This section waives sovereign immunity for any local government.\n"
        "Section 4. This act shall take effect July 1, 2026.\n"
    )
    bill = read_bill(path)
    assert not [s for s in bill.sections if "403.031" in s.label]
    at = bill.text.index("This section waives")
    assert bill.cite(at).endswith("§ 163.3254(9)")
    assert bill.cite(bill.text.index("The court may issue")).endswith("§ 163.3254(8)(b)")


def test_a_texas_act_in_articles_has_its_sections_and_their_subsections(tmp_path):
    """Texas H.B. 92 (2nd C.S.) numbers its sections by article: "SECTION 2.03. RATES OF LOCAL
    VALUE ADDED TAXES. (a) ...". Each is a bill section, its first subsection opens on the
    heading's line, and a pinpoint cites "SECTION 2.03, (b)". Elsewhere "Section 12.1" is a
    code section (Pennsylvania), and a Texas "SECTION 2." is read as before."""
    path = tmp_path / "tx.txt"
    path.write_text(
        "H.B. No. 92\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        "ARTICLE 2. LOCAL VALUE ADDED TAXES\n"
        "SECTION 2.02. LOCAL VALUE ADDED TAXES. (a) A political subdivision may impose a local\n"
        "value added tax.\n"
        "(b) The tax is administered by the comptroller.\n"
        "SECTION 2.03. RATES OF LOCAL VALUE ADDED TAXES. (a) The combined rate of all local\n"
        "value added taxes may not exceed two percent.\n"
        "(b) The maximum combined rate does not apply to a school district enrichment tax.\n"
        "SECTION 3. This Act takes effect January 1, 2030.\n"
    )
    bill = read_bill(path)
    labels = [s.label for s in bill.sections if s.level == "bill_section"]
    assert labels == ["SECTION 2.02", "SECTION 2.03", "SECTION 3"]
    assert bill.cite(bill.text.index("The maximum combined rate")) == "SECTION 2.03, (b)"
    assert bill.cite(bill.text.index("The combined rate of all")) == "SECTION 2.03, (a)"


def test_a_citation_broken_after_by_opens_no_code_section(tmp_path):
    """Texas H.B. 76: '"governmental agency" has the meaning assigned by\\nSection 271.003.'
    continues a citation. Read as a code section, it cited the whole of Sec. 271.909 as
    "§ 271.003(b)(1)" in the memo."""
    path = tmp_path / "tx.txt"
    path.write_text(
        "H.B. No. 76\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        "SECTION 1. Subchapter Z, Chapter 271, Local Government Code, is amended by adding\n"
        "Section 271.909 to read as follows:\n"
        "Sec. 271.909. CERTAIN CONTRACTING CRITERIA PROHIBITED. (a)\n"
        'In this section, "governmental agency" has the meaning assigned by\n'
        "Section 271.003.\n"
        "(b) A governmental agency may not give a preference to a bid.\n"
    )
    bill = read_bill(path)
    assert not [s for s in bill.sections if "271.003" in s.label]
    assert (
        bill.cite(bill.text.index("A governmental agency may not")) == "SECTION 1, Sec. 271.909(b)"
    )


def test_a_section_the_bill_adds_whole_is_new_law_though_printed_plain():
    """Arizona prints a section "added" by a bill (and a strike-everything amendment prints
    its whole text) without capitals: the instruction says it is new law. A section "amended
    to read" keeps its existing text, and the new law stops at the next "Sec. N."."""
    amendment = read_bill(
        real("core-states/AZ/AZ-HCR2016-2026-senate-strike-everything-amendment.pdf")
    )
    added = amendment.text.index("9-500.54. Municipal fees")
    assert amendment.mark_at(added + 5) == "inserted"
    assert amendment.mark_at(amendment.text.index("\n", added) + 5) == "inserted"
    bill = read_bill(real("core-states/AZ/AZ-HB2368-2026-introduced.htm"))
    kept = bill.text.index("A. In any county that has adopted zoning")
    assert bill.mark_at(kept + 5) == "unchanged"
    sec3 = bill.text.index("On or before January 1, 2027, each city")
    assert bill.mark_at(sec3 + 5) == "unchanged"
