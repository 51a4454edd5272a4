"""Figures in the Word report: `{{ bieu_do.KEY }}` draws a chart with matplotlib and captions it.

A template asks for a figure by writing the field alone in a (centred) paragraph, e.g.
`{{ bieu_do.ty_le_dung_han_theo_don_vi }}`; the picture comes out 160 mm wide at 300 dpi, followed
by its numbered caption "Biểu đồ 1. …" (numbers follow the order of the figures in the document).
`{% if bieu_do.KEY %}` is false when the report has no figures for that chart.

matplotlib is imported only when a figure is drawn (never at start-up, never for a template
without figures), and only its Agg renderer is used (`matplotlib.figure.Figure`, no pyplot, no
GUI backend). Text is set in Times New Roman (Liberation Serif where Times is not installed),
numbers on the axes and over the bars are written the Vietnamese way by `app.formatting`.
A category without a value gets no bar: its reason ("chưa báo cáo", "không tính được") is written
where the bar would stand.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from app.charts.data import (
    BELOW_TARGET,
    PALETTE,
    TOTAL,
    Chart,
    axis_text,
    dossiers_by_channel,
    largest_changes,
    on_time_by_unit,
    value_bounds,
    value_text,
)
from app.model import Report

WIDTH_MM, HEIGHT_MM = 160, 88
DPI = 300
FONTS = ("Times New Roman", "Liberation Serif")

Builder = Callable[[Report, Report | None], Chart | None]
FIGURES: dict[str, tuple[Builder, str]] = {
    "ty_le_dung_han_theo_don_vi": (
        lambda r, p: on_time_by_unit(r),
        "Biểu đồ tỷ lệ hồ sơ giải quyết đúng hạn theo đơn vị, có đường mục tiêu "
        "(báo cáo tổng hợp từ các đơn vị)"),
    "ho_so_theo_kenh": (
        dossiers_by_channel,
        "Biểu đồ hồ sơ tiếp nhận theo kênh (trực tuyến, trực tiếp và bưu chính, kỳ trước "
        "chuyển sang), cùng kỳ năm trước khi có"),
    "chi_tieu_thay_doi_nhieu_nhat": (
        largest_changes,
        "Biểu đồ các chỉ tiêu thay đổi nhiều nhất so với cùng kỳ năm trước (khi có báo cáo "
        "kỳ trước)"),
}

SHORT_NAMES = {
    "ty_le_dung_han_theo_don_vi": "biểu đồ tỷ lệ giải quyết đúng hạn theo đơn vị",
    "ho_so_theo_kenh": "biểu đồ hồ sơ theo kênh tiếp nhận",
    "chi_tieu_thay_doi_nhieu_nhat": "biểu đồ các chỉ tiêu thay đổi nhiều nhất so với cùng kỳ",
}


# ------------------------------------------------------------------------ template fields


class FigureFields(dict[str, "Figure"]):
    """`bieu_do` in the template context: one lazy figure per chart key (a dict, so that the
    template checker knows its names). Nothing is computed until the template uses a figure;
    `bind()` gives it the document being rendered."""

    def __init__(self, report: Report, previous: Report | None):
        super().__init__()
        self.report, self.previous = report, previous
        self.template: Any = None
        self.pictures: dict[str, bytes] = {}
        self.numbered = 0
        for key in FIGURES:
            self[key] = Figure(self, key)

    def bind(self, template: Any, pictures: dict[str, bytes] | None = None) -> None:
        """Place pictures into this docxtpl document from now on (those drawn beforehand by
        `pictures_for`, else drawn here); caption numbers start again at 1."""
        self.template = template
        self.pictures = dict(pictures or {})
        self.numbered = 0
        for f in self.values():
            f.xml = None


class Figure:
    """One `{{ bieu_do.KEY }}`: the picture and its caption, drawn when the template prints it."""

    def __init__(self, fields: FigureFields, key: str):
        self.fields, self.key = fields, key
        self.xml: str | None = None
        self._chart: Chart | None | bool = False  # False: not computed yet

    @property
    def chart(self) -> Chart | None:
        if self._chart is False:
            chart = FIGURES[self.key][0](self.fields.report, self.fields.previous)
            self._chart = None if chart is None or chart.empty else chart
        return self._chart  # type: ignore[return-value]

    def __bool__(self) -> bool:
        return self.chart is not None

    def __html__(self) -> str:
        if self.xml is None:
            self.xml = self._render()
        return self.xml

    __str__ = __html__

    def _render(self) -> str:
        chart, tpl = self.chart, self.fields.template
        if chart is None:
            return escape(f"(Chưa có số liệu để lập {SHORT_NAMES[self.key]}.)")
        self.fields.numbered += 1
        caption = f"Biểu đồ {self.fields.numbered}. {chart.title}"
        if tpl is None:  # a context used outside a Word render (field lists, previews)
            return escape(caption)
        from docx.shared import Mm
        from docxtpl import InlineImage

        png = self.fields.pictures.get(self.key) or draw_png(chart)
        # both sides given: the frame does not depend on the picture (a placeholder, replaced
        # once drawn, has the same proportions but fewer pixels)
        picture = InlineImage(tpl, io.BytesIO(png), width=Mm(WIDTH_MM), height=Mm(HEIGHT_MM))
        xml = str(picture)  # "</w:t></w:r><w:r><w:drawing>…</w:drawing></w:r><w:r><w:t …>"
        head, tail = xml.rsplit("<w:r>", 1)
        return (f'{head}<w:r><w:rPr><w:b/></w:rPr><w:br/><w:t xml:space="preserve">'
                f"{escape(caption)}</w:t></w:r><w:r>{tail}")


def figure_fields(report: Report, previous: Report | None) -> FigureFields:
    return FigureFields(report, previous)


def bind_figures(context: dict[str, Any], template: Any,
                 pictures: dict[str, bytes] | None = None) -> None:
    """Let the context's figures go into the docxtpl document being rendered."""
    fields = context.get("bieu_do")
    if isinstance(fields, FigureFields):
        fields.bind(template, pictures)


