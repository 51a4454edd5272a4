"""Generate the corpus of tampered and damaged intake workbooks (no committed binaries).

`python tests/tampered_workbooks.py FOLDER` writes every case into FOLDER and prints one line per
case; `generate(folder)` returns the cases for tests/app/test_tampered_workbooks.py. Each case says
what the program must do with it:

- "refused": a re-addressed or edited workbook — refused, naming the row or the field (`fragment`);
- "unreadable": a damaged workbook — named with its reason, while the good ones are imported;
- "foreign": made by another installation — refused unless an administrator accepts it;
- "good": an untouched filled form (imported).
"""

from __future__ import annotations

import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from app.intake import DATA_SHEET, HEADER_ROW, META_SHEET, write_intake  # noqa: E402
from app.model import Period, Unit  # noqa: E402

PERIOD = Period("nam", 2025)
UNITS = {
    "STP": Unit("Sở Tư pháp", "STP", "so_nganh"),
    "STC": Unit("Sở Tài chính", "STC", "so_nganh"),
    "SNV": Unit("Sở Nội vụ", "SNV", "so_nganh"),
}
FIGURES = {"vbqppl_ban_hanh": 12, "vb_chi_dao_ban_hanh": 7, "ho_so_tiep_nhan": 1200,
           "ho_so_da_giai_quyet": 1100}


@dataclass
class Case:
    name: str
    path: Path
    expect: str       # "good" | "refused" | "unreadable" | "foreign"
    fragment: str     # a piece of the reason the program must give


def _rows(ws) -> dict[str, int]:  # noqa: ANN001
    return {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value}


def filled(folder: Path, name: str, unit: Unit = UNITS["STP"], values: dict | None = None) -> Path:
    """A form as the program writes it, filled in as a unit would in Excel."""
    path = write_intake(folder / name, unit, PERIOD)
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    rows = _rows(ws)
    for key, v in (FIGURES if values is None else values).items():
        ws.cell(rows[key], 5).value = v
    wb.save(path)
    return path


def _edit(path: Path, change: Callable) -> Path:  # change(workbook) edits it in place
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def _meta(key: str, value: str) -> Callable:
    def change(wb) -> None:  # noqa: ANN001
        ws = wb[META_SHEET]
        for r in range(1, ws.max_row + 1):
            if ws.cell(r, 1).value == key:
                ws.cell(r, 3).value = value
    return change


def _swap_keys(a: str, b: str) -> Callable:
    def change(wb) -> None:  # noqa: ANN001
        ws = wb[DATA_SHEET]
        rows = _rows(ws)
        ws.cell(rows[a], 1).value, ws.cell(rows[b], 1).value = b, a
    return change


def _set(key: str, column: int, value) -> Callable:  # noqa: ANN001
    def change(wb) -> None:  # noqa: ANN001
        ws = wb[DATA_SHEET]
        ws.cell(_rows(ws)[key], column).value = value
    return change


def _row_of(path: Path, key: str) -> int:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        for r, row in enumerate(wb[DATA_SHEET].iter_rows(max_col=1, values_only=True), 1):
            if row and row[0] == key:
                return r
    finally:
        wb.close()
    raise KeyError(key)


