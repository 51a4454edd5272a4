"""Build report_templates/default/bao_cao.docx, the built-in Nghị định 30 report template.

The template is an ordinary .docx with docxtpl tags, so administrators can open it in Word,
change wording and order, and keep the layout. Run: python tools/build_default_template.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "report_templates" / "default" / "bao_cao.docx"
FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH_MM = 165  # 210 - 30 (left) - 15 (right)
LEFT_COL_MM, RIGHT_COL_MM = 62, 103


def set_font(run_or_style_font, size: float | None = None, bold=None, italic=None) -> None:
    f = run_or_style_font
    f.name = FONT
    if size is not None:
        f.size = Pt(size)
    if bold is not None:
        f.bold = bold
    if italic is not None:
        f.italic = italic


def east_asian(rpr_parent) -> None:
    """Word picks the East Asian font slot for some Vietnamese text: pin every slot."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def para(container, text: str = "", *, size: float = BODY_PT, bold=False, italic=False,
         align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first: float | None = 1.0,
         before: float = 0, after: float = 6, keep_next=False, line: float | None = None):
    p = container.add_paragraph()
    pf = p.paragraph_format
    pf.alignment = align
    pf.first_line_indent = Cm(indent_first) if indent_first else Cm(0)
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    pf.keep_with_next = keep_next
    if text:
        r = p.add_run(text)
        set_font(r.font, size, bold, italic)
        east_asian(r._r)
    # the paragraph mark carries the size too, so empty tag paragraphs do not grow
    mark = p._p.get_or_add_pPr()
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    rpr.append(sz)
    mark.append(rpr)
    return p


def tag(container, text: str):
    """A paragraph that holds only a docxtpl block tag ({%p … %}); it disappears on render."""
    return para(container, text, size=BODY_PT, indent_first=None, after=0)


def bottom_rule(p, left_mm: float, right_mm: float, space_pt: int = 1) -> None:
    """A short solid rule under a paragraph, its length set by the indents."""
    pf = p.paragraph_format
    pf.left_indent = Mm(left_mm)
    pf.right_indent = Mm(right_mm)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", str(space_pt)), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    # keep pPr's schema order: pBdr comes after keepNext/widowControl, before spacing/ind/jc
    successors = {qn(f"w:{n}") for n in ("shd", "tabs", "suppressAutoHyphens", "spacing", "ind",
                                         "contextualSpacing", "jc", "outlineLvl", "rPr")}
    for i, child in enumerate(ppr):
        if child.tag in successors:
            ppr.insert(i, bdr)
            break
    else:
        ppr.append(bdr)


def fixed_table(doc, widths_mm: list[float], rows: int = 1):
    """A borderless table with a fixed layout, so Word and LibreOffice keep the column widths."""
    t = doc.add_table(rows=rows, cols=len(widths_mm))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    tbl_pr = t._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tbl_pr.append(borders)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_mm) * 56.7)))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    ind = OxmlElement("w:tblInd")
    ind.set(qn("w:w"), "0")
    ind.set(qn("w:type"), "dxa")
    tbl_pr.append(ind)
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(w * 56.7)))
    for row in t.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)
    return t


def cell_para(cell, text: str = "", *, size: float = 13, bold=False, italic=False,
              before: float = 0, after: float = 0):
    """Centered single-spaced paragraph in a header or signature cell."""
    p = para(cell, text, size=size, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.CENTER,
             indent_first=None, before=before, after=after, line=1.0)
    return p


def first_cell_paragraph(cell):
    """Cells start with one empty paragraph: remove it so ours are the only ones."""
    for p in list(cell.paragraphs):
        p._p.getparent().remove(p._p)


def page_number_header(section) -> None:
    """Arabic page number centred in the top margin, from page 2 (first page different)."""
    section.different_first_page_header_footer = True
    header = section.header
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    set_font(run.font, 13)
    east_asian(run._r)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def draft_mark_headers(section) -> None:
    """"DỰ THẢO" at the top left of every page of a draft: in the first page's header and in
    the header of the following pages (above the page number)."""
    for header in (section.first_page_header, section.header):
        p = header.paragraphs[0]
        mark = p.insert_paragraph_before()
        mark.alignment = WD_ALIGN_PARAGRAPH.LEFT
        for text, bold in (("{%p if du_thao %}", False), ("DỰ THẢO", True), ("{%p endif %}", False)):
            q = mark.insert_paragraph_before() if text != "{%p endif %}" else mark
            q.alignment = WD_ALIGN_PARAGRAPH.LEFT
            run = q.add_run(text)
            set_font(run.font, 13, bold=bold)
            east_asian(run._r)


def explanations(doc, area: str) -> None:
    """The drafter's explanations of the area's figures, one sentence each after the paragraph
    (an administrator may reword, move or drop it)."""
    tag(doc, f"{{%p for gt in giai_trinh.{area} %}}")
    body(doc, "{% if gt.chi_tieu %}Về {{ gt.chi_tieu }}, xin giải trình: {% endif %}"
              "{{ gt.noi_dung }}")
    tag(doc, "{%p endfor %}")


