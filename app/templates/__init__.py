"""Template administration: the template library, the template check, the admins' guide.

The command line (`python -m app template …`) is in app.cli.template_commands.
"""

from __future__ import annotations

from app.templates.library import (
    TemplateInfo,
    TemplateLibraryError,
    annex_layout_for,
    duplicate_template,
    find_template,
    info_for_docx,
    list_templates,
    read_manifest,
    user_template_folder,
)
from app.templates.lint import (
    CheckResult,
    Problem,
    TemplateFileError,
    check_annex_layout,
    check_template,
    repair_split_tags,
)

__all__ = [
    "CheckResult", "Problem", "annex_layout_for", "TemplateFileError", "TemplateInfo", "TemplateLibraryError",
    "check_annex_layout", "check_template", "duplicate_template",
    "find_template", "info_for_docx", "list_templates", "read_manifest", "repair_split_tags",
    "user_template_folder",
]
