"""Every rule of rules.md: a passing case, a failing case and the missing-operand behaviour."""

import pytest

from app.catalog import load_catalog
from app.combining import derived_values as compute_derived
from app.model import Period, Report
from app.sample import sample_report
from app.validation import validate

CAT = load_catalog()
COMPARE_RULES = [r for r in CAT.rules if r.kind == "compare"]


def report_with(values, period=None):
    return Report(period=period or Period("nam", 2024), values=dict(values))


def rule_ids(report, previous=None):
    return [f.rule for f in validate(report, previous)]


def operands(rule, left_total, right_total):
    """Values for a rule: the first term of each side carries the total, the others 1."""
    values = {}
    for keys, total in ((rule.left, left_total), (rule.right, right_total)):
        for i, k in enumerate(keys):
            values[k] = 1 if i else total - (len(keys) - 1)
    return values


def test_catalogue_has_every_rule_of_rules_md():
    ids = [r.id for r in CAT.rules]
    assert ids[:23] == [f"R{i:02d}" for i in range(1, 24)] and len(set(ids)) == len(ids)


def test_every_indicator_is_asked_somewhere_and_every_operand_exists():
    """A key a rule or a derived indicator names is in the catalogue, and every indicator is
    collected at some level (the form, the intake workbook and the annex are built from it)."""
    for d in CAT.derived.values():
        assert set(d.operands) <= set(CAT.indicators), d.key
    for r in CAT.rules:
        assert set(r.operands) <= set(CAT.indicators), r.id
    assert all(ind.levels for ind in CAT.indicators.values())


@pytest.mark.parametrize("rule", COMPARE_RULES, ids=lambda r: r.id)
def test_rule_passes_on_the_boundary(rule):
    assert rule.id not in rule_ids(report_with(operands(rule, 50, 50)))


@pytest.mark.parametrize("rule", COMPARE_RULES, ids=lambda r: r.id)
def test_rule_fires_with_its_severity(rule):
    values = operands(rule, 51, 50)
    found = [f for f in validate(report_with(values)) if f.rule == rule.id]
    assert len(found) == 1
    f = found[0]
    assert f.severity == rule.severity
    assert set(f.fields) == set(rule.left + rule.right)
    for key in rule.left + rule.right:  # every operand is named with its figure
        assert f"({values[key]})" in f.message


@pytest.mark.parametrize("rule", COMPARE_RULES, ids=lambda r: r.id)
def test_rule_is_skipped_while_an_operand_is_missing(rule):
    values = operands(rule, 51, 50)
    del values[rule.right[-1]]
    assert rule.id not in rule_ids(report_with(values))


def test_r04_message_names_fields_and_numbers_the_vietnamese_way():
    r = report_with({"vbqppl_kien_nghi_sua_doi": 59, "vbqppl_kien_nghi_bai_bo": 1700,
                     "vbqppl_kiem_tra": 1675})
    (f,) = [f for f in validate(r) if f.rule == "R04"]
    assert f.severity == "error"
    assert f.message == (
        "Số văn bản kiến nghị sửa đổi, bổ sung (59) cộng số văn bản kiến nghị bãi bỏ (1.700) "
        "lớn hơn số văn bản QPPL và văn bản có chứa quy phạm được kiểm tra (1.675)."
    )


def test_seed_case_1_passes():
    r = report_with({"vbqppl_ban_hanh": 266, "vbqppl_kiem_tra": 1675,
                     "vbqppl_kien_nghi_sua_doi": 59, "vbqppl_kien_nghi_bai_bo": 43})
    assert "R04" not in rule_ids(r)


def test_brvt_published_procedures_warn_not_crash():
    r = report_with({"tthc_cong_bo": 7518, "tthc_cong_bo_moi": 3595,
                     "tthc_cong_bo_sua_doi": 977, "tthc_cong_bo_bai_bo": 2926})
    (f,) = [f for f in validate(r) if f.rule == "R07"]
    assert f.severity == "warning"
    assert "(7.518)" in f.message and "(7.498)" in f.message and "chênh lệch 20" in f.message


