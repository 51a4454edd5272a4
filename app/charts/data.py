"""Chart data: categories, series and missing-value reasons; no drawing, no Qt.

Blank is not zero: a category whose value is unknown keeps its place with the value None and a
reason in `Chart.notes` ("chưa báo cáo" when a figure was not entered, "không tính được" when a
rate has no denominator); every drawer leaves its bar out and prints the reason instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.catalog import Catalog, Target, load_catalog
from app.combining import (
    UnitFigures,
    combine,
    derive,
    entered_rate,
    number,
    rate,
    report_derived,
    total,
)
from app.formatting import format_count, format_decimal
from app.model import Report

if TYPE_CHECKING:
    from app.intake import Submission

NOT_REPORTED = "chưa báo cáo"
NOT_COMPUTABLE = "không tính được"
ON_TIME = "ty_le_giai_quyet_dung_han"
ON_TIME_PARTS = (("ho_so_truoc_han", "ho_so_dung_han"), ("ho_so_da_giai_quyet",))
CHANNELS = (
    ("ho_so_truc_tuyen", "Trực tuyến"),
    ("ho_so_truc_tiep_buu_chinh", "Trực tiếp và qua bưu chính"),
    ("ho_so_ky_truoc_chuyen_sang", "Kỳ trước chuyển sang"),
)
# Colours shared by every drawer: series, a bar under its target, the total of the units.
PALETTE = ("#2F5597", "#A5A5A5", "#70AD47")
BELOW_TARGET = "#C55A11"
TOTAL = "#1F3864"
# At most this many units get a bar; past it the chart keeps those who lag (lowest rates).
MAX_UNIT_BARS = 40
NAMED_BLANKS = 8  # units without a rate named under a chart too full to show them
MAX_CHANGES = 10


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | int | None, ...]


@dataclass(frozen=True)
class Chart:
    """One chart. `unit` is how its values read: "percent" (0–100), "count", "change_pct"."""

    key: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str
    value_axis: str
    category_axis: str = ""
    notes: tuple[str, ...] = ()  # per category: "" or why the first series has no value
    target: float | None = None
    target_label: str = ""
    total_index: int | None = None  # the category that is the total of the others
    remark: str = ""  # one line under the chart (units left out, totals not computable)
    horizontal: bool = False
    colours: tuple[str, ...] = ()  # per category, when the categories mean states
    kind: str = "bar"  # "line" for a trend over periods: the axis then fits the values

    def label(self, i: int) -> str:
        """The category as printed: the name, and the reason when its value is missing."""
        note = self.notes[i] if i < len(self.notes) else ""
        return f"{self.categories[i]} ({note})" if note else self.categories[i]

    @property
    def empty(self) -> bool:
        return all(v is None for s in self.series for v in s.values)


def value_text(chart: Chart, v: float) -> str:
    """A value as its label reads: "142.780", "97,37%", "+25,47%"."""
    if chart.unit == "count":
        return format_count(v)
    text = format_decimal(v, 2) + "%"
    return "+" + text if chart.unit == "change_pct" and v > 0 else text


def axis_text(chart: Chart, v: float) -> str:
    """A value axis tick: "150.000", "97,5", "+20"."""
    if chart.unit == "count":
        return format_count(v)
    return ("+" if chart.unit == "change_pct" and v > 0 else "") + format_decimal(v, 1)


def rate_with_reason(values: Mapping[str, Any], numerator: Iterable[str],
                     denominator: Iterable[str]) -> tuple[float | None, str]:
    """A percentage and "" — or None and why: not reported, or nothing to divide by."""
    num, den = total(values, numerator), total(values, denominator)
    if num is None or den is None:
        return None, NOT_REPORTED
    value = rate(num, den)
    return (value, "") if value is not None else (None, NOT_COMPUTABLE)


def target_for(key: str, year: int, cat: Catalog | None = None) -> Target | None:
    """The programme target of an indicator that applies in `year` (reference.md §7)."""
    cat = cat or load_catalog()
    for t in cat.targets:
        if t.key == key and t.from_year <= year <= t.to_year:
            return t
    return None


def _target_text(t: Target) -> str:
    from app.formatting import format_percent

    sign = "≥" if t.comparator == ">=" else "≤"
    return f"Mục tiêu {sign} {format_percent(t.value)}"


# --------------------------------------------------------------------------- on time by unit


def on_time_by_unit(report: Report, cat: Catalog | None = None) -> Chart | None:
    """The on-time rate of every unit of a consolidated report, highest first, the units without
    a rate last (with the reason), and the total recomputed from the units' sums."""
    sources = report.sources
    if not sources:
        return None
    cat = cat or load_catalog()
    rated: list[tuple[str, float]] = []
    blank: list[tuple[str, str]] = []
    for src in sources:
        name = src.unit.name.strip() or "(không tên)"
        values = src.values
        rate, why = rate_with_reason(values, *ON_TIME_PARTS)
        if rate is None:  # the combined on-time figure, or a typed rate (app.combining)
            d = cat.derived[ON_TIME]
            found = derive(d, values)
            found = entered_rate(d, values) if found is None else found
            if isinstance(found, int | float):
                rate, why = float(found), ""
        if rate is None:
            blank.append((name, why))
        else:
            rated.append((name, rate))
    rated.sort(key=lambda t: -t[1])
    remark = []
    if len(rated) > MAX_UNIT_BARS:
        remark.append(f"Biểu đồ thể hiện {MAX_UNIT_BARS} đơn vị có tỷ lệ thấp nhất trong "
                      f"{format_count(len(rated))} đơn vị có số liệu; số liệu của từng đơn vị "
                      f"có trong phụ lục.")
        rated = rated[-MAX_UNIT_BARS:]
    if len(rated) + len(blank) > MAX_UNIT_BARS:
        named = "; ".join(f"{n} ({w})" for n, w in blank[:NAMED_BLANKS])
        more = len(blank) - NAMED_BLANKS
        remark.append(f"{format_count(len(blank))} đơn vị chưa có tỷ lệ: {named}"
                      + (f" và {format_count(more)} đơn vị khác." if more > 0 else "."))
        blank = []
    overall, overall_note, why = _on_time_total(sources, cat)
    if why:
        remark.append(why)
    categories = [n for n, _ in rated] + [n for n, _ in blank]
    values: list[float | None] = [r for _, r in rated] + [None] * len(blank)
    notes = [""] * len(rated) + [w for _, w in blank]
    categories.append(f"Chung ({len(sources)} đơn vị)")
    values.append(overall)
    notes.append(overall_note)
    t = target_for(ON_TIME, report.period.report_year, cat)
    return Chart(
        key="ty_le_dung_han_theo_don_vi",
        title=f"Tỷ lệ hồ sơ giải quyết đúng hạn theo đơn vị, {report.period.title}",
        categories=tuple(categories),
        series=(Series("Tỷ lệ giải quyết đúng hạn", tuple(values)),),
        unit="percent",
        value_axis="Tỷ lệ giải quyết đúng hạn (%)",
        category_axis="Đơn vị",
        notes=tuple(notes),
        target=t.value if t else None,
        target_label=_target_text(t) if t else "",
        total_index=len(categories) - 1,
        remark=" ".join(remark),
    )


