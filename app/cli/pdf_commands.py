"""Sign-ready PDF commands: `pdf sign`, `pdf verify`, and the `--pdf/--annex-pdf` options of
`export` (architecture.md, added 2026-11).

`pdf sign` exits 0 signed, 2 bad input (wrong PIN, missing token library, expired certificate, a
PDF that is not ours, a locked output file: one line, nothing written). `pdf verify` exits 0
when every signature is intact (and trusted, with --trust), 1 otherwise, 2 bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli import EXIT_BLOCKED, EXIT_OK
from app.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pdf", help="ký số và kiểm tra chữ ký số tệp PDF")
    psub = p.add_subparsers(dest="pdf_command", title="các lệnh", metavar="LỆNH")
    s = psub.add_parser("sign", help="ký số tệp PDF đúng vị trí theo Nghị định 30")
    s.add_argument("file", help="tệp PDF do chương trình xuất")
    s.add_argument("--out", required=True, help="tệp PDF đã ký sẽ ghi (có thể trùng tệp vào)")
    s.add_argument("--role", required=True, choices=("nguoi_ky", "co_quan"),
                   help="nguoi_ky: người có thẩm quyền (ký trước); co_quan: cơ quan (ký sau)")
    key = s.add_mutually_exclusive_group(required=True)
    key.add_argument("--p12", help="tệp chứng thư số PKCS#12 (.p12/.pfx)")
    key.add_argument("--pkcs11", help="thư viện PKCS#11 của USB token (.dll/.so)")
    s.add_argument("--slot", type=int, help="số thứ tự khe token (0, 1, …) khi cắm nhiều token")
    s.add_argument("--image", help="ảnh chữ ký (người ký) hoặc con dấu (cơ quan), PNG nền trong "
                                   "suốt; mặc định lấy theo cài đặt")
    s.set_defaults(run=cmd_sign)
    v = psub.add_parser("verify", help="kiểm tra các chữ ký số của tệp PDF")
    v.add_argument("file", help="tệp PDF")
    v.add_argument("--trust", help="chứng thư gốc (.cer) để xét độ tin cậy")
    v.set_defaults(run=cmd_verify)
    p.set_defaults(run=_missing_subcommand)


def add_export_options(e: argparse.ArgumentParser) -> None:
    e.add_argument("--pdf", help="cũng ghi báo cáo dạng PDF/A (sẵn ô chữ ký số)")
    e.add_argument("--annex-pdf", help="cũng ghi phụ lục dạng PDF/A (sẵn ô chữ ký cơ quan)")


def wants_pdf(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "pdf", None) or getattr(args, "annex_pdf", None))


def check_pdf_targets(args: argparse.Namespace, check) -> None:  # noqa: ANN001
    check(args.pdf, ".pdf", "--pdf")
    check(args.annex_pdf, ".pdf", "--annex-pdf")


def export_pdfs(args: argparse.Namespace, report, previous):  # noqa: ANN001, ANN201
    from app.pdf.export import export_pdf
    from app.settings import load_settings

    return export_pdf(report, args.pdf, args.annex_pdf, template=args.template,
                      previous=previous, draft=args.draft,
                      seal_mm=load_settings().seal_size_mm)


def _missing_subcommand(_args: argparse.Namespace) -> int:
    raise UsageError("dùng “pdf sign TỆP …” hoặc “pdf verify TỆP”.")


def _say(text: str, stream=None) -> None:  # noqa: ANN001
    stream = stream or sys.stdout
    try:
        print(text, file=stream)
    except UnicodeEncodeError:  # a Windows console without UTF-8
        stream.buffer.write((text + "\n").encode("utf-8"))


def ask_pin() -> str:
    """The PIN from CCHC_PIN, else asked on the terminal (never echoed, stored or logged)."""
    pin = os.environ.get("CCHC_PIN")
    if pin is not None:
        return pin
    import getpass

    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError("cần mã PIN: đặt biến môi trường CCHC_PIN hoặc chạy lệnh trong cửa sổ "
                         "dòng lệnh để nhập PIN.")
    return getpass.getpass("Mã PIN: ")


def cmd_sign(args: argparse.Namespace) -> int:
    from app.pdf.sign import P12Source, TokenSource, sign_pdf
    from app.settings import load_settings

    settings = load_settings()
    out = Path(args.out)
    if out.is_dir() or out.suffix.lower() != ".pdf":
        raise UsageError(f"--out {args.out}: cần tên tệp có đuôi .pdf.")
    if not out.resolve().parent.is_dir():
        raise UsageError(f"--out {args.out}: thư mục đích không tồn tại.")
    image = args.image or (settings.signature_image if args.role == "nguoi_ky"
                           else settings.seal_image) or None
    source = P12Source(args.p12) if args.p12 else TokenSource(args.pkcs11, args.slot)
    result = sign_pdf(args.file, out, args.role, source, ask_pin, image=image,
                      seal_mm=settings.seal_size_mm, tsa_url=settings.tsa_url)
    from app.pdf.sign import iso_time

    _say(f"Đã ký ({'người có thẩm quyền' if args.role == 'nguoi_ky' else 'cơ quan'}): "
         f"{result.signer_name}, {iso_time(result.time)} → {result.out}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from app.pdf.verify import verify_pdf

    checks = verify_pdf(args.file, args.trust)
    if not checks:
        _say(f"{Path(args.file).name}: không có chữ ký số nào.")
        return EXIT_BLOCKED
    for check in checks:
        _say(check.line())
    return EXIT_OK if all(c.ok for c in checks) else EXIT_BLOCKED
