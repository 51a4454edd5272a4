"""End to end as a reader sees it: the exported report and annex opened by LibreOffice."""

import os
import re
import shutil
import subprocess

import pytest

from app.export import export_report
from app.sample import sample_report

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SOFFICE or not shutil.which("pdftotext"),
                       reason="LibreOffice and pdftotext are needed"),
]


def to_pdf(src, outdir, profile):
    env = dict(os.environ, LC_ALL="vi_VN.UTF-8" if src.suffix == ".xlsx" else os.environ.get("LC_ALL", "C.UTF-8"))
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(outdir), str(src)],
        check=True, capture_output=True, timeout=180, env=env,
    )
    pdf = outdir / (src.stem + ".pdf")
    assert pdf.exists()
    return pdf


def pdf_text(pdf):
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    return re.sub(r"\s+", " ", out)


def test_report_and_annex_render_with_vietnamese_figures(tmp_path):
    docx, xlsx = tmp_path / "bao-cao.docx", tmp_path / "phu-luc.xlsx"
    export_report(sample_report(), docx=docx, xlsx=xlsx)
    text = pdf_text(to_pdf(docx, tmp_path, tmp_path / "profile"))
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 412/BC-UBND",
        "Hà Nam, ngày 16 tháng 12 năm 2024", "BÁO CÁO",
        "ban hành 266 văn bản quy phạm pháp luật; kiểm tra 1.675 văn bản",
        "đạt tỷ lệ 97,37%", "1.876/1.936 thủ tục hành chính (96,9%)", "tăng 03 bậc",
        "186,5 tỷ đồng", "(Số liệu tính từ ngày 15/12/2023 đến ngày 14/12/2024)",
        "Nơi nhận:", "Nguyễn Văn An",
    ]:
        assert expected in text, expected
    pages = subprocess.run(["pdfinfo", str(tmp_path / "bao-cao.pdf")], capture_output=True,
                           text=True).stdout
    assert 2 <= int(re.search(r"Pages:\s+(\d+)", pages).group(1)) <= 8
    annex = pdf_text(to_pdf(xlsx, tmp_path, tmp_path / "profile"))
    assert "Phụ lục" in annex or "PHỤ LỤC" in annex
    assert "1.675" in annex
