"""New report, save, reopen, the modified mark, the question before closing, recent files,
comparison with last year's report, autosave and recovery after a crash, first run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel
from qt_typing import finish, type_text

from app.sample import sample_report
from app.storage import load_report, save_report


def test_new_report_is_prefilled_from_settings_and_saved_and_reopened(window, qtbot, tmp_path,
                                                                      monkeypatch):
    from ui.new_report_dialog import NewReportDialog

    def fill(dialog: NewReportDialog) -> None:
        assert dialog.name.text() == "Ủy ban nhân dân tỉnh Hà Nam"
        dialog.kind.setCurrentIndex(dialog.kind.findData("quy_1"))
        dialog.year.setValue(2025)
        dialog.accept()

    monkeypatch.setattr(NewReportDialog, "exec", lambda self: fill(self) or True)
    QTest.keySequence(window, QKeySequence("Ctrl+N"))
    r = window.current_report()
    assert (r.period.kind, r.period.year) == ("quy_1", 2025)
    assert r.document.place == "Hà Nam" and r.document.signer.name == "Nguyễn Văn An"
    assert "*" not in window.windowTitle().replace("[*]", "")

    window.jump_to("vbqppl_ban_hanh")
    field = window.page_of["vbqppl_ban_hanh"].inputs["vbqppl_ban_hanh"]
    type_text(field, "266")
    finish(field)
    assert window.isWindowModified()

    target = tmp_path / "quy1.cchc"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    QTest.keySequence(window, QKeySequence("Ctrl+S"))
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("quy1.cchc")
    assert load_report(target).values == {"vbqppl_ban_hanh": 266}
    assert str(target.resolve()) in window.settings.recent_files

    window.open_report(sample_report())
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    QTest.keySequence(window, QKeySequence("Ctrl+O"))
    assert window.current_report().values == {"vbqppl_ban_hanh": 266}
    assert field.text() == "266"
    assert window.recent_menu.actions()[0].text() == str(target.resolve())


def test_closing_with_unsaved_changes_asks_first(window, monkeypatch):
    from ui import prompts

    asked = []
    monkeypatch.setattr(prompts, "ask_save_changes", lambda *a: asked.append(a[1]) or prompts.CANCEL)
    window.jump_to("vbqppl_ban_hanh")
    type_text(window.page_of["vbqppl_ban_hanh"].inputs["vbqppl_ban_hanh"], "5")
    assert not window.close()
    assert asked == ["Báo cáo mới"] and window.isVisible()
    monkeypatch.setattr(prompts, "ask_save_changes", lambda *a: prompts.DISCARD)
    assert window.close()


def test_a_broken_file_gets_a_clear_message(window, tmp_path, monkeypatch):
    from ui import prompts

    bad = tmp_path / "hong.cchc.json"
    bad.write_text("{ không phải JSON", encoding="utf-8")
    shown = []
    monkeypatch.setattr(prompts, "show_error", lambda *a: shown.append(a[2]))
    assert not window.load_file(str(bad))
    assert "hong.cchc.json" in shown[0] and "bị hỏng ở dòng 1" in shown[0]
    assert "JSON" not in shown[0]  # no jargon


def test_comparison_with_last_year_shows_previous_values_and_changes(window, tmp_path):
    before = sample_report()
    before.period.year = 2023
    before.values["vbqppl_ban_hanh"] = 150
    prev = tmp_path / "2023.cchc.json"
    save_report(before, prev)
    window.open_report(sample_report())
    assert window.set_previous_file(str(prev))
    page = window.page_of["vbqppl_ban_hanh"]
    text = page.compare["vbqppl_ban_hanh"].text()
    assert "Cùng kỳ: 150" in text and "tăng 77,33%" in text
    assert "P01" in {f.rule for f in window.findings}  # 266 against 150: a jump of more than 50%
    window.clear_compare()
    assert page.compare["vbqppl_ban_hanh"].text() == ""


def test_autosave_and_recovery_after_a_crash(qtbot, settings_file, user_dirs, tmp_path, monkeypatch):
    """A real process edits, autosaves and dies without closing; the next start offers the draft."""
    _config, data = user_dirs
    source = tmp_path / "dang-soan.cchc.json"
    script = textwrap.dedent(f"""
        import os
        from app.sample import sample_report
        from app.recovery import Autosaver
        r = sample_report()
        r.values["vbqppl_ban_hanh"] = 999
        Autosaver().save(r, {str(source)!r})
        os._exit(9)  # killed: no clean close, the draft stays behind
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[2],
                          capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=60)
    assert proc.returncode == 9, proc.stderr
    assert list((data / "recovery").glob("*.cchc.json"))

    from ui import prompts
    from ui.app import create_window

    questions = []
    monkeypatch.setattr(prompts, "ask_yes_no", lambda *a: questions.append(a[2]) or True)
    monkeypatch.setattr(prompts, "ask_save_changes", lambda *a: prompts.DISCARD)
    w = create_window()
    qtbot.addWidget(w)
    assert w.offer_recovery()
    assert "dang-soan.cchc.json" in questions[0]
    assert w.current_report().values["vbqppl_ban_hanh"] == 999
    assert w.path == str(source) and w.isWindowModified()
    assert not [p for p in (data / "recovery").glob("*.meta.json")
                if w.autosaver.session not in p.name]
    # the recovered draft is kept again at once, not only after the next edit
    assert w.autosaver.draft.is_file()
    assert '"vbqppl_ban_hanh": 999' in w.autosaver.draft.read_text("utf-8")


