"""The "Tổng hợp" windows, offscreen: register, intake, import with replacement, board, consolidate."""

from __future__ import annotations

import os
from datetime import date

import openpyxl
import pytest
from filling import fill_intake as fill
from PySide6.QtWidgets import QMainWindow, QMenu

from app.model import Period, Report, Unit
from app.units import RegisteredUnit, save_register
from ui.host import WindowRegistry

PERIOD = Period("nam", 2025)


class FakeMain(QMainWindow):
    def __init__(self):
        super().__init__()
        self.report = Report(unit=Unit("UBND tỉnh Hà Nam", "T", "tinh"), period=PERIOD)
        self.opened: list = []
        self.messages: list[str] = []
        self.previous = None
        self.windows = WindowRegistry()

    def current_report(self):
        return self.report

    def open_report(self, report, path=None, previous=None, modified=False):
        self.opened.append((report, path, modified))

    def status(self, message):
        self.messages.append(message)


@pytest.fixture
def main(qtbot, monkeypatch):
    from ui import prompts

    monkeypatch.setattr(prompts, "show_error", lambda *a: pytest.fail(f"unexpected error box {a}"))
    w = FakeMain()
    qtbot.addWidget(w)
    return w




def test_menu_has_the_actions(main):
    from ui.consolidation import populate_menu

    menu = QMenu("Tổng hợp", main)
    populate_menu(menu, main)
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names == ["consolidation_units", "consolidation_intake", "consolidation_import",
                     "consolidation_board", "consolidation_run"]


def test_unit_register_editor_import_and_save(main, qtbot, tmp_path):
    from app.units import load_register
    from ui.consolidation import UnitRegisterDialog

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tên đơn vị", "Cấp", "Mã", "Từ ngày", "Đến ngày"])
    ws.append(["Sở Tư pháp", "Sở, ban, ngành", "STP", None, None])
    ws.append(["Xã An Bình", "xã", "X01", "01/07/2025", None])
    wb.save(tmp_path / "ds.xlsx")
    d = UnitRegisterDialog(main)
    qtbot.addWidget(d)
    d.import_file(str(tmp_path / "ds.xlsx"))
    assert d.table.rowCount() == 2 and "2 đơn vị mới" in d.message.text()
    assert d.save()
    reg = load_register()
    assert [(u.name, u.level, u.code, u.active_from) for u in reg] == [
        ("Sở Tư pháp", "so_nganh", "STP", None), ("Xã An Bình", "xa", "X01", date(2025, 7, 1))]


def test_intake_all_units_into_folder(main, qtbot, tmp_path):
    from ui.consolidation import IntakeDialog

    save_register([RegisteredUnit("Sở Tư pháp", "so_nganh", "STP"),
                   RegisteredUnit("Xã An Bình", "xa", "X01"),
                   RegisteredUnit("Xã Cũ", "xa", "X00", active_to=date(2020, 1, 1))])
    d = IntakeDialog(main)
    qtbot.addWidget(d)
    assert d.unit.count() == 3  # "all" + the two active units
    out = tmp_path / "phieu"
    out.mkdir()
    d.folder.setText(str(out))
    with qtbot.waitSignal(d.done, timeout=20000) as sig:
        d.generate()
    assert len(sig.args[0]) == 2
    assert sorted(p.name for p in out.iterdir()) == ["Phieu_so_lieu_nam-2025_STP.xlsx",
                                                     "Phieu_so_lieu_nam-2025_X01.xlsx"]


