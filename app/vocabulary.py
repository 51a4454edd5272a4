"""The words of the domain, declared once: levels of government and kinds of reporting period,
each with its Vietnamese label. Members are strings (`Level.XA == "xa"`), so report files, the
catalogue and settings keep their keys as the contract spells them."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """A level of local government a report or unit belongs to."""

    TINH = "tinh"
    SO_NGANH = "so_nganh"
    HUYEN = "huyen"
    XA = "xa"

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]


_LEVEL_LABELS = {
    Level.TINH: "Cấp tỉnh",
    Level.SO_NGANH: "Sở, ban, ngành",
    Level.HUYEN: "Cấp huyện",
    Level.XA: "Cấp xã",
}


class PeriodKind(StrEnum):
    """A kind of reporting period (reference.md §1)."""

    QUY_1 = "quy_1"
    SAU_THANG = "sau_thang"
    QUY_3 = "quy_3"
    CHIN_THANG = "chin_thang"
    NAM = "nam"
    GIAI_DOAN = "giai_doan"

    @property
    def label(self) -> str:
        """"Quý I", "6 tháng đầu năm", … — as a list or a title shows the kind."""
        return _KIND_LABELS[self]

    @property
    def is_phase(self) -> bool:
        """A 5- or 10-year review: it has a first and a last year instead of one year."""
        return self is PeriodKind.GIAI_DOAN

    def title(self, year: object) -> str:
        """The period in a sentence, for one year: "quý I năm 2025", "6 tháng đầu năm 2025"."""
        return _KIND_PHRASES[self].format(year=year)


_KIND_LABELS = {
    PeriodKind.QUY_1: "Quý I",
    PeriodKind.SAU_THANG: "6 tháng đầu năm",
    PeriodKind.QUY_3: "Quý III",
    PeriodKind.CHIN_THANG: "9 tháng",
    PeriodKind.NAM: "Năm",
    PeriodKind.GIAI_DOAN: "Giai đoạn",
}
_KIND_PHRASES = {
    PeriodKind.QUY_1: "quý I năm {year}",
    PeriodKind.SAU_THANG: "6 tháng đầu năm {year}",
    PeriodKind.QUY_3: "quý III năm {year}",
    PeriodKind.CHIN_THANG: "9 tháng năm {year}",
    PeriodKind.NAM: "năm {year}",
    PeriodKind.GIAI_DOAN: "giai đoạn {year}",
}

LEVELS: tuple[str, ...] = tuple(Level)
LEVEL_LABELS: dict[str, str] = {lv.value: lv.label for lv in Level}
PERIOD_KINDS: tuple[str, ...] = tuple(PeriodKind)
PERIOD_KIND_LABELS: dict[str, str] = {k.value: k.label for k in PeriodKind}
# the kinds a unit reports and a department collects (a phase review is drafted, not collected)
COLLECTED_KINDS: tuple[str, ...] = tuple(k for k in PeriodKind if not k.is_phase)
PHASE = PeriodKind.GIAI_DOAN
