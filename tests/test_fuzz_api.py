"""Every public callable fuzzed (issue 8, "the class of each defect").

Each callable of ``mot_cua.__all__``, ``mot_cua.testing.__all__``, ``mot_cua.forms``,
``mot_cua.contract`` and ``mot_cua.indicators`` (functions, constructors, class methods and the
methods of a valid instance) is called with every argument drawn either from a junk strategy
(None, huge and negative ints, nan/inf, empty/blank/NUL/very long text, bytes, lists, dicts,
datetimes near ``datetime.min/max``, dates in 1900/9999, bare objects) or from real valid values
for a parameter of that name. The promise under test: the call answers, or it raises a
:class:`mot_cua.errors.MotCuaError` whose message is one non-empty line. The only other
exception allowed is pydantic's ``ValidationError`` from calling a pydantic model class directly
(documented: the models are pydantic models; their ``from_dict``/``from_json`` wrap it).

``MOT_CUA_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz_api.py`` runs a long hunt.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import importlib
import inspect
import os
import warnings
from collections.abc import Callable
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mot_cua
import mot_cua.testing
from mot_cua.errors import MotCuaError, MotCuaWarning

#: Examples per callable; raise it for a long hunt.
EXAMPLES = int(os.environ.get("MOT_CUA_FUZZ_EXAMPLES", "25"))

UTC = dt.UTC
R = dt.datetime(2025, 4, 25, 10, 0, tzinfo=mot_cua.VN_TZ)
MINUS12 = dt.timezone(dt.timedelta(hours=-12))
PLUS14 = dt.timezone(dt.timedelta(hours=14))


class _Odd:
    """An object of no type the library knows, with a ``str`` that is not empty."""

    def __repr__(self) -> str:
        return "<odd>"


#: An int whose decimal text Python refuses (over 4,300 digits): ``repr`` of it raises, so every
#: message that shows a caller's value goes through :func:`mot_cua.errors.brief`.
HUGE_INT = 10**4400
JUNK_SCALARS: list[Any] = [
    None,
    True,
    0,
    -1,
    -(2**63),
    2**63,
    10**30,
    HUGE_INT,
    -HUGE_INT,
    [1, HUGE_INT],
    {"x": HUGE_INT},
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    -0.0,
    1e-7,
    "",
    " ",
    "\n",
    "\x00",
    "a\nb",
    "x" * 10_000,
    "3 ngày làm việc\n",
    "99999999999 ngày",
    "2025-04-25T10:00",
    "9999-12-31T23:00-12:00",
    "0001-01-01T00:00+14:00",
    "received",
    "receive",
    b"",
    b"\xff\xfe",
    b"3 ng\xc3\xa0y",
    bytearray(b"x"),
    [],
    [None],
    [1, "a"],
    ["x"],
    [{}],
    {},
    {"start": None},
    {"x": 1},
    {"events": "x"},
    (),
    {1, 2},
    dt.datetime.min,
    dt.datetime.max,
    dt.datetime.min.replace(tzinfo=UTC),
    dt.datetime.max.replace(tzinfo=UTC),
    dt.datetime(9999, 12, 31, 23, tzinfo=MINUS12),
    dt.datetime(1, 1, 1, 0, tzinfo=PLUS14),
    dt.datetime(2025, 4, 25, 10, 0),
    dt.datetime(1900, 1, 1, 8, tzinfo=mot_cua.VN_TZ),
    dt.date(1900, 1, 1),
    dt.date(9999, 12, 31),
    dt.date.min,
    dt.time(15, tzinfo=UTC),
    dt.time.max,
    dt.timedelta.max,
    dt.timedelta(-1),
    object(),
    _Odd(),
    int,
]
JUNK = st.one_of(
    st.sampled_from(JUNK_SCALARS),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.binary(max_size=8),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=4)), max_size=3),
    st.dictionaries(st.text(max_size=6), st.one_of(st.none(), st.integers()), max_size=3),
    st.datetimes(timezones=st.one_of(st.none(), st.just(UTC))),
    st.dates(),
)


@functools.cache
def _route() -> Any:
    budgets = {"thuong-tru": "1 ngày làm việc", "bhyt": "1 ngày làm việc"}
    return mot_cua.load_template("decree63-birth").with_budgets(budgets)


@functools.cache
def _catalog() -> Any:
    return mot_cua.Catalog.default()


def _instants() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.just(R),
        st.datetimes(
            min_value=dt.datetime(2019, 1, 1),
            max_value=dt.datetime(2030, 12, 31),
            timezones=st.just(mot_cua.VN_TZ),
        ),
    )


def _dossier() -> Any:
    return mot_cua.testing.make_dossier()


def _history() -> list[dict[str, Any]]:
    return [
        {"event": "receive", "at": "2025-03-03T09:00:00+07:00", "actor": "a"},
        {"event": "start", "at": "2025-03-03T10:00:00+07:00", "actor": "a"},
    ]


#: Real values for a parameter of that name, drawn half of the time.
VALID: dict[str, st.SearchStrategy[Any]] = {
    "received_at": _instants(),
    "at": _instants(),
    "now": _instants(),
    "finished_at": _instants(),
    "as_of": _instants(),
    "value": st.sampled_from([R, "2025-04-25T10:00+07:00"]),
    "start": st.sampled_from([R, dt.date(2025, 4, 25), "new", "received"]),
    "end": st.sampled_from([R + dt.timedelta(days=3), dt.date(2025, 5, 5)]),
    "day": st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31)),
    "date": st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31)),
    "d": st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31)),
    "year": st.integers(2015, 2035),
    "first_year": st.integers(2014, 2030),
    "last_year": st.integers(2020, 2035),
    "official_last_year": st.integers(2020, 2030),
    "n": st.integers(-30, 30),
    "days": st.integers(-30, 30),
    "limit": st.sampled_from(["3 ngày làm việc", "8 giờ", "trong ngày", "15 ngày"]),
    "time_limit": st.sampled_from(["10 ngày làm việc", "5 ngày"]),
    "text": st.sampled_from(["3 ngày làm việc", "09:00-11:30", "2025-03-07T16:00/2025-03-12"]),
    "calendar": st.builds(mot_cua.WorkingCalendar.vietnam),
    "policy": st.builds(mot_cua.DeadlinePolicy),
    "pauses": st.just([]),
    "route": st.builds(_route),
    "catalog": st.builds(_catalog),
    "dossier": st.builds(_dossier),
    "source": st.builds(_dossier),
    "events": st.builds(_history),
    "history": st.builds(_history),
    "event": st.sampled_from(["receive", "start", "withdraw", "resolve"]),
    "state": st.sampled_from(["new", "received", "processing"]),
    "actor": st.just("clerk"),
    "reason": st.just("cần xác minh"),
    "number": st.sampled_from(["001099012345", "0100233488", "2.1"]),
    "procedure_id": st.just("ho-tich.dang-ky-khai-sinh"),
    "template_id": st.just("decree63-birth"),
    "query": st.just("khai sinh"),
    "regime": st.sampled_from(["decree61", "decree118"]),
    "form": st.sampled_from(["receipt", "apology"]),
    "name": st.just("receipt"),
    "request": st.just({"received": "2025-04-25T10:00", "limit": "3 ngày làm việc"}),
    "command": st.sampled_from(["due", "replay", "route-plan"]),
    "max_events": st.integers(0, 5),
    "data": st.just({}),
}

EXTRA_KWARGS = ["reason", "outcome", "to_agency", "from_agency", "until", "x", "note"]

#: Calls that would do minutes of real work on valid input (PDF rendering): junk only.
JUNK_ONLY = {"render_pdf", "to_pdf", "to_pdfs"}


def _instance_factories() -> dict[type, Callable[[], Any]]:
    from mot_cua.testing import FrozenClock, make_lifecycle

    def lifecycle() -> Any:
        lc = make_lifecycle("10 ngày làm việc", clock=FrozenClock())
        lc.send("receive")
        return lc

    return {
        mot_cua.Catalog: _catalog,
        mot_cua.WorkingCalendar: mot_cua.WorkingCalendar.vietnam,
        mot_cua.Deadline: lambda: mot_cua.compute_due(R, "3 ngày làm việc"),
        mot_cua.DossierCode: lambda: mot_cua.DossierCode.generate("000.00.00.H26", R.date(), 1),
        mot_cua.Lifecycle: lifecycle,
        mot_cua.Procedure: lambda: _catalog().get("ho-tich.dang-ky-khai-sinh"),
        mot_cua.Route: _route,
        mot_cua.RoutePlan: lambda: mot_cua.plan(_route(), R),
        mot_cua.RouteTracking: lambda: mot_cua.track(_route(), R),
        mot_cua.TimeLimit: lambda: mot_cua.TimeLimit.parse("3 ngày làm việc"),
        mot_cua.OfficeHours: mot_cua.OfficeHours.default,
        mot_cua.testing.FrozenClock: FrozenClock,
    }


def _public(module: str) -> list[tuple[str, Any]]:
    mod = importlib.import_module(module)
    return [(f"{module}.{n}", getattr(mod, n)) for n in mod.__all__]


def _methods(cls: type) -> list[str]:
    base = set(dir(pydantic.BaseModel)) | set(dir(object))
    names = []
    for name in dir(cls):
        if name.startswith(("_", "model_")) or name in base:
            continue
        if callable(inspect.getattr_static(cls, name, None)) or isinstance(
            inspect.getattr_static(cls, name, None), (classmethod, staticmethod)
        ):
            names.append(name)
    return names


#: (id, how to get the callable, whether pydantic's ValidationError is an allowed answer)
Target = tuple[str, Callable[[], Callable[..., Any]], bool]


def _targets() -> list[Target]:
    modules = ["mot_cua", "mot_cua.testing", "mot_cua.forms", "mot_cua.contract"]
    modules.append("mot_cua.indicators")
    factories = _instance_factories()
    out: list[Target] = []
    seen: set[int] = set()
    for module in modules:
        for qual, obj in _public(module):
            if id(obj) in seen or not (inspect.isclass(obj) or inspect.isroutine(obj)):
                continue
            seen.add(id(obj))
            if not inspect.isclass(obj):
                out.append((qual, functools.partial(lambda o: o, obj), False))
                continue
            if issubclass(obj, (BaseException, enum.Enum)) or obj is mot_cua.DossierMachine:
                continue  # exceptions, enumerations, the python-statemachine engine class
            is_model = issubclass(obj, pydantic.BaseModel)
            if is_model:  # defer_build models change their signature once built: build now
                obj.model_rebuild(force=True)
            out.append((qual, functools.partial(lambda o: o, obj), is_model))
            for meth in _methods(obj):
                static = inspect.getattr_static(obj, meth)
                if isinstance(static, (classmethod, staticmethod)):
                    get = functools.partial(getattr, obj, meth)
                elif obj in factories:
                    get = functools.partial(lambda f, m: getattr(f(), m), factories[obj], meth)
                else:
                    continue
                out.append((f"{qual}.{meth}", get, False))
    return out


ALL_TARGETS = _targets()
TARGETS = ALL_TARGETS


def _draw_call(data: st.DataObject, func: Callable[..., Any], name: str) -> tuple[list, dict]:
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):  # builtins without a signature
        return [], {}
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in sig.parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            args += data.draw(st.lists(JUNK, max_size=2), label="*args")
            continue
        if p.kind is p.VAR_KEYWORD:
            keys = data.draw(st.lists(st.sampled_from(EXTRA_KWARGS), max_size=2, unique=True))
            kwargs.update({k: data.draw(JUNK, label=k) for k in keys})
            continue
        if p.default is not p.empty and data.draw(st.booleans(), label=f"omit {p.name}"):
            continue
        valid = VALID.get(p.name)
        use_valid = valid is not None and name.rsplit(".", 1)[-1] not in JUNK_ONLY
        value = data.draw(st.one_of(valid, JUNK) if use_valid else JUNK, label=p.name)
        if p.kind is p.POSITIONAL_ONLY or (p.kind is p.POSITIONAL_OR_KEYWORD and not kwargs):
            args.append(value)
        else:
            kwargs[p.name] = value
    return args, kwargs


def _check_error(exc: BaseException, call: str, *, model_ok: bool) -> None:
    if model_ok and isinstance(exc, pydantic.ValidationError):
        return
    if not isinstance(exc, MotCuaError):
        raise AssertionError(f"{call} raised {type(exc).__name__}: {_short(exc)}") from exc
    message = str(exc)
    assert message.strip(), f"{call}: empty message from {type(exc).__name__}"
    assert "\n" not in message, f"{call}: multi-line message {message[:500]!r}"


def _short(value: Any) -> str:
    try:
        return repr(value)[:300]
    except ValueError:  # an int over 4,300 digits
        return f"<{type(value).__name__}>"


def call_and_check(func: Callable[..., Any], args: list, kwargs: dict, *, model_ok: bool) -> Any:
    """Call ``func`` and assert the answer or the error keeps issue 8's promise."""
    call = f"{getattr(func, '__qualname__', func)}(*{_short(args)}, **{_short(kwargs)})"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MotCuaWarning)
        try:
            return func(*args, **kwargs)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a Rust panic in pydantic-core is a BaseException
            _check_error(exc, call, model_ok=model_ok)
    return None


