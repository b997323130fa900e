"""Hypothesis strategies for dossier histories (Hypothesis is imported only when called).

:func:`histories` draws legal histories in the replay-file format (``{"event", "at", ...}``),
:func:`invalid_histories` draws ``(history, index)`` pairs whose event at ``index`` is the first
illegal one. Use them to property-test your own code against mot_cua's lifecycle::

    from hypothesis import given
    from mot_cua.testing import histories

    @given(histories())
    def test_my_portal_accepts(events): ...

Dates stay inside 2025–2026 (the official calendar years), so no provisional warning fires.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from mot_cua.lifecycle import NEW, TRANSITIONS, DossierEvent
from mot_cua.timezone import VN_TZ

if TYPE_CHECKING:
    from hypothesis.strategies import DrawFn, SearchStrategy

__all__ = ["histories", "invalid_histories"]

_FIRST = dt.datetime(2025, 1, 6, 8, 0, tzinfo=VN_TZ)
_EXTENDED_TO = dt.datetime(2026, 9, 1, 17, 0, tzinfo=VN_TZ)
_ALL_EVENTS = tuple(e.value for e in DossierEvent)


def _hypothesis() -> Any:
    try:
        from hypothesis import strategies
    except ImportError as exc:  # pragma: no cover - exercised by a subprocess test
        raise ImportError(
            "mot_cua.testing.histories() needs Hypothesis: pip install hypothesis "
            "(or mot_cua[test]); the rest of mot_cua.testing works without it"
        ) from exc
    return strategies


def _payload(draw: DrawFn, st: Any, event: str, extensions: int) -> dict[str, Any]:
    reason = "Lý do kiểm thử"
    if event in ("refuse", "stop", "withdraw"):
        return {"reason": reason}
    if event in ("request_completion", "request_supplement"):
        return {
            "missing": draw(
                st.lists(st.sampled_from(["Tờ khai", "Bản sao CCCD"]), min_size=1, max_size=2)
            )
        }
    if event == "resolve":
        outcome = draw(st.sampled_from(["approved", "denied"]))
        return (
            {"outcome": outcome, "reason": reason} if outcome == "denied" else {"outcome": outcome}
        )
    if event == "extend":
        new_due = _EXTENDED_TO + dt.timedelta(days=7 * extensions)
        return {"reason": reason, "new_due_at": new_due.isoformat()}
    if event == "transfer":
        return {"to_agency": draw(st.sampled_from(["so-tu-phap", "ubnd-xa"]))}
    return {}


def histories(*, max_events: int = 12) -> SearchStrategy[list[dict[str, Any]]]:
    """Legal histories: random walks over :data:`~mot_cua.lifecycle.TRANSITIONS` from ``new``.

    Events are 0–3 days apart, start between January and November 2025 (both legal regimes),
    and carry every payload the rules require. Replay them with a limit of up to 10 working days.

    Raises:
        ImportError: Hypothesis is not installed.
    """
    st = _hypothesis()

    @st.composite  # type: ignore[untyped-decorator]
    def build(draw: DrawFn) -> list[dict[str, Any]]:
        at = _FIRST + dt.timedelta(days=draw(st.integers(0, 320)), hours=draw(st.integers(0, 9)))
        state, extensions = NEW, 0
        events: list[dict[str, Any]] = []
        for _ in range(draw(st.integers(1, max_events))):
            row = TRANSITIONS[state]
            if not row:
                break
            event = draw(st.sampled_from(sorted(row)))
            at += dt.timedelta(minutes=draw(st.integers(0, 3 * 24 * 60)))
            events.append(
                {"event": event, "at": at.isoformat(), **_payload(draw, st, event, extensions)}
            )
            extensions += event == "extend"
            state = row[event]
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
