"""Export from the window (off the GUI thread), drafts while errors remain, a locked target;
document details with defaults and a date; the narrative per outline section."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from qt_typing import clear_and_type, type_text

from app.sample import sample_report
from app.templates.library import duplicate_template

pytest.importorskip("app.export.word")
pytest.importorskip("app.export.annex")


def open_export(window, tmp_path):
    QTest.keySequence(window, QKeySequence("Ctrl+E"))
    dialog = window.export_dialog
    dialog.docx.setText(str(tmp_path / "bao-cao.docx"))
    dialog.xlsx.setText(str(tmp_path / "phu-luc.xlsx"))
    return dialog


def test_export_writes_word_and_excel_off_the_gui_thread(window, qtbot, tmp_path):
    window.open_report(sample_report())
    dialog = open_export(window, tmp_path)
    assert not dialog.blocked and not dialog.draft.isChecked()
    assert dialog.template.count() >= 1 and dialog.template.currentData().endswith("bao_cao.docx")
    dialog.start.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    assert dialog.error == ""
    assert (tmp_path / "bao-cao.docx").is_file() and (tmp_path / "phu-luc.xlsx").is_file()
    assert dialog.progress.value() == 100
    assert dialog.open_file.isEnabled() and dialog.open_folder.isEnabled()
    assert "Đã xuất báo cáo" in dialog.message.text()


def test_errors_block_the_final_export_but_a_draft_is_possible(window, qtbot, tmp_path):
    window.open_report(sample_report())
    window.jump_to("vbqppl_kien_nghi_bai_bo")
    clear_and_type(window.page_of["vbqppl_kien_nghi_bai_bo"].inputs["vbqppl_kien_nghi_bai_bo"],
                   "1.700")
    assert "R04" in {f.rule for f in window.findings}
    dialog = open_export(window, tmp_path)
    assert dialog.blocked and dialog.draft.isChecked() and not dialog.draft.isEnabled()
    assert "DỰ THẢO" in dialog.state.text()
    dialog.want_xlsx.setChecked(False)
    dialog.start.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    assert dialog.error == "" and (tmp_path / "bao-cao.docx").is_file()
    assert not (tmp_path / "phu-luc.xlsx").exists()
    assert "dự thảo" in dialog.message.text()
    from docx import Document

    sec = Document(str(tmp_path / "bao-cao.docx")).sections[0]
    for header in (sec.first_page_header, sec.header):  # every page
        assert "DỰ THẢO" in [p.text for p in header.paragraphs]


def test_a_target_open_in_word_gets_a_clear_message(window, qtbot, tmp_path, monkeypatch):
    import app.export as export

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export.os, "replace", locked)
    window.open_report(sample_report())
    dialog = open_export(window, tmp_path)
    dialog.start.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    assert "đang mở" in dialog.error and "bao-cao.docx" in dialog.error
    assert not (tmp_path / "bao-cao.docx").exists()
    assert not list(tmp_path.glob(".~*"))


def test_document_details_with_defaults_and_date_picker(window):
    page = window.document_page
    window.navigator.setCurrentRow(0)
    assert page.place.text() == "Hà Nam" and page.signer.text() == "Nguyễn Văn An"
    type_text(page.agency, "")
    clear_and_type(page.agency, "Sở Nội vụ tỉnh Hà Nam")
    assert window.report.unit.name == "Sở Nội vụ tỉnh Hà Nam"
    page.has_date.setChecked(True)
    page.date.setDate(QDate(2025, 3, 5))
    assert window.report.document.date == date(2025, 3, 5)
    assert "ngày 05 tháng 3 năm 2025" in page.preview.text()
    page.number.setValue(5)
    assert "Số: 05/BC-UBND" in page.preview.text()
    page.to.setPlainText("Bộ Nội vụ\nUBND tỉnh")
    assert window.report.document.to == ["Bộ Nội vụ", "UBND tỉnh"]
    window.undo_stack.undo()
    assert window.report.document.to == ["Bộ Nội vụ"]
    assert page.to.toPlainText() == "Bộ Nội vụ"


def test_narrative_per_section_with_paragraphs_and_undo(window):
    page = window.narrative_page
    window.navigator.setCurrentRow(window.stack.indexOf(page))
    page.select_section("han_che")
    assert "Tồn tại" in page.hint.text()
    type_text(page.editor, "Tỷ lệ hồ sơ trực tuyến còn thấp.")
    page.editor.appendPlainText("\nNguyên nhân: hạ tầng cấp xã chưa đồng bộ.")
    assert window.report.narrative["han_che"].startswith("Tỷ lệ hồ sơ trực tuyến còn thấp.\n\n")
    page.select_section("kien_nghi")
    assert page.editor.toPlainText() == ""
    page.select_section("han_che")
    assert "hạ tầng" in page.editor.toPlainText()
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    assert "han_che" not in window.report.narrative and page.editor.toPlainText() == ""


def test_export_dialog_lists_templates_by_manifest_name_and_version(window, tmp_path):
    from app.templates.library import list_templates, read_manifest

    builtin = list_templates(include_user=False)[0]
    folder = tmp_path / "mau"
    duplicate_template(builtin, folder, "Mẫu Sở Nội vụ")
    made = next(p for p in folder.iterdir() if p.is_dir())
    manifest = made / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    # made for communes only: listed after the templates that suit a provincial report
    manifest.write_text(text.replace('cap_don_vi = ["tinh", "so_nganh", "huyen", "xa"]',
                                     'cap_don_vi = ["xa"]'), encoding="utf-8")
    assert read_manifest(made).levels == ["xa"]
    window.settings.template_folder = str(folder)
    window.open_report(sample_report())
    dialog = open_export(window, tmp_path)
    labels = [dialog.template.itemText(i) for i in range(dialog.template.count())]
    assert labels[0].startswith(f"{builtin.name} — phiên bản {builtin.version} (có sẵn)")
    ours = [label for label in labels if label.startswith("Mẫu Sở Nội vụ — phiên bản")]
    assert ours and ours[0].endswith("dành cho kỳ hoặc cấp khác")
    assert labels.index(ours[0]) > 0


def test_a_blank_report_is_not_ready_and_exports_only_as_a_draft(window, qtbot, tmp_path):
    from app.model import Period, Report

    window.open_report(Report(period=Period("nam", 2025)))
    summary = window.issues.summary.text()
    assert "có thể xuất bản chính thức" not in summary.replace("trước khi xuất bản chính thức", "")
    items = [window.issues.list.item(i).text() for i in range(window.issues.list.count())]
    # one entry says in words everything the document still lacks
    details = [t for t in items if "Báo cáo chính thức còn thiếu" in t]
    assert len(details) == 1
    for words in ("tên cơ quan ban hành", "số văn bản", "ngày ban hành", "Kính gửi",
                  "họ và tên người ký", "Nơi nhận"):
        assert words in details[0]
    assert any("chưa có số liệu nào" in t for t in items)
    # clicking it goes to the first box to fill in
    row = items.index(details[0])
    window.issues._activated(window.issues.list.item(row))
    assert window.navigator.currentRow() == 0
    assert window.focusWidget() is window.document_page.agency
    dialog = open_export(window, tmp_path)
    assert dialog.blocked and dialog.draft.isChecked() and not dialog.draft.isEnabled()
    assert "Thiếu họ và tên người ký" in dialog.state.text()


def test_overwriting_an_earlier_export_asks_first(window, qtbot, tmp_path, monkeypatch):
    import os
    import stat

    from ui import prompts

    window.open_report(sample_report())
    old = tmp_path / "bao-cao.docx"
    old.write_bytes(b"earlier")
    old.chmod(0o644)
    answers = []
    monkeypatch.setattr(prompts, "ask_yes_no",
                        lambda _p, _t, text, *a: answers.append(text) or False)
    dialog = open_export(window, tmp_path)
    dialog.want_xlsx.setChecked(False)
    dialog.start.click()
    assert answers and "bao-cao.docx" in answers[0]
    assert not dialog.running and old.read_bytes() == b"earlier"
    monkeypatch.setattr(prompts, "ask_yes_no", lambda *a: True)
    dialog.want_xlsx.setChecked(True)
    dialog.start.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    assert dialog.error == "" and old.read_bytes()[:2] == b"PK"
    # the file keeps the permissions it had; a new one gets the user's normal ones (Windows
    # has only "read-only" or not: both stay writable)
    if os.name == "posix":
        assert stat.S_IMODE(old.stat().st_mode) == 0o644
        mask = os.umask(0)
        os.umask(mask)
        assert stat.S_IMODE((tmp_path / "phu-luc.xlsx").stat().st_mode) == 0o666 & ~mask
    else:
        assert os.access(old, os.W_OK) and os.access(tmp_path / "phu-luc.xlsx", os.W_OK)


def test_a_wrong_file_name_is_refused_in_words(window, tmp_path):
    window.open_report(sample_report())
    dialog = open_export(window, tmp_path)
    dialog.docx.setText(str(tmp_path / "bao-cao.pdf"))
    dialog.start.click()
    assert "phải kết thúc bằng .docx" in dialog.message.text() and not dialog.running


def test_an_explanation_typed_in_the_form_reaches_the_word_text_and_the_annex_note(
        window, qtbot, tmp_path):
    import openpyxl
    from docx import Document

    window.open_report(sample_report())
    window.jump_to("kiem_tra_da_thuc_hien")
    clear_and_type(window.page_of["kiem_tra_da_thuc_hien"].inputs["kiem_tra_da_thuc_hien"], "25")
    r02 = next(f for f in window.findings if f.rule == "R02")
    box = window.page_of["kiem_tra_da_thuc_hien"].boxes["kiem_tra_da_thuc_hien"]
    note = "Kiểm tra đột xuất thêm 5 cơ quan theo chỉ đạo của Chủ tịch"
    type_text(box.edit_for(r02.explanation_key), note)
    dialog = open_export(window, tmp_path)
    assert not dialog.blocked  # the warning is explained: a final report
    dialog.start.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    assert dialog.error == ""
    paras = [p.text for p in Document(str(tmp_path / "bao-cao.docx")).paragraphs]
    assert any(t.startswith("Về ") and t.endswith(f"xin giải trình: {note}.") for t in paras)
    ws = openpyxl.load_workbook(tmp_path / "phu-luc.xlsx").worksheets[0]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert sum(1 for c in cells if note in c) == 2  # both indicators of R02


def test_the_user_chooses_where_the_header_breaks_the_agency_name(window):
    from app.export.context import build_context

    window.open_report(sample_report())
    page = window.document_page
    clear_and_type(page.agency, "Sở Nông nghiệp và Môi trường tỉnh Hà Nam")
    assert build_context(window.report)["co_quan_ban_hanh"] == [
        "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "TỈNH HÀ NAM"]
    page.issuer.setFocus()
    page.issuer.setPlainText("Sở Nông nghiệp\nvà Môi trường tỉnh Hà Nam")
    assert window.report.document.issuer_lines == ["Sở Nông nghiệp", "và Môi trường tỉnh Hà Nam"]
    assert build_context(window.report)["co_quan_ban_hanh"] == [
        "SỞ NÔNG NGHIỆP", "VÀ MÔI TRƯỜNG TỈNH HÀ NAM"]
    window.undo_stack.undo()
    assert window.report.document.issuer_lines == []


def test_a_template_with_a_misspelled_field_is_refused_with_its_place(window, qtbot, tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from hostile_templates import CASES

    template = tmp_path / "sai.docx"
    next(c for c in CASES if c.name == "sai_ten_truong").build(template)
    window.open_report(sample_report())
    dialog = open_export(window, tmp_path)
    dialog.template.addItem("Mẫu gõ sai", str(template))
    dialog.template.setCurrentIndex(dialog.template.count() - 1)
    dialog.start.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    from docx import Document

    place = next(i for i, p in enumerate(Document(str(template)).paragraphs, 1)
                 if "vbqppl_ban_hanhh" in p.text)  # its paragraph, counted as Word counts
    assert f"đoạn {place}" in dialog.error and "“vbqppl_ban_hanh”" in dialog.error, dialog.error
    assert not (tmp_path / "bao-cao.docx").exists()
    dialog.draft.setChecked(True)
    dialog.start.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30000)
    assert dialog.error == "" and (tmp_path / "bao-cao.docx").is_file()
    assert "Lưu ý về mẫu" in dialog.message.text() and "vbqppl_ban_hanhh" in dialog.message.text()
