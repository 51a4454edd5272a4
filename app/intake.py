"""Intake workbooks (architecture.md §4) and unit submissions.

`write_intake` makes the workbook a unit fills in: every value row carries its indicator key in
the hidden column A, the Vietnamese label, the unit of measure and an empty input cell under the
header "Số liệu" with Excel data validation; a metadata sheet records unit, level, period,
catalogue version and a checksum of the layout; every cell but the inputs is protected; the page
is set up for A4 printing. Only the indicators that apply to the unit's level are included (and,
from 1/7/2025, not the district-level ones).

`read_intake` reads a filled workbook back — read-only, with size limits — by key, not by
position, and refuses text in number cells, formulas, negative or out-of-range numbers, another
period, unit or catalogue version, a changed layout, damaged or oversized files. A refused file
raises `SubmissionError` listing every problem; nothing of it is used.

`load_submission` reads either kind of submission (an intake workbook or a `*.cchc.json` report
file) into a `Submission` and checks it against the catalogue and the rules of rules.md.
"""

from __future__ import annotations

import copy
import math
import os
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.catalog import LEVEL_LABELS, LEVELS, Catalog, Indicator, load_catalog
from app.errors import UserError
from app.formatting import (
    PERIOD_KINDS,
    format_count,
    format_date_nd30,
    format_short_date,
    format_year,
)
from app.model import Period, Report, Unit
from app.vocabulary import PHASE

INTAKE_FORMAT = "cchc-intake"
INTAKE_FORMAT_VERSION = 2  # 2: signed with the installation's secret (app.intake_key)
DATA_SHEET = "Số liệu"
META_SHEET = "Thông tin phiếu"
VALUE_HEADER = "Số liệu"
HEADER_ROW = 7  # 1-based row of the table header on the data sheet
KEY_COL, NO_COL, LABEL_COL, UNIT_COL, VALUE_COL = 0, 1, 2, 3, 4

MAX_INTAKE_BYTES = 5 * 1024 * 1024          # a filled intake workbook is ~15 KB
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024       # guard against zip bombs
MAX_ENTRY_BYTES = 8 * 1024 * 1024           # one part of the workbook (a sheet's XML), unzipped
MAX_INTAKE_ENTRY_BYTES = 2 * 1024 * 1024    # an intake sheet is ~30 KB of XML
MAX_ZIP_ENTRIES = 200
MAX_DATA_ROWS = 2_000


class IntakeError(UserError, ValueError):
    """An intake workbook that cannot be written (bad unit, level or period)."""


class SubmissionError(UserError, ValueError):
    """A submission that is refused. `problems` lists every reason, each one Vietnamese line
    naming the file, the field, the value and the rule; str() joins them."""

    def __init__(self, file: str, problems: list[str], unit: Unit | None = None,
                 period: Period | None = None, foreign: bool = False):
        self.file = file
        self.problems = problems
        # signed by another installation (or unsigned): an administrator may accept it anyway
        self.foreign = foreign
        self.unit = unit  # who sent it, when the file said so (for the completeness board)
        self.period = period
        super().__init__(f"{file}: " + "; ".join(problems))


# ---------------------------------------------------------------------------------- layout


def intake_indicators(level: str, period: Period, catalog: Catalog | None = None) -> list[Indicator]:
    """The indicators a unit of this level reports for this period, in catalogue order."""
    cat = catalog or load_catalog()
    inds = cat.for_level(level)
    if period.is_two_tier:
        gone = {k for r in cat.rules if r.kind == "empty_two_tier" for k in r.fields}
        inds = [i for i in inds if i.key not in gone]
    return inds


TYPED_RATE_NOTE = " (chỉ nhập khi không có số liệu để tính)"


def intake_rows(level: str, period: Period, catalog: Catalog | None = None) -> list[Indicator]:
    """The rows of a unit's workbook: its indicators, each derived rate after its operands —
    typed only when the unit knows the rate but not its counts (rules.md "Entered rates"; the
    online rate has its own entered indicator). Values are read back by key."""
    cat = catalog or load_catalog()
    rows = intake_indicators(level, period, cat)
    for d in cat.derived.values():
        if d.kind != "percent" or d.entered_as:
            continue
        asked = {i.key for i in rows}
        if not set(d.operands) <= asked:
            continue  # an operand is not asked at this level
        last = max(n for n, i in enumerate(rows) if i.key in d.all_operands)
        rows.insert(last + 1, Indicator(
            d.key, d.area, d.label + TYPED_RATE_NOTE, "percent", (level,), measure="%"))
    return rows


def signed_parts(unit: Unit, period: Period, catalog_version: str,
                 rows: list[Indicator]) -> list[str]:
    """What the signature of a workbook covers: its identity (unit name, code and level, period,
    catalogue version) and every row's key–label pair (sorted: values are read by key)."""
    return [INTAKE_FORMAT, str(INTAKE_FORMAT_VERSION), unit.name, unit.code, unit.level,
            period.key(), catalog_version, *sorted(f"{i.key}\t{i.label}" for i in rows)]


