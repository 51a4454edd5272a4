"""What the charts show, before any drawing: trends, stored periods, the completeness board."""

from __future__ import annotations

from filling import source

from app.charts.data import NOT_REPORTED, board_chart, stored_reports, trend
from app.model import Period
from app.sample import sample_report


def test_a_trend_keeps_entered_rates_and_leaves_blank_periods_without_a_value():
    old, blank, now = sample_report(2022), sample_report(2023), sample_report(2024)
    for key in ("ho_so_truoc_han", "ho_so_dung_han", "ho_so_da_giai_quyet"):
        old.values.pop(key)
        blank.values.pop(key)
    old.values["ty_le_giai_quyet_dung_han"] = 96.5  # entered: its counts are not known
    on_time = next(c for c in trend([now, blank, old]).charts
                   if c.key == "ty_le_giai_quyet_dung_han")
    assert on_time.categories == ("năm 2022", "năm 2023", "năm 2024")  # oldest first
    assert on_time.series[0].values[:2] == (96.5, None)
    assert on_time.notes[1] == NOT_REPORTED


class FakeStore:
    """The history store's public face: periods() and find_report(unit, period)."""

    def __init__(self, reports):
        self.reports = {r.period.key(): r for r in reports}

    def periods(self):
        return [r.period for r in self.reports.values()]

    def find_report(self, unit, period):
        r = self.reports.get(period.key())
        return r if r is not None and r.unit.name == unit.name else None


def test_stored_reports_of_the_same_kind_oldest_first_without_the_current_period():
    years = [sample_report(y) for y in (2024, 2021, 2023, 2022)]
    half = sample_report(2023)
    half.period = Period("sau_thang", 2023)
    current = sample_report(2025)
    store = FakeStore(years + [half, sample_report(2025)])
    found = stored_reports(store, current, limit=3)
    assert [r.period.title for r in found] == ["năm 2022", "năm 2023", "năm 2024"]


def test_the_board_chart_counts_each_state():
    from datetime import date

    from app.completeness import Board, BoardRow

    rows = [BoardRow("A", "A", "xa", "on_time", warnings=["w"]), BoardRow("B", "B", "xa", "late"),
            BoardRow("C", "C", "xa", "overdue"), BoardRow("D", "D", "xa", "rejected")]
    chart = board_chart(Board(Period("nam", 2025), rows, date(2026, 1, 20)))
    counts = dict(zip(chart.categories, chart.series[0].values, strict=True))
    assert counts == {"Đã nộp, đúng hạn": 1, "Đã nộp, trễ hạn": 1, "Tệp bị từ chối": 1,
                      "Chưa nộp": 0, "Chưa nộp, đã quá hạn": 1, "Đã nộp, có cảnh báo": 1}
    assert "4 đơn vị" in chart.title


def test_hundreds_of_units_keep_those_who_lag_and_name_a_few_of_the_blank_ones():
    from app.charts.data import MAX_UNIT_BARS, on_time_by_unit

    report = sample_report(2025)
    report.sources = [
        source(f"Xã {i}", "xa", {"ho_so_da_giai_quyet": 1000, "ho_so_truoc_han": 500,
                                 "ho_so_dung_han": 499 - i})
        for i in range(300)] + [source(f"Phường {i}", "xa") for i in range(50)]
    chart = on_time_by_unit(report)
    assert len(chart.categories) == MAX_UNIT_BARS + 1  # the 40 lowest and the total
    assert chart.categories[MAX_UNIT_BARS - 1] == "Xã 299"  # the lowest, last before the total
    assert "40 đơn vị có tỷ lệ thấp nhất trong 300 đơn vị" in chart.remark
    assert "50 đơn vị chưa có tỷ lệ: Phường 0 (chưa báo cáo)" in chart.remark
    assert "và 42 đơn vị khác." in chart.remark and "Phường 49" not in chart.remark
