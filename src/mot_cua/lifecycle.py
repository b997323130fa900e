"""The dossier lifecycle: which transitions are legal, and what each one does to the due date.

One authority for portals: a python-statemachine :class:`DossierMachine` declares the states of
mot_cua rules §6 (with their national status codes) and the events between them; the
:class:`Lifecycle` wires it to the deadline engine and keeps an append-only history.

Legal frame (mot_cua rules §1, §3, §5, §6, §8):

* **Reception** (Decree 61/2018/NĐ-CP, forms of Circular 01/2018/TT-VPCP): a complete
  dossier is received with a receipt and an appointment (form 01) and the clock starts; an
  incomplete one gets written guidance **once** (form 02), is *not* received and no clock runs;
  a refusal states its reasons (form 03).
* **Supplements and financial obligations** (Decree 61/2018/NĐ-CP; Decision 766/QĐ-TTg): the
  clock pauses when the applicant is notified and resumes (or restarts, by
  :attr:`~mot_cua.deadlines.DeadlinePolicy.pause_policy`) when the supplement or payment arrives.
  A supplement is requested **once**; a second request is recorded as a finding and makes the
  dossier count as overdue (Decision 766/QĐ-TTg).
* **Apology with a new date** (Decree 61/2018/NĐ-CP; form 04 of Circular 01/2018/TT-VPCP, renamed
  "apology and request to extend" by Circular 03/2025/TT-VPCP): no later than one working day
  before the due date, at most once. Late or second apologies are recorded as findings.
* **Stop** (dừng giải quyết): from 1 July 2025 a written stop notice with reasons is required
  (Decree 118/2025/NĐ-CP, form of Circular 03/2025/TT-VPCP).

Strict behaviour: an impossible or unknown event raises :class:`~mot_cua.errors.TransitionRejected`
naming the dossier, the state, the event and the allowed events; a transition missing what the law
requires, or dated before the previous event, raises :class:`~mot_cua.errors.BusinessRuleError`
saying what is missing and naming the event's index. :func:`validate_history` applies the same
rules (those that need no clock) with the same messages.

A machine costs ~220 µs to build, so none is kept per dossier: :meth:`Lifecycle.send` builds one
per command, and :data:`TRANSITIONS` (derived from the machine class) answers bulk questions.

>>> import datetime as dt
>>> from mot_cua import VN_TZ
>>> lc = Lifecycle("10 ngày làm việc", code="H29-250303-0001")
>>> _ = lc.send("receive", at=dt.datetime(2025, 3, 3, 9, 0, tzinfo=VN_TZ), actor="desk")
>>> lc.status.value, lc.status.national_code, lc.due_at.isoformat()
('received', 2, '2025-03-17T17:00:00+07:00')
>>> lc.allowed_events
('extend', 'start', 'stop', 'transfer', 'withdraw')
>>> lc.send("resolve", at=dt.datetime(2025, 3, 4, 9, 0, tzinfo=VN_TZ))
Traceback (most recent call last):
...
mot_cua.errors.TransitionRejected: dossier H29-250303-0001: event 'resolve' (#1) is not allowed ...
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, JsonValue, ValidationError
from statemachine import State, StateMachine
from statemachine.exceptions import TransitionNotAllowed

from mot_cua.calendar import UncertainDay, WorkingCalendar
from mot_cua.deadlines import (
    DeadlinePolicy,
    Pause,
    compute_due,
    latest_apology_date,
    timeliness,
)
from mot_cua.errors import (
    BusinessRuleError,
    ComplianceWarning,
    InvalidInputError,
    NaiveDatetimeError,
    TransitionRejected,
    brief,
)
from mot_cua.limits import Deadline, TimeLimit, Timeliness
from mot_cua.models import Dossier, DossierStatus, HistoryEntry, format_validation_error
from mot_cua.timezone import VN_TZ, ensure_aware

__all__ = [
    "FINDING_CODES",
    "NEW",
    "PAYLOAD_KEYS",
    "TRANSITIONS",
    "DossierEvent",
    "DossierMachine",
    "Finding",
    "HistoryCheck",
    "Lifecycle",
    "Regime",
    "allowed_events",
    "lifecycle_mermaid",
    "transition_table",
    "validate_history",
]

#: The state before the first event: nothing filed yet (no national status code).
NEW = "new"

#: Payload keys an event may carry (besides ``event``, ``at`` and ``actor``). ``from_agency``
#: and ``to_agency`` of a ``transfer`` are what :func:`mot_cua.routing.handovers_from_history`
#: reads: give ``from_agency`` for parallel hand-overs (lead → police, then lead → insurance).
PAYLOAD_KEYS = frozenset(
    {"reason", "missing", "outcome", "new_due_at", "to_agency", "from_agency", "to_level", "note"}
)
#: Payload keys whose value is text.
_TEXT_KEYS = frozenset({"reason", "outcome", "to_agency", "from_agency", "to_level", "note"})
#: Keys of a recorded :class:`~mot_cua.models.HistoryEntry` besides its payload.
_ENTRY_KEYS = frozenset(
    {"event", "at", "actor", "from_status", "to_status", "note", "payload", "due_at"}
)
_STATUS_VALUES = frozenset(s.value for s in DossierStatus)

_REGIME_118_FROM = dt.date(2025, 7, 1)
_ALL_LEVELS = ("ministry", "province", "district", "commune")


class Regime(StrEnum):
    """The legal regime a dossier is handled under (mot_cua rules §1).

    Chosen from the receipt date (before receipt: the date of the first event) unless fixed.

    >>> Regime.for_date(dt.date(2025, 6, 30)).value, Regime.for_date(dt.date(2025, 7, 1)).value
    ('decree-61-2018', 'decree-118-2025')
    >>> Regime.DECREE_118_2025.levels
    ('ministry', 'province', 'commune')
    """

    DECREE_61_2018 = "decree-61-2018"
    DECREE_118_2025 = "decree-118-2025"

    @classmethod
    def for_date(cls, day: dt.date) -> Regime:
        """Decree 61/2018 until 30/06/2025, Decree 118/2025 from 01/07/2025 (mot_cua rules §1).

        Raises:
            InvalidInputError: ``day`` is not a date.
        """
        if isinstance(day, dt.datetime):
            day = day.astimezone(VN_TZ).date() if day.tzinfo is not None else day.date()
        if not isinstance(day, dt.date):
            raise InvalidInputError(
                f"Regime.for_date needs a datetime.date, not {brief(day, 60)}", field="day"
            )
        return cls.DECREE_118_2025 if day >= _REGIME_118_FROM else cls.DECREE_61_2018

    @classmethod
    def _parse(cls, value: Regime | str) -> Regime:
        try:
            return cls(value)
        except ValueError:
            raise InvalidInputError(
                f"regime {brief(value)} is unknown; use one of: {', '.join(r.value for r in cls)}",
                field="regime",
                value=value,
            ) from None

    @property
    def label(self) -> str:
        """Vietnamese name of the governing decree."""
        if self is Regime.DECREE_61_2018:
            return "Nghị định 61/2018/NĐ-CP"
        return "Nghị định 118/2025/NĐ-CP"

    @property
    def apology_form(self) -> str:
        """The extension form: form 04 of Circular 01/2018, renamed by Circular 03/2025."""
        if self is Regime.DECREE_61_2018:
            return "Phiếu xin lỗi và hẹn lại ngày trả kết quả (mẫu 04, Thông tư 01/2018/TT-VPCP)"
        return "Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết (Thông tư 03/2025/TT-VPCP)"

    @property
    def stop_notice_required(self) -> bool:
        """Whether ``stop`` needs a written notice with reasons (Circular 03/2025/TT-VPCP)."""
        return self is Regime.DECREE_118_2025

    @property
    def levels(self) -> tuple[str, ...]:
        """Authority levels that exist (districts were abolished on 1 July 2025)."""
        if self is Regime.DECREE_61_2018:
            return ("ministry", "province", "district", "commune")
        return ("ministry", "province", "commune")


class DossierEvent(StrEnum):
    """The lifecycle events, with Vietnamese labels.

    >>> DossierEvent.REQUEST_SUPPLEMENT.label
    'Yêu cầu bổ sung hồ sơ'
    """

    SUBMIT = "submit"
    REQUEST_COMPLETION = "request_completion"
    RECEIVE = "receive"
    REFUSE = "refuse"
    START = "start"
    TRANSFER = "transfer"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT = "supplement"
    REQUEST_PAYMENT = "request_payment"
    CONFIRM_PAYMENT = "confirm_payment"
    EXTEND = "extend"
    RESOLVE = "resolve"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"
    STOP = "stop"

    @property
    def label(self) -> str:
        """Vietnamese label."""
        return _EVENT_LABELS[self.value]


_EVENT_LABELS = {
    "submit": "Nộp hồ sơ",
    "request_completion": "Hướng dẫn bổ sung, hoàn thiện hồ sơ",
    "receive": "Tiếp nhận hồ sơ",
    "refuse": "Từ chối tiếp nhận",
    "start": "Phân công xử lý",
    "transfer": "Chuyển hồ sơ",
    "request_supplement": "Yêu cầu bổ sung hồ sơ",
    "supplement": "Nhận hồ sơ bổ sung",
    "request_payment": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "confirm_payment": "Xác nhận hoàn thành nghĩa vụ tài chính",
    "extend": "Xin lỗi và hẹn lại ngày trả kết quả",
    "resolve": "Giải quyết xong",
    "return_result": "Trả kết quả",
    "withdraw": "Rút hồ sơ",
    "stop": "Dừng giải quyết",
}


class Finding(BaseModel):
    """A compliance finding recorded on the dossier (not silently accepted; mot_cua rules §5, §8).

    ``code`` is stable (portals may store and filter on it; see :data:`FINDING_CODES`):
    ``repeated_guidance`` (a second desk guidance, form 02), ``repeated_supplement`` (a second
    supplement request; the dossier counts as overdue, Decision 766/QĐ-TTg), ``late_apology``
    (apology later than the last allowed day before the due date), ``second_extension``
    (Decree 61/2018/NĐ-CP allows one apology with a new date), ``recorded_mismatch`` (a replayed
    history entry records a status or due moment other than the one recomputed: a tampered or
    differently computed history). ``event_index`` and ``at`` locate the event that caused it;
    ``basis`` names the rule.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    message: str
    event_index: int
    at: dt.datetime
    basis: str


