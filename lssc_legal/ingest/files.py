"""Which files of the folders a lawyer names are bills: one answer for `batch`, `compare
--batch` and `appendix`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import FileMissingError
from ..models import natural_key

# The formats ingest reads (a .md file is read as text: Missouri's extracted bill texts).
BILL_SUFFIXES = frozenset({".pdf", ".txt", ".md", ".html", ".htm", ".docx"})
SUFFIX_LIST = ".pdf, .txt, .md, .html, .docx"


def bill_files(paths: Sequence[Path]) -> list[Path]:
    """The bill files named, and those in the folders named (and their subfolders), in
    natural order, each once; hidden files and Word's lock files ("~$memo.docx") are left
    out. A path that does not exist is an error."""
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
