"""The Spark engine against the polars engine: every number of the report, every class.

Marker ``spark`` (a JVM and PySpark; ``.ci/steps/60-spark.sh`` runs it). One local[2] session
for the module, small data: a few minutes at most.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from mot_cua import VN_TZ
from mot_cua.errors import InvalidInputError
from mot_cua.indicators import IndicatorPolicy, Period
from mot_cua.reports import classify_frame, read_records, report_frame

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "data" / "monthly_2026_03.csv"


@pytest.fixture(scope="module")
def spark() -> Any:
    from mot_cua.spark import local_session

    session = local_session(2, app="mot_cua-tests")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """8,000 seeded records (the report benchmark's generator): every kind of end, rounds."""
    spec = importlib.util.spec_from_file_location(
        "bench_reports", ROOT / "benchmarks" / "bench_reports.py"
    )
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    parquet, _ = mod.generate(8_000, 13, tmp_path_factory.mktemp("spark"))
    return read_records(parquet)


def _same(a: Any, b: Any) -> None:
    assert a.total == b.total
    assert a.rows == b.rows
    assert a.weekly == b.weekly
    assert a.late_by_agency == b.late_by_agency
    assert a.indicators == b.indicators


def test_report_equals_polars_on_generated_records(spark: Any, generated: Any) -> None:
    from mot_cua.spark import report

    sdf = spark.createDataFrame(generated.frame.to_arrow()).repartition(3)
    period = Period.parse("2026-03")
    for by in (("field",), ("agency", "channel")):
        got = report(sdf, period, by=by)
        want = report_frame(generated, period, by=by)
        _same(got, want)
        assert got.total.received_total > 5_000
        assert got.total.resolved_late > 0
        assert got.total.pending_overdue > 0


def test_report_equals_polars_with_a_policy_and_as_of(spark: Any) -> None:
    from mot_cua.spark import report

    batch = read_records(EXAMPLE)
    sdf = spark.createDataFrame(batch.frame.to_arrow())
    pol = IndicatorPolicy(boundary="by_instant", supplement_rounds="last")
    as_of = dt.datetime(2026, 3, 20, 12, tzinfo=VN_TZ)
    period = Period.parse("2026-03")
    got = report(sdf, period, by=("procedure",), policy=pol, as_of=as_of)
    _same(got, report_frame(batch, period, by=("procedure",), policy=pol, as_of=as_of))


def test_every_dossier_gets_the_same_class(spark: Any, generated: Any) -> None:
    from mot_cua.spark import classify
    from mot_cua.spark._rows import CLASS_COLUMNS

    sdf = spark.createDataFrame(generated.frame.to_arrow()).repartition(4)
    period = Period.parse("2026-03")
    got = pl.from_arrow(classify(sdf, period).toArrow())
    assert isinstance(got, pl.DataFrame)
    want = classify_frame(generated.frame, period).select(CLASS_COLUMNS)
    got = got.sort("line")
    assert got.height == want.height == 8_000
    assert got.equals(want.sort("line"))
    assert got.filter(pl.col("outcome") == "late").height > 0


def test_refuses_what_is_not_canonical(spark: Any) -> None:
    from mot_cua.spark import report

    with pytest.raises(InvalidInputError, match="lacks the canonical columns"):
        report(spark.createDataFrame([(1,)], "x long"), "2026-03")
    with pytest.raises(InvalidInputError, match="expected a Spark DataFrame"):
        report([1, 2], "2026-03")


def test_cli_engine_spark_equals_polars() -> None:
    def run(*extra: str) -> dict[str, Any]:
        cmd = [sys.executable, "-m", "mot_cua", "report", str(EXAMPLE), "--period", "2026-03",
               "--by", "field", "--json", "--no-progress", *extra]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=300)
        data: dict[str, Any] = json.loads(out.stdout)
        return data

    spark_out, polars_out = run("--engine", "spark"), run()
    for key in ("total", "rows", "indicators", "weekly", "late_by_agency"):
        assert spark_out[key] == polars_out[key], key
