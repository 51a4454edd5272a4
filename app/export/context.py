"""The context a Word template sees (architecture.md §3).

- `{{ KEY }}` for every indicator and derived indicator, already written the Vietnamese way
  ("1.675", "97,37%", "186,5 tỷ đồng", "21/63", "tăng 03 bậc"), or "…" when not reported;
- `so.KEY` the raw number (None when not reported), for `{% if so.tthc_mot_cua %}`;
- `ty_so.KEY` / `phan_so.KEY` for derived percentages: "18/21 (85,71%)" / "18/21";
- `ky_truoc.KEY` the previous period's figure, `so_sanh.KEY` "tăng 12,5% so với cùng kỳ";
- document fields, narrative paragraphs (`doan_van.SECTION`), per-unit rows (`don_vi`).

Every name here is listed, with a Vietnamese description and a sample value, by
`field_reference()`, which `python -m app template fields` prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.catalog import LEVEL_LABELS, Catalog, load_catalog
from app.combining import (
    count_answers,
    derive,
    number,
    numerator,
    report_derived,
    report_values,
    source_units,
    total,
)
from app.export.clauses import data_window_line
from app.export.figures import field_rows as figure_field_rows
from app.export.figures import figure_fields
from app.export.joined import joined_field_rows, joined_forms
from app.formatting import (
    MISSING,
    format_change,
    format_count,
    format_count_text,
    format_number_line,
    format_percent,
    format_period_title,
    format_place_date,
    format_points_delta,
    format_rank,
    format_rank_delta,
    format_ratio,
    format_ratio_text,
    format_value,
    lower_first,
)
from app.model import Period, Report
from app.validation import explained_fields
from app.vocabulary import PHASE

# How the unit calls itself in generated sentences ("Trong kỳ, tỉnh ban hành …").
SUBJECT_BY_LEVEL = {"tinh": "tỉnh", "so_nganh": "cơ quan", "huyen": "huyện", "xa": "xã"}


class Hole(str):
    """A `{{ KEY }}` not reported: prints "…" like any text, and tells the render which figure
    it stands for, so that a final export can name every such hole (architecture.md §3)."""

    hole_of: str

    def __new__(cls, key: str) -> Hole:
        out = super().__new__(cls, MISSING)
        out.hole_of = key
        return out

    def __reduce__(self):  # pickled with its key (the context may cross a process boundary)
        return (Hole, (self.hole_of,))


def next_period_title(period: Period) -> str:
    """The period the "phương hướng, nhiệm vụ" section plans for. Phases are five years (ten
    for a ten-year review): after 2016 – 2020 comes "giai đoạn 2021 - 2025", also when the
    drafter entered the phase from its base year (2015 – 2020)."""
    if period.kind == PHASE:
        span = int(period.to_year) - int(period.from_year) + 1  # type: ignore[arg-type]
        length = 10 if span >= 9 else 5
        return format_period_title(PHASE, None, int(period.to_year) + 1,  # type: ignore[arg-type]
                                   int(period.to_year) + length)  # type: ignore[arg-type]
    y = int(period.year)  # type: ignore[arg-type]
    return {
        "quy_1": f"quý II năm {y}",
        "sau_thang": f"6 tháng cuối năm {y}",
        "quy_3": f"quý IV năm {y}",
        "chin_thang": f"3 tháng cuối năm {y}",
        "nam": f"năm {y + 1}",
    }[period.kind]


def issuing_body_lines(name: str, chosen: list[str] | None = None) -> list[str]:
    """"Ủy ban nhân dân tỉnh Hà Nam" → ["ỦY BAN NHÂN DÂN", "TỈNH HÀ NAM"], as headers are set:
    broken only where the user chose (`chosen`) or before the place's name (app.agency)."""
    from app.agency import header_lines

    return header_lines(name, chosen) or [MISSING]


def paragraphs(text: str | None) -> list[str]:
    """Split narrative text into paragraphs at blank lines (single line breaks join)."""
    if not text or not text.strip():
        return []
    out = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        if lines:
            out.append(" ".join(lines))
    return out


