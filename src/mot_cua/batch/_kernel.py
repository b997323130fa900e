"""numpy kernels: the exact semantics of :func:`mot_cua.compute_due` on columns.

Every function works on one policy group. Instants are int64 microseconds; days are calendar
indexes (``idx``: days since the calendar's first day). Each kernel returns its answer and a
``fallback`` mask of rows it does not answer (a result outside the calendar, a limit so large
that the scalar engine's size check applies): those rows go to the scalar engine, which gives
the exact answer or the exact error.

For the days method (working days with or without a fraction, same day, calendar days, months,
half-day slots) a large group of one limit does not run the kernel on its rows: the kernel runs
once per calendar day and "band" of the day (the times where a rule compares the receipt time:
cut-off, closing, slot ends), and each row is a lookup in that :class:`DayTable`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from mot_cua.calendar import WorkingCalendar
from mot_cua.deadlines import DeadlinePolicy, _derived

US = 1_000_000
DAY_US = 86_400 * US
OFFSET_US = 7 * 3600 * US  # Asia/Ho_Chi_Minh: +07:00 since 1975 (IANA tzdata)
END_OF_DAY_US = (23 * 3600 + 59 * 60 + 59) * US

I64 = np.int64


def _us(t: Any) -> int:
    return int((t.hour * 3600 + t.minute * 60 + t.second) * US + t.microsecond)


@dataclass
class Tables:
    """A calendar's day tables as numpy arrays, and one policy's clock values."""

    cum: Any  # cum[i]: working days strictly before day i (len n + 1)
    nth: Any  # nth[k]: epoch day of the k-th working day
    work: Any  # 1 per working day (len n)
    base: int  # epoch day of index 0
    n: int
    nwork: int
    prov_epoch: int  # first provisional epoch day
    pending: Any  # sorted epoch days whose legal status is pending
    pc: Any  # pc[i]: pending days before calendar index i (len n + 1)
    starts: Any  # session starts, µs of the day
    ends: Any  # session ends, µs of the day
    opening: int
    closing: int
    cutoff: int | None
    day_len: int  # office seconds in a working day
    per_day: float  # seconds of one working day for the working-time method
    end_of_day: bool
    statutory: bool
    roll_hours: bool
    as_received: bool = False
    slots: tuple[int, int] = (0, 0)  # ends of the morning and afternoon half-day slots, µs
    stat_next: Any = None  # roll="statutory": first index >= i not a statutory rest day (-1)
    nth_open: Any = None  # local µs of the opening of the k-th working day
    nth_close: Any = None  # local µs of the due clock (closing or 23:59:59) of the k-th one
    nth_us: Any = None  # local µs of the midnight starting the k-th working day


def tables(cal: WorkingCalendar, policy: DeadlinePolicy) -> Tables:
    """The numpy tables of a calendar (already without worked Saturdays when the policy says so)."""
    cum, nth, base = cal._tables()
    p = _derived(policy)
    epoch = 719_163  # date(1970, 1, 1).toordinal()
    pending = np.asarray(cal._pending_ords, dtype=I64) - epoch
    marks = np.zeros(cal._n, dtype=np.int32)
    inside = pending[(pending >= base) & (pending < base + cal._n)]
    marks[inside - base] = 1
    pc = np.concatenate([np.zeros(1, dtype=np.int32), np.cumsum(marks, dtype=np.int32)])
    return Tables(
        cum=cum,
        nth=nth,
        work=np.frombuffer(cal._work, dtype=np.uint8),
        base=int(base),
        n=cal._n,
        nwork=cal._nwork,
        prov_epoch=cal._prov_ord - epoch,
        pending=pending,
        pc=pc,
        starts=np.asarray([_us(a) for a, _ in p.sessions], dtype=I64),
        ends=np.asarray([_us(b) for _, b in p.sessions], dtype=I64),
        opening=_us(p.opening),
        closing=_us(p.closing),
        cutoff=None if p.cutoff is None else _us(p.cutoff),
        day_len=int(p.day_len),
        per_day=float(p.per_day),
        end_of_day=bool(p.end_of_day),
        statutory=bool(p.statutory),
        roll_hours=bool(p.roll_hours),
        as_received=bool(p.as_received),
        slots=(_us(p.slots[0]), _us(p.slots[1])),
        stat_next=_stat_next(cal) if p.statutory else None,
        nth_open=nth * DAY_US + _us(p.opening),
        nth_close=nth * DAY_US + (END_OF_DAY_US if p.end_of_day else _us(p.closing)),
        nth_us=nth * DAY_US,
    )


def _stat_next(cal: WorkingCalendar) -> Any:
    """For each day, the first day on or after it that is not a statutory rest day (-1: none).

    The table form of ``roll="statutory"``: a weekly rest day or a statutory holiday /
    compensatory day rolls on; a swap day off or a closure stops the roll
    (:meth:`WorkingCalendar.is_statutory_rest_day`).
    """
    work = np.frombuffer(cal._work, dtype=np.uint8).astype(bool)
    rest = ~work
    for d, special in cal._specials.items():
        i = d.toordinal() - cal._base
        if 0 <= i < cal._n and rest[i] and not special.kind.statutory_rest:
            rest[i] = False
    pos = np.where(rest, cal._n, np.arange(cal._n, dtype=I64))
    nxt = np.minimum.accumulate(pos[::-1])[::-1]
    return np.where(nxt >= cal._n, -1, nxt)


class Clock:
    """Working-day arithmetic on calendar indexes, recording rows whose result leaves the table."""

    def __init__(self, tb: Tables, size: int) -> None:
        self.tb = tb
        self.bad = np.zeros(size, dtype=bool)

    def _nth(self, k: Any) -> Any:
        """Index of the k-th working day; rows with k out of range are marked and clamped."""
        return self.tb.nth[self.ord_ok(k)] - self.tb.base

    def _in_range(self, a: Any, end: int) -> Any:
        """``a`` with rows outside ``[0, end)`` marked bad and set to 0 (one min/max pass when
        none is outside)."""
        if a.size and (int(a.min()) < 0 or int(a.max()) >= end):
            out = (a < 0) | (a >= end)
            self.bad |= out
            return np.where(out, 0, a)
        return a

    def ord_ok(self, k: Any) -> Any:
        """Working-day ordinals, rows out of the table marked."""
        return self._in_range(k, self.tb.nwork)

    def idx_ok(self, idx: Any) -> Any:
        """Day indices, rows out of the calendar marked."""
        return self._in_range(idx, self.tb.n)

    def working(self, idx: Any) -> Any:
        return self.tb.work[idx].astype(bool)

    def add(self, idx: Any, n: Any) -> Any:
        """``add(d, n)``: the n-th working day after d (n = 0: d if working, else the next)."""
        cum = self.tb.cum
        return self._nth(np.where(n > 0, cum[idx + 1] + n - 1, cum[idx] + n))

    def next_office(self, idx: Any, tod: Any) -> tuple[Any, Any]:
        """``next_office_instant``: (day, time) of the receipt if in a session, else the next."""
        tb = self.tb
        w = self.working(idx)
        out_t = np.full(idx.shape, -1, dtype=I64)
        for a, b in zip(tb.starts[::-1], tb.ends[::-1], strict=True):
            out_t = np.where(w & (tod < b), np.where(tod < a, a, tod), out_t)
        later = out_t < 0
        day = np.where(later, self.add(idx, np.ones_like(idx)), idx)
        return day, np.where(later, tb.opening, out_t)

    def in_working_time(self, idx: Any, tod: Any) -> Any:
        inside = np.zeros(idx.shape, dtype=bool)
        for a, b in zip(self.tb.starts, self.tb.ends, strict=True):
            inside |= (tod >= a) & (tod <= b)
        return inside & self.working(idx)

    def add_office_seconds(self, idx: Any, tod: Any, seconds: Any) -> tuple[Any, Any]:
        """Office time from an office instant; a result exactly at a session's end stays.

        ``tod`` lies in a session of the working day ``idx``. Every working day has the same
        sessions, so the answer is a position in the office day: the seconds used before
        ``tod`` (a started second counts: the scalar engine floors the seconds left in the
        session) plus ``seconds``, split into whole days and a rest placed in the sessions. A
        result inside ``tod``'s own session keeps its microseconds.
        """
        tb = self.tb
        secs = np.maximum(seconds, 0)
        starts, ends = tb.starts.tolist(), tb.ends.tolist()
        lengths = [(b - a) // US for a, b in zip(starts, ends, strict=True)]
        before = [sum(lengths[:i]) for i in range(len(lengths))]  # office seconds before each
        pos = np.broadcast_to(secs, tod.shape).astype(I64)  # a new array, added to in place
        for a, length in zip(starts, lengths, strict=True):
            pos += np.clip(-((a - tod) // US), 0, length)
        q = pos // tb.day_len
        r = pos - q * tb.day_len
        edge = (r == 0) & (q > 0)  # at the end of a day: its closing, not the next opening
        q -= edge
        r += edge * tb.day_len
        t = starts[-1] + (r - before[-1]) * US
        for i in range(len(starts) - 2, -1, -1):
            t = np.where(r <= before[i] + lengths[i], starts[i] + (r - before[i]) * US, t)
        end = np.full(tod.shape, ends[-1], dtype=I64)  # the end of tod's session
        for b in ends[-2::-1]:
            end = np.where(tod < b, b, end)
        inside = tod + secs * US
        return self._nth(tb.cum[idx] + q), np.where(inside <= end, inside, t)

    def deemed(self, idx: Any, tod: Any) -> tuple[Any, Any]:
        """Step 2 (``next_working_day``): the deemed day's working-day ordinal, and whether it
        moved off the receipt date.

        ``cum[i]`` is the ordinal of day ``i`` when it is a working day, and of the next working
        day when it is not; a receipt at or after the cut-off or closing adds one.
        """
        tb = self.tb
        w = tb.work[idx].view(bool)
        limit = tb.closing if tb.cutoff is None else min(tb.closing, tb.cutoff)
        late = w & (tod >= limit)
        return tb.cum[idx] + late, ~w | late

    def clock(self) -> int:
        return END_OF_DAY_US if self.tb.end_of_day else self.tb.closing


# Unit kinds a policy group is split into (the scalar engine answers everything else).
(WORKING_DAYS, SAME_DAY, CALENDAR_DAYS, OFFICE_TIME, HOURS, IMMEDIATELY, SCALAR, MONTHS,
 HALF_DAYS, HALF_SAME_DAY) = range(10)  # fmt: skip
PERIODS = (CALENDAR_DAYS, MONTHS)


def _local(tb: Tables, idx: Any, tod: Any) -> Any:
    """Local µs of a (calendar index, µs of the day) pair."""
    return (idx + tb.base) * DAY_US + tod


def run_group(
    kind: int, tb: Tables, idx: Any, tod: Any, par: dict[str, Any]
) -> tuple[Any, Any, Any, Any, Any]:
    """(deemed, due, raw, unrolled, fallback) for rows of one unit kind, as local µs/indexes."""
    c = Clock(tb, idx.shape[0])
    received = _local(tb, idx, tod)
    raw = np.full(idx.shape, -1, dtype=I64)
    unrolled = np.full(idx.shape, -1, dtype=I64)
    if kind in (WORKING_DAYS, SAME_DAY, *PERIODS):
        days = _as_received if tb.as_received else _next_working_day
        deemed, due, end = days(c, kind, idx, tod, received, par)
        if end is not None:
            unrolled = end
    elif kind in (HALF_DAYS, HALF_SAME_DAY):
        deemed, due = _half_days(c, kind, idx, tod, received, par)
    elif kind in (OFFICE_TIME, IMMEDIATELY):
        sd, st = c.next_office(idx, tod)
        deemed = _local(tb, sd, st)
        if kind == IMMEDIATELY:
            due = deemed
        else:
            dd, dtod = c.add_office_seconds(sd, st, par["seconds"])
            due = _local(tb, dd, dtod)
    else:  # HOURS
        deemed = received
        due = received + par["hours_us"]
        dday = c.idx_ok(due // DAY_US - tb.base)
        dtod = due % DAY_US
        if tb.roll_hours:
            move = ~c.in_working_time(dday, dtod)
            nd, nt = c.next_office(dday, dtod)
            raw = np.where(move, due, -1)
            due = np.where(move, _local(tb, nd, nt), due)
    if kind not in (WORKING_DAYS, SAME_DAY) or tb.as_received:  # else from the tables: inside
        c.idx_ok(due // DAY_US - tb.base)
    return deemed, due, raw, unrolled, c.bad


def _next_working_day(
    c: Clock, kind: int, idx: Any, tod: Any, received: Any, par: dict[str, Any]
) -> tuple[Any, Any, Any]:
    """Steps 2-4 and 7 under ``outside_hours="next_working_day"``, on working-day ordinals."""
    tb = c.tb
    ke, moved = c.deemed(idx, tod)
    ke = c.ord_ok(ke)
    deemed = np.where(moved, tb.nth_open[ke], received)
    unrolled = None
    if kind == WORKING_DAYS:
        due = _working_days(c, ke, par)
    elif kind == SAME_DAY:
        # The deemed day is a working day here; its closing is never before the receipt.
        due = tb.nth_close[ke]
    else:
        due, unrolled = _period(c, kind, tb.nth[ke] - tb.base, par)
    return deemed, due, unrolled


def _as_received(
    c: Clock, kind: int, idx: Any, tod: Any, received: Any, par: dict[str, Any]
) -> tuple[Any, Any, Any]:
    """Steps 2-4 and 7 under ``outside_hours="as_received"`` (days off are not skipped)."""
    tb = c.tb
    moved = np.zeros(idx.shape, dtype=bool)
    if tb.cutoff is not None:
        moved = c.working(idx) & (tod >= tb.cutoff)
    e = c.idx_ok(idx + moved)
    deemed = np.where(moved, _local(tb, e, tb.opening), received)
    unrolled = None
    if kind == WORKING_DAYS:
        whole = par["whole"]
        y = np.where(whole > 0, c.add(e, np.maximum(whole, 1)), e)
        due = _local(tb, y, c.clock())
        if np.any(par["has_frac"]):  # from add(y, 1)'s opening: a fixed offset (office_offset)
            kf = c.ord_ok(tb.cum[y + 1] + par["frac_days"])
            due = np.where(par["has_frac"], tb.nth_us[kf] + par["frac_tod"], due)
    elif kind == SAME_DAY:
        y = np.where(c.working(e), e, c.add(e, np.zeros_like(e)))
        due = _local(tb, y, c.clock())
        before = due < received
        if before.any():
            due = np.where(before, _local(tb, c.add(y, np.ones_like(y)), c.clock()), due)
    else:
        due, unrolled = _period(c, kind, e, par)
    return deemed, due, unrolled


def _half_days(
    c: Clock, kind: int, idx: Any, tod: Any, received: Any, par: dict[str, Any]
) -> tuple[Any, Any]:
    """Step 5: half-day slots (the slot of the receipt, then ``2N`` slots later)."""
    tb = c.tb
    morning, afternoon = tb.slots
    if tb.as_received:
        moved = np.zeros(idx.shape, dtype=bool)
        if tb.cutoff is not None:
            moved = c.working(idx) & (tod >= tb.cutoff)
        e = c.idx_ok(idx + moved)
    else:
        ke, moved = c.deemed(idx, tod)
        e = c._nth(ke)
    w = c.working(e)
    later = w & ~moved & (tod >= afternoon) & (not tb.as_received)
    day = np.where(later, c.add(e, np.ones_like(e)), e)
    part = np.where(~w, 1, np.where(moved | later | (tod < morning), 0, 1))
    deemed = np.where(day == idx, received, _local(tb, day, tb.opening))
    if kind == HALF_SAME_DAY:
        y = np.where(c.working(day), day, c.add(day, np.zeros_like(day)))
        due = _local(tb, y, afternoon)
        before = due < received
        if before.any():
            due = np.where(before, _local(tb, c.add(y, np.ones_like(y)), afternoon), due)
        return deemed, due
    days, last = np.divmod(part + par["slots"], 2)
    y = np.where(days > 0, c.add(day, np.maximum(days, 1)), day)
    return deemed, _local(tb, y, np.where(last == 1, afternoon, morning))


def _period(c: Clock, kind: int, e: Any, par: dict[str, Any]) -> tuple[Any, Any]:
    """Step 7: calendar days or months after the deemed day, rolled off a day off."""
    tb = c.tb
    if kind == CALENDAR_DAYS:
        end = e + par["days"]
    else:  # months: the corresponding day, or the month's last day (relativedelta's rule)
        day = (e + tb.base).astype("datetime64[D]")
        month = day.astype("datetime64[M]")
        dom = (day - month.astype("datetime64[D]")).astype(I64)
        target = month + par["days"]
        first = target.astype("datetime64[D]").astype(I64)
        last = (target + 1).astype("datetime64[D]").astype(I64) - 1
        end = np.minimum(first + dom, last) - tb.base
    end = c.idx_ok(end)
    if tb.stat_next is not None:
        nxt = tb.stat_next[end]
        c.bad |= nxt < 0
        rolled = np.where(c.working(end), end, np.maximum(nxt, 0))
    else:
        rolled = np.where(c.working(end), end, c._nth(tb.cum[end]))
    return _local(tb, rolled, c.clock()), end


def _working_days(c: Clock, ke: Any, par: dict[str, Any]) -> Any:
    """Step 3: whole working days after the deemed day, then the fraction as office time.

    The fraction starts at the next working day's opening, so it ends a fixed number of working
    days later at a fixed time (:func:`office_offset`): one gather, no office-time arithmetic.
    """
    tb = c.tb
    frac = par["has_frac"]
    if not np.any(frac):
        return tb.nth_close[c.ord_ok(ke + par["whole"])]
    shift = par["whole"] + np.where(frac, 1 + par["frac_days"], 0)
    ky = c.ord_ok(ke + shift)
    return tb.nth_us[ky] + np.where(frac, par["frac_tod"], c.clock())


def office_offset(tb: Tables, seconds: int) -> tuple[int, int]:
    """Where ``seconds`` of office time from a working day's opening end.

    Returns (working days later, µs of the day): ``add_office_seconds`` of the scalar engine from
    an opening, which depends on the office hours only (every working day has the same sessions).
    """
    if seconds <= 0:
        return 0, tb.opening
    remaining = seconds
    for a, b in zip(tb.starts.tolist(), tb.ends.tolist(), strict=True):
        start = max(a, tb.opening)
        avail = (b - start) // US if b > start else 0
        if remaining <= avail:
            return 0, start + remaining * US
        remaining -= avail
    full, rest = divmod(remaining, tb.day_len)
    if rest == 0:
        full, rest = full - 1, tb.day_len
    for a, b in zip(tb.starts.tolist(), tb.ends.tolist(), strict=True):
        length = (b - a) // US
        if rest <= length:
            return full + 1, a + rest * US
        rest -= length
    raise AssertionError("unreachable: rest exceeds one day")  # pragma: no cover


def flags(
    tb: Tables, kind: int, day0: Any, deemed: Any, due: Any, raw: Any, unrolled: Any
) -> tuple[Any, Any]:
    """(provisional, uncertain) per row: step 12, and pending days inside the spans."""
    base = tb.base
    due_idx = due // DAY_US - base
    top = np.maximum(due_idx, day0)
    provisional = top >= tb.prov_epoch - base
    none = np.zeros(due.shape, dtype=bool)
    if tb.pending.size == 0 or not due.size:
        return provisional, none
    first = np.searchsorted(tb.pending, int(day0.min()) + base)
    if first >= tb.pending.size or tb.pending[first] > int(top.max()) + base:
        return provisional, none  # no pending day anywhere in the rows' spans

    def hit(lo: Any, hi: Any) -> Any:
        """Whether [lo, hi] (calendar indexes) holds a pending day: two prefix-count gathers."""
        a, b = lo, hi + 1
        if int(a.min()) < 0 or int(b.max()) > tb.n:  # only rows already sent to the scalar path
            a, b = np.clip(a, 0, tb.n), np.clip(b, 0, tb.n)
        return (tb.pc[b] > tb.pc[a]) & (lo <= hi)

    # compute_due only looks when a pending day lies in [receipt date, top].
    anywhere = hit(day0, top)
    if kind == HOURS:
        if not tb.roll_hours:
            return provisional, none
        lo = np.where(raw >= 0, raw, due) // DAY_US - base
        return provisional, anywhere & hit(lo, due_idx)
    if kind in PERIODS:
        spans = hit(day0, deemed // DAY_US - base) | hit(unrolled, due_idx)
        return provisional, anywhere & spans
    return provisional, anywhere


# Day tables: the answer of every receipt day and time band, looked up per row -----------------
NO_MOVE = int(np.iinfo(np.int64).min)  # deemed-receipt entry of a receipt that does not move
_BANDED = (WORKING_DAYS, SAME_DAY, CALENDAR_DAYS, MONTHS, HALF_DAYS, HALF_SAME_DAY)


@dataclass
class DayTable:
    """One limit's answers under one policy, for every (calendar day, band of the day).

    Row ``j = (len(marks) + 1) * day_index + band`` answers every receipt of that day whose time
    lies in the band (``band``: how many marks are at or before it). Instants are UTC µs.
    """

    marks: tuple[int, ...]  # µs of the day where an answer can change, ascending
    due: Any  # int64 UTC µs
    date: Any  # int32 days since 1970-01-01 of the due date
    deemed: Any  # int64 UTC µs of the deemed receipt when it moves off the receipt, else NO_MOVE
    provisional: Any  # bool
    uncertain: Any  # bool
    bad: Any  # bool: the scalar engine answers (result outside the calendar, provisional refused)
    bad_count: Any  # int64 prefix counts of ``bad`` (len + 1)


def marks(kind: int, tb: Tables) -> tuple[int, ...] | None:
    """Times of day where an answer of this kind can change (None: it depends on the instant).

    Between two marks, every rule of the days method compares the receipt time with the same
    side of each threshold: the cut-off / closing of step 2 (``as_received``: the cut-off), the
    half-day slot ends of step 5, and "the due clock is before the receipt" (a receipt after
    the clock on its own day is due on the next working day). The answer is then a function of
    the receipt day, except the deemed receipt when it does not move (the receipt itself).
    """
    if kind not in _BANDED:
        return None
    if tb.as_received:
        found = [] if tb.cutoff is None else [tb.cutoff]
    else:
        found = [tb.closing if tb.cutoff is None else min(tb.closing, tb.cutoff)]
    if kind == SAME_DAY and tb.as_received:
        found.append(END_OF_DAY_US + 1 if tb.end_of_day else tb.closing + 1)
    if kind in (HALF_DAYS, HALF_SAME_DAY):
        found += list(tb.slots)
        if kind == HALF_SAME_DAY:
            found.append(tb.slots[1] + 1)
    return tuple(sorted({m for m in found if 0 < m < DAY_US}))


def day_table(kind: int, tb: Tables, par: dict[str, Any], *, refuse_provisional: bool) -> DayTable:
    """Run the kernel of ``kind`` once per (calendar day, band): the table of its answers.

    ``par`` holds one limit's parameters (0-d arrays). The rows are the calendar's days at the
    start of each band (midnight, then each mark), so the table is exact for every receipt.
    """
    cuts = marks(kind, tb)
    if cuts is None:
        raise ValueError(f"kind {kind} has no day table")  # pragma: no cover - caller checks
    idx = np.repeat(np.arange(tb.n, dtype=I64), len(cuts) + 1)
    tod = np.tile(np.asarray((0, *cuts), dtype=I64), tb.n)
    deemed, due, raw, unrolled, bad = run_group(kind, tb, idx, tod, par)
    prov, unc = flags(tb, kind, idx, deemed, due, raw, unrolled)
    if refuse_provisional:
        bad |= prov
    moved = deemed != _local(tb, idx, tod)
    return DayTable(
        marks=cuts,
        due=due - OFFSET_US,
        date=(due // DAY_US).astype(np.int32),
        deemed=np.where(moved, deemed - OFFSET_US, NO_MOVE),
        provisional=prov,
        uncertain=unc,
        bad=bad,
        bad_count=np.concatenate([np.zeros(1, dtype=I64), np.cumsum(bad, dtype=I64)]),
    )


def empty(size: int, dtype: Any) -> Any:
    """An uninitialised array in Arrow's memory pool.

    The pool keeps freed memory for the next call, where numpy's fresh arrays of this size are
    new pages the kernel must fault in and zero (a third of a call's time on 1M rows).
    """
    dt = np.dtype(dtype)
    return np.frombuffer(pa.allocate_buffer(size * dt.itemsize), dtype=dt)


def run_table(t: DayTable, tb: Tables, us: Any) -> tuple[Any, Any, Any, Any, Any, Any]:
    """(due, date, deemed, provisional, uncertain, bad or None) of receipts ``us`` (UTC µs).

    The row of a receipt is ``sum(floor((local + DAY - m) / DAY))`` over ``m`` in (DAY, *marks)
    with ``local`` its µs since the calendar's first midnight: each term is the day index, plus
    one when the time of day is at or after the mark. One gather per output column.
    """
    start = OFFSET_US - tb.base * DAY_US  # UTC µs -> local µs since the calendar's first day
    n = us.shape[0]
    j = np.add(us, start, out=empty(n, I64))
    j //= DAY_US
    due = empty(n, I64)  # a scratch buffer first
    for m in t.marks:
        np.add(us, start + DAY_US - m, out=due)
        due //= DAY_US
        j += due
    size = t.due.shape[0]
    bad = None
    if j.size:
        lo, hi = int(j.min()), int(j.max())
        if lo < 0 or hi >= size:
            bad = (j < 0) | (j >= size)
            np.clip(j, 0, size - 1, out=j)
            lo, hi = max(lo, 0), min(hi, size - 1)
        if t.bad_count[hi + 1] > t.bad_count[lo]:
            bad = t.bad[j] if bad is None else bad | t.bad[j]
    got = [due] + [empty(n, c.dtype) for c in (t.date, t.deemed, t.provisional, t.uncertain)]
    for col, out in zip((t.due, t.date, t.deemed, t.provisional, t.uncertain), got, strict=True):
        np.take(col, j, out=out, mode="clip")  # in range; "clip" writes straight into out
    np.maximum(got[2], us, out=got[2])
    return got[0], got[1], got[2], got[3], got[4], bad
