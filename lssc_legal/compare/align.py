"""Cut two versions of a bill into sections and pair them up.

A unit is the text from one bill or code section heading to the next ("SECTION 2",
"SECTION 2, Sec. 250.001", "Section A, § 21.750"); the text before the first is the caption.
Each unit is read as it would be enacted (struck text left out), one space between words
and one line break where a subsection starts, so that two layouts of the same bill (a House
PDF in Times, its Senate companion in Courier) read the same.

Pairing, in four passes: units with the same label (code section first, else bill section)
and the same text; units whose text is the same apart from their heading number; units with
the same label whose words mostly agree; then the rest by similarity of their words, for
renumbered, moved and rewritten sections. Pairs that keep their
order are in place; the others moved (the run of pairs in order holding the most words
stays put).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from ..models import Bill, Pinpoint, Place

_WORD = re.compile(r"\S+")
_LINE_HYPHEN = re.compile(r"[a-z]-$")
_LABEL_WORDS = re.compile(r"^(?:section|sec\.?|§+)\s*", re.I)
_CLOSING = frozenset(",.;:)]")
_RULE = re.compile(r"^_{3,}[.,;:]?$")
MATCH = 0.5  # words in common (Dice) for two units to be the same section
CAPTION = "Caption"


@dataclass
class Unit:
    label: str  # as a lawyer cites it: "SECTION 2, Sec. 250.001"
    keys: tuple[str, str]  # (code section, bill section), normalized; "" when none
    start: int  # into Bill.text
    end: int
    text: str  # as enacted: words joined by one space, subsections by "\n"
    starts: list[int] = field(default_factory=list)  # text position of each word
    offsets: list[int] = field(default_factory=list)  # Bill.text offset of each word
    ends: list[int] = field(default_factory=list)  # Bill.text offset after each word
    stops: list[int] = field(default_factory=list)  # text position after each word
    _bag: Counter[str] | None = None

    @property
    def words(self) -> int:
        return len(self.starts)

    @property
    def body(self) -> str:
        """The text after the unit's own heading number, for telling renumbered sections."""
        head = self.text.split(" ", 2)
        if len(head) == 3 and _LABEL_WORDS.match(head[0] + " "):
            return head[2]
        return self.text.split(" ", 1)[-1] if self.text else ""

    def bag(self) -> Counter[str]:
        if self._bag is None:
            self._bag = Counter(w.lower() for w in _WORD.findall(self.text))
        return self._bag

    def offset_at(self, pos: int, *, end: bool = False) -> int:
        """Bill.text offset of the word at text position `pos` (the next word when `pos`
        falls between words), or with `end`, of the last character of the word before."""
        if not self.starts:
            return self.start
        if end:
            i = max(bisect.bisect_left(self.starts, pos) - 1, 0)
            return max(self.ends[i] - 1, self.offsets[i])
        i = max(bisect.bisect_right(self.starts, pos) - 1, 0)
        if pos >= self.stops[i] and i + 1 < len(self.starts):
            i += 1
        return self.offsets[i]

    def place(self, bill: Bill, lo: int = 0, hi: int | None = None) -> Place:
        """Cite and pinpoints of text positions lo..hi (default: the whole unit)."""
        hi = len(self.text) if hi is None else hi
        a = self.offset_at(lo)
        b = self.offset_at(hi, end=True)
        return Place(self.label, bill.pinpoint(a), bill.pinpoint(max(a, b)))

    def pinpoint(self, bill: Bill, pos: int) -> Pinpoint:
        return bill.pinpoint(self.offset_at(pos))


def units(bill: Bill) -> list[Unit]:
    """The bill's caption, then each bill and code section, as it would be enacted. A
    section the version strikes whole has no words and is left out."""
    heads = sorted({s.start for s in bill.sections if s.level != "subsection"})
    breaks = {s.start for s in bill.sections if s.level == "subsection"}
    bounds = [0, *[h for h in heads if h > 0], len(bill.text)]
    out: list[Unit] = []
    for lo, hi in itertools.pairwise(bounds):
        if hi <= lo:
            continue
        label = bill.cite(lo) if lo in heads else CAPTION
        unit = _unit(bill, lo, hi, label, breaks)
        if unit.words:
            out.append(unit)
    return out


