"""The pydantic models of :mod:`mot_cua.hours` (loaded on first use; import them from there)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from mot_cua.errors import InvalidInputError, brief
from mot_cua.hours import _SPAN, DEFAULT_WORKDAY, _first_error, _minute, wall_clock

__all__ = ["OfficeHours", "Session"]


class Session(BaseModel):
    """One continuous block of office time within a day, e.g. 07:30–11:30.

    >>> Session.parse("07:30-11:30").minutes
    240
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.time
    end: dt.time

    @field_validator("start", "end")
    @classmethod
    def _wall_clock(cls, value: dt.time, info: ValidationInfo) -> dt.time:
        value = wall_clock(value, name=str(info.field_name))
        if value.second or value.microsecond:
            raise ValueError(
                f"{info.field_name}={value.isoformat()}: office sessions are in whole minutes; "
                f"write {value:%H:%M}"
            )
        return value

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.end == self.start:
            raise ValueError(
                f"session {self.start:%H:%M}-{self.end:%H:%M} is empty; a session lasts at least "
                "a minute: write it as HH:MM-HH:MM with the later time second"
            )
        if self.end < self.start:
            raise ValueError(
                f"session ends ({self.end:%H:%M}) before it starts ({self.start:%H:%M}); "
                "write it as HH:MM-HH:MM with the later time second"
            )
        return self

    @property
    def minutes(self) -> int:
        """Length of the session in minutes."""
        return _minute(self.end) - _minute(self.start)

    @classmethod
    def parse(cls, text: str) -> Session:
        """Read ``"HH:MM-HH:MM"`` (also ``7h30-11h30``).

        Raises:
            InvalidInputError: the text is not a session.
        """
        m = _SPAN.match(text) if isinstance(text, str) else None
        if not m:
            raise InvalidInputError(
                f"cannot read office session {brief(text)}; write it as HH:MM-HH:MM, e.g. "
                "07:30-11:30",
                value=text,
            )
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        try:
            return cls(start=dt.time(h1, m1), end=dt.time(h2, m2))
        except ValueError as exc:
            raise InvalidInputError(
                f"invalid office session {brief(text)}: {_first_error(exc)}", value=text
            ) from exc

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


Sessions = Annotated[tuple[Session, ...], Field(min_length=0)]


class OfficeHours(BaseModel):
    """An agency's office hours.

    Args:
        workday: the sessions of a working day (Monday–Friday and worked Saturdays).
        saturday_reception: sessions in which the desk *receives* dossiers on Saturdays that are
            not working days. Receiving on such a Saturday does not start the clock before the
            next working day.

    >>> hours = OfficeHours.parse("07:30-11:30,13:30-17:00")
    >>> hours.opening, hours.closing, hours.minutes_per_day
    (datetime.time(7, 30), datetime.time(17, 0), 450)
    >>> str(OfficeHours.hanoi())
    '08:00-12:00,13:00-17:00'
    >>> OfficeHours.model_validate("08:00-12:00,13:00-17:00") == OfficeHours.hanoi()
    True
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    workday: tuple[Session, ...] = Field(min_length=1)
    saturday_reception: Sessions = ()

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            return cls.parse(data).model_dump()
        return data

    @field_validator("workday", "saturday_reception")
    @classmethod
    def _ordered(cls, sessions: tuple[Session, ...]) -> tuple[Session, ...]:
        for a, b in itertools.pairwise(sessions):
            if b.start < a.end:
                raise ValueError(f"sessions {a} and {b} overlap or are out of order")
        return sessions

    @classmethod
    def default(cls) -> OfficeHours:
        """07:30–11:30 and 13:30–17:00, the pattern most one-stop desks publish.

        Source: mot_cua rules §2 (medium; common practice, per agency). Override per agency.
        """
        return _DEFAULT

    @classmethod
    def hanoi(cls) -> OfficeHours:
        """08:00–12:00 and 13:00–17:00 (Hà Nội; mot_cua rules §2, medium)."""
        return cls.parse("08:00-12:00,13:00-17:00")

    @classmethod
    def parse(cls, text: str, *, saturday_reception: str | None = None) -> OfficeHours:
        """Read comma-separated sessions, e.g. ``"07:30-11:30,13:30-17:00"``.

        Raises:
            InvalidInputError: a session cannot be read, or sessions overlap.
        """
        for name, given in (("text", text), ("saturday_reception", saturday_reception)):
            if not isinstance(given, str) and not (name != "text" and given is None):
                raise InvalidInputError(
                    f"{name} must be text such as '07:30-11:30,13:30-17:00', not {brief(given)}",
                    field=name,
                )
        parts = [p for p in text.split(",") if p.strip()]
        if not parts:
            raise InvalidInputError(
                f"no office sessions in {brief(text)}; write e.g. 07:30-11:30,13:30-17:00",
                value=text,
            )
        sat = (
            ()
            if not saturday_reception
            else tuple(Session.parse(p) for p in saturday_reception.split(",") if p.strip())
        )
        try:
            return cls(workday=tuple(Session.parse(p) for p in parts), saturday_reception=sat)
        except ValueError as exc:
            if isinstance(exc, InvalidInputError):
                raise
            raise InvalidInputError(
                f"invalid office hours {brief(text)}: {_first_error(exc)}", value=text
            ) from exc

    @property
    def opening(self) -> dt.time:
        """Start of the first session of a working day."""
        return self.workday[0].start

    @property
    def closing(self) -> dt.time:
        """End of the last session of a working day."""
        return self.workday[-1].end

    @property
    def minutes_per_day(self) -> int:
        """Office minutes in one working day."""
        return sum(s.minutes for s in self.workday)

    def __str__(self) -> str:
        return ",".join(str(s) for s in self.workday)


_DEFAULT = OfficeHours(workday=tuple(Session(start=a, end=b) for a, b in DEFAULT_WORKDAY))
