"""What changed in each preemption provision between two versions of a bill.

Provisions are paired by their words (the same sentence, perhaps reworded, perhaps moved
to another section); each pair is then read for the changes a lawyer reads first: kind
changed, scope broadened or narrowed (subjects, targets, a savings clause), penalties added
or removed, effect changed, or reworded with the same meaning.

Which way a change cuts is said from the side of local governments: a broader preemption,
or a narrower savings clause, "broadens"; a struck savings clause broadens; a new savings
clause narrows.

A provision the version strikes (struck or bracketed text) is not law under that version.
So a provision one version prints as new law and the other strikes is removed; and one
version striking existing law that the other does not touch is a repeal added or dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..models import (
    KIND_LABELS,
    MECHANISM_LABELS,
    PREEMPTIVE,
    SUBJECT_LABELS,
    TARGET_LABELS,
    Change,
    Provision,
    ProvisionChange,
    RedlineSpan,
    pinpoint_range,
)
from ..textdiff import similarity, word_diff

if TYPE_CHECKING:
    from .sections import Context

SAME = 0.5  # words in common, in order, for two provisions to be one provision
# How far each kind reaches, for saying whether a change of kind broadens or narrows.
_REACH = {"field": 4, "express": 3, "nullification": 3, "conflict": 2, "punitive": 1, "savings": 0}
# A ban on any local law reaches further than a ceiling on it, which reaches further than
# a floor.
_EFFECT_REACH = {"prohibition": 3, "ceiling": 2, "floor": 1}
_WORD = re.compile(r"\w+")


def compare_provisions(
    po: Sequence[Provision], pn: Sequence[Provision], ctx: Context
) -> list[ProvisionChange]:
    """Every provision of either version, paired, with what changed; in the order of the
    new version, provisions only the old one has where they stood."""
    pairs = _pair(po, pn)
    by_new = {j: i for i, j in pairs}
    by_old = {i: j for i, j in pairs}
    out: list[ProvisionChange] = []
    i_next = 0
    for j, q in enumerate(pn):
        if j in by_new:
            # old provisions with no partner before this one's partner
            for i in range(i_next, by_new[j]):
                if i not in by_old:
                    out.append(_gone(po[i], ctx))
            i_next = max(i_next, by_new[j] + 1)
            out.append(_changed(po[by_new[j]], q, ctx))
        else:
            out.append(_new(q, ctx))
    for i in range(i_next, len(po)):
        if i not in by_old:
            out.append(_gone(po[i], ctx))
    return out


def _pair(po: Sequence[Provision], pn: Sequence[Provision]) -> list[tuple[int, int]]:
    """Pairs (old index, new index): same text first, then the most alike above SAME."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    by_text: dict[str, list[int]] = {}
    for j, q in enumerate(pn):
        by_text.setdefault(_norm(q.text), []).append(j)
    for i, p in enumerate(po):
        free = [j for j in by_text.get(_norm(p.text), []) if j not in taken]
        if free:
            # a bill may print a section twice, struck and re-enacted: the copy with the
            # same standing (struck or not) first, then the nearest
            best = min(
                free,
                key=lambda j: (
                    _in_force(pn[j]) != _in_force(p),
                    abs(pn[j].offsets[0] - p.offsets[0]),
                ),
            )
            pairs[i] = best
            taken.add(best)
    bags_o = {i: Counter(_WORD.findall(p.text.lower())) for i, p in enumerate(po) if i not in pairs}
    bags_n = {j: Counter(_WORD.findall(q.text.lower())) for j, q in enumerate(pn) if j not in taken}
    scored: list[tuple[float, int, int]] = []
    for i, a in bags_o.items():
        for j, b in bags_n.items():
            total = sum(a.values()) + sum(b.values())
            common = sum((a & b).values())
            if total and 2 * common / total >= SAME:
                scored.append((similarity(word_diff(po[i].text, pn[j].text)), i, j))
    for score, i, j in sorted(scored, reverse=True):
        if score >= SAME and i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    # A provision rewritten at the same subsection ("(a)" of the same section) is the same
    # provision, however much it was rewritten (an express bar redrafted as a field clause).
    by_cite: dict[str, list[int]] = {}
    for j, q in enumerate(pn):
        if j not in taken and q.section:
            by_cite.setdefault(q.section, []).append(j)
    for i, p in enumerate(po):
        free = [j for j in by_cite.get(p.section, []) if j not in taken] if i not in pairs else []
        if len(free) == 1 and _in_force(pn[free[0]]) == _in_force(p):
            pairs[i] = free[0]
            taken.add(free[0])
    return sorted(pairs.items())


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _in_force(p: Provision) -> bool:
    return p.markup != "deleted"


