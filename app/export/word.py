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
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.model import Report
from app.paths import default_template

# Limits of one render (module attributes so tests can lower them). Time, memory and file size
# are enforced by the child process (app.templates.runner); these are checked inside it.
RENDER_TIMEOUT_S = 10.0
MAX_XML_BYTES = 20 * 1024 * 1024
MAX_PARAGRAPHS = 5000
MAX_OUTPUT_CHARS = 20 * 1024 * 1024  # text produced by {{ … }} expressions
MAX_SEQUENCE = 1_000_000  # longest string or list a template may build with *
MAX_EXPONENT = 64

# The filters a template may use: text and list helpers, and the Vietnamese number forms.
# Filters that write numbers the foreign way (round, format, filesizeformat…) or can make huge
# text in one C call (center, indent, wordwrap…) are not there.
ALLOWED_FILTERS = ("abs", "capitalize", "count", "d", "default", "first", "join", "last",
                   "length", "lower", "max", "min", "replace", "reverse", "rejectattr",
                   "selectattr", "sort", "sum", "title", "trim", "unique", "upper", "map")
# Jinja helpers a report never needs (lipsum writes Latin text).
REMOVED_GLOBALS = ("lipsum", "cycler", "joiner")

PROP_TEMPLATE_NAME = "CCHC.MauBaoCao"
PROP_TEMPLATE_VERSION = "CCHC.PhienBanMau"
PROP_TEMPLATE_HASH = "CCHC.MaMau.SHA256"
PROP_FIGURES_HASH = "CCHC.MaSoLieu.SHA256"
PROP_APP_VERSION = "CCHC.PhienBanChuongTrinh"


class TemplateRenderError(UserError):
    """A template could not be rendered; str() is a Vietnamese line naming the problem."""


class TemplateProblemsError(TemplateRenderError):
    """The field check found errors in the template: a final export is refused (a draft is
    written when the errors do not stop the render). `problems`: the message, then one line
    per problem with its place. `draft_possible`: a draft export would go through."""

    draft_possible = False


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


def vn_number(value, places: int = 2) -> str:
    """The `|vn` filter: a number written the Vietnamese way ("6.285", "97,4"); text as it is."""
    from app.formatting import MISSING, format_decimal

    if value is None or _is_undefined(value):
        return MISSING
    if isinstance(value, bool):
        raise TemplateValueError("bộ lọc |vn dùng cho số, không dùng cho giá trị đúng/sai")
    if isinstance(value, int | float):
        return format_decimal(value, max(0, min(int(places), 6)))
    return value


def vn_percent(value, places: int = 2) -> str:
    """The `|phan_tram` filter: 97.365 → "97,37%"."""
    from app.formatting import MISSING, format_percent

    if value is None or _is_undefined(value):
        return MISSING
    if isinstance(value, bool) or not isinstance(value, int | float):
        if isinstance(value, str):
            return value  # already written ("97,37%")
        raise TemplateValueError("bộ lọc |phan_tram dùng cho số")
    return format_percent(value, max(0, min(int(places), 6)))


def _is_undefined(value) -> bool:
    from jinja2 import Undefined

    return isinstance(value, Undefined)


class TemplateValueError(Exception):
    """A template printed something a report cannot show (a list, a dict, a yes/no); str() is
    Vietnamese. Raised inside the render; turned into TemplateRenderError with the place."""