def _short_name(name: str) -> str:
    """"Ủy ban nhân dân tỉnh Hà Nam" as the subject of the opening sentence."""
    return name.strip() or "Cơ quan"


def build_context(report: Report, previous: Report | None = None, draft: bool = False,
                  catalog: Catalog | None = None, clause_file: Any = None,
                  pad: bool | None = None) -> dict[str, Any]:
    """The template context. `clause_file`: the template package's cau_van.toml (None: the
    built-in one); `pad`: small numbers with a leading zero (None: the setting)."""
    from app.export.clauses import padding_on

    cat = catalog or load_catalog()
    pad = padding_on() if pad is None else pad
    values = report_values(report, cat)  # one online rate per report (app.combining)
    derived = report_derived(report, cat)
    prov = report.period.province_count
    ctx: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    for ind in cat.indicators.values():
        v = values.get(ind.key)
        raw[ind.key] = v
        if ind.unit == "rank":
            ctx[ind.key] = format_rank(None if v is None else int(v), prov)
        elif ind.unit == "count":
            ctx[ind.key] = format_count_text(v, pad)
        else:
            ctx[ind.key] = format_value(ind.unit, v)
    ratio_pct: dict[str, str] = {}
    ratio: dict[str, str] = {}
    for d in cat.derived.values():
        v = derived[d.key]
        raw[d.key] = v
        if d.kind == "rank_change":
            ctx[d.key] = format_rank_delta(v, pad)  # type: ignore[arg-type]
            continue
        if d.kind != "percent":
            if d.key not in ctx:  # a score change, a group: written by their own rules
                ctx[d.key] = MISSING if v is None else (
                    format_points_delta(v) if isinstance(v, int | float) else str(v))
            continue
        ctx[d.key] = format_percent(v)  # type: ignore[arg-type]
        num, den = numerator(d, values), total(values, d.denominator)
        ratio[d.key] = format_ratio_text(num, den, pad)
        pct = format_ratio(num, den, with_percent=True)  # type: ignore[arg-type]
        ratio_pct[d.key] = (ratio[d.key] + pct[len(format_ratio(num, den)):]  # type: ignore[arg-type]
                            if num is not None and den is not None else MISSING)
    for key in (*cat.indicators, *cat.derived):
        if ctx.get(key) == MISSING:
            ctx[key] = Hole(key)
    ctx["so"] = raw
    ctx["ty_so"] = ratio_pct
    ctx["phan_so"] = ratio

    before: dict[str, str] = {}
    change: dict[str, str] = {}
    prev_derived = report_derived(previous, cat) if previous else {}
    for key in list(cat.indicators) + list(cat.derived):
        if previous is None:
            before[key], change[key] = "", ""
            continue
        if key in cat.indicators:
            unit = cat.indicators[key].unit
            cur, old = values.get(key), previous.values.get(key)
        else:
            kind = cat.derived[key].kind
            unit = {"percent": "percent", "difference": "score"}.get(kind, "rank")
            cur, old = derived.get(key), prev_derived.get(key)
            if kind == "group":
                before[key], change[key] = (old or "") if isinstance(old, str) else "", ""
                continue
        before[key] = format_value(unit, old) if isinstance(old, int | float) else ""
        change[key] = (format_change(cur, old, unit)
                       if unit in ("count", "money_vnd", "percent", "score") else "")
    ctx["ky_truoc"] = before
    ctx["so_sanh"] = change
    ctx["co_ky_truoc"] = previous is not None
    ctx["ky_truoc_tieu_de"] = previous.period.title if previous else ""

    doc, unit, period = report.document, report.unit, report.period
    ctx.update(
        co_quan_chu_quan=unit.governing_body.strip().upper(),
        co_quan_ban_hanh=issuing_body_lines(unit.name, doc.issuer_lines),
        ten_co_quan=_short_name(unit.name),
        cap=unit.level,
        cap_ten=LEVEL_LABELS.get(unit.level, unit.level),
        chu_the=SUBJECT_BY_LEVEL.get(unit.level, "đơn vị"),
        cap_tinh=unit.level == "tinh",
        hai_cap=period.is_two_tier,
        so_ky_hieu=format_number_line(doc.number, doc.symbol or "BC"),
        dia_danh_ngay=format_place_date(doc.place, doc.date),
        ky_bao_cao=period.title,
        ky_tiep_theo=next_period_title(period),
        nam=str(period.report_year),
        trich_yeu=f"Kết quả thực hiện công tác cải cách hành chính {period.title}",
        kinh_gui=[t.strip().rstrip(".;") for t in doc.to if t.strip()] or [MISSING],
        noi_nhan=[t.strip().rstrip(".;") for t in doc.distribution if t.strip()],
        nguoi_ky={
            "tham_quyen": doc.signer.authority.strip().upper(),
            "chuc_vu": [ln.strip().upper() for ln in doc.signer.position.splitlines() if ln.strip()],
            "ho_ten": doc.signer.name.strip() or MISSING,
        },
        du_thao=draft,
        so_tinh=str(prov),
    )
    narrative = {s.key: paragraphs(report.narrative.get(s.key)) for s in cat.sections}
    ctx["doan_van"] = narrative
    ctx["mo_dau"] = narrative.get("mo_dau") or [
        f"Thực hiện chế độ báo cáo cải cách hành chính định kỳ, {_short_name(unit.name)} báo cáo "
        f"kết quả thực hiện công tác cải cách hành chính {period.title} như sau "
        f"(số liệu chi tiết tại Phụ lục kèm theo):"
    ]
    ctx["giai_trinh"] = _explanations(report, previous, cat)
    ctx["co_chi_so"] = any(values.get(i.key) is not None for i in cat.by_area["chi_so"])
    ctx.update(_unit_context(report, cat, pad))
    ctx["thoi_gian_so_lieu"] = data_window_line(report)
    ctx.update(_generated(report, previous, cat, pad, derived, values, ctx, draft, clause_file))
    ctx.update(joined_forms(ctx))
    ctx["bieu_do"] = figure_fields(report, previous)  # drawn only when the template uses one
    return ctx


