"""The reporting outline (đề cương báo cáo): the indicators the built-in clause wording's
paragraphs say the report must state — each paragraph's `de_cuong` list in
report_templates/default/cau_van.toml. Rule O01 (app.validation) warns for each one not reported.

Only those lists are read (tomllib, cached by the file's path, size and time): validation runs
when the editor first paints, and the whole clause book (app.export.clauses, which checks every
sentence against the catalogue) is the export's business, not the start-up's.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from app.catalog import load_catalog
from app.paths import default_template

CLAUSE_FILE = "cau_van.toml"

_CACHE: dict[tuple[str, int, int], tuple[str, ...]] = {}


def default_clause_file() -> Path:
    """The built-in clause wording, beside the built-in Word template."""
    return default_template().parent / CLAUSE_FILE


def outline_keys() -> tuple[str, ...]:
    """Every `de_cuong` key of the built-in clause file, in paragraph order; () when the file
    is missing or unreadable (the export reports that file's problems itself)."""
    p = default_clause_file()
    try:
        st = p.stat()
        key = (str(p), st.st_size, st.st_mtime_ns)
        if key in _CACHE:
            return _CACHE[key]
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ()
    out: list[str] = []
    paragraphs = data.get("doan")
    for body in (paragraphs.values() if isinstance(paragraphs, dict) else ()):
        listed = body.get("de_cuong", []) if isinstance(body, dict) else []
        if isinstance(listed, list):
            out += [k for k in listed if isinstance(k, str)]
    _CACHE[key] = keys = tuple(dict.fromkeys(out))
    return keys


def outline_indicators(report: Any) -> list[str]:
    """The outline's indicators this report is expected to state: those of the report's level,
    and not the district level's once it no longer exists (a two-tier period)."""
    cat = load_catalog()
    level = report.unit.level
    gone = ({k for r in cat.rules if r.kind == "empty_two_tier" for k in r.fields}
            if report.period.is_two_tier else set())
    out: list[str] = []
    for key in outline_keys():
        d = cat.derived.get(key)
        operands = (d.numerator + d.denominator) if d is not None else (key,)
        if any(k in gone or (k in cat.indicators and level not in cat.indicators[k].levels)
               for k in operands):
            continue
        out.append(key)
    return out
