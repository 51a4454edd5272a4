"""One reform area's page, generated from the catalogue: label, input, unit, the previous
period's figure and the change, findings in place, and the derived indicators of the area."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.catalog import LEVELS, Area, Catalog, Derived, Indicator
from app.combining import computable_from
from app.formatting import (
    format_change,
    format_number,
    format_percent,
    format_rank_change,
    format_ratio,
    format_value,
)
from app.model import Report
from app.validation import Finding
from ui.finding_box import FindingBox
from ui.level_table import LevelTable
from ui.number_field import NumberInput
from ui.style import muted, page_title, sub_title


class Editor(Protocol):
    def edit_value(self, key: str, value: int | float | None, session: int) -> None: ...
    def edit_explanation(self, key: str, text: str, edit: QLineEdit) -> None: ...
    def input_problem_changed(self, key: str) -> None: ...
    def edit_level_value(self, level: str, key: str, value: int | float | None,
                         session: int) -> None: ...


def not_expected(cat: Catalog, report: Report) -> frozenset[str]:
    """Indicators that should stay blank: the district level no longer exists after 1/7/2025."""
    if not report.period.is_two_tier:
        return frozenset()
    return frozenset(k for r in cat.rules if r.kind == "empty_two_tier" for k in r.fields)


class AreaPage(QScrollArea):
    """Built the first time it is shown (or when a finding, a jump or a test needs one of its
    widgets): until then it keeps the report, the findings and the derived values it was given
    and answers `completeness()` from the report and the catalogue alone."""

    def __init__(self, cat: Catalog, area: Area, editor: Editor, parent: QWidget | None = None):
        super().__init__(parent)
        self.cat = cat
        self.area = area
        self.editor = editor
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.keys: tuple[str, ...] = tuple(ind.key for ind in cat.by_area[area.key])
        self.derived_keys: tuple[str, ...] = tuple(
            d.key for d in cat.derived.values() if d.area == area.key)
        self.built = False
        self._inputs: dict[str, NumberInput] = {}
        self._rows: dict[str, list[QWidget]] = {}
        self._compare: dict[str, QLabel] = {}
        self._boxes: dict[str, FindingBox] = {}
        self._derived_values: dict[str, QLabel] = {}
        self._summary: QLabel | None = None
        self._by_field: dict[str, tuple[Finding, ...]] = {}
        self._derived: dict[str, int | float | None] | None = None
        self._level_table: LevelTable | None = None
        self.report: Report | None = None
        self.previous: Report | None = None

    # the widgets, built on first use
    @property
    def inputs(self) -> dict[str, NumberInput]:
        self.ensure_built()
        return self._inputs

    @property
    def rows(self) -> dict[str, list[QWidget]]:
        self.ensure_built()
        return self._rows

    @property
    def compare(self) -> dict[str, QLabel]:
        self.ensure_built()
        return self._compare

    @property
    def boxes(self) -> dict[str, FindingBox]:
        self.ensure_built()
        return self._boxes

    @property
    def derived_values(self) -> dict[str, QLabel]:
        self.ensure_built()
        return self._derived_values

    @property
    def level_table(self) -> LevelTable | None:
        """The figures by level (on the TTHC page only)."""
        self.ensure_built()
        return self._level_table

    @property
    def summary(self) -> QLabel:
        self.ensure_built()
        assert self._summary is not None
        return self._summary

    def built_boxes(self) -> dict[str, FindingBox]:
        """The finding boxes built so far (none before the page is first shown)."""
        return self._boxes

    def input_problems(self) -> list[tuple[str, str]]:
        """Unreadable inputs; a page never built has none."""
        return [(k, f.problem) for k, f in self._inputs.items() if f.problem]

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure_built()
        super().showEvent(event)

    def ensure_built(self) -> None:
        if self.built:
            return
        self.built = True
        cat, area = self.cat, self.area
        body = QWidget()
        body.setObjectName("areaBody")
        outer = QVBoxLayout(body)
        outer.setContentsMargins(16, 12, 16, 16)
        title = QLabel(f"{area.section}. {area.heading}")
        page_title(title)
        title.setWordWrap(True)
        outer.addWidget(title)
        self._summary = QLabel()
        muted(self._summary)
        outer.addWidget(self._summary)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(0, 1)
        grid.setColumnMinimumWidth(1, 130)
        row = 0
        for ind in cat.by_area[area.key]:
            row = self._add_indicator(grid, row, ind)
        if self.derived_keys:
            head = QLabel("Chỉ tiêu tính toán (tự động)")
            sub_title(head)
            grid.addWidget(head, row, 0, 1, 4)
            row += 1
            for key in self.derived_keys:
                row = self._add_derived(grid, row, cat.derived[key])
        outer.addLayout(grid)
        if area.key == "tthc" and cat.level_keys:
            self._level_table = LevelTable(cat, self.editor.edit_level_value)
            outer.addWidget(self._level_table)
        outer.addStretch(1)
        # show what the page was given while it was not built
        if self.report is not None:
            self._show_report(self._derived)
            self.show_findings(self._by_field)
            self.refresh_derived(self._derived)
        self.setWidget(body)

    def _add_indicator(self, grid: QGridLayout, row: int, ind: Indicator) -> int:
        label = QLabel(ind.label)
        label.setWordWrap(True)
        field = NumberInput(ind)
        field.setFixedWidth(130)
        label.setBuddy(field)
        unit = QLabel(ind.unit_label)
        muted(unit)
        compare = QLabel()
        muted(compare)
        compare.setMinimumWidth(150)
        compare.setWordWrap(True)
        box = FindingBox(self.editor.edit_explanation)
        field.edited.connect(self.editor.edit_value)
        field.problem_changed.connect(self._problem_changed)
        grid.addWidget(label, row, 0)
        grid.addWidget(field, row, 1)
        grid.addWidget(unit, row, 2)
        grid.addWidget(compare, row, 3)
        grid.addWidget(box, row + 1, 0, 1, 4)
        self._inputs[ind.key] = field
        self._compare[ind.key] = compare
        self._boxes[ind.key] = box
        self._rows[ind.key] = [label, field, unit, compare]
        return row + 2

    def _add_derived(self, grid: QGridLayout, row: int, d: Derived) -> int:
        label = QLabel(d.label)
        label.setWordWrap(True)
        value = QLabel()
        value.setObjectName(f"derived_{d.key}")
        value.setProperty("alignment", "AlignRight|AlignVCenter")
        value.setProperty("textInteractionFlags", "TextSelectableByMouse")
        box = FindingBox(self.editor.edit_explanation)
        grid.addWidget(label, row, 0)
        if d.kind == "percent":
            # a rate may be typed when its counts are not known (rules.md "Entered rates")
            field = NumberInput(Indicator(d.key, d.area, d.label, "percent", tuple(LEVELS),
                                          measure="%"))
            field.setFixedWidth(130)
            field.setPlaceholderText("nhập nếu không có số liệu")
            field.setToolTip("Tỷ lệ được tính từ số liệu khi có đủ; chỉ nhập khi nguồn chỉ cho "
                             "tỷ lệ. Tỷ lệ đã nhập khác tỷ lệ tính được sẽ có cảnh báo R24.")
            label.setBuddy(field)
            field.edited.connect(self.editor.edit_value)
            field.problem_changed.connect(self._problem_changed)
            unit = QLabel("%")
            muted(unit)
            grid.addWidget(field, row, 1)
            grid.addWidget(unit, row, 2)
            grid.addWidget(value, row, 3)
            self._inputs[d.key] = field
        else:
            grid.addWidget(value, row, 1, 1, 3)
        grid.addWidget(box, row + 1, 0, 1, 4)
        self._derived_values[d.key] = value
        self._boxes[d.key] = box
        return row + 2

    # -- the report ---------------------------------------------------------------------------
    def set_report(self, report: Report, previous: Report | None) -> None:
        self.report, self.previous = report, previous
        if self.built:
            self._show_report(None)

    def _show_report(self, derived: dict[str, int | float | None] | None) -> None:
        assert self.report is not None
        level = self.report.unit.level
        for key, field in self._inputs.items():
            if key in self._rows:
                visible = level in self.cat.indicators[key].levels
                for w in self._rows[key]:
                    w.setVisible(visible)
            field.show_value(self.report.entry(key))
            self._show_compare(key)
        if self._level_table is not None:
            self._level_table.set_report(self.report)
        self.refresh_derived(derived)
        self.refresh_summary()

    def applicable(self) -> list[str]:
        assert self.report is not None
        skip = not_expected(self.cat, self.report)
        level = self.report.unit.level
        return [k for k in self.keys if level in self.cat.indicators[k].levels and k not in skip]

    def completeness(self) -> tuple[int, int]:
        assert self.report is not None
        keys = self.applicable()
        return sum(1 for k in keys if self.report.get(k) is not None), len(keys)

    def refresh_summary(self) -> None:
        if not self.built:
            return
        done, total = self.completeness()
        self.summary.setText(f"Đã nhập {done}/{total} chỉ tiêu. Ô để trống là “chưa báo cáo”, "
                             "khác với số 0.")

    def value_changed(self, key: str) -> None:
        assert self.report is not None
        if not self.built:
            return
        self.inputs[key].show_value(self.report.entry(key))
        self._show_compare(key)

    def levels_changed(self) -> None:
        """The figures by level changed (an edit, an undo)."""
        if self.built and self._level_table is not None:
            self._level_table.refresh()

    def _show_compare(self, key: str) -> None:
        label = self.compare.get(key)
        if label is None:  # a typed derived rate has no comparison of its own
            return
        if self.previous is None or self.report is None:
            label.setText("")
            return
        unit = self.cat.indicators[key].unit
        before = self.previous.get(key)
        text = f"Cùng kỳ: {format_value(unit, before)}"
        change = format_change(self.report.get(key), before, unit)
        if change:
            text += f"\n{change.replace(' so với cùng kỳ', '')}"
        label.setText(text)

    def refresh_derived(self, derived: dict[str, int | float | None] | None = None) -> None:
        assert self.report is not None
        self._derived = derived
        if not self.built:
            return
        values = self.report.values
        for key, label in self._derived_values.items():
            d = self.cat.derived[key]
            v = derived.get(key) if derived is not None else None
            if d.kind == "rank_change":
                text = format_rank_change(values.get(d.numerator[0]), values.get(d.denominator[0]))
            elif d.kind == "difference":
                text = ("chưa đủ số liệu" if not isinstance(v, int | float)
                        else f"{'tăng' if v > 0 else 'giảm' if v < 0 else 'không đổi'}"
                             + (f" {format_number(abs(v))} điểm" if v else ""))
            elif d.kind == "group":
                text = (f"Nhóm {v}" if isinstance(v, str)
                        else "chưa đủ số liệu" if values.get(d.numerator[0]) is None
                        else "dưới 70 điểm, không xếp nhóm")
            elif not computable_from(d, values):
                text = (f"{format_percent(v)} (tỷ lệ đã nhập)" if isinstance(v, int | float)
                        else "chưa đủ số liệu")
            elif len(d.numerator) == 1 and len(d.denominator) == 1:
                text = format_ratio(values.get(d.numerator[0]), values.get(d.denominator[0]), True)
                if derived is not None and derived.get(key) is None:
                    text = "chưa đủ số liệu"
            else:
                text = format_percent(v) if isinstance(v, int | float) else "chưa đủ số liệu"
            label.setText(text)

    # -- findings -----------------------------------------------------------------------------
    def show_findings(self, by_field: dict[str, tuple[Finding, ...]]) -> None:
        assert self.report is not None
        self._by_field = by_field
        if not self.built:
            return
        for key, box in self._boxes.items():
            box.set_findings(by_field.get(key, ()), self.report.explanations)
            if key in self.inputs:
                worst = min((f.severity for f in by_field.get(key, ())),
                            key=("error", "warning", "info").index, default="")
                self._mark(self.inputs[key], worst)
        # other fields a finding involves get the colour too
        for findings in by_field.values():
            for f in findings:
                for k in f.fields[1:]:
                    if k in self.inputs and f.severity != "info":
                        self._mark(self.inputs[k], f.severity, keep_worse=True)

    @staticmethod
    def _mark(field: NumberInput, severity: str, keep_worse: bool = False) -> None:
        # kept in a Python attribute: reading an unset dynamic property crashes PySide6 6.12
        current = field.mark
        if keep_worse and current == "error":
            return
        field.set_mark(severity)

    def _problem_changed(self, key: str) -> None:
        self.boxes[key].set_problem(self.inputs[key].problem)
        self.editor.input_problem_changed(key)

    def focus_field(self, key: str) -> QWidget | None:
        target = self.inputs.get(key) or self.derived_values.get(key)
        if target is None:
            return None
        self.ensureWidgetVisible(target, 50, 80)
        if isinstance(target, NumberInput):
            from PySide6.QtCore import Qt  # after start-up (see ui.launcher)

            target.setFocus(Qt.FocusReason.OtherFocusReason)
            target.selectAll()
        return target
