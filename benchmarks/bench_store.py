"""Benchmark the dossier store: appended events per second and the overdue query at 1M dossiers.

Side by side in one run, on SQLite (a file in a temporary directory) and, when a URL is given,
PostgreSQL:

* **append**: mot_cua ``Store.append`` (lifecycle replay, optimistic concurrency, event row and
  current-state row in one transaction), one event per transaction, one writer; the same with
  ``--writers`` processes; the same single writer through SQLAlchemy Core (the store's general
  path) instead of its driver-level append statements; whole histories with ``append_many``
  (one transaction per dossier);
  against two home-made baselines on the same database: ``UPDATE status`` in place (no history,
  no rules: what the issue calls "a status column overwritten in place") and a bare ``INSERT``
  of an event row (a log with no current state and no rules).
* **overdue query** over ``--dossiers`` current-state rows bulk-loaded directly: ``count`` and
  the first page of ``find(overdue_at=...)`` through the index, against the same count with the
  index bypassed (SQLite ``NOT INDEXED``; PostgreSQL ``enable_indexscan/bitmapscan off``).

Usage::

    python benchmarks/bench_store.py [--dossiers 1000000] [--append-dossiers 400] [--writers 8]
        [--postgres postgresql://user@127.0.0.1:5432/db]   # or $MOT_CUA_BENCH_POSTGRES_URL
        [--only append|query] [--repeat 3]

The PostgreSQL database is emptied of the store's tables first. Prints one table per backend.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mot_cua import VN_TZ
from mot_cua.store import EventInput, Store, normalise_url
from mot_cua.store._schema import METADATA, VERSION_TABLE

AT = dt.datetime(2025, 3, 3, 9, tzinfo=VN_TZ)
#: CPU seconds per event of this process in the last single-writer run, by prefix.
CPU: dict[str, float] = {}
LIFE = [
    ("receive", {}),
    ("start", {}),
    ("request_supplement", {"missing": ["Tờ khai"]}),
    ("supplement", {}),
    ("resolve", {"outcome": "approved"}),
    ("return_result", {}),
]


def fresh(url: str) -> Store:
    engine = sa.create_engine(normalise_url(url))
    with engine.begin() as conn:
        METADATA.drop_all(conn)
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {VERSION_TABLE}"))
    engine.dispose()
    store = Store(url)
    store.init()
    return store


def _create(store: Store, prefix: str, n: int) -> list[str]:
    codes = [f"{prefix}-{i:06d}" for i in range(n)]
    for code in codes:
        store.create(code, time_limit="10 ngày làm việc", agency="so-tp")
    return codes


def append_events(
    url: str, prefix: str, n: int, barrier: Any = None, *, core: bool = False, **opts: Any
) -> float:
    """Seconds to append the 6-event lifecycle to n dossiers, one event per transaction
    (``core``: through SQLAlchemy Core, the store's general path, instead of the driver-level
    statements of its append path)."""
    store = Store(url, pool_size=1, **opts)
    if core:
        store._hot = None
    codes = _create(store, prefix, n)
    if barrier is not None:
        barrier.wait()
    start, cpu = time.perf_counter(), time.process_time()
    for i, (event, payload) in enumerate(LIFE):
        for code in codes:
            store.append(code, event, at=AT + dt.timedelta(hours=i), expected_version=i, **payload)
    elapsed = time.perf_counter() - start
    CPU[prefix] = (time.process_time() - cpu) / (n * len(LIFE))
    store.close()
    return elapsed


def append_batches(url: str, prefix: str, n: int) -> float:
    """Seconds to append the 6-event lifecycle to n dossiers, one transaction per dossier."""
    store = Store(url, pool_size=1)
    codes = _create(store, prefix, n)
    events = [EventInput(e, AT + dt.timedelta(hours=i), payload=p) for i, (e, p) in enumerate(LIFE)]
    start = time.perf_counter()
    for code in codes:
        store.append_many(code, events, expected_version=0)
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def _worker(url: str, prefix: str, n: int, barrier: Any, opts: dict[str, Any]) -> None:
    append_events(url, prefix, n, barrier, **opts)


def append_parallel(url: str, prefix: str, n: int, writers: int, **opts: Any) -> float:
    """Wall seconds for ``writers`` processes appending the lifecycle to n dossiers each
    (timed from the moment all of them have created their dossiers)."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(writers + 1)
    procs = [
        ctx.Process(target=_worker, args=(url, f"{prefix}{w}", n, barrier, opts))
        for w in range(writers)
    ]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    for p in procs:
        p.join()
    assert all(p.exitcode == 0 for p in procs)
    return time.perf_counter() - start


