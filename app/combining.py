"""The arithmetic of figures, in one place: derived indicators and combining units' figures.

- `derive(d, values)`: one derived indicator from a unit's (or a report's) figures.
- `derived_values(values)`: every derived indicator of a set of figures.
- `report_derived(report)`: the derived indicators of a report as every output shows them: a
  consolidated report's "not computable" ones stay blank, an entered rate stands when its counts
  are not known (rules.md, "Entered rates").
- `combine(key, units)`: one indicator (or derived indicator) over several units — the value,
  the reason when it cannot be computed, and the units that should have reported it but did not.
- `combine_by_level(units, levels)`: the same, per level of local government (`by_level`).
- `count_answers(units, key)`: "x/y đơn vị" counts — units that answered, said yes, did not
  answer (never a "no" for a blank); `source_units(report)` gives a report's units.
- `report_values(report)`: the entered figures as outputs show them (one online rate).

Validation, consolidation, the annex, the Word context and the form all call these; nothing here
rounds (rounding happens only in app.formatting, when a figure is written for a reader).
Blank is not zero: a missing operand gives None, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from app.catalog import Catalog, Derived, Indicator, load_catalog

Number = int | float

# units whose figures add up over units
ADDITIVE = ("count", "money_vnd")


class UnitFigures(NamedTuple):
    """One unit's contribution: its name, its figures, and the keys it was asked for (None:
    every key it reported counts; a key it was asked for and left blank makes it "missing")."""

    name: str
    values: Mapping[str, Any]
    expected: frozenset[str] | None = None
    level: str = ""  # the unit's level ("tinh", "so_nganh", "huyen", "xa"), when known


class Combined(NamedTuple):
    value: Number | None
    reason: str = ""  # why there is no value although units reported (Vietnamese), else ""
    missing: tuple[str, ...] = ()  # units asked for the figure that did not report it

    @property
    def computable(self) -> bool:
        return not self.reason


def number(value: Any) -> Number | None:
    """A figure as a number, or None when not reported (or not a finite number)."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def total(values: Mapping[str, Any], keys: Iterable[str]) -> Number | None:
    """The sum of several figures of one unit; None when any of them is not reported."""
    out: Number = 0
    for k in keys:
        v = number(values.get(k))
        if v is None:
            return None
        out += v
    return out


def rate(part: Number | None, whole: Number | None) -> float | None:
    """part / whole × 100; None when an operand is missing or the whole is 0."""
    if part is None or whole is None or whole == 0:
        return None
    return part * 100.0 / whole


# the PAR INDEX groups of QĐ 876/QĐ-BNV: the lowest score of each group, best first
PAR_GROUPS = (("A", 90), ("B", 80), ("C", 70))


def par_group(score: Number | None) -> str | None:
    """"A" (≥ 90), "B" (80 – < 90), "C" (70 – < 80); below 70 no group is named."""
    if score is None:
        return None
    return next((name for name, low in PAR_GROUPS if score >= low), None)


def numerator(d: Derived, values: Mapping[str, Any]) -> Number | None:
    """The numerator of a derived indicator: its own operands, or the alternative ones when
    those are not reported (the combined "trước hạn và đúng hạn" figure)."""
    num = total(values, d.numerator)
    if num is None and d.numerator_otherwise:
        num = total(values, d.numerator_otherwise)
    return num


def computable_from(d: Derived, values: Mapping[str, Any]) -> bool:
    """Whether every operand the derived value needs is reported."""
    if d.kind == "group":
        return total(values, d.numerator) is not None
    return numerator(d, values) is not None and total(values, d.denominator) is not None


def derive(d: Derived, values: Mapping[str, Any]) -> Number | str | None:
    """One derived indicator from one set of figures (computed from its operands; None when an
    operand is not reported). A `group` is a letter ("B"), every other kind a number."""
    if d.kind == "group":
        return par_group(total(values, d.numerator))
    num, den = numerator(d, values), total(values, d.denominator)
    if d.kind == "rank_change":
        return None if num is None or den is None else int(num - den)
    if d.kind == "difference":
        return None if num is None or den is None else num - den
    return rate(num, den)


