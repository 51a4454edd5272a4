"""The command line contract: exit codes, one-line errors, nothing written when blocked."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.sample import sample_report
from app.storage import save_report

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_sample_then_validate_is_clean(tmp_path):
    out = tmp_path / "s.cchc.json"
    assert main(["sample", "--out", str(out)]) == 0
    assert json.loads(out.read_text("utf-8"))["format"] == "cchc-report"
    assert main(["validate", str(out)]) == 0


def test_validate_lists_findings_and_exits_1_on_errors(tmp_path, capsys):
    r = sample_report()
    r.set_value("vbqppl_kien_nghi_bai_bo", 1700)
    path = tmp_path / "bad.cchc.json"
    save_report(r, path)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "R04 [Lỗi]" in out and "(1.700)" in out and "(1.675)" in out


def test_export_blocked_by_an_error_writes_nothing(tmp_path, capsys):
    r = sample_report()
    r.set_value("vbqppl_kien_nghi_bai_bo", 1700)
    path = tmp_path / "bad.cchc.json"
    save_report(r, path)
    docx, xlsx = tmp_path / "r.docx", tmp_path / "r.xlsx"
    assert main(["export", str(path), "--docx", str(docx), "--xlsx", str(xlsx)]) == 1
    err = capsys.readouterr().err
    assert "R04" in err and "1.700" in err and "Số văn bản kiến nghị bãi bỏ".lower()[:10] in err.lower()
    assert not docx.exists() and not xlsx.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.cchc.json"]


def test_draft_export_goes_through_despite_errors(tmp_path):
    r = sample_report()
    r.set_value("vbqppl_kien_nghi_bai_bo", 1700)
    path = tmp_path / "bad.cchc.json"
    save_report(r, path)
    docx = tmp_path / "r.docx"
    assert main(["export", str(path), "--docx", str(docx), "--draft"]) == 0
    from docx import Document

    header = Document(str(docx)).sections[0].first_page_header
    assert "DỰ THẢO" in "\n".join(p.text for p in header.paragraphs)


@pytest.mark.parametrize("content", ["{broken", '{"format": "cchc-report", "format_version": 9}'])
def test_malformed_input_exits_2_with_one_line_and_no_traceback(tmp_path, content):
    path = tmp_path / "x.cchc.json"
    path.write_text(content, encoding="utf-8")
    for cmd in (["validate", str(path)], ["export", str(path), "--docx", str(tmp_path / "o.docx")]):
        proc = run(*cmd)
        assert proc.returncode == 2
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in proc.stderr
    assert not (tmp_path / "o.docx").exists()


def test_bad_usage_exits_2(tmp_path):
    proc = run("export", str(tmp_path / "missing.cchc.json"), "--docx", str(tmp_path / "o.docx"))
    assert proc.returncode == 2 and "không tìm thấy" in proc.stderr
    proc = run("validate")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_an_existing_export_is_overwritten_only_with_overwrite(tmp_path, capsys):
    path = tmp_path / "s.cchc"
    save_report(sample_report(), path)
    docx = tmp_path / "r.docx"
    docx.write_bytes(b"earlier")
    assert main(["export", str(path), "--docx", str(docx)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "tệp đã có" in err[0] and "--overwrite" in err[0]
    assert docx.read_bytes() == b"earlier"
    assert main(["export", str(path), "--docx", str(docx), "--overwrite"]) == 0
    assert docx.read_bytes()[:2] == b"PK"
