"""Weigh provisions against the home-rule principles of corpus/principles.

Each principle file holds provision tests (when one provision offends it) and bill tests
(when the bill as a whole does: whole codes taken, penalties stacked, no savings clause).
A finding carries the test that fired and a reason a lawyer would write, so the memo can say
why, and the lawyer can disagree with the data rather than with the code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..corpusdir import corpus_dir
from ..errors import CorpusError
from ..models import (
    MECHANISM_LABELS,
    PREEMPTIVE,
    PRINCIPLES,
    SEVERITIES,
    SUBJECT_LABELS,
    TARGET_LABELS,
    Bill,
    Finding,
    Provision,
    Section,
    join_words,
)

_WHEN_KEYS = frozenset({"kinds", "kind", "mechanisms", "subjects", "markup"})
_ADJUST = frozenset({"savings_in_section", "stated_interest", "retroactive"})
_REQUIRES = frozenset({"live_preemption_in_section"})
# Bill tests that, on the evidence of one provision, only restate that provision's finding.
_RESTATING = frozenset({"fiscal_punishment", "retroactive_nullification", "punitive_stacking"})
BILL_TESTS = (
    "blanket_codes",
    "retroactive_nullification",
    "no_savings_clause",
    "fiscal_punishment",
    "punitive_stacking",
)

# A bill that states why the state needs one rule: findings, a declared purpose, a state
# interest, uniformity. Its presence does not cure preemption; it moves the question to
# whether the interest is substantial and the provision tailored to it.
_INTEREST = re.compile(
    r"\b(?:legislature|general\s+assembly)\s+(?:hereby\s+)?(?:finds|declares|determines)"
    r"[^.;]{0,200}?\b(?:interest|statewide|uniform\w*|concern)\b"
    r"|\b(?:substantial|compelling|legitimate|important)\s+state\s+interest\b"
    r"|\bstatewide\s+interest\b"
    r"|\bmatter\s+of\s+(?:general,?\s+)?statewide\s+concern\b"
    r"|\b(?:need|interest)\s+(?:for|in)\s+(?:statewide\s+)?uniformity\b",
    re.I,
)
# A measure already in force: "all existing and future ordinances", "adopted before".
_RETROACTIVE = re.compile(
    r"\bexisting\b|\bheretofore\b|\b(?:adopted|enacted)\s+(?:before|prior\s+to)\b"
    r"|\bin\s+effect\s+on\b|\bwhether\s+(?:adopted|enacted)\s+before\b",
    re.I,
)
_CODE_NAME = re.compile(r"\b((?:[A-Z][a-z]+,?\s+(?:(?:&|and)\s+)?)+Code)\b")
_FAMILIES = {
    "official_fine": "officials",
    "official_removal": "officials",
    "official_criminal": "officials",
    "no_public_defense": "officials",
    "no_good_faith_defense": "officials",
    "private_action": "suits",
    "fee_shifting": "suits",
    "immunity_waived": "suits",
    "ag_enforcement": "suits",
    "injunction": "suits",
    "enforcement_suspended": "suits",
    "funding_withheld": "money",
    "entity_liability": "money",
}


@dataclass(frozen=True)
class Principle:
    id: str
    name: str
    statement: str
    source: str
    provision_tests: tuple[dict[str, Any], ...]
    bill_tests: tuple[dict[str, Any], ...]


@lru_cache(maxsize=8)
def load_principles(folder: str | None = None) -> tuple[Principle, ...]:
    """The principles of corpus/principles (or of `folder`), checked against the format."""
    root = Path(folder) if folder else corpus_dir() / "principles"
    found: list[Principle] = []
    for path in sorted(root.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found.append(_principle(data))
        except (ValueError, KeyError, TypeError) as exc:
            raise CorpusError(path, f"not a principle file ({exc})") from None
    if not found:
        raise CorpusError(root, "holds no principle files (P1.json ... P4.json)")
    return tuple(found)


def _principle(data: dict[str, Any]) -> Principle:
    if data["id"] not in PRINCIPLES:
        raise ValueError(f"id {data['id']!r} is not one of {', '.join(PRINCIPLES)}")
    for test in data.get("provision_tests", []):
        unknown = set(test["when"]) - _WHEN_KEYS
        if unknown:
            raise ValueError(f"test {test['id']}: unknown condition {sorted(unknown)}")
        if test["severity"] not in SEVERITIES:
            raise ValueError(f"test {test['id']}: severity {test['severity']!r}")
        for adj in test.get("lower_if", []) + test.get("raise_if", []):
            if adj not in _ADJUST:
                raise ValueError(f"test {test['id']}: unknown adjustment {adj!r}")
        for req in test.get("requires", []):
            if req not in _REQUIRES:
                raise ValueError(f"test {test['id']}: unknown requirement {req!r}")
        test["reason"].format_map(_Placeholders())
    for test in data.get("bill_tests", []):
        if test["test"] not in BILL_TESTS:
            raise ValueError(f"test {test['id']}: unknown bill test {test['test']!r}")
        if test["severity"] not in SEVERITIES:
            raise ValueError(f"test {test['id']}: severity {test['severity']!r}")
        test["reason"].format_map(_Placeholders())
    return Principle(
        id=data["id"],
        name=data["name"],
        statement=data["statement"],
        source=data.get("source", ""),
        provision_tests=tuple(data.get("provision_tests", [])),
        bill_tests=tuple(data.get("bill_tests", [])),
    )


class _Placeholders(dict[str, str]):
    """Checks a reason's placeholders: only the documented names are allowed."""

    NAMES = frozenset({"where", "subjects", "targets", "mechanisms", "tailoring", "evidence"})

    def __missing__(self, key: str) -> str:
        if key not in self.NAMES:
            raise ValueError(f"unknown placeholder {{{key}}}")
        return ""


