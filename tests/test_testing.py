"""mot_cua.testing: helpers, pytest plugin fixtures and Hypothesis strategies."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from mot_cua import TransitionRejected
from mot_cua.lifecycle import TRANSITIONS, Lifecycle, validate_history
from mot_cua.testing import (
    FrozenClock,
    assert_allowed,
    assert_rejected,
    fixed_calendar,
    histories,
    invalid_histories,
    make_dossier,
)
from tests.conftest import vn

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_frozen_clock():
    clock = FrozenClock(vn(2025, 3, 3, 9))
    assert clock() == clock() == vn(2025, 3, 3, 9)
    assert clock.advance(days=1) == vn(2025, 3, 4, 9)
    assert clock.set(vn(2025, 1, 1)) == vn(2025, 1, 1)
    with pytest.raises(ValueError, match="goes back in time"):
        clock.advance(hours=-1)
    with pytest.raises(ValueError, match="no UTC offset"):
        FrozenClock(dt.datetime(2025, 1, 1))


def test_fixed_calendar_is_monday_to_friday_plus_exceptions():
    cal = fixed_calendar()
    assert cal.add_working_days(dt.date(2025, 1, 24), 5) == dt.date(2025, 1, 31)  # no Tết
    cal = fixed_calendar(days_off=[dt.date(2025, 3, 4)], worked_days=[dt.date(2025, 3, 8)])
    assert not cal.is_working_day(dt.date(2025, 3, 4))
    assert cal.is_working_day(dt.date(2025, 3, 8))


def test_make_dossier_overrides():
    d = make_dossier(code="H29-250101-0009", channel="postal")
    assert d.code == "H29-250101-0009"
    assert d.channel.national_code == 3


def test_assertions_fail_loudly():
    lc = Lifecycle("3 ngày làm việc", clock=FrozenClock())
    lc.send("receive")
    assert_allowed(lc, "start")
    with pytest.raises(AssertionError, match="resolve not allowed in state 'received'"):
        assert_allowed(lc, "resolve")
    exc = assert_rejected(lc, "resolve", match="not allowed")
    assert isinstance(exc, TransitionRejected)
    with pytest.raises(AssertionError, match="was accepted"):
        assert_rejected(lc, "start")
    with pytest.raises(AssertionError, match="is not in"):
        assert_rejected(lc, "return_result", match="something else")


def test_plugin_fixtures(
    mot_cua_clock: FrozenClock,
    mot_cua_calendar: Any,
    mot_cua_dossier: Any,
    mot_cua_lifecycle: Any,
):
    lc = mot_cua_lifecycle("3 ngày làm việc", calendar=mot_cua_calendar)
    lc.send("receive")
    assert lc.due_at == vn(2025, 3, 6, 17)
    mot_cua_clock.advance(days=1)
    assert lc.send("start").at == vn(2025, 3, 4, 9)
    assert mot_cua_dossier().status.value == "submitted"


def test_plugin_is_registered_as_an_entry_point():
    from importlib.metadata import entry_points

    names = {e.name: e.value for e in entry_points(group="pytest11")}
    assert names.get("mot_cua") == "mot_cua.testing.plugin"


def test_testing_imports_without_hypothesis():
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "import mot_cua.testing as t\n"
        "try:\n    t.histories()\nexcept ImportError as e:\n    print('ERR', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "ERR mot_cua.testing.histories() needs Hypothesis: pip install hypothesis" in out.stdout


@FAST
@given(histories())
def test_valid_histories_agree_between_table_and_machine(events: list[dict[str, Any]]):
    check = validate_history(events)
    assert check.valid, check.message
    by_machine = Lifecycle.replay(events, "10 ngày làm việc")
    by_table = Lifecycle.replay(events, "10 ngày làm việc", engine="table")
    assert by_machine.state == by_table.state == check.state
    assert by_machine.deadline == by_table.deadline
    assert by_machine.findings == by_table.findings
    assert by_machine.history == by_table.history
    again = Lifecycle.replay(by_machine.history, "10 ngày làm việc")
    assert again.deadline == by_machine.deadline
    assert again.history == by_machine.history


@FAST
@given(invalid_histories())
def test_invalid_histories_rejected_at_the_same_index(case: tuple[list[dict[str, Any]], int]):
    events, index = case
    check = validate_history(events)
    assert (check.valid, check.index) == (False, index)
    assert check.event not in TRANSITIONS[check.state]
    for engine in ("machine", "table"):
        with pytest.raises(TransitionRejected) as info:
            Lifecycle.replay(events, "10 ngày làm việc", engine=engine)  # type: ignore[arg-type]
        assert info.value.details["index"] == index
        assert info.value.details["state"] == check.state