#: The stable finding codes and what each means (also in docs/lifecycle.md).
FINDING_CODES: Mapping[str, str] = {
    "late_apology": "apology with a new date issued after the last allowed day before the due date",
    "recorded_mismatch": "a replayed entry records another status or due moment than recomputed",
    "repeated_guidance": "desk guidance (form 02) given more than once",
    "repeated_supplement": "more than one supplement request; the dossier counts as overdue",
    "second_extension": "more than one apology with a new date",
}


# --------------------------------------------------------------------------------------------
# The machine
# --------------------------------------------------------------------------------------------

_CB: dict[str, Any] = {"validators": "check_rules", "on": "apply_effects"}


def _state(status: DossierStatus, **kwargs: Any) -> Any:
    return State(status.label, value=status.value, **kwargs)


class DossierMachine(StateMachine):
    """The legal transitions of a dossier (strict :class:`statemachine.StateMachine`).

    The model is the lifecycle's private track; each transition runs the business-rule
    validators (:class:`~mot_cua.errors.BusinessRuleError`) then the clock effects. Use
    :class:`Lifecycle` rather than this class directly.
    """

    new = State("Chưa nộp", initial=True, value=NEW)
    submitted = _state(DossierStatus.SUBMITTED)
    received = _state(DossierStatus.RECEIVED)
    refused = _state(DossierStatus.REFUSED, final=True)
    processing = _state(DossierStatus.PROCESSING)
    awaiting_supplement = _state(DossierStatus.AWAITING_SUPPLEMENT)
    awaiting_payment = _state(DossierStatus.AWAITING_PAYMENT)
    withdrawn = _state(DossierStatus.WITHDRAWN, final=True)
    stopped = _state(DossierStatus.STOPPED, final=True)
    resolved = _state(DossierStatus.RESOLVED)
    returned = _state(DossierStatus.RETURNED, final=True)

    submit = new.to(submitted, **_CB)
    request_completion = new.to(submitted, **_CB) | submitted.to.itself(**_CB)
    receive = new.to(received, **_CB) | submitted.to(received, **_CB)
    refuse = new.to(refused, **_CB) | submitted.to(refused, **_CB)
    start = received.to(processing, **_CB)
    transfer = received.to.itself(**_CB) | processing.to.itself(**_CB)
    request_supplement = processing.to(awaiting_supplement, **_CB)
    supplement = awaiting_supplement.to(processing, **_CB)
    request_payment = processing.to(awaiting_payment, **_CB)
    confirm_payment = awaiting_payment.to(processing, **_CB)
    extend = (
        received.to.itself(**_CB)
        | processing.to.itself(**_CB)
        | awaiting_supplement.to.itself(**_CB)
        | awaiting_payment.to.itself(**_CB)
    )
    resolve = processing.to(resolved, **_CB)
    return_result = resolved.to(returned, **_CB)
    withdraw = (
        submitted.to(withdrawn, **_CB)
        | received.to(withdrawn, **_CB)
        | processing.to(withdrawn, **_CB)
        | awaiting_supplement.to(withdrawn, **_CB)
        | awaiting_payment.to(withdrawn, **_CB)
    )
    stop = (
        received.to(stopped, **_CB)
        | processing.to(stopped, **_CB)
        | awaiting_supplement.to(stopped, **_CB)
        | awaiting_payment.to(stopped, **_CB)
    )

    def check_rules(self, step: _Step) -> None:
        """Validator of every transition: the business rules (raises BusinessRuleError)."""
        _check_rules(self.model, step)

    def apply_effects(self, step: _Step, target: Any) -> None:
        """Action of every transition: the clock and the findings."""
        _apply_effects(self.model, step, str(target.value))


def transition_table(
    machine_cls: type[StateMachine] = DossierMachine,
) -> dict[str, dict[str, str]]:
    """Derive ``{state: {event: target}}`` from a machine class (no machine is built).

    >>> transition_table()["awaiting_supplement"]["supplement"]
    'processing'
    """
    if not (isinstance(machine_cls, type) and issubclass(machine_cls, StateMachine)):
        raise InvalidInputError(
            f"transition_table needs a StateMachine class, not {brief(machine_cls, 60)}",
            field="machine_cls",
        )
    table: dict[str, dict[str, str]] = {}
    for state in machine_cls.states:
        row: dict[str, str] = {}
        for transition in state.transitions:
            for event in transition.events:
                row[str(event.id)] = str(transition.target.value)
        table[str(state.value)] = dict(sorted(row.items()))
    return table


#: The lifecycle as plain data, derived from :class:`DossierMachine`: ``{state: {event: target}}``.
TRANSITIONS: Mapping[str, Mapping[str, str]] = transition_table()

_ALLOWED: dict[str, tuple[str, ...]] = {s: tuple(row) for s, row in TRANSITIONS.items()}
_EVENT_NAMES = frozenset(e.value for e in DossierEvent)
_END_EVENTS = frozenset({"resolve", "stop", "withdraw", "refuse"})


def allowed_events(state: DossierStatus | str) -> tuple[str, ...]:
    """The events allowed in a state, sorted (for list views; no machine is built).

    >>> allowed_events("awaiting_supplement")
    ('extend', 'stop', 'supplement', 'withdraw')
    >>> allowed_events("returned")
    ()
    """
    try:
        return _ALLOWED[state if isinstance(state, str) else brief(state)]
    except KeyError:
        raise InvalidInputError(
            f"unknown lifecycle state {brief(state)}; states: {', '.join(_ALLOWED)}", value=state
        ) from None


def _state_label(state: str) -> str:
    if state == NEW:
        return "new, nothing filed yet"
    status = DossierStatus(state)
    return f"{state}, code {status.national_code} «{status.label}»"


# --------------------------------------------------------------------------------------------
# The track: everything the lifecycle knows, derived from the history
# --------------------------------------------------------------------------------------------


@dataclass
class _Step:
    index: int
    event: str
    at: dt.datetime
    actor: str
    payload: dict[str, JsonValue]


@dataclass
class _Settings:
    code: str
    limit: TimeLimit
    calendar: WorkingCalendar | None
    policy: DeadlinePolicy
    regime: Regime | None
    apology_reading: Literal["working_day", "calendar_day"]


@dataclass
class _Track:
    settings: _Settings
    state: str = NEW
    regime: Regime | None = None
    last_at: dt.datetime | None = None
    received_at: dt.datetime | None = None
    base: Deadline | None = None
    deadline: Deadline | None = None
    pauses: list[Pause] = field(default_factory=list)
    open_pause: Pause | None = None
    completions: int = 0
    supplements: int = 0
    extensions: int = 0
    outcome: str | None = None
    agency: str | None = None
    finished_at: dt.datetime | None = None
    timeliness: Timeliness | None = None
    findings: list[Finding] = field(default_factory=list)

    def fork(self) -> _Track:
        new = copy.copy(self)
        new.pauses = list(self.pauses)
        new.findings = list(self.findings)
        return new


def _fail(track: _Track, step: _Step, what: str, **details: Any) -> BusinessRuleError:
    return BusinessRuleError(
        f"dossier {track.settings.code}: event {brief(step.event)} (#{step.index}) in state "
        f"{track.state}: {what}",
        dossier=track.settings.code,
        state=track.state,
        event=step.event,
        index=step.index,
        **details,
    )


