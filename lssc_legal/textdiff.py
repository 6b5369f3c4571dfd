"""Word-level diffs with diff-match-patch (the one module that imports it), and difflib for
long, heavily rewritten texts.

Each word, space run and punctuation mark becomes one character, diff-match-patch diffs
those characters, and a light cleanup merges the result into the edits a lawyer reads:
one changed word is one change, and a lone "the" between two rewritten clauses is part of
the rewrite. (diff-match-patch's own semantic cleanup, run on word characters, swallows a
kept word beside an insertion: "may" becomes "or county may not".) The timeout is off:
diff-match-patch's default of one second silently answers "delete everything, insert
everything" on long texts.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from diff_match_patch import diff_match_patch

Op = tuple[str, str]  # ("equal" | "delete" | "insert", text)

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|\s+|[^\w\s]")
_OPS = {0: "equal", -1: "delete", 1: "insert"}


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Op]:
    """The edits that turn `old` into `new`, word by word."""
    table: dict[str, str] = {}
    words: list[str] = []

    def encode(text: str) -> str:
        out = []
        for tok in tokens(text):
            ch = table.get(tok)
            if ch is None:
                ch = chr(0xE000 + len(words))  # above the surrogates: any code point will do
                table[tok] = ch
                words.append(tok)
            out.append(ch)
        return "".join(out)

    a, b = encode(old), encode(new)
    if len(a) + len(b) > LONG:
        # A long section heavily rewritten (a committee substitute) costs diff-match-patch's
        # exact bisection minutes in pure Python; difflib's matching blocks take a fraction
        # of a second and keep about as many words (more, on the Florida bill measured:
        # benchmarks/compare.py). Either way the diff is exact: old and new are rebuilt.
        return _cleanup(_blocks(old, new))
    decode = {ch: tok for tok, ch in table.items()}
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    raw = [(_OPS[op], "".join(decode[c] for c in chars)) for op, chars in dmp.diff_main(a, b)]
    return _cleanup(raw)


LONG = 6000  # words, spaces and marks of the two texts together


def _blocks(old: str, new: str) -> list[Op]:
    """The edits by difflib's matching blocks over words, each word with the spaces after
    it (a space alone would match everywhere)."""
    a, b = _spaced_words(old), _spaced_words(new)
    raw: list[Op] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            raw.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            raw.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            raw.append(("insert", "".join(b[j1:j2])))
    return raw


def _spaced_words(text: str) -> list[str]:
    out: list[str] = []
    for tok in tokens(text):
        if tok.isspace() and out:
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _cleanup(raw: list[Op]) -> list[Op]:
    """Absorb into the surrounding change an equality of no words (a space, a comma), or of
    one word between changes of four words or more on each side."""
    # An equality is [text, words]; a change is [deleted, inserted, words of each]. Word
    # counts add up: what is joined is a stretch of one version's own text.
    groups: list[list[Any]] = []
    for op, text in raw:
        if op == "equal":
            groups.append([text, _words(text)])
        elif groups and len(groups[-1]) == 4:
            k = 0 if op == "delete" else 1
            groups[-1][k] += text
            groups[-1][2 + k] += _words(text)
        else:
            n = _words(text)
            groups.append([text, "", n, 0] if op == "delete" else ["", text, 0, n])
    # Left to right; after a merge, the equality just before it is read again (its
    # neighbour grew): the merges are those of always taking the leftmost that qualifies.
    i = 1
    while i < len(groups) - 1:
        eq, before, after = groups[i], groups[i - 1], groups[i + 1]
        if len(eq) == 2 and len(before) == 4 and len(after) == 4:
            n = eq[1]
            big = min(max(before[2], before[3]), max(after[2], after[3]))
            if n == 0 or (n == 1 and big >= 4):
                groups[i - 1 : i + 2] = [
                    [
                        before[0] + eq[0] + after[0],
                        before[1] + eq[0] + after[1],
                        before[2] + n + after[2],
                        before[3] + n + after[3],
                    ]
                ]
                i = max(1, i - 2)
                continue
        i += 1
    ops: list[Op] = []
    for g in groups:
        if len(g) == 2:
            ops.append(("equal", g[0]))
        else:
            ops += [(op, t) for op, t in (("delete", g[0]), ("insert", g[1])) if t]
    return ops


def similarity(ops: list[Op]) -> float:
    """Share of words the two texts have in common, in order (0 to 1): twice the words
    kept over the words of both, as difflib's ratio, counted in words not letters."""
    kept = sum(_words(t) for op, t in ops if op == "equal")
    total = sum(_words(t) for op, t in ops if op != "insert") + sum(
        _words(t) for op, t in ops if op != "delete"
    )
    return 2 * kept / total if total else 1.0


def word_tokens(text: str) -> list[str]:
    """The words of a text as `similarity` counts them (no spaces or punctuation)."""
    return [t for t in tokens(text) if t[0].isalnum()]


def _words(text: str) -> int:
    return len(word_tokens(text))
