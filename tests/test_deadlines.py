"""The deadline engine: policies, units, pauses, errors, timeliness (mot_cua rules §3–5)."""

from __future__ import annotations

import datetime as dt
import pathlib
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mot_cua import (
    CalendarRangeError,
    Deadline,
    DeadlinePolicy,
    InvalidInputError,
    InvalidPauseError,
    Method,
    NaiveDatetimeError,
    OfficeHours,
    Pause,
    ProvisionalCalendarWarning,
    TimeLimit,
    TimeLimitParseError,
    Timeliness,
    TraceKind,
    UnsupportedMethodError,
    WorkingCalendar,
    compute_due,
    timeliness,
)
from tests.conftest import vn

D = dt.date


def test_deadline_is_frozen_and_aware() -> None:
    d = compute_due(vn(2025, 1, 6, 9), "3 ngày làm việc")
    assert d.due_at.utcoffset() == dt.timedelta(hours=7)
    assert str(d.due_at.tzinfo) == "Asia/Ho_Chi_Minh"
    with pytest.raises(ValueError, match="frozen"):
        d.due_at = vn(2025, 1, 10)  # type: ignore[misc]


def test_received_in_another_zone_is_converted() -> None:
    utc = dt.datetime(2025, 1, 6, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hà Nội
    assert compute_due(utc, "3 ngày làm việc").deemed_receipt == vn(2025, 1, 6, 9)
    late = dt.datetime(2025, 1, 6, 8, 30, tzinfo=dt.UTC)  # 15:30 in Hà Nội: after the cut-off
    assert compute_due(late, "trong ngày").due_date == D(2025, 1, 7)


def test_naive_datetime_is_rejected_with_a_fix() -> None:
    with pytest.raises(NaiveDatetimeError, match=r"received_at=.*no UTC offset.*VN_TZ"):
        compute_due(dt.datetime(2025, 1, 6, 9), "3 ngày làm việc")


def test_unparseable_limit_quotes_the_text() -> None:
    with pytest.raises(TimeLimitParseError, match="'ba ngày'"):
        compute_due(vn(2025, 1, 6, 9), "ba ngày")
    with pytest.raises(InvalidInputError, match="TimeLimit or text"):
        compute_due(vn(2025, 1, 6, 9), 3)  # type: ignore[arg-type]


def test_trace_names_skipped_days_with_sources() -> None:
    d = compute_due(vn(2025, 1, 24, 10), "5 ngày làm việc")
    skipped = {t.date: t for t in d.trace if t.kind is TraceKind.SKIPPED}
    assert D(2025, 1, 29) in skipped
    assert "Labour Code 2019" in (skipped[D(2025, 1, 29)].source or "")
    assert D(2025, 2, 7) not in skipped


def test_trace_explains_deemed_receipt_after_cutoff() -> None:
    d = compute_due(vn(2025, 1, 23, 16), "trong ngày")
    kinds = [t.kind for t in d.trace]
    assert kinds[0] is TraceKind.DEEMED_RECEIPT
    assert "15:00" in d.trace[0].label
    assert d.deemed_receipt == vn(2025, 1, 24, 7, 30)


@pytest.mark.parametrize(
    ("cutoff", "received", "expected"),
    [
        (dt.time(15), vn(2025, 1, 6, 14, 59), D(2025, 1, 6)),
        (dt.time(15), vn(2025, 1, 6, 15, 0), D(2025, 1, 7)),
        (dt.time(16), vn(2025, 1, 6, 15, 30), D(2025, 1, 6)),
        (None, vn(2025, 1, 6, 16, 59), D(2025, 1, 6)),
        (None, vn(2025, 1, 6, 17, 0), D(2025, 1, 7)),  # after closing: next day regardless
    ],
)
def test_cutoff_policy(cutoff: dt.time | None, received: dt.datetime, expected: dt.date) -> None:
    policy = DeadlinePolicy(cutoff=cutoff)
    assert compute_due(received, "trong ngày", policy=policy).due_date == expected


def test_outside_hours_as_received_counts_from_the_receipt_date() -> None:
    # EXAMPLES.md row 31 alternative reading: Sun 27/4/2025 counts from itself.
    policy = DeadlinePolicy(outside_hours="as_received")
    assert compute_due(vn(2025, 4, 27, 21), "3 ngày làm việc", policy=policy).due_date == D(
        2025, 5, 5
    )


def test_as_received_keeps_the_cutoff() -> None:
    # outside_hours only concerns days off and after-closing receipts; 16:00 on a working day is
    # still after the 15:00 cut-off.
    policy = DeadlinePolicy(outside_hours="as_received")
    assert compute_due(vn(2025, 1, 6, 16), "trong ngày", policy=policy).due_date == D(2025, 1, 7)
    assert compute_due(vn(2025, 1, 6, 18), "1 ngày làm việc", policy=policy).due_date == D(
        2025, 1, 8
    )
    no_cutoff = DeadlinePolicy(outside_hours="as_received", cutoff=None)
    assert compute_due(vn(2025, 1, 6, 18), "1 ngày làm việc", policy=no_cutoff).due_date == D(
        2025, 1, 7
    )


def test_due_time_end_of_day() -> None:
    policy = DeadlinePolicy(due_time="end_of_day")
    d = compute_due(vn(2025, 1, 6, 9), "3 ngày làm việc", policy=policy)
    assert d.due_at == dt.datetime(2025, 1, 9, 23, 59, 59, tzinfo=d.due_at.tzinfo)


def test_office_hours_define_closing() -> None:
    policy = DeadlinePolicy(office_hours=OfficeHours.hanoi())
    assert compute_due(vn(2025, 1, 6, 9), "1 ngày làm việc", policy=policy).due_at == vn(
        2025, 1, 7, 17
    )


def test_fractional_days_in_the_day_method_are_office_time_not_truncated() -> None:
    policy = DeadlinePolicy(office_hours=OfficeHours.hanoi())
    d = compute_due(vn(2026, 3, 2, 9), "0.5 ngày làm việc", policy=policy)
    assert d.due_at == vn(2026, 3, 3, 12)  # half of the next working day's 8 office hours


def test_months_end_on_the_corresponding_day_or_month_end() -> None:
    # Civil Code Art. 148: 31/1/2024 + 1 month -> 29/2/2024 (the month's last day, a Thursday).
    assert compute_due(vn(2024, 1, 31, 9), "1 tháng").due_date == D(2024, 2, 29)
    # 31/1/2025 is Tết: deemed received 3/2/2025, + 1 month = 3/3/2025.
    assert compute_due(vn(2025, 1, 31, 9), "1 tháng").due_date == D(2025, 3, 3)
    # 6/1/2025 + 1 month = 6/2/2025 (Thursday).
    assert compute_due(vn(2025, 1, 6, 9), "1 tháng").due_date == D(2025, 2, 6)
    # 28/12/2024 is a Saturday: deemed 30/12; +1 month = 30/1/2025 (Tết) -> 3/2/2025.
    assert compute_due(vn(2024, 12, 28, 9), "1 tháng").due_date == D(2025, 2, 3)


def test_hours_are_clock_hours_from_the_instant() -> None:
    keep = DeadlinePolicy(hours_outside_working_time="keep")
    d = compute_due(vn(2025, 1, 24, 16), "24 giờ", policy=keep)
    assert d.due_at == vn(2025, 1, 25, 16)
    assert d.deemed_receipt == vn(2025, 1, 24, 16)
    assert d.raw_due_at is None
    # By default the appointment (Saturday 25/1/2025, Tết break) moves to the next working time.
    rolled = compute_due(vn(2025, 1, 24, 16), "24 giờ")
    assert (rolled.due_at, rolled.raw_due_at) == (vn(2025, 2, 3, 7, 30), vn(2025, 1, 25, 16))


def test_immediately_means_the_receipt_instant_or_next_opening() -> None:
    assert compute_due(vn(2025, 1, 6, 9), "ngay").due_at == vn(2025, 1, 6, 9)
    assert compute_due(vn(2025, 1, 6, 12), "ngay").due_at == vn(2025, 1, 6, 13, 30)
    assert compute_due(vn(2025, 1, 24, 18), "ngay").due_at == vn(2025, 2, 3, 7, 30)


def test_working_hours_exactly_at_closing_stay_at_closing() -> None:
    # PEERS.md: pandas returns the next opening for results exactly at closing.
    policy = DeadlinePolicy(office_hours=OfficeHours.hanoi())
    assert compute_due(vn(2025, 1, 6, 13), "4 giờ làm việc", policy=policy).due_at == vn(
        2025, 1, 6, 17
    )
    assert compute_due(vn(2025, 1, 6, 8), "16 giờ làm việc", policy=policy).due_at == vn(
        2025, 1, 7, 17
    )


def test_working_hours_during_lunch_start_at_the_afternoon_opening() -> None:
    policy = DeadlinePolicy(office_hours=OfficeHours.hanoi())
    assert compute_due(vn(2025, 1, 6, 12, 30), "1 giờ làm việc", policy=policy).due_at == vn(
        2025, 1, 6, 14
    )


def test_working_time_method_long_limit_crosses_tet() -> None:
    policy = DeadlinePolicy(method="working-time", office_hours=OfficeHours.hanoi())
    d = compute_due(vn(2025, 1, 24, 10), "5 ngày làm việc", policy=policy)
    # 40 office hours from Fri 24/1 10:00: 6 h on Friday, 8 h on 3, 4, 5, 6 Feb, 2 h on 7 Feb.
    assert d.due_at == vn(2025, 2, 7, 10)


def test_hours_per_day_override() -> None:
    policy = DeadlinePolicy(
        method="working-time", office_hours=OfficeHours.hanoi(), hours_per_day=4
    )
    assert compute_due(vn(2025, 1, 6, 8), "1 ngày làm việc", policy=policy).due_at == vn(
        2025, 1, 6, 12
    )


def test_half_days_refuses_fractions_it_cannot_count() -> None:
    policy = DeadlinePolicy(method="half-days")
    with pytest.raises(UnsupportedMethodError, match=r"multiple of 0\.5"):
        compute_due(vn(2026, 3, 2, 9), "0.3 ngày làm việc", policy=policy)


def test_half_days_default_slots_come_from_office_hours() -> None:
    policy = DeadlinePolicy(method="half-days")
    assert policy.slots == (dt.time(11, 30), dt.time(17))
    d = compute_due(vn(2026, 3, 2, 8), "0.5 ngày làm việc", policy=policy)
    assert d.due_at == vn(2026, 3, 2, 17)
    assert d.method is Method.HALF_DAYS


def test_invalid_policy_values() -> None:
    with pytest.raises(ValueError, match="morning slot must end before"):
        DeadlinePolicy(half_day_slots=(dt.time(16), dt.time(11, 30)))
    with pytest.raises(ValueError, match="method"):
        DeadlinePolicy(method="hours")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="days method only"):
        DeadlinePolicy(method="half-days", due_time="end_of_day")
    with pytest.raises(InvalidInputError, match="DeadlinePolicy"):
        compute_due(vn(2025, 1, 6, 9), "1 ngày làm việc", policy="days")  # type: ignore[arg-type]


