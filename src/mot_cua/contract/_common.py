"""Helpers shared by the contract's operations: instants, calendars, policies, field checks."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from mot_cua.calendar import CALENDAR_FILE_ENV, WorkingCalendar
from mot_cua.errors import InvalidInputError, brief, require
from mot_cua.timezone import VN_TZ

if TYPE_CHECKING:
    from pydantic import BaseModel

    from mot_cua.deadlines import DeadlinePolicy, Pause

# pydantic, the models and the error converter load where they are used: the CLI's ``due``
# without policy fields or pauses needs none of them (issue 10 §3).

__all__ = [
    "calendar_for",
    "parse_instant",
    "policy_for",
    "validated",
]

M = TypeVar("M", bound="BaseModel")

_fromiso = dt.datetime.fromisoformat


def parse_instant(text: object, *, name: str) -> dt.datetime:
    """Read an ISO 8601 instant; without an offset it means Asia/Ho_Chi_Minh.

    Args:
        text: the text.
        name: the field or option, for messages.

    Returns:
        The instant in Asia/Ho_Chi_Minh.

    Raises:
        InvalidInputError: not a text, not ISO 8601, or too close to year 1 or 9999 to convert.

    >>> parse_instant("2025-04-25T10:00", name="received").isoformat()
    '2025-04-25T10:00:00+07:00'
    >>> parse_instant("9999-12-31T23:00-12:00", name="--received")
    Traceback (most recent call last):
        ...
    mot_cua.errors.InvalidInputError: --received '9999-12-31T23:00-12:00' is out of range in \
