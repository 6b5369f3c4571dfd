"""An Open States API v3 client (https://v3.openstates.org, docs.openstates.org): a bill and
its versions (`/bills/...?include=versions`), a state's sessions
(`/jurisdictions/{state}?include=legislative_sessions`), the bills of a session updated
since a moment (`updated_since`), over the retried, paced transport of `provider.py`.

Open States lists each version with links to the legislature's own files (the Texas
Legislature's PDF and HTML, say); the files are downloaded from the legislature's site,
without the key, and a dropped download resumes. Open States gives no checksum, so each
file is checked by what it is (`fetch._check`) and recorded by its hashes.

The free tier allows 10 requests a minute and 250 a day (its server code; see
docs/tracking.md): calls are paced 6 seconds apart unless LSSC_OPENSTATES_INTERVAL says
otherwise, a per-minute 429 waits for the next minute, and the daily limit stops the run
with one line. The key goes in the X-API-KEY header, to the API's host only.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from ..batch.store import Watched
from ..errors import ProviderError
from ..limits import limits
from .ident import BillId
from .provider import (
    RETRY_STATUS,
    Bill,
    Listed,
    Listing,
    Session,
    Transport,
    Version,
    api_key,
    find_in_sessions,
    pick_sessions,
)

NAME = "openstates"
DEFAULT_URL = "https://v3.openstates.org"
KEY_HINT = (
    "set OPENSTATES_API_KEY to your Open States API key "
    "(free at https://openstates.org/accounts/signup/)"
)
FREE_TIER_INTERVAL = 6.0  # seconds between calls: 10 a minute
_PER_PAGE = 20  # the most /bills gives in one page
# A bill's texts, and its other documents, among which are the amendments offered to it.
INCLUDE = ["versions", "documents"]
# A document that is an amendment: named so, and not a note or analysis of the bill "as
# amended".
_AMENDMENT = re.compile(r"^(?!.*\b(?:fiscal|analysis|note|summary|report)\b).*\bamendment\b", re.I)
_IDENTIFIERS = 20  # the most identifier= filters one /bills call takes
# The formats a version comes in, best first: a PDF keeps the printed page and line numbers.
_PREFERENCE = {
    "application/pdf": 0,
    "text/html": 1,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": 2,
    "text/plain": 3,
}
_BY_EXTENSION = {
    ".pdf": "application/pdf", ".htm": "text/html", ".html": "text/html",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain",
}  # fmt: skip


class OpenStates:
    name = NAME

    def __init__(
        self,
        key: str | None = None,
        url: str | None = None,
        *,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 2.0,
        interval: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._key = api_key(key, "OPENSTATES_API_KEY", "Open States", KEY_HINT)
        self.url = (url or os.environ.get("LSSC_OPENSTATES_URL") or DEFAULT_URL).rstrip("/")
        if interval is None:
            said = os.environ.get("LSSC_OPENSTATES_INTERVAL", "")
            try:
                interval = float(said) if said else FREE_TIER_INTERVAL
            except ValueError:
                raise ProviderError(
                    None, f"LSSC_OPENSTATES_INTERVAL is {said!r}, not a number of seconds"
                ) from None
        self._api = Transport(
            "Open States", secret=self._key, timeout=timeout, retries=retries,
            backoff=backoff, interval=max(interval, 0.0), sleep=sleep,
            retry_status=RETRY_STATUS - {429},  # a 429 says which limit: see _get
            follow_redirects=False,  # the key is in a header: it goes to this host only
        )  # fmt: skip
        # The legislatures' sites: no key, no Open States pace.
        self._files = Transport(
            "Download", timeout=timeout, retries=retries, backoff=backoff, sleep=sleep
        )
        self._sleep = sleep
        self._sessions: dict[str, list[dict[str, str]]] = {}

    def close(self) -> None:
        self._api.close()
        self._files.close()

    def __enter__(self) -> OpenStates:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the calls ----------------------------------------------------------------------

    def find(self, bill: BillId) -> str:
        """The Open States id ("ocd-bill/...") of `bill`, in the session its words name
        (pick_sessions); a number found in two sessions is one line naming both."""
        identifier = f"{bill.kind} {bill.number}"

        def lookup(session: Session) -> str | None:
            found = self._get(
                "/bills", jurisdiction=bill.state.lower(), session=session.key,
                identifier=identifier,
            ).get("results")  # fmt: skip
            first = found[0] if isinstance(found, list) and found else None
            return str(first["id"]) if isinstance(first, dict) and first.get("id") else None

        return find_in_sessions(
            bill, "Open States", self.sessions_for(bill.state, bill.session), lookup
        )

    def bill(self, bill_id: str) -> Bill:
        uuid = bill_id.removeprefix("ocd-bill/")
        return self._bill(self._get(f"/bills/ocd-bill/{uuid}", include=INCLUDE))

    def updates(self, watched: Sequence[Watched]) -> dict[str, Bill | ProviderError]:
        """The watched bills updated since the `updated_at` seen last: for each state and
        session, one `/bills?updated_since=` call per 20 bills, which leaves out the bills
        that did not change; a bill never checked is asked for whatever its date."""
        out: dict[str, Bill | ProviderError] = {}
        groups: dict[tuple[str, str], list[Watched]] = {}
        for w in watched:
            groups.setdefault((w.state, w.session), []).append(w)
        for (state, session), rows in groups.items():
            seen = [w.change_hash for w in rows]
            since = min(seen) if all(seen) else None
            try:
                if session:
                    found = {
                        b.bill_id: b
                        for b in self.updated(state, session, [w.bill_number for w in rows], since)
                    }
                else:  # a row without its session: asked for by its id
                    found = {w.bill_id: self.bill(w.bill_id) for w in rows}
            except ProviderError as exc:
                out.update({w.bill_id: exc for w in rows})
                continue
            for w in rows:
                b = found.get(w.bill_id)
                if b is not None and (not b.change_hash or b.change_hash != w.change_hash):
                    out[w.bill_id] = b
        return out

    def updated(
        self, state: str, session: str, numbers: list[str], since: str | None
    ) -> list[Bill]:
        """The bills of `numbers` ("HB2127") in a state's session updated since `since`
        (an `updated_at` seen before): `/bills?updated_since=`, up to 20 bills a call."""
        out = []
        for i in range(0, len(numbers), _IDENTIFIERS):
            params: dict[str, Any] = {
                "jurisdiction": state.lower(), "session": session, "include": INCLUDE,
                "identifier": [_spaced(n) for n in numbers[i : i + _IDENTIFIERS]],
                "per_page": _PER_PAGE,
            }  # fmt: skip
            if since:
                params["updated_since"] = _iso(since)
            out += [self._bill(b) for b in list(self._pages("/bills", params))]
        return out

    def session_key(self, state: str, session: str | None) -> str:
        """Open States' identifier of the session (one call for the state's sessions): the
        one named, else the one that began last."""
        found = self.sessions_for(state, session)
        if not found:
            raise ProviderError(
                None, f"Open States lists no session {session or ''} of {state}".replace("  ", " ")
            )
        return found[0].key if session else max(found, key=lambda x: x.order).key

    def session_list(self, state: str, session: str | None, since: str | None = None) -> Listing:
        """The bills of a state's session (its latest, unless `session` names one), with
        their versions; only those updated since `since` when it is given."""
        name = self.session_key(state, session)
        called = next((x.name for x in self.sessions_for(state, name) if x.key == name), "")
        params: dict[str, Any] = {
            "jurisdiction": state.lower(), "session": name, "include": INCLUDE,
            "per_page": _PER_PAGE, "sort": "updated_asc",
        }  # fmt: skip
        if since:
            params["updated_since"] = _iso(since)
        # Lazily, oldest update first: a scan stopped by the daily limit has recorded the
        # bills before it, and the next one asks for the rest by `updated_since`.
        listed = (
            Listed(found.bill_id, found.number, found.change_hash, found)
            for found in map(self._bill, self._pages("/bills", params))
        )
        return Listing(name, listed, called)

    def document(self, version: Version, partial: Path) -> bytes:
        """The legislature's file the version links to, resumed where a dropped download
        stopped."""
        if not version.url.startswith(("http://", "https://")):
            raise ProviderError(None, f"{version.type}: Open States gives no address for its file")
        limit = limits().max_file_mb * 2**20
        return self._files.download(f"{version.type} ({version.url})", version.url, partial, limit)

    # -- sessions -----------------------------------------------------------------------

    def sessions_for(self, state: str, wanted: str | None) -> list[Session]:
        """The sessions `wanted` names, best first (pick_sessions); Open States' own
        identifier ("88", "2025-2026") too."""
        table = self._session_table(state)
        sessions = [
            Session(
                s["identifier"],
                s["name"],
                *_years(s),
                s["classification"] == "special",
                s["start_date"] or s["identifier"],
            )
            for s in table
        ]
        return pick_sessions(sessions, wanted)

    def _session_table(self, state: str) -> list[dict[str, str]]:
        if state not in self._sessions:
            found = self._get(f"/jurisdictions/{state.lower()}", include="legislative_sessions")
            raw = found.get("legislative_sessions")
            if not isinstance(raw, list):
                raise ProviderError(None, "Open States' jurisdiction answer is not as documented")
            self._sessions[state] = [
                {k: str(s.get(k) or "") for k in ("identifier", "name", "classification",
                                                   "start_date", "end_date")}
                for s in raw if isinstance(s, dict) and s.get("identifier")
            ]  # fmt: skip
        return self._sessions[state]

    # -- answers ------------------------------------------------------------------------

    def _bill(self, b: Any) -> Bill:
        try:
            state = str(b["jurisdiction"]["id"]).split("state:")[1].split("/")[0].upper()
            session = str(b["session"])
            versions = []
            for i, v in enumerate(b.get("versions") or []):
                version = _version(v, i)
                if version is not None:
                    versions.append(version)
            for i, d in enumerate(b.get("documents") or []):  # fiscal notes are left out
                if _AMENDMENT.search(str(d.get("note") or "")):
                    amendment = _version(d, i)
                    if amendment is not None:
                        versions.append(replace(amendment, kind="amendment"))
            known = self._session_table(state)  # asked once per state and run
            this = next((s for s in known if s["identifier"] == session), {})
            start = this.get("start_date", "")
            year = (
                start[:4] or str(b.get("first_action_date") or "")[:4] or str(b["created_at"])[:4]
            )
            return Bill(
                provider=NAME,
                bill_id=str(b["id"]),
                state=state,
                number=str(b["identifier"]).replace(" ", "").upper(),
                session=session,
                year=int(year) if year.isdigit() else 0,
                change_hash=str(b["updated_at"]),
                title=str(b.get("title") or ""),
                versions=tuple(versions),
                session_name=this.get("name", ""),
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            raise ProviderError(None, "Open States' bill answer is not as documented") from None

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[Any]:
        """Every result of a paged list (`pagination.max_page`), a page at a time, so a
        caller can keep what it got before a limit stops the list."""
        page = 1
        while True:
            found = self._get(path, **params, page=page)
            results, pages = found.get("results"), found.get("pagination")
            if not isinstance(results, list) or not isinstance(pages, dict):
                raise ProviderError(None, f"Open States' {path} answer is not as documented")
            yield from results
            if page >= int(pages.get("max_page") or 1):
                return
            page += 1

    def _get(self, path: str, **params: Any) -> dict[str, Any]:
        """One API call; an answer that is not the documented JSON is a ProviderError. A
        per-minute 429 waits for the next minute and asks again; the daily limit is the
        end of the run."""
        what = path.split("?")[0]
        for _ in range(3):
            response = self._api.get(
                what, self.url + path, params=params, headers={"X-API-KEY": self._key}
            )
            said = _detail(response)
            if response.status_code == 429 and "/min" in said:
                self._sleep(61 - time.time() % 60)
                continue
            break
        if response.status_code == 429:
            raise ProviderError(
                None, f"Open States' rate limit reached ({self._api.safe(said) or 'HTTP 429'})",
                "the free tier allows 250 requests a day, counted from 00:00 UTC; try again then",
            )  # fmt: skip
        if response.status_code != 200:
            hint = {
                401: "check OPENSTATES_API_KEY", 403: "check OPENSTATES_API_KEY",
                404: "check the bill and --session",
            }.get(response.status_code, "try again later")  # fmt: skip
            if 300 <= response.status_code < 400:
                hint = "the API's address moved, or LSSC_OPENSTATES_URL is wrong"
            raise ProviderError(
                None, f"Open States {what} answered HTTP {response.status_code}"
                + (f": {self._api.safe(said)}" if said else ""), hint,
            )  # fmt: skip
        try:
            data = response.json()
        except ValueError:
            raise ProviderError(None, f"Open States {what} answered with malformed JSON") from None
        if not isinstance(data, dict):
            raise ProviderError(None, f"Open States {what} answered with malformed JSON")
        return data


def _detail(response: httpx.Response) -> str:
    """The API's own words on an error ({"detail": "..."}), first line, short."""
    try:
        said = response.json().get("detail", "")
    except (ValueError, AttributeError):
        return ""
    if isinstance(said, list):  # a 422: [{"loc": [...], "msg": "..."}]
        said = "; ".join(str(d.get("msg", "")) for d in said if isinstance(d, dict))
    return " ".join(str(said).split())[:200]


