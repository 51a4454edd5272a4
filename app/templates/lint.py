"""The template check (`python -m app template check FILE`): every problem with its location.

A Word template is read paragraph by paragraph (body, table cells, page headers and footers), so
every problem can name where it is — "đoạn 12", "bảng 1, hàng 2, cột 1" — and quote the
paragraph. Checks:

- Jinja syntax errors, and blocks ({% if %}, {% for %}) opened and never closed;
- docxtpl rules: a {%p %} / {%tr %} tag alone in its paragraph, {%tr %} only inside a table,
  a tag opened and closed in the same paragraph;
- unknown fields, filters and tests, with the closest known names;
- attempts to reach Python internals (`''.__class__` …), which the sandbox blocks;
- tags Word split across several runs (repairable into a new file: `repair_split_tags`);
- a trial render with the sample report, which must succeed;
- the layout of Nghị định 30: A4, margins, Times New Roman 13–14 pt, the header block.

An annex layout file (.toml) is checked by `app.export.annex_layout.check_layout` when that
module is present.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import UserError

ERROR = "lỗi"
WARNING = "cảnh báo"

TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
DOCXTPL_PREFIX_RE = re.compile(r"(\{[%{#])(p|tr|tc|r)\s")
DOCXTPL_SPECIAL_RE = re.compile(r"\{%\s*(colspan|cellbg)\b.*?%\}|\{%\s*(vm|hm)\s*%\}", re.DOTALL)
BLOCK_OPENERS = {"if", "for", "macro", "call", "filter", "with", "autoescape", "raw", "block"}
# Names a template may use besides the context: Jinja's own globals and loop helpers.
JINJA_NAMES = {"range", "dict", "namespace", "true", "false", "none", "True", "False", "None"}
RISKY_NAMES = {"self"}
# Filters that write numbers the foreign way or make text in bulk: not in the sandbox; the check
# names the Vietnamese replacement.
FOREIGN_FILTERS = {"round", "format", "int", "float", "string", "filesizeformat", "center",
                   "indent", "wordwrap", "truncate", "pprint", "tojson", "xmlattr", "urlize",
                   "batch", "slice", "list", "striptags", "wordcount", "dictsort", "groupby"}
# Methods of Python values (`'{:,}'.format`, `.center()`): not reachable from a template.
PY_METHODS = frozenset(a for t in (str, int, float, list, dict, tuple) for a in dir(t)
                       if not a.startswith("_"))
# Parts docxtpl never renders: a tag there would reach the report as it is.
UNRENDERED_PARTS = ("chú thích cuối văn bản", "ghi chú (comment)")
PAGE_A4 = (210.0, 297.0)
MARGINS_MM = {"trên": (20, 25), "dưới": (20, 25), "trái": (30, 35), "phải": (15, 20)}
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


@dataclass
class Problem:
    severity: str
    location: str
    message: str
    text: str = ""
    kind: str = ""  # syntax, field, filter, type, docxtpl, security, split, render, layout, header, annex

    def line(self) -> str:
        where = f"{self.location}: " if self.location else ""
        quote = f" — «{self.text}»" if self.text else ""
        return f"[{self.severity}] {where}{self.message}{quote}"


@dataclass
class CheckResult:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    rendered: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    def add(self, severity: str, location: str, message: str, text: str = "", kind: str = "",
            focus: str = "") -> None:
        self.problems.append(Problem(severity, location, message, _short(text, focus=focus), kind))


def _short(text: str, limit: int = 90, focus: str = "") -> str:
    """The paragraph's text, shortened around `focus` (the tag or name in question)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    at = text.find(focus) if focus else -1
    if at < 0 or at + len(focus) <= limit - 1:
        return text[: limit - 1] + "…"
    start = max(0, min(at - limit // 3, len(text) - limit + 1))
    end = start + limit - 2
    return "…" + text[start:end] + ("…" if end < len(text) else "")


# ------------------------------------------------------------------ reading the document


@dataclass
class Para:
    part: str  # "thân văn bản", "đầu trang 1" …
    location: str
    element: object  # the w:p element (None for a document property)
    in_table: bool
    fixed: str | None = None  # the text of a document property

    @property
    def text(self) -> str:
        from docx.oxml.ns import qn

        if self.fixed is not None:
            return self.fixed
        return "".join(t.text or "" for t in self.element.iter(qn("w:t"))).replace("\n", " ")


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


def _walk(container, prefix: str, part: str, counters: dict, in_table: bool) -> Iterator[Para]:
    """Paragraphs of a body-like element in document order, with their locations."""
    for child in container.iterchildren():
        if child.tag == _w("p"):
            counters["p"] += 1
            loc = f"{prefix}đoạn {counters['p']}" if not in_table else prefix.rstrip(", ")
            yield Para(part, loc, child, in_table)
        elif child.tag == _w("tbl"):
            counters["t"] += 1
            t_no = counters["t"]
            for r_no, tr in enumerate(child.iterchildren(_w("tr")), start=1):
                for c_no, tc in enumerate(tr.iterchildren(_w("tc")), start=1):
                    cell_paras = list(tc.iterchildren(_w("p")))
                    base = f"{prefix}bảng {t_no}, hàng {r_no}, cột {c_no}"
                    sub = {"p": 0, "t": counters["t"]}
                    for para in _walk(tc, base + ", ", part, sub, True):
                        if len(cell_paras) > 1 and para.location == base:
                            idx = cell_paras.index(para.element) + 1 if para.element in cell_paras else 0
                            para.location = f"{base}, dòng {idx}" if idx else base
                        yield para
                    counters["t"] = sub["t"]
        elif child.tag in (_w("sdt"),):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _walk(content, prefix, part, counters, in_table)


def document_parts(doc) -> list[tuple[str, list[Para]]]:
    """(part name, paragraphs) for the body and every distinct header and footer: docxtpl
    renders each part as a separate template."""
    parts = [("thân văn bản", list(_walk(doc.element.body, "", "thân văn bản", {"p": 0, "t": 0}, False)))]
    seen = set()
    for s_no, section in enumerate(doc.sections, start=1):
        for label, hf in (("đầu trang", section.header), ("đầu trang trang đầu", section.first_page_header),
                          ("đầu trang chẵn", section.even_page_header), ("chân trang", section.footer),
                          ("chân trang trang đầu", section.first_page_footer),
                          ("chân trang chẵn", section.even_page_footer)):
            try:
                if hf.is_linked_to_previous:
                    continue
                el = hf._element
            except Exception:  # noqa: BLE001 - a part python-docx cannot open is skipped
                continue
            if id(el) in seen:
                continue
            seen.add(id(el))
            name = f"{label} (phần {s_no})" if len(doc.sections) > 1 else label
            parts.append((name, list(_walk(el, f"{name}, ", name, {"p": 0, "t": 0}, False))))
    return parts + _note_parts(doc) + _property_parts(doc)


_NOTES = {  # content type → (part name, the element of one note)
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml":
        ("chú thích chân trang", "footnote"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml":
        ("chú thích cuối văn bản", "endnote"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml":
        ("ghi chú (comment)", "comment"),
}
# the core properties docxtpl renders as templates, with their names in Word
_PROPERTIES = {"title": "Tiêu đề", "subject": "Chủ đề", "author": "Tác giả",
               "comments": "Chú thích", "identifier": "Mã định danh", "language": "Ngôn ngữ"}


def _note_parts(doc) -> list[tuple[str, list[Para]]]:
    """Footnotes (docxtpl renders them as one template), endnotes and comments (it does not)."""
    from docx.oxml import parse_xml

    out = []
    for part in doc.part.package.iter_parts():
        known = _NOTES.get(part.content_type)
        if known is None:
            continue
        label, tag = known
        root = parse_xml(part.blob)
        paras: list[Para] = []
        for note in root.iterchildren(_w(tag)):
            note_id = note.get(_w("id"), "?")
            paras += _walk(note, f"{label} số {note_id}, ", label, {"p": 0, "t": 0}, False)
        out.append((label, paras))
    return out


def _property_parts(doc) -> list[tuple[str, list[Para]]]:
    """Document properties with tags: docxtpl renders each as a template of its own."""
    out = []
    core = doc.core_properties
    for attr, label in _PROPERTIES.items():
        value = getattr(core, attr, "") or ""
        if "{" in value:
            name = f"thuộc tính tệp “{label}”"
            out.append((name, [Para(name, name, None, False, fixed=value)]))
    return out


def skeleton_line(text: str) -> str:
    """A paragraph's text as Jinja sees it after docxtpl's clean-up."""
    text = (text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
            .replace("\u00a0", " "))
    text = DOCXTPL_SPECIAL_RE.sub("", text)
    return DOCXTPL_PREFIX_RE.sub(lambda m: m.group(1) + " ", text)


# ------------------------------------------------------------------ known names


def known_context(clause_file=None):
    """The sample context (names → values) a template is rendered with; `clause_file` the
    package's cau_van.toml (the built-in one when it is None or cannot be used)."""
    from app.export.clauses import ClauseFileError
    from app.export.context import build_context
    from app.sample import sample_report

    try:
        return build_context(sample_report(), previous=sample_report(), draft=False,
                             clause_file=clause_file)
    except ClauseFileError:  # reported by the clause file's own check
        return build_context(sample_report(), previous=sample_report(), draft=False)


def suggest(name: str, candidates) -> str:
    scored = sorted(((difflib.SequenceMatcher(None, name, c).ratio(), c) for c in candidates),
                    reverse=True)
    best = scored[0][0] if scored else 0.0
    close = [c for r, c in scored[:3] if r >= 0.6 and r >= best - 0.08]
    if not close:
        return ""
    return " Có phải ý bạn là " + " hoặc ".join(f"“{c}”" for c in close) + "?"


# ------------------------------------------------------------------ Jinja checks


_MSG_VI = [
    (re.compile(r"Encountered unknown tag '(\w+)'"), "lệnh “{0}” không có trong ngôn ngữ mẫu"),
    (re.compile(r"unexpected '(.+?)'"), "có ký tự “{0}” không đúng chỗ (thừa hoặc thiếu dấu ngoặc?)"),
    (re.compile(r"expected token '(.+?)', got '(.+?)'"),
     "biểu thức viết sai gần “{1}” (thiếu dấu, thừa khoảng trắng trong tên trường, hay thiếu dấu đóng?)"),
    (re.compile(r"unexpected end of template", re.I), "mẫu kết thúc khi một thẻ chưa được đóng"),
    (re.compile(r"unexpected char '(.+?)'"), "ký tự “{0}” không dùng được trong thẻ"),
    (re.compile(r"Unexpected end of (?:print statement|statement block)"), "thẻ bị bỏ dở"),
    (re.compile(r"tag name expected"), "thiếu tên lệnh sau “{%”"),
]


def _vi_syntax(message: str) -> str:
    for pattern, vi in _MSG_VI:
        m = pattern.search(message)
        if m:
            return f"Viết sai cú pháp mẫu: {vi.format(*m.groups())}."
    return "Viết sai cú pháp mẫu: kiểm tra lại dấu ngoặc, dấu nháy và tên lệnh trong thẻ."


def _check_paragraph_tags(paras: list[Para], result: CheckResult) -> None:
    """docxtpl rules that hold for a single paragraph."""
    for para in paras:
        text = para.text
        if not text:
            continue
        # delimiters opened and not closed in the same paragraph
        stripped = TAG_RE.sub("", text)
        for opener, closer in (("{{", "}}"), ("{%", "%}")):
            if opener in stripped:
                result.add(ERROR, para.location,
                           f"Thẻ mở “{opener}” không được đóng bằng “{closer}” trong cùng đoạn "
                           "(mỗi thẻ phải nằm gọn trong một đoạn).", text, "syntax")
            elif closer in stripped:
                result.add(ERROR, para.location,
                           f"Có “{closer}” mà không có “{opener}” mở trước nó trong cùng đoạn.",
                           text, "syntax")
        for m in re.finditer(r"\{%(p|tr|tc)\s", text):
            kind = m.group(1)
            if kind in ("tr", "tc") and not para.in_table:
                result.add(ERROR, para.location,
                           f"Thẻ “{{%{kind} … %}}” chỉ dùng trong ô bảng (lặp theo hàng/cột).",
                           text, "docxtpl")
            rest = TAG_RE.sub("", text).strip()
            if kind == "p" and rest:
                result.add(ERROR, para.location,
                           "Đoạn có thẻ “{%p … %}” phải không chứa chữ nào khác: phần chữ "
                           f"“{_short(rest, 40)}” sẽ bị mất khi xuất. Hãy đưa chữ sang đoạn riêng.",
                           text, "docxtpl")
            break


def _block_balance(part: str, paras: list[Para], lines: list[str], result: CheckResult) -> bool:
    """Opened/closed blocks, with the location of the opening tag. False if a problem was found."""
    stack: list[tuple[str, Para]] = []
    ok = True
    for para, line in zip(paras, lines, strict=True):
        for m in re.finditer(r"\{%-?\s*(\w+)(.*?)-?%\}", line, re.DOTALL):
            name, rest = m.group(1), m.group(2)
            if name in BLOCK_OPENERS or (name == "set" and "=" not in rest):
                stack.append((name, para))
            elif name in ("elif", "else"):
                if not stack or stack[-1][0] not in ("if", "for"):
                    result.add(ERROR, para.location,
                               f"Có “{{% {name} %}}” mà không nằm trong “{{% if %}}” nào.",
                               para.text, "syntax")
                    ok = False
            elif name.startswith("end"):
                want = name[3:]
                if not stack:
                    result.add(ERROR, para.location,
                               f"Có “{{% {name} %}}” mà không có “{{% {want} %}}” mở trước nó.",
                               para.text, "syntax")
                    ok = False
                elif stack[-1][0] != want:
                    opened, where = stack[-1]
                    result.add(ERROR, para.location,
                               f"Gặp “{{% {name} %}}” trong khi “{{% {opened} %}}” mở ở {where.location} "
                               f"chưa được đóng bằng “{{% end{opened} %}}”.", para.text, "syntax")
                    ok = False
                    stack.pop()
                    if stack and stack[-1][0] == want:
                        stack.pop()
                else:
                    stack.pop()
    for opened, where in stack:
        result.add(ERROR, where.location,
                   f"“{{% {opened} %}}” chưa được đóng: thiếu “{{% end{opened} %}}” ở phía sau "
                   f"({part}).", where.text, "syntax")
        ok = False
    return ok


def _para_at(paras: list[Para], lineno: int | None) -> Para | None:
    if lineno and 1 <= lineno <= len(paras):
        return paras[lineno - 1]
    return None


def _expr_text(node) -> str:
    """A short Jinja spelling of a simple expression (for messages)."""
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_expr_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_expr_text(node.node)}[{node.arg.value!r}]"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "biểu thức"


_UNKNOWN = object()


MAX_LOOP_RUNS = 1_000_000  # a loop body run more often than this will not end in time
TIME_LIMIT_S = 10


def _range_size(node) -> int:
    """How many items `range(…)` with constant arguments gives (1 for anything else)."""
    from jinja2 import nodes

    if not (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name)
            and node.node.name == "range" and node.args and not node.kwargs):
        return 1
    try:
        values = [a.as_const() for a in node.args]
    except nodes.Impossible:
        return 1
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return 1
    try:
        return max(1, len(range(*values)))
    except (ValueError, OverflowError, TypeError):
        return 1


class _Scopes:
    """Walks a template's tree knowing which names each place can see: loop variables inside
    their loop only, `set` names after the `set`, macro arguments inside the macro."""

    def __init__(self, ctx: dict, env, report):
        self.ctx, self.env, self.report = ctx, env, report
        self.runs = 1  # how many times the current place runs (product of the range loops)

    def value_of(self, node, scope: set):
        """The sample value an expression stands for, when it is a plain field."""
        from jinja2 import nodes

        if isinstance(node, nodes.Name):
            if node.name in scope or node.name not in self.ctx:
                return _UNKNOWN
            return self.ctx[node.name]
        if isinstance(node, nodes.Getattr):
            base = self.value_of(node.node, scope)
            if isinstance(base, dict) and node.attr in base:
                return base[node.attr]
        return _UNKNOWN

    def walk_body(self, body, scope: set) -> None:
        for child in body:
            self.walk(child, scope)

    def walk(self, node, scope: set) -> None:
        from jinja2 import nodes

        if isinstance(node, nodes.For):
            self.walk(node.iter, scope)
            inner = scope | _target_names(node.target) | {"loop"}
            outer_runs = self.runs
            self.runs *= _range_size(node.iter)
            if self.runs > MAX_LOOP_RUNS:
                self.report.add(node.lineno, "loop", ERROR,
                                f"Vòng lặp (lồng nhau) chạy khoảng {self.runs:,} lần".replace(",", ".")
                                + f" — quá {MAX_LOOP_RUNS:,} lần".replace(",", ".")
                                + f"; mẫu sẽ chạy quá {TIME_LIMIT_S} giây và bị dừng. Hãy lặp "
                                "theo danh sách có sẵn (don_vi, noi_nhan…) thay cho range.",
                                "render")
                self.runs = 1  # said once for the outermost loop that goes over
            if node.test is not None:
                self.walk(node.test, inner)
            self.walk_body(node.body, inner)
            self.walk_body(node.else_, scope)
            self.runs = outer_runs
            return
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            if isinstance(node, nodes.CallBlock):
                self.walk(node.call, scope)
            for d in node.defaults:
                self.walk(d, scope)
            inner = scope | {a.name for a in node.args} | {"caller", "varargs", "kwargs"}
            self.walk_body(node.body, inner)
            return
        if isinstance(node, nodes.With):
            for v in node.values:
                self.walk(v, scope)
            inner = scope.union(*(_target_names(t) for t in node.targets))
            self.walk_body(node.body, inner)
            return
        if isinstance(node, nodes.Assign):
            self.walk(node.node, scope)
            self.visit_target(node.target, scope)
            return
        if isinstance(node, nodes.AssignBlock):
            self.walk_body(node.body, scope)
            self.visit_target(node.target, scope)
            return
        self.report.visit(node, scope, self)
        for child in node.iter_child_nodes():
            self.walk(child, scope)

    def visit_target(self, target, scope: set) -> None:
        from jinja2 import nodes

        if isinstance(target, nodes.NSRef):
            self.report.visit(nodes.Name(target.name, "load", lineno=target.lineno), scope, self)
            return
        scope.update(_target_names(target))


def _target_names(target) -> set[str]:
    """Names a `for`/`set`/`with` target binds (a Name, or a tuple of them)."""
    from jinja2 import nodes

    if isinstance(target, nodes.Name):
        return {target.name}
    return {n.name for n in target.find_all(nodes.Name)}


class _JinjaReport:
    """What the check says about each node, at its paragraph."""

    def __init__(self, part: str, paras: list[Para], result: CheckResult, ctx: dict, env):
        self.part, self.paras, self.result, self.ctx, self.env = part, paras, result, ctx, env
        self.reported: set[tuple[str, int]] = set()
        self.loop_vars: set[str] = set()

    def add(self, lineno: int, key: str, severity: str, message: str, kind: str) -> None:
        if (key, lineno) in self.reported:
            return
        self.reported.add((key, lineno))
        para = _para_at(self.paras, lineno)
        self.result.add(severity, para.location if para else self.part, message,
                        para.text if para else "", kind,
                        focus=key.lstrip("_|.").removeprefix("is "))

    def visit(self, node, scope: set, scopes: _Scopes) -> None:
        from jinja2 import nodes

        lineno = node.lineno
        if isinstance(node, nodes.Getattr):
            self._getattr(node, scope, scopes)
        elif isinstance(node, nodes.Getitem):
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str) and arg.value.startswith("_"):
                self.add(lineno, "internals", ERROR, _internals(arg.value), "security")
        elif isinstance(node, nodes.Name):
            if node.ctx == "load" and node.name not in scope and node.name not in self.ctx \
                    and node.name not in JINJA_NAMES:
                if node.name in self.loop_vars:
                    self.add(lineno, node.name, ERROR,
                             f"“{node.name}” là biến của vòng lặp {{% for {node.name} in … %}}, chỉ "
                             "dùng được giữa thẻ for và endfor của nó.", "field")
                else:
                    self.add(lineno, node.name, ERROR,
                             f"Không có trường “{node.name}”." + suggest(node.name, self.ctx), "field")
            elif node.ctx == "load" and node.name in RISKY_NAMES and node.name not in scope:
                self.add(lineno, node.name, WARNING,
                         f"“{node.name}” là công cụ nội bộ của ngôn ngữ mẫu, không cần trong báo cáo.",
                         "security")
        elif isinstance(node, nodes.Filter):
            self._filter(node)
        elif isinstance(node, nodes.Test):
            if node.name not in self.env.tests:
                self.add(lineno, "is " + node.name, ERROR,
                         f"Không có phép thử “{node.name}”." + suggest(node.name, self.env.tests), "filter")
        elif isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self._printed(child, scope, scopes)
        elif isinstance(node, nodes.Compare):
            self._compare(node, scope, scopes)
        elif isinstance(node, nodes.Mod) and isinstance(node.left, nodes.Const) \
                and isinstance(node.left.value, str):
            self.add(lineno, "%", ERROR, "Định dạng chữ bằng dấu “%” không dùng được trong mẫu; "
                     "số viết bằng bộ lọc |vn (số) hoặc |phan_tram (tỷ lệ).", "security")
        elif isinstance(node, nodes.Include | nodes.Import | nodes.FromImport | nodes.Extends):
            self.add(lineno, "include", ERROR, "Mẫu báo cáo không nạp được mẫu khác (include, "
                     "import, extends); hãy chép nội dung cần dùng vào mẫu này.", "syntax")

    def _getattr(self, node, scope: set, scopes: _Scopes) -> None:
        from jinja2 import nodes

        lineno, attr = node.lineno, node.attr
        if attr.startswith("_") or attr in ("mro", "gi_frame", "f_globals", "func_globals"):
            self.add(lineno, "internals", ERROR, _internals(attr), "security")
            return
        base = scopes.value_of(node.node, scope)
        if isinstance(base, dict):
            if attr not in base:
                name = _expr_text(node.node)
                self.add(lineno, f"{name}.{attr}", ERROR, f"Không có trường “{name}.{attr}”."
                         + suggest(attr, base).replace("“", f"“{name}."), "field")
            return
        if attr in PY_METHODS and not (isinstance(node.node, nodes.Name) and node.node.name == "loop"):
            self.add(lineno, "." + attr, ERROR,
                     f"“.{attr}” là lệnh của Python, không dùng được trong mẫu. Số viết bằng bộ lọc "
                     "|vn (số) hoặc |phan_tram (tỷ lệ); chữ đổi bằng bộ lọc |upper, |lower, "
                     "|replace.", "security")

    def _filter(self, node) -> None:
        from jinja2 import nodes

        name, lineno = node.name, node.lineno
        if name == "attr":
            for a in node.args:
                if isinstance(a, nodes.Const) and isinstance(a.value, str) and a.value.startswith("_"):
                    self.add(lineno, "internals", ERROR, _internals(a.value), "security")
                    return
        if name in FOREIGN_FILTERS:
            self.add(lineno, "|" + name, ERROR,
                     f"Bộ lọc “{name}” không dùng được trong mẫu báo cáo (viết số kiểu nước ngoài "
                     "hoặc tạo chữ hàng loạt). Số viết bằng |vn (“6.285”, “97,4”) hoặc |phan_tram "
                     "(“97,37%”); trường số liệu đã viết sẵn theo kiểu Việt Nam.", "filter")
        elif name not in self.env.filters:
            self.add(lineno, "|" + name, ERROR,
                     f"Không có bộ lọc “{name}”." + suggest(name, self.env.filters), "filter")

    def _printed(self, expr, scope: set, scopes: _Scopes) -> None:
        """{{ expr }}: a list, a group, a yes/no or a raw number does not belong in a report."""
        from jinja2 import nodes

        value = scopes.value_of(expr, scope)
        if value is _UNKNOWN:
            return
        text, lineno = _expr_text(expr), expr.lineno
        if isinstance(value, bool):
            self.add(lineno, text, ERROR, f"“{text}” là giá trị đúng/sai, in ra sẽ thành “True”/"
                     f"“False”; chỉ dùng trong điều kiện {{% if {text} %}}.", "type")
        elif isinstance(value, list | tuple):
            joined = _joined_name(expr, self.ctx)
            fix = (f"dùng {{{{ {joined} }}}} (các mục nối sẵn thành một dòng)" if joined
                   else "dùng vòng lặp {%p for … %}")
            self.add(lineno, text, ERROR, f"“{text}” là danh sách, in ra sẽ thành “['…', '…']”; "
                     f"{fix}.", "type")
        elif isinstance(value, dict):
            keys = ", ".join(f"{text}.{k}" for k in list(value)[:3])
            self.add(lineno, text, ERROR, f"“{text}” là một nhóm trường, in ra sẽ thành dữ liệu "
                     f"thô; hãy chọn một trường trong nhóm ({keys}…).", "type")
        elif isinstance(expr, nodes.Getattr) and isinstance(expr.node, nodes.Name) \
                and expr.node.name == "so" and "so" not in scope:
            self.add(lineno, text, WARNING, f"“{text}” là số gốc, dùng để so sánh trong {{% if %}}; "
                     f"để in ra hãy dùng {{{{ {expr.attr} }}}} (đã viết kiểu Việt Nam, “…” khi chưa "
                     "báo cáo).", "type")
        elif isinstance(value, int | float):
            self.add(lineno, text, WARNING, f"“{text}” là số chưa định dạng; in ra hãy dùng "
                     f"{{{{ {text}|vn }}}}.", "type")

    def _compare(self, node, scope: set, scopes: _Scopes) -> None:
        from jinja2 import nodes

        operands = [node.expr] + [op.expr for op in node.ops]
        for i, op in enumerate(node.ops):
            left, right = operands[i], operands[i + 1]
            if op.op not in ("gt", "gteq", "lt", "lteq"):
                continue
            for field_node, other in ((left, right), (right, left)):
                value = scopes.value_of(field_node, scope)
                if isinstance(value, str) and isinstance(other, nodes.Const) \
                        and isinstance(other.value, int | float) and not isinstance(other.value, bool):
                    name = _expr_text(field_node)
                    raw = field_node.name if isinstance(field_node, nodes.Name) else ""
                    fix = (f"để so sánh hãy dùng số gốc “so.{raw}” ({{% if so.{raw} > "
                           f"{other.value} %}})" if raw in self.ctx.get("so", {})
                           else "trường này không so sánh được với số")
                    self.add(node.lineno, name, ERROR,
                             f"So sánh chữ với số: “{name}” đã viết sẵn thành chữ (“{value}”); "
                             f"{fix}.", "type")


def _internals(name: str) -> str:
    return (f"Mẫu tìm cách truy cập phần bên trong của chương trình (“{name}”). Việc này không "
            "được phép và sẽ bị chặn khi xuất; hãy xóa biểu thức này.")


def _joined_name(expr, ctx: dict) -> str:
    """The joined form ("…_dong") of a list field, when there is one."""
    from jinja2 import nodes

    if isinstance(expr, nodes.Name) and f"{expr.name}_dong" in ctx:
        return f"{expr.name}_dong"
    if isinstance(expr, nodes.Getattr) and isinstance(expr.node, nodes.Name):
        group = ctx.get(expr.node.name)
        if isinstance(group, dict) and f"{expr.attr}_dong" in group:
            return f"{expr.node.name}.{expr.attr}_dong"
        joined_group = ctx.get(f"{expr.node.name}_dong")
        if isinstance(joined_group, dict) and expr.attr in joined_group:
            return f"{expr.node.name}_dong.{expr.attr}"
    return ""


def _part_source(paras: list[Para]) -> str:
    return "\n".join(skeleton_line(p.text) for p in paras)


def _check_jinja(part: str, paras: list[Para], result: CheckResult, ctx: dict, env) -> bool:
    """Syntax, names in their scopes, typed output; False when the part does not parse."""
    from jinja2 import TemplateSyntaxError, nodes

    lines = [skeleton_line(p.text) for p in paras]
    if not _block_balance(part, paras, lines, result):
        return False
    try:
        ast = env.parse("\n".join(lines))
    except TemplateSyntaxError as exc:
        para = _para_at(paras, exc.lineno)
        result.add(ERROR, para.location if para else part, _vi_syntax(exc.message or str(exc)),
                   para.text if para else "", "syntax")
        return False
    macros = {m.name for m in ast.find_all(nodes.Macro)}  # callable anywhere in the part
    report = _JinjaReport(part, paras, result, ctx, env)
    report.loop_vars = {n for loop in ast.find_all(nodes.For) for n in _target_names(loop.target)}
    scopes = _Scopes(ctx, env, report)
    scopes.walk_body(ast.body, set(macros))
    return True


def explain_render_error(exc: BaseException) -> str:
    """A Vietnamese explanation, with the fix, of what stopped a render (never English text)."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    from app.export.word import TemplateValueError

    text = str(exc)
    if isinstance(exc, TemplateValueError):
        return f"Mẫu {text}."
    if isinstance(exc, MemoryError):
        return ("Mẫu dùng quá nhiều bộ nhớ (tạo chuỗi hay danh sách quá dài, thường do nối chữ "
                "trong vòng lặp) nên đã bị dừng.")
    if isinstance(exc, RecursionError):
        return "Mẫu gọi lồng nhau quá sâu (macro tự gọi lại chính nó?) nên đã bị dừng."
    if isinstance(exc, SecurityError):
        vi = text if not text.isascii() else "lệnh này"
        return f"Mẫu dùng lệnh không được phép ({vi}); hãy xóa hoặc viết lại biểu thức."
    if isinstance(exc, TemplateSyntaxError):
        return _vi_syntax(exc.message or text)
    if isinstance(exc, UndefinedError):
        return "Mẫu dùng một trường không có (hoặc lấy phần con của trường không có); xem lại tên trường."
    if isinstance(exc, ZeroDivisionError):
        return "Mẫu chia cho 0; hãy kiểm tra số chia bằng {% if so.… %} trước khi chia."
    if isinstance(exc, OverflowError):
        return ("Mẫu tạo dãy số hoặc con số quá lớn (range tối đa 100.000 phần tử); hãy dùng "
                "danh sách có sẵn thay cho range.")
    if isinstance(exc, TypeError):
        if "not supported between instances of 'str'" in text or "'str' and" in text \
                or "and 'str'" in text:
            return ("Mẫu so sánh hoặc tính toán chữ với số: các trường số liệu đã viết sẵn thành "
                    "chữ (“1.675”); để so sánh hay tính toán hãy dùng số gốc so.<mã chỉ tiêu>.")
        return "Mẫu dùng phép tính với giá trị không hợp (chữ, danh sách, giá trị trống)."
    if isinstance(exc, ValueError | KeyError | IndexError | AttributeError):
        return "Mẫu dùng một giá trị không hợp (phần tử không có, chữ thay cho số…); xem lại biểu thức."
    return "Mẫu có biểu thức không tính được; xem lại biểu thức ở vị trí này."


def _template_lineno(exc: BaseException) -> int | None:
    """The template line the error happened at (Jinja rewrites tracebacks to template lines)."""
    import traceback

    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == "<template>":
            return frame.lineno
    return getattr(exc, "lineno", None)


def locate_render_error(parts: list[tuple[str, list[Para]]], ctx: dict, env) -> Problem | None:
    """Render each part's text with `ctx` on its own (line N = paragraph N) to find where a
    render fails: the first failure as a Problem with its place and a Vietnamese explanation."""
    from jinja2 import TemplateSyntaxError

    for part, paras in parts:
        source = _part_source(paras)
        if "{" not in source:
            continue
        try:
            env.from_string(source).render(ctx)
        except TemplateSyntaxError:
            continue  # reported by the syntax check
        except Exception as exc:  # noqa: BLE001 - every failure (memory, recursion too) explained
            para = _para_at(paras, _template_lineno(exc))
            return Problem(ERROR, para.location if para else part, explain_render_error(exc),
                           _short(para.text) if para else "", "render")
    return None


# ------------------------------------------------------------------ split tags


def _runs(p_el) -> list:
    return [r for r in p_el.iter(_w("r")) if r.find(_w("t")) is not None]


def _run_text(r) -> str:
    return "".join(t.text or "" for t in r.iterchildren(_w("t")))


def split_tags(p_el) -> list[tuple[int, int, str]]:
    """Tags of a paragraph whose text is spread over several runs: (start, end, tag text)."""
    runs = _runs(p_el)
    bounds, pos = [], 0
    for r in runs:
        n = len(_run_text(r))
        bounds.append((pos, pos + n))
        pos += n
    text = "".join(_run_text(r) for r in runs)
    out = []
    for m in TAG_RE.finditer(text):
        touched = [i for i, (a, b) in enumerate(bounds) if b > a and a < m.end() and b > m.start()]
        if len(touched) > 1:
            out.append((m.start(), m.end(), m.group(0)))
    return out


def _set_run_text(r, text: str) -> None:
    ts = list(r.iterchildren(_w("t")))
    ts[0].text = text
    ts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for extra in ts[1:]:
        r.remove(extra)


def _merge_split(p_el) -> int:
    """Put every split tag of a paragraph into the run where it starts (that run's formatting
    wins, as docxtpl would do); returns the number of tags repaired."""
    found = split_tags(p_el)
    for start, end, tag in reversed(found):
        runs = _runs(p_el)
        pos, spans = 0, []
        for r in runs:
            t = _run_text(r)
            spans.append((r, pos, t))
            pos += len(t)
        first = next(i for i, (_, a, t) in enumerate(spans) if a <= start < a + len(t))
        last = next(i for i, (_, a, t) in enumerate(spans) if a < end <= a + len(t))
        r0, a0, t0 = spans[first]
        rl, al, tl = spans[last]
        _set_run_text(r0, t0[: start - a0] + tag)
        for r, _, _ in spans[first + 1:last]:
            _set_run_text(r, "")
        _set_run_text(rl, tl[end - al:])
    if found:
        for r in list(p_el.iter(_w("r"))):
            only_text = all(c.tag in (_w("rPr"), _w("t")) for c in r)
            if only_text and not _run_text(r) and r.getparent() is not None:
                r.getparent().remove(r)
        for pe in list(p_el.iter(_w("proofErr"))):
            pe.getparent().remove(pe)
    return len(found)


def repair_split_tags(path: str | os.PathLike[str], out: str | os.PathLike[str]) -> int:
    """Write a copy of the template with every split tag joined into one run. The original is
    never changed; returns the number of tags repaired."""
    from docx import Document

    path, out = Path(path), Path(out)
    if out.resolve() == path.resolve():
        raise ValueError("tệp sửa phải khác tệp gốc")
    doc = Document(str(path))
    count = 0
    for _, paras in document_parts(doc):
        for para in paras:
            count += _merge_split(para.element)
    doc.save(str(out))
    return count


# ------------------------------------------------------------------ layout (Nghị định 30)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("HOÀ", "HÒA").replace("Hoà", "Hòa")
    text = re.sub(r"\s*[-–—]\s*", " - ", text)
    return " ".join(text.split()).casefold()


def _check_layout(doc, parts, result: CheckResult) -> None:
    from docx.shared import Length

    mm = lambda v: Length(v).mm if v is not None else None  # noqa: E731
    for s_no, sec in enumerate(doc.sections, start=1):
        where = f"trang in (phần {s_no})" if len(doc.sections) > 1 else "trang in"
        w, h = mm(sec.page_width), mm(sec.page_height)
        if w is None or h is None or sorted((round(w), round(h))) != [210, 297]:
            shown = f"{w:.0f} × {h:.0f} mm" if w and h else "không xác định"
            result.add(ERROR, where, f"Khổ giấy phải là A4 (210 × 297 mm), mẫu đang là {shown}. "
                       "Trong Word: Bố trí ▸ Kích thước ▸ A4.", kind="layout")
        for label, value in (("trên", sec.top_margin), ("dưới", sec.bottom_margin),
                             ("trái", sec.left_margin), ("phải", sec.right_margin)):
            lo, hi = MARGINS_MM[label]
            v = mm(value)
            if v is None or not (lo - 0.5 <= v <= hi + 0.5):
                shown = f"{v:.1f}".replace(".", ",") + " mm" if v is not None else "không xác định"
                result.add(ERROR, where, f"Lề {label} phải từ {lo} đến {hi} mm theo Nghị định 30, "
                           f"mẫu đang là {shown}. Trong Word: Bố trí ▸ Lề ▸ Lề tùy chỉnh.",
                           kind="layout")

    # body font: the Normal style (or the document defaults) and what runs override
    normal = doc.styles["Normal"]
    font = normal.font.name
    if font is None:
        rfonts = doc.styles.element.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}/{_w('rFonts')}")
        font = rfonts.get(_w("ascii")) if rfonts is not None else None
    if font != "Times New Roman":
        result.add(ERROR, "kiểu chữ Normal", f"Phông chữ của văn bản phải là Times New Roman, mẫu "
                   f"đang là {font or 'không xác định'}. Trong Word: sửa kiểu (Style) “Normal”.",
                   kind="layout")
    base_size = normal.font.size.pt if normal.font.size is not None else None
    sizes: Counter = Counter()
    other_fonts: dict[str, str] = {}
    body_paras = parts[0][1] if parts else []
    for para in body_paras:
        if para.in_table:
            continue
        for r in para.element.iter(_w("r")):
            t = _run_text(r)
            if not t.strip():
                continue
            rpr = r.find(_w("rPr"))
            size = base_size
            if rpr is not None:
                sz = rpr.find(_w("sz"))
                if sz is not None and sz.get(_w("val"), "").isdigit():
                    size = int(sz.get(_w("val"))) / 2
                rf = rpr.find(_w("rFonts"))
                if rf is not None:
                    name = rf.get(_w("ascii")) or rf.get(_w("hAnsi"))
                    if name and name != "Times New Roman" and name not in other_fonts:
                        other_fonts[name] = para.location
            if size is not None:
                sizes[size] += len(t)
    if sizes:
        body_size = sizes.most_common(1)[0][0]
        if not 13 <= body_size <= 14:
            shown = f"{body_size:g}".replace(".", ",")
            result.add(ERROR, "thân văn bản", f"Cỡ chữ phần lớn văn bản phải từ 13 đến 14, mẫu "
                       f"đang là {shown}.", kind="layout")
    elif base_size is not None and not 13 <= base_size <= 14:
        result.add(ERROR, "kiểu chữ Normal", "Cỡ chữ văn bản phải từ 13 đến 14.", kind="layout")
    for name, where in other_fonts.items():
        result.add(WARNING, where, f"Có chữ dùng phông “{name}”; văn bản hành chính dùng Times "
                   "New Roman.", kind="layout")

    # header block (ô 1–4): in the first part of the body
    head = body_paras[:60]
    joined = _norm(" \n ".join(p.text for p in head))
    missing = []
    if _norm(QUOC_HIEU) not in joined:
        missing.append(f"Quốc hiệu “{QUOC_HIEU}”")
    if _norm(TIEU_NGU) not in joined:
        missing.append(f"Tiêu ngữ “{TIEU_NGU}”")
    if "so_ky_hieu" not in joined and not re.search(r"(^|\W)số\s*:", joined):
        missing.append("dòng số, ký hiệu (“Số: …”, trường {{ so_ky_hieu }})")
    if "dia_danh_ngay" not in joined and not re.search(r"ngày\s.*tháng\s.*năm", joined):
        missing.append("địa danh và ngày tháng (trường {{ dia_danh_ngay }})")
    for item in missing:
        result.add(ERROR, "phần đầu văn bản", f"Thiếu {item} ở phần đầu văn bản (Nghị định 30, "
                   "mục thể thức).", kind="header")


# ------------------------------------------------------------------ the whole check


def lint_parts(parts: list[tuple[str, list[Para]]], ctx: dict, env, result: CheckResult) -> None:
    """The field check: tags, syntax, names in their scopes, typed output, split tags — for
    every part (body, headers, footers, notes, comments, document properties)."""
    for part, paras in parts:
        if part in UNRENDERED_PARTS:
            for para in paras:
                if TAG_RE.search(para.text):
                    result.add(ERROR, para.location, f"Thẻ trong {part} không được xử lý khi xuất "
                               "(sẽ in nguyên văn vào báo cáo); hãy chuyển thẻ vào thân văn bản.",
                               para.text, "field")
            continue
        _check_paragraph_tags(paras, result)
        _check_jinja(part, paras, result, ctx, env)
        for para in paras:
            if para.element is None:
                continue
            for _, _, tag in split_tags(para.element):
                result.add(WARNING, para.location,
                           f"Thẻ “{_short(tag, 40)}” bị Word tách thành nhiều đoạn định dạng "
                           "(thường do sửa chữ giữa chừng hoặc kiểm tra chính tả). Dùng “Sửa thẻ "
                           "bị tách” để tạo bản đã sửa.", para.text, "split", focus=tag)


def rendered_parts(parts: list[tuple[str, list[Para]]]) -> list[tuple[str, list[Para]]]:
    return [(part, paras) for part, paras in parts if part not in UNRENDERED_PARTS]


def _trial_render(path: Path, result: CheckResult) -> None:
    """Render the sample report with the template (inside the check's child process) and look
    at what came out."""
    from app.export.word import TemplateRenderError, render_job
    from app.sample import sample_report

    # a template that does not compile (syntax, unknown filter) or was stopped already has its
    # problem with a place; the trial render's failure would only repeat it
    already = any(p.severity == ERROR and p.kind in ("render", "syntax", "field", "filter", "security", "type",
                                                    "clauses")
                  for p in result.problems)
    with tempfile.TemporaryDirectory(prefix="cchc-kiem-tra-") as tmp:
        out = Path(tmp) / "thu.docx"
        try:
            render_job(sample_report(), str(out), str(path), sample_report(), False, False)
        except (TemplateRenderError, MemoryError, RecursionError) as exc:
            if not already:
                why = (str(exc) if isinstance(exc, TemplateRenderError)
                       else explain_render_error(exc))
                result.add(ERROR, "chạy thử", f"Chạy thử với báo cáo mẫu không thành công: {why}",
                           kind="render")
            result.rendered = True
            return
        from docx import Document

        text = "\n".join(p.text for _, paras in document_parts(Document(str(out))) for p in paras)
        leftovers = re.findall(r"\{\{|\{%|\}\}|%\}", text)
        if leftovers:
            result.add(ERROR, "chạy thử", "Sau khi chạy thử vẫn còn dấu thẻ “{{”, “{%” trong văn "
                       "bản: có thẻ bị hỏng hoặc nằm vắt qua nhiều đoạn.", kind="render")
        if re.search(r"<class |__class__|built-in|<function |\['|\{'", text):
            result.add(ERROR, "chạy thử", "Văn bản chạy thử chứa dữ liệu thô hoặc thông tin nội "
                       "bộ của chương trình.", kind="security")
    result.rendered = True


def open_document(path: Path, opener=None):
    """python-docx's Document (or what `opener` opens) after the package scan;
    TemplateFileError when unreadable."""
    from docx import Document

    try:
        return opener() if opener is not None else Document(str(path))
    except (MemoryError, RecursionError):
        raise
    except Exception:  # noqa: BLE001 - any unreadable file gets one line
        raise TemplateFileError(f"{path.name}: không mở được, không phải tệp Word (.docx) hợp lệ.") from None


def check_docx_here(path: str) -> CheckResult:
    """The check of one Word template without running it (package, fields, tags, layout), in
    this process: the first child process of the check."""
    from app.export.word import sandboxed_environment
    from app.templates.package import scan_package

    docx = Path(path)
    scan = scan_package(docx)
    result = CheckResult(docx)
    for why in scan.active:
        result.add(ERROR, "tệp Word", f"Mẫu chứa nội dung có thể chạy được: {why}. Nội dung này "
                   "không bao giờ được chép vào báo cáo; hãy lưu lại mẫu dạng “Word Document "
                   "(.docx)” không có macro, bỏ điều khiển và đối tượng nhúng.", kind="security")
    doc = open_document(docx)
    parts = document_parts(doc)
    from app.export.clauses import clause_file_for

    lint_parts(parts, known_context(clause_file_for(docx)), sandboxed_environment(), result)
    _check_layout(doc, parts, result)
    _check_clause_file(docx, result)
    return result


def _check_clause_file(docx: Path, result: CheckResult) -> None:
    """The package's clause wording (cau_van.toml beside the Word file), when it has one."""
    from app.export.clauses import CLAUSE_FILE, clause_file_problems

    path = docx.parent / CLAUSE_FILE
    if path.is_file():
        for msg in clause_file_problems(path):
            result.add(ERROR, CLAUSE_FILE, msg.removeprefix(f"{CLAUSE_FILE}: "), kind="clauses")


def trial_render_here(path: str, result: CheckResult) -> CheckResult:
    """The trial render of the check, in this process (the check's second child process): each
    part on its own to find the place of a failure, then the real render with the sample
    report. Adds to `result` (what the first stage found) and returns it."""
    from app.export.word import sandboxed_environment

    docx = Path(path)
    ctx = known_context()
    problem = locate_render_error(rendered_parts(document_parts(open_document(docx))), ctx,
                                  sandboxed_environment())
    # a paragraph the field check already faulted says it once
    if problem is not None and not any(p.severity == ERROR and p.location == problem.location
                                       for p in result.problems):
        result.problems.append(problem)
    _trial_render(docx, result)
    return result


def check_template(path: str | os.PathLike[str], render: bool = True) -> CheckResult:
    """Lint a Word template (.docx, or a template folder) or an annex layout file (.toml).

    The Word file is checked in two child processes under the limits of app.templates.runner
    (both started at once): the static check, then the trial render — never skipped. A
    breach is a problem of the result, and what the other stage found is kept."""
    path = Path(path)
    if path.is_dir():
        from app.templates.library import read_manifest

        info = read_manifest(path)
        result = check_template(info.docx, render=render)
        for msg in info.problems:
            if msg not in info.clause_problems:  # those the Word file's check reported
                result.add(ERROR, "manifest.toml", msg, kind="manifest")
        layout = info.annex_layout_path()
        if layout is not None and layout.is_file():
            result.problems += check_annex_layout(layout).problems
        return result
    if path.suffix.lower() == ".toml":
        return check_annex_layout(path)
    if not path.is_file():
        raise TemplateFileError(f"{path}: không tìm thấy tệp mẫu.")
    from app.templates.runner import DEFAULT_LIMITS, TemplateLimitError, limited_call

    check = limited_call("app.templates.lint:check_docx_here", DEFAULT_LIMITS,
                         what=f"việc kiểm tra mẫu “{path.name}”")
    trial = (limited_call("app.templates.lint:trial_render_here", DEFAULT_LIMITS,
                          what=f"việc chạy thử mẫu “{path.name}”") if render else None)
    try:
        result = check.result(str(path))
    except TemplateLimitError as exc:
        result = CheckResult(path)
        result.add(ERROR, "kiểm tra mẫu", str(exc), kind="render")
    except BaseException:
        if trial is not None:
            trial.cancel()
        raise
    if trial is None:
        return result
    try:
        return trial.result(str(path), result)
    except TemplateLimitError as exc:
        if not any(p.severity == ERROR and p.kind == "render" for p in result.problems):
            result.add(ERROR, "chạy thử", str(exc), kind="render")
        result.rendered = True
        return result
    except TemplateFileError:
        return result  # the first stage said it


class TemplateFileError(UserError):
    """The file to check cannot be read; str() is one Vietnamese line."""


def check_annex_layout(path: str | os.PathLike[str]) -> CheckResult:
    """Problems of an annex layout file, from app.export.annex_layout when it is installed."""
    result = CheckResult(Path(path))
    try:
        from app.export.annex_layout import check_layout  # type: ignore[import-not-found]
    except ImportError:
        return result
    try:
        messages = check_layout(path)
    except Exception as exc:  # noqa: BLE001 - the checker's own failure is a problem too
        messages = [f"không kiểm tra được tệp bố cục ({exc})"]
    for msg in messages:
        result.add(ERROR, Path(path).name, str(msg), kind="annex")
    return result
