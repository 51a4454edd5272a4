"""Unit register: JSON store, import from a simple Excel list, activity by period."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from app.model import Period
from app.units import (
    RegisteredUnit,
    UnitListError,
    find_unit,
    import_unit_list,
    load_register,
    merge_units,
    save_register,
)


def write_list(path, rows, header=("STT", "Tên đơn vị", "Cấp", "Mã", "Từ ngày", "Đến ngày")):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH ĐƠN VỊ"])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def test_import_list_with_vietnamese_levels_and_dates(tmp_path):
    p = write_list(tmp_path / "ds.xlsx", [
        (1, "Sở Tư pháp", "Sở, ban, ngành", "STP", None, None),
        (2, "Xã An Bình", "Cấp xã", 101, datetime(2025, 7, 1), None),
        (3, "Huyện Cũ", "huyện", "H1", None, "30/06/2025"),
    ])
    units = import_unit_list(p)
    assert [(u.name, u.level, u.code) for u in units] == [
        ("Sở Tư pháp", "so_nganh", "STP"), ("Xã An Bình", "xa", "101"), ("Huyện Cũ", "huyen", "H1")]
    assert units[1].active_from == date(2025, 7, 1) and units[2].active_to == date(2025, 6, 30)
    assert not units[1].active_in(Period("quy_1", 2025))
    assert units[1].active_in(Period("nam", 2025))
    assert not units[2].active_in(Period("nam", 2026))


@pytest.mark.parametrize("row, words", [
    ((1, "Xã X", "thôn", "X", None, None), "dòng 4, cột “Cấp”: “thôn” không phải là cấp"),
    ((1, "Xã X", "xã", "X", "31/02/2025", None), "cột “Từ ngày”: “31/02/2025” không phải là ngày"),
    ((1, "=HYPERLINK(1)", "xã", "X", None, None), "là công thức"),
    ((1, "Xã X", "xã", "X", "01/07/2025", "01/01/2025"), "trước ngày bắt đầu"),
])
def test_bad_rows_refused_whole(tmp_path, row, words):
    p = write_list(tmp_path / "ds.xlsx", [(0, "Xã tốt", "xã", "OK", None, None), row])
    with pytest.raises(UnitListError) as exc:
        import_unit_list(p)
    assert words in str(exc.value) and "ds.xlsx" in str(exc.value)


def test_duplicates_and_missing_header_refused(tmp_path):
    p = write_list(tmp_path / "d.xlsx", [(1, "Xã A", "xã", "A", None, None), (2, "Xã B", "xã", "a", None, None)])
    with pytest.raises(UnitListError, match="trùng mã"):
        import_unit_list(p)
    p = write_list(tmp_path / "h.xlsx", [(1, "Xã A")], header=("STT", "Tên"))
    with pytest.raises(UnitListError, match="không tìm thấy dòng tiêu đề"):
        import_unit_list(p)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(UnitListError, match="bị hỏng"):
        import_unit_list(bad)


def test_save_load_merge_find(tmp_path):
    assert load_register() == []
    units = [RegisteredUnit("Sở Tư pháp", "so_nganh", "STP"),
             RegisteredUnit("Xã An Bình", "xa", "", date(2025, 7, 1))]
    save_register(units)
    assert load_register() == units
    merged, added, updated = merge_units(units, [RegisteredUnit("Sở Tư pháp", "so_nganh", "STP",
                                                                None, date(2025, 2, 28)),
                                                 RegisteredUnit("Sở Y tế", "so_nganh", "SYT")])
    assert (added, updated, len(merged)) == (1, 1, 3)
    assert find_unit(merged, "xa an binh").name == "Xã An Bình"  # accents and case folded
    assert find_unit(merged, "Sở Tư pháp (cũ)", "stp").code == "STP"
    with pytest.raises(UnitListError, match="cấp"):
        save_register([RegisteredUnit("X", "thon")])