def test_autosave_writes_a_draft_and_a_clean_close_removes_it(window, user_dirs):
    _config, data = user_dirs
    window.jump_to("vbqppl_ban_hanh")
    type_text(window.page_of["vbqppl_ban_hanh"].inputs["vbqppl_ban_hanh"], "266")
    window.autosave_now()
    draft = window.autosaver.draft
    assert draft.is_file() and load_report(draft).values["vbqppl_ban_hanh"] == 266
    from app.recovery import list_recovered

    assert list_recovered() == []  # this process is alive: not a crash
    window.close()
    assert not draft.exists()


def test_autosave_interval_comes_from_the_settings(qtbot, user_dirs):
    from app.settings import Settings, save_settings
    from ui.app import create_window

    save_settings(Settings(autosave_interval_s=45))
    w = create_window()
    qtbot.addWidget(w)
    assert w.autosave_timer.interval() == 45000
    w.shutdown()


def test_first_run_asks_for_agency_and_offers_the_sample(qtbot, user_dirs, monkeypatch):
    from app.export.context import build_context
    from app.settings import load_settings, settings_exist
    from ui import app as ui_app
    from ui.first_run import FirstRunDialog

    assert not settings_exist()

    def answer(dialog: FirstRunDialog) -> int:
        # a Sở Nội vụ, as its drafter fills the dialog in
        dialog.kind.setCurrentIndex(dialog.kind.findData("so"))
        type_text(dialog.province, "Ninh Bình")
        type_text(dialog.agency, "Sở Nội vụ")
        assert dialog.code.text() == "SNV"
        assert dialog.governing.text() == "UBND tỉnh Ninh Bình"
        shown = dialog.preview.text()
        assert "BC-SNV" in shown and "GIÁM ĐỐC" in shown and "ỦY BAN NHÂN DÂN" not in shown
        dialog.role.setCurrentIndex(dialog.role.findData("deputy"))
        assert "KT. GIÁM ĐỐC<br>PHÓ GIÁM ĐỐC" in dialog.preview.text()
        type_text(dialog.signer, "Trần Thị Bình")
        assert "report_templates" in " ".join(lbl.text() for lbl in dialog.findChildren(QLabel))
        dialog.open_sample.setChecked(False)
        return 1

    monkeypatch.setattr(FirstRunDialog, "exec", answer)
    w = ui_app.create_window()
    qtbot.addWidget(w)
    ui_app.first_run(w)
    s = load_settings()
    assert settings_exist() and s.agency_name == "Sở Nội vụ" and s.agency_kind == "so"
    assert (s.default_symbol, s.signer_authority, s.signer_position) == (
        "BC-SNV", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    assert s.governing_body == "UBND tỉnh Ninh Bình" and s.level == "so_nganh"
    assert s.recipients == ["Ủy ban nhân dân tỉnh Ninh Bình"] and s.signer_name == "Trần Thị Bình"
    r = w.current_report()
    assert r.document.symbol == "BC-SNV" and r.document.place == "Ninh Bình"
    ctx = build_context(r)
    assert ctx["co_quan_chu_quan"] == "UBND TỈNH NINH BÌNH"
    assert ctx["co_quan_ban_hanh"] == ["SỞ NỘI VỤ"]
    assert ctx["nguoi_ky"]["tham_quyen"] == "KT. GIÁM ĐỐC"
    w.shutdown()


def test_first_run_for_a_province_offers_the_sample(qtbot, user_dirs, monkeypatch):
    from app.settings import load_settings
    from ui import app as ui_app
    from ui.first_run import FirstRunDialog

    def answer(dialog: FirstRunDialog) -> int:
        type_text(dialog.province, "Hà Nội")
        assert dialog.agency.text() == "Ủy ban nhân dân thành phố Hà Nội"
        assert dialog.code.text() == "UBND" and dialog.governing.text() == ""
        return 1

    monkeypatch.setattr(FirstRunDialog, "exec", answer)
    w = ui_app.create_window()
    qtbot.addWidget(w)
    ui_app.first_run(w)
    s = load_settings()
    assert (s.signer_authority, s.signer_position) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert w.current_report().values  # the sample report is open
    w.shutdown()


def test_terminate_after_init_shows_the_window_and_exits_0(user_dirs, settings_file):
    import os

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "app", "--terminate-after-init"],
                          cwd=Path(__file__).parents[2], env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_recent_file_reopens(window, tmp_path, monkeypatch):
    p = tmp_path / "a.cchc.json"
    save_report(sample_report(), p)
    assert window.load_file(str(p))
    window.open_report(sample_report())
    window.recent_menu.actions()[0].trigger()
    assert window.path == str(p.resolve()) or Path(window.path).resolve() == p.resolve()


