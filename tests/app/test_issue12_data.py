"""Issue 12, the data side: reports built the way published texts give their figures (only the
combined on-time figure, only a rate), entered rates checked against their counts (R24), the
new rules (R17, R25–R28), figures by level (P03), not-reported outline indicators (O01),
consolidation where units left figures blank, and version-1 files that still open."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.combining import (
    UnitFigures,
    combine,
    count_answers,
    report_derived,
    report_values,
    source_units,
)
from app.consolidation import consolidate
from app.intake import Submission
from app.model import FORMAT_VERSION, Period, Report, Unit
from app.sample import sample_report
from app.storage import dump_report, load_report, report_from_dict, save_report
from app.validation import validate

CAT = load_catalog()


def report_with(values, period=None, **kw) -> Report:
    return Report(period=period or Period("nam", 2024), values=dict(values), **kw)


def findings(report, rule, **kw):
    return [f for f in validate(report, document=False, outline=(), **kw) if f.rule == rule]


# ------------------------------------------------------------------ the catalogue


def test_every_new_indicator_is_in_the_catalogue_with_its_unit_of_measure():
    new = ("ho_so_truoc_va_dung_han ho_so_tra_lai_rut tthc_quyet_dinh_cong_bo "
           "tthc_lien_thong_cung_cap tthc_lien_thong_giua_cac_cap pakn_dung_han "
           "bien_che_giam_hanh_chinh bien_che_giam_su_nghiep cs_par_diem_ky_truoc "
           "cs_papi_xep_hang_ky_truoc cs_pci_xep_hang_ky_truoc cs_par_diem_chi_dao "
           "cs_par_diem_the_che cs_par_diem_tthc cs_par_diem_bo_may cs_par_diem_cong_vu "
           "cs_par_diem_tai_chinh_cong cs_par_diem_chinh_phu_so cs_par_diem_tac_dong").split()
    for key in new:
        assert key in CAT.indicators, key
    assert {"ty_le_qua_han", "ty_le_pakn_dung_han", "cs_papi_thay_doi_bac", "cs_pci_thay_doi_bac",
            "cs_par_thay_doi_diem", "cs_par_nhom"} <= set(CAT.derived)
    measure = {k: i.measure for k, i in CAT.indicators.items()}
    assert measure["ho_so_tiep_nhan"] == "hồ sơ"
    assert measure["tthc_tong_so"] == "thủ tục"
    assert measure["vbqppl_ban_hanh"] == "văn bản"
    assert measure["bien_che_giam_hanh_chinh"] == "biên chế"
    assert measure["bien_che_giam_su_nghiep"] == "người"
    assert measure["tc_tiet_kiem_chi"] == "đồng"
    assert measure["cs_par_diem"] == "điểm"
    assert measure["ty_le_so_hoa_ket_qua"] == "%"
    assert all(measure.values()) and "Số lượng" not in measure.values()


def test_derived_values_of_the_new_kinds():
    r = report_with({"cs_par_diem": 87.32, "cs_par_diem_ky_truoc": 84.86,
                     "cs_papi_xep_hang": 10, "cs_papi_xep_hang_ky_truoc": 44,
                     "cs_pci_xep_hang": 20, "cs_pci_xep_hang_ky_truoc": 17,
                     "pakn_da_xu_ly": 200, "pakn_dung_han": 190,
                     "ho_so_da_giai_quyet": 80115, "ho_so_qua_han": 1213})
    d = report_derived(r)
    assert d["cs_par_thay_doi_diem"] == pytest.approx(2.46)
    assert d["cs_par_nhom"] == "B"
    assert d["cs_papi_thay_doi_bac"] == 34 and d["cs_pci_thay_doi_bac"] == -3
    assert d["ty_le_pakn_dung_han"] == pytest.approx(95.0)
    assert d["ty_le_qua_han"] == pytest.approx(1213 / 80115 * 100)
    for score, group in ((90, "A"), (89.99, "B"), (80, "B"), (70, "C"), (69.99, None)):
        assert report_derived(report_with({"cs_par_diem": score}))["cs_par_nhom"] == group


# ------------------------------------------------------------------ as published texts give it


def test_only_received_resolved_combined_on_time_and_late():
    """writing.md §1: 84.210 received, 80.115 resolved, 78.902 early and on time, 1.213 late."""
    r = report_with({"ho_so_tiep_nhan": 84210, "ho_so_da_giai_quyet": 80115,
                     "ho_so_truoc_va_dung_han": 78902, "ho_so_qua_han": 1213,
                     "ho_so_dang_giai_quyet": 4095, "ho_so_dang_trong_han": 3870,
                     "ho_so_dang_qua_han": 225})
    d = report_derived(r)
    assert round(d["ty_le_giai_quyet_dung_han"], 2) == 98.49
    assert round(d["ty_le_qua_han"], 2) == 1.51
    assert d["ty_le_tiep_nhan_truc_tuyen"] is None  # blank, never 0
    assert [f for f in validate(r, document=False, outline=()) if f.severity != "info"] == []


def test_only_a_rate_is_shown_as_typed_and_unchecked():
    r = report_with({"ty_le_giai_quyet_dung_han": 99})
    assert report_derived(r)["ty_le_giai_quyet_dung_han"] == 99
    assert not [f for f in validate(r, document=False, outline=()) if f.severity != "info"]


def test_r24_a_typed_rate_is_checked_against_its_counts():
    """The issue's case: 37,76% typed, 2.521 / 6.776 = 37,20%."""
    r = report_with({"ho_so_tiep_nhan": 6776, "ho_so_truc_tuyen": 2521,
                     "cps_ty_le_ho_so_truc_tuyen": 37.76})
    (f,) = findings(r, "R24")
    assert f.severity == "warning" and f.explanation_key == "cps_ty_le_ho_so_truc_tuyen"
    assert f.message.startswith(
        "Tỷ lệ hồ sơ TTHC được xử lý trực tuyến nhập là 37,76%, nhưng tính từ số hồ sơ tiếp "
        "nhận trực tuyến (2.521) trên tổng số hồ sơ TTHC tiếp nhận (6.776) thì được 37,2%")
    # one online rate per report: the computed one, in every output
    assert round(report_values(r)["cps_ty_le_ho_so_truc_tuyen"], 2) == 37.2
    assert round(report_derived(r)["ty_le_tiep_nhan_truc_tuyen"], 2) == 37.2
    r.values["cps_ty_le_ho_so_truc_tuyen"] = 37.205  # within 0,01 point
    assert not findings(r, "R24")
    r.explanations["cps_ty_le_ho_so_truc_tuyen"] = "x"
    r.values["cps_ty_le_ho_so_truc_tuyen"] = 37.76
    assert findings(r, "R24")[0].explained