def _unit(bill: Bill, lo: int, hi: int, label: str, breaks: set[int]) -> Unit:
    code = bill_sec = ""
    if label != CAPTION:
        for s in bill.sections_at(lo):
            if s.level == "code_section":
                code = _key(s.label)
            elif s.level == "bill_section":
                bill_sec = _key(s.label)
    else:
        bill_sec = "caption"
    unit = Unit(label, (code, bill_sec), lo, hi, "")
    parts: list[str] = []
    size = 0
    cuts = sorted(b for b in breaks if lo < b < hi)
    pending_join = False  # the last word ended in a line-end hyphen: join the next one
    for span in bill.spans_in(lo, hi):
        if span.mark == "deleted":
            continue
        chunk = bill.text[span.start : span.end]
        for m in _WORD.finditer(chunk):
            word, at = m.group(), span.start + m.start()
            if _RULE.match(word):
                continue  # a signature or blank line ("______"), drawn to the page width
            gap_start = unit.ends[-1] if unit.ends else lo
            if pending_join and word[0].islower() and "\n" in bill.text[gap_start:at]:
                # "multiple-" / "plaintiff" on the next printed line is one word: line breaks
                # fall in different places in two layouts of one text. The hyphen stays (a
                # compound, as Missouri breaks them) unless the bill prints the word whole
                # elsewhere ("munici-" / "pality").
                whole = parts[-1][:-1] + word
                if _prints(bill, whole.lower()) and not _prints(bill, (parts[-1] + word).lower()):
                    parts[-1] = whole
                    size += len(word) - 1
                else:
                    parts[-1] += word
                    size += len(word)
                unit.ends[-1] = at + len(word)
                unit.stops[-1] = size
                pending_join = bool(_LINE_HYPHEN.search(parts[-1]))
                continue
            if parts:
                k = bisect.bisect_right(cuts, gap_start)
                if k < len(cuts) and cuts[k] <= at:
                    parts.append("\n")
                    size += 1
                elif word[0] not in _CLOSING:  # "employees [struck words]." reads "employees."
                    parts.append(" ")
                    size += 1
            unit.starts.append(size)
            unit.offsets.append(at)
            unit.ends.append(at + len(word))
            parts.append(word)
            size += len(word)
            unit.stops.append(size)
            pending_join = bool(_LINE_HYPHEN.search(word))
    unit.text = "".join(parts)
    return unit


_VOCABULARY: dict[str, frozenset[str]] = {}


def _prints(bill: Bill, word: str) -> bool:
    """Does the bill print this word whole somewhere (on one line)?"""
    words = _VOCABULARY.get(bill.sha256)
    if words is None:
        words = frozenset(w.strip(".,;:()[]\"'").lower() for w in bill.text.split())
        _VOCABULARY.clear()  # one bill at a time is enough: a comparison reads two in turn
        _VOCABULARY[bill.sha256] = words
    return word.strip(".,;:()[]\"'") in words


def _key(label: str) -> str:
    return re.sub(r"\s+", "", _LABEL_WORDS.sub("", label.strip())).rstrip(".").lower()


def dice(a: Unit, b: Unit) -> float:
    """Words in common, as a share of both (order ignored): a quick first test."""
    ba, bb = a.bag(), b.bag()
    total = sum(ba.values()) + sum(bb.values())
    if not total:
        return 1.0
    small, large = (ba, bb) if len(ba) <= len(bb) else (bb, ba)
    common = sum(min(n, large[w]) for w, n in small.items() if w in large)
    return 2 * common / total


def contained(a: Unit, b: Unit) -> float:
    """Share of the shorter text's words found in the longer."""
    ba, bb = a.bag(), b.bag()
    small, large = (ba, bb) if sum(ba.values()) <= sum(bb.values()) else (bb, ba)
    size = sum(small.values())
    return sum(min(n, large[w]) for w, n in small.items()) / size if size else 1.0