def hole(doc, text: str):
    """A draft's marked hole: italic, highlighted in yellow, in brackets (never in a final
    export: its field is empty there)."""
    from docx.enum.text import WD_COLOR_INDEX

    p = para(doc, text, italic=True)
    for r in p.runs:
        r.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return p


def generated(doc, key: str) -> None:
    """A paragraph generated from the clauses of cau_van.toml (only when something is known),
    followed in a draft by the figures it could not state, marked (italic, highlighted): one
    conditional paragraph, so that the template stays light to render."""
    from docx.enum.text import WD_COLOR_INDEX

    tag(doc, f"{{%p if cau_van.{key} or cau_van_thieu.{key} %}}")
    p = body_para(doc, f"{{{{ cau_van.{key} }}}}")
    r = p.add_run(f"{{{{ cau_van_nhac.{key} }}}}")
    set_font(r.font, BODY_PT, italic=True)
    east_asian(r._r)
    r.font.highlight_color = WD_COLOR_INDEX.YELLOW
    tag(doc, "{%p endif %}")


def body_para(doc, text: str):
    return para(doc, text)


def heading(doc, text: str, level: int) -> None:
    """Roman-numbered section (I. …, bold upper) or numbered item (1. …, bold)."""
    para(doc, text, bold=True, indent_first=1.0, before=6, after=6, keep_next=True)


def body(doc, text: str) -> None:
    para(doc, text)


def narrative(doc, key: str, placeholder: bool = False) -> None:
    """The drafter's own paragraphs for a section; "…" marks a section still to be written."""
    if placeholder:
        tag(doc, f"{{%p if doan_van.{key} %}}")
    tag(doc, f"{{%p for doan in doan_van.{key} %}}")
    body(doc, "{{ doan }}")
    tag(doc, "{%p endfor %}")
    if placeholder:  # a section still to be written: marked in a draft, never "…" in a final
        tag(doc, "{%p elif du_thao %}")
        hole(doc, "[Chưa viết nội dung phần này]")
        tag(doc, "{%p endif %}")


