"""Print the receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) of two dossiers, 2024 and 2025.

The same code produces form 01 of Circular 01/2018/TT-VPCP for a dossier received in October
2024 and form 01 of Circular 03/2025/TT-VPCP for one received in August 2025: the regime comes
from the receipt date. The return time is the due moment mot_cua computes, written as the form
writes it. The PDFs (font embedded) and a self-contained HTML are written to a folder.

Run: ``python examples/08_receipt.py`` (needs ``pip install "mot_cua[forms]"``); the files go to a
new temporary folder, or to ``$MOT_CUA_EXAMPLE_OUT``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from mot_cua import VN_TZ, Applicant, Contact, Dossier, Lifecycle, SubmittedDocument
from mot_cua.errors import UnknownFormError
from mot_cua.forms import (
    FormDetails,
    fill_form,
    form_spec,
    forms_for,
    regime_of,
    render_html,
    render_pdf,
)


def received_dossier(code: str, at: dt.datetime) -> Dossier:
    """A certification dossier received at the desk at ``at`` (same-day limit)."""
    lifecycle = Lifecycle("trong ngày", code=code)
    entry = lifecycle.send("receive", at=at, actor="desk")
    return Dossier(
        code=code,
        procedure_id="chung-thuc.ban-sao-tu-ban-chinh",
        applicant=Applicant(
            kind="citizen",
            name="Phạm Thị Thu Hà",
            cccd="001190054321",
            address="Số 5 phố Đinh Tiên Hoàng, phường Hoàn Kiếm, Thành phố Hà Nội",
            contact=Contact(phone="0987 654 321"),
        ),
        channel="in_person",
        receiving_unit="ttphcc-phuong-hoan-kiem",
        submitted_at=at,
        received_at=at,
        status="received",
        documents=[
            SubmittedDocument(name="Bản chính Giấy khai sinh", originals=1),
            SubmittedDocument(name="Bản sao cần chứng thực", copies=3),
        ],
        deadline=lifecycle.deadline,
        history=[entry],
    )


def main() -> None:
    """Fill, print and save the two receipts."""
    folder = os.environ.get("MOT_CUA_EXAMPLE_OUT")
    out = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="mot-cua-forms-"))
    out.mkdir(parents=True, exist_ok=True)
    details = FormDetails(
        sets=1,
        receiver="Trần Văn Bình",
        return_place="Trung tâm Phục vụ hành chính công phường Hoàn Kiếm, quầy số 2",
        qr="https://dichvucong.example.vn/tra-cuu?ma={code}",
    )
    for code, at in [
        ("000.00.70.H01-241014-0031", dt.datetime(2024, 10, 14, 15, 40, tzinfo=VN_TZ)),
        ("000.00.70.H01-250805-0008", dt.datetime(2025, 8, 5, 9, 10, tzinfo=VN_TZ)),
    ]:
        dossier = received_dossier(code, at)
        form = fill_form("receipt", dossier, details=details)
        print(f"{dossier.code}: {form.spec.label}, Thông tư số {form.spec.circular}")
        print(f"  4. Thời gian nhận hồ sơ: {form.fields['received']}")
        print(f"  5. Thời gian trả kết quả: {form.fields['due']}")
        pdf = out / f"{code}.pdf"
        pdf.write_bytes(render_pdf("receipt", dossier, details=details))
        html = out / f"{code}.html"
        html.write_text(render_html("receipt", dossier, details=details), encoding="utf-8")
        print(f"  written: {pdf} ({pdf.stat().st_size:,} bytes), {html.name}")
        numbers = ", ".join(f"{s.number} {s.kind.value}" for s in forms_for(regime_of(dossier)))
        print(f"  forms of this regime: {numbers}")
        try:
            form_spec("stop_notice", regime_of(dossier))
        except UnknownFormError as exc:
            print(f"  no stop notice: {exc.message.split(';')[0]}")


if __name__ == "__main__":
    main()
