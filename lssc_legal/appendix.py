"""The amicus research appendix: every preemption provision across many bills, as rows.

Built from analyses in the JSON contract (`lssc-legal/analysis/1`), whether fresh or read
from a results store, so the appendix never needs the bill files again. A row is one
provision that displaces local law (field, express, conflict, nullification) or punishes a
locality or its officials; savings clauses join only when asked for. Rows are grouped by
state, then bill, in the bill's own order.

This module gathers the bills' analyses (`gather`) and makes plain rows, summary counts and
the template's fields; the Word table, the CSV and the workbook are written by
render/appendix.py.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .ingest.profiles import STATE_BY_CODE
from .models import (
    KIND_LABELS,
    MARKUP_WORDS,
    MECHANISM_LABELS,
    NO_MARKUP,
    PREEMPTIVE,
    SUBJECT_LABELS,
    Provision,
    join_words,
    natural_key,
    pinpoint_range,
    plain_reason,
)

if TYPE_CHECKING:
    from .batch import Outcome, Progress

NO_SUBJECT = "no subject named"
# The columns of the CSV and of the XLSX "Provisions" sheet, in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("state", "State"),
    ("citation", "Bill (Bluebook)"),
    ("version", "Version"),
    ("year", "Year"),
    ("section", "Section"),
    ("pinpoint", "Pinpoint (page:line)"),
    ("subjects", "Subject"),
    ("kind", "Kind"),
    ("kinds", "All kinds"),
    ("effect", "Effect"),
    ("penalties", "Penalties"),
    ("quote", "Exact quote"),
    ("markup", "Markup"),
    ("title", "Bill title"),
    ("source", "File"),
    ("sha256", "File SHA-256"),
    ("provision", "Provision id"),
    ("rules", "Rules that fired"),
    ("principles", "Principles offended"),
    ("confidence", "Tier"),
    ("listed", "Listed under"),
    ("why", "Why listed"),
)


@dataclass(frozen=True)
class Filters:
    states: Sequence[str] = ()
    kinds: Sequence[str] = ()
    subjects: Sequence[str] = ()
    penalties: Sequence[str] = ()
    savings: bool = False

    def query(self) -> dict[str, Any]:
        """The filters as the results store's query takes them (`Store.provisions`): the
        one implementation of filtering, shared with `lssc-legal query`. An appendix lists
        preemptive and punitive provisions (and savings clauses with `savings`) whatever
        kinds are asked for."""
        scope = sorted(PREEMPTIVE | {"punitive"} | ({"savings"} if self.savings else set()))
        return {
            "states": self.states,
            "kinds": self.kinds,
            "subjects": self.subjects,
            "penalties": self.penalties,
            "scope": scope,
        }

    def describe(self) -> str:
        """The filters in words, for the method note ("" when none)."""
        parts = []
        if self.states:
            parts.append("bills of " + join_words([STATE_BY_CODE.get(s, s) for s in self.states]))
        if self.kinds:
            parts.append(join_words([KIND_LABELS[k] for k in self.kinds], "or"))
        if self.subjects:
            parts.append(
                "on " + join_words([SUBJECT_LABELS.get(s, s) for s in self.subjects], "or")
            )
        if self.penalties:
            parts.append("with " + join_words([MECHANISM_LABELS[m] for m in self.penalties], "or"))
        return "; ".join(parts)


@dataclass
class BillGroup:
    analysis: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)
    # Passages no named pattern classified that bind a locality: listed apart, for review.
    review: list[dict[str, Any]] = field(default_factory=list)
    # Classified provisions of existing law the bill strikes: apart from live preemption.
    repealed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def bill(self) -> dict[str, Any]:
        return self.analysis["bill"]  # type: ignore[no-any-return]


@dataclass
class Appendix:
    """The rows of an appendix, grouped by state and bill, and what it was made from."""

    groups: dict[str, list[BillGroup]]  # state code ("" when not printed) -> bills
    searched: int  # bills read
    failed: list[tuple[str, str]]  # (file, reason) not read
    filters: Filters
    tool_versions: list[str]
    date: dt.date
    # Files left out as not bills: no state, bill number or citation printed (a model
    # bill's web page, a commentary).
    not_bills: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [r for bills in self.groups.values() for b in bills for r in b.rows]

    @property
    def bills(self) -> list[BillGroup]:
        """The bills with a row in the table (a bill with only review items is not one)."""
        return [b for bills in self.groups.values() for b in bills if b.rows]

    @property
    def review_rows(self) -> list[dict[str, Any]]:
        return [r for bills in self.groups.values() for b in bills for r in b.review]

    @property
    def repealed_rows(self) -> list[dict[str, Any]]:
        return [r for bills in self.groups.values() for b in bills for r in b.repealed]


def build_appendix(
    analyses: Iterable[dict[str, Any]],
    filters: Filters | None = None,
    failed: Sequence[tuple[str, str]] = (),
    date: dt.date | None = None,
) -> Appendix:
    """Rows for every provision the filters admit, grouped by state (by name) and bill
    (by citation, in natural order), each bill once however many files hold it."""
    from .batch.store import Store

    filters = filters or Filters()
    kept: list[dict[str, Any]] = []
    versions: set[str] = set()
    not_bills: list[str] = []
    seen: set[str] = set()  # each text once, however many files hold it
    with Store.scratch() as scratch:
        for analysis in analyses:
            bill = analysis["bill"]
            sha = bill["sha256"]
            if not (bill["state"] or bill.get("number") or bill["citation"]):
                not_bills.append(bill["source"])  # an appendix of bills quotes only bills
                continue
            if sha not in seen:
                seen.add(sha)
                scratch.put_analysis((sha, 0, 0), sha, "", "", analysis, 0.0)
                kept.append(analysis)
                versions.add(analysis.get("tool_version", ""))
        admitted = {(r["sha256"], r["id"]) for r in scratch.provisions(**filters.query())}
    groups: dict[str, list[BillGroup]] = {}
    for analysis in kept:
        bill = analysis["bill"]
        group = BillGroup(analysis)
        provisions = [
            Provision.from_dict(p)
            for p in analysis["provisions"]
            if (bill["sha256"], p["id"]) in admitted
        ]
        high = [p for p in provisions if p.confidence == "high"]
        group.rows = [row(bill, p) for p in high if p.markup != "deleted"]
        group.repealed = [row(bill, p, "repealed") for p in high if p.markup == "deleted"]
        group.review = [row(bill, p) for p in provisions if p.confidence == "review"]
        if group.rows or group.review or group.repealed:
            groups.setdefault(bill["state"] or "", []).append(group)
    ordered = dict(
        sorted(groups.items(), key=lambda kv: (not kv[0], STATE_BY_CODE.get(kv[0], kv[0])))
    )
    for bills in ordered.values():
        bills.sort(key=lambda b: natural_key(b.bill["citation"] or b.bill["source"]))
    return Appendix(
        ordered, len(kept), list(failed), filters, sorted(versions - {""}),
        date or dt.date.today(), sorted(set(not_bills)),
    )  # fmt: skip


def state_label(state: str, bills: Sequence[dict[str, Any]]) -> str:
    """A state's name, or for bills that print none, "State unknown (file hb1.txt)"."""
    if state:
        return STATE_BY_CODE.get(state, state)
    files = join_words(sorted({b["source"] for b in bills}))
    return f"State unknown (file{'s' * (len(bills) > 1)} {files})"


