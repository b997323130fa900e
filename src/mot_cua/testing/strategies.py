"""Hypothesis strategies for dossier histories (Hypothesis is imported only when called).

:func:`histories` draws legal histories in the replay-file format (``{"event", "at", ...}``),
:func:`invalid_histories` draws ``(history, index)`` pairs whose event at ``index`` is the first
illegal one. Use them to property-test your own code against mot_cua's lifecycle::

    from hypothesis import given
    from mot_cua.testing import histories

    @given(histories())
    def test_my_portal_accepts(events): ...

Dates stay inside 2025–2026 (the official calendar years), so no provisional warning fires.
The strategies use the real Vietnamese calendar (:meth:`WorkingCalendar.vietnam`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from mot_cua.calendar import WorkingCalendar
from mot_cua.lifecycle import NEW, TRANSITIONS, DossierEvent, Lifecycle
from mot_cua.timezone import VN_TZ

if TYPE_CHECKING:
    from hypothesis.strategies import DrawFn, SearchStrategy

__all__ = ["histories", "invalid_histories"]

_FIRST = dt.datetime(2025, 1, 6, 8, 0, tzinfo=VN_TZ)
_REGIME_SWITCH_DAYS = (175, 176)  # Mon 30/06/2025 and Tue 01/07/2025 (mot_cua rules §1)
_ALL_EVENTS = tuple(e.value for e in DossierEvent)
_LIMIT = "10 ngày làm việc"


def _hypothesis() -> Any:
    try:
        from hypothesis import strategies
    except ImportError as exc:  # pragma: no cover - exercised by a subprocess test
        raise ImportError(
            "mot_cua.testing.histories() needs Hypothesis: pip install hypothesis "
            "(or mot_cua[test]); the rest of mot_cua.testing works without it"
        ) from exc
    return strategies


def _gap(draw: DrawFn, st: Any) -> dt.timedelta:
    """Minutes to days between events, so that dossiers finish early, on time or late."""
    minutes = draw(
        st.one_of(
            st.integers(0, 3 * 60),  # the same session
            st.integers(0, 5 * 24 * 60),  # a few days
            st.integers(5 * 24 * 60, 12 * 24 * 60),  # long enough to miss a 10-day limit
        )
    )
    return dt.timedelta(minutes=minutes)


def _payload(draw: DrawFn, st: Any, event: str, lc: Lifecycle, at: dt.datetime) -> dict[str, Any]:
    reason = "Lý do kiểm thử"
    if event == "refuse":
        return {"reason": reason}
    if event in ("stop", "withdraw"):
        # A stop needs reasons only under Decree 118/2025; a withdrawal never does.
        needed = event == "stop" and lc.regime is not None and lc.regime.stop_notice_required
        return {"reason": reason} if needed or draw(st.booleans()) else {}
    if event in ("request_completion", "request_supplement"):
        items = ["Tờ khai", "Bản sao CCCD", "Ảnh 4x6"]
        return {"missing": draw(st.lists(st.sampled_from(items), min_size=1, max_size=3))}
    if event == "resolve":
        outcome = draw(st.sampled_from(["approved", "denied"]))
        return (
            {"outcome": outcome, "reason": reason} if outcome == "denied" else {"outcome": outcome}
        )
    if event == "extend":
        due = lc.due_at
        if due is None:  # pragma: no cover - extend is legal only once received
            raise AssertionError("extend drawn before a due date exists")
        later = max(due, at) + dt.timedelta(days=draw(st.integers(1, 20)))
        # An appointment is a working day (the lifecycle refuses a day off).
        day = WorkingCalendar.vietnam().roll_forward(later.date())
        new_due = dt.datetime.combine(day, dt.time(17), tzinfo=VN_TZ)
        return {"reason": reason, "new_due_at": new_due.isoformat()}
    if event == "transfer":
        payload: dict[str, Any] = {"to_agency": draw(st.sampled_from(["so-tu-phap", "ubnd-xa"]))}
        if draw(st.booleans()):  # parallel hand-overs name who hands over
            payload["from_agency"] = draw(st.sampled_from(["mot-cua", "ubnd-xa"]))
        if lc.regime is not None and draw(st.booleans()):
            payload["to_level"] = draw(st.sampled_from(lc.regime.levels))
        return payload
    return {}


def histories(*, max_events: int = 12) -> SearchStrategy[list[dict[str, Any]]]:
    """Legal histories: walks over :data:`~mot_cua.lifecycle.TRANSITIONS` from ``new``.

    The walk draws a length first and avoids final states until it is reached, so long
    histories (pauses, extensions, results returned) are common. Events are minutes to 12 days
    apart, in time order, and start between January and November 2025 (often on 30/06 or
    01/07/2025, either side of the regime switch). Each history is run through a
    :class:`~mot_cua.lifecycle.Lifecycle` with a limit of 10 working days while it is drawn, so
    new dates of extensions are later than the due date and every rule holds; compliance
    findings (late apology, second extension, repeated guidance and supplement) do occur.
    Replay them with that limit or a shorter one.

    Raises:
        ImportError: Hypothesis is not installed.
    """
    st = _hypothesis()

    @st.composite  # type: ignore[untyped-decorator]
    def build(draw: DrawFn) -> list[dict[str, Any]]:
        day = draw(st.one_of(st.integers(0, 320), st.sampled_from(_REGIME_SWITCH_DAYS)))
        at = _FIRST + dt.timedelta(days=day, minutes=draw(st.integers(0, 9 * 60)))
        length = draw(st.integers(1, max_events))
        lc = Lifecycle(_LIMIT, code="HYPOTHESIS")
        events: list[dict[str, Any]] = []
        while len(events) < length and TRANSITIONS[lc.state]:
            row = TRANSITIONS[lc.state]
            names = sorted(row)
            if len(events) < length - 1:  # keep walking: prefer events that do not end it
                names = [e for e in names if TRANSITIONS[row[e]]] or names
            if sum(e["event"] == "extend" for e in events) >= 2:  # two show the finding
                names = [e for e in names if e != "extend"] or names
            event = draw(st.sampled_from(names))
            at += _gap(draw, st)
            actor = draw(st.sampled_from(["system", "desk", "handler", "citizen"]))
            payload = _payload(draw, st, event, lc, at)
            lc.send(event, at=at, actor=actor, **payload)
            events.append({"event": event, "at": at.isoformat(), "actor": actor, **payload})
        return events

    return build()  # type: ignore[no-any-return]


def invalid_histories(*, max_events: int = 12) -> SearchStrategy[tuple[list[dict[str, Any]], int]]:
    """``(history, index)``: a legal prefix followed by an event illegal in its state.

    The illegal event is a known event not allowed there, or an unknown name.

    Raises:
        ImportError: Hypothesis is not installed.
    """
    st = _hypothesis()

    @st.composite  # type: ignore[untyped-decorator]
    def build(draw: DrawFn) -> tuple[list[dict[str, Any]], int]:
        valid = draw(histories(max_events=max_events))
        index = draw(st.integers(0, len(valid)))
        state = NEW
        for item in valid[:index]:
            state = TRANSITIONS[state][item["event"]]
        illegal = [e for e in _ALL_EVENTS if e not in TRANSITIONS[state]] + ["archive"]
        event = draw(st.sampled_from(illegal))
        at = valid[index - 1]["at"] if index else _FIRST.isoformat()
        return [*valid[:index], {"event": event, "at": at}], index

    return build()  # type: ignore[no-any-return]
