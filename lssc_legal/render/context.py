"""What a memo template can say: the analysis as plain fields (strings, lists, dicts).

Templates come from other people and run in a sandbox, so they see only these values,
never the tool's objects. `FIELDS` documents every one (`lssc-legal templates fields`);
a test keeps it and `memo_context` in step.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..analyze.model_language import fee_direction
from ..analyze.principles import subjects_phrase, targets_phrase
from ..ingest.profiles import STATE_BY_CODE
from ..markup import markdown_redline
from ..models import (
    KIND_LABELS,
    MARKUP_PHRASES,
    MECHANISM_LABELS,
    NO_MARKUP,
    PREEMPTIVE,
    SUBJECT_LABELS,
    TARGET_LABELS,
    Analysis,
    Finding,
    Provision,
    RedlineSpan,
    Section,
    join_words,
    pinpoint_range,
    plain_reason,
)

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class Header:
    """The To/From/Date/Re block; empty values are filled with bracketed blanks."""

    to: str = ""
    author: str = ""
    re: str = ""
    cc: str = ""
    date: str = ""


# Every field a template can use, with what it holds. "provisions[]" is a list of dicts.
FIELDS: dict[str, str] = {
    "memo.to": "To line (--to, or the config file)",
    "memo.from": "From line (--author, or the config file)",
    "memo.cc": "Cc line (config file), may be empty",
    "memo.date": "date of the memo, e.g. November 22, 2026",
    "memo.re": "Re line (--re; default: the bill citation and title)",
    "bill.citation": "Bluebook citation, e.g. H.B. 4312, 89th Leg., Reg. Sess. (Tex. 2025)",
    "bill.pinpoints": "printed, counted or mixed: what the page:line pinpoints are",
    "bill.pinpoints_note": "the pinpoints' basis in a sentence, for the memo",
    "bill.pinpoint_heading": "a pinpoint column's heading saying what the pinpoints are: "
    '"Pinpoint (printed page:line)", "Pinpoint (counted lines)"',
    "bill.title": "title or caption of the bill",
    "bill.state": "two-letter state code",
    "bill.state_name": "state name, e.g. Texas",
    "bill.chamber": "house or senate",
    "bill.number": "bill number",
    "bill.session": "legislative session",
    "bill.year": "year",
    "bill.version": "version (introduced, committee substitute, engrossed, enrolled...)",
    "bill.sponsors": 'sponsors, joined with commas ("none printed" when the bill names none)',
    "bill.source": "file the analysis read",
    "bill.format": "pdf, txt, html or docx",
    "bill.pages": "number of pages",
    "bill.length": 'the pages in words: "1 page", "25 pages"',
    "bill.sha256": "SHA-256 of the file, to show which copy was read",
    "bill_sections[]": "each bill section, in order",
    "bill_sections[].label": "e.g. SECTION 2",
    "bill_sections[].pinpoint": "page:line where it begins",
    "bill_sections[].summary": "what it does: enacts, amends or repeals which statute (with its "
    "catchline), its first operative sentence quoted (up to 30 words), the provisions found",
    "bill_sections[].provisions": "how many provisions the analysis found in it",
    "bottom_line": "one paragraph: what the bill preempts, how it enforces it, which principles",
    "recommendation": "drafted recommendation (oppose unless amended, monitor ...)",
    "counts.provisions": "number of provisions found",
    "counts.preemptive": "field, express, conflict or nullification provisions",
    "counts.punitive": "provisions with punitive mechanisms",
    "counts.savings": "savings clauses",
    "counts.high": "high-severity findings",
    "provisions[]": "every provision a named pattern classified, in bill order",
    "provisions[].confidence": "high (a named pattern classified it) or review",
    "provisions[].reason": "why it was listed, in a sentence",
    "provisions[].lead_in": "for a list item: the lead-in it completes, quoted, else empty",
    "provisions[].id": "P1, P2 ... (the JSON id)",
    "provisions[].heading": "e.g. SECTION 1, Sec. 250.0131(a): express preemption",
    "provisions[].section": "citation within the bill, e.g. SECTION 1, Sec. 250.0131(a)",
    "provisions[].pinpoint": "printed page:line range, e.g. 1:8-11",
    "provisions[].cite": "full cite: bill citation, section, at page:line",
    "provisions[].kind": "primary kind, in words (express preemption ...)",
    "provisions[].kinds": "all kinds, in words, joined with commas",
    "provisions[].subjects": "subjects, in words",
    "provisions[].targets": "local governments named, in words",
    "provisions[].effect": "ceiling, floor, prohibition, or empty",
    "provisions[].markup": "new text, struck text, existing law, or partly amended",
    "provisions[].penalties": "punitive mechanisms, in words, or empty",
    "provisions[].quote": "the provision exactly as printed, amendments applied",
    "provisions[].redline": "the provision as printed with its amendment marks (rich text)",
    "provisions[].why": "why the provision matters, in plain prose (the rules' reasons)",
    "provisions[].method": "how the tool found it: rules that fired, tier, reviewer notes",
    "provisions[].comment": "in Word: the mark of a comment holding `method`, placed on the "
    "quote (put it at the end of the quote's paragraph); empty in Markdown",
    "provisions[].principles": "principles it offends, e.g. P1, P3",
    "provisions[].findings[]": "its findings",
    "provisions[].findings[].principle": "P1 ... P4",
    "provisions[].findings[].principle_name": "e.g. Presumption against preemption",
    "provisions[].findings[].severity": "high, medium or low",
    "provisions[].findings[].reason": "the reason, as a sentence",
    "provisions[].findings[].scope": "provision",
    "provisions[].findings[].test": "id of the test in corpus/principles that fired",
    "provisions[].notes": "what a reviewer should know (subjects inferred, struck text...)",
    "review[]": "passages no named pattern classified that each bind a local government "
    "(as provisions[]): kept apart, for the lawyer to read",
    "counts.review": "passages listed for review",
    "preemptive[]": "the field, express, conflict and nullification provisions (as provisions[])",
    "punitive[]": "the provisions with punitive mechanisms (as provisions[])",
    "savings[]": "the savings clauses (as provisions[])",
    "findings[]": "every finding, most severe first",
    "findings[].principle": "P1 ... P4",
    "findings[].principle_name": "name of the principle",
    "findings[].severity": "high, medium or low",
    "findings[].reason": "the reason, as a sentence",
    "findings[].scope": "provision or bill",
    "findings[].test": "id of the test in corpus/principles that fired",
    "bill_findings[]": "findings about the bill as a whole (as findings[])",
    "principles[]": "the home-rule principles applied",
    "principles[].id": "P1 ... P4",
    "principles[].name": "e.g. Local authority",
    "principles[].statement": "the principle, in the corpus's words",
    "principles[].source": "where it comes from",
    "principles[].offended": "yes if any finding cites it, else no",
    "model_matches[]": "provisions that resemble model preemption language",
    "model_matches[].provision": "provision reference (section at page:line)",
    "model_matches[].model": "model id in corpus/model_language",
    "model_matches[].title": "model title",
    "model_matches[].similarity": "share of words in common, e.g. 74%",
    "model_matches[].appeared": "where language of this shape has appeared",
    "model_matches[].diff": "word diff from the model to the bill (rich text)",
    "amendments[]": "recommended amendment language",
    "amendments[].provision": "provision reference (section at page:line)",
    "amendments[].title": "the principled alternative it draws on",
    "amendments[].principles": "principles it serves, e.g. P1, P3",
    "amendments[].rationale": "why, in a sentence",
    "amendments[].redline": "the bill's words struck and inserted (rich text)",
    "amendments[].text": "the provision as it would read if amended",
    "amendments[].drafter_note": "a note when bracketed text is for the drafter, else empty",
    "warnings[]": "what the reader of the bill file warned about",
    "tool.name": "lssc-legal",
    "tool.version": "version that drafted the memo",
    "tool.date": "date of the analysis",
    "comments[]": "the Word comments' texts, comment n at n - 1 (the tool places them)",
}


def memo_context(
    analysis: Analysis,
    header: Header | None = None,
    rich: Callable[[Sequence[RedlineSpan]], Any] = lambda spans: markdown_redline(spans),
    comment_mark: Callable[[int], str] | None = None,
) -> dict[str, Any]:
    """The fields of FIELDS for `analysis`. `rich` turns marked spans into the output's
    rich text (a docxtpl RichText for Word, Markdown for email); `comment_mark` gives the
    mark a Word template places where comment n belongs (`comments` holds their texts),
    none for Markdown, whose method annex says the same."""
    header = header or Header()
    bill, meta = analysis.bill, analysis.bill.meta
    # What the analysis quotes from its corpus: the memo never reads the corpus again.
    principles = analysis.principles
    names = {p.id: p.name for p in principles}
    rules = dict(analysis.rule_rationales)
    by_id = {p.id: p for p in analysis.provisions}
    # A bill that marks nothing (a text dump, a bill of new law printed plain) says nothing
    # of what is new: its text is not "existing law".
    marked = bill.marked
    now = dt.date.today()
    today = header.date or f"{now:%B} {now.day}, {now.year}"
    citation = meta.citation or bill.source

    def finding(f: Finding) -> dict[str, str]:
        return {
            "principle": f.principle,
            "principle_name": names.get(f.principle, f.principle),
            "severity": f.severity,
            "reason": f.summary,
            "scope": f.scope,
            "test": f.test,
        }

    findings = sorted(analysis.findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 3))

    comments: list[str] = []  # comment n is comments[n - 1]

    def provision(p: Provision) -> dict[str, Any]:
        mine = [finding(f) for f in findings if f.scope == "provision" and p.id in f.provisions]
        why = " ".join(dict.fromkeys(_plain_why(rules[r]) for r in p.rules if rules.get(r)))
        why = why or _plain_why(p.rationale)
        how = method(p, rules)
        comments.append(how)
        return {
            "id": p.id,
            "heading": f"{p.section or 'Provision ' + p.id}: {KIND_LABELS[p.kind]}",
            "section": p.section,
            "pinpoint": pinpoint_range(p.start, p.end),
            "cite": f"{citation}, {p.section + ', ' if p.section else ''}at "
            f"{pinpoint_range(p.start, p.end)}",
            "kind": KIND_LABELS[p.kind],
            "kinds": ", ".join(KIND_LABELS[k] for k in p.kinds),
            "subjects": ", ".join(SUBJECT_LABELS.get(s, s) for s in p.subjects),
            "targets": ", ".join(TARGET_LABELS.get(t, t) for t in p.targets),
            "effect": p.effect or "",
            "markup": MARKUP_PHRASES[p.markup] if marked else NO_MARKUP,
            "penalties": ", ".join(_penalty(m, p.text) for m in p.punitive),
            "quote": p.text,
            "redline": rich(p.redline),
            "why": why,
            "principles": ", ".join(p.principles),
            "findings": mine,
            "notes": "; ".join(p.notes),
            "method": how,
            "comment": comment_mark(len(comments)) if comment_mark else "",
            "confidence": p.confidence,
            "reason": _reason(p),
            "lead_in": p.lead_in or "",
        }

    # Two tiers: what a named pattern classified, and what only the structural reading found
    # (a local government bound by a restriction, declaration, sanction or preservation).
    classified = [p for p in analysis.provisions if p.confidence == "high"]
    flagged = [p for p in analysis.provisions if p.confidence == "review"]
    provisions = [provision(p) for p in classified]
    counts = {
        "provisions": len(provisions),
        "preemptive": sum(bool(set(p.kinds) & PREEMPTIVE) for p in classified),
        "punitive": sum(bool(p.punitive) for p in classified),
        "savings": sum("savings" in p.kinds for p in classified),
        "high": sum(f.severity == "high" for f in analysis.findings),
        "review": len(flagged),
    }

    def ref(pid: str) -> str:
        p = by_id[pid]
        last = p.section.split(", ")[-1] if p.section else p.id
        return f"{last} at {pinpoint_range(p.start, p.end)}"

    matches = []
    for m in analysis.model_matches:
        matches.append(
            {
                "provision": ref(m.provision),
                "model": m.model,
                "title": m.title,
                "similarity": f"{round(m.similarity * 100)}%",
                "appeared": m.appeared,
                "diff": rich(m.diff),
            }
        )
    amendments = [
        {
            "provision": ref(a.provision),
            "title": a.title,
            "principles": ", ".join(a.principles),
            "rationale": a.rationale,
            "redline": rich(a.redline),
            "text": a.text,
            "drafter_note": "Bracketed text is for the drafter to complete."
            if "[" in "".join(s.text for s in a.redline if s.mark == "inserted")
            else "",
        }
        for a in analysis.amendments
    ]
    offended = {f.principle for f in analysis.findings}
    return {
        "memo": {
            "to": header.to or "[Recipient]",
            "from": header.author or "[Author]",
            "cc": header.cc,
            "date": today,
            "re": header.re or f"{citation}: {_short(meta.title) or 'Technical Bill Analysis'}",
        },
        "bill": {
            "citation": citation,
            "title": meta.title or "",
            "state": meta.state or "",
            "state_name": STATE_BY_CODE.get(meta.state or "", meta.state or ""),
            "chamber": meta.chamber or "",
            "number": meta.number or "",
            "session": meta.session or "",
            "year": str(meta.year or ""),
            "version": meta.version or "not stated",
            "sponsors": ", ".join(meta.sponsors) or "none printed",
            "source": bill.source,
            "format": bill.format,
            "pages": str(bill.pages),
            "length": f"{bill.pages} page{'s' * (bill.pages != 1)}",
            "sha256": bill.sha256,
            "pinpoints": bill.pinpoints,
            "pinpoints_note": bill.pinpoints_note,
            "pinpoint_heading": {
                "printed": "Pinpoint (printed page:line)",
                "counted": "Pinpoint (counted lines)",
            }.get(bill.pinpoints, "Pinpoint (page:line; some counted)"),
        },
        "bill_sections": _bill_sections(analysis),
        "bottom_line": _bottom_line(analysis, citation),
        "recommendation": _recommendation(analysis),
        "counts": {k: str(v) for k, v in counts.items()},
        "provisions": provisions,
        "preemptive": [
            d for d, p in zip(provisions, classified, strict=True) if set(p.kinds) & PREEMPTIVE
        ],
        "punitive": [d for d, p in zip(provisions, classified, strict=True) if p.punitive],
        "savings": [d for d, p in zip(provisions, classified, strict=True) if "savings" in p.kinds],
        "review": [provision(p) for p in flagged],
        "findings": [finding(f) for f in findings],
        "bill_findings": [finding(f) for f in findings if f.scope == "bill"],
        "principles": [
            {
                "id": p.id,
                "name": p.name,
                "statement": p.statement,
                "source": p.source,
                "offended": "yes" if p.id in offended else "no",
            }
            for p in principles
        ],
        "model_matches": matches,
        "amendments": amendments,
        "warnings": list(bill.warnings),
        "tool": {"name": "lssc-legal", "version": analysis.tool_version, "date": today},
        "comments": comments,
    }


def _short(title: str | None, words: int = 30) -> str:
    """The title for the RE line: its first `words` words, ending at a clause where one ends
    near there ("relating to immigration; making the smuggling ... unlawful; …"); the whole
    title stands under "Summary of the bill"."""
    if not title:
        return ""
    split = title.split()
    if len(split) <= words:
        return title
    cut = " ".join(split[:words])
    clause = cut.rfind(";")
    if clause > len(cut) // 2:
        cut = cut[:clause]
    return cut.rstrip(" ,;:") + " \u2026"


_EFFECTIVE = "Sets the effective date"
# What a bill section's instruction does to the law, in the order they are tried.
_ACTIONS = (
    (re.compile(r"\brepealed\b.{0,200}\benacted in lieu\b", re.I | re.S), "Repeals and reenacts"),
    # A whole new section, chapter or article; "by adding subsection (5)" amends a section.
    (re.compile(r"\bNEW LAW\b|\bis created\b|\bare created\b|\bby adding (?:a new |the "
                r"following new )?(?:section|sections|chapter|article|part)\b", re.I), "Enacts"),
    (re.compile(r"\bis amended\b|\bare amended\b|\bAMENDATORY\b|\bamended to read\b|"
                r"\bis added to\b|\bare added to\b|\bby adding\b", re.I), "Amends"),
    (re.compile(r"\bis repealed\b|\bare repealed\b|\bis hereby repealed\b", re.I), "Repeals"),
    # "This Act takes effect September 1, 2025": a section about when the act applies.
    (re.compile(r"^\W*(?:SECTION|Section|Sec\.)\s*[\w.]+\s+(?:This|The)\s+(?:Act|act)\b[^.]{0,200}?"
                r"\b(?:take|takes|shall take|shall become|becomes) effect(?:ive)?\b"), _EFFECTIVE),
)  # fmt: skip
# A list item's tail, not a sentence: "Has probable cause to believe ...", "Is not open".
_FRAGMENT = re.compile(r"^(?:Has|Have|Is|Are|Was|Were|Shall|May|Must|Does|Do|[a-z])\b")
_INSTRUCTION_END = re.compile(
    r"\b(?:to read(?: as follows)?|reads as follows|read as follows|as follows)\s*:", re.I
)
_OPERATIVE = re.compile(r"\b(?:shall|may|must|is|are)\b(?: not)?", re.I)
# Not what a section does: definitions, findings, statements of intent.
_DEFINITION = re.compile(
    r"\bAs used in\b|\bmeans\b|\bthe following (?:words|terms)|\bLegislature finds\b|"
    r"\bintent of the Legislature\b|\bThe General Assembly finds\b",
    re.I,
)
# The statute an instruction names: "as Section 211 of Title 22", "Section 7-51-2001".
_STATUTE = re.compile(
    r"\b(?:[Ss]ections?|Sec\.|\u00a7\u00a7?)\s*(\d[\w.:-]*\w(?:\s+of\s+Title\s+\d+)?"
    r"(?:(?:,\s*|,?\s+and\s+)\d[\w.:-]*\w)*)"
)
# A catchline as Florida prints it: "943.0536 Enforcement of immigration laws.—".
_CATCHLINE = re.compile(r"^\s*[\d.-]+[A-Za-z]?\.?\s+([A-Z][^\n]{2,150}?)\.\s*[-\u2014\u2013]")


def _bill_sections(analysis: Analysis) -> list[dict[str, str]]:
    """A line for each bill section (each code section where one bill section holds
    several, as Missouri's "Section A" does): what it does to the law (enacts, amends,
    repeals), the statute and its catchline, its first operative sentence quoted, and the
    provisions found in it."""
    bill = analysis.bill
    tops = [s for s in bill.sections if s.level == "bill_section"]
    codes = [s for s in bill.sections if s.level == "code_section"]
    units: list[tuple[str, Section, Section | None]] = []  # (label, bill section, code section)
    for s in tops:
        inside = [c for c in codes if s.start <= c.start < s.end]
        if len(inside) > 1:
            units += [(f"{s.label}, {c.label}", s, c) for c in inside]
        else:
            units.append((s.label, s, inside[0] if inside else None))
    out = []
    for label, top, code in units:
        start, end = (code.start, code.end) if code is not None else (top.start, top.end)
        text = re.sub(r"\s+", " ", _reading(analysis, start, end)).strip()
        text = re.sub(r" +([,.;:)])", r"\1", text)
        before = code.start if code is not None else top.end
        instruction = re.sub(r"\s+", " ", _reading(analysis, top.start, before))
        found = [p for p in analysis.provisions if start <= p.offsets[0] < end]
        out.append(
            {
                "label": label,
                "pinpoint": str(bill.pinpoint(start)),
                "summary": _section_line(instruction, text, code, found),
                "provisions": str(len(found)),
            }
        )
    return out


def _section_line(
    instruction: str, text: str, code: Section | None, found: Sequence[Provision]
) -> str:
    """ "Enacts § 943.0536 (Enforcement of immigration laws): “An official ... may not
    limit ...” Provisions: express preemption (1)." """
    head = instruction[:600]
    action = next((verb for pattern, verb in _ACTIONS if pattern.search(head)), "")
    parts = []
    body = text
    if code is not None:
        catchline = code.heading or ""
        m = _CATCHLINE.match(text)
        if m:
            catchline = catchline or m.group(1)
            body = text[m.end() :]
        what = f"{code.label}" + (f" ({catchline.strip().rstrip('.')})" if catchline else "")
        parts.append(f"{action}." if action == _EFFECTIVE else f"{action or 'Sets out'} {what}.")
    elif action:
        label = head.split(".", 1)[0]
        named = _STATUTE.search(head[len(label) :]) if action != _EFFECTIVE else None
        if named:
            several = re.search(r",|\band\b", named.group(1))
            parts.append(f"{action} section{'s' * bool(several)} {named.group(1)}.")
        else:
            parts.append(f"{action}.")
    end = _INSTRUCTION_END.search(body[:800])
    if end and code is None:
        body = body[end.end() :]
    sentences = [
        re.sub(r"\s+(?:\d{1,2}|[a-z]|\(\w{1,4}\))\.?$", "", x)  # a list's next number
        for x in re.split(r"(?<=[.;:])\s+(?=[A-Z(\d])", body)
    ]
    operative = next(
        (x for x in sentences if _OPERATIVE.search(x) and not _DEFINITION.search(x)
         and len(x.split()) >= 5 and not _FRAGMENT.match(x)),
        "",
    )  # fmt: skip
    if action == _EFFECTIVE:
        clause = re.sub(r"^\W*(?:SECTION|Section|Sec[.])\s*[\w.]+?[.]\s*", "", head)
        first = re.match(r".*?[.](?=\s)", clause + " ")
        clause = first.group(0) if first else clause.rstrip() + "."
        parts.append(f"\u201c{clause}\u201d")
    elif operative:
        words = operative.split()
        quoted = " ".join(words[:30]) + (" \u2026" if len(words) > 30 else "")
        parts.append(f"\u201c{quoted.rstrip(';:')}\u201d")
    elif not parts:
        words = body.split()
        parts.append(" ".join(words[:30]) + (" \u2026" if len(words) > 30 else ""))
    classified = _kind_counts([p for p in found if p.confidence == "high"])
    review = _kind_counts([p for p in found if p.confidence == "review"])
    if classified or review:
        also = f"also worth a look: {review}" if review else ""
        listed = "; ".join(x for x in (classified, also) if x)
        parts.append(f"Provisions: {listed}.")
    else:
        parts.append("No provision found.")
    return " ".join(parts)


