"""Cold start: `python -m app --terminate-after-init` (whole process, builds and paints the main
window, then exits) against a bare PySide6 program that shows an empty QMainWindow and exits the
same way, run alternately, side by side. Prints the medians and the ratio (budget ≤ 1.5).

    python3 benchmarks/bench_startup.py [runs]

Like an installed program (pip compiles a wheel's modules, PyInstaller bundles them compiled), the
program runs from compiled bytecode: `app/` and `ui/` are compiled first, since this machine's
environment sets PYTHONDONTWRITEBYTECODE and would otherwise compile every module on every run.

Wall-clock times on a shared machine drift by ±15 %; when valgrind is installed the script also
counts the instructions each program executes (callgrind, one run each), a figure that does not
drift, and prints that ratio too.
"""

from __future__ import annotations

import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.resize(1366, 768)
w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def instructions(cmd: list[str], env: dict[str, str]) -> int | None:
    """Instructions executed by the whole process (valgrind's callgrind), or None without it."""
    if shutil.which("valgrind") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out",
             os.path.realpath(sys.executable), *cmd[1:]],
            cwd=ROOT, env=env, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found.group(1)) if done.returncode == 0 and found else None


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    for package in ("app", "ui"):
        compileall.compile_dir(ROOT / package, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, CCHC_CONFIG_DIR=str(Path(tmp) / "config"),
                   CCHC_DATA_DIR=str(Path(tmp) / "data"))
        # a 1920×1080 screen, on which both windows open at 1366×768 and paint the same area
        # (Qt's offscreen screen is 800×800, where the editor would open maximised)
        screen = Path(tmp) / "screen.json"
        screen.write_text('{"screens": [{"name": "s", "x": 0, "y": 0, "width": 1920, '
                          '"height": 1080, "logicalDpi": 96, "dpr": 1}]}', encoding="utf-8")
        env["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
        (Path(tmp) / "config").mkdir()
        (Path(tmp) / "config" / "settings.json").write_text("{}", encoding="utf-8")
        app_cmd = [sys.executable, "-m", "app", "--terminate-after-init"]
        bare_cmd = [sys.executable, "-c", BARE]
        timed(app_cmd, env), timed(bare_cmd, env)  # warm the file cache
        app_times, bare_times = [], []
        for _ in range(runs):
            app_times.append(timed(app_cmd, env))
            bare_times.append(timed(bare_cmd, env))
        app_ins, bare_ins = instructions(app_cmd, env), instructions(bare_cmd, env)
    a, b = statistics.median(app_times), statistics.median(bare_times)
    print(f"bare PySide6 empty QMainWindow: median {b * 1000:.0f} ms ({runs} runs)")
    print(f"python -m app --terminate-after-init: median {a * 1000:.0f} ms ({runs} runs)")
    print(f"ratio: {a / b:.2f} (budget ≤ 1.50)")
    if app_ins and bare_ins:
        print(f"instructions (callgrind): bare {bare_ins / 1e6:.0f} M, app {app_ins / 1e6:.0f} M, "
              f"ratio {app_ins / bare_ins:.2f}")


if __name__ == "__main__":
    main()
