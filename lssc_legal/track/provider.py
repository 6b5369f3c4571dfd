"""What the bill APIs have in common: a bill and its published versions as `fetch`, `watch`
and `scan` use them, whichever provider answered (LegiScan or Open States), and the HTTP
transport both use (timeouts, retries with backoff on 429, 5xx and dropped connections, a
Retry-After header honoured, a pause between calls for a provider's rate limit, and
downloads that resume where a dropped one stopped).

A provider's key never reaches an error message: every message that could hold a URL or a
server's words goes through `Transport.safe`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx

from ..batch.store import Watched
from ..errors import ProviderError
from .ident import BillId

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_WAIT = 120.0  # seconds: the longest Retry-After honoured


@dataclass(frozen=True)
class Version:
    """One published version of a bill: introduced, a committee substitute, engrossed..."""

    doc_id: str  # the provider's id of the document (LegiScan doc_id; Open States: its link)
    date: str  # YYYY-MM-DD, as the provider gives it
    type: str  # the provider's name for it: "Introduced", "Comm Sub", "House Committee Report"
    mime: str  # the document's media type, as the provider gives it
    md5: str = ""  # the provider's checksum of the document, when it gives one (LegiScan)
    url: str = ""  # where the legislature's file is (Open States); LegiScan serves it itself
    # Other formats of the same version, best first: (media type, url). Tried in turn when
    # the first is not what it claims.
    alternatives: tuple[tuple[str, str], ...] = ()
    kind: str = "version"  # or "amendment": offered to the bill, not a text of it


@dataclass(frozen=True)
class Bill:
    provider: str  # "legiscan", "openstates"
    bill_id: str  # the provider's id: LegiScan's bill_id, Open States' "ocd-bill/..."
    state: str  # two-letter code
    number: str  # "HB2127"
    session: str  # the provider's session name or identifier: "88th Legislature", "88"
    year: int
    change_hash: str  # what changes when the bill does: change_hash, or updated_at
    title: str
    versions: tuple[Version, ...]
    session_name: str = ""  # as a reader names it: "89th Legislature, 2nd Called Session (2025)"


@dataclass(frozen=True)
class Listed:
    """A bill of a session's list: enough to know whether it changed since last time, and
    the bill itself when the provider gave it in the same answer (Open States)."""

    bill_id: str
    number: str
    change_hash: str
    bill: Bill | None = None


@dataclass(frozen=True)
class Session:
    """A legislative session as a provider lists it."""

    key: str  # the provider's id: LegiScan's session_id, Open States' identifier ("892")
    name: str  # "89th Legislature, 2nd Called Session (2025)"
    start: int  # the years it runs
    end: int
    special: bool
    order: str  # sorts the sessions in the order they began


def pick_sessions(sessions: Sequence[Session], wanted: str | None) -> list[Session]:
    """The sessions a lawyer's words name, best first:

    - nothing: the sessions running in the latest year any began in (a two-year session
      too), the regular one first;
    - the provider's own id ("892", LegiScan's "2150");
    - a year ("2025"): the sessions running that year, the regular one first;
    - a year with LegiScan's special-session mark ("2025C2", "2025S1"): that year's
      second (first) special session.
    """

    def begun(ss: Sequence[Session]) -> list[Session]:
        return sorted(ss, key=lambda x: (x.special, x.order))

    if not sessions:
        return []
    if not wanted:  # the sessions running in the latest year any began in
        latest = max(x.start for x in sessions)
        return begun([x for x in sessions if x.start <= latest <= x.end])
    wanted = wanted.strip()
    exact = [x for x in sessions if x.key.lower() == wanted.lower()]
    if exact:
        return exact
    year, mark = wanted[:4], wanted[4:].upper()
    if not (year.isdigit() and 1900 <= int(year) <= 2100):
        return []
    running = sorted((x for x in sessions if x.start <= int(year) <= x.end), key=lambda x: x.order)
    if mark[:1] in ("C", "S") and mark[1:].isdigit():
        special = [x for x in running if x.special]
        n = int(mark[1:])
        return [special[n - 1]] if 0 < n <= len(special) else []
    return begun(running) if not mark else []


def find_in_sessions(
    bill: BillId, provider: str, candidates: Sequence[Session],
    lookup: Callable[[Session], str | None],
) -> str:  # fmt: skip
    """The provider's id of `bill` among the sessions the lawyer's words name. Bill numbers
    start again each session, so a number found in two of them (a regular and a special
    session of one year) is not guessed at: one line names both."""
    hits = [(x, found) for x in candidates if (found := lookup(x))]
    if len(hits) == 1:
        return hits[0][1]
    if hits:
        names = "; ".join(f"{x.name or x.key} (--session {x.key})" for x, _ in hits)
        raise ProviderError(
            None, f"{bill} is in {len(hits)} sessions: {names}", "name one with --session"
        )
    where = ", ".join(x.name or x.key for x in candidates) or "no session it lists"
    raise ProviderError(
        None, f"{provider} has no {bill} (searched: {where})",
        "check the number, and --session (a year, or the provider's session id)",
    )  # fmt: skip


@dataclass(frozen=True)
class Listing:
    """A session's bills, with the provider's id of the session they are of."""

    session: str
    bills: Iterable[Listed]  # read once: Open States gives them a page at a time
    name: str = ""  # the session as a reader names it


class Provider(Protocol):
    name: str

    def find(self, bill: BillId) -> str:
        """The provider's id of the bill the lawyer named."""
        ...

    def bill(self, bill_id: str) -> Bill: ...

    def document(self, version: Version, partial: Path) -> bytes:
        """The version's file, as the legislature published it. `partial` is where an
        interrupted download is kept, so that the next attempt resumes it."""
        ...

    def session_key(self, state: str, session: str | None) -> str:
        """The provider's id of the session `session` names (its latest, when none is),
        where it can say without a call; "" where it cannot (LegiScan's current one)."""
        ...

    def session_list(self, state: str, session: str | None, since: str | None = None) -> Listing:
        """The bills of a state's session (its latest, when none is named); `since`, the
        newest change seen before, lets a provider that can leave out older ones do so."""
        ...

    def updates(self, watched: Sequence[Watched]) -> dict[str, Bill | ProviderError]:
        """Of the watched bills (each with the change_hash seen last), the ones that
        changed since, each with its versions (or the reason it could not be asked)."""
        ...

    def close(self) -> None: ...