def _kind_counts(found: Sequence[Provision]) -> str:
    kinds: dict[str, int] = {}
    for p in found:
        kinds[KIND_LABELS[p.kind]] = kinds.get(KIND_LABELS[p.kind], 0) + 1
    return ", ".join(f"{k} ({n})" for k, n in kinds.items())


def _reading(analysis: Analysis, start: int, end: int) -> str:
    bill = analysis.bill
    text = "".join(
        bill.text[s.start : s.end] for s in bill.spans_in(start, end) if s.mark != "deleted"
    )
    return re.sub(r"-\n\s*", "-", text)


def _reason(p: Provision) -> str:
    """Why the provision is listed, for the reader of the memo: the rule's reason, or, for a
    review item, who it binds and what it does to them (the section's introduction says
    once that no rule classified these)."""
    if p.confidence == "review":
        return "Why listed: " + plain_reason(p.rationale) + "."
    return p.rationale


# A rule's reason that opens with the formula it matches ("\"No county ... shall ...\"
# forbids local action"): in a memo the formula is not the bill's words, so it is not quoted.
_FORMULA = re.compile(r'^(?:"[^"]*"(?:,\s*|\s+or\s+|\s+and\s+)?)+\s*')


def _plain_why(rationale: str) -> str:
    return _FORMULA.sub("The provision ", rationale) if rationale.startswith('"') else rationale


