"""TXT, HTML and DOCX bills: markup, line numbers and pinpoints, as tables of examples."""

from __future__ import annotations

import zipfile

import pytest

from lssc_legal.ingest import read_bill

from .conftest import printed_words

TX_TEXT = """\
                                                      89R1234 ABC-D
By: Burrows                                            H.B. No. 77
                       A BILL TO BE ENTITLED
                                AN ACT
relating to local regulation of leave.
      BE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:
 1        SECTION 1. Section 250.001, Local Government Code, is
 2  amended to read as follows:
 3        Sec. 250.001. LEAVE. (a) A municipality [may] may not
 4  adopt an ordinance [regulating leave] requiring paid leave.
 5        SECTION 2. This Act takes effect September 1, 2025.
"""


def test_txt_with_margin_numbers_and_texas_brackets(tmp_path):
    path = tmp_path / "hb77.txt"
    path.write_text(TX_TEXT)
    bill = read_bill(path)
    assert bill.meta.citation == "H.B. 77, 89th Leg., Reg. Sess. (Tex. 2025)"
    words = {w: (p, ln, m) for w, p, ln, m in printed_words(bill)}
    assert words["[may]"] == (1, 3, "deleted")
    assert words["[regulating"] == (1, 4, "deleted")
    assert words["leave]"] == (1, 4, "deleted")
    assert words["requiring"] == (1, 4, "unchanged")
    assert "89R1234" not in bill.text
    assert bill.cite(bill.text.index("A municipality")) == "SECTION 1, Sec. 250.001(a)"
    assert "a municipality may not adopt an ordinance requiring paid leave." in (
        " ".join(bill.reading_text().split()).lower()
    )


HTML = """<html><body><pre>
       <b>Florida Senate</b> - <b>2025</b>      <b>SB 90</b>
       <b>By</b> Senator Smith
    1                        A bill to be entitled
    2         An act relating to wages; providing an effective date.
    3  Be It Enacted by the Legislature of the State of Florida:
    4         Section 1. Section 218.077, Florida Statutes, is amended to
    5  read:
    6         218.077 Wage requirements.—
    7         (1) A political subdivision <s class="Remove">may</s> <u class="Insert">may not</u>
    8  require a wage <del>above</del> <ins>beyond</ins> the state minimum<span style="text-decoration: underline">.</span>
    9         Section 2. This act shall take effect July 1, 2025.
</pre></body></html>"""

HTML_CASES = [
    ("may", (1, 7, "deleted")),
    ("not", (1, 7, "inserted")),
    ("above", (1, 8, "deleted")),
    ("beyond", (1, 8, "inserted")),
    ("require", (1, 8, "unchanged")),
]


@pytest.mark.parametrize(("word", "expected"), HTML_CASES)
def test_html_marks_and_line_numbers(tmp_path, word, expected):
    path = tmp_path / "sb90.html"
    path.write_text(HTML)
    bill = read_bill(path)
    got = [(p, ln, m) for w, p, ln, m in printed_words(bill) if w == word]
    assert got[0] == expected


def test_html_metadata(tmp_path):
    path = tmp_path / "sb90.html"
    path.write_text(HTML)
    bill = read_bill(path)
    assert bill.meta.citation == "S.B. 90, 2025 Leg., Reg. Sess. (Fla. 2025)"
    assert bill.cite(bill.text.index("A political")) == "Section 1, § 218.077(1)"


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(path, body_xml):
    doc = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body_xml}</w:body></w:document>'
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", doc)


def _p(*runs):
    return "<w:p>" + "".join(runs) + "</w:p>"


