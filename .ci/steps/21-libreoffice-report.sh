#!/usr/bin/env bash
# The Excel report (form II.06a) re-opened by a real LibreOffice Calc (Debian's, from
# .ci/system-packages): it must convert cleanly and keep its Vietnamese headers and numbers.
set -euo pipefail
command -v soffice >/dev/null || { echo "soffice is missing: bash .ci/system-packages" >&2; exit 1; }
.venv/bin/python -m pytest -m office tests/test_reports.py -q
