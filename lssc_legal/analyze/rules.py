"""The rule engine: spaCy Matcher patterns loaded from corpus/patterns/, run on provisions.

spaCy is imported here and nowhere else. The pipeline is `spacy.blank("en")` (a tokenizer,
no model to download); word lists from lexicon.json mark tokens (a local government, an
action, a local measure) so that patterns can say "@TGT may not @ACT"; phrase lists give
each provision its subjects and targets.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from spacy.attrs import LOWER, TAG
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, filter_spans

from ..corpusdir import corpus_dir
from ..errors import LsscError
from .slots import PhraseIndex

# Word-list flags travel in the token's TAG as a code ("F10010": a local government that
# can sit in a subject list), because the Matcher compares TAG natively while custom
# attributes cost a Python call per token and pattern state (three times slower).
_FLAGS = ("tgt", "act", "meas", "np", "adv")
_CODES = [format(i, "05b") for i in range(2 ** len(_FLAGS))]


def _with(flag: str) -> dict[str, Any]:
    bit = _FLAGS.index(flag)
    return {"TAG": {"IN": [f"F{c}" for c in _CODES if c[bit] == "1"]}}


_MACROS: dict[str, dict[str, Any]] = {
    "@TGT": _with("tgt"),
    "@ACT": _with("act"),
    "@MEAS": _with("meas"),
    "@NP": _with("np"),
    "@ADV": _with("adv"),
    "@W": {},
}
# spaCy expands "{,n}" into n optional tokens, and the states multiply: gaps longer than
# this are written "@W*" (one looping state) and bounded by Rule.max_tokens instead.
MAX_GAP = 10
_WORDS = re.compile(r"[a-z0-9]+")
_PUNCTUATION = re.compile(r"[^\w\s]")
_TOKEN = re.compile(r"^(?P<body>.+?)(?P<op>\{\d*,\d*\}|[?*+])?$")


class PatternError(LsscError):
    """A pattern file in corpus/patterns cannot be used."""

    exit_code = 2


@dataclass(frozen=True)
class Rule:
    id: str
    signal: dict[str, Any]
    rationale: str
    requires: str | None
    patterns: list[list[Any]]
    examples: list[str]
    counterexamples: list[str]
    source: str
    max_tokens: int = 40  # a match longer than this joins words of different clauses

    @property
    def kind(self) -> str | None:
        if "kind" in self.signal:
            return str(self.signal["kind"])
        if "mechanism" in self.signal:
            return "punitive"
        return None


@dataclass
class Hit:
    rule: Rule
    start: int  # character offsets in the provision's text
    end: int


@dataclass
class Reading:
    """What the rules saw in one provision."""

    hits: list[Hit] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    local: bool = False  # names a local government or a local measure
    local_measure: bool = False  # names a local measure: an ordinance, a local law ...
    # No rule could fire, so the text was not parsed: its subjects come from a word scan
    # and its targets are not read (Engine.complete reads them when they are needed).
    partial: bool = False


def expand_token(tok: Any, where: str) -> dict[str, Any]:
    """A pattern token of the lawyer-readable form ("may|shall", "@TGT*") as a spaCy dict."""
    if isinstance(tok, dict):
        return tok
    if not isinstance(tok, str) or not tok:
        raise PatternError(where, f"pattern token {tok!r} is not a word or a dict")
    m = _TOKEN.match(tok)
    assert m is not None
    body, op = m.group("body"), m.group("op")
    if body.startswith("@"):
        if body not in _MACROS:
            raise PatternError(where, f"unknown list {body!r}", f"use one of {', '.join(_MACROS)}")
        spec = dict(_MACROS[body])
    elif "|" in body and body != "|":
        spec = {"LOWER": {"IN": body.split("|")}}
    else:
        spec = {"LOWER": body}
    if op:
        gap = re.fullmatch(r"\{\d*,(\d+)\}", op)
        if gap and int(gap.group(1)) > MAX_GAP:
            raise PatternError(
                where,
                f"{tok!r} is a gap of more than {MAX_GAP} words",
                "write it as @W* and set max_tokens on the pattern",
            )
        spec["OP"] = op
    return spec


def _required_words(pattern: list[Any]) -> list[frozenset[str]]:
    """The words a pattern cannot match without: each plain token that is not optional,
    as the set of its alternatives."""
    required = []
    for tok in pattern:
        if not isinstance(tok, str) or tok.startswith("@"):
            continue
        m = _TOKEN.match(tok)
        if m is None or m.group("op") in ("?", "*") or (m.group("op") or "").startswith("{"):
            continue
        required.append(frozenset(m.group("body").split("|")))
    return required


def load_rules(folder: Path | None = None) -> list[Rule]:
    folder = folder or corpus_dir() / "patterns"
    rules: list[Rule] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.json")):
        if path.name in ("lexicon.json", "slots.json", "codes.json"):
            continue  # word lists and the structural reading's cues, not rule patterns
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise PatternError(path, f"is not valid JSON (line {exc.lineno}: {exc.msg})") from None
        for entry in entries:
            rid = entry.get("id")
            if not rid or rid in seen:
                raise PatternError(path, f"a pattern has a missing or repeated id: {rid!r}")
            seen.add(rid)
            rules.append(
                Rule(
                    id=rid,
                    signal=entry["signal"],
                    rationale=entry.get("rationale", ""),
                    requires=entry.get("requires"),
                    patterns=entry["patterns"],
                    examples=entry.get("examples", []),
                    counterexamples=entry.get("counterexamples", []),
                    source=path.name,
                    max_tokens=int(entry.get("max_tokens", 40)),
                )
            )
    return rules


class Engine:
    """The pipeline, built once: tokenizer, word lists, phrase lists and rule patterns."""

    def __init__(self, folder: Path | None = None) -> None:
        folder = folder or corpus_dir() / "patterns"
        lexicon = json.loads((folder / "lexicon.json").read_text(encoding="utf-8"))
        self.nlp = spacy.blank("en")
        # Bills join words with dashes: "General rule.--No county", "preempted.—Except".
        infixes = [*(self.nlp.Defaults.infixes or ()), r"--+", r"—", r"–"]
        tokenizer: Any = self.nlp.tokenizer
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        self.rules = load_rules(folder)
        self.by_id = {r.id: r for r in self.rules}
        self.actions = frozenset(lexicon["actions"])
        self.adverbs = frozenset(lexicon["adverbs"])
        self.np_words = frozenset(lexicon["subject_np"])
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for target, terms in lexicon["targets"].items():
            self.phrases.add(f"TGT:{target}", [self.nlp.make_doc(t) for t in terms])
        # "performance bond" names no subject though "bond" is fiscal: such phrases are
        # subjects of their own, "none", which the longer match lets win and then drops.
        subject_terms = {**lexicon["subjects"], NO_SUBJECT: lexicon.get("subject_not", [])}
        for subject, terms in subject_terms.items():
            self.phrases.add(f"SUBJ:{subject}", [self.nlp.make_doc(t) for t in terms])
        self.phrases.add("MEAS", [self.nlp.make_doc(t) for t in lexicon["measures"]])
        self.phrases.add("LOCAL", [self.nlp.make_doc(t) for t in lexicon["local_measures"]])
        self.phrases.add("NOTLOCAL", [self.nlp.make_doc(t) for t in lexicon.get("not_local", [])])
        # One Matcher per pattern, run only when the provision has the pattern's required
        # words ("field", "void", "attorney" ...): most patterns skip most provisions, and a
        # provision on which no pattern can fire is not parsed at all.
        self.matchers: list[tuple[list[frozenset[str]], Matcher]] = []
        strings = self.nlp.vocab.strings
        # Word lists as sets of lower-case hashes, for flagging a whole Doc at once.
        self._act_set = frozenset(strings.add(w) for w in self.actions)
        self._adv_set = frozenset(strings.add(w) for w in self.adverbs)
        self._np_set = frozenset(strings.add(w) for w in self.np_words)
        self._tags = np.array([strings.add(f"F{c}") for c in _CODES], dtype=np.uint64)
        for rule in self.rules:
            where = f"corpus/patterns/{rule.source} ({rule.id})"
            for p in rule.patterns:
                matcher = Matcher(self.nlp.vocab)
                try:
                    matcher.add(rule.id, [[expand_token(t, where) for t in p]])
                except (ValueError, KeyError) as exc:
                    raise PatternError(where, f"is not a valid spaCy pattern ({exc})") from None
                self.matchers.append((_required_words(p), matcher))
        # Each matcher under the rarest of its required words (one of its first set).
        self._by_word: dict[str, list[int]] = {}
        self._always: list[int] = []
        for k, (required, _) in enumerate(self.matchers):
            if not required:
                self._always.append(k)
            for word in min(required, key=len) if required else ():
                self._by_word.setdefault(word, []).append(k)
        self._keys = frozenset(self._by_word)
        # Subject phrases, for the word scan of unparsed text.
        self._subject_names: PhraseIndex[str] = PhraseIndex(
            (tuple(_WORDS.findall(term.lower())), subject)
            for subject, terms in subject_terms.items()
            for term in terms
        )
        # Cheap anchors: a provision with none of these words cannot fire any rule.
        words: set[str] = set()
        for terms in lexicon["targets"].values():
            words.update(t.split()[-1] for t in terms)
        words.update(t.split()[-1] for t in lexicon["local_measures"])
        words.update(
            [
                "preempt",
                "preempts",
                "preempted",
                "preempting",
                "preemption",
                "supersede",
                "supersedes",
                "void",
                "field",
                "occupies",
                "occupy",
                "statewide",
                "withhold",
                "withheld",
                "redistribute",
                "eligible",
                "ineligible",
                "immunity",
                "attorney",
                "attorneys",
                "defense",
                "fine",
                "felony",
                "misdemeanor",
                "office",
                "injunction",
                "enjoin",
                "damages",
                "suspended",
                "reserved",
            ]
        )
        self.anchor = frozenset(w.lower() for w in words)
        self._seen: dict[str, Reading] = {}

    def read(self, text: str) -> Reading:
        """What the rules see in `text`. Bills repeat their boilerplate (effective dates,
        severability, "as used in this section"), so readings are kept for reuse; a
        Reading is not changed by its callers."""
        found = self._seen.get(text)
        if found is None:
            found = self._read(text)
            if len(self._seen) >= 20_000:
                self._seen.clear()
            self._seen[text] = found
        return found

    def _read(self, text: str, parse: bool = False) -> Reading:
        reading = Reading()
        low = text.lower()
        tokens = _WORDS.findall(low)
        if self.anchor.isdisjoint(tokens):
            return reading
        firing = self._firing(tokens, low)
        if not parse and not firing:
            # Most sentences that name a local government fire no rule: spare the parse.
            return Reading(subjects=self._scan_subjects(tokens), partial=True)
        doc = self.nlp.make_doc(text)
        self._flag(doc, reading, doc.to_array(LOWER))
        for k in firing:
            for match_id, start, end in self.matchers[k][1](doc):
                rule = self.by_id[self.nlp.vocab.strings[match_id]]
                if end - start > rule.max_tokens:
                    continue  # words too far apart to be one statement
                span = doc[start:end]
                reading.hits.append(Hit(rule, span.start_char, span.end_char))
        return reading

    def _flag(self, doc: Doc, reading: Reading, lower: Any) -> None:
        """Each token's word-list flags, as a TAG code the Matcher compares natively; set
        for the whole Doc at once (a Python loop over tokens cost most of the analysis)."""
        n = len(doc)
        # Bits in the order of _FLAGS, first flag highest: tgt 16, act 8, meas 4, np 2, adv 1.
        act, np_, adv = self._act_set, self._np_set, self._adv_set
        bits = np.array(
            [(8 if h in act else 0) | (2 if h in np_ else 0) | (h in adv) for h in lower.tolist()],
            dtype=np.int64,
        )
        for start, end, flag in self._phrases(doc, reading):
            bits[start:end] |= flag
        doc.from_array([TAG], self._tags[bits].reshape(n, 1))  # type: ignore[arg-type]

    def _phrases(self, doc: Doc, reading: Reading) -> list[tuple[int, int, int]]:
        """Targets, subjects and measures named in the Doc, into `reading`; the token
        ranges to flag, as (start, end, bits)."""
        tgt, meas, np_ = 16, 4, 2  # the bits of _flag
        strings = self.nlp.vocab.strings
        matches = self.phrases(doc)
        out: list[tuple[int, int, int]] = []
        # "local government official" is an official, not also a local government: the
        # longest target phrase wins. "A state governmental entity" is not a local one.
        state = [(s, e) for m, s, e in matches if strings[m] == "NOTLOCAL"]
        target_spans = [
            Span(doc, s, e, label=m)
            for m, s, e in matches
            if strings[m].startswith("TGT:") and not any(a <= s and e <= b for a, b in state)
        ]
        out.extend((span.start, span.end, tgt | np_) for span in target_spans)
        for span in sorted(filter_spans(target_spans), key=lambda sp: sp.start):
            value = strings[span.label].partition(":")[2]
            if value not in reading.targets:
                reading.targets.append(value)
            reading.local = True
        named = []
        for match_id, start, end in matches:
            kind, _, value = strings[match_id].partition(":")
            if kind == "SUBJ":
                named.append((start, end, value))
            elif kind in ("MEAS", "LOCAL"):
                if kind == "LOCAL":
                    reading.local = reading.local_measure = True
                out.append((start, end, meas))
        for value in longest_subjects(named):
            if value not in reading.subjects:
                reading.subjects.append(value)
        return out

    def complete(self, reading: Reading, text: str) -> Reading:
        """A reading with its targets and subjects, for a text the rules did not parse."""
        return self._read(text, parse=True) if reading.partial else reading

    def _firing(self, tokens: list[str], low: str) -> list[int]:
        """The matchers that may fire: those whose every required word is in the text. The
        words are taken as a regular expression splits them, as whitespace does (so that
        "u.s.c." and "attorney's" are found either way), and every punctuation mark (a
        pattern may need "-" or ":"), a superset of the tokens spaCy makes."""
        words = (
            set(tokens)
            | {t.strip(",;:()[]\"'“”’") for t in low.split()}
            | {t.strip(".,;:()[]\"'“”’") for t in low.split()}
            | set(_PUNCTUATION.findall(low))
        )
        todo = set(self._always)
        for w in words & self._keys:
            todo.update(self._by_word[w])
        return sorted(
            k for k in todo if all(words & alternatives for alternatives in self.matchers[k][0])
        )

    def _scan_subjects(self, tokens: list[str]) -> list[str]:
        return longest_subjects(list(self._subject_names.find(tokens)))

    def subjects_of(self, text: str) -> list[str]:
        """Subjects named in a heading or title."""
        doc = self.nlp.make_doc(text)
        strings = self.nlp.vocab.strings
        named = []
        for match_id, start, end in self.phrases(doc):
            kind, _, value = strings[match_id].partition(":")
            if kind == "SUBJ":
                named.append((start, end, value))
        return longest_subjects(named)


NO_SUBJECT = "none"


def longest_subjects(named: list[tuple[int, int, str]]) -> list[str]:
    """The subjects of (start, end, subject) phrase matches, in text order, where phrases
    overlap the longest wins: "voter-approval tax rate" is fiscal, not also elections for
    "voter"; "performance bond" (no subject) hides the fiscal "bond"."""
    kept: list[tuple[int, int, str]] = []
    for start, end, value in sorted(named, key=lambda m: (m[0] - m[1], m[0])):
        # One phrase may name several ("terms and conditions of employment").
        if all(end <= s or e <= start or (s, e) == (start, end) for s, e, _ in kept):
            kept.append((start, end, value))
    return list(dict.fromkeys(v for _, _, v in sorted(kept) if v != NO_SUBJECT))


@lru_cache(maxsize=4)
def engine(folder: str | None = None) -> Engine:
    """The engine for a patterns folder, built once per process."""
    return Engine(Path(folder) if folder else None)
