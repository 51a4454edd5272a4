"""Native Excel charts in the annex: each on its own sheet, A4 landscape, ready to print.

The charts are XlsxWriter charts over cells of their own sheet (the figures beside the chart,
outside the print area), so they stay editable in Excel and print with the workbook. Their data
comes from `app.charts.data`; a unit without a figure keeps its category, labelled with the
reason ("… (chưa báo cáo)"), over an empty cell — Excel draws no bar for it and no label.

Number formats are set explicitly on the axes and the data labels in Excel's neutral syntax
(`#,##0`, `0.00`), so a Vietnamese Excel or LibreOffice writes "142.780" and "97,37".
"""

from __future__ import annotations

from typing import Any

from app.charts.data import (
    BELOW_TARGET,
    PALETTE,
    TOTAL,
    Chart,
    dossiers_by_channel,
    largest_changes,
    on_time_by_unit,
    value_bounds,
)
from app.export.annex import DRAFT_MARK, FONT, MARGINS, PAPER_A4
from app.model import Report

SHEET_PREFIX = "Biểu đồ"
SHEET_NAMES = {
    "ty_le_dung_han_theo_don_vi": "Biểu đồ - Đúng hạn",
    "ho_so_theo_kenh": "Biểu đồ - Kênh tiếp nhận",
    "chi_tieu_thay_doi_nhieu_nhat": "Biểu đồ - Thay đổi",
}
VALUE_FORMATS = {"percent": "0.00", "count": "#,##0", "change_pct": "+0.00;-0.00;0.00"}
AXIS_FORMATS = {"percent": "0", "count": "#,##0", "change_pct": "+0;-0;0"}

# The printed page: 16 columns of 64 px; the chart below three heading rows.
PAGE_COLS = 16
CHART_ROW = 3
CHART_W, CHART_H = 1000, 680
ROW_PT = 15  # 20 px
CHART_ROWS = CHART_H // 20 + 1
TABLE_COL = PAGE_COLS + 1  # the chart's figures, beside the printed page


def charts_for(report: Report, previous: Report | None) -> list[Chart]:
    """The annex charts that have something to show, in their order."""
    found = (on_time_by_unit(report), dossiers_by_channel(report, previous),
             largest_changes(report, previous))
    return [c for c in found if c is not None and not c.empty]


def add_chart_sheets(wb: Any, report: Report, previous: Report | None, reference: str,
                     draft: bool = False) -> list[str]:
    """Add one sheet per chart to the workbook; returns the sheet names."""
    names = []
    for n, chart in enumerate(charts_for(report, previous), start=1):
        names.append(_chart_sheet(wb, chart, n, reference, draft))
    return names


def _font(size: int = 12, bold: bool = False, **more: Any) -> dict[str, Any]:
    return {"name": FONT, "size": size, "bold": bold, **more}


def _chart_sheet(wb: Any, chart: Chart, number: int, reference: str, draft: bool) -> str:
    name = base = SHEET_NAMES.get(chart.key, f"{SHEET_PREFIX} {number}")
    n = 2
    while wb.get_worksheet_by_name(name) is not None:  # a layout sheet of the same name
        name = f"{base[:27]} {n}"
        n += 1
    ws = wb.add_worksheet(name)
    look = {"font_name": FONT, "font_size": 12, "valign": "vcenter"}
    fmt = lambda **p: wb.add_format({**look, **p})  # noqa: E731 - a handful of one-off looks
    last = PAGE_COLS - 1
    ws.set_column(0, last, 8.43)
    caption = f"Biểu đồ {number}. {chart.title}"  # the chart's own title
    ws.merge_range(1, 0, 1, last, "", fmt(italic=True, font_size=13, align="center"))
    ws.write_string(1, 0, reference, fmt(italic=True, font_size=13, align="center"))
    ws.set_row(1, 20)
    remark = " ".join(filter(None, (chart.remark, _colour_key(chart))))
    if remark:
        ws.merge_range(2, 0, 2, last, "", fmt(italic=True, align="center", text_wrap=True))
        ws.write_string(2, 0, remark, fmt(italic=True, align="center", text_wrap=True))
    ws.set_row(2, 32)  # the remark, or the two-line titles of the figures beside the page
    for r in range(CHART_ROW, CHART_ROW + max(CHART_ROWS, len(chart.categories)) + 1):
        ws.set_row(r, ROW_PT)  # fixed heights: the print area holds the chart whatever the figures
    first, last_row = _write_table(ws, chart, fmt)
    xl = _excel_chart(wb, ws.name, chart, caption, first, last_row)
    ws.insert_chart(CHART_ROW, 0, xl, {"x_offset": 6, "y_offset": 4, "object_position": 2})

    ws.set_paper(PAPER_A4)
    ws.set_landscape()
    ws.set_margins(**MARGINS)
    ws.center_horizontally()
    ws.print_area(0, 0, CHART_ROW + CHART_ROWS, last)
    ws.fit_to_pages(1, 1)
    header = f'&C&"{FONT},Regular"&13&P'
    if draft:
        header += f'&R&"{FONT},Bold"&12{DRAFT_MARK}'
    ws.set_header(header, {"margin": 0.39})
    ws.hide_gridlines(2)
    return name