def sandboxed_environment(output_budget: list[int] | None = None,
                          holes: set[str] | None = None):
    """Jinja with no access to Python internals, files, imports or methods of Python values
    (no `'{:,}'.format`, no `.center()`), a short list of filters, and autoescaping on so that
    user text with &, <, > comes out literally in the document.

    What a {{ … }} prints is typed: text as it is; a number the Vietnamese way; a list, a dict
    or a yes/no stops the render (TemplateValueError). An unknown name prints "…", like an
    unreported figure. `output_budget` ([characters left]) is decremented by every output."""
    from collections.abc import Mapping

    from jinja2 import Undefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

    from app.formatting import MISSING, format_decimal

    class Missing(Undefined):
        __slots__ = ()

        def __str__(self) -> str:
            return MISSING

    plain_types = (str, bytes, int, float, complex, list, tuple, dict, set, frozenset)

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset(["**", "*", "%"])

        def wrap_str_format(self, value):
            return None  # str.format and format_map are refused like every other str method

        def is_safe_attribute(self, obj, attr, value):
            if isinstance(obj, plain_types):
                return False  # methods of text, numbers and lists: not for templates
            return super().is_safe_attribute(obj, attr, value)

        def getattr(self, obj, attribute):
            if isinstance(obj, Mapping) and isinstance(attribute, str):
                if attribute in obj:
                    return obj[attribute]
                return self.undefined(obj=obj, name=attribute)
            return super().getattr(obj, attribute)

        def unsafe_undefined(self, obj, attribute):
            if isinstance(obj, plain_types):
                raise SecurityError(
                    f"“.{attribute}” là lệnh của Python, không dùng được trong mẫu (số viết "
                    "bằng bộ lọc |vn hoặc |phan_tram)")
            raise SecurityError(
                f"truy cập “{attribute}” của đối tượng {type(obj).__name__} không được phép")

        def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
            if raw or not isinstance(source, str):
                return super().compile(source, name, filename, raw, defer_init)
            return _compiled(source, name, filename, defer_init,
                             lambda: super(Sandbox, self).compile(source, name, filename, raw,
                                                                  defer_init))

        def call_binop(self, context, operator, left, right):
            if operator == "**":
                if isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                    raise SecurityError(f"lũy thừa quá lớn (số mũ {right})")
            elif operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if (isinstance(seq, str | list | tuple) and isinstance(n, int)
                            and len(seq) * n > MAX_SEQUENCE):
                        raise SecurityError("chuỗi tạo ra quá dài")
            elif operator == "%" and isinstance(left, str):
                raise SecurityError("định dạng chữ bằng “%” không dùng được; số viết bằng bộ "
                                    "lọc |vn hoặc |phan_tram")
            return super().call_binop(context, operator, left, right)

    def finalize(value):
        if holes is not None and isinstance(value, str) and getattr(value, "hole_of", None):
            holes.add(value.hole_of)  # a {{ KEY }} not reported: printed "…", named afterwards
        if isinstance(value, bool):
            raise TemplateValueError(
                "in ra giá trị đúng/sai; trường này chỉ dùng trong điều kiện {% if … %}")
        if isinstance(value, int | float):
            value = format_decimal(value, 2)
        elif isinstance(value, Mapping):
            raise TemplateValueError("in ra cả một nhóm trường; hãy chọn một trường trong nhóm "
                                     "(ví dụ nguoi_ky.ho_ten)")
        elif isinstance(value, list | tuple | set | frozenset):
            raise TemplateValueError("in ra cả một danh sách; dùng dạng nối sẵn “…_dong” hoặc "
                                     "vòng lặp {%p for … %}")
        if output_budget is not None and value is not None:
            output_budget[0] -= len(str(value))
            if output_budget[0] < 0:
                raise TemplateValueError(
                    f"tạo ra quá nhiều chữ (hơn {MAX_OUTPUT_CHARS // 1_000_000} triệu ký tự) nên đã "
                    "bị dừng; hãy xem lại vòng lặp")
        return value

    env = Sandbox(autoescape=True, finalize=finalize, undefined=Missing)
    env.filters = {name: env.filters[name] for name in ALLOWED_FILTERS}
    env.filters["vn"] = vn_number
    env.filters["phan_tram"] = vn_percent
    for name in REMOVED_GLOBALS:
        env.globals.pop(name, None)
    return env


CODE_CACHE_KEEP = 64  # compiled template parts kept on disk


