"""The current state of a dossier as a pure function of its events (no database).

The store calls :func:`project` in the transaction that appends an event, and ``verify`` calls
it again for every dossier: one function, so the two cannot disagree about what a history means.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mot_cua.calendar import WorkingCalendar
from mot_cua.deadlines import DeadlinePolicy, latest_apology_date
from mot_cua.lifecycle import Lifecycle
from mot_cua.limits import TimeLimit

__all__ = ["OPEN_STATES", "PROJECTED", "Meta", "project", "replay"]

#: States in which a received dossier's clock exists and nothing is decided yet.
OPEN_STATES = frozenset({"received", "processing", "awaiting_supplement", "awaiting_payment"})

#: The current-state columns derived from the events (``verify`` compares exactly these).
PROJECTED = (
    "version",
    "status",
    "agency",
    "regime",
    "received_at",
    "due_at",
    "provisional",
    "paused_since",
    "pauses",
    "supplement_rounds",
    "extensions",
    "outcome",
    "timeliness",
    "finished_at",
    "resolved_at",
    "returned_at",
    "stopped_at",
    "withdrawn_at",
    "findings",
    "overdue_from",
    "apology_by",
)

_END_EVENTS = ("resolve", "stop", "withdraw", "refuse")


@dataclass(frozen=True)
class Meta:
    """What a dossier's replay needs besides its events (fixed when the dossier is created).

    Args:
        code: the dossier code.
        time_limit: its procedure's limit.
        agency: the agency that handles it before any transfer.
        calendar: the working calendar.
        policy: the deadline policy.
    """

    code: str
    time_limit: TimeLimit
    agency: str | None
    calendar: WorkingCalendar
    policy: DeadlinePolicy


def replay(meta: Meta, events: Sequence[Mapping[str, Any]]) -> Lifecycle:
    """Replay ``events`` (``{"event", "at", "actor", **payload}``) through the lifecycle.

    Raises:
        TransitionRejected: an event is not allowed where it occurs.
        BusinessRuleError: an event lacks what the law requires.
        InvalidInputError: an unusable event (unknown payload key, unreadable instant, ...).
    """
    return Lifecycle.replay(
        events,
        meta.time_limit,
        engine="table",
        code=meta.code,
        calendar=meta.calendar,
        policy=meta.policy,
    )


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def project(meta: Meta, lc: Lifecycle) -> dict[str, Any]:
    """The current-state columns of a replayed lifecycle (see :data:`PROJECTED`)."""
    history = lc.history
    times: dict[str, dt.datetime] = {}
    rounds: list[list[str | None]] = []
    agency = meta.agency
    paused_since: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    for entry in history:
        event, at = entry.event, entry.at
        if event in ("request_supplement", "request_payment"):
            paused_since = at
            if event == "request_supplement":
                rounds.append([at.isoformat(), None])
        elif event in ("supplement", "confirm_payment"):
            paused_since = None
            if event == "supplement" and rounds and rounds[-1][1] is None:
                rounds[-1][1] = at.isoformat()
        elif event == "transfer":
            agency = str(entry.payload["to_agency"])
        if event in _END_EVENTS and finished_at is None:
            finished_at = at
            paused_since = None
            if rounds and rounds[-1][1] is None:  # the lifecycle closes the pause at the end
                rounds[-1][1] = at.isoformat()
        key = {"refuse": "stop"}.get(event, event)
        if key in ("resolve", "return_result", "stop", "withdraw"):
            times.setdefault(key, at)
    deadline = lc.deadline
    due_at = None if deadline is None else deadline.due_at
    state = lc.state
    received_at = next((e.at for e in history if e.event == "receive"), None)
    is_open = state in OPEN_STATES and finished_at is None and due_at is not None
    supplements = sum(1 for e in history if e.event == "request_supplement")
    extensions = sum(1 for e in history if e.event == "extend")
    overdue_from: dt.datetime | None = None
    apology_by: dt.date | None = None
    if is_open and due_at is not None:
        if supplements > 1:  # Decision 766/QĐ-TTg: more than one request counts as overdue
            overdue_from = received_at
        elif paused_since is None:
            overdue_from = due_at
        if paused_since is None and extensions == 0:
            cal = meta.calendar
            if not meta.policy.worked_saturdays:
                cal = cal.without_worked_saturdays()
            apology_by = latest_apology_date(due_at.date(), calendar=cal)
    return {
        "version": len(history),
        "status": state,
        "agency": agency,
        "regime": None if lc.regime is None else lc.regime.value,
        "received_at": received_at,
        "due_at": due_at,
        "provisional": bool(deadline is not None and deadline.provisional),
        "paused_since": paused_since,
        "pauses": [[_iso(p.start), _iso(p.end), p.label] for p in lc.pauses],
        "supplement_rounds": rounds,
        "extensions": extensions,
        "outcome": lc.outcome,
        "timeliness": None if lc.timeliness is None else lc.timeliness.value,
        "finished_at": finished_at,
        "resolved_at": times.get("resolve"),
        "returned_at": times.get("return_result"),
        "stopped_at": times.get("stop"),
        "withdrawn_at": times.get("withdraw"),
        "findings": [f.model_dump(mode="json") for f in lc.findings],
        "overdue_from": overdue_from,
        "apology_by": apology_by,
    }
