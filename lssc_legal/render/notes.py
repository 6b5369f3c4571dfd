"""Word footnotes, which python-docx cannot write: the appendix cites each bill's source in
a footnote at the bill's first row.

A template field renders a mark (appendix.NOTE_MARK, "⟦note 3⟧") wherever a footnote
belongs; `place_footnotes` replaces each mark with a footnote reference and writes the
footnote's text into the document's footnotes part (made when the template has none, added
to when a lawyer's template already holds footnotes of its own).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import nsdecls, qn
from lxml import etree

FOOTNOTE_TEXT = "FootnoteText"  # Word's built-in style ids
FOOTNOTE_REFERENCE = "FootnoteReference"
_MARK = re.compile("\u27e6note (\\d+)\u27e7")
_EMPTY = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
    'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote></w:footnotes>"
)


def place_footnotes(document: Any, notes: Mapping[int, str]) -> int:
    """Turn every mark in the body into a footnote holding `notes[n]`; returns how many.
    A mark whose number has no note is removed."""
    part, root = _footnotes(document)
    ids = [int(n.get(qn("w:id"))) for n in root.iter(qn("w:footnote"))]
    next_id = max([0, *ids]) + 1
    styles = {s.style_id for s in document.styles}
    placed = 0
    for t in list(document.element.body.iter(qn("w:t"))):
        if not t.text or not _MARK.search(t.text):
            continue
        run = t.getparent()
        pieces = _MARK.split(t.text)  # text, number, text, number, ..., text
        before = pieces[0]
        t.text = before
        if before != before.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        anchor = run
        for i in range(1, len(pieces), 2):
            number, after = int(pieces[i]), pieces[i + 1]
            if number in notes:
                ref = _reference_run(styles)
                mark = etree.SubElement(ref, qn("w:footnoteReference"))
                mark.set(qn("w:id"), str(next_id))
                anchor.addnext(ref)
                anchor = ref
                root.append(_footnote(next_id, notes[number], styles))
                next_id += 1
                placed += 1
            if after:
                tail = copy.deepcopy(run)
                for child in list(tail):
                    if child.tag != qn("w:rPr"):
                        tail.remove(child)
                text = etree.SubElement(tail, qn("w:t"))
                text.text = after
                text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                anchor.addnext(tail)
                anchor = tail
        if not before:
            run.remove(t)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return placed


def _footnotes(document: Any) -> tuple[Part, Any]:
    main = document.part
    for rel in main.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            part = rel.target_part
            return part, etree.fromstring(part.blob)
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, _EMPTY.encode(), main.package)
    main.relate_to(part, RT.FOOTNOTES)
    return part, etree.fromstring(part.blob)


def _reference_run(styles: set[str]) -> Any:
    """A footnote-reference run: the style when the template has it, else superscript."""
    ref = etree.Element(qn("w:r"))
    props = etree.SubElement(ref, qn("w:rPr"))
    if FOOTNOTE_REFERENCE in styles:
        etree.SubElement(props, qn("w:rStyle")).set(qn("w:val"), FOOTNOTE_REFERENCE)
    else:
        etree.SubElement(props, qn("w:vertAlign")).set(qn("w:val"), "superscript")
    return ref


def _footnote(number: int, text: str, styles: set[str]) -> Any:
    note = etree.Element(qn("w:footnote"))
    note.set(qn("w:id"), str(number))
    p = etree.SubElement(note, qn("w:p"))
    if FOOTNOTE_TEXT in styles:
        ppr = etree.SubElement(p, qn("w:pPr"))
        etree.SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), FOOTNOTE_TEXT)
    mark = _reference_run(styles)
    etree.SubElement(mark, qn("w:footnoteRef"))
    p.append(mark)
    body = etree.SubElement(p, qn("w:r"))
    t = etree.SubElement(body, qn("w:t"))
    t.text = " " + text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return note
