"""Statutory time limits (thời hạn giải quyết) as values, and their parser.

A :class:`TimeLimit` is what a procedure publishes: "03 ngày làm việc", "15 ngày", "8 giờ làm
việc", "trong ngày", "ngay". It says nothing about a calendar; :func:`mot_cua.compute_due` turns it
into a due date. Units follow mot_cua rules §4 and the Civil Code 2015 Arts. 144–148:

* ``working_days``: may be fractional (0.5, 1.5); never truncated.
* ``calendar_days``: the first day is not counted (Civil Code Art. 147); the period rolls forward
  when it ends on a day off (Art. 148).
* ``working_hours`` and ``hours``: counted from the receipt instant (Art. 147).
* ``months``: ends on the corresponding day, or the month's last day (Art. 148).
* ``same_day`` ("trong ngày"), ``immediately`` ("ngay").

A limit may carry an ``extension`` in the same unit, granted by law in some places (e.g. land:
+10 working days in mountainous, border, island or disadvantaged communes, Decree 101/2024; mot_cua
rules §4, medium). :meth:`TimeLimit.extended` returns the limit with it applied.

This module also holds the result of a computation, :class:`Deadline`, with its
:class:`TraceEntry` steps and the :class:`UncertainDay` values it depended on (the days whose legal
status is not settled, :class:`LegalStatus`); :mod:`mot_cua.calendar` re-exports the last two.
"""

from __future__ import annotations

import decimal
import functools
import math
import re
import unicodedata
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from mot_cua.errors import InvalidInputError, TimeLimitParseError, brief

if TYPE_CHECKING:
    from mot_cua._values.limits import Deadline, TimeLimit, TraceEntry, UncertainDay

__all__ = [
    "Deadline",
    "LegalStatus",
    "Method",
    "TimeLimit",
    "TimeUnit",
    "Timeliness",
    "TraceEntry",
    "TraceKind",
    "UncertainDay",
]


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
# A number written with thousands groups ("1.000", "12.500", "1,000"): Vietnamese uses "." for
# thousands and "," for decimals, English the other way round, so these are refused as ambiguous.
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+")


def _fmt(x: float) -> str:
    """A number as :meth:`TimeLimit.parse` reads it back exactly (no exponent, no grouping)."""
    if x == int(x):
        return str(int(x))
    text = format(decimal.Decimal(repr(x)), "f")
    # "1.125" would read as Vietnamese thousands; "1.1250" is the same number, unambiguously.
    return text + "0" if _GROUPED.fullmatch(text) else text


def _limit_problem(value: float, unit: TimeUnit, extension: float) -> str | None:
    """Why a value, unit and extension are no limit (``None`` when they are one)."""
    for name, x in (("value", value), ("extension", extension)):
        if not math.isfinite(x) or x < 0:
            return f"{name} must be a finite number ≥ 0, got {brief(x)}"
    if unit in _VALUELESS and (value or extension):
        return f"a '{unit.value}' limit takes no value; leave value at 0"
    if unit not in _VALUELESS and value == 0 and extension == 0:
        return f"0 {unit.value} is not a limit; use unit 'same_day' or 'immediately'"
    if unit in _INTEGRAL and (value != int(value) or extension != int(extension)):
        return f"{unit.value} must be whole numbers, got {brief(value)}"
    if not math.isfinite(value + extension):
        return "value + extension overflows; give a smaller limit"
    return None


def _to_text(limit: _LimitLike, lang: str) -> str:
    """The text of a limit (:meth:`TimeLimit.to_text`)."""
    if lang not in ("vi", "en"):
        raise InvalidInputError(
            f"lang must be 'vi' or 'en', not {brief(lang)}", field="lang", value=lang
        )
    labels = _LABEL_VI if lang == "vi" else _LABEL_EN
    unit = limit.unit
    if unit in _VALUELESS:
        text = labels[unit]
    elif limit.extension:
        text = f"{_fmt(limit.value)} + {_fmt(limit.extension)} {labels[unit]}"
    else:
        text = f"{_fmt(limit.value)} {labels[unit]}"
    if limit.extension_basis is not None:
        text = f"{text} [{limit.extension_basis}]"
    return text