def charts_for(report: Report, previous: Report | None, template: Any) -> dict[str, Chart]:
    """The chart of every figure the Word template names and the report has figures for (data
    only, nothing drawn). A template without `bieu_do` costs one read of its text."""
    charts = {}
    for key in figures_named(template):
        chart = FIGURES[key][0](report, previous)
        if chart is not None and not chart.empty:
            charts[key] = chart
    return charts


def figures_named(template: Any) -> list[str]:
    """The figure keys a Word template names (`bieu_do.KEY`); one read of its text."""
    import re
    import zipfile

    try:
        with zipfile.ZipFile(template) as z:
            xml = z.read("word/document.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return []  # the render reports the broken file
    if "bieu_do" not in xml:
        return []
    text = re.sub(r"<[^>]+>", "", xml)  # a tag Word split over several runs reads whole
    return [key for key in FIGURES if f"bieu_do.{key}" in text]


def pictures_for(report: Report, previous: Report | None, template: Any) -> dict[str, bytes]:
    """The PNG of every figure the Word template names, drawn now by a drawing child (kept ones
    are not drawn again); nothing is started for a template without figures. The export dialog
    calls it while the user chooses, so that the export itself finds them kept."""
    pictures, to_draw = kept_or_placeholders(charts_for(report, previous, template))
    pictures.update(Drawing(to_draw).finish())
    return pictures


def kept_or_placeholders(charts: dict[str, Chart]) -> tuple[dict[str, bytes], dict[str, Chart]]:
    """For a render that starts before its pictures are drawn: the pictures to hand the render
    now (those kept from an earlier export, a placeholder for each of the others) and the charts
    still to draw; `put_pictures` replaces each placeholder in the written document."""
    with _drawing:
        now, later = _kept_now(charts, DPI)
    now.update((key, placeholder_png(key)) for key in later)
    return now, later


PLACEHOLDER_TAG = b"cchc-hinh-ve"


def placeholder_png(key: str) -> bytes:
    """A small white PNG of the figure's proportions that names its figure (a tEXt chunk), so
    that each figure has its own picture part to replace."""
    from zlib import compress, crc32

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + crc32(body).to_bytes(4, "big")

    w, h = WIDTH_MM, HEIGHT_MM
    header = w.to_bytes(4, "big") + h.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])  # 8-bit grey
    rows = compress(b"".join(b"\x00" + b"\xff" * w for _ in range(h)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"tEXt", PLACEHOLDER_TAG + b"\x00" + key.encode("ascii"))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def put_pictures(docx: Any, pictures: dict[str, bytes]) -> None:
    """Replace each figure's placeholder picture in a written Word file by its drawing."""
    import os
    import zipfile
    from pathlib import Path

    from app.files import remove_quietly, temp_path

    if not pictures:
        return
    marks = {placeholder_png(k): png for k, png in pictures.items()}
    with zipfile.ZipFile(docx) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    tmp = temp_path(Path(docx))
    try:
        with zipfile.ZipFile(tmp, "w") as out:
            for info, data in entries:
                png = marks.get(data) if info.filename.startswith("word/media/") else None
                if png is None:
                    out.writestr(info, data)
                else:  # a PNG is compressed already
                    info.compress_type = zipfile.ZIP_STORED
                    out.writestr(info, png)
        os.replace(tmp, docx)
    finally:
        remove_quietly(tmp)


def field_rows() -> list[tuple[str, str, str]]:
    """The figure fields for `template fields`: (name, description, what it prints)."""
    return [(f"bieu_do.{key}", desc, "(hình vẽ) + dòng chú thích “Biểu đồ 1. …”")
            for key, (_builder, desc) in FIGURES.items()]


# ------------------------------------------------------------------------ drawing


def _load_matplotlib() -> Any:
    """Import matplotlib with its cache (the font list it builds on first use) in the
    program's own data folder, so a portable copy writes nothing to the user profile."""
    import os

    if "MPLCONFIGDIR" not in os.environ:
        from app.settings import data_dir

        folder = data_dir() / "matplotlib"
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["MPLCONFIGDIR"] = str(folder)
    import matplotlib

    matplotlib.use("Agg", force=False)
    return matplotlib


_family: list[str] = []


def _font_family() -> str:
    """The first of FONTS installed (the font list is read once a process)."""
    if not _family:
        from matplotlib import font_manager

        installed = {f.name for f in font_manager.fontManager.ttflist}
        _family.append(next((f for f in FONTS if f in installed), "DejaVu Serif"))
    return _family[0]


def _style(family: str) -> dict[str, Any]:
    """matplotlib settings of every figure, for building and drawing it alike. A print picture
    needs no hinting (it fits glyphs to a screen's pixels), and it is what costs the most in
    laying out and drawing text."""
    return {"font.family": family, "font.size": 10, "axes.titlesize": 11,
            "axes.labelsize": 10, "svg.fonttype": "none", "text.hinting": "no_hinting"}


PAD_IN = 0.06  # the picture's white border
GAP_PT = 4.0  # between the axes and its labels, and between stacked labels


def build_figure(chart: Chart, dpi: int = DPI) -> Any:
    """The matplotlib Figure of a chart (Agg only; tests inspect its bars).

    The margins are measured once from the texts that need them (category labels, the value
    axis, title, legend) instead of by matplotlib's layout engines, which measure every text
    two or three times: a picture costs about half as much to draw."""
    matplotlib = _load_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure
    from matplotlib.ticker import FuncFormatter

    family = _font_family()
    with matplotlib.rc_context(_style(family)):
        fig = MplFigure(figsize=(WIDTH_MM / 25.4, HEIGHT_MM / 25.4), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if chart.horizontal:
            _draw_horizontal(ax, chart)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: axis_text(chart, v)))
            ax.set_xlabel(chart.value_axis)
            below = [ax.xaxis.label]
        else:
            labels = _draw_vertical(ax, chart)
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: axis_text(chart, v)))
            ax.set_ylabel(chart.value_axis)
            below = [labels]
            if chart.category_axis:
                below.append(fig.text(0.5, 0, chart.category_axis, ha="center", va="bottom",
                                      fontsize=10))
        handles, names = ax.get_legend_handles_labels()
        if len(handles) > 1:
            below.append(fig.legend(handles, names, loc="lower center", ncols=len(handles),
                                    frameon=False, fontsize=9, borderaxespad=0))
        if chart.remark:
            ax.set_title(_wrap(chart.remark, 120), fontsize=8, style="italic")
        _fit(fig, ax, chart, below)
    return fig


