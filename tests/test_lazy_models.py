"""The core's pydantic models load on first use; the CLI's ``due`` runs without them (issue 10 §3).

Every plain stand-in is checked against the model it stands for: the contract's ``due`` object
computed on the plain path equals the one of :func:`compute_due` (Hypothesis), a plain limit
equals :meth:`TimeLimit.parse` (or raises the same error), the shipped calendar table read as
trusted data equals the validated one, the default policy derived without the model equals the
model's.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import pickle
import subprocess
import sys
import typing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mot_cua
from mot_cua.calendar import WorkingCalendar, _shipped_rows, _validated_shipped_rows
from mot_cua.contract import deadline_object, handle_due
from mot_cua.contract._due import _FIELDS, _object_of
from mot_cua.contract._due_models import DueRequest
from mot_cua.deadlines import DeadlinePolicy, _Derived, _due_values, compute_due
from mot_cua.errors import MotCuaError
from mot_cua.limits import TimeLimit, _plain_limit
from mot_cua.timezone import VN_TZ

PUBLISHED = {
    "mot_cua.hours": ["Session", "OfficeHours"],
    "mot_cua.limits": ["TimeLimit", "TraceEntry", "UncertainDay", "Deadline"],
    "mot_cua.calendar": ["CalendarOverride", "DayInfo", "UncertainDay"],
    "mot_cua.deadlines": ["DeadlinePolicy", "Pause"],
}

LIMITS = [
    "3 ngày làm việc",
    "0,5 ngày làm việc",
    "1.5 ngày làm việc",
    "20 + 10 ngày làm việc [Decree 101/2024]",
    "trong ngày",
    "ngay",
    "15 ngày",
    "2 tháng",
    "8 giờ làm việc",
    "48 giờ",
    "40 ngày làm việc",
    "Không quá 15 ngày kể từ ngày nhận đủ hồ sơ",
]


def _run_quietly(code: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return proc.stdout.strip()


@pytest.mark.parametrize("extra", [[], ["--json"], ["--json", "--no-trace"]])
def test_the_due_command_never_imports_pydantic(extra: list[str]) -> None:
    code = (
        "import sys, io, contextlib\n"
        "from mot_cua.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    code = main(['due', '--received', '2026-11-23T16:00', '--limit', "
        f"'3 ngày làm việc', *{extra!r}])\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'))\n"
        "print(out.getvalue().splitlines()[0])\n"
    )
    status, first = _run_quietly(code).splitlines()[:2]
    assert status == "0 []"
    assert "2026" in first or "30/11/2025" in first or "due_at" in first or first == "{"


def test_the_core_modules_import_without_pydantic_and_load_it_on_first_use() -> None:
    code = (
        "import sys\n"
        "import mot_cua.hours, mot_cua.limits, mot_cua.calendar, mot_cua.deadlines\n"
        "print('pydantic' in sys.modules)\n"
        "from mot_cua.limits import TimeLimit\n"
        "print('pydantic' in sys.modules, TimeLimit.__module__)\n"
    )
    assert _run_quietly(code).splitlines() == ["False", "True mot_cua._values.limits"]


@pytest.mark.parametrize("module", sorted(PUBLISHED))
def test_each_model_is_served_by_its_public_module(module: str) -> None:
    mod = importlib.import_module(module)
    for name in PUBLISHED[module]:
        cls = getattr(mod, name)
        assert name in mod.__all__
        assert vars(mod)[name] is cls  # an ordinary attribute once loaded
        # __module__ is not rewritten (house style): pydantic resolves annotations there.
        assert cls.__module__.startswith("mot_cua._values.")
        assert typing.get_type_hints(cls)
        assert pickle.loads(pickle.dumps(cls)) is cls


def test_unknown_names_still_raise_attribute_error() -> None:
    for module in (mot_cua.limits, mot_cua.calendar, mot_cua.deadlines, mot_cua.hours):
        with pytest.raises(AttributeError, match="no attribute 'Nope'"):
            module.Nope  # noqa: B018


def test_due_request_fields_match_the_plain_list() -> None:
    assert set(DueRequest.model_fields) == _FIELDS


def test_default_policy_derived_without_the_model_equals_the_models() -> None:
    plain, model = _Derived(None), _Derived(DeadlinePolicy())
    assert {k: getattr(plain, k) for k in _Derived.__slots__} == {
        k: getattr(model, k) for k in _Derived.__slots__
    }


def test_shipped_table_read_as_trusted_data_equals_the_validated_one() -> None:
    trusted, checked = _shipped_rows(), _validated_shipped_rows()
    assert trusted.official_last_year == checked.official_last_year
    assert len(trusted.rows) == len(checked.rows) > 0
    fields = ("date", "kind", "label", "source", "label_en", "confidence", "status", "yearly")
    for (a, origin_a), (b, origin_b) in zip(trusted.rows, checked.rows, strict=True):
        assert origin_a == origin_b
        for f in (*fields, "option"):
            assert getattr(a, f) == getattr(b, f), (origin_a, f)
            assert type(getattr(a, f)) is type(getattr(b, f)), (origin_a, f)


def _outcome(func: typing.Callable[..., typing.Any], *args: object, **kwargs: object) -> tuple:
    """(answer, None), or (None, (error type, message)) for a mot_cua error."""
    try:
        return func(*args, **kwargs), None
    except MotCuaError as exc:
        return None, (type(exc), str(exc))


TEXTS = st.one_of(
    st.sampled_from(LIMITS),
    st.builds(
        lambda n, unit, ext: f"{n}{ext} {unit}",
        st.sampled_from(["0", "1", "03", "0,5", "1.5", "2.25", "366", "1.000", "1e3", "-1"]),
        st.sampled_from(["ngày làm việc", "ngày", "tháng", "giờ", "giờ làm việc", "days", "x"]),
        st.sampled_from(["", " + 2", " + 0.5", " (ba)", " + 0"]),
    ),
    st.text(max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(text=TEXTS)
def test_plain_limit_equals_the_parsed_model_or_raises_the_same_error(text: str) -> None:
    model, expected = _outcome(TimeLimit.parse, text)
    if expected is not None:
        assert _outcome(_plain_limit, text)[1] == expected
        return
    plain = _plain_limit(text)
    assert (plain.value, plain.unit, plain.extension, plain.extension_basis) == (
        model.value,
        model.unit,
        model.extension,
        model.extension_basis,
    )
    assert str(plain) == str(model)
    assert TimeLimit.parse(str(plain)) == model


INSTANTS = st.datetimes(min_value=dt.datetime(2014, 1, 2), max_value=dt.datetime(2035, 6, 30)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=VN_TZ)
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(received=INSTANTS, limit=st.sampled_from(LIMITS), culture_day=st.booleans())
def test_plain_due_equals_compute_due(received: dt.datetime, limit: str, culture_day: bool) -> None:
    cal = WorkingCalendar.vietnam(culture_day=culture_day, on_provisional="ignore")
    deadline, error = _outcome(compute_due, received, limit, calendar=cal)
    if error is not None:
        assert _outcome(_due_values, received, limit, cal, None, (), plain=True)[1] == error
        return
    expected = deadline_object(deadline, trace=True)
    values = _due_values(received, limit, cal, None, (), plain=True)
    assert _object_of(values, trace=True) == expected
    assert _object_of(values, trace=False) == {k: v for k, v in expected.items() if k != "trace"}


def test_handle_due_answers_as_before_on_a_pending_day() -> None:
    # 24/11/2026 (Culture Day) is pending law: the plain path lists it like the models do.
    out = handle_due({"received": "2026-11-23T16:00", "limit": "3 ngày làm việc"})
    d = compute_due(dt.datetime(2026, 11, 23, 16, tzinfo=VN_TZ), "3 ngày làm việc")
    assert out == deadline_object(d)
    assert [u["date"] for u in out["uncertain_days"]] == ["2026-11-24"]
    assert json.loads(json.dumps(out)) == out
