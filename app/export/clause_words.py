"""The words a clause wording can use, for one report (app.export.clauses): every figure
written the Vietnamese way by the one padding rule (writing.md §6), comparisons with the year
before or the phase's base year (§4), the PAR INDEX as recent texts write it (§5), programme
targets in words (§2), each level's figures (§3), and the labels of the figures a draft names
as holes. Figures come from app.combining; nothing here computes a rate of its own."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

LEVEL_ORDER = ("tinh", "huyen", "xa")
LEVEL_NAMES = {"tinh": "cấp tỉnh", "huyen": "cấp huyện", "xa": "cấp xã"}

def _plain_number(v: Any) -> Any:
    """Decimal (by_level) → int or float, so the combining functions take it."""
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def padding_on() -> bool:
    """The number-padding setting (writing.md §6); padding unless turned off."""
    try:
        from app.settings import load_settings

        return getattr(load_settings(), "number_padding", "pad") != "plain"
    except Exception:  # noqa: BLE001 - a broken settings file keeps the default
        return True


def par_as_percent(report: Any) -> bool:
    """Recent texts write the PAR INDEX as a percentage, older ones (up to 2021) in points."""
    return int(report.period.report_year) >= 2022


def base_year(report: Any) -> int | None:
    """The year a phase report compares with: the staff-cut base year when given, else the
    year before the phase."""
    period = report.period
    if not period.is_phase:
        return None
    v = report.values.get("bien_che_nam_goc")
    return int(v) if isinstance(v, int | float) and not isinstance(v, bool) else int(period.from_year) - 1


def compared_with(report: Any) -> str:
    """"so với cùng kỳ năm trước" (quarters, half-years, nine months), "so với năm trước"
    (years), "so với năm 2015" (a phase: its base year)."""
    period = report.period
    if period.is_phase:
        return f"so với năm {base_year(report)}"
    return "so với năm trước" if period.kind == "nam" else "so với cùng kỳ năm trước"


def _value_text(unit: str, v: Any, pad: bool, provinces: int) -> str:
    from app.formatting import format_count_text, format_rank, format_value

    if unit == "count":
        return format_count_text(v, pad)
    if unit == "rank":
        return format_rank(int(v), provinces)
    return format_value(unit, v)


def _area_name(label: str) -> str:
    """"Điểm lĩnh vực cải cách TTHC (Chỉ số CCHC)" → "lĩnh vực cải cách thủ tục hành chính"."""
    name = re.sub(r"\s*\(Chỉ số CCHC\)\s*$", "", label)
    name = re.sub(r"^Điểm\s+", "", name)
    return name.replace("CCHC", "cải cách hành chính").replace("TTHC", "thủ tục hành chính")


def report_words(report: Any, previous: Any, cat: Any, pad: bool,
                 derived: Mapping[str, Any], values: Mapping[str, Any],
                 maxima: Mapping[str, float] | None = None,
                 formatted: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """Every word a wording can use, for this report (None: not known). `formatted`: the
    figures already written by the same rules (the template context), not written twice."""
    from app.combining import report_derived
    from app.formatting import (
        format_change,
        format_decimal,
        format_percent,
        format_points_delta,
        format_rank_delta,
        format_ratio_text,
    )

    provinces = report.period.province_count
    words: dict[str, str | None] = {}
    formatted = formatted or {}
    for ind in cat.indicators.values():
        v = values.get(ind.key)
        done = formatted.get(ind.key)
        words[ind.key] = None if v is None else (
            done if done is not None else _value_text(ind.unit, v, pad, provinces))
    so_voi = compared_with(report)
    prev_derived = report_derived(previous, cat) if previous is not None else {}
    for d in cat.derived.values():
        v = derived.get(d.key)
        kind = d.kind
        if v is None:
            words[d.key] = None
        elif kind in ("percent", "rank_change") and formatted.get(d.key) is not None:
            words[d.key] = formatted[d.key]
        elif kind == "percent":
            words[d.key] = format_percent(v)
        elif kind == "rank_change":
            words[d.key] = format_rank_delta(v, pad)
        elif kind == "difference":
            words[d.key] = format_points_delta(v, "điểm %" if par_as_percent(report) else "điểm")
        else:
            words[d.key] = str(v)
        if kind == "percent":
            from app.combining import numerator, total

            num, den = numerator(d, values), total(values, d.denominator)
            words[f"phan_so.{d.key}"] = (None if num is None or den is None
                                         else format_ratio_text(num, den, pad))
    # comparisons with the same period of the year before (a phase: with the phase before)
    if previous is not None:
        if report.period.is_phase:
            so_voi = f"so với {previous.period.title}"
        for key, ind in cat.indicators.items():
            if ind.unit in ("count", "money_vnd", "percent", "score"):
                phrase = format_change(values.get(key), previous.values.get(key), ind.unit)
                words[f"so_sanh.{key}"] = phrase.replace("so với cùng kỳ", so_voi) or None
        for key, d in cat.derived.items():
            if d.kind == "percent":
                phrase = format_change(derived.get(key), prev_derived.get(key), "percent")
                words[f"so_sanh.{key}"] = phrase.replace("so với cùng kỳ", so_voi) or None
    # units that did not report a figure (a consolidated report)
    missing = ((getattr(report, "raw", None) or {}).get("consolidation") or {}).get("missing") or {}
    if isinstance(missing, dict):
        for key, names in missing.items():
            if isinstance(names, list) and names:
                from app.formatting import format_count_text

                words[f"chua_bao_cao.{key}"] = format_count_text(len(names), pad)
    words.update(target_words(report, cat, derived, values))
    level = report.unit.level
    words["chu_the"] = {"tinh": "tỉnh", "so_nganh": "cơ quan", "huyen": "huyện",
                        "xa": "xã"}.get(level, "đơn vị")
    words["toan_the"] = {"tinh": "toàn tỉnh", "huyen": "toàn huyện", "xa": "toàn xã"}.get(
        level, words["chu_the"])
    words["trong_ky"] = "Trong giai đoạn" if report.period.is_phase else "Trong kỳ"
    words["so_voi"] = compared_with(report)
    # the indices are yearly: compared with the year before (a phase: its base year)
    words["so_voi_nam"] = words["so_voi"] if report.period.is_phase else "so với năm trước"
    nam_goc = base_year(report) or values.get("bien_che_nam_goc")
    words["nam_goc"] = None if nam_goc is None else str(int(nam_goc))
    words["so_tinh"] = str(provinces)
    # the PAR INDEX as recent texts write it
    score = values.get("cs_par_diem")
    if score is not None:
        words["cs_par_ket_qua"] = (format_percent(score) if par_as_percent(report)
                                   else f"{format_decimal(score)} điểm")
    words["cs_par_thay_doi"] = words.get("cs_par_thay_doi_diem")
    if not par_as_percent(report):
        words["cs_par_nhom"] = None  # the QĐ 876 groups are named by recent texts only
    # the weakest and strongest areas, by the share of each area's maximum score
    maxima = maxima or {}
    from app.combining import rate

    areas = [(rate(values[k], maxima[k]) or 0.0, values[k], maxima[k], _area_name(cat.label(k)))
             for k in cat.indicators
             if k.startswith("cs_par_diem_") and k != "cs_par_diem_ky_truoc"
             and values.get(k) is not None and k in maxima]
    given = [k for k in cat.indicators if k.startswith("cs_par_diem_")
             and k != "cs_par_diem_ky_truoc" and values.get(k) is not None]
    if len(areas) >= 2 and len(areas) == len(given):
        hi = max(areas, key=lambda a: a[0])
        lo = min(areas, key=lambda a: a[0])
        if hi[0] != lo[0]:
            for word, a in (("cs_par_linh_vuc_cao_nhat", hi), ("cs_par_linh_vuc_thap_nhat", lo)):
                words[word] = (f"{a[3]} ({format_decimal(a[1])}/{format_decimal(a[2])} điểm, "
                               f"đạt {format_percent(a[0])})")
    return words


def target_words(report: Any, cat: Any, derived: Mapping[str, Any],
                 values: Mapping[str, Any]) -> dict[str, str]:
    """`chi_tieu.KEY`: the programme target of the report's year in words — "vượt chỉ tiêu 50%
    của Nghị quyết số 76/NQ-CP", "đạt …", "chưa đạt …" — compared as the figure is written
    (two decimals), so that the words never contradict the printed figure."""
    from app.formatting import format_decimal, format_percent

    year = int(report.period.report_year)
    out: dict[str, str] = {}
    same = {getattr(d, "entered_as", None): d.key for d in cat.derived.values()
            if getattr(d, "entered_as", None)}
    for t in cat.targets:
        if not t.from_year <= year <= t.to_year:
            continue
        v = derived.get(t.key) if t.key in cat.derived else values.get(t.key)
        if not isinstance(v, int | float) or isinstance(v, bool):
            continue
        shown = float(format_decimal(v).replace(".", "").replace(",", "."))
        better = shown > t.value if t.comparator.startswith(">") else shown < t.value
        met = better or shown == t.value
        verb = "vượt" if better else ("đạt" if met else "chưa đạt")
        source = t.source.rsplit(", ", 1)[0] if ", " in t.source else t.source
        phrase = f"{verb} chỉ tiêu {format_percent(t.value)} của {source}"
        out[f"chi_tieu.{t.key}"] = phrase
        if t.key in same:
            out[f"chi_tieu.{same[t.key]}"] = phrase
    return out


def level_words(report: Any, cat: Any, pad: bool) -> list[dict[str, str | None]]:
    """The words of each level of `report.by_level` (tỉnh, huyện, xã, in that order), with the
    derived figures computed by the one combining function."""
    from app.combining import derived_values

    by_level = getattr(report, "by_level", None) or {}
    if not isinstance(by_level, Mapping):
        return []
    provinces = report.period.province_count
    out = []
    for level in LEVEL_ORDER:
        figures = by_level.get(level)
        if not isinstance(figures, Mapping):
            continue
        vals = {k: _plain_number(v) for k, v in figures.items() if v is not None}
        if not vals:
            continue
        if level == "huyen" and report.period.is_two_tier:
            continue
        words: dict[str, str | None] = {"ten_cap": LEVEL_NAMES[level]}
        for k, v in vals.items():
            ind = cat.indicators.get(k)
            if ind is not None:
                words[k] = _value_text(ind.unit, v, pad, provinces)
        from app.formatting import format_percent

        for k, v in derived_values(vals, cat).items():
            if v is not None and cat.derived[k].kind == "percent":
                words[k] = format_percent(v)
        out.append(words)
    return out


# phrases that stand for a figure: a hole in them is a hole in that figure
HOLE_OF = {"cs_par_ket_qua": "cs_par_diem", "cs_par_thay_doi": "cs_par_thay_doi_diem"}


def labels_of(cat: Any, name: str, values: Mapping[str, Any],
              gone: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The labels of the figures a hole stands for ("số hồ sơ giải quyết trước hạn"): an
    indicator's own; a derived figure's operands that are not reported (its own label when they
    all are); nothing for a phrase."""
    from app.formatting import lower_first

    if name.startswith(("chua_bao_cao.", "so_sanh.", "chi_tieu.")):
        return []  # who did not report, a comparison: no figure of this report is missing
    key = name.partition(".")[2] if "." in name else HOLE_OF.get(name, name)
    if key in gone:
        return []
    if key in cat.indicators:
        return [lower_first(cat.label(key))]
    d = cat.derived.get(key)
    if d is None:
        return []
    operands = d.numerator + d.denominator
    if values.get(d.numerator[0]) is None and getattr(d, "numerator_otherwise", ()):
        operands = d.numerator_otherwise + d.denominator
    if any(k in gone for k in operands):
        return []
    missing = [k for k in operands if values.get(k) is None]
    return [lower_first(cat.label(k)) for k in missing] or [lower_first(d.label)]