def weigh(
    bill: Bill,
    provisions: Sequence[Provision],
    principles: Sequence[Principle],
    enclosing: Callable[[int], Section | None],
    pinpoint: Callable[[Provision], str],
    interest: tuple[int, str] | None,
) -> tuple[list[Finding], list[Provision]]:
    """Findings for each provision and for the bill; provisions with `principles` filled.
    `interest` is the bill's stated state interest (`stated_interest`), if any."""
    findings: list[Finding] = []
    for p in provisions:
        for principle in principles:
            for test in principle.provision_tests:
                if not _matches(test["when"], p) or not _required(
                    test.get("requires", []), p, provisions, enclosing
                ):
                    continue
                severity = _severity(test, p, provisions, interest, enclosing)
                reason = test["reason"].format(
                    where=f"{p.section or 'The provision'} ({pinpoint(p)})",
                    subjects=subjects_phrase(p.subjects),
                    targets=targets_phrase(p.targets),
                    mechanisms=", ".join(MECHANISM_LABELS.get(m, m) for m in p.punitive),
                    tailoring=_tailoring(p, provisions, interest, enclosing, pinpoint),
                    evidence="",
                )
                if p.markup == "unchanged" and bill.marked:
                    reason += " (existing law the bill leaves in place)"
                findings.append(
                    Finding(
                        principle=principle.id,
                        provisions=(p.id,),
                        severity=severity,
                        summary=f"{_capital(reason)}: contrary to {principle.id}.",
                        test=test["id"],
                    )
                )
    for principle in principles:
        for test in principle.bill_tests:
            evidence = _BILL_CHECKS[test["test"]](provisions, pinpoint)
            if evidence is None:
                continue
            ids, said = evidence
            if (
                test["test"] in _RESTATING
                and len(ids) == 1
                and any(
                    f.scope == "provision"
                    and f.principle == principle.id
                    and f.provisions == (ids[0],)
                    for f in findings
                )
            ):
                continue  # one provision, already weighed against this principle
            reason = test["reason"].format(
                evidence=said, where="", subjects="", targets="", mechanisms="", tailoring=""
            )
            findings.append(
                Finding(
                    principle=principle.id,
                    provisions=tuple(ids),
                    severity=test["severity"],
                    summary=f"{_capital(reason)}: contrary to {principle.id}.",
                    test=test["id"],
                    scope="bill",
                )
            )
    touched: dict[str, set[str]] = {}
    for f in findings:
        if f.scope == "provision":
            touched.setdefault(f.provisions[0], set()).add(f.principle)
    weighed = [
        replace(p, principles=tuple(x for x in PRINCIPLES if x in touched.get(p.id, set())))
        for p in provisions
    ]
    return findings, weighed


