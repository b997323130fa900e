"""Hardening of the calendar API (issue 8 items 12, 19, 24, §5, §6; issue 10 §3)."""

from __future__ import annotations

import datetime as dt
import gc
import importlib.util
import re
import subprocess
import sys
import warnings
import weakref
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import holidays
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mot_cua import (
    CalendarDataError,
    CalendarOverride,
    CalendarRangeError,
    InvalidInputError,
    LegalStatus,
    MotCuaError,
    ProvisionalCalendarWarning,
    WorkingCalendar,
)
from mot_cua.calendar import CALENDAR_FILE_ENV, _vietnam, calendar_from_cli, shipped_overrides
from mot_cua.errors import InputFileError

D = dt.date
CAL = WorkingCalendar.vietnam()
ROOT = Path(__file__).resolve().parent.parent

ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.dates(),
    st.datetimes(),
    st.decimals(allow_nan=True),
    st.complex_numbers(),
    st.just(object()),
    st.just([{"date": "x"}]),
    st.just(["x"]),
    st.just(float("inf")),
)


def _calls() -> dict[str, Callable[[Any], object]]:
    cal = CAL
    day = D(2025, 5, 5)
    arr = np.array(["2025-05-05"], dtype="datetime64[D]")
    return {
        "vietnam.first_year": lambda v: WorkingCalendar.vietnam(first_year=v),
        "vietnam.last_year": lambda v: WorkingCalendar.vietnam(last_year=v),
        "vietnam.culture_day": lambda v: WorkingCalendar.vietnam(culture_day=v),
        "vietnam.worked_saturdays": lambda v: WorkingCalendar.vietnam(worked_saturdays=v),
        "vietnam.shipped_overrides": lambda v: WorkingCalendar.vietnam(shipped_overrides=v),
        "vietnam.overrides": lambda v: WorkingCalendar.vietnam(overrides=v),
        "vietnam.on_provisional": lambda v: WorkingCalendar.vietnam(on_provisional=v),
        "vietnam.data": lambda v: WorkingCalendar.vietnam(data=v),
        "init.first_year": lambda v: WorkingCalendar(first_year=v, last_year=1),
        "init.last_year": lambda v: WorkingCalendar(first_year=9998, last_year=v),
        "init.special_days": lambda v: WorkingCalendar(
            first_year=2025, last_year=2025, special_days=v
        ),
        "init.official_last_year": lambda v: WorkingCalendar(
            first_year=2025, last_year=2025, official_last_year=v
        ),
        "init.name": lambda v: WorkingCalendar(first_year=2025, last_year=2025, name=v),
        "init.on_provisional": lambda v: WorkingCalendar(
            first_year=2025, last_year=2025, on_provisional=v
        ),
        "with_overrides": cal.with_overrides,
        "add.d": lambda v: cal.add_working_days(v, 1),
        "add.n": lambda v: cal.add_working_days(day, v),
        "between.a": lambda v: cal.working_days_between(v, day),
        "between.b": lambda v: cal.working_days_between(day, v),
        "explain": cal.explain,
        "is_working_day": cal.is_working_day,
        "is_provisional": cal.is_provisional,
        "is_statutory_rest_day": cal.is_statutory_rest_day,
        "next_working_day": cal.next_working_day,
        "previous_working_day": cal.previous_working_day,
        "roll_forward": cal.roll_forward,
        "days_off": cal.days_off,
        "worked_days": cal.worked_days,
        "working_days_in_year": cal.working_days_in_year,
        "uncertain_days.first": lambda v: cal.uncertain_days(v, day),
        "uncertain_days.last": lambda v: cal.uncertain_days(day, v),
        "array.dates": lambda v: cal.add_working_days_array(v, 1),
        "array.n": lambda v: cal.add_working_days_array(arr, v),
        "between_array.a": lambda v: cal.working_days_between_array(v, arr),
        "calendar_from_cli": calendar_from_cli,
    }


