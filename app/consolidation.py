"""Consolidation: unit submissions (intake workbooks and report files) → one provincial report.

The rules (shared/domain/rules.md, "Consolidation"):

- Counts and money add up.
- Derived percentages are never averaged: they are recomputed from the summed numerators and
  denominators (`app.combining.combine`, the same function the annex totals use).
- An entered percentage is combined as a weighted mean only where the catalogue names its weight
  (`Indicator.weight`), and only when every unit that reported the percentage also reported the
  weight; otherwise it is left blank for the drafter and the units' own figures stay in
  `report.sources`.
- Scores and ranks belong to the province: never summed, left blank. A base year is kept only
  when every unit that gave it gave the same one.
- The figures by level (`report.by_level`: tỉnh — departments included —, huyện before
  1/7/2025, xã) are the same combination over each level's units (`combine_by_level`).

Blank is not zero. Our choice: a total keeps the sum of the units that reported the indicator
(it is never blanked just because one commune is late), and the result records, per indicator,
which units that should have reported it did not. That record is saved in the report file under
the key "consolidation" ("missing": {key: [unit names]}, "not_combined": {key: reason}), shown in
the window and printed by the command line, so a partial total is never mistaken for a complete
one. An indicator nobody reported stays blank, never 0.

The consolidated report remembers its sources in `report.sources`: the submissions it was
combined from, one per unit, as its file keeps them (`Submission.to_source`: unit, period,
figures, file, time received) — the Excel annex renders its per-unit sheets and totals from
exactly those.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.catalog import Catalog, load_catalog
from app.combining import UnitFigures, combine, combine_by_level
from app.formatting import format_count
from app.intake import Submission, intake_indicators
from app.model import Period, Report, Unit

DEFAULT_UNIT_NAME = "Tổng hợp các đơn vị"


@dataclass
class Rejection:
    file: str
    problems: list[str]
    unit: Unit | None = None  # who sent it, when the file said so (for the board)
    period: Period | None = None
    # where the file was read (the store's audit trail records its hash); not part of equality
    path: str = field(default="", compare=False)
    # a form signed by another installation (or unsigned): an administrator may accept it anyway
    foreign: bool = False

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
        rejected.append(Rejection(older.file, path=older.path, problems=[
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
    units = [UnitFigures(s.unit.name, s.values, frozenset(_applicable(s, cat)), s.unit.level)
             for s in subs]
    for key in (*cat.indicators, *cat.derived):
        combined = combine(key, units, cat)
        if combined.value is not None:
            if key in cat.indicators:
                values[key] = combined.value
        elif combined.reason:
            not_combined[key] = combined.reason + " Người soạn tự điền."
            continue
        if combined.missing and key in cat.indicators:
            missing[key] = list(combined.missing)
    out_unit = unit or Unit(name=DEFAULT_UNIT_NAME, level="tinh")
    report = Report(unit=Unit(out_unit.name, out_unit.code, out_unit.level, out_unit.governing_body),
                    period=Period(period.kind, period.year, period.from_year, period.to_year),
                    values=values, sources=[s.to_source() for s in subs],
                    by_level=combine_by_level(units, period.tier_levels, cat))
    report.raw = {"consolidation": {
        "generated": datetime.now().isoformat(timespec="seconds"),
        "unit_count": len(subs),
        "missing": missing,
        "not_combined": not_combined,
    }}
    return ConsolidationResult(report, subs, dup_rejected, missing, not_combined)


__all__ = ["ConsolidationResult", "Rejection", "consolidate",
           "dedupe"]
