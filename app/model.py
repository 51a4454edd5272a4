"""The report: unit, period, document details, figures, explanations and narrative.

Blank is not zero: a figure that was not entered is absent from `values` (never 0), and every
computation that meets it says "not reported". The model knows the `*.cchc` shape; reading
and writing files is `app.storage`'s job.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from app.formatting import format_period_title
from app.vocabulary import LEVELS, Level, PeriodKind  # noqa: F401 - LEVELS re-exported

if TYPE_CHECKING:
    from app.intake import Submission

FORMAT = "cchc-report"
FORMAT_VERSION = 2  # 2 (2026-11): `by_level`, `document.data_window`
TWO_TIER_START = date(2025, 7, 1)
# the levels of local government a report can give figures for (`Report.by_level`)
TIER_LEVELS: tuple[str, ...] = (Level.TINH, Level.HUYEN, Level.XA)

Number = int | float


class Invalid(NamedTuple):
    """Text typed into a figure's box that is not a number: the figure holds no value (never
    the number the text starts with), the rules report it, and it is never saved."""

    text: str
    problem: str  # the parser's Vietnamese explanation


Entry = Number | Invalid | None


@dataclass
class Unit:
    name: str = ""
    code: str = ""
    level: str = "tinh"
    governing_body: str = ""


@dataclass
class Period:
    """A reporting period. Its years are always set: a phase (giai đoạn) keeps its first and last
    year and `year` is its last; any other period has `year`, and its first and last year are
    that year. A period given without years is the current year's (the last five years for a
    phase)."""

    kind: str = "nam"
    year: int | None = None
    from_year: int | None = None
    to_year: int | None = None

    def __post_init__(self) -> None:
        if self.is_phase:
            if self.to_year is None:
                self.to_year = self.year if self.year is not None else (
                    self.from_year + 4 if self.from_year is not None else date.today().year)
            if self.from_year is None:
                self.from_year = self.to_year - 4
            self.year = self.to_year
        elif self.year is None:
            self.year = self.to_year if self.to_year is not None else date.today().year

    @property
    def is_phase(self) -> bool:
        """A 5- or 10-year review (giai đoạn): first and last year instead of one year."""
        return self.kind == PeriodKind.GIAI_DOAN

    @property
    def first_year(self) -> int:
        """The first year the period covers (the year itself unless it is a phase)."""
        return int(self.from_year if self.is_phase else self.year)  # type: ignore[arg-type]  # always set

    @property
    def last_year(self) -> int:
        """The last year the period covers."""
        return int(self.to_year if self.is_phase else self.year)  # type: ignore[arg-type]  # always set

    @property
    def title(self) -> str:
        return format_period_title(self.kind, self.year, self.from_year, self.to_year)

    @property
    def report_year(self) -> int:
        """The year a period belongs to (the last year of a phase)."""
        return self.last_year

    @property
    def window(self) -> tuple[date, date]:
        """Data window ("thời gian chốt số liệu", reference.md §1): 15/12 of the year before → 14th."""
        if self.is_phase:
            return date(self.first_year - 1, 12, 15), date(self.last_year, 12, 14)
        y = self.last_year
        start, end_month = {
            "quy_1": (date(y - 1, 12, 15), 3),
            "sau_thang": (date(y - 1, 12, 15), 6),
            "quy_3": (date(y, 6, 15), 9),
            "chin_thang": (date(y - 1, 12, 15), 9),
            "nam": (date(y - 1, 12, 15), 12),
        }[self.kind]
        return start, date(y, end_month, 14)

    @property
    def deadline(self) -> date:
        """Reports are due by the 20th of the period's last month (BNV 581/BNV-CCHC)."""
        end = self.window[1]
        return date(end.year, end.month, 20)

    @property
    def is_two_tier(self) -> bool:
        """From 1/7/2025 local government has two tiers: the district level no longer exists."""
        if self.is_phase:
            return date(self.first_year, 1, 1) >= TWO_TIER_START
        y = self.last_year
        if self.kind == "quy_3":
            return date(y, 7, 1) >= TWO_TIER_START
        # periods counted from the start of the year begin before 1/7 of that year
        return y > TWO_TIER_START.year

    @property
    def tier_levels(self) -> tuple[str, ...]:
        """The levels of local government of the period: tỉnh, huyện (only for periods before
        1/7/2025), xã — the rows of `Report.by_level`."""
        if self.is_two_tier:
            return tuple(lv for lv in TIER_LEVELS if lv != Level.HUYEN)
        return TIER_LEVELS

    @property
    def province_count(self) -> int:
        """Rank denominators: 63 provinces up to 2024, 34 from 2025."""
        return 34 if self.report_year >= 2025 else 63

    def same_period_year_before(self) -> Period:
        if self.is_phase:
            span = self.last_year - self.first_year + 1
            return Period(self.kind, None, self.first_year - span, self.last_year - span)
        return Period(self.kind, self.last_year - 1)

    def key(self) -> str:
        if self.is_phase:
            return f"giai_doan-{self.from_year}-{self.to_year}"
        return f"{self.kind}-{self.year}"


