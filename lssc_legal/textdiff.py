"""Word-level diffs with diff-match-patch (the one module that imports it).

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
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    decode = {ch: tok for tok, ch in table.items()}
    raw = [(_OPS[op], "".join(decode[c] for c in chars)) for op, chars in dmp.diff_main(a, b)]
    return _cleanup(raw)


def _cleanup(raw: list[Op]) -> list[Op]:
    """Absorb into the surrounding change an equality of no words (a space, a comma), or of
    one word between changes of four words or more on each side."""
    groups: list[list[str] | str] = []  # an equality, or [deleted, inserted]
    for op, text in raw:
        if op == "equal":
            groups.append(text)
        elif groups and isinstance(groups[-1], list):
            groups[-1][0 if op == "delete" else 1] += text
        else:
            groups.append([text, ""] if op == "delete" else ["", text])
    changed = True
    while changed:
        changed = False
        for i in range(1, len(groups) - 1):
            eq, before, after = groups[i], groups[i - 1], groups[i + 1]
            if not isinstance(eq, str) or isinstance(before, str) or isinstance(after, str):
                continue
            n = _words(eq)
            big = min(
                max(_words(before[0]), _words(before[1])), max(_words(after[0]), _words(after[1]))
            )
            if n == 0 or (n == 1 and big >= 4):
                merged = [before[0] + eq + after[0], before[1] + eq + after[1]]
                groups[i - 1 : i + 2] = [merged]
                changed = True
                break
    ops: list[Op] = []
    for g in groups:
        if isinstance(g, str):
            ops.append(("equal", g))
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


def _words(text: str) -> int:
    return sum(1 for t in tokens(text) if t[0].isalnum())
