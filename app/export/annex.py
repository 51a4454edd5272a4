"""The Excel annex (phụ lục) of the report, written with XlsxWriter.

What the workbook holds is described by the annex layout file (`annex_layout`, default
`report_templates/annex/phu_luc.toml`): sheets of kind "chi_tieu" carry one table with a group of
rows per reform area (indicator, unit, this period, the same period a year before and the change
when known, a note); sheets of kind "don_vi" carry one row per unit that sent figures, with a
totals row, when the report was consolidated from units (`report.sources`).

House rules kept here:
- Blank is not zero: a figure that was not reported leaves its cell empty (never 0) and the note
  column says "Chưa báo cáo"; totals add only the units that reported.
- Numbers are written as numbers: counts and money `#,##0`, percentages on the 0–100 scale (as
  the report file holds them, unit column "%") with `0.00`, scores `0.00`, ranks and years `0`.
  Derived percentages are rounded half-up to 2 decimals, as the Word report writes them.
- Every text cell is written with `write_string` (no formula injection).
- Heading per Nghị định 30: "Phụ lục" 14 pt bold centred (numbered I, II… when there are several
  sheets), the title in capitals, bold, and the italic reference line "(Kèm theo Báo cáo số …)".
- A4 landscape, header rows repeated on every page, fit to one page wide, frozen panes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.catalog import LEVEL_LABELS, Catalog, Derived, Indicator, load_catalog
from app.combining import (
    Combined,
    UnitFigures,
    combine,
    derive,
    entered_rate,
    not_computable,
    number,
    report_derived,
    report_values,
    total,
)
from app.export.annex_layout import (
    PREVIOUS_COLUMNS,
    Column,
    Layout,
    Sheet,
    load_layout,
)
from app.formatting import (
    format_count,
    format_date_nd30,
    format_number_line,
    format_rank_change,
    format_short_date,
    round_half_up,
)
from app.model import Report

if TYPE_CHECKING:
    from app.intake import Submission
from app.validation import explained_fields

FONT = "Times New Roman"
BODY_SIZE = 12
NOT_REPORTED = "Chưa báo cáo"
NOT_COMPUTABLE = "Chưa đủ số liệu để tính"
PREVIOUS_MISSING = "Cùng kỳ chưa có số liệu"
DRAFT_MARK = "DỰ THẢO"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

NUMBER_FORMATS = {
    "count": "#,##0",
    "money_vnd": "#,##0",
    "percent": "0.00",
    "score": "0.00",
    "rank": "0",
    "year": "0",
}
CHANGE_FORMATS = {
    "count": "+#,##0;-#,##0;0",
    "money_vnd": "+#,##0;-#,##0;0",
    "percent": "+0.00;-0.00;0.00",
    "score": "+0.00;-0.00;0.00",
}
CHANGE_PCT_FORMAT = "+#,##0.00;-#,##0.00;0.00"
# the number format of a derived indicator's row, by its kind
DERIVED_UNITS = {"percent": "percent", "rank_change": "rank_change", "difference": "score",
                 "group": "group"}
# the way {cap} reads in a title, per unit level
LEVEL_PHRASES = {
    "tinh": "đơn vị cấp tỉnh",
    "so_nganh": "sở, ban, ngành",
    "huyen": "đơn vị cấp huyện",
    "xa": "đơn vị cấp xã",
}
FALLBACK_SHEET = "Đơn vị khác"

# Print set-up (inches): A4 landscape, margins about 20 mm, 15 mm on the right.
PAPER_A4 = 9
MARGINS = {"left": 0.79, "right": 0.59, "top": 0.79, "bottom": 0.71}


# ---------------------------------------------------------------------------------- formats


class _Formats:
    """XlsxWriter formats, created once per distinct look."""

    def __init__(self, wb: Any):
        self.wb = wb
        self.cache: dict[tuple, Any] = {}

    def get(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        fmt = self.cache.get(key)
        if fmt is None:
            base = {"font_name": FONT, "font_size": BODY_SIZE, "valign": "vcenter"}
            base.update(props)
            fmt = self.cache[key] = self.wb.add_format(base)
        return fmt

    def cell(self, num_format: str | None = None, bold: bool = False, align: str | None = None,
             shade: bool = False, italic: bool = False) -> Any:
        props: dict[str, Any] = {"border": 1, "text_wrap": True,
                                 "align": align or ("right" if num_format else "left")}
        if num_format:
            props["num_format"] = num_format
        if props["align"] in ("left", "right"):
            props["indent"] = 1  # keep text and figures off the cell borders
        if bold:
            props["bold"] = True
        if italic:
            props["italic"] = True
        if shade:
            props["bg_color"] = "#F2F2F2"
        return self.get(**props)


# ---------------------------------------------------------------------------------- context


@dataclass
class _Context:
    report: Report
    previous: Report | None
    draft: bool
    cat: Catalog
    fmts: _Formats
    period_title: str
    previous_title: str
    reference: str


def _placeholders(text: str, ctx: _Context, cap: str = "") -> str:
    values = {
        "ky_bao_cao": ctx.period_title,
        "ky_truoc": ctx.previous_title,
        "don_vi": ctx.report.unit.name.strip(),
        "cap": cap,
    }
    for k, v in values.items():
        text = text.replace("{" + k + "}", v)
    return " ".join(text.split())


def _reference_line(report: Report) -> str:
    doc = report.document
    number = format_number_line(doc.number, doc.symbol or "BC").removeprefix("Số:").strip()
    issuer = report.unit.name.strip() or "…"
    return f"(Kèm theo Báo cáo số {number} {format_date_nd30(doc.date)} của {issuer})"


def _cap_phrase(levels: tuple[str, ...]) -> str:
    phrases = [LEVEL_PHRASES.get(lv, LEVEL_LABELS.get(lv, lv)) for lv in levels]
    if not phrases:
        return "đơn vị"
    prefix = "đơn vị "
    if len(phrases) > 1 and all(p.startswith(prefix) for p in phrases):
        return prefix + ", ".join(p[len(prefix):] for p in phrases)
    return ", ".join(phrases)


# ---------------------------------------------------------------------------------- row heights

LINE_HEIGHT = 15.6  # points per line of 12 pt Times New Roman


def _wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (greedy by words).

    Neither XlsxWriter nor LibreOffice's import sizes rows for wrapped text reliably, so rows
    are given explicit heights from this estimate."""
    if not text:
        return 1
    per_line = max(3.0, (width - 1.0) * (1.1 if bold else 1.2))
    lines = 0
    for para in text.split("\n"):
        used = 0.0
        lines += 1
        for word in para.split():
            n = len(word)
            if used and used + 1 + n > per_line:
                lines += 1
                used = 0.0
            while n > per_line:  # a word longer than the column breaks anywhere
                lines += 1
                n -= int(per_line)
            used = used + (1 if used else 0) + n
    return max(1, lines)


