"""Statutory time limits (thời hạn giải quyết) as values, and their parser.

A :class:`TimeLimit` is what a procedure publishes: "03 ngày làm việc", "15 ngày", "8 giờ làm
việc", "trong ngày", "ngay". It says nothing about a calendar; :func:`mot_cua.compute_due` turns it
into a due date. Units follow RULES.md §4 and the Civil Code 2015 Arts. 144–148:

* ``working_days``: may be fractional (0.5, 1.5); never truncated.
* ``calendar_days``: the first day is not counted (Civil Code Art. 147); the period rolls forward
  when it ends on a day off (Art. 148).
* ``working_hours`` and ``hours``: counted from the receipt instant (Art. 147).
* ``months``: ends on the corresponding day, or the month's last day (Art. 148).
* ``same_day`` ("trong ngày"), ``immediately`` ("ngay").

A limit may carry an ``extension`` in the same unit, granted by law in some places (e.g. land:
+10 working days in mountainous, border, island or disadvantaged communes, Decree 101/2024; RULES.md
§4, medium). :meth:`TimeLimit.extended` returns the limit with it applied.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
import unicodedata
from enum import StrEnum
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, model_validator

from mot_cua.errors import TimeLimitParseError

__all__ = ["Deadline", "Method", "TimeLimit", "TimeUnit", "Timeliness", "TraceEntry", "TraceKind"]


class TimeUnit(StrEnum):
    """Units of a statutory time limit (values are persisted; never rename them)."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WORKING_HOURS = "working_hours"
    HOURS = "hours"
    MONTHS = "months"
    SAME_DAY = "same_day"
    IMMEDIATELY = "immediately"

    @property
    def label(self) -> str:
        """Vietnamese label."""
        return _LABEL_VI[self]


_LABEL_VI = {
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.CALENDAR_DAYS: "ngày",
    TimeUnit.WORKING_HOURS: "giờ làm việc",
    TimeUnit.HOURS: "giờ",
    TimeUnit.MONTHS: "tháng",
    TimeUnit.SAME_DAY: "trong ngày",
    TimeUnit.IMMEDIATELY: "ngay",
}
_LABEL_EN = {
    TimeUnit.WORKING_DAYS: "working days",
    TimeUnit.CALENDAR_DAYS: "days",
    TimeUnit.WORKING_HOURS: "working hours",
    TimeUnit.HOURS: "hours",
    TimeUnit.MONTHS: "months",
    TimeUnit.SAME_DAY: "same day",
    TimeUnit.IMMEDIATELY: "immediately",
}
_VALUELESS = frozenset({TimeUnit.SAME_DAY, TimeUnit.IMMEDIATELY})
_INTEGRAL = frozenset({TimeUnit.CALENDAR_DAYS, TimeUnit.MONTHS})


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else repr(x)


