"""The HTTP service against a real server: ``mot-cua serve`` in a child process on loopback.

Every endpoint with a real case (same JSON as the command line), and bad input on each: a 4xx
problem+json carrying the command line's error object, never a 500, never a stack trace.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mot_cua.contract import handle_calendar_year, handle_due
from mot_cua.server import LocalServer

LIMITS = ["--max-body-bytes", "65536", "--max-batch-items", "50", "--timeout", "5"]
ROW_7 = {"received": "2025-04-25T10:00", "limit": "3 ngày làm việc"}
BIRTH = {"thuong-tru": "2 ngày làm việc", "bhyt": "1.5 ngày làm việc"}
HISTORY = {
    "procedure": {"time_limit": "10 ngày làm việc"},
    "events": [
        {"event": "receive", "at": "2025-03-03T09:00+07:00"},
        {"event": "start", "at": "2025-03-03T10:00+07:00"},
        {"event": "request_supplement", "at": "2025-03-07T16:00+07:00", "missing": ["Tờ khai"]},
        {"event": "supplement", "at": "2025-03-12T10:00+07:00"},
    ],
}


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("server") / "server.log"


@pytest.fixture(scope="module")
def client(log: Path) -> Iterator[httpx.Client]:
    with (
        LocalServer(args=LIMITS, log=log) as server,
        httpx.Client(base_url=server.url, timeout=30) as c,
    ):
        yield c


def problem_of(r: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    """Check a problem response and return its error object."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status
    assert body["type"] == f"urn:mot-cua:error:{kind}"
    assert body["error"]["type"] == kind
    assert body["detail"] == body["error"]["message"]
    assert "Traceback" not in r.text
    assert "\n" not in body["detail"]
    error: dict[str, Any] = body["error"]
    return error


# -- system ------------------------------------------------------------------------------------


def test_healthz(client: httpx.Client) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_openapi_is_3_1_and_lists_every_endpoint(client: httpx.Client) -> None:
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    paths = set(doc["paths"])
    assert {
        "/healthz",
        "/v1/due",
        "/v1/due:batch",
        "/v1/calendar/{year}",
        "/v1/calendar/days/{date}",
        "/v1/histories:validate",
        "/v1/histories:replay",
        "/v1/routes:plan",
        "/v1/routes:track",
        "/v1/catalog/procedures",
        "/v1/catalog/procedures/{procedure_id}",
        "/v1/reports",
    } <= paths
    schemas = doc["components"]["schemas"]
    assert {"DueRequest", "DueResponse", "Problem", "HistoryRequest"} <= set(schemas)
    due = doc["paths"]["/v1/due"]["post"]
    assert "application/problem+json" in due["responses"]["422"]["content"]


def test_unknown_path_and_method_are_problems(client: httpx.Client) -> None:
    missing = problem_of(client.get("/v1/nothing"), 404, "not_found")
    assert (
        missing["message"]
        == "no endpoint GET /v1/nothing; the endpoints are listed at /openapi.json"
    )
    wrong = problem_of(client.get("/v1/due"), 405, "method_not_allowed")
    assert wrong["message"] == "GET is not allowed on /v1/due; use POST"


# -- due ---------------------------------------------------------------------------------------


def test_due_is_the_cli_json(client: httpx.Client) -> None:
    # Worked example 7: Fri 25/04/2025 10:00 + 3 working days, Sat 26/4 worked -> Tue 29/04.
    r = client.post("/v1/due", json=ROW_7)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert body["due_date"] == "2025-04-29"
    assert body["due_at"] == "2025-04-29T17:00:00+07:00"
    assert body == handle_due(ROW_7)


def test_due_policy_fields_and_pauses(client: httpx.Client) -> None:
    # Worked example 27, restart policy: Wed 26/03/2025.
    body = {
        "received": "2025-03-03T09:00",
        "limit": "10 ngày làm việc",
        "pauses": [{"start": "2025-03-07T16:00", "end": "2025-03-12T10:00"}],
        "pause_policy": "restart",
        "trace": False,
    }
    out = client.post("/v1/due", json=body).json()
    assert out["due_at"] == "2025-03-26T17:00:00+07:00"
    assert "trace" not in out


