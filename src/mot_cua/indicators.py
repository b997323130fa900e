"""Indicators and periodic reports: on-time rates, Decision 766 scores, the monthly report.

One dossier is classified by :func:`classify` (the *per-dossier reference*); many are counted by
:func:`report` into a :class:`Report`: the columns of the periodic report (form II.06a of Circular
01/2020/TT-VPCP) per group and in total, and the metrics of Decision 766/QĐ-TTg of 23/6/2022 with
numerator, denominator, ratio and points.

Rules (mot_cua indicators §B and §C, medium confidence unless stated):

* **Start** is the receipt (``NgayTiepNhan``); the **appointment** is ``NgayHenTra`` after any
  apology with a new date.
* **End** is chosen by priority: resolved, else returned, else stopped or refused, else withdrawn.
* The applicant's **supplement time** (closed rounds, summed) and financial-obligation pauses are
  removed: ``adjusted_end = end - supplement time``. More than one supplement request makes a
  dossier late, or overdue while pending (Decision 766/QĐ-TTg; Decree 61/2018/NĐ-CP).
* **Early / on time / late** by the adjusted end's local date against the appointment's
  (policy ``boundary="by_date"``, default) or by instant (``"by_instant"``). Withdrawn dossiers
  count as resolved on time (local implementations; low).
* **Pending** dossiers are classified at the period end (``to`` + 1 day, 00:00 local) or at
  ``as_of``: within time iff (that instant - closed supplement time) ≤ appointment; a dossier
  waiting for a supplement is within time unless it had more than one request.
* Without an appointment, the legal limit (``ThoiHanGiaiQuyet``) is counted in its own unit from
  the receipt date on the working calendar (see :func:`limit_bounds`).

Times are always read in Asia/Ho_Chi_Minh. The reference is for explaining and testing; bulk
reports go through the columnar engine of :mod:`mot_cua.reports` (``pip install
'mot_cua[reports]'``), which gives the same numbers.

>>> import datetime as dt
>>> from mot_cua import VN_TZ
>>> rec = DossierRecord(code="H1", channel="online",
...     received_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ),
...     due_at=dt.datetime(2026, 3, 6, 17, 0, tzinfo=VN_TZ),
...     resolved_at=dt.datetime(2026, 3, 5, 10, 0, tzinfo=VN_TZ))
>>> c = classify(rec, Period.parse("2026-03"))
>>> c.outcome, c.received_in_period, c.resolved
('early', True, True)
>>> r = report([rec], Period.parse("2026-03"))
>>> r.total.resolved_early, r.indicators["2.1"].points
(1, 20.0)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import numbers
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mot_cua.calendar import WorkingCalendar
from mot_cua.errors import (
    InvalidInputError,
    MotCuaError,
    RecordError,
    ReportConsistencyError,
    brief,
    require,
)
from mot_cua.limits import TimeLimit, TimeUnit
from mot_cua.models import Channel, Dossier
from mot_cua.timezone import VN_TZ

if TYPE_CHECKING:
    from mot_cua.catalog import Catalog

__all__ = [
    "COLUMNS",
    "FLAT_COLUMNS",
    "GROUPINGS",
    "GROUP_NAMES",
    "METRICS",
    "POLICY_OPTIONS",
    "Classification",
    "DossierRecord",
    "IndicatorPolicy",
    "IndicatorTrace",
    "MetricCounts",
    "MetricInput",
    "MetricResult",
    "MetricSpec",
    "Outcome",
    "Period",
    "Report",
    "ReportRow",
    "SkippedRow",
    "SupplementRound",
    "WeekCount",
    "build_metrics",
    "check_by",
    "classify",
    "limit_bounds",
    "limit_steps",
    "parse_rounds",
    "parse_timestamp",
    "record_from_dossier",
    "report",
    "score_metric",
]

Outcome = Literal["early", "on_time", "late", "within_time", "overdue"]

#: The 11 report columns (JSON keys), in the order of form II.06a.
COLUMNS: tuple[str, ...] = (
    "received_online",
    "received_offline",
    "carried_over",
    "received_total",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_within_time",
    "pending_overdue",
)

#: Groupings of ``report(by=...)`` and the :class:`DossierRecord` attribute each reads.
GROUPINGS: Mapping[str, str] = {
    "field": "field",
    "procedure": "procedure",
    "agency": "agency",
    "channel": "channel",
    "level": "level",
}

#: Flat-record column (national portal name where one exists) → :class:`DossierRecord` field.
FLAT_COLUMNS: Mapping[str, str] = {
    "MaHoSo": "code",
    "MaTTHC": "procedure",
    "MaCoQuan": "agency",
    "MaLinhVuc": "field",
    "CapThucHien": "level",
    "KenhThucHien": "channel",
    "NgayTiepNhan": "received_at",
    "NgayHenTra": "due_at",
    "NgayXuLyXong": "resolved_at",
    "NgayTraKetQua": "returned_at",
    "NgayDungXuLy": "stopped_at",
    "NgayRutHoSo": "withdrawn_at",
    "BoSung": "supplements",
    "NghiaVuTaiChinh": "payments",
    "ThoiHanGiaiQuyet": "time_limit",
    "CoKetQuaDienTu": "electronic_result",
    "DaSoHoa": "digitised",
    "CoPhiLePhi": "has_fee",
    "DuocThanhToanTrucTuyen": "paid_online",
    "CoPhanAnh": "complaint",
    "TaiSuDungDuLieu": "reused_data",
}

_SRC_766 = "Decision 766/QĐ-TTg (2022); operators' formula description (medium)"
_SRC_B = "Decision 766/QĐ-TTg; mot_cua indicators §B (medium)"
_SRC_C = "Circular 01/2020/TT-VPCP form II.06a; mot_cua indicators §C (medium)"
_SRC_SUPP = "Decree 61/2018/NĐ-CP; Decision 766/QĐ-TTg: more than one supplement request (medium)"
_SRC_WITHDRAWN = "local implementations: a withdrawal counts as resolved on time (low)"
_SRC_LIMIT = "mot_cua indicators §B: legal limit counted on the working calendar (low)"

_US = dt.timedelta(microseconds=1)


# --------------------------------------------------------------------------------------------
# Policies
# --------------------------------------------------------------------------------------------

#: Each policy: (default, allowed values, what it decides and its source).
POLICY_OPTIONS: Mapping[str, tuple[str, tuple[str, ...], str]] = {
    "boundary": (
        "by_date",
        ("by_date", "by_instant"),
        "early/on-time/late decided on local dates (default, operators' text, medium) or late as "
        "soon as the appointment instant has passed",
    ),
    "denominator_2_1": (
        "received_total",
        ("received_total", "received_in_period"),
        "metric 2.1's denominator: the report's received total including carried-over dossiers "
        "(the portal's 'totalReceived', default, medium) or only those received in the period",
    ),
    "supplement_rounds": (
        "sum",
        ("sum", "last"),
        "several supplement rounds: the sum of every round (default, operators' text, medium) or "
        "only the last round (systems that keep one round; low)",
    ),
    "scoring_4_2": (
        "linear",
        ("linear", "full_at_80"),
        "metric 4.2: linear as the national portal scores it (default, medium) or full at 80 % "
        "as the operators' text says (medium; the sources conflict)",
    ),
    "online_points": (
        "2,4,6",
        ("2,4,6",),
        "points of metrics 3.1, 3.2, 3.3 (the portal's 2 + 4 + 6 = 12, default, medium); any "
        "three whole numbers summing to 12",
    ),
}


class IndicatorPolicy(BaseModel):
    """The named choices where sources disagree (mot_cua indicators §E); defaults documented.

    Args:
        boundary: ``"by_date"`` (default) or ``"by_instant"``.
        denominator_2_1: ``"received_total"`` (default) or ``"received_in_period"``.
        supplement_rounds: ``"sum"`` (default) or ``"last"``.
        scoring_4_2: ``"linear"`` (default) or ``"full_at_80"``.
        online_points: points of metrics 3.1, 3.2 and 3.3 (default ``(2, 4, 6)``, sum 12).

    >>> IndicatorPolicy.from_pairs(["boundary=by_instant", "online_points=3,3,6"]).online_points
    (3, 3, 6)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    boundary: Literal["by_date", "by_instant"] = "by_date"
    denominator_2_1: Literal["received_total", "received_in_period"] = "received_total"
    supplement_rounds: Literal["sum", "last"] = "sum"
    scoring_4_2: Literal["linear", "full_at_80"] = "linear"
    online_points: tuple[int, int, int] = (2, 4, 6)

    @field_validator("online_points", mode="before")
    @classmethod
    def _points_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(int(x) for x in value.split(","))
        return value

    @model_validator(mode="after")
    def _points_sum(self) -> Self:
        if sum(self.online_points) != 12 or min(self.online_points) < 0:
            raise ValueError(
                f"online_points {self.online_points} must be three whole numbers ≥ 0 summing to "
                "12 (the online-services group of Decision 766/QĐ-TTg)"
            )
        return self

    @classmethod
    def from_pairs(cls, pairs: Iterable[str]) -> IndicatorPolicy:
        """Build a policy from ``KEY=VALUE`` texts (the CLI's ``--policy``).

        Raises:
            InvalidInputError: an unknown key or a value that is not allowed.
        """
        if isinstance(pairs, str | bytes) or not isinstance(pairs, Iterable):
            raise InvalidInputError(
                f"pairs must be a list of KEY=VALUE texts, not {type(pairs).__name__}",
                field="pairs",
            )
        pairs = list(pairs)
        for pair in pairs:
            require(pair, str, "pairs", "a list of KEY=VALUE texts")
        values: dict[str, str] = {}
        for pair in pairs:
            key, sep, value = pair.partition("=")
            key = key.strip()
            if not sep or key not in POLICY_OPTIONS:
                raise InvalidInputError(
                    f"--policy {brief(pair)}: write KEY=VALUE with KEY one of "
                    f"{', '.join(POLICY_OPTIONS)}",
                    field="policy",
                    value=pair,
                )
            values[key] = value.strip()
        try:
            return cls.model_validate(values)
        except (ValidationError, ValueError) as exc:
            allowed = "; ".join(f"{k}: {'|'.join(v[1])}" for k, v in POLICY_OPTIONS.items())
            raise InvalidInputError(
                f"--policy: {_first_error(exc)}; allowed values: {allowed}", field="policy"
            ) from exc


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        return f"{loc}: {err['msg']}" if loc else str(err["msg"])
    return str(exc)


