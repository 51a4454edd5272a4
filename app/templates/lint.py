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
JINJA_NAMES = {"loop", "range", "dict", "lipsum", "cycler", "joiner", "namespace", "true",
               "false", "none", "True", "False", "None", "caller", "varargs", "kwargs"}
RISKY_NAMES = {"self", "lipsum", "cycler", "joiner", "namespace"}
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
    kind: str = ""  # syntax, field, docxtpl, security, split, render, layout, header, annex

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
    element: object  # the w:p element
    in_table: bool

    @property
    def text(self) -> str:
        from docx.oxml.ns import qn

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
    return parts


def skeleton_line(text: str) -> str:
    """A paragraph's text as Jinja sees it after docxtpl's clean-up."""
    text = (text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
            .replace("\u00a0", " "))
    text = DOCXTPL_SPECIAL_RE.sub("", text)
    return DOCXTPL_PREFIX_RE.sub(lambda m: m.group(1) + " ", text)


# ------------------------------------------------------------------ known names


def known_context():
    """The sample context (names → values) a template is rendered with."""
    from app.export.context import build_context
    from app.sample import sample_report

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
            return f"Viết sai cú pháp mẫu: {vi.format(*m.groups())} (chi tiết: {message})."
    return f"Viết sai cú pháp mẫu (chi tiết: {message})."


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
                result.add(WARNING, para.location,
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


def _check_jinja(part: str, paras: list[Para], result: CheckResult, ctx: dict, env) -> None:
    from jinja2 import TemplateSyntaxError, nodes

    lines = [skeleton_line(p.text) for p in paras]
    if not _block_balance(part, paras, lines, result):
        return
    source = "\n".join(lines)
    try:
        ast = env.parse(source)
    except TemplateSyntaxError as exc:
        para = _para_at(paras, exc.lineno)
        result.add(ERROR, para.location if para else part, _vi_syntax(exc.message or str(exc)),
                   para.text if para else "", "syntax")
        return

    # names bound inside the template (loop variables, set, macro arguments)
    bound: set[str] = set()
    for node in ast.find_all((nodes.Name,)):
        if node.ctx in ("store", "param"):
            bound.add(node.name)
    dict_fields = {k: v for k, v in ctx.items() if isinstance(v, dict)}
    names = set(ctx) | JINJA_NAMES | bound
    reported: set[tuple[str, int]] = set()

    def add_once(lineno: int, key: str, severity: str, message: str, kind: str) -> None:
        if (key, lineno) in reported:
            return
        reported.add((key, lineno))
        para = _para_at(paras, lineno)
        result.add(severity, para.location if para else part, message,
                   para.text if para else "", kind, focus=key.lstrip("_|").removeprefix("is "))

    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Name, nodes.Filter, nodes.Test)):
        lineno = node.lineno
        if isinstance(node, nodes.Getattr):
            if node.attr.startswith("_") or node.attr in ("mro", "gi_frame", "f_globals", "func_globals"):
                add_once(lineno, "_" + node.attr, ERROR,
                         f"Mẫu tìm cách truy cập phần bên trong của chương trình (“{node.attr}”). "
                         "Việc này không được phép và sẽ bị chặn khi xuất; hãy xóa biểu thức này.",
                         "security")
            elif isinstance(node.node, nodes.Name) and node.node.name in dict_fields \
                    and node.node.name not in bound:
                group = dict_fields[node.node.name]
                if node.attr not in group:
                    add_once(lineno, f"{node.node.name}.{node.attr}", ERROR,
                             f"Không có trường “{node.node.name}.{node.attr}”."
                             + suggest(node.attr, group).replace("“", f"“{node.node.name}."),
                             "field")
        elif isinstance(node, nodes.Getitem):
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str) and arg.value.startswith("_"):
                add_once(lineno, "_" + arg.value, ERROR,
                         f"Mẫu tìm cách truy cập phần bên trong của chương trình (“{arg.value}”). "
                         "Việc này không được phép và sẽ bị chặn khi xuất.", "security")
        elif isinstance(node, nodes.Name):
            if node.ctx == "load" and node.name not in names:
                add_once(lineno, node.name, ERROR,
                         f"Không có trường “{node.name}”." + suggest(node.name, ctx), "field")
            elif node.ctx == "load" and node.name in RISKY_NAMES:
                add_once(lineno, node.name, WARNING,
                         f"“{node.name}” là công cụ nội bộ của ngôn ngữ mẫu, không cần trong báo cáo.",
                         "security")
        elif isinstance(node, nodes.Filter):
            if node.name not in env.filters:
                add_once(lineno, "|" + node.name, ERROR,
                         f"Không có bộ lọc “{node.name}”." + suggest(node.name, env.filters), "field")
            elif node.name == "attr":
                for a in node.args:
                    if isinstance(a, nodes.Const) and isinstance(a.value, str) and a.value.startswith("_"):
                        add_once(lineno, "_" + a.value, ERROR,
                                 f"Mẫu tìm cách truy cập phần bên trong của chương trình (“{a.value}”). "
                                 "Việc này không được phép và sẽ bị chặn khi xuất.", "security")
        elif isinstance(node, nodes.Test):
            if node.name not in env.tests:
                add_once(lineno, "is " + node.name, ERROR,
                         f"Không có phép thử “{node.name}”." + suggest(node.name, env.tests), "field")


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


