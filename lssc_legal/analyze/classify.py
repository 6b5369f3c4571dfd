"""Classification: every provision of a bill that preempts, voids, punishes or saves local
authority, classified, quoted exactly and pinpointed.

    analyze_bill(bill, corpus=None) -> Analysis

Steps: cut the body into provisions (`segment`), read each with the rule patterns of
corpus/patterns (`rules`), apply each rule's requirements and the vetoes, then classify:
kinds by the precedence of the design (field, express, conflict, nullification, punitive,
savings), punitive mechanisms, subjects, targets, effect and markup.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import __version__
from ..corpusdir import corpus_dir, fingerprint
from ..models import (
    KINDS,
    PREEMPTIVE,
    Analysis,
    Bill,
    Kind,
    PrincipleText,
    Provision,
    RedlineSpan,
    Section,
    pinpoint_range,
)
from .codes import LocalCode, code_places, local_codes
from .model_language import load_model_language, match_models, propose_amendments
from .principles import held_conditions, load_principles, stated_interest, weigh
from .rules import Engine, Hit, Reading, engine
from .segment import Segment, segment
from .slots import SLOT_VERBS, SlotHit, SlotReader, slot_reader

ENFORCEMENT = frozenset({"private_action", "immunity_waived", "injunction", "ag_enforcement"})
_STATE_SUBJECT = re.compile(r"\b(?:state|legislature|general assembly)\b", re.I)
_CEILING = re.compile(
    r"\b(?:beyond|exceed|exceeds|more\s+stringent|more\s+restrictive|greater\s+than|"
    r"higher\s+than|in\s+addition\s+to|than\s+(?:that\s+|those\s+)?(?:required|provided))\b",
    re.I,
)
# A permission granted on conditions: "only if", "consistent with", "subject to".
_CONDITIONAL = re.compile(
    r"\b(?:only|if|unless|provided\s+that|provided,\s+however|subject\s+to|consistent\s+with|"
    r"in\s+accordance\s+with|in\s+compliance\s+with|not\s+to\s+exceed|so\s+long\s+as|"
    r"as\s+long\s+as)\b",
    re.I,
)
# A permission worded as an exception to the state's rule.
_CARVE_OUT = re.compile(
    r"\b(?:additionally|however|notwithstanding|except|excepting|still|also|nevertheless|"
    r"continue|continues|retain|retains|further)\b",
    re.I,
)
# "C. A municipality may do any of the following:" after "A. A municipality may not ...":
# the list names what the section leaves the locality free to do, item by item.
_FOLLOWING_POWERS = re.compile(
    r"\bmay\s+do\s+(?:any|all|each|one\s+or\s+more)\s+of\s+the\s+following\b", re.I
)
_LINE_HYPHEN = re.compile(r"([a-z])-\n\s*([a-z])")
# "may adopt more stringent rules" is a floor; "not more stringent than" is a ceiling.
_FLOOR = re.compile(
    r"(?<!\bnot\s)(?<!\bno\s)\bmore\s+(?:stringent|protective)\b|\bgreater\s+protection", re.I
)


@dataclass
class _Candidate:
    segment: Segment
    text: str  # what the rules read: the text as it would read, or as printed if all struck
    markup: str
    reading: Reading
    hits: list[Hit] = field(default_factory=list)
    pending: list[Hit] = field(default_factory=list)  # hits waiting on the section's kinds
    rule_text: str = ""  # what the rules read: the text with line-end hyphens joined
    notes: list[str] = field(default_factory=list)
    vetoed: set[str] = field(default_factory=set)  # kinds a veto set aside (federal, definition)
    slots: list[SlotHit] = field(default_factory=list)  # the structural reading
    # Cues with no local government named: they count if the section binds one.
    context_slots: list[SlotHit] = field(default_factory=list)
    deferred: bool = False  # names no local government: the slots are read if context needs
    lead_in: str | None = None  # for a list item: the lead-in's quote
    lead_len: int = 0  # for a list item: how much of rule_text is the lead-in's
    names_local: bool = False  # names a local government or a local measure
    duty_in: str = ""  # a duty read because its part of the bill binds: that part's cite
    # read because its part amends a statute governing local governments: that statute
    code_name: str = ""
    fiscal_code: bool = False  # stands in a statute on local taxes, levies or budgets


def analyze_bill(bill: Bill, corpus: str | Path | None = None) -> Analysis:
    """Find and classify the bill's preemption provisions. `corpus` is a corpus folder
    (with patterns/) to use instead of the one shipped with the tool."""
    return weigh_and_match(bill, find_provisions(bill, corpus), corpus)


def find_provisions(
    bill: Bill,
    corpus: str | Path | None = None,
    within: Sequence[tuple[int, int]] | None = None,
) -> list[Provision]:
    """The provisions alone, classified but not yet weighed (compare needs no more).
    `within` limits the search to these (start, end) ranges of Bill.text, whole bill or code
    sections (a section's text is read together: its earlier subjects, its references)."""
    folder = str(Path(corpus) / "patterns") if corpus else None
    eng = engine(folder)
    slots = slot_reader(folder).for_bill(bill.text)
    segments = segment(bill)
    if within is not None:
        segments = [g for g in segments if any(lo <= g.start < hi for lo, hi in within)]
    leads: dict[tuple[int, int], tuple[str, str, Reading]] = {}
    candidates = [_read(bill, eng, slots, seg, leads) for seg in segments]
    places = code_places(bill, local_codes(folder or str(corpus_dir() / "patterns")))
    _resolve_references(bill, candidates, slots, places)
    found: list[tuple[_Candidate, Provision]] = []
    said: dict[tuple[int, str], tuple[str, ...]] = {}  # subjects named so far, per section
    for cand in candidates:
        sec = enclosing_section(bill, cand.segment.start)
        key = (sec.start, sec.label) if sec else (-1, "")
        prov = _provision(bill, eng, slots, cand, said.get(key, ()))
        if prov is not None:
            found.append((cand, prov))
        if cand.reading.subjects:
            said[key] = tuple(cand.reading.subjects)
    # A lead-in is reported alone only when none of its items is: the items carry it.
    # A list of exceptions ("may not impose a regulation that ..., except for: 1. ...") is
    # reported item by item as carve-outs, and its lead-in, the rule, stays.
    led = {
        c.segment.lead_in for c, _ in found if c.segment.lead_in is not None and not _exceptions(c)
    }
    kept = [
        p for c, p in found if not ((c.segment.start, c.segment.end) in led and c.segment.has_items)
    ]
    return [replace(p, id=f"P{i}") for i, p in enumerate(kept, 1)]


def weigh_and_match(
    bill: Bill, provisions: list[Provision], corpus: str | Path | None = None
) -> Analysis:
    """Weigh provisions against the principles, match them to model language, and propose
    amendments: the parts of the analysis that read provisions rather than the bill."""
    root = Path(corpus) if corpus else None
    principles = load_principles(str(root / "principles") if root else None)
    language = load_model_language(str(root / "model_language") if root else None)

    sections: dict[int, Section | None] = {}

    def enclosing(offset: int) -> Section | None:
        # Asked for every pair of provisions in a section: look each offset up once.
        if offset not in sections:
            sections[offset] = enclosing_section(bill, offset)
        return sections[offset]

    def pin(p: Provision) -> str:
        return pinpoint_range(p.start, p.end)

    interest = stated_interest(bill)
    # Only what a named pattern classified is weighed against the principles and the model
    # language: a review item is a lead for the lawyer, not a finding the memo argues from.
    high = [p for p in provisions if p.confidence == "high"]
    findings, weighed = weigh(bill, high, principles, enclosing, pin, interest)

    def conditions(p: Provision) -> set[str]:
        return held_conditions(p, weighed, interest, enclosing)

    by_id = {p.id: p for p in weighed}
    rules = engine(str(root / "patterns") if root else None).by_id
    fired = dict.fromkeys(r for p in provisions for r in p.rules if r in rules)
    return Analysis(
        bill=bill,
        provisions=tuple(by_id.get(p.id, p) for p in provisions),
        tool_version=__version__,
        findings=tuple(findings),
        model_matches=tuple(match_models(weighed, language)),
        amendments=tuple(propose_amendments(weighed, language, conditions, bill.meta.state)),
        principles=tuple(PrincipleText(p.id, p.name, p.statement, p.source) for p in principles),
        rule_rationales=tuple((r, rules[r].rationale) for r in fired),
        corpus=fingerprint(corpus),
    )


def _read(
    bill: Bill,
    eng: Engine,
    slots: SlotReader,
    seg: Segment,
    leads: dict[tuple[int, int], tuple[str, str, Reading]] | None = None,
) -> _Candidate:
    text, markup, rule_text = _resolved(bill, seg.start, seg.end)
    lead_in = None
    if seg.lead_in is not None:
        # A list item is read with the lead-in it completes ("A county may not: ... (2)
        # impose a fee"), and quoted alone. The lead-in is read once for all its items;
        # an item's own words are read after it.
        leads = {} if leads is None else leads
        if seg.lead_in not in leads:
            quote, _, lead_rule = _resolved(bill, *seg.lead_in)
            if seg.outer_lead is not None:
                # a nested list's item: the outer lead-in's words come first ("Development
                # fees assessed by a municipality ...: 5. ... may not be used for: (a) ...")
                lead_rule = f"{_resolved(bill, *seg.outer_lead)[2]} {lead_rule}"
            leads[seg.lead_in] = (quote, lead_rule, eng.read(lead_rule))
        lead_in, lead_rule, lead_reading = leads[seg.lead_in]
        own = eng.read(rule_text)
        if not own.subjects:
            # An item may name its subject in words no rule anchors on ("(2) limits the
            # wages paid by employers"): its subject is its own, not the lead-in's.
            own = replace(own, subjects=eng.subjects_of(rule_text))
        reading = _joined(lead_reading, own, len(lead_rule) + 1)
        rule_text = f"{lead_rule} {rule_text}"
        lead_len = len(lead_rule) + 1
    else:
        reading = eng.read(rule_text)
        lead_len = 0
    cand = _Candidate(
        seg, text, markup, reading, rule_text=rule_text, lead_in=lead_in, lead_len=lead_len
    )
    _apply_requirements_and_vetoes(cand)
    if _HEADING.match(text) or _is_heading(text):
        return cand
    cand.names_local = slots.names_local(rule_text)
    if cand.names_local:
        _read_slots(cand, slots)
    else:
        cand.deferred = True  # read for context only if its part of the bill binds a locality
    return cand


def _joined(lead: Reading, item: Reading, shift: int) -> Reading:
    """What the rules saw in a lead-in and in its item, as one reading of both."""
    return Reading(
        hits=[*lead.hits, *(Hit(h.rule, h.start + shift, h.end + shift) for h in item.hits)],
        targets=list(dict.fromkeys([*lead.targets, *item.targets])),
        subjects=list(dict.fromkeys([*item.subjects, *lead.subjects])),
        local=lead.local or item.local,
        local_measure=lead.local_measure or item.local_measure,
        partial=lead.partial or item.partial,
    )


# A catchline printed as its own line ("ADOPTION OF PROPOSED TAX RATE THAT EXCEEDS ...",
# "Municipal transaction privilege tax; rates; limit"): it names a subject, it binds no one.
# A line in capitals with no verb of a rule: a heading. Arizona prints new law in capitals
# ("A SCHOOL DISTRICT GOVERNING BOARD ... IS GUILTY OF A CLASS 1 MISDEMEANOR."): that is text.
_HEADING = re.compile(
    r"^(?![^a-z]*\b(?:MAY|SHALL|MUST|IS|ARE|WILL|DOES|DO|FAILS?|VIOLATES?)\b)[^a-z]{12,}$"
)


def _is_heading(text: str) -> bool:
    text = text.strip()
    return (
        text[:1].isupper()
        and not re.search(r"(?:[.;:,]|\b(?:and|or))$", text)
        and not re.search(r"\b(?:may|shall|must|is|are|will|does|do)\b", text, re.I)
    )


def _read_slots(cand: _Candidate, slots: SlotReader) -> None:
    found = [
        h
        for h in slots.read(cand.rule_text, context=True)
        if h.cue.kind not in cand.vetoed
        # "A municipality may: (1) regulate signs; (2) ...": a grant of powers in a lead-in
        # does not make each power a carve-out; the lead-in is the unit. A lead-in worded
        # as an exception ("However, a municipality may require: (1) ...") does.
        and not (
            h.cue.id in ("preservation.permission", "preservation.nothing_in")
            and h.start < cand.lead_len
            and not _CARVE_OUT.search(cand.rule_text, 0, cand.lead_len)
            and not _FOLLOWING_POWERS.search(cand.rule_text, 0, cand.lead_len)
        )
    ]
    cand.slots = [h for h in found if h.actor]
    cand.context_slots = [h for h in found if not h.actor]
    cand.deferred = False


def _resolved(bill: Bill, start: int, end: int) -> tuple[str, str, str]:
    """The quote (markup resolved), its markup, and the text the rules read."""
    spans = bill.spans_in(start, end)
    letters = {m: 0 for m in ("inserted", "deleted", "unchanged")}
    for s in spans:
        letters[s.mark] += sum(map(str.isalnum, bill.text[s.start : s.end]))
    total = sum(letters.values()) or 1
    kept = "".join(bill.text[s.start : s.end] for s in spans if s.mark != "deleted")
    if letters["deleted"] == total or (
        # "Preemption.--(a) [Except as set forth in subsection (b), this act shall preempt
        # ...]": a struck sentence after a catchline the bill keeps is struck; the catchline
        # alone is not what the rules read.
        letters["deleted"] >= 3 * (total - letters["deleted"])
        and len(kept.split()) <= 6
        and not _RULE_VERB.search(kept)
    ):
        markup, printed = "deleted", bill.text[start:end]
    else:
        marks_used = [m for m, n in letters.items() if n]
        markup = marks_used[0] if len(marks_used) == 1 else "mixed"
        printed = kept
    # The rules read words whole: a word hyphenated across lines ("political sub-/division")
    # is joined for matching, while the quote keeps the hyphen as printed. Brackets left
    # around what an amendment changed ("GOVERNING BOARD[] IS GUILTY OF A CLASS [1
    # MISDEMEANOR]", an Arizona floor amendment's reprint) are not words.
    read = _LINE_HYPHEN.sub(r"\1\2", printed)
    if markup != "deleted":
        read = _AMENDMENT_BRACKETS.sub("", read)
    return _quote(printed), markup, _quote(read)


_RULE_VERB = re.compile(r"\b(?:may|shall|must|is|are|will|does|do|means|includes?)\b", re.I)
_AMENDMENT_BRACKETS = re.compile(r"[\[\]]")


def _quote(text: str) -> str:
    """Printed lines joined into one quotable string: a line-end hyphen joins its word."""
    text = re.sub(r"-\n\s*", "-", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" +([,.;:)\]])", r"\1", text)
    text = re.sub(r"([(\[]) +", r"\1", text)
    return text.strip()


def _apply_requirements_and_vetoes(cand: _Candidate) -> None:
    """CASE 1: a rule that needs a local government or measure in the provision.
    CASE 2: a field rule satisfied by the state as the one occupying the field.
    CASE 3: rules that need the enclosing section to preempt (a penalty with no local
            government named, an exception) wait for the second pass.
    CASE 4: vetoes (federal preemption, definitions, severability, voter approval) drop
            the kinds they name; a savings clause drops the prohibition it contains."""
    reading, text = cand.reading, cand.rule_text
    kept: list[Hit] = []
    for hit in reading.hits:
        need = hit.rule.requires
        if (
            hit.rule.signal.get("veto")
            or need is None
            or (need in ("local", "local_or_section", "local_or_state") and reading.local)
            or (need in ("local_measure", "local_measure_or_section") and reading.local_measure)
            or (need == "local_or_state" and _STATE_SUBJECT.search(text[: hit.start]))
        ):
            kept.append(hit)
        elif need in ("section_preempts", "local_or_section", "local_measure_or_section"):
            cand.pending.append(hit)
    fired = {h.rule.id for h in kept}
    vetoed: set[int] = set()
    for veto in [h for h in kept if h.rule.signal.get("veto")]:
        kinds = set(veto.rule.signal["veto"])
        if fired & set(veto.rule.signal.get("unless", [])):
            continue
        overlap = bool(veto.rule.signal.get("overlap"))
        if not overlap:
            cand.vetoed |= kinds
        for i, hit in enumerate(kept):
            if hit.rule.kind in kinds and (
                not overlap or (hit.start < veto.end and veto.start < hit.end)
            ):
                vetoed.add(i)
                cand.notes.append(f"{hit.rule.id} set aside by {veto.rule.id}")
        if "punitive" in kinds:
            cand.pending.clear()
    savings = [h for h in kept if h.rule.kind == "savings"]
    for i, hit in enumerate(kept):
        if hit.rule.kind in ("express", "field") and any(
            s.start <= hit.end and hit.start <= s.end for s in savings
        ):
            vetoed.add(i)  # "does not prohibit a county from adopting": saved, not barred
    cand.hits = [h for i, h in enumerate(kept) if i not in vetoed and not h.rule.signal.get("veto")]


def enclosing_section(bill: Bill, offset: int) -> Section | None:
    """The innermost bill or code section around `offset` (not a subsection)."""
    found = [s for s in bill.sections_at(offset) if s.level != "subsection"]
    return found[-1] if found else None


def _resolve_references(
    bill: Bill,
    candidates: list[_Candidate],
    slots: SlotReader,
    places: dict[tuple[int, str], LocalCode] | None = None,
) -> None:
    """Second pass: a penalty or exception that refers back ("a violation of this
    section") counts when its section preempts. `places`: the sections of the bill that
    amend or enact a statute governing local governments (codes.py)."""
    places = places or {}
    preempting: set[tuple[int, str]] = set()
    for cand in candidates:
        # A section preempts, or is the enforcement machinery of preemption: suits against
        # localities, waived immunity (Texas's Chapter 102A). A fine alone does not make
        # a section preemptive (a late financial report can be fined).
        if any(
            h.rule.kind in PREEMPTIVE or h.rule.signal.get("mechanism") in ENFORCEMENT
            for h in cand.hits
        ) and (cand.markup != "deleted"):
            sec = enclosing_section(bill, cand.segment.start)
            if sec is not None:
                preempting.add((sec.start, sec.label))
    # A part of the bill binds a local government when a sentence in it names one that a
    # preemptive rule, a punitive rule, or a restriction or declaration binds. A sentence
    # that names no local government but has a cue counts when its own subsection binds
    # one, or when it refers to its section ("a violation of this section") and that
    # section binds one.
    # The parts of the bill each sentence stands in, looked up once.
    scopes_of = {id(c): _scopes(bill, c.segment.start) for c in candidates}
    binding: set[tuple[int, str]] = set()
    # Sentences that bind a local government, per part of the bill, duties and conditions
    # included ("A zoning ordinance of a municipality shall allow ..."): how densely the part
    # binds, for the duties read in it.
    bound_in: Counter[tuple[int, str]] = Counter()
    for cand in candidates:
        central = [
            h.cue.id
            for h in cand.slots
            if h.cue.slot in ("restriction", "declaration", "sanction") and h.central
        ]
        # Struck text binds too: a repealed preemption makes the rest of its struck section
        # worth reading as repealed preemption.
        if any(c not in _WEAK_BINDING for c in central) or (
            (cand.reading.local or cand.lead_in)
            and any(h.rule.kind in PREEMPTIVE or h.rule.kind == "punitive" for h in cand.hits)
        ):
            binding.update(scopes_of[id(cand)])
            bound_in.update(scopes_of[id(cand)])
        elif central:
            bound_in.update(scopes_of[id(cand)])
    sentences = Counter(s for cand in candidates for s in scopes_of[id(cand)])
    # A section in which a local government levies or charges ("a municipality may assess
    # development fees"): a cap on a tax, fee or levy in it ("The development fees may not
    # exceed ...") is read as a cap on the local one.
    levying = {
        (sec.start, sec.label)
        for cand in candidates
        if cand.names_local
        and _LOCAL_LEVY.search(cand.rule_text)
        and (sec := enclosing_section(bill, cand.segment.start)) is not None
    }
    for cand in candidates:
        sec = enclosing_section(bill, cand.segment.start)
        key = (sec.start, sec.label) if sec is not None else None
        cand.fiscal_code = key in places and places[key].fiscal
        if (cand.context_slots or cand.deferred) and not cand.hits and not cand.slots:
            scopes = scopes_of[id(cand)]
            near = scopes[-1] if scopes else None
            refers = _REFERS.search(cand.rule_text)
            whole = binding and _WHOLE_ACT.search(cand.rule_text)
            if near is not None and near in binding:
                where = near[1]
            elif (refers or _section_wide(cand)) and sec is not None and key in binding:
                where = sec.label
            elif whole:
                where = "the act"
            elif key in places and sec is not None:
                # "Section 26.04, Tax Code": the statute sets local tax rates, so its
                # sentences bind taxing units though they name none.
                where = f"{sec.label}, in {places[key].name},"
                cand.code_name = places[key].name
            elif key in levying and _FISCAL_CONTEXT.search(cand.rule_text):
                if cand.deferred:
                    _read_slots(cand, slots)
                fiscal = [h for h in cand.context_slots if h.cue.fiscal]
                cand.context_slots = fiscal
                where = sec.label if fiscal and sec is not None else ""
            else:
                where = ""
            if where and cand.deferred:
                _read_slots(cand, slots)
            if where and cand.context_slots:
                cand.slots = cand.context_slots
                cand.notes.append(f"names no local government itself; {where} binds one")
        if not cand.hits and not cand.slots and not cand.pending:
            _section_duty(bill, cand, slots, scopes_of[id(cand)], bound_in, sentences, places)
        if not cand.pending:
            continue
        if key in preempting or (preempting and _WHOLE_ACT.search(cand.rule_text)):
            cand.hits.extend(cand.pending)
            cand.notes.append(f"counts because {sec.label} preempts")  # type: ignore[union-attr]
        cand.pending = []


def _section_duty(
    bill: Bill,
    cand: _Candidate,
    slots: SlotReader,
    scopes: list[tuple[int, str]],
    bound_in: Counter[tuple[int, str]],
    sentences: Counter[tuple[int, str]],
    places: dict[tuple[int, str], LocalCode],
) -> None:
    """A sentence no cue read, in a part of the bill (a section or its first-level
    subsection) where at least one sentence in five binds a local government: a duty, limit
    or condition in it ("Development fees may be collected only if ...", "A lot split must
    be approved by right ...") is reported for review, unless someone else is its subject
    ("the department shall") or it is about a document ("the notice must include"). A
    long statute that binds a locality in one sentence of fifty is not read this way.
    In a statute that governs local governments (a county code, a local tax rate chapter:
    codes.json), its limits are read wherever they stand, and its duties where one
    sentence in ten binds."""
    if _HEADING.match(cand.text) or _is_heading(cand.text):
        return
    part = next(
        (s for s in reversed(scopes) if bound_in[s] >= _DUTY_DENSITY * sentences[s]),
        None,
    )
    code = places.get(scopes[0]) if part is None and scopes else None
    if part is None and code is None:
        return
    hit = slots.section_duty(cand.rule_text, cand.lead_len)
    if hit is None:
        return
    if code is not None and not (
        # In a statute that governs localities, a limit ("may not", "only", "exceed") is
        # the locality's; a plain duty is, where one sentence in ten names one bound.
        _CODE_LIMIT.search(cand.rule_text, cand.lead_len)
        or any(0 < bound_in[s] >= _CODE_DUTY_DENSITY * sentences[s] for s in scopes)
    ):
        return
    cand.slots = [hit]
    if code is not None:
        cand.duty_in = bill.cite(scopes[0][0])
        cand.code_name = code.name
        cand.notes.append(
            f"no cue read what this sentence does: reported because {cand.duty_in} is in "
            f"{code.name}, a statute that governs local governments"
        )
        return
    assert part is not None
    cand.duty_in = bill.cite(part[0])  # "Section 3, § 163.3254(7)"
    cand.notes.append(
        "no cue read what this sentence does: reported because at least one sentence in "
        f"five of {cand.duty_in} binds a local government"
    )


# "may be collected if" (not "may not", "may only"): what may be done, on terms.
_BARE_MAY = re.compile(r"may\b(?!\s+(?:not|only|never)\b)", re.I)
# At least one sentence in five of the part binds a local government (measured on the dev
# rounds of tests/gold/blind: one in ten doubles the items in long statutes amended in one
# place; one in three loses most of what it finds).
_DUTY_DENSITY = 0.2


# Measured on the dev rounds: every duty of a local statute doubles the review items for
# four more labels in 1,110; limits alone, or duties where one sentence in ten binds, keep
# 24 of the 28 labels the statutes find, at half the items.
_CODE_DUTY_DENSITY = 0.1
_CODE_LIMIT = re.compile(
    r"\b(?:not|no|only|never|exceeds?|exceeding|more\s+than|less\s+than|at\s+least|at\s+most|"
    r"maximum|minimum|unless|prohibited|limited)\b",
    re.I,
)


def _section_wide(cand: _Candidate) -> bool:
    """Cues read against the whole section, wherever in it they stand: a permission ("C. A
    municipality may do any of the following:" after "A. A municipality may not ...") is a
    carve-out from the section's rule; a declaration ("E. The regulation of ... is of
    statewide concern.") claims the section's subject for the state."""
    return bool(cand.context_slots) and all(
        h.cue.section_binds or h.cue.id == "declaration.preempted" for h in cand.context_slots
    )


_REFERS = re.compile(
    r"\b(?:this|such)\s+(?:section|subsection|act|chapter|article|part|paragraph|subdivision|"
    r"prohibition|requirement|preemption)\b|\b(?:subsection|paragraph|subdivision|section)\s+\(?[0-9a-z]",
    re.I,
)


# Duties and conditions ("the sheriff shall issue the permit", "only if") are reported where
# they bind, but do not make the rest of their part of the bill read as binding.
_WEAK_BINDING = frozenset(
    {
        "restriction.mandated_approval",
        "restriction.mandated_passive",
        "restriction.proviso",
        "restriction.only_or_limited",
        "restriction.referendum",
    }
)
_WHOLE_ACT = re.compile(r"\bthis\s+act\b", re.I)
_LOCAL_LEVY = re.compile(
    r"\b(?:levy|levies|levied|impose|imposes|imposed|assess|assesses|assessed|collect|collects|"
    r"collected|charge|charges|charged)\b[^.;]{0,60}\b(?:tax|taxes|fee|fees|levy|assessment|"
    r"assessments|millage|rate|rates|charges?)\b|\b(?:tax|taxes|fee|fees|assessment|"
    r"assessments|rates?|charges?)\b[^.;]{0,40}\b(?:levied|imposed|assessed|collected|charged|"
    r"adopted)\b",
    re.I,
)
_FISCAL_CONTEXT = re.compile(
    r"\b(?:tax|taxes|fee|fees|levy|levies|assessment|assessments|millage|rate|rates|charge|"
    r"charges|budget|revenue|revenues)\b",
    re.I,
)


def _scopes(bill: Bill, offset: int) -> list[tuple[int, str]]:
    """The bill or code section around `offset`, then its first-level subsection: the
    parts of the bill whose sentences are read together."""
    section = enclosing_section(bill, offset)
    out = [(section.start, section.label)] if section is not None else []
    subs = [s for s in bill.sections_at(offset) if s.level == "subsection"]
    if subs:
        top = min(subs, key=lambda s: s.depth)
        out.append((top.start, top.label))
    return out


def _provision(
    bill: Bill, eng: Engine, slots: SlotReader, cand: _Candidate, earlier: tuple[str, ...]
) -> Provision | None:
    """CASE 1: named patterns classified the text: a high-confidence provision.
    CASE 2: none did, but the structural reading found a local government bound by a
            restriction, declaration, sanction or preservation: a review item, kinds and
            mechanisms from the cues, with a rationale naming both slots.
    CASE 3: neither: not a provision."""
    kinds_found = {h.rule.kind for h in cand.hits if h.rule.kind}
    notes = list(dict.fromkeys(cand.notes))
    if kinds_found:
        confidence = "high"
        rules = list(dict.fromkeys(h.rule.id for h in cand.hits))  # in the order they fired
        mechanisms = tuple(
            dict.fromkeys(
                str(h.rule.signal["mechanism"]) for h in cand.hits if "mechanism" in h.rule.signal
            )
        )
        if "punitive" in kinds_found:
            # The structural reading names mechanisms the rule did not ("... attorney fees,
            # damages ..."): a lawyer counts each.
            extra = [h.mechanism for h in cand.slots if h.mechanism and h.cue.slot == "sanction"]
            mechanisms = tuple(dict.fromkeys([*mechanisms, *(m for m in extra if m)]))
        forced = [str(h.rule.signal["subject"]) for h in cand.hits if "subject" in h.rule.signal]
        rationale = " ".join(dict.fromkeys(h.rule.rationale for h in cand.hits if h.rule.rationale))
    elif cand.slots:
        confidence = "review"
        kinds_found = {h.cue.kind for h in cand.slots}
        rules = list(dict.fromkeys(f"review.{h.cue.id}" for h in cand.slots))
        mechanisms = tuple(dict.fromkeys(h.mechanism for h in cand.slots if h.mechanism))
        forced = [h.cue.subject for h in cand.slots if h.cue.subject]
        rationale = _review_rationale(cand.slots, cand.code_name)
        if cand.duty_in:
            duty = cand.slots[0]
            # "may be collected if": what may be done, and on what terms; "must", "shall",
            # "may not": a duty or a limit.
            what = (
                "states what may be done"
                if _BARE_MAY.match(duty.cue_text)
                else "states a duty or limit"
            )
            if duty.actor:
                rationale = f"binds {_article(duty.actor)}; {what} ('{duty.cue_text}')"
            else:
                why = (
                    f"{cand.duty_in} stands in {cand.code_name}, which governs local governments"
                    if cand.code_name
                    else f"other provisions of {cand.duty_in} bind local governments"
                )
                rationale = (
                    f"{what} ('{duty.cue_text}'); no local government is its subject, but {why}"
                )
        if "savings" in kinds_found and any(
            h.cue.id == "preservation.permission" for h in cand.slots
        ):
            condition = _CONDITIONAL.search(cand.text)
            if condition:
                # "may adopt ... only if", "may regulate ... consistent with subsection G":
                # the state grants the power on its terms, which limits it.
                kinds_found.add("express")
                rationale += f"; the permission is conditional ('{condition.group(0)}')"
        notes.append("no named pattern classified this text: reported for review")
    else:
        return None
    if _exceptions(cand) and kinds_found & {"field", "express", "conflict", "nullification"}:
        # "except for: 1. Regulations relating to building design ...": the item is what the
        # lead-in's rule leaves to the locality, not more of the rule.
        kinds_found = {"savings"} | (kinds_found & {"punitive"})
        rationale = (
            "an exception to the rule its lead-in states: the item stays within local authority"
        )
        notes.append("a list of exceptions: the lead-in's rule is reported on its own")
    kinds = tuple(k for k in KINDS if k in kinds_found)
    if not kinds:
        return None
    if "punitive" in kinds:
        mechanisms = slots.mechanisms(cand.text, mechanisms)
    kind: Kind = kinds[0]
    if cand.reading.partial:
        # The rules did not parse it (no rule could fire): read its targets now.
        full = eng.complete(cand.reading, cand.rule_text)
        cand.reading = replace(full, subjects=cand.reading.subjects or full.subjects)
    subjects = list(dict.fromkeys([*forced, *cand.reading.subjects]))
    if not subjects and earlier:
        # "in this field", "such an ordinance": the subject the section already named.
        subjects = list(earlier)
        notes.append("subjects taken from the section's earlier text")
    if not subjects:
        subjects, where = _context_subjects(bill, eng, cand.segment.start)
        if subjects:
            notes.append(f"subjects taken from {where}")
    if ("funding_withheld" in mechanisms or cand.fiscal_code) and "fiscal" not in subjects:
        # state money to the locality, or a statute on local taxes (Tax Code ch. 26): fiscal
        subjects.append("fiscal")
    effect = _effect(kinds, cand.text)
    start, end = cand.segment.start, cand.segment.end
    last = end - 1
    while last > start and bill.text[last].isspace():
        last -= 1
    redline = tuple(
        RedlineSpan(_quote_span(bill.text[s.start : s.end]), s.mark)
        for s in bill.spans_in(start, end)
    )
    if cand.markup == "deleted":
        notes.append("the bill strikes this text: it repeals existing law, it does not enact it")
    return Provision(
        id="P0",  # numbered by find_provisions, once lead-ins carried by items are gone
        kind=kind,
        kinds=kinds,
        punitive=mechanisms,
        subjects=tuple(subjects),
        targets=tuple(cand.reading.targets),
        effect=effect,
        markup=cand.markup,  # type: ignore[arg-type]
        text=cand.text,
        redline=redline,
        section=bill.cite(start),
        start=bill.pinpoint(start),
        end=bill.pinpoint(last),
        rules=tuple(rules),
        notes=tuple(notes),
        offsets=(start, end),
        confidence=confidence,  # type: ignore[arg-type]
        rationale=rationale,
        lead_in=cand.lead_in,
    )


_EXCEPTION_LEAD = re.compile(
    r"\b(?:except(?:\s+for)?|other\s+than|excluding|with\s+the\s+exception\s+of|"
    r"except\s+as\s+follows)\s*:\s*$",
    re.I,
)


def _exceptions(cand: _Candidate) -> bool:
    """A list item whose lead-in ends in "except for:", "other than:", "excluding:"."""
    return cand.lead_in is not None and _EXCEPTION_LEAD.search(cand.lead_in) is not None


def _review_rationale(hits: list[SlotHit], code: str = "") -> str:
    """Both slots, as a lawyer checks them: "binds a county; limits it: 'may not levy'".
    `code`: the statute the sentence stands in, when that is what binds a locality; it is
    named once ("binds the local governments that Tax Code ch. 26 ... governs; ...")."""
    parts = []
    for h in hits[:3]:
        what = f"{SLOT_VERBS[h.cue.slot]}: '{h.cue_text}'"
        if code and not h.actor:
            # "binds the local governments that ... governs; limits them"
            what = what.replace(" it:", " them:").replace("its authority", "their authority")
        if h.actor or not code:
            who = _article(h.actor) if h.actor else "the local government its section binds"
            parts.append(f"binds {who}; {what}")
        else:
            parts.append(what)
    said = " / ".join(dict.fromkeys(parts))
    if code and not all(h.actor for h in hits[:3]):
        said = f"binds the local governments that {code} governs; {said}"
    reasons = "; ".join(dict.fromkeys(h.cue.rationale for h in hits[:3] if h.cue.rationale))
    return said + (f" ({reasons})" if reasons else "")


def _article(actor: str) -> str:
    words = " ".join(actor.split())
    if words.lower().startswith(("the ", "a ", "an ", "any ")) or words.endswith("s"):
        return words
    return ("an " if words[:1].lower() in "aeiou" else "a ") + words


def relocate(p: Provision, bill: Bill, start: int, end: int, pid: str) -> Provision:
    """The same provision found at start..end of another printing of the same words (a
    version of the bill that did not change its section): new cite, pinpoints and markup."""
    last = end - 1
    while last > start and bill.text[last].isspace():
        last -= 1
    return replace(
        p,
        id=pid,
        redline=tuple(
            RedlineSpan(_quote_span(bill.text[s.start : s.end]), s.mark)
            for s in bill.spans_in(start, end)
        ),
        section=bill.cite(start),
        start=bill.pinpoint(start),
        end=bill.pinpoint(last),
        offsets=(start, end),
    )


def _quote_span(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"-\n\s*", "-", text))


_TOPIC = re.compile(r"(?:^|[;:,]\s*)(?:an\s+act\s+)?relati(?:ng|ve)\s+to\s+([^;.]+)", re.I)


def _context_subjects(bill: Bill, eng: Engine, offset: int) -> tuple[list[str], str]:
    """Subjects from the section heading, else from the bill's title ("this section"): its
    topic ("relating to ad valorem tax;"), where it states one, for the rest of a title
    lists every change the bill makes ("... requiring fuel tax decals ...")."""
    for sec in reversed(bill.sections_at(offset)):
        if sec.heading:
            found = eng.subjects_of(sec.heading)
            if found:
                return found, f"the heading of {sec.label}"
    title = bill.meta.title or ""
    topic = _TOPIC.search(title)
    # A title that states a topic is read for it alone; one that does not, whole.
    found = eng.subjects_of(topic.group(1) if topic else title)
    if found:
        return found, "the bill's title"
    return [], ""


def _effect(kinds: tuple[Kind, ...], text: str) -> str | None:
    if set(kinds) & {"field", "express", "nullification"}:
        return "ceiling" if _CEILING.search(text) else "prohibition"
    if "savings" in kinds:
        return "floor" if _FLOOR.search(text) else None
    return None