# --------------------------------------------------------------------------------------------
# Periods and timestamps
# --------------------------------------------------------------------------------------------

_PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:(\d{2})|[Qq]([1-4])))?$")


class Period(BaseModel):
    """A reporting period: the dates ``start`` to ``end`` inclusive, [start 00:00, end 24:00) local.

    >>> p = Period.parse("2026-Q1")
    >>> p.start, p.end, p.label
    (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), '2026-Q1')
    >>> Period.parse("2026-02").end_at.isoformat()
    '2026-03-01T00:00:00+07:00'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.date
    end: dt.date
    label: str = ""

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"period end {self.end} is before its start {self.start}")
        if not self.label:
            object.__setattr__(self, "label", f"{self.start.isoformat()}..{self.end.isoformat()}")
        return self

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``YYYY-MM``, ``YYYY-Qn``, ``YYYY`` or ``FROM..TO`` (ISO dates).

        Raises:
            InvalidInputError: the text is none of these.
        """
        t = _need_text(text, "period").strip()
        if ".." in t:
            a, _, b = t.partition("..")
            return cls.between(a, b)
        m = _PERIOD_RE.match(t)
        if not m:
            raise InvalidInputError(
                f"period {brief(text)}: write YYYY-MM (2026-03), YYYY-Qn (2026-Q1), YYYY (2026) or "
                "FROM..TO (2026-03-01..2026-03-31)",
                field="period",
                value=text,
            )
        year = int(m.group(1))
        if m.group(2):
            month = int(m.group(2))
            if not 1 <= month <= 12:
                raise InvalidInputError(f"period {brief(text)}: month {month} is not 01–12")
            first, last = month, month
            label = f"{year}-{month:02d}"
        elif m.group(3):
            q = int(m.group(3))
            first, last = 3 * q - 2, 3 * q
            label = f"{year}-Q{q}"
        else:
            first, last, label = 1, 12, f"{year}"
        end = dt.date(year + (last == 12), last % 12 + 1, 1) - dt.timedelta(days=1)
        return cls(start=dt.date(year, first, 1), end=end, label=label)

    @classmethod
    def between(cls, start: str | dt.date, end: str | dt.date) -> Period:
        """The period from ``start`` to ``end`` inclusive (ISO dates or dates).

        Raises:
            InvalidInputError: a date that cannot be read, or ``end`` before ``start``.
        """
        require(start, (str, dt.date), "start", "an ISO date or a date")
        require(end, (str, dt.date), "end", "an ISO date or a date")
        try:
            a = start if isinstance(start, dt.date) else dt.date.fromisoformat(start.strip())
            b = end if isinstance(end, dt.date) else dt.date.fromisoformat(end.strip())
            return cls(start=a, end=b)
        except (ValueError, ValidationError) as exc:
            raise InvalidInputError(
                f"period {start}..{end}: {_first_error(exc)}; write ISO dates (2026-03-01) with "
                "the end not before the start",
                field="period",
            ) from exc

    @property
    def start_at(self) -> dt.datetime:
        """00:00 local on the first day."""
        return dt.datetime.combine(self.start, dt.time(0), VN_TZ)

    @property
    def end_at(self) -> dt.datetime:
        """00:00 local on the day after the last day (exclusive)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(0), VN_TZ)


_COMPACT_RE = re.compile(r"^\d{14}$")


def parse_timestamp(text: str, *, name: str = "timestamp") -> dt.datetime:
    """Read ISO 8601 or the portal's ``yyyyMMddHHmmss``; naive times are Asia/Ho_Chi_Minh.

    A bare date is refused: an instant needs a time.

    Raises:
        InvalidInputError: the text is neither format.

    >>> parse_timestamp("20260302083000").isoformat()
    '2026-03-02T08:30:00+07:00'
    >>> parse_timestamp("2026-03-02T01:30:00Z").isoformat()
    '2026-03-02T08:30:00+07:00'
    """
    t = _need_text(text, name).strip()
    try:
        if _COMPACT_RE.match(t):
            value = dt.datetime.strptime(t, "%Y%m%d%H%M%S")
        elif len(t) <= 10 or not any(c in t for c in "T t"):
            raise ValueError("no time")
        else:
            value = dt.datetime.fromisoformat(t)
    except ValueError as exc:
        raise InvalidInputError(
            f"{name} {brief(text)} is not a timestamp: write ISO 8601 (2026-03-02T08:30:00, offset "
            "optional, Asia/Ho_Chi_Minh by default) or yyyyMMddHHmmss (20260302083000)",
            field=name,
            value=text,
        ) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    try:
        return value.astimezone(VN_TZ)
    except OverflowError:
        raise InvalidInputError(
            f"{name} {brief(text)} is outside the dates Python can hold in Asia/Ho_Chi_Minh; "
            "check the year",
            field=name,
            value=text,
        ) from None


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


class SupplementRound(BaseModel):
    """One pause of the clock: requested at ``start``, resumed at ``end`` (``None``: still open)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.datetime
    end: dt.datetime | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        for name in ("start", "end"):
            v = getattr(self, name)
            if v is not None:
                if v.utcoffset() is None:
                    raise ValueError(f"{name} {v.isoformat()} has no UTC offset")
                try:
                    object.__setattr__(self, name, v.astimezone(VN_TZ))
                except OverflowError:
                    raise ValueError(f"{name} {v.isoformat()} is out of range") from None
        if self.end is not None and self.end < self.start:
            raise ValueError(
                f"round resumes at {self.end.isoformat()}, before its request at "
                f"{self.start.isoformat()}"
            )
        return self

    def __str__(self) -> str:
        return f"{self.start.isoformat()}/{'' if self.end is None else self.end.isoformat()}"


def _need_text(value: object, what: str) -> str:
    """``value`` if it is text, else an :class:`InvalidInputError` naming ``what``."""
    require(what, str, "name", "the field's name, for messages (e.g. 'NgayTiepNhan')")
    if not isinstance(value, str):
        raise InvalidInputError(f"{what} must be text, not {type(value).__name__}", field=what[:40])
    return value


def parse_rounds(text: str, *, name: str = "BoSung") -> tuple[SupplementRound, ...]:
    """Read ``start/end`` intervals joined by ``;`` (an open round is ``start/``).

    Raises:
        InvalidInputError: a round that cannot be read, or that resumes before its request.

    >>> [str(r) for r in parse_rounds("20260303080000/20260305080000;2026-03-09T08:00/")]
    ['2026-03-03T08:00:00+07:00/2026-03-05T08:00:00+07:00', '2026-03-09T08:00:00+07:00/']
    """
    require(name, str, "name", "the column's name, for messages (e.g. 'BoSung')")
    rounds = []
    for number, part in enumerate(p for p in _need_text(text, name).split(";") if p.strip()):
        a, sep, b = part.partition("/")
        if not sep:
            raise InvalidInputError(
                f"{name} round {number + 1} {brief(part)}: write START/END (END empty while open)",
                field=name,
                value=part,
            )
        start = parse_timestamp(a, name=f"{name} round {number + 1} start")
        end = parse_timestamp(b, name=f"{name} round {number + 1} end") if b.strip() else None
        if end is not None and end < start:
            raise InvalidInputError(
                f"{name} round {number + 1} resumes at {end.isoformat()}, before its request at "
                f"{start.isoformat()}",
                field=name,
                value=part,
            )
        rounds.append(SupplementRound(start=start, end=end))
    return tuple(rounds)


