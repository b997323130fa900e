"""The reports adapter: readers, the columnar engine against the reference, xlsx and HTML."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from mot_cua import VN_TZ
from mot_cua.errors import InputFileError, RecordError
from mot_cua.indicators import (
    COLUMNS,
    DossierRecord,
    IndicatorPolicy,
    Period,
    SupplementRound,
    classify,
    report,
)
from mot_cua.models import Channel
from mot_cua.reports import (
    classify_frame,
    read_records,
    records_to_frame,
    write_html,
    write_xlsx,
)
from mot_cua.reports._engine import instant_us
from mot_cua.reports._html import render_html

EXAMPLE = Path(__file__).parent.parent / "examples" / "data" / "monthly_2026_03.csv"
MARCH = Period.parse("2026-03")
HEADER = "MaHoSo,KenhThucHien,NgayTiepNhan,NgayHenTra,NgayXuLyXong,BoSung,ThoiHanGiaiQuyet"


# --------------------------------------------------------------------------------------------
# Generated dossiers, biased to every edge of the rules (period bounds, same-day boundary,
# supplement rounds closed / open / several, every kind of end, no appointment)
# --------------------------------------------------------------------------------------------

BASE = dt.datetime(2026, 2, 20, 0, 0, tzinfo=VN_TZ)
EDGES = [
    dt.datetime(2026, 3, 1, 0, 0, tzinfo=VN_TZ),  # period start
    dt.datetime(2026, 4, 1, 0, 0, tzinfo=VN_TZ),  # period end
    dt.datetime(2026, 3, 31, 23, 59, 59, 999999, tzinfo=VN_TZ),
    dt.datetime(2026, 3, 6, 17, 0, tzinfo=VN_TZ),  # a Friday
    dt.datetime(2026, 3, 9, 0, 0, tzinfo=VN_TZ),  # the next Monday
]


@st.composite
def instants(draw: st.DrawFn, after: dt.datetime, span_days: int = 45) -> dt.datetime:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        later = [e for e in EDGES if e >= after]
        if later:
            return draw(st.sampled_from(later))
    minutes = draw(st.integers(0, span_days * 24 * 60))
    if choice == 1:  # a whole day later at the same time, or at 00:00
        return after + dt.timedelta(days=minutes // 1440)
    return after + dt.timedelta(minutes=minutes)


@st.composite
def rounds(draw: st.DrawFn, start: dt.datetime, end: dt.datetime | None) -> tuple:
    out = []
    cursor = start
    for _ in range(draw(st.integers(0, 3))):
        s = draw(instants(cursor, 10))
        if end is not None and s > end:
            break
        closed = draw(st.booleans())
        e = draw(instants(s, 8)) if closed else None
        if end is not None and e is not None and e > end:
            e = end
        out.append(SupplementRound(start=s, end=e))
        cursor = e or s
    return tuple(out)


@st.composite
def records(draw: st.DrawFn) -> DossierRecord:
    start = draw(instants(BASE - dt.timedelta(days=30), 75))
    ends = {
        name: draw(st.none() | instants(start, 40))
        for name in ("resolved_at", "returned_at", "stopped_at", "withdrawn_at")
    }
    chosen = next((v for v in ends.values() if v is not None), None)
    due = draw(st.none() | instants(start, 25))
    limit = None
    if due is None:
        limit = draw(
            st.sampled_from(
                [
                    "3 ngày làm việc",
                    "0,5 ngày làm việc",
                    "trong ngày",
                    "10 ngày",
                    "1 tháng",
                    "16 giờ làm việc",
                    "48 giờ",
                ]
            )
        )
    flag = st.none() | st.booleans()
    return DossierRecord(
        code=f"R{draw(st.integers(0, 10**6))}",
        procedure=draw(st.sampled_from(["P1", "P2", None])),
        agency=draw(st.sampled_from(["A", "B", None])),
        field=draw(st.sampled_from(["Hộ tịch", "Đất đai"])),
        channel=draw(st.sampled_from(list(Channel))),
        received_at=start,
        due_at=due,
        supplements=draw(rounds(start, chosen)),
        payments=draw(rounds(start, chosen)),
        time_limit=limit,
        electronic_result=draw(flag),
        digitised=draw(flag),
        has_fee=draw(flag),
        paid_online=draw(flag),
        complaint=draw(flag),
        reused_data=draw(flag),
        **ends,
    )


policies = st.builds(
    IndicatorPolicy,
    boundary=st.sampled_from(["by_date", "by_instant"]),
    denominator_2_1=st.sampled_from(["received_total", "received_in_period"]),
    supplement_rounds=st.sampled_from(["sum", "last"]),
    scoring_4_2=st.sampled_from(["linear", "full_at_80"]),
)
as_ofs = st.none() | st.sampled_from(
    [dt.datetime(2026, 3, 20, 12, 0, tzinfo=VN_TZ), dt.datetime(2026, 4, 10, 0, 0, tzinfo=VN_TZ)]
)


def _us(value: dt.datetime | None) -> int | None:
    return None if value is None else instant_us(value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(records(), min_size=1, max_size=12),
    policies,
    as_ofs,
    st.sampled_from([(), ("field",), ("agency", "channel")]),
)
def test_columnar_engine_agrees_with_the_reference(
    recs: list[DossierRecord],
    policy: IndicatorPolicy,
    as_of: dt.datetime | None,
    by: tuple[str, ...],
) -> None:
    frame = classify_frame(records_to_frame(recs), MARCH, policy, as_of=as_of)
    for r, row in zip(recs, frame.iter_rows(named=True), strict=True):
        c = classify(r, MARCH, policy, as_of=as_of)
        got = (
            row["outcome"],
            row["counted"],
            row["received_in_period"],
            row["carried_over"],
            row["resolved"],
            row["pending"],
        )
        want = (
            c.outcome,
            c.counted,
            c.received_in_period,
            c.carried_over,
            c.resolved,
            c.pending,
        )
        assert got == want, c.explain()
        if c.counted:
            assert row["supplement_requests"] == c.supplement_requests
            assert row["supplement_us"] == c.supplement_time // dt.timedelta(microseconds=1)
            assert row["adjusted_end"] == _us(c.adjusted_end)
            assert row["end"] == _us(c.end)
    ref = report(recs, MARCH, by=by, policy=policy, as_of=as_of, engine="reference")
    col = report(recs, MARCH, by=by, policy=policy, as_of=as_of, engine="columnar")
    assert col.engine == "columnar"
    want, got = ref.to_dict(), col.to_dict()
    for key, metric in want["indicators"]["766"].items():
        assert got["indicators"]["766"][key] == metric, key
    assert got == want


@given(st.lists(records(), max_size=15))
@settings(max_examples=60, deadline=None)
def test_identities_hold_on_every_report(recs: list[DossierRecord]) -> None:
    r = report(recs, MARCH, by="field", engine="columnar")
    for row in (*r.rows, r.total):
        assert row.problems() == []
        assert row.received_total == row.resolved_total + row.pending_total


# --------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------


def test_example_csv_reads_and_agrees_with_the_reference() -> None:
    batch = read_records(EXAMPLE)
    assert len(batch) == 24
    assert batch.skipped == ()
    col = report(batch, MARCH, by="field")
    ref = report(batch.to_records(), MARCH, by="field", engine="reference")
    assert col.to_dict() == ref.to_dict()
    assert col.total.counts() == dict(
        zip(COLUMNS, [9, 9, 4, 22, 15, 5, 7, 3, 7, 4, 3], strict=True)
    )


def _same_records(batch_a: object, batch_b: object) -> None:
    assert batch_a.to_records() == batch_b.to_records()  # type: ignore[attr-defined]


def test_jsonl_and_parquet_read_the_same_records(tmp_path: Path) -> None:
    batch = read_records(EXAMPLE)
    raw = pl.read_csv(EXAMPLE, infer_schema=False)
    jsonl = tmp_path / "r.jsonl"
    raw.write_ndjson(jsonl)
    _same_records(read_records(jsonl), batch)
    # Parquet with real timestamp columns (naive = Asia/Ho_Chi_Minh) and integer channels.
    typed = raw.with_columns(
        pl.col("KenhThucHien").cast(pl.Int8),
        pl.col("NgayTiepNhan")
        .str.replace(
            r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$", "${1}-${2}-${3}T${4}:${5}:${6}"
        )
        .str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S"),
    )
    parquet = tmp_path / "r.parquet"
    typed.write_parquet(parquet)
    _same_records(read_records(parquet), batch)


def test_dossier_jsonl(tmp_path: Path) -> None:
    from tests.test_indicators import _dossier_with_history

    d, flat = _dossier_with_history()
    path = tmp_path / "dossiers.jsonl"
    path.write_text(d.to_json() + "\n", encoding="utf-8")  # type: ignore[attr-defined]
    batch = read_records(path)
    assert batch.to_records()[0].model_dump(
        exclude={"time_limit", "has_fee", "procedure", "agency"}
    ) == flat.model_dump(exclude={"time_limit", "has_fee", "procedure", "agency"})


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("A,2,2026-03-02 8h,,,,1 ngày làm việc", "NgayTiepNhan", "is not a timestamp"),
        ("A,5,20260302080000,20260303170000,,,", "KenhThucHien", "unknown channel '5'"),
        (
            "A,1,20260302080000,20260303170000,20260301080000,,",
            "NgayXuLyXong",
            "is before the receipt",
        ),
        (
            "A,1,20260302080000,20260303170000,20260303080000,20260304080000/,",
            "BoSung",
            "outside the dossier's life",
        ),
        (
            "A,1,20260302080000,20260303170000,,20260303080000-20260304080000,",
            "BoSung",
            "cannot be read",
        ),
        ("A,1,20260302080000,,,,", "NgayHenTra", "ThoiHanGiaiQuyet empty"),
        ("A,1,20260302080000,,,,ba ngày", "ThoiHanGiaiQuyet", "is not a time limit"),
        (",1,20260302080000,20260303170000,,,", "MaHoSo", "empty"),
    ],
)
def test_bad_rows_name_file_line_and_column(
    tmp_path: Path, row: str, column: str, reason: str
) -> None:
    path = tmp_path / "bad.csv"
    good = "G,1,20260302080000,20260303170000,,,"
    path.write_text(f"{HEADER}\n{good}\n{row}\n{good}\n", encoding="utf-8")
    with pytest.raises(RecordError, match=f"bad.csv, line 3, column '{column}': .*{reason}") as e:
        read_records(path)
    assert e.value.details["line"] == 3
    assert e.value.details["column"] == column
    batch = read_records(path, skip_invalid=True)
    assert len(batch) == 2
    assert [(s.line, s.column) for s in batch.skipped] == [(3, column)]
    assert reason.split("'", maxsplit=1)[0] in batch.skipped[0].reason
    r = report(batch, MARCH)
    assert r.skipped == batch.skipped
    assert r.total.received_total == 2


def test_missing_required_column(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("MaHoSo,NgayTiepNhan\nA,20260302080000\n", encoding="utf-8")
    with pytest.raises(RecordError, match="no column 'KenhThucHien'"):
        read_records(path)


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(InputFileError, match=r"unknown format '\.txt'"):
        read_records(tmp_path / "a.txt")
    with pytest.raises(InputFileError, match="no such file"):
        read_records(tmp_path / "none.csv")


def test_timestamps_in_other_iso_forms_are_read(tmp_path: Path) -> None:
    path = tmp_path / "iso.csv"
    path.write_text(
        f"{HEADER}\nA,1,2026-03-02 08:00,2026-03-03T10:00:00Z,2026-03-03T09:30:00.5+07:00,,\n",
        encoding="utf-8",
    )
    r = read_records(path).to_records()[0]
    assert r.received_at == dt.datetime(2026, 3, 2, 8, 0, tzinfo=VN_TZ)
    assert r.due_at == dt.datetime(2026, 3, 3, 17, 0, tzinfo=VN_TZ)
    assert r.resolved_at == dt.datetime(2026, 3, 3, 9, 30, 0, 500000, tzinfo=VN_TZ)


# --------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------


def test_xlsx_follows_form_ii06a(tmp_path: Path) -> None:
    r = report(read_records(EXAMPLE), MARCH, by="field")
    out = write_xlsx(r, tmp_path / "ii06a.xlsx", unit="UBND xã A")
    ws = load_workbook(out).active
    assert ws is not None
    assert ws["A1"].value == "Đơn vị báo cáo: UBND xã A"
    assert "2026-03" in ws["A4"].value
    assert "01/03/2026" in ws["A4"].value
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"C7:F7", "G7:M7", "D8:E8", "G8:J8", "K8:M8", "A7:A9"} <= merged
    assert [ws.cell(row=10, column=c).value for c in range(1, 14)] == [
        f"({n})" for n in range(1, 14)
    ]
    assert ws["H9"].value == "Trả trước hạn"
    assert ws["M9"].value == "Quá hạn"
    rows = [[ws.cell(row=r_, column=c).value for c in range(1, 14)] for r_ in range(11, 15)]
    assert rows[0][:3] == [1, "Chứng thực", 3]
    assert rows[-1][0] in (None, "")
    assert rows[-1][1:] == ["Tổng số", 22, 9, 9, 4, 15, 5, 7, 3, 7, 4, 3]  # fmt: skip


@pytest.mark.office
def test_xlsx_opens_in_libreoffice(tmp_path: Path) -> None:
    """Form II.06a re-opened by a real LibreOffice (Debian's, from .ci/system-packages)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice Calc is installed by .ci/system-packages"
    out = write_xlsx(report(read_records(EXAMPLE), MARCH, by="field"), tmp_path / "f.xlsx")
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = (tmp_path / "f.csv").read_text("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[9][:3] == ["(1)", "(2)", "(3)"]  # the 13 numbered columns of form II.06a
    assert len(rows[9]) == 13
    total = next(r for r in rows if r[1:2] == ["Tổng số"])
    assert total[2:] == [
        "22", "9", "9", "4", "15", "5", "7", "3", "7", "4", "3",
    ]  # fmt: skip
    assert any("Chứng thực" in r for r in rows)


def test_html_is_self_contained_and_holds_the_numbers(tmp_path: Path) -> None:
    r = report(read_records(EXAMPLE), MARCH, by="agency")
    text = render_html(r, unit="UBND xã A")
    assert "http://" not in text
    assert "https://" not in text
    assert "<script" not in text
    assert text.count("<svg") == 3
    assert 'id="metric-2.1"' in text
    assert "14.55" in text
    assert '<td class="n" data-key="received_total">22</td>' in text
    path = write_html(r, tmp_path / "r.html")
    assert path.read_text("utf-8") == render_html(r)


def test_to_frame_and_json_round_trip() -> None:
    r = report(read_records(EXAMPLE), MARCH, by="field")
    frame = r.to_frame()
    assert frame.height == 4
    assert frame["received_total"].to_list() == [3, 14, 5, 22]
    payload = json.loads(r.to_json())
    assert [row["group"]["field"] for row in payload["rows"]] == [
        "Chứng thực",
        "Hộ tịch",
        "Đất đai",
    ]


def test_blank_cells_are_absent_and_cells_are_stripped(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text(
        f"{HEADER},Extra\n A ,1, 20260302080000 ,   ,20260303080000,  ,3 ngày làm việc,x\n",
        encoding="utf-8",
    )
    r = read_records(path).to_records()[0]
    assert (r.code, r.due_at, r.supplements) == ("A", None, ())
    assert r.received_at == dt.datetime(2026, 3, 2, 8, 0, tzinfo=VN_TZ)


def test_flags_read_0_1_and_true_false(tmp_path: Path) -> None:
    path = tmp_path / "flags.jsonl"
    row = {
        "MaHoSo": "A",
        "KenhThucHien": 2,
        "NgayTiepNhan": "20260302080000",
        "NgayHenTra": "20260303170000",
        "DaSoHoa": True,
        "CoPhanAnh": "0",
    }
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    r = read_records(path).to_records()[0]
    assert (r.channel, r.digitised, r.complaint) == (Channel.ONLINE, True, False)
    assert DossierRecord.from_flat({k: str(v) for k, v in row.items()}) == r


def test_bad_dossier_jsonl_line(tmp_path: Path) -> None:
    from tests.test_indicators import _dossier_with_history

    d, _ = _dossier_with_history()
    path = tmp_path / "d.jsonl"
    path.write_text(d.to_json() + "\n" + '{"procedure_id": "x"}\n', encoding="utf-8")  # type: ignore[attr-defined]
    with pytest.raises(RecordError, match=r"d\.jsonl, line 2: "):
        read_records(path)
    batch = read_records(path, skip_invalid=True)
    assert len(batch) == 1
    assert [s.line for s in batch.skipped] == [2]


def _cell(value: object, *, compact: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if compact and value.microsecond == 0:
            return value.astimezone(VN_TZ).strftime("%Y%m%d%H%M%S")
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Channel):
        return str(value.national_code)
    if isinstance(value, tuple):
        return ";".join(str(x) for x in value)
    return str(value)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(records(), min_size=1, max_size=8), st.booleans())
def test_csv_round_trip_reads_back_the_records(
    tmp_path: Path, recs: list[DossierRecord], compact: bool
) -> None:
    import csv as csv_module

    from mot_cua.indicators import FLAT_COLUMNS

    path = tmp_path / "round.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv_module.writer(fh)
        w.writerow(FLAT_COLUMNS)
        for r in recs:
            w.writerow([_cell(getattr(r, attr), compact=compact) for attr in FLAT_COLUMNS.values()])
    assert read_records(path).to_records() == recs
