"""The generated report text (writing.md): reports built the way published texts give their
figures, and the exact sentences the default clause wording (cau_van.toml) makes of them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from filling import docx_text

from app.export import export_report
from app.export.clauses import (
    ClauseFileError,
    clause_file_problems,
    data_window_default,
    load_book,
)
from app.export.context import build_context
from app.formatting import format_percent
from app.model import DocumentInfo, Period, Report, Signer, Unit
from app.sample import sample_report


def province_report(values: dict, period: Period | None = None) -> Report:
    return Report(
        unit=Unit(name="Ủy ban nhân dân tỉnh Hà Nam", code="UBND", level="tinh"),
        period=period or Period("nam", 2024),
        document=DocumentInfo(number=5, symbol="BC-UBND", place="Hà Nam", date=date(2024, 12, 16),
                              to=["Bộ Nội vụ"], distribution=["Như trên", "Lưu: VT, SNV"],
                              signer=Signer("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An")),
        values=dict(values),
    )


def text_of(report: Report, draft: bool = False, pad: bool = True, previous=None) -> dict:
    ctx = build_context(report, previous, draft=draft, pad=pad)
    return ctx["cau_van"] | {f"thieu.{k}": v for k, v in ctx["cau_van_thieu"].items()}


word_text = docx_text


# -- dossiers: only what the published text gives -------------------------------------------

PUBLISHED = {"ho_so_tiep_nhan": 84210, "ho_so_da_giai_quyet": 80115,
             "ho_so_truoc_va_dung_han": 78902, "ho_so_qua_han": 1213,
             "ho_so_dang_giai_quyet": 4095, "ho_so_dang_trong_han": 3870,
             "ho_so_dang_qua_han": 225}


def test_received_resolved_combined_on_time_and_late_read_as_the_published_text():
    text = text_of(province_report(PUBLISHED))
    assert text["ho_so"] == (
        "Trong kỳ, toàn tỉnh tiếp nhận 84.210 hồ sơ, đã giải quyết 80.115 hồ sơ, trong đó giải "
        "quyết trước hạn và đúng hạn 78.902 hồ sơ, đạt tỷ lệ 98,49%; quá hạn 1.213 hồ sơ, chiếm "
        "tỷ lệ 1,51%; đang giải quyết 4.095 hồ sơ (trong hạn 3.870 hồ sơ, quá hạn 225 hồ sơ).")
    assert text["thieu.ho_so"] == ""  # a final export names no hole


def test_a_draft_marks_what_the_paragraph_could_not_say():
    text = text_of(province_report(PUBLISHED), draft=True)
    assert text["ho_so"].startswith("Trong kỳ, toàn tỉnh tiếp nhận 84.210 hồ sơ")
    assert text["thieu.ho_so"] == (
        "Chưa có số liệu: số hồ sơ tiếp nhận trực tuyến; số hồ sơ tiếp nhận trực tiếp và qua "
        "dịch vụ bưu chính; số hồ sơ từ kỳ trước chuyển sang; số hồ sơ trả lại hoặc tổ chức, "
        "cá nhân rút.")


def test_only_a_rate_is_written_alone():
    text = text_of(province_report({"ty_le_giai_quyet_dung_han": 99}))
    assert text["ho_so"] == "Trong kỳ, tỷ lệ hồ sơ giải quyết đúng hạn đạt 99%."


def test_a_paragraph_with_nothing_known_is_left_out_and_the_narrative_stands_alone(tmp_path):
    r = province_report({"vbqppl_ban_hanh": 12})
    r.narrative["tthc"] = "Bộ phận Một cửa các cấp hoạt động ổn định."
    text = text_of(r)
    assert text["ho_so"] == text["mot_cua"] == text["chi_so_par"] == ""
    out = tmp_path / "r.docx"
    export_report(r, docx=out, draft=True)
    body = word_text(out)
    assert "Bộ phận Một cửa các cấp hoạt động ổn định." in body
    assert "Trong kỳ, tỉnh ban hành 12 văn bản quy phạm pháp luật." in body
    assert "…" not in body.replace("[Chưa", "")  # holes only inside the draft's marks


# -- a five-year phase ----------------------------------------------------------------------

PHASE_VALUES = {"cs_par_diem": 86.57, "cs_par_xep_hang": 20, "cs_par_xep_hang_ky_truoc": 46,
                "cs_papi_xep_hang": 10, "cs_papi_xep_hang_ky_truoc": 44,
                "cs_pci_xep_hang": 30, "cs_pci_xep_hang_ky_truoc": 27,
                "bien_che_giam": 2661, "bien_che_giam_hanh_chinh": 203,
                "bien_che_giam_su_nghiep": 2458, "bien_che_nam_goc": 2015}


def test_a_phase_compares_with_its_base_year_and_plans_the_next_phase():
    r = province_report(PHASE_VALUES, Period("giai_doan", None, 2016, 2020))
    ctx = build_context(r, pad=True)
    text = ctx["cau_van"]
    assert text["chi_so_par"] == ("Chỉ số cải cách hành chính (PAR INDEX) của tỉnh đạt 86,57 "
                                  "điểm, xếp thứ 20/63, tăng 26 bậc so với năm 2015.")
    assert text["chi_so_khac"] == (
        "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI) xếp thứ 10/63, tăng 34 bậc "
        "so với năm 2015. Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) xếp thứ 30/63, giảm 03 bậc "
        "so với năm 2015.")
    assert text["bien_che"] == ("Đã tinh giản 2.661 biên chế (203 biên chế công chức, 2.458 "
                                "người làm việc) so với năm 2015.")
    assert ctx["ky_tiep_theo"] == "giai đoạn 2021 - 2025"
    assert ctx["thoi_gian_so_lieu"] == "(Số liệu tính từ ngày 15/12/2015 đến ngày 14/12/2020)"
    # entered from its base year, the phase still plans the next five years
    r.period = Period("giai_doan", None, 2015, 2020)
    assert build_context(r)["ky_tiep_theo"] == "giai đoạn 2021 - 2025"
    r.period = Period("giai_doan", None, 2011, 2020)
    assert build_context(r)["ky_tiep_theo"] == "giai đoạn 2021 - 2030"


def test_recent_par_index_as_a_percentage_with_score_change_and_group_on_34_provinces():
    r = province_report({"cs_par_diem": 87.32, "cs_par_diem_ky_truoc": 84.86,
                         "cs_par_xep_hang": 12, "cs_par_xep_hang_ky_truoc": 17,
                         "cs_sipas_ty_le": 85.1, "cs_sipas_xep_hang": 9,
                         "cs_sipas_xep_hang_ky_truoc": 9}, Period("nam", 2025))
    text = text_of(r)
    assert text["chi_so_par"] == (
        "Chỉ số cải cách hành chính (PAR INDEX) của tỉnh đạt 87,32%, tăng 2,46 điểm % so với "
        "năm trước, xếp thứ 12/34, tăng 05 bậc, thuộc nhóm B.")
    assert text["chi_so_khac"] == (  # a rank is a place, not a count: never padded
        "Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà "
        "nước (SIPAS) đạt 85,1%, xếp thứ 9/34, giữ nguyên thứ hạng so với năm trước.")


def test_weakest_and_strongest_areas_only_with_the_area_maxima(tmp_path):
    areas = {"cs_par_diem_chi_dao": 8.1, "cs_par_diem_the_che": 7.9, "cs_par_diem_tthc": 9.2,
             "cs_par_diem_bo_may": 6.0}
    r = province_report({"cs_par_diem": 87.32, **areas}, Period("nam", 2024))
    assert "cao nhất" not in text_of(r)["chi_so_par"]  # raw points of unequal areas: silent
    folder = tmp_path / "mau"
    folder.mkdir()
    src = load_book().path.read_text(encoding="utf-8")
    src = src.replace("[diem_toi_da]\n", "[diem_toi_da]\ncs_par_diem_chi_dao = 9\n"
                      "cs_par_diem_the_che = 8\ncs_par_diem_tthc = 10\ncs_par_diem_bo_may = 8\n")
    (folder / "cau_van.toml").write_text(src, encoding="utf-8")
    ctx = build_context(r, clause_file=folder / "cau_van.toml")
    assert ctx["cau_van"]["chi_so_par"] == (
        "Chỉ số cải cách hành chính (PAR INDEX) của tỉnh đạt 87,32%, thuộc nhóm B; kết quả cao "
        "nhất thuộc lĩnh vực cải cách thể chế (7,9/8 điểm, đạt 98,75%), thấp nhất thuộc lĩnh vực "
        "cải cách tổ chức bộ máy hành chính nhà nước (6/8 điểm, đạt 75%).")


# -- consolidation: blanks are not "no" -----------------------------------------------------


def _consolidated():
    from app.consolidation import consolidate
    from app.intake import Submission

    period = Period("nam", 2024)
    when = datetime(2024, 12, 10, 8, 0)

    def sub(name, level, values):
        return Submission(Unit(name, "", level), period, values, f"{name}.cchc", when, "report")

    result = consolidate([
        sub("Sở Tư pháp", "so_nganh", {"tthc_mot_cua": 120, "ho_so_tiep_nhan": 1000,
                                       "ho_so_da_giai_quyet": 1000, "ho_so_truoc_han": 900,
                                       "ho_so_dung_han": 80, "ho_so_qua_han": 20}),
        sub("Sở Xây dựng", "so_nganh", {"ho_so_tiep_nhan": 500, "ho_so_da_giai_quyet": 480,
                                        "ho_so_truoc_han": 400, "ho_so_dung_han": 60,
                                        "ho_so_qua_han": 20}),
        sub("Xã Kim Bảng", "xa", {"tthc_mot_cua": 95}),
    ], period, Unit("Ủy ban nhân dân tỉnh Hà Nam", "UBND", "tinh"))
    r = result.report
    r.document = province_report({}).document
    return r


def test_a_consolidation_counts_only_units_that_answered_and_says_how_many_did_not():
    text = text_of(_consolidated())
    assert text["mot_cua"] == ("Có 215 thủ tục hành chính được thực hiện theo cơ chế một cửa, "
                               "một cửa liên thông (01 đơn vị chưa báo cáo số liệu này).")
    assert text["mot_cua_don_vi"].startswith(
        "Theo báo cáo của 03 đơn vị, cơ chế một cửa, một cửa liên thông được thực hiện tại 01/01 "
        "sở, ban, ngành và 01/01 xã, phường đã gửi báo cáo (chi tiết tại Phụ lục kèm theo). Chưa "
        "báo cáo số liệu về một cửa: 01 sở, ban, ngành.")
    assert "0/" not in text["mot_cua_don_vi"]
    assert text["ho_so"] == (
        "Trong kỳ, toàn tỉnh tiếp nhận 1.500 hồ sơ (01 đơn vị chưa báo cáo), đã giải quyết 1.480 "
        "hồ sơ, trong đó giải quyết trước hạn 1.300 hồ sơ, đúng hạn 140 hồ sơ, đạt tỷ lệ 97,3%; "
        "quá hạn 40 hồ sơ, chiếm tỷ lệ 2,7%.")


def _annex_value(path: Path, label: str):
    ws = openpyxl.load_workbook(path, data_only=True)["Phụ lục"]
    for row in ws.iter_rows():
        cells = [c.value for c in row]
        if label in cells:
            after = cells[cells.index(label) + 1:]
            return next(v for v in after if isinstance(v, int | float))
    raise AssertionError(f"no annex row {label!r}")


def test_word_text_and_annex_agree_on_every_figure_of_the_consolidation(tmp_path):
    from app.catalog import load_catalog

    cat = load_catalog()
    r = _consolidated()
    for f in __import__("app.validation", fromlist=["validate"]).validate(r):
        if f.severity == "warning":
            r.explanations[f.explanation_key] = "Đơn vị chưa gửi đủ số liệu."
    docx, xlsx = tmp_path / "bc.docx", tmp_path / "pl.xlsx"
    export_report(r, docx=docx, xlsx=xlsx, draft=True)
    body = word_text(docx)
    assert "…" not in body.replace("[Chưa", "")
    on_time = _annex_value(xlsx, cat.label("ty_le_giai_quyet_dung_han"))
    late = _annex_value(xlsx, cat.label("ty_le_qua_han"))
    assert f"đạt tỷ lệ {format_percent(on_time)}" in body and format_percent(on_time) == "97,3%"
    assert f"chiếm tỷ lệ {format_percent(late)}" in body
    assert _annex_value(xlsx, cat.label("ho_so_tiep_nhan")) == 1500 and "1.500 hồ sơ" in body


# -- levels that do not add up --------------------------------------------------------------


def test_levels_are_said_level_by_level_and_the_totals_stay_as_stated():
    r = province_report({"ho_so_tiep_nhan": 635600, "ho_so_da_giai_quyet": 635000,
                         "ho_so_truoc_han": 600000, "ho_so_dung_han": 35593})
    r.by_level = {  # type: ignore[attr-defined]
        "tinh": {"ho_so_tiep_nhan": Decimal(120500), "ho_so_da_giai_quyet": Decimal(120000),
                 "ho_so_truoc_han": Decimal(110000), "ho_so_dung_han": Decimal(9800)},
        "huyen": {"ho_so_tiep_nhan": Decimal(215100), "ho_so_da_giai_quyet": Decimal(215000),
                  "ho_so_truoc_han": Decimal(200000), "ho_so_dung_han": Decimal(14795),
                  "tthc_cap_huyen": None},
        "xa": {"ho_so_tiep_nhan": Decimal(300000), "ho_so_da_giai_quyet": Decimal(300000),
               "ho_so_truoc_han": None, "ho_so_dung_han": None},
    }
    text = text_of(r)
    assert text["theo_cap"] == (
        "Cấp tỉnh tiếp nhận 120.500 hồ sơ, đã giải quyết 120.000 hồ sơ, tỷ lệ đúng hạn 99,83%; "
        "cấp huyện tiếp nhận 215.100 hồ sơ, đã giải quyết 215.000 hồ sơ, tỷ lệ đúng hạn 99,9%; "
        "cấp xã tiếp nhận 300.000 hồ sơ, đã giải quyết 300.000 hồ sơ.")
    # the province's own figures are said as entered, not replaced by the sum of the levels
    assert "tiếp nhận 635.600 hồ sơ" in text["ho_so"] and "đúng hạn 35.593 hồ sơ" in text["ho_so"]


def test_no_district_level_after_the_two_tier_reform():
    r = province_report({}, Period("nam", 2026))
    r.by_level = {"tinh": {"ho_so_tiep_nhan": 10}, "huyen": {"ho_so_tiep_nhan": 5},  # type: ignore[attr-defined]
                  "xa": {"ho_so_tiep_nhan": 20}}
    assert text_of(r)["theo_cap"] == "Cấp tỉnh tiếp nhận 10 hồ sơ; cấp xã tiếp nhận 20 hồ sơ."


# -- one padding rule -----------------------------------------------------------------------


def test_small_numbers_padded_by_default_and_not_when_the_setting_says_so():
    from app.settings import load_settings, save_settings

    r = province_report({"bm_giam_co_quan_chuyen_mon_tinh": 5, "bm_giam_chi_cuc": 12,
                         "cs_par_xep_hang": 21, "cs_par_xep_hang_ky_truoc": 24,
                         "mot_cua_huyen_tong": 6, "mot_cua_huyen_thuc_hien": 6})
    padded = build_context(r)
    assert "giảm 05 cơ quan chuyên môn, 12 chi cục" in padded["cau_van"]["bo_may"]
    assert "xếp thứ 21/63, tăng 03 bậc so với năm trước" in padded["cau_van"]["chi_so_par"]
    assert "06/06 huyện" in padded["cau_van"]["mot_cua"]
    assert padded["bm_giam_co_quan_chuyen_mon_tinh"] == "05"  # {{ KEY }} follows the same rule
    s = load_settings()
    s.number_padding = "plain"
    save_settings(s)
    plain = build_context(r)
    assert "giảm 5 cơ quan chuyên môn" in plain["cau_van"]["bo_may"]
    assert "tăng 3 bậc" in plain["cau_van"]["chi_so_par"] and "6/6 huyện" in plain["cau_van"]["mot_cua"]
    assert plain["cs_par_thay_doi_bac"] == "tăng 3 bậc"


# -- the data window ------------------------------------------------------------------------


def test_data_window_from_the_regime_unless_the_drafter_set_one():
    r = province_report({}, Period("quy_1", 2023))
    assert data_window_default(r) == "(Số liệu tính từ ngày 15/12/2022 đến ngày 14/3/2023)"
    assert build_context(r)["thoi_gian_so_lieu"] == data_window_default(r)
    r.document.data_window = {"from": "2019-12-01", "to": "2020-02-29"}  # type: ignore[attr-defined]
    assert build_context(r)["thoi_gian_so_lieu"] == ("(Số liệu tính từ ngày 01/12/2019 đến ngày "
                                                    "29/2/2020)")
    r.document.data_window = "Số liệu tính từ ngày 01/12/2019 đến ngày 29/02/2020"  # type: ignore[attr-defined]
    assert build_context(r)["thoi_gian_so_lieu"] == ("(Số liệu tính từ ngày 01/12/2019 đến ngày "
                                                    "29/02/2020)")


# -- the sample and a sparse report through the Word export ---------------------------------


def test_final_export_of_a_sparse_report_has_no_hole_and_its_draft_marks_them(tmp_path):
    r = sample_report()
    keep = {"ho_so_tiep_nhan", "ho_so_da_giai_quyet", "ho_so_qua_han", "vbqppl_ban_hanh"}
    r.values = {k: v for i, (k, v) in enumerate(r.values.items()) if i % 2 == 0 or k in keep}
    for f in __import__("app.validation", fromlist=["validate"]).validate(r):
        if f.severity == "warning":
            r.explanations[f.explanation_key] = "Chưa tổng hợp đủ số liệu."
    final, draft = tmp_path / "final.docx", tmp_path / "draft.docx"
    export_report(r, docx=final)
    export_report(r, docx=draft, draft=True)
    final_text, draft_text = word_text(final), word_text(draft)
    assert "…" not in final_text and "Chưa có số liệu" not in final_text
    assert "[Chưa có số liệu:" in draft_text


# -- the clause file, as an administrator edits it ------------------------------------------


def test_rewording_a_sentence_in_the_clause_file_changes_the_report(tmp_path):
    from app.templates import duplicate_template, list_templates

    default = next(i for i in list_templates(include_user=False) if i.key == "default")
    mine = duplicate_template(default, tmp_path / "mau", new_name="Mẫu tỉnh")
    clauses = mine.folder / "cau_van.toml"
    src = clauses.read_text(encoding="utf-8")
    clauses.write_text(src.replace("{toan_the} tiếp nhận {ho_so_tiep_nhan} hồ sơ",
                                   "các cơ quan, đơn vị đã tiếp nhận {ho_so_tiep_nhan} hồ sơ"),
                       encoding="utf-8")
    out = tmp_path / "bc.docx"
    export_report(sample_report(), docx=out, template=mine.folder)
    assert "Trong kỳ, các cơ quan, đơn vị đã tiếp nhận 245.310 hồ sơ" in word_text(out)


def test_a_bad_clause_file_is_named_with_its_clause_and_problem(tmp_path, capsys):
    from app.cli import main
    from app.templates import duplicate_template, list_templates, read_manifest

    default = next(i for i in list_templates(include_user=False) if i.key == "default")
    mine = duplicate_template(default, tmp_path / "mau")
    clauses = mine.folder / "cau_van.toml"
    src = clauses.read_text(encoding="utf-8")
    clauses.write_text(src.replace("{ho_so_tiep_nhan} hồ sơ[ ({so_sanh",
                                   "{ho_so_tiep_nhann} hồ sơ[ ({so_sanh"), encoding="utf-8")
    problems = clause_file_problems(clauses)
    assert problems == ["cau_van.toml: đoạn “ho_so”, câu 1, vế 1: không có trường "
                        "“{ho_so_tiep_nhann}”. Có phải ý bạn là “ho_so_tiep_nhan”?"]
    assert read_manifest(mine.folder).problems == problems  # shown in the template library
    assert main(["template", "check", str(mine.folder)]) == 1
    out = capsys.readouterr().out
    assert "[lỗi] cau_van.toml: đoạn “ho_so”, câu 1, vế 1: không có trường" in out
    with pytest.raises(Exception, match="tệp câu văn không dùng được"):
        export_report(sample_report(), docx=tmp_path / "x.docx", template=mine.folder)
    clauses.write_text("[doan.ho_so]\ncau = [{ ve = [\"tiếp nhận [{ho_so_tiep_nhan} hồ sơ\"] }]\n",
                       encoding="utf-8")
    assert clause_file_problems(clauses) == [
        "cau_van.toml: đoạn “ho_so”, câu 1, vế 1: thiếu dấu “]” đóng phần tùy chọn."]
    clauses.write_text("[doan.ho_so\n", encoding="utf-8")
    assert clause_file_problems(clauses)[0].startswith("cau_van.toml: viết sai cú pháp")
    with pytest.raises(ClauseFileError):
        load_book(clauses)


def test_the_default_template_passes_its_check_and_lists_the_new_fields():
    from app.export.context import field_reference
    from app.templates import check_template
    from app.templates.library import read_manifest

    folder = load_book().path.parent
    result = check_template(folder)
    assert result.ok, [p.line() for p in result.problems]
    assert read_manifest(folder).clause_problems == []
    names = {row[0] for row in field_reference()}
    assert {"cau_van.ho_so", "cau_van.theo_cap", "cau_van.chi_so_par", "thoi_gian_so_lieu",
            "cau_van_thieu.<đoạn>"} <= names


def test_a_final_export_names_every_hole_of_an_administrators_own_fields(tmp_path):
    from app.templates import duplicate_template, list_templates

    default = next(i for i in list_templates(include_user=False) if i.key == "default")
    mine = duplicate_template(default, tmp_path / "mau")
    doc = Document(str(mine.docx))
    p = next(p for p in doc.paragraphs if "{{ cau_van.the_che }}" in p.text)
    p.runs[0].text = "Ban hành {{ vbqppl_ban_hanh }} văn bản, kiểm tra {{ vbqppl_kiem_tra }} văn bản."
    for r in p.runs[1:]:
        r._r.getparent().remove(r._r)
    doc.save(str(mine.docx))
    r = sample_report()
    r.set_value("vbqppl_ban_hanh", None)
    r.explanations.update({f.explanation_key: "Chưa có số liệu." for f in
                           __import__("app.validation", fromlist=["validate"]).validate(r)
                           if f.severity == "warning"})
    result = export_report(r, docx=tmp_path / "bc.docx", template=mine.folder)
    assert "Ban hành … văn bản, kiểm tra 1.675 văn bản." in word_text(tmp_path / "bc.docx")
    assert any("còn 1 chỗ “…”" in n and "{{ vbqppl_ban_hanh }}" in n
               for n in result.template_notes), result.template_notes
    draft = export_report(r, docx=tmp_path / "dt.docx", template=mine.folder, draft=True)
    assert not any("chỗ “…”" in n for n in draft.template_notes)


def test_the_outline_of_the_clause_wording_makes_blank_essentials_warnings():
    from app.validation import validate

    assert not [f for f in validate(sample_report()) if f.rule == "O01"]
    r = province_report(PUBLISHED)  # no online figure, no digitisation rate, no TTHC published
    found = {f.explanation_key for f in validate(r) if f.rule == "O01"}
    assert found == {"vbqppl_ban_hanh", "tthc_cong_bo", "ty_le_tiep_nhan_truc_tuyen",
                     "ty_le_so_hoa_ket_qua"}
    xa = province_report({"ho_so_tiep_nhan": 10})
    xa.unit.level = "xa"
    assert "vbqppl_ban_hanh" in {f.explanation_key for f in validate(xa) if f.rule == "O01"}


def test_a_quarter_compares_counts_with_the_same_quarter_and_indices_with_the_year_before():
    r = province_report({"vbqppl_ban_hanh": 110, "cs_par_xep_hang": 9,
                         "cs_par_xep_hang_ky_truoc": 12}, Period("quy_1", 2025))
    before = province_report({"vbqppl_ban_hanh": 100}, Period("quy_1", 2024))
    text = text_of(r, previous=before)
    assert text["the_che"] == ("Trong kỳ, tỉnh ban hành 110 văn bản quy phạm pháp luật (tăng 10% "
                               "so với cùng kỳ năm trước).")
    assert text["chi_so_par"] == ("Chỉ số cải cách hành chính (PAR INDEX) của tỉnh xếp thứ 9/34, "
                                  "tăng 03 bậc so với năm trước.")
    assert build_context(r)["ky_tiep_theo"] == "quý II năm 2025"


def test_programme_targets_compared_in_words_as_the_figure_is_written():
    r = province_report({"ho_so_tiep_nhan": 1000, "ho_so_truc_tuyen": 582,
                         "ho_so_da_giai_quyet": 1000, "ho_so_truoc_va_dung_han": 979,
                         "ty_le_so_hoa_ket_qua": 80}, Period("nam", 2025))
    text = text_of(r)
    assert ("trong đó trực tuyến 582 hồ sơ, chiếm tỷ lệ 58,2% (vượt chỉ tiêu 50% của Nghị quyết "
            "số 76/NQ-CP)") in text["ho_so"]
    assert ("đạt tỷ lệ 97,9%, chưa đạt chỉ tiêu 98% của Bộ chỉ số phục vụ người dân, doanh "
            "nghiệp (QĐ 766)") in text["ho_so"]
    assert text["so_hoa"].startswith("Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính "
                                     "đạt 80%, đạt chỉ tiêu 80% của Bộ chỉ số")


def test_a_communes_draft_names_no_figure_its_level_does_not_collect():
    r = province_report({}, Period("nam", 2026))
    r.unit = Unit(name="Ủy ban nhân dân xã An Bình", code="UBND", level="xa")
    holes = " ".join(build_context(r, draft=True)["cau_van_thieu"].values())
    assert "số sở, ban, ngành" not in holes and "cấp huyện" not in holes
    assert "Chỉ số" not in holes and "tổng số hồ sơ TTHC tiếp nhận" in holes
