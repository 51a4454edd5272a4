"""Figures in the Word report: drawn only when the template asks, captioned and numbered, at
print resolution, with Vietnamese numbers, and no bar for a unit that did not report."""

from __future__ import annotations

import copy
import io
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from app.charts.data import dossiers_by_channel, on_time_by_unit
from app.export.figures import build_figure
from app.export.word import render_docx
from app.paths import default_template
from app.sample import sample_report
from app.templates.lint import check_template

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).parent))
from test_annex_charts import UNITS, _previous  # noqa: E402

KEYS = ("ty_le_dung_han_theo_don_vi", "ho_so_theo_kenh", "chi_tieu_thay_doi_nhieu_nhat")


def template_with(tmp_path: Path, lines: list[str]) -> Path:
    doc = Document(str(default_template()))
    for line in lines:
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    out = tmp_path / "mau_bieu_do.docx"
    doc.save(out)
    return out


def consolidated():
    report = sample_report(2025)
    report.sources = copy.deepcopy(UNITS)
    return report


def _png_size(blob: bytes) -> tuple[int, int]:
    return struct.unpack(">II", blob[16:24])


def test_three_figures_are_drawn_captioned_and_numbered_in_order(tmp_path):
    tpl = template_with(tmp_path, ["{{ bieu_do." + k + " }}" for k in reversed(KEYS)])
    out = tmp_path / "bao_cao.docx"
    render_docx(consolidated(), out, template=tpl, previous=_previous(2024))
    doc = Document(str(out))
    assert len(doc.inline_shapes) == 3
    captions = [p.text.strip() for p in doc.paragraphs if p.text.strip().startswith("Biểu đồ ")]
    assert captions == [
        "Biểu đồ 1. Các chỉ tiêu thay đổi nhiều nhất so với năm 2024",
        "Biểu đồ 2. Hồ sơ thủ tục hành chính tiếp nhận theo kênh, năm 2025",
        "Biểu đồ 3. Tỷ lệ hồ sơ giải quyết đúng hạn theo đơn vị, năm 2025",
    ]
    shape = doc.inline_shapes[0]
    assert round(shape.width.mm) == 160  # the text width of the page
    with zipfile.ZipFile(out) as z:
        pngs = [z.read(n) for n in z.namelist() if n.startswith("word/media/")]
    assert len(pngs) == 3
    width_px, _ = _png_size(pngs[0])
    assert width_px / (160 / 25.4) == pytest.approx(300, rel=0.02)  # print resolution


def test_a_unit_that_did_not_report_has_no_bar_but_its_reason():
    chart = on_time_by_unit(consolidated())
    fig = build_figure(chart)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_height() != 0 or p.get_width() != 0]
    positions = {round(p.get_x() + p.get_width() / 2) for p in bars}
    blank = chart.categories.index("Xã An Bình")
    uncomputable = chart.categories.index("Xã Tân Phú")
    assert len(bars) == 4  # three units with a rate and the total; no zero bar
    assert blank not in positions and uncomputable not in positions
    texts = [t.get_text() for t in ax.texts]
    assert "chưa báo cáo" in texts and "không tính được" in texts
    assert "60%" in texts and "98,98%" in texts  # Vietnamese decimal comma
    assert any(line.get_linestyle() == "--" and line.get_ydata()[0] == 98 for line in ax.lines)


def test_axes_use_vietnamese_separators_and_a_serif_font():
    report = sample_report(2025)
    fig = build_figure(dossiers_by_channel(report, _previous(2024)))
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "100.000" in ticks and "50.000" in ticks
    assert f"{report.values['ho_so_truc_tuyen']:,}".replace(",", ".") in [
        t.get_text() for t in ax.texts]
    family = ax.get_yticklabels()[0].get_fontfamily()[0]
    assert family in ("Times New Roman", "Liberation Serif")


def test_a_figure_without_data_can_be_left_out_with_if(tmp_path):
    tpl = template_with(tmp_path, [
        "{% if bieu_do.ty_le_dung_han_theo_don_vi %}CÓ BIỂU ĐỒ{% endif %}",
        "{{ bieu_do.ho_so_theo_kenh }}",
        "{{ bieu_do.ty_le_dung_han_theo_don_vi }}",  # asked for without a condition
    ])
    out = tmp_path / "r.docx"
    render_docx(sample_report(2025), out, template=tpl)  # not consolidated: no units
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "CÓ BIỂU ĐỒ" not in text
    assert "(Chưa có số liệu để lập biểu đồ tỷ lệ giải quyết đúng hạn theo đơn vị.)" in text
    assert "Biểu đồ 1. Hồ sơ thủ tục hành chính tiếp nhận theo kênh, năm 2025" in text
    assert len(doc.inline_shapes) == 1


