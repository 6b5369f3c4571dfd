"""The vocabulary of the pipeline: every dataclass the stages pass between them.

Offsets (`start`, `end`) always point into `Bill.text`; only the Bill maps them back to
printed page and line, so that every later stage can pinpoint what it quotes.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Mark = Literal["inserted", "deleted", "unchanged"]
MARKS: tuple[Mark, ...] = ("inserted", "deleted", "unchanged")

# How a line got its number. A lawyer cites a "printed" number with confidence; an
# "inferred" number fills a gap the printer left (Missouri omits the 1 on a section's first
# line); "counted" numbers are used only for bills printed without margin numbers.
LineSource = Literal["printed", "inferred", "counted", "none"]
SectionLevel = Literal["bill_section", "code_section", "subsection"]


@dataclass(frozen=True)
class Span:
    """A run of text with one amendment mark."""

    start: int
    end: int
    mark: Mark


@dataclass(frozen=True)
class Line:
    """One printed line of bill text."""

    page: int
    number: int | None
    number_source: LineSource
    start: int
    end: int


@dataclass(frozen=True)
class Pinpoint:
    page: int
    line: int | None

    def __str__(self) -> str:
        return f"{self.page}:{self.line}" if self.line is not None else f"{self.page}"

    def to_dict(self) -> dict[str, int | None]:
        return {"page": self.page, "line": self.line}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Pinpoint:
        return cls(int(d["page"]), None if d.get("line") is None else int(d["line"]))


def natural_key(text: str) -> list[object]:
    """Sort key for names with numbers in them: "HB2" before "HB10"."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text)]


def join_words(words: Sequence[str], last: str = "and") -> str:
    """ "a and b", "a, b, and c" (or "or")."""
    if len(words) <= 2:
        return f" {last} ".join(words)
    return ", ".join(words[:-1]) + f", {last} {words[-1]}"


def plain_reason(rationale: str) -> str:
    """A review item's reason in a lawyer's words: who the passage binds and what it does
    to them ("the passage binds a county and limits it ('may not levy')"); the reading's
    own terms (its parenthesised cue reasons) go to the method note."""
    said = re.sub(r"\s*\((?!')(?:[^()]|\([^()]*\))*\)$", "", rationale).strip()
    parts = []
    for part in said.split(" / "):
        part = re.sub(r": '([^']+)'", r" ('\1')", part)
        part = part.replace(
            "the local government its section binds",
            "the local government that its section governs",
        )
        parts.append(re.sub(r"^binds (.+?); ", r"binds \1 and ", part))
    return "the passage " + "; it also ".join(dict.fromkeys(parts))


def pinpoint_range(start: Pinpoint, end: Pinpoint) -> str:
    """ "1:20-24" or "1:20-2:3" as a lawyer writes a pinpoint."""
    if start.page == end.page:
        if start.line == end.line or start.line is None or end.line is None:
            return str(start) if start.line is not None else str(end)
        return f"{start.page}:{start.line}-{end.line}"
    return f"{start}-{end}"


@dataclass(frozen=True)
class Section:
    """A bill section ("SECTION 2"), code section ("Sec. 250.0131") or subsection ("(b)")."""

    label: str
    level: SectionLevel
    start: int
    end: int
    depth: int = 0  # nesting of subsections: (a) is 1, (1) is 2, (A) is 3 ...
    heading: str = ""


@dataclass(frozen=True)
class Furniture:
    """Printed matter that is not bill text: margin numbers, running heads, legends."""

    page: int
    kind: Literal["header", "footer", "page_number", "legend", "drafting_code", "ornament"]
    text: str


@dataclass(frozen=True)
class BillMeta:
    state: str | None = None
    chamber: Literal["house", "senate"] | None = None
    number: str | None = None
    session: str | None = None
    year: int | None = None
    version: str | None = None
    title: str | None = None
    sponsors: tuple[str, ...] = ()
    citation: str | None = None
    bill_type: str = "bill"  # bill, joint resolution, concurrent resolution ...


