"""mot_cua.batch.compute_due against the scalar engine, row by row (differential tests)."""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mot_cua import VN_TZ, DeadlinePolicy, Pause, WorkingCalendar, batch
from mot_cua import compute_due as scalar_due
from mot_cua.batch import compute_due
from mot_cua.deadlines import _default_policy, _policy_and_calendar
from mot_cua.errors import InvalidInputError, ProvisionalCalendarWarning

CAL = WorkingCalendar.vietnam(on_provisional="ignore")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

LIMITS = [
    "1 ngày làm việc", "3 ngày làm việc", "0.5 ngày làm việc", "1.5 ngày làm việc",
    "0.25 ngày làm việc", "1.25 ngày làm việc", "2.5 ngày làm việc", "0.75 ngày làm việc",
    "20 ngày làm việc", "0 ngày làm việc", "15 ngày", "1 ngày", "30 ngày",
    "2 tháng", "8 giờ làm việc", "4 giờ làm việc", "0.5 giờ làm việc", "48 giờ", "24 giờ",
    "1.5 giờ", "0.0001 giờ làm việc", "trong ngày", "ngay", "365 ngày làm việc", "400 ngày",
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
    # A fraction of a day longer than the office day (0.75 x 12 h): it runs into the next day.
    DeadlinePolicy(hours_per_day=12, cutoff=dt.time(11, 0)),
    # "as_received" without a cut-off: a same-day receipt after the due clock (closing, or
    # 23:59:59) is due on the next working day.
    DeadlinePolicy(outside_hours="as_received", cutoff=None),
    DeadlinePolicy(outside_hours="as_received", due_time="end_of_day", cutoff=None),
]

#: Wall-clock times at every edge of the deemed-receipt rules (µs of the day).
EDGE_TIMES = [
    dt.time(0, 0), dt.time(7, 29, 59, 999999), dt.time(7, 30), dt.time(8, 0), dt.time(11, 30),
    dt.time(11, 30, 0, 1), dt.time(12, 0), dt.time(13, 30), dt.time(14, 59, 59, 999999),
    dt.time(15, 0), dt.time(16, 0), dt.time(16, 0, 0, 1), dt.time(16, 59, 59), dt.time(17, 0),
    dt.time(17, 0, 0, 1), dt.time(23, 59, 59), dt.time(23, 59, 59, 1), dt.time(23, 59, 59, 999999),
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


def _expected(
    received: dt.datetime,
    limit: str,
    policy: DeadlinePolicy | None,
    calendar: WorkingCalendar = CAL,
    pauses: tuple[Pause, ...] = (),
) -> tuple:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ProvisionalCalendarWarning)
            d = scalar_due(received, limit, calendar=calendar, policy=policy, pauses=pauses)
    except Exception as exc:
        return (None, None, None, None, None, f"{type(exc).__name__}: {exc}")
    raw = None if d.raw_due_at is None else _us(d.raw_due_at)
    return (
        _us(d.due_at), _us(d.deemed_receipt), raw, d.provisional, bool(d.uncertain_days), None
    )  # fmt: skip


def _all(table: pa.Table) -> list[tuple]:
    """Every row as the tuple of :func:`_expected` (instants as UTC µs)."""
    cols = [
        table.column(c).cast(pa.timestamp("us", tz="UTC")).cast(pa.int64()).to_pylist()
        for c in ("due_at", "deemed_receipt", "raw_due_at")
    ]
    flags = [table.column(c).to_pylist() for c in ("provisional", "uncertain", "error")]
    return list(zip(*cols, *flags, strict=True))


def _got(table: pa.Table, i: int) -> tuple:
    return _all(table.slice(i, 1))[0]


@contextlib.contextmanager
def _paths(tables: bool) -> Iterator[None]:
    """``tables=True``: every limit of a days-method kind goes through its day table, however few
    its rows; ``False``: none does (the kernels run on the rows, in chunks of 997 rows)."""
    saved = batch.TABLE_ROWS_FACTOR, batch.CHUNK
    batch.TABLE_ROWS_FACTOR = 0.0 if tables else float("inf")
    batch.CHUNK = saved[1] if tables else 997
    try:
        yield
    finally:
        batch.TABLE_ROWS_FACTOR, batch.CHUNK = saved


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


