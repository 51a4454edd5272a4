"""Build resources/qt_vi.qm, Vietnamese for the texts Qt itself shows (ui/qt_vietnamese.TEXTS),
with Qt's own compiler (pyside6-lrelease). Run after changing TEXTS:

    python3 tools/build_qt_translation.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "resources" / "qt_vi.qm"


def ts_text() -> str:
    from ui.qt_vietnamese import TEXTS

    parts = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
             '<TS version="2.1" language="vi">']
    for context, texts in TEXTS.items():
        parts.append(f"<context><name>{escape(context)}</name>")
        for source, vi in texts.items():
            parts.append(f"<message><source>{escape(source)}</source>"
                         f"<translation>{escape(vi)}</translation></message>")
        parts.append("</context>")
    parts.append("</TS>")
    return "\n".join(parts) + "\n"


def build() -> Path:
    lrelease = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if lrelease is None:
        raise SystemExit("pyside6-lrelease not found (it comes with pyside6-essentials)")
    with tempfile.TemporaryDirectory() as tmp:
        ts = Path(tmp) / "qt_vi.ts"
        ts.write_text(ts_text(), encoding="utf-8")
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(OUT)], check=True)
    return OUT


if __name__ == "__main__":
    print(f"wrote {build()}", file=sys.stderr)