def test_the_template_checker_knows_the_figure_fields(tmp_path):
    good = template_with(tmp_path, ["{{ bieu_do.ho_so_theo_kenh }}"])
    assert [p for p in check_template(good, render=False).problems if p.kind == "field"] == []
    bad = tmp_path / "bad.docx"
    doc = Document(str(default_template()))
    doc.add_paragraph("{{ bieu_do.ho_so_theo_kenhh }}")
    doc.save(bad)
    problems = [p.message for p in check_template(bad, render=False).problems if p.kind == "field"]
    assert any("bieu_do.ho_so_theo_kenhh" in m and "bieu_do.ho_so_theo_kenh" in m
               for m in problems)


def test_an_export_without_figures_never_imports_matplotlib(tmp_path):
    code = (
        "import sys; from app.sample import sample_report; from app.export import export_report\n"
        f"export_report(sample_report(), docx={str(tmp_path / 'r.docx')!r}, "
        f"xlsx={str(tmp_path / 'r.xlsx')!r})\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)


def test_the_png_is_a_png():
    from app.export.figures import draw_png

    blob = draw_png(dossiers_by_channel(sample_report(2025)), dpi=100)
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    assert _png_size(blob)[0] == pytest.approx(160 / 25.4 * 100, abs=2)
    assert io.BytesIO(blob).getbuffer().nbytes > 1000


def test_the_builtin_template_with_figures_is_clean_and_prints_only_figures_with_data(tmp_path):
    from app.paths import builtin_templates_dir
    from app.templates.library import list_templates

    folder = builtin_templates_dir() / "voi_bieu_do"
    result = check_template(folder / "bao_cao.docx")
    assert result.problems == [] and result.rendered
    infos = list_templates(include_user=False)
    assert infos[0].key == "default"  # the plain template stays the first choice
    assert any(i.folder == folder and "biểu đồ" in i.name for i in infos)

    full = tmp_path / "full.docx"
    render_docx(consolidated(), full, template=folder, previous=_previous(2024))
    doc = Document(str(full))
    captions = [p.text.strip()[:11] for p in doc.paragraphs if p.text.strip().startswith("Biểu đồ")]
    assert captions == ["Biểu đồ 1. ", "Biểu đồ 2. ", "Biểu đồ 3. "] and len(doc.inline_shapes) == 3

    plain = tmp_path / "plain.docx"
    render_docx(sample_report(2025), plain, template=folder)  # no units, no previous period
    doc = Document(str(plain))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert len(doc.inline_shapes) == 1 and "Chưa có số liệu để lập biểu đồ" not in text


def test_figures_are_drawn_outside_the_exporting_program(tmp_path):
    """The pictures are drawn by a child process while the render child lays out the document:
    the program that exports (the editor, the command) never loads matplotlib, and the Word
    file holds the drawings, not the placeholders they replaced."""
    template = template_with(tmp_path, [f"{{{{ bieu_do.{k} }}}}" for k in KEYS])
    code = (
        "import sys, copy\n"
        "from app.export import export_report\n"
        "from app.sample import sample_report\n"
        f"sys.path[:0] = [{str(Path(__file__).parent)!r}, {str(Path(__file__).parents[1])!r}]\n"
        "from test_annex_charts import UNITS, _previous\n"
        "r = sample_report(2025); r.sources = copy.deepcopy(UNITS)\n"
        f"export_report(r, docx={str(tmp_path / 'r.docx')!r}, xlsx={str(tmp_path / 'r.xlsx')!r},"
        f" template={str(template)!r}, previous=_previous(2024), draft=True)\n"
        "print('matplotlib' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    with zipfile.ZipFile(tmp_path / "r.docx") as z:
        pngs = [z.read(n) for n in z.namelist() if n.startswith("word/media/")]
    assert len(pngs) == 3
    assert all(_png_size(p)[0] > 1800 and b"cchc-hinh-ve" not in p for p in pngs)
    assert (tmp_path / "r.xlsx").stat().st_size > 0


def test_a_template_that_fails_leaves_the_word_file_and_the_annex_as_they_were(tmp_path):
    """The annex is written while the Word file is laid out, but takes its place only after it:
    a template that fails changes neither file of the pair."""
    from app.export import export_report
    from app.export.word import TemplateRenderError

    docx, xlsx = tmp_path / "r.docx", tmp_path / "r.xlsx"
    export_report(sample_report(2025), docx=docx, xlsx=xlsx, draft=True)
    before = docx.read_bytes(), xlsx.read_bytes()
    broken = template_with(tmp_path, ["{{ 1 / 0 }}"])
    with pytest.raises(TemplateRenderError):
        export_report(sample_report(2025), docx=docx, xlsx=xlsx, draft=True, template=broken)
    assert (docx.read_bytes(), xlsx.read_bytes()) == before
    assert not [p.name for p in tmp_path.iterdir() if ".tmp" in p.name]  # nothing half-written


def test_a_drawn_picture_is_kept_on_disk_for_the_next_session_and_a_cut_file_is_drawn_again():
    """Drawing costs more than the rest of the export: a picture drawn once is kept in the data
    folder, named by the chart's data, so that a later session (or the next export command)
    does not draw it again; new data gets a new picture, a damaged file is drawn again."""
    from app.export import figures
    from app.settings import data_dir

    chart = dossiers_by_channel(sample_report(2025))
    figures.forget_pictures()
    first = figures.draw_png(chart, dpi=100)
    kept = sorted((data_dir() / "figure-cache").glob("*.png"))
    assert [p.read_bytes() for p in kept] == [first]

    with figures._drawing:
        figures._kept.clear()  # a new session: nothing in memory
    calls = []
    real = figures.draw_job
    figures.draw_job = lambda charts, dpi=300: calls.append(charts) or real(charts, dpi)
    try:
        assert figures.draw_png(chart, dpi=100) == first and calls == []  # read, not drawn

        other = sample_report(2025)
        other.values["ho_so_truc_tuyen"] = 12_345
        changed = dossiers_by_channel(other)
        assert figures.draw_png(changed, dpi=100) != first and len(calls) == 1

        with figures._drawing:
            figures._kept.clear()
        kept[0].write_bytes(first[: len(first) // 2])  # cut short
        again = figures.draw_png(chart, dpi=100)
        assert len(calls) == 2 and again.endswith(figures.IEND)
        assert kept[0].read_bytes() == again
    finally:
        figures.draw_job = real


def test_an_export_waits_for_the_drawing_under_way_instead_of_drawing_twice(monkeypatch):
    """The export window draws the chosen template's figures while the user chooses; "Xuất"
    clicked before that is done waits for those pictures rather than starting a second drawing;
    if that drawing is cancelled, the export draws them itself."""
    import app.templates.runner as runner
    from app.export import figures

    report = consolidated()
    charts = {k: c for k in KEYS if (c := figures.FIGURES[k][0](report, _previous(2024)))}
    figures.forget_pictures()
    started = []
    real = runner.limited_call

    def counting(function, *args, **kwargs):
        started.append(function)
        return real(function, *args, **kwargs)

    monkeypatch.setattr(runner, "limited_call", counting)
    ahead = figures.Drawing(charts)
    export = figures.Drawing(charts)
    assert len(started) == 1 and export.own == {} and set(export.joined) == set(charts)
    pngs = export.finish()
    assert set(pngs) == set(charts) and pngs == ahead.finish()
    assert all(p.startswith(b"\x89PNG") and _png_size(p)[0] > 1800 for p in pngs.values())

    figures.forget_pictures()
    ahead = figures.Drawing(charts)
    export = figures.Drawing(charts)
    ahead.cancel()  # the window closed before its drawing was done
    assert set(export.finish()) == set(charts) and len(started) == 3


def test_the_export_command_starts_no_drawing_when_its_pictures_are_kept(tmp_path):
    """`python -m app export` starts a drawing child only for figures not drawn before."""
    import app.templates.runner as runner
    from app.export import figures
    from app.export.word import prestart_render

    template = template_with(tmp_path, [f"{{{{ bieu_do.{k} }}}}" for k in KEYS])
    report, previous = consolidated(), _previous(2024)
    figures.forget_pictures()

    def drawing_spare() -> bool:
        with runner._spares_lock:
            spare = runner._spares.pop((figures.FIGURE_JOB, figures._figure_limits()), None)
        if spare is not None:
            spare.cancel()
        return spare is not None

    prestart_render(template, report, previous)
    assert drawing_spare()  # nothing drawn yet
    render_docx(report, tmp_path / "r.docx", template=template, previous=previous)
    prestart_render(template, report, previous)
    assert not drawing_spare()  # all three kept
