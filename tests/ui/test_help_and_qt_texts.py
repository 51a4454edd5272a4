"""Qt's own dialogs speak Vietnamese; Help → Hướng dẫn and Giới thiệu."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QMenu, QMessageBox


def test_every_own_text_translates_a_text_qt_really_has(qapp):
    from ui.qt_vietnamese import TEXTS

    # Qt's French catalogue knows each source text we translate: none is misspelt or invented
    fr = QTranslator()
    assert fr.load("qtbase_fr", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    missing = [(c, s) for c, texts in TEXTS.items() for s in texts if not fr.translate(c, s)]
    assert not missing


def test_the_compiled_translation_is_up_to_date_and_leaves_other_texts_alone(qapp):
    from app.paths import resources_dir
    from ui.qt_vietnamese import TEXTS

    qm = QTranslator()
    assert qm.load("qt_vi", str(resources_dir()))
    stale = [(c, s) for c, texts in TEXTS.items() for s, vi in texts.items()
             if qm.translate(c, s) != vi]
    assert not stale, "run python3 tools/build_qt_translation.py"
    assert qm.translate("QFileDialog", "a text we do not translate") == ""  # Qt keeps its own


def test_standard_buttons_and_file_dialog_are_vietnamese(qtbot):
    from ui.qt_vietnamese import install

    install()
    box = QMessageBox(QMessageBox.Icon.Warning, "Lỗi", "x",
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.Ok).text() == "Đồng ý"
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "Hủy"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
    assert buttons.button(QDialogButtonBox.StandardButton.Save).text() == "Lưu"
    dialog = QFileDialog(None, "Mở báo cáo")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = {lbl.text() for lbl in dialog.findChildren(QLabel)}
    assert "&Tên tệp:" in labels and "File &name:" not in labels
    assert "" not in {b.text() for b in box.buttons()}  # nothing untranslated goes blank


def test_help_menu_shows_the_guide_and_the_about_box(window):
    menu = next(m for m in window.menuBar().findChildren(QMenu)
                if m.title().replace("&", "") == "Trợ giúp")
    assert [a.text() for a in menu.actions()] == ["Hướng dẫn", "Giới thiệu"]
    window.act_help.trigger()
    guide = window.help_dialog.text.toPlainText()
    assert "Ô để trống là “chưa báo cáo”" in guide and "giải trình" in guide
    window.act_about.trigger()
    from app import __version__
    from app.settings import config_dir, recovery_dir

    about = window.about_dialog.label.text()
    assert __version__ in about and str(config_dir()) in about and str(recovery_dir()) in about
