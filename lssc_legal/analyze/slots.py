"""The structural reading: who is bound, and what is done to it.

Named patterns (rules.py) classify the wordings lawyers have seen. This reading is the net
under them: a sentence or list item in which a local government (or its officials, boards,
agencies, or a local measure) is bound by a restriction, a declaration, a sanction or a
preservation is reported even when no named pattern classifies it, as a review item with a
rationale naming both slots ("binds a county; limits it: 'may not levy … exceeds'").

The vocabulary is data (corpus/patterns/slots.json, with the lexicon's targets and local
measures): a lawyer adds an actor or a cue there, and the tests run its examples.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..errors import LsscError

SLOT_VERBS = {
    "restriction": "limits it",
    "declaration": "declares",
    "sanction": "sanctions it",
    "preservation": "preserves its authority",
}
# Where a sentence ends a clause for the purpose of finding a verb's subject.
# A restrictive clause ("a county that adopts ...") keeps its subject; a semicolon or a
# colon does not.
_CLAUSE_BREAK = re.compile(r"[;:]|\.\s(?=[A-Z])")
# A noun after a preposition is not a subject: "a city with a population of 500,000 or more
# persons may not", "a county that contracts with a vendor may not".
_AFTER_PREPOSITION = re.compile(
    r"\b(?:with|of|by|for|from|to|in|on|at|than|between|among|about|against)\s+(?:\S+\s+){0,5}$",
    re.I,
)
_PASSIVE = re.compile(
    r"\s+(?:not\s+)?be\s+(?:\w+ly\s+)?(?!(?:punished|fined|imprisoned|convicted|sentenced|"
    r"charged|penalized|required)\b)\w+(?:ed|en|wn)\b",
    re.I,
)
_LIABLE = re.compile(r"\b(?:liable|liability|damages|penalty|penalties|fine|fines|refund)\b", re.I)
_PREVAILS = re.compile(r"\bprevail(?:s|ing)?\b|\bin\s+an?\s+action\s+brought\b", re.I)
_AGENT = re.compile(r"\s+by\s+(?:the\s+|a\s+|an\s+|each\s+|any\s+)?[\w' -]{1,60}", re.I)
_MEASURE_BY = re.compile(
    r"\b(?:laws?|regulations?|rules?|polic(?:y|ies)|ordinances?|resolutions?|orders?|measures?|"
    r"requirements?|standards?|codes?|charters?)\b[^.;]{0,80}?\b(?:adopted|enacted|implemented|"
    r"issued|imposed|promulgated|passed|approved|enforced|maintained)\s+(?:or\s+\w+\s+)?by\s+"
    r"(?:the\s+|a\s+|an\s+|any\s+)?$",
    re.I,
)
_TERM_BEFORE = re.compile(r"[\"”'’]\s*$")
_LIMITED_MAY = re.compile(r"\s+(?:not|only|be|never)\b", re.I)
_FEDERAL = re.compile(r"\b(?:federal|congress|u\.\s?s\.\s?c|united states code|erisa)\b", re.I)
# A definition binds no one: "'Firearms' shall not include air rifles", "As used in this
# section, 'local government' means ...", "'Employment benefits' means ... in addition to".
_DEFINITION = re.compile(
    r"^\s*(?:as\s+used\s+in\s+this\b[^,:]{0,60}[,:]\s*(?:the\s+term\s+)?)?"
    r"(?:the\s+term\s+)?[\"“'‘][^\"”'’]{1,80}[\"”'’],?\s+(?:shall\s+|does\s+not\s+|shall\s+not\s+)?"
    r"(?:means?|includes?|include|has\s+the\s+meaning|refers?\s+to)\b"
    r"|^\s*[\w\s,\-']{1,80}\s+(?:means|has the meaning)\b",
    re.I,
)


class SlotError(LsscError):
    """corpus/patterns/slots.json cannot be used."""

    exit_code = 2


@dataclass(frozen=True)
class Cue:
    id: str
    slot: str  # restriction, declaration, sanction, preservation
    kind: str
    binding: str  # subject, no_subject, anywhere, measure, after
    pattern: re.Pattern[str]
    rationale: str
    negated: bool = False
    fiscal: bool = False
    official: bool = False
    section_binds: bool = False  # counts only in a section that binds local government
    needs_actor: bool = False  # counts only where it names the local government itself
    mechanism: str | None = None
    subject: str | None = None
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()
    # Words that, within three words after the cue, make it something else: "may not be
    # construed" is a rule of reading, "does not affect the duty of" keeps a duty.
    unless_next: re.Pattern[str] | None = None
    # Words ending just before the cue that make it something else: "not be" before
    # "limited to" is the boilerplate "including, but not limited to".
    unless_before: _Suffixes | None = None


@dataclass(frozen=True)
class Found:
    """An actor's name in a text, read like a regular-expression match."""

    text: str
    s: int
    e: int

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e

    def group(self, _: int = 0) -> str:
        return self.text[self.s : self.e]