def method(p: Provision, rules: dict[str, str]) -> str:
    """How the tool found a provision, for a Word comment or the method annex: the rules
    that fired, the tier, the reading's reason and the reviewer's notes."""
    named = ", ".join(p.rules) or "none"
    if p.confidence == "high":
        parts = [f"Classified by the named rule{'s' * (len(p.rules) != 1)} {named}."]
    else:
        parts = [f"Listed for review: no named rule matched; the structural reading ({named}) "
                 "found that it binds a local government."]  # fmt: skip
        if p.rationale:
            parts.append(f"Reading: {p.rationale}.")
    if p.notes:
        parts.append("Notes: " + "; ".join(p.notes) + ".")
    parts.append(f"(Provision {p.id} of the JSON output.)")
    return " ".join(parts)


def _bottom_line(analysis: Analysis, citation: str) -> str:
    review = [p for p in analysis.provisions if p.confidence == "review"]
    line = _classified_line(analysis, citation, [p for p in review if p.markup != "deleted"])
    if review:
        # Each review item counted once, under its primary kind, so the parts add up.
        groups = [
            (sum(p.kind in PREEMPTIVE and p.markup != "deleted" for p in review),
             "may limit or displace local authority"),
            (sum(p.kind == "punitive" and p.markup != "deleted" for p in review),
             "may sanction a locality or its officials"),
            (sum(p.kind == "savings" and p.markup != "deleted" for p in review),
             "may preserve local authority"),
        ]  # fmt: skip
        what = [f"{n} that {label}" for n, label in groups if n]
        struck = sum(p.markup == "deleted" for p in review)
        if struck:
            what.append(f"{struck} in text the bill strikes")
        n = len(review)
        line += (
            f" A further {n} passage{'s' if n != 1 else ''} "
            f"appear{'s' if n == 1 else ''} to bind local government but could not be "
            f"classified with confidence ({join_words(what)}); "
            f"{'each is' if n != 1 else 'it is'} listed under \u201cAlso worth a look\u201d and "
            "must be read before this analysis is relied on."
        )
    return line


