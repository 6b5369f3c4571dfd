"""Build the default memo template, memo.docx, with python-docx.

    python -m lssc_legal.render.build

The shipped memo.docx is this script's output; lawyers copy it (`templates init`) and edit it
in Word. Everything is laid out with Word styles (Title, Heading 1-3, Quote, List Bullet, a
table style, and two character styles for redlines), never direct formatting, so a firm's
style sheet applies. Tags follow docxtpl: `{%p ... %}` for paragraphs, `{%tr ... %}` for table
rows, `{{r ... }}` for rich text.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .memo import DELETED_STYLE, INSERTED_STYLE
from .notes import FOOTNOTE_REFERENCE, FOOTNOTE_TEXT

HERE = Path(__file__).resolve().parent


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, TOC) that Word computes when it lays out the page."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def repeat_header(table: Any) -> None:
    """Repeat the table's first row at the top of every page it runs onto."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)


def _styles(doc: Any) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    ins = styles.add_style("Inserted Text", WD_STYLE_TYPE.CHARACTER)
    ins.font.underline = True
    ins.font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    dele = styles.add_style("Deleted Text", WD_STYLE_TYPE.CHARACTER)
    dele.font.strike = True
    dele.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    notice = styles.add_style("Privilege Notice", WD_STYLE_TYPE.PARAGRAPH)
    notice.base_style = styles["Header"]
    notice.font.bold = True
    notice.font.size = Pt(10)
    notice.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    block = styles.add_style("Memo Block", WD_STYLE_TYPE.PARAGRAPH)
    block.base_style = styles["Normal"]
    block.paragraph_format.space_after = Pt(2)
    block.paragraph_format.tab_stops.add_tab_stop(Inches(1))
    block.paragraph_format.left_indent = Inches(1)
    block.paragraph_format.first_line_indent = Inches(-1)
    quote = styles["Quote"]
    quote.paragraph_format.left_indent = Inches(0.5)
    quote.paragraph_format.right_indent = Inches(0.5)
    cell = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = styles["Normal"]
    cell.font.size = Pt(9)
    cell.paragraph_format.space_after = Pt(0)
    assert ins.style_id == INSERTED_STYLE and dele.style_id == DELETED_STYLE


