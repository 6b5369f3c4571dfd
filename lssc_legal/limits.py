"""How much one input may cost: bounds that stop a damaged or hostile file in one line
before it takes minutes or gigabytes, set well above any real bill (the longest real bills
run to about 1,000 pages, some 4 million characters).

Each bound can be raised for a legitimately bigger file, by an environment variable or in
the config file's [limits] table (see `lssc_legal.config`):

    LSSC_MAX_FILE_MB=400 lssc-legal analyze appropriations.pdf

    [limits]
    max_pages = 8000
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import lru_cache

from .config import limit_settings
from .errors import BadInputError


@dataclass(frozen=True)
class Limits:
    max_file_mb: int = 300  # the input file as stored
    max_unpacked_mb: int = 300  # a DOCX part or PDF stream once decompressed
    max_pages: int = 5000  # PDF pages
    max_lines: int = 400_000  # printed lines (a 1,000-page bill prints about 60,000)
    max_chars: int = 20_000_000  # characters of text (about 5,000 pages)
    max_render_mpixels: int = 80  # a page drawn by `debug` (letter at 600 dpi is 34)


ENV = {f.name: f"LSSC_{f.name.upper()}" for f in fields(Limits)}


class TooLargeError(BadInputError):
    """The input is bigger than a bound; the hint says how to raise it."""


@lru_cache(maxsize=1)
def limits() -> Limits:
    """The bounds in force: the environment over the config file over the defaults."""
    values = limit_settings(tuple(ENV))
    for name, var in ENV.items():
        raw = os.environ.get(var)
        if raw is None:
            continue
        try:
            values[name] = int(raw)
        except ValueError:
            raise BadInputError(None, f"{var}={raw!r} is not a whole number", "fix it") from None
    return Limits(**values)


def too_large(path: object, what: str, name: str) -> TooLargeError:
    """The one-line refusal: what is too big, the bound, and how to raise it."""
    bound = getattr(limits(), name)
    unit = " MB" if name.endswith("_mb") else " million pixels" if "mpixels" in name else ""
    return TooLargeError(
        str(path) if path is not None else None,
        f"{what}, more than the limit of {bound:,}{unit}",
        f"if this really is a bill, raise the limit: {ENV[name]}=... or {name} in [limits]",
    )
