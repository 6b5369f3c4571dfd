"""The redline: a Word document whose body carries native tracked changes.

python-docx lays out the front (title, what changed, the change-summary tables); the body
is written as WordprocessingML revisions, which python-docx does not write: `w:ins` and
`w:del` for inserted and deleted words, `w:moveFrom` / `w:moveTo` with named move ranges for
a section that moved, and revision marks on paragraph marks where a paragraph is added or
removed. Every revision carries an author and a date, so Word's Review pane walks through
them; accepting all gives the new version's text, rejecting all the old one's.
"""

from __future__ import annotations

import bisect
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .. import __version__
from ..compare import Sequenced
from ..models import Comparison, SectionChange
from .build import add_field, repeat_header
from .comparison import (
    change_labels,
    changed,
    describe,
    fill_row,
    other_notes,
    section_counts,
    section_status,
    side,
    statement,
    title,
    where,
    words_changed,
)

# Characters XML 1.0 cannot hold (form feeds and other controls from PDF text layers).
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MARK_TAGS = {"ins": "w:ins", "del": "w:del", "moveFrom": "w:moveFrom", "moveTo": "w:moveTo"}


def write_redline(
    comparison: Comparison,
    seq: Sequenced,
    out: Path,
    author: str = "lssc-legal",
    when: datetime | None = None,
) -> None:
    """Write the redline of `comparison` to `out` (a .docx)."""
    when = when or datetime.now(UTC)
    doc = Document()
    _layout(doc, comparison)
    _front(doc, comparison)
    doc.add_paragraph("Redline", style="Heading 1")
    doc.add_paragraph(
        "The text below is the new version with the old version's text tracked as changes "
        f"by \u201c{author}\u201d. Review \u203a Next walks through them; Accept All gives the "
        "new version, Reject All the old one. Moved sections are shown as moves.",
        style="Body Text",
    )
    writer = _Writer(author, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    body = writer.body(seq)
    holder = parse_xml(f"<w:body {nsdecls('w')}>{body}</w:body>")
    sect = doc.element.body.sectPr
    paragraphs = list(holder)
    for child in paragraphs:
        if sect is not None:
            sect.addprevious(child)
        else:
            doc.element.body.append(child)
    # Comments beside moved text say where it came from or went (Word's own balloons say
    # only "Moved"); beside each changed provision, what changed in it. Comments change
    # nothing when changes are accepted or rejected.
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]\w*", author)).upper()[:4] or "LL"
    for index, note in [*writer.comments, *_provision_notes(comparison, seq, writer)]:
        runs = paragraphs[index].findall(".//" + qn("w:r"))
        if runs:
            paragraph = Paragraph(paragraphs[index], doc._body)
            doc.add_comment(Run(runs[0], paragraph), note, author=author, initials=initials)
    _track_revisions(doc)
    doc.core_properties.title = f"Redline: {title(comparison)}"
    doc.core_properties.author = author
    doc.save(str(out))


def _provision_notes(c: Comparison, seq: Sequenced, writer: _Writer) -> list[tuple[int, str]]:
    """(paragraph index, what changed) for each changed provision, at the paragraph of the
    redline where it begins (in the new version; in the old one when it is gone or struck)."""
    out: list[tuple[int, str]] = []
    for p in c.provisions:
        if p.status == "unchanged":
            continue
        # the side whose enacted text holds the provision's words (a struck provision is
        # not in its version's text; the redline shows it as deleted from the other's)
        new = p.new is not None and p.new.markup != "deleted"
        provision = p.new if new else p.old
        if provision is None or provision.markup == "deleted":
            continue
        offset = provision.offsets[0]
        for k, pair in enumerate(seq.units):
            unit = pair[1] if new else pair[0]
            if unit is None or not unit.start <= offset < unit.end or not unit.offsets:
                continue
            i = min(bisect.bisect_left(unit.offsets, offset), len(unit.starts) - 1)
            index = writer.paragraph_at(k, unit.starts[i], new=new)
            if index is not None:
                out.append((index, p.summary))
            break
    return out


def _layout(doc: object, comparison: Comparison) -> None:
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Inches(1))
    styles = doc.styles  # type: ignore[attr-defined]
    styles["Normal"].font.name = "Times New Roman"
    styles["Normal"].font.size = Pt(12)
    foot = section.footer.paragraphs[0]
    foot.add_run(f"Redline: {title(comparison)}")
    foot.add_run("\tPage ")
    add_field(foot, "PAGE", "1")
    foot.add_run(" of ")
    add_field(foot, "NUMPAGES", "1")


