"""examples/06_http_client.js: a JavaScript adapter passes the vectors through the HTTP service.

Runs when ``node`` (18 or later, for the global ``fetch``) is installed; CI has it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mot_cua.contract.conformance import load_vectors, run_command
from mot_cua.server import LocalServer

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "examples" / "06_http_client.js"
NODE = shutil.which("node")
# Every operation that has an endpoint (apology_date is a library function only).
HTTP_OPERATIONS = [
    "due",
    "calendar_year",
    "explain_day",
    "validate_history",
    "replay",
    "route_plan",
    "route_track",
]

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer() as s:
        yield s


def test_the_js_adapter_passes_every_http_vector(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOT_CUA_URL", server.url)
    vectors = load_vectors(operations=HTTP_OPERATIONS)
    report = run_command(f"{NODE} {SCRIPT}", vectors, jsonl=True, timeout=120)
    assert report.mismatches == []
    assert report.passed == len(vectors) > 100


def test_the_js_adapter_reports_problems_as_error_objects(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOT_CUA_URL", server.url)
    errors = [v for v in load_vectors(operations=["due", "replay"]) if "error" in v.expected]
    assert len(errors) >= 3
    assert run_command(f"{NODE} {SCRIPT}", errors).ok  # one node process per vector


def test_the_js_adapter_answers_line_by_line(server: LocalServer) -> None:
    env = {**os.environ, "MOT_CUA_URL": server.url}
    request = {"received": "2025-04-25T10:00", "limit": "3 ngày làm việc"}
    lines = [
        json.dumps({"id": "a", "operation": "due", "input": request}),
        json.dumps({"id": "b", "operation": "teleport", "input": {}}),
    ]
    proc = subprocess.run(
        [str(NODE), str(SCRIPT)],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    due, unsupported = (json.loads(x) for x in proc.stdout.splitlines())
    assert due["due_date"] == "2025-04-29"  # worked example 7
    assert unsupported["error"]["type"] == "unsupported_operation"
