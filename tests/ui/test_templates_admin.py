"""The template library window and the field browser (offscreen)."""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from docx import Document  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QMainWindow, QMenu  # noqa: E402

from app.sample import sample_report  # noqa: E402
from app.settings import Settings  # noqa: E402
from ui.host import WindowRegistry  # noqa: E402


class FakeMain(QMainWindow):
    """The public API of ui.main_window.MainWindow the templates window uses."""

    def __init__(self, folder):
        super().__init__()
        self.settings = Settings(template_folder=str(folder))
        self.report = sample_report()
        self.previous = None
        self.messages: list[str] = []
        self.windows = WindowRegistry()

    def current_report(self):
        return self.report

    def open_report(self, report, path=None, previous=None, modified=False):
        self.report = report

    def status(self, message):
        self.messages.append(message)


@pytest.fixture
def env(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    import ui.templates_admin.library as lib

    opened: list[str] = []
    monkeypatch.setattr(lib, "open_externally", lambda p: opened.append(str(p)) or True)
    main = FakeMain(tmp_path / "mau")
    qtbot.addWidget(main)
    return main, opened, tmp_path


def test_menu_actions(env):
    from ui.templates_admin import populate_menu

    main, _, _ = env
    menu = QMenu("Mẫu báo cáo", main)
    populate_menu(menu, main)
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Thư viện mẫu…", "Tra cứu trường dùng trong mẫu…", "Hướng dẫn sửa mẫu"]
    menu.actions()[0].trigger()
    assert main.windows.find("template_library").isVisible()


def test_library_duplicate_check_repair_preview(env, qtbot):
    from ui.templates_admin.library import TemplateLibraryWindow

    main, opened, tmp_path = env
    win = TemplateLibraryWindow(main)
    qtbot.addWidget(win)
    assert win.current().builtin and "Nghị định 30" in win.details.text()
    assert not win.b_repair.isEnabled()

    copy = win.duplicate()
    assert copy is not None and copy.folder.parent == tmp_path / "mau"
    assert win.current().folder == copy.folder and not win.current().builtin
    assert win.b_repair.isEnabled()

    # the admin breaks the copy in "Word": an unknown field
    doc = Document(str(copy.docx))
    p = next(p for p in doc.paragraphs if "{{ cau_van.the_che }}" in p.text)
    p.runs[0].text = "Kiểm tra {{ vbqppl_kiem_traa }} văn bản."
    for r in p.runs[1:]:
        r._r.getparent().remove(r._r)
    doc.save(str(copy.docx))

    win.check()
    qtbot.waitUntil(lambda: not win.busy and win.problems.topLevelItemCount() > 0, timeout=20000)
    rows = [[win.problems.topLevelItem(i).text(c) for c in range(3)]
            for i in range(win.problems.topLevelItemCount())]
    assert any(r[1].startswith("đoạn ") and "vbqppl_kiem_tra" in r[2] for r in rows), rows

    out = win.repair(tmp_path / "da_sua.docx")
    assert out is not None and out.is_file()

    win.b_word.click()
    assert opened[-1] == str(copy.docx)


@pytest.mark.slow
def test_preview_shows_pages(env, qtbot):
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        pytest.skip("LibreOffice/pdftoppm not installed")
    from ui.templates_admin.library import TemplateLibraryWindow

    main, _, _ = env
    win = TemplateLibraryWindow(main)
    qtbot.addWidget(win)
    win.preview()
    qtbot.waitUntil(lambda: win.last_preview is not None, timeout=120000)
    assert win.last_preview.pages and win.pages_layout.count() == len(win.last_preview.pages)
    assert "trang" in win.preview_note.text()


def test_preview_without_libreoffice_opens_word(env, qtbot, monkeypatch):
    import app.templates.preview as preview
    from ui.templates_admin.library import TemplateLibraryWindow

    monkeypatch.setattr(preview, "soffice_path", lambda: None)
    main, opened, _ = env
    win = TemplateLibraryWindow(main)
    qtbot.addWidget(win)
    win.preview()
    qtbot.waitUntil(lambda: win.last_preview is not None, timeout=30000)
    assert opened and opened[-1].endswith("xem_truoc.docx")
    assert "LibreOffice" in win.preview_note.text()


def test_field_browser_search_and_copy(env, qtbot):
    from ui.templates_admin.fields import FieldBrowser

    main, _, _ = env
    fb = FieldBrowser(main)
    qtbot.addWidget(fb)
    fb.apply_filter("kiem tra van ban")
    visible = [fb.rows[i][0] for i in range(len(fb.rows)) if not fb.table.isRowHidden(i)]
    assert "vbqppl_kiem_tra" in visible and len(visible) < len(fb.rows)
    row = next(i for i, r in enumerate(fb.rows) if r[0] == "vbqppl_kiem_tra")
    fb.table.selectRow(row)
    fb.copy_selected()
    assert QGuiApplication.clipboard().text() == "{{ vbqppl_kiem_tra }}"
    assert main.messages and "vbqppl_kiem_tra" in main.messages[-1]


def test_guide_dialog(env, qtbot):
    from ui.templates_admin.fields import GuideDialog

    main, _, _ = env
    g = GuideDialog(main)
    qtbot.addWidget(g)
    text = g.view.toPlainText()
    assert "{%tr for dv in don_vi %}" in text and "{%p if co_ky_truoc %}" in text


def test_real_main_window_menu(window, qtbot, monkeypatch):
    import ui.templates_admin.library as lib

    monkeypatch.setattr(lib, "open_externally", lambda p: True)
    menu = window.extension_menus["ui.templates_admin"]
    assert menu.menuAction().isVisible()
    window.populate_extension(menu, "ui.templates_admin")
    actions = {a.text(): a for a in menu.actions()}
    actions["Thư viện mẫu…"].trigger()
    lib_win = window.windows.find("template_library")
    qtbot.addWidget(lib_win)
    assert lib_win.isVisible() and lib_win.templates and lib_win.templates[0].builtin
    actions["Tra cứu trường dùng trong mẫu…"].trigger()
    qtbot.addWidget(window.windows.find("field_browser"))
    assert window.windows.find("field_browser").isVisible()