CALLS = _calls()


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(CALLS)), ANYTHING)
def test_no_builtin_exception_escapes_the_calendar_api(call: str, value: object) -> None:
    message = ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalCalendarWarning)
        try:
            CALLS[call](value)
        except MotCuaError as exc:
            message = str(exc)
    assert "\n" not in message


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (lambda: WorkingCalendar(first_year=None, last_year=2030), InvalidInputError, "int"),
        (
            lambda: WorkingCalendar(first_year="2020", last_year=2030),
            InvalidInputError,
            "first_year=2020, without quotes",
        ),
        (lambda: WorkingCalendar(first_year=2.5, last_year=2030), InvalidInputError, "float"),
        (
            lambda: WorkingCalendar(first_year=2020, last_year=2030, official_last_year=-4),
            CalendarRangeError,
            "official_last_year=-4",
        ),
        (lambda: WorkingCalendar.vietnam(overrides=["x"]), InvalidInputError, r"overrides\[0\]"),
        (lambda: CAL.with_overrides(["x"]), InvalidInputError, "CalendarOverride"),
        (
            lambda: WorkingCalendar.vietnam(overrides=[{"date": "2025-09-19"}]),
            InvalidInputError,
            r"overrides\[0\]: kind",
        ),
        (lambda: WorkingCalendar.vietnam(culture_day="no"), InvalidInputError, "True or False"),
        (lambda: CAL.days_off(2.5), InvalidInputError, "year"),
        (lambda: WorkingCalendar(first_year="²", last_year=2030), InvalidInputError, "int"),
        (
            lambda: WorkingCalendar.vietnam(first_year=Decimal("sNaN")),
            InvalidInputError,
            "first_year",
        ),
        (
            lambda: WorkingCalendar.vietnam(on_provisional=Decimal("sNaN")),
            InvalidInputError,
            "on_provisional",
        ),
        (lambda: CAL.days_off(10**20), CalendarRangeError, "year"),
        (lambda: CAL.working_days_in_year(2013), CalendarRangeError, "2014-01-01"),
    ],
)
def test_bad_arguments_raise_mot_cua_errors_with_a_fix(
    call: Callable[[], object], error: type[MotCuaError], fragment: str
) -> None:
    with pytest.raises(error, match=fragment):
        call()


def test_overrides_may_be_mappings() -> None:
    row = {"date": D(2025, 9, 19), "kind": "day_off", "label": "Bão", "source": "TB 12/TB"}
    assert not WorkingCalendar.vietnam(overrides=[row]).is_working_day(D(2025, 9, 19))
    assert CAL.with_overrides([CalendarOverride(**row)]).explain(D(2025, 9, 19)).label == "Bão"


# -- item 12: bounded cache -----------------------------------------------------------------------


def test_vietnam_overrides_cache_is_bounded_and_evicts() -> None:
    def build(i: int) -> WorkingCalendar:
        row = CalendarOverride(
            date=D(2025, 1, 1) + dt.timedelta(days=i), kind="day_off", label="x", source="y"
        )
        return WorkingCalendar.vietnam(overrides=[row])

    first = build(0)
    assert build(0) is first  # still a cache
    ref = weakref.ref(first)
    del first
    for i in range(1, 60):
        build(i)
    info = _vietnam.cache_info()
    assert info.maxsize is not None
    assert info.currsize <= info.maxsize <= 32
    gc.collect()
    assert ref() is None


# -- item 24: range errors give a fix that works -------------------------------------------------


def test_a_receipt_in_2013_is_told_the_floor_not_an_impossible_fix() -> None:
    with pytest.raises(CalendarRangeError) as info:
        CAL.is_working_day(D(2013, 6, 3))
    message = str(info.value)
    assert "starts on 2014-01-01" in message
    assert "covering 2013" not in message
    assert not re.search(r"\bd\b", message.replace("2013-06-03", ""))


@pytest.mark.parametrize("year", [2036, 2050, 2100])
def test_a_date_after_the_range_is_told_the_last_year_that_works(year: int) -> None:
    day = D(year, 3, 2)
    with pytest.raises(CalendarRangeError) as info:
        CAL.explain(day)
    fix = re.search(r"WorkingCalendar\.vietnam\(last_year=(\d+)\)", str(info.value))
    assert fix is not None
    bigger = WorkingCalendar.vietnam(last_year=int(fix.group(1)), on_provisional="ignore")
    assert bigger.explain(day).date == day


def test_after_2100_the_message_says_the_calendar_ends() -> None:
    cal = WorkingCalendar.vietnam(last_year=2100, on_provisional="ignore")
    with pytest.raises(CalendarRangeError, match="ends on 2100-12-31"):
        cal.add_working_days(D(2100, 12, 20), 30)


@given(st.dates(min_value=D(1, 1, 1), max_value=D(9998, 12, 31)))
def test_custom_calendars_suggest_a_range_that_covers_the_date(day: dt.date) -> None:
    cal = WorkingCalendar(first_year=2020, last_year=2021)
    if cal.first_day <= day <= cal.last_day:
        return
    with pytest.raises(CalendarRangeError) as info:
        cal.is_working_day(day)
    fix = re.search(r"first_year=(\d+), last_year=(\d+)", str(info.value))
    assert fix is not None
    first, last = int(fix.group(1)), int(fix.group(2))
    assert first <= day.year <= last


# -- §6: warn once per calendar and year ---------------------------------------------------------


def _provisional_warnings(run: Callable[[], object]) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run()
    return [str(w.message) for w in caught if issubclass(w.category, ProvisionalCalendarWarning)]


