"""Test helpers for portals that embed mot_cua: a frozen clock, a fixed calendar, factories,
assertions and (with Hypothesis installed) strategies producing dossier histories.

Nothing here reads the system clock or depends on the ``holidays`` package's data: tests that
use these helpers give the same answers on every machine and every year.

>>> import datetime as dt
>>> from mot_cua.testing import FrozenClock, assert_allowed, assert_rejected, make_lifecycle
>>> clock = FrozenClock(dt.datetime(2025, 3, 3, 9, 0, tzinfo=VN_TZ))
>>> lc = make_lifecycle("3 ngày làm việc", clock=clock)
>>> _ = lc.send("receive")
>>> assert_allowed(lc, "start", "withdraw")
>>> str(assert_rejected(lc, "resolve", outcome="approved")).split(":")[0]
'dossier TEST-250303-0001'

The pytest plugin (:mod:`mot_cua.testing.plugin`, registered as the ``mot_cua`` entry point)
offers the same helpers as fixtures: ``mot_cua_clock``, ``mot_cua_calendar``,
``mot_cua_dossier``, ``mot_cua_lifecycle``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from mot_cua.calendar import DayInfo, DayKind, WorkingCalendar
from mot_cua.deadlines import compute_due
from mot_cua.errors import BusinessRuleError, InvalidInputError, TransitionRejected, brief
from mot_cua.lifecycle import _EVENT_NAMES, Lifecycle, _check_option_names, allowed_events
from mot_cua.limits import TimeLimit
from mot_cua.models import Dossier, DossierStatus
from mot_cua.testing.strategies import histories, invalid_histories
from mot_cua.timezone import VN_TZ, ensure_aware

__all__ = [
    "DEFAULT_NOW",
    "FrozenClock",
    "assert_allowed",
    "assert_rejected",
    "fixed_calendar",
    "histories",
    "invalid_histories",
    "make_dossier",
    "make_lifecycle",
]

#: The instant a :class:`FrozenClock` shows by default: Mon 03/03/2025 09:00 (a Monday receipt).
DEFAULT_NOW = dt.datetime(2025, 3, 3, 9, 0, tzinfo=VN_TZ)


class FrozenClock:
    """A clock that stands still until told to move; pass it wherever mot_cua takes ``clock=``.

    >>> clock = FrozenClock(dt.datetime(2025, 3, 3, 9, 0, tzinfo=VN_TZ))
    >>> clock.advance(days=4, hours=7).isoformat()
    '2025-03-07T16:00:00+07:00'
    >>> clock().isoformat()
    '2025-03-07T16:00:00+07:00'
    """

    def __init__(self, now: dt.datetime = DEFAULT_NOW) -> None:
        self._now = ensure_aware(now, name="now")

    def __call__(self) -> dt.datetime:
        """The current frozen instant."""
        return self._now

    def set(self, now: dt.datetime) -> dt.datetime:
        """Move to ``now`` (aware) and return it."""
        self._now = ensure_aware(now, name="now")
        return self._now

    def advance(self, **delta: float) -> dt.datetime:
        """Move forward by a :class:`datetime.timedelta` given as keywords; return the new now.

        Raises:
            InvalidInputError: the step is negative (a clock does not go back; use :meth:`set`),
                or not a finite time step.
        """
        try:
            step = dt.timedelta(**delta)
            moved = self._now + step
        except (TypeError, OverflowError, ValueError) as exc:  # ValueError: nan
            raise InvalidInputError(
                f"advance({brief(delta)}) is not a time step: give timedelta keywords with "
                f"finite numbers, e.g. advance(days=1, hours=2) ({exc})"
            ) from None
        if step < dt.timedelta(0):
            raise InvalidInputError(
                f"advance({delta}) goes back in time; use FrozenClock.set() to jump backwards"
            )
        self._now = moved
        return self._now

    def __repr__(self) -> str:
        return f"FrozenClock({self._now.isoformat()})"


def fixed_calendar(
    *,
    first_year: int = 2024,
    last_year: int = 2026,
    days_off: Iterable[dt.date] = (),
    worked_days: Iterable[dt.date] = (),
) -> WorkingCalendar:
    """A calendar that never changes: Monday–Friday, plus exactly the exceptions you list.

    Unlike :meth:`WorkingCalendar.vietnam`, it does not follow updates of the ``holidays``
    package or of mot_cua's override table, and every year is official (no provisional
    warnings).

    >>> cal = fixed_calendar(days_off=[dt.date(2025, 3, 4)])
    >>> cal.add_working_days(dt.date(2025, 3, 3), 2)
    datetime.date(2025, 3, 6)
    """
    days_off = _dates(days_off, "days_off")
    worked_days = _dates(worked_days, "worked_days")
    special = [
        DayInfo(
            date=d,
            working=False,
            kind=DayKind.CLOSURE,
            label="Ngày nghỉ (lịch kiểm thử)",
            label_en="day off (test calendar)",
            source="mot_cua.testing.fixed_calendar",
        )
        for d in days_off
    ] + [
        DayInfo(
            date=d,
            working=True,
            kind=DayKind.WORKED_DAY,
            label="Ngày làm việc (lịch kiểm thử)",
            label_en="worked day (test calendar)",
            source="mot_cua.testing.fixed_calendar",
        )
        for d in worked_days
    ]
    return WorkingCalendar(
        first_year=first_year, last_year=last_year, special_days=special, name="fixed"
    )


def _dates(value: object, name: str) -> list[dt.date]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidInputError(
            f"{name} must be a list of dates, not {brief(value, 60)}", field=name
        )
    found = list(value)
    for d in found:
        if not isinstance(d, dt.date) or isinstance(d, dt.datetime):
            raise InvalidInputError(
                f"{name} must hold datetime.date values, not {brief(d, 60)}", field=name
            )
    return found


def make_dossier(**overrides: Any) -> Dossier:
    """A valid :class:`~mot_cua.models.Dossier` with sensible defaults; override any field.

    A status reached through reception gets ``received_at`` (the submission instant) and,
    while the dossier runs, a ``deadline`` of "10 ngày làm việc" from it, unless given: a
    received dossier always carries its appointment.

    >>> make_dossier(channel="online").channel.national_code
    2
    >>> make_dossier(status="processing").deadline.due_at.isoformat()
    '2025-03-17T17:00:00+07:00'
    """
    data: dict[str, Any] = {
        "code": "TEST-250303-0001",
        "procedure_id": "test.procedure",
        "applicant": {"kind": "citizen", "name": "Nguyễn Văn A", "cccd": "001099012345"},
        "channel": "in_person",
        "receiving_unit": "test-unit",
        "submitted_at": DEFAULT_NOW,
        "status": DossierStatus.SUBMITTED,
    }
    data.update(overrides)
    status = str(data.get("status") or "submitted")
    if not isinstance(data.get("submitted_at"), dt.datetime):
        return Dossier.from_dict(data)  # reports the bad field
    if status not in ("submitted", "refused", "withdrawn"):
        data.setdefault("received_at", data["submitted_at"])
        running = status in ("received", "processing", "awaiting_supplement", "awaiting_payment")
        if running and data.get("deadline") is None and data.get("received_at") is not None:
            at = ensure_aware(data["received_at"], name="received_at")
            data["deadline"] = compute_due(at, "10 ngày làm việc")
    return Dossier.from_dict(data)


def make_lifecycle(
    time_limit: TimeLimit | str = "10 ngày làm việc",
    *,
    clock: FrozenClock | None = None,
    code: str = "TEST-250303-0001",
    **options: Any,
) -> Lifecycle:
    """A :class:`~mot_cua.lifecycle.Lifecycle` on a frozen clock (default :data:`DEFAULT_NOW`).

    ``options`` are the keyword arguments of :class:`Lifecycle` (``calendar``, ``policy``...);
    the calendar defaults to the real Vietnamese one so due dates match the worked examples of
    mot_cua rules.

    Raises:
        InvalidInputError: an unknown option, or one :class:`Lifecycle` refuses.
    """
    _check_option_names(options, "make_lifecycle")
    return Lifecycle(time_limit, code=code, clock=clock or FrozenClock(), **options)


def _allowed_of(subject: Lifecycle | DossierStatus | str) -> tuple[str, tuple[str, ...]]:
    if isinstance(subject, Lifecycle):
        return subject.state, subject.allowed_events
    return subject if isinstance(subject, str) else brief(subject), allowed_events(subject)


def _check_event_names(events: tuple[object, ...]) -> None:
    for i, event in enumerate(events):
        if not isinstance(event, str) or event not in _EVENT_NAMES:
            raise InvalidInputError(
                f"unknown event {brief(event)}; events: {', '.join(sorted(_EVENT_NAMES))}",
                field=f"events[{i}]",
            )


def assert_allowed(subject: Lifecycle | DossierStatus | str, *events: str) -> None:
    """Assert that every event is allowed in the lifecycle's (or the given) state.

    >>> assert_allowed("resolved", "return_result")
    >>> assert_allowed("resolved", "withdraw")
    Traceback (most recent call last):
    ...
    AssertionError: event(s) withdraw not allowed in state 'resolved'; allowed: return_result

    A name that is no lifecycle event at all is a mistake in the test, not a failed assertion:

    >>> assert_allowed("resolved", "retrun_result")
    Traceback (most recent call last):
    ...
    mot_cua.errors.InvalidInputError: unknown event 'retrun_result'; events: confirm_payment, ...

    Raises:
        AssertionError: a known event is not allowed in that state.
        InvalidInputError: an unknown state, or an event that is not a lifecycle event name.
    """
    _check_event_names(events)
    state, allowed = _allowed_of(subject)
    missing = [e for e in events if e not in allowed]
    if missing:
        raise AssertionError(
            f"event(s) {', '.join(missing)} not allowed in state {brief(state)}; allowed: "
            f"{', '.join(allowed) or 'none'}"
        )


def assert_rejected(
    lifecycle: Lifecycle,
    event: str,
    *,
    match: str | None = None,
    at: dt.datetime | None = None,
    actor: str = "test",
    **payload: Any,
) -> TransitionRejected | BusinessRuleError:
    """Assert that ``event`` is rejected and leaves the lifecycle unchanged; return the error.

    Args:
        lifecycle: the lifecycle under test.
        event: the event to send.
        match: a substring the error message must contain.
        at: when (default: the lifecycle's clock).
        actor: who.
        **payload: the event's payload.
    """
    if not isinstance(lifecycle, Lifecycle):
        raise InvalidInputError(
            f"assert_rejected needs a Lifecycle, not {type(lifecycle).__name__}",
            field="lifecycle",
        )
    before = (lifecycle.state, len(lifecycle.history), lifecycle.deadline)
    try:
        lifecycle.send(event, at=at, actor=actor, **payload)
    except (TransitionRejected, BusinessRuleError) as exc:
        if match is not None and match not in str(exc):
            raise AssertionError(
                f"{brief(event)} was rejected, but {brief(match)} is not in: {exc}"
            ) from exc
        after = (lifecycle.state, len(lifecycle.history), lifecycle.deadline)
        if after != before:
            raise AssertionError(f"{brief(event)} was rejected but changed the lifecycle") from exc
        return exc
    raise AssertionError(
        f"{brief(event)} was accepted in state {brief(before[0])}; expected TransitionRejected or "
        "BusinessRuleError"
    )
