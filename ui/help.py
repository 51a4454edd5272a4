"""Help → Hướng dẫn (how to draft a report, step by step) and Giới thiệu (version, folders)."""

from __future__ import annotations

import sys
from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__
from app.paths import builtin_templates_dir
from app.settings import config_dir, data_dir, history_path, recovery_dir

GUIDE = """
<h2>Soạn báo cáo kết quả cải cách hành chính</h2>
<h3>1. Thông tin cơ quan (một lần)</h3>
<p>Lần đầu mở chương trình, hãy chọn <b>loại cơ quan</b> (Ủy ban nhân dân tỉnh, Sở, Ủy ban nhân
dân xã…), tỉnh, tên cơ quan, cơ quan chủ quản, chữ viết tắt và người ký. Chương trình điền sẵn
ký hiệu văn bản (ví dụ BC-SNV), khối chữ ký, nơi gửi và nơi nhận vào mỗi báo cáo mới. Sửa lại
bất cứ lúc nào ở <b>Tệp → Cài đặt</b>.</p>
<h3>2. Tạo báo cáo</h3>
<p><b>Tệp → Báo cáo mới</b> (Ctrl+N): chọn kỳ báo cáo và năm. Trang <b>Thông tin văn bản</b>
chứa số, ký hiệu, địa danh, ngày ban hành, nơi gửi, nơi nhận và người ký — một báo cáo chính
thức phải có đủ các mục này.</p>
<h3>3. Nhập số liệu</h3>
<p>Mỗi lĩnh vực cải cách có một trang ở cột bên trái. Số viết theo kiểu Việt Nam: dấu chấm phân
cách hàng nghìn (1.675), dấu phẩy thập phân (97,37). <b>Ô để trống là “chưa báo cáo”, khác với
số 0.</b> Ô có chữ không phải số được tô đỏ và <b>không có giá trị</b> cho đến khi sửa lại.</p>
<h3>4. Kiểm tra và giải trình</h3>
<p>Bảng <b>Kiểm tra số liệu</b> bên phải liệt kê lỗi, cảnh báo và thông tin; bấm vào một dòng để
đến ô liên quan. Lỗi phải sửa; cảnh báo thì sửa hoặc viết <b>giải trình</b> ngay dưới ô. Giải
trình được đưa vào báo cáo Word (sau đoạn văn của lĩnh vực) và vào cột “Ghi chú” của phụ lục.</p>
<h3>5. So sánh với cùng kỳ</h3>
<p><b>Tệp → So sánh với…</b>: chọn báo cáo cùng kỳ năm trước của chính cơ quan mình. Chọn nhầm
báo cáo của cơ quan khác hay kỳ khác sẽ có cảnh báo.</p>
<h3>6. Nội dung báo cáo</h3>
<p>Trang <b>Nội dung báo cáo</b> có ô cho từng mục của đề cương (ưu điểm, hạn chế, phương
hướng…). Các đoạn cách nhau bởi một dòng trống.</p>
<h3>7. Xuất báo cáo</h3>
<p><b>Tệp → Xuất báo cáo</b> (Ctrl+E) tạo báo cáo Word theo Nghị định 30 và phụ lục Excel. Khi
còn lỗi hoặc cảnh báo chưa giải trình, chỉ xuất được <b>bản dự thảo</b>, có chữ “DỰ THẢO” ở
mọi trang. Tệp đã có sẽ được hỏi trước khi ghi đè.</p>
<h3>8. Tổng hợp số liệu các đơn vị</h3>
<p>Menu <b>Tổng hợp</b>: lập danh sách đơn vị, tạo phiếu số liệu Excel gửi đơn vị, nhận các
phiếu và tệp báo cáo đơn vị gửi về, xem tình hình nộp, rồi <b>tổng hợp</b> thành một báo cáo
mới. Báo cáo đang mở được hỏi lưu trước.</p>
<h3>9. Lưu và khôi phục</h3>
<p>Báo cáo được lưu thành tệp <b>.cchc</b> (nháy đúp để mở). Chương trình tự động lưu bản nháp;
nếu máy tắt đột ngột, lần mở sau sẽ đề nghị khôi phục.</p>
"""


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Hướng dẫn — {APP_NAME}")
        self.resize(760, 620)
        lay = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setObjectName("helpText")
        self.text.setHtml(GUIDE)
        lay.addWidget(self.text)
        buttons = QDialogButtonBox()
        buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


def about_text() -> str:
    rows = [
        ("Phiên bản", __version__),
        ("Cài đặt", str(config_dir())),
        ("Dữ liệu (kho lịch sử, danh sách đơn vị)", str(data_dir())),
        ("Kho lịch sử", str(history_path())),
        ("Bản nháp tự động lưu", str(recovery_dir())),
        ("Mẫu báo cáo có sẵn", str(builtin_templates_dir())),
        ("Chương trình", str(sys.executable)),
    ]
    table = "".join(f"<tr><td><b>{escape(k)}:</b></td><td>{escape(v)}</td></tr>"
                    for k, v in rows)
    return (f"<h3>{escape(APP_NAME)}</h3><p>Soạn báo cáo kết quả cải cách hành chính theo Nghị "
            f"định 30/2020/NĐ-CP: nhập và kiểm tra số liệu, xuất báo cáo Word và phụ lục Excel, "
            f"tổng hợp số liệu các đơn vị.</p><table cellspacing='4'>{table}</table>")


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Giới thiệu — {APP_NAME}")
        self.setMinimumWidth(620)
        lay = QVBoxLayout(self)
        self.label = QLabel(about_text())
        self.label.setObjectName("aboutText")
        self.label.setWordWrap(True)
        self.label.setProperty("textInteractionFlags", "TextSelectableByMouse")
        lay.addWidget(self.label)
        buttons = QDialogButtonBox()
        buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