def _on_time_total(sources: list[Submission], cat: Catalog) -> tuple[float | None, str, str]:
    """The rate over the units, by the one combining rule (app.combining): value, the label's
    note, and the reason to print when it is not computable."""
    units = [UnitFigures(s.unit.name, s.values) for s in sources]
    combined = combine(ON_TIME, units, cat)
    if combined.value is not None:
        return float(combined.value), "", ""
    if combined.reason:
        return None, NOT_COMPUTABLE, f"Tỷ lệ chung {combined.reason}"
    return None, NOT_REPORTED, ""


# --------------------------------------------------------------------------- channels


def dossiers_by_channel(report: Report, previous: Report | None = None) -> Chart | None:
    """Dossiers received online, in person and by post, and carried over; with the same period
    of the year before when known. None when none of them was reported."""
    current = tuple(number(report.values.get(k)) for k, _ in CHANNELS)
    if all(v is None for v in current) and (
            previous is None or all(previous.values.get(k) is None for k, _ in CHANNELS)):
        return None
    series = [Series(report.period.title, current)]
    if previous is not None:
        series.append(Series(previous.period.title,
                             tuple(number(previous.values.get(k)) for k, _ in CHANNELS)))
    return Chart(
        key="ho_so_theo_kenh",
        title=f"Hồ sơ thủ tục hành chính tiếp nhận theo kênh, {report.period.title}",
        categories=tuple(label for _, label in CHANNELS),
        series=tuple(series),
        unit="count",
        value_axis="Số hồ sơ",
        category_axis="Kênh tiếp nhận",
        notes=tuple("" if v is not None else NOT_REPORTED for v in current),
    )


