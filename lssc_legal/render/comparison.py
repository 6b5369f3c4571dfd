"""Comparisons as a lawyer reads them: Markdown, a terminal table, and the folder report.

The plain statement of what changed in the preemption provisions always comes first; the
sections and the word-level redline follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Pt

from ..compare.provisions import scope_changes, scope_verdict
from ..compare.series import Folder, Step
from ..markup import markdown_redline
from ..models import (
    Bill,
    Comparison,
    Place,
    ProvisionChange,
    RedlineSpan,
    SectionChange,
    pinpoint_range,
)
from .terminal import append_marked, shows_colour

CHANGE_LABELS = {
    "added": "Added",
    "removed": "Removed",
    "kind_changed": "Kind changed",
    "broadened": "Broadened",
    "narrowed": "Narrowed",
    "penalty_added": "Penalty added",
    "penalty_removed": "Penalty removed",
    "penalty_changed": "Penalty changed",
    "not_printed": "No longer printed",
    "now_printed": "Now printed",
    "effect_changed": "Effect changed",
    "reworded": "Reworded",
}
STATUS_LABELS = {
    "unchanged": "unchanged",
    "changed": "changed",
    "added": "added",
    "removed": "removed",
    "moved": "moved",
}


def version_name(bill: Bill, other: Bill | None = None) -> str:
    """ "H.B. 2606 (introduced)"; the file name stands in for what the bill does not print,
    or when it alone tells this version from `other`."""
    m = bill.meta
    name = m.citation.split(",")[0] if m.citation else Path(bill.source).name
    if m.version and not (other and other.meta.version == m.version and _same_bill(bill, other)):
        return f"{name} ({m.version})"
    if m.citation:
        return f"{name} ({Path(bill.source).name})"
    return name


def _same_bill(a: Bill, b: Bill) -> bool:
    return (a.meta.citation or a.source) == (b.meta.citation or b.source)


def title(c: Comparison) -> str:
    return f"{version_name(c.old, c.new)} to {version_name(c.new, c.old)}"


def describe(bill: Bill) -> str:
    pages = f"{bill.pages} page{'s' * (bill.pages != 1)}"
    return (
        f"{bill.meta.citation or bill.source} \u2014 {Path(bill.source).name}, "
        f"{bill.meta.version or 'version not printed'}, {pages}."
    )


def changed(c: Comparison) -> list[ProvisionChange]:
    return [p for p in c.provisions if p.status != "unchanged"]


def section_counts(c: Comparison) -> str:
    n = {k: sum(s.status == k for s in c.sections) for k in STATUS_LABELS}
    parts = [f"{v} {k}" for k, v in n.items() if v]
    renumbered = sum(s.renumbered for s in c.sections)
    if renumbered:
        parts.append(f"{renumbered} renumbered")
    return f"Sections: {', '.join(parts)}."


def statement(c: Comparison) -> list[str]:
    """What changed in the preemption provisions, one sentence each; or why nothing did."""
    lines = [p.summary for p in changed(c)]
    same = sum(p.status == "unchanged" for p in c.provisions)
    if lines and same:
        lines.append(
            f"{same} other provisions read the same in both versions."
            if same != 1
            else "One other provision reads the same in both versions."
        )
    if not lines:
        if same:
            lines.append(
                "No change in the preemption provisions: "
                + (
                    f"the {same} provisions that preempt, void, punish or save local "
                    "authority read the same in both versions."
                    if same != 1
                    else "the one provision that preempts, voids, punishes or saves local "
                    "authority reads the same in both versions."
                )
            )
        else:
            lines.append("Neither version has a provision that preempts, voids, punishes or "
                         "saves local authority.")  # fmt: skip
    return lines


def other_notes(c: Comparison) -> list[str]:
    """The comparison's notes that the statement of changes does not already make (it says
    "Neither version has a provision ..." itself)."""
    said = " ".join(statement(c)).lower()
    return [note for note in c.notes if note.lower().rstrip(".") not in said]


def where(place: Place | None) -> str:
    return f"{place.section} at {pinpoint_range(place.start, place.end)}" if place else "\u2014"


def change_labels(p: ProvisionChange) -> str:
    """One verdict for the provision, with the aspects it rests on: "Broadened (subjects,
    targets)"; a change that widens one aspect and narrows another is "Mixed: broader in
    subjects, narrower in targets", never "Broadened; Narrowed". Other changes follow
    ("Penalty added")."""
    scope = scope_changes(p.changes)
    wider = [x.aspect for x in scope if x.type == "broadened"]
    narrower = [x.aspect for x in scope if x.type == "narrowed"]

    def aspects(found: list[str]) -> str:
        return ", ".join(dict.fromkeys(_ASPECTS.get(a, a) for a in found))

    verdict = scope_verdict(p.changes)
    both = [a for a in wider if a in narrower]  # one subject taken in, another let go
    if verdict == "Mixed":
        only_wider = [a for a in wider if a not in both]
        only_narrower = [a for a in narrower if a not in both]
        ways = (("broader", only_wider), ("narrower", only_narrower), ("changed", both))
        verdict += ": " + "; ".join(f"{how} in {aspects(found)}" for how, found in ways if found)
    elif verdict:
        verdict += f" ({aspects(wider + narrower)})"
    # A savings clause added or struck is said as such ("Savings clause struck").
    rest = [_label(x.type, x.aspect) for x in p.changes if x not in scope]
    return "; ".join(dict.fromkeys([verdict, *rest] if verdict else rest))


# What a broadening or narrowing touched, in words.
_ASPECTS = {
    "kind": "kind",
    "subjects": "subjects",
    "targets": "local governments reached",
}


def _label(kind: str, aspect: str) -> str:
    if aspect == "savings":
        return "Savings clause added" if kind == "narrowed" else "Savings clause struck"
    return CHANGE_LABELS[kind]


def side(p: ProvisionChange, old: bool) -> str:
    q = p.old if old else p.new
    return f"{q.id} {q.section} at {pinpoint_range(q.start, q.end)}" if q else "\u2014"


def words_changed(s: SectionChange) -> str:
    """ "3 words in, 1 out" """
    return f"{s.inserted} word{'s' * (s.inserted != 1)} in, {s.deleted} out"


def section_status(s: SectionChange) -> str:
    out = STATUS_LABELS[s.status] + (" (renumbered)" if s.renumbered else "")
    if s.status in ("changed", "moved") and (s.inserted or s.deleted):
        out += f": {words_changed(s)}"
    return out


# -- Markdown ---------------------------------------------------------------------------


def comparison_markdown(c: Comparison) -> str:
    out = [f"# Redline: {title(c)}", ""]
    for label, bill in (("Old", c.old), ("New", c.new)):
        out.append(f"- **{label}:** {describe(bill)}")
    out += [
        "",
        f"{section_counts(c)} {c.similarity:.0%} of the words are the same, in the same order. "
        "Each version is read as it would be enacted (text it strikes left out).",
        "",
        "## What changed in the preemption provisions",
        "",
        *[f"- {line}" for line in statement(c)],
        *[f"- {note}" for note in other_notes(c)],
    ]
    rows = changed(c)
    if rows:
        out += ["", "| Change | Old version | New version | Redline |", "|---|---|---|---|"]
        for p in rows:
            out.append(
                f"| {change_labels(p)} | {_cell(side(p, True))} | {_cell(side(p, False))} | "
                f"{_cell(markdown_redline(p.diff))} |"
            )
    moved = [s for s in c.sections if s.status != "unchanged" or s.renumbered]
    out += ["", "## Sections", ""]
    if not moved:
        out.append("Every section reads the same in both versions.")
    else:
        out += ["| Section | Status | Old version | New version |", "|---|---|---|---|"]
        for s in moved:
            label = (s.new or s.old).section  # type: ignore[union-attr]
            out.append(f"| {_cell(label)} | {section_status(s)} | {_cell(where(s.old))} | "
                       f"{_cell(where(s.new))} |")  # fmt: skip
        out += ["", "## Redline", "", "Deleted words ~~struck~~, inserted words **bold**.", ""]
        for s in moved:
            label = (s.new or s.old).section  # type: ignore[union-attr]
            out += [f"### {label} ({section_status(s)})", "", _redline_md(s), ""]
    return "\n".join(out).rstrip() + "\n"


def _redline_md(s: SectionChange) -> str:
    spans = [
        RedlineSpan(op.text, "unchanged" if op.op == "equal" else
                    "deleted" if op.op == "delete" else "inserted")
        for op in s.diff
    ]  # fmt: skip
    return "\n\n".join(markdown_redline(line) for line in _lines(spans))


def _lines(spans: Sequence[RedlineSpan]) -> list[list[RedlineSpan]]:
    """Split spans at paragraph breaks (a break inside a change stays with the change)."""
    out: list[list[RedlineSpan]] = [[]]
    for sp in spans:
        pieces = sp.text.split("\n")
        for n, piece in enumerate(pieces):
            if n:
                out.append([])
            if piece:
                out[-1].append(RedlineSpan(piece, sp.mark))
    return [line for line in out if line]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# -- terminal ---------------------------------------------------------------------------


def print_table(c: Comparison, console: Any) -> None:
    from rich.table import Table
    from rich.text import Text

    console.print(Text(f"Redline: {title(c)}", style="bold"))
    console.print(f"{section_counts(c)} {c.similarity:.0%} of the words are the same.")
    for line in statement(c):
        console.print(f"\u2022 {line}")
    rows = changed(c)
    if not rows:
        return
    table = Table(show_lines=True)
    table.add_column("Change", no_wrap=True)
    table.add_column("Old version", min_width=16)
    table.add_column("New version", min_width=16)
    table.add_column("Redline", ratio=1, min_width=40)
    colour = shows_colour(console)
    for p in rows:
        red = Text()
        for sp in p.diff:
            append_marked(red, sp.text, sp.mark, colour)
        table.add_row(change_labels(p), side(p, True), side(p, False), red)
    console.print(table)


# -- a folder of versions ---------------------------------------------------------------


def folder_markdown(folder: Folder) -> str:
    out = ["# Bill versions compared", ""]
    for s in folder.series:
        out += [f"## {s.name}", "", f"Versions, in order ({s.ordered_by}):", ""]
        out += [f"{n}. {v.path.name} \u2014 {v.stage}" for n, v in enumerate(s.versions, 1)]
        for step in s.steps:
            out += ["", f"### {step.old.path.name} \u2192 {step.new.path.name}", ""]
            out += [f"- {line}" for line in statement(step.comparison)]
            out.append(f"- {section_counts(step.comparison)}")
            if step.redline:
                out.append(f"- Redline: {step.redline.name}")
        out.append("")
    out += _left_out_md(folder)
    return "\n".join(out).rstrip() + "\n"


def _left_out_md(folder: Folder) -> list[str]:
    out: list[str] = []
    if folder.unidentified:
        out += ["## Not grouped", "", "These files print no state or bill number:", ""]
        out += [f"- {p.name}" for p in folder.unidentified]
        out.append("")
    if folder.failed:
        out += ["## Could not be read", ""]
        out += [f"- {reason}" for _, reason in folder.failed]
        out.append("")
    return out


def folder_dict(folder: Folder) -> dict[str, Any]:
    return {
        "schema": "lssc-legal/comparison-folder/1",
        "bills": [
            {
                "bill": s.name,
                "ordered_by": s.ordered_by,
                "versions": [
                    {
                        "file": str(v.path),
                        "version": v.bill.meta.version,
                        "citation": v.bill.meta.citation,
                    }
                    for v in s.versions
                ],
                "comparisons": [
                    {
                        **step.comparison.to_dict(),
                        "redline": str(step.redline) if step.redline else None,
                    }
                    for step in s.steps
                ],
            }
            for s in folder.series
        ],
        "unidentified": [str(p) for p in folder.unidentified],
        "failed": [{"file": str(p), "error": reason} for p, reason in folder.failed],
    }


def write_folder_report(folder: Folder, out: Path) -> None:
    """One Word report: for each bill, its versions in order and, for each step, what
    changed in its preemption provisions, with the name of the step's redline."""
    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.add_paragraph("Bill versions compared", style="Title")
    doc.add_paragraph(
        "Each bill's versions in legislative order, and what changed in its preemption "
        "provisions from each version to the next. Each step has a redline with tracked "
        "changes beside this report.",
        style="Body Text",
    )
    for s in folder.series:
        doc.add_paragraph(s.name, style="Heading 1")
        doc.add_paragraph(f"Versions, in order ({s.ordered_by}):", style="Body Text")
        for v in s.versions:
            doc.add_paragraph(f"{v.path.name} \u2014 {v.stage}", style="List Number")
        if not s.steps:
            continue
        table = doc.add_table(rows=1, cols=4)
        table.style = "Light Grid Accent 1"
        fill_row(table.rows[0].cells, ["From", "To", "What changed in the preemption provisions",
                                     "Sections; redline"])  # fmt: skip
        for step in s.steps:
            _step_row(table.add_row().cells, step)
    if folder.unidentified or folder.failed:
        doc.add_paragraph("Files left out", style="Heading 1")
        for p in folder.unidentified:
            doc.add_paragraph(f"{p.name}: prints no state or bill number, so it could not be "
                              "grouped with other versions.", style="List Bullet")  # fmt: skip
        for _, reason in folder.failed:
            doc.add_paragraph(reason, style="List Bullet")
    doc.save(str(out))


