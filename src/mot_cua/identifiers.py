"""Identifiers: personal identification numbers (CCCD), tax codes (MST) and dossier codes.

Each identifier offers the python-stdnum verbs: ``compact`` (strip separators), ``validate``
(return the compact form or raise :class:`~mot_cua.errors.InvalidIdentifierError`), ``is_valid``
and ``format``.

**CCCD** (số định danh cá nhân, printed on the citizen identity card): 12 digits. Structure from
Decree 137/2015/NĐ-CP Art. 13 (kept by Decree 59/2022/NĐ-CP) and the codes of Circular
07/2016/TT-BCA Art. 7:

* digits 1–3: the province (or country) where the birth was registered;
* digit 4: century of birth and sex: 0/1 = 1900–1999 male/female, 2/3 = 2000–2099, 4/5 = 2100s,
  6/7 = 2200s, 8/9 = 2300s;
* digits 5–6: the last two digits of the year of birth;
* digits 7–12: a random serial.

Every digit value of positions 1–12 can occur (country codes for births abroad are not all
public), so only the length and the digits are checked; what the number says about the holder
(:meth:`CCCD.info`) is checked against a known date of birth (:meth:`CCCD.check_birth`). mot_cua
never rejects a number it cannot prove invalid (docs/design.md).

**MST** (mã số thuế) of an organisation: 10 digits with a check digit, or 13 for a branch
(``0100233488-001``). Checked by ``stdnum.vn.mst`` when the optional ``identifiers`` extra
(python-stdnum) is installed; otherwise by length and digits only (no checksum), see
:data:`MST.uses_stdnum`.

**Dossier code** (mã hồ sơ): ``<unit code>-<YYMMDD>-<NNNN>`` (Circular 01/2018/TT-VPCP Art. 19:
the receiving unit's code, the receipt date and a 4-digit serial within the day). The format is a
:class:`DossierCodeFormat` value so that a change by Circular 03/2025/TT-VPCP is a configuration,
not a code change.

>>> CCCD.validate("001 099 012345")
'001099012345'
>>> MST.format("0312 68 78 78 - 001")
'0312687878-001'
>>> str(DossierCode.parse("000.00.01.H29-250106-0001").date)
'2025-01-06'
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from types import ModuleType
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mot_cua.errors import InvalidIdentifierError, InvalidInputError, brief


def _load_stdnum() -> ModuleType | None:
    """``stdnum.vn.mst`` when the optional extra ``identifiers`` (python-stdnum) is installed."""
    try:
        return importlib.import_module("stdnum.vn.mst")
    except ImportError:  # pragma: no cover - exercised when python-stdnum is absent
        return None


_stdnum_mst = _load_stdnum()

__all__ = ["CCCD", "MST", "CccdInfo", "DossierCode", "DossierCodeFormat"]

_SEPARATORS = re.compile(r"[\s.\-]")


def _text(number: Any, kind: str) -> str:
    if not isinstance(number, str):
        raise InvalidIdentifierError(
            f"a {kind} must be text, not {type(number).__name__} ({brief(number)})",
            kind=kind,
            value=number,
        )
    return number


#: Province codes of Decision 124/2004/QĐ-TTg (the 63 provinces before 1 July 2025), as used in
#: the first three CCCD digits (Circular 07/2016/TT-BCA Art. 7). Numbers already issued keep
#: these codes after the 2025 merger of provinces.
_PROVINCES = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip


def _birth_date(value: object) -> dt.date:
    """A date of birth from a date or ISO text, else :class:`InvalidInputError`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidInputError(
        f"date_of_birth={brief(value)} is not a date; pass a datetime.date or ISO text such as "
        "'1999-05-01'",
        field="date_of_birth",
        value=value,
    )


