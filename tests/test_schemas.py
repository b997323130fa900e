"""JSON Schema and JSON round trips for the public models outside ``mot_cua.models``.

The domain models (Agency, Procedure, Dossier, ...) are covered by tests/test_models.py; this file
covers the values of the calendar, deadline, lifecycle and routing modules, which
``mot-cua schema`` also exports. Refresh the snapshots after an intended change with
``MOT_CUA_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_schemas.py`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pydantic import BaseModel

from mot_cua import (
    CalendarOverride,
    DeadlinePolicy,
    HandOver,
    Lifecycle,
    OfficeHours,
    Pause,
    TimeLimit,
    WorkingCalendar,
    check_route,
    compute_due,
    load_route,
    plan,
    track,
)
from mot_cua.cli._schema import SCHEMA_MODELS
from mot_cua.models import SCHEMA_MODELS as DOMAIN_MODELS
from tests.conftest import vn
from tests.test_models import assert_schema_snapshot

OTHER = sorted(set(SCHEMA_MODELS) - set(DOMAIN_MODELS))


@pytest.mark.parametrize("name", OTHER)
def test_json_schema_snapshot(name: str) -> None:
    assert_schema_snapshot(name, SCHEMA_MODELS[name])


ROUTE = load_route(
    {
        "id": "r",
        "limit": "4 ngày làm việc",
        "stages": [
            {"steps": [{"id": "a", "agency": "a", "budget": "2 ngày làm việc"}]},
            {"steps": [{"id": "b", "agency": "b", "budget": "2 ngày làm việc"}]},
        ],
    }
)


def _samples() -> list[BaseModel]:
    """One real instance of every model in OTHER, built through the public API."""
    received = vn(2025, 1, 24, 10)
    deadline = compute_due(received, "5 ngày làm việc", pauses=[(vn(2025, 2, 3), vn(2025, 2, 4))])
    lc = Lifecycle("3 ngày làm việc", code="X-250106-0001")
    lc.send("receive", at=vn(2025, 1, 6, 9))
    lc.send("extend", at=vn(2025, 1, 9, 9), new_due_at=vn(2025, 1, 14, 17), reason="xác minh")
    handovers = [
        HandOver(from_agency="a", to_agency="b", at=vn(2025, 1, 8, 10)),
        HandOver(from_agency="b", to_agency="desk", at=vn(2025, 1, 13, 10)),
    ]
    tracking = track(ROUTE, vn(2025, 1, 6, 9), handovers, finished_at=vn(2025, 1, 13, 11))
    the_plan = plan(ROUTE, vn(2025, 1, 6, 9))
    cal = WorkingCalendar.vietnam()
    return [
        CalendarOverride(date=dt.date(2025, 9, 19), kind="day_off", label="Bão", source="TB 1"),
        *tracking.control_sheet()[:1],
        cal.explain(dt.date(2025, 1, 29)),
        deadline,
        DeadlinePolicy(method="half-days", cutoff=None, office_hours=OfficeHours.hanoi()),
        *lc.findings[:1],
        handovers[0],
        OfficeHours.parse("07:30-11:30,13:30-17:00", saturday_reception="07:30-11:30"),
        Pause.parse("2025-03-07T16:00/2025-03-12T10:00"),
        the_plan.steps[0],
        ROUTE,
        check_route(ROUTE),
        the_plan,
        ROUTE.stages[0].steps[0],
        tracking,
        OfficeHours.default().workday[0],
        ROUTE.stages[0],
        tracking.steps[0],
        TimeLimit.parse("20 + 10 ngày làm việc"),
        deadline.trace[0],
    ]


SAMPLES = _samples()


def test_samples_cover_every_other_model() -> None:
    assert sorted({type(s).__name__ for s in SAMPLES}) == OTHER


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: type(s).__name__)
def test_json_round_trip(sample: BaseModel) -> None:
    cls = type(sample)
    again = cls.model_validate_json(sample.model_dump_json())
    assert again == sample
    assert cls.model_validate(json.loads(sample.model_dump_json())) == sample