class _Fit:
    """Remembers the tallest wrapped text of the current row."""

    def __init__(self, widths: list[float]):
        self.widths = widths
        self.lines = 1

    def text(self, col: int, text: str, bold: bool = False) -> None:
        self.lines = max(self.lines, _wrapped_lines(text, self.widths[col], bold))

    def close(self, ws: Any, row: int) -> None:
        if self.lines > 1:
            ws.set_row(row, self.lines * LINE_HEIGHT + 2)
        self.lines = 1


# ---------------------------------------------------------------------------------- heading


def _write_heading(ws: Any, ctx: _Context, ncols: int, total_width: float, heading: str,
                   title: str) -> int:
    """Draft mark, "Phụ lục", title, reference line; returns the first free row."""
    f = ctx.fmts
    last = ncols - 1
    row = 0
    if ctx.draft:
        mark = f.get(bold=True, font_size=13, font_color="#C00000", align="right")
        ws.write_string(row, last, DRAFT_MARK, mark)
        row += 1
    parts = (
        (heading, f.get(bold=True, font_size=14, align="center")),
        (title, f.get(bold=True, font_size=13, align="center", text_wrap=True)),
        (ctx.reference, f.get(italic=True, font_size=13, align="center", text_wrap=True)),
    )
    for text, fmt in parts:
        size = 14 if fmt is parts[0][1] else 13
        lines = _wrapped_lines(text, total_width * 12.0 / size, bold=True)
        if ncols > 1:
            ws.merge_range(row, 0, row, last, "", fmt)
        ws.write_string(row, 0, text, fmt)
        ws.set_row(row, lines * size * 1.3 + 4)
        row += 1
    return row + 1  # one blank row before the table


