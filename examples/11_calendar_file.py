"""Keep the working calendar current without a new release, and see what the law has not settled.

A one-stop desk learns of a swap (hoán đổi ngày làm việc) a few weeks ahead. It writes the
decision in a small TOML file, in the format of mot_cua's shipped table, and points mot_cua at it
(``WorkingCalendar.vietnam(data=PATH)``, the ``MOT_CUA_CALENDAR_FILE`` environment variable, or
``--calendar-file`` on the command line). The example also lists the *pending* days (announced,
not yet law) that a span depends on, such as Vietnam Culture Day 24/11/2026.

The file written here is a made-up example for 2027 (its "document" is not a real decision).

Run: ``python examples/11_calendar_file.py``
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from mot_cua import WorkingCalendar

EXAMPLE_FILE = """\
[coverage]
official_last_year = 2027
source = "Example schedule for 2027 (illustration only, not a real decision)"

[[override]]
date = 2027-04-29
kind = "day_off"
label = "Nghỉ hoán đổi dịp 30/4 (ví dụ)"
source = "Example notice 1/TB-VD (illustration only)"

[[override]]
date = 2027-04-24
kind = "worked_day"
label = "Làm bù cho ngày 29/4/2027 (ví dụ)"
source = "Example notice 1/TB-VD (illustration only)"
"""


def main() -> None:
    """Print what a calendar file changes, where each answer comes from, and the pending days."""
    shipped = WorkingCalendar.vietnam()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lich-2027.toml"
        path.write_text(EXAMPLE_FILE, encoding="utf-8")
        local = WorkingCalendar.vietnam(data=path)

        print(f"official through {shipped.official_last_year}; with the file through", end=" ")
        print(local.official_last_year)
        day = dt.date(2027, 4, 29)
        info = local.explain(day)
        print(f"{day:%d/%m/%Y}: working day? {local.is_working_day(day)}")
        print(f"   {info.label} [{info.source}]")
        print(f"   from: {info.origin}")

    # Days whose law is not settled: a result over this span depends on them.
    for pending in shipped.uncertain_days(dt.date(2026, 11, 1), dt.date(2026, 12, 31)):
        print(f"pending {pending.date:%d/%m/%Y}: {pending.label}")
        print(f"   source: {pending.source}")
    print("1 working day after Mon 23/11/2026:", shipped.add_working_days(dt.date(2026, 11, 23), 1))
    without = WorkingCalendar.vietnam(culture_day=False)
    print("   without Culture Day:", without.add_working_days(dt.date(2026, 11, 23), 1))


if __name__ == "__main__":
    main()
