"""Vectorised due dates over columns (``pip install 'mot_cua[batch]'``: numpy and pyarrow).

:func:`compute_due` gives, row by row, exactly what :func:`mot_cua.compute_due` gives (a
differential test checks it over a million generated rows), from the calendar's day tables with
numpy gathers: no Python per row, for every unit and every policy field. Limits of the days
method with many rows are looked up in a table of that limit's answer per calendar day. Rows the
kernels do not cover (pauses, limits of 366 units or more, bad input, a result outside the
calendar) are answered by the scalar engine, so every row is exact; one bad
row gets its error message in the ``error`` column and never fails the batch.

>>> import datetime as dt
>>> from mot_cua import VN_TZ
>>> from mot_cua.batch import compute_due
>>> t = compute_due([dt.datetime(2025, 4, 25, 10, tzinfo=VN_TZ), None], "3 ngày làm việc")
>>> t.column("due_date").to_pylist()
[datetime.date(2025, 4, 29), None]
>>> t.column("error").to_pylist()[1]
'InvalidInputError: received[1] is missing: give the receipt instant (NgayTiepNhan)'
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from mot_cua.batch import _kernel as k
from mot_cua.calendar import WorkingCalendar
from mot_cua.deadlines import DeadlinePolicy, _default_policy, _limit, _policy_and_calendar
from mot_cua.deadlines import compute_due as scalar_due
from mot_cua.errors import InvalidInputError, MotCuaError, ProvisionalCalendarWarning, brief
from mot_cua.limits import Method, TimeLimit, TimeUnit
from mot_cua.timezone import VN_TZ

__all__ = ["OUTPUT_SCHEMA", "compute_due", "kernel_kind"]

_TS = pa.timestamp("us", tz="Asia/Ho_Chi_Minh")

#: The columns of :func:`compute_due`'s table.
OUTPUT_SCHEMA = pa.schema(
    [
        ("due_at", _TS),
        ("due_date", pa.date32()),
        ("deemed_receipt", _TS),
        ("raw_due_at", _TS),
        ("provisional", pa.bool_()),
        ("uncertain", pa.bool_()),
        ("error", pa.string()),
    ]
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def kernel_kind(limit: TimeLimit, policy: DeadlinePolicy, calendar: WorkingCalendar) -> int:
    """Which numpy kernel answers this limit under this policy (``SCALAR``: the scalar engine)."""
    unit, method = limit.unit, policy.method
    if limit.value >= 366 or calendar.last_year > 9000:
        return k.SCALAR  # the scalar engine's size check applies
    if unit is TimeUnit.HOURS:
        return k.HOURS
    if unit is TimeUnit.IMMEDIATELY:
        return k.IMMEDIATELY
    if unit is TimeUnit.WORKING_HOURS or (
        unit is TimeUnit.WORKING_DAYS and method is Method.WORKING_TIME
    ):
        return k.OFFICE_TIME
    if method is Method.HALF_DAYS and unit in (TimeUnit.WORKING_DAYS, TimeUnit.SAME_DAY):
        if not math.isclose(limit.value * 2, round(limit.value * 2)):
            return k.SCALAR  # the scalar engine raises UnsupportedMethodError
        return k.HALF_DAYS if unit is TimeUnit.WORKING_DAYS else k.HALF_SAME_DAY
    return {
        TimeUnit.WORKING_DAYS: k.WORKING_DAYS,
        TimeUnit.SAME_DAY: k.SAME_DAY,
        TimeUnit.CALENDAR_DAYS: k.CALENDAR_DAYS,
        TimeUnit.MONTHS: k.MONTHS,
    }.get(unit, k.SCALAR)


def _limit_params(lim: TimeLimit, policy: DeadlinePolicy, tb: k.Tables) -> dict[str, Any]:
    """The per-limit numbers the kernels read (computed once per distinct limit and policy)."""
    n = lim.value
    whole = math.floor(n) if math.isfinite(n) else 0
    frac = n - whole
    per_day = policy.seconds_per_day
    per_unit = 3600.0 if lim.unit is TimeUnit.WORKING_HOURS else per_day
    hours = dt.timedelta(hours=n) if lim.unit is TimeUnit.HOURS else dt.timedelta(0)
    frac_days, frac_tod = k.office_offset(tb, round(frac * per_day)) if frac else (0, 0)
    return {
        "whole": whole,
        "has_frac": bool(frac),
        "frac_days": frac_days,  # the fraction: working days after the next one's opening
        "frac_tod": frac_tod,  # ... and the µs of the day it ends at
        "days": int(n),
        "slots": round(n * 2) if math.isfinite(n) else 0,
        "seconds": round(n * per_unit) if lim.unit is not TimeUnit.HOURS else 0,
        "hours_us": (hours.days * 86_400 + hours.seconds) * 1_000_000 + hours.microseconds,
    }


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


class _Rows:
    """The normalised input: receipt µs (UTC), and the Python value of rows for the scalar path."""

    def __init__(self, size: int, us: Any = None) -> None:
        self.us = np.zeros(size, dtype=np.int64) if us is None else us
        # False: the scalar engine (or the error) answers. Given receipts are all there.
        self.ok: Any = np.ones(size, dtype=bool) if us is None else None  # None: all are
        self.values: dict[int, Any] = {}  # row -> what the caller gave, for the scalar path

    def value(self, i: int) -> Any:
        if i in self.values:
            return self.values[i]
        return (_EPOCH + dt.timedelta(microseconds=int(self.us[i]))).astimezone(VN_TZ)


def _received(received: Any) -> _Rows:
    """Receipt instants from Arrow, numpy (``datetime64``, read as UTC) or Python datetimes."""
    if isinstance(received, pa.ChunkedArray):
        received = received.combine_chunks()
    if isinstance(received, pa.Array):
        if not pa.types.is_timestamp(received.type):
            raise InvalidInputError(
                f"received must be an Arrow timestamp array, not {received.type}; cast it, e.g. "
                "pc.cast(col, pa.timestamp('us', tz='Asia/Ho_Chi_Minh'))",
                field="received",
            )
        if received.type.tz is None:  # naive: every row gets the scalar engine's error
            return _python_rows(received.to_pylist())
        us = received.cast(pa.timestamp("us", tz="UTC")).cast(pa.int64())
        if not us.null_count:  # the Arrow buffer itself, read-only (never written to)
            return _Rows(len(us), us.to_numpy())
        rows = _Rows(len(us))
        rows.us = us.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
        rows.ok = ~np.asarray(us.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        for i in np.flatnonzero(~rows.ok):
            rows.values[int(i)] = None
        return rows
    if isinstance(received, np.ndarray) and np.issubdtype(received.dtype, np.datetime64):
        arr = received.reshape(-1).astype("datetime64[us]")
        rows = _Rows(arr.shape[0])
        nat = np.isnat(arr)
        rows.us = np.where(nat, 0, arr.view(np.int64))
        rows.ok = ~nat
        for i in np.flatnonzero(nat):
            rows.values[int(i)] = None
        return rows
    if isinstance(received, (str, bytes)) or not isinstance(received, (Sequence, np.ndarray)):
        raise InvalidInputError(
            "received must be an Arrow timestamp array, a numpy datetime64 array or a sequence "
            f"of aware datetimes, not {type(received).__name__}",
            field="received",
        )
    return _python_rows(list(received))


def _python_rows(items: list[Any]) -> _Rows:
    rows = _Rows(len(items))
    for i, v in enumerate(items):
        if isinstance(v, dt.datetime) and v.utcoffset() is not None:
            d = v - _EPOCH
            rows.us[i] = (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds
        else:
            rows.ok[i] = False
            rows.values[i] = v
    return rows


def _codes(values: Any, size: int, name: str) -> tuple[Any, list[Any]]:
    """Per-row codes into a list of distinct values (a scalar broadcasts)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            enc = values.dictionary_encode()
            idx = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
            items: list[Any] = enc.dictionary.to_pylist()
            if enc.indices.null_count:
                idx = np.where(idx < 0, len(items), idx)
                items.append(None)
            return idx, items
        values = values.to_pylist()
    elif isinstance(values, np.ndarray):
        values = values.reshape(-1).tolist()
    if not isinstance(values, Sequence) or isinstance(values, (str, bytes)):
        return np.zeros(size, dtype=np.int64), [values]
    if len(values) != size:
        raise InvalidInputError(
            f"{name} has {len(values)} rows but received has {size}: give one {name} per row, "
            "or one value for all rows",
            field=name,
        )
    seen: dict[Any, int] = {}
    out = np.empty(size, dtype=np.int64)
    items = []
    for i, v in enumerate(values):
        key = (type(v), v) if isinstance(v, str) or v is None else ("id", id(v))
        j = seen.get(key)
        if j is None:
            j = seen[key] = len(items)
            items.append(v)
        out[i] = j
    return out, items