def _kind(p: Provision) -> str:
    subjects = ", ".join(SUBJECT_LABELS.get(s, s) for s in p.subjects)
    label = KIND_LABELS[p.kind]
    if p.kind == "punitive" and p.punitive:
        return f"{label} ({_list(MECHANISM_LABELS.get(m, m) for m in p.punitive)})"
    return f"{label} of {subjects}" if subjects and p.kind != "savings" else label


def _at(p: Provision) -> str:
    return f"{p.section or 'the bill'} at {pinpoint_range(p.start, p.end)}"


def describe(p: Provision) -> str:
    """A provision in a line: what it is, where, and its words (cut at 160 characters)."""
    kind = _kind(p)
    return f"{kind[:1].upper()}{kind[1:]}: {_at(p)}: \u201c{_short(p.text)}\u201d"


def _both(p: Provision, q: Provision) -> str:
    if p.section == q.section:
        return (
            f"{q.section or 'the bill'} (was at {pinpoint_range(p.start, p.end)}, "
            f"now at {pinpoint_range(q.start, q.end)})"
        )
    return f"{q.section} at {pinpoint_range(q.start, q.end)} (was {_at(p)})"


def _list(items: Iterable[str]) -> str:
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _new(q: Provision, ctx: Context) -> ProvisionChange:
    """A provision only the new version prints."""
    diff = tuple(RedlineSpan(r.text, "inserted") for r in q.redline if r.mark != "deleted")
    if not _in_force(q):
        # The new version strikes existing law the old one did not touch: a repeal.
        change = _leaves_law(q, f"the new version repeals it (struck at {_at(q)})")
    elif q.markup == "unchanged" and ctx.printed_elsewhere(q, old=False) is False:
        change = Change("now_printed", "provision", f"Now printed: {_kind(q)} at {_at(q)} "
                        "is existing law the new version reprints without change; the old "
                        "version did not print that section. The law is the same.")  # fmt: skip
    else:
        near = ctx.nearest_sentence(q.text, q, old=False)
        if near and near[1] >= SAME:
            # the old version had the sentence, but the tool did not read it as preemption
            change = _enters_law(q, f"{_at(q)} now reads as one; it was \u201c{_short(near[0])}"
                                    "\u201d")  # fmt: skip
            diff = _spans(word_diff(near[0], q.text))
        else:
            change = _enters_law(q, f"new in this version at {_at(q)}")
    return ProvisionChange("added", None, q, 0.0, (change,), change.summary, diff)


def _gone(p: Provision, ctx: Context) -> ProvisionChange:
    """A provision only the old version prints."""
    diff = tuple(RedlineSpan(r.text, "deleted") for r in p.redline if r.mark != "deleted")
    if not _in_force(p):
        change = _enters_law(
            p,
            f"the old version repealed it (struck at {_at(p)}); the new version no longer "
            "prints it, so does not repeal it there (check whether it is repealed elsewhere)",
        )
    elif p.markup == "unchanged" and ctx.printed_elsewhere(p, old=True) is False:
        change = Change("not_printed", "provision", f"No longer printed: {_kind(p)} at {_at(p)} "
                        "is existing law the old version reprinted without change; the new "
                        "version does not amend that section, so it stays in force unless "
                        "repealed elsewhere.")  # fmt: skip
    else:
        near = ctx.nearest_sentence(p.text, p, old=True)
        if near and near[1] >= SAME:
            # the sentence is still there, reworded so that it no longer preempts
            change = _leaves_law(p, f"the new version rewords {_at(p)} so that it no longer "
                                    f"reads as one: \u201c{_short(near[0])}\u201d")  # fmt: skip
            diff = _spans(word_diff(p.text, near[0]))
        else:
            change = _leaves_law(p, f"gone from this version (was {_at(p)})")
    return ProvisionChange("removed", p, None, 0.0, (change,), change.summary, diff)


