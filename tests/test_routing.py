"""Inter-agency routing (mot_cua rules §7): route checks, plans, tracking and delay attribution.

Expected dates are computed by hand from the calendar (Tết 2025 = 27–31/01/2025 off; Sat
26/04/2025 worked, 30/04–02/05/2025 off; default office hours 07:30–11:30 and 13:30–17:00, so
half a working day is 3 h 45 min of office time).
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import pytest

from mot_cua import (
    DeadlinePolicy,
    Pause,
    ProvisionalCalendarWarning,
    RouteBudgetWarning,
    RouteError,
    Timeliness,
    UnknownAgencyError,
    UnsupportedMethodError,
    WorkingCalendar,
)
from mot_cua.models import Applicant, Dossier, DossierStatus, HistoryEntry
from mot_cua.routing import (
    HandOver,
    Route,
    RouteScope,
    StepState,
    check_route,
    handovers_from_history,
    load_route,
    load_template,
    plan,
    template_ids,
    track,
    track_dossier,
)
from tests.conftest import vn

D = dt.date
WD = "ngày làm việc"


def route(limit: str | None, *stages: list[tuple[str, str | None]], **extra: Any) -> Route:
    data: dict[str, Any] = {
        "id": extra.pop("id", "test-route"),
        "limit": limit,
        "stages": [
            {"steps": [{"agency": a, "budget": b, **extra.get(a, {})} for a, b in stage]}
            for stage in stages
        ],
    }
    return load_route(data)


# A sequential route: desk 0.5 → a 2 → b 1 → desk 0.5 = 4 working days.
SEQ = route(
    f"4 {WD}",
    [("desk", f"0.5 {WD}")],
    [("a", f"2 {WD}")],
    [("b", f"1 {WD}")],
    [("desk", f"0.5 {WD}")],
)


# -- model and checks ---------------------------------------------------------------------------


def test_minimal_route_file_from_the_issue() -> None:
    r = load_route(
        '{"limit": "5 ngày làm việc", "stages": [{"steps": [{"agency": "x", '
        '"budget": "2 ngày làm việc"}]}]}',
        route_id="from-file",
    )
    assert r.id == "from-file"
    assert r.stages[0].steps[0].budget is not None
    assert r.stages[0].steps[0].budget.value == 2
    with pytest.warns(RouteBudgetWarning, match="3 working days less than the limit"):
        check = check_route(r)
    assert check.slack_days == 3


def test_budgets_exceeding_the_limit_are_rejected_naming_route_and_sums() -> None:
    r = route(f"3 {WD}", [("a", f"1.5 {WD}"), ("b", f"2 {WD}")], [("c", f"1.5 {WD}")], id="r-x")
    with pytest.raises(RouteError) as info:
        check_route(r)
    msg = str(info.value)
    assert "route 'r-x'" in msg
    assert "add up to 3.5 working days" in msg
    assert "stage 1: 2 [1.2 b]" in msg  # the slower parallel step counts
    assert "stage 2: 1.5 [2.1 c]" in msg
    assert "3 ngày làm việc" in msg
    assert info.value.details["path_days"] == 3.5


def test_exact_fit_has_no_warning_and_parallel_slowest_counts() -> None:
    r = route(f"3 {WD}", [("a", f"1 {WD}"), ("b", f"2 {WD}")], [("c", f"1 {WD}")])
    check = check_route(r)  # filterwarnings=error: a warning would fail the test
    assert check.path_days == 3
    assert check.critical_path == ("1.2", "2.1")
    assert check.slack_days == 0


def test_working_hours_budget_converts_with_office_hours() -> None:
    # 15 working hours = 2 working days of 7.5 office hours (07:30-11:30, 13:30-17:00).
    r = route(f"2 {WD}", [("a", "15 giờ làm việc")])
    assert check_route(r).path_days == pytest.approx(2.0)


def test_empty_stage_is_rejected_with_location() -> None:
    with pytest.raises(RouteError, match=r"route 'bad'\.stages\.1\.steps"):
        load_route({"id": "bad", "stages": [{"steps": [{"agency": "a"}]}, {"steps": []}]})


def test_budget_in_calendar_days_is_rejected() -> None:
    with pytest.raises(RouteError, match="working days, working hours or 'trong ngày'"):
        route(None, [("a", "3 ngày")])


def test_unknown_agencies_listed_against_a_catalogue() -> None:
    r = load_route(
        {"id": "r", "desk": "desk", "stages": [{"steps": [{"agency": "a"}, {"agency": "zz"}]}]}
    )
    with pytest.raises(UnknownAgencyError) as info:
        check_route(r, ["desk", "a"])
    assert "stage 1, step 2 (1.2) agency 'zz'" in str(info.value)
    check_route(r, ["desk", "a", "zz"])  # no limit: nothing to compare, no warning


def test_scope_is_derived_from_levels() -> None:
    r = route(None, [("a", None)], [("b", None)])
    assert r.scope({"a": "commune", "b": "commune"}) is RouteScope.HORIZONTAL  # type: ignore[dict-item]
    assert r.scope({"a": "commune", "b": "province"}) is RouteScope.VERTICAL  # type: ignore[dict-item]
    with pytest.raises(RouteError, match="level of agency 'b' is unknown"):
        r.scope({"a": "commune"})  # type: ignore[dict-item]


# -- templates ---------------------------------------------------------------------------------


def test_templates_ship_and_leave_unsourced_budgets_unknown() -> None:
    assert template_ids() == ("decree63-birth", "decree63-death", "land-first-registration")
    birth = load_template("decree63-birth")
    budgets = {k: s.budget for k, _, _, s in birth.iter_steps()}
    assert str(budgets["khai-sinh"]) == "trong ngày"  # RULES.md §7: same working day
    assert budgets["thuong-tru"] is None  # low confidence: left to the user
    assert budgets["bhyt"] is None
    assert birth.valid_from == D(2024, 7, 1)
    assert birth.scope() is RouteScope.VERTICAL  # commune UBND/police + provincial insurance
    check = check_route(birth)
    assert check.unknown_budgets == ("thuong-tru", "bhyt")
    with pytest.raises(RouteError, match="no budget for stage 2, step 1 \\(thuong-tru"):
        plan(birth, vn(2025, 3, 3, 9))
    land = load_template("land-first-registration")
    assert land.limit is not None
    assert (land.limit.value, land.limit.extension) == (20, 10)
    assert all(
        (s.budget is None) for _, _, _, s in land.iter_steps()
    )  # no source gives step budgets
    for tid in template_ids():
        for _, _, _, step in load_template(tid).iter_steps():
            assert step.budget is None or step.budget_source, (tid, step.id)


def test_death_group_choice_of_two_three_or_four_procedures() -> None:
    death = load_template("decree63-death")
    two = death.select(["mai-tang"])
    assert [k for k, _, _, _ in two.iter_steps()] == ["khai-tu", "mai-tang"]
    four = death.select(["xoa-thuong-tru", "mai-tang", "tu-tuat"])
    assert len(list(four.iter_steps())) == 4
    with pytest.raises(RouteError, match="choose at least 1"):
        death.select([])
    with pytest.raises(RouteError, match="'khai-tu' is not an optional step"):
        death.select(["khai-tu"])


def test_birth_template_plan_over_tet_2025() -> None:
    # Received Fri 24/01/2025 10:00; Tết 27–31/01/2025 off. Budgets of the residence and
    # insurance steps are test values (no source gives them).
    birth = load_template("decree63-birth").with_budgets(
        {"thuong-tru": f"2 {WD}", "bhyt": f"1.5 {WD}"}
    )
    with pytest.warns(RouteBudgetWarning, match="1 working days less"):
        check_route(birth)
    p = plan(birth, vn(2025, 1, 24, 10))
    ks, tt, bhyt = p.steps
    assert (ks.planned_start, ks.planned_due) == (vn(2025, 1, 24, 10), vn(2025, 1, 24, 17))
    # Birth registered at the close of Fri 24/01: the next steps start at the next opening.
    assert tt.planned_start == bhyt.planned_start == vn(2025, 2, 3, 7, 30)
    assert tt.planned_due == vn(2025, 2, 4, 17)  # 2 working days: Mon 03, Tue 04
    assert bhyt.planned_due == vn(2025, 2, 4, 11, 15)  # 1.5: half of Tue 04 (3 h 45)
    assert p.path_due_at == vn(2025, 2, 4, 17)
    assert p.due_at == vn(2025, 2, 5, 17)  # 3 working days: Mon 03, Tue 04, Wed 05


def _land() -> Route:
    return load_template("land-first-registration").with_budgets(
        {
            "tiep-nhan": f"0.5 {WD}",
            "xac-nhan-xa": f"5 {WD}",
            "tham-dinh": f"9 {WD}",
            "ky-cap": f"5 {WD}",
            "tra-ket-qua": f"0.5 {WD}",
        }
    )


def test_land_template_plan_over_swapped_saturday_and_30_4() -> None:
    # Received Thu 17/04/2025 09:00. Working days after it: 18, 21–25, Sat 26 (worked), 28, 29,
    # (30/4, 1/5, 2/5 off), 5–9/5, 12–16/5, 19/5 (the 20th).
    land = _land()
    assert check_route(land).slack_days == 0
    p = plan(land, vn(2025, 4, 17, 9))
    due = {s.key: s.planned_due for s in p.steps}
    assert due["tiep-nhan"] == vn(2025, 4, 18, 11, 15)
    assert due["xac-nhan-xa"] == vn(2025, 4, 25, 11, 15)  # offset 5.5
    assert due["tham-dinh"] == vn(2025, 5, 12, 11, 15)  # offset 14.5 (26/4 counted)
    assert due["nghia-vu-tai-chinh"] is None  # the applicant's time is not counted
    assert due["ky-cap"] == vn(2025, 5, 19, 11, 15)
    assert due["tra-ket-qua"] == vn(2025, 5, 19, 17)
    assert p.due_at == p.path_due_at == vn(2025, 5, 19, 17)
    # Systems that ignore worked Saturdays end one working day later.
    p2 = plan(land, vn(2025, 4, 17, 9), policy=DeadlinePolicy(worked_saturdays=False))
    assert p2.due_at == vn(2025, 5, 20, 17)
    # Disadvantaged commune: 20 + 10 working days (Decree 101/2024).
    assert plan(land, vn(2025, 4, 17, 9), extended=True).due_at == vn(2025, 6, 2, 17)


# -- plans: fractions and methods --------------------------------------------------------------


def test_half_days_are_not_truncated_and_chain_to_the_limit() -> None:
    p = plan(SEQ, vn(2025, 3, 3, 9))
    assert [s.planned_due for s in p.steps] == [
        vn(2025, 3, 4, 11, 15),
        vn(2025, 3, 6, 11, 15),
        vn(2025, 3, 7, 11, 15),
        vn(2025, 3, 7, 17),
    ]
    assert p.steps[1].planned_start == vn(2025, 3, 4, 11, 15)
    assert p.due_at == p.path_due_at == vn(2025, 3, 7, 17)


def test_half_day_slot_method_matches_examples_rows_42_44() -> None:
    policy = DeadlinePolicy(method="half-days", half_day_slots=(dt.time(11, 30), dt.time(16)))
    r = route(None, [("a", f"0.5 {WD}")], [("b", f"1 {WD}")])
    p = plan(r, vn(2026, 3, 2, 9), policy=policy)
    # 0.5 from a Monday-morning receipt: end of Monday's afternoon slot (row 42 pattern);
    # 1.5 in total: end of Tuesday's afternoon slot (row 44).
    assert [s.planned_due for s in p.steps] == [vn(2026, 3, 2, 16), vn(2026, 3, 3, 16)]


def test_working_time_method_chains_office_time() -> None:
    policy = DeadlinePolicy(method="working-time")
    r = route(None, [("a", f"0.5 {WD}")], [("b", "4 giờ làm việc")])
    p = plan(r, vn(2025, 3, 3, 10), policy=policy)
    # 3 h 45 from Mon 10:00: 1 h 30 to 11:30, 2 h 15 from 13:30 → 15:45; then 4 h: 1 h 15 to
    # 17:00, 2 h 45 from Tue 07:30 → 10:15.
    assert [s.planned_due for s in p.steps] == [vn(2025, 3, 3, 15, 45), vn(2025, 3, 4, 10, 15)]


# -- tracking and attribution ------------------------------------------------------------------


def test_late_step_on_one_agency_is_attributed_to_it() -> None:
    handovers = [
        HandOver(from_agency="desk", to_agency="a", at=vn(2025, 3, 4, 10)),
        HandOver(from_agency="a", to_agency="b", at=vn(2025, 3, 10, 10)),
        HandOver(from_agency="b", to_agency="desk", at=vn(2025, 3, 11, 9)),
    ]
    t = track(SEQ, vn(2025, 3, 3, 9), handovers, finished_at=vn(2025, 3, 11, 14, 30))
    desk, a, b, ret = t.steps
    assert desk.timeliness is Timeliness.ON_TIME  # due Tue 04/03 11:15
    # a started Tue 04/03 10:00: 2 working days → Thu 06/03 10:00; handed over Mon 10/03 10:00.
    assert a.live_due == vn(2025, 3, 6, 10)
    assert a.timeliness is Timeliness.LATE
    assert a.late_by_days == pytest.approx(2.0)  # Fri 07 and Mon 10 until 10:00
    # b started Mon 10/03 10:00: 1 working day → Tue 11/03 10:00; handed over 09:00.
    assert b.live_due == vn(2025, 3, 11, 10)
    assert b.timeliness is Timeliness.ON_TIME
    assert ret.live_due == vn(2025, 3, 11, 14, 45)
    assert ret.timeliness is Timeliness.ON_TIME
    assert t.due_at == vn(2025, 3, 7, 17)
    assert t.late
    assert t.late_steps == ("2.1",)
    assert t.responsible_agency == "a"
    assert t.apology_by == ("a",)
    sheet = t.control_sheet()
    assert [(r.from_agency, r.to_agency, r.timeliness) for r in sheet] == [
        ("desk", "a", Timeliness.ON_TIME),
        ("a", "b", Timeliness.LATE),
        ("b", "desk", Timeliness.ON_TIME),
    ]


def test_dossier_on_time_has_no_culprit() -> None:
    handovers = [
        HandOver(from_agency="desk", to_agency="a", at=vn(2025, 3, 3, 10)),
        HandOver(from_agency="a", to_agency="b", at=vn(2025, 3, 5, 9)),
        HandOver(from_agency="b", to_agency="desk", at=vn(2025, 3, 6, 9)),
    ]
    t = track(SEQ, vn(2025, 3, 3, 9), handovers, finished_at=vn(2025, 3, 6, 14))
    assert not t.late
    assert t.late_steps == ()
    assert t.responsible_agency is None
    assert t.steps[0].timeliness is Timeliness.EARLY  # due Tue 04/03, handed over Mon 03/03


PAR = route(f"3 {WD}", [("a", f"1 {WD}"), ("b", f"2 {WD}")], [("c", f"1 {WD}")])


def test_parallel_steps_the_slowest_one_counts() -> None:
    # Received Mon 02/03/2026 09:00. Plan: a due Tue 03/03 17:00, b due Wed 04/03 17:00,
    # c starts Thu 05/03 07:30, due Thu 17:00 (the route's due moment).
    p = plan(PAR, vn(2026, 3, 2, 9))
    assert [s.planned_due for s in p.steps] == [
        vn(2026, 3, 3, 17),
        vn(2026, 3, 4, 17),
        vn(2026, 3, 5, 17),
    ]
    assert p.steps[2].planned_start == vn(2026, 3, 5, 7, 30)
    # b is late (Thu 05/03 10:00); c can only start when b hands over.
    handovers = [
        HandOver(from_agency="a", to_agency="c", at=vn(2026, 3, 3, 15)),
        HandOver(from_agency="b", to_agency="c", at=vn(2026, 3, 5, 10)),
    ]
    t = track(PAR, vn(2026, 3, 2, 9), handovers, finished_at=vn(2026, 3, 6, 9))
    a, b, c = t.steps
    assert a.timeliness is Timeliness.ON_TIME
    assert not a.critical
    assert b.timeliness is Timeliness.LATE
    assert b.critical
    assert b.late_by_days == pytest.approx(2.5 / 7.5, abs=1e-3)  # 07:30–10:00 on Thu 05/03
    assert c.actual_start == vn(2026, 3, 5, 10)  # the slowest parallel step's hand-over
    assert c.live_due == vn(2026, 3, 6, 10)
    assert c.timeliness is Timeliness.ON_TIME
    assert t.late
    assert t.responsible_agency == "b"
    assert t.late_steps == ("1.2",)


def test_parallel_fast_step_late_but_not_critical() -> None:
    handovers = [
        HandOver(from_agency="a", to_agency="c", at=vn(2026, 3, 4, 10)),  # a late (due Tue)
        HandOver(from_agency="b", to_agency="c", at=vn(2026, 3, 4, 16)),  # b on time
    ]
    t = track(PAR, vn(2026, 3, 2, 9), handovers, finished_at=vn(2026, 3, 5, 15))
    a, b, c = t.steps
    assert a.timeliness is Timeliness.LATE
    assert not a.critical
    assert b.critical
    assert c.actual_start == vn(2026, 3, 4, 16)
    assert not t.late  # finished Thu 05/03 15:00, due Thu 17:00
    assert t.late_steps == ("1.1",)


def test_supplement_pause_stops_the_step_clock_and_the_route_clock() -> None:
    # a starts Tue 04/03/2025 10:00 (due Thu 06/03 10:00); supplement requested Wed 05/03 14:00,
    # received Mon 10/03 10:00: 3 working days (Thu 06, Fri 07, Mon 10) are not counted.
    handovers = [
        HandOver(from_agency="desk", to_agency="a", at=vn(2025, 3, 4, 10)),
        HandOver(from_agency="a", to_agency="b", at=vn(2025, 3, 11, 9)),
    ]
    pause = Pause(start=vn(2025, 3, 5, 14), end=vn(2025, 3, 10, 10), label="Yêu cầu bổ sung")
    t = track(SEQ, vn(2025, 3, 3, 9), handovers, pauses=[pause], now=vn(2025, 3, 11, 10))
    a = t.step("2.1")
    assert a.live_due == vn(2025, 3, 11, 10)
    assert a.timeliness is Timeliness.ON_TIME
    assert t.due_at == vn(2025, 3, 12, 17)  # Fri 07/03 17:00 moved by 3 working days
    assert not t.late
    assert t.step("3.1").state is StepState.RUNNING
    # Without the pause, a would be 3 working days late.
    t2 = track(SEQ, vn(2025, 3, 3, 9), handovers, now=vn(2025, 3, 11, 10))
    assert t2.step("2.1").timeliness is Timeliness.LATE
    assert t2.responsible_agency == "a"


def test_clock_stopping_step_is_not_counted() -> None:
    r = load_route(
        {
            "id": "tax",
            "limit": f"2 {WD}",
            "stages": [
                {"steps": [{"agency": "a", "budget": f"1 {WD}"}]},
                {"steps": [{"agency": "thue", "action": "pay_tax", "clock_stops": True}]},
                {"steps": [{"agency": "b", "budget": f"1 {WD}"}]},
            ],
        }
    )
    check_route(r)
    p = plan(r, vn(2025, 3, 3, 9))
    assert p.steps[1].planned_due is None
    assert p.steps[2].planned_start == vn(2025, 3, 5, 7, 30)
    assert p.due_at == vn(2025, 3, 5, 17)
    handovers = [
        HandOver(from_agency="a", to_agency="thue", at=vn(2025, 3, 4, 16)),
        HandOver(from_agency="thue", to_agency="b", at=vn(2025, 3, 10, 9)),
    ]
    t = track(r, vn(2025, 3, 3, 9), handovers, finished_at=vn(2025, 3, 10, 16))
    # Tax from Tue 04/03 16:00 to Mon 10/03 09:00: Wed, Thu, Fri, Mon not counted.
    assert t.due_at == vn(2025, 3, 11, 17)
    assert not t.late
    assert t.step("2.1").timeliness is None  # never judged
    assert t.step("3.1").live_due == vn(2025, 3, 11, 9)


def test_in_progress_step_behind_schedule_now() -> None:
    handovers = [HandOver(from_agency="desk", to_agency="a", at=vn(2025, 3, 4, 10))]
    t = track(SEQ, vn(2025, 3, 3, 9), handovers, now=vn(2025, 3, 6, 9))
    assert t.behind_now == ()
    t = track(SEQ, vn(2025, 3, 3, 9), handovers, now=vn(2025, 3, 7, 10))
    assert t.behind_now == ("2.1",)
    a = t.step("2.1")
    assert a.state is StepState.RUNNING
    assert a.behind
    assert a.late_by_days == pytest.approx(1.0)  # Thu 10:00 → Fri 10:00
    assert t.apology_by == ("a",)
    assert not t.late  # the route is due Fri 07/03 17:00
    assert t.step("3.1").state is StepState.PENDING


# -- lifecycle integration ---------------------------------------------------------------------


def _entry(at: dt.datetime, event: str, frm: str | None, to: str, **payload: Any) -> HistoryEntry:
    return HistoryEntry(
        at=at,
        actor="officer",
        event=event,
        from_status=DossierStatus(frm) if frm else None,
        to_status=DossierStatus(to),
        payload=payload,
    )


def test_track_dossier_from_lifecycle_history() -> None:
    dossier = Dossier(
        code="desk-250303-0001",
        procedure_id="p",
        applicant=Applicant(kind="citizen", name="Nguyễn Văn A", cccd="001099012345"),
        channel="in_person",
        receiving_unit="desk",
        submitted_at=vn(2025, 3, 3, 9),
        received_at=vn(2025, 3, 3, 9),
        status=DossierStatus.RETURNED,
        history=[
            _entry(vn(2025, 3, 3, 9), "receive", "submitted", "received"),
            _entry(vn(2025, 3, 4, 10), "transfer", "received", "processing", to_agency="a"),
            _entry(vn(2025, 3, 5, 14), "request_supplement", "processing", "awaiting_supplement"),
            _entry(vn(2025, 3, 10, 10), "supplement", "awaiting_supplement", "processing"),
            _entry(vn(2025, 3, 11, 9), "transfer", "processing", "processing", to_agency="b"),
            _entry(vn(2025, 3, 12, 9), "transfer", "processing", "processing", to_agency="desk"),
            _entry(vn(2025, 3, 12, 11), "resolve", "processing", "resolved"),
            _entry(vn(2025, 3, 12, 14), "return_result", "resolved", "returned"),
        ],
    )
    handovers, pauses, returned = handovers_from_history(dossier)
    assert [(h.from_agency, h.to_agency) for h in handovers] == [
        ("desk", "a"),
        ("a", "b"),
        ("b", "desk"),
    ]
    assert [(p.start, p.end) for p in pauses] == [(vn(2025, 3, 5, 14), vn(2025, 3, 10, 10))]
    assert returned == vn(2025, 3, 12, 14)
    t = track_dossier(SEQ, dossier)
    assert t.due_at == vn(2025, 3, 12, 17)
    assert not t.late
    assert t.step("2.1").timeliness is Timeliness.ON_TIME
    # b: 1 working day from Tue 11/03 09:00 → Wed 12/03 09:00: handed over on time.
    assert t.step("3.1").live_due == vn(2025, 3, 12, 9)
    assert t.step("3.1").timeliness is Timeliness.ON_TIME


def test_to_mermaid_lists_every_step_and_parallel_edges() -> None:
    text = PAR.to_mermaid({"a": "Cơ quan A"})
    assert text.splitlines()[0] == "flowchart LR"
    assert 's1_1["Cơ quan A<br/>Xử lý · 1 ngày làm việc"]' in text
    assert "received --> s1_1" in text
    assert "received --> s1_2" in text
    assert "s1_2 --> s2_1" in text
    assert "s2_1 --> returned" in text
    land = load_template("land-first-registration").to_mermaid()
    assert "s4_1{{" in land  # the clock-stopping step has its own shape


# -- review of issue 5: hand-over validation -----------------------------------------------------
# SEQ received Mon 03/03/2025 09:00 (see test_half_days_are_not_truncated_and_chain_to_the_limit).


def test_handover_to_an_agency_not_in_the_route_names_its_index() -> None:
    handovers = [
        HandOver(from_agency="desk", to_agency="a", at=vn(2025, 3, 4, 10)),
        HandOver(from_agency="a", to_agency="zz", at=vn(2025, 3, 5, 10)),
    ]
    with pytest.raises(RouteError, match=r"handovers\[1\] \(a → zz .*'zz' is not in the route"):
        track(SEQ, vn(2025, 3, 3, 9), handovers)


def test_handover_out_of_order_names_its_index_and_the_fix() -> None:
    # b hands over on Wed 05/03 although a only hands to b on Thu 06/03.
    handovers = [
        HandOver(from_agency="desk", to_agency="a", at=vn(2025, 3, 4, 10)),
        HandOver(from_agency="b", to_agency="desk", at=vn(2025, 3, 5, 10)),
        HandOver(from_agency="a", to_agency="b", at=vn(2025, 3, 6, 10)),
    ]
    with pytest.raises(RouteError, match=r"handovers\[1\] \(b → desk .*out of order") as info:
        track(SEQ, vn(2025, 3, 3, 9), handovers)
    assert "check the hand-overs' order and times" in str(info.value)
    assert info.value.details["index"] == 1


def test_handover_before_the_receipt_is_rejected() -> None:
    handovers = [HandOver(from_agency="desk", to_agency="a", at=vn(2025, 3, 3, 8))]
    with pytest.raises(RouteError, match=r"handovers\[0\] .*before the receipt"):
        track(SEQ, vn(2025, 3, 3, 9), handovers)


def test_duplicate_handover_is_rejected() -> None:
    h = HandOver(from_agency="desk", to_agency="a", at=vn(2025, 3, 4, 10))
    with pytest.raises(RouteError, match=r"handovers\[1\] .*repeats handovers\[0\]"):
        track(SEQ, vn(2025, 3, 3, 9), [h, h])


def test_two_handovers_at_the_same_instant_in_either_order() -> None:
    # b receives and passes on at Wed 05/03 10:00: a zero-length step, whatever the input order.
    first = HandOver(from_agency="desk", to_agency="a", at=vn(2025, 3, 4, 10))
    into_b = HandOver(from_agency="a", to_agency="b", at=vn(2025, 3, 5, 10))
    out_of_b = HandOver(from_agency="b", to_agency="desk", at=vn(2025, 3, 5, 10))
    for order in ([first, into_b, out_of_b], [out_of_b, first, into_b]):
        t = track(SEQ, vn(2025, 3, 3, 9), order, now=vn(2025, 3, 5, 11))
        b = t.step("3.1")
        assert (b.actual_start, b.actual_finish) == (vn(2025, 3, 5, 10), vn(2025, 3, 5, 10))
        assert t.step("4.1").state is StepState.RUNNING
        assert [r.step for r in t.control_sheet()] == ["1.1", "2.1", "3.1"]


def test_desk_transfer_to_the_first_stage_is_accepted() -> None:
    # The desk is not a step: its transfer to the first agency is a control-sheet row only.
    r = load_route(
        {
            "id": "d",
            "desk": "desk",
            "limit": f"2 {WD}",
            "stages": [
                {"steps": [{"agency": "a", "budget": f"1 {WD}"}]},
                {"steps": [{"agency": "b", "budget": f"1 {WD}"}]},
            ],
        }
    )
    handovers = [
        HandOver(from_agency="desk", to_agency="a", at=vn(2025, 3, 3, 10)),
        HandOver(from_agency="a", to_agency="b", at=vn(2025, 3, 4, 9)),
    ]
    t = track(r, vn(2025, 3, 3, 9), handovers, now=vn(2025, 3, 4, 10))
    assert [(row.step, row.timeliness) for row in t.control_sheet()] == [
        (None, None),
        ("1.1", Timeliness.ON_TIME),  # due Tue 04/03 17:00
    ]


PAR_DESK = route(
    f"3 {WD}", [("a", f"1 {WD}"), ("b", f"2 {WD}")], [("c", f"1 {WD}")], id="par"
).model_copy(update={"desk": "desk"})


def test_parallel_branch_that_never_hands_over_is_blamed_at_the_return() -> None:
    # Received Mon 02/03/2026 09:00; b (2 working days) is due Wed 04/03 17:00 and never hands
    # over; the result is returned Fri 06/03 09:00 (the route was due Thu 05/03 17:00).
    handovers = [HandOver(from_agency="a", to_agency="c", at=vn(2026, 3, 3, 15))]
    t = track(PAR_DESK, vn(2026, 3, 2, 9), handovers, finished_at=vn(2026, 3, 6, 9))
    assert t.late
    b = t.step("1.2")
    assert b.state is StepState.RUNNING
    assert b.behind
    assert b.late_by_days == pytest.approx(1.2)  # Thu 7 h 30 + Fri 07:30–09:00 = 9 h
    assert t.late_steps == ("1.2",)
    assert t.responsible_agency == "b"
    assert t.step("2.1").state is StepState.PENDING
    # c cannot hand over while the stage before it is still open: the message says why.
    later = [*handovers, HandOver(from_agency="c", to_agency="desk", at=vn(2026, 3, 5, 15))]
    with pytest.raises(RouteError, match=r"handovers\[1\] .*held up at 1\.2 \(b\)"):
        track(PAR_DESK, vn(2026, 3, 2, 9), later, finished_at=vn(2026, 3, 6, 9))


@pytest.mark.parametrize("field", ["now", "finished_at"])
def test_track_before_the_receipt_is_rejected(field: str) -> None:
    with pytest.raises(RouteError, match=f"{field}=2025-03-03T08:00:00\\+07:00 is before the"):
        track(SEQ, vn(2025, 3, 3, 9), **{field: vn(2025, 3, 3, 8)})


def test_handover_after_now_is_rejected() -> None:
    handovers = [HandOver(from_agency="desk", to_agency="a", at=vn(2025, 3, 4, 10))]
    with pytest.raises(RouteError, match=r"handovers\[0\] .*after now"):
        track(SEQ, vn(2025, 3, 3, 9), handovers, now=vn(2025, 3, 4, 9))


# -- review: receipt, hours, due time, methods -----------------------------------------------------

SAME_DAY_FIRST = route(f"3 {WD}", [("a", "trong ngày")], [("b", f"2 {WD}")])


@pytest.mark.parametrize(
    ("received", "day"),
    [
        (vn(2025, 1, 24, 15, 30), D(2025, 2, 3)),  # EXAMPLES row 5: after 15:00, then Tết 2025
        (vn(2025, 1, 29, 20), D(2025, 2, 3)),  # online during Tết (row 6)
        (vn(2025, 4, 27, 21), D(2025, 4, 28)),  # Sunday
        (vn(2025, 4, 26, 9), D(2025, 4, 26)),  # Sat 26/04/2025 is worked (row 9)
    ],
)
def test_same_day_first_step_after_cutoff_or_on_a_day_off(received: dt.datetime, day: D) -> None:
    p = plan(SAME_DAY_FIRST, received)
    a, b = p.steps
    assert a.planned_due == dt.datetime.combine(day, dt.time(17), tzinfo=received.tzinfo)
    assert a.planned_start.date() == day
    assert b.planned_start.date() > day
    assert p.path_due_at <= p.due_at


def test_working_hours_budgets_across_lunch_and_closing() -> None:
    # EXAMPLES row 29 (office 07:30–11:30 & 13:30–17:00): 8 working hours from Mon 06/01/2025
    # 10:00 end Tue 07/01 10:30. 4 h: 10:00–11:30, 13:30–16:00; then 4 h: 16:00–17:00 and
    # Tue 07:30–10:30. Hours count from the receipt instant (Civil Code Art. 147).
    r = route("8 giờ làm việc", [("a", "4 giờ làm việc")], [("b", "4 giờ làm việc")])
    check_route(r)
    p = plan(r, vn(2025, 1, 6, 10))
    assert [(s.planned_start, s.planned_due) for s in p.steps] == [
        (vn(2025, 1, 6, 10), vn(2025, 1, 6, 16)),
        (vn(2025, 1, 6, 16), vn(2025, 1, 7, 10, 30)),
    ]
    assert p.path_due_at == p.due_at == vn(2025, 1, 7, 10, 30)
    # The 15:00 cut-off does not apply to hours: 15:30 + 4 h = Mon 1 h 30 + Tue 2 h 30.
    one = route("4 giờ làm việc", [("a", "4 giờ làm việc")])
    p = plan(one, vn(2025, 1, 6, 15, 30))
    assert (p.steps[0].planned_start, p.steps[0].planned_due) == (
        vn(2025, 1, 6, 15, 30),
        vn(2025, 1, 7, 10),
    )
    assert p.due_at == vn(2025, 1, 7, 10)
    # Handed over Mon 16:30 for a step due Mon 16:00: 30 office minutes late.
    r2 = load_route({**one.model_dump(mode="json"), "desk": "desk"})
    t = track(
        r2,
        vn(2025, 1, 6, 10),
        [HandOver(from_agency="a", to_agency="desk", at=vn(2025, 1, 6, 16, 30))],
    )
    a = t.step("1.1")
    assert a.live_due == vn(2025, 1, 6, 16)
    assert a.timeliness is Timeliness.LATE
    assert a.late_by_days == pytest.approx(0.5 / 7.5, abs=1e-4)


def test_end_of_day_due_time() -> None:
    # Days method: a day period ends at 24:00 of its last day (Civil Code Art. 148).
    p = plan(SEQ, vn(2025, 3, 3, 9), policy=DeadlinePolicy(due_time="end_of_day"))
    assert p.steps[-1].planned_due == p.due_at == vn(2025, 3, 7, 23, 59) + dt.timedelta(seconds=59)
    assert p.steps[0].planned_due == vn(2025, 3, 4, 11, 15)  # fractions are office time
    for method in ("half-days", "working-time"):
        # The policy itself refuses the combination, for routes and dossiers alike.
        with pytest.raises(ValueError, match=r"due_time='end_of_day' applies to the days method"):
            DeadlinePolicy(due_time="end_of_day", method=method)  # type: ignore[arg-type]


def test_half_days_method_rejects_budgets_that_are_not_half_days() -> None:
    # compute_due refuses 0.3 working day in half-day slots; so does the route clock.
    policy = DeadlinePolicy(method="half-days")
    r = route(None, [("a", f"0.3 {WD}")])
    with pytest.raises(UnsupportedMethodError, match=r"step 1 \(1\.1\).*not a multiple of 0\.5"):
        plan(r, vn(2026, 3, 2, 9), policy=policy)


# -- review: provisional years, rounding, ties, Mermaid ---------------------------------------


def _provisional_warnings(call: Any) -> tuple[Any, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [w for w in caught if issubclass(w.category, ProvisionalCalendarWarning)]


def test_plan_into_a_provisional_year_is_flagged_and_warns_once() -> None:
    # The calendar warns once per calendar object and year: each call gets a calendar of its own so
    # that what an earlier test (or call) already warned about cannot hide this one's warning.
    def fresh() -> WorkingCalendar:
        return WorkingCalendar.vietnam().with_overrides([])

    # Received Tue 29/12/2026: 30, 31/12, (1/1/2027 off), Mon 04/01, Tue 05/01/2027.
    p, caught = _provisional_warnings(lambda: plan(SEQ, vn(2026, 12, 29, 9), calendar=fresh()))
    assert p.due_at == vn(2027, 1, 5, 17)
    assert p.provisional
    assert len(caught) == 1
    # A route without a limit: the path alone reaches 2027.
    no_limit = route(None, [("a", f"2 {WD}")])
    p, caught = _provisional_warnings(lambda: plan(no_limit, vn(2026, 12, 30, 9), calendar=fresh()))
    assert p.provisional
    assert len(caught) == 1
    t, caught = _provisional_warnings(lambda: track(SEQ, vn(2026, 12, 29, 9), calendar=fresh()))
    assert t.plan.provisional
    assert t.to_dict()["provisional"] is True
    # The tracking never silences the calendar's warning through the process-wide filters.
    assert len(caught) == 1
    p, caught = _provisional_warnings(lambda: plan(SEQ, vn(2026, 3, 2, 9), calendar=fresh()))
    assert not p.provisional
    assert caught == []


def test_check_route_sums_decimal_budgets_exactly() -> None:
    r = route(f"0.3 {WD}", [("a", f"0.1 {WD}")], [("b", f"0.2 {WD}")])
    check = check_route(r)  # no warning: no slack
    assert (check.path_days, check.slack_days) == (0.3, 0.0)
    r = route(f"0.4 {WD}", [("a", f"0.1 {WD}")], [("b", f"0.2 {WD}")])
    with pytest.warns(RouteBudgetWarning, match="0.1 working days less"):
        assert check_route(r).slack_days == 0.1


def test_attribution_of_equal_overruns_follows_route_order() -> None:
    # a and b (parallel, 1 working day each, due Tue 04/03/2025 17:00) both hand over Wed 05/03
    # 10:00: each 2 h 30 late; the earlier step in the route comes first, whatever the input.
    r = route(f"4 {WD}", [("a", f"1 {WD}"), ("b", f"1 {WD}")], [("c", f"1 {WD}")])
    ha = HandOver(from_agency="a", to_agency="c", at=vn(2025, 3, 5, 10))
    hb = HandOver(from_agency="b", to_agency="c", at=vn(2025, 3, 5, 10))
    for order in ([ha, hb], [hb, ha]):
        t = track(r, vn(2025, 3, 3, 9), order, now=vn(2025, 3, 5, 11))
        assert [t.step(k).late_by_days for k in ("1.1", "1.2")] == [0.3333, 0.3333]
        assert t.late_steps == ("1.1", "1.2")
        assert t.apology_by == ("a", "b")
        assert t.responsible_agency == "a"


def test_to_mermaid_escapes_quotes_and_markup() -> None:
    r = load_route(
        {
            "id": "m",
            "desk": 'Bộ phận "Một cửa"',
            "stages": [{"steps": [{"agency": "x", "budget": f"1 {WD}"}]}],
        }
    )
    text = r.to_mermaid({"x": 'UBND xã "Tân Lập" <số #1> & Công an'})
    assert 'received(["Tiếp nhận: Bộ phận #quot;Một cửa#quot;"])' in text
    assert 's1_1["UBND xã #quot;Tân Lập#quot; #lt;số #35;1#gt; #amp; Công an<br/>' in text