# --------------------------------------------------------------------------- largest changes


def largest_changes(report: Report, previous: Report | None, cat: Catalog | None = None,
                    limit: int = MAX_CHANGES) -> Chart | None:
    """The counts that changed most (in %) against the same period of the year before. Only
    indicators reported in both periods, with a non-zero base, are compared."""
    if previous is None:
        return None
    cat = cat or load_catalog()
    changes: list[tuple[str, float]] = []
    for ind in cat.indicators.values():
        if ind.unit != "count":
            continue
        cur, old = number(report.values.get(ind.key)), number(previous.values.get(ind.key))
        if cur is None or old is None or old == 0 or cur == old:
            continue
        changes.append((ind.label, (cur - old) * 100.0 / old))
    if not changes:
        return None
    changes.sort(key=lambda t: -abs(t[1]))
    top = changes[:limit]
    return Chart(
        key="chi_tieu_thay_doi_nhieu_nhat",
        title=(f"Các chỉ tiêu thay đổi nhiều nhất so với {previous.period.title}"),
        categories=tuple(label for label, _ in top),
        series=(Series("Tăng (+), giảm (-) so với cùng kỳ (%)", tuple(v for _, v in top)),),
        unit="change_pct",
        value_axis="Tăng (+), giảm (-) so với cùng kỳ (%)",
        horizontal=True,
    )


# --------------------------------------------------------------------------- trend over periods


@dataclass
class Trend:
    """Key indicators over the stored periods of the same kind, oldest first."""

    periods: tuple[str, ...]
    charts: list[Chart] = field(default_factory=list)


TREND_KEYS = (ON_TIME, "ty_le_tiep_nhan_truc_tuyen", "ho_so_tiep_nhan", "tthc_tong_so")


def trend(reports: list[Report], cat: Catalog | None = None,
          keys: tuple[str, ...] = TREND_KEYS) -> Trend:
    """One chart per key indicator over `reports` (one per period, any order)."""
    cat = cat or load_catalog()
    ordered = sorted(reports, key=lambda r: (r.period.report_year, r.period.window[1]))
    titles = tuple(r.period.title for r in ordered)
    out = Trend(titles)
    for key in keys:
        if key in cat.derived:
            d = cat.derived[key]
            # as the form shows it: an entered rate stands where its counts are not known
            vals = tuple(report_derived(r, cat).get(key) for r in ordered)
            notes = tuple("" if v is not None else
                          rate_with_reason(r.values, d.numerator, d.denominator)[1] or
                          NOT_COMPUTABLE for v, r in zip(vals, ordered, strict=True))
            label, unit = d.label, "percent"
        elif key in cat.indicators:
            ind = cat.indicators[key]
            vals = tuple(number(r.values.get(key)) for r in ordered)
            notes = tuple("" if v is not None else NOT_REPORTED for v in vals)
            label, unit = ind.label, ind.unit
        else:
            continue
        t = target_for(key, ordered[-1].period.report_year, cat) if ordered else None
        out.charts.append(Chart(
            key=key, title=label, categories=titles, series=(Series(label, vals),),
            unit="percent" if unit == "percent" else "count",
            value_axis="%" if unit == "percent" else "", notes=notes,
            target=t.value if t else None, target_label=_target_text(t) if t else "",
            kind="line"))
    return out