def _r(text, props=""):
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_docx_tracked_changes_underline_and_strike(tmp_path):
    path = tmp_path / "hb5.docx"
    _docx(
        path,
        _p(_r("HOUSE BILL 5"))
        + _p(_r("AN ACT relating to local wages."))
        + _p(_r("BE IT ENACTED BY THE PEOPLE OF THE STATE OF OKLAHOMA:"))
        + _p(
            _r("SECTION 1. A municipality "),
            '<w:del w:id="1" w:author="A"><w:r><w:delText>may</w:delText></w:r></w:del>',
            '<w:ins w:id="2" w:author="A"><w:r><w:t xml:space="preserve"> shall not</w:t></w:r></w:ins>',
            _r(" enact a "),
            _r("minimum", "<w:strike/>"),
            _r(" "),
            _r("higher", '<w:u w:val="single"/>'),
            _r(" wage."),
        )
        + '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        + _p(_r("SECTION 2. This act takes effect November 1, 2025.")),
    )
    bill = read_bill(path)
    got = {w: (p, ln, m) for w, p, ln, m in printed_words(bill)}
    assert got["may"] == (1, 4, "deleted")
    assert got["shall"] == (1, 4, "inserted")
    assert got["minimum"] == (1, 4, "deleted")
    assert got["higher"] == (1, 4, "inserted")
    assert got["enact"] == (1, 4, "unchanged")
    assert got["effect"] == (2, 1, "unchanged")
    assert bill.meta.state == "OK" and bill.meta.number == "5"
    assert all(ln.number_source == "counted" for ln in bill.lines)


def test_oklahoma_floor_version_bold_is_a_committee_amendment(tmp_path):
    path = tmp_path / "hb1436.docx"
    _docx(
        path,
        _p(_r("HOUSE OF REPRESENTATIVES - FLOOR VERSION"))
        + _p(_r("STATE OF OKLAHOMA"))
        + _p(_r("HOUSE BILL NO. 1436 By: Turner"))
        + _p(_r("BE IT ENACTED BY THE PEOPLE OF THE STATE OF OKLAHOMA:"))
        + _p(
            _r("SECTION 1. No municipality shall "),
            _r("adopt or", "<w:b/>"),
            _r(" enforce a sanctuary policy."),
        ),
    )
    bill = read_bill(path)
    assert bill.profile == "Oklahoma (floor version)"
    got = {w: m for w, _, _, m in printed_words(bill)}
    assert (got["adopt"], got["or"], got["enforce"]) == ("inserted", "inserted", "unchanged")
    assert bill.meta.version == "floor version"


MD_TEXT = """\
2015 Regular Session - Senate Bill 40 First Reader
EXPLANATION: CAPITALS INDICATE MATTER ADDED TO EXISTING LAW.
        [Brackets] indicate matter deleted from existing law.
SENATE BILL 40
A BILL ENTITLED
AN ACT concerning 1
Labor and Employment - Healthy Working Families Act 2
BE IT ENACTED BY THE GENERAL ASSEMBLY OF MARYLAND, That the Laws of Maryland read 3
as follows: 4
A county may not adopt a wage law that exceeds the State minimum. 5
SECTION 2. AND BE IT FURTHER ENACTED, That this Act shall take effect 6
October 1, 2015. 7
"""


def test_txt_legend_stops_and_trailing_numbers_are_margin_numbers(tmp_path):
    path = tmp_path / "sb40.txt"
    path.write_text(MD_TEXT)
    bill = read_bill(path)
    words = {w: (p, ln) for w, p, ln, _ in printed_words(bill)}
    assert words["exceeds"] == (1, 5)
    assert words["October"] == (1, 7)
    assert "CAPITALS INDICATE" not in bill.text  # the legend, and only the legend, is gone


def test_separated_number_column_is_counted_and_said(tmp_path):
    path = tmp_path / "hb1.txt"
    column = "\n".join(str(n) for n in range(1, 25))
    path.write_text(
        column + "\nSTATE OF OKLAHOMA\nHOUSE BILL NO. 1 By: Smith\n"
        "BE IT ENACTED BY THE PEOPLE OF THE STATE OF OKLAHOMA:\n"
        "SECTION 1. No municipality shall adopt a wage ordinance.\n"
    )
    bill = read_bill(path)
    assert all(ln.number_source == "counted" for ln in bill.lines)
    assert any("stand apart from their lines" in w for w in bill.warnings)


def _texas_row(page_line: str, body: str) -> str:
    return (
        f'<tr><td width="65"><META name="PGLN" contents="{page_line}">&#xA0;</td>'
        f'<td width="615" colspan="2">{body}</td></tr>\n'
    )


TEXAS_HTML = (
    "<html><head><title>89(2) HB 9 - Introduced version - Bill Text</title></head><body>"
    "<p>By: Meyer H.B. No. 9</p><table>"
    + _texas_row("1-1", "AN ACT")
    + _texas_row("1-2", "relating to the voter-approval tax rate.")
    + _texas_row("1-3", "BE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:")
    + _texas_row("1-4", "SECTION 1. Section 26.04(c), Tax Code, is amended to read as follows:")
    + _texas_row("2-1", "(c) RATE = [(LAST YEAR'S LEVY - LOST PROPERTY LEVY) / (CURRENT")
    + _texas_row("2-2", "TOTAL VALUE)] x <u>1.025</u> [<s>1.035</s>].")
    + "</table></body></html>"
)