def _matches(when: dict[str, list[str]], p: Provision) -> bool:
    if p.markup == "deleted" and "deleted" not in when.get("markup", []):
        return False  # the bill strikes it: repealing preemption offends nothing
    checks: dict[str, set[str]] = {
        "kinds": set(p.kinds),
        "kind": {p.kind},
        "mechanisms": set(p.punitive),
        "subjects": set(p.subjects),
        "markup": {p.markup},
    }
    return all(checks[key] & set(values) for key, values in when.items())


def _required(
    requires: list[str],
    p: Provision,
    provisions: Sequence[Provision],
    enclosing: Callable[[int], Section | None],
) -> bool:
    """CASE live_preemption_in_section: a struck savings clause widens preemption only
    when the preemption it qualified stays; striking both repeals the preemption."""
    if "live_preemption_in_section" in requires:
        sec = enclosing(p.offsets[0])
        return any(
            set(q.kinds) & PREEMPTIVE and q.markup != "deleted" and enclosing(q.offsets[0]) == sec
            for q in provisions
        )
    return True


def _severity(
    test: dict[str, Any],
    p: Provision,
    provisions: Sequence[Provision],
    interest: tuple[int, str] | None,
    enclosing: Callable[[int], Section | None],
) -> str:
    step = SEVERITIES.index(test["severity"])
    lower = test.get("lower_if", [])
    if "savings_in_section" in lower and _savings_in_section(p, provisions, enclosing):
        step += 1
    if "stated_interest" in lower and interest is not None:
        step += 1
    if "retroactive" in test.get("raise_if", []) and _RETROACTIVE.search(p.text):
        step -= 1
    return SEVERITIES[max(0, min(step, len(SEVERITIES) - 1))]


def _savings_in_section(
    p: Provision, provisions: Sequence[Provision], enclosing: Callable[[int], Section | None]
) -> list[Provision]:
    sec = enclosing(p.offsets[0])
    if sec is None:
        return []
    # Asked for every provision: the savings clauses are found once per list of provisions
    # (a 2,000-page bill has thousands), then only they are compared with the section.
    cached = _SAVINGS_CACHE.get(id(provisions))
    if cached is None or cached[0] is not provisions:
        by_section: dict[Section | None, list[Provision]] = {}
        for q in provisions:
            if "savings" in q.kinds and q.markup != "deleted":
                by_section.setdefault(enclosing(q.offsets[0]), []).append(q)
        cached = (provisions, by_section)
        _SAVINGS_CACHE.clear()
        _SAVINGS_CACHE[id(provisions)] = cached
    return list(cached[1].get(sec, ()))


_SAVINGS_CACHE: dict[int, tuple[Sequence[Provision], dict[Section | None, list[Provision]]]] = {}


def held_conditions(
    p: Provision,
    provisions: Sequence[Provision],
    interest: tuple[int, str] | None,
    enclosing: Callable[[int], Section | None],
) -> set[str]:
    """What already answers P3 for this provision: a stated interest, a savings clause in
    its section (the `unless` conditions of the alternatives)."""
    held = {"stated_interest"} if interest else set()
    if _savings_in_section(p, provisions, enclosing):
        held.add("savings_in_section")
    return held


def _tailoring(
    p: Provision,
    provisions: Sequence[Provision],
    interest: tuple[int, str] | None,
    enclosing: Callable[[int], Section | None],
    pinpoint: Callable[[Provision], str],
) -> str:
    """What the bill says about why and how far: a stated interest, a savings clause."""
    saved = _savings_in_section(p, provisions, enclosing)
    savings = ", ".join(_ref(q, pinpoint) for q in saved)
    if interest is None and not saved:
        return " with no stated state interest and no savings clause"
    if interest is None:
        return f" with no stated state interest, though the savings clause {savings} narrows it"
    said = f'the bill states an interest ("{interest[1]}")'
    if not saved:
        return (
            f" with no savings clause; {said}, but whether it is substantial and the "
            "provision narrowly tailored to it needs review"
        )
    return f"; {said} and the savings clause {savings} narrows it, but the tailoring needs review"


