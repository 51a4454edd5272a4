"""The template library window: built-in and user templates with their manifests; duplicate
for editing, open in Word, check (problems with locations), repair split tags, preview."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.templates import (
    TemplateInfo,
    TemplateLibraryError,
    check_template,
    duplicate_template,
    list_templates,
    repair_split_tags,
)
from ui.host import host_of, tell
from ui.worker import run_in_background


def open_externally(path: str | Path) -> bool:
    """Open a file or folder with its program (Word, Explorer); tests replace this."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class TemplateLibraryWindow(QWidget):
    def __init__(self, main_window=None):
        super().__init__(main_window, Qt.WindowType.Window)
        self.main_window = main_window
        self.setWindowTitle("Thư viện mẫu báo cáo")
        self.resize(1100, 720)
        self.templates: list[TemplateInfo] = []
        self.busy = False
        self.last_preview = None

        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        choose = QPushButton("Chọn thư mục mẫu…")
        choose.clicked.connect(self.choose_folder)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._selected)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("<b>Các mẫu</b>"))
        ll.addWidget(self.list, 1)
        ll.addWidget(self.folder_label)
        ll.addWidget(choose)

        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        buttons = QHBoxLayout()
        self.b_duplicate = QPushButton("Nhân bản để sửa")
        self.b_duplicate.setToolTip("Chép mẫu này vào thư mục mẫu để sửa (mẫu có sẵn không sửa được)")
        self.b_word = QPushButton("Mở bằng Word")
        self.b_folder = QPushButton("Mở thư mục")
        self.b_check = QPushButton("Kiểm tra")
        self.b_repair = QPushButton("Sửa thẻ bị tách…")
        self.b_preview = QPushButton("Xem trước")
        self.b_preview.setToolTip("Xuất thử báo cáo đang mở (hoặc báo cáo mẫu) bằng mẫu này")
        for b in (self.b_duplicate, self.b_word, self.b_folder, self.b_check, self.b_repair,
                  self.b_preview):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.b_duplicate.clicked.connect(self.duplicate)
        self.b_word.clicked.connect(lambda: self._open(self.current().docx) if self.current() else None)
        self.b_folder.clicked.connect(lambda: self._open(self.current().folder) if self.current() else None)
        self.b_check.clicked.connect(self.check)
        self.b_repair.clicked.connect(self.repair)
        self.b_preview.clicked.connect(self.preview)

        self.problems = QTreeWidget()
        self.problems.setHeaderLabels(["Mức", "Vị trí", "Nội dung", "Đoạn văn trong mẫu"])
        self.problems.setRootIsDecorated(False)
        self.problems.setWordWrap(True)
        hdr = self.problems.header()
        hdr.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hdr.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        hdr.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.check_summary = QLabel("Bấm “Kiểm tra” để kiểm tra mẫu đang chọn.")
        self.check_summary.setWordWrap(True)
        check_tab = QWidget()
        cl = QVBoxLayout(check_tab)
        cl.addWidget(self.check_summary)
        cl.addWidget(self.problems, 1)
        self.problem_detail = QLabel()
        self.problem_detail.setWordWrap(True)
        self.problem_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        cl.addWidget(self.problem_detail)
        self.problems.currentItemChanged.connect(self._problem_selected)

        self.pages_box = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_box)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_scroll = QScrollArea()
        self.pages_scroll.setWidgetResizable(True)
        self.pages_scroll.setWidget(self.pages_box)
        self.preview_note = QLabel("Bấm “Xem trước” để xuất thử báo cáo bằng mẫu đang chọn.")
        self.preview_note.setWordWrap(True)
        preview_tab = QWidget()
        pl = QVBoxLayout(preview_tab)
        pl.addWidget(self.preview_note)
        pl.addWidget(self.pages_scroll, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(check_tab, "Kết quả kiểm tra")
        self.tabs.addTab(preview_tab, "Xem trước")

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.details)
        rl.addLayout(buttons)
        rl.addWidget(self.tabs, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 800])
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        self.reload()

    # -- the list ----------------------------------------------------------------------------
    def user_folder(self) -> Path | None:
        settings = getattr(self.main_window, "settings", None)
        folder = getattr(settings, "template_folder", "") if settings is not None else ""
        if folder:
            return Path(folder)
        from app.templates import user_template_folder

        return user_template_folder()

    def reload(self, select: Path | None = None) -> None:
        folder = self.user_folder()
        self.templates = list_templates(folder)
        self.folder_label.setText(f"Thư mục mẫu: {folder}" if folder else
                                  "Chưa chọn thư mục mẫu (nơi lưu các mẫu đã sửa).")
        self.list.blockSignals(True)
        self.list.clear()
        for info in self.templates:
            label = f"{info.name}  ·  {info.version}" + ("  (có sẵn)" if info.builtin else "")
            item = QListWidgetItem(("⚠ " if info.problems else "") + label)
            item.setToolTip(str(info.folder))
            self.list.addItem(item)
        self.list.blockSignals(False)
        row = 0
        if select is not None:
            row = next((i for i, t in enumerate(self.templates) if t.folder == select), 0)
        if self.templates:
            self.list.setCurrentRow(row)
            self._selected(row)

    def current(self) -> TemplateInfo | None:
        row = self.list.currentRow()
        return self.templates[row] if 0 <= row < len(self.templates) else None

    def _selected(self, _row: int) -> None:
        info = self.current()
        if info is None:
            self.details.setText("")
            return
        from html import escape

        from app.catalog import LEVEL_LABELS
        from app.templates.library import KIND_LABELS

        kinds = ", ".join(KIND_LABELS.get(k, k) for k in info.kinds)
        levels = ", ".join(LEVEL_LABELS.get(v, v) for v in info.levels)
        layout = info.annex_layout_path()
        annex = layout.name if layout else "bố cục mặc định"
        html = (f"<h3>{escape(info.name)}</h3><p>{escape(info.description)}</p>"
                f"<p>Phiên bản: <b>{escape(info.version)}</b> · "
                f"{'Mẫu có sẵn (chỉ đọc)' if info.builtin else 'Mẫu trong thư mục mẫu'}<br>"
                f"Kỳ báo cáo: {escape(kinds)}<br>Cấp đơn vị: {escape(levels)}<br>"
                f"Phụ lục Excel: {escape(annex)}<br>Tệp: {escape(str(info.docx))}</p>")
        if info.problems:
            html += "<p style='color:#b00020'>" + "<br>".join(escape(p) for p in info.problems) + "</p>"
        self.details.setText(html)
        self.b_word.setText("Mở bằng Word (chỉ xem)" if info.builtin else "Mở bằng Word")
        self.b_repair.setEnabled(not info.builtin)

    def choose_folder(self) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục lưu các mẫu đã sửa",
                                                  str(self.user_folder() or Path.home()))
        if not folder:
            return None
        self.set_user_folder(Path(folder))
        return Path(folder)

    def set_user_folder(self, folder: Path) -> None:
        settings = getattr(self.main_window, "settings", None)
        if settings is not None:
            settings.template_folder = str(folder)
            try:
                from app.settings import save_settings

                save_settings(settings)
            except Exception as exc:  # noqa: BLE001 - the folder still works for this session
                self._status(f"Không lưu được cài đặt: {exc}")
        self.reload()

    # -- actions -----------------------------------------------------------------------------
    def _status(self, message: str) -> None:
        tell(host_of(self.main_window), message)

    def _open(self, path: Path) -> None:
        if not open_externally(path):
            QMessageBox.warning(self, "Không mở được", f"Không mở được {path}.")

    def duplicate(self) -> TemplateInfo | None:
        info = self.current()
        if info is None:
            return None
        folder = self.user_folder() or self.choose_folder()
        if folder is None:
            return None
        try:
            copy = duplicate_template(info, folder)
        except TemplateLibraryError as exc:
            QMessageBox.warning(self, "Không nhân bản được", str(exc))
            return None
        self.reload(select=copy.folder)
        self._status(f"Đã chép mẫu vào {copy.folder}. Bấm “Mở bằng Word” để sửa.")
        return copy

    def check(self) -> None:
        info = self.current()
        if info is None or self.busy:
            return
        self._set_busy(True, "Đang kiểm tra mẫu…")
        target = info.folder if (info.folder / "manifest.toml").is_file() else info.docx

        def done(result, error) -> None:
            self._set_busy(False)
            self.show_check(result, error)

        run_in_background(lambda _progress: check_template(target), done)

    def show_check(self, result, error=None) -> None:
        self.problems.clear()
        self.tabs.setCurrentIndex(0)
        if error is not None:
            self.check_summary.setText(f"Không kiểm tra được: {error}")
            return
        for p in result.problems:
            item = QTreeWidgetItem([p.severity, p.location, p.message, p.text])
            item.setToolTip(2, p.message)
            item.setToolTip(3, p.text)
            if p.severity == "lỗi":
                item.setForeground(0, Qt.GlobalColor.red)
            self.problems.addTopLevelItem(item)
        if self.problems.topLevelItemCount():
            self.problems.setCurrentItem(self.problems.topLevelItem(0))
        else:
            self.problem_detail.setText("")
        if result.ok:
            self.check_summary.setText("Mẫu không có lỗi"
                                       + (" và đã chạy thử được với báo cáo mẫu." if result.rendered else "."))
        else:
            errors = len(result.errors)
            split = any(p.kind == "split" for p in result.problems)
            self.check_summary.setText(
                f"{errors} lỗi, {len(result.problems) - errors} cảnh báo. Sửa trong Word, lưu lại "
                "rồi bấm “Kiểm tra” lần nữa." + (" Thẻ bị tách: bấm “Sửa thẻ bị tách…”." if split else ""))

    def _problem_selected(self, item, _previous=None) -> None:
        from html import escape

        if item is None:
            self.problem_detail.setText("")
            return
        severity, where, message, text = (item.text(i) for i in range(4))
        html = f"<b>{escape(where)}</b> ({escape(severity)}): {escape(message)}"
        if text:
            html += f"<br><i>Đoạn văn: «{escape(text)}»</i>"
        self.problem_detail.setText(html)

    def repair(self, out: Path | None = None) -> Path | None:
        info = self.current()
        if info is None or info.builtin:
            return None
        if out is None:
            suggested = info.docx.with_name(info.docx.stem + "_da_sua.docx")
            name, _ = QFileDialog.getSaveFileName(self, "Lưu bản đã sửa thẻ bị tách", str(suggested),
                                                  "Tệp Word (*.docx)")
            if not name:
                return None
            out = Path(name)
        try:
            n = repair_split_tags(info.docx, out)
        except ValueError:
            QMessageBox.warning(self, "Không sửa được", "Hãy lưu bản đã sửa thành một tệp khác tệp gốc.")
            return None
        except Exception as exc:  # noqa: BLE001 - shown to the user, a bug with its log
            from ui import prompts

            prompts.show_failure(self, "Không sửa được", exc)
            return None
        self._status(f"Đã sửa {n} thẻ bị tách; bản đã sửa: {out}")
        self.check_summary.setText(f"Đã sửa {n} thẻ bị tách vào {out}. Tệp gốc giữ nguyên; kiểm tra "
                                   "bản mới rồi đổi tên nó thành tệp của mẫu nếu muốn dùng.")
        return out

    def preview(self) -> None:
        info = self.current()
        if info is None or self.busy:
            return
        report = previous = None
        host = host_of(self.main_window)
        if host is not None:
            current = host.current_report()
            if current.values:
                report = current.copy()
                previous = host.previous.copy() if host.previous is not None else None
        which = "báo cáo đang mở" if report is not None else "báo cáo mẫu"
        self._set_busy(True, f"Đang xuất thử {which} bằng mẫu “{info.name}”…")
        docx = info.docx

        def work(_progress):
            from app.templates.preview import render_preview

            return render_preview(docx, report, previous)

        def done(result, error) -> None:
            self._set_busy(False)
            self.show_preview(result, error, which)

        run_in_background(work, done)

    def show_preview(self, result, error=None, which: str = "báo cáo mẫu") -> None:
        self.tabs.setCurrentIndex(1)
        while self.pages_layout.count():
            w = self.pages_layout.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        if error is not None:
            self.preview_note.setText(f"Không xuất thử được: {error}")
            return
        self.last_preview = result
        note = f"Đã xuất thử {which}: {result.docx}"
        if getattr(result, "problems", ""):
            note = f"{result.problems} {note}"
        if result.pages:
            note += f" — {len(result.pages)} trang."
        elif result.note:
            note += f". {result.note}"
        self.preview_note.setText(note)
        for page in result.pages:
            label = QLabel()
            pix = QPixmap(str(page))
            label.setPixmap(pix)
            label.setFixedSize(pix.size() + QSize(14, 14))  # the scroll area must not squeeze it
            label.setStyleSheet("border: 1px solid #999; background: white; margin: 6px;")
            self.pages_layout.addWidget(label)
        if not result.pages:
            self._open(result.docx)

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self.busy = busy
        for b in (self.b_check, self.b_preview, self.b_repair, self.b_duplicate):
            b.setEnabled(not busy)
        if busy:
            self.check_summary.setText(message) if "kiểm tra" in message else self.preview_note.setText(message)
            self._status(message)
        else:
            info = self.current()
            self.b_repair.setEnabled(info is not None and not info.builtin)
