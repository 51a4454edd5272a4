"""The Word report as Word users get it: page, margins, fonts, header texts, sentences."""

import zipfile
from datetime import datetime

import pytest
from docx import Document
from docx.shared import Mm
from filling import docx_text, source

from app.export import export_report
from app.model import Period
from app.sample import sample_report

all_text = docx_text


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("w") / "r.docx"
    export_report(sample_report(), docx=out)
    return out


def test_page_is_a4_with_nd30_margins(rendered):
    sec = Document(str(rendered)).sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(1) and abs(sec.page_height - Mm(297)) < Mm(1)
    assert [round(m / 36000) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin,
                                       sec.right_margin)] == [20, 20, 30, 15]
    assert sec.different_first_page_header_footer
    assert "PAGE" in sec.header._element.xml


def test_body_font_is_times_new_roman(rendered):
    doc = Document(str(rendered))
    assert doc.styles["Normal"].font.name == "Times New Roman"
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"}


def test_header_block_texts(rendered):
    doc = Document(str(rendered))
    header = doc.tables[0]
    left = "\n".join(c.text for c in header.columns[0].cells)
    right = "\n".join(c.text for c in header.columns[1].cells)
    assert "ỦY BAN NHÂN DÂN\nTỈNH HÀ NAM" in left and "Số: 412/BC-UBND" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    assert "Hà Nam, ngày 16 tháng 12 năm 2024" in right
    date_run = [r for c in header.columns[1].cells for p in c.paragraphs for r in p.runs
                if "ngày 16" in r.text][0]
    assert date_run.italic


def test_title_sections_and_generated_sentences(rendered):
    text = all_text(Document(str(rendered)))
    for expected in [
        "BÁO CÁO", "Kết quả thực hiện công tác cải cách hành chính năm 2024",
        "Kính gửi: Bộ Nội vụ.",
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025", "V. KIẾN NGHỊ, ĐỀ XUẤT",
        "Trong kỳ, tỉnh ban hành 266 văn bản quy phạm pháp luật; kiểm tra 1.675 văn bản",
        "kiến nghị sửa đổi, bổ sung 59 văn bản và bãi bỏ 43 văn bản",
        "đúng hạn 80.335 hồ sơ, đạt tỷ lệ 97,37%",
        "được áp dụng tại 18/21 sở, ban, ngành",
        "xếp thứ 21/63, tăng 03 bậc",
        "(Số liệu tính từ ngày 15/12/2023 đến ngày 14/12/2024)",
        "kinh phí tiết kiệm chi đạt 186,5 tỷ đồng",
        "giảm 8,7% so với năm 2015",
        "cấp tỉnh giảm 05 cơ quan chuyên môn",
        "Nơi nhận:", "- Như trên;", "- Lưu: VT, SNV.",
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An",
    ]:
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text and "}}" not in text
    assert "…" not in text  # a final export: no hole written by the program


def test_not_reported_figures_are_left_out_and_marked_in_a_draft(tmp_path):
    r = sample_report()
    r.set_value("vbqppl_ban_hanh", None)
    r.set_value("ho_so_da_giai_quyet", None)
    out = tmp_path / "r.docx"
    export_report(r, docx=out, draft=True)
    text = all_text(Document(str(out)))
    # the sentence says what is known, never a hole or a zero …
    assert "Trong kỳ, kiểm tra 1.675 văn bản quy phạm pháp luật" in text
    assert "ban hành 0 văn bản" not in text and "ban hành … văn bản" not in text
    assert "; đã giải quyết" not in text
    # … and the draft names what is missing, marked
    assert "[Chưa có số liệu: số văn bản quy phạm pháp luật được ban hành.]" in text
    assert "số hồ sơ đã giải quyết" in text


def test_user_text_with_markup_characters_comes_out_literally(tmp_path):
    r = sample_report()
    r.narrative["kien_nghi"] = "Đề nghị Bộ Nội vụ & Bộ Tài chính <sớm> hướng dẫn {{ 7*7 }}."
    r.document.to = ["Bộ Nội vụ", "Văn phòng Chính phủ"]
    out = tmp_path / "r.docx"
    export_report(r, docx=out)
    text = all_text(Document(str(out)))
    assert "Đề nghị Bộ Nội vụ & Bộ Tài chính <sớm> hướng dẫn {{ 7*7 }}." in text
    assert "- Bộ Nội vụ;" in text and "- Văn phòng Chính phủ." in text
    with zipfile.ZipFile(out) as z:
        assert "&amp; Bộ Tài chính &lt;sớm&gt;" in z.read("word/document.xml").decode()


def test_two_tier_period_drops_the_district_clause(tmp_path):
    r = sample_report(2026)
    r.period = Period("nam", 2026)
    for key in ("tthc_cap_huyen", "mot_cua_huyen_tong", "mot_cua_huyen_thuc_hien",
                "bm_giam_co_quan_cap_huyen", "cs_par_xep_hang", "cs_par_xep_hang_ky_truoc",
                "cs_sipas_xep_hang", "cs_sipas_xep_hang_ky_truoc", "cs_papi_xep_hang",
                "cs_pci_xep_hang", "cs_766_xep_hang"):
        r.set_value(key, None)
    r.set_value("tthc_tong_so", 1634)
    out = tmp_path / "r.docx"
    export_report(r, docx=out, draft=True)
    text = all_text(Document(str(out)))
    assert "cấp huyện" not in text and "(1.421 cấp tỉnh, 213 cấp xã)" in text
    assert "xếp thứ" not in text  # no rank entered: no rank sentence, no "…/34"
    assert "năm 2026" in text


def test_consolidated_report_cites_its_units(tmp_path):
    r = sample_report()

    def src(name, level, values):
        return source(name, level, values, file=f"{name}.xlsx",
                      received=datetime(2024, 12, 10, 8, 0), period=r.period)

    r.sources = [
        src("Sở Tư pháp", "so_nganh", {"tthc_mot_cua": 120, "ho_so_truoc_han": 900,
                                       "ho_so_dung_han": 80, "ho_so_da_giai_quyet": 1000}),
        src("Sở Xây dựng", "so_nganh", {"tthc_mot_cua": 0, "ho_so_truoc_han": 700,
                                        "ho_so_dung_han": 212, "ho_so_da_giai_quyet": 1000}),
        src("Xã Kim Bảng", "xa", {"tthc_mot_cua": 95}),
    ]
    out = tmp_path / "r.docx"
    export_report(r, docx=out)
    text = all_text(Document(str(out)))
    assert ("Theo báo cáo của 03 đơn vị, cơ chế một cửa, một cửa liên thông được thực hiện tại "
            "01/02 sở, ban, ngành và 01/01 xã, phường đã gửi báo cáo (chi tiết tại Phụ lục kèm "
            "theo).") in text
    assert "thấp nhất: Sở Xây dựng (91,2%); Sở Tư pháp (98%)." in text
    assert "…" not in text


def test_compiled_template_parts_are_kept_and_a_damaged_cache_is_ignored(tmp_path):
    from app.settings import data_dir

    report = sample_report()
    first = tmp_path / "a.docx"
    export_report(report, docx=first)
    cache = data_dir() / "template-cache"
    kept = sorted(cache.glob("*.code"))
    assert kept  # the render child kept the code of the template's parts
    for path in kept:
        path.write_bytes(b"not python code")  # damaged, or written by another Python
    again = tmp_path / "b.docx"
    export_report(report, docx=again)
    texts = ["\n".join(p.text for p in Document(str(f)).paragraphs) for f in (first, again)]
    assert texts[0] == texts[1] and "Kính gửi" in texts[1]