class CccdInfo(BaseModel):
    """What the digits of a CCCD say about its holder (nothing here is verified against a registry).

    Args:
        province_code: the first three digits.
        province_name: the province of those digits when it is one of the 63 domestic codes,
            else ``None`` (e.g. a birth registered abroad).
        sex: ``"male"`` or ``"female"``.
        birth_year: the year of birth from the century digit and the two year digits.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    province_code: str
    province_name: str | None
    sex: Literal["male", "female"]
    birth_year: int


class CCCD:
    """The 12-digit personal identification number (số định danh cá nhân / CCCD).

    >>> CCCD.is_valid("079203001234"), CCCD.is_valid("12345678")
    (True, False)
    >>> CCCD.info("079203001234")
    CccdInfo(province_code='079', province_name='Hồ Chí Minh', sex='male', birth_year=2003)
    """

    @staticmethod
    def compact(number: str) -> str:
        """Strip spaces, dots and dashes."""
        return _SEPARATORS.sub("", _text(number, "CCCD"))

    @staticmethod
    def validate(number: str) -> str:
        """Return the compact number, or raise.

        Raises:
            InvalidIdentifierError: not 12 digits.
        """
        compact = CCCD.compact(number)
        if not compact.isascii() or not compact.isdigit():
            raise InvalidIdentifierError(
                f"CCCD {brief(number)} must contain digits only", kind="CCCD", value=number
            )
        if len(compact) != 12:
            hint = " (a 9-digit number is an old CMND, not a CCCD)" if len(compact) == 9 else ""
            raise InvalidIdentifierError(
                f"CCCD {brief(number)} has {len(compact)} digits; a CCCD has 12{hint}",
                kind="CCCD",
                value=number,
            )
        return compact

    @staticmethod
    def is_valid(number: str) -> bool:
        """Whether :meth:`validate` accepts the number."""
        try:
            CCCD.validate(number)
        except InvalidIdentifierError:
            return False
        return True

    @staticmethod
    def format(number: str) -> str:
        """The number as printed on the card: 12 digits, no separators."""
        return CCCD.compact(number)

    @staticmethod
    def info(number: str) -> CccdInfo:
        """Decode the province, sex and year of birth (Circular 07/2016/TT-BCA Art. 7).

        Raises:
            InvalidIdentifierError: the number is not valid.
        """
        compact = CCCD.validate(number)
        code = int(compact[3])
        return CccdInfo(
            province_code=compact[:3],
            province_name=_PROVINCES.get(compact[:3]),
            sex="male" if code % 2 == 0 else "female",
            birth_year=1900 + 100 * (code // 2) + int(compact[4:6]),
        )

    @staticmethod
    def check_birth(number: str, date_of_birth: dt.date | str) -> str:
        """Check that the century and year digits agree with a known date of birth.

        Args:
            number: the CCCD.
            date_of_birth: a :class:`datetime.date` or ISO 8601 text (``1999-05-01``).

        Returns:
            The compact number.

        Raises:
            InvalidIdentifierError: the number is invalid or says another year of birth.
            InvalidInputError: ``date_of_birth`` is not a date.

        >>> CCCD.check_birth("001099012345", dt.date(1999, 5, 1))
        '001099012345'
        >>> CCCD.check_birth("001099012345", dt.date(2001, 5, 1))
        Traceback (most recent call last):
        ...
        mot_cua.errors.InvalidIdentifierError: CCCD '001099012345' encodes year of birth 1999, ...
        """
        born = _birth_date(date_of_birth)
        info = CCCD.info(number)
        if info.birth_year != born.year:
            raise InvalidIdentifierError(
                f"CCCD {brief(number)} encodes year of birth {info.birth_year}, but date_of_birth "
                "is "
                f"{born.isoformat()}; check both (digits 4–6 are century/sex and year)",
                kind="CCCD",
                value=number,
            )
        return CCCD.compact(number)


class MST:
    """The tax code (mã số thuế) of an organisation: 10 digits, or 13 for a branch.

    Uses ``stdnum.vn.mst`` (checksum included) when python-stdnum is installed (extra
    ``identifiers``); otherwise checks length and digits only.

    >>> MST.validate("0100233488"), MST.is_valid("0314409058-002"), MST.is_valid("12345")
    ('0100233488', True, False)
    """

    #: Whether python-stdnum is available (then the check digit is verified too).
    uses_stdnum: bool = _stdnum_mst is not None

    @staticmethod
    def compact(number: str) -> str:
        """Strip spaces, dots and dashes."""
        return _SEPARATORS.sub("", _text(number, "MST"))

    @staticmethod
    def validate(number: str) -> str:
        """Return the compact tax code, or raise.

        Raises:
            InvalidIdentifierError: wrong length, not digits, or (with python-stdnum) a wrong
                check digit.
        """
        compact = MST.compact(number)
        if _stdnum_mst is not None:
            try:
                return str(_stdnum_mst.validate(compact))
            except ValueError as exc:  # stdnum's ValidationError derives from ValueError
                raise InvalidIdentifierError(
                    f"tax code (MST) {brief(number)} is invalid: {exc}; an MST has 10 digits "
                    "(13 for a branch, e.g. 0100233488-001) with a check digit",
                    kind="MST",
                    value=number,
                ) from exc
        return MST._format_check(number, compact)

    @staticmethod
    def _format_check(number: str, compact: str) -> str:
        if not (compact.isascii() and compact.isdigit()) or len(compact) not in (10, 13):
            raise InvalidIdentifierError(
                f"tax code (MST) {brief(number)} must have 10 digits, or 13 for a branch "
                "(e.g. 0100233488-001)",
                kind="MST",
                value=number,
            )
        if len(compact) == 13 and compact.endswith("000"):
            raise InvalidIdentifierError(
                f"tax code (MST) {brief(number)}: branch number 000 does not exist (001–999)",
                kind="MST",
                value=number,
            )
        return compact

    @staticmethod
    def is_valid(number: str) -> bool:
        """Whether :meth:`validate` accepts the tax code."""
        try:
            MST.validate(number)
        except InvalidIdentifierError:
            return False
        return True

    @staticmethod
    def format(number: str) -> str:
        """``0100233488`` or ``0100233488-001``."""
        compact = MST.compact(number)
        return compact if len(compact) <= 10 else f"{compact[:10]}-{compact[10:]}"


class DossierCodeFormat(BaseModel):
    """The shape of a dossier code; the default is Circular 01/2018/TT-VPCP Art. 19.

    Only formats that read back to the same date are accepted: ``date_format`` is made of the
    directives ``%Y`` (four-digit year), ``%y`` (two-digit year, dates 1969–2068 only: Python
    reads ``69``–``99`` as 19xx and ``00``–``68`` as 20xx), ``%m``, ``%d`` and ``%j`` (day of the
    year), joined by ``.``, ``/`` or ``_``; it must give the year and the day (``%m`` with ``%d``,
    or ``%j``), each once. ``%%``, names of months or weekdays, times and the separator itself
    are refused.

    Args:
        separator: between the three parts (no letter, digit or whitespace).
        date_format: ``strftime`` format of the receipt date (``%y%m%d`` → ``250106``).
        serial_digits: width of the serial within the day.

    Raises:
        pydantic.ValidationError: a format that cannot round-trip (the message says why).

    >>> fmt = DossierCodeFormat(date_format="%Y%m%d", serial_digits=5)
    >>> DossierCode.generate("H29", dt.date(2025, 7, 1), 12).format(fmt)
    'H29-20250701-00012'
    >>> DossierCodeFormat(date_format="%y%m")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for DossierCodeFormat
    ...
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    separator: Annotated[str, Field(min_length=1, max_length=8)] = "-"
    date_format: Annotated[str, Field(min_length=2, max_length=32)] = "%y%m%d"
    serial_digits: Annotated[int, Field(ge=1, le=9, strict=True)] = 4

    @field_validator("separator")
    @classmethod
    def _separator(cls, value: str) -> str:
        if any(c.isalnum() or c.isspace() or c == "%" for c in value):
            raise ValueError(
                f"separator {brief(value)} must not contain letters, digits, whitespace or '%'; "
                "use e.g. '-' or '/'"
            )
        return value

    @model_validator(mode="after")
    def _round_trips(self) -> Self:
        problem = _date_format_problem(self.date_format, self.separator)
        if problem is not None:
            raise ValueError(
                f"date_format {brief(self.date_format)} cannot be read back: {problem}; use e.g. "
                "'%y%m%d' (Circular 01/2018/TT-VPCP) or '%Y%m%d'"
            )
        return self

    @property
    def two_digit_year(self) -> bool:
        """Whether the date uses ``%y`` (then only dates 1969–2068 can be coded)."""
        return "%y" in self.date_format


