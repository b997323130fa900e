"""The store's HTTP endpoints against a real server on loopback (``mot-cua serve --store``).

The server runs uvicorn in a thread of the test process (so the test can create tokens in the
same store) or, for ``mot-cua serve --store``, in a child process.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from mot_cua import VN_TZ
from mot_cua.server import LocalServer, ServerSettings, create_app, free_port
from mot_cua.server.store_routes import store_router
from mot_cua.store import Store
from tests.test_store import BACKENDS, fresh_url

WRITERS = 16
PER_WRITER = 6


class ThreadServer:
    """uvicorn serving ``create_app`` with the store's router, in a thread."""

    def __init__(self, store: Store) -> None:
        app = create_app(ServerSettings(access_log=False), routers=[store_router(store)])
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = Store(fresh_url(request.param, tmp_path))
    s.init()
    yield s
    s.close()


@pytest.fixture
def tokens(store: Store) -> dict[str, str]:
    return {
        name: store.create_token(name, role, agency=agency)[1]
        for name, role, agency in [
            ("desk-1", "desk", None),
            ("tp", "agency", "so-tp"),
            ("xd", "agency", "so-xd"),
            ("audit", "auditor", None),
            ("root", "admin", None),
        ]
    }


@pytest.fixture
def server(store: Store) -> Iterator[ThreadServer]:
    with ThreadServer(store) as s:
        yield s


def client(server: ThreadServer, secret: str | None) -> httpx.Client:
    headers = {} if secret is None else {"Authorization": f"Bearer {secret}"}
    return httpx.Client(base_url=server.url, headers=headers, timeout=60)


NEW = {
    "code": "H29-250303-0001",
    "time_limit": "10 ngày làm việc",
    "agency": "so-tp",
    "receiving_unit": "ttpvhcc",
    "events": [{"event": "receive", "at": "2025-03-03T09:00:00+07:00"}],
}