class TimeLimit(BaseModel):
    """A statutory time limit: a value and a unit, with an optional extension.

    In pydantic models and JSON a limit may be given as text, which is parsed.

    >>> TimeLimit.parse("03 ngày làm việc")  # doctest: +NORMALIZE_WHITESPACE
    TimeLimit(value=3.0, unit=<TimeUnit.WORKING_DAYS: 'working_days'>, extension=0.0,
              extension_basis=None)
    >>> str(TimeLimit.parse("0,5 ngày làm việc")), str(TimeLimit.parse("same day"))
    ('0.5 ngày làm việc', 'trong ngày')
    >>> land = TimeLimit(value=20, unit="working_days", extension=10,
    ...                  extension_basis="Decree 101/2024: disadvantaged commune")
    >>> land.extended().value
    30.0
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: float = 0.0
    unit: TimeUnit
    extension: float = 0.0
    extension_basis: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            return cls.parse(data).model_dump()
        return data

    @model_validator(mode="after")
    def _check(self) -> Self:
        for name in ("value", "extension"):
            x = getattr(self, name)
            if not math.isfinite(x) or x < 0:
                raise ValueError(f"{name} must be a finite number ≥ 0, got {x!r}")
        if self.unit in _VALUELESS and (self.value or self.extension):
            raise ValueError(f"a '{self.unit.value}' limit takes no value; leave value at 0")
        if self.unit not in _VALUELESS and self.value == 0 and self.extension == 0:
            raise ValueError(
                f"0 {self.unit.value} is not a limit; use unit 'same_day' or 'immediately'"
            )
        if self.unit in _INTEGRAL and (
            self.value != int(self.value) or self.extension != int(self.extension)
        ):
            raise ValueError(f"{self.unit.value} must be whole numbers, got {self.value!r}")
        return self

    def extended(self) -> TimeLimit:
        """The limit with its extension added (e.g. 20 + 10 working days → 30)."""
        if not self.extension:
            return self
        return TimeLimit(value=self.value + self.extension, unit=self.unit)

    def to_text(self, lang: str = "vi") -> str:
        """Render the limit in Vietnamese (``"vi"``) or English (``"en"``).

        >>> TimeLimit.parse("3 ngày làm việc").to_text("en")
        '3 working days'
        """
        labels = _LABEL_VI if lang == "vi" else _LABEL_EN
        if self.unit in _VALUELESS:
            return labels[self.unit]
        text = f"{_fmt(self.value)} {labels[self.unit]}"
        if self.extension:
            text = f"{_fmt(self.value)} + {_fmt(self.extension)} {labels[self.unit]}"
        return text

    def __str__(self) -> str:
        return self.to_text("vi")

    @classmethod
    def parse(cls, text: str) -> TimeLimit:
        """Read a limit as the national procedure database writes it, in Vietnamese or English.

        Accepted: a number (``3``, ``03``, ``0.5``, ``0,5``, optionally followed by the number in
        words in brackets, ``03 (ba)``) and a unit (``ngày làm việc``/``working days``,
        ``ngày``/``days``/``calendar days``, ``giờ làm việc``/``working hours``,
        ``giờ``/``hours``, ``tháng``/``months``); ``A + B unit`` for a limit with an extension;
        ``trong ngày``, ``ngay trong ngày``, ``same day``; ``ngay``, ``immediately``. Leading
        ``trong vòng``/``không quá``/``within`` and a trailing ``kể từ ...``/``from ...`` clause
        are ignored.

        Raises:
            TimeLimitParseError: the text is not a limit; the message quotes it.

        >>> TimeLimit.parse("Không quá 15 ngày kể từ ngày nhận đủ hồ sơ").unit
        <TimeUnit.CALENDAR_DAYS: 'calendar_days'>
        >>> TimeLimit.parse("soon")
        Traceback (most recent call last):
        ...
        mot_cua.errors.TimeLimitParseError: cannot read time limit 'soon'; ...
        """
        if not isinstance(text, str):
            raise TimeLimitParseError(
                f"a time limit must be text such as '3 ngày làm việc', not {text!r}", text=text
            )
        return _parse_cached(cls, text)

    @classmethod
    def _parse_uncached(cls, text: str) -> TimeLimit:
        norm = _normalise(text)
        if norm in _SAME_DAY:
            return cls(unit=TimeUnit.SAME_DAY)
        if norm in _IMMEDIATE:
            return cls(unit=TimeUnit.IMMEDIATELY)
        m = _NUMBERED.match(norm)
        if m:
            unit = _UNITS.get(m["unit"].strip())
            if unit is not None:
                value = float(m["value"].replace(",", "."))
                ext = float(m["ext"].replace(",", ".")) if m["ext"] else 0.0
                try:
                    return cls(value=value, unit=unit, extension=ext)
                except ValueError as exc:
                    raise TimeLimitParseError(
                        f"time limit {text!r} is not valid: {_first_error(exc)}", text=text
                    ) from exc
        raise TimeLimitParseError(
            f"cannot read time limit {text!r}; write a number and a unit such as "
            "'3 ngày làm việc', '15 ngày', '8 giờ làm việc', '2 tháng', 'trong ngày', "
            "'ngay', '3 working days' or 'same day'",
            text=text,
        )


@functools.lru_cache(maxsize=1024)
def _parse_cached(cls: type[TimeLimit], text: str) -> TimeLimit:
    # Limits are frozen values and catalogues repeat the same few texts: parse each once.
    return cls._parse_uncached(text)


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            return str(found[0].get("msg", exc))
    return str(exc)


_PREFIXES = (
    "trong vòng",
    "trong thời hạn",
    "không quá",
    "tối đa",
    "within",
    "no more than",
    "up to",
    "at most",
)
_SUFFIX = re.compile(r"\s+(kể từ|tính từ|từ khi|from|after|since|counted)\b.*$")
_SAME_DAY = frozenset(
    {
        "trong ngày",
        "ngay trong ngày",
        "trong ngày làm việc",
        "ngay trong ngày làm việc",
        "trong cùng ngày",
        "trong ngày tiếp nhận",
        "same day",
        "same working day",
        "the same day",
        "same-day",
        "within the day",
        "within the same day",
        "within the same working day",
    }
)
_IMMEDIATE = frozenset({"ngay", "ngay lập tức", "giải quyết ngay", "immediately", "at once"})
_UNITS = {
    "ngày làm việc": TimeUnit.WORKING_DAYS,
    "working day": TimeUnit.WORKING_DAYS,
    "working days": TimeUnit.WORKING_DAYS,
    "business day": TimeUnit.WORKING_DAYS,
    "business days": TimeUnit.WORKING_DAYS,
    "ngày": TimeUnit.CALENDAR_DAYS,
    "ngày lịch": TimeUnit.CALENDAR_DAYS,
    "day": TimeUnit.CALENDAR_DAYS,
    "days": TimeUnit.CALENDAR_DAYS,
    "calendar day": TimeUnit.CALENDAR_DAYS,
    "calendar days": TimeUnit.CALENDAR_DAYS,
    "giờ làm việc": TimeUnit.WORKING_HOURS,
    "working hour": TimeUnit.WORKING_HOURS,
    "working hours": TimeUnit.WORKING_HOURS,
    "business hours": TimeUnit.WORKING_HOURS,
    "giờ": TimeUnit.HOURS,
    "tiếng": TimeUnit.HOURS,
    "hour": TimeUnit.HOURS,
    "hours": TimeUnit.HOURS,
    "tháng": TimeUnit.MONTHS,
    "month": TimeUnit.MONTHS,
    "months": TimeUnit.MONTHS,
}
_NUM = r"\d+(?:[.,]\d+)?"
_NUMBERED = re.compile(rf"^(?P<value>{_NUM})(?:\s*\+\s*(?P<ext>{_NUM}))?\s*(?P<unit>[^\d]+?)\s*$")


def _normalise(text: str) -> str:
    s = unicodedata.normalize("NFC", text).strip().lower()
    s = re.sub(r"\([^)]*\)", " ", s)  # "03 (ba) ngày" -> "03 ngày"
    s = re.sub(r"\s+", " ", s).strip(" .;:")
    for prefix in _PREFIXES:
        if s.startswith(prefix + " "):
            s = s[len(prefix) + 1 :]
            break
    return _SUFFIX.sub("", s).strip()


class Method(StrEnum):
    """How a limit in working days is counted (RULES.md §4; a policy, default ``days``).

    * ``days``: the Civil Code reading, N working days after the deemed receipt date, due at the
      close of office hours.
    * ``half-days``: morning and afternoon slots, as older one-stop software counts (e-PAR).
    * ``working-time``: N × the office hours of a day, added to the receipt instant.
    """

    DAYS = "days"
    HALF_DAYS = "half-days"
    WORKING_TIME = "working-time"


class Timeliness(StrEnum):
    """trước hạn / đúng hạn / quá hạn (Decision 766/QĐ-TTg)."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"

    @property
    def label(self) -> str:
        """Vietnamese label."""
        return {"early": "trước hạn", "on_time": "đúng hạn", "late": "quá hạn"}[self.value]


