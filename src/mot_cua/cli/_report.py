"""``mot-cua report``: the periodic report and Decision 766 metrics of a file of dossiers.

Needs ``mot_cua[reports]`` (polars). Bad input exits 2 with one line naming file, line and
column (under ``--json`` one error object); ``--skip-invalid`` reports on the other rows and lists
every skipped row with its reason.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from mot_cua.cli._output import lang, print_json
from mot_cua.errors import InvalidInputError
from mot_cua.indicators import (
    COLUMNS,
    GROUPINGS,
    POLICY_OPTIONS,
    IndicatorPolicy,
    Period,
    Report,
    classify,
    parse_timestamp,
    report,
)

__all__ = ["register", "run"]

_STAGES = ["reading", "timestamps", "supplements", "checks", "classify", "output"]


def register(sub: Any) -> None:
    """Add the ``report`` sub-command."""
    p = sub.add_parser(
        "report",
        help="periodic report (form II.06a) and Decision 766 metrics of a file of dossiers",
        description="Count dossiers received, resolved early / on time / late and pending within "
        "time / overdue in a period, per group, and score the Decision 766/QĐ-TTg metrics. "
        "PATH: CSV, JSON Lines or Parquet flat records, or JSON Lines of Dossier JSON.",
    )
    p.add_argument("path", metavar="PATH", help="records file (.csv, .jsonl, .parquet)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day (ISO date)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day (ISO date)")
    p.add_argument("--period", help="YYYY-MM, YYYY-Qn or YYYY (instead of --from/--to)")
    p.add_argument(
        "--by",
        action="append",
        default=[],
        choices=list(GROUPINGS),
        help="group rows (repeatable); default: one total row (--xlsx: by field)",
    )
    p.add_argument("--as-of", metavar="INSTANT", help="classify pending dossiers at this instant")
    p.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a named policy (repeatable): "
        + "; ".join(f"{k}={'|'.join(v[1])} (default {v[0]})" for k, v in POLICY_OPTIONS.items()),
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON object")
    out.add_argument("--csv", action="store_true", help="print the table as CSV")
    out.add_argument("--xlsx", metavar="OUT", help="write form II.06a as an Excel file")
    out.add_argument("--html", metavar="OUT", help="write a self-contained HTML page")
    p.add_argument("--explain", metavar="MaHoSo", help="print one dossier's classification")
    p.add_argument("--unit", default="", help="reporting unit's name (xlsx and HTML header)")
    p.add_argument("--skip-invalid", action="store_true", help="report on the valid rows only")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.add_argument(
        "--engine",
        choices=("polars", "spark"),
        default="polars",
        help="polars (default) or spark: the same kernels in local Spark (mot_cua[spark])",
    )
    p.set_defaults(func=run)


def _period(args: argparse.Namespace) -> Period:
    if args.period and (args.date_from or args.date_to):
        raise InvalidInputError("give either --period or --from/--to, not both", field="period")
    if args.period:
        return Period.parse(args.period)
    if args.date_from and args.date_to:
        return Period.between(args.date_from, args.date_to)
    raise InvalidInputError(
        "give the period: --period 2026-03 (or 2026-Q1, 2026), or --from DATE --to DATE",
        field="period",
    )


_TEXT = {
    "en": ("Report {label} ({start} .. {end})", "total",
           "Decision 766 points (computable metrics): {points:.2f}",
           "not computable (no input)", "skipped line {line}, column {column}: {reason}"),
    "vi": ("Báo cáo kỳ {label} ({start} .. {end})", "tổng số",
           "Điểm Quyết định 766 (các chỉ số tính được): {points:.2f}",
           "không tính được (thiếu dữ liệu)", "bỏ qua dòng {line}, cột {column}: {reason}"),
}  # fmt: skip


def _print_table(r: Report) -> None:
    from mot_cua.reports._html import _BY_VI, _HEADERS

    vi = lang() == "vi"
    title, total, points, missing_text, skipped = _TEXT["vi" if vi else "en"]
    print(title.format(label=r.period.label, start=r.period.start, end=r.period.end))
    keys = list(r.by)
    names = [_BY_VI[k] if vi else k for k in keys] or ["nhóm" if vi else "group"]
    head = [*names, *(_HEADERS[c] if vi else c for c in COLUMNS)]
    lines = [
        [*(row.group.get(k, "") for k in keys), *map(str, row.counts().values())] for row in r.rows
    ]
    lines.append([total, *([""] * (len(keys) - 1)), *map(str, r.total.counts().values())])
    for row in [head, *lines]:
        print("  ".join(row))
    print(points.format(points=r.points))
    for number, m in r.indicators.items():
        if m.computable:
            ratio = "-" if m.ratio is None else f"{m.ratio:.4f}"
            print(
                f"  {number:<5} {m.name:<45} {m.numerator:g}/{m.denominator:g} = {ratio}  "
                f"{m.points:.2f}/{m.max_points:g}"
            )
    missing = [k for k, m in r.indicators.items() if not m.computable]
    print(f"  {missing_text}: {', '.join(missing)}")
    for s in r.skipped:
        print(skipped.format(line=s.line, column=s.column, reason=s.reason), file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Handle ``mot-cua report``."""
    from mot_cua.reports import ProgressBar, read_records

    period = _period(args)
    policy = IndicatorPolicy.from_pairs(args.policy)
    as_of = None if args.as_of is None else parse_timestamp(args.as_of, name="--as-of")
    bar = ProgressBar(_STAGES, enabled=False if args.no_progress else None)
    try:
        batch = read_records(args.path, skip_invalid=args.skip_invalid, progress=bar)
        if args.explain:
            c = classify(batch.find(args.explain), period, policy, as_of=as_of)
            bar.close()
            if args.json:
                print_json(c.model_dump(mode="json"))
            else:
                print(c.explain())
            return 0
        by = args.by or (["field"] if args.xlsx else [])
        bar("classify")
        if args.engine == "spark":
            from mot_cua.spark import local_session, report_batch

            r = report_batch(local_session(), batch, period, by=by, policy=policy, as_of=as_of)
        else:
            r = report(batch, period, by=by, policy=policy, as_of=as_of)
        bar("output")
    finally:
        bar.close()
    if args.json:
        print_json(r.to_dict())
    elif args.csv:
        sys.stdout.write(r.to_csv())
    elif args.xlsx:
        print(f"wrote {r.to_xlsx(args.xlsx, unit=args.unit)}")
    elif args.html:
        print(f"wrote {r.to_html(args.html, unit=args.unit)}")
    else:
        _print_table(r)
    return 0
