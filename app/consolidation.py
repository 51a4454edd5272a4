"""Consolidation: unit submissions (intake workbooks and report files) → one provincial report.

The rules (shared/domain/rules.md, "Consolidation"):

- Counts and money add up.
- Derived percentages are never averaged: they are recomputed from the summed numerators and
  denominators (`app.validation.compute_derived` does it from the summed values).
- An entered percentage is combined as a weighted mean only where the catalogue names its weight
  (`Indicator.weight`), and only when every unit that reported the percentage also reported the
  weight; otherwise it is left blank for the drafter and the units' own figures stay in
  `report.sources`.
- Scores and ranks belong to the province: never summed, left blank. A base year is kept only
  when every unit that gave it gave the same one.

Blank is not zero. Our choice: a total keeps the sum of the units that reported the indicator
(it is never blanked just because one commune is late), and the result records, per indicator,
which units that should have reported it did not. That record is saved in the report file under
the key "consolidation" ("missing": {key: [unit names]}, "not_combined": {key: reason}), shown in
the window and printed by the command line, so a partial total is never mistaken for a complete
one. An indicator nobody reported stays blank, never 0.

The consolidated report remembers its sources in `report.sources`: one entry per unit,
{"unit": {"name", "code", "level"}, "file", "received", "values"} — the Excel annex renders its
per-unit sheets from exactly that shape.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from app.catalog import Catalog, load_catalog
from app.formatting import format_count
from app.intake import Submission, SubmissionError, intake_indicators, load_submission
from app.model import Period, Report, Unit

DEFAULT_UNIT_NAME = "Tổng hợp các đơn vị"


@dataclass
class Rejection:
    file: str
    problems: list[str]

    @property
    def reason(self) -> str:
        return "; ".join(self.problems)

    def line(self) -> str:
        return f"{self.file}: {self.reason}"


@dataclass
class ConsolidationResult:
    report: Report | None
    accepted: list[Submission] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    not_combined: dict[str, str] = field(default_factory=dict)

    def notes(self, catalog: Catalog | None = None, limit: int = 5) -> list[str]:
        """Vietnamese lines for the drafter: partial totals and figures left blank."""
        cat = catalog or load_catalog()
        out = []
        for key, names in self.missing.items():
            shown = ", ".join(names[:limit])
            more = f" và {format_count(len(names) - limit)} đơn vị khác" if len(names) > limit else ""
            out.append(f"“{cat.label(key)}”: {format_count(len(names))} đơn vị chưa báo cáo "
                       f"({shown}{more}); tổng chỉ gồm các đơn vị đã báo cáo.")
        for key, reason in self.not_combined.items():
            out.append(f"“{cat.label(key)}”: {reason}")
        return out


def _applicable(sub: Submission, cat: Catalog) -> set[str]:
    if sub.kind == "intake":
        return {i.key for i in intake_indicators(sub.unit.level, sub.period, cat)}
    return {i.key for i in cat.for_level(sub.unit.level)}


def dedupe(subs: list[Submission]) -> tuple[list[Submission], list[Rejection]]:
    """One submission per unit: the newest (by time received; a tie goes to the later one)."""
    best: dict[str, int] = {}
    rejected: list[Rejection] = []
    for i, s in enumerate(subs):
        j = best.get(s.key)
        if j is None:
            best[s.key] = i
            continue
        old = subs[j]
        if s.received >= old.received:
            best[s.key] = i
            newer, older = s, old
        else:
            newer, older = old, s
        rejected.append(Rejection(older.file, [
            f"đơn vị “{older.unit.name}” đã có bản nộp mới hơn ({newer.file}); bản này không được dùng."]))
    keep = sorted(best.values())
    return [subs[i] for i in keep], rejected


def consolidate(subs: list[Submission], period: Period, unit: Unit | None = None,
                catalog: Catalog | None = None) -> ConsolidationResult:
    """Combine submissions of one period (one per unit) into a report. See the module doc."""
    cat = catalog or load_catalog()
    subs, dup_rejected = dedupe(list(subs))
    for s in subs:
        if s.period.key() != period.key():
            raise ValueError(f"{s.file}: kỳ {s.period.title}, không phải {period.title}")
    values: dict[str, int | float] = {}
    missing: dict[str, list[str]] = {}
    not_combined: dict[str, str] = {}
    applicable = [_applicable(s, cat) for s in subs]
    for key, ind in cat.indicators.items():
        expected = [i for i, a in enumerate(applicable) if key in a]
        reporters = [i for i in range(len(subs)) if key in subs[i].values]
        if not expected and not reporters:
            continue
        silent = [subs[i].unit.name for i in expected if key not in subs[i].values]
        combinable = ind.unit in ("count", "money_vnd", "year") or (
            ind.unit == "percent" and bool(ind.weight))
        if not reporters and not combinable:
            continue
        if not reporters:
            if silent:
                missing[key] = silent
            continue
        if ind.unit in ("count", "money_vnd"):
            values[key] = sum(int(subs[i].values[key]) for i in reporters)
            if silent:
                missing[key] = silent
        elif ind.unit == "percent":
            if not ind.weight:
                not_combined[key] = ("tỷ lệ do từng đơn vị nhập, danh mục không quy định trọng số "
                                     "nên không tổng hợp; số liệu từng đơn vị có trong phụ lục, "
                                     "người soạn tự điền.")
                continue
            unweighted = [subs[i].unit.name for i in reporters if ind.weight not in subs[i].values]
            if unweighted:
                not_combined[key] = (f"không tính được bình quân gia quyền theo “{cat.label(ind.weight)}” "
                                     f"vì {format_count(len(unweighted))} đơn vị không báo cáo trọng số "
                                     f"({', '.join(unweighted[:5])}"
                                     f"{' …' if len(unweighted) > 5 else ''}); người soạn tự điền.")
                continue
            total_w = sum(subs[i].values[ind.weight] for i in reporters)
            if total_w <= 0:
                not_combined[key] = (f"không tính được bình quân gia quyền vì tổng "
                                     f"“{cat.label(ind.weight)}” bằng 0; người soạn tự điền.")
                continue
            mean = sum(subs[i].values[key] * subs[i].values[ind.weight] for i in reporters) / total_w
            values[key] = round(mean, 4)
            if silent:
                missing[key] = silent
        elif ind.unit == "year":
            seen = {subs[i].values[key] for i in reporters}
            if len(seen) == 1:
                values[key] = int(seen.pop())
                if silent:
                    missing[key] = silent
            else:
                not_combined[key] = "các đơn vị báo cáo năm khác nhau; người soạn tự điền."
        else:  # score, rank: the province's own figures
            not_combined[key] = "điểm, thứ hạng là của tỉnh, không cộng từ các đơn vị; người soạn tự điền."
    out_unit = unit or Unit(name=DEFAULT_UNIT_NAME, level="tinh")
    report = Report(unit=Unit(out_unit.name, out_unit.code, out_unit.level, out_unit.governing_body),
                    period=Period(period.kind, period.year, period.from_year, period.to_year),
                    values=values, sources=[s.to_source() for s in subs])
    report.raw = {"consolidation": {
        "generated": datetime.now().isoformat(timespec="seconds"),
        "unit_count": len(subs),
        "missing": missing,
        "not_combined": not_combined,
    }}
    return ConsolidationResult(report, subs, dup_rejected, missing, not_combined)


def _majority_period(subs: list[Submission]) -> Period:
    counts = Counter(s.period.key() for s in subs)
    top = max(counts.values())
    # ties: the latest period wins (the one being collected now)
    best = max((s for s in subs if counts[s.period.key()] == top),
               key=lambda s: (s.period.report_year, s.period.window[1]))
    return best.period


def consolidate_files(paths: Iterable[str | os.PathLike[str]], period: Period | None = None,
                      unit: Unit | None = None, register: list | None = None,
                      catalog: Catalog | None = None,
                      progress: Callable[[int, int], None] | None = None,
                      accept_foreign: bool = False) -> ConsolidationResult:
    """Read, check and consolidate files. Each refused file — whatever went wrong with it —
    becomes a Rejection with every reason; the rest are consolidated. `register`
    (RegisteredUnit list) rejects unknown units, units of another level and units not active in
    the period. `accept_foreign`: an administrator accepts forms signed elsewhere."""
    from app.units import find_unit

    cat = catalog or load_catalog()
    paths = list(paths)
    subs: list[Submission] = []
    rejected: list[Rejection] = []
    for n, p in enumerate(paths, 1):
        try:
            subs.append(load_submission(p, cat, accept_foreign=accept_foreign))
        except SubmissionError as exc:
            rejected.append(Rejection(exc.file, exc.problems))
        if progress:
            progress(n, len(paths))
    if subs and period is None:
        period = _majority_period(subs)
    kept: list[Submission] = []
    for s in subs:
        if period is not None and s.period.key() != period.key():
            rejected.append(Rejection(s.file, [f"số liệu của kỳ {s.period.title}, không phải kỳ đang "
                                               f"tổng hợp ({period.title})."]))
            continue
        if register:
            ru = find_unit(register, s.unit.name, s.unit.code)
            if ru is None:
                rejected.append(Rejection(s.file, [f"đơn vị “{s.unit.name}” không có trong danh sách "
                                                   f"đơn vị của tỉnh."]))
                continue
            if ru.level != s.unit.level:
                rejected.append(Rejection(s.file, [
                    f"đơn vị “{s.unit.name}” là {ru.level_label.lower()} trong danh sách đơn vị, "
                    f"nhưng tệp ghi cấp “{s.unit.level}”."]))
                continue
            if period is not None and not ru.active_in(period):
                rejected.append(Rejection(s.file, [f"đơn vị “{s.unit.name}” không hoạt động trong "
                                                   f"{period.title} (theo danh sách đơn vị)."]))
                continue
        kept.append(s)
    if not kept:
        return ConsolidationResult(None, [], rejected)
    assert period is not None
    result = consolidate(kept, period, unit, cat)
    result.rejected = rejected + result.rejected
    if result.report is not None and result.rejected:
        result.report.raw["consolidation"]["rejected"] = [
            {"file": r.file, "reason": r.reason} for r in result.rejected]
    return result


__all__ = ["ConsolidationResult", "Rejection", "consolidate", "consolidate_files",
           "dedupe"]