def _step_row(cells: Any, step: Step) -> None:
    c = step.comparison
    fill_row(
        cells,
        [
            f"{step.old.path.name}\n{step.old.stage}",
            f"{step.new.path.name}\n{step.new.stage}",
            "\n".join(statement(c)),
            section_counts(c) + (f"\n{step.redline.name}" if step.redline else ""),
        ],
    )


def fill_row(cells: Any, values: list[str]) -> None:
    """Fill a table row in 9-point type."""
    for cell, value in zip(cells, values, strict=True):
        cell.text = value
        for par in cell.paragraphs:
            for run in par.runs:
                run.font.size = Pt(9)


def print_folder(result: Folder, console: Any) -> None:
    """A folder of versions on the terminal: each bill, its versions in order, and what
    changed from each to the next."""
    for s in result.series:
        n = len(s.versions)
        console.print(f"[bold]{s.name}[/bold]: {n} version{'s' * (n != 1)} ({s.ordered_by})")
        for step in s.steps:
            console.print(f"  {step.old.path.name} \u2192 {step.new.path.name}")
            for line in statement(step.comparison):
                console.print(f"    \u2022 {line}")
    for p in result.unidentified:
        console.print(f"{p.name}: prints no state or bill number; not grouped")


def write_folder(result: Folder, output: Path, author: str, inputs: Sequence[Path]) -> None:
    """Into the folder `output`: one redline per pair of consecutive versions
    ("OLD--NEW.redline.docx"), then report.docx, report.md and report.json; each file whole
    or not at all, none over one of `inputs`."""
    import json

    from ..outputs import atomic_output
    from .redline import write_redline

    output.mkdir(exist_ok=True)
    for s in result.series:
        for step in s.steps:
            name = f"{step.old.path.stem}--{step.new.path.stem}.redline.docx"
            with atomic_output(output / name, "docx", inputs) as tmp:
                write_redline(step.comparison, step.seq, tmp, author=author)
            step.redline = output / name
    with atomic_output(output / "report.docx", "docx", inputs) as tmp:
        write_folder_report(result, tmp)
    with atomic_output(output / "report.md", "md", inputs) as tmp:
        tmp.write_text(folder_markdown(result), encoding="utf-8")
    with atomic_output(output / "report.json", "json", inputs) as tmp:
        tmp.write_text(
            json.dumps(folder_dict(result), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