def test_a_calendar_warns_once_per_provisional_year() -> None:
    cal = CAL.with_overrides([])
    first = _provisional_warnings(lambda: [cal.add_working_days(D(2027, 3, 1), 1) for _ in "ab"])
    assert len(first) == 1
    assert "2027" in first[0]
    assert "once per calendar and year" in first[0]
    assert _provisional_warnings(lambda: cal.is_working_day(D(2027, 6, 1))) == []
    assert len(_provisional_warnings(lambda: cal.is_working_day(D(2028, 6, 1)))) == 1
    # another calendar object warns on its own
    other = CAL.with_overrides([])
    assert len(_provisional_warnings(lambda: other.is_working_day(D(2027, 6, 1)))) == 1


def test_once_every_year_warned_the_hot_path_stops_checking() -> None:
    cal = CAL.with_overrides([])
    for year in range(2027, 2036):
        assert len(_provisional_warnings(lambda y=year: cal.is_working_day(D(y, 1, 5)))) == 1
    assert cal._warn_ord == sys.maxsize
    assert _provisional_warnings(lambda: cal.add_working_days(D(2030, 1, 1), 30)) == []
    assert cal.is_provisional(D(2030, 1, 1))


def test_raise_mode_raises_every_time() -> None:
    cal = WorkingCalendar.vietnam(on_provisional="raise")
    for _ in range(3):
        with pytest.raises(CalendarRangeError, match="on_provisional='raise'"):
            cal.add_working_days(D(2026, 12, 30), 3)


# -- §5: the user's calendar file ----------------------------------------------------------------

GOOD = """
[coverage]
official_last_year = 2027
source = "Test schedule for 2027 (a test file, not a real decision)"

[[override]]
date = 2027-04-29
kind = "day_off"
label = "Nghỉ hoán đổi (thử)"
source = "Test notice 1/TB-TEST"

[[override]]
date = 2027-04-24
kind = "worked_day"
label = "Làm bù (thử)"
source = "Test notice 1/TB-TEST"

[[override]]
date = 2027-09-06
kind = "day_off"
status = "pending"
label = "Nghỉ dự kiến (thử)"
source = "Test draft 2/DT-TEST"
"""


def _write(tmp_path: Path, text: str, name: str = "cal.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_calendar_file_adds_swaps_raises_the_official_year_and_declares_pending(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, GOOD)
    cal = WorkingCalendar.vietnam(data=path)
    assert cal.official_last_year == 2027
    assert not cal.is_provisional(D(2027, 4, 29))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not cal.is_working_day(D(2027, 4, 29))
        assert cal.is_working_day(D(2027, 4, 24))
    info = cal.explain(D(2027, 4, 29))
    assert info.origin == f"calendar file {path} row 1 (line 6)"
    assert info.source == "Test notice 1/TB-TEST"
    assert [u.date for u in cal.uncertain_days(D(2027, 9, 1), D(2027, 9, 30))] == [D(2027, 9, 6)]
    assert cal.explain(D(2027, 9, 6)).status is LegalStatus.PENDING
    # the shipped rows are still there
    assert cal.explain(D(2026, 11, 24)).status is LegalStatus.PENDING
    assert calendar_from_cli(path) is cal


def test_a_calendar_file_never_lowers_the_official_year(tmp_path: Path) -> None:
    text = GOOD.replace("official_last_year = 2027", "official_last_year = 2020")
    assert WorkingCalendar.vietnam(data=_write(tmp_path, text)).official_last_year == 2026


def test_the_environment_variable_names_the_default_calendar_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, GOOD)
    monkeypatch.setenv(CALENDAR_FILE_ENV, path)
    assert WorkingCalendar.vietnam().official_last_year == 2027
    assert calendar_from_cli(None).official_last_year == 2027
    monkeypatch.delenv(CALENDAR_FILE_ENV)
    assert WorkingCalendar.vietnam().official_last_year == 2026


def test_a_bad_calendar_file_lists_every_problem_with_row_and_line(tmp_path: Path) -> None:
    bad = """
[[override]]
date = 2027-04-29
kind = "holiday"
label = "x"
source = "y"

[[override]]
date = 2027-04-30
kind = "day_off"
label = "x"

[[override]]
date = 2027-04-29
kind = "day_off"
label = "x"
source = "y"

[[override]]
date = 1999-01-01
kind = "day_off"
status = "maybe"
label = "x"
source = "y"
"""
    path = _write(tmp_path, bad)
    with pytest.raises(CalendarDataError) as info:
        WorkingCalendar.vietnam(data=path)
    message = str(info.value)
    assert "\n" not in message
    assert path in message
    for fragment in (
        "row 1 (line 2).kind",
        "row 2 (line 8).source",
        "row 4 (line 19).status",
    ):
        assert fragment in message
    assert len(info.value.details["problems"]) == 3


