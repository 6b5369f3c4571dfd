"""Hostile and damaged inputs: how every command behaves on huge, looping, malformed and
adversarial files, outputs that overwrite their inputs, odd output targets, runaway SQL and
templates, Ctrl-C and kill -9. One row per case: exit code, seconds, peak memory and flags.

    python benchmarks/hostile.py [--cli "CMD"] [--timeout 60] [--only SUBSTRING]
                                 [--mem-gb 12] [--quick] [--inputs DIR] [--json PATH] [--keep]

--cli is how the tool is run (default: this Python with `-m lssc_legal`); to measure another
checkout, point PYTHONPATH at it and give --cli "/path/to/python -m lssc_legal". Every input
is generated here (nothing is downloaded); --inputs DIR keeps them between runs, so two
checkouts are measured on the same files. --quick shrinks the big inputs tenfold (bombs to
100 MB) and the page-scaling pair from 300 and 2,000 pages to 150 and 1,000.

Each case runs alone in a fresh folder, in its own session, stdin closed, under
RLIMIT_AS = --mem-gb (so a bomb ends in MemoryError, not in the machine swapping), a 4 GB
file-size limit and no core dumps; on timeout the whole process group is killed. The
2,000-page read gets three times the timeout, so that the page ratio can be measured.
Peak MB is ru_maxrss from wait4: the largest single process (main or a batch worker), not
their sum. Output and flags:

    exit       exit code; TIMEOUT; SIGNAME when a signal ended it (a shell shows SIGINT as
               130); SKIP when an input or a setup could not be built (see the notes)
    tb         a Python traceback was printed
    stderr:N   stderr held N lines (more than one)
    internal   "internal error" was printed (an exception the CLI did not expect)
    input-modified:F / input-deleted:F
               an input file's SHA-256 changed, or it is gone
    tmp-left:N a temporary `.NAME.*.tmp` file was left beside an output
    replaced:F a file that must not be replaced was (a FIFO, a file without --force)
    orphans:N  processes of the case's session still alive after it ended (then killed)

As root, permissions do not bind: the read-only folder and unreadable config cases run
under `setpriv` with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped (skipped with a note
if setpriv is missing). ENOSPC is simulated with stdout on /dev/full.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import resource
import shlex
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

if __package__ in (None, ""):  # run as a script: the repository makes `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.ingest import PARAGRAPHS, SPEC_HEAD  # the benchmark bills' spec

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "corpus" / "examples" / "tx_hb4312.pdf"
REAL = ROOT / "tests" / "fixtures" / "real"
VERSIONS = ROOT / "tests" / "fixtures" / "versions" / "tx_hb2127"
SPEC = ROOT / "tests" / "fixtures" / "specs" / "tx_hb_leave.txt"
MB = 1 << 20
GB = 1 << 30
FSIZE_LIMIT = 4 * GB
BAD_NAME = os.fsdecode(b"ok-sb166-\xff\xfe.txt")  # not valid UTF-8
BAD_VERSION = os.fsdecode(b"2_committee_substitute-\xff.pdf")
WEIRD_STORE = "we#ird?x=%41%.sqlite"
Arg = str | bytes

SENTENCE = "A political subdivision may not adopt or enforce an ordinance that regulates leave. "
TEMPLATES = {
    "lipsum": "# Memo\n\n{{ lipsum(100000) }}\n",
    "nested-range": "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}"
    "{% endfor %}\n",
    "x-times-1e9": "{{ 'x' * 10**9 }}\n",
    "bare-cycler": "{{ cycler }}\n",
}


# -- inputs -----------------------------------------------------------------------------


def pdf_file(objects: Sequence[bytes], out: Path) -> None:
    """A PDF of numbered objects (1 is the catalog) with a correct xref table."""
    data = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    out.write_bytes(bytes(data))


def text_ops(lines: Iterable[str]) -> bytes:
    """Content-stream operators that print `lines` in Helvetica down a letter page."""
    ops = [b"BT /F1 11 Tf 14 TL 72 740 Td"]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"(" + safe.encode("latin-1") + b") Tj T*")
    ops.append(b"ET\n")
    return b"\n".join(ops)


def stream(data: bytes, *, compressed: bool = False) -> bytes:
    extra = b" /Filter /FlateDecode" if compressed else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


PAGE_LINES = [
    "H.B. No. 4312",
    "A BILL TO BE ENTITLED",
    "AN ACT",
    "relating to local regulation of employment leave.",
    "BE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:",
    "SECTION 1. Section 250.001, Local Government Code, is amended to read:",
    "Sec. 250.001. (a) A political subdivision may not adopt an ordinance",
    "that requires an employer to provide an employee paid leave.",
]
FONT = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"


def page(parent: int, contents: int, box: bytes = b"[0 0 612 792]", extra: bytes = b"") -> bytes:
    return b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Contents %d 0 R /Resources %s%s >>" % (
        parent,
        box,
        contents,
        FONT,
        extra,
    )


def docx_paragraph(text: str) -> str:
    """A w:p with {+inserted+} underlined and {-deleted-} struck."""
    runs = []
    for piece in re.split(r"(\{\+.*?\+\}|\{-.*?-\})", text):
        if not piece:
            continue
        props = ""
        if piece.startswith("{+"):
            piece, props = piece[2:-2], '<w:rPr><w:u w:val="single"/></w:rPr>'
        elif piece.startswith("{-"):
            piece, props = piece[2:-2], "<w:rPr><w:strike/></w:rPr>"
        runs.append(f'<w:r>{props}<w:t xml:space="preserve">{escape(piece)}</w:t></w:r>')
    return "<w:p>" + "".join(runs) + "</w:p>"


DOCX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
    '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
DOCX_TAIL = "</w:body></w:document>"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.'
    'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType='
    '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://'
    'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
    '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def docx_file(out: Path, chunks: Iterable[str]) -> None:
    """A minimal .docx whose word/document.xml is DOCX_HEAD + chunks + DOCX_TAIL, streamed
    (the chunks may add up to far more than memory)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as doc:
            doc.write(DOCX_HEAD.encode())
            for chunk in chunks:
                doc.write(chunk.encode())
            doc.write(DOCX_TAIL.encode())


