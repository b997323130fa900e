"""The append path at the driver level (``mot_cua.store._hot``) against the general path.

The store appends through pre-rendered SQL on the DBAPI connection (SQLite's ``sqlite3``,
PostgreSQL's psycopg 3) and keeps the SQLAlchemy Core path for the rest (``create`` with
events, retried idempotency keys, other drivers). Both must leave byte for byte the same rows,
raise the same errors, and keep the state equal to the replay (``verify``), on both dialects.
"""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mot_cua import VN_TZ
from mot_cua.errors import (
    ConcurrencyError,
    InvalidInputError,
    MotCuaError,
    StoreError,
    TransitionRejected,
    UnknownDossierError,
)
from mot_cua.store import EventInput, Store
from mot_cua.store._hot import hot_path
from mot_cua.store._models import DossierState, StoredEvent, trusted
from tests.test_store import BACKENDS, fresh_url

FIXED = dt.datetime(2025, 6, 2, 8, 30, 0, 123456, tzinfo=VN_TZ)
START = dt.datetime(2025, 3, 3, 9, tzinfo=VN_TZ)
TABLES = ("mot_cua_dossiers", "mot_cua_events", "mot_cua_findings")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Store]:
    s = Store(fresh_url(request.param, tmp_path), clock=lambda: FIXED)
    s.init()
    yield s
    s.close()


