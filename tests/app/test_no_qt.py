"""The layering: app/ never imports Qt nor anything from ui/ (import every module of app/ with
both blocked); ui/ reaches the core only through app/ (it never reaches into the command line)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_imports_without_qt():
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "app").rglob("*.py") if p.name != "__main__.py"
    )
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6', 'ui'):\n"
        "            raise ImportError('Qt and ui/ are not allowed in app/: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import importlib\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print('ok', len(sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok")


def test_ui_does_not_use_the_command_line():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py")
                 if "app.cli" in p.read_text("utf-8")]
    assert offenders == []
