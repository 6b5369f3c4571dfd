"""Where the corpus is (patterns, principles, model language, example bills) and what it
holds, as a short fingerprint; without loading spaCy or any library that reads it.

The corpus ships inside the wheel as the package `lssc_legal.corpus` (pyproject.toml maps
the repository's corpus/ folder to it); `--corpus DIR` names another folder of the same
shape.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path


def corpus_dir() -> Path:
    """The corpus shipped with the tool."""
    return Path(str(resources.files("lssc_legal.corpus")))


def fingerprint(corpus: str | Path | None, state: str | None = None) -> str:
    """A short digest of the patterns, principles and model language an analysis used (and
    of a --state override): a store re-analyzes a bill when they change, as when the tool's
    version does."""
    root = Path(corpus) if corpus else corpus_dir()
    return _digest(str(root)) + (f"+{state.upper()}" if state else "")


@lru_cache(maxsize=8)
def _digest(root: str) -> str:
    # Read once per process and folder, as the patterns and principles themselves are.
    digest = hashlib.sha256()
    for folder in ("patterns", "principles", "model_language"):
        for f in sorted((Path(root) / folder).rglob("*")):
            if f.is_file() and not f.name.startswith("."):
                digest.update(f.relative_to(root).as_posix().encode() + b"\0")
                digest.update(f.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