def stated_interest(bill: Bill) -> tuple[int, str] | None:
    """The first place the bill (as it would read) states a state interest or findings."""
    for m in _INTEREST.finditer(bill.text):
        if bill.mark_at(m.start()) != "deleted":
            said = re.sub(r"\s+", " ", m.group(0).strip())
            return m.start(), said if len(said) <= 80 else said[:77] + "..."
    return None


def _ref(p: Provision, pin: Callable[[Provision], str]) -> str:
    """ "Sec. 250.001(b) at 1:22-2:1": the provision's innermost citation and pinpoint.
    Never the provision id, which a reader would take for a principle ("P3")."""
    last = p.section.split(", ")[-1] if p.section else ""
    return f"{last} at {pin(p)}" if last else f"the provision at {pin(p)}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def subjects_phrase(subjects: Sequence[str]) -> str:
    return join_words([SUBJECT_LABELS.get(s, s) for s in subjects]) or "the matters it names"


def targets_phrase(targets: Sequence[str]) -> str:
    return join_words([TARGET_LABELS.get(t, t) for t in targets]) or "localities"


# -- bill tests: each returns (provision ids, evidence) or None ------------------------------

Evidence = tuple[list[str], str] | None


def _live(provisions: Sequence[Provision]) -> list[Provision]:
    return [p for p in provisions if p.markup != "deleted"]


def _blanket_codes(provisions: Sequence[Provision], pin: Callable[[Provision], str]) -> Evidence:
    hits: list[tuple[Provision, str]] = []
    for p in _live(provisions):
        if not set(p.kinds) & PREEMPTIVE:
            continue
        codes = list(dict.fromkeys(m.group(1) for m in _CODE_NAME.finditer(p.text)))
        if "general" in p.subjects or len(codes) >= 2:
            hits.append((p, ", ".join(codes) if len(codes) >= 2 else "all fields"))
    if not hits:
        return None
    return [p.id for p, _ in hits], "; ".join(f"{_ref(p, pin)}: {w}" for p, w in hits)


def _retroactive(provisions: Sequence[Provision], pin: Callable[[Provision], str]) -> Evidence:
    hits = [
        p for p in _live(provisions) if "nullification" in p.kinds and _RETROACTIVE.search(p.text)
    ]
    if not hits:
        return None
    return [p.id for p in hits], ", ".join(_ref(p, pin) for p in hits)


def _no_savings(provisions: Sequence[Provision], pin: Callable[[Provision], str]) -> Evidence:
    live = _live(provisions)
    preempting = [p for p in live if set(p.kinds) & PREEMPTIVE]
    if not preempting or any("savings" in p.kinds for p in live):
        return None
    return [p.id for p in preempting], ", ".join(_ref(p, pin) for p in preempting)


def _mechanism_evidence(
    provisions: Sequence[Provision], pin: Callable[[Provision], str], wanted: set[str]
) -> tuple[list[str], list[str], str]:
    ids: list[str] = []
    found: list[str] = []
    parts: list[str] = []
    for p in _live(provisions):
        mine = [m for m in p.punitive if m in wanted]
        if mine:
            ids.append(p.id)
            found += [m for m in mine if m not in found]
            labels = ", ".join(MECHANISM_LABELS.get(m, m) for m in mine)
            parts.append(f"{labels} in {_ref(p, pin)}")
    return ids, found, "; ".join(parts)


def _fiscal(provisions: Sequence[Provision], pin: Callable[[Provision], str]) -> Evidence:
    ids, found, said = _mechanism_evidence(
        provisions, pin, {"funding_withheld", "entity_liability"}
    )
    return (ids, said) if found else None


def _stacking(provisions: Sequence[Provision], pin: Callable[[Provision], str]) -> Evidence:
    ids, found, said = _mechanism_evidence(provisions, pin, set(_FAMILIES))
    families = {_FAMILIES[m] for m in found}
    if len(found) >= 3 or len(families) >= 2:
        return ids, said
    return None


_BILL_CHECKS: dict[str, Callable[[Sequence[Provision], Callable[[Provision], str]], Evidence]] = {
    "blanket_codes": _blanket_codes,
    "retroactive_nullification": _retroactive,
    "no_savings_clause": _no_savings,
    "fiscal_punishment": _fiscal,
    "punitive_stacking": _stacking,
}