# -- pauses --------------------------------------------------------------------------------------


def test_pause_keeps_the_time_of_day() -> None:
    policy = DeadlinePolicy(office_hours=OfficeHours.hanoi(), method="working-time")
    pause = Pause(start=vn(2025, 3, 4, 10), end=vn(2025, 3, 5, 10))
    d = compute_due(vn(2025, 3, 3, 9), "3 ngày làm việc", policy=policy, pauses=[pause])
    # Without the pause: Thu 06/03 09:00; the pause stopped 8 office hours -> Fri 07/03 09:00.
    assert d.due_at == vn(2025, 3, 7, 9)


def test_pause_in_working_hours_counts_office_time_only() -> None:
    policy = DeadlinePolicy(office_hours=OfficeHours.hanoi())
    pause = Pause(start=vn(2025, 1, 6, 16), end=vn(2025, 1, 7, 9))  # 1 h Monday + 1 h Tuesday
    d = compute_due(vn(2025, 1, 6, 10), "8 giờ làm việc", policy=policy, pauses=[pause])
    assert d.due_at == vn(2025, 1, 7, 12)


def test_excluded_interval_for_calendar_days() -> None:
    pause = Pause(start=vn(2025, 7, 3, 9), end=vn(2025, 7, 8, 9), label="Niêm yết công khai")
    d = compute_due(vn(2025, 7, 2, 10), "10 ngày", pauses=[pause])
    # 12/7 + 5 days = 17/7 (Thursday).
    assert d.due_date == D(2025, 7, 17)


