"""PDF export: PDF/A-2b with fonts embedded, signature fields found in the rendered PDF where
Nghị định 30 places them, the converter found or a clear line saying what to install."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import needs_converter

from app.cli import main
from app.pdf import AGENCY_FIELD, MM, SIGNER_FIELD, PdfError
from app.pdf.convert import INSTALL_HINT, Converter, convert_to_pdf, find_converter
from app.pdf.fields import DEFAULT_SEAL_MM, field_boxes, page_lines


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


@needs_converter
def test_report_pdf_is_pdfa_2b_with_every_font_embedded(exported):
    data = exported["pdf"].read_bytes()
    assert b"<pdfaid:part>2</pdfaid:part>" in data and b"<pdfaid:conformance>B" in data
    if shutil.which("pdffonts"):
        out = subprocess.run(["pdffonts", str(exported["pdf"])], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
        assert out
        assert all(line.split()[-5] == "yes" for line in out), out  # the "emb" column


@needs_converter
def test_signer_box_lies_between_position_and_name_and_seal_over_its_left_third(exported):
    signer = exported["report"].document.signer
    fields = field_boxes(exported["pdf"])
    (page, box), (seal_page, seal) = fields[SIGNER_FIELD], fields[AGENCY_FIELD]
    pages = page_lines(exported["pdf"].read_bytes())
    assert page == seal_page == len(pages) - 1  # the signature block is on the last page
    lines = pages[page][1]
    position = next(ln.box for ln in lines if ln.text == signer.position.splitlines()[-1])
    name = next(ln.box for ln in lines if ln.text == signer.name)
    # between the position line and the name, over the block's column
    assert name[3] <= box[1] < box[3] <= position[1]
    assert box[3] - box[1] > 15 * MM  # room for a handwritten signature
    assert box[0] <= name[0] and name[2] <= box[2]
    # the seal overlaps the signer's box, within its left third, and sticks out to the left
    width = box[2] - box[0]
    assert seal[0] < box[0] < seal[2] <= box[0] + width / 3 + 0.5
    assert _overlap(seal, (box[0], box[1], box[0] + width / 3, box[3])) > 0
    assert not _overlap(seal, (box[0] + width / 3 + 0.5, box[1], box[2], box[3]))
    # the seal's real size fits in the box (width at least the seal's diameter)
    assert seal[2] - seal[0] >= DEFAULT_SEAL_MM * MM - 0.5
    assert seal[3] - seal[1] >= DEFAULT_SEAL_MM * MM - 0.5


@needs_converter
def test_annex_has_the_agency_field_at_the_top_right_of_its_first_page(exported):
    fields = field_boxes(exported["annex"])
    assert set(fields) == {AGENCY_FIELD}
    page, box = fields[AGENCY_FIELD]
    media, lines = page_lines(exported["annex"].read_bytes())[0]
    assert page == 0 and media[2] > media[3]  # A4 landscape
    assert box[0] > media[2] / 2 and box[1] > media[3] * 0.8  # top right
    assert media[2] - box[2] < 20 * MM and media[3] - box[3] < 15 * MM
    assert not [ln.text for ln in lines if _overlap(ln.box, box)]  # covers no text


@needs_converter
def test_export_command_writes_both_pdfs(tmp_path, capsys):
    report = tmp_path / "bc.cchc.json"
    assert main(["sample", "--out", str(report)]) == 0
    out, annex = tmp_path / "bao cáo.pdf", tmp_path / "phụ lục.pdf"
    assert main(["export", str(report), "--pdf", str(out), "--annex-pdf", str(annex)]) == 0
    assert out.read_bytes().startswith(b"%PDF") and annex.read_bytes().startswith(b"%PDF")
    assert set(field_boxes(out)) == {SIGNER_FIELD, AGENCY_FIELD}
    assert f"Đã ghi: {out}" in capsys.readouterr().out
    # no temporary files left beside the outputs ("data": the user's data folder of the tests)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name not in ("data", "config")) == sorted(
        ["bc.cchc.json", "bao cáo.pdf", "phụ lục.pdf"])


def test_without_libreoffice_or_word_one_line_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CCHC_SOFFICE", "")
    assert find_converter(platform="linux") is None
    report = tmp_path / "bc.cchc.json"
    assert main(["sample", "--out", str(report)]) == 0
    capsys.readouterr()
    assert main(["export", str(report), "--pdf", str(tmp_path / "bc.pdf")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"Lỗi: {INSTALL_HINT}" and "LibreOffice" in err
    assert not (tmp_path / "bc.pdf").exists()


def test_libreoffice_is_found_in_its_usual_windows_folder(tmp_path):
    program = tmp_path / "Program Files" / "LibreOffice" / "program"
    program.mkdir(parents=True)
    (program / "soffice.exe").write_bytes(b"MZ")
    env = {"ProgramFiles": str(tmp_path / "Program Files"), "PATH": str(tmp_path / "empty")}
    found = find_converter(env=env, platform="win32")
    assert found == Converter("libreoffice", str(program / "soffice.exe"))


@pytest.mark.skipif(sys.platform.startswith("win"), reason="a shell script stands in for soffice")
def test_a_converter_that_hangs_is_stopped_at_the_time_limit(tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(0o755)
    src = tmp_path / "bc.docx"
    src.write_bytes(b"PK")
    with pytest.raises(PdfError) as caught:
        convert_to_pdf(src, tmp_path / "bc.pdf", Converter("libreoffice", str(fake)),
                       time_limit=1)
    assert "trong 1 giây" in str(caught.value) and "bc.docx" in str(caught.value)
    assert not (tmp_path / "bc.pdf").exists()


def test_office_automation_is_the_fallback_on_windows_without_libreoffice(tmp_path, monkeypatch):
    from app.pdf import convert

    monkeypatch.setattr(convert, "_office_installed", lambda: True)
    env = {"ProgramFiles": str(tmp_path / "none"), "PATH": str(tmp_path / "empty")}
    found = find_converter(env=env, platform="win32")
    assert found is not None and found.kind == "office" and found.title == "Microsoft Office"
    monkeypatch.setattr(convert, "_office_installed", lambda: False)
    assert find_converter(env=env, platform="win32") is None


@needs_converter
def test_a_report_without_signer_name_or_block_says_where_signatures_cannot_go(exported):
    from app.pdf.fields import place_report

    data = exported["pdf"].read_bytes()
    with pytest.raises(PdfError, match="chưa có chức vụ hoặc họ tên người ký"):
        place_report(data, "PHÓ CHỦ TỊCH", "")
    with pytest.raises(PdfError, match="Không tìm thấy khối chữ ký .*Trần Văn Khác"):
        place_report(data, "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "Trần Văn Khác")
