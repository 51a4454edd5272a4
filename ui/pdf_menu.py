"""The "Ký số" menu of the main window: export as sign-ready PDF, sign, check signatures."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu


def export_pdf(window: Any) -> None:
    """Export → PDF: the export dialog with only the PDF rows ticked."""
    from ui.pdf_export import focus_pdf

    window.export()
    focus_pdf(window.export_dialog)


def last_pdf(window: Any) -> str | None:
    """The PDF the user most likely means: the last one signed, else the last exported."""
    if getattr(window, "_pdf_last", None):
        return window._pdf_last
    written = getattr(getattr(window, "export_dialog", None), "written", [])
    pdfs = [str(p) for p in written if str(p).lower().endswith(".pdf")]
    return pdfs[0] if pdfs else None


def sign(window: Any) -> None:
    from ui.pdf_sign_dialog import SignDialog

    window._pdf_sign_dialog = dialog = SignDialog(window, last_pdf(window))
    dialog.show()
    dialog.raise_()


def verify(window: Any) -> None:
    from ui.pdf_verify_panel import show_verify_dock

    show_verify_dock(window, last_pdf(window))


def populate_menu(menu: QMenu, main_window: Any) -> None:
    for text, name, slot in (("Xuất PDF để ký số…", "export", export_pdf),
                             ("Ký số tệp PDF…", "sign", sign),
                             ("Kiểm tra chữ ký số…", "verify", verify)):
        action = QAction(text, menu)
        action.setObjectName(f"pdf_{name}")
        action.triggered.connect(lambda _checked=False, s=slot: s(main_window))
        menu.addAction(action)
