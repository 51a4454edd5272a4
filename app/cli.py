"""`python -m app …` — the command line (architecture.md §2).

Exit codes: 0 done; 1 blocked by errors / problems listed; 2 bad input or usage. Bad input gets
one Vietnamese line on stderr naming the file and the problem, and no traceback.
"""

from __future__ import annotations
from app.errors import UserError

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app import APP_NAME, __version__

if TYPE_CHECKING:  # argparse is imported by the subcommands only: the editor starts without it
    import argparse

EXIT_OK, EXIT_BLOCKED, EXIT_BAD_INPUT = 0, 1, 2
SUBCOMMANDS = ("sample", "validate", "export", "consolidate", "intake", "template")


class UsageError(UserError):
    """Bad input or usage: one line for stderr, exit 2."""


def _build_parser() -> argparse.ArgumentParser:
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # argparse would exit 2 with English usage
            raise UsageError(f"cách dùng không đúng: {message}")

    p = _Parser(prog="python -m app", description=f"{APP_NAME} {__version__}")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    sub = p.add_subparsers(dest="command")

    s = sub.add_parser("sample", help="ghi một báo cáo mẫu đầy đủ, hợp lệ")
    s.add_argument("--out", required=True, help="tệp .cchc.json sẽ ghi")
    s.add_argument("--year", type=int, default=2024)

    v = sub.add_parser("validate", help="kiểm tra số liệu của một báo cáo")
    v.add_argument("file")
    v.add_argument("--previous", help="báo cáo cùng kỳ năm trước, để so sánh")

    e = sub.add_parser("export", help="xuất báo cáo Word và phụ lục Excel")
    e.add_argument("file")
    e.add_argument("--docx", help="tệp Word (.docx) sẽ ghi")
    e.add_argument("--xlsx", help="tệp phụ lục Excel (.xlsx) sẽ ghi")
    e.add_argument("--template", help="mẫu báo cáo Word (.docx) hoặc thư mục mẫu")
    e.add_argument("--previous", help="báo cáo cùng kỳ năm trước, để so sánh")
    e.add_argument("--draft", action="store_true", help="xuất bản dự thảo dù còn lỗi")

    c = sub.add_parser("consolidate", help="tổng hợp báo cáo, phiếu số liệu của các đơn vị")
    c.add_argument("inputs", nargs="+")
    c.add_argument("--out", required=True)
    c.add_argument("--unit", help="tên đơn vị tổng hợp")
    c.add_argument("--period", help="kỳ báo cáo (quy_1, sau_thang, quy_3, chin_thang, nam)")
    c.add_argument("--year", type=int)

    i = sub.add_parser("intake", help="tạo phiếu nhập số liệu Excel cho đơn vị")
    i.add_argument("--unit", help="tên đơn vị")
    i.add_argument("--level", help="cấp: tinh, so_nganh, huyen, xa")
    i.add_argument("--code", default="", help="mã đơn vị")
    i.add_argument("--period", required=True)
    i.add_argument("--year", type=int, required=True)
    i.add_argument("--out", required=True, help="tệp .xlsx, hoặc thư mục khi dùng --units")
    i.add_argument("--units", help="danh sách đơn vị (Excel) để tạo phiếu cho tất cả")

    t = sub.add_parser("template", help="quản trị mẫu báo cáo")
    tsub = t.add_subparsers(dest="template_command")
    tc = tsub.add_parser("check", help="kiểm tra một mẫu báo cáo")
    tc.add_argument("template")
    tc.add_argument("--repair", help="ghi bản đã sửa thẻ bị tách vào tệp này")
    tsub.add_parser("fields", help="liệt kê mọi trường dùng được trong mẫu")
    return p


def _load(path: str):  # -> Report
    from app.storage import ReportFileError, load_report

    try:
        return load_report(path)
    except ReportFileError as exc:
        raise UsageError(str(exc)) from None


