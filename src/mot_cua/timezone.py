"""Time-zone helpers: every instant mot_cua returns is aware and in ``Asia/Ho_Chi_Minh``.

Vietnam has used UTC+07:00 without daylight saving since 1975; mot_cua still uses the IANA zone so
that printed datetimes carry the zone's name. The system time zone is never consulted.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from mot_cua.errors import CalendarRangeError, InvalidInputError, NaiveDatetimeError, brief

__all__ = ["VN_TZ", "ensure_aware", "localize"]

#: The zone of every instant mot_cua returns.
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def ensure_aware(value: dt.datetime, *, name: str = "datetime") -> dt.datetime:
    """Return ``value`` converted to Asia/Ho_Chi_Minh, refusing naive datetimes.

    Args:
        value: an aware datetime.
        name: how the argument is called in the error message.

    Raises:
        NaiveDatetimeError: ``value`` is not a datetime, or has no UTC offset.
        CalendarRangeError: the instant cannot be represented in Asia/Ho_Chi_Minh (within hours
            of ``datetime.max``/``datetime.min``).
        InvalidInputError: ``value``'s ``tzinfo`` gives an invalid offset.

    >>> ensure_aware(dt.datetime(2025, 1, 6, 2, 0, tzinfo=dt.UTC)).isoformat()
    '2025-01-06T09:00:00+07:00'
    >>> ensure_aware(dt.datetime(2025, 1, 6, 9, 0), name="received_at")
    Traceback (most recent call last):
    ...
    mot_cua.errors.NaiveDatetimeError: received_at=2025-01-06T09:00:00 has no UTC offset; ...
    """
    if value.__class__ is dt.datetime and value.tzinfo is VN_TZ:
        return value  # already an instant in Asia/Ho_Chi_Minh (the common case, kept cheap)
    if not isinstance(name, str):
        name = brief(name)
    if not isinstance(value, dt.datetime):
        raise NaiveDatetimeError(
            f"{name} must be a datetime, not {type(value).__name__} ({brief(value)})",
            field=name,
            value=value,
        )
    try:
        offset = value.utcoffset() if value.tzinfo is not None else None
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"{name}: its tzinfo {brief(value.tzinfo)} gives no valid UTC offset ({exc}); use "
            "mot_cua.VN_TZ or datetime.timezone",
            field=name,
        ) from exc
    if offset is None:
        raise NaiveDatetimeError(
            f"{name}={value.isoformat()} has no UTC offset; mot_cua never guesses a time zone: "
            f"pass e.g. value.replace(tzinfo=mot_cua.VN_TZ) or use mot_cua.localize(value)",
            field=name,
            value=value,
        )
    return _to_vn(value, name)


def _to_vn(value: dt.datetime, name: str) -> dt.datetime:
    try:
        return value.astimezone(VN_TZ)
    except (OverflowError, ValueError) as exc:
        raise CalendarRangeError(
            f"{name}={value.isoformat()} cannot be expressed in Asia/Ho_Chi_Minh (it lies within "
            "hours of the largest or smallest date Python can represent); give an instant "
            "within the working calendar's years",
            field=name,
            value=value,
        ) from exc


def localize(value: dt.datetime) -> dt.datetime:
    """Attach Asia/Ho_Chi_Minh to a naive wall-clock time (an explicit, opt-in boundary step).

    An aware datetime is converted instead.

    Raises:
        InvalidInputError: ``value`` is not a datetime.
        CalendarRangeError: an aware ``value`` cannot be represented in Asia/Ho_Chi_Minh.

    >>> localize(dt.datetime(2025, 4, 25, 10, 0)).isoformat()
    '2025-04-25T10:00:00+07:00'
    """
    if not isinstance(value, dt.datetime):
        raise InvalidInputError(
            f"localize() takes a datetime, not {type(value).__name__} ({brief(value)})",
            field="value",
        )
    if value.tzinfo is None:
        return value.replace(tzinfo=VN_TZ)
    return ensure_aware(value, name="value")
