"""The completeness board: for one period, which units have reported, on time or late (against
`Period.deadline`), with warnings or refused files, and which are missing; export to Excel.

A submission's time is the time the file carries (its modification time when it was saved from
the e-mail), which is when the unit sent it — not when the department got round to importing it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from app.formatting import format_count, format_date_nd30, format_short_date
from app.model import Period
from app.units import RegisteredUnit, unit_key

STATUS_LABELS = {
    "on_time": "Đã nộp, đúng hạn",
    "late": "Đã nộp, trễ hạn",
    "rejected": "Tệp bị từ chối",
    "missing": "Chưa nộp",
    "overdue": "Chưa nộp, đã quá hạn",
}
STATUS_ORDER = {"overdue": 0, "missing": 1, "rejected": 2, "late": 3, "on_time": 4}


@dataclass
class BoardRow:
    name: str
    code: str
    level: str
    status: str
    received: datetime | None = None
    days_late: int | None = None
    file: str = ""
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # reasons of refused files
    registered: bool = True

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def reported(self) -> bool:
        return self.status in ("on_time", "late")

    @property
    def note(self) -> str:
        parts = []
        if not self.registered:
            parts.append("Không có trong danh sách đơn vị")
        if self.days_late:
            parts.append(f"Trễ {format_count(self.days_late)} ngày")
        if self.errors:
            parts.append(f"Tệp bị từ chối: {self.errors[-1]}")
        if self.warnings:
            parts.append(f"{format_count(len(self.warnings))} cảnh báo: {self.warnings[0]}")
        return "; ".join(parts)


@dataclass
class Board:
    period: Period
    rows: list[BoardRow]
    today: date

    @property
    def counts(self) -> dict[str, int]:
        c = {k: 0 for k in STATUS_LABELS}
        for r in self.rows:
            c[r.status] += 1
        c["expected"] = sum(1 for r in self.rows if r.registered)
        c["reported"] = c["on_time"] + c["late"]
        c["not_reported"] = c["missing"] + c["overdue"] + c["rejected"]
        c["with_warnings"] = sum(1 for r in self.rows if r.reported and r.warnings)
        return c

    def summary(self) -> str:
        c = self.counts
        return (f"{format_count(c['reported'])}/{format_count(len(self.rows))} đơn vị đã nộp "
                f"({format_count(c['on_time'])} đúng hạn, {format_count(c['late'])} trễ hạn); "
                f"{format_count(c['not_reported'])} chưa có số liệu hợp lệ "
                f"({format_count(c['rejected'])} có tệp bị từ chối); "
                f"{format_count(c['with_warnings'])} đơn vị có cảnh báo. Hạn nộp: "
                f"{format_date_nd30(self.period.deadline)}.")


def build_board(period: Period, register: list[RegisteredUnit], submissions: list,
                rejections: list | None = None, today: date | None = None) -> Board:
    """`submissions`: StoredSubmission or Submission objects of the period (one per unit);
    `rejections`: StoredRejection objects of the period. Units of the register that are not
    active in the period are left out; a submitting unit missing from the register is shown."""
    today = today or date.today()
    deadline = period.deadline
    by_key: dict[str, BoardRow] = {}
    rows: list[BoardRow] = []
    for u in register:
        if not u.expected_in(period):
            continue
        row = BoardRow(u.name, u.code, u.level, "overdue" if today > deadline else "missing")
        by_key[u.key] = row
        if u.code:  # a file may name the unit without its code
            by_key.setdefault(unit_key(u.name), row)
        rows.append(row)
    for s in submissions:
        key = unit_key(s.unit.name, s.unit.code)
        row = by_key.get(key) or by_key.get(unit_key(s.unit.name))
        if row is None:
            row = BoardRow(s.unit.name, s.unit.code, s.unit.level, "missing", registered=False)
            by_key[key] = row
            rows.append(row)
        received = s.received
        late = (received.date() - deadline).days
        row.status = "late" if late > 0 else "on_time"
        row.days_late = late if late > 0 else None
        row.received = received
        row.file = s.file
        row.warnings = list(s.warnings)
    for rj in rejections or []:
        if not rj.unit_key:
            continue
        row = by_key.get(rj.unit_key) or by_key.get(unit_key(rj.unit_name))
        if row is None:
            continue
        row.errors.append(rj.reason)
        if not row.reported:
            row.status = "rejected"
            row.file = rj.file
    rows.sort(key=lambda r: (STATUS_ORDER[r.status], r.name))
    return Board(period, rows, today)


def board_from_history(period: Period, history=None, register: list[RegisteredUnit] | None = None,
                       today: date | None = None) -> Board:
    from app.history import History
    from app.units import load_register

    reg = load_register() if register is None else register
    own = history is None
    h = history or History()
    try:
        return build_board(period, reg, h.submissions(period), h.rejections(period), today)
    finally:
        if own:
            h.close()


BOARD_HEADERS = ("STT", "Đơn vị", "Mã", "Cấp", "Tình trạng", "Ngày nhận", "Tệp", "Ghi chú")


def export_board(board: Board, path: str | os.PathLike[str]) -> Path:
    """The board as an Excel workbook (A4 landscape, header repeated), written atomically."""
    import io

    import xlsxwriter

    from app.catalog import LEVEL_LABELS
    from app.storage import atomic_write

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_numbers": False, "strings_to_urls": False})
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
    f_title = wb.add_format({**base, "bold": True, "font_size": 14, "align": "center"})
    f_sub = wb.add_format({**base, "italic": True, "align": "center", "text_wrap": True})
    f_head = wb.add_format({**base, "bold": True, "align": "center", "border": 1, "text_wrap": True,
                            "bg_color": "#D9E2F3"})
    f_cell = wb.add_format({**base, "border": 1, "text_wrap": True})
    f_center = wb.add_format({**base, "border": 1, "align": "center"})
    status_fmt = {
        "on_time": wb.add_format({**base, "border": 1, "font_color": "#1E6B30"}),
        "late": wb.add_format({**base, "border": 1, "font_color": "#8A5300"}),
        "rejected": wb.add_format({**base, "border": 1, "font_color": "#B00020", "bold": True}),
        "missing": wb.add_format({**base, "border": 1}),
        "overdue": wb.add_format({**base, "border": 1, "font_color": "#B00020"}),
    }
    ws = wb.add_worksheet("Tình hình nộp")
    widths = (6, 38, 10, 16, 22, 13, 30, 50)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    last = len(BOARD_HEADERS) - 1
    ws.merge_range(0, 0, 0, last, f"TÌNH HÌNH NỘP SỐ LIỆU CẢI CÁCH HÀNH CHÍNH {board.period.title.upper()}", f_title)
    ws.set_row(1, 34)
    ws.merge_range(1, 0, 1, last, f"(Số liệu đến {format_date_nd30(board.today)}) — {board.summary()}", f_sub)
    hr = 3
    for c, h in enumerate(BOARD_HEADERS):
        ws.write_string(hr, c, h, f_head)
    for i, r in enumerate(board.rows, 1):
        row = hr + i
        ws.write_number(row, 0, i, f_center)
        ws.write_string(row, 1, r.name, f_cell)
        ws.write_string(row, 2, r.code, f_center)
        ws.write_string(row, 3, LEVEL_LABELS.get(r.level, r.level), f_cell)
        ws.write_string(row, 4, r.status_label, status_fmt[r.status])
        ws.write_string(row, 5, format_short_date(r.received.date()) if r.received else "", f_center)
        ws.write_string(row, 6, r.file, f_cell)
        ws.write_string(row, 7, r.note, f_cell)
    ws.autofilter(hr, 0, hr + max(len(board.rows), 1), last)
    ws.freeze_panes(hr + 1, 0)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(hr)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&RTrang &P/&N")
    wb.close()
    target = Path(path)
    atomic_write(target, buf.getvalue())
    return target
