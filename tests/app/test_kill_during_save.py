"""A save killed at any instant leaves the old or the new file, a `.bak`, and — after the next
start — no temporary file; a stale lock of a killed writer does not block the next one."""

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from app.files import lock_path, locked
from app.recovery import clean_at_start
from app.sample import sample_report
from app.storage import load_report, save_report

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

WRITER = textwrap.dedent("""
    import sys
    from app.sample import sample_report
    from app.storage import atomic_write, dump_report

    r = sample_report()
    for i in range(60):  # ~15 MB: writing takes most of the loop, so the kill lands mid-write
        r.narrative[f"phan_{i}"] = "Nội dung dài. " * 14_000
    data = dump_report(r).encode("utf-8")  # what save_report writes
    print("ready", flush=True)
    while True:
        atomic_write(sys.argv[1], data)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kill_during_save_leaves_a_whole_file_a_bak_and_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))
    target = tmp_path / "bc.cchc.json"
    save_report(sample_report(), target)
    save_report(sample_report(), target)  # now there is a .bak
    rng = random.Random(11)
    leftovers_seen = 0
    for _ in range(12):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], cwd=ROOT,
                                 stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": ROOT})
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        leftovers_seen += len([p for p in tmp_path.iterdir() if ".tmp" in p.name])
        assert load_report(target).unit.name  # the old or the new file, never a broken one
        assert (tmp_path / "bc.cchc.json.bak").is_file()
        json.loads((tmp_path / "bc.cchc.json.bak").read_text("utf-8"))
        clean_at_start([str(target)])  # the next start
        names = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
        assert names == ["bc.cchc.json", "bc.cchc.json.bak"], names
    assert leftovers_seen > 0  # the kills did land mid-save: the cleaning was needed


def test_a_lock_left_by_a_killed_writer_is_taken_over(tmp_path):
    target = tmp_path / "bc.docx"
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    lock_path(target).write_text(str(child.pid))  # its owner is gone
    t0 = time.monotonic()
    with locked([target], wait_s=5):
        assert lock_path(target).read_text() == str(os.getpid())
    assert time.monotonic() - t0 < 1 and not lock_path(target).exists()


def test_a_lock_held_by_a_running_writer_makes_the_next_one_wait_then_refuses(tmp_path):
    from app.files import FileBusy

    target = tmp_path / "bc.docx"
    with locked([target]):
        with pytest.raises(FileBusy, match="chương trình khác đang ghi"):
            with locked([target], wait_s=0.2):
                pass


def test_two_exports_to_the_same_targets_give_word_and_annex_of_one_report(tmp_path):
    import threading

    import docx
    import openpyxl

    from app.export import export_report

    def report(name):
        r = sample_report()
        r.unit.name = name
        return r

    docx_path, xlsx_path = tmp_path / "bc.docx", tmp_path / "pl.xlsx"
    for _ in range(3):
        errors = []

        def run(name, errors=errors):
            try:
                export_report(report(name), docx_path, xlsx_path, draft=True)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(n,)) for n in
                   ("Ủy ban nhân dân tỉnh Alpha", "Ủy ban nhân dân tỉnh Beta")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        text = "\n".join(p.text for p in docx.Document(docx_path).paragraphs).upper()
        wb = openpyxl.load_workbook(xlsx_path, read_only=True)
        cells = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True)
                         for c in row if c).upper()
        wb.close()
        in_word = {n for n in ("ALPHA", "BETA") if n in text}
        in_annex = {n for n in ("ALPHA", "BETA") if n in cells}
        assert len(in_word) == 1 and in_word == in_annex, (in_word, in_annex)
        assert not list(tmp_path.glob(".*.lock")) and not list(tmp_path.glob(".*.tmp*"))