def test_the_online_rate_counts_carried_over_dossiers():
    """The one definition: online / all received (carried-over included): 22,33%, not 24,48%."""
    r = report_with({"ho_so_tiep_nhan": 10000, "ho_so_truc_tuyen": 2233,
                     "ho_so_truc_tiep_buu_chinh": 6889, "ho_so_ky_truoc_chuyen_sang": 878})
    assert round(report_derived(r)["ty_le_tiep_nhan_truc_tuyen"], 2) == 22.33
    only_typed = report_with({"cps_ty_le_ho_so_truc_tuyen": 22.4})
    assert report_derived(only_typed)["ty_le_tiep_nhan_truc_tuyen"] == 22.4


@pytest.mark.parametrize("values, rule, severity", [
    ({"ho_so_truoc_va_dung_han": 100, "ho_so_truoc_han": 40, "ho_so_dung_han": 59}, "R25", "error"),
    ({"pakn_dung_han": 11, "pakn_da_xu_ly": 10}, "R26", "error"),
    ({"bien_che_giam": 2661, "bien_che_giam_hanh_chinh": 203, "bien_che_giam_su_nghiep": 2457},
     "R27", "error"),
    ({"ho_so_tiep_nhan": 100, "ho_so_da_giai_quyet": 80, "ho_so_dang_giai_quyet": 15,
      "ho_so_tra_lai_rut": 6}, "R17", "warning"),
])
def test_new_rules_fire(values, rule, severity):
    (f,) = findings(report_with(values), rule)
    assert f.severity == severity


def test_r17_without_returned_dossiers_and_r27_message():
    ok = {"ho_so_tiep_nhan": 100, "ho_so_da_giai_quyet": 80, "ho_so_dang_giai_quyet": 20}
    assert not findings(report_with(ok), "R17")
    assert findings(report_with({**ok, "ho_so_tra_lai_rut": 1}), "R17")
    (f,) = findings(report_with({"bien_che_giam": 2661, "bien_che_giam_hanh_chinh": 203,
                                 "bien_che_giam_su_nghiep": 2457}), "R27")
    assert f.message == (
        "Số biên chế đã tinh giản so với năm gốc (2.661) khác số biên chế công chức đã tinh giản "
        "so với năm gốc (203) cộng số người làm việc trong đơn vị sự nghiệp đã tinh giản so với "
        "năm gốc (2.457) (chênh lệch 1).")


