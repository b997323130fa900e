"""``mot_cua.errors.brief``: the one way a caller's value is shown in an error message."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mot_cua import WorkingCalendar, compute_due
from mot_cua.errors import CalendarRangeError, MotCuaError, brief

HUGE = 10**4400


class _Hostile:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3 ngày", "'3 ngày'"),
        (12, "12"),
        (None, "None"),
        (HUGE, "<int of 4401 digits>"),
        (-HUGE, "<int of 4401 digits>"),
        ([1, HUGE], "<list>"),
        ({"x": HUGE}, "<dict>"),
        (_Hostile(), "<_Hostile>"),
        ("a\nb\x00", "'a\\nb\\x00'"),
    ],
    ids=["text", "int", "none", "huge", "huge-negative", "list", "dict", "hostile", "control"],
)
def test_brief_describes_values(value: object, expected: str) -> None:
    assert brief(value) == expected


def test_brief_counts_digits_at_powers_of_ten() -> None:
    # 10**k has k + 1 digits and 10**k - 1 has k: the estimate from bit_length is checked.
    for k in (4301, 5000, 12345):
        assert brief(10**k) == f"<int of {k + 1} digits>"
        assert brief(10**k - 1) == f"<int of {k} digits>"


def test_brief_cuts_long_values() -> None:
    assert brief("x" * 100, 12) == "'xxxxxxxx..."
    assert len(brief(list(range(1000)))) == 80
    assert brief("x" * 100, 0) == "'xxxx..."  # the width is at least 8


@given(st.recursive(st.none() | st.integers() | st.text() | st.floats(), st.lists, max_leaves=8))
def test_brief_is_one_bounded_line(value: object) -> None:
    text = brief(value)
    assert 0 < len(text) <= 80
    assert text.isprintable()
    if len(repr(value)) <= 80 and repr(value).isprintable():
        assert text == repr(value)


def test_huge_int_argument_gets_a_mot_cua_error() -> None:
    """An int Python will not print, passed where a date belongs, still gets a clear error."""
    with pytest.raises(MotCuaError, match="<int of 4401 digits>"):
        compute_due(HUGE, "3 ngày làm việc")  # type: ignore[arg-type]
    with pytest.raises(CalendarRangeError, match="year <int of 4401 digits> is outside"):
        WorkingCalendar.vietnam().days_off(HUGE)
    received = dt.datetime(2025, 4, 25, 10, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    with pytest.raises(MotCuaError):
        compute_due(received, HUGE)  # type: ignore[arg-type]


def test_frozen_clock_refuses_a_nan_step() -> None:
    """Found by Hypothesis: ``timedelta(days=nan)`` raises a bare ``ValueError``."""
    from mot_cua.errors import InvalidInputError
    from mot_cua.testing import FrozenClock

    with pytest.raises(InvalidInputError, match="finite numbers"):
        FrozenClock().advance(days=float("nan"))


def test_found_by_the_huge_int_sweep() -> None:
    """The deterministic sweep in tests/test_fuzz_api.py found these; each now names its field."""
    import numpy as np

    from mot_cua import indicators

    cal = WorkingCalendar.vietnam()
    with pytest.raises(CalendarRangeError, match="<int of 4401 digits> working days after"):
        cal.add_working_days(dt.date(2025, 4, 25), HUGE)
    days = np.array(["2025-04-25"], dtype="datetime64[D]")
    with pytest.raises(CalendarRangeError, match="<int of 4401 digits> working days"):
        cal.add_working_days_array(days, HUGE)
    for kwargs, field in [
        ({"as_of": HUGE}, "as_of"),
        ({"engine": "fast"}, "engine"),
        ({"calendar": "vietnam"}, "calendar"),
    ]:
        with pytest.raises(MotCuaError) as info:
            indicators.report([], "2026-03", **kwargs)
        assert info.value.details["field"] == field
    with pytest.raises(MotCuaError, match="records must be a list"):
        indicators.report(HUGE, "2026-03")


def test_brief_refuses_a_width_that_is_not_a_number() -> None:
    from mot_cua.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="width must be a whole number"):
        brief("x", "80")  # type: ignore[arg-type]
