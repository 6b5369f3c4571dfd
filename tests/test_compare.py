"""compare: generated version series, the real Missouri companions, the redline read back
(its tracked changes, and the text after Accept All and Reject All), and the CLI."""

from __future__ import annotations

import dataclasses
import itertools
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from lssc_legal.billwriter import write_bill_file
from lssc_legal.cli import cli
from lssc_legal.compare import compare_bills, sequence
from lssc_legal.compare.align import _heaviest_in_order, _key, units
from lssc_legal.compare.series import compare_folder
from lssc_legal.corpusdir import corpus_dir
from lssc_legal.ingest import read_bill
from lssc_legal.ingest.files import bill_files
from lssc_legal.models import Comparison, ProvisionChange
from lssc_legal.render.redline import write_redline

from .conftest import real
from .docx_review import NS, W, document, redline_paragraphs, reviewed, revisions, settings

SERIES = Path(__file__).parent / "fixtures" / "versions" / "tx_hb2127"
MO = ("IndigoW0lf__show-me-resistance-backend", "pdf")


@pytest.fixture(scope="module")
def series(hb2127: list[Path]) -> list[Path]:
    """The four versions of the generated H.B. 2127, drawn as Texas prints them."""
    return hb2127


@pytest.fixture(scope="module")
def steps(series: list[Path]) -> list[Comparison]:
    bills = [read_bill(p) for p in series]
    return [compare_bills(a, b) for a, b in itertools.pairwise(bills)]


def _changes(c: Comparison) -> list[tuple[str, str, ProvisionChange]]:
    return [(x.type, x.aspect, p) for p in c.provisions for x in p.changes]


def _one(c: Comparison, kind: str, aspect: str) -> ProvisionChange:
    found = [p for t, a, p in _changes(c) if t == kind and a == aspect]
    assert len(found) == 1, _changes(c)
    return found[0]


# -- what changed in the provisions -----------------------------------------------------


def test_committee_substitute_narrows_the_field_and_adds_a_penalty(steps):
    c = steps[0]
    assert c.old.meta.version == "introduced" and c.new.meta.version == "committee substitute"
    narrowed = _one(c, "narrowed", "subjects")
    assert narrowed.old.kind == narrowed.new.kind == "field"
    assert narrowed.new.section == "SECTION 1, Sec. 250.0131(a)"
    change = narrowed.changes[0]
    assert set(change.before) == {"labor.wages", "labor.leave", "labor.scheduling"}
    assert change.after == ("labor.leave",)
    assert "now only employment leave" in change.summary
    penalty = _one(c, "penalty_added", "penalties")
    assert penalty.old is None and penalty.status == "added"
    assert penalty.new.section == "SECTION 2, Sec. 250.001(b)"
    assert "official_fine" in penalty.changes[0].after
    # pinpoints in both versions: the narrowed field sits at 1:8 in each
    assert (narrowed.old.start.page, narrowed.old.start.line) == (1, 8)
    assert str(narrowed.new.start) in narrowed.summary
    assert len(_changes(c)) == 2  # nothing else changed


def test_engrossed_strikes_a_savings_clause_and_moves_a_section(steps):
    c = steps[1]
    struck = _one(c, "broadened", "savings")
    assert struck.status == "changed"  # printed in both, struck in the new one
    assert struck.old.markup == "unchanged" and struck.new.markup == "deleted"
    assert struck.new.section == "SECTION 4, Sec. 229.001(b)"
    assert "Savings clause struck" in struck.summary
    assert len(_changes(c)) == 1
    moved = [s for s in c.sections if s.status == "moved"]
    assert [s.new.section for s in moved] == ["SECTION 3", "SECTION 3, Sec. 250.005"]
    assert [s.old.section for s in moved] == ["SECTION 4", "SECTION 4, Sec. 250.005"]
    assert all(s.renumbered for s in moved)
    # the section that stayed in place but changed number
    firearms = [s for s in c.sections if s.new and s.new.section == "SECTION 4, Sec. 229.001"]
    assert firearms[0].status == "changed" and firearms[0].renumbered


