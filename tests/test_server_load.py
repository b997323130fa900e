"""Bounded suites against a real server on loopback (marker ``load``; CI runs them from
.ci/steps/30-server-schemathesis.sh and 31-server-load.sh, a developer's run deselects them).

* Schemathesis over the whole OpenAPI document: no request it generates gets a server error.
* The load targets of issue 10 §4 with benchmarks/bench_server.py (wrk when installed).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mot_cua.server import LocalServer

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.load


def test_schemathesis_finds_no_server_error(tmp_path: Path) -> None:
    st = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert st is not None, "schemathesis is missing: pip install -e '.[ci]'"
    with LocalServer(workers=2, args=["--no-access-log"], log=tmp_path / "server.log") as server:
        proc = subprocess.run(
            [
                st,
                "run",
                f"{server.url}/openapi.json",
                "--checks",
                "not_a_server_error",
                "--max-examples",
                "60",
                "--max-time",
                "150",
                # One worker: schemathesis's workers are threads, and CPython 3.11's AST
                # constructor keeps its recursion depth in shared state, so two threads in
                # Hypothesis's ast.parse can fail with "SystemError: AST constructor recursion
                # depth mismatch" (python/cpython#106905; seen once in five .ci/runs here).
                "--workers",
                "1",
                "--no-color",
                "--generation-deterministic",
            ],
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    report = proc.stdout[-4000:]
    assert proc.returncode == 0, report
    assert "passed" in report
    assert "Traceback" not in (tmp_path / "server.log").read_text("utf-8", errors="replace")


def test_load_targets_on_two_workers() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_server.py"), "8", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    print(proc.stdout)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    due, batch = result["due"], result["batch"]
    # Every request answered, none with an error; the speed figures are a benchmark's, reported
    # (and recorded in docs/performance.md), not a pass/fail timing: a loaded machine must not turn
    # correctness CI red.
    assert due["errors"] == 0
    assert batch["errors"] == 0
    assert due["rps"] > 0
    assert result["batch_items_per_s"] > 0
    targets = {
        "POST /v1/due >= 1,000 req/s": due["rps"] >= 1000,
        "POST /v1/due p99 <= 50 ms": due["p99"] <= 50,
        "due:batch >= 20,000 items/s": result["batch_items_per_s"] >= 20_000,
    }
    for name, met in targets.items():
        print(f"target {name}: {'met' if met else 'NOT MET on this run'}")