@pytest.mark.parametrize("unused", [None])
def test_extension_menus_are_present(window, unused):
    titles = [a.text() for a in window.menuBar().actions()]
    assert "Tổng hợp" in titles and "Mẫu báo cáo" in titles
    for module, menu in window.extension_menus.items():
        window.populate_extension(menu, module)
        assert menu.actions(), module
    QTimer.singleShot(0, QApplication.processEvents)


def test_the_window_opens_maximised_on_a_screen_smaller_than_it(qtbot, settings_file):
    from ui.app import create_window

    w = create_window()
    qtbot.addWidget(w)
    available = w.screen().availableGeometry()  # the offscreen screen: 800×800
    assert available.width() < 1366
    w.show_fitted()
    qtbot.waitExposed(w)
    assert w.isMaximized()
    assert w.width() <= available.width() and w.height() <= available.height()


def test_another_agencys_report_as_last_year_is_a_warning_naming_both(window, tmp_path):
    other = sample_report()
    other.period.year = 2023
    other.unit.name = "Sở Nội vụ tỉnh Ninh Bình"
    prev = tmp_path / "khac.cchc"
    save_report(other, prev)
    window.open_report(sample_report())
    assert window.set_previous_file(str(prev))
    p04 = [f for f in window.findings if f.rule == "P04"]
    assert p04 and p04[0].severity == "warning" and not p04[0].explained
    assert "Sở Nội vụ tỉnh Ninh Bình" in p04[0].message
    assert window.report.unit.name in p04[0].message
    items = [window.issues.list.item(i).text() for i in range(window.issues.list.count())]
    assert any("Sở Nội vụ tỉnh Ninh Bình" in t for t in items)
    assert "Ninh Bình" in window.statusBar().currentMessage()
    assert "P05" not in {f.rule for f in window.findings}  # 2023 is the year before 2024