def test_several_pauses_add_up() -> None:
    pauses = [
        Pause(start=vn(2025, 3, 4, 9), end=vn(2025, 3, 5, 9)),  # 1 working day
        Pause(start=vn(2025, 3, 10, 9), end=vn(2025, 3, 12, 9)),  # 2 working days
    ]
    assert compute_due(vn(2025, 3, 3, 9), "10 ngày làm việc", pauses=pauses).due_date == D(
        2025, 3, 20
    )


@pytest.mark.parametrize("method", ["days", "half-days"])
def test_pause_before_the_clock_starts_uses_and_stops_nothing(method: str) -> None:
    # Received Mon 16:00 (after the cut-off): the clock counts from Tue. A pause from Mon 16:30 to
    # Tue 10:00 ends before any counted time was used: the due date does not move.
    policy = DeadlinePolicy(method=method)  # type: ignore[arg-type]
    base = compute_due(vn(2025, 1, 6, 16), "3 ngày làm việc", policy=policy)
    pause = Pause(start=vn(2025, 1, 6, 16, 30), end=vn(2025, 1, 7, 10))
    paused = compute_due(vn(2025, 1, 6, 16), "3 ngày làm việc", policy=policy, pauses=[pause])
    assert paused.due_at == base.due_at
    # A pause that runs past the deemed receipt day still counts from that day.
    longer = Pause(start=vn(2025, 1, 6, 16, 30), end=vn(2025, 1, 9, 10))
    moved = compute_due(vn(2025, 1, 6, 16), "3 ngày làm việc", policy=policy, pauses=[longer])
    # Tue 7 (deemed receipt) to Thu 9: two working days stood still; Fri 10 -> Tue 14.
    assert moved.due_date == D(2025, 1, 14)


def test_pause_after_the_due_moment_does_not_extend() -> None:
    pause = Pause(start=vn(2025, 3, 20, 9), end=vn(2025, 3, 25, 9))
    d = compute_due(vn(2025, 3, 3, 9), "10 ngày làm việc", pauses=[pause])
    assert d.due_date == D(2025, 3, 17)
    assert any(t.kind is TraceKind.PAUSED for t in d.trace)


def test_trace_of_a_resumption_is_not_a_receipt() -> None:
    # Resumed on Saturday 15/03/2025: counted from Monday, and the trace says "resumed", under
    # the pause, not a second deemed receipt.
    pause = Pause(start=vn(2025, 3, 7, 16), end=vn(2025, 3, 15, 10))
    d = compute_due(vn(2025, 3, 3, 9), "10 ngày làm việc", pauses=[pause])
    assert [t.kind for t in d.trace].count(TraceKind.DEEMED_RECEIPT) == 0
    resumed = [t for t in d.trace if t.label.startswith("resumed")]
    assert [(t.date, t.kind) for t in resumed] == [(D(2025, 3, 17), TraceKind.PAUSED)]
    assert d.due_date == D(2025, 3, 25)  # 17/03 + 6 working days still to run


