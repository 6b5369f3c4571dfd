"""Read a redline's tracked changes back as Word's Review pane would: list the revisions,
and give the text after Accept All or Reject All."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
_KEEP = {  # revision wrapper -> kept after (accept, reject)
    "ins": (True, False),
    "del": (False, True),
    "moveFrom": (False, True),
    "moveTo": (True, False),
}


def document(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def settings(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/settings.xml"))


def revisions(path: Path) -> list[etree._Element]:
    """Every run-level revision (w:ins, w:del, w:moveFrom, w:moveTo wrapping runs)."""
    root = document(path)
    return [
        el
        for tag in _KEEP
        for el in root.iter(f"{{{W}}}{tag}")
        if el.getparent() is not None and el.getparent().tag != f"{{{W}}}rPr"
    ]


def redline_paragraphs(path: Path) -> list[etree._Element]:
    """The body paragraphs after the redline's introduction."""
    body = document(path).find("w:body", NS)
    paragraphs = body.findall("w:p", NS)
    for k, p in enumerate(paragraphs):
        if "".join(p.itertext()).startswith("The text below is the new version"):
            return paragraphs[k + 1 :]
    raise AssertionError("no redline introduction in the document")


def reviewed(path: Path, accept: bool) -> list[str]:
    """The redline's paragraphs after Accept All (`accept`) or Reject All."""
    side = 0 if accept else 1
    out: list[str] = []
    carry = ""
    for p in redline_paragraphs(path):
        text = carry
        for node in p.iter(f"{{{W}}}t", f"{{{W}}}delText"):
            kept = True
            parent = node.getparent()
            while parent is not None and parent is not p:
                tag = etree.QName(parent).localname
                if tag in _KEEP and not _KEEP[tag][side]:
                    kept = False
                parent = parent.getparent()
            if kept:
                text += node.text or ""
        mark = p.find("w:pPr/w:rPr", NS)
        mark_kept = True
        if mark is not None:
            for child in mark:
                tag = etree.QName(child).localname
                if tag in _KEEP and not _KEEP[tag][side]:
                    mark_kept = False
        if mark_kept:
            out.append(text)
            carry = ""
        else:
            carry = text  # the paragraph mark is gone: the text runs on into the next
    if carry:
        out.append(carry)
    return out
