"""The HTTP service under load on loopback, side by side with a library call and a CLI process.

Targets (issue 10 §4): at least 1,000 ``POST /v1/due`` requests/s on 2 workers with p99 at most
50 ms at 32 concurrent clients, and at least 20,000 items/s through ``POST /v1/due:batch``.

The load generator is ``wrk`` (Debian package ``wrk``: C, one thread, so it takes little of the
server's CPU); without it, a small asyncio client on raw sockets is used (it costs more CPU, so
the figures are lower). Prints requests/s, latency percentiles and the ratios to one in-process
``handle_due`` call and to one ``mot-cua due --json`` process per call.

Run: ``python benchmarks/bench_server.py [SECONDS] [--json]`` (default 10 s per phase, about 40 s
in all; ``--json`` adds a last line with the figures, for the CI load step).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from mot_cua.server import LocalServer

DUE_BODIES = [
    {"received": "2025-04-25T10:00+07:00", "limit": "3 ngày làm việc"},
    {"received": "2025-01-24T10:00+07:00", "limit": "5 ngày làm việc"},
    {"received": "2026-02-13T15:10+07:00", "limit": "trong ngày"},
    {"received": "2025-04-17T10:00+07:00", "limit": "15 ngày"},
]
BATCH_ITEMS = 1000
CLIENTS = 32


def _lua(bodies: list[str], path: str) -> str:
    quoted = ", ".join(json.dumps(b, ensure_ascii=False) for b in bodies)
    return f"""
local bodies = {{{quoted}}}
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "{path}", {{["Content-Type"] = "application/json"}}, bodies[i])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %f %f %f %f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def wrk_run(url: str, path: str, bodies: list[str], seconds: int, clients: int) -> dict[str, Any]:
    """Run wrk with one thread; requests/s, errors and latency percentiles in ms."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(_lua(bodies, path))
        script = f.name
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "-s", script, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script)
    m = re.search(r"RESULT (\d+) (\d+) (\d+) (\S+) (\S+) (\S+) (\S+)", out)
    if m is None:
        raise SystemExit(f"unexpected wrk output:\n{out}")
    n, errors, micros = int(m[1]), int(m[2]), int(m[3])
    return {
        "requests": n,
        "errors": errors,
        "rps": n / (micros / 1e6),
        "p50": float(m[4]),
        "p90": float(m[5]),
        "p99": float(m[6]),
        "max": float(m[7]),
    }


async def _client(
    host: str, port: int, requests: list[bytes], stop: float, lat: list[float]
) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    errors = 0
    i = 0
    while time.perf_counter() < stop:
        req = requests[i % len(requests)]
        i += 1
        t0 = time.perf_counter()
        writer.write(req)
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length: *(\d+)", head)[1])  # type: ignore[index]
        await reader.readexactly(length)
        lat.append((time.perf_counter() - t0) * 1000)
        if not head.startswith(b"HTTP/1.1 200"):
            errors += 1
    writer.close()
    return errors


def asyncio_run(
    url: str, path: str, bodies: list[str], seconds: int, clients: int
) -> dict[str, Any]:
    """The fallback load generator: keep-alive connections on raw sockets."""
    host, port = url.removeprefix("http://").split(":")
    requests = [
        (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(b.encode())}\r\n\r\n{b}"
        ).encode()
        for b in bodies
    ]
    lat: list[float] = []

    async def main() -> int:
        stop = time.perf_counter() + seconds
        tasks = [_client(host, int(port), requests, stop, lat) for _ in range(clients)]
        return sum(await asyncio.gather(*tasks))

    t0 = time.perf_counter()
    errors = asyncio.run(main())
    elapsed = time.perf_counter() - t0
    q = statistics.quantiles(lat, n=100)
    return {
        "requests": len(lat),
        "errors": errors,
        "rps": len(lat) / elapsed,
        "p50": q[49],
        "p90": q[89],
        "p99": q[98],
        "max": max(lat),
    }


def server_cpu(pid: int | None) -> float:
    """CPU seconds used so far by ``pid`` and its descendants (Linux ``/proc``; else 0)."""
    if pid is None or not os.path.isdir("/proc"):
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        used[int(entry)] = (int(fields[11]) + int(fields[12])) / ticks
    tree = {pid}
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in tree and child not in tree:
                tree.add(child)
                changed = True
    return sum(used.get(p, 0.0) for p in tree)


def measured(run: Any, server: LocalServer, *args: Any) -> dict[str, Any]:
    """One load phase, with the server's CPU seconds per request."""
    before = server_cpu(server.pid)
    result: dict[str, Any] = run(server.url, *args)
    cpu = server_cpu(server.pid) - before
    result["cpu_s"] = cpu
    result["per_cpu_s"] = result["requests"] / cpu if cpu else 0.0
    return result


