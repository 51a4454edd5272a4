"""Modules the program imports by name (importlib), which PyInstaller's bytecode scan cannot see:
the command modules of `app.cli.SUBCOMMANDS` and the editor's optional menus
(`ui.main_window.EXTENSION_MENUS`). pyinstaller.spec lists them as hidden imports; without them the
frozen `cchc.exe` fails on every command and the editor silently loses its "Tổng hợp" and
"Mẫu báo cáo" menus (both seen under wine by tools/windows_smoke.sh).

Read from the sources without importing them (no Qt in the spec)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _constant(path: Path, name: str):  # noqa: ANN202 - a literal
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return ast.literal_eval(node.value)
    raise LookupError(f"{name} is not a literal at the top of {path}")


def dynamic_imports(root: Path = ROOT) -> list[str]:
    commands = _constant(root / "app" / "cli" / "__init__.py", "SUBCOMMANDS").values()
    menus = [module for _title, module in _constant(root / "ui" / "main_window.py", "EXTENSION_MENUS")]
    return sorted(set(commands) | set(menus))


if __name__ == "__main__":
    print("\n".join(dynamic_imports()))