def _front(doc: Any, c: Comparison) -> None:
    add = doc.add_paragraph
    add(f"Redline: {title(c)}", style="Title")
    for label, bill in (("Old", c.old), ("New", c.new)):
        p = add(style="Body Text")
        p.add_run(f"{label}: ").bold = True
        p.add_run(describe(bill))
    add(
        f"Compared by lssc-legal {__version__}. Each version is read as it would be enacted: "
        "text a version strikes (struck through or bracketed) is not law under it, so it is "
        f"left out of that version's text. {section_counts(c)} "
        f"{c.similarity:.0%} of the words are the same, in the same order.",
        style="Body Text",
    )
    add("What changed in the preemption provisions", style="Heading 1")
    for line in statement(c):
        add(line, style="List Bullet")
    for note in other_notes(c):
        add(note, style="Body Text")
    rows = changed(c)
    if rows:
        add("Change summary", style="Heading 2")
        table = doc.add_table(rows=1, cols=4)
        table.style = "Light Grid Accent 1"
        fill_row(table.rows[0].cells, ["Change", "Old version", "New version", "Provision"])
        for p in rows:
            provision = p.new or p.old
            assert provision is not None
            text = provision.text
            if len(text) > 300:
                text = text[:297].rsplit(" ", 1)[0] + " \u2026"
            fill_row(table.add_row().cells, [change_labels(p), side(p, True), side(p, False), text])
        repeat_header(table)
    add("Sections", style="Heading 2")
    moved = [s for s in c.sections if s.status != "unchanged" or s.renumbered]
    if not moved:
        add("Every section reads the same in both versions.", style="Body Text")
        return
    table = doc.add_table(rows=1, cols=4)
    table.style = "Light Grid Accent 1"
    fill_row(table.rows[0].cells, ["Section", "Status", "Old version", "New version"])
    for s in moved:
        label = (s.new or s.old).section  # type: ignore[union-attr]
        fill_row(table.add_row().cells, [label, section_status(s), where(s.old), where(s.new)])
    repeat_header(table)


def _track_revisions(doc: object) -> None:
    """Keep track changes on, so the lawyer's own edits to the redline are tracked too."""
    settings = doc.settings.element  # type: ignore[attr-defined]
    if settings.find(qn("w:trackRevisions")) is None:
        settings.insert(0, OxmlElement("w:trackRevisions"))