def test_pause_errors_say_where() -> None:
    with pytest.raises(InvalidPauseError, match="before the receipt"):
        compute_due(vn(2025, 3, 3, 9), "3 ngày làm việc", pauses=[(vn(2025, 3, 1), vn(2025, 3, 4))])
    with pytest.raises(InvalidPauseError, match="overlap"):
        compute_due(
            vn(2025, 3, 3, 9),
            "3 ngày làm việc",
            pauses=[(vn(2025, 3, 4), vn(2025, 3, 6)), (vn(2025, 3, 5), vn(2025, 3, 7))],
        )
    with pytest.raises(InvalidPauseError, match=r"pauses\[0\]"):
        compute_due(
            vn(2025, 3, 3, 9),
            "3 ngày làm việc",
            pauses=[(dt.datetime(2025, 3, 4), dt.datetime(2025, 3, 5))],
        )
    with pytest.raises(ValueError, match="before it starts"):
        Pause(start=vn(2025, 3, 5), end=vn(2025, 3, 4))
    with pytest.raises(InvalidPauseError, match="START/END"):
        Pause.parse("2025-03-04")


POLICIES = st.sampled_from(
    [
        DeadlinePolicy(),
        DeadlinePolicy(method="half-days"),
        DeadlinePolicy(method="working-time"),
        DeadlinePolicy(pause_policy="restart"),
        DeadlinePolicy(cutoff=None, roll="statutory"),
    ]
)
LIMITS = st.sampled_from(
    [
        "1 ngày làm việc",
        "0.5 ngày làm việc",
        "3 ngày làm việc",
        "10 ngày làm việc",
        "trong ngày",
        "8 giờ làm việc",
        "15 ngày",
        "1 tháng",
        "24 giờ",
    ]
)
INSTANTS = st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2026, 6, 30)).map(
    lambda x: x.replace(second=0, microsecond=0, tzinfo=vn(2025, 1, 1).tzinfo)
)


@given(
    INSTANTS,
    LIMITS,
    POLICIES,
    st.integers(min_value=0, max_value=20 * 24 * 60),
    st.integers(min_value=0, max_value=10 * 24 * 60),
)
def test_a_pause_never_moves_the_due_date_earlier(
    received: dt.datetime, limit: str, policy: DeadlinePolicy, offset: int, length: int
) -> None:
    base = compute_due(received, limit, policy=policy)
    start = received + dt.timedelta(minutes=offset)
    pause = Pause(start=start, end=start + dt.timedelta(minutes=length))
    paused = compute_due(received, limit, policy=policy, pauses=[pause])
    assert paused.due_at >= base.due_at


@given(INSTANTS, LIMITS, POLICIES)
def test_due_is_never_before_the_receipt(
    received: dt.datetime, limit: str, policy: DeadlinePolicy
) -> None:
    d = compute_due(received, limit, policy=policy)
    assert d.due_at >= d.received_at
    assert d.deemed_receipt >= d.received_at


@given(INSTANTS, st.integers(min_value=1, max_value=40))
def test_more_days_never_due_earlier(received: dt.datetime, n: int) -> None:
    a = compute_due(received, TimeLimit(value=n, unit="working_days"))
    b = compute_due(received, TimeLimit(value=n + 1, unit="working_days"))
    assert b.due_date > a.due_date


# -- provisional ---------------------------------------------------------------------------------


def test_provisional_deadline_flags_and_warns() -> None:
    # The calendar warns once per calendar object and year: a calendar of its own for this test.
    cal = WorkingCalendar.vietnam().with_overrides([])
    with pytest.warns(ProvisionalCalendarWarning, match="2027"):
        d = compute_due(vn(2026, 12, 28, 9), "5 ngày làm việc", calendar=cal)
    assert d.provisional
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the same year again on the same calendar: no new warning
        assert compute_due(vn(2026, 12, 29, 9), "5 ngày làm việc", calendar=cal).provisional
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not compute_due(vn(2026, 12, 1, 9), "5 ngày làm việc").provisional


@given(st.dates(min_value=D(2026, 10, 1), max_value=D(2027, 3, 1)), st.integers(1, 30))
def test_provisional_iff_a_provisional_year_is_touched(day: dt.date, n: int) -> None:
    received = vn(day.year, day.month, day.day, 9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalCalendarWarning)
        d = compute_due(received, TimeLimit(value=n, unit="working_days"))
    assert d.provisional == (d.due_date.year > 2026 or received.year > 2026)


def test_provisional_policy_of_the_calendar_applies() -> None:
    quiet = WorkingCalendar.vietnam(on_provisional="ignore")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert compute_due(vn(2026, 12, 28, 9), "5 ngày làm việc", calendar=quiet).provisional
    strict = WorkingCalendar.vietnam(on_provisional="raise")
    with pytest.raises(CalendarRangeError, match="not published"):
        compute_due(vn(2026, 12, 28, 9), "5 ngày làm việc", calendar=strict)


def test_beyond_the_calendar_raises() -> None:
    cal = WorkingCalendar.vietnam(first_year=2024, last_year=2025)
    with pytest.raises(CalendarRangeError, match="never clamps"):
        compute_due(vn(2025, 12, 30, 9), "10 ngày làm việc", calendar=cal)


