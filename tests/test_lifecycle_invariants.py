"""Hypothesis invariants of the lifecycle (issue 8 items 14, 17, 19 and the replay round trip)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mot_cua.errors import MotCuaError
from mot_cua.lifecycle import Lifecycle, allowed_events, validate_history
from mot_cua.models import HistoryEntry
from mot_cua.testing import histories
from tests.conftest import vn

LIMIT = "10 ngày làm việc"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def _save(lc: Lifecycle) -> list[dict[str, Any]]:
    """What a portal stores: the history as JSON text, read back."""
    text = json.dumps([e.model_dump(mode="json") for e in lc.history], ensure_ascii=False)
    loaded: list[dict[str, Any]] = json.loads(text)
    return loaded


@SETTINGS
@given(events=histories())
def test_replay_of_a_saved_history_is_the_history(events: list[dict[str, Any]]) -> None:
    lc = Lifecycle.replay(events, LIMIT)
    saved = _save(lc)
    for engine in ("machine", "table"):
        again = Lifecycle.replay(saved, LIMIT, engine=engine, strict=True)  # type: ignore[arg-type]
        assert again.history == lc.history
        assert again.to_dict() == lc.to_dict()
        assert [HistoryEntry.model_validate(e) for e in saved] == list(again.history)
    assert validate_history(saved).valid
    assert validate_history(saved).state == lc.state


@SETTINGS
@given(
    events=histories(max_events=6),
    index=st.integers(0, 5),
    field=st.sampled_from(["to_status", "due_at"]),
)
def test_a_tampered_saved_history_is_never_replayed_silently(
    events: list[dict[str, Any]], index: int, field: str
) -> None:
    lc = Lifecycle.replay(events, LIMIT)
    saved = _save(lc)
    index %= len(saved)
    entry = saved[index]
    if field == "to_status":
        entry["to_status"] = "returned" if entry["to_status"] != "returned" else "received"
    else:
        entry["due_at"] = "2099-12-31T17:00:00+07:00"
    try:
        again = Lifecycle.replay(saved, LIMIT)
    except MotCuaError:
        return  # e.g. the tampered entry is no longer a valid entry
    assert any(f.code == "recorded_mismatch" and f.event_index == index for f in again.findings)
    with pytest.raises(MotCuaError):
        Lifecycle.replay(saved, LIMIT, strict=True)


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.binary(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(dt.date(2025, 3, 3)),
    st.just(dt.datetime(2025, 3, 3, 9)),  # naive
)


@SETTINGS
@given(
    key=st.sampled_from(["actor", "reason", "missing", "outcome", "new_due_at", "to_agency",
                         "from_agency", "to_level", "note", "colour"]),
    event=st.sampled_from(["receive", "refuse", "request_completion", "transfer", "extend"]),
    value=JUNK,
)  # fmt: skip
def test_send_with_junk_raises_only_our_errors(key: str, event: str, value: Any) -> None:
    lc = Lifecycle(LIMIT, code="FUZZ")
    if event in ("transfer", "extend"):
        lc.send("receive", at=vn(2025, 3, 3, 9), actor="desk")
    kwargs: dict[str, Any] = {"actor": "desk", key: value}
    try:
        lc.send(event, at=vn(2025, 3, 4, 9), **kwargs)
    except MotCuaError:
        return


@SETTINGS
@given(item=st.dictionaries(st.sampled_from(["event", "at", "actor", "payload", "to_status",
                                             "from_status", "due_at", "reason", "x"]), JUNK,
                            max_size=5))  # fmt: skip
def test_replay_and_validate_history_raise_only_our_errors(item: dict[str, Any]) -> None:
    events = [{"event": "receive", "at": "2025-03-03T09:00+07:00"}, item]
    for call in (
        lambda: Lifecycle.replay(events, LIMIT),
        lambda: Lifecycle.replay(events, LIMIT, engine="table"),
        lambda: validate_history(events),
    ):
        with contextlib.suppress(MotCuaError):
            call()


@SETTINGS
@given(junk=JUNK)
def test_public_lifecycle_functions_raise_only_our_errors(junk: Any) -> None:
    for call in (
        lambda: Lifecycle(junk),
        lambda: Lifecycle(LIMIT, regime=junk) if junk is not None else None,
        lambda: Lifecycle(LIMIT, apology_reading=junk),
        lambda: Lifecycle.replay(junk, LIMIT),
        lambda: Lifecycle.replay([junk], LIMIT),
        lambda: validate_history([junk]),
        lambda: validate_history(["receive"], start=junk),
        lambda: allowed_events(junk),
    ):
        with contextlib.suppress(MotCuaError):
            call()


@SETTINGS
@given(junk=JUNK)
def test_more_public_lifecycle_entry_points_raise_only_our_errors(junk: Any) -> None:
    from mot_cua.catalog import check_location
    from mot_cua.lifecycle import Regime, transition_table

    for call in (
        lambda: Lifecycle.for_dossier(junk, LIMIT),
        lambda: transition_table(junk),
        lambda: Regime.for_date(junk) if not isinstance(junk, dt.date) else None,
        lambda: check_location(junk),
        lambda: Lifecycle(LIMIT).send(str(junk), at=vn(2025, 3, 3, 9)),
        lambda: Lifecycle(LIMIT).send("receive", at=junk),
    ):
        with contextlib.suppress(MotCuaError):
            call()
