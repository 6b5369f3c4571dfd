"""Track bills as they move: bill identifiers as lawyers and the bill APIs write them
(`ident.py`), the providers (LegiScan, Open States) behind one interface (`provider.py`),
`fetch`, `watch` and `scan`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ProviderError
from .ident import BillId, parse_bill_id

if TYPE_CHECKING:
    from .provider import Provider

__all__ = ["BillId", "open_provider", "parse_bill_id"]


def open_provider(name: str | None = None) -> Provider:
    """The client of the provider `name` ("legiscan", "openstates"); with none named, the
    config file's [tracking] provider, else the one whose key is set (LegiScan first).
    Keys and base URLs come from the environment or the config file (config.py)."""
    from ..config import tracking_settings
    from .legiscan import LegiScan
    from .openstates import OpenStates

    settings = tracking_settings()
    name = name or settings.get("provider")
    if name is None:
        if settings.get("legiscan_key"):
            name = "legiscan"
        elif settings.get("openstates_key"):
            name = "openstates"
        else:
            raise ProviderError(
                None, "no bill API key",
                "set LEGISCAN_API_KEY (free at https://legiscan.com/legiscan) or "
                "OPENSTATES_API_KEY (free at https://openstates.org/accounts/signup/)",
            )  # fmt: skip
    if name == "legiscan":
        return LegiScan(settings.get("legiscan_key", ""), settings.get("legiscan_url"))
    if name == "openstates":
        return OpenStates(settings.get("openstates_key", ""), settings.get("openstates_url"))
    raise ProviderError(None, f"no bill API called {name!r}", "use legiscan or openstates")