def _classified_line(analysis: Analysis, citation: str, review: Sequence[Provision]) -> str:
    everything = [p for p in analysis.provisions if p.confidence == "high"]
    provisions = [p for p in everything if p.markup != "deleted"]
    if not everything and review:
        return (
            f"No provision of {citation} could be classified with confidence as preempting, "
            "voiding, punishing or saving local authority."
        )
    if not everything:
        return (
            f"This analysis found no provision of {citation} that preempts, voids, punishes or "
            "saves local authority. That is not a finding that the bill is harmless: the bill "
            "should be read in full before this analysis is relied on."
        )
    # An amendatory bill reprints existing law: say what it adds apart from what it keeps.
    amendatory = analysis.bill.marked
    written = [not amendatory or mostly_new(p) for p in provisions]
    new = [p for p, w in zip(provisions, written, strict=True) if w]
    kept = [p for p, w in zip(provisions, written, strict=True) if not w]
    parts = []
    new_pre = [p for p in new if set(p.kinds) & PREEMPTIVE]
    kept_pre = [p for p in kept if set(p.kinds) & PREEMPTIVE]
    if new_pre:
        parts.append(
            f"{citation} would preempt local authority over {_scope(new_pre)}"
            + (" (new or amended text)." if amendatory else ".")
        )
    if kept_pre:
        lead = "It" if parts else citation
        parts.append(
            f"{lead} reprints, and leaves in place, existing preemption of {_scope(kept_pre)}."
        )
    if not new_pre and not kept_pre:
        if any(set(p.kinds) & PREEMPTIVE for p in review):
            parts.append(
                f"No provision of {citation} could be classified with confidence as preempting "
                "local authority."
            )
        else:
            parts.append(f"{citation} contains no provision that itself preempts local authority.")
    added, kept_tools = _mechanisms(new), _mechanisms(kept)
    if added and not amendatory:
        parts.append(f"It backs the preemption with {added}.")
    elif added and kept_pre and not new_pre:
        parts.append(f"It backs that existing preemption with new penalties: {added}.")
    elif added:
        parts.append(f"It adds {added} (new or amended text).")
    if kept_tools:
        parts.append(f"The existing law it reprints already provides {kept_tools}.")
    repealed = [p for p in everything if p.markup == "deleted"]
    struck_preemption = [p for p in repealed if set(p.kinds) & PREEMPTIVE]
    if struck_preemption:
        parts.append(
            f"It strikes {len(struck_preemption)} preemptive provision"
            f"{'s' if len(struck_preemption) != 1 else ''} of existing law; check whether that "
            "restores local authority or only tidies the code."
        )
    elif repealed:
        parts.append(
            f"It strikes {len(repealed)} provision{'s' if len(repealed) != 1 else ''} of "
            "existing law."
        )
    offended = sorted({f.principle for f in analysis.findings})
    high = sum(f.severity == "high" for f in analysis.findings)
    if offended:
        names = {p.id: p.name for p in analysis.principles}
        named = join_words([f"{names[i].lower()} ({i})" if i in names else i for i in offended])
        parts.append(
            f"It runs against the home-rule principles of {named}, set out at the end of this "
            f"memo ({high} high-severity finding{'s' if high != 1 else ''})."
        )
    return " ".join(parts)


