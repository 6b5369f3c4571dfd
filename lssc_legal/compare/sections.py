"""Two versions of a bill compared section by section.

    compare_bills(old, new, corpus=None) -> Comparison

Sections are aligned first (`align`), then diffed word by word inside each pair
(`lssc_legal.textdiff`), each version read as it would be enacted: the text a version
strikes is not law under it, so a savings clause a committee substitute strikes shows as
deleted. Then the preemption provisions of both versions are paired and what changed in
each is said in the vocabulary of the design (`provisions`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..models import Bill, Comparison, DiffOp, Provision, SectionChange
from ..textdiff import Op, similarity, word_diff
from .align import CAPTION, Alignment, Unit, align, units

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Sequenced:
    """The sections of a comparison in reading order, for the redline: `moved_from` holds,
    for each moved section (by its index in Comparison.sections), the index of the section
    before which its old text stood."""

    sections: tuple[SectionChange, ...]
    moved_from: dict[int, int]
    units: tuple[tuple[Unit | None, Unit | None], ...]  # each section's old and new unit

    def old_text(self, k: int) -> str:
        unit = self.units[k][0]
        return unit.text if unit else ""


def compare_bills(old: Bill, new: Bill, corpus: str | Path | None = None) -> Comparison:
    """What changed from `old` to `new`: sections aligned and diffed, provisions compared."""
    return _compare(old, new, corpus)[0]


def sequence(
    old: Bill, new: Bill, corpus: str | Path | None = None
) -> tuple[Comparison, Sequenced]:
    """The comparison, and its sections in reading order with where moved text stood."""
    return _compare(old, new, corpus)


def _compare(old: Bill, new: Bill, corpus: str | Path | None) -> tuple[Comparison, Sequenced]:
    from .provisions import compare_provisions

    uo, un = units(old), units(new)
    al = align(uo, un)
    sections, moved_from, pairs = _sections(old, new, uo, un, al)
    po, pn = _provisions(old, new, uo, un, al, corpus)
    kept = total = 0
    for s in sections:
        if s.old is not None and s.old.section == CAPTION:
            continue
        same = sum(_words(op.text) for op in s.diff if op.op == "equal")
        kept += same
        total += s.inserted + s.deleted + 2 * same
    notes = []
    if not po and not pn:
        notes.append("neither version has a provision that preempts, voids, punishes or saves "
                     "local authority")  # fmt: skip
    comparison = Comparison(
        old=old,
        new=new,
        sections=tuple(sections),
        provisions=tuple(compare_provisions(po, pn, Context(uo, un, al))),
        tool_version=__version__,
        similarity=2 * kept / total if total else 1.0,
        notes=tuple(notes),
    )
    return comparison, Sequenced(tuple(sections), moved_from, tuple(pairs))


def _words(text: str) -> int:
    return sum(1 for w in _WORD.findall(text) if any(c.isalnum() for c in w))


# -- sections ---------------------------------------------------------------------------


def _sections(
    old: Bill, new: Bill, uo: list[Unit], un: list[Unit], al: Alignment
) -> tuple[list[SectionChange], dict[int, int], list[tuple[Unit | None, Unit | None]]]:
    """Section changes in reading order: removed and moved-away sections where they stood
    in the old version, the rest in the order of the new one."""
    moved_old = {i: j for i, j in al.moved}
    moved_new = {j: i for i, j in al.moved}
    removed, added = set(al.removed), set(al.added)
    anchors = [p for p in al.pairs if p not in al.moved]
    out: list[SectionChange] = []
    waiting: dict[int, int] = {}  # old index of a moved section -> where its old text stood
    moved_from: dict[int, int] = {}
    pairs: list[tuple[Unit | None, Unit | None]] = []
    where: dict[int, int] = {}  # old index of a moved section -> its entry in `out`
    oi = nj = 0
    for ai, aj in [*anchors, (len(uo), len(un))]:
        for i in range(oi, ai):
            if i in removed:
                pairs.append((uo[i], None))
                out.append(_removed(old, uo[i]))
            elif i in moved_old:
                waiting[i] = len(out)
        for j in range(nj, aj):
            if j in added:
                pairs.append((None, un[j]))
                out.append(_added(new, un[j]))
            elif j in moved_new:
                i = moved_new[j]
                where[i] = len(out)
                pairs.append((uo[i], un[j]))
                out.append(_pair(old, new, uo[i], un[j], moved=True))
        if ai < len(uo):
            pairs.append((uo[ai], un[aj]))
            out.append(_pair(old, new, uo[ai], un[aj], moved=False))
        oi, nj = ai + 1, aj + 1
    for i, before in waiting.items():
        moved_from[where[i]] = before
    return out, moved_from, pairs


def _removed(bill: Bill, u: Unit) -> SectionChange:
    return SectionChange(
        status="removed",
        old=u.place(bill),
        new=None,
        similarity=0.0,
        inserted=0,
        deleted=_words(u.text),
        diff=(DiffOp("delete", u.text, u.pinpoint(bill, 0)),),
    )


def _added(bill: Bill, u: Unit) -> SectionChange:
    return SectionChange(
        status="added",
        old=None,
        new=u.place(bill),
        similarity=0.0,
        inserted=_words(u.text),
        deleted=0,
        diff=(DiffOp("insert", u.text, u.pinpoint(bill, 0)),),
    )


def _pair(old: Bill, new: Bill, u: Unit, v: Unit, *, moved: bool) -> SectionChange:
    ops: list[Op] = [("equal", u.text)] if u.text == v.text else word_diff(u.text, v.text)
    diff: list[DiffOp] = []
    a = b = 0  # positions in the old and new texts
    for op, text in ops:
        if op == "insert":
            diff.append(DiffOp(op, text, v.pinpoint(new, b)))  # type: ignore[arg-type]
            b += len(text)
        else:
            diff.append(DiffOp(op, text, u.pinpoint(old, a)))  # type: ignore[arg-type]
            a += len(text)
            if op == "equal":
                b += len(text)
    inserted = sum(_words(t) for op, t in ops if op == "insert")
    deleted = sum(_words(t) for op, t in ops if op == "delete")
    if moved:
        status = "moved"
    elif (inserted or deleted) and u.body != v.body:  # a new number alone is a renumbering
        status = "changed"
    else:
        status = "unchanged"
    return SectionChange(
        status=status,  # type: ignore[arg-type]
        old=u.place(old),
        new=v.place(new),
        similarity=similarity(ops),
        inserted=inserted,
        deleted=deleted,
        diff=tuple(diff),
        renumbered=u.label != v.label and u.label != CAPTION,
    )


# -- provisions -------------------------------------------------------------------------


def _provisions(
    old: Bill,
    new: Bill,
    uo: list[Unit],
    un: list[Unit],
    al: Alignment,
    corpus: str | Path | None,
) -> tuple[list[Provision], list[Provision]]:
    """Both versions' provisions. A section printed word for word the same in both is read
    once: its provisions in the new version are the old ones at their new places."""
    from ..analyze import find_provisions, relocate

    # Changes are stated for the provisions a named pattern classified; review items (the
    # structural reading's net) are listed by analyze, not compared.
    po = [p for p in find_provisions(old, corpus) if p.confidence == "high"]
    same: list[tuple[Unit, Unit, list[int], list[int]]] = []
    if old.meta.title == new.meta.title:  # a provision may take its subjects from the title
        for i, j in al.pairs:
            wo, wn = _printed(old, uo[i]), _printed(new, un[j])
            if [w for _, w in wo] == [w for _, w in wn]:
                same.append((uo[i], un[j], [o for o, _ in wo], [o for o, _ in wn]))
    reused = [(v.start, v.end) for _, v, _, _ in same]
    rest = _complement(reused, len(new.text))
    found = [p for p in find_provisions(new, corpus, within=rest) if p.confidence == "high"]
    starts = [u.start for u, _, _, _ in same]
    moved: list[Provision] = []
    for p in po:
        k = bisect.bisect_right(starts, p.offsets[0]) - 1
        if k < 0:
            continue
        u, _, oo, on = same[k]
        if not (u.start <= p.offsets[0] < u.end):
            continue
        first = bisect.bisect_left(oo, p.offsets[0])
        last = bisect.bisect_left(oo, p.offsets[1]) - 1
        if first >= len(on) or last < first:
            continue
        word = _WORD.match(new.text, on[last])
        end = word.end() if word else on[last]
        moved.append(relocate(p, new, on[first], end, p.id))
    pn = sorted([*found, *moved], key=lambda p: p.offsets[0])
    from dataclasses import replace

    return po, [replace(p, id=f"P{n}") for n, p in enumerate(pn, 1)]


class Context:
    """What the provision comparison needs to know of the text around a provision: the
    list a lead-in introduces, and the sentences of the section it sits in, as the other
    version prints them."""

    _SENTENCE = re.compile(r"(?<=[.;:])\s+(?=\S)|\n")
    _ITEM = re.compile(r"\(?(?:\d{1,3}|[a-zA-Z]{1,4})\)\s")

    def __init__(
        self,
        uo: list[Unit],
        un: list[Unit],
        al: Alignment,
    ) -> None:
        self.units = (uo, un)
        self.partner = ({i: j for i, j in al.pairs}, {j: i for i, j in al.pairs})
        self.starts = ([u.start for u in uo], [u.start for u in un])

    def _unit(self, offset: int, side: int) -> int | None:
        k = bisect.bisect_right(self.starts[side], offset) - 1
        if k >= 0 and self.units[side][k].start <= offset < self.units[side][k].end:
            return k
        return None

    def _pos(self, unit: Unit, offset: int) -> int:
        i = bisect.bisect_left(unit.offsets, offset)
        return unit.starts[i] if i < len(unit.starts) else len(unit.text)

    def tail(self, p: Provision, old: bool) -> str:
        """The list a lead-in ending in a colon introduces: the rest of its paragraph and
        the paragraphs after it that open with an item label ("(1)", "(a)"), as enacted."""
        side = 0 if old else 1
        k = self._unit(p.offsets[0], side)
        if k is None:
            return ""
        unit = self.units[side][k]
        rest = unit.text[self._pos(unit, p.offsets[1]) :].split("\n")
        items = [rest[0]]
        for paragraph in rest[1:]:
            if not self._ITEM.match(paragraph):
                break
            items.append(paragraph)
        return "\n".join(items).strip()

    def printed_elsewhere(self, p: Provision, old: bool) -> bool | None:
        """Does the other version print the section this provision sits in? None when the
        provision's section is not known."""
        side = 0 if old else 1
        k = self._unit(p.offsets[0], side)
        return None if k is None else k in self.partner[side]

    def nearest_sentence(self, text: str, p: Provision, old: bool) -> tuple[str, float] | None:
        """The sentence of the other version's counterpart section most like `text`."""
        from ..textdiff import similarity, word_diff, word_tokens

        side = 0 if old else 1
        k = self._unit(p.offsets[0], side)
        if k is None or k not in self.partner[side]:
            return None
        other = self.units[1 - side][self.partner[side][k]]
        sentences = [s for s in self._SENTENCE.split(other.text) if len(s) >= 20]
        # The words two texts share bound their similarity from above: sentences are
        # diffed best bound first, until no bound can beat the best score (the first of
        # equals wins, as in the order of the section).
        mine = Counter(word_tokens(text))
        bounds = []
        for i, sentence in enumerate(sentences):
            theirs = Counter(word_tokens(sentence))
            total = sum(mine.values()) + sum(theirs.values())
            shared = sum((mine & theirs).values())
            bounds.append((2 * shared / total if total else 1.0, i))
        best: tuple[float, int] | None = None
        for bound, i in sorted(bounds, key=lambda b: (-b[0], b[1])):
            if best is not None and bound < best[0]:
                break
            score = similarity(word_diff(text, sentences[i]))
            if best is None or score > best[0] or (score == best[0] and i < best[1]):
                best = (score, i)
        return None if best is None else (sentences[best[1]], best[0])


def _printed(bill: Bill, u: Unit) -> list[tuple[int, str]]:
    """Every printed word of a unit, struck ones too, with its offset."""
    return [(u.start + m.start(), m.group()) for m in _WORD.finditer(bill.text[u.start : u.end])]


def _complement(ranges: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    at = 0
    for lo, hi in sorted(ranges):
        if lo > at:
            out.append((at, lo))
        at = max(at, hi)
    if at < size:
        out.append((at, size))
    return out