def test_enrolled_adds_a_section_and_renumbers_the_last(steps):
    c = steps[2]
    assert not [p for p in c.provisions if p.status != "unchanged"]
    added = [s.new.section for s in c.sections if s.status == "added"]
    assert added == ["SECTION 5", "SECTION 5, Sec. 250.006"]
    last = c.sections[-1]
    assert (last.old.section, last.new.section, last.status) == (
        "SECTION 5",
        "SECTION 6",
        "unchanged",
    )
    assert last.renumbered
    reworded = next(s for s in c.sections if s.new and s.new.section == "SECTION 3, Sec. 250.005")
    assert reworded.status == "changed" and (reworded.inserted, reworded.deleted) == (2, 1)
    changed = [(op.op, op.text.strip(), str(op.at)) for op in reworded.diff if op.op != "equal"]
    assert changed == [("delete", "annually", "2:4"), ("insert", "each year", "2:4")]


def test_one_changed_word_is_one_change(steps):
    """Word-level diffs inside aligned sections: never "whole section replaced"."""
    for c in steps:
        for s in c.sections:
            if s.status == "changed":
                assert s.similarity > 0.5, s


def test_the_same_bill_compares_unchanged(series):
    bill = read_bill(series[0])
    c = compare_bills(bill, bill)
    assert c.similarity == 1.0
    assert {s.status for s in c.sections} == {"unchanged"}
    assert {p.status for p in c.provisions} == {"unchanged"}


def test_json_contract(steps):
    data = json.loads(json.dumps(steps[0].to_dict()))
    assert data["schema"] == "lssc-legal/comparison/1"
    assert data["old"]["version"] == "introduced"
    assert data["section_counts"]["changed"] >= 1
    kinds = {c["type"] for p in data["provisions"] for c in p["changes"]}
    assert kinds == {"narrowed", "penalty_added"}
    added = next(p for p in data["provisions"] if p["status"] == "added")
    assert added["old"] is None and added["new"]["start"] == {"page": 1, "line": 20}
    ops = [op for s in data["sections"] for op in s["diff"] if op["op"] != "equal"]
    assert all("at" in op for op in ops)


# -- the redline ------------------------------------------------------------------------


@pytest.mark.parametrize("step", [0, 1, 2])
def test_redline_accepts_to_the_new_version_and_rejects_to_the_old(series, tmp_path, step):
    old, new = read_bill(series[step]), read_bill(series[step + 1])
    c, seq = sequence(old, new)
    out = tmp_path / "redline.docx"
    write_redline(c, seq, out, author="J. Doe")
    assert reviewed(out, accept=True) == [p for u in units(new) for p in u.text.split("\n")]
    assert reviewed(out, accept=False) == [p for u in units(old) for p in u.text.split("\n")]
    marks = revisions(out)
    assert marks
    assert all(m.get(f"{{{W}}}author") == "J. Doe" and m.get(f"{{{W}}}date") for m in marks)
    assert settings(out).find("w:trackRevisions", NS) is not None


