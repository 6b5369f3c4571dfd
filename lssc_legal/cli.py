"""The `lssc-legal` command line. Each command parses its options, makes one library call
and shows the result: results on stdout, messages and progress on stderr.

Every `LsscError` becomes one line on stderr and its exit code (2 for bad input); no
traceback reaches a user.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .config import PROVIDERS
from .errors import LsscError, OutputError
from .models import MARKUP_WORDS, Bill
from .outputs import atomic_output, check_output, kind_for

if TYPE_CHECKING:
    from .batch import FileLimits, Outcome, Tally
    from .batch.store import Store
    from .render.context import Header
    from .track import BillId

FORMATS_READ = ("text", "markup", "json")


class _Group(click.Group):
    """Turns library errors, option errors and Ctrl-C into one-line messages and exit
    codes."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else prog_name or "lssc-legal"
            click.echo(f"error: {exc.format_message()} (see {where} --help)", err=True)
            code = exc.exit_code
        except click.ClickException as exc:
            click.echo(f"error: {exc.format_message()}", err=True)
            code = exc.exit_code
        except (click.exceptions.Abort, KeyboardInterrupt):
            click.echo("interrupted", err=True)
            code = 130
        code = code if isinstance(code, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx: click.Context) -> Any:
        try:
            done = super().invoke(ctx)
            sys.stdout.flush()  # a full disk behind stdout is said here, not at exit
            return done
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
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):
                raise
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (nothing more can be written)
            click.echo(f"error: the output could not be written ({exc.strerror})", err=True)
            ctx.exit(1)
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
    help="text: page:line and text; markup: inserted and deleted words in colour (as "
    "{+text+} when piped); json: everything ingest read.",
)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="A file that holds several bills: read each (JSON: a list), not only the first.",
)
def read(bill: Path, state: str | None, fmt: str, every: bool) -> None:
    """Show what ingest read from BILL: pinpoints, sections, metadata and markup.

    \b
    Example:
        lssc-legal read hb4312.pdf --format markup
        lssc-legal read hb4312.pdf --format json | jq .citation
        lssc-legal read utah-bills.pdf --all
    """
    if not every:
        results = [_read(bill, state)]
    else:
        from .ingest import read_bills

        results = read_bills(bill, state=state)
        for warning in dict.fromkeys(w for r in results for w in r.warnings):
            click.echo(f"warning: {results[0].source}: {warning}", err=True)
    if fmt == "json":
        dicts = [r.to_dict() for r in results]
        click.echo(json.dumps(dicts if every else dicts[0], indent=2, ensure_ascii=False))
        return
    from .render.terminal import print_bills

    print_bills(results, fmt)


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
@click.option(
    "--resolution",
    type=click.IntRange(18, 1200),
    default=110,
    show_default=True,
    help="Dots per inch (18 to 1200).",
)
def debug(bill: Path, state: str | None, page: int, output: Path, resolution: int) -> None:
    """Draw what ingest saw on a page of a PDF BILL: margin numbers, running heads,
    underline, strike and shading marks, and the words they marked.

    \b
    Example:
        lssc-legal debug hb2231.pdf --page 1 -o page1.png
    """
    from .errors import UnsupportedFormatError
    from .ingest import detect_format

    check_output(output, "png", [bill])
    with bill.open("rb") if bill.is_file() else _missing(bill) as handle:
        head = handle.read(8192)
    if detect_format(bill, head) != "pdf":
        raise UnsupportedFormatError(bill, "debug draws PDF pages only", "give the PDF")
    from .ingest.debug import draw_page

    with atomic_output(output, "png", [bill]) as tmp:
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
    check_output(output, "pdf", [spec])
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
    with atomic_output(output, "pdf", [spec]) as tmp:
        words = write_bill(parsed, tmp)
    pages = max((w.page for w in words), default=0)
    click.echo(f"{output}: {pages} pages, {len(words)} words", err=True)


# -- analyze ----------------------------------------------------------------------------

FORMATS_ANALYZE = ("table", "md", "json", "docx")
_SUFFIX_FORMATS = {".docx": "docx", ".md": "md", ".json": "json"}