def _write_header(ws: Any, ctx: _Context, row: int, columns: list[Column],
                  titles: list[str]) -> int:
    """Column titles, with a group row above columns that share a `group`; returns next row."""
    fmt = ctx.fmts.get(bold=True, border=1, text_wrap=True, align="center")
    grouped = any(c.group for c in columns)
    widths = [c.width for c in columns]
    if not grouped:
        for j, t in enumerate(titles):
            ws.write_string(row, j, t, fmt)
        lines = max(_wrapped_lines(t, widths[j], True) for j, t in enumerate(titles))
        ws.set_row(row, lines * LINE_HEIGHT + 4)
        return row + 1
    group_lines, sub_lines, span_lines = 1, 1, 1
    j = 0
    while j < len(columns):
        group = columns[j].group
        if not group:
            ws.merge_range(row, j, row + 1, j, "", fmt)
            ws.write_string(row, j, titles[j], fmt)
            span_lines = max(span_lines, _wrapped_lines(titles[j], widths[j], True))
            j += 1
            continue
        end = j
        while end + 1 < len(columns) and columns[end + 1].group == group:
            end += 1
        if end > j:
            ws.merge_range(row, j, row, end, "", fmt)
        group_text = _placeholders(group, ctx)
        ws.write_string(row, j, group_text, fmt)
        group_lines = max(group_lines, _wrapped_lines(group_text, sum(widths[j:end + 1]), True))
        for k in range(j, end + 1):
            ws.write_string(row + 1, k, titles[k], fmt)
            sub_lines = max(sub_lines, _wrapped_lines(titles[k], widths[k], True))
        j = end + 1
    sub_lines = max(sub_lines, span_lines - group_lines)
    ws.set_row(row, group_lines * LINE_HEIGHT + 4)
    ws.set_row(row + 1, sub_lines * LINE_HEIGHT + 4)
    return row + 2


def _setup_print(ws: Any, ctx: _Context, header_first: int, header_last: int, data_row: int,
                 freeze_cols: int) -> None:
    ws.set_paper(PAPER_A4)
    ws.set_landscape()
    ws.set_margins(**MARGINS)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.repeat_rows(header_first, header_last)
    ws.freeze_panes(data_row, freeze_cols)
    header = f'&C&"{FONT},Regular"&13&P'
    if ctx.draft:
        header += f'&R&"{FONT},Bold"&12{DRAFT_MARK}'
    ws.set_header(header, {"margin": 0.39})
    ws.hide_gridlines(2)


# ---------------------------------------------------------------------------------- indicator sheet


@dataclass
class _Row:
    key: str
    label: str
    unit: str  # catalogue unit, or "rank_change" / "group" for those derived kinds
    derived: Derived | None = None
    measure: str = ""  # the unit column: "hồ sơ", "thủ tục", "%", "bậc"…


def _block_rows(block: Any, cat: Catalog, level: str) -> list[_Row]:
    def row_for(key: str) -> _Row | None:
        ind = cat.indicators.get(key)
        if ind is not None:
            return _Row(key, ind.label, ind.unit, measure=ind.unit_label)
        d = cat.derived.get(key)
        if d is not None:
            return _Row(key, d.label, DERIVED_UNITS[d.kind], d, d.unit_label)
        return None

    if block.keys is not None:
        return [r for r in (row_for(k) for k in block.keys) if r is not None]
    inds: list[Indicator] = [i for i in cat.by_area[block.area] if level in i.levels]
    rows = [_Row(i.key, i.label, i.unit, measure=i.unit_label) for i in inds]
    if block.derived:
        for d in cat.derived.values():
            if d.area != block.area:
                continue
            positions = [n for n, r in enumerate(rows) if r.key in d.operands]
            if len(positions) < len(set(d.operands)):
                continue  # an operand does not apply at this level
            rows.insert(max(positions) + 1, _Row(d.key, d.label, DERIVED_UNITS[d.kind], d,
                                                 d.unit_label))
    return rows