def _fit(fig: Any, ax: Any, chart: Chart, below: list[Any]) -> None:
    """Place the axes so that every label fits inside the picture, measuring each text once."""
    from matplotlib.transforms import Bbox

    r = fig.canvas.get_renderer()
    px = fig.dpi  # pixels per inch
    w_in, h_in = fig.get_size_inches()
    gap = GAP_PT / 72

    def height(item: Any) -> float:
        if isinstance(item, list):
            boxes = [t.get_window_extent(r) for t in item]
            return max((b.height for b in boxes), default=0.0) / px
        return item.get_window_extent(r).height / px

    # from the bottom up: the legend, the category axis title, the labels under the axes
    y = PAD_IN
    stacked = []
    for item in reversed(below):
        stacked.append((item, y))
        y += height(item) + gap
    bottom = y
    if chart.horizontal:
        bottom = PAD_IN + sum(height(i) + gap for i in below[1:]) + gap
        # the x axis' own label and tick labels sit under the axes
        xaxis = ax.xaxis.get_tightbbox(r)
        spine = ax.get_window_extent(r).y0
        bottom += (spine - xaxis.y0) / px if xaxis is not None else 0.0
    for item, at in stacked:
        if chart.horizontal and item is ax.xaxis.label:
            continue
        if hasattr(item, "set_bbox_to_anchor"):  # the legend
            item.set_bbox_to_anchor(Bbox.from_bounds(0, at / h_in, 1, 0), fig.transFigure)
        elif not isinstance(item, list):
            item.set_y(at / h_in)
    # the value axis (tick labels and its title) on the left, the category labels' overhang
    yaxis = ax.yaxis.get_tightbbox(r)
    box = ax.get_window_extent(r)
    left = PAD_IN + ((box.x0 - yaxis.x0) / px if yaxis is not None else 0.0)
    top = PAD_IN + (ax.title.get_window_extent(r).height / px + gap if chart.remark else 0.05)
    right = PAD_IN + 0.05
    if not chart.horizontal and below and isinstance(below[0], list) and below[0]:
        # a slanted label under the first bar may reach further left than the value axis
        first = below[0][0].get_window_extent(r)
        left = max(left, PAD_IN + (box.x0 - first.x0) / px)
    fig.subplots_adjust(left=left / w_in, right=1 - right / w_in, bottom=bottom / h_in,
                        top=1 - top / h_in)