@dataclass
class Alignment:
    pairs: list[tuple[int, int]]  # (old unit, new unit), in old order
    moved: set[tuple[int, int]]
    removed: list[int]
    added: list[int]


def align(old: list[Unit], new: list[Unit]) -> Alignment:
    pairs: dict[int, int] = {}
    taken: set[int] = set()

    def pair(i: int, j: int) -> None:
        pairs[i] = j
        taken.add(j)

    # 1. Same label, same text: the same section, unchanged (perhaps moved).
    by_text: dict[tuple[tuple[str, str], str], list[int]] = {}
    for j, u in enumerate(new):
        by_text.setdefault((_label_key(u), u.text), []).append(j)
    for i, u in enumerate(old):
        free = [j for j in by_text.get((_label_key(u), u.text), []) if j not in taken]
        if free:
            pair(i, free[0])
    # 2. Same text after the heading number: renumbered, perhaps moved. Of several, the
    # one nearest its old place in the bill.
    by_body: dict[str, list[int]] = {}
    for j, u in enumerate(new):
        if j not in taken and u.body:
            by_body.setdefault(u.body, []).append(j)
    for i, u in enumerate(old):
        free = [j for j in by_body.get(u.body, []) if j not in taken] if i not in pairs else []
        if free:
            here = i / len(old)
            pair(i, min(free, key=lambda j: abs(j / len(new) - here)))
    # 3. Same label and mostly the same words.
    by_key: dict[tuple[str, str], list[int]] = {}
    for j, u in enumerate(new):
        by_key.setdefault(_label_key(u), []).append(j)
    for i, u in enumerate(old):
        if i in pairs:
            continue
        for j in by_key.get(_label_key(u), []):
            # the same label: enough that most words of the shorter text are in the longer
            # (a section rewritten at four times its length is still that section)
            if j not in taken and (dice(u, new[j]) >= MATCH or contained(u, new[j]) >= 0.6):
                pair(i, j)
                break
    # 4. The rest by similarity: renumbered, moved, or relabelled and rewritten.
    rest_old = [i for i in range(len(old)) if i not in pairs]
    rest_new = [j for j in range(len(new)) if j not in taken]
    scored = sorted(
        (
            (dice(old[i], new[j]), i, j)
            for i in rest_old
            for j in rest_new
            if _could_match(old[i], new[j])
        ),
        reverse=True,
    )
    for score, i, j in scored:
        if score < MATCH:
            break
        if i not in pairs and j not in taken:
            pair(i, j)
    ordered = sorted(pairs.items())
    keep = _heaviest_in_order([j for _, j in ordered], [old[i].words for i, _ in ordered])
    moved = {p for k, p in enumerate(ordered) if k not in keep}
    return Alignment(
        pairs=ordered,
        moved=moved,
        removed=[i for i in range(len(old)) if i not in pairs],
        added=[j for j in range(len(new)) if j not in taken],
    )


def _label_key(u: Unit) -> tuple[str, str]:
    code, sec = u.keys
    return (code, "") if code else ("", sec)


def _could_match(a: Unit, b: Unit) -> bool:
    """Two units can be one section only when their sizes are within a factor of three."""
    small, large = sorted((a.words, b.words))
    return large <= 3 * small + 10


def _heaviest_in_order(seq: list[int], weights: list[int]) -> set[int]:
    """Indexes of the increasing subsequence of `seq` with the most weight: the sections
    that stay in place are those holding the most words, so the fewest words move."""
    if len(seq) > 3000 or all(a < b for a, b in itertools.pairwise(seq)):
        return set(range(len(seq)))  # nothing moved (or too long to weigh: quadratic below)
    best = list(weights)
    back = [-1] * len(seq)
    for k in range(len(seq)):
        for m in range(k):
            if seq[m] < seq[k] and best[m] + weights[k] > best[k]:
                best[k], back[k] = best[m] + weights[k], m
    out: set[int] = set()
    k = max(range(len(seq)), key=best.__getitem__) if seq else -1
    while k >= 0:
        out.add(k)
        k = back[k]
    return out