@pytest.fixture(scope="module")
def edge_rows() -> tuple[list, list, list, list]:
    recv, lims, pols = _edge_rows()
    return recv, lims, pols, [_expected(*row) for row in zip(recv, lims, pols, strict=True)]


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The kinds of the day tables built during the test."""
    kinds: list[int] = []
    day_table = batch.k.day_table

    def counted(kind: int, *args: object, **kw: bool) -> object:
        kinds.append(kind)
        return day_table(kind, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(batch.k, "day_table", counted)
    return kinds


@pytest.mark.parametrize("tables", [False, True], ids=["kernels", "day-tables"])
def test_every_edge_equals_the_scalar_engine(
    edge_rows: tuple, tables: bool, built: list[int]
) -> None:
    """Every edge day × edge time × limit × policy (153,900 rows), each compared in full, once
    through the kernels on the rows and once through the day tables."""
    recv, lims, pols, want = edge_rows
    with _paths(tables):
        table = compute_due(pa.array(recv, type=pa.timestamp("us", tz="Asia/Ho_Chi_Minh")),
                            lims, policy=pols, calendar=CAL)  # fmt: skip
    assert table.num_rows == len(recv)
    for i, got in enumerate(_all(table)):
        assert got == want[i], (recv[i], lims[i], pols[i])
    assert table.column("error").null_count < table.num_rows  # not all errors
    kinds = {batch.k.WORKING_DAYS, batch.k.SAME_DAY, batch.k.CALENDAR_DAYS, batch.k.MONTHS,
             batch.k.HALF_DAYS, batch.k.HALF_SAME_DAY}  # fmt: skip
    assert set(built) == (kinds if tables else set())
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
    got = _all(table.take(sample))
    for j, i in enumerate(sample.tolist()):
        received = (EPOCH + dt.timedelta(microseconds=int(us[i]))).astimezone(VN_TZ)
        want = _expected(received, LIMITS[li[i]], POLICIES[pi[i]])
        assert got[j] == want, (received, LIMITS[li[i]], POLICIES[pi[i]])
    with _paths(tables=True):  # the same million rows through the day tables: equal everywhere
        tabled = compute_due(recv, pa.array(np.array(LIMITS, dtype=object)[li]),
                             policy=[POLICIES[j] for j in pi], calendar=CAL)  # fmt: skip
    assert tabled.equals(table)


@pytest.mark.parametrize("policy", POLICIES, ids=range(len(POLICIES)))
def test_day_tables_equal_the_kernels_on_every_row(
    policy: DeadlinePolicy | None, built: list[int]
) -> None:
    """One limit over 50,000 receipts (the size where the tables are used), calendar ends
    included: the table lookups give the kernels' answer on every row and column."""
    rng = np.random.default_rng(31)
    first = np.datetime64("2013-12-20T00:00", "us").astype(np.int64)
    us = np.concatenate([
        rng.integers(first, first + 23 * 366 * 86_400 * 1_000_000, 25_000),
        np.datetime64("2024-01-01T00:00", "us").astype(np.int64)
        + rng.integers(0, 4 * 366 * 1440, 25_000) * 60_000_000,  # whole minutes, 2024-2027
    ])  # fmt: skip
    recv = pa.array(us, type=pa.int64()).cast(pa.timestamp("us", tz="UTC"))
    for limit in ["3 ngày làm việc", "1.5 ngày làm việc", "0.75 ngày làm việc",
                  "0.5 ngày làm việc", "trong ngày", "15 ngày", "2 tháng"]:  # fmt: skip
        found, cal = _policy_and_calendar(policy, CAL)
        pol = _default_policy() if found is None else found
        cuts = batch.k.marks(
            batch.kernel_kind(batch._limit(limit), pol, cal), batch.k.tables(cal, pol)
        )
        if cuts is None:  # office time, or the scalar engine (0.75 day in half-day slots)
            continue
        with _paths(tables=False):
            want = compute_due(recv, limit, policy=policy, calendar=CAL)
        assert not built
        got = compute_due(recv, limit, policy=policy, calendar=CAL)  # the default: tables
        assert len(built) == 1
        built.clear()
        assert got.equals(want), limit
        assert got.column("error").null_count < got.num_rows


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 1)),
    st.sampled_from(LIMITS),
    st.sampled_from(POLICIES),
    st.booleans(),
)
def test_hypothesis_differential(
    when: dt.datetime, limit: str, policy: DeadlinePolicy, tables: bool
) -> None:
    received = when.replace(tzinfo=VN_TZ)
    with _paths(tables):
        table = compute_due([received], limit, policy=policy, calendar=CAL)
    assert _got(table, 0) == _expected(received, limit, policy)


