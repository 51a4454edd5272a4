"""The window's look: quiet colours, titles, findings marked on the inputs.

There is no window-wide style sheet: with one, Qt polishes every widget through its style-sheet
style, which costs about 12 ms before the first paint. Labels get their font and colour through
the palette; the few widgets that need borders or item padding (the navigator, a flagged input,
the document preview) carry a small style sheet of their own.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

NAVY = "#1a3a5c"
GREY = "#5f6368"

NAVIGATOR = (
    "QListWidget { font-size: 10pt; }"
    "QListWidget::item { padding: 5px 4px; }"
    f"QListWidget::item:selected {{ background: {NAVY}; color: white; }}"
)
PREVIEW = "QLabel { background: #f4f6f8; border: 1px solid #d9dee3; padding: 6px; }"
INPUT_MARKS = {
    "error": "QLineEdit { border: 1px solid #c62828; background: #fff4f4; }",
    "warning": "QLineEdit { border: 1px solid #c77700; background: #fff9ec; }",
    "explained": "QLineEdit { background: #f3faf3; }",
}


def text_colour(widget: QWidget, colour: str) -> None:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
    widget.setPalette(palette)


def muted(label: QLabel) -> QLabel:
    """Secondary text: units, comparisons, hints."""
    text_colour(label, GREY)
    return label


def page_title(label: QLabel) -> QLabel:
    font = label.font()
    font.setPointSizeF(13)
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, 0, 0, 2)
    text_colour(label, NAVY)
    return label


def sub_title(label: QLabel) -> QLabel:
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, 8, 0, 0)
    text_colour(label, NAVY)
    return label


def mark_input(edit: QLineEdit, mark: str) -> None:
    """Colour an input: "error", "warning", "explained" (an explanation given) or "" (plain)."""
    edit.setStyleSheet(INPUT_MARKS.get(mark, ""))
