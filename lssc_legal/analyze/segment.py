"""Cut a bill's body into provisions: the units a lawyer quotes.

A provision is one sentence, or one enumerated subsection, of the body (from the enacting
clause on; the title only describes the bill). Sentences never end at a citation's dots
("s. 790.33, F.S.", "42 U.S.C. s. 1983", "Sec.", "No.", "A.R.S."), and a lead-in that ends
with a colon introduces a list ("A political subdivision shall not: (1) limit ...; or (2) ..."):
each item is its own provision, read with its lead-in (the item means nothing without it)
but quoted and cited alone, because lawyers cite, code and weigh each item. A list whose items
only complete one condition ("... unless: (1) ...; and (2) ...") stays one provision; a list
of requirements whose items are whole sentences ("... are subject to the following
requirements: 1. Development fees shall ... 2. The municipality shall ...") does not. An item
that is itself a lead-in ("5. ... may not be used for any of the following: (a) ...") gives
one provision per item of its own list, read with both lead-ins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..ingest.assemble import ENACTING
from ..models import Bill, Section

# Abbreviations that end in a period inside a sentence of bill text.
_ABBREVIATIONS = frozenset(
    [
        "s",
        "ss",
        "sec",
        "secs",
        "no",
        "nos",
        "f.s",
        "u.s.c",
        "u.s",
        "c.f.r",
        "a.r.s",
        "rsmo",
        "stat",
        "ann",
        "inc",
        "co",
        "corp",
        "ltd",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "gen",
        "rev",
        "assemb",
        "leg",
        "sess",
        "reg",
        "spec",
        "ch",
        "art",
        "arts",
        "e.g",
        "i.e",
        "v",
        "vs",
        "o.s",
        "g.s",
        "t.c.a",
        "p.l",
        "pub",
        "l",
        "pa.c.s",
        "cons",
        "const",
        "cal",
        "mo",
        "fla",
        "tex",
        "ariz",
        "okla",
        "tenn",
        "pa",
        "n.c",
        "par",
        "subpar",
        "cl",
        "subch",
        "para",
        "pp",
        "p",
        "sub",
        "subd",
        "div",
        "dept",
        "govt",
        "approx",
        "etc",
        "al",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sept",
        "sep",
        "oct",
        "nov",
        "dec",
    ]
)
# A sentence ends at a period before a capital, or before the words that open sentences
# when a legislature prints new language in lower case styled as capitals (Arizona HTML:
# "... OF THAT COUNTY. the governing body of a MUNICIPALITY MAY NOT ...").
_BOUNDARY = re.compile(
    r"(?<=[.?!])([\"”’)\]]*)\s+(?=[\[\"“(]*(?:[A-Z0-9§]|(?:the|a|an|any|each|if|no|this|"
    r"except|notwithstanding|unless|beginning|after|before|on|for|in|subject|nothing)\s))"
)
# Letters with periods between them: "h.b", "s.j.r", "c.s" (a number follows a bill's).
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")
_CATCHLINE = re.compile(r"^[A-Z][A-Za-z ,'&()-]{0,60}?(?:\.—|\.--|\.–|—)\s*")
_LABEL = re.compile(r"^\s*[\[\"“]?\s*(?:(?:\([A-Za-z0-9.]{1,6}\)\s*)+|(?:[A-Z]|\d{1,2})\.\s+)")


@dataclass(frozen=True)
class Segment:
    start: int  # offsets into Bill.text: the quotable words, labels and headings excluded
    end: int
    # For an enumerated item: the (start, end) of the lead-in it completes.
    lead_in: tuple[int, int] | None = None
    # For a lead-in whose items are their own segments.
    has_items: bool = False
    # For an item of a nested list: the lead-in of the list its own lead-in belongs to
    # ("B. ... subject to the following requirements:" over "5. ... may not be used for any
    # of the following:"), read before the item's lead-in.
    outer_lead: tuple[int, int] | None = None


def segment(bill: Bill) -> list[Segment]:
    text = bill.text
    enacting = ENACTING.search(text)
    if enacting is None:
        # An Arizona floor amendment opens with its research staff's explanation ("FLOOR
        # AMENDMENT EXPLANATION ... 5. Removes the felonies for a superintendent ..."): a
        # summary of the amendment, not its text, which begins with the reprinted bill.
        explained = _EXPLANATION.search(text)
        enacting = _REPRINTED.search(text, explained.end()) if explained else None
    body_start = text.find("\n", enacting.end()) + 1 if enacting else 0
    if body_start <= 0:
        body_start = enacting.end() if enacting else 0
    units = _units(bill, body_start)
    out: list[Segment] = []
    # Each segment's unit rank, whether it opens its unit, and the bill or code section it
    # belongs to (a list never runs on into the next section).
    ranks: list[tuple[int, bool, int]] = []
    # Where several labels open one sentence ("(4)(a)1. A local government ..."), the rank of
    # the outermost: a list led in before it has ended there.
    outer: list[int] = []
    empty: int | None = None  # the outermost rank of the labels just passed with no text
    for start, end, section in units:
        owner = next(
            (s.start for s in reversed(bill.sections_at(start)) if s.level != "subsection"), -1
        )
        start = _skip_label(text, start, end, section)
        rank = _rank(section) if section is not None else -1
        found = _sentences(text, start, end)
        out.extend(found)
        ranks.extend((rank, i == 0 and section is not None, owner) for i in range(len(found)))
        outer.extend([rank if empty is None else min(empty, rank)] * len(found))
        empty = None if found else rank if empty is None else min(empty, rank)
    return _merge_lists(text, out, ranks, outer)


_EXPLANATION = re.compile(r"\bAMENDMENT\s+EXPLANATION\b")
_REPRINTED = re.compile(
    r"\bThe\s+bill\s+as\s+proposed\s+to\s+be\s+amended\s+is\s+reprinted\s+as\s+follows\s*:"
)


def _units(bill: Bill, body_start: int) -> list[tuple[int, int, Section | None]]:
    starts: dict[int, Section | None] = {body_start: None}
    for s in bill.sections:
        if s.start >= body_start:
            # The innermost section starting here decides how its label is skipped.
            prev = starts.get(s.start)
            if prev is None or _rank(s) > _rank(prev):
                starts[s.start] = s
    ordered = sorted(starts)
    units = []
    for i, start in enumerate(ordered):
        end = ordered[i + 1] if i + 1 < len(ordered) else len(bill.text)
        units.append((start, end, starts[start]))
    return units


def _rank(s: Section) -> int:
    return {"bill_section": 0, "code_section": 1, "subsection": 2}[s.level] * 10 + s.depth


_CODE_LABEL = re.compile(
    r"^\s*[\[\"“]?(?:Sec\.|§+|Section)?\s*\d+[A-Z]?(?:[-.:]\d+[A-Za-z]?)*\.?\s*"
)


_LOWER_LABEL = re.compile(r"[a-z]{1,2}\.\s+(?=[A-Z])")


def _skip_label(text: str, start: int, end: int, section: Section | None) -> int:
    """Step over a code section's number and heading and any subsection labels."""
    chunk = text[start:end]
    pos = 0
    if section is not None and section.level == "code_section":
        m = _CODE_LABEL.match(chunk)
        if m:
            pos = m.end()
            if section.heading and chunk[pos:].startswith(section.heading):
                pos += len(section.heading)
                pos += len(re.match(r"^[.—\s-]*", chunk[pos:]).group(0))  # type: ignore[union-attr]
    m = _LABEL.match(chunk[pos:])
    while m and m.end() > 0:
        pos += m.end()
        m = _LABEL.match(chunk[pos:])
    if section is not None and section.level == "subsection":
        # Florida's sub-subparagraph ("a. The agency may impose ..."): a lower-case label.
        m = _LOWER_LABEL.match(chunk[pos:])
        if m:
            pos += m.end()
    # A subsection's catchline is a heading, not words of the rule: "(1) PREEMPTION.—",
    # "(a) General rule.--".
    m = _CATCHLINE.match(chunk[pos:])
    if m:
        pos += m.end()
    while start + pos < end and text[start + pos].isspace():
        pos += 1
    return start + pos


