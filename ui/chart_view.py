"""A bar chart drawn with QPainter from an `app.charts.data.Chart`.

QPainter rather than QtCharts: QtCharts needs the pyside6-addons wheel (+150 MB against a
230 MB bundle budget) and loads its own module at the first chart; QPainter is in QtGui, which
the window has already loaded, so neither the bundle nor the start-up grows. The window never
imports matplotlib (that is for the Word figures).

A category whose value is None gets no bar: its reason ("chưa báo cáo", "không tính được") is
written where the bar would stand. Numbers are written by app.formatting.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.charts.data import (
    BELOW_TARGET,
    PALETTE,
    TOTAL,
    Chart,
    axis_text,
    line_bounds,
    value_bounds,
    value_text,
)

SIDEWAYS_FROM = 8  # more categories than this: bars across, names on the left
TARGET = QColor("#C00000")
GRID = QColor("#D9D9D9")
TEXT = QColor("#202124")
MUTED = QColor("#5f6368")


@dataclass(frozen=True)
class Bar:
    category: int
    series: int
    rect: QRectF
    value: float


class ChartView(QWidget):
    """Shows one chart; `set_chart(None, text)` shows a sentence instead."""

    def __init__(self, parent: QWidget | None = None, min_height: int = 260):
        super().__init__(parent)
        self.chart: Chart | None = None
        self.empty_text = ""
        self.bars: list[Bar] = []
        self.reasons: list[tuple[int, str, QRectF]] = []  # categories without a bar
        self.min_height = min_height
        self.setMinimumSize(320, min_height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(520, 300)

    @property
    def sideways(self) -> bool:
        """Bars drawn across: asked for, or too many categories to name under the bars."""
        chart = self.chart
        return chart is not None and (chart.horizontal or (
            chart.kind == "bar" and len(chart.series) == 1
            and len(chart.categories) > SIDEWAYS_FROM))

    def set_chart(self, chart: Chart | None, empty_text: str = "") -> None:
        self.chart, self.empty_text = chart, empty_text
        # a sentence instead of a chart takes a line or two, not a chart's height; many
        # categories across take a line each
        height = self.min_height
        if chart is not None and self.sideways:
            height = max(height, 24 * len(chart.categories) + 90)
        self.setMinimumHeight(height if chart else 60)
        self.setMaximumHeight(16777215 if chart else 80)
        self.setAccessibleName(chart.title if chart else empty_text)
        self.setToolTip("")
        self.bars, self.reasons = [], []
        self.update()

    # -- geometry (computed apart from painting so tests can read it) ---------------------
    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        base = QFont(self.font())
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() - 1.5))
        bold = QFont(base)
        bold.setBold(True)
        return base, small, bold

    def layout_bars(self) -> QRectF:
        """Place the bars for the current size; returns the plot area."""
        chart = self.chart
        self.bars, self.reasons = [], []
        if chart is None:
            return QRectF()
        _base, small, bold = self._fonts()
        fm, fb = QFontMetricsF(small), QFontMetricsF(bold)
        w, h = float(self.width()), float(self.height())
        title_h = fb.boundingRect(QRectF(0, 0, w - 16, 200), Qt.TextFlag.TextWordWrap,
                                  chart.title).height() + 8
        legend_h = fm.height() + 6 if self._legend() else 0.0
        low, high = self._bounds()
        n = max(1, len(chart.categories))
        if self.sideways:
            label_w = min(w * 0.45, max(fm.horizontalAdvance(c) for c in chart.categories) + 12)
            plot = QRectF(label_w, title_h, w - label_w - 56, h - title_h - legend_h
                          - fm.height() - 8)
            step = plot.height() / n
            span = (high - low) or 1.0
            zero = plot.left() + (0 - low) / span * plot.width()
            for i in range(n):
                v = chart.series[0].values[i]
                if v is None:
                    self.reasons.append((i, chart.notes[i] if i < len(chart.notes) else "",
                                         QRectF(zero + 4, plot.top() + i * step, plot.width(),
                                                step)))
                    continue
                x = plot.left() + (v - low) / span * plot.width()
                self.bars.append(Bar(i, 0, QRectF(min(x, zero), plot.top() + i * step
                                                  + step * 0.18, abs(x - zero), step * 0.64), v))
            return plot
        axis_w = max(fm.horizontalAdvance(axis_text(chart, v)) for v in (low, high)) + 10
        label_lines = 2 if n <= 8 else 3
        plot = QRectF(axis_w, title_h + fm.height(), w - axis_w - 8,
                      h - title_h - fm.height() - legend_h - label_lines * fm.height() - 10)
        span = (high - low) or 1.0
        k = len(chart.series)
        step = plot.width() / n
        width = step * 0.8 / k
        for i in range(n):
            for j, s in enumerate(chart.series):
                v = s.values[i]
                x = plot.left() + i * step + step * 0.1 + j * width
                if v is None:
                    if j == 0:
                        self.reasons.append((i, chart.notes[i] if i < len(chart.notes) else "",
                                             QRectF(plot.left() + i * step, plot.top(), step,
                                                    plot.height())))
                    continue
                y = plot.bottom() - (v - low) / span * plot.height()
                if chart.kind == "line":  # a point: a small square around it
                    cx = plot.left() + (i + 0.5) * step
                    self.bars.append(Bar(i, j, QRectF(cx - 3.5, y - 3.5, 7, 7), v))
                    continue
                zero = plot.bottom() - (0 - low) / span * plot.height()
                self.bars.append(Bar(i, j, QRectF(x + 1, min(y, zero), max(1.0, width - 2),
                                                  abs(zero - y)), v))
        return plot

    def _bounds(self) -> tuple[float, float]:
        """The value axis; room on the left of negative bars for their labels."""
        assert self.chart is not None
        if self.chart.kind == "line":
            return line_bounds(self.chart)
        low, high = value_bounds(self.chart)
        if self.sideways and low < 0:
            low -= (high - low) * 0.2
        return low, high

    def _legend(self) -> list[tuple[QColor, str, bool]]:
        chart = self.chart
        if chart is None:
            return []
        items = [(QColor(PALETTE[j % len(PALETTE)]), s.name, False)
                 for j, s in enumerate(chart.series)] if len(chart.series) > 1 else []
        if chart.target is not None:
            items.append((TARGET, chart.target_label, True))
        return items

    def _colour(self, bar: Bar) -> QColor:
        chart = self.chart
        assert chart is not None
        if bar.series == 0 and bar.category < len(chart.colours):
            return QColor(chart.colours[bar.category])
        if bar.series == 0 and bar.category == chart.total_index:
            return QColor(TOTAL)
        if chart.horizontal and bar.value < 0:
            return QColor(BELOW_TARGET)
        if bar.series == 0 and chart.target is not None and bar.value < chart.target:
            return QColor(BELOW_TARGET)
        return QColor(PALETTE[bar.series % len(PALETTE)])

    # -- painting -------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        base, small, bold = self._fonts()
        chart = self.chart
        if chart is None:
            p.setPen(MUTED)
            p.setFont(base)
            p.drawText(QRectF(self.rect()).adjusted(12, 12, -12, -12),
                       Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            p.end()
            return
        plot = self.layout_bars()
        p.setPen(TEXT)
        p.setFont(bold)
        p.drawText(QRectF(8, 4, self.width() - 16, plot.top()),
                   Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap, chart.title)
        p.setFont(small)
        fm = QFontMetricsF(small)
        low, high = self._bounds()
        span = (high - low) or 1.0
        tick_low, tick_high = (low, high) if chart.kind == "line" else value_bounds(chart)
        for t in range(6):  # grid and value axis
            v = tick_low + (tick_high - tick_low) * t / 5
            if self.sideways:
                x = plot.left() + (v - low) / span * plot.width()
                p.setPen(QPen(GRID, 1))
                p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
                p.setPen(MUTED)
                p.drawText(QRectF(x - 40, plot.bottom() + 2, 80, fm.height()),
                           Qt.AlignmentFlag.AlignHCenter, axis_text(chart, v))
            else:
                y = plot.bottom() - (v - low) / span * plot.height()
                p.setPen(QPen(GRID, 1))
                p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
                p.setPen(MUTED)
                p.drawText(QRectF(0, y - fm.height() / 2, plot.left() - 6, fm.height()),
                           Qt.AlignmentFlag.AlignRight, axis_text(chart, v))
        if chart.kind == "line":  # joined only between neighbours: a blank period breaks it
            p.setPen(QPen(QColor(PALETTE[0]), 2))
            by_category = {b.category: b for b in self.bars if b.series == 0}
            for i in range(len(chart.categories) - 1):
                a, b = by_category.get(i), by_category.get(i + 1)
                if a is not None and b is not None:
                    p.drawLine(a.rect.center(), b.rect.center())
        for bar in self.bars:
            if chart.kind == "line":
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(self._colour(bar))
                p.drawEllipse(bar.rect)
            else:
                p.fillRect(bar.rect, self._colour(bar))
            p.setPen(TEXT)
            text = value_text(chart, bar.value)
            if self.sideways:
                right = bar.value >= 0
                r = QRectF(bar.rect.right() + 3 if right else bar.rect.left() - 83,
                           bar.rect.top(), 80, bar.rect.height())
                p.drawText(r, (Qt.AlignmentFlag.AlignLeft if right else Qt.AlignmentFlag.AlignRight)
                           | Qt.AlignmentFlag.AlignVCenter, text)
            elif chart.kind == "line" or fm.horizontalAdvance(text) <= bar.rect.width() + 14:
                p.drawText(QRectF(bar.rect.center().x() - 50, bar.rect.top() - fm.height() - 1,
                                  100, fm.height()), Qt.AlignmentFlag.AlignHCenter, text)
        italic = QFont(small)
        italic.setItalic(True)
        p.setFont(italic)
        p.setPen(MUTED)
        for _i, reason, r in self.reasons:  # no bar: say why
            if self.sideways:
                p.drawText(r, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, reason)
            else:
                p.save()
                p.translate(r.center().x() + fm.height() / 2, r.bottom() - 4)
                p.rotate(-90)
                p.drawText(QPointF(0, 0), reason)
                p.restore()
        p.setFont(small)
        p.setPen(TEXT)
        if self.sideways:
            step = plot.height() / max(1, len(chart.categories))
            for i, c in enumerate(chart.categories):
                r = QRectF(4, plot.top() + i * step, plot.left() - 10, step)
                p.drawText(r, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                           fm.elidedText(c, Qt.TextElideMode.ElideRight, r.width()))
            zero = plot.left() + (0 - low) / span * plot.width()
            p.setPen(QPen(TEXT, 1))
            p.drawLine(QPointF(zero, plot.top()), QPointF(zero, plot.bottom()))
        else:
            step = plot.width() / max(1, len(chart.categories))
            for i, c in enumerate(chart.categories):
                r = QRectF(plot.left() + i * step + 1, plot.bottom() + 3, step - 2,
                           self.height() - plot.bottom())
                p.drawText(r, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                           | Qt.TextFlag.TextWordWrap, c)
            p.setPen(QPen(TEXT, 1))
            p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        if chart.target is not None:
            p.setPen(QPen(TARGET, 1.5, Qt.PenStyle.DashLine))
            if self.sideways:
                x = plot.left() + (chart.target - low) / span * plot.width()
                p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            else:
                y = plot.bottom() - (chart.target - low) / span * plot.height()
                p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        legend = self._legend()
        if legend:
            x = 8.0
            y = self.height() - fm.height() - 4
            for colour, text, dashed in legend:
                if dashed:
                    p.setPen(QPen(colour, 1.5, Qt.PenStyle.DashLine))
                    p.drawLine(QPointF(x, y + fm.height() / 2), QPointF(x + 18, y + fm.height() / 2))
                else:
                    p.fillRect(QRectF(x + 4, y + 2, 10, fm.height() - 4), colour)
                p.setPen(TEXT)
                p.drawText(QPointF(x + 22, y + fm.ascent()), text)
                x += 34 + fm.horizontalAdvance(text)
        p.end()
