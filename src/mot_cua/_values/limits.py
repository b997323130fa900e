"""The pydantic models of :mod:`mot_cua.limits` (loaded on first use; import them from there)."""

from __future__ import annotations

import datetime as _dt
import functools
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, field_serializer, model_validator

from mot_cua.errors import InvalidInputError, TimeLimitParseError, brief
from mot_cua.limits import (
    LegalStatus,
    Method,
    TimeUnit,
    TraceKind,
    _first_error,
    _Lazy,
    _limit_fields,
    _limit_problem,
    _to_text,
)

__all__ = ["Deadline", "TimeLimit", "TraceEntry", "UncertainDay"]


class TimeLimit(BaseModel):
    """A statutory time limit: a value and a unit, with an optional extension.

    In pydantic models and JSON a limit may be given as text, which is parsed. ``str()`` and
    :meth:`parse` round-trip: ``TimeLimit.parse(str(limit)) == limit`` for every valid limit (the
    extension's basis, when there is one, is written in square brackets).

    >>> TimeLimit.parse("03 ngày làm việc")  # doctest: +NORMALIZE_WHITESPACE
    TimeLimit(value=3.0, unit=<TimeUnit.WORKING_DAYS: 'working_days'>, extension=0.0,
              extension_basis=None)
    >>> str(TimeLimit.parse("0,5 ngày làm việc")), str(TimeLimit.parse("same day"))
    ('0.5 ngày làm việc', 'trong ngày')
    >>> land = TimeLimit(value=20, unit="working_days", extension=10,
    ...                  extension_basis="Decree 101/2024: disadvantaged commune")
    >>> land.extended().value
    30.0
    >>> str(land)
    '20 + 10 ngày làm việc [Decree 101/2024: disadvantaged commune]'
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
        problem = _limit_problem(self.value, self.unit, self.extension)
        if problem is not None:
            raise ValueError(problem)
        return self

    def extended(self) -> TimeLimit:
        """The limit with its extension added (e.g. 20 + 10 working days → 30).

        >>> str(TimeLimit.parse("20 + 10 ngày làm việc").extended())
        '30 ngày làm việc'
        """
        if not self.extension:
            return self
        return TimeLimit(value=self.value + self.extension, unit=self.unit)

    def to_text(self, lang: str = "vi") -> str:
        """Render the limit in Vietnamese (``"vi"``) or English (``"en"``).

        Both renderings are read back by :meth:`parse`.

        Raises:
            InvalidInputError: ``lang`` is neither ``"vi"`` nor ``"en"``.

        >>> TimeLimit.parse("3 ngày làm việc").to_text("en")
        '3 working days'
        """
        return _to_text(self, lang)

    def __str__(self) -> str:
        return self.to_text("vi")

    @classmethod
    def parse(cls, text: str) -> TimeLimit:
        """Read a limit as the national procedure database writes it, in Vietnamese or English.

        Accepted: a number (``3``, ``03``, ``0.5``, ``0,5``, optionally followed by the same number
        in words in brackets, ``03 (ba)``) and a unit (``ngày làm việc``/``working days``,
        ``ngày``/``days``/``calendar days``, ``giờ làm việc``/``working hours``,
        ``giờ``/``hours``, ``tháng``/``months``); ``A + B unit`` for a limit with an extension;
        ``trong ngày``, ``ngay trong ngày``, ``same day``; ``ngay``, ``immediately``. Leading
        ``trong vòng``/``không quá``/``within`` and a trailing ``kể từ ...``/``from ...`` clause
        are ignored. A qualifier of the unit, bracketed or not, is read for what it says:
        ``15 ngày (không kể ngày nghỉ)`` and ``3 ngày (làm việc)`` are working days,
        ``10 ngày (kể cả ngày nghỉ)`` calendar days. A trailing ``[...]`` is the extension's basis.

        Refused, with a suggestion: any other bracketed text; a number in words that differs from
        the digits (``03 (năm)``); numbers with thousands groups (``1.000``, ``1,000``), which
        Vietnamese and English read differently: write ``1000``.

        Raises:
            TimeLimitParseError: the text is not a limit; the message quotes it.

        >>> TimeLimit.parse("Không quá 15 ngày kể từ ngày nhận đủ hồ sơ").unit
        <TimeUnit.CALENDAR_DAYS: 'calendar_days'>
        >>> TimeLimit.parse("15 ngày (không kể ngày nghỉ)").unit
        <TimeUnit.WORKING_DAYS: 'working_days'>
        >>> TimeLimit.parse("soon")
        Traceback (most recent call last):
        ...
        mot_cua.errors.TimeLimitParseError: cannot read time limit 'soon'; ...
        """
        if not isinstance(text, str):
            raise TimeLimitParseError(
                f"a time limit must be text such as '3 ngày làm việc', not {brief(text)}", text=text
            )
        return _parse_cached(cls, text)

    @classmethod
    def _parse_uncached(cls, text: str) -> TimeLimit:
        return _build(cls, text, **_limit_fields(text))


def _build(cls: type[TimeLimit], text: str, **fields: Any) -> TimeLimit:
    try:
        return cls(**fields)
    except ValueError as exc:
        raise TimeLimitParseError(
            f"time limit {brief(text)} is not valid: {_first_error(exc)}", text=text
        ) from exc


@functools.lru_cache(maxsize=1024)
def _parse_cached(cls: type[TimeLimit], text: str) -> TimeLimit:
    # Limits are frozen values and catalogues repeat the same few texts: parse each once.
    return cls._parse_uncached(text)


class TraceEntry(BaseModel):
    """One step of a due-date computation: a day skipped, a pause, the deemed receipt..."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: _dt.date
    kind: TraceKind
    label: str
    source: str | None = None


