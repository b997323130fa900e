"""Tests of mot_cua.interop: Vietnamese national-portal field names, lossless round trips."""

from __future__ import annotations

import contextlib
import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mot_cua.catalog import Catalog
from mot_cua.errors import InvalidInputError, MotCuaError
from mot_cua.interop import EXTENSION_KEY, NATIONAL_FIELDS, from_national, to_national
from mot_cua.limits import Deadline, Method, TimeLimit
from mot_cua.models import (
    Applicant,
    Contact,
    Dossier,
    DossierStatus,
    FeePayment,
    HistoryEntry,
    SubmittedDocument,
)
from mot_cua.timezone import VN_TZ

T0 = dt.datetime(2025, 1, 6, 9, 0, tzinfo=VN_TZ)


def _dossier(**changes: object) -> Dossier:
    due = dt.datetime(2025, 1, 9, 17, 0, tzinfo=VN_TZ)
    base: dict[str, object] = {
        "code": "H29-250106-0001",
        "procedure_id": "ho-tich.dang-ky-khai-sinh",
        "applicant": Applicant(
            kind="citizen",
            name="Trần Thị B",
            cccd="001185000001",
            contact=Contact(phone="0912345678", email="b@example.vn"),
        ),
        "channel": "in_person",
        "receiving_unit": "H29",
        "deciding_unit": "H30",
        "submitted_at": T0,
        "received_at": T0 + dt.timedelta(minutes=10, microseconds=250),
        "documents": [SubmittedDocument(name="Tờ khai", originals=1)],
        "fees_paid": [FeePayment(name="Lệ phí", amount_vnd=8000)],
        "status": "processing",
        "deadline": Deadline(
            received_at=T0,
            deemed_receipt=T0,
            limit=TimeLimit.parse("3 ngày làm việc"),
            method=Method.DAYS,
            due_at=due,
        ),
        "history": [
            HistoryEntry(at=T0, actor="desk", event="receive", to_status="received", due_at=due)
        ],
    }
    base.update(changes)
    return Dossier.model_validate(base)


def test_national_names_and_values() -> None:
    n = to_national(_dossier())
    assert n["MaHoSo"] == "H29-250106-0001"
    assert n["MaTTHC"] == "ho-tich.dang-ky-khai-sinh"
    assert n["ChuHoSo"] == "Trần Thị B"
    assert n["SoDienThoai"] == "0912345678"
    assert n["Email"] == "b@example.vn"
    assert n["KenhThucHien"] == 1
    assert n["TrangThaiHoSo"] == 4  # processing (RULES.md §6)
    assert n["NgayTiepNhan"] == "20250106091000.000250"  # sub-second digits kept
    assert n["NgayHenTra"] == "20250109170000"
    assert set(NATIONAL_FIELDS.values()) <= set(n)


@pytest.mark.parametrize("status", list(DossierStatus))
@pytest.mark.parametrize("channel", ["in_person", "online", "postal"])
def test_round_trip_without_loss(status: DossierStatus, channel: str) -> None:
    d = _dossier(status=status, channel=channel)
    n = to_national(d)
    assert n["TrangThaiHoSo"] == status.national_code
    again = from_national(json.loads(json.dumps(n, ensure_ascii=False)))
    assert again == d
    assert again.to_json() == d.to_json()


def test_round_trip_with_utc_input_is_stored_in_vietnam_time() -> None:
    d = _dossier(received_at=dt.datetime(2025, 1, 6, 2, 30, tzinfo=dt.UTC))
    n = to_national(d)
    assert n["NgayTiepNhan"] == "20250106093000"
    assert from_national(n) == d


def test_national_code_from_catalogue() -> None:
    agency = {"code": "ubnd-xa", "name": "UBND xã", "level": "commune"}
    proc = {
        "id": "ho-tich.dang-ky-khai-sinh",
        "national_code": "TEST.1",
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "level": "commune",
        "lead_agency": "ubnd-xa",
        "time_limit": "trong ngày",
        "time_limit_basis": {"document": "60/2014/QH13"},
        "legal_basis": [{"document": "60/2014/QH13"}],
    }
    cat = Catalog.from_data({"agencies": [agency], "procedures": [proc]})
    n = to_national(_dossier(), catalog=cat)
    assert n["MaTTHC"] == "TEST.1"
    assert from_national(n, catalog=cat) == _dossier()
    bare = {k: v for k, v in n.items() if k != EXTENSION_KEY}
    assert from_national(bare, catalog=cat).procedure_id == "ho-tich.dang-ky-khai-sinh"


