"""The "Mẫu báo cáo" menu: template library, field reference, admin guide."""

from __future__ import annotations

from PySide6.QtGui import QAction


def populate_menu(menu, main_window) -> None:
    from ui.templates_admin.fields import FieldBrowser
    from ui.templates_admin.library import TemplateLibraryWindow

    def single(attr: str, make):  # noqa: ANN001, ANN202 - one window of each kind, kept
        win = getattr(main_window, attr, None)
        if win is None:
            win = make(main_window)
            setattr(main_window, attr, win)
        return win

    def show_library() -> None:
        win = single("_template_library", TemplateLibraryWindow)
        win.reload()
        win.show()
        win.raise_()
        win.activateWindow()

    def show_fields() -> None:
        win = single("_field_browser", FieldBrowser)
        win.show()
        win.raise_()

    def show_guide() -> None:
        from ui.templates_admin.fields import GuideDialog

        GuideDialog(main_window).exec()

    for text, tip, slot in (
        ("Thư viện mẫu…", "Xem, nhân bản, kiểm tra và xem trước các mẫu báo cáo Word", show_library),
        ("Tra cứu trường dùng trong mẫu…", "Danh sách trường, tìm kiếm và chép vào mẫu", show_fields),
        ("Hướng dẫn sửa mẫu", "Cách viết điều kiện, vòng lặp, bộ lọc trong mẫu", show_guide),
    ):
        act = QAction(text, menu)
        act.setStatusTip(tip)
        act.triggered.connect(slot)
        menu.addAction(act)
