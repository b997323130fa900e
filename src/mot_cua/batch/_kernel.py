"""numpy kernels: the exact semantics of :func:`mot_cua.compute_due` on columns.

Every function works on one policy group. Instants are int64 microseconds; days are calendar
indexes (``idx``: days since the calendar's first day). Each kernel returns its answer and a
``fallback`` mask of rows it does not answer (a result outside the calendar, a limit so large
that the scalar engine's size check applies): those rows go to the scalar engine, which gives
the exact answer or the exact error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

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


def tables(cal: WorkingCalendar, policy: DeadlinePolicy) -> Tables:
    """The numpy tables of a calendar (already without worked Saturdays when the policy says so)."""
    cum, nth, base = cal._tables()
    p = _derived(policy)
    epoch = 719_163  # date(1970, 1, 1).toordinal()
    pending = np.asarray(cal._pending_ords, dtype=I64) - epoch
    return Tables(
        cum=cum,
        nth=nth,
        work=np.frombuffer(cal._work, dtype=np.uint8),
        base=int(base),
        n=cal._n,
        nwork=cal._nwork,
        prov_epoch=cal._prov_ord - epoch,
        pending=pending,
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
    )


class Clock:
    """Working-day arithmetic on calendar indexes, recording rows whose result leaves the table."""

    def __init__(self, tb: Tables, size: int) -> None:
        self.tb = tb
        self.bad = np.zeros(size, dtype=bool)

    def _nth(self, k: Any) -> Any:
        """Index of the k-th working day; rows with k out of range are marked and clamped."""
        out = (k < 0) | (k >= self.tb.nwork)
        self.bad |= out
        return self.tb.nth[np.where(out, 0, k)] - self.tb.base

    def idx_ok(self, idx: Any) -> Any:
        out = (idx < 0) | (idx >= self.tb.n)
        self.bad |= out
        return np.where(out, 0, idx)

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
        """Office time from an office instant; a result exactly at a session's end stays."""
        tb = self.tb
        day, t = idx.copy(), tod.copy()
        remaining = seconds.astype(I64).copy()
        done = seconds <= 0
        for a, b in zip(tb.starts, tb.ends, strict=True):
            start = np.maximum(a, tod)
            avail = np.where(b > start, (b - start) // US, 0)
            hit = ~done & (remaining <= avail)
            t = np.where(hit, start + remaining * US, t)
            done |= hit
            remaining = np.where(done, remaining, remaining - avail)
        full, rest = np.divmod(remaining, tb.day_len)
        whole = rest == 0
        full, rest = np.where(whole, full - 1, full), np.where(whole, tb.day_len, rest)
        rest_day = self.add(idx, np.where(done, 1, full + 1))
        rest_t = np.zeros_like(t)
        placed = done.copy()
        for a, b in zip(tb.starts, tb.ends, strict=True):
            length = (b - a) // US
            hit = ~placed & (rest <= length)
            rest_t = np.where(hit, a + rest * US, rest_t)
            placed |= hit
            rest = np.where(placed, rest, rest - length)
        return np.where(done, day, rest_day), np.where(done, t, rest_t)

    def deemed(self, idx: Any, tod: Any) -> tuple[Any, Any]:
        """Step 2 (``next_working_day``): the deemed day, and whether it moved off the receipt."""
        tb = self.tb
        w = self.working(idx)
        late = tod >= tb.closing
        if tb.cutoff is not None:
            late |= tod >= tb.cutoff
        moved = ~w | late
        e = np.where(~w, self.add(idx, np.zeros_like(idx)), idx)
        e = np.where(w & late, self.add(idx, np.ones_like(idx)), e)
        return e, moved

    def clock(self) -> int:
        return END_OF_DAY_US if self.tb.end_of_day else self.tb.closing


# Unit kinds a policy group is split into (the scalar engine answers everything else).
WORKING_DAYS, SAME_DAY, CALENDAR_DAYS, OFFICE_TIME, HOURS, IMMEDIATELY, SCALAR = range(7)


def _local(tb: Tables, idx: Any, tod: Any) -> Any:
    """Local µs of a (calendar index, µs of the day) pair."""
    return (idx.astype(I64) + tb.base) * DAY_US + tod


def run_group(
    kind: int, tb: Tables, idx: Any, tod: Any, par: dict[str, Any]
) -> tuple[Any, Any, Any, Any, Any]:
    """(deemed, due, raw, unrolled, fallback) for rows of one unit kind, as local µs/indexes."""
    c = Clock(tb, idx.shape[0])
    received = _local(tb, idx, tod)
    raw = np.full(idx.shape, -1, dtype=I64)
    unrolled = np.full(idx.shape, -1, dtype=I64)
    if kind in (WORKING_DAYS, SAME_DAY, CALENDAR_DAYS):
        e, moved = c.deemed(idx, tod)
        deemed = np.where(moved, _local(tb, e, np.full_like(tod, tb.opening)), received)
        if kind == WORKING_DAYS:
            due = _working_days(c, e, par)
        elif kind == SAME_DAY:
            y = np.where(c.working(e), e, c.add(e, np.zeros_like(e)))
            due = _local(tb, y, np.full_like(tod, c.clock()))
            before = due < received
            if before.any():
                later = _local(tb, c.add(y, np.ones_like(y)), np.full_like(tod, c.clock()))
                due = np.where(before, later, due)
        else:
            end = c.idx_ok(e + par["days"])
            unrolled = end
            rolled = np.where(c.working(end), end, c.add(end, np.zeros_like(end)))
            due = _local(tb, rolled, np.full_like(tod, c.clock()))
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
    c.idx_ok(due // DAY_US - tb.base)
    return deemed, due, raw, unrolled, c.bad


def _working_days(c: Clock, e: Any, par: dict[str, Any]) -> Any:
    """Step 3: whole working days after the deemed day, then the fraction as office time."""
    tb = c.tb
    whole = par["whole"]
    y = np.where(whole > 0, c.add(e, whole), e)
    due = _local(tb, y, np.full_like(y, c.clock()))
    frac = par["has_frac"]
    if frac.any():
        nxt = c.add(y, np.ones_like(y))
        fd, ft = c.add_office_seconds(nxt, np.full_like(nxt, tb.opening), par["frac_secs"])
        due = np.where(frac, _local(tb, fd, ft), due)
    return due


def flags(
    tb: Tables, kind: int, day0: Any, deemed: Any, due: Any, raw: Any, unrolled: Any
) -> tuple[Any, Any]:
    """(provisional, uncertain) per row: step 12, and pending days inside the spans."""
    base = tb.base
    due_day = due // DAY_US
    top = np.maximum(due_day, day0 + base)
    provisional = top >= tb.prov_epoch
    if tb.pending.size == 0:
        return provisional, np.zeros(due.shape, dtype=bool)

    def hit(lo: Any, hi: Any) -> Any:
        a = np.searchsorted(tb.pending, lo, side="left")
        b = np.searchsorted(tb.pending, hi, side="right")
        return (b > a) & (lo <= hi)

    if kind == HOURS:
        if not tb.roll_hours:
            uncertain = np.zeros(due.shape, dtype=bool)
        else:
            lo = np.where(raw >= 0, raw, due) // DAY_US
            uncertain = hit(lo, due_day)
    elif kind == CALENDAR_DAYS:
        uncertain = hit(day0 + base, deemed // DAY_US) | hit(unrolled + base, due_day)
    else:
        uncertain = hit(day0 + base, top)
    # compute_due only looks when a pending day lies in [receipt date, top].
    return provisional, uncertain & hit(day0 + base, top)
