"""What runs on the executors: one Arrow batch of canonical rows → classified, narrow rows.

The classification is :func:`mot_cua.reports.classify_frame` (the polars engine, per row, no
aggregation), so Spark and polars cannot disagree on a dossier's class; this module only adds
the per-row counters that Spark then sums.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from mot_cua.calendar import WorkingCalendar
from mot_cua.indicators import COLUMNS, IndicatorPolicy, Period
from mot_cua.reports._engine import (
    _CHANNEL_NAMES,
    _DAY,
    _OFFSET,
    CANONICAL_SCHEMA,
    classify_frame,
    count_columns,
)

#: Per-dossier columns of :func:`mot_cua.spark.classify` (the classification's own columns).
CLASS_COLUMNS = (
    "line", "code", "counted", "received_in_period", "carried_over", "resolved", "pending",
    "supplement_us", "supplement_requests", "waiting_supplement", "adjusted_end", "end",
    "end_kind", "outcome",
)  # fmt: skip

#: Pairs of the Decision 766 metrics: (name, flag column, scope, numerator).
PAIRS = ("paid_online", "electronic", "digitised", "reused")
METRICS = ("m_on_time", "m_online", "m_bad", "m_satisfied_off", "m_complaint_known")


def _day(expr: pl.Expr) -> pl.Expr:
    return (expr + _OFFSET) // _DAY


def _metric_columns() -> dict[str, pl.Expr]:
    """Per-row terms of the metric counts (what ``_metric_counts`` sums)."""
    o = pl.col("outcome")
    recv = pl.col("received_in_period")
    bad = o.is_in(["late", "overdue"])
    er = pl.col("electronic_result")
    pairs = {
        "paid_online": (
            "has_fee",
            recv & pl.col("has_fee").fill_null(value=False),
            pl.col("paid_online").fill_null(value=False),
        ),
        "electronic": (
            "electronic_result",
            pl.col("resolved") & er.is_not_null(),
            er.fill_null(value=False),
        ),
        "digitised": (
            "digitised",
            recv,
            pl.col("digitised").fill_null(value=False) & er.fill_null(value=True),
        ),
        "reused": ("reused_data", recv, pl.col("reused_data").fill_null(value=False)),
    }
    out = {
        "m_on_time": o.is_in(["early", "on_time", "within_time"]),
        "m_online": recv & (pl.col("channel") == 2) & er.fill_null(value=True),
        "m_bad": bad,
        "m_satisfied_off": pl.col("complaint").fill_null(value=False) & ~bad,
        "m_complaint_known": pl.col("complaint").is_not_null(),
        "m_done": recv
        & pl.col("resolved")
        & pl.col("end_kind").is_in(["resolved", "returned"]).fill_null(value=False),
    }
    for name, (flag, scope, num) in pairs.items():
        out[f"{name}_flag"] = pl.col(flag).is_not_null()
        out[f"{name}_scope"] = scope
        out[f"{name}_num"] = num & scope
    return out


def _monday(expr: pl.Expr) -> pl.Expr:
    d = _day(expr)
    return d - (d + 3) % 7


def narrow(
    df: pl.DataFrame,
    period: Period,
    policy: IndicatorPolicy,
    as_of: dt.datetime | None,
    calendar: WorkingCalendar,
    by: tuple[str, ...],
) -> pl.DataFrame:
    """Counted rows of a canonical frame as 0/1 counters, group keys and week numbers."""
    c = classify_frame(df, period, policy, as_of=as_of, calendar=calendar).filter(pl.col("counted"))
    ints = {**count_columns(), **_metric_columns()}
    out = c.select(
        *[e.fill_null(value=False).cast(pl.Int32).alias(k) for k, e in ints.items()],
        *[_group_key(k) for k in by],
        pl.col("agency").fill_null("").alias("agency_key"),
        pl.when(pl.col("outcome").is_in(["late", "overdue"]))
        .then(1)
        .otherwise(0)
        .cast(pl.Int32)
        .alias("late"),
        pl.when(pl.col("received_in_period")).then(_monday(pl.col("received"))).alias("w_recv"),
        pl.when(pl.col("resolved")).then(_monday(pl.col("end"))).alias("w_end"),
        _day(pl.col("received")).alias("_a"),
        _day(pl.col("adjusted_end")).alias("_b"),
    )
    done = out["m_done"].to_numpy().astype(bool)
    full = np.zeros(out.height, dtype=np.int64)
    if done.any():
        a = out["_a"].to_numpy()[done].astype("datetime64[D]")
        b = out["_b"].fill_null(0).to_numpy()[done].astype("datetime64[D]")
        full[done] = calendar.working_days_between_array(a, b)
    wdays = pl.Series("wdays", full, dtype=pl.Int64)
    return out.drop("_a", "_b").with_columns(wdays)


def _group_key(key: str) -> pl.Expr:
    if key == "channel":
        expr = pl.col("channel").replace_strict(_CHANNEL_NAMES, default="", return_dtype=pl.String)
    else:
        expr = pl.col(key).fill_null("")
    return expr.alias(f"g_{key}")


def narrow_schema(by: tuple[str, ...]) -> dict[str, Any]:
    """Polars schema of :func:`narrow`'s output (for Spark's mapInArrow)."""
    ints = [*COLUMNS, *METRICS, "m_done"]
    for name in PAIRS:
        ints += [f"{name}_flag", f"{name}_scope", f"{name}_num"]
    schema: dict[str, Any] = dict.fromkeys(ints, pl.Int32)
    schema.update({f"g_{k}": pl.String for k in by})
    schema.update(
        {
            "agency_key": pl.String,
            "late": pl.Int32,
            "w_recv": pl.Int64,
            "w_end": pl.Int64,
            "wdays": pl.Int64,
        }
    )
    return schema


def canonical(batch: pa.RecordBatch) -> pl.DataFrame:
    """A Spark Arrow batch as a canonical polars frame (Spark's types cast back)."""
    df = pl.from_arrow(batch)
    assert isinstance(df, pl.DataFrame)
    return df.select([pl.col(k).cast(v) for k, v in CANONICAL_SCHEMA.items()])


def class_schema() -> dict[str, Any]:
    """Polars schema of the per-dossier classes (:data:`CLASS_COLUMNS`)."""
    extra = {
        "counted": pl.Boolean, "received_in_period": pl.Boolean, "carried_over": pl.Boolean,
        "resolved": pl.Boolean, "pending": pl.Boolean, "supplement_us": pl.Int64,
        "supplement_requests": pl.Int64, "waiting_supplement": pl.Boolean,
        "adjusted_end": pl.Int64, "end": pl.Int64, "end_kind": pl.String, "outcome": pl.String,
    }  # fmt: skip
    full = {**dict(CANONICAL_SCHEMA), **extra}
    return {c: full[c] for c in CLASS_COLUMNS}


def mapper(
    period: Period,
    policy: IndicatorPolicy,
    as_of: dt.datetime | None,
    calendar: WorkingCalendar | None,
    by: tuple[str, ...],
    classes: bool,  # noqa: FBT001 - private
) -> Any:
    """The function given to ``mapInArrow``: narrow rows (or per-dossier classes)."""
    schema = class_schema() if classes else narrow_schema(by)
    casts = [pl.col(c).cast(t) for c, t in schema.items()]

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        cal = calendar or WorkingCalendar.vietnam(on_provisional="ignore")
        for batch in batches:
            if batch.num_rows == 0:
                continue
            df = canonical(batch)
            if classes:
                out = classify_frame(df, period, policy, as_of=as_of, calendar=cal)
            else:
                out = narrow(df, period, policy, as_of, cal, by)
            out = out.select(casts)
            yield from out.to_arrow().to_batches()

    return run
