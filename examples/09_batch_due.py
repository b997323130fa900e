"""A year of receipts at once: vectorised due dates with ``mot_cua.batch.compute_due``.

An auditor holding a column of receipt instants and a column of legal limits gets the legal due
dates of every row in one call, exactly what ``mot_cua.compute_due`` gives row by row (worked
Saturdays, the 15:00 cut-off, pending days included), in a fraction of a microsecond per row.
A row that cannot be computed carries its error and never fails the batch.

Run: ``python examples/09_batch_due.py`` (``pip install 'mot_cua[batch]'``).
"""

from __future__ import annotations

import time

import numpy as np
import pyarrow as pa

from mot_cua import VN_TZ, WorkingCalendar
from mot_cua.batch import compute_due


def main() -> None:
    """Compute 200,000 due dates, then show a few rows, the flags and a bad row."""
    cal = WorkingCalendar.vietnam(on_provisional="ignore")
    rng = np.random.default_rng(2025)
    start = np.datetime64("2025-01-01T00:00", "us").astype(np.int64)
    us = start + rng.integers(0, 365 * 86_400_000_000, 200_000)
    received = pa.array(us, type=pa.int64()).cast(pa.timestamp("us", tz="UTC"))
    limits = pa.array(rng.choice(["3 ngày làm việc", "15 ngày", "8 giờ làm việc"], us.size))
    t0 = time.perf_counter()
    table = compute_due(received, limits, calendar=cal)
    elapsed = time.perf_counter() - t0
    print(f"{table.num_rows:,} due dates in {elapsed * 1e3:.0f} ms")
    for i in range(3):
        r, lim = received[i].as_py().astimezone(VN_TZ), limits[i].as_py()
        due = table.column("due_at")[i].as_py()
        print(f"  {r:%d/%m/%Y %H:%M} + {lim} -> {due:%d/%m/%Y %H:%M}")
    errors = table.num_rows - table.column("error").null_count
    uncertain = table.column("uncertain").to_pylist().count(True)
    print(f"rows with an error: {errors}; rows depending on a pending day: {uncertain}")
    bad = compute_due([None, received[0].as_py()], ["3 ngày làm việc", "ba ngày"], calendar=cal)
    print("a bad row:", bad.column("error").to_pylist())


if __name__ == "__main__":
    main()