def _row_value(row: _Row, values: dict[str, Any], derived: dict[str, Any]) -> Any:
    """A number, a text (rank change) or None (not reported / not computable)."""
    if row.derived is None:
        v = number(values.get(row.key))
        # a percentage has at most two decimals (the one online rate may be computed)
        return round_half_up(v) if v is not None and row.unit == "percent" else v
    if row.derived.kind == "rank_change":
        before = number(values.get(row.derived.numerator[0]))
        now = number(values.get(row.derived.denominator[0]))
        if before is None or now is None:
            return None
        return format_rank_change(int(before), int(now))
    v = derived.get(row.key)
    if v is None or isinstance(v, str):  # not computable, or a PAR group ("B")
        return v
    return round_half_up(v)


def _write_indicator_sheet(wb: Any, ctx: _Context, sheet: Sheet, heading: str) -> None:
    cat, f = ctx.cat, ctx.fmts
    columns = [c for c in sheet.columns
               if ctx.previous is not None or c.key not in PREVIOUS_COLUMNS]
    titles = [_placeholders(c.title, ctx) for c in columns]
    total_width = sum(c.width for c in columns)
    ws = wb.add_worksheet(sheet.name)
    for j, c in enumerate(columns):
        ws.set_column(j, j, c.width)
    title = _placeholders(sheet.title, ctx).upper()
    row = _write_heading(ws, ctx, len(columns), total_width, heading, title)
    header_first = row
    row = _write_header(ws, ctx, row, columns, titles)
    _setup_print(ws, ctx, header_first, row - 1, row, 0)

    values = report_values(ctx.report, cat)
    derived = report_derived(ctx.report, cat)
    blocked = not_computable(ctx.report)
    prev_values = report_values(ctx.previous, cat) if ctx.previous is not None else {}
    prev_derived = report_derived(ctx.previous, cat) if ctx.previous is not None else {}
    explanations: dict[str, list[str]] = {}  # indicator key → the explanations about it
    for e in explained_fields(ctx.report, ctx.previous, cat):
        for k in e.fields:
            explanations.setdefault(k, []).append(e.text)
    text_fmt = f.cell()
    center_fmt = f.cell(align="center")
    stt_fmt = f.cell("0", align="center")
    level = ctx.report.unit.level
    fit = _Fit([c.width for c in columns])
    for block in sheet.blocks:
        rows = _block_rows(block, cat, level)
        if not rows:
            continue
        for j, c in enumerate(columns):
            if c.key == "stt":
                ws.write_string(row, j, block.number, f.cell(bold=True, align="center", shade=True))
            elif c.key == "chi_tieu":
                ws.write_string(row, j, block.title, f.cell(bold=True, shade=True))
                fit.text(j, block.title, bold=True)
            else:
                ws.write_blank(row, j, None, f.cell(bold=True, shade=True))
        fit.close(ws, row)
        row += 1
        for n, r in enumerate(rows, start=1):
            cur = _row_value(r, values, derived)
            prev = _row_value(r, prev_values, prev_derived) if ctx.previous is not None else None
            notes = []
            if cur is None and r.key in blocked:
                # the consolidation's own words: the same "not computable" as the report's
                reason = blocked[r.key]
                notes.append(reason[:1].upper() + reason[1:])
            elif cur is None:
                notes.append(NOT_COMPUTABLE if r.derived is not None else NOT_REPORTED)
            elif ctx.previous is not None and prev is None:
                notes.append(PREVIOUS_MISSING)
            notes.extend(explanations.get(r.key, ()))
            for j, c in enumerate(columns):
                k = c.key
                if k == "stt":
                    ws.write_number(row, j, n, stt_fmt)
                elif k == "chi_tieu":
                    ws.write_string(row, j, r.label, text_fmt)
                    fit.text(j, r.label)
                elif k == "don_vi_tinh":
                    ws.write_string(row, j, r.measure, center_fmt)
                elif k in ("ky_nay", "cung_ky"):
                    v = cur if k == "ky_nay" else prev
                    _write_value(ws, f, row, j, v, r.unit)
                    if isinstance(v, str):
                        fit.text(j, v)
                elif k == "tang_giam":
                    fit.text(j, _write_change(ws, f, row, j, cur, prev, r.unit))
                elif k == "tang_giam_pct":
                    pct = None
                    if r.unit in ("count", "money_vnd") and isinstance(cur, int | float) \
                            and isinstance(prev, int | float) and prev != 0:
                        pct = round_half_up((cur - prev) * 100.0 / prev)
                    _write_value(ws, f, row, j, pct, "change_pct")
                elif k == "ghi_chu":
                    note = "; ".join(notes)
                    ws.write_string(row, j, note, f.cell(italic=bool(notes)))
                    fit.text(j, note)
            fit.close(ws, row)
            row += 1
    _print_area(ws, ctx, row - 1, len(columns) - 1)