@dataclass(frozen=True)
class SlotHit:
    cue: Cue
    actor: str  # the words naming who is bound, as printed
    cue_text: str  # the cue's words, as printed ("may not levy … exceeds")
    start: int
    # The local government is the sentence's subject, or the one acted against ("an
    # action against the county"): strong enough to make its part of the bill binding.
    central: bool = True
    end: int = -1  # where the cue's words end

    @property
    def mechanism(self) -> str | None:
        """A penalty on an official is a fine on the official, not liability of the locality."""
        if self.cue.mechanism == "entity_liability" and _OFFICIAL.search(self.actor):
            return "official_fine"
        return self.cue.mechanism


def phrase_regex(phrase: str) -> str:
    """A cue phrase as a regular expression: words separated by spaces, alternatives for one
    word joined by '|', '…' for a gap of up to eight words, '……' for up to sixteen."""
    body = ""
    for i, word in enumerate(phrase.split()):
        if word in ("…", "……"):
            body += r"(?:[\s,:]+\S+){0," + str(8 * len(word)) + "}?"
            continue
        alts = "|".join(re.escape(w).replace(r"\-", "[-‐ ]?") for w in word.split("|"))
        # Words run on across a comma or a list's colon ("does not: (4) limit").
        body += (r"[\s,:]+(?:\(\w{1,4}\)\s*)?" if i else "") + f"(?:{alts})"
    return rf"(?<![\w-]){body}(?![\w-])"


_WORD = re.compile(r"[a-z0-9$]+(?:[-'][a-z0-9]+)*")


def _phrase_words(phrase: str, negated: bool) -> list[frozenset[str]]:
    """The words a cue phrase cannot match without, each as the set of its alternatives."""
    need = [
        frozenset(w.lower() for w in word.split("|"))
        for word in phrase.split()
        if word not in ("…", "……") and all(_WORD.fullmatch(w.lower()) for w in word.split("|"))
    ]
    return [*need, frozenset({"not"})] if negated else need


_SANCTIONED = re.compile(r"\b(?:against|on|upon|from|of)\s+(?:\w+\s+){0,2}$", re.I)


def _unpossessive(word: str) -> str:
    """ "county's" and "counties'" name the county."""
    if word.endswith("'s"):
        return word[:-2]
    return word[:-1] if word.endswith("'") else word


_COMMON = frozenset(
    [
        "may",
        "shall",
        "must",
        "will",
        "not",
        "is",
        "are",
        "be",
        "to",
        "of",
        "the",
        "a",
        "an",
        "any",
        "by",
        "in",
        "for",
        "or",
        "and",
        "no",
    ]
)


def _commonness(alternatives: frozenset[str]) -> int:
    """Rare words first: the test of a cue's words stops at the first one missing."""
    return len(alternatives & _COMMON)


def _alternation(phrases: list[str]) -> str:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered)


T = TypeVar("T")


class PhraseIndex(Generic[T]):
    """Phrases (tuples of words) by their last word, longest first: a scan of a text's words
    finds them faster than a regular expression of several hundred alternatives."""

    def __init__(self, entries: Iterable[tuple[tuple[str, ...], T]]) -> None:
        self.by_last: dict[str, list[tuple[tuple[str, ...], T]]] = {}
        for words, value in sorted(entries, key=lambda e: -len(e[0])):
            if words:
                self.by_last.setdefault(words[-1], []).append((words, value))
        self.last_words = frozenset(self.by_last)

    def find(self, words: Sequence[str]) -> Iterator[tuple[int, int, T]]:
        """(first, past-last word index, value) of every phrase in `words`; at each end,
        the longer phrases come first."""
        for i, word in enumerate(words):
            for name, value in self.by_last.get(word, ()):
                k = len(name)
                if i + 1 >= k and tuple(words[i + 1 - k : i + 1]) == name:
                    yield i + 1 - k, i + 1, value


_DETERMINERS = frozenset(["the", "a", "an", "any", "each", "such", "that", "this", "its"])


class _Suffixes:
    """Phrases that, ending just before a word (a determiner between), mark it: "in (a)",
    "resident of (the)", "paid to (the)"."""

    def __init__(self, phrases: list[str]) -> None:
        self.phrases = frozenset(tuple(_WORD.findall(p.lower())) for p in phrases)
        self.longest = max((len(p) for p in self.phrases), default=0)

    def search(self, before: str, determiner: bool = True) -> bool:
        # "The state, a political subdivision": a comma ends the phrase that could mark.
        before = re.split(r"[,;:.()\[\]]", before)[-1]
        words = _WORD.findall(before.lower())[-(self.longest + 1) :]
        if determiner and words and words[-1] in _DETERMINERS:
            words = words[:-1]
        return any(
            tuple(words[-k:]) in self.phrases for k in range(1, min(len(words), self.longest) + 1)
        )


