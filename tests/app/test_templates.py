"""Template administration: library, check (with locations), repair, safety, properties."""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from docx import Document

from app.cli import main
from app.export import export_report, word
from app.export.word import TemplateRenderError, read_custom_properties, render_docx
from app.paths import default_template
from app.sample import sample_report
from app.templates import (
    check_template,
    duplicate_template,
    list_templates,
    read_manifest,
    repair_split_tags,
)
from app.templates.lint import split_tags

# a sentence an administrator writes with fields, in place of the generated paragraph
FIELD_SENTENCE = ("Trong kỳ, {{ chu_the }} ban hành {{ vbqppl_ban_hanh }} văn bản quy phạm pháp "
                  "luật{% if so_sanh.vbqppl_ban_hanh %} ({{ so_sanh.vbqppl_ban_hanh }}){% endif %}; "
                  "kiểm tra {{ vbqppl_kiem_tra }} văn bản.")


def field_sentence(doc):
    """The paragraph of the generated thể chế text, rewritten as FIELD_SENTENCE."""
    p = find_para(doc, "{{ cau_van.the_che }}")
    set_text(p, FIELD_SENTENCE)
    return p


def find_para(doc, needle: str):
    for p in doc.paragraphs:
        if needle in p.text:
            return p
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if needle in p.text:
                        return p
    raise AssertionError(f"no paragraph with {needle!r}")


def set_text(p, text: str) -> None:
    """Replace a paragraph's text, keeping the first run's formatting."""
    runs = p.runs
    runs[0].text = text
    for r in runs[1:]:
        r._r.getparent().remove(r._r)


def body_index(doc, p) -> int:
    """1-based position among body-level paragraphs (what the check calls "đoạn N")."""
    paras = [el for el in doc.element.body.iterchildren() if el.tag.endswith("}p")]
    return paras.index(p._p) + 1


def edited(tmp_path: Path, name: str, edit) -> Path:
    doc = Document(str(default_template()))
    edit(doc)
    out = tmp_path / name
    doc.save(str(out))
    return out


def texts(result):
    return "\n".join(p.line() for p in result.problems)


# -- the built-in template and the library -------------------------------------------------


def test_builtin_template_is_clean():
    result = check_template(default_template())
    assert result.problems == [], texts(result)
    assert result.rendered


def test_library_lists_builtin_with_manifest_and_duplicates(tmp_path):
    infos = list_templates(include_user=False)
    default = next(i for i in infos if i.key == "default")
    assert default.builtin and default.version == "2.0" and not default.problems
    assert "nam" in default.kinds and "xa" in default.levels
    assert default.annex_layout_path().name == "phu_luc.toml"

    copy_ = duplicate_template(default, tmp_path / "mau")
    assert copy_.folder.parent == tmp_path / "mau" and not copy_.builtin
    assert copy_.docx.read_bytes() == default.docx.read_bytes()
    assert copy_.version == "2.1" and "bản sửa" in copy_.name
    assert (copy_.folder / "phu_luc.toml").is_file() and copy_.annex_layout_path().is_file()
    assert not copy_.problems
    again = duplicate_template(default, tmp_path / "mau")
    assert again.folder != copy_.folder  # never overwrites
    listed = [i.folder for i in list_templates(tmp_path / "mau")]
    assert copy_.folder in listed and again.folder in listed


def test_user_folder_from_settings(tmp_path):
    from app.settings import load_settings, save_settings
    from app.templates import user_template_folder

    s = load_settings()
    s.template_folder = str(tmp_path / "chung")
    save_settings(s)
    assert user_template_folder() == tmp_path / "chung"


def test_manifest_problems_are_reported(tmp_path):
    folder = tmp_path / "hong"
    folder.mkdir()
    shutil.copy(default_template(), folder / "bao_cao.docx")
    (folder / "manifest.toml").write_text('ten = "X"\nky_bao_cao = ["nam", "thang_5"]\n', encoding="utf-8")
    info = read_manifest(folder)
    assert info.name == "X" and info.kinds == ["nam"]
    assert any("thang_5" in p for p in info.problems)
    assert main(["template", "check", str(folder)]) == 1


# -- problems with their locations ---------------------------------------------------------


