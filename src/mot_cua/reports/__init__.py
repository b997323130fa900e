"""Reports at scale (``pip install 'mot_cua[reports]'``): readers, a columnar engine, xlsx, HTML.

* :func:`read_records` reads flat records (CSV, JSON Lines, Parquet) or Dossier JSON Lines into
  a :class:`RecordBatch`, checking every cell (errors name file, line and column).
* :func:`classify_frame` classifies each row of a canonical polars frame (Arrow underneath) by
  the rules of :mod:`mot_cua.indicators`; :func:`aggregate_frame` counts the report's columns;
  :func:`report_frame` builds the :class:`~mot_cua.indicators.Report`. The columnar engine
  gives the same rows and numbers as the per-dossier reference (a differential test checks it).
* :func:`write_xlsx` writes form II.06a; :func:`write_html` a self-contained page with charts.

>>> from mot_cua.indicators import report
>>> r = report(read_records("examples/data/monthly_2026_03.csv"), "2026-03")
>>> r.engine, r.total.received_total == r.total.resolved_total + r.total.pending_total
('columnar', True)
"""

from mot_cua.reports._engine import (
    CANONICAL_SCHEMA,
    aggregate_frame,
    classify_frame,
    report_frame,
)
from mot_cua.reports._html import write_html
from mot_cua.reports._progress import ProgressBar
from mot_cua.reports._read import RecordBatch, read_records, records_to_frame
from mot_cua.reports._xlsx import report_to_frame, write_xlsx

__all__ = [
    "CANONICAL_SCHEMA",
    "ProgressBar",
    "RecordBatch",
    "aggregate_frame",
    "classify_frame",
    "read_records",
    "records_to_frame",
    "report_frame",
    "report_to_frame",
    "write_html",
    "write_xlsx",
]