_FLAGS = ("electronic_result", "digitised", "has_fee", "paid_online", "complaint", "reused_data")
_TIMES = ("due_at", "resolved_at", "returned_at", "stopped_at", "withdrawn_at")
_END_KINDS = (
    ("resolved_at", "resolved"),
    ("returned_at", "returned"),
    ("stopped_at", "stopped"),
    ("withdrawn_at", "withdrawn"),
)
_COLUMN_OF = {v: k for k, v in FLAT_COLUMNS.items()}
#: Flag cells read as true / false (the columnar readers accept the same).
_TRUE = frozenset({"1", "true", "True", "TRUE"})
_FALSE = frozenset({"0", "false", "False", "FALSE"})


class DossierRecord(BaseModel):
    """One dossier as a flat record (what one-stop systems export), frozen.

    Field names are English; :meth:`from_flat` reads the portal's column names (see
    :data:`FLAT_COLUMNS`). Times are aware and stored in Asia/Ho_Chi_Minh.

    Args:
        code: MaHoSo.
        procedure: MaTTHC.
        agency: MaCoQuan, the resolving agency.
        field: MaLinhVuc.
        level: CapThucHien (mot_cua's column name; the agency's level).
        channel: KenhThucHien (1 in person, 2 online, 3 postal).
        received_at: NgayTiepNhan, the start.
        due_at: NgayHenTra, the appointment (may be absent).
        resolved_at: NgayXuLyXong.
        returned_at: NgayTraKetQua.
        stopped_at: NgayDungXuLy (stopped or refused).
        withdrawn_at: NgayRutHoSo.
        supplements: BoSung rounds.
        payments: NghiaVuTaiChinh, financial-obligation pauses (mot_cua's column name).
        time_limit: ThoiHanGiaiQuyet, used when there is no appointment.
        electronic_result: CoKetQuaDienTu (absent: the procedure returns no document, or unknown).
        digitised: DaSoHoa.
        has_fee: CoPhiLePhi.
        paid_online: DuocThanhToanTrucTuyen.
        complaint: CoPhanAnh (a complaint or an unsatisfied rating).
        reused_data: TaiSuDungDuLieu (mot_cua's column name: a component reuses digitised data).

    Raises:
        InvalidInputError: an end before the receipt, a round outside the dossier's life, an
            appointment before the receipt (via :meth:`from_flat`: :class:`RecordError`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(min_length=1)
    procedure: str | None = None
    agency: str | None = None
    field: str | None = None
    level: str | None = None
    channel: Channel
    received_at: dt.datetime
    due_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    stopped_at: dt.datetime | None = None
    withdrawn_at: dt.datetime | None = None
    supplements: tuple[SupplementRound, ...] = ()
    payments: tuple[SupplementRound, ...] = ()
    time_limit: TimeLimit | None = None
    electronic_result: bool | None = None
    digitised: bool | None = None
    has_fee: bool | None = None
    paid_online: bool | None = None
    complaint: bool | None = None
    reused_data: bool | None = None

    @field_validator("channel", mode="before")
    @classmethod
    def _channel_code(cls, value: Any) -> Any:
        if isinstance(value, int | str) and str(value).strip() in {"1", "2", "3"}:
            return Channel.from_national_code(value)
        return value

    @field_validator("received_at", *_TIMES)
    @classmethod
    def _aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"{value.isoformat()} has no UTC offset")
        try:
            return value.astimezone(VN_TZ)
        except OverflowError:
            raise ValueError(f"{value.isoformat()} is outside the dates Python can hold") from None

    @model_validator(mode="after")
    def _life(self) -> Self:
        problem = _life_problem(self)
        if problem is not None:
            raise ValueError(f"{problem[0]}: {problem[1]}")
        return self

    @property
    def end(self) -> tuple[str, dt.datetime] | None:
        """The end (kind, time) chosen by priority: resolved, returned, stopped, withdrawn."""
        for name, kind in _END_KINDS:
            value = getattr(self, name)
            if value is not None:
                return kind, value
        return None

    @classmethod
    def from_flat(
        cls, row: Mapping[str, Any], *, line: int | None = None, file: str | None = None
    ) -> DossierRecord:
        """Read one flat record with the portal's column names; empty cells are absent.

        Args:
            row: column name → cell (text, number or ``None``).
            line: the line (or row) number, for messages.
            file: the file name, for messages.

        Raises:
            RecordError: a bad cell, naming file, line and column (other columns than
                :data:`FLAT_COLUMNS` are ignored).

        >>> DossierRecord.from_flat({"MaHoSo": "X", "KenhThucHien": "2",
        ...     "NgayTiepNhan": "20260302080000", "NgayHenTra": ""}).due_at is None
        True
        """
        require(row, Mapping, "row", "a mapping of column names to cells")
        require(line, (int, type(None)), "line", "a line number or None")
        require(file, (str, type(None)), "file", "a file name or None")
        where = _where(file, line)
        data: dict[str, Any] = {}
        for column, cell in row.items():
            if column not in FLAT_COLUMNS:  # exports carry more columns: ignored, as by the readers
                continue
            text = "" if cell is None else str(cell).strip()
            if text:
                data[FLAT_COLUMNS[column]] = _cell(column, text, where, file, line)
        for required in ("MaHoSo", "KenhThucHien", "NgayTiepNhan"):
            if FLAT_COLUMNS[required] not in data:
                raise RecordError(
                    f"{where}column {brief(required)}: empty; every record needs MaHoSo, "
                    "KenhThucHien and NgayTiepNhan",
                    file=file,
                    line=line,
                    column=required,
                )
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = str(err["loc"][0]) if err["loc"] else ""
            msg = str(err["msg"]).removeprefix("Value error, ")
            column = _COLUMN_OF.get(loc) or msg.partition(":")[0]
            raise RecordError(
                f"{where}column {brief(column)}: {msg.partition(': ')[2] or msg}",
                file=file,
                line=line,
                column=column,
            ) from exc


def _where(file: str | None, line: int | None) -> str:
    shown = file if file is None or isinstance(file, str) else brief(file)
    parts = [p for p in (shown, None if line is None else f"line {brief(line)}") if p]
    return ", ".join(parts) + ": " if parts else ""


def _cell(column: str, text: str, where: str, file: str | None, line: int | None) -> Any:
    name = FLAT_COLUMNS[column]
    try:
        if name in ("received_at", *_TIMES):
            return parse_timestamp(text, name=column)
        if name in ("supplements", "payments"):
            return parse_rounds(text, name=column)
        if name == "channel":
            return Channel.from_national_code(text)
        if name == "time_limit":
            return TimeLimit.parse(text)
        if name in _FLAGS:
            if text not in _TRUE | _FALSE:
                raise InvalidInputError(f"{brief(text)} is not a flag; write 0 or 1")
            return text in _TRUE
    except MotCuaError as exc:
        raise RecordError(
            f"{where}column {brief(column)}: {exc}", file=file, line=line, column=column
        ) from exc
    return text


def _life_problem(r: DossierRecord) -> tuple[str, str] | None:
    """The first inconsistency of a record's times: (column, message), or ``None``."""
    start = r.received_at
    for name in _TIMES:
        value = getattr(r, name)
        if value is not None and value < start:
            what = "appointment" if name == "due_at" else "end"
            return _COLUMN_OF[name], (
                f"{what} {value.isoformat()} is before the receipt {start.isoformat()}"
            )
    end = r.end
    for name in ("supplements", "payments"):
        for i, rnd in enumerate(getattr(r, name)):
            outside = rnd.start < start or (end is not None and rnd.start > end[1])
            if outside or (end is not None and rnd.end is not None and rnd.end > end[1]):
                return _COLUMN_OF[name], (
                    f"round {i + 1} ({rnd}) lies outside the dossier's life (receipt "
                    f"{start.isoformat()}"
                    + ("" if end is None else f", {end[0]} {end[1].isoformat()}")
                    + ")"
                )
    return None


def _first(times: list[dt.datetime] | None) -> dt.datetime | None:
    return times[0] if times else None


def _events(dossier: Dossier) -> dict[str, list[dt.datetime]]:
    seen: dict[str, list[dt.datetime]] = {}
    for entry in dossier.history:
        seen.setdefault(entry.event, []).append(entry.at.astimezone(VN_TZ))
    return seen


def _pairs(starts: list[dt.datetime], ends: list[dt.datetime]) -> tuple[SupplementRound, ...]:
    return tuple(
        SupplementRound(start=s, end=ends[i] if i < len(ends) else None)
        for i, s in enumerate(starts)
    )