@pytest.mark.parametrize(("name", "get", "model_ok"), TARGETS, ids=[t[0] for t in TARGETS])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
@given(data=st.data())
def test_public_callable_answers_or_raises_mot_cua_error(
    name: str, get: Callable[[], Callable[..., Any]], model_ok: bool, data: st.DataObject
) -> None:
    func = get()
    args, kwargs = _draw_call(data, func, name)
    call_and_check(func, args, kwargs, model_ok=model_ok)


def test_the_fuzzer_covers_every_public_module() -> None:
    names = {t[0] for t in ALL_TARGETS}
    assert "mot_cua.compute_due" in names
    assert "mot_cua.WorkingCalendar.add_working_days" in names
    assert "mot_cua.Lifecycle.send" in names
    assert "mot_cua.testing.make_dossier" in names
    assert "mot_cua.forms.fill_form" in names
    assert "mot_cua.contract.handle_due" in names
    assert "mot_cua.indicators.report" in names
    assert len(names) > 150


def test_the_checker_refuses_a_builtin_exception() -> None:
    def boom() -> None:
        raise TypeError("x")

    with pytest.raises(AssertionError, match="TypeError"):
        call_and_check(boom, [], {}, model_ok=False)


# --------------------------------------------------------------------------------------------
# Regressions: each case was found by the fuzzer above and failed before its fix.
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("indent", [-1, 10**30, float("nan"), "2", [], True])
def test_to_json_refuses_a_bad_indent_with_a_mot_cua_error(indent: Any) -> None:
    # Before: OverflowError / TypeError, and 2**63 made pydantic-core panic (a BaseException).
    with pytest.raises(mot_cua.InvalidInputError, match="indent must be None or a whole number"):
        mot_cua.Contact(phone="0241").to_json(indent=indent)
    assert mot_cua.Contact(phone="0241").to_json(indent=0).startswith("{\n")