@pytest.mark.parametrize("tables", [False, True], ids=["kernels", "day-tables"])
@pytest.mark.parametrize("refuse", [False, True], ids=["ignore", "raise"])
def test_rows_outside_the_tables_get_the_scalar_answer(tables: bool, refuse: bool) -> None:
    """Receipts at the calendar's ends, a missing one, a paused one and (with
    ``on_provisional="raise"``) provisional ones: the scalar engine's answer or error."""
    cal = WorkingCalendar.vietnam(on_provisional="raise") if refuse else CAL
    at = [dt.datetime(2035, 12, d, h, tzinfo=VN_TZ) for d in (1, 20, 28, 31) for h in (9, 16)]
    at += [dt.datetime(2013, 12, 31, 23, 59, tzinfo=VN_TZ), dt.datetime(2014, 1, 1, tzinfo=VN_TZ)]
    at += [dt.datetime(2026, 12, d, 10, tzinfo=VN_TZ) for d in (1, 20, 31)]
    stop = Pause(start=dt.datetime(2026, 12, 2, 9, tzinfo=VN_TZ),
                 end=dt.datetime(2026, 12, 3, 9, tzinfo=VN_TZ))  # fmt: skip
    for limit in ["20 ngày làm việc", "1.5 ngày làm việc", "15 ngày", "trong ngày", "1 tháng"]:
        for pol in [None, DeadlinePolicy(outside_hours="as_received", cutoff=None)]:
            with _paths(tables):
                got = _all(compute_due([*at, None, at[-3]], limit, policy=pol, calendar=cal,
                                       pauses=[[]] * (len(at) + 1) + [[stop]]))  # fmt: skip
            for i, received in enumerate(at):
                assert got[i] == _expected(received, limit, pol, cal), (received, limit, pol)
            assert got[-2][-1] == (
                f"InvalidInputError: received[{len(at)}] is missing: give the receipt instant "
                "(NgayTiepNhan)"
            )
            assert got[-1] == _expected(at[-3], limit, pol, cal, (stop,))
            errors = [e for e in list(zip(*got, strict=True))[-1] if e]
            assert any(e.startswith("CalendarRangeError") for e in errors)
            if refuse:
                assert any("on_provisional='raise'" in e for e in errors)


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


@pytest.mark.parametrize("tables", [False, True], ids=["kernels", "day-tables"])
def test_fractions_of_a_working_day(tables: bool) -> None:
    """A fraction is office time from the next working day's opening (07:30; the office day is
    07:30-11:30 and 13:30-17:00, 7.5 h, so half a day is 3 h 45 min)."""
    as_received = DeadlinePolicy(outside_hours="as_received")
    cases = [  # received, limit, policy, deemed receipt, due (2025)
        # Friday 10:00, 1.5 days: Saturday 26/4 is worked (1 day), then Monday 11:15.
        ((4, 25, 10), "1.5 ngày làm việc", None, (4, 25, 10), (4, 28, 11, 15)),
        # 16:00 is after the 15:00 cut-off: deemed Saturday 07:30; 0.5 day from Monday's opening.
        ((4, 25, 16), "0.5 ngày làm việc", None, (4, 26, 7, 30), (4, 28, 11, 15)),
        # 0.25 day = 1 h 52 min 30 s, on the worked Saturday.
        ((4, 24, 9), "1.25 ngày làm việc", None, (4, 24, 9), (4, 26, 9, 22, 30)),
        # 2 days = Saturday and Monday; 30/4 and 1/5 are holidays but Tuesday 29/4 is not.
        ((4, 25, 9), "2.5 ngày làm việc", None, (4, 25, 9), (4, 29, 11, 15)),
        # Before Tết (25/1-2/2 off): 0.75 day = the morning's 4 h, then 1 h 37 min 30 s.
        ((1, 24, 9), "0.75 ngày làm việc", None, (1, 24, 9), (2, 3, 15, 7, 30)),
        # 0.75 x 12 h = 9 h runs past the 7.5 h office day: Saturday's, then 1 h 30 on Monday.
        ((4, 25, 10), "0.75 ngày làm việc", DeadlinePolicy(hours_per_day=12), (4, 25, 10),
         (4, 28, 9)),
        # as_received: Sunday counts as the first day; 1 day to Monday, then Tuesday 11:15.
        ((4, 27, 10), "1.5 ngày làm việc", as_received, (4, 27, 10), (4, 29, 11, 15)),
        # Before the opening on a working day: the receipt itself is the deemed receipt.
        ((4, 28, 6), "0.5 ngày làm việc", None, (4, 28, 6), (4, 29, 11, 15)),
    ]  # fmt: skip
    with _paths(tables):
        for received, limit, policy, deemed, due in cases:
            at = dt.datetime(2025, *received, tzinfo=VN_TZ)
            t = compute_due([at], limit, policy=policy, calendar=CAL)
            row = {c: t.column(c)[0].as_py() for c in t.column_names}
            assert row["deemed_receipt"] == dt.datetime(2025, *deemed, tzinfo=VN_TZ), at
            assert row["due_at"] == dt.datetime(2025, *due, tzinfo=VN_TZ), (at, limit)
            assert row["due_date"] == dt.date(2025, *due[:2])
            assert (row["provisional"], row["uncertain"], row["raw_due_at"]) == (False, False, None)