def build() -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    sec.header_distance = Mm(10)
    sec.footer_distance = Mm(10)
    normal = doc.styles["Normal"]
    set_font(normal.font, BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    rpr.append(lang)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    core = doc.core_properties
    core.title = "Báo cáo kết quả cải cách hành chính"
    core.author = "Báo cáo CCHC"
    core.language = "vi-VN"
    core.comments = "Mẫu báo cáo mặc định theo Nghị định 30/2020/NĐ-CP"
    page_number_header(sec)
    body_el = doc.element.body
    for p in list(doc.paragraphs):
        body_el.remove(p._p)

    # -- draft mark: on every page, in the headers
    draft_mark_headers(sec)

    # -- header block (ô 1–4): two rows so that "Số:" and the date sit on one line
    t = fixed_table(doc, [LEFT_COL_MM, RIGHT_COL_MM], rows=2)
    left, right = t.rows[0].cells
    first_cell_paragraph(left)
    first_cell_paragraph(right)
    tag(left, "{%p if co_quan_chu_quan %}")
    cell_para(left, "{{ co_quan_chu_quan }}", size=13)
    tag(left, "{%p endif %}")
    tag(left, "{%p for dong in co_quan_ban_hanh %}")
    cell_para(left, "{{ dong }}", size=13, bold=True)
    tag(left, "{%p endfor %}")
    rule = cell_para(left, "", size=6)
    bottom_rule(rule, 19, 19)
    cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True)
    motto = cell_para(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True)
    bottom_rule(motto, 17, 17, space_pt=4)
    left2, right2 = t.rows[1].cells
    first_cell_paragraph(left2)
    first_cell_paragraph(right2)
    cell_para(left2, "{{ so_ky_hieu }}", size=13, before=6)
    cell_para(right2, "{{ dia_danh_ngay }}", size=14, italic=True, before=6)

    # -- title block (ô 5a, 5b) and recipients (ô 9a)
    para(doc, "BÁO CÁO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent_first=None, before=18, after=0, keep_next=True)
    para(doc, "{{ trich_yeu }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent_first=None, after=12, keep_next=True)
    summary_rule = para(doc, "", size=4, align=WD_ALIGN_PARAGRAPH.CENTER, indent_first=None, after=12)
    bottom_rule(summary_rule, 62, 62)

    tag(doc, "{%p if kinh_gui|length == 1 %}")
    para(doc, "Kính gửi: {{ kinh_gui[0] }}.", align=WD_ALIGN_PARAGRAPH.CENTER, indent_first=None, after=12)
    tag(doc, "{%p else %}")
    para(doc, "Kính gửi:", align=WD_ALIGN_PARAGRAPH.LEFT, indent_first=None, after=0).paragraph_format.left_indent = Mm(45)
    tag(doc, "{%p for noi in kinh_gui %}")
    p = para(doc, "- {{ noi }}{% if loop.last %}.{% else %};{% endif %}", align=WD_ALIGN_PARAGRAPH.LEFT, indent_first=None, after=0)
    p.paragraph_format.left_indent = Mm(70)
    tag(doc, "{%p endfor %}")
    para(doc, "", indent_first=None, after=6)
    tag(doc, "{%p endif %}")

    tag(doc, "{%p for doan in mo_dau %}")
    body(doc, "{{ doan }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if thoi_gian_so_lieu %}")
    para(doc, "{{ thoi_gian_so_lieu }}", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER,
         indent_first=None)
    tag(doc, "{%p endif %}")

    # -- I. steering
    heading(doc, "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", 1)
    narrative(doc, "chi_dao")  # the drafter's paragraphs on the whole section, under its heading
    heading(doc, "1. Kế hoạch và tổ chức chỉ đạo, điều hành", 2)
    generated(doc, "ke_hoach")
    heading(doc, "2. Kiểm tra, tuyên truyền cải cách hành chính", 2)
    generated(doc, "kiem_tra")
    explanations(doc, "chi_dao")

    # -- II. results by area: the generated paragraphs (cau_van.toml), the drafter's
    # explanations, then the drafter's own narrative
    heading(doc, "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", 1)
    heading(doc, "1. Cải cách thể chế", 2)
    generated(doc, "the_che")
    explanations(doc, "the_che")
    narrative(doc, "the_che")

    heading(doc, "2. Cải cách thủ tục hành chính", 2)
    for key in ("tthc", "mot_cua", "mot_cua_don_vi", "ho_so", "theo_cap", "so_hoa"):
        generated(doc, key)
    explanations(doc, "tthc")
    narrative(doc, "tthc")

    heading(doc, "3. Cải cách tổ chức bộ máy hành chính nhà nước", 2)
    generated(doc, "bo_may")
    generated(doc, "bien_che")
    explanations(doc, "bo_may")
    narrative(doc, "bo_may")

    heading(doc, "4. Cải cách chế độ công vụ", 2)
    generated(doc, "cong_vu")
    explanations(doc, "cong_vu")
    narrative(doc, "cong_vu")

    heading(doc, "5. Cải cách tài chính công", 2)
    generated(doc, "tai_chinh")
    explanations(doc, "tai_chinh_cong")
    narrative(doc, "tai_chinh_cong")

    heading(doc, "6. Xây dựng và phát triển Chính phủ điện tử, Chính phủ số", 2)
    generated(doc, "chinh_phu_so")
    explanations(doc, "chinh_phu_so")
    narrative(doc, "chinh_phu_so")

    # -- III. assessment
    heading(doc, "III. ĐÁNH GIÁ CHUNG", 1)
    heading(doc, "1. Kết quả các chỉ số đánh giá cải cách hành chính", 2)
    generated(doc, "chi_so_par")
    generated(doc, "chi_so_khac")
    explanations(doc, "chi_so")
    narrative(doc, "chi_so")
    explanations(doc, "khac")
    heading(doc, "2. Ưu điểm", 2)
    narrative(doc, "uu_diem", placeholder=True)
    heading(doc, "3. Tồn tại, hạn chế và nguyên nhân", 2)
    narrative(doc, "han_che", placeholder=True)

    heading(doc, "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ {{ ky_tiep_theo|upper }}", 1)
    narrative(doc, "phuong_huong", placeholder=True)
    heading(doc, "V. KIẾN NGHỊ, ĐỀ XUẤT", 1)
    narrative(doc, "kien_nghi", placeholder=True)
    body(doc, "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {{ ky_bao_cao }} "
              "của {{ ten_co_quan }}./.")

    # -- recipients (ô 9b) and signature (ô 7a–7c)
    sig = fixed_table(doc, [80, 85], rows=1)
    lcell, rcell = sig.rows[0].cells
    first_cell_paragraph(lcell)
    first_cell_paragraph(rcell)
    para(lcell, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT,
             indent_first=None, before=6, after=0, line=1.0)
    tag(lcell, "{%p for noi in noi_nhan %}")
    para(lcell, "- {{ noi }}{% if loop.last %}.{% else %};{% endif %}", size=11,
         align=WD_ALIGN_PARAGRAPH.LEFT, indent_first=None, after=0, line=1.0)
    tag(lcell, "{%p endfor %}")
    tag(rcell, "{%p if nguoi_ky.tham_quyen %}")
    cell_para(rcell, "{{ nguoi_ky.tham_quyen }}", size=14, bold=True, before=6)
    tag(rcell, "{%p endif %}")
    tag(rcell, "{%p for dong in nguoi_ky.chuc_vu %}")
    cell_para(rcell, "{{ dong }}", size=14, bold=True)
    tag(rcell, "{%p endfor %}")
    spacer = cell_para(rcell, "", size=14)

    r = spacer.add_run()
    for _ in range(4):
        r.add_break(WD_BREAK.LINE)
    cell_para(rcell, "{{ nguoi_ky.ho_ten }}", size=14, bold=True)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(OUT)
    return OUT


if __name__ == "__main__":
    path = build()
    print(f"wrote {path}", file=sys.stderr)
