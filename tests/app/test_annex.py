"""The Excel annex: read back with openpyxl (no Qt)."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from filling import source

from app.export.annex import write_annex
from app.export.annex_layout import check_layout, default_layout_path, load_layout
from app.sample import sample_report


def _open(path: Path):
    return openpyxl.load_workbook(path)


def _rows(ws) -> dict[str, tuple]:
    """Indicator label → the row's cells (label column B in the default layout)."""
    out = {}
    for row in ws.iter_rows():
        label = row[1].value
        if isinstance(label, str):
            out[label] = row
    return out


def _header(ws) -> dict[str, int]:
    """Column title → column index (1-based), from the header rows."""
    titles = {}
    for row in ws.iter_rows(max_row=12):
        for c in row:
            if isinstance(c.value, str) and c.value in (
                    "STT", "Chỉ tiêu", "Đơn vị tính", "Ghi chú", "Đơn vị",
                    "Kết quả năm 2024", "Cùng kỳ năm 2023", "Tăng (+), giảm (-)", "Tỷ lệ (%)"):
                titles.setdefault(c.value, c.column)
    return titles


@pytest.fixture
def report():
    return sample_report()


@pytest.fixture
def previous():
    p = sample_report(2023)
    p.values = {k: (int(v * 0.8) if isinstance(v, int) and k.startswith(("vbqppl", "ho_so"))
                    else v) for k, v in p.values.items()}
    p.values["cs_par_xep_hang"] = 24
    return p


def test_numbers_equal_inputs_and_formats(tmp_path, report):
    del report.values["tthc_cong_bo"]  # not reported
    out = tmp_path / "a.xlsx"
    write_annex(report, out)
    wb = _open(out)
    assert [n for n in wb.sheetnames if not n.startswith("Biểu đồ")] == ["Phụ lục"]
    ws = wb["Phụ lục"]
    rows = _rows(ws)
    col = _header(ws)
    value = col["Kết quả năm 2024"] - 1
    note = col["Ghi chú"] - 1
    r = rows["Số văn bản QPPL và văn bản có chứa quy phạm được kiểm tra"]
    assert r[value].value == 1675 and r[value].number_format == "#,##0"
    r = rows["Tỷ lệ hồ sơ giải quyết đúng hạn"]
    assert r[value].value == pytest.approx(97.37) and r[value].number_format == "0.00"
    assert r[col["Đơn vị tính"] - 1].value == "%"
    r = rows["Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC"]
    assert r[value].value == 82.5
    r = rows["Kinh phí tiết kiệm chi"]
    assert r[value].value == 186_500_000_000 and r[value].number_format == "#,##0"
    r = rows["Xếp hạng Chỉ số CCHC"]
    assert r[value].value == 21 and r[value].number_format == "0"
    r = rows["Năm gốc để tính tinh giản biên chế"]
    assert r[value].value == 2015 and r[value].number_format == "0"
    r = rows["Điểm Chỉ số cải cách hành chính (PAR INDEX)"]
    assert r[value].value == 86.57 and r[value].number_format == "0.00"
    r = rows["Thay đổi thứ hạng Chỉ số CCHC"]
    assert r[value].value == "tăng 03 bậc"
    # blank is not zero
    r = rows["Số TTHC được công bố trong kỳ"]
    assert r[value].value is None
    assert r[note].value == "Chưa báo cáo"
    # no previous period: no comparison columns
    assert "Cùng kỳ năm 2023" not in col


def test_every_catalogue_value_round_trips(tmp_path, report):
    from app.catalog import load_catalog

    cat = load_catalog()
    out = tmp_path / "a.xlsx"
    write_annex(report, out)
    rows = _rows(_open(out)["Phụ lục"])
    for key, v in report.values.items():
        assert rows[cat.indicators[key].label][3].value == v, key


