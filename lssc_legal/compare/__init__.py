"""Compare two versions of a bill.

    compare_bills(old, new, corpus=None) -> Comparison

sections.py aligns the sections (align.py) and diffs each pair word by word; provisions.py
pairs the preemption provisions of both versions and says what changed in each; series.py
groups a folder's files by bill and orders each bill's versions.
"""

from .sections import Context, Sequenced, compare_bills, sequence

__all__ = ["Context", "Sequenced", "compare_bills", "sequence"]