@dataclass(frozen=True)
class Bill:
    """A bill as printed: text, amendment markup, printed pinpoints, structure, metadata."""

    source: str
    sha256: str
    format: Literal["pdf", "txt", "html", "docx"]
    pages: int
    text: str
    lines: tuple[Line, ...]
    spans: tuple[Span, ...]
    sections: tuple[Section, ...]
    meta: BillMeta
    profile: str
    furniture: tuple[Furniture, ...] = ()
    warnings: tuple[str, ...] = ()
    # Caches, made fresh for each Bill (also one made by dataclasses.replace, which would
    # otherwise share them with the original and fill them twice).
    _line_starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    _span_starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    _cuts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    _covering: list[tuple[Section, ...]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._line_starts.extend(line.start for line in self.lines)
        self._span_starts.extend(span.start for span in self.spans)

    # -- pinpoints -----------------------------------------------------------------

    def line_at(self, offset: int) -> Line:
        """The printed line that holds the character at `offset`."""
        if not self.lines:
            raise ValueError("bill has no lines")
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return self.lines[max(i, 0)]

    def pinpoint(self, offset: int) -> Pinpoint:
        line = self.line_at(offset)
        return Pinpoint(line.page, line.number)

    @property
    def marked(self) -> bool:
        """Whether the document marks inserted or deleted text anywhere: a text dump that
        lost its underlines, or a bill printed plain, says nothing of what is new."""
        return any(s.mark != "unchanged" for s in self.spans)

    @property
    def pinpoints(self) -> Literal["printed", "counted", "mixed"]:
        """What the page:line pinpoints are: the numbers the bill prints (a number the
        printer left out inferred), lines counted because the document prints none, or
        both."""
        sources = {line.number_source for line in self.lines if line.number is not None}
        if sources <= {"printed", "inferred"}:
            return "printed"
        return "counted" if sources == {"counted"} else "mixed"

    @property
    def pinpoints_note(self) -> str:
        """The pinpoints' basis, in words a lawyer reads."""
        if (
            self.pinpoints == "printed"
            and self.pages == 1
            and self.format != "pdf"
            and max((line.number or 0 for line in self.lines), default=0) > 40
        ):
            # Florida Senate HTML: line numbers run through the whole bill, no page breaks
            # (more numbered lines than a printed page holds).
            return (
                "The document prints line numbers but no page breaks: pinpoints read "
                '1:line, where 1 is not a printed page; cite them by line ("line 407").'
            )
        return {
            "printed": "Pinpoints are the page and line numbers the bill prints.",
            "counted": (
                "This document prints no line numbers: pinpoints count its lines (page:line "
                "as read), not printed numbers; check them against the printed bill."
            ),
            "mixed": (
                "Pinpoints are printed page and line numbers where the document prints them "
                "and counted lines elsewhere; check them against the printed bill."
            ),
        }[self.pinpoints]

    # -- markup --------------------------------------------------------------------

    def mark_at(self, offset: int) -> Mark:
        i = bisect.bisect_right(self._span_starts, offset) - 1
        if 0 <= i < len(self.spans) and self.spans[i].start <= offset < self.spans[i].end:
            return self.spans[i].mark
        return "unchanged"

    def spans_in(self, start: int, end: int) -> list[Span]:
        """The spans of text[start:end], clipped to it, in printed order."""
        i = max(bisect.bisect_right(self._span_starts, start) - 1, 0)
        out: list[Span] = []
        for span in self.spans[i:]:
            if span.start >= end:
                break
            lo, hi = max(span.start, start), min(span.end, end)
            if lo < hi:
                out.append(Span(lo, hi, span.mark))
        return out

    def reading_text(self) -> str:
        """The text as it would read if enacted: deleted spans dropped."""
        parts = [self.text[s.start : s.end] for s in self.spans if s.mark != "deleted"]
        return _tidy_reading("".join(parts))

    # -- structure -----------------------------------------------------------------

    def sections_at(self, offset: int) -> list[Section]:
        """Every section containing `offset`, outermost first."""
        if not self._cuts:
            self._index_sections()
        i = bisect.bisect_right(self._cuts, offset) - 1
        return list(self._covering[i]) if 0 <= i < len(self._covering) else []

    def _index_sections(self) -> None:
        """Cut the text where any section starts or ends; between two cuts the same
        sections hold, so each stretch keeps its list (sections_at is asked thousands of
        times a bill)."""
        order = {"bill_section": 0, "code_section": 1, "subsection": 2}
        cuts = sorted({0, *(s.start for s in self.sections), *(s.end for s in self.sections)})
        starts = sorted(self.sections, key=lambda s: s.start)
        covering: list[tuple[Section, ...]] = []
        k = 0
        open_: list[Section] = []
        for cut in cuts:
            while k < len(starts) and starts[k].start <= cut:
                open_.append(starts[k])
                k += 1
            open_ = [s for s in open_ if s.end > cut]
            covering.append(tuple(sorted(open_, key=lambda s: (order[s.level], s.depth, s.start))))
        self._cuts.extend(cuts)
        self._covering.extend(covering)

    def cite(self, offset: int) -> str:
        """Where `offset` sits, as a lawyer writes it: "SECTION 2, Sec. 250.0131(b)(1)"."""
        parts: list[str] = []
        code = ""
        for s in self.sections_at(offset):
            if s.level == "subsection":
                code += s.label
            elif s.level == "code_section":
                code = s.label
            else:
                parts.append(s.label)
        if code:
            parts.append(code)
        return ", ".join(parts)

    def to_dict(self, *, include_text: bool = True) -> dict[str, Any]:
        meta = asdict(self.meta)
        meta["sponsors"] = list(self.meta.sponsors)
        out: dict[str, Any] = {
            "schema": "lssc-legal/bill/1",
            "source": self.source,
            "sha256": self.sha256,
            "format": self.format,
            "pages": self.pages,
            "profile": self.profile,
            **meta,
            "pinpoints": self.pinpoints,
            "marked": self.marked,
            "warnings": list(self.warnings),
            "sections": [
                {
                    "label": s.label,
                    "level": s.level,
                    "depth": s.depth,
                    "heading": s.heading,
                    "cite": self.cite(s.start),
                    "start": self.pinpoint(s.start).to_dict(),
                }
                for s in self.sections
            ],
        }
        if include_text:
            out["lines"] = [
                {
                    "page": ln.page,
                    "line": ln.number,
                    "source": ln.number_source,
                    "spans": [
                        {"text": self.text[s.start : s.end], "mark": s.mark}
                        for s in self.spans_in(ln.start, ln.end)
                    ],
                }
                for ln in self.lines
            ]
        return out


_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCT = re.compile(r" +([,.;:)\]])")


def _tidy_reading(text: str) -> str:
    """Close the gaps deleted words leave behind ("a  tax" -> "a tax", "law ." -> "law.")."""
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return "\n".join(line.strip() for line in text.split("\n"))


# -- analysis ---------------------------------------------------------------------------

Kind = Literal["field", "express", "conflict", "nullification", "punitive", "savings"]
KINDS: tuple[Kind, ...] = ("field", "express", "conflict", "nullification", "punitive", "savings")
# The kinds that displace local law themselves (punitive and savings qualify it).
PREEMPTIVE = frozenset({"field", "express", "conflict", "nullification"})
ProvisionMarkup = Literal["inserted", "deleted", "unchanged", "mixed"]
Confidence = Literal["high", "review"]
MECHANISMS: tuple[str, ...] = (
    "official_fine", "official_removal", "official_criminal", "no_public_defense",
    "no_good_faith_defense", "entity_liability", "funding_withheld", "fee_shifting",
    "private_action", "ag_enforcement", "immunity_waived", "injunction",
    "enforcement_suspended",
)  # fmt: skip
SUBJECTS: tuple[str, ...] = (
    "labor.wages", "labor.leave", "labor.scheduling", "labor.benefits", "labor.safety",
    "labor.hiring", "labor.other", "firearms", "housing.rent", "housing.tenants",
    "housing.zoning", "housing.short_term_rental", "environment.plastics",
    "environment.energy", "environment.other", "health.tobacco", "health.nutrition",
    "health.emergency", "technology.broadband", "transport.rideshare", "civil_rights",
    "immigration", "public_safety.police", "elections", "fiscal", "governance", "general",
)  # fmt: skip

# The markup of a provision in a bill that marks nothing (`Bill.marked` is false).
NO_MARKUP = "no markup printed"
# The words for markup: short, for appendix columns and `query --markup` ("new"), and as a
# memo says them ("new text").
MARKUP_WORDS: dict[str, str] = {
    "inserted": "new", "unchanged": "existing", "deleted": "struck", "mixed": "amended"
}  # fmt: skip
MARKUP_PHRASES: dict[str, str] = {
    "inserted": "new text",
    "deleted": "struck text (repealed)",
    "unchanged": "existing law",
    "mixed": "partly amended",
}
# How a memo names each term of the vocabulary, in a lawyer's words.
KIND_LABELS: dict[str, str] = {
    "field": "field preemption",
    "express": "express preemption",
    "conflict": "conflict preemption",
    "nullification": "nullification",
    "punitive": "punitive preemption",
    "savings": "savings clause",
}
MECHANISM_LABELS: dict[str, str] = {
    "official_fine": "fines on local officials",
    "official_removal": "removal of local officials from office",
    "official_criminal": "criminal penalties for local officials",
    "no_public_defense": "no public funds for the defense",
    "no_good_faith_defense": "no good-faith defense",
    "entity_liability": "damages or penalties against the locality",
    "funding_withheld": "funds due to the locality withheld",
    "fee_shifting": "attorney-fee shifting",
    "private_action": "private suits against the locality",
    "ag_enforcement": "attorney-general enforcement",
    "immunity_waived": "immunity waived",
    "injunction": "mandatory invalidation or injunction",
    "enforcement_suspended": "enforcement suspended on challenge",
}
SUBJECT_LABELS: dict[str, str] = {
    "labor.wages": "wages",
    "labor.leave": "employment leave",
    "labor.scheduling": "work scheduling",
    "labor.benefits": "employee benefits",
    "labor.safety": "workplace safety (heat, water, rest)",
    "labor.hiring": "hiring (ban the box)",
    "labor.other": "other labor standards",
    "firearms": "firearms",
    "housing.rent": "rent regulation",
    "housing.tenants": "landlord-tenant relations",
    "housing.zoning": "zoning and land use",
    "housing.short_term_rental": "short-term rentals",
    "environment.plastics": "plastics and containers",
    "environment.energy": "energy sources",
    "environment.other": "environmental regulation",
    "health.tobacco": "tobacco",
    "health.nutrition": "nutrition",
    "health.emergency": "public-health emergencies",
    "technology.broadband": "broadband",
    "transport.rideshare": "ride-sharing",
    "civil_rights": "nondiscrimination",
    "immigration": "immigration enforcement",
    "public_safety.police": "policing",
    "elections": "elections",
    "fiscal": "local revenue and spending",
    "governance": "local government structure",
    "general": "whole codes or all fields",
}
TARGET_LABELS: dict[str, str] = {
    "municipality": "municipalities",
    "county": "counties",
    "political_subdivision": "political subdivisions",
    "school_district": "school districts",
    "special_district": "special districts",
    "local_official": "local officials",
}
PRINCIPLES: tuple[str, ...] = ("P1", "P2", "P3", "P4")
SEVERITIES: tuple[str, ...] = ("high", "medium", "low")


@dataclass(frozen=True)
class RedlineSpan:
    text: str
    mark: Mark


@dataclass(frozen=True)
class Provision:
    """One sentence or enumerated subsection that preempts, voids, punishes or saves."""

    id: str
    kind: Kind
    kinds: tuple[Kind, ...]
    punitive: tuple[str, ...]
    subjects: tuple[str, ...]
    targets: tuple[str, ...]
    effect: str | None  # ceiling, floor, prohibition
    markup: ProvisionMarkup
    text: str
    redline: tuple[RedlineSpan, ...]
    section: str
    start: Pinpoint
    end: Pinpoint
    rules: tuple[str, ...]
    principles: tuple[str, ...] = ()
    # Why a lawyer should look twice: "subjects taken from the section heading", ...
    notes: tuple[str, ...] = ()
    offsets: tuple[int, int] = (0, 0)  # into Bill.text, for later stages
    # "high": a named pattern classified it; "review": the structural reading found a local
    # government bound by a restriction, declaration, sanction or preservation that no named
    # pattern classified. Review items are reported apart, never dropped.
    confidence: Confidence = "high"
    rationale: str = ""  # why it was reported, in a sentence a lawyer reads
    lead_in: str | None = None  # for an enumerated item: the lead-in it completes

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "kinds": list(self.kinds),
            "punitive": list(self.punitive),
            "subjects": list(self.subjects),
            "targets": list(self.targets),
            "effect": self.effect,
            "markup": self.markup,
            "text": self.text,
            "redline": [{"text": r.text, "mark": r.mark} for r in self.redline],
            "section": self.section,
            "start": self.start.to_dict(),
            "end": self.end.to_dict(),
            "rules": list(self.rules),
            "principles": list(self.principles),
            "notes": list(self.notes),
            "confidence": self.confidence,
            "rationale": self.rationale,
            "lead_in": self.lead_in,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Provision:
        """A provision from its JSON (an analysis kept in a store); what an analysis of an
        older version did not write takes its default."""
        return cls(
            id=d["id"],
            kind=d["kind"],
            kinds=tuple(d.get("kinds") or [d["kind"]]),
            punitive=tuple(d.get("punitive", ())),
            subjects=tuple(d.get("subjects", ())),
            targets=tuple(d.get("targets", ())),
            effect=d.get("effect"),
            markup=d.get("markup", "unchanged"),
            text=d["text"],
            redline=tuple(RedlineSpan(r["text"], r["mark"]) for r in d.get("redline", ())),
            section=d.get("section") or "",
            start=Pinpoint.from_dict(d["start"]),
            end=Pinpoint.from_dict(d["end"]),
            rules=tuple(d.get("rules", ())),
            principles=tuple(d.get("principles", ())),
            notes=tuple(d.get("notes", ())),
            confidence=d.get("confidence", "high"),
            rationale=d.get("rationale", ""),
            lead_in=d.get("lead_in"),
        )


@dataclass(frozen=True)
class Finding:
    """A provision (or the bill as a whole) weighed against one home-rule principle."""

    principle: str
    provisions: tuple[str, ...]
    severity: str  # high, medium, low
    summary: str  # the reason, as a lawyer would write it
    test: str = ""  # the id of the test in corpus/principles that fired ("P3.field")
    scope: Literal["provision", "bill"] = "provision"

    def to_dict(self) -> dict[str, Any]:
        return {
            "principle": self.principle,
            "provisions": list(self.provisions),
            "severity": self.severity,
            "summary": self.summary,
            "test": self.test,
            "scope": self.scope,
        }


@dataclass(frozen=True)
class ModelMatch:
    """A provision beside the nearest model provision of corpus/model_language."""

    provision: str
    model: str
    title: str
    family: Literal["preemption", "alternative"]
    similarity: float  # share of words the two have in common, in order (0 to 1)
    diff: tuple[RedlineSpan, ...]  # from the model (deleted) to the bill (inserted)
    appeared: str = ""  # where the model language has appeared, in the corpus's words

    def to_dict(self) -> dict[str, Any]:
        return {
            "provision": self.provision,
            "model": self.model,
            "title": self.title,
            "family": self.family,
            "similarity": self.similarity,
            "appeared": self.appeared,
            "diff": [{"text": r.text, "mark": r.mark} for r in self.diff],
        }


@dataclass(frozen=True)
class PrincipleText:
    """A home-rule principle as the corpus states it: what a memo quotes."""

    id: str
    name: str
    statement: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "statement": self.statement,
            "source": self.source,
        }


