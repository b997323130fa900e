"""The lifecycle and routing working on one dossier, as a portal would wire them (issue 5).

A 5-working-day route: the desk hands the dossier to agency A (2 days), A hands it to agency B
(2 days), B hands the result back. Received Mon 03/03/2025 09:00, so the route is due Mon
10/03/2025 at closing. A takes three working days, B keeps to its budget: A owes the apology.
"""

from __future__ import annotations

import pytest

from mot_cua import Lifecycle, Route, TraceKind, track_dossier
from mot_cua.testing import make_dossier
from tests.conftest import vn

ROUTE = Route.model_validate(
    {
        "id": "a-then-b",
        "desk": "desk",
        "lead_agency": "agency-a",
        "limit": "5 ngày làm việc",
        "stages": [
            {"steps": [{"id": "a", "agency": "agency-a", "budget": "2 ngày làm việc"}]},
            {"steps": [{"id": "b", "agency": "agency-b", "budget": "2 ngày làm việc"}]},
        ],
    }
)


def _run(*, supplement: bool) -> Lifecycle:
    lc = Lifecycle("5 ngày làm việc", code="DESK-250303-0001")
    lc.send("receive", at=vn(2025, 3, 3, 9), actor="desk")
    lc.send("transfer", at=vn(2025, 3, 3, 10), actor="desk", to_agency="agency-a")
    lc.send("start", at=vn(2025, 3, 3, 10, 30), actor="handler-a")
    if supplement:
        lc.send(
            "request_supplement",
            at=vn(2025, 3, 4, 9),
            reason="thiếu giấy tờ",
            missing=["Bản sao CCCD"],
        )
        lc.send("supplement", at=vn(2025, 3, 6, 9))
    lc.send("transfer", at=vn(2025, 3, 6, 16), actor="agency-a", to_agency="agency-b")
    return lc


def test_late_agency_is_attributed_from_the_lifecycle_history() -> None:
    lc = _run(supplement=False)
    lc.send("transfer", at=vn(2025, 3, 10, 16), actor="agency-b", to_agency="desk")
    lc.send("resolve", at=vn(2025, 3, 10, 16, 30), outcome="approved")
    lc.send("return_result", at=vn(2025, 3, 11, 9), actor="desk")
    dossier = make_dossier(code=lc.code, receiving_unit="desk")
    lc.apply_to(dossier)
    assert lc.deadline is not None
    assert lc.deadline.due_at == vn(2025, 3, 10, 17)

    result = track_dossier(ROUTE, dossier)
    assert [h.to_agency for h in result.handovers] == ["agency-a", "agency-b", "desk"]
    assert result.due_at == lc.deadline.due_at  # one clock for the route and the dossier
    assert result.late  # returned Tue 11/03 09:00
    assert result.late_steps == ("a",)
    assert result.responsible_agency == "agency-a"
    step_a = result.step("a")
    assert step_a.late_by_days > 0
    assert result.step("b").timeliness is not None
    assert result.step("b").late_by_days == 0


def test_a_supplement_pause_moves_both_clocks_alike() -> None:
    lc = _run(supplement=True)
    lc.send("transfer", at=vn(2025, 3, 11, 16), actor="agency-b", to_agency="desk")
    dossier = make_dossier(code=lc.code, receiving_unit="desk")
    lc.apply_to(dossier)
    assert lc.deadline is not None
    # Paused Tue 04/03 09:00 to Thu 06/03 09:00: two working days (05, 06) -> due Wed 12/03.
    assert lc.deadline.due_at == vn(2025, 3, 12, 17)
    assert any(t.kind is TraceKind.PAUSED for t in lc.deadline.trace)
    result = track_dossier(ROUTE, dossier, now=vn(2025, 3, 11, 17))
    assert len(result.pauses) == 1
    assert result.due_at == lc.deadline.due_at
    assert not result.late
    # A's budget moved by the pause too: it handed over on time.
    assert result.step("a").late_by_days == pytest.approx(0)


# -- issue 8 item 21: parallel hand-overs recorded through the lifecycle -------------------------

DESK, LEAD = "ttphcc-phuong-hoan-kiem", "ubnd-phuong-hoan-kiem"
POLICE, INSURANCE = "cong-an-phuong-hoan-kiem", "bhxh-ha-noi"


def _birth_route() -> Route:
    from mot_cua.routing import load_template

    return load_template("decree63-birth").with_budgets(
        {"thuong-tru": "1 ngày làm việc", "bhyt": "2 ngày làm việc"}
    )


def _parallel(*, name_sources: bool) -> Lifecycle:
    lc = Lifecycle("3 ngày làm việc", code="HK-250303-0001")
    lc.send("receive", at=vn(2025, 3, 3, 9), actor="desk")
    lc.send("transfer", at=vn(2025, 3, 3, 9, 30), actor="desk", to_agency=LEAD)
    lc.send("start", at=vn(2025, 3, 3, 10), actor="lead")
    src = {"from_agency": LEAD} if name_sources else {}
    lc.send("transfer", at=vn(2025, 3, 3, 15), actor="lead", to_agency=POLICE, **src)
    lc.send("transfer", at=vn(2025, 3, 3, 15, 10), actor="lead", to_agency=INSURANCE, **src)
    back = {"from_agency": POLICE} if name_sources else {}
    lc.send("transfer", at=vn(2025, 3, 4, 10), actor="police", to_agency=LEAD, **back)
    return lc


def test_parallel_handovers_through_the_lifecycle_agree_with_explicit_track() -> None:
    from mot_cua import HandOver, StepState, Timeliness, track

    lc = _parallel(name_sources=True)
    assert lc.history[3].payload["from_agency"] == LEAD  # accepted and recorded
    dossier = make_dossier(code=lc.code, receiving_unit=DESK)
    lc.apply_to(dossier)
    now = vn(2025, 3, 4, 11)
    from_history = track_dossier(_birth_route(), dossier, now=now)
    explicit = track(
        _birth_route(),
        vn(2025, 3, 3, 9),
        [
            HandOver(from_agency=DESK, to_agency=LEAD, at=vn(2025, 3, 3, 9, 30)),
            HandOver(from_agency=LEAD, to_agency=POLICE, at=vn(2025, 3, 3, 15)),
            HandOver(from_agency=LEAD, to_agency=INSURANCE, at=vn(2025, 3, 3, 15, 10)),
            HandOver(from_agency=POLICE, to_agency=LEAD, at=vn(2025, 3, 4, 10)),
        ],
        now=now,
    )
    assert from_history.steps == explicit.steps
    assert from_history.late_steps == explicit.late_steps == ()
    police, insurance = from_history.step("thuong-tru"), from_history.step("bhyt")
    assert (police.state, police.timeliness) == (StepState.DONE, Timeliness.ON_TIME)
    assert insurance.state is StepState.RUNNING
    assert insurance.timeliness is None


def test_without_from_agency_the_second_handover_comes_from_the_last_holder() -> None:
    # What item 21 was about: the history must say who hands over, or routing guesses.
    lc = _parallel(name_sources=False)
    dossier = make_dossier(code=lc.code, receiving_unit=DESK)
    lc.apply_to(dossier)
    from mot_cua import handovers_from_history

    handovers, _, _ = handovers_from_history(dossier)
    assert (handovers[2].from_agency, handovers[2].to_agency) == (POLICE, INSURANCE)
