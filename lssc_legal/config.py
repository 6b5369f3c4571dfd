"""Defaults a lawyer sets once: who the memo is from, to whom, which template.

The first file found is read: --config PATH, $LSSC_LEGAL_CONFIG, ./lssc-legal.toml,
~/.config/lssc-legal/config.toml. Keys (all optional), in a [memo] table:

    [memo]
    author = "Jane Doe, Senior Counsel"
    to = "State advocates"
    cc = "Legal team"
    re = ""                        # default: the bill citation and title
    template = "~/memos/lssc.docx"  # default: the built-in memo

to raise the bounds on one input for a legitimately huge bill (lssc_legal.limits):

    [limits]
    max_pages = 8000

and, for `fetch` and `watch` (the environment variables of the same names win):

    [tracking]
    provider = "openstates"        # or "legiscan"; default: the one whose key is set
    legiscan_key = "..."           # LEGISCAN_API_KEY
    openstates_key = "..."         # OPENSTATES_API_KEY
    legiscan_url = "..."           # LSSC_LEGISCAN_URL: a mirror
    openstates_url = "..."         # LSSC_OPENSTATES_URL

A key is only ever read from here; the tool writes it nowhere.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from .errors import ConfigError

KEYS = ("author", "to", "cc", "re", "template")


def config_paths(explicit: Path | None = None) -> list[Path]:
    if explicit is not None:
        return [explicit]
    paths = []
    if os.environ.get("LSSC_LEGAL_CONFIG"):
        paths.append(Path(os.environ["LSSC_LEGAL_CONFIG"]))
    paths += [Path("lssc-legal.toml"), Path.home() / ".config" / "lssc-legal" / "config.toml"]
    return paths


def _unreadable(path: Path, exc: OSError) -> ConfigError:
    return ConfigError(path, f"cannot be read ({exc.strerror})", "fix its permissions")


def _first_config(explicit: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The first config file found, read; None when there is none."""
    for path in config_paths(explicit):
        path = path.expanduser()
        try:
            found = path.is_file()
        except OSError as exc:  # a folder on the way that cannot be read
            raise _unreadable(path, exc) from None
        if not found:
            if explicit is not None:
                raise ConfigError(path, "no such config file")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise _unreadable(path, exc) from None
        except UnicodeDecodeError:
            raise ConfigError(path, "is not UTF-8 text", "save it as UTF-8") from None
        try:
            return path, tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(path, f"is not valid TOML ({exc})") from None
    return None


def _table(path: Path, data: dict[str, Any], name: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """The config file's [name] table ({} when absent), with no key but `keys`."""
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(path, f"[{name}] must be a table")
    unknown = set(table) - set(keys)
    if unknown:
        raise ConfigError(
            path,
            f"unknown key(s) in [{name}]: {', '.join(sorted(unknown))}",
            f"the keys are {', '.join(keys)}",
        )
    return table


def limit_settings(keys: tuple[str, ...]) -> dict[str, int]:
    """The [limits] table of the first config file found ({} when there is none); `keys`
    are the names it may hold (limits.ENV)."""
    found = _first_config()
    if found is None:
        return {}
    path, data = found
    table = _table(path, data, "limits", keys)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in table.values()):
        raise ConfigError(path, "[limits] values must be positive whole numbers")
    return dict(table)


def redline_author(explicit: Path | None = None) -> str:
    """Who the redline's tracked changes are by, when --author is not given: the memo
    author of the config file, else the user signed in to this computer, else "lssc-legal"
    (a reviewer's Word shows each change under a name it can tell from its own)."""
    import getpass

    author = memo_defaults(explicit).get("author", "").strip()
    if author:
        return author
    try:
        return getpass.getuser() or "lssc-legal"
    except (OSError, KeyError, ImportError):  # no user name known to the system
        return "lssc-legal"


def memo_defaults(explicit: Path | None = None) -> dict[str, str]:
    """The [memo] table of the first config file found ({} when there is none)."""
    found = _first_config(explicit)
    if found is not None:
        path, data = found
        memo = _table(path, data, "memo", KEYS)
        return {k: str(v) for k, v in memo.items()}
    return {}


PROVIDERS = ("legiscan", "openstates")  # the bill APIs `fetch` and `watch` can ask
TRACKING_KEYS = ("provider", "legiscan_key", "openstates_key", "legiscan_url", "openstates_url")
_TRACKING_ENV = {
    "legiscan_key": "LEGISCAN_API_KEY",
    "openstates_key": "OPENSTATES_API_KEY",
    "legiscan_url": "LSSC_LEGISCAN_URL",
    "openstates_url": "LSSC_OPENSTATES_URL",
}


def tracking_settings() -> dict[str, str]:
    """The bill APIs' settings: each from its environment variable, else the [tracking]
    table of the first config file found; a setting given nowhere is left out."""
    found = _first_config()
    table: dict[str, Any] = {}
    if found is not None:
        path, data = found
        table = _table(path, data, "tracking", TRACKING_KEYS)
        if not all(isinstance(v, str) for v in table.values()):
            raise ConfigError(path, "[tracking] values must be strings")
        if table.get("provider", "legiscan") not in PROVIDERS:
            raise ConfigError(path, "[tracking] provider is legiscan or openstates")
    out = {k: str(v).strip() for k, v in table.items() if str(v).strip()}
    for key, env in _TRACKING_ENV.items():
        if os.environ.get(env, "").strip():
            out[key] = os.environ[env].strip()
    return out
