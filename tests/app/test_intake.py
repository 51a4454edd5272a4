"""Intake workbooks: layout, data validation, protection, and every refusal when reading back."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from filling import fill_intake as fill

from app.catalog import load_catalog
from app.intake import (
    DATA_SHEET,
    HEADER_ROW,
    META_SHEET,
    SubmissionError,
    intake_indicators,
    load_submission,
    read_intake,
    write_intake,
)
from app.model import Period, Unit

PERIOD = Period("nam", 2025)
DEPT = Unit("Sở Tư pháp", "STP", "so_nganh")




def make(tmp_path: Path, unit: Unit = DEPT, period: Period = PERIOD, name: str = "form.xlsx") -> Path:
    return write_intake(tmp_path / name, unit, period)


def test_layout_keys_labels_units_and_level_filter(tmp_path):
    path = make(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    assert ws.column_dimensions["A"].hidden
    assert ws.cell(HEADER_ROW, 5).value == "Số liệu"
    keys = [ws.cell(r, 1).value for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value]
    cat = load_catalog()
    asked = [i.key for i in intake_indicators("so_nganh", PERIOD)]
    assert [k for k in keys if k in cat.indicators] == asked
    assert "cs_par_diem" not in keys and "tthc_cap_tinh" not in keys  # province-only indicators
    assert all("so_nganh" in cat.indicators[k].levels for k in keys if k in cat.indicators)
    # a derived rate after its operands, typed only when its counts are not known
    rates = [k for k in keys if k in cat.derived]
    assert "ty_le_giai_quyet_dung_han" in rates and "ty_le_tiep_nhan_truc_tuyen" not in rates
    assert keys.index("ty_le_giai_quyet_dung_han") == keys.index("ho_so_truoc_va_dung_han") + 1
    r = HEADER_ROW + 2
    assert ws.cell(r, 3).value == cat.indicators[keys[0]].label
    assert ws.cell(r, 4).value == cat.indicators[keys[0]].measure == "nhiệm vụ"  # the unit of measure
    # protection: sheet protected, only the input cells unlocked
    assert ws.protection.sheet
    assert ws.cell(r, 5).protection.locked is False
    assert ws.cell(r, 3).protection.locked is not False
    # print set-up
    assert ws.page_setup.paperSize in (9, "9") and ws.print_title_rows
    meta = {row[0]: row[2] for row in wb[META_SHEET].iter_rows(values_only=True) if row[0]}
    assert meta["unit_name"] == "Sở Tư pháp" and meta["unit_level"] == "so_nganh"
    assert meta["period_kind"] == "nam" and meta["period_year"] == "2025"
    assert meta["catalog_version"] == cat.version and len(meta["signature"]) == 32


def test_data_validation_whole_and_percent(tmp_path):
    path = make(tmp_path)
    ws = openpyxl.load_workbook(path)[DATA_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            by_cell[rng.coord] = dv
    count = by_cell[f"E{rows['ho_so_tiep_nhan']}"]
    assert count.type == "whole" and count.operator in (None, "between")
    assert (count.formula1, count.formula2) == ("0", str(10**12))  # bounds.tsv: physical max
    pct = by_cell[f"E{rows['ty_le_so_hoa_ket_qua']}"]
    assert pct.type == "decimal" and pct.operator in (None, "between")  # "between" is the default
    assert (pct.formula1, pct.formula2) == ("0", "100")


def test_two_tier_period_drops_district_fields_and_refuses_district_units(tmp_path):
    later = Period("nam", 2026)
    keys = {i.key for i in intake_indicators("tinh", later)}
    assert "tthc_cap_huyen" not in keys and "mot_cua_huyen_tong" not in keys
    from app.intake import IntakeError

    with pytest.raises(IntakeError, match="cấp huyện"):
        write_intake(tmp_path / "h.xlsx", Unit("Huyện X", "", "huyen"), later)


def test_formula_injection_in_unit_name_is_written_as_text(tmp_path):
    path = make(tmp_path, Unit("=HYPERLINK(\"http://x\")", "", "xa"))
    wb = openpyxl.load_workbook(path)
    meta = {row[0]: row[2] for row in wb[META_SHEET].iter_rows(values_only=True) if row[0]}
    assert meta["unit_name"] == '=HYPERLINK("http://x")'
    with zipfile.ZipFile(path) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet2.xml").decode()


def test_round_trip_values_by_key(tmp_path):
    path = fill(make(tmp_path), {"ho_so_tiep_nhan": 1675, "ty_le_so_hoa_ket_qua": 97.37,
                                 "vbqppl_ban_hanh": 0})
    sub = read_intake(path)
    assert sub.unit.name == "Sở Tư pháp" and sub.unit.code == "STP"
    assert sub.period.key() == "nam-2025"
    assert sub.values == {"ho_so_tiep_nhan": 1675, "ty_le_so_hoa_ket_qua": 97.37, "vbqppl_ban_hanh": 0}
    assert isinstance(sub.values["ho_so_tiep_nhan"], int)
    # blank is not zero: an untouched cell is absent, a typed 0 is 0
    assert "kh_nhiem_vu_tong_so" not in sub.values


def test_rows_reordered_still_read_by_key(tmp_path):
    """Values are read by the key in column A, not by position."""
    path = make(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    a, b = rows["vbqppl_ban_hanh"], rows["ho_so_tiep_nhan"]
    for col in range(1, 6):  # swap two whole rows
        va, vb = ws.cell(a, col).value, ws.cell(b, col).value
        ws.cell(a, col).value, ws.cell(b, col).value = vb, va
    ws.cell(a, 5).value = 500  # row a now holds ho_so_tiep_nhan
    wb.save(path)
    assert read_intake(path).values == {"ho_so_tiep_nhan": 500}


def _reason(path) -> str:
    with pytest.raises(SubmissionError) as exc:
        load_submission(path)
    return str(exc.value)


@pytest.mark.parametrize("value, words", [
    ("mười hai", "ô chứa chữ “mười hai”"),
    ("1.675", "ô chứa chữ “1.675”"),
    ("=1+1", "công thức"),
    (-5, "số âm -5"),
    (12.5, "12,5 không hợp lệ; chỉ tiêu này phải là số nguyên"),
    (True, "đúng/sai"),
])
def test_bad_number_cells_are_refused_naming_file_row_field_value(tmp_path, value, words):
    path = fill(make(tmp_path), {"ho_so_tiep_nhan": value, "vbqppl_ban_hanh": 3})
    reason = _reason(path)
    assert reason.startswith("form.xlsx: dòng ")
    assert "Tổng số hồ sơ TTHC tiếp nhận" in reason and words in reason


def test_percent_over_100_refused(tmp_path):
    path = fill(make(tmp_path), {"ty_le_so_hoa_ket_qua": 120})
    assert "tỷ lệ phải từ 0 đến 100" in _reason(path)


def test_all_problems_listed_and_nothing_half_imported(tmp_path):
    path = fill(make(tmp_path), {"ho_so_tiep_nhan": "abc", "vbqppl_ban_hanh": -1, "sang_kien_mo_hinh": 4})
    with pytest.raises(SubmissionError) as exc:
        read_intake(path)
    assert len(exc.value.problems) == 2


def test_rule_error_refused(tmp_path):
    path = fill(make(tmp_path), {"kh_nhiem_vu_tong_so": 10, "kh_nhiem_vu_hoan_thanh": 12})
    reason = _reason(path)
    assert "R01" in reason and "12" in reason and "10" in reason


def test_empty_workbook_refused(tmp_path):
    assert "chưa có số liệu" in _reason(make(tmp_path))


def _edit_meta(path: Path, key: str, value: str) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb[META_SHEET]
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == key:
            ws.cell(r, 3).value = value
    wb.save(path)
    return path


def test_other_catalogue_version_refused(tmp_path):
    path = _edit_meta(fill(make(tmp_path), {"vbqppl_ban_hanh": 3}), "catalog_version", "000000000000")
    assert "danh mục chỉ tiêu phiên bản “000000000000”" in _reason(path)


def test_tampered_period_or_unit_level_refused_by_signature(tmp_path):
    path = _edit_meta(fill(make(tmp_path), {"vbqppl_ban_hanh": 3}), "period_year", "2024")
    assert "chữ ký của phiếu không khớp" in _reason(path)
    path = _edit_meta(fill(make(tmp_path, name="b.xlsx"), {"vbqppl_ban_hanh": 3}), "unit_level", "tinh")
    assert "chữ ký của phiếu không khớp" in _reason(path)


def test_deleted_row_refused(tmp_path):
    path = fill(make(tmp_path), {"vbqppl_ban_hanh": 3})
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    ws.delete_rows(HEADER_ROW + 2)
    wb.save(path)
    assert "thiếu dòng của “Số nhiệm vụ trong Kế hoạch CCHC của kỳ”" in _reason(path)


def test_foreign_key_row_refused(tmp_path):
    path = fill(make(tmp_path), {"vbqppl_ban_hanh": 3})
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    ws.cell(HEADER_ROW + 2, 1).value = "cs_par_diem"
    wb.save(path)
    assert "“cs_par_diem” không thuộc phiếu này" in _reason(path)


def test_damaged_not_excel_and_oversized_files_refused(tmp_path):
    good = fill(make(tmp_path), {"vbqppl_ban_hanh": 3})
    data = good.read_bytes()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(data[: len(data) // 2])
    assert "bị hỏng" in _reason(broken)
    text = tmp_path / "text.xlsx"
    text.write_text("không phải excel", encoding="utf-8")
    assert "bị hỏng hoặc không phải tệp Excel" in _reason(text)
    big = tmp_path / "big.xlsx"
    big.write_bytes(data + b"\0" * (6 * 1024 * 1024))
    assert "tệp quá lớn" in _reason(big)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<x/>")
        z.writestr("pad.bin", b"\0" * (60 * 1024 * 1024))
    assert "giải nén quá lớn" in _reason(bomb)
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.save(other)
    assert "không phải phiếu số liệu CCHC" in _reason(other)
    assert "không phải phiếu số liệu" in _reason(tmp_path / "x.docx")


def test_report_file_submission_checks(tmp_path):
    good = {"format": "cchc-report", "format_version": 1,
            "unit": {"name": "Xã An Bình", "code": "X01", "level": "xa"},
            "period": {"kind": "nam", "year": 2025}, "values": {"ho_so_da_giai_quyet": 10}}
    p = tmp_path / "xa.cchc.json"
    p.write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    sub = load_submission(p)
    assert sub.kind == "report" and sub.values == {"ho_so_da_giai_quyet": 10}
    bad = dict(good, values={"cs_par_diem": 80})
    p.write_text(json.dumps(bad), encoding="utf-8")
    assert "không áp dụng cho cấp xã" in _reason(p)
    bad = dict(good, values={"khong_co": 1})
    p.write_text(json.dumps(bad), encoding="utf-8")
    assert "“khong_co” không có trong danh mục" in _reason(p)
    p.write_text("{", encoding="utf-8")
    assert "tệp bị hỏng ở dòng" in _reason(p) and "JSON" not in _reason(p)


def test_cli_intake(tmp_path, capsys):
    from app.cli import main

    out = tmp_path / "f.xlsx"
    assert main(["intake", "--unit", "Xã An Bình", "--level", "xa", "--period", "quy_1",
                 "--year", "2025", "--out", str(out)]) == 0
    assert read_intake(fill(out, {"vbqppl_ban_hanh": 1})).period.key() == "quy_1-2025"
    assert main(["intake", "--unit", "X", "--level", "tinh_thanh", "--period", "nam",
                 "--year", "2025", "--out", str(out)]) == 2
    assert "cấp đơn vị “tinh_thanh” không hợp lệ" in capsys.readouterr().err
    assert main(["intake", "--unit", "X", "--level", "xa", "--period", "nam",
                 "--year", "2025", "--out", str(tmp_path / "no" / "f.xlsx")]) == 2
