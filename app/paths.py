"""Where shipped files live, from source and inside a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def bundle_root() -> Path:
    """The folder holding `report_templates/` and `resources/`: the repository from source,
    the unpacked bundle (`sys._MEIPASS`) when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def builtin_templates_dir() -> Path:
    return bundle_root() / "report_templates"


def default_template() -> Path:
    return builtin_templates_dir() / "default" / "bao_cao.docx"


def resources_dir() -> Path:
    return bundle_root() / "resources"