def _sentences(text: str, start: int, end: int) -> list[Segment]:
    out: list[Segment] = []
    chunk = text[start:end]
    last = 0
    for m in _BOUNDARY.finditer(chunk):
        cut = m.start() + len(m.group(1))
        before = chunk[last:cut]
        word = re.search(r"(\S+)\.[\"”’)\]]*$", before)
        token = word.group(1).lower().lstrip('(["“') if word else ""
        if token in _ABBREVIATIONS or (re.fullmatch(r"[a-z]", token) and len(token) == 1):
            continue
        if re.fullmatch(r"[A-Z]", word.group(1) if word else ""):
            continue  # an initial: "D. Costa"
        if _INITIALS.fullmatch(token) and chunk[m.end() : m.end() + 1].isdigit():
            continue  # a bill cited by its initials: "as added by H.B. 30, Acts of ..."
        out.append(Segment(start + last, start + cut))
        last = m.end()
    if chunk[last:].strip():
        out.append(Segment(start + last, start + len(chunk.rstrip())))
    return [
        piece
        for s in out
        for piece in _after_amending_clause(text, s)
        if re.search(r"[A-Za-z]{2}", text[piece.start : piece.end])
    ]


# The enacting words of an amendment run into the law they enact when the printer sets both
# in one paragraph (Oklahoma: "NEW LAW A new section ... reads as follows: A governmental body
# may not ..."): the law a lawyer quotes starts after the colon.
_ENACTS = re.compile(
    r"\b(?:reads?\s+as\s+(?:follows|rewritten)|to\s+read(?:\s+as\s+follows)?|"
    r"(?:the\s+following|a\s+new)\s+(?:new\s+)?(?:sections?|subsections?|subdivisions?|"
    r"paragraphs?|language))\s*:\s+(?=[\[\"“(]*[A-Z0-9§]|\([a-z0-9])"
)


