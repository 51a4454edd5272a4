"""The "Biểu đồ" page and the chart beside the completeness board (QPainter, offscreen)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from filling import source

from app.sample import sample_report

UNITS = [
    source("Sở Tư pháp", "so_nganh", code="STP",
           values={"ho_so_da_giai_quyet": 4900, "ho_so_truoc_han": 3000, "ho_so_dung_han": 1850}),
    source("Xã An Bình", "xa", {"vbqppl_ban_hanh": 2}, code="XAB"),  # no dossier figures
    source("Sở Xây dựng", "so_nganh", code="SXD",
           values={"ho_so_da_giai_quyet": 100, "ho_so_truoc_han": 50, "ho_so_dung_han": 10}),
]


def _chart_page(window):
    window.navigator.setCurrentRow(window.chart_row)
    assert window.navigator.currentItem().text() == "Biểu đồ"
    return window.chart_page


def test_a_unit_that_did_not_report_gets_no_bar_but_its_reason(window, qtbot):
    report = sample_report(2025)
    report.sources = copy.deepcopy(UNITS)
    window.open_report(report)
    page = _chart_page(window)
    view = page.units_view
    view.resize(600, 320)
    view.layout_bars()
    chart = view.chart
    assert chart.categories == ("Sở Tư pháp", "Sở Xây dựng", "Xã An Bình", "Chung (3 đơn vị)")
    assert sorted(b.category for b in view.bars) == [0, 1, 3]  # none for Xã An Bình
    assert [(i, why) for i, why, _r in view.reasons] == [(2, "chưa báo cáo")]
    assert all(b.rect.height() > 0 for b in view.bars)
    view.grab()  # paints without error


def test_the_charts_follow_the_figures_as_they_are_edited(window, qtbot):
    window.open_report(sample_report(2025))
    page = _chart_page(window)
    before = page.channel_view.chart.series[0].values[0]
    window.edit_value("ho_so_truc_tuyen", 150_000, 1)
    assert page.channel_view.chart.series[0].values[0] == 150_000 != before
    window.edit_value("ho_so_truc_tuyen", None, 2)  # cleared: blank, no bar
    chart = page.channel_view.chart
    assert chart.series[0].values[0] is None and chart.notes[0] == "chưa báo cáo"
    page.channel_view.layout_bars()
    assert 0 not in {b.category for b in page.channel_view.bars}


def test_comparison_and_trend_over_the_stored_periods(window, qtbot):
    from app.history import History

    with History() as h:
        for year, share in ((2022, 0.7), (2023, 0.8), (2024, 0.9)):
            old = sample_report(year)
            old.values = {k: (round(v * share) if isinstance(v, int) else v)
                          for k, v in old.values.items()}
            h.save_report(old)
    report = sample_report(2025)
    previous = sample_report(2024)
    window.open_report(report, previous=previous)
    page = _chart_page(window)
    assert page.compare_views[0].chart.categories == ("năm 2024", "năm 2025")
    assert page.changes_view.chart is None  # the sample of 2024 has the same counts
    window.previous = previous_changed = sample_report(2024)
    previous_changed.values["vbqppl_ban_hanh"] = 400
    page.set_report(report, previous_changed)
    changed = dict(zip(page.changes_view.chart.categories,
                       page.changes_view.chart.series[0].values, strict=True))
    assert changed == {"Số văn bản quy phạm pháp luật được ban hành":
                       pytest.approx((report.values["vbqppl_ban_hanh"] - 400) * 100 / 400)}
    trend = [v.chart for v in page.trend_views if v.chart is not None]
    assert trend and trend[0].categories == ("năm 2022", "năm 2023", "năm 2024", "năm 2025")
    received = next(c for c in trend if c.key == "ho_so_tiep_nhan")
    total = report.values["ho_so_tiep_nhan"]
    assert received.series[0].values == (round(total * 0.7), round(total * 0.8),
                                         round(total * 0.9), total)
    assert "4 kỳ" in page.trend_title.text()


def test_without_a_store_or_a_previous_report_the_page_says_so(window, qtbot):
    window.open_report(sample_report(2025))
    page = _chart_page(window)
    assert page.compare_views[0].chart is None
    assert "Chưa có báo cáo cùng kỳ năm trước" in page.compare_views[0].empty_text
    assert page.trend_views[0].chart is None
    assert "chưa vẽ được diễn biến" in page.trend_views[0].empty_text
    assert "không tổng hợp từ các đơn vị" in page.units_view.empty_text


def test_start_up_imports_no_chart_code(user_dirs, settings_file):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "app",
                           "--terminate-after-init"], cwd=Path(__file__).parents[2], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 0, proc.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()
                if line.startswith("import time:")}
    assert not {"matplotlib", "ui.chart_page", "ui.chart_view", "app.charts.data"} & imported


def test_many_units_are_drawn_across_and_the_blank_one_still_has_no_bar(window, qtbot):
    report = sample_report(2025)
    report.sources = [
        source(f"Xã số {i}", "xa", code=f"X{i}", values={
            "ho_so_da_giai_quyet": 100, "ho_so_truoc_han": 50, "ho_so_dung_han": 40 + i})
        for i in range(12)] + [copy.deepcopy(UNITS[1])]
    window.open_report(report)
    view = _chart_page(window).units_view
    assert view.sideways and view.minimumHeight() >= 24 * 14
    view.resize(400, view.minimumHeight())
    view.layout_bars()
    blank = view.chart.categories.index("Xã An Bình")
    assert blank not in {b.category for b in view.bars} and len(view.bars) == 13
    tops = [b.rect.top() for b in sorted(view.bars, key=lambda b: b.category)]
    assert tops == sorted(tops)  # highest rate first, from the top
    view.grab()


def test_a_trend_is_a_line_with_no_point_for_a_period_not_reported(qtbot):
    from app.charts.data import trend
    from ui.chart_view import ChartView

    years = [sample_report(y) for y in (2022, 2023, 2024)]
    del years[1].values["ho_so_tiep_nhan"]
    chart = next(c for c in trend(years).charts if c.key == "ho_so_tiep_nhan")
    view = ChartView()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.set_chart(chart)
    view.layout_bars()
    assert chart.kind == "line" and not view.sideways
    assert sorted(b.category for b in view.bars) == [0, 2]
    assert [(i, why) for i, why, _r in view.reasons] == [(1, "chưa báo cáo")]
    view.grab()


def test_the_export_window_draws_the_figures_of_the_chosen_template_ahead(window, qtbot,
                                                                         tmp_path):
    from docx import Document
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    from app.export import figures

    figures.forget_pictures()
    window.open_report(sample_report())
    QTest.keySequence(window, QKeySequence("Ctrl+E"))
    dialog = window.export_dialog
    dialog.docx.setText(str(tmp_path / "bao-cao.docx"))
    dialog.want_xlsx.setChecked(False)
    assert figures.kept_pictures() == 0  # the default template has no figures
    with_figures = next(i for i in range(dialog.template.count())
                        if "có biểu đồ" in dialog.template.itemText(i))
    dialog.template.setCurrentIndex(with_figures)
    qtbot.waitUntil(lambda: figures.kept_pictures() == 1, timeout=30000)  # dossiers by channel
    dialog.start.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    assert dialog.error == ""
    doc = Document(str(tmp_path / "bao-cao.docx"))
    assert len(doc.inline_shapes) == 1
    assert any(p.text.strip().startswith("Biểu đồ 1. Hồ sơ thủ tục hành chính")
               for p in doc.paragraphs)


def test_export_clicked_at_once_waits_for_the_drawing_under_way(window, qtbot, tmp_path,
                                                                 monkeypatch):
    """"Xuất" clicked right after choosing a template with figures: the export uses the pictures
    the window has started drawing (one drawing child, not two) and the file has the figure."""
    from docx import Document
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    import app.templates.runner as runner
    from app.export import figures

    figures.forget_pictures()
    drawings = []
    real = runner.limited_call

    def counting(function, *args, **kwargs):
        if function == figures.FIGURE_JOB:
            drawings.append(function)
        return real(function, *args, **kwargs)

    monkeypatch.setattr(runner, "limited_call", counting)
    window.open_report(sample_report())
    QTest.keySequence(window, QKeySequence("Ctrl+E"))
    dialog = window.export_dialog
    dialog.docx.setText(str(tmp_path / "bao-cao.docx"))
    dialog.want_xlsx.setChecked(False)
    with_figures = next(i for i in range(dialog.template.count())
                        if "có biểu đồ" in dialog.template.itemText(i))
    dialog.template.setCurrentIndex(with_figures)
    dialog.start.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=120000)
    assert dialog.error == ""
    assert len(drawings) == 1, drawings
    doc = Document(str(tmp_path / "bao-cao.docx"))
    assert len(doc.inline_shapes) == 1
    with zipfile.ZipFile(tmp_path / "bao-cao.docx") as z:
        pngs = [z.read(n) for n in z.namelist() if n.startswith("word/media/")]
    assert len(pngs) == 1 and b"cchc-hinh-ve" not in pngs[0]  # the drawing, not a placeholder


def test_the_export_window_opens_on_the_template_of_the_last_export(window, qtbot, tmp_path):
    """A user who exports with the template with figures finds it chosen next time (also after
    a restart), and its figures being drawn as soon as the window opens."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    from app.export import figures
    from app.settings import load_settings

    window.open_report(sample_report())
    QTest.keySequence(window, QKeySequence("Ctrl+E"))
    dialog = window.export_dialog
    assert "có biểu đồ" not in dialog.template.currentText()  # the default comes first
    dialog.docx.setText(str(tmp_path / "bao-cao.docx"))
    dialog.want_xlsx.setChecked(False)
    dialog.template.setCurrentIndex(next(i for i in range(dialog.template.count())
                                         if "có biểu đồ" in dialog.template.itemText(i)))
    dialog.start.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    assert dialog.error == ""
    chosen = dialog.template.currentData()
    dialog.close()
    assert load_settings().last_template == chosen
    import app.templates.runner as runner

    with runner._spares_lock:  # a drawing child waits, ready for the next export
        assert (figures.FIGURE_JOB, figures._figure_limits()) in runner._spares

    figures.forget_pictures()
    window.export()
    assert window.export_dialog is not dialog
    dialog = window.export_dialog
    assert dialog.template.currentData() == chosen
    qtbot.waitUntil(lambda: figures.kept_pictures() == 1, timeout=30000)  # drawn unasked
