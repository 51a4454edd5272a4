"""The history store's commands (architecture.md §2, added 2026-11):

- `import IN… [--store URL] [--replace] [--period KIND --year Y]`: unit submissions into the store,
  through the collection service the import window uses (register, one per unit, replacements
  only with --replace, refusals recorded for the board);
- `consolidate --from-store --period KIND --year Y --out FILE [--store URL]` (the `consolidate`
  command hands over to `consolidate_from_store` here);
- `store status | migrate --to URL | backup --out FILE`.

`--store` names the store (an address, or for `migrate` also a backup file); by default the one
in the settings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import EXIT_BLOCKED, EXIT_OK
from app.errors import UsageError
from app.formatting import format_count

STORE_HELP = ("kho lịch sử: địa chỉ postgresql://người_dùng@máy_chủ:cổng/csdl hoặc tệp SQLite "
              "(mặc định: kho trong phần cài đặt)")


def register(sub: argparse._SubParsersAction) -> None:
    i = sub.add_parser("import", help="nhận phiếu số liệu, báo cáo của đơn vị vào kho lịch sử")
    i.add_argument("inputs", nargs="+", help="phiếu số liệu .xlsx, tệp báo cáo hoặc thư mục")
    i.add_argument("--store", help=STORE_HELP)
    i.add_argument("--replace", action="store_true",
                   help="thay bản đã nhận của đơn vị bằng bản mới hơn")
    i.add_argument("--period", help="kỳ đang nhận (mặc định: kỳ của đa số tệp)")
    i.add_argument("--year", type=int, help="năm của kỳ đang nhận")
    i.set_defaults(run=cmd_import)

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
            copied["unit_register"] += _share_local_register(src, dst)
    total = sum(copied.values())
    if total:
        print(f"Đã chép từ {origin} sang {where}: {_counts_line(copied)}.")
    else:
        print(f"Kho {where} đã có đủ mọi bản ghi của {origin}; không chép gì thêm.")
    return EXIT_OK


def _share_local_register(src, dst) -> int:  # noqa: ANN001 - two app.history.History
    """A private history's unit register is a file beside it (units.json): the first migration
    into a shared store that has no register yet brings it along."""
    from app.units import REGISTER_FILE, load_register

    if src.engine_name != "sqlite" or dst.register() or src.register():
        return 0
    local = src.path.parent / REGISTER_FILE if src.path else None
    units = load_register(local) if local and local.is_file() else []
    if units:
        dst.save_register([u.to_dict() for u in units])
    return len(units)


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


# ------------------------------------------------------------------------------- import

STATUS_LINES = {
    "added": "Đã nhận", "replaced": "Đã thay bản cũ", "unchanged": "Đã có (trùng)",
}


def cmd_import(args: argparse.Namespace) -> int:
    """Exit 0: every file stored (or already there); 1: some refused or kept out, each named on
    stderr with the reason; 2: bad usage, or the store cannot be used (nothing written)."""
    from app.history import History
    from app.intake import period_from_parts
    from app.services.collection import commit_import, likely_period, plan_import, read_files
    from app.units import load_register

    paths = input_files(args.inputs)
    if bool(args.period) != bool(args.year):
        raise UsageError("--period và --year phải đi cùng nhau.")
    with History(args.store) as h:  # the store first: offline, nothing is read for nothing
        subs, refused = read_files(paths)
        period = period_from_parts(args.period, args.year) if args.period else likely_period(subs)
        if period is None:
            for r in refused:
                print(f"Từ chối: {r.line()}", file=sys.stderr)
            print("Không có tệp hợp lệ nào; không nhận gì vào kho.", file=sys.stderr)
            return EXIT_BLOCKED
        plan = plan_import(subs, refused, period, load_register() or None, store=h)
        result = commit_import(plan, replace=args.replace, store=h)
        where = h.where
    kept_out = 0
    for r in result.refused:
        print(f"Từ chối: {r.line()}", file=sys.stderr)
    for r in result.stored:
        name = r.submission.file
        if r.status in STATUS_LINES:
            print(f"{STATUS_LINES[r.status]}: {name} ({r.submission.unit.name})")
            continue
        kept_out += 1
        old = r.previous
        if r.status == "would_replace":
            print(f"Giữ bản cũ: {name} — đơn vị “{r.submission.unit.name}” đã có bản {old.file} "
                  f"({old.received:%d/%m/%Y %H:%M}, {old.by_whom}); dùng --replace để thay.",
                  file=sys.stderr)
        else:  # "older"
            print(f"Không thay: {name} — bản đã nhận {old.file} ({old.received:%d/%m/%Y %H:%M}, "
                  f"{old.by_whom}) của “{r.submission.unit.name}” mới hơn tệp này.",
                  file=sys.stderr)
    print(f"{result.summary()} Kho: {where} ({period.title}).")
    return EXIT_BLOCKED if result.refused or kept_out else EXIT_OK


def input_files(inputs: list[str]) -> list[Path]:
    """The files named, a folder standing for its workbooks and report files."""
    paths: list[Path] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            paths.extend(sorted(q for q in p.iterdir() if q.is_file()
                                and not q.name.startswith((".", "~$"))
                                and q.name.lower().endswith((".xlsx", ".json"))))
        else:
            paths.append(p)
    if not paths:
        raise UsageError("không có tệp đầu vào nào.")
    return paths


# ------------------------------------------------------------------------------- consolidate


def consolidate_from_store(args: argparse.Namespace) -> int:
    """`consolidate --from-store --period KIND --year Y --out FILE [--store URL] [--unit NAME]`:
    the period's current submissions, read from one snapshot of the store."""
    from app.history import History
    from app.intake import period_from_parts
    from app.model import Unit
    from app.services.collection import consolidate_stored
    from app.storage import save_report
    from app.units import load_register

    if args.inputs:
        raise UsageError("với --from-store, không cho thêm tệp đầu vào.")
    if not (args.period and args.year):
        raise UsageError("--from-store cần --period và --year.")
    out = Path(args.out)
    if not out.resolve().parent.is_dir():
        raise UsageError(f"{out}: thư mục đích không tồn tại.")
    period = period_from_parts(args.period, args.year)
    unit = Unit(name=args.unit.strip(), level="tinh") if args.unit and args.unit.strip() else None
    with History(args.store) as h:
        result = consolidate_stored(period, load_register() or None, unit, store=h)
        where = h.where
    for r in result.rejected:
        print(f"Từ chối: {r.line()}", file=sys.stderr)
    if result.report is None:
        print(f"Kho {where} chưa có số liệu {period.title} của đơn vị nào; không ghi kết quả.",
              file=sys.stderr)
        return EXIT_BLOCKED
    try:
        save_report(result.report, out)
    except OSError as exc:
        raise UsageError(f"{out}: không ghi được tệp ({exc.strerror}).") from None
    print(f"Đã tổng hợp {format_count(len(result.accepted))} đơn vị ({period.title}) từ kho "
          f"{where} vào {out}.")
    return EXIT_BLOCKED if result.rejected else EXIT_OK