def _after_amending_clause(text: str, seg: Segment) -> list[Segment]:
    m = _ENACTS.search(text, seg.start, seg.end)
    if m is None:
        return [seg]
    return [Segment(seg.start, m.end() - (len(m.group(0)) - len(m.group(0).rstrip()))),
            Segment(m.end(), seg.end)]  # fmt: skip


# "... is amended to read as follows:", "G.S. 95-25.1 reads as rewritten:": the amended
# law follows, not a list.
_AMENDING = re.compile(
    r"\b(?:to\s+read(?:\s+as\s+follows)?|reads?\s+as\s+(?:rewritten|follows)|as\s+follows|"
    r"(?:is|are)\s+(?:hereby\s+)?(?:amended|created|enacted|added|reenacted)\b[^:]*|"
    r"(?:the\s+following|a\s+new)\s+(?:new\s+)?(?:sections?|subsections?|subdivisions?|chapters?|"
    r"parts?|articles?|language|paragraphs?))\s*:\s*$",
    re.I,
)
_SUBSECTION_RANK = 20  # _rank of a subsection: only subsections are list items

# A lead-in whose list states the conditions of one rule: the items are read and quoted
# together with it ("may not ... unless: (1) ...; and (2) ...").
_CONDITIONS = re.compile(
    r"\b(?:unless|if|only\s+if|when|whenever|provided\s+that|providing\s+that|"
    r"(?:meets?|satisf(?:y|ies)|complies\s+with|comply\s+with)\s+(?:all|each)\s+of\s+the\s+"
    r"following(?:\s+\w+)?|each\s+of\s+the\s+following\s+"
    r"(?:conditions|requirements|criteria)|the\s+following\s+(?:conditions|requirements|"
    r"criteria)|means|includes?|(?:following|these)\s+(?:\w+\s+)?(?:purposes?|circumstances|"
    r"reasons|grounds|cases|conditions|requirements))\b[^:;.]{0,160}:\s*$",
    re.I,
)


