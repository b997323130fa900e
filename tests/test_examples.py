"""Every worked case of ../shared/domain/EXAMPLES.md, default and alternative policy.

Each case names its row. Defaults: day-counting method, 15:00 cut-off, worked Saturdays count,
the 2026 New Year swap applied, 24/11/2026 a day off.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mot_cua import (
    DeadlinePolicy,
    OfficeHours,
    Pause,
    TimeLimit,
    WorkingCalendar,
    compute_due,
    latest_apology_date,
)
from tests.conftest import vn

D = dt.date
HANOI = OfficeHours.hanoi()  # 08:00-12:00, 13:00-17:00: 8 office hours a day
DEFAULT_HOURS = OfficeHours.default()  # 07:30-11:30, 13:30-17:00

NO_SAT = {"policy": DeadlinePolicy(worked_saturdays=False)}
NO_CUTOFF = {"policy": DeadlinePolicy(cutoff=None)}
NO_CULTURE = {"calendar": WorkingCalendar.vietnam(culture_day=False)}
STATUTORY = {"policy": DeadlinePolicy(roll="statutory")}
NO_OVERRIDES = {"calendar": WorkingCalendar.vietnam(shipped_overrides=False)}

# (row, received, limit, expected due date, alternative kwargs, expected alternative date)
DAY_CASES: list[tuple[int, dt.datetime, str, dt.date, dict[str, Any] | None, dt.date | None]] = [
    (1, vn(2025, 1, 6, 9), "3 ngày làm việc", D(2025, 1, 9), None, None),
    (2, vn(2025, 1, 10, 10), "3 ngày làm việc", D(2025, 1, 15), None, None),
    (3, vn(2025, 1, 24, 10), "5 ngày làm việc", D(2025, 2, 7), None, None),
    (4, vn(2025, 1, 23, 16), "trong ngày", D(2025, 1, 24), None, None),
    (5, vn(2025, 1, 24, 15, 30), "trong ngày", D(2025, 2, 3), None, None),
    (6, vn(2025, 1, 29, 20), "3 ngày làm việc", D(2025, 2, 6), None, None),
    (7, vn(2025, 4, 25, 10), "3 ngày làm việc", D(2025, 4, 29), NO_SAT, D(2025, 5, 5)),
    (8, vn(2025, 4, 29, 14), "2 ngày làm việc", D(2025, 5, 6), None, None),
    (9, vn(2025, 4, 26, 9), "trong ngày", D(2025, 4, 26), None, None),
    (10, vn(2025, 4, 28, 16), "1 ngày làm việc", D(2025, 5, 5), NO_CUTOFF, D(2025, 4, 29)),
    (11, vn(2025, 8, 29, 10), "2 ngày làm việc", D(2025, 9, 4), None, None),
    (12, vn(2026, 8, 21, 10), "1 ngày làm việc", D(2026, 8, 22), NO_SAT, D(2026, 8, 24)),
    (13, vn(2026, 8, 28, 9), "3 ngày làm việc", D(2026, 9, 7), None, None),
    (14, vn(2026, 8, 27, 14), "5 ngày làm việc", D(2026, 9, 8), None, None),
    (15, vn(2026, 2, 13, 10), "3 ngày làm việc", D(2026, 2, 25), None, None),
    (16, vn(2026, 2, 12, 16, 30), "trong ngày", D(2026, 2, 13), None, None),
    (17, vn(2026, 2, 13, 15, 10), "trong ngày", D(2026, 2, 23), None, None),
    (18, vn(2026, 2, 17, 10), "3 ngày làm việc", D(2026, 2, 26), None, None),
    (19, vn(2026, 11, 23, 10), "1 ngày làm việc", D(2026, 11, 25), NO_CULTURE, D(2026, 11, 24)),
    (20, vn(2026, 11, 9, 10), "15 ngày", D(2026, 11, 25), NO_CULTURE, D(2026, 11, 24)),
    (21, vn(2025, 1, 20, 10), "10 ngày", D(2025, 2, 3), None, None),
    (22, vn(2025, 7, 2, 10), "10 ngày", D(2025, 7, 14), None, None),
    (23, vn(2025, 4, 17, 10), "15 ngày", D(2025, 5, 5), STATUTORY, D(2025, 5, 2)),
    (24, vn(2025, 12, 19, 10), "14 ngày", D(2026, 1, 5), STATUTORY, D(2026, 1, 2)),
    (25, vn(2025, 12, 31, 10), "2 ngày làm việc", D(2026, 1, 6), NO_OVERRIDES, D(2026, 1, 5)),
    (26, vn(2026, 1, 9, 10), "1 ngày làm việc", D(2026, 1, 10), None, None),
    (28, vn(2025, 3, 6, 10), "3 ngày làm việc", D(2025, 3, 11), None, None),
    (31, vn(2025, 4, 27, 21), "3 ngày làm việc", D(2025, 5, 6), None, None),
    (32, vn(2026, 4, 24, 10), "3 ngày làm việc", D(2026, 5, 4), None, None),
    (33, vn(2024, 4, 26, 10), "2 ngày làm việc", D(2024, 5, 3), None, None),
    (34, vn(2024, 5, 2, 10), "2 ngày làm việc", D(2024, 5, 4), None, None),
    (35, vn(2024, 2, 7, 14), "1 ngày làm việc", D(2024, 2, 15), None, None),
    (38, vn(2026, 2, 14, 9), "trong ngày", D(2026, 2, 23), None, None),
]


@pytest.mark.parametrize(
    ("row", "received", "limit", "expected", "alt", "alt_expected"),
    DAY_CASES,
    ids=[f"row{c[0]}" for c in DAY_CASES],
)
def test_day_method_rows(
    row: int,
    received: dt.datetime,
    limit: str,
    expected: dt.date,
    alt: dict[str, Any] | None,
    alt_expected: dt.date | None,
) -> None:
    deadline = compute_due(received, limit)
    assert deadline.due_date == expected, f"EXAMPLES.md row {row}"
    # The day method is due at the close of office hours on the due date.
    assert deadline.due_at.time() == DEFAULT_HOURS.closing
    assert not deadline.provisional
    if alt is not None:
        assert compute_due(received, limit, **alt).due_date == alt_expected, f"row {row} (alt)"


def test_row_6_alternative_working_time_8h() -> None:
    # EXAMPLES.md row 6: working-time method, 8 h/day: Wed 05/02/2025 at closing.
    policy = DeadlinePolicy(method="working-time", office_hours=HANOI)
    deadline = compute_due(vn(2025, 1, 29, 20), "3 ngày làm việc", policy=policy)
    assert deadline.due_at == vn(2025, 2, 5, 17)
    assert deadline.deemed_receipt == vn(2025, 2, 3, 8)


def test_row_9_worked_saturday_ignored_moves_same_day() -> None:
    # Row 9 with worked Saturdays ignored: Saturday 26/4/2025 is a day off, the 29/4 is next.
    deadline = compute_due(vn(2025, 4, 26, 9), "trong ngày", **NO_SAT)
    assert deadline.due_date == D(2025, 4, 28)


def test_row_27_supplement_pause_and_restart() -> None:
    # Row 27: 10 working days from Mon 03/03/2025 09:00; supplement requested Fri 07/03 16:00,
    # received Wed 12/03 10:00 -> Thu 20/03 (pause), Wed 26/03 (restart).
    pause = Pause(start=vn(2025, 3, 7, 16), end=vn(2025, 3, 12, 10), label="Yêu cầu bổ sung")
    paused = compute_due(vn(2025, 3, 3, 9), "10 ngày làm việc", pauses=[pause])
    assert paused.due_at == vn(2025, 3, 20, 17)
    restart = compute_due(
        vn(2025, 3, 3, 9),
        "10 ngày làm việc",
        pauses=[pause],
        policy=DeadlinePolicy(pause_policy="restart"),
    )
    assert restart.due_at == vn(2025, 3, 26, 17)
    # Without the pause it would be Mon 17/03.
    assert compute_due(vn(2025, 3, 3, 9), "10 ngày làm việc").due_date == D(2025, 3, 17)


def test_row_28_incomplete_at_desk_clock_starts_when_complete() -> None:
    # Row 28: the clock starts only when the dossier is complete (Thu 06/03/2025 10:00).
    assert compute_due(vn(2025, 3, 6, 10), "3 ngày làm việc").due_date == D(2025, 3, 11)


@pytest.mark.parametrize(
    ("hours", "expected"),
    [(HANOI, vn(2025, 1, 7, 10)), (DEFAULT_HOURS, vn(2025, 1, 7, 10, 30))],
    ids=["row29", "row29-alt"],
)
def test_row_29_working_hours(hours: OfficeHours, expected: dt.datetime) -> None:
    deadline = compute_due(
        vn(2025, 1, 6, 10), "8 giờ làm việc", policy=DeadlinePolicy(office_hours=hours)
    )
    assert deadline.due_at == expected


def test_row_30_working_hours_over_tet() -> None:
    deadline = compute_due(
        vn(2025, 1, 24, 16), "2 giờ làm việc", policy=DeadlinePolicy(office_hours=HANOI)
    )
    assert deadline.due_at == vn(2025, 2, 3, 9)


def test_row_36_land_extension_and_tax_interval() -> None:
    # Row 36: 20 + 10 working days (disadvantaged commune) from Mon 03/03/2025 -> Tue 15/04;
    # with 5 working days of tax payment excluded -> Tue 22/04/2025.
    land = TimeLimit(value=20, unit="working_days", extension=10)
    assert compute_due(vn(2025, 3, 3, 10), land.extended()).due_date == D(2025, 4, 15)
    assert compute_due(vn(2025, 3, 3, 10), "20 + 10 ngày làm việc").due_date == D(2025, 3, 31)
    tax = Pause(start=vn(2025, 3, 20, 9), end=vn(2025, 3, 27, 9), label="Thực hiện nghĩa vụ thuế")
    # 20/03 (Thu) to 27/03 (Thu): 21, 24, 25, 26, 27 = 5 working days not counted.
    deadline = compute_due(vn(2025, 3, 3, 10), land.extended(), pauses=[tax])
    assert deadline.due_date == D(2025, 4, 22)


@pytest.mark.parametrize(
    ("reading", "expected"),
    [("working_day", D(2025, 4, 29)), ("calendar_day", D(2025, 5, 4))],
)
def test_row_37_apology_deadline(reading: str, expected: dt.date) -> None:
    assert latest_apology_date(D(2025, 5, 5), reading=reading) == expected  # type: ignore[arg-type]


def test_row_39_saturday_reception_does_not_start_the_clock() -> None:
    hours = OfficeHours.parse("07:30-11:30,13:30-17:00", saturday_reception="07:30-11:30")
    deadline = compute_due(
        vn(2026, 3, 7, 9), "3 ngày làm việc", policy=DeadlinePolicy(office_hours=hours)
    )
    assert deadline.due_date == D(2026, 3, 12)
    assert deadline.deemed_receipt == vn(2026, 3, 9, 7, 30)


HALF_DAYS = DeadlinePolicy(method="half-days", half_day_slots=(dt.time(11, 30), dt.time(16)))


@pytest.mark.parametrize(
    ("row", "received", "limit", "expected"),
    [
        (40, vn(2026, 3, 2, 8), "5 ngày làm việc", vn(2026, 3, 9, 11, 30)),
        (41, vn(2026, 3, 2, 14), "5 ngày làm việc", vn(2026, 3, 9, 16)),
        (42, vn(2026, 3, 6, 10), "0.5 ngày làm việc", vn(2026, 3, 6, 16)),
        (43, vn(2026, 3, 6, 14), "0.5 ngày làm việc", vn(2026, 3, 9, 11, 30)),
        (44, vn(2026, 3, 2, 9), "1.5 ngày làm việc", vn(2026, 3, 3, 16)),
    ],
    ids=["row40", "row41", "row42", "row43", "row44"],
)
def test_half_day_slot_rows(
    row: int, received: dt.datetime, limit: str, expected: dt.datetime
) -> None:
    assert compute_due(received, limit, policy=HALF_DAYS).due_at == expected, f"row {row}"


def test_half_day_rows_differ_from_day_method() -> None:
    # The alternative for rows 40-44 is the default method: 1.5 days is never truncated to 1.
    day = compute_due(vn(2026, 3, 2, 9), "1.5 ngày làm việc")
    assert day.due_at > compute_due(vn(2026, 3, 2, 9), "1 ngày làm việc").due_at
    assert day.due_date == D(2026, 3, 4)