def api_key(given: str | None, variable: str, provider: str, hint: str) -> str:
    """The key given, else the environment's; none is one line saying where to get one."""
    key = (given if given is not None else os.environ.get(variable, "")).strip()
    if not key:
        raise ProviderError(None, f"no {provider} API key", hint)
    return key


class Transport:
    """HTTP GETs for one provider, retried and paced; `name` opens its error messages."""

    def __init__(
        self,
        name: str,
        *,
        secret: str = "",
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 1.0,
        interval: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
        retry_status: frozenset[int] = RETRY_STATUS,
        follow_redirects: bool = True,
    ) -> None:
        self.name, self._secret = name, secret
        self._retry_status = retry_status
        # A client that sends a key in a header does not follow redirects: httpx would
        # carry the header to whatever host the redirect names.
        self._client = httpx.Client(timeout=timeout, follow_redirects=follow_redirects)
        self._retries, self._backoff, self._interval = retries, backoff, interval
        self._sleep = sleep
        self._last = 0.0  # when the last request went out (time.monotonic)

    def close(self) -> None:
        self._client.close()

    def safe(self, text: str) -> str:
        """`text` with the key blanked out (an error naming the URL would carry it)."""
        return text.replace(self._secret, "[key]") if self._secret else text

    def _pace(self) -> None:
        """Wait out the provider's rate limit: at least `interval` seconds between calls."""
        wait = self._last + self._interval - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last = time.monotonic()

    def _retry_wait(self, response: httpx.Response | None, attempt: int) -> float:
        """The server's Retry-After (seconds, at most two minutes), else exponential
        backoff."""
        said = response.headers.get("Retry-After", "") if response is not None else ""
        return min(float(said), MAX_WAIT) if said.isdigit() else self._backoff * 2**attempt

    def get(
        self, what: str, url: str, params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:  # fmt: skip
        """The answer to one GET, after retries on 429, 5xx and dropped connections; a
        connection that fails every time is a ProviderError naming `what`."""
        for attempt in range(self._retries + 1):
            last = attempt == self._retries
            self._pace()
            try:
                response = self._client.get(url, params=params, headers=headers)
            except httpx.HTTPError as exc:
                if last:
                    said = self.safe(str(exc)) or type(exc).__name__
                    raise ProviderError(
                        None, f"{self.name} {what} failed: {said}",
                        "check the network, or try again later",
                    ) from None  # fmt: skip
                self._sleep(self._retry_wait(None, attempt))
                continue
            if response.status_code in self._retry_status and not last:
                self._sleep(self._retry_wait(response, attempt))
                continue
            return response
        raise AssertionError("unreachable")

    def download(self, what: str, url: str, partial: Path, limit: int) -> bytes:
        """The file at `url`, streamed into `partial` as it arrives. A dropped transfer is
        resumed from the bytes already there (on a retry, or by the next run) only when
        it can be told to be the same file: the server named it by a strong ETag or a
        Last-Modified date, the resumed request says so (`If-Range`), and the answer
        starts where the bytes held stop. Otherwise (no validator, the file changed, a 206
        that starts elsewhere, a 416) it is fetched whole again. `partial` is removed
        once the file is whole, or when it is larger than `limit` bytes."""
        validator = partial.with_name(partial.name + ".etag")

        def start_again() -> None:
            partial.unlink(missing_ok=True)
            validator.unlink(missing_ok=True)

        for attempt in range(self._retries + 1):
            last = attempt == self._retries
            have = partial.stat().st_size if partial.is_file() else 0
            tag = validator.read_text(encoding="utf-8").strip() if validator.is_file() else ""
            if have and not tag:  # nothing to tell the same file from another
                start_again()
                have = 0
            # The bytes as sent: a compressed answer's length would not match the file's.
            headers = {"Accept-Encoding": "identity"}
            if have:
                headers.update({"Range": f"bytes={have}-", "If-Range": tag})
            self._pace()
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    status = response.status_code
                    if have and (status == 416 or (status == 206 and _starts_at(response) != have)):
                        start_again()  # what is held is not the start of this file
                        continue
                    if status in self._retry_status and not last:
                        self._sleep(self._retry_wait(response, attempt))
                        continue
                    if status not in (200, 206):
                        raise ProviderError(
                            None, f"{what}: the legislature's server answered HTTP {status}",
                            "try again later",
                        )  # fmt: skip
                    resumed = status == 206 and have > 0
                    if not resumed:
                        have = 0
                        named = _strong(response)
                        if named:
                            validator.write_text(named, encoding="utf-8")
                        else:
                            validator.unlink(missing_ok=True)
                    expected = _length(response)
                    if expected is not None and have + expected > limit:
                        start_again()
                        raise _too_large(what, limit)
                    got = 0
                    with partial.open("ab" if resumed else "wb") as fh:
                        for chunk in response.iter_bytes():
                            got += len(chunk)
                            if have + got > limit:
                                fh.close()
                                start_again()
                                raise _too_large(what, limit)
                            fh.write(chunk)
                    if expected is not None and got < expected:
                        raise httpx.ReadError("the transfer stopped part way")
                    break
            except httpx.HTTPError as exc:
                if last:
                    said = self.safe(str(exc)) or type(exc).__name__
                    raise ProviderError(
                        None, f"{what}: the download failed ({said})",
                        "run the command again: it resumes where this one stopped",
                    ) from None  # fmt: skip
                self._sleep(self._retry_wait(None, attempt))
        else:
            raise ProviderError(
                None, f"{what}: the server kept answering with another file than the one begun",
                "run the command again",
            )  # fmt: skip
        data = partial.read_bytes() if partial.is_file() else b""
        start_again()
        return data


def _strong(response: httpx.Response) -> str:
    """What names this version of the file, fit for If-Range: a strong ETag, else the
    Last-Modified date; "" when the server gives neither."""
    if response.headers.get("Content-Encoding", "identity") != "identity":
        return ""  # a compressed answer's bytes are not the file's: no resuming it
    etag = str(response.headers.get("ETag", ""))
    if etag and not etag.startswith("W/"):
        return etag
    return str(response.headers.get("Last-Modified", ""))


def _too_large(what: str, limit: int) -> ProviderError:
    size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit:,} bytes"
    return ProviderError(
        None, f"{what}: the file is larger than {size}", "it is not a bill text this tool reads"
    )


def _starts_at(response: httpx.Response) -> int | None:
    """Where a 206 answer's bytes start ("Content-Range: bytes 500-999/1000")."""
    head = response.headers.get("Content-Range", "")
    try:
        return int(head.split()[1].split("-")[0])
    except (IndexError, ValueError):
        return None


def _length(response: httpx.Response) -> int | None:
    said = response.headers.get("Content-Length", "")
    return int(said) if said.isdigit() and "Content-Encoding" not in response.headers else None
