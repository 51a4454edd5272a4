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
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok")


def test_ui_does_not_use_the_command_line():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py")
                 if "app.cli" in p.read_text("utf-8")]
    assert offenders == []


# ---- the direction of every import: core ← services ← command line / window ← composition root

def _imports(path: Path) -> set[str]:
    """Every app/ui module a file imports, at the top or inside a function."""
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return {n for n in names if n.split(".")[0] in ("app", "ui")}


def _tier(module: str) -> str:
    if module == "app.__main__":
        return "root"
    if module.startswith("ui"):
        return "window"
    if module.startswith("app.cli"):
        return "cli"
    if module.startswith("app.services"):
        return "services"
    return "core"


# what each tier may import: `python -m app` (app/__main__.py) reaches the command line, and the
# editor only through its registered entry point; launch.py, outside app/ and ui/, is the one
# place that names both (the frozen program's entry)
ALLOWED = {
    "core": {"core"},
    "services": {"core", "services"},
    "cli": {"core", "services", "cli"},
    "window": {"core", "services", "window"},
    "root": {"core", "cli"},
}


def test_every_import_points_down_the_layers():
    offenders = []
    for folder in ("app", "ui"):
        for p in sorted((ROOT / folder).rglob("*.py")):
            module = ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            tier = _tier(module)
            for name in sorted(_imports(p)):
                if name in ("app", "ui"):
                    continue
                if _tier(name) not in ALLOWED[tier]:
                    offenders.append(f"{module} ({tier}) imports {name} ({_tier(name)})")
    assert offenders == []


def test_the_layering_check_sees_a_wrong_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from ui.app import run_gui\n    import app.cli.parser\n", "utf-8")
    assert {"ui.app", "ui.app.run_gui", "app.cli.parser"} <= _imports(bad)
    assert _tier("ui.app") not in ALLOWED["core"] and _tier("app.cli.parser") not in ALLOWED["services"]


def test_only_the_frozen_entry_names_both_the_command_line_and_the_window():
    names = _imports(ROOT / "launch.py")
    assert {"app.cli", "ui.launcher"} <= names