def _write_table(ws: Any, chart: Chart, fmt: Any) -> tuple[int, int]:
    """The chart's figures beside the page: category, one column per series, reason.
    Returns the first and last data rows."""
    c0 = TABLE_COL
    head = fmt(bold=True, border=1, text_wrap=True, align="center")
    titles = [chart.category_axis or "Chỉ tiêu"] + [s.name for s in chart.series]
    if chart.target is not None:
        titles.append(chart.target_label)
    titles.append("Ghi chú")
    ws.set_column(c0, c0, 56)
    ws.set_column(c0 + 1, c0 + len(titles) - 2, 22)
    ws.set_column(c0 + len(titles) - 1, c0 + len(titles) - 1, 20)
    ws.write_string(CHART_ROW - 2, c0, "Số liệu của biểu đồ", fmt(bold=True))
    for j, t in enumerate(titles):
        ws.write_string(CHART_ROW - 1, c0 + j, t, head)
    text = fmt(border=1)
    number = fmt(border=1, num_format=VALUE_FORMATS[chart.unit])
    bold_number = fmt(border=1, bold=True, num_format=VALUE_FORMATS[chart.unit])
    note_fmt = fmt(border=1, italic=True)
    first = CHART_ROW
    for i in range(len(chart.categories)):
        row = first + i
        is_total = i == chart.total_index
        ws.write_string(row, c0, chart.label(i), fmt(border=1, bold=True) if is_total else text)
        for j, s in enumerate(chart.series, start=1):
            v = s.values[i]
            if v is None:
                ws.write_blank(row, c0 + j, None, number)  # blank, never 0
            else:
                ws.write_number(row, c0 + j, v, bold_number if is_total else number)
        col = c0 + len(chart.series) + 1
        if chart.target is not None:
            ws.write_number(row, col, chart.target, number)
            col += 1
        ws.write_string(row, col, chart.notes[i] if i < len(chart.notes) else "", note_fmt)
    return first, first + len(chart.categories) - 1


def _excel_chart(wb: Any, sheet: str, chart: Chart, caption: str, first: int, last: int
                 ) -> Any:
    kind = "bar" if chart.horizontal else "column"
    xl = wb.add_chart({"type": kind})
    c0 = TABLE_COL
    categories = [sheet, first, c0, last, c0]
    label_font = _font(11)
    for j in range(1, len(chart.series) + 1):
        series: dict[str, Any] = {
            "name": [sheet, CHART_ROW - 1, c0 + j],
            "categories": categories,
            "values": [sheet, first, c0 + j, last, c0 + j],
            "fill": {"color": PALETTE[(j - 1) % len(PALETTE)]},
            "data_labels": {"value": True, "num_format": VALUE_FORMATS[chart.unit],
                            "font": label_font,
                            "position": "outside_end"},
            "gap": 60,
        }
        if j == 1:
            points = _point_colors(chart)
            if points:
                series["points"] = points
        xl.add_series(series)
    if chart.target is not None:
        line = wb.add_chart({"type": "line"})
        col = c0 + len(chart.series) + 1
        line.add_series({
            "name": [sheet, CHART_ROW - 1, col],
            "categories": categories,
            "values": [sheet, first, col, last, col],
            "line": {"color": "#C00000", "width": 2, "dash_type": "dash"},
            "marker": {"type": "none"},
        })
        xl.combine(line)
    xl.set_title({"name": caption, "name_font": _font(14, True), "overlay": False})
    value_axis = {"name": chart.value_axis, "name_font": _font(12, True, italic=False),
                  "num_font": _font(11), "num_format": AXIS_FORMATS[chart.unit],
                  "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    if chart.unit == "percent":
        value_axis.update(min=0, max=100, major_unit=10)
    else:  # bars start at zero, whatever the spread of the values
        low, high = value_bounds(chart)
        value_axis.update(min=low, max=high)
    category_axis = {"name": chart.category_axis, "name_font": _font(12, True),
                     "num_font": _font(11, rotation=-45 if len(chart.categories) > 6
                                       and not chart.horizontal else 0),
                     "label_position": "low"}
    if chart.horizontal:
        category_axis["reverse"] = True  # the largest change on top
        xl.set_x_axis(value_axis)
        xl.set_y_axis(category_axis)
    else:
        xl.set_x_axis(category_axis)
        xl.set_y_axis(value_axis)
    xl.set_legend({"position": "bottom", "font": _font(11)} if len(chart.series) > 1
                  or chart.target is not None else {"none": True})
    xl.set_chartarea({"border": {"none": True}})
    xl.set_size({"width": CHART_W, "height": CHART_H})
    return xl


def _colour_key(chart: Chart) -> str:
    if chart.target is None or not any(p for p in _point_colors(chart)
                                       if p and p["fill"]["color"] == BELOW_TARGET):
        return ""
    return f"Cột màu cam: chưa đạt mục tiêu ({chart.target_label.lower()})."


def _point_colors(chart: Chart) -> list[dict[str, Any] | None]:
    """Below-target units in another colour, the total darker; [] when all look the same."""
    values = chart.series[0].values
    out: list[dict[str, Any] | None] = []
    for i, v in enumerate(values):
        if i == chart.total_index:
            out.append({"fill": {"color": TOTAL}})
        elif chart.target is not None and v is not None and v < chart.target:
            out.append({"fill": {"color": BELOW_TARGET}})
        else:
            out.append(None)
    return out if any(out) else []
