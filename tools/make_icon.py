"""Draw the application icon: a white page with a folded corner, a flag-red band and text lines.

Writes resources/icon.png (256 px) and resources/icon.ico (16, 24, 32, 48, 64, 128, 256 px).
Drawn with Qt offscreen (no Pillow needed); every size is drawn at its own resolution, so the
small ones stay crisp. Run:  QT_QPA_PLATFORM=offscreen python tools/make_icon.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen  # noqa: E402

RED = QColor("#DA251D")  # the red of the Vietnamese flag
YELLOW = QColor("#FFCD00")
PAGE = QColor("#FFFFFF")
EDGE = QColor("#5F6B7A")
LINE = QColor("#9AA5B1")
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def _star(cx: float, cy: float, r: float) -> QPainterPath:
    import math

    path = QPainterPath()
    for i in range(10):
        rad = r if i % 2 == 0 else r * 0.382
        a = -math.pi / 2 + i * math.pi / 5
        p = QPointF(cx + rad * math.cos(a), cy + rad * math.sin(a))
        path.moveTo(p) if i == 0 else path.lineTo(p)
    path.closeSubpath()
    return path


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)  # draw on a 256-unit canvas

    # the page, with its top-right corner folded
    left, top, right, bottom, fold = 40.0, 16.0, 216.0, 240.0, 48.0
    page = QPainterPath()
    page.moveTo(left, top)
    page.lineTo(right - fold, top)
    page.lineTo(right, top + fold)
    page.lineTo(right, bottom)
    page.lineTo(left, bottom)
    page.closeSubpath()
    edge = max(6.0, 256 / size * 1.2)  # at least ~1 device pixel at small sizes
    p.setPen(QPen(EDGE, edge, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))
    p.setBrush(PAGE)
    p.drawPath(page)
    corner = QPainterPath()
    corner.moveTo(right - fold, top)
    corner.lineTo(right - fold, top + fold)
    corner.lineTo(right, top + fold)
    corner.closeSubpath()
    p.setBrush(QColor("#DDE3EA"))
    p.drawPath(corner)

    # the red band with a yellow star: the report's header
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(RED)
    band = QRectF(left + 20, 84, right - left - 40, 56)
    p.drawRoundedRect(band, 6, 6)
    if size >= 32:
        p.setBrush(YELLOW)
        p.drawPath(_star(band.center().x(), band.center().y() + 1, 20))

    # text lines under it (fewer at small sizes, where they would blur into grey)
    p.setBrush(LINE)
    ys = (160, 184, 208) if size >= 32 else (172, 204)
    for i, y in enumerate(ys):
        width = (right - left - 40) * (0.6 if i == len(ys) - 1 else 1.0)
        p.drawRoundedRect(QRectF(left + 20, y, width, 12 if size >= 32 else 18), 4, 4)
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    buf.close()
    return bytes(data)


def ico_bytes(images: list[QImage]) -> bytes:
    """An .ico holding PNG-compressed images (valid for Windows Vista and later, and for
    PyInstaller's and NSIS's icon handling)."""
    blobs = [png_bytes(img) for img in images]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries = b""
    for img, blob in zip(images, blobs, strict=True):
        w = img.width() if img.width() < 256 else 0  # 0 means 256
        entries += struct.pack("<BBBBHHII", w, w, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    return header + entries + b"".join(blobs)


def main(out_dir: str | None = None) -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    out = Path(out_dir) if out_dir else Path(__file__).resolve().parent.parent / "resources"
    out.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(out / "icon.png"), "PNG")
    (out / "icon.ico").write_bytes(ico_bytes([draw(s) for s in ICO_SIZES]))
    print(f"Đã ghi {out / 'icon.png'} và {out / 'icon.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))