def _spans(ops: Sequence[tuple[str, str]]) -> tuple[RedlineSpan, ...]:
    marks = {"equal": "unchanged", "delete": "deleted", "insert": "inserted"}
    return tuple(RedlineSpan(t, marks[op]) for op, t in ops)  # type: ignore[arg-type]


def _enters_law(p: Provision, how: str) -> Change:
    if p.kind == "savings":
        return Change(
            "narrowed",
            "savings",
            f"Savings clause added: {how}. It narrows the preemption: \u201c{_short(p.text)}\u201d",
            (),
            (p.id,),
        )
    if p.kind == "punitive":
        names = tuple(p.punitive)
        return Change(
            "penalty_added",
            "penalties",
            f"Penalty added: "
            f"{_list(MECHANISM_LABELS.get(m, m) for m in names) or 'a penalty'}; {how}.",
            (),
            names,
        )
    return Change("added", "provision", f"Added: {_kind(p)}; {how}.", (), (p.kind,))


def _leaves_law(p: Provision, how: str) -> Change:
    if p.kind == "savings":
        return Change(
            "broadened",
            "savings",
            f"Savings clause struck: {how}. Without it the "
            f"preemption reaches further: \u201c{_short(p.text)}\u201d",
            (p.id,),
            (),
        )
    if p.kind == "punitive":
        names = tuple(p.punitive)
        return Change(
            "penalty_removed",
            "penalties",
            f"Penalty removed: "
            f"{_list(MECHANISM_LABELS.get(m, m) for m in names) or 'a penalty'}; {how}.",
            names,
            (),
        )
    return Change("removed", "provision", f"Removed: {_kind(p)}; {how}.", (p.kind,), ())


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + " \u2026"


def _changed(p: Provision, q: Provision, ctx: Context) -> ProvisionChange:
    # A lead-in ("no political subdivision shall ... that:") means nothing without its list:
    # the list is compared with it.
    lead_in = p.text.endswith(":") or q.text.endswith(":")
    ta = ctx.tail(p, old=True) if lead_in else ""
    tb = ctx.tail(q, old=False) if lead_in else ""
    a, b = f"{p.text} {ta}".strip(), f"{q.text} {tb}".strip()
    ops = word_diff(a, b) if a != b else [("equal", a)]
    sim = similarity(ops)
    diff = _spans(ops)
    where = _both(p, q)
    if _in_force(p) and not _in_force(q):
        change = _leaves_law(p, f"the new version strikes it at {_at(q)}")
        return ProvisionChange("changed", p, q, sim, (change,), change.summary, diff)
    if not _in_force(p) and _in_force(q):
        change = _enters_law(q, f"the old version struck it; the new version keeps it at {_at(q)}")
        return ProvisionChange("changed", p, q, sim, (change,), change.summary, diff)
    if not _in_force(p):
        # struck in both: the same repeal
        return ProvisionChange(
            "unchanged", p, q, sim, (), f"Struck in both versions: {where}.", diff
        )
    changes = _differences(p, q, where)
    if ta != tb:
        changes += _list_change(p, q, ta, tb, where)
    if not changes and a != b:
        if any(op != "equal" and _WORD.search(t) for op, t in ops):
            how = f"{sim:.0%} of the words kept"
        else:
            how = "punctuation only"
        changes = [
            Change("reworded", "text", f"Reworded: {where} ({how}). The tool reads the same "
                   "kind, subjects, local governments, penalties and effect; read the redline "
                   "for changes it does not classify (amounts, exceptions, definitions).")
        ]  # fmt: skip
    if not changes:
        return ProvisionChange("unchanged", p, q, 1.0, (), f"Unchanged: {where}.", diff)
    return ProvisionChange("changed", p, q, sim, tuple(changes), _headline(changes, where), diff)