def _corpus_folder(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """A --corpus folder must hold what the built-in one holds, or nothing can be read."""
    if value is None:
        return None
    from .errors import CorpusError

    missing = [
        name
        for name in ("patterns/lexicon.json", "principles", "model_language")
        if not (value / name).exists()
    ]
    if missing:
        raise CorpusError(
            value,
            f"is not a corpus folder: it has no {', '.join(missing)}",
            "copy the built-in corpus folder and edit the copy",
        )
    return value


_corpus_option = click.option(
    "--corpus",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    callback=_corpus_folder,
    help="A corpus folder (patterns/, principles/, model_language/) to use instead of the "
    "built-in one.",
)


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
@_corpus_option
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
    inputs = [bill, template, config]
    if output is not None:
        check_output(output, kind_for(output, fmt), inputs)
    result = _read(bill, state)
    analysis = analyze_bill(result, corpus)
    if fmt == "docx":
        from .render.memo import write_memo

        assert output is not None
        with atomic_output(output, "docx", inputs) as tmp:
            write_memo(analysis, tmp, template, header)
        review = sum(p.confidence == "review" for p in analysis.provisions)
        click.echo(f"{output}: memo on {analysis.bill.meta.citation or bill.name}, "
                   f"{len(analysis.provisions) - review} provisions, {review} more for review, "
                   f"{len(analysis.findings)} findings", err=True)  # fmt: skip
        return
    if fmt == "json":
        text = json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "md":
        from .render.memo import memo_markdown

        text = memo_markdown(analysis, template, header)
    elif output is None:
        from .render.terminal import print_analysis

        print_analysis(analysis)
        return
    else:
        raise click.UsageError("the table is for the terminal: give --format md or json with -o")
    _emit(text, output, inputs, fmt)


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


def _emit(
    text: str, output: Path | None, inputs: Sequence[Path | None] = (), fmt: str | None = None
) -> None:
    """Text to stdout, or to `output` whole or not at all (never over one of `inputs`)."""
    if output is None:
        click.echo(text, nl=False)
        return
    with atomic_output(output, kind_for(output, fmt), inputs) as tmp:
        tmp.write_text(text, encoding="utf-8")
    click.echo(f"{output}: written", err=True)


def _memo_defaults(config: Path | None) -> dict[str, str]:
    from .config import memo_defaults

    return memo_defaults(config)


def _memo_header(
    defaults: dict[str, str], author: str | None, to: str | None, re_: str | None
) -> Header:
    from .render.context import Header

    return Header(
        to=to or defaults.get("to", ""),
        author=author or defaults.get("author", ""),
        re=re_ or defaults.get("re", ""),
        cc=defaults.get("cc", ""),
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
    help="Author of the tracked changes in the redline (default: the author in the config "
    "file, else the user signed in to this computer).",
)
@click.option(
    "--state",
    metavar="XX",
    help="Two-letter state whose printing conventions apply (default: read from each bill).",
)
@_corpus_option
def compare(
    paths: tuple[Path, ...],
    batch: bool,
    output: Path | None,
    fmt: str | None,
    author: str | None,
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
    if author is None:
        from .config import redline_author

        author = redline_author()
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
    if output is not None:
        check_output(output, kind_for(output, fmt), paths)
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
        from .render.redline import write_redline

        assert output is not None
        with atomic_output(output, "docx", paths) as tmp:
            write_redline(comparison, seq, tmp, author=author)
        changed = sum(p.status != "unchanged" for p in comparison.provisions)
        click.echo(
            f"{output}: redline of {len(comparison.sections)} sections with tracked changes; "
            f"{changed} change{'s' * (changed != 1)} in the preemption provisions",
            err=True,
        )
        return
    from .render import comparison as report

    if fmt == "json":
        text = json.dumps(comparison.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "md":
        text = report.comparison_markdown(comparison)
    elif output is None:
        from .render.terminal import make_console

        report.print_table(comparison, make_console())
        return
    else:
        raise click.UsageError("the table is for the terminal: give --format md or json with -o")
    _emit(text, output, paths, fmt)


def _compare_folder(
    folder: Path,
    output: Path | None,
    fmt: str | None,
    author: str,
    state: str | None,
    corpus: Path | None,
) -> None:
    from .compare.series import compare_folder
    from .errors import FileMissingError
    from .ingest.files import SUFFIX_LIST, bill_files
    from .render import comparison as report

    if not folder.exists():
        raise FileMissingError(folder, "no such folder", "check the path")
    if not folder.is_dir():
        raise FileMissingError(folder, "is not a folder", "give the folder of bill versions")
    files = bill_files([folder])
    if not files:
        raise FileMissingError(folder, f"holds no bill files ({SUFFIX_LIST})", "check the folder")
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
    from dataclasses import replace

    from .batch import printable
    from .ingest import read_bill

    # Each file as the report names it: a name that is not UTF-8 (b"bill\xff.txt", kept
    # by Python with a lone surrogate) cannot go into JSON or Word, so its odd bytes are
    # written \xNN there; the file itself is read by its real path.
    real = {Path(printable(str(f))): f for f in files}

    def read(path: Path) -> Bill:
        try:
            bill = read_bill(real.get(path, path), state=state)
        except LsscError as exc:
            exc.path = printable(exc.path) if exc.path else exc.path
            raise
        return replace(bill, source=printable(bill.source))

    def progress(message: str) -> None:
        click.echo(message, err=True)

    result = compare_folder(list(real), read, corpus, progress)
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
            from .render.terminal import make_console

            report.print_folder(result, make_console())
            click.echo("Write the report and a redline per pair with -o DIR.", err=True)
        return
    report.write_folder(result, output, author, files)
    pairs = sum(len(s.steps) for s in result.series)
    click.echo(
        f"{output}: report.docx, report.md, report.json and {pairs} redline"
        f"{'s' * (pairs != 1)} for {len(result.series)} bill{'s' * (len(result.series) != 1)}"
        + (f"; {len(result.failed)} file(s) could not be read" if result.failed else ""),
        err=True,
    )


# -- batch and query --------------------------------------------------------------------


def _jobs(jobs: int | None) -> int:
    if jobs is not None:
        return jobs
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1),
    help="Worker processes (default: one per core).",
)
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Results store, a SQLite file (default: lssc-legal.sqlite in the bills' folder).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("summary", "jsonl")),
    default="summary",
    show_default=True,
    help="jsonl: also stream each bill's analysis to stdout, one JSON object per line.",
)
@click.option("--retry-failed", is_flag=True, help="Try again files that failed before.")
@click.option(
    "--rehash",
    is_flag=True,
    help="Read every file again to check its content (default: trust size and time).",
)
@click.option(
    "--state", metavar="XX", help="Two-letter state whose printing conventions apply to all."
)
@click.option(
    "--file-timeout",
    type=click.FloatRange(min=0),
    default=300,  # batch.FileLimits
    show_default=True,
    metavar="SECONDS",
    help="A file whose analysis takes longer is stopped and recorded as failed (0: no limit).",
)
@click.option(
    "--file-memory",
    type=click.FloatRange(min=0),
    default=4,  # batch.FileLimits
    show_default=True,
    metavar="GB",
    help="A file whose analysis needs more memory is stopped and recorded as failed (0: no limit).",
)
@_corpus_option
def batch(
    paths: tuple[Path, ...],
    jobs: int | None,
    store: Path | None,
    fmt: str,
    retry_failed: bool,
    rehash: bool,
    state: str | None,
    file_timeout: float,
    file_memory: float,
    corpus: Path | None,
) -> None:
    """Analyze every bill in PATHS (folders, searched with their subfolders, or files) in
    parallel, into a results store. A re-run skips files already analyzed by this tool
    version; a batch stopped at any moment continues where it stopped. A file that cannot
    be read, or takes longer than --file-timeout, is recorded with the reason and the batch
    goes on.

    \b
    Example:
        lssc-legal batch bills/
        lssc-legal query --store bills/lssc-legal.sqlite --kind punitive
        lssc-legal appendix --store bills/lssc-legal.sqlite -o appendix.docx
    """
    from .batch import FileLimits, default_store, printable
    from .batch.store import Store
    from .errors import FileMissingError
    from .ingest.files import bill_files

    files = bill_files(paths)
    if not files:
        raise FileMissingError(
            paths[0], "holds no bill files (.pdf, .txt, .md, .html, .docx)", "check the folder"
        )
    store_path = (store or default_store(paths)).expanduser()
    limits = FileLimits(file_timeout or None, file_memory or None)
    workers = _jobs(jobs)
    with Store(store_path) as results:

        def stream(outcome: Outcome) -> None:
            if fmt != "jsonl":
                return
            if outcome.analysis is not None:
                _jsonl(outcome.analysis)
            elif outcome.status == "unchanged" and outcome.sha256:
                for analysis in results.analyses([outcome.sha256]):
                    _jsonl(analysis)

        tally = _analyze_many(
            files, results, workers, corpus, state, stream, retry_failed=retry_failed,
            rehash=rehash, limits=limits,
        )  # fmt: skip
        named = [Path(printable(str(f))) for f in files]  # as the store names them
        gone = results.forget_missing([p.expanduser().resolve() for p in paths], named)
        results.prune()
        bills, provisions, review = results.counts()
    _report_batch(tally, workers, store_path, bills, provisions, review)
    if gone:
        click.echo(
            f"{len(gone)} file{'s' * (len(gone) != 1)} analyzed before and no longer there "
            f"{'were' if len(gone) != 1 else 'was'} removed from the store",
            err=True,
        )
    if tally.failed:
        raise SystemExit(3)


def _analyze_many(
    files: Sequence[Path],
    results: Store | None,
    workers: int,
    corpus: Path | None,
    state: str | None,
    each: Callable[[Outcome], None],
    *,
    retry_failed: bool = False,
    rehash: bool = False,
    limits: FileLimits | None = None,
) -> Tally:
    """Plan and run a batch with a progress bar, calling `each` with every outcome (those
    decided without analysis first), each file within `limits` (a batch.FileLimits; default:
    its defaults). Ctrl-C ends it with a line saying how to continue."""
    from .batch import session
    from .corpusdir import fingerprint
    from .render.terminal import batch_progress

    with _interrupted_says(results.path if results else None):
        return session(
            files, results, fingerprint(corpus, state), jobs=workers, each=each,
            corpus_dir=str(corpus) if corpus else None, state=state, retry_failed=retry_failed,
            rehash=rehash, limits=limits, progress=batch_progress,
        )  # fmt: skip


@contextmanager
def _interrupted_says(kept: Path | None) -> Iterator[None]:
    """Ctrl-C in a batch: one line saying how far it got and how to continue, exit 130."""
    from .batch import Interrupted

    try:
        yield
    except Interrupted as stop:
        where = (
            f"are in {kept}; run the same command again to continue" if kept else "were not kept"
        )
        analyzed = stop.tally.counts["analyzed"]
        click.echo(f"interrupted: the {analyzed} files analyzed so far {where}", err=True)
        raise SystemExit(130) from None


def _jsonl(analysis: dict[str, Any]) -> None:
    click.echo(json.dumps(analysis, ensure_ascii=False, separators=(",", ":")))


_LISTED = 25  # copies and failures named one by one in a batch's summary
# The appendix's words for markup, which query also takes ("new" for inserted).
_MARKUP_WORDS = {word: mark for mark, word in MARKUP_WORDS.items()}


def _report_batch(
    tally: Tally, workers: int, store: Path, bills: int, provisions: int, review: int
) -> None:
    """The batch's summary on stderr: counts, copies, failures, and what to run next."""
    import time

    from .batch import printable as shown  # a file name that is not UTF-8, as \\xNN

    seconds = time.perf_counter() - tally.start
    n = tally.counts
    rate = f", {tally.pages / seconds:.1f} pages/s" if n["analyzed"] and seconds else ""
    parts = [f"{n['analyzed']} analyzed ({tally.pages} pages{rate})",
             f"{n['unchanged']} unchanged (skipped)"]  # fmt: skip
    if n["duplicate"]:
        k = n["duplicate"]
        parts.append(f"{k} cop{'ies' if k != 1 else 'y'} of another file (analyzed once)")
    parts.append(f"{len(tally.failed)} failed")
    click.echo(
        f"{tally.files} bill file{'s' * (tally.files != 1)} in {seconds:.1f} s with "
        f"{workers} worker{'s' * (workers != 1)}: " + ", ".join(parts) + ".",
        err=True,
    )
    for path, same in tally.copies[:_LISTED]:
        click.echo(f"copy: {shown(str(path))} holds the same text as {shown(str(same))}", err=True)
    if len(tally.copies) > _LISTED:
        click.echo(f"copy: ... and {len(tally.copies) - _LISTED} more", err=True)
    for path, reason, before in sorted(tally.failed, key=lambda f: str(f[0]))[:_LISTED]:
        note = " (failed before and unchanged; --retry-failed tries it again)" * before
        click.echo(f"failed: {shown(str(path))}: {shown(reason)}{note}", err=True)
    where = shown(str(store))
    if len(tally.failed) > _LISTED:
        click.echo(
            f"failed: ... and {len(tally.failed) - _LISTED} more; all of them: "
            f"lssc-legal query --store {where} --failed",
            err=True,
        )
    click.echo(
        f"{where}: {bills} bill{'s' * (bills != 1)}, {provisions - review} provisions and "
        f"{review} more for review. Next: "
        f"lssc-legal query --store {where} --kind punitive; "
        f"lssc-legal appendix --store {where} -o appendix.docx",
        err=True,
    )


def _store_for_reading(store: Path | None) -> Path:
    from .batch.store import STORE_NAME
    from .errors import StoreError

    if store is not None:
        return store.expanduser()
    here = Path(STORE_NAME)
    if here.is_file():
        return here
    raise StoreError(
        None,
        f"no results store given and none here ({STORE_NAME})",
        "give --store PATH, the file lssc-legal batch wrote beside the bills",
    )


def _state_codes(values: Sequence[str], hint: str = "--state") -> list[str]:
    from .ingest.profiles import STATE_NAMES

    codes = {c for c in STATE_NAMES.values()}
    by_name = {name.lower(): code for name, code in STATE_NAMES.items()}
    out = []
    for v in values:
        code = v.upper() if v.upper() in codes else by_name.get(v.lower())
        if code is None:
            raise click.BadParameter(
                f"{v!r} is not a state (give its two-letter code, as TX, or its name, as Texas)",
                param_hint=hint,
            )
        out.append(code)
    return out


def _subjects(values: Sequence[str]) -> list[str]:
    from .models import SUBJECTS

    heads = {s.split(".")[0] for s in SUBJECTS}
    for v in values:
        if v not in SUBJECTS and v not in heads:
            raise click.BadParameter(
                f"{v!r} is not a subject; one of: {', '.join(sorted(heads | set(SUBJECTS)))}",
                param_hint="--subject",
            )
    return list(values)


def _filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    from .models import KINDS, MECHANISMS

    for option in reversed(
        [
            click.option("--state", "states", multiple=True, metavar="XX",
                         help="Only bills of this state (repeat for several)."),
            click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS),
                         help="Only provisions of this kind (any of their kinds; repeatable)."),
            click.option("--subject", "subjects", multiple=True, metavar="SUBJECT",
                         help="Only provisions on this subject; 'labor' takes labor.* "
                         "(repeatable)."),
            click.option("--penalty", "penalties", multiple=True, type=click.Choice(MECHANISMS),
                         help="Only provisions with this punitive mechanism (repeatable)."),
        ]
    ):  # fmt: skip
        f = option(f)
    return f


