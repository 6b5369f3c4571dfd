"""Batch under any input: a file that takes too long or needs too much memory fails alone,
no process outlives a batch killed with kill -9, a file name that is not UTF-8 is stored
and shown, and workers that cannot start or a Ctrl-C at start-up give one line."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from lssc_legal.batch.store import STORE_NAME, Store
from lssc_legal.batch.worker import analyze_file
from lssc_legal.cli import cli

from .conftest import HERE

SPEC = HERE / "fixtures" / "specs" / "tx_hb_leave.txt"


def write_bills(folder: Path, count: int, copies: int = 1) -> list[Path]:
    """`count` small TXT bills (each its own text), `copies` times the spec's body each."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = SPEC.read_text().split("---\n")[1]
    body = re.sub(r"\{-.*?-\}", "", spec).replace("{+", "").replace("+}", "").replace("> ", "")
    paths = []
    for i in range(count):
        head = f"H.B. No. {3000 + i}\nA BILL TO BE ENTITLED\nAN ACT\nrelating to leave {i}.\n"
        path = folder / f"hb{3000 + i}.txt"
        path.write_text(head + body * copies)
        paths.append(path)
    return paths


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(cli, [str(a) for a in args])


# Worker calls for the tests (workers import this module to run them): a file named *slow*
# takes a minute, one named *hog* asks for 3 GB; the others are analyzed as usual.


def slow_call(path: str) -> tuple[str, Any, int | None, float]:
    if "slow" in os.path.basename(path):
        time.sleep(60)
    return analyze_file(path)


def hog_call(path: str) -> tuple[str, Any, int | None, float]:
    if "hog" in os.path.basename(path):
        hoard = bytearray(3 * 2**30)  # calloc: fails at once past the cap, touches nothing
        return "failed", f"allocated {len(hoard)} bytes", None, 0.0
    return analyze_file(path)


def test_a_file_past_the_time_limit_is_stopped_and_recorded_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lssc_legal.batch as batch_module

    folder = tmp_path / "bills"
    write_bills(folder, 4)
    (folder / "slow.txt").write_text((folder / "hb3000.txt").read_text() + "\nslow\n")
    monkeypatch.setattr(batch_module, "_worker_call", slow_call)
    t = time.monotonic()
    result = run("batch", folder, "--jobs", "2", "--file-timeout", "1")
    took = time.monotonic() - t
    assert result.exit_code == 3, result.stderr
    assert took < 30, took  # not the minute the file would take
    assert "4 analyzed" in result.stderr and "1 failed" in result.stderr
    assert f"failed: {folder / 'slow.txt'}: took longer than 1 s and was stopped" in (result.stderr)
    assert "--file-timeout" in result.stderr
    with Store(folder / STORE_NAME, readonly=True) as s:
        assert s.counts()[0] == 4
        [(path, reason)] = s.failures()
        assert path == str(folder / "slow.txt") and reason.startswith("took longer than 1 s")
    # a re-run does not try it again (it would stall every run), unless asked to
    again = run("batch", folder, "--file-timeout", "1")
    assert "4 unchanged" in again.stderr and "failed before and unchanged" in again.stderr


def test_a_file_past_the_memory_limit_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lssc_legal.batch as batch_module

    folder = tmp_path / "bills"
    write_bills(folder, 3)
    (folder / "hog.txt").write_text((folder / "hb3000.txt").read_text() + "\nhog\n")
    monkeypatch.setattr(batch_module, "_worker_call", hog_call)
    result = run("batch", folder, "--jobs", "1", "--file-memory", "1")
    assert result.exit_code == 3, result.stderr
    assert "3 analyzed" in result.stderr and "1 failed" in result.stderr
    assert (
        f"failed: {folder / 'hog.txt'}: needed more than 1 GB of memory and was stopped"
        in result.stderr
    )
    # a limit below what a worker needs to start is the batch's problem, said once
    low = run("batch", folder, "--file-memory", "0.01", "--retry-failed")
    assert low.exit_code == 1
    assert low.stderr.count("\n") == 1 and "--file-memory 0.01 GB is less than" in low.stderr