def test_syntax_error_located_by_paragraph(tmp_path):
    holder = {}

    def edit(doc):
        p = field_sentence(doc)
        set_text(p, "Trong kỳ ban hành {{ vbqppl_ban_hanh + }} văn bản.")
        holder["n"] = body_index(doc, p)

    result = check_template(edited(tmp_path, "cu_phap.docx", edit))
    syntax = [p for p in result.problems if p.kind == "syntax"]
    assert syntax and syntax[0].location == f"đoạn {holder['n']}"
    assert "vbqppl_ban_hanh +" in syntax[0].text
    assert result.rendered  # the trial render is never skipped …
    assert not [p for p in result.problems if p.kind == "render"]  # … nor reported twice


def test_unclosed_block_points_at_its_opening(tmp_path):
    holder = {}

    def edit(doc):
        p = find_para(doc, "{%p endif %}")  # the first: the recipients' block
        opening = find_para(doc, "{%p if kinh_gui|length == 1 %}")
        holder["n"] = body_index(doc, opening)
        p._p.getparent().remove(p._p)

    result = check_template(edited(tmp_path, "khoi.docx", edit))
    assert any(p.kind == "syntax" and f"đoạn {holder['n']}" == p.location for p in result.problems), texts(result)


def test_table_cell_location(tmp_path):
    def edit(doc):
        p = find_para(doc, "{{ so_ky_hieu }}")
        set_text(p, "{{ so_ky_hieu }")

    result = check_template(edited(tmp_path, "o.docx", edit))
    assert any(p.location == "bảng 1, hàng 2, cột 1" for p in result.problems), texts(result)


def test_unknown_field_with_suggestion(tmp_path):
    holder = {}

    def edit(doc):
        p = field_sentence(doc)
        set_text(p, p.text.replace("{{ vbqppl_kiem_tra }}", "{{ vbqppl_kiem_traa }}")
                 .replace("{{ so_sanh.vbqppl_ban_hanh }}", "{{ so_sanh.vbqppl_ban_hanhh }}"))
        holder["n"] = body_index(doc, p)

    result = check_template(edited(tmp_path, "truong.docx", edit))
    fields = [p for p in result.problems if p.kind == "field"]
    assert len(fields) == 2, texts(result)
    assert all(p.location == f"đoạn {holder['n']}" for p in fields)
    assert "Có phải ý bạn là “vbqppl_kiem_tra”?" in fields[0].message + fields[1].message
    assert "“so_sanh.vbqppl_ban_hanh”" in fields[0].message + fields[1].message
    assert main(["template", "check", str(tmp_path / "truong.docx")]) == 1


def test_unknown_filter(tmp_path):
    def edit(doc):
        p = find_para(doc, "IV. PHƯƠNG HƯỚNG")
        set_text(p, "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ {{ ky_tiep_theo|uper }}")

    result = check_template(edited(tmp_path, "loc.docx", edit))
    assert any("“upper”" in p.message for p in result.problems), texts(result)


ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''|attr('__class__') }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ so['__class__'] }}",
    "{{ chu_the.__class__.__base__.__subclasses__() }}",
]


@pytest.mark.parametrize("expr", ESCAPES)
def test_sandbox_escape_reported_and_blocked(tmp_path, expr):
    holder = {}

    def edit(doc):
        p = find_para(doc, "I. CÔNG TÁC CHỈ ĐẠO")
        set_text(p, f"I. CÔNG TÁC CHỈ ĐẠO {expr}")
        holder["n"] = body_index(doc, p)

    path = edited(tmp_path, "thoat.docx", edit)
    result = check_template(path)
    security = [p for p in result.problems if p.kind == "security" and p.severity == "lỗi"]
    assert security and security[0].location == f"đoạn {holder['n']}", texts(result)
    out = tmp_path / "ra.docx"
    with pytest.raises(TemplateRenderError, match="không được phép"):
        render_docx(sample_report(), out, template=path)
    assert not out.exists()


def test_missing_header_block(tmp_path):
    def edit(doc):
        for needle in ("CỘNG HÒA XÃ HỘI", "Độc lập - Tự do", "{{ dia_danh_ngay }}"):
            p = find_para(doc, needle)
            set_text(p, "")

    result = check_template(edited(tmp_path, "dau.docx", edit))
    header = [p for p in result.problems if p.kind == "header"]
    assert len(header) == 3, texts(result)
    assert all(p.location == "phần đầu văn bản" for p in header)
    assert any("Quốc hiệu" in p.message for p in header)
    assert any("Tiêu ngữ" in p.message for p in header)
    assert any("dia_danh_ngay" in p.message for p in header)