class _Writer:
    """Builds the body XML: paragraphs of runs, each run plain or a revision."""

    def __init__(self, author: str, date: str) -> None:
        self.attrs = f'w:author="{escape(author, {chr(34): "&quot;"})}" w:date="{date}"'
        self.next_id = 1000
        self.moves = 0
        self.out: list[str] = []
        self.runs: list[str] = []
        self.comments: list[tuple[int, str]] = []  # (paragraph index, comment)
        # per section: (paragraph index, old text position, new text position) of each
        # paragraph it starts
        self.paragraph_starts: dict[int, list[tuple[int, int, int]]] = {}

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def body(self, seq: Sequenced) -> str:
        before: dict[int, list[int]] = {}
        for moved, at in seq.moved_from.items():
            before.setdefault(at, []).append(moved)
        names: dict[int, str] = {}  # a moved section -> the name its two ranges share

        def name(k: int) -> str:
            if k not in names:
                self.moves += 1
                names[k] = f"move{self.moves}"
            return names[k]

        for k, s in enumerate(seq.sections):
            for moved in before.get(k, []):
                self._move_from(seq.old_text(moved), name(moved), seq.sections[moved])
            if s.status == "moved":
                self._move_to(k, s, name(k))
            else:
                self._section(k, s)
        for moved in before.get(len(seq.sections), []):  # old place after the last section
            self._move_from(seq.old_text(moved), name(moved), seq.sections[moved])
        return "".join(self.out)

    # -- sections ----------------------------------------------------------------------

    def _section(self, k: int, s: SectionChange) -> None:
        whole = {"added": "ins", "removed": "del"}.get(s.status)
        a = b = 0  # positions in the section's old and new text
        self._starts(k, a, b)
        for op in s.diff:
            mark = whole or {"equal": None, "insert": "ins", "delete": "del"}[op.op]
            at = 0
            for n, piece in enumerate(op.text.split("\n")):
                if n:
                    self._end_paragraph(mark)
                    at += 1
                    self._starts(k, a + at * (op.op != "insert"), b + at * (op.op != "delete"))
                if piece:
                    self.runs.append(self._run(piece, mark))
                at += len(piece)
            a += len(op.text) * (op.op != "insert")
            b += len(op.text) * (op.op != "delete")
        self._end_paragraph(whole)

    def _starts(self, k: int, a: int, b: int) -> None:
        """Note where a paragraph of section k starts, in its old and new text."""
        self.paragraph_starts.setdefault(k, []).append((len(self.out), a, b))

    def paragraph_at(self, k: int, pos: int, *, new: bool) -> int | None:
        """The redline paragraph that holds text position `pos` of section k."""
        found = None
        for index, a, b in self.paragraph_starts.get(k, []):
            if (b if new else a) <= pos:
                found = index
        return found

    def _move_from(self, text: str, name: str, s: SectionChange) -> None:
        self._note(_moved_note(s, to=False))
        rid = self.new_id()
        self.runs.append(f'<w:moveFromRangeStart w:id="{rid}" {self.attrs} w:name="{name}"/>')
        paragraphs = text.split("\n")
        for n, piece in enumerate(paragraphs):
            if piece:
                rev = self.new_id()
                self.runs.append(f'<w:moveFrom w:id="{rev}" {self.attrs}>{_r(piece)}</w:moveFrom>')
            if n == len(paragraphs) - 1:
                self.runs.append(f'<w:moveFromRangeEnd w:id="{rid}"/>')
            self._end_paragraph("moveFrom")

    def _move_to(self, k: int, s: SectionChange, name: str) -> None:
        """The moved text where it now stands: kept words as moved, inserted words as
        insertions. Words the move dropped are not repeated here: the old text stands whole
        at its old place (a deletion nested in a move is not shown by every editor)."""
        self._note(_moved_note(s, to=True))
        rid = self.new_id()
        self.runs.append(f'<w:moveToRangeStart w:id="{rid}" {self.attrs} w:name="{name}"/>')
        b = 0
        self._starts(k, 0, b)
        for op in s.diff:
            if op.op == "delete":
                continue
            at = b
            for n, piece in enumerate(op.text.split("\n")):
                if n:
                    self._end_paragraph("moveTo" if op.op == "equal" else "ins")
                    at += 1
                    self._starts(k, 0, at)
                at += len(piece)
                if not piece:
                    continue
                if op.op == "equal":
                    rev = self.new_id()
                    self.runs.append(f'<w:moveTo w:id="{rev}" {self.attrs}>{_r(piece)}</w:moveTo>')
                else:
                    self.runs.append(self._run(piece, "ins"))
            b += len(op.text)
        self.runs.append(f'<w:moveToRangeEnd w:id="{rid}"/>')
        self._end_paragraph("moveTo")

    def _note(self, text: str) -> None:
        """A comment on the paragraph about to be written."""
        self.comments.append((len(self.out), text))

    # -- runs and paragraphs -----------------------------------------------------------

    def _run(self, text: str, mark: str | None) -> str:
        if mark is None:
            return _r(text)
        if mark == "ins":
            return f'<w:ins w:id="{self.new_id()}" {self.attrs}>{_r(text)}</w:ins>'
        return f'<w:del w:id="{self.new_id()}" {self.attrs}>{_r(text, deleted=True)}</w:del>'

    def _end_paragraph(self, mark: str | None) -> None:
        """Close the paragraph; `mark` is the revision of its paragraph mark (a paragraph
        added, removed or moved), None when both versions break the paragraph there."""
        ppr = ""
        if mark:
            tag = _MARK_TAGS[mark]
            ppr = f'<w:pPr><w:rPr><{tag} w:id="{self.new_id()}" {self.attrs}/></w:rPr></w:pPr>'
        self.out.append(f"<w:p>{ppr}{''.join(self.runs)}</w:p>")
        self.runs = []


def _moved_note(s: SectionChange, *, to: bool) -> str:
    old, new = where(s.old), where(s.new)
    if to:
        text = f"Moved here from {old} in the old version."
        if s.deleted or s.inserted:
            text += (
                f" Changed in the move: {words_changed(s)}; the words "
                "taken out show struck at the old place."
            )
        return text
    return f"Moved from here to {new} in the new version."


def _r(text: str, *, deleted: bool = False) -> str:
    tag = "w:delText" if deleted else "w:t"
    return f'<w:r><{tag} xml:space="preserve">{escape(_BAD_XML.sub("", text))}</{tag}></w:r>'