# -- extension and timeliness --------------------------------------------------------------------


def test_extension_moves_later_and_keeps_history() -> None:
    d = compute_due(vn(2025, 3, 3, 9), "10 ngày làm việc")
    e = d.extend(vn(2025, 3, 24, 17), reason="Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    assert e.due_at == vn(2025, 3, 24, 17)
    assert e.extended_from == d.due_at
    assert e.trace[-1].kind is TraceKind.EXTENDED
    with pytest.raises(InvalidInputError, match="later"):
        d.extend(vn(2025, 3, 10, 17), reason="x")
    with pytest.raises(NaiveDatetimeError):
        d.extend(dt.datetime(2025, 3, 24, 17), reason="x")


@pytest.mark.parametrize(
    ("finished", "granularity", "expected"),
    [
        (vn(2025, 4, 28, 10), "instant", Timeliness.EARLY),
        (vn(2025, 4, 29, 17), "instant", Timeliness.ON_TIME),
        (vn(2025, 4, 29, 17, 1), "instant", Timeliness.LATE),
        (vn(2025, 4, 29, 17, 1), "date", Timeliness.ON_TIME),
        (vn(2025, 4, 30, 8), "date", Timeliness.LATE),
    ],
)
def test_timeliness(finished: dt.datetime, granularity: str, expected: Timeliness) -> None:
    d = compute_due(vn(2025, 4, 25, 10), "3 ngày làm việc")
    assert timeliness(finished, d, granularity=granularity) is expected  # type: ignore[arg-type]
    assert timeliness(finished, d.due_at, granularity=granularity) is expected  # type: ignore[arg-type]


def test_timeliness_errors_and_labels() -> None:
    with pytest.raises(NaiveDatetimeError):
        timeliness(dt.datetime(2025, 4, 29), vn(2025, 4, 29, 17))
    with pytest.raises(InvalidInputError, match="granularity"):
        timeliness(vn(2025, 4, 29), vn(2025, 4, 29, 17), granularity="hour")  # type: ignore[arg-type]
    assert Timeliness.LATE.label == "quá hạn"


def test_deadline_round_trips_through_json() -> None:
    d = compute_due(vn(2025, 1, 24, 10), "5 ngày làm việc")
    assert Deadline.model_validate_json(d.model_dump_json()) == d


# -- issue 8: hardening ----------------------------------------------------------------------------

R = vn(2025, 4, 25, 10)  # Friday 25/04/2025 10:00, the reference receipt


@pytest.mark.parametrize(
    "limit",
    [
        "99999999999 ngày",
        "99999999999 giờ",
        "3000000 ngày",
        "99999999 tháng",
        "99999999999 ngày làm việc",
        "99999999999 giờ làm việc",
        "4000 ngày làm việc",
        TimeLimit(value=1e300, unit="calendar_days"),
        TimeLimit(value=1e300, unit="hours"),
        TimeLimit(value=1e300, unit="working_days"),
    ],
)
def test_item1_huge_limits_raise_a_range_error(limit: str | TimeLimit) -> None:
    with pytest.raises(CalendarRangeError, match=r"never clamps|outside|beyond"):
        compute_due(R, limit)
    policy = DeadlinePolicy(method="working-time")
    with pytest.raises(CalendarRangeError):
        compute_due(R, limit, policy=policy)


def test_item1_huge_limits_in_other_methods_raise_a_range_error() -> None:
    for method in ("half-days", "working-time"):
        with pytest.raises(CalendarRangeError):
            compute_due(R, "99999999999 ngày làm việc", policy=DeadlinePolicy(method=method))  # type: ignore[arg-type]


def test_item2_hour_limits_respect_the_calendar_range() -> None:
    # Before: a receipt in 1900 gave +07:06:30 offsets (LMT) and provisional=False.
    with pytest.raises(CalendarRangeError, match="1900-01-01 is outside"):
        compute_due(vn(1900, 1, 1, 9), "8 giờ")
    with pytest.raises(CalendarRangeError, match="1900-01-01 is outside"):
        compute_due(vn(1900, 1, 1, 9), "8 giờ làm việc")
    with pytest.raises(CalendarRangeError, match="2035-12-31"):
        compute_due(R, "1000000 giờ")  # would be 2139
    pause = Pause(start=vn(2025, 4, 25, 11), end=vn(3000, 1, 1))
    with pytest.raises(CalendarRangeError, match="3000-01-01"):
        compute_due(R, "8 giờ", pauses=[pause])


def test_item2_hour_limits_compute_provisional_like_days() -> None:
    with pytest.warns(ProvisionalCalendarWarning):
        d = compute_due(
            vn(2026, 12, 31, 10), "48 giờ", calendar=WorkingCalendar.vietnam().with_overrides([])
        )
    assert d.provisional
    assert d.due_at.utcoffset() == dt.timedelta(hours=7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not compute_due(vn(2026, 12, 1, 10), "48 giờ").provisional


def test_item3_as_received_never_due_before_the_receipt() -> None:
    # Before: Monday 18:00 "trong ngày" with cutoff=None was due 17:00 the same day.
    policy = DeadlinePolicy(outside_hours="as_received", cutoff=None)
    d = compute_due(vn(2025, 1, 6, 18), "trong ngày", policy=policy)
    assert d.due_at == vn(2025, 1, 7, 17)
    # A Sunday receipt "trong ngày" is due on the next working day, not on the Sunday.
    assert compute_due(vn(2025, 4, 27, 10), "trong ngày", policy=policy).due_at == vn(
        2025, 4, 28, 17
    )


def test_item3_as_received_is_monotonic_around_the_cutoff() -> None:
    # Before: Fri 25/4/2025 16:00 (after the cut-off) was due Mon 5/5, Fri 18:00 (later) Tue 29/4.
    policy = DeadlinePolicy(outside_hours="as_received")
    receipts = [vn(2025, 4, 25, 14), vn(2025, 4, 25, 16), vn(2025, 4, 25, 18), vn(2025, 4, 27, 10)]
    dues = [compute_due(r, "3 ngày làm việc", policy=policy).due_date for r in receipts]
    # After the cut-off the count starts from the next calendar day (Saturday 26/4, worked).
    assert dues == [D(2025, 4, 29), D(2025, 5, 5), D(2025, 5, 5), D(2025, 5, 5)]


def test_item4_restart_ignores_a_pause_after_the_due_moment() -> None:
    policy = DeadlinePolicy(pause_policy="restart")
    pause = Pause(start=vn(2025, 5, 5, 9), end=vn(2025, 5, 6, 9))
    d = compute_due(R, "1 ngày làm việc", policy=policy, pauses=[pause])
    assert d.due_at == vn(2025, 4, 26, 17)  # Saturday 26/4/2025 is worked
    assert any("does not restart" in t.label for t in d.trace)
    # A pause that begins before the due moment still restarts the clock.
    early = Pause(start=vn(2025, 4, 25, 14), end=vn(2025, 4, 28, 10))
    assert compute_due(R, "1 ngày làm việc", policy=policy, pauses=[early]).due_at == vn(
        2025, 4, 29, 17
    )


def test_item4_restart_chains_pauses_that_begin_before_the_moving_due() -> None:
    policy = DeadlinePolicy(pause_policy="restart")
    first = Pause(start=vn(2025, 3, 4, 9), end=vn(2025, 3, 5, 9))  # restarts: due 6/3 -> 6/3
    second = Pause(start=vn(2025, 3, 6, 9), end=vn(2025, 3, 7, 9))  # before 6/3 17:00: restarts
    d = compute_due(vn(2025, 3, 3, 9), "1 ngày làm việc", policy=policy, pauses=[first, second])
    assert d.due_at == vn(2025, 3, 10, 17)
    assert [t.kind for t in d.trace].count(TraceKind.RESTARTED) == 2


def test_item7_aware_cutoff_and_slots_are_normalised_or_refused() -> None:
    plus7 = dt.timezone(dt.timedelta(hours=7))
    policy = DeadlinePolicy(cutoff=dt.time(15, tzinfo=plus7))
    assert policy.cutoff == dt.time(15)
    assert compute_due(vn(2025, 1, 6, 15, 30), "trong ngày", policy=policy).due_date == D(
        2025, 1, 7
    )
    slots = DeadlinePolicy(
        method="half-days", half_day_slots=(dt.time(11, 30, tzinfo=plus7), dt.time(16))
    )
    assert slots.slots == (dt.time(11, 30), dt.time(16))
    assert compute_due(vn(2026, 3, 2, 8), "0.5 ngày làm việc", policy=slots).due_at == vn(
        2026, 3, 2, 16
    )
    with pytest.raises(ValueError, match=r"cutoff=08:00:00\+00:00 .* write 15:00"):
        DeadlinePolicy(cutoff=dt.time(8, tzinfo=dt.UTC))
    with pytest.raises(ValueError, match="half_day_slots"):
        DeadlinePolicy(half_day_slots=(dt.time(4, 30, tzinfo=dt.UTC), dt.time(16)))


def test_item8_office_sessions_shorter_than_a_minute_are_refused() -> None:
    from mot_cua import Session

    with pytest.raises(ValueError, match="whole minutes"):
        Session(start=dt.time(7, 30), end=dt.time(7, 30, 30))
    with pytest.raises(InvalidInputError, match="empty"):
        OfficeHours.parse("09:00-09:00")
    with pytest.raises(ValueError, match="not on Asia/Ho_Chi_Minh"):
        Session(start=dt.time(1, tzinfo=dt.UTC), end=dt.time(4, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    "instant",
    [
        dt.datetime.max.replace(tzinfo=dt.timezone(dt.timedelta(hours=-12))),
        dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-12))),
        dt.datetime.min.replace(tzinfo=dt.timezone(dt.timedelta(hours=14))),
    ],
)
def test_item9_instants_near_the_ends_of_time_raise_range_errors(instant: dt.datetime) -> None:
    from mot_cua import ensure_aware

    with pytest.raises(CalendarRangeError, match="cannot be expressed in Asia/Ho_Chi_Minh"):
        ensure_aware(instant)
    with pytest.raises(CalendarRangeError):
        compute_due(instant, "3 ngày làm việc")
    with pytest.raises(CalendarRangeError):
        compute_due(instant, "48 giờ")
    with pytest.raises(CalendarRangeError):
        timeliness(instant, R)
    with pytest.raises(InvalidPauseError):
        Pause.parse(f"{instant.isoformat()}/{instant.isoformat()}")


