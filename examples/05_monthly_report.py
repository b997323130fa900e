"""The monthly report of a one-stop desk: form II.06a columns and Decision 766 scores.

Reads the 24 dossiers of ``examples/data/monthly_2026_03.csv`` (a worked month: early, on time,
late, carried over, supplements, a withdrawal, limits without appointment), counts March 2026 by
field, prints the table and the metrics computable from dossier records, explains one dossier,
and shows what the ``boundary="by_instant"`` policy changes.
"""

from __future__ import annotations

from pathlib import Path

from mot_cua.indicators import IndicatorPolicy, classify, report
from mot_cua.reports import read_records

DATA = Path(__file__).parent / "data" / "monthly_2026_03.csv"


def main() -> None:
    """Print the March 2026 report."""
    batch = read_records(DATA)
    r = report(batch, "2026-03", by="field")
    print(r.to_csv(), end="")
    for number, m in r.indicators.items():
        if m.computable:
            print(
                f"766/{number:<4} {m.name:<40} {m.numerator:g}/{m.denominator:g}  "
                f"{m.points:.2f} of {m.max_points:g} points"
            )
    print(classify(batch.find("H-004"), r.period).explain())
    strict = report(batch, "2026-03", policy=IndicatorPolicy(boundary="by_instant"))
    print(f"late by date: {r.total.resolved_late}, by instant: {strict.total.resolved_late}")


if __name__ == "__main__":
    main()