def _penalty(mechanism: str, text: str) -> str:
    """A mechanism in words; fee-shifting says whom it pays ("attorney-fee shifting
    (one-way: only to the side suing the locality)")."""
    label = MECHANISM_LABELS.get(mechanism, mechanism)
    if mechanism == "fee_shifting":
        direction = fee_direction(text)
        if direction == "one-way":
            return f"{label} (one-way: only to the side suing the locality)"
        if direction == "two-way":
            return f"{label} (to whichever party prevails)"
    return label


def mostly_new(p: Provision) -> bool:
    """Whether a provision is the bill's new law: new text, or existing text the bill
    rewrites in good part (at least 40% of its words inserted). Existing law with a word
    or a figure changed ("fifty thousand dollars" to "$50,000") is existing law amended, and
    its penalties are not new."""
    if p.markup == "inserted":
        return True
    if p.markup != "mixed":
        return False
    inserted = sum(len(s.text.split()) for s in p.redline if s.mark == "inserted")
    kept = sum(len(s.text.split()) for s in p.redline if s.mark == "unchanged")
    return inserted >= 0.4 * (inserted + kept)


def _mechanisms(provisions: Sequence[Provision]) -> str:
    """The punitive mechanisms of `provisions`, in words, each once ("" when none)."""
    found: list[str] = []
    for p in provisions:
        found += [m for m in p.punitive if m not in found]
    return join_words([MECHANISM_LABELS.get(m, m) for m in found])