class _LimitLike(Protocol):
    """What the deadline engine reads of a limit: a :class:`TimeLimit` or a :class:`_PlainLimit`."""

    @property
    def value(self) -> float: ...
    @property
    def unit(self) -> TimeUnit: ...
    @property
    def extension(self) -> float: ...
    @property
    def extension_basis(self) -> str | None: ...


class _PlainLimit:
    """A parsed limit without the pydantic model (what the CLI's ``due`` computes with).

    Same fields, same checks and same text as :meth:`TimeLimit.parse` gives, by test
    (``tests/test_lazy_models.py``).
    """

    __slots__ = ("extension", "extension_basis", "unit", "value")

    def __init__(
        self, value: float, unit: TimeUnit, extension: float, extension_basis: str | None
    ) -> None:
        self.value = value
        self.unit = unit
        self.extension = extension
        self.extension_basis = extension_basis

    def __str__(self) -> str:
        return _to_text(self, "vi")


def _limit_fields(text: str) -> dict[str, Any]:
    """The fields of the limit a text states (checked by :class:`TimeLimit` or the caller)."""
    body, basis = _split_basis(text)
    norm = _normalise(body, text)
    if norm in _SAME_DAY:
        return {"unit": TimeUnit.SAME_DAY, "extension_basis": basis}
    if norm in _IMMEDIATE:
        return {"unit": TimeUnit.IMMEDIATELY, "extension_basis": basis}
    m = _NUMBERED.match(norm)
    if not m:
        raise TimeLimitParseError(
            f"cannot read time limit {brief(text)}; write a number and a unit such as "
            "'3 ngày làm việc', '15 ngày', '8 giờ làm việc', '2 tháng', 'trong ngày', "
            "'ngay', '3 working days' or 'same day'",
            text=text,
        )
    value = _number(m["value"], m["words"], text)
    ext = _number(m["ext"], m["extwords"], text) if m["ext"] else 0.0
    unit = _unit(m["unit"], text)
    return {"value": value, "unit": unit, "extension": ext, "extension_basis": basis}


@functools.lru_cache(maxsize=1024)
def _plain_limit(text: str) -> _PlainLimit:
    """:meth:`TimeLimit.parse` without pydantic: the same limit, or the same error."""
    fields = _limit_fields(text)
    limit = _PlainLimit(
        float(fields.get("value", 0.0)),
        fields["unit"],
        float(fields.get("extension", 0.0)),
        fields["extension_basis"],
    )
    problem = _limit_problem(limit.value, limit.unit, limit.extension)
    if problem is not None:
        raise TimeLimitParseError(f"time limit {brief(text)} is not valid: {problem}", text=text)
    return limit


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            return str(found[0].get("msg", exc)).removeprefix("Value error, ")
    return str(exc)


def _split_basis(text: str) -> tuple[str, str | None]:
    """Split ``"20 + 10 ngày làm việc [basis]"`` into the limit and the basis (kept verbatim)."""
    end = text.rstrip()
    if not end.endswith("]") or "[" not in end:
        return text, None
    i = end.index("[")
    return end[:i], end[i + 1 : -1]


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
# Qualifiers after "ngày"/"days" that say which days count ("không kể ngày nghỉ": days off are
# not counted, i.e. working days; "kể cả ngày nghỉ": days off count, i.e. calendar days).
_REST = r"(?:các\s+)?(?:ngày nghỉ|ngày lễ|ngày tết|lễ|tết|thứ bảy|chủ nhật)"
_EXCLUDING = re.compile(
    rf"(?:không kể|không tính|không bao gồm|trừ)\s+{_REST}[\w\s,;/-]*"
    r"|(?:excluding|not counting|except)\s+(?:weekends|holidays|days off|non-working days)"
    r"[\w\s,;/-]*"
)
_INCLUDING = re.compile(
    rf"(?:kể cả|tính cả|bao gồm cả|bao gồm)\s+{_REST}[\w\s,;/-]*"
    r"|including\s+(?:weekends|holidays|days off|non-working days)[\w\s,;/-]*"
)
_NUM = r"\d+(?:[.,]\d+)*"
_WORDS = r"(?:\s*\((?P<{}>[^()]*)\))?"
_NUMBERED = re.compile(
    rf"^(?P<value>{_NUM}){_WORDS.format('words')}"
    rf"(?:\s*\+\s*(?P<ext>{_NUM}){_WORDS.format('extwords')})?"
    r"\s*(?P<unit>[^\d+]+?)\s*$"
)


