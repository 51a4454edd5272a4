"""The hostile-template corpus (tests/hostile_templates.py) through the command line, as an
administrator would meet it: every case ends within 12 s, the whole process tree stays under
400 MB, the answer is Vietnamese with the reason, exit 1 (problems) or 2 (unusable file), and
no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hostile_templates import CASES, build_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MAX_SECONDS = 12.0
MAX_TREE_MB = 400


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("doc-hai")
    report = folder / "bao_cao.cchc"
    subprocess.run([sys.executable, "-m", "app", "sample", "--out", str(report)], cwd=ROOT,
                   check=True, capture_output=True)
    return folder, report, {case.name: path for case, path in build_corpus(folder)}


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def _peak_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(args: list[str]) -> tuple[int, str, float, float]:
    """Run the command line; (exit code, output, seconds, peak MB of the process tree — the sum
    of each process's own peak, an upper bound)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "app", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peaks: dict[int, int] = {}
    while proc.poll() is None:
        if sys.platform.startswith("linux"):
            for pid in _tree(proc.pid):
                peaks[pid] = max(peaks.get(pid, 0), _peak_kb(pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    out = proc.stdout.read().decode("utf-8", "replace")
    return proc.returncode, out, seconds, sum(peaks.values()) / 1024


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_template(corpus, case, tmp_path):
    _folder, report, paths = corpus
    path = paths[case.name]
    if case.command == "check":
        args = ["template", "check", str(path)]
    else:
        args = ["export", str(report), "--docx", str(tmp_path / "ra.docx"), "--template", str(path)]
        if case.command == "draft":
            args.append("--draft")
    code, out, seconds, tree_mb = run_measured(args)
    assert code == case.exit_code, out
    assert seconds <= MAX_SECONDS, f"{seconds:.1f} s"
    assert tree_mb <= MAX_TREE_MB, f"{tree_mb:.0f} MB"
    assert "Traceback" not in out and "Error" not in out, out
    reason = [line for line in out.splitlines() if case.phrase in line]
    assert len(reason) == 1, out  # one line says why
    if case.command != "check":
        assert not (tmp_path / "ra.docx").exists()  # nothing written
        assert not list(tmp_path.glob(".~*"))  # no temporary file left


def test_misspelled_field_named_by_check_and_export_final_refused_draft_written(corpus, tmp_path):
    _folder, report, paths = corpus
    path = paths["sai_ten_truong"]
    code, out, _s, _mb = run_measured(["template", "check", str(path)])
    assert code == 1
    line = next(ln for ln in out.splitlines() if "vbqppl_ban_hanhh" in ln)
    assert line.startswith("[lỗi] đoạn ") and "Có phải ý bạn là “vbqppl_ban_hanh”" in line

    target = tmp_path / "bao_cao.docx"
    code, out, _s, _mb = run_measured(["export", str(report), "--docx", str(target),
                                       "--template", str(path)])
    assert code == 1 and not target.exists()
    assert "--draft" in out and "đoạn " in out and "“vbqppl_ban_hanh”" in out

    code, out, _s, _mb = run_measured(["export", str(report), "--docx", str(target),
                                       "--template", str(path), "--draft"])
    assert code == 0 and target.is_file(), out
    assert "Lưu ý (mẫu): [lỗi]" in out and "vbqppl_ban_hanhh" in out
    from docx import Document

    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "Trong kỳ đã ban hành … văn bản." in text  # the hole shows, it does not vanish


def test_macros_never_reach_a_report(corpus, tmp_path):
    import zipfile

    _folder, report, paths = corpus
    target = tmp_path / "bao_cao.docx"
    code, _out, _s, _mb = run_measured(["export", str(report), "--docx", str(target),
                                        "--template", str(paths["macro_vba"]), "--draft"])
    assert code == 2 and not target.exists()
    with zipfile.ZipFile(paths["macro_vba"]) as z:  # the corpus really holds a macro part
        assert "word/vbaProject.bin" in z.namelist()
