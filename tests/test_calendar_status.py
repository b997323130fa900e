"""Legal status of calendar days, pending days, Tết labels and sources (issue 8 §4, item 27)."""

from __future__ import annotations

import datetime as dt
import warnings

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mot_cua import (
    CalendarRangeError,
    DayKind,
    InvalidInputError,
    LegalStatus,
    UncertainDay,
    WorkingCalendar,
)
from mot_cua.calendar import lunar_month_start, tet_label

D = dt.date
CAL = WorkingCalendar.vietnam()
CULTURE_SOURCE = ("80-NQ/TW", "30/NQ-CP", "112(1)")


# -- legal status and pending days ------------------------------------------------------------


def test_culture_day_2026_is_a_pending_day_off_by_default() -> None:
    info = CAL.explain(D(2026, 11, 24))
    assert not info.working
    assert info.status is LegalStatus.PENDING
    assert all(part in info.source for part in CULTURE_SOURCE)
    assert info.origin.startswith("mot_cua shipped table row ")
    assert "(pending law)" in str(info)


def test_culture_day_switch_turns_the_day_into_an_ordinary_working_day() -> None:
    off = WorkingCalendar.vietnam(culture_day=False)
    assert off.is_working_day(D(2026, 11, 24))
    assert off.explain(D(2026, 11, 24)).status is LegalStatus.ENACTED
    assert off.uncertain_days(D(2026, 1, 1), D(2026, 12, 31)) == ()
    # The example of issue 8 §4: one working day after Monday 23/11/2026.
    assert CAL.add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 25)
    assert off.add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 24)


def test_uncertain_days_lists_the_pending_days_of_the_span() -> None:
    (day,) = CAL.uncertain_days(D(2026, 11, 23), D(2026, 11, 25))
    assert isinstance(day, UncertainDay)
    assert (day.date, day.status, day.label) == (
        D(2026, 11, 24),
        LegalStatus.PENDING,
        "Ngày Văn hóa Việt Nam",
    )
    assert CAL.uncertain_days(D(2026, 11, 24), D(2026, 11, 24)) == (day,)
    assert CAL.uncertain_days(D(2026, 11, 25), D(2027, 11, 23)) == ()
    assert CAL.uncertain_days(D(2026, 11, 25), D(2026, 11, 23)) == ()  # reversed: empty
    assert CAL.uncertain_days(D(2014, 1, 1), D(2025, 12, 31)) == ()


def test_a_yearly_pending_holiday_on_a_weekend_brings_a_pending_compensatory_day() -> None:
    # 24/11/2029 is a Saturday, 24/11/2030 a Sunday: holidays.VN gives Monday off both times.
    days = [u.date for u in CAL.uncertain_days(D(2029, 1, 1), D(2030, 12, 31))]
    assert days == [D(2029, 11, 24), D(2029, 11, 26), D(2030, 11, 24), D(2030, 11, 25)]
    info = CAL.explain(D(2029, 11, 26))
    assert info.kind is DayKind.COMPENSATORY
    assert info.status is LegalStatus.PENDING
    assert "Art. 112(3)" in info.source


def test_uncertain_days_never_warns_even_in_provisional_years() -> None:
    cal = CAL.with_overrides([])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(cal.uncertain_days(D(2027, 1, 1), D(2035, 12, 31))) == 12  # 9 years, 3 Mondays