def period_from_parts(kind: str, year: int | None = None, from_year: int | None = None,
                      to_year: int | None = None) -> Period:
    """A Period from command-line or dialog parts, refusing nonsense with a Vietnamese message."""
    if kind not in PERIOD_KINDS:
        raise IntakeError(f"kỳ báo cáo “{kind}” không hợp lệ (dùng: {', '.join(PERIOD_KINDS)}).")
    if kind == PHASE:
        if from_year is None or to_year is None or not 1990 <= from_year <= to_year <= 2100:
            raise IntakeError("kỳ “giai_doan” cần năm bắt đầu và năm kết thúc hợp lệ.")
        return Period(kind, None, from_year, to_year)
    if year is None or not 1990 <= year <= 2100:
        raise IntakeError(f"năm báo cáo “{year if year is not None else ''}” không hợp lệ.")
    return Period(kind, year)


def _check_unit_for_intake(unit: Unit, period: Period) -> None:
    if not unit.name.strip():
        raise IntakeError("cần tên đơn vị (--unit).")
    if unit.level not in LEVELS:
        raise IntakeError(f"cấp đơn vị “{unit.level}” không hợp lệ (dùng: {', '.join(LEVELS)}).")
    if unit.level == "huyen" and period.is_two_tier:
        raise IntakeError(f"từ ngày 01/7/2025 không còn cấp huyện; không tạo phiếu {period.title} "
                          f"cho “{unit.name}”.")


def _validation_for(ind: Indicator, period: Period, cat: Catalog) -> dict[str, Any]:
    title = "Số liệu không hợp lệ"
    if ind.unit in ("count", "money_vnd"):
        kind = "whole" if ind.unit == "count" else "decimal"
        top = int(cat.bounds_for(ind.key).physical_max)
        return {"validate": kind, "criteria": "between", "minimum": 0, "maximum": top,
                "error_title": title,
                "error_message": "Nhập số nguyên từ 0 trở lên; để trống nếu không có số liệu.",
                "input_title": ind.unit_label,
                "input_message": "Số nguyên ≥ 0. Để trống nếu không có số liệu (không ghi 0 thay ô trống)."}
    if ind.unit == "percent":
        return {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
                "error_title": title, "error_message": "Tỷ lệ phần trăm từ 0 đến 100 (ví dụ 97,37).",
                "input_title": "Tỷ lệ (%)", "input_message": "Nhập số từ 0 đến 100, không kèm dấu %."}
    if ind.unit == "score":
        return {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
                "error_title": title, "error_message": "Điểm từ 0 đến 100."}
    if ind.unit == "rank":
        n = period.province_count
        return {"validate": "whole", "criteria": "between", "minimum": 1, "maximum": n,
                "error_title": title, "error_message": f"Thứ hạng là số nguyên từ 1 đến {n}."}
    top = period.report_year
    return {"validate": "whole", "criteria": "between", "minimum": 1990, "maximum": top,
            "error_title": title, "error_message": f"Năm từ 1990 đến {format_year(top)}."}


def _safe_name(text: str) -> str:
    bad = '<>:"/\\|?*\n\r\t'
    out = "".join("_" if c in bad else c for c in text).strip(" .")
    return out[:120] or "don_vi"


def intake_file_name(unit: Unit, period: Period) -> str:
    """A readable file name for a unit's workbook: "Phieu_so_lieu_<kỳ>_<mã hoặc tên>.xlsx"."""
    who = unit.code.strip() or unit.name
    return _safe_name(f"Phieu_so_lieu_{period.key()}_{who}") + ".xlsx"