def _pauses(pauses: Any, size: int) -> list[Any] | None:
    if pauses is None:
        return None
    if isinstance(pauses, (pa.Array, pa.ChunkedArray)):
        pauses = pauses.to_pylist()
    if isinstance(pauses, (str, bytes)) or not isinstance(pauses, Sequence):
        raise InvalidInputError(
            "pauses must be one list of pauses per row (an Arrow list column or a sequence of "
            f"lists), not {type(pauses).__name__}",
            field="pauses",
        )
    if len(pauses) != size:
        raise InvalidInputError(
            f"pauses has {len(pauses)} rows but received has {size}: give one list per row",
            field="pauses",
        )
    out = []
    for p in pauses:
        if isinstance(p, list) and p and isinstance(p[0], dict):
            p = [(x.get("start"), x.get("end")) for x in p]
        out.append(p)
    return out


class _Out:
    def __init__(self, size: int) -> None:
        # UTC µs. Filled row by row or replaced whole by the kernels; rows left unset stay masked.
        self.due = np.zeros(size, dtype=np.int64)
        self.date: Any = None  # int32 due dates when a day table gave them all (else from due)
        self.deemed = np.zeros(size, dtype=np.int64)
        self.raw = np.zeros(size, dtype=np.int64)
        self.has_raw = np.zeros(size, dtype=bool)
        self.provisional = np.zeros(size, dtype=bool)
        self.uncertain = np.zeros(size, dtype=bool)
        self.valid = np.zeros(size, dtype=bool)
        self.every = False  # every row valid (one kernel answered all): ``valid`` unused
        self.any_raw = False  # some row has a raw_due_at
        self.errors: dict[int, str] = {}

    def take_all(self, due: Any, deemed: Any, provisional: Any, uncertain: Any) -> None:
        """One kernel answered every row: its arrays become the result."""
        self.due, self.deemed = due, deemed
        self.provisional, self.uncertain = provisional, uncertain
        self.every = True

    def put(self, dest: Any, due: Any, deemed: Any, provisional: Any, uncertain: Any) -> None:
        """Store the answers of rows ``dest`` and mark them valid."""
        self.due[dest] = due
        self.deemed[dest] = deemed
        self.provisional[dest] = provisional
        self.uncertain[dest] = uncertain
        self.valid[dest] = True

    def table(self) -> pa.Table:
        n = len(self.due)
        valid = None if self.every or self.valid.all() else _bits(self.valid)
        errors: pa.Array = pa.nulls(n, pa.string())
        if self.errors:
            texts: list[str | None] = [None] * n
            for i, e in self.errors.items():
                texts[i] = e
            errors = pa.array(texts, type=pa.string())
        days = self.date
        if days is None:
            days = self.due + k.OFFSET_US
            days //= k.DAY_US
            days = days.astype(np.int32)
        raw: pa.Array = pa.nulls(n, _TS)
        if self.any_raw:
            raw = _array(_TS, n, _bits(self.has_raw if self.every else self.valid & self.has_raw),
                         self.raw)  # fmt: skip
        return pa.Table.from_arrays(
            [
                _array(_TS, n, valid, self.due),
                _array(pa.date32(), n, valid, days),
                _array(_TS, n, valid, self.deemed),
                raw,
                _array(pa.bool_(), n, valid, _bits(self.provisional)),
                _array(pa.bool_(), n, valid, _bits(self.uncertain)),
                errors,
            ],
            schema=OUTPUT_SCHEMA,
        )

    def scalar(self, i: int, args: tuple[Any, Any, Any, Any, Any]) -> None:
        received, limit, cal, pol, pauses = args
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ProvisionalCalendarWarning)
                d = scalar_due(received, limit, calendar=cal, policy=pol, pauses=pauses or ())
        except MotCuaError as exc:
            self.errors[i] = _error(exc)
            return
        self.due[i] = _utc_us(d.due_at)
        if self.date is not None:
            self.date[i] = (self.due[i] + k.OFFSET_US) // k.DAY_US
        self.deemed[i] = _utc_us(d.deemed_receipt)
        if d.raw_due_at is not None:
            self.raw[i] = _utc_us(d.raw_due_at)
            self.has_raw[i] = self.any_raw = True
        self.provisional[i] = d.provisional
        self.uncertain[i] = bool(d.uncertain_days)
        self.valid[i] = True

    def provisional_rows(self, sel: Any) -> int:
        """How many valid rows (of ``sel``, None: all) are provisional."""
        prov = self.provisional if sel is None else self.provisional[sel]
        if not self.every:
            prov = prov & (self.valid if sel is None else self.valid[sel])
        return int(np.count_nonzero(prov))


