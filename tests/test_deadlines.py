"""The deadline engine: policies, units, pauses, errors, timeliness (RULES.md §3–5)."""

from __future__ import annotations

import datetime as dt
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
    d = compute_due(vn(2025, 1, 24, 16), "24 giờ")
    assert d.due_at == vn(2025, 1, 25, 16)
    assert d.deemed_receipt == vn(2025, 1, 24, 16)


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
    with pytest.warns(ProvisionalCalendarWarning, match="2027"):
        d = compute_due(vn(2026, 12, 28, 9), "5 ngày làm việc")
    assert d.provisional
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
