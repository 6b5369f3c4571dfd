"""Analyze: every provision of a bill that preempts, voids, punishes or saves local
authority, classified, quoted exactly and pinpointed, then weighed.

    analyze_bill(bill, corpus=None) -> Analysis

classify.py cuts the body into provisions (segment.py), reads each with the named patterns
(rules.py) and the structural reading (slots.py, codes.py), and classifies it; principles.py
weighs the provisions and model_language.py matches model language and proposes amendments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..models import pinpoint_range

if TYPE_CHECKING:
    from .classify import (
        analyze_bill,
        enclosing_section,
        find_provisions,
        relocate,
        weigh_and_match,
    )

__all__ = [
    "analyze_bill", "enclosing_section", "find_provisions", "pinpoint_range", "relocate",
    "weigh_and_match",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    """The stage's face is loaded when first asked for: classify.py loads spaCy (about a
    second), which a module reading only `analyze.principles` or `analyze.codes` (the memo,
    the report) does not need."""
    if name in __all__ and name != "pinpoint_range":
        from . import classify

        return getattr(classify, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
