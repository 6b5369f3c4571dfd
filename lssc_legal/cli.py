"""The `lssc-legal` command line. Each command parses its options, makes one library call
and shows the result: results on stdout, messages and progress on stderr.

Every `LsscError` becomes one line on stderr and its exit code (2 for bad input); no
traceback reaches a user.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.text import Text

from . import __version__
from .errors import LsscError, OutputError
from .models import Bill

FORMATS_READ = ("text", "markup", "json")


class _Group(click.Group):
    """Turns library errors into one-line messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LsscError as exc:
            click.echo(f"error: {exc.line()}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # `lssc-legal read bill.pdf | head`: the reader left; that is not an error.
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            ctx.exit(0)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:
            if os.environ.get("LSSC_DEBUG"):
                raise
            click.echo(
                f"error: internal error ({type(exc).__name__}: {exc}); please report it with "
                "the file that caused it (LSSC_DEBUG=1 shows the details)",
                err=True,
            )
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lssc-legal")
def cli() -> None:
    """Read state bills as lawyers see them and find local-preemption provisions.

    \b
    Example:
        lssc-legal read corpus/examples/tx_hb4312.pdf --format markup
    """


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point; `argv` lets tests and scripts call it directly."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="lssc-legal")


# -- shared options -------------------------------------------------------------------


def _bill_argument(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--state",
        metavar="XX",
        help="Two-letter state whose printing conventions apply (default: read from the bill).",
    )(f)
    # Paths are checked by ingest, so that a folder or a missing file gets the same
    # one-line error as any other bad input.
    return click.argument("bill", type=click.Path(path_type=Path))(f)


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Write `path` whole or not at all: yield a temporary file beside it, renamed over
    `path` only when the block succeeds."""
    path = path.expanduser()
    if path.is_dir():
        raise OutputError(path, "is a folder", "give a file name")
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(path, "its folder does not exist", "create the folder first")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp makes the file private (0600); give it the permissions a new file gets.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _missing(path: Path) -> Any:
    from .errors import FileMissingError

    raise FileMissingError(path, "no such file")


def _read(bill: Path, state: str | None) -> Bill:
    from .ingest import read_bill

    result = read_bill(bill, state=state)
    for warning in result.warnings:
        click.echo(f"warning: {result.source}: {warning}", err=True)
    return result


# -- read -------------------------------------------------------------------------------


@cli.command()
@_bill_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS_READ),
    default="text",
    show_default=True,
    help="text: page:line and text; markup: inserted and deleted words in colour; "
    "json: everything ingest read.",
)
def read(bill: Path, state: str | None, fmt: str) -> None:
    """Show what ingest read from BILL: pinpoints, sections, metadata and markup.

    \b
    Example:
        lssc-legal read hb4312.pdf --format markup
        lssc-legal read hb4312.pdf --format json | jq .citation
    """
    result = _read(bill, state)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    console = Console(highlight=False, soft_wrap=True, force_terminal=None)
    console.print(_header(result))
    for line in result.lines:
        anchor = f"{line.page}:{line.number if line.number is not None else '-'}"
        if line.number_source == "inferred":
            anchor += "*"
        row = Text(f"{anchor:>8}  ", style="dim")
        for span in result.spans_in(line.start, line.end):
            piece = result.text[span.start : span.end]
            if fmt == "markup":
                row.append(piece, style=_STYLE[span.mark])
            else:
                row.append(_PLAIN[span.mark].format(piece))
        console.print(row)


def _clip(text: str, limit: int) -> str:
    """Shorten at a word boundary and say so."""
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit)].rstrip(",;") + " …"


_STYLE = {"inserted": "underline green", "deleted": "strike red", "unchanged": ""}
_PLAIN = {"inserted": "{{+{}+}}", "deleted": "[-{}-]", "unchanged": "{}"}


def _header(bill: Bill) -> Text:
    m = bill.meta
    rows = [
        ("Bill", m.citation or f"{m.state or '?'} {m.number or '?'}"),
        ("Source", f"{bill.source} ({bill.format}, {bill.pages} page{'s' * (bill.pages != 1)})"),
        ("State", f"{m.state or 'unknown'} (conventions: {bill.profile})"),
        ("Version", m.version or "unknown"),
        ("Title", _clip(m.title or "", 240)),
        ("Sponsors", ", ".join(m.sponsors) or "none printed"),
        (
            "Sections",
            _clip(", ".join(s.label for s in bill.sections if s.level != "subsection"), 240)
            or "none found",
        ),
    ]
    out = Text()
    for key, value in rows:
        out.append(f"{key:>9}: ", style="bold")
        out.append(f"{value}\n")
    out.append(
        "Text (page:line; * a number the printer left out; {+inserted+} [-deleted-]):\n",
        style="dim",
    )
    return out


# -- debug ------------------------------------------------------------------------------


@cli.command()
@_bill_argument
@click.option("--page", "page", type=int, default=1, show_default=True, help="Page to draw.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="PNG file to write.",
)
@click.option("--resolution", type=int, default=110, show_default=True, help="Dots per inch.")
def debug(bill: Path, state: str | None, page: int, output: Path, resolution: int) -> None:
    """Draw what ingest saw on a page of a PDF BILL: margin numbers, running heads,
    underline, strike and shading marks, and the words they marked.

    \b
    Example:
        lssc-legal debug hb2231.pdf --page 1 -o page1.png
    """
    from .errors import UnsupportedFormatError
    from .ingest import detect_format

    with bill.open("rb") if bill.is_file() else _missing(bill) as handle:
        head = handle.read(8192)
    if detect_format(bill, head) != "pdf":
        raise UnsupportedFormatError(bill, "debug draws PDF pages only", "give the PDF")
    from .ingest.debug import draw_page

    with atomic_output(output) as tmp:
        _, counts = draw_page(bill, page, tmp, state=state, resolution=resolution)
    click.echo(
        f"{output}: page {page}: {counts['lines']} lines, {counts['numbers']} numbered, "
        f"{counts['furniture']} running heads or legends, {counts['inserted']} inserted and "
        f"{counts['deleted']} deleted words",
        err=True,
    )


# -- write-bill -------------------------------------------------------------------------


@cli.command("write-bill")
@click.argument("spec", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="PDF file to write.",
)
def write_bill_command(spec: Path, output: Path) -> None:
    """Draw a bill PDF in a state's printed style from a small text SPEC (fixtures, examples).

    \b
    Example:
        lssc-legal write-bill tests/fixtures/specs/tx_hb_leave.txt -o tx.pdf
    """
    from .billwriter import parse_spec, write_bill
    from .errors import BadInputError, FileMissingError

    if not spec.is_file():
        raise FileMissingError(spec, "no such file" if not spec.exists() else "is a folder")
    text = spec.read_text(encoding="utf-8", errors="replace")
    if "\n---\n" not in text or "state:" not in text.split("\n---\n")[0]:
        raise BadInputError(
            spec,
            "is not a bill spec: it needs 'state: XX' lines, a line "
            "'---', then the bill's paragraphs",
            "see docs/cli.md",
        )
    parsed = parse_spec(text)
    if parsed.state not in ("TX", "FL", "NC", "PA", "AZ", "OK", "TN", "MO"):
        raise OutputError(
            spec,
            f"no printed style for state {parsed.state!r}",
            "use TX, FL, NC, PA, AZ, OK, TN or MO",
        )
    with atomic_output(output) as tmp:
        words = write_bill(parsed, tmp)
    pages = max((w.page for w in words), default=0)
    click.echo(f"{output}: {pages} pages, {len(words)} words", err=True)


# -- analyze ----------------------------------------------------------------------------

FORMATS_ANALYZE = ("table", "md", "json", "docx")
_SUFFIX_FORMATS = {".docx": "docx", ".md": "md", ".json": "json"}


def _memo_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option(
                "--template",
                type=click.Path(path_type=Path),
                help="A memo template (.docx, or .md for --format md) to use instead of the "
                "built-in one; see `lssc-legal templates`.",
            ),
            click.option("--author", help="FROM line of the memo."),
            click.option("--to", "to", help="TO line of the memo."),
            click.option("--re", "re_", metavar="TEXT", help="RE line (default: the bill)."),
            click.option(
                "--config",
                type=click.Path(path_type=Path),
                help="Config file with memo defaults (default: ./lssc-legal.toml, then "
                "~/.config/lssc-legal/config.toml).",
            ),
        ]
    ):
        f = option(f)
    return f


@cli.command()
@_bill_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file (written whole or not at all); the format follows its suffix: "
    ".docx memo, .md memo, .json analysis.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS_ANALYZE),
    help="table: one row per provision (the default on a terminal); md: the memo in Markdown; "
    "json: the analysis contract (docs/analysis-json.md); docx: the memo in Word (needs -o).",
)
@_memo_options
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A corpus folder (patterns/, principles/, model_language/) to use instead of the "
    "built-in one.",
)
def analyze(
    bill: Path,
    state: str | None,
    output: Path | None,
    fmt: str | None,
    template: Path | None,
    author: str | None,
    to: str | None,
    re_: str | None,
    config: Path | None,
    corpus: Path | None,
) -> None:
    """Find every provision of BILL that preempts, voids, punishes or saves local
    authority, weigh it against the home-rule principles, compare it with model language,
    and draft a Technical Bill Analysis memo.

    \b
    Example:
        lssc-legal analyze hb4312.pdf -o memo.docx --author "J. Doe" --to "Advocates"
        lssc-legal analyze hb4312.pdf --format md > memo.md
        lssc-legal analyze hb4312.pdf --format json | jq .findings
    """
    from .analyze import analyze_bill

    fmt = _format_for(output, fmt, "a Word memo needs a file: give -o memo.docx")
    defaults = _memo_defaults(config)
    header = _memo_header(defaults, author, to, re_)
    template = template or (Path(defaults["template"]) if defaults.get("template") else None)
    if template is not None and not template.expanduser().is_file():
        from .errors import TemplateError

        raise TemplateError(template, "no such template", "check the path, or templates list")
    template = template.expanduser() if template else None
    result = _read(bill, state)
    analysis = analyze_bill(result, corpus)
    corpus_s = str(corpus) if corpus else None
    if fmt == "docx":
        from .templates.render import write_memo

        assert output is not None
        with atomic_output(output) as tmp:
            write_memo(analysis, tmp, template, header, corpus_s)
        click.echo(f"{output}: memo on {analysis.bill.meta.citation or bill.name}, "
                   f"{len(analysis.provisions)} provisions, {len(analysis.findings)} findings",
                   err=True)  # fmt: skip
        return
    if fmt == "json":
        text = json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "md":
        from .templates.render import memo_markdown

        text = memo_markdown(analysis, template, header, corpus_s)
    elif output is None:
        _analysis_table(analysis)
        return
    else:
        raise click.UsageError("the table is for the terminal: give --format md or json with -o")
    _emit(text, output)


def _format_for(output: Path | None, fmt: str | None, docx_needs_file: str) -> str:
    """The output format: as given, else from the suffix of -o, else the terminal table."""
    if fmt is None:
        fmt = _SUFFIX_FORMATS.get(output.suffix.lower(), "") if output else "table"
        if not fmt:
            raise click.UsageError(
                f"cannot tell the format of {output}: give --format, or end it in "
                ".docx, .md or .json"
            )
    if fmt == "docx" and output is None:
        raise click.UsageError(docx_needs_file)
    return fmt


def _console() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 160  # piped into a file: room for the quotes
    return console


def _emit(text: str, output: Path | None) -> None:
    """Text to stdout, or to `output` whole or not at all."""
    if output is None:
        click.echo(text, nl=False)
        return
    with atomic_output(output) as tmp:
        tmp.write_text(text, encoding="utf-8")
    click.echo(f"{output}: written", err=True)


def _memo_defaults(config: Path | None) -> dict[str, str]:
    from .config import memo_defaults

    return memo_defaults(config)


def _memo_header(
    defaults: dict[str, str], author: str | None, to: str | None, re_: str | None
) -> Any:
    from .templates.context import Header

    return Header(
        to=to or defaults.get("to", ""),
        author=author or defaults.get("author", ""),
        re=re_ or defaults.get("re", ""),
        cc=defaults.get("cc", ""),
    )


def _analysis_table(analysis: Any) -> None:
    from rich.table import Table

    from .analyze import pinpoint_range

    bill = analysis.bill
    console = _console()
    title = bill.meta.citation or bill.source
    n = len(analysis.provisions)
    table = Table(title=f"{title}: {n} provision{'s' if n != 1 else ''}", show_lines=True)
    table.add_column("ID", no_wrap=True)
    table.add_column("Kind", min_width=10)
    table.add_column("Where", min_width=14)
    table.add_column("Subjects; penalties", min_width=16)
    table.add_column("Quote", ratio=1, min_width=40)
    for p in analysis.provisions:
        kinds = "\n".join([p.kind, *[f"+{k}" for k in p.kinds if k != p.kind]])
        if p.markup != "unchanged":
            kinds += f"\n({p.markup})"
        where = f"{pinpoint_range(p.start, p.end)}\n{p.section}"
        about = ", ".join(p.subjects) or "-"
        if p.punitive:
            about += "\n" + ", ".join(p.punitive)
        quote = p.text if len(p.text) <= 240 else p.text[:237] + "..."
        table.add_row(
            p.id, kinds, where, about, Text(quote, style="strike" if p.markup == "deleted" else "")
        )
    console.print(table)
    if not analysis.provisions:
        console.print("No provision preempts, voids, punishes or saves local authority.")
    high = sum(f.severity == "high" for f in analysis.findings)
    findings, amendments = len(analysis.findings), len(analysis.amendments)
    console.print(
        f"{findings} finding{'s' if findings != 1 else ''} against the home-rule principles "
        f"({high} high), {amendments} amendment{'s' if amendments != 1 else ''} proposed. "
        "Write the memo with -o memo.docx."
    )


# -- compare ----------------------------------------------------------------------------

FORMATS_COMPARE = ("table", "md", "json", "docx")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--batch",
    is_flag=True,
    help="PATHS is one folder: group its files by bill, order each bill's versions, and "
    "compare each version with the next.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file: .docx redline with tracked changes, .md or .json (the format "
    "follows the suffix). With --batch, a folder for the report and one redline per pair.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS_COMPARE),
    help="table: what changed, for the terminal (the default there); md: the report with a "
    "word redline; json: the comparison contract (docs/comparison-json.md); docx: the redline "
    "(needs -o).",
)
@click.option(
    "--author",
    default="lssc-legal",
    show_default=True,
    help="Author of the tracked changes in the redline.",
)
@click.option(
    "--state",
    metavar="XX",
    help="Two-letter state whose printing conventions apply (default: read from each bill).",
)
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A corpus folder (patterns/) to use instead of the built-in one.",
)
def compare(
    paths: tuple[Path, ...],
    batch: bool,
    output: Path | None,
    fmt: str | None,
    author: str,
    state: str | None,
    corpus: Path | None,
) -> None:
    """Compare two versions of a bill, OLD and NEW: what changed in its preemption
    provisions, section by section, and a redline with Word tracked changes.

    \b
    Example:
        lssc-legal compare hb2606-introduced.pdf hb2606-substitute.pdf -o redline.docx
        lssc-legal compare old.pdf new.pdf --format json | jq .provisions
        lssc-legal compare --batch versions/ -o report/
    """
    if batch:
        if len(paths) != 1:
            raise click.UsageError("--batch takes one folder: lssc-legal compare --batch DIR")
        _compare_folder(paths[0], output, fmt, author, state, corpus)
        return
    if len(paths) != 2:
        raise click.UsageError(
            "give two versions, OLD then NEW (or --batch DIR for a folder of versions)"
        )
    fmt = _format_for(output, fmt, "a redline needs a file: give -o redline.docx")
    from .compare import sequence

    old, new = _read(paths[0], state), _read(paths[1], state)
    comparison, seq = sequence(old, new, corpus)
    if comparison.similarity < 0.5 and (old.meta.state, old.meta.number) != (
        new.meta.state,
        new.meta.number,
    ):
        click.echo(
            f"warning: {paths[0].name} and {paths[1].name} look like different bills "
            f"({old.meta.citation or '?'}; {new.meta.citation or '?'}): only "
            f"{comparison.similarity:.0%} of their words are the same",
            err=True,
        )
    if fmt == "docx":
        from .compare.redline import write_redline

        assert output is not None
        with atomic_output(output) as tmp:
            write_redline(comparison, seq, tmp, author=author)
        changed = sum(p.status != "unchanged" for p in comparison.provisions)
        click.echo(
            f"{output}: redline of {len(comparison.sections)} sections with tracked changes; "
            f"{changed} change{'s' * (changed != 1)} in the preemption provisions",
            err=True,
        )
        return
    from .compare import report

    if fmt == "json":
        text = json.dumps(comparison.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "md":
        text = report.comparison_markdown(comparison)
    elif output is None:
        report.print_table(comparison, _console())
        return
    else:
        raise click.UsageError("the table is for the terminal: give --format md or json with -o")
    _emit(text, output)


def _compare_folder(
    folder: Path,
    output: Path | None,
    fmt: str | None,
    author: str,
    state: str | None,
    corpus: Path | None,
) -> None:
    from .compare import report
    from .compare.redline import write_redline
    from .compare.series import bill_files, compare_folder
    from .errors import FileMissingError

    if not folder.is_dir():
        raise FileMissingError(folder, "is not a folder", "give the folder of bill versions")
    files = bill_files(folder)
    if not files:
        raise FileMissingError(
            folder, "holds no bill files (.pdf, .txt, .html, .docx)", "check the folder"
        )
    if output is None and fmt == "docx":
        raise click.UsageError("a report in Word needs a folder: give -o DIR")
    if output is not None:
        output = output.expanduser()
        if output.exists() and not output.is_dir():
            raise OutputError(output, "is a file", "give a folder for the report and redlines")
        if not output.parent.is_dir():
            raise OutputError(output, "its parent folder does not exist", "create it first")
        if fmt not in (None, "docx", "md", "json"):
            raise click.UsageError("with -o DIR, --format is docx, md or json")
    from .ingest import read_bill

    def read(path: Path) -> Bill:
        return read_bill(path, state=state)

    def progress(message: str) -> None:
        click.echo(message, err=True)

    result = compare_folder(files, read, corpus, progress)
    for _, reason in result.failed:
        click.echo(f"warning: skipped: {reason}", err=True)
    if not result.series:
        from .errors import NotABillError

        raise NotABillError(folder, "holds no bill that could be read", "see the warnings above")
    if output is None:
        fmt = fmt or "table"
        if fmt == "json":
            click.echo(json.dumps(report.folder_dict(result), indent=2, ensure_ascii=False))
        elif fmt == "md":
            click.echo(report.folder_markdown(result), nl=False)
        else:
            console = _console()
            for s in result.series:
                n = len(s.versions)
                console.print(
                    f"[bold]{s.name}[/bold]: {n} version{'s' * (n != 1)} ({s.ordered_by})"
                )
                for step in s.steps:
                    console.print(f"  {step.old.path.name} \u2192 {step.new.path.name}")
                    for line in report.statement(step.comparison):
                        console.print(f"    \u2022 {line}")
            for p in result.unidentified:
                console.print(f"{p.name}: prints no state or bill number; not grouped")
            click.echo("Write the report and a redline per pair with -o DIR.", err=True)
        return
    output.mkdir(exist_ok=True)
    for s in result.series:
        for step in s.steps:
            name = f"{step.old.path.stem}--{step.new.path.stem}.redline.docx"
            with atomic_output(output / name) as tmp:
                write_redline(step.comparison, step.seq, tmp, author=author)
            step.redline = output / name
    with atomic_output(output / "report.docx") as tmp:
        report.write_folder_report(result, tmp)
    with atomic_output(output / "report.md") as tmp:
        tmp.write_text(report.folder_markdown(result), encoding="utf-8")
    with atomic_output(output / "report.json") as tmp:
        tmp.write_text(
            json.dumps(report.folder_dict(result), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    pairs = sum(len(s.steps) for s in result.series)
    click.echo(
        f"{output}: report.docx, report.md, report.json and {pairs} redline"
        f"{'s' * (pairs != 1)} for {len(result.series)} bill{'s' * (len(result.series) != 1)}"
        + (f"; {len(result.failed)} file(s) could not be read" if result.failed else ""),
        err=True,
    )


# -- templates --------------------------------------------------------------------------


@cli.group()
def templates() -> None:
    """Memo templates lawyers own: copy one out, edit it in Word, check it, use it.

    \b
    Example:
        lssc-legal templates init memo my-memo.docx
        lssc-legal templates validate my-memo.docx
        lssc-legal analyze hb4312.pdf -o memo.docx --template my-memo.docx
    """


@templates.command("list")
def templates_list() -> None:
    """List the built-in templates.

    \b
    Example:
        lssc-legal templates list
    """
    from .templates.render import BUILTIN

    for name, (file, about) in BUILTIN.items():
        click.echo(f"{name:10} {file:10} {about}")


@templates.command("init")
@click.argument("name")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def templates_init(name: str, path: Path | None, force: bool) -> None:
    """Copy built-in template NAME to PATH (default: ./NAME.docx or ./NAME.md) for editing.

    \b
    Example:
        lssc-legal templates init memo firm-memo.docx
    """
    from .templates.render import init_template, template_path

    src = template_path(name)
    dest = init_template(name, path or Path(src.name if name == "memo" else f"{name}.md"), force)
    editor = "Word" if dest.suffix.lower() == ".docx" else "a text editor"
    click.echo(f"{dest}: copied from the built-in {name} template; edit it in {editor}, then "
               f"run lssc-legal templates validate {dest}", err=True)  # fmt: skip


@templates.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
def templates_validate(path: Path) -> None:
    """Render the template at PATH against the example bill and report broken tag syntax,
    unknown fields and forbidden tags, each with its place in the document.

    \b
    Example:
        lssc-legal templates validate firm-memo.docx
    """
    from .errors import TemplateError
    from .templates.render import sample_analysis, validate_template

    if not path.is_file():
        raise TemplateError(path, "no such template", "check the path")
    problems = validate_template(path, sample_analysis())
    for problem in problems:
        click.echo(f"{path}: {problem}")
    if problems:
        raise SystemExit(1)
    click.echo(f"{path}: ok")


@templates.command("fields")
def templates_fields() -> None:
    """List every field a template can use, with what it holds.

    \b
    Example:
        lssc-legal templates fields
    """
    from .templates.context import FIELDS

    width = max(len(k) for k in FIELDS)
    for name, about in FIELDS.items():
        click.echo(f"{name:{width}}  {about}")