@pytest.mark.usefixtures("store")  # on SQLite and on PostgreSQL
def test_import_replace_board_and_consolidate(main, qtbot, tmp_path, monkeypatch):
    from app.intake import write_intake
    from ui import prompts
    from ui.consolidation import BoardDialog, ImportDialog, consolidate_period

    save_register([RegisteredUnit("Sở Tư pháp", "so_nganh", "STP"),
                   RegisteredUnit("Xã An Bình", "xa", "X01"),
                   RegisteredUnit("Xã Bắc Sơn", "xa", "X02")])
    a = fill(write_intake(tmp_path / "a.xlsx", Unit("Sở Tư pháp", "STP", "so_nganh"), PERIOD),
             {"ho_so_da_giai_quyet": 200, "ho_so_truoc_han": 50, "ho_so_dung_han": 140,
              "ho_so_qua_han": 10})
    b = fill(write_intake(tmp_path / "b.xlsx", Unit("Xã An Bình", "X01", "xa"), PERIOD),
             {"ho_so_da_giai_quyet": 300, "ho_so_truoc_han": 100, "ho_so_dung_han": 170,
              "ho_so_qua_han": 30})
    bad = fill(write_intake(tmp_path / "c.xlsx", Unit("Xã Bắc Sơn", "X02", "xa"), PERIOD),
               {"ho_so_da_giai_quyet": "ba trăm"})
    for p in (a, b, bad):
        os.utime(p, (1_765_000_000, 1_765_000_000))  # 06/12/2025: before the deadline
    d = ImportDialog(main)
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.finished_import, timeout=20000):
        d.import_files([str(a), str(b), str(bad)])
    rows = {r[0]: r for r in d.rows()}
    assert rows["a.xlsx"][2] == "Đã nhận" and rows["b.xlsx"][2] == "Đã nhận"
    assert rows["c.xlsx"][2] == "Từ chối" and "ô chứa chữ “ba trăm”" in rows["c.xlsx"][3]

    # a resubmission: asked first; "keep the old one" changes nothing, "replace" replaces
    b2 = fill(write_intake(tmp_path / "b2.xlsx", Unit("Xã An Bình", "X01", "xa"), PERIOD),
              {"ho_so_da_giai_quyet": 400, "ho_so_truoc_han": 100, "ho_so_dung_han": 270,
               "ho_so_qua_han": 30})
    asked = []
    monkeypatch.setattr(prompts, "ask_yes_no", lambda *a, **k: asked.append(a[2]) or False)
    with qtbot.waitSignal(d.finished_import, timeout=20000):
        d.import_files([str(b2)])
    assert asked and "Xã An Bình" in asked[0]
    from app.store.engine import who

    assert f"do {who()[0]} (máy {who()[1]}) nhận" in asked[0]  # who took the stored one
    assert [r[2] for r in d.rows() if r[0] == "b2.xlsx"] == ["Giữ bản cũ"]
    monkeypatch.setattr(prompts, "ask_yes_no", lambda *a, **k: True)
    with qtbot.waitSignal(d.finished_import, timeout=20000):
        d.import_files([str(b2)])
    # one row per file, with its latest result
    assert [r[2] for r in d.rows() if r[0] == "b2.xlsx"] == ["Đã thay bản cũ"]

    board = BoardDialog(main, today=date(2025, 12, 28))
    qtbot.addWidget(board)
    c = board.board.counts
    assert (c["on_time"], c["late"], c["rejected"], c["reported"]) == (1, 1, 1, 2)
    assert board.table.rowCount() == 3
    chart = board.chart.chart  # the same counts as a chart beside the table
    counts = dict(zip(chart.categories, chart.series[0].values, strict=True))
    assert (counts["Đã nộp, đúng hạn"], counts["Đã nộp, trễ hạn"], counts["Tệp bị từ chối"],
            counts["Chưa nộp"]) == (1, 1, 1, 0)
    board.table.sortItems(0)
    assert board.table.item(0, 0).text() == "Sở Tư pháp"
    out = board.export_to(str(tmp_path / "board.xlsx"))
    assert openpyxl.load_workbook(out).active.max_row == 4 + 3

    done = []
    consolidate_period(main, PERIOD, on_done=lambda r, e: done.append((r, e)))
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    result, error = done[0]
    assert error is None
    report, path, modified = main.opened[-1]
    assert path is None and modified
    assert report.values["ho_so_da_giai_quyet"] == 600  # 200 + 400 (the replacement)
    assert report.unit.name == "UBND tỉnh Hà Nam"
    assert [s.file for s in report.sources] == ["a.xlsx", "b2.xlsx"]
    assert "Đã tổng hợp 2 đơn vị" in main.messages[-1]


@pytest.mark.usefixtures("store")  # on SQLite and on PostgreSQL
def test_real_main_window_menu_and_open(window, qtbot, monkeypatch):
    """The editor's "Tổng hợp" menu gets our actions; consolidating opens the result in it."""
    from app.history import History
    from ui import prompts

    # the consolidated report is unsaved on purpose: closing the window must not wait on a question
    monkeypatch.setattr(prompts, "ask_save_changes", lambda *a: prompts.DISCARD)
    from app.intake import Submission
    from ui.consolidation import consolidate_period

    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title().replace("&", "") == "Tổng hợp")
    window.populate_extension(menu, "ui.consolidation")
    assert any(a.objectName() == "consolidation_run" for a in menu.actions())
    period = window.current_report().period
    with History() as h:
        h.add_submission(Submission(Unit("Xã A", "A", "xa"), Period(period.kind, period.year,
                                    period.from_year, period.to_year),
                                    {"vbqppl_ban_hanh": 3}, "a.xlsx",
                                    __import__("datetime").datetime(2025, 1, 1)))
    done = []
    consolidate_period(window, on_done=lambda r, e: done.append((r, e)))
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    assert done[0][1] is None
    assert window.current_report().values.get("vbqppl_ban_hanh") == 3
    assert window.current_report().sources[0].unit.name == "Xã A"