def test_from_dict_message_stays_on_one_line_for_a_key_holding_a_newline() -> None:
    with pytest.raises(mot_cua.InvalidInputError) as info:
        mot_cua.Contact.from_dict({"a\nb": 1})
    assert str(info.value) == (
        "invalid Contact: a\\nb: Extra inputs are not permitted; fix the listed fields"
    )


def test_catalog_errors_are_one_line_and_an_empty_path_is_refused() -> None:
    with pytest.raises(mot_cua.CatalogError) as info:
        mot_cua.Catalog.from_data(None)
    assert str(info.value) == (
        "the catalogue has 1 problem(s): <data>: (root): expected a table with 'agencies', "
        "'procedures' and/or 'routes', got NoneType"
    )
    # Before: '' meant the current folder, and every .toml/.json under it was read.
    with pytest.raises(mot_cua.CatalogError, match="got an empty one"):
        mot_cua.Catalog.load("")
    with pytest.raises(mot_cua.CatalogError, match=r"catalogue path 'a\\nb' does not exist"):
        mot_cua.Catalog.load("a\nb")
    with pytest.raises(mot_cua.RouteError) as route:
        mot_cua.Catalog.default().route("a\nb")
    assert "\n" not in str(route.value)
    assert '[routes."a\\nb"]' in str(route.value)


