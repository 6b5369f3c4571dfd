"""What the amended statute governs: a lawyer reading "Section 26.04, Tax Code, is amended"
knows, before reading a word of it, that it sets local tax rates; a sentence there that
names no one ("the tax rate ... may not exceed") still binds a taxing unit.

`corpus/patterns/codes.json` lists, per state, the codes, titles and chapters whose
sections govern local governments (a county code, a municipal code, local taxes, school
districts), each with the citations that name it, examples and counterexamples the tests
run. A bill or code section of the bill that amends or enacts such a statute is a part of
the bill that binds a local government, as a part where many sentences name one is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lssc_legal.errors import CorpusError
from lssc_legal.models import Bill, Section


@dataclass(frozen=True)
class LocalCode:
    """A statute whose sections govern local governments."""

    state: str
    name: str  # as a lawyer writes it: "A.R.S. Title 9 (cities and towns)"
    matches: tuple[re.Pattern[str], ...]  # read against "§ 9-463.05" and the amending clause
    fiscal: bool  # local taxes, levies, budgets
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()

    def names(self, where: str) -> bool:
        return any(m.search(where) for m in self.matches)


def load_codes(path: Path) -> list[LocalCode]:
    """The local codes of codes.json; a broken file is an error that names it."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["codes"]
        return [
            LocalCode(
                state=e["state"],
                name=e["name"],
                matches=tuple(re.compile(m, re.I | re.M) for m in e["match"]),
                fiscal=bool(e.get("fiscal", False)),
                examples=tuple(e.get("examples", ())),
                counterexamples=tuple(e.get("counterexamples", ())),
            )
            for e in entries
        ]
    except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
        raise CorpusError(
            path, f"is not a list of local codes ({type(exc).__name__}: {exc})"
        ) from None


@lru_cache(maxsize=8)
def local_codes(folder: str) -> tuple[LocalCode, ...]:
    """The local codes of a patterns folder, read once per process; none when the folder
    has no codes.json (a corpus copied before it existed)."""
    path = Path(folder) / "codes.json"
    return tuple(load_codes(path)) if path.exists() else ()


# Where an amending clause ends: "... is amended to read:", "... to read as follows:".
_CLAUSE_END = re.compile(r"\bto\s+read\b|\bas\s+follows\b|\bis\s+created\b|\bare\s+created\b", re.I)
# A clause that names an act only by "the act" (Pennsylvania's "Section 2. The act is
# amended by adding ..."): the act an earlier clause of the bill named.
_THE_ACT = re.compile(r"\b(?:of\s+the\s+act|the\s+act\s+is|the\s+act\s+are)\b", re.I)


def amending_clause(bill: Bill, section: Section) -> str:
    """The words of a bill section before the text it enacts: "SECTION 1. Section 26.04(c),
    Tax Code, is amended to read as follows:"; a section that amends nothing gives its
    first words."""
    head = bill.text[section.start : min(section.end, section.start + 400)]
    m = _CLAUSE_END.search(head)
    return " ".join((head[: m.end()] if m else head[:200]).split())


def code_places(bill: Bill, codes: tuple[LocalCode, ...]) -> dict[tuple[int, str], LocalCode]:
    """The bill and code sections of `bill` that amend or enact a local code, keyed as the
    analysis keys parts of the bill: (start, label)."""
    state = bill.meta.state
    mine = [c for c in codes if c.state == state]
    if not mine:
        return {}
    out: dict[tuple[int, str], LocalCode] = {}
    clauses: dict[int, str] = {}
    named = ""  # the last clause that named an act ("..., known as the Borough Code, ...")
    for sec in sorted(bill.sections, key=lambda s: s.start):
        if sec.level == "subsection":
            continue
        outer = next((s for s in bill.sections_at(sec.start) if s.level == "bill_section"), None)
        clause = ""
        if outer is not None:
            if outer.start not in clauses:
                clauses[outer.start] = amending_clause(bill, outer)
                if _KNOWN_AS.search(clauses[outer.start]):
                    named = clauses[outer.start]
            clause = clauses[outer.start]
        where = f"{sec.label if sec.level == 'code_section' else ''}\n{clause}"
        if named and (_THE_ACT.search(clause) or _ACT_SECTION.match(clause)):
            # "Section 2. The act is amended ...", "Section 303. Payroll Tax.--": the act
            # the bill named before.
            where += "\n" + named
        found = next((c for c in mine if c.names(where)), None)
        if found is not None:
            out[(sec.start, sec.label)] = found
    return out


_KNOWN_AS = re.compile(r"\bknown\s+as\b", re.I)
# A section of the amended act printed as it will read: "Section 303. Payroll Tax.--".
_ACT_SECTION = re.compile(r"Section\s+\d+[.\dA-Za-z]*\.\s+[^.]{1,120}?\.?--")
