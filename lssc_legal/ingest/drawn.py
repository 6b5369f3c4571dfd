"""Marks a printed-bill page draws instead of writing: Pennsylvania's HTML copies of its
printed bills (pdf2htmlEX) place each printed line as positioned text and draw underlines and
strike-through rules in a background SVG image. A rule just under a line's baseline underlines
the words above it (language the bill inserts); a rule through the middle of the letters
strikes them (language the bill or an amendment deletes).

The bill is set in a monospaced face, so a rule's horizontal extent says which characters it
covers: (x - left) / character width, with the character width 0.6 of the font size.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from ..models import Mark

# A rule drawn as a horizontal path: d="M x0 y L x1 y" transform="matrix(a,0,0,d,tx,ty)".
_PATH = re.compile(
    r'd="M\s*(?P<x0>[-\d.e]+)\s+(?P<y0>[-\d.e]+)\s+L\s*(?P<x1>[-\d.e]+)\s+(?P<y1>[-\d.e]+)\s*"'
    r'(?:\s+transform="matrix\((?P<m>[-\d.e,\s]+)\)")?'
)
_VIEWBOX = re.compile(r'viewBox="\s*[-\d.]+\s+[-\d.]+\s+([\d.]+)\s+([\d.]+)"')
_CLASS_PX = re.compile(r"\.([a-z]+[0-9a-f]*)\{(left|bottom|font-size|height|width):([\d.]+)px;\}")
_MATRIX = re.compile(r"\.(m[0-9a-f]+)\{transform:matrix\(([\d.]+),")
_MONOSPACE = 0.6  # a character's advance in a monospaced face, in ems


@dataclass(frozen=True)
class Rule:
    x0: float  # page pixels, from the left
    x1: float
    bottom: float  # page pixels, from the bottom


@dataclass
class Geometry:
    """The positions the style sheet gives its classes (pdf2htmlEX: x* left, y* bottom,
    fs* font size, m* scale), in page pixels."""

    left: dict[str, float]
    bottom: dict[str, float]
    font: dict[str, float]
    scale: dict[str, float]
    page_width: float | None
    page_height: float | None


def geometry(css: str) -> Geometry:
    left: dict[str, float] = {}
    bottom: dict[str, float] = {}
    font: dict[str, float] = {}
    sizes: dict[str, float] = {}
    for name, prop, value in _CLASS_PX.findall(css):
        # The screen style comes first; a print style repeats the classes in points.
        table = {"left": left, "bottom": bottom, "font-size": font}.get(prop, sizes)
        table.setdefault(name if table is not sizes else f"{prop}:{name}", float(value))
    scale: dict[str, float] = {}
    for name, a in _MATRIX.findall(css):
        scale.setdefault(name, float(a))
    return Geometry(
        left,
        bottom,
        font,
        scale,
        sizes.get("width:w0"),
        sizes.get("height:h0"),
    )


def rules_in(svg_base64: str, page_width: float | None) -> list[Rule]:
    """The horizontal rules a page's background image draws, in page pixels."""
    try:
        svg = base64.b64decode(svg_base64).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return []
    box = _VIEWBOX.search(svg)
    if not box:
        return []
    width, height = float(box.group(1)), float(box.group(2))
    to_page = (page_width / width) if page_width else 1.0
    out = []
    for m in _PATH.finditer(svg):
        x0, y0, x1, y1 = (float(m.group(k)) for k in ("x0", "y0", "x1", "y1"))
        if abs(y1 - y0) > 0.5 or abs(x1 - x0) < 1:
            continue  # not a horizontal rule
        a, d, tx, ty = 1.0, 1.0, 0.0, 0.0
        if m.group("m"):
            parts = [float(p) for p in m.group("m").split(",")]
            if len(parts) != 6:
                continue
            a, d, tx, ty = parts[0], parts[3], parts[4], parts[5]
        sx0, sx1 = sorted((a * x0 + tx, a * x1 + tx))
        sy = d * y0 + ty  # from the top, in image units
        out.append(Rule(sx0 * to_page, sx1 * to_page, (height - sy) * to_page))
    return out


def mark_drawn(
    chars: list[tuple[str, Mark, bool]],
    classes: list[str],
    rules: list[Rule],
    geo: Geometry,
) -> list[tuple[str, Mark, bool]]:
    """A positioned line's characters with the marks the rules on its page draw over them."""
    x = next((geo.left[c] for c in classes if c in geo.left), None)
    y = next((geo.bottom[c] for c in classes if c in geo.bottom), None)
    size = next((geo.font[c] for c in classes if c in geo.font), None)
    scale = next((geo.scale[c] for c in classes if c in geo.scale), 1.0)
    if x is None or y is None or size is None or not rules:
        return chars
    em = size * scale
    width = _MONOSPACE * em
    out = list(chars)
    for rule in rules:
        rise = rule.bottom - y
        if -0.35 * em <= rise < 0.12 * em:
            mark: Mark = "inserted"  # under the baseline: underlined
        elif 0.12 * em <= rise <= 0.55 * em:
            mark = "deleted"  # through the letters: struck
        else:
            continue
        first = max(0, round((rule.x0 - x) / width))
        last = min(len(out), round((rule.x1 - x) / width))
        for i in range(first, last):
            ch, old, bold = out[i]
            if old == "unchanged":
                out[i] = (ch, mark, bold)
    return _whole_words(chars, out)


def _whole_words(
    before: list[tuple[str, Mark, bool]], after: list[tuple[str, Mark, bool]]
) -> list[tuple[str, Mark, bool]]:
    """A rule's ends fall within a character's width of a word's ends: a word takes the
    mark most of its letters took, or none."""
    out = list(after)
    i = 0
    while i < len(out):
        if out[i][0].isspace():
            i += 1
            continue
        j = i
        while j < len(out) and not out[j][0].isspace():
            j += 1
        changed = [k for k in range(i, j) if out[k][1] != before[k][1]]
        if changed:
            marks = [out[k][1] for k in changed]
            # The commonest; on a tie, the mark of the word's first changed letter (a set's
            # order would differ between runs).
            top = max(marks, key=marks.count)
            keep = marks.count(top) * 2 >= (j - i)
            for k in range(i, j):
                ch, _, bold = out[k]
                out[k] = (ch, top if keep and before[k][1] == "unchanged" else before[k][1], bold)
        i = j
    return out