@pytest.mark.parametrize(
    ("body", "status", "kind", "field"),
    [
        ({"received": "2025-04-25T10:00", "limit": "ba ngày"}, 422, "time_limit_parse", None),
        ({"limit": "3 ngày làm việc"}, 422, "invalid_input", "received"),
        ({"received": "25/04/2025", "limit": "1 ngày"}, 422, "invalid_input", "received"),
        ({"received": "2099-01-05T10:00", "limit": "1 ngày"}, 422, "calendar_range", None),
        ({**ROW_7, "colour": "red"}, 422, "invalid_input", "colour"),
        ({**ROW_7, "method": "fortnights"}, 422, "invalid_input", "method"),
        ({**ROW_7, "cutoff": "25:99"}, 422, "invalid_input", "cutoff"),
        ({**ROW_7, "pauses": ["nonsense"]}, 422, "invalid_pause", None),
        ({"received": "2025-04-25T10:00", "procedure": "no-such"}, 404, "unknown_procedure", None),
        ([1, 2, 3], 422, "invalid_input", None),
    ],
    ids=[
        "bad-limit",
        "no-received",
        "not-iso",
        "beyond-calendar",
        "unknown-field",
        "bad-method",
        "bad-cutoff",
        "bad-pause",
        "unknown-procedure",
        "not-an-object",
    ],
)
def test_due_bad_input(
    client: httpx.Client, body: Any, status: int, kind: str, field: str | None
) -> None:
    error = problem_of(client.post("/v1/due", json=body), status, kind)
    if field is not None:
        assert error["field"] == field


@pytest.mark.parametrize(
    "raw",
    [b'{"received": ', b"\xff\xfe not utf-8", b"[" * 60000, b'{"a": ' + b"9" * 5000 + b"}"],
    ids=["truncated", "binary", "deep", "huge-int"],
)
def test_due_unreadable_body_is_400(client: httpx.Client, raw: bytes) -> None:
    r = client.post("/v1/due", content=raw, headers={"content-type": "application/json"})
    problem_of(r, 400, "invalid_json")


def test_body_over_the_limit_is_413(client: httpx.Client) -> None:
    big = {**ROW_7, "id": "x" * 70000}
    error = problem_of(client.post("/v1/due", json=big), 413, "too_large")
    assert error["limit"] == 65536


