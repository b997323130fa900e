"""``mot-cua calendar YEAR``: the year's days off and worked days, with their sources."""

from __future__ import annotations

import argparse
from typing import Any

from mot_cua.calendar import DayInfo, WorkingCalendar
from mot_cua.cli._output import print_json
from mot_cua.errors import InvalidInputError

__all__ = ["register"]


def register(sub: Any) -> None:
    """Add the ``calendar`` sub-command."""
    p = sub.add_parser(
        "calendar",
        help="list a year's non-working weekdays and worked Saturdays",
        description="List a year's non-working weekdays and worked weekend days, with reasons "
        "and sources, and count its working days.",
    )
    p.add_argument("year", help="the year, e.g. 2026")
    p.add_argument("--no-culture-day", action="store_true", help="do not treat 24/11 as a day off")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def _row(d: DayInfo) -> dict[str, Any]:
    return {
        "date": d.date.isoformat(),
        "weekday": d.date.strftime("%A"),
        "kind": d.kind.value,
        "label": d.label,
        "label_en": d.label_en,
        "source": d.source,
    }


def run(args: argparse.Namespace) -> int:
    """Handle ``mot-cua calendar``."""
    try:
        year = int(args.year)
    except ValueError as exc:
        raise InvalidInputError(f"year {args.year!r} is not a number; write e.g. 2026") from exc
    cal = WorkingCalendar.vietnam(culture_day=not args.no_culture_day)
    if not cal.first_year <= year <= cal.last_year:
        raise InvalidInputError(
            f"year {year} is outside the calendar ({cal.first_year}-{cal.last_year}); choose a "
            f"year from {cal.first_year} to {cal.last_year}",
            field="year",
        )
    days_off = cal.days_off(year)
    worked = cal.worked_days(year)
    count = cal.working_days_in_year(year)
    provisional = year > cal.official_last_year
    if args.json:
        print_json(
            {
                "year": year,
                "working_days": count,
                "provisional": provisional,
                "official_through": cal.official_last_year,
                "days_off": [_row(d) for d in days_off],
                "worked_days": [_row(d) for d in worked],
            }
        )
        return 0
    title = f"Vietnamese public-sector calendar {year}: {count} working days"
    print(title + (" (PROVISIONAL)" if provisional else ""))
    print("\nNon-working weekdays:")
    for d in days_off:
        print(f"  {d.date:%a %d/%m/%Y}  {d.label}  [{d.source}]")
    print("\nWorked weekend days:")
    for d in worked or []:
        print(f"  {d.date:%a %d/%m/%Y}  {d.label}  [{d.source}]")
    if not worked:
        print("  (none)")
    return 0
