# ruff: noqa: E501  (the HTML template and SVG markup read better unwrapped)
"""The report as one self-contained HTML page: table, Decision 766 metrics, inline SVG charts.

No script, no web font, no CDN: the page works offline on a government intranet and prints.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from mot_cua.errors import InvalidInputError
from mot_cua.indicators import COLUMNS, METRICS, Report, ReportRow

__all__ = ["render_html", "write_html"]

_HEADERS = {
    "received_online": "Trực tuyến",
    "received_offline": "Trực tiếp, bưu chính",
    "carried_over": "Từ kỳ trước",
    "received_total": "Tổng nhận",
    "resolved_total": "Đã giải quyết",
    "resolved_early": "Trả trước hạn",
    "resolved_on_time": "Trả đúng hạn",
    "resolved_late": "Trả quá hạn",
    "pending_total": "Đang giải quyết",
    "pending_within_time": "Trong hạn",
    "pending_overdue": "Quá hạn",
}

_BY_VI = {
    "field": "Lĩnh vực",
    "procedure": "Thủ tục",
    "agency": "Cơ quan",
    "channel": "Kênh",
    "level": "Cấp",
}

_TEMPLATE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Báo cáo giải quyết TTHC {{ period.label }}</title>
<style>
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #1d2733; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; }
p.meta { color: #52606d; margin: 0 0 16px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #9aa5b1; padding: 4px 8px; }
th { background: #e4ecf5; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; background: #f5f7fa; }
.nc { color: #7b8794; } .charts { display: flex; flex-wrap: wrap; gap: 24px; }
figure { margin: 0; } figcaption { font-size: 13px; font-weight: bold; margin-bottom: 4px; }
svg text { font-size: 11px; fill: #1d2733; }
</style>
</head>
<body>
<h1>Tình hình, kết quả giải quyết thủ tục hành chính</h1>
<p class="meta">{{ unit }}Kỳ báo cáo: <b>{{ period.label }}</b> ({{ period.start.strftime("%d/%m/%Y") }}
– {{ period.end.strftime("%d/%m/%Y") }}){% if as_of %}; đánh giá tại {{ as_of }}{% endif %}.
Tính theo mot_cua ({{ engine }}); các quy tắc và nguồn: trang "Indicators and reports".</p>
<h2>Bảng tổng hợp (mẫu II.06a)</h2>
<table id="report-table">
<thead><tr><th>{{ group_header }}</th>{% for c in columns %}<th>{{ headers[c] }}</th>{% endfor %}</tr></thead>
<tbody>
{% for label, row in rows %}<tr>
<td>{{ label }}</td>{% for c in columns %}<td class="n" data-key="{{ c }}">{{ row[c] }}</td>{% endfor %}
</tr>
{% endfor %}<tr class="total" id="total-row"><td>Tổng số</td>{% for c in columns %}<td class="n" data-key="{{ c }}">{{ total[c] }}</td>{% endfor %}</tr>
</tbody>
</table>
<h2>Chỉ số Quyết định 766/QĐ-TTg: {{ "%.2f"|format(points) }} điểm (các chỉ số tính được)</h2>
<table id="metrics">
<thead><tr><th>Chỉ số</th><th>Tên</th><th>Tử số</th><th>Mẫu số</th><th>Tỷ lệ</th><th>Điểm</th><th>Tối đa</th></tr></thead>
<tbody>
{% for m in metrics %}<tr id="metric-{{ m.number }}"{% if not m.computable %} class="nc"{% endif %}>
<td>{{ m.number }}</td><td>{{ m.name_vi }}</td>
{% if m.computable %}<td class="n">{{ m.numerator|fmt }}</td><td class="n">{{ m.denominator|fmt }}</td>
<td class="n">{% if m.scoring == "info" %}{{ m.ratio|fmt }} ngày{% else %}{{ m.ratio|pct }}{% endif %}</td><td class="n" data-key="points">{{ "%.2f"|format(m.points) }}</td>
{% else %}<td colspan="4">không tính được: thiếu dữ liệu</td>{% endif %}<td class="n">{{ m.max_points|fmt }}</td>
</tr>
{% endfor %}</tbody>
</table>
<h2>Biểu đồ</h2>
<div class="charts">
<figure><figcaption>Tỷ lệ đúng hạn, trước hạn, trong hạn theo {{ group_header|lower }}</figcaption>{{ chart_rate }}</figure>
<figure><figcaption>Hồ sơ tiếp nhận và giải quyết theo tuần</figcaption>{{ chart_weeks }}</figure>
<figure><figcaption>Hồ sơ quá hạn theo cơ quan</figcaption>{{ chart_late }}</figure>
</div>
{% if skipped %}<h2>Dòng bị bỏ qua ({{ skipped|length }})</h2>
<table id="skipped"><thead><tr><th>Dòng</th><th>Cột</th><th>Lý do</th></tr></thead><tbody>
{% for s in skipped %}<tr><td class="n">{{ s.line }}</td><td>{{ s.column }}</td><td>{{ s.reason }}</td></tr>
{% endfor %}</tbody></table>{% endif %}
</body>
</html>
"""