def test_item9_the_largest_instant_in_vietnam_is_outside_the_calendar() -> None:
    instant = dt.datetime.max.replace(tzinfo=vn(2025, 1, 1).tzinfo)
    for limit in ("3 ngày làm việc", "48 giờ", "ngay", "1 tháng"):
        with pytest.raises(CalendarRangeError, match="9999-12-31 is outside"):
            compute_due(instant, limit)


def test_item9_the_cli_form_of_the_instant() -> None:
    with pytest.raises(InvalidPauseError, match="cannot be expressed"):
        Pause.parse("9999-12-31T23:00-12:00/9999-12-31T23:30-12:00")


def test_item19_builtin_exceptions_become_ours() -> None:
    from mot_cua import latest_apology_date

    with pytest.raises(InvalidInputError, match="pauses must be"):
        compute_due(R, "3 ngày làm việc", pauses=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="pauses must be"):
        compute_due(R, "3 ngày làm việc", pauses=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidPauseError, match=r"pauses\[0\]"):
        compute_due(R, "3 ngày làm việc", pauses=[5])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError, match="calendar must be a WorkingCalendar"):
        compute_due(R, "3 ngày làm việc", calendar="vietnam")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"due must be a Deadline or a datetime\.date"):
        latest_apology_date("2025-05-05", reading="calendar_day")  # type: ignore[arg-type]
    with pytest.raises(InvalidPauseError, match="must be text"):
        Pause.parse(5)  # type: ignore[arg-type]
    d = compute_due(R, "3 ngày làm việc")
    with pytest.raises(InvalidInputError, match="reason"):
        d.extend(vn(2025, 5, 9, 17), reason=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="lang"):
        TimeLimit.parse("3 ngày").to_text("fr")