@dataclass(frozen=True)
class Amendment:
    """Proposed amendment language: the provision's own words, struck and inserted."""

    provision: str
    alternative: str  # id of the principled alternative in corpus/model_language
    title: str
    rationale: str
    redline: tuple[RedlineSpan, ...]
    text: str  # the provision as it would read if amended
    principles: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "provision": self.provision,
            "alternative": self.alternative,
            "title": self.title,
            "rationale": self.rationale,
            "redline": [{"text": r.text, "mark": r.mark} for r in self.redline],
            "text": self.text,
            "principles": list(self.principles),
        }


def bill_summary(b: Bill) -> dict[str, Any]:
    """A bill as the analysis and comparison contracts name it: file and metadata."""
    m = b.meta
    return {
        "source": b.source,
        "sha256": b.sha256,
        "format": b.format,
        "pages": b.pages,
        "state": m.state,
        "chamber": m.chamber,
        "number": m.number,
        "session": m.session,
        "year": m.year,
        "version": m.version,
        "title": m.title,
        "sponsors": list(m.sponsors),
        "citation": m.citation,
        "pinpoints": b.pinpoints,
        "marked": b.marked,
    }


@dataclass(frozen=True)
class Analysis:
    bill: Bill
    provisions: tuple[Provision, ...]
    tool_version: str
    findings: tuple[Finding, ...] = ()
    model_matches: tuple[ModelMatch, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    # What the outputs quote from the corpus, so that none reads it again: the principles
    # weighed against, the rationale of each rule that fired, and the corpus's fingerprint.
    principles: tuple[PrincipleText, ...] = ()
    rule_rationales: tuple[tuple[str, str], ...] = ()  # (rule id, rationale)
    corpus: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "lssc-legal/analysis/1",
            "tool_version": self.tool_version,
            "corpus": self.corpus,
            "bill": bill_summary(self.bill),
            "provisions": [p.to_dict() for p in self.provisions],
            "findings": [f.to_dict() for f in self.findings],
            "model_matches": [m.to_dict() for m in self.model_matches],
            "amendments": [a.to_dict() for a in self.amendments],
            "principles": [p.to_dict() for p in self.principles],
            "rules": dict(self.rule_rationales),
            "warnings": list(self.bill.warnings),
        }