def _page(doc: Any, *, landscape: bool, margin: float, notices: Sequence[str], footer: str) -> None:
    """Letter paper, the notices in the header, `footer` and "Page N of M" in the footer."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long_ = Inches(8.5), Inches(11)
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(margin))
    head = section.header.paragraphs[0]
    head.text = notices[0]
    head.style = doc.styles["Privilege Notice"]
    for notice in notices[1:]:
        section.header.add_paragraph(notice).style = doc.styles["Privilege Notice"]
    # The citation on a line of its own and the page number right-aligned below it: a long
    # citation wraps instead of running into "Page 1 of 3".
    foot = section.footer.paragraphs[0]
    foot.style = doc.styles["Footer"]
    foot.add_run(footer)
    page = section.footer.add_paragraph(style=doc.styles["Footer"])
    page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page.add_run("Page ")
    add_field(page, "PAGE", "1")
    page.add_run(" of ")
    add_field(page, "NUMPAGES", "1")


def _save(doc: Any, title: str, out: Path) -> None:
    """Save. Word is not asked to update fields on opening (it would ask the reader first):
    page numbers update as Word lays out the page, and the memo's contents are written as
    text when it is rendered (render.memo.write_contents); updating the field adds page
    numbers."""
    doc.core_properties.title = title
    doc.core_properties.author = "lssc-legal"
    doc.save(str(out))


def build(out: Path) -> None:
    doc = Document()
    _styles(doc)
    _page(doc, landscape=False, margin=1, notices=("PRIVILEGED & CONFIDENTIAL",
          "ATTORNEY WORK PRODUCT"), footer="{{ bill.citation }}")  # fmt: skip

    def para(text: str = "", style: str = "Normal") -> Paragraph:
        return doc.add_paragraph(text, style=style)

    def labelled(label: str, text: str, style: str = "Normal") -> Paragraph:
        p = doc.add_paragraph(style=style)
        p.add_run(label, style="Strong")
        p.add_run(text)
        return p

    para("Technical Bill Analysis", "Title")
    labelled("TO:\t", "{{ memo.to }}", "Memo Block")
    labelled("FROM:\t", "{{ memo.from }}", "Memo Block")
    para("{%p if memo.cc %}", "Memo Block")
    labelled("CC:\t", "{{ memo.cc }}", "Memo Block")
    para("{%p endif %}", "Memo Block")
    labelled("DATE:\t", "{{ memo.date }}", "Memo Block")
    labelled("RE:\t", "{{ memo.re }}", "Memo Block")
    para("Draft for attorney review. Prepared with lssc-legal {{ tool.version }}.", "Subtitle")

    para("Contents", "TOC Heading")
    add_field(
        para(),
        'TOC \\o "1-2" \\h \\z \\u',
        "The memo's headings are listed here when it is written.",
    )

    doc.add_heading("Bottom line", 1)
    para("{{ bottom_line }}")
    para("{{ recommendation }}")

    doc.add_heading("Summary of the bill", 1)
    labelled("Bill: ", "{{ bill.citation }}")
    labelled("Title: ", "{{ bill.title }}")
    labelled("Version: ", "{{ bill.version }}")
    labelled("Sponsors: ", "{{ bill.sponsors }}")
    labelled("Source: ", "{{ bill.source }} ({{ bill.format }}, {{ bill.length }})")
    doc.add_heading("Section by section", 2)
    para("{%p for s in bill_sections %}")
    labelled("{{ s.label }} ", "(at {{ s.pinpoint }}): {{ s.summary }}", "List Bullet")
    para("{%p endfor %}")

    doc.add_heading("Preemptive provisions", 1)
    para(
        "Provisions that preempt, void, punish or save local authority: {{ counts.provisions }} "
        "(preemptive: {{ counts.preemptive }}; punitive: {{ counts.punitive }}; savings "
        "clauses: {{ counts.savings }}){% if review %}; {{ counts.review }} more passages are "
        "listed for review under “Also worth a look”{% endif %}. {{ bill.pinpoints_note }}"
    )
    columns = ("Section", "{{ bill.pinpoint_heading }}", "Kind", "Subjects", "Effect", "Markup")
    fields = ("section", "pinpoint", "kinds", "subjects", "effect", "markup")
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = doc.styles["Light Grid Accent 1"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, name in enumerate(columns):
        table.rows[0].cells[i].paragraphs[0].text = name
    table.rows[1].cells[0].paragraphs[0].text = "{%tr for p in provisions %}"
    for i, f in enumerate(fields):
        table.rows[2].cells[i].paragraphs[0].text = "{{ p." + f + " }}"
    table.rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    for row in table.rows:
        for c in row.cells:
            c.paragraphs[0].style = doc.styles["Table Text"]
    repeat_header(table)

    doc.add_heading("The provisions and the home-rule principles", 1)
    para(
        "Each provision is quoted exactly as printed, with the bill's amendments applied, "
        "followed by why it matters and the principles it offends."
    )
    para("{%p for p in provisions %}")
    doc.add_heading("{{ p.heading }}", 2)
    para("{%p if p.lead_in %}")
    labelled("Lead-in: ", "“{{ p.lead_in }}”")
    para("{%p endif %}")
    para("{{ p.quote }}{{ p.comment }}", "Quote")
    labelled("Cite: ", "{{ p.cite }}")
    labelled("Why it matters: ", "{{ p.why }}")
    para("{%p for f in p.findings %}")
    labelled("{{ f.principle }} ({{ f.principle_name }}), {{ f.severity }}: ",
             "{{ f.reason }}", "List Bullet")  # fmt: skip
    para("{%p endfor %}")
    para("{%p endfor %}")

    doc.add_heading("Punitive provisions", 1)
    para("{%p if punitive %}")
    para("{%p for p in punitive %}")
    labelled("{{ p.section }} (at {{ p.pinpoint }}): ", "{{ p.penalties }}.", "List Bullet")
    para("{%p endfor %}")
    para("{%p else %}")
    para("No provision was found that punishes a locality or its officials.")
    para("{%p endif %}")

    doc.add_heading("Savings clauses", 1)
    para("{%p if savings %}")
    para("{%p for p in savings %}")
    labelled("{{ p.section }} (at {{ p.pinpoint }}, {{ p.markup }}): ", "“{{ p.quote }}”",
             "List Bullet")  # fmt: skip
    para("{%p endfor %}")
    para("{%p else %}")
    para("The bill contains no savings clause.")
    para("{%p endif %}")

    doc.add_heading("Also worth a look", 1)
    para("{%p if review %}")
    para(
        "These passages appear to bind a local government but could not be classified with "
        "confidence. They are listed, not weighed: read each against the bill before relying "
        "on the analysis above."
    )
    para("{%p for p in review %}")
    labelled("{{ p.section }} (at {{ p.pinpoint }}; reads as {{ p.kinds }}; {{ p.markup }}): ",
             "{% if p.lead_in %}“{{ p.lead_in }} … {{ p.quote }}”{% else %}“{{ p.quote }}”"
             "{% endif %}{{ p.comment }}", "List Bullet")  # fmt: skip
    note = para("", "List Continue")
    note.add_run("{{ p.reason }}", "Emphasis")
    para("{%p endfor %}")
    para("{%p else %}")
    para("Every passage the tool found to bind local government is classified above.")
    para("{%p endif %}")

    doc.add_heading("Findings on the bill as a whole", 1)
    para("{%p if bill_findings %}")
    para("{%p for f in bill_findings %}")
    labelled("{{ f.principle }} ({{ f.principle_name }}), {{ f.severity }}: ", "{{ f.reason }}",
             "List Bullet")  # fmt: skip
    para("{%p endfor %}")
    para("{%p else %}")
    para("No finding about the bill as a whole.")
    para("{%p endif %}")

    doc.add_heading("Comparison with model language", 1)
    para("{%p if model_matches %}")
    para(
        "Provisions that resemble preemption language states copy from one another. In each "
        "comparison, struck words are the model's and underlined words are the bill's."
    )
    para("{%p for m in model_matches %}")
    doc.add_heading("{{ m.provision }}: {{ m.title }}", 3)
    labelled("Similarity: ", "{{ m.similarity }} of words in common. {{ m.appeared }}")
    para("{{r m.diff }}", "Quote")
    para("{%p endfor %}")
    para("{%p else %}")
    para("No provision is close to the model preemption language reviewed.")
    para("{%p endif %}")

    doc.add_heading("Recommended amendments", 1)
    para("{%p if amendments %}")
    para(
        "Each amendment is drawn on the bill's own words: struck text is deleted and "
        "underlined text is inserted."
    )
    para("{%p for a in amendments %}")
    doc.add_heading("{{ a.provision }}: {{ a.title }} ({{ a.principles }})", 3)
    para("{{r a.redline }}", "Quote")
    labelled("Why: ", "{{ a.rationale }} {{ a.drafter_note }}")
    para("{%p endfor %}")
    para("{%p else %}")
    para("No amendment is proposed.")
    para("{%p endif %}")

    doc.add_heading("The home-rule principles", 1)
    para("{%p for pr in principles %}")
    labelled("{{ pr.id }}, {{ pr.name }}. ", "{{ pr.statement }}", "List Bullet")
    para("{%p endfor %}")
    para("Source: {{ principles[0].source if principles else '' }}.")

    doc.add_heading("Method and limits", 1)
    para(
        "lssc-legal {{ tool.version }} read {{ bill.source }} (SHA-256 {{ bill.sha256 }}) on "
        "{{ tool.date }}. It finds provisions with rule patterns that each name the language "
        "they match, and weighs them against the principles above. It can miss a provision or "
        "misread one: check every quote against the official text before relying on it."
    )
    para("{%p for w in warnings %}")
    labelled("Reading warning: ", "{{ w }}", "List Bullet")
    para("{%p endfor %}")
    labelled("Bill cited: ", "{{ bill.citation }}")
    doc.add_heading("How each provision was found", 2)
    para(
        "A provision is classified when a named rule pattern matches its words; a passage "
        "that binds a local government but matches no named pattern is listed for review "
        "instead. The comment on each quote says the same as this list."
    )
    para("{%p for p in provisions %}")
    labelled("{{ p.section or p.id }} (at {{ p.pinpoint }}): ", "{{ p.method }}", "List Bullet")
    para("{%p endfor %}")
    para("{%p for p in review %}")
    labelled("{{ p.section or p.id }} (at {{ p.pinpoint }}): ", "{{ p.method }}", "List Bullet")
    para("{%p endfor %}")

    _save(doc, "Technical Bill Analysis", out)


def _footnote_styles(doc: Any) -> None:
    """Word's own footnote styles, so a firm can restyle the source notes."""
    styles = doc.styles
    text = styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = styles["Normal"]
    text.font.size = Pt(9)
    text.paragraph_format.space_after = Pt(0)
    ref = styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER)
    ref.font.superscript = True
    # Word's names ("footnote text") with Word's ids, so Word treats them as its own.
    text.style_id, ref.style_id = FOOTNOTE_TEXT, FOOTNOTE_REFERENCE


