"""The columnar engine: the rules of :mod:`mot_cua.indicators` as polars expressions.

Two stages, kept apart so that other engines (Spark, issue 13) can reuse the first:

* :func:`classify_frame` — per row, no aggregation: the classification of every dossier of a
  *canonical frame* (see :data:`CANONICAL_SCHEMA`) for one period;
* :func:`aggregate_frame` — the report's counts from a classified frame.

Instants are Int64 microseconds since the Unix epoch (UTC). Local dates use the fixed offset
+07:00 (Asia/Ho_Chi_Minh has had no other offset since 1975, IANA tzdata). Limits without an
appointment are counted with the calendar's numpy tables
(:meth:`~mot_cua.calendar.WorkingCalendar.add_working_days_array`): no per-row Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import polars as pl

from mot_cua.calendar import WorkingCalendar
from mot_cua.errors import InvalidInputError
from mot_cua.indicators import (
    COLUMNS,
    IndicatorPolicy,
    MetricCounts,
    MetricInput,
    Period,
    Report,
    ReportRow,
    SkippedRow,
    WeekCount,
    build_metrics,
    limit_steps,
)
from mot_cua.limits import TimeLimit

__all__ = [
    "CANONICAL_SCHEMA",
    "aggregate_frame",
    "classify_frame",
    "empty_frame",
    "instant_us",
    "report_frame",
]

_OFFSET = 7 * 3600 * 1_000_000
_DAY = 86_400 * 1_000_000
_TIME_COLUMNS = ("received", "due", "resolved", "returned", "stopped", "withdrawn")
_ROUNDS = pl.List(pl.Int64)

#: Columns of the canonical frame every reader produces (times: µs since the epoch, UTC).
CANONICAL_SCHEMA: Mapping[str, Any] = {
    "line": pl.Int64,
    "code": pl.String,
    "procedure": pl.String,
    "agency": pl.String,
    "field": pl.String,
    "level": pl.String,
    "channel": pl.Int8,
    **dict.fromkeys(_TIME_COLUMNS, pl.Int64),
    "bs_start": _ROUNDS,
    "bs_end": _ROUNDS,
    "nv_start": _ROUNDS,
    "nv_end": _ROUNDS,
    "limit": pl.String,
    "electronic_result": pl.Boolean,
    "digitised": pl.Boolean,
    "has_fee": pl.Boolean,
    "paid_online": pl.Boolean,
    "complaint": pl.Boolean,
    "reused_data": pl.Boolean,
}

_CHANNEL_NAMES = {1: "in_person", 2: "online", 3: "postal"}


def empty_frame() -> pl.DataFrame:
    """A canonical frame without rows."""
    return pl.DataFrame(schema=dict(CANONICAL_SCHEMA))


def instant_us(value: dt.datetime) -> int:
    """An aware datetime as µs since the epoch."""
    delta = value - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _day(expr: Any) -> Any:
    """Local day number (days since 1970-01-01) of an instant."""
    return (expr + _OFFSET) // _DAY


def _rounds(df: pl.DataFrame, prefix: str, stop: str, ended: str) -> pl.DataFrame:
    """Per row index ``_i``: requests, Σ durations, last duration, open round (for one kind)."""
    s, e = f"{prefix}_start", f"{prefix}_end"
    long = df.select("_i", s, e, stop, ended).filter(pl.col(s).list.len() > 0).explode([s, e])
    inc = (pl.col(s) < pl.col(stop)) | (pl.col(ended) & (pl.col(s) == pl.col(stop)))
    closed = pl.col(e).is_not_null() & (pl.col(e) <= pl.col(stop))
    long = long.filter(inc).with_columns(
        dur=pl.when(closed)
        .then(pl.col(e) - pl.col(s))
        .when(pl.col(ended))
        .then(pl.col(stop) - pl.col(s))
        .otherwise(None),
        held=pl.when(closed).then(pl.col(e)).otherwise(pl.col(stop)) - pl.col(s),
        open=~closed & ~pl.col(ended),
    )
    return long.group_by("_i").agg(
        pl.len().alias(f"{prefix}_n"),
        pl.col("dur").sum().alias(f"{prefix}_sum"),
        pl.col("dur").drop_nulls().last().alias(f"{prefix}_last"),
        pl.col("held").sum().alias(f"{prefix}_held"),
        pl.col("open").any().alias(f"{prefix}_open"),
    )


def _limit_table(texts: list[str]) -> pl.DataFrame:
    """Unique limit texts → (kind, n), parsed once each."""
    kinds, steps = [], []
    for text in texts:
        kind, n = limit_steps(TimeLimit.parse(text))
        kinds.append(kind)
        steps.append(n)
    return pl.DataFrame(
        {"limit": texts, "_kind": kinds, "_n": steps},
        schema={"limit": pl.String, "_kind": pl.String, "_n": pl.Int64},
    )


def _bounds(df: pl.DataFrame, calendar: WorkingCalendar) -> pl.DataFrame:
    """Columns ``_E`` and ``_L`` (local day numbers) for rows without an appointment."""
    need = df.filter(pl.col("counted") & pl.col("due").is_null()).select("_i", "limit", "_sday")
    if need.is_empty():
        return pl.DataFrame(schema={"_i": pl.Int64, "_E": pl.Int64, "_L": pl.Int64})
    missing = need.filter(pl.col("limit").is_null())
    if not missing.is_empty():
        code = df.filter(pl.col("_i") == missing["_i"][0])["code"][0]
        raise InvalidInputError(
            f"dossier {code}: no appointment (NgayHenTra) and no legal limit "
            "(ThoiHanGiaiQuyet): give one of them",
            dossier=code,
            column="NgayHenTra",
        )
    table = _limit_table(need["limit"].unique().sort().to_list())
    need = need.join(table, on="limit", how="left")
    sday = need["_sday"].to_numpy()
    n = need["_n"].to_numpy()
    kind = need["_kind"].to_numpy()
    early = np.where(kind == "calendar", sday + n, sday)
    late = early + 1
    work = kind == "working"
    if work.any():
        days = sday[work].astype("datetime64[D]")
        nw = n[work]
        e = calendar.add_working_days_array(days, np.maximum(nw, 1)).astype(np.int64)
        early[work] = np.where(nw > 0, e, sday[work])
        late[work] = calendar.add_working_days_array(days, nw + 1).astype(np.int64)
    months = kind == "months"
    if months.any():
        sub = need.filter(pl.col("_kind") == "months").select(
            pl.col("_sday").cast(pl.Date).dt.offset_by(pl.format("{}mo", pl.col("_n")))
        )
        m = sub.to_series().cast(pl.Int64).to_numpy()
        early[months] = m
        late[months] = m + 1
    return pl.DataFrame({"_i": need["_i"], "_E": early, "_L": late})


def _membership(df: pl.DataFrame, period: Period) -> pl.DataFrame:
    p0, p1 = instant_us(period.start_at), instant_us(period.end_at)
    end_kind = (
        pl.when(pl.col("resolved").is_not_null())
        .then(pl.lit("resolved"))
        .when(pl.col("returned").is_not_null())
        .then(pl.lit("returned"))
        .when(pl.col("stopped").is_not_null())
        .then(pl.lit("stopped"))
        .when(pl.col("withdrawn").is_not_null())
        .then(pl.lit("withdrawn"))
    )
    end = pl.coalesce("resolved", "returned", "stopped", "withdrawn")
    df = df.with_columns(
        _i=pl.int_range(pl.len(), dtype=pl.Int64),
        _end=end,
        _end_kind=end_kind,
        _sday=_day(pl.col("received")),
    )
    counted = (pl.col("received") < p1) & (pl.col("_end").is_null() | (pl.col("_end") >= p0))
    df = df.with_columns(counted=counted).with_columns(
        received_in_period=(pl.col("received") >= p0) & (pl.col("received") < p1),
        carried_over=(pl.col("received") < p0) & pl.col("counted"),
        resolved=pl.col("counted") & pl.col("_end").is_not_null() & (pl.col("_end") < p1),
    )
    return df.with_columns(
        pending=pl.col("counted") & ~pl.col("resolved"),
        _stop=pl.when(pl.col("resolved")).then(pl.col("_end")).otherwise(pl.lit(p1)),
    )


def _outcome_exprs(pol: IndicatorPolicy, evaluation: int) -> tuple[pl.Expr, pl.Expr]:
    """The class of a resolved row and of a pending row (mot_cua indicators §B)."""
    adj_day, due_day = _day(pl.col("adjusted_end")), _day(pl.col("due"))
    late = (
        pl.col("adjusted_end") > pl.col("due")
        if pol.boundary == "by_instant"
        else (adj_day > due_day)
    )
    has_due = pl.col("due").is_not_null()
    resolved_outcome = (
        pl.when(pl.col("_end_kind") == "withdrawn")
        .then(pl.lit("on_time"))
        .when(pl.col("supplement_requests") > 1)
        .then(pl.lit("late"))
        .when(has_due & late)
        .then(pl.lit("late"))
        .when(has_due & (adj_day < due_day))
        .then(pl.lit("early"))
        .when(has_due)
        .then(pl.lit("on_time"))
        .when(adj_day >= pl.col("_L"))
        .then(pl.lit("late"))
        .when(adj_day < pl.col("_E"))
        .then(pl.lit("early"))
        .otherwise(pl.lit("on_time"))
    )
    threshold = pl.when(has_due).then(pl.col("due")).otherwise(pl.col("_L") * _DAY - _OFFSET)
    pending_outcome = (
        pl.when(pl.col("supplement_requests") > 1)
        .then(pl.lit("overdue"))
        .when(pl.col("waiting_supplement"))
        .then(pl.lit("within_time"))
        .when(pl.lit(evaluation) - pl.col("supplement_us") <= threshold)
        .then(pl.lit("within_time"))
        .otherwise(pl.lit("overdue"))
    )
    return resolved_outcome, pending_outcome


def classify_frame(
    df: pl.DataFrame,
    period: Period,
    policy: IndicatorPolicy | None = None,
    *,
    as_of: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
) -> pl.DataFrame:
    """Classify every row of a canonical frame for one period (per row; no aggregation).

    Adds ``end``, ``end_kind``, ``counted``, ``received_in_period``, ``carried_over``,
    ``resolved``, ``pending``, ``supplement_us``, ``supplement_requests``,
    ``waiting_supplement``, ``adjusted_end`` and ``outcome`` (``early``, ``on_time``, ``late``,
    ``within_time``, ``overdue``; null when not counted), with the same rules and numbers as
    :func:`mot_cua.indicators.classify`.

    Args:
        df: a canonical frame (:data:`CANONICAL_SCHEMA`).
        period: the reporting period.
        policy: the named choices (default :class:`~mot_cua.indicators.IndicatorPolicy`).
        as_of: classify pending rows at this instant instead of the period end.
        calendar: the working calendar (default: Vietnam's, provisional years not warned).

    Returns:
        The frame with the classification columns.

    Raises:
        InvalidInputError: a counted row without appointment and limit.
        CalendarRangeError: a receipt outside the calendar's years.

    >>> import datetime as dt
    >>> from mot_cua import VN_TZ
    >>> from mot_cua.indicators import DossierRecord, Period
    >>> from mot_cua.reports import records_to_frame
    >>> rec = DossierRecord(code="A", channel=2,
    ...     received_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ),
    ...     due_at=dt.datetime(2026, 3, 4, 17, 0, tzinfo=VN_TZ),
    ...     resolved_at=dt.datetime(2026, 3, 4, 18, 0, tzinfo=VN_TZ))
    >>> classify_frame(records_to_frame([rec]), Period.parse("2026-03"))["outcome"].to_list()
    ['on_time']
    """
    pol = policy or IndicatorPolicy()
    cal = calendar or WorkingCalendar.vietnam(on_provisional="ignore")
    p1 = instant_us(period.end_at)
    evaluation = p1 if as_of is None else instant_us(as_of)
    df = _membership(df, period)
    for prefix in ("bs", "nv"):
        df = df.join(_rounds(df, prefix, "_stop", "resolved"), on="_i", how="left")
    df = df.join(_bounds(df, cal), on="_i", how="left")
    supp = pl.col("bs_last" if pol.supplement_rounds == "last" else "bs_sum").fill_null(0)
    df = df.with_columns(
        supplement_us=supp + pl.col("nv_held").fill_null(0),
        supplement_requests=pl.col("bs_n").fill_null(0).cast(pl.Int64),
        waiting_supplement=pl.col("bs_open").fill_null(value=False) & pl.col("pending"),
    ).with_columns(
        adjusted_end=pl.when(pl.col("resolved")).then(pl.col("_end") - pl.col("supplement_us"))
    )
    resolved_outcome, pending_outcome = _outcome_exprs(pol, evaluation)
    df = df.with_columns(
        outcome=pl.when(pl.col("resolved"))
        .then(resolved_outcome)
        .when(pl.col("pending"))
        .then(pending_outcome),
        end=pl.when(pl.col("resolved")).then(pl.col("_end")),
        end_kind=pl.when(pl.col("resolved")).then(pl.col("_end_kind")),
    )
    helpers = [c for c in df.columns if c.startswith("_") or c[:3] in ("bs_", "nv_")]
    keep = [c for c in ("bs_start", "bs_end", "nv_start", "nv_end") if c in df.columns]
    return df.drop([c for c in helpers if c not in keep] + ["_i"], strict=False)


#: The columns of a classified frame that the report's counts read.
_COUNT_INPUTS = (
    "procedure", "agency", "field", "level", "channel", "received", "adjusted_end", "end",
    "end_kind", "counted", "received_in_period", "carried_over", "resolved", "pending", "outcome",
    "electronic_result", "digitised", "has_fee", "paid_online", "complaint", "reused_data",
)  # fmt: skip

_BY_COLUMN = {"field": "field", "procedure": "procedure", "agency": "agency", "level": "level"}


def _group_exprs(by: tuple[str, ...]) -> list[pl.Expr]:
    out = []
    for key in by:
        if key == "channel":
            expr = pl.col("channel").replace_strict(
                _CHANNEL_NAMES, default="", return_dtype=pl.String
            )
        else:
            expr = pl.col(_BY_COLUMN[key]).fill_null("")
        out.append(expr.alias(f"g_{key}"))
    return out


def count_columns() -> dict[str, pl.Expr]:
    """The 11 report columns as 0/1 per classified row, by JSON key (summed per group).

    One definition for every engine: :func:`aggregate_frame` sums them in polars, the Spark
    adapter per Arrow batch before Spark's own aggregation.
    """
    o = pl.col("outcome")
    fresh = pl.col("counted") & ~pl.col("carried_over")
    return {
        "received_online": fresh & (pl.col("channel") == 2),
        "received_offline": fresh & (pl.col("channel") != 2),
        "carried_over": pl.col("carried_over"),
        "received_total": pl.col("counted"),
        "resolved_total": pl.col("resolved"),
        "resolved_early": pl.col("resolved") & (o == "early"),
        "resolved_on_time": pl.col("resolved") & (o == "on_time"),
        "resolved_late": pl.col("resolved") & (o == "late"),
        "pending_total": pl.col("pending"),
        "pending_within_time": pl.col("pending") & (o == "within_time"),
        "pending_overdue": pl.col("pending") & (o == "overdue"),
    }


def _count_exprs() -> list[pl.Expr]:
    return [e.sum().cast(pl.Int64).alias(k) for k, e in count_columns().items()]


def aggregate_frame(classified: pl.DataFrame, by: tuple[str, ...] = ()) -> pl.DataFrame:
    """The 11 report columns per group (``g_<key>`` columns) of a classified frame.

    With ``by=()`` one row: the total.
    """
    counted = classified.filter(pl.col("counted"))
    if not by:
        return counted.select(_count_exprs())
    keys = [f"g_{k}" for k in by]
    return counted.with_columns(_group_exprs(by)).group_by(keys).agg(_count_exprs()).sort(keys)


def _pair(df: pl.DataFrame, scope: pl.Expr, num: pl.Expr, flag: str) -> tuple[int, int] | None:
    # Counted on the Series: polars 2.1 answered `is_not_null().any()` wrongly on a filtered,
    # empty frame.
    if df[flag].null_count() >= df.height:
        return None
    row = df.select(num.filter(scope).sum().alias("n"), scope.sum().alias("d")).row(0)
    return int(row[0] or 0), int(row[1] or 0)


def _metric_counts(df: pl.DataFrame, calendar: WorkingCalendar) -> MetricCounts:
    c = df.filter(pl.col("counted"))
    o = pl.col("outcome")
    recv = pl.col("received_in_period")
    bad = o.is_in(["late", "overdue"])
    done = c.filter(recv & pl.col("resolved") & pl.col("end_kind").is_in(["resolved", "returned"]))
    days = 0
    if done.height:
        a = _day(done["received"]).to_numpy().astype("datetime64[D]")
        b = _day(done["adjusted_end"]).to_numpy().astype("datetime64[D]")
        days = int(calendar.working_days_between_array(a, b).sum())
    er = pl.col("electronic_result")
    row = c.select(
        o.is_in(["early", "on_time", "within_time"]).sum().alias("a"),
        (recv & (pl.col("channel") == 2) & er.fill_null(value=True)).sum().alias("b"),
        bad.sum().alias("c"),
        (pl.col("complaint").fill_null(value=False) & ~bad).sum().alias("d"),
        pl.col("complaint").is_not_null().sum().alias("e"),
    ).row(0)
    return MetricCounts(
        on_time_2_1=int(row[0]),
        processing_days=days,
        processing_count=done.height,
        online_3_3=int(row[1]),
        paid_online=_pair(
            c,
            recv & pl.col("has_fee").fill_null(value=False),
            pl.col("paid_online").fill_null(value=False),
            "has_fee",
        ),
        electronic=_pair(
            c, pl.col("resolved") & er.is_not_null(), er.fill_null(value=False), "electronic_result"
        ),
        digitised=_pair(
            c,
            recv,
            pl.col("digitised").fill_null(value=False) & er.fill_null(value=True),
            "digitised",
        ),
        reused=_pair(c, recv, pl.col("reused_data").fill_null(value=False), "reused_data"),
        satisfied_5_4=c.height - int(row[2]) - int(row[3]),
        complaints_known=int(row[4] or 0) > 0,
    )


def _rows(agg: pl.DataFrame, by: tuple[str, ...]) -> tuple[ReportRow, ...]:
    rows = []
    for rec in agg.iter_rows(named=True):
        group = {k: str(rec[f"g_{k}"]) for k in by}
        rows.append(ReportRow(group=group, **{c: int(rec[c]) for c in COLUMNS}))
    return tuple(rows)


def _weekly(df: pl.DataFrame, period: Period) -> tuple[WeekCount, ...]:
    epoch = dt.date(1970, 1, 1)
    first = period.start - dt.timedelta(days=period.start.weekday())
    count = (period.end - first).days // 7 + 1
    weeks = {first + dt.timedelta(days=7 * i): [0, 0] for i in range(count)}

    def monday(expr: pl.Expr) -> pl.Expr:
        d: pl.Expr = _day(expr)
        return d - (d + 3) % 7

    for idx, (scope, col) in enumerate(
        ((pl.col("received_in_period"), "received"), (pl.col("resolved"), "end"))
    ):
        got = df.filter(scope).group_by(monday(pl.col(col)).alias("w")).len()
        for w, n in got.iter_rows():
            weeks[epoch + dt.timedelta(days=int(w))][idx] += int(n)
    return tuple(WeekCount(week=w, received=a, resolved=b) for w, (a, b) in weeks.items())


def report_frame(
    records: Any,
    period: Period,
    *,
    by: tuple[str, ...] = (),
    policy: IndicatorPolicy | None = None,
    as_of: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
    inputs: Mapping[str, MetricInput | tuple[float, float]] | None = None,
) -> Report:
    """The :class:`~mot_cua.indicators.Report` of a canonical frame, a RecordBatch or records.

    Raises:
        InvalidInputError: as :func:`classify_frame`.
    """
    from mot_cua.reports._read import RecordBatch, records_to_frame

    skipped: tuple[SkippedRow, ...] = ()
    if isinstance(records, RecordBatch):
        frame, skipped = records.frame, records.skipped
    elif isinstance(records, pl.DataFrame):
        frame = records
    else:
        frame = records_to_frame(records)
    pol = policy or IndicatorPolicy()
    cal = calendar or WorkingCalendar.vietnam(on_provisional="ignore")
    classified = classify_frame(frame, period, pol, as_of=as_of, calendar=cal)
    # Only what the counts read, and only counted rows: filters then copy a narrow frame.
    classified = classified.select(_COUNT_INPUTS).filter(pl.col("counted"))
    total_df = aggregate_frame(classified)
    total = ReportRow(group={}, **{c: int(total_df[c][0] or 0) for c in COLUMNS})
    rows = _rows(aggregate_frame(classified, by), by) if by else ()
    late = (
        classified.filter(pl.col("outcome").is_in(["late", "overdue"]))
        .group_by(pl.col("agency").fill_null(""))
        .len()
        .sort(["len", "agency"], descending=[True, False])
    )
    return Report(
        period=period,
        by=by,
        as_of=as_of,
        policy=pol,
        rows=rows,
        total=total,
        indicators=build_metrics(_metric_counts(classified, cal), total, pol, inputs),
        weekly=_weekly(classified, period),
        late_by_agency=tuple((str(a), int(n)) for a, n in late.iter_rows()),
        skipped=skipped,
        engine="columnar",
    )
