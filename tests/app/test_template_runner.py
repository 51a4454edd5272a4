"""The child process that runs template work: hard limits, answers, and how it starts frozen."""

from __future__ import annotations

import ctypes
import os
import stat
import sys
import time
from pathlib import Path

import pytest

from app.export.word import TemplateRenderError
from app.templates import runner
from app.templates.runner import Limits, TemplateLimitError, run_limited

ROOT = Path(__file__).resolve().parents[2]


def test_the_child_returns_the_result():
    assert run_limited("os.path:join", "a", "b") == os.path.join("a", "b")


def test_a_user_error_in_the_child_arrives_as_it_is(tmp_path):
    from app.templates.lint import TemplateFileError

    with pytest.raises(TemplateFileError, match="không phải tệp Word"):
        run_limited("app.templates.package:scan_package", str(tmp_path / "khong_co.docx"))


def test_wall_time_stops_work_inside_a_c_call():
    start = time.perf_counter()
    with pytest.raises(TemplateLimitError, match="chạy quá 1 giây"):
        run_limited("time:sleep", 30, limits=Limits(wall_s=1.0))
    assert time.perf_counter() - start < 5


def test_memory_cap_stops_a_huge_allocation():
    with pytest.raises(TemplateLimitError, match="bộ nhớ"):
        run_limited("operator:mul", "a", 3 * 10**9)  # 3 GB of text in one C call


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX; Windows checks sizes")
def test_output_cap_stops_a_huge_file(tmp_path):
    target = tmp_path / "to.bin"
    target.write_bytes(b"")
    with pytest.raises(TemplateLimitError, match="lớn hơn 1 MB"):
        run_limited("os:truncate", str(target), 50 * 1024 * 1024, limits=Limits(output_mb=1))


def test_an_unexpected_failure_is_one_vietnamese_line():
    with pytest.raises(TemplateLimitError, match="ngoài dự kiến") as info:
        run_limited("operator:truediv", 1, 0)
    assert "ZeroDivisionError" not in str(info.value) and "Traceback" not in str(info.value)
    assert isinstance(info.value, TemplateRenderError)  # callers catch one family


def test_windows_job_limits_layout_and_values():
    info = runner._job_limits(Limits(wall_s=10, memory_mb=320))
    if ctypes.sizeof(ctypes.c_void_p) == 8:
        assert ctypes.sizeof(info) == 144  # JOBOBJECT_EXTENDED_LIMIT_INFORMATION on Win64
    assert info.ProcessMemoryLimit == 320 * 1024 * 1024
    flags = info.BasicLimitInformation.LimitFlags
    assert flags & runner.JOB_OBJECT_LIMIT_PROCESS_MEMORY
    assert flags & runner.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    assert info.BasicLimitInformation.ActiveProcessLimit == 1
    assert info.BasicLimitInformation.PerProcessUserTimeLimit == 12 * 10_000_000


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for cchc")
def test_frozen_program_starts_its_console_executable_as_the_child(tmp_path, monkeypatch):
    """Frozen, the child is the bundle's `cchc` with CHILD_FLAG first — what app/__main__.py
    (the bundle's entry script) hands to child_main()."""
    cchc = tmp_path / "cchc"
    cchc.write_text(f'#!/bin/sh\nexport PYTHONPATH="{ROOT}"\n'
                    f'[ "$1" = "{runner.CHILD_FLAG}" ] || exit 9\n'
                    f'exec "{sys.executable}" "{ROOT / "app" / "__main__.py"}" "$@"\n')
    cchc.chmod(cchc.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "BaoCaoCCHC"))
    command = runner.child_command("os.path:join", Limits())
    assert command[:2] == [str(cchc), runner.CHILD_FLAG]
    assert run_limited("os.path:join", "x", "y") == os.path.join("x", "y")


def test_a_child_that_fails_before_its_job_is_not_called_out_of_memory():
    """A child that dies of its own error (a traceback on stderr, exit 1: a broken installation)
    is reported as an unexpected failure, not as a template that used too much memory."""
    from app.templates.runner import _death_cause

    err = b'Traceback (most recent call last):\n  File "x.py", line 1\nSyntaxError: invalid syntax\n'
    text = _death_cause(1, err, Limits(), "mẫu “a.docx”")
    assert text.startswith("Mẫu “a.docx” gặp lỗi ngoài dự kiến") and "bộ nhớ" not in text
    oom = _death_cause(1, b"Traceback (most recent call last):\nMemoryError\n", Limits(), "mẫu")
    assert "bộ nhớ" in oom
