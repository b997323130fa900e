"""Export a store as the flat records one-stop systems exchange (the input of ``mot-cua report``).

Columns and formats as the indicators module reads them (names as on the national portal):
``MaHoSo`` (dossier code), ``MaTTHC`` (procedure), ``MaCoQuan`` (the agency handling it now),
``MaLinhVuc`` (field), ``KenhThucHien`` (1 in person, 2 online, 3 postal), ``NgayTiepNhan``,
``NgayHenTra`` (the due moment, after any extension), ``NgayXuLyXong`` (resolved),
``NgayTraKetQua`` (returned), ``NgayDungXuLy`` (stopped or refused), ``NgayRutHoSo``
(withdrawn), ``BoSung`` (supplement rounds ``start/end`` joined by ``;``, an open round
``start/``) and ``ThoiHanGiaiQuyet`` (the limit's text). Instants are ISO 8601 in
Asia/Ho_Chi_Minh with their offset; an absent value is an empty cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from typing import IO, Literal

from mot_cua.errors import InvalidInputError, brief
from mot_cua.store._models import DossierState

__all__ = ["RECORD_COLUMNS", "export_records", "to_record"]

#: The exported columns, in order.
RECORD_COLUMNS = (
    "MaHoSo",
    "MaTTHC",
    "MaCoQuan",
    "MaLinhVuc",
    "KenhThucHien",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayXuLyXong",
    "NgayTraKetQua",
    "NgayDungXuLy",
    "NgayRutHoSo",
    "BoSung",
    "ThoiHanGiaiQuyet",
)

_CHANNEL = {"in_person": "1", "online": "2", "postal": "3"}


def _iso(value: dt.datetime | None) -> str:
    return "" if value is None else value.isoformat()


def to_record(state: DossierState) -> dict[str, str]:
    """One dossier as a flat record (every value text; absent values empty).

    >>> import datetime as dt
    >>> from mot_cua.store import Store
    >>> s = Store("sqlite://"); _ = s.init()
    >>> _ = s.create("X-2", time_limit="3 ngày làm việc", agency="ubnd-xa", channel="online")
    >>> st = s.append("X-2", "receive", at=dt.datetime(2025, 3, 3, 9,
    ...               tzinfo=dt.timezone(dt.timedelta(hours=7)))).state
    >>> r = to_record(st); r["KenhThucHien"], r["NgayHenTra"], r["ThoiHanGiaiQuyet"]
    ('2', '2025-03-06T17:00:00+07:00', '3 ngày làm việc')
    """
    rounds = ";".join(f"{start}/{end or ''}" for start, end in state.supplement_rounds)
    return {
        "MaHoSo": state.code,
        "MaTTHC": state.procedure_id or "",
        "MaCoQuan": state.agency or "",
        "MaLinhVuc": state.field or "",
        "KenhThucHien": _CHANNEL.get(state.channel or "", ""),
        "NgayTiepNhan": _iso(state.received_at),
        "NgayHenTra": _iso(state.due_at),
        "NgayXuLyXong": _iso(state.resolved_at),
        "NgayTraKetQua": _iso(state.returned_at),
        "NgayDungXuLy": _iso(state.stopped_at),
        "NgayRutHoSo": _iso(state.withdrawn_at),
        "BoSung": rounds,
        "ThoiHanGiaiQuyet": state.time_limit,
    }


def export_records(
    states: Iterable[DossierState],
    out: IO[str],
    *,
    fmt: Literal["csv", "jsonl"] = "csv",
    received_only: bool = True,
) -> int:
    """Write dossiers as flat records to a text stream; returns the number written.

    Args:
        states: the dossiers (e.g. :meth:`Store.iter_dossiers`).
        out: a text stream (open files with ``newline=""`` for CSV).
        fmt: ``csv`` (a header row, UTF-8) or ``jsonl`` (one object per line).
        received_only: leave out dossiers never received (no ``NgayTiepNhan``: refused at the
            desk, or still at submission), which no report counts.

    Raises:
        InvalidInputError: an unknown format.

    >>> import io
    >>> buf = io.StringIO(); export_records([], buf); buf.getvalue().split(",")[0]
    0
    'MaHoSo'
    """
    if fmt not in ("csv", "jsonl"):
        raise InvalidInputError(f"format {brief(fmt)} is unknown; use csv or jsonl", field="format")
    writer = csv.DictWriter(out, fieldnames=RECORD_COLUMNS) if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    count = 0
    for state in states:
        if received_only and state.received_at is None:
            continue
        record = to_record(state)
        if writer is not None:
            writer.writerow(record)
        else:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