@dataclass
class Signer:
    authority: str = ""
    position: str = ""
    name: str = ""


@dataclass
class DocumentInfo:
    number: int | None = None
    symbol: str = "BC-UBND"
    place: str = ""
    date: date | None = None
    to: list[str] = field(default_factory=list)
    distribution: list[str] = field(default_factory=list)
    signer: Signer = field(default_factory=Signer)
    # the issuing body as the header sets it, one line each, where the user chose to break it
    # (empty: broken before the place's name, app.agency.header_lines)
    issuer_lines: list[str] = field(default_factory=list)
    # the data-window line printed under the opening paragraph, as the drafter worded it
    # ("(Số liệu tính từ ngày 15/12/2022 đến ngày 14/3/2023)"); None: the reporting regime's
    # default (app.export.clauses.data_window_default)
    data_window: str | None = None


@dataclass
class Report:
    unit: Unit = field(default_factory=Unit)
    period: Period = field(default_factory=Period)
    document: DocumentInfo = field(default_factory=DocumentInfo)
    values: dict[str, Number] = field(default_factory=dict)
    explanations: dict[str, str] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)
    # the units' submissions a consolidated report was combined from (app.consolidation), one
    # per unit as its file keeps them (`Submission.to_source`); the annex renders them
    sources: list[Submission] = field(default_factory=list)
    # figures per level of local government: level ("tinh", "huyen", "xa") → {indicator key:
    # number}. Blank is not zero: a figure not given is absent (as in `values`). Filled by
    # consolidation, or entered in the editor; rule P03 compares the sum with `values`.
    by_level: dict[str, dict[str, Number]] = field(default_factory=dict)
    # the format version the report was read with: a version-1 file stays version 1 when it is
    # saved without an edit (every change, and any figure by level or data window, makes it 2)
    format_version: int = field(default=FORMAT_VERSION, compare=False)
    # figures whose typed text does not parse (key → Invalid); never written to a file
    invalid: dict[str, Invalid] = field(default_factory=dict, compare=False)
    # the file as read, so that keys this version does not know survive a save
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _listeners: list[Callable[[str, str | None], None]] = field(
        default_factory=list, repr=False, compare=False
    )

    # -- figures ------------------------------------------------------------------------------
    def get(self, key: str) -> Number | None:
        return self.values.get(key)

    def entry(self, key: str) -> Entry:
        """What the figure's box holds: a number, unreadable text (Invalid) or nothing."""
        invalid = self.invalid.get(key)
        return invalid if invalid is not None else self.values.get(key)

    def set_value(self, key: str, value: Entry) -> None:
        """Set a figure; None removes it (not reported); Invalid removes it and keeps the text
        the user typed. Listeners hear ("value", key)."""
        old = self.entry(key)
        if old == value and type(old) is type(value):
            return
        self.values.pop(key, None)
        self.invalid.pop(key, None)
        if isinstance(value, Invalid):
            self.invalid[key] = value
        elif value is not None:
            self.values[key] = value
        self._notify("value", key)

    def level_value(self, level: str, key: str) -> Number | None:
        """A figure of one level of local government (None: not given)."""
        return self.by_level.get(level, {}).get(key)

    def set_level_value(self, level: str, key: str, value: Number | None) -> None:
        """Set a figure of one level; None removes it. Listeners hear ("by_level", key)."""
        row = self.by_level.get(level, {})
        if row.get(key) == value and type(row.get(key)) is type(value):
            return
        if value is None:
            row.pop(key, None)
        else:
            row[key] = value
        if row:
            self.by_level[level] = row
        else:
            self.by_level.pop(level, None)
        self._notify("by_level", key)

    def set_text(self, part: str, key: str, text: str) -> None:
        """Set an explanation (part="explanations") or a narrative section (part="narrative")."""
        target: dict[str, str] = getattr(self, part)
        text = text if text.strip() else ""
        if target.get(key, "") == text:
            return
        if text:
            target[key] = text
        else:
            target.pop(key, None)
        self._notify(part, key)

    def subscribe(self, listener: Callable[[str, str | None], None]) -> None:
        """A plain observer: the UI adapter turns these calls into Qt signals."""
        self._listeners.append(listener)

    def _notify(self, what: str, key: str | None) -> None:
        self.format_version = FORMAT_VERSION  # an edited report is saved in the current format
        for listener in list(self._listeners):
            listener(what, key)

    def touch(self, what: str = "document") -> None:
        self._notify(what, None)

    # -- serialisation -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out = copy.deepcopy(self.raw)
        out["format"] = FORMAT
        new_parts = bool(self.by_level) or self.document.data_window is not None
        out["format_version"] = FORMAT_VERSION if new_parts else self.format_version
        unit = dict(out.get("unit") or {})
        unit.update(name=self.unit.name, code=self.unit.code, level=self.unit.level,
                    governing_body=self.unit.governing_body)
        out["unit"] = unit
        period = {k: v for k, v in dict(out.get("period") or {}).items()
                  if k not in ("kind", "year", "from_year", "to_year")}
        period["kind"] = self.period.kind
        if self.period.is_phase:
            period.update(from_year=self.period.from_year, to_year=self.period.to_year)
        else:
            period["year"] = self.period.year
        out["period"] = period
        doc = dict(out.get("document") or {})
        d = self.document
        signer = dict(doc.get("signer") or {})
        signer.update(authority=d.signer.authority, position=d.signer.position, name=d.signer.name)
        doc.update(
            number=d.number, symbol=d.symbol, place=d.place,
            date=d.date.isoformat() if d.date else None,
            to=list(d.to), distribution=list(d.distribution), signer=signer,
        )
        if d.issuer_lines:
            doc["issuer_lines"] = list(d.issuer_lines)
        else:
            doc.pop("issuer_lines", None)
        if d.data_window is not None:
            doc["data_window"] = data_window_dict(d.data_window)
        else:
            doc.pop("data_window", None)
        out["document"] = doc
        out["values"] = dict(self.values)
        out["explanations"] = dict(self.explanations)
        out["narrative"] = dict(self.narrative)
        if self.sources:
            out["sources"] = [s.source_dict() for s in self.sources]
        else:
            out.pop("sources", None)
        by_level = {lv: dict(row) for lv, row in self.by_level.items() if row}
        if by_level:
            out["by_level"] = by_level
        else:
            out.pop("by_level", None)
        return out

    def copy(self) -> Report:
        """An independent copy without listeners (for a worker). Not through the file
        boundary: a report that cannot be saved yet (a text with an invalid character) can
        still be exported as a draft or previewed."""
        from dataclasses import fields

        return Report(**{f.name: copy.deepcopy(getattr(self, f.name))
                         for f in fields(self) if f.name != "_listeners"})



_DAY = r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"


def data_window_dict(text: str) -> dict[str, str]:
    """The file's `document.data_window` for a line: {"from", "to"} (ISO dates, when the line
    names two valid dates, first and last day) and the line itself as "text"."""
    import re

    out: dict[str, str] = {}
    days = []
    for d, m, y in re.findall(_DAY, text):
        try:
            days.append(date(int(y), int(m), int(d)))
        except ValueError:
            continue
    if len(days) >= 2 and days[0] <= days[1]:
        out["from"], out["to"] = days[0].isoformat(), days[1].isoformat()
    out["text"] = text
    return out