def _store_one_submission(period):
    from datetime import datetime

    from app.history import History
    from app.intake import Submission

    with History() as h:
        h.add_submission(Submission(Unit("Xã A", "A", "xa"), Period(period.kind, period.year),
                                    {"vbqppl_ban_hanh": 3}, "a.xlsx", datetime(2025, 1, 1)))


def test_consolidating_over_unsaved_text_asks_and_opens_a_new_document(window, qtbot,
                                                                        monkeypatch, user_dirs):
    from qt_typing import type_text

    from ui import prompts
    from ui.consolidation import ConsolidateDialog

    period = window.current_report().period
    _store_one_submission(period)
    window.jump_to("vbqppl_kiem_tra")
    type_text(window.page_of["vbqppl_kiem_tra"].inputs["vbqppl_kiem_tra"], "12")
    window.edit_field("document.signer.name", "Trần Thị Bình", 0)
    typed = window.current_report()
    answers = [prompts.CANCEL]
    asked = []
    monkeypatch.setattr(prompts, "ask_save_changes",
                        lambda *a: asked.append(a[1]) or answers[0])
    dialog = ConsolidateDialog(window)
    qtbot.addWidget(dialog)
    assert "1 đơn vị" in dialog.note.text()
    # the year picker chooses the period; a year without submissions cannot be consolidated
    dialog.period.year.setValue(period.year - 3)
    assert not dialog.run_btn.isEnabled() and "Chưa nhận" in dialog.note.text()
    dialog.period.year.setValue(period.year)
    dialog.run_btn.click()
    assert asked  # the same question as New and Open
    assert window.current_report() is typed and typed.values["vbqppl_kiem_tra"] == 12
    # now the user lets it go, and picks the open report's signer for the new document
    answers[0] = prompts.DISCARD
    choice = []
    monkeypatch.setattr(prompts, "ask_yes_no", lambda *a, **k: choice.append(a[2]) or False)
    dialog.run_btn.setEnabled(True)
    dialog.run_btn.click()
    qtbot.waitUntil(lambda: window.current_report() is not typed, timeout=20000)
    new = window.current_report()
    assert choice and "báo cáo đang mở" in choice[0]
    assert new.values == {"vbqppl_ban_hanh": 3} and window.path is None
    assert window.isWindowModified()
    assert new.document.signer.name == "Trần Thị Bình" and new.document.place == "Hà Nam"
    assert new.document.number is None and new.document.date is None
    # autosaved at once: a crash now loses nothing
    drafts = list((user_dirs[1] / "recovery").glob("*.cchc.json"))
    assert len(drafts) == 1 and '"vbqppl_ban_hanh": 3' in drafts[0].read_text("utf-8")


def test_consolidation_takes_the_settings_details_by_default(window, qtbot, monkeypatch):
    from ui.consolidation import consolidate_period

    period = window.current_report().period
    _store_one_submission(period)
    window.report.document.to = []  # the open report has lost its recipients
    window.report.document.place = "Phủ Lý"
    done = []
    monkeypatch.setattr("ui.prompts.ask_yes_no", lambda *a, **k: True)  # "Theo Cài đặt"
    consolidate_period(window, period, on_done=lambda r, e: done.append((r, e)))
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    doc = window.current_report().document
    s = window.settings
    assert doc.to == s.recipients and doc.place == s.province
    assert doc.distribution == s.distribution and doc.signer.name == s.signer_name


def test_rejection_reasons_are_a_list(main, qtbot, tmp_path):
    from ui.consolidation.dialogs import reasons_list

    assert reasons_list(["một lý do."]) == "một lý do."
    assert reasons_list(["lý do 1.", "lý do 2."]) == "• lý do 1.\n• lý do 2."


