"""Export with three Word figures against the same export without any (budget: ≤ 1.5 ×), and
the cost of the annex charts. Medians, in process, imports warmed first (matplotlib's import is
printed apart: an editor session pays it once, at its first export with a figure).

Run: python benchmarks/bench_figures.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import median_ms  # noqa: E402

from app.export import export_report  # noqa: E402
from app.export.figures import forget_pictures, pictures_for, prestart_drawing  # noqa: E402
from app.export.word import prestart_render  # noqa: E402
from app.intake import Submission  # noqa: E402
from app.model import Unit  # noqa: E402
from app.sample import sample_report  # noqa: E402
from app.storage import save_report  # noqa: E402


def interleaved_after(makers, repeat: int) -> list[float]:
    """Medians (ms) of several runs taken in turn (a busy moment of the shared machine slows all
    of them alike); each run prepares untimed, then returns its own timed part in ms."""
    times: list[list[float]] = [[] for _ in makers]
    for _ in range(repeat):
        for i, run in enumerate(makers):
            times[i].append(run())
    return [statistics.median(t) for t in times]


def consolidated_report():
    report = sample_report(2025)
    report.sources = [
        Submission(Unit(f"Sở số {i}", f"S{i}", "so_nganh"), report.period,
                   {"ho_so_da_giai_quyet": 1000 + 37 * i, "ho_so_truoc_han": 600 + 11 * i,
                    "ho_so_dung_han": 380 + 5 * i} if i % 9 else {}, "", None)
        for i in range(1, 31)]
    previous = sample_report(2024)
    previous.values = {k: (int(v * 0.85) if isinstance(v, int) else v)
                       for k, v in previous.values.items()}
    return report, previous


def main() -> None:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from matplotlib.figure import Figure"], check=True)
    print(f"matplotlib import, fresh process (paid once, at the first figure): "
          f"{(time.perf_counter() - t) * 1000:.0f} ms including interpreter start")
    report, previous = consolidated_report()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["CCHC_DATA_DIR"] = str(tmp / "data")  # its own picture cache
        # the built-in template with figures is the default one plus three figure fields
        with_figures = ROOT / "report_templates" / "voi_bieu_do"
        docx, xlsx = tmp / "r.docx", tmp / "r.xlsx"

        def plain():
            export_report(report, docx=docx, xlsx=xlsx, previous=previous, draft=True)

        def figures():
            export_report(report, docx=docx, xlsx=xlsx, previous=previous, draft=True,
                          template=with_figures)

        def timed(fn) -> float:
            t = time.perf_counter()
            fn()
            return (time.perf_counter() - t) * 1000

        def from_window(fn, template=None, choose_s=1.5, anew=False):
            """As the editor and its export window do: the editor keeps a drawing child ready
            when the last export's template has figures (a moment after it opens, and after each
            export); the window opens, starts the render child and draws the chosen template's
            figures (`pictures_for`) while the user chooses; "Xuất" after `choose_s` (not
            timed). `anew`: no picture kept from earlier (the data has changed)."""
            def run():
                if anew:
                    forget_pictures()
                if template is not None:
                    prestart_drawing(template / "bao_cao.docx")
                    time.sleep(1.0)  # the editor's spare, started well before
                prestart_render()
                if template is not None:
                    threading.Thread(target=pictures_for,
                                     args=(report, previous, template / "bao_cao.docx"),
                                     daemon=True).start()
                time.sleep(choose_s)
                return timed(fn)
            return run

        def drawn_inside(fn):
            """The pictures drawn inside the export: nothing kept, nothing drawn ahead (only the
            children started, as `python -m app export` starts them while it reads the files)."""
            def run():
                forget_pictures()
                prestart_render(with_figures)
                time.sleep(3.0)
                return timed(fn)
            return run

        plain()
        figures()  # warm every import
        base, window, quick, at_once, inside, again = interleaved_after((
            from_window(plain), from_window(figures, with_figures, anew=True),
            from_window(figures, with_figures, choose_s=0.7, anew=True),
            from_window(figures, with_figures, choose_s=0.2, anew=True),
            drawn_inside(figures), from_window(figures, with_figures)), 15)
        print(f"export Word + Excel (annex with 3 charts), template without figures: "
              f"median {base:.0f} ms")
        print(f"export with 3 new figures from the export window (drawn while the user chooses, "
              f"1.5 s): median {window:.0f} ms = {window / base:.2f} × (budget 1.5 ×)")
        print(f"  \"Xuất\" clicked 0.7 s after the window opened: median {quick:.0f} ms "
              f"= {quick / base:.2f} ×")
        print(f"  \"Xuất\" clicked 0.2 s after the window opened (the export waits for the "
              f"drawing under way): median {at_once:.0f} ms = {at_once / base:.2f} ×")
        print(f"  the 3 figures drawn inside the export (nothing ahead): median {inside:.0f} ms "
              f"= {inside / base:.2f} ×")
        print(f"export again, figures unchanged (kept pictures): median {again:.0f} ms "
              f"= {again / base:.2f} ×")

        # the whole command, in a fresh process: interpreter, imports, children and all
        save_report(report, tmp / "bc.cchc.json")
        save_report(previous, tmp / "truoc.cchc.json")
        cmd = [sys.executable, "-m", "app", "export", str(tmp / "bc.cchc.json"), "--previous",
               str(tmp / "truoc.cchc.json"), "--docx", str(docx), "--xlsx", str(xlsx),
               "--draft", "--overwrite"]

        def command(extra, anew=False):
            def run():
                if anew:
                    forget_pictures()
                return timed(lambda: subprocess.run(
                    cmd + extra, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL))
            return run

        figs = ["--template", str(with_figures)]
        p, f_new, f_kept = interleaved_after(
            (command([]), command(figs, anew=True), command(figs)), 7)
        print(f"`python -m app export` (whole process): {p:.0f} ms without figures; with 3 "
              f"figures {f_new:.0f} ms drawn anew = {f_new / p:.2f} ×, {f_kept:.0f} ms when "
              f"drawn by an earlier export (disk cache) = {f_kept / p:.2f} ×")
        import app.export.annex_charts as charts
        from app.export.annex import write_annex
        from app.export.annex_charts import add_chart_sheets

        x1 = median_ms(lambda: write_annex(report, xlsx, previous=previous), 11)
        saved = charts.add_chart_sheets
        charts.add_chart_sheets = lambda *a, **k: []
        try:
            x0 = median_ms(lambda: write_annex(report, xlsx, previous=previous), 11)
        finally:
            charts.add_chart_sheets = saved
        assert add_chart_sheets is saved
        print(f"annex alone: {x1:.0f} ms with its 3 chart sheets, {x0:.0f} ms without")


if __name__ == "__main__":
    main()
