"""The command line writes UTF-8 whatever the console: a Windows program whose output is redirected
or piped encodes it in the ANSI code page (cp1258 on Vietnamese Windows, cp1252 on a build server),
which PYTHONIOENCODING reproduces here."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_with_console_encoding(encoding: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    env.pop("PYTHONUTF8", None)
    run = subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, capture_output=True,
                         env=env, timeout=120)
    # Windows ends printed lines with CRLF: the same text either way
    run.stdout, run.stderr = (b.replace(b"\r\n", b"\n") for b in (run.stdout, run.stderr))
    return run


@pytest.mark.parametrize("encoding", ["cp1258", "cp1252"])
def test_sample_validate_and_export_print_vietnamese_through_a_code_page_console(tmp_path, encoding):
    folder = tmp_path / "Thư mục Nguyễn"
    folder.mkdir()
    report = folder / "mẫu.cchc.json"

    sample = run_with_console_encoding(encoding, "sample", "--out", str(report))
    assert sample.returncode == 0, sample.stderr.decode("utf-8", "replace")
    assert sample.stdout.decode("utf-8") == f"Đã ghi báo cáo mẫu: {report}\n"
    assert json.loads(report.read_text("utf-8"))["format"] == "cchc-report"

    validate = run_with_console_encoding(encoding, "validate", str(report))
    assert validate.returncode == 0, validate.stderr.decode("utf-8", "replace")
    assert "Tổng cộng: 0 lỗi" in validate.stdout.decode("utf-8")

    docx = folder / "báo cáo.docx"
    export = run_with_console_encoding(encoding, "export", str(report), "--docx", str(docx))
    assert export.returncode == 0, export.stderr.decode("utf-8", "replace")
    assert export.stdout.decode("utf-8") == f"Đã ghi: {docx}\n"
    assert docx.stat().st_size > 0


@pytest.mark.parametrize("encoding", ["cp1258", "cp1252"])
def test_a_refused_input_is_one_vietnamese_line_on_stderr_through_a_code_page_console(
        tmp_path, encoding):
    missing = tmp_path / "không có.cchc.json"
    run = run_with_console_encoding(encoding, "validate", str(missing))
    assert run.returncode == 2
    assert run.stdout == b""
    lines = run.stderr.decode("utf-8").splitlines()
    assert lines == [f"Lỗi: {missing}: không tìm thấy tệp."]