def test_reports_are_saved_as_cchc_and_old_names_are_offered_the_new_one(window, tmp_path,
                                                                        monkeypatch):
    from ui import prompts

    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "moi.json"), ""))
    window.open_report(sample_report())
    assert window.save_as()
    assert window.path == str(tmp_path / "moi.cchc") and (tmp_path / "moi.cchc").is_file()

    old = tmp_path / "cu.cchc.json"
    save_report(sample_report(), old)
    assert window.load_file(str(old))
    window.edit_value("vbqppl_ban_hanh", 300, 0)
    asked = []
    answer = [False]
    monkeypatch.setattr(prompts, "ask_yes_no", lambda _p, _t, text, *a: asked.append(text)
                        or answer[0])
    assert window.save()  # "Giữ tên cũ": saved where it was, not asked again
    assert window.path == str(old) and len(asked) == 1 and "cu.cchc" in asked[0]
    assert window.save() and len(asked) == 1
    assert window.load_file(str(old))
    window.edit_value("vbqppl_ban_hanh", 301, 0)
    answer[0] = True
    assert window.save()
    assert window.path == str(tmp_path / "cu.cchc") and old.is_file()
    assert load_report(tmp_path / "cu.cchc").values["vbqppl_ban_hanh"] == 301


def test_a_save_that_fails_is_told_once_and_the_report_stays_modified(window, monkeypatch, tmp_path):
    from ui import prompts

    errors = []
    monkeypatch.setattr(prompts, "show_error", lambda _w, title, text: errors.append((title, text)))
    window.jump_to("vbqppl_ban_hanh")
    type_text(window.page_of["vbqppl_ban_hanh"].inputs["vbqppl_ban_hanh"], "266")
    finish(window.page_of["vbqppl_ban_hanh"].inputs["vbqppl_ban_hanh"])
    window.current_report().narrative["the_che"] = "Kết quả \ud800 đạt được"  # cannot be written
    target = tmp_path / "bc.cchc.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    QTest.keySequence(window, QKeySequence("Ctrl+S"))
    assert len(errors) == 1 and errors[0][0] == "Không lưu được báo cáo"
    assert "narrative.the_che" in errors[0][1] and "\n" not in errors[0][1]
    assert window.isWindowModified() and not target.exists()


def test_autosave_failure_is_told_once_then_backs_off_and_recovers(window, monkeypatch):
    from app.recovery import Autosaver

    calls = []
    real = Autosaver.save

    def failing(self, report, source):
        calls.append(1)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Autosaver, "save", failing)
    window.jump_to("vbqppl_ban_hanh")
    type_text(window.page_of["vbqppl_ban_hanh"].inputs["vbqppl_ban_hanh"], "266")
    finish(window.page_of["vbqppl_ban_hanh"].inputs["vbqppl_ban_hanh"])
    for _ in range(20):
        window.autosave_now()
    assert len(calls) == 1  # backs off instead of repeating
    shown = window.statusBar().currentMessage()
    assert shown.startswith("Không tự động lưu được bản nháp") and "Permission denied" in shown
    backoff = window._autosave_backoff
    assert backoff.wait_s == 60
    monkeypatch.setattr(Autosaver, "save", real)
    backoff.next_at = 0  # the minute has passed
    window.autosave_now()
    assert window.autosaver.draft.is_file()
    assert window.statusBar().currentMessage() == "Đã tự động lưu bản nháp trở lại."