class UncertainDay(BaseModel):
    """A day a result depended on whose legal status is not settled (mot_cua rules §2).

    Returned by :meth:`mot_cua.WorkingCalendar.uncertain_days` and carried by
    :attr:`Deadline.uncertain_days`.

    >>> UncertainDay(date=_dt.date(2026, 11, 24), status="pending", label="Ngày Văn hóa Việt Nam",
    ...              source="Politburo Resolution 80-NQ/TW").status
    <LegalStatus.PENDING: 'pending'>
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: _dt.date
    status: LegalStatus
    label: str
    source: str


class _LazyField:
    """Class attribute that materialises a :class:`_Lazy` stored in the instance's ``__dict__``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name]
        if type(value) is _Lazy:
            value = value.get()
            instance.__dict__[self.name] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        # Frozen like every other field: pydantic's own __setattr__ refuses first.
        BaseModel.__setattr__(instance, self.name, value)


class Deadline(BaseModel):
    """A computed due date (ngày hẹn trả kết quả) and how it was reached.

    Built by :func:`mot_cua.compute_due`; immutable. :meth:`extend` returns the deadline after
    an apology with a new date (Decree 61/2018; form 04).

    Fields beyond the due moment: ``raw_due_at`` is the instant a limit in clock hours reached
    before the appointment was moved into working time (``None`` when it was not moved, and after
    :meth:`extend`); ``uncertain_days`` are the days the computation spanned whose legal status is
    pending (each with its source), next to ``provisional`` (a year whose schedule is not
    published); :meth:`extend` keeps both as computed (the lifecycle, which knows the calendar,
    reports its own). The ``trace`` is built when first read, so a computation that never reads
    it does not pay for it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    received_at: _dt.datetime
    deemed_receipt: _dt.datetime
    limit: TimeLimit
    method: Method
    due_at: _dt.datetime
    raw_due_at: _dt.datetime | None = None
    provisional: bool = False
    uncertain_days: tuple[UncertainDay, ...] = ()
    trace: tuple[TraceEntry, ...] = ()
    extended_from: _dt.datetime | None = None
    extension_reason: str | None = None

    @model_validator(mode="after")
    def _aware(self) -> Self:
        for name in ("received_at", "deemed_receipt", "due_at", "raw_due_at", "extended_from"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"{name} must be an aware datetime")
        return self

    @field_serializer("trace", mode="plain")
    def _dump_trace(self, value: Any) -> tuple[TraceEntry, ...]:
        result: tuple[TraceEntry, ...] = value.get() if type(value) is _Lazy else value
        return result

    @property
    def due_date(self) -> _dt.date:
        """The date of :attr:`due_at` in Asia/Ho_Chi_Minh."""
        return self.due_at.date()

    def to_dict(self) -> dict[str, Any]:
        """The deadline as JSON-ready values (ISO 8601 text for dates and instants).

        >>> import datetime as dt
        >>> from mot_cua import VN_TZ, compute_due
        >>> d = compute_due(dt.datetime(2026, 11, 23, 16, tzinfo=VN_TZ), "trong ngày")
        >>> d.to_dict()["due_date"], [u["date"] for u in d.to_dict()["uncertain_days"]]
        ('2026-11-25', ['2026-11-24'])
        """
        return {
            "due_at": self.due_at.isoformat(),
            "due_date": self.due_date.isoformat(),
            "raw_due_at": None if self.raw_due_at is None else self.raw_due_at.isoformat(),
            "received_at": self.received_at.isoformat(),
            "deemed_receipt": self.deemed_receipt.isoformat(),
            "limit": str(self.limit),
            "limit_unit": self.limit.unit.value,
            "limit_value": self.limit.value,
            "method": self.method.value,
            "provisional": self.provisional,
            "uncertain_days": [
                {
                    "date": u.date.isoformat(),
                    "status": u.status.value,
                    "label": u.label,
                    "source": u.source,
                }
                for u in self.uncertain_days
            ],
            "trace": [
                {
                    "date": t.date.isoformat(),
                    "kind": t.kind.value,
                    "label": t.label,
                    "source": t.source,
                }
                for t in self.trace
            ],
            "extended_from": None if self.extended_from is None else self.extended_from.isoformat(),
            "extension_reason": self.extension_reason,
        }

    def extend(self, new_due_at: _dt.datetime, *, reason: str) -> Deadline:
        """Return this deadline moved to ``new_due_at`` (an apology with a new date).

        Args:
            new_due_at: the new due moment (aware; later than the current one).
            reason: why (printed on form 04 and in the trace).

        Raises:
            InvalidInputError: ``new_due_at`` is naive or not later than the current due moment,
                or ``reason`` is not text.

        >>> import datetime as dt
        >>> from mot_cua import VN_TZ, compute_due
        >>> d = compute_due(dt.datetime(2025, 3, 3, 9, tzinfo=VN_TZ), "10 ngày làm việc")
        >>> d.extend(dt.datetime(2025, 3, 24, 17, tzinfo=VN_TZ), reason="xác minh").due_date
        datetime.date(2025, 3, 24)
        """
        from mot_cua.timezone import ensure_aware

        if not isinstance(reason, str) or not reason.strip():
            raise InvalidInputError(
                f"reason must be non-empty text saying why the date moves, not {brief(reason)}",
                field="reason",
            )
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
                "raw_due_at": None,
                "extended_from": self.due_at if self.extended_from is None else self.extended_from,
                "extension_reason": reason,
                "trace": (*self.trace, entry),
            }
        )


# Reading ``Deadline.trace`` materialises a lazily built trace (see ``_Lazy``).
setattr(Deadline, "trace", _LazyField("trace"))  # noqa: B010 - a class attribute pydantic must not see