def _bits(mask: Any) -> pa.Buffer:
    return pa.py_buffer(np.packbits(mask, bitorder="little"))


def _array(typ: pa.DataType, n: int, valid: pa.Buffer | None, data: Any) -> pa.Array:
    """An Arrow array straight from a numpy buffer (no per-value conversion)."""
    buf = data if isinstance(data, pa.Buffer) else pa.py_buffer(np.ascontiguousarray(data))
    return pa.Array.from_buffers(typ, n, [valid, buf])


def _utc_us(value: dt.datetime) -> int:
    d = value - _EPOCH
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def compute_due(
    received: Any,
    limit: Any,
    *,
    policy: Any = None,
    calendar: WorkingCalendar | None = None,
    pauses: Any = None,
) -> pa.Table:
    """Due moments of many dossiers at once, exactly as :func:`mot_cua.compute_due` per row.

    Args:
        received: receipt instants: an Arrow timestamp array with a time zone, a numpy
            ``datetime64`` array (numpy has no zones: read as UTC) or a sequence of aware
            datetimes. A missing or naive value is an error of its row.
        limit: one limit for all rows (text or :class:`~mot_cua.limits.TimeLimit`), or one
            per row (an Arrow string column, a numpy array or a sequence).
        policy: ``None`` (the default policy), one :class:`~mot_cua.deadlines.DeadlinePolicy`,
            or one per row (a sequence of policies or ``None``).
        calendar: the working calendar (default :meth:`WorkingCalendar.vietnam`).
        pauses: ``None``, or one list of pauses per row (an Arrow list column of
            ``struct<start, end>`` or a sequence of lists of :class:`~mot_cua.deadlines.Pause` /
            ``(start, end)`` pairs). Rows with pauses are answered by the scalar engine.

    Returns:
        An Arrow table with one row per input row (:data:`OUTPUT_SCHEMA`): ``due_at``,
        ``due_date``, ``deemed_receipt``, ``raw_due_at`` (limits in clock hours moved into
        working time), ``provisional``, ``uncertain`` (a pending day was depended on) and
        ``error`` (``"ErrorClass: message"``, null when the row is valid; the other columns
        are then null). One :class:`~mot_cua.errors.ProvisionalCalendarWarning` is emitted when
        rows are provisional and the calendar warns.

    Raises:
        InvalidInputError: an argument of the wrong kind, or columns of different lengths.

    >>> import numpy as np
    >>> r = np.array(["2025-04-25T03:00", "2025-04-28T09:00"], dtype="datetime64[us]")  # UTC
    >>> compute_due(r, ["3 ngày làm việc", "15 ngày"]).column("due_date").to_pylist()
    [datetime.date(2025, 4, 29), datetime.date(2025, 5, 14)]
    """
    if calendar is not None and not isinstance(calendar, WorkingCalendar):
        raise InvalidInputError(
            "calendar must be a WorkingCalendar (e.g. WorkingCalendar.vietnam()), not "
            f"{brief(calendar)}",
            field="calendar",
        )
    rows = _received(received)
    size = rows.us.shape[0]
    lcodes, limits = _codes(limit, size, "limit")
    pcodes, policies = _codes(policy, size, "policy")
    plist = _pauses(pauses, size)
    parsed: list[TimeLimit | None] = []
    for v in limits:
        try:
            parsed.append(_limit(v))
        except MotCuaError:
            parsed.append(None)  # the scalar engine gives the row's error
    out = _Out(size)
    warn: WorkingCalendar | None = None
    for pj, pol_in in enumerate(policies):
        sel = None if len(policies) == 1 else np.flatnonzero(pcodes == pj)  # None: all rows
        try:
            found, cal = _policy_and_calendar(pol_in, calendar)
            pol = _default_policy() if found is None else found
        except MotCuaError:
            scalar = np.arange(size) if sel is None else sel
        else:
            scalar = _group(out, rows, sel, (lcodes, parsed), pol, cal, plist)
            if cal.on_provisional == "warn" and out.provisional_rows(sel):
                warn = cal
        for i in scalar.tolist():
            _scalar_row(out, rows, i, (limits[lcodes[i]], calendar, pol_in, plist and plist[i]))
    if warn is not None:
        n = out.provisional_rows(None)
        warnings.warn(
            ProvisionalCalendarWarning(
                f"{n} due dates depend on a year after {warn.official_last_year}, whose official "
                "schedule is not published yet; see the provisional column"
            ),
            stacklevel=2,
        )
    return out.table()


