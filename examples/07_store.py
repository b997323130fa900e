"""The dossier store: histories in SQLite, two clerks at once, the desk's worklists, an export.

Creates a store in a temporary SQLite file (WAL mode), receives two dossiers, shows the second
of two clerks acting on the same version being refused (optimistic concurrency), a retried
request applied once (idempotency key), the overdue list and the apology worklist, a clean
``verify`` and the flat records that ``mot-cua report`` reads. Needs ``mot_cua[store]``.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from mot_cua import VN_TZ
from mot_cua.errors import ConcurrencyError
from mot_cua.store import EventInput, Store, export_records


def vn(*args: int) -> dt.datetime:
    """An instant in Asia/Ho_Chi_Minh."""
    return dt.datetime(*args, tzinfo=VN_TZ)  # type: ignore[misc]


def main() -> None:
    """Run the example."""
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "dossiers.db")) as store:
        store.init()
        for code, limit, day in [
            ("H29-250303-0001", "10 ngày làm việc", 3),
            ("H29-250310-0002", "3 ngày làm việc", 10),
        ]:
            r = store.create(
                code,
                time_limit=limit,
                agency="so-tp",
                channel="online",
                events=[EventInput("receive", vn(2025, 3, day, 9), actor="desk")],
            )
            print(f"{code}: {r.state.status}, due {r.state.due_at:%d/%m/%Y %H:%M}")

        # Two clerks read version 1; the first one's event lands, the second is told.
        store.append(
            "H29-250303-0001", "start", at=vn(2025, 3, 3, 10), actor="clerk-a", expected_version=1
        )
        try:
            store.append(
                "H29-250303-0001",
                "stop",
                at=vn(2025, 3, 3, 11),
                actor="clerk-b",
                reason="...",
                expected_version=1,
            )
        except ConcurrencyError as exc:
            print(f"clerk-b refused: now at version {exc.details['current_version']}")

        # A request retried after a network timeout is applied once.
        for _ in range(2):
            r = store.append(
                "H29-250303-0001",
                "request_supplement",
                at=vn(2025, 3, 5, 9),
                missing=["Tờ khai"],
                idempotency_key="req-81",
            )
        print(f"retried request: duplicate={r.duplicate}, version {r.state.version}")

        print("overdue on 14/03 08:00:", store.codes(overdue_at=vn(2025, 3, 14, 8)))
        owed = store.apologies_owed(dt.date(2025, 3, 12))
        print("apology owed by 12/03:", [(d.code, f"{d.apology_by:%d/%m}") for d in owed])
        report = store.verify()
        print(f"verify: {report.dossiers} dossiers, {report.events} events, ok={report.ok}")
        out = io.StringIO()
        export_records(store.iter_dossiers(), out)
        print(out.getvalue().splitlines()[2])


if __name__ == "__main__":
    main()
