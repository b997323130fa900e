"""Form II.06a as an Excel workbook (openpyxl), and a report as a polars frame.

Form II.06a of Circular 01/2020/TT-VPCP ("Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị
trực tiếp giải quyết TTHC"): 13 columns, one row per field (lĩnh vực), a total row. Circular
05/2025/TT-VPCP replaces Circular 01/2020 from 15/02/2026; its forms were not read, so mot_cua
assumes II.06a's columns survive (medium confidence; mot_cua indicators §E.7).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from mot_cua.errors import InvalidInputError
from mot_cua.indicators import COLUMNS, Report, ReportRow

__all__ = ["FORM_COLUMNS", "report_to_frame", "write_xlsx"]

#: The 13 columns of form II.06a: (number, Vietnamese header, report key or None).
FORM_COLUMNS: tuple[tuple[int, str, str | None], ...] = (
    (1, "STT", None),
    (2, "Lĩnh vực giải quyết", None),
    (3, "Tổng số", "received_total"),
    (4, "Trực tuyến", "received_online"),
    (5, "Trực tiếp, dịch vụ bưu chính", "received_offline"),
    (6, "Từ kỳ trước", "carried_over"),
    (7, "Tổng số", "resolved_total"),
    (8, "Trả trước hạn", "resolved_early"),
    (9, "Trả đúng hạn", "resolved_on_time"),
    (10, "Trả quá hạn", "resolved_late"),
    (11, "Tổng số", "pending_total"),
    (12, "Trong hạn", "pending_within_time"),
    (13, "Quá hạn", "pending_overdue"),
)


class _Styles:
    """openpyxl styles, built on first use (openpyxl is imported only when writing a file)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side

        thin = Side(style="thin")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right")
        self.bold = Font(bold=True)
        self.title = Font(bold=True, size=13)


_HEAD = 7  # first row of the table header


def _label(row: ReportRow) -> str:
    return " / ".join(v or "(không rõ)" for v in row.group.values()) or "(không rõ)"


def _header_block(ws: Any, report: Report, unit: str, st: _Styles) -> None:
    ws.merge_cells("A1:E1")
    ws["A1"] = f"Đơn vị báo cáo: {unit or '…'}"
    ws.merge_cells("J1:M1")
    ws["J1"] = "Mẫu số II.06a/VPCP/KSTT"
    ws["J1"].alignment = st.right
    ws.merge_cells("A3:M3")
    ws["A3"] = (
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP "
        "GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    )
    ws["A3"].font = st.title
    ws["A3"].alignment = st.center
    ws.row_dimensions[3].height = 36
    ws.merge_cells("A4:M4")
    p = report.period
    ws["A4"] = f"Kỳ báo cáo: {p.label} (từ ngày {p.start:%d/%m/%Y} đến ngày {p.end:%d/%m/%Y})"
    ws["A4"].alignment = st.center
    ws.merge_cells("J5:M5")
    ws["J5"] = "Đơn vị tính: Số hồ sơ TTHC"
    ws["J5"].alignment = st.right


def _table_header(ws: Any, st: _Styles) -> None:
    h = _HEAD
    merges = [
        (f"A{h}:A{h + 2}", "STT"),
        (f"B{h}:B{h + 2}", "Lĩnh vực giải quyết"),
        (f"C{h}:F{h}", "Số hồ sơ nhận giải quyết"),
        (f"G{h}:M{h}", "Kết quả giải quyết"),
        (f"C{h + 1}:C{h + 2}", "Tổng số"),
        (f"D{h + 1}:E{h + 1}", "Trong kỳ"),
        (f"F{h + 1}:F{h + 2}", "Từ kỳ trước"),
        (f"G{h + 1}:J{h + 1}", "Số hồ sơ đã giải quyết"),
        (f"K{h + 1}:M{h + 1}", "Số hồ sơ đang giải quyết"),
    ]
    for rng, text in merges:
        ws.merge_cells(rng)
        ws[rng.split(":")[0]] = text
    for col in (4, 5, 7, 8, 9, 10, 11, 12, 13):
        ws.cell(row=h + 2, column=col, value=FORM_COLUMNS[col - 1][1])
    for number, _, _ in FORM_COLUMNS:
        ws.cell(row=h + 3, column=number, value=f"({number})")
    for r in range(h, h + 4):
        for c in range(1, 14):
            cell = ws.cell(row=r, column=c)
            cell.border, cell.alignment = st.box, st.center
            if r < h + 3:
                cell.font = st.bold


def _data_row(ws: Any, r: int, number: int | str, label: str, row: ReportRow, st: _Styles) -> None:
    counts = row.counts()
    ws.cell(row=r, column=1, value=number)
    ws.cell(row=r, column=2, value=label)
    for col, _, key in FORM_COLUMNS[2:]:
        ws.cell(row=r, column=col, value=counts[key] if key else None)
    for c in range(1, 14):
        cell = ws.cell(row=r, column=c)
        cell.border = st.box
        cell.alignment = st.center if c != 2 else st.left


def write_xlsx(report: Report, path: str | Path, *, unit: str = "") -> Path:
    """Write ``report`` as form II.06a: header block, merged headers, a row per group, total.

    Rows are the report's groups (group by ``field`` for the form as published; another
    grouping is labelled the same way); without groups only the total row is written.

    Args:
        report: the report.
        path: the ``.xlsx`` file to write.
        unit: the reporting unit's name, for the header block.

    Returns:
        The path written.

    Raises:
        InvalidInputError: the file cannot be written.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    st = _Styles()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "II.06a"
    _header_block(ws, report, unit, st)
    _table_header(ws, st)
    r = _HEAD + 4
    for number, row in enumerate(report.rows, start=1):
        _data_row(ws, r, number, _label(row), row, st)
        r += 1
    _data_row(ws, r, "", "Tổng số", report.total, st)
    for c in range(1, 14):
        ws.cell(row=r, column=c).font = st.bold
    widths = [6, 30, 10, 11, 14, 10, 10, 10, 10, 10, 10, 10, 10]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = ws.cell(row=_HEAD + 4, column=3)
    ws.print_options.horizontalCentered = True
    ws.page_setup.orientation = "landscape"
    out = Path(path)
    try:
        wb.save(out)
    except OSError as exc:
        raise InvalidInputError(f"cannot write {out}: {exc}", field="path") from exc
    return out


def report_to_frame(report: Report) -> pl.DataFrame:
    """The report's rows and total as a polars frame: group columns, then the 11 columns.

    >>> from mot_cua.indicators import report as build
    >>> report_to_frame(build([], "2026-03")).columns[:2]
    ['row', 'received_online']
    """
    keys = list(report.by)
    data: dict[str, list[Any]] = {"row": [], **{k: [] for k in keys}, **{c: [] for c in COLUMNS}}
    for label, row in [*(("group", r) for r in report.rows), ("total", report.total)]:
        data["row"].append(label)
        for k in keys:
            data[k].append(row.group.get(k))
        for c, v in row.counts().items():
            data[c].append(v)
    schema = {
        "row": pl.String,
        **dict.fromkeys(keys, pl.String),
        **dict.fromkeys(COLUMNS, pl.Int64),
    }
    return pl.DataFrame(data, schema=schema)