def problem(r: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    assert body["error"]["type"] == kind
    assert "Traceback" not in r.text
    return body


def test_create_append_get_with_etags(server: ThreadServer, tokens: dict[str, str]) -> None:
    with client(server, tokens["desk-1"]) as c:
        r = c.post("/v1/dossiers", json=NEW)
        assert r.status_code == 201, r.text
        assert r.headers["etag"] == '"1"'
        assert r.headers["location"] == "/v1/dossiers/H29-250303-0001"
        body = r.json()
        assert body["dossier"]["status"] == "received"
        assert body["dossier"]["due_at"] == "2025-03-17T17:00:00+07:00"
        assert body["events"][0]["actor"] == "desk-1"
        r = c.post(
            "/v1/dossiers/H29-250303-0001/events",
            json={"event": "start", "at": "2025-03-03T10:00:00+07:00"},
            headers={"If-Match": '"1"'},
        )
        assert r.status_code == 201, r.text
        assert r.headers["etag"] == '"2"'
        assert r.json()["dossier"]["allowed_events"][0] == "extend"
        r = c.get("/v1/dossiers/H29-250303-0001")
        assert r.status_code == 200
        assert r.headers["etag"] == '"2"'
        assert r.json()["status"] == "processing"
        r = c.get("/v1/dossiers/H29-250303-0001", headers={"If-None-Match": '"2"'})
        assert r.status_code == 304
        r = c.get("/v1/dossiers/H29-250303-0001/events")
        assert [e["version"] for e in r.json()["events"]] == [1, 2]


def test_stale_if_match_is_412_and_illegal_event_is_409(
    server: ThreadServer, tokens: dict[str, str]
) -> None:
    with client(server, tokens["desk-1"]) as c:
        c.post("/v1/dossiers", json=NEW)
        ok = c.post(
            "/v1/dossiers/H29-250303-0001/events",
            json={"event": "start", "at": "2025-03-03T10:00:00+07:00"},
            headers={"If-Match": '"1"'},
        )
        assert ok.status_code == 201
        r = c.post(
            "/v1/dossiers/H29-250303-0001/events",
            json={"event": "stop", "reason": "x"},
            headers={"If-Match": '"1"'},
        )
        body = problem(r, 412, "concurrency")
        assert r.headers["etag"] == '"2"'
        assert body["error"]["current_version"] == 2
        r = c.post(
            "/v1/dossiers/H29-250303-0001/events",
            json={"event": "return_result"},
            headers={"If-Match": '"2"'},
        )
        body = problem(r, 409, "transition_rejected")
        assert "'return_result' (#2) is not allowed in state processing" in body["detail"]
        r = c.post(
            "/v1/dossiers/H29-250303-0001/events",
            json={"event": "resolve", "outcome": "denied"},
            headers={"If-Match": '"2"'},
        )
        assert "a denial needs its reasons" in problem(r, 409, "business_rule")["detail"]
        problem(c.post("/v1/dossiers", json=NEW), 409, "concurrency")
        r = c.post(
            "/v1/dossiers/H29-250303-0001/events",
            json={"event": "stop"},
            headers={"If-Match": "three"},
        )
        assert problem(r, 422, "invalid_input")["error"]["field"] == "If-Match"
        problem(c.get("/v1/dossiers/nope"), 404, "unknown_dossier")
        r = c.post("/v1/dossiers/nope/events", json={"event": "receive"})
        problem(r, 404, "unknown_dossier")


def test_idempotency_key_over_http(server: ThreadServer, tokens: dict[str, str]) -> None:
    with client(server, tokens["desk-1"]) as c:
        r1 = c.post("/v1/dossiers", json=NEW, headers={"Idempotency-Key": "create-1"})
        r2 = c.post("/v1/dossiers", json=NEW, headers={"Idempotency-Key": "create-1"})
        assert (r1.status_code, r2.status_code) == (201, 200)
        assert r2.json()["duplicate"] is True
        event = {"event": "start", "at": "2025-03-03T10:00:00+07:00"}
        h = {"If-Match": '"1"', "Idempotency-Key": "start-1"}
        a = c.post("/v1/dossiers/H29-250303-0001/events", json=event, headers=h)
        b = c.post("/v1/dossiers/H29-250303-0001/events", json=event, headers=h)
        assert (a.status_code, b.status_code) == (201, 200)
        assert b.json()["events"][0]["version"] == 2
        assert c.get("/v1/dossiers/H29-250303-0001").json()["version"] == 2


def test_authentication_and_scope(
    store: Store, server: ThreadServer, tokens: dict[str, str]
) -> None:
    with client(server, None) as anon:
        r = anon.get("/v1/dossiers")
        problem(r, 401, "access_denied")
        assert r.headers["www-authenticate"].startswith("Bearer")
        problem(anon.post("/v1/dossiers", json=NEW), 401, "access_denied")
    with client(server, "mct_not-a-token") as bad:
        problem(bad.get("/v1/dossiers"), 401, "access_denied")
    with client(server, tokens["desk-1"]) as desk:
        desk.post("/v1/dossiers", json=NEW)
    event = {"event": "start", "at": "2025-03-03T10:00:00+07:00"}
    path = "/v1/dossiers/H29-250303-0001"
    with client(server, tokens["xd"]) as xd:
        problem(xd.get(path), 403, "access_denied")
        problem(xd.post(path + "/events", json=event), 403, "access_denied")
        assert xd.get("/v1/dossiers").json()["dossiers"] == []
    with client(server, tokens["audit"]) as audit:
        assert audit.get(path).status_code == 200
        body = problem(audit.post(path + "/events", json=event), 403, "access_denied")
        assert "read-only" in body["detail"]
    with client(server, tokens["tp"]) as tp:
        r = tp.post(path + "/events", json={**event, "actor": "someone else"})
        assert problem(r, 422, "invalid_input")["error"]["field"] == "actor"
        r = tp.post(path + "/events", json=event)
        assert r.status_code == 201
        assert r.json()["events"][0]["actor"] == "tp"  # the principal
        r = tp.post(path + "/events", json={"event": "transfer", "to_agency": "so-xd"})
        assert r.status_code == 201
        problem(
            tp.post(path + "/events", json={"event": "stop", "reason": "x"}), 403, "access_denied"
        )
    store.revoke_token("xd")
    with client(server, tokens["xd"]) as xd:
        problem(xd.get(path), 401, "access_denied")
    assert store.verify().ok


def test_queries_and_apology_worklist(server: ThreadServer, tokens: dict[str, str]) -> None:
    with client(server, tokens["root"]) as c:
        for i, (limit, day) in enumerate([("10 ngày làm việc", 3), ("3 ngày làm việc", 10)]):
            r = c.post(
                "/v1/dossiers",
                json={
                    "code": f"Q-{i}",
                    "time_limit": limit,
                    "agency": "so-tp" if i == 0 else "so-xd",
                    "events": [{"event": "receive", "at": f"2025-03-{day:02d}T09:00:00+07:00"}],
                },
            )
            assert r.status_code == 201, r.text
        # Q-0 is due 17/03, Q-1 13/03 (17:00).
        r = c.get("/v1/dossiers", params={"status": "received", "agency": "so-xd"})
        assert [d["code"] for d in r.json()["dossiers"]] == ["Q-1"]
        r = c.get("/v1/dossiers", params={"overdue_at": "2025-03-14T08:00:00+07:00"})
        assert [d["code"] for d in r.json()["dossiers"]] == ["Q-1"]
        r = c.get("/v1/dossiers", params={"due_within": 4, "at": "2025-03-11T09:00:00+07:00"})
        assert [d["code"] for d in r.json()["dossiers"]] == ["Q-1", "Q-0"]  # most urgent first
        r = c.get("/v1/dossiers", params={"limit": 1})
        assert (len(r.json()["dossiers"]), r.json()["next"]) == (1, "Q-0")
        r = c.get("/v1/dossiers", params={"limit": 1, "after": "Q-0"})
        assert ([d["code"] for d in r.json()["dossiers"]], r.json()["next"]) == (["Q-1"], None)
        r = c.get("/v1/worklists/apologies", params={"date": "2025-03-12"})
        assert r.json() == {"date": "2025-03-12", "dossiers": r.json()["dossiers"]}
        assert [d["code"] for d in r.json()["dossiers"]] == ["Q-1"]
        problem(
            c.get("/v1/dossiers", params={"overdue_at": "2025-03-14T08:00"}), 422, "invalid_input"
        )
        problem(c.get("/v1/worklists/apologies", params={"date": "soon"}), 422, "invalid_input")
        problem(c.get("/v1/dossiers", params={"due_within": -1}), 422, "invalid_input")


# -- concurrency through HTTP -----------------------------------------------------------------


def http_writer(url: str, secret: str, writer: int, out: str) -> None:
    """Append transfers to the shared dossier through HTTP, retrying on 412."""
    acked = []
    with httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {secret}"}, timeout=120
    ) as c:
        for i in range(PER_WRITER):
            key = f"h{writer}-{i}"
            while True:
                version = c.get("/v1/dossiers/SAME").json()["version"]
                r = c.post(
                    "/v1/dossiers/SAME/events",
                    json={
                        "event": "transfer",
                        "at": "2025-03-03T12:00:00+07:00",
                        "to_agency": f"agency-{writer}",
                    },
                    headers={"If-Match": f'"{version}"', "Idempotency-Key": key},
                )
                if r.status_code == 412:
                    continue
                assert r.status_code in (200, 201), r.text
                acked.append({"key": key, "version": r.json()["events"][0]["version"]})
                break
        code = f"OWN-{writer}"
        r = c.post(
            "/v1/dossiers",
            json={
                "code": code,
                "time_limit": "5 ngày làm việc",
                "agency": "so-tp",
                "events": [{"event": "receive", "at": "2025-03-03T09:00:00+07:00"}],
            },
        )
        assert r.status_code == 201, r.text
        for j, event in enumerate(
            [
                {"event": "start"},
                {"event": "resolve", "outcome": "approved"},
                {"event": "return_result"},
            ]
        ):
            r = c.post(
                f"/v1/dossiers/{code}/events",
                json=event,
                headers={"If-Match": f'"{j + 1}"', "Idempotency-Key": f"{code}-{j}"},
            )
            assert r.status_code == 201, r.text
            acked.append({"key": f"{code}-{j}", "version": r.json()["events"][0]["version"]})
    Path(out).write_text(json.dumps(acked), "utf-8")