def _draw_vertical(ax: Any, chart: Chart) -> list[Any]:
    """Bars by category; returns the category labels (texts under the axes: one text each,
    not a tick each, which costs matplotlib three artists)."""
    from matplotlib.transforms import offset_copy

    n, k = len(chart.categories), len(chart.series)
    width = 0.8 / k
    low, high = value_bounds(chart)
    top = high * (1.08 if chart.unit == "percent" else 1.0)
    small = n > 12
    for j, s in enumerate(chart.series):
        xs, hs, colours = [], [], []
        for i, v in enumerate(s.values):
            if v is None:
                continue
            xs.append(i + (j - (k - 1) / 2) * width)
            hs.append(v)
            colours.append(_colour(chart, j, i, v))
        ax.bar(xs, hs, width=width * 0.92, color=colours, label=s.name, zorder=2)
        for x, v in zip(xs, hs, strict=True):
            ax.text(x, v, value_text(chart, v), ha="center", va="bottom",
                    fontsize=6 if small else 8, rotation=90 if small else 0, zorder=3)
    for i, note in enumerate(chart.notes):  # no bar: say why
        if note and chart.series[0].values[i] is None:
            ax.text(i, top * 0.02, note, ha="center", va="bottom", rotation=90,
                    fontsize=7 if small else 8, style="italic", color="#595959", zorder=3)
    if chart.target is not None:
        ax.axhline(chart.target, color="#C00000", linestyle="--", linewidth=1,
                   label=chart.target_label, zorder=4)
    ax.set_ylim(low, top)
    ax.set_xlim(-0.6, n - 0.4)
    ax.set_xticks([])
    rotate = n > 6
    under = offset_copy(ax.get_xaxis_transform(), fig=ax.figure, y=-GAP_PT, units="points")
    labels = [ax.text(i, 0, name, transform=under, rotation=40 if rotate else 0,
                      ha="right" if rotate else "center", va="top",
                      fontsize=7 if small else 9, rotation_mode="anchor", clip_on=False)
              for i, name in enumerate(chart.categories)]
    ax.grid(axis="y", color="#D9D9D9", linewidth=0.6, zorder=0)
    return labels


