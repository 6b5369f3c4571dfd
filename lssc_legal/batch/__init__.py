"""Batch: analyze folders of bills in parallel processes into a results store.

    folders = [Path("bills/")]
    files = bill_files(folders)  # lssc_legal.ingest.files
    with Store(default_store(folders)) as store:
        tally = session(files, store, fingerprint(None), jobs=2, each=print)  # corpusdir

`plan_batch` decides what to do with each file without analyzing anything: a file whose
size and modification time match the store's record, or whose SHA-256 the store already
holds for this tool version and corpus, is skipped as unchanged. `run` analyzes the rest
in worker processes and stores each result in its own transaction as it arrives, so a
batch stopped at any moment (Ctrl-C, kill -9) loses only the files in flight. `session`
does both for a caller, handing on each outcome.

Each worker takes one file at a time, within `FileLimits`: a file that takes too long is
stopped (its worker killed and replaced), one that needs too much memory fails in its
worker alone (RLIMIT_AS), and either is recorded as failed with the reason. No process of a
batch outlives its main process, however that ends: the fork server and each worker are
killed by the kernel when their parent dies (Linux's parent-death signal). A file name that
is not UTF-8 is stored and shown with its odd bytes as \\xNN (`printable`).
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as mp_wait
from pathlib import Path
from typing import Any, Literal

from .. import __version__
from ..errors import LsscError
from .store import STORE_NAME, Store

Status = Literal["analyzed", "unchanged", "failed", "failed before", "duplicate"]


@dataclass
class Job:
    path: Path
    size: int
    mtime_ns: int
    sha256: str
    copies: list[Job] = field(default_factory=list)  # other files with the same text

    @property
    def key(self) -> str:
        """The file as the store names it (its path, printable)."""
        return printable(str(self.path))

    def file(self) -> tuple[str, int, int]:
        return (self.key, self.size, self.mtime_ns)


@dataclass(frozen=True)
class Outcome:
    """What became of one file."""

    path: Path
    status: Status
    sha256: str | None = None
    pages: int | None = None
    seconds: float = 0.0
    error: str | None = None
    analysis: dict[str, Any] | None = None  # for status "analyzed"
    same_as: Path | None = None  # for status "duplicate"


@dataclass
class Tally:
    """Counts of a batch's outcomes as they arrive, for a progress bar and a summary."""

    files: int
    start: float = field(default_factory=time.perf_counter)
    counts: dict[str, int] = field(
        default_factory=lambda: {"analyzed": 0, "unchanged": 0, "duplicate": 0}
    )
    pages: int = 0  # of the files analyzed
    failed: list[tuple[Path, str, bool]] = field(default_factory=list)  # (path, why, before)
    copies: list[tuple[Path, Path]] = field(default_factory=list)  # (copy, the file it copies)

    def add(self, outcome: Outcome) -> None:
        if outcome.status in ("failed", "failed before"):
            self.failed.append(
                (outcome.path, outcome.error or "", outcome.status == "failed before")
            )
            return
        self.counts[outcome.status] += 1
        if outcome.status == "analyzed":
            self.pages += outcome.pages or 0
        if outcome.status == "duplicate" and outcome.same_as is not None:
            self.copies.append((outcome.path, outcome.same_as))


@dataclass
class Plan:
    todo: list[Job]
    done: list[Outcome]  # decided without analysis: unchanged, failed before, unreadable
    tool_version: str
    corpus: str  # fingerprint
    corpus_dir: str | None = None
    state: str | None = None