def _text(value: JsonValue) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _payload_problem(event: str, payload: Mapping[str, Any], regime: Regime | None) -> str | None:
    """The first business rule the payload breaks (no clock needed), or ``None``."""
    if event in ("refuse", "extend") and not _text(payload.get("reason")):
        basis = (
            "Decree 61/2018/NĐ-CP, form 03 of Circular 01/2018/TT-VPCP: a refusal states its "
            "reasons"
            if event == "refuse"
            else f"the apology states why: {_regime_form(regime)}"
        )
        return f"a reason is required ({basis}); pass reason='...'"
    if event in ("request_completion", "request_supplement"):
        missing = payload.get("missing")
        if not isinstance(missing, list) or not missing or not all(_text(m) for m in missing):
            basis = (
                "Decree 61/2018/NĐ-CP, form 02 of Circular 01/2018/TT-VPCP: the guidance lists "
                "every missing item at once"
                if event == "request_completion"
                else "Decree 61/2018/NĐ-CP: the request lists what to supplement, once"
            )
            return f"the list of missing items is required ({basis}); pass missing=['...', ...]"
    if event == "resolve":
        outcome = payload.get("outcome")
        if outcome not in ("approved", "denied"):
            return (
                f"outcome must be 'approved' or 'denied', not {brief(outcome)}; pass "
                "outcome='approved' or outcome='denied' with a reason"
            )
        if outcome == "denied" and not _text(payload.get("reason")):
            return "a denial needs its reasons in writing (Decree 61/2018/NĐ-CP); pass reason='...'"
    if event == "extend":
        new_due = payload.get("new_due_at")
        if new_due in (None, ""):
            return (
                f"the new due date is required ({_regime_form(regime)}); pass "
                "new_due_at=<aware datetime>"
            )
        if not isinstance(new_due, dt.datetime) and _parse_iso(new_due) is None:
            return (
                f"new_due_at={brief(new_due)} is not an ISO 8601 date-time; write e.g. "
                "2025-03-20T17:00+07:00"
            )
    if event == "transfer":
        if not _text(payload.get("to_agency")):
            return "the receiving agency is required; pass to_agency='<agency code>'"
        level = payload.get("to_level")
        if level is not None and level not in _ALL_LEVELS:
            return (
                f"level {brief(level)} is not an authority level; levels: {', '.join(_ALL_LEVELS)}"
            )
        if level is not None and regime is not None and level not in regime.levels:
            return (
                f"level {brief(level)} does not exist under {regime.label} (mot_cua rules §1: "
                "districts "
                f"were abolished on 1 July 2025); levels: {', '.join(regime.levels)}"
            )
    if (
        event == "stop"
        and regime is not None
        and regime.stop_notice_required
        and not _text(payload.get("reason"))
    ):
        return (
            "from 1 July 2025 a stop needs a written notice with reasons (Decree 118/2025/NĐ-CP, "
            "Circular 03/2025/TT-VPCP); pass reason='...'"
        )
    return None


def _regime_form(regime: Regime | None) -> str:
    """The apology form's name under ``regime`` (Decree 61/2018 when unknown)."""
    return (regime or Regime.DECREE_61_2018).apology_form


def _check_rules(track: _Track, step: _Step) -> None:
    if track.last_at is not None and step.at < track.last_at:
        raise _fail(
            track,
            step,
            f"at={step.at.isoformat()} is before the previous event "
            f"({track.last_at.isoformat()}); record events in time order",
            field="at",
        )
    regime = track.regime
    if regime is None or (step.event == "receive" and track.settings.regime is None):
        regime = track.settings.regime or Regime.for_date(step.at.date())
    problem = _payload_problem(step.event, step.payload, regime)
    if problem is not None:
        raise _fail(track, step, problem)
    if step.event == "extend":
        new_due = _instant(step.payload["new_due_at"], name="new_due_at")
        if track.deadline is None:
            raise _fail(
                track,
                step,
                "there is no due date to extend (the dossier was never "
                "received with a clock); receive it first",
            )
        if new_due <= track.deadline.due_at:
            raise _fail(
                track,
                step,
                f"new_due_at={new_due.isoformat()} is not later than the current due moment "
                f"{track.deadline.due_at.isoformat()}; an extension moves the date later",
                field="new_due_at",
            )
        _check_working_day(track, step, new_due)
    if step.event == "return_result" and track.outcome is None:
        raise _fail(
            track,
            step,
            "there is no result to return: no decision was recorded; record it first with "
            "resolve(outcome='approved' | 'denied')",
        )


def _check_working_day(track: _Track, step: _Step, new_due: dt.datetime) -> None:
    """Refuse an extension to a day that is not a working day (mot_cua rules §8, item 22).

    The new date is an appointment printed on the apology (form 04): a day off (Sunday, 30/4)
    cannot be one (Civil Code 2015 Art. 148 moves a period ending on a day off to the next
    working day). The time of day is not checked: portals record 17:00 or 23:59 alike.
    """
    cal = _counting_calendar(track.settings)
    day = new_due.astimezone(VN_TZ).date()
    if cal.is_working_day(day):
        return
    suggestion = dt.datetime.combine(cal.roll_forward(day), new_due.timetz())
    raise _fail(
        track,
        step,
        f"new_due_at={new_due.isoformat()} falls on {day:%A %d/%m/%Y}, which is not a working "
        f"day (calendar {brief(cal.name)}); an appointment must be a working day (Civil Code 2015 "
        f"Art. 148): use e.g. {suggestion.isoformat()}",
        field="new_due_at",
        suggestion=suggestion.isoformat(),
    )


def _parse_iso(value: object) -> dt.datetime | None:
    """An ISO 8601 text read as an instant (naive text: Asia/Ho_Chi_Minh), else ``None``."""
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=VN_TZ)
    return parsed.astimezone(VN_TZ)


def _instant(value: object, *, name: str) -> dt.datetime:
    """An instant from a datetime (must be aware) or ISO text (naive text: Vietnam time)."""
    if isinstance(value, dt.datetime):
        return ensure_aware(value, name=name)
    parsed = _parse_iso(value)
    if parsed is None:
        what = "an ISO 8601 date-time" if isinstance(value, str) else "a date-time"
        raise InvalidInputError(
            f"{name}={brief(value)} is not {what}; write e.g. 2025-03-20T17:00+07:00",
            field=name,
            value=value,
        )
    return parsed


def _counting_calendar(s: _Settings) -> WorkingCalendar:
    """The calendar the deadline engine counts with (worked Saturdays off if the policy says)."""
    cal = s.calendar if s.calendar is not None else WorkingCalendar.vietnam()
    return cal if s.policy.worked_saturdays else cal.without_worked_saturdays()


def _recompute(track: _Track) -> None:
    """Recompute the due date from the receipt with every closed pause (mot_cua rules §5)."""
    s = track.settings
    if track.received_at is None:  # imported without a receipt: nothing to recompute
        return
    new_base = compute_due(
        track.received_at, s.limit, calendar=s.calendar, policy=s.policy, pauses=track.pauses
    )
    old_base, current = track.base, track.deadline
    track.base = new_base
    if current is None or old_base is None or current.extended_from is None:
        track.deadline = new_base
        return
    # After an apology the new date is the appointment: a later pause moves it by the same
    # number of working days the engine moves the statutory date (design.md, Lifecycle), on
    # the calendar the engine counts with.
    cal = _counting_calendar(s)
    shift = cal.working_days_between(old_base.due_date, new_base.due_date)
    if shift > 0:
        day = cal.add_working_days(current.due_date, shift)
        moved = dt.datetime.combine(day, current.due_at.timetz())
        # The shift is counted on the calendar: it is provisional as soon as it is computed on a
        # provisional year, whatever the extended deadline said before (issue 8 item 6).
        provisional = current.provisional or new_base.provisional
        moved_deadline = current.model_copy(update={"due_at": moved, "provisional": provisional})
        track.deadline = _flagged(moved_deadline, cal, track.received_at)


def _flagged(deadline: Deadline, cal: WorkingCalendar, received: dt.datetime | None) -> Deadline:
    """``deadline`` with ``provisional`` and ``uncertain_days`` covering its (moved) due date.

    A due date the lifecycle moved (an extension, a pause's shift of it) rests on the calendar
    from the receipt to the new date: a provisional year or a pending day in that span is
    reported on the deadline itself (issue 8 item 6).
    """
    first = (received or deadline.received_at).astimezone(VN_TZ).date()
    last = deadline.due_at.astimezone(VN_TZ).date()
    provisional = deadline.provisional or cal.is_provisional(last)
    spanned = cal.uncertain_days(min(first, last), last)
    uncertain = tuple(sorted({*deadline.uncertain_days, *spanned}, key=lambda u: u.date))
    if provisional == deadline.provisional and uncertain == deadline.uncertain_days:
        return deadline
    return deadline.model_copy(update={"provisional": provisional, "uncertain_days": uncertain})


