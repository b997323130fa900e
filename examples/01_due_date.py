"""Compute receipt due dates (ngày hẹn trả kết quả) the way a one-stop desk prints them.

Shows the default policy (days method, 15:00 cut-off, worked Saturdays), a Tết crossing, a
supplement pause, a half-day-slot deployment and the explanation of every skipped day.

Run: ``python examples/01_due_date.py``
"""

from __future__ import annotations

import datetime as dt

from mot_cua import VN_TZ, DeadlinePolicy, Pause, WorkingCalendar, compute_due


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> dt.datetime:
    """An instant in Asia/Ho_Chi_Minh."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


def main() -> None:
    """Print a few due dates with their explanations."""
    calendar = WorkingCalendar.vietnam()

    # Enterprise registration, 3 working days, received the Friday before Tết 2026.
    d = compute_due(at(2026, 2, 13, 10), "03 ngày làm việc", calendar=calendar)
    print(f"Received {d.received_at:%d/%m/%Y %H:%M} -> due {d.due_at:%H:%M %d/%m/%Y}")
    for step in d.trace:
        print(f"   {step.date:%a %d/%m}: {step.label} [{step.source}]")

    # Certification of copies: same day, but received after the 15:00 cut-off.
    d = compute_due(at(2025, 1, 23, 16), "trong ngày", calendar=calendar)
    print(f"Same-day limit received 23/01/2025 16:00 -> due {d.due_at:%H:%M %d/%m/%Y}")

    # A supplement request pauses the clock; the time already used still counts.
    pause = Pause(start=at(2025, 3, 7, 16), end=at(2025, 3, 12, 10), label="Yêu cầu bổ sung")
    paused = compute_due(at(2025, 3, 3, 9), "10 ngày làm việc", pauses=[pause])
    restart = compute_due(
        at(2025, 3, 3, 9),
        "10 ngày làm việc",
        pauses=[pause],
        policy=DeadlinePolicy(pause_policy="restart"),
    )
    print(
        f"With a supplement pause: {paused.due_date:%d/%m/%Y} (restart policy: "
        f"{restart.due_date:%d/%m/%Y})"
    )

    # An older deployment counting in half-day slots (morning ends 11:30, afternoon 16:00).
    slots = DeadlinePolicy(method="half-days", half_day_slots=(dt.time(11, 30), dt.time(16)))
    d = compute_due(at(2026, 3, 2, 9), "1.5 ngày làm việc", policy=slots)
    print(f"1.5 working days in half-day slots from Mon 02/03/2026 09:00 -> {d.due_at:%H:%M %d/%m}")


if __name__ == "__main__":
    main()