def test_thua_thien_hue_split_smaller_than_processed_is_only_a_warning():
    r = report_with({"ho_so_da_giai_quyet": 257141, "ho_so_truoc_han": 124907,
                     "ho_so_dung_han": 102770, "ho_so_qua_han": 19852})
    ids = rule_ids(r)
    assert "R14" not in ids and "R15" in ids


def test_one_stop_19_of_18_fails():
    r = report_with({"mot_cua_so_nganh_thuc_hien": 19, "mot_cua_so_nganh_tong": 18})
    assert "R10" in rule_ids(r)
    assert "R10" not in rule_ids(report_with({"mot_cua_so_nganh_thuc_hien": 18,
                                              "mot_cua_so_nganh_tong": 21}))


def test_r06_missing_district_counts_as_zero_only_in_two_tier_periods():
    values = {"tthc_tong_so": 1634, "tthc_cap_tinh": 1421, "tthc_cap_xa": 213}
    assert "R06" not in rule_ids(report_with(values, Period("nam", 2026)))
    wrong = dict(values, tthc_tong_so=1700)
    assert "R06" in rule_ids(report_with(wrong, Period("nam", 2026)))
    # before 1/7/2025 the district level exists: a blank district figure skips the rule
    assert "R06" not in rule_ids(report_with(wrong, Period("nam", 2024)))


def test_r23_district_figures_in_a_two_tier_period_warn():
    values = {"tthc_cap_huyen": 302, "mot_cua_huyen_tong": 6}
    (f,) = [f for f in validate(report_with(values, Period("quy_3", 2025))) if f.rule == "R23"]
    assert f.severity == "warning" and set(f.fields) == {"tthc_cap_huyen", "mot_cua_huyen_tong"}
    assert "R23" not in rule_ids(report_with(values, Period("nam", 2024)))
    assert "R23" not in rule_ids(report_with({}, Period("nam", 2026)))


@pytest.mark.parametrize("key, value, rule", [
    ("vbqppl_ban_hanh", -1, "F01"), ("vbqppl_ban_hanh", 2.5, "F01"),
    ("ty_le_so_hoa_ket_qua", 100.5, "F02"), ("ty_le_so_hoa_ket_qua", -0.1, "F02"),
    ("cs_papi_diem", 81, "F03"), ("cs_par_diem", 100.01, "F03"),
    ("cs_par_xep_hang", 64, "F04"), ("cs_par_xep_hang", 0, "F04"),
    ("bien_che_nam_goc", 1989, "F05"), ("bien_che_nam_goc", 2025, "F05"),
    ("tc_tiet_kiem_chi", -5, "F01"),
])
def test_field_rules_are_errors(key, value, rule):
    found = [f for f in validate(report_with({key: value})) if f.rule == rule]
    assert len(found) == 1 and found[0].severity == "error" and found[0].fields == (key,)


@pytest.mark.parametrize("key, value", [
    ("vbqppl_ban_hanh", 0), ("ty_le_so_hoa_ket_qua", 100), ("cs_papi_diem", 80),
    ("cs_par_xep_hang", 63), ("bien_che_nam_goc", 2024), ("cs_par_diem", 0),
])
def test_field_rules_accept_their_limits(key, value):
    assert not [f for f in validate(report_with({key: value})) if f.rule.startswith("F")]


def test_rank_limit_is_34_from_2025():
    assert "F04" in rule_ids(report_with({"cs_par_xep_hang": 40}, Period("nam", 2025)))
    assert "F04" not in rule_ids(report_with({"cs_par_xep_hang": 40}, Period("nam", 2024)))


def test_p01_large_change_against_last_year_warns():
    prev = report_with({"vbqppl_ban_hanh": 100, "tthc_tong_so": 5}, Period("nam", 2023))
    cur = report_with({"vbqppl_ban_hanh": 151, "tthc_tong_so": 12})
    found = [f for f in validate(cur, prev) if f.rule == "P01"]
    assert [f.fields for f in found] == [("vbqppl_ban_hanh",)]  # 5 → 12 changes by fewer than 10
    assert "151" in found[0].message and "100" in found[0].message
    assert "P01" not in rule_ids(report_with({"vbqppl_ban_hanh": 150}), prev)
    assert "P01" not in rule_ids(report_with({}), prev)  # missing: skipped