def default_store(paths: Sequence[Path]) -> Path:
    """The store beside the bills: in the folder named, or the folder the files share."""
    folders = [p if p.is_dir() else p.parent for p in (q.expanduser().resolve() for q in paths)]
    common = Path(os.path.commonpath([str(f) for f in folders])) if folders else Path.cwd()
    return common / STORE_NAME


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def plan_batch(
    files: Sequence[Path],
    store: Store | None,
    corpus: str,
    *,
    retry_failed: bool = False,
    rehash: bool = False,
    tool_version: str = __version__,
    corpus_dir: str | None = None,
    state: str | None = None,
) -> Plan:
    """Decide, file by file, what a batch must analyze. Files the store knows by size and
    modification time are not read again (`rehash` reads them); a file holding a text the
    store already analyzed with this tool version and corpus is unchanged; a text that
    failed before is not tried again unless `retry_failed`."""
    known = store.known_files() if store else {}
    todo: list[Job] = []
    done: list[Outcome] = []
    by_sha: dict[str, Job] = {}
    waiting: set[str] = set()  # texts to analyze
    for path in files:
        try:
            st = path.stat()
            k = known.get(printable(str(path)))
            if k and not rehash and (k.size, k.mtime_ns) == (st.st_size, st.st_mtime_ns):
                sha = k.sha256
            else:
                sha = file_sha256(path)
        except OSError as exc:
            reason = f"cannot be read ({exc.strerror or exc})"
            done.append(Outcome(path, "failed", error=reason))
            continue
        job = Job(path, st.st_size, st.st_mtime_ns, sha)
        if st.st_size == 0:  # every empty file fails on its own, none is another's copy
            todo.append(job)
            continue
        first = by_sha.get(sha)
        if first is not None and sha in waiting:
            first.copies.append(job)  # settled when the first is analyzed
            continue
        if first is not None:  # a copy of a file the store already holds
            if store is not None and (
                k is None or (k.sha256, k.size, k.mtime_ns) != (sha, st.st_size, st.st_mtime_ns)
            ):
                store.record_file(job.key, sha, st.st_size, st.st_mtime_ns)
            done.append(Outcome(path, "duplicate", sha, same_as=first.path))
            continue
        stored = store.stored(sha, tool_version, corpus) if store else None
        if stored and (stored.status == "analyzed" or not retry_failed):
            if k is None or (k.sha256, k.size, k.mtime_ns) != (sha, st.st_size, st.st_mtime_ns):
                assert store is not None
                store.record_file(job.key, sha, st.st_size, st.st_mtime_ns)
            status: Status = "unchanged" if stored.status == "analyzed" else "failed before"
            done.append(Outcome(path, status, sha, stored.pages, error=stored.error))
            by_sha[sha] = job
            continue
        by_sha[sha] = job
        waiting.add(sha)
        todo.append(job)
    # Big files first: the last minutes of a batch are not spent on one long bill.
    todo.sort(key=lambda j: -j.size)
    return Plan(todo, done, tool_version, corpus, corpus_dir, state)


@dataclass(frozen=True)
class FileLimits:
    """What one file may take before it is recorded as failed and the batch goes on:
    seconds of analysis, and gigabytes of memory in its worker process (None: no limit)."""

    seconds: float | None = 300.0
    memory_gb: float | None = 4.0


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a session: the workers are stopped, what was stored stays stored, and
    `tally` says how far the batch got."""

    def __init__(self, tally: Tally) -> None:
        super().__init__()
        self.tally = tally


Progress = Callable[[int, int], contextlib.AbstractContextManager[Callable[[Outcome, Tally], None]]]


def session(
    files: Sequence[Path],
    store: Store | None,
    fingerprint: str,
    *,
    jobs: int,
    each: Callable[[Outcome], None],
    corpus_dir: str | None = None,
    state: str | None = None,
    retry_failed: bool = False,
    rehash: bool = False,
    limits: FileLimits | None = None,
    progress: Progress | None = None,
) -> Tally:
    """A whole batch: plan it, then run it, calling `each` with every outcome (those decided
    without analysis first) and `progress` (files, files already done) -> a callback with
    each outcome and the running tally. Ctrl-C raises Interrupted with the tally so far."""
    plan = plan_batch(
        files, store, fingerprint, retry_failed=retry_failed, rehash=rehash,
        corpus_dir=corpus_dir, state=state,
    )  # fmt: skip
    tally = Tally(len(files))
    for outcome in plan.done:
        tally.add(outcome)
        each(outcome)
    outcomes = run(plan, jobs=min(jobs, len(plan.todo)), store=store, limits=limits or FileLimits())
    shown = progress(len(files), len(plan.done)) if progress else contextlib.nullcontext(None)
    try:
        # closing: on Ctrl-C the workers are stopped before the caller says anything
        with shown as update, contextlib.closing(outcomes):
            for outcome in outcomes:
                tally.add(outcome)
                if update is not None:
                    update(outcome, tally)
                each(outcome)
    except KeyboardInterrupt:
        raise Interrupted(tally) from None
    return tally


def run(
    plan: Plan, *, jobs: int, store: Store | None, limits: FileLimits = FileLimits()
) -> Generator[Outcome, None, None]:
    """Analyze the plan's files in `jobs` worker processes, one file at a time each; store
    and yield each outcome as it arrives (copies of a text follow the file analyzed for
    them). A file that takes longer than `limits.seconds`, needs more memory than
    `limits.memory_gb` or kills its worker is recorded as failed, with the reason; its
    worker is replaced and the others go on. Stopping the iteration (Ctrl-C) stops the
    workers; what was stored stays stored."""
    pending = list(reversed(plan.todo))  # pop() takes the biggest first
    if not pending:
        return
    crew = _Crew(min(max(1, jobs), len(pending)), plan, limits)
    settled: list[tuple[Job, Result | None]] = []
    try:
        while True:
            # None: not the file's doing (its worker's server stopped): it goes again
            pending += [job for job, result in settled if result is None]
            if pending:  # workers get their next file before the last ones are stored
                crew.staff(len(pending) + crew.busy())
                for worker in crew.idle()[: len(pending)]:
                    crew.assign(worker, pending.pop())
            for job, result in settled:
                if result is not None:
                    yield from _settle(job, *result, plan, store)
            if not pending and not crew.busy():
                return
            settled = crew.wait()
    finally:
        crew.stop()


def printable(text: str) -> str:
    """`text` as a store, JSON or a terminal can take it: the bytes of a file name that are
    not UTF-8 (which Python keeps as lone surrogates) written as \\xNN."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no undecodable byte stands for
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


