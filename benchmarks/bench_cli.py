"""Batch mode against one process per call: ``mot-cua due --batch`` side by side with a loop.

A portal in PHP, .NET or Java calling ``mot-cua due --json`` once per dossier pays the start-up of
a Python process each time; ``mot-cua due --batch`` reads JSON Lines on standard input and answers
each line in the same process. This script measures both on the same requests (a mix of limits
and receipts over 2025-2026), and the in-process cost of one batch line, and prints the ratios.

Run: ``.venv/bin/python benchmarks/bench_cli.py [--lines 50000] [--calls 20]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

LIMITS = ["3 ngày làm việc", "10 ngày làm việc", "trong ngày", "15 ngày", "8 giờ làm việc"]


def requests(n: int, seed: int = 7) -> list[dict[str, object]]:
    """``n`` due requests: random receipts in office hours of 2025-2026, mixed limits."""
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for i in range(n):
        day = rng.randrange(0, 700)
        month, rest = divmod(day, 28)
        year = 2025 + month // 12
        received = f"{year}-{month % 12 + 1:02d}-{rest + 1:02d}T{rng.randrange(7, 17):02d}:15"
        out.append({"id": i, "received": received, "limit": rng.choice(LIMITS)})
    return out


def _command() -> list[str]:
    return [sys.executable, "-m", "mot_cua"]


def batch_rate(lines: list[dict[str, object]]) -> tuple[float, float, float]:
    """Lines per second of one ``due --batch`` process: by wall time (start-up included), as the
    process reports it (reading to writing), and by the CPU time the process used (user + system:
    what the batch costs when it has a core to itself, whatever the other jobs on the machine)."""
    payload = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode("utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [*_command(), "due", "--batch"], input=payload, capture_output=True, check=True
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = proc.stdout.decode("utf-8").splitlines()
    if len(out) != len(lines) or any('"error"' in line for line in out[:100]):
        raise SystemExit(f"unexpected batch output: {out[:3]} {proc.stderr[-300:]!r}")
    reported = proc.stderr.decode("utf-8").strip().rsplit("(", 1)[-1].split()[0]
    return len(lines) / wall, float(reported.replace(",", "")), len(lines) / cpu


def per_call_seconds(lines: list[dict[str, object]]) -> list[float]:
    """Wall time of ``mot-cua due --json`` once per request (one process each)."""
    times = []
    for item in lines:
        argv = [*_command(), "due", "--received", str(item["received"])]
        argv += ["--limit", str(item["limit"]), "--json"]
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return times


def in_process_line_us(lines: list[dict[str, object]]) -> tuple[float, float, float, float]:
    """Microseconds per line in one warm process, by wall and by CPU time: the batch loop itself
    (read, parse, compute, serialise, write: ``mot-cua due --batch`` on in-memory streams, after
    a warm-up run) and ``compute_due`` alone on the same inputs."""
    import contextlib
    import io

    from mot_cua.cli import main as cli
    from mot_cua.contract import calendar_for, parse_instant
    from mot_cua.deadlines import compute_due

    payload = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode("utf-8")
    for _ in range(2):  # the first run loads the modules
        sys.stdin = io.TextIOWrapper(io.BytesIO(payload), encoding="utf-8")
        wall, cpu = time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            cli(["due", "--batch"])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    sys.stdin = sys.__stdin__
    parsed = [(parse_instant(x["received"], name="r"), str(x["limit"])) for x in lines]
    calendar = calendar_for()  # the batch's calendar: provisional years flagged, not warned
    compute_due(*parsed[0], calendar=calendar)  # the first call loads the result models
    alone_wall, alone_cpu = time.perf_counter(), time.process_time()
    for received, limit in parsed:
        compute_due(received, limit, calendar=calendar)
    alone_wall = time.perf_counter() - alone_wall
    alone_cpu = time.process_time() - alone_cpu
    n = len(lines) / 1e6
    return wall / n, cpu / n, alone_wall / n, alone_cpu / n


def main() -> None:
    """Print the figures and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50_000, help="batch size")
    parser.add_argument("--calls", type=int, default=20, help="one-process-per-call sample")
    args = parser.parse_args()
    os.environ.setdefault("MOT_CUA_LANG", "en")
    sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
    lines = requests(args.lines)
    wall_rate, reported_rate, cpu_rate = batch_rate(lines)
    calls = per_call_seconds(lines[: args.calls])
    median_call = statistics.median(calls)
    whole, whole_cpu, alone, alone_cpu = in_process_line_us(lines[:20_000])
    version = sys.version.split()[0]
    print(f"machine: {os.cpu_count()} CPUs, shared with other jobs; Python {version}")
    print(f"due --batch, {args.lines:,} lines, one process:")
    print(f"  {wall_rate:12,.0f} lines/s wall time (start-up included)")
    print(f"  {reported_rate:12,.0f} lines/s as reported on stderr (start-up excluded)")
    print(f"  {cpu_rate:12,.0f} lines per CPU-second of the process (start-up included)")
    print(f"one process per call ({args.calls} calls of due --json):")
    print(f"  {median_call * 1000:12.1f} ms median per call = {1 / median_call:,.1f} calls/s")
    print(f"ratio batch / per-call: {wall_rate * median_call:,.0f}x")
    print(f"in one Python process, per line ({min(args.lines, 20_000):,} lines, warm), wall / CPU:")
    print(f"  {whole:8.1f} / {whole_cpu:5.1f} µs the batch loop (read, parse, compute, write)")
    print(f"  {alone:8.1f} / {alone_cpu:5.1f} µs compute_due alone")
    print(f"  = {1e6 / whole_cpu:,.0f} lines per CPU-second in a warm process")


if __name__ == "__main__":
    main()