def test_r28_area_scores_add_up_within_five_hundredths():
    r = sample_report()
    assert not findings(r, "R28")
    r.values["cs_par_diem_tac_dong"] += 0.05
    assert not findings(r, "R28")
    r.values["cs_par_diem_tac_dong"] += 0.02
    (f,) = findings(r, "R28")
    assert f.severity == "warning" and "(86,57)" in f.message and "chênh lệch 0,07" in f.message


# ------------------------------------------------------------------ by level (P03)


def test_p03_levels_that_do_not_add_up():
    r = report_with({"ho_so_truoc_va_dung_han": 635593}, Period("nam", 2024))
    r.by_level = {"tinh": {"ho_so_truoc_va_dung_han": 120000},
                  "huyen": {"ho_so_truoc_va_dung_han": 215595},
                  "xa": {"ho_so_truoc_va_dung_han": 300000}}
    (f,) = findings(r, "P03")
    assert f.severity == "warning" and f.explanation_key == "P03"
    assert f.message == (
        "Số hồ sơ giải quyết trước hạn và đúng hạn (khi không tách riêng) của báo cáo (635.593) "
        "khác tổng số liệu theo cấp (635.595: cấp tỉnh 120.000, cấp huyện 215.595, cấp xã "
        "300.000; chênh lệch 2). Hãy kiểm tra lại số liệu theo cấp hoặc giải trình.")
    r.by_level["huyen"]["ho_so_truoc_va_dung_han"] = 215593
    assert not findings(r, "P03")


def test_p03_is_skipped_while_a_level_is_blank_and_huyen_is_gone_after_mid_2025():
    r = report_with({"ho_so_tiep_nhan": 100}, Period("nam", 2024))
    r.by_level = {"tinh": {"ho_so_tiep_nhan": 30}, "xa": {"ho_so_tiep_nhan": 20}}
    assert not findings(r, "P03")  # huyện not given: blank is not zero
    two_tier = report_with({"ho_so_tiep_nhan": 100}, Period("nam", 2026))
    two_tier.by_level = {"tinh": {"ho_so_tiep_nhan": 30}, "xa": {"ho_so_tiep_nhan": 20}}
    assert findings(two_tier, "P03")
    assert Period("nam", 2026).tier_levels == ("tinh", "xa")
    assert Period("nam", 2024).tier_levels == ("tinh", "huyen", "xa")


# ------------------------------------------------------------------ the outline (O01)


def test_outline_indicators_not_reported_are_warnings_explained_under_their_key():
    r = report_with({"ho_so_tiep_nhan": 100, "ho_so_da_giai_quyet": 90})
    outline = ("ho_so_tiep_nhan", "ho_so_truc_tuyen", "ty_le_tiep_nhan_truc_tuyen")
    found = [f for f in validate(r, document=False, outline=outline) if f.rule == "O01"]
    assert [f.explanation_key for f in found] == ["ho_so_truc_tuyen", "ty_le_tiep_nhan_truc_tuyen"]
    assert all(f.severity == "warning" and f.blocking for f in found)
    assert found[0].message.startswith("Số hồ sơ tiếp nhận trực tuyến: chưa báo cáo")
    r.explanations["ho_so_truc_tuyen"] = "Hệ thống chưa thống kê hồ sơ trực tuyến."
    r.values["cps_ty_le_ho_so_truc_tuyen"] = 40  # the rate typed: no longer a hole
    found = [f for f in validate(r, document=False, outline=outline) if f.rule == "O01"]
    assert [(f.explanation_key, f.explained) for f in found] == [("ho_so_truc_tuyen", True)]


# ------------------------------------------------------------------ consolidation


def _sub(name, level, values, period=None):
    from datetime import datetime

    return Submission(Unit(name, name, level), period or Period("nam", 2024), dict(values),
                      f"{name}.cchc", datetime(2024, 12, 10), kind="report")


