"""Invariants of the route clock and its thread safety (issue 8 items 10, 11)."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mot_cua import VN_TZ, WorkingCalendar
from mot_cua.deadlines import DeadlinePolicy
from mot_cua.errors import MotCuaError, ProvisionalCalendarWarning, UnsupportedMethodError
from mot_cua.routing import Route, load_route, load_template, plan, track
from tests.conftest import vn

BUDGETS = [
    "ngay",
    "trong ngày",
    "1 ngày làm việc",
    "0,5 ngày làm việc",
    "0.25 ngày làm việc",
    "1,5 ngày làm việc",
    "2 giờ làm việc",
    "3 giờ làm việc",
    "8 giờ làm việc",
]


def _route(stages: list[list[str]]) -> Route:
    return Route.model_validate(
        {
            "id": "generated",
            "stages": [
                {"steps": [{"agency": f"a{i}{j}", "budget": b} for j, b in enumerate(row)]}
                for i, row in enumerate(stages)
            ],
        }
    )


def test_item10_immediately_after_a_day_is_due_when_it_starts() -> None:
    # "1 ngày làm việc" then "ngay", received Mon 03/03/2025 09:00: the second step starts on
    # Wed 05/03 07:30 (after A's due moment Tue 17:00) and is due at that moment, not before.
    p = plan(_route([["1 ngày làm việc"], ["ngay"]]), vn(2025, 3, 3, 9))
    first, second = p.steps
    assert first.planned_due == vn(2025, 3, 4, 17)
    assert second.planned_start == vn(2025, 3, 5, 7, 30)
    assert second.planned_due == second.planned_start


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    stages=st.lists(st.lists(st.sampled_from(BUDGETS), min_size=1, max_size=3), min_size=1,
                    max_size=4),
    received=st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2025, 12, 20)),
    method=st.sampled_from(["days", "half-days", "working-time"]),
)  # fmt: skip
def test_item10_no_step_is_due_before_it_starts(
    stages: list[list[str]], received: dt.datetime, method: str
) -> None:
    try:
        p = plan(
            _route(stages),
            received.replace(tzinfo=VN_TZ),
            policy=DeadlinePolicy(method=method),  # type: ignore[arg-type]
        )
    except UnsupportedMethodError:  # e.g. 0.25 day under the half-days method
        return
    for step in p.steps:
        assert step.planned_due is None or step.planned_due >= step.planned_start, step
    assert p.path_due_at >= p.received_at


def test_item11_plan_and_track_never_touch_the_global_warning_filters() -> None:
    # 8 threads plan into a provisional year while others rely on an "error" filter: with
    # warnings.catch_warnings() inside plan/track the filter was swapped under their feet.
    route = _route([["1 ngày làm việc"], ["2 giờ làm việc"]])
    before = list(warnings.filters)
    bypassed: list[int] = []
    results: list[bool] = []
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(25):
                try:
                    warnings.warn(ProvisionalCalendarWarning("probe"), stacklevel=1)
                    bypassed.append(1)  # the user's "error" filter did not hold
                except ProvisionalCalendarWarning:
                    pass
                quiet = WorkingCalendar.vietnam(on_provisional="ignore")
                p = plan(route, vn(2026, 12, 30, 9), calendar=quiet)
                t = track(route, vn(2026, 12, 30, 9), calendar=quiet)
                results.append(p.provisional and t.plan.provisional)
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    with warnings.catch_warnings():  # the test's own, in the main thread only
        warnings.simplefilter("error", ProvisionalCalendarWarning)
        users = list(warnings.filters)
        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        inside = list(warnings.filters)
    assert failures == []
    assert bypassed == []
    assert len(results) == 200
    assert all(results)
    assert inside == users  # still the user's filters: no "ignore" left behind
    assert warnings.filters == before


def test_item11_a_provisional_plan_is_flagged_without_warning_filters() -> None:
    quiet = WorkingCalendar.vietnam(on_provisional="ignore")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        p = plan(_route([["2 ngày làm việc"]]), vn(2026, 12, 30, 9), calendar=quiet)
    assert p.provisional
    assert p.to_dict()["provisional"] is True
    assert [w for w in caught if issubclass(w.category, ProvisionalCalendarWarning)] == []


def test_item6_route_plans_list_the_pending_days_they_span() -> None:
    r = _route([["1 ngày làm việc"], ["1 ngày làm việc"]])
    p = plan(r, vn(2026, 11, 23, 9))
    assert [u.date for u in p.uncertain_days] == [dt.date(2026, 11, 24)]
    assert p.to_dict()["uncertain_days"][0]["status"] == "pending"
    t = track(r, vn(2026, 11, 23, 9), now=vn(2026, 11, 25, 9))
    assert t.to_dict()["uncertain_days"][0]["date"] == "2026-11-24"
    assert plan(r, vn(2025, 3, 3, 9)).uncertain_days == ()


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("[" * 100_000, "nested deeper"),
        ('{"stages": [], "x": ' + "1" * 5000 + "}", "4,300 digits"),
        (b"\xff\xfe", "not UTF-8"),
        (5, "JSON text or a mapping"),
        ("[1]", "must be a JSON object"),
    ],
)
def test_item13_route_text_is_read_by_the_one_reader(source: Any, fragment: str) -> None:
    with pytest.raises(MotCuaError, match=fragment):
        load_route(source)


@pytest.mark.parametrize("junk", [None, 5, ["decree63-birth"], "nope"])
def test_item19_load_template_junk(junk: Any) -> None:
    with pytest.raises(MotCuaError, match="no route template"):
        load_template(junk)


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=4),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.just(dt.date(2025, 1, 1)),
    st.just(dt.datetime(2025, 1, 1)),  # naive
    st.just(object()),
)


def _calls() -> dict[str, Any]:
    from mot_cua.interop import from_national, to_national
    from mot_cua.routing import check_route, handovers_from_history, track_dossier
    from mot_cua.testing import (
        FrozenClock,
        assert_allowed,
        assert_rejected,
        fixed_calendar,
        make_dossier,
        make_lifecycle,
    )

    route = load_template("decree63-birth").with_budgets(
        {"thuong-tru": "1 ngày làm việc", "bhyt": "1 ngày làm việc"}
    )
    t0 = vn(2025, 3, 3, 9)
    dossier = make_dossier(status="processing")
    return {
        "plan(route)": lambda j: plan(j, t0),
        "plan(received_at)": lambda j: plan(route, j),
        "plan(calendar)": lambda j: plan(route, t0, calendar=j),
        "plan(policy)": lambda j: plan(route, t0, policy=j),
        "track(handovers)": lambda j: track(route, t0, j),
        "track([handover])": lambda j: track(route, t0, [j]),
        "track(pauses)": lambda j: track(route, t0, pauses=j),
        "track(finished_at)": lambda j: track(route, t0, finished_at=j),
        "track(now)": lambda j: track(route, t0, now=j),
        "check_route(route)": check_route,
        "check_route(agencies)": lambda j: check_route(route, j, warn=False),
        "Route.with_budgets": route.with_budgets,
        "Route.select": route.select,
        "Route.scope": route.scope,
        "Route.to_mermaid": route.to_mermaid,
        "RoutePlan.step": lambda j: plan(route, t0).step(j),
        "handovers_from_history": handovers_from_history,
        "track_dossier(route)": lambda j: track_dossier(j, dossier),
        "track_dossier(dossier)": lambda j: track_dossier(route, j),
        "to_national": to_national,
        "to_national(catalog)": lambda j: to_national(dossier, catalog=j),
        "from_national(catalog)": lambda j: from_national(to_national(dossier), catalog=j),
        "FrozenClock": FrozenClock,
        "FrozenClock.advance": lambda j: FrozenClock().advance(days=j),
        "FrozenClock.set": lambda j: FrozenClock().set(j),
        "fixed_calendar(days_off)": lambda j: fixed_calendar(days_off=j),
        "make_dossier": lambda j: make_dossier(channel=j),
        "make_lifecycle": make_lifecycle,
        "assert_allowed": lambda j: assert_allowed(j, "receive"),
        "assert_rejected": lambda j: assert_rejected(j, "receive"),
    }


CALLS = _calls()


@pytest.mark.parametrize("name", sorted(CALLS))
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(junk=JUNK)
def test_item19_public_functions_raise_only_our_errors(name: str, junk: Any) -> None:
    # AssertionError: the verdict of the testing helpers (assert_allowed on a valid state).
    with contextlib.suppress(MotCuaError, AssertionError):
        CALLS[name](junk)


def test_item14_with_budgets_wraps_pydantic_validation() -> None:
    from pydantic import ValidationError

    from mot_cua.errors import RouteError

    with pytest.raises(RouteError, match=r"step 'bhyt'\.budget: .*not calendar_days") as info:
        load_template("decree63-birth").with_budgets({"bhyt": "3 ngày"})
    assert not isinstance(info.value, ValidationError)
