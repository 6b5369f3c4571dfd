"""Imported once by the batch's fork server: the analyzer and its pattern engine for the
shipped corpus are built there, so every worker forked from it starts ready."""

from __future__ import annotations

import gc

from ..analyze.rules import engine
from . import worker  # noqa: F401  (the module the workers run)

engine(None)

# Keep the collector off what every worker shares: fewer pages copied on write, and
# collections in the workers scan only what each bill makes.
gc.freeze()
