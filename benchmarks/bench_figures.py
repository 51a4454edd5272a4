"""Export with three Word figures against the same export without any (budget: ≤ 1.5 ×), and
the cost of the annex charts. Medians, in process, imports warmed first (matplotlib's import is
printed apart: an editor session pays it once, at its first export with a figure).

Run: python benchmarks/bench_figures.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timing import median_ms  # noqa: E402

from app.export import export_report  # noqa: E402
from app.export.figures import forget_pictures  # noqa: E402
from app.export.word import prestart_render  # noqa: E402
from app.intake import Submission  # noqa: E402
from app.model import Unit  # noqa: E402
from app.sample import sample_report  # noqa: E402
from app.storage import save_report  # noqa: E402


def interleaved_after(makers, repeat: int) -> list[float]:
    """Like `interleaved`, for runs that prepare untimed first: each run returns its own timed
    part, in milliseconds."""
    times: list[list[float]] = [[] for _ in makers]
    for _ in range(repeat):
        for i, run in enumerate(makers):
            times[i].append(run())
    return [statistics.median(t) for t in times]


def interleaved(fns, repeat: int) -> list[float]:
    """Medians (ms) of several functions run in turn, so that a busy moment of the shared
    machine slows all of them alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            times[i].append((time.perf_counter() - t) * 1000)
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
        # the built-in template with figures is the default one plus three figure fields
        with_figures = ROOT / "report_templates" / "voi_bieu_do"
        docx, xlsx = tmp / "r.docx", tmp / "r.xlsx"

        def plain():
            export_report(report, docx=docx, xlsx=xlsx, previous=previous, draft=True)

        def figures():
            export_report(report, docx=docx, xlsx=xlsx, previous=previous, draft=True,
                          template=with_figures)

        def new_figures():
            forget_pictures()  # as if the charts' figures had changed since last time
            figures()

        def ahead(fn, template=None):
            """As the export dialog (or an export command) does: the render child — and, for a
            template with figures, the drawing child — start first; the user then chooses
            (not timed), and the export finds them ready."""
            def run():
                prestart_render(template)
                time.sleep(3.0)
                t = time.perf_counter()
                fn()
                return (time.perf_counter() - t) * 1000
            return run

        plain()
        figures()  # warm every import
        a, b, c = interleaved_after((ahead(plain), ahead(new_figures, with_figures),
                                     ahead(figures, with_figures)), 9)
        print(f"export Word + Excel (annex with 3 charts), template without figures: "
              f"median {a:.0f} ms")
        print(f"export Word + Excel, template with 3 figures drawn anew: median {b:.0f} ms "
              f"= {b / a:.2f} × (budget 1.5 ×)")
        print(f"export again with the 3 figures unchanged (kept pictures): median {c:.0f} ms "
              f"= {c / a:.2f} ×")

        # the whole command, in a fresh process: interpreter, imports, children and all
        save_report(report, tmp / "bc.cchc.json")
        save_report(previous, tmp / "truoc.cchc.json")
        base = [sys.executable, "-m", "app", "export", str(tmp / "bc.cchc.json"), "--previous",
                str(tmp / "truoc.cchc.json"), "--docx", str(docx), "--xlsx", str(xlsx),
                "--draft", "--overwrite"]

        def command(extra):
            return lambda: subprocess.run(base + extra, cwd=ROOT, check=True,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        p, f = interleaved((command([]), command(["--template", str(with_figures)])), 7)
        print(f"`python -m app export` (whole process): {p:.0f} ms without figures, {f:.0f} ms "
              f"with 3 figures = {f / p:.2f} ×")
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
