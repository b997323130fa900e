"""Tests of mot_cua.models: enums, validation, JSON round trips and JSON Schema snapshots.

Refresh the schema snapshots after an intended model change with::

    MOT_CUA_UPDATE_SNAPSHOTS=1 PYTHONPATH=src python -m pytest tests/test_models.py

and review the diff of tests/snapshots/ before committing. The snapshots guard the structure
(fields, types, required, enums); ``description`` texts come from docstrings and are left out so
that editing a docstring does not break them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from mot_cua.errors import InvalidInputError, MotCuaError
from mot_cua.hours import OfficeHours
from mot_cua.identifiers import DossierCode
from mot_cua.limits import Deadline, Method, TimeLimit
from mot_cua.models import (
    SCHEMA_MODELS,
    Agency,
    Applicant,
    AuthorityLevel,
    Channel,
    Contact,
    Dossier,
    DossierStatus,
    Fee,
    FeePayment,
    HistoryEntry,
    LegalBasis,
    Location,
    Procedure,
    RequiredDocument,
    Step,
    SubmittedDocument,
    TimeLimitVariant,
)
from mot_cua.timezone import VN_TZ

SNAPSHOTS = Path(__file__).parent / "snapshots"
T0 = dt.datetime(2025, 1, 6, 9, 0, tzinfo=VN_TZ)
LAW = LegalBasis(
    document="59/2020/QH14",
    title="Luật Doanh nghiệp",
    article="Art. 26",
    issuing_body="Quốc hội",
    issued_on=dt.date(2020, 6, 17),
)


def _procedure() -> Procedure:
    return Procedure(
        id="doanh-nghiep.dang-ky",
        name="Đăng ký thành lập doanh nghiệp",
        field="Doanh nghiệp",
        level=AuthorityLevel.PROVINCE,
        lead_agency="so-tai-chinh",
        coordinating_agencies=("thue",),
        channels=(Channel.IN_PERSON, Channel.ONLINE),
        online_level="full",
        time_limit=TimeLimit.parse("3 ngày làm việc"),
        time_limit_basis=LAW,
        time_limit_variants=(
            TimeLimitVariant(
                time_limit=TimeLimit.parse("2 ngày làm việc"), channel="online", basis=LAW
            ),
        ),
        required_documents=(
            RequiredDocument(name="Giấy đề nghị", template="Mẫu 1"),
            RequiredDocument(name="Điều lệ", required=False, condition="công ty", copies=1),
        ),
        fees=(Fee(name="Lệ phí", rule="theo thông tư", exemptions=("qua mạng",), basis=LAW),),
        results=("Giấy chứng nhận",),
        conditions=("Hồ sơ hợp lệ",),
        legal_basis=(LAW,),
        steps=(Step(description="Nộp hồ sơ", agency="so-tai-chinh"),),
        route_id="route-1",
        notes=("test data",),
    )


def _dossier() -> Dossier:
    limit = TimeLimit.parse("3 ngày làm việc")
    due = dt.datetime(2025, 1, 9, 17, 0, tzinfo=VN_TZ)
    return Dossier(
        code="H29-250106-0001",
        procedure_id="doanh-nghiep.dang-ky",
        applicant=Applicant(
            kind="citizen",
            name="Nguyễn Văn A",
            cccd="001099012345",
            date_of_birth=dt.date(1999, 2, 3),
            address="Hà Nội",
            contact=Contact(phone="0900000000", email="a@example.vn"),
        ),
        channel=Channel.ONLINE,
        receiving_unit="H29",
        deciding_unit="H30",
        submitted_at=T0,
        received_at=T0 + dt.timedelta(minutes=5),
        documents=[SubmittedDocument(name="Giấy đề nghị", originals=1, electronic=True)],
        fees_paid=[FeePayment(name="Lệ phí", amount_vnd=50_000, paid_at=T0)],
        status=DossierStatus.RECEIVED,
        deadline=Deadline(
            received_at=T0, deemed_receipt=T0, limit=limit, method=Method.DAYS, due_at=due
        ),
        history=[
            HistoryEntry(
                at=T0,
                actor="desk-1",
                event="receive",
                from_status="submitted",
                to_status="received",
                note="đủ hồ sơ",
                payload={"n": [1, "a", None]},
                due_at=due,
            )
        ],
    )


SAMPLES: dict[str, BaseModel] = {
    "Agency": Agency(
        code="ubnd-xa",
        name="UBND xã",
        level="commune",
        parent="ubnd-tinh",
        location=Location(province_code="01", commune_code="00070"),
        office_hours=OfficeHours.hanoi(),
        service_centre=True,
        one_stop_desk=True,
    ),
    "Applicant": Applicant(kind="organisation", name="Công ty A", tax_code="0100233488-001"),
    "Contact": Contact(phone="024", email="x@y.vn", address="Hà Nội"),
    "Dossier": _dossier(),
    "DossierCode": DossierCode.generate("H29", dt.date(2025, 1, 6), 7),
    "Fee": Fee(name="Lệ phí", amount_vnd=0, basis=LAW),
    "FeePayment": FeePayment(name="Phí", amount_vnd=2000, receipt_number="BL-1"),
    "HistoryEntry": _dossier().history[0],
    "LegalBasis": LAW,
    "Location": Location(province_code="79", province_name="TP HCM"),
    "Procedure": _procedure(),
    "RequiredDocument": RequiredDocument(name="Tờ khai", originals=1, copies=2),
    "Step": Step(description="Thẩm định"),
    "SubmittedDocument": SubmittedDocument(name="Tờ khai", reference="file://1"),
    "TimeLimitVariant": _procedure().time_limit_variants[0],
}


def test_every_public_model_has_a_sample() -> None:
    assert set(SAMPLES) == set(SCHEMA_MODELS)


@pytest.mark.parametrize("name", sorted(SCHEMA_MODELS))
def test_json_round_trip(name: str) -> None:
    sample = SAMPLES[name]
    cls = SCHEMA_MODELS[name]
    text = sample.model_dump_json()
    again = cls.model_validate_json(text)
    assert again == sample
    assert again.model_dump_json() == text


def _without_descriptions(node: object) -> object:
    if isinstance(node, dict):
        return {
            k: _without_descriptions(v)
            for k, v in node.items()
            if not (k == "description" and isinstance(v, str))
        }
    if isinstance(node, list):
        return [_without_descriptions(v) for v in node]
    return node


def assert_schema_snapshot(name: str, cls: type[BaseModel]) -> None:
    """Compare a model's JSON Schema with tests/snapshots/NAME.json (refresh: see the top)."""
    schema = _without_descriptions(cls.model_json_schema())
    path = SNAPSHOTS / f"{name}.json"
    rendered = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("MOT_CUA_UPDATE_SNAPSHOTS") == "1":
        path.write_text(rendered, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == rendered, (
        f"JSON Schema of {name} changed; if intended, refresh with MOT_CUA_UPDATE_SNAPSHOTS=1"
    )


@pytest.mark.parametrize("name", sorted(SCHEMA_MODELS))
def test_json_schema_snapshot(name: str) -> None:
    assert_schema_snapshot(name, SCHEMA_MODELS[name])


# -- statuses and channels (RULES.md §6) -------------------------------------------------------

STATUS_TABLE = [
    (1, "submitted", "Mới đăng ký"),
    (2, "received", "Được tiếp nhận"),
    (3, "refused", "Không được tiếp nhận"),
    (4, "processing", "Đang xử lý"),
    (5, "awaiting_supplement", "Yêu cầu bổ sung giấy tờ"),
    (6, "awaiting_payment", "Yêu cầu thực hiện nghĩa vụ tài chính"),
    (7, "withdrawn", "Công dân yêu cầu rút hồ sơ"),
    (8, "stopped", "Dừng xử lý"),
    (9, "resolved", "Đã xử lý xong"),
    (10, "returned", "Đã trả kết quả"),
]


@pytest.mark.parametrize(("code", "value", "label"), STATUS_TABLE)
def test_status_codes_match_rules_section_6(code: int, value: str, label: str) -> None:
    status = DossierStatus(value)
    assert status.national_code == code
    assert status.label == label
    assert DossierStatus.from_national_code(code) is status
    assert DossierStatus.from_national_code(str(code)) is status


def test_status_enum_has_exactly_the_ten_states_in_order() -> None:
    assert [s.value for s in DossierStatus] == [row[1] for row in STATUS_TABLE]


@pytest.mark.parametrize("bad", [0, 11, "x", -1])
def test_unknown_status_code(bad: object) -> None:
    with pytest.raises(InvalidInputError, match="1–10"):
        DossierStatus.from_national_code(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("channel", "code", "label"),
    [
        ("in_person", 1, "Trực tiếp"),
        ("online", 2, "Trực tuyến"),
        ("postal", 3, "Bưu chính công ích"),
    ],
)
def test_channel_codes(channel: str, code: int, label: str) -> None:
    assert Channel(channel).national_code == code
    assert Channel(channel).label == label
    assert Channel.from_national_code(code) is Channel(channel)


def test_unknown_channel_code() -> None:
    with pytest.raises(InvalidInputError, match="1 \\(in person\\)"):
        Channel.from_national_code(4)


def test_levels_include_district_for_history() -> None:
    assert [lv.value for lv in AuthorityLevel] == ["ministry", "province", "district", "commune"]
    assert AuthorityLevel.DISTRICT.label == "Cấp huyện"


# -- validation ---------------------------------------------------------------------------------


def test_values_are_frozen_and_dossier_is_mutable_with_validation() -> None:
    with pytest.raises(ValidationError):
        LAW.document = "x"  # type: ignore[misc]
    d = _dossier()
    d.status = DossierStatus.PROCESSING  # type: ignore[assignment]
    assert d.status is DossierStatus.PROCESSING
    with pytest.raises(ValidationError):
        d.status = "flying"  # type: ignore[assignment]
    with pytest.raises(ValidationError):
        d.submitted_at = dt.datetime(2025, 1, 6, 9, 0)  # naive


def test_extra_fields_are_forbidden() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        LegalBasis(document="x", page=3)  # type: ignore[call-arg]


def test_naive_datetimes_are_rejected_and_aware_ones_localised() -> None:
    with pytest.raises(ValidationError, match="no UTC offset"):
        HistoryEntry(at=dt.datetime(2025, 1, 6, 9), actor="a", event="e", to_status="received")
    entry = HistoryEntry(
        at=dt.datetime(2025, 1, 6, 2, tzinfo=dt.UTC), actor="a", event="e", to_status="received"
    )
    assert entry.at.tzinfo is VN_TZ
    assert entry.at.hour == 9


def test_received_before_submitted_is_rejected() -> None:
    data = _dossier().model_dump()
    data["received_at"] = T0 - dt.timedelta(hours=1)
    with pytest.raises(InvalidInputError, match="before submitted_at"):
        Dossier.from_dict(data)


def test_from_json_wraps_errors_with_field_paths() -> None:
    data = json.loads(_dossier().to_json())
    data["applicant"]["cccd"] = "12345"
    data["channel"] = "fax"
    with pytest.raises(InvalidInputError) as info:
        Dossier.from_json(json.dumps(data))
    message = str(info.value)
    assert "applicant.cccd" in message
    assert "channel" in message
    assert isinstance(info.value.__cause__, ValidationError)
    assert ("channel",) in info.value.details["locs"]


def test_from_json_rejects_malformed_json_with_our_error() -> None:
    with pytest.raises(MotCuaError, match="invalid Dossier"):
        Dossier.from_json("{not json")


def test_applicant_cccd_must_agree_with_date_of_birth() -> None:
    # Digit 4 = 0 (male, 1900s), digits 5-6 = 99 -> born 1999.
    ok = Applicant(kind="citizen", name="A", cccd="001 099 012345", date_of_birth="1999-12-31")
    assert ok.cccd == "001099012345"
    with pytest.raises(ValidationError, match="year of birth 1999"):
        Applicant(kind="citizen", name="A", cccd="001099012345", date_of_birth="2099-01-01")


def test_applicant_kind_specific_fields() -> None:
    with pytest.raises(ValidationError, match="organisation has no cccd"):
        Applicant(kind="organisation", name="X", cccd="001099012345")
    with pytest.raises(ValidationError, match="citizen's tax code"):
        Applicant(kind="citizen", name="X", tax_code="0100233488")


def test_procedure_rules() -> None:
    base = _procedure().model_dump()
    with pytest.raises(ValidationError, match="time_limit_basis"):
        Procedure.model_validate({**base, "time_limit_basis": None})
    with pytest.raises(ValidationError, match="must say why in notes"):
        Procedure.model_validate({**base, "time_limit": None, "notes": []})
    with pytest.raises(ValidationError, match="also listed in coordinating"):
        Procedure.model_validate({**base, "coordinating_agencies": ["so-tai-chinh"]})
    with pytest.raises(ValidationError, match="'online' is not among channels"):
        Procedure.model_validate({**base, "channels": ["in_person"], "time_limit_variants": []})
    with pytest.raises(ValidationError, match="not a limit"):
        Procedure.model_validate({**base, "time_limit": {"value": 0, "unit": "working_days"}})
    with pytest.raises(ValidationError, match="legal_basis"):
        Procedure.model_validate({**base, "legal_basis": []})


def test_procedure_limit_for_channel() -> None:
    proc = _procedure()
    assert proc.limit_for("online") == TimeLimit.parse("2 ngày làm việc")
    assert proc.limit_for(Channel.IN_PERSON) == TimeLimit.parse("3 ngày làm việc")


def test_agency_office_hours_from_text_and_default() -> None:
    agency = Agency(code="a", name="A", level="province", office_hours="08:00-12:00,13:00-17:00")
    assert agency.hours == OfficeHours.hanoi()
    assert Agency(code="b", name="B", level="province").hours == OfficeHours.default()
    with pytest.raises(ValidationError, match="own parent"):
        Agency(code="a", name="A", level="province", parent="a")
    with pytest.raises(ValidationError, match="not a code"):
        Agency(code="so tu phap", name="A", level="province")


def test_dossier_unit_deciding_falls_back_to_receiving_unit() -> None:
    d = _dossier()
    assert d.unit_deciding == "H30"
    d.deciding_unit = None
    assert d.unit_deciding == "H29"


# -- issue 8 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["so-tu-phap\n", "so tu phap", "\nso", "so-tu-phap\r\n"])
def test_item15_codes_refuse_line_breaks(code: str) -> None:
    with pytest.raises(ValidationError, match="is not a code"):
        Agency(code=code, name="Sở Tư pháp", level="province")
    with pytest.raises(InvalidInputError, match="is not a code"):
        Agency.from_dict({"code": code, "name": "Sở Tư pháp", "level": "province"})


@pytest.mark.parametrize("province", ["01\n", "٠١", "1", "001"])
def test_item15_location_codes_are_ascii_digits_only(province: str) -> None:
    with pytest.raises(ValidationError):
        Location(province_code=province)


def test_item20_national_code_is_stripped_and_checked() -> None:
    base = {
        "id": "x", "name": "X", "field": "F", "level": "province", "lead_agency": "a",
        "time_limit": "5 ngày làm việc", "time_limit_basis": {"document": "D"},
        "legal_basis": [{"document": "D"}],
    }  # fmt: skip
    assert Procedure.model_validate({**base, "national_code": " 1.0012\n"}).national_code == (
        "1.0012"
    )
    with pytest.raises(ValidationError, match="no spaces inside"):
        Procedure.model_validate({**base, "national_code": "1.00 12"})


def test_item19_limit_for_an_unknown_channel_is_our_error() -> None:
    p = Procedure.model_validate(
        {
            "id": "x",
            "name": "X",
            "field": "F",
            "level": "province",
            "lead_agency": "a",
            "time_limit": "5 ngày làm việc",
            "time_limit_basis": {"document": "D"},
            "legal_basis": [{"document": "D"}],
        }
    )
    for junk in ("bogus", None, 5, ["online"]):
        with pytest.raises(InvalidInputError, match=r"channel .* is unknown; channels: in_person"):
            p.limit_for(junk)  # type: ignore[arg-type]
    assert str(p.limit_for(Channel.IN_PERSON)) == "5 ngày làm việc"


def _dossier_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "H29-250106-0001",
        "procedure_id": "p",
        "applicant": {"kind": "citizen", "name": "A"},
        "channel": "in_person",
        "receiving_unit": "H29",
        "submitted_at": T0,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "status", ["received", "processing", "awaiting_supplement", "awaiting_payment"]
)
def test_section7_a_running_dossier_needs_its_receipt_and_appointment(status: str) -> None:
    with pytest.raises(InvalidInputError, match="was received: give received_at"):
        Dossier.from_dict(_dossier_data(status=status))
    with pytest.raises(InvalidInputError, match="needs its appointment"):
        Dossier.from_dict(_dossier_data(status=status, received_at=T0))
    due = dt.datetime(2025, 1, 9, 17, tzinfo=VN_TZ)
    deadline = Deadline(
        received_at=T0,
        deemed_receipt=T0,
        limit=TimeLimit.parse("3 ngày làm việc"),
        method=Method.DAYS,
        due_at=due,
    )
    ok = Dossier.from_dict(_dossier_data(status=status, received_at=T0, deadline=deadline))
    assert ok.deadline is not None
    assert ok.deadline.due_at == due
    with pytest.raises(ValidationError, match="needs its appointment"):
        ok.deadline = None  # validated on assignment


@pytest.mark.parametrize("status", ["resolved", "returned", "stopped"])
def test_section7_a_closed_dossier_that_was_received_says_when(status: str) -> None:
    with pytest.raises(InvalidInputError, match="was received: give received_at"):
        Dossier.from_dict(_dossier_data(status=status))
    assert Dossier.from_dict(_dossier_data(status=status, received_at=T0)).deadline is None


@pytest.mark.parametrize("status", ["submitted", "refused", "withdrawn"])
def test_section7_statuses_before_reception_need_no_receipt(status: str) -> None:
    assert Dossier.from_dict(_dossier_data(status=status)).received_at is None
