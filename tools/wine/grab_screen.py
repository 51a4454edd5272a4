"""Save the whole X screen ($DISPLAY) as a PNG: the Windows editor running under wine, seen from
Linux (PySide6 on the xcb platform).   QT_QPA_PLATFORM=xcb python3 grab_screen.py OUT.png"""

import sys

from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
shot = app.primaryScreen().grabWindow(0)
if not shot.save(sys.argv[1]):
    sys.exit(f"could not write {sys.argv[1]}")
print(f"  screenshot {shot.width()}×{shot.height()} → {sys.argv[1]}")
