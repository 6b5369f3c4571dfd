"""The amicus appendix as a lawyer files it: the Word table from a template (each bill's
source a footnote), and for analysts a CSV and a workbook. The rows come from
lssc_legal.appendix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined

from ..appendix import COLUMNS, Appendix, context
from ..errors import TemplateError
from ..outputs import atomic_output
from .memo import open_template, render_docx, sandbox, template_path
from .tabular import csv_text


def write_outputs(
    made: Appendix,
    title: str | None,
    *,
    docx: Path | None,
    csv: Path | None,
    xlsx: Path | None,
    template: Path | None,
    inputs: Sequence[Path | None],
) -> tuple[dict[str, Any], list[str]]:
    """Write the appendix as each output named (Word, CSV, XLSX), each whole or not at all
    and never over one of `inputs`; its fields and the files written."""
    fields = context(made, title)
    written = []
    if docx is not None:
        with atomic_output(docx, "docx", inputs) as tmp:
            write_appendix(fields, tmp, template)
        written.append(str(docx))
    if csv is not None:
        with atomic_output(csv, "csv", inputs) as tmp:
            write_csv(made, tmp)
        written.append(str(csv))
    if xlsx is not None:
        with atomic_output(xlsx, "xlsx", inputs) as tmp:
            write_xlsx(made, fields, tmp)
        written.append(str(xlsx))
    return fields, written


def write_appendix(fields: dict[str, Any], out: Path, template: Path | None = None) -> None:
    """Render the appendix's fields (appendix.context) into `out` (.docx) from `template`
    (default: the built-in appendix); each bill's source becomes a footnote."""
    from .notes import place_footnotes

    path = template or template_path("appendix")
    if path.suffix.lower() != ".docx":
        raise TemplateError(path, "is not a Word template", "the appendix needs a .docx template")
    tpl = open_template(path)
    render_docx(tpl, path, fields, sandbox(StrictUndefined, autoescape=True))
    notes = {i: s["text"] for i, s in enumerate(fields["sources"], 1)}
    place_footnotes(tpl.docx, notes)  # not get_docx(): it reloads the template
    tpl.save(str(out))


def write_csv(appendix: Appendix, out: Path) -> None:
    """One row per provision, every column of COLUMNS ("Listed under" says provisions,
    repealed or review); UTF-8 with a byte-order mark so Excel reads the quotes' typography."""
    listed = [*appendix.rows, *appendix.repealed_rows, *appendix.review_rows]
    rows = ([r[key] for key, _ in COLUMNS] for r in listed)
    out.write_text(csv_text([label for _, label in COLUMNS], rows), encoding="utf-8", newline="")


def write_xlsx(appendix: Appendix, fields: dict[str, Any], out: Path) -> None:
    """A workbook for analysts: Provisions (filterable), Repealed and Review (when there are
    any), Summary, Sources, Method."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    widths = {"citation": 34, "quote": 80, "title": 40, "section": 26, "subjects": 24,
              "kinds": 24, "penalties": 30, "sha256": 20, "rules": 30}  # fmt: skip
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def rows_sheet(ws: Any, rows: list[dict[str, Any]]) -> None:
        """Every column of COLUMNS, a bold frozen header, wrapped cells, a filter."""
        ws.append([label for _, label in COLUMNS])
        for r in rows:
            ws.append([r[key] for key, _ in COLUMNS])
        for i, (key, _) in enumerate(COLUMNS, 1):
            ws.cell(row=1, column=i).font = bold
            ws.column_dimensions[get_column_letter(i)].width = widths.get(key, 14)
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                cell.alignment = wrap
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions

    ws = wb.active
    assert ws is not None
    ws.title = "Provisions"
    rows_sheet(ws, appendix.rows)
    # Beside the table they are kept apart from.
    if appendix.review_rows:
        rows_sheet(wb.create_sheet("Review", 1), appendix.review_rows)
    if appendix.repealed_rows:
        rows_sheet(wb.create_sheet("Repealed", 1), appendix.repealed_rows)

    s = fields["summary"]
    sheet = wb.create_sheet("Summary")
    sheet.append(["Provisions by subject and state"])
    sheet.append(["Subject", *s["states"], "Total"])
    for subj in s["subjects"]:
        sheet.append([subj["name"], *[int(c or 0) for c in subj["counts"]], int(subj["total"])])
    sheet.append(["All subjects", *[int(c) for c in s["totals"]], int(s["total"])])
    sheet.append([])
    sheet.append(["Provisions by kind", "Provisions", "Bills"])
    for k in s["kinds"]:
        sheet.append([k["name"], int(k["count"]), int(k["bills"])])
    sheet.append([])
    sheet.append(["Provisions by penalty mechanism", "Provisions", "Bills"])
    for m in s["penalties"]:
        sheet.append([m["name"], int(m["count"]), int(m["bills"])])
    sheet.column_dimensions["A"].width = 40
    for cells in sheet.iter_rows():
        for cell in cells:
            if (
                isinstance(cell.value, str)
                and cell.column == 1
                and cell.value.startswith("Provisions by")
            ):
                cell.font = bold

    sources = wb.create_sheet("Sources")
    keys = ("citation", "title", "version", "source", "format", "pages", "sha256")
    sources.append([k.capitalize() if k != "sha256" else "SHA-256" for k in keys])
    for src in fields["sources"]:
        sources.append([src[k] for k in keys])
    for i, w in enumerate((40, 50, 18, 30, 8, 8, 66), 1):
        sources.column_dimensions[get_column_letter(i)].width = w

    method = wb.create_sheet("Method")
    a = fields["appendix"]
    for line in (a["title"], a["method"], *[f"Not read: {f}" for f in a["failed"]]):
        method.append([line])
    method.column_dimensions["A"].width = 120
    for cells in method.iter_rows():
        for cell in cells:
            cell.alignment = wrap
    wb.save(str(out))
