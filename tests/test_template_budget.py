"""Hostile templates: each stops within a second or two with one line that names the template
and the tag, instead of running for minutes, eating gigabytes or printing the tool's insides;
a legitimate template renders exactly as it did."""

from __future__ import annotations

import re
import time
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from lssc_legal.analyze import analyze_bill
from lssc_legal.cli import cli
from lssc_legal.errors import TemplateError
from lssc_legal.ingest import read_bill
from lssc_legal.render import sandbox as budget
from lssc_legal.render.context import memo_context
from lssc_legal.render.memo import (
    memo_markdown,
    sandbox,
    template_path,
    validate_template,
    write_memo,
)
from lssc_legal.render.sandbox import BudgetedSandbox

from .conftest import HERE

EXAMPLE = HERE.parent / "corpus" / "examples" / "tx_hb4312.pdf"
FAST = 5.0  # seconds, generous for a loaded machine: before the budget these took minutes
BIG = "{% set s = 'x' * 1000000 %}"  # one MB: allowed alone, not multiplied

# (id, template, what the message must say after the tag). Before the budget: range(10**8)
# and the recursions were "internal error"s, the nested loops, lipsum and 10**(10**10) ran
# for minutes, 'x' * 10**9 and [0] * 10**9 ended in MemoryError after taking 5-8 GB, and
# {{ cycler }} printed "<class 'jinja2.utils.Cycler'>" into the memo.
HOSTILE = [
    ("huge range", "{% for i in range(10**8) %}{% endfor %}",
     r"\{% for i in range\(10\*\*8\) %\} counts 100,000,000 numbers with range\(\); a template may count to 10,000"),
    ("nested range(100000)", "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
     r"counts 100,000 numbers with range\(\)"),
    ("nested loops", "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
     r"\{% for i in range\(10000\) %\} \{% for j in range\(10000\) %\} loops more than 1,0\d\d,\d{3} times"),
    ("string times 1e9", "{{ 'x' * 10**9 }}",
     r"\{\{ 'x' \* 10\*\*9 \}\} `\*` would make 1,000,000,000 more characters, past the 4,\d{3},\d{3} this render may build in all"),
    ("list times 1e9", "{{ [0] * 10**9 }}", r"`\*` would make a list of 1,000,000,000 items, past the"),
    ("bytes times 1e9", "{{ 'ab'.encode() * 10**9 }}", r"`\*` would make 2,000,000,000 more characters"),
    ("big exponent", "{{ 2 ** 100000 }}", r"`\*\*` would make a number of about 30,103 digits; a template may use numbers of up to 100 digits"),
    ("10**10**10", "{{ 10**10**10 }}", r"`\*\*` would make a number of about 101 digits"),  # Jinja: (10**10)**10
    ("10**(10**10)", "{{ 10**(10**10) }}", r"`\*\*` would make a number of about 10,000,000,001 digits"),
    ("float overflow", "{{ 1.5 ** 10000 }}", r"makes a number too large to compute \(Numerical result out of range\)"),
    ("lipsum", "{{ lipsum(100000) }}", r"unknown field 'lipsum' in \{\{ lipsum\(100000\) \}\}"),
    ("bare cycler", "{{ cycler }}", r"\{\{ cycler \}\} writes a function, not text"),
    ("cycler as string", "{{ cycler|string }}", r"\|string gets a function, not text"),
    ("recursive macro", "{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}",
     r"\{\{ r\(n \+ 1\) \}\} \{\{ r\(0\) \}\} calls macros more than 50 deep"),
    ("recursive loop", "{% for x in [[1]] recursive %}{{ loop([x]) }}{% endfor %}", r"calls macros more than 50 deep"),
    ("doubling by macro", "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}{% endmacro %}{{ d('x', 45) }}",
     r"`~` would make [\d,]+ more characters, past the"),
    ("output past the limit", BIG + "{% for i in range(10000) %}{{ s }}{% endfor %}",
     r"\{\{ s \}\} writes more than 4,\d{3},\d{3} characters, the most this render may write"),
    ("list of one MB strings", BIG + "{{ [s] * 1000 }}", r"writes more than 4,\d{3},\d{3} characters of text"),
    ("join of one MB strings", BIG + "{{ ([s] * 1000)|join }}", r"\|join would make 1,000,00\d,\d{3} more characters"),
    ("tojson of one MB strings", BIG + "{{ ([s] * 1000)|tojson }}", r"\|tojson gets more than 4,\d{3},\d{3} characters of text"),
    ("replace amplifies", BIG + "{{ s|replace('x', s) }}", r"\|replace would make 1,000,000,000,000 more characters"),
    ("center width", "{{ 'x'|center(10**9) }}", r"\|center would make 1,000,000,000 more characters"),
    ("format width", "{{ '{:>1000000000}'.format('x') }}", r"format would make 1,000,000,0\d\d more characters"),
    ("printf width", "{{ '%*s' % (10**9, 'x') }}", r"`%` would make 1,000,000,0\d\d more characters"),
    ("division by zero", "{{ 1/0 }}", r"\{\{ 1/0 \}\} fails \(division by zero\)"),
    ("brackets too deep", "{{ " + "(" * 200 + "1" + ")" * 200 + " }}", r"brackets nested too deeply"),
]  # fmt: skip


