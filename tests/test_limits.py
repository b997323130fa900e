"""TimeLimit.parse: the forms of the national procedure database (issue 2 §3)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from mot_cua import TimeLimit, TimeLimitParseError, TimeUnit

W, C, WH, H, M = (
    TimeUnit.WORKING_DAYS,
    TimeUnit.CALENDAR_DAYS,
    TimeUnit.WORKING_HOURS,
    TimeUnit.HOURS,
    TimeUnit.MONTHS,
)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("03 ngày làm việc", 3, W),
        ("15 ngày", 15, C),
        ("8 giờ làm việc", 8, WH),
        ("trong ngày", 0, TimeUnit.SAME_DAY),
        ("ngay trong ngày", 0, TimeUnit.SAME_DAY),
        ("Trong ngày làm việc", 0, TimeUnit.SAME_DAY),
        ("ngay", 0, TimeUnit.IMMEDIATELY),
        ("3 working days", 3, W),
        ("0.5 working day", 0.5, W),
        ("1,5 ngày làm việc", 1.5, W),
        ("same day", 0, TimeUnit.SAME_DAY),
        ("immediately", 0, TimeUnit.IMMEDIATELY),
        ("10 days", 10, C),
        ("10 calendar days", 10, C),
        ("24 giờ", 24, H),
        ("2 tháng", 2, M),
        ("03 (ba) ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 3, W),
        ("Không quá 20 ngày làm việc", 20, W),
        ("Trong vòng 05 ngày làm việc.", 5, W),
        ("  3   NGÀY   LÀM   VIỆC ", 3, W),
    ],
)
def test_parse(text: str, value: float, unit: TimeUnit) -> None:
    limit = TimeLimit.parse(text)
    assert (limit.value, limit.unit) == (value, unit)


def test_parse_extension_and_render() -> None:
    limit = TimeLimit.parse("20 + 10 ngày làm việc")
    assert (limit.value, limit.extension) == (20, 10)
    assert str(limit) == "20 + 10 ngày làm việc"
    assert limit.extended() == TimeLimit(value=30, unit=W)
    assert TimeLimit.parse(str(limit)) == limit
    assert TimeLimit.parse("0.5 working day").to_text("en") == "0.5 working days"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        # Issue 8 item 5: a qualifier says which days count; bracketed or not, it is read.
        ("15 ngày (không kể ngày nghỉ)", 15, W),
        ("15 ngày không kể ngày nghỉ lễ, tết", 15, W),
        ("10 ngày (không tính thứ bảy, chủ nhật và ngày lễ)", 10, W),
        ("3 ngày (làm việc)", 3, W),
        ("8 giờ (làm việc)", 8, WH),
        ("10 ngày (kể cả ngày nghỉ)", 10, C),
        ("5 days (excluding holidays)", 5, W),
        ("5 days including weekends", 5, C),
        # Only the number in words may be ignored, and it must say the same number.
        ("15 (mười lăm) ngày", 15, C),
        ("21 (hai mươi mốt) ngày làm việc", 21, W),
        ("0,5 (không phẩy năm) ngày làm việc", 0.5, W),
        ("20 (twenty) working days", 20, W),
        ("20 (hai mươi) + 10 (mười) ngày làm việc", 20, W),
    ],
)
def test_parse_qualifiers_and_number_words(text: str, value: float, unit: TimeUnit) -> None:
    limit = TimeLimit.parse(text)
    assert (limit.value, limit.unit) == (value, unit)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("15 ngày (tùy trường hợp)", "only the number in words may be bracketed"),
        ("03 (năm) ngày làm việc", "says 5, the digits say 03"),
        ("3 (làm việc) ngày", "is not the number in words"),
        ("3 ngày làm việc (kể cả ngày nghỉ)", "also that days off count"),
        ("3 (ba ngày", "do not pair up"),
        ("1.000 ngày", "write the number without it (e.g. '1000')"),
        ("1,000 ngày", "thousands separator"),
        ("1.000.000 giờ", "thousands separator"),
        ("12.500 ngày", "thousands separator"),
    ],
)
def test_parse_refuses_what_it_cannot_read_with_a_suggestion(text: str, hint: str) -> None:
    # Before: brackets were dropped anywhere ("15 ngày (không kể ngày nghỉ)" became 15 calendar
    # days) and "1.000 ngày" was 1 day.
    with pytest.raises(TimeLimitParseError, match=re.escape(hint)):
        TimeLimit.parse(text)


def test_decimals_that_look_like_thousands_render_unambiguously() -> None:
    assert str(TimeLimit(value=1.125, unit="working_days")) == "1.1250 ngày làm việc"
    assert TimeLimit.parse("1.1250 ngày làm việc").value == 1.125
    assert TimeLimit.parse("0.125 ngày làm việc").value == 0.125
    assert TimeLimit.parse("1000 ngày").value == 1000


def test_tiny_and_huge_values_round_trip() -> None:
    # Before: str(TimeLimit(value=1e-7, unit="hours")) was '1e-07 giờ', which parse rejected.
    for value in (1e-7, 5e-324, 1.5e-10, 123456.789, 1e22, 1.7976931348623157e308):
        limit = TimeLimit(value=value, unit="hours")
        assert "e" not in str(limit)
        assert TimeLimit.parse(str(limit)) == limit
        assert TimeLimit.parse(limit.to_text("en")) == limit


def test_extension_basis_round_trips_in_square_brackets() -> None:
    land = TimeLimit(value=20, unit=W, extension=10, extension_basis="Decree 101/2024 (xã) [x]")
    assert str(land) == "20 + 10 ngày làm việc [Decree 101/2024 (xã) [x]]"
    assert TimeLimit.parse(str(land)) == land
    assert TimeLimit.parse("trong ngày [Decree 63/2024]").extension_basis == "Decree 63/2024"


VALUES = st.one_of(
    st.floats(min_value=0, allow_nan=False, allow_infinity=False),
    st.integers(0, 10**6).map(float),
    st.decimals(min_value=0, max_value=1000, places=3).map(float),
)


@st.composite
def limits(draw: st.DrawFn) -> TimeLimit:
    unit = draw(st.sampled_from(list(TimeUnit)))
    basis = draw(st.one_of(st.none(), st.text(max_size=20)))
    try:
        return TimeLimit(
            value=draw(VALUES), unit=unit, extension=draw(VALUES), extension_basis=basis
        )
    except ValidationError:
        return TimeLimit(value=0, unit=TimeUnit.SAME_DAY, extension_basis=basis)


@given(limits(), st.sampled_from(["vi", "en"]))
def test_every_valid_limit_round_trips_through_text(limit: TimeLimit, lang: str) -> None:
    assert TimeLimit.parse(limit.to_text(lang)) == limit


@pytest.mark.parametrize(
    "text", ["", "soon", "ba ngày", "3", "-3 ngày", "3 weeks", "0 ngày", "1.5 tháng", "nhanh"]
)
def test_unparseable_text_raises_and_quotes_it(text: str) -> None:
    with pytest.raises(TimeLimitParseError) as info:
        TimeLimit.parse(text)
    assert repr(text) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_parse_rejects_non_text() -> None:
    with pytest.raises(TimeLimitParseError, match="must be text"):
        TimeLimit.parse(3)  # type: ignore[arg-type]


def test_values_are_checked() -> None:
    with pytest.raises(ValidationError, match="takes no value"):
        TimeLimit(value=2, unit="same_day")
    with pytest.raises(ValidationError, match="finite"):
        TimeLimit(value=float("nan"), unit="working_days")
    with pytest.raises(ValidationError, match="unit"):
        TimeLimit(value=2, unit="fortnights")  # type: ignore[arg-type]


def test_text_is_accepted_inside_models_and_json() -> None:
    class Proc(BaseModel):
        time_limit: TimeLimit

    p = Proc.model_validate({"time_limit": "3 ngày làm việc"})
    assert p.time_limit == TimeLimit(value=3, unit=W)
    assert Proc.model_validate_json(p.model_dump_json()) == p
    with pytest.raises(ValidationError, match="cannot read time limit"):
        Proc.model_validate({"time_limit": "soon"})


@given(st.text(max_size=40))
def test_parse_fuzz_raises_only_our_error(text: str) -> None:
    try:
        limit = TimeLimit.parse(text)
    except TimeLimitParseError:
        return
    assert TimeLimit.parse(str(limit)) == limit


@given(
    st.decimals(min_value=0.5, max_value=400, places=1).map(float),
    st.sampled_from(["ngày làm việc", "giờ làm việc", "giờ", "working days"]),
)
def test_render_round_trips(value: float, unit: str) -> None:
    limit = TimeLimit.parse(f"{value} {unit}")
    assert TimeLimit.parse(str(limit)) == limit
    assert limit.value == value