def cmd_sample(args: argparse.Namespace) -> int:
    from app.sample import sample_report
    from app.storage import save_report

    out = Path(args.out)
    if out.parent and not out.parent.exists():
        raise UsageError(f"{out}: thư mục “{out.parent}” không tồn tại.")
    save_report(sample_report(args.year), out)
    print(f"Đã ghi báo cáo mẫu: {out}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from app.validation import summary, validate

    report = _load(args.file)
    previous = _load(args.previous) if args.previous else None
    findings = validate(report, previous)
    for f in findings:
        print(f.line())
    n = summary(findings)
    print(f"Tổng cộng: {n['error']} lỗi, {n['warning']} cảnh báo, {n['info']} thông tin.")
    return EXIT_BLOCKED if n["error"] else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from app.export import ExportBlocked, ExportError, export_report

    if not args.docx and not args.xlsx:
        raise UsageError("cần ít nhất một trong hai tùy chọn --docx hoặc --xlsx.")
    for target in (args.docx, args.xlsx):
        if target and not Path(target).resolve().parent.is_dir():
            raise UsageError(f"{target}: thư mục đích không tồn tại.")
    report = _load(args.file)
    previous = _load(args.previous) if args.previous else None
    try:
        result = export_report(report, docx=args.docx, xlsx=args.xlsx, template=args.template,
                               previous=previous, draft=args.draft)
    except ExportBlocked as exc:
        print("Không xuất báo cáo vì còn lỗi số liệu (dùng --draft để xuất bản dự thảo):",
              file=sys.stderr)
        for f in exc.findings:
            print(f.line(), file=sys.stderr)
        return EXIT_BLOCKED
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    for path in result.written:
        print(f"Đã ghi: {path}")
    for f in result.findings:
        if f.severity == "warning" and not f.explained:
            print(f"Lưu ý: {f.line()}", file=sys.stderr)
    return EXIT_OK


def cmd_consolidate(args: argparse.Namespace) -> int:
    from app.consolidation import cli_consolidate

    return cli_consolidate(args)


def cmd_intake(args: argparse.Namespace) -> int:
    from app.intake import cli_intake

    return cli_intake(args)


def cmd_template(args: argparse.Namespace) -> int:
    from app.templates import cli_template

    return cli_template(args)


COMMANDS = {
    "sample": cmd_sample, "validate": cmd_validate, "export": cmd_export,
    "consolidate": cmd_consolidate, "intake": cmd_intake, "template": cmd_template,
}


def _run_gui(argv: Sequence[str]) -> int:
    terminate = "--terminate-after-init" in argv
    files = [a for a in argv if not a.startswith("-")]
    unknown = [a for a in argv if a.startswith("-") and a != "--terminate-after-init"]
    if unknown:
        raise UsageError(f"tùy chọn không biết: {' '.join(unknown)}")
    # start-up makes many long-lived objects (classes, enums, widgets) and almost no garbage:
    # the collector waits until the window is painted (ui.app.run_gui), then freezes them
    import gc

    gc.disable()
    # the core is imported before Qt: once PySide6 is loaded it hooks every later import (it
    # reads each module's source looking for `from __feature__`), which costs start-up time
    import app.recovery  # noqa: F401
    import app.undo  # noqa: F401
    import app.validation  # noqa: F401
    from ui.app import run_gui

    return run_gui(files[0] if files else None, terminate_after_init=terminate)


def main(argv: Sequence[str] | None = None) -> int:
    from app.runtime import hold_running_mutex, use_utf8_stdio

    use_utf8_stdio()  # a redirected Windows console would encode in cp1258 and crash on "ẫ"
    hold_running_mutex()  # Windows: the installer will not replace files under a running copy
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if not argv or (argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help", "--version")):
            return _run_gui(argv)
        args = _build_parser().parse_args(argv)
        if args.command == "template" and not args.template_command:
            raise UsageError("dùng “template check TỆP” hoặc “template fields”.")
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
