"""PDF output of the forms (WeasyPrint): text read back with pypdf, page size, embedded font."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from mot_cua.forms import FormKind, form_spec, render_pdf
from mot_cua.lifecycle import Regime
from tests.test_forms import ALL, DETAILS, dossier_2024, dossier_2025, sample

A4_PORTRAIT = (595, 842)  # points, rounded


def _reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def _text(reader: PdfReader) -> str:
    # Collapse the line breaks WeasyPrint puts where a line wraps.
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_receipt_2024_pdf_text() -> None:
    d, lc = dossier_2024()
    text = _text(_reader(render_pdf("receipt", d, lifecycle=lc, details=DETAILS)))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "000.00.70.H01-241014-0007" in text
    assert "09 giờ 30 phút, ngày 14 tháng 10 năm 2024" in text
    assert "17 giờ 00 phút, ngày 11 tháng 11 năm 2024" in text
    assert "Thông tư số 01/2018/TT-VPCP" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Nguyễn Thị Hồng Nhung" in text


def test_receipt_2025_pdf_text() -> None:
    d, lc = dossier_2025()
    text = _text(_reader(render_pdf("receipt", d, lifecycle=lc, details=DETAILS)))
    assert "Thông tư số 03/2025/TT-VPCP" in text
    assert "000.00.70.H01-250805-0012" in text
    assert "09 giờ 30 phút, ngày 05 tháng 8 năm 2025" in text


def test_pdf_embeds_the_shipped_font() -> None:
    d, lc = dossier_2024()
    reader = _reader(render_pdf("receipt", d, lifecycle=lc))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    assert names, "no font in the PDF"
    # The shipped face, under the family name of mot_cua's @font-face (subset: "ABCDEF+").
    assert all(name.split("+")[-1].startswith("MotCua-Serif") for name in names), names


@pytest.mark.parametrize(("kind", "regime"), ALL, ids=str)
def test_every_form_pdf(kind: FormKind, regime: Regime) -> None:
    reader = _reader(render_pdf(**sample(kind, regime)))
    spec = form_spec(kind, regime)
    text = _text(reader)
    assert spec.title.upper() in text.upper()
    assert f"Thông tư số {spec.circular}" in text
    assert "None" not in text
    box = reader.pages[0].mediabox
    size = (round(float(box.width)), round(float(box.height)))
    assert size == (A4_PORTRAIT[::-1] if spec.landscape else A4_PORTRAIT)
    # Every form fits one page with the sample data (tables do not spill on their own).
    assert len(reader.pages) == 1


def test_to_pdfs_gives_one_pdf_per_form_in_order() -> None:
    from mot_cua.forms import fill_form, to_pdfs

    forms = [
        fill_form(**sample(FormKind.RECEIPT, Regime.DECREE_61_2018)),
        fill_form(**sample(FormKind.REGISTER, Regime.DECREE_61_2018)),
        fill_form(**sample(FormKind.RECEIPT, Regime.DECREE_118_2025)),
    ]
    pdfs = to_pdfs(forms, chunk=2)
    assert len(pdfs) == 3
    readers = [_reader(pdf) for pdf in pdfs]
    assert [len(r.pages) for r in readers] == [1, 1, 1]
    assert "01/2018/TT-VPCP" in _text(readers[0])
    assert "SỔ THEO DÕI HỒ SƠ" in _text(readers[1])
    assert float(readers[1].pages[0].mediabox.width) > float(readers[1].pages[0].mediabox.height)
    assert "03/2025/TT-VPCP" in _text(readers[2])
    assert to_pdfs([]) == []
    with pytest.raises(ValueError, match="chunk"):
        to_pdfs(forms, chunk=0)