@cli.command()
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Results store written by batch (default: ./lssc-legal.sqlite).",
)
@_filter_options
@click.option(
    "--markup",
    "markups",
    multiple=True,
    type=click.Choice(("inserted", "deleted", "unchanged", "mixed", *_MARKUP_WORDS)),
    help="Only provisions with this markup: inserted (new), deleted (struck), unchanged "
    "(existing), mixed (amended).",
)
@click.option("--text", metavar="WORDS", help="Only provisions whose quote holds these words.")
@click.option(
    "--confidence",
    "confidence",
    multiple=True,
    type=click.Choice(("high", "review")),
    help="Only provisions a named pattern classified (high), or only the review items the "
    "structural reading found (review).",
)
@click.option("--failed", is_flag=True, help="List the files that could not be analyzed.")
@click.option(
    "--sql",
    metavar="SELECT",
    help="Run one read-only SQL query (docs/store.md), for at most 10 s; a BLOB value is "
    "written as X'hex'.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "csv", "json", "jsonl")),
    default="table",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file.")
def query(
    store: Path | None,
    states: tuple[str, ...],
    kinds: tuple[str, ...],
    subjects: tuple[str, ...],
    penalties: tuple[str, ...],
    markups: tuple[str, ...],
    text: str | None,
    confidence: tuple[str, ...],
    failed: bool,
    sql: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Find provisions in a results store. Filters combine (every one must hold); a filter
    given twice takes either value. --sql runs your own SELECT on the store's tables.

    \b
    Example:
        lssc-legal query --store bills/lssc-legal.sqlite --state TX --kind punitive
        lssc-legal query --subject firearms --penalty official_removal --format csv -o out.csv
        lssc-legal query --sql "SELECT state, count(*) FROM current_provisions GROUP BY state"
    """
    from .batch.store import Store

    filtered = states or kinds or subjects or penalties or markups or text or confidence
    if sql is not None and (filtered or failed):
        raise click.UsageError("--sql runs on its own: leave out the filters and --failed")
    if failed and filtered:
        raise click.UsageError("--failed lists every failed file: leave out the filters")
    markups = tuple(_MARKUP_WORDS.get(m, m) for m in markups)
    store = _store_for_reading(store)
    if output is not None:
        check_output(output, kind_for(output, fmt), [store])  # never over the store
    with Store(store, readonly=True) as results:
        if sql is not None:
            names, rows = results.sql(sql)
            records = [dict(zip(names, row, strict=True)) for row in rows]
        elif failed:
            names = ["path", "reason"]
            records = [{"path": p, "reason": r} for p, r in results.failures()]
        else:
            found = results.provisions(
                states=_state_codes(states), kinds=kinds, subjects=_subjects(subjects),
                penalties=penalties, markups=markups, text=text, confidence=confidence,
            )  # fmt: skip
            names = ["citation", "section", "pinpoint", "kind", "kinds", "subjects", "targets",
                     "punitive", "effect", "markup", "text", "confidence", "rationale", "lead_in",
                     "state", "version", "source", "path", "id", "rules", "principles"]  # fmt: skip
            records = [_query_row(r) for r in found]
    if fmt == "table" and output is None:
        from .render.terminal import query_table

        empty = "No file failed." if failed else "Nothing matches."
        query_table(names, records, sql is not None or failed, empty)
        return
    if fmt == "table":
        raise click.UsageError("the table is for the terminal: give --format csv or json with -o")
    if fmt == "csv":
        from .render.tabular import csv_text

        out = csv_text(names, ([r.get(n) for n in names] for r in records), bom=bool(output))
    elif fmt == "json":
        out = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    else:
        out = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    _emit(out, output, [store], fmt)


def _query_row(row: dict[str, Any]) -> dict[str, Any]:
    from .models import Pinpoint, pinpoint_range

    start = Pinpoint(row["start_page"], row["start_line"])
    end = Pinpoint(row["end_page"], row["end_line"])
    return {**row, "citation": row["citation"] or row["source"],
            "pinpoint": pinpoint_range(start, end)}  # fmt: skip


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Take the bills from this results store (written by batch) instead of PATHS; with "
    "PATHS, use it to skip bills it already holds.",
)
@_filter_options
@click.option("--savings", is_flag=True, help="Also list savings clauses.")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="The appendix in Word (.docx)."
)
@click.option("--csv", "csv_out", type=click.Path(path_type=Path), help="Also write a CSV.")
@click.option("--xlsx", "xlsx_out", type=click.Path(path_type=Path), help="Also write XLSX.")
@click.option(
    "--template",
    type=click.Path(path_type=Path),
    help="An appendix template to use instead of the built-in one (templates init appendix).",
)
@click.option("--title", help="Title of the appendix.")
@click.option("-j", "--jobs", type=click.IntRange(1), help="Worker processes for PATHS.")
@_corpus_option
def appendix(
    paths: tuple[Path, ...],
    store: Path | None,
    states: tuple[str, ...],
    kinds: tuple[str, ...],
    subjects: tuple[str, ...],
    penalties: tuple[str, ...],
    savings: bool,
    output: Path | None,
    csv_out: Path | None,
    xlsx_out: Path | None,
    template: Path | None,
    title: str | None,
    jobs: int | None,
    corpus: Path | None,
) -> None:
    """An amicus research appendix: one row per preemption provision in the bills of PATHS
    (files or folders) or of a results store, grouped by state and bill, with Bluebook
    citations, pinpoints, exact quotes and markup; summary tables; each bill's source in
    a footnote. Word (-o), CSV and XLSX.

    \b
    Example:
        lssc-legal appendix bills/ -o appendix.docx --csv appendix.csv
        lssc-legal appendix --store bills/lssc-legal.sqlite --subject labor -o labor.docx
        lssc-legal appendix --store s.sqlite --state TX --state FL --kind punitive --xlsx p.xlsx
    """
    from .appendix import Filters, build_appendix
    from .errors import NotABillError

    if output is None and csv_out is None and xlsx_out is None:
        raise click.UsageError("give -o appendix.docx, --csv FILE or --xlsx FILE")
    inputs = [template, store, *paths]  # what no output may be written over
    for path, suffix in ((output, ".docx"), (csv_out, ".csv"), (xlsx_out, ".xlsx")):
        if path is not None and path.suffix.lower() != suffix:
            raise click.UsageError(f"{path}: the file name must end in {suffix}")
        if path is not None:  # every output checked before any is written
            check_output(path, kind_for(path), inputs)
    if template is not None and not template.expanduser().is_file():
        from .errors import TemplateError

        raise TemplateError(template, "no such template", "check the path, or templates list")
    filters = Filters(
        _state_codes(states), kinds, _subjects(subjects), penalties, savings
    )  # fmt: skip
    if paths:
        from .appendix import gather
        from .batch import default_store
        from .render.terminal import batch_progress

        cache = store.expanduser() if store else default_store(paths)
        with _interrupted_says(cache if cache.is_file() else None):
            analyses, failed = gather(paths, cache, _jobs(jobs), corpus, batch_progress)
    else:
        from .appendix import stored

        analyses, failed = stored(_store_for_reading(store))
    for name, reason in failed:
        click.echo(f"warning: not read: {name}: {reason}", err=True)
    made = build_appendix(analyses, filters, failed)
    if not made.rows:
        scope = f" ({filters.describe()})" if filters.describe() else ""
        raise NotABillError(
            None,
            f"no preemption provision{scope} in the {made.searched} bills searched; nothing "
            "written",
            "widen the filters, or add --savings",
        )
    from .render.appendix import write_outputs

    fields, written = write_outputs(
        made, title, docx=output, csv=csv_out, xlsx=xlsx_out,
        template=template.expanduser() if template else None, inputs=inputs,
    )  # fmt: skip
    n, b = len(made.rows), len(made.bills)
    k, r = made.searched, len(made.review_rows)
    click.echo(
        f"{', '.join(written)}: {n} provision{'s' * (n != 1)} in {b} bill{'s' * (b != 1)} "
        f"of {fields['appendix']['states'] or 'no state'} ({k} bill{'s' * (k != 1)} searched)"
        + (f"; {r} more listed for review" if r else ""),
        err=True,
    )


# -- fetch --------------------------------------------------------------------------------


_PROVIDER = click.option(
    "--provider",
    type=click.Choice(PROVIDERS),
    help="The bill API to ask (default: [tracking] provider in the config file, else the "
    "one whose key is set, LegiScan first).",
)
_SESSION = click.option(
    "--session",
    help="Session: a year (2025), LegiScan's name (2025C2) or Open States' identifier "
    "(88, 2025-2026). Default: the state's latest session.",
)


@cli.command()
@click.argument("bill", nargs=-1, required=True)
@_SESSION
@_PROVIDER
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("bills"),
    show_default=True,
    help="Folder the bill's versions are saved in.",
)
@click.option(
    "--store",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Results store that records what was fetched (default: the one in the folder).",
)
def fetch(
    bill: tuple[str, ...], session: str | None, provider: str | None, output: Path,
    store: Path | None,
) -> None:  # fmt: skip
    """Fetch every published version of a bill (introduced, committee substitutes,
    engrossed, enrolled, chaptered) from LegiScan or Open States, as the legislature
    published it, into a folder; each is recorded in the results store, and a version
    fetched before is not fetched again. Needs LEGISCAN_API_KEY (free at legiscan.com) or
    OPENSTATES_API_KEY (free at openstates.org); see docs/tracking.md.

    \b
    Example:
        lssc-legal fetch TX HB 2127 2023 -o hb2127/
        lssc-legal fetch "Fla. CS/HB 3" --session 2026 --provider openstates
        lssc-legal compare --batch hb2127/
    """
    from contextlib import closing

    from .batch.store import STORE_NAME, Store
    from .track import open_provider
    from .track.fetch import fetch_versions, short_id

    wanted = _bill_id(bill, session)
    output = output.expanduser()
    if output.exists() and not output.is_dir():
        raise OutputError(output, "is a file, not a folder", "give -o a folder")
    if store is not None:  # checked before the provider is asked anything
        _store_folder(store.expanduser())
    with closing(open_provider(provider)) as client:
        # The bill found first: no key, no network or no such bill is one line, and
        # nothing is made.
        found = client.bill(client.find(wanted))
        output.mkdir(parents=True, exist_ok=True)
        with Store((store or output / STORE_NAME).expanduser()) as results:
            outcomes = fetch_versions(found, output, results, client)
    for o in outcomes:
        where = f"{o.path}" + (f": {o.reason}" if o.reason else "") if o.path else o.reason
        click.echo(f"{o.status}: {o.version} (document {short_id(o.doc_id)}): {where}", err=True)
    counts = {
        s: sum(o.status == s for o in outcomes) for s in ("fetched", "already fetched", "kept")
    }
    rejected = [o for o in outcomes if o.status == "rejected"]
    click.echo(
        f"{wanted}: {len(outcomes)} version{'s' * (len(outcomes) != 1)}, "
        f"{counts['fetched']} fetched, {counts['already fetched']} already fetched, "
        + (f"{counts['kept']} changed here and kept, " if counts["kept"] else "")
        + f"{len(rejected)} rejected, in {output}",
        err=True,
    )
    if rejected:
        raise SystemExit(3)


def _bill_id(words: Sequence[str], session: str | None = None) -> BillId:
    """The bill the command's words name (`--session` overriding a year in them)."""
    from dataclasses import replace

    from .track import parse_bill_id

    wanted = parse_bill_id(" ".join(words))
    return replace(wanted, session=session) if session else wanted


@cli.group()
def watch() -> None:
    """A watch list of bills, and what changed in their preemption provisions since the
    last run. Needs a LegiScan or Open States key, as fetch does.

    \b
    Example:
        lssc-legal watch add TX HB 2127 2023
        lssc-legal watch run -o digest.md
    """


_WATCH_STORE = click.option(
    "--store",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("lssc-legal.sqlite"),
    show_default=True,
    help="Results store holding the watch list and what was fetched.",
)


@watch.command("add")
@click.argument("bill", nargs=-1, required=True)
@_SESSION
@_PROVIDER
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the bill's versions (default: bills/STATE-NUMBER-YEAR beside the store).",
)
@_WATCH_STORE
def watch_add(
    bill: tuple[str, ...], session: str | None, provider: str | None, output: Path | None,
    store: Path,
) -> None:  # fmt: skip
    """Add a bill to the watch list: `watch run` fetches its versions and compares them.

    \b
    Example:
        lssc-legal watch add TX HB 2127 2023
        lssc-legal watch add "Fla. CS/HB 3" --session 2026 -o hb3/
    """
    from contextlib import closing

    from .batch.store import Store
    from .track import open_provider
    from .track.watch import add_watch, label

    wanted = _bill_id(bill, session)
    store = store.expanduser()
    _store_folder(store)
    with closing(open_provider(provider)) as client:
        found = client.bill(client.find(wanted))
        name = f"{found.state}-{found.number}" + (f"-{found.year}" if found.year else "")
        folder = (output or store.parent / "bills" / name).expanduser().resolve()
        with Store(store) as results:
            row, added = add_watch(results, client, found, folder)
    if not added:
        click.echo(f"{label(row)} is already watched; its versions go to {row.folder}", err=True)
        return
    click.echo(f"watching {label(row)} ({client.name}); its versions go to {folder}", err=True)


@watch.command("remove")
@click.argument("bill", nargs=-1, required=True)
@click.option("--session", help="Only the bill of this session (as `watch list` names it).")
@_WATCH_STORE
def watch_remove(bill: tuple[str, ...], session: str | None, store: Path) -> None:
    """Take a bill off the watch list, in every session watched unless --session names
    one (its fetched files stay).

    \b
    Example:
        lssc-legal watch remove TX HB 2127
    """
    from .batch.store import Store
    from .track.watch import label

    wanted = _bill_id(bill)
    with Store(_watch_list(store)) as results:
        gone = results.unwatch(wanted.state, wanted.api_number, session or wanted.session)
    if not gone:
        raise click.UsageError(f"{wanted} is not on the watch list (see lssc-legal watch list)")
    for w in gone:
        click.echo(f"no longer watching {label(w)}", err=True)


@watch.command("list")
@_WATCH_STORE
def watch_list(store: Path) -> None:
    """The watched bills, where their versions go and when each was last checked.

    \b
    Example:
        lssc-legal watch list --store tracking.sqlite
    """
    from .batch.store import Store
    from .track.watch import label

    with Store(_watch_list(store), readonly=True) as results:
        rows = results.watched()
        if not rows:
            click.echo("No bill is watched.")
            return
        for w in rows:
            n = len(results.fetched_versions(w.provider, w.bill_id))
            checked = w.checked_at or "never"
            click.echo(
                f"{label(w)}\t{n} version{'s' * (n != 1)}\tchecked {checked}\t{w.provider}"
                f"\t{w.folder}"
            )


@watch.command("run")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the digest here (.md, .docx, .json); default: Markdown on stdout.",
)
@click.option("--author", help="Author of the redlines' tracked changes (as for compare).")
@_WATCH_STORE
def watch_run(output: Path | None, author: str | None, store: Path) -> None:
    """Check every watched bill, fetch its new versions, compare each with the version
    before it, and write a digest of what changed in the preemption provisions, newest
    first, with pinpoints in both versions and the redlines written beside the files.

    \b
    Example:
        lssc-legal watch run -o digest.docx
        lssc-legal watch run -o digest.json --store tracking.sqlite
    """
    from .batch.store import Store
    from .config import redline_author
    from .track import open_provider
    from .track.provider import Provider
    from .track.watch import run_watch

    fmt = _report_format(output, "digest", store, word=True)
    opened: dict[str, Provider] = {}

    def provider_for(name: str) -> Provider:  # each provider opened once, when first needed
        if name not in opened:
            opened[name] = open_provider(name)
        return opened[name]

    try:
        with Store(_watch_list(store)) as results:
            digest = run_watch(results, provider_for, author or redline_author())
            if fmt == "docx" and output is not None:
                from .render.digest import write_digest

                with atomic_output(output, "docx", [store]) as tmp:
                    write_digest(digest, tmp)
            else:
                base = output.parent if output is not None else None
                _write_report(output, fmt, store, digest.to_dict(), digest.markdown(base))
            # Only now is what it reports marked done: a run killed before this line, or
            # whose digest could not be written, reports the same again next time.
            digest.deliver(results)
    finally:
        for client in opened.values():
            client.close()
    n, k = len(digest.steps), len(digest.first)
    click.echo(
        f"{n} new version{'s' * (n != 1)} compared; "
        + (f"{k} first version{'s' * (k != 1)} read; " if k else "")
        + f"{len(digest.unchanged)} bill"
        f"{'s' * (len(digest.unchanged) != 1)} without one; {len(digest.problems)} not checked",
        err=True,
    )
    if digest.problems:
        raise SystemExit(3)


