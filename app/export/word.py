"""The Word report: a docxtpl template rendered in a sandboxed, autoescaping Jinja environment."""

from __future__ import annotations

import os
from pathlib import Path

from app.model import Report
from app.paths import default_template


class TemplateRenderError(Exception):
    """A template could not be rendered; str() is a Vietnamese line naming the problem."""


def resolve_template(template: str | os.PathLike[str] | None) -> Path:
    """A .docx file, or a template folder holding bao_cao.docx; None → the built-in template."""
    if template is None:
        return default_template()
    p = Path(template)
    if p.is_dir():
        p = p / "bao_cao.docx"
    return p


def sandboxed_environment():
    """Jinja with no access to Python internals, files or imports, and autoescaping on so that
    user text with &, <, > comes out literally in the document."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(autoescape=True)


def render_docx(report: Report, out: str | os.PathLike[str], template=None,
                previous: Report | None = None, draft: bool = False) -> None:
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError

    from app.export.context import build_context

    path = resolve_template(template)
    if not path.is_file():
        raise TemplateRenderError(f"{path}: không tìm thấy mẫu báo cáo.")
    try:
        doc = DocxTemplate(str(path))
        doc.render(build_context(report, previous, draft), jinja_env=sandboxed_environment(),
                   autoescape=True)
    except SecurityError as exc:
        raise TemplateRenderError(f"{path.name}: mẫu dùng lệnh không được phép ({exc}).") from None
    except TemplateError as exc:
        raise TemplateRenderError(f"{path.name}: lỗi cú pháp trong mẫu ({exc}).") from None
    doc.save(str(out))
