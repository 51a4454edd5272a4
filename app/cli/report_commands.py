"""Drafting commands: `sample`, `validate`, `export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import EXIT_BLOCKED, EXIT_OK, pdf_commands
from app.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("sample", help="ghi một báo cáo mẫu đầy đủ, hợp lệ")
    s.add_argument("--out", required=True, help="tệp báo cáo sẽ ghi")
    s.add_argument("--year", type=int, default=2024, help="năm của báo cáo mẫu")
    s.set_defaults(run=cmd_sample)

    v = sub.add_parser("validate", help="kiểm tra số liệu của một báo cáo")
    v.add_argument("file", help="tệp báo cáo")
    v.add_argument("--previous", help="báo cáo cùng kỳ năm trước, để so sánh")
    v.set_defaults(run=cmd_validate)

    e = sub.add_parser("export", help="xuất báo cáo Word và phụ lục Excel")
    e.add_argument("file", help="tệp báo cáo")
    e.add_argument("--docx", help="tệp Word (.docx) sẽ ghi")
    e.add_argument("--xlsx", help="tệp phụ lục Excel (.xlsx) sẽ ghi")
    e.add_argument("--template", help="mẫu báo cáo Word (.docx) hoặc thư mục mẫu")
    e.add_argument("--previous", help="báo cáo cùng kỳ năm trước, để so sánh")
    e.add_argument("--draft", action="store_true", help="xuất bản dự thảo dù còn lỗi hoặc cảnh báo chưa giải trình")
    e.add_argument("--overwrite", action="store_true",
                   help="ghi đè lên tệp đã có (không có tùy chọn này thì không ghi đè)")
    pdf_commands.add_export_options(e)
    e.set_defaults(run=cmd_export)


def load(path: str):  # noqa: ANN201 - a Report
    """A report file, or UsageError (ReportFileError is already a UserError: exit 2)."""
    from app.storage import load_report

    return load_report(path)


def cmd_sample(args: argparse.Namespace) -> int:
    from app.sample import sample_report
    from app.storage import save_report

    out = Path(args.out)
    if out.is_dir():
        raise UsageError(f"{out}: là một thư mục; hãy cho tên tệp báo cáo.")
    if not out.resolve().parent.is_dir():
        raise UsageError(f"{out}: thư mục “{out.parent}” không tồn tại.")
    save_report(sample_report(args.year), out)
    print(f"Đã ghi báo cáo mẫu: {out}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from app.validation import blocking_reason, summary, validate

    report = load(args.file)
    previous = load(args.previous) if args.previous else None
    findings = validate(report, previous)
    for f in findings:
        print(f.line())
    n = summary(findings)
    print(f"Tổng cộng: {n['error']} lỗi, {n['warning']} cảnh báo, {n['info']} thông tin.")
    blocked = blocking_reason(findings)
    if blocked:
        print(f"Chưa xuất bản chính thức được: {blocked}.")
    return EXIT_BLOCKED if n["error"] else EXIT_OK


def _check_target(target: str | None, suffix: str, option: str, overwrite: bool = False) -> None:
    if not target:
        return
    p = Path(target)
    if p.is_dir():
        raise UsageError(f"{option} {target}: là một thư mục; hãy cho tên tệp {suffix}.")
    if p.exists() and not overwrite:
        raise UsageError(f"{option} {target}: tệp đã có; thêm --overwrite để ghi đè, hoặc chọn "
                         "tên khác.")
    if p.suffix.lower() != suffix:
        raise UsageError(f"{option} {target}: tệp phải có đuôi {suffix}.")
    if not p.resolve().parent.is_dir():
        raise UsageError(f"{option} {target}: thư mục đích không tồn tại.")


def cmd_export(args: argparse.Namespace) -> int:
    from app.export import ExportBlocked, export_report
    from app.export.word import TemplateProblemsError

    if not args.docx and not args.xlsx and not pdf_commands.wants_pdf(args):
        raise UsageError("cần ít nhất một trong các tùy chọn --docx, --xlsx, --pdf, --annex-pdf.")
    _check_target(args.docx, ".docx", "--docx", args.overwrite)
    _check_target(args.xlsx, ".xlsx", "--xlsx", args.overwrite)
    pdf_commands.check_pdf_targets(
        args, lambda t, suffix, option: _check_target(t, suffix, option, args.overwrite))
    report = load(args.file)
    previous = load(args.previous) if args.previous else None
    if args.docx:
        from app.export.word import prestart_render

        # the render child (and a drawing child, for figures not drawn before) starts while
        # the report is validated
        prestart_render(args.template or None, report, previous)
    try:
        result = None
        if args.docx or args.xlsx:
            result = export_report(report, docx=args.docx, xlsx=args.xlsx,
                                   template=args.template, previous=previous, draft=args.draft)
        if pdf_commands.wants_pdf(args):
            pdfs = pdf_commands.export_pdfs(args, report, previous)
            result = result or pdfs
            result.written += [p for p in pdfs.written if p not in result.written]
    except ExportBlocked as exc:
        print("Không xuất bản chính thức (dùng --draft để xuất bản dự thảo): "
              + exc.reason(), file=sys.stderr)
        for f in exc.findings:
            print(f.line(), file=sys.stderr)
        return EXIT_BLOCKED
    except TemplateProblemsError as exc:
        if not exc.draft_possible:
            raise
        print("Không xuất bản chính thức (dùng --draft để xuất bản dự thảo): "
              + exc.problems[0], file=sys.stderr)
        for line in exc.problems[1:]:
            print(line, file=sys.stderr)
        return EXIT_BLOCKED
    for path in result.written:
        print(f"Đã ghi: {path}")
    for f in result.findings:
        if f.severity == "warning" and not f.explained:
            print(f"Lưu ý: {f.line()}", file=sys.stderr)
    for line in result.template_notes:
        print(f"Lưu ý (mẫu): {line}", file=sys.stderr)
    return EXIT_OK
