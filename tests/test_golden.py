"""Bill -> JSON golden files. Run `pytest --update-golden` after an intended change and
read the diff of tests/golden/ before committing it."""

from __future__ import annotations

import json

import pytest

from lssc_legal.ingest import read_bill

from .conftest import HERE

GOLDEN = HERE / "golden"
NAMES = ["tx_hb_leave", "mo_hb_tobacco", "az_sb_shared_revenue", "fl_hb_wages"]


def _stable(bill) -> dict:
    data = bill.to_dict()
    data.pop("sha256")  # the PDF's bytes depend on the reportlab release that drew it
    return data


@pytest.mark.parametrize("name", NAMES)
def test_bill_json_matches_golden(generated, update_golden, name):
    data = _stable(read_bill(generated[name][0]))
    path = GOLDEN / f"{name}.json"
    if update_golden or not path.exists():
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        if not update_golden:
            pytest.fail(f"wrote missing golden file {path.name}: check it and commit it")
    assert data == json.loads(path.read_text())