def test_record_from_another_system_without_extension() -> None:
    record = {
        "MaHoSo": "000.00.01.H29-250106-0007",
        "MaTTHC": "1.000656",
        "ChuHoSo": "Lê Văn C",
        "SoDienThoai": "0900000000",
        "KenhThucHien": "2",
        "NgayTiepNhan": "20250106101500",
        "TrangThaiHoSo": "9",
    }
    d = from_national(record)
    assert d.status is DossierStatus.RESOLVED
    assert d.channel == "online"
    assert d.receiving_unit == "000.00.01.H29"
    assert d.received_at == dt.datetime(2025, 1, 6, 10, 15, tzinfo=VN_TZ)
    assert d.applicant.contact is not None
    assert d.applicant.contact.phone == "0900000000"


@pytest.mark.parametrize(
    ("record", "fragment"),
    [
        ({"MaHoSo": "X", "TrangThaiHoSo": 1}, "KenhThucHien is missing"),
        ({"MaHoSo": "X", "KenhThucHien": 9, "TrangThaiHoSo": 1}, "unknown channel code 9"),
        ({"MaHoSo": "X", "KenhThucHien": 1, "TrangThaiHoSo": 11}, "unknown dossier status"),
        (
            {"MaHoSo": "X", "MaTTHC": "p", "ChuHoSo": "A", "KenhThucHien": 1, "TrangThaiHoSo": 1},
            "NgayTiepNhan is required",
        ),
        (
            {
                "MaHoSo": "X",
                "MaTTHC": "p",
                "ChuHoSo": "A",
                "KenhThucHien": 1,
                "TrangThaiHoSo": 1,
                "NgayTiepNhan": "06/01/2025",
            },
            "not a timestamp",
        ),
        ({"MaHoSo": "X", "KenhThucHien": 1, "TrangThaiHoSo": 1, "MotCua": []}, "MotCua must be"),
        ({"MaHoSo": "X", "KenhThucHien": 1, "TrangThaiHoSo": 1, "MotCua": {}}, "procedure_id"),
    ],
)
def test_bad_national_records(record: dict[str, object], fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        from_national(record)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_record = st.fixed_dictionaries(
    {},
    optional={
        k: _json | st.sampled_from(["1", "2", "20250106101500", "H29-250106-0001"])
        for k in (
            "MaHoSo",
            "MaTTHC",
            "ChuHoSo",
            "KenhThucHien",
            "TrangThaiHoSo",
            "NgayTiepNhan",
            "MotCua",
        )
    },
)


@given(data=_json | _record)
def test_fuzz_from_national_raises_only_our_errors(data: object) -> None:
    with contextlib.suppress(MotCuaError):
        from_national(data)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "stamp", ["202511693000", "2025010609300", "20250106093000\n", "٢٠٢٥0106093000"]
)
def test_item15_timestamps_must_be_fourteen_ascii_digits(stamp: str) -> None:
    record = {"MaHoSo": "H29-250106-0001", "MaTTHC": "p", "ChuHoSo": "A", "KenhThucHien": 1,
              "TrangThaiHoSo": 1, "NgayTiepNhan": stamp}  # fmt: skip
    with pytest.raises(InvalidInputError, match="is not a timestamp yyyyMMddHHmmss"):
        from_national(record)


def test_section7_a_running_record_from_another_system_keeps_its_appointment() -> None:
    from mot_cua.catalog import Catalog

    record = {"MaHoSo": "H29-250106-0001", "MaTTHC": "ho-tich.dang-ky-khai-sinh",
              "ChuHoSo": "A", "KenhThucHien": 1, "TrangThaiHoSo": 4,
              "NgayTiepNhan": "20250106093000", "NgayHenTra": "20250107170000"}  # fmt: skip
    with pytest.raises(InvalidInputError, match="pass catalog="):
        from_national(record)
    d = from_national(record, catalog=Catalog.default())
    assert d.deadline is not None
    assert d.deadline.due_at == dt.datetime(2025, 1, 7, 17, tzinfo=VN_TZ)
    with pytest.raises(InvalidInputError, match="NgayHenTra is required"):
        from_national({k: v for k, v in record.items() if k != "NgayHenTra"})