def _explanations(report: Report, previous: Report | None, cat: Catalog
                  ) -> dict[str, list[dict[str, str]]]:
    """The drafter's explanations by reform area (the area of the first indicator explained;
    "khac" when none): each with `noi_dung` (the text, ending in a full stop) and `chi_tieu`
    (the indicators it is about, as a phrase), for a sentence after the area's paragraph."""
    out: dict[str, list[dict[str, str]]] = {a.key: [] for a in cat.areas}
    out["khac"] = []
    for e in explained_fields(report, previous, cat):
        area = next((cat.indicators[k].area if k in cat.indicators else cat.derived[k].area
                     for k in e.fields if k in cat.indicators or k in cat.derived), "khac")
        labels = [lower_first(cat.label(k)) for k in e.fields
                  if k in cat.indicators or k in cat.derived]
        phrase = (", ".join(labels[:-1]) + " và " + labels[-1]) if len(labels) > 1 else \
            (labels[0] if labels else "")
        text = e.text.rstrip()
        if text[-1:] not in ".!?…":
            text += "."
        out.setdefault(area, []).append({"noi_dung": text, "chi_tieu": phrase, "ma": e.key})
    return out


@dataclass(frozen=True)
class UnitRow:
    ten: str
    cap: str
    ty_le_dung_han: str


def _answered_ratio(units: Any, key: str, level: str, pad: bool = True) -> str:
    """"18/21": units that said yes over the units that answered — a blank is not a "no"
    (app.combining.count_answers, the one rule of every "x/y đơn vị")."""
    a = count_answers(units, key, level)
    return format_ratio_text(a.yes, a.answered, pad) if a.answered else MISSING