def baseline_update(url: str, n: int) -> float:
    """Seconds for 6n ``UPDATE ... SET status`` statements, one per transaction."""
    store = Store(url, pool_size=1)  # the same engine settings (WAL, synchronous, ...)
    engine = store.engine
    table = sa.Table(
        "bench_status",
        sa.MetaData(),
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(32)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    )
    with engine.begin() as conn:
        table.drop(conn, checkfirst=True)
        table.create(conn)
        conn.execute(table.insert(), [{"code": f"B-{i}", "status": "new"} for i in range(n)])
    stmt = (
        table.update()
        .where(table.c.code == sa.bindparam("p_code"))
        .values(status=sa.bindparam("p_status"), updated_at=sa.bindparam("p_at"))
    )
    start = time.perf_counter()
    for event, _ in LIFE:
        for i in range(n):
            with engine.begin() as conn:
                conn.execute(stmt, {"p_code": f"B-{i}", "p_status": event, "p_at": AT})
    elapsed = time.perf_counter() - start
    with engine.begin() as conn:
        table.drop(conn)
    store.close()
    return elapsed


def baseline_insert(url: str, n: int) -> float:
    """Seconds for 6n bare event-row ``INSERT``s, one per transaction."""
    store = Store(url, pool_size=1)  # the same engine settings (WAL, synchronous, ...)
    engine = store.engine
    table = sa.Table(
        "bench_log",
        sa.MetaData(),
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("event", sa.String(32)),
        sa.Column("at", sa.DateTime(timezone=True)),
    )
    with engine.begin() as conn:
        table.drop(conn, checkfirst=True)
        table.create(conn)
    stmt = table.insert()
    start = time.perf_counter()
    for v, (event, _) in enumerate(LIFE):
        for i in range(n):
            with engine.begin() as conn:
                conn.execute(stmt, {"code": f"B-{i}", "version": v, "event": event, "at": AT})
    elapsed = time.perf_counter() - start
    with engine.begin() as conn:
        table.drop(conn)
    store.close()
    return elapsed


# -- the overdue query --------------------------------------------------------------------------

_COLUMNS = (
    "code, version, time_limit, agency, status, received_at, due_at, provisional, pauses, "
    "supplement_rounds, extensions, findings, overdue_from, created_at, updated_at"
)


def _rows(n: int, seed: int, *, sqlite: bool) -> Any:
    """n current-state rows: 80% finished, the rest open with a due moment in 2024-2026."""
    rng = random.Random(seed)
    base = dt.datetime(2024, 1, 1)  # naive UTC, formatted as SQLAlchemy stores it on SQLite
    minute, day = dt.timedelta(minutes=1), dt.timedelta(days=1)

    def out(t: dt.datetime) -> Any:
        if sqlite:
            return t.isoformat(sep=" ", timespec="microseconds")
        return t.replace(tzinfo=dt.UTC)

    for i in range(n):
        received = base + rng.randrange(0, 2 * 365 * 24 * 60) * minute
        due = received + rng.randrange(1, 60) * day
        done = rng.random() < 0.8  # 80% finished: no overdue_from
        r, d = out(received), out(due)
        yield (
            f"L-{i:07d}",
            4,
            '{"value": 10, "unit": "working_days"}',
            f"agency-{i % 50}",
            "returned" if done else "processing",
            r,
            d,
            False,
            "[]",
            "[]",
            0,
            "[]",
            None if done else d,
            r,
            r,
        )


def bulk_load(store: Store, n: int) -> float:
    """Load n current-state rows directly (driver level), then ANALYZE (PostgreSQL: VACUUM
    ANALYZE, as autovacuum would); returns seconds."""
    start = time.perf_counter()
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        if store.dialect == "sqlite":
            marks = ", ".join("?" * len(_COLUMNS.split(",")))
            sql = f"INSERT INTO mot_cua_dossiers ({_COLUMNS}) VALUES ({marks})"
            cur.execute("BEGIN")
            cur.executemany(sql, _rows(n, 20261201, sqlite=True))
            cur.execute("COMMIT")
            cur.execute("ANALYZE")
        else:
            with cur.copy(f"COPY mot_cua_dossiers ({_COLUMNS}) FROM STDIN") as copy:
                for r in _rows(n, 20261201, sqlite=False):
                    copy.write_row(r)
            raw.commit()
            driver: Any = raw.driver_connection
            driver.autocommit = True  # VACUUM: what autovacuum does to a table in service
            driver.execute("VACUUM ANALYZE mot_cua_dossiers")
            driver.autocommit = False
        cur.close()
    finally:
        raw.close()
    return time.perf_counter() - start


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def unindexed_count(store: Store, at: dt.datetime) -> int:
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            sql = "SELECT count(*) FROM mot_cua_dossiers NOT INDEXED WHERE overdue_from < :t"
            value = at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        else:
            conn.execute(sa.text("SET enable_indexscan = off"))
            conn.execute(sa.text("SET enable_bitmapscan = off"))
            conn.execute(sa.text("SET enable_indexonlyscan = off"))
            sql = "SELECT count(*) FROM mot_cua_dossiers WHERE overdue_from < :t"
            value = at  # type: ignore[assignment]
        return int(conn.execute(sa.text(sql), {"t": value}).scalar_one())


def bench(name: str, url: str, args: argparse.Namespace) -> None:
    if args.only != "query":
        bench_append(name, url, args)
    if args.only != "append":
        bench_query(name, url, args)


