"""The drafting use case: a new report for a unit and period with the document details of the
settings, the period staff are most likely drafting, and the same period of the year before.
The window and the command line call these; exporting is app.export.export_report."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.settings import Settings
from app.vocabulary import PHASE


def likely_period(today: date) -> tuple[str, int]:
    """The report staff are most likely drafting now (reports are due around the 20th)."""
    if today.month <= 1:
        return "nam", today.year - 1
    if today.month <= 4:
        return "quy_1", today.year
    if today.month <= 7:
        return "sau_thang", today.year
    if today.month <= 10:
        return "quy_3", today.year
    return "nam", today.year


def new_report(s: Settings, *, name: str, level: str, kind: str, year: int | None = None,
               from_year: int | None = None, to_year: int | None = None) -> Any:
    """A blank report for a unit and period, with document details taken from the settings."""
    from app.model import DocumentInfo, Period, Report, Signer, Unit

    period = Period(kind, None, from_year, to_year) if kind == PHASE else Period(kind, year)
    return Report(
        unit=Unit(name=name, code=s.unit_code, level=level, governing_body=s.governing_body),
        period=period,
        document=DocumentInfo(
            symbol=s.default_symbol, place=s.province, to=list(s.recipients),
            distribution=list(s.distribution),
            signer=Signer(s.signer_authority, s.signer_position, s.signer_name),
        ),
    )


def default_report(settings: Settings, today: date | None = None) -> Any:
    """The blank report the editor starts with: the settings' agency, the likely period."""
    kind, year = likely_period(today or date.today())
    return new_report(settings, name=settings.agency_name, level=settings.level, kind=kind,
                      year=year)


def find_previous(report: Any) -> Any:
    """The same period of the year before for the same unit, from the history store; None when
    there is none (or no store yet — then the store module is not even imported)."""
    from app.settings import history_path

    if not history_path().exists():
        return None
    from app.history import find_previous as from_history

    return from_history(report)