def _write_value(ws: Any, f: _Formats, row: int, col: int, value: Any, unit: str,
                 bold: bool = False) -> None:
    if value is None:
        ws.write_blank(row, col, None, f.cell(bold=bold))
    elif isinstance(value, str):
        ws.write_string(row, col, value, f.cell(bold=bold, align="center"))
    else:
        fmt = CHANGE_PCT_FORMAT if unit == "change_pct" else NUMBER_FORMATS.get(unit, "#,##0.00")
        ws.write_number(row, col, value, f.cell(fmt, bold=bold))


def _write_change(ws: Any, f: _Formats, row: int, col: int, cur: Any, prev: Any,
                  unit: str) -> str:
    """Write the change against the same period; returns the text written (for row height)."""
    if unit == "rank" and isinstance(cur, int | float) and isinstance(prev, int | float):
        # a smaller rank is better: 24 → 21 is "tăng 03 bậc"
        text = format_rank_change(int(prev), int(cur))
        ws.write_string(row, col, text, f.cell(align="center"))
        return text
    if unit not in CHANGE_FORMATS or not isinstance(cur, int | float) \
            or not isinstance(prev, int | float):
        ws.write_blank(row, col, None, f.cell())
        return ""
    delta = cur - prev
    if unit in ("percent", "score") or isinstance(delta, float):
        delta = round_half_up(delta)
    ws.write_number(row, col, delta, f.cell(CHANGE_FORMATS[unit]))
    return ""


def _print_area(ws: Any, ctx: _Context, last_row: int, last_col: int) -> None:
    """Print from the "Phụ lục" line: the on-screen draft mark is replaced by the page header's."""
    ws.print_area(1 if ctx.draft else 0, 0, max(last_row, 1), last_col)


# ---------------------------------------------------------------------------------- unit sheets


@dataclass
class _UnitColumn:
    column: Column
    unit: str  # number format unit
    operands: tuple[str, ...] = ()
    derived: Derived | None = None
    indicator: Indicator | None = None


def _unit_columns(sheet: Sheet, cat: Catalog) -> list[_UnitColumn]:
    out = []
    for c in sheet.columns:
        if c.key in ("stt", "don_vi", "ma_don_vi", "ngay_nhan", "ghi_chu"):
            out.append(_UnitColumn(c, "text"))
        elif c.key in cat.derived:
            out.append(_UnitColumn(c, "percent", derived=cat.derived[c.key]))
        elif "+" in c.key:
            ops = c.operands
            out.append(_UnitColumn(c, cat.indicators[ops[0]].unit, operands=ops))
        else:
            ind = cat.indicators[c.key]
            out.append(_UnitColumn(c, ind.unit, operands=(c.key,), indicator=ind))
    return out


def _unit_value(uc: _UnitColumn, values: dict[str, Any]) -> float | int | None:
    if uc.derived is not None:
        v = derive(uc.derived, values)
        if v is None:
            v = entered_rate(uc.derived, values)  # the unit typed the rate without its counts
        return None if v is None or isinstance(v, str) else round_half_up(v)
    return total(values, uc.operands)


