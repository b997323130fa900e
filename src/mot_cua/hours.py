"""Office hours (giờ hành chính): the sessions in which an agency works and receives dossiers.

Office hours are set per agency (mot_cua rules §2, medium): a common pattern is 07:30–11:30 and
13:30–17:00; Hà Nội uses 08:00–12:00 and 13:00–17:00; some service centres also *receive* dossiers
on Saturday morning. Reception on a Saturday that is not an officially worked Saturday does not make
it a working day: deadlines count from the next working day (mot_cua rules §2).

A worked Saturday (làm bù) is a full working day; it uses the ``workday`` sessions.

Session times are wall-clock times in Asia/Ho_Chi_Minh, in whole minutes (a session is at least a
minute long). A time carrying the +07:00 offset is accepted as that wall-clock time; any other
offset is refused, with the equivalent Asia/Ho_Chi_Minh time in the message.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mot_cua._values.hours import OfficeHours, Session

__all__ = ["OfficeHours", "Session", "wall_clock"]

_VN_OFFSET = dt.timedelta(hours=7)


def wall_clock(value: dt.time, *, name: str = "time") -> dt.time:
    """A time of day as a naive wall-clock time in Asia/Ho_Chi_Minh.

    A naive time is returned as it is; one carrying the +07:00 offset loses it (same wall-clock
    time). Any other offset is refused: a cut-off or a session is a time on the agency's clock.

    Raises:
        ValueError: the time carries another offset, or a time zone without a fixed offset
            (pydantic validators turn it into a validation error naming the field).

    >>> wall_clock(dt.time(15, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    datetime.time(15, 0)
    """
    if value.tzinfo is None:
        return value
    offset = value.utcoffset()
    if offset == _VN_OFFSET:
        return value.replace(tzinfo=None)
    if offset is None:
        raise ValueError(
            f"{name}={value.isoformat()} has a time zone without a fixed offset; give the "
            f"wall-clock time in Asia/Ho_Chi_Minh, e.g. {value:%H:%M}"
        )
    here = (dt.datetime.combine(dt.date(2000, 1, 3), value) + (_VN_OFFSET - offset)).time()
    raise ValueError(
        f"{name}={value.isoformat()} is not on Asia/Ho_Chi_Minh time (+07:00); times of day are "
        f"the agency's wall-clock times: write {here:%H:%M} (without an offset)"
    )


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            return "; ".join(str(e.get("msg", "")).removeprefix("Value error, ") for e in found)
    return str(exc)


_SPAN = re.compile(r"^\s*(\d{1,2})[:hH](\d{2})\s*[-–]\s*(\d{1,2})[:hH](\d{2})\s*$")


def _minute(t: dt.time) -> int:
    return t.hour * 60 + t.minute


#: The default sessions of a working day (07:30–11:30, 13:30–17:00; mot_cua rules §2, medium):
#: :meth:`OfficeHours.default` is built from them, and the deadline engine's default policy reads
#: them without building the model.
DEFAULT_WORKDAY: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(7, 30), dt.time(11, 30)),
    (dt.time(13, 30), dt.time(17, 0)),
)


def __getattr__(name: str) -> Any:
    # The pydantic models load on first use, so that what needs only the plain parts (the CLI's
    # ``due``) never imports pydantic (issue 10 §3; docs/design.md, "Models load lazily").
    if name in ("OfficeHours", "Session", "Sessions"):
        from mot_cua._values import hours

        value = globals()[name] = getattr(hours, name)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