def compare_periods(report: Report, previous: Report | None, cat: Catalog | None = None,
                    keys: tuple[str, ...] = TREND_KEYS) -> list[Chart]:
    """The current report against the previous one, one small chart per key indicator."""
    if previous is None:
        return []
    return trend([previous, report], cat, keys).charts


def stored_reports(history: Any, report: Report, limit: int = 7) -> list[Report]:
    """The stored reports of the same unit and period kind, other periods than the report's,
    oldest first (at most `limit`), read through the store's public `periods()` and
    `find_report()` so the store's engine may change."""
    out: dict[str, Report] = {}
    for p in history.periods():
        if p.kind != report.period.kind or p.key() == report.period.key():
            continue
        found = history.find_report(report.unit, p)
        if found is not None:
            out[p.key()] = found
    mine = sorted(out.values(), key=lambda r: (r.period.report_year, r.period.window[1]))
    return mine[-limit:] if limit > 0 else []


def reports_in_store(report: Report) -> list[Report]:
    """`stored_reports` from the default history store; [] when there is no store yet (nothing
    is created then) or it cannot be read."""
    from app.settings import history_path

    if not history_path().exists():
        return []
    from app.history import History, HistoryError

    try:
        with History() as h:
            return stored_reports(h, report)
    except HistoryError:
        return []


def board_chart(board: Any) -> Chart:
    """The completeness board as counts per state: who reported (on time, late), whose file was
    refused, who has not reported (before or after the deadline), who sent warnings."""
    from app.completeness import STATUS_LABELS

    order = ("on_time", "late", "rejected", "missing", "overdue")
    counts = {k: 0 for k in order}
    warned = 0
    for row in board.rows:
        counts[row.status] = counts.get(row.status, 0) + 1
        warned += bool(row.warnings) and row.reported
    categories = [STATUS_LABELS[k] for k in order] + ["Đã nộp, có cảnh báo"]
    return Chart(
        key="tinh_hinh_nop",
        title=f"Tình hình nộp số liệu {board.period.title} ({len(board.rows)} đơn vị)",
        categories=tuple(categories),
        series=(Series("Số đơn vị", tuple([counts[k] for k in order] + [warned])),),
        unit="count",
        value_axis="Số đơn vị",
        horizontal=True,
        colours=("#2E7D32", "#C77700", "#C62828", "#9E9E9E", "#8E0000", "#F9A825"),
    )


def value_bounds(chart: Chart) -> tuple[float, float]:
    """An axis range that includes zero and every value, at round steps."""
    import math

    if chart.unit == "percent":
        return 0.0, 100.0
    values = [v for s in chart.series for v in s.values if v is not None]
    if chart.target is not None:
        values.append(chart.target)
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    step = 10 ** math.floor(math.log10(span))
    if span / step < 3:
        step /= 2
    return (math.floor(low / step) * step if low < 0 else 0.0,
            math.ceil(high * 1.1 / step) * step if high > 0 else 0.0)


def line_bounds(chart: Chart) -> tuple[float, float]:
    """A line's axis: around its values (and target), at round steps; percentages stay within
    0–100 and counts above 0."""
    import math

    values = [v for s in chart.series for v in s.values if v is not None]
    if chart.target is not None:
        values.append(chart.target)
    if not values:
        return value_bounds(chart)
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.25 if hi > lo else max(1.0, abs(hi) * 0.05)
    low, high = lo - pad, hi + pad
    step = 10 ** math.floor(math.log10(high - low))
    if (high - low) / step < 3:
        step /= 2
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    floor_, ceiling = 0.0, (100.0 if chart.unit == "percent" else math.inf)
    return max(floor_, low), min(ceiling, high)