@pytest.mark.parametrize("kind", ["threads", "processes"])
def test_sixteen_http_writers(
    store: Store, server: ThreadServer, tokens: dict[str, str], tmp_path: Path, kind: str
) -> None:
    at = dt.datetime(2025, 3, 3, 9, tzinfo=VN_TZ)
    store.create(
        "SAME",
        time_limit="10 ngày làm việc",
        agency="so-tp",
        events=[
            {"event": "receive", "at": at},
            {"event": "start", "at": at + dt.timedelta(hours=1)},
        ],
    )
    args = [(server.url, tokens["desk-1"], w, str(tmp_path / f"w{w}.json")) for w in range(WRITERS)]
    if kind == "threads":
        workers: list[Any] = [threading.Thread(target=http_writer, args=a) for a in args]
    else:
        # forkserver: never fork() this process, which runs the server's thread
        ctx = multiprocessing.get_context("forkserver")
        workers = [ctx.Process(target=http_writer, args=a) for a in args]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=300)
    if kind == "processes":
        assert [w.exitcode for w in workers] == [0] * WRITERS
    acked = [a for w in range(WRITERS) for a in json.loads((tmp_path / f"w{w}.json").read_text())]
    assert len(acked) == WRITERS * (PER_WRITER + 3)
    stored = {
        e.idempotency_key: e
        for code in ["SAME", *(f"OWN-{w}" for w in range(WRITERS))]
        for e in store.history(code)
        if e.idempotency_key
    }
    assert len(stored) == len(acked)  # nothing stored twice, nothing lost
    for a in acked:
        assert stored[a["key"]].version == a["version"]
    history = store.history("SAME")
    assert [e.version for e in history] == list(range(1, 3 + WRITERS * PER_WRITER))
    assert {e.actor for e in history[2:]} == {"desk-1"}
    assert store.count(status="returned") == WRITERS
    report = store.verify()
    assert report.ok, report.differences