def _close_pause(track: _Track, at: dt.datetime) -> None:
    pause = track.open_pause
    if pause is None:
        return
    track.open_pause = None
    if at > pause.start:
        track.pauses.append(Pause(start=pause.start, end=at, label=pause.label))
        _recompute(track)


def _finding(track: _Track, step: _Step, code: str, message: str, basis: str) -> None:
    track.findings.append(
        Finding(code=code, message=message, event_index=step.index, at=step.at, basis=basis)
    )


def _extend_effect(track: _Track, step: _Step) -> None:
    """The apology with a new date: findings (late, second), the new deadline and its flags."""
    s, at = track.settings, step.at
    if track.deadline is None:  # pragma: no cover - the validator checked it
        raise _fail(track, step, "there is no due date to extend")
    new_due = _instant(step.payload["new_due_at"], name="new_due_at")
    last_day = latest_apology_date(
        track.deadline.due_date, calendar=_counting_calendar(s), reading=s.apology_reading
    )
    if at.date() > last_day:
        _finding(
            track,
            step,
            "late_apology",
            f"apology on {at.date():%d/%m/%Y}, after the last allowed day "
            f"{last_day:%d/%m/%Y} (one {s.apology_reading.replace('_', ' ')} before the due "
            f"date {track.deadline.due_date:%d/%m/%Y})",
            f"Decree 61/2018/NĐ-CP; {_regime_form(track.regime)}",
        )
    track.extensions += 1
    if track.extensions > 1:
        _finding(
            track,
            step,
            "second_extension",
            f"extension number {track.extensions}; Decree 61/2018/NĐ-CP allows one apology "
            "with a new date",
            "Decree 61/2018/NĐ-CP",
        )
    extended = track.deadline.extend(new_due, reason=str(step.payload["reason"]))
    # The new date was checked on the calendar (a working day?): flag what that rests on.
    track.deadline = _flagged(extended, _counting_calendar(s), track.received_at)


def _apply_effects(track: _Track, step: _Step, target: str) -> None:
    s, event, at = track.settings, step.event, step.at
    if track.regime is None or (event == "receive" and s.regime is None):
        track.regime = s.regime or Regime.for_date(at.date())
    if event == "receive":
        track.received_at = at
        track.base = track.deadline = compute_due(at, s.limit, calendar=s.calendar, policy=s.policy)
    elif event == "request_completion":
        track.completions += 1
        if track.completions > 1:
            _finding(
                track,
                step,
                "repeated_guidance",
                f"desk guidance given {track.completions} times; the law asks for one written "
                "guidance listing everything missing",
                "Decree 61/2018/NĐ-CP; form 02 of Circular 01/2018/TT-VPCP",
            )
    elif event in ("request_supplement", "request_payment"):
        label = (
            "Yêu cầu bổ sung hồ sơ"
            if event == "request_supplement"
            else "Thực hiện nghĩa vụ tài chính"
        )
        track.open_pause = Pause(start=at, end=at, label=label)
        if event == "request_supplement":
            track.supplements += 1
            if track.supplements > 1:
                _finding(
                    track,
                    step,
                    "repeated_supplement",
                    f"supplement requested {track.supplements} times; a dossier with more than "
                    "one supplement request counts as overdue",
                    "Decree 61/2018/NĐ-CP; Decision 766/QĐ-TTg",
                )
    elif event in ("supplement", "confirm_payment"):
        _close_pause(track, at)
    elif event == "extend":
        _extend_effect(track, step)
    elif event == "transfer":
        track.agency = str(step.payload["to_agency"])
    elif event == "resolve":
        track.outcome = str(step.payload["outcome"])
    if event in _END_EVENTS and track.finished_at is None:
        _close_pause(track, at)
        track.finished_at = at
        if track.deadline is not None:
            if event == "withdraw":
                # Withdrawn dossiers count as resolved on time, never early nor late (mot_cua
                # rules, indicators §B: the reporting practice of local systems).
                result = Timeliness.ON_TIME
            else:
                result = timeliness(at, track.deadline)
                if track.supplements > 1:
                    result = Timeliness.LATE  # Decision 766/QĐ-TTg: more than one supplement
            track.timeliness = result
    track.last_at = at
    track.state = target


# --------------------------------------------------------------------------------------------
# The public façade
# --------------------------------------------------------------------------------------------


def _norm_payload(
    raw: Mapping[str, Any], *, code: str, index: int, event: str, localise: bool = False
) -> dict[str, Any]:
    """Check the payload keys and store instants as aware ISO text in Vietnam time.

    ``new_due_at`` given as naive ISO text is rejected, except in replay files
    (``localise=True``), where it is read in Asia/Ho_Chi_Minh like ``at``. Unreadable text is
    kept: the business rules report it with the event's index.
    """
    payload: dict[str, Any] = {}
    for key, value in raw.items():
        problem = _value_problem(key, value)
        if problem is not None:
            raise InvalidInputError(
                f"dossier {code}: event {brief(event)} (#{index}): {problem}",
                dossier=code,
                index=index,
                field=key,
            )
        if value is None:
            continue
        if isinstance(value, dt.datetime):
            value = ensure_aware(value, name=key).isoformat()
        elif key == "new_due_at" and isinstance(value, str):
            parsed = _parse_iso(value)
            if parsed is not None:
                if not localise and dt.datetime.fromisoformat(value).tzinfo is None:
                    raise NaiveDatetimeError(
                        f"dossier {code}: event {brief(event)} (#{index}): new_due_at={value} has "
                        "no "
                        f"UTC offset; mot_cua never guesses a time zone: write e.g. "
                        f"{value}+07:00 or pass an aware datetime",
                        dossier=code,
                        index=index,
                        field=key,
                        value=value,
                    )
                value = parsed.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        payload[key] = value
    return payload


def _value_problem(key: object, value: object) -> str | None:
    """Why a payload item cannot be recorded (unknown key, wrong type), or ``None``.

    Shared by :meth:`Lifecycle.send`, :meth:`Lifecycle.replay` and :func:`validate_history`, so
    all three refuse the same items with the same message.
    """
    if key not in PAYLOAD_KEYS:
        return f"unknown payload key {brief(key)}; allowed: {', '.join(sorted(PAYLOAD_KEYS))}"
    if value is None:
        return None
    if key in _TEXT_KEYS and not isinstance(value, str):
        return (
            f"{key} must be text, not {type(value).__name__} ({brief(value, 60)}); pass {key}='...'"
        )
    if key == "missing" and (
        not isinstance(value, list | tuple) or not all(isinstance(m, str) for m in value)
    ):
        return (
            f"missing must be a list of texts, not {brief(value, 60)}; pass "
            "missing=['Bản sao giấy khai sinh', ...]"
        )
    if key == "new_due_at" and not isinstance(value, str | dt.datetime):
        return (
            f"new_due_at must be an aware datetime or ISO 8601 text, not "
            f"{type(value).__name__} ({brief(value, 60)}); e.g. 2025-03-20T17:00+07:00"
        )
    return None


