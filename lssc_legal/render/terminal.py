"""What the commands print on a terminal (rich): a bill as read, an analysis, query
results, batch progress. Piped or saved, the same output stays plain text."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from ..models import Bill, pinpoint_range

if TYPE_CHECKING:
    from ..batch import Outcome, Tally


def print_bills(results: list[Bill], fmt: str) -> None:
    """Each bill as `read` shows it: its metadata, then every line with its pinpoint."""
    console = Console(highlight=False, soft_wrap=True, force_terminal=None)
    for result in results:
        print_bill(console, result, fmt)


def print_bill(console: Console, result: Bill, fmt: str) -> None:
    console.print(header(result))
    colour = fmt == "markup" and shows_colour(console)
    for line in result.lines:
        anchor = f"{line.page}:{line.number if line.number is not None else '-'}"
        if line.number_source == "inferred":
            anchor += "*"
        row = Text(f"{anchor:>8}  ", style="dim")
        for span in result.spans_in(line.start, line.end):
            append_marked(row, result.text[span.start : span.end], span.mark, colour)
        console.print(row)


def shows_colour(console: Console) -> bool:
    """Whether strike and underline reach the reader (a terminal, colour not turned off)."""
    return console.color_system is not None


def append_marked(text: Text, piece: str, mark: str, colour: bool) -> None:
    """Marked text in colour where it shows; piped or saved, written {+so+} and [-so-] so
    that words keep their boundaries."""
    if colour:
        text.append(piece, style=_STYLE.get(mark, ""))
    else:
        text.append(_PLAIN.get(mark, "{}").format(piece))


def clip(text: str, limit: int) -> str:
    """Shorten at a word boundary and say so."""
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit)].rstrip(",;") + " …"


_STYLE = {"inserted": "underline green", "deleted": "strike red", "unchanged": ""}
_PLAIN = {"inserted": "{{+{}+}}", "deleted": "[-{}-]", "unchanged": "{}"}


def header(bill: Bill) -> Text:
    m = bill.meta
    rows = [
        ("Bill", m.citation or f"{m.state or '?'} {m.number or '?'}"),
        ("Source", f"{bill.source} ({bill.format}, {bill.pages} page{'s' * (bill.pages != 1)})"),
        ("State", f"{m.state or 'unknown'} (conventions: {bill.profile})"),
        ("Version", m.version or "unknown"),
        ("Pinpoints", bill.pinpoints_note),
        ("Title", clip(m.title or "", 240)),
        ("Sponsors", ", ".join(m.sponsors) or "none printed"),
        (
            "Sections",
            clip(", ".join(s.label for s in bill.sections if s.level != "subsection"), 240)
            or "none found",
        ),
    ]
    out = Text()
    for key, value in rows:
        out.append(f"{key:>10}: ", style="bold")
        out.append(f"{value}\n")
    out.append(
        "Text (page:line; * a number the printer left out; {+inserted+} [-deleted-]):\n",
        style="dim",
    )
    return out


def make_console() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 160  # piped into a file: room for the quotes
    return console


def print_analysis(analysis: Any) -> None:
    """The provisions a named pattern classified, then, in a table of their own, those
    only the structural reading found (each binds a locality; a lawyer looks at them)."""
    bill = analysis.bill
    console = make_console()
    title = bill.meta.citation or bill.source
    high = [p for p in analysis.provisions if p.confidence == "high"]
    review = [p for p in analysis.provisions if p.confidence == "review"]
    n = len(high)
    console.print(_provision_table(f"{title}: {n} provision{'s' if n != 1 else ''}", high))
    if review:
        k = len(review)
        console.print(
            _provision_table(
                f"Also worth a look: {k} passage{'s' * (k != 1)} no rule classified, each "
                "binding a locality (review items)",
                review,
            )
        )
    if not high:
        console.print(
            "No provision a rule classifies preempts, voids, punishes or saves local authority"
            + ("; read the review items above." if review else ".")
        )
    severe = sum(f.severity == "high" for f in analysis.findings)
    findings, amendments = len(analysis.findings), len(analysis.amendments)
    console.print(
        f"{findings} finding{'s' if findings != 1 else ''} against the home-rule principles "
        f"({severe} high), {amendments} amendment{'s' if amendments != 1 else ''} proposed. "
        "Write the memo with -o memo.docx."
    )


def _provision_table(title: str, provisions: list[Any]) -> Any:
    from rich.table import Table

    table = Table(title=title, show_lines=True)
    table.add_column("ID", no_wrap=True)
    table.add_column("Kind", min_width=10)
    table.add_column("Where", min_width=14)
    table.add_column("Subjects; penalties", min_width=16)
    table.add_column("Quote", ratio=1, min_width=40)
    for p in provisions:
        kinds = "\n".join([p.kind, *[f"+{k}" for k in p.kinds if k != p.kind]])
        if p.markup != "unchanged":
            kinds += f"\n({p.markup})"
        where = f"{pinpoint_range(p.start, p.end)}\n{p.section}"
        about = ", ".join(p.subjects) or "-"
        if p.punitive:
            about += "\n" + ", ".join(p.punitive)
        if p.confidence == "review" and p.rationale:
            about += "\n" + clip(p.rationale, 160)
        quote = p.text if len(p.text) <= 240 else p.text[:237] + "..."
        table.add_row(
            p.id, kinds, where, about, Text(quote, style="strike" if p.markup == "deleted" else "")
        )
    return table


@contextmanager
def batch_progress(files: int, done: int) -> Iterator[Callable[[Outcome, Tally], None]]:
    """A progress bar on stderr (files, pages, pages/s, time left) when it is a terminal."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    progress = Progress(
        TextColumn("[bold]Analyzing[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files  {task.fields[pages]} pages  {task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("elapsed,"),
        TimeRemainingColumn(),
        TextColumn("left"),
        console=console,
        disable=not console.is_terminal,
    )
    task = progress.add_task("batch", total=files, completed=done, pages=0, rate="")

    def update(outcome: Outcome, tally: Tally) -> None:
        elapsed = time.perf_counter() - tally.start
        rate = f"{tally.pages / elapsed:.1f} pages/s" if elapsed > 0 and tally.pages else ""
        progress.update(task, advance=1, pages=tally.pages, rate=rate)

    with progress:
        yield update