def _scalar_row(out: _Out, rows: _Rows, i: int, args: tuple[Any, Any, Any, Any]) -> None:
    """Row ``i`` by the scalar engine (or its missing-receipt error)."""
    if rows.ok is None or rows.ok[i] or rows.values.get(i, 0) is not None:
        out.scalar(i, (rows.value(i), *args))
    else:
        out.errors[i] = (
            f"InvalidInputError: received[{i}] is missing: give the receipt instant (NgayTiepNhan)"
        )


_PARAMS = {
    k.WORKING_DAYS: ("whole", "has_frac", "frac_days", "frac_tod"),
    k.CALENDAR_DAYS: ("days",),
    k.MONTHS: ("days",),
    k.HALF_DAYS: ("slots",),
    k.OFFICE_TIME: ("seconds",),
    k.HOURS: ("hours_us",),
}


#: A limit's rows are looked up in a day table (:func:`mot_cua.batch._kernel.day_table`) when
#: they are at least this many times the table's rows: building it runs the kernel once per
#: calendar day and band, so smaller groups run the kernel on their rows directly.
TABLE_ROWS_FACTOR = 1.0


def _group(
    out: _Out,
    rows: _Rows,
    sel: Any,
    lim: tuple[Any, list[TimeLimit | None]],
    pol: DeadlinePolicy,
    cal: WorkingCalendar,
    plist: list[Any] | None,
) -> Any:
    """Answer one policy's rows with the kernels; returns the rows left to the scalar engine."""
    lcodes, parsed = lim
    tb = k.tables(cal, pol)
    whole = sel is None  # all rows: no gathers of the inputs
    us = rows.us if whole else rows.us[sel]
    kinds = [k.SCALAR if x is None else kernel_kind(x, pol, cal) for x in parsed]
    params = [_limit_params(x, pol, tb) if x is not None else None for x in parsed]
    codes = lcodes if whole else lcodes[sel]
    ok = rows.ok if whole or rows.ok is None else rows.ok[sel]
    lo = tb.base * k.DAY_US - k.OFFSET_US  # the calendar's first instant, UTC µs
    hi = lo + tb.n * k.DAY_US
    if (ok is None or ok.all()) and (not us.size or (int(us.min()) >= lo and int(us.max()) < hi)):
        scalar = np.zeros(us.shape, dtype=bool)
    else:
        scalar = (us < lo) | (us >= hi)
        if ok is not None:
            scalar |= ~ok
    if plist is not None:
        mine = plist if whole else [plist[i] for i in sel.tolist()]
        scalar |= np.array([bool(p) for p in mine], dtype=bool)
    for kind, part, code in _jobs(kinds, codes, scalar, tb):
        if code is not None:  # one limit: its parameters are scalars
            p = params[code] or {}
            par = {n: np.asarray(p.get(n, 0)) for n in _PARAMS.get(kind, ())}
        else:
            c = codes[part]
            par = {
                n: np.array([p[n] if p else 0 for p in params])[c] for n in _PARAMS.get(kind, ())
            }
        if code is not None and _tabled(kind, tb, us.shape[0] if part is None else part.size):
            _answer_table(out, tb, cal, kind, (sel, part), us, par, scalar)
            continue
        _answer(out, tb, cal, kind, (sel, part), us, par, scalar)
    result: Any = np.flatnonzero(scalar) if whole else sel[scalar]
    return result