def _draw_horizontal(ax: Any, chart: Chart) -> None:
    s = chart.series[0]
    ys = [i for i, v in enumerate(s.values) if v is not None]
    vs = [v for v in s.values if v is not None]
    colours = [PALETTE[0] if v >= 0 else BELOW_TARGET for v in vs]
    ax.barh(ys, vs, color=colours, height=0.65, zorder=2)
    low, high = value_bounds(chart)
    pad = (high - low) * 0.01
    for y, v in zip(ys, vs, strict=True):
        ax.text(v + (pad if v >= 0 else -pad), y, value_text(chart, v),
                ha="left" if v >= 0 else "right", va="center", fontsize=8, zorder=3)
    ax.axvline(0, color="#404040", linewidth=0.8)
    ax.set_xlim(low - (high - low) * 0.12 if low < 0 else 0, high)
    ax.set_yticks(range(len(chart.categories)))
    ax.set_yticklabels([_wrap(c, 48) for c in chart.categories], fontsize=8)
    ax.invert_yaxis()  # the largest change on top
    ax.grid(axis="x", color="#D9D9D9", linewidth=0.6, zorder=0)


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _colour(chart: Chart, series: int, i: int, v: float) -> str:
    if series == 0 and i == chart.total_index:
        return TOTAL
    if series == 0 and chart.target is not None and v < chart.target:
        return BELOW_TARGET
    return PALETTE[series % len(PALETTE)]


_drawing = threading.Lock()  # guards the kept pictures and the drawings under way
_kept: OrderedDict[tuple[Chart, int], bytes] = OrderedDict()
KEEP = 16  # pictures kept in memory
KEEP_ON_DISK = 64  # and in the data folder, for the next export or the next session
_under_way: dict[tuple[Chart, int], Drawing] = {}


def draw_png(chart: Chart, dpi: int = DPI) -> bytes:
    """The chart as a PNG at print resolution.

    Drawing costs about a hundred milliseconds a figure, so pictures are kept by their data (a
    `Chart` is immutable), in memory and in the data folder: exporting again after editing the
    text, or figures no chart shows, does not draw them again, nor does a later session; the
    export window draws them ahead (`pictures_for`) while the user chooses."""
    return draw_pngs({"": chart}, dpi)[""]


def draw_pngs(charts: dict[str, Chart], dpi: int = DPI) -> dict[str, bytes]:
    """Several charts as PNGs, drawn in this process (kept ones are not drawn again)."""
    with _drawing:
        out, later = _kept_now(charts, dpi)
    drawn = draw_job(later, dpi) if later else {}
    with _drawing:
        _keep(later, drawn, dpi)
    return out | drawn


