"""The CLI through click's CliRunner: results on stdout, messages on stderr."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from lssc_legal.cli import cli, main

from .conftest import HERE

EXAMPLE = HERE.parent / "corpus" / "examples" / "tx_hb4312.pdf"


def test_read_json_is_the_bill_contract():
    result = CliRunner().invoke(cli, ["read", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "lssc-legal/bill/1"
    assert data["citation"] == "H.B. 4312, 89th Leg., Reg. Sess. (Tex. 2025)"
    first = data["lines"][1]
    assert (first["page"], first["line"]) == (1, 1)
    assert any(s["mark"] == "deleted" for ln in data["lines"] for s in ln["spans"])


def test_read_text_shows_page_line_and_marks():
    result = CliRunner().invoke(cli, ["read", str(EXAMPLE)])
    assert result.exit_code == 0
    assert "1:8  {+Sec. 250.0131. REGULATION OF EMPLOYMENT LEAVE. (a) A+}" in result.stdout
    assert "[-[adopt]-]" in result.stdout
    assert result.stderr == ""


def test_read_markup_colours_a_terminal_and_writes_marks_when_piped():
    """In a terminal the marks are colours; piped or saved to a file they are written out,
    as the legend says ({+inserted+} [-deleted-]), never lost."""
    coloured = CliRunner().invoke(
        cli, ["read", str(EXAMPLE), "--format", "markup"], env={"FORCE_COLOR": "1"}
    )
    assert coloured.exit_code == 0
    assert "\x1b[" in coloured.stdout and "{+Sec. 250.0131" not in coloured.stdout
    piped = CliRunner().invoke(cli, ["read", str(EXAMPLE), "--format", "markup"])
    assert piped.exit_code == 0
    assert "\x1b[" not in piped.stdout
    assert "{+Sec. 250.0131. REGULATION OF EMPLOYMENT LEAVE. (a) A+}" in piped.stdout
    assert "[-[adopt]-]" in piped.stdout


def test_state_override(tmp_path):
    path = tmp_path / "bill.txt"
    path.write_text("SECTION 1. A city may [not] regulate.\nSECTION 2. Effective now.\n")
    plain = CliRunner().invoke(cli, ["read", str(path), "--format", "json"])
    texas = CliRunner().invoke(cli, ["read", str(path), "--format", "json", "--state", "TX"])
    marks = lambda r: {s["mark"] for ln in json.loads(r.stdout)["lines"] for s in ln["spans"]}  # noqa: E731
    assert "deleted" not in marks(plain)
    assert "deleted" in marks(texas)
    assert "could not be told" in plain.stderr


def test_debug_draws_png(tmp_path):
    out = tmp_path / "page.png"
    result = CliRunner().invoke(cli, ["debug", str(EXAMPLE), "--page", "1", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert Image.open(out).size[0] > 500
    assert "inserted" in result.stderr and "numbered" in result.stderr


def test_debug_draws_what_the_bill_decided(tmp_path):
    """The picture shows ingest's final decisions (furniture, marks after the state's
    conventions), which the steps return as new lines, not the lines as first read."""
    from lssc_legal.ingest.debug import draw_page
    from lssc_legal.ingest.read import read_bill

    bill, counts = draw_page(EXAMPLE, 1, tmp_path / "page.png")
    assert counts["furniture"] == sum(f.page == 1 for f in bill.furniture) == 2
    words = {
        mark: sum(bill.text[s.start : s.end].count(" ") + 1 for s in bill.spans if s.mark == mark
                  and bill.pinpoint(s.start).page == 1)
        for mark in ("inserted", "deleted")
    }  # fmt: skip
    assert counts["inserted"] > 0 and counts["deleted"] > 0  # Texas brackets: a convention
    assert counts["deleted"] <= words["deleted"] + 2  # brackets are counted as words
    assert read_bill(EXAMPLE).text == bill.text


def test_debug_page_out_of_range(tmp_path):
    result = CliRunner().invoke(
        cli, ["debug", str(EXAMPLE), "--page", "9", "-o", str(tmp_path / "x.png")]
    )
    assert result.exit_code == 2
    assert "there is no page 9" in result.stderr


def test_write_bill(tmp_path):
    out = tmp_path / "ok.pdf"
    spec = HERE / "fixtures" / "specs" / "ok_sb_wage.txt"
    result = CliRunner().invoke(cli, ["write-bill", str(spec), "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        assert command.help and "Example:" in command.help, name


def test_main_takes_an_argument_list(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert "lssc-legal" in capsys.readouterr().out


def test_state_override_keeps_the_state_the_bill_names():
    result = CliRunner().invoke(cli, ["read", str(EXAMPLE), "--format", "json", "--state", "PA"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["state"] == "TX"
    assert "names itself a TX bill" in result.stderr


def test_unknown_state_and_folder_are_one_line_errors(tmp_path):
    bad = CliRunner().invoke(cli, ["read", str(EXAMPLE), "--state", "ZZ"])
    folder = CliRunner().invoke(cli, ["read", str(tmp_path)])
    for result, says in ((bad, "is not a state"), (folder, "is a folder")):
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1 and says in result.stderr


def test_analyze_json_follows_the_contract():
    result = CliRunner().invoke(cli, ["analyze", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "lssc-legal/analysis/1"
    first = data["provisions"][0]
    assert set(first) >= {
        "id",
        "kind",
        "kinds",
        "punitive",
        "subjects",
        "targets",
        "effect",
        "markup",
        "text",
        "redline",
        "section",
        "start",
        "end",
        "rules",
    }
    assert first["text"].startswith("A political subdivision may not adopt, enforce, or maintain")
    assert (first["start"], first["section"]) == (
        {"page": 1, "line": 8},
        "SECTION 1, Sec. 250.0131(a)",
    )
    kinds = [p["kind"] for p in data["provisions"]]
    assert kinds == [
        "express",
        "nullification",
        "savings",
        "express",
        "punitive",
        "punitive",
        "punitive",
    ]


def test_analyze_table_and_markdown():
    table = CliRunner().invoke(cli, ["analyze", str(EXAMPLE)])
    md = CliRunner().invoke(cli, ["analyze", str(EXAMPLE), "--format", "md"])
    assert table.exit_code == md.exit_code == 0
    assert "7 provisions" in table.stdout and "SECTION 1, Sec. 250.0131(a)" in table.stdout
    assert "### SECTION 2, Sec. 250.001(b): punitive preemption" in md.stdout
    # Each finding says which rule fired, in the method annex, not in the body.
    body, method = md.stdout.split("## Method and limits")
    assert "punitive.ag_enforcement" in method and "(rule " not in body
    assert "7 findings against the home-rule principles" in table.stdout


def _commands(group, prefix=""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix}{name} ")


def test_every_command_has_an_example_and_is_in_the_cli_reference():
    docs = (Path(__file__).parent.parent / "docs" / "cli.md").read_text()
    for name, command in _commands(cli):
        assert "Example" in (command.help or ""), name
        top = name.split()[0]
        assert f"lssc-legal {top}" in docs, name
        if " " in name:
            assert name.split()[1] in docs, name
