"""Shared fixtures: generated bills of every core state, the real corpus when present."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lssc_legal.billwriter import PrintedWord, write_bill_file
from lssc_legal.models import Bill

HERE = Path(__file__).parent
SPECS = HERE / "fixtures" / "specs"
REAL = HERE.parent.parent / "shared" / "corpus-real"
MO_PDF = REAL / "IndigoW0lf__show-me-resistance-backend" / "pdf"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/*.json from output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[Path, list[PrintedWord]]]:
    """Every spec drawn once per test session: state -> (pdf, words as printed)."""
    out = tmp_path_factory.mktemp("bills")
    bills = {}
    for spec in sorted(SPECS.glob("*.txt")):
        pdf = out / f"{spec.stem}.pdf"
        bills[spec.stem] = (pdf, write_bill_file(spec, pdf))
    return bills


def real(*parts: str) -> Path:
    """A file of ../shared/corpus-real; the test is skipped when the corpus is absent."""
    path = REAL.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real corpus not present: {path}")
    return path


def printed_words(bill: Bill) -> list[tuple[str, int, int | None, str]]:
    """Each whitespace-separated word of the bill with its pinpoint and its mark (the mark
    of most of its letters: "fees." is inserted when "fees" is)."""
    out = []
    for m in re.finditer(r"\S+", bill.text):
        letters = [i for i in range(m.start(), m.end()) if bill.text[i].isalnum()] or [m.start()]
        marks = [bill.mark_at(i) for i in letters]
        mark = max(sorted(set(marks)), key=marks.count)
        p = bill.pinpoint(m.start())
        out.append((m.group(), p.page, p.line, mark))
    return out


@pytest.fixture(scope="session")
def hb2127(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The four versions of the generated H.B. 2127 (introduced, committee substitute,
    engrossed, enrolled), drawn once per test session as Texas prints them."""
    out = tmp_path_factory.mktemp("hb2127")
    paths = []
    for spec in sorted((SPECS.parent / "versions" / "tx_hb2127").glob("*.txt")):
        pdf = out / f"{spec.stem}.pdf"
        write_bill_file(spec, pdf)
        paths.append(pdf)
    return paths
