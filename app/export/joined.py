"""Joined forms of the list fields, for templates that want one line instead of a loop:
`{{ kinh_gui_dong }}` "Bộ Nội vụ; Văn phòng Chính phủ", `{{ nguoi_ky.chuc_vu_dong }}` "PHÓ CHỦ
TỊCH", `{{ doan_van_dong.the_che }}` (a section's paragraphs as one).

A list itself printed in a report reads "['Bộ Nội vụ']": the sandbox refuses it, and the check
names the joined form to use. Every list of the context gets one, including lists added later.
"""

from __future__ import annotations

from typing import Any

# how the items of a list are joined (default "; ", as recipients are written on one line)
SEPARATORS = {"co_quan_ban_hanh": " ", "chuc_vu": " ", "mo_dau": " "}
DESCRIPTIONS = {
    "kinh_gui": "Nơi được kính gửi, nối thành một dòng (dấu “;”)",
    "noi_nhan": "Nơi nhận, nối thành một dòng (dấu “;”)",
    "co_quan_ban_hanh": "Cơ quan ban hành trên một dòng",
    "chuc_vu": "Chức vụ người ký trên một dòng",
    "mo_dau": "Đoạn mở đầu, các đoạn nối thành một",
    "don_vi": "Tên các đơn vị của báo cáo tổng hợp, nối thành một dòng",
}


def _join(key: str, items: list, separator: str | None = None) -> str | None:
    if all(isinstance(i, str) for i in items):
        return (separator or SEPARATORS.get(key, "; ")).join(items)
    if all(isinstance(i, dict) and "ten" in i for i in items):
        return "; ".join(str(i["ten"]) for i in items)
    return None


def joined_forms(ctx: dict[str, Any]) -> dict[str, Any]:
    """What to add to a template context: `X_dong` for every list X; inside a group of fields
    (`nguoi_ky`) the group gets `chuc_vu_dong`; a group made only of lists (`doan_van`) gets a
    joined twin (`doan_van_dong`)."""
    out: dict[str, Any] = {}
    for key, value in ctx.items():
        if isinstance(value, list):
            joined = _join(key, value)
            if joined is not None:
                out[f"{key}_dong"] = joined
        elif isinstance(value, dict) and value:
            only_lists = all(isinstance(v, list) for v in value.values())
            # a group made only of lists holds paragraphs (doan_van): they join with a space
            sep = " " if only_lists else None
            lists = {k: _join(k, v, sep) for k, v in value.items() if isinstance(v, list)}
            lists = {k: v for k, v in lists.items() if v is not None}
            if not lists:
                continue
            if only_lists:
                out[f"{key}_dong"] = lists
            else:
                out[key] = {**value, **{f"{k}_dong": v for k, v in lists.items()}}
    return out


def joined_field_rows(ctx: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Rows of the field reference (name, description, sample) for the joined forms."""
    rows = []
    for key, value in joined_forms(ctx).items():
        if isinstance(value, str):
            base = key.removesuffix("_dong")
            rows.append((key, DESCRIPTIONS.get(base, f"“{base}” nối thành một dòng"), value))
        elif key.endswith("_dong"):
            base = key.removesuffix("_dong")
            rows.append((f"{key}.<phần>", f"Các đoạn của “{base}.<phần>” nối thành một đoạn",
                         next(iter(value.values()), "")))
        else:
            for sub, text in value.items():
                if sub.endswith("_dong") and isinstance(text, str):
                    base = sub.removesuffix("_dong")
                    rows.append((f"{key}.{sub}", DESCRIPTIONS.get(base, f"“{key}.{base}” nối "
                                                                  "thành một dòng"), text))
    return rows