def _actor(value: object, *, code: str, index: int, event: object) -> str:
    """The actor of an event: non-blank text (user or agency code), else InvalidInputError."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    what = "blank" if isinstance(value, str) else f"not text ({type(value).__name__})"
    raise InvalidInputError(
        f"dossier {code}: event {brief(event)} (#{index}): actor {brief(value, 60)} is {what}; "
        "name who "
        "acted, e.g. actor='desk-1' (a user or agency code)",
        dossier=code,
        index=index,
        field="actor",
        value=brief(value, 200),
    )


def _merge_payload(
    data: Mapping[str, Any], *, event: object, index: int, prefix: str = ""
) -> dict[str, Any]:
    """``data`` without ``payload``, with the nested payload's keys merged in (never mutated).

    A key given both at the top level and in ``payload`` with different values is an error.
    """
    merged = dict(data)
    nested = merged.pop("payload", None)
    if nested is None:
        return merged
    if not isinstance(nested, Mapping):
        raise InvalidInputError(
            f"{prefix}the 'payload' of event {brief(event)} (#{index}) must be an object, "
            f"not {brief(nested)}",
            index=index,
            field="payload",
        )
    for key, value in nested.items():
        if key in merged and merged[key] != value:
            raise InvalidInputError(
                f"{prefix}event {brief(event)} (#{index}) gives payload key {brief(key)} twice "
                "with "
                "different values (at the top level and in 'payload'); keep one",
                index=index,
                field=key,
            )
    return {**nested, **merged}


def _entry_from_mapping(item: Mapping[str, Any], index: int, code: str) -> HistoryEntry:
    """A serialised :class:`HistoryEntry` (``Dossier.history`` as JSON)."""
    try:
        return HistoryEntry.model_validate(item)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "entry"
        raise InvalidInputError(
            f"dossier {code}: event #{index} is a recorded history entry (it has 'to_status') "
            f"but {loc}: {first['msg']}",
            dossier=code,
            index=index,
        ) from exc


def _to_step(
    item: HistoryEntry | Mapping[str, Any], index: int, code: str
) -> tuple[_Step, HistoryEntry | None]:
    """The step of one history item, and the recorded entry when the item is one."""
    if isinstance(item, Mapping) and "to_status" in item:
        item = _entry_from_mapping(item, index, code)
    if isinstance(item, HistoryEntry):
        at = ensure_aware(item.at, name=f"events[{index}].at")
        payload = _norm_payload(
            item.payload, code=code, index=index, event=item.event, localise=True
        )
        return _Step(index, item.event, at, item.actor, payload), item
    if not isinstance(item, Mapping):
        raise InvalidInputError(
            f"dossier {code}: event #{index} must be an object such as "
            f'{{"event": "receive", "at": "2025-03-03T09:00+07:00"}}, not {brief(item)}',
            dossier=code,
            index=index,
        )
    data = dict(item)
    event = data.pop("event", None)
    if not isinstance(event, str):
        raise InvalidInputError(
            f"dossier {code}: event #{index} has no 'event' name; write "
            '{"event": "receive", "at": "2025-03-03T09:00+07:00"}',
            dossier=code,
            index=index,
        )
    if "at" not in data:
        raise InvalidInputError(
            f"dossier {code}: event {brief(event)} (#{index}) has no 'at' instant",
            dossier=code,
            index=index,
        )
    at = _instant(data.pop("at"), name=f"events[{index}].at")
    raw_actor = data.pop("actor", None)
    actor = (
        "system" if raw_actor is None else _actor(raw_actor, code=code, index=index, event=event)
    )
    payload = _merge_payload(data, event=event, index=index, prefix=f"dossier {code}: ")
    step = _Step(
        index,
        event,
        at,
        actor,
        _norm_payload(payload, code=code, index=index, event=event, localise=True),
    )
    return step, None


def _cross_check(
    track: _Track, step: _Step, recorded: HistoryEntry, from_state: str, *, strict: bool
) -> None:
    """Compare a recorded entry with what the replay recomputed (a finding, or an error)."""
    due = None if track.deadline is None else track.deadline.due_at
    recorded_from = None if recorded.from_status is None else recorded.from_status.value
    problems = []
    if recorded.to_status.value != track.state:
        problems.append(
            f"to_status {brief(recorded.to_status.value)} (recomputed: {brief(track.state)})"
        )
    if recorded_from is not None and recorded_from != from_state:
        problems.append(f"from_status {brief(recorded_from)} (recomputed: {brief(from_state)})")
    if recorded.due_at != due:
        shown = None if recorded.due_at is None else recorded.due_at.isoformat()
        problems.append(f"due_at {shown} (recomputed: {None if due is None else due.isoformat()})")
    if not problems:
        return
    message = (
        f"history entry #{step.index} ({brief(step.event)} at {step.at.isoformat()}) records "
        + "; ".join(problems)
        + ": the saved history was changed or computed with another calendar, limit or policy"
    )
    if strict:
        raise BusinessRuleError(
            f"dossier {track.settings.code}: {message}; check the entry, or replay without "
            "strict=True to record it as a finding",
            dossier=track.settings.code,
            index=step.index,
            event=step.event,
            state=track.state,
        )
    _finding(track, step, "recorded_mismatch", message, "mot_cua replay cross-check")


def _check_options(
    code: object, calendar: object, policy: object, clock: object, warn: object
) -> None:
    """Refuse options of the wrong type now, not with a TypeError at the first event."""
    wrong = None
    if not isinstance(code, str) or not code.strip():
        wrong = f"code must be non-blank text, not {brief(code, 60)}"
    elif calendar is not None and not isinstance(calendar, WorkingCalendar):
        wrong = (
            "calendar must be a WorkingCalendar (e.g. WorkingCalendar.vietnam()), not "
            f"{brief(calendar, 60)}"
        )
    elif policy is not None and not isinstance(policy, DeadlinePolicy):
        wrong = f"policy must be a DeadlinePolicy, not {brief(policy, 60)}"
    elif clock is not None and not callable(clock):
        wrong = f"clock must be a callable returning an aware datetime, not {brief(clock, 60)}"
    elif not isinstance(warn, bool):
        wrong = f"warn must be True or False, not {brief(warn, 60)}"
    if wrong is not None:
        raise InvalidInputError(wrong, field=wrong.split(" ", 1)[0])


class Lifecycle:
    """A dossier's lifecycle: current state, clock, findings and append-only history.

    Holds no state machine: each :meth:`send` builds one (~0.3 ms), runs the transition with
    its validators and clock effects, and appends a :class:`~mot_cua.models.HistoryEntry`.

    Args:
        time_limit: the procedure's statutory limit (text or :class:`~mot_cua.limits.TimeLimit`).
        code: the dossier code, used in messages.
        calendar: working calendar (default :meth:`WorkingCalendar.vietnam`).
        policy: counting policy; ``policy.pause_policy`` chooses pause or restart.
        regime: fix the legal regime; default: chosen from the receipt date.
        clock: a callable returning "now" (aware), used when :meth:`send` gets no ``at``.
        apology_reading: "one day before the due date" read as a working day (default) or a
            calendar day (mot_cua rules, worked example 37).
        warn: also emit a :class:`~mot_cua.errors.ComplianceWarning` for each new finding.

    >>> lc = Lifecycle("3 ngày làm việc", code="X")
    >>> lc.status is None, lc.state
    (True, 'new')
    """

    def __init__(
        self,
        time_limit: TimeLimit | str,
        *,
        code: str = "(unsaved)",
        calendar: WorkingCalendar | None = None,
        policy: DeadlinePolicy | None = None,
        regime: Regime | str | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        apology_reading: Literal["working_day", "calendar_day"] = "working_day",
        warn: bool = False,
    ) -> None:
        limit = time_limit if isinstance(time_limit, TimeLimit) else TimeLimit.parse(time_limit)
        _check_options(code, calendar, policy, clock, warn)
        if apology_reading not in ("working_day", "calendar_day"):
            raise InvalidInputError(
                "apology_reading must be 'working_day' or 'calendar_day', not "
                f"{brief(apology_reading)}",
                field="apology_reading",
            )
        self._settings = _Settings(
            code=code,
            limit=limit,
            calendar=calendar,
            policy=policy if policy is not None else DeadlinePolicy(),
            regime=Regime._parse(regime) if regime is not None else None,
            apology_reading=apology_reading,
        )
        self._track = _Track(settings=self._settings)
        self._history: list[HistoryEntry] = []
        self._clock = clock
        self._warn = warn

    # -- reading -----------------------------------------------------------------------------

    @property
    def code(self) -> str:
        """The dossier code used in messages."""
        return self._settings.code

    @property
    def state(self) -> str:
        """The state value: ``"new"`` before the first event, else a :class:`DossierStatus`."""
        return self._track.state

    @property
    def status(self) -> DossierStatus | None:
        """The dossier status (``None`` before the first event)."""
        return None if self._track.state == NEW else DossierStatus(self._track.state)

    @property
    def deadline(self) -> Deadline | None:
        """The current due date (extended if an apology moved it), once received."""
        return self._track.deadline

    @property
    def due_at(self) -> dt.datetime | None:
        """The current due moment."""
        return None if self._track.deadline is None else self._track.deadline.due_at

    @property
    def provisional(self) -> bool:
        """Whether the due date depends on a year whose official schedule is not published.

        True when the receipt's deadline, or anything the lifecycle counted since (a pause's
        shift of an extended date, an extension's new date), lies in a provisional year.
        """
        return self._flags()[0]

    @property
    def uncertain_days(self) -> tuple[UncertainDay, ...]:
        """The pending days (law not settled) between the receipt and the due date.

        The due date was computed across them, so it may change when the law is settled (e.g.
        Vietnam Culture Day, 24/11 from 2026; see :meth:`WorkingCalendar.uncertain_days`).
        """
        return self._flags()[1]

    def _flags(self) -> tuple[bool, tuple[UncertainDay, ...]]:
        track = self._track
        deadline = track.deadline
        if deadline is None:
            return False, ()
        cal = _counting_calendar(self._settings)
        ends = [deadline.due_at, *(p.end for p in track.pauses)]
        if track.base is not None:
            ends.append(track.base.due_at)
        last = max(e.astimezone(VN_TZ).date() for e in ends)
        first = (track.received_at or deadline.received_at).astimezone(VN_TZ).date()
        provisional = (
            deadline.provisional
            or (track.base is not None and track.base.provisional)
            or cal.is_provisional(last)
        )
        spanned = {*deadline.uncertain_days, *cal.uncertain_days(min(first, last), last)}
        if track.base is not None:
            spanned.update(track.base.uncertain_days)
        return provisional, tuple(sorted(spanned, key=lambda u: u.date))

    @property
    def paused(self) -> bool:
        """Whether the clock stands still (awaiting a supplement or a payment)."""
        return self._track.open_pause is not None

    @property
    def pauses(self) -> tuple[Pause, ...]:
        """Closed pauses, oldest first."""
        return tuple(self._track.pauses)

    @property
    def regime(self) -> Regime | None:
        """The legal regime (fixed, or chosen at receipt)."""
        return self._track.regime

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Compliance findings, oldest first."""
        return tuple(self._track.findings)

    @property
    def timeliness(self) -> Timeliness | None:
        """Early / on time / late once the dossier ended (Decision 766/QĐ-TTg), else ``None``."""
        return self._track.timeliness

    @property
    def outcome(self) -> str | None:
        """``"approved"`` or ``"denied"`` once resolved."""
        return self._track.outcome

    @property
    def history(self) -> tuple[HistoryEntry, ...]:
        """Every transition, oldest first (append-only)."""
        return tuple(self._history)

    @property
    def allowed_events(self) -> tuple[str, ...]:
        """Events allowed now, sorted (from :data:`TRANSITIONS`; no machine is built)."""
        return _ALLOWED[self._track.state]

    # -- acting ------------------------------------------------------------------------------

    def send(
        self,
        event: DossierEvent | str,
        *,
        at: dt.datetime | None = None,
        actor: str = "system",
        **payload: Any,
    ) -> HistoryEntry:
        """Run one event through a fresh machine and append it to the history.

        Args:
            event: the event name (see :class:`DossierEvent`).
            at: when it happened (aware); default: the lifecycle's clock.
            actor: who did it.
            **payload: ``reason``, ``missing``, ``outcome``, ``new_due_at``, ``to_agency``,
                ``to_level``, ``note`` (see :data:`PAYLOAD_KEYS`).

        Returns:
            The appended history entry.

        Raises:
            TransitionRejected: the event is unknown or not allowed in the current state.
            BusinessRuleError: the event lacks what the law requires, or ``at`` is earlier than
                the previous event's.
            NaiveDatetimeError: ``at`` or ``new_due_at`` (datetime or ISO text) has no UTC
                offset.
            InvalidInputError: an unknown payload key.
        """
        if at is None:
            if self._clock is None:
                raise InvalidInputError(
                    f"dossier {self.code}: send({brief(event)}) needs at=<aware datetime>, or "
                    "give the Lifecycle a clock=",
                    dossier=self.code,
                )
            at = self._clock()
        index = len(self._history)
        name = str(event) if isinstance(event, str) else brief(event)
        step = _Step(
            index,
            name,
            ensure_aware(at, name="at"),
            _actor(actor, code=self.code, index=index, event=name),
            _norm_payload(payload, code=self.code, index=index, event=name),
        )
        work = self._track.fork()
        before = (work.state, len(work.findings))
        machine = DossierMachine(model=work, start_value=work.state)
        self._run(machine, work, step)
        return self._commit(work, step, before)

    def _run(self, machine: DossierMachine, work: _Track, step: _Step) -> None:
        if step.event not in _EVENT_NAMES:
            # Never hand an unknown name to the machine: it would resolve machine attributes
            # (``send``, ``check_rules``, state names) instead of rejecting them.
            raise self._rejected(step, work.state)
        try:
            machine.send(step.event, step=step)
        except TransitionNotAllowed as exc:
            raise self._rejected(step, work.state) from exc

    def _rejected(self, step: _Step, state: str) -> TransitionRejected:
        allowed = _ALLOWED[state]
        known = (
            ""
            if step.event in _EVENT_NAMES
            else f" (unknown event; events: {', '.join(sorted(_EVENT_NAMES))})"
        )
        return TransitionRejected(
            f"dossier {self.code}: event {brief(step.event)} (#{step.index}) is not allowed in "
            "state "
            f"{_state_label(state)}{known}; allowed: {', '.join(allowed) or 'none (final state)'}",
            dossier=self.code,
            state=state,
            event=step.event,
            index=step.index,
            allowed=list(allowed),
        )

    def _commit(self, work: _Track, step: _Step, before: tuple[str, int]) -> HistoryEntry:
        from_state, findings_before = before
        new_findings = work.findings[findings_before:]
        try:
            entry = HistoryEntry(
                at=step.at,
                actor=step.actor,
                event=step.event,
                from_status=None if from_state == NEW else DossierStatus(from_state),
                to_status=DossierStatus(work.state),
                note=str(step.payload["reason"]) if _text(step.payload.get("reason")) else None,
                payload=step.payload,
                due_at=None if work.deadline is None else work.deadline.due_at,
            )
        except ValidationError as exc:  # pragma: no cover - every field was checked before
            lines = format_validation_error(exc, where=f"event #{step.index}")
            raise InvalidInputError(
                f"dossier {self.code}: event {brief(step.event)} (#{step.index}) cannot be "
                "recorded: " + "; ".join(lines),
                dossier=self.code,
                index=step.index,
            ) from exc
        self._track = work
        self._history.append(entry)
        if self._warn:
            import warnings

            for f in new_findings:
                warnings.warn(
                    ComplianceWarning(f"dossier {self.code}: {f.message} [{f.basis}]"),
                    stacklevel=3,
                )
        return entry

    # -- replay ------------------------------------------------------------------------------

    @classmethod
    def replay(
        cls,
        events: Iterable[HistoryEntry | Mapping[str, Any]],
        time_limit: TimeLimit | str,
        *,
        engine: Literal["machine", "table"] = "machine",
        strict: bool = False,
        **options: Any,
    ) -> Lifecycle:
        """Rebuild a lifecycle from scratch by replaying a history.

        Recorded entries (:class:`~mot_cua.models.HistoryEntry`, or their JSON with
        ``to_status``) are cross-checked: a recorded ``to_status``, ``from_status`` or ``due_at``
        that differs from the recomputed one is a ``recorded_mismatch`` finding naming the entry
        (``strict=True``: a :class:`~mot_cua.errors.BusinessRuleError` instead). A saved
        history replays to itself: ``Lifecycle.replay(lc.history, ...).history == lc.history``.

        Args:
            events: history entries (or their JSON form, e.g. ``Dossier.history`` serialised),
                or mappings ``{"event", "at", "actor", ...payload}`` with an optional nested
                ``payload`` object; instants without an offset are read in Asia/Ho_Chi_Minh.
                The input is not modified.
            time_limit: the procedure's limit.
            engine: ``"machine"`` runs one :class:`DossierMachine` for the whole history;
                ``"table"`` uses :data:`TRANSITIONS` and the same rule and clock functions
                (faster; same result).
            strict: raise on a recorded value that differs from the recomputed one.
            **options: the keyword arguments of :class:`Lifecycle`.

        Returns:
            The rebuilt lifecycle.

        Raises:
            TransitionRejected: an event is illegal where it occurs (``details["index"]``).
            BusinessRuleError: an event lacks what the law requires or goes back in time; with
                ``strict=True``, a recorded value differs from the recomputed one.
            InvalidInputError: an item is unusable (not a mapping, no ``event`` or ``at``, an
                unreadable instant, an unknown payload key or a value of the wrong type, a blank
                actor, an invalid recorded status, a key given twice).

        >>> import datetime as dt
        >>> lc = Lifecycle("3 ngày làm việc")
        >>> _ = lc.send("receive", at=dt.datetime(2025, 3, 3, 9, tzinfo=VN_TZ), actor="desk")
        >>> saved = [e.model_dump(mode="json") for e in lc.history]
        >>> Lifecycle.replay(saved, "3 ngày làm việc").history == lc.history
        True
        >>> saved[0]["due_at"] = "2025-03-31T17:00:00+07:00"   # tampered
        >>> Lifecycle.replay(saved, "3 ngày làm việc").findings[0].code
        'recorded_mismatch'
        """
        _check_engine(engine)
        _check_option_names(options, "Lifecycle.replay")
        lc = cls(time_limit, **options)
        # One command, one machine: the track is its model for the whole replay (a failure
        # discards the half-built lifecycle, so no copy is needed).
        work = lc._track
        machine = (
            DossierMachine(model=work, start_value=work.state) if engine == "machine" else None
        )
        _check_events(events, lc.code)
        for index, item in enumerate(events):
            step, recorded = _to_step(item, index, lc.code)
            before = (work.state, len(work.findings))
            if machine is not None:
                lc._run(machine, work, step)
            else:
                target = TRANSITIONS[work.state].get(step.event)
                if target is None:
                    raise lc._rejected(step, work.state)
                _check_rules(work, step)
                _apply_effects(work, step, target)
            if recorded is not None:
                _cross_check(work, step, recorded, before[0], strict=strict)
            lc._commit(work, step, before)
        return lc

    @classmethod
    def for_dossier(
        cls, dossier: Dossier, time_limit: TimeLimit | str, **options: Any
    ) -> Lifecycle:
        """The lifecycle of a loaded dossier, rebuilt from its history (no machine is kept).

        A dossier without history (imported from another system) starts in its recorded
        status, with its recorded receipt and deadline but no decision.

        Args:
            dossier: the dossier.
            time_limit: its procedure's limit.
            **options: the keyword arguments of :class:`Lifecycle` (``code`` defaults to the
                dossier's).

        Returns:
            The lifecycle.

        Raises:
            InvalidInputError: ``dossier`` is not a :class:`~mot_cua.models.Dossier`.
        """
        if not isinstance(dossier, Dossier):
            raise InvalidInputError(
                f"for_dossier needs a Dossier, not {type(dossier).__name__}", field="dossier"
            )
        _check_option_names(options, "Lifecycle.for_dossier")
        options.setdefault("code", dossier.code)
        if dossier.history:
            return cls.replay(dossier.history, time_limit, engine="table", **options)
        lc = cls(time_limit, **options)
        lc._track.state = dossier.status.value
        lc._track.received_at = dossier.received_at
        lc._track.base = lc._track.deadline = dossier.deadline
        return lc

    def apply_to(self, dossier: Dossier) -> None:
        """Write the status, receipt, deadline and history into ``dossier``.

        The receipt and the deadline are written before the status, so the dossier is valid
        at every step (a received dossier carries its appointment).

        Args:
            dossier: the dossier to update (validated on assignment).

        Raises:
            InvalidInputError: ``dossier`` is not a :class:`~mot_cua.models.Dossier`, or the
                result would not be a valid dossier (e.g. received before it was submitted).

        >>> import datetime as dt
        >>> from mot_cua.testing import make_dossier
        >>> d = make_dossier()
        >>> lc = Lifecycle.for_dossier(d, "3 ngày làm việc")
        >>> _ = lc.send("receive", at=d.submitted_at, actor="desk")
        >>> lc.apply_to(d)
        >>> d.status.value, d.deadline.due_at.isoformat()
        ('received', '2025-03-06T17:00:00+07:00')
        """
        if not isinstance(dossier, Dossier):
            raise InvalidInputError(
                f"apply_to needs a Dossier, not {type(dossier).__name__}", field="dossier"
            )
        try:
            dossier.received_at = self._track.received_at
            dossier.deadline = self.deadline
            dossier.history = list(self._history)
            if self.status is not None:
                dossier.status = self.status
        except ValidationError as exc:
            lines = format_validation_error(exc, where="dossier")
            raise InvalidInputError(
                f"dossier {dossier.code}: the lifecycle cannot be written into it: "
                + "; ".join(lines),
                dossier=dossier.code,
                problems=lines,
            ) from exc

    def to_dict(self) -> dict[str, Any]:
        """The summary portals read: status, national code, due date, timeliness, findings.

        ``provisional`` is true when the due date depends on a year whose official schedule
        is not published yet (:attr:`provisional`); ``uncertain_days`` lists the pending days
        it was computed across (:attr:`uncertain_days`), each with its date, status, label and
        source.

        >>> Lifecycle("1 ngày làm việc").to_dict()["status"] is None
        True
        """
        status = self.status
        provisional, uncertain = self._flags()
        return {
            "status": None if status is None else status.value,
            "status_label": None if status is None else status.label,
            "national_status_code": None if status is None else status.national_code,
            "due_at": None if self.due_at is None else self.due_at.isoformat(),
            "provisional": provisional,
            "uncertain_days": [
                {
                    "date": u.date.isoformat(),
                    "status": u.status.value,
                    "label": u.label,
                    "source": u.source,
                }
                for u in uncertain
            ],
            "paused": self.paused,
            "regime": None if self.regime is None else self.regime.value,
            "timeliness": None if self.timeliness is None else self.timeliness.value,
            "findings": [{"code": f.code, "message": f.message} for f in self.findings],
        }