def entered_rate(d: Derived, values: Mapping[str, Any]) -> Number | None:
    """A derived percentage typed in (under its own key, or under the entered indicator that
    states the same figure, `entered_as`), or None."""
    if d.kind != "percent":
        return None
    v = number(values.get(d.key))
    if v is None and d.entered_as:
        v = number(values.get(d.entered_as))
    return v


def derived_values(values: Mapping[str, Any], catalog: Catalog | None = None
                   ) -> dict[str, Number | str | None]:
    """Every derived indicator of a set of figures."""
    cat = catalog or load_catalog()
    return {d.key: derive(d, values) for d in cat.derived.values()}


def not_computable(report: Any) -> dict[str, str]:
    """Keys a consolidation could not combine, with the reason (saved in the report file)."""
    raw = getattr(report, "raw", None) or {}
    info = raw.get("consolidation") if isinstance(raw, dict) else None
    reasons = info.get("not_combined") if isinstance(info, dict) else None
    return {str(k): str(v) for k, v in reasons.items()} if isinstance(reasons, dict) else {}


def report_derived(report: Any, catalog: Catalog | None = None
                   ) -> dict[str, Number | str | None]:
    """The derived indicators of a report, as the form, the Word text and the annex show them:
    computed from the counts; blank where consolidation found them not computable; the entered
    rate where the counts are not known (rules.md, "Entered rates")."""
    cat = catalog or load_catalog()
    values = report.values
    blocked = not_computable(report)
    out: dict[str, Number | str | None] = {}
    for d in cat.derived.values():
        if d.key in blocked:
            out[d.key] = None
            continue
        v = derive(d, values)
        if v is None:
            v = entered_rate(d, values)  # an entered rate (its counts are not known)
        out[d.key] = v
    return out


def report_values(report: Any, catalog: Catalog | None = None) -> dict[str, Number]:
    """The entered figures of a report as every output shows them: `values`, except that an
    entered indicator stating a derived figure (cps_ty_le_ho_so_truc_tuyen, the online rate)
    shows the one figure of the report — computed from the counts when they are known, as typed
    otherwise, blank where consolidation found it not computable. One online rate per report."""
    cat = catalog or load_catalog()
    values = report.values
    forms = cat.entered_forms
    if not forms:
        return dict(values)
    out = dict(values)
    blocked = not_computable(report)
    for key, d in forms.items():
        if key in blocked or d.key in blocked:
            out.pop(key, None)
            continue
        v = derive(d, values)
        if v is None:
            v = entered_rate(d, values)
        if v is None:
            out.pop(key, None)
        else:
            out[key] = v
    return out


def entered_mismatches(values: Mapping[str, Any], catalog: Catalog | None = None,
                       tolerance: float = 0.01) -> list[tuple[Derived, str, Number, Number]]:
    """R24: each typed derived percentage (under its key or `entered_as`) that differs from the
    value computed from its reported operands by more than `tolerance` points, as (derived,
    key typed under, typed, computed)."""
    cat = catalog or load_catalog()
    out = []
    for d in cat.derived.values():
        if d.kind != "percent":
            continue
        for key in (d.key, d.entered_as):
            if key is None:
                continue
            typed = number(values.get(key))
            if typed is None:
                continue
            computed = derive(d, values)
            if computed is not None and abs(typed - computed) > tolerance + 1e-9:
                out.append((d, key, typed, computed))  # type: ignore[arg-type]
    return out


# ------------------------------------------------------------------------------ combining


def format_count(value: int) -> str:
    from app.formatting import format_count as fmt

    return fmt(value)


def _names(names: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" và {format_count(len(names) - limit)} đơn vị khác" if len(names) > limit
                    else "")


def _missing(key_or_keys: Iterable[str], units: Sequence[UnitFigures]) -> tuple[str, ...]:
    keys = tuple(key_or_keys)
    return tuple(u.name for u in units
                 if u.expected is not None and any(k in u.expected for k in keys)
                 and all(number(u.values.get(k)) is None for k in keys))


def combine(key: str, units: Sequence[UnitFigures], catalog: Catalog | None = None) -> Combined:
    """One indicator or derived indicator over several units (rules.md, "Consolidation").

    Counts and money add up over the units that reported them (the others are `missing`).
    A derived percentage is recomputed from the summed counts; a unit that gave only part of
    the counts, or only the rate, makes it not computable. An entered percentage is a weighted
    mean where the catalogue names its weight and every unit that reported it gave the weight.
    Scores and ranks belong to the province; a year stands when every unit gave the same one."""
    cat = catalog or load_catalog()
    d = cat.derived.get(key) or cat.entered_forms.get(key)
    if d is not None:
        return _combine_derived(d, units, cat)
    return _combine_indicator(cat.indicators[key], units, cat)


