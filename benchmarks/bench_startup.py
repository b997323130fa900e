"""Start-up benchmark (issue 10 §3): fresh processes, side by side with ``python -c pass``.

Run from the repository root::

    .venv/bin/python benchmarks/bench_startup.py            # 21 runs of each case
    .venv/bin/python benchmarks/bench_startup.py --runs 41

Each case is a new process, timed from ``fork``/``exec`` to exit (wall time), so it includes the
interpreter's own start (``python -c pass``, the floor no Python tool can go below). Cases run
round-robin (pass, import, due, pass, import, due, ...) so that a burst of load on a shared
machine hits every case alike. The table gives the median, the fastest and the 90th percentile,
and the ratio of each median to the median of ``python -c pass``.

Bytecode: an installed wheel has its ``.pyc`` files compiled at install time. To measure that,
the processes run with ``PYTHONPYCACHEPREFIX`` set to a private cache directory (filled by the
warm-up run) and ``PYTHONDONTWRITEBYTECODE`` removed from their environment; ``--as-is`` keeps
the caller's environment instead (with ``PYTHONDONTWRITEBYTECODE=1`` and an editable install,
every run recompiles mot_cua's sources, which costs tens of milliseconds more).

Targets: ``import mot_cua`` ≤ 100 ms and ``mot-cua due ...`` ≤ 150 ms (median wall time).
The script also checks that ``import mot_cua`` loads no heavy dependency and that the first
calendar does not import ``holidays`` (its tables are generated at build time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
ROOT = Path(__file__).resolve().parent.parent
RECEIVED = "2025-04-25T10:00+07:00"
LIMIT = "3 ngày làm việc"
HEAVY = ("holidays", "numpy", "pandas", "polars", "pyarrow", "fastapi", "sqlalchemy", "jinja2")
TARGETS_MS = {"import mot_cua": 100.0, "mot-cua due": 150.0, "mot-cua due --json": 150.0}


def _cli() -> list[str]:
    """The installed ``mot-cua`` script next to this interpreter, else ``python -m mot_cua``."""
    script = Path(PY).with_name("mot-cua")
    if script.exists():
        return [str(script)]
    found = shutil.which("mot-cua")
    return [found] if found else [PY, "-m", "mot_cua"]


def cases() -> dict[str, list[str]]:
    """Name → command line of each measured process."""
    cli = _cli()
    due = [*cli, "due", "--received", RECEIVED, "--limit", LIMIT]
    first_due = (
        "import datetime as dt, mot_cua; mot_cua.compute_due("
        "dt.datetime(2025, 4, 25, 10, tzinfo=mot_cua.VN_TZ), '3 ngày làm việc')"
    )
    return {
        "python -c pass": [PY, "-c", "pass"],
        "python -c 'import pydantic.BaseModel'": [PY, "-c", "from pydantic import BaseModel"],
        "import mot_cua": [PY, "-c", "import mot_cua"],
        "import mot_cua + first compute_due": [PY, "-c", first_due],
        "mot-cua --version": [*cli, "--version"],
        "mot-cua due": due,
        "mot-cua due --json": [*due, "--json"],
    }


ENV: dict[str, str] | None = None  # None: inherit the caller's environment


def run_once(cmd: list[str]) -> float:
    """Wall time of one process, in ms; the process must succeed."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False, env=ENV)
    elapsed = (time.perf_counter() - t0) * 1e3
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()}")
    return elapsed


def check_light() -> str:
    """Which heavy modules ``import mot_cua`` and a first deadline load (should be none)."""
    code = (
        "import sys, datetime as dt, mot_cua\n"
        f"light = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "mot_cua.compute_due(dt.datetime(2025, 4, 25, 10, tzinfo=mot_cua.VN_TZ), '3 ngày')\n"
        f"after = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(light) or 'none', ','.join(after) or 'none')\n"
    )
    out = subprocess.run(
        [PY, "-c", code], capture_output=True, text=True, check=True, env=ENV
    ).stdout
    at_import, after_due = out.split()
    return f"after import: {at_import}; after the first compute_due: {after_due}"


def measure(runs: int) -> dict[str, list[float]]:
    todo = cases()
    times: dict[str, list[float]] = {name: [] for name in todo}
    for cmd in todo.values():  # warm the OS page cache once
        run_once(cmd)
    for _ in range(runs):
        for name, cmd in todo.items():
            times[name].append(run_once(cmd))
    return times


def report(times: dict[str, list[float]]) -> None:
    floor = statistics.median(times["python -c pass"])
    print("| case | median | fastest | p90 | median / python -c pass | target |")
    print("|---|---:|---:|---:|---:|---|")
    for name, values in times.items():
        values = sorted(values)
        median = statistics.median(values)
        p90 = values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]
        goal = TARGETS_MS.get(name)
        verdict = (
            "" if goal is None else f"≤ {goal:.0f} ms: {'met' if median <= goal else 'NOT met'}"
        )
        print(
            f"| {name} | {median:.0f} ms | {values[0]:.0f} ms | {p90:.0f} ms | "
            f"{median / floor:.1f}× | {verdict} |"
        )


def main(argv: list[str] | None = None) -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs of each case (default 21)")
    parser.add_argument(
        "--as-is", action="store_true", help="keep the environment's bytecode settings"
    )
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    global ENV  # noqa: PLW0603 - one setting for the whole run
    mode = "caller's environment (as-is)"
    if not args.as_is:
        cache = tempfile.mkdtemp(prefix="mot-cua-pycache-")
        ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        ENV["PYTHONPYCACHEPREFIX"] = cache
        mode = f"bytecode cached (PYTHONPYCACHEPREFIX={cache}), as after a wheel install"
    t0 = time.perf_counter()
    times = measure(args.runs)
    report(times)
    print()
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    print(f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"- python {platform.python_version()}, {os.cpu_count()} CPUs, load average {load}")
    print(f"- bytecode: {mode}")
    print(f"- heavy modules: {check_light()}")
    print(f"- {args.runs} runs per case, round-robin; total {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