def _cells(table: Any, row: int, texts: Sequence[str], style: Any) -> None:
    for i, text in enumerate(texts):
        paragraph = table.rows[row].cells[i].paragraphs[0]
        paragraph.text = text
        paragraph.style = style


def _loop_table(doc: Any, header: Sequence[str], loop: str, body: Sequence[str]) -> Any:
    """A table whose middle row repeats: header, `{%tr for ... %}`, body, `{%tr endfor %}`."""
    table = doc.add_table(rows=4, cols=len(header))
    table.style = doc.styles["Light Grid Accent 1"]
    cell = doc.styles["Table Text"]
    _cells(table, 0, header, cell)
    _cells(table, 1, [loop], cell)
    _cells(table, 2, body, cell)
    _cells(table, 3, ["{%tr endfor %}"], cell)
    repeat_header(table)
    return table


def build_appendix(out: Path) -> None:
    """The amicus appendix template: landscape, a summary, the grouped provisions table,
    the method note; each bill's source goes in a footnote."""
    doc = Document()
    _styles(doc)
    _footnote_styles(doc)
    _page(doc, landscape=True, margin=0.75, notices=("DRAFT FOR ATTORNEY REVIEW",),
          footer="{{ appendix.title }}")  # fmt: skip
    cell = doc.styles["Table Text"]

    doc.add_paragraph("{{ appendix.title }}", style="Title")
    doc.add_paragraph(
        "Prepared {{ appendix.date }} with lssc-legal {{ appendix.tool_version }}: "
        "{{ appendix.extent }} of {{ appendix.states }}.",
        style="Subtitle",
    )
    doc.add_paragraph("{%p if appendix.scope %}")
    doc.add_paragraph("Limited to {{ appendix.scope }}.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("Summary", 1)
    doc.add_heading("Provisions by subject and state", 2)
    doc.add_paragraph(
        "A provision on two subjects is counted under each; the totals count each provision once."
    )
    matrix = doc.add_table(rows=5, cols=5)
    matrix.style = doc.styles["Light Grid Accent 1"]
    loop = ("{%tc for st in summary.states %}", "{{ st }}", "{%tc endfor %}")
    _cells(matrix, 0, ("Subject", *loop, "Total"), cell)
    _cells(matrix, 1, ["{%tr for x in summary.subjects %}"], cell)
    _cells(matrix, 2, ("{{ x.name }}", "{%tc for c in x.counts %}", "{{ c }}",
                       "{%tc endfor %}", "{{ x.total }}"), cell)  # fmt: skip
    _cells(matrix, 3, ["{%tr endfor %}"], cell)
    _cells(matrix, 4, ("All subjects", "{%tc for c in summary.totals %}", "{{ c }}",
                       "{%tc endfor %}", "{{ summary.total }}"), cell)  # fmt: skip
    repeat_header(matrix)
    doc.add_heading("Provisions by kind", 2)
    doc.add_paragraph("Each provision is counted once, under its primary kind.")
    _loop_table(doc, ("Kind", "Provisions", "Bills"), "{%tr for k in summary.kinds %}",
                ("{{ k.name }}", "{{ k.count }}", "{{ k.bills }}"))  # fmt: skip
    doc.add_heading("Provisions by penalty mechanism", 2)
    doc.add_paragraph("{%p if summary.penalties %}")
    _loop_table(doc, ("Penalty mechanism", "Provisions", "Bills"),
                "{%tr for m in summary.penalties %}",
                ("{{ m.name }}", "{{ m.count }}", "{{ m.bills }}"))  # fmt: skip
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("No provision in this appendix carries a punitive mechanism.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("Provisions", 1)
    doc.add_paragraph(
        "Grouped by state, then bill. Quotes are exact, with the bill's amendments applied; "
        "pinpoints are printed page:line, or counted lines (so marked) where a bill prints no "
        "line numbers. Each bill's source is in its footnote."
    )
    columns = ("Bill", "Pinpoint", "Subject", "Kind", "Effect", "Penalties", "Exact quote",
               "Markup")  # fmt: skip
    widths = (1.45, 1.15, 1.0, 0.9, 0.95, 1.0, 2.35, 0.7)
    table = doc.add_table(rows=9, cols=len(columns))
    table.style = doc.styles["Light Grid Accent 1"]
    table.autofit = False
    _cells(table, 0, columns, cell)
    _cells(table, 1, ["{%tr for g in groups %}"], cell)
    state_row = table.rows[2].cells[0].merge(table.rows[2].cells[-1])
    state_row.paragraphs[0].style = cell
    state_row.paragraphs[0].add_run("{{ g.state_name }} ({{ g.count }} provisions)", "Strong")
    _cells(table, 3, ["{%tr for b in g.bills %}"], cell)
    _cells(table, 4, ["{%tr for r in b.rows %}"], cell)
    body = ("{{ r.citation }}{{ r.note }} ({{ r.version }})", "{{ r.where }}",
            "{{ r.subjects }}", "{{ r.kind }}", "{{ r.effect }}", "{{ r.penalties }}",
            "\u201c{{ r.quote }}\u201d", "{{ r.markup }}")  # fmt: skip
    _cells(table, 5, body, cell)
    for i in (6, 7, 8):
        _cells(table, i, ["{%tr endfor %}"], cell)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Inches(width)  # the grid, which Word and LibreOffice lay out by
        for c in column.cells:
            c.width = Inches(width)
    repeat_header(table)

    doc.add_heading("Provisions the bills repeal", 1)
    doc.add_paragraph("{%p if repealed %}")
    doc.add_paragraph(
        "Preemptive or punitive provisions of existing law that the bills strike. They are "
        "listed apart from the table above and not counted in it: a repeal may restore local "
        "authority, or only move the preemption elsewhere in the code."
    )
    _loop_table(doc, ("Bill", "Pinpoint", "Kind", "Struck text"),
                "{%tr for r in repealed %}",
                ("{{ r.citation }}{{ r.note }}", "{{ r.where }}", "{{ r.kind }}",
                 "\u201c{{ r.quote }}\u201d"))  # fmt: skip
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("The bills strike no preemptive or punitive provision of existing law.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("Also worth a look", 1)
    doc.add_paragraph("{%p if review %}")
    doc.add_paragraph(
        "No rule pattern classified these passages, but each appears to bind local "
        "government. They are listed for review, not counted above: read each against the "
        "bill before citing it."
    )
    _loop_table(doc, ("Bill", "Pinpoint", "Reads as; markup", "Exact quote", "Why listed"),
                "{%tr for r in review %}",
                ("{{ r.citation }}{{ r.note }}", "{{ r.where }}", "{{ r.kinds }}; {{ r.markup }}",
                 "{% if r.lead_in %}{{ r.lead_in }} … {% endif %}{{ r.quote }}",
                 "{{ r.why }}"))  # fmt: skip
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Every passage found to bind local government is classified above.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("Method", 1)
    doc.add_paragraph("{{ appendix.method }}")
    doc.add_paragraph("{%p if appendix.failed %}")
    doc.add_paragraph("Files not read:")
    doc.add_paragraph("{%p for f in appendix.failed %}")
    doc.add_paragraph("{{ f }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    _save(doc, "Amicus research appendix", out)


BUILDERS = {"memo": build, "appendix": build_appendix}


def main(argv: list[str] | None = None) -> int:
    """Rebuild the shipped templates (or one: `build appendix out.docx`)."""
    args = sys.argv[1:] if argv is None else argv
    names = [args[0]] if args else list(BUILDERS)
    for name in names:
        out = Path(args[1]) if len(args) > 1 else HERE / f"{name}.docx"
        BUILDERS[name](out)
        print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
