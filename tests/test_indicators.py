"""The per-dossier reference and the report (mot_cua.indicators), case by case.

Each case names the rule of docs/indicators.md (§B one dossier, §C the report) it checks.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mot_cua import VN_TZ, Lifecycle
from mot_cua.errors import InvalidInputError, RecordError, ReportConsistencyError
from mot_cua.indicators import (
    COLUMNS,
    METRICS,
    Classification,
    DossierRecord,
    IndicatorPolicy,
    MetricCounts,
    Period,
    Report,
    ReportRow,
    build_metrics,
    classify,
    limit_bounds,
    parse_rounds,
    parse_timestamp,
    record_from_dossier,
    report,
    score_metric,
)
from mot_cua.limits import TimeLimit
from mot_cua.testing import make_dossier

MARCH = Period.parse("2026-03")


def t(text: str) -> dt.datetime:
    """Local time from 'MM-DD HH:MM' in 2026 (or a full ISO text)."""
    if len(text) == 11:
        text = f"2026-{text[:5]}T{text[6:]}"
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


def rec(received: str, **kw: object) -> DossierRecord:
    data: dict[str, object] = {"code": "X", "channel": 1, "received_at": t(received)}
    for key, value in kw.items():
        data[key] = t(value) if isinstance(value, str) and key.endswith("_at") else value
    return DossierRecord.model_validate(data)


# --------------------------------------------------------------------------------------------
# §B: one dossier
# --------------------------------------------------------------------------------------------

CASES = [
    # (name, record, expected outcome)  — March 2026, period end 2026-04-01 00:00.
    (
        "early: adjusted end the day before",
        rec("03-02 08:00", due_at="03-04 17:00", resolved_at="03-03 16:00"),
        "early",
    ),
    (
        "on time: same day, after the hour (by_date)",
        rec("03-02 08:00", due_at="03-04 11:00", resolved_at="03-04 16:00"),
        "on_time",
    ),
    (
        "late: the next day",
        rec("03-02 08:00", due_at="03-04 17:00", resolved_at="03-05 08:00"),
        "late",
    ),
    (
        "resolved wins over returned: pick-up delay never counts",
        rec(
            "03-02 08:00",
            due_at="03-04 17:00",
            resolved_at="03-04 10:00",
            returned_at="03-20 10:00",
        ),
        "on_time",
    ),
    (
        "returned when not resolved",
        rec("03-02 08:00", due_at="03-04 17:00", returned_at="03-06 10:00"),
        "late",
    ),
    (
        "stopped: classified by its time",
        rec("03-02 08:00", due_at="03-10 17:00", stopped_at="03-05 10:00"),
        "early",
    ),
    (
        "withdrawn: on time whatever the times",
        rec("03-02 08:00", due_at="03-03 17:00", withdrawn_at="03-20 10:00"),
        "on_time",
    ),
    (
        "one supplement round removed: late becomes on time",
        rec(
            "03-02 08:00",
            due_at="03-04 17:00",
            resolved_at="03-09 10:00",
            supplements=parse_rounds("2026-03-03T08:00/2026-03-08T08:00"),
        ),
        "on_time",
    ),
    (
        "two supplement requests: late whatever the times",
        rec(
            "03-02 08:00",
            due_at="03-20 17:00",
            resolved_at="03-05 10:00",
            supplements=parse_rounds(
                "2026-03-03T08:00/2026-03-03T09:00;2026-03-04T08:00/2026-03-04T09:00"
            ),
        ),
        "late",
    ),
    (
        "payment pause removed like a supplement",
        rec(
            "03-02 08:00",
            due_at="03-04 17:00",
            resolved_at="03-06 10:00",
            payments=parse_rounds("2026-03-03T08:00/2026-03-05T08:00"),
        ),
        "on_time",
    ),
    (
        "pending within time at the period end",
        rec("03-20 08:00", due_at="04-03 17:00"),
        "within_time",
    ),
    ("pending overdue at the period end", rec("03-20 08:00", due_at="03-31 17:00"), "overdue"),
    (
        "pending, appointment exactly at the period end: within time",
        rec("03-20 08:00", due_at="04-01 00:00"),
        "within_time",
    ),
    (
        "pending, closed supplement time removed",
        rec(
            "03-20 08:00",
            due_at="03-30 17:00",
            supplements=parse_rounds("2026-03-21T08:00/2026-03-25T08:00"),
        ),
        "within_time",
    ),
    (
        "waiting for a supplement: within time",
        rec("03-02 08:00", due_at="03-04 17:00", supplements=parse_rounds("2026-03-03T08:00/")),
        "within_time",
    ),
    (
        "waiting but two requests: overdue",
        rec(
            "03-02 08:00",
            due_at="03-30 17:00",
            supplements=parse_rounds("2026-03-03T08:00/2026-03-04T08:00;2026-03-10T08:00/"),
        ),
        "overdue",
    ),
    (
        "resolved after the period: pending at its end",
        rec("03-25 08:00", due_at="03-27 17:00", resolved_at="04-02 10:00"),
        "overdue",
    ),
    (
        "no appointment: 3 working days, on the 3rd working day",
        rec("03-16 08:00", time_limit="3 ngày làm việc", resolved_at="03-19 16:00"),
        "on_time",
    ),
    (
        "no appointment: over the weekend is still on time (Fri → Mon)",
        rec("03-11 08:00", time_limit="2 ngày làm việc", resolved_at="03-14 10:00"),
        "on_time",
    ),
    (
        "no appointment: one working day over",
        rec("03-11 08:00", time_limit="2 ngày làm việc", resolved_at="03-16 10:00"),
        "late",
    ),
    (
        "no appointment: 10 calendar days",
        rec("03-02 08:00", time_limit="10 ngày", resolved_at="03-12 10:00"),
        "on_time",
    ),
    (
        "no appointment: 1 month, clipped to the end of February",
        rec("2026-01-31T08:00", time_limit="1 tháng", resolved_at="03-01 10:00"),
        "late",
    ),
    (
        "no appointment, pending: limit runs out before the end",
        rec("03-26 08:00", time_limit="2 ngày làm việc"),
        "overdue",
    ),
]


@pytest.mark.parametrize(("name", "record", "expected"), CASES, ids=[c[0] for c in CASES])
def test_classify_cases(name: str, record: DossierRecord, expected: str) -> None:
    c = classify(record, MARCH)
    assert c.outcome == expected, c.explain()
    assert c.trace
    assert all(step.source for step in c.trace)


def test_by_instant_policy_makes_same_day_after_the_hour_late() -> None:
    r = rec("03-02 08:00", due_at="03-04 11:00", resolved_at="03-04 16:00")
    assert classify(r, MARCH, IndicatorPolicy(boundary="by_instant")).outcome == "late"
    assert classify(r, MARCH).outcome == "on_time"


def test_one_round_moves_the_adjusted_end() -> None:
    r = rec(
        "03-02 08:00",
        due_at="03-04 17:00",
        resolved_at="03-10 10:00",
        supplements=parse_rounds("2026-03-03T08:00/2026-03-06T08:00"),
    )
    c = classify(r, MARCH)
    assert c.supplement_time == dt.timedelta(days=3)
    assert c.adjusted_end == t("03-07 10:00")
    assert c.outcome == "late"  # 7 March is after the 4th


def test_supplement_time_sums_rounds_and_last_keeps_one() -> None:
    rounds = parse_rounds("2026-03-03T08:00/2026-03-04T08:00")
    r = rec(
        "03-02 08:00",
        due_at="03-20 17:00",
        resolved_at="03-10 10:00",
        supplements=rounds,
        payments=parse_rounds("2026-03-05T08:00/2026-03-05T20:00"),
    )
    assert classify(r, MARCH).supplement_time == dt.timedelta(hours=36)


def test_supplement_rounds_policy_last_keeps_the_last_round() -> None:
    rounds = parse_rounds("2026-03-03T08:00/2026-03-04T08:00;2026-03-05T08:00/2026-03-05T10:00")
    r = rec("03-02 08:00", due_at="03-20 17:00", resolved_at="03-10 10:00", supplements=rounds)
    last = classify(r, MARCH, IndicatorPolicy(supplement_rounds="last"))
    assert last.supplement_time == dt.timedelta(hours=2)
    assert classify(r, MARCH).supplement_time == dt.timedelta(hours=26)
    assert last.outcome == "late"  # two requests, whatever the times


def test_membership_and_carry_over() -> None:
    carried = classify(rec("02-20 08:00", due_at="03-03 17:00", resolved_at="03-02 10:00"), MARCH)
    assert (carried.carried_over, carried.received_in_period, carried.resolved) == (
        True,
        False,
        True,
    )
    ended_before = classify(
        rec("02-20 08:00", due_at="03-03 17:00", resolved_at="02-28 10:00"), MARCH
    )
    assert ended_before.counted is False
    assert ended_before.outcome is None
    after = classify(rec("04-01 00:00", due_at="04-03 17:00"), MARCH)
    assert after.counted is False
    ends_at_start = classify(
        rec("02-20 08:00", due_at="03-03 17:00", resolved_at="03-01 00:00"), MARCH
    )
    assert ends_at_start.counted
    assert ends_at_start.resolved


def test_as_of_moves_the_evaluation_of_pending_dossiers() -> None:
    r = rec("03-20 08:00", due_at="03-27 17:00")
    assert classify(r, MARCH, as_of=t("03-25 12:00")).outcome == "within_time"
    assert classify(r, MARCH).outcome == "overdue"
    with pytest.raises(InvalidInputError, match="no UTC offset"):
        classify(r, MARCH, as_of=dt.datetime(2026, 3, 25))


def test_no_appointment_and_no_limit_is_an_error() -> None:
    with pytest.raises(InvalidInputError, match="no appointment"):
        classify(rec("03-02 08:00", resolved_at="03-03 10:00"), MARCH)


def test_limit_bounds_working_days_skip_weekends_and_holidays() -> None:
    from mot_cua.calendar import WorkingCalendar

    cal = WorkingCalendar.vietnam()
    # Received Thursday 30/04/2026 (a holiday) with 1 working day: 4/5 is the first working day
    # after 30/4 and 1/5 (Labour Code 2019 Art. 112).
    assert limit_bounds(dt.date(2026, 4, 29), TimeLimit.parse("1 ngày làm việc"), cal) == (
        dt.date(2026, 5, 4),
        dt.date(2026, 5, 5),
    )
    assert limit_bounds(dt.date(2026, 3, 2), TimeLimit.parse("trong ngày"), cal) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 3),
    )


# --------------------------------------------------------------------------------------------
# Records, timestamps, periods, policies
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("20260302083000", "2026-03-02T08:30:00+07:00"),
        ("2026-03-02T08:30:00", "2026-03-02T08:30:00+07:00"),
        ("2026-03-02 08:30", "2026-03-02T08:30:00+07:00"),
        ("2026-03-02T01:30:00Z", "2026-03-02T08:30:00+07:00"),
        ("2026-03-02T08:30:00.250+07:00", "2026-03-02T08:30:00.250000+07:00"),
    ],
)
def test_parse_timestamp(text: str, iso: str) -> None:
    assert parse_timestamp(text).isoformat() == iso


@pytest.mark.parametrize("text", ["2026-03-02", "02/03/2026 08:00", "2026-13-01T00:00", "x"])
def test_parse_timestamp_rejects(text: str) -> None:
    with pytest.raises(InvalidInputError, match="yyyyMMddHHmmss"):
        parse_timestamp(text, name="NgayTiepNhan")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-03", dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ("2026-03-10..2026-03-20", dt.date(2026, 3, 10), dt.date(2026, 3, 20)),
    ],
)
def test_period_parse(text: str, start: dt.date, end: dt.date) -> None:
    p = Period.parse(text)
    assert (p.start, p.end) == (start, end)
    assert p.end_at - p.start_at == dt.timedelta(days=(end - start).days + 1)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "March", "2026-03-20..2026-03-10"])
def test_period_parse_rejects(text: str) -> None:
    with pytest.raises(InvalidInputError):
        Period.parse(text)


def test_from_flat_errors_name_file_line_and_column() -> None:
    row = {"MaHoSo": "A", "KenhThucHien": "4", "NgayTiepNhan": "20260302080000"}
    with pytest.raises(RecordError, match=r"in.csv, line 7: column 'KenhThucHien'") as info:
        DossierRecord.from_flat(row, file="in.csv", line=7)
    assert info.value.details == {"file": "in.csv", "line": 7, "column": "KenhThucHien"}
    bad_end = {**row, "KenhThucHien": "1", "NgayXuLyXong": "20260301080000"}
    with pytest.raises(RecordError, match=r"'NgayXuLyXong': end .* is before the receipt"):
        DossierRecord.from_flat(bad_end, line=3)
    outside = {
        **row,
        "KenhThucHien": "1",
        "NgayXuLyXong": "20260305080000",
        "BoSung": "20260306080000/",
    }
    with pytest.raises(RecordError, match=r"'BoSung': round 1 .* outside the dossier's life"):
        DossierRecord.from_flat(outside, line=4)


def test_policy_from_pairs() -> None:
    pol = IndicatorPolicy.from_pairs(
        ["denominator_2_1=received_in_period", "scoring_4_2=full_at_80"]
    )
    assert (pol.denominator_2_1, pol.scoring_4_2, pol.boundary) == (
        "received_in_period",
        "full_at_80",
        "by_date",
    )
    for bad in (["nope=1"], ["boundary"], ["boundary=sometimes"], ["online_points=2,4,7"]):
        with pytest.raises(InvalidInputError, match="policy"):
            IndicatorPolicy.from_pairs(bad)


# --------------------------------------------------------------------------------------------
# Decision 766 scoring
# --------------------------------------------------------------------------------------------


def test_metric_points_sum_to_100() -> None:
    assert sum(m.max_points for m in METRICS) == 100


@pytest.mark.parametrize(
    ("number", "num", "den", "ratio", "points"),
    [
        ("2.1", 9974, 10000, 0.9974, 19.948),  # "tỷ lệ đúng hạn đạt 99,74%"
        ("3.3", 40, 100, 0.4, 4.8),  # full at 50 %
        ("3.3", 60, 100, 0.6, 6.0),
        ("5.4", 81, 100, 0.81, 5.4),  # full at 90 %
        ("5.2", 0, 0, None, 6.0),  # no feedback: full points
        ("2.1", 0, 0, None, 0.0),  # zero denominator: 0
        ("4.2", 60, 100, 0.6, 2.4),  # linear (portal) by default
    ],
)
def test_score_metric(number: str, num: int, den: int, ratio: float | None, points: float) -> None:
    got_ratio, got_points = score_metric(number, num, den)
    assert got_ratio == ratio
    assert got_points == pytest.approx(points)


def test_scoring_4_2_full_at_80_policy() -> None:
    assert score_metric("4.2", 60, 100, IndicatorPolicy(scoring_4_2="full_at_80"))[1] == 3.0


def test_inputs_score_other_metrics_and_refuse_computed_ones() -> None:
    r = report([rec("03-02 08:00", due_at="03-04 17:00")], MARCH, inputs={"1.1": (9, 10)})
    assert (r.indicators["1.1"].points, r.indicators["1.1"].origin) == (5.4, "input")
    assert not r.indicators["1.2"].computable
    assert "not computable" in r.indicators["1.2"].note
    with pytest.raises(InvalidInputError, match="computed from the records"):
        report([], MARCH, inputs={"2.1": (1, 1)})


# --------------------------------------------------------------------------------------------
# §C: the report
# --------------------------------------------------------------------------------------------


def _example_records() -> list[DossierRecord]:
    import csv
    from pathlib import Path

    path = Path(__file__).parent.parent / "examples" / "data" / "monthly_2026_03.csv"
    with path.open(encoding="utf-8") as fh:
        return [
            DossierRecord.from_flat(row, line=i + 2) for i, row in enumerate(csv.DictReader(fh))
        ]


def test_worked_month_by_field() -> None:
    r = report(_example_records(), MARCH, by="field")
    assert r.total.counts() == dict(zip(COLUMNS, [9, 9, 4, 22, 15, 5, 7, 3, 7, 4, 3], strict=True))
    land = next(row for row in r.rows if row.group == {"field": "Đất đai"})
    assert (land.carried_over, land.resolved_early, land.pending_overdue) == (4, 2, 1)
    m = r.indicators["2.1"]
    assert (m.numerator, m.denominator, m.points) == (16, 22, pytest.approx(14.545455))
    assert r.indicators["5.4"].numerator == 15  # 22 − 6 late or overdue − 1 complaint
    assert r.late_by_agency == (("XA-A", 3), ("XA-B", 3))
    assert sum(w.received for w in r.weekly) == 18
    payload = json.loads(r.to_json())
    assert payload["indicators"]["766"]["2.1"]["points"] == pytest.approx(14.545455)
    assert set(payload["total"]) == set(COLUMNS)


def test_denominator_policy_of_2_1() -> None:
    r = report(
        _example_records(), MARCH, policy=IndicatorPolicy(denominator_2_1="received_in_period")
    )
    assert r.indicators["2.1"].denominator == 18


def test_identities_are_checked() -> None:
    total = ReportRow(group={}, received_total=2, resolved_total=1, resolved_early=1)
    with pytest.raises(ReportConsistencyError, match="received_total = resolved_total"):
        Report(
            period=MARCH,
            by=(),
            policy=IndicatorPolicy(),
            rows=(),
            total=total,
            indicators=build_metrics(
                MetricCounts(0, 0, 0, 0, None, None, None, None, 0, complaints_known=False),
                total,
                IndicatorPolicy(),
            ),
        )


def test_unknown_grouping() -> None:
    with pytest.raises(InvalidInputError, match="unknown grouping 'province'"):
        report([], MARCH, by="province")


def test_csv_output_has_a_total_line() -> None:
    lines = report(_example_records(), MARCH, by="agency").to_csv().splitlines()
    assert lines[0].startswith("agency,received_online")
    assert lines[-1] == "total,9,9,4,22,15,5,7,3,7,4,3"


# --------------------------------------------------------------------------------------------
# Dossier objects: a flat record and the Dossier it was made from classify the same
# --------------------------------------------------------------------------------------------


def _dossier_with_history() -> tuple[object, DossierRecord]:
    lc = Lifecycle("5 ngày làm việc", code="H29-260302-0001")
    lc.send("receive", at=t("03-02 09:00"))
    lc.send("start", at=t("03-02 10:00"))
    lc.send("request_supplement", at=t("03-03 09:00"), missing=["Bản sao CCCD"])
    lc.send("supplement", at=t("03-05 09:00"))
    lc.send("resolve", at=t("03-10 15:00"), outcome="approved")
    lc.send("return_result", at=t("03-12 08:00"))
    d = make_dossier(code="H29-260302-0001", channel="online")
    lc.apply_to(d)
    flat = DossierRecord.from_flat(
        {
            "MaHoSo": "H29-260302-0001",
            "KenhThucHien": "2",
            "NgayTiepNhan": "20260302090000",
            "NgayHenTra": "20260309170000",  # the receipt's appointment (5 working days)
            "NgayXuLyXong": "20260310150000",
            "NgayTraKetQua": "20260312080000",
            "BoSung": "20260303090000/20260305090000",
            "ThoiHanGiaiQuyet": "5 ngày làm việc",
        }
    )
    return d, flat


def test_flat_record_and_dossier_classify_the_same() -> None:
    d, flat = _dossier_with_history()
    from_dossier = classify(d, MARCH)  # type: ignore[arg-type]
    from_flat = classify(flat, MARCH)
    keep = set(Classification.model_fields) - {"trace"}
    assert from_dossier.model_dump(include=keep) == from_flat.model_dump(include=keep)
    assert from_flat.supplement_time == dt.timedelta(days=2)
    assert record_from_dossier(d).supplements == flat.supplements  # type: ignore[arg-type]
    assert report([d], MARCH).to_dict() == report([flat], MARCH).to_dict()


def test_never_received_dossier_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="never received"):
        record_from_dossier(make_dossier(code="Z"))


def _history(events: list[tuple[str, str, dict[str, object]]]) -> tuple[object, Lifecycle]:
    lc = Lifecycle("3 ngày làm việc", code="H29-260302-0009")
    for name, when, payload in events:
        lc.send(name, at=t(when), **payload)
    d = make_dossier(code="H29-260302-0009")
    lc.apply_to(d)
    return d, lc


HISTORIES = {
    "resolved late": (
        [
            ("receive", "03-02 09:00", {}),
            ("start", "03-02 10:00", {}),
            ("resolve", "03-10 09:00", {"outcome": "approved"}),
        ],
        "late",
    ),
    "extended, then on time": (
        [
            ("receive", "03-02 09:00", {}),
            ("start", "03-02 10:00", {}),
            (
                "extend",
                "03-03 09:00",
                {"new_due_at": "2026-03-12T17:00:00+07:00", "reason": "cần xác minh"},
            ),
            ("resolve", "03-12 09:00", {"outcome": "approved"}),
        ],
        "on_time",
    ),
    "two supplement requests": (
        [
            ("receive", "03-02 09:00", {}),
            ("start", "03-02 10:00", {}),
            ("request_supplement", "03-02 11:00", {"missing": ["A"]}),
            ("supplement", "03-03 09:00", {}),
            ("request_supplement", "03-03 10:00", {"missing": ["B"]}),
            ("supplement", "03-03 11:00", {}),
            ("resolve", "03-04 09:00", {"outcome": "approved"}),
        ],
        "late",
    ),
    "payment pause": (
        [
            ("receive", "03-02 09:00", {}),
            ("start", "03-02 10:00", {}),
            ("request_payment", "03-03 09:00", {}),
            ("confirm_payment", "03-09 09:00", {}),
            ("resolve", "03-11 09:00", {"outcome": "approved"}),
        ],
        "on_time",
    ),
    "withdrawn": (
        [("receive", "03-02 09:00", {}), ("withdraw", "03-20 09:00", {"reason": "rút"})],
        "on_time",
    ),
    "stopped while waiting": (
        [
            ("receive", "03-02 09:00", {}),
            ("start", "03-02 10:00", {}),
            ("request_supplement", "03-03 09:00", {"missing": ["A"]}),
            ("stop", "03-06 09:00", {"reason": "quá hạn bổ sung"}),
        ],
        "early",
    ),
    "pending, waiting for a supplement": (
        [
            ("receive", "03-26 09:00", {}),
            ("start", "03-26 10:00", {}),
            ("request_supplement", "03-27 09:00", {"missing": ["A"]}),
        ],
        "within_time",
    ),
}


@pytest.mark.parametrize("name", list(HISTORIES))
def test_dossier_histories_classify_like_their_flat_records(name: str) -> None:
    events, expected = HISTORIES[name]
    d, _ = _history(events)
    via_dossier = classify(d, MARCH)  # type: ignore[arg-type]
    assert via_dossier.outcome == expected, via_dossier.explain()
    flat = record_from_dossier(d)  # type: ignore[arg-type]
    cells = {
        "MaHoSo": flat.code,
        "KenhThucHien": str(flat.channel.national_code),
        "NgayTiepNhan": flat.received_at.isoformat(),
        "NgayHenTra": "" if flat.due_at is None else flat.due_at.isoformat(),
        "BoSung": ";".join(str(x) for x in flat.supplements),
        "NghiaVuTaiChinh": ";".join(str(x) for x in flat.payments),
    }
    for column, attr in (
        ("NgayXuLyXong", "resolved_at"),
        ("NgayDungXuLy", "stopped_at"),
        ("NgayRutHoSo", "withdrawn_at"),
    ):
        value = getattr(flat, attr)
        cells[column] = "" if value is None else value.strftime("%Y%m%d%H%M%S")
    via_flat = classify(DossierRecord.from_flat(cells), MARCH)
    keep = set(Classification.model_fields) - {"trace"}
    assert via_flat.model_dump(include=keep) == via_dossier.model_dump(include=keep)
    receipt = next(e for e in d.history if e.event == "receive")  # type: ignore[attr-defined]
    extended = [e.due_at for e in d.history if e.event == "extend"]  # type: ignore[attr-defined]
    assert flat.due_at == (extended[-1] if extended else receipt.due_at)
