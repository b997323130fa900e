#!/usr/bin/env bash
# The HTML report in a real headless Chromium (Debian's chromium from .ci/system-packages):
# renders from file:// with no network, no console errors, the DOM holds the numbers, and the
# screenshot is not blank.
set -euo pipefail
test -x /usr/bin/chromium || { echo "chromium is missing: bash .ci/system-packages" >&2; exit 1; }
.venv/bin/python -m pytest -m browser tests/test_reports_browser.py -q
