"""Text dumps of printed bills (the Oklahoma and Tennessee scrapers' .txt files): the margin
numbers the dump writes on their own lines go back to their lines, pages end at their printed
feet, and the scraper's own notes are not bill text."""

from __future__ import annotations

from lssc_legal.ingest import read_bill
from lssc_legal.ingest.textual import restore_dump_layout

from .test_recall import FIXTURES, REAL


def test_oklahoma_dump_has_printed_pages_and_lines():
    bill = read_bill(FIXTURES / "OK-SB0166-2025-introduced.txt")
    at = bill.text.index("Contact information of persons")
    assert str(bill.pinpoint(at)) == "2:11"  # the blind reader's page:line
    assert bill.pages == 3
    assert "[DELETED" not in bill.text and "Req. No." not in bill.text
    assert not any("stand apart" in w for w in bill.warnings)


def test_tennessee_foot_and_template_fields_are_not_text(tmp_path):
    dump = (
        "<BillNo> <Sponsor>\nSENATE BILL 1464\nBy Johnson\n"
        "AN ACT to amend Tennessee Code Annotated, Title 4.\n"
        "BE IT ENACTED BY THE GENERAL ASSEMBLY OF THE STATE OF TENNESSEE:\n"
        "SECTION 1. (a) Each local governmental entity shall maintain the operational\n"
        "SB1464\n008686\n- 1 -\n"
        "information as confidential.\n"
        "SECTION 2. This act takes effect July 1, 2025.\n"
        "[DELETED:  -0S((]\n"
    )
    assert "SB1464\n" not in restore_dump_layout(dump)
    path = tmp_path / "tn.txt"
    path.write_text(dump)
    bill = read_bill(path)
    assert "operational information as confidential" in " ".join(bill.text.split())
    assert "<BillNo>" not in bill.text and "[DELETED" not in bill.text
    at = bill.text.index("information as confidential")
    assert str(bill.pinpoint(at)).startswith("2:")


def test_tennessee_later_pages_end_at_their_one_line_foot(tmp_path):
    """After the first page the foot is one line, page number then drafting number
    ("- 3 - 008686"): it ends the page and is not part of the sentence it interrupts."""
    dump = (
        "SENATE BILL 1464\nBy Johnson\nAN ACT to amend Tennessee Code Annotated, Title 4.\n"
        "BE IT ENACTED BY THE GENERAL ASSEMBLY OF THE STATE OF TENNESSEE:\n"
        "SECTION 1. (a) A local government official who releases the information\n"
        "SB1464\n008686\n- 1 -\n"
        "commits a Class E felony.\n- 2 - 008686\n"
        "(b) A local government official who releases the information is subject to ouster.\n"
        "SECTION 2. This act takes effect July 1, 2025.\n- 3 - 008686\n"
    )
    path = tmp_path / "tn.txt"
    path.write_text(dump)
    bill = read_bill(path)
    assert "008686" not in bill.text and "- 2 -" not in bill.text
    assert bill.pages == 3
    at = bill.text.index("(b) A local government official")
    assert str(bill.pinpoint(at)) == "3:1"


def test_oklahoma_engrossed_running_head_ends_a_page():
    dump = "1\nA county may not adopt the\n1\nENGR. H. B. NO. 1217 Page 1\n1\neffective rule.\n1\n"
    out = restore_dump_layout(dump)
    assert "ENGR. H. B. NO. 1217 Page 1\f" in out


def test_text_that_is_not_a_dump_comes_back_as_it_was():
    text = "SECTION 1. A county may not adopt a rule.\n12\nSECTION 2. Effective date.\n"
    assert restore_dump_layout(text) == text


def test_drawn_rules_mark_whole_words_by_their_height():
    """A rule under the baseline underlines (inserted), one through the letters strikes
    (deleted); a rule's ends are snapped to the words they cross."""
    from lssc_legal.ingest.drawn import Geometry, Rule, mark_drawn

    geo = Geometry({"x1": 100.0}, {"y1": 500.0}, {"fs0": 48.0}, {"m0": 0.3125}, 765.0, 990.0)
    chars = [(c, "unchanged", False) for c in "the tax shall be two mills."]
    width = 0.6 * 48 * 0.3125  # 9 px a character
    struck = Rule(100 + 4 * width + 3, 100 + 7 * width, 500 + 4.5)  # "tax", a little short
    under = Rule(100 + 17 * width, 100 + 27 * width, 500 - 1.5)  # "two mills."
    out = mark_drawn(chars, ["t", "m0", "x1", "y1", "fs0"], [struck, under], geo)
    marks = {"".join(c for c, m, _ in out if m == k).strip() for k in ("deleted", "inserted")}
    assert marks == {"tax", "two mills."}
    assert all(m == "unchanged" for c, m, _ in out[:4])


