"""A worker call for tests: a file named *crash* kills its worker process outright, as a
segfault in a PDF library would; other files are analyzed as usual."""

from __future__ import annotations

import os
from typing import Any

from lssc_legal.batch.worker import analyze_file


def call(path: str) -> tuple[str, Any, int | None, float]:
    if "crash" in os.path.basename(path):
        os._exit(11)
    return analyze_file(path)
