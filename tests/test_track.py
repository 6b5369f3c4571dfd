"""Bill identifiers as lawyers and the bill APIs write them (issue 17, begun)."""

from __future__ import annotations

import pytest

from lssc_legal.errors import BadInputError
from lssc_legal.track import BillId, parse_bill_id


@pytest.mark.parametrize(
    ("text", "state", "expected"),
    [
        ("TX HB 2127 2023", None, BillId("TX", "HB", 2127, "2023")),
        ("Fla. CS/HB 3", None, BillId("FL", "HB", 3, None, "CS")),
        ("PA HB 587 2025", None, BillId("PA", "HB", 587, "2025")),
        ("Tex. H.B. No. 2127", None, BillId("TX", "HB", 2127)),
        ("Texas House Bill 2127", None, BillId("TX", "HB", 2127)),
        ("Ariz. HB2861 2026", None, BillId("AZ", "HB", 2861, "2026")),
        ("W. Va. SB 5", None, BillId("WV", "SB", 5)),  # before "Va."
        ("Okla. S.J.R. 3", None, BillId("OK", "SJR", 3)),
        ("Tenn. Senate Joint Resolution 12", None, BillId("TN", "SJR", 12)),
        ("FL CS/CS/SB 948 2026", None, BillId("FL", "SB", 948, "2026", "CS/CS")),
        ("TX HB 92 2025C2", None, BillId("TX", "HB", 92, "2025C2")),  # LegiScan's session
        ("Missouri SB 1138 2024", None, BillId("MO", "SB", 1138, "2024")),
        ("SC H 4301", None, BillId("SC", "H", 4301)),  # South Carolina: no type
        ("AZ HCR 2016", None, BillId("AZ", "HCR", 2016)),
        ("HB2127", "tx", BillId("TX", "HB", 2127)),  # as the API writes it, state apart
    ],
)
def test_a_bill_as_lawyers_write_it(text, state, expected):
    assert parse_bill_id(text, state) == expected


def test_a_bill_number_as_the_apis_write_it():
    assert BillId("TX", "HB", 2127).api_number == "HB2127"
    assert str(BillId("FL", "HB", 3, "2026", "CS")) == "FL CS/HB 3 (2026)"


@pytest.mark.parametrize(
    ("text", "state", "message"),
    [
        ("HB 2127", None, "names no state"),
        ("TX", None, "no bill number"),
        ("TX HB 2127", "FL", "names TX, not FL"),
        ("HB 1", "XX", "is not a state"),
    ],
)
def test_an_identifier_that_cannot_be_read_says_why_in_one_line(text, state, message):
    with pytest.raises(BadInputError) as caught:
        parse_bill_id(text, state)
    line = caught.value.line()
    assert message in line and "\n" not in line


@pytest.mark.parametrize("args", [["list"], ["run"], ["remove", "TX", "HB", "1"]])
def test_watch_without_a_watch_list_says_how_to_start_one_and_makes_nothing(tmp_path, args):
    from click.testing import CliRunner

    from lssc_legal.cli import cli

    store = tmp_path / "lssc-legal.sqlite"
    result = CliRunner().invoke(cli, ["watch", *args, "--store", str(store)])
    assert result.exit_code == 2 and "lssc-legal watch add BILL" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not store.exists()


