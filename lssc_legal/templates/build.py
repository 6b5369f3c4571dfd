"""Build the default memo template, memo.docx, with python-docx.

    python -m lssc_legal.templates.build

The shipped memo.docx is this script's output; lawyers copy it (`templates init`) and edit it
in Word. Everything is laid out with Word styles (Title, Heading 1-3, Quote, List Bullet, a
table style, and two character styles for redlines), never direct formatting, so a firm's
style sheet applies. Tags follow docxtpl: `{%p ... %}` for paragraphs, `{%tr ... %}` for table
rows, `{{r ... }}` for rich text.
"""

from __future__ import annotations

import sys
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

from .render import DELETED_STYLE, INSERTED_STYLE

HERE = Path(__file__).resolve().parent


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, TOC) that Word computes when it lays out the page."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
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


def build(out: Path) -> None:
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))

    head = section.header.paragraphs[0]
    head.text = "PRIVILEGED & CONFIDENTIAL"
    head.style = doc.styles["Privilege Notice"]
    second = section.header.add_paragraph("ATTORNEY WORK PRODUCT")
    second.style = doc.styles["Privilege Notice"]
    foot = section.footer.paragraphs[0]
    foot.style = doc.styles["Footer"]
    foot.add_run("{{ bill.citation }}")
    foot.add_run("\tPage ")
    add_field(foot, "PAGE", "1")
    foot.add_run(" of ")
    add_field(foot, "NUMPAGES", "1")

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
        "Word builds the table of contents when fields are updated (F9).",
    )

    doc.add_heading("Bottom line", 1)
    para("{{ bottom_line }}")
    para("{{ recommendation }}")

    doc.add_heading("Summary of the bill", 1)
    labelled("Bill: ", "{{ bill.citation }}")
    labelled("Title: ", "{{ bill.title }}")
    labelled("Version: ", "{{ bill.version }}")
    labelled("Sponsors: ", "{{ bill.sponsors }}")
    labelled("Source: ", "{{ bill.source }} ({{ bill.format }}, {{ bill.pages }} pages)")
    doc.add_heading("Section by section", 2)
    para("{%p for s in bill_sections %}")
    labelled("{{ s.label }} ", "(at {{ s.pinpoint }}; {{ s.provisions }} provisions found): "
             "{{ s.summary }}", "List Bullet")  # fmt: skip
    para("{%p endfor %}")

    doc.add_heading("Preemptive provisions", 1)
    para(
        "Provisions that preempt, void, punish or save local authority: {{ counts.provisions }} "
        "(preemptive: {{ counts.preemptive }}; punitive: {{ counts.punitive }}; savings "
        "clauses: {{ counts.savings }}). Pinpoints are printed page:line."
    )
    columns = ("Section", "Pinpoint", "Kind", "Subjects", "Effect", "Markup")
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
        "followed by the rules that flagged it and the principles it offends."
    )
    para("{%p for p in provisions %}")
    doc.add_heading("{{ p.heading }}", 2)
    para("{{ p.quote }}", "Quote")
    labelled("Cite: ", "{{ p.cite }}")
    labelled("Why it was flagged: ", "{{ p.why }}")
    para("{%p for f in p.findings %}")
    labelled("{{ f.principle }} ({{ f.principle_name }}), {{ f.severity }}: ",
             "{{ f.reason }}", "List Bullet")  # fmt: skip
    para("{%p endfor %}")
    para("{%p if p.notes %}")
    labelled("Reviewer's note: ", "{{ p.notes }}")
    para("{%p endif %}")
    para("{%p endfor %}")

    doc.add_heading("Punitive provisions", 1)
    para("{%p if punitive %}")
    para("{%p for p in punitive %}")
    labelled("{{ p.section }} (at {{ p.pinpoint }}): ", "{{ p.penalties }}.", "List Bullet")
    para("{%p endfor %}")
    para("{%p else %}")
    para("The tool found no provision that punishes a locality or its officials.")
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
    para("No provision is close to the model preemption language in the corpus.")
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

    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    doc.core_properties.title = "Technical Bill Analysis"
    doc.core_properties.author = "lssc-legal"
    doc.save(str(out))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else HERE / "memo.docx"
    build(out)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
