"""The history store's commands: `store status | migrate --to URL | backup --out FILE`
(architecture.md §2, added 2026-11). `--store` names the store to read (an address, or for
`migrate` also a backup file); by default the one in the settings."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import EXIT_OK
from app.errors import UsageError
from app.formatting import format_count

STORE_HELP = ("kho lịch sử: địa chỉ postgresql://người_dùng@máy_chủ:cổng/csdl hoặc tệp SQLite "
              "(mặc định: kho trong phần cài đặt)")


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("store", help="kho lịch sử: tình trạng, chép sang kho dùng chung, sao lưu")
    ssub = s.add_subparsers(dest="store_command", title="các lệnh", metavar="LỆNH")
    st = ssub.add_parser("status", help="loại kho, phiên bản cấu trúc, số bản ghi")
    st.add_argument("--store", help=STORE_HELP)
    mg = ssub.add_parser("migrate", help="chép kho này (hoặc một tệp sao lưu) sang kho khác; "
                                         "chạy lại được nhiều lần")
    mg.add_argument("--to", required=True, help="kho đích, ví dụ postgresql://…")
    mg.add_argument("--store", help=STORE_HELP + "; hoặc tệp sao lưu .jsonl")
    bk = ssub.add_parser("backup", help="ghi bản sao lưu di chuyển được (JSON lines)")
    bk.add_argument("--out", required=True, help="tệp sao lưu sẽ ghi (.jsonl)")
    bk.add_argument("--store", help=STORE_HELP)
    s.set_defaults(run=cmd_store)


def cmd_store(args: argparse.Namespace) -> int:
    command = getattr(args, "store_command", None)
    if command == "status":
        return _status(args.store)
    if command == "migrate":
        return _migrate(args.store, args.to)
    if command == "backup":
        return _backup(args.store, Path(args.out))
    raise UsageError("dùng “store status”, “store migrate --to ĐỊA_CHỈ” hoặc "
                     "“store backup --out TỆP”.")


def _counts_line(counts: dict[str, int]) -> str:
    from app.store.transfer import TABLE_TITLES

    return ", ".join(f"{format_count(n)} {TABLE_TITLES[t]}" for t, n in counts.items())


def _status(address: str | None) -> int:
    from app.history import History
    from app.store.engine import HEAD

    with History(address) as h:
        version = h.schema_version()
        n = h.counts()
        engine = "PostgreSQL (kho dùng chung)" if h.engine_name == "postgresql" else "SQLite (kho riêng)"
        print(f"Kho: {engine} — {h.where}")
        print(f"Cấu trúc: {version}" + (" (mới nhất)" if version == HEAD else f" (mới nhất: {HEAD})"))
        print(f"Bản nộp hiện dùng: {format_count(n['submissions'])} "
              f"(tất cả các bản: {format_count(n['submission_versions'])})")
        print(f"Tệp bị từ chối: {format_count(n['rejections'])}; báo cáo: "
              f"{format_count(n['reports'])}; đơn vị trong danh sách: {format_count(n['units'])}")
        print(f"Nhật ký: {format_count(n['audit'])} sự kiện")
    return EXIT_OK


def _migrate(source: str | None, target: str) -> int:
    from app.history import History
    from app.store.engine import describe, parse_address
    from app.store.transfer import copy_rows, rows_of_backup, rows_of_store

    if source and Path(source).suffix.lower() == ".jsonl":
        if not Path(source).is_file():
            raise UsageError(f"{source}: không có tệp sao lưu này.")
        rows, origin = rows_of_backup(source), source
        with History(target) as dst:
            copied = copy_rows(rows, dst)
            where = dst.where
    else:
        src_url, dst_url = parse_address(source), parse_address(target)
        if src_url.render_as_string(hide_password=False) == dst_url.render_as_string(hide_password=False):
            raise UsageError(f"kho nguồn và kho đích là một ({describe(dst_url)}).")
        if src_url.get_backend_name() == "sqlite" and not Path(src_url.database or "").is_file():
            raise UsageError(f"{src_url.database}: không có kho lịch sử SQLite này.")
        with History(source) as src, History(target) as dst:
            copied = copy_rows(rows_of_store(src), dst)
            origin, where = src.where, dst.where
    total = sum(copied.values())
    if total:
        print(f"Đã chép từ {origin} sang {where}: {_counts_line(copied)}.")
    else:
        print(f"Kho {where} đã có đủ mọi bản ghi của {origin}; không chép gì thêm.")
    return EXIT_OK


def _backup(address: str | None, out: Path) -> int:
    from app.history import History
    from app.store.transfer import write_backup

    if not out.resolve().parent.is_dir():
        raise UsageError(f"{out}: thư mục đích không tồn tại.")
    if out.is_dir():
        raise UsageError(f"{out}: là một thư mục; hãy cho tên tệp .jsonl.")
    with History(address) as h:
        counts = write_backup(h, out)
        print(f"Đã sao lưu kho {h.where} vào {out}: {_counts_line(counts)}.")
    return EXIT_OK