def write_intake(path: str | os.PathLike[str], unit: Unit, period: Period,
                 catalog: Catalog | None = None) -> Path:
    """Write the intake workbook of one unit for one period (atomically) and return its path."""
    import io

    import xlsxwriter

    from app.intake_key import installation_key, key_id, protection_password, sign
    from app.storage import atomic_write

    cat = catalog or load_catalog()
    _check_unit_for_intake(unit, period)
    inds = intake_rows(unit.level, period, cat)
    keys = [i.key for i in inds]
    secret = installation_key()
    signature = sign(secret, signed_parts(unit, period, cat.version, inds))

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_numbers": False, "strings_to_urls": False})
    wb.set_properties({"title": f"Phiếu số liệu CCHC {period.title} - {unit.name}",
                       "subject": "Phiếu số liệu cải cách hành chính", "author": "Báo cáo CCHC",
                       "comments": f"{INTAKE_FORMAT} {INTAKE_FORMAT_VERSION}"})
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
    f_title = wb.add_format({**base, "bold": True, "font_size": 14, "align": "center", "text_wrap": True})
    f_sub = wb.add_format({**base, "align": "center", "text_wrap": True})
    f_note = wb.add_format({**base, "italic": True, "font_size": 11, "text_wrap": True, "valign": "top"})
    f_head = wb.add_format({**base, "bold": True, "align": "center", "text_wrap": True, "border": 1,
                            "bg_color": "#D9E2F3"})
    f_area = wb.add_format({**base, "bold": True, "border": 1, "text_wrap": True, "bg_color": "#F2F2F2"})
    f_area_c = wb.add_format({**base, "bold": True, "border": 1, "align": "center", "bg_color": "#F2F2F2"})
    f_cell = wb.add_format({**base, "border": 1, "text_wrap": True})
    f_center = wb.add_format({**base, "border": 1, "align": "center", "text_wrap": True})
    f_key = wb.add_format({"font_size": 8, "font_color": "#808080"})
    input_fmt = {
        "count": "#,##0", "money_vnd": "#,##0", "percent": "0.00", "score": "0.00",
        "rank": "0", "year": "0",
    }
    f_input = {u: wb.add_format({**base, "border": 1, "locked": False, "bg_color": "#FFF9DB",
                                 "num_format": nf, "align": "right"})
               for u, nf in input_fmt.items()}
    f_sign = wb.add_format({**base, "bold": True, "align": "center"})
    f_sign_i = wb.add_format({**base, "italic": True, "align": "center"})

    ws = wb.add_worksheet(DATA_SHEET)
    ws.hide_gridlines(2)
    ws.set_column(KEY_COL, KEY_COL, 22, f_key, {"hidden": True})
    ws.set_column(NO_COL, NO_COL, 6)
    ws.set_column(LABEL_COL, LABEL_COL, 58)
    ws.set_column(UNIT_COL, UNIT_COL, 11)
    ws.set_column(VALUE_COL, VALUE_COL, 17)
    start, end = period.window
    ws.set_row(0, 40)
    ws.merge_range(0, NO_COL, 0, VALUE_COL, f"PHIẾU SỐ LIỆU CẢI CÁCH HÀNH CHÍNH {period.title.upper()}", f_title)
    ws.merge_range(1, NO_COL, 1, VALUE_COL, f"Đơn vị: {unit.name} ({LEVEL_LABELS[unit.level].lower()})"
                   + (f" — mã {unit.code}" if unit.code else ""), f_sub)
    ws.merge_range(2, NO_COL, 2, VALUE_COL,
                   f"Số liệu tính từ ngày {format_short_date(start)} đến ngày {format_short_date(end)}; "
                   f"gửi trước {format_date_nd30(period.deadline)}", f_sub)
    ws.set_row(4, 48)
    ws.merge_range(4, NO_COL, 4, VALUE_COL,
                   "Hướng dẫn: chỉ nhập vào các ô màu vàng của cột “Số liệu”. Số lượng là số nguyên; "
                   "tỷ lệ nhập theo phần trăm từ 0 đến 100 (ví dụ 97,37), không kèm dấu %. Chỉ tiêu "
                   "không có số liệu thì để trống, không ghi 0. Không sửa, thêm, xóa dòng; không "
                   "nhập công thức.", f_note)
    hr = HEADER_ROW - 1
    ws.set_row(hr, 32)
    ws.write_string(hr, KEY_COL, "ma_chi_tieu")
    ws.write_string(hr, NO_COL, "STT", f_head)
    ws.write_string(hr, LABEL_COL, "Chỉ tiêu", f_head)
    ws.write_string(hr, UNIT_COL, "Đơn vị tính", f_head)
    ws.write_string(hr, VALUE_COL, VALUE_HEADER, f_head)
    row = hr + 1
    first_input = None
    for area in cat.areas:
        in_area = [i for i in inds if i.area == area.key]
        if not in_area:
            continue
        ws.write_string(row, NO_COL, area.section, f_area_c)
        ws.merge_range(row, LABEL_COL, row, VALUE_COL, area.label, f_area)
        row += 1
        for n, ind in enumerate(in_area, 1):
            ws.write_string(row, KEY_COL, ind.key)
            ws.write_string(row, NO_COL, str(n), f_center)
            ws.write_string(row, LABEL_COL, ind.label, f_cell)
            ws.write_string(row, UNIT_COL, ind.unit_label, f_center)
            ws.write_blank(row, VALUE_COL, None, f_input[ind.unit])
            ws.data_validation(row, VALUE_COL, row, VALUE_COL, _validation_for(ind, period, cat))
            if first_input is None:
                first_input = row
            row += 1
    last_row = row - 1
    row += 1
    ws.merge_range(row, UNIT_COL, row, VALUE_COL, "……, ngày … tháng … năm ……", f_sign_i)
    row += 1
    ws.write_string(row, LABEL_COL, "NGƯỜI LẬP BIỂU", f_sign)
    ws.merge_range(row, UNIT_COL, row, VALUE_COL, "THỦ TRƯỞNG ĐƠN VỊ", f_sign)
    ws.write_string(row + 1, LABEL_COL, "(Ký, ghi rõ họ tên)", f_sign_i)
    ws.merge_range(row + 1, UNIT_COL, row + 1, VALUE_COL, "(Ký tên, đóng dấu)", f_sign_i)
    ws.freeze_panes(HEADER_ROW, 0)
    if first_input is not None:
        ws.activate()
        ws.set_selection(first_input, VALUE_COL, first_input, VALUE_COL)
    password = protection_password(secret)
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True,
                    "format_columns": True, "format_rows": True})
    ws.set_paper(9)
    ws.set_portrait()
    ws.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(hr)
    ws.print_area(0, NO_COL, row + 1, VALUE_COL)
    ws.set_footer(f"&L&8{_footer_text(unit, period)}&R&8Trang &P/&N")
    del last_row

    meta = wb.add_worksheet(META_SHEET)
    meta.set_column(0, 0, 20, f_key, {"hidden": True})
    meta.set_column(1, 1, 34)
    meta.set_column(2, 2, 60)
    f_mh = wb.add_format({**base, "bold": True, "border": 1, "bg_color": "#D9E2F3"})
    f_mv = wb.add_format({**base, "border": 1, "text_wrap": True})
    meta.write_string(0, 1, "THÔNG TIN PHIẾU (không sửa)", f_mh)
    meta.write_string(0, 2, "", f_mh)
    rows = [
        ("format", "Loại tệp", INTAKE_FORMAT),
        ("format_version", "Phiên bản định dạng", str(INTAKE_FORMAT_VERSION)),
        ("unit_name", "Đơn vị", unit.name),
        ("unit_code", "Mã đơn vị", unit.code),
        ("unit_level", "Cấp (mã)", unit.level),
        ("unit_level_label", "Cấp", LEVEL_LABELS[unit.level]),
        ("period_kind", "Kỳ báo cáo (mã)", period.kind),
        ("period_year", "Năm", "" if period.is_phase else str(period.year)),
        ("period_from_year", "Từ năm", "" if period.from_year is None else str(period.from_year)),
        ("period_to_year", "Đến năm", "" if period.to_year is None else str(period.to_year)),
        ("period_title", "Kỳ báo cáo", period.title),
        ("catalog_version", "Phiên bản danh mục chỉ tiêu", cat.version),
        ("key_id", "Mã cài đặt tạo phiếu", key_id(secret)),
        ("signature", "Chữ ký của phiếu", signature),
        ("indicator_count", "Số chỉ tiêu", str(len(keys))),
        ("created", "Ngày tạo phiếu", datetime.now().isoformat(timespec="seconds")),
    ]
    for r, (k, label, value) in enumerate(rows, 1):
        meta.write_string(r, 0, k)
        meta.write_string(r, 1, label, f_mv)
        meta.write_string(r, 2, value, f_mv)
    meta.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True})
    meta.hide()  # the unit sees who and which period in the form's heading; this is for reading back
    meta.set_paper(9)
    meta.fit_to_pages(1, 0)
    meta.print_area(0, 1, len(rows), 2)
    wb.close()
    target = Path(path)
    atomic_write(target, buf.getvalue(), keep_backup=False)
    return target