def test_item19_latest_apology_date_checks_the_range_in_both_readings() -> None:
    from mot_cua import latest_apology_date

    for reading in ("working_day", "calendar_day"):
        with pytest.raises(CalendarRangeError, match="2000-01-01"):
            latest_apology_date(D(2000, 1, 1), reading=reading)  # type: ignore[arg-type]
        with pytest.raises(CalendarRangeError):
            latest_apology_date(D(2014, 1, 1), reading=reading)  # type: ignore[arg-type]
    assert latest_apology_date(D(2025, 5, 5), reading="calendar_day") == D(2025, 5, 4)


def test_item26_appointments_in_hours_roll_to_the_next_working_time() -> None:
    d = compute_due(R, "48 giờ")  # raw: Sunday 27/4/2025 10:00
    assert d.raw_due_at == vn(2025, 4, 27, 10)
    assert d.due_at == vn(2025, 4, 28, 7, 30)
    rolled = [t for t in d.trace if t.kind is TraceKind.ROLLED]
    assert [t.date for t in rolled] == [D(2025, 4, 28)]
    assert "Art. 148" in (rolled[0].source or "")
    keep = compute_due(R, "48 giờ", policy=DeadlinePolicy(hours_outside_working_time="keep"))
    assert (keep.due_at, keep.raw_due_at) == (vn(2025, 4, 27, 10), None)
    # Lunch break: 2 hours from 10:00 is 12:00 -> the afternoon session opens at 13:30.
    assert compute_due(vn(2025, 4, 28, 10), "2 giờ").due_at == vn(2025, 4, 28, 13, 30)
    # Inside working time (or exactly at a session's end) nothing moves.
    inside = compute_due(vn(2025, 4, 28, 9), "2 giờ")
    assert (inside.due_at, inside.raw_due_at) == (vn(2025, 4, 28, 11), None)
    assert compute_due(vn(2025, 4, 28, 9, 30), "2 giờ").due_at == vn(2025, 4, 28, 11, 30)


def test_item28_trace_shows_worked_saturdays_and_days_before_the_deemed_receipt() -> None:
    d = compute_due(R, "3 ngày làm việc")  # Sat 26/4/2025 is worked and counted
    worked = [t for t in d.trace if t.kind is TraceKind.WORKED_DAY]
    assert [t.date for t in worked] == [D(2025, 4, 26)]
    assert "6150" in (worked[0].source or "")
    # Fri 24/1/2025 15:30, after the cut-off: deemed received Mon 3/2; 25/1-2/2 are listed.
    e = compute_due(vn(2025, 1, 24, 15, 30), "trong ngày")
    before = [t.date for t in e.trace if t.kind is TraceKind.SKIPPED]
    assert before == [D(2025, 1, 25) + dt.timedelta(days=i) for i in range(9)]
    assert all("deemed receipt" in t.label for t in e.trace if t.kind is TraceKind.SKIPPED)
    # A Sunday receipt lists the Sunday itself.
    s = compute_due(vn(2025, 4, 27, 21), "3 ngày làm việc")
    assert D(2025, 4, 27) in {t.date for t in s.trace if t.kind is TraceKind.SKIPPED}