Asia/Ho_Chi_Minh; give an instant between years 1 and 9999
    """
    require(name, str, "name", "the field's name, for messages (e.g. 'received')")
    if not isinstance(text, str):
        raise InvalidInputError(
            f"{name} must be an ISO 8601 text such as 2025-04-25T10:00+07:00, not "
            f"{brief(text, 60)}",
            field=name,
        )
    try:
        value = _fromiso(text)
    except ValueError as exc:
        raise InvalidInputError(
            f"{name} {text[:60]!r} is not an ISO 8601 date-time; write e.g. 2025-04-25T10:00 "
            "(Asia/Ho_Chi_Minh) or 2025-04-25T10:00+07:00",
            field=name,
        ) from exc
    if value.tzinfo is None:
        return value.replace(tzinfo=VN_TZ)
    try:
        return value.astimezone(VN_TZ)
    except (OverflowError, ValueError) as exc:
        raise InvalidInputError(
            f"{name} {brief(text)} is out of range in Asia/Ho_Chi_Minh; give an instant between "
            "years 1 and 9999",
            field=name,
        ) from exc


def calendar_for(*, culture_day: bool = True, calendar_file: str | None = None) -> WorkingCalendar:
    """The Vietnamese calendar for a request (cached by the calendar module).

    The contract reports provisional years in its results (``provisional``, ``uncertain_days``),
    so these calendars do not also emit :class:`~mot_cua.errors.ProvisionalCalendarWarning`.

    Args:
        culture_day: treat 24/11 as a day off (the default).
        calendar_file: a user calendar data file (``--calendar-file``), trusted input.

    Returns:
        The calendar.

    Raises:
        InvalidInputError: ``culture_day`` is not a boolean.
        CalendarDataError: the calendar file is invalid.
        InputFileError: the calendar file cannot be read.

    >>> import datetime as dt
    >>> calendar_for(culture_day=False).is_working_day(dt.date(2026, 11, 24))
    True
    """
    if culture_day.__class__ is not bool:
        raise InvalidInputError(
            f"culture_day must be true or false, not {brief(culture_day, 40)}", field="culture_day"
        )
    if calendar_file is not None and not isinstance(calendar_file, str | os.PathLike):
        raise InvalidInputError(
            f"calendar_file must be a path, not {type(calendar_file).__name__}",
            field="calendar_file",
        )
    # The library caches too; this dict spares a batch line the keyword call (issue 10 §2).
    key = (culture_day, calendar_file, os.environ.get(CALENDAR_FILE_ENV))
    found = _CALENDARS.get(key)
    if found is not None:
        return found
    if calendar_file is None:
        cal = WorkingCalendar.vietnam(culture_day=culture_day, on_provisional="ignore")
    else:
        cal = WorkingCalendar.vietnam(
            culture_day=culture_day, data=calendar_file, on_provisional="ignore"
        )
    if len(_CALENDARS) >= 16:
        _CALENDARS.clear()
    _CALENDARS[key] = cal
    return cal


_CALENDARS: dict[tuple[bool, str | None, str | None], WorkingCalendar] = {}


def _time(value: object, name: str) -> dt.time | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a time HH:MM, not {brief(value, 40)}", field=name)
    if value.strip().lower() in {"none", "off", "no", ""}:
        return None
    try:
        t = dt.time.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInputError(
            f"{name} {value[:40]!r} is not a time; write HH:MM (e.g. 15:00) or 'none'", field=name
        ) from exc
    if t.tzinfo is not None:
        raise InvalidInputError(
            f"{name} {brief(value)}: give a local time without an offset (e.g. 15:00); office "
            "times are in Asia/Ho_Chi_Minh",
            field=name,
        )
    return t


def _slots(value: object) -> tuple[dt.time, dt.time] | None:
    if value is None:
        return None
    parts = value.split(",") if isinstance(value, str) else value
    if not isinstance(parts, (list, tuple)) or len(parts) != 2:
        raise InvalidInputError(
            f"half_day_slots {brief(value, 60)}: give two times, e.g. 11:30,16:00",
            field="half_day_slots",
        )
    a, b = (_time(p, "half_day_slots") for p in parts)
    if a is None or b is None:
        raise InvalidInputError(
            "half_day_slots: give two times, e.g. 11:30,16:00", field="half_day_slots"
        )
    return a, b


#: Policy fields a request may set, with the value that means "the default".
POLICY_FIELDS = (
    "method",
    "cutoff",
    "office_hours",
    "half_day_slots",
    "due_time",
    "roll",
    "worked_saturdays",
    "outside_hours",
    "pause_policy",
    "hours_per_day",
)


_POLICY_SET = frozenset(POLICY_FIELDS)


def _default_policy() -> DeadlinePolicy:
    from mot_cua.deadlines import _default_policy

    return _default_policy()


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def policy_for(fields: Mapping[str, Any]) -> DeadlinePolicy:
    """The :class:`DeadlinePolicy` of a request's policy fields (cached by value).

    Args:
        fields: the request (only :data:`POLICY_FIELDS` are read; ``cutoff`` absent means
            15:00, ``null`` or ``"none"`` disables it).

    Returns:
        The policy.

    Raises:
        InvalidInputError: a value the policy does not accept, naming the field.

    >>> policy_for({"cutoff": "none", "method": "half-days"}).cutoff is None
    True
    >>> policy_for({"cutoff": "3pm"})
    Traceback (most recent call last):
        ...
    mot_cua.errors.InvalidInputError: cutoff '3pm' is not a time; write HH:MM (e.g. 15:00) or 'none'
    """
    found = _policy_or_none(fields)
    return _default_policy() if found is None else found


def _policy_or_none(fields: Mapping[str, Any]) -> DeadlinePolicy | None:
    """:func:`policy_for`, but ``None`` (the default policy, no model built) when no policy
    field is given: what the contract's ``due`` passes on to the engine.

    Raises:
        InvalidInputError: as :func:`policy_for`.
    """
    require(fields, Mapping, "fields", "a mapping of policy fields")
    if _POLICY_SET.isdisjoint(fields):
        return None
    key = tuple(_hashable(fields.get(f, _ABSENT)) for f in POLICY_FIELDS)
    try:
        return _policy_cached(key)
    except TypeError as exc:  # an unhashable value (object, nested list)
        raise InvalidInputError(
            f"a policy field holds an unusable value ({exc}); see the due request schema",
            field="policy",
        ) from exc


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


_ABSENT: Any = _Absent()


@functools.lru_cache(maxsize=256)
def _policy_cached(key: tuple[Any, ...]) -> DeadlinePolicy:
    from pydantic import ValidationError

    from mot_cua.contract._errors import from_validation_error
    from mot_cua.deadlines import DeadlinePolicy
    from mot_cua.hours import OfficeHours

    raw = dict(zip(POLICY_FIELDS, key, strict=True))
    args: dict[str, Any] = {k: v for k, v in raw.items() if v is not _ABSENT}
    if "cutoff" in args:
        args["cutoff"] = _time(args["cutoff"], "cutoff")
    if "half_day_slots" in args:
        args["half_day_slots"] = _slots(args["half_day_slots"])
    if "office_hours" in args:
        hours = args["office_hours"]
        if not isinstance(hours, str):
            raise InvalidInputError(
                "office_hours must be a text such as 07:30-11:30,13:30-17:00, not "
                f"{brief(hours, 40)}",
                field="office_hours",
            )
        args["office_hours"] = OfficeHours.parse(hours)
    for name in ("worked_saturdays",):
        if name in args and not isinstance(args[name], bool):
            raise InvalidInputError(f"{name} must be true or false", field=name)
    try:
        return DeadlinePolicy(**args)
    except ValidationError as exc:
        raise from_validation_error(exc) from None


def pause_of(item: object, index: int) -> Pause:
    """One pause of a request: ``"START/END"`` or ``{"start", "end", "label"?}``.

    Raises:
        InvalidPauseError: unreadable text.
        InvalidInputError: another shape, naming ``pauses[index]``.
    """
    from pydantic import ValidationError

    from mot_cua.contract._errors import from_validation_error
    from mot_cua.deadlines import Pause

    where = f"pauses[{index}]"
    if isinstance(item, str):
        try:
            return Pause.parse(item)
        except InvalidInputError as exc:
            exc.details.setdefault("field", where)
            raise
    if isinstance(item, Mapping):
        unknown = set(item) - {"start", "end", "label"}
        if unknown:
            raise InvalidInputError(
                f"{where}: unknown key {brief(sorted(unknown)[0])}; use start, end and label",
                field=where,
            )
        start = parse_instant(item.get("start"), name=f"{where}.start")
        end = parse_instant(item.get("end"), name=f"{where}.end")
        label = item.get("label")
        if label is None:
            label = "Tạm dừng tính thời hạn"
        if not isinstance(label, str):
            raise InvalidInputError(f"{where}.label must be a text", field=f"{where}.label")
        try:
            return Pause(start=start, end=end, label=label)
        except ValidationError as exc:
            raise from_validation_error(exc, prefix=where) from None
    raise InvalidInputError(
        f"{where} must be a text START/END, e.g. 2025-03-07T16:00/2025-03-12T10:00, "
        f"or an object with start and end, not {brief(item, 60)}",
        field=where,
    )


def validated(model: type[M], data: object, *, what: str) -> M:
    """Validate ``data`` against a request model, as one-line :class:`InvalidInputError`.

    Raises:
        InvalidInputError: ``data`` is not an object, or a field is wrong (naming it).
    """
    from pydantic import ValidationError

    from mot_cua.contract._errors import from_validation_error

    if isinstance(data, model):
        return data
    if not isinstance(data, Mapping):
        raise InvalidInputError(f"{what} must be a JSON object, not {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc) from None
