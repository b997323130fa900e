"""The dossier store: events, current state, queries, verify, export, tokens (issue 11).

Every test runs on SQLite; with the ``postgres`` marker (``.ci/steps/40-postgres-store.sh``) the
same tests run on a real PostgreSQL server given by ``MOT_CUA_TEST_POSTGRES_URL``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mot_cua import VN_TZ
from mot_cua.errors import (
    AccessDeniedError,
    BusinessRuleError,
    ConcurrencyError,
    InvalidInputError,
    MotCuaError,
    StoreError,
    TransitionRejected,
    UnknownDossierError,
)
from mot_cua.lifecycle import Lifecycle
from mot_cua.store import (
    RECORD_COLUMNS,
    EventInput,
    Principal,
    Store,
    export_records,
    normalise_url,
)
from mot_cua.store._schema import METADATA, VERSION_TABLE

PG_ENV = "MOT_CUA_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def vn(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN_TZ)  # type: ignore[misc]


def reset_postgres(url: str) -> None:
    """Drop the store's tables so that each test starts from an empty database."""
    engine = sa.create_engine(normalise_url(url))
    with engine.begin() as conn:
        METADATA.drop_all(conn)
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {VERSION_TABLE}"))
    engine.dispose()


def fresh_url(kind: str, tmp_path: Path) -> str:
    """An empty database of the given kind (SQLite file, or the CI's PostgreSQL)."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.fail(f"the postgres suite needs {PG_ENV} (see .ci/steps/40-postgres-store.sh)")
    reset_postgres(url)
    return url


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_url(request.param, tmp_path)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.init()
    yield s
    s.close()


RECEIVE = {"event": "receive", "at": vn(2025, 3, 3, 9), "actor": "desk-1"}


def received(store: Store, code: str = "H29-250303-0001", **kwargs: object) -> None:
    options: dict[str, object] = {"time_limit": "10 ngày làm việc", "agency": "so-tp"}
    options.update(kwargs)
    store.create(code, events=[RECEIVE], **options)  # type: ignore[arg-type]


# -- events and current state -------------------------------------------------------------------


def test_create_and_append_keep_state_equal_to_the_lifecycle(store: Store) -> None:
    created = store.create("H29-250303-0001", time_limit="10 ngày làm việc", agency="so-tp")
    assert (created.state.version, created.state.status, created.events) == (0, "new", ())
    store.append("H29-250303-0001", "receive", at=vn(2025, 3, 3, 9), actor="desk-1")
    store.append("H29-250303-0001", "start", at=vn(2025, 3, 3, 10), actor="handler")
    r = store.append(
        "H29-250303-0001",
        "request_supplement",
        at=vn(2025, 3, 7, 16),
        missing=["Tờ khai"],
        expected_version=2,
    )
    assert r.state.status == "awaiting_supplement"
    assert r.state.paused_since == vn(2025, 3, 7, 16)
    assert r.state.overdue_from is None  # the clock stands still
    r = store.append("H29-250303-0001", "supplement", at=vn(2025, 3, 12, 10))
    # EXAMPLES.md row 27 (pause policy): due Thursday 20/03/2025 at closing.
    assert r.state.due_at == vn(2025, 3, 20, 17)
    assert r.state.supplement_rounds == [["2025-03-07T16:00:00+07:00", "2025-03-12T10:00:00+07:00"]]
    lc = Lifecycle("10 ngày làm việc", code="H29-250303-0001")
    lc.send("receive", at=vn(2025, 3, 3, 9))
    lc.send("start", at=vn(2025, 3, 3, 10))
    lc.send("request_supplement", at=vn(2025, 3, 7, 16), missing=["Tờ khai"])
    lc.send("supplement", at=vn(2025, 3, 12, 10))
    got = store.get("H29-250303-0001")
    assert (got.status, got.due_at, got.version) == (lc.state, lc.due_at, 4)
    history = store.history("H29-250303-0001")
    assert [e.version for e in history] == [1, 2, 3, 4]
    assert [e.event for e in history] == [h.event for h in lc.history]
    assert history[0].actor == "desk-1"
    assert history[2].payload == {"missing": ["Tờ khai"]}
    assert all(e.recorded_at.tzinfo is not None for e in history)
    assert store.verify().ok


def test_illegal_event_is_refused_and_nothing_is_stored(store: Store) -> None:
    received(store)
    with pytest.raises(TransitionRejected, match=r"'resolve' \(#1\) is not allowed"):
        store.append("H29-250303-0001", "resolve", at=vn(2025, 3, 4, 9), outcome="approved")
    with pytest.raises(BusinessRuleError, match="a reason is required"):
        store.append("H29-250303-0001", "extend", at=vn(2025, 3, 4, 9), new_due_at=vn(2025, 4, 1))
    with pytest.raises(BusinessRuleError, match="before the previous event"):
        store.append("H29-250303-0001", "start", at=vn(2025, 3, 3, 8))
    assert store.get("H29-250303-0001").version == 1
    assert len(store.history("H29-250303-0001")) == 1
    assert store.verify().ok


def test_stale_expected_version_raises_concurrency_error(store: Store) -> None:
    received(store)
    store.append("H29-250303-0001", "start", at=vn(2025, 3, 3, 10), expected_version=1)
    with pytest.raises(ConcurrencyError) as info:
        store.append("H29-250303-0001", "stop", at=vn(2025, 3, 4, 9), expected_version=1)
    assert info.value.details == {
        "dossier": "H29-250303-0001",
        "expected_version": 1,
        "current_version": 2,
    }
    assert "retry with expected_version=2" in str(info.value)
    assert isinstance(info.value, MotCuaError)


def test_idempotency_key_applies_a_retried_event_once(store: Store) -> None:
    received(store)
    first = store.append(
        "H29-250303-0001", "start", at=vn(2025, 3, 3, 10), expected_version=1, idempotency_key="k1"
    )
    again = store.append(
        "H29-250303-0001", "start", at=vn(2025, 3, 3, 10), expected_version=1, idempotency_key="k1"
    )
    assert not first.duplicate
    assert again.duplicate
    assert again.events[0].version == first.events[0].version == 2
    assert store.get("H29-250303-0001").version == 2
    with pytest.raises(InvalidInputError, match="already used for event 'start'"):
        store.append("H29-250303-0001", "stop", at=vn(2025, 3, 4, 9), idempotency_key="k1")


def test_create_twice_is_a_conflict_unless_the_key_matches(store: Store) -> None:
    store.create("A-1", time_limit="3 ngày làm việc", agency="x", idempotency_key="c1")
    again = store.create("A-1", time_limit="3 ngày làm việc", agency="x", idempotency_key="c1")
    assert again.duplicate
    with pytest.raises(ConcurrencyError, match="already exists"):
        store.create("A-1", time_limit="3 ngày làm việc", agency="x")


def test_batch_is_all_or_nothing(store: Store) -> None:
    store.create("B-1", time_limit="3 ngày làm việc", agency="x")
    with pytest.raises(TransitionRejected):
        store.append_many(
            "B-1",
            [
                EventInput("receive", vn(2025, 3, 3, 9)),
                EventInput("start", vn(2025, 3, 3, 10)),
                EventInput("return_result", vn(2025, 3, 3, 11)),
            ],
        )
    assert store.get("B-1").version == 0
    assert store.history("B-1") == []
    r = store.append_many(
        "B-1",
        [
            {"event": "receive", "at": "2025-03-03T09:00+07:00"},
            EventInput("start", vn(2025, 3, 3, 10)),
        ],
    )
    assert [e.version for e in r.events] == [1, 2]


def test_procedure_from_the_catalogue_gives_limit_field_and_agency(store: Store) -> None:
    from mot_cua.catalog import Catalog

    procedure = Catalog.default().procedures[0]
    r = store.create("P-1", procedure_id=procedure.id, channel="online", events=[RECEIVE])
    limit = procedure.limit_for("online")
    assert limit is not None
    assert r.state.time_limit == limit.to_text("vi")
    assert r.state.field == procedure.field
    assert r.state.agency == procedure.lead_agency


def test_bad_arguments_raise_mot_cua_errors(store: Store) -> None:
    with pytest.raises(InvalidInputError, match="time_limit"):
        store.create("C-1")
    with pytest.raises(InvalidInputError, match="channel"):
        store.create("C-1", time_limit="3 ngày làm việc", channel="fax")
    with pytest.raises(UnknownDossierError, match="no dossier 'nope'"):
        store.append("nope", "receive", at=vn(2025, 3, 3, 9))
    with pytest.raises(UnknownDossierError):
        store.get("nope")
    with pytest.raises(InvalidInputError, match=r"no UTC offset|naive"):
        store.create(
            "C-2",
            time_limit="3 ngày làm việc",
            events=[{"event": "receive", "at": dt.datetime(2025, 3, 3)}],
        )
    with pytest.raises(InvalidInputError, match="ISO 8601"):
        store.create(
            "C-3", time_limit="3 ngày làm việc", events=[{"event": "receive", "at": "yesterday"}]
        )


def test_unknown_filters_and_statuses_are_refused(store: Store) -> None:
    with pytest.raises(InvalidInputError, match="unknown filter 'statu'"):
        store.find(statu="received")
    with pytest.raises(InvalidInputError, match="status 'bogus' is unknown"):
        store.count(status=["received", "bogus"])
    with pytest.raises(InvalidInputError, match=r"naive|offset"):
        store.codes(overdue_at=dt.datetime(2025, 3, 3))
    for call in (
        lambda: store.find(limit=0),
        lambda: store.verify(limit=-1),
        lambda: store.apologies_owed(dt.date(2025, 3, 3), limit=0),
    ):
        with pytest.raises(InvalidInputError, match="limit must be a whole number"):
            call()


def test_using_a_store_that_was_never_initialised_is_a_store_error(tmp_path: Path) -> None:
    s = Store(str(tmp_path / "empty.db"))
    with pytest.raises(StoreError, match=r"no such table.*run: mot-cua store init"):
        s.get("X-1")
    with pytest.raises(StoreError, match="run: mot-cua store init"):
        s.create("X-1", time_limit="1 ngày làm việc")


def test_a_store_that_was_never_initialised_says_how_to_fix_it(tmp_path: Path) -> None:
    s = Store(str(tmp_path / "empty.db"))
    with pytest.raises(StoreError, match="is not initialised; run: mot-cua store init"):
        s.check()
    assert s.revision() is None
    s.init()
    s.check()
    assert s.init() == "0001"  # idempotent


def test_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot use the store URL"):
        Store("nosuchdb://x/y")
    with pytest.raises(InvalidInputError, match="empty"):
        Store("  ")
    for bad in ("\x00", "a\x01.db", "x\x7f"):  # found by the CLI fuzzer: ValueError, odd files
        with pytest.raises(InvalidInputError, match="contains a control character"):
            Store(bad)


def test_events_table_is_append_only_in_practice(store: Store) -> None:
    """Appending never rewrites an earlier event row: rows 1..v are byte-identical after."""
    received(store)
    before = [e.model_dump() for e in store.history("H29-250303-0001")]
    store.append("H29-250303-0001", "start", at=vn(2025, 3, 3, 10))
    store.append("H29-250303-0001", "transfer", at=vn(2025, 3, 3, 11), to_agency="so-xd")
    after = [e.model_dump() for e in store.history("H29-250303-0001")]
    assert after[: len(before)] == before
    assert store.get("H29-250303-0001").agency == "so-xd"


# -- migrations ------------------------------------------------------------------------------


def test_migrations_build_exactly_the_declared_schema(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        diff = compare_metadata(ctx, METADATA)
    assert diff == []


# -- queries ---------------------------------------------------------------------------------


@pytest.fixture
def desk(store: Store) -> Store:
    """Five dossiers in different states (10 working days from Monday 03/03/2025)."""
    received(store, "D-1", agency="so-tp")  # due 17/03 17:00
    received(store, "D-2", agency="so-xd")
    store.append("D-2", "start", at=vn(2025, 3, 3, 10))
    store.append("D-2", "request_supplement", at=vn(2025, 3, 4, 9), missing=["Bản vẽ"])
    store.create(
        "D-3",
        time_limit="3 ngày làm việc",
        agency="so-tp",
        events=[{"event": "receive", "at": vn(2025, 3, 10, 9)}],
    )  # due 13/03 17:00
    received(store, "D-4", agency="so-tp")
    store.append_many(
        "D-4",
        [
            EventInput("start", vn(2025, 3, 3, 10)),
            EventInput("resolve", vn(2025, 3, 5, 9), payload={"outcome": "approved"}),
        ],
    )
    received(store, "D-5", agency="so-tp")
    store.append_many(
        "D-5",
        [
            EventInput("start", vn(2025, 3, 3, 10)),
            EventInput("request_supplement", vn(2025, 3, 4, 9), payload={"missing": ["A"]}),
            EventInput("supplement", vn(2025, 3, 5, 9)),
            EventInput("request_supplement", vn(2025, 3, 6, 9), payload={"missing": ["B"]}),
            EventInput("supplement", vn(2025, 3, 7, 9)),
        ],
    )
    return store


def test_query_by_status_agency_and_receipt(desk: Store) -> None:
    assert [d.code for d in desk.find(status="received")] == ["D-1", "D-3"]
    assert [d.code for d in desk.find(status=["resolved", "awaiting_supplement"])] == [
        "D-2",
        "D-4",
    ]
    assert [d.code for d in desk.find(agency="so-xd")] == ["D-2"]
    got = desk.find(received_from=vn(2025, 3, 10), received_to=vn(2025, 3, 11))
    assert [d.code for d in got] == ["D-3"]
    assert desk.count(agency="so-tp") == 4
    page = desk.find(limit=2)
    assert [d.code for d in page] == ["D-1", "D-2"]
    assert [d.code for d in desk.find(limit=2, after="D-2")] == ["D-3", "D-4"]


def test_overdue_at_an_instant(desk: Store) -> None:
    # D-3 is due 13/03 17:00; D-5 had two supplement requests (Decision 766: overdue while open);
    # D-2 waits for a supplement (clock stopped); D-4 is resolved.
    assert desk.codes(overdue_at=vn(2025, 3, 13, 17)) == ["D-5"]
    assert sorted(desk.codes(overdue_at=vn(2025, 3, 13, 17, 1))) == ["D-3", "D-5"]
    assert sorted(desk.codes(overdue_at=vn(2025, 3, 18))) == ["D-1", "D-3", "D-5"]
    # most urgent first: D-5 (overdue since its receipt), D-3 (13/03), D-1 (17/03); paged
    at = vn(2025, 3, 18)
    assert [d.code for d in desk.find(overdue_at=at)] == ["D-5", "D-3", "D-1"]
    assert [d.code for d in desk.find(overdue_at=at, limit=2)] == ["D-5", "D-3"]
    assert [d.code for d in desk.find(overdue_at=at, limit=2, after="D-3")] == ["D-1"]
    states = {d.code: d for d in desk.find()}
    assert states["D-1"].overdue_at(vn(2025, 3, 18))
    assert not states["D-2"].overdue_at(vn(2030, 1, 1))
    assert desk.find(finding="repeated_supplement")[0].code == "D-5"
    assert desk.find(finding="late_apology") == []


def test_due_within_working_days(desk: Store) -> None:
    # On Tuesday 11/03: D-3 is due Thursday 13/03 (2 working days on), D-1 Monday 17/03 (4).
    at = vn(2025, 3, 11, 9)
    assert desk.codes(due_within=1, at=at) == []
    assert desk.codes(due_within=2, at=at) == ["D-3"]
    assert sorted(desk.codes(due_within=4, at=at)) == ["D-1", "D-3"]
    assert desk.codes(due_within=0, at=vn(2025, 3, 13, 9)) == ["D-3"]
    with pytest.raises(InvalidInputError, match="due_within"):
        desk.codes(due_within=-1, at=at)


def test_apology_worklist(desk: Store) -> None:
    # The last day for the apology is one working day before the due date: D-3 (due 13/03) on
    # Wednesday 12/03, D-1 (due 17/03) on Friday 14/03.
    assert [d.code for d in desk.apologies_owed(dt.date(2025, 3, 11))] == []
    assert [d.code for d in desk.apologies_owed(dt.date(2025, 3, 12))] == ["D-3"]
    assert [d.code for d in desk.apologies_owed(dt.date(2025, 3, 14))] == ["D-3", "D-1"]
    desk.append(
        "D-3",
        "extend",
        at=vn(2025, 3, 12, 9),
        reason="cần xác minh",
        new_due_at=vn(2025, 3, 20, 17),
    )
    assert [d.code for d in desk.apologies_owed(dt.date(2025, 3, 14))] == ["D-1"]
    assert [d.code for d in desk.apologies_owed(dt.date(2025, 3, 14), agency="so-xd")] == []
    with pytest.raises(InvalidInputError, match="date"):
        desk.apologies_owed(vn(2025, 3, 14))  # type: ignore[arg-type]


def test_visible_to_limits_queries_to_the_agency(desk: Store) -> None:
    p = Principal("xd", "agency", "so-xd")
    assert [d.code for d in desk.find(visible_to=p)] == ["D-2"]
    with pytest.raises(AccessDeniedError) as info:
        desk.get("D-1", principal=p)
    assert info.value.details["status"] == 403


# -- verify ----------------------------------------------------------------------------------


def test_verify_reports_each_difference(desk: Store) -> None:
    assert desk.verify().ok
    with desk.engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE mot_cua_dossiers SET status = 'returned', due_at = NULL WHERE code = 'D-1'"
            )
        )
        conn.execute(sa.text("UPDATE mot_cua_dossiers SET version = 7 WHERE code = 'D-3'"))
        conn.execute(sa.text("DELETE FROM mot_cua_findings WHERE code = 'D-5'"))
    report = desk.verify()
    found = {(d.code, d.field) for d in report.differences}
    assert found == {
        ("D-1", "status"),
        ("D-1", "due_at"),
        ("D-3", "version"),
        ("D-5", "findings index"),
    }
    d1 = next(d for d in report.differences if d.field == "status")
    assert (d1.stored, d1.replayed) == ("returned", "received")
    assert str(d1) == "D-1: status: stored 'returned', replayed 'received'"
    assert report.dossiers == 5
    assert report.events == 14


def test_verify_reports_a_gap_in_versions(desk: Store) -> None:
    with desk.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM mot_cua_events WHERE code = 'D-4' AND version = 2"))
    diffs = desk.verify().differences
    assert [(d.code, d.field) for d in diffs] == [("D-4", "versions")]
    assert diffs[0].stored == [1, 3]


# -- export and import -------------------------------------------------------------------------


def test_export_flat_records(desk: Store) -> None:
    buf = io.StringIO()
    n = export_records(desk.iter_dossiers(), buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert n == len(rows) == 5
    assert tuple(rows[0]) == RECORD_COLUMNS
    d4 = next(r for r in rows if r["MaHoSo"] == "D-4")
    assert d4["NgayTiepNhan"] == "2025-03-03T09:00:00+07:00"
    assert d4["NgayXuLyXong"] == "2025-03-05T09:00:00+07:00"
    assert d4["NgayHenTra"] == "2025-03-17T17:00:00+07:00"
    assert d4["MaCoQuan"] == "so-tp"
    assert d4["ThoiHanGiaiQuyet"] == "10 ngày làm việc"
    d5 = next(r for r in rows if r["MaHoSo"] == "D-5")
    assert d5["BoSung"] == (
        "2025-03-04T09:00:00+07:00/2025-03-05T09:00:00+07:00;"
        "2025-03-06T09:00:00+07:00/2025-03-07T09:00:00+07:00"
    )
    d2 = next(r for r in rows if r["MaHoSo"] == "D-2")
    assert d2["BoSung"] == "2025-03-04T09:00:00+07:00/"
    jl = io.StringIO()
    export_records(desk.iter_dossiers(), jl, fmt="jsonl")
    assert json.loads(jl.getvalue().splitlines()[3])["MaHoSo"] == "D-4"
    with pytest.raises(InvalidInputError, match="format"):
        export_records([], io.StringIO(), fmt="xml")  # type: ignore[arg-type]


def test_import_dossiers_with_history(store: Store) -> None:
    lc = Lifecycle("10 ngày làm việc", code="I-1")
    lc.send("receive", at=vn(2025, 3, 3, 9), actor="desk")
    lc.send("start", at=vn(2025, 3, 3, 10))
    data = {
        "code": "I-1",
        "receiving_unit": "so-tp",
        "history": [json.loads(h.model_dump_json()) for h in lc.history],
    }
    assert store.import_dossiers([data], time_limit="10 ngày làm việc") == 1
    got = store.get("I-1")
    assert (got.status, got.due_at, got.version) == ("processing", lc.due_at, 2)
    with pytest.raises(InvalidInputError, match=r"#1 .*has no history"):
        store.import_dossiers([{"code": "I-2", "history": []}], time_limit="1 ngày làm việc")
    with pytest.raises(ConcurrencyError, match="#1 \\(I-1\\)"):
        store.import_dossiers([data], time_limit="10 ngày làm việc")


# -- tokens ----------------------------------------------------------------------------------


def test_tokens_keep_only_a_hash(store: Store) -> None:
    info, secret = store.create_token("desk-hn", "desk", agency="so-tp")
    assert secret.startswith("mct_")
    assert len(secret) > 40
    assert info.role == "desk"
    assert info.active
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT secret_sha256 FROM mot_cua_tokens")).scalar_one()
    assert secret not in stored
    assert len(stored) == 64
    assert store.authenticate(secret) == Principal("desk-hn", "desk", "so-tp")
    with pytest.raises(InvalidInputError, match="exists already"):
        store.create_token("desk-hn", "admin")
    with pytest.raises(InvalidInputError, match="role 'boss'"):
        store.create_token("x", "boss")
    with pytest.raises(InvalidInputError, match="--agency"):
        store.create_token("x", "agency")
    revoked = store.revoke_token("desk-hn")
    assert not revoked.active
    with pytest.raises(AccessDeniedError) as info401:
        store.authenticate(secret)
    assert info401.value.details["status"] == 401
    with pytest.raises(InvalidInputError, match="no active token"):
        store.revoke_token("desk-hn")
    assert [t.name for t in store.tokens()] == ["desk-hn"]


def test_principal_scopes(store: Store) -> None:
    received(store, "S-1", agency="so-tp", receiving_unit="ttpvhcc")
    agency = Principal("tp", "agency", "so-tp")
    other = Principal("xd", "agency", "so-xd")
    auditor = Principal("audit", "auditor")
    desk = Principal("desk", "desk", "ttpvhcc")
    r = store.append("S-1", "start", at=vn(2025, 3, 3, 10), actor="ignored", principal=agency)
    assert r.events[0].actor == "tp"  # the principal, not the text given
    with pytest.raises(AccessDeniedError, match="routed to so-tp"):
        store.append("S-1", "stop", at=vn(2025, 3, 4), reason="x", principal=other)
    with pytest.raises(AccessDeniedError, match="read-only"):
        store.append("S-1", "stop", at=vn(2025, 3, 4), reason="x", principal=auditor)
    store.append("S-1", "transfer", at=vn(2025, 3, 4), to_agency="so-xd", principal=desk)
    with pytest.raises(AccessDeniedError):
        store.append("S-1", "stop", at=vn(2025, 3, 5), reason="x", principal=agency)
    store.append("S-1", "stop", at=vn(2025, 3, 5), reason="x", principal=other)
    with pytest.raises(AccessDeniedError, match="may only create"):
        store.create("S-2", time_limit="1 ngày làm việc", agency="so-xd", principal=agency)
    assert store.verify().ok


# -- invariants ------------------------------------------------------------------------------

_EVENTS = st.lists(
    st.sampled_from(
        [
            ("start", {}),
            ("request_supplement", {"missing": ["x"]}),
            ("supplement", {}),
            ("request_payment", {}),
            ("confirm_payment", {}),
            ("transfer", {"to_agency": "so-xd"}),
            ("resolve", {"outcome": "approved"}),
            ("return_result", {}),
            ("stop", {"reason": "x"}),
            ("withdraw", {}),
        ]
    ),
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=_EVENTS, gaps=st.lists(st.integers(1, 3 * 24 * 60), min_size=8, max_size=8))
def test_random_sequences_keep_store_equal_to_lifecycle(
    store: Store, events: list[tuple[str, dict[str, object]]], gaps: list[int]
) -> None:
    """Whatever is attempted, the stored state equals a lifecycle given the accepted events."""
    code = f"R-{abs(hash((tuple(e for e, _ in events), tuple(gaps))))}"
    store.create(code, time_limit="5 ngày làm việc", agency="so-tp", events=[RECEIVE])
    lc = Lifecycle("5 ngày làm việc", code=code)
    lc.send("receive", at=RECEIVE["at"])  # type: ignore[arg-type]
    at = vn(2025, 3, 3, 9)
    for (name, payload), gap in zip(events, gaps, strict=False):
        at += dt.timedelta(minutes=gap)
        try:
            lc.send(name, at=at, **payload)
        except MotCuaError:
            with pytest.raises(MotCuaError):
                store.append(code, name, at=at, **payload)
            continue
        store.append(code, name, at=at, **payload)
    got = store.get(code)
    assert (got.status, got.due_at, got.version) == (lc.state, lc.due_at, len(lc.history))
    assert got.timeliness == (None if lc.timeliness is None else lc.timeliness.value)
    assert [f["code"] for f in got.findings] == [f.code for f in lc.findings]
    assert store.verify().ok


def test_a_failed_commit_leaves_no_trace_in_the_history_cache(tmp_path: Path) -> None:
    """The writer's cache only holds committed histories: after a failed commit and another
    writer's event at the same version, the next append replays what the database holds."""
    import sqlite3

    url = f"sqlite:///{tmp_path / 'cache.db'}"
    a, b = Store(url), Store(url)
    a.init()
    received(a, "C-1")
    real = a.engine.dialect.do_commit
    calls = {"n": 0}

    def fail_once(dbapi_connection: object) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        real(dbapi_connection)  # type: ignore[arg-type]

    a.engine.dialect.do_commit = fail_once  # type: ignore[method-assign]
    with pytest.raises(StoreError, match="simulated"):
        a.append("C-1", "transfer", at=vn(2025, 3, 3, 10), to_agency="so-xd")
    b.append("C-1", "start", at=vn(2025, 3, 3, 11))  # the same version 2, another event
    r = a.append("C-1", "request_supplement", at=vn(2025, 3, 4, 9), missing=["Tờ khai"])
    assert [e.event for e in a.history("C-1")] == ["receive", "start", "request_supplement"]
    assert r.state.agency == "so-tp"  # the failed transfer left nothing behind
    assert a.verify().ok