def _jobs(kinds: list[int], codes: Any, scalar: Any, tb: k.Tables) -> list[tuple[int, Any, Any]]:
    """(kind, rows or None for all, limit code or None for several) to run, without the rows
    the scalar engine answers; a limit with enough rows for its day table gets its own job."""
    if len(kinds) == 1:
        if kinds[0] == k.SCALAR:
            scalar[:] = True
            return []
        return [(kinds[0], np.flatnonzero(~scalar) if scalar.any() else None, 0)]
    rk = np.asarray(kinds)[codes]
    scalar |= rk == k.SCALAR
    live = np.flatnonzero(~scalar)
    counts = np.bincount(codes[live], minlength=len(kinds)).tolist()
    jobs: list[tuple[int, Any, Any]] = []
    alone = np.zeros(len(kinds), dtype=bool)
    for code, kind in enumerate(kinds):
        if kind != k.SCALAR and counts[code] and _tabled(kind, tb, counts[code]):
            alone[code] = True
            jobs.append((kind, live[codes[live] == code], code))
    rest = live[~alone[codes[live]]] if alone.any() else live
    rk = rk[rest]
    for kind in sorted(set(rk.tolist())):
        jobs.append((kind, rest[rk == kind], None))
    return jobs


def _tabled(kind: int, tb: k.Tables, rows: int) -> bool:
    cuts = k.marks(kind, tb)
    return cuts is not None and rows >= TABLE_ROWS_FACTOR * tb.n * (len(cuts) + 1)


