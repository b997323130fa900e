#!/usr/bin/env bash
# The HTTP service under load on loopback (issue 10 §4): benchmarks/bench_server.py with wrk
# (Debian package, from .ci/system-packages), two workers, 32 clients; fails on any error
# response and prints each target (1,000 POST /v1/due requests/s, 50 ms p99, 20,000 due:batch
# items/s) as met or not: figures, not a timing gate. About 40 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk is missing: bash .ci/system-packages" >&2; exit 1; }
.venv/bin/python -m pytest -m load tests/test_server_load.py -k load_targets -q -s