def row(bill: dict[str, Any], p: Provision, listed: str = "") -> dict[str, Any]:
    """One provision as the appendix shows it: plain strings, in a lawyer's words."""
    start, end = p.start, p.end
    # A bill that prints no line numbers is pinpointed by counted lines: said on each row.
    counted = " (counted lines)" if bill.get("pinpoints") in ("counted", "mixed") else ""
    return {
        "state": bill["state"] or "",
        "state_name": state_label(bill["state"] or "", [bill]),
        "citation": bill["citation"] or f"[citation not printed; file {bill['source']}]",
        "version": bill["version"] or "version not printed",
        "year": bill["year"] or "",
        "section": p.section,
        "pinpoint": pinpoint_range(start, end) + counted,
        "where": f"{p.section}, at {pinpoint_range(start, end)}{counted}"
        if p.section
        else f"at {pinpoint_range(start, end)}{counted}",
        "subjects": ", ".join(SUBJECT_LABELS.get(s, s) for s in p.subjects) or NO_SUBJECT,
        "subject_codes": list(p.subjects),
        "kind": KIND_LABELS[p.kind],
        "kinds": ", ".join(KIND_LABELS[k] for k in p.kinds),
        "kind_code": p.kind,
        "effect": p.effect or "",
        "penalties": ", ".join(MECHANISM_LABELS.get(m, m) for m in p.punitive),
        "penalty_codes": list(p.punitive),
        "quote": p.text,
        # a bill that marks nothing (analyses stored before "marked" existed did mark)
        "markup": MARKUP_WORDS[p.markup] if bill.get("marked", True) else NO_MARKUP,
        "title": bill["title"] or "",
        "source": bill["source"],
        "sha256": bill["sha256"],
        "provision": p.id,
        "rules": ", ".join(p.rules),
        "principles": ", ".join(p.principles),
        "confidence": p.confidence,
        "listed": listed or ("review" if p.confidence == "review" else "provisions"),
        "why": plain_reason(p.rationale) if p.confidence == "review" else p.rationale,
        "lead_in": p.lead_in or "",
    }