# --------------------------------------------------------------------------------------------
# Bulk validation without a machine
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryCheck:
    """The verdict of :func:`validate_history`.

    ``valid`` is true when every event is legal where it occurs; otherwise ``index``, ``event``,
    ``state``, ``allowed`` and ``message`` describe the first problem.
    """

    valid: bool
    state: str
    index: int | None = None
    event: str | None = None
    allowed: tuple[str, ...] = ()
    message: str = ""


_fromiso = dt.datetime.fromisoformat


def _check_engine(engine: object) -> None:
    """Refuse a replay engine other than ``"machine"`` or ``"table"``."""
    if engine not in ("machine", "table"):
        raise InvalidInputError(
            f"engine must be 'machine' or 'table', not {brief(engine)}", field="engine"
        )


def _check_events(events: object, code: str) -> None:
    """Refuse ``events`` for :meth:`Lifecycle.replay` unless it is an iterable of items."""
    if isinstance(events, str | bytes) or not isinstance(events, Iterable):
        raise InvalidInputError(
            f"dossier {code}: events must be a list of history entries or event "
            f"objects, not {type(events).__name__}",
            dossier=code,
            field="events",
        )


def _check_option_names(options: Mapping[str, Any], where: str) -> None:
    """Refuse keyword arguments that :class:`Lifecycle` does not take, naming them.

    Used by the functions that pass ``**options`` on to :class:`Lifecycle`.

    Raises:
        InvalidInputError: an unknown option.

    >>> _check_option_names({"code": "X"}, "replay")
    >>> _check_option_names({"reason": "x"}, "replay")
    Traceback (most recent call last):
    ...
    mot_cua.errors.InvalidInputError: replay: unknown option 'reason'; the options are ...
    """
    known = _lifecycle_options()
    unknown = [k for k in options if k not in known]
    if unknown:
        raise InvalidInputError(
            f"{where}: unknown option {', '.join(map(repr, unknown))}; the options are "
            f"{', '.join(sorted(known))}",
            field=unknown[0],
        )