def test_chunked_body_over_the_limit_is_413(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"received": "2025-04-25T10:00", "limit": "1 day", "id": "'
        for _ in range(20):
            yield b"x" * 8192
        yield b'"}'

    r = client.post("/v1/due", content=chunks(), headers={"content-type": "application/json"})
    problem_of(r, 413, "too_large")


# -- due:batch ---------------------------------------------------------------------------------


def test_batch_answers_in_order_and_bad_items_in_place(client: httpx.Client) -> None:
    items = [
        {"id": "a", "received": "2025-01-06T09:00", "limit": "3 ngày làm việc"},
        {"id": "b", "received": "2025-01-06T09:00", "limit": "ba ngày"},
        {"id": 3, "received": "2026-02-13T10:00", "limit": "3 ngày làm việc"},
        "not an object",
    ]
    out = client.post("/v1/due:batch", json={"items": items}).json()
    assert out["count"] == 4
    assert out["failed"] == 2
    a, b, c, d = out["results"]
    assert (a["id"], a["due_date"]) == ("a", "2025-01-09")  # worked example 1
    assert (c["id"], c["due_date"]) == (3, "2026-02-25")  # worked example 15 (Tết 2026)
    assert b == {"id": "b", "index": 1, "error": b["error"]}
    assert b["error"]["type"] == "time_limit_parse"
    assert d["index"] == 3
    assert d["error"]["type"] == "invalid_input"
    assert "trace" not in a


def test_batch_too_many_items_is_413(client: httpx.Client) -> None:
    items = [ROW_7] * 51
    error = problem_of(client.post("/v1/due:batch", json={"items": items}), 413, "too_many_items")
    assert error["limit"] == 50


@pytest.mark.parametrize("body", [{}, {"items": "x"}, {"items": [], "extra": 1}, []])
def test_batch_bad_shape_is_422(client: httpx.Client, body: Any) -> None:
    problem_of(client.post("/v1/due:batch", json=body), 422, "invalid_input")


# -- calendar ----------------------------------------------------------------------------------


def test_calendar_year(client: httpx.Client) -> None:
    out = client.get("/v1/calendar/2025").json()
    assert out == handle_calendar_year({"year": 2025})
    assert out["working_days"] == 250
    assert "2025-04-26" in {d["date"] for d in out["worked_days"]}
    no_culture = client.get("/v1/calendar/2026", params={"culture_day": "false"}).json()
    assert no_culture["working_days"] == client.get("/v1/calendar/2026").json()["working_days"] + 1


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/v1/calendar/1990", "invalid_input"),
        ("/v1/calendar/twenty", "invalid_input"),
        ("/v1/calendar/2025?culture_day=maybe", "invalid_input"),
        ("/v1/calendar/99999999999999999999999", "invalid_input"),
    ],
)
def test_calendar_year_bad_input(client: httpx.Client, path: str, kind: str) -> None:
    problem_of(client.get(path), 422, kind)


def test_explain_day(client: httpx.Client) -> None:
    tet = client.get("/v1/calendar/days/2025-01-29").json()
    assert (tet["working"], tet["kind"]) == (False, "holiday")
    worked = client.get("/v1/calendar/days/2025-04-26").json()
    assert worked["working"] is True
    culture = client.get("/v1/calendar/days/2026-11-24", params={"culture_day": False}).json()
    assert culture["working"] is True


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/v1/calendar/days/29-01-2025", "invalid_input"), ("/v1/calendar/days/2099-01-01", None)],
)
def test_explain_day_bad_input(client: httpx.Client, path: str, kind: str | None) -> None:
    r = client.get(path)
    assert r.status_code == 422
    if kind:
        problem_of(r, 422, kind)


# -- histories ---------------------------------------------------------------------------------


def test_validate_history(client: httpx.Client) -> None:
    ok = client.post("/v1/histories:validate", json=HISTORY).json()
    assert ok["valid"] is True
    bad = {"events": [*HISTORY["events"], {"event": "return_result", "at": "2025-03-13T09:00"}]}
    out = client.post("/v1/histories:validate", json=bad).json()
    assert (out["valid"], out["index"], out["event"]) == (False, 4, "return_result")


def test_replay_history(client: httpx.Client) -> None:
    # Worked example 27: the supplement pauses the clock; due Thu 20/03/2025.
    out = client.post("/v1/histories:replay", json=HISTORY).json()
    assert out["due_at"] == "2025-03-20T17:00:00+07:00"
    assert out["status"] == "processing"


@pytest.mark.parametrize(
    ("body", "kind", "index"),
    [
        (
            {
                **HISTORY,
                "events": [*HISTORY["events"], {"event": "return_result", "at": "2025-03-13"}],
            },
            "transition_rejected",
            4,
        ),
        ({**HISTORY, "events": [{"event": "receive"}]}, "invalid_input", None),
        ({"events": HISTORY["events"]}, "invalid_input", None),
        ({**HISTORY, "procedure": {"time_limit": "soon"}}, "time_limit_parse", None),
        ({**HISTORY, "events": "none"}, "invalid_input", None),
    ],
    ids=["illegal-event", "no-at", "no-procedure", "bad-limit", "events-not-a-list"],
)
def test_replay_bad_input(client: httpx.Client, body: Any, kind: str, index: int | None) -> None:
    error = problem_of(client.post("/v1/histories:replay", json=body), 422, kind)
    if index is not None:
        assert error["index"] == index
        assert error["state"] == "processing"
        assert "resolve" in error["allowed"]


