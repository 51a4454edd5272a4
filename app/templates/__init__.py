"""Template administration: the template library, the template check, the admins' guide.

`cli_template(args)` serves `python -m app template check TEMPLATE [--repair OUT]` (exit 0 clean,
1 problems listed, 2 bad input) and `python -m app template fields`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.templates.library import (
    TemplateInfo,
    TemplateLibraryError,
    annex_layout_for,
    duplicate_template,
    find_template,
    info_for_docx,
    list_templates,
    read_manifest,
    user_template_folder,
)
from app.templates.lint import (
    CheckResult,
    Problem,
    TemplateFileError,
    check_annex_layout,
    check_template,
    repair_split_tags,
)

__all__ = [
    "CheckResult", "Problem", "annex_layout_for", "TemplateFileError", "TemplateInfo", "TemplateLibraryError",
    "check_annex_layout", "check_template", "cli_template", "duplicate_template",
    "find_template", "info_for_docx", "list_templates", "read_manifest", "repair_split_tags",
    "user_template_folder",
]

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2


def _out(text: str) -> None:
    try:
        print(text)
    except UnicodeEncodeError:  # a Windows console without UTF-8
        sys.stdout.buffer.write((text + "\n").encode("utf-8"))


def _err(text: str) -> None:
    try:
        print(text, file=sys.stderr)
    except UnicodeEncodeError:
        sys.stderr.buffer.write((text + "\n").encode("utf-8"))


def cli_check(template: str, repair: str | None = None) -> int:
    path = Path(template)
    if not path.exists():
        info = find_template(template)
        if info is None:
            _err(f"Lỗi: {template}: không tìm thấy tệp hoặc mẫu này.")
            return EXIT_BAD_INPUT
        path = info.folder
    if path.is_file() and path.suffix.lower() not in (".docx", ".toml"):
        _err(f"Lỗi: {path}: chỉ kiểm tra được tệp Word (.docx), thư mục mẫu hoặc tệp bố cục (.toml).")
        return EXIT_BAD_INPUT
    try:
        result = check_template(path)
    except TemplateFileError as exc:
        _err(f"Lỗi: {exc}")
        return EXIT_BAD_INPUT
    for problem in result.problems:
        _out(problem.line())
    if repair:
        docx = path if path.is_file() else read_manifest(path).docx
        if docx.suffix.lower() != ".docx":
            _err("Lỗi: --repair chỉ dùng cho tệp Word (.docx).")
            return EXIT_BAD_INPUT
        try:
            n = repair_split_tags(docx, repair)
        except ValueError:
            _err("Lỗi: --repair phải ghi ra một tệp mới, khác tệp gốc.")
            return EXIT_BAD_INPUT
        except OSError as exc:
            _err(f"Lỗi: {repair}: không ghi được ({exc.strerror}).")
            return EXIT_BAD_INPUT
        _out(f"Đã sửa {n} thẻ bị tách; bản đã sửa ghi vào {repair}.")
    if result.ok:
        _out(f"{path.name}: không có lỗi" + (" (đã chạy thử với báo cáo mẫu)." if result.rendered else "."))
        return EXIT_OK
    errors = len(result.errors)
    _out(f"{path.name}: {errors} lỗi, {len(result.problems) - errors} cảnh báo.")
    return EXIT_PROBLEMS


def cli_template(args: argparse.Namespace) -> int:
    command = getattr(args, "template_command", None)
    if command == "check":
        return cli_check(args.template, getattr(args, "repair", None))
    if command == "fields":
        from app.templates.guide import fields_table

        _out(fields_table())
        _out("\nCách dùng điều kiện, vòng lặp và bộ lọc: xem docs/mau-bao-cao.md.")
        return EXIT_OK
    _err("Lỗi: dùng “template check TỆP” hoặc “template fields”.")
    return EXIT_BAD_INPUT
