"""``mot-cua due``: the legal due date of one dossier."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from mot_cua.calendar import WorkingCalendar
from mot_cua.cli._output import print_json
from mot_cua.deadlines import DeadlinePolicy, Pause, compute_due
from mot_cua.errors import InvalidInputError
from mot_cua.hours import OfficeHours
from mot_cua.limits import Deadline, Method
from mot_cua.timezone import VN_TZ

__all__ = ["deadline_json", "register"]


def parse_instant(text: str, *, name: str) -> dt.datetime:
    """ISO 8601 instant; without an offset it means Asia/Ho_Chi_Minh."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInputError(
            f"{name} {text!r} is not an ISO 8601 date-time; write e.g. 2025-04-25T10:00 "
            "(Asia/Ho_Chi_Minh) or 2025-04-25T10:00+07:00",
            field=name,
        ) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    return value.astimezone(VN_TZ)


def _cutoff(text: str) -> dt.time | None:
    if text.strip().lower() in {"none", "off", "no"}:
        return None
    try:
        return dt.time.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInputError(
            f"--cutoff {text!r} is not a time; write HH:MM (e.g. 15:00) or 'none'",
            field="cutoff",
        ) from exc


def register(sub: Any) -> None:
    """Add the ``due`` sub-command."""
    p = sub.add_parser(
        "due",
        help="compute the due date (ngày hẹn trả kết quả) of a dossier",
        description="Compute the legal due date on the Vietnamese public-sector calendar.",
    )
    p.add_argument("--received", required=True, help="receipt instant, ISO 8601 (default +07:00)")
    p.add_argument("--limit", required=True, help="time limit, e.g. '3 ngày làm việc', 'same day'")
    p.add_argument("--method", choices=[m.value for m in Method], default=Method.DAYS.value)
    p.add_argument("--cutoff", default="15:00", help="receipt cut-off HH:MM, or 'none'")
    p.add_argument(
        "--office-hours",
        default=str(OfficeHours.default()),
        help="sessions, e.g. 07:30-11:30,13:30-17:00",
    )
    p.add_argument(
        "--half-day-slots",
        default=None,
        help="ends of the morning and afternoon slots for --method half-days, e.g. 11:30,16:00",
    )
    p.add_argument(
        "--pause",
        action="append",
        default=[],
        metavar="START/END",
        help="interval during which the clock stops (repeatable)",
    )
    p.add_argument("--pause-policy", choices=["pause", "restart"], default="pause")
    p.add_argument("--roll", choices=["any_day_off", "statutory"], default="any_day_off")
    p.add_argument(
        "--ignore-worked-saturdays",
        action="store_true",
        help="treat Saturdays declared worked as days off (how some systems count)",
    )
    p.add_argument("--no-culture-day", action="store_true", help="do not treat 24/11 as a day off")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def deadline_json(d: Deadline) -> dict[str, Any]:
    """The JSON contract of ``mot-cua due --json``."""
    return {
        "due_at": d.due_at.isoformat(),
        "due_date": d.due_date.isoformat(),
        "received_at": d.received_at.isoformat(),
        "deemed_receipt": d.deemed_receipt.isoformat(),
        "limit": str(d.limit),
        "limit_unit": d.limit.unit.value,
        "limit_value": d.limit.value,
        "method": d.method.value,
        "provisional": d.provisional,
        "trace": [
            {
                "date": t.date.isoformat(),
                "kind": t.kind.value,
                "label": t.label,
                "source": t.source,
            }
            for t in d.trace
        ],
    }


def run(args: argparse.Namespace) -> int:
    """Handle ``mot-cua due``."""
    received = parse_instant(args.received, name="--received")
    slots = None
    if args.half_day_slots:
        parts = [s.strip() for s in args.half_day_slots.split(",")]
        if len(parts) != 2:
            raise InvalidInputError(
                f"--half-day-slots {args.half_day_slots!r}: give two times, e.g. 11:30,16:00"
            )
        slots = (_cutoff(parts[0]), _cutoff(parts[1]))
    policy_args: dict[str, Any] = {
        "method": args.method,
        "cutoff": _cutoff(args.cutoff),
        "office_hours": OfficeHours.parse(args.office_hours),
        "pause_policy": args.pause_policy,
        "roll": args.roll,
        "worked_saturdays": not args.ignore_worked_saturdays,
    }
    if slots is not None:
        policy_args["half_day_slots"] = slots
    try:
        policy = DeadlinePolicy(**policy_args)
    except ValueError as exc:
        raise InvalidInputError(f"invalid option: {exc}") from exc
    calendar = WorkingCalendar.vietnam(culture_day=not args.no_culture_day)
    pauses = [Pause.parse(p) for p in args.pause]
    deadline = compute_due(received, args.limit, calendar=calendar, policy=policy, pauses=pauses)
    if args.json:
        print_json(deadline_json(deadline))
        return 0
    flag = "  (PROVISIONAL: the year's official schedule is not published yet)"
    print(f"Due (ngày hẹn trả):   {deadline.due_at:%H:%M %A %d/%m/%Y}")
    if deadline.provisional:
        print(flag)
    print(f"Received:             {deadline.received_at:%H:%M %A %d/%m/%Y}")
    print(f"Deemed receipt:       {deadline.deemed_receipt:%H:%M %A %d/%m/%Y}")
    print(f"Limit:                {deadline.limit} (method: {deadline.method.value})")
    if deadline.trace:
        print("Trace:")
        for t in deadline.trace:
            source = f"  [{t.source}]" if t.source else ""
            print(f"  {t.date:%a %d/%m/%Y}  {t.kind.value:<15} {t.label}{source}")
    return 0