def _footer_text(unit: Unit, period: Period) -> str:
    # '&' starts a header/footer code in Excel: write a literal one as '&&'
    return f"Phiếu số liệu {period.title} - {unit.name}".replace("&", "&&")[:120]


def write_intakes(folder: str | os.PathLike[str], units: list[Unit], period: Period,
                  catalog: Catalog | None = None, progress=None) -> list[Path]:
    """One workbook per unit into a folder; `progress(i, n)` is called after each."""
    out = []
    folder = Path(folder)
    names: set[str] = set()
    for i, u in enumerate(units, 1):
        name = intake_file_name(u, period)
        if name in names:  # two units whose names fold to the same file name
            name = name[:-5] + f"_{i}.xlsx"
        names.add(name)
        out.append(write_intake(folder / name, u, period, catalog))
        if progress:
            progress(i, len(units))
    return out


# ---------------------------------------------------------------------------------- reading


def open_workbook_safely(path: Path, max_bytes: int, error=SubmissionError,
                         max_entry_bytes: int = MAX_ENTRY_BYTES):
    """Open an .xlsx read-only after checking its size and its zip container (no zip bombs).
    `error` is the exception class to raise; SubmissionError gets (file, [problem])."""

    def fail(problem: str):
        if error is SubmissionError:
            return SubmissionError(path.name, [problem])
        return error(f"{path.name}: {problem}")

    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise fail("không tìm thấy tệp.") from None
    except OSError as exc:
        raise fail(f"không đọc được tệp ({exc.strerror}).") from None
    if size > max_bytes:
        raise fail(f"tệp quá lớn ({format_count(size // 1024)} KB; giới hạn "
                   f"{format_count(max_bytes // 1024)} KB).")
    if size == 0:
        raise fail("tệp rỗng (0 byte).")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise fail("tệp Excel có cấu trúc bất thường (quá nhiều thành phần).")
            if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
                raise fail("tệp Excel khi giải nén quá lớn (có thể là tệp độc hại).")
            big = next((i for i in infos if i.file_size > max_entry_bytes), None)
            if big is not None:
                raise fail(f"một phần của tệp Excel ({big.filename[:60]}) khi giải nén quá lớn "
                           f"({format_count(big.file_size // 1024)} KB; giới hạn "
                           f"{format_count(max_entry_bytes // 1024)} KB) — bảng tính có quá nhiều ô.")
            if "xl/workbook.xml" not in {i.filename for i in infos}:
                raise fail("tệp không phải bảng tính Excel (.xlsx).")
    except zipfile.BadZipFile:
        raise fail("tệp bị hỏng hoặc không phải tệp Excel (.xlsx).") from None
    except OSError as exc:
        raise fail(f"không đọc được tệp ({exc.strerror}).") from None
    import warnings

    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds on damaged files
        raise fail("tệp bị hỏng, Excel không mở được nội dung.") from None