def test_layout_page_margins_and_font(tmp_path):
    from docx.shared import Mm, Pt

    def edit(doc):
        sec = doc.sections[0]
        sec.page_width, sec.page_height = Mm(216), Mm(279)  # US Letter
        sec.left_margin = Mm(20)
        doc.styles["Normal"].font.name = "Arial"
        doc.styles["Normal"].font.size = Pt(12)

    result = check_template(edited(tmp_path, "le.docx", edit))
    layout = "\n".join(p.message for p in result.problems if p.kind == "layout")
    assert "A4" in layout and "Lề trái" in layout and "Times New Roman" in layout


# -- split tags ---------------------------------------------------------------------------


def make_split(tmp_path) -> tuple[Path, int]:
    holder = {}

    def edit(doc):
        p = field_sentence(doc)
        text = p.text
        cut = text.index("{{ vbqppl_kiem_tra }}") + len("{{ vbqppl_")
        first = p.runs[0]
        set_text(p, text[:cut])
        second = copy.deepcopy(first._r)
        first._r.addnext(second)
        from docx.text.run import Run

        r2 = Run(second, p)
        r2.text = text[cut:]
        r2.bold = True  # Word splits a run where the formatting changes
        holder["n"] = body_index(doc, p)

    return edited(tmp_path, "tach.docx", edit), holder["n"]


def test_split_tag_detected_and_repaired(tmp_path):
    path, n = make_split(tmp_path)
    result = check_template(path)
    split = [p for p in result.problems if p.kind == "split"]
    assert len(split) == 1 and split[0].location == f"đoạn {n}", texts(result)
    assert "vbqppl_kiem_tra" in split[0].message

    fixed = tmp_path / "da_sua.docx"
    before = path.read_bytes()
    assert repair_split_tags(path, fixed) == 1
    assert path.read_bytes() == before  # the original is untouched
    doc = Document(str(fixed))
    assert all(not split_tags(p._p) for p in doc.paragraphs)
    assert check_template(fixed).problems == []
    out = tmp_path / "bao_cao.docx"
    render_docx(sample_report(), out, template=fixed)
    assert "kiểm tra 1.675 văn bản" in "\n".join(p.text for p in Document(str(out)).paragraphs)


def test_repair_refuses_to_overwrite(tmp_path):
    path, _ = make_split(tmp_path)
    with pytest.raises(ValueError):
        repair_split_tags(path, path)
    assert main(["template", "check", str(path), "--repair", str(path)]) == 2


def test_cli_check_repair(tmp_path, capsys):
    path, n = make_split(tmp_path)
    fixed = tmp_path / "cli_sua.docx"
    assert main(["template", "check", str(path), "--repair", str(fixed)]) == 1
    out = capsys.readouterr().out
    assert f"đoạn {n}" in out and "Đã sửa 1 thẻ" in out
    assert main(["template", "check", str(fixed)]) == 0


# -- CLI -----------------------------------------------------------------------------------


