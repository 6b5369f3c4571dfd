"""Defaults a lawyer sets once: who the memo is from, to whom, which template.

The first file found is read: --config PATH, $LSSC_LEGAL_CONFIG, ./lssc-legal.toml,
~/.config/lssc-legal/config.toml. Keys (all optional), in a [memo] table:

    [memo]
    author = "Jane Doe, Senior Counsel"
    to = "State advocates"
    cc = "Legal team"
    re = ""                        # default: the bill citation and title
    template = "~/memos/lssc.docx"  # default: the built-in memo
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

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


def memo_defaults(explicit: Path | None = None) -> dict[str, str]:
    """The [memo] table of the first config file found ({} when there is none)."""
    for path in config_paths(explicit):
        path = path.expanduser()
        if not path.is_file():
            if explicit is not None:
                raise ConfigError(path, "no such config file")
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            raise ConfigError(path, f"is not valid TOML ({exc})") from None
        memo = data.get("memo", {})
        if not isinstance(memo, dict):
            raise ConfigError(path, "[memo] must be a table")
        unknown = set(memo) - set(KEYS)
        if unknown:
            raise ConfigError(path, f"unknown key(s) in [memo]: {', '.join(sorted(unknown))}")
        return {k: str(v) for k, v in memo.items()}
    return {}