def test_uncertain_days_of_culture_day_2026() -> None:
    # Issue 8 §4: 24/11/2026 is a pending day off; the default result depends on it.
    received = vn(2026, 11, 23, 16)
    d = compute_due(received, "trong ngày")
    assert d.due_date == D(2026, 11, 25)
    assert [(u.date, u.status.value) for u in d.uncertain_days] == [(D(2026, 11, 24), "pending")]
    assert "80-NQ/TW" in d.uncertain_days[0].source
    assert d.to_dict()["uncertain_days"][0]["date"] == "2026-11-24"
    assert Deadline.model_validate_json(d.model_dump_json()) == d
    off = WorkingCalendar.vietnam(culture_day=False)
    assert compute_due(received, "trong ngày", calendar=off).due_date == D(2026, 11, 24)
    # A computation that does not reach 24/11 lists nothing.
    assert compute_due(vn(2026, 11, 2, 10), "3 ngày làm việc").uncertain_days == ()
    # Calendar-day periods depend only on the days they roll over, not the days they span.
    assert compute_due(vn(2026, 11, 2, 10), "30 ngày").uncertain_days == ()
    assert [u.date for u in compute_due(vn(2026, 11, 9, 10), "15 ngày").uncertain_days] == [
        D(2026, 11, 24)
    ]


def test_to_dict_is_the_json_contract() -> None:
    d = compute_due(R, "48 giờ")
    out = d.to_dict()
    assert out["due_at"] == "2025-04-28T07:30:00+07:00"
    assert out["raw_due_at"] == "2025-04-27T10:00:00+07:00"
    assert (out["limit"], out["limit_unit"]) == ("48 giờ", "hours")
    assert (out["provisional"], out["uncertain_days"]) == (False, [])
    assert [t["kind"] for t in out["trace"]] == ["rolled"]


# -- issue 10 §2: the trace is lazy, the cost constant ----------------------------------------


def test_trace_is_built_only_when_read(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dt.date] = []
    real = WorkingCalendar._explain_fields  # what the engine reads of each day it records

    def spy(self: WorkingCalendar, d: dt.date) -> object:
        calls.append(d)
        return real(self, d)

    monkeypatch.setattr(WorkingCalendar, "_explain_fields", spy)
    d = compute_due(vn(2025, 1, 24, 10), "100 ngày làm việc")
    assert calls == []
    trace = d.trace
    assert calls
    assert trace is d.trace  # built once, then kept
    assert D(2025, 1, 29) in {t.date for t in trace}


def test_lazy_trace_equals_hashes_and_pickles_like_a_built_one() -> None:
    import copy
    import pickle

    a = compute_due(vn(2025, 1, 24, 10), "5 ngày làm việc")
    b = compute_due(vn(2025, 1, 24, 10), "5 ngày làm việc")
    assert a == b
    assert hash(a) == hash(b)
    built = Deadline.model_validate(a.model_dump())
    assert built == b
    assert b == built
    assert pickle.loads(pickle.dumps(b)) == a
    assert copy.deepcopy(compute_due(vn(2025, 1, 24, 10), "5 ngày làm việc")) == a
    assert "Tết" in repr(compute_due(vn(2025, 1, 24, 10), "5 ngày làm việc"))
    with pytest.raises(ValueError, match="frozen"):
        a.trace = ()  # type: ignore[misc]


def test_cost_does_not_grow_with_the_span(monkeypatch: pytest.MonkeyPatch) -> None:
    from mot_cua.deadlines import DeadlineEngine

    counted = [0]
    real = DeadlineEngine.working

    def spy(self: DeadlineEngine, day: dt.date) -> bool:
        counted[0] += 1
        return real(self, day)

    monkeypatch.setattr(DeadlineEngine, "working", spy)
    policy = DeadlinePolicy(method="working-time")
    quiet = WorkingCalendar.vietnam(on_provisional="ignore")
    for n, span in ((1, 2), (1000, 500)):
        counted[0] = 0
        pauses = [Pause(start=vn(2025, 1, 6, 9), end=vn(2025, 1, 6, 9) + dt.timedelta(days=span))]
        limit = TimeLimit(value=n, unit="working_days")
        compute_due(vn(2025, 1, 6, 8), limit, calendar=quiet, policy=policy, pauses=pauses)
        assert counted[0] < 20, (n, span, counted[0])


def test_an_extension_is_no_longer_a_rolled_appointment() -> None:
    d = compute_due(R, "48 giờ")
    e = d.extend(vn(2025, 4, 29, 10), reason="Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    assert (e.raw_due_at, e.extended_from) == (None, d.due_at)
    assert [t.kind for t in e.trace] == [TraceKind.ROLLED, TraceKind.EXTENDED]


def test_the_default_calendar_follows_the_calendar_file_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "lich.toml"
    path.write_text(
        '[coverage]\nofficial_last_year = 2026\nsource = "test"\n\n[[override]]\n'
        'date = 2025-04-28\nkind = "day_off"\nlabel = "Nghỉ (thử)"\nsource = "Test notice"\n',
        encoding="utf-8",
    )
    before = compute_due(R, "3 ngày làm việc").due_date
    monkeypatch.setenv("MOT_CUA_CALENDAR_FILE", str(path))
    assert compute_due(R, "3 ngày làm việc").due_date == D(2025, 5, 5)  # 28/4 now off
    monkeypatch.delenv("MOT_CUA_CALENDAR_FILE")
    assert compute_due(R, "3 ngày làm việc").due_date == before == D(2025, 4, 29)
