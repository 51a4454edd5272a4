"""What a template prints: typed output, Vietnamese number filters, joined forms, scopes, and a
field reference that covers every field the default template uses."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from docx import Document
from docx.text.paragraph import Paragraph

from app.export import export_report
from app.export.word import TemplateProblemsError, render_docx, sandboxed_environment
from app.paths import default_template
from app.sample import sample_report
from app.templates import check_template


@pytest.fixture(autouse=True)
def _dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))


def with_lines(tmp_path: Path, lines: list[str], name: str = "mau.docx") -> Path:
    doc = Document(str(default_template()))
    anchor = next(p for p in doc.paragraphs if "I. CÔNG TÁC CHỈ ĐẠO" in p.text)
    for line in lines:
        new = copy.deepcopy(anchor._p)
        anchor._p.addprevious(new)
        para = Paragraph(new, anchor._parent)
        para.runs[0].text = line
        for r in para.runs[1:]:
            r._r.getparent().remove(r._r)
    out = tmp_path / name
    doc.save(str(out))
    return out


def body_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_numbers_print_the_vietnamese_way(tmp_path):
    report = sample_report()
    report.values["ho_so_tiep_nhan"] = 245310
    report.values.pop("ho_so_qua_han", None)  # not reported
    path = with_lines(tmp_path, [
        "A {{ so.ho_so_tiep_nhan }} B {{ so.ho_so_tiep_nhan|vn }} C {{ 97.365|phan_tram }} "
        "D {{ 1234.5|vn(1) }} E {{ so.ho_so_qua_han|vn }}"])
    out = tmp_path / "ra.docx"
    notes = render_docx(report, out, template=path)
    assert "A 245.310 B 245.310 C 97,37% D 1.234,5 E …" in body_text(out)
    assert any("so.ho_so_tiep_nhan" in n and "cảnh báo" in n for n in notes)  # a warning only


def test_joined_forms_print_one_line(tmp_path):
    path = with_lines(tmp_path, ["Kính gửi: {{ kinh_gui_dong }}. Ký: {{ nguoi_ky.chuc_vu_dong }}."])
    assert check_template(path, render=False).problems == []
    out = tmp_path / "ra.docx"
    render_docx(sample_report(), out, template=path)
    assert "Kính gửi: Bộ Nội vụ. Ký: KT. CHỦ TỊCH PHÓ CHỦ TỊCH." in body_text(out)


@pytest.mark.parametrize("expr", ["kinh_gui", "nguoi_ky", "du_thao", "nguoi_ky.chuc_vu"])
def test_raw_data_is_refused_by_check_and_export(tmp_path, expr):
    path = with_lines(tmp_path, [f"Thô: {{{{ {expr} }}}}"])
    typed = [p for p in check_template(path, render=False).problems if p.kind == "type"]
    assert typed and typed[0].severity == "lỗi" and typed[0].location.startswith("đoạn "), typed
    with pytest.raises(TemplateProblemsError):
        render_docx(sample_report(), tmp_path / "ra.docx", template=path)


def test_the_sandbox_refuses_python_methods_and_percent_formatting():
    from jinja2.sandbox import SecurityError

    env = sandboxed_environment()
    for source in ("{{ '{:,}'.format(6285) }}", "{{ 'a'.center(10) }}", "{{ '%d' % 5 }}",
                   "{{ [1].append(2) }}"):
        with pytest.raises(SecurityError):
            env.from_string(source).render()
    assert "round" not in env.filters and "format" not in env.filters
    assert "wordwrap" not in env.filters and "lipsum" not in env.globals
    assert env.from_string("{{ d.items }}").render(d={"items": "mục"}) == "mục"  # keys first


def test_macros_and_loop_variables_in_their_scope_are_known(tmp_path):
    path = with_lines(tmp_path, [
        "{% macro dong(x) %}- {{ x }}{% endmacro %}{{ dong(ten_co_quan) }}",
        "{%p for noi in noi_nhan %}", "{{ noi }}{% if loop.last %}.{% endif %}", "{%p endfor %}",
        "{% set tong = namespace(n=0) %}{% for dv in don_vi %}{% set tong.n = tong.n + 1 %}"
        "{% endfor %}Có {{ tong.n }} đơn vị."])
    problems = check_template(path, render=False).problems
    assert problems == [], [p.line() for p in problems]


def test_comparing_a_written_figure_with_a_number_names_the_raw_field(tmp_path):
    path = with_lines(tmp_path, ["{% if ho_so_qua_han > 0 %}Có hồ sơ quá hạn.{% endif %}"])
    result = check_template(path)
    line = next(p.line() for p in result.problems if p.kind == "type")
    assert "so.ho_so_qua_han" in line and line.startswith("[lỗi] đoạn ")
    assert "TypeError" not in "\n".join(p.line() for p in result.problems)


def test_runtime_errors_have_a_place_and_no_english(tmp_path):
    path = with_lines(tmp_path, ["Tỷ lệ {{ (so.ho_so_qua_han or 1) / 0 }}"])
    result = check_template(path)
    render = [p for p in result.problems if p.kind == "render"]
    assert len(render) == 1 and render[0].location.startswith("đoạn ")
    assert "chia cho 0" in render[0].message and "ZeroDivision" not in render[0].line()


def test_every_export_runs_the_field_check_final_refused_draft_written(tmp_path):
    path = with_lines(tmp_path, ["Trong kỳ đã ban hành {{ vbqppl_ban_hanhh }} văn bản."])
    target = tmp_path / "ra.docx"
    with pytest.raises(TemplateProblemsError) as info:
        export_report(sample_report(), docx=target, template=path)
    assert info.value.draft_possible and not target.exists()
    assert any("đoạn " in line and "“vbqppl_ban_hanh”" in line for line in info.value.problems)
    result = export_report(sample_report(), docx=target, template=path, draft=True)
    assert target.is_file() and any("vbqppl_ban_hanhh" in n for n in result.template_notes)


def test_template_fields_lists_every_field_the_default_template_uses():
    from jinja2 import nodes

    from app.export.context import field_reference
    from app.export.word import sandboxed_environment as env_of
    from app.templates.lint import _part_source, document_parts

    listed = {name for name, _desc, _sample in field_reference()}
    groups = {n.split(".")[0] for n in listed if ".<" in n}  # so.<mã chỉ tiêu> …
    env = env_of()
    used: set[str] = set()
    for _part, paras in document_parts(Document(str(default_template()))):
        ast = env.parse(_part_source(paras))
        bound = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
        for node in ast.find_all(nodes.Getattr):
            if isinstance(node.node, nodes.Name) and node.node.name not in bound | {"loop"}:
                used.add(f"{node.node.name}.{node.attr}")
        used |= {n.name for n in ast.find_all(nodes.Name)
                 if n.ctx == "load" and n.name not in bound | {"loop"}}
    missing = sorted(u for u in used if u not in listed and u.split(".")[0] not in groups
                     and not any(x.startswith(u + ".") for x in listed))
    assert missing == []
    descriptions = {name: desc for name, desc, _ in field_reference()}
    assert all(len(descriptions[u]) >= 8 for u in used if u in descriptions)


def test_template_fields_prints_full_descriptions(capsys):
    from app.cli import main

    assert main(["template", "fields"]) == 0
    out = capsys.readouterr().out
    for name in ("ky_truoc_tieu_de", "so_don_vi", "cap_ten", "kinh_gui_dong",
                 "nguoi_ky.chuc_vu_dong"):
        assert f"\n{name} " in out, name
    from app.export.context import field_reference

    words = out.split()
    for _name, desc, _sample in field_reference():  # every word of every description
        assert all(w in words for w in desc.split()[-3:]), desc


def test_the_guide_is_generated_and_names_the_five_mistakes():
    from app.templates.guide import guide_markdown

    doc = (Path(__file__).resolve().parents[2] / "docs" / "mau-bao-cao.md").read_text(encoding="utf-8")
    assert doc == guide_markdown()  # python -m app.templates.guide > docs/mau-bao-cao.md
    five = doc.split("## Năm lỗi thường gặp", 1)[1].split("\n## ", 1)[0]
    assert [line[:3] for line in five.splitlines() if line[:1].isdigit()] == ["1. ", "2. ", "3. ",
                                                                              "4. ", "5. "]
    for point in ("kinh_gui_dong", "so.ho_so_qua_han", "|phan_tram", "10 giây", "320 MB", "macro"):
        assert point in doc, point


def test_preview_of_a_template_with_a_misspelled_field_is_a_draft_with_holes(tmp_path):
    from app.templates.preview import render_preview

    path = with_lines(tmp_path, ["Trong kỳ đã ban hành {{ vbqppl_ban_hanhh }} văn bản."])
    preview = render_preview(path, folder=tmp_path / "xem", pages=False)
    assert "1 lỗi" in preview.problems and "dự thảo" in preview.problems
    text = body_text(preview.docx)
    assert "Trong kỳ đã ban hành … văn bản." in text and "DỰ THẢO" in text


def test_a_loop_that_cannot_end_in_time_is_named_with_its_place(tmp_path):
    path = with_lines(tmp_path, ["{% for i in range(100000) %}{% for j in range(1000) %}{% endfor %}"
                                 "{% endfor %}", "{% for i in range(1000) %}{{ i }}{% endfor %}"])
    problems = check_template(path, render=False).problems
    loops = [p for p in problems if "Vòng lặp" in p.message]
    assert len(loops) == 1 and loops[0].location.startswith("đoạn ")
    assert "100.000.000 lần" in loops[0].message
