"""What is shown is what is held: a box whose text is not a number holds no value — never the
number its text starts with — the rules name it, saving asks first and stores nothing from it,
and undo works across it."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from qt_typing import finish, type_text

from app.formatting import ParseError, parse_number
from app.model import Invalid
from app.validation import INVALID_RULE, validate


def field(window, key):
    window.jump_to(key)
    return window.page_of[key].inputs[key]


def test_a_half_typed_number_is_not_kept(window):
    held = field(window, "tthc_tong_so")
    type_text(held, "45")
    f = field(window, "tthc_mot_cua")
    type_text(f, "7.5")
    finish(f)
    # "7" was a number for a moment; "7.5" is not one, and the report must not keep 7
    assert "tthc_mot_cua" not in window.report.values
    assert window.report.invalid["tthc_mot_cua"].text == "7.5"
    errors = [x for x in validate(window.report) if x.rule == INVALID_RULE]
    assert len(errors) == 1 and errors[0].severity == "error" and "“7.5”" in errors[0].message
    assert window.cat.label("tthc_mot_cua") in errors[0].message
    assert "Đã nhập 1/" in window.completeness_label.text()  # only the 45


def test_one_comma_five_in_a_count_holds_nothing(window):
    f = field(window, "vbqppl_ban_hanh")
    type_text(f, "1,5")
    assert "vbqppl_ban_hanh" not in window.report.values
    assert "vbqppl_ban_hanh" in window.report.invalid


def test_saving_with_an_unreadable_box_asks_and_stores_nothing_from_it(window, tmp_path,
                                                                        monkeypatch):
    from ui import prompts

    f = field(window, "vbqppl_kiem_tra")
    type_text(f, "7.5")
    asked = []
    answer = [False]

    def ask(_parent, title, text, *_a):
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(prompts, "ask_yes_no", ask)
    target = tmp_path / "r.cchc"
    window.path = str(target)
    assert window.save() is False  # "Quay lại sửa"
    assert not target.exists() and "“7.5”" in asked[0]
    answer[0] = True
    assert window.save() is True
    stored = json.loads(target.read_text(encoding="utf-8"))
    assert "vbqppl_kiem_tra" not in stored["values"]
    assert "7.5" not in target.read_text(encoding="utf-8")


def test_undo_and_redo_work_across_unreadable_text(window):
    f = field(window, "vbqppl_kiem_tra")
    type_text(f, "12")
    finish(f)
    type_text(f, "x")  # "12x"
    assert window.report.entry("vbqppl_kiem_tra") == Invalid("12x", window.report.invalid[
        "vbqppl_kiem_tra"].problem)
    assert "vbqppl_kiem_tra" not in window.report.values
    window.undo_stack.undo()
    assert window.report.values["vbqppl_kiem_tra"] == 12 and f.text() == "12"
    assert not window.report.invalid and f.problem == ""
    window.undo_stack.redo()
    assert f.text() == "12x" and "vbqppl_kiem_tra" not in window.report.values
    assert "12x" in f.problem  # shown at once: nobody is typing it


KEYS = st.lists(st.sampled_from(list("0123456789.,-% a") + ["BACK", "LEFT", "HOME", "UNDO"]),
                min_size=1, max_size=14)


def _press(widget, key):
    if key == "UNDO":  # Ctrl+Z in the box, as a user presses it
        QTest.keyClick(widget, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    elif key in ("BACK", "LEFT", "HOME"):
        code = {"BACK": Qt.Key.Key_Backspace, "LEFT": Qt.Key.Key_Left,
                "HOME": Qt.Key.Key_Home}[key]
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            QCoreApplication.sendEvent(widget, QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier))
    else:
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            QCoreApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                          Qt.KeyboardModifier.NoModifier, key))
    QApplication.processEvents()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(keys=KEYS, key=st.sampled_from(["vbqppl_kiem_tra", "ty_le_so_hoa_ket_qua"]))
def test_after_every_key_the_model_is_the_parse_of_the_text_or_invalid(window, keys, key):
    f = field(window, key)
    f.setFocus()
    f.selectAll()
    _press(f, "BACK")
    unit = window.cat.indicators[key].unit
    for k in keys:
        _press(f, k)
        text = f.text()
        try:
            expected = parse_number(text, unit).value
        except ParseError:
            assert window.report.entry(key) == Invalid(text, window.report.invalid[key].problem)
            assert key not in window.report.values
        else:
            assert key not in window.report.invalid
            assert window.report.values.get(key) == expected