def _kept_now(charts: dict[str, Chart], dpi: int) -> tuple[dict[str, bytes], dict[str, Chart]]:
    """The kept pictures of these charts, and the charts not kept (the caller holds _drawing)."""
    kept: dict[str, bytes] = {}
    later: dict[str, Chart] = {}
    for name, chart in charts.items():
        png = _kept.get((chart, dpi))
        if png is not None:
            _kept.move_to_end((chart, dpi))
        else:
            png = _from_disk(chart, dpi)
            if png is not None:
                _kept[(chart, dpi)] = png
        if png is None:
            later[name] = chart
        else:
            kept[name] = png
    _trim()
    return kept, later


def _keep(charts: dict[str, Chart], pngs: dict[str, bytes], dpi: int) -> None:
    """Keep the drawn pictures for the next export (caller holds _drawing)."""
    from app.files import keep_cached

    for name, png in pngs.items():
        _kept[(charts[name], dpi)] = png
        keep_cached(_disk_folder(), _disk_name(charts[name], dpi), png, KEEP_ON_DISK)
    _trim()


def _trim() -> None:
    while len(_kept) > KEEP:
        _kept.popitem(last=False)


def _disk_folder() -> Any:
    from app.settings import data_dir

    return data_dir() / "figure-cache"


def _disk_name(chart: Chart, dpi: int) -> str:
    """A picture's file in the disk cache: named by everything it is drawn from (the chart's
    data and words, the resolution, and the code that draws and writes it)."""
    import hashlib

    text = "\0".join((_drawing_code(), str(dpi), repr(chart)))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() + ".png"


def _from_disk(chart: Chart, dpi: int) -> bytes | None:
    from app.files import cached_bytes

    png = cached_bytes(_disk_folder(), _disk_name(chart, dpi))
    # a file cut short (a full disk, a copy interrupted) is drawn again
    return png if png and png.startswith(b"\x89PNG") and png.endswith(IEND) else None


IEND = b"IEND\xaeB`\x82"
_code_digest: list[str] = []


def _drawing_code() -> str:
    """A digest of the program's version and of the modules a picture depends on (this one, the
    chart data and the number formats): a new version of them never reuses an old picture."""
    if not _code_digest:
        import hashlib
        import sys

        from app import __version__

        h = hashlib.sha256(__version__.encode())
        for name in (__name__, "app.charts.data", "app.formatting"):
            module = sys.modules.get(name)
            try:
                with open(getattr(module, "__file__", "") or "", "rb") as f:
                    h.update(f.read())
            except OSError:
                h.update(name.encode())
        _code_digest.append(h.hexdigest())
    return _code_digest[0]


# ------------------------------------------------------------------ drawing in a child process

FIGURE_JOB = "app.export.figures:draw_job"


def _figure_limits() -> Any:
    from app.templates.runner import Limits

    # matplotlib and numpy need more address space than a template render; trusted code
    return Limits(wall_s=60.0, memory_mb=2048, output_mb=1, result_mb=64)


def child_preload() -> None:
    """What a drawing child does before its job arrives: matplotlib and its Agg canvas imported
    and the font list read, so the job pays only for its own figures. (Drawing a sample figure
    here as well was measured: it did not make the job's figures faster.)"""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401

    _load_matplotlib()
    _font_family()


def draw_job(charts: dict[str, Chart], dpi: int = DPI) -> dict[str, bytes]:
    """Each chart as a PNG: the drawing child's job (and `draw_pngs`' in this process)."""
    from concurrent.futures import ThreadPoolExecutor

    # matplotlib draws one picture at a time, but the PNG of one is compressed (Pillow, outside
    # the interpreter lock) while the next is drawn
    with ThreadPoolExecutor(max_workers=1) as pool:
        futures = {key: pool.submit(_encode_png, _raster(chart, dpi), dpi)
                   for key, chart in charts.items()}
        return {key: f.result() for key, f in futures.items()}


def prestart_drawing(template: Any, report: Report | None = None,
                     previous: Report | None = None) -> None:
    """Start a drawing child ahead when the Word template names figures: an export command
    starting, the export window opening, the editor a moment after it opens and after each
    export (for the template of the last export). Given the report, only when some of its
    pictures are not kept. One read of the template's text; nothing for a template without
    figures."""
    from app.templates.runner import prestart

    if report is None:
        needed = bool(figures_named(template))
    else:
        needed = bool(kept_or_placeholders(charts_for(report, previous, template))[1])
    if needed:
        prestart(FIGURE_JOB, _figure_limits())