def test_file_names_that_are_not_utf8_are_stored_and_shown(tmp_path: Path) -> None:
    folder = tmp_path / "bills"
    [good] = write_bills(folder, 1)
    odd = os.path.join(os.fsencode(folder), b"bill\xff.txt")  # Latin-1 "bill\u00ff.txt"
    with open(odd, "wb") as fh:
        fh.write(good.read_bytes().replace(b"3000", b"3999"))
    with open(os.path.join(os.fsencode(folder), b"broken\xe9.pdf"), "wb") as fh:
        fh.write(b"not a pdf")
    shown = f"{folder}/bill\\xff.txt"
    result = run("batch", folder, "--format", "jsonl")
    assert result.exit_code == 3, result.stderr
    assert "2 analyzed" in result.stderr and "1 failed" in result.stderr
    assert f"failed: {folder}/broken\\xe9.pdf: " in result.stderr
    sources = {json.loads(line)["bill"]["source"] for line in result.stdout.splitlines()}
    assert sources == {"hb3000.txt", "bill\\xff.txt"}
    with Store(folder / STORE_NAME, readonly=True) as s:
        assert shown in s.known_files()
        assert [p for p, _ in s.failures()] == [f"{folder}/broken\\xe9.pdf"]
    again = run("batch", folder)  # the store knows the files by the names it gave them
    assert "2 unchanged" in again.stderr and "removed from the store" not in again.stderr
    # compare on the folder: report, JSON and the terminal
    out = tmp_path / "report"
    compared = run("compare", "--batch", folder, "-o", out)
    assert compared.exit_code == 0, compared.stderr
    assert "reading bill\\xff.txt" in compared.stderr
    assert "bill\\\\xff.txt" in (out / "report.json").read_text(encoding="utf-8")


# -- processes ---------------------------------------------------------------------------


def session_processes(session: int) -> list[int]:
    """The live (not zombie) processes of a session, its leader left out."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == session:
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, _, _, sid = stat[stat.rindex(")") + 2 :].split()[:4]
        if int(sid) == session and state != "Z":
            found.append(int(entry.name))
    return found


def start_batch(folder: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    """A batch in a subprocess of its own session, once the command line is loaded: it
    prints "ready" then runs `lssc-legal batch FOLDER ARGS`."""
    code = (
        "import sys; from lssc_legal.cli import main; print('ready', flush=True); "
        "main(['batch', *sys.argv[1:]])"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(folder), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
    return proc


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_no_process_outlives_a_batch_killed_with_kill_9(tmp_path: Path) -> None:
    folder = tmp_path / "bills"
    write_bills(folder, 40, copies=3)
    proc = start_batch(folder, "--jobs", "2")
    try:
        deadline = time.monotonic() + 60
        while len(session_processes(proc.pid)) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)  # resource tracker, fork server and two workers
        assert len(session_processes(proc.pid)) >= 4, "the workers did not start"
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 3
        while session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert session_processes(proc.pid) == []
        # nothing holds the caller's pipes open either
        assert proc.stderr.read() is not None
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever a failure left
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(
    ("delay", "target"),
    [(0.1, "group"), (0.3, "group"), (0.6, "group"), (1.0, "group"), (0.3, "main"),
     (1.0, "main")],
)  # fmt: skip
def test_ctrl_c_during_start_up_is_one_line(tmp_path: Path, delay: float, target: str) -> None:
    """Ctrl-C at moments of a batch's start-up (the store and plan, the fork server
    importing the analyzer, the workers starting): one line and exit 130, no traceback from
    any process, none left. "group" is a terminal's Ctrl-C, to every process of the batch."""
    folder = tmp_path / "bills"
    write_bills(folder, 6)
    proc = start_batch(folder, "--jobs", "2")
    try:
        time.sleep(delay)
        (os.killpg if target == "group" else os.kill)(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        message = err.decode()
        assert proc.returncode == 130, message
        assert message.startswith("interrupted") and message.count("\n") == 1, message
        deadline = time.monotonic() + 3
        while session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert session_processes(proc.pid) == []
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever a failure left
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()


def test_workers_that_cannot_start_give_one_line_and_blame_no_file(tmp_path: Path) -> None:
    """The analyzer cannot be imported in the workers (a broken install): one line, a
    non-zero exit, and no file recorded as failed (a later run, fixed, analyzes them)."""
    folder = tmp_path / "bills"
    write_bills(folder, 3)
    broken = tmp_path / "broken"
    (broken / "spacy").mkdir(parents=True)
    (broken / "spacy" / "__init__.py").write_text("raise ImportError('spaCy is broken')\n")
    proc = start_batch(folder, "--jobs", "2", env={"PYTHONPATH": str(broken)})
    _, err = proc.communicate(timeout=60)
    message = err.decode()
    assert proc.returncode == 1, message
    assert message.count("\n") == 1 and "Traceback" not in message
    assert message.startswith("error: the analyzer could not start in a worker process")
    assert "spaCy is broken" in message
    with Store(folder / STORE_NAME, readonly=True) as s:
        assert s.failures() == [] and s.counts()[0] == 0
    fixed = run("batch", folder)
    assert fixed.exit_code == 0 and "3 analyzed" in fixed.stderr
