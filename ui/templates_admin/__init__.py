"""The "Mẫu báo cáo" menu: template library, field reference, admin guide."""

from __future__ import annotations

from PySide6.QtGui import QAction


def populate_menu(menu, main_window) -> None:
    from ui.templates_admin.fields import FieldBrowser
    from ui.templates_admin.library import TemplateLibraryWindow

    windows = main_window.windows  # ui.host.WindowRegistry

    def show_library() -> None:
        windows.get("template_library", lambda: TemplateLibraryWindow(main_window)).reload()
        windows.show("template_library", lambda: TemplateLibraryWindow(main_window))

    def show_fields() -> None:
        windows.show("field_browser", lambda: FieldBrowser(main_window))

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
