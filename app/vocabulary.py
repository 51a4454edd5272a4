"""The words of the domain, declared once: levels of government and kinds of reporting period,
each with its Vietnamese label. Members are strings (`Level.XA == "xa"`), so report files, the
catalogue and settings keep their keys as the contract spells them."""

from __future__ import annotations

from enum import StrEnum


class _Word(StrEnum):
    """A key with its Vietnamese label (and, for periods, its phrase in a sentence)."""

    label: str
    phrase: str

    def __new__(cls, value: str, label: str, phrase: str = "") -> _Word:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.phrase = phrase
        return member


class Level(_Word):
    """A level of local government a report or unit belongs to."""

    TINH = "tinh", "Cấp tỉnh"
    SO_NGANH = "so_nganh", "Sở, ban, ngành"
    HUYEN = "huyen", "Cấp huyện"
    XA = "xa", "Cấp xã"


class PeriodKind(_Word):
    """A kind of reporting period (reference.md §1): key, label in a list, phrase in a sentence."""

    QUY_1 = "quy_1", "Quý I", "quý I năm {year}"
    SAU_THANG = "sau_thang", "6 tháng đầu năm", "6 tháng đầu năm {year}"
    QUY_3 = "quy_3", "Quý III", "quý III năm {year}"
    CHIN_THANG = "chin_thang", "9 tháng", "9 tháng năm {year}"
    NAM = "nam", "Năm", "năm {year}"
    GIAI_DOAN = "giai_doan", "Giai đoạn", "giai đoạn {year}"

    @property
    def is_phase(self) -> bool:
        """A 5- or 10-year review: it has a first and a last year instead of one year."""
        return self is PeriodKind.GIAI_DOAN

    def title(self, year: object) -> str:
        """The period in a sentence: "quý I năm 2025", "giai đoạn 2021 - 2025"."""
        return self.phrase.format(year=year)


LEVELS: tuple[str, ...] = tuple(Level)
LEVEL_LABELS: dict[str, str] = {lv.value: lv.label for lv in Level}
PERIOD_KINDS: tuple[str, ...] = tuple(PeriodKind)
PERIOD_KIND_LABELS: dict[str, str] = {k.value: k.label for k in PeriodKind}
# the kinds a unit reports and a department collects (a phase review is drafted, not collected)
COLLECTED_KINDS: tuple[str, ...] = tuple(k for k in PeriodKind if not k.is_phase)
PHASE = PeriodKind.GIAI_DOAN