def _trial_render(path: Path, result: CheckResult) -> None:
    from app.export.word import TemplateRenderError, render_docx
    from app.sample import sample_report

    with tempfile.TemporaryDirectory(prefix="cchc-kiem-tra-") as tmp:
        out = Path(tmp) / "thu.docx"
        try:
            render_docx(sample_report(), out, template=path, previous=sample_report())
        except TemplateRenderError as exc:
            result.add(ERROR, "chạy thử", f"Chạy thử với báo cáo mẫu không thành công: {exc}",
                       kind="render")
            return
        from docx import Document

        text = "\n".join(p.text for _, paras in document_parts(Document(str(out))) for p in paras)
        leftovers = re.findall(r"\{\{|\{%|\}\}|%\}", text)
        if leftovers:
            result.add(ERROR, "chạy thử", "Sau khi chạy thử vẫn còn dấu thẻ “{{”, “{%” trong văn "
                       "bản: có thẻ bị hỏng hoặc nằm vắt qua nhiều đoạn.", kind="render")
        if re.search(r"<class |__class__|built-in|<function ", text):
            result.add(ERROR, "chạy thử", "Văn bản chạy thử chứa thông tin nội bộ của chương "
                       "trình.", kind="security")
    result.rendered = True


def check_template(path: str | os.PathLike[str], render: bool = True) -> CheckResult:
    """Lint a Word template (.docx, or a template folder) or an annex layout file (.toml)."""
    path = Path(path)
    if path.is_dir():
        from app.templates.library import read_manifest

        info = read_manifest(path)
        result = check_template(info.docx, render=render)
        for msg in info.problems:
            result.add(ERROR, "manifest.toml", msg, kind="manifest")
        layout = info.annex_layout_path()
        if layout is not None and layout.is_file():
            result.problems += check_annex_layout(layout).problems
        return result
    result = CheckResult(path)
    if path.suffix.lower() == ".toml":
        return check_annex_layout(path)
    from docx import Document

    try:
        doc = Document(str(path))
    except Exception:  # noqa: BLE001 - any unreadable file gets one line
        raise TemplateFileError(f"{path}: không mở được, không phải tệp Word (.docx) hợp lệ.") from None
    from app.export.word import sandboxed_environment

    env = sandboxed_environment()
    ctx = known_context()
    parts = document_parts(doc)
    for part, paras in parts:
        _check_paragraph_tags(paras, result)
        _check_jinja(part, paras, result, ctx, env)
        for para in paras:
            for _, _, tag in split_tags(para.element):
                result.add(WARNING, para.location,
                           f"Thẻ “{_short(tag, 40)}” bị Word tách thành nhiều đoạn định dạng "
                           "(thường do sửa chữ giữa chừng hoặc kiểm tra chính tả). Dùng “Sửa thẻ "
                           "bị tách” để tạo bản đã sửa.", para.text, "split", focus=tag)
    _check_layout(doc, parts, result)
    has_errors = any(p.kind in ("syntax", "security") for p in result.problems)
    if render and not has_errors:
        _trial_render(path, result)
    return result


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
