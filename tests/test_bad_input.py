"""Bad input: one line that names the file and what to do, exit 2, never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from PIL import Image
from reportlab.pdfgen import canvas

from lssc_legal.cli import cli


def _scanned(path):
    img = path.with_suffix(".png")
    Image.new("RGB", (200, 100), "white").save(img)
    c = canvas.Canvas(str(path))
    c.drawImage(str(img), 50, 500, 400, 200)
    c.showPage()
    c.save()


def _encrypted(path):
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(100, 700, "SECTION 1. A municipality may not adopt an ordinance.")
    c.showPage()
    c.save()


def _damaged(path, generated):
    pdf, _ = generated["tx_hb_leave"]
    path.write_bytes(pdf.read_bytes()[:1500])


CASES = [
    ("empty.pdf", lambda p, g: p.write_bytes(b""), "empty"),
    ("notes.pdf", lambda p, g: p.write_text("just some notes"), "not a PDF"),
    ("truncated.pdf", _damaged, "damaged"),
    ("locked.pdf", lambda p, g: _encrypted(p), "encrypted"),
    ("scan.pdf", lambda p, g: _scanned(p), "ocrmypdf"),
    ("hello.txt", lambda p, g: p.write_text("hello world\nnothing here\n"), "no bill found"),
    ("blob.bin", lambda p, g: p.write_bytes(bytes(range(256)) * 8), "binary"),
    ("old.docx", lambda p, g: p.write_bytes(b"PK\x03\x04garbage"), "damaged"),
]


@pytest.mark.parametrize(("name", "make", "says"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_clear_line(tmp_path, generated, name, make, says):
    path = tmp_path / name
    make(path, generated)
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["read", str(path)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert name in lines[0] and says in lines[0]
    assert "Traceback" not in result.output
    assert path.read_bytes() == before  # inputs are never modified


def test_missing_file(tmp_path):
    result = CliRunner().invoke(cli, ["read", str(tmp_path / "nope.pdf")])
    assert result.exit_code == 2
    assert "nope.pdf: no such file" in result.stderr


def test_debug_writes_nothing_when_it_fails(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("SECTION 1. A municipality may not adopt an ordinance.\n")
    out = tmp_path / "page.png"
    result = CliRunner().invoke(cli, ["debug", str(notes), "-o", str(out)])
    assert result.exit_code == 2
    assert "debug draws PDF pages only" in result.stderr
    assert not out.exists() and not list(tmp_path.glob(".page.png*"))
