"""The data window of a report (writing.md §4, reference.md §1): the line printed under the
opening paragraph, "(Số liệu tính từ ngày 15/12/2022 đến ngày 14/3/2023)"."""

from __future__ import annotations

from typing import Any

from app.formatting import data_window_line


def regime_data_window(report: Any) -> str:
    """The default line from the reporting regime in force (`Period.window`)."""
    start, end = report.period.window
    return data_window_line(start, end)


def default_data_window(report: Any) -> str:
    """The line a report prints when the drafter has not worded one: the text side's
    `app.export.clauses.data_window_default(report)` when it exists, else the regime's."""
    try:
        from app.export.clauses import data_window_default  # type: ignore[attr-defined]
    except ImportError:
        return regime_data_window(report)
    return str(data_window_default(report) or "")


def data_window(report: Any) -> str:
    """The line a report prints: the drafter's own (`document.data_window`), else the default."""
    own = report.document.data_window
    return own if own is not None and own.strip() else default_data_window(report)