def _unanswered(units: Any, key: str, level: str, pad: bool = True) -> str:
    """How many units were asked and left the figure blank ("" when every unit answered)."""
    n = count_answers(units, key, level).not_answered
    return format_count_text(n, pad) if n else ""


# the words of the consolidated one-stop sentence (cau_van.toml, "mot_cua_don_vi")
UNIT_WORDS = ("so_don_vi", "so_nganh_mot_cua", "xa_mot_cua", "so_nganh_mot_cua_chua_bao_cao",
              "xa_mot_cua_chua_bao_cao", "don_vi_dung_han_thap")


def _generated(report: Report, previous: Report | None, cat: Catalog, pad: bool,
               derived: Mapping[str, Any], values: Mapping[str, Any], ctx: dict[str, Any],
               draft: bool, clause_file: Any) -> dict[str, Any]:
    """`cau_van.<đoạn>`: each generated paragraph ("" when nothing is known); in a draft,
    `cau_van_thieu.<đoạn>` names the figures it could not state ("" in a final export)."""
    from app.export.clauses import ClauseBook, load_book, render_book

    book = clause_file if isinstance(clause_file, ClauseBook) else load_book(clause_file)
    extra = {k: (ctx[k] if ctx.get("co_don_vi") and ctx[k] not in ("", MISSING) else None)
             for k in UNIT_WORDS}
    formatted = {k: v for k, v in ctx.items() if isinstance(v, str) and not isinstance(v, Hole)}
    rendered = render_book(book, report, previous, cat, pad, derived, values, extra, formatted)
    texts = {k: r.text for k, r in rendered.items()}
    holes = {k: ("Chưa có số liệu: " + "; ".join(r.holes) + "." if draft and r.holes else "")
             for k, r in rendered.items()}
    # the hole as the default template prints it after the paragraph, marked
    marks = {k: ((" " if texts[k] else "") + f"[{h}]" if h else "") for k, h in holes.items()}
    return {"cau_van": texts, "cau_van_thieu": holes, "cau_van_nhac": marks,
            "co_theo_cap": bool(texts.get("theo_cap"))}


def _unit_context(report: Report, cat: Catalog, pad: bool = True) -> dict[str, Any]:
    """Per-unit figures of a consolidated report: one-stop coverage and on-time rates."""
    on_time_rate = cat.derived["ty_le_giai_quyet_dung_han"]
    rows = []
    for src in report.sources:
        v: Mapping[str, Any] = src.values
        on_time = derive(on_time_rate, v)
        one_stop = number(v.get("tthc_mot_cua"))
        rows.append({
            "ten": src.unit.name, "cap": src.unit.level,
            "ty_le_dung_han_so": on_time, "ty_le_dung_han": format_percent(on_time),
            "ho_so_da_giai_quyet": format_count(number(v.get("ho_so_da_giai_quyet"))),
            # None: the unit did not report it (never a "no")
            "mot_cua": None if one_stop is None else one_stop > 0,
        })
    units = source_units(report, cat)
    rated = sorted((r for r in rows if r["ty_le_dung_han_so"] is not None),
                   key=lambda r: r["ty_le_dung_han_so"])
    lowest = [r for r in rated[:3] if r["ty_le_dung_han_so"] < 100]
    return {
        "don_vi": rows,
        "co_don_vi": bool(rows),
        "so_don_vi": format_count_text(len(rows), pad),
        "so_nganh_mot_cua": _answered_ratio(units, "tthc_mot_cua", "so_nganh", pad),
        "xa_mot_cua": _answered_ratio(units, "tthc_mot_cua", "xa", pad),
        "so_nganh_mot_cua_chua_bao_cao": _unanswered(units, "tthc_mot_cua", "so_nganh", pad),
        "xa_mot_cua_chua_bao_cao": _unanswered(units, "tthc_mot_cua", "xa", pad),
        "don_vi_dung_han_thap": "; ".join(f"{r['ten']} ({r['ty_le_dung_han']})" for r in lowest),
    }


