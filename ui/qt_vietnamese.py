"""Vietnamese for the texts Qt itself shows: standard buttons ("OK", "Save"), the file dialog
("Look in", "File name"), the context menu of text boxes ("Copy", "Paste"), spin boxes and
scroll bars. Qt ships no Vietnamese translation (there is no qtbase_vi.qm), so these are our
own, compiled by Qt's lrelease into resources/qt_vi.qm; a qtbase_vi.qm that a later Qt brings
is used instead.

Installed after the first paint (ui.app), so start-up does not pay for it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

_BUTTONS = {
    "OK": "Đồng ý", "Save": "Lưu", "Save All": "Lưu tất cả", "Open": "Mở", "&Yes": "&Có",
    "Yes to &All": "Có với &tất cả", "&No": "&Không", "N&o to All": "K&hông với tất cả",
    "Abort": "Dừng", "Retry": "Thử lại", "Ignore": "Bỏ qua", "Close": "Đóng", "Cancel": "Hủy",
    "Discard": "Không lưu", "Help": "Trợ giúp", "Apply": "Áp dụng", "Reset": "Đặt lại",
    "Restore Defaults": "Khôi phục mặc định",
}
_EDIT_MENU = {
    "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "&Cắt", "&Copy": "Sao &chép",
    "&Paste": "&Dán", "Delete": "Xóa", "Select All": "Chọn tất cả",
}

TEXTS: dict[str, dict[str, str]] = {
    "QPlatformTheme": _BUTTONS,
    "QDialogButtonBox": {"OK": "Đồng ý"},
    "QMessageBox": {"Show Details...": "Xem chi tiết…", "Hide Details...": "Ẩn chi tiết…",
                    "About Qt": "Giới thiệu Qt"},
    "QLineEdit": _EDIT_MENU,
    "QWidgetTextControl": {**_EDIT_MENU, "Copy &Link Location": "Sao chép địa chỉ &liên kết"},
    "QAbstractSpinBox": {"&Select All": "&Chọn tất cả", "&Step up": "&Tăng",
                         "Step &down": "&Giảm"},
    "QFileDialog": {
        "Look in:": "Tìm trong:", "File &name:": "&Tên tệp:", "Files of type:": "Loại tệp:",
        "&Open": "&Mở", "&Save": "&Lưu", "Back": "Quay lại", "Forward": "Tiếp",
        "Parent Directory": "Thư mục cha", "Create New Folder": "Tạo thư mục mới",
        "List View": "Dạng danh sách", "Detail View": "Dạng chi tiết",
        "New Folder": "Thư mục mới", "&Rename": "Đổi &tên", "&Delete": "&Xóa",
        "Show &hidden files": "Hiện tệp ẩ&n", "&New Folder": "Thư mục &mới",
        "&Choose": "&Chọn", "Directory:": "Thư mục:", "Open": "Mở", "Save As": "Lưu thành",
        "Find Directory": "Chọn thư mục", "Directories": "Thư mục",
        "All Files (*)": "Tất cả các tệp (*)",
        "%1 already exists.\nDo you want to replace it?":
            "Tệp %1 đã có.\nGhi đè lên tệp đó?",
        "Are you sure you want to delete '%1'?": "Xóa “%1”?",
        "Sidebar": "Thanh bên", "Recent Places": "Nơi dùng gần đây",
        "Go back": "Quay lại", "Go forward": "Tiếp", "Go to the parent directory":
            "Lên thư mục cha", "Create a New Folder": "Tạo thư mục mới",
        "Change to list view mode": "Xem dạng danh sách",
        "Change to detail view mode": "Xem dạng chi tiết",
        "File": "Tệp", "Folder": "Thư mục", "My Computer": "Máy tính", "File Folder":
            "Thư mục", "Alias": "Lối tắt", "Shortcut": "Lối tắt", "Unknown": "Không rõ",
        "Drive": "Ổ đĩa", "Remove": "Bỏ", "List of places and bookmarks":
            "Các nơi và dấu trang",
        "%1\nFile not found.\nPlease verify the correct file name was given.":
            "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp.",
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.":
            "%1\nKhông tìm thấy thư mục.\nHãy kiểm tra lại tên thư mục.",
        "'%1' is write protected.\nDo you want to delete it anyway?":
            "“%1” đang được bảo vệ chống ghi.\nVẫn xóa?",
        "Could not delete directory.": "Không xóa được thư mục.",
    },
    "QFileSystemModel": {"Name": "Tên", "Size": "Cỡ", "Type": "Loại", "Kind": "Loại",
                         "Date Modified": "Ngày sửa", "My Computer": "Máy tính",
                         "Computer": "Máy tính", "Invalid filename": "Tên tệp không hợp lệ"},
    "QScrollBar": {"Scroll here": "Cuộn đến đây", "Left edge": "Mép trái", "Top": "Đầu",
                   "Right edge": "Mép phải", "Bottom": "Cuối", "Page left": "Sang trái một trang",
                   "Page up": "Lên một trang", "Page right": "Sang phải một trang",
                   "Page down": "Xuống một trang", "Scroll left": "Cuộn sang trái",
                   "Scroll up": "Cuộn lên", "Scroll right": "Cuộn sang phải",
                   "Scroll down": "Cuộn xuống"},
}


def install() -> None:
    """Make Qt's own dialogs speak Vietnamese (once per application): Qt's qtbase_vi.qm when a
    Qt version brings one, else ours, resources/qt_vi.qm (built from TEXTS by
    tools/build_qt_translation.py)."""
    app = QCoreApplication.instance()
    if app is None or _installed:
        return
    from app.paths import resources_dir

    for name, folder in (("qtbase_vi", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
                         ("qt_vi", str(resources_dir()))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
            return


_installed: list[QTranslator] = []