def _normalise(body: str, text: str) -> str:
    s = unicodedata.normalize("NFC", body).strip().lower()
    s = re.sub(r"\s+", " ", s).strip(" .;:")
    for prefix in _PREFIXES:
        if s.startswith(prefix + " "):
            s = s[len(prefix) + 1 :]
            break
    if s.count("(") != s.count(")") or re.search(r"\([^)]*\(", s):
        raise TimeLimitParseError(
            f"cannot read time limit {brief(text)}: its brackets do not pair up; only the number "
            "in "
            "words may be bracketed, e.g. '03 (ba) ngày làm việc'",
            text=text,
        )
    return s


def _number(digits: str, words: str | None, text: str) -> float:
    if _GROUPED.fullmatch(digits) or digits.count(".") + digits.count(",") > 1:
        raise TimeLimitParseError(
            f"time limit {brief(text)}: {brief(digits)} has a thousands separator, which "
            "Vietnamese "
            "('1.000' = one thousand) and English ('1.000' = one) read differently; write the "
            f"number without it (e.g. '{digits.replace('.', '').replace(',', '')}'), or a "
            "fraction with one, two or more than three decimals (e.g. '1,5' or '1.5')",
            text=text,
        )
    value = float(digits.replace(",", "."))
    if words is not None:
        said = _words_value(words)
        if said is None:
            raise TimeLimitParseError(
                f"time limit {brief(text)}: the bracketed text '({words})' after {digits} is not "
                "the "
                f"number in words; only that may be bracketed, e.g. '03 (ba) ngày làm việc': "
                "write the unit or qualifier without brackets",
                text=text,
            )
        if not math.isclose(said, value):
            raise TimeLimitParseError(
                f"time limit {brief(text)}: the number in words '({words})' says {_fmt(said)}, the "
                f"digits say {digits}; correct one of them",
                text=text,
            )
    return value


def _unit(raw: str, text: str) -> TimeUnit:
    phrase = _SUFFIX.sub("", " " + raw).strip()
    # A bracketed qualifier reads like an unbracketed one: "ngày (làm việc)" = "ngày làm việc".
    phrase = re.sub(r"\s+", " ", phrase.replace("(", " ").replace(")", " ")).strip(" .;:,")
    unit = _UNITS.get(phrase)
    if unit is not None:
        return unit
    head, _, rest = phrase.partition(" ")
    for base in ("ngày làm việc", "working days", "working day", "ngày", "days", "day"):
        if phrase.startswith(base + " "):
            head, rest = base, phrase[len(base) + 1 :]
            break
    working = head in ("ngày làm việc", "working days", "working day")
    if head in ("ngày", "days", "day") or working:
        if _EXCLUDING.fullmatch(rest):
            return TimeUnit.WORKING_DAYS
        if _INCLUDING.fullmatch(rest) and not working:
            return TimeUnit.CALENDAR_DAYS
        if _INCLUDING.fullmatch(rest):
            raise TimeLimitParseError(
                f"time limit {brief(text)} says working days and also that days off count; write "
                "'N ngày làm việc' (working days) or 'N ngày' (calendar days)",
                text=text,
            )
    raise TimeLimitParseError(
        f"cannot read the unit {brief(raw.strip())} of time limit {brief(text)}; write one of "
        "'ngày làm việc', 'ngày', 'giờ làm việc', 'giờ', 'tháng' (or 'working days', 'days', "
        "'working hours', 'hours', 'months'); only the number in words may be bracketed, e.g. "
        "'03 (ba) ngày làm việc'",
        text=text,
    )


# -- numbers in words ---------------------------------------------------------------------------

_DIGIT_WORDS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "nhăm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_EN_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}