def test_p02_rank_of_last_year_must_match_last_years_report():
    prev = report_with({"cs_par_xep_hang": 23, "cs_sipas_xep_hang": 16}, Period("nam", 2023))
    cur = report_with({"cs_par_xep_hang_ky_truoc": 24, "cs_sipas_xep_hang_ky_truoc": 16})
    found = [f for f in validate(cur, prev) if f.rule == "P02"]
    assert [f.fields for f in found] == [("cs_par_xep_hang_ky_truoc",)]
    assert "P02" not in rule_ids(cur)  # without a previous report the rule is not checked


def test_targets_are_information_with_a_verdict():
    r = report_with({"ho_so_da_giai_quyet": 1000, "ho_so_truoc_han": 900, "ho_so_dung_han": 73,
                     "ho_so_qua_han": 27}, Period("nam", 2025))
    (f,) = [f for f in validate(r) if f.rule == "T01"]
    assert f.severity == "info" and "97,3%" in f.message and "chưa đạt" in f.message


def test_an_explanation_satisfies_a_warning_but_not_an_error():
    r = report_with({"kiem_tra_da_thuc_hien": 22, "kiem_tra_ke_hoach": 20,
                     "kh_nhiem_vu_hoan_thanh": 50, "kh_nhiem_vu_tong_so": 48})
    r.explanations["R02"] = "Kiểm tra đột xuất 02 cơ quan theo chỉ đạo của Chủ tịch UBND tỉnh."
    r.explanations["R01"] = "Không có tác dụng với lỗi."
    by_rule = {f.rule: f for f in validate(r)}
    assert by_rule["R02"].explained and not by_rule["R02"].blocking
    assert by_rule["R01"].blocking


def test_blank_is_not_zero_in_derived_indicators():
    derived = compute_derived({"ho_so_truoc_han": 10, "ho_so_dung_han": 5})
    assert derived["ty_le_giai_quyet_dung_han"] is None
    assert compute_derived({"mot_cua_xa_thuc_hien": 0, "mot_cua_xa_tong": 0})["ty_le_mot_cua_xa"] is None
    d = compute_derived({"ho_so_truoc_han": 152300, "ho_so_dung_han": 80335, "ho_so_da_giai_quyet": 238920})
    assert round(d["ty_le_giai_quyet_dung_han"], 2) == 97.37


def test_the_sample_report_is_valid():
    findings = validate(sample_report())
    assert not [f for f in findings if f.severity != "info"]


@pytest.mark.parametrize("key, value, rule, severity", [
    ("vbqppl_ban_hanh", 10**13, "F06", "error"),
    ("ho_so_tiep_nhan", 10**12 + 1, "F06", "error"),
    ("tc_tiet_kiem_chi", 2 * 10**16, "F06", "error"),
    ("vbqppl_ban_hanh", 250_000, "F07", "warning"),
    ("ho_so_tiep_nhan", 60_000_000, "F07", "warning"),
    ("mot_cua_huyen_tong", 500, "F07", "warning"),
])
def test_figures_beyond_the_catalogue_bounds(key, value, rule, severity):
    found = [f for f in validate(report_with({key: value})) if f.rule == rule]
    assert len(found) == 1 and found[0].severity == severity and found[0].fields == (key,)
    assert CAT.label(key) in found[0].message


@pytest.mark.parametrize("key, value", [
    ("ho_so_tiep_nhan", 12_000_000), ("vbqppl_ban_hanh", 100_000), ("mot_cua_xa_tong", 559),
])
def test_large_but_plausible_figures_pass(key, value):
    assert not {"F06", "F07"} & set(rule_ids(report_with({key: value})))


def test_every_indicator_has_bounds_and_prefix_bounds_skip_other_units():
    for key in CAT.indicators:
        b = CAT.bounds_for(key)
        assert 0 < b.plausible_max <= b.physical_max <= 1e16
    assert CAT.bounds_for("bien_che_nam_goc").physical_max == 2100  # a year, not a count
    assert CAT.bounds_for("bien_che_giam_ty_le").physical_max == 100  # a percent
    assert CAT.bounds_for("cs_papi_diem").physical_max == 80
    assert CAT.bounds_for("ty_le_giai_quyet_dung_han").physical_max == 100  # a derived rate
