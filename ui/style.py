"""The window's style sheet: quiet colours, findings marked on the inputs."""

STYLE = """
QLabel#pageTitle { font-size: 13pt; font-weight: 600; color: #1a3a5c; padding-bottom: 2px; }
QLabel#subTitle { font-weight: 600; color: #1a3a5c; padding-top: 8px; }
QLabel#documentPreview { background: #f4f6f8; border: 1px solid #d9dee3; padding: 6px; }
QLineEdit[severity="error"], QLineEdit[invalid="true"] { border: 1px solid #c62828; background: #fff4f4; }
QLineEdit[severity="warning"] { border: 1px solid #c77700; background: #fff9ec; }
QLineEdit[explained="true"] { background: #f3faf3; }
QListWidget#navigator { font-size: 10pt; }
QListWidget#navigator::item { padding: 5px 4px; }
QListWidget#navigator::item:selected { background: #1a3a5c; color: white; }
"""
