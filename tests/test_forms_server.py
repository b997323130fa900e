"""``POST /v1/forms/{name}`` on the HTTP service: PDF or HTML, problem+json errors."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from mot_cua.server import create_app
from tests.test_forms import dossier_2024, dossier_2025, refused, route


class Client:
    """In-process calls to the ASGI app (no server, no network)."""

    def __init__(self) -> None:
        self.app = create_app()

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
                return await c.request(method, path, **kw)

        return asyncio.run(go())

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("POST", path, **kw)

    def get(self, path: str) -> httpx.Response:
        return self.request("GET", path)


@pytest.fixture(scope="module")
def client() -> Client:
    return Client()


def _json(model: Any) -> Any:
    return json.loads(model.model_dump_json())


def test_receipt_pdf(client: Client) -> None:
    d, _ = dossier_2024()
    r = client.post("/v1/forms/receipt", json={"dossier": _json(d), "details": {"sets": 2}})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert 'filename="mau-01-000.00.70.H01-241014-0007.pdf"' in r.headers["content-disposition"]
    text = " ".join(PdfReader(io.BytesIO(r.content)).pages[0].extract_text().split())
    assert "Thông tư số 01/2018/TT-VPCP" in text
    assert "2. Số lượng hồ sơ: 2 (bộ)" in text


def test_control_sheet_html_with_tracking(client: Client) -> None:
    d, _ = dossier_2025()
    body = {
        "dossier": _json(d),
        "tracking": {"route": _json(route()), "now": "2025-09-10T09:00+07:00"},
        "format": "html",
    }
    r = client.post("/v1/forms/control_sheet", json=body)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert "Mẫu số 06 – Thông tư số 03/2025/TT-VPCP" in r.text
    assert "Trước hạn" in r.text


def test_history_is_replayed(client: Client) -> None:
    d, lc = dossier_2025()
    data = _json(d)
    data.update(history=[], deadline=None, status="submitted", received_at=None)
    body = {
        "dossier": data,
        "history": {
            "procedure": {"time_limit": "20 ngày làm việc"},
            "events": [_json(e) for e in lc.history],
        },
        "format": "html",
    }
    r = client.post("/v1/forms/apology", json=body)
    assert r.status_code == 200, r.text
    assert "17 giờ 00 phút, ngày 12 tháng 9 năm 2025" in r.text


def test_register(client: Client) -> None:
    d, _ = dossier_2024()
    body = {"dossiers": [_json(d), _json(refused(2024))], "format": "html"}
    r = client.post("/v1/forms/register", json=body)
    assert r.status_code == 200, r.text
    assert "SỔ THEO DÕI HỒ SƠ" in r.text.upper()


def test_stop_notice_before_july_2025_is_404(client: Client) -> None:
    d, _ = dossier_2024()
    r = client.post("/v1/forms/stop_notice", json={"dossier": _json(d)})
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert "does not exist under Circular 01/2018/TT-VPCP" in r.text


@pytest.mark.parametrize(
    ("name", "body", "fragment"),
    [
        ("apology", {"dossier": "refused-2025"}, "new date"),
        ("receipt", {}, "give 'dossier'"),
        ("receipt", {"dossier": "refused-2025", "format": "docx"}, "format"),
    ],
)
def test_unfillable_forms_are_422(
    client: Client, name: str, body: dict[str, Any], fragment: str
) -> None:
    if body.get("dossier") == "refused-2025":
        body = {**body, "dossier": _json(refused(2025))}
    r = client.post(f"/v1/forms/{name}", json=body)
    assert r.status_code == 422, r.text
    assert fragment in r.text


def test_too_many_rows_is_422(client: Client) -> None:
    d, _ = dossier_2024()
    data = _json(d)
    data["documents"] = [{"name": f"Giấy tờ {i}"} for i in range(101)]
    r = client.post("/v1/forms/receipt", json={"dossier": data})
    assert r.status_code == 422
    assert "at most 100" in r.text
    register = {"dossiers": [_json(d)] * 101, "format": "html"}
    assert client.post("/v1/forms/register", json=register).status_code == 422


def test_documented_in_openapi(client: Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/v1/forms/{name}" in paths


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    )


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=12),
    _containers,
    max_leaves=8,
)
KEYS = st.sampled_from(
    ["sets", "qr", "new_due_at", "items", "place", "issued_on", "agency", "reason", "nope"]
)
NAMES = st.sampled_from(["receipt", "apology", "stop_notice", "05", "07", "register", "x"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=NAMES,
    details=st.dictionaries(KEYS, JSON, max_size=3),
    history=st.none() | st.none() | JSON,
    tracking=st.none() | st.dictionaries(st.sampled_from(["route", "handovers", "now"]), JSON),
    fmt=st.sampled_from(["html", "pdf"]),
)
def test_fuzzed_requests_never_fail_with_500(
    client: Client, name: str, details: Any, history: Any, tracking: Any, fmt: str
) -> None:
    d, _ = dossier_2025()
    body = {"dossier": _json(d), "details": details, "history": history, "format": fmt}
    if tracking is not None:
        body["tracking"] = tracking
    r = client.post(f"/v1/forms/{name}", json=body)
    assert r.status_code in (200, 404, 422), r.text
    if r.status_code != 200:
        assert r.headers["content-type"] == "application/problem+json"