def _combine_derived(d: Derived, units: Sequence[UnitFigures], cat: Catalog) -> Combined:
    if d.kind == "rank_change":
        return Combined(None, "thay đổi thứ hạng là của tỉnh, không tổng hợp từ các đơn vị.")
    if d.kind in ("difference", "group"):
        return Combined(None, "điểm, nhóm xếp loại là của tỉnh, không tổng hợp từ các đơn vị.")
    num_total: Number = 0
    den_total: Number = 0
    complete = 0
    partial: list[str] = []
    typed = tuple(k for k in (d.key, d.entered_as) if k)
    for u in units:
        num, den = numerator(d, u.values), total(u.values, d.denominator)
        if num is not None and den is not None:
            num_total += num
            den_total += den
            complete += 1
        elif any(number(u.values.get(k)) is not None for k in (*d.all_operands, *typed)):
            partial.append(u.name)
    missing = _missing(d.operands, units)
    if partial:
        return Combined(None, f"không tính được vì {format_count(len(partial))} đơn vị không báo "
                              f"cáo đủ số liệu để tính ({_names(partial)}).", missing)
    if not complete:
        return Combined(None, "", missing)
    if den_total == 0:
        return Combined(None, f"không tính được vì tổng “{cat.label(d.denominator[0])}” bằng 0.",
                        missing)
    return Combined(rate(num_total, den_total), "", missing)


def _combine_split(ind: Indicator, d: Derived, units: Sequence[UnitFigures], cat: Catalog
                   ) -> Combined | None:
    """A count that has a split and a combined form (trước hạn, đúng hạn / trước hạn và đúng
    hạn) when some units gave only the combined one: the split cannot be totalled (its sum
    would leave those units out and give a false rate), the combined figure is the sum over
    every unit of whichever form it gave. None when no unit gave only the combined form."""
    only_combined = [u.name for u in units if total(u.values, d.numerator) is None
                     and total(u.values, d.numerator_otherwise) is not None]
    if not only_combined:
        return None
    if ind.key in d.numerator:
        alt = cat.label(d.numerator_otherwise[0])
        return Combined(None, f"không tổng hợp được vì {format_count(len(only_combined))} đơn vị "
                              f"chỉ báo cáo số gộp “{_lower_first(alt)}” "
                              f"({_names(only_combined)}).")
    given = [numerator(d, u.values) for u in units]
    missing = tuple(u.name for u, v in zip(units, given, strict=True)
                    if v is None and u.expected is not None
                    and any(k in u.expected for k in d.numerator + d.numerator_otherwise))
    return Combined(sum(v for v in given if v is not None), "", missing)


def _lower_first(text: str) -> str:
    from app.formatting import lower_first as lower

    return lower(text)


def _combine_indicator(ind: Indicator, units: Sequence[UnitFigures], cat: Catalog) -> Combined:
    split = cat.split_forms.get(ind.key)
    if split is not None:
        found = _combine_split(ind, split, units, cat)
        if found is not None:
            return found
    reporters = [u for u in units if number(u.values.get(ind.key)) is not None]
    # who did not report a score or rank does not matter: those are the province's own
    missing = _missing((ind.key,), units) if ind.unit not in ("score", "rank") else ()
    if not reporters:
        return Combined(None, "", missing)
    if ind.unit in ADDITIVE:
        return Combined(sum(number(u.values[ind.key]) or 0 for u in reporters), "", missing)
    if ind.unit == "percent":
        if not ind.weight:
            return Combined(None, "tỷ lệ do từng đơn vị nhập, danh mục không quy định trọng số nên "
                                  "không tổng hợp; số liệu từng đơn vị có trong phụ lục.", missing)
        unweighted = [u.name for u in reporters if number(u.values.get(ind.weight)) is None]
        if unweighted:
            return Combined(None, f"không tính được bình quân gia quyền theo “{cat.label(ind.weight)}” "
                                  f"vì {format_count(len(unweighted))} đơn vị không báo cáo trọng "
                                  f"số ({_names(unweighted)}).", missing)
        weights = [number(u.values[ind.weight]) or 0 for u in reporters]
        if sum(weights) <= 0:
            return Combined(None, f"không tính được bình quân gia quyền vì tổng "
                                  f"“{cat.label(ind.weight)}” bằng 0.", missing)
        mean = sum((number(u.values[ind.key]) or 0) * w
                   for u, w in zip(reporters, weights, strict=True)) / sum(weights)
        return Combined(mean, "", missing)
    if ind.unit == "year":
        seen = {number(u.values[ind.key]) for u in reporters}
        if len(seen) == 1:
            return Combined(seen.pop(), "", missing)
        return Combined(None, "các đơn vị báo cáo năm khác nhau.", missing)
    return Combined(None, "điểm, thứ hạng là của tỉnh, không cộng từ các đơn vị.", missing)


