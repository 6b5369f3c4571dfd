"""Bounds on one input: each refuses in one line, before the work, and can be raised."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from lssc_legal.cli import cli
from lssc_legal.ingest import read_bill
from lssc_legal.limits import ENV, TooLargeError, limits

from .conftest import HERE

EXAMPLE = HERE.parent / "corpus" / "examples" / "tx_hb4312.pdf"
SENTENCE = "A political subdivision may not adopt an ordinance that regulates leave. "


@pytest.fixture(autouse=True)
def fresh_limits(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no lssc-legal.toml of the working folder
    monkeypatch.setenv("LSSC_LEGAL_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in ENV.values():
        monkeypatch.delenv(var, raising=False)
    limits.cache_clear()
    yield
    limits.cache_clear()


def _bound(monkeypatch, name: str, value: int) -> None:
    monkeypatch.setenv(ENV[name], str(value))
    limits.cache_clear()


def _docx(path: Path, paragraphs: int, padding: int = 0) -> Path:
    """A .docx of `paragraphs` sentences; `padding` bytes of XML comment make it unpack
    large while holding little text (quick to read once the bound is raised)."""
    body = "".join(
        f"<w:p><w:r><w:t>SECTION {i}. {SENTENCE}</w:t></w:r></w:p>" for i in range(paragraphs)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<!--{'x' * padding}--><w:body>{body}</w:body></w:document>",
        )
    return path


# (file maker, bound, its value, words the message must hold)
CASES = [
    ("chars.txt", "max_chars", 1000, "characters"),
    ("lines.txt", "max_lines", 50, "lines"),
    ("chars.html", "max_chars", 1000, "characters of text"),
    ("big.docx", "max_unpacked_mb", 1, "unpacks to"),
    ("bill.pdf", "max_pages", 1, "the PDF has 2 pages"),
    ("size.txt", "max_file_mb", 1, "the file is 2 MB"),
]


def _make(name: str, tmp: Path) -> Path:
    path = tmp / name
    if name == "chars.txt":
        path.write_text("SECTION 1. " + SENTENCE * 30)
    elif name == "lines.txt":
        path.write_text("".join(f"SECTION {i}. A city may not.\n" for i in range(60)))
    elif name == "chars.html":
        path.write_text(f"<html><body><p>SECTION 1. {SENTENCE * 30}</p></body></html>")
    elif name == "big.docx":
        _docx(path, 20, padding=2 << 20)  # 2 MB of XML, a few KB on disk
    elif name == "bill.pdf":
        path.write_bytes(EXAMPLE.read_bytes())
    else:
        path.write_text("SECTION 1. A city may not.\n" + " " * (2 << 20))
    return path


@pytest.mark.parametrize(("name", "bound", "value", "said"), CASES)
def test_a_bound_refuses_in_one_line_and_can_be_raised(
    monkeypatch, tmp_path, name, bound, value, said
):
    path = _make(name, tmp_path)
    _bound(monkeypatch, bound, value)
    with pytest.raises(TooLargeError) as refused:
        read_bill(path)
    line = refused.value.line()
    assert said in line and ENV[bound] in line and "\n" not in line
    result = CliRunner().invoke(cli, ["read", str(path)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "more than the limit" in result.stderr
    _bound(monkeypatch, bound, value * 1000)  # raised: the same file reads
    assert read_bill(path).text


def test_the_config_file_sets_limits(monkeypatch, tmp_path):
    config = tmp_path / "lssc-legal.toml"
    config.write_text("[limits]\nmax_pages = 1\n")
    monkeypatch.setenv("LSSC_LEGAL_CONFIG", str(config))
    limits.cache_clear()
    assert limits().max_pages == 1
    with pytest.raises(TooLargeError, match="max_pages in \\[limits\\]"):
        read_bill(EXAMPLE)
    _bound(monkeypatch, "max_pages", 10)  # the environment wins
    assert read_bill(EXAMPLE).pages == 2


@pytest.mark.parametrize(
    ("table", "said"),
    [("max_pagez = 3", "unknown key(s) in [limits]: max_pagez"), ("max_pages = -1", "positive")],
)
def test_a_wrong_limits_table_is_one_line(monkeypatch, tmp_path, table, said):
    config = tmp_path / "lssc-legal.toml"
    config.write_text(f"[limits]\n{table}\n")
    monkeypatch.setenv("LSSC_LEGAL_CONFIG", str(config))
    limits.cache_clear()
    result = CliRunner().invoke(cli, ["read", str(EXAMPLE)])
    assert result.exit_code != 0
    assert said in result.stderr and result.stderr.count("\n") == 1


def test_a_render_too_big_for_debug_is_refused(tmp_path):
    result = CliRunner().invoke(
        cli, ["debug", str(EXAMPLE), "-o", str(tmp_path / "p.png"), "--resolution", "1200"]
    )
    assert result.exit_code == 2
    assert "would be 10,200 x 13,200 pixels" in result.stderr
    assert not (tmp_path / "p.png").exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_defaults_sit_well_above_real_bills():
    bounds = limits()
    assert bounds.max_pages >= 3000 and bounds.max_chars >= 10_000_000
    assert bounds.max_lines >= 200_000


@pytest.mark.parametrize("megabytes", [1, 4, 7])
def test_a_stream_ending_on_a_piece_boundary_is_checked_and_passed(tmp_path, megabytes):
    """Inflated a megabyte at a time, a stream that ends exactly on a piece leaves the bytes
    after it ("endstream") in zlib's tail: the check must stop there, not loop on them."""
    import signal
    import zlib

    from lssc_legal.ingest.pdf import check_streams

    data = (
        b"%PDF-1.4\n1 0 obj\n<< /Length 0 /Filter /FlateDecode >>\nstream\n"
        + zlib.compress(b" " * (megabytes << 20), 9)
        + b"\nendstream\nendobj\n%%EOF\n"
    )

    def hung(*_args):
        raise TimeoutError("check_streams did not return")

    before = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        check_streams(tmp_path / "x.pdf", data)  # under the bound: no error
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
