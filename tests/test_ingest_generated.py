"""Every word of a generated bill, in each core state's printed style, must come back with
the page, line and mark it was printed with: a wrong line number or a missed strike fails."""

from __future__ import annotations

import re

import pytest

from lssc_legal.ingest import read_bill

from .conftest import printed_words

STATES = [
    "az_sb_shared_revenue",
    "fl_hb_wages",
    "mo_hb_tobacco",
    "nc_hb_wages",
    "ok_sb_wage",
    "pa_hb_firearms",
    "tn_sb_sanctuary",
    "tx_hb_leave",
]


@pytest.mark.parametrize("name", STATES)
def test_every_word_has_its_printed_page_line_and_mark(generated, name):
    pdf, printed = generated[name]
    truth = [(w.text, w.page, w.line, w.mark) for w in printed if w.line is not None]
    got = printed_words(read_bill(pdf))
    texts = [g[0] for g in got]
    first = [t[0] for t in truth[:4]]
    start = next(i for i in range(len(texts)) if texts[i : i + 4] == first)
    assert got[start : start + len(truth)] == truth
    assert len(got) - start == len(truth), "text after the last printed line leaked in"


EXPECTED_META = {
    "tx_hb_leave": ("TX", "house", "4312", 2025, "H.B. 4312, 89th Leg., Reg. Sess. (Tex. 2025)"),
    "fl_hb_wages": ("FL", "house", "433", 2024, "H.B. 433, 2024 Leg., Reg. Sess. (Fla. 2024)"),
    "nc_hb_wages": ("NC", "house", "2", 2025, "H.B. 2, 2025 Gen. Assemb., Reg. Sess. (N.C. 2025)"),
    "pa_hb_firearms": (
        "PA",
        "house",
        "1243",
        2023,
        "H.B. 1243, 207th Gen. Assemb., Reg. Sess. (Pa. 2023)",
    ),
    "az_sb_shared_revenue": (
        "AZ",
        "senate",
        "1487",
        2025,
        "S.B. 1487, 57th Leg., 1st Reg. Sess. (Ariz. 2025)",
    ),
    "ok_sb_wage": (
        "OK",
        "senate",
        "1023",
        2014,
        "S.B. 1023, 54th Leg., 2d Reg. Sess. (Okla. 2014)",
    ),
    "tn_sb_sanctuary": ("TN", "senate", "6002", None, "S.B. 6002, Reg. Sess. (Tenn.)"),
    "mo_hb_tobacco": (
        "MO",
        "house",
        "2231",
        2024,
        "H.B. 2231, 102d Gen. Assemb., 2d Reg. Sess. (Mo. 2024)",
    ),
}


@pytest.mark.parametrize("name", STATES)
def test_metadata_and_citation(generated, name):
    meta = read_bill(generated[name][0]).meta
    assert (meta.state, meta.chamber, meta.number, meta.year, meta.citation) == EXPECTED_META[name]


def test_furniture_never_leaks_into_text(generated):
    for name in STATES:
        bill = read_bill(generated[name][0])
        for leak in (
            "CODING:",
            "Page 1 of",
            "Req. No.",
            "EXPLANATION",
            "F L O R I D A",
            "89R9991",
            "002182",
            "PN1003",
        ):
            assert leak not in bill.text, (name, leak)


def test_reading_text_drops_deletions_and_keeps_insertions(generated):
    bill = read_bill(generated["tx_hb_leave"][0])
    reading = " ".join(bill.reading_text().split())
    assert "may not adopt an ordinance regulating the scheduling of employees." in reading
    assert "[adopt]" in bill.text and "[adopt]" not in reading
    assert "if the ordinance is consistent" not in reading


CITES = [
    ("tx_hb_leave", "may not adopt, enforce, or maintain", "SECTION 1, Sec. 250.0131(a)"),
    ("tx_hb_leave", "is void and unenforceable", "SECTION 1, Sec. 250.0131(b)"),
    ("tx_hb_leave", "Governmental immunity", "SECTION 2, Sec. 250.001(c)"),
    ("fl_hb_wages", "It is no defense", "Section 2, § 790.33(3)(c)"),
    ("fl_hb_wages", "civil fine of up to", "Section 2, § 790.33(3)(d)"),
    ("nc_hb_wages", "supersede and preempt", "SECTION 1, § 95-25.1(c)"),
    ("pa_hb_firearms", "No county, municipality or township", "Section 1, § 6120(a)"),
    ("az_sb_shared_revenue", "WITHHOLD AND REDISTRIBUTE", "Section 1, § 41-194.01(C)"),
    ("ok_sb_wage", "occupies and preempts the entire field", "SECTION 2, § 1289.24(A)"),
    ("mo_hb_tobacco", "No county, city, town", "Section A, § 21.750.2"),
]


@pytest.mark.parametrize(("name", "quote", "cite"), CITES)
def test_structure_cites_where_a_quote_sits(generated, name, quote, cite):
    bill = read_bill(generated[name][0])
    found = re.search(r"\s+".join(map(re.escape, quote.split())), bill.text, re.I)
    assert found is not None
    assert bill.cite(found.start()) == cite
