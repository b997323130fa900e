"""Periodic-report benchmark: mot_cua's columnar engine side by side with pandas (issue 9).

Run from the repository root::

    pip install -e '.[reports,bench]'
    python benchmarks/bench_reports.py            # 1,000,000 records; about 2 minutes
    python benchmarks/bench_reports.py --n 100000  # quicker

What it does, in one run:

1. Generates ``--n`` flat records (seeded: the same data every run) for February-March 2026:
   channels, receipts, appointments (10 % of records without one, judged by their legal limit
   on the working calendar), every kind of end, 6 % with supplement rounds (some open, some
   several), complaint flags. Writes them as CSV (timestamps ``yyyyMMddHHmmss``, as the national
   portal exports them) and as Parquet (typed timestamp columns).
2. Runs each contender in a fresh subprocess, reading the file and producing the March report by
   field, and records the wall time, the CPU time (user + system, imports included) and the
   peak resident memory of that process:
   ``mot_cua`` from Parquet, ``mot_cua`` from CSV, and a straightforward pandas implementation of
   the same rules from CSV (``pd.to_datetime`` per column, the supplement rounds parsed with a
   per-row ``apply``, ``np.select`` for the classes, the same calendar tables for limits).
3. Checks that pandas and mot_cua give the same total row, and prints the ratios
   (pandas / mot_cua: above 1 means mot_cua is faster) and mot_cua's records per second.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

PERIOD = "2026-03"
COLUMNS = (
    "received_online", "received_offline", "carried_over", "received_total", "resolved_total",
    "resolved_early", "resolved_on_time", "resolved_late", "pending_total",
    "pending_within_time", "pending_overdue",
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


def generate(n: int, seed: int, out: Path) -> tuple[Path, Path]:
    """Write ``n`` seeded flat records as CSV and Parquet; return both paths."""
    import polars as pl

    rng = np.random.default_rng(seed)
    minute = 60 * 1_000_000
    base = int(np.datetime64("2026-02-01T00:00", "us").astype(np.int64))
    received = base + rng.integers(0, 58 * 24 * 60, n) * minute  # Feb 1 - Mar 30
    due = received + rng.integers(1, 15 * 24 * 60, n) * minute
    no_due = rng.random(n) < 0.10
    took = rng.integers(10, 20 * 24 * 60, n) * minute
    end = received + took
    kind = rng.choice(4, n, p=[0.80, 0.05, 0.05, 0.10])  # resolved, stopped, withdrawn, none
    resolved = np.where(kind == 0, end, -1)
    returned = np.where((kind == 0) & (rng.random(n) < 0.5), end + 2 * 24 * 60 * minute, -1)
    stopped = np.where(kind == 1, end, -1)
    withdrawn = np.where(kind == 2, end, -1)
    has_bs = rng.random(n) < 0.06
    bs1 = received + (took * rng.uniform(0.1, 0.4, n)).astype(np.int64) // minute * minute
    bs2 = bs1 + (took * 0.3).astype(np.int64) // minute * minute
    two = rng.random(n) < 0.2
    open_round = (kind == 3) & (rng.random(n) < 0.5)

    frame = pl.DataFrame(
        {
            "MaHoSo": [f"HS-{i:07d}" for i in range(n)],
            "MaTTHC": rng.choice(["1.001", "1.002", "2.001", "2.002", "3.001"], n),
            "MaCoQuan": rng.choice([f"XA-{i:02d}" for i in range(40)], n),
            "MaLinhVuc": rng.choice(["Hộ tịch", "Đất đai", "Chứng thực", "Đầu tư", "Xây dựng"], n),
            "KenhThucHien": rng.choice(["1", "2", "3"], n, p=[0.45, 0.5, 0.05]),
            "NgayTiepNhan": pl.Series(received).cast(pl.Datetime("us")),
            "_due": pl.Series(np.where(no_due, -1, due)),
            "_res": pl.Series(resolved),
            "_ret": pl.Series(returned),
            "_stp": pl.Series(stopped),
            "_wd": pl.Series(withdrawn),
            "_bs1": pl.Series(np.where(has_bs, bs1, -1)),
            "_bs2": pl.Series(np.where(has_bs & two, bs2, -1)),
            "_open": pl.Series(open_round & has_bs),
            "_len": pl.Series(np.maximum(took // minute // 20, 1)),
            "ThoiHanGiaiQuyet": rng.choice(["3 ngày làm việc", "5 ngày làm việc", "10 ngày"], n),
            "CoPhanAnh": rng.choice(["0", "1"], n, p=[0.97, 0.03]),
        }
    )
    ts = {
        c: pl.when(pl.col(c) >= 0).then(pl.col(c).cast(pl.Datetime("us")))
        for c in ("_due", "_res", "_ret", "_stp", "_wd", "_bs1", "_bs2")
    }
    fmt = "%Y%m%d%H%M%S"
    hour = pl.duration(minutes=pl.col("_len"))
    round1 = pl.concat_str(
        ts["_bs1"].dt.strftime(fmt),
        pl.lit("/"),
        pl.when(pl.col("_open")).then(pl.lit("")).otherwise((ts["_bs1"] + hour).dt.strftime(fmt)),
    )
    round2 = pl.concat_str(
        ts["_bs2"].dt.strftime(fmt), pl.lit("/"), (ts["_bs2"] + hour).dt.strftime(fmt)
    )
    frame = (
        frame.with_columns(
            NgayHenTra=ts["_due"],
            NgayXuLyXong=ts["_res"],
            NgayTraKetQua=ts["_ret"],
            NgayDungXuLy=ts["_stp"],
            NgayRutHoSo=ts["_wd"],
            BoSung=pl.when(ts["_bs2"].is_not_null())
            .then(pl.concat_str(round1, pl.lit(";"), round2))
            .otherwise(round1),
        )
        .with_columns(
            ThoiHanGiaiQuyet=pl.when(pl.col("NgayHenTra").is_null()).then(
                pl.col("ThoiHanGiaiQuyet")
            )
        )
        .drop("_due", "_res", "_ret", "_stp", "_wd", "_bs1", "_bs2", "_open", "_len")
    )
    parquet, csv = out / "records.parquet", out / "records.csv"
    frame.write_parquet(parquet)
    times = [c for c, t in frame.schema.items() if isinstance(t, pl.Datetime)]
    frame.with_columns(pl.col(c).dt.strftime(fmt) for c in times).write_csv(csv)
    return parquet, csv


# --------------------------------------------------------------------------------------------
# Contenders (each runs in its own process: --worker NAME PATH)
# --------------------------------------------------------------------------------------------


def run_mot_cua(path: str) -> dict[str, int]:
    from mot_cua.indicators import report
    from mot_cua.reports import read_records

    r = report(read_records(path), PERIOD, by="field")
    return r.total.counts()


def _pandas_rounds(text: Any, stop: int, *, ended: bool) -> tuple[int, int, bool]:
    """The supplement rounds of one row (per-row Python, as a straightforward port does)."""
    if not isinstance(text, str) or not text:
        return 0, 0, False
    import pandas as pd

    total, requests, waiting = 0, 0, False
    for part in text.split(";"):
        a, _, b = part.partition("/")
        s = int(pd.Timestamp(a).value // 1000) - 7 * 3600 * 1_000_000
        if s >= stop and not (ended and s == stop):
            continue
        requests += 1
        e = int(pd.Timestamp(b).value // 1000) - 7 * 3600 * 1_000_000 if b else None
        if e is not None and e <= stop:
            total += e - s
        elif ended:
            total += stop - s
        else:
            waiting = True
    return total, requests, waiting


def run_pandas(path: str) -> dict[str, int]:
    import pandas as pd

    from mot_cua.calendar import WorkingCalendar
    from mot_cua.indicators import Period, limit_steps
    from mot_cua.limits import TimeLimit

    offset, day = 7 * 3600 * 1_000_000, 86_400 * 1_000_000
    p = Period.parse(PERIOD)
    p0 = int(pd.Timestamp(p.start_at).value // 1000)
    p1 = int(pd.Timestamp(p.end_at).value // 1000)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    us = {}
    for c in (
        "NgayTiepNhan",
        "NgayHenTra",
        "NgayXuLyXong",
        "NgayTraKetQua",
        "NgayDungXuLy",
        "NgayRutHoSo",
    ):
        t = pd.to_datetime(df[c].replace("", None), format="%Y%m%d%H%M%S")
        us[c] = pd.Series(t.values.astype("datetime64[us]").astype("int64") - offset).where(
            t.notna().values
        )
    rec = us["NgayTiepNhan"]
    end = (
        us["NgayXuLyXong"]
        .fillna(us["NgayTraKetQua"])
        .fillna(us["NgayDungXuLy"])
        .fillna(us["NgayRutHoSo"])
    )
    withdrawn = (
        us["NgayXuLyXong"].isna()
        & us["NgayTraKetQua"].isna()
        & us["NgayDungXuLy"].isna()
        & us["NgayRutHoSo"].notna()
    )
    counted = (rec < p1) & (end.isna() | (end >= p0))
    carried = (rec < p0) & counted
    resolved = counted & end.notna() & (end < p1)
    pending = counted & ~resolved
    stop = end.where(resolved, p1)
    rounds = [
        _pandas_rounds(t, int(s), ended=bool(e))
        for t, s, e in zip(df["BoSung"], stop, resolved, strict=True)
    ]
    supp = pd.Series([r[0] for r in rounds])
    req = pd.Series([r[1] for r in rounds])
    waiting = pd.Series([r[2] for r in rounds]) & pending
    adj = end - supp
    due = us["NgayHenTra"]
    cal = WorkingCalendar.vietnam(on_provisional="ignore")
    sday = ((rec + offset) // day).astype("int64")
    steps = {t: limit_steps(TimeLimit.parse(t)) for t in df["ThoiHanGiaiQuyet"].unique() if t}
    kind = df["ThoiHanGiaiQuyet"].map(lambda t: steps[t][0] if t else "")
    n = df["ThoiHanGiaiQuyet"].map(lambda t: steps[t][1] if t else 0).astype("int64")
    early_b = (sday + n).where(kind == "calendar", sday).to_numpy().copy()
    late_b = early_b + 1
    w = (kind == "working").to_numpy()
    days = sday.to_numpy()[w].astype("datetime64[D]")
    nw = n.to_numpy()[w]
    early_b[w] = np.where(
        nw > 0,
        cal.add_working_days_array(days, np.maximum(nw, 1)).astype("int64"),
        sday.to_numpy()[w],
    )
    late_b[w] = cal.add_working_days_array(days, nw + 1).astype("int64")
    adj_day, due_day = (adj + offset) // day, (due + offset) // day
    has_due = due.notna()
    res_class = np.select(
        [
            withdrawn,
            req > 1,
            has_due & (adj_day > due_day),
            has_due & (adj_day < due_day),
            has_due,
            adj_day >= late_b,
            adj_day < early_b,
        ],
        ["on_time", "late", "late", "early", "on_time", "late", "early"],
        "on_time",
    )
    threshold = due.where(has_due, pd.Series(late_b) * day - offset)
    pend_class = np.select(
        [req > 1, waiting, (p1 - supp) <= threshold],
        ["overdue", "within_time", "within_time"],
        "overdue",
    )
    outcome = pd.Series(np.where(resolved, res_class, np.where(pending, pend_class, "")))
    fresh = counted & ~carried
    online = df["KenhThucHien"] == "2"
    table = pd.DataFrame(
        {
            "field": df["MaLinhVuc"],
            "received_online": fresh & online,
            "received_offline": fresh & ~online,
            "carried_over": carried,
            "received_total": counted,
            "resolved_total": resolved,
            "resolved_early": resolved & (outcome == "early"),
            "resolved_on_time": resolved & (outcome == "on_time"),
            "resolved_late": resolved & (outcome == "late"),
            "pending_total": pending,
            "pending_within_time": pending & (outcome == "within_time"),
            "pending_overdue": pending & (outcome == "overdue"),
        }
    )
    by_field = table.groupby("field").sum()
    return {c: int(by_field[c].sum()) for c in COLUMNS}


def worker(name: str, path: str) -> None:
    started = time.perf_counter()
    total = run_mot_cua(path) if name == "mot_cua" else run_pandas(path)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime  # includes interpreter start-up and imports
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "total": total}))


def measure(name: str, path: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", name, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--worker", nargs=2, metavar=("NAME", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    print(
        f"# bench_reports: {args.n:,} records, seed {args.seed}; python {platform.python_version()}"
        f", {os.cpu_count()} cores (shared with other jobs)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        parquet, csv = generate(args.n, args.seed, Path(tmp))
        print(
            f"generated in {time.perf_counter() - t0:.1f} s: "
            f"CSV {csv.stat().st_size / 1e6:.0f} MB, Parquet {parquet.stat().st_size / 1e6:.0f} MB"
        )
        runs = {
            "mot_cua parquet": measure("mot_cua", parquet),
            "mot_cua csv": measure("mot_cua", csv),
            "pandas csv": measure("pandas", csv),
        }
    print(f"{'contender':<18}{'seconds':>10}{'CPU s':>8}{'peak MB':>10}{'records/s':>14}")
    for name, r in runs.items():
        print(
            f"{name:<18}{r['seconds']:>10.2f}{r['cpu']:>8.2f}{r['peak_mb']:>10.0f}"
            f"{args.n / r['seconds']:>14,.0f}"
        )
    same = (
        runs["pandas csv"]["total"]
        == runs["mot_cua csv"]["total"]
        == runs["mot_cua parquet"]["total"]
    )
    print(f"totals agree: {same}  {runs['mot_cua csv']['total']}")
    print(f"load average at the end (1, 5, 15 min): {os.getloadavg()}")
    ratio = runs["pandas csv"]["seconds"] / runs["mot_cua csv"]["seconds"]
    print(f"ratio pandas / mot_cua (CSV): {ratio:.1f}x")
    if not same:
        print(f"pandas total: {runs['pandas csv']['total']}")
        sys.exit(1)


if __name__ == "__main__":
    main()