def _fmt(x: float | None) -> str:
    if x is None:
        return "–"
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.2f} %".replace(".", ",")


def _bars(items: list[tuple[str, float]], *, percent: bool, color: str) -> Markup:
    """Horizontal bars, one per item, as inline SVG."""
    if not items:
        return Markup(
            '<svg width="420" height="30" role="img"><text x="4" y="18">Không có dữ liệu</text></svg>'
        )
    top = max((v for _, v in items), default=0) or 1
    scale = 1.0 if percent else top
    height = 24 * len(items) + 10
    parts = [f'<svg width="460" height="{height}" role="img" class="bars">']
    for i, (label, v) in enumerate(items):
        y = 6 + 24 * i
        w = 260 * (v / scale)
        text = f"{100 * v:.1f} %".replace(".", ",") if percent else _fmt(v)
        parts.append(
            f'<text x="150" y="{y + 13}" text-anchor="end">{escape(label[:24])}</text>'
            f'<rect x="156" y="{y}" width="{w:.1f}" height="18" fill="{color}"/>'
            f'<text x="{160 + w:.1f}" y="{y + 13}">{text}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _lines(report: Report) -> Markup:
    """Received and resolved per week as two polylines."""
    weeks = report.weekly
    if not weeks:
        return _bars([], percent=False, color="#000")
    width, height, left, bottom = 460, 220, 40, 30
    top = max(max(w.received, w.resolved) for w in weeks) or 1
    step = (width - left - 20) / max(len(weeks) - 1, 1)

    def pt(i: int, v: int) -> str:
        return f"{left + i * step:.1f},{height - bottom - (height - bottom - 20) * v / top:.1f}"

    parts = [
        f'<svg width="{width}" height="{height}" role="img" class="weeks">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        'stroke="#9aa5b1"/>',
        f'<text x="4" y="24">{top}</text><text x="4" y="{height - bottom}">0</text>',
    ]
    for key, color in (("received", "#1f6fb2"), ("resolved", "#2f9e44")):
        pts = " ".join(pt(i, getattr(w, key)) for i, w in enumerate(weeks))
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"/>')
        for i, w in enumerate(weeks):
            x, y = pt(i, getattr(w, key)).split(",")
            parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{color}"/>')
    for i, w in enumerate(weeks):
        parts.append(
            f'<text x="{left + i * step:.1f}" y="{height - 12}" text-anchor="middle">'
            f"{w.week:%d/%m}</text>"
        )
    parts.append(
        f'<rect x="{width - 150}" y="4" width="10" height="10" fill="#1f6fb2"/>'
        f'<text x="{width - 136}" y="13">tiếp nhận</text>'
        f'<rect x="{width - 80}" y="4" width="10" height="10" fill="#2f9e44"/>'
        f'<text x="{width - 66}" y="13">giải quyết</text></svg>'
    )
    return Markup("".join(parts))


def _rate(row: ReportRow) -> float:
    good = row.resolved_early + row.resolved_on_time + row.pending_within_time
    return good / row.received_total if row.received_total else 0.0


def _label(row: ReportRow) -> str:
    return " / ".join(v or "(không rõ)" for v in row.group.values()) or "Tổng số"


def render_html(report: Report, *, unit: str = "") -> str:
    """The page as text (see :func:`write_html`).

    >>> from mot_cua.indicators import report as build
    >>> "<svg" in render_html(build([], "2026-03")) and "http" not in render_html(build([], "2026-03"))
    True
    """
    env = Environment(autoescape=True, keep_trailing_newline=True)
    env.filters["fmt"] = _fmt
    env.filters["pct"] = _pct
    names = {m.number: m.name_vi for m in METRICS}
    rows = [(_label(r), r.counts()) for r in report.rows]
    rate_rows = list(report.rows) or [report.total]
    metrics = [{**m.model_dump(), "name_vi": names[k]} for k, m in report.indicators.items()]
    return env.from_string(_TEMPLATE).render(
        period=report.period,
        unit=f"{unit}. " if unit else "",
        as_of=None if report.as_of is None else report.as_of.isoformat(),
        engine=report.engine,
        group_header=" / ".join(_BY_VI[k] for k in report.by) or "Nhóm",
        columns=COLUMNS,
        headers=_HEADERS,
        rows=rows,
        total=report.total.counts(),
        metrics=metrics,
        points=report.points,
        chart_rate=_bars([(_label(r), _rate(r)) for r in rate_rows], percent=True, color="#1f6fb2"),
        chart_weeks=_lines(report),
        chart_late=_bars(
            [(a or "(không rõ)", float(n)) for a, n in report.late_by_agency],
            percent=False,
            color="#c92a2a",
        ),
        skipped=report.skipped,
    )


def write_html(report: Report, path: str | Path, *, unit: str = "") -> Path:
    """Write the report as one self-contained HTML page (no script, no network).

    Args:
        report: the report.
        path: the ``.html`` file to write.
        unit: the reporting unit's name.

    Returns:
        The path written.

    Raises:
        InvalidInputError: the file cannot be written.
    """
    out = Path(path)
    try:
        out.write_text(render_html(report, unit=unit), encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(f"cannot write {out}: {exc}", field="path") from exc
    return out
