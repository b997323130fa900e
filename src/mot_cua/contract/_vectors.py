"""The cases behind the conformance vectors, and the library's own answers to them.

Each due-date case carries the answer worked out by hand from the law (the mot_cua rules §3–§5
and the worked examples in docs/conformance.md); :func:`generate` checks that the library gives
that answer before it writes a vector, so a vector never records a wrong answer of the library.
The calendar counts, the explained days, the histories and the route plans record what the
library answers from its sourced data (each vector names the source).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any

from mot_cua.contract.conformance import VECTORS_VERSION, Vector, run_vectors
from mot_cua.errors import InvalidInputError, MotCuaError, brief

__all__ = ["OPERATIONS", "generate", "self_answer"]

_RULES_DUE = "mot_cua rules §3–§4 (Decree 61/2018/NĐ-CP as amended; Civil Code 2015 Art. 147)"
_HANOI = "08:00-12:00,13:00-17:00"
_SLOTS = "11:30,16:00"

# (case, received, limit, extra request fields, expected due date or due moment, what it shows)
_DUE: list[tuple[str, str, str, dict[str, Any], str, str]] = [
    ("01", "2025-01-06T09:00", "3 ngày làm việc", {}, "2025-01-09", "plain working days"),
    ("02", "2025-01-10T10:00", "3 ngày làm việc", {}, "2025-01-15", "over a weekend"),
    ("03", "2025-01-24T10:00", "5 ngày làm việc", {}, "2025-02-07", "crosses Tết 2025"),
    ("04", "2025-01-23T16:00", "trong ngày", {}, "2025-01-24", "same day, after the cut-off"),
    ("05", "2025-01-24T15:30", "trong ngày", {}, "2025-02-03", "same day, cut-off, then Tết"),
    ("06", "2025-01-29T20:00", "3 ngày làm việc", {}, "2025-02-06", "received online in Tết"),
    (
        "06-alt",
        "2025-01-29T20:00",
        "3 ngày làm việc",
        {"method": "working-time", "office_hours": _HANOI},
        "2025-02-05T17:00:00+07:00",
        "working-time method, 8 office hours a day",
    ),
    ("07", "2025-04-25T10:00", "3 ngày làm việc", {}, "2025-04-29", "Sat 26/4/2025 is worked"),
    (
        "07-alt",
        "2025-04-25T10:00",
        "3 ngày làm việc",
        {"worked_saturdays": False},
        "2025-05-05",
        "worked Saturdays ignored",
    ),
    ("08", "2025-04-29T14:00", "2 ngày làm việc", {}, "2025-05-06", "over 30/4, 1/5 and a swap"),
    ("09", "2025-04-26T09:00", "trong ngày", {}, "2025-04-26", "same day on a worked Saturday"),
    (
        "09-alt",
        "2025-04-26T09:00",
        "trong ngày",
        {"worked_saturdays": False},
        "2025-04-28",
        "same day, worked Saturdays ignored",
    ),
    ("10", "2025-04-28T16:00", "1 ngày làm việc", {}, "2025-05-05", "after the 15:00 cut-off"),
    ("10-alt", "2025-04-28T16:00", "1 ngày làm việc", {"cutoff": None}, "2025-04-29", "no cut-off"),
    ("11", "2025-08-29T10:00", "2 ngày làm việc", {}, "2025-09-04", "over National Day 2025"),
    ("12", "2026-08-21T10:00", "1 ngày làm việc", {}, "2026-08-22", "Sat 22/8/2026 is worked"),
    (
        "12-alt",
        "2026-08-21T10:00",
        "1 ngày làm việc",
        {"worked_saturdays": False},
        "2026-08-24",
        "worked Saturdays ignored",
    ),
    ("13", "2026-08-28T09:00", "3 ngày làm việc", {}, "2026-09-07", "over National Day 2026"),
    ("14", "2026-08-27T14:00", "5 ngày làm việc", {}, "2026-09-08", "over National Day 2026"),
    ("15", "2026-02-13T10:00", "3 ngày làm việc", {}, "2026-02-25", "crosses Tết 2026"),
    ("16", "2026-02-12T16:30", "trong ngày", {}, "2026-02-13", "same day, after the cut-off"),
    ("17", "2026-02-13T15:10", "trong ngày", {}, "2026-02-23", "same day, cut-off, then Tết"),
    ("18", "2026-02-17T10:00", "3 ngày làm việc", {}, "2026-02-26", "received online in Tết"),
    ("19", "2026-11-23T10:00", "1 ngày làm việc", {}, "2026-11-25", "24/11 Culture Day off"),
    (
        "19-alt",
        "2026-11-23T10:00",
        "1 ngày làm việc",
        {"culture_day": False},
        "2026-11-24",
        "24/11 not a day off",
    ),
    ("20", "2026-11-09T10:00", "15 ngày", {}, "2026-11-25", "calendar days ending on 24/11"),
    (
        "20-alt",
        "2026-11-09T10:00",
        "15 ngày",
        {"culture_day": False},
        "2026-11-24",
        "calendar days, 24/11 not a day off",
    ),
    ("21", "2025-01-20T10:00", "10 ngày", {}, "2025-02-03", "calendar days ending in Tết"),
    ("22", "2025-07-02T10:00", "10 ngày", {}, "2025-07-14", "calendar days ending on a Saturday"),
    ("23", "2025-04-17T10:00", "15 ngày", {}, "2025-05-05", "calendar days ending on a swap"),
    (
        "23-alt",
        "2025-04-17T10:00",
        "15 ngày",
        {"roll": "statutory"},
        "2025-05-02",
        "only statutory days off roll",
    ),
    ("24", "2025-12-19T10:00", "14 ngày", {}, "2026-01-05", "calendar days ending on 2/1/2026"),
    (
        "24-alt",
        "2025-12-19T10:00",
        "14 ngày",
        {"roll": "statutory"},
        "2026-01-02",
        "only statutory days off roll",
    ),
    ("25", "2025-12-31T10:00", "2 ngày làm việc", {}, "2026-01-06", "the 2026 New Year swap"),
    ("26", "2026-01-09T10:00", "1 ngày làm việc", {}, "2026-01-10", "Sat 10/1/2026 is worked"),
    (
        "27",
        "2025-03-03T09:00",
        "10 ngày làm việc",
        {"pauses": ["2025-03-07T16:00+07:00/2025-03-12T10:00+07:00"]},
        "2025-03-20T17:00:00+07:00",
        "a supplement request pauses the clock",
    ),
    (
        "27-alt",
        "2025-03-03T09:00",
        "10 ngày làm việc",
        {"pauses": ["2025-03-07T16:00+07:00/2025-03-12T10:00+07:00"], "pause_policy": "restart"},
        "2025-03-26T17:00:00+07:00",
        "a supplement request restarts the clock",
    ),
    ("28", "2025-03-06T10:00", "3 ngày làm việc", {}, "2025-03-11", "clock from completeness"),
    (
        "29",
        "2025-01-06T10:00",
        "8 giờ làm việc",
        {"office_hours": _HANOI},
        "2025-01-07T10:00:00+07:00",
        "working hours from the instant",
    ),
    (
        "29-alt",
        "2025-01-06T10:00",
        "8 giờ làm việc",
        {},
        "2025-01-07T10:30:00+07:00",
        "working hours, default office hours",
    ),
    (
        "30",
        "2025-01-24T16:00",
        "2 giờ làm việc",
        {"office_hours": _HANOI},
        "2025-02-03T09:00:00+07:00",
        "working hours over Tết",
    ),
    ("31", "2025-04-27T21:00", "3 ngày làm việc", {}, "2025-05-06", "received online on Sunday"),
    ("32", "2026-04-24T10:00", "3 ngày làm việc", {}, "2026-05-04", "a compensatory day 27/4"),
    ("33", "2024-04-26T10:00", "2 ngày làm việc", {}, "2024-05-03", "over 30/4 and 1/5 2024"),
    ("34", "2024-05-02T10:00", "2 ngày làm việc", {}, "2024-05-04", "Sat 4/5/2024 is worked"),
    ("35", "2024-02-07T14:00", "1 ngày làm việc", {}, "2024-02-15", "over Tết 2024"),
    ("36", "2025-03-03T10:00", "30 ngày làm việc", {}, "2025-04-15", "20 + 10 days extended"),
    (
        "36-alt",
        "2025-03-03T10:00",
        "30 ngày làm việc",
        {"pauses": ["2025-03-20T09:00+07:00/2025-03-27T09:00+07:00"]},
        "2025-04-22",
        "extended, with 5 working days of tax payment excluded",
    ),
    ("38", "2026-02-14T09:00", "trong ngày", {}, "2026-02-23", "same day, online on Saturday"),
    ("39", "2026-03-07T09:00", "3 ngày làm việc", {}, "2026-03-12", "a Saturday receipt"),
    (
        "40",
        "2026-03-02T08:00",
        "5 ngày làm việc",
        {"method": "half-days", "half_day_slots": _SLOTS},
        "2026-03-09T11:30:00+07:00",
        "half-day slots, morning",
    ),
    (
        "41",
        "2026-03-02T14:00",
        "5 ngày làm việc",
        {"method": "half-days", "half_day_slots": _SLOTS},
        "2026-03-09T16:00:00+07:00",
        "half-day slots, afternoon",
    ),
    (
        "42",
        "2026-03-06T10:00",
        "0.5 ngày làm việc",
        {"method": "half-days", "half_day_slots": _SLOTS},
        "2026-03-06T16:00:00+07:00",
        "half a day from the morning",
    ),
    (
        "43",
        "2026-03-06T14:00",
        "0.5 ngày làm việc",
        {"method": "half-days", "half_day_slots": _SLOTS},
        "2026-03-09T11:30:00+07:00",
        "half a day from the afternoon",
    ),
    (
        "44",
        "2026-03-02T09:00",
        "1.5 ngày làm việc",
        {"method": "half-days", "half_day_slots": _SLOTS},
        "2026-03-03T16:00:00+07:00",
        "1.5 days is never truncated to 1",
    ),
]

# Requests every implementation must refuse, and the error type it must give.
_DUE_ERRORS = [
    (
        "unreadable-limit",
        {"received": "2025-01-06T09:00+07:00", "limit": "3 ngày lm việc"},
        "time_limit_parse",
        "a limit that is not a time limit",
    ),
    (
        "beyond-the-calendar",
        {"received": "2099-01-06T09:00+07:00", "limit": "3 ngày làm việc"},
        "calendar_range",
        "a receipt outside the calendar's years",
    ),
    (
        "not-an-instant",
        {"received": "06/01/2025 09:00", "limit": "3 ngày làm việc"},
        "invalid_input",
        "a receipt that is not ISO 8601",
    ),
]

# Row 37 of the worked examples: the latest apology date before a due date.
_APOLOGY = [
    ("37", "2025-05-05", "working_day", "2025-04-29"),
    ("37-alt", "2025-05-05", "calendar_day", "2025-05-04"),
]

# Days worth explaining: Tết, swaps, worked Saturdays, compensatory days, Culture Day, plain days.
_DAYS = [
    ("2025-01-29", True),
    ("2025-04-26", True),
    ("2025-05-02", True),
    ("2025-09-01", True),
    ("2026-01-02", True),
    ("2026-01-10", True),
    ("2026-02-17", True),
    ("2026-04-27", True),
    ("2026-08-22", True),
    ("2026-11-24", True),
    ("2026-11-24", False),
    ("2024-05-04", True),
    ("2025-03-09", True),
    ("2025-03-10", True),
]


def _due_vectors() -> list[Vector]:
    out: list[Vector] = []
    for case, received, limit, extra, answer, what in _DUE:
        request = {"received": f"{received}+07:00", "limit": limit, **extra, "trace": False}
        key = "due_at" if "T" in answer else "due_date"
        expected: dict[str, Any] = {key: answer}
        got = _answer("due", request)
        if got.get(key) != answer:
            raise InvalidInputError(
                f"worked example {case}: the library answers {brief(got.get(key))}, the worked "
                f"answer is {brief(answer)}; fix the library or the case before publishing"
            )
        expected = {
            "due_date": got["due_date"],
            "due_at": got["due_at"],
            "deemed_receipt": got["deemed_receipt"],
            "provisional": got["provisional"],
        }
        out.append(
            Vector(
                id=f"due-row-{case}",
                source=f"{_RULES_DUE}; worked example {case.removesuffix('-alt')}",
                operation="due",
                input=request,
                expected=expected,
                description=what,
            )
        )
    for name, request, kind, what in _DUE_ERRORS:
        got = _answer("due", request)
        if got.get("error", {}).get("type") != kind:
            raise InvalidInputError(f"due error case {name}: the library answers {got}")
        out.append(
            Vector(
                id=f"due-error-{name}",
                source="mot_cua contract 1.0 (error objects)",
                operation="due",
                input=request,
                expected={"error": {"type": kind}},
                description=what,
            )
        )
    for case, due, reading, answer in _APOLOGY:
        request = {"due_date": due, "reading": reading}
        got = _answer("apology_date", request)
        if got["latest_apology_date"] != answer:
            raise InvalidInputError(f"worked example {case}: the library answers {got}")
        out.append(
            Vector(
                id=f"apology-row-{case}",
                source="Decree 61/2018/NĐ-CP Art. 18 (apology one day before the due date); "
                "mot_cua rules §5; worked example 37",
                operation="apology_date",
                input=request,
                expected=got,
                description=f"the latest apology date, {reading.replace('_', ' ')} reading",
            )
        )
    return out


def _calendar_vectors() -> list[Vector]:
    from mot_cua.calendar import WorkingCalendar

    cal = WorkingCalendar.vietnam()
    out: list[Vector] = []
    source = (
        "Labour Code 2019 Art. 112, Decision 188/1999/QĐ-TTg and the Government's yearly "
        "swap notices, as mot_cua's calendar records them (mot_cua rules §2)"
    )
    for year in range(cal.first_year, cal.last_year + 1):
        got = _answer("calendar_year", {"year": year})
        expected = {
            "year": year,
            "working_days": got["working_days"],
            "provisional": got["provisional"],
            "days_off": [{"date": d["date"], "kind": d["kind"]} for d in got["days_off"]],
            "worked_days": [{"date": d["date"], "kind": d["kind"]} for d in got["worked_days"]],
        }
        flag = (
            " (provisional: the official schedule is not published)" if got["provisional"] else ""
        )
        out.append(
            Vector(
                id=f"calendar-{year}",
                source=source,
                operation="calendar_year",
                input={"year": year},
                expected=expected,
                description=f"{got['working_days']} working days in {year}{flag}",
            )
        )
    for day, culture in _DAYS:
        request: dict[str, Any] = {"date": day}
        if not culture:
            request["culture_day"] = False
        got = _answer("explain_day", request)
        out.append(
            Vector(
                id=f"explain-{day}" + ("" if culture else "-no-culture-day"),
                source=str(got["source"]) or source,
                operation="explain_day",
                input=request,
                expected={k: got[k] for k in ("date", "working", "kind", "provisional")},
                description=str(got["label_en"] or got["label"]),
            )
        )
    return out


def _event(event: str, at: str, **payload: Any) -> dict[str, Any]:
    return {"event": event, "at": f"{at}+07:00", **payload}


_ROW27 = [
    _event("receive", "2025-03-03T09:00", actor="desk"),
    _event("start", "2025-03-03T10:00", actor="handler"),
    _event("request_supplement", "2025-03-07T16:00", missing=["Tờ khai (mẫu 01)"]),
    _event("supplement", "2025-03-12T10:00"),
    _event("resolve", "2025-03-19T15:00", outcome="approved"),
    _event("return_result", "2025-03-20T09:00"),
]

# (id, description, events, the procedure's limit)
_HISTORIES: list[tuple[str, str, list[dict[str, Any]], str]] = [
    (
        "row-27-on-time",
        "worked example 27: a supplement pauses the clock",
        _ROW27,
        "10 ngày làm việc",
    ),
    (
        "late",
        "resolved after the due date without an apology",
        [
            _event("receive", "2025-01-06T09:00"),
            _event("start", "2025-01-06T10:00"),
            _event("resolve", "2025-01-13T10:00", outcome="approved"),
            _event("return_result", "2025-01-13T11:00"),
        ],
        "3 ngày làm việc",
    ),
    (
        "result-before-resolution",
        "the result cannot be returned before the dossier is resolved",
        [_event("receive", "2025-03-03T09:00"), _event("return_result", "2025-03-04T09:00")],
        "10 ngày làm việc",
    ),
    (
        "supplement-without-request",
        "a supplement arrives without a request for one",
        [
            _event("receive", "2025-03-03T09:00"),
            _event("start", "2025-03-03T10:00"),
            _event("supplement", "2025-03-05T10:00"),
        ],
        "10 ngày làm việc",
    ),
    (
        "refusal-without-reason",
        "a refusal must state its reasons",
        [_event("submit", "2025-03-01T20:00"), _event("refuse", "2025-03-03T09:00")],
        "10 ngày làm việc",
    ),
    (
        "refusal-with-reason",
        "a refused submission, with its reasons",
        [
            _event("submit", "2025-03-01T20:00"),
            _event("refuse", "2025-03-03T09:00", reason="Không thuộc thẩm quyền"),
        ],
        "10 ngày làm việc",
    ),
    (
        "denial-without-reason",
        "a denial must state its reasons in writing",
        [
            _event("receive", "2025-03-03T09:00"),
            _event("start", "2025-03-03T10:00"),
            _event("resolve", "2025-03-05T10:00", outcome="denied"),
        ],
        "10 ngày làm việc",
    ),
]


def _lifecycle_vectors() -> list[Vector]:
    out: list[Vector] = []
    source = "Decree 61/2018/NĐ-CP Art. 15–19 and Decree 118/2025/NĐ-CP (mot_cua rules §3, §5, §6)"
    for name, what, events, limit in _HISTORIES:
        request = {"procedure": {"time_limit": limit}, "events": events}
        checked = _answer("validate_history", {"events": events})
        out.append(
            Vector(
                id=f"history-validate-{name}",
                source=source,
                operation="validate_history",
                input={"events": events},
                expected={k: checked[k] for k in ("valid", "state", "index", "event")},
                description=what,
            )
        )
        replayed = _answer("replay", request)
        if "error" in replayed:
            keys = [k for k in ("type", "index", "event", "state") if k in replayed["error"]]
            expected: dict[str, Any] = {"error": {k: replayed["error"][k] for k in keys}}
        else:
            keys = ["status", "national_status_code", "due_at", "timeliness", "paused"]
            expected = {k: replayed[k] for k in keys}
            expected["findings"] = [{"code": f["code"]} for f in replayed["findings"]]
        out.append(
            Vector(
                id=f"history-replay-{name}",
                source=source,
                operation="replay",
                input=request,
                expected=expected,
                description=what,
            )
        )
    return out


def _apology(data: Mapping[str, Any]) -> dict[str, Any]:
    from mot_cua.deadlines import latest_apology_date

    unknown = set(data) - {"due_date", "reading"}
    if unknown:
        raise InvalidInputError(
            f"unknown field {brief(sorted(unknown)[0])}", field=sorted(unknown)[0]
        )
    try:
        due = dt.date.fromisoformat(str(data.get("due_date")))
    except ValueError as exc:
        raise InvalidInputError("due_date must be an ISO date", field="due_date") from exc
    reading = data.get("reading", "working_day")
    if reading not in ("working_day", "calendar_day"):
        raise InvalidInputError("reading is working_day or calendar_day", field="reading")
    return {"latest_apology_date": latest_apology_date(due, reading=reading).isoformat()}


@functools.cache
def _operations() -> dict[str, Callable[[Any], dict[str, Any]]]:
    from mot_cua import contract

    ops: dict[str, Callable[[Any], dict[str, Any]]] = {
        "due": contract.handle_due,
        "apology_date": _apology,
        "classify": _classify,
    }
    for name, attr in (
        ("calendar_year", "handle_calendar_year"),
        ("explain_day", "handle_explain_day"),
        ("validate_history", "handle_history_validate"),
        ("replay", "handle_replay"),
        ("route_plan", "handle_route_plan"),
        ("route_track", "handle_route_track"),
    ):
        handler = getattr(contract, attr, None)
        if handler is not None:
            ops[name] = handler
    return ops


#: The operations the vectors use (those the installed contract provides).
OPERATIONS: tuple[str, ...] = (
    "due",
    "apology_date",
    "calendar_year",
    "explain_day",
    "validate_history",
    "replay",
    "route_plan",
    "route_track",
    "classify",
)


def _answer(operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
    handler = _operations().get(operation)
    if handler is None:
        raise InvalidInputError(f"unknown operation {brief(operation)}", field="operation")
    try:
        return handler(request)
    except MotCuaError as exc:
        from mot_cua.contract import error_object

        return error_object(exc)


def self_answer(vector: Vector) -> dict[str, Any]:
    """The library's answer to a vector: the contract handler's output or its error object.

    Example:
        >>> v = Vector("x", "s", "due", {"received": "2025-01-06T09:00", "limit": "1 ngày"}, {})
        >>> self_answer(v)["due_date"]
        '2025-01-07'
    """
    return _answer(vector.operation, vector.input)


def generate() -> dict[str, dict[str, Any]]:
    """Every vector file, name → content, from the library's current answers.

    Returns:
        ``{"due.json": {"version", "operations", "vectors": [...]}, ...}``.

    Raises:
        InvalidInputError: the library disagrees with a worked example (nothing is written).
    """
    groups = {
        "due.json": _due_vectors(),
        "calendar.json": _calendar_vectors(),
        "lifecycle.json": _lifecycle_vectors(),
        "routes.json": _route_vectors(),
        "indicators.json": _indicator_vectors(),
    }
    files: dict[str, dict[str, Any]] = {}
    for name, vectors in groups.items():
        report = run_vectors(vectors, self_answer)
        if not report.ok:  # pragma: no cover - a generator bug
            raise InvalidInputError(f"{name}: the generated vectors fail: {report.mismatches[0]}")
        files[name] = {
            "version": VECTORS_VERSION,
            "operations": sorted({v.operation for v in vectors}),
            "vectors": [v.to_json() for v in vectors],
        }
    return files


_WD = "ngày làm việc"
_BIRTH = {"thuong-tru": f"2 {_WD}", "bhyt": f"1.5 {_WD}"}
_LAND = {
    "tiep-nhan": f"0.5 {_WD}",
    "xac-nhan-xa": f"5 {_WD}",
    "tham-dinh": f"9 {_WD}",
    "ky-cap": f"5 {_WD}",
    "tra-ket-qua": f"0.5 {_WD}",
}
_SIMPLE = {
    "id": "simple",
    "limit": f"4 {_WD}",
    "desk": "desk",
    "lead_agency": "a",
    "stages": [
        {"steps": [{"agency": "desk", "action": "receive", "budget": f"0.5 {_WD}"}]},
        {"steps": [{"agency": "a", "action": "verify", "budget": f"2 {_WD}"}]},
        {"steps": [{"agency": "b", "action": "sign", "budget": f"1 {_WD}"}]},
        {"steps": [{"agency": "desk", "action": "return", "budget": f"0.5 {_WD}"}]},
    ],
}
_ROUTE_SOURCE = (
    "mot_cua rules §7 (inter-agency routing; Decree 63/2024/NĐ-CP, Decree 101/2024/NĐ-CP); "
    "step budgets no source gives are example values set in the request"
)
# (id, what, request)
_PLANS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "birth-over-tet-2025",
        "birth registration with residence and health insurance, received before Tết 2025",
        {"route": "decree63-birth", "received": "2025-01-24T10:00+07:00", "budgets": _BIRTH},
    ),
    (
        "land-over-30-4-2025",
        "first land registration over the worked Saturday 26/4 and 30/4–2/5/2025",
        {
            "route": "land-first-registration",
            "received": "2025-04-17T09:00+07:00",
            "budgets": _LAND,
        },
    ),
    (
        "land-worked-saturdays-ignored",
        "the same, counted by a system that ignores worked Saturdays",
        {
            "route": "land-first-registration",
            "received": "2025-04-17T09:00+07:00",
            "budgets": _LAND,
            "worked_saturdays": False,
        },
    ),
    (
        "land-extended",
        "the same in a disadvantaged commune (20 + 10 working days)",
        {
            "route": "land-first-registration",
            "received": "2025-04-17T09:00+07:00",
            "budgets": _LAND,
            "extended": True,
        },
    ),
    (
        "simple-route-object",
        "a route given as an object: desk, two agencies, desk",
        {"route": _SIMPLE, "received": "2025-03-03T09:00+07:00"},
    ),
    (
        "birth-without-budgets",
        "a template whose unsourced budgets are not set is refused",
        {"route": "decree63-birth", "received": "2025-03-03T09:00+07:00"},
    ),
]
_TRACKS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "simple-late-at-agency-a",
        "agency a hands over two working days late: it owes the apology",
        {
            "route": _SIMPLE,
            "received_at": "2025-03-03T09:00+07:00",
            "handovers": [
                {"from": "desk", "to": "a", "at": "2025-03-04T10:00+07:00"},
                {"from": "a", "to": "b", "at": "2025-03-10T10:00+07:00", "note": "chậm"},
                {"from": "b", "to": "desk", "at": "2025-03-11T09:00+07:00"},
            ],
            "finished_at": "2025-03-11T14:30+07:00",
            "now": "2025-03-12T09:00+07:00",
        },
    ),
    (
        "simple-behind-now",
        "in progress: agency a is behind schedule now",
        {
            "route": _SIMPLE,
            "received_at": "2025-03-03T09:00+07:00",
            "handovers": [{"from": "desk", "to": "a", "at": "2025-03-04T10:00+07:00"}],
            "now": "2025-03-07T10:00+07:00",
        },
    ),
]


# Due moments of the plans worked out by hand (working days counted on the calendar).
_PLAN_DUE = {
    "birth-over-tet-2025": "2025-02-05T17:00:00+07:00",
    "land-over-30-4-2025": "2025-05-19T17:00:00+07:00",
    "land-worked-saturdays-ignored": "2025-05-20T17:00:00+07:00",
    "land-extended": "2025-06-02T17:00:00+07:00",
}


def _route_vectors() -> list[Vector]:
    out: list[Vector] = []
    for name, what, request in _PLANS:
        got = _answer("route_plan", request)
        if name in _PLAN_DUE and got.get("due_at") != _PLAN_DUE[name]:
            raise InvalidInputError(f"route plan {name}: the library answers {got.get('due_at')}")
        if "error" in got:
            expected: dict[str, Any] = {"error": {"type": got["error"]["type"]}}
        else:
            expected = {k: got[k] for k in ("due_at", "path_due_at", "provisional")}
            expected["steps"] = [
                {
                    "key": st["key"],
                    "planned_start": st["planned_start"],
                    "planned_due": st["planned_due"],
                }
                for st in got["steps"]
            ]
        out.append(
            Vector(f"route-plan-{name}", _ROUTE_SOURCE, "route_plan", request, expected, what)
        )
    for name, what, request in _TRACKS:
        got = _answer("route_track", request)
        keys = ("due_at", "late", "late_steps", "responsible_agency", "behind_now")
        expected = {k: got[k] for k in keys if k in got}
        expected["steps"] = [
            {"state": st["state"], "timeliness": st.get("timeliness")} for st in got["steps"]
        ]
        out.append(
            Vector(f"route-track-{name}", _ROUTE_SOURCE, "route_track", request, expected, what)
        )
    return out


def _classify(data: Mapping[str, Any]) -> dict[str, Any]:
    """One dossier's classification for a period (Decision 766; mot_cua indicators §B)."""
    from mot_cua.indicators import (
        DossierRecord,
        IndicatorPolicy,
        Period,
        classify,
        parse_timestamp,
    )

    unknown = set(data) - {"record", "period", "as_of", "policy"}
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidInputError(f"unknown field {brief(name)}", field=name)
    record = data.get("record")
    if not isinstance(record, Mapping):
        raise InvalidInputError("record must be a flat record object", field="record")
    policy = data.get("policy") or {}
    if not isinstance(policy, Mapping):
        raise InvalidInputError("policy must be an object", field="policy")
    as_of = data.get("as_of")
    c = classify(
        DossierRecord.from_flat(record, line=1),
        Period.parse(str(data.get("period"))),
        IndicatorPolicy.from_pairs(f"{k}={v}" for k, v in policy.items()),
        as_of=None if as_of is None else parse_timestamp(str(as_of), name="as_of"),
    )
    return {
        "code": c.code,
        "outcome": None if c.outcome is None else str(c.outcome),
        "counted": c.counted,
        "received_in_period": c.received_in_period,
        "carried_over": c.carried_over,
        "resolved": c.resolved,
        "pending": c.pending,
        "end_kind": c.end_kind,
        "supplement_requests": c.supplement_requests,
    }