def _split(us: Any, tb: k.Tables) -> tuple[Any, Any]:
    """UTC µs -> (calendar index, local µs of the day)."""
    tod = us + k.OFFSET_US
    idx = tod // k.DAY_US
    tod -= idx * k.DAY_US
    idx -= tb.base
    return idx, tod


#: Rows per kernel run: the temporaries of a chunk stay in the CPU caches and their memory is
#: reused by the next chunk (one run over a million rows faults in fresh pages for each).
CHUNK = 1 << 16


def _answer(
    out: _Out,
    tb: k.Tables,
    cal: WorkingCalendar,
    kind: int,
    rows: tuple[Any, Any],
    us: Any,
    par: dict[str, Any],
    scalar: Any,
) -> None:
    """Run one kernel on rows ``part`` of a policy group ``sel``, chunk by chunk, and store the
    answers (``us``: the group's receipts)."""
    sel, part = rows
    n = us.shape[0] if part is None else part.shape[0]
    got = _run_chunks(kind, tb, (us, part, n), par, refuse=cal.on_provisional == "raise")
    due, deemed, raw, prov, unc, bad = got
    if part is None and sel is None and not bad.any():
        out.take_all(due, deemed, prov, unc)
        if raw is not None:
            out.raw, out.has_raw = raw
            out.any_raw = bool(out.has_raw.any())
        return
    part = np.arange(n) if part is None else part
    scalar[part[bad]] = True
    good = ~bad
    dest = part[good] if sel is None else sel[part[good]]
    out.put(dest, due[good], deemed[good], prov[good], unc[good])
    if raw is not None:
        out.raw[dest] = raw[0][good]
        out.has_raw[dest] = raw[1][good]
        out.any_raw = out.any_raw or bool(raw[1].any())


