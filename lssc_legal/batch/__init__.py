"""Batch: analyze folders of bills in parallel processes into a results store.

    files = bill_files([Path("bills/")])
    with Store(default_store(paths)) as store:
        plan = plan_batch(files, store, fingerprint(None))
        for outcome in run(plan, jobs=2, store=store):
            ...

`plan_batch` decides what to do with each file without analyzing anything: a file whose
size and modification time match the store's record, or whose SHA-256 the store already
holds for this tool version and corpus, is skipped as unchanged. `run` analyzes the rest
in worker processes and stores each result in its own transaction as it arrives, so a
batch stopped at any moment (Ctrl-C, kill -9) loses only the files in flight.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .. import __version__
from ..errors import FileMissingError, LsscError
from ..models import natural_key
from .store import STORE_NAME, Store

BILL_SUFFIXES = frozenset({".pdf", ".txt", ".md", ".html", ".htm", ".docx"})
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
        return str(self.path)

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
class Plan:
    todo: list[Job]
    done: list[Outcome]  # decided without analysis: unchanged, failed before, unreadable
    tool_version: str
    corpus: str  # fingerprint
    corpus_dir: str | None = None
    state: str | None = None


def bill_files(paths: Sequence[Path]) -> list[Path]:
    """The bill files named, and those in the folders named (and their subfolders), in
    natural order; hidden files, Word lock files and the results store are left out."""
    found: list[Path] = []
    for path in paths:
        path = path.expanduser()
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path).parts
                if (
                    f.is_file()
                    and f.suffix.lower() in BILL_SUFFIXES
                    and not any(p.startswith((".", "~$")) for p in rel)
                ):
                    found.append(f)
        elif path.is_file():
            found.append(path)
        else:
            raise FileMissingError(path, "no such file or folder")
    unique = dict.fromkeys(p.resolve() for p in found)
    return sorted(unique, key=lambda p: natural_key(str(p)))


def default_store(paths: Sequence[Path]) -> Path:
    """The store beside the bills: in the folder named, or the folder the files share."""
    folders = [p if p.is_dir() else p.parent for p in (q.expanduser().resolve() for q in paths)]
    common = Path(os.path.commonpath([str(f) for f in folders])) if folders else Path.cwd()
    return common / STORE_NAME


def fingerprint(corpus: str | Path | None, state: str | None = None) -> str:
    """A short digest of the patterns, principles and model language an analysis used (and
    of a --state override): a store re-analyzes a bill when they change, as when the tool's
    version does."""
    from importlib import resources

    # the corpus shipped in the wheel (as analyze.rules.corpus_dir, without loading spaCy)
    root = Path(corpus) if corpus else Path(str(resources.files("lssc_legal.corpus")))
    digest = hashlib.sha256()
    for folder in ("patterns", "principles", "model_language"):
        for f in sorted((root / folder).rglob("*")):
            if f.is_file() and not f.name.startswith("."):
                digest.update(f.relative_to(root).as_posix().encode() + b"\0")
                digest.update(f.read_bytes() + b"\0")
    return digest.hexdigest()[:12] + (f"+{state.upper()}" if state else "")


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
            k = known.get(str(path))
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


def run(plan: Plan, *, jobs: int, store: Store | None) -> Iterator[Outcome]:
    """Analyze the plan's files in `jobs` worker processes; store and yield each outcome as
    it arrives (copies of a text follow the file analyzed for them). Stopping the iteration
    (Ctrl-C) stops the workers; what was stored stays stored."""
    pending = list(reversed(plan.todo))
    suspects: list[Job] = []  # in flight when a worker died: retried one at a time
    while pending or suspects:
        solo = bool(suspects)
        queue = suspects if solo else pending
        window = 1 if solo else max(1, jobs) * 2
        pool = _pool(1 if solo else jobs, plan)
        flight: dict[cf.Future[tuple[str, Any, int | None, float]], Job] = {}
        clean = False
        try:
            while queue or flight:
                while queue and len(flight) < window:
                    job = queue.pop()
                    try:
                        flight[pool.submit(_worker_call, job.key)] = job
                    except BrokenProcessPool:
                        queue.append(job)
                        raise
                finished, _ = cf.wait(flight, return_when=cf.FIRST_COMPLETED)
                for future in finished:
                    job = flight.pop(future)
                    try:
                        status, payload, pages, seconds = future.result()
                    except BrokenProcessPool:
                        if solo:  # it broke the worker on its own: the file is the cause
                            status, payload, pages, seconds = "failed", _CRASHED, None, 0.0
                        else:
                            suspects.append(job)
                            continue
                    except Exception as exc:  # e.g. a result that could not be sent back
                        reason = f"internal error ({type(exc).__name__}: {exc}); please report it"
                        status, payload, pages, seconds = "failed", reason, None, 0.0
                    if status == "broken":
                        raise LsscError(
                            None,
                            f"the analyzer could not start in a worker process: {payload}",
                            "nothing was analyzed; fix that and run the batch again",
                        )
                    yield from _settle(job, status, payload, pages, seconds, plan, store)
            clean = True
        except BrokenProcessPool:
            suspects.extend(flight.values())
        finally:
            _stop(pool, clean)
        if not solo and not suspects:
            break


_CRASHED = (
    "the reader crashed on this file (its worker process died); check that the file opens, "
    "or save a fresh copy from the legislature's site"
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
        if store is not None:
            store.put_failure(
                job.file(), job.sha256, plan.tool_version, plan.corpus, job.path.name,
                payload, seconds,
            )  # fmt: skip
        yield Outcome(job.path, "failed", job.sha256, seconds=seconds, error=payload)
    for copy in job.copies:
        if store is not None:
            store.record_file(copy.key, copy.sha256, copy.size, copy.mtime_ns)
        yield Outcome(copy.path, "duplicate", copy.sha256, pages, same_as=job.path)


def _worker_call(path: str) -> tuple[str, Any, int | None, float]:
    from .worker import analyze_file

    return analyze_file(path)


def _worker_start(corpus: str | None, state: str | None) -> None:
    from .worker import start

    start(corpus, state)


def _pool(jobs: int, plan: Plan) -> cf.ProcessPoolExecutor:
    # forkserver: workers fork from a clean server that has imported the analyzer once,
    # not from this process (whose progress thread must not be forked).
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["lssc_legal.batch.preload"])
        _start_forkserver()
    return cf.ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_worker_start,
        initargs=(plan.corpus_dir, plan.state),
    )


def _start_forkserver() -> None:
    """Start the fork server with the folder this command runs in kept off its import path.

    Python 3.11's fork server does not take this process's sys.path: started with -c, it
    puts the current folder first, so run from a checkout of the tool's source it would
    import that tree instead of the installed tool. PYTHONSAFEPATH leaves the folder out.
    """
    from multiprocessing import forkserver

    before = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        forkserver.ensure_running()
    finally:
        if before is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = before


def _stop(pool: cf.ProcessPoolExecutor, clean: bool) -> None:
    """Shut the pool down; unless every file is done, at once: unstarted files are
    cancelled and running workers ended."""
    if clean:
        pool.shutdown(wait=True)
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()
    for p in processes:
        p.join(timeout=5)
