"""The Word report: a docxtpl template rendered in a sandboxed, autoescaping Jinja environment.

Safety (issue 5, item 7): the sandbox refuses Python internals outright (an attempt stops the
render with a message instead of printing an empty string), intercepts `**` and `*` so a
template cannot build astronomically large numbers or strings, and the render runs under a
deadline and size limits — a template that loops for ever or produces an enormous document is
stopped with a Vietnamese message.

Reproducibility (item 6): the exported .docx records, in its custom document properties, the
template name, version and content hash (sha256 of the template file) and a hash of the figures
(canonical JSON of the values, the document fields and the previous period's values), so a past
report can be regenerated and compared.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.model import Report
from app.paths import default_template

# Limits of one render (module attributes so tests can lower them).
RENDER_TIMEOUT_S = 10.0
MAX_XML_BYTES = 20 * 1024 * 1024
MAX_PARAGRAPHS = 5000
MAX_OUTPUT_CHARS = 20 * 1024 * 1024  # text produced by {{ … }} expressions
MAX_SEQUENCE = 1_000_000  # longest string or list a template may build with *
MAX_EXPONENT = 64

PROP_TEMPLATE_NAME = "CCHC.MauBaoCao"
PROP_TEMPLATE_VERSION = "CCHC.PhienBanMau"
PROP_TEMPLATE_HASH = "CCHC.MaMau.SHA256"
PROP_FIGURES_HASH = "CCHC.MaSoLieu.SHA256"
PROP_APP_VERSION = "CCHC.PhienBanChuongTrinh"


class TemplateRenderError(UserError):
    """A template could not be rendered; str() is a Vietnamese line naming the problem."""


class _RenderStopped(BaseException):
    """Raised inside the rendering thread when the deadline passes (BaseException so template
    code cannot swallow it)."""


def resolve_template(template: str | os.PathLike[str] | None) -> Path:
    """A .docx file, or a template folder holding bao_cao.docx (or the Word file its manifest
    names); None → the built-in template."""
    if template is None:
        return default_template()
    p = Path(template)
    if p.is_dir():
        from app.templates.library import read_manifest

        p = read_manifest(p).docx
    return p


def sandboxed_environment(output_budget: list[int] | None = None):
    """Jinja with no access to Python internals, files or imports, and autoescaping on so that
    user text with &, <, > comes out literally in the document.

    `output_budget` ([characters left]) is decremented by every {{ … }} output; the render is
    stopped when it runs out."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["**", "*"])

        def unsafe_undefined(self, obj, attribute):
            raise SecurityError(
                f"truy cập “{attribute}” của đối tượng {type(obj).__name__} không được phép")

        def call_binop(self, context, operator, left, right):
            if operator == "**":
                if isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                    raise SecurityError(f"lũy thừa quá lớn (số mũ {right})")
            elif operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if (isinstance(seq, str | list | tuple) and isinstance(n, int)
                            and len(seq) * n > MAX_SEQUENCE):
                        raise SecurityError("chuỗi tạo ra quá dài")
            return super().call_binop(context, operator, left, right)

    def finalize(value):
        if output_budget is not None and value is not None:
            output_budget[0] -= len(str(value))
            if output_budget[0] < 0:
                raise SecurityError("mẫu tạo ra quá nhiều chữ")
        return value

    return Sandbox(autoescape=True, finalize=finalize)


def _run_with_deadline(fn, seconds: float):
    """Run fn() in a worker thread; past the deadline, raise an exception inside it (the
    template's compiled Python code sees it at its next step) and report a timeout."""
    import ctypes
    import threading

    box: dict[str, Any] = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box["error"] = exc

    worker = threading.Thread(target=target, name="render-docx", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident),
                                                   ctypes.py_object(_RenderStopped))
        worker.join(5)
        raise TemplateRenderError(
            f"mẫu chạy quá {seconds:g} giây nên đã bị dừng (có thể do vòng lặp quá lớn).")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def file_sha256(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _plain(obj):
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                if not f.name.startswith("_") and f.name != "raw"}
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, date | datetime):
        return obj.isoformat()
    return obj


def figures_payload(report: Report, previous: Report | None = None) -> dict[str, Any]:
    """What the figures hash covers: values, document fields, unit and period (and the previous
    period's values when the report is compared with it)."""
    payload = {
        "values": _plain(report.values),
        "document": _plain(report.document),
        "unit": _plain(report.unit),
        "period": _plain(report.period),
    }
    if previous is not None:
        payload["previous_values"] = _plain(previous.values)
    return payload