def _compiled(source: str, name: str | None, filename: str | None, defer_init: bool,
              compile_now: Callable[[], Any]) -> Any:
    """The Python code Jinja makes of a template part, kept on disk by the part's text: a
    render (a fresh child process each time) then skips Jinja's parser and code generator for
    the parts it has seen (about a third of a render). The code comes from this same sandboxed
    environment, so a cached part runs under the same checks; anything wrong with the cache
    (missing, unreadable, other Python) just compiles again."""
    import marshal
    import sys

    import jinja2

    from app.files import cached_bytes, keep_cached
    from app.settings import data_dir

    key = hashlib.sha256("\0".join((
        "sandbox-1", jinja2.__version__, sys.version, str(name), str(filename), str(defer_init),
        source)).encode("utf-8", "surrogatepass")).hexdigest()
    folder = data_dir() / "template-cache"
    kept = cached_bytes(folder, f"{key}.code")
    if kept is not None:
        try:
            return marshal.loads(kept)
        except (ValueError, EOFError, TypeError):
            pass
    code = compile_now()
    keep_cached(folder, f"{key}.code", marshal.dumps(code), CODE_CACHE_KEEP)
    return code


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


RENDER_JOB = "app.export.word:render_job"


def _render_limits():
    from app.templates.runner import Limits

    return Limits(wall_s=RENDER_TIMEOUT_S)


def prestart_render(template: str | os.PathLike[str] | None = None,
                   report: Report | None = None, previous: Report | None = None) -> None:
    """Start the render child ahead (an export dialog opening, an export command starting): its
    start-up then overlaps the user's choices or the loading of the report. A template that
    names figures gets its drawing child started too, unless the report's pictures are all
    kept from an earlier export."""
    from app.templates.runner import prestart

    prestart(RENDER_JOB, _render_limits())
    if template is not None:
        from app.export.figures import prestart_drawing

        try:
            prestart_drawing(resolve_template(template), report, previous)
        except (UserError, OSError):
            pass  # the export itself reports a template it cannot use


def render_docx(report: Report, out: str | os.PathLike[str], template=None,
                previous: Report | None = None, draft: bool = False,
                meanwhile: Callable[[], None] | None = None) -> list[str]:
    """Write the Word report. The template is checked (fields, active content) and rendered in
    a child process under hard limits (app.templates.runner); errors of the check refuse a
    final export (TemplateProblemsError). Returns the check's warnings, one line each.

    `meanwhile` runs here while the child works (the export writes the annex then)."""
    from app.export.figures import Drawing, charts_for, kept_or_placeholders, put_pictures
    from app.templates.runner import limited_call

    path = resolve_template(template)
    if not path.is_file():
        raise TemplateRenderError(f"{path}: không tìm thấy mẫu báo cáo.")
    limits = _render_limits()
    # {{ bieu_do.… }}: the pictures are drawn by trusted code in a drawing child (matplotlib
    # never runs under the template's limits, nor in this program), while the render child lays
    # out the document around placeholders of the same size; each is then replaced by its drawing
    pictures, to_draw = kept_or_placeholders(charts_for(report, previous, path))
    drawing = Drawing(to_draw)
    try:
        call = limited_call(RENDER_JOB, limits, what=f"mẫu “{path.name}”")
        call.send(report, str(out), str(path), previous, draft, True, pictures)
        try:
            if meanwhile is not None:
                meanwhile()
        except BaseException:
            call.cancel()
            raise
        warnings = call.wait()
        written = Path(out).stat().st_size if Path(out).exists() else 0
        if written > limits.output_mb * 1024 * 1024:
            Path(out).unlink()
            raise TemplateRenderError(f"{path.name}: văn bản tạo ra lớn hơn {limits.output_mb} MB "
                                      "nên đã bị dừng.")
        drawn = drawing.finish()
    except BaseException:
        drawing.cancel()
        raise
    put_pictures(out, drawn)
    return warnings


