"""Many filled intake workbooks, quickly: the store's concurrency and kill tests and its benchmarks.

A few workbooks are written by `intake` and filled with openpyxl as a unit would (one per set of
figures); each unit's workbook is then a copy of one of them with the placeholder unit name and
code replaced inside the workbook's XML (the layout checksum does not cover the unit), and its
modification time — the time received — set. Reading them back is the real path.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.model import Period, Unit

PERIOD = Period("nam", 2025)
PLACEHOLDER = "ZQZQ"
PATTERNS = 7


def pattern_values(n: int) -> dict[str, int]:
    """Figures that every error rule accepts, different for each pattern."""
    return {"vbqppl_ban_hanh": n + 1, "vb_chi_dao_ban_hanh": 3 * n + 2,
            "tuyen_truyen_tin_bai": 10 + 5 * n}


def _templates(folder: Path) -> list[Path]:
    import openpyxl

    from app.intake import DATA_SHEET, HEADER_ROW, write_intake

    out = []
    for n in range(PATTERNS):
        p = write_intake(folder / f"_pattern{n}.xlsx", Unit(f"Xã {PLACEHOLDER}", PLACEHOLDER, "xa"),
                         PERIOD)
        wb = openpyxl.load_workbook(p)
        ws = wb[DATA_SHEET]
        rows = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
        for key, v in pattern_values(n).items():
            ws.cell(rows[key], 5).value = v
        wb.save(p)
        out.append(p)
    return out


def _signature(code: str) -> str:
    """The signature `intake` gives the form of Xã CODE (app.intake_key): a copy re-addressed to
    another unit is signed as that unit's own form would be, by this installation."""
    from app.catalog import load_catalog
    from app.intake import intake_rows, signed_parts
    from app.intake_key import installation_key, sign

    cat = load_catalog()
    return sign(installation_key(), signed_parts(Unit(f"Xã {code}", code, "xa"), PERIOD,
                                                 cat.version, intake_rows("xa", PERIOD, cat)))


def _copy_as(template: Path, target: Path, code: str, received: datetime) -> Path:
    old_sig, new_sig = _signature(PLACEHOLDER).encode(), _signature(code).encode()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith(".xml"):
                data = data.replace(PLACEHOLDER.encode(), code.encode())
                data = data.replace(old_sig, new_sig)
            dst.writestr(item, data)
    t = received.timestamp()
    os.utime(target, (t, t))
    return target


@dataclass
class ImportSet:
    files: list[Path]
    latest: dict[str, int]  # unit code → pattern of its latest workbook
    replaced: set[str]  # codes that sent a second, later workbook
    duplicated: set[str]  # codes whose first workbook was sent twice (a byte copy)


def make_import_set(folder: Path, units: int = 480, replacements: int = 80,
                    duplicates: int = 40) -> ImportSet:
    """units first workbooks, `replacements` later second versions (other figures), `duplicates`
    byte copies of first workbooks (the same time received): units + replacements + duplicates
    files."""
    folder.mkdir(parents=True, exist_ok=True)
    templates = _templates(folder)
    base = datetime(2025, 12, 10, 8, 0)
    files, latest = [], {}
    for i in range(units):
        code = f"{i:04d}"
        pattern = i % PATTERNS
        files.append(_copy_as(templates[pattern], folder / f"xa_{code}_v1.xlsx", code,
                              base + timedelta(minutes=i)))
        latest[code] = pattern
    replaced = {f"{i:04d}" for i in range(0, units, max(units // replacements, 1))[:replacements]}
    for code in sorted(replaced):
        pattern = (latest[code] + 3) % PATTERNS
        files.append(_copy_as(templates[pattern], folder / f"xa_{code}_v2.xlsx", code,
                              base + timedelta(days=5, minutes=int(code))))
        latest[code] = pattern
    duplicated = {f"{i:04d}" for i in range(1, units, max(units // duplicates, 1))[:duplicates]}
    for code in sorted(duplicated):
        first = folder / f"xa_{code}_v1.xlsx"
        copy = folder / f"xa_{code}_v1_gui_lai.xlsx"
        copy.write_bytes(first.read_bytes())
        t = first.stat().st_mtime
        os.utime(copy, (t, t))
        files.append(copy)
    for t in templates:
        t.unlink()
    return ImportSet(files, latest, replaced, duplicated)
