"""Many due dates in one call: ``mot-cua due --batch`` as a portal in any language would use it.

A portal writes one JSON request per line on the standard input of one ``mot-cua due --batch``
process and reads one JSON answer per line, in the same order; a bad line gets an error object
on its own line and the others go on. The same process can answer tens of thousands of lines a
second, where starting ``mot-cua due --json`` once per dossier costs a Python start-up each time.

Run: ``python examples/12_batch_cli.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REQUESTS = Path(__file__).parent / "data" / "cli" / "due.jsonl"


def main() -> None:
    """Send the sample requests through one batch process and print each answer."""
    proc = subprocess.run(
        [sys.executable, "-m", "mot_cua", "due", "--batch", "--lang", "en"],
        input=REQUESTS.read_bytes(),
        capture_output=True,
        check=True,
    )
    for line in proc.stdout.decode("utf-8").splitlines():
        answer = json.loads(line)
        if "error" in answer:
            print(f"{answer['id']}: line {answer['line']}: {answer['error']['message']}")
            continue
        flags = " (provisional)" if answer["provisional"] else ""
        for day in answer["uncertain_days"]:
            flags += f" (depends on {day['date']}, {day['status']} law)"
        print(f"{answer['id']}: due {answer['due_at']} for {answer['limit']}{flags}")
    print(proc.stderr.decode("utf-8").strip().split(",")[0])


if __name__ == "__main__":
    main()
