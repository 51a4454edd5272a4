"""The report file (`*.cchc`, `*.cchc.json`) as typed, bounded structures — the one definition the
loader checks files against and `docs/cchc-report.schema.json` is generated from
(`python -m app.report_file > docs/cchc-report.schema.json`; a test keeps the two equal).

Unknown keys are allowed everywhere (a newer program may add some) and kept on save by
`app.storage`; every known key has a type, a range or a length. The figures in `values` (and in
each source's `values`) are further bounded per indicator by the catalogue (`bounds.tsv`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct

from app.catalog import Catalog

LIMIT = 10**16  # no figure of a report comes near it; the catalogue's bounds are tighter

Name = Annotated[str, Meta(max_length=500)]
Short = Annotated[str, Meta(max_length=100)]
Key = Annotated[str, Meta(min_length=1, max_length=100)]
LongText = Annotated[str, Meta(max_length=200_000)]
Year = Annotated[int, Meta(ge=1990, le=2100)]
Number = Annotated[int, Meta(ge=-LIMIT, le=LIMIT)] | Annotated[float, Meta(ge=-LIMIT, le=LIMIT)]
Lines = Annotated[str, Meta(max_length=20_000)] | Annotated[list[Name], Meta(max_length=500)]
Values = Annotated[dict[Key, Number | None], Meta(max_length=5_000)]
ITEM_TYPES = {"values": Number | None, "explanations": LongText, "narrative": LongText}
Level = Literal["tinh", "so_nganh", "huyen", "xa"]
# the levels of local government `by_level` gives figures for (huyện only before 1/7/2025)
TierLevel = Literal["tinh", "huyen", "xa"]
ByLevel = Annotated[dict[TierLevel, Values], Meta(max_length=3)]
DateText = Annotated[str, Meta(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
Kind = Literal["quy_1", "sau_thang", "quy_3", "chin_thang", "nam", "giai_doan"]


class UnitPart(Struct, kw_only=True):
    name: Name | None = None
    code: Short | None = None
    level: Level | None = None
    governing_body: Name | None = None


class PeriodPart(Struct, kw_only=True):
    kind: Kind
    year: Year | None = None
    from_year: Year | None = None
    to_year: Year | None = None


class SignerPart(Struct, kw_only=True):
    authority: Name | None = None
    position: Name | None = None
    name: Name | None = None


class DataWindowPart(Struct, kw_only=True):
    """The period the figures cover (architecture.md, added 2026-11): first and last day, and
    the line as the drafter worded it when it is not the default one."""

    from_: DateText | None = msgspec.field(default=None, name="from")
    to: DateText | None = None
    text: Annotated[str, Meta(max_length=1_000)] | None = None


class DocumentPart(Struct, kw_only=True):
    number: Annotated[int, Meta(ge=0, le=1_000_000)] | None = None
    symbol: Short | None = None
    place: Name | None = None
    date: Annotated[str, Meta(pattern=r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")] | None = None
    to: Lines | None = None
    distribution: Lines | None = None
    signer: SignerPart | None = None
    issuer_lines: Lines | None = None  # the user's own line breaks of the issuing body
    # the data-window line printed under the opening paragraph (format 2); a bare line of text
    # is read too
    data_window: DataWindowPart | Annotated[str, Meta(max_length=1_000)] | None = None


class SourceUnit(Struct, kw_only=True):
    name: Name = ""
    code: Short = ""
    level: Short = ""


class Source(Struct, kw_only=True):
    """One unit's submission kept by a consolidated report (the annex renders it)."""

    unit: SourceUnit = msgspec.field(default_factory=SourceUnit)
    file: Annotated[str, Meta(max_length=1_000)] = ""
    received: Annotated[str, Meta(max_length=40)] = ""
    values: Values = msgspec.field(default_factory=dict)


class ReportFile(Struct, kw_only=True):
    """A report of the provincial administrative-reform regime (architecture.md §1)."""

    format: Literal["cchc-report"]
    format_version: Annotated[int, Meta(ge=1)]
    unit: UnitPart | None = None
    period: PeriodPart
    document: DocumentPart | None = None
    values: Values | None = None
    explanations: Annotated[dict[Key, LongText], Meta(max_length=5_000)] | None = None
    narrative: Annotated[dict[Key, LongText], Meta(max_length=500)] | None = None
    sources: Annotated[list[Source], Meta(max_length=20_000)] | None = None
    # figures per level of local government (format 2): {"tinh": {KEY: value}, "xa": {…}}
    by_level: ByLevel | None = None


def out_of_bounds(values: dict[str, int | float | None], cat: Catalog) -> list[str]:
    """Vietnamese lines for the figures beyond their indicator's physical bound."""
    from app.formatting import format_decimal

    out = []
    for key, v in values.items():
        if v is None:
            continue
        top = cat.bounds_for(key).physical_max
        if abs(v) > top:
            out.append(f"giá trị của “{key}” ({cat.label(key)}) là {format_decimal(v)}, vượt giới "
                       f"hạn {format_decimal(top)} mà chỉ tiêu này không thể vượt.")
    return out


def _clean_descriptions(node: Any) -> None:
    """Docstrings become descriptions; msgspec versions differ in whether they dedent them, so
    the published schema does it itself (the same text from every build)."""
    import inspect

    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                node[key] = inspect.cleandoc(value)
            else:
                _clean_descriptions(value)
    elif isinstance(node, list):
        for item in node:
            _clean_descriptions(item)


def json_schema() -> dict[str, Any]:
    schema = msgspec.json.schema(ReportFile)
    _clean_descriptions(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://cchc.local/schemas/cchc-report.schema.json"
    schema["title"] = "Báo cáo CCHC (cchc-report)"
    schema["description"] = (
        "Tệp báo cáo kết quả cải cách hành chính (*.cchc, *.cchc.json). Sinh tự động từ "
        "app/report_file.py; giới hạn theo từng chỉ tiêu nằm trong app/catalog/bounds.tsv.")
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":  # pragma: no cover - the generator of docs/cchc-report.schema.json
    import sys

    sys.stdout.write(schema_text())
