"""Starting the editor: `run_gui(path, terminate_after_init)` (called by `python -m app`)."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app import APP_NAME, __version__
from app.recovery import clean_at_start
from app.services.drafting import default_report
from app.settings import load_settings, save_settings, settings_exist


def create_window(path: str | None = None):  # noqa: ANN201 - a MainWindow
    from ui.main_window import MainWindow

    settings = load_settings()
    window = MainWindow(settings)
    if not (path and window.load_file(path)):
        window.open_report(default_report(settings))
    return window


def first_run(window) -> None:  # noqa: ANN001
    """Ask once for the agency, province and signer; offer the sample report."""
    from ui.first_run import FirstRunDialog

    dialog = FirstRunDialog(window.settings, window)
    dialog.exec()
    dialog.apply(window.settings)
    save_settings(window.settings)
    if dialog.open_sample.isChecked():
        window.open_sample()
    else:
        window.open_report(default_report(window.settings))


def collect_after_start() -> None:
    """Start-up's objects live as long as the program: move them out of the collector's way
    (later collections, while the user types, then have less to look through) and turn the
    collector back on (ui.launcher turns it off while the window is built)."""
    gc.freeze()
    gc.enable()


def install_vietnamese_qt() -> None:
    """Qt's own dialogs in Vietnamese, after the first paint (start-up does not pay for it)."""
    from ui.qt_vietnamese import install

    install()


PRESTART_AFTER_MS = 2000  # after start-up, when the user has the window


def ready_drawing_child(template: str) -> None:
    """A user whose last export had figures gets a drawing child ready for the next one."""
    if template:
        from app.export.figures import prestart_drawing

        prestart_drawing(template)


def run_gui(path: str | None = None, terminate_after_init: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("cchc-report")
    is_first_run = not settings_exist()
    window = create_window(path)
    window.show_fitted()
    if terminate_after_init:
        # one turn of the event loop paints the window, then quit (cold-start measurement)
        QTimer.singleShot(0, app.quit)
        app.exec()
        collect_after_start()
        window.shutdown()
        return 0
    QTimer.singleShot(0, collect_after_start)
    QTimer.singleShot(0, install_vietnamese_qt)
    # temporary files and locks left by a save or an export that was killed
    QTimer.singleShot(0, lambda: clean_at_start(window.settings.recent_files))
    QTimer.singleShot(PRESTART_AFTER_MS, lambda: ready_drawing_child(window.settings.last_template))
    if is_first_run:
        QTimer.singleShot(0, lambda: first_run(window))
    else:
        QTimer.singleShot(0, window.offer_recovery)
    return app.exec()