_SESSIONS = {
    "TX": [
        {"identifier": "88", "classification": "primary", "start_date": "2023-01-10", "end_date": "2023-05-29"},
        {"identifier": "881", "classification": "special", "start_date": "2023-05-29", "end_date": "2023-06-27"},
        {"identifier": "89", "classification": "primary", "start_date": "2025-01-14", "end_date": "2025-06-02"},
        {"identifier": "891", "classification": "special", "start_date": "2025-07-21", "end_date": "2025-08-15"},
        {"identifier": "892", "classification": "special", "start_date": "2025-08-15", "end_date": "2025-09-04"},
    ],
    "PA": [
        {"identifier": "2023-2024", "classification": "primary", "start_date": "", "end_date": ""},
        {"identifier": "2025-2026", "classification": "primary", "start_date": "2025-01-07", "end_date": "2026-11-30"},
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("state", "wanted", "expected"),
    [
        ("TX", None, ["89", "891", "892"]),  # the latest year's sessions, regular first
        ("TX", "2025", ["89", "891", "892"]),  # the regular session first
        ("TX", "2025C2", ["892"]),  # LegiScan's name for the second called session
        ("TX", "2025C3", []),  # there was no third
        ("TX", "892", ["892"]),  # Open States' own identifier
        ("TX", "2023", ["88", "881"]),
        ("PA", "2026", ["2025-2026"]),  # a two-year session, by its dates
        ("PA", "2024", ["2023-2024"]),  # by its identifier, where it gives no dates
        ("TX", "2019", []),
    ],
)
def test_open_states_sessions_are_found_as_a_lawyer_names_them(state, wanted, expected):
    from lssc_legal.track.openstates import OpenStates

    client = OpenStates("k", "http://127.0.0.1:9", interval=0)
    client._sessions = {s: [dict(x, name="") for x in v] for s, v in _SESSIONS.items()}
    try:
        assert [x.key for x in client.sessions_for(state, wanted)] == expected
    finally:
        client.close()


def test_a_store_made_before_the_tracking_columns_gets_them_when_opened(tmp_path):
    import sqlite3

    from lssc_legal.batch.store import Store, Watched

    path = tmp_path / "old.sqlite"
    with Store(path):
        pass
    with sqlite3.connect(path) as db:  # the tables as the first tracking release made them
        for table, column in [("fetched", "reported_at"), ("fetched", "position"),
                              ("watched", "year"), ("watched", "session_name"),
                              ("watched", "session"), ("scanned", "session")]:  # fmt: skip
            db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    with Store(path) as store:
        row = Watched("legiscan", "TX", "HB1", "7", str(tmp_path), session="2150",
                      session_name="89th Legislature", year=2025)  # fmt: skip
        store.watch(row)
        assert store.watched() == [row]
        assert store.unreported("legiscan", "7") == set()
        store.record_scan("legiscan", "8", "TX", "2150", "HB2", "h", None)
        assert store.scanned("legiscan", "TX", "2150") == {"8": ("h", None, "HB2")}


def test_a_two_year_session_still_running_is_found_by_its_second_year():
    from lssc_legal.track.openstates import OpenStates

    client = OpenStates("k", "http://127.0.0.1:9", interval=0)
    client._sessions = {"PA": [{"identifier": "2025-2026", "name": "2025-2026 Regular Session",
                                "classification": "primary", "start_date": "2025-01-07",
                                "end_date": ""}]}  # fmt: skip
    try:
        for year in ("2025", "2026"):
            assert [x.key for x in client.sessions_for("PA", year)] == ["2025-2026"]
    finally:
        client.close()


def test_no_session_named_searches_every_session_running_in_the_latest_year():
    """A two-year session still running is searched beside a special session that began in
    its second year; a special that began before the regular session of its year still
    comes after it."""
    from lssc_legal.track.provider import Session, pick_sessions

    sessions = [
        Session("2025-2026", "2025-2026 Regular Session", 2025, 2026, False, "2025-01-07"),
        Session("2026A", "2026 Special Session A", 2026, 2026, True, "2026-01-02"),
    ]
    assert [x.key for x in pick_sessions(sessions, None)] == ["2025-2026", "2026A"]
    assert [x.key for x in pick_sessions(sessions, "2026")] == ["2025-2026", "2026A"]
    assert [x.key for x in pick_sessions(sessions, "2026S1")] == ["2026A"]


@pytest.mark.parametrize(
    ("said", "removed"),
    [
        ("2025C2", ["892"]),  # the second called session's only
        ("2025", ["89", "892"]),
        ("89", ["89"]),  # an id is whole, not the start of "89th Legislature, 2nd ..."
        ("89th Legislature (2025)", ["89"]),
        ("2023", []),
    ],
)
def test_watch_remove_takes_the_session_as_a_lawyer_names_it(tmp_path, said, removed):
    from lssc_legal.batch.store import Store, Watched

    with Store(tmp_path / "w.sqlite") as store:
        for key, name in [("89", "89th Legislature (2025)"),
                          ("892", "89th Legislature, 2nd Called Session (2025)")]:  # fmt: skip
            store.watch(Watched("openstates", "TX", "HB92", f"ocd-bill/{key}", str(tmp_path),
                                session=key, session_name=name, year=2025))  # fmt: skip
        assert [w.session for w in store.unwatch("TX", "HB92", said)] == removed
