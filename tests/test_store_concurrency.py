"""The store under concurrent writers (threads and processes) and a writer killed mid-batch.

Every acknowledged event must be stored exactly once, versions must have no gaps and ``verify``
must be clean, on SQLite here and on PostgreSQL with the ``postgres`` marker.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mot_cua import VN_TZ
from mot_cua.errors import ConcurrencyError
from mot_cua.store import EventInput, Store
from tests.test_store import BACKENDS, fresh_url

WRITERS = 16
PER_WRITER = 12
AT = dt.datetime(2025, 3, 3, 9, tzinfo=VN_TZ)


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    u = fresh_url(request.param, tmp_path)
    s = Store(u)
    s.init()
    s.create(
        "SAME",
        time_limit="10 ngày làm việc",
        agency="so-tp",
        events=[EventInput("receive", AT), EventInput("start", AT + dt.timedelta(hours=1))],
    )
    s.close()
    return u


def same_dossier_writer(url: str, writer: int, out: str) -> None:
    """Append PER_WRITER transfers to one shared dossier, retrying on conflicts."""
    store = Store(url, pool_size=1)
    acked = []
    for i in range(PER_WRITER):
        key = f"w{writer}-e{i}"
        while True:
            version = store.get("SAME").version
            try:
                r = store.append(
                    "SAME",
                    "transfer",
                    at=AT + dt.timedelta(hours=2),
                    expected_version=version,
                    idempotency_key=key,
                    to_agency=f"agency-{writer}",
                )
            except ConcurrencyError:
                continue
            acked.append({"key": key, "version": r.events[0].version, "dup": r.duplicate})
            break
    store.close()
    Path(out).write_text(json.dumps(acked), "utf-8")


def own_dossier_writer(url: str, writer: int, out: str) -> None:
    """A whole lifecycle on a dossier of one's own, one event per transaction."""
    store = Store(url, pool_size=1)
    code = f"OWN-{writer}"
    store.create(code, time_limit="5 ngày làm việc", agency="so-tp")
    steps = [
        ("receive", {}),
        ("start", {}),
        ("request_supplement", {"missing": ["x"]}),
        ("supplement", {}),
        ("resolve", {"outcome": "approved"}),
        ("return_result", {}),
    ]
    acked = []
    for i, (event, payload) in enumerate(steps):
        r = store.append(
            code,
            event,
            at=AT + dt.timedelta(hours=i),
            expected_version=i,
            idempotency_key=f"{code}-{i}",
            **payload,
        )
        acked.append({"key": f"{code}-{i}", "version": r.events[0].version, "dup": False})
    # Without expected_version: appended to whatever the version is, still no conflict lost.
    store.close()
    Path(out).write_text(json.dumps(acked), "utf-8")


