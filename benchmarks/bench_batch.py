"""Vectorised due dates: ``mot_cua.batch.compute_due`` beside the alternatives (issue 13).

Run from the repository root::

    pip install -e '.[batch,bench]'
    python benchmarks/bench_batch.py            # about 1 minute on 2 shared cores
    python benchmarks/bench_batch.py --rows 200000

What it compares, on the same generated receipts (seeded; 2024-2027, a third on whole minutes):

1. ``mot_cua.batch.compute_due`` over an Arrow column, per kernel: working days (days method),
   "same day", calendar days, months, working hours, working time (``method="working-time"``),
   clock hours, half-day slots — ns per row, one call over all rows (the days-method limits and
   the half-day slots are looked up in per-limit day tables, the others run the kernels in
   chunks);
2. a Python loop over ``mot_cua.compute_due`` on a sample of the rows (ns per row);
3. numpy ``busday_offset`` with the calendar's holidays (the whole-working-days date only, the
   deemed-receipt rules applied by hand as vectorised numpy): its error rate against the exact
   answer, because it cannot represent worked Saturdays.

Every mot_cua row of the sample is checked equal to the scalar engine (the agreement count is
printed and must be 100%). Times are the best of 7 runs, wall clock (numpy releases nothing to
threads here), on a machine shared with other jobs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
import warnings

import numpy as np
import pyarrow as pa

from mot_cua import VN_TZ, DeadlinePolicy, WorkingCalendar, compute_due
from mot_cua.batch import compute_due as batch_due

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
CAL = WorkingCalendar.vietnam(on_provisional="ignore")
CASES = [
    ("working days (days)", "3 ngày làm việc", None),
    ("working days 1.5 (days)", "1.5 ngày làm việc", None),
    ("same day", "trong ngày", None),
    ("calendar days", "15 ngày", None),
    ("months", "2 tháng", None),
    ("working hours", "8 giờ làm việc", None),
    ("working time", "3 ngày làm việc", DeadlinePolicy(method="working-time")),
    ("clock hours", "48 giờ", None),
    ("half-day slots", "1.5 ngày làm việc", DeadlinePolicy(method="half-days")),
]


def _receipts(n: int) -> np.ndarray:
    rng = np.random.default_rng(13)
    start = np.datetime64("2024-01-01T00:00", "us").astype(np.int64)
    us = start + rng.integers(0, 4 * 365 * 86_400 * 1_000_000, n)
    minute = rng.random(n) < 0.33
    return np.where(minute, us - us % 60_000_000, us)


def _best(fn, repeat: int = 7) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _us(d: dt.datetime) -> int:
    x = d - EPOCH
    return (x.days * 86_400 + x.seconds) * 1_000_000 + x.microseconds


def _scalar(us: np.ndarray, limit: str, policy: DeadlinePolicy | None) -> list[int]:
    out = []
    for v in us.tolist():
        r = (EPOCH + dt.timedelta(microseconds=v)).astimezone(VN_TZ)
        out.append(_us(compute_due(r, limit, calendar=CAL, policy=policy).due_at))
    return out


def _busday(us: np.ndarray) -> np.ndarray:
    """3 working days with numpy: deemed-receipt rules by hand, then ``busday_offset``."""
    holidays = [
        np.datetime64(d.date.isoformat())
        for y in range(2024, 2029)
        for d in CAL.days_off(y)
        if d.date.weekday() < 5
    ]
    local = us + 7 * 3_600_000_000
    day = (local // 86_400_000_000).astype("datetime64[D]")
    tod = local % 86_400_000_000
    cal = np.busdaycalendar(holidays=holidays)
    work = np.is_busday(day, busdaycal=cal)
    late = tod >= 15 * 3_600_000_000
    e = np.where(work & ~late, day, np.busday_offset(day, 1, roll="backward", busdaycal=cal))
    e = np.where(~work, np.busday_offset(day, 0, roll="forward", busdaycal=cal), e)
    return np.busday_offset(e, 3, roll="forward", busdaycal=cal)


def main() -> None:
    """Print the per-row costs, the ratios and the agreement counts."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=20_000)
    args = ap.parse_args()
    us = _receipts(args.rows)
    col = pa.array(us, type=pa.int64()).cast(pa.timestamp("us", tz="UTC"))
    sample = us[: args.sample]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.rows:,} rows; scalar loop on {args.sample:,}; load average {load}")
    print(f"{'kernel':28} {'batch ns/row':>12} {'loop ns/row':>12} {'ratio':>8} {'agree':>14}")
    warnings.simplefilter("ignore")
    for name, limit, policy in CASES:
        t_batch = _best(lambda: batch_due(col, limit, policy=policy, calendar=CAL))  # noqa: B023
        table = batch_due(col, limit, policy=policy, calendar=CAL)
        t0 = time.perf_counter()
        want = _scalar(sample, limit, policy)
        t_loop = time.perf_counter() - t0
        got = table.column("due_at").slice(0, len(sample))
        got_us = got.cast(pa.timestamp("us", tz="UTC")).cast(pa.int64()).to_pylist()
        agree = sum(a == b for a, b in zip(got_us, want, strict=True))
        ns_b, ns_l = t_batch / args.rows * 1e9, t_loop / len(sample) * 1e9
        print(f"{name:28} {ns_b:12.1f} {ns_l:12.0f} {ns_l / ns_b:8.0f} "
              f"{agree:>7,}/{len(sample):,}")  # fmt: skip
    t_np = _best(lambda: _busday(us))
    exact = batch_due(col, "3 ngày làm việc", calendar=CAL).column("due_date")
    exact_days = exact.cast(pa.int32()).to_numpy().astype("datetime64[D]")
    wrong = int((_busday(us) != exact_days).sum())
    print(f"{'numpy busday_offset (3 wd)':28} {t_np / args.rows * 1e9:12.1f} {'':>12} {'':>8} "
          f"wrong {wrong:,} = {wrong / args.rows:.3%}")  # fmt: skip


if __name__ == "__main__":
    main()
