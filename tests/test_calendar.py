"""The working calendar: conventions, sources, coverage, invariants and a differential test."""

from __future__ import annotations

import datetime as dt
import warnings

import holidays
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mot_cua import (
    CalendarOverride,
    CalendarRangeError,
    DayInfo,
    DayKind,
    InvalidInputError,
    ProvisionalCalendarWarning,
    WorkingCalendar,
)
from mot_cua.calendar import _parse_overrides, shipped_overrides
from mot_cua.errors import CalendarDataError

D = dt.date
CAL = WorkingCalendar.vietnam()
OFFICIAL = st.dates(min_value=D(2014, 1, 1), max_value=D(2026, 11, 30))


# -- conventions --------------------------------------------------------------------------------


def test_add_counts_strictly_after_the_start() -> None:
    assert CAL.add_working_days(D(2025, 1, 6), 1) == D(2025, 1, 7)  # Mon -> Tue


def test_add_zero_rolls_a_day_off_forward_and_keeps_a_working_day() -> None:
    assert CAL.add_working_days(D(2025, 1, 6), 0) == D(2025, 1, 6)
    assert CAL.add_working_days(D(2025, 1, 27), 0) == D(2025, 2, 3)  # Tết 2025
    assert CAL.roll_forward(D(2025, 4, 27)) == D(2025, 4, 28)


def test_negative_goes_backward_strictly_before() -> None:
    assert CAL.add_working_days(D(2025, 2, 3), -1) == D(2025, 1, 24)
    assert CAL.add_working_days(D(2025, 2, 1), -1) == D(2025, 1, 24)
    assert CAL.previous_working_day(D(2025, 4, 28)) == D(2025, 4, 26)  # worked Saturday


def test_between_is_exclusive_inclusive_and_antisymmetric() -> None:
    assert CAL.working_days_between(D(2025, 1, 6), D(2025, 1, 6)) == 0
    assert CAL.working_days_between(D(2025, 1, 6), D(2025, 1, 7)) == 1
    assert CAL.working_days_between(D(2025, 1, 7), D(2025, 1, 6)) == -1
    assert CAL.working_days_between(D(2025, 1, 24), D(2025, 2, 3)) == 1  # over Tết


def test_next_working_day() -> None:
    assert CAL.next_working_day(D(2025, 12, 31)) == D(2026, 1, 5)


@pytest.mark.parametrize(
    ("day", "working", "kind"),
    [
        (D(2026, 1, 2), False, DayKind.SWAP_DAY_OFF),  # VPCP 12729
        (D(2026, 1, 10), True, DayKind.WORKED_DAY),
        (D(2025, 4, 26), True, DayKind.WORKED_DAY),
        (D(2025, 5, 2), False, DayKind.SWAP_DAY_OFF),
        (D(2026, 4, 27), False, DayKind.COMPENSATORY),  # Hùng Kings on Sunday 26/4
        (D(2026, 2, 17), False, DayKind.HOLIDAY),
        (D(2026, 11, 24), False, DayKind.HOLIDAY),
        (D(2026, 3, 7), False, DayKind.WEEKEND),
        (D(2026, 3, 9), True, DayKind.WORKDAY),
    ],
)
def test_explain_kinds(day: dt.date, working: bool, kind: DayKind) -> None:
    info = CAL.explain(day)
    assert isinstance(info, DayInfo)
    assert (info.working, info.kind) == (working, kind)
    assert CAL.is_working_day(day) is working
    assert info.source  # every day names its source
    assert info.label
    assert info.label_en


def test_explain_names_the_official_letter() -> None:
    info = CAL.explain(D(2026, 1, 2))
    assert "12729/VPCP-KGVX" in info.source
    assert str(info).startswith("2026-01-02 (Fri): day off")


def test_culture_day_switch() -> None:
    off = WorkingCalendar.vietnam(culture_day=False)
    assert off.is_working_day(D(2026, 11, 24))
    assert not CAL.is_working_day(D(2026, 11, 24))


