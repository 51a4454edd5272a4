"""The "Tổng hợp" menu: unit register, intake workbooks, import of submissions, completeness
board and consolidation. The work itself is done by app.units, app.intake, app.history,
app.completeness and app.consolidation; slow work runs off the GUI thread (ui.worker)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ui.consolidation.dialogs import (
    BoardDialog,
    ImportDialog,
    IntakeDialog,
    UnitRegisterDialog,
    consolidate_period,
)


def populate_menu(menu: QMenu, main_window: Any) -> None:
    """Add the consolidation actions to the main window's "Tổng hợp" menu."""

    def show(factory):
        def run() -> None:
            # a fresh dialog each time (it reads the register and the store anew), kept by the
            # registry while it is open
            main_window.windows.show_new("consolidation", lambda: factory(main_window))
        return run

    entries = [
        ("Danh sách đơn vị…", "units", show(UnitRegisterDialog)),
        ("Tạo phiếu số liệu cho đơn vị…", "intake", show(IntakeDialog)),
        ("Nhận số liệu của đơn vị…", "import", show(ImportDialog)),
        ("Tình hình nộp số liệu…", "board", show(BoardDialog)),
    ]
    for text, name, slot in entries:
        action = QAction(text, menu)
        action.setObjectName(f"consolidation_{name}")
        action.triggered.connect(slot)
        menu.addAction(action)
    menu.addSeparator()
    action = QAction("Tổng hợp số liệu các đơn vị thành báo cáo", menu)
    action.setObjectName("consolidation_run")
    action.triggered.connect(lambda: consolidate_period(main_window))
    menu.addAction(action)


__all__ = ["populate_menu", "UnitRegisterDialog", "IntakeDialog", "ImportDialog", "BoardDialog",
           "consolidate_period"]