def test_consolidation_with_units_that_left_figures_blank():
    subs = [
        _sub("Sở Tư pháp", "so_nganh", {"ho_so_tiep_nhan": 1000, "ho_so_truc_tuyen": 200,
                                        "ho_so_da_giai_quyet": 900, "ho_so_truoc_va_dung_han": 890,
                                        "tthc_mot_cua": 50, "cps_ty_le_ho_so_truc_tuyen": 20}),
        _sub("Sở Y tế", "so_nganh", {"ho_so_tiep_nhan": 3000, "ho_so_truc_tuyen": 700,
                                     "ho_so_da_giai_quyet": 2900, "ho_so_truoc_han": 1000,
                                     "ho_so_dung_han": 1880}),
        _sub("Huyện Kim Bảng", "huyen", {"ho_so_tiep_nhan": 500, "ho_so_da_giai_quyet": 500,
                                         "ho_so_truoc_va_dung_han": 495, "tthc_mot_cua": 0}),
        _sub("Xã An Bình", "xa", {"ho_so_tiep_nhan": 200, "ho_so_da_giai_quyet": 200}),
    ]
    result = consolidate(subs, Period("nam", 2024))
    r = result.report
    assert r.values["ho_so_tiep_nhan"] == 4700
    # the online rate: two units gave no online count, so it is not computable, never a mean
    assert r.values.get("cps_ty_le_ho_so_truc_tuyen") is None
    reason = result.not_combined["ty_le_tiep_nhan_truc_tuyen"]
    assert reason == result.not_combined["cps_ty_le_ho_so_truc_tuyen"]
    assert report_derived(r)["ty_le_tiep_nhan_truc_tuyen"] is None
    assert report_values(r).get("cps_ty_le_ho_so_truc_tuyen") is None
    # the on-time rate: the combined figure where the split is not given; the commune gave
    # neither, so the total is not computable, naming it
    assert "Xã An Bình" in result.not_combined["ty_le_giai_quyet_dung_han"]
    # by level: departments are provincial; every level is the sum of its units
    assert r.by_level["tinh"]["ho_so_tiep_nhan"] == 4000
    assert r.by_level["huyen"]["ho_so_tiep_nhan"] == 500
    assert r.by_level["xa"]["ho_so_tiep_nhan"] == 200
    assert "ho_so_truc_tuyen" not in r.by_level["xa"]  # blank stays blank
    assert not findings(r, "P03")  # the levels add up to the total
    # x/y counts: only units that answered, and how many did not
    units = source_units(r)
    depts = count_answers(units, "tthc_mot_cua", level="so_nganh")
    assert (depts.yes, depts.answered, depts.not_answered) == (1, 1, 1)
    assert depts.not_answered_names == ("Sở Y tế",)
    communes = count_answers(units, "tthc_mot_cua", level="xa")
    assert (communes.yes, communes.answered, communes.not_answered) == (0, 0, 1)
    districts = count_answers(units, "tthc_mot_cua", level="huyen")
    assert (districts.yes, districts.no, districts.not_answered) == (0, 1, 0)


def test_online_rate_from_counts_when_every_unit_has_them():
    a = UnitFigures("A", {"ho_so_tiep_nhan": 6776, "ho_so_truc_tuyen": 2521,
                          "cps_ty_le_ho_so_truc_tuyen": 37.76})
    b = UnitFigures("B", {"ho_so_tiep_nhan": 4000, "ho_so_truc_tuyen": 100,
                          "cps_ty_le_ho_so_truc_tuyen": 2.5})
    c = combine("cps_ty_le_ho_so_truc_tuyen", [a, b])
    assert c.computable and c.value == pytest.approx(2621 / 10776 * 100)
    assert combine("ty_le_tiep_nhan_truc_tuyen", [a, b]).value == c.value
    only_rates = [UnitFigures("A", {"cps_ty_le_ho_so_truc_tuyen": 20}),
                  UnitFigures("B", {"cps_ty_le_ho_so_truc_tuyen": 25})]
    c = combine("cps_ty_le_ho_so_truc_tuyen", only_rates)
    assert c.value is None and "A, B" in c.reason


# ------------------------------------------------------------------ the report file