def run_threads(target: Callable[[str, int, str], None], url: str, tmp: Path) -> None:
    threads = [
        threading.Thread(target=target, args=(url, w, str(tmp / f"t{w}.json")))
        for w in range(WRITERS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)


def run_processes(target: Callable[[str, int, str], None], url: str, tmp: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    procs = [
        ctx.Process(target=target, args=(url, w, str(tmp / f"t{w}.json"))) for w in range(WRITERS)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0] * WRITERS


def check(url: str, tmp: Path, codes: list[str]) -> None:
    acked = [a for w in range(WRITERS) for a in json.loads((tmp / f"t{w}.json").read_text())]
    store = Store(url)
    stored = [e for code in codes for e in store.history(code)]
    by_key = {}
    for e in stored:
        if e.idempotency_key is not None:
            assert e.idempotency_key not in by_key, f"{e.idempotency_key} stored twice"
            by_key[e.idempotency_key] = e
    for a in acked:  # every acknowledged event is stored, at the version acknowledged
        assert by_key[a["key"]].version == a["version"]
    for code in codes:
        versions = [e.version for e in store.history(code)]
        assert versions == list(range(1, len(versions) + 1)), f"gap in {code}"
        assert store.get(code).version == len(versions)
    report = store.verify()
    assert report.ok, report.differences
    store.close()


@pytest.mark.parametrize("runner", [run_threads, run_processes], ids=["threads", "processes"])
def test_sixteen_writers_on_the_same_dossier(
    url: str, tmp_path: Path, runner: Callable[..., None]
) -> None:
    runner(same_dossier_writer, url, tmp_path)
    check(url, tmp_path, ["SAME"])
    with Store(url) as store:
        assert len(store.history("SAME")) == 2 + WRITERS * PER_WRITER


@pytest.mark.parametrize("runner", [run_threads, run_processes], ids=["threads", "processes"])
def test_sixteen_writers_on_different_dossiers(
    url: str, tmp_path: Path, runner: Callable[..., None]
) -> None:
    runner(own_dossier_writer, url, tmp_path)
    check(url, tmp_path, [f"OWN-{w}" for w in range(WRITERS)])
    with Store(url) as store:
        assert store.count(status="returned") == WRITERS


def test_writers_without_expected_version_lose_nothing(url: str) -> None:
    """Sixteen threads appending blindly: the store serialises them, every event lands."""
    store = Store(url)
    errors: list[BaseException] = []

    def write(w: int) -> None:
        try:
            for i in range(PER_WRITER):
                store.append("SAME", "transfer", to_agency=f"a{w}", idempotency_key=f"b{w}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    history = store.history("SAME")
    assert [e.version for e in history] == list(range(1, 3 + WRITERS * PER_WRITER))
    assert all(a.at <= b.at for a, b in itertools.pairwise(history))
    assert store.verify().ok
    store.close()


# -- crash -------------------------------------------------------------------------------------

BATCH = [
    ("receive", {}),
    ("start", {}),
    ("request_supplement", {"missing": ["x"]}),
    ("supplement", {}),
    ("resolve", {"outcome": "approved"}),
    ("return_result", {}),
]


def crash_writer(url: str, log: str) -> None:
    """Write batches forever, logging each acknowledged one; the parent kills it."""
    store = Store(url, pool_size=1)
    with open(log, "a", encoding="utf-8") as out:
        for n in range(100_000):
            code = f"K-{n:06d}"
            events = [
                EventInput(e, AT + dt.timedelta(hours=i), payload=p, idempotency_key=f"{code}-{i}")
                for i, (e, p) in enumerate(BATCH)
            ]
            store.create(code, time_limit="5 ngày làm việc", agency="so-tp")
            store.append_many(code, events, expected_version=0)  # one transaction
            out.write(code + "\n")
            out.flush()


def test_sigkill_mid_batch_leaves_committed_events_and_no_partial_one(url: str, tmp_path: Path):
    log = tmp_path / "acked.log"
    log.touch()
    ctx = multiprocessing.get_context("fork")
    proc = ctx.Process(target=crash_writer, args=(url, str(log)))
    proc.start()
    deadline = time.monotonic() + 120
    while len(log.read_text().splitlines()) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.pid is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=30)
    assert proc.exitcode == -signal.SIGKILL
    acked = set(log.read_text().splitlines())
    assert len(acked) >= 40

    store = Store(url)  # "restart": a fresh engine on the same database
    sizes = {}
    for state in store.iter_dossiers():
        if state.code.startswith("K-"):
            sizes[state.code] = state.version
    # Every acknowledged batch is stored whole; an unacknowledged one is whole or absent.
    assert acked <= set(sizes)
    assert all(sizes[c] == len(BATCH) for c in acked)
    assert set(sizes.values()) <= {0, len(BATCH)}
    assert sum(1 for v in sizes.values() if v == 0) <= 1  # at most the dossier being written
    report = store.verify()
    assert report.ok, report.differences
    # The store is usable after the crash.
    store.append("SAME", "transfer", to_agency="after-crash")
    store.close()