_DIRECTIVE = re.compile(r"%(.)", re.DOTALL)
_DATE_LITERALS = frozenset("./_")
#: The years a ``%y`` code reads back to (Python's ``strptime`` pivot, POSIX).
_TWO_DIGIT_YEARS = (1969, 2068)


def _date_format_problem(fmt: str, separator: str) -> str | None:
    """Why ``fmt`` cannot round-trip a date, or ``None``."""
    if separator in fmt:
        return f"it contains the separator {brief(separator)}"
    seen: list[str] = []
    pos = 0
    for match in _DIRECTIVE.finditer(fmt):
        literal = fmt[pos : match.start()]
        pos = match.end()
        if any(c not in _DATE_LITERALS for c in literal):
            return f"literal text {brief(literal)} (only '.', '/' and '_' may join the directives)"
        if match.group(1) not in "Yymdj":
            return f"directive %{match.group(1)} is not allowed (use %Y, %y, %m, %d, %j)"
        seen.append(match.group(1))
    tail = fmt[pos:]
    if "%" in tail or any(c not in _DATE_LITERALS for c in tail):
        return f"literal text {brief(tail)} (only '.', '/' and '_' may join the directives)"
    if len(seen) != len(set(seen)):
        return "a directive is repeated"
    if ("Y" in seen) == ("y" in seen):
        return "it needs exactly one year directive, %Y or %y"
    has_day = ("m" in seen and "d" in seen) or "j" in seen
    if not has_day or ("j" in seen and ("m" in seen or "d" in seen)):
        return "it needs the day: %m with %d, or %j alone"
    return None