@dataclass
class Submission:
    """One unit's figures for one period, as received (an intake workbook or a report file), and
    as a consolidated report keeps it in `report.sources` (`to_source`, read back by
    `app.storage`): one shape for the import, the store, consolidation, the annex and the charts.

    Blank is not zero: a figure the unit left blank is absent from `values`."""

    unit: Unit
    period: Period
    values: dict[str, int | float]
    file: str
    # None only for a source of a report file whose "received" text is blank or not a date
    # (the text itself is kept in `raw` and written back unchanged)
    received: datetime | None
    kind: str = "intake"  # "intake" | "report"
    path: str = ""
    explanations: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # finding lines of warning severity
    # the source entry of the report file it was read from, so that the "received" text as
    # written and keys a newer program added survive a save (`source_dict`)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def key(self) -> str:
        from app.units import unit_key

        return unit_key(self.unit.name, self.unit.code)

    def to_source(self) -> Submission:
        """The submission as a consolidated report keeps it in `report.sources`: what its file
        holds (the unit's name, code and level, the figures, the file's name, the time received
        to the second) and nothing else, so a saved report reads back equal."""
        received = self.received.replace(microsecond=0) if self.received is not None else None
        return Submission(unit=Unit(self.unit.name, self.unit.code, self.unit.level),
                          period=Period(self.period.kind, self.period.year,
                                        self.period.from_year, self.period.to_year),
                          values=dict(self.values), file=self.file, received=received,
                          kind=self.kind, raw=copy.deepcopy(self.raw))

    @property
    def received_text(self) -> str:
        """The time received as the report file writes it: the text it was read from when that
        still means the same time (or is blank or not a date), else ISO 8601 to the second."""
        text = self.raw.get("received")
        text = text if isinstance(text, str) else ""
        if self.received is None:
            return text
        if text and parse_received(text) == self.received:
            return text
        return self.received.isoformat(timespec="seconds")

    def source_dict(self) -> dict[str, Any]:
        """The entry of the report file's "sources" (`app.report_file.Source`) — the one
        function that writes a source; `source_from_file` reads it back."""
        out = copy.deepcopy(self.raw)
        unit = dict(out.get("unit") or {})
        unit.update(name=self.unit.name, code=self.unit.code, level=self.unit.level)
        out["unit"] = unit
        out["file"] = self.file
        out["received"] = self.received_text
        out["values"] = dict(self.values)
        return out

    def to_report(self) -> Report:
        return Report(unit=Unit(self.unit.name, self.unit.code, self.unit.level),
                      period=Period(self.period.kind, self.period.year, self.period.from_year,
                                    self.period.to_year),
                      values=dict(self.values), explanations=dict(self.explanations))


def parse_received(text: str) -> datetime | None:
    """The time a source's "received" text names: ISO 8601, or a text that starts with an ISO
    date (that day); None when it is blank or not a date."""
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
    except ValueError:
        return None


def source_from_file(src: Any, raw: dict[str, Any], period: Period) -> Submission:
    """A source of a report file (`app.report_file.Source`, and the dict it was decoded from)
    as the submission the report keeps: the report's period, the figures given (a blank one is
    absent), the time received when its text is a date; a report file's name says "report"."""
    from app.storage import is_report_file

    return Submission(
        unit=Unit(src.unit.name, src.unit.code, src.unit.level),
        period=Period(period.kind, period.year, period.from_year, period.to_year),
        values={k: v for k, v in src.values.items() if v is not None},
        file=src.file, received=parse_received(src.received),
        kind="report" if is_report_file(src.file) else "intake",
        raw=raw if isinstance(raw, dict) else {})


def _file_time(path: Path) -> datetime:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except OSError:
        return datetime.now().replace(microsecond=0)


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _show(v: Any) -> str:
    """A cell's content as the message quotes it; a number written the Vietnamese way."""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) \
            and abs(v) < 1e15:  # beyond that, written as typed (the Vietnamese form has no room)
        from app.formatting import format_decimal

        return format_decimal(v, 6)
    text = str(v)
    return text if len(text) <= 40 else text[:37] + "…"


