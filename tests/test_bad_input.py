"""Bad input: one line that names the file and what to do, exit 2, never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from PIL import Image
from reportlab.pdfgen import canvas

from benchmarks.hostile import pdf_file  # the hostile benchmark's hand-made PDFs
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


def _page_tree_loop(path):
    # The page tree's only kid is the tree itself.
    pdf_file(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"], path
    )


def _flate_bomb(path):
    import zlib

    content = zlib.compress(b" " * (3 << 20), 9)  # 3 MB of nothing, over the 1 MB bound set
    pdf_file(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
            + content
            + b"\nendstream",
        ],
        path,
    )


def _too_long(path):
    path.write_text("SECTION 1. A city may not.\n" + "A county may not. " * 80_000)


CASES = [
    ("empty.pdf", lambda p, g: p.write_bytes(b""), "empty"),
    ("loop.pdf", lambda p, g: _page_tree_loop(p), "damaged"),
    ("bomb.pdf", lambda p, g: _flate_bomb(p), "too large once unpacked"),
    ("endless.txt", lambda p, g: _too_long(p), "characters, more than the limit"),
    ("notes.pdf", lambda p, g: p.write_text("just some notes"), "not a PDF"),
    ("truncated.pdf", _damaged, "damaged"),
    ("locked.pdf", lambda p, g: _encrypted(p), "encrypted"),
    ("scan.pdf", lambda p, g: _scanned(p), "ocrmypdf"),
    ("hello.txt", lambda p, g: p.write_text("hello world\nnothing here\n"), "no bill found"),
    ("blob.bin", lambda p, g: p.write_bytes(bytes(range(256)) * 8), "binary"),
    ("old.docx", lambda p, g: p.write_bytes(b"PK\x03\x04garbage"), "damaged"),
]


@pytest.fixture(autouse=True)
def small_bounds(monkeypatch):
    """Bounds low enough that a small generated file crosses them."""
    from lssc_legal.limits import limits

    monkeypatch.setenv("LSSC_MAX_UNPACKED_MB", "1")
    monkeypatch.setenv("LSSC_MAX_CHARS", "1000000")
    limits.cache_clear()
    yield
    limits.cache_clear()


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


# Every command that reads a bill, given the bad file: the same one line, nothing written.
COMMANDS = [
    ["analyze", "{bad}", "-o", "{out}/memo.md"],
    ["analyze", "{bad}", "-o", "{out}/memo.docx"],
    ["compare", "{bad}", "{good}", "-o", "{out}/redline.docx"],
    ["compare", "{good}", "{bad}", "--format", "json"],
    ["debug", "{bad}", "-o", "{out}/page.png"],
    ["read", "{bad}", "--all"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
@pytest.mark.parametrize(("name", "make", "says"), CASES, ids=[c[0] for c in CASES])
def test_every_command_says_one_line_and_writes_nothing(
    tmp_path, generated, name, make, says, command
):
    bad = tmp_path / name
    make(bad, generated)
    good, _ = generated["tx_hb_leave"]
    out = tmp_path / "out"
    out.mkdir()
    before = bad.read_bytes()
    args = [a.format(bad=bad, good=good, out=out) for a in command]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert name in lines[0]
    if command[0] != "debug" or name.endswith(".pdf"):
        assert says in lines[0]
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert bad.read_bytes() == before
    assert list(out.iterdir()) == []  # no partial output, no temporary file