def record_from_dossier(dossier: Dossier, *, catalog: Catalog | None = None) -> DossierRecord:
    """The flat record of a :class:`~mot_cua.models.Dossier`, its times taken from its history.

    Receipt, appointment (the receipt's ``due_at``, or the last apology's new date: not the due
    date the lifecycle moves when a pause ends, since the pause is removed from the end instead),
    ends, supplement rounds and financial-obligation pauses come from the lifecycle's events;
    procedure, field and level from ``catalog`` when given.

    Raises:
        InvalidInputError: the dossier was never received.

    >>> import datetime as dt
    >>> from mot_cua import VN_TZ, Lifecycle
    >>> from mot_cua.testing import make_dossier
    >>> lc = Lifecycle("3 ngày làm việc", code="D-1")
    >>> _ = lc.send("receive", at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ))
    >>> _ = lc.send("start", at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=VN_TZ))
    >>> _ = lc.send("resolve", at=dt.datetime(2026, 3, 4, 9, 0, tzinfo=VN_TZ), outcome="approved")
    >>> d = make_dossier(code="D-1")
    >>> lc.apply_to(d)
    >>> rec = record_from_dossier(d)
    >>> rec.due_at.isoformat(), rec.resolved_at.isoformat()
    ('2026-03-05T17:00:00+07:00', '2026-03-04T09:00:00+07:00')
    """
    require(dossier, Dossier, "dossier", "a Dossier")
    ev = _events(dossier)
    received = dossier.received_at or _first(ev.get("receive"))
    if received is None:
        raise InvalidInputError(
            f"dossier {dossier.code}: never received (no received_at, no 'receive' event); "
            "only received dossiers are counted in reports",
            dossier=dossier.code,
        )
    due = dossier.deadline.due_at if dossier.deadline is not None else None
    for entry in dossier.history:
        # The appointment is the receipt's, or an apology's new date: the lifecycle also moves
        # the due date when a pause ends, but here supplement time is removed from the end.
        if entry.due_at is not None and entry.event in ("receive", "extend"):
            due = entry.due_at
    stop = (ev.get("stop") or []) + (ev.get("refuse") or [])
    limit = dossier.deadline.limit if dossier.deadline is not None else None
    field_name = level = None
    if catalog is not None:
        proc = catalog.get(dossier.procedure_id)
        field_name, level, limit = proc.field, proc.level.value, limit or proc.time_limit
    return DossierRecord(
        code=dossier.code,
        procedure=dossier.procedure_id,
        agency=dossier.unit_deciding,
        field=field_name,
        level=level,
        channel=dossier.channel,
        received_at=received,
        due_at=due,
        resolved_at=_first(ev.get("resolve")),
        returned_at=_first(ev.get("return_result")),
        stopped_at=min(stop) if stop else None,
        withdrawn_at=_first(ev.get("withdraw")),
        supplements=_pairs(ev.get("request_supplement", []), ev.get("supplement", [])),
        payments=_pairs(ev.get("request_payment", []), ev.get("confirm_payment", [])),
        time_limit=limit,
        paid_online=None,
        has_fee=bool(dossier.fees_paid) or None,
    )


# --------------------------------------------------------------------------------------------
# Classifying one dossier
# --------------------------------------------------------------------------------------------


class IndicatorTrace(BaseModel):
    """One step of a classification: which rule, what it found, and its source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    detail: str
    source: str


class Classification(BaseModel):
    """How one dossier counts in one period (frozen; from :func:`classify`).

    ``outcome`` is ``None`` for a dossier outside the period (received after it, or ended
    before it). ``end`` is the chosen end when it falls before the period end, else ``None``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    start: dt.datetime
    end: dt.datetime | None
    end_kind: Literal["resolved", "returned", "stopped", "withdrawn"] | None
    appointment: dt.datetime | None
    adjusted_end: dt.datetime | None
    supplement_time: dt.timedelta
    supplement_requests: int
    waiting_supplement: bool
    outcome: Outcome | None
    counted: bool
    received_in_period: bool
    carried_over: bool
    resolved: bool
    pending: bool
    trace: tuple[IndicatorTrace, ...]

    def explain(self) -> str:
        """The classification and its trace as text (what ``mot-cua report --explain`` prints)."""
        lines = [f"{self.code}: {self.outcome or 'not counted in this period'}"]
        lines += [f"  {t.rule}: {t.detail}  [{t.source}]" for t in self.trace]
        return "\n".join(lines)


def _ceil(x: float) -> int:
    return math.ceil(x - 1e-9)


#: Units counted in working days (same-day limits: 0 days beyond the receipt day).
_WORKING_UNITS = {
    TimeUnit.WORKING_DAYS: 1.0,
    TimeUnit.WORKING_HOURS: 8.0,
    TimeUnit.SAME_DAY: 1.0,
    TimeUnit.IMMEDIATELY: 1.0,
}
_CALENDAR_UNITS = {TimeUnit.CALENDAR_DAYS: 1.0, TimeUnit.HOURS: 24.0}


def limit_steps(limit: TimeLimit) -> tuple[str, int]:
    """How a legal limit is counted without an appointment: (``"working"|"calendar"|"months"``, n).

    Working hours count as ``ceil(h / 8)`` working days and hours as ``ceil(h / 24)`` days
    (the calendar has no office hours: low); fractions round up; same-day limits are 0 days.

    >>> limit_steps(TimeLimit.parse("0,5 ngày làm việc"))
    ('working', 1)
    >>> limit_steps(TimeLimit.parse("trong ngày")), limit_steps(TimeLimit.parse("1 tháng"))
    (('working', 0), ('months', 1))
    """
    require(limit, TimeLimit, "limit", "a TimeLimit (TimeLimit.parse(text))")
    if limit.unit in _WORKING_UNITS:
        return "working", _ceil(limit.value / _WORKING_UNITS[limit.unit])
    if limit.unit in _CALENDAR_UNITS:
        return "calendar", _ceil(limit.value / _CALENDAR_UNITS[limit.unit])
    return "months", int(limit.value)


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return min(
        d.replace(year=year, month=month, day=1) + dt.timedelta(days=d.day - 1),
        nxt - dt.timedelta(days=1),
    )


def limit_bounds(
    start: dt.date, limit: TimeLimit, calendar: WorkingCalendar
) -> tuple[dt.date, dt.date]:
    """The dates (E, L) that judge a dossier without appointment received on ``start``.

    Resolved: early if the adjusted end's date < E, late if ≥ L, else on time; pending: overdue
    if (period end − supplement time) > L at 00:00. Working units: E is the n-th working day
    after ``start`` (``start`` itself when n = 0) and L the (n+1)-th, so a dossier is on time iff
    the working days elapsed after the receipt day are ≤ n. Calendar days: E = start + n,
    L = E + 1; months: E = the same day n months later (clipped to the month's end), L = E + 1.

    >>> cal = WorkingCalendar.vietnam()
    >>> limit_bounds(dt.date(2026, 3, 6), TimeLimit.parse("2 ngày làm việc"), cal)
    (datetime.date(2026, 3, 10), datetime.date(2026, 3, 11))
    """
    require(start, dt.date, "start", "a date")
    require(limit, TimeLimit, "limit", "a TimeLimit (TimeLimit.parse(text))")
    require(calendar, WorkingCalendar, "calendar", "a WorkingCalendar")
    kind, n = limit_steps(limit)
    if kind == "working":
        early = calendar.add_working_days(start, n) if n > 0 else start
        return early, calendar.add_working_days(start, n + 1)
    early = start + dt.timedelta(days=n) if kind == "calendar" else _add_months(start, n)
    return early, early + dt.timedelta(days=1)


def _local_midnight(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(0), VN_TZ)


def _clip_rounds(
    rounds: Sequence[SupplementRound], stop: dt.datetime, *, ended: bool
) -> tuple[list[dt.timedelta], bool, int]:
    """(durations of the rounds that count, an open round at ``stop``?, requests before it)."""
    durations: list[dt.timedelta] = []
    open_round = False
    requests = 0
    for rnd in rounds:
        if rnd.start >= stop and not (ended and rnd.start == stop):
            continue
        requests += 1
        if rnd.end is not None and rnd.end <= stop:
            durations.append(rnd.end - rnd.start)
        elif ended:
            durations.append(stop - rnd.start)  # still open at the end: closed by it
        else:
            open_round = True
    return durations, open_round, requests


@dataclass
class _State:
    trace: list[IndicatorTrace] = field(default_factory=list)

    def add(self, rule: str, detail: str, source: str) -> None:
        self.trace.append(IndicatorTrace(rule=rule, detail=detail, source=source))


def _paused(
    r: DossierRecord, stop: dt.datetime, *, ended: bool, policy: IndicatorPolicy, st: _State
) -> tuple[dt.timedelta, bool, int]:
    supp, waiting, requests = _clip_rounds(r.supplements, stop, ended=ended)
    if policy.supplement_rounds == "last" and supp:
        supp = supp[-1:]
    pay, pay_open, _ = _clip_rounds(r.payments, stop, ended=ended)
    total = sum(supp, dt.timedelta()) + sum(pay, dt.timedelta())
    if pay_open:  # the clock is stopped until the period end: that time is removed too
        total += sum(
            (
                stop - p.start
                for p in r.payments
                if p.start < stop and (p.end is None or p.end > stop)
            ),
            dt.timedelta(),
        )
    if requests or pay:
        st.add(
            "supplement",
            f"{requests} supplement request(s), {len(supp)} round(s) counted "
            f"({policy.supplement_rounds}), {len(pay)} payment pause(s): {total} removed"
            + ("; waiting for a supplement" if waiting else ""),
            _SRC_B,
        )
    return total, waiting, requests


