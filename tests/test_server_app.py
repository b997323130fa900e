"""The application factory in process: settings, routers, the time limit, unexpected errors."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from hypothesis import given
from hypothesis import strategies as st

from mot_cua.errors import InvalidInputError
from mot_cua.server import (
    SETTINGS_ENV,
    ServerSettings,
    create_app,
    is_loopback,
    load_router,
    problem,
)

extra = APIRouter(prefix="/v1/extra")


@extra.get("/hello")
async def hello() -> dict[str, str]:
    return {"hello": "world"}


@extra.get("/slow")
async def slow() -> dict[str, str]:
    await asyncio.sleep(5)
    return {"late": "yes"}


@extra.get("/blocking")
def blocking() -> dict[str, str]:
    time.sleep(1)
    return {"late": "yes"}


@extra.get("/boom")
async def boom() -> dict[str, str]:
    raise RuntimeError("secret internal detail")


def make_routers(settings: ServerSettings) -> list[APIRouter] | None:
    """A router factory: adds ``extra`` only when the option asks for it."""
    return [extra] if settings.options.get("extra") == "on" else None


def call(app: Any, method: str, path: str, **kw: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            return await c.request(method, path, **kw)

    return asyncio.run(go())


def test_routers_given_to_the_factory_are_served() -> None:
    app = create_app(routers=[extra])
    assert call(app, "GET", "/v1/extra/hello").json() == {"hello": "world"}
    assert "/v1/extra/hello" in app.openapi()["paths"]


def test_routers_named_in_the_settings_are_loaded_with_the_settings() -> None:
    ref = f"{__name__}:make_routers"
    on = create_app(ServerSettings(routers=(ref,), options={"extra": "on"}))
    assert call(on, "GET", "/v1/extra/hello").status_code == 200
    off = create_app(ServerSettings(routers=(ref,)))
    assert call(off, "GET", "/v1/extra/hello").status_code == 404
    plain = create_app(ServerSettings(routers=(f"{__name__}:extra",)))
    assert call(plain, "GET", "/v1/extra/hello").status_code == 200


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("no-colon", "write 'package.module:name'"),
        ("mot_cua.no_such_module:x", "cannot be loaded"),
        ("mot_cua.server:no_such_name", "cannot be loaded"),
        ("mot_cua.server:SETTINGS_ENV", "not an APIRouter"),
    ],
)
def test_bad_router_names_are_refused(ref: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        load_router(ref, ServerSettings())


def test_a_request_over_the_time_limit_is_503_with_retry_after() -> None:
    app = create_app(ServerSettings(request_timeout=0.2), routers=[extra])
    for path in ("/v1/extra/slow", "/v1/extra/blocking"):
        started = time.perf_counter()
        r = call(app, "GET", path)
        assert time.perf_counter() - started < 0.9
        assert r.status_code == 503
        assert r.headers["retry-after"] == "1"
        assert r.json()["error"] == {
            "type": "timeout",
            "message": "the request took longer than 0.2 s; send fewer items per request or "
            "retry later",
            "limit": 0.2,
        }


def test_an_unexpected_error_is_500_without_detail(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(routers=[extra])
    with caplog.at_level(logging.ERROR, logger="mot_cua.server"):
        r = call(app, "GET", "/v1/extra/boom")
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["error"]["type"] == "internal"
    assert "secret" not in r.text
    assert "Traceback" not in r.text
    # The incident is in the server's log, with the detail, for the operator.
    assert body["error"]["incident"] in caplog.text
    assert "secret internal detail" in caplog.text


def test_access_log_lines(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app()
    with caplog.at_level(logging.INFO, logger="mot_cua.server.access"):
        call(app, "GET", "/healthz", headers={"x-request-id": "abc"})
    entry = json.loads(caplog.records[-1].getMessage())
    assert entry["path"] == "/healthz"
    assert entry["status"] == 200
    assert entry["request_id"] == "abc"
    quiet = create_app(ServerSettings(access_log=False))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mot_cua.server.access"):
        call(quiet, "GET", "/healthz")
    assert not caplog.records


def test_settings_round_trip_through_the_environment() -> None:
    settings = ServerSettings(port=9123, workers=2, routers=("a.b:c",), options={"k": "v"})
    assert ServerSettings.from_env({SETTINGS_ENV: settings.to_env()}) == settings
    assert ServerSettings.from_env({}) == ServerSettings()
    with pytest.raises(InvalidInputError, match="workers"):
        ServerSettings.from_env({SETTINGS_ENV: '{"workers": 0}'})
    with pytest.raises(InvalidInputError, match=SETTINGS_ENV):
        ServerSettings.from_env({SETTINGS_ENV: "{not json"})


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.5", False),
        ("example.org", False),
    ],
)
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    if loopback:
        assert ServerSettings(host=host).checked().host == host
    else:
        with pytest.raises(InvalidInputError, match="--allow-public"):
            ServerSettings(host=host).checked()
        assert ServerSettings(host=host, allow_public=True).checked().host == host


@given(st.integers(min_value=400, max_value=599), st.text(max_size=50))
def test_problem_objects_carry_the_error_object(status: int, message: str) -> None:
    r = problem(status, {"type": "x_y", "message": message}, instance="/v1/due")
    body = json.loads(r.body)
    assert body["status"] == status
    assert body["detail"] == message
    assert body["error"] == {"type": "x_y", "message": message}
    assert body["type"] == "urn:mot-cua:error:x_y"


def test_the_store_less_service_needs_only_the_server_extra() -> None:
    """Without ``--store`` nothing of the store (SQLAlchemy, Alembic) is imported."""
    import subprocess
    import sys

    code = (
        "import sys; from mot_cua.server import create_app; create_app(); "
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'mot_cua.store') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
