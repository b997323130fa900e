"""The periodic report on Apache Spark (``pip install 'mot_cua[spark]'``: PySpark).

:func:`report` runs the polars engine's per-row classification
(:func:`mot_cua.reports.classify_frame`) inside Spark with ``mapInArrow`` — each Arrow batch is
classified where it lies — then sums the counters with Spark's aggregation, and builds the same
:class:`~mot_cua.indicators.Report` as the polars engine, number for number (a test checks it,
and that every dossier gets the same class: :func:`classify`).

The input is a Spark DataFrame of *canonical* rows (the columns of
:data:`mot_cua.reports.CANONICAL_SCHEMA`: instants as µs since the epoch, rounds as arrays of
longs). :func:`canonical_parquet` turns a records file (CSV, JSON Lines, Parquet, checked cell by
cell) into such a Parquet file, which a cluster reads with ``spark.read.parquet``.

On a cluster, ship mot_cua to the executors with the job (``spark-submit --py-files`` cannot
carry polars; install the wheel on the executors' Python instead, or pass a packed virtualenv
with ``--archives``): see the *National scale* page of the documentation.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

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
    WeekCount,
    build_metrics,
)

__all__ = [
    "canonical_parquet",
    "classify",
    "local_session",
    "report",
    "report_batch",
    "spark_schema",
]


def spark_schema() -> Any:
    """The Spark ``StructType`` of canonical rows."""
    from pyspark.sql import types as t_

    from mot_cua.reports._engine import _TIME_COLUMNS

    longs = t_.ArrayType(t_.LongType())
    fields = [t_.StructField("line", t_.LongType())]
    fields += [t_.StructField(c, t_.StringType()) for c in ("code", "procedure", "agency")]
    fields += [t_.StructField(c, t_.StringType()) for c in ("field", "level")]
    fields.append(t_.StructField("channel", t_.ByteType()))
    fields += [t_.StructField(c, t_.LongType()) for c in _TIME_COLUMNS]
    fields += [t_.StructField(c, longs) for c in ("bs_start", "bs_end", "nv_start", "nv_end")]
    fields.append(t_.StructField("limit", t_.StringType()))
    flags = ("electronic_result", "digitised", "has_fee", "paid_online", "complaint")
    fields += [t_.StructField(c, t_.BooleanType()) for c in (*flags, "reused_data")]
    return t_.StructType(fields)


def local_session(cores: int = 2, *, app: str = "mot_cua") -> Any:
    """A local-mode SparkSession whose Python workers run this interpreter (tests, one machine).

    Starts a JVM (seconds): ``spark = local_session(); report(spark.read.parquet(p), "2026-03")``.

    Args:
        cores: the ``local[N]`` thread count.
        app: the application name.

    Returns:
        The session (``getOrCreate``: an existing one is reused), log level ERROR.
    """
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app)
        .config("spark.sql.shuffle.partitions", str(cores * 2))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def canonical_parquet(path: str | os.PathLike[str], out: str | os.PathLike[str]) -> Path:
    """Read a records file (checked cell by cell) and write its canonical rows as Parquet.

    Raises:
        InputFileError: the file cannot be read.
        RecordError: a cell is invalid (file, line and column named).
    """
    from mot_cua.reports import read_records

    batch = read_records(Path(path))
    target = Path(out)
    batch.frame.write_parquet(target)
    return target


def _check(sdf: Any) -> None:
    from mot_cua.reports import CANONICAL_SCHEMA

    cols = getattr(sdf, "columns", None)
    if cols is None:
        raise InvalidInputError(
            f"expected a Spark DataFrame of canonical rows, not {type(sdf).__name__}",
            field="records",
        )
    missing = [c for c in CANONICAL_SCHEMA if c not in cols]
    if missing:
        raise InvalidInputError(
            f"the Spark DataFrame lacks the canonical columns {missing}; build it with "
            "mot_cua.spark.canonical_parquet and spark.read.parquet",
            field="records",
            missing=missing,
        )


def _mapped(sdf: Any, period: Period, policy: IndicatorPolicy, as_of: Any, cal: Any, by: Any,
            *, classes: bool) -> Any:  # fmt: skip
    import polars as pl

    from mot_cua.reports import CANONICAL_SCHEMA
    from mot_cua.spark import _rows

    schema = _rows.class_schema() if classes else _rows.narrow_schema(by)
    arrow_schema = pl.DataFrame(schema=schema).to_arrow().schema
    from pyspark.sql.pandas.types import from_arrow_schema

    run = _rows.mapper(period, policy, as_of, cal, tuple(by), classes)
    cols = list(CANONICAL_SCHEMA)
    return sdf.select(*cols).mapInArrow(run, from_arrow_schema(arrow_schema))


def classify(
    sdf: Any,
    period: Period | str,
    policy: IndicatorPolicy | None = None,
    *,
    as_of: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
) -> Any:
    """Every dossier's classification, as a Spark DataFrame (the columns of
    ``mot_cua.spark._rows.CLASS_COLUMNS``), equal to :func:`mot_cua.reports.classify_frame`.

    Raises:
        InvalidInputError: not a Spark DataFrame of canonical rows.
    """
    _check(sdf)
    per = period if isinstance(period, Period) else Period.parse(period)
    return _mapped(sdf, per, policy or IndicatorPolicy(), as_of, calendar, (), classes=True)


def report(
    sdf: Any,
    period: Period | str,
    *,
    by: tuple[str, ...] | list[str] = (),
    policy: IndicatorPolicy | None = None,
    as_of: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
    inputs: Mapping[str, MetricInput | tuple[float, float]] | None = None,
) -> Report:
    """The periodic report of a Spark DataFrame of canonical rows (same numbers as polars).

    Args:
        sdf: a Spark DataFrame with the columns of :data:`mot_cua.reports.CANONICAL_SCHEMA`.
        period: the reporting period (a :class:`~mot_cua.indicators.Period` or ``"2026-03"``).
        by: group keys (``field``, ``procedure``, ``agency``, ``level``, ``channel``).
        policy: the named choices (default :class:`~mot_cua.indicators.IndicatorPolicy`).
        as_of: classify pending dossiers at this instant instead of the period end.
        calendar: the working calendar (default: Vietnam's; it is pickled to the executors).
        inputs: caller-supplied metric inputs, as :func:`mot_cua.indicators.report`.

    Returns:
        A :class:`~mot_cua.indicators.Report` (``engine="columnar"``: the polars kernels ran).

    Raises:
        InvalidInputError: not a Spark DataFrame of canonical rows, an unknown group key, or a
            counted dossier without appointment and limit (raised from the executor).
    """
    _check(sdf)
    per = period if isinstance(period, Period) else Period.parse(period)
    keys = tuple(by)
    bad = [k for k in keys if k not in ("field", "procedure", "agency", "level", "channel")]
    if bad:
        raise InvalidInputError(
            f"unknown group key(s) {bad}: use field, procedure, agency, level or channel",
            field="by",
        )
    pol = policy or IndicatorPolicy()
    cal = calendar or WorkingCalendar.vietnam(on_provisional="ignore")
    rows = _mapped(sdf, per, pol, as_of, calendar, keys, classes=False).persist()
    try:
        return _aggregate(rows, per, keys, pol, as_of, cal, inputs)
    finally:
        rows.unpersist()


def _aggregate(
    rows: Any,
    period: Period,
    by: tuple[str, ...],
    pol: IndicatorPolicy,
    as_of: dt.datetime | None,
    cal: WorkingCalendar,
    inputs: Mapping[str, MetricInput | tuple[float, float]] | None,
) -> Report:
    """Spark aggregation of the narrow rows, then the Report (as the polars engine builds it)."""
    from pyspark.sql import functions as fn

    from mot_cua.spark._rows import METRICS, PAIRS

    sums = [*COLUMNS, *METRICS, "m_done", "wdays"]
    for name in PAIRS:
        sums += [f"{name}_flag", f"{name}_scope", f"{name}_num"]
    t = rows.agg(fn.count(fn.lit(1)).alias("n"), *[fn.sum(c).alias(c) for c in sums]).collect()[0]
    total = ReportRow(group={}, **{c: int(t[c] or 0) for c in COLUMNS})
    groups: tuple[ReportRow, ...] = ()
    if by:
        keys = [f"g_{k}" for k in by]
        agg = rows.groupBy(*keys).agg(*[fn.sum(c).alias(c) for c in COLUMNS]).orderBy(*keys)
        groups = tuple(
            ReportRow(group={k: str(r[f"g_{k}"]) for k in by}, **{c: int(r[c]) for c in COLUMNS})
            for r in agg.collect()
        )

    def pair(name: str) -> tuple[int, int] | None:
        if not int(t[f"{name}_flag"] or 0):
            return None
        return int(t[f"{name}_num"] or 0), int(t[f"{name}_scope"] or 0)

    bad = int(t["m_bad"] or 0)
    counts = MetricCounts(
        on_time_2_1=int(t["m_on_time"] or 0),
        processing_days=int(t["wdays"] or 0),
        processing_count=int(t["m_done"] or 0),
        online_3_3=int(t["m_online"] or 0),
        paid_online=pair("paid_online"),
        electronic=pair("electronic"),
        digitised=pair("digitised"),
        reused=pair("reused"),
        satisfied_5_4=int(t["n"]) - bad - int(t["m_satisfied_off"] or 0),
        complaints_known=int(t["m_complaint_known"] or 0) > 0,
    )
    late = rows.filter(fn.col("late") == 1).groupBy("agency_key").count()
    late_rows = sorted(
        ((str(r[0]), int(r[1])) for r in late.collect()), key=lambda x: (-x[1], x[0])
    )
    return Report(
        period=period,
        by=by,
        as_of=as_of,
        policy=pol,
        rows=groups,
        total=total,
        indicators=build_metrics(counts, total, pol, inputs),
        weekly=_weekly(rows, period),
        late_by_agency=tuple(late_rows),
        engine="columnar",
    )


def _weekly(rows: Any, period: Period) -> tuple[WeekCount, ...]:
    epoch = dt.date(1970, 1, 1)
    first = period.start - dt.timedelta(days=period.start.weekday())
    count = (period.end - first).days // 7 + 1
    weeks = {first + dt.timedelta(days=7 * i): [0, 0] for i in range(count)}
    for idx, col in enumerate(("w_recv", "w_end")):
        for w, n in rows.filter(rows[col].isNotNull()).groupBy(col).count().collect():
            weeks[epoch + dt.timedelta(days=int(w))][idx] += int(n)
    return tuple(WeekCount(week=w, received=a, resolved=b) for w, (a, b) in weeks.items())


def report_batch(spark: Any, batch: Any, period: Period | str, **kwargs: Any) -> Report:
    """Hand records read by :func:`mot_cua.reports.read_records` to Spark and :func:`report` them.

    What ``mot-cua report --engine spark PATH`` does (with a local session); on a cluster,
    write the canonical Parquet once (:func:`canonical_parquet`) and read it from storage.

    Raises:
        InvalidInputError: as :func:`report`.
    """
    with tempfile.TemporaryDirectory(prefix="mot_cua-spark-") as tmp:
        target = Path(tmp) / "canonical.parquet"
        batch.frame.write_parquet(target)
        r = report(spark.read.parquet(str(target)), period, **kwargs)
    return r.model_copy(update={"skipped": batch.skipped})