def _scope(provisions: Sequence[Provision]) -> str:
    """ "employment leave (express preemption: 2), reaching counties": what and whom."""
    subjects: list[str] = []
    targets: list[str] = []
    kinds: dict[str, int] = {}
    for p in provisions:
        subjects += [s for s in p.subjects if s not in subjects]
        targets += [t for t in p.targets if t not in targets]
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    how = ", ".join(f"{KIND_LABELS[k]}: {n}" for k, n in kinds.items())
    return f"{subjects_phrase(subjects)} ({how}), reaching {targets_phrase(targets)}"


def _recommendation(analysis: Analysis) -> str:
    high = sum(f.severity == "high" for f in analysis.findings)
    if high and analysis.amendments:
        return (
            "Draft recommendation for attorney review: oppose unless amended; the recommended "
            "amendments below answer the high-severity findings."
        )
    if high:
        return "Draft recommendation for attorney review: oppose."
    if analysis.findings:
        return "Draft recommendation for attorney review: seek the amendments below; monitor."
    return "Draft recommendation for attorney review: monitor."


def flatten(context: dict[str, Any], prefix: str = "") -> set[str]:
    """The field names of a context, as FIELDS writes them ("provisions[].quote")."""
    names: set[str] = set()
    for key, value in context.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            names |= flatten(value, name + ".")
        elif isinstance(value, list):
            names.add(name + "[]")
            for item in value:
                if isinstance(item, dict):
                    names |= flatten(item, name + "[].")
        else:
            names.add(name)
    return names