def child_preload() -> None:
    """What a render child imports before its job arrives (app.templates.runner)."""
    import docxtpl  # noqa: F401

    import app.export.context  # noqa: F401
    import app.templates.library  # noqa: F401
    import app.templates.lint  # noqa: F401
    import app.templates.package  # noqa: F401
    from app.catalog import load_catalog

    load_catalog()  # read once, before the clock of the job starts
    from app.export.clauses import load_book

    load_book()  # the built-in clause wording too


def render_job(report: Report, out: str, template: str, previous: Report | None, draft: bool,
               check_fields: bool, pictures: dict[str, bytes] | None = None) -> list[str]:
    """The render itself, in the limited child process: package scan, field check, render,
    output checks, properties, save. Returns the field check's warnings."""
    from docxtpl import DocxTemplate

    from app import __version__
    from app.export.context import build_context
    from app.export.figures import bind_figures
    from app.templates.library import info_for_docx
    from app.templates.lint import (
        CheckResult,
        document_parts,
        explain_render_error,
        lint_parts,
        locate_render_error,
        open_document,
        rendered_parts,
    )
    from app.templates.package import active_content_message, scan_package

    path = Path(template)
    scan = scan_package(path)
    if scan.active:  # never copied into a report, draft or not
        raise TemplateProblemsError(active_content_message(path.name, scan.active))
    from app.export.clauses import ClauseFileError, clause_file_for

    try:  # the package's own clause wording (cau_van.toml), else the built-in one
        context = build_context(report, previous, draft, clause_file=clause_file_for(path))
    except ClauseFileError as exc:
        raise TemplateRenderError(f"{path.name}: tệp câu văn không dùng được: {exc}") from None
    budget = [MAX_OUTPUT_CHARS]
    holes: set[str] = set()
    env = sandboxed_environment(budget, holes)
    doc = DocxTemplate(str(path))
    bind_figures(context, doc, pictures)  # {{ bieu_do.… }} places its picture in this document
    open_document(path, lambda: doc.get_docx())  # an unreadable file: one line
    parts = document_parts(doc.get_docx())
    warnings: list[str] = []
    if check_fields:
        found = CheckResult(path)
        lint_parts(parts, context, env, found)
        errors = found.errors
        # a template that does not compile (syntax, unknown filter) or reaches for internals
        # cannot be rendered at all, not even as a draft
        stopping = [p for p in errors if p.kind in ("syntax", "filter", "security")]
        if stopping or (errors and not draft):
            lines = [p.line() for p in errors]
            what = "không xuất được" if stopping else "chỉ xuất được bản dự thảo"
            head = f"{path.name}: mẫu có {len(errors)} lỗi nên {what}"
            error = TemplateProblemsError(f"{head}: " + "; ".join(lines),
                                          problems=[f"{head}:", *lines])
            error.draft_possible = not stopping
            raise error
        warnings = [p.line() for p in found.problems]
    try:
        doc.render(context, jinja_env=env, autoescape=True)
    except Exception as exc:  # noqa: BLE001 - every failure of a template is explained
        budget[0] = MAX_OUTPUT_CHARS
        problem = locate_render_error(rendered_parts(parts), context, env)
        if problem is not None:
            raise TemplateRenderError(f"{path.name}: {problem.line()}") from None
        raise TemplateRenderError(f"{path.name}: {explain_render_error(exc)}") from None

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
    if holes and not draft:
        from app.catalog import load_catalog

        cat = load_catalog()
        names = ", ".join(f"{cat.label(k)} ({{{{ {k} }}}})" for k in sorted(holes))
        warnings.append(f"[cảnh báo] Văn bản chính thức còn {len(holes)} chỗ “…” vì trường của mẫu "
                        f"chưa có số liệu: {names}. Hãy nhập số liệu, hoặc sửa mẫu dùng câu văn tự "
                        f"sinh (cau_van).")
    return warnings