Result = tuple[str, Any, int | None, float]  # status, analysis or reason, pages, seconds

_CRASHED = (
    "the reader crashed on this file (its worker process died); check that the file opens, "
    "or save a fresh copy from the legislature's site"
)


def _too_slow(seconds: float) -> str:
    return (
        f"took longer than {seconds:g} s and was stopped; for a legitimately huge bill, run "
        "again with a larger --file-timeout and --retry-failed"
    )


def _settle(
    job: Job,
    status: str,
    payload: Any,
    pages: int | None,
    seconds: float,
    plan: Plan,
    store: Store | None,
) -> Iterator[Outcome]:
    if status == "analyzed":
        if store is not None:
            store.put_analysis(
                job.file(), job.sha256, plan.tool_version, plan.corpus, payload, seconds
            )
        yield Outcome(job.path, "analyzed", job.sha256, pages, seconds, analysis=payload)
    else:
        reason = printable(str(payload))
        if store is not None:
            store.put_failure(
                job.file(), job.sha256, plan.tool_version, plan.corpus,
                printable(job.path.name), reason, seconds,
            )  # fmt: skip
        yield Outcome(job.path, "failed", job.sha256, seconds=seconds, error=reason)
    for copy in job.copies:
        if store is not None:
            store.record_file(copy.key, copy.sha256, copy.size, copy.mtime_ns)
        yield Outcome(copy.path, "duplicate", copy.sha256, pages, same_as=job.path)


def _worker_call(path: str) -> Result:
    from .worker import analyze_file

    return analyze_file(path)


# -- the worker processes ------------------------------------------------------------------

_READY_SECONDS = 120.0  # a worker not ready to analyze by then is not going to be
_SETBACKS = 2  # more workers lost in a row, before any file is done: the batch cannot run


@dataclass(eq=False)
class _Worker:
    process: Any  # multiprocessing.process.BaseProcess
    conn: Connection
    since: float  # started, or given its file
    ready: bool = False
    job: Job | None = None
    leaving: bool = False  # it ran out of memory: it ends after its file


