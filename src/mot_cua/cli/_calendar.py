"""``mot-cua calendar YEAR`` and ``mot-cua explain DATE``: the calendar, with its sources."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from mot_cua.cli._output import add_calendar_file, calendar_file, gettext, lang, print_json

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``calendar`` and ``explain`` sub-commands."""
    p = sub.add_parser(
        "calendar",
        help="list a year's non-working weekdays and worked Saturdays",
        description="List a year's non-working weekdays and worked weekend days, with reasons "
        "and sources, and count its working days.",
    )
    p.add_argument("year", help="the year, e.g. 2026")
    p.add_argument("--no-culture-day", action="store_true", help="do not treat 24/11 as a day off")
    add_calendar_file(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)
    e = sub.add_parser(
        "explain",
        help="why a day is or is not a working day, with its source",
        description="Explain one day: working or not, why, its source, its legal status "
        "(enacted or pending) and where the answer came from.",
    )
    e.add_argument("date", help="the date, ISO 8601, e.g. 2026-11-24")
    e.add_argument("--no-culture-day", action="store_true", help="do not treat 24/11 as a day off")
    add_calendar_file(e)
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.set_defaults(func=run_explain)


def _day(iso: str) -> str:
    from mot_cua.i18n import format_date

    return format_date(dt.date.fromisoformat(iso), lang())


def _label(d: dict[str, Any]) -> str:
    return str(d["label_en"] if lang() == "en" and d.get("label_en") else d["label"])


def run(args: argparse.Namespace) -> int:
    """Handle ``mot-cua calendar``."""
    from mot_cua.contract import handle_calendar_year
    from mot_cua.errors import InvalidInputError

    try:
        year = int(args.year)
    except ValueError as exc:
        raise InvalidInputError(
            f"year {args.year[:20]!r} is not a number; write e.g. 2026", field="year"
        ) from exc
    request = {"year": year, "culture_day": not args.no_culture_day}
    out = handle_calendar_year(request, calendar_file=calendar_file(args))
    if args.json:
        print_json(out)
        return 0
    title = gettext("Vietnamese public-sector calendar {year}: {count} working days").format(
        year=year, count=out["working_days"]
    )
    print(title + (" (" + gettext("PROVISIONAL") + ")" if out["provisional"] else ""))
    print("\n" + gettext("Non-working weekdays") + ":")
    for d in out["days_off"]:
        flag = " (" + gettext("pending law") + ")" if d["status"] == "pending" else ""
        print(f"  {_day(d['date'])}  {_label(d)}{flag}  [{d['source']}]")
    print("\n" + gettext("Worked weekend days") + ":")
    for d in out["worked_days"]:
        print(f"  {_day(d['date'])}  {_label(d)}  [{d['source']}]")
    if not out["worked_days"]:
        print("  " + gettext("(none)"))
    return 0


def run_explain(args: argparse.Namespace) -> int:
    """Handle ``mot-cua explain``."""
    from mot_cua.contract import handle_explain_day

    request = {"date": args.date, "culture_day": not args.no_culture_day}
    out = handle_explain_day(request, calendar_file=calendar_file(args))
    if args.json:
        print_json(out)
        return 0
    verdict = gettext("working day") if out["working"] else gettext("day off")
    flags = ""
    if out["provisional"]:
        flags += " (" + gettext("PROVISIONAL") + ")"
    if out["status"] == "pending":
        flags += " (" + gettext("pending law") + ")"
    print(f"{_day(out['date'])}: {verdict}{flags}, {_label(out)}")
    print("  " + gettext("Source") + ": " + out["source"])
    print("  " + gettext("Origin") + ": " + out["origin"])
    return 0