class Drawing:
    """Charts being drawn by a child process (matplotlib never loads in the calling program)
    while the caller does other work; `finish()` returns the PNGs and keeps them for the next
    export. A chart another drawing already has under way (the export window drawing ahead,
    and "Xuất" clicked before it is done) is not drawn twice: this one waits for that one."""

    def __init__(self, charts: dict[str, Chart]):
        from app.templates.runner import limited_call

        self.own: dict[str, Chart] = {}
        self.joined: dict[str, tuple[Drawing, Chart]] = {}
        self._done = threading.Lock()
        self._pngs: dict[str, bytes] | None = None
        self.ready: dict[str, bytes] = {}
        with _drawing:
            for name, chart in charts.items():
                other = _under_way.get((chart, DPI))
                if (chart, DPI) in _kept:  # drawn by another since the caller looked
                    self.ready[name] = _kept[(chart, DPI)]
                elif other is None:
                    self.own[name] = chart
                    _under_way[(chart, DPI)] = self
                else:
                    self.joined[name] = (other, chart)
        self.call = None
        if self.own:
            try:
                self.call = limited_call(FIGURE_JOB, _figure_limits(), what="việc vẽ biểu đồ")
                self.call.send(self.own, DPI)
            except BaseException:
                self._release()
                raise

    def _release(self) -> None:
        with _drawing:
            for chart in self.own.values():
                if _under_way.get((chart, DPI)) is self:
                    del _under_way[(chart, DPI)]

    def cancel(self) -> None:
        if self.call is not None:
            self.call.cancel()
        self._release()

    def _own_pngs(self) -> dict[str, bytes]:
        """This drawing's own pictures, waited for once (several threads may ask)."""
        with self._done:
            if self._pngs is None:
                try:
                    pngs: dict[str, bytes] = self.call.wait() if self.call is not None else {}
                    with _drawing:
                        _keep(self.own, pngs, DPI)
                finally:
                    self._release()
                self._pngs = pngs
            return self._pngs

    def _png_of(self, chart: Chart) -> bytes | None:
        pngs = self._own_pngs()
        return next((pngs.get(name) for name, c in self.own.items() if c == chart), None)

    def finish(self) -> dict[str, bytes]:
        pngs = self.ready | self._own_pngs()
        missing: dict[str, Chart] = {}
        for name, (other, chart) in self.joined.items():
            try:
                png = other._png_of(chart)
            except Exception:  # noqa: BLE001 - that drawing failed or was cancelled: draw here
                png = None
            if png is None:
                missing[name] = chart
            else:
                pngs[name] = png
        if missing:
            pngs.update(Drawing(missing).finish())
        return pngs


def kept_pictures() -> int:
    """How many pictures are kept in memory for the next export."""
    return len(_kept)


def forget_pictures() -> None:
    """Drop the kept pictures, in memory and on disk (benchmarks measure drawing anew)."""
    import shutil

    with _drawing:
        _kept.clear()
        shutil.rmtree(_disk_folder(), ignore_errors=True)


def _raster(chart: Chart, dpi: int) -> Any:
    """The chart drawn by matplotlib's Agg renderer: a Pillow RGBA image."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    matplotlib = _load_matplotlib()
    fig = build_figure(chart, dpi)
    fig.set_facecolor("white")
    canvas = fig.canvas  # the one that measured the texts: its renderer keeps their metrics
    assert isinstance(canvas, FigureCanvasAgg)
    with matplotlib.rc_context(_style(_font_family())):
        canvas.draw()  # once; savefig() would lay out and draw a second time
    width, height = canvas.get_width_height(physical=True)
    return Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)


def _encode_png(image: Any, dpi: int) -> bytes:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "PNG", dpi=(dpi, dpi), compress_level=1)
    return buf.getvalue()
