"""The "Biểu đồ" page: the key indicators over the periods kept in the history store, the
on-time rate of every unit of a consolidated report, dossiers by channel, and the current report
against the same period of the year before (key indicators and the counts that changed most). The charts follow the figures as they are
edited (the main window calls `refresh()` after each change while the page is shown)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.catalog import Catalog
from app.charts.data import (
    compare_periods,
    dossiers_by_channel,
    largest_changes,
    on_time_by_unit,
    reports_in_store,
    trend,
)
from app.model import Report
from ui.chart_view import ChartView
from ui.style import muted, page_title, sub_title


class ChartPage(QWidget):
    def __init__(self, cat: Catalog, parent: QWidget | None = None):
        super().__init__(parent)
        self.cat = cat
        self.report: Report | None = None
        self.previous: Report | None = None
        self._stored: list[Report] = []
        self._stored_for: tuple[str, str, str] | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 8)
        title = QLabel("Biểu đồ")
        page_title(title)
        outer.addWidget(title)
        intro = QLabel("Biểu đồ vẽ từ số liệu đang nhập và thay đổi ngay khi sửa số liệu. Đơn vị "
                       "hoặc chỉ tiêu chưa có số liệu không có cột, chỉ ghi “chưa báo cáo”.")
        intro.setWordWrap(True)
        muted(intro)
        outer.addWidget(intro)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        self.grid = QGridLayout(body)
        self.grid.setContentsMargins(0, 4, 8, 8)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(8)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.trend_title = self._section("Diễn biến qua các kỳ đã lưu", 0)
        self.trend_views = [self._view(1 + i // 2, i % 2) for i in range(4)]
        self._section("Tỷ lệ đúng hạn theo đơn vị và hồ sơ theo kênh", 3)
        self.units_view = self._view(4, 0)
        self.channel_view = self._view(4, 1)
        self.compare_title = self._section("Kỳ này so với cùng kỳ năm trước", 5)
        self.compare_views = [self._view(6 + i // 2, i % 2) for i in range(4)]
        self.changes_view = ChartView(min_height=320)
        self.grid.addWidget(self.changes_view, 8, 0, 1, 2)
        self.grid.setRowStretch(9, 1)  # short pages keep their rows at the top

    def _section(self, text: str, row: int) -> QLabel:
        label = QLabel(text)
        sub_title(label)
        label.setWordWrap(True)
        self.grid.addWidget(label, row, 0, 1, 2)
        return label

    def _view(self, row: int, col: int) -> ChartView:
        view = ChartView(min_height=250)
        self.grid.addWidget(view, row, col)
        return view

    def set_report(self, report: Report, previous: Report | None) -> None:
        self.report, self.previous = report, previous
        self.refresh()

    def refresh(self) -> None:
        report = self.report
        if report is None:
            return
        key = (report.unit.name, report.unit.code, report.period.key())
        if key != self._stored_for:  # the store is read again only for another unit or period
            self._stored, self._stored_for = reports_in_store(report), key
        compared = compare_periods(report, self.previous, self.cat)
        if compared:
            self.compare_title.setText(f"{report.period.title.capitalize()} so với "
                                       f"{self.previous.period.title}")  # type: ignore[union-attr]
        else:
            self.compare_title.setText("Kỳ này so với cùng kỳ năm trước")
        for i, view in enumerate(self.compare_views):
            view.set_chart(compared[i] if i < len(compared) else None,
                           "Chưa có báo cáo cùng kỳ năm trước để so sánh (Tệp ▸ So sánh với…)."
                           if i == 0 else "")
            view.setVisible(bool(compared) or i == 0)
        changes = largest_changes(report, self.previous, self.cat)
        self.changes_view.set_chart(changes)
        self.changes_view.setVisible(changes is not None)
        series = trend(self._stored + [report], self.cat)
        for i, view in enumerate(self.trend_views):
            chart = series.charts[i] if i < len(series.charts) and self._stored else None
            view.set_chart(chart, "Kho lịch sử chưa có báo cáo kỳ khác cùng loại của đơn vị "
                                  "này, nên chưa vẽ được diễn biến." if i == 0 else "")
            view.setVisible(bool(self._stored) or i == 0)
        self.trend_title.setText(
            f"Diễn biến qua {len(series.periods)} kỳ đã lưu" if self._stored
            else "Diễn biến qua các kỳ đã lưu")
        channels = dossiers_by_channel(report, self.previous)
        self.channel_view.set_chart(channels, "Chưa nhập số hồ sơ theo kênh tiếp nhận.")
        units = on_time_by_unit(report, self.cat)
        self.units_view.set_chart(units, "Báo cáo không tổng hợp từ các đơn vị nên không có "
                                         "tỷ lệ đúng hạn theo đơn vị.")