def test_uncertain_days_refuses_dates_outside_the_calendar_and_non_dates() -> None:
    with pytest.raises(CalendarRangeError, match="2013-12-31"):
        CAL.uncertain_days(D(2013, 12, 31), D(2026, 1, 1))
    with pytest.raises(CalendarRangeError, match="2036-01-01"):
        CAL.uncertain_days(D(2026, 1, 1), D(2036, 1, 1))
    with pytest.raises(InvalidInputError, match="datetime"):
        CAL.uncertain_days(dt.datetime(2026, 1, 1), D(2026, 2, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        CAL.uncertain_days("2026-01-01", D(2026, 2, 1))  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(
    st.dates(min_value=D(2014, 1, 1), max_value=D(2035, 12, 31)),
    st.integers(min_value=0, max_value=2000),
)
def test_uncertain_days_equals_the_days_whose_status_is_pending(first: dt.date, span: int) -> None:
    last = min(first + dt.timedelta(days=span), D(2035, 12, 31))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        brute = []
        day = first
        while day <= last:
            if CAL.explain(day).status is LegalStatus.PENDING:
                brute.append(day)
            day += dt.timedelta(days=1)
    assert [u.date for u in CAL.uncertain_days(first, last)] == brute


def test_every_day_says_where_its_answer_came_from() -> None:
    assert CAL.explain(D(2025, 4, 30)).origin == "holidays.VN"
    assert CAL.explain(D(2025, 4, 29)).origin == "weekly rule"
    assert CAL.explain(D(2026, 1, 2)).origin.startswith("mot_cua shipped table row 1")
    closed = CAL.with_overrides(
        [{"date": D(2025, 9, 19), "kind": "day_off", "label": "Bão", "source": "TB 12/TB"}]
    )
    assert closed.explain(D(2025, 9, 19)).origin == "caller override"


# -- Tết labels from the lunar date (item 27) ----------------------------------------------------


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (D(2025, 1, 27), "Tết Nguyên Đán: 28 tháng Chạp"),  # the issue: not "29 Tết"
        (D(2025, 1, 28), "Tết Nguyên Đán: 29 tháng Chạp (Giao thừa)"),  # 2025: no 30 tháng Chạp
        (D(2025, 1, 29), "Tết Nguyên Đán: mùng 1 tháng Giêng"),
        (D(2025, 1, 31), "Tết Nguyên Đán: mùng 3 tháng Giêng"),
        (D(2024, 2, 8), "Tết Nguyên Đán: 29 tháng Chạp"),
        (D(2024, 2, 9), "Tết Nguyên Đán: 30 tháng Chạp (Giao thừa)"),  # Quý Mão had a 30th
        (D(2023, 1, 20), "Tết Nguyên Đán: 29 tháng Chạp"),
        (D(2023, 1, 21), "Tết Nguyên Đán: 30 tháng Chạp (Giao thừa)"),
        (D(2026, 2, 16), "Tết Nguyên Đán: 29 tháng Chạp (Giao thừa)"),  # Ất Tỵ: no 30th
        (D(2026, 2, 20), "Tết Nguyên Đán: mùng 4 tháng Giêng"),
    ],
)
def test_tet_labels_follow_the_lunar_date(day: dt.date, label: str) -> None:
    assert CAL.explain(day).label == label


def test_the_lunar_computation_agrees_with_the_published_lunar_dates() -> None:
    """Two independent checks a year, 2014-2100: Tết (1/1 lunar) and Hùng Kings (10/3 lunar)."""
    tet = holidays.country_holidays("VN", years=range(2014, 2101), observed=False, language="vi")
    firsts = sorted(d for d, x in tet.items() if x == "Tết Nguyên Đán")
    hung = sorted(d for d, x in tet.items() if x == "Ngày Giỗ Tổ Hùng Vương")
    assert len(firsts) == len(hung) == 87
    assert [lunar_month_start(d) for d in firsts] == firsts
    assert [lunar_month_start(d) + dt.timedelta(days=9) for d in hung] == hung


@pytest.mark.parametrize(("year", "last"), [(2023, 30), (2024, 30), (2025, 29), (2026, 29)])
def test_length_of_the_last_lunar_month(year: int, last: int) -> None:
    tet = holidays.country_holidays("VN", years=year, observed=False, language="vi")
    (first,) = [d for d, x in tet.items() if x == "Tết Nguyên Đán"]
    eve = first - dt.timedelta(days=1)
    assert tet_label(eve, first)[0] == f"Tết Nguyên Đán: {last} tháng Chạp (Giao thừa)"


def test_no_shipped_label_is_copied_from_holidays_for_tet() -> None:
    for year in range(2014, 2036):
        for info in CAL.days_off(year):
            assert "29 Tết" not in info.label
            assert "Mùng năm" not in info.label


# -- sources (§4) --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "document"),
    [
        (D(2019, 2, 5), "6519/VPCP-KGVX of 11/7/2018"),
        (D(2025, 1, 29), "Official Letter 8726/VPCP-KGVX of 26/11/2024"),
        (D(2026, 2, 17), "Announcement 9441/TB-BNV of 16/10/2025"),
        (D(2026, 8, 31), "Announcement 9441/TB-BNV of 16/10/2025"),
        (D(2026, 8, 22), "Announcement 9441/TB-BNV of 16/10/2025"),
        (D(2024, 4, 29), "Official Letter 2450/VPCP-KGVX of 12/4/2024"),
        (D(2024, 5, 4), "Official Letter 2450/VPCP-KGVX of 12/4/2024"),
        (D(2026, 1, 2), "Official Letter 12729/VPCP-KGVX of 25/12/2025"),
    ],
)
def test_days_cite_the_years_government_document(day: dt.date, document: str) -> None:
    assert document in CAL.explain(day).source


def test_tet_rows_without_a_known_document_say_so() -> None:
    source = CAL.explain(D(2024, 2, 12)).source
    assert "not recorded" in source
    assert "Art. 112(1)(b)" in source


def test_no_source_or_label_cites_unshipped_spec_files() -> None:
    cal = WorkingCalendar.vietnam(last_year=2100, on_provisional="ignore")
    for year in range(2014, 2101):
        for info in [*cal.days_off(year), *cal.worked_days(year)]:
            for text in (info.source, info.label, info.label_en, info.origin):
                assert ".md" not in text, (info.date, text)
