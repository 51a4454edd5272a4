"""Pack the one-folder bundle as a portable zip: unzip anywhere (a USB stick), run BaoCaoCCHC.exe.

The zip holds `BaoCaoCCHC/` with the executables and a `portable.txt` beside them; app.settings
sees that file and keeps settings and data in `settings/` and `data/` next to the executable
instead of the user's profile. Nothing is written to the registry.

    python installer/make_portable.py [--bundle dist/BaoCaoCCHC] [--out dist/BaoCaoCCHC-<v>-portable.zip]
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from version_info import read_metadata  # noqa: E402

PORTABLE_MARKER = "portable.txt"
PORTABLE_TEXT = """\
Báo cáo CCHC — bản di động (portable)

Tệp này báo cho chương trình biết: hãy lưu thiết lập (thư mục settings) và dữ liệu
(thư mục data: bản lưu tự động, lịch sử) ngay trong thư mục này, cạnh BaoCaoCCHC.exe,
thay vì trong hồ sơ người dùng Windows. Hãy để thư mục ở nơi được phép ghi
(ổ USB, Tài liệu, Máy tính để bàn), không để trong C:\\Program Files.

Xóa tệp này thì chương trình dùng thư mục người dùng như bản cài đặt.
"""


def make_portable(bundle: Path, out: Path) -> Path:
    if not bundle.is_dir():
        raise SystemExit(f"Không thấy thư mục {bundle}: hãy chạy PyInstaller với pyinstaller.spec trước.")
    top = bundle.name
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(bundle.rglob("*")):
            if path.name == PORTABLE_MARKER and path.parent == bundle:
                continue  # written below, always
            arc = f"{top}/{path.relative_to(bundle).as_posix()}"
            if path.is_dir():
                continue
            zf.write(path, arc)
        # CRLF so that Notepad on older Windows shows the lines
        zf.writestr(f"{top}/{PORTABLE_MARKER}", PORTABLE_TEXT.replace("\n", "\r\n").encode("utf-8"))
    return out


def main(argv: list[str] | None = None) -> int:
    meta = read_metadata(ROOT)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bundle", default=str(ROOT / "dist" / "BaoCaoCCHC"))
    p.add_argument("--out", default=str(ROOT / "dist" / f"BaoCaoCCHC-{meta.version}-portable.zip"))
    args = p.parse_args(argv)
    out = make_portable(Path(args.bundle), Path(args.out))
    print(f"Đã ghi {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
