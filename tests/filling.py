"""Filling an intake workbook as a unit does in Excel (shared by the tests)."""

from __future__ import annotations

from pathlib import Path


def fill_intake(path: Path, values: dict, out: Path | None = None) -> Path:
    """Fill an intake workbook as a unit would in Excel: find each row by the key in column A
    and type the figure under "Số liệu"."""
    import openpyxl

    from app.intake import DATA_SHEET, HEADER_ROW

    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    for key, v in values.items():
        ws.cell(rows[key], 5).value = v
    target = out or path
    wb.save(target)
    return target


def source(name: str, level: str = "", values: dict | None = None, *, code: str = "",
           file: str = "", received=None, period=None):
    """A unit's submission as a consolidated report keeps it in `report.sources`: blank is not
    zero, so `values` holds only the figures the unit gave; `received` None is a blank date."""
    from app.intake import Submission
    from app.model import Period, Unit

    return Submission(unit=Unit(name, code, level), period=period or Period("nam", 2025),
                      values=dict(values or {}), file=file, received=received)


def docx_text(doc) -> str:
    """Every paragraph of a Word document (a path or a python-docx Document), tables included,
    one a line: what a reader of the exported report reads."""
    if not hasattr(doc, "paragraphs"):
        from docx import Document

        doc = Document(str(doc))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)