# -- summary counts -------------------------------------------------------------------


def summary(appendix: Appendix) -> dict[str, Any]:
    """Counts of provisions: by subject and state (a provision on two subjects counts
    under each), by kind (its primary kind), by penalty mechanism (each it carries)."""
    states = list(appendix.groups)
    by_subject: dict[str, Counter[str]] = {}
    kinds: Counter[str] = Counter()
    kind_bills: dict[str, set[str]] = {}
    penalties: Counter[str] = Counter()
    penalty_bills: dict[str, set[str]] = {}
    for r in appendix.rows:
        for s in r["subject_codes"] or [""]:
            by_subject.setdefault(s, Counter())[r["state"]] += 1
        kinds[r["kind_code"]] += 1
        kind_bills.setdefault(r["kind_code"], set()).add(r["sha256"])
        for m in r["penalty_codes"]:
            penalties[m] += 1
            penalty_bills.setdefault(m, set()).add(r["sha256"])
    order = {s: i for i, s in enumerate(SUBJECT_LABELS)}
    subjects = [
        {
            "name": SUBJECT_LABELS.get(s, s) if s else NO_SUBJECT,
            "counts": [str(c[st]) if c[st] else "" for st in states],
            "total": str(sum(c.values())),
        }
        for s, c in sorted(by_subject.items(), key=lambda kv: order.get(kv[0], len(order)))
    ]
    per_state = Counter(r["state"] for r in appendix.rows)
    return {
        "states": [st or "?" for st in states],
        "state_names": [STATE_BY_CODE.get(st, "State not printed") for st in states],
        "subjects": subjects,
        "totals": [str(per_state[st]) for st in states],
        "total": str(len(appendix.rows)),
        "kinds": [
            {"name": KIND_LABELS[k], "count": str(kinds[k]), "bills": str(len(kind_bills[k]))}
            for k in KIND_LABELS
            if kinds[k]
        ],
        "penalties": [
            {
                "name": MECHANISM_LABELS[m],
                "count": str(penalties[m]),
                "bills": str(len(penalty_bills[m])),
            }
            for m in MECHANISM_LABELS
            if penalties[m]
        ],
    }


# -- the template's fields ------------------------------------------------------------

NOTE_MARK = "\u27e6note {}\u27e7"  # replaced by a Word footnote after rendering

APPENDIX_FIELDS: dict[str, str] = {
    "appendix.title": "title, e.g. Appendix: State Preemption Provisions",
    "appendix.date": "date it was made, e.g. November 22, 2026",
    "appendix.tool_version": "lssc-legal version(s) that analyzed the bills",
    "appendix.method": "the method note: what was searched, how, and its limits",
    "appendix.scope": "the filters applied, in words, or empty",
    "appendix.bills": "number of bills with at least one row",
    "appendix.searched": "number of bills searched",
    "appendix.provisions": "number of rows",
    "appendix.extent": "rows and bills in words, e.g. 4 provisions in 1 bill",
    "appendix.states": "states in the appendix, in words",
    "appendix.failed[]": "files that could not be read: 'file: reason'",
    "appendix.not_bills[]": "files left out as not bills (no state, number or citation "
    "printed: a model bill's web page, a commentary)",
    "summary.states[]": "two-letter codes of the states, in table order",
    "summary.state_names[]": "state names, in table order",
    "summary.subjects[]": "one per subject: name, counts[] (per state), total",
    "summary.totals[]": "provisions per state",
    "summary.total": "all provisions",
    "summary.kinds[]": "one per kind: name, count, bills",
    "summary.penalties[]": "one per penalty mechanism: name, count, bills",
    "groups[]": "one per state: state, state_name, count, bills[]",
    "groups[].bills[]": "one per bill: citation, note, title, version, source, rows[]",
    "groups[].bills[].rows[]": "one per provision, with the fields of rows[]",
    "rows[]": "every provision in order: "
    + ", ".join(k for k, _ in COLUMNS)
    + ", state_name, note (footnote mark on a bill's first row)",
    "appendix.review": "number of review rows (listed apart, not counted in the table)",
    "review[]": "passages no rule classified that appear to bind local government, with the "
    "fields of rows[] (why: the reason each was listed)",
    "repealed[]": "provisions of existing law the bills strike, with the fields of rows[]: "
    "listed apart from live preemption, not counted in the table",
    "sources[]": "one per bill: citation, source, format, pages, sha256, version, title, note",
}


