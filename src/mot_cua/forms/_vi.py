"""Dates, times and blanks written the way Vietnamese administrative forms write them.

* A moment is written "09 giờ 30 phút, ngày 05 tháng 8 năm 2025": hour and minute on two digits,
  as the forms of Circular 01/2018/TT-VPCP and Circular 03/2025/TT-VPCP print them.
* In a date, a day below 10 and the months 1 and 2 take a leading zero ("ngày 05 tháng 01 năm
  2025", "ngày 15 tháng 8 năm 2025"): the rule for dates of administrative documents of Decree
  30/2020/NĐ-CP (Appendix I), which avoids altering a date by hand (medium: the rule is applied
  here to every date a form prints).
* A field the caller has not supplied prints as the dotted blank of the paper form, never as
  "None".

Every instant is read in Asia/Ho_Chi_Minh, whatever offset it carries.

>>> import datetime as dt
>>> from mot_cua.timezone import VN_TZ
>>> moment_in_words(dt.datetime(2025, 8, 5, 9, 30, tzinfo=VN_TZ))
'09 giờ 30 phút, ngày 05 tháng 8 năm 2025'
>>> moment_in_words(None)
'…… giờ …… phút, ngày …… tháng …… năm ……'
>>> date_in_words(dt.date(2025, 1, 2))
'ngày 02 tháng 01 năm 2025'
"""

from __future__ import annotations

import datetime as dt

from mot_cua.timezone import VN_TZ

__all__ = [
    "BLANK",
    "BLANK_SHORT",
    "abbreviate_parent",
    "balanced_lines",
    "date_in_words",
    "dotted",
    "moment_in_words",
    "numeric_date",
    "numeric_moment",
    "place_name",
    "vnd",
]

#: The dotted blank of a missing text field.
BLANK = "…………………………"
#: A short dotted blank (a number, a day, a month).
BLANK_SHORT = "……"


def dotted(value: object, blank: str = BLANK) -> str:
    """``value`` as text, or a dotted blank when it is missing (``None`` or blank text).

    >>> dotted(None), dotted("  "), dotted(3)
    ('…………………………', '…………………………', '3')
    """
    if value is None:
        return blank
    text = str(value).strip()
    return text if text else blank


def _local(at: dt.datetime) -> dt.datetime:
    return at.astimezone(VN_TZ) if at.tzinfo is not None else at


def _day(day: int) -> str:
    return f"{day:02d}"


def _month(month: int) -> str:
    return f"{month:02d}" if month <= 2 else str(month)


def date_in_words(day: dt.date | None) -> str:
    """``"ngày 05 tháng 8 năm 2025"``; dotted blanks when ``day`` is ``None``.

    A datetime is read in Asia/Ho_Chi_Minh.

    >>> date_in_words(None)
    'ngày …… tháng …… năm ……'
    """
    if day is None:
        return f"ngày {BLANK_SHORT} tháng {BLANK_SHORT} năm {BLANK_SHORT}"
    if isinstance(day, dt.datetime):
        day = _local(day).date()
    return f"ngày {_day(day.day)} tháng {_month(day.month)} năm {day.year}"


def moment_in_words(at: dt.datetime | None) -> str:
    """``"09 giờ 30 phút, ngày 05 tháng 8 năm 2025"``; dotted blanks when ``at`` is ``None``."""
    if at is None:
        return f"{BLANK_SHORT} giờ {BLANK_SHORT} phút, {date_in_words(None)}"
    local = _local(at)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, {date_in_words(local.date())}"


def numeric_date(day: dt.date | dt.datetime | None) -> str:
    """``"05/08/2025"`` (register columns); empty when missing (the clerk fills it in).

    >>> numeric_date(dt.date(2025, 8, 5)), numeric_date(None)
    ('05/08/2025', '')
    """
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = _local(day).date()
    return f"{day:%d/%m/%Y}"


def numeric_moment(at: dt.datetime | None) -> str:
    """``"09:30 05/08/2025"`` (register columns); empty when missing.

    >>> numeric_moment(dt.datetime(2025, 8, 5, 9, 30, tzinfo=VN_TZ))
    '09:30 05/08/2025'
    """
    if at is None:
        return ""
    return f"{_local(at):%H:%M %d/%m/%Y}"


_PREFIXES = ("Thành phố ", "Tỉnh ", "TP. ")


def place_name(province_name: str | None) -> str | None:
    """The place a form is dated at: the province's name without its administrative prefix.

    >>> place_name("Thành phố Hà Nội"), place_name("Tỉnh Lào Cai"), place_name(None)
    ('Hà Nội', 'Lào Cai', None)
    """
    if not province_name:
        return None
    for prefix in _PREFIXES:
        if province_name.startswith(prefix):
            return province_name[len(prefix) :]
    return province_name


def vnd(amount: int) -> str:
    """An amount in đồng with dots between thousands, as Vietnamese documents write it.

    >>> vnd(1500000)
    '1.500.000 đồng'
    """
    return f"{amount:,} đồng".replace(",", ".")


def balanced_lines(text: str, *, width: int = 24) -> list[str]:
    """Split a header line into lines of about equal length, none longer than needed.

    Agency names in the header are set in capitals in a column about 75 mm wide; letting the
    browser wrap them leaves a lone last word ("... PHƯỜNG HOÀN / KIẾM"). Here the number of
    lines is the fewest that keep each under ``width`` characters where the words allow, and
    the words are spread so that the longest line is as short as possible.

    >>> balanced_lines("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG HOÀN KIẾM")
    ['TRUNG TÂM PHỤC VỤ', 'HÀNH CHÍNH CÔNG', 'PHƯỜNG HOÀN KIẾM']
    >>> balanced_lines("SỞ TƯ PHÁP")
    ['SỞ TƯ PHÁP']
    """
    words = text.split()
    if len(text) <= width or len(words) < 2:
        return [text]
    count = min(len(words), -(-len(text) // width))
    best: list[str] = [text]
    best_len = len(text) + 1
    for longest in range(max(len(w) for w in words), len(text) + 1):
        lines = _fill_lines(words, longest)
        if len(lines) <= count:
            best, best_len = lines, longest
            break
    return best if best_len <= len(text) else [text]


def _fill_lines(words: list[str], limit: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


_ABBREVIATIONS = (("ỦY BAN NHÂN DÂN", "UBND"), ("HỘI ĐỒNG NHÂN DÂN", "HĐND"))


def abbreviate_parent(name: str) -> str:
    """The parent agency's header line with the usual abbreviations (UBND, HĐND).

    Decree 30/2020/NĐ-CP (Appendix I) lets the name of the direct parent agency abbreviate
    common phrases such as "Ủy ban nhân dân" (medium: as read from secondary sources).

    >>> abbreviate_parent("ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM")
    'UBND PHƯỜNG HOÀN KIẾM'
    """
    for long, short in _ABBREVIATIONS:
        if name.startswith(long):
            return short + name[len(long) :]
    return name