def test_without_worked_saturdays() -> None:
    no_sat = CAL.without_worked_saturdays()
    assert not no_sat.is_working_day(D(2025, 4, 26))
    assert not no_sat.is_working_day(D(2026, 1, 10))
    assert not no_sat.is_working_day(D(2025, 5, 2))  # the swap day stays off
    assert no_sat is CAL.without_worked_saturdays()  # cached


def test_caller_overrides_closure_and_worked_day() -> None:
    typhoon = CalendarOverride(
        date=D(2025, 9, 19), kind="day_off", label="Nghỉ do bão", source="UBND notice 1/TB"
    )
    extra = CalendarOverride(
        date=D(2025, 9, 20), kind="worked_day", label="Làm bù", source="UBND notice 1/TB"
    )
    cal = WorkingCalendar.vietnam(overrides=[typhoon, extra])
    assert not cal.is_working_day(D(2025, 9, 19))
    assert cal.explain(D(2025, 9, 19)).kind is DayKind.CLOSURE
    assert cal.explain(D(2025, 9, 19)).source == "UBND notice 1/TB"
    assert cal.is_working_day(D(2025, 9, 20))
    assert cal.add_working_days(D(2025, 9, 18), 1) == D(2025, 9, 20)
    assert CAL.is_working_day(D(2025, 9, 19))  # the default calendar is untouched


def test_year_lists_and_counts() -> None:
    assert [d.date for d in CAL.worked_days(2026)] == [D(2026, 1, 10), D(2026, 8, 22)]
    off_2025 = [d.date for d in CAL.days_off(2025)]
    assert D(2025, 1, 27) in off_2025
    assert D(2025, 5, 2) in off_2025
    assert all(d.weekday() < 5 for d in off_2025)
    # 2025: 261 weekdays - 12 weekdays off + 1 worked Saturday.
    assert len(off_2025) == 12
    assert CAL.working_days_in_year(2025) == 261 - 12 + 1


# -- coverage: provisional years and the range ---------------------------------------------------


def test_official_years() -> None:
    assert CAL.official_years == range(2014, 2027)
    assert CAL.official_last_year == shipped_overrides()[0] == 2026


def test_provisional_year_warns_and_answers() -> None:
    cal = CAL.with_overrides([])  # a fresh instance: warnings come once per calendar and year
    with pytest.warns(ProvisionalCalendarWarning, match="2027"):
        assert cal.add_working_days(D(2026, 12, 30), 2) == D(2027, 1, 4)
    with pytest.warns(ProvisionalCalendarWarning):
        cal.is_working_day(D(2030, 5, 2))
    with pytest.warns(ProvisionalCalendarWarning):
        cal.working_days_between(D(2026, 6, 1), D(2028, 6, 1))
    assert CAL.is_provisional(D(2027, 1, 1))
    assert not CAL.is_provisional(D(2026, 12, 31))


def test_on_provisional_ignore_and_raise() -> None:
    quiet = WorkingCalendar.vietnam(on_provisional="ignore")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert quiet.add_working_days(D(2026, 12, 30), 2) == D(2027, 1, 4)
        assert quiet.is_provisional(D(2027, 1, 4))
        assert quiet.without_worked_saturdays().on_provisional == "ignore"
    strict = WorkingCalendar.vietnam(on_provisional="raise")
    with pytest.raises(CalendarRangeError, match="on_provisional='raise'"):
        strict.add_working_days(D(2026, 12, 30), 2)
    assert strict.add_working_days(D(2026, 12, 1), 2) == D(2026, 12, 3)
    with pytest.raises(InvalidInputError, match="on_provisional"):
        WorkingCalendar(first_year=2025, last_year=2025, on_provisional="loud")  # type: ignore[arg-type]


def test_official_year_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CAL.add_working_days(D(2026, 12, 1), 10)


@pytest.mark.parametrize("day", [D(2013, 12, 31), D(2036, 1, 1), D(1999, 1, 1)])
def test_out_of_range_raises_never_clamps(day: dt.date) -> None:
    with pytest.raises(CalendarRangeError, match="never clamps") as info:
        CAL.is_working_day(day)
    assert isinstance(info.value, ValueError)


def test_result_beyond_range_raises() -> None:
    with pytest.raises(CalendarRangeError, match="fall before 2014-01-01"):
        CAL.add_working_days(D(2014, 1, 2), -5)
    with pytest.raises(CalendarRangeError, match=r"2035-12-31"):
        CAL.add_working_days(D(2035, 12, 20), 30)


