"""Retake the chart pictures of the README: the annex chart sheet and a report page with a figure
(both rendered by LibreOffice, as a Vietnamese user sees them), and the window's "Biểu đồ" page
and completeness board at 1366×768.

    QT_QPA_PLATFORM=xcb xvfb-run -a -s '-screen 0 1366x768x24' python3 tools/chart_pictures.py

Needs LibreOffice (soffice) and pdftoppm. Settings, the history store and drafts go to a
temporary folder, so the user's own are not touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DOCS = ROOT / "docs"

DEPARTMENTS = [
    ("Sở Tư pháp", 4900, 3000, 1850), ("Sở Xây dựng", 2600, 1200, 1210),
    ("Sở Tài chính", 1800, 900, 880), ("Sở Nội vụ", 950, 500, 447),
    ("Sở Y tế", 3100, 2000, 1085), ("Sở Giáo dục và Đào tạo", 1200, 700, 489),
    ("Sở Công Thương", 5200, 3100, 2050), ("Sở Nông nghiệp và Môi trường", 6100, 3000, 2800),
    ("Sở Văn hóa, Thể thao và Du lịch", 800, 450, 349), ("Sở Khoa học và Công nghệ", 400, 200, 196),
]


def consolidated(year: int):
    from app.intake import Submission
    from app.model import Unit
    from app.sample import sample_report

    report = sample_report(year)
    report.sources = [
        Submission(Unit(n, f"S{i}", "so_nganh"), report.period,
                   {"ho_so_da_giai_quyet": d, "ho_so_truoc_han": e, "ho_so_dung_han": o}, "", None)
        for i, (n, d, e, o) in enumerate(DEPARTMENTS)]
    report.sources.append(Submission(Unit("Sở Dân tộc và Tôn giáo", "SDT", "so_nganh"),
                                     report.period, {"vbqppl_ban_hanh": 1}, "", None))
    return report


def previous_of(report, share: float):
    from app.sample import sample_report

    old = sample_report(report.period.year - 1)
    old.values = {k: (round(v * share) if isinstance(v, int) else v)
                  for k, v in old.values.items()}
    # earlier years: fewer dossiers online and a little fewer resolved on time
    for key, factor in (("ho_so_truc_tuyen", share), ("ho_so_dung_han", 0.985 + share / 100)):
        old.values[key] = round(old.values[key] * factor)
    return old


def libreoffice_page(src: Path, page: int, out: Path, tmp: Path) -> None:
    profile = tmp / f"lo-{src.stem}"
    env = dict(os.environ, LC_ALL="vi_VN.UTF-8")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--norestore", "--convert-to", "pdf", "--outdir", str(tmp), str(src)],
                   check=True, env=env, capture_output=True, timeout=180)
    pdf = tmp / (src.stem + ".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(out.with_suffix(""))], check=True)


def page_of(pdf_text: str, needle: str) -> int:
    pages = pdf_text.split("\f")
    return next(i for i, p in enumerate(pages, start=1) if needle in p)


def documents(tmp: Path) -> None:
    from app.export.annex import write_annex
    from app.export.word import render_docx

    report = consolidated(2025)
    previous = previous_of(report, 0.85)
    xlsx = tmp / "phu_luc.xlsx"
    write_annex(report, xlsx, previous=previous, draft=True)
    tpl_path = ROOT / "report_templates" / "voi_bieu_do"  # the built-in template with figures
    docx = tmp / "bao_cao.docx"
    render_docx(report, docx, template=tpl_path, previous=previous, draft=True)
    for src, needle, out in ((xlsx, "Biểu đồ 1.", DOCS / "annex-chart.png"),
                             (docx, "Biểu đồ 1.", DOCS / "report-figure.png")):
        libreoffice_page(src, 1, out, tmp)  # converts; the page is chosen below
        text = subprocess.run(["pdftotext", str(tmp / (src.stem + ".pdf")), "-"],
                              capture_output=True, text=True, check=True).stdout
        libreoffice_page(src, page_of(text, needle), out, tmp)
        print(f"Đã ghi ảnh: {out}")


def window_pictures() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.history import History
    from ui.app import create_window

    report = consolidated(2025)
    with History() as h:
        for year, share in ((2022, 0.62), (2023, 0.74), (2024, 0.85)):
            h.save_report(previous_of(consolidated(year + 1), share))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = create_window(None)
    window.open_report(report, previous=previous_of(report, 0.85))
    window.resize(1366, 768)
    window.show()
    window.navigator.setCurrentRow(window.chart_row)

    def shoot() -> None:
        window.grab().save(str(DOCS / "chart-page.png"))
        print(f"Đã ghi ảnh: {DOCS / 'chart-page.png'}")
        window.shutdown()
        app.quit()

    QTimer.singleShot(600, shoot)
    app.exec()


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="cchc-charts-"))
    os.environ.setdefault("CCHC_CONFIG_DIR", str(tmp / "config"))
    os.environ.setdefault("CCHC_DATA_DIR", str(tmp / "data"))
    documents(tmp)
    window_pictures()
    return 0


if __name__ == "__main__":
    sys.exit(main())