def _merge_lists(
    text: str,
    segments: list[Segment],
    ranks: list[tuple[int, bool, int]] | None = None,
    outer: list[int] | None = None,
) -> list[Segment]:
    """A lead-in ending with a colon and the list items that complete its sentence.

    CASE 1: the items each state their own rule ("may not: (1) ...; (2) ..."): each item is
            a segment that carries its lead-in, and the lead-in is kept, marked as having
            items (the analysis reports it alone only when no item is reported).
    CASE 2: the items are the conditions of one rule ("... unless: (1) ...; and (2) ..."),
            or the list is short of two items: one segment, lead-in and items together."""
    ranks = ranks or [(-1, False, -1)] * len(segments)
    out: list[Segment] = []
    i = 0
    while i < len(segments):
        seg = segments[i]
        lead = text[seg.start : seg.end].rstrip()
        if lead.endswith(":") and not _AMENDING.search(lead[-250:]):
            j = i + 1
            # A rule over its items ("shall not levy a tax on:"), not conditions or exceptions:
            # an item's further sentence does not end the list.
            rule = not (_CONDITIONS.search(lead[-200:]) or _EXCEPT_THAT.search(lead[-200:]))
            # ... but not definitions ("As used in this section, the term:"), whose items run
            # on into the section's rules.
            extend = rule and not _DEFINITIONS_LEAD.search(lead[-200:])
            # An item: a labelled subsection deeper than the lead-in ("... either of the
            # following:\n1. FIXED RATE ..."), or a clause that completes its sentence, or
            # the list's last item after "...; or" even when it starts with a capital.
            while (
                j < len(segments)
                and ranks[j][2] == ranks[i][2]
                and not (ranks[j][1] and ranks[j][0] <= ranks[i][0])
            ):
                labelled = ranks[j][1] and ranks[j][0] > max(ranks[i][0], _SUBSECTION_RANK - 1)
                further = (
                    not labelled
                    and extend
                    and outer is not None
                    and _further_sentence(text, segments, ranks, outer, i, j)
                )
                if not (
                    labelled
                    or further
                    or _is_item(text[segments[j].start : segments[j].end])
                    or (
                        j > i + 1
                        and text[segments[j - 1].start : segments[j - 1].end]
                        .rstrip()
                        .endswith((";", "; or", "; and"))
                    )
                ):
                    break
                j += 1
                ends = text[segments[j - 1].start : segments[j - 1].end].rstrip().endswith(".")
                if ends and not labelled and not further:
                    break
            items = _group_items(text, segments[i + 1 : j], ranks[i + 1 : j])
            if sum(led for _, _, led in items) > 1 and (rule or _own_rules(text, lead, items)):
                out.append(Segment(seg.start, seg.end, has_items=True))
                for start, end, led in items:
                    out.extend(_nested(text, segments[i + 1 : j], ranks[i + 1 : j], start, end,
                                       (seg.start, seg.end) if led else None))  # fmt: skip
                i = j
                continue
            if j > i + 1:
                out.append(Segment(seg.start, segments[j - 1].end))
                i = j
                continue
        out.append(seg)
        i += 1
    return out


def _further_sentence(
    text: str,
    segments: list[Segment],
    ranks: list[tuple[int, bool, int]],
    outer: list[int],
    i: int,
    j: int,
) -> bool:
    """Segment `j` is a further sentence of a labelled item of the list that segment `i`
    leads in ("1. Exhibition events ... . This paragraph does not apply to ... 2. Interstate
    telecommunications services ..."): one of at most two sentences after the item's first,
    not a heading, and the next label of its section at the item's level or above is another
    item of the list. The list goes on past it."""
    if j <= i + 1 or ranks[j][1] or not ranks[i + 1][1]:
        return False
    if ranks[j - 1][1] is False and ranks[j - 2][1] is False and j - 2 > i:
        return False  # a third sentence after the item's first: prose, not the item
    if _HEADING_LIKE.match(text[segments[j].start : segments[j].end]):
        return False
    level, owner = ranks[i + 1][0], ranks[i][2]
    for (_, opens, own), rank in zip(ranks[j + 1 :], outer[j + 1 :], strict=True):
        if own != owner:
            return False
        if opens and rank <= level:  # (deeper labels are the item's own: "(a) 'Internet' means")
            return rank == level
    return False