def field_reference(catalog: Catalog | None = None) -> list[tuple[str, str, str]]:
    """Every name a template can use: (name, Vietnamese description, sample value)."""
    from app.sample import sample_report

    cat = catalog or load_catalog()
    sample = sample_report()
    ctx = build_context(sample, previous=None, catalog=cat)
    rows: list[tuple[str, str, str]] = []
    for ind in cat.indicators.values():
        rows.append((ind.key, ind.label, str(ctx[ind.key])))
    for d in cat.derived.values():
        rows.append((d.key, f"{d.label} (tính tự động)", str(ctx[d.key])))
    for d in cat.derived.values():
        if d.kind == "percent":
            rows.append((f"ty_so.{d.key}", f"{d.label}, dạng tỷ số kèm phần trăm", ctx["ty_so"][d.key]))
            rows.append((f"phan_so.{d.key}", f"{d.label}, dạng tỷ số", ctx["phan_so"][d.key]))
    rows += [
        ("so.<mã chỉ tiêu>", "Số liệu gốc (để so sánh trong {% if %}); rỗng khi chưa báo cáo", str(ctx["so"]["tthc_mot_cua"])),
        ("ky_truoc.<mã chỉ tiêu>", "Số liệu cùng kỳ năm trước (khi có báo cáo kỳ trước)", "1.520"),
        ("so_sanh.<mã chỉ tiêu>", "Câu so sánh với cùng kỳ", "tăng 12,5% so với cùng kỳ"),
        ("co_ky_truoc", "Có báo cáo kỳ trước để so sánh hay không", "True"),
        ("co_quan_chu_quan", "Cơ quan chủ quản (chữ in hoa), có thể trống", ctx["co_quan_chu_quan"] or "UBND TỈNH HÀ NAM"),
        ("co_quan_ban_hanh", "Cơ quan ban hành, từng dòng (dùng vòng lặp)", " / ".join(ctx["co_quan_ban_hanh"])),
        ("ten_co_quan", "Tên cơ quan ban hành", ctx["ten_co_quan"]),
        ("chu_the", "Cách gọi đơn vị trong câu văn", ctx["chu_the"]),
        ("cap", "Cấp đơn vị: tinh, so_nganh, huyen, xa", ctx["cap"]),
        ("cap_tinh", "Đúng khi báo cáo của cấp tỉnh", str(ctx["cap_tinh"])),
        ("hai_cap", "Đúng khi kỳ báo cáo từ 01/7/2025 (không còn cấp huyện)", str(ctx["hai_cap"])),
        ("so_ky_hieu", "Dòng số, ký hiệu văn bản", ctx["so_ky_hieu"]),
        ("dia_danh_ngay", "Địa danh và ngày tháng năm ban hành", ctx["dia_danh_ngay"]),
        ("ky_bao_cao", "Tên kỳ báo cáo", ctx["ky_bao_cao"]),
        ("ky_tiep_theo", "Kỳ tiếp theo (phần phương hướng)", ctx["ky_tiep_theo"]),
        ("nam", "Năm báo cáo", ctx["nam"]),
        ("trich_yeu", "Trích yếu nội dung", ctx["trich_yeu"]),
        ("kinh_gui", "Danh sách nơi được kính gửi (vòng lặp)", "; ".join(ctx["kinh_gui"])),
        ("noi_nhan", "Danh sách nơi nhận (vòng lặp)", "; ".join(ctx["noi_nhan"])),
        ("nguoi_ky.tham_quyen", "Quyền hạn người ký", ctx["nguoi_ky"]["tham_quyen"]),
        ("nguoi_ky.chuc_vu", "Chức vụ người ký, từng dòng (vòng lặp)", " / ".join(ctx["nguoi_ky"]["chuc_vu"])),
        ("nguoi_ky.ho_ten", "Họ và tên người ký", ctx["nguoi_ky"]["ho_ten"]),
        ("du_thao", "Đúng khi xuất bản dự thảo", "False"),
        ("mo_dau", "Đoạn mở đầu, từng đoạn (vòng lặp)", ctx["mo_dau"][0]),
        ("giai_trinh.<lĩnh vực>", "Các giải trình của người soạn về số liệu của lĩnh vực (vòng "
         "lặp; mỗi mục có chi_tieu — các chỉ tiêu được giải trình — và noi_dung); lĩnh vực: "
         + ", ".join(a.key for a in cat.areas) + ", khac",
         "chi_tieu: số cơ quan, đơn vị đã được kiểm tra CCHC; noi_dung: Tăng kiểm tra đột "
         "xuất theo chỉ đạo."),
        ("co_chi_so", "Có số liệu các chỉ số (PAR INDEX, SIPAS…) hay không", str(ctx["co_chi_so"])),
        ("so_tinh", "Số tỉnh, thành phố dùng làm mẫu số thứ hạng", ctx["so_tinh"]),
        ("don_vi", "Danh sách đơn vị của báo cáo tổng hợp (vòng lặp; mỗi đơn vị có ten, ty_le_dung_han)", "…"),
        ("co_don_vi", "Báo cáo tổng hợp từ các đơn vị hay không", "False"),
        ("so_nganh_mot_cua", "Số sở, ban, ngành có thực hiện một cửa / tổng số (báo cáo tổng hợp)", "18/21"),
        ("xa_mot_cua", "Số xã có thực hiện một cửa / tổng số (báo cáo tổng hợp)", "98/98"),
        ("don_vi_dung_han_thap", "Các đơn vị có tỷ lệ giải quyết đúng hạn thấp nhất", "Sở Xây dựng (91,2%)"),
        ("ky_truoc_tieu_de", "Tên kỳ so sánh (cùng kỳ năm trước); trống khi không có báo cáo kỳ trước", "năm 2023"),
        ("so_don_vi", "Số đơn vị gửi số liệu (báo cáo tổng hợp)", ctx["so_don_vi"]),
        ("cap_ten", "Tên cấp của đơn vị báo cáo", ctx["cap_ten"]),
    ]
    rows += _generated_field_rows(ctx)
    rows += joined_field_rows(ctx)
    rows += figure_field_rows()
    for s in cat.sections:
        text = ctx["doan_van"].get(s.key) or []
        rows.append((f"doan_van.{s.key}", f"Nội dung viết tay: {s.heading} (từng đoạn)", text[0] if text else ""))
    return rows


