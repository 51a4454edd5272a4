"""What the extension windows (consolidation, templates, export) may ask of the editor: a typed
interface instead of `hasattr` checks, and one registry that keeps a window of each kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.model import Report


@runtime_checkable
class EditorHost(Protocol):
    """The editor's public side (ui.main_window.MainWindow implements it)."""

    previous: Report | None

    def current_report(self) -> Report: ...

    def open_report(self, report: Report, path: str | None = None,
                    previous: Report | None = None, modified: bool = False) -> None: ...

    def status(self, message: str) -> None: ...


def host_of(widget: object) -> EditorHost | None:
    """The editor a window belongs to, or None when it is used on its own."""
    return widget if isinstance(widget, EditorHost) else None


def tell(host: EditorHost | None, message: str) -> None:
    """Put a message in the editor's status bar, when there is an editor."""
    if host is not None:
        host.status(message)


W = TypeVar("W", bound="QWidget")


class WindowRegistry:
    """One kept window of each kind, created on first use and shown again afterwards (a window
    closed by the user is hidden, not destroyed, so it keeps its state)."""

    def __init__(self) -> None:
        self._windows: dict[str, QWidget] = {}

    def get(self, key: str, make: Callable[[], W]) -> W:
        win = self._windows.get(key)
        if win is None:
            win = self._windows[key] = make()
        return win  # type: ignore[return-value]

    def show(self, key: str, make: Callable[[], W]) -> W:
        win = self.get(key, make)
        win.show()
        win.raise_()
        win.activateWindow()
        return win

    def show_new(self, key: str, make: Callable[[], W]) -> W:
        """A fresh window of the kind (it reads its data anew), replacing the kept one."""
        self._windows.pop(key, None)
        return self.show(key, make)

    def find(self, key: str) -> QWidget | None:
        return self._windows.get(key)
