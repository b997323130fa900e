"""Deadline-engine benchmark: ``compute_due`` side by side with the alternatives (issue 10 §2).

Run from the repository root::

    python benchmarks/bench_deadlines.py            # about 30 s on 2 cores

What it compares, in one process, on random receipts in 2024-2025 (seed 20261201):

1. ``compute_due(received, "N ngày làm việc")`` for N in {1, 10, 100, 1000}, the default
   policy, against two ways of computing the same due moment without mot_cua's tables:

   * a **naive day loop**: the deemed receipt date (cut-off 15:00, next working day), then one
     calendar day at a time until N working days are counted, the days off and worked Saturdays
     taken from sets (how most one-stop systems compute it);
   * **holidays-based**: the same deemed receipt, then ``holidays.VN(...).get_nth_working_day``
     (the ``holidays`` package knows the worked Saturdays it ships; mot_cua's override table is
     not applied, so 2026 answers could differ: the sample stays in 2024-2025).

   Both alternatives return only the due moment, not a trace. Every answer is checked against
   mot_cua's (the script stops on a mismatch).
2. The previous engine's behaviour, reproduced: the same call followed by reading
   ``Deadline.trace`` (the old engine built it on every call, walking every day of the period).
3. Each counting method and unit (half-days, working-time, calendar days, months, hours,
   working hours, same day), a text limit against a parsed ``TimeLimit``, and 100 pauses.

Times are CPU time of this process (``time.process_time``: time spent waiting for a core shared
with other jobs is not counted), the best of 5 repetitions, per call, including the Python ``for``
loop. Ratios are
alternative / mot_cua (above 1 means mot_cua is faster). The machine may be shared: the script
also times ``datetime.astimezone`` as a yardstick, so runs on a busy machine can be compared.
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import holidays

import mot_cua
from mot_cua import VN_TZ, DeadlinePolicy, Pause, TimeLimit, WorkingCalendar, compute_due

SEED = 20261201
SAMPLE = 2000
CUTOFF = dt.time(15)
CLOSING = dt.time(17)
CAL = WorkingCalendar.vietnam()


def best_per_call(fn: Callable[[Any], object], args: list[Any], repeat: int = 5) -> float:
    """Best time per call in µs over ``repeat`` passes of ``fn(a) for a in args``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for a in args:
            fn(a)
        best = min(best, (time.process_time() - start) / len(args))
    return best * 1e6


def receipts(n: int, rng: random.Random) -> list[dt.datetime]:
    start = dt.datetime(2024, 1, 1, tzinfo=VN_TZ)
    return [start + dt.timedelta(minutes=rng.randrange(0, 730 * 24 * 60)) for _ in range(n)]


# -- the alternatives ------------------------------------------------------------------------------

_YEARS = range(2024, 2036)
_OFF = {d for y in _YEARS for d in CAL.days_off(y)}
_OFF_DAYS = {d.date for d in _OFF}
_WORKED = {d.date for y in _YEARS for d in CAL.worked_days(y)}


def _naive_working(day: dt.date) -> bool:
    if day in _WORKED:
        return True
    return day.weekday() < 5 and day not in _OFF_DAYS


def naive_due(received: dt.datetime, n: int) -> dt.datetime:
    """Deemed receipt, then a day-by-day loop over sets of days off and worked days."""
    day = received.date()
    if not _naive_working(day) or received.time() >= CUTOFF:
        day += dt.timedelta(days=1)
        while not _naive_working(day):
            day += dt.timedelta(days=1)
    counted = 0
    while counted < n:
        day += dt.timedelta(days=1)
        if _naive_working(day):
            counted += 1
    return dt.datetime.combine(day, CLOSING, tzinfo=VN_TZ)


_HOL = holidays.country_holidays("VN", years=_YEARS)


def holidays_due(received: dt.datetime, n: int) -> dt.datetime:
    """Deemed receipt with ``is_working_day``, then ``get_nth_working_day``."""
    day = received.date()
    if not _HOL.is_working_day(day) or received.time() >= CUTOFF:
        day = _HOL.get_nth_working_day(day, 1)
    return dt.datetime.combine(_HOL.get_nth_working_day(day, n), CLOSING, tzinfo=VN_TZ)


# -- the run ---------------------------------------------------------------------------------------


_WRONG: dict[str, int] = {}
_SWAP_2026 = dt.date(
    2025, 12, 31
)  # holidays 0.109 lacks the 2026 New Year swap (2/1 off, 10/1 worked)


def _check(name: str, ours: list[dt.datetime], theirs: list[dt.datetime]) -> None:
    """Stop on any disagreement, except holidays' known gap (answers after 31/12/2025)."""
    bad = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b]
    known = [ab for ab in bad if name.startswith("holidays") and min(ab).date() > _SWAP_2026]
    if len(bad) > len(known):
        sys.exit(f"{name} disagrees with mot_cua on {len(bad)} answers, e.g. {bad[:3]}")
    _WRONG[name] = len(known)


