"""Generated sentences built from clauses (shared/domain/writing.md §1–6).

A paragraph of the report is a list of sentences; a sentence is an opening and a list of
clauses; a clause is one or more wordings (variants), the first whose figures are all known is
used. The wording lives in the template package's `cau_van.toml`, which an administrator edits
(docs/mau-bao-cao.md, "Câu văn tự sinh"). Inside a wording:

- `{ma}` prints a word: a figure written the Vietnamese way, or a phrase (`so_voi`, `chu_the`…).
  When it is not known, the wording cannot be used;
- `[ … ]` is an optional part, printed only when every word inside is known (parts nest);
- `{?ma}` requires the figure to be known without printing it; `{!ma}` requires it to be blank;
- a clause that starts with "," or ";" is joined to the clause before it with that mark (the
  mark is dropped when the clause comes first), one that starts with "(" after a space; other
  clauses are joined with the sentence's `noi` (", " unless the file says otherwise).

A sentence with no clause known is left out; a paragraph with no sentence is left out (the
drafter's own narrative stands alone). What could not be said is returned as holes — the labels
of the figures missing — which a draft shows, marked; a final export shows none of it.

`data_window_default(report)` is the data-window line of the reporting regime.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.export.clause_words import (  # noqa: F401 - padding_on, compared_with re-exported
    compared_with,
    labels_of,
    level_words,
    padding_on,
    par_as_percent,
    report_words,
)
from app.outline import CLAUSE_FILE, default_clause_file  # noqa: F401 - re-exported

WORD_RE = re.compile(r"\{([?!]?)\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}")
# word prefixes: `so_sanh.KEY`, `phan_so.KEY`, `chua_bao_cao.KEY`, `chi_tieu.KEY` (the
# programme target compared in words, writing.md §2)
PREFIXES = ("so_sanh", "phan_so", "chua_bao_cao", "chi_tieu")
# words that are phrases rather than figures (never named as a hole)
PHRASES = {
    "chu_the": "cách gọi đơn vị trong câu (tỉnh, huyện, xã, cơ quan)",
    "toan_the": "“toàn tỉnh”, “toàn huyện”, “toàn xã”, “cơ quan”",
    "trong_ky": "“Trong kỳ”, hoặc “Trong giai đoạn” ở báo cáo giai đoạn",
    "so_voi": "“so với cùng kỳ năm trước”, “so với năm trước”, hoặc “so với năm 2015” (năm gốc "
              "của báo cáo giai đoạn)",
    "so_voi_nam": "so sánh các chỉ số (đánh giá theo năm): “so với năm trước”, hoặc “so với năm "
                  "2015” ở báo cáo giai đoạn",
    "nam_goc": "năm gốc để so sánh (năm tinh giản biên chế, hoặc năm trước giai đoạn)",
    "so_tinh": "số tỉnh, thành phố (63 đến năm 2024, 34 từ năm 2025)",
    "cs_par_ket_qua": "kết quả Chỉ số CCHC: “87,32%” (từ năm 2022) hoặc “86,57 điểm” (đến năm 2021)",
    "cs_par_thay_doi": "thay đổi điểm Chỉ số CCHC: “tăng 2,46 điểm %” (hoặc “… điểm” đến năm 2021)",
    "cs_par_linh_vuc_cao_nhat": "lĩnh vực có điểm cao nhất của Chỉ số CCHC, kèm điểm",
    "cs_par_linh_vuc_thap_nhat": "lĩnh vực có điểm thấp nhất của Chỉ số CCHC, kèm điểm",
    "so_don_vi": "số đơn vị gửi số liệu (báo cáo tổng hợp)",
    "so_nganh_mot_cua": "số sở, ban, ngành có thực hiện một cửa / số đã báo cáo",
    "xa_mot_cua": "số xã có thực hiện một cửa / số đã báo cáo",
    "so_nganh_mot_cua_chua_bao_cao": "số sở, ban, ngành chưa báo cáo về một cửa",
    "xa_mot_cua_chua_bao_cao": "số xã chưa báo cáo về một cửa",
    "don_vi_dung_han_thap": "các đơn vị có tỷ lệ đúng hạn thấp nhất",
    "ten_cap": "tên cấp (“Cấp tỉnh”, “cấp xã”) — chỉ trong câu “theo_cap = true”",
}


class ClauseFileError(UserError):
    """The clause file cannot be used; str() names the file, the clause and the problem."""


# ------------------------------------------------------------------ the parsed clause file


@dataclass(frozen=True)
class Piece:
    """Literal text, a word, a condition, or an optional part (its pieces)."""

    kind: str  # "text", "word", "need", "absent", "optional"
    text: str = ""
    parts: tuple[Piece, ...] = ()


@dataclass(frozen=True)
class Variant:
    source: str
    pieces: tuple[Piece, ...]
    joiner: str | None  # "," or ";" written before the clause, or None


@dataclass(frozen=True)
class Sentence:
    opening: tuple[Piece, ...]
    clauses: tuple[tuple[Variant, ...], ...]
    sep: str = ", "
    end: str = "."
    by_level: bool = False
    level_sep: str = "; "


@dataclass(frozen=True)
class Paragraph:
    key: str
    description: str
    sentences: tuple[Sentence, ...]
    # the indicators the reporting outline (đề cương) expects this paragraph to state: each one
    # not reported is a warning the drafter fills or explains (rule O01, app.validation)
    outline: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClauseBook:
    path: Path
    paragraphs: dict[str, Paragraph]
    # the maximum score of each PAR INDEX area ([diem_toi_da]); the weakest and strongest areas
    # are named only when every area given has one (raw points of unequal areas compare nothing)
    maxima: dict[str, float] = field(default_factory=dict)


def parse_wording(text: str, where: str) -> tuple[Piece, ...]:
    """"đạt {x}[ ({y})]" → pieces; ClauseFileError for unbalanced brackets or braces."""
    stack: list[list[Piece]] = [[]]
    i = 0
    buf = ""

    def flush() -> None:
        nonlocal buf
        if buf:
            stack[-1].append(Piece("text", buf))
            buf = ""

    while i < len(text):
        c = text[i]
        if c == "{":
            m = WORD_RE.match(text, i)
            if not m:
                raise ClauseFileError(f"{where}: dấu “{{” không đúng chỗ — tên trường viết trong "
                                      f"ngoặc nhọn, ví dụ {{ho_so_tiep_nhan}}, không có dấu cách.")
            flush()
            kind = {"": "word", "?": "need", "!": "absent"}[m.group(1)]
            stack[-1].append(Piece(kind, m.group(2)))
            i = m.end()
            continue
        if c == "}":
            raise ClauseFileError(f"{where}: thừa dấu “}}”.")
        if c == "[":
            flush()
            stack.append([])
        elif c == "]":
            if len(stack) == 1:
                raise ClauseFileError(f"{where}: thừa dấu “]” (phần tùy chọn mở bằng “[”).")
            flush()
            inner = stack.pop()
            stack[-1].append(Piece("optional", parts=tuple(inner)))
        else:
            buf += c
        i += 1
    if len(stack) > 1:
        raise ClauseFileError(f"{where}: thiếu dấu “]” đóng phần tùy chọn.")
    flush()
    return tuple(stack[0])


def _variant(text: str, where: str) -> Variant:
    stripped = text.strip()
    joiner = None
    if stripped[:1] in (",", ";"):
        joiner, stripped = stripped[0], stripped[1:].strip()
    elif stripped[:1] == "(":
        joiner = ""  # a parenthesis follows the clause before it after a space
    if not stripped:
        raise ClauseFileError(f"{where}: vế câu trống.")
    return Variant(text, parse_wording(stripped, where), joiner)


def _words_of(pieces: tuple[Piece, ...]) -> list[Piece]:
    out: list[Piece] = []
    for p in pieces:
        if p.kind == "optional":
            out += _words_of(p.parts)
        elif p.kind != "text":
            out.append(p)
    return out


SENTENCE_KEYS = {"mo", "ve", "noi", "ket", "theo_cap", "noi_cap"}
PARAGRAPH_KEYS = {"mo_ta", "cau", "de_cuong"}


def parse_book(data: Mapping[str, Any], path: Path) -> ClauseBook:
    """The clause file's content → ClauseBook; ClauseFileError names the paragraph, sentence and
    clause of the first problem."""
    name = path.name
    unknown = sorted(set(data) - {"doan", "diem_toi_da"})
    if unknown:
        raise ClauseFileError(f"{name}: khóa không biết ở đầu tệp: {', '.join(unknown)} (chỉ dùng "
                              f"các mục [doan.<tên đoạn>] và [diem_toi_da]).")
    maxima_raw = data.get("diem_toi_da", {})
    if not isinstance(maxima_raw, dict):
        raise ClauseFileError(f"{name}: [diem_toi_da] phải là một mục, mỗi dòng "
                              f"cs_par_diem_<lĩnh vực> = <điểm tối đa>.")
    maxima: dict[str, float] = {}
    for k, v in maxima_raw.items():
        if not k.startswith("cs_par_diem_") or isinstance(v, bool) or not isinstance(v, int | float) \
                or not 0 < v <= 100:
            raise ClauseFileError(f"{name}: [diem_toi_da], “{k}”: ghi điểm tối đa (số lớn hơn 0, "
                                  f"không quá 100) của một lĩnh vực cs_par_diem_<lĩnh vực>.")
        maxima[k] = float(v)
    doan = data.get("doan")
    if not isinstance(doan, dict) or not doan:
        raise ClauseFileError(f"{name}: không có đoạn văn nào (mục [doan.<tên đoạn>]).")
    paragraphs: dict[str, Paragraph] = {}
    for key, body in doan.items():
        where_p = f"{name}: đoạn “{key}”"
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", key):
            raise ClauseFileError(f"{where_p}: tên đoạn chỉ gồm chữ thường không dấu, số và “_”.")
        if not isinstance(body, dict):
            raise ClauseFileError(f"{where_p}: phải là một mục [doan.{key}].")
        bad = sorted(set(body) - PARAGRAPH_KEYS)
        if bad:
            raise ClauseFileError(f"{where_p}: khóa không biết: {', '.join(bad)} (dùng mo_ta và "
                                  f"[[doan.{key}.cau]]).")
        desc = body.get("mo_ta", "")
        if not isinstance(desc, str):
            raise ClauseFileError(f"{where_p}: “mo_ta” phải là chữ trong dấu nháy kép.")
        outline = body.get("de_cuong", [])
        if not isinstance(outline, list) or not all(isinstance(k, str) for k in outline):
            raise ClauseFileError(f"{where_p}: “de_cuong” phải là danh sách mã chỉ tiêu, ví dụ "
                                  f"de_cuong = [\"ho_so_tiep_nhan\"].")
        raw_sentences = body.get("cau")
        if not isinstance(raw_sentences, list) or not raw_sentences:
            raise ClauseFileError(f"{where_p}: chưa có câu nào ([[doan.{key}.cau]]).")
        sentences = []
        for n, s in enumerate(raw_sentences, start=1):
            where_s = f"{where_p}, câu {n}"
            if not isinstance(s, dict):
                raise ClauseFileError(f"{where_s}: phải là một mục [[doan.{key}.cau]].")
            bad = sorted(set(s) - SENTENCE_KEYS)
            if bad:
                raise ClauseFileError(f"{where_s}: khóa không biết: {', '.join(bad)} (dùng được: "
                                      f"{', '.join(sorted(SENTENCE_KEYS))}).")
            for text_key in ("mo", "noi", "ket", "noi_cap"):
                if text_key in s and not isinstance(s[text_key], str):
                    raise ClauseFileError(f"{where_s}: “{text_key}” phải là chữ trong dấu nháy kép.")
            if "theo_cap" in s and not isinstance(s["theo_cap"], bool):
                raise ClauseFileError(f"{where_s}: “theo_cap” phải là true hoặc false.")
            ve = s.get("ve")
            if not isinstance(ve, list) or not ve:
                raise ClauseFileError(f"{where_s}: “ve” phải là danh sách các vế câu, ví dụ "
                                      f"ve = [\"tiếp nhận {{ho_so_tiep_nhan}} hồ sơ\"].")
            clauses = []
            for m, clause in enumerate(ve, start=1):
                where_c = f"{where_s}, vế {m}"
                texts = clause if isinstance(clause, list) else [clause]
                if not texts or not all(isinstance(t, str) for t in texts):
                    raise ClauseFileError(f"{where_c}: mỗi vế là một chữ trong dấu nháy kép, hoặc "
                                          f"một danh sách các cách viết thay thế nhau.")
                clauses.append(tuple(_variant(t, f"{where_c}" + (f", cách viết {k}" if len(texts) > 1 else ""))
                                     for k, t in enumerate(texts, start=1)))
            sentences.append(Sentence(
                opening=parse_wording(s.get("mo", "").strip(), f"{where_s}, phần mở đầu"),
                clauses=tuple(clauses), sep=s.get("noi", ", "), end=s.get("ket", "."),
                by_level=bool(s.get("theo_cap", False)), level_sep=s.get("noi_cap", "; ")))
        paragraphs[key] = Paragraph(key, desc, tuple(sentences), tuple(outline))
    return ClauseBook(path, paragraphs, maxima)


def known_words(catalog: Any) -> set[str]:
    """Every word a wording may use (besides `prefix.KEY` forms)."""
    return set(catalog.indicators) | set(catalog.derived) | set(PHRASES)


def check_book(book: ClauseBook, catalog: Any) -> list[str]:
    """Every word of every wording that the program does not know, as Vietnamese lines naming
    the file, paragraph, sentence and clause (with the closest known names)."""
    def suggest(name: str, candidates: Any) -> str:
        from app.templates.lint import suggest as closest  # only when there is a problem

        return closest(name, candidates)

    words = known_words(catalog)
    keys = set(catalog.indicators) | set(catalog.derived)
    problems: list[str] = [f"{book.path.name}: [diem_toi_da]: không có chỉ tiêu “{k}”."
                           + suggest(k, keys) for k in book.maxima if k not in catalog.indicators]

    def check(pieces: tuple[Piece, ...], where: str, by_level: bool) -> None:
        for w in _words_of(pieces):
            name = w.text
            prefix, _, rest = name.partition(".")
            if rest:
                if prefix not in PREFIXES:
                    problems.append(f"{where}: “{{{name}}}” — “{prefix}.” không dùng được (dùng "
                                    f"{', '.join(p + '.<mã>' for p in PREFIXES)}).")
                elif rest not in keys:
                    problems.append(f"{where}: không có chỉ tiêu “{rest}” trong “{{{name}}}”."
                                    + suggest(rest, keys))
                continue
            if name == "ten_cap" and not by_level:
                problems.append(f"{where}: “{{ten_cap}}” chỉ dùng trong câu có theo_cap = true.")
            elif name not in words:
                problems.append(f"{where}: không có trường “{{{name}}}”." + suggest(name, words))

    for p in book.paragraphs.values():
        for k in p.outline:
            if k not in keys:
                problems.append(f"{book.path.name}: đoạn “{p.key}”, de_cuong: không có chỉ tiêu "
                                f"“{k}”." + suggest(k, keys))
        for n, s in enumerate(p.sentences, start=1):
            where_s = f"{book.path.name}: đoạn “{p.key}”, câu {n}"
            check(s.opening, f"{where_s}, phần mở đầu", s.by_level)
            for m, variants in enumerate(s.clauses, start=1):
                for k, v in enumerate(variants, start=1):
                    suffix = f", cách viết {k}" if len(variants) > 1 else ""
                    check(v.pieces, f"{where_s}, vế {m}{suffix}", s.by_level)
    return problems


_CACHE: dict[tuple[str, int, int], ClauseBook] = {}


def clause_file_for(template: str | Path | None) -> Path:
    """The clause file of a template package: `cau_van.toml` beside its Word file (or in its
    folder); the built-in one when the package has none."""
    if template is not None:
        p = Path(template)
        folder = p if p.is_dir() else p.parent
        if (folder / CLAUSE_FILE).is_file():
            return folder / CLAUSE_FILE
    return default_clause_file()


def load_book(path: str | Path | None = None) -> ClauseBook:
    """Read and check a clause file (cached by path, size and time); ClauseFileError when it
    cannot be used."""
    from app.catalog import load_catalog

    p = Path(path) if path is not None else default_clause_file()
    try:
        st = p.stat()
    except OSError:
        raise ClauseFileError(f"{p.name}: không tìm thấy tệp câu văn ({p}).") from None
    key = (str(p), st.st_size, st.st_mtime_ns)
    book = _CACHE.get(key)
    if book is not None:
        return book
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ClauseFileError(f"{p.name}: tệp không lưu dạng UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ClauseFileError(f"{p.name}: viết sai cú pháp ({exc}); xem lại dấu nháy kép, dấu "
                              f"ngoặc vuông và dấu phẩy giữa các vế.") from None
    book = parse_book(data, p)
    problems = check_book(book, load_catalog())
    if problems:
        raise ClauseFileError(problems[0] + (f" (và {len(problems) - 1} lỗi khác)"
                                             if len(problems) > 1 else ""))
    _CACHE[key] = book
    return book


def clause_file_problems(path: str | Path) -> list[str]:
    """Every problem of a clause file, one Vietnamese line each (empty: usable)."""
    from app.catalog import load_catalog

    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
        book = parse_book(data, p)
    except UnicodeDecodeError:
        return [f"{p.name}: tệp không lưu dạng UTF-8."]
    except tomllib.TOMLDecodeError as exc:
        return [f"{p.name}: viết sai cú pháp ({exc}); xem lại dấu nháy kép, dấu ngoặc vuông và "
                f"dấu phẩy giữa các vế."]
    except ClauseFileError as exc:
        return [str(exc)]
    except OSError as exc:
        return [f"{p.name}: không đọc được ({exc.strerror})."]
    return check_book(book, load_catalog())


# ------------------------------------------------------------------ rendering


@dataclass
class Rendered:
    """A generated paragraph: its text ("" when nothing is known) and the holes — labels of the
    figures a dropped clause needed — for a draft to show."""

    text: str = ""
    holes: list[str] = field(default_factory=list)


def _ruled_out(pieces: tuple[Piece, ...], words: Mapping[str, str | None]) -> bool:
    """A wording or optional part whose {!…} condition fails: left out on purpose."""
    return any(p.kind == "absent" and words.get(p.text) not in (None, "") for p in pieces)


def _fill(pieces: tuple[Piece, ...], words: Mapping[str, str | None],
          holes: list[str] | None = None) -> str | None:
    """The wording with its words filled in, or None when a word it needs is not known.
    `holes` collects the words of optional parts left out for want of a figure."""
    out = []
    for p in pieces:
        if p.kind == "text":
            out.append(p.text)
        elif p.kind == "word":
            v = words.get(p.text)
            if v is None or v == "":
                return None
            out.append(v)
        elif p.kind == "need":
            if words.get(p.text) in (None, ""):
                return None
        elif p.kind == "absent":
            if words.get(p.text) not in (None, ""):
                return None
        else:  # optional
            inner = _fill(p.parts, words)
            if inner is not None:
                out.append(inner)
            elif holes is not None and not _ruled_out(p.parts, words):
                holes.extend(_missing(p.parts, words))
    return "".join(out)


def _missing(pieces: tuple[Piece, ...], words: Mapping[str, str | None]) -> list[str]:
    """The words a wording lacks, its optional parts included (unless ruled out by {!…})."""
    out = []
    for p in pieces:
        if p.kind == "optional":
            if not _ruled_out(p.parts, words):
                out += _missing(p.parts, words)
        elif p.kind in ("word", "need") and words.get(p.text) in (None, ""):
            out.append(p.text)
    return out


def _clauses(sentence: Sentence, words: Mapping[str, str | None],
             holes: list[str]) -> str:
    text = ""
    for variants in sentence.clauses:
        chosen = None
        for v in variants:
            optional_holes: list[str] = []
            filled = _fill(v.pieces, words, optional_holes)
            if filled is not None:
                chosen = (v, filled)
                holes.extend(optional_holes)
                break
        if chosen is None:
            # the hole: what the first wording that is not ruled out ({!…}) still needs
            for v in variants:
                if not _ruled_out(v.pieces, words):
                    holes.extend(_missing(v.pieces, words))
                    break
            continue
        v, filled = chosen
        if text:
            text += sentence.sep if v.joiner is None else v.joiner + " "
        text += filled
    return text


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def render_paragraph(par: Paragraph, words: Mapping[str, str | None],
                     levels: list[dict[str, str | None]] | None = None) -> Rendered:
    """One paragraph from the words known (and, for `theo_cap` sentences, each level's)."""
    sentences = []
    holes: list[str] = []
    for s in par.sentences:
        opening = _fill(s.opening, words) if s.opening else ""
        if opening is None:
            continue
        if s.by_level:
            parts = [t for lw in (levels or []) if (t := _clauses(s, lw, []))]
            body = s.level_sep.join(parts)
        else:
            body = _clauses(s, words, holes)
        if not body:
            continue
        text = f"{opening.strip()} {body}" if opening.strip() else body
        text = _capitalise(" ".join(text.split()))
        if not text.endswith(s.end):
            text += s.end
        sentences.append(text)
    return Rendered(" ".join(sentences), list(dict.fromkeys(holes)))


def render_book(book: ClauseBook, report: Any, previous: Any, cat: Any, pad: bool,
                derived: Mapping[str, Any], values: Mapping[str, Any],
                extra: Mapping[str, str | None] | None = None,
                formatted: Mapping[str, str] | None = None) -> dict[str, Rendered]:
    """Every paragraph of the clause file for this report."""
    words = report_words(report, previous, cat, pad, derived, values, book.maxima, formatted)
    if extra:
        words.update(extra)
    levels = level_words(report, cat, pad)
    # figures of the district level are no hole once it no longer exists (from 1/7/2025)
    gone = ({k for r in cat.rules if r.kind == "empty_two_tier" for k in r.fields}
            if report.period.is_two_tier else set())
    if not par_as_percent(report):
        gone.add("cs_par_nhom")
    # nor are figures the report's level does not collect (a commune has no departments)
    gone |= {k for k, ind in cat.indicators.items() if report.unit.level not in ind.levels}
    out = {}
    for key, par in book.paragraphs.items():
        r = render_paragraph(par, words, levels)
        labels = [lbl for h in r.holes for lbl in labels_of(cat, h, values, gone)]
        out[key] = Rendered(r.text, list(dict.fromkeys(labels)))
    return out


# ------------------------------------------------------------------ the data window


def _as_date(v: Any) -> date | None:
    if isinstance(v, date):
        return v
    if isinstance(v, str) and v.strip():
        try:
            return date.fromisoformat(v.strip())
        except ValueError:
            return None
    return None


def window_text(start: date, end: date) -> str:
    from app.formatting import data_window_line as line

    return line(start, end)


def data_window_default(report: Any) -> str:
    """The data-window line of the reporting regime (reference.md §1: 15/12 of the year before
    → 14th of the period's last month): "(Số liệu tính từ ngày 15/12/2022 đến ngày 14/3/2023)"."""
    start, end = report.period.window
    return window_text(start, end)


def data_window_line(report: Any) -> str:
    """The line printed under the opening paragraph: the drafter's window (document details)
    when set — a text, or {"from": …, "to": …} dates — else the regime's default."""
    dw = getattr(report.document, "data_window", None)
    if isinstance(dw, str) and dw.strip():
        text = " ".join(dw.split())
        return text if text.startswith("(") else f"({text.rstrip('.')})"
    start = end = None
    if isinstance(dw, Mapping):
        start, end = _as_date(dw.get("from")), _as_date(dw.get("to"))
    elif isinstance(dw, tuple | list) and len(dw) == 2:
        start, end = _as_date(dw[0]), _as_date(dw[1])
    elif dw is not None:
        start = _as_date(getattr(dw, "start", None) or getattr(dw, "from_", None))
        end = _as_date(getattr(dw, "end", None) or getattr(dw, "to", None))
    if start and end:
        return window_text(start, end)
    return data_window_default(report)

