"""Native charts of the annex, read back with openpyxl and from the chart XML (no Qt)."""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from filling import source

from app.export.annex import write_annex
from app.sample import sample_report

UNITS = [
    source("Sở Tư pháp", "so_nganh", code="STP",
           values={"ho_so_da_giai_quyet": 4900, "ho_so_truoc_han": 3000, "ho_so_dung_han": 1850}),
    source("Sở Xây dựng", "so_nganh", code="SXD",
           values={"ho_so_da_giai_quyet": 100, "ho_so_truoc_han": 50, "ho_so_dung_han": 10}),
    source("Xã An Bình", "xa", {"vbqppl_ban_hanh": 2},
           code="XAB"),  # no dossier figures: not reported
    source("Xã Tân Phú", "xa", code="XTP",
           values={"ho_so_da_giai_quyet": 0, "ho_so_truoc_han": 0, "ho_so_dung_han": 0}),
    source("Sở Y tế", "so_nganh", code="SYT",
           values={"ho_so_da_giai_quyet": 1000, "ho_so_truoc_han": 700, "ho_so_dung_han": 290}),
]


def _previous(year: int):
    p = sample_report(year)
    p.values = {k: (int(v * 0.8) if isinstance(v, int) and k.startswith(("vbqppl", "ho_so"))
                    else v) for k, v in p.values.items()}
    return p


@pytest.fixture
def annex(tmp_path) -> Path:
    report = sample_report(2025)
    report.sources = copy.deepcopy(UNITS)
    out = tmp_path / "phu_luc.xlsx"
    write_annex(report, out, previous=_previous(2024))
    return out


def _charts(path: Path) -> dict[str, list]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: ws._charts for ws in wb.worksheets if ws._charts}


def _ref(path: Path, formula: str) -> list:
    """The cells a chart range points to."""
    sheet, cells = formula.rsplit("!", 1)
    ws = openpyxl.load_workbook(path)[sheet.strip("'")]
    found = ws[cells.replace("$", "")]
    if not isinstance(found, tuple):
        return [found.value]
    return [c.value for row in found for c in row]