@pytest.mark.parametrize("events", [None, 5, dt.date(2025, 1, 1), "receive", b"x", {"a": 1}])
def test_validate_history_refuses_what_is_not_a_list_of_events(events: Any) -> None:
    with pytest.raises(mot_cua.InvalidInputError, match="events must be a list of events"):
        mot_cua.validate_history(events)


def test_lifecycle_options_are_checked_by_name() -> None:
    from mot_cua.testing import make_lifecycle

    history = [{"event": "receive", "at": "2025-03-03T09:00:00+07:00", "actor": "a"}]
    with pytest.raises(mot_cua.InvalidInputError, match="unknown option 'reason'"):
        mot_cua.Lifecycle.replay(history, "3 ngày làm việc", reason="x")
    with pytest.raises(mot_cua.InvalidInputError, match="unknown option 'colour'"):
        mot_cua.Lifecycle.for_dossier(mot_cua.testing.make_dossier(), "3 ngày", colour=1)
    with pytest.raises(mot_cua.InvalidInputError, match="make_lifecycle: unknown option 'x'"):
        make_lifecycle(x=1)
    assert make_lifecycle(warn=True).code == "TEST-250303-0001"


def test_forms_refuse_arguments_of_the_wrong_type() -> None:
    from mot_cua import forms
    from mot_cua.testing import make_dossier

    dossier = make_dossier(status="received")
    with pytest.raises(mot_cua.InvalidInputError, match="source must be a Dossier"):
        forms.fill_form("receipt", None)  # type: ignore[arg-type]
    with pytest.raises(mot_cua.InvalidInputError, match="lifecycle must be a Lifecycle"):
        forms.fill_form("receipt", dossier, lifecycle="x")  # type: ignore[arg-type]
    with pytest.raises(mot_cua.InvalidInputError, match="catalog must be a Catalog"):
        forms.fill_form("receipt", dossier, catalog=5)  # type: ignore[arg-type]
    with pytest.raises(mot_cua.InvalidInputError, match="details must be a FormDetails"):
        forms.fill_form("receipt", dossier, details=True)  # type: ignore[arg-type]
    with pytest.raises(mot_cua.InvalidInputError) as info:
        forms.fill_form("receipt", dossier, details={"sets": "many"})
    assert str(info.value).startswith("invalid form details: details.sets: ")
    assert "\n" not in str(info.value)
    with pytest.raises(mot_cua.InvalidInputError, match="regime_of needs a Dossier"):
        forms.regime_of(None)  # type: ignore[arg-type]
    with pytest.raises(mot_cua.InvalidInputError, match="must be a FilledForm"):
        forms.to_html("receipt")  # type: ignore[arg-type]
    with pytest.raises(mot_cua.InvalidInputError, match="must be a FilledForm"):
        forms.to_pdf(None)  # type: ignore[arg-type]
    with pytest.raises(mot_cua.InvalidInputError, match="forms must be a list of FilledForm"):
        forms.to_pdfs(5)  # type: ignore[arg-type]
    with pytest.raises(mot_cua.InvalidInputError, match="chunk must be a whole number"):
        forms.to_pdfs([], chunk="2")  # type: ignore[arg-type]