def test_texas_html_reads_the_printed_page_and_line_and_a_formula_bracket(tmp_path):
    """Texas capitol HTML tags each line with its printed page and line (<META name="PGLN"
    contents="2-1">): pinpoints are the printed bill's. Brackets there delete only what the
    page strikes ("[<s>1.035</s>]"); a formula's own bracket is text."""
    path = tmp_path / "HB00009I.htm"
    path.write_text(TEXAS_HTML)
    bill = read_bill(path)
    assert bill.pinpoints == "printed"
    words = {(w, p, ln): m for w, p, ln, m in printed_words(bill)}
    assert words[("LEVY", 2, 1)] == "unchanged"  # inside the formula's bracket
    assert words[("1.025", 2, 2)] == "inserted"
    assert words[("[1.035].", 2, 2)] == "deleted"  # a word with its period, as printed
    assert str(bill.pinpoint(bill.text.index("TOTAL VALUE"))) == "2:2"


RENUMBERED = """<html><body><pre>
       <b>Florida Senate</b> - <b>2026</b>      <b>SB 91</b>
    1                        A bill to be entitled
    2         An act relating to taxes; providing an effective date.
    3  Be It Enacted by the Legislature of the State of Florida:
    4         Section 1. Section 200.065, Florida Statutes, is amended to
    5  read:
    6         200.065 Method of fixing millage.—
    7         (1) The property appraiser shall certify the taxable value.
    8         <u>(2)</u><s>(3)</s> Each taxing authority shall advertise its budget.
    9         (a)1. The school board shall adopt its budget.
   10         <u>2.</u><s>4.</s> Taxing authorities other than the county shall hold hearings.
   11         Section 2. This act shall take effect July 1, 2026.
</pre></body></html>"""


def test_a_renumbered_label_is_read_by_its_new_number(tmp_path):
    """Florida prints the new number and strikes the old one beside it: "(2)(3)" with
    "(3)" struck is subsection (2); "2.4." with "4." struck is paragraph 2., not a code
    section "§ 2.4" (Florida H.B. 789 cited 102 items to a "§ 2.4")."""
    path = tmp_path / "sb91.html"
    path.write_text(RENUMBERED)
    bill = read_bill(path)
    assert bill.cite(bill.text.index("Each taxing authority")) == "Section 1, § 200.065(2)"
    cite = bill.cite(bill.text.index("Taxing authorities other"))
    assert cite.startswith("Section 1, § 200.065(2)(a)") and "2.4" not in cite, cite
    assert [s.label for s in bill.sections if s.level != "subsection"] == [
        "Section 1",
        "§ 200.065",
        "Section 2",
    ]


def test_a_struck_section_number_arizona_keeps_is_read_once(tmp_path):
    """Arizona's chaptered HTML strikes the number it keeps ("Sec. <strike>2.</strike>2.
    Title 11 ..."): the bill section is Sec. 2, not a code section "Sec. 2.2"."""
    path = tmp_path / "hb2875.htm"
    path.write_text(
        "<html><body><p>HOUSE BILL 2875</p><p>AN ACT</p><p>relating to drones.</p>"
        "<p>Be it enacted by the Legislature of the State of Arizona:</p>"
        "<p>Section <strike>1.</strike>1. Title 9, Arizona Revised Statutes, is amended by "
        "adding section 9-500.54, to read:</p><p>9-500.54. Drones</p>"
        "<p>A. A city or town may not regulate drones.</p>"
        "<p>Sec.&nbsp;<strike>2.</strike>2. Title 11, Arizona Revised Statutes, is amended by "
        "adding section 11-256.31, to read:</p><p>11-256.31. Drones</p>"
        "<p>A. A county may not regulate drones.</p></body></html>"
    )
    bill = read_bill(path)
    labels = [s.label for s in bill.sections if s.level != "subsection"]
    assert labels == ["Section 1", "§ 9-500.54", "Sec. 2", "§ 11-256.31"], labels