#: Circular 01/2018/TT-VPCP Art. 19: ``<unit code>-<YYMMDD>-<NNNN>``.
DEFAULT_FORMAT = DossierCodeFormat()

_UNIT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]*")


class DossierCode(BaseModel):
    """A dossier code: the receiving unit, the receipt date and the serial within that day.

    >>> code = DossierCode.generate("000.00.01.H29", dt.date(2025, 1, 6), 1)
    >>> str(code)
    '000.00.01.H29-250106-0001'
    >>> DossierCode.is_valid("000.00.01.H29-250132-0001")  # 32 January
    False
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit_code: str
    date: dt.date
    serial: Annotated[int, Field(ge=1)]

    @model_validator(mode="after")
    def _unit(self) -> Self:
        if not _UNIT.fullmatch(self.unit_code):
            raise ValueError(
                f"unit code {brief(self.unit_code)} must be letters, digits, '.', '_' or '-' (no "
                "spaces or line breaks)"
            )
        return self

    @classmethod
    def generate(
        cls, unit_code: str, on: dt.date, serial: int, *, fmt: DossierCodeFormat = DEFAULT_FORMAT
    ) -> DossierCode:
        """Build the code of the ``serial``-th dossier received by ``unit_code`` on ``on``.

        Raises:
            InvalidIdentifierError: bad unit code, a serial outside 1 … 10**digits − 1, or a
                date the format cannot write so that it reads back (``%y`` outside 1969–2068).

        >>> DossierCode.generate("H29", dt.date(2070, 1, 1), 1)
        Traceback (most recent call last):
        ...
        mot_cua.errors.InvalidIdentifierError: dossier code date 2070-01-01 cannot be written ...
        """
        fmt = _check_fmt(fmt)
        if isinstance(on, dt.datetime):
            on = on.date()
        if not isinstance(on, dt.date):
            raise InvalidIdentifierError(
                f"the receipt date of a dossier code must be a datetime.date, not {brief(on)}",
                kind="dossier code",
                value=on,
            )
        limit = 10**fmt.serial_digits - 1
        if isinstance(serial, bool) or not isinstance(serial, int) or not 1 <= serial <= limit:
            raise InvalidIdentifierError(
                f"dossier serial {brief(serial)} must be 1–{limit} ({fmt.serial_digits} digits)",
                kind="dossier code",
                value=serial,
            )
        if not isinstance(unit_code, str) or not _UNIT.fullmatch(unit_code):
            raise InvalidIdentifierError(
                f"cannot build a dossier code for unit {brief(unit_code)}: a unit code is letters, "
                "digits, '.', '_' or '-' (no spaces or line breaks), e.g. '000.00.01.H29'",
                kind="dossier code",
                value=unit_code,
            )
        code = cls(unit_code=unit_code, date=on, serial=serial)
        code.format(fmt)  # refuse now a date the format cannot write
        return code

    def format(self, fmt: DossierCodeFormat = DEFAULT_FORMAT) -> str:
        """The code as text in the given format.

        Raises:
            InvalidIdentifierError: the date cannot be written in ``fmt`` so that it reads back
                (``%y`` codes only dates 1969–2068; use ``%Y``).
        """
        fmt = _check_fmt(fmt)
        text = _date_text(self.date, fmt)
        serial = str(self.serial).zfill(fmt.serial_digits)
        return fmt.separator.join((self.unit_code, text, serial))

    def __str__(self) -> str:
        return self.format()

    @classmethod
    def parse(cls, text: str, *, fmt: DossierCodeFormat = DEFAULT_FORMAT) -> DossierCode:
        """Read a dossier code.

        Raises:
            InvalidIdentifierError: the text is not ``<unit>-<date>-<serial>`` in ``fmt``.

        >>> DossierCode.parse("H29-250106-1")
        Traceback (most recent call last):
        ...
        mot_cua.errors.InvalidIdentifierError: dossier code 'H29-250106-1': serial '1' must ...
        """
        raw = _text(text, "dossier code")
        fmt = _check_fmt(fmt)
        parts = raw.strip().rsplit(fmt.separator, 2)
        hint = (
            f"; expected <unit code>{fmt.separator}<date as {fmt.date_format}>"
            f"{fmt.separator}<{fmt.serial_digits}-digit serial>, e.g. "
            f"{DossierCode(unit_code='H29', date=dt.date(2025, 1, 6), serial=1).format(fmt)}"
        )
        if len(parts) != 3 or not parts[0]:
            raise InvalidIdentifierError(
                f"dossier code {brief(text)} does not have three parts{hint}",
                kind="dossier code",
                value=text,
            )
        unit, date_text, serial_text = parts
        if not _UNIT.fullmatch(unit):
            raise InvalidIdentifierError(
                f"dossier code {brief(text)}: unit code {brief(unit)} must be letters, digits, "
                "'.', '_' "
                f"or '-'{hint}",
                kind="dossier code",
                value=text,
            )
        if not (serial_text.isascii() and serial_text.isdigit()) or len(serial_text) != (
            fmt.serial_digits
        ):
            raise InvalidIdentifierError(
                f"dossier code {brief(text)}: serial {brief(serial_text)} must have "
                f"{fmt.serial_digits} "
                f"digits{hint}",
                kind="dossier code",
                value=text,
            )
        try:
            date = dt.datetime.strptime(date_text, fmt.date_format).date()
        except ValueError:
            date = None
        if date is None or _date_text(date, fmt, check=False) != date_text:
            raise InvalidIdentifierError(
                f"dossier code {brief(text)}: {brief(date_text)} is not a date in "
                f"{fmt.date_format}{hint}",
                kind="dossier code",
                value=text,
            )
        if int(serial_text) == 0:
            raise InvalidIdentifierError(
                f"dossier code {brief(text)}: the serial starts at 1{hint}",
                kind="dossier code",
                value=text,
            )
        return cls(unit_code=unit, date=date, serial=int(serial_text))

    @classmethod
    def validate(  # type: ignore[override]  # the python-stdnum verb, not pydantic's
        cls, text: str, *, fmt: DossierCodeFormat = DEFAULT_FORMAT
    ) -> str:
        """Return the code in canonical form, or raise :class:`InvalidIdentifierError`."""
        return cls.parse(text, fmt=fmt).format(fmt)

    @classmethod
    def is_valid(cls, text: str, *, fmt: DossierCodeFormat = DEFAULT_FORMAT) -> bool:
        """Whether :meth:`parse` accepts the text."""
        try:
            cls.parse(text, fmt=fmt)
        except InvalidIdentifierError:
            return False
        return True

    @staticmethod
    def compact(text: str) -> str:
        """Strip surrounding whitespace."""
        return _text(text, "dossier code").strip()


def _check_fmt(fmt: object) -> DossierCodeFormat:
    if not isinstance(fmt, DossierCodeFormat):
        raise InvalidInputError(
            f"fmt must be a DossierCodeFormat, not {brief(fmt)}", field="fmt", value=fmt
        )
    return fmt


def _date_text(day: dt.date, fmt: DossierCodeFormat, *, check: bool = True) -> str:
    """``day`` written in ``fmt``; with ``check``, refuse a text that reads back otherwise."""
    if fmt.two_digit_year and not _TWO_DIGIT_YEARS[0] <= day.year <= _TWO_DIGIT_YEARS[1]:
        if not check:
            return ""
        raise InvalidIdentifierError(
            f"dossier code date {day.isoformat()} cannot be written with %y (two-digit years "
            f"read back as {_TWO_DIGIT_YEARS[0]}–{_TWO_DIGIT_YEARS[1]}); use a format with %Y",
            kind="dossier code",
            value=day.isoformat(),
        )
    text = day.strftime(fmt.date_format)
    if check and "%Y" in fmt.date_format and day.year < 1000:
        raise InvalidIdentifierError(
            f"dossier code date {day.isoformat()} has a year before 1000, which %Y cannot write "
            "as four digits; check the receipt date",
            kind="dossier code",
            value=day.isoformat(),
        )
    return text
