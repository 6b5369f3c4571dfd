"""Analyze: every provision of a bill that preempts, voids, punishes or saves local
authority, classified, quoted exactly and pinpointed, then weighed.

    analyze_bill(bill, corpus=None) -> Analysis

classify.py cuts the body into provisions (segment.py), reads each with the named patterns
(rules.py) and the structural reading (slots.py, codes.py), and classifies it; principles.py
weighs the provisions and model_language.py matches model language and proposes amendments.
"""

from ..models import pinpoint_range
from .classify import analyze_bill, enclosing_section, find_provisions, relocate, weigh_and_match

__all__ = [
    "analyze_bill", "enclosing_section", "find_provisions", "pinpoint_range", "relocate",
    "weigh_and_match",
]  # fmt: skip
