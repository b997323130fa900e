#!/usr/bin/env bash
# The statutory forms as a person sees them (issue 12): every form of both circulars rendered to
# PDF by WeasyPrint and rasterised by poppler's pdftoppm (pages must not be blank, the register
# must be landscape), and the HTML screenshotted in Debian's headless Chromium from file:// with
# the embedded font. Then a short run of the forms benchmark (figures only; the machine is
# shared, docs/performance.md has the recorded ones). About a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v pdftoppm >/dev/null || { echo "pdftoppm is missing: bash .ci/system-packages" >&2; exit 1; }
test -x /usr/bin/chromium || { echo "chromium is missing: bash .ci/system-packages" >&2; exit 1; }
out=$(mktemp -d /tmp/mot-cua-forms.XXXXXX)
trap 'rm -rf "$out"' EXIT
MOT_CUA_FORMS_PNG_DIR="$out" .venv/bin/python -m pytest -m browser tests/test_forms_browser.py -q
ls "$out"/*.png | wc -l | xargs echo "form pictures checked:"
.venv/bin/python benchmarks/bench_forms.py --receipts 100 --single 10 --chromium 2