# -- comparison -------------------------------------------------------------------------

SectionStatus = Literal["unchanged", "changed", "added", "removed", "moved"]
DiffKind = Literal["equal", "delete", "insert"]
# What changed in a provision between two versions, in the vocabulary of the design.
CHANGE_TYPES: tuple[str, ...] = (
    "added", "removed", "kind_changed", "broadened", "narrowed", "penalty_added",
    "penalty_removed", "penalty_changed", "effect_changed", "reworded", "not_printed",
    "now_printed",
)  # fmt: skip


@dataclass(frozen=True)
class Place:
    """Where a passage is printed in one version: its cite and printed pinpoints."""

    section: str
    start: Pinpoint
    end: Pinpoint

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "start": self.start.to_dict(), "end": self.end.to_dict()}


@dataclass(frozen=True)
class DiffOp:
    """One run of a word diff. `at` is where the words are printed: in the old version for
    kept and deleted words, in the new version for inserted ones."""

    op: DiffKind
    text: str
    at: Pinpoint | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op, "text": self.text}
        if self.at is not None and self.op != "equal":
            out["at"] = self.at.to_dict()
        return out


@dataclass(frozen=True)
class SectionChange:
    """A bill or code section of one version aligned with its counterpart in the other."""

    status: SectionStatus
    old: Place | None
    new: Place | None
    similarity: float  # share of words kept, in order (0 to 1)
    inserted: int  # words
    deleted: int
    diff: tuple[DiffOp, ...]  # old text to new text, as each version would enact it
    renumbered: bool = False  # the label changed (SECTION 3 became SECTION 4)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "renumbered": self.renumbered,
            "old": self.old.to_dict() if self.old else None,
            "new": self.new.to_dict() if self.new else None,
            "similarity": round(self.similarity, 4),
            "words_inserted": self.inserted,
            "words_deleted": self.deleted,
            "diff": [op.to_dict() for op in self.diff],
        }