def test_redline_marks_each_kind_of_change(series, tmp_path):
    old, new = read_bill(series[1]), read_bill(series[2])
    c, seq = sequence(old, new)
    out = tmp_path / "redline.docx"
    write_redline(c, seq, out)
    root = document(out)
    tags = {t: len(root.findall(f".//w:{t}", NS)) for t in ("ins", "del", "moveFrom", "moveTo")}
    assert all(tags.values()), tags
    struck = "".join(t.text for d in root.iter(f"{{{W}}}del") for t in d.iter(f"{{{W}}}delText"))
    assert "This section does not affect the authority of a municipality" in struck
    # a move is one named range at each end
    starts = {e.get(f"{{{W}}}name") for e in root.iter(f"{{{W}}}moveFromRangeStart")}
    ends = {e.get(f"{{{W}}}name") for e in root.iter(f"{{{W}}}moveToRangeStart")}
    assert starts == ends and len(starts) == 2
    # the front: the plain statement first, then the change-summary table
    text = [p.xpath("string(.)") for p in root.findall(".//w:body/w:p", NS)]
    assert text[0].startswith("Redline: H.B. 2127 (committee substitute) to H.B. 2127 (engrossed)")
    assert any(t.startswith("Savings clause struck") for t in text)
    table = root.findall(".//w:tbl", NS)[0]
    first = ["".join(c.itertext()) for c in table.findall("w:tr", NS)[1].findall("w:tc", NS)]
    assert first[0] == "Savings clause struck" and "SECTION 4, Sec. 229.001(b) at 2:" in first[2]
    # comments say where moved text came from
    import zipfile

    with zipfile.ZipFile(out) as z:
        comments = z.read("word/comments.xml").decode()
    assert "Moved here from SECTION 4, Sec. 250.005" in comments
    # and beside the changed provision, what changed in it, anchored on its paragraph
    root_comments = {
        c.get(f"{{{W}}}id"): "".join(c.itertext())
        for c in etree.fromstring(comments.encode()).iter(f"{{{W}}}comment")
    }
    anchored = {
        start.get(f"{{{W}}}id"): start.getparent().xpath("string(.)")
        for start in root.iter(f"{{{W}}}commentRangeStart")
    }
    struck = [k for k, v in root_comments.items() if v.startswith("Savings clause struck")]
    assert len(struck) == 1
    assert anchored[struck[0]].startswith("(b) This section does not affect the authority")
    assert redline_paragraphs(out)


# -- alignment units --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("SECTION 2", "2"),
        ("Sec. 250.0131", "250.0131"),
        ("§ 21.750", "21.750"),
        ("Section A", "a"),
        ("§ 41-194.01", "41-194.01"),
    ],
)
def test_section_keys(label, key):
    assert _key(label) == key


@pytest.mark.parametrize(
    ("order", "words", "kept"),
    [
        ([0, 1, 2, 3], [5, 5, 5, 5], {0, 1, 2, 3}),
        ([1, 0, 2], [5, 50, 5], {1, 2}),  # the small section moved, not the large one
        ([1, 0, 2], [50, 5, 5], {0, 2}),
        ([3, 0, 1, 2], [10, 10, 10, 10], {1, 2, 3}),
        ([], [], set()),
    ],
)
def test_sections_in_place_hold_the_most_words(order, words, kept):
    assert _heaviest_in_order(order, words) == kept


def test_units_read_the_enacted_text(tmp_path):
    spec = tmp_path / "b.txt"
    spec.write_text(
        "state: TX\nchamber: house\nnumber: 1\n---\n"
        "SECTION 1. Section 1.001, Code, is amended to read as follows:\n"
        "Sec. 1.001. RULE. (a) A municipality {-may-} {+may not+} adopt an ordinance "
        "{-if the ordinance is consistent with state law-}.\n"
        "> (b) This section applies to a county.\n"
    )
    pdf = tmp_path / "b.pdf"
    write_bill_file(spec, pdf)
    found = units(read_bill(pdf))
    assert [u.label for u in found] == ["Caption", "SECTION 1", "SECTION 1, Sec. 1.001"]
    assert found[2].text == (
        "Sec. 1.001. RULE.\n(a) A municipality may not adopt an ordinance.\n"
        "(b) This section applies to a county."
    )


# -- real companions --------------------------------------------------------------------


