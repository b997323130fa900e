#!/usr/bin/env bash
# The docs' diagrams render in a real headless Chromium from file://, with no network.
set -euo pipefail
.venv/bin/python -m pytest -m browser tests/test_docs.py -q
