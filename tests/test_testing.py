"""mot_cua.testing: helpers, pytest plugin fixtures and Hypothesis strategies."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mot_cua import BusinessRuleError, InvalidInputError, TransitionRejected
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
    # A name that is no event is the test's mistake: a clear error, not a failed assertion.
    for bad in ("", "retrun_result", None, 3):
        with pytest.raises(InvalidInputError, match=r"unknown event .*; events: confirm_payment"):
            assert_allowed(lc, "start", bad)  # type: ignore[arg-type]
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
    assert by_machine.to_dict() == by_table.to_dict()
    again = Lifecycle.replay(by_machine.history, "10 ngày làm việc")
    assert again.deadline == by_machine.deadline
    assert again.history == by_machine.history
    assert again.findings == by_machine.findings
    as_json = [e.model_dump(mode="json") for e in by_machine.history]
    assert Lifecycle.replay(as_json, "10 ngày làm việc").to_dict() == by_machine.to_dict()
    assert validate_history(as_json).valid


# One broken rule per mutation (date-dependent rules are the lifecycle's alone, so the
# mutations leave the clock alone; "at" moves to one minute before the previous event).
MUTATIONS = {
    "drop_reason": lambda e: {k: v for k, v in e.items() if k != "reason"},
    "drop_missing": lambda e: {k: v for k, v in e.items() if k != "missing"},
    "drop_new_due_at": lambda e: {k: v for k, v in e.items() if k != "new_due_at"},
    "unreadable_new_due_at": lambda e: {**e, "new_due_at": "mai"} if e["event"] == "extend" else e,
    "bad_outcome": lambda e: {**e, "outcome": "ok"} if e["event"] == "resolve" else e,
    "drop_agency": lambda e: {k: v for k, v in e.items() if k != "to_agency"},
    "district": lambda e: {**e, "to_level": "district"} if e["event"] == "transfer" else e,
    "unknown_level": lambda e: {**e, "to_level": "region"} if e["event"] == "transfer" else e,
    "empty_missing": lambda e: {**e, "missing": []} if "missing" in e else e,
}


@FAST
@given(histories(), st.data())
def test_validate_history_and_the_lifecycle_agree_on_every_rule(
    events: list[dict[str, Any]], data: st.DataObject
):
    index = data.draw(st.integers(0, len(events) - 1))
    kind = data.draw(st.sampled_from([*MUTATIONS, "backwards"]))
    broken = list(events)
    if kind == "backwards":
        if index == 0:
            return
        previous = dt.datetime.fromisoformat(events[index - 1]["at"])
        broken[index] = {**events[index], "at": (previous - dt.timedelta(minutes=1)).isoformat()}
    else:
        broken[index] = MUTATIONS[kind](events[index])
    check = validate_history(broken)
    for engine in ("machine", "table"):
        if check.valid:
            Lifecycle.replay(broken, "10 ngày làm việc", engine=engine)  # type: ignore[arg-type]
            continue
        with pytest.raises(BusinessRuleError) as info:
            Lifecycle.replay(broken, "10 ngày làm việc", engine=engine)  # type: ignore[arg-type]
        assert info.value.details["index"] == check.index
        assert check.message.split(": ", 1)[1] in str(info.value)


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


def test_histories_are_varied():
    # The strategy must reach every state, event, finding and timeliness class, both regimes
    # and long histories; a walk that mostly stops at the first event tests nothing.
    from collections import Counter

    from mot_cua.lifecycle import FINDING_CODES, DossierEvent

    finals: Counter[str] = Counter()
    events_seen: Counter[str] = Counter()
    findings: Counter[str] = Counter()
    classes: Counter[str] = Counter()
    regimes: Counter[str] = Counter()
    lengths: list[int] = []

    @settings(
        max_examples=200,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(histories())
    def collect(events: list[dict[str, Any]]) -> None:
        lc = Lifecycle.replay(events, "10 ngày làm việc")
        finals[lc.state] += 1
        events_seen.update(e["event"] for e in events)
        findings.update(f.code for f in lc.findings)
        classes[str(lc.timeliness)] += 1
        regimes[str(lc.regime)] += 1
        lengths.append(len(events))

    collect()
    assert set(finals) == set(TRANSITIONS) - {"new"}
    assert set(events_seen) == {e.value for e in DossierEvent}
    # recorded_mismatch needs a tampered saved history, which the strategy never produces.
    assert set(findings) == set(FINDING_CODES) - {"recorded_mismatch"}
    assert {"early", "late"} <= set(classes)
    assert {"decree-61-2018", "decree-118-2025"} <= set(regimes)
    assert max(finals.values()) < 0.4 * sum(finals.values())
    assert sum(n >= 6 for n in lengths) > 0.3 * len(lengths)
