"""Lifecycle: bulk validation with the derived transition table vs replaying through machines.

Target (issue 4): validate 1 million recorded transitions in under 2 s. Prints the time per
transition of each path and the ratios. Run: ``python benchmarks/bench_lifecycle.py [N]``.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from typing import Any

from mot_cua.lifecycle import DossierMachine, Lifecycle, _Track, validate_history

# One legal 10-event history in the replay-file format (worked example 27, then resolved).
HISTORY: list[dict[str, Any]] = [
    {"event": "submit", "at": "2025-03-01T20:00+07:00"},
    {"event": "receive", "at": "2025-03-03T09:00+07:00"},
    {"event": "transfer", "at": "2025-03-03T10:00+07:00", "to_agency": "so-tu-phap"},
    {"event": "start", "at": "2025-03-03T11:00+07:00"},
    {"event": "request_supplement", "at": "2025-03-07T16:00+07:00", "missing": ["Tờ khai"]},
    {"event": "supplement", "at": "2025-03-12T10:00+07:00"},
    {"event": "request_payment", "at": "2025-03-13T10:00+07:00"},
    {"event": "confirm_payment", "at": "2025-03-14T10:00+07:00"},
    {"event": "resolve", "at": "2025-03-19T10:00+07:00", "outcome": "approved"},
    {"event": "return_result", "at": "2025-03-20T10:00+07:00"},
]


def timed(label: str, transitions: int, fn: Any) -> float:
    """Run ``fn`` once, print and return seconds per transition."""
    t0 = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - t0
    per = elapsed / transitions
    print(f"{label:<52} {elapsed:8.3f} s total  {per * 1e6:9.3f} µs/transition")
    return per


def main() -> None:
    """Run the benchmark."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    copies = n // len(HISTORY)
    bulk = [[dict(e) for e in HISTORY] for _ in range(copies)]
    total = copies * len(HISTORY)
    print(f"{total:,} recorded transitions ({copies:,} histories of {len(HISTORY)} events)")

    def check_all(histories: list[Any]) -> None:
        for h in histories:
            if not validate_history(h).valid:
                raise SystemExit(f"benchmark history rejected: {validate_history(h)}")

    table_rules = timed("validate_history: table + payload rules", total, lambda: check_all(bulk))
    names = [[e["event"] for e in h] for h in bulk]
    table_only = timed(
        "validate_history: table only (event names)", total, lambda: check_all(names)
    )
    sample = max(1, min(copies, 2_000))

    def by_machine() -> None:
        for _ in range(sample):
            Lifecycle.replay(HISTORY, "10 ngày làm việc", engine="machine")

    def by_table() -> None:
        for _ in range(sample):
            Lifecycle.replay(HISTORY, "10 ngày làm việc", engine="table")

    Lifecycle.replay(HISTORY, "10 ngày làm việc")  # warm the calendar cache
    m = sample * len(HISTORY)
    machine = timed(f"Lifecycle.replay via machine (with clock), {m:,}", m, by_machine)
    table = timed(f"Lifecycle.replay via table (with clock), {m:,}", m, by_table)

    def build() -> None:
        for _ in range(sample):
            DossierMachine(model=_Track(settings=None), start_value="processing")  # type: ignore[arg-type]

    t_build = timed(f"build one DossierMachine, {sample:,}", sample, build)
    tracemalloc.start()
    keep = [
        DossierMachine(model=_Track(settings=None), start_value="processing")  # type: ignore[arg-type]
        for _ in range(100)
    ]
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del keep
    print(f"memory per machine: {size / 100 / 1024:.1f} KiB; build {t_build * 1e6:.0f} µs")
    print(f"1M transitions, table + rules: {table_rules * 1e6:.2f} s (target < 2 s)")
    if table_rules * 1e6 >= 2:
        raise SystemExit("bulk validation misses the 2 s per million target")
    print(f"ratio machine replay / table validation (rules): {machine / table_rules:,.0f}x")
    print(f"ratio machine replay / table replay (both with clock): {machine / table:.1f}x")
    print(f"ratio table+rules / table only: {table_rules / table_only:.1f}x")


if __name__ == "__main__":
    main()
