"""The window's side: Export → PDF, the "Ký số" dialog (turn by turn, the PIN forgotten), the
signature check panel."""

from __future__ import annotations

import json
import os

import pki
import pytest
from conftest import needs_converter

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def window(qtbot, images, ca):
    from app.sample import sample_report
    from app.settings import Settings, save_settings
    from ui.main_window import MainWindow

    settings = Settings(agency_name="Ủy ban nhân dân tỉnh Hà Nam", signer_name="Nguyễn Văn An",
                        signature_image=str(images["signature"]), seal_image=str(images["seal"]),
                        p12_file=str(ca["signer_p12"]))
    save_settings(settings)
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.open_report(sample_report())
    w.populate_extension(w.extension_menus["ui.pdf_menu"], "ui.pdf_menu")
    return w


def _menu_action(window, name):
    from PySide6.QtGui import QAction

    return window.extension_menus["ui.pdf_menu"].findChild(QAction, f"pdf_{name}")


def _sign_in_dialog(qtbot, dialog, p12, expect_role):
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=60000)
    assert dialog.current_role() == expect_role
    dialog.use_p12.setChecked(True)
    dialog.p12.setText(str(p12))
    dialog.pin.setText(pki.PIN)
    dialog.sign_button.click()
    assert dialog.pin.text() == ""  # forgotten as soon as it is handed over
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)


def test_sign_dialog_signs_signer_then_agency_and_never_keeps_the_pin(
        window, qtbot, exported, ca, tmp_path):
    import shutil

    from app.pdf.verify import verify_pdf
    from app.settings import settings_path

    pdf = tmp_path / "bao-cao.pdf"
    shutil.copyfile(exported["pdf"], pdf)
    window._pdf_last = str(pdf)
    _menu_action(window, "sign").trigger()
    dialog = window._pdf_sign_dialog
    dialog.open_after = False
    _sign_in_dialog(qtbot, dialog, ca["signer_p12"], "nguoi_ky")
    signed = tmp_path / "bao-cao-da-ky.pdf"
    assert "Đã ký (người có thẩm quyền): Nguyễn Văn An" in dialog.message.text()
    assert signed.is_file() and dialog.file.text() == str(signed)
    # the preview shows the page with both boxes; the agency's turn comes next
    qtbot.waitUntil(lambda: dialog.state is not None and dialog.state.next_role() == "co_quan",
                    timeout=60000)
    assert dialog.preview.state.fields["NguoiKy"].signed
    assert dialog.image.text() == window.settings.seal_image
    _sign_in_dialog(qtbot, dialog, ca["agency_p12"], "co_quan")
    checks = verify_pdf(signed, ca["root"])
    assert [c.signer for c in checks] == ["Nguyễn Văn An", "Ủy ban nhân dân tỉnh Hà Nam"]
    assert all(c.intact and c.trusted for c in checks)
    qtbot.waitUntil(lambda: dialog.state is not None and dialog.state.next_role() is None,
                    timeout=60000)
    assert not dialog.sign_button.isEnabled() and "đủ chữ ký" in dialog.message.text()
    stored = settings_path().read_text(encoding="utf-8")
    assert pki.PIN not in stored and json.loads(stored)["p12_file"] == str(ca["agency_p12"])


def test_sign_dialog_wrong_pin_says_so_and_writes_nothing(window, qtbot, exported, ca, tmp_path):
    from ui.pdf_sign_dialog import SignDialog

    dialog = SignDialog(window, str(exported["pdf"]))
    qtbot.addWidget(dialog)
    dialog.open_after = False
    dialog.out.setText(str(tmp_path / "ky.pdf"))
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=60000)
    dialog.use_p12.setChecked(True)
    dialog.p12.setText(str(ca["signer_p12"]))
    dialog.pin.setText("999999")
    dialog.sign_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    assert "mã PIN (mật khẩu) không đúng" in dialog.message.text()
    assert not (tmp_path / "ky.pdf").exists()


def test_verify_panel_lists_each_signature(window, qtbot, exported, ca, images, tmp_path):
    from app.pdf.sign import P12Source, sign_pdf
    from ui.pdf_verify_panel import show_verify_dock

    first, both = tmp_path / "1.pdf", tmp_path / "2.pdf"
    sign_pdf(exported["pdf"], first, "nguoi_ky", P12Source(str(ca["signer_p12"])), pki.PIN,
             image=images["signature"])
    sign_pdf(first, both, "co_quan", P12Source(str(ca["agency_p12"])), pki.PIN,
             image=images["seal"])
    panel = show_verify_dock(window, str(both))
    panel.trust.setText(str(ca["root"]))
    panel.check_button.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=60000)
    rows = [[panel.table.item(r, c).text() for c in range(6)] for r in range(2)]
    assert rows[0][:2] == ["Người có thẩm quyền", "Nguyễn Văn An"]
    assert rows[0][3:] == ["có", "chỉ thêm chữ ký", "có"]
    assert rows[1][1] == "Ủy ban nhân dân tỉnh Hà Nam" and rows[1][2].endswith("+07:00")
    assert "Mọi chữ ký nguyên vẹn, tin cậy" in panel.summary.text()
    panel.trust.setText(str(ca["other_root"]))
    panel.check_button.click()
    qtbot.waitUntil(lambda: "không hợp lệ" in panel.summary.text(), timeout=60000)
    assert panel.table.item(0, 5).text() == "KHÔNG"


@needs_converter
def test_export_pdf_from_the_menu_writes_sign_ready_pdfs(window, qtbot, tmp_path):
    from app.pdf.fields import field_boxes

    _menu_action(window, "export").trigger()
    dialog = window.export_dialog
    rows = dialog.pdf_rows
    assert rows.want_pdf.isChecked() and rows.want_annex.isChecked()
    assert not dialog.want_docx.isChecked() and not dialog.want_xlsx.isChecked()
    rows.pdf.setText(str(tmp_path / "bc.pdf"))
    rows.annex.setText(str(tmp_path / "pl.pdf"))
    dialog.start.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=120000)
    assert dialog.error == ""
    assert [p.name for p in dialog.written] == ["bc.pdf", "pl.pdf"]
    assert set(field_boxes(tmp_path / "bc.pdf")) == {"NguoiKy", "CoQuan"}
    assert "Đã xuất báo cáo" in dialog.message.text()