def _rec(code: str, received: str, due: str | None, **cells: str) -> dict[str, str]:
    row = {"MaHoSo": code, "KenhThucHien": "1", "NgayTiepNhan": received}
    if due is not None:
        row["NgayHenTra"] = due
    return row | cells


# (id, what, request, the outcome worked out from mot_cua indicators §B)
_CLASSIFY: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "early",
        "resolved on a date before the appointment's",
        {
            "record": _rec(
                "E", "2026-03-02T08:30", "2026-03-05T17:00", NgayXuLyXong="2026-03-04T10:00"
            )
        },
        "early",
    ),
    (
        "on-time-same-date",
        "resolved on the appointment's date (by_date: on time)",
        {
            "record": _rec(
                "T", "2026-03-02T08:30", "2026-03-05T10:00", NgayXuLyXong="2026-03-05T16:00"
            )
        },
        "on_time",
    ),
    (
        "late-by-instant",
        "the same with the by_instant policy: late",
        {
            "record": _rec(
                "I", "2026-03-02T08:30", "2026-03-05T10:00", NgayXuLyXong="2026-03-05T16:00"
            ),
            "policy": {"boundary": "by_instant"},
        },
        "late",
    ),
    (
        "late",
        "resolved after the appointment",
        {
            "record": _rec(
                "L", "2026-03-02T08:30", "2026-03-05T17:00", NgayXuLyXong="2026-03-06T09:00"
            )
        },
        "late",
    ),
    (
        "resolved-beats-returned",
        "resolved in time, returned late: the citizen's pick-up never counts",
        {
            "record": _rec(
                "R",
                "2026-03-02T08:30",
                "2026-03-05T17:00",
                NgayXuLyXong="2026-03-05T09:00",
                NgayTraKetQua="2026-03-10T09:00",
            )
        },
        "on_time",
    ),
    (
        "supplement-time-removed",
        "resolved after the appointment; less the six days of the supplement round, early",
        {
            "record": _rec(
                "S",
                "2026-03-02T08:30",
                "2026-03-05T17:00",
                NgayXuLyXong="2026-03-10T09:00",
                BoSung="2026-03-03T08:00/2026-03-09T08:00",
            )
        },
        "early",
    ),
    (
        "two-supplement-requests",
        "more than one supplement request is late whatever the times",
        {
            "record": _rec(
                "S2",
                "2026-03-02T08:30",
                "2026-03-20T17:00",
                NgayXuLyXong="2026-03-10T10:00",
                BoSung="2026-03-03T08:00/2026-03-04T08:00;2026-03-05T08:00/2026-03-06T08:00",
            )
        },
        "late",
    ),
    (
        "withdrawn",
        "a withdrawal after receipt counts as on time",
        {
            "record": _rec(
                "W", "2026-03-02T08:30", "2026-03-05T17:00", NgayRutHoSo="2026-03-09T10:00"
            )
        },
        "on_time",
    ),
    (
        "pending-overdue-carried-over",
        "received in February, due 3/3, still pending at the end of March",
        {"record": _rec("P1", "2026-02-20T09:00", "2026-03-03T17:00")},
        "overdue",
    ),
    (
        "pending-within-time",
        "pending at the period end with its appointment after it",
        {"record": _rec("P2", "2026-03-25T09:00", "2026-04-08T17:00")},
        "within_time",
    ),
]


def _indicator_vectors() -> list[Vector]:
    source = "Decision 766/QĐ-TTg (2022), metric 2.1 and form II.06a (mot_cua indicators §B, §C)"
    out: list[Vector] = []
    for name, what, request, outcome in _CLASSIFY:
        request = {"period": "2026-03", **request}
        got = _answer("classify", request)
        if got.get("outcome") != outcome:
            raise InvalidInputError(f"classification {name}: the library answers {got}")
        keys = ("outcome", "counted", "carried_over", "resolved", "pending")
        out.append(
            Vector(
                f"classify-{name}",
                source,
                "classify",
                request,
                {k: got[k] for k in keys},
                what,
            )
        )
    return out
