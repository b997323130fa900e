"""Inter-agency routing (liên thông): Decree 63/2024/NĐ-CP group 1 over Tết 2025.

Loads the shipped route template, sets the two budgets no source gives (the residence and
health-insurance steps: your province's internal procedure decides them), checks the route against
its limit, plans every step from a receipt on Friday 24/01/2025, and tracks a dossier whose
insurance step ran late to find who owes the apology.
"""

from __future__ import annotations

import datetime as dt
import warnings

from mot_cua import VN_TZ, RouteBudgetWarning
from mot_cua.routing import HandOver, check_route, load_template, plan, track


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant in Asia/Ho_Chi_Minh in 2025."""
    return dt.datetime(2025, month, day, hour, minute, tzinfo=VN_TZ)


def main() -> None:
    """Plan and track the birth + residence + insurance group."""
    route = load_template("decree63-birth").with_budgets(
        {"thuong-tru": "2 ngày làm việc", "bhyt": "1.5 ngày làm việc"}  # example figures
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RouteBudgetWarning)
        check = check_route(route)
    print(f"Longest path: {check.path_days:g} of {check.limit_days:g} working days")
    for w in caught:
        print(f"  warning: {w.message}")
    print(route.to_mermaid())

    received = at(1, 24, 10)
    the_plan = plan(route, received)
    for step in the_plan.steps:
        print(
            f"{step.key:<11} {step.agency:<26} {step.planned_start:%d/%m %H:%M} → "
            f"{step.planned_due:%d/%m %H:%M}"
            if step.planned_due
            else step.key
        )
    print(f"Due (ngày hẹn trả): {the_plan.due_at:%H:%M %d/%m/%Y}")

    moves = [
        HandOver(
            from_agency="ubnd-phuong-hoan-kiem",
            to_agency="cong-an-phuong-hoan-kiem",
            at=at(1, 24, 16),
        ),
        HandOver(from_agency="ubnd-phuong-hoan-kiem", to_agency="bhxh-ha-noi", at=at(1, 24, 16)),
        HandOver(
            from_agency="cong-an-phuong-hoan-kiem",
            to_agency="ttphcc-phuong-hoan-kiem",
            at=at(2, 4, 16),
        ),
        HandOver(from_agency="bhxh-ha-noi", to_agency="ttphcc-phuong-hoan-kiem", at=at(2, 6, 10)),
    ]
    tracking = track(route, received, moves, finished_at=at(2, 6, 10))
    for row in tracking.control_sheet():
        verdict = row.timeliness.label if row.timeliness else ""
        print(f"{row.at:%d/%m %H:%M} {row.from_agency} → {row.to_agency}: {verdict}")
    print(f"Late: {tracking.late}; apology owed by: {tracking.responsible_agency}")


if __name__ == "__main__":
    main()