# "As used in this section, the term:": definitions, each item its own, never a rule's list.
_DEFINITIONS_LEAD = re.compile(
    r"\b(?:as\s+used\s+in|the\s+term|terms?\s+mean)\b[^:;.]{0,120}:\s*$", re.I
)
_HEADING_LIKE = re.compile(r"^\s*(?:SECTION|Section|ARTICLE|Article|Sec\.|PART|CHAPTER)\s+[\dIVX]")


# "Development fees ... are subject to the following requirements:" with items that are
# whole sentences ("1. Development fees shall result in a beneficial use ...", "2. The
# municipality shall calculate ..."): each item is a rule of its own, not one condition.
_REQUIREMENTS = re.compile(
    r"\b(?:subject\s+to|compl(?:y|ies)\s+with)\s+(?:all\s+of\s+)?the\s+following"
    r"(?:\s+(?:requirements|conditions|restrictions|limitations|standards|rules))?\s*:\s*$|"
    r"\bthe\s+following\s+(?:requirements|restrictions|limitations|prohibitions|standards|rules)"
    r"\s+(?:apply|shall\s+apply)\b[^:;.]{0,80}:\s*$",
    re.I,
)
# Items offered as alternatives ("...; or"), completing a relative or infinitive clause of
# the lead-in ("a policy that:", "directs a peace officer to:").
_ALTERNATIVE = re.compile(r"[;,]?\s+or\s*$", re.I)
_COMPLETES = re.compile(r"\b(?:that|which|to)\s*:\s*$", re.I)

# "consider any factor other than a factor that: (A) ...; or (B) ...": the items are what
# the rule excepts, one exception read with the rule.
_EXCEPT_THAT = re.compile(
    r"\b(?:other\s+than|except|excluding|unless)\b[^:;.]{0,80}\b(?:that|which)\s*:\s*$", re.I
)
_IF = re.compile(r"\b(?:unless|if|only\s+if|when|whenever|provided\s+that|in\s+order\s+to)\b", re.I)
_SENTENCE_ITEM = re.compile(r"^[\[\"“(]*[A-Z][^;]*[.]\s*[\]\"”)]*$", re.S)


def _own_rules(text: str, lead: str, items: list[tuple[int, int, bool]]) -> bool:
    """Items that are rules of their own though the lead-in reads like conditions:
    - a list of requirements ("are subject to the following requirements:") whose items are
      whole sentences;
    - a lead-in whose condition comes first and whose main clause the items complete ("If
      the court finds that a county violated this section, the court shall: (1) ...");
    - a lead-in that is a condition alone ("If a local government is noncompliant:") over
      items that are whole sentences with their own verbs ("1. The agency may impose
      fines ... 2. ... may withhold state funds ...")."""
    tail = lead[-200:].rsplit(". ", 1)[-1]
    led = [text[s:e].strip() for s, e, led in items if led]
    if (
        len(led) > 1
        and _ALTERNATIVE.search(led[-2])
        and _COMPLETES.search(tail)
        and not _EXCEPT_THAT.search(tail)
    ):
        # "commits a misdemeanor if the official votes for a policy that: (i) ...; (ii) ...;
        # or (iii) ...": each item alone is an act the section forbids, cited on its own.
        return True
    whole = all(_SENTENCE_ITEM.match(item) for item in led)
    m = _REQUIREMENTS.search(tail)
    if m is not None and not _IF.search(tail[: m.start()]):
        return whole
    cond = _IF.search(tail)
    if cond is None:
        return False
    if _MAIN_CLAUSE.search(tail, cond.end()):
        return True
    # (an item that opens a nested list of its own, "1. At least 15 days after the request:",
    # is judged by that list)
    led = [item for item in led if not re.match(r"[^.;:]*:\s", item + " ")]
    return (
        cond.start() <= 12
        and not _STRICT_MODAL.search(tail)
        and bool(led)
        and all(_SENTENCE_ITEM.match(item) and _MODAL.search(item) for item in led)
    )