def bench_append(name: str, url: str, args: argparse.Namespace) -> None:
    n = args.append_dossiers
    events = n * len(LIFE)
    print(f"\n== {name}: {events} appended events ({n} dossiers x {len(LIFE)})")
    store = fresh(url)
    store.close()
    # Best of --repeat runs (fresh dossiers each time): the machine is shared, and the best run
    # is the one least disturbed by other jobs.
    single = min(append_events(url, f"S{r}", n) for r in range(args.repeat))
    core = min(append_events(url, f"C{r}", n, core=True) for r in range(args.repeat))
    batch = min(append_batches(url, f"M{r}", n) for r in range(args.repeat))
    par_n = max(1, n // args.writers)
    par = min(append_parallel(url, f"P{r}-", par_n, args.writers) for r in range(args.repeat))
    upd = min(baseline_update(url, n) for _ in range(args.repeat))
    ins = min(baseline_insert(url, n) for _ in range(args.repeat))
    rows = [
        ("mot_cua append, 1 writer, 1 event/txn", events / single),
        (
            f"mot_cua append, {args.writers} processes, 1 event/txn",
            par_n * args.writers * len(LIFE) / par,
        ),
        ("mot_cua append_many, 1 writer, 6 events/txn", events / batch),
        ("mot_cua append through SQLAlchemy Core, 1 writer", events / core),
        ("baseline: UPDATE status in place, 1/txn", events / upd),
        ("baseline: bare INSERT event row, 1/txn", events / ins),
    ]
    if url.startswith("postgres"):
        off = {"pg_synchronous_commit": "off"}
        rows.insert(
            3,
            (
                "mot_cua append, 1 writer, synchronous_commit=off",
                events / min(append_events(url, f"O{r}", n, **off) for r in range(args.repeat)),
            ),
        )
        rows.insert(
            4,
            (
                f"mot_cua append, {args.writers} processes, synchronous_commit=off",
                par_n
                * args.writers
                * len(LIFE)
                / min(
                    append_parallel(url, f"Q{r}-", par_n, args.writers, **off)
                    for r in range(args.repeat)
                ),
            ),
        )
    first = rows[0][1]
    print(f"{'path':52} {'events/s':>10} {'vs mot_cua 1 writer':>20}")
    for label, rate in rows:
        print(f"{label:52} {rate:10,.0f} {rate / first:19.2f}x")
    cpu = min(v for k, v in CPU.items() if k.startswith("S"))
    cpu_core = min(v for k, v in CPU.items() if k.startswith("C"))
    print(
        f"CPU of the writer process, 1 writer, best run: {cpu * 1e6:.0f} µs/event "
        f"(= {1 / cpu:,.0f} events/s if it had a core to itself; the database server's CPU, "
        f"for PostgreSQL, is not included); through SQLAlchemy Core: {cpu_core * 1e6:.0f} µs"
    )


def bench_query(name: str, url: str, args: argparse.Namespace) -> None:
    print(f"\n== {name}: overdue query over {args.dossiers:,} stored dossiers")
    store = fresh(url)
    load = bulk_load(store, args.dossiers)
    print(f"bulk load (driver level) + ANALYZE: {load:.1f} s")
    at = dt.datetime(2025, 6, 1, 9, tzinfo=VN_TZ)
    t_count, count = timed(lambda: store.count(overdue_at=at))
    t_page, page = timed(lambda: store.find(overdue_at=at, limit=100))
    t_codes, codes = timed(lambda: store.codes(overdue_at=at), repeat=3)
    t_scan, scan = timed(lambda: unindexed_count(store, at), repeat=3)
    assert scan == count == len(codes), (scan, count, len(codes))
    assert len(page) == 100
    print(f"{'query':52} {'median':>10} {'rows':>10}")
    print(f"{'count(overdue_at=...) (index)':52} {t_count * 1000:8.1f} ms {count:10,}")
    print(f"{'find(overdue_at=..., limit=100) (index)':52} {t_page * 1000:8.1f} ms {100:10,}")
    print(f"{'codes(overdue_at=...) all codes (index)':52} {t_codes * 1000:8.1f} ms {count:10,}")
    print(
        f"{'baseline: count without the index (full scan)':52} {t_scan * 1000:8.1f} ms "
        f"{scan:10,}  ({t_scan / t_count:.1f}x the indexed count)"
    )
    store.close()


def main() -> None:
    """Run the benchmark (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--append-dossiers", type=int, default=400)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--only", choices=("append", "query"), default=None)
    parser.add_argument("--repeat", type=int, default=3, help="append runs; the best is kept")
    parser.add_argument("--postgres", default=os.environ.get("MOT_CUA_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    print(f"mot_cua store benchmark, {os.cpu_count()} CPUs, machine shared with other jobs")
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite (WAL, synchronous=NORMAL)", f"sqlite:///{Path(tmp) / 'bench.db'}", args)
    if args.postgres:
        bench("PostgreSQL (psycopg 3)", args.postgres, args)
    else:
        print("\n(PostgreSQL skipped: pass --postgres URL or set MOT_CUA_BENCH_POSTGRES_URL)")


if __name__ == "__main__":
    main()
