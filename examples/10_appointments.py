"""Appointments a clerk can print: hours moved into working time, pending days, the trace.

Three receipts at a one-stop desk, computed with the default policy:

* "48 giờ" from Friday 25/04/2025 10:00 falls on Sunday: the appointment moves to the next working
  time, Monday 07:30, and the raw instant is kept (Civil Code 2015 Art. 148(5) read for hours).
* "trong ngày" received Monday 23/11/2026 at 16:00 counts from Wednesday because Tuesday 24/11
  (Vietnam Culture Day) is a day off, but that day off is not enacted law yet: the result says so.
* "3 ngày làm việc" from Friday 25/04/2025 counts the worked Saturday 26/04, and the trace (built
  only when read) says which days counted and which did not.

Run: ``python examples/10_appointments.py``.
"""

from __future__ import annotations

import datetime as dt

from mot_cua import VN_TZ, TimeLimit, TimeLimitParseError, compute_due


def main() -> None:
    """Print the three appointments and what a limit parser refuses."""
    friday = dt.datetime(2025, 4, 25, 10, 0, tzinfo=VN_TZ)
    hours = compute_due(friday, "48 giờ")
    raw = hours.raw_due_at
    assert raw is not None
    print(f"48 giờ from {friday:%a %d/%m %H:%M}: due {hours.due_at:%a %d/%m %H:%M}")
    print(f"   (the clock alone says {raw:%a %d/%m %H:%M}, outside working time)")

    pending = compute_due(dt.datetime(2026, 11, 23, 16, 0, tzinfo=VN_TZ), "trong ngày")
    print(f"trong ngày from Mon 23/11/2026 16:00: due {pending.due_at:%a %d/%m/%Y}")
    for day in pending.uncertain_days:
        print(f"   depends on {day.date:%d/%m/%Y}, {day.status.value}: {day.source}")

    counted = compute_due(friday, "3 ngày làm việc")
    print(f"3 ngày làm việc from {friday:%a %d/%m}: due {counted.due_at:%a %d/%m %H:%M}")
    for entry in counted.trace:
        print(f"   {entry.date:%a %d/%m}  {entry.kind.value:<10} {entry.label}")

    for text in ("15 ngày (không kể ngày nghỉ)", "1.000 ngày"):
        try:
            print(f"{text!r} reads as {TimeLimit.parse(text).unit.value}")
        except TimeLimitParseError as exc:
            print(f"{text!r} is refused: {exc}")


if __name__ == "__main__":
    main()
