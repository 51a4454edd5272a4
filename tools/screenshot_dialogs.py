"""Take the screenshots of docs/: the first-run dialog of a Sở Nội vụ, the editor with a new
report whose document details are still missing (the issues panel says what), and the window
that receives the units' submissions (one row per file, reasons as a list).

    QT_QPA_PLATFORM=xcb xvfb-run -a -s '-screen 0 1366x768x24' python3 tools/screenshot_dialogs.py

Settings, drafts and the history store go to a temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "ui"))  # qt_typing: types as a user does


def main() -> int:
    docs = ROOT / "docs"
    tmp = Path(tempfile.mkdtemp(prefix="cchc-shots-"))
    os.environ["CCHC_CONFIG_DIR"] = str(tmp / "config")
    os.environ["CCHC_DATA_DIR"] = str(tmp / "data")

    import openpyxl
    from PySide6.QtWidgets import QApplication
    from qt_typing import type_text

    from app.intake import DATA_SHEET, HEADER_ROW, write_intake
    from app.model import Period, Unit
    from app.settings import save_settings
    from app.units import RegisteredUnit, save_register
    from ui.app import create_window
    from ui.first_run import FirstRunDialog
    from ui.qt_vietnamese import install

    app = QApplication(sys.argv[:1])  # noqa: F841 - kept alive while the windows exist
    install()

    def settle(ms: int = 300) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    # 1. first run, as a Sở Nội vụ fills it in
    window = create_window(None)
    dialog = FirstRunDialog(window.settings, window)
    dialog.show()
    dialog.kind.setCurrentIndex(dialog.kind.findData("so"))
    type_text(dialog.province, "Ninh Bình")
    type_text(dialog.agency, "Sở Nội vụ")
    dialog.role.setCurrentIndex(dialog.role.findData("deputy"))
    type_text(dialog.signer, "Trần Thị Bình")
    settle()
    dialog.grab().save(str(docs / "first-run.png"))
    dialog.apply(window.settings)
    save_settings(window.settings)
    dialog.close()

    # 2. a new report: the issues panel lists what the document still lacks
    from app.services.drafting import default_report

    window.open_report(default_report(window.settings))
    window.resize(1366, 768)
    window.show()
    window.navigator.setCurrentRow(0)
    settle(500)
    window.grab().save(str(docs / "completeness.png"))

    # 3. receiving the units' submissions
    period = Period("nam", 2025)
    save_register([RegisteredUnit("Sở Tư pháp", "so_nganh", "STP"),
                   RegisteredUnit("Xã Gia Viễn", "xa", "X01"),
                   RegisteredUnit("Xã Nho Quan", "xa", "X02")])

    def form(name: str, unit: Unit, values: dict) -> str:
        path = write_intake(tmp / name, unit, period)
        wb = openpyxl.load_workbook(path)
        ws = wb[DATA_SHEET]
        rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
        for k, v in values.items():
            ws.cell(rows[k], 5).value = v
        wb.save(path)
        return str(path)

    files = [
        form("STP.xlsx", Unit("Sở Tư pháp", "STP", "so_nganh"),
             {"ho_so_da_giai_quyet": 200, "ho_so_truoc_han": 50, "ho_so_dung_han": 140,
              "ho_so_qua_han": 10}),
        form("X01.xlsx", Unit("Xã Gia Viễn", "X01", "xa"),
             {"ho_so_da_giai_quyet": 300, "ho_so_truoc_han": 100, "ho_so_dung_han": 170,
              "ho_so_qua_han": 30}),
        form("X02.xlsx", Unit("Xã Nho Quan", "X02", "xa"),
             {"ho_so_da_giai_quyet": "ba trăm", "ho_so_truoc_han": -4}),
    ]
    from ui.consolidation import ConsolidateDialog, ImportDialog

    imports = ImportDialog(window)
    imports.period.set_period(period)
    imports.show()
    done: list[bool] = []
    imports.finished_import.connect(lambda: done.append(True))
    imports.import_files(files)
    while not done:
        settle(100)
    imports.import_files(files[2:])  # sent again: still one row for the file
    done.clear()
    while not done:
        settle(100)
    settle()
    imports.grab().save(str(docs / "consolidation-import.png"))
    consolidate = ConsolidateDialog(window)
    consolidate.period.set_period(period)
    consolidate.show()
    settle()
    consolidate.grab().save(str(docs / "consolidation-run.png"))
    window.shutdown()
    print("Đã ghi ảnh vào", docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