def test_validate_history_bad_input(client: httpx.Client) -> None:
    problem_of(client.post("/v1/histories:validate", json={"events": 5}), 422, "invalid_input")


# -- routes ------------------------------------------------------------------------------------


def test_route_plan(client: httpx.Client) -> None:
    # Birth registration over Tết 2025 (budgets are example values): due Wed 05/02/2025.
    body = {"route": "decree63-birth", "received": "2025-01-24T10:00", "budgets": BIRTH}
    out = client.post("/v1/routes:plan", json=body).json()
    assert out["due_at"] == "2025-02-05T17:00:00+07:00"
    assert [s["key"] for s in out["steps"]] == ["khai-sinh", "thuong-tru", "bhyt"]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ({"route": "decree63-birth", "received": "2025-01-24T10:00"}, "route"),
        ({"route": "no-such-template", "received": "2025-01-24T10:00"}, "route"),
        ({"route": {"stages": "x"}, "received": "2025-01-24T10:00"}, "route"),
        ({"route": "decree63-birth", "received": "soon", "budgets": BIRTH}, "invalid_input"),
        ({"received": "2025-01-24T10:00"}, "route"),
    ],
    ids=["no-budgets", "unknown-template", "bad-route-object", "bad-received", "no-route"],
)
def test_route_plan_bad_input(client: httpx.Client, body: Any, kind: str) -> None:
    problem_of(client.post("/v1/routes:plan", json=body), 422, kind)


def test_route_track(client: httpx.Client) -> None:
    body = {
        "route": "decree63-birth",
        "budgets": BIRTH,
        "received_at": "2025-01-24T10:00",
        "now": "2025-02-10T09:00",
    }
    out = client.post("/v1/routes:track", json=body).json()
    assert out["due_at"] == "2025-02-05T17:00:00+07:00"
    assert out["late"] is True