def spec_paragraphs(spec: str) -> list[str]:
    """A bill spec (billwriter's format) as the paragraphs a Word bill would print."""
    head, body = spec.split("\n---\n", 1)
    meta = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    kind = "H.B." if meta.get("chamber", "house") == "house" else "S.B."
    front = [
        f"By: {meta.get('sponsors', '')}",
        f"{kind} No. {meta.get('number', '')}",
        meta.get("version_line", ""),
        "A BILL TO BE ENTITLED",
        "AN ACT",
        meta.get("title", ""),
        "BE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:",
    ]
    return [p for p in front if p] + [p.lstrip("> ") for p in body.splitlines() if p.strip()]


_WRITE = """
import json, sys
from pathlib import Path
from lssc_legal.billwriter import parse_spec, write_bill
for spec, out in json.loads(sys.argv[1]):
    words = write_bill(parse_spec(Path(spec).read_text(encoding="utf-8")), Path(out))
    print(max(w.page for w in words))
"""


class Inputs:
    """The generated inputs, built on first use and kept in `folder` (reused when it
    already holds them: --inputs DIR)."""

    def __init__(self, folder: Path, quick: bool, limit: Callable[[], None]) -> None:
        self.folder = folder
        self.quick = quick
        self.limit = limit
        scale = 10 if quick else 1
        self.line_count = 1_000_000 // scale
        self.one_line = 50 * MB // scale
        self.bomb = GB if not quick else 100 * MB
        self.page_counts = (150, 1000) if quick else (300, 2000)
        self.pages: dict[str, int] = {}  # file name: pages the bill writer drew

    def _cached(self, name: str, build: Callable[[Path], None]) -> Path:
        out = self.folder / name
        if not out.exists():
            print(f"  making input {name} ...", file=sys.stderr, flush=True)
            t = time.perf_counter()
            tmp = out.with_name(f".{name}.part")
            build(tmp)
            tmp.rename(out)
            print(f"  made {name} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        return out

    def _billwriter(self, jobs: list[tuple[Path, Path]]) -> list[int]:
        """Draw PDFs with the project's bill writer (in a child, memory-capped)."""
        done = subprocess.run(
            [sys.executable, "-c", _WRITE, json.dumps([[str(s), str(o)] for s, o in jobs])],
            capture_output=True,
            text=True,
            check=False,
            preexec_fn=self.limit,
            timeout=900,
        )
        if done.returncode != 0:
            raise RuntimeError(f"billwriter failed: {done.stderr.strip()[-500:]}")
        return [int(x) for x in done.stdout.split()]

    def example(self) -> Path:
        return EXAMPLE

    def lines(self) -> Path:
        count = self.line_count

        def build(out: Path) -> None:
            head = "\n".join(PAGE_LINES[:5]) + "\n"
            with out.open("w", encoding="utf-8") as f:
                f.write(head)
                n, written = 0, 5
                while written < count:
                    text = " ".join(p.format(n=n) for p in PARAGRAPHS)
                    text = re.sub(r"\{[+-]|[+-]\}", "", text)
                    rows = textwrap.wrap(f"SECTION {n + 1}. " + text, 66)
                    f.write("\n".join(rows) + "\n")
                    written += len(rows)
                    n += 1

        return self._cached(f"lines-{count}.txt", build)

    def one_line_txt(self) -> Path:
        size = self.one_line

        def build(out: Path) -> None:
            with out.open("w", encoding="utf-8") as f:
                f.write(SENTENCE * (size // len(SENTENCE)))

        return self._cached(f"one-line-{size // MB}MB.txt", build)

    def one_line_html(self) -> Path:
        size = self.one_line

        def build(out: Path) -> None:
            with out.open("w", encoding="utf-8") as f:
                f.write("<!DOCTYPE html><html><head><title>H.B. 4312</title></head><body><p>")
                f.write(SENTENCE * (size // len(SENTENCE)))
                f.write("</p></body></html>")

        return self._cached(f"one-line-{size // MB}MB.html", build)

    def overlay_html(self) -> Path:
        """A printed-bill page (Pennsylvania's pdf2htmlEX) whose every line holds words
        pulled together by negative-margin spacers: the overlay glue must stay linear."""
        lines = 40_000 // (10 if self.quick else 1)
        spacer = '<span class="_ _5"></span> <span class="_ _6"> </span> '

        def build(out: Path) -> None:
            with out.open("w", encoding="utf-8") as f:
                f.write("<html><head><style>._5{margin-left:-835.6px;}._6{width:777.5px;}")
                f.write("</style></head><body>HOUSE BILL No. 1\n")
                for i in range(lines):
                    f.write(
                        f'<div class="t" data-ln="{i % 30 + 1}" data-ln-pg="{i // 30 + 1}">'
                        f"word{i} a{spacer}b c{spacer}d</div>\n"
                    )
                f.write("</body></html>")

        return self._cached(f"overlay-{lines}.html", build)

    def duty_run(self) -> Path:
        """A binding sentence, then one sentence of 20,000 duties of someone else ("The
        department shall act, and ..."): the duties read by their part must stay linear."""
        n = 20_000 // (10 if self.quick else 1)

        def build(out: Path) -> None:
            with out.open("w", encoding="utf-8") as f:
                f.write("H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n")
                f.write("SECTION 1. Sec. 1.001. TEST.\n(a) A municipality may not adopt an ")
                f.write("ordinance that regulates fees. " + "The department shall act, and " * n)
                f.write("the end.\nSECTION 2. This Act takes effect September 1, 2025.\n")

        return self._cached(f"duty-run-{n}.txt", build)

    def docx_bomb(self) -> Path:
        size = self.bomb
        para = docx_paragraph(SENTENCE)
        chunk = para * (MB // len(para))

        def build(out: Path) -> None:
            docx_file(out, (chunk for _ in range(size // len(chunk))))

        return self._cached(f"docx-inflates-{size // MB}MB.docx", build)

    def pdf_bomb(self) -> Path:
        size = self.bomb

        def build(out: Path) -> None:
            z = zlib.compressobj(9)
            data = [z.compress(text_ops(PAGE_LINES))]
            spaces = b" " * MB
            data += [z.compress(spaces) for _ in range(size // MB)]
            data.append(z.flush())
            pdf_file(
                [
                    b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    page(2, 4),
                    stream(b"".join(data), compressed=True),
                ],
                out,
            )

        return self._cached(f"pdf-flate-{size // MB}MB.pdf", build)

    def paged(self, pages: int) -> Path:
        name = f"pdf-{pages}-pages.pdf"
        info = self.folder / f"{name}.pages"

        def build(out: Path) -> None:
            groups = int(pages * 670 / 296 * 1.01) + 1  # 670 groups drew 296 pages
            spec = out.with_suffix(".spec.txt")
            body = (p.format(n=n) for n in range(groups) for p in PARAGRAPHS)
            spec.write_text(SPEC_HEAD + "\n".join(body) + "\n", encoding="utf-8")
            (drawn,) = self._billwriter([(spec, out)])
            spec.unlink()
            info.write_text(str(drawn))

        path = self._cached(name, build)
        self.pages[name] = int(info.read_text()) if info.exists() else pages
        return path

    def pages_small(self) -> Path:
        return self.paged(self.page_counts[0])

    def pages_large(self) -> Path:
        return self.paged(self.page_counts[1])

    def page_loop(self) -> Path:
        def build(out: Path) -> None:
            pdf_file(
                [
                    b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
                    page(2, 4),
                    stream(text_ops(PAGE_LINES)),
                ],
                out,
            )

        return self._cached("pdf-page-tree-loop.pdf", build)

    def nested(self) -> Path:
        depth = 100_000

        def build(out: Path) -> None:
            deep = b"[" * depth + b"]" * depth
            pdf_file(
                [
                    b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    page(2, 4, extra=b" /Nested " + deep),
                    stream(text_ops(PAGE_LINES)),
                ],
                out,
            )

        return self._cached(f"pdf-nested-{depth}.pdf", build)

    def huge_box(self) -> Path:
        def build(out: Path) -> None:
            pdf_file(
                [
                    b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    page(2, 4, box=b"[0 0 1000000 1000000]"),
                    stream(text_ops(PAGE_LINES)),
                ],
                out,
            )

        return self._cached("pdf-mediabox-1e6.pdf", build)

    def utf16(self) -> Path:
        def build(out: Path) -> None:
            text = (REAL / "OK-SB0166-2025-introduced.txt").read_text(encoding="utf-8")
            out.write_bytes(text.encode("utf-16"))  # with a BOM

        return self._cached("utf16-bom.txt", build)

    def bill_docx(self, spec: Path = VERSIONS / "1_introduced.txt") -> Path:
        def build(out: Path) -> None:
            paras = spec_paragraphs(spec.read_text(encoding="utf-8"))
            docx_file(out, (docx_paragraph(p) for p in paras))

        return self._cached(f"{spec.stem}.docx", build)

    def new_docx(self) -> Path:
        return self.bill_docx(VERSIONS / "2_committee_substitute.txt")

    def versions(self) -> Path:
        """Three versions of TX H.B. 2127 as PDFs, the second under a non-UTF-8 name."""

        def build(out: Path) -> None:
            out.mkdir()
            names = ["1_introduced.pdf", BAD_VERSION, "3_engrossed.pdf"]
            specs = sorted(VERSIONS.glob("*.txt"))[:3]
            self._billwriter([(s, out / n) for s, n in zip(specs, names, strict=True)])

        return self._cached("versions", build)

    def foreign(self) -> Path:
        def build(out: Path) -> None:
            db = sqlite3.connect(out)
            with db:
                db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
                db.executemany("INSERT INTO notes (body) VALUES (?)", [("call the clerk",)] * 3)
            db.close()

        return self._cached("foreign.sqlite", build)


# -- running ----------------------------------------------------------------------------


@dataclass
class Run:
    """What a finished child left: exit code (None on timeout), seconds, peak MB."""

    code: int | None
    seconds: float
    peak_mb: float
    orphans: list[tuple[int, str]] = field(default_factory=list)
    note: str = ""


@dataclass
class Case:
    """One command on one prepared folder. `command` is split like a shell line unless it
    is already a list (a non-UTF-8 name cannot be written in a string)."""

    name: str
    command: str | list[Arg]
    files: dict[str, Callable[[], Path]] = field(default_factory=dict)  # copied in
    setup: Callable[[Path, Runner], None] | None = None
    inputs: list[str] = field(default_factory=list)  # must keep their SHA-256
    protect: list[str] = field(default_factory=list)  # must not be replaced
    devfull: bool = False  # stdout on /dev/full (ENOSPC)
    drop_dac: bool = False  # permissions bind even for root
    # A signal: (signal, whole group?) sent at `send_at` seconds, or once the store
    # `send_on_store` holds a bill (or half the timeout has passed).
    send: tuple[signal.Signals, bool] | None = None
    send_at: float | None = None
    send_on_store: str | None = None
    timeout_scale: float = 1.0
    after: Callable[[Path, Runner], str] | None = None  # a note on what is left
    tag: str = ""

    @property
    def args(self) -> list[Arg]:
        if isinstance(self.command, str):
            return [*shlex.split(self.command)]
        return self.command


@dataclass
class Result:
    case: str
    tag: str
    command: str
    exit: str
    seconds: float
    peak_mb: float
    flags: list[str]
    message: str
    note: str = ""


class Runner:
    def __init__(self, cli: list[str], timeout: float, mem_gb: float) -> None:
        self.cli = cli
        self.timeout = timeout
        self.mem = int(mem_gb * GB)
        self.env = {k: v for k, v in os.environ.items() if k not in ("LSSC_DEBUG",)}
        self.env.pop("LSSC_LEGAL_CONFIG", None)
        self.root = os.geteuid() == 0
        self.setpriv = shutil.which("setpriv")

    def limit(self) -> None:
        """preexec_fn: cap memory, file size and core dumps of the child."""
        resource.setrlimit(resource.RLIMIT_AS, (self.mem, self.mem))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FSIZE_LIMIT, FSIZE_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    def argv(self, args: Sequence[Arg], drop_dac: bool = False) -> list[Arg]:
        argv: list[Arg] = [*self.cli, *args]
        if drop_dac and self.root:
            assert self.setpriv is not None
            bounding = "-dac_override,-dac_read_search"
            argv = [self.setpriv, "--bounding-set", bounding, "--", *argv]
        return argv

    def tool(self, args: Sequence[Arg], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
        """Run the tool for a case's setup (not measured)."""
        return subprocess.run(
            self.argv(args),
            cwd=cwd,
            env={**self.env, "HOME": str(home)},
            capture_output=True,
            text=True,
            errors="replace",
            stdin=subprocess.DEVNULL,
            check=False,
            preexec_fn=self.limit,
            timeout=self.timeout * 3,
            start_new_session=True,
        )

    def measure(self, case: Case, cwd: Path, home: Path, out: Path, err: Path) -> Run:
        timeout = self.timeout * case.timeout_scale
        stdout = open("/dev/full", "wb") if case.devfull else out.open("wb")  # noqa: SIM115
        with stdout, err.open("wb") as stderr:
            start = time.perf_counter()
            proc = subprocess.Popen(
                self.argv(case.args, case.drop_dac),
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                env={**self.env, "HOME": str(home)},
                start_new_session=True,
                preexec_fn=self.limit,
            )
            timed_out, sent, note, polled = False, False, "", 0.0
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                elapsed = time.perf_counter() - start
                if case.send is not None and not sent:
                    due = case.send_at is not None and elapsed >= case.send_at
                    stored = 0
                    if case.send_on_store and elapsed - polled >= 0.25:
                        polled = elapsed
                        stored = stored_bills(cwd / case.send_on_store)
                        due = stored > 0 or elapsed >= timeout / 2
                    if due:
                        sig, group = case.send
                        workers = len(session(proc.pid)) - 1
                        (os.killpg if group else os.kill)(proc.pid, sig)
                        sent = True
                        note = f"{sig.name} at {elapsed:.1f} s"
                        if case.send_on_store:
                            note += f" ({stored} bill(s) stored, {workers} other processes)"
                if elapsed > timeout:
                    timed_out = True
                    os.killpg(proc.pid, signal.SIGKILL)
                    _, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.02)
            seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if case.send is not None and case.send[0] == signal.SIGKILL:
            time.sleep(3.0)  # as asked: who is still alive 3 s after the kill
        orphans = session(proc.pid)
        deadline = time.perf_counter() + 3.0
        while orphans and time.perf_counter() < deadline:  # workers get 3 s to notice
            time.sleep(0.2)
            orphans = session(proc.pid)
        for orphan_pid, _ in orphans:
            with contextlib.suppress(ProcessLookupError):
                os.kill(orphan_pid, signal.SIGKILL)
        if orphans:
            kinds = [next((k for k in ORPHAN_KINDS if k in cmd), "other") for _, cmd in orphans]
            listed = ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds))
            note = "; ".join(x for x in (note, f"left alive and killed: {listed}") if x)
        code = None if timed_out else proc.returncode
        return Run(code, seconds, usage.ru_maxrss / 1024, orphans, note)


ORPHAN_KINDS = ("forkserver", "resource_tracker", "lssc_legal", "multiprocessing")


def stored_bills(store: Path) -> int:
    """How many bills a store being written holds (0 when it cannot be read yet)."""
    try:
        db = sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True, timeout=0.1)
        try:
            return int(db.execute("SELECT count(*) FROM bills").fetchone()[0])
        finally:
            db.close()
    except (sqlite3.Error, ValueError):
        return 0


def session(sid: int) -> list[tuple[int, str]]:
    """Live processes of session `sid` (the case's own, from start_new_session) whose command
    line is the tool or a multiprocessing worker."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
            cmd = (
                Path(f"/proc/{entry}/cmdline")
                .read_bytes()
                .replace(b"\0", b" ")
                .decode(errors="replace")
            )
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        state, proc_sid = fields[0], int(fields[3])
        if proc_sid == sid and state != "Z" and re.search("lssc_legal|multiprocessing", cmd):
            found.append((int(entry), cmd[:120]))
    return found


# -- checks -----------------------------------------------------------------------------


def sha256(path: Path) -> str | None:
    try:
        if stat.S_ISFIFO(path.lstat().st_mode):
            return f"fifo:{path.lstat().st_ino}"
        if path.is_dir():
            return "dir"
        h = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(4 * MB):
                h.update(chunk)
        return h.hexdigest()
    except FileNotFoundError:
        return None


def contains(path: Path, needles: Sequence[bytes]) -> set[bytes]:
    """Which of `needles` occur in the file (read in chunks: stdout may be big)."""
    found: set[bytes] = set()
    if not path.is_file():
        return found
    keep = max(len(n) for n in needles)
    tail = b""
    with path.open("rb") as f:
        while chunk := f.read(8 * MB):
            block = tail + chunk
            found.update(n for n in needles if n in block)
            tail = block[-keep:]
    return found


def last_line(path: Path, limit: int = 110) -> str:
    try:
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - 8192))
            lines = [x for x in f.read().decode(errors="replace").splitlines() if x.strip()]
    except OSError:
        return ""
    if not lines:
        return ""
    text = lines[-1].strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def count_lines(path: Path) -> int:
    n = 0
    with path.open("rb") as f:
        while chunk := f.read(8 * MB):
            n += chunk.count(b"\n")
    return n


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*.tmp") if p.is_file() or p.is_symlink()]


def show(args: Sequence[Arg]) -> str:
    words = [os.fsdecode(a) if isinstance(a, bytes) else a for a in args]
    text = "lssc-legal " + shlex.join(words).encode("utf-8", "backslashreplace").decode()
    return text if len(text) <= 64 else text[:63] + "…"


def run_case(case: Case, runner: Runner, base: Path, keep: bool) -> Result:
    work = Path(tempfile.mkdtemp(prefix=re.sub(r"\W", "_", case.name)[:40] + ".", dir=base))
    cwd, home = work / "case", work / "home"
    cwd.mkdir()
    home.mkdir()
    flags: list[str] = []
    note = ""
    try:
        for name, source in case.files.items():
            src = source()
            dest = cwd / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dest)
            else:
                shutil.copyfile(src, dest)
        if case.setup is not None:
            case.setup(cwd, runner)
        before = {n: sha256(cwd / n) for n in [*case.inputs, *case.protect]}
        run = runner.measure(case, cwd, home, work / "stdout", work / "stderr")
        restore(cwd)
        found = contains(work / "stderr", [b"Traceback (most recent call last)", b"internal error"])
        found |= contains(
            work / "stdout", [b"Traceback (most recent call last)", b"internal error"]
        )
        if b"Traceback (most recent call last)" in found:
            flags.append("tb")
        lines = count_lines(work / "stderr")
        if lines > 1:
            flags.append(f"stderr:{lines}")
        if b"internal error" in found:
            flags.append("internal")
        for n in case.inputs:
            after = sha256(cwd / n)
            if after != before[n]:
                flags.append(f"input-{'deleted' if after is None else 'modified'}:{n}")
        for n in case.protect:
            if n not in case.inputs and sha256(cwd / n) != before[n]:
                flags.append(f"replaced:{n}")
        left = temporaries(cwd)
        if left:
            flags.append(f"tmp-left:{len(left)}")
        if run.orphans:
            flags.append(f"orphans:{len(run.orphans)}")
        notes = [run.note]
        if case.after is not None:
            notes.append(case.after(cwd, runner))
        note = "; ".join(x for x in notes if x)
        if run.code is None:
            exit_text = "TIMEOUT"
        elif run.code < 0:
            exit_text = signal.Signals(-run.code).name
        else:
            exit_text = str(run.code)
        message = last_line(work / "stderr")
        return Result(
            case.name,
            case.tag,
            show(case.args),
            exit_text,
            run.seconds,
            run.peak_mb,
            flags,
            message,
            note,
        )
    finally:
        restore(cwd)
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def restore(folder: Path) -> None:
    """Give back permissions the cases took away (so the folder can be removed)."""
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink() or stat.S_ISFIFO(path.lstat().st_mode):
            continue
        path.chmod(0o755 if path.is_dir() else 0o644)


# -- the cases --------------------------------------------------------------------------


def mkfifo(name: str) -> Callable[[Path, Runner], None]:
    def setup(cwd: Path, runner: Runner) -> None:
        os.mkfifo(cwd / name)

    return setup


def chmod(name: str, mode: int, content: str | None = None) -> Callable[[Path, Runner], None]:
    def setup(cwd: Path, runner: Runner) -> None:
        path = cwd / name
        if content is None:
            path.mkdir(exist_ok=True)
        else:
            path.write_text(content, encoding="utf-8")
        path.chmod(mode)

    return setup


def write(name: str, content: str) -> Callable[[Path, Runner], None]:
    def setup(cwd: Path, runner: Runner) -> None:
        (cwd / name).write_text(content, encoding="utf-8")

    return setup


def both(*steps: Callable[[Path, Runner], None]) -> Callable[[Path, Runner], None]:
    def setup(cwd: Path, runner: Runner) -> None:
        for step in steps:
            step(cwd, runner)

    return setup


def store_setup(name: str) -> Callable[[Path, Runner], None]:
    """A results store of one small bill, made by the tool's own batch."""

    def setup(cwd: Path, runner: Runner) -> None:
        folder = cwd / "made"
        folder.mkdir()
        shutil.copyfile(EXAMPLE, folder / "bill.pdf")
        done = runner.tool(["batch", "made", "--store", name, "-j", "1"], cwd, cwd)
        shutil.rmtree(folder)
        if not (cwd / name).is_file():
            raise RuntimeError(f"setup batch failed: {done.stderr.strip()[-300:]}")

    return setup


def store_note(name: str) -> Callable[[Path, Runner], str]:
    """After a kill: does the store still open, and what does it hold?"""

    def after(cwd: Path, runner: Runner) -> str:
        if not (cwd / name).exists():
            return "no store left"
        sql = "SELECT count(*) FROM bills"
        done = runner.tool(["query", "--store", name, "--sql", sql, "--format", "json"], cwd, cwd)
        if done.returncode != 0:
            return f"store then: exit {done.returncode}: {last_line_of(done.stderr)}"
        count = re.findall(r"\d+", done.stdout)
        return f"store then opens, {count[-1] if count else '?'} bills"

    return after


def tables_note(name: str) -> Callable[[Path, Runner], str]:
    def after(cwd: Path, runner: Runner) -> str:
        try:
            db = sqlite3.connect(f"file:{cwd / name}?mode=ro", uri=True)
            rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            db.close()
        except sqlite3.Error as exc:
            return f"{name}: {exc}"
        return f"{name} tables now: {', '.join(r[0] for r in rows)}"

    return after


def kind_note(name: str) -> Callable[[Path, Runner], str]:
    def after(cwd: Path, runner: Runner) -> str:
        path = cwd / name
        if not path.exists() and not path.is_symlink():
            return f"{name} gone"
        mode = path.lstat().st_mode
        kind = "FIFO" if stat.S_ISFIFO(mode) else "file" if stat.S_ISREG(mode) else "other"
        return f"{name} is now a {kind}"

    return after


def last_line_of(text: str) -> str:
    lines = [x for x in text.splitlines() if x.strip()]
    return lines[-1][:100] if lines else ""


def cases(inp: Inputs) -> list[Case]:
    ex, sql = inp.example, "query --store s.sqlite --sql"
    bills: dict[str, Callable[[], Path]] = {"bills/bill.pdf": ex}
    real = {f"many/{p.name}": (lambda p=p: p) for p in sorted(REAL.glob("*")) if p.suffix != ".md"}
    many: dict[str, Callable[[], Path]] = {**real, "many/long.pdf": inp.pages_small}
    badname: dict[str, Callable[[], Path]] = {
        "bills/bill.pdf": ex,
        f"bills/{BAD_NAME}": lambda: REAL / "OK-SB0166-2025-introduced.txt",
    }
    store, weird = store_setup("s.sqlite"), store_setup(WEIRD_STORE)
    ro, tmd = chmod("ro", 0o555), "analyze bill.pdf --template t.md -o m.md"
    lines, mb, bomb = f"{inp.line_count:,}-line TXT", human(inp.one_line), human(inp.bomb)
    small, large = inp.page_counts
    # fmt: off
    out: list[Case] = [
        Case("normal bill", "read bill.pdf", pdf(ex), inputs=["bill.pdf"]),
        Case("normal bill", "analyze bill.pdf -o memo.docx", pdf(ex), inputs=["bill.pdf"]),
        # size
        Case(lines, "read bill.txt", {"bill.txt": inp.lines}),
        Case(lines, "analyze bill.txt -o memo.md", {"bill.txt": inp.lines}),
        Case(f"{mb} one-line TXT", "read bill.txt", {"bill.txt": inp.one_line_txt}),
        Case(f"{mb} one-line HTML", "read bill.html", {"bill.html": inp.one_line_html}),
        Case("HTML, 40,000 overlay lines", "read bill.html", {"bill.html": inp.overlay_html}),
        Case("a sentence of 20,000 duties", "analyze bill.txt -o memo.md",
             {"bill.txt": inp.duty_run}),
        Case(f"DOCX inflating to {bomb}", "read bill.docx", {"bill.docx": inp.docx_bomb}),
        Case(f"PDF flate stream of {bomb}", "read bill.pdf", pdf(inp.pdf_bomb)),
        Case(f"PDF flate stream of {bomb}", "debug bill.pdf -o p.png", pdf(inp.pdf_bomb)),
        Case(f"{small}-page PDF", "read bill.pdf", pdf(inp.pages_small), tag="pages-small"),
        Case(f"{large}-page PDF", "read bill.pdf", pdf(inp.pages_large), tag="pages-large",
             timeout_scale=3.0),
        # shape
        Case("PDF page tree loops", "read bill.pdf", pdf(inp.page_loop)),
        Case("PDF page tree loops", "debug bill.pdf -o p.png", pdf(inp.page_loop)),
        Case("PDF array nested 100k", "read bill.pdf", pdf(inp.nested)),
        Case("PDF array nested 100k", "debug bill.pdf -o p.png", pdf(inp.nested)),
        Case("debug --resolution 20000", "debug bill.pdf -o p.png --resolution 20000", pdf(ex)),
        Case("debug --resolution -5", "debug bill.pdf -o p.png --resolution -5", pdf(ex)),
        Case("debug --page 0", "debug bill.pdf -o p.png --page 0", pdf(ex)),
        Case("MediaBox 1e6 pt square", "debug bill.pdf -o p.png", pdf(inp.huge_box)),
        Case("MediaBox 1e6 pt square", "read bill.pdf", pdf(inp.huge_box)),
        Case("UTF-16 TXT with BOM", "read bill.txt", {"bill.txt": inp.utf16}),
        Case("name not UTF-8", ["read", f"bills/{BAD_NAME}"], badname),
        Case("name not UTF-8", "batch bills --store s.sqlite -j 1", badname),
        Case("name not UTF-8", "appendix bills -o app.docx -j 1", badname),
        Case("name not UTF-8", "compare --batch versions -o report", {"versions": inp.versions}),
        # outputs over inputs
        Case("-o is the input", "analyze bill.pdf -o bill.pdf --format docx", pdf(ex),
             inputs=["bill.pdf"]),
        Case("-o is the input", "analyze bill.docx -o bill.docx", {"bill.docx": inp.bill_docx},
             inputs=["bill.docx"]),
        Case("-o is the input", "compare old.docx new.docx -o old.docx",
             {"old.docx": inp.bill_docx, "new.docx": inp.new_docx}, inputs=["old.docx"]),
        Case("-o is the input", "debug bill.pdf -o bill.pdf", pdf(ex), inputs=["bill.pdf"]),
        Case("-o is the input", "write-bill spec.txt -o spec.txt", {"spec.txt": lambda: SPEC},
             inputs=["spec.txt"]),
        Case("-o is the input", "query --store s.sqlite --format json -o s.sqlite", setup=store,
             inputs=["s.sqlite"]),
        Case("foreign SQLite as store", "batch bills --store foreign.sqlite -j 1",
             {**bills, "foreign.sqlite": inp.foreign}, inputs=["foreign.sqlite"],
             after=tables_note("foreign.sqlite")),
        Case("templates init over a file", "templates init memo mine.docx",
             setup=write("mine.docx", "a lawyer's own template"), protect=["mine.docx"]),
        # output targets
        Case("read-only output folder", "analyze bill.pdf -o ro/memo.docx", pdf(ex), setup=ro,
             drop_dac=True),
        Case("read-only output folder", "batch bills --store ro/s.sqlite -j 1", bills, setup=ro,
             drop_dac=True),
        Case("stdout is /dev/full", "read bill.pdf", pdf(ex), devfull=True),
        Case("stdout is /dev/full", "analyze bill.pdf --format json", pdf(ex), devfull=True),
        Case("-o is a FIFO", "analyze bill.pdf -o out.md", pdf(ex), setup=mkfifo("out.md"),
             protect=["out.md"], after=kind_note("out.md")),
        Case("input is a FIFO", "read in.txt", setup=mkfifo("in.txt")),
        # SQL
        Case("SQL recursive CTE", f"{sql} 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
             "SELECT x+1 FROM c) SELECT count(*) FROM c'", setup=store),
        Case("SQL zeroblob 1 GB", f"{sql} 'SELECT zeroblob(1000000000)'", setup=store),
        Case("SQL blob as JSON", f"{sql} 'SELECT zeroblob(16) AS b' --format json", setup=store),
    ]
    # fmt: on
    for name, text in TEMPLATES.items():
        out.append(Case(f"template {name}", tmd, pdf(ex), setup=write("t.md", text)))
        out.append(Case(f"template {name}", "templates validate t.md", setup=write("t.md", text)))
    ctrl_c, kill = (signal.SIGINT, True), (signal.SIGKILL, False)
    batch = "batch many --store s.sqlite -j 2"
    # fmt: off
    out += [
        Case("--corpus empty folder", "analyze bill.pdf --corpus empty -o m.md", pdf(ex),
             setup=chmod("empty", 0o755)),
        Case("config unreadable", "analyze bill.pdf --config c.toml -o m.md", pdf(ex),
             setup=chmod("c.toml", 0, "[memo]\nauthor = 'x'\n"), drop_dac=True),
        Case("config unreadable (./)", "analyze bill.pdf -o m.md", pdf(ex),
             setup=chmod("lssc-legal.toml", 0, "[memo]\n"), drop_dac=True),
        Case("store name with #?%", ["batch", "bills", "--store", WEIRD_STORE, "-j", "1"], bills),
        Case("store name with #?%", ["query", "--store", WEIRD_STORE, "--sql",
             "SELECT count(*) FROM bills"], setup=weird),
        Case("store name with #?%", ["appendix", "--store", WEIRD_STORE, "-o", "a.docx"],
             setup=weird),
        # signals: Ctrl-C goes to the whole group, as a terminal sends it
        Case("Ctrl-C at 0.5 s", "analyze bill.pdf -o m.docx", pdf(inp.pages_small),
             send=ctrl_c, send_at=0.5),
        Case("Ctrl-C at 3 s", "analyze bill.pdf -o m.docx", pdf(inp.pages_small), send=ctrl_c,
             send_at=3.0),
        Case("Ctrl-C at 0.5 s", batch, many, send=ctrl_c, send_at=0.5,
             after=store_note("s.sqlite")),
        Case("Ctrl-C after 1st bill", batch, many, send=ctrl_c, send_on_store="s.sqlite",
             after=store_note("s.sqlite")),
        Case("kill -9 after 1st bill", batch, many, send=kill, send_on_store="s.sqlite",
             after=store_note("s.sqlite")),
    ]
    # fmt: on
    return out


def pdf(source: Callable[[], Path]) -> dict[str, Callable[[], Path]]:
    return {"bill.pdf": source}


def human(size: int) -> str:
    return f"{size / GB:g} GB" if size >= GB else f"{size // MB} MB"


# -- main -------------------------------------------------------------------------------

COLUMNS = ("case", "command", "exit", "seconds", "peak MB", "flags")


def row(values: Sequence[str], widths: Sequence[int]) -> str:
    return " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()


def cells(r: Result) -> list[str]:
    return [
        r.case,
        r.command,
        r.exit,
        f"{r.seconds:.1f}",
        f"{r.peak_mb:.0f}",
        " ".join(r.flags) or "-",
    ]


def describe_tool(runner: Runner) -> tuple[str, bool]:
    """Which lssc_legal (and which corpus) the --cli command imports."""
    lines = []
    done = runner.tool(["--version"], Path.cwd(), Path.cwd())
    lines.append(f"version: {(done.stdout or done.stderr).strip()[-200:]}")
    if len(runner.cli) >= 3 and runner.cli[-2:] == ["-m", "lssc_legal"]:
        code = (
            "import lssc_legal, lssc_legal.corpus as c; "
            "print(lssc_legal.__file__, list(c.__path__)[0])"
        )
        probe = subprocess.run(
            [*runner.cli[:-2], "-c", code],
            capture_output=True,
            text=True,
            check=False,
            env=runner.env,
            preexec_fn=runner.limit,
            timeout=120,
        )
        lines.append(f"lssc_legal, corpus: {(probe.stdout or probe.stderr).strip()[-300:]}")
        if probe.returncode == 0:
            lines.append(f"checkout: {checkout(Path(probe.stdout.split()[0]).parent.parent)}")
    return "\n".join(lines), done.returncode == 0


def checkout(folder: Path) -> str:
    """The commit and uncommitted changes of the checkout at `folder` (read-only git)."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # never refresh the index

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, env=env, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD")
    if not head:
        return f"{folder} (not a git checkout)"
    changes = git("diff", "--shortstat", "HEAD") or "no uncommitted changes to tracked files"
    return f"{folder} at {head}; {changes}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", help="how to run the tool (default: this Python -m lssc_legal)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per case")
    parser.add_argument("--only", help="run the cases whose name or command holds this")
    parser.add_argument("--mem-gb", type=float, default=12.0, help="RLIMIT_AS of each child")
    parser.add_argument("--quick", action="store_true", help="inputs ten times smaller")
    parser.add_argument("--inputs", type=Path, help="keep the generated inputs here")
    parser.add_argument("--json", type=Path, help="also save the results here")
    parser.add_argument("--keep", action="store_true", help="keep each case's folder")
    args = parser.parse_args()

    cli = shlex.split(args.cli) if args.cli else [sys.executable, "-m", "lssc_legal"]
    runner = Runner(cli, args.timeout, args.mem_gb)
    about, ok = describe_tool(runner)
    print(f"cli: {shlex.join(cli)}\n{about}")
    if not ok:
        sys.exit("the tool does not start (see above)")
    base = Path(tempfile.mkdtemp(prefix="hostile-"))
    results: list[Result] = []
    try:
        folder = args.inputs or base / "inputs"
        folder.mkdir(parents=True, exist_ok=True)
        inputs = Inputs(folder, args.quick, runner.limit)
        chosen = [
            c
            for c in cases(inputs)
            if not args.only or args.only in c.name or args.only in show(c.args)
        ]
        print(
            f"{len(chosen)} cases, timeout {args.timeout:g} s, memory cap {args.mem_gb:g} GB"
            f"{', quick inputs' if args.quick else ''}; inputs in {folder}\n"
        )
        widths = (26, 64, 7, 7, 7, 0)
        print(row(COLUMNS, widths))
        print(row(["-" * w for w in widths[:-1]] + ["-" * 5], widths))
        t0 = time.perf_counter()
        for case in chosen:
            if case.drop_dac and runner.root and runner.setpriv is None:
                r = skipped(case, "root without setpriv: permissions would not bind")
            else:
                try:
                    r = run_case(case, runner, base, args.keep)
                except Exception as exc:  # an input or a setup could not be built
                    r = skipped(case, f"not built: {type(exc).__name__}: {exc}")
            results.append(r)
            print(row(cells(r), widths), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    summarize(results, inputs, time.perf_counter() - t0)
    if args.json:
        meta = {
            "cli": cli,
            "about": about,
            "timeout": args.timeout,
            "quick": args.quick,
            "mem_gb": args.mem_gb,
        }
        data = {"meta": meta, "results": [r.__dict__ for r in results]}
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        print(f"\nsaved {args.json}")


def summarize(results: list[Result], inputs: Inputs, seconds: float) -> None:
    print("\nlast line of stderr, and notes:")
    for r in results:
        text = " / ".join(x for x in (r.message, r.note) if x)
        print(f"  {r.case} [{r.command.split(' ', 2)[1]}]: {text or '(nothing)'}")
    exits: dict[str, int] = {}
    for r in results:
        key = "0" if r.exit == "0" else r.exit if not r.exit.isdigit() else "non-zero"
        exits[key] = exits.get(key, 0) + 1
    flags: dict[str, int] = {}
    for r in results:
        for f in {f.split(":")[0] for f in r.flags}:
            flags[f] = flags.get(f, 0) + 1
    print(
        f"\n{len(results)} cases in {seconds / 60:.1f} min; exit: "
        + ", ".join(f"{k} {v}" for k, v in sorted(exits.items()))
        + "; flagged: "
        + (", ".join(f"{k} {v}" for k, v in sorted(flags.items())) or "none")
    )
    small = next((r for r in results if r.tag == "pages-small"), None)
    large = next((r for r in results if r.tag == "pages-large"), None)
    normal = next((r for r in results if r.case == "normal bill" and "read" in r.command), None)
    if small and large and small.exit == large.exit == "0":
        p0, p1 = (inputs.pages.get(f"pdf-{n}-pages.pdf", n) for n in inputs.page_counts)
        line = (
            f"page scaling: {p0} pages {small.seconds:.1f} s, {p1} pages {large.seconds:.1f} s: "
            f"ratio {large.seconds / small.seconds:.2f} (linear: {p1 / p0:.2f})"
        )
        if normal and normal.exit == "0":
            fixed = normal.seconds
            line += f"; less the start-up ({fixed:.1f} s, a 2-page read): " + (
                f"{(large.seconds - fixed) / max(small.seconds - fixed, 1e-9):.2f}"
            )
        print(line)
    elif small or large:
        print("page scaling: not measured (a page case did not finish)")


def skipped(case: Case, note: str) -> Result:
    return Result(case.name, case.tag, show(case.args), "SKIP", 0.0, 0.0, [], "", note)


if __name__ == "__main__":
    main()