@functools.cache
def _lifecycle_options() -> frozenset[str]:
    params = inspect.signature(Lifecycle.__init__).parameters.values()
    return frozenset(p.name for p in params if p.kind is p.KEYWORD_ONLY)


def validate_history(
    events: Iterable[Mapping[str, Any] | HistoryEntry | str],
    *,
    start: str = NEW,
    rules: bool = True,
    regime: Regime | str | None = None,
) -> HistoryCheck:
    """Check a recorded history with :data:`TRANSITIONS` alone (no machine, no clock).

    Checks that each event is legal where it occurs and, with ``rules=True``, every rule that
    needs no clock, exactly as :class:`Lifecycle` does: events in time order (an ``at`` earlier
    than the previous event's is rejected at its index; equal instants are in order), reasons,
    missing items, outcome, a readable new date, transfer levels, and the stop notice under
    Decree 118/2025/NĐ-CP (the regime is chosen from the receipt date in Vietnam time, as the
    lifecycle does, unless ``regime`` fixes it). Date-dependent rules (an extension to an
    earlier date, returning a result that was never decided in a history that does not start
    at ``new``) need :meth:`Lifecycle.replay`.

    Args:
        events: mappings with an ``event`` key (plus ``at`` and payload; a nested ``payload``
            object is merged), history entries (or their JSON form), or bare event names
            (legality only).
        start: the state before the first event.
        rules: also check time order and the payload rules.
        regime: fix the legal regime, like ``Lifecycle(regime=...)``.

    With ``rules=True`` it refuses what :meth:`Lifecycle.replay` refuses without a clock, with
    the same error: an unknown payload key or a value of the wrong type, a blank actor, an
    invalid recorded status. A recorded entry whose ``to_status`` is not where its event leads
    is reported invalid (replay records it as a ``recorded_mismatch`` finding, or raises with
    ``strict=True``).

    Returns:
        The verdict: the first problem, or ``valid=True`` with the final state.

    Raises:
        InvalidInputError: an item is not usable (no event name, an ``at`` that is not an
            ISO 8601 date-time, a naive datetime, a payload given twice, an unknown payload
            key, a blank actor, an invalid recorded status), naming its index.

    >>> validate_history(["receive", "start", "resolve"]).valid
    True
    >>> validate_history([{"event": "receive", "at": "2025-03-03T09:00"},
    ...                   {"event": "refuse", "at": "2025-03-03T10:00"}]).message
    "event 'refuse' (#1) is not allowed in state received"
    >>> validate_history([{"event": "receive", "at": "2025-03-03T09:00"},
    ...                   {"event": "start", "at": "2025-03-03T08:00"}]).message
    "event 'start' (#1) in state received: at=2025-03-03T08:00:00+07:00 is before the previous \
event (2025-03-03T09:00:00+07:00); record events in time order"
    >>> r = validate_history(["receive", "start", "return_result"])
    >>> r.index, r.state, r.allowed
    (2, 'processing', ('extend', 'request_payment', 'request_supplement', 'resolve', 'stop', \
'transfer', 'withdraw'))
    """
    state = start
    if not isinstance(state, str) or state not in TRANSITIONS:
        raise InvalidInputError(
            f"unknown start state {brief(start)}; states: {', '.join(TRANSITIONS)}",
            value=brief(start, 200),
        )
    fixed = Regime._parse(regime) if regime is not None else None
    if isinstance(events, (str, bytes, bytearray, Mapping)) or not isinstance(events, Iterable):
        raise InvalidInputError(
            f"events must be a list of events (names, mappings or HistoryEntry), "
            f"not {type(events).__name__}; pass e.g. ['receive', 'start']",
            value=type(events).__name__,
        )
    return _walk_history(events, state, fixed, rules=rules)