def test_instants_at_the_edge_of_datetime_are_refused_by_the_indicators() -> None:
    from mot_cua import indicators

    # Before: OverflowError from astimezone (also through pydantic validators).
    with pytest.raises(mot_cua.InvalidInputError, match="outside the dates Python can hold"):
        indicators.parse_timestamp("9999-12-31T23:00-12:00")
    with pytest.raises(pydantic.ValidationError, match="out of range"):
        indicators.SupplementRound(start="9999-12-31T23:00-12:00")
    with pytest.raises(pydantic.ValidationError, match="outside the dates Python can hold"):
        indicators.DossierRecord(code="A", received_at="9999-12-31T23:00-12:00")


@pytest.mark.parametrize("calendar_file", [[], bytearray(b"x"), 5])
def test_contract_refuses_a_calendar_file_that_is_not_a_path(calendar_file: Any) -> None:
    from mot_cua import contract

    # Before: TypeError (unhashable type) from the calendar cache key.
    with pytest.raises(mot_cua.InvalidInputError, match="calendar_file must be a path"):
        contract.calendar_for(calendar_file=calendar_file)


def test_indicator_parsers_refuse_what_is_not_text() -> None:
    from mot_cua import indicators

    # Before: AttributeError ('NoneType' object has no attribute 'strip' / 'split').
    with pytest.raises(mot_cua.InvalidInputError, match="timestamp must be text, not NoneType"):
        indicators.parse_timestamp(None)  # type: ignore[arg-type]
    with pytest.raises(mot_cua.InvalidInputError, match="period must be text, not int"):
        indicators.Period.parse(5)  # type: ignore[arg-type]
    with pytest.raises(mot_cua.InvalidInputError, match="BoSung must be text, not bytes"):
        indicators.parse_rounds(b"x")  # type: ignore[arg-type]
    with pytest.raises(mot_cua.InvalidInputError, match="by must be a grouping name"):
        indicators.check_by(None)  # type: ignore[arg-type]
    with pytest.raises(mot_cua.InvalidInputError, match="by must be a grouping name"):
        indicators.check_by([1])  # type: ignore[list-item]
    assert indicators.check_by(k for k in ("field", "agency")) == ("field", "agency")