def test_version_1_files_open_validate_and_export_unchanged(tmp_path):
    data = sample_report().to_dict()
    data["format_version"] = 1
    data["document"].pop("data_window", None)
    path = tmp_path / "old.cchc.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = load_report(path)
    assert r.format_version == 1 and r.by_level == {} and r.document.data_window is None
    validate(r)
    from app.export import export_report

    export_report(r, docx=tmp_path / "a.docx", xlsx=tmp_path / "a.xlsx", draft=True)
    assert json.loads(dump_report(r))["format_version"] == 1  # saved unedited: unchanged
    r.set_value("vbqppl_ban_hanh", 267)
    assert json.loads(dump_report(r))["format_version"] == FORMAT_VERSION == 2


def test_by_level_and_data_window_round_trip(tmp_path):
    r = sample_report()
    r.by_level = {"tinh": {"ho_so_tiep_nhan": 100000}, "xa": {"ho_so_tiep_nhan": 45310}}
    r.document.data_window = "(Số liệu tính từ ngày 15/12/2022 đến ngày 14/3/2023)"
    save_report(r, tmp_path / "r.cchc")
    data = json.loads((tmp_path / "r.cchc").read_text(encoding="utf-8"))
    assert data["format_version"] == 2
    assert data["by_level"] == {"tinh": {"ho_so_tiep_nhan": 100000}, "xa": {"ho_so_tiep_nhan": 45310}}
    assert data["document"]["data_window"]["from"] == "2022-12-15"
    assert data["document"]["data_window"]["to"] == "2023-03-14"
    back = load_report(tmp_path / "r.cchc")
    assert back.by_level == r.by_level and back.document.data_window == r.document.data_window
    # the contract's bare {"from", "to"} is read as the default line
    data["document"]["data_window"] = {"from": "2019-12-01", "to": "2020-02-29"}
    assert report_from_dict(data).document.data_window == \
        "(Số liệu tính từ ngày 01/12/2019 đến ngày 29/2/2020)"


def test_a_figure_by_level_beyond_its_bound_is_refused():
    data = sample_report().to_dict()
    data["by_level"] = {"xa": {"ho_so_tiep_nhan": 10**13}}
    from app.storage import ReportFileError

    with pytest.raises(ReportFileError, match="theo cấp"):
        report_from_dict(data)
    data["by_level"] = {"quan": {"ho_so_tiep_nhan": 1}}
    with pytest.raises(ReportFileError):
        report_from_dict(data)


# ------------------------------------------------------------------ the command line


def test_a_final_export_blocked_only_by_warnings_says_so(tmp_path, capsys):
    from app.cli import main

    r = sample_report()
    r.values["cps_ty_le_ho_so_truc_tuyen"] = 60  # R24: the counts give 58,2%
    save_report(r, tmp_path / "r.cchc")
    assert main(["export", str(tmp_path / "r.cchc"), "--docx", str(tmp_path / "r.docx")]) == 1
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert first.endswith("còn 1 cảnh báo chưa giải trình") and "lỗi" not in first
    assert not (tmp_path / "r.docx").exists()
    assert main(["validate", str(tmp_path / "r.cchc")]) == 0
    out = capsys.readouterr().out
    assert "Chưa xuất bản chính thức được: còn 1 cảnh báo chưa giải trình." in out


def test_annex_and_consolidated_report_agree_on_not_computable(tmp_path):
    from openpyxl import load_workbook

    from app.export.annex import write_annex

    subs = [_sub("Sở Tư pháp", "so_nganh", {"ho_so_tiep_nhan": 1000, "ho_so_truc_tuyen": 200}),
            _sub("Xã An Bình", "xa", {"ho_so_tiep_nhan": 500, "cps_ty_le_ho_so_truc_tuyen": 30})]
    result = consolidate(subs, Period("nam", 2024))
    r = result.report
    reason = result.not_combined["cps_ty_le_ho_so_truc_tuyen"]
    assert "Xã An Bình" in reason
    write_annex(r, tmp_path / "a.xlsx")
    ws = load_workbook(tmp_path / "a.xlsx")["Phụ lục"]
    rows = {row[1].value: row for row in ws.iter_rows() if row[1].value}
    for key in ("cps_ty_le_ho_so_truc_tuyen", "ty_le_tiep_nhan_truc_tuyen"):
        row = rows[CAT.label(key)]
        assert row[3].value is None
        assert "Xã An Bình" in row[-1].value  # the note names the unit, as the report does
    assert rows[CAT.label("ho_so_tiep_nhan")][2].value == "hồ sơ"  # the unit of measure
    assert rows[CAT.label("ho_so_tiep_nhan")][3].value == 1500


