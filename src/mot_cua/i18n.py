"""The language of human-readable output: gettext catalogs, Vietnamese by default.

What is translated: the command line's own messages and labels ("Due", "Received", the error
line's prefix and the kind of error), and weekday names in dates. What is not: the JSON (keys and
codes stay English; labels taken from the law stay Vietnamese, with an English ``label_en`` where
the calendar has one) and the text of library error messages, which is English so that it can be
searched and quoted in bug reports.

The catalogs are standard gettext files: ``mot_cua/locale/<lang>/LC_MESSAGES/mot_cua.po``
(messages extracted with Babel, ``pybabel extract``), compiled to the ``.mo`` files that ship in
the package (``pybabel compile``; a test checks that every ``.mo`` matches its ``.po``). Message
ids are English, so ``en`` needs no catalog.

The language is chosen by ``--lang vi|en`` on the command line, else the ``MOT_CUA_LANG``
environment variable, else Vietnamese.

>>> translator("en").gettext("Due")
'Due'
>>> translator("vi").gettext("Due")
'Hạn trả kết quả'
>>> import datetime as dt
>>> format_date(dt.date(2025, 4, 25), "vi"), format_date(dt.date(2025, 4, 25), "en")
('Thứ Sáu, 25/04/2025', 'Friday, 25/04/2025')
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import os
from pathlib import Path

from mot_cua.errors import InvalidInputError

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "ENV_VAR",
    "LANGUAGES",
    "N_",
    "format_date",
    "format_datetime",
    "language",
    "translator",
]

#: The gettext domain of mot_cua's catalogs.
DOMAIN = "mot_cua"
#: Languages of human output.
LANGUAGES = ("vi", "en")
#: The language when none is chosen.
DEFAULT_LANGUAGE = "vi"
#: The environment variable that chooses the language.
ENV_VAR = "MOT_CUA_LANG"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a message for extraction without translating it now (``pybabel extract -k N_``)."""
    return message


#: The catalogs ship inside the package (``mot_cua/locale``).
_LOCALE_DIR = Path(__file__).with_name("locale")

_WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def language(explicit: str | None = None) -> str:
    """The language to use: ``explicit``, else ``$MOT_CUA_LANG``, else Vietnamese.

    Args:
        explicit: a language code (``--lang``), or ``None``.

    Returns:
        ``"vi"`` or ``"en"`` (``vi_VN.UTF-8``-style values are reduced to their language).

    Raises:
        InvalidInputError: a language mot_cua has no catalog for.

    >>> language("en"), language("vi_VN.UTF-8")
    ('en', 'vi')
    """
    chosen = explicit if explicit is not None else os.environ.get(ENV_VAR) or DEFAULT_LANGUAGE
    code = chosen.strip().split(".")[0].split("_")[0].split("-")[0].lower()
    if code not in LANGUAGES:
        source = "--lang" if explicit is not None else ENV_VAR
        raise InvalidInputError(
            f"{source} {chosen[:40]!r} is not a language mot_cua speaks; use vi or en",
            field=source,
        )
    return code


@functools.cache
def translator(lang: str) -> gettext.NullTranslations:
    """The gettext translations of a language (English: the message ids themselves).

    Args:
        lang: ``"vi"`` or ``"en"``.

    Returns:
        The translations (cached).
    """
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(_LOCALE_DIR), languages=[lang], fallback=True)


def _weekday(d: dt.date, lang: str) -> str:
    return translator(lang).gettext(_WEEKDAYS[d.weekday()])


def format_date(d: dt.date, lang: str) -> str:
    """A date for people: weekday and dd/mm/yyyy, as Babel writes ``"EEEE, dd/MM/yyyy"``.

    The weekday names come from the gettext catalog (Babel extracted them), so the command line
    does not pay Babel's import (~25 ms) on every start; a test checks that the result equals
    Babel's for every weekday in both languages.

    Args:
        d: the date.
        lang: ``"vi"`` or ``"en"``.

    Returns:
        e.g. ``"Thứ Sáu, 25/04/2025"``.

    >>> format_date(dt.date(2025, 4, 27), "vi")
    'Chủ Nhật, 27/04/2025'
    """
    return f"{_weekday(d, lang)}, {d:%d/%m/%Y}"


def format_datetime(value: dt.datetime, lang: str) -> str:
    """An instant for people: ``HH:MM`` then :func:`format_date` (in the instant's offset).

    >>> from mot_cua.timezone import VN_TZ
    >>> format_datetime(dt.datetime(2025, 4, 29, 17, 0, tzinfo=VN_TZ), "vi")
    '17:00 Thứ Ba, 29/04/2025'
    """
    return f"{value:%H:%M} {format_date(value.date(), lang)}"