def test_a_calendar_file_with_sound_schema_but_bad_values(tmp_path: Path) -> None:
    text = GOOD + '\n[[override]]\ndate = 2027-04-29\nkind = "day_off"\nlabel = " "\nsource = ""\n'
    with pytest.raises(CalendarDataError) as info:
        WorkingCalendar.vietnam(data=_write(tmp_path, text))
    problems = info.value.details["problems"]
    assert any("repeats the date 2027-04-29 of row 1" in p for p in problems)
    assert any(".source: empty" in p for p in problems)
    assert any(".label: empty" in p for p in problems)


def test_unreadable_calendar_files(tmp_path: Path) -> None:
    with pytest.raises(InputFileError):
        WorkingCalendar.vietnam(data=str(tmp_path / "missing.toml"))
    with pytest.raises(CalendarDataError, match="not valid TOML"):
        WorkingCalendar.vietnam(data=_write(tmp_path, "[[override", "broken.toml"))
    raw = tmp_path / "binary.toml"
    raw.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InputFileError):
        WorkingCalendar.vietnam(data=str(raw))
    with pytest.raises(InvalidInputError, match="path"):
        WorkingCalendar.vietnam(data=5)  # type: ignore[arg-type]


# -- issue 10 §3: the generated table -------------------------------------------------------------


def _script() -> Any:
    spec = importlib.util.spec_from_file_location(
        "build_calendar_tables", ROOT / "scripts" / "build_calendar_tables.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_table_is_what_the_generator_produces() -> None:
    script = _script()
    assert script.TABLE.read_text("utf-8") == script.render()


def test_the_calendar_equals_holidays_plus_the_shipped_rows_2014_2100() -> None:
    years = range(2014, 2101)
    ref = holidays.country_holidays("VN", years=years)
    off, worked = set(ref), set(ref.weekend_workdays)
    for row in shipped_overrides()[1]:
        if row.kind == "worked_day":
            worked.add(row.date)
        else:
            off.add(row.date)  # the yearly Culture Day row agrees with holidays for later years
    cal = WorkingCalendar.vietnam(last_year=2100, on_provisional="ignore")
    alone = WorkingCalendar.vietnam(
        last_year=2100, on_provisional="ignore", shipped_overrides=False
    )
    day, mismatches = D(2014, 1, 1), []
    while day.year <= 2100:
        expected = (day.weekday() < 5 and day not in off) or day in worked
        plain = (day.weekday() < 5 and day not in ref) or day in ref.weekend_workdays
        if cal.is_working_day(day) != expected or alone.is_working_day(day) != plain:
            mismatches.append(day)
        day += dt.timedelta(days=1)
    assert mismatches == []


def test_no_holidays_object_is_built_at_run_time() -> None:
    code = (
        "import sys, datetime as dt, mot_cua\n"
        "cal = mot_cua.WorkingCalendar.vietnam()\n"
        "assert cal.add_working_days(dt.date(2025, 4, 25), 3) == dt.date(2025, 4, 29)\n"
        "mot_cua.compute_due(dt.datetime(2025, 4, 25, 10, tzinfo=mot_cua.VN_TZ), '3 ngày')\n"
        "print(sorted(m for m in ('holidays', 'numpy', 'pandas') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_the_lazy_package_exports_agree_with_its_static_imports() -> None:
    """mot_cua/__init__.py: the _TYPE_CHECKING imports, _LAZY and __all__ name the same things."""
    import ast

    import mot_cua

    tree = ast.parse((ROOT / "src" / "mot_cua" / "__init__.py").read_text("utf-8"))
    static: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom)
                assert stmt.module is not None
                static.update({a.asname or a.name: stmt.module for a in stmt.names})
    assert static == mot_cua._LAZY
    assert sorted(static) == sorted(mot_cua.__all__)
    for name, module in static.items():
        assert getattr(mot_cua, name) is getattr(importlib.import_module(module), name)


def test_import_mot_cua_loads_no_submodule() -> None:
    code = "import sys, mot_cua; print(sorted(m for m in sys.modules if m.startswith('mot_cua.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_class_is_not_a_number_of_working_days() -> None:
    """``int`` passes the ``SupportsIndex`` protocol check but is no number: refuse it."""
    import datetime as _dt

    from mot_cua import WorkingCalendar
    from mot_cua.errors import InvalidInputError

    cal = WorkingCalendar.vietnam()
    for bad in (int, float, bool):
        with pytest.raises(InvalidInputError, match="whole number of working days"):
            cal.add_working_days(_dt.date(2025, 4, 25), bad)  # type: ignore[arg-type]
