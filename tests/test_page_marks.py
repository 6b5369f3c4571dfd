"""How drawn shapes become marks on words, as a table of examples (page.py)."""

from __future__ import annotations

import pytest

from lssc_legal.ingest.page import PageData, PWord, classify_shape, lay_out_words

# A 12-point line of text whose word boxes run from top 100 to bottom 113 (the baseline
# near 110); words at x 100-140, 145-200, 205-260.
WORDS = [("alpha", 100, 140), ("beta", 145, 200), ("gamma", 205, 260)]


def _page(*shapes):
    words = [PWord(t, x0, x1, 100.0, 113.0) for t, x0, x1 in WORDS]
    marks = [m for m in shapes if m is not None]
    return PageData(1, 612, 792, words, marks)


def rule(x0, x1, y, h=0.7, grey=0.0):
    return classify_shape(
        x0,
        y,
        x1,
        y + h,
        filled=True,
        stroked=False,
        fill_grey=grey,
        stroke_grey=None,
        source="rect",
    )


def shade(x0, x1, top, bottom, grey=0.83):
    return classify_shape(
        x0,
        top,
        x1,
        bottom,
        filled=True,
        stroked=False,
        fill_grey=grey,
        stroke_grey=None,
        source="rect",
    )


CASES = [
    # (what, shapes, marks of alpha/beta/gamma)
    (
        "strike through the middle of two words",
        [rule(100, 200, 106)],
        ["deleted", "deleted", "unchanged"],
    ),
    (
        "underline just under the baseline",
        [rule(145, 260, 111.5)],
        ["unchanged", "inserted", "inserted"],
    ),
    (
        "grey shading behind a word",
        [shade(144, 201, 99, 114)],
        ["unchanged", "deleted", "unchanged"],
    ),
    (
        "a rule well below the line is a border, not an underline",
        [rule(100, 260, 120)],
        ["unchanged"] * 3,
    ),
    ("a rule above the words (a heading rule) is nothing", [rule(100, 260, 95)], ["unchanged"] * 3),
    (
        "a full-width rule mostly over empty space is not a mark",
        [rule(60, 560, 111.5)],
        ["unchanged"] * 3,
    ),
    (
        "a white box (white-out) is not shading",
        [shade(144, 201, 99, 114, grey=1.0)],
        ["unchanged"] * 3,
    ),
    ("a black box is not shading", [shade(144, 201, 99, 114, grey=0.0)], ["unchanged"] * 3),
    ("a thick bar (4 pt) is not a rule", [rule(100, 260, 104, h=4)], ["unchanged"] * 3),
    (
        "strike and underline: deletion wins",
        [rule(100, 140, 106), rule(100, 140, 111.5)],
        ["deleted", "unchanged", "unchanged"],
    ),
]


@pytest.mark.parametrize(("what", "shapes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_marks_on_words(what, shapes, expected):
    lines = lay_out_words(_page(*shapes))
    assert [t.mark for t in lines[0].tokens] == expected


def test_a_mark_starting_inside_a_word_marks_only_its_letters():
    word = PWord("1996[,", 100, 136, 100, 113)
    word.char_x = [(100 + 6 * i, 106 + 6 * i) for i in range(6)]
    page = PageData(1, 612, 792, [word], [m for m in [shade(124, 137, 99, 114)] if m])
    tokens = lay_out_words(page)[0].tokens
    assert [(t.text, t.mark, t.glued) for t in tokens] == [
        ("1996", "unchanged", False),
        ("[,", "deleted", True),
    ]


MARGIN = [
    # (first words of lines as (text, x0, x1), numbers taken)
    ([("1", 60, 66), ("2", 60, 66), ("3", 60, 66)], [1, 2, 3]),
    ([("9", 64, 70), ("10", 58, 70), ("11", 58, 70)], [9, 10, 11]),  # right-aligned
    ([("15", 100, 112)], [None]),  # a lone number in the text: "15 days"
]


@pytest.mark.parametrize(("numbers", "expected"), MARGIN)
def test_margin_numbers(numbers, expected):
    words = []
    for i, (text, x0, x1) in enumerate(numbers):
        top = 100 + 20 * i
        words += [
            PWord(text, x0, x1, top, top + 13),
            PWord("text", 100 if x1 < 90 else 118, 160, top, top + 13),
        ]
    lines = lay_out_words(PageData(1, 612, 792, words, []))
    assert [ln.number for ln in lines] == expected


def test_the_mark_index_finds_what_a_scan_of_every_mark_finds():
    """`MarkIndex` checks a word only against the marks beside it: on random pages it
    answers as the scan of every mark does (rules, tall shaded boxes, words in between)."""
    import random

    from lssc_legal.ingest.page import MarkIndex, PMark, needs_char_boxes

    rng = random.Random(7)
    for _ in range(200):
        marks = []
        for _ in range(rng.randint(0, 12)):
            x0, top = rng.uniform(0, 500), rng.uniform(0, 700)
            tall = rng.choice([0.5, 1.0, rng.uniform(5, 40)])
            shape = "rule" if tall < 2 else "shade"
            marks.append(PMark(x0, top, x0 + rng.uniform(2, 200), top + tall, shape))
        index = MarkIndex(marks)
        for _ in range(30):
            x0, top = rng.uniform(0, 500), rng.uniform(0, 700)
            word = PWord("w", x0, x0 + rng.uniform(5, 60), top, top + 10, False)
            assert index.needs_char_boxes(word) == needs_char_boxes(word, marks)