def test_heading_print_setup(tmp_path, report):
    out = tmp_path / "a.xlsx"
    write_annex(report, out)
    ws = _open(out)["Phụ lục"]
    a1, a2, a3 = ws["A1"], ws["A2"], ws["A3"]
    assert a1.value == "Phụ lục" and a1.font.b and a1.font.sz == 14
    assert a1.alignment.horizontal == "center"
    assert a2.value == "KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2024" and a2.font.b
    assert a3.value == ("(Kèm theo Báo cáo số 412/BC-UBND ngày 16 tháng 12 năm 2024 "
                        "của Ủy ban nhân dân tỉnh Hà Nam)")
    assert a3.font.i
    assert a1.font.name == "Times New Roman"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize in (9, "9")
    assert ws.print_title_rows == "$5:$5"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1, "1") and ws.page_setup.fitToHeight in (0, "0")
    assert ws.freeze_panes == "A6"
    assert ws.column_dimensions["B"].width > 50
    assert ws["B7"].alignment.wrap_text
    for row in ws.iter_rows():
        for c in row:
            assert not (isinstance(c.value, str) and "DỰ THẢO" in c.value)


def test_draft_mark(tmp_path, report):
    out = tmp_path / "a.xlsx"
    write_annex(report, out, draft=True)
    ws = _open(out)["Phụ lục"]
    texts = [c.value for row in ws.iter_rows(max_row=2) for c in row if c.value]
    assert "DỰ THẢO" in texts
    assert "DỰ THẢO" in ws.oddHeader.right.text


def test_previous_period_columns(tmp_path, report, previous):
    out = tmp_path / "a.xlsx"
    write_annex(report, out, previous=previous)
    ws = _open(out)["Phụ lục"]
    col = _header(ws)
    assert {"Cùng kỳ năm 2023", "Tăng (+), giảm (-)", "Tỷ lệ (%)"} <= set(col)
    assert ws.print_title_rows == "$5:$6"  # grouped header: two rows
    rows = _rows(ws)
    r = rows["Số văn bản QPPL và văn bản có chứa quy phạm được kiểm tra"]
    prev = int(1675 * 0.8)
    assert r[col["Cùng kỳ năm 2023"] - 1].value == prev
    assert r[col["Tăng (+), giảm (-)"] - 1].value == 1675 - prev
    assert r[col["Tỷ lệ (%)"] - 1].value == pytest.approx(round((1675 - prev) * 100 / prev, 2))
    r = rows["Xếp hạng Chỉ số CCHC"]
    assert r[col["Tăng (+), giảm (-)"] - 1].value == "tăng 03 bậc"
    r = rows["Tỷ lệ hồ sơ giải quyết đúng hạn"]  # same ratio: points, no % of a %
    assert r[col["Tỷ lệ (%)"] - 1].value is None


SOURCES = [
    source("Sở Tư pháp", "so_nganh", code="STP", file="a.xlsx", received=datetime(2024, 12, 10),
           values={"vbqppl_ban_hanh": 12, "vbqppl_kiem_tra": 80, "tthc_tong_so": 150,
                   "tthc_mot_cua": 148, "ho_so_tiep_nhan": 5000, "ho_so_da_giai_quyet": 4900,
                   "ho_so_truoc_han": 3000, "ho_so_dung_han": 1850, "cps_dvctt_toan_trinh": 60,
                   "cps_dvctt_mot_phan": 40}),
    source("Sở Kế hoạch và Đầu tư", "so_nganh", code="SKHDT", file="b.xlsx",
           received=datetime(2024, 12, 11),
           values={"vbqppl_ban_hanh": 3, "tthc_tong_so": 120, "tthc_mot_cua": 120,
                   "ho_so_tiep_nhan": 2000, "ho_so_da_giai_quyet": 100, "ho_so_truoc_han": 50,
                   "ho_so_dung_han": 10}),
    source("=HYPERLINK(\"http://x\")", "xa", {"vbqppl_ban_hanh": 0}, code="XA", file="c",
           received=datetime(2024, 12, 12)),
]