def _total(uc: _UnitColumn, sources: list[Submission], cat: Catalog) -> Combined:
    """The total row: the same combining function as the consolidated report (rules.md
    "Consolidation"), so the annex and the report show the same figure or the same blank."""
    units = [UnitFigures(s.unit.name, s.values) for s in sources]
    if uc.derived is not None:
        return combine(uc.derived.key, units, cat)
    parts = [combine(k, units, cat) for k in uc.operands]
    reason = next((p.reason for p in parts if p.reason), "")
    if reason or any(p.value is None for p in parts):
        return Combined(None, reason)
    return Combined(sum(p.value or 0 for p in parts))


def _received(src: Submission) -> str:
    """The day received; the file's text itself when it is not a date (blank: blank)."""
    if src.received is None:
        return src.received_text
    return format_short_date(src.received.date())


def _write_unit_sheet(wb: Any, ctx: _Context, sheet: Sheet, name: str, heading: str,
                      sources: list[Submission], levels: tuple[str, ...]) -> None:
    cat, f = ctx.cat, ctx.fmts
    ucols = _unit_columns(sheet, cat)
    columns = [u.column for u in ucols]
    titles = [_placeholders(c.title, ctx) for c in columns]
    total_width = sum(c.width for c in columns)
    ws = wb.add_worksheet(name)
    for j, c in enumerate(columns):
        ws.set_column(j, j, c.width)
    present = tuple(dict.fromkeys(
        s.unit.level for s in sources)) if not levels else levels
    title = _placeholders(sheet.title, ctx, cap=_cap_phrase(tuple(p for p in present if p)))
    row = _write_heading(ws, ctx, len(columns), total_width, heading, title.upper())
    header_first = row
    row = _write_header(ws, ctx, row, columns, titles)
    name_col = next((j for j, c in enumerate(columns) if c.key == "don_vi"), 0)
    _setup_print(ws, ctx, header_first, row - 1, row, name_col + 1)

    text_fmt = f.cell()
    center_fmt = f.cell(align="center")
    stt_fmt = f.cell("0", align="center")
    figure_cols = [u for u in ucols if u.unit != "text"]
    fit = _Fit([c.width for c in columns])
    any_missing = False
    for n, src in enumerate(sources, start=1):
        unit, values = src.unit, src.values
        missing = []
        for j, uc in enumerate(ucols):
            k = uc.column.key
            if k == "stt":
                ws.write_number(row, j, n, stt_fmt)
            elif k == "don_vi":
                ws.write_string(row, j, unit.name, text_fmt)
                fit.text(j, unit.name)
            elif k == "ma_don_vi":
                ws.write_string(row, j, unit.code, center_fmt)
            elif k == "ngay_nhan":
                ws.write_string(row, j, _received(src), center_fmt)
            elif k == "ghi_chu":
                continue
            else:
                v = _unit_value(uc, values)
                if v is None:
                    label = _placeholders(uc.column.title, ctx)
                    if uc.column.group:
                        label = f"{_placeholders(uc.column.group, ctx)} – {label}"
                    missing.append(label)
                _write_value(ws, f, row, j, v, uc.unit)
        if missing:
            any_missing = True
        for j, uc in enumerate(ucols):
            if uc.column.key == "ghi_chu":
                note = ""
                if missing and len(missing) == len(figure_cols):
                    note = "Chưa báo cáo số liệu"
                elif missing:
                    note = f"{NOT_REPORTED}: " + "; ".join(missing)
                ws.write_string(row, j, note, f.cell(italic=bool(note)))
                fit.text(j, note)
        fit.close(ws, row)
        row += 1
    # totals
    totals = {j: _total(uc, sources, cat) for j, uc in enumerate(ucols) if uc.unit != "text"}
    not_computable = [_placeholders(ucols[j].column.title, ctx) for j, t in totals.items()
                      if t.reason]
    for j, uc in enumerate(ucols):
        k = uc.column.key
        if k == "don_vi":
            ws.write_string(row, j, f"Tổng cộng ({len(sources)} đơn vị)",
                            f.cell(bold=True, align="center", shade=True))
        elif k == "ghi_chu":
            notes = ["Chỉ cộng các đơn vị đã báo cáo"] if any_missing else []
            if not_computable:
                notes.append(f"{NOT_COMPUTABLE}: " + "; ".join(not_computable))
            note = "; ".join(notes)
            ws.write_string(row, j, note, f.cell(bold=False, italic=True, shade=True))
            fit.text(j, note)
        elif uc.unit == "text":
            ws.write_blank(row, j, None, f.cell(bold=True, shade=True))
        else:
            v = totals[j].value
            if v is None:
                ws.write_blank(row, j, None, f.cell(bold=True, shade=True))
            else:
                ws.write_number(row, j, round_half_up(v), f.cell(
                    NUMBER_FORMATS.get(uc.unit, "#,##0.00"), bold=True, shade=True))
    fit.close(ws, row)
    _print_area(ws, ctx, row, len(columns) - 1)