def test_day_table_marks_receipts_outside_it() -> None:
    """``run_table`` sends receipts outside its calendar to the scalar engine (never wraps)."""
    pol = DeadlinePolicy()
    tb = batch.k.tables(CAL, pol)
    par = batch._limit_params(batch._limit("1.5 ngày làm việc"), pol, tb)
    table = batch.k.day_table(batch.k.WORKING_DAYS, tb, {n: np.asarray(par[n]) for n in par},
                              refuse_provisional=False)  # fmt: skip
    hour = 3_600_000_000
    first = (tb.base * 86_400 - 7 * 3600) * 1_000_000  # 1/1/2014 00:00 +07:00 (a holiday)
    last = first + tb.n * 24 * hour
    us = np.array([first - 1, first, first + 34 * hour, last - 1, last], dtype=np.int64)
    _, date, deemed, prov, unc, bad = batch.k.run_table(table, tb, us)
    assert bad.tolist() == [True, False, False, True, True]  # the last day's answer is beyond
    assert deemed[1:3].tolist() == [first + 63 * hour // 2, first + 34 * hour]  # 2/1 07:30, 10:00
    assert date[1:3].tolist() == [16_076, 16_076]  # Monday 6/1/2014: Friday 3/1, then Monday
    assert not prov[1:3].any()
    assert not unc[1:3].any()


def _policy(fields: dict) -> DeadlinePolicy | None:
    try:
        return DeadlinePolicy(**fields)
    except ValueError:  # pydantic's ValidationError: e.g. end_of_day outside the days method
        return None


_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "method": st.sampled_from(["days", "half-days", "working-time"]),
        "cutoff": st.sampled_from([None, dt.time(11), dt.time(15), dt.time(16, 30), dt.time(18)]),
        "office_hours": st.sampled_from(["07:30-11:30,13:30-17:00", "08:00-12:00,13:00-17:00",
                                         "07:00-11:00,13:00-16:30,17:00-19:00", "08:00-16:00"]),
        "due_time": st.sampled_from(["closing", "end_of_day"]),
        "roll": st.sampled_from(["any_day_off", "statutory"]),
        "worked_saturdays": st.booleans(),
        "outside_hours": st.sampled_from(["next_working_day", "as_received"]),
        "hours_per_day": st.sampled_from([None, 4, 7.3, 8, 12]),
    },
)  # fmt: skip


#: Receipts anywhere, or on a session end, cut-off or slot end of one of _FIELDS' office days
#: (give or take a microsecond or a second).
_INSTANTS = st.one_of(
    st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 1)),
    st.builds(
        lambda d, t, x: dt.datetime.combine(d, t) + x,
        st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 1)),
        st.sampled_from([dt.time(h, m) for h in (7, 8, 11, 12, 13, 15, 16, 17, 18, 19)
                         for m in (0, 30)] + [dt.time(0), dt.time(23, 59, 59)]),
        st.sampled_from([dt.timedelta(0), dt.timedelta(microseconds=1),
                         dt.timedelta(microseconds=-1), dt.timedelta(seconds=1)]),
    ),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_INSTANTS, min_size=1, max_size=8),
    st.sampled_from(LIMITS),
    _FIELDS.map(_policy).filter(lambda p: p is not None),
)
def test_hypothesis_any_policy_through_the_day_tables(
    when: list[dt.datetime], limit: str, policy: DeadlinePolicy
) -> None:
    """Policies combined from every field (office days of one to three sessions, cut-offs after
    closing, fractions of other day lengths): the day tables equal the scalar engine."""
    received = [w.replace(tzinfo=VN_TZ) for w in when]
    with _paths(tables=True):
        got = _all(compute_due(received, limit, policy=policy, calendar=CAL))
    assert got == [_expected(r, limit, policy) for r in received]