def test_unit_sheets_and_totals(tmp_path, report):
    report.sources = copy.deepcopy(SOURCES)
    out = tmp_path / "a.xlsx"
    write_annex(report, out)
    wb = _open(out)
    assert [n for n in wb.sheetnames if not n.startswith("Biểu đồ")] == [
        "Phụ lục", "Sở, ban, ngành", "Cấp huyện, cấp xã"]
    assert wb["Phụ lục"]["A1"].value == "Phụ lục I"
    ws = wb["Sở, ban, ngành"]
    assert ws["A1"].value == "Phụ lục II"
    assert ws["A2"].value == "SỐ LIỆU CẢI CÁCH HÀNH CHÍNH CỦA CÁC SỞ, BAN, NGÀNH NĂM 2024"
    header = {c.value: c.column for row in ws.iter_rows(min_row=5, max_row=6) for c in row
              if c.value}
    rows = {r[1].value: r for r in ws.iter_rows(min_row=7) if r[1].value}
    total = rows["Tổng cộng (2 đơn vị)"]
    def at(r, title):
        return r[header[title] - 1].value
    assert at(total, "Ban hành") == 15
    assert at(total, "Được kiểm tra") == 80  # only the unit that reported
    assert at(total, "Tiếp nhận") == 7000
    assert at(total, "Đã giải quyết") == 5000
    assert at(total, "Trước hạn, đúng hạn") == 4910
    # recomputed from sums: 4910 / 5000, not the mean of 98.98 and 60
    assert at(total, "Tỷ lệ đúng hạn (%)") == pytest.approx(98.2)
    assert at(total, "Tỷ lệ một cửa (%)") == pytest.approx(round(268 * 100 / 270, 2))
    assert at(total, "Toàn trình") == 60
    kh = rows["Sở Kế hoạch và Đầu tư"]
    assert at(kh, "Được kiểm tra") is None  # blank, not 0
    assert at(kh, "Tỷ lệ đúng hạn (%)") == pytest.approx(60.0)
    assert at(kh, "Ban hành") == 3 and kh[header["Ban hành"] - 1].number_format == "#,##0"
    assert "Chưa báo cáo" in at(kh, "Ghi chú")
    xa = wb["Cấp huyện, cấp xã"]
    names = [r[1].value for r in xa.iter_rows(min_row=7)]
    assert "=HYPERLINK(\"http://x\")" in names  # stored as text, not a formula
    cell = next(c for r in xa.iter_rows(min_row=7) for c in r if c.value == names[0])
    assert cell.data_type == "s"
    zero = next(r for r in xa.iter_rows(min_row=7) if r[1].value == names[0])
    assert zero[2].value == 0  # a reported zero stays 0