class TraceKind(StrEnum):
    """What a :class:`TraceEntry` records."""

    DEEMED_RECEIPT = "deemed_receipt"
    SKIPPED = "skipped"
    ROLLED = "rolled"
    PAUSED = "paused"
    RESTARTED = "restarted"
    EXTENDED = "extended"


class TraceEntry(BaseModel):
    """One step of a due-date computation: a day skipped, a pause, the deemed receipt..."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: _dt.date
    kind: TraceKind
    label: str
    source: str | None = None


class Deadline(BaseModel):
    """A computed due date (ngày hẹn trả kết quả) and how it was reached.

    Built by :func:`mot_cua.compute_due`; immutable. :meth:`extend` returns the deadline after
    an apology with a new date (Decree 61/2018; form 04).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    received_at: _dt.datetime
    deemed_receipt: _dt.datetime
    limit: TimeLimit
    method: Method
    due_at: _dt.datetime
    provisional: bool = False
    trace: tuple[TraceEntry, ...] = ()
    extended_from: _dt.datetime | None = None
    extension_reason: str | None = None

    @model_validator(mode="after")
    def _aware(self) -> Self:
        for name in ("received_at", "deemed_receipt", "due_at", "extended_from"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"{name} must be an aware datetime")
        return self

    @property
    def due_date(self) -> _dt.date:
        """The date of :attr:`due_at` in Asia/Ho_Chi_Minh."""
        return self.due_at.date()

    def extend(self, new_due_at: _dt.datetime, *, reason: str) -> Deadline:
        """Return this deadline moved to ``new_due_at`` (an apology with a new date).

        Raises:
            InvalidInputError: ``new_due_at`` is naive or not later than the current due moment.
        """
        from mot_cua.errors import InvalidInputError
        from mot_cua.timezone import ensure_aware

        new = ensure_aware(new_due_at, name="new_due_at")
        if new <= self.due_at:
            raise InvalidInputError(
                f"an extension must move the due moment later: new_due_at={new.isoformat()} is "
                f"not after the current due_at={self.due_at.isoformat()}",
                field="new_due_at",
            )
        entry = TraceEntry(date=new.date(), kind=TraceKind.EXTENDED, label=reason)
        return self.model_copy(
            update={
                "due_at": new,
                "extended_from": self.due_at if self.extended_from is None else self.extended_from,
                "extension_reason": reason,
                "trace": (*self.trace, entry),
            }
        )