def test_vietnam_refuses_years_before_2014() -> None:
    with pytest.raises(CalendarRangeError, match="starts in 2014"):
        WorkingCalendar.vietnam(first_year=2010)


def test_bad_arguments() -> None:
    with pytest.raises(InvalidInputError, match="datetime"):
        CAL.add_working_days(dt.datetime(2025, 1, 6, 9), 1)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="whole number"):
        CAL.add_working_days(D(2025, 1, 6), 1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"datetime\.date"):
        CAL.working_days_between("2025-01-06", D(2025, 1, 7))  # type: ignore[arg-type]


def test_numpy_integers_are_whole_numbers() -> None:
    assert CAL.add_working_days(D(2025, 1, 6), np.int64(3)) == D(2025, 1, 9)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="whole number"):
        CAL.add_working_days(D(2025, 1, 6), True)


def test_custom_calendar_from_special_days() -> None:
    special = DayInfo(
        date=D(2030, 1, 1),
        working=False,
        kind=DayKind.HOLIDAY,
        label="Năm mới",
        label_en="New Year",
        source="test",
    )
    cal = WorkingCalendar(first_year=2030, last_year=2030, special_days=[special])
    assert not cal.is_working_day(D(2030, 1, 1))  # no warning: every year official
    assert cal.add_working_days(D(2029, 12, 31) + dt.timedelta(days=1), 1) == D(2030, 1, 2)


def test_malformed_override_table_names_row_and_field() -> None:
    bad = """
[coverage]
official_first_year = 2014
official_last_year = 2026
source = "x"

[[override]]
date = 2026-01-02
kind = "holiday"
label = "x"
source = "y"
"""
    with pytest.raises(CalendarDataError, match=r"row 1 \(line 7\)\.kind"):
        _parse_overrides(bad, "test.toml")
    with pytest.raises(CalendarDataError, match="not valid TOML"):
        _parse_overrides("[[override", "test.toml")
    row = '\n[[override]]\ndate = 2026-01-02\nkind = "day_off"\nlabel = "x"\nsource = "y"\n'
    dup = bad.split("[[override]]", maxsplit=1)[0] + row + row
    with pytest.raises(CalendarDataError, match="repeats the date 2026-01-02"):
        _parse_overrides(dup, "test.toml")


def test_every_shipped_override_row_is_sourced() -> None:
    _, rows = shipped_overrides()
    assert rows
    for row in rows:
        assert row.source
        assert row.label
        assert CAL.explain(row.date).source == row.source


# -- Hypothesis invariants (issue 2 §5) --------------------------------------------------------

STEPS = st.integers(min_value=1, max_value=400)


@given(OFFICIAL, STEPS)
def test_results_are_working_days(d: dt.date, n: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalCalendarWarning)
        assert CAL._quiet_is_working(CAL._quiet_add(d, n))
        assert CAL._quiet_is_working(CAL._quiet_add(d, 0))


@given(OFFICIAL, STEPS, STEPS)
def test_add_is_associative(d: dt.date, n: int, m: int) -> None:
    assert CAL._quiet_add(CAL._quiet_add(d, n), m) == CAL._quiet_add(d, n + m)


@given(OFFICIAL, STEPS)
def test_between_inverts_add(d: dt.date, n: int) -> None:
    assert CAL._quiet_between(d, CAL._quiet_add(d, n)) == n
    assert CAL._quiet_between(CAL._quiet_add(d, n), d) == -n


@given(OFFICIAL, STEPS)
def test_backward_inverts_forward_on_working_days(d: dt.date, n: int) -> None:
    start = CAL._quiet_add(d, 0)
    assert CAL._quiet_add(CAL._quiet_add(start, n), -n) == start


@given(st.dates(min_value=D(2014, 1, 1), max_value=D(2034, 6, 1)), STEPS)
def test_provisional_iff_a_provisional_year_is_touched(d: dt.date, n: int) -> None:
    cal = CAL.with_overrides([])  # fresh: each calendar warns once per year
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = cal.add_working_days(d, n)
    warned = any(issubclass(w.category, ProvisionalCalendarWarning) for w in caught)
    assert warned == (max(d, result).year > 2026)