def test_p02_covers_the_papi_pci_ranks_and_the_par_score_of_last_year():
    previous = sample_report(2023)
    r = sample_report(2024)
    found = {f.fields[0]: f for f in validate(r, previous, outline=()) if f.rule == "P02"}
    # the 2023 sample stores PAPI 29, PCI 17, PAR 86,57; this year's report says 33, 19, 84,11
    assert set(found) >= {"cs_papi_xep_hang_ky_truoc", "cs_pci_xep_hang_ky_truoc",
                          "cs_par_diem_ky_truoc"}
    assert found["cs_par_diem_ky_truoc"].message == (
        "Điểm Chỉ số CCHC năm trước ghi 84,11, nhưng báo cáo năm 2023 ghi điểm Chỉ số cải cách "
        "hành chính (PAR INDEX) là 86,57.")


def test_annex_sheet_by_level_agrees_with_the_report(tmp_path):
    from openpyxl import load_workbook

    from app.export.annex import LEVEL_SHEET, write_annex

    r = report_with({"ho_so_tiep_nhan": 1000, "ho_so_da_giai_quyet": 950}, Period("nam", 2024))
    r.unit.name = "Ủy ban nhân dân tỉnh Hà Nam"
    r.by_level = {"tinh": {"ho_so_tiep_nhan": 400, "ho_so_da_giai_quyet": 380},
                  "huyen": {"ho_so_tiep_nhan": 300, "ho_so_da_giai_quyet": 290},
                  "xa": {"ho_so_tiep_nhan": 302}}
    write_annex(r, tmp_path / "a.xlsx")
    ws = load_workbook(tmp_path / "a.xlsx")[LEVEL_SHEET]
    rows = {row[1].value: [c.value for c in row] for row in ws.iter_rows() if row[2].value}
    assert rows["Chỉ tiêu"][3:6] == ["Cấp tỉnh", "Cấp huyện", "Cấp xã"]
    received = rows[CAT.label("ho_so_tiep_nhan")]
    assert received[2:] == ["hồ sơ", 400, 300, 302, 1002, 1000,
                            "Tổng các cấp chênh lệch 2 so với số liệu chung"]
    resolved = rows[CAT.label("ho_so_da_giai_quyet")]
    assert resolved[5] is None and resolved[6] is None  # the commune level is blank: no sum
    assert [f.rule for f in validate(r, document=False, outline=())].count("P03") == 1


