"""The rules engine: the document details a signed report needs (D01–D10), field rules,
cross-field rules R01–R28, cross-period rules P01–P02, the figures by level (P03), the outline's
not-reported indicators (O01) and target comparisons, all declared in the catalogue; findings
carry Vietnamese messages.

A warning is satisfied by an explanation (giải trình) saved in the report under the finding's
`explanation_key`. Blank is not zero: a rule whose operand is missing is skipped unless the rule
says otherwise.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import NamedTuple

from app.catalog import Catalog, Indicator, Rule, load_catalog
from app.combining import entered_mismatches, numerator, report_derived, report_values, total
from app.formatting import (
    fold,
    format_count,
    format_number,
    format_percent,
    format_value,
    lower_first,
)
from app.model import Report
from app.outline import outline_indicators as _outline
from app.vocabulary import LEVEL_LABELS

SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
INVALID_RULE = "F09"  # a figure's box holds text that is not a number
OUTLINE_RULE = "O01"  # an indicator the outline's sentences use is not reported
LEVELS_RULE = "P03"  # a total differs from the sum of its levels


class Finding(NamedTuple):
    rule: str
    severity: str  # "error" | "warning" | "info"
    fields: tuple[str, ...]
    message: str
    explanation_key: str
    explained: bool = False

    @property
    def blocking(self) -> bool:
        """Errors block the final export; so do warnings nobody has explained yet."""
        return self.severity == "error" or (self.severity == "warning" and not self.explained)

    def line(self) -> str:
        """One line for the command line: "R04 [Lỗi] message"."""
        note = " (đã giải trình)" if self.explained else ""
        return f"{self.rule} [{SEVERITY_LABELS[self.severity]}{note}] {self.message}"


def _sum(values: Mapping[str, float | int], keys: Iterable[str],
         zero: frozenset[str] = frozenset()) -> float | int | None:
    """The sum of a rule's side; a key in `zero` that is blank counts as 0 (R06 after the
    district level was abolished), any other blank makes the side unknown."""
    return total(values, [k for k in keys if k not in zero or values.get(k) is not None])


# ------------------------------------------------------------------ field rules


def _shown(ind: Indicator, v: float | int) -> str:
    """The figure as a message writes it (formatted only when there is a finding to report)."""
    return format_percent(v) if ind.unit == "percent" else format_value(ind.unit, v)


def _bounds_finding(cat: Catalog, ind: Indicator, v: float | int) -> Finding | None:
    """F06: beyond the physical bound of bounds.tsv (cannot be true) is an error; F07: beyond
    what is plausible for a province is a warning (most likely a slip of the keyboard)."""
    b = cat.bounds_for(ind.key)
    if abs(v) > b.physical_max:
        return Finding("F06", "error", (ind.key,),
                       f"{ind.label}: {_shown(ind, v)} không hợp lệ — vượt giới hạn "
                       f"{_shown(ind, b.physical_max)} mà chỉ tiêu này không thể vượt.", ind.key)
    if v > b.plausible_max:
        return Finding("F07", "warning", (ind.key,),
                       f"{ind.label}: {_shown(ind, v)} lớn bất thường đối với một tỉnh (thường không "
                       f"quá {_shown(ind, b.plausible_max)}); hãy kiểm tra lại hoặc giải trình.",
                       ind.key)
    return None


def _field_findings(ind: Indicator, v: float | int, report: Report) -> Finding | None:
    label = ind.label
    whole = float(v).is_integer()
    if ind.unit in ("count", "money_vnd"):
        if not whole or v < 0:
            return Finding("F01", "error", (ind.key,),
                           f"{label}: {_shown(ind, v)} không hợp lệ — phải là số nguyên từ 0 trở lên.", ind.key)
    elif ind.unit == "percent":
        if not 0 <= v <= 100:
            return Finding("F02", "error", (ind.key,),
                           f"{label}: {_shown(ind, v)} không hợp lệ — tỷ lệ phải từ 0% đến 100%.", ind.key)
    elif ind.unit == "score":
        top = 80 if ind.key == "cs_papi_diem" else 100
        if not 0 <= v <= top:
            return Finding("F03", "error", (ind.key,),
                           f"{label}: {_shown(ind, v)} điểm không hợp lệ — điểm phải từ 0 đến {top}.", ind.key)
    elif ind.unit == "rank":
        n = report.period.province_count
        if not whole or not 1 <= v <= n:
            era = "từ năm 2025 cả nước có 34 tỉnh, thành phố" if n == 34 else "đến năm 2024 cả nước có 63 tỉnh, thành phố"
            return Finding("F04", "error", (ind.key,),
                           f"{label}: thứ hạng {_shown(ind, v)} không hợp lệ — phải từ 1 đến {n} ({era}).", ind.key)
    elif ind.unit == "year":
        top = report.period.report_year
        if not whole or not 1990 <= v <= top:
            return Finding("F05", "error", (ind.key,),
                           f"{label}: năm {_shown(ind, v)} không hợp lệ — phải từ 1990 đến năm báo cáo ({top}).", ind.key)
    return None


# ------------------------------------------------------------------ cross-field rules


def _figure(cat: Catalog, key: str, v: float | int) -> str:
    """A figure in a message, the way its unit is written (scores and rates with decimals)."""
    ind = cat.indicators.get(key)
    if ind is not None and ind.unit == "percent":
        return format_percent(v)
    if ind is not None and ind.unit == "score":
        return format_number(v)
    return format_count(v) if float(v).is_integer() else format_number(v)


def _term(cat: Catalog, key: str, values: Mapping[str, float | int]) -> str:
    v = values.get(key)
    return f"{lower_first(cat.label(key))} ({_figure(cat, key, v) if v is not None else 'để trống'})"


def _describe(cat: Catalog, keys: tuple[str, ...], values: Mapping[str, float | int],
              total: float | int, zero: frozenset[str]) -> str:
    shown = tuple(k for k in keys if not (k in zero and values.get(k) is None))
    terms = [_term(cat, k, values) for k in shown]
    if len(terms) == 1:
        return terms[0]
    if len(terms) == 2:
        return f"{terms[0]} cộng {terms[1]}"
    return f"tổng ({_figure(cat, keys[0], total)}) của {', '.join(terms[:-1])} và {terms[-1]}"


def _check_compare(rule: Rule, cat: Catalog, values: Mapping[str, float | int],
                   report: Report) -> Finding | None:
    zero = frozenset(rule.zero_fields) if (
        rule.missing == "zero_optional"
        or (rule.missing == "zero_two_tier" and report.period.is_two_tier)) else frozenset()
    left = _sum(values, rule.left, zero)
    right = _sum(values, rule.right, zero)
    if left is None or right is None:
        return None  # an operand is not reported: the rule is skipped
    slack = rule.tolerance + 1e-9
    if rule.op == "<=":
        ok, verb = left <= right + slack, "lớn hơn"
    elif rule.op == "=":
        ok, verb = abs(left - right) <= slack, "khác"
    else:  # pragma: no cover - the catalogue loader only has these
        raise ValueError(rule.op)
    if ok:
        return None
    text = f"{_describe(cat, rule.left, values, left, zero)} {verb} {_describe(cat, rule.right, values, right, zero)}"
    if rule.op == "=":
        text += f" (chênh lệch {_figure(cat, rule.right[0], abs(left - right))}"
        text += f", vượt mức cho phép {format_number(rule.tolerance)})" if rule.tolerance else ")"
    text = text[0].upper() + text[1:] + "."
    fields = tuple(k for k in rule.left + rule.right if k not in zero or values.get(k) is not None)
    return Finding(rule.id, rule.severity, fields, text, rule.id)


def _check_empty_two_tier(rule: Rule, cat: Catalog, values: Mapping[str, float | int],
                          report: Report) -> list[Finding]:
    if not report.period.is_two_tier:
        return []
    present = [k for k in rule.fields if values.get(k) is not None]
    if not present:
        return []
    terms = ", ".join(_term(cat, k, values) for k in present)
    msg = (f"Từ ngày 01/7/2025 chính quyền địa phương tổ chức hai cấp, không còn cấp huyện, "
           f"nhưng báo cáo {report.period.title} vẫn có số liệu: {terms}. Hãy để trống hoặc giải trình.")
    return [Finding(rule.id, rule.severity, tuple(present), msg, rule.id)]


def _check_entered_rates(rule: Rule, cat: Catalog, values: Mapping[str, float | int]
                         ) -> list[Finding]:
    """R24: a derived percentage typed in agrees with the value computed from its counts."""
    out = []
    for d, key, typed, computed in entered_mismatches(values, cat, rule.tolerance):
        num_keys = d.numerator if total(values, d.numerator) is not None else d.numerator_otherwise
        num = numerator(d, values)
        den = total(values, d.denominator)
        part = _describe(cat, num_keys, values, num, frozenset())  # type: ignore[arg-type]
        whole = _describe(cat, d.denominator, values, den, frozenset())  # type: ignore[arg-type]
        out.append(Finding(
            rule.id, rule.severity, (key, *num_keys, *d.denominator),
            f"{cat.label(key)} nhập là {format_percent(typed)}, nhưng tính từ {part} trên "
            f"{whole} thì được {format_percent(computed)} (chênh lệch quá "
            f"{format_number(rule.tolerance)} điểm %). Báo cáo dùng tỷ lệ tính từ số liệu; hãy "
            "sửa tỷ lệ đã nhập hoặc giải trình.", key))
    return out


def _check_levels(cat: Catalog, report: Report) -> list[Finding]:
    """P03: a total in `values` differs from the sum of the figures by level (every level of
    the period must give the figure; otherwise the rule is skipped — blank is not zero)."""
    by_level = report.by_level
    if not by_level:
        return []
    out = []
    levels = report.period.tier_levels
    for key in cat.level_keys:
        stated = report.values.get(key)
        if stated is None:
            continue
        parts = [(lv, by_level.get(lv, {}).get(key)) for lv in levels]
        if any(v is None for _lv, v in parts):
            continue
        summed = sum(v for _lv, v in parts)  # type: ignore[misc]
        if summed == stated:
            continue
        shown = ", ".join(f"{lower_first(LEVEL_LABELS[lv])} {format_count(v)}" for lv, v in parts)
        out.append(Finding(
            LEVELS_RULE, "warning", (key,),
            f"{cat.label(key)} của báo cáo ({format_count(stated)}) khác tổng số liệu theo cấp "
            f"({format_count(summed)}: {shown}; chênh lệch {format_count(abs(summed - stated))}). "
            "Hãy kiểm tra lại số liệu theo cấp hoặc giải trình.", LEVELS_RULE))
    return out


def _check_level_fields(cat: Catalog, report: Report) -> list[Finding]:
    """Figures by level obey the field rules of their indicator (whole counts ≥ 0)."""
    out = []
    for lv, row in report.by_level.items():
        for key, v in row.items():
            ind = cat.indicators.get(key)
            if ind is None or ind.unit not in ("count", "money_vnd"):
                continue
            if v < 0 or not float(v).is_integer():
                out.append(Finding(
                    "F01", "error", (key,),
                    f"{cat.label(key)} ({lower_first(LEVEL_LABELS.get(lv, lv))}): "
                    f"{_shown(ind, v)} không hợp lệ — phải là số nguyên từ 0 trở lên.", key))
    return out


def outline_indicators(report: Report) -> tuple[str, ...]:
    """The indicators the reporting outline (the clause wording's `de_cuong`) expects this
    report to state (app.outline)."""
    return tuple(_outline(report))


def check_outline(report: Report, keys: Iterable[str], catalog: Catalog | None = None,
                  derived: Mapping[str, object] | None = None) -> list[Finding]:
    """O01: each indicator the outline uses that is not reported (a derived one: neither
    computable nor entered) is a warning; the drafter fills it or explains it under the
    indicator's key in `explanations` (writing.md §8)."""
    cat = catalog or load_catalog()
    found = []
    for key in dict.fromkeys(keys):
        if key in cat.indicators:
            if report.values.get(key) is not None or key in report.invalid:
                continue
        elif key in cat.derived:
            if derived is None:
                derived = report_derived(report, cat)
            if derived.get(key) is not None:
                continue
        else:
            continue
        found.append(Finding(
            OUTLINE_RULE, "warning", (key,),
            f"{cat.label(key)}: chưa báo cáo — đề cương báo cáo có nêu chỉ tiêu này. Hãy nhập "
            "số liệu, hoặc giải trình vì sao chưa có số liệu.", key))
    return found


# ------------------------------------------------------------------ cross-period and targets


def _check_comparison(report: Report, previous: Report) -> list[Finding]:
    """The report compared with must be the same agency's, of the same period a year before."""
    out: list[Finding] = []
    mine, theirs = report.unit.name.strip(), previous.unit.name.strip()
    if mine and theirs and fold(mine) != fold(theirs):
        out.append(Finding(
            "P04", "warning", (),
            f"Báo cáo dùng để so sánh cùng kỳ là của {theirs}, không phải của {mine}: các so "
            f"sánh với cùng kỳ sẽ sai. Hãy chọn báo cáo của {mine} (Tệp → So sánh với…) hoặc "
            "giải trình.", "P04"))
    expected = report.period.same_period_year_before()
    if previous.period.key() != expected.key():
        out.append(Finding(
            "P05", "warning", (),
            f"Báo cáo dùng để so sánh là báo cáo {previous.period.title}, không phải cùng kỳ năm "
            f"trước ({expected.title}).", "P05"))
    return out


# P02: "last year's" figures of this report against the figures last year's report stored
PREVIOUS_FIGURES = (("cs_par_xep_hang_ky_truoc", "cs_par_xep_hang"),
                    ("cs_sipas_xep_hang_ky_truoc", "cs_sipas_xep_hang"),
                    ("cs_papi_xep_hang_ky_truoc", "cs_papi_xep_hang"),
                    ("cs_pci_xep_hang_ky_truoc", "cs_pci_xep_hang"),
                    ("cs_par_diem_ky_truoc", "cs_par_diem"))


def _check_previous(cat: Catalog, report: Report, previous: Report) -> list[Finding]:
    out: list[Finding] = _check_comparison(report, previous)
    values, before = report.values, previous.values
    for ind in cat.indicators.values():
        if ind.unit != "count":
            continue
        cur, old = values.get(ind.key), before.get(ind.key)
        if cur is None or old is None:
            continue
        delta = cur - old
        if abs(delta) < 10:
            continue
        if old != 0 and abs(delta) * 100 <= 50 * abs(old):
            continue
        change = (f"{'tăng' if delta > 0 else 'giảm'} {format_percent(abs(delta) * 100 / old)}"
                  if old else "cùng kỳ bằng 0")
        out.append(Finding(
            "P01", "warning", (ind.key,),
            f"{ind.label} thay đổi bất thường so với {previous.period.title}: "
            f"{format_count(cur)} so với {format_count(old)} ({change}).",
            ind.key,
        ))
    for cur_key, stored_key in PREVIOUS_FIGURES:
        claimed, stored = values.get(cur_key), before.get(stored_key)
        if claimed is None or stored is None or claimed == stored:
            continue
        out.append(Finding(
            "P02", "warning", (cur_key,),
            f"{cat.label(cur_key)} ghi {_figure(cat, cur_key, claimed)}, nhưng báo cáo "
            f"{previous.period.title} ghi {lower_first(cat.label(stored_key))} là "
            f"{_figure(cat, stored_key, stored)}.",
            cur_key,
        ))
    return out


def _check_targets(cat: Catalog, report: Report, values: Mapping[str, float | int],
                   derived: Mapping[str, float | int | None]) -> list[Finding]:
    out: list[Finding] = []
    year = report.period.report_year
    for t in cat.targets:
        if not t.from_year <= year <= t.to_year:
            continue
        v = values.get(t.key) if t.key in cat.indicators else derived.get(t.key)
        if v is None:
            continue
        if t.comparator == ">=":
            verdict = "vượt" if v > t.value else ("đạt" if v == t.value else "chưa đạt")
        else:
            verdict = "vượt" if v < t.value else ("đạt" if v == t.value else "chưa đạt")
        out.append(Finding(
            t.id, "info", (t.key,),
            f"{cat.label(t.key)} là {format_percent(v)}: {verdict} mục tiêu "
            f"{'≥' if t.comparator == '>=' else '≤'} {format_percent(t.value)} ({t.source}).",
            t.id,
        ))
    return out


# ------------------------------------------------------------------ document details

# where each detail is entered, as the user reads it in the window
_DOC_PLACE = "mục “Thông tin văn bản”"
# rule → (field path, what is missing, in words)
DOCUMENT_DETAILS: dict[str, tuple[str, str]] = {
    "D01": ("unit.name", "tên cơ quan ban hành báo cáo"),
    "D02": ("document.number", "số văn bản (dòng “Số: …/…”)"),
    "D03": ("document.symbol", "ký hiệu văn bản (ví dụ BC-UBND, BC-SNV)"),
    "D04": ("document.place", "địa danh ở dòng địa danh, ngày tháng"),
    "D05": ("document.date", "ngày ban hành"),
    "D06": ("document.to", "nơi “Kính gửi”"),
    "D07": ("document.signer.position", "chức vụ người ký"),
    "D08": ("document.signer.name", "họ và tên người ký"),
    "D09": ("document.distribution", "danh sách “Nơi nhận”"),
}


def check_document(report: Report) -> list[Finding]:
    """The details a signed report needs (Nghị định 30): issuing body, number line, place and
    date, recipients, signer position and name, distribution — each missing one is an error
    of its own, saying in words what is missing and where it is entered."""
    doc, unit = report.document, report.unit
    present = {
        "D01": unit.name.strip(), "D02": doc.number is not None, "D03": doc.symbol.strip(),
        "D04": doc.place.strip(), "D05": doc.date is not None,
        "D06": [t for t in doc.to if t.strip()], "D07": doc.signer.position.strip(),
        "D08": doc.signer.name.strip(), "D09": [t for t in doc.distribution if t.strip()],
    }
    missing = [(rule, path, what) for rule, (path, what) in DOCUMENT_DETAILS.items()
               if not present[rule]]
    found = [Finding(rule, "error", (path,),
                     f"Thiếu {what}: báo cáo chính thức phải có; hãy nhập ở {_DOC_PLACE}.", rule)
             for rule, path, what in missing]
    if not report.values and not report.invalid:
        found.append(Finding("D10", "error", (), "Báo cáo chưa có số liệu nào: hãy nhập số liệu "
                             "ở các mục cải cách hành chính trước khi xuất bản chính thức.", "D10"))
    return found


# ------------------------------------------------------------------ entry point


def validate(report: Report, previous: Report | None = None,
             catalog: Catalog | None = None, document: bool = True,
             outline: Collection[str] | None = None) -> list[Finding]:
    """Every finding for a report, errors first, then warnings, then information.
    `document=False` leaves out the document details (a unit's submission is not signed).
    `outline`: the indicators the outline's sentences use (O01 for each one not reported);
    None asks the text side (`outline_indicators`), () checks none."""
    cat = catalog or load_catalog()
    values = report.values
    found: list[Finding] = check_document(report) if document else []
    for key, bad in report.invalid.items():
        # text that is not a number: the figure holds no value, and the report cannot be final
        found.append(Finding(INVALID_RULE, "error", (key,), f"{cat.label(key)}: {bad.problem}", key))
    for key, v in values.items():
        ind = cat.indicators.get(key)
        d = cat.derived.get(key) if ind is None else None
        if d is not None and d.kind == "percent":
            # a derived rate typed because its counts are not known (rules.md, "Entered rates")
            if not 0 <= v <= 100:
                found.append(Finding("F02", "error", (key,),
                                     f"{d.label}: {format_percent(v)} không hợp lệ — tỷ lệ phải "
                                     "từ 0% đến 100%.", key))
            continue
        if ind is None:
            found.append(Finding("F00", "info", (key,),
                                 f"Chỉ tiêu “{key}” không có trong danh mục chỉ tiêu; giá trị được giữ nguyên nhưng không đưa vào báo cáo.",
                                 key))
            continue
        f = _field_findings(ind, v, report) or _bounds_finding(cat, ind, v)
        if f is not None:
            found.append(f)
    for rule in cat.rules:
        if rule.kind == "compare":
            f = _check_compare(rule, cat, values, report)
            if f is not None:
                found.append(f)
        elif rule.kind == "entered_rate":
            found.extend(_check_entered_rates(rule, cat, values))
        else:
            found.extend(_check_empty_two_tier(rule, cat, values, report))
    if report.by_level:
        found.extend(_check_level_fields(cat, report))
        found.extend(_check_levels(cat, report))
    if previous is not None:
        found.extend(_check_previous(cat, report, previous))
    derived = report_derived(report, cat)
    shown = report_values(report, cat) if any(k in values for k in cat.entered_forms) else values
    found.extend(_check_targets(cat, report, shown, derived))  # the one online rate
    keys = outline_indicators(report) if outline is None else outline
    if keys:
        found.extend(check_outline(report, keys, cat, derived))
    explanations = report.explanations
    result = [
        Finding(f.rule, f.severity, f.fields, f.message, f.explanation_key, True)
        if f.severity == "warning" and explanations.get(f.explanation_key, "").strip() else f
        for f in found
    ]
    result.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return result


class Explained(NamedTuple):
    key: str  # the rule id or indicator key the explanation was written for
    text: str
    fields: tuple[str, ...]  # every indicator the explained finding is about


def explained_fields(report: Report, previous: Report | None = None,
                     catalog: Catalog | None = None) -> list[Explained]:
    """Each explanation with the indicators it is about — those of the finding it explains, or
    of its rule in the catalogue, or the indicator it is keyed by — so that the outputs can show
    it where its figures are."""
    if not report.explanations:
        return []
    cat = catalog or load_catalog()
    by_key: dict[str, list[str]] = {}
    for f in validate(report, previous, cat, document=False):
        fields = by_key.setdefault(f.explanation_key, [])
        fields.extend(k for k in f.fields if k not in fields)
    rules = {r.id: r for r in cat.rules}
    out = []
    for key, text in report.explanations.items():
        if not text.strip():
            continue
        fields = by_key.get(key)
        if not fields and key in rules:
            r = rules[key]
            fields = list(dict.fromkeys(r.left + r.right + r.fields))
        if not fields and (key in cat.indicators or key in cat.derived):
            fields = [key]
        out.append(Explained(key, text.strip(), tuple(fields or ())))
    return out


def blocking_reason(findings: Iterable[Finding]) -> str:
    """What blocks a final export, in words: "còn 2 lỗi", "còn 3 cảnh báo chưa giải trình",
    or both — a report blocked only by unexplained warnings has no "lỗi"."""
    blocking = [f for f in findings if f.blocking]
    errors = sum(1 for f in blocking if f.severity == "error")
    warnings = len(blocking) - errors
    parts = []
    if errors:
        parts.append(f"còn {format_count(errors)} lỗi")
    if warnings:
        parts.append(f"còn {format_count(warnings)} cảnh báo chưa giải trình")
    return " và ".join(parts)


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity] += 1
    return counts
