"""A LegiScan API client: the calls `fetch`, `watch` and `scan` need (getSearch, getBill,
getBillText, getMasterList), answers checked against the documented shapes
(https://legiscan.com/legiscan, API manual), over the retried, paced transport of
`provider.py`.

The key comes from LEGISCAN_API_KEY or the config file (or the caller); the base URL from
LSSC_LEGISCAN_URL, so a mirror or a test server can stand in. The key is sent as the API
asks, in the query string, and never appears in an error message, a log or the store.
"""

from __future__ import annotations

import base64
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..batch.store import Watched
from ..errors import ProviderError
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

NAME = "legiscan"
DEFAULT_URL = "https://api.legiscan.com/"
KEY_HINT = "set LEGISCAN_API_KEY to your LegiScan API key (free at https://legiscan.com/legiscan)"


class LegiScan:
    name = NAME

    def __init__(
        self,
        key: str | None = None,
        url: str | None = None,
        *,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 1.0,
        interval: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._key = api_key(key, "LEGISCAN_API_KEY", "LegiScan", KEY_HINT)
        self.url = url or os.environ.get("LSSC_LEGISCAN_URL") or DEFAULT_URL
        # LegiScan's free tier counts queries by the month (30,000), not by the second.
        self._http = Transport(
            "LegiScan", secret=self._key, timeout=timeout, retries=retries, backoff=backoff,
            interval=interval, sleep=sleep,
        )  # fmt: skip
        self._sessions: dict[str, list[Session]] = {}
        self._masters: dict[str, Listing] = {}  # asked once per session and run

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> LegiScan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the calls ----------------------------------------------------------------------

    def find(self, bill: BillId) -> str:
        """The bill_id of `bill`: in the sessions its words name (getSessionList;
        pick_sessions), looked up in each session's master list, since a search by year
        cannot tell a regular session's H.B. 92 from a special session's. A number found in
        two sessions is one line naming both."""

        def lookup(session: Session) -> str | None:
            for listed in self._master(session.key).bills:
                if listed.number.replace(" ", "").upper() == bill.api_number:
                    return listed.bill_id
            return None

        return find_in_sessions(
            bill, "LegiScan", self.sessions_for(bill.state, bill.session), lookup
        )

    def sessions_for(self, state: str, wanted: str | None) -> list[Session]:
        """The sessions `wanted` names, best first (pick_sessions); LegiScan's own
        session id ("2150") too."""
        if state not in self._sessions:
            found: Any = self._call("getSessionList", state=state).get("sessions")
            try:
                self._sessions[state] = [
                    Session(
                        str(x["session_id"]),
                        str(x.get("session_name") or x.get("session_title") or ""),
                        int(x["year_start"]),
                        int(x.get("year_end") or x["year_start"]),
                        bool(int(x.get("special") or 0)),
                        f"{int(x['year_start']):04d}-{int(x['session_id']):09d}",
                    )
                    for x in found
                ]
            except (KeyError, TypeError, ValueError):
                raise ProviderError(
                    None, "LegiScan's getSessionList answer is not as documented"
                ) from None
        return pick_sessions(self._sessions[state], wanted)

    def session_key(self, state: str, session: str | None) -> str:
        """LegiScan's id of the session named ("" for the state's current one, which
        getMasterList gives by the state)."""
        if not session:
            return ""
        found = self.sessions_for(state, session)
        if not found:
            raise ProviderError(
                None, f"LegiScan lists no session {session} of {state}",
                "give a year (2025), a special session (2025C2) or LegiScan's session id",
            )  # fmt: skip
        return found[0].key

    def session_list(self, state: str, session: str | None, since: str | None = None) -> Listing:
        """Every bill of the session named (getMasterList; the state's current session when
        none is), with its change_hash. (`since` is not needed: the list is one call
        whatever changed.)"""
        key = self.session_key(state, session)
        return self._master(key, state)

    def _master(self, key: str, state: str = "") -> Listing:
        """getMasterList of session `key` (of the state's current session when "")."""
        if key in self._masters:
            return self._masters[key]
        params: dict[str, Any] = {"id": key} if key else {"state": state}
        found = self._call("getMasterList", **params).get("masterlist", {})
        out = []
        try:
            about = found.get("session", {})
            listed = str(about.get("session_id", "") or key)
            called = str(about.get("session_name", "") or "")
            for name, b in found.items():
                if name == "session" or not isinstance(b, dict):
                    continue
                out.append(
                    Listed(str(b["bill_id"]), str(b["number"]), str(b.get("change_hash", "")))
                )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ProviderError(
                None, "LegiScan's getMasterList answer is not as documented"
            ) from None
        self._masters[key] = Listing(listed, out, called)
        return self._masters[key]

    def bill(self, bill_id: str) -> Bill:
        b: Any = self._call("getBill", id=bill_id).get("bill")
        try:
            session = b["session"]
            return Bill(
                provider=NAME,
                bill_id=str(b["bill_id"]),
                state=str(b["state"]),
                number=str(b["bill_number"]),
                session=str(session.get("session_name", "")),
                year=int(session.get("year_start", 0)),
                change_hash=str(b.get("change_hash", "")),
                title=str(b.get("title", "")),
                versions=tuple(sorted((_version(t) for t in b.get("texts", [])), key=_published))
                + tuple(_amendment(a) for a in b.get("amendments", []) or []),
                session_name=str(session.get("session_name", "")),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ProviderError(None, "LegiScan's getBill answer is not as documented") from None

    def updates(self, watched: Sequence[Watched]) -> dict[str, Bill | ProviderError]:
        """getBill of each watched bill, kept when its change_hash is not the one seen (a
        bill that could not be asked about is kept with its reason)."""
        out: dict[str, Bill | ProviderError] = {}
        for w in watched:
            try:
                found = self.bill(w.bill_id)
            except ProviderError as exc:
                out[w.bill_id] = exc
                continue
            if not found.change_hash or found.change_hash != w.change_hash:
                out[w.bill_id] = found
        return out

    def document(self, version: Version, partial: Path | None = None) -> bytes:
        """The document of `version` (getBillText), checked: decoded from base64, its MD5
        the one getBill listed (when it listed one). It comes whole in one JSON answer, so
        there is nothing to resume."""
        if version.kind == "amendment":  # getAmendment, by the id after "a"
            t: Any = self._call("getAmendment", id=version.doc_id[1:]).get("amendment")
        else:
            t = self._call("getBillText", id=version.doc_id).get("text")
        try:
            data = base64.b64decode(t["doc"], validate=True)
        except (KeyError, TypeError, ValueError):
            raise ProviderError(
                None, f"document {version.doc_id}: LegiScan's answer holds no readable document"
            ) from None
        want = version.md5 or str(t.get("text_hash", "") or t.get("amendment_hash", ""))
        got = hashlib.md5(data).hexdigest()  # LegiScan's own checksum, not a security use
        if want and got != want:
            raise ProviderError(
                None, f"document {version.doc_id}: its hash is {got}, LegiScan listed {want}",
                "the download was damaged or changed; run fetch again",
            )  # fmt: skip
        return data

    # -- transport ----------------------------------------------------------------------

    def _call(self, op: str, **params: Any) -> dict[str, Any]:
        """One API call; an answer that is not the documented JSON with status OK is a
        ProviderError."""
        response = self._http.get(op, self.url, params={"key": self._key, "op": op, **params})
        if response.status_code != 200:
            raise ProviderError(
                None, f"LegiScan {op} answered HTTP {response.status_code}",
                "try again later" if response.status_code in RETRY_STATUS else "check the key",
            )  # fmt: skip
        try:
            data = response.json()
        except ValueError:
            raise ProviderError(None, f"LegiScan {op} answered with malformed JSON") from None
        if not isinstance(data, dict) or data.get("status") != "OK":
            said = data.get("alert", {}).get("message", "") if isinstance(data, dict) else ""
            raise ProviderError(
                None, f"LegiScan {op} refused: {self._http.safe(str(said)) or 'no reason'}"
            )
        return data


def _amendment(a: dict[str, Any]) -> Version:
    """An amendment getBill lists: its id kept apart from the texts' ("a" + id)."""
    chamber = {"H": "House", "S": "Senate", "A": "Assembly"}.get(str(a.get("chamber", "")), "")
    about = ", ".join(x for x in (chamber, "adopted" if str(a.get("adopted")) == "1" else "") if x)
    title = str(a.get("title") or "Amendment")
    title = title if "amend" in title.lower() else f"Amendment {title}"
    return Version(
        f"a{a['amendment_id']}", str(a.get("date", "")), title + (f" ({about})" if about else ""),
        str(a.get("mime", "")), str(a.get("amendment_hash", "")), kind="amendment",
    )  # fmt: skip


def _published(v: Version) -> tuple[str, int]:
    """Versions in the order published: by date, then doc_id (LegiScan numbers them as
    they come)."""
    return v.date, int(v.doc_id) if v.doc_id.isdigit() else 0


def _version(t: dict[str, Any]) -> Version:
    return Version(
        str(t["doc_id"]), str(t.get("date", "")), str(t.get("type", "")),
        str(t.get("mime", "")), str(t.get("text_hash", "")),
    )  # fmt: skip
