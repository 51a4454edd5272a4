"""Typing figures the Vietnamese way, rules firing and clearing, explanations, undo and redo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from qt_typing import clear_and_type, finish, type_text


def field(window, key):
    window.jump_to(key)
    return window.page_of[key].inputs[key]


def rules_shown(window):
    return {f.rule for f in window.findings}


def test_vietnamese_numbers_are_read_and_shown_with_group_separators(window):
    f = field(window, "vbqppl_kiem_tra")
    type_text(f, "1.675")
    assert window.report.values["vbqppl_kiem_tra"] == 1675
    finish(f)
    assert f.text() == "1.675"
    p = field(window, "ty_le_so_hoa_ket_qua")
    type_text(p, "97,37")
    assert window.report.values["ty_le_so_hoa_ket_qua"] == 97.37
    finish(p)
    assert p.text() == "97,37"


def test_empty_is_not_reported_and_zero_is_zero(window):
    f = field(window, "vbqppl_ban_hanh")
    type_text(f, "0")
    assert window.report.values["vbqppl_ban_hanh"] == 0
    clear_and_type(f, "")
    assert "vbqppl_ban_hanh" not in window.report.values


def test_unreadable_input_is_named_with_value_and_rule(window, qtbot):
    f = field(window, "vbqppl_kiem_tra")
    type_text(f, "97.37")
    finish(f)
    box = window.page_of["vbqppl_kiem_tra"].boxes["vbqppl_kiem_tra"]
    assert box.isVisible()
    problem = f.problem
    assert "“97.37”" in problem and "dấu phẩy" in problem and "kiểm tra" in problem
    items = [window.issues.list.item(i).text() for i in range(window.issues.list.count())]
    assert any("Lỗi nhập liệu" in t for t in items)
    clear_and_type(f, "1.675")
    assert f.problem == "" and not box.isVisible()


def test_rule_r04_fires_and_clears_as_the_user_types(window):
    type_text(field(window, "vbqppl_kiem_tra"), "1.675")
    type_text(field(window, "vbqppl_kien_nghi_sua_doi"), "59")
    bai_bo = field(window, "vbqppl_kien_nghi_bai_bo")
    type_text(bai_bo, "1.700")
    assert "R04" in rules_shown(window)
    box = window.page_of["vbqppl_kien_nghi_sua_doi"].boxes["vbqppl_kien_nghi_sua_doi"]
    assert box.isVisible() and "(1.700)" in box.findings[0].message
    assert bai_bo.property("severity") == "error"
    items = [window.issues.list.item(i).text() for i in range(window.issues.list.count())]
    assert any(t.startswith("R04") for t in items)
    clear_and_type(bai_bo, "43")
    assert "R04" not in rules_shown(window)
    assert not box.isVisible()


def test_clicking_an_issue_jumps_to_the_field(window, qtbot):
    type_text(field(window, "kh_nhiem_vu_tong_so"), "40")
    type_text(field(window, "kh_nhiem_vu_hoan_thanh"), "45")
    window.navigator.setCurrentRow(len(window.area_pages) + 1)
    lst = window.issues.list
    item = next(lst.item(i) for i in range(lst.count()) if lst.item(i).text().startswith("R01"))
    rect = lst.visualItemRect(item)
    QTest.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = window.page_of["kh_nhiem_vu_hoan_thanh"]
    assert window.stack.currentWidget() is page
    assert page.inputs["kh_nhiem_vu_hoan_thanh"].hasFocus()


def test_a_warning_asks_for_an_explanation_in_place(window):
    type_text(field(window, "kiem_tra_ke_hoach"), "20")
    type_text(field(window, "kiem_tra_da_thuc_hien"), "25")
    r02 = next(f for f in window.findings if f.rule == "R02")
    assert r02.severity == "warning" and not r02.explained
    box = window.page_of["kiem_tra_da_thuc_hien"].boxes["kiem_tra_da_thuc_hien"]
    edit = box.edit_for(r02.explanation_key)
    type_text(edit, "Kiểm tra đột xuất thêm 5 cơ quan theo chỉ đạo của Chủ tịch.")
    assert window.report.explanations[r02.explanation_key].startswith("Kiểm tra đột xuất")
    r02 = next(f for f in window.findings if f.rule == "R02")
    assert r02.explained and not r02.blocking
    assert box.edit_for(r02.explanation_key) is edit  # the box was not rebuilt under the cursor


def test_typing_in_one_field_is_one_undo_step_and_redo_restores_it(window, qtbot):
    f = field(window, "vbqppl_kiem_tra")
    type_text(f, "1.675")
    finish(f)
    g = field(window, "vbqppl_ban_hanh")
    type_text(g, "266")
    finish(g)
    assert window.isWindowModified()
    assert window.undo_stack.count() == 2
    QTest.keySequence(window, QKeySequence("Ctrl+Z"))
    assert "vbqppl_ban_hanh" not in window.report.values and g.text() == ""
    window.undo_stack.undo()
    assert "vbqppl_kiem_tra" not in window.report.values and f.text() == ""
    assert not window.isWindowModified()
    QTest.keySequence(window, QKeySequence("Ctrl+Y"))
    assert window.report.values["vbqppl_kiem_tra"] == 1675 and f.text() == "1.675"
    window.undo_stack.redo()
    assert window.report.values["vbqppl_ban_hanh"] == 266


def test_derived_values_and_completeness_follow_typing(window):
    page = window.page_of["ho_so_da_giai_quyet"]
    label = page.derived_values["ty_le_giai_quyet_dung_han"]
    assert label.text() == "chưa đủ số liệu"
    type_text(field(window, "ho_so_da_giai_quyet"), "238.920")
    type_text(field(window, "ho_so_truoc_han"), "152.300")
    type_text(field(window, "ho_so_dung_han"), "80.335")
    assert label.text() == "97,37%"
    done, _total = page.completeness()
    assert done == 3
    assert "3/" in window.navigator.item(window.stack.indexOf(page)).text()
