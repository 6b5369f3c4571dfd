"""The watch digest in Word: what changed in the preemption provisions of each watched bill
since the last run, newest version first, each change with its pinpoints in both versions
and a link to the redline written beside the bill's files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

NOTHING_FOUND = "No provision that preempts, voids, punishes or saves local authority."
NOTHING_IN_AMENDMENT = (
    "No provision found that would preempt, void, punish or save local authority. An "
    "amendment that strikes or rewrites the bill by instruction is read only in part: read "
    "it with the bill."
)


class Digest(Protocol):
    """What the digest holds (`track.watch.Digest`; named here by shape, so that render
    does not import track)."""

    date: str
    steps: list[Any]
    first: list[Any]
    amendments: list[Any]
    unchanged: list[str]
    problems: list[str]

    def sections(self) -> list[tuple[str, Any]]: ...

    def summary(self) -> str: ...


def write_digest(digest: Digest, out: Path) -> None:
    """The digest as a Word document at `out` (the caller writes it whole: `out` is a
    temporary file beside the one asked for, whose folder the links are relative to)."""
    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.add_paragraph("What changed in the preemption provisions", style="Title")
    if not digest.steps and not digest.first and not digest.amendments:
        doc.add_paragraph("No watched bill has a new version.", style="Body Text")
    else:
        doc.add_paragraph(
            f"{digest.date}. {digest.summary()}, newest first. Pinpoints are to each version "
            "as printed (page:line). Each comparison's redline, with tracked changes, is "
            "linked beside it.",
            style="Body Text",
        )
    for what, item in digest.sections():
        doc.add_paragraph(item.heading(), style="Heading 2")
        if what == "step":
            for line in item.changes:
                doc.add_paragraph(line, style="List Bullet")
            if item.redline:
                p = doc.add_paragraph("Redline: ", style="Body Text")
                _link(p, href(item.redline, out.parent), item.redline.name)
            doc.add_paragraph(
                f"Files: {Path(item.old.path).name} \u2192 {Path(item.new.path).name}",
                style="Body Text",
            )
            continue
        for line in item.lines():
            doc.add_paragraph(line, style="List Bullet")
        doc.add_paragraph(f"File: {Path(item.version.path).name}", style="Body Text")
    if digest.unchanged:
        doc.add_paragraph("No new version", style="Heading 1")
        for b in digest.unchanged:
            doc.add_paragraph(b, style="List Bullet")
    if digest.problems:
        doc.add_paragraph("Not checked", style="Heading 1")
        for problem in digest.problems:
            doc.add_paragraph(problem, style="List Bullet")
    doc.save(str(out))


def href(target: Path, base: Path | None) -> str:
    """A link to `target` from the folder `base` the digest is written to: relative where
    it can be, so the folder can be moved or shared whole; absolute with no folder (the
    digest on the terminal)."""
    if base is None:
        return target.resolve().as_posix()
    try:
        return Path(os.path.relpath(target.resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive
        return target.resolve().as_uri()


def _link(paragraph: Any, href: str, text: str) -> None:
    """A hyperlink run (python-docx has no API for one)."""
    rel = paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:u")
    style.set(qn("w:val"), "single")
    props.append(style)
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0563C1")
    props.append(colour)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)