def test_a_new_section_is_new_law_where_no_underline_shows(tmp_path):
    """Oklahoma's "NEW LAW" sections and Tennessee's "by adding the following new section:"
    are not underlined in a text dump (nor, in Oklahoma, in print): they are new law all
    the same; a section "amended to read" is not."""
    path = tmp_path / "tn.txt"
    path.write_text(
        "SENATE BILL 1\nBy Smith\nAN ACT to amend Tennessee Code Annotated, Title 7.\n"
        "BE IT ENACTED BY THE GENERAL ASSEMBLY OF THE STATE OF TENNESSEE:\n"
        "SECTION 1. Tennessee Code Annotated, Title 7, Chapter 51, is amended by adding\n"
        "the following new section:\n"
        "A local government shall not adopt a policy that limits cooperation.\n"
        "SECTION 2. Tennessee Code Annotated, Section 7-51-101, is amended to read:\n"
        "A county may regulate the matter.\n"
        "SECTION 3. This act takes effect July 1, 2025.\n"
    )
    bill = read_bill(path)
    new = bill.text.index("A local government shall not")
    old = bill.text.index("A county may regulate")
    assert {s.mark for s in bill.spans_in(new, new + 20)} == {"inserted"}
    assert {s.mark for s in bill.spans_in(old, old + 20)} == {"unchanged"}


def test_pdf2htmlex_overlay_blanks_inside_a_word_are_dropped(tmp_path):
    """Pennsylvania's printed-bill HTML draws some words in two runs pulled together by a
    spacer of negative margin ("b<span class='_ _5'></span> <span class='_ _6'> </span> y
    force"): the blanks inside a word go ("by", "Impair", "agency"), those between two words
    with the same spacers stay ("days or", "a portion")."""
    spacer = '<span class="_ _5"></span> <span class="_ _6"> </span> '

    def line(n: int, text: str) -> str:
        return f'<div class="t" data-ln="{n}" data-ln-pg="1">{text}</div>\n'

    html = (
        "<html><head><style>._5{margin-left:-835.6px;}._6{width:777.5px;}</style></head>"
        "<body>"
        + line(1, "HOUSE BILL No. 670")
        + line(2, "The General Assembly of the Commonwealth of Pennsylvania hereby enacts:")
        + line(3, f"(1) An individual may not, b{spacer}y force, threat of force or")
        + line(4, f"(2) I{spacer}mpair any protected activity of an agenc{spacer}y.")
        + line(5, "The agency shall act by rule.")
        + line(6, f"(3) Within 10 days{spacer}or a portion of the time, pay a{spacer}portion.")
        + "</body></html>"
    )
    path = tmp_path / "PA-HB0670-2025-PN0677.html"
    path.write_text(html)
    text = " ".join(read_bill(path).text.split())
    assert "may not, by force, threat" in text
    assert "(2) Impair any protected activity of an agency." in text
    assert "Within 10 days or a portion of the time, pay a portion." in text


def test_a_margin_number_echoed_alone_after_its_line_is_dropped():
    """Oklahoma S.B. 403's dump writes "13 expressly prohibited. Any person convicted of"
    and then "13" alone: the echo is no word of the bill, and the line keeps its number."""
    dump = (
        "12 purchase orders in order to circumvent the provisions is\n12\n"
        "13 expressly prohibited. Any person convicted of\n13\n"
        "14 violating the provisions of this subparagraph shall be\n14\n"
        "Req. No. 42 Page 2\n"
    )
    out = restore_dump_layout(dump)
    assert "\n13\n" not in out and "\n14\n" not in out
    assert "13 expressly prohibited. Any person convicted of\n14 violating" in out


def test_oklahoma_floor_version_foot_and_legend_end_a_page():
    """An Oklahoma floor version prints "SB742 HFLR Page 6" (House) or "SENATE FLOOR VERSION
    - SB318 SFLR Page 2" (Senate) and its legend "BOLD FACE denotes Committee Amendments." at
    each page's foot. They were read as two lines of text, every page was page 1, and the
    legend ran into the next page's first provision."""
    dump = (
        "1 A county may not adopt the\n2 following rules:\nSB742 HFLR Page 1\n"
        "BOLD FACE denotes Committee Amendments.\n\n1 effective rule.\n"
        "SENATE FLOOR VERSION - SB318 SFLR Page 2\n(Bold face denotes Committee Amendments)\n\n"
        "1 A city may not.\n"
    )
    pages = restore_dump_layout(dump).split("\f")
    assert len(pages) == 3
    assert pages[0].endswith("BOLD FACE denotes Committee Amendments.")
    assert pages[1].strip().startswith("1 effective rule.")
    assert pages[2].strip() == "1 A city may not."
    real = REAL / "core-states" / "OK" / "OK-SB0742-2025-house-floor-version.txt"
    if not real.exists():
        return  # the dump itself is checked above; the whole bill needs the real corpus
    bill = read_bill(real)
    assert bill.pages == 10 and "HFLR Page" not in bill.text and "denotes" not in bill.text
    at = bill.text.index("Any property set aside for the use or parking of any motor")
    assert str(bill.pinpoint(at)) == "7:7"