@pytest.mark.parametrize(("house", "senate"), [("HB2606", "SB1418"), ("HB2207", "SB1487")])
def test_house_and_senate_layouts_of_one_text_compare_as_the_same(tmp_path, house, senate):
    """Times with struck brackets against Courier with shaded brackets, different pages and
    line breaks: the same text, so nearly unchanged."""
    old = read_bill(real(*MO, f"{house}.pdf"))
    new = read_bill(real(*MO, f"{senate}.pdf"))
    c, seq = sequence(old, new)
    assert c.similarity >= 0.99
    assert not [s for s in c.sections if s.status in ("added", "removed", "moved")]
    # the bills differ in the caption (number, sponsor) and a few words of drafting style
    changed = sum(s.inserted + s.deleted for s in c.sections)
    assert changed < 0.02 * sum(u.words for u in units(old))
    assert {x.type for p in c.provisions for x in p.changes} <= {"reworded"}
    assert len(c.provisions) >= 3
    out = tmp_path / "r.docx"
    write_redline(c, seq, out)
    assert reviewed(out, accept=True) == [p for u in units(new) for p in u.text.split("\n")]
    assert reviewed(out, accept=False) == [p for u in units(old) for p in u.text.split("\n")]


def test_a_repeal_against_a_reenactment_with_penalties():
    """H.B. 1462 strikes the firearms preemption of § 21.750; S.B. 948 keeps it and adds
    penalties on officials: the preemption is back in force and penalties are new."""
    c = compare_bills(read_bill(real(*MO, "HB1462.pdf")), read_bill(real(*MO, "SB948.pdf")))
    types = [x.type for p in c.provisions for x in p.changes]
    assert "penalty_added" in types
    field = next(p for p in c.provisions if p.new and p.new.kind == "field")
    assert field.old.markup == "deleted" and field.new.markup != "deleted"
    assert field.changes[0].type == "added" and "the old version struck it" in field.summary


# -- a folder of versions ---------------------------------------------------------------


