"""The memo: Word and Markdown output read back, templates round-tripped, broken
templates refused with one clear line."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from lssc_legal.analyze import analyze_bill, pinpoint_range
from lssc_legal.billwriter import write_bill_file
from lssc_legal.cli import cli
from lssc_legal.ingest import read_bill
from lssc_legal.models import Provision, plain_reason
from lssc_legal.render.build import build
from lssc_legal.render.context import FIELDS, Header, flatten, memo_context
from lssc_legal.render.memo import (
    BUILTIN,
    memo_markdown,
    template_path,
    validate_template,
    write_memo,
)

from .conftest import HERE, SPECS, real

EXAMPLE = HERE.parent / "corpus" / "examples" / "tx_hb4312.pdf"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADINGS = [
    "Bottom line",
    "Summary of the bill",
    "Preemptive provisions",
    "The provisions and the home-rule principles",
    "Punitive provisions",
    "Savings clauses",
    "Also worth a look",
    "Findings on the bill as a whole",
    "Comparison with model language",
    "Recommended amendments",
    "The home-rule principles",
    "Method and limits",
]


@pytest.fixture(scope="module")
def example():
    return analyze_bill(read_bill(EXAMPLE))


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    d = docx.Document(str(path))
    return [(p.style.name if p.style is not None else "", p.text) for p in d.paragraphs]


def check_memo(path: Path, analysis) -> docx.document.Document:
    """What a lawyer checks first: headings, one table row per provision, every quote exact
    in a Quote paragraph with its pinpoint cited after it."""
    d = docx.Document(str(path))
    paras = [(p.style.name, p.text) for p in d.paragraphs]
    headings = [t for s, t in paras if s == "Heading 1"]
    assert headings == HEADINGS
    table = d.tables[0]
    heading = {"printed": "Pinpoint (printed page:line)", "counted": "Pinpoint (counted lines)"}
    pinpoints = heading.get(analysis.bill.pinpoints, "Pinpoint (page:line; some counted)")
    assert [c.text for c in table.rows[0].cells][:2] == ["Section", pinpoints]
    classified = [p for p in analysis.provisions if p.confidence == "high"]
    review = [p for p in analysis.provisions if p.confidence == "review"]
    assert len(table.rows) == len(classified) + 1
    quotes = [t for s, t in paras if s == "Quote"]
    texts = [t for _, t in paras]
    for i, p in enumerate(classified, 1):
        assert p.text in quotes, p.text
        pin = pinpoint_range(p.start, p.end)
        assert table.rows[i].cells[1].text == pin
        assert table.rows[i].cells[0].text == p.section
        at = texts.index(p.text)
        cite = texts[at + 1]
        assert cite.startswith("Cite: ") and cite.endswith(f"at {pin}"), cite
        if p.lead_in:
            assert texts[at - 1] == f"Lead-in: “{p.lead_in}”"
    # Review items: apart, after the savings clauses, each quoted with its pinpoint and why.
    start = texts.index("Also worth a look")
    listed = texts[start : texts.index("Findings on the bill as a whole")]
    for p in review:
        pin = pinpoint_range(p.start, p.end)
        at = next((i for i, t in enumerate(listed) if f"(at {pin};" in t and p.text in t), None)
        assert at is not None, p.text
        assert listed[at + 1] == f"Why listed: {plain_reason(p.rationale)}.", listed[at + 1]
    if review:
        assert any("could not be classified with confidence" in t for t in listed)
    if not review:
        assert any("Every passage the tool found" in t for t in listed)
    bottom = texts[texts.index("Bottom line") + 1]
    assert ("Also worth a look" in bottom) == bool(review), bottom
    if review:
        assert f"A further {len(review)} passage" in bottom
    assert not any("{{" in t or "{%" in t for t in texts), "a tag was left unrendered"
    # How the tool decided stays out of the body: it is in a comment on each quote.
    body = " ".join(texts[: texts.index("Method and limits")])
    for internal in ("(rule ", "Reviewer's note", "\u27e6", "negated modal", "F9"):
        assert internal not in body, internal
    comments = {c.text: c.author for c in d.comments}
    assert len(d.comments) == len(classified) + len(review)
    assert set(comments.values()) == {"lssc-legal (method)"}
    for p in analysis.provisions:
        assert any(text.endswith(f"(Provision {p.id} of the JSON output.)") for text in comments)
    return d


def test_memo_reads_back_with_every_quote_and_pinpoint(example, tmp_path):
    out = tmp_path / "memo.docx"
    write_memo(example, out, header=Header(to="State advocates", author="A. Lawyer"))
    d = check_memo(out, example)
    texts = [p.text for p in d.paragraphs]
    assert "TO:\tState advocates" in texts and "FROM:\tA. Lawyer" in texts
    assert any(t.startswith("RE:\tH.B. 4312, 89th Leg., Reg. Sess. (Tex. 2025)") for t in texts)
    header = " ".join(p.text for p in d.sections[0].header.paragraphs)
    assert "PRIVILEGED & CONFIDENTIAL" in header and "ATTORNEY WORK PRODUCT" in header
    footer = d.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert "H.B. 4312" in "".join(p.text for p in d.sections[0].footer.paragraphs)
    assert 'TOC \\o "1-2"' in d.element.xml


def test_memo_findings_amendments_and_redline_styles(example, tmp_path):
    out = tmp_path / "memo.docx"
    write_memo(example, out)
    d = docx.Document(str(out))
    texts = [p.text for p in d.paragraphs]
    # each finding's reason, and the bill-level findings, in the memo
    for f in example.findings:
        assert any(f.summary in t for t in texts), f.summary
    # amendments: struck and inserted runs carry the template's character styles
    styled = {
        (r.style.name, r.text)
        for p in d.paragraphs
        for r in p.runs
        if r.style is not None and r.style.name in ("Inserted Text", "Deleted Text")
    }
    for a in example.amendments:
        for span in a.redline:
            if span.mark != "unchanged":
                name = "Inserted Text" if span.mark == "inserted" else "Deleted Text"
                assert any(s == name and span.text.strip() in t for s, t in styled), span


def test_bottom_line_says_what_the_bill_does(example):
    ctx = memo_context(example)
    assert ctx["bottom_line"].startswith("H.B. 4312, 89th Leg., Reg. Sess. (Tex. 2025) would")
    assert "employment leave" in ctx["bottom_line"] and "immunity waived" in ctx["bottom_line"]
    assert "oppose unless amended" in ctx["recommendation"]


def test_fields_document_every_value_of_the_context(example):
    names = flatten(memo_context(example))
    aliases = {"preemptive[].": "provisions[].", "punitive[].": "provisions[]."}
    aliases |= {"savings[].": "provisions[].", "bill_findings[].": "findings[]."}
    normal = set()
    for n in names:
        for alias, to in aliases.items():
            if n.startswith(alias):
                n = to + n[len(alias) :]
        normal.add(n)
    assert normal == set(FIELDS)


def test_shipped_template_is_the_builders_output(tmp_path):
    fresh = tmp_path / "memo.docx"
    build(fresh)
    shipped = docx.Document(str(template_path("memo")))
    again = docx.Document(str(fresh))
    assert [(p.style.name, p.text) for p in shipped.paragraphs] == [
        (p.style.name, p.text) for p in again.paragraphs
    ]
    assert [[c.text for c in r.cells] for r in shipped.tables[0].rows] == [
        [c.text for c in r.cells] for r in again.tables[0].rows
    ]


def test_markdown_memo(example):
    md = memo_markdown(example, header=Header(to="Advocates"))
    assert md.startswith("**PRIVILEGED & CONFIDENTIAL")
    assert "**TO:** Advocates" in md
    for p in example.provisions:
        assert f"> {p.text}" in md
        assert f"| {p.section} | {pinpoint_range(p.start, p.end)} |" in md
    assert "~~ and may recover reasonable attorney's fees~~" not in md  # markers hug the words
    assert "~~and may recover reasonable attorney's fees~~" in md


SPEC_FILES = sorted(SPECS.glob("*.txt")) + sorted((HERE / "gold" / "written").glob("*.spec.txt"))


@pytest.mark.parametrize("spec", SPEC_FILES, ids=[s.stem for s in SPEC_FILES])
def test_memo_for_every_state_style(spec, tmp_path):
    pdf = tmp_path / f"{spec.stem}.pdf"
    write_bill_file(spec, pdf)
    analysis = analyze_bill(read_bill(pdf))
    out = tmp_path / "memo.docx"
    write_memo(analysis, out)
    check_memo(out, analysis)


@pytest.mark.parametrize("name", ["HB2207", "SB948", "HB1462", "HB2606"])
def test_memo_for_real_missouri_bills(name, tmp_path):
    pdf = real("IndigoW0lf__show-me-resistance-backend", "pdf", f"{name}.pdf")
    analysis = analyze_bill(read_bill(pdf))
    out = tmp_path / "memo.docx"
    write_memo(analysis, out)
    check_memo(out, analysis)


# -- CLI --------------------------------------------------------------------------------


def test_analyze_writes_the_memo(tmp_path):
    out = tmp_path / "memo.docx"
    r = CliRunner().invoke(
        cli, ["analyze", str(EXAMPLE), "-o", str(out), "--to", "Advocates", "--re", "HB 4312"]
    )
    assert r.exit_code == 0, r.output
    texts = [t for _, t in _paragraphs(out)]
    assert "TO:\tAdvocates" in texts and "RE:\tHB 4312" in texts
    assert not list(tmp_path.glob(".memo.docx.*")), "temporary file left behind"
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # not the temporary file's 0600


def test_analyze_md_and_json_to_files(tmp_path):
    md, js = tmp_path / "memo.md", tmp_path / "a.json"
    assert CliRunner().invoke(cli, ["analyze", str(EXAMPLE), "-o", str(md)]).exit_code == 0
    assert CliRunner().invoke(cli, ["analyze", str(EXAMPLE), "-o", str(js)]).exit_code == 0
    assert "# Technical Bill Analysis" in md.read_text()
    assert '"schema": "lssc-legal/analysis/1"' in js.read_text()


def test_config_file_fills_the_header(tmp_path, monkeypatch):
    cfg = tmp_path / "lssc.toml"
    cfg.write_text('[memo]\nauthor = "Counsel"\nto = "Coalition"\ncc = "File"\n')
    monkeypatch.setenv("LSSC_LEGAL_CONFIG", str(cfg))
    r = CliRunner().invoke(cli, ["analyze", str(EXAMPLE), "--format", "md"])
    assert r.exit_code == 0, r.output
    assert "**FROM:** Counsel" in r.output and "**CC:** File" in r.output
    r = CliRunner().invoke(cli, ["analyze", str(EXAMPLE), "--format", "md", "--to", "Mayor"])
    assert "**TO:** Mayor" in r.output  # the command line wins over the config file


@pytest.mark.parametrize(
    "args, text, message",
    [
        (["--format", "docx"], None, "give -o memo.docx"),
        (["-o", "memo.pdf"], None, "cannot tell the format"),
        (["--config", "missing.toml", "--format", "md"], None, "no such config file"),
        (["--config", "bad.toml", "--format", "md"], "[memo\n", "is not valid TOML"),
        (["--config", "bad.toml", "--format", "md"], "[memo]\nauthr = 1\n", "unknown key"),
        (["--template", "nope.docx", "-o", "m.docx"], None, "no such template"),
        (["--format", "md", "--template", str(template_path("memo"))], None, "Word template"),
        (["-o", "m.docx", "--template", str(template_path("memo-md"))], None, "not a Word"),
    ],
)
def test_analyze_option_errors_are_one_line(tmp_path, monkeypatch, args, text, message):
    monkeypatch.chdir(tmp_path)
    if text is not None:
        Path("bad.toml").write_text(text)
    r = CliRunner().invoke(cli, ["analyze", str(EXAMPLE), *args])
    assert r.exit_code != 0
    assert message in r.output
    assert "Traceback" not in r.output


def test_templates_list_and_fields():
    r = CliRunner().invoke(cli, ["templates", "list"])
    assert r.exit_code == 0 and all(name in r.output for name in BUILTIN)
    r = CliRunner().invoke(cli, ["templates", "fields"])
    assert r.exit_code == 0
    assert all(name in r.output for name in FIELDS)


def test_template_round_trip(tmp_path):
    """init, an edit in Word (here python-docx), validate, analyze --template."""
    mine = tmp_path / "firm.docx"
    r = CliRunner().invoke(cli, ["templates", "init", "memo", str(mine)])
    assert r.exit_code == 0, r.output
    d = docx.Document(str(mine))
    title = next(p for p in d.paragraphs if p.style.name == "Title")
    title.text = "Firm Bill Memo"
    d.add_paragraph("Prepared for the {{ bill.state_name }} coalition.")
    d.save(str(mine))
    r = CliRunner().invoke(cli, ["templates", "validate", str(mine)])
    assert r.exit_code == 0 and "ok" in r.output, r.output
    out = tmp_path / "memo.docx"
    r = CliRunner().invoke(cli, ["analyze", str(EXAMPLE), "-o", str(out), "--template", str(mine)])
    assert r.exit_code == 0, r.output
    texts = [t for _, t in _paragraphs(out)]
    assert texts[0] == "Firm Bill Memo"
    assert "Prepared for the Texas coalition." in texts
    # init will not overwrite a lawyer's edits
    r = CliRunner().invoke(cli, ["templates", "init", "memo", str(mine)])
    assert r.exit_code == 2 and "already exists" in r.output


BROKEN = [
    ("{{ p.qoute }}", "unknown field 'p'"),
    ("{%p for p in provisions %}{{ p.qoute }}{%p endfor %}", "did you mean 'quote'"),
    ("{{ bill.citaton }}", "did you mean 'citation'"),
    ("{{ bill.citation ", "not closed"),
    ("{{ bill.citation | }}", "broken tag"),
    ("{%p for x in provisions %}", "never closed"),
    ("{%p endif %}", "no matching"),
    ("{{ bill.__class__.__mro__ }}", "reach inside the tool"),
    ("{{ memo.to.__class__ }}", "reach inside the tool"),
    ("{{ cycler.__init__.__globals__ }}", "reach inside the tool"),
    ("{% include 'secrets.docx' %}", "may not include"),
]


# One of each family (an unknown field, a syntax error, a reach inside the tool) is also
# tried through `templates validate` and `analyze --template`: each analyzes the example.
THROUGH_THE_CLI = {"{{ bill.citaton }}", "{%p for x in provisions %}", "{{ memo.to.__class__ }}"}


@pytest.mark.parametrize("tag, message", BROKEN, ids=[t for t, _ in BROKEN])
def test_broken_templates_are_refused_with_their_place(tag, message, tmp_path, example):
    bad = tmp_path / "bad.docx"
    d = docx.Document(str(template_path("memo")))
    if "endfor" in tag and "for p" in tag:
        for part in ("{%p for p in provisions %}", "{{ p.qoute }}", "{%p endfor %}"):
            d.add_paragraph(part)
    else:
        d.add_paragraph(tag)
    d.save(str(bad))
    problems = [str(p) for p in validate_template(bad, example)]
    assert problems and any(message in p for p in problems), problems
    assert any("body paragraph" in p for p in problems), problems
    # The place names the heading above it, as the template's author sees it in Word.
    assert any("(after the heading 'How each provision was found')" in p for p in problems), (
        problems
    )
    if tag not in THROUGH_THE_CLI:
        return  # the library refuses it; the commands pass its message on (below)
    r = CliRunner().invoke(cli, ["templates", "validate", str(bad)])
    assert r.exit_code == 1 and message in r.output
    out = tmp_path / "memo.docx"
    r = CliRunner().invoke(cli, ["analyze", str(EXAMPLE), "-o", str(out), "--template", str(bad)])
    assert r.exit_code == 2, r.output
    lines = [line for line in r.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and str(bad) in lines[0], r.output
    assert "Traceback" not in r.output
    assert not out.exists() and not list(tmp_path.glob(".memo.docx.*"))


def test_not_a_docx_template(tmp_path):
    bad = tmp_path / "memo.docx"
    bad.write_text("not a zip")
    r = CliRunner().invoke(cli, ["templates", "validate", str(bad)])
    assert r.exit_code == 2 and "is not a Word .docx file" in r.output


def test_markdown_template_is_sandboxed_too(tmp_path, example):
    bad = tmp_path / "memo.md"
    bad.write_text("{{ bill.__class__ }}\n{{ bill.titel }}\n")
    problems = [str(p) for p in validate_template(bad, example)]
    assert problems and "reach inside the tool" in problems[0]
    bad.write_text("{{ bill.titel }}\n")
    problems = [str(p) for p in validate_template(bad, example)]
    assert problems == ["line 1: unknown field 'titel' in {{ bill.titel }} (did you mean 'title'?)"
                        "; see lssc-legal templates fields"]  # fmt: skip


@pytest.mark.skipif(not os.environ.get("LSSC_LIBREOFFICE"), reason="set LSSC_LIBREOFFICE=1")
def test_libreoffice_converts_the_memo(example, tmp_path):
    """Opt-in: LibreOffice (Debian's libreoffice-writer) opens the memo and lays it out."""
    import subprocess

    out = tmp_path / "memo.docx"
    write_memo(example, out)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert (tmp_path / "memo.pdf").stat().st_size > 10_000


@pytest.mark.parametrize(
    ("marks", "said"), [(False, "no markup printed"), (True, "partly amended")]
)
def test_a_bill_that_marks_nothing_is_not_called_existing_law(tmp_path, marks, said):
    """A text dump that lost its underlines, or a bill printed plain, says nothing of what is
    new: the memo's markup column says so, rather than "existing law"."""
    struck = " [or unpaid]" if marks else ""  # Texas brackets what it deletes
    path = tmp_path / "hb.txt"
    path.write_text(
        "H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\n"
        "SECTION 1. Sec. 1.001. LEAVE. A municipality may not adopt an ordinance requiring "
        f"paid{struck} leave.\nSECTION 2. This Act takes effect September 1, 2025.\n"
    )
    analysis = analyze_bill(read_bill(path))
    ctx = memo_context(analysis)
    assert [p["markup"] for p in ctx["provisions"]] == [said]
    # The appendix reads the stored analysis: the bill says whether it marks anything.
    from lssc_legal.appendix import row

    stored = analysis.to_dict()
    assert stored["bill"]["marked"] is marks
    got = row(stored["bill"], Provision.from_dict(stored["provisions"][0]))["markup"]
    assert got == ("amended" if marks else "no markup printed")
    stored["bill"].pop("marked")  # an analysis stored before "marked" existed
    assert row(stored["bill"], Provision.from_dict(stored["provisions"][0]))["markup"] != (
        "no markup printed"
    )


def test_section_by_section_says_what_each_section_does(example):
    """One line per bill section: what it does to the law, the statute and its catchline,
    its first operative sentence quoted, and the provisions found in it."""
    lines = {s["label"]: s["summary"] for s in memo_context(example)["bill_sections"]}
    assert lines == {
        "SECTION 1": "Enacts Sec. 250.0131 (REGULATION OF EMPLOYMENT LEAVE). “(a) A political "
        "subdivision may not adopt, enforce, or maintain an ordinance, order, rule, or policy "
        "that requires an employer to provide an employee paid or unpaid leave.” Provisions"
        ": express preemption (1), nullification (1), savings clause (1).",
        "SECTION 2": "Amends Sec. 250.001 (RESTRICTION ON REGULATION). “(a) A municipality or "
        "county may not adopt an ordinance regulating the scheduling of employees.” Provisions"
        ": express preemption (1), punitive preemption (3).",
        "SECTION 3": "Repeals section 250.002. “Section 250.002, Local Government Code, is "
        "repealed.” No provision found.",
        "SECTION 4": "Sets the effective date. “This Act takes effect September 1, 2025.” No "
        "provision found.",
    }


@pytest.mark.parametrize(
    ("instruction", "action"),
    [
        ("SECTION 2. NEW LAW A new section of law to be codified in the Oklahoma Statutes as "
         "Section 211 of Title 22, unless there is created a duplication in numbering, reads as "
         "follows:", "Enacts section 211 of Title 22."),
        ("Section 1. Section 166.0491, Florida Statutes, is created to read:",
         "Enacts section 166.0491."),
        ("SECTION 1. Tennessee Code Annotated, Section 7-51-2001, is amended by deleting",
         "Amends section 7-51-2001."),
        ("Section A. Sections 67.307 and 285.530, RSMo, are repealed and two new sections "
         "enacted in lieu thereof, to be known as sections 67.307 and 285.530, to read as "
         "follows:", "Repeals and reenacts sections 67.307 and 285.530."),
        ("Section 3. Section 9-500.50, Arizona Revised Statutes, is repealed.",
         "Repeals section 9-500.50."),
    ],
)  # fmt: skip
def test_a_sections_instruction_says_what_it_does_in_every_state(instruction, action):
    from lssc_legal.render.context import _section_line

    assert _section_line(instruction, instruction, None, []).startswith(action)


@pytest.mark.parametrize(
    ("markup", "spans", "new"),
    [
        ("inserted", [("A county may not levy a fee.", "inserted")], True),
        ("unchanged", [("A county may not levy a fee.", "unchanged")], False),
        # a figure rewritten: existing law amended, its penalty not new
        ("mixed", [("A civil penalty of ", "unchanged"), ("fifty thousand dollars", "deleted"),
                   ("$50,000", "inserted"), (" is imposed on the city for each violation.",
                                             "unchanged")], False),
        ("mixed", [("A city ", "unchanged"), ("that adopts a sanctuary policy shall pay a fine "
                   "of $25,500 for each day", "inserted"), (".", "unchanged")], True),
    ],
)  # fmt: skip
def test_a_provision_is_new_law_when_the_bill_writes_it(markup, spans, new):
    from lssc_legal.models import RedlineSpan
    from lssc_legal.render.context import mostly_new

    p = Provision.from_dict({
        "id": "P1", "kind": "punitive", "kinds": ["punitive"], "punitive": ["entity_liability"],
        "subjects": [], "targets": [], "effect": None, "markup": markup, "text": "x",
        "section": "SECTION 1", "start": {"page": 1, "line": 1}, "end": {"page": 1, "line": 2},
        "rules": [], "principles": [], "redline": [],
    })  # fmt: skip
    p = dataclasses.replace(p, redline=tuple(RedlineSpan(t, m) for t, m in spans))
    assert mostly_new(p) is new
