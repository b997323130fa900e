#!/usr/bin/env bash
# The command line fuzzed harder than in the developer's run (issue 8 §2): 2,000 random argument
# vectors and files, 1,000 random batch inputs; every answer must be exit 0 or 2, never a
# traceback and never an `internal` error. Bounded: about 2-3 minutes on the project machine.
set -euo pipefail
MOT_CUA_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_cli_fuzz.py -q -p no:cacheprovider
