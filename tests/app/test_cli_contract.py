"""The command-line contract for every kind of bad input: one Vietnamese line, exit 2; a bug
exits 3 naming a log file; nothing is taken for a file to open that is not one."""

import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main, wants_editor

ROOT = Path(__file__).resolve().parents[2]


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=env)


def test_an_unknown_command_is_a_usage_error_listing_the_commands():
    proc = run("frobnicate")
    assert proc.returncode == 2
    assert "“frobnicate” không phải là lệnh" in proc.stderr and "consolidate" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_report_files_open_the_editor_and_words_do_not(tmp_path):
    assert wants_editor([]) and wants_editor(["--terminate-after-init"])
    assert wants_editor(["bao-cao.cchc"]) and wants_editor(["cu.cchc.json"])
    assert not wants_editor(["frobnicate"]) and not wants_editor(["validate", "x.cchc"])
    assert not wants_editor(["--help"]) and not wants_editor(["--version"])


def test_help_is_in_vietnamese():
    proc = run("--help")
    assert proc.returncode == 0
    assert "Cách dùng:" in proc.stdout and "các lệnh" in proc.stdout
    assert "usage:" not in proc.stdout and "show this help" not in proc.stdout
    proc = run("export", "--help")
    assert "tệp Word (.docx) sẽ ghi" in proc.stdout and "options" not in proc.stdout


@pytest.mark.parametrize("argv, words", [
    (["validate"], "thiếu tham số bắt buộc"),
    (["export", "x.cchc", "--docx", "a.pdf"], "đuôi .docx"),
    (["export", "x.cchc", "--docx", "."], "là một thư mục"),
    (["sample", "--out", "."], "là một thư mục"),
    (["template"], "template check"),
    (["consolidate", "--out", "t.cchc.json"], "thiếu tham số bắt buộc"),
    (["intake", "--period", "quy_9", "--year", "2025", "--unit", "A", "--level", "xa",
      "--out", "a.xlsx"], "quy_9"),
])
def test_bad_usage_is_one_line_and_exit_2(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and err[0].startswith("Lỗi:")


def test_a_bug_exits_3_and_names_a_log_file(tmp_path, monkeypatch, capsys):
    import app.cli.report_commands as commands

    def broken(_args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(commands, "cmd_sample", broken)
    assert main(["sample", "--out", str(tmp_path / "s.cchc")]) == 3
    err = capsys.readouterr().err
    assert "Lỗi nội bộ" in err and "Traceback" not in err
    logs = list((tmp_path / "logs").glob("*.log"))
    assert len(logs) == 1 and "ZeroDivisionError" in logs[0].read_text("utf-8")
