"""The rules engine: the document details a signed report needs (D01–D10), field rules,
cross-field rules R01–R23, cross-period rules P01–P02 and target comparisons, all declared in
the catalogue; findings carry Vietnamese messages.

A warning is satisfied by an explanation (giải trình) saved in the report under the finding's
`explanation_key`. Blank is not zero: a rule whose operand is missing is skipped unless the rule
says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from app.catalog import Catalog, Indicator, Rule, load_catalog
from app.combining import report_derived, total
from app.formatting import (
    fold,
    format_count,
    format_percent,
    format_value,
    lower_first,
)
from app.model import Report

SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
INVALID_RULE = "F09"  # a figure's box holds text that is not a number


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


def _term(cat: Catalog, key: str, values: Mapping[str, float | int]) -> str:
    v = values.get(key)
    return f"{lower_first(cat.label(key))} ({format_count(v) if v is not None else 'để trống'})"


def _describe(cat: Catalog, keys: tuple[str, ...], values: Mapping[str, float | int],
              total: float | int, zero: frozenset[str]) -> str:
    shown = tuple(k for k in keys if not (k in zero and values.get(k) is None))
    terms = [_term(cat, k, values) for k in shown]
    if len(terms) == 1:
        return terms[0]
    if len(terms) == 2:
        return f"{terms[0]} cộng {terms[1]}"
    return f"tổng ({format_count(total)}) của {', '.join(terms[:-1])} và {terms[-1]}"


def _check_compare(rule: Rule, cat: Catalog, values: Mapping[str, float | int],
                   report: Report) -> Finding | None:
    zero = frozenset(rule.zero_fields) if (
        rule.missing == "zero_two_tier" and report.period.is_two_tier) else frozenset()
    left = _sum(values, rule.left, zero)
    right = _sum(values, rule.right, zero)
    if left is None or right is None:
        return None  # an operand is not reported: the rule is skipped
    if rule.op == "<=":
        ok, verb = left <= right, "lớn hơn"
    elif rule.op == "=":
        ok, verb = left == right, "khác"
    else:  # pragma: no cover - the catalogue loader only has these
        raise ValueError(rule.op)
    if ok:
        return None
    text = f"{_describe(cat, rule.left, values, left, zero)} {verb} {_describe(cat, rule.right, values, right, zero)}"
    if rule.op == "=":
        text += f" (chênh lệch {format_count(abs(left - right))})"
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
    for cur_key, stored_key in (("cs_par_xep_hang_ky_truoc", "cs_par_xep_hang"),
                                ("cs_sipas_xep_hang_ky_truoc", "cs_sipas_xep_hang")):
        claimed, stored = values.get(cur_key), before.get(stored_key)
        if claimed is None or stored is None or claimed == stored:
            continue
        out.append(Finding(
            "P02", "warning", (cur_key,),
            f"{cat.label(cur_key)} ghi {format_count(claimed)}, nhưng báo cáo "
            f"{previous.period.title} ghi {lower_first(cat.label(stored_key))} là {format_count(stored)}.",
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
             catalog: Catalog | None = None, document: bool = True) -> list[Finding]:
    """Every finding for a report, errors first, then warnings, then information.
    `document=False` leaves out the document details (a unit's submission is not signed)."""
    cat = catalog or load_catalog()
    values = report.values
    found: list[Finding] = check_document(report) if document else []
    for key, bad in report.invalid.items():
        # text that is not a number: the figure holds no value, and the report cannot be final
        found.append(Finding(INVALID_RULE, "error", (key,), f"{cat.label(key)}: {bad.problem}", key))
    for key, v in values.items():
        ind = cat.indicators.get(key)
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
        else:
            found.extend(_check_empty_two_tier(rule, cat, values, report))
    if previous is not None:
        found.extend(_check_previous(cat, report, previous))
    found.extend(_check_targets(cat, report, values, report_derived(report, cat)))
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


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity] += 1
    return counts
