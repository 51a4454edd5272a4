"""Collection commands: `consolidate` (unit submissions → one report), `intake` (the workbook a
unit fills in)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import EXIT_BLOCKED, EXIT_OK
from app.errors import UsageError
from app.formatting import format_count


def register(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("consolidate", help="tổng hợp báo cáo, phiếu số liệu của các đơn vị")
    c.add_argument("inputs", nargs="*", help="tệp báo cáo, phiếu số liệu hoặc thư mục chứa chúng")
    c.add_argument("--out", required=True, help="tệp báo cáo tổng hợp sẽ ghi")
    c.add_argument("--unit", help="tên đơn vị tổng hợp")
    c.add_argument("--period", help="kỳ báo cáo (quy_1, sau_thang, quy_3, chin_thang, nam)")
    c.add_argument("--year", type=int, help="năm của kỳ báo cáo")
    c.add_argument("--from-store", action="store_true",
                   help="tổng hợp số liệu đã nhận vào kho lịch sử (cần --period, --year)")
    c.add_argument("--store", help="kho lịch sử (mặc định: kho trong phần cài đặt)")
    c.add_argument("--accept-foreign", action="store_true",
                   help="(quản trị viên) vẫn nhận phiếu do cài đặt khác tạo hoặc phiếu mẫu cũ không có chữ ký")
    c.set_defaults(run=cmd_consolidate)

    i = sub.add_parser("intake", help="tạo phiếu nhập số liệu Excel cho đơn vị")
    i.add_argument("--unit", help="tên đơn vị")
    i.add_argument("--level", help="cấp: tinh, so_nganh, huyen, xa")
    i.add_argument("--code", default="", help="mã đơn vị")
    i.add_argument("--period", required=True, help="kỳ báo cáo")
    i.add_argument("--year", type=int, required=True, help="năm của kỳ báo cáo")
    i.add_argument("--out", required=True, help="tệp .xlsx, hoặc thư mục khi dùng --units")
    i.add_argument("--units", help="danh sách đơn vị (Excel) để tạo phiếu cho tất cả")
    i.set_defaults(run=cmd_intake)


def cmd_consolidate(args: argparse.Namespace) -> int:
    """`python -m app consolidate IN… --out FILE [--unit NAME] [--period KIND --year Y]`.

    Exit 0: every input consolidated. Exit 1: some inputs refused (each listed on stderr with its
    reasons, one line each); the report is still written from the accepted ones — unless none was
    accepted, then nothing is written. Exit 2: bad usage (nothing read or written)."""
    if args.from_store:  # the history store's variant (app.cli.store_commands)
        from app.cli.store_commands import consolidate_from_store

        return consolidate_from_store(args)
    if args.store:
        raise UsageError("--store chỉ dùng cùng --from-store.")
    if not args.inputs:
        raise UsageError("thiếu tham số bắt buộc: tệp đầu vào (hoặc --from-store để tổng hợp từ kho lịch sử).")
    from app.intake import period_from_parts
    from app.model import Unit
    from app.services.collection import consolidate_files
    from app.storage import save_report
    from app.units import load_register

    out = Path(args.out)
    if not out.resolve().parent.is_dir():
        raise UsageError(f"{out}: thư mục đích không tồn tại.")
    if out.is_dir():
        raise UsageError(f"{out}: là một thư mục; hãy cho tên tệp .cchc.")
    if out.name.lower().endswith((".xlsx", ".docx")):
        raise UsageError(f"{out}: kết quả tổng hợp là tệp báo cáo .cchc.")
    period = None
    if args.period or args.year:
        if not (args.period and args.year):
            raise UsageError("--period và --year phải đi cùng nhau.")
        period = period_from_parts(args.period, args.year)
    paths: list[Path] = []
    for raw in args.inputs:
        p = Path(raw)
        if p.is_dir():
            # a folder: every workbook and report file in it, except the output itself
            paths.extend(sorted(q for q in p.iterdir() if q.is_file() and not q.name.startswith((".", "~$"))
                                and q.name.lower().endswith((".xlsx", ".cchc", ".json"))
                                and q.resolve() != out.resolve()))
        else:
            paths.append(p)
    if not paths:
        raise UsageError("không có tệp đầu vào nào.")
    if any(p.resolve() == out.resolve() for p in paths):
        raise UsageError(f"{out}: tệp kết quả trùng với một tệp đầu vào.")
    register = load_register()
    unit = Unit(name=args.unit.strip(), level="tinh") if args.unit and args.unit.strip() else None
    result = consolidate_files(paths, period, unit, register or None,
                               accept_foreign=args.accept_foreign)
    for r in result.rejected:
        print(f"Từ chối: {r.line()}", file=sys.stderr)
    if result.report is None:
        print(f"Không có tệp hợp lệ nào (từ chối {format_count(len(result.rejected))} tệp); "
              f"không ghi kết quả.", file=sys.stderr)
        return EXIT_BLOCKED
    try:
        save_report(result.report, out)
    except OSError as exc:
        raise UsageError(f"{out}: không ghi được tệp ({exc.strerror}).") from None
    notes = result.notes()
    for note in notes[:10]:
        print(f"Lưu ý: {note}", file=sys.stderr)
    if len(notes) > 10:
        print(f"Lưu ý: còn {format_count(len(notes) - 10)} chỉ tiêu khác thiếu số liệu hoặc không "
              f"tổng hợp được; xem mục “consolidation” trong tệp kết quả hoặc cửa sổ tổng hợp.",
              file=sys.stderr)
    print(f"Đã tổng hợp {format_count(len(result.accepted))} đơn vị "
          f"({result.report.period.title}) vào {out}"
          + (f"; từ chối {format_count(len(result.rejected))} tệp." if result.rejected else "."))
    return EXIT_BLOCKED if result.rejected else EXIT_OK


def cmd_intake(args: argparse.Namespace) -> int:
    """`python -m app intake --unit NAME --level L --period KIND --year Y --out FORM.xlsx`, or
    `--units LIST.xlsx --out FOLDER` for every active unit of a list."""
    from app.intake import intake_file_name, period_from_parts, write_intake, write_intakes
    from app.model import Unit

    period = period_from_parts(args.period, args.year)
    out = Path(args.out)
    if getattr(args, "units", None):
        from app.units import import_unit_list

        reg = import_unit_list(args.units)
        units = [u.to_unit() for u in reg if u.expected_in(period)]
        if not out.is_dir():
            raise UsageError(f"{out}: với --units, --out phải là một thư mục có sẵn.")
        written = write_intakes(out, units, period)
        print(f"Đã ghi {format_count(len(written))} phiếu số liệu {period.title} vào {out}")
        return EXIT_OK
    if not args.unit or not args.level:
        raise UsageError("cần --unit và --level (hoặc --units DANH_SÁCH.xlsx).")
    if out.is_dir():
        out = out / intake_file_name(Unit(args.unit, args.code or "", args.level), period)
    elif not out.resolve().parent.is_dir():
        raise UsageError(f"{out}: thư mục đích không tồn tại.")
    elif out.suffix.lower() != ".xlsx":
        raise UsageError(f"{out}: phiếu số liệu phải có đuôi .xlsx.")
    from app.units import parse_level

    level = parse_level(args.level) or args.level
    try:
        write_intake(out, Unit(args.unit.strip(), (args.code or "").strip(), level), period)
    except OSError as exc:
        raise UsageError(f"{out}: không ghi được tệp ({exc.strerror}).") from None
    print(f"Đã ghi phiếu số liệu: {out}")
    return EXIT_OK