def classify(
    record: DossierRecord | Dossier,
    period: Period,
    policy: IndicatorPolicy | None = None,
    *,
    as_of: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
) -> Classification:
    """Classify one dossier for one period (the per-dossier reference, with a trace).

    This is for explaining and testing; use :func:`report` (the columnar engine) for bulk.

    Args:
        record: a flat record, or a :class:`~mot_cua.models.Dossier` (converted with
            :func:`record_from_dossier`).
        period: the reporting period.
        policy: the named choices (default :class:`IndicatorPolicy`).
        as_of: classify pending dossiers at this instant instead of the period end.
        calendar: the working calendar for limits without appointment (default: Vietnam's).

    Returns:
        The frozen :class:`Classification`.

    Raises:
        InvalidInputError: ``as_of`` is naive, or a record without appointment and limit.

    >>> import datetime as dt
    >>> from mot_cua import VN_TZ
    >>> rec = DossierRecord(code="H2", channel=1,
    ...     received_at=dt.datetime(2026, 2, 20, 9, 0, tzinfo=VN_TZ),
    ...     due_at=dt.datetime(2026, 3, 3, 17, 0, tzinfo=VN_TZ))
    >>> c = classify(rec, Period.parse("2026-03"))
    >>> c.outcome, c.carried_over, c.pending
    ('overdue', True, True)
    """
    require(record, (DossierRecord, Dossier), "record", "a DossierRecord or a Dossier")
    require(period, Period, "period", "a Period (Period.parse('2026-03'))")
    require(policy, (IndicatorPolicy, type(None)), "policy", "an IndicatorPolicy or None")
    pol = policy or IndicatorPolicy()
    r = record if isinstance(record, DossierRecord) else record_from_dossier(record)
    at_end = period.end_at
    evaluation = _eval_instant(as_of, at_end)
    st = _State()
    start = r.received_at
    st.add("start", f"received {start.isoformat()}", _SRC_B)
    chosen = r.end
    if chosen is not None:
        st.add(
            "end",
            f"{chosen[0]} {chosen[1].isoformat()} (priority: resolved, returned, "
            "stopped, withdrawn)",
            _SRC_B,
        )
    base = _membership(r, period, None if chosen is None else chosen[1])
    counted = base["counted"]
    if not counted:
        st.add("period", f"outside {period.label}: received after it or ended before it", _SRC_C)
        return Classification(
            **base,
            end=None,
            end_kind=None,
            adjusted_end=None,
            supplement_time=dt.timedelta(),
            supplement_requests=0,
            waiting_supplement=False,
            outcome=None,
            trace=tuple(st.trace),
        )
    st.add(
        "period",
        "carried over from the previous period"
        if base["carried_over"]
        else f"received in {period.label}",
        _SRC_C,
    )
    cal = calendar or _default_calendar()
    if base["resolved"] and chosen is not None:
        return _classify_resolved(r, chosen, pol, cal, st, base)
    return _classify_pending(r, at_end, evaluation, pol, cal, st, base)


def _membership(r: DossierRecord, period: Period, end_time: dt.datetime | None) -> dict[str, Any]:
    """Period membership of mot_cua indicators §C, as the fields of a Classification."""
    start, at_end = r.received_at, period.end_at
    counted = start < at_end and (end_time is None or end_time >= period.start_at)
    in_period = period.start_at <= start < at_end
    carried = start < period.start_at and counted
    resolved = counted and end_time is not None and end_time < at_end
    base: dict[str, Any] = {
        "code": r.code,
        "start": start,
        "appointment": r.due_at,
        "counted": counted,
        "received_in_period": in_period,
        "carried_over": carried,
        "resolved": resolved,
        "pending": counted and not resolved,
    }
    return base


def _eval_instant(as_of: dt.datetime | None, at_end: dt.datetime) -> dt.datetime:
    if as_of is None:
        return at_end
    require(
        as_of,
        dt.datetime,
        "as_of",
        "an aware datetime such as datetime(2026, 3, 31, 17, tzinfo=VN_TZ)",
    )
    if as_of.utcoffset() is None:
        raise InvalidInputError(
            f"as_of {as_of.isoformat()} has no UTC offset; attach Asia/Ho_Chi_Minh",
            field="as_of",
        )
    return as_of.astimezone(VN_TZ)


def _default_calendar() -> WorkingCalendar:
    return WorkingCalendar.vietnam(on_provisional="ignore")


def _need_limit(r: DossierRecord) -> TimeLimit:
    if r.time_limit is None:
        raise InvalidInputError(
            f"dossier {r.code}: no appointment (NgayHenTra) and no legal limit "
            "(ThoiHanGiaiQuyet): give one of them",
            dossier=r.code,
            column="NgayHenTra",
        )
    return r.time_limit


def _classify_resolved(
    r: DossierRecord,
    chosen: tuple[str, dt.datetime],
    pol: IndicatorPolicy,
    cal: WorkingCalendar,
    st: _State,
    base: dict[str, Any],
) -> Classification:
    kind, end = chosen
    paused, _, requests = _paused(r, end, ended=True, policy=pol, st=st)
    adjusted = end - paused
    outcome: Outcome
    if kind == "withdrawn":
        outcome = "on_time"
        st.add("withdrawn", "a withdrawal counts as resolved on time", _SRC_WITHDRAWN)
    elif requests > 1:
        outcome = "late"
        st.add("supplement", f"{requests} supplement requests: late whatever the times", _SRC_SUPP)
    elif r.due_at is not None:
        d, a = adjusted.date(), r.due_at.date()
        late = adjusted > r.due_at if pol.boundary == "by_instant" else d > a
        outcome = "late" if late else "early" if d < a else "on_time"
        st.add(
            "timeliness",
            f"adjusted end {adjusted.isoformat()} vs appointment "
            f"{r.due_at.isoformat()} ({pol.boundary}): {outcome}",
            _SRC_B,
        )
    else:
        limit = _need_limit(r)
        early, late_from = limit_bounds(_start_date(r), limit, cal)
        d = adjusted.date()
        outcome = "late" if d >= late_from else "early" if d < early else "on_time"
        st.add(
            "timeliness",
            f"no appointment: limit {limit} from {_start_date(r)}; on time "
            f"through {late_from - dt.timedelta(days=1)}, early before {early}; adjusted end "
            f"{d}: {outcome}",
            _SRC_LIMIT,
        )
    return Classification(
        **base,
        end=end,
        end_kind=cast(Any, kind),
        adjusted_end=adjusted,
        supplement_time=paused,
        supplement_requests=requests,
        waiting_supplement=False,
        outcome=outcome,
        trace=tuple(st.trace),
    )


def _start_date(r: DossierRecord) -> dt.date:
    """The local date of the receipt."""
    return r.received_at.date()


def _classify_pending(
    r: DossierRecord,
    at_end: dt.datetime,
    evaluation: dt.datetime,
    pol: IndicatorPolicy,
    cal: WorkingCalendar,
    st: _State,
    base: dict[str, Any],
) -> Classification:
    paused, waiting, requests = _paused(r, at_end, ended=False, policy=pol, st=st)
    outcome: Outcome
    if requests > 1:
        outcome = "overdue"
        st.add("supplement", f"{requests} supplement requests: overdue", _SRC_SUPP)
    elif waiting:
        outcome = "within_time"
        st.add("pending", "waiting for a supplement at the period end: within time", _SRC_B)
    else:
        if r.due_at is not None:
            threshold, what = r.due_at, f"appointment {r.due_at.isoformat()}"
        else:
            limit = _need_limit(r)
            _, late_from = limit_bounds(_start_date(r), limit, cal)
            threshold, what = _local_midnight(late_from), f"limit {limit} (runs out {late_from})"
        moment = evaluation - paused
        outcome = "within_time" if moment <= threshold else "overdue"
        st.add(
            "pending",
            f"at {evaluation.isoformat()} less {paused} = {moment.isoformat()} vs "
            f"{what}: {outcome}",
            _SRC_B if r.due_at is not None else _SRC_LIMIT,
        )
    return Classification(
        **base,
        end=None,
        end_kind=None,
        adjusted_end=None,
        supplement_time=paused,
        supplement_requests=requests,
        waiting_supplement=waiting,
        outcome=outcome,
        trace=tuple(st.trace),
    )


# --------------------------------------------------------------------------------------------
# Decision 766 metrics
# --------------------------------------------------------------------------------------------

Scoring = Literal["linear", "full_at", "info"]


