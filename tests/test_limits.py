"""TimeLimit.parse: the forms of the national procedure database (issue 2 §3)."""

from __future__ import annotations

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