# ------------------------------------------------------------------------------ by level

# the level of local government a unit's figures belong to: a department is provincial
TIER_OF_LEVEL = {"tinh": "tinh", "so_nganh": "tinh", "huyen": "huyen", "xa": "xa"}


def combine_by_level(units: Sequence[UnitFigures], levels: Sequence[str],
                     catalog: Catalog | None = None) -> dict[str, dict[str, Number]]:
    """The figures by level (`Report.by_level`): for each level of `levels` (tỉnh — the
    province's own units and its departments —, huyện, xã) the indicators of the catalogue's
    by-level set combined over that level's units by `combine`, the function of every total.
    A level without units, and a figure no unit of the level reported, are left out."""
    cat = catalog or load_catalog()
    out: dict[str, dict[str, Number]] = {}
    for level in levels:
        mine = [u for u in units if TIER_OF_LEVEL.get(u.level) == level]
        if not mine:
            continue
        row = {}
        for key in cat.level_keys:
            c = combine(key, mine, cat)
            if c.value is not None:
                row[key] = c.value
        if row:
            out[level] = row
    return out


# ------------------------------------------------------------------------------ x/y counts


class Answers(NamedTuple):
    """How units answered one indicator, for an "x/y đơn vị" sentence: `yes` of the `answered`
    units said yes (a figure above 0); `not_answered` units were asked and left it blank
    (named in `not_answered_names`) — counted apart, never as a "no"."""

    yes: int
    answered: int
    not_answered: int
    not_answered_names: tuple[str, ...] = ()

    @property
    def no(self) -> int:
        return self.answered - self.yes


def source_units(report: Any, catalog: Catalog | None = None) -> list[UnitFigures]:
    """The units of a consolidated report (`report.sources`), each with its level and the
    indicators its level is asked for."""
    cat = catalog or load_catalog()
    asked: dict[str, frozenset[str]] = {}
    out = []
    for src in getattr(report, "sources", None) or []:
        level = src.unit.level
        if level not in asked:
            asked[level] = frozenset(i.key for i in cat.for_level(level)) if level else frozenset()
        out.append(UnitFigures(src.unit.name, src.values, asked[level] if level else None, level))
    return out


def count_answers(units: Sequence[UnitFigures], key: str, level: str | None = None,
                  catalog: Catalog | None = None) -> Answers:
    """The answers of `units` (of one `level` when given: "so_nganh", "xa", …) to `key`: an
    indicator, or a derived one (computed or typed by the unit). A unit that was not asked for
    the key (its level does not collect it) is left out; a unit that left it blank is "not
    answered", never a "no". For example 18 of 21 departments answered one-stop coverage, 16
    said yes, 3 did not answer: "16/18 sở, ban, ngành …; 3 đơn vị chưa báo cáo"."""
    cat = catalog or load_catalog()
    d = cat.derived.get(key)
    yes = answered = 0
    blank: list[str] = []
    for u in units:
        if level is not None and u.level != level:
            continue
        if d is not None:
            v = derive(d, u.values)
            if v is None:
                v = entered_rate(d, u.values)
            operands = d.all_operands
        else:
            v = number(u.values.get(key))
            operands = (key,)
        if v is None:
            if u.expected is None or any(k in u.expected for k in operands):
                blank.append(u.name)
            continue
        answered += 1
        if not isinstance(v, str) and v > 0:
            yes += 1
    return Answers(yes, answered, len(blank), tuple(blank))
