"""Explanations reach the outputs (a sentence after the area's paragraph in Word, the note of
every indicator of the rule in the annex); "DỰ THẢO" is on every page of a draft; the section I
paragraphs sit under section I's own heading."""

from __future__ import annotations

import openpyxl
import pytest
from docx import Document

from app.catalog import load_catalog
from app.export import export_report
from app.sample import sample_report

EXPLAIN = "Năm nay tăng kiểm tra đột xuất theo chỉ đạo của Chủ tịch Ủy ban nhân dân tỉnh"


@pytest.fixture(scope="module")
def explained(tmp_path_factory):
    r = sample_report()
    r.set_value("kiem_tra_da_thuc_hien", 25)  # more than the 20 planned: R02 warns
    r.set_text("explanations", "R02", EXPLAIN)
    out = tmp_path_factory.mktemp("gt")
    export_report(r, docx=out / "r.docx", xlsx=out / "r.xlsx")
    return out


def test_the_explanation_is_a_sentence_after_its_areas_paragraph(explained):
    paras = [p.text for p in Document(str(explained / "r.docx")).paragraphs]
    i = next(n for n, t in enumerate(paras) if EXPLAIN in t)
    sentence = paras[i]
    from app.formatting import lower_first

    cat = load_catalog()
    assert sentence.startswith(f"Về {lower_first(cat.label('kiem_tra_da_thuc_hien'))} và ")
    assert sentence.endswith(f"xin giải trình: {EXPLAIN}.")
    # after the inspection paragraph of section I, before section II
    inspection = next(n for n, t in enumerate(paras) if t.startswith("Kiểm tra cải cách hành chính tại"))
    section_2 = next(n for n, t in enumerate(paras) if t.startswith("II. "))
    assert inspection < i < section_2


def test_the_annex_notes_every_indicator_of_the_rule(explained):
    cat = load_catalog()
    wb = openpyxl.load_workbook(explained / "r.xlsx")
    ws = wb.worksheets[0]
    header = next(r for r in ws.iter_rows(values_only=True) if r and "Ghi chú" in r)
    note_col = header.index("Ghi chú")
    label_col = next(j for j, v in enumerate(header) if v and "Chỉ tiêu" in str(v))
    noted = {row[label_col] for row in ws.iter_rows(values_only=True)
             if row[note_col] and EXPLAIN in str(row[note_col])}
    assert noted == {cat.label("kiem_tra_da_thuc_hien"), cat.label("kiem_tra_ke_hoach")}


def test_draft_mark_on_every_page_and_not_on_a_final_report(tmp_path):
    r = sample_report()
    export_report(r, docx=tmp_path / "draft.docx", draft=True)
    export_report(r, docx=tmp_path / "final.docx")
    sec = Document(str(tmp_path / "draft.docx")).sections[0]
    assert sec.different_first_page_header_footer
    for header in (sec.first_page_header, sec.header):
        assert "DỰ THẢO" in [p.text for p in header.paragraphs]
    final = Document(str(tmp_path / "final.docx")).sections[0]
    for header in (final.first_page_header, final.header):
        assert "DỰ THẢO" not in "".join(p.text for p in header.paragraphs)
        assert "{%" not in "".join(p.text for p in header.paragraphs)


def test_section_one_paragraphs_are_under_section_ones_heading(tmp_path):
    r = sample_report()
    export_report(r, docx=tmp_path / "r.docx")
    paras = [p.text for p in Document(str(tmp_path / "r.docx")).paragraphs]
    plan = next(n for n, t in enumerate(paras) if t.startswith("Ủy ban nhân dân tỉnh ban hành Kế hoạch"))
    head_1 = next(n for n, t in enumerate(paras) if t.startswith("I. CÔNG TÁC CHỈ ĐẠO"))
    item_1 = next(n for n, t in enumerate(paras) if t.startswith("1. Kế hoạch"))
    assert head_1 < plan < item_1