@pytest.mark.usefixtures("store")  # on SQLite and on PostgreSQL
def test_board_names_who_imported_shows_the_trail_and_follows_other_specialists(main, qtbot):
    """Another specialist's import (another History, as another process would) appears on an
    open board by itself; selecting a unit lists who did what with which file."""
    from datetime import datetime

    from app.history import History
    from app.intake import Submission
    from app.store.engine import who
    from ui.consolidation import BoardDialog

    save_register([RegisteredUnit("Xã An Bình", "xa", "X01"),
                   RegisteredUnit("Xã Bắc Sơn", "xa", "X02")])
    with History() as h:
        h.add_submission(Submission(Unit("Xã An Bình", "X01", "xa"), PERIOD,
                                    {"vbqppl_ban_hanh": 1}, "an_binh.xlsx", datetime(2025, 12, 5)))
    board = BoardDialog(main, today=date(2025, 12, 28))
    board.POLL_MS = 100
    board.poll_timer.start(100)
    qtbot.addWidget(board)
    board.show()
    user, machine = who()
    rows = {board.table.item(r, 0).text(): r for r in range(board.table.rowCount())}
    assert board.table.item(rows["Xã An Bình"], 6).text() == f"{user} ({machine})"
    board.table.selectRow(rows["Xã An Bình"])
    lines = [board.trail.item(i).text() for i in range(board.trail.count())]
    assert len(lines) == 1 and "Nhận số liệu — an_binh.xlsx" in lines[0]
    assert f"{user} trên máy {machine}" in lines[0]
    assert board.board.counts["reported"] == 1

    with History() as other:  # meanwhile, at another desk
        other.add_submission(Submission(Unit("Xã Bắc Sơn", "X02", "xa"), PERIOD,
                                        {"vbqppl_ban_hanh": 2}, "bac_son.xlsx",
                                        datetime(2025, 12, 6)))
    qtbot.waitUntil(lambda: board.board.counts["reported"] == 2, timeout=10000)
    assert not board.store_line.isVisible()


def test_an_unreachable_store_is_one_line_in_the_windows(main, qtbot, monkeypatch):
    from ui.consolidation import BoardDialog, ImportDialog

    monkeypatch.setenv("CCHC_STORE", "postgresql://cchc@127.0.0.1:9/cchc")  # nothing listens
    board = BoardDialog(main, today=date(2025, 12, 28))
    qtbot.addWidget(board)
    board.show()
    assert board.store_line.isVisible()
    text = board.store_line.text()
    assert text.startswith("Không kết nối được kho dùng chung postgresql://cchc@127.0.0.1:9/cchc")
    assert "Tệp báo cáo vẫn mở và lưu bình thường" in text and "\n" not in text
    assert main.messages[-1] == text  # the editor's status bar says it too
    d = ImportDialog(main)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(d.store_line.isVisible, timeout=10000)
    assert d.store_line.text() == text


def test_a_form_of_another_installation_is_refused_until_the_administrator_accepts_it(
        main, qtbot, tmp_path, monkeypatch, user_dirs):
    from app.intake import write_intake
    from ui import prompts
    from ui.consolidation import ImportDialog

    save_register([RegisteredUnit("Sở Tư pháp", "so_nganh", "STP"),
                   RegisteredUnit("Xã An Bình", "xa", "X01")])
    ours = fill(write_intake(tmp_path / "ours.xlsx", Unit("Xã An Bình", "X01", "xa"), PERIOD),
                {"vbqppl_ban_hanh": 2})
    mine = os.environ["CCHC_DATA_DIR"]
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "another-installation"))
    theirs = fill(write_intake(tmp_path / "theirs.xlsx", Unit("Sở Tư pháp", "STP", "so_nganh"),
                               PERIOD), {"vbqppl_ban_hanh": 3})
    monkeypatch.setenv("CCHC_DATA_DIR", mine)
    d = ImportDialog(main)
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.finished_import, timeout=20000):
        d.import_files([str(ours), str(theirs)])
    rows = {r[0]: r for r in d.rows()}
    assert rows["ours.xlsx"][2] == "Đã nhận"
    assert rows["theirs.xlsx"][2] == "Từ chối" and "cài đặt khác" in rows["theirs.xlsx"][3]
    assert d.foreign_btn.isVisibleTo(d) and d.foreign_paths == [str(theirs)]
    asked = []
    monkeypatch.setattr(prompts, "ask_yes_no", lambda *a, **k: asked.append(a[2]) or True)
    with qtbot.waitSignal(d.finished_import, timeout=20000):
        d.foreign_btn.click()
    assert "theirs.xlsx" in asked[0]
    assert [r[2] for r in d.rows() if r[0] == "theirs.xlsx"][-1] == "Đã nhận"
    assert not d.foreign_btn.isVisibleTo(d)