def _words_value(words: str) -> float | None:
    """The value of a number written in Vietnamese or English words, or None if it is not one.

    >>> _words_value("mười lăm"), _words_value("hai mươi mốt"), _words_value("không phẩy năm")
    (15.0, 21.0, 0.5)
    >>> _words_value("làm việc") is None
    True
    """
    tokens = re.sub(r"[-,]", " ", words.strip().lower()).split()
    if not tokens:
        return None
    for sep in ("phẩy", "point"):
        if sep in tokens:
            i = tokens.index(sep)
            whole, frac = _integer_words(tokens[:i]), tokens[i + 1 :]
            if whole is None or not frac or any(t not in _DIGIT_WORDS for t in frac):
                return None
            return whole + float("0." + "".join(str(_DIGIT_WORDS[t]) for t in frac))
    value = _integer_words(tokens)
    return None if value is None else float(value)


def _integer_words(tokens: list[str]) -> int | None:
    total = current = 0
    digit: int | None = None
    multipliers: dict[str, int] = {"trăm": 100, "hundred": 100}
    for tok in tokens:
        if tok in _DIGIT_WORDS:
            if digit is not None:
                return None
            digit = _DIGIT_WORDS[tok]
        elif tok in _EN_TEENS:
            current += _EN_TEENS[tok]
        elif tok == "mười":
            current += 10
        elif tok == "mươi":
            current += (digit or 0) * 10
            digit = None
        elif tok in multipliers:
            current += (digit if digit is not None else 1) * multipliers[tok]
            digit = None
        elif tok in ("nghìn", "ngàn", "thousand"):
            total += (current + (digit or 0) or 1) * 1000
            current, digit = 0, None
        elif tok in ("linh", "lẻ", "and"):
            continue
        else:
            return None
    return total + current + (digit or 0)


class Method(StrEnum):
    """How a limit in working days is counted (mot_cua rules §4; a policy, default ``days``).

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
    """What a :class:`TraceEntry` records (values are persisted; never rename them)."""

    DEEMED_RECEIPT = "deemed_receipt"
    """The clock starts later than the receipt (cut-off, closing, day off)."""
    SKIPPED = "skipped"
    """A day off not counted (inside the period, or between the receipt and the deemed receipt)."""
    WORKED_DAY = "worked_day"
    """A Saturday or Sunday declared worked (làm bù), counted as a working day."""
    ROLLED = "rolled"
    """The period (or an appointment in hours) ended on a day off or outside working time."""
    PAUSED = "paused"
    RESTARTED = "restarted"
    EXTENDED = "extended"


class LegalStatus(StrEnum):
    """Whether a day's calendar status is settled law (values are persisted)."""

    ENACTED = "enacted"
    """Fixed by a law or a published Government decision."""
    PENDING = "pending"
    """Announced intent, not yet law (e.g. Vietnam Culture Day 24/11 from 2026)."""


class _Lazy:
    """A field value computed on first access (the trace of :class:`Deadline`).

    Compares, hashes, prints and pickles as the computed value, so that a deadline whose trace
    was never read equals one built from JSON.
    """

    __slots__ = ("_args", "_make", "_value")

    def __init__(self, make: Callable[..., Any], *args: Any) -> None:
        self._make: Callable[..., Any] | None = make
        self._args = args
        self._value: Any = None

    def get(self) -> Any:
        make = self._make
        if make is not None:
            self._value = make(*self._args)
            self._make = None
            self._args = ()
        return self._value

    def __eq__(self, other: object) -> bool:
        return bool(self.get() == (other.get() if isinstance(other, _Lazy) else other))

    def __hash__(self) -> int:
        return hash(self.get())

    def __repr__(self) -> str:
        return repr(self.get())

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (self.get(),))


def __getattr__(name: str) -> Any:
    # The pydantic models load on first use, so that what needs only the plain parts (the CLI's
    # ``due``) never imports pydantic (issue 10 §3; docs/design.md, "Models load lazily").
    if name in _MODELS:
        from mot_cua._values import limits

        value = globals()[name] = getattr(limits, name)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_MODELS = frozenset({"Deadline", "TimeLimit", "TraceEntry", "UncertainDay"})