@dataclass(frozen=True)
class Change:
    """One thing that changed in a provision: `type` is one of CHANGE_TYPES; `aspect` says
    what it touched (kind, subjects, targets, savings, penalties, effect, text)."""

    type: str
    aspect: str
    summary: str  # in a lawyer's words
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    # A change of scope in a clause of its own ("now also reaches wages"), for joining
    # with the provision's other scope changes under one verdict; not in the JSON.
    phrase: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "aspect": self.aspect,
            "summary": self.summary,
            "before": list(self.before),
            "after": list(self.after),
        }


_ANALYSIS_ONLY = frozenset({"redline", "rules", "principles", "notes"})


@dataclass(frozen=True)
class ProvisionChange:
    """A provision of the old version beside its counterpart in the new one."""

    status: Literal["added", "removed", "changed", "unchanged"]
    old: Provision | None
    new: Provision | None
    similarity: float
    changes: tuple[Change, ...]
    summary: str  # the headline a lawyer reads first
    diff: tuple[RedlineSpan, ...] = ()  # old quote to new quote

    def to_dict(self) -> dict[str, Any]:
        def side(p: Provision | None) -> dict[str, Any] | None:
            # the provision without what only its own analysis needs
            if p is None:
                return None
            return {k: v for k, v in p.to_dict().items() if k not in _ANALYSIS_ONLY}

        return {
            "status": self.status,
            "summary": self.summary,
            "similarity": round(self.similarity, 4),
            "old": side(self.old),
            "new": side(self.new),
            "changes": [c.to_dict() for c in self.changes],
            "diff": [{"text": r.text, "mark": r.mark} for r in self.diff],
        }


@dataclass(frozen=True)
class Comparison:
    """Two versions of a bill: their sections aligned and word-diffed, and what changed in
    their preemption provisions."""

    old: Bill
    new: Bill
    sections: tuple[SectionChange, ...]
    provisions: tuple[ProvisionChange, ...]
    tool_version: str
    similarity: float  # share of the body's words kept, in order
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for s in self.sections:
            counts[s.status] = counts.get(s.status, 0) + 1
        counts["renumbered"] = sum(s.renumbered for s in self.sections)
        return {
            "schema": "lssc-legal/comparison/1",
            "tool_version": self.tool_version,
            "old": bill_summary(self.old),
            "new": bill_summary(self.new),
            "similarity": round(self.similarity, 4),
            "section_counts": counts,
            "provisions": [p.to_dict() for p in self.provisions],
            "sections": [s.to_dict() for s in self.sections],
            "notes": list(self.notes),
        }
