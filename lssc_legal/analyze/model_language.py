"""Model language: match provisions to the preemption language states copy from one another,
and draw amendments from the principled alternatives, on the bill's own words.

corpus/model_language/preemption.json holds the models, alternatives.json the alternatives
(see the README there). Similarity is the share of words two texts have in common, in order;
the diff shows what the bill changed from the model.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..corpusdir import corpus_dir
from ..errors import CorpusError
from ..models import KINDS, MECHANISMS, SUBJECTS, Amendment, ModelMatch, Provision, RedlineSpan
from ..textdiff import similarity, word_diff, word_tokens

MATCH_THRESHOLD = 0.40  # below this a "nearest model" says nothing a lawyer can use
VERBATIM = 0.60  # this close, the drafting is shared whatever the subject
_ACTIONS = frozenset({"append", "prepend", "strike", "strike_phrase", "replace"})
_CONDITIONS = frozenset({"savings_in_section", "stated_interest"})
# States whose legislature is styled the General Assembly (in amendment text: "The general
# assembly finds"); the rest say "legislature".
GENERAL_ASSEMBLY = frozenset(
    {"AR", "CO", "CT", "DE", "GA", "IL", "IN", "IA", "KY", "MD", "MO", "NC", "OH", "PA", "RI",
     "SC", "TN", "VT", "VA"}
)  # fmt: skip
_DIFF_MARKS = {"equal": "unchanged", "delete": "deleted", "insert": "inserted"}
_TARGET = re.compile(
    r"\b(?:a|an|the|any|each)\s+(?:political\s+subdivision|municipality\s+or\s+county|"
    r"county\s+or\s+municipality|municipality|county|local\s+government(?:al)?(?:\s+entity)?|"
    r"local\s+entity|city|town|unit\s+of\s+local\s+government|local\s+governing\s+body)\b",
    re.I,
)


@dataclass(frozen=True)
class Model:
    id: str
    title: str
    kind: str
    subjects: tuple[str, ...]
    text: str
    appeared: str
    alternatives: tuple[str, ...]


@dataclass(frozen=True)
class Alternative:
    id: str
    title: str
    principles: tuple[str, ...]
    applies: dict[str, list[str]]
    action: str
    text: str
    rationale: str
    strike_phrase: tuple[str, ...] = ()
    # The reason by the direction of a fee award (fee_direction): "one-way", "two-way".
    rationales: tuple[tuple[str, str], ...] = ()


# Who a fee clause pays. Two-way: whichever side prevails ("the prevailing party").
# One-way: only the side suing the locality ("a plaintiff who prevails", "against the
# political subdivision").
_TWO_WAY = re.compile(r"\bprevailing\s+party\b|\beither\s+party\b|\bparty\s+who\s+prevails\b", re.I)
_ONE_WAY = re.compile(
    r"\b(?:plaintiff|claimant|petitioner|person|resident|taxpayer|individual)s?\s+who\s+"
    r"prevails?\b|\bprevailing\s+(?:plaintiff|claimant|petitioner|person|resident|taxpayer)\b|"
    r"\bfees?\b[^.;]{0,80}\bagainst\s+(?:the|a|an|any)\s+(?:political\s+subdivision|county|"
    r"municipality|city|town|local\s+government|governmental\s+(?:body|entity)|"
    r"school\s+district|district)",
    re.I,
)


def fee_direction(text: str) -> str:
    """Who a fee-shifting clause pays: "two-way" (the prevailing party, whichever side),
    "one-way" (only the side suing the locality), or "unclear"."""
    if _TWO_WAY.search(text):
        return "two-way"
    if _ONE_WAY.search(text):
        return "one-way"
    return "unclear"


# A heading the provision opens with, before which nothing may be inserted: a code
# section's number and catchline ("Sec. 250.0131. REGULATION OF EMPLOYMENT LEAVE.",
# "943.0536 Enforcement of immigration laws.—") and the subsection's own label ("(a)").
_LEADING_HEADING = re.compile(
    r"^(?:(?:Sec\.|Section|\u00a7)\s*[\d.:-]*\d\.?\s+(?:[A-Z][A-Z0-9 ,;'&-]+\.\s+)?"
    r"|[\d.:-]*\d\.?\s+[A-Z][^.\n]{2,100}\.\s*[-\u2014\u2013]+\s*)?"
    r"(?:\(?[A-Za-z0-9]{1,4}[.)]\s+)?"
)


@dataclass(frozen=True)
class ModelLanguage:
    models: tuple[Model, ...]
    alternatives: tuple[Alternative, ...]

    def model(self, model_id: str) -> Model | None:
        return next((m for m in self.models if m.id == model_id), None)


@lru_cache(maxsize=8)
def load_model_language(folder: str | None = None) -> ModelLanguage:
    root = Path(folder) if folder else corpus_dir() / "model_language"
    models: list[Model] = []
    alternatives: list[Alternative] = []
    for name in ("preemption.json", "alternatives.json"):
        path = root / name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if name == "preemption.json":
                models = [_model(m) for m in data["models"]]
            else:
                alternatives = [_alternative(a) for a in data["alternatives"]]
        except FileNotFoundError:
            raise CorpusError(path, "is missing") from None
        except (ValueError, KeyError, TypeError, re.error) as exc:
            raise CorpusError(path, f"is not a model-language file ({exc})") from None
    known = {a.id for a in alternatives}
    for m in models:
        for alt in m.alternatives:
            if alt not in known:
                raise CorpusError(root / "preemption.json", f"{m.id} names unknown {alt!r}")
    return ModelLanguage(tuple(models), tuple(alternatives))


def _model(d: dict[str, Any]) -> Model:
    if d["kind"] not in KINDS:
        raise ValueError(f"{d['id']}: kind {d['kind']!r}")
    bad = set(d.get("subjects", [])) - set(SUBJECTS)
    if bad:
        raise ValueError(f"{d['id']}: unknown subjects {sorted(bad)}")
    return Model(
        id=d["id"],
        title=d["title"],
        kind=d["kind"],
        subjects=tuple(d.get("subjects", [])),
        text=d["text"],
        appeared=d.get("appeared", ""),
        alternatives=tuple(d.get("alternatives", [])),
    )


def _alternative(d: dict[str, Any]) -> Alternative:
    if d["action"] not in _ACTIONS:
        raise ValueError(f"{d['id']}: action {d['action']!r}")
    applies = d["applies"]
    for key, values in applies.items():
        vocab = {
            "kinds": KINDS,
            "mechanisms": MECHANISMS,
            "subjects": SUBJECTS,
            "unless": tuple(_CONDITIONS),
            "effects": ("ceiling", "floor", "prohibition"),
        }.get(key)
        if vocab is None or set(values) - set(vocab):
            raise ValueError(f"{d['id']}: bad condition {key}: {values}")
    if d["action"] in ("append", "prepend", "replace") and not d["text"]:
        raise ValueError(f"{d['id']}: {d['action']} needs text")
    phrases = tuple(d.get("strike_phrase", []))
    for p in phrases:
        re.compile(p)
    return Alternative(
        id=d["id"],
        title=d["title"],
        principles=tuple(d.get("principles", [])),
        applies=applies,
        action=d["action"],
        text=d["text"],
        rationale=d["rationale"],
        strike_phrase=phrases,
        rationales=tuple(d.get("rationales", {}).items()),
    )


def match_models(provisions: Sequence[Provision], language: ModelLanguage) -> list[ModelMatch]:
    """The nearest model to each provision, when it is near enough to say something.

    A provision is one sentence and a model may have several, so a provision is scored
    against the whole model and against each of its sentences, and the diff is drawn
    against the closer. A model on another subject counts only when its wording is
    nearly the provision's own."""
    found: list[ModelMatch] = []
    units = [(m, unit, Counter(_words(unit))) for m in language.models for unit in _units(m.text)]
    for p in provisions:
        mine = Counter(_words(p.text))
        # The share of words in common in order is at most the share in common in any
        # order: diff only the candidates whose bound can still beat the best so far.
        ranked = sorted(
            ((_bound(mine, bag), m, unit) for m, unit, bag in units),
            key=lambda c: -c[0],
        )
        best: tuple[float, Model, list[tuple[str, str]]] | None = None
        for bound, m, unit in ranked:
            floor = max(MATCH_THRESHOLD, best[0] if best else 0.0)
            if bound < floor:
                break
            if m.subjects and p.subjects and "general" not in m.subjects:
                off_subject = not set(m.subjects) & set(p.subjects)
            else:
                off_subject = False
            if off_subject and bound < VERBATIM:
                continue
            ops = word_diff(unit, p.text)
            score = similarity(ops)
            if off_subject and score < VERBATIM:
                continue
            if best is None or score > best[0]:
                best = (score, m, ops)
        if best is None or best[0] < MATCH_THRESHOLD:
            continue
        score, m, ops = best
        found.append(
            ModelMatch(
                provision=p.id,
                model=m.id,
                title=m.title,
                family="preemption",
                similarity=round(score, 2),
                diff=tuple(RedlineSpan(t, _DIFF_MARKS[op]) for op, t in ops),  # type: ignore[arg-type]
                appeared=m.appeared,
            )
        )
    return found