def _rewrite_sheet(path: Path, edit: Callable[[str], str], entry: str = "xl/worksheets/sheet1.xml") -> Path:
    """Edit one part of the zip container as raw text (what Excel would never write)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts[entry] = edit(parts[entry].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _cell_xml(path: Path, key: str, replacement: str) -> Path:
    """Replace the XML of the value cell (column E) of a key's row."""
    ref = f"E{_row_of(path, key)}"
    pattern = re.compile(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', re.S)

    def edit(xml: str) -> str:
        new, n = pattern.subn(replacement.replace("REF", ref), xml)
        assert n == 1, (ref, n)
        return new
    return _rewrite_sheet(path, edit)


def generate(folder: str | Path, other_installation: Callable[[], None] | None = None) -> list[Case]:
    """Write every case into `folder`. `other_installation()` switches the secret to another
    installation's for the "foreign" case (and must switch back when called again)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name: str, expect: str, fragment: str, make: Callable[[Path], Path]) -> None:
        cases.append(Case(name, make(folder / name), expect, fragment))

    add("good-stp.xlsx", "good", "", lambda p: filled(folder, p.name))
    add("good-snv.xlsx", "good", "", lambda p: filled(folder, p.name, UNITS["SNV"]))

    # re-addressed: another unit, level or period written into the hidden sheet
    for key, value, name in [("unit_code", "STC", "ma-don-vi-STP-thanh-STC"),
                             ("unit_name", "Sở Tài chính", "ten-don-vi-doi"),
                             ("unit_level", "tinh", "cap-doi"),
                             ("period_year", "2024", "nam-doi"),
                             ("period_kind", "sau_thang", "ky-doi"),
                             ("signature", "0" * 32, "chu-ky-sua"),
                             ("signature", "", "chu-ky-xoa")]:
        add(f"{name}.xlsx", "refused", "chữ ký của phiếu không khớp",
            lambda p, k=key, v=value: _edit(filled(folder, p.name), _meta(k, v)))
    add("danh-muc-doi.xlsx", "refused", "danh mục chỉ tiêu phiên bản",
        lambda p: _edit(filled(folder, p.name), _meta("catalog_version", "000000000000")))
    # re-addressed rows: the figures would land on other indicators
    add("hoan-doi-ma-hai-dong.xlsx", "refused", "không đi với tên",
        lambda p: _edit(filled(folder, p.name), _swap_keys("vbqppl_ban_hanh", "vb_chi_dao_ban_hanh")))
    add("ma-dong-thanh-ma-khac.xlsx", "refused", "không đi với tên",
        lambda p: _edit(filled(folder, p.name), _set("vb_chi_dao_ban_hanh", 1, "ho_so_tiep_nhan")))
    add("ten-dong-sua.xlsx", "refused", "không đi với tên",
        lambda p: _edit(filled(folder, p.name), _set("vbqppl_ban_hanh", 3, "Số hồ sơ đã giải quyết")))
    add("ma-la.xlsx", "refused", "không thuộc phiếu này",
        lambda p: _edit(filled(folder, p.name), _set("vbqppl_ban_hanh", 1, "cs_par_diem")))
    add("so-qua-lon-1e308.xlsx", "refused", "vượt giới hạn",
        lambda p: filled(folder, p.name, values={"vbqppl_ban_hanh": 1e308}))
    add("so-qua-lon-1e28.xlsx", "refused", "vượt giới hạn",
        lambda p: filled(folder, p.name, values={"ho_so_tiep_nhan": 10**28}))
    add("cong-thuc.xlsx", "refused", "công thức",
        lambda p: filled(folder, p.name, values={"vbqppl_ban_hanh": "=1+1"}))

    # damaged: each must be named with a reason, the good ones still imported
    add("nan-trong-o-so.xlsx", "unreadable", "",
        lambda p: _cell_xml(filled(folder, p.name), "vbqppl_ban_hanh", '<c r="REF" t="n"><v>NaN</v></c>'))
    add("chu-trong-o-so.xlsx", "unreadable", "",
        lambda p: _cell_xml(filled(folder, p.name), "vbqppl_ban_hanh", '<c r="REF" t="n"><v>abc</v></c>'))
    add("ngay-sai.xlsx", "unreadable", "",
        lambda p: _cell_xml(filled(folder, p.name), "vbqppl_ban_hanh", '<c r="REF" t="d"><v>2025-13-45</v></c>'))
    add("chuoi-chung-ngoai-pham-vi.xlsx", "unreadable", "",
        lambda p: _cell_xml(filled(folder, p.name), "vbqppl_ban_hanh", '<c r="REF" t="s"><v>999999</v></c>'))
    add("xml-hong.xlsx", "unreadable", "bị hỏng",
        lambda p: _rewrite_sheet(filled(folder, p.name), lambda xml: xml[: len(xml) // 2]))
    add("mot-dong-hang-trieu-o.xlsx", "unreadable", "quá nhiều ô",
        lambda p: _rewrite_sheet(filled(folder, p.name), lambda xml: xml.replace(
            "</sheetData>", '<row r="900">' + "".join(f'<c r="A900" t="n"><v>{i}</v></c>'
                                                       for i in range(150_000)) + "</row></sheetData>")))

    def truncated(p: Path) -> Path:
        data = filled(folder, p.name).read_bytes()
        p.write_bytes(data[: len(data) // 3])
        return p
    add("bi-cat-cut.xlsx", "unreadable", "bị hỏng", truncated)

    def empty(p: Path) -> Path:
        p.write_bytes(b"")
        return p
    add("rong.xlsx", "unreadable", "rỗng", empty)

    def no_workbook(p: Path) -> Path:
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("xl/other.xml", "<x/>")
        return p
    add("khong-co-workbook.xlsx", "unreadable", "không phải bảng tính", no_workbook)

    if other_installation is not None:
        def foreign(p: Path) -> Path:
            other_installation()
            try:
                return filled(folder, p.name)
            finally:
                other_installation()
        add("cai-dat-khac.xlsx", "foreign", "cài đặt khác", foreign)
    return cases


if __name__ == "__main__":  # pragma: no cover
    import os
    import tempfile

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="phieu-hong-"))
    os.environ.setdefault("CCHC_DATA_DIR", str(out / ".data"))
    for c in generate(out):
        print(f"{c.expect:10} {c.path}")