_ITEM = re.compile(r"(?:^|\s)\((?:\d{1,3}|[a-z]{1,3}|[A-Z])\)\s")


def _list_change(p: Provision, q: Provision, ta: str, tb: str, where: str) -> list[Change]:
    """The list after a lead-in grew, shrank or was reworded. More items in the list of a
    bar reach more; in the list of a savings clause, they save more."""
    na, nb = len(_ITEM.findall(ta)), len(_ITEM.findall(tb))
    if na == nb:
        return [Change("reworded", "list", f"Reworded: the list it introduces was reworded: "
                       f"{where}; read the redline.")]  # fmt: skip
    wider = (nb > na) != (q.kind == "savings")
    kind = "broadened" if wider else "narrowed"
    what = f"the list it introduces now has {nb} items (was {na})"
    return [Change(kind, "list", f"{kind.capitalize()}: {what}: {where}.", (str(na),), (str(nb),),
                   phrase=what)]  # fmt: skip


_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|thousand|million|and"
)
# Amounts and grades of penalties: "$5,000", "one thousand dollars", "class A misdemeanor".
_AMOUNT = re.compile(
    r"\$\s?[\d,]+(?:\.\d+)?|\b(?:(?:" + _NUMBER_WORDS + r")[ -])+dollars\b|"
    r"\bclass [A-E] (?:misdemeanor|felony)\b|\b\d+ (?:days?|years?)\b",
    re.I,
)


def _amounts(text: str) -> list[str]:
    return [" ".join(m.group().lower().split()) for m in _AMOUNT.finditer(text)]


def scope_changes(changes: Sequence[Change]) -> list[Change]:
    """The changes in a provision's reach (kind, subjects, local governments): broadened or
    narrowed, a savings clause aside (it is said as "Savings clause added" or "struck")."""
    return [c for c in changes if c.type in ("broadened", "narrowed") and c.aspect != "savings"]


def scope_verdict(changes: Sequence[Change]) -> str:
    """One verdict on a provision's reach: "Broadened", "Narrowed", "Scope changed" (the same
    aspects both ways: a subject taken in, another let go) or "Mixed"; "" when unchanged."""
    scope = scope_changes(changes)
    wide = {c.aspect for c in scope if c.type == "broadened"}
    narrow = {c.aspect for c in scope if c.type == "narrowed"}
    if wide and narrow:
        return "Scope changed" if wide == narrow else "Mixed"
    return "Broadened" if wide else "Narrowed" if narrow else ""


def _headline(changes: list[Change], where: str = "") -> str:
    """The changes in a sentence each; a provision that widens in one aspect and narrows in
    another gets one verdict, "Mixed: now also reaches X; no longer reaches Y: where.",
    not "Broadened: ... Narrowed: ..."."""
    scope = scope_changes(changes)
    verdict = scope_verdict(changes)
    if where and verdict in ("Scope changed", "Mixed") and all(c.phrase for c in scope):
        merged = f"{verdict}: {'; '.join(c.phrase for c in scope)}: {where}."
        rest = [c.summary for c in changes if c not in scope]
        return " ".join([merged, *rest])
    return " ".join(c.summary for c in changes)


def _scope(
    kind: str, aspect: str, phrase: str, where: str, before: tuple[str, ...],
    after: tuple[str, ...], tail: str = "",
) -> Change:  # fmt: skip
    """A broadening or narrowing: "Broadened: now also reaches wages: where." with its
    clause kept apart for _headline."""
    summary = f"{kind.capitalize()}: {phrase}{tail}: {where}."
    return Change(kind, aspect, summary, before, after, phrase=phrase)


