"""Questions and messages to the user, in one place so that tests can answer them.

QMessageBox is imported where it is used: its enums cost start-up time (see ui.launcher)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_save_changes(parent: QWidget, name: str) -> str:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, "Lưu thay đổi?",
                      f"Báo cáo “{name}” có thay đổi chưa lưu. Lưu trước khi đóng?", parent=parent)
    save = box.addButton("Lưu", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Không lưu", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else CANCEL


def ask_yes_no(parent: QWidget, title: str, text: str, yes: str = "Có", no: str = "Không") -> bool:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    y = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
    box.addButton(no, QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(y)
    box.exec()
    return box.clickedButton() is y


def show_error(parent: QWidget, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, title, text)


def show_failure(parent: QWidget | None, title: str, error: BaseException) -> None:
    """The default failure handler of work done for the user: a user-facing error shows its
    problems as a list; anything else is reported as an internal error with its log file."""
    from app.errors import describe_failure

    problems = describe_failure(error)
    text = problems[0] if len(problems) == 1 else "\n".join(f"• {p}" for p in problems)
    show_error(parent, title, text)  # type: ignore[arg-type]
