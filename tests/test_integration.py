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