def test_cli_exit_codes_and_fields(tmp_path, capsys):
    assert main(["template", "check", str(default_template())]) == 0
    assert "không có lỗi" in capsys.readouterr().out
    assert main(["template", "check", str(tmp_path / "khong_co.docx")]) == 2
    bad = tmp_path / "hong.docx"
    bad.write_text("không phải docx", encoding="utf-8")
    assert main(["template", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "hong.docx" in err and "Traceback" not in err
    assert main(["template", "fields"]) == 0
    out = capsys.readouterr().out
    assert "vbqppl_kiem_tra" in out and "1.675" in out and "Tên trường" in out
    assert "ty_so.ty_le_mot_cua_so_nganh" in out and "18/21 (85,71%)" in out


# -- customised template through the export ----------------------------------------------


def customise(doc) -> None:
    """Reorder: section V (kiến nghị) before IV (phương hướng); change wording."""
    body = doc.element.body
    children = list(body.iterchildren())

    def idx(needle):
        return next(i for i, el in enumerate(children)
                    if el.tag.endswith("}p") and needle in "".join(el.itertext()))

    iv, v, end = idx("IV. PHƯƠNG HƯỚNG"), idx("V. KIẾN NGHỊ"), idx("Trên đây là báo cáo")
    block_v = children[v:end]
    for el in block_v:
        body.remove(el)
    for el in block_v:
        children[iv].addprevious(el)
    p = find_para(doc, "V. KIẾN NGHỊ")
    set_text(p, "IV. KIẾN NGHỊ VỚI BỘ NỘI VỤ")
    p = find_para(doc, "IV. PHƯƠNG HƯỚNG")
    set_text(p, "V. NHIỆM VỤ TRỌNG TÂM {{ ky_tiep_theo|upper }}")
    p = field_sentence(doc)
    set_text(p, "Về thể chế: đã ban hành {{ vbqppl_ban_hanh }} văn bản quy phạm pháp luật, "
                "kiểm tra {{ vbqppl_kiem_tra }} văn bản.")


def test_customised_template_exports(tmp_path):
    default = next(i for i in list_templates(include_user=False) if i.key == "default")
    mine = duplicate_template(default, tmp_path / "mau", new_name="Mẫu tỉnh Hà Nam")
    doc = Document(str(mine.docx))
    customise(doc)
    doc.save(str(mine.docx))
    result = check_template(mine.folder)
    assert [p for p in result.problems if p.kind != "annex"] == [], texts(result)

    out = tmp_path / "bc.docx"
    export_report(sample_report(), docx=out, template=mine.folder)
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Về thể chế: đã ban hành 266 văn bản quy phạm pháp luật, kiểm tra 1.675 văn bản." in text
    assert text.index("IV. KIẾN NGHỊ VỚI BỘ NỘI VỤ") < text.index("V. NHIỆM VỤ TRỌNG TÂM NĂM")
    assert "{{" not in text and "{%" not in text
    props = read_custom_properties(out)
    assert props[word.PROP_TEMPLATE_NAME] == "Mẫu tỉnh Hà Nam"
    assert props[word.PROP_TEMPLATE_VERSION] == "2.1"


# -- reproducibility ------------------------------------------------------------------------


def test_document_properties_carry_hashes(tmp_path):
    report = sample_report()
    a, b, c = tmp_path / "a.docx", tmp_path / "b.docx", tmp_path / "c.docx"
    render_docx(report, a)
    render_docx(sample_report(), b)
    pa, pb = read_custom_properties(a), read_custom_properties(b)
    template_hash = hashlib.sha256(default_template().read_bytes()).hexdigest()
    assert pa[word.PROP_TEMPLATE_HASH] == pb[word.PROP_TEMPLATE_HASH] == template_hash
    assert re.fullmatch(r"[0-9a-f]{64}", pa[word.PROP_FIGURES_HASH])
    assert pa[word.PROP_FIGURES_HASH] == pb[word.PROP_FIGURES_HASH]
    assert pa[word.PROP_TEMPLATE_NAME] == "Mẫu mặc định theo Nghị định 30"
    changed = sample_report()
    changed.values["vbqppl_ban_hanh"] = 267
    render_docx(changed, c)
    assert read_custom_properties(c)[word.PROP_FIGURES_HASH] != pa[word.PROP_FIGURES_HASH]
    assert "mã số liệu" in Document(str(a)).core_properties.comments


# -- limits ---------------------------------------------------------------------------------


def replace_with(tmp_path, name, lines: list[str]) -> Path:
    def edit(doc):
        anchor = find_para(doc, "I. CÔNG TÁC CHỈ ĐẠO")
        for line in lines:
            new = copy.deepcopy(anchor._p)
            anchor._p.addprevious(new)
            from docx.text.paragraph import Paragraph

            set_text(Paragraph(new, anchor._parent), line)

    return edited(tmp_path, name, edit)


def test_render_that_takes_too_long_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(word, "RENDER_TIMEOUT_S", 1.0)
    path = replace_with(tmp_path, "lau.docx", [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"])
    with pytest.raises(TemplateRenderError, match="giây"):
        render_docx(sample_report(), tmp_path / "x.docx", template=path)


def test_enormous_document_is_stopped(tmp_path):
    path = replace_with(tmp_path, "to.docx", ["{%p for i in range(6000) %}", "Dòng {{ i }}",
                                             "{%p endfor %}"])
    with pytest.raises(TemplateRenderError, match="đoạn văn"):
        render_docx(sample_report(), tmp_path / "x.docx", template=path)
    result = check_template(path)
    assert any(p.kind == "render" for p in result.problems)


def test_huge_string_is_stopped(tmp_path):
    path = replace_with(tmp_path, "chuoi.docx", ["{{ 'a' * 100000000 }}"])
    with pytest.raises(TemplateRenderError, match="không được phép"):
        render_docx(sample_report(), tmp_path / "x.docx", template=path)


def test_user_text_is_escaped(tmp_path):
    report = sample_report()
    report.narrative["kien_nghi"] = "Đề nghị <b>tăng</b> & {{ so }}"
    out = tmp_path / "e.docx"
    render_docx(report, out)
    assert "Đề nghị <b>tăng</b> & {{ so }}" in "\n".join(p.text for p in Document(str(out)).paragraphs)


# -- annex layout --------------------------------------------------------------------------


def test_annex_layout_file_changes_the_workbook(tmp_path):
    pytest.importorskip("app.export.annex_layout")
    from openpyxl import load_workbook

    from app.export.annex import write_annex
    from app.templates import annex_layout_for

    default = next(i for i in list_templates(include_user=False) if i.key == "default")
    mine = duplicate_template(default, tmp_path / "mau")
    layout = mine.annex_layout_path()
    assert annex_layout_for(mine.folder) == layout and layout.parent == mine.folder
    text = layout.read_text(encoding="utf-8")
    assert '\nten = "Phụ lục"\n' in text and 'tieu_de = "Chỉ tiêu"' in text
    layout.write_text(text.replace('\nten = "Phụ lục"\n', '\nten = "Số liệu CCHC"\n')
                      .replace('tieu_de = "Chỉ tiêu"', 'tieu_de = "Nội dung chỉ tiêu"'),
                      encoding="utf-8")
    assert [p for p in check_template(mine.folder).problems if p.kind == "annex"] == []

    plain, custom = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_annex(sample_report(), plain)
    write_annex(sample_report(), custom, layout=annex_layout_for(mine.folder))

    def cells(path):
        wb = load_workbook(path, read_only=True)
        return wb.sheetnames, {str(c) for ws in wb for row in ws.iter_rows(values_only=True)
                               for c in row if c is not None}

    names_a, cells_a = cells(plain)
    names_b, cells_b = cells(custom)
    assert "Phụ lục" in names_a and "Số liệu CCHC" in names_b
    assert "Chỉ tiêu" in cells_a and "Nội dung chỉ tiêu" in cells_b and "Nội dung chỉ tiêu" not in cells_a


def test_broken_annex_layout_is_reported(tmp_path):
    pytest.importorskip("app.export.annex_layout")
    default = next(i for i in list_templates(include_user=False) if i.key == "default")
    mine = duplicate_template(default, tmp_path / "mau")
    layout = mine.annex_layout_path()
    layout.write_text(layout.read_text(encoding="utf-8").replace(
        'tieu_de = "STT"', 'tieu_de = "STT"\nkhoa_la = 1'), encoding="utf-8")
    annex = [p for p in check_template(mine.folder).problems if p.kind == "annex"]
    assert annex and annex[0].location == "phu_luc.toml", annex
    assert main(["template", "check", str(layout)]) == 1


def test_annex_layout_checked_when_available(tmp_path):
    pytest.importorskip("app.export.annex_layout")
    from app.templates import check_annex_layout

    bad = tmp_path / "phu_luc.toml"
    bad.write_text("phien_ban = 1\n[[trang_tinh]\n", encoding="utf-8")
    assert check_annex_layout(bad).problems


def test_an_export_can_choose_every_template_those_made_for_the_report_first(tmp_path):
    from app.templates.library import choosable_templates, duplicate_template, list_templates

    builtin = list_templates(include_user=False)[0]
    folder = tmp_path / "mau"
    made = duplicate_template(builtin, folder, "Mẫu cấp xã")
    manifest = made.folder / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'cap_don_vi = ["tinh", "so_nganh", "huyen", "xa"]', 'cap_don_vi = ["xa"]'),
        encoding="utf-8")
    shutil.copy(default_template(), folder / "Mẫu rời.docx")  # a loose .docx beside the folders
    (folder / "~$Mẫu rời.docx").write_bytes(b"")  # Word's lock file is not a template

    chosen = choosable_templates(folder, "nam", "tinh")
    names = [(info.name, suits) for info, suits in chosen]
    assert names[0] == (builtin.name, True)
    assert ("Mẫu rời", True) in names and names[-1] == ("Mẫu cấp xã", False)
    assert all(not info.docx.name.startswith("~$") for info, _ in chosen)
    assert all(suits for _, suits in choosable_templates(folder, "nam", "xa"))