def _generated_field_rows(ctx: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The generated paragraphs of the clause file, the draft's holes and the data window."""
    from app.export.clauses import load_book

    book = load_book()
    rows = [
        ("thoi_gian_so_lieu", "Dòng thời gian tính số liệu, đặt dưới đoạn mở đầu (theo chế độ báo "
         "cáo, hoặc như người soạn nhập ở thông tin văn bản)", ctx["thoi_gian_so_lieu"]),
        ("co_theo_cap", "Có số liệu theo từng cấp (tỉnh, huyện, xã) hay không", str(ctx["co_theo_cap"])),
    ]
    for key, par in book.paragraphs.items():
        rows.append((f"cau_van.{key}", f"Đoạn văn tự sinh: {par.description} (chỉ có những số "
                     "liệu đã biết; trống khi chưa có số liệu nào; sửa câu chữ trong cau_van.toml)",
                     ctx["cau_van"].get(key, "")))
    rows.append(("cau_van_thieu.<đoạn>", "Bản dự thảo: các số liệu đoạn văn tự sinh chưa nói được "
                 "(để người soạn bổ sung); trống khi xuất bản chính thức",
                 "Chưa có số liệu: số hồ sơ giải quyết trước hạn."))
    rows.append(("cau_van_nhac.<đoạn>", "Như cau_van_thieu, trong ngoặc vuông, để in ngay sau "
                 "đoạn văn tự sinh (mẫu mặc định tô vàng); trống khi xuất bản chính thức",
                 " [Chưa có số liệu: số hồ sơ giải quyết trước hạn.]"))
    return rows