def test_wrong_types_in_contract_and_indicators_name_the_argument() -> None:
    # Before: AttributeError / TypeError from inside each function.
    from mot_cua import contract, indicators

    cases: list[tuple[Callable[[], Any], str]] = [
        (lambda: contract.output_schema(None), "command"),  # type: ignore[arg-type]
        (lambda: contract.policy_for(None), "fields"),  # type: ignore[arg-type]
        (lambda: contract.handle_catalog_list(catalog=True), "catalog"),  # type: ignore[arg-type]
        (lambda: indicators.score_metric("2.1", None, 1), "numerator"),  # type: ignore[arg-type]
        (lambda: indicators.IndicatorPolicy.from_pairs([None]), "pairs"),  # type: ignore[list-item]
    ]
    for call, field in cases:
        with pytest.raises(mot_cua.InvalidInputError) as info:
            call()
        assert info.value.details["field"] == field


#: One real value for a parameter of that name, for the deterministic sweep below.
FIXED: dict[str, Callable[[], Any]] = {
    "received_at": lambda: R,
    "at": lambda: R,
    "now": lambda: R,
    "finished_at": lambda: R + dt.timedelta(days=2),
    "as_of": lambda: R,
    "value": lambda: R,
    "start": lambda: R,
    "end": lambda: R + dt.timedelta(days=3),
    "day": lambda: dt.date(2025, 4, 25),
    "date": lambda: dt.date(2025, 4, 25),
    "d": lambda: dt.date(2025, 4, 25),
    "a": lambda: dt.date(2025, 4, 25),
    "b": lambda: dt.date(2025, 5, 5),
    "year": lambda: 2025,
    "n": lambda: 3,
    "limit": lambda: "3 ngày làm việc",
    "time_limit": lambda: "10 ngày làm việc",
    "text": lambda: "3 ngày làm việc",
    "route": _route,
    "catalog": _catalog,
    "dossier": _dossier,
    "source": _dossier,
    "events": _history,
    "history": _history,
    "event": lambda: "receive",
    "state": lambda: "received",
    "actor": lambda: "clerk",
    "number": lambda: "001099012345",
    "procedure_id": lambda: "ho-tich.dang-ky-khai-sinh",
    "template_id": lambda: "decree63-birth",
    "regime": lambda: "decree61",
    "name": lambda: "receipt",
    "command": lambda: "due",
    "dates": lambda: __import__("numpy").array(["2025-04-25"], dtype="datetime64[D]"),
    "policy": mot_cua.DeadlinePolicy,
    "calendar": mot_cua.WorkingCalendar.vietnam,
    "deadline": lambda: mot_cua.compute_due(R, "3 ngày làm việc"),
    "request": lambda: {"received": "2025-04-25T10:00", "limit": "3 ngày làm việc"},
    "received": lambda: "2025-04-25T10:00",
    "period": lambda: "2025-03",
    "numerator": lambda: 1,
    "denominator": lambda: 2,
    "unit_code": lambda: "000.00.00.H26",
    "code": lambda: "000.00.00.H26-250425-0001",
    "label": lambda: "nghỉ",
    "kind": lambda: "day_off",
}
HUGE_VALUES = [HUGE_INT, -HUGE_INT, [HUGE_INT], {"x": HUGE_INT}]


def _huge_calls(func: Callable[..., Any], name: str) -> list[tuple[list, dict]]:
    """One call per (parameter, huge value): that parameter huge, the required others real."""
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):  # builtins without a signature
        return []
    params = [p for p in sig.parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    junk_only = name.rsplit(".", 1)[-1] in JUNK_ONLY
    calls = []
    for target in params:
        for huge in HUGE_VALUES:
            args: list[Any] = []
            kwargs: dict[str, Any] = {}
            for p in params:
                if p is target:
                    value = huge
                elif p.default is not p.empty:
                    continue
                else:
                    make = None if junk_only else FIXED.get(p.name)
                    value = make() if make is not None else "x"
                if p.kind is p.POSITIONAL_ONLY:
                    args.append(value)
                else:
                    kwargs[p.name] = value
            calls.append((args, kwargs))
    return calls


@pytest.mark.parametrize(("name", "get", "model_ok"), TARGETS, ids=[t[0] for t in TARGETS])
def test_an_int_python_will_not_print_in_any_argument(
    name: str, get: Callable[[], Callable[..., Any]], model_ok: bool
) -> None:
    """Deterministic: every parameter of every public callable, in turn, gets an int of 4,401
    digits (alone, negative, in a list, in a dict): ``repr``/``str`` of it raise ``ValueError``,
    so a message that shows it without :func:`mot_cua.errors.brief` would escape as one."""
    func = get()
    for args, kwargs in _huge_calls(func, name):
        call_and_check(func, args, kwargs, model_ok=model_ok)
