"""Template administration commands: `template check TEMPLATE [--repair OUT]` (exit 0 clean,
1 problems listed, 2 unusable file) and `template fields`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import EXIT_BLOCKED, EXIT_OK
from app.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    t = sub.add_parser("template", help="quản trị mẫu báo cáo")
    tsub = t.add_subparsers(dest="template_command", title="các lệnh", metavar="LỆNH")
    tc = tsub.add_parser("check", help="kiểm tra một mẫu báo cáo")
    tc.add_argument("template", help="tệp Word (.docx), thư mục mẫu hoặc tệp bố cục (.toml)")
    tc.add_argument("--repair", help="ghi bản đã sửa thẻ bị tách vào tệp này")
    tc.set_defaults(run=cmd_check)
    tf = tsub.add_parser("fields", help="liệt kê mọi trường dùng được trong mẫu")
    tf.set_defaults(run=cmd_fields)
    t.set_defaults(run=_missing_subcommand)


def _out(text: str) -> None:
    try:
        print(text)
    except UnicodeEncodeError:  # a Windows console without UTF-8
        sys.stdout.buffer.write((text + "\n").encode("utf-8"))


def _missing_subcommand(_args: argparse.Namespace) -> int:
    raise UsageError("dùng “template check TỆP” hoặc “template fields”.")


def cmd_fields(_args: argparse.Namespace) -> int:
    from app.templates.guide import fields_table

    _out(fields_table())
    _out("\nCách dùng điều kiện, vòng lặp và bộ lọc: xem docs/mau-bao-cao.md.")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from app.templates import check_template, find_template, read_manifest, repair_split_tags

    template, repair = args.template, args.repair
    path = Path(template)
    if not path.exists():
        info = find_template(template)
        if info is None:
            raise UsageError(f"{template}: không tìm thấy tệp hoặc mẫu này.")
        path = info.folder
    if path.is_file() and path.suffix.lower() not in (".docx", ".toml"):
        raise UsageError(f"{path}: chỉ kiểm tra được tệp Word (.docx), thư mục mẫu hoặc tệp bố cục "
                         f"(.toml).")
    result = check_template(path)
    for problem in result.problems:
        _out(problem.line())
    if repair:
        docx = path if path.is_file() else read_manifest(path).docx
        if docx.suffix.lower() != ".docx":
            raise UsageError("--repair chỉ dùng cho tệp Word (.docx).")
        try:
            n = repair_split_tags(docx, repair)
        except ValueError:
            raise UsageError("--repair phải ghi ra một tệp mới, khác tệp gốc.") from None
        except OSError as exc:
            raise UsageError(f"{repair}: không ghi được ({exc.strerror}).") from None
        _out(f"Đã sửa {n} thẻ bị tách; bản đã sửa ghi vào {repair}.")
    if result.ok:
        _out(f"{path.name}: không có lỗi" + (" (đã chạy thử với báo cáo mẫu)." if result.rendered else "."))
        return EXIT_OK
    errors = len(result.errors)
    _out(f"{path.name}: {errors} lỗi, {len(result.problems) - errors} cảnh báo.")
    return EXIT_BLOCKED