# -- mot-cua serve --store ---------------------------------------------------------------------


def test_serve_with_store_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    s = Store(url)
    s.init()
    _, secret = s.create_token("desk-1", "desk")
    s.close()
    with (
        LocalServer(args=["--store", url, "--no-access-log"], log=tmp_path / "log") as srv,
        httpx.Client(base_url=srv.url, timeout=30) as c,
    ):
        assert c.get("/healthz").status_code == 200
        assert c.get("/v1/dossiers").status_code == 401
        r = c.post("/v1/dossiers", json=NEW, headers={"Authorization": f"Bearer {secret}"})
        assert r.status_code == 201, r.text
        assert "/v1/dossiers/{code}/events" in c.get("/openapi.json").json()["paths"]
    assert Store(url).get("H29-250303-0001").version == 1


def test_serve_refuses_a_store_that_is_not_initialised(tmp_path: Path) -> None:
    from mot_cua.cli import main

    assert main(["serve", "--store", str(tmp_path / "none.db"), "--port", "0"]) == 2


def test_with_a_store_the_service_may_bind_a_public_address() -> None:
    assert ServerSettings(host="0.0.0.0", store_url="sqlite:///x.db").checked().host == "0.0.0.0"
    with pytest.raises(Exception, match="not a loopback address"):
        ServerSettings(host="0.0.0.0").checked()


def test_without_store_no_store_routes() -> None:
    paths = create_app(ServerSettings()).openapi()["paths"]
    assert "/v1/dossiers" not in paths
