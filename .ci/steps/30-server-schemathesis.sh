#!/usr/bin/env bash
# The HTTP service under Schemathesis (issue 10 §4): the test starts `mot-cua serve` with two
# workers on a free loopback port, fuzzes every operation of /openapi.json for at most 150 s and
# fails on any server error (5xx); it stops the server itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
.venv/bin/python -m pytest -m load tests/test_server_load.py -k schemathesis -q