def context(appendix: Appendix, title: str | None = None) -> dict[str, Any]:
    """The fields of APPENDIX_FIELDS. A bill's first row carries a footnote mark in `note`;
    render.appendix turns each mark into a Word footnote giving the source (`sources`)."""
    today = f"{appendix.date:%B} {appendix.date.day}, {appendix.date.year}"
    sources: list[dict[str, str]] = []
    groups: list[dict[str, Any]] = []
    review: list[dict[str, Any]] = []
    repealed: list[dict[str, Any]] = []
    for state, bills in appendix.groups.items():
        shown = []
        for b in bills:
            info = b.bill
            mark = NOTE_MARK.format(len(sources) + 1)
            sources.append(_source(b, mark, today))
            rows = [dict(r, note=mark if i == 0 else "") for i, r in enumerate(b.rows)]
            # A bill not in the main table carries its source note on its first repealed
            # provision, or else on its first review item.
            repealed.extend(
                dict(r, note="" if rows or i else mark) for i, r in enumerate(b.repealed)
            )
            noted = bool(rows or b.repealed)
            review.extend(dict(r, note="" if noted or i else mark) for i, r in enumerate(b.review))
            if not rows:
                continue
            shown.append(
                {
                    "citation": rows[0]["citation"],
                    "note": mark,
                    "title": info["title"] or "",
                    "version": rows[0]["version"],
                    "source": info["source"],
                    "rows": rows,
                }
            )
        if shown:
            groups.append(
                {
                    "state": state or "?",
                    "state_name": state_label(state, [b.bill for b in bills]),
                    "count": str(sum(len(b["rows"]) for b in shown)),
                    "bills": shown,
                }
            )
    states = [g["state_name"] for g in groups]
    return {
        "appendix": {
            "title": title or "Appendix: State Preemption of Local Authority",
            "date": today,
            "tool_version": ", ".join(appendix.tool_versions) or __version__,
            "method": method_note(appendix, today),
            "scope": appendix.filters.describe(),
            "bills": str(len(appendix.bills)),
            "searched": str(appendix.searched),
            "provisions": str(len(appendix.rows)),
            "extent": _extent(len(appendix.rows), len(appendix.bills)),
            "review": str(len(appendix.review_rows)),
            "states": join_words(states),
            "failed": [f"{f}: {reason}" for f, reason in appendix.failed],
            "not_bills": list(appendix.not_bills),
        },
        "summary": summary(appendix),
        "groups": groups,
        "rows": [r for g in groups for b in g["bills"] for r in b["rows"]],
        "review": review,
        "repealed": repealed,
        "sources": sources,
    }


def _source(b: BillGroup, mark: str, today: str) -> dict[str, str]:
    info = b.bill
    version = b.analysis.get("tool_version", __version__)
    title = f", \u201c{info['title']}\u201d" if info["title"] else ""
    cite = info["citation"] or "Citation not printed in the file; cite by hand"
    text = (
        f"{cite}{title} ({info['version'] or 'version not printed'}). Source: "
        f"{info['source']} ({info['format'].upper()}, {info['pages']} "
        f"page{'s' * (info['pages'] != 1)}; SHA-256 {info['sha256'][:16]}\u2026), "
        f"read with lssc-legal {version}; appendix made {today}."
    )
    return {
        "citation": cite,
        "source": info["source"],
        "format": info["format"],
        "pages": str(info["pages"]),
        "sha256": info["sha256"],
        "version": info["version"] or "",
        "title": info["title"] or "",
        "note": mark,
        "text": text,
    }