def _store_folder(store: Path) -> None:
    """A store that could not be made is one line before any API call is spent."""
    from .errors import StoreError

    if store.is_dir():
        raise StoreError(store, "is a folder", "give --store a file name")
    if not store.parent.is_dir():
        raise StoreError(store, "its folder does not exist", "create the folder first")


def _watch_list(store: Path) -> Path:
    """The store holding the watch list; none there is one line (nothing is made)."""
    from .errors import StoreError

    store = store.expanduser()
    if not store.is_file():
        raise StoreError(
            store, "holds no watch list (no such file)",
            f"add a bill first: lssc-legal watch add BILL --store {store}",
        )  # fmt: skip
    return store


def _report_format(output: Path | None, what: str, store: Path, word: bool = False) -> str | None:
    """A watch report's format by its file name (md, json, and docx where `word`), checked
    before any work."""
    if output is None:
        return None
    formats = {".md": "md", ".json": "json", **({".docx": "docx"} if word else {})}
    fmt = formats.get(output.suffix.lower())
    if fmt is None:
        raise click.UsageError(f"{output}: the {what} is {', '.join(formats)}")
    check_output(output, fmt, [store])
    return fmt


def _write_report(
    output: Path | None, fmt: str | None, store: Path, data: dict[str, Any], markdown: str
) -> None:
    """Markdown on stdout, or the report written whole into `output`."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n" if fmt == "json" else markdown
    if output is None or fmt is None:
        click.echo(text, nl=False)
        return
    with atomic_output(output, fmt, [store]) as tmp:
        tmp.write_text(text, encoding="utf-8")


@watch.command("scan")
@click.argument("state")
@_SESSION
@_PROVIDER
@click.option(
    "--folder",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the bills' latest texts (default: bills/STATE beside the store).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the list here (.md, .json); default: Markdown on stdout.",
)
@click.option("-j", "--jobs", type=click.IntRange(1), help="Worker processes for the analysis.")
@_WATCH_STORE
@_corpus_option
def watch_scan(
    state: str,
    session: str | None,
    provider: str | None,
    folder: Path | None,
    output: Path | None,
    jobs: int | None,
    store: Path,
    corpus: Path | None,
) -> None:
    """A session's intake: fetch the latest text of every bill new or changed since the
    last scan, analyze them in the batch pool, and list the bills with preemptive or
    punitive provisions, with their kinds and subjects.

    \b
    Example:
        lssc-legal watch scan TX -o intake.md
        lssc-legal watch scan FL --session 2150 -o intake.json --jobs 2
    """
    from contextlib import closing

    from .batch.store import Store
    from .track import open_provider
    from .track.scan import scan_session

    code = _state_codes([state], hint="STATE")[0]
    fmt = _report_format(output, "list", store)
    store = store.expanduser()
    texts = (folder or store.parent / "bills" / code).expanduser().resolve()
    with (
        closing(open_provider(provider)) as client,
        Store(store) as results,
    ):  # texts: made when one is fetched
        scan = scan_session(
            code, texts, results, client, session=session, jobs=_jobs(jobs), corpus=corpus
        )
    _write_report(output, fmt, store, scan.to_dict(), scan.markdown())
    click.echo(
        f"{code}{', ' + scan.session if scan.session else ''}: {len(scan.flagged)} of "
        f"{scan.bills} bills with preemptive or punitive "
        f"provisions; {scan.fetched} text{'s' * (scan.fetched != 1)} fetched; "
        f"{len(scan.problems)} not read",
        err=True,
    )
    if scan.problems:
        raise SystemExit(3)


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
    from .render.memo import BUILTIN

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
    from .render.memo import init_template, template_path

    src = template_path(name)
    dest = init_template(
        name, path or Path(src.name if src.suffix == ".docx" else f"{name}.md"), force
    )
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
    from .render.memo import sample_analysis, validate_template

    if not path.is_file():
        raise TemplateError(path, "no such template", "check the path")
    problems = validate_template(path, sample_analysis())
    for problem in problems:
        click.echo(f"{path}: {problem}")
    if problems:
        raise SystemExit(1)
    click.echo(f"{path}: ok")


@templates.command("fields")
@click.argument("name", required=False, default="memo", type=click.Choice(("memo", "appendix")))
def templates_fields(name: str) -> None:
    """List every field a memo (or an appendix) template can use, with what it holds.

    \b
    Example:
        lssc-legal templates fields
        lssc-legal templates fields appendix
    """
    if name == "appendix":
        from .appendix import APPENDIX_FIELDS as fields
    else:
        from .render.context import FIELDS as fields

    width = max(len(k) for k in fields)
    for field, about in fields.items():
        click.echo(f"{field:{width}}  {about}")