class _Crew:
    """A batch's worker processes, each given one file at a time, so the main process knows
    which file each one is on and since when: a worker past the time limit is ended and
    replaced without disturbing the others, and a worker that dies names its file."""

    def __init__(self, size: int, plan: Plan, limits: FileLimits) -> None:
        self.size = size
        self.limits = limits
        self.settings = (plan.corpus_dir, plan.state, limits.memory_gb)
        self.context = _context()
        self.workers: list[_Worker] = []
        self.setbacks = 0  # workers lost in a row, before any result

    def busy(self) -> int:
        return sum(w.job is not None for w in self.workers)

    def idle(self) -> list[_Worker]:
        return [w for w in self.workers if w.ready and w.job is None and not w.leaving]

    def staff(self, need: int) -> None:
        """Start workers until there are as many as the batch has use for."""
        while len(self.workers) < min(self.size, need):
            try:
                self._hire()
            except (OSError, EOFError) as exc:  # no process to be had: a process limit
                # (EOFError: the fork server died instead of forking one)
                why = f"{exc.strerror or exc}" if isinstance(exc, OSError) else ""
                self._setback(why or "their fork server stopped")
                if self.workers:  # go on with those there are
                    self.size = len(self.workers)
                    return
                time.sleep(0.2 * self.setbacks)

    def _hire(self) -> None:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_serve,
            args=(child, _worker_call, *self.settings),
            name="lssc-legal batch worker",
            daemon=True,
        )
        try:
            if self.context.get_start_method() == "forkserver":
                _start_forkserver()
            process.start()
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()  # the worker's end: once it dies, reading ours finds the end
        self.workers.append(_Worker(process, parent, time.monotonic()))

    def assign(self, worker: _Worker, job: Job) -> None:
        worker.job, worker.since = job, time.monotonic()
        with contextlib.suppress(OSError):  # if it died, wait() finds out and settles
            worker.conn.send(os.fspath(job.path))

    def wait(self) -> list[tuple[Job, Result | None]]:
        """Wait for results, deaths and the time limit: each file settled, with its result
        (None: to be tried again)."""
        deadlines = [self._deadline(w) for w in self.workers]
        due = min((d for d in deadlines if d is not None), default=None)
        timeout = None if due is None else max(0.0, due - time.monotonic())
        handles = [w.conn for w in self.workers] + [w.process.sentinel for w in self.workers]
        ready = set(mp_wait(handles, timeout))
        settled: list[tuple[Job, Result | None]] = []
        for w in list(self.workers):
            if w.conn not in ready and w.process.sentinel not in ready:
                continue
            ended = False
            try:
                while w.conn.poll():
                    settled.extend(self._message(w, w.conn.recv()))
            except (EOFError, OSError):
                ended = True
            if ended or w.process.sentinel in ready:
                settled.extend(self._lost(w, ended))
        now = time.monotonic()
        for w in list(self.workers):
            deadline = self._deadline(w)
            if deadline is None or now < deadline:
                continue
            job = w.job
            self._end(w)
            if job is None:
                self._setback(f"one was not ready after {_READY_SECONDS:g} s")
            else:
                limit = self.limits.seconds or 0.0
                settled.append((job, ("failed", _too_slow(limit), None, now - w.since)))
        return settled

    def _deadline(self, w: _Worker) -> float | None:
        if not w.ready:
            return w.since + max(_READY_SECONDS, self.limits.seconds or 0.0)
        if w.job is not None and self.limits.seconds:
            return w.since + self.limits.seconds
        return None

    def _message(self, w: _Worker, message: Any) -> list[tuple[Job, Result | None]]:
        """("ready", why it cannot analyze or None), or ("done", result, leaving)."""
        if message[0] == "ready":
            if message[1]:
                raise _cannot_analyze(message[1])
            w.ready = True
            return []
        _, result, w.leaving = message
        job, w.job = w.job, None
        if result[0] == "broken":
            raise _cannot_analyze(result[1])
        self.setbacks = 0
        return [] if job is None else [(job, result)]

    def _lost(self, w: _Worker, ended: bool) -> list[tuple[Job, Result | None]]:
        """A worker died (or its fork server did, which kills it): its file was the cause
        unless the server went, or the worker was never ready to analyze one."""
        job = w.job
        self._end(w, kill=not ended)
        code = w.process.exitcode
        server_gone = code == 255 or not ended  # 255: the server could not say
        if not w.ready:  # (once ready, it was lost with its server: not a setback)
            how = "their fork server stopped" if server_gone else f"exit code {code}"
            self._setback(f"one ended before it was ready ({how})")
        if job is None:
            return []
        if server_gone:
            return [(job, None)]
        return [(job, ("failed", _CRASHED, None, time.monotonic() - w.since))]

    def _setback(self, why: str) -> None:
        self.setbacks += 1
        if self.setbacks > _SETBACKS:
            raise LsscError(
                None,
                f"the batch's worker processes could not be started: {why}",
                "the system may be out of processes or memory: close other programs, or give "
                "fewer --jobs; LSSC_DEBUG=1 shows the workers' errors",
            )

    def _end(self, w: _Worker, kill: bool = True) -> None:
        self.workers.remove(w)
        if kill and w.process.exitcode is None:
            w.process.kill()
        elif kill:  # its server is gone, so the process object knows no more: by pid
            with contextlib.suppress(OSError):
                os.kill(w.process.pid, signal.SIGKILL)
        w.conn.close()
        w.process.join(timeout=5)

    def stop(self) -> None:
        """End every worker: those waiting for a file are told to leave, the others (busy,
        or still starting) are killed."""
        for w in self.workers:
            try:
                if w.ready and w.job is None and not w.leaving:
                    w.conn.send(None)
                    continue
            except OSError:
                pass
            if w.process.exitcode is None:
                w.process.kill()
        for w in self.workers:
            w.process.join(timeout=5)
            if w.process.exitcode is None:
                w.process.kill()
                w.process.join(timeout=1)
            w.conn.close()
        self.workers.clear()


