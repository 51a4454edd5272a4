#!/usr/bin/env bash
# Build the one-folder bundle with pyinstaller.spec (Linux here, Windows in CI: same spec).
#   bash tools/build_frozen.sh            → dist/BaoCaoCCHC/ (BaoCaoCCHC + cchc executables)
# Prints the bundle's size. Needs `pip install -e .[build]` (PyInstaller).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
# The icon is committed; draw it again only if someone deleted it.
[ -f resources/icon.ico ] || QT_QPA_PLATFORM=offscreen "$PYTHON" tools/make_icon.py

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller pyinstaller.spec
echo "Đã đóng gói dist/BaoCaoCCHC trong $(( $(date +%s) - start )) s," \
     "$(du -sm dist/BaoCaoCCHC | cut -f1) MB."