class MetricSpec(BaseModel):
    """One metric of Decision 766/QĐ-TTg: its points, scoring rule and source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: str
    group: int
    name: str
    name_vi: str
    max_points: float
    scoring: Scoring
    full_at: float = 1.0
    when_empty: Literal["zero", "full"] = "zero"
    from_records: bool = False
    confidence: str
    source: str = "Decision 766/QĐ-TTg (2022)"


def _m(
    number: str,
    group: int,
    name: str,
    name_vi: str,
    points: float,
    scoring: Scoring,
    confidence: str,
    **kw: Any,
) -> MetricSpec:
    return MetricSpec(
        number=number,
        group=group,
        name=name,
        name_vi=name_vi,
        max_points=points,
        scoring=scoring,
        confidence=confidence,
        **kw,
    )


#: The metrics of Decision 766/QĐ-TTg (points as the national portal scores them; medium).
METRICS: tuple[MetricSpec, ...] = (
    _m("1.1", 1, "TTHC published on time", "Công bố TTHC đúng hạn", 6, "linear", "medium"),
    _m(
        "1.2",
        1,
        "TTHC updated on the national database in time",
        "Cập nhật TTHC lên CSDL quốc gia đúng hạn",
        4,
        "linear",
        "medium",
    ),
    _m(
        "1.3",
        1,
        "TTHC published with all components",
        "Công khai đầy đủ TTHC",
        2,
        "linear",
        "medium",
    ),
    _m(
        "1.4",
        1,
        "Dossiers synced to the national portal",
        "Đồng bộ hồ sơ lên Cổng DVCQG",
        6,
        "linear",
        "medium",
    ),
    _m(
        "2.1",
        2,
        "On time or early",
        "Giải quyết đúng hạn, trước hạn",
        20,
        "linear",
        "high (points), medium (formula)",
        from_records=True,
    ),
    _m(
        "2.2",
        2,
        "Average processing time (working days)",
        "Thời gian giải quyết trung bình",
        0,
        "info",
        "medium",
        from_records=True,
    ),
    _m(
        "3.1",
        3,
        "TTHC offering an online service",
        "TTHC cung cấp DVC trực tuyến",
        2,
        "full_at",
        "medium",
        full_at=0.8,
    ),
    _m(
        "3.2",
        3,
        "Online services that received a dossier",
        "DVC trực tuyến phát sinh hồ sơ",
        4,
        "linear",
        "medium",
    ),
    _m(
        "3.3",
        3,
        "Online dossiers",
        "Hồ sơ trực tuyến",
        6,
        "full_at",
        "medium",
        full_at=0.5,
        from_records=True,
    ),
    _m(
        "3.5a",
        3,
        "TTHC with fees integrated for online payment",
        "TTHC tích hợp thanh toán trực tuyến",
        2,
        "full_at",
        "medium",
        full_at=0.8,
    ),
    _m(
        "3.5b",
        3,
        "TTHC with an online payment",
        "TTHC phát sinh thanh toán trực tuyến",
        2,
        "full_at",
        "medium",
        full_at=0.8,
    ),
    _m(
        "3.6",
        3,
        "Dossiers paid online",
        "Hồ sơ thanh toán trực tuyến",
        6,
        "linear",
        "medium",
        from_records=True,
    ),
    _m(
        "4.1",
        4,
        "Electronic results",
        "Cấp kết quả điện tử",
        6,
        "linear",
        "medium",
        from_records=True,
    ),
    _m(
        "4.2",
        4,
        "Digitised dossiers",
        "Số hóa hồ sơ",
        4,
        "linear",
        "medium (sources conflict)",
        from_records=True,
    ),
    _m(
        "4.3",
        4,
        "Reuse of digitised data",
        "Tái sử dụng dữ liệu số hóa",
        2,
        "full_at",
        "medium",
        full_at=0.8,
        from_records=True,
    ),
    _m(
        "4.4",
        4,
        "Data from the citizen's personal store",
        "Khai thác dữ liệu kho cá nhân",
        4,
        "linear",
        "low",
    ),
    _m(
        "4.5a",
        4,
        "National population database (TTHC)",
        "Khai thác CSDL quốc gia về dân cư (TTHC)",
        2,
        "linear",
        "medium",
    ),
    _m(
        "4.5b",
        4,
        "National population database (dossiers)",
        "Khai thác CSDL quốc gia về dân cư (hồ sơ)",
        2,
        "linear",
        "medium",
    ),
    _m("4.6", 4, "Electronic certified copies", "Chứng thực điện tử", 2, "linear", "low"),
    _m(
        "5.2",
        5,
        "Feedback handled on time",
        "Xử lý phản ánh, kiến nghị đúng hạn",
        6,
        "linear",
        "high",
        when_empty="full",
    ),
    _m(
        "5.3",
        5,
        "Satisfaction with feedback handling",
        "Hài lòng về xử lý phản ánh, kiến nghị",
        6,
        "linear",
        "high",
        when_empty="full",
    ),
    _m(
        "5.4",
        5,
        "Satisfaction with dossier handling",
        "Hài lòng về giải quyết hồ sơ",
        6,
        "full_at",
        "high (formula), medium (threshold)",
        full_at=0.9,
        from_records=True,
    ),
)
_SPEC = {m.number: m for m in METRICS}

#: Decision 766 groups: number → (name, Vietnamese name).
GROUP_NAMES: Mapping[int, tuple[str, str]] = {
    1: ("Publication", "Công khai, minh bạch"),
    2: ("Progress and results", "Tiến độ, kết quả giải quyết"),
    3: ("Online services and payment", "Cung cấp dịch vụ trực tuyến"),
    4: ("Digitisation", "Số hóa hồ sơ"),
    5: ("Satisfaction", "Mức độ hài lòng"),
}


class MetricInput(BaseModel):
    """A caller-supplied numerator and denominator for a metric records cannot compute."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    numerator: float = Field(ge=0)
    denominator: float = Field(ge=0)


class MetricResult(BaseModel):
    """A scored metric (``computable=False``: no records or inputs to compute it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: str
    name: str
    numerator: float | None
    denominator: float | None
    ratio: float | None
    points: float | None
    max_points: float
    computable: bool
    origin: Literal["records", "input", "none"]
    scoring: str
    confidence: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``indicators["766"][number]``."""
        return self.model_dump(exclude={"number"})


def _max_points(spec: MetricSpec, policy: IndicatorPolicy) -> float:
    online = {"3.1": 0, "3.2": 1, "3.3": 2}
    if spec.number in online:
        return float(policy.online_points[online[spec.number]])
    return spec.max_points


def score_metric(
    number: str, numerator: float, denominator: float, policy: IndicatorPolicy | None = None
) -> tuple[float | None, float]:
    """Score one metric: (ratio, points), ratio ``None`` for a zero denominator.

    Linear: ``P × r``; full at X: ``min(P, P × r / X)``; a zero denominator scores 0 unless
    the metric says otherwise (5.2, 5.3: full points when there is no feedback).

    Raises:
        InvalidInputError: an unknown metric number.

    >>> score_metric("2.1", 997, 1000)
    (0.997, 19.94)
    >>> score_metric("3.3", 30, 100), score_metric("5.2", 0, 0)
    ((0.3, 3.6), (None, 6.0))
    """
    require(number, str, "number", "a metric number such as '2.1'")
    require(numerator, numbers.Real, "numerator", "a number")
    require(denominator, numbers.Real, "denominator", "a number")
    require(policy, (IndicatorPolicy, type(None)), "policy", "an IndicatorPolicy or None")
    spec = _SPEC.get(number)
    if spec is None:
        raise InvalidInputError(
            f"unknown Decision 766 metric {brief(number)}; known: {', '.join(_SPEC)}",
            field="metric",
        )
    pol = policy or IndicatorPolicy()
    points = _max_points(spec, pol)
    if denominator == 0:
        return None, points if spec.when_empty == "full" else 0.0
    ratio = numerator / denominator
    if spec.scoring == "info":
        return ratio, 0.0
    full_at = spec.full_at
    if number == "4.2" and pol.scoring_4_2 == "full_at_80":
        full_at = 0.8
    value = min(points, points * min(ratio, 1.0) / full_at)
    return ratio, round(value, 6)


def _metric(
    number: str,
    num: float,
    den: float,
    policy: IndicatorPolicy,
    origin: Literal["records", "input"],
    note: str = "",
) -> MetricResult:
    spec = _SPEC[number]
    ratio, points = score_metric(number, num, den, policy)
    scoring = spec.scoring if spec.scoring != "full_at" else f"full at {spec.full_at:.0%}"
    if number == "4.2":
        scoring = policy.scoring_4_2
    return MetricResult(
        number=number,
        name=spec.name,
        numerator=num,
        denominator=den,
        ratio=None if ratio is None else round(ratio, 6),
        points=points,
        max_points=_max_points(spec, policy),
        computable=True,
        origin=origin,
        scoring=scoring,
        confidence=spec.confidence,
        note=note,
    )


def _not_computable(number: str, policy: IndicatorPolicy, note: str) -> MetricResult:
    spec = _SPEC[number]
    return MetricResult(
        number=number,
        name=spec.name,
        numerator=None,
        denominator=None,
        ratio=None,
        points=None,
        max_points=_max_points(spec, policy),
        computable=False,
        origin="none",
        scoring=spec.scoring,
        confidence=spec.confidence,
        note=note,
    )


@dataclass(frozen=True)
class MetricCounts:
    """Record counts behind the record-computable metrics (filled by either engine).

    A ``None`` pair means no counted record carries the flag the metric needs.
    """

    on_time_2_1: int
    processing_days: int
    processing_count: int
    online_3_3: int
    paid_online: tuple[int, int] | None
    electronic: tuple[int, int] | None
    digitised: tuple[int, int] | None
    reused: tuple[int, int] | None
    satisfied_5_4: int
    complaints_known: bool