def read_intake(path: str | os.PathLike[str], catalog: Catalog | None = None,
                max_bytes: int = MAX_INTAKE_BYTES, accept_foreign: bool = False) -> Submission:
    """Read a filled intake workbook. Raises SubmissionError naming every problem.

    The workbook's signature (app.intake_key) must be this installation's and must match its
    identity and rows; every row's label must be its key's. `accept_foreign=True` (an
    administrator's explicit choice) accepts a form signed by another installation, or an
    unsigned one of format 1 — the row checks still apply."""
    cat = catalog or load_catalog()
    p = Path(path)
    wb = open_workbook_safely(p, max_bytes, max_entry_bytes=MAX_INTAKE_ENTRY_BYTES)
    try:
        return _read_open_intake(p, wb, cat, accept_foreign)
    except SubmissionError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl meets damaged XML lazily, row by row
        raise SubmissionError(p.name, ["tệp bị hỏng: nội dung bảng tính không đọc được (ô có giá "
                                       "trị sai kiểu, XML hỏng hoặc tham chiếu không tồn tại)."]) from None
    finally:
        wb.close()


def _read_meta(wb: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    for row in wb[META_SHEET].iter_rows(min_row=1, max_row=40, max_col=3, values_only=True):
        if row and isinstance(row[0], str) and row[0].strip():
            meta[row[0].strip()[:40]] = _cell_text(row[2] if len(row) > 2 else None)[:1000]
    return meta


def _read_open_intake(p: Path, wb: Any, cat: Catalog, accept_foreign: bool) -> Submission:
    from app.intake_key import installation_key, key_id, sign, signatures_match

    problems: list[str] = []
    if META_SHEET not in wb.sheetnames or DATA_SHEET not in wb.sheetnames:
        raise SubmissionError(p.name, [
            f"không phải phiếu số liệu CCHC (thiếu trang “{DATA_SHEET}” hoặc “{META_SHEET}”)."])
    meta = _read_meta(wb)
    if meta.get("format") != INTAKE_FORMAT:
        raise SubmissionError(p.name, ["không phải phiếu số liệu CCHC do chương trình tạo "
                                       "(trang thông tin phiếu bị thiếu hoặc đã bị sửa)."])
    version = meta.get("format_version")
    unsigned = version == "1"
    if version != str(INTAKE_FORMAT_VERSION) and not unsigned:
        raise SubmissionError(p.name, [f"phiếu có định dạng “{_show(version)}” mà "
                                       f"chương trình này không đọc được."])
    if meta.get("catalog_version") != cat.version:
        raise SubmissionError(p.name, [
            f"phiếu được tạo theo danh mục chỉ tiêu phiên bản “{_show(meta.get('catalog_version'))}”, "
            f"chương trình đang dùng phiên bản “{cat.version}”; hãy gửi đơn vị phiếu mới."])
    level = meta.get("unit_level", "")
    if level not in LEVELS:
        raise SubmissionError(p.name, [f"cấp đơn vị “{_show(level)}” trong thông tin phiếu không hợp lệ."])

    def year(k: str) -> int | None:
        t = meta.get(k, "")
        return int(t) if t.isascii() and t.isdigit() and len(t) == 4 else None

    try:
        period = period_from_parts(meta.get("period_kind", ""), year("period_year"),
                                   year("period_from_year"), year("period_to_year"))
    except IntakeError as exc:
        raise SubmissionError(p.name, [f"thông tin phiếu: {exc}"]) from None
    unit = Unit(name=meta.get("unit_name", ""), code=meta.get("unit_code", ""), level=level)
    if not unit.name:
        raise SubmissionError(p.name, ["thông tin phiếu thiếu tên đơn vị."])
    expected_list = intake_rows(level, period, cat)
    expected = {i.key: i for i in expected_list}
    who = f"“{unit.name}”" + (f" (mã {unit.code})" if unit.code else "")
    if unsigned:
        if not accept_foreign:
            raise SubmissionError(p.name, [
                f"phiếu của {who} theo mẫu cũ (định dạng 1), không có chữ ký của Sở; hãy gửi đơn "
                f"vị phiếu mới, hoặc quản trị viên chọn “Vẫn nhận” nếu chắc chắn phiếu là thật."],
                unit, period, foreign=True)
    else:
        secret = installation_key()
        mine = key_id(secret)
        theirs = meta.get("key_id", "")
        if theirs != mine:
            if not accept_foreign:
                raise SubmissionError(p.name, [
                    f"phiếu của {who} được tạo ở một cài đặt khác của chương trình (mã cài đặt "
                    f"“{_show(theirs)}”, ở đây là “{mine}”); chỉ nhận phiếu do Sở phát hành, hoặc "
                    f"quản trị viên chọn “Vẫn nhận” nếu chắc chắn phiếu là thật."],
                    unit, period, foreign=True)
        elif not signatures_match(meta.get("signature", ""),
                                  sign(secret, signed_parts(unit, period, cat.version, expected_list))):
            raise SubmissionError(p.name, [
                f"chữ ký của phiếu không khớp: thông tin phiếu (đơn vị {who}, cấp "
                f"“{level}”, kỳ {period.title}, phiên bản danh mục) hoặc các cặp mã – tên chỉ "
                f"tiêu đã bị sửa sau khi Sở phát hành phiếu; hãy dùng phiếu gốc."], unit, period)

    ws = wb[DATA_SHEET]
    values: dict[str, int | float] = {}
    seen: dict[str, int] = {}
    header_ok = False
    for r, cells in enumerate(ws.iter_rows(min_row=1, max_col=VALUE_COL + 1), 1):
        if r > MAX_DATA_ROWS + HEADER_ROW:
            raise SubmissionError(p.name, ["trang số liệu có quá nhiều dòng."])
        if r < HEADER_ROW:
            continue
        cells = tuple(cells) + (None,) * (VALUE_COL + 1 - len(cells))
        key_cell, label_cell, value_cell = cells[KEY_COL], cells[LABEL_COL], cells[VALUE_COL]
        key = getattr(key_cell, "value", None)
        if r == HEADER_ROW:
            header = getattr(value_cell, "value", None)
            header_ok = isinstance(header, str) and header.strip() == VALUE_HEADER
            if not header_ok:
                raise SubmissionError(p.name, [
                    f"dòng {r}: không thấy tiêu đề cột “{VALUE_HEADER}” ở cột E; bố cục phiếu đã bị thay đổi."])
            continue
        v = getattr(value_cell, "value", None)
        if key is None or (isinstance(key, str) and not key.strip()):
            if v is not None and not (isinstance(v, str) and not v.strip()):
                # a figure typed on an area heading row or outside the table
                problems.append(f"dòng {r}: ô E{r} có “{_show(v)}” nhưng dòng này không phải chỉ tiêu; hãy xóa.")
            continue
        if not isinstance(key, str) or key.strip() not in expected:
            problems.append(f"dòng {r}: mã chỉ tiêu “{_show(key)}” không thuộc phiếu này; bố cục phiếu đã bị thay đổi.")
            continue
        key = key.strip()
        ind = expected[key]
        label = getattr(label_cell, "value", None)
        if not isinstance(label, str) or label.strip() != ind.label:
            problems.append(f"dòng {r}: mã chỉ tiêu ẩn “{key}” không đi với tên “{_show(label)}” ghi "
                            f"trên dòng (theo danh mục là “{ind.label}”); dòng đã bị sửa, số liệu "
                            f"của dòng không được nhận.")
            continue
        if key in seen:
            problems.append(f"dòng {r}: chỉ tiêu “{ind.label}” lặp lại (đã có ở dòng {seen[key]}).")
            continue
        seen[key] = r
        value, problem = _check_cell(ind, value_cell, period, cat)
        if problem:
            problems.append(f"dòng {r}, “{ind.label}” (ô E{r}): {problem}")
        elif value is not None:
            values[key] = value
    if not header_ok:
        raise SubmissionError(p.name, [f"không thấy bảng số liệu (tiêu đề “{VALUE_HEADER}”)."])
    absent = [k for k in expected if k not in seen]
    if absent and not any("không đi với tên" in line for line in problems):
        labels = ", ".join(f"“{expected[k].label}”" for k in absent[:3])
        more = f" và {len(absent) - 3} chỉ tiêu khác" if len(absent) > 3 else ""
        problems.append(f"thiếu dòng của {labels}{more}; bố cục phiếu đã bị thay đổi.")
    if not problems and not values:
        problems.append("phiếu chưa có số liệu nào (mọi ô của cột “Số liệu” đều trống).")
    if problems:
        raise SubmissionError(p.name, problems, unit, period)
    return Submission(unit=unit, period=period, values=values, file=p.name, received=_file_time(p),
                      kind="intake", path=str(p))


def _check_cell(ind: Indicator, cell: Any, period: Period,
                cat: Catalog) -> tuple[int | float | None, str]:
    """(value, "") or (None, problem). Blank is not zero: an empty cell is None."""
    if cell is None:
        return None, ""
    v = cell.value
    dtype = getattr(cell, "data_type", "n")
    if v is None:
        return None, ""
    if dtype == "f" or (isinstance(v, str) and v.startswith("=")):
        return None, f"ô chứa công thức “{_show(v)}”; hãy nhập số (giá trị), không nhập công thức."
    if dtype == "e":
        return None, f"ô chứa lỗi Excel “{_show(v)}”; hãy nhập số."
    if isinstance(v, str):
        if not v.strip():
            return None, ""  # only spaces: the same as an empty cell
        return None, (f"ô chứa chữ “{_show(v)}”, không phải số; hãy nhập số (ví dụ 1675 hoặc 97,37) "
                      f"hoặc để trống nếu không có số liệu.")
    if isinstance(v, bool):
        return None, f"ô chứa giá trị đúng/sai “{v}”, không phải số."
    if isinstance(v, (datetime, date)):
        return None, f"ô chứa ngày tháng “{v:%d/%m/%Y}”, không phải số."
    if not isinstance(v, (int, float)) or not math.isfinite(v):
        return None, f"“{_show(v)}” không phải số."
    if v < 0:
        return None, f"số âm {_show(v)} không hợp lệ; số liệu phải từ 0 trở lên."
    whole = float(v).is_integer()
    if ind.unit in ("count", "money_vnd", "rank", "year") and not whole:
        return None, f"{_show(v)} không hợp lệ; chỉ tiêu này phải là số nguyên."
    if ind.unit in ("percent", "score") and v > 100:
        return None, f"{_show(v)} không hợp lệ; {'tỷ lệ' if ind.unit == 'percent' else 'điểm'} phải từ 0 đến 100."
    if ind.unit == "rank" and not 1 <= v <= period.province_count:
        return None, f"thứ hạng {int(v)} không hợp lệ; phải từ 1 đến {period.province_count}."
    if ind.unit == "year" and not 1990 <= v <= period.report_year:
        return None, f"năm {int(v)} không hợp lệ; phải từ 1990 đến {period.report_year}."
    top = cat.bounds_for(ind.key).physical_max
    if v > top:
        return None, (f"{_show(v)} vượt giới hạn {format_count(top)} mà chỉ tiêu này không thể "
                      f"vượt; hãy kiểm tra lại số liệu.")
    if whole and ind.unit != "percent" and ind.unit != "score":
        return int(v), ""
    return (int(v) if whole else float(v)), ""


# ---------------------------------------------------------------------------------- both kinds


def load_submission(path: str | os.PathLike[str], catalog: Catalog | None = None,
                    accept_foreign: bool = False) -> Submission:
    """Read an intake workbook (.xlsx) or a report file (.cchc, or .cchc.json / .json) and check it
    against the catalogue and the error rules of rules.md. Raises SubmissionError — and only
    that, whatever the file holds, so that one bad file of a batch never stops the others."""
    p = Path(path)
    try:
        return _load_submission(p, catalog or load_catalog(), accept_foreign)
    except SubmissionError:
        raise
    except UserError as exc:
        raise SubmissionError(p.name, exc.problems) from None
    except Exception as exc:  # noqa: BLE001 - a bug: name the file, keep the details in a log
        from app.errors import describe_failure

        raise SubmissionError(p.name, describe_failure(exc)) from None


def _load_submission(p: Path, cat: Catalog, accept_foreign: bool) -> Submission:
    from app.storage import ReportFileError, load_report

    name = p.name.lower()
    if name.endswith(".xlsx"):
        sub = read_intake(p, cat, accept_foreign=accept_foreign)
    elif name.endswith((".cchc", ".json")):
        try:
            report = load_report(p)
        except ReportFileError as exc:
            text = str(exc)
            if text.startswith(str(p) + ": "):
                text = text[len(str(p)) + 2:]
            raise SubmissionError(p.name, [text]) from None
        sub = Submission(unit=report.unit, period=report.period, values=dict(report.values),
                         file=p.name, received=_file_time(p), kind="report", path=str(p),
                         explanations=dict(report.explanations))
    elif name.endswith((".xls", ".xlsm", ".ods")):
        raise SubmissionError(p.name, ["định dạng tệp không được nhận; hãy dùng phiếu .xlsx do "
                                       "chương trình tạo hoặc tệp báo cáo .cchc."])
    else:
        raise SubmissionError(p.name, ["không phải phiếu số liệu (.xlsx) hay tệp báo cáo (.cchc)."])
    try:
        check_submission(sub, cat)
    except SubmissionError as exc:
        raise SubmissionError(exc.file, exc.problems, sub.unit, sub.period) from None
    return sub


def check_submission(sub: Submission, catalog: Catalog | None = None) -> None:
    """Refuse unknown indicators, indicators that do not apply to the unit's level, and every
    error of the rules of rules.md; keep the warnings on the submission."""
    from app.validation import validate

    cat = catalog or load_catalog()
    problems: list[str] = []
    if not sub.unit.name.strip():
        problems.append("thiếu tên đơn vị (“unit.name”).")
    applicable = {i.key for i in intake_indicators(sub.unit.level, sub.period, cat)} \
        if sub.kind == "intake" else {i.key for i in cat.for_level(sub.unit.level)}
    for key in sub.values:
        ind = cat.indicators.get(key)
        d = cat.derived.get(key) if ind is None else None
        if d is not None and d.kind == "percent":
            continue  # a rate typed because its counts are not known (rules.md "Entered rates")
        if ind is None:
            problems.append(f"chỉ tiêu “{key}” không có trong danh mục chỉ tiêu.")
        elif key not in applicable:
            problems.append(f"chỉ tiêu “{ind.label}” không áp dụng cho "
                            f"{LEVEL_LABELS[sub.unit.level].lower()}.")
    if problems:
        raise SubmissionError(sub.file, problems)
    # a unit's submission is not a drafted report: the outline's sentences do not apply (O01)
    findings = validate(sub.to_report(), catalog=cat, document=False, outline=())
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise SubmissionError(sub.file, [f"{f.rule}: {f.message}" for f in errors])
    sub.warnings = [f.line() for f in findings if f.severity == "warning" and not f.explained]