def _run_chunks(
    kind: int, tb: k.Tables, rows: tuple[Any, Any, int], par: dict[str, Any], *, refuse: bool
) -> tuple[Any, Any, Any, Any, Any, Any]:
    """(due, deemed, (raw, has_raw) or None, provisional, uncertain, bad) in UTC µs, for the
    ``n`` receipts ``us[part]`` (``part`` None: all of ``us``)."""
    us, part, n = rows
    due, deemed, bad = k.empty(n, np.int64), k.empty(n, np.int64), k.empty(n, bool)
    prov, unc = k.empty(n, bool), k.empty(n, bool)
    raw = (k.empty(n, np.int64), k.empty(n, bool)) if kind == k.HOURS else None
    for lo in range(0, n, CHUNK):
        hi = min(lo + CHUNK, n)
        idx, tod = _split(us[lo:hi] if part is None else us[part[lo:hi]], tb)
        p = {name: v if v.ndim == 0 else v[lo:hi] for name, v in par.items()}
        d, du, r, unrolled, b = k.run_group(kind, tb, idx, tod, p)
        pr, uc = k.flags(tb, kind, idx, d, du, r, unrolled)
        np.subtract(du, k.OFFSET_US, out=due[lo:hi])
        np.subtract(d, k.OFFSET_US, out=deemed[lo:hi])
        bad[lo:hi] = (b | pr) if refuse else b
        prov[lo:hi], unc[lo:hi] = pr, uc
        if raw is not None:
            np.subtract(r, k.OFFSET_US, out=raw[0][lo:hi])
            np.greater_equal(r, 0, out=raw[1][lo:hi])
    return due, deemed, raw, prov, unc, bad


def _answer_table(
    out: _Out,
    tb: k.Tables,
    cal: WorkingCalendar,
    kind: int,
    rows: tuple[Any, Any],
    us: Any,
    par: dict[str, Any],
    scalar: Any,
) -> None:
    """Answer rows ``part`` of a policy group ``sel`` (one limit) from its day table."""
    sel, part = rows
    table = k.day_table(kind, tb, par, refuse_provisional=cal.on_provisional == "raise")
    got = k.run_table(table, tb, us if part is None else us[part])
    due, date, deemed, prov, unc, bad = got
    if part is None and sel is None and bad is None:
        out.take_all(due, deemed, prov, unc)
        out.date = date
        return
    part = np.arange(us.shape[0]) if part is None else part
    if bad is not None:
        scalar[part[bad]] = True
        good = ~bad
        part, due, deemed, prov, unc = part[good], due[good], deemed[good], prov[good], unc[good]
    out.put(part if sel is None else sel[part], due, deemed, prov, unc)