def test_folder_groups_and_orders_versions(series, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    # names that sort against the legislative order
    for path, name in zip(series, ["d.pdf", "c.pdf", "b.pdf", "a.pdf"], strict=True):
        shutil.copy(path, folder / name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "notes.txt").write_text("minutes of the meeting\n")
    result = compare_folder(bill_files([folder]), read_bill)
    assert len(result.series) == 1
    s = result.series[0]
    assert [v.path.name for v in s.versions] == ["d.pdf", "c.pdf", "b.pdf", "a.pdf"]
    assert [v.stage for v in s.versions] == [
        "introduced", "committee substitute", "engrossed", "enrolled",
    ]  # fmt: skip
    assert len(s.steps) == 3
    # a damaged PDF and a text that is no bill are reported with their reasons
    assert [p.name for p, _ in result.failed] == ["broken.pdf", "notes.txt"]
    assert all(p.name in reason for p, reason in result.failed)


# -- CLI --------------------------------------------------------------------------------


def test_cli_compare_table_json_md_and_docx(series, tmp_path):
    runner = CliRunner()
    a, b = str(series[0]), str(series[1])
    table = runner.invoke(cli, ["compare", a, b])
    assert table.exit_code == 0, table.output
    assert "Penalty added" in table.output and "Narrowed" in table.output
    # Piped (CliRunner is not a terminal): the redline keeps word boundaries in markers.
    assert "{+" in table.output and "+}" in table.output
    assert "[-" in table.output and "-]" in table.output
    data = json.loads(runner.invoke(cli, ["compare", a, b, "--format", "json"]).output)
    assert data["schema"] == "lssc-legal/comparison/1"
    md = runner.invoke(cli, ["compare", a, b, "--format", "md"]).output
    assert md.startswith("# Redline: H.B. 2127 (introduced) to H.B. 2127 (committee substitute)")
    assert "**A municipal official who votes" in md
    out = tmp_path / "r.docx"
    result = runner.invoke(cli, ["compare", a, b, "-o", str(out), "--author", "J. Doe"])
    assert result.exit_code == 0, result.output
    assert revisions(out)[0].get(f"{{{W}}}author") == "J. Doe"


def test_the_redline_author_is_the_configured_author_or_the_user(series, tmp_path, monkeypatch):
    """Without --author, tracked changes are by the config file's author, else by the user
    signed in to the computer: never by the tool."""
    a, b = str(series[0]), str(series[1])
    config = tmp_path / "lssc-legal.toml"
    config.write_text('[memo]\nauthor = "Jane Doe, Senior Counsel"\n')
    monkeypatch.setenv("LSSC_LEGAL_CONFIG", str(config))
    out = tmp_path / "r.docx"
    assert CliRunner().invoke(cli, ["compare", a, b, "-o", str(out)]).exit_code == 0
    assert revisions(out)[0].get(f"{{{W}}}author") == "Jane Doe, Senior Counsel"
    monkeypatch.setenv("LSSC_LEGAL_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.chdir(tmp_path / "..")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr("getpass.getuser", lambda: "jdoe")
    out.unlink()
    result = CliRunner().invoke(cli, ["compare", a, b, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert revisions(out)[0].get(f"{{{W}}}author") == "jdoe"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "{a}"], "give two versions"),
        (["compare", "{a}", "{b}", "{a}"], "give two versions"),
        (["compare", "{a}", "{b}", "--format", "docx"], "needs a file"),
        (["compare", "{a}", "{b}", "-o", "{tmp}/r.txt"], "cannot tell the format"),
        (["compare", "{a}", "{tmp}/missing.pdf"], "missing.pdf: no such file"),
        (["compare", "--batch", "{a}"], "is not a folder"),
        (["compare", "--batch", "{tmp}/nosuch"], "nosuch: no such folder"),
        (["compare", "--batch", "{tmp}/empty"], "holds no bill files"),
        (["compare", "--batch", "{tmp}", "{tmp}"], "takes one folder"),
    ],
)
def test_cli_compare_errors(series, tmp_path, args, message):
    (tmp_path / "empty").mkdir()
    args = [x.format(a=series[0], b=series[1], tmp=tmp_path) for x in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.txt").exists()


def test_cli_compare_batch_writes_a_report_and_a_redline_per_pair(series, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in series[:3]:
        shutil.copy(path, folder / path.name)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["compare", "--batch", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "1_introduced--2_committee_substitute.redline.docx",
        "2_committee_substitute--3_engrossed.redline.docx",
        "report.docx", "report.json", "report.md",
    ]  # fmt: skip
    from docx import Document

    doc = Document(str(out / "report.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["H.B. 2127 (Tex. 2025)"]
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[1][0].startswith("1_introduced.pdf") and rows[1][1].startswith("2_committee")
    assert "Penalty added" in rows[1][2] and "Savings clause struck" in rows[2][2]
    assert rows[2][3].endswith("2_committee_substitute--3_engrossed.redline.docx")
    data = json.loads((out / "report.json").read_text())
    assert [len(b["comparisons"]) for b in data["bills"]] == [2]
    # without -o: the table on the terminal
    shown = CliRunner().invoke(cli, ["compare", "--batch", str(folder)])
    assert "H.B. 2127 (Tex. 2025): 3 versions" in shown.output


# -- provision changes, by hand ---------------------------------------------------------


def _prov(kind="express", subjects=("labor.leave",), targets=("municipality",), punitive=(),
          effect="prohibition", text="A municipality may not adopt an ordinance on leave."):  # fmt: skip
    from lssc_legal.models import Pinpoint, Provision

    return Provision(
        id="P1", kind=kind, kinds=(kind,), punitive=tuple(punitive), subjects=tuple(subjects),
        targets=tuple(targets), effect=effect, markup="inserted", text=text, redline=(),
        section="SECTION 1(a)", start=Pinpoint(1, 3), end=Pinpoint(1, 4), rules=(),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({}, {"kind": "field"}, [("kind_changed", "broader")]),
        ({}, {"kind": "nullification"}, [("kind_changed", "same reach")]),
        ({"kind": "field"}, {"kind": "conflict"}, [("kind_changed", "narrower")]),
        ({}, {"subjects": ("labor.leave", "firearms")}, [("broadened", "firearms")]),
        (
            {},
            {"subjects": ("labor.wages",)},
            [("broadened", "wages"), ("narrowed", "employment leave")],
        ),
        ({}, {"targets": ("municipality", "county")}, [("broadened", "counties")]),
        (
            {"kind": "savings", "effect": None},
            {"kind": "savings", "effect": None, "targets": ("municipality", "county")},
            [("narrowed", "savings clause now also protects counties")],
        ),
        ({}, {"effect": "ceiling"}, [("effect_changed", "narrower")]),
        (
            {
                "kind": "punitive",
                "punitive": ("official_fine",),
                "text": "An official is liable for a fine of $5,000.",
            },
            {
                "kind": "punitive",
                "punitive": ("official_fine",),
                "text": "An official is liable for a fine of $50,000.",
            },
            [("penalty_changed", "$5,000 became $50,000")],
        ),
        (
            {
                "kind": "punitive",
                "punitive": ("official_fine",),
                "text": "A fine of one thousand dollars.",
            },
            {
                "kind": "punitive",
                "punitive": ("official_fine", "fee_shifting"),
                "text": "A fine of one thousand dollars.",
            },
            [("penalty_added", "attorney-fee shifting")],
        ),
        (
            {},
            {"text": "A municipality may not adopt any ordinance on leave."},
            [("reworded", "read the redline")],
        ),
        ({}, {}, []),
    ],
)
def test_what_changed_in_a_provision(old, new, expected):
    from lssc_legal.compare.provisions import _changed

    class NoContext:
        def tail(self, p, old):
            return ""

    change = _changed(_prov(**old), _prov(**new), NoContext())
    got = [(c.type, c.summary) for c in change.changes]
    assert [t for t, _ in got] == [t for t, _ in expected], got
    for (_, summary), (_, words) in zip(got, expected, strict=True):
        assert words in summary, summary
    assert change.status == ("changed" if expected else "unchanged")


def test_a_comparison_without_preemption_says_so_once(tmp_path):
    """Two versions with no preemption provision: the Markdown and the Word redline say
    "Neither version has a provision ..." once, not once more as a note."""
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    body = "H.B. No. 1\nBE IT ENACTED BY THE LEGISLATURE OF THE STATE OF TEXAS:\nSECTION 1. {}\n"
    old.write_text(body.format("The board shall meet monthly."))
    new.write_text(body.format("The board shall meet quarterly."))
    r = CliRunner().invoke(cli, ["compare", str(old), str(new), "--format", "md"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.lower().count("neither version has a provision") == 1, r.stdout
    out = tmp_path / "redline.docx"
    r = CliRunner().invoke(cli, ["compare", str(old), str(new), "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    text = "".join(document(out).itertext()).lower()
    assert text.count("neither version has a provision") == 1


def test_compare_batch_and_batch_take_the_same_files(tmp_path):
    """One answer for which files of a folder are bills: subfolders searched, Missouri's
    .md texts taken, hidden files and Word lock files left out."""
    for name in ["b.pdf", "~$b.docx", ".old.pdf", "notes.md", "sub/a10.txt", "sub/a9.txt", "x.csv"]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    got = [p.relative_to(tmp_path.resolve()).as_posix() for p in bill_files([tmp_path])]
    assert got == ["b.pdf", "notes.md", "sub/a9.txt", "sub/a10.txt"]


def test_a_long_rewritten_section_is_diffed_exactly():
    """Past textdiff.LONG tokens the word diff is difflib's matching blocks (its speed is
    benchmarks/compare.py's): still an exact diff, the kept and deleted text the old
    version, the kept and inserted the new."""
    import random

    from lssc_legal import textdiff

    rng = random.Random(7)
    words = [
        "a",
        "county",
        "may",
        "not",
        "adopt",
        "or",
        "enforce",
        "an",
        "ordinance",
        "that",
        "regulates",
        "the",
        "fee",
        "tax",
    ]
    old = "\n".join(" ".join(rng.choice(words) for _ in range(25)) + "." for _ in range(160))
    lines = old.split("\n")
    new = "\n".join(
        line if rng.random() < 0.4 else " ".join(rng.sample(line.split(), 10)) for line in lines
    )
    assert len(textdiff.tokens(old)) + len(textdiff.tokens(new)) > textdiff.LONG
    ops = textdiff.word_diff(old, new)
    assert "".join(t for op, t in ops if op != "insert") == old
    assert "".join(t for op, t in ops if op != "delete") == new
    assert 0.3 < textdiff.similarity(ops) < 0.9


def test_numbered_stages_order_within_their_stage(tmp_path):
    """Florida prints "committee substitute 2" and "engrossed 1": the stage decides, then
    its number, and a substitute comes before the engrossed bill whatever the file names."""
    from lssc_legal.compare.series import Version, _ordered_by

    def version(name: str, printed: str) -> Version:
        bill = read_bill(corpus_dir() / "examples" / "tx_hb4312.pdf")
        meta = dataclasses.replace(bill.meta, version=printed)
        return Version(tmp_path / name, dataclasses.replace(bill, meta=meta))

    found = [version("z.pdf", "committee substitute 2"), version("a.pdf", "engrossed 1"),
             version("m.pdf", "committee substitute 1"), version("b.pdf", "introduced")]  # fmt: skip
    ordered = sorted(found, key=Version.order)
    assert [v.stage for v in ordered] == [
        "introduced",
        "committee substitute 1",
        "committee substitute 2",
        "engrossed 1",
    ]
    assert _ordered_by(ordered) == "by the version each file prints"
    same = [version("a.pdf", "engrossed"), version("b.pdf", "engrossed")]
    assert "where two print the same" in _ordered_by(same)


@pytest.mark.parametrize(
    ("changes", "verdict"),
    [
        ([("broadened", "subjects"), ("narrowed", "targets")],
         "Mixed: broader in subjects; narrower in local governments reached"),
        ([("broadened", "subjects"), ("broadened", "targets")],
         "Broadened (subjects, local governments reached)"),
        ([("narrowed", "kind"), ("penalty_added", "penalties")], "Narrowed (kind); Penalty added"),
        ([("narrowed", "savings")], "Savings clause added"),
        ([("broadened", "subjects"), ("narrowed", "subjects")], "Scope changed (subjects)"),
    ],
)  # fmt: skip
def test_one_verdict_per_provision_with_its_aspects(changes, verdict):
    """Never "Broadened; Narrowed": one verdict, and the aspects it rests on."""
    from lssc_legal.models import Change, ProvisionChange
    from lssc_legal.render.comparison import change_labels

    p = ProvisionChange("changed", None, None, 0.9, tuple(Change(t, a, "") for t, a in changes), "")
    assert change_labels(p) == verdict


@pytest.mark.parametrize(
    ("old", "new", "headline"),
    [
        (  # narrower in one aspect, broader in another: one verdict, each clause once
            {"subjects": ("labor.leave", "labor.wages")},
            {"targets": ("municipality", "county")},
            "Mixed: no longer reaches wages; now also binds counties: ",
        ),
        (  # alone, a narrowing says what is left
            {"subjects": ("labor.leave", "labor.wages")},
            {},
            "Narrowed: no longer reaches wages; now only employment leave: ",
        ),
        (  # a subject let go and another taken in
            {},
            {"subjects": ("labor.wages",)},
            "Scope changed: now also reaches wages; no longer reaches employment leave: ",
        ),
    ],
)  # fmt: skip
def test_a_provisions_scope_changes_read_as_one_sentence(old, new, headline):
    from lssc_legal.compare.provisions import _changed

    class NoContext:
        def tail(self, p, old):
            return ""

    change = _changed(_prov(**old), _prov(**new), NoContext())
    assert change.summary.startswith(headline), change.summary