def build_metrics(
    counts: MetricCounts,
    total: ReportRow,
    policy: IndicatorPolicy,
    inputs: Mapping[str, MetricInput | tuple[float, float]] | None = None,
) -> dict[str, MetricResult]:
    """Score every metric from record counts, caller inputs, or mark it not computable.

    Raises:
        InvalidInputError: an input for an unknown metric, or for one the records computed.
    """
    require(counts, MetricCounts, "counts", "MetricCounts")
    require(total, ReportRow, "total", "the report's total ReportRow")
    require(policy, IndicatorPolicy, "policy", "an IndicatorPolicy")
    require(inputs, (Mapping, type(None)), "inputs", "a mapping of metric number to input, or None")
    given = {
        k: v if isinstance(v, MetricInput) else MetricInput(numerator=v[0], denominator=v[1])
        for k, v in (inputs or {}).items()
    }
    for k in given:
        if k not in _SPEC:
            raise InvalidInputError(
                f"input for unknown metric {brief(k)}; known: {', '.join(_SPEC)}", field="inputs"
            )
    den_2_1 = (
        total.received_total
        if policy.denominator_2_1 == "received_total"
        else total.received_online + total.received_offline
    )
    received = total.received_online + total.received_offline
    found: dict[str, tuple[float, float, str] | None] = {
        "2.1": (counts.on_time_2_1, den_2_1, f"denominator: {policy.denominator_2_1}"),
        "2.2": (
            counts.processing_days,
            counts.processing_count,
            "mean working days (supplement time removed) of dossiers received and completed "
            "in the period",
        ),
        "3.3": (counts.online_3_3, received, ""),
        "3.6": None if counts.paid_online is None else (*counts.paid_online, ""),
        "4.1": None if counts.electronic is None else (*counts.electronic, ""),
        "4.2": None if counts.digitised is None else (*counts.digitised, ""),
        "4.3": None if counts.reused is None else (*counts.reused, ""),
        "5.4": (
            counts.satisfied_5_4,
            total.received_total,
            "" if counts.complaints_known else "no CoPhanAnh column: no complaints assumed",
        ),
    }
    out: dict[str, MetricResult] = {}
    for spec in METRICS:
        n = spec.number
        value = found.get(n)
        if value is not None:
            if n in given:
                raise InvalidInputError(
                    f"metric {n} is computed from the records; remove its input", field="inputs"
                )
            out[n] = _metric(n, value[0], value[1], policy, "records", value[2])
        elif n in given:
            out[n] = _metric(n, given[n].numerator, given[n].denominator, policy, "input")
        else:
            why = (
                "the records lack the flag it needs"
                if spec.from_records
                else "needs catalogue or feedback data"
            )
            out[n] = _not_computable(
                n, policy, f"not computable: {why}; pass inputs={{'{n}': (numerator, denominator)}}"
            )
    return out


# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------


class ReportRow(BaseModel):
    """One row of the periodic report: a group (``{}`` for the total) and the 11 columns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: dict[str, str]
    received_online: int = 0
    received_offline: int = 0
    carried_over: int = 0
    received_total: int = 0
    resolved_total: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    pending_total: int = 0
    pending_within_time: int = 0
    pending_overdue: int = 0

    def counts(self) -> dict[str, int]:
        """The 11 columns by JSON key."""
        return {c: int(getattr(self, c)) for c in COLUMNS}

    def problems(self) -> list[str]:
        """The identities of mot_cua indicators §C that this row breaks (empty when sound)."""
        c = self.counts()
        checks = [
            (
                "received_total = received_online + received_offline + carried_over",
                c["received_total"],
                c["received_online"] + c["received_offline"] + c["carried_over"],
            ),
            (
                "received_total = resolved_total + pending_total",
                c["received_total"],
                c["resolved_total"] + c["pending_total"],
            ),
            (
                "resolved_total = early + on_time + late",
                c["resolved_total"],
                c["resolved_early"] + c["resolved_on_time"] + c["resolved_late"],
            ),
            (
                "pending_total = within_time + overdue",
                c["pending_total"],
                c["pending_within_time"] + c["pending_overdue"],
            ),
        ]
        return [f"{name} ({left} ≠ {right})" for name, left, right in checks if left != right]


class WeekCount(BaseModel):
    """Dossiers received and resolved in one week (Monday to Sunday) of the period."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    week: dt.date
    received: int
    resolved: int