def _differences(p: Provision, q: Provision, where: str) -> list[Change]:
    out: list[Change] = []
    savings = p.kind == "savings" and q.kind == "savings"
    if p.kind != q.kind:
        reach = _REACH[q.kind] - _REACH[p.kind]
        how = "broader" if reach > 0 else "narrower" if reach < 0 else "same reach, other means"
        out.append(
            Change(
                "kind_changed",
                "kind",
                f"Kind changed from {KIND_LABELS[p.kind]} to {KIND_LABELS[q.kind]} "
                f"({how}): {where}.",
                (p.kind,),
                (q.kind,),
            )
        )
    else:
        gained = [k for k in q.kinds if k not in p.kinds and k in PREEMPTIVE]
        lost = [k for k in p.kinds if k not in q.kinds and k in PREEMPTIVE]
        if gained:
            words = _list(KIND_LABELS[k] for k in gained)
            out.append(_scope("broadened", "kind", f"now also {words}", where, (), tuple(gained)))
        if lost:
            words = _list(KIND_LABELS[k] for k in lost)
            out.append(_scope("narrowed", "kind", f"no longer {words}", where, tuple(lost), ()))
    for aspect, labels, noun in (
        ("subjects", SUBJECT_LABELS, "reaches"),
        ("targets", TARGET_LABELS, "binds"),
    ):
        a, b = getattr(p, aspect), getattr(q, aspect)
        more = tuple(x for x in b if x not in a)
        less = tuple(x for x in a if x not in b)
        if not more and not less:
            continue
        words_more = _list(labels.get(x, x) for x in more)
        words_less = _list(labels.get(x, x) for x in less)
        if savings:
            # a savings clause that reaches more narrows the preemption, and the reverse
            verb = "saves" if aspect == "subjects" else "protects"
            if more:
                out.append(_scope("narrowed", aspect, f"the savings clause now also {verb} "
                                  f"{words_more}", where, a, b))  # fmt: skip
            if less:
                out.append(_scope("broadened", aspect, f"the savings clause no longer {verb} "
                                  f"{words_less}", where, a, b))  # fmt: skip
            continue
        if more:
            # a subject taken in and another let go are two changes, one each way
            out.append(_scope("broadened", aspect, f"now also {noun} {words_more}", where, a, b))
        if less:
            now = _list(labels.get(x, x) for x in b)
            # Alone, it says what is left; beside a broadening, that says what came in.
            tail = f"; now {'only ' if not more else ''}{now}" if now else ""
            out.append(
                _scope("narrowed", aspect, f"no longer {noun} {words_less}", where, a, b, tail)
            )
    more = tuple(m for m in q.punitive if m not in p.punitive)
    less = tuple(m for m in p.punitive if m not in q.punitive)
    if more:
        out.append(
            Change(
                "penalty_added",
                "penalties",
                f"Penalty added: {_list(MECHANISM_LABELS.get(m, m) for m in more)}: {where}.",
                p.punitive,
                q.punitive,
            )
        )
    if less:
        out.append(
            Change(
                "penalty_removed",
                "penalties",
                f"Penalty removed: {_list(MECHANISM_LABELS.get(m, m) for m in less)}: {where}.",
                p.punitive,
                q.punitive,
            )
        )
    if p.effect != q.effect and p.kind == q.kind:
        reach = _EFFECT_REACH.get(q.effect or "", 0) - _EFFECT_REACH.get(p.effect or "", 0)
        if savings:
            reach = -reach
        how = "broader" if reach > 0 else "narrower" if reach < 0 else "same reach"
        out.append(Change("effect_changed", "effect", f"Effect changed from "
                          f"{p.effect or 'none'} to {q.effect or 'none'} ({how}): {where}.",
                          (p.effect or "",), (q.effect or "",)))  # fmt: skip
    if p.kind == "punitive" or q.kind == "punitive" or p.punitive or q.punitive:
        xa, xb = _amounts(p.text), _amounts(q.text)
        if xa != xb:
            out.append(Change("penalty_changed", "penalties", f"Penalty changed: "
                              f"{_list(xa) or 'no amount'} became {_list(xb) or 'no amount'}: "
                              f"{where}.", tuple(xa), tuple(xb)))  # fmt: skip
    return out
