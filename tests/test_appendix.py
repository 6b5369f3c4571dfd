"""The amicus appendix: rows, filters, summary counts, and the Word, CSV and XLSX read back."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT
from lxml import etree
from openpyxl import load_workbook

from lssc_legal.appendix import (
    COLUMNS,
    Filters,
    _extent,
    build_appendix,
    context,
    row,
    summary,
)
from lssc_legal.batch.store import STORE_NAME, Store
from lssc_legal.cli import cli
from lssc_legal.models import MARKUP_WORDS, PREEMPTIVE, Provision
from lssc_legal.render.memo import template_path, validate_template

from .conftest import HERE, real

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def run(*args: str | Path):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def store(tmp_path_factory, generated) -> Path:
    folder = tmp_path_factory.mktemp("appendix") / "bills"
    folder.mkdir()
    for pdf, _ in generated.values():
        shutil.copy(pdf, folder)
    (folder / "broken.pdf").write_text("not a pdf")
    result = run("batch", folder, "--jobs", "2")
    assert result.exit_code == 3, result.stderr
    return folder / STORE_NAME


@pytest.fixture(scope="module")
def analyses(store: Path) -> list[dict]:
    with Store(store, readonly=True) as s:
        return list(s.analyses())


def expected_rows(analyses: list[dict], tier: str = "high") -> list[tuple[str, str]]:
    """(citation, quote) of every provision an appendix must list, by the contract: the
    classified live ones in its table ("high"), the classified ones the bill strikes apart
    ("repealed"), the review items apart ("review")."""
    return [
        (a["bill"]["citation"], p["text"])
        for a in analyses
        for p in a["provisions"]
        if set(p["kinds"]) & (PREEMPTIVE | {"punitive"})
        and p["confidence"] == ("high" if tier == "repealed" else tier)
        and (p["markup"] == "deleted") == (tier == "repealed")
    ]


# -- rows and filters -------------------------------------------------------------------

P = {
    "id": "P1", "kind": "express", "kinds": ["express", "punitive"], "punitive": ["official_fine"],
    "subjects": ["labor.wages"], "targets": ["municipality"], "effect": "prohibition",
    "markup": "inserted", "text": "A municipality may not adopt...", "section": "SECTION 2",
    "start": {"page": 1, "line": 20}, "end": {"page": 1, "line": 24}, "rules": ["r1"],
    "principles": ["P1"], "redline": [],
}  # fmt: skip
BILL = {"state": "TX", "citation": "H.B. 1, 89th Leg., Reg. Sess. (Tex. 2025)", "version": None,
        "year": 2025, "title": "relating to wages", "source": "hb1.pdf", "sha256": "ab" * 32,
        "format": "pdf", "pages": 3, "chamber": "H", "number": "1", "session": "89R"}  # fmt: skip


def analysis(bill: dict, *provisions: dict) -> dict:
    """An analysis as `lssc-legal analyze --json` writes it, cut to what the appendix reads."""
    return {"bill": bill, "provisions": list(provisions), "findings": []}


@pytest.mark.parametrize(
    ("filters", "changes", "admitted"),
    [
        (Filters(), {}, True),
        (Filters(), {"kinds": ["savings"], "kind": "savings"}, False),
        (Filters(savings=True), {"kinds": ["savings"], "kind": "savings"}, True),
        (Filters(), {"kinds": ["punitive"], "kind": "punitive"}, True),
        (Filters(states=["FL"]), {}, False),
        (Filters(states=["TX", "FL"]), {}, True),
        (Filters(kinds=["punitive"]), {}, True),  # any of its kinds
        (Filters(kinds=["field"]), {}, False),
        (Filters(subjects=["labor"]), {}, True),  # a subject takes its sub-subjects
        (Filters(subjects=["labor.leave"]), {}, False),
        (Filters(subjects=["lab"]), {}, False),  # not a prefix match on letters
        (Filters(penalties=["official_fine"]), {}, True),
        (Filters(penalties=["fee_shifting"]), {}, False),
    ],
)
def test_filters(filters: Filters, changes: dict, admitted: bool):
    made = build_appendix([analysis(BILL, {**P, **changes})], filters)
    assert len(made.rows) == admitted


def test_a_row_in_a_lawyers_words():
    r = row(BILL, Provision.from_dict(P))
    assert r["citation"] == "H.B. 1, 89th Leg., Reg. Sess. (Tex. 2025)"
    assert r["where"] == "SECTION 2, at 1:20-24"
    assert (r["kind"], r["kinds"]) == (
        "express preemption",
        "express preemption, punitive preemption",
    )
    assert (r["subjects"], r["penalties"]) == ("wages", "fines on local officials")
    assert (r["markup"], r["version"], r["state_name"]) == ("new", "version not printed", "Texas")
    unknown = row(
        {**BILL, "citation": None, "state": None},
        Provision.from_dict({**P, "subjects": [], "section": None}),
    )
    assert unknown["citation"] == "[citation not printed; file hb1.pdf]"
    assert unknown["subjects"] == "no subject named" and unknown["where"] == "at 1:20-24"
    assert _extent(4, 1) == "4 provisions in 1 bill" and _extent(1, 2) == "1 provision in 2 bills"
    assert set(MARKUP_WORDS.values()) == {"new", "existing", "struck", "amended"}
    assert {k for k, _ in COLUMNS} <= set(r)


def test_summary_counts():
    second = {**P, "id": "P2", "kind": "field", "kinds": ["field"], "punitive": [],
              "subjects": ["labor.wages", "firearms"]}  # fmt: skip
    fl = analysis({**BILL, "state": "FL", "sha256": "cd" * 32}, P)
    made = build_appendix([analysis(BILL, P, second), fl])
    s = summary(made)
    assert s["states"] == ["FL", "TX"]  # by state name
    by_subject = {x["name"]: (x["counts"], x["total"]) for x in s["subjects"]}
    assert by_subject == {"wages": (["1", "2"], "3"), "firearms": (["", "1"], "1")}
    assert (s["totals"], s["total"]) == (["1", "2"], "3")
    assert [(k["name"], k["count"], k["bills"]) for k in s["kinds"]] == [
        ("field preemption", "1", "1"), ("express preemption", "2", "2")
    ]  # fmt: skip
    assert [(m["name"], m["count"]) for m in s["penalties"]] == [("fines on local officials", "2")]


def test_a_bill_held_by_two_files_is_listed_once():
    a = analysis(BILL, P)
    assert len(build_appendix([a, a]).rows) == 1


# -- Word ------------------------------------------------------------------------------


def provisions_table(document):
    return next(t for t in document.tables if t.rows[0].cells[0].text == "Bill")


def footnotes(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/footnotes.xml"))
    return {
        n.get(f"{W}id"): "".join(n.itertext()).strip()
        for n in root.iter(f"{W}footnote")
        if int(n.get(f"{W}id")) > 0
    }


def test_word_appendix_one_row_per_provision_with_citations(store, analyses, tmp_path):
    out, csv_out, xlsx_out = tmp_path / "a.docx", tmp_path / "a.csv", tmp_path / "a.xlsx"
    result = run("appendix", "--store", store, "-o", out, "--csv", csv_out, "--xlsx", xlsx_out)
    assert result.exit_code == 0, result.stderr
    assert "warning: not read:" in result.stderr and "broken.pdf" in result.stderr
    want = expected_rows(analyses)
    review = expected_rows(analyses, "review")
    document = docx.Document(str(out))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Appendix: State Preemption of Local Authority"
    method = next(t for t in texts if t.startswith("This appendix lists"))
    assert f"{len(want)} provisions in" in method and "lssc-legal" in method
    assert "1 file could not be read" in method
    assert any("broken.pdf" in t for t in texts)
    # Review items: apart from the table, after it, each with why it was listed.
    assert "Also worth a look" in texts
    listed = [t for t in document.tables if [c.text for c in t.rows[0].cells][-1] == "Why listed"]
    if review:
        assert f"A further {len(review)} passage" in method
        [apart] = listed
        got_review = {(r.cells[0].text, r.cells[3].text.split(" … ")[-1]) for r in apart.rows[1:]}
        assert got_review == set(review)
        assert all("binds" in r.cells[4].text for r in apart.rows[1:])
    else:
        assert not listed
    # Provisions the bills strike: their own table, not counted with live preemption.
    repealed = expected_rows(analyses, "repealed")
    struck = [t for t in document.tables if [c.text for c in t.rows[0].cells][-1] == "Struck text"]
    assert "Provisions the bills repeal" in texts
    if repealed:
        [apart] = struck
        got = {(r.cells[0].text, r.cells[3].text.strip("\u201c\u201d")) for r in apart.rows[1:]}
        assert got == set(repealed)
        assert f"{len(repealed)} provision" in method and "that the bills strike" in method
    else:
        assert not struck

    table = provisions_table(document)
    body = table.rows[1:]
    states = [r for r in body if len({c._tc for c in r.cells}) == 1]
    rows = [r for r in body if len({c._tc for c in r.cells}) > 1]
    assert len(rows) == len(want)
    assert [s.cells[0].text.split(" (")[0] for s in states] == [
        "Arizona", "Florida", "Missouri", "North Carolina", "Oklahoma", "Pennsylvania",
        "Tennessee", "Texas",
    ]  # fmt: skip
    got = {(r.cells[0].text.split(" (")[0] + " (" + r.cells[0].text.split(" (")[1],
            r.cells[6].text.strip("\u201c\u201d")) for r in rows}  # fmt: skip
    assert got == {(c, q) for c, q in want}
    # each bill's first row carries a footnote reference; its note names the source file
    notes = footnotes(out)
    assert len(notes) == len({c for c, _ in want})
    refs = [r for r in rows if r.cells[0]._tc.findall(f".//{W}footnoteReference")]
    assert len(refs) == len(notes)
    for r in refs:
        ref = r.cells[0]._tc.find(f".//{W}footnoteReference").get(f"{W}id")
        cite = r.cells[0].text.split(" (")[0]
        assert notes[ref].startswith(cite) and "Source: " in notes[ref]
        assert ".pdf (PDF, " in notes[ref] and "SHA-256" in notes[ref]
    assert "\u27e6" not in "".join(c.text for r in rows for c in r.cells)  # no mark left

    matrix = document.tables[0]
    header = [c.text for c in matrix.rows[0].cells]
    assert header == ["Subject", "AZ", "FL", "MO", "NC", "OK", "PA", "TN", "TX", "Total"]
    last = [c.text for c in matrix.rows[-1].cells]
    assert last[0] == "All subjects" and last[-1] == str(len(want))

    with csv_out.open(encoding="utf-8-sig") as fh:
        records = list(csv.DictReader(fh))
    assert len(records) == len(want) + len(repealed) + len(review)
    table = [r for r in records if r["Listed under"] == "provisions"]
    assert {(r["Bill (Bluebook)"], r["Exact quote"]) for r in table} == set(want)
    struck = [r for r in records if r["Listed under"] == "repealed"]
    assert {(r["Bill (Bluebook)"], r["Exact quote"]) for r in struck} == set(repealed)
    assert {
        (r["Bill (Bluebook)"], r["Exact quote"]) for r in records if r["Tier"] == "review"
    } == set(review)
    assert records[0]["State"] == "AZ"

    wb = load_workbook(xlsx_out)
    assert wb.sheetnames == ["Provisions", *(["Repealed"] if repealed else []),
                             *(["Review"] if review else []), "Summary", "Sources",
                             "Method"]  # fmt: skip
    sheet = wb["Provisions"]
    assert sheet.max_row == len(want) + 1
    assert [c.value for c in sheet[1]][:3] == ["State", "Bill (Bluebook)", "Version"]
    assert wb["Sources"].max_row == len(notes) + 1


def test_filters_from_the_command_line(store, analyses, tmp_path):
    out = tmp_path / "tx.csv"
    result = run("appendix", "--store", store, "--state", "TX", "--kind", "punitive",
                 "--csv", out)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    with out.open(encoding="utf-8-sig") as fh:
        records = list(csv.DictReader(fh))
    assert records and all(r["State"] == "TX" and "punitive" in r["All kinds"] for r in records)
    nothing = tmp_path / "none.docx"
    result = run("appendix", "--store", store, "--state", "TX", "--subject", "immigration",
                 "-o", nothing)  # fmt: skip
    assert result.exit_code == 2 and "nothing written" in result.stderr
    assert not nothing.exists()


def test_appendix_from_files_uses_and_keeps_the_store(store, tmp_path):
    folder = store.parent
    out = tmp_path / "a.csv"

    def stamps() -> list[tuple[str, str]]:
        with Store(store, readonly=True) as s:
            return s.db.execute("SELECT sha256, analyzed_at FROM bills ORDER BY 1").fetchall()

    before = stamps()
    result = run("appendix", folder, "--csv", out)
    assert result.exit_code == 0, result.stderr
    assert stamps() == before  # every bill came from the store beside them
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(folder / "tx_hb_leave.pdf", fresh)
    again = run("appendix", fresh, "--csv", tmp_path / "b.csv")
    assert again.exit_code == 0, again.stderr
    assert not (fresh / STORE_NAME).exists()  # no store is made where there was none


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give -o appendix.docx, --csv FILE or --xlsx FILE"),
        (["-o", "a.pdf"], "must end in .docx"),
        (["--csv", "a.txt"], "must end in .csv"),
        (["--template", "missing.docx", "-o", "a.docx"], "no such template"),
    ],
)
def test_bad_appendix_options(store, args, message):
    result = run("appendix", "--store", store, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_the_appendix_template_is_a_template_lawyers_own(store, tmp_path, analyses):
    mine = tmp_path / "mine.docx"
    assert run("templates", "init", "appendix", mine).exit_code == 0
    from lssc_legal.render.memo import sample_analysis

    assert validate_template(mine, sample_analysis()) == []
    document = docx.Document(str(mine))
    document.paragraphs[0].runs[0].text = "{{ appendix.titel }}"
    document.save(str(mine))
    problems = validate_template(mine, sample_analysis())
    assert problems[0].message.startswith("unknown field 'titel'")
    result = run("appendix", "--store", store, "-o", tmp_path / "x.docx", "--template", mine)
    assert result.exit_code == 2 and "unknown field 'titel'" in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_shipped_appendix_template_is_the_builders_output(tmp_path):
    from lssc_legal.render.build import build_appendix

    fresh = tmp_path / "appendix.docx"
    build_appendix(fresh)
    shipped, again = docx.Document(str(template_path("appendix"))), docx.Document(str(fresh))
    assert [p.text for p in shipped.paragraphs] == [p.text for p in again.paragraphs]
    assert [[c.text for c in r.cells] for t in shipped.tables for r in t.rows] == [
        [c.text for c in r.cells] for t in again.tables for r in t.rows
    ]


def test_templates_list_init_and_fields_know_the_appendix(tmp_path, monkeypatch):
    assert "appendix" in run("templates", "list").stdout
    fields = run("templates", "fields", "appendix").stdout
    assert "groups[].bills[].rows[]" in fields and "memo.to" not in fields
    monkeypatch.chdir(tmp_path)
    assert run("templates", "init", "appendix").exit_code == 0
    assert (tmp_path / "appendix.docx").is_file()


def test_context_fields_are_documented(analyses):
    from lssc_legal.appendix import APPENDIX_FIELDS

    fields = context(build_appendix(analyses))
    roots = {name.split(".")[0].split("[")[0] for name in APPENDIX_FIELDS}
    assert roots == set(fields)
    assert set(fields["appendix"]) == {
        n.split(".")[1].removesuffix("[]") for n in APPENDIX_FIELDS if n.startswith("appendix.")
    }


# -- real bills ------------------------------------------------------------------------


def test_appendix_over_real_missouri_bills(tmp_path):
    pdfs = sorted(real("IndigoW0lf__show-me-resistance-backend", "pdf").glob("*.pdf"))[:15]
    folder = tmp_path / "mo"
    folder.mkdir()
    for f in pdfs:
        (folder / f.name).symlink_to(f)
    out = tmp_path / "mo.docx"
    result = run("appendix", folder, "-o", out, "--csv", tmp_path / "mo.csv")
    assert result.exit_code == 0, result.stderr
    with (tmp_path / "mo.csv").open(encoding="utf-8-sig") as fh:
        records = list(csv.DictReader(fh))
    assert records
    for r in records:
        assert r["State"] == "MO"
        assert r["Bill (Bluebook)"].endswith("102d Gen. Assemb., 2d Reg. Sess. (Mo. 2024)")
        assert r["Pinpoint (page:line)"][0].isdigit()
    document = docx.Document(str(out))
    rows = [r for r in provisions_table(document).rows[1:] if len({c._tc for c in r.cells}) > 1]
    assert len(rows) == len([r for r in records if r["Listed under"] == "provisions"])
    assert {r["Tier"] for r in records} <= {"high", "review"}
    # What the bills strike is listed apart, never in the table of live preemption.
    assert all(r["Markup"] != "struck" for r in records if r["Listed under"] == "provisions")
    assert {r["Listed under"] for r in records} <= {"provisions", "repealed", "review"}
    assert HERE.exists()


def test_no_output_is_written_when_another_cannot_be(store, tmp_path):
    out = tmp_path / "ok.docx"
    result = run("appendix", "--store", store, "-o", out, "--csv", tmp_path / "no" / "x.csv")
    assert result.exit_code == 1 and "its folder does not exist" in result.stderr
    assert not out.exists()


def test_a_file_that_is_not_a_bill_is_left_out_and_an_unknown_state_says_so():
    """Rows come only from bills: a file printing no state, number or citation (a model
    bill's web page) is left out and named in the method note; a bill whose state is not
    printed is grouped as "State unknown (file ...)"."""
    page = {**BILL, "state": None, "number": None, "citation": None, "source": "alec.txt",
            "sha256": "ef" * 32}  # fmt: skip
    stateless = {**BILL, "state": None, "source": "hb1.txt", "sha256": "cd" * 32}
    made = build_appendix([analysis(page, P), analysis(stateless, P), analysis(BILL, P)])
    assert made.not_bills == ["alec.txt"] and made.searched == 2
    fields = context(made)
    assert [g["state_name"] for g in fields["groups"]] == ["Texas", "State unknown (file hb1.txt)"]
    assert "(alec.txt) was left out as not a bill" in fields["appendix"]["method"]
    assert fields["appendix"]["not_bills"] == ["alec.txt"]


def test_a_provision_the_bill_strikes_is_listed_apart():
    struck = {**P, "id": "P2", "markup": "deleted"}
    made = build_appendix([analysis(BILL, P, struck)])
    assert [r["provision"] for r in made.rows] == ["P1"]
    assert [(r["provision"], r["listed"]) for r in made.repealed_rows] == [("P2", "repealed")]
    assert "that the bills strike is listed apart" in context(made)["appendix"]["method"]