@pytest.fixture(scope="module")
def example():
    return analyze_bill(read_bill(EXAMPLE))


def _docx_with(tmp_path: Path, tag: str) -> Path:
    """The built-in memo with one more paragraph: `tag`."""
    bad = tmp_path / "bad.docx"
    d = docx.Document(str(template_path("memo")))
    d.add_paragraph(tag)
    d.save(str(bad))
    return bad


def _refused(render, path: Path, expected: str) -> str:
    start = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        render()
    elapsed = time.monotonic() - start
    line = caught.value.line()
    assert elapsed < FAST, f"took {elapsed:.1f} s: {line}"
    assert "\n" not in line and caught.value.message.strip(), line
    assert line.startswith(f"{path}: "), line
    assert re.search(expected, caught.value.message), line
    assert "internal error" not in line and " ()" not in line, line  # "rendered ()"
    return caught.value.message


@pytest.mark.parametrize("tag, expected", [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_markdown_template_fails_fast(tag, expected, tmp_path, example):
    bad = tmp_path / "bad.md"
    bad.write_text(f"# Memo\n\n{tag}\n")
    message = _refused(lambda: memo_markdown(example, bad), bad, expected)
    assert message.startswith("line 3: "), message
    problems = [str(p) for p in validate_template(bad, example)]
    assert len(problems) == 1 and problems[0].startswith("line 3: "), problems
    assert re.search(expected, problems[0]), problems


@pytest.mark.parametrize("tag, expected", [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_word_template_fails_fast(tag, expected, tmp_path, example):
    bad = _docx_with(tmp_path, tag)
    out = tmp_path / "memo.docx"
    message = _refused(lambda: write_memo(example, out, bad), bad, expected)
    assert message.startswith("body paragraph "), message
    assert not out.exists()


@pytest.mark.parametrize(
    "tag, expected",
    [
        ("{% for i in range(10**8) %}{% endfor %}", "counts 100,000,000 numbers"),
        (
            "{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}{{ r(0) }}",
            "calls macros more than 50 deep",
        ),
        ("{{ 'x' * 10**9 }}", "would make 1,000,000,000 more characters"),
        ("{{ cycler }}", "{{ cycler }} writes a function, not text"),
    ],
    ids=["range", "recursion", "x-times-1e9", "cycler"],
)
def test_cli_reports_hostile_templates_in_one_line(tag, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("t.md").write_text(tag + "\n")
    r = CliRunner().invoke(cli, ["templates", "validate", "t.md"])
    assert r.exit_code == 1, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("t.md: line 1: ") and expected in lines[0]
    r = CliRunner().invoke(cli, ["analyze", str(EXAMPLE), "--format", "md", "--template", "t.md"])
    assert r.exit_code == 2, r.output
    errors = [line for line in r.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: t.md: line 1: "), r.output
    assert expected in errors[0]
    assert "internal error" not in r.output and "Traceback" not in r.output


NORMAL = """\
{% macro item(p) %}{{ p.section }} ({{ p.pinpoint }}){% endmacro %}\
{% set j = joiner('; ') %}\
{{ bill.citation|upper }}: {{ provisions|length }} provisions, {{ counts.preemptive * 2 }} preemptive.
{% for p in provisions[:2] %}{{ loop.index }}/{{ loop.length }}. {{ item(p) }}{{ ',' if not loop.last }}
{% endfor %}\
{{ provisions[:2]|map(attribute='section')|join(' and ') }} {{ '%s-%03d' % ('HB', 7) }} \
{{ '{}/{}'.format(1, 2) }} {{ 2 ** 10 }} {{ 'ab' * 3 }} {{ 'a' ~ 1 }} {{ range(3)|list }} \
{{ [1, 2, 3]|sum }} {{ dict(a=1) }}
{% for n in [[1, [2]], 3] recursive %}{% if n is iterable %}[{{ loop(n) }}]{% else %}{{ j() }}{{ n }}{% endif %}{% endfor %}
{% filter title %}dear {{ memo.to or 'counsel' }}{% endfilter %}
"""


def test_a_legitimate_template_renders_as_before(tmp_path, example):
    """Loops, macros, joiner, filters, `*`, `**`, `%`, `~`, range and a recursive loop: all
    within the budget, and the text is what Jinja always made of them."""
    mine = tmp_path / "mine.md"
    mine.write_text(NORMAL)
    fields = memo_context(example)
    first, second = fields["provisions"][:2]
    assert memo_markdown(example, mine) == (
        f"{fields['bill']['citation'].upper()}: {len(fields['provisions'])} provisions, "
        f"{fields['counts']['preemptive'] * 2} preemptive.\n"
        f"1/2. {first['section']} ({first['pinpoint']}),\n"
        f"2/2. {second['section']} ({second['pinpoint']})\n"
        f"{first['section']} and {second['section']} HB-007 1/2 1024 ababab a1 [0, 1, 2] 6 "
        "{'a': 1}\n"
        "[1[; 2]]; 3\n"
        f"{('dear ' + (fields['memo']['to'] or 'counsel')).title()}\n"
    )
    assert validate_template(mine, example) == []


def test_the_built_in_templates_render_within_the_budget(tmp_path, example):
    assert "## Bottom line" in memo_markdown(example)
    write_memo(example, tmp_path / "memo.docx")
    assert (
        docx.Document(str(tmp_path / "memo.docx")).paragraphs[0].text == "Technical Bill Analysis"
    )


def test_the_limits_grow_with_the_fields():
    """A thousand-page bill's memo may write more than a hostile template on a short one."""
    small, large = budget.Budget({"quote": "x"}), budget.Budget({"quote": "x" * 1_000_000})
    assert small.max_text < 4_100_000 < 12_000_000 <= large.max_text
    assert large.max_iterations > small.max_iterations + 900_000
    assert large.max_seconds >= small.max_seconds + 9
    fields = {"quote": "x" * 1_000_000}
    env = sandbox()
    env.start(fields)
    text = env.from_string("{% for i in range(6) %}{{ quote }}{% endfor %}").render(fields)
    assert len(text) == 6_000_000  # more than the base 4 MB: the fields pay for it


def test_wall_time_is_bounded(tmp_path, example, monkeypatch):
    monkeypatch.setattr(budget, "MAX_SECONDS", 0.05)
    monkeypatch.setattr(budget, "SECONDS_PER_MILLION_FIELD_CHARS", 0.0)
    bad = tmp_path / "slow.md"
    bad.write_text("{% for i in range(10000) %}{% for j in range(90) %}{% endfor %}{% endfor %}\n")
    message = _refused(lambda: memo_markdown(example, bad), bad, "takes more than 0.05 seconds")
    assert message.startswith("line 1: {% for i in range(10000) %}"), message


def test_python_errors_become_one_line(tmp_path, example, monkeypatch):
    """RecursionError and MemoryError, should a template get past the budget to them, name
    the template and the tag, never an empty reason."""
    monkeypatch.setattr(budget, "MAX_DEPTH", 1_000_000)
    bad = tmp_path / "deep.md"
    bad.write_text("{% macro r(n) %}{{ r(n + 1) }}{% endmacro %}\n{{ r(0) }}\n")
    _refused(
        lambda: memo_markdown(example, bad),
        bad,
        r"^line 1: .* calls macros or loops within loops too deeply",
    )

    def no_memory(self, *args):
        raise MemoryError

    monkeypatch.setattr(BudgetedSandbox, "budget_range", no_memory)
    bad.write_text("{{ range(3)|list }}\n")
    _refused(
        lambda: memo_markdown(example, bad),
        bad,
        r"^line 1: \{\{ range\(3\)\|list \}\} needs more memory",
    )
    word = _docx_with(tmp_path, "{{ range(3)|list }}")
    _refused(lambda: write_memo(example, tmp_path / "m.docx", word), word,
             r"^body paragraph \d+ .*: \{\{ range\(3\)\|list \}\} needs more memory")  # fmt: skip