def library_rate(seconds: float = 2.0) -> float:
    """In-process ``handle_due`` calls per second on one core (the floor of any transport)."""
    from mot_cua.contract import handle_due

    n = 0
    stop = time.perf_counter() + seconds
    t0 = time.perf_counter()
    while time.perf_counter() < stop:
        for body in DUE_BODIES:
            handle_due(body)
        n += len(DUE_BODIES)
    return n / (time.perf_counter() - t0)


def cli_rate(calls: int = 5) -> float:
    """``mot-cua due --json`` processes per second, one process per call."""
    argv = [sys.executable, "-m", "mot_cua", "due", "--received", "2025-04-25T10:00"]
    argv += ["--limit", "3 ngày làm việc", "--json"]
    t0 = time.perf_counter()
    for _ in range(calls):
        subprocess.run(argv, capture_output=True, check=True)
    return calls / (time.perf_counter() - t0)


def _row(label: str, r: dict[str, Any], unit: float = 1.0) -> None:
    print(
        f"{label:<44} {r['rps'] * unit:>10,.0f}/s  p50 {r['p50']:6.2f} ms  p90 {r['p90']:6.2f} ms"
        f"  p99 {r['p99']:6.2f} ms  max {r['max']:7.2f} ms  errors {r['errors']}"
    )


def main() -> None:
    """Run the benchmark."""
    args = [a for a in sys.argv[1:] if a != "--json"]
    seconds = int(args[0]) if args else 10
    run = wrk_run if shutil.which("wrk") else asyncio_run
    print(
        f"load generator: {'wrk (1 thread)' if run is wrk_run else 'asyncio raw sockets'}; "
        f"{os.cpu_count()} CPUs shared by the server, the generator and other jobs"
    )
    due = [json.dumps(b, ensure_ascii=False) for b in DUE_BODIES]
    items = [dict(DUE_BODIES[i % len(DUE_BODIES)], id=str(i)) for i in range(BATCH_ITEMS)]
    batch = [json.dumps({"items": items}, ensure_ascii=False)]
    log = Path(tempfile.gettempdir()) / "mot-cua-bench-server.log"
    with LocalServer(workers=2, log=log) as server:
        run(server.url, "/v1/due", due, 2, CLIENTS)  # warm-up
        single = measured(run, server, "/v1/due", due, seconds, CLIENTS)
        run(server.url, "/v1/due:batch", batch, 2, 2)
        batched = measured(run, server, "/v1/due:batch", batch, seconds, 4)
    lib = library_rate()
    cli = cli_rate()
    print()
    _row(f"POST /v1/due, 2 workers, {CLIENTS} clients (req)", single)
    _row(f"POST /v1/due:batch x{BATCH_ITEMS}, 4 clients (items)", batched, BATCH_ITEMS)
    print(f"{'handle_due in-process, 1 core':<44} {lib:>10,.0f}/s")
    print(
        f"server CPU: {single['per_cpu_s']:,.0f} due requests and "
        f"{batched['per_cpu_s'] * BATCH_ITEMS:,.0f} batch items per CPU-second "
        f"(x2 cores: {2 * single['per_cpu_s']:,.0f} req/s, "
        f"{2 * batched['per_cpu_s'] * BATCH_ITEMS:,.0f} items/s if the server had both)"
    )
    print(f"{'mot-cua due --json, 1 process per call':<44} {cli:>10,.1f}/s")
    print()
    print(f"HTTP due vs one CLI process per call: {single['rps'] / cli:,.0f}x faster")
    print(f"in-process call vs HTTP due:          {lib / single['rps']:,.1f}x faster")
    per_item = batched["rps"] * BATCH_ITEMS
    print(f"due:batch items vs single due:        {per_item / single['rps']:,.1f}x")
    ok = single["rps"] >= 1000 and single["p99"] <= 50 and batched["rps"] * BATCH_ITEMS >= 20000
    errors = single["errors"] + batched["errors"]
    print(
        f"targets (>= 1,000 req/s, p99 <= 50 ms, >= 20,000 items/s): {'met' if ok else 'NOT met'}"
    )
    if "--json" in sys.argv:
        summary = {"due": single, "batch": batched, "batch_items_per_s": per_item, "ok": ok}
        summary |= {"library_per_s": lib, "cli_per_s": cli, "generator": run.__name__}
        print(json.dumps(summary))
    if errors:
        raise SystemExit(f"{errors} requests failed; see {log}")


if __name__ == "__main__":
    main()