def _unit_sheets(layout: Layout, sources: list[Submission]
                 ) -> list[tuple[Sheet, str, list[Submission], tuple[str, ...]]]:
    """Which units go on which "don_vi" sheet; units no sheet takes go on a fallback sheet."""
    plans = []
    taken: set[int] = set()
    unit_sheets = [s for s in layout.sheets if s.kind == "don_vi"]
    for s in unit_sheets:
        mine = [src for src in sources
                if not s.levels or src.unit.level in s.levels]
        taken.update(id(x) for x in mine)
        plans.append((s, s.name, mine, s.levels))
    rest = [src for src in sources if id(src) not in taken]
    if rest and unit_sheets:
        last = unit_sheets[-1]
        names = {s.name.casefold() for s in layout.sheets}
        name = FALLBACK_SHEET
        n = 2
        while name.casefold() in names:
            name = f"{FALLBACK_SHEET} {n}"
            n += 1
        plans.append((last, name, rest, ()))
    return plans


# ---------------------------------------------------------------------------------- by level

LEVEL_SHEET = "Theo cấp"


def _write_level_sheet(wb: Any, ctx: _Context, heading: str) -> None:
    """The figures by level (`report.by_level`): one row per indicator of the by-level set that
    some level gives, one column per level of the period, the sum of the levels and the report's
    own figure; a difference is noted (rule P03). Blank is not zero: a level that did not give
    the figure leaves its cell and the sum blank."""
    from app.vocabulary import LEVEL_LABELS as LABELS

    cat, f, report = ctx.cat, ctx.fmts, ctx.report
    levels = report.period.tier_levels
    keys = [k for k in cat.level_keys if any(k in report.by_level.get(lv, {}) for lv in levels)]
    titles = ["STT", "Chỉ tiêu", "Đơn vị tính", *[LABELS[lv] for lv in levels],
              "Tổng các cấp", "Số liệu chung của báo cáo", "Ghi chú"]
    widths = [6, 48, 10, *[14] * len(levels), 14, 16, 30]
    ws = wb.add_worksheet(LEVEL_SHEET)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    title = f"Số liệu giải quyết TTHC theo cấp chính quyền {report.period.title}".upper()
    row = _write_heading(ws, ctx, len(titles), sum(widths), heading, title)
    head = f.get(bold=True, border=1, text_wrap=True, align="center")
    for j, t in enumerate(titles):
        ws.write_string(row, j, t, head)
    header = row
    row += 1
    _setup_print(ws, ctx, header, header, row, 0)
    count = f.cell("#,##0")
    fit = _Fit(widths)
    for n, key in enumerate(keys, start=1):
        figures = [report.by_level.get(lv, {}).get(key) for lv in levels]
        summed = None if any(v is None for v in figures) else sum(figures)  # type: ignore[arg-type]
        stated = number(report.values.get(key))
        ws.write_number(row, 0, n, f.cell("0", align="center"))
        ws.write_string(row, 1, cat.label(key), f.cell())
        fit.text(1, cat.label(key))
        ws.write_string(row, 2, cat.measure(key), f.cell(align="center"))
        for j, v in enumerate([*figures, summed, stated], start=3):
            if v is None:
                ws.write_blank(row, j, None, f.cell())
            else:
                ws.write_number(row, j, v, count)
        note = ""
        if summed is not None and stated is not None and summed != stated:
            note = f"Tổng các cấp chênh lệch {format_count(abs(summed - stated))} so với số liệu chung"
        elif summed is None:
            note = "Có cấp chưa có số liệu"
        ws.write_string(row, len(titles) - 1, note, f.cell(italic=bool(note)))
        fit.text(len(titles) - 1, note)
        fit.close(ws, row)
        row += 1
    _print_area(ws, ctx, row - 1, len(titles) - 1)


