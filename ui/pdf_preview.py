"""A preview of the page that carries the signature boxes: the page's text lines where the PDF
has them (read by app.pdf.fields, no PDF renderer needed), the boxes, and the images that will
go in them."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.pdf import AGENCY_FIELD, MM, SIGNER_FIELD

BOX_COLORS = {SIGNER_FIELD: QColor("#1a4fb4"), AGENCY_FIELD: QColor("#c62828")}
BOX_TITLES = {SIGNER_FIELD: "Người ký", AGENCY_FIELD: "Cơ quan"}


class PagePreview(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setMinimumSize(300, 380)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.state = None
        self.images: dict[str, QImage] = {}
        self.seal_mm = 36.0
        self.placeholder = "Chọn tệp PDF để xem trang có ô chữ ký."

    def show_state(self, state, images: dict[str, str] | None = None, seal_mm: float = 36) -> None:
        self.state = state
        self.seal_mm = seal_mm
        self.images = {}
        for field, path in (images or {}).items():
            image = QImage(path) if path else QImage()
            if not image.isNull():
                self.images[field] = image
        self.update()

    def clear(self, text: str) -> None:
        self.state = None
        self.placeholder = text
        self.update()

    def page_rect(self) -> tuple[QRectF, float]:
        """Where the page is drawn in the widget and the scale (pixels per PDF point)."""
        x0, y0, x1, y1 = self.state.media
        w, h = x1 - x0, y1 - y0
        scale = min((self.width() - 16) / w, (self.height() - 16) / h)
        left = (self.width() - w * scale) / 2
        top = (self.height() - h * scale) / 2
        return QRectF(left, top, w * scale, h * scale), scale

    def to_widget(self, box) -> QRectF:
        page, scale = self.page_rect()
        x0, _y0, _x1, y1 = self.state.media
        return QRectF(page.left() + (box[0] - x0) * scale, page.top() + (y1 - box[3]) * scale,
                      (box[2] - box[0]) * scale, (box[3] - box[1]) * scale)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#e8eaed"))
        if self.state is None:
            p.setPen(QColor("#5f6368"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       self.placeholder)
            return
        page, scale = self.page_rect()
        p.fillRect(page, QColor("white"))
        p.setPen(QPen(QColor("#9aa0a6"), 1))
        p.drawRect(page)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        font = QFont("Times New Roman")
        p.setPen(QColor("#3c4043"))
        for line in self.state.lines:
            rect = self.to_widget(line.box)
            font.setPixelSize(max(2, int(rect.height() * 0.8)))
            p.setFont(font)
            p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line.text)
        for name, field in self.state.fields.items():
            if field.page != self.state.page:
                continue
            rect = self.to_widget(field.box)
            image = self.images.get(name)
            if image is not None and not field.signed:
                self._draw_image(p, name, rect, image, scale)
            color = BOX_COLORS.get(name, QColor("black"))
            pen = QPen(color, 2, Qt.PenStyle.SolidLine if field.signed else Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawRect(rect)
            small = QFont(font)
            small.setPixelSize(11)
            p.setFont(small)
            label = BOX_TITLES.get(name, name) + (" — đã ký" if field.signed else "")
            p.drawText(QPointF(rect.left() + 3, rect.bottom() - 3), label)
        p.end()

    def _draw_image(self, p: QPainter, name: str, rect: QRectF, image: QImage,
                    scale: float) -> None:
        if name == AGENCY_FIELD and self.state.kind == "bao_cao":
            side = self.seal_mm * MM * scale  # the seal at its real size, top right of its box
            target = QRectF(rect.right() - side, rect.top(), side, side)
        else:
            target = QRectF(rect)
        ratio = min(target.width() / image.width(), target.height() / image.height())
        w, h = image.width() * ratio, image.height() * ratio
        p.drawImage(QRectF(target.center().x() - w / 2, target.center().y() - h / 2, w, h), image)