def _version(v: Any, position: int) -> Version | None:
    """A version as fetch uses it: its best format first, the others as alternatives."""
    links = []
    for link in v.get("links") or []:
        url = str(link.get("url") or "")
        mime = str(link.get("media_type") or "").split(";")[0].strip().lower()
        if not mime:
            mime = _BY_EXTENSION.get(Path(url.split("?")[0]).suffix.lower(), "")
        if url:
            links.append((mime, url))
    if not links:
        return None
    links.sort(key=lambda ml: _PREFERENCE.get(ml[0], 9))
    (mime, url), *rest = links
    note = str(v.get("note") or "version")
    # Open States' newer answers give each version an id; older ones do not, so the
    # version is known by its name and first address.
    doc_id = str(v.get("id") or "") or hashlib.sha1(f"{note} {url}".encode()).hexdigest()[:12]
    return Version(
        doc_id=doc_id, date=str(v.get("date") or "")[:10], type=note, mime=mime, url=url,
        alternatives=tuple(rest),
    )  # fmt: skip


def _spaced(number: str) -> str:
    """ "HB2127" as Open States writes it: "HB 2127"."""
    head = number.rstrip("0123456789")
    return f"{head} {number[len(head) :]}" if head and head != number else number


def _iso(stamp: str) -> str:
    """An `updated_at` as the API's `updated_since` reads it (no trailing Z)."""
    return stamp[:-1] + "+00:00" if stamp.endswith("Z") else stamp


def _years(session: dict[str, str]) -> tuple[int, int]:
    """The years a session runs: from its dates, else from its identifier or name
    ("2025-2026"); a session with a start and no end yet runs to the last year its
    identifier names, else its start year."""
    words = f"{session.get('identifier', '')} {session.get('name', '')}"
    named = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", words)]
    start, end = session.get("start_date", "")[:4], session.get("end_date", "")[:4]
    first = int(start) if start.isdigit() else (named[0] if named else 0)
    last = int(end) if end.isdigit() else max([first, *named])
    return first, last