def figures_sha256(report: Report, previous: Report | None = None) -> str:
    canonical = json.dumps(figures_payload(report, previous), sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def set_custom_properties(document, props: dict[str, str]) -> None:
    """Write string custom document properties (File ▸ Info ▸ Properties ▸ Custom in Word),
    keeping any the template already had."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    package = document.part.package
    existing = None
    for rel in package.rels.values():
        if rel.reltype == _CUSTOM_RT and not rel.is_external:
            existing = rel.target_part
    current: dict[str, str] = {}
    if existing is not None:
        current = _parse_custom(existing.blob)
    current.update(props)
    root = etree.Element(f"{{{_CUSTOM_NS}}}Properties", nsmap={None: _CUSTOM_NS, "vt": _VT_NS})
    for pid, (name, value) in enumerate(current.items(), start=2):
        prop = etree.SubElement(root, f"{{{_CUSTOM_NS}}}property", fmtid=_FMTID, pid=str(pid),
                                name=name)
        etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if existing is not None:
        existing._blob = blob
    else:
        part = Part(PackURI("/docProps/custom.xml"), _CUSTOM_CT, blob, package)
        package.relate_to(part, _CUSTOM_RT)


def _parse_custom(blob: bytes) -> dict[str, str]:
    from lxml import etree

    out: dict[str, str] = {}
    try:
        root = etree.fromstring(blob)
    except etree.XMLSyntaxError:
        return out
    for prop in root.findall(f"{{{_CUSTOM_NS}}}property"):
        name = prop.get("name")
        if name and len(prop):
            out[name] = prop[0].text or ""
    return out


def read_custom_properties(docx: str | os.PathLike[str]) -> dict[str, str]:
    """The custom document properties of a .docx (empty when it has none)."""
    import zipfile

    try:
        with zipfile.ZipFile(docx) as z:
            return _parse_custom(z.read("docProps/custom.xml"))
    except KeyError:
        return {}


def render_docx(report: Report, out: str | os.PathLike[str], template=None,
                previous: Report | None = None, draft: bool = False) -> None:
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError

    from app import __version__
    from app.export.context import build_context
    from app.templates.library import info_for_docx

    path = resolve_template(template)
    if not path.is_file():
        raise TemplateRenderError(f"{path}: không tìm thấy mẫu báo cáo.")
    context = build_context(report, previous, draft)
    budget = [MAX_OUTPUT_CHARS]

    def render() -> DocxTemplate:
        doc = DocxTemplate(str(path))
        doc.render(context, jinja_env=sandboxed_environment(budget), autoescape=True)
        return doc

    try:
        doc = _run_with_deadline(render, RENDER_TIMEOUT_S)
    except TemplateRenderError as exc:
        raise TemplateRenderError(f"{path.name}: {exc}") from None
    except SecurityError as exc:
        raise TemplateRenderError(f"{path.name}: mẫu dùng lệnh không được phép ({exc}).") from None
    except TemplateError as exc:
        raise TemplateRenderError(f"{path.name}: lỗi cú pháp trong mẫu ({exc}).") from None
    except (MemoryError, RecursionError):
        raise TemplateRenderError(f"{path.name}: mẫu tạo ra văn bản quá lớn nên đã bị dừng.") from None
    except Exception as exc:  # noqa: BLE001 - a template expression failed (1/0, wrong types…)
        if type(exc).__name__ in ("PackageNotFoundError", "BadZipFile"):
            raise TemplateRenderError(f"{path.name}: không phải tệp Word (.docx) hợp lệ.") from None
        raise TemplateRenderError(
            f"{path.name}: một biểu thức trong mẫu không tính được ({type(exc).__name__}: {exc}).") from None

    body = doc.docx.element.body
    paragraphs = int(body.xpath("count(.//w:p)"))
    if paragraphs > MAX_PARAGRAPHS:
        raise TemplateRenderError(
            f"{path.name}: mẫu tạo ra {paragraphs} đoạn văn (tối đa {MAX_PARAGRAPHS}) nên đã bị dừng.")
    from lxml import etree

    size = len(etree.tostring(body))
    if size > MAX_XML_BYTES:
        raise TemplateRenderError(
            f"{path.name}: văn bản tạo ra quá lớn ({size // (1024 * 1024)} MB) nên đã bị dừng.")

    info = info_for_docx(path)
    template_hash = file_sha256(path)
    figures_hash = figures_sha256(report, previous)
    set_custom_properties(doc.docx, {
        PROP_TEMPLATE_NAME: info.name,
        PROP_TEMPLATE_VERSION: info.version,
        PROP_TEMPLATE_HASH: template_hash,
        PROP_FIGURES_HASH: figures_hash,
        PROP_APP_VERSION: __version__,
    })
    core = doc.docx.core_properties
    core.version = info.version
    core.comments = (f"Mẫu: {info.name}, phiên bản {info.version}; mã mẫu {template_hash[:12]}; "
                     f"mã số liệu {figures_hash[:12]}")
    doc.save(str(out))