def stored_rows(store: Store, code: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of a dossier as the database holds it (SQLite: the stored text itself),
    with the code blanked so that two dossiers can be compared."""
    out = {}
    with store.engine.connect() as conn:
        for table in TABLES:
            order = "version" if table == "mot_cua_events" else "1"
            if table == "mot_cua_findings":
                order = "position"
            rows = conn.execute(
                sa.text(f"SELECT * FROM {table} WHERE code = :c ORDER BY {order}"), {"c": code}
            )
            out[table] = [tuple("CODE" if v == code else v for v in r) for r in rows]
    return out


def general(store: Store) -> Store:
    """The same database and settings, appending through SQLAlchemy Core only."""
    other = Store(store.url, clock=lambda: FIXED)
    other._hot = None
    return other


def outcome(fn: Any) -> tuple[str, Any]:
    try:
        r = fn()
    except MotCuaError as exc:
        return type(exc).__name__, str(exc).replace("G-", "X-").replace("H-", "X-")
    return "ok", (r.duplicate, [(e.version, e.event, e.payload) for e in r.events], r.state)


_TAGS = itertools.count(1)
_STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                ("start", {}),
                ("request_supplement", {"missing": ["Tờ khai", "Bản sao"]}),
                ("supplement", {}),
                ("request_payment", {}),
                ("confirm_payment", {}),
                ("transfer", {"to_agency": "so-xd"}),
                ("extend", {"reason": "cần xác minh", "new_due_at": "2025-04-30T17:00+07:00"}),
                ("resolve", {"outcome": "approved"}),
                ("return_result", {}),
                ("stop", {"reason": "không đủ điều kiện"}),
                ("withdraw", {}),
            ]
        ),
        st.integers(1, 4 * 24 * 60),  # minutes after the previous step
        st.sampled_from([None, "k1", "k2", "k3"]),  # idempotency key, reused now and then
        st.sampled_from([True, True, True, False]),  # expected_version right, or one behind
        st.sampled_from([1, 1, 2]),  # events in this call (append_many)
    ),
    max_size=8,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=_STEPS)
def test_hot_path_writes_what_the_general_path_writes(
    store: Store, steps: list[tuple[tuple[str, dict[str, Any]], int, str | None, bool, int]]
) -> None:
    """Whatever is attempted (illegal events, stale versions, retried keys, batches), both paths
    give the same outcome and leave the same rows; both states equal their replay."""
    other = general(store)
    tag = next(_TAGS)  # Hypothesis may run one example twice on the same database
    hot_code, general_code = f"H-{tag}", f"G-{tag}"
    for s, code in ((store, hot_code), (other, general_code)):
        s.create(code, time_limit="5 ngày làm việc", agency="so-tp")
        s.append(code, "receive", at=START, actor="desk-1")
    at, version = START, 1
    for (name, payload), gap, key, current, count in steps:
        at += dt.timedelta(minutes=gap)
        items = [
            EventInput(name, at + dt.timedelta(seconds=i), "handler", payload, key and f"{key}{i}")
            for i in range(count)
        ]
        expected = version if current else version - 1
        got = [
            outcome(
                lambda s=s, c=c, items=items, expected=expected: s.append_many(
                    c, items, expected_version=expected
                )
            )
            for s, c in ((store, hot_code), (other, general_code))
        ]
        hot, gen = got
        assert hot[0] == gen[0]
        if hot[0] != "ok":
            assert hot[1] == gen[1]
        else:
            assert hot[1][:2] == gen[1][:2]
            hot_state, gen_state = hot[1][2], gen[1][2]
            assert hot_state.model_dump(exclude={"code"}) == gen_state.model_dump(exclude={"code"})
            version = hot_state.version
        assert stored_rows(store, hot_code) == stored_rows(other, general_code)
    assert store.get(hot_code).model_dump(exclude={"code"}) == other.get(general_code).model_dump(
        exclude={"code"}
    )
    assert store.verify().ok
    other.close()


def test_hot_path_is_used_on_sqlite_and_psycopg_only(store: Store) -> None:
    assert store._hot is not None
    assert store._hot.dialect == store.dialect
    assert hot_path("postgresql", "psycopg2") is None
    assert hot_path("mysql", "mysqldb") is None


def test_append_result_equals_what_a_reader_gets(store: Store) -> None:
    store.create("R-1", time_limit="10 ngày làm việc", agency="so-tp")
    store.append("R-1", "receive", at=START)
    store.append("R-1", "start", at=START + dt.timedelta(hours=1))
    r = store.append("R-1", "request_supplement", at=START + dt.timedelta(hours=2), missing=["a"])
    assert r.state == store.get("R-1")
    assert list(r.events) == store.history("R-1")[2:]
    assert r.state.paused_since == START + dt.timedelta(hours=2)
    assert r.state.updated_at == FIXED
    assert r.events[0].recorded_at == FIXED


def test_findings_are_indexed_by_the_hot_path(store: Store) -> None:
    store.create("F-1", time_limit="10 ngày làm việc", agency="so-tp")
    store.append("F-1", "receive", at=START)
    store.append("F-1", "start", at=START + dt.timedelta(hours=1))
    for day, (event, payload) in enumerate(
        [("request_supplement", {"missing": ["A"]}), ("supplement", {})] * 2, start=1
    ):
        r = store.append("F-1", event, at=START + dt.timedelta(days=day), **payload)
    # A second supplement request: a finding (Decision 766/QĐ-TTg), indexed with its version.
    assert [f["code"] for f in r.state.findings] == ["repeated_supplement"]
    assert store.codes(finding="repeated_supplement") == ["F-1"]
    assert r.state.overdue_from == START
    with store.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT position, finding, version FROM mot_cua_findings"))
        assert [tuple(x) for x in row] == [(0, "repeated_supplement", 5)]
    assert store.verify().ok


def test_errors_of_the_hot_path(store: Store) -> None:
    with pytest.raises(UnknownDossierError, match="no dossier 'nope'"):
        store.append("nope", "receive", at=START)
    store.create("E-1", time_limit="10 ngày làm việc", agency="so-tp")
    store.append("E-1", "receive", at=START)
    with pytest.raises(TransitionRejected, match="not allowed"):
        store.append("E-1", "return_result", at=START + dt.timedelta(hours=1))
    with pytest.raises(ConcurrencyError, match="at version 1, not 0"):
        store.append("E-1", "start", at=START + dt.timedelta(hours=1), expected_version=0)
    # One key twice in a batch: the unique index refuses the second row, nothing is stored.
    twice = [
        EventInput("start", START + dt.timedelta(hours=1), idempotency_key="same"),
        EventInput(
            "transfer",
            START + dt.timedelta(hours=2),
            payload={"to_agency": "x"},
            idempotency_key="same",
        ),
    ]
    with pytest.raises(ConcurrencyError, match="another writer"):
        store.append_many("E-1", twice)
    assert store.get("E-1").version == 1
    assert len(store.history("E-1")) == 1
    # A retried key gets the stored result, even with the version it saw before.
    first = store.append("E-1", "start", at=START + dt.timedelta(hours=1), idempotency_key="k")
    again = store.append(
        "E-1", "start", at=START + dt.timedelta(hours=1), idempotency_key="k", expected_version=1
    )
    assert again.duplicate
    assert again.events == first.events
    assert again.state == first.state
    with pytest.raises(InvalidInputError, match="already used for event 'start'"):
        store.append(
            "E-1", "stop", at=START + dt.timedelta(hours=3), reason="x", idempotency_key="k"
        )
    assert store.verify().ok


def test_a_naive_clock_is_refused_before_anything_is_written(store: Store) -> None:
    store.create("N-1", time_limit="10 ngày làm việc", agency="so-tp")
    naive = Store(store.url, clock=lambda: dt.datetime(2025, 6, 2, 8))
    with pytest.raises(InvalidInputError, match="naive datetime"):
        naive.append("N-1", "receive", at=START)
    naive.close()
    assert store.get("N-1").version == 0
    assert store.history("N-1") == []


def test_the_kept_sqlite_connection_is_released_on_close(tmp_path: Any) -> None:
    s = Store(f"sqlite:///{tmp_path / 'held.db'}", pool_size=1)
    s.init()
    s.create("K-1", time_limit="10 ngày làm việc", agency="so-tp")
    s.append("K-1", "receive", at=START)
    assert s._held is not None
    s.close()
    assert s._held is None
    assert s.engine.pool.checkedout() == 0
    assert s.append("K-1", "start", at=START + dt.timedelta(hours=1)).state.version == 2
    s.close()


@pytest.mark.postgres
def test_a_connection_the_server_dropped_fails_once_then_the_pool_replaces_it(
    tmp_path: Any,
) -> None:
    url = fresh_url("postgres", tmp_path)
    s = Store(url, pool_size=1)
    s.init()
    s.create("D-1", time_limit="10 ngày làm việc", agency="so-tp")
    s.append("D-1", "receive", at=START)
    killer = sa.create_engine(s.engine.url)
    with killer.connect() as conn:
        conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    killer.dispose()
    with pytest.raises(StoreError, match="cannot write"):
        s.append("D-1", "start", at=START + dt.timedelta(hours=1))
    assert s.append("D-1", "start", at=START + dt.timedelta(hours=1)).state.version == 2
    assert s.verify().ok
    s.close()


def test_trusted_builds_what_model_construct_builds() -> None:
    data = {
        "code": "X",
        "version": 1,
        "event": "receive",
        "at": START,
        "actor": "desk",
        "payload": {},
        "recorded_at": FIXED,
        "idempotency_key": None,
    }
    fast, slow = trusted(StoredEvent, dict(reversed(data.items()))), StoredEvent(**data)
    assert fast == slow
    assert repr(fast) == repr(slow)
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.model_dump() == slow.model_dump()
    # Incomplete data: model_construct, which fills the defaults.
    partial = {k: v for k, v in data.items() if k != "idempotency_key"}
    assert trusted(StoredEvent, partial).idempotency_key is None
    with pytest.raises(AttributeError):
        _ = trusted(DossierState, {"code": "X"}).status


def _child_appends(store: Store, code: str) -> None:
    store.engine.dispose(close=False)  # SQLAlchemy's advice after a fork: fresh connections
    store.append(code, "start", at=START + dt.timedelta(hours=1))
    store.close()  # the parent's kept connection is left alone


def test_a_forked_child_never_uses_the_parents_kept_connection(tmp_path: Any) -> None:
    s = Store(f"sqlite:///{tmp_path / 'fork.db'}", pool_size=1)
    s.init()
    s.create("K-1", time_limit="10 ngày làm việc", agency="so-tp")
    s.append("K-1", "receive", at=START)
    assert s._held is not None
    parents = s._held[0]
    child = multiprocessing.get_context("fork").Process(target=_child_appends, args=(s, "K-1"))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert s._held is not None
    assert s._held[0] is parents
    r = s.append("K-1", "request_supplement", at=START + dt.timedelta(hours=2), missing=["a"])
    assert r.state.version == 3
    assert [e.event for e in s.history("K-1")] == ["receive", "start", "request_supplement"]
    assert s.verify().ok
    s.close()
