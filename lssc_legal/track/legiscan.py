"""A LegiScan API client: the calls `fetch` needs (getSearch, getBill, getBillText), with
timeouts, retries with backoff on 429, 5xx and dropped connections, and answers checked
against the documented shapes (https://legiscan.com/legiscan, API manual).

The key comes from LEGISCAN_API_KEY (or the caller); the base URL from LSSC_LEGISCAN_URL,
so a mirror or a test server can stand in. The key is sent as the API asks, in the query
string, and never appears in an error message, a log or the store.
"""

from __future__ import annotations

import base64
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from ..errors import ProviderError
from .ident import BillId

DEFAULT_URL = "https://api.legiscan.com/"
KEY_HINT = "set LEGISCAN_API_KEY to your LegiScan API key (free at https://legiscan.com/legiscan)"
_RETRY = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Text:
    """One published version of a bill, as getBill lists it."""

    doc_id: int
    date: str
    type: str  # "Introduced", "Comm Sub", "Engrossed", "Enrolled", "Chaptered", ...
    mime: str
    text_hash: str  # MD5 of the document, as LegiScan gives it


@dataclass(frozen=True)
class Bill:
    bill_id: int
    state: str
    number: str  # "HB2127"
    session: str  # LegiScan's session name, e.g. "88th Legislature"
    year: int
    change_hash: str
    title: str
    texts: tuple[Text, ...]


class LegiScan:
    def __init__(
        self,
        key: str | None = None,
        url: str | None = None,
        *,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        key = key if key is not None else os.environ.get("LEGISCAN_API_KEY", "")
        if not key.strip():
            raise ProviderError(None, "no LegiScan API key", KEY_HINT)
        self._key = key.strip()
        self.url = url or os.environ.get("LSSC_LEGISCAN_URL") or DEFAULT_URL
        self._client = httpx.Client(timeout=timeout, follow_redirects=True)
        self._retries, self._backoff, self._sleep = retries, backoff, sleep

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> LegiScan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the calls ----------------------------------------------------------------------

    def find(self, bill: BillId) -> int:
        """The bill_id of `bill` (getSearch by state and bill number, in its year if given,
        else the state's current session)."""
        params: dict[str, Any] = {"state": bill.state, "bill": bill.api_number}
        if bill.session and bill.session[:4].isdigit():
            params["year"] = bill.session[:4]
        found = self._call("getSearch", **params).get("searchresult", {})
        for key, hit in found.items():
            if key == "summary" or not isinstance(hit, dict):
                continue
            if str(hit.get("bill_number", "")).replace(" ", "").upper() == bill.api_number:
                return int(hit["bill_id"])
        raise ProviderError(None, f"LegiScan has no {bill}", "check the number and --session")

    def master_list(self, state: str, session: str | None = None) -> list[tuple[int, str, str]]:
        """(bill_id, bill number, change_hash) of every bill of the state's current session
        (getMasterList), or of the session whose id `session` gives."""
        params: dict[str, Any] = {"id": session} if session and session.isdigit() else {}
        if not params:
            params["state"] = state
        found = self._call("getMasterList", **params).get("masterlist", {})
        out = []
        try:
            for key, b in found.items():
                if key == "session" or not isinstance(b, dict):
                    continue
                out.append((int(b["bill_id"]), str(b["number"]), str(b.get("change_hash", ""))))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ProviderError(
                None, "LegiScan's getMasterList answer is not as documented"
            ) from None
        return out

    def bill(self, bill_id: int) -> Bill:
        b: Any = self._call("getBill", id=bill_id).get("bill")
        try:
            session = b["session"]
            return Bill(
                bill_id=int(b["bill_id"]),
                state=str(b["state"]),
                number=str(b["bill_number"]),
                session=str(session.get("session_name", "")),
                year=int(session.get("year_start", 0)),
                change_hash=str(b.get("change_hash", "")),
                title=str(b.get("title", "")),
                texts=tuple(_text(t) for t in b.get("texts", [])),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ProviderError(None, "LegiScan's getBill answer is not as documented") from None

    def text(self, text: Text) -> bytes:
        """The document of `text`, checked: decoded from base64, its MD5 the one getBill
        listed (when it listed one)."""
        t: Any = self._call("getBillText", id=text.doc_id).get("text")
        try:
            data = base64.b64decode(t["doc"], validate=True)
        except (KeyError, TypeError, ValueError):
            raise ProviderError(
                None, f"document {text.doc_id}: LegiScan's answer holds no readable document"
            ) from None
        want = text.text_hash or str(t.get("text_hash", ""))
        got = hashlib.md5(data).hexdigest()  # LegiScan's own checksum, not a security use
        if want and got != want:
            raise ProviderError(
                None, f"document {text.doc_id}: its hash is {got}, LegiScan listed {want}",
                "the download was damaged or changed; run fetch again",
            )  # fmt: skip
        return data

    # -- transport ----------------------------------------------------------------------

    def _call(self, op: str, **params: Any) -> dict[str, Any]:
        """One API call, retried with backoff on 429, 5xx and dropped connections (a
        Retry-After header is honoured); an answer that is not the documented JSON with
        status OK is a ProviderError."""
        query = {"key": self._key, "op": op, **params}
        for attempt in range(self._retries + 1):
            last = attempt == self._retries
            try:
                response = self._client.get(self.url, params=query)
            except httpx.HTTPError as exc:
                if last:
                    raise ProviderError(
                        None, f"LegiScan {op} failed: {_safe(str(exc), self._key)}",
                        "check the network, or try again later",
                    ) from None  # fmt: skip
                self._sleep(self._backoff * 2**attempt)
                continue
            if response.status_code in _RETRY and not last:
                wait = response.headers.get("Retry-After", "")
                self._sleep(float(wait) if wait.isdigit() else self._backoff * 2**attempt)
                continue
            if response.status_code != 200:
                raise ProviderError(
                    None, f"LegiScan {op} answered HTTP {response.status_code}",
                    "try again later" if response.status_code in _RETRY else "check the key",
                )  # fmt: skip
            try:
                data = response.json()
            except ValueError:
                raise ProviderError(None, f"LegiScan {op} answered with malformed JSON") from None
            if not isinstance(data, dict) or data.get("status") != "OK":
                said = data.get("alert", {}).get("message", "") if isinstance(data, dict) else ""
                raise ProviderError(
                    None, f"LegiScan {op} refused: {_safe(str(said), self._key) or 'no reason'}"
                )
            return data
        raise AssertionError("unreachable")


def _text(t: dict[str, Any]) -> Text:
    return Text(
        int(t["doc_id"]), str(t.get("date", "")), str(t.get("type", "")),
        str(t.get("mime", "")), str(t.get("text_hash", "")),
    )  # fmt: skip


def _safe(text: str, key: str) -> str:
    """`text` with the key blanked out (an error naming the URL would carry it)."""
    return text.replace(key, "[key]") if key else text
