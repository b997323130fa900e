"""National scale: the periodic report at 100k, 1M and 10M records, polars vs Spark vs pandas.

Run from the repository root::

    pip install -e '.[reports,spark,bench]'     # Spark also needs a JVM (default-jre-headless)
    python benchmarks/bench_scale.py                       # 100k, 1M, 10M; ~15 min on 2 cores
    python benchmarks/bench_scale.py --sizes 100000,1000000 --spark-max 1000000

What it does, in one run:

1. Generates the records of ``benchmarks/bench_reports.py`` (seeded; February-March 2026,
   10 % without appointment, judged by their legal limit; 6 % with supplement rounds). 10M
   records are ten 1M chunks (seeds ``seed`` … ``seed + 9``) written as one Parquet file.
2. Runs each contender in a fresh process and records wall time and peak resident memory:
   ``polars`` — ``mot_cua.indicators.report(read_records(parquet))``, reading and checking
   every cell included; ``spark`` — ``mot_cua.spark.report`` on Spark ``local[2]`` over the
   canonical Parquet (written once beforehand by the polars reader, not timed; the session's
   start is not timed either; peak memory is the Python driver's and, separately, the JVM's);
   ``pandas`` — the plain pandas implementation of ``bench_reports.py`` from CSV (only up to
   ``--pandas-max``: it parses supplement rounds row by row).
3. Checks agreement: Spark's whole report (every row, total, indicator, week and late agency)
   must equal polars' (compared as JSON), and pandas' total row must equal polars'.

The machine is shared with other jobs (2 cores): figures are wall-clock on a busy machine.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PERIOD = "2026-03"


def _bench_reports() -> Any:
    spec = importlib.util.spec_from_file_location("bench_reports", HERE / "bench_reports.py")
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _digest(r: Any) -> str:
    d = r.to_dict()
    keep = {k: d[k] for k in ("rows", "total", "indicators", "weekly", "late_by_agency") if k in d}
    return hashlib.sha256(json.dumps(keep, sort_keys=True, default=str).encode()).hexdigest()


def _worker(name: str, path: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    if name == "polars":
        from mot_cua.indicators import report
        from mot_cua.reports import read_records

        r = report(read_records(path), PERIOD, by="field")
        out = {"total": r.total.counts(), "digest": _digest(r)}
    elif name == "spark":
        from mot_cua.spark import local_session, report

        spark = local_session(2)
        t0 = time.perf_counter()
        r = report(spark.read.parquet(path), PERIOD, by=("field",))
        out = {"total": r.total.counts(), "digest": _digest(r)}
        out["seconds"] = time.perf_counter() - t0
        out["jvm_mb"] = _jvm_peak_mb(spark)
        spark.stop()
    else:
        out = {"total": _bench_reports().run_pandas(path)}
    out.setdefault("seconds", time.perf_counter() - t0)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _jvm_peak_mb(spark: Any) -> float:
    """Peak resident memory of the local JVM (VmHWM of its /proc entry), 0 when unknown."""
    proc = getattr(spark.sparkContext._gateway, "proc", None)
    try:
        status = Path(f"/proc/{proc.pid}/status").read_text() if proc else ""
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _measure(name: str, path: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", name, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        return {"failed": proc.stderr.strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _data(n: int, seed: int, tmp: Path, *, keep_csv: bool) -> tuple[Path, Path | None]:
    """The records as Parquet, and as one CSV file when ``keep_csv`` (pandas reads it)."""
    import polars as pl

    gen = _bench_reports().generate
    if n <= 1_000_000:
        d = tmp / f"n{n}"
        d.mkdir()
        return gen(n, seed, d)
    chunks = []
    csv_out = tmp / f"n{n}.csv" if keep_csv else None
    for i in range((n + 999_999) // 1_000_000):
        d = tmp / f"chunk{i}"
        d.mkdir()
        parquet, csv = gen(min(1_000_000, n - i * 1_000_000), seed + i, d)
        if csv_out is not None:  # one file, one header line
            with csv.open("rb") as src, csv_out.open("ab") as dst:
                if i:
                    src.readline()
                shutil.copyfileobj(src, dst)
        csv.unlink()
        chunks.append(parquet)
    out = tmp / f"n{n}.parquet"
    pl.scan_parquet(chunks).sink_parquet(out)
    for c in chunks:
        c.unlink()
    return out, csv_out


def _canonical(parquet: Path, tmp: Path) -> Path:
    from mot_cua.reports import read_records

    out = tmp / f"{parquet.stem}.canonical.parquet"
    read_records(parquet).frame.write_parquet(out)
    return out


def main() -> None:
    """Print time and memory per size and contender, and the agreement checks."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000,10000000")
    ap.add_argument("--seed", type=int, default=20260301)
    ap.add_argument("--spark-max", type=int, default=10_000_000)
    ap.add_argument("--pandas-max", type=int, default=1_000_000)
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(_worker(*args.worker)))
        return
    print("# bench_scale: report by field, March 2026; 2 cores shared with other jobs")
    print(f"{'records':>11} {'contender':<8} {'seconds':>9} {'peak MB':>9} {'JVM MB':>8} agrees")
    for n in [int(x) for x in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(prefix="mot_cua-scale-") as tmp:
            parquet, csv = _data(n, args.seed, Path(tmp), keep_csv=n <= args.pandas_max)
            runs = {"polars": _measure("polars", parquet)}
            if n <= args.spark_max:
                runs["spark"] = _measure("spark", _canonical(parquet, Path(tmp)))
            if csv is not None and n <= args.pandas_max:
                runs["pandas"] = _measure("pandas", csv)
            _print(n, runs)


def _print(n: int, runs: dict[str, dict[str, Any]]) -> None:
    ref = runs["polars"]
    for name, r in runs.items():
        if "failed" in r:
            print(f"{n:>11,} {name:<8} failed: {r['failed']}")
            continue
        if name == "spark":
            agrees = "report equal" if r["digest"] == ref.get("digest") else "DIFFERS"
        elif name == "pandas":
            agrees = "total equal" if r["total"] == ref.get("total") else "DIFFERS"
        else:
            agrees = "(reference)"
        jvm = f"{r['jvm_mb']:8.0f}" if name == "spark" else f"{'':8}"
        print(f"{n:>11,} {name:<8} {r['seconds']:9.2f} {r['peak_mb']:9.0f} {jvm} {agrees}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
