#!/usr/bin/env bash
# Run the frozen one-folder bundle and check it works as the source does.
#
#   bash tools/frozen_check.sh           # uses dist/BaoCaoCCHC, builds it first if missing
#   bash tools/frozen_check.sh --build   # rebuilds with pyinstaller.spec first
#
# 1. the editor: `BaoCaoCCHC --terminate-after-init` offscreen (shows the main window, exits 0);
# 2. the console executable: `cchc sample` then `cchc export --docx --xlsx`; both outputs must
#    open with python-docx and openpyxl, and the Word text must hold Vietnamese number formats
#    ("1.675", "97,37%") — Babel's vi locale data made it into the bundle;
# 3. a template with a figure exported by `cchc export` (matplotlib, Agg, in the bundle);
# 4. prints the bundle size and cold-start timings, frozen vs source (median of RUNS=11), and
#    fails when the frozen start is more than 10 % slower (STRICT_TIMING=0 only reports it).
#    Source runs use compiled bytecode, as an installed program does (compiled first).
# Settings and data go to a temporary folder (CCHC_CONFIG_DIR, CCHC_DATA_DIR): the check never
# touches the user's own. Exit 0 when every check passed.
set -uo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-$(command -v python3 >/dev/null 2>&1 && echo python3 || echo python)}
STRICT_TIMING=${STRICT_TIMING:-1}  # 0: report the start times but do not fail on them
BUNDLE=dist/BaoCaoCCHC
RUNS=${RUNS:-11}
EXE=""  # ".exe" under Git Bash on Windows (the CI runs this script there too)
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) EXE=.exe ;; esac
[ "${1:-}" = "--build" ] || [ ! -e "$BUNDLE/cchc$EXE" ] && { bash tools/build_frozen.sh || exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
export CCHC_CONFIG_DIR="$work/config" CCHC_DATA_DIR="$work/data"
mkdir -p "$CCHC_CONFIG_DIR" "$CCHC_DATA_DIR"
failed=0
ok()   { echo "  OK    $*"; }
fail() { echo "  FAIL  $*"; failed=1; }

echo "== Bundle $BUNDLE"
echo "  size: $(du -sm "$BUNDLE" | cut -f1) MB on disk," \
     "$(du -sm --apparent-size "$BUNDLE" | cut -f1) MB of files," \
     "$(find "$BUNDLE" -type f | wc -l) files"

echo "== Editor: BaoCaoCCHC --terminate-after-init (offscreen)"
if timeout 120 "$BUNDLE/BaoCaoCCHC$EXE" --terminate-after-init >"$work/gui.log" 2>&1; then
  ok "the main window opened and the program exited 0"
else
  fail "exit $? — output:"; sed 's/^/        /' "$work/gui.log" | tail -20
fi

echo "== Command line: cchc sample + export"
if "$BUNDLE/cchc$EXE" sample --out "$work/mau.cchc" >"$work/cli.log" 2>&1 \
   && "$BUNDLE/cchc$EXE" export "$work/mau.cchc" --docx "$work/bao-cao.docx" \
        --xlsx "$work/phu-luc.xlsx" >>"$work/cli.log" 2>&1; then
  ok "sample and export exited 0"
else
  fail "exit $? — output:"; sed 's/^/        /' "$work/cli.log" | tail -20
fi
if "$PYTHON" tools/check_export.py "$work/bao-cao.docx" "$work/phu-luc.xlsx"
then ok "both open (python-docx, openpyxl); \"1.675\" and \"97,37%\" are in the Word text"
else fail "the exported files are wrong (above)"
fi

echo "== Word figure: cchc export --template (a template with {{ bieu_do.ho_so_theo_kenh }})"
if "$PYTHON" - "$work/mau_bieu_do.docx" <<'EOF'
import sys

import docx

from app.paths import default_template

doc = docx.Document(str(default_template()))
doc.add_paragraph("{{ bieu_do.ho_so_theo_kenh }}")
doc.save(sys.argv[1])
EOF
then
  if "$BUNDLE/cchc$EXE" export "$work/mau.cchc.json" --docx "$work/bieu-do.docx" \
       --template "$work/mau_bieu_do.docx" >"$work/fig.log" 2>&1 \
     && "$PYTHON" -c 'import sys, docx; d = docx.Document(sys.argv[1]); t = "\n".join(p.text for p in d.paragraphs); sys.exit(0 if len(d.inline_shapes) == 1 and "Biểu đồ 1." in t else 1)' "$work/bieu-do.docx"; then
    ok "matplotlib drew the figure in the bundle; caption “Biểu đồ 1.” in the text"
  else
    fail "no figure — output:"; sed 's/^/        /' "$work/fig.log" | tail -20
  fi
else fail "could not write the figure template"
fi

# The history store: Alembic's migrations are data files in the bundle, SQLAlchemy and psycopg
# load their drivers by name — a store made, a workbook imported and consolidated from it.
echo "== History store: cchc intake + import + consolidate --from-store + store status"
stores=("$work/kho.sqlite3")
[ -n "${CCHC_TEST_PG_URL:-}" ] && stores+=("$CCHC_TEST_PG_URL")  # tools/test_postgres.sh
"$BUNDLE/cchc$EXE" intake --unit "Sở Tư pháp" --level so_nganh --period nam --year 2025 \
  --out "$work/phieu.xlsx" >"$work/store.log" 2>&1
for store in "${stores[@]}"; do
  if "$BUNDLE/cchc$EXE" store status --store "$store" >>"$work/store.log" 2>&1 \
     && "$BUNDLE/cchc$EXE" store backup --store "$store" --out "$work/sao-luu.jsonl" >>"$work/store.log" 2>&1 \
     && grep -q "Cấu trúc: .*(mới nhất)" "$work/store.log"; then
    ok "store status and backup on ${store%%://*}"
  else
    fail "the store does not work from the bundle (${store%%://*}) — output:"
    sed 's/^/        /' "$work/store.log" | tail -20
  fi
done
# an empty workbook is refused by name (exit 1) and recorded: the import path runs end to end
"$BUNDLE/cchc$EXE" import "$work/phieu.xlsx" --store "$work/kho.sqlite3" --period nam --year 2025 \
  >>"$work/store.log" 2>&1
if [ $? = 1 ] && grep -q "phieu.xlsx" "$work/store.log" \
   && "$BUNDLE/cchc$EXE" store status --store "$work/kho.sqlite3" | grep -q "Tệp bị từ chối: 1"; then
  ok "import refuses an empty workbook by name and records it"
else
  fail "import from the bundle — output:"; sed 's/^/        /' "$work/store.log" | tail -20
fi

# Cold start: a fresh process each time, to the main window shown and back (median of RUNS).
echo "== Cold start, --terminate-after-init, median of $RUNS"
"$PYTHON" -m compileall -q app ui >/dev/null
if "$PYTHON" - "$RUNS" "$BUNDLE/BaoCaoCCHC$EXE" "$PYTHON" <<'EOF'
import statistics
import subprocess
import sys
import threading
import time

runs, frozen_exe, python = int(sys.argv[1]), sys.argv[2], sys.argv[3]


def timed(cmd):
    # a blocking wait: subprocess.run(timeout=…) polls in steps of up to 50 ms, too coarse here
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    guard = threading.Timer(120, proc.kill)
    guard.start()
    proc.wait()
    guard.cancel()
    return time.perf_counter() - t0


frozen_cmd = [frozen_exe, "--terminate-after-init"]
source_cmd = [python, "-m", "app", "--terminate-after-init"]
timed(frozen_cmd), timed(source_cmd)  # warm the file cache
frozen, source = [], []
for _ in range(runs):  # alternately, so that a busy moment of the machine hits both
    frozen.append(timed(frozen_cmd))
    source.append(timed(source_cmd))
f, s = statistics.median(frozen), statistics.median(source)
print(f"  frozen {f * 1000:.0f} ms, source {s * 1000:.0f} ms"
      f" (runs: frozen {' '.join(f'{t * 1000:.0f}' for t in frozen)};"
      f" source {' '.join(f'{t * 1000:.0f}' for t in source)})")
# "No slower": allow 10 % for the noise of a machine shared with other work.
sys.exit(0 if f <= s * 1.10 else 1)
EOF
then ok "frozen is no slower than source"
elif [ "$STRICT_TIMING" = 0 ]; then echo "  NOTE  frozen start is slower than from source (not checked here)"
else fail "frozen start is slower than from source"
fi

[ "$failed" = 0 ] && echo "Frozen check passed." || echo "Frozen check FAILED."
exit "$failed"
