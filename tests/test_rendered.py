"""Each Word output read as a reader sees it: the memo, the redline and the appendix are
rendered to PDF by LibreOffice (where it is installed; skipped where not) and the text of
the rendered pages is checked: no internal wording, no template mark, no field that needs
Word to update it, a footer whose page number never runs into the citation."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from lssc_legal.billwriter import write_bill_file
from lssc_legal.cli import cli

from .conftest import HERE, SPECS

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and pdftotext are needed to render Word files",
)
EXAMPLE = HERE.parent / "corpus" / "examples" / "tx_hb4312.pdf"
VERSIONS = HERE / "fixtures" / "versions" / "tx_hb2127"
# What must never reach a page a client reads.
INTERNAL = (
    "(rule ",
    "Reviewer's note",
    "F9",
    "\u27e6",
    "{{",
    "{%",
    "negated modal",
    "State not printed",
)


def run(*args: str | Path) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """name -> the text of each rendered page: a memo on the example bill, one on a
    generated Oklahoma bill (counted lines), a redline and an appendix (one LibreOffice
    run for all four)."""
    work = tmp_path_factory.mktemp("rendered")
    ok = work / "ok_sb_wage.pdf"
    write_bill_file(SPECS / "ok_sb_wage.txt", ok)
    old, new = work / "old.pdf", work / "new.pdf"
    versions = sorted(VERSIONS.glob("*.txt"))
    write_bill_file(versions[0], old)
    write_bill_file(versions[1], new)
    run("analyze", EXAMPLE, "-o", work / "memo.docx")
    run("analyze", ok, "-o", work / "memo_ok.docx")
    run("compare", old, new, "-o", work / "redline.docx", "--author", "J. Doe")
    bills = work / "bills"
    bills.mkdir()
    shutil.copy(EXAMPLE, bills)
    shutil.copy(ok, bills)
    run("appendix", bills, "-o", work / "appendix.docx")
    docs = [work / f"{n}.docx" for n in ("memo", "memo_ok", "redline", "appendix")]
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{work}/profile",
         "--convert-to", "pdf", "--outdir", str(work), *map(str, docs)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    out = {}
    for doc in docs:
        text = subprocess.run(
            ["pdftotext", "-layout", str(doc.with_suffix(".pdf")), "-"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        out[doc.stem] = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    return out


@pytest.mark.parametrize("name", ["memo", "memo_ok", "redline", "appendix"])
def test_no_internal_word_reaches_a_rendered_page(pages, name):
    """Nowhere in the body; the memo's method annex (after "Method and limits") says how
    each provision was found, in the tool's own terms, on purpose."""
    body = "\f".join(pages[name]).split("Method and limits")[0].split("\f")
    for n, page in enumerate(body, 1):
        for word in INTERNAL:
            assert word not in page, f"{name} page {n}: {word!r}"


@pytest.mark.parametrize("name", ["memo", "memo_ok", "appendix"])
def test_the_page_number_stands_on_its_own_line(pages, name):
    """The footer's citation wraps as it must; "Page 2 of 5" is never run into it."""
    for n, page in enumerate(pages[name], 1):
        assert re.search(rf"^\s*Page {n} of \d+\s*$", page, re.M), f"{name} page {n}"
        assert not re.search(r"\S\s?Page \d+ of \d+", page.replace("\n", "|")), page[-300:]


def test_the_contents_list_the_headings_without_word(pages):
    first = "\n".join(pages["memo"][:2])
    contents = first.split("Contents", 1)[1]
    listed = [line.strip() for line in contents.splitlines() if line.strip()][:4]
    assert listed[:3] == ["Bottom line", "Summary of the bill", "Section by section"]


def test_the_memo_reads_as_a_lawyers_draft(pages):
    text = "\n".join(pages["memo"])
    assert "Why it matters:" in text and "How each provision was found" in text
    assert "1 pages" not in text and "(pdf, 2 pages)" in text
    assert "Enacts Sec. 250.0131 (REGULATION OF EMPLOYMENT LEAVE)." in text
    ok = "\n".join(pages["memo_ok"])
    assert re.search(r"Pinpoint \((?:printed|counted)", ok)  # the column says which