@pytest.mark.parametrize(
    "body",
    [
        {"route": "decree63-birth", "budgets": BIRTH},
        {"route": "decree63-birth", "budgets": BIRTH, "received_at": "x"},
        {
            "route": "decree63-birth",
            "budgets": BIRTH,
            "received_at": "2025-01-24T10:00",
            "handovers": [{"from": "a"}],
        },
    ],
    ids=["no-receipt", "bad-receipt", "bad-handover"],
)
def test_route_track_bad_input(client: httpx.Client, body: Any) -> None:
    r = client.post("/v1/routes:track", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["type"] in {"invalid_input", "route"}


# -- catalogue ---------------------------------------------------------------------------------


def test_catalog_list_and_show(client: httpx.Client) -> None:
    listed = client.get("/v1/catalog/procedures").json()
    assert listed["count"] == len(listed["procedures"]) > 0
    first = listed["procedures"][0]
    shown = client.get(f"/v1/catalog/procedures/{first['id']}").json()
    assert shown["procedure"]["id"] == first["id"]
    found = client.get("/v1/catalog/procedures", params={"search": "doanh nghiep"}).json()
    assert found["count"] >= 1
    assert all("doanh" in p["id"] or "oanh" in p["name"] for p in found["procedures"])


def test_catalog_unknown_procedure_is_404(client: httpx.Client) -> None:
    problem_of(client.get("/v1/catalog/procedures/no-such"), 404, "unknown_procedure")
    problem_of(
        client.get("/v1/catalog/procedures", params={"search": "x" * 500}), 422, "invalid_input"
    )


# -- logs --------------------------------------------------------------------------------------


def test_access_log_is_one_json_object_per_request(client: httpx.Client, log: Path) -> None:
    client.post("/v1/due", json=ROW_7, headers={"x-request-id": "req-42"})
    client.get("/v1/catalog/procedures/no-such")
    entries = [json.loads(x) for x in log.read_text("utf-8").splitlines() if x.startswith("{")]
    mine = [e for e in entries if e.get("request_id") == "req-42"]
    assert mine
    assert mine[-1]["path"] == "/v1/due"
    assert mine[-1]["status"] == 200
    assert mine[-1]["ms"] >= 0
    assert any(e["status"] == 404 for e in entries)
    assert all(set(e) >= {"ts", "method", "path", "status", "ms", "bytes_in"} for e in entries)
    assert "Traceback" not in log.read_text("utf-8")


# -- the command line --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "0.0.0.0"], "not a loopback address"),
        (["--host", "192.168.1.10"], "not a loopback address"),
        (["--workers", "0"], "--workers"),
        (["--port", "70000"], "--port"),
        (["--timeout", "0"], "--timeout"),
        (["--router", "nonsense"], "module:name"),
        (["--router", "no.such.module:router"], "cannot be loaded"),
    ],
)
def test_serve_refuses_bad_options(args: list[str], message: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mot_cua", "serve", *args, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert message in json.loads(proc.stdout)["error"]["message"]


# -- reports -----------------------------------------------------------------------------------

RECORDS = [
    # Resolved early: due Thu 05/03/2026, resolved Wed 04/03.
    {
        "MaHoSo": "H1",
        "KenhThucHien": "1",
        "NgayTiepNhan": "20260302083000",
        "NgayHenTra": "20260305170000",
        "NgayXuLyXong": "20260304100000",
    },
    # Received in February, due Tue 03/03/2026, still pending at the end of March: overdue.
    {
        "MaHoSo": "H2",
        "KenhThucHien": "2",
        "NgayTiepNhan": "2026-02-20T09:00",
        "NgayHenTra": "2026-03-03T17:00",
    },
]


def test_report(client: httpx.Client) -> None:
    out = client.post("/v1/reports", json={"records": RECORDS, "period": "2026-03"}).json()
    total = out["total"]
    assert total["received_total"] == 2
    assert total["carried_over"] == 1
    assert total["resolved_early"] == 1
    assert total["pending_overdue"] == 1
    assert out["period"] == {"from": "2026-03-01", "to": "2026-03-31", "label": "2026-03"}


@pytest.mark.parametrize(
    ("body", "status", "kind"),
    [
        ({"records": RECORDS, "period": "March"}, 422, "invalid_input"),
        ({"records": RECORDS, "period": "2026-03", "by": ["colour"]}, 422, "invalid_input"),
        ({"records": RECORDS, "period": "2026-03", "policy": {"x": "y"}}, 422, "invalid_input"),
        (
            {"records": [{**RECORDS[0], "NgayTiepNhan": "yesterday"}], "period": "2026-03"},
            422,
            "record",
        ),
        ({"records": [RECORDS[0]] * 51, "period": "2026-03"}, 413, "too_many_items"),
        ({"period": "2026-03"}, 422, "invalid_input"),
    ],
    ids=["bad-period", "bad-grouping", "bad-policy", "bad-record", "too-many", "no-records"],
)
def test_report_bad_input(client: httpx.Client, body: Any, status: int, kind: str) -> None:
    error = problem_of(client.post("/v1/reports", json=body), status, kind)
    if kind == "record":
        assert (error["line"], error["column"]) == (1, "NgayTiepNhan")


def test_two_workers_share_the_settings() -> None:
    # With --workers > 1 uvicorn imports the app in each worker: the settings travel as JSON.
    with (
        LocalServer(workers=2, args=["--max-batch-items", "3", "--no-access-log"]) as server,
        httpx.Client(base_url=server.url, timeout=30) as c,
    ):
        assert c.post("/v1/due", json=ROW_7).json()["due_date"] == "2025-04-29"
        error = problem_of(
            c.post("/v1/due:batch", json={"items": [ROW_7] * 4}), 413, "too_many_items"
        )
        assert error["limit"] == 3