# -- differential test against holidays (issue 2 §5) -------------------------------------------


def _reference() -> holidays.HolidayBase:
    """holidays.VN with mot_cua's shipped overrides applied, as the other side of the test."""
    ref = holidays.country_holidays("VN", years=range(2014, 2032))
    for row in shipped_overrides()[1]:
        if row.kind == "day_off":
            ref[row.date] = row.label
        else:
            ref.weekend_workdays.add(row.date)
    return ref


def test_differential_against_holidays_every_start_day_2014_2030() -> None:
    ref = _reference()
    day = D(2014, 1, 1)
    mismatches = []
    while day <= D(2030, 12, 31):
        for n in (1, 2, 3, 5, 10, 20):
            ours = CAL._quiet_add(day, n)
            theirs = ref.get_nth_working_day(day, n)
            if ours != theirs:
                mismatches.append((day, n, ours, theirs))
        day += dt.timedelta(days=1)
    assert mismatches == []


def test_differential_is_sensitive_to_the_override() -> None:
    # Without our override, holidays alone gets row 25 of EXAMPLES.md wrong.
    plain = holidays.country_holidays("VN", years=range(2025, 2027))
    assert plain.get_nth_working_day(D(2025, 12, 31), 2) == D(2026, 1, 5)
    assert CAL.add_working_days(D(2025, 12, 31), 2) == D(2026, 1, 6)


# -- batch API -----------------------------------------------------------------------------------


INNER = st.dates(min_value=D(2015, 1, 1), max_value=D(2026, 6, 30))


@given(st.lists(INNER, min_size=1, max_size=50), st.integers(min_value=-200, max_value=200))
def test_batch_matches_scalar(days: list[dt.date], n: int) -> None:
    arr = np.array([d.isoformat() for d in days], dtype="datetime64[D]")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalCalendarWarning)
        got = CAL.add_working_days_array(arr, n)
        expected = [CAL.add_working_days(d, n) for d in days]
    assert [D.fromisoformat(str(x)) for x in got] == expected


def test_batch_between_and_per_element_steps() -> None:
    a = np.array(["2025-04-25", "2026-02-13"], dtype="datetime64[D]")
    b = np.array(["2025-05-05", "2026-02-25"], dtype="datetime64[D]")
    # 26/4/2025 (worked Saturday), 28/4, 29/4, 5/5; and 23, 24, 25/2/2026.
    assert CAL.working_days_between_array(a, b).tolist() == [4, 3]
    steps = np.array([0, -1])
    got = CAL.add_working_days_array(np.array(["2025-01-27", "2025-02-03"], "datetime64[D]"), steps)
    assert got.astype(str).tolist() == ["2025-02-03", "2025-01-24"]


def test_batch_is_right_where_numpy_busday_is_wrong() -> None:
    # numpy cannot represent the worked Saturday 26/4/2025 (PEERS.md).
    start = np.array(["2025-04-25"], dtype="datetime64[D]")
    offs = [d.date.isoformat() for d in CAL.days_off(2025)]
    numpy_answer = np.busday_offset(start, 1, holidays=offs)
    assert str(numpy_answer[0]) == "2025-04-28"
    assert str(CAL.add_working_days_array(start, 1)[0]) == "2025-04-26"


def test_batch_rejects_out_of_range_and_wrong_dtype() -> None:
    with pytest.raises(CalendarRangeError):
        CAL.add_working_days_array(np.array(["2013-05-01"], dtype="datetime64[D]"), 1)
    with pytest.raises(InvalidInputError, match="datetime64"):
        CAL.add_working_days_array(np.array([1, 2]), 1)
    nat = np.array(["2025-05-01", "NaT", "2025-05-02"], dtype="datetime64[D]")
    with pytest.raises(InvalidInputError, match=r"NaT .* at index 1"):
        CAL.add_working_days_array(nat, 1)
    with pytest.raises(InvalidInputError, match=r"NaT .* at index 0"):
        CAL.working_days_between_array(nat[::-1][1:], nat[:2])
