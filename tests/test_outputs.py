"""Outputs never replace an input or a file the tool did not write; they are whole or absent;
a file system that cannot take them gets one line."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from lssc_legal import outputs
from lssc_legal.cli import cli
from lssc_legal.errors import OutputError

from .conftest import HERE

EXAMPLE = HERE.parent / "corpus" / "examples" / "tx_hb4312.pdf"
SPEC = HERE / "fixtures" / "specs" / "tx_hb_leave.txt"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE, tmp_path / "bill.pdf")
    shutil.copy(EXAMPLE, tmp_path / "new.pdf")
    shutil.copy(SPEC, tmp_path / "spec.txt")
    return tmp_path


# Each command pointed at one of its own inputs: refused before any work, input unchanged.
OWN_INPUT = [
    (["analyze", "bill.pdf", "-o", "bill.pdf", "--format", "docx"], "bill.pdf"),
    (["analyze", "bill.pdf", "-o", "bill.pdf", "--format", "md"], "bill.pdf"),
    (["compare", "bill.pdf", "new.pdf", "-o", "bill.pdf", "--format", "docx"], "bill.pdf"),
    (["compare", "bill.pdf", "new.pdf", "-o", "new.pdf", "--format", "json"], "new.pdf"),
    (["debug", "bill.pdf", "-o", "bill.pdf"], "bill.pdf"),
    (["write-bill", "spec.txt", "-o", "spec.txt"], "spec.txt"),
]


@pytest.mark.parametrize(("args", "victim"), OWN_INPUT, ids=lambda v: " ".join(v)[:40])
def test_an_output_never_replaces_an_input(folder, monkeypatch, args, victim):
    monkeypatch.chdir(folder)
    before = _sha(folder / victim)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert "another name" in result.stderr or "replaces only files it wrote" in result.stderr
    assert _sha(folder / victim) == before
    assert sorted(p.name for p in folder.iterdir()) == ["bill.pdf", "new.pdf", "spec.txt"]


def _foreign_files(tmp: Path) -> list[tuple[str, Path]]:
    docx = tmp / "notes.docx"
    with zipfile.ZipFile(docx, "w") as z:  # a Word file the lawyer saved: not the tool's
        z.writestr(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties"><cp:lastModifiedBy>J. Doe</cp:lastModifiedBy>'
            "</cp:coreProperties>",
        )
    db = tmp / "other.json"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    text = tmp / "notes.md"
    text.write_bytes(b"%PDF-1.4 not text")
    png = tmp / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    return [("docx", docx), ("json", db), ("md", text), ("png", png)]


def test_an_existing_file_the_tool_did_not_write_is_refused(folder, monkeypatch):
    monkeypatch.chdir(folder)
    for fmt, path in _foreign_files(folder):
        before = _sha(path)
        if fmt == "png":
            args = ["debug", "bill.pdf", "-o", path.name]
        else:
            args = ["analyze", "bill.pdf", "-o", path.name, "--format", fmt]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code != 0, (fmt, result.stderr)
        assert "replaces only files it wrote" in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1
        assert _sha(path) == before


def test_the_tools_own_output_is_replaced_and_marked(folder, monkeypatch):
    monkeypatch.chdir(folder)
    for args in (
        ["analyze", "bill.pdf", "-o", "memo.docx"],
        ["analyze", "bill.pdf", "-o", "memo.md"],
        ["analyze", "bill.pdf", "-o", "memo.json"],
        ["debug", "bill.pdf", "-o", "page.png"],
        ["write-bill", "spec.txt", "-o", "drawn.pdf"],
        ["compare", "bill.pdf", "new.pdf", "-o", "redline.docx"],
    ):
        for _ in range(2):  # the second run replaces the first run's file
            result = CliRunner().invoke(cli, args)
            assert result.exit_code == 0, (args, result.stderr)
    for name in ("memo.docx", "redline.docx"):
        with zipfile.ZipFile(folder / name) as z:
            assert b"<cp:lastModifiedBy>lssc-legal</cp:lastModifiedBy>" in z.read(
                "docProps/core.xml"
            )
    assert b"tEXtSoftware\x00lssc-legal" in (folder / "page.png").read_bytes()
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_memo_edited_in_word_is_not_replaced(folder, monkeypatch):
    monkeypatch.chdir(folder)
    assert CliRunner().invoke(cli, ["analyze", "bill.pdf", "-o", "memo.docx"]).exit_code == 0
    memo = folder / "memo.docx"
    edited = folder / "edited.docx"
    with zipfile.ZipFile(memo) as src, zipfile.ZipFile(edited, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                data = data.replace(
                    b">lssc-legal</cp:lastModifiedBy>", b">J. Doe</cp:lastModifiedBy>"
                )
            dst.writestr(info, data)
    os.replace(edited, memo)
    result = CliRunner().invoke(cli, ["analyze", "bill.pdf", "-o", "memo.docx"])
    assert result.exit_code != 0
    assert "did not save last" in result.stderr


def test_a_fifo_is_not_replaced(folder, monkeypatch):
    monkeypatch.chdir(folder)
    os.mkfifo(folder / "pipe")
    result = CliRunner().invoke(cli, ["analyze", "bill.pdf", "-o", "pipe", "--format", "md"])
    assert result.exit_code != 0
    assert "is a FIFO, not a regular file" in result.stderr
    assert (folder / "pipe").is_fifo()


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "read-only file system"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_a_file_system_that_cannot_take_the_output_is_one_line(folder, monkeypatch, code, said):
    monkeypatch.chdir(folder)

    def refuse(*_args, **_kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(outputs.os, "replace", refuse)
    result = CliRunner().invoke(cli, ["analyze", "bill.pdf", "-o", "memo.md"])
    assert result.exit_code != 0
    assert said in result.stderr and "internal error" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in folder.iterdir()) == ["bill.pdf", "new.pdf", "spec.txt"]


def test_mkstemp_in_a_read_only_folder_is_one_line(tmp_path, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(outputs.tempfile, "mkstemp", refuse)
    with (
        pytest.raises(OutputError, match="read-only file system"),
        outputs.atomic_output(tmp_path / "memo.md") as tmp,
    ):
        tmp.write_text("x")


def test_a_killed_runs_temporary_file_is_swept(tmp_path):
    dead = 2**22 + 12345  # above the kernel's default pid_max: no such process
    stale = tmp_path / f".memo.md.{dead}.abcd1234.tmp"
    stale.write_text("")
    other = tmp_path / f".other.md.{dead}.abcd1234.tmp"  # another output's: left alone
    other.write_text("")
    with outputs.atomic_output(tmp_path / "memo.md") as tmp:
        tmp.write_text("memo")
    assert not stale.exists() and other.exists()
    assert (tmp_path / "memo.md").read_text().startswith("memo\n<!-- written by lssc-legal")


def test_a_failed_block_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError), outputs.atomic_output(tmp_path / "memo.md") as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


# -- one line for option errors and interruptions ------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["analyze", "--bogus"], "No such option '--bogus'"),
        (["bogus"], "No such command 'bogus'"),
        (["--bogus"], "No such option '--bogus'"),
        (["analyze"], "Missing argument 'BILL'"),
        (["debug", "x.pdf", "-o", "p.png", "--page", "one"], "'one' is not a valid integer"),
    ],
)
def test_an_option_error_is_one_line(args, said):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert said in result.stderr and "Usage:" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "--help)" in result.stderr


def test_ctrl_c_while_the_command_line_loads_is_one_line(monkeypatch, capsys):
    import sys

    from lssc_legal import launch

    class Interrupting:
        def find_spec(self, name, *_args):
            if name == "lssc_legal.cli":
                raise KeyboardInterrupt
            return None

    monkeypatch.delitem(sys.modules, "lssc_legal.cli")
    monkeypatch.setattr(sys, "meta_path", [Interrupting(), *sys.meta_path])
    import signal

    before = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(SystemExit) as stopped:
            launch.main()
    finally:
        signal.signal(signal.SIGTERM, before)
    assert stopped.value.code == 130
    assert capsys.readouterr().err == "interrupted\n"


# 0.3 s: after the launcher's handler is in place (about 30 ms) and well before the
# analysis ends (imports alone take longer); at 1.0 s a fast machine had already finished.
@pytest.mark.parametrize("delay", [0.3])
def test_ctrl_c_at_start_up_is_one_line_and_130(tmp_path, delay):
    import signal
    import subprocess
    import sys
    import time

    def default_sigint() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    shutil.copy(EXAMPLE, tmp_path / "bill.pdf")
    proc = subprocess.Popen(
        [sys.executable, "-m", "lssc_legal", "analyze", "bill.pdf", "-o", "memo.docx"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=default_sigint,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.decode() == "interrupted\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bill.pdf"]


def test_a_bill_copied_with_replace_keeps_its_pinpoints():
    from dataclasses import replace

    from lssc_legal.ingest import read_bill

    bill = read_bill(EXAMPLE)
    copy = replace(bill, source="renamed.pdf")
    last = len(bill.text) - 1
    assert copy.pinpoint(last) == bill.pinpoint(last)
    assert copy._line_starts == bill._line_starts  # the same, built once for each
    assert copy._line_starts is not bill._line_starts