def test_user_text_is_not_a_formula(tmp_path, report):
    report.explanations["vbqppl_kiem_tra"] = "=1+1"
    report.unit.name = "=cmd|' /C calc'!A0"
    out = tmp_path / "a.xlsx"
    write_annex(report, out)
    ws = _open(out)["Phụ lục"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(c.value == "=1+1" and c.data_type == "s" for c in cells)
    assert all(c.data_type == "s" for c in cells)


# ------------------------------------------------------------------ layout file


def _layout(tmp_path, edit) -> Path:
    text = default_layout_path().read_text(encoding="utf-8")
    p = tmp_path / "phu_luc.toml"
    p.write_text(edit(text), encoding="utf-8")
    return p


def test_default_layout_is_clean():
    assert check_layout(default_layout_path()) == []


def test_changed_layout_changes_workbook(tmp_path, report):
    def edit(text: str) -> str:
        text = text.replace('tieu_de = "Chỉ tiêu"\ndo_rong = 62', 'tieu_de = "Nội dung"\ndo_rong = 45')
        # only two tables: the_che first, then a hand-picked list
        start = text.index("\n[[trang_tinh.bang]]") + 1
        end = text.index("# ----", start)
        blocks = ('[[trang_tinh.bang]]\nlinh_vuc = "the_che"\n\n'
                  '[[trang_tinh.bang]]\ntieu_de = "Hồ sơ"\nso_thu_tu = "A"\n'
                  'chi_tieu = ["ty_le_giai_quyet_dung_han", "ho_so_tiep_nhan"]\n\n')
        return text[:start] + blocks + text[end:]

    out = tmp_path / "a.xlsx"
    write_annex(report, out, layout=_layout(tmp_path, edit))
    ws = _open(out)["Phụ lục"]
    assert ws["B5"].value == "Nội dung"
    assert ws.column_dimensions["B"].width == pytest.approx(45, abs=1)
    labels = [r[1].value for r in ws.iter_rows(min_row=6)]
    assert labels[0] == "Cải cách thể chế"
    assert labels[-3:] == ["Hồ sơ", "Tỷ lệ hồ sơ giải quyết đúng hạn", "Tổng số hồ sơ TTHC tiếp nhận"]
    assert "Công tác chỉ đạo, điều hành cải cách hành chính" not in labels
    assert len(labels) == 1 + 6 + 1 + 2


def test_column_order_from_layout(tmp_path, report):
    def edit(text: str) -> str:  # move "Ghi chú" to the front of the first sheet
        block = '[[trang_tinh.cot]]\nma = "ghi_chu"\ntieu_de = "Ghi chú"\ndo_rong = 18\n\n'
        text = text.replace(block, "", 1)
        first = text.index("\n[[trang_tinh.cot]]") + 1
        return text[:first] + block + text[first:]

    out = tmp_path / "a.xlsx"
    write_annex(report, out, layout=_layout(tmp_path, edit))
    ws = _open(out)["Phụ lục"]
    assert [c.value for c in ws[5]][:3] == ["Ghi chú", "STT", "Chỉ tiêu"]


@pytest.mark.parametrize("edit, expected", [
    (lambda t: t.replace('linh_vuc = "tthc"', 'linh_vuc = "ttch"'), ['"tthc"', "Dòng"]),
    (lambda t: t.replace('ma = "vbqppl_kiem_tra"', 'ma = "vbqppl_kiem_traa"'),
     ['vbqppl_kiem_traa', 'Có phải là "vbqppl_kiem_tra"']),
    (lambda t: t.replace("do_rong = 62", 'do_rong = "rộng"'), ['"do_rong"', "2 đến 100"]),
    (lambda t: t.replace('loai = "chi_tieu"', 'loai = "bang"'), ['"loai"']),
    (lambda t: t.replace('ten = "Phụ lục"', 'ten = "Phụ lục: bảng [1]"'), ["ký tự"]),
    (lambda t: t.replace('ten = "Cấp huyện, cấp xã"', 'ten = "Sở, ban, ngành"'), ["trùng"]),
    (lambda t: t.replace('tieu_de = "Kết quả {ky_bao_cao}"', 'tieu_de = "Kết quả {ky_bao_coa}"'),
     ["ky_bao_coa", "ky_bao_cao"]),
    (lambda t: t.replace('cap = ["so_nganh"]', 'cap = ["so_ngang"]'), ["so_ngang"]),
    (lambda t: t.replace("phien_ban = 1", "phien_ban = 7"), ["phien_ban"]),
    (lambda t: t.replace('ma = "stt"\ntieu_de = "STT"\ndo_rong = 6',
                         'ma = "stt"\ntieu_de = "STT"\ndo_rong = 6\nrong = 3'), ['"rong"']),
    (lambda t: t.replace('tieu_de = "Chỉ tiêu"', 'tieu_de = Chỉ tiêu'), ["cú pháp", "Dòng"]),
])
def test_broken_layout_is_reported(tmp_path, edit, expected):
    path = _layout(tmp_path, edit)
    problems = check_layout(path)
    assert problems, "a broken layout must be reported"
    joined = "\n".join(problems)
    for word in expected:
        assert word in joined
    assert all(p.startswith("Dòng ") for p in problems), problems


def test_broken_layout_line_numbers(tmp_path):
    path = _layout(tmp_path, lambda t: t.replace('linh_vuc = "bo_may"', 'linh_vuc = "bomay"'))
    (problem,) = check_layout(path)
    line = int(problem.split(":")[0].removeprefix("Dòng "))
    assert 'linh_vuc = "bomay"' in path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_broken_layout_refuses_export(tmp_path, report):
    from app.export.annex_layout import LayoutError

    path = _layout(tmp_path, lambda t: t.replace('ma = "stt"', 'ma = "so"', 1))
    with pytest.raises(LayoutError) as err:
        write_annex(report, tmp_path / "a.xlsx", layout=path)
    assert err.value.problems
    assert not (tmp_path / "a.xlsx").exists()


def test_missing_layout_file(tmp_path):
    (problem,) = check_layout(tmp_path / "none.toml")
    assert "Không đọc được" in problem


def test_layout_loaded_once_and_shaped():
    lay = load_layout()
    assert [s.kind for s in lay.sheets] == ["chi_tieu", "don_vi", "don_vi"]
    assert load_layout() is lay