# ---------------------------------------------------------------------------------- entry point


def write_annex(report: Report, path: str | os.PathLike[str], previous: Report | None = None,
                draft: bool = False, layout: Layout | str | os.PathLike[str] | None = None
                ) -> None:
    """Write the annex workbook of `report` to `path` (the caller renames it into place)."""
    import xlsxwriter

    if not isinstance(layout, Layout):
        layout = load_layout(layout)
    cat = load_catalog()
    prev_period = previous.period if previous is not None else \
        report.period.same_period_year_before()
    wb = xlsxwriter.Workbook(str(Path(path)), {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    })
    try:
        ctx = _Context(
            report=report, previous=previous, draft=draft, cat=cat, fmts=_Formats(wb),
            period_title=report.period.title, previous_title=prev_period.title,
            reference=_reference_line(report),
        )
        sources = list(report.sources)
        unit_plan = [p for p in _unit_sheets(layout, sources) if p[2]] if sources else []
        # keep the layout's order of sheets, the fallback sheet last
        order = {id(s): i for i, s in enumerate(layout.sheets)}
        items: list[tuple[int, int, tuple]] = [
            (order[id(sheet)], 0, ("chi_tieu", sheet))
            for sheet in layout.sheets if sheet.kind == "chi_tieu"
        ]
        for n, p in enumerate(unit_plan):
            pos = order[id(p[0])] if p[1] == p[0].name else len(order)
            items.append((pos, n, ("don_vi", p)))
        items.sort(key=lambda t: (t[0], t[1]))
        if report.by_level:
            items.append((len(order) + 1, 0, ("theo_cap", None)))
        several = len(items) > 1
        for idx, (_pos, _n, (kind, what)) in enumerate(items):
            heading = f"Phụ lục {ROMAN[idx] if idx < len(ROMAN) else idx + 1}" if several \
                else "Phụ lục"
            if kind == "chi_tieu":
                _write_indicator_sheet(wb, ctx, what, heading)
            elif kind == "theo_cap":
                _write_level_sheet(wb, ctx, heading)
            else:
                sheet, name, srcs, levels = what
                _write_unit_sheet(wb, ctx, sheet, name, heading, srcs, levels)
        from app.export.annex_charts import add_chart_sheets

        add_chart_sheets(wb, report, previous, ctx.reference, draft=draft)
        if not items:
            ws = wb.add_worksheet("Phụ lục")
            ws.write_string(0, 0, "Bố cục phụ lục không có trang tính nào áp dụng cho báo cáo này.")
        title = f"Phụ lục: kết quả thực hiện công tác cải cách hành chính {report.period.title}"
        wb.set_properties({
            "title": title,
            "subject": ctx.reference.strip("()"),
            "author": report.unit.name,
            "company": report.unit.name,
            "comments": f"Bố cục phụ lục: {layout.name} ({layout.digest})",
            "keywords": "CCHC, phụ lục" + (", dự thảo" if draft else ""),
        })
        wb.set_custom_property("cchc_annex_layout", layout.name or "")
        wb.set_custom_property("cchc_annex_layout_sha256", layout.digest)
        wb.set_custom_property("cchc_catalog_version", cat.version)
        wb.set_custom_property("cchc_draft", bool(draft))
    finally:
        wb.close()