def _words(text: str) -> list[str]:
    return [t.lower() for t in word_tokens(text)]


def _bound(a: Counter[str], b: Counter[str]) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def _units(text: str) -> list[str]:
    sentences = [s for s in re.split(r"(?<=[.;])\s+(?=[A-Z])", text) if s]
    return [text, *sentences] if len(sentences) > 1 else [text]


def propose_amendments(
    provisions: Sequence[Provision],
    language: ModelLanguage,
    conditions: Callable[[Provision], set[str]],
    state: str | None = None,
) -> list[Amendment]:
    """One amendment for each provision that offends a principle, from the first principled
    alternative that answers it; a savings clause is proposed once per section."""
    found: list[Amendment] = []
    saved_sections: set[str] = set()
    for p in provisions:
        if not p.principles or p.markup == "deleted":
            continue
        held = conditions(p)
        for alt in language.alternatives:
            if not _applies(alt, p, held):
                continue
            # Once per section: a second provision of a section that already gets the
            # savings clause needs none; a second penalty the replacement already answers
            # is struck.
            section_key = f"{alt.id}:{p.section.split(',')[0]}"
            again = section_key in saved_sections
            if alt.action in ("append", "prepend") and again:
                continue  # a savings clause or a finding of interest: once per section
            saved_sections.add(section_key)
            legislature = "general assembly" if state in GENERAL_ASSEMBLY else "legislature"
            strike_only = again and alt.action == "replace"
            redline = _draw(alt, p, legislature, strike_only=strike_only)
            found.append(
                Amendment(
                    provision=p.id,
                    alternative=alt.id,
                    title=f"{alt.title}: strike (the replacement above answers it)"
                    if strike_only
                    else alt.title,
                    rationale=dict(alt.rationales).get(fee_direction(p.text), alt.rationale),
                    redline=redline,
                    text=_reading(redline),
                    principles=alt.principles,
                )
            )
            break
    return found


