"""The statutory forms (mot_cua.forms): filled from dossiers, lifecycles and route tracking.

The sample dossiers below are also used by the golden, PDF and browser tests (test_forms_*.py).
Expected texts are the forms' own wording (Circular 01/2018/TT-VPCP, Circular 03/2025/TT-VPCP)
and Vietnamese dates as the forms write them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mot_cua import VN_TZ
from mot_cua.errors import FormError, InvalidInputError, MotCuaError, UnknownFormError
from mot_cua.forms import (
    FormDetails,
    FormKind,
    fill_form,
    form_spec,
    forms_for,
    render_html,
)
from mot_cua.forms._vi import BLANK, date_in_words, moment_in_words
from mot_cua.lifecycle import Lifecycle, Regime
from mot_cua.models import Applicant, Contact, Dossier, FeePayment, SubmittedDocument
from mot_cua.routing import Route, RouteTracking, track_dossier

LAND = "dat-dai.dang-ky-lan-dau"
DESK = "ttphcc-phuong-hoan-kiem"
COMMUNE = "ubnd-phuong-hoan-kiem"
LAND_OFFICE = "vpdkdd-ha-noi"


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=VN_TZ)  # type: ignore[misc]


def applicant() -> Applicant:
    return Applicant(
        kind="citizen",
        name="Nguyễn Thị Hồng Nhung",
        cccd="001185012345",
        address="Số 12 phố Hàng Bạc, phường Hoàn Kiếm, Thành phố Hà Nội",
        contact=Contact(phone="0912 345 678", email="nhung.nguyen@example.vn"),
    )


DOCUMENTS = [
    SubmittedDocument(name="Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu số 04/ĐK)"),
    SubmittedDocument(name="Giấy tờ về quyền sử dụng đất", originals=0, copies=1),
    SubmittedDocument(name="Chứng từ thực hiện nghĩa vụ tài chính", electronic=True),
]


def route() -> Route:
    """A liên thông route of 20 working days: commune, land office, desk."""
    return Route.model_validate(
        {
            "id": "lien-thong-mau",
            "limit": "20 ngày làm việc",
            "desk": DESK,
            "lead_agency": COMMUNE,
            "stages": [
                {"steps": [{"id": "xac-nhan", "agency": COMMUNE, "budget": "6 ngày làm việc"}]},
                {
                    "steps": [
                        {"id": "tham-dinh", "agency": LAND_OFFICE, "budget": "10 ngày làm việc"}
                    ]
                },
                {"steps": [{"id": "tra-ket-qua", "agency": DESK, "budget": "4 ngày làm việc"}]},
            ],
        }
    )


def _dossier(code: str, submitted: dt.datetime, **extra: Any) -> Dossier:
    return Dossier(
        code=code,
        procedure_id=LAND,
        applicant=applicant(),
        channel="in_person",
        receiving_unit=DESK,
        deciding_unit=COMMUNE,
        submitted_at=submitted,
        documents=list(DOCUMENTS),
        **extra,
    )


def dossier_2024() -> tuple[Dossier, Lifecycle]:
    """Received 14/10/2024 (Circular 01/2018/TT-VPCP): supplement, apology, late step, returned."""
    d = _dossier("000.00.70.H01-241014-0007", at(2024, 10, 14, 9, 30))
    lc = Lifecycle("20 ngày làm việc", code=d.code)
    lc.send("receive", at=at(2024, 10, 14, 9, 30), actor="desk")
    lc.send("transfer", at=at(2024, 10, 14, 10, 0), to_agency=COMMUNE)
    lc.send("start", at=at(2024, 10, 14, 14, 0), actor=COMMUNE)
    lc.send("transfer", at=at(2024, 10, 21, 15, 0), to_agency=LAND_OFFICE)
    lc.send(
        "request_supplement",
        at=at(2024, 10, 23, 9, 0),
        missing=["Bản sao Giấy chứng minh nhân dân của người được ủy quyền", "Sơ đồ thửa đất"],
        reason="Hồ sơ thiếu giấy tờ theo quy định",
    )
    lc.send("supplement", at=at(2024, 10, 28, 10, 0))
    lc.send(
        "extend",
        at=at(2024, 11, 8, 9, 0),
        new_due_at=at(2024, 11, 20, 17, 0),
        reason="Cần xác minh nguồn gốc sử dụng đất với cơ quan thuế",
    )
    lc.send("transfer", at=at(2024, 11, 15, 16, 0), to_agency=DESK)
    lc.send("resolve", at=at(2024, 11, 15, 16, 30), outcome="approved")
    lc.send("return_result", at=at(2024, 11, 18, 9, 0), actor="desk")
    return with_lifecycle(d, lc), lc


def dossier_2025() -> tuple[Dossier, Lifecycle]:
    """Received 05/08/2025 (Circular 03/2025/TT-VPCP): apology, supplement, then stopped."""
    d = _dossier(
        "000.00.70.H01-250805-0012",
        at(2025, 8, 5, 9, 30),
        fees_paid=[FeePayment(name="Lệ phí cấp Giấy chứng nhận", amount_vnd=100000)],
    )
    lc = Lifecycle("20 ngày làm việc", code=d.code)
    lc.send("receive", at=at(2025, 8, 5, 9, 30), actor="desk")
    lc.send("transfer", at=at(2025, 8, 5, 10, 0), to_agency=COMMUNE)
    lc.send("start", at=at(2025, 8, 5, 14, 0), actor=COMMUNE)
    lc.send("transfer", at=at(2025, 8, 12, 15, 0), to_agency=LAND_OFFICE)
    lc.send(
        "extend",
        at=at(2025, 8, 26, 9, 0),
        new_due_at=at(2025, 9, 12, 17, 0),
        reason="Phải lấy ý kiến của cơ quan thuế về nghĩa vụ tài chính",
    )
    lc.send(
        "request_supplement",
        at=at(2025, 8, 27, 9, 0),
        missing=["Bản vẽ sơ đồ nhà ở, công trình xây dựng"],
        reason="Thiếu bản vẽ theo quy định",
    )
    lc.send(
        "stop",
        at=at(2025, 9, 10, 9, 0),
        reason="Quá thời hạn bổ sung hồ sơ mà người nộp không bổ sung",
    )
    return with_lifecycle(d, lc), lc


def refused(year: int) -> Dossier:
    """A dossier refused at the desk (never received)."""
    month = 10 if year == 2024 else 8
    d = _dossier(f"000.00.70.H01-{year % 100}{month:02d}07-0003", at(year, month, 7, 8, 15))
    lc = Lifecycle("20 ngày làm việc", code=d.code)
    lc.send("submit", at=at(year, month, 7, 8, 15), actor="applicant")
    lc.send(
        "refuse",
        at=at(year, month, 7, 8, 40),
        reason="Thửa đất không thuộc địa bàn phường Hoàn Kiếm",
        actor="desk",
    )
    return with_lifecycle(d, lc)


def with_lifecycle(d: Dossier, lc: Lifecycle) -> Dossier:
    """The dossier as its lifecycle left it (status, receipt, deadline, history)."""
    data = d.model_dump()
    data.update(status=lc.status, history=list(lc.history))
    if lc.deadline is not None:
        data.update(received_at=lc.deadline.received_at, deadline=lc.deadline)
    return Dossier.model_validate(data)


def tracking(d: Dossier) -> RouteTracking:
    now = at(2025, 9, 10, 9, 0) if d.received_at and d.received_at.year == 2025 else None
    return track_dossier(route(), d, now=now)


DETAILS = FormDetails(
    number="125/TNHS",
    receiver="Trần Văn Bình",
    signer="Lê Minh Châu",
    sets=1,
    return_place="Trung tâm Phục vụ hành chính công phường Hoàn Kiếm",
    register_book="01",
    register_entry="125",
    contact="Trung tâm Phục vụ hành chính công phường Hoàn Kiếm, số điện thoại 024 3825 0000",
    guidance="Bổ sung giấy tờ tại quầy số 3 trong giờ hành chính",
)


def sample(kind: FormKind, regime: Regime) -> dict[str, Any]:
    """Keyword arguments of fill_form/render_html for one form and regime (the golden set)."""
    d, lc = dossier_2024() if regime is Regime.DECREE_61_2018 else dossier_2025()
    year = 2024 if regime is Regime.DECREE_61_2018 else 2025
    if kind is FormKind.REFUSAL:
        return {"form": kind, "source": refused(year), "details": DETAILS}
    if kind is FormKind.REGISTER:
        return {"form": kind, "source": [d, refused(year)], "details": DETAILS}
    extra: dict[str, Any] = {}
    if kind in (FormKind.CONTROL_SHEET, FormKind.APOLOGY):
        extra["tracking"] = tracking(d)
    return {"form": kind, "source": d, "lifecycle": lc, "details": DETAILS, **extra}


ALL = [(s.kind, r) for r in Regime for s in forms_for(r)]


# ---------------------------------------------------------------------------------------------
# Vietnamese dates and times
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2025, 8, 5, 9, 30), "09 giờ 30 phút, ngày 05 tháng 8 năm 2025"),
        (at(2024, 1, 2, 17, 0), "17 giờ 00 phút, ngày 02 tháng 01 năm 2024"),
        (at(2024, 12, 31, 7, 5), "07 giờ 05 phút, ngày 31 tháng 12 năm 2024"),
        # 02:30 UTC is 09:30 in Vietnam: forms always write Vietnam time.
        (
            dt.datetime(2025, 2, 10, 2, 30, tzinfo=dt.UTC),
            "09 giờ 30 phút, ngày 10 tháng 02 năm 2025",
        ),
    ],
)
def test_moment_in_words(moment: dt.datetime, expected: str) -> None:
    assert moment_in_words(moment) == expected


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31)))
@settings(max_examples=200)
def test_moment_in_words_round_trips(value: dt.datetime) -> None:
    local = value.replace(tzinfo=VN_TZ)
    text = moment_in_words(local)
    m = re.fullmatch(r"(\d\d) giờ (\d\d) phút, ngày (\d\d) tháng (\d{1,2}) năm (\d{4})", text)
    assert m, text
    hour, minute, day, month, year = (int(g) for g in m.groups())
    assert (year, month, day, hour, minute) == (
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
    )
    # Months 1 and 2 take a leading zero, the others do not (Decree 30/2020/NĐ-CP).
    assert len(m.group(4)) == (2 if local.month <= 2 or local.month >= 10 else 1)


def test_blank_date() -> None:
    assert date_in_words(None) == "ngày …… tháng …… năm ……"


# ---------------------------------------------------------------------------------------------
# Which forms exist
# ---------------------------------------------------------------------------------------------


def test_circular_01_2018_has_six_forms_and_03_2025_seven() -> None:
    old = [(s.number, s.kind.value) for s in forms_for(Regime.DECREE_61_2018)]
    new = [(s.number, s.kind.value) for s in forms_for(Regime.DECREE_118_2025)]
    assert old == [
        ("01", "receipt"),
        ("02", "supplement_request"),
        ("03", "refusal"),
        ("04", "apology"),
        ("05", "control_sheet"),
        ("06", "register"),
    ]
    assert new[4:] == [("05", "stop_notice"), ("06", "control_sheet"), ("07", "register")]
    assert form_spec("apology", Regime.DECREE_118_2025).title == (
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    )
    assert form_spec("apology", Regime.DECREE_61_2018).title == (
        "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    )


@pytest.mark.parametrize(
    ("name", "regime", "kind"),
    [
        ("05", Regime.DECREE_61_2018, FormKind.CONTROL_SHEET),
        ("5", Regime.DECREE_118_2025, FormKind.STOP_NOTICE),
        ("control-sheet", Regime.DECREE_118_2025, FormKind.CONTROL_SHEET),
        ("RECEIPT", Regime.DECREE_61_2018, FormKind.RECEIPT),
    ],
)
def test_form_names_and_numbers(name: str, regime: Regime, kind: FormKind) -> None:
    assert form_spec(name, regime).kind is kind


def test_stop_notice_does_not_exist_before_july_2025() -> None:
    d, lc = dossier_2024()
    with pytest.raises(UnknownFormError) as info:
        fill_form("stop_notice", d, lifecycle=lc)
    message = str(info.value)
    assert "01/2018/TT-VPCP" in message
    assert "1 July 2025" in message
    assert "05 control_sheet" in message  # lists what exists
    assert isinstance(info.value, LookupError)
    with pytest.raises(UnknownFormError, match="'08'"):
        form_spec("08", Regime.DECREE_118_2025)


# ---------------------------------------------------------------------------------------------
# The receipt
# ---------------------------------------------------------------------------------------------


def test_receipt_2024_cites_circular_01_2018() -> None:
    d, lc = dossier_2024()
    form = fill_form("receipt", d, lifecycle=lc, details=DETAILS)
    assert (form.spec.number, form.spec.circular) == ("01", "01/2018/TT-VPCP")
    html = render_html("receipt", d, lifecycle=lc, details=DETAILS, fonts="none")
    assert "Mẫu số 01 – Thông tư số 01/2018/TT-VPCP" in html
    assert "03/2025" not in html
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html.upper()
    assert 'Mã hồ sơ: <span class="bold">000.00.70.H01-241014-0007</span>' in html
    # 20 working days from Monday 14/10/2024 (the receipt day is not counted): 11/11/2024.
    assert form.fields["due"] == "17 giờ 00 phút, ngày 11 tháng 11 năm 2024"
    assert form.fields["received"] == "09 giờ 30 phút, ngày 14 tháng 10 năm 2024"
    assert form.fields["limit"] == "20 ngày làm việc"
    # The 2018 receipt has no personal identification number line.
    assert "Số định danh cá nhân" not in html


def test_receipt_august_2025_cites_circular_03_2025() -> None:
    d, lc = dossier_2025()
    html = render_html("receipt", d, lifecycle=lc, details=DETAILS, fonts="none")
    assert "Mẫu số 01 – Thông tư số 03/2025/TT-VPCP" in html
    assert "01/2018" not in html
    assert "Số định danh cá nhân: 001185012345" in html
    assert "Lệ phí cấp Giấy chứng nhận: 100.000 đồng" in html


def test_receipt_prints_the_appointment_given_at_receipt() -> None:
    """An apology later moves the due date; the receipt keeps the first appointment."""
    d, _ = dossier_2024()
    assert d.deadline is not None
    assert d.deadline.due_at == at(2024, 11, 20, 17, 0)  # after the apology
    assert fill_form("receipt", d).fields["due"] == "17 giờ 00 phút, ngày 11 tháng 11 năm 2024"


def test_receipt_header_agency_lines_and_place() -> None:
    d, lc = dossier_2024()
    header = fill_form("receipt", d, lifecycle=lc).fields["header"]
    assert header["parent_agency"] == "ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM"
    assert header["agency"] == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG HOÀN KIẾM"
    assert header["place"] == "Hà Nội"
    assert header["date"] == "ngày 14 tháng 10 năm 2024"


def test_missing_fields_print_dotted_blanks_never_none() -> None:
    d = Dossier(
        code="X-250805-0001",
        procedure_id="no-such-procedure",
        applicant=Applicant(kind="citizen", name="Lê Văn An"),
        channel="online",
        receiving_unit="unknown-unit",
        submitted_at=at(2025, 8, 5, 9, 0),
        received_at=at(2025, 8, 5, 9, 0),
        deadline=None,
    )
    lc = Lifecycle("3 ngày làm việc", code=d.code)
    lc.send("receive", at=at(2025, 8, 5, 9, 0))
    for kind in (FormKind.RECEIPT, FormKind.CONTROL_SHEET):
        html = render_html(kind, d, lifecycle=lc, fonts="none")
        assert "None" not in html
        assert f"Số: {BLANK}" in html
        assert "Người nộp hồ sơ: Lê Văn An" in html or f"Địa chỉ: {BLANK}" in html
        assert f"{BLANK}, ngày 05 tháng 8 năm 2025" in html  # no place known


def test_receipt_without_due_moment_is_an_error() -> None:
    d = _dossier("X-250805-0002", at(2025, 8, 5, 9, 0), received_at=at(2025, 8, 5, 9, 0))
    with pytest.raises(FormError, match="no due moment") as info:
        fill_form("receipt", d)
    assert info.value.details["field"] == "deadline"
    assert "X-250805-0002" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_receipt_for_a_dossier_never_received_is_an_error() -> None:
    with pytest.raises(FormError, match="has not been received"):
        fill_form("receipt", refused(2024))


def test_qr_code_holds_the_lookup_url() -> None:
    d, lc = dossier_2025()
    details = FormDetails(qr="https://dichvucong.example.vn/tra-cuu?ma={code}", lookup_code="ABC")
    form = fill_form("receipt", d, lifecycle=lc, details=details)
    assert form.fields["qr_text"] == (
        "https://dichvucong.example.vn/tra-cuu?ma=000.00.70.H01-250805-0012"
    )
    html = render_html("receipt", d, lifecycle=lc, details=details, fonts="none")
    assert '<img src="data:image/svg+xml' in html
    assert "Mã tra cứu: ABC" in html


# ---------------------------------------------------------------------------------------------
# The other forms
# ---------------------------------------------------------------------------------------------


def test_supplement_request_lists_the_missing_items() -> None:
    d, lc = dossier_2024()
    form = fill_form("supplement_request", d, lifecycle=lc, details=DETAILS)
    assert form.fields["items"] == [
        "Bản sao Giấy chứng minh nhân dân của người được ủy quyền",
        "Sơ đồ thửa đất",
    ]
    assert form.fields["reason"] == "Hồ sơ thiếu giấy tờ theo quy định"
    assert form.fields["header"]["date"] == "ngày 23 tháng 10 năm 2024"
    override = fill_form("02", d, details=FormDetails(items=("Tờ khai",)))
    assert override.fields["items"] == ["Tờ khai"]


def test_supplement_request_without_items_is_an_error() -> None:
    with pytest.raises(FormError, match="no items to supplement"):
        fill_form("supplement_request", refused(2025))


def test_refusal_states_the_reasons() -> None:
    html = render_html("refusal", refused(2024), details=DETAILS, fonts="none")
    assert "Thửa đất không thuộc địa bàn phường Hoàn Kiếm" in html
    assert "NGƯỜI NỘP HỒ SƠ" in html.upper()
    d, _ = dossier_2024()
    with pytest.raises(FormError, match="states its reasons"):
        fill_form("refusal", d)


def test_apology_2024_gives_the_new_date_and_the_late_agency() -> None:
    d, lc = dossier_2024()
    form = fill_form("apology", d, lifecycle=lc, tracking=tracking(d), details=DETAILS)
    assert form.spec.title == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    # The appointment in force when apologising: 11/11 moved by the supplement pause
    # (23/10 → 28/10/2024: three working days, 24, 25 and 28/10) to 14/11/2024.
    assert form.fields["original_due"] == "17 giờ 00 phút, ngày 14 tháng 11 năm 2024"
    assert form.fields["new_due"] == "17 giờ 00 phút, ngày 20 tháng 11 năm 2024"
    assert form.fields["reason"] == "Cần xác minh nguồn gốc sử dụng đất với cơ quan thuế"
    # The land office's step ran late: it apologises (mot_cua rules §7).
    assert form.fields["header"]["agency"] == "VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI HÀ NỘI"


def test_apology_without_a_new_date_is_an_error() -> None:
    d = _dossier("X-241014-0009", at(2024, 10, 14, 9, 0))
    with pytest.raises(FormError, match="new date") as info:
        fill_form("apology", d)
    assert info.value.details["field"] == "new_due_at"
    form = fill_form("apology", d, details={"new_due_at": "2024-11-20T17:00:00+07:00"})
    assert form.fields["new_due"] == "17 giờ 00 phút, ngày 20 tháng 11 năm 2024"


def test_stop_notice_2025() -> None:
    d, lc = dossier_2025()
    form = fill_form("stop_notice", d, lifecycle=lc, details=DETAILS)
    assert form.spec.number == "05"
    assert form.fields["stage"] == "Yêu cầu bổ sung giấy tờ"
    assert form.fields["stopped"] == "09 giờ 00 phút, ngày 10 tháng 9 năm 2025"
    assert form.fields["reason"].startswith("Quá thời hạn bổ sung")


def test_control_sheet_rows_from_tracking() -> None:
    d, lc = dossier_2024()
    form = fill_form("control_sheet", d, lifecycle=lc, tracking=tracking(d))
    assert form.spec.number == "05"
    rows = form.fields["rows"]
    assert [(r["from"], r["to"], r["result"]) for r in rows] == [
        (
            "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm",
            "Ủy ban nhân dân phường Hoàn Kiếm",
            None,
        ),
        ("Ủy ban nhân dân phường Hoàn Kiếm", "Văn phòng Đăng ký đất đai Hà Nội", "Trước hạn"),
        (
            "Văn phòng Đăng ký đất đai Hà Nội",
            "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm",
            "Quá hạn",
        ),
    ]
    assert rows[1]["at"] == "15 giờ 00 phút, ngày 21 tháng 10 năm 2024"
    # Without tracking, the hand-overs come from the history, results left for the clerk.
    plain = fill_form("control_sheet", d)
    assert [r["result"] for r in plain.fields["rows"]] == [None, None, None]
    assert fill_form("control_sheet", d, regime="decree-118-2025").spec.number == "06"


def test_register_rows_and_regime_mix() -> None:
    d24, _ = dossier_2024()
    d25, _ = dossier_2025()
    form = fill_form("register", [d24, refused(2024)])
    assert form.spec.number == "06"
    first = form.fields["rows"][0]
    assert (first["n"], first["code"], first["received"], first["due"]) == (
        1,
        "000.00.70.H01-241014-0007",
        "09:30 14/10/2024",
        "17:00 20/11/2024",
    )
    assert first["transferred"] == "10:00 14/10/2024"
    assert first["returned"] == "09:00 18/11/2024"
    assert fill_form("register", [d25]).spec.number == "07"
    with pytest.raises(FormError, match="split it at 01/07/2025"):
        fill_form("register", [d24, d25])
    with pytest.raises(InvalidInputError, match="only the register takes a list"):
        fill_form("receipt", [d24])


def test_bad_details_are_reported() -> None:
    d, _ = dossier_2024()
    with pytest.raises(InvalidInputError, match="invalid form details"):
        fill_form("receipt", d, details={"sets": 0})
    with pytest.raises(InvalidInputError, match="fonts must be"):
        render_html("receipt", d, fonts="web")  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "regime"), ALL, ids=str)
def test_every_form_renders_without_none(kind: FormKind, regime: Regime) -> None:
    kwargs = sample(kind, regime)
    html = render_html(fonts="none", **kwargs)
    spec = form_spec(kind, regime)
    assert f"{spec.label} – Thông tư số {spec.circular}" in html
    assert spec.title.upper() in html.upper()
    assert "None" not in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html


def test_every_error_is_a_mot_cua_error() -> None:
    for call in (
        lambda: fill_form("nope", dossier_2024()[0]),
        lambda: fill_form("receipt", dossier_2024()[0], regime="decree-1-1990"),
    ):
        with pytest.raises(MotCuaError):
            call()


# ---------------------------------------------------------------------------------------------
# The shipped font
# ---------------------------------------------------------------------------------------------

VIETNAMESE = (
    "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư"
    + "".join(chr(c) for c in range(0x1EA0, 0x1EFA))  # Latin Extended Additional: ạ ả ấ ... ỹ
)


def test_shipped_font_covers_every_vietnamese_letter() -> None:
    from importlib import resources

    from fontTools.ttLib import TTFont

    from mot_cua.forms import FONT_FILES

    fonts = resources.files("mot_cua.forms").joinpath("fonts")
    assert fonts.joinpath("OFL.txt").read_text("utf-8").count("SIL OPEN FONT LICENSE") == 1
    assert len(VIETNAMESE) == 134
    for name in FONT_FILES.values():
        with resources.as_file(fonts.joinpath(name)) as path:
            cmap = TTFont(path).getBestCmap()
        missing = [c for c in VIETNAMESE if ord(c) not in cmap]
        assert not missing, f"{name} lacks {missing}"
