"""The window's style sheet: quiet colours, findings marked on the inputs. Widgets are styled by
object name or property here rather than by a style sheet of their own, which Qt would parse
once per widget (a page of the form would take twice as long to build)."""

STYLE = """
QLabel#pageTitle { font-size: 13pt; font-weight: 600; color: #1a3a5c; padding-bottom: 2px; }
QLabel#subTitle { font-weight: 600; color: #1a3a5c; padding-top: 8px; }
QLabel#documentPreview { background: #f4f6f8; border: 1px solid #d9dee3; padding: 6px; }
QLineEdit[severity="error"], QLineEdit[invalid="true"] { border: 1px solid #c62828; background: #fff4f4; }
QLineEdit[severity="warning"] { border: 1px solid #c77700; background: #fff9ec; }
QLineEdit[explained="true"] { background: #f3faf3; }
QLabel[muted="true"] { color: #5f6368; }
QLabel#inputProblem { color: #b71c1c; }
QListWidget#navigator { font-size: 10pt; }
QListWidget#navigator::item { padding: 5px 4px; }
QListWidget#navigator::item:selected { background: #1a3a5c; color: white; }
"""