def _applies(alt: Alternative, p: Provision, held: set[str]) -> bool:
    a = alt.applies
    if "kinds" in a and not set(a["kinds"]) & set(p.kinds):
        return False
    if "mechanisms" in a and not set(a["mechanisms"]) & set(p.punitive):
        return False
    if "subjects" in a and not set(a["subjects"]) & set(p.subjects):
        return False
    if "effects" in a and p.effect not in a["effects"]:
        return False
    return not set(a.get("unless", [])) & held


def _draw(
    alt: Alternative, p: Provision, legislature: str, strike_only: bool = False
) -> tuple[RedlineSpan, ...]:
    """The provision's own words with the alternative's strikes and insertions."""
    if strike_only:
        return (RedlineSpan(p.text, "deleted"),)
    target = _TARGET.search(p.text)
    phrase = target.group(0) if target else "a political subdivision"
    if phrase.split()[0].lower() in ("the", "each", "any"):
        phrase = "a " + phrase.split(None, 1)[1]
    phrase = phrase[0].lower() + phrase[1:]
    insert = (
        alt.text.replace("{target_cap}", phrase[0].upper() + phrase[1:])
        .replace("{target}", phrase)
        .replace("{legislature}", legislature)
    )
    text = p.text
    if alt.action == "append":
        return (RedlineSpan(text, "unchanged"), RedlineSpan(" " + insert, "inserted"))
    if alt.action == "prepend":
        # After the heading and label the provision opens with, never inside them.
        head = _LEADING_HEADING.match(text)
        cut = head.end() if head else 0
        spans = [RedlineSpan(insert + " ", "inserted"), RedlineSpan(text[cut:], "unchanged")]
        return tuple([RedlineSpan(text[:cut], "unchanged")] * bool(cut) + spans)
    if alt.action == "replace":
        return (RedlineSpan(text, "deleted"), RedlineSpan(" " + insert, "inserted"))
    if alt.action == "strike_phrase":
        for pattern in alt.strike_phrase:
            m = re.search(pattern, text, re.I)
            if m and m.group(0).strip() and len(m.group(0)) < len(text) * 0.8:
                start = m.start()
                while start > 0 and text[start - 1].isspace():
                    start -= 1
                parts = [
                    RedlineSpan(text[:start], "unchanged"),
                    RedlineSpan(text[start : m.end()], "deleted"),
                    RedlineSpan(text[m.end() :], "unchanged"),
                ]
                return tuple(s for s in parts if s.text)
    return (RedlineSpan(text, "deleted"),)


def _reading(redline: Sequence[RedlineSpan]) -> str:
    text = "".join(s.text for s in redline if s.mark != "deleted")
    return re.sub(r"\s+([.,;])", r"\1", re.sub(r"\s+", " ", text)).strip()
