"""mot_cua.batch.compute_due against the scalar engine, row by row (differential tests)."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mot_cua import VN_TZ, DeadlinePolicy, Pause, WorkingCalendar
from mot_cua import compute_due as scalar_due
from mot_cua.batch import compute_due
from mot_cua.errors import InvalidInputError, ProvisionalCalendarWarning

CAL = WorkingCalendar.vietnam(on_provisional="ignore")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

LIMITS = [
    "1 ngày làm việc", "3 ngày làm việc", "0.5 ngày làm việc", "1.5 ngày làm việc",
    "0.25 ngày làm việc", "20 ngày làm việc", "0 ngày làm việc", "15 ngày", "1 ngày", "30 ngày",
    "2 tháng", "8 giờ làm việc", "4 giờ làm việc", "0.5 giờ làm việc", "48 giờ", "24 giờ",
    "1.5 giờ", "trong ngày", "ngay", "365 ngày làm việc", "400 ngày",
]  # fmt: skip

POLICIES = [
    None,
    DeadlinePolicy(),
    DeadlinePolicy(cutoff=None),
    DeadlinePolicy(cutoff=dt.time(16, 0)),
    DeadlinePolicy(worked_saturdays=False),
    DeadlinePolicy(due_time="end_of_day"),
    DeadlinePolicy(office_hours="08:00-12:00,13:00-17:00"),
    DeadlinePolicy(method="working-time"),
    DeadlinePolicy(method="working-time", hours_per_day=8),
    DeadlinePolicy(method="half-days"),
    DeadlinePolicy(method="half-days", half_day_slots=(dt.time(11, 30), dt.time(16, 0))),
    DeadlinePolicy(method="half-days", outside_hours="as_received", cutoff=None),
    DeadlinePolicy(outside_hours="as_received"),
    DeadlinePolicy(roll="statutory"),
    DeadlinePolicy(hours_outside_working_time="keep"),
    DeadlinePolicy(pause_policy="restart"),
]

#: Wall-clock times at every edge of the deemed-receipt rules (µs of the day).
EDGE_TIMES = [
    dt.time(0, 0), dt.time(7, 29, 59, 999999), dt.time(7, 30), dt.time(8, 0), dt.time(11, 30),
    dt.time(11, 30, 0, 1), dt.time(12, 0), dt.time(13, 30), dt.time(14, 59, 59, 999999),
    dt.time(15, 0), dt.time(16, 0), dt.time(16, 59, 59), dt.time(17, 0), dt.time(17, 0, 0, 1),
    dt.time(23, 59, 59, 999999),
]  # fmt: skip

#: Days at every edge: worked Saturday 26/4/2025, 30/4 and 1/5, Tết 2025 and 2026, a plain
#: weekend, the pending Culture Day 24/11/2026 and the days around it, a provisional year, and
#: receipts whose calendar-day period ends on a swap day (roll="statutory" stops there).
EDGE_DAYS = [
    dt.date(2025, 4, 25), dt.date(2025, 4, 26), dt.date(2025, 4, 27), dt.date(2025, 4, 30),
    dt.date(2025, 5, 2), dt.date(2025, 1, 24), dt.date(2025, 1, 27), dt.date(2026, 2, 13),
    dt.date(2026, 2, 16), dt.date(2026, 3, 7), dt.date(2026, 11, 23), dt.date(2026, 11, 24),
    dt.date(2026, 11, 25), dt.date(2026, 12, 31), dt.date(2027, 6, 1), dt.date(2025, 12, 31),
    dt.date(2025, 4, 17), dt.date(2025, 4, 18),  # + 15 days ends on the swap day 2/5/2025
]  # fmt: skip


def _us(d: dt.datetime) -> int:
    x = d - EPOCH
    return (x.days * 86_400 + x.seconds) * 1_000_000 + x.microseconds


def _expected(received: dt.datetime, limit: str, policy: DeadlinePolicy | None) -> tuple:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ProvisionalCalendarWarning)
            d = scalar_due(received, limit, calendar=CAL, policy=policy)
    except Exception as exc:
        return (None, None, None, None, None, f"{type(exc).__name__}: {exc}")
    raw = None if d.raw_due_at is None else _us(d.raw_due_at)
    return (
        _us(d.due_at), _us(d.deemed_receipt), raw, d.provisional, bool(d.uncertain_days), None
    )  # fmt: skip


def _got(table: pa.Table, i: int) -> tuple:
    row = {c: table.column(c)[i].as_py() for c in table.column_names}
    conv = [None if row[c] is None else _us(row[c]) for c in ("due_at", "deemed_receipt")]
    raw = None if row["raw_due_at"] is None else _us(row["raw_due_at"])
    return (conv[0], conv[1], raw, row["provisional"], row["uncertain"], row["error"])


def _edge_rows() -> tuple[list[dt.datetime], list[str], list[DeadlinePolicy | None]]:
    recv, lims, pols = [], [], []
    for day in EDGE_DAYS:
        for t in EDGE_TIMES:
            for lim in LIMITS:
                for pol in POLICIES:
                    recv.append(dt.datetime.combine(day, t, tzinfo=VN_TZ))
                    lims.append(lim)
                    pols.append(pol)
    return recv, lims, pols


def test_every_edge_equals_the_scalar_engine() -> None:
    """Every edge day × edge time × limit × policy (90,720 rows), each compared in full."""
    recv, lims, pols = _edge_rows()
    table = compute_due(pa.array(recv, type=pa.timestamp("us", tz="Asia/Ho_Chi_Minh")), lims,
                        policy=pols, calendar=CAL)  # fmt: skip
    assert table.num_rows == len(recv)
    for i in range(len(recv)):
        assert _got(table, i) == _expected(recv[i], lims[i], pols[i]), (recv[i], lims[i], pols[i])
    assert table.column("error").null_count < table.num_rows  # not all errors
    assert table.column("uncertain").to_pylist().count(True) > 100


def _million(seed: int = 13) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = 1_000_000
    start = np.datetime64("2024-01-01T00:00", "us").astype(np.int64)
    span = 4 * 366 * 86_400 * 1_000_000
    us = start + rng.integers(0, span, n)
    # A third of the rows on a whole minute (cut-off and closing edges are minutes).
    minute = rng.random(n) < 0.33
    us = np.where(minute, us - us % 60_000_000, us)
    return us, rng.integers(0, len(LIMITS), n), rng.integers(0, len(POLICIES), n)


def test_a_million_generated_rows() -> None:
    """1,000,000 seeded rows in one call; the scalar engine checks a random 20,000 of them."""
    us, li, pi = _million()
    recv = pa.array(us, type=pa.int64()).cast(pa.timestamp("us", tz="UTC"))
    table = compute_due(recv, pa.array(np.array(LIMITS, dtype=object)[li]),
                        policy=[POLICIES[j] for j in pi], calendar=CAL)  # fmt: skip
    assert table.num_rows == 1_000_000
    sample = np.random.default_rng(7).choice(1_000_000, 20_000, replace=False)
    for i in sample.tolist():
        received = (EPOCH + dt.timedelta(microseconds=int(us[i]))).astimezone(VN_TZ)
        want = _expected(received, LIMITS[li[i]], POLICIES[pi[i]])
        assert _got(table, i) == want, (received, LIMITS[li[i]], POLICIES[pi[i]])


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 1)),
    st.sampled_from(LIMITS),
    st.sampled_from(POLICIES),
)
def test_hypothesis_differential(when: dt.datetime, limit: str, policy: DeadlinePolicy) -> None:
    received = when.replace(tzinfo=VN_TZ)
    table = compute_due([received], limit, policy=policy, calendar=CAL)
    assert _got(table, 0) == _expected(received, limit, policy)


def test_pauses_and_bad_rows_never_fail_the_batch() -> None:
    at = dt.datetime(2025, 3, 3, 9, tzinfo=VN_TZ)
    supplement = Pause(start=dt.datetime(2025, 3, 7, 16, tzinfo=VN_TZ),
                       end=dt.datetime(2025, 3, 12, 10, tzinfo=VN_TZ))  # fmt: skip
    table = compute_due(
        [at, at, dt.datetime(2025, 3, 3, 9), at],
        ["10 ngày làm việc", "10 ngày làm việc", "1 ngày", "mười ngày"],
        pauses=[[supplement], [], [], []],
        calendar=CAL,
    )
    assert table.column("due_date").to_pylist()[:2] == [dt.date(2025, 3, 20), dt.date(2025, 3, 17)]
    errors = table.column("error").to_pylist()
    assert errors[:2] == [None, None]
    assert errors[2].startswith("NaiveDatetimeError: ")
    assert errors[3].startswith("TimeLimitParseError: ")


def test_numpy_input_is_utc_and_a_scalar_limit_broadcasts() -> None:
    r = np.array(["2025-04-25T03:00", "2025-04-28T09:00"], dtype="datetime64[us]")
    table = compute_due(r, "3 ngày làm việc", calendar=CAL)
    assert table.column("due_date").to_pylist() == [dt.date(2025, 4, 29), dt.date(2025, 5, 7)]


def test_provisional_rows_warn_once() -> None:
    cal = WorkingCalendar.vietnam()
    days = [dt.datetime(2030, 3, d, 9, tzinfo=VN_TZ) for d in range(4, 8)]
    with pytest.warns(ProvisionalCalendarWarning, match="4 due dates"):
        table = compute_due(days, "1 ngày làm việc", calendar=cal)
    assert table.column("provisional").to_pylist() == [True] * 4


def test_wrong_arguments_raise() -> None:
    with pytest.raises(InvalidInputError, match="calendar must be"):
        compute_due([], "1 ngày", calendar="vietnam")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="limit has 1 rows but received has 2"):
        compute_due([None, None], ["1 ngày"])
    with pytest.raises(InvalidInputError, match="Arrow timestamp"):
        compute_due(pa.array([1, 2]), "1 ngày")


def test_documented_examples_of_each_vectorised_rule() -> None:
    """Values from docs/deadlines.md, through the kernels (not the scalar fallback)."""
    at = dt.datetime(2025, 4, 17, 10, tzinfo=VN_TZ)
    statutory = DeadlinePolicy(roll="statutory")
    t = compute_due([at, at], "15 ngày", policy=[None, statutory], calendar=CAL)
    assert t.column("due_date").to_pylist() == [dt.date(2025, 5, 5), dt.date(2025, 5, 2)]
    friday = dt.datetime(2025, 4, 25, 10, tzinfo=VN_TZ)
    t = compute_due([friday], "3 ngày làm việc", policy=DeadlinePolicy(worked_saturdays=False),
                    calendar=CAL)  # fmt: skip
    assert t.column("due_date").to_pylist() == [dt.date(2025, 5, 5)]
    t = compute_due([friday], "48 giờ", calendar=CAL)
    assert t.column("raw_due_at")[0].as_py() == dt.datetime(2025, 4, 27, 10, tzinfo=VN_TZ)
    assert t.column("due_at")[0].as_py() == dt.datetime(2025, 4, 28, 7, 30, tzinfo=VN_TZ)
    # 31/3 + 1 month is 30/4 (the month's last day), a holiday: rolled to Monday 5/5.
    t = compute_due([dt.datetime(2025, 3, 31, 9, tzinfo=VN_TZ)], "1 tháng", calendar=CAL)
    assert t.column("due_date").to_pylist() == [dt.date(2025, 5, 5)]
    after = DeadlinePolicy(outside_hours="as_received")  # Sunday 27/4: counted from 27/4 itself
    t = compute_due([dt.datetime(2025, 4, 27, 10, tzinfo=VN_TZ)], "1 ngày làm việc",
                    policy=after, calendar=CAL)  # fmt: skip
    assert t.column("due_date").to_pylist() == [dt.date(2025, 4, 28)]
    slots = DeadlinePolicy(method="half-days", half_day_slots=(dt.time(11, 30), dt.time(16)))
    t = compute_due([dt.datetime(2026, 3, 2, 9, tzinfo=VN_TZ)], "1.5 ngày làm việc",
                    policy=slots, calendar=CAL)  # fmt: skip
    assert t.column("due_at")[0].as_py() == dt.datetime(2026, 3, 3, 16, tzinfo=VN_TZ)
