"""Take the README screenshot: the main window at 1366×768 with the sample report open, compared
with an illustrative report of the year before (the sample's counts less 8 %).

    QT_QPA_PLATFORM=xcb xvfb-run -a -s '-screen 0 1366x768x24' python3 tools/screenshot.py [OUT.png]

Settings and drafts go to a temporary folder, so the user's own are not touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png"
    tmp = tempfile.mkdtemp(prefix="cchc-shot-")
    os.environ.setdefault("CCHC_CONFIG_DIR", str(Path(tmp) / "config"))
    os.environ.setdefault("CCHC_DATA_DIR", str(Path(tmp) / "data"))

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.catalog import load_catalog
    from app.sample import sample_report
    from ui.app import create_window

    app = QApplication(sys.argv[:1])
    window = create_window(None)
    report = sample_report()
    previous = sample_report(report.period.year - 1)
    cat = load_catalog()
    for key, value in previous.values.items():
        if cat.indicators[key].unit == "count":
            previous.values[key] = round(value * 0.92)
    # the indices of the year before as this report states them (P02 compares the two)
    for index in ("par", "sipas", "papi", "pci"):
        previous.values[f"cs_{index}_xep_hang"] = report.values[f"cs_{index}_xep_hang_ky_truoc"]
    previous.values["cs_par_diem"] = report.values["cs_par_diem_ky_truoc"]
    window.open_report(report, previous=previous)
    window.resize(1366, 768)
    window.show()
    window.navigator.setCurrentRow(3)  # administrative procedures: the most figures and findings

    def shoot() -> None:
        window.grab().save(str(out))
        window.shutdown()
        app.quit()

    QTimer.singleShot(500, shoot)
    app.exec()
    print(f"Đã ghi ảnh: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