def working_days_rows(sample: list[dt.datetime]) -> list[tuple[str, float, float, float, float]]:
    rows = []
    for n in (1, 10, 100, 1000):
        text = f"{n} ngày làm việc"
        args = sample if n < 1000 else sample[: len(sample) // 4]
        ours = [compute_due(r, text).due_at for r in args]
        _check(f"naive loop (n={n})", ours, [naive_due(r, n) for r in args])
        _check(f"holidays (n={n})", ours, [holidays_due(r, n) for r in args])
        t_ours = best_per_call(lambda r, t=text: compute_due(r, t), args)
        t_trace = best_per_call(lambda r, t=text: compute_due(r, t).trace, args)
        t_naive = best_per_call(lambda r, k=n: naive_due(r, k), args)
        t_hol = best_per_call(lambda r, k=n: holidays_due(r, k), args[: max(50, len(args) // 10)])
        rows.append((f"{n} working days", t_ours, t_trace, t_naive, t_hol))
        _WRONG[f"sample (n={n})"] = len(args)
    return rows


def other_rows(sample: list[dt.datetime]) -> list[tuple[str, float, float]]:
    parsed = TimeLimit.parse("3 ngày làm việc")
    cases: list[tuple[str, Any, DeadlinePolicy | None]] = [
        ("3 working days, text limit", "3 ngày làm việc", None),
        ("3 working days, parsed TimeLimit", parsed, None),
        ("3 working days, half-days", "3 ngày làm việc", DeadlinePolicy(method="half-days")),
        (
            "3 working days, working-time",
            "3 ngày làm việc",
            DeadlinePolicy(method="working-time"),
        ),
        ("same day (trong ngày)", "trong ngày", None),
        ("15 calendar days", "15 ngày", None),
        ("2 months", "2 tháng", None),
        ("8 working hours", "8 giờ làm việc", None),
        ("48 hours (rolled into working time)", "48 giờ", None),
    ]
    rows = []
    for name, limit, policy in cases:
        t_ours = best_per_call(lambda r, lim=limit, p=policy: compute_due(r, lim, policy=p), sample)
        t_trace = best_per_call(
            lambda r, lim=limit, p=policy: compute_due(r, lim, policy=p).trace, sample
        )
        rows.append((name, t_ours, t_trace))
    return rows


def pause_rows(sample: list[dt.datetime]) -> list[tuple[str, float, float]]:
    rows = []
    for count in (1, 100):
        per: dict[dt.datetime, list[Pause]] = {}
        for r in sample:
            pauses, t = [], r
            for _ in range(count):
                start = t + dt.timedelta(hours=20)
                t = start + dt.timedelta(hours=20)
                pauses.append(Pause(start=start, end=t))
            per[r] = pauses
        args = sample[: max(100, len(sample) // count)]
        for method in ("days", "working-time"):
            policy = DeadlinePolicy(method=method)  # type: ignore[arg-type]
            t_ours = best_per_call(
                lambda r, p=policy, q=per: compute_due(
                    r, "10 ngày làm việc", policy=p, pauses=q[r]
                ),
                args,
            )
            t_trace = best_per_call(
                lambda r, p=policy, q=per: (
                    compute_due(r, "10 ngày làm việc", policy=p, pauses=q[r]).trace
                ),
                args,
            )
            rows.append((f"10 working days, {count} pause(s), {method}", t_ours, t_trace))
    return rows


def main() -> None:
    warnings.simplefilter("ignore")  # 1000 working days reach provisional years
    rng = random.Random(SEED)
    sample = receipts(SAMPLE, rng)
    here = dt.datetime(2025, 1, 1, 2, tzinfo=dt.UTC)
    for text in ("1 ngày làm việc", "3 ngày làm việc"):  # warm-up (caches, CPU clock)
        best_per_call(lambda r, t=text: compute_due(r, t), sample)
    yardstick = best_per_call(lambda _: here.astimezone(VN_TZ), sample)
    print(
        f"mot_cua {mot_cua.__version__}, holidays {holidays.__version__}, Python "
        f"{platform.python_version()}, {platform.machine()}; seed {SEED}, {SAMPLE} receipts; "
        f"yardstick datetime.astimezone = {yardstick:.3f} µs"
    )
    print("\nN working days from random receipts (the due moments of all four agree):")
    print(f"{'case':<22}{'mot_cua':>10}{'+ trace':>18}{'naive loop':>20}{'holidays':>20}")
    for name, ours, trace, naive, hol in working_days_rows(sample):
        print(
            f"{name:<22}{ours:>8.2f}µs{trace:>10.2f}µs ({trace / ours:>4.1f}×)"
            f"{naive:>11.2f}µs ({naive / ours:>5.1f}×){hol:>11.2f}µs ({hol / ours:>5.1f}×)"
        )
    wrong = ", ".join(
        f"n={n}: {_WRONG[f'holidays (n={n})']}/{_WRONG[f'sample (n={n})']}"
        for n in (1, 10, 100, 1000)
    )
    print(f"holidays answers wrong for lack of the 2026 New Year swap: {wrong}")
    print("\nMethods and units (default policy unless named):")
    print(f"{'case':<42}{'mot_cua':>10}{'+ trace':>18}")
    for name, ours, trace in other_rows(sample) + pause_rows(sample):
        print(f"{name:<42}{ours:>8.2f}µs{trace:>10.2f}µs ({trace / ours:>5.1f}×)")


if __name__ == "__main__":
    main()