# ", the court shall:", ", a county may not:": the main clause, after the condition.
_MAIN_CLAUSE = re.compile(
    r",\s+(?:then\s+)?(?:the|a|an|each|any|such|that|this)\s+(?:\w+\s+){0,4}?"
    r"(?:shall|may|must|is|are)\b[^,:;]*:\s*$",
    re.I,
)
_MODAL = re.compile(r"\b(?:shall|may|must|will|is|are)\b", re.I)
_STRICT_MODAL = re.compile(r"\b(?:shall|may|must|will)\b", re.I)


def _nested(
    text: str,
    segments: list[Segment],
    ranks: list[tuple[int, bool, int]],
    start: int,
    end: int,
    lead_in: tuple[int, int] | None,
) -> list[Segment]:
    """One item of a list, or, when the item is itself a lead-in with items of its own
    ("5. Development fees may not be used for any of the following: (a) ...; (b) ..."), the
    item (carrying the outer lead-in) and its own items, each read with it."""
    inner = [(g, r) for g, r in zip(segments, ranks, strict=True) if start <= g.start < end]
    if len(inner) > 2 and text[inner[0][0].start : inner[0][0].end].rstrip().endswith(":"):
        sub = _merge_lists(text, [g for g, _ in inner], [r for _, r in inner])
        if len(sub) > 1 and sub[0].has_items and sub[-1].end == end:
            head = Segment(sub[0].start, sub[0].end, lead_in=lead_in, has_items=True)
            own = (head.start, head.end)
            return [head, *(replace(g, outer_lead=lead_in) if g.lead_in == own else g
                            for g in sub[1:])]  # fmt: skip
    return [Segment(start, end, lead_in=lead_in)]


_CITATION_ITEM = re.compile(
    r"^\s*(?:sections?|secs?\.|chapters?|titles?|subtitles?|articles?|parts?|subchapters?|"
    r"§+)\s+[\w.-]+[^;.]{0,80}(?:;|\.|; or|; and)?\s*(?:or|and)?\s*$",
    re.I,
)


def _group_items(
    text: str, segments: list[Segment], ranks: list[tuple[int, bool, int]]
) -> list[tuple[int, int, bool]]:
    """The list's items at the level of its first item, each (start, end, completes the
    lead-in). A deeper labelled item ("(r) ... 1. ... 2. ...") stays inside the item it
    belongs to; a further sentence of an item ("(1) ... wages. Sections 290.500 to 290.530
    shall preempt ...") stands on its own, without the lead-in."""
    if not segments:
        return []
    # A list of citations ("(1) Section 1.004, Agriculture Code;") only names what the lead-in
    # reaches: one provision, quoted with its list.
    if all(_CITATION_ITEM.match(text[s.start : s.end]) for s in segments):
        return [(segments[0].start, segments[-1].end, True)] if len(segments) > 1 else []
    level = ranks[0][0] if ranks[0][1] else None
    items: list[tuple[int, int, bool]] = []
    for seg, (rank, opens, _) in zip(segments, ranks, strict=True):
        if items and level is not None and opens and rank > level:
            items[-1] = (items[-1][0], seg.end, items[-1][2])
        elif (
            items
            and level is not None
            and not opens
            and text[items[-1][0] : items[-1][1]].rstrip().endswith(".")
        ):
            items.append((seg.start, seg.end, False))
        else:
            items.append((seg.start, seg.end, True))
    return items


_ITEM_START = re.compile(r"^(?:Shall|May|Must|Is|Are|Be|Has|Have|Does|Do)\b")


def _is_item(item: str) -> bool:
    """A list item completes the lead-in's sentence: it starts in lower case or with the
    verb the lead-in's subject needs ("Shall be ineligible ..."), or ends with a semicolon."""
    item = item.strip()
    return bool(item) and (
        item[0].islower()
        or bool(_ITEM_START.match(item))
        or item.rstrip().endswith((";", "; or", "; and"))
    )