def _chart_xml(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [z.read(n).decode("utf-8") for n in sorted(z.namelist())
                if re.match(r"xl/charts/chart\d+\.xml", n)]


def test_each_chart_has_its_own_sheet_with_the_right_series(annex):
    charts = _charts(annex)
    assert list(charts) == ["Biểu đồ - Đúng hạn", "Biểu đồ - Kênh tiếp nhận",
                            "Biểu đồ - Thay đổi"]
    assert all(len(c) == 1 for c in charts.values())

    on_time = charts["Biểu đồ - Đúng hạn"][0].series[0]
    names = _ref(annex, on_time.cat.strRef.f)
    rates = _ref(annex, on_time.val.numRef.f)
    # sorted highest first; the units without a rate last with the reason; then the total
    assert names == ["Sở Y tế", "Sở Tư pháp", "Sở Xây dựng", "Xã An Bình (chưa báo cáo)",
                     "Xã Tân Phú (không tính được)", "Chung (5 đơn vị)"]
    assert rates[:3] == [pytest.approx(99.0), pytest.approx(4850 * 100 / 4900),
                         pytest.approx(60.0)]
    assert rates[3] is None and rates[4] is None  # no bar, not a zero bar
    assert rates[5] == pytest.approx((990 + 4850 + 60) * 100 / (1000 + 4900 + 100 + 0))

    channels = charts["Biểu đồ - Kênh tiếp nhận"][0].series
    assert [_ref(annex, s.tx.strRef.f)[0] for s in channels] == ["năm 2025", "năm 2024"]
    assert _ref(annex, channels[0].cat.strRef.f) == [
        "Trực tuyến", "Trực tiếp và qua bưu chính", "Kỳ trước chuyển sang"]
    report = sample_report(2025)
    assert _ref(annex, channels[0].val.numRef.f) == [
        report.values["ho_so_truc_tuyen"], report.values["ho_so_truc_tiep_buu_chinh"],
        report.values["ho_so_ky_truoc_chuyen_sang"]]

    change = charts["Biểu đồ - Thay đổi"][0].series[0]
    labels = _ref(annex, change.cat.strRef.f)
    deltas = _ref(annex, change.val.numRef.f)
    assert 0 < len(labels) <= 10
    assert [abs(d) for d in deltas] == sorted((abs(d) for d in deltas), reverse=True)
    assert "Số văn bản quy phạm pháp luật được ban hành" in labels


def test_target_line_labels_and_number_formats(annex):
    xml = _chart_xml(annex)
    on_time = next(x for x in xml if "Đúng hạn" in x)
    assert "<c:lineChart>" in on_time  # the programme target (reference.md §7: ≥ 98%)
    cells = _ref(annex, re.search(r"<c:lineChart>.*?<c:val><c:numRef><c:f>(.*?)</c:f>",
                                  on_time, re.S).group(1))
    assert set(cells) == {98}
    assert "Mục tiêu ≥ 98%" in _ref(annex, "'Biểu đồ - Đúng hạn'!T3")
    assert 'formatCode="0.00"' in on_time and "Biểu đồ 1. Tỷ lệ hồ sơ giải quyết đúng hạn" in on_time
    assert "Tỷ lệ giải quyết đúng hạn (%)" in on_time and 'typeface="Times New Roman"' in on_time
    channels = next(x for x in xml if "theo kênh" in x)
    assert 'formatCode="#,##0"' in channels and "Số hồ sơ" in channels
    change = next(x for x in xml if "thay đổi nhiều nhất" in x)
    assert 'formatCode="+0.00;-0.00;0.00"' in change


def test_chart_sheets_print_on_one_a4_landscape_page(annex):
    wb = openpyxl.load_workbook(annex)
    for name in ("Biểu đồ - Đúng hạn", "Biểu đồ - Kênh tiếp nhận", "Biểu đồ - Thay đổi"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage  # one page wide and high (1 is
        assert ws.page_setup.fitToWidth in (None, 1)     # the default, left out of the file)
        assert ws.page_setup.fitToHeight in (None, 1)
        assert ws.print_area is not None


def test_no_target_line_before_the_target_applies(tmp_path):
    report = sample_report(2024)  # the 98% on-time target applies from 2025
    report.sources = copy.deepcopy(UNITS)
    out = tmp_path / "a.xlsx"
    write_annex(report, out)
    on_time = next(x for x in _chart_xml(out) if "Đúng hạn" in x)
    assert "<c:lineChart>" not in on_time


def test_a_plain_report_gets_only_the_charts_it_has_data_for(tmp_path):
    report = sample_report(2025)
    for key in ("ho_so_truc_tuyen", "ho_so_truc_tiep_buu_chinh", "ho_so_ky_truoc_chuyen_sang"):
        report.values.pop(key, None)
    out = tmp_path / "a.xlsx"
    write_annex(report, out)  # no units, no previous period, no channel figures
    assert _charts(out) == {}
    assert not any(n.startswith("Biểu đồ") for n in openpyxl.load_workbook(out).sheetnames)


def test_a_blank_channel_is_labelled_and_has_no_bar(tmp_path):
    report = sample_report(2025)
    del report.values["ho_so_ky_truoc_chuyen_sang"]
    out = tmp_path / "a.xlsx"
    write_annex(report, out)
    series = _charts(out)["Biểu đồ - Kênh tiếp nhận"][0].series[0]
    assert _ref(out, series.cat.strRef.f)[2] == "Kỳ trước chuyển sang (chưa báo cáo)"
    assert _ref(out, series.val.numRef.f)[2] is None


def test_a_total_that_cannot_be_computed_is_labelled_with_its_reason(tmp_path):
    report = sample_report(2025)
    report.sources = copy.deepcopy(UNITS) + [
        source("Sở Nội vụ", "so_nganh", {"ho_so_truoc_han": 40},
               code="SNV")]  # part of the counts only
    out = tmp_path / "a.xlsx"
    write_annex(report, out)
    series = _charts(out)["Biểu đồ - Đúng hạn"][0].series[0]
    names, rates = _ref(out, series.cat.strRef.f), _ref(out, series.val.numRef.f)
    assert names[-1] == "Chung (6 đơn vị) (không tính được)" and rates[-1] is None
    remark = openpyxl.load_workbook(out)["Biểu đồ - Đúng hạn"]["A3"].value
    assert "Tỷ lệ chung không tính được" in remark and "Sở Nội vụ" in remark