def test_word_and_annex_print_the_one_online_rate(tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    from app.export import export_report

    r = sample_report()
    r.values["cps_ty_le_ho_so_truc_tuyen"] = 60  # typed; the counts give 142.780 / 245.310
    export_report(r, docx=tmp_path / "r.docx", xlsx=tmp_path / "r.xlsx", draft=True)
    text = "\n".join(p.text for p in Document(str(tmp_path / "r.docx")).paragraphs)
    assert "58,2%" in text and "60%" not in text
    ws = load_workbook(tmp_path / "r.xlsx")["Phụ lục"]
    rows = {row[1].value: row for row in ws.iter_rows() if row[1].value}
    assert rows[CAT.label("cps_ty_le_ho_so_truc_tuyen")][3].value == 58.2
    assert rows[CAT.label("ty_le_tiep_nhan_truc_tuyen")][3].value == 58.2


def test_the_outline_named_by_the_text_side_blocks_a_final_export_until_explained(
        tmp_path, monkeypatch):
    """validate() asks the text side which indicators the outline uses
    (app.outline.outline_indicators); each blank one blocks until filled or explained."""
    from app import validation
    from app.export import ExportBlocked, export_report

    monkeypatch.setattr(validation, "_outline",
                        lambda report: ["ho_so_tra_lai_rut", "vbqppl_ban_hanh"])
    r = sample_report()
    (f,) = [f for f in validate(r) if f.rule == "O01"]
    assert f.fields == ("ho_so_tra_lai_rut",)
    with pytest.raises(ExportBlocked) as exc:
        export_report(r, docx=tmp_path / "r.docx")
    assert exc.value.reason() == "còn 1 cảnh báo chưa giải trình"
    r.explanations["ho_so_tra_lai_rut"] = "Hệ thống một cửa điện tử chưa thống kê số hồ sơ rút."
    export_report(r, docx=tmp_path / "r.docx")
    assert (tmp_path / "r.docx").exists()


def test_the_on_time_chart_rates_a_unit_that_gave_only_the_combined_figure():
    from app.charts.data import on_time_by_unit

    subs = [_sub("Sở Tư pháp", "so_nganh", {"ho_so_da_giai_quyet": 200,
                                            "ho_so_truoc_va_dung_han": 190}),
            _sub("Sở Y tế", "so_nganh", {"ho_so_da_giai_quyet": 100, "ho_so_truoc_han": 50,
                                         "ho_so_dung_han": 50})]
    result = consolidate(subs, Period("nam", 2024))
    r = result.report
    # the split cannot be totalled (a false 100/300); the combined figure covers both units
    assert r.values["ho_so_truoc_va_dung_han"] == 290
    assert "ho_so_truoc_han" not in r.values and "ho_so_dung_han" not in r.values
    assert result.not_combined["ho_so_truoc_han"] == (
        "không tổng hợp được vì 1 đơn vị chỉ báo cáo số gộp “số hồ sơ giải quyết trước hạn và "
        "đúng hạn (khi không tách riêng)” (Sở Tư pháp). Người soạn tự điền.")
    assert not [f for f in validate(r, document=False, outline=()) if f.severity == "error"]
    chart = on_time_by_unit(r)
    got = dict(zip(chart.categories, chart.series[0].values, strict=True))
    assert got["Sở Tư pháp"] == pytest.approx(95.0) and got["Sở Y tế"] == pytest.approx(100.0)
    assert got["Chung (2 đơn vị)"] == pytest.approx(290 / 300 * 100)  # the one combining rule
    assert round(report_derived(r)["ty_le_giai_quyet_dung_han"], 6) == round(290 / 3, 6)


def test_an_intake_workbook_takes_a_rate_without_its_counts(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from filling import fill_intake

    from app.intake import intake_rows, load_submission, write_intake

    period = Period("nam", 2024)
    rows = {i.key: i for i in intake_rows("xa", period)}
    assert rows["ty_le_giai_quyet_dung_han"].label.endswith(
        "(chỉ nhập khi không có số liệu để tính)")
    assert rows["ty_le_giai_quyet_dung_han"].unit_label == "%"
    form = write_intake(tmp_path / "xa.xlsx", Unit("Xã An Bình", "X01", "xa"), period)
    fill_intake(form, {"ho_so_tiep_nhan": 500, "ty_le_giai_quyet_dung_han": 99})
    sub = load_submission(form)
    assert sub.values == {"ho_so_tiep_nhan": 500, "ty_le_giai_quyet_dung_han": 99}
    other = _sub("Xã Bình Lục", "xa", {"ho_so_da_giai_quyet": 100, "ho_so_truoc_han": 40,
                                         "ho_so_dung_han": 58})
    result = consolidate([sub, other], period)
    assert "Xã An Bình" in result.not_combined["ty_le_giai_quyet_dung_han"]
    assert report_derived(result.report)["ty_le_giai_quyet_dung_han"] is None


def test_the_outline_is_read_from_the_clause_file_and_follows_its_edits(tmp_path, monkeypatch):
    """O01's indicators are the `de_cuong` lists of the clause file; an administrator's edit is
    seen by the next validation, and an unreadable file names none (the export reports it)."""
    import os

    from app import outline

    clause = tmp_path / "cau_van.toml"
    monkeypatch.setattr(outline, "default_template", lambda: tmp_path / "mau.docx")
    clause.write_text('[doan.a]\nde_cuong = ["ho_so_tiep_nhan"]\n'
                      '[doan.b]\nde_cuong = ["ty_le_giai_quyet_dung_han", "ho_so_tiep_nhan"]\n',
                      encoding="utf-8")
    r = sample_report()
    assert outline.outline_indicators(r) == ["ho_so_tiep_nhan", "ty_le_giai_quyet_dung_han"]
    clause.write_text('[doan.a]\nde_cuong = ["ho_so_tra_lai_rut"]\n', encoding="utf-8")
    os.utime(clause, ns=(1, 2_000_000_000))
    r.values.pop("ho_so_tra_lai_rut", None)
    assert [f.fields for f in validate(r) if f.rule == "O01"] == [("ho_so_tra_lai_rut",)]
    clause.write_text('[doan.a\nde_cuong = [', encoding="utf-8")
    os.utime(clause, ns=(1, 3_000_000_000))
    assert outline.outline_indicators(r) == []
