"""Build report_templates/voi_bieu_do/, the built-in template with figures: the default
Nghị định 30 template plus three figures, each printed only when the report has its figures:
dossiers by channel and the on-time rate by unit in the administrative-procedures section, the
counts that changed most at the end of part II.

Run after tools/build_default_template.py: python tools/build_figure_template.py
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SOURCE = ROOT / "report_templates" / "default" / "bao_cao.docx"
FOLDER = ROOT / "report_templates" / "voi_bieu_do"

# (the paragraph the figure follows, identified by its text; the figure's key)
PLACES = (
    # after the generated paragraph's block (its text, then the draft's marked holes)
    ("{{ cau_van.ho_so }}", "ho_so_theo_kenh", True),
    ("{{ cau_van.mot_cua_don_vi }}", "ty_le_dung_han_theo_don_vi", True),
    ("III. ĐÁNH GIÁ CHUNG", "chi_tieu_thay_doi_nhieu_nhat", "before"),
)

MANIFEST = '''# Thông tin về mẫu báo cáo (chương trình đọc tệp này để hiện trong "Thư viện mẫu").
# Sửa bằng Notepad, lưu dạng UTF-8. Chữ đặt trong dấu nháy kép, danh sách trong ngoặc vuông.

# Tên mẫu, hiện trong danh sách mẫu.
ten = "Mẫu Nghị định 30 có biểu đồ"

# Mô tả ngắn: mẫu dùng cho trường hợp nào.
mo_ta = "Như mẫu mặc định, thêm biểu đồ hồ sơ theo kênh tiếp nhận, tỷ lệ giải quyết đúng hạn theo đơn vị (báo cáo tổng hợp) và các chỉ tiêu thay đổi nhiều nhất so với cùng kỳ (khi có báo cáo kỳ trước); biểu đồ nào không có số liệu thì không in."

# Phiên bản của mẫu. Tăng số này mỗi lần sửa mẫu để biết báo cáo đã xuất bằng bản nào.
phien_ban = "1.0"

# Tệp Word của mẫu, nằm cùng thư mục với tệp này.
tep_word = "bao_cao.docx"

# Kỳ báo cáo dùng được: quy_1, sau_thang, quy_3, chin_thang, nam, giai_doan.
ky_bao_cao = ["quy_1", "sau_thang", "quy_3", "chin_thang", "nam", "giai_doan"]

# Cấp đơn vị dùng được: tinh, so_nganh, huyen, xa.
cap_don_vi = ["tinh", "so_nganh", "huyen", "xa"]

# Bố cục phụ lục Excel đi kèm: đường dẫn tới tệp bố cục (tính từ thư mục này).
# Để trống "" thì dùng bố cục phụ lục mặc định của chương trình.
bo_cuc_phu_luc = "../annex/phu_luc.toml"
'''


def _paragraph_like(model, text: str, centred: bool):
    """A new paragraph with the model's look (font, spacing) and `text`."""
    from docx.text.paragraph import Paragraph

    p = copy.deepcopy(model._p)
    for r in list(p):
        if r.tag.endswith("}r") or r.tag.endswith("}hyperlink"):
            p.remove(r)
    para = Paragraph(p, model._parent)
    run = para.add_run(text)
    if model.runs:
        run.font.name = model.runs[0].font.name
        run.font.size = model.runs[0].font.size
    if centred:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.first_line_indent = 0
        para.paragraph_format.keep_with_next = False
    return para


def main() -> int:
    doc = Document(str(SOURCE))
    for anchor_text, key, where in PLACES:
        paragraphs = doc.paragraphs
        at = next(i for i, p in enumerate(paragraphs) if p.text.startswith(anchor_text))
        if where is True:  # after the {%p endif %} that closes the anchor's condition
            at = next(i for i in range(at, len(paragraphs))
                      if paragraphs[i].text.strip() == "{%p endif %}")
        anchor = paragraphs[at]
        body = next(p for p in doc.paragraphs if p.text.startswith("{{ cau_van.ho_so }}"))
        new = [_paragraph_like(body, f"{{%p if bieu_do.{key} %}}", False),
               _paragraph_like(body, f"{{{{ bieu_do.{key} }}}}", True),
               _paragraph_like(body, "{%p endif %}", False)]
        if where == "before":
            for p in new:
                anchor._p.addprevious(p._p)
        else:
            for p in reversed(new):
                anchor._p.addnext(p._p)
    FOLDER.mkdir(parents=True, exist_ok=True)
    doc.core_properties.title = "Báo cáo kết quả cải cách hành chính (có biểu đồ)"
    doc.save(str(FOLDER / "bao_cao.docx"))
    (FOLDER / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    print(f"Đã ghi {FOLDER / 'bao_cao.docx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