def _cannot_analyze(why: str) -> LsscError:
    return LsscError(
        None,
        f"the analyzer could not start in a worker process: {why}",
        "nothing was analyzed; fix that and run the batch again",
    )


def _serve(
    conn: Connection,
    call: Callable[[str], Result],
    corpus: str | None,
    state: str | None,
    memory_gb: float | None,
) -> None:
    """A worker process: get ready, say so (or why it cannot), then analyze the files the
    main process sends, one at a time, until it sends None or is gone."""
    die_with_parent(_server_pid())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    try:
        from . import worker

        broken = worker.start(corpus, state, memory_gb)
    except MemoryError:
        broken = f"it needs more memory than --file-memory {memory_gb:g} allows"
    except BaseException as exc:  # an analyzer that cannot even be imported
        broken = f"internal error ({type(exc).__name__}: {exc})"
    try:
        conn.send(("ready", broken))
        while not broken:
            path = conn.recv()
            if path is None:
                return
            try:
                result = call(path)
            except MemoryError:
                result = ("failed", worker.too_big(), None, 0.0)
            # After a MemoryError the worker leaves (it says so with the result, so that it
            # is given no other file): a fresh one takes the next file.
            try:
                conn.send(("done", result, worker.spent()))
            except MemoryError:
                conn.send(("done", ("failed", worker.too_big(), None, result[3]), True))
            except Exception as exc:  # e.g. a result that cannot be pickled
                reason = f"internal error ({type(exc).__name__}: {exc}); please report it"
                conn.send(("done", ("failed", reason, None, result[3]), worker.spent()))
            if worker.spent():
                return
    except (EOFError, OSError):  # the batch's main process is gone
        return


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None) -> None:
    """Have this process killed when its parent process ends, however it ends (kill -9
    included): on Linux by the kernel (prctl PR_SET_PDEATHSIG), elsewhere by a thread that
    waits for the batch's main process to end. `parent`: the pid the parent should have,
    if known (when it is already gone, this process ends now)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if parent is not None and os.getppid() != parent:
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    main = multiprocessing.parent_process()
    if main is not None:
        import threading

        sentinel = main.sentinel
        threading.Thread(target=_exit_with, args=(sentinel,), daemon=True).start()


def _server_pid() -> int | None:
    """The fork server's pid, in a worker it forked (the parent of the process)."""
    preload = sys.modules.get(f"{__name__}.preload")
    server = getattr(preload, "SERVER", None)
    return server if isinstance(server, int) else None


def _exit_with(sentinel: int) -> None:
    mp_wait([sentinel])
    os._exit(1)


def _context() -> Any:
    # forkserver: workers fork from a clean server that has imported the analyzer once,
    # not from this process (whose progress thread must not be forked).
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload([f"{__name__}.preload"])
    return context


def _start_forkserver() -> None:
    """Start the fork server, unless it runs: deaf to Ctrl-C, and with the folder this
    command runs in kept off its import path.

    Ctrl-C reaches every process of the terminal's group; the main process answers it and
    stops the workers, but a fork server still importing the analyzer would print a
    traceback. It is started with SIGINT blocked, which it and its workers keep (a Ctrl-C
    meanwhile waits for this process, not lost).

    Python 3.11's fork server does not take this process's sys.path: started with -c, it
    puts the current folder first, so run from a checkout of the tool's source it would
    import that tree instead of the installed tool. PYTHONSAFEPATH leaves the folder out.
    """
    from multiprocessing import forkserver, resource_tracker

    resource_tracker.ensure_running()  # first: starting it unblocks SIGINT
    settings = {"PYTHONSAFEPATH": "1", _MAIN_PID: str(os.getpid())}
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        for name, value in before.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


_MAIN_PID = "LSSC_BATCH_MAIN_PID"  # tells the fork server the pid its parent should have


def main_pid() -> int | None:
    """In the fork server: the pid of the batch's main process that started it."""
    try:
        return int(os.environ[_MAIN_PID])
    except (KeyError, ValueError):
        return None