def method_note(appendix: Appendix, today: str) -> str:
    kinds = "field, express, conflict or nullification preemption, or punitive enforcement"
    if appendix.filters.savings:
        kinds += ", and savings clauses"
    n, b = len(appendix.rows), len(appendix.bills)
    scope = appendix.filters.describe()
    versions = ", ".join(appendix.tool_versions) or __version__
    text = (
        f"This appendix lists {n} provision{'s' * (n != 1)} in {b} bill{'s' * (b != 1)} "
        f"({appendix.searched} searched) that lssc-legal {versions} identified as {kinds}"
        + (f", limited to {scope}" if scope else "")
        + f", as of {today}. Each provision is a sentence or an enumerated subsection, found "
        "by the tool's published rule patterns; the quote is exact as the bill prints it, "
        "with the bill's own amendments applied; the pinpoint is the printed page:line, or, "
        "where a bill prints no line numbers, its counted lines (so marked). "
        "Markup: new = text the bill adds; existing = current law the bill reprints; struck "
        "= text the bill deletes; amended = existing text the bill changes. The source of "
        "each bill is in its footnote. The tool can miss or misread a provision: check each "
        "row against the official text before citing it."
    )
    if appendix.review_rows:
        k = len(appendix.review_rows)
        text += (
            f" A further {k} passage{'s' * (k != 1)} that no rule pattern classified, but that "
            f"appear{'s' * (k == 1)} to bind local government, {'are' if k != 1 else 'is'} listed "
            "after the table for review; they are not counted in it."
        )
    if appendix.repealed_rows:
        k = len(appendix.repealed_rows)
        text += (
            f" {k} provision{'s' * (k != 1)} of existing law that the bills strike "
            f"{'are' if k != 1 else 'is'} listed apart, under \u201cProvisions the bills "
            "repeal\u201d, and not counted in the table."
        )
    if appendix.not_bills:
        k = len(appendix.not_bills)
        text += (
            f" {k} file{'s' * (k != 1)} printing no state, bill number or citation "
            f"({join_words(appendix.not_bills)}) {'were' if k != 1 else 'was'} left out as not "
            "a bill."
        )
    if appendix.failed:
        k = len(appendix.failed)
        text += f" {k} file{'s' * (k != 1)} could not be read and {'are' if k != 1 else 'is'} "
        text += "not included (listed at the end)."
    return text


def _extent(rows: int, bills: int) -> str:
    return f"{rows} provision{'s' * (rows != 1)} in {bills} bill{'s' * (bills != 1)}"


def gather(
    paths: Sequence[Path],
    cache: Path,
    jobs: int,
    corpus: Path | None = None,
    progress: Progress | None = None,
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """The analyses of the bill files in `paths` (files or folders) for an appendix, and
    the files not read: each file analyzed in a batch session, or taken from the store
    `cache` when it holds it unchanged (the store beside the bills, if there is one; none
    is made). No bill file, or none read, is an error; Ctrl-C raises batch.Interrupted."""
    from .batch import session
    from .batch.store import Store
    from .corpusdir import fingerprint
    from .errors import FileMissingError, NotABillError
    from .ingest.files import bill_files

    files = bill_files(paths)
    if not files:
        raise FileMissingError(paths[0], "holds no bill files", "check the folder")
    analyses: list[dict[str, Any]] = []
    failed: list[tuple[str, str]] = []
    results = Store(cache) if cache.is_file() else None
    try:

        def keep(outcome: Outcome) -> None:
            if outcome.analysis is not None:
                analyses.append(outcome.analysis)
            elif outcome.status == "unchanged" and results is not None and outcome.sha256:
                analyses.extend(results.analyses([outcome.sha256]))
            elif outcome.status in ("failed", "failed before"):
                failed.append((str(outcome.path), outcome.error or "not read"))

        tally = session(
            files, results, fingerprint(corpus), jobs=jobs, each=keep,
            corpus_dir=str(corpus) if corpus else None, progress=progress,
        )  # fmt: skip
    finally:
        if results is not None:
            results.close()
    if tally.counts["analyzed"] + tally.counts["unchanged"] == 0:
        raise NotABillError(paths[0], "holds no bill that could be read", _first(failed))
    return analyses, failed


def stored(store: Path) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """The analyses of a results store for an appendix, and the files it could not read;
    a store with no analyzed bill is an error."""
    from .batch.store import Store
    from .errors import NotABillError

    with Store(store, readonly=True) as results:
        analyses = list(results.analyses())
        failed = results.failures()
    if not analyses:
        raise NotABillError(store, "holds no analyzed bill", "run lssc-legal batch")
    return analyses, failed


def _first(failed: Sequence[tuple[str, str]]) -> str:
    return f"first failure: {failed[0][0]}: {failed[0][1]}" if failed else "check the folder"