def query_table(
    names: list[str], records: list[dict[str, Any]], raw: bool, empty: str = "Nothing matches."
) -> None:
    from rich.table import Table

    console = make_console()
    n = len(records)
    if not records:
        console.print(empty)  # no empty table above it
        return
    if raw:
        table = Table(show_lines=False)
        for name in names:
            table.add_column(name)
        for r in records:
            table.add_row(*("" if r[k] is None else clip(str(r[k]), 200) for k in names))
    else:
        table = Table(title=f"{n} provision{'s' * (n != 1)}", show_lines=True)
        widest = max((len(str(r["citation"] or "")) for r in records), default=14)
        table.add_column("Bill", min_width=min(48, max(14, widest)))
        table.add_column("Where", min_width=14)
        table.add_column("Kind; subjects; penalties", min_width=16)
        table.add_column("Quote", ratio=1, min_width=40)
        for r in records:
            about = "\n".join(x for x in (r["kinds"], r["subjects"], r["punitive"]) if x)
            if r.get("confidence") == "review":
                # Apart from what a named pattern classified: no rule classified it, but it
                # binds a locality.
                about = f"REVIEW ITEM\n{about}\n{clip(r.get('rationale') or '', 160)}"
            quote = Text(clip(r["text"], 240), style="strike" if r["markup"] == "deleted" else "")
            table.add_row(r["citation"], f"{r['pinpoint']}\n{r['section'] or ''}", about, quote)
    console.print(table)
