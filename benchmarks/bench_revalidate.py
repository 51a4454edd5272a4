"""Re-validation after one edit: a figure changed in the full sample report (with the previous
year's report loaded), then validate() again — the core alone, and the whole round trip through
the editor window (undo command, model signal, validation, findings and derived values shown).

    QT_QPA_PLATFORM=offscreen python3 benchmarks/bench_revalidate.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from timing import median_ms  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_tmp = tempfile.mkdtemp()
os.environ.setdefault("CCHC_CONFIG_DIR", str(Path(_tmp) / "config"))
os.environ.setdefault("CCHC_DATA_DIR", str(Path(_tmp) / "data"))


def main() -> None:
    from app.sample import sample_report
    from app.validation import validate

    report, previous = sample_report(), sample_report()
    previous.period.year -= 1
    validate(report, previous)

    def core(i: int) -> None:
        report.set_value("vbqppl_kien_nghi_bai_bo", 43 if i % 2 else 1700)
        validate(report, previous)

    print(f"core: one edit + validate(report, previous): median {median_ms(core):.3f} ms")

    from PySide6.QtWidgets import QApplication

    from ui.app import create_window

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = create_window()
    window.open_report(sample_report(), previous=previous)
    window.show()
    app.processEvents()
    page = window.page_of["vbqppl_kien_nghi_bai_bo"]
    field = page.inputs["vbqppl_kien_nghi_bai_bo"]

    def typing(i: int) -> None:
        # what typing one character does: parse, push an undo command, revalidate, show
        text = "42" if i % 2 == 0 else "43"
        field.setText(text)
        field.textEdited.emit(text)

    def finding_comes_and_goes(i: int) -> None:
        # the worst case: each edit makes R04 appear or go, in place and in the issues panel
        text = "1.700" if i % 2 == 0 else "43"
        field.setText(text)
        field.textEdited.emit(text)

    print(f"window: one keystroke through undo stack, validation and display: "
          f"median {median_ms(typing, 200):.3f} ms")
    print(f"window: one keystroke that makes a finding appear or go (rows shown, hidden): "
          f"median {median_ms(finding_comes_and_goes, 200):.3f} ms")
    window.undo_stack.setClean()
    window.shutdown()


if __name__ == "__main__":
    main()
