"""The one helper for slow work: run a function on a worker thread, report progress, and call
back on the GUI thread with the result or the exception. No widget is touched from the worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot


class _Worker(QObject):
    progress = Signal(int, str)
    finished = Signal(object, object)  # result, exception

    def __init__(self, fn: Callable[[Callable[[int, str], None]], Any]):
        super().__init__()
        self._fn = fn

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn(lambda pct, msg: self.progress.emit(pct, msg))
        except BaseException as exc:  # reported to the GUI thread, never lost
            self.finished.emit(None, exc)
        else:
            self.finished.emit(result, None)


class _Relay(QObject):
    """Lives in the GUI thread so that the callbacks run there."""

    def __init__(self, on_done: Callable[[Any, BaseException | None], None],
                 on_progress: Callable[[int, str], None] | None):
        super().__init__()
        self.on_done = on_done
        self.on_progress = on_progress

    @Slot(int, str)
    def progress(self, pct: int, message: str) -> None:
        if self.on_progress:
            self.on_progress(pct, message)

    @Slot(object, object)
    def done(self, result: Any, exc: object) -> None:
        self.on_done(result, exc if isinstance(exc, BaseException) else None)


_running: set[QThread] = set()


def run_in_background(fn: Callable[[Callable[[int, str], None]], Any],
                      on_done: Callable[[Any, BaseException | None], None],
                      on_progress: Callable[[int, str], None] | None = None) -> QThread:
    """Run `fn(progress)` off the GUI thread; `on_done(result, error)` runs on the GUI thread."""
    thread = QThread()
    worker = _Worker(fn)
    relay = _Relay(on_done, on_progress)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.progress.connect(relay.progress)
    worker.finished.connect(relay.done)
    worker.finished.connect(thread.quit)

    def cleanup() -> None:
        _running.discard(thread)
        worker.deleteLater()
        relay.deleteLater()
        thread.deleteLater()

    thread.finished.connect(cleanup)
    thread._keep = (worker, relay)  # type: ignore[attr-defined]
    _running.add(thread)
    thread.start()
    return thread


def wait_all(timeout_ms: int = 10000) -> None:
    """Used on quit: let running work finish so that no file is left half-written."""
    for thread in list(_running):
        thread.wait(timeout_ms)