class SlotReader:
    """The cues and actors of slots.json, compiled once."""

    def __init__(self, folder: Path) -> None:
        path = folder / "slots.json"
        if not path.exists():
            # A corpus copied before the structural reading existed: use the shipped cues
            # with its own word lists.
            from ..corpusdir import corpus_dir

            path = corpus_dir() / "patterns" / "slots.json"
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            lexicon = json.loads((folder / "lexicon.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise SlotError(path, f"cannot be read ({exc})") from None
        try:
            self._build(data, lexicon, path)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise SlotError(
                path,
                f"is not a structural-reading file ({type(exc).__name__}: {exc})",
                "see docs/patterns.md for its fields",
            ) from None

    def _build(self, data: dict[str, Any], lexicon: dict[str, Any], path: Path) -> None:
        targets = [t for terms in lexicon["targets"].values() for t in terms]
        measures = list(lexicon["local_measures"])
        actors = [*targets, *measures, *data["actors"]]
        # Lower-cased, as the index and for_bill read them.
        self.actor_names = sorted({a.lower() for a in actors})
        self.names: PhraseIndex[None] = PhraseIndex(
            (tuple(_WORD.findall(a)), None) for a in self.actor_names
        )
        self.measure = re.compile(
            rf"(?<![\w-])(?:{_alternation([*measures, *data['measures']])})(?![\w-])", re.I
        )
        self.subject = re.compile(rf"(?<![\w-])(?:{_alternation(data['subjects'])})(?![\w-])", re.I)
        self.not_before = _Suffixes(data["not_bound_before"])
        self.payee = _Suffixes(data["payee_before"])
        self.not_after = frozenset(tuple(_WORD.findall(p.lower())) for p in data["not_bound_after"])
        self.not_after_len = max(len(p) for p in self.not_after)
        self.official_heads = frozenset(data["official_heads"])
        self.fiscal = re.compile(
            rf"(?<![\w-])(?:{_alternation(data['fiscal_words'])})(?![\w-])", re.I
        )
        heads = data.get("document_heads", [])
        self.document = (
            re.compile(rf"(?<![\w-])(?:{_alternation(heads)})\s*$", re.I)
            if heads
            else re.compile(r"(?!)")
        )
        words = {k: v for k, v in data.get("mechanism_words", {}).items() if k != "about"}
        self.mechanism_words = {
            mech: re.compile("|".join(phrase_regex(p) for p in phrases), re.I)
            for mech, phrases in words.items()
        }
        self.cues: list[Cue] = []
        self.duty: Cue | None = None  # read only where the analysis finds its part binding
        for entry in data["cues"]:
            try:
                phrases = [phrase_regex(p) for p in entry["cue"]]
                if entry.get("negated"):
                    phrases = [p[: -len(r"(?![\w-])")] + r"[\s,]+not(?![\w-])" for p in phrases]
                pattern = re.compile("|".join(phrases), re.I)
            except (re.error, KeyError) as exc:
                raise SlotError(path, f"cue {entry.get('id')!r} is not usable ({exc})") from None
            unless = entry.get("unless_next", [])
            try:
                unless_next = (
                    re.compile(
                        r"[\s,]*(?:\S+[\s,]+){0,3}?(?:"
                        + "|".join(phrase_regex(p) for p in unless)
                        + ")",
                        re.I,
                    )
                    if unless
                    else None
                )
            except re.error as exc:
                raise SlotError(path, f"cue {entry.get('id')!r} is not usable ({exc})") from None
            cue = Cue(
                id=entry["id"],
                slot=entry["slot"],
                kind=entry["kind"],
                binding=entry["binding"],
                pattern=pattern,
                rationale=entry.get("rationale", ""),
                negated=bool(entry.get("negated")),
                fiscal=bool(entry.get("fiscal")),
                official=bool(entry.get("official")),
                section_binds=bool(entry.get("section_binds")),
                needs_actor=bool(entry.get("needs_actor")),
                mechanism=entry.get("mechanism"),
                subject=entry.get("subject"),
                examples=tuple(entry.get("examples", [])),
                counterexamples=tuple(entry.get("counterexamples", [])),
                unless_next=unless_next,
                unless_before=(
                    _Suffixes(entry["unless_before"]) if entry.get("unless_before") else None
                ),
            )
            if cue.binding == "section":
                self.duty = cue
            else:
                self.cues.append(cue)
        # Cheap word tests before any regular expression runs: a cue needs every word of
        # one of its phrases, an actor the last word of one of its names.
        self.actor_words = self.names.last_words
        self.needs: dict[str, list[list[frozenset[str]]]] = {
            entry["id"]: [
                sorted(_phrase_words(p, bool(entry.get("negated"))), key=_commonness)
                for p in entry["cue"]
            ]
            for entry in data["cues"]
        }
        self._index_cues()

    def _index_cues(self) -> None:
        """Each cue under the rarest word of each of its phrases: a text is tested only
        against the cues one of whose rare words it holds."""
        self.by_word: dict[str, set[int]] = {}
        self.always: set[int] = set()
        for k, cue in enumerate(self.cues):
            for need in self.needs[cue.id]:
                if not need:
                    self.always.add(k)
                for w in need[0] if need else ():
                    self.by_word.setdefault(w, set()).add(k)
        self.cue_words = frozenset(self.by_word)

    def _actors(self, text: str) -> list[Found]:
        """Every actor named in `text`, the longest name where names overlap ("the governing
        body of a county" holds "county"), in order."""
        # "a city's, town's or county's system": the possessive names the city.
        tokens = [
            (_unpossessive(m.group(0)), m.start(), m.end())
            for m in _WORD.finditer(text.lower().replace("’", "'"))
        ]
        found: list[Found] = []
        last_end = -1
        for first, past, _ in self.names.find([t[0] for t in tokens]):
            if past != last_end:  # the longest name ending at this word
                found.append(Found(text, tokens[first][1], tokens[past - 1][2]))
                last_end = past
        if "local" in text.lower():
            # "each local human relations commission", "a local school board": a body the
            # text itself calls local, whatever its name.
            found.extend(Found(text, m.start(), m.end()) for m in _LOCAL_BODY.finditer(text))
        found.sort(key=lambda f: (f.start(), -f.end()))
        out: list[Found] = []
        for f in found:
            if out and f.start() < out[-1].end():
                continue  # inside a longer name already found
            out.append(f)
        return out

    def for_bill(self, text: str) -> SlotReader:
        """This reader, knowing also the terms the bill defines as a local government
        ("'Authority' means a county or municipality having jurisdiction ..."): a statute
        that says "an authority may not" binds counties and cities."""
        terms = set()
        for m in _DEFINES.finditer(text):
            term, body = " ".join(m.group(1).lower().split()), m.group(2)
            if len(term) < 3 or any(a.end() - a.start() == len(term) for a in self._actors(term)):
                continue  # too short, or already a name of a local government
            actors = self._actors(body)
            if (
                actors
                and actors[0].start() <= 30
                and not _AFTER_PREPOSITION.search(body[: actors[0].start()] + " ")
                # "the term 'court' refers to all municipal and district courts": not local alone
                and not _STATE_TOO.search(body[: actors[0].end() + 40])
            ):
                terms.add(term)
        called_local: dict[str, bool] = {}
        for m in _DEFINED_BY_REFERENCE.finditer(text):
            # '"governmental agency" has the meaning assigned by Section 271.003', in the
            # Local Government Code, or in a bill whose title speaks of "a local governmental
            # agency": the statute referred to is not in the bill, but where the term stands
            # says whom it means.
            term = " ".join(m.group(1).lower().split())
            if term in terms or not _GOVERNMENT_WORD.search(term):
                continue
            if term not in called_local:  # the whole text is searched once per term
                called_local[term] = bool(re.search(rf"\blocal\s+{re.escape(term)}\b", text, re.I))
            if called_local[term] or _LOCAL_CODE.search(text[max(0, m.start() - 600) : m.start()]):
                terms.add(term)
        if not terms:
            return self
        clone = copy.copy(self)
        clone.actor_names = sorted({*self.actor_names, *terms})
        clone.names = PhraseIndex((tuple(_WORD.findall(a)), None) for a in clone.actor_names)
        clone.actor_words = clone.names.last_words
        return clone

    def names_local(self, text: str) -> bool:
        """Whether `text` may name a local government (a cheap test on its words)."""
        words = _WORD.findall(text.lower().replace("’", "'"))
        if not self.actor_words.isdisjoint(map(_unpossessive, words)):
            return True
        return "local" in words and _LOCAL_BODY.search(text) is not None

    def read(self, text: str, context: bool = False) -> list[SlotHit]:
        """Every cue in `text` with a local government bound by it. With `context`, when the
        text names no local government, the cues whose subject is not someone else ("the
        prohibition ... applies to", "any such contract is void"): the caller decides
        whether the enclosing section binds a local government."""
        if _DEFINITION.match(text):
            return []  # "'Local government' means ...": a definition binds no one
        words = frozenset(_WORD.findall(text.lower()))
        todo = set(self.always)
        for w in words & self.cue_words:
            todo.update(self.by_word[w])
        cues = [
            c
            for k, c in enumerate(self.cues)
            if k in todo and any(all(words & alts for alts in need) for need in self.needs[c.id])
        ]
        if not cues:
            return []
        actors = []
        if words & self.actor_words or ("local" in words and _LOCAL_BODY.search(text)):
            actors = self._bound_actors(text)
        if not actors and not context:
            return []
        hits: list[SlotHit] = []
        for cue in cues:
            for m in cue.pattern.finditer(text):
                if cue.unless_next is not None and cue.unless_next.match(
                    text, m.end(), m.end() + 80
                ):
                    continue
                if cue.unless_before is not None and cue.unless_before.search(
                    text[max(0, m.start() - 40) : m.start()], determiner=False
                ):
                    continue
                if cue.slot == "declaration" and _OWN_TEXT.search(
                    ("" if m.start() <= 80 else "…") + text[max(0, m.start() - 80) : m.start()]
                ):
                    continue  # "this section expires", "this article has no effect"
                bound = actors
                if cue.slot == "sanction":
                    # A payee ("liable to the county") or a local measure ("violates a county
                    # ordinance") is not the one sanctioned.
                    bound = [
                        a
                        for a in actors
                        if not self.payee.search(text[max(0, a.start() - 30) : a.start()])
                        and not self.measure.fullmatch(a.group(0))
                    ]
                actor = self._binds(cue, text, m, bound) if bound else None
                if (
                    actor is not None
                    and cue.mechanism in ("entity_liability", "official_fine")
                    and self._binds(_as_subject(cue), text, m, bound) is None
                    and not self._sanctioned(text, m, bound)
                    and self._other_subject(text, self._clause_start(text, m.start()), m.start())
                ):
                    actor = None  # "a person who violates ... is liable": the person is
                if actor is not None:
                    # A permission counts only where the section binds local government: the
                    # caller sees it as a context hit.
                    name = "" if cue.section_binds else actor.group(0)
                elif context and self._unowned(cue, text, m):
                    name = ""  # bound only if the section binds a local government
                else:
                    continue
                if cue.fiscal and not self.fiscal.search(text):
                    continue
                if cue.id == "sanction.suit" and _STATE_SUITOR.search(text[: m.start()]):
                    continue  # the attorney general's suit is ag_enforcement, not a private one
                if cue.id == "sanction.suit" and _BRINGS.match(m.group(0)):
                    suitor = self._binds(_as_subject(cue), text, m, actors)
                    start = self._clause_start(text, m.start())
                    if suitor is not None and not self._other_subject(text, start, suitor.start()):
                        continue  # "a city may bring an action": the city sues, it is not sued
                if (
                    cue.slot == "sanction"
                    and name
                    and _ON_OTHERS.match(text, m.end(), m.end() + 60)
                    and _IMPOSES.search(text, max(0, m.start() - 120), m.end())
                    and not self._sanctioned(text, m, bound)
                ):
                    continue  # "a city may institute civil penalties against a person"
                if (
                    cue.mechanism == "entity_liability"
                    and "immunity" in text[max(0, m.start() - 120) : m.start()].lower()
                ):
                    continue  # "immunity from suit and from liability" is waived, not imposed
                near = text[max(0, m.start() - 80) : m.end() + 80]
                if cue.slot in ("declaration", "preservation") and _FEDERAL.search(near):
                    continue  # federal preemption, or saving federal law, is not local
                central = True
                if name and cue.binding == "anywhere":
                    # "fines on local governments", "withhold funds from the county",
                    # "an action against the city": the locality is the one sanctioned.
                    central = self._binds(
                        _as_subject(cue), text, m, bound
                    ) is not None or self._sanctioned(text, m, bound)
                hits.append(SlotHit(cue, name, _shorten(m.group(0)), m.start(), central, m.end()))
                break
        # "does not limit a city's authority to ...": the restriction's words are what the
        # saving denies, not a restriction.
        saves = [h.start for h in hits if h.cue.slot == "preservation"]
        # "must refund 50 percent of the application fee", "must issue a refund": the same
        # words are a penalty, not also a mandate.
        sanctions = [(h.start, h.end) for h in hits if h.cue.slot == "sanction"]
        return [
            h
            for h in hits
            if not (
                h.cue.slot in ("restriction", "declaration")
                and any(0 <= h.start - s < 60 for s in saves)
            )
            and not (
                h.cue.slot == "restriction"
                and any(a - 12 <= h.end and h.start < b for a, b in sanctions)
            )
            # "Ten percent of the fee if the county fails to ...", "If a governmental agency
            # fails to terminate ..., the contract is void": the failure is what triggers the
            # penalty or the declaration, not a limit of its own.
            and not (
                h.cue.id == "restriction.failure_consequence"
                and any(o.cue.slot in ("sanction", "declaration") for o in hits)
            )
        ]

    @staticmethod
    def _sanctioned(text: str, m: re.Match[str], bound: list[Found]) -> bool:
        """ "fines on local governments", "withhold funds from the county", "an action
        against the city": a local government named after the cue as its object."""
        return any(
            m.start() < a.start() < m.end() + 80
            and _SANCTIONED.search(text[max(m.start(), a.start() - 24) : a.start()]) is not None
            for a in bound
        )

    def _unowned(self, cue: Cue, text: str, m: re.Match[str]) -> bool:
        """A cue with no local government named, whose subject is not someone else."""
        if cue.binding in ("no_subject",) or cue.official or cue.needs_actor:
            return False
        if cue.section_binds:
            return False
        if cue.binding in ("anywhere", "measure"):
            # "A person who violates ... is liable": the person is the one sanctioned. The
            # attorney general or a court acting is the enforcer, not someone else bound.
            # "The tax commission may request ... in excess of": the state's own business.
            return not (
                (cue.mechanism in ("entity_liability", "official_fine") or cue.fiscal)
                and self._other_subject(
                    text, 0 if cue.mechanism else self._clause_start(text, m.start()), m.start()
                )
            )
        return not self._other_subject(text, self._clause_start(text, m.start()), m.start())

    def section_duty(self, text: str, after: int = 0) -> SlotHit | None:
        """The first duty, limit or condition in `text` (from `after`: a list item's own
        words, not its lead-in's) whose subject is neither someone else ("the department
        shall") nor a document ("the notice must include"): a sentence that counts when its
        part of the bill binds local governments ("Development fees may be collected only
        if ..."). The caller decides whether it does."""
        cue = self.duty
        if cue is None or _DEFINITION.match(text) or _DEFINITION.match(text[after:]):
            return None
        # The first few modals decide: a sentence whose first eight are someone else's is not
        # the locality's (and a hostile run of "shall" stays linear).
        for m in itertools.islice(cue.pattern.finditer(text, after), 8):
            if cue.unless_next is not None and cue.unless_next.match(text, m.end(), m.end() + 80):
                continue
            # its subject stands within its clause, and within 300 characters of it
            start = max(self._clause_start(text, m.start()), m.start() - 300)
            # The nearest subject: after the clause's last comma ("To the extent not
            # preempted by federal law, the commission shall").
            near = text.rfind(",", start, m.start()) + 1 or start
            before = text[start : m.start()]
            named = self._actors(before)
            # "A home-based business must be permitted": the thing acted on is the subject
            # of a passive; who permits it is left unsaid.
            passive = _PASSIVE.match(text, m.end())
            if (
                (
                    not passive
                    and (
                        self._other_subject(text, start, m.start())
                        or self._other_subject(text, near, m.start())
                    )
                )
                or self.document.search(text, start, m.start())
                or _TERM_BEFORE.search(before)  # "the term 'county' shall include"
                # "A county may contract with ...": a grant of power, which the permission
                # cue reads; a duty is the state's ("shall", "must", "may not", "may only").
                or (m.group(0).lower() == "may" and not _LIMITED_MAY.match(text, m.end()) and named)
            ):
                continue
            # The verb phrase, to the first stop or six words: "must be approved by right".
            phrase = re.split(r"[,;:.()]", text[m.start() : m.end() + 80])[0].split()[:6]
            # "A local government shall confirm receipt ...": the one bound, when named; or
            # the agent of a passive ("shall be provided by the municipality").
            actor = named[-1].group(0) if named else ""
            if not actor and passive:
                agent = _AGENT.match(text, passive.end())
                agents = self._actors(agent.group(0)) if agent else []
                actor = agents[0].group(0) if agents else ""
            if actor[1:2].islower():
                actor = actor[0].lower() + actor[1:]  # "Local government regulations must"
            return SlotHit(cue, actor, " ".join(phrase), m.start(), False, m.end())
        return None

    def mechanisms(self, text: str, found: tuple[str, ...]) -> tuple[str, ...]:
        """The mechanisms of a provision that punishes: those its rules and cues found, with
        those its words name (`mechanism_words`). Fees, costs or expenses recovered with no
        damages or penalty shift fees; they do not make the locality liable; an award to
        one who prevails in an action brought does not create the action."""
        named = [m for m, rx in self.mechanism_words.items() if rx.search(text)]
        out = list(dict.fromkeys([*found, *named]))
        if "fee_shifting" in out and "entity_liability" not in named:
            if not _LIABLE.search(text):
                out = [m for m in out if m != "entity_liability"]
            if "private_action" not in named and _PREVAILS.search(text):
                out = [m for m in out if m != "private_action"]
        return tuple(out)

    def _other_subject(self, text: str, start: int, end: int) -> bool:
        return any(
            not _AFTER_PREPOSITION.search(text[start : o.start()])
            for o in self.subject.finditer(text, start, end)
        )

    @staticmethod
    def _clause_start(text: str, at: int) -> int:
        start = 0
        for brk in _CLAUSE_BREAK.finditer(text, 0, at):
            start = brk.end()
        return start

    def _bound_actors(self, text: str) -> list[Found]:
        """The actors the sentence may bind. One joined to the one before ("in any city or
        town", "counties, cities, or school districts") stands where that one stands."""
        out: list[Found] = []
        previous: tuple[Found, bool] | None = None
        for m in self._actors(text):
            joined = previous is not None and re.fullmatch(
                r"\s*(?:,\s*)?(?:(?:or|and|and/or)\s+)?(?:any\s+|a\s+|an\s+|the\s+|other\s+)?",
                text[previous[0].end() : m.start()],
            )
            bound = previous[1] if joined and previous else self._bound(text, m)
            if bound:
                out.append(m)
            previous = (m, bound)
        return out

    def _bound(self, text: str, m: Found) -> bool:
        """An actor named as a place ("in a county"), a payee ("to the city") or as part of
        another noun ("county attorney", "county road") is not bound by the sentence."""
        before = text[max(0, m.start() - 40) : m.start()]
        if _adopted_by(text, m):
            return True  # "a law or policy adopted by a municipality": the locality's measure
        if self.not_before.search(before):
            # "an officer of a county", "the governing body of a city": the head is local.
            head = re.search(r"(\w+)\s+(?:of|in)\s+(?:the\s+|a\s+|an\s+|any\s+|each\s+)?$", before)
            return bool(head and head.group(1).lower() in self.official_heads)
        after = _WORD.findall(text[m.end() : m.end() + 40].lower())[: self.not_after_len]
        return not any(tuple(after[:k]) in self.not_after for k in range(1, len(after) + 1))

    def _binds(self, cue: Cue, text: str, m: re.Match[str], actors: list[Found]) -> Found | None:
        # CASE 1: anywhere in the sentence (a sanction, a declaration, a saving).
        if cue.binding == "anywhere":
            if cue.official:
                return next((a for a in actors if _official(text, a, self.official_heads)), None)
            return actors[0]
        # CASE 2: a local measure is named ("any ordinance ... is void").
        if cue.binding == "measure":
            found = self.measure.search(text)
            return (
                next((a for a in actors if found and a.start() == found.start()), None)
                or (actors[0] if found else None)
                # "a law or policy adopted by a municipality": the locality's own measure
                or next((a for a in actors if _adopted_by(text, a)), None)
            )
        # CASE 3: a local government named just after the cue: "unlawful for any political
        # subdivision to", "unlawful for a person to ... or for a county to".
        if cue.binding == "after":
            return next(
                (
                    a
                    for a in actors
                    if m.end() <= a.start() <= m.end() + 400
                    and (
                        re.fullmatch(_DETERMINER_GAP, text[m.end() : a.start()], re.I)
                        or re.search(r"\bfor" + _DETERMINER_GAP + "$", text[m.end() : a.start()])
                    )
                ),
                None,
            )
        # CASE 4: the cue's subject: the nearest subject-like words before it in its clause.
        clause_start = self._clause_start(text, m.start())
        # "... shall be the city or town in which ...": a local government after a copula is
        # what the subject is, not the subject.
        before = [
            a
            for a in actors
            if clause_start <= a.start() < m.start()
            and not _COPULA.search(text[max(0, a.start() - 16) : a.start()])
        ]
        others = [s for s in self.subject.finditer(text, clause_start, m.start())]
        if not before:
            return None
        nearest = before[-1]
        # A non-local subject between the local government and the cue is the one bound
        # ("a county's vendor may not ..."), unless it is part of the local name
        # ("the county attorney" is excluded above; "the governing body" is an actor).
        if any(
            o.start() >= nearest.end()
            and not _inside(o, before)
            # "a county commissioner", "a city employee": the local word names the office.
            and not (
                not text[nearest.end() : o.start()].strip()
                and o.group(0).lower() in self.official_heads | _OFFICES
            )
            and not _AFTER_PREPOSITION.search(text[nearest.end() : o.start()])
            # "an LEA or public charter school shall not": both are bound.
            and not _COORDINATED.fullmatch(text[nearest.end() : o.start()])
            for o in others
        ):
            return None
        if cue.binding == "no_subject":
            lead = text[max(0, nearest.start() - 12) : nearest.start()]
            # "No county shall", and "No employee of any public school or school district
            # shall": an official of the locality, negated.
            if not re.search(r"\bno\s+(?:\w+\s+)?$", lead, re.I):
                wide = text[max(clause_start, nearest.start() - 80) : nearest.start()]
                of_local = _NO_OFFICIAL_OF.search(wide)
                if not (
                    of_local and _unpossessive(of_local.group(1).lower()) in self.official_heads
                ):
                    return None
            if re.search(r"\bnot\b", text[nearest.end() : m.end() + 6], re.I):
                return None
        return nearest


# The bill's own text as the subject of a declaration: a sunset or a contingency ("this
# section expires January 1, 2027", "If Section 4.01 does not take effect, this article has
# no effect"), not a declaration about local measures.
_OWN_TEXT = re.compile(
    r"(?:^|[,;:.]\s*|\b(?:subsection|section|paragraph|subdivision|article)\s+\S+\s+of\s+)"
    r"(?:this|that|such)\s+(?:act|section|article|subsection|paragraph|subparagraph|"
    r"chapter|part|subdivision|amendment|provision|title)\s+(?:shall\s+|will\s+|is\s+|"
    r"has\s+|have\s+|be\s+)*$",
    re.I,
)
# A body the text itself calls local: "local human relations commission", "local board of
# health", "local law enforcement agency" (not "local law" or "local option": a measure or
# a choice is not a body).
# A definition: "'Authority' means a county or municipality ...".
_DEFINES = re.compile(
    r"[\"“]([A-Za-z][A-Za-z -]{1,40})[\"”],?\s+(?:means|includes|refers\s+to)\s+([^.;:]{0,160})"
)
_COORDINATED = re.compile(
    r"\s*,?\s*(?:or|and|and/or)\s+(?:(?:an?|the|any|each)\s+)?(?:[a-z]+\s+)?", re.I
)
_DEFINED_BY_REFERENCE = re.compile(
    r"[\"“]([A-Za-z][A-Za-z -]{1,40})[\"”],?\s+has\s+the\s+meaning\s+"
    r"(?:assigned|given|provided|ascribed|defined)\b"
)
_GOVERNMENT_WORD = re.compile(
    r"\b(?:agency|agencies|entity|entities|body|bodies|unit|units|subdivisions?|authority|"
    r"authorities|districts?|boards?|government|governments|jurisdictions?)\b"
)
_LOCAL_CODE = re.compile(r"\bLocal\s+Government\s+Code\b")
# ... unless the definition takes in state bodies too ("any state or municipal court").
_STATE_TOO = re.compile(r"\b(?:state|federal|tribal|district\s+courts?)\b", re.I)
_LOCAL_BODY = re.compile(
    r"\blocal\s+(?:[a-z][\w-]*\s+){0,3}?(?:commissions?|boards?|agenc(?:y|ies)|authorit(?:y|ies)|"
    r"bod(?:y|ies)|offices?|departments?|officials?|officers?|entit(?:y|ies)|units?|"
    r"governments?|councils?|districts?)\b",
    re.I,
)
# "No employee of any public school or ...": the head word before "of" is checked against
# the official heads.
_NO_OFFICIAL_OF = re.compile(
    r"\bno\s+(?:\w+\s+)?(\w+)\s+of\s+(?:any|a|an|the|each)?\s*(?:[\w-]+\s+(?:or\s+)?){0,4}$",
    re.I,
)
_DETERMINER_GAP = r"[\s,]*(?:(?:a|an|any|the|each|every|no)\s+)?"
_COPULA = re.compile(r"\b(?:be|is|are|was|were|becomes?)\s+(?:the|a|an|any|each)?\s*$", re.I)
# A penalty the locality imposes on someone else ("a city may ... institute civil penalties
# against a person who ...", "a county may impose a fine on the owner"): the locality acts.
_ON_OTHERS = re.compile(
    r"[\s,]*(?:against|on|upon)\s+(?:a|an|any|the|each|every)?\s*(?:\w+\s+){0,2}?"
    r"(?:person|persons|individual|individuals|violator|violators|owner|owners|business|"
    r"businesses|employer|employers|operator|operators|offender|offenders|company|companies|"
    r"vendor|vendors|landlord|landlords|tenant|tenants|driver|drivers)\b",
    re.I,
)
_IMPOSES = re.compile(
    r"\b(?:may|shall|must)\s+(?:\w+\s+){0,3}?(?:impose|institute|assess|levy|seek|collect|"
    r"enforce|recover|issue)\b|\bmay\s+do\s+(?:any|all|each)\s+of\s+the\s+following\b",
    re.I,
)
_BRINGS = re.compile(r"(?:bring|file|maintain|commence|institute|petition)\b", re.I)
_STATE_SUITOR = re.compile(r"\battorney\s+general\b|\bthe\s+state\s+(?:may|shall)\b", re.I)
_OFFICIAL = re.compile(
    r"\b(?:official|officials|officer|officers|member|members|mayor|commissioners?)\b", re.I
)
_OFFICES = frozenset({"commissioner", "commissioners", "judge", "manager", "administrator"})


def _adopted_by(text: str, actor: Found) -> bool:
    """The actor is named as the author of a measure: "a law or policy adopted by a
    municipality"."""
    return _MEASURE_BY.search(text[max(0, actor.start() - 120) : actor.start()]) is not None


def _as_subject(cue: Cue) -> Cue:
    return Cue(cue.id, cue.slot, cue.kind, "subject", cue.pattern, "")


def _inside(o: re.Match[str], actors: list[Found]) -> bool:
    return any(a.start() <= o.start() and o.end() <= a.end() for a in actors)


def _official(text: str, actor: Found, heads: frozenset[str]) -> bool:
    words = text[actor.start() : actor.end() + 40].lower().split()
    return any(
        w.strip(",.;")
        in {
            "official",
            "officials",
            "officer",
            "officers",
            "member",
            "members",
            "mayor",
            "commissioner",
            "commissioners",
            "sheriff",
        }
        for w in words[:6]
    )


def _shorten(cue_text: str) -> str:
    words = cue_text.split()
    return " ".join(words) if len(words) <= 6 else " ".join([*words[:3], "…", *words[-2:]])


@lru_cache(maxsize=4)
def slot_reader(folder: str | None = None) -> SlotReader:
    """The reader for a patterns folder, built once per process."""
    from ..corpusdir import corpus_dir

    return SlotReader(Path(folder) if folder else corpus_dir() / "patterns")