class SkippedRow(BaseModel):
    """A record left out of a report with ``skip_invalid``: where it was and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    line: int
    column: str
    reason: str
    code: str | None = None


class Report(BaseModel):
    """A periodic report: rows per group, a total row, Decision 766 metrics (from :func:`report`).

    The identities of mot_cua indicators §C are checked when it is built.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    period: Period
    by: tuple[str, ...]
    as_of: dt.datetime | None = None
    policy: IndicatorPolicy
    rows: tuple[ReportRow, ...]
    total: ReportRow
    indicators: dict[str, MetricResult]
    weekly: tuple[WeekCount, ...] = ()
    late_by_agency: tuple[tuple[str, int], ...] = ()
    skipped: tuple[SkippedRow, ...] = ()
    engine: Literal["reference", "columnar"] = "reference"

    @model_validator(mode="after")
    def _identities(self) -> Self:
        problems = [f"total: {p}" for p in self.total.problems()]
        for row in self.rows:
            problems += [f"group {row.group}: {p}" for p in row.problems()]
        if self.rows:
            for col in COLUMNS:
                summed = sum(getattr(r, col) for r in self.rows)
                if summed != getattr(self.total, col):
                    problems.append(f"total {col} {getattr(self.total, col)} ≠ rows' sum {summed}")
        if problems:
            raise ReportConsistencyError(
                "report identities broken (a mot_cua bug; please report it with the input): "
                + "; ".join(problems),
                problems=problems,
            )
        return self

    @property
    def points(self) -> float:
        """Total points of the computable metrics."""
        return round(sum(m.points or 0.0 for m in self.indicators.values() if m.computable), 6)

    def group_points(self) -> dict[int, tuple[float, float]]:
        """Per Decision 766 group: (points of computable metrics, max points of the group)."""
        out: dict[int, tuple[float, float]] = {}
        for m in self.indicators.values():
            g = _SPEC[m.number].group
            got, top = out.get(g, (0.0, 0.0))
            out[g] = (round(got + (m.points or 0.0), 6), top + m.max_points)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``mot-cua report --json`` as a dict."""
        return {
            "period": {
                "from": self.period.start.isoformat(),
                "to": self.period.end.isoformat(),
                "label": self.period.label,
            },
            "by": list(self.by),
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "policy": self.policy.model_dump(mode="json"),
            "rows": [{"group": r.group, **r.counts()} for r in self.rows],
            "total": self.total.counts(),
            "indicators": {
                "766": {k: m.to_dict() for k, m in self.indicators.items()},
                "not_computable": [k for k, m in self.indicators.items() if not m.computable],
                "groups": {
                    str(g): {"points": p, "max_points": top}
                    for g, (p, top) in sorted(self.group_points().items())
                },
                "points": self.points,
            },
            "weekly": [w.model_dump(mode="json") for w in self.weekly],
            "late_by_agency": [{"agency": a, "count": n} for a, n in self.late_by_agency],
            "skipped": [s.model_dump() for s in self.skipped],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON text (Vietnamese kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_csv(self) -> str:
        """The table as CSV: one line per group, then a ``total`` line.

        >>> r = report([], Period.parse("2026-03"))
        >>> r.to_csv().splitlines()[1]
        'total,0,0,0,0,0,0,0,0,0,0,0'
        """
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        keys = list(self.by) or ["group"]
        w.writerow([*keys, *COLUMNS])
        for r in self.rows:
            w.writerow([*(r.group.get(k, "") for k in keys), *r.counts().values()])
        w.writerow(["total", *([""] * (len(keys) - 1)), *self.total.counts().values()])
        return buf.getvalue()

    def to_xlsx(self, path: str | Path, *, unit: str = "") -> Path:
        """Write form II.06a as an Excel file (the code lives in :mod:`mot_cua.reports`).

        Args:
            path: the ``.xlsx`` file to write.
            unit: the reporting unit's name, for the header block.

        Returns:
            The path written.

        Raises:
            InvalidInputError: the file cannot be written.
            ImportError: ``mot_cua[reports]`` is not installed.
        """
        from mot_cua.reports import write_xlsx

        return write_xlsx(self, path, unit=unit)

    def to_html(self, path: str | Path, *, unit: str = "") -> Path:
        """Write a self-contained HTML page with charts (the code lives in :mod:`mot_cua.reports`).

        Args:
            path: the ``.html`` file to write.
            unit: the reporting unit's name.

        Returns:
            The path written.

        Raises:
            InvalidInputError: the file cannot be written.
            ImportError: ``mot_cua[reports]`` is not installed.
        """
        from mot_cua.reports import write_html

        return write_html(self, path, unit=unit)

    def to_frame(self) -> Any:
        """The rows and the total as a polars DataFrame (needs ``mot_cua[reports]``).

        Returns:
            A frame with a ``row`` column (``group`` or ``total``), the grouping keys and the
            11 columns.

        Raises:
            ImportError: ``mot_cua[reports]`` is not installed.
        """
        from mot_cua.reports import report_to_frame

        return report_to_frame(self)


def _weeks(period: Period) -> list[dt.date]:
    first = period.start - dt.timedelta(days=period.start.weekday())
    return [first + dt.timedelta(days=7 * i) for i in range((period.end - first).days // 7 + 1)]


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _group_value(r: DossierRecord, key: str) -> str:
    value = getattr(r, GROUPINGS[key])
    return "" if value is None else str(value.value if isinstance(value, Channel) else value)


def check_by(by: str | Sequence[str]) -> tuple[str, ...]:
    """Validate a grouping (``field``, ``procedure``, ``agency``, ``channel``, ``level``).

    Raises:
        InvalidInputError: an unknown grouping.
    """
    if isinstance(by, str):
        keys: tuple[Any, ...] = (by,)
    elif isinstance(by, Iterable) and not isinstance(by, bytes | bytearray | Mapping):
        keys = tuple(by)
    else:
        keys = (None,)
    if not all(isinstance(k, str) for k in keys):
        raise InvalidInputError(
            f"by must be a grouping name or a list of them, not {type(by).__name__}; "
            "e.g. by=['field', 'agency']",
            field="by",
        )
    for k in keys:
        if k not in GROUPINGS:
            raise InvalidInputError(
                f"unknown grouping {brief(k)}; use one of {', '.join(GROUPINGS)}",
                field="by",
                value=k,
            )
    return keys


def _row(group: dict[str, str], c: Counter[str]) -> ReportRow:
    return ReportRow(
        group=group,
        received_online=c["online"],
        received_offline=c["offline"],
        carried_over=c["carried"],
        received_total=c["counted"],
        resolved_total=c["resolved"],
        resolved_early=c["early"],
        resolved_on_time=c["on_time"],
        resolved_late=c["late"],
        pending_total=c["pending"],
        pending_within_time=c["within_time"],
        pending_overdue=c["overdue"],
    )


def _tally(r: DossierRecord, c: Classification) -> list[str]:
    keys = ["counted", "resolved" if c.resolved else "pending", str(c.outcome)]
    if c.carried_over:
        keys.append("carried")
    else:
        keys.append("online" if r.channel is Channel.ONLINE else "offline")
    return keys


def _flag_pair(pairs: list[tuple[bool | None, bool]], *, known: bool) -> tuple[int, int] | None:
    if not known:
        return None
    return sum(1 for num, _ in pairs if num), len(pairs)


def _reference_counts(
    items: list[tuple[DossierRecord, Classification]], cal: WorkingCalendar
) -> MetricCounts:
    counted = [(r, c) for r, c in items if c.counted]
    recv = [r for r, c in counted if c.received_in_period]
    bad = [(r, c) for r, c in counted if c.outcome in ("late", "overdue")]
    done = [
        (r, c)
        for r, c in counted
        if c.received_in_period
        and c.resolved
        and c.end_kind in ("resolved", "returned")
        and c.adjusted_end is not None
    ]
    days = sum(
        cal.working_days_between(r.received_at.date(), cast(dt.datetime, c.adjusted_end).date())
        for r, c in done
    )

    def known(flag: str) -> bool:
        return any(getattr(r, flag) is not None for r, _ in counted)

    fee = [r for r in recv if r.has_fee]
    return MetricCounts(
        on_time_2_1=sum(1 for _, c in counted if c.outcome in ("early", "on_time", "within_time")),
        processing_days=days,
        processing_count=len(done),
        online_3_3=sum(
            1 for r in recv if r.channel is Channel.ONLINE and r.electronic_result is not False
        ),
        paid_online=_flag_pair([(r.paid_online, True) for r in fee], known=known("has_fee")),
        electronic=_flag_pair(
            [
                (r.electronic_result, True)
                for r, c in counted
                if c.resolved and r.electronic_result is not None
            ],
            known=known("electronic_result"),
        ),
        digitised=_flag_pair(
            [(r.digitised and r.electronic_result is not False, True) for r in recv],
            known=known("digitised"),
        ),
        reused=_flag_pair([(r.reused_data, True) for r in recv], known=known("reused_data")),
        satisfied_5_4=len(counted)
        - len(bad)
        - sum(1 for r, c in counted if r.complaint and c.outcome not in ("late", "overdue")),
        complaints_known=known("complaint"),
    )


def _reference_report(
    records: Iterable[DossierRecord | Dossier],
    period: Period,
    by: tuple[str, ...],
    policy: IndicatorPolicy,
    as_of: dt.datetime | None,
    cal: WorkingCalendar,
    inputs: Mapping[str, MetricInput | tuple[float, float]] | None,
) -> Report:
    items = []
    for rec in records:
        r = rec if isinstance(rec, DossierRecord) else record_from_dossier(rec)
        items.append((r, classify(r, period, policy, as_of=as_of, calendar=cal)))
    groups: dict[tuple[str, ...], Counter[str]] = {}
    total: Counter[str] = Counter()
    weeks = {w: [0, 0] for w in _weeks(period)}
    late: Counter[str] = Counter()
    for r, c in items:
        if not c.counted:
            continue
        keys = _tally(r, c)
        total.update(keys)
        if by:
            groups.setdefault(tuple(_group_value(r, k) for k in by), Counter()).update(keys)
        if c.received_in_period:
            weeks[_monday(r.received_at.date())][0] += 1
        if c.resolved and c.end is not None:
            weeks[_monday(c.end.date())][1] += 1
        if c.outcome in ("late", "overdue"):
            late[r.agency or ""] += 1
    total_row = _row({}, total)
    rows = tuple(_row(dict(zip(by, g, strict=True)), groups[g]) for g in sorted(groups))
    return Report(
        period=period,
        by=by,
        as_of=as_of,
        policy=policy,
        rows=rows,
        total=total_row,
        indicators=build_metrics(_reference_counts(items, cal), total_row, policy, inputs),
        weekly=tuple(WeekCount(week=w, received=a, resolved=b) for w, (a, b) in weeks.items()),
        late_by_agency=tuple(sorted(late.items(), key=lambda kv: (-kv[1], kv[0]))),
        engine="reference",
    )


def report(
    records: Any,
    period: Period | str,
    *,
    by: str | Sequence[str] = (),
    policy: IndicatorPolicy | None = None,
    as_of: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
    inputs: Mapping[str, MetricInput | tuple[float, float]] | None = None,
    engine: Literal["auto", "reference", "columnar"] = "auto",
) -> Report:
    """Count dossiers into the periodic report and score Decision 766's metrics.

    Args:
        records: :class:`DossierRecord` or :class:`~mot_cua.models.Dossier` objects, or a
            :class:`mot_cua.reports.RecordBatch` (from :func:`mot_cua.reports.read_records`).
        period: a :class:`Period` or its text (``2026-03``, ``2026-Q1``, ``2026``, ``A..B``).
        by: groupings, e.g. ``"field"`` or ``("agency", "channel")``.
        policy: the named choices of mot_cua indicators §E.
        as_of: classify pending dossiers at this instant instead of the period end.
        calendar: the working calendar for limits without appointment.
        inputs: numerator and denominator of metrics the records cannot compute, by number.
        engine: ``"auto"`` (columnar for a RecordBatch, the reference otherwise),
            ``"reference"`` or ``"columnar"`` (needs ``mot_cua[reports]``).

    Returns:
        A :class:`Report` whose identities have been checked.

    Raises:
        InvalidInputError: an unknown grouping, a bad period or input, a record without
            appointment and limit.

    >>> r = report([], "2026-03", by="field")
    >>> r.rows, r.total.received_total, r.indicators["2.1"].points
    ((), 0, 0.0)
    """
    p = period if isinstance(period, Period) else Period.parse(period)
    keys = check_by(by)
    pol = policy or IndicatorPolicy()
    if calendar is not None:
        require(calendar, WorkingCalendar, "calendar", "a WorkingCalendar or None")
    if not isinstance(engine, str) or engine not in ("auto", "reference", "columnar"):
        raise InvalidInputError(
            f"engine must be 'auto', 'reference' or 'columnar', not {brief(engine)}",
            field="engine",
        )
    cal = calendar or _default_calendar()
    if as_of is not None:
        as_of = _eval_instant(as_of, p.end_at)
    columnar = engine == "columnar" or (engine == "auto" and hasattr(records, "frame"))
    if columnar:
        from mot_cua.reports import report_frame

        return report_frame(
            records, p, by=keys, policy=pol, as_of=as_of, calendar=cal, inputs=inputs
        )
    if hasattr(records, "frame"):
        return _reference_report(records.to_records(), p, keys, pol, as_of, cal, inputs).model_copy(
            update={"skipped": records.skipped}
        )
    if isinstance(records, str | bytes | Mapping) or not isinstance(records, Iterable):
        raise InvalidInputError(
            "records must be a list of DossierRecord or Dossier objects (or a RecordBatch), not "
            f"{type(records).__name__}",
            field="records",
        )
    return _reference_report(records, p, keys, pol, as_of, cal, inputs)