def _walk_history(
    events: Iterable[Mapping[str, Any] | HistoryEntry | str],
    state: str,
    fixed: Regime | None,
    *,
    rules: bool,
) -> HistoryCheck:
    """The pass of :func:`validate_history` over the events, from ``state``.

    Kept in one loop on purpose (bulk validation is benchmarked): a valid event costs no call
    beyond its reading and its payload rules; the helpers below build the verdicts of failures.
    """
    table = TRANSITIONS
    current: Regime | None = fixed
    last: dt.datetime | None = None
    payload: Mapping[str, Any] | None
    for index, item in enumerate(events):
        at: dt.datetime | None = None
        recorded: str | None = None
        if type(item) is not dict and isinstance(item, str):
            event, payload = item, None
        elif type(item) is not dict and isinstance(item, HistoryEntry):
            event, payload, at = item.event, item.payload, item.at
            recorded = item.to_status.value
            if rules:
                _check_item({"payload": item.payload, "to_status": recorded}, index, event)
        elif type(item) is dict or isinstance(item, Mapping):  # dict first: ABC checks are slow
            event, payload, at, recorded = _read_mapping(item, index, rules=rules)
        else:
            raise InvalidInputError(
                f"event #{index} must be an event name, a mapping or a HistoryEntry, not "
                f"{brief(item)}",
                index=index,
            )
        target = table[state].get(event)
        if target is None:
            message = f"event {brief(event)} (#{index}) is not allowed in state {state}"
            return _invalid(state, index, event, message)
        if rules and payload is not None:  # bare event names carry nothing to check
            problem = None
            if at is not None:
                if last is not None and at < last:
                    problem = _out_of_order(at, last)
                last = at
                if fixed is None and (current is None or event == "receive"):
                    current = Regime.for_date(at.astimezone(VN_TZ).date())
            if problem is None:
                problem = _payload_problem(event, payload, current)
            if problem is None and recorded is not None and recorded != target:
                problem = _recorded_mismatch(recorded, target)
            if problem is not None:
                message = f"event {brief(event)} (#{index}) in state {state}: {problem}"
                return _invalid(state, index, event, message)
        state = target
    return HistoryCheck(valid=True, state=state)


def _invalid(state: str, index: int, event: str, message: str) -> HistoryCheck:
    """The verdict of :func:`validate_history` on the first problem, at ``index``."""
    return HistoryCheck(
        valid=False,
        state=state,
        index=index,
        event=event,
        allowed=_ALLOWED[state],
        message=message,
    )


def _out_of_order(at: dt.datetime, last: dt.datetime) -> str:
    """The problem of an event recorded before the previous one."""
    return (
        f"at={at.astimezone(VN_TZ).isoformat()} is before the previous event "
        f"({last.astimezone(VN_TZ).isoformat()}); record events in time order"
    )


def _recorded_mismatch(recorded: str, target: str) -> str:
    """The problem of a saved entry whose ``to_status`` is not where its event leads."""
    return (
        f"the entry records to_status {brief(recorded)} but the event leads to "
        f"{brief(target)}; the saved history was changed (Lifecycle.replay records "
        "this "
        "as a 'recorded_mismatch' finding, or raises with strict=True)"
    )


def _read_mapping(
    item: Mapping[str, Any], index: int, *, rules: bool
) -> tuple[str, Mapping[str, Any], dt.datetime | None, str | None]:
    """``(event, payload, at, recorded to_status)`` of one mapping for :func:`validate_history`."""
    name = item.get("event")
    if not isinstance(name, str):
        raise InvalidInputError(
            f"event #{index} has no 'event' name; write "
            '{"event": "receive", "at": "2025-03-03T09:00+07:00"}',
            index=index,
        )
    if not rules:
        return name, item, None, None
    recorded = _check_item(item, index, name)
    at: dt.datetime | None = None
    raw_at = item.get("at")
    if raw_at is not None:
        try:  # fast path for ISO text; comparisons need no conversion
            at = _fromiso(raw_at)
        except (TypeError, ValueError):
            at = _instant(raw_at, name=f"events[{index}].at")
        if at.tzinfo is None:
            at = at.replace(tzinfo=VN_TZ)
    payload: Mapping[str, Any] = item
    if "payload" in item:
        inner = item["payload"]
        if "to_status" in item and isinstance(inner, Mapping):
            payload = inner  # a recorded entry: the payload is the recorded input
        else:
            payload = _merge_payload(item, event=name, index=index)
    return name, payload, at, recorded


def _check_item(item: Mapping[str, Any], index: int, event: str) -> str | None:
    """What replay refuses without a clock: a blank actor, a bad payload item, a bad status.

    Returns the recorded ``to_status`` of a saved entry (``None`` for an event object).

    Raises:
        InvalidInputError: as :meth:`Lifecycle.replay` does, naming the index.
    """
    code = "(unsaved)"
    actor = item.get("actor")
    if actor is not None and not (type(actor) is str and actor.strip()):
        _actor(actor, code=code, index=index, event=event)
    if "to_status" not in item and "payload" not in item:
        for key in item:  # fast path: most items carry 0 or 1 payload key
            if key in _ENTRY_KEYS:
                continue
            problem = _value_problem(key, item[key])
            if problem is not None:
                raise InvalidInputError(
                    f"event {brief(event)} (#{index}): {problem}", index=index, field=str(key)
                )
        return None
    recorded: str | None = None
    if "to_status" in item:
        for key in ("to_status", "from_status"):
            value = item.get(key)
            if (value is not None or key == "to_status") and (
                not isinstance(value, str) or value not in _STATUS_VALUES
            ):
                raise InvalidInputError(
                    f"event #{index} is a recorded history entry (it has 'to_status') but "
                    f"{key}={brief(value)} is not a status; statuses: "
                    f"{', '.join(s.value for s in DossierStatus)}",
                    index=index,
                    field=key,
                )
        recorded = str(item["to_status"])
        inner = item.get("payload") or {}
        keys: Iterable[tuple[Any, Any]] = inner.items() if isinstance(inner, Mapping) else ()
    else:
        keys = ((k, v) for k, v in item.items() if k not in _ENTRY_KEYS)
        inner = item.get("payload")
        if isinstance(inner, Mapping):
            keys = [*keys, *inner.items()]
    for key, value in keys:
        problem = _value_problem(key, value)
        if problem is not None:
            raise InvalidInputError(
                f"event {brief(event)} (#{index}): {problem}", index=index, field=str(key)
            )
    return recorded


# --------------------------------------------------------------------------------------------
# Diagram
# --------------------------------------------------------------------------------------------


def lifecycle_mermaid() -> str:
    """The lifecycle as a Mermaid ``stateDiagram-v2``, derived from :data:`TRANSITIONS`.

    >>> print(lifecycle_mermaid().splitlines()[0])
    stateDiagram-v2
    """
    lines = ["stateDiagram-v2", "    direction LR"]
    for state in DossierMachine.states:
        value = str(state.value)
        if value == NEW:
            lines.append(f'    state "Chưa nộp (new)" as {value}')
        else:
            status = DossierStatus(value)
            lines.append(f'    state "{status.national_code} {status.label}" as {value}')
    lines.append(f"    [*] --> {NEW}")
    for source, row in TRANSITIONS.items():
        by_target: dict[str, list[str]] = {}
        for event, target in row.items():
            by_target.setdefault(target, []).append(event)
        for target, names in by_target.items():
            lines.append(f"    {source} --> {target} : {', '.join(names)}")
    for state in DossierMachine.final_states:
        lines.append(f"    {state.value} --> [*]")
    return "\n".join(lines) + "\n"
