"""``mot-cua audit``: recompute legal due dates in bulk and flag the appointments that differ.

For every record with a legal limit (``ThoiHanGiaiQuyet``) the legal due date is recomputed
with :func:`mot_cua.batch.compute_due` from the receipt (``NgayTiepNhan``), with the default
counting policy or the options given. A recorded appointment (``NgayHenTra``) on another date
is flagged *too early* (before the legal due date: the agency gave itself less time than the
law does, often a cut-off or a worked Saturday counted differently) or *too late* (after it:
more time than the law allows), with the number of working days between the two dates. Dates
are compared, not instants (the appointment's hour is the agency's practice).
"""

from __future__ import annotations

import argparse
import csv
import sys
from typing import Any

from mot_cua.cli._output import add_calendar_file, calendar_file, print_json
from mot_cua.errors import brief

__all__ = ["STATUSES", "audit_frame", "register", "run"]

#: Per-record statuses of the audit.
STATUSES = ("agrees", "too_early", "too_late", "no_appointment", "error")
_FIELDS = (
    "MaHoSo", "line", "NgayTiepNhan", "ThoiHanGiaiQuyet", "NgayHenTra", "legal_due", "status",
    "working_days", "error",
)  # fmt: skip


def register(sub: Any) -> None:
    """Add the ``audit`` sub-command."""
    p = sub.add_parser(
        "audit",
        help="recompute legal due dates and flag recorded appointments that differ",
        description="For every record with a legal limit (ThoiHanGiaiQuyet), recompute the "
        "legal due date from the receipt (NgayTiepNhan) and compare it with the recorded "
        "appointment (NgayHenTra): too early or too late, by how many working days.",
    )
    p.add_argument("path", metavar="PATH", help="records file (.csv, .jsonl, .parquet)")
    p.add_argument("--cutoff", default=None, help="receipt cut-off HH:MM (default 15:00), or none")
    p.add_argument(
        "--ignore-worked-saturdays",
        action="store_true",
        help="treat Saturdays declared worked as days off",
    )
    p.add_argument("--all", action="store_true", help="list every audited record, not only flags")
    add_calendar_file(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON object")
    out.add_argument("--csv", action="store_true", help="print one CSV row per record")
    p.set_defaults(func=run)


def _policy(args: argparse.Namespace) -> Any:
    import datetime as dt

    from mot_cua.deadlines import DeadlinePolicy
    from mot_cua.errors import InvalidInputError

    kw: dict[str, Any] = {}
    if args.cutoff is not None:
        if args.cutoff.lower() == "none":
            kw["cutoff"] = None
        else:
            try:
                kw["cutoff"] = dt.time.fromisoformat(args.cutoff)
            except ValueError:
                raise InvalidInputError(
                    f"--cutoff {brief(args.cutoff)} is not a time: give HH:MM such as 15:00, or "
                    "none",
                    field="--cutoff",
                ) from None
    if args.ignore_worked_saturdays:
        kw["worked_saturdays"] = False
    return DeadlinePolicy(**kw)


def audit_frame(frame: Any, *, policy: Any = None, calendar: Any = None) -> Any:
    """The audit of a canonical frame's records that carry a legal limit, as a polars frame.

    Columns: ``MaHoSo``, ``line``, ``NgayTiepNhan``, ``ThoiHanGiaiQuyet``, ``NgayHenTra``,
    ``legal_due`` (ISO dates/instants), ``status`` (:data:`STATUSES`), ``working_days``
    (working days between the recorded and the legal date, 0 when they agree) and ``error``.

    >>> from mot_cua.reports import read_records
    >>> a = audit_frame(read_records("examples/data/monthly_2026_03.csv").frame)
    >>> a.select("MaHoSo", "legal_due", "status").row(0)
    ('H-015', '2026-03-19', 'no_appointment')
    """
    import numpy as np
    import polars as pl
    import pyarrow as pa

    from mot_cua.batch import compute_due
    from mot_cua.calendar import WorkingCalendar

    cal = calendar or WorkingCalendar.vietnam(on_provisional="ignore")
    rows = frame.filter(pl.col("limit").is_not_null())
    received = pa.array(rows["received"].to_numpy(), type=pa.int64()).cast(
        pa.timestamp("us", tz="UTC")
    )
    due = compute_due(received, rows["limit"].to_arrow(), policy=policy, calendar=cal)
    legal = pl.from_arrow(due.select(["due_at", "due_date", "error"]))
    assert isinstance(legal, pl.DataFrame)
    recorded_day = ((pl.col("due") + 7 * 3_600_000_000) // 86_400_000_000).alias("_r")
    out = pl.concat(
        [rows.select("code", "line", "received", "limit", "due"), legal], how="horizontal"
    )
    out = out.with_columns(recorded_day, pl.col("due_date").cast(pl.Int64).alias("_l"))
    r = out["_r"].fill_null(0).to_numpy()
    legal_day = out["_l"].fill_null(0).to_numpy()
    between = cal.working_days_between_array
    lo, hi = np.minimum(r, legal_day), np.maximum(r, legal_day)
    ok = out["_r"].is_not_null().to_numpy() & out["_l"].is_not_null().to_numpy()
    days = np.zeros(out.height, dtype=np.int64)
    if ok.any():
        days[ok] = between(lo[ok].astype("datetime64[D]"), hi[ok].astype("datetime64[D]"))
    status = (
        pl.when(pl.col("error").is_not_null())
        .then(pl.lit("error"))
        .when(pl.col("due").is_null())
        .then(pl.lit("no_appointment"))
        .when(pl.col("_r") < pl.col("_l"))
        .then(pl.lit("too_early"))
        .when(pl.col("_r") > pl.col("_l"))
        .then(pl.lit("too_late"))
        .otherwise(pl.lit("agrees"))
    )
    iso = "%Y-%m-%dT%H:%M:%S%:z"
    zone = "Asia/Ho_Chi_Minh"

    def text(col: str) -> pl.Expr:
        return (
            pl.col(col).cast(pl.Datetime("us", "UTC")).dt.convert_time_zone(zone).dt.strftime(iso)
        )

    return out.with_columns(pl.Series("_d", days), pl.Series("_ok", ok)).select(
        pl.col("code").alias("MaHoSo"),
        "line",
        text("received").alias("NgayTiepNhan"),
        pl.col("limit").alias("ThoiHanGiaiQuyet"),
        text("due").alias("NgayHenTra"),
        pl.col("due_date").cast(pl.String).alias("legal_due"),
        status.alias("status"),
        pl.when(pl.col("_ok")).then(pl.col("_d")).alias("working_days"),
        "error",
    )


def run(args: argparse.Namespace) -> int:
    """Handle ``mot-cua audit``."""
    import polars as pl

    from mot_cua.calendar import calendar_from_cli
    from mot_cua.reports import read_records

    policy = _policy(args)
    cal = calendar_from_cli(calendar_file(args))
    batch = read_records(args.path)
    result = audit_frame(batch.frame, policy=policy, calendar=cal)
    counts = dict.fromkeys(STATUSES, 0)
    for s, n in result.group_by("status").len().iter_rows():
        counts[str(s)] = int(n)
    shown = (
        result
        if args.all
        else result.filter(pl.col("status").is_in(["too_early", "too_late", "error"]))
    )
    shown = shown.sort("line")
    if args.json:
        print_json(
            {
                "path": str(args.path),
                "records": batch.frame.height,
                "audited": result.height,
                "counts": counts,
                "rows": shown.to_dicts(),
            }
        )
    elif args.csv:
        w = csv.DictWriter(sys.stdout, fieldnames=list(_FIELDS), lineterminator="\n")
        w.writeheader()
        w.writerows(shown.to_dicts())
    else:
        print(f"{args.path}: {result.height} of {batch.frame.height} records carry a legal limit")
        print("  " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
        for row in shown.iter_rows(named=True):
            extra = f" by {row['working_days']} working days" if row["working_days"] else ""
            why = f" ({row['error']})" if row["error"] else ""
            print(
                f"  line {row['line']} {row['MaHoSo']}: {row['status']}{extra}; recorded "
                f"{row['NgayHenTra'] or '-'}, legal {row['legal_due'] or '-'}{why}"
            )
    return 0
