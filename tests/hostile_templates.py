"""A corpus of hostile or mistaken Word templates, generated (no binaries in the repository).

    python tests/hostile_templates.py OUT_DIR      # writes every case, lists them

Each case is the built-in template with one thing changed — a tag in a paragraph, a footnote, a
document property, a part of the zip package — and says what the command line must answer:
the command (`check` or `export`), the exit code (1 problems, 2 unusable file) and a phrase of
the Vietnamese line that explains it.
"""

from __future__ import annotations

import copy
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass
class Case:
    name: str
    command: str  # "check" or "export" (a final export) or "draft" (export --draft)
    exit_code: int
    phrase: str  # part of the line that explains the refusal
    build: Callable[[Path], None]


def _default() -> Path:
    return ROOT / "report_templates" / "default" / "bao_cao.docx"


def _with_lines(lines: list[str]) -> Callable[[Path], None]:
    """The default template with paragraphs inserted before heading I."""

    def build(out: Path) -> None:
        from docx import Document
        from docx.text.paragraph import Paragraph

        doc = Document(str(_default()))
        anchor = next(p for p in doc.paragraphs if "I. CÔNG TÁC CHỈ ĐẠO" in p.text)
        for line in lines:
            new = copy.deepcopy(anchor._p)
            anchor._p.addprevious(new)
            para = Paragraph(new, anchor._parent)
            para.runs[0].text = line
            for r in para.runs[1:]:
                r._r.getparent().remove(r._r)
        doc.save(str(out))

    return build


def _rezip(out: Path, change: Callable[[dict[str, bytes]], None]) -> None:
    with zipfile.ZipFile(_default()) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    change(parts)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _add_part(name: str, data: bytes, rel_type: str = "", content_type: str = ""):
    def change(parts: dict[str, bytes]) -> None:
        parts[name] = data
        if rel_type:
            rels = parts["word/_rels/document.xml.rels"].decode()
            target = name.removeprefix("word/")
            rels = rels.replace("</Relationships>", f'<Relationship Id="rIdHostile" Type="{rel_type}" '
                                f'Target="{target}"/></Relationships>')
            parts["word/_rels/document.xml.rels"] = rels.encode()
        if content_type:
            ct = parts["[Content_Types].xml"].decode()
            ct = ct.replace("</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>')
            parts["[Content_Types].xml"] = ct.encode()

    return lambda out: _rezip(out, change)


def _body_xml(inner: str) -> Callable[[Path], None]:
    """Replace the body of document.xml (keeping its section properties)."""

    def change(parts: dict[str, bytes]) -> None:
        xml = parts["word/document.xml"].decode()
        start = xml.index("<w:body>") + len("<w:body>")
        sect = xml.rindex("<w:sectPr")
        parts["word/document.xml"] = (xml[:start] + inner + xml[sect:]).encode()

    return lambda out: _rezip(out, change)


def _deep_tables(depth: int) -> str:
    cell_open = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p>"
    cell_close = "</w:tc></w:tr></w:tbl><w:p/>"
    return cell_open * depth + cell_close * depth


def _note(kind: str, text: str) -> Callable[[Path], None]:
    """A footnote, endnote or comment part holding `text` (kind: footnote, endnote, comment)."""
    part, rel = {"footnote": ("footnotes", "footnotes"), "endnote": ("endnotes", "endnotes"),
                 "comment": ("comments", "comments")}[kind]
    separator = ("" if kind == "comment" else
                 f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>')

    def change(parts: dict[str, bytes]) -> None:
        parts[f"word/{part}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{part} xmlns:w="{W}">'
            f'{separator}<w:{kind} w:id="1"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
            f"</w:p></w:{kind}></w:{part}>").encode()
        rels = parts["word/_rels/document.xml.rels"].decode().replace(
            "</Relationships>", f'<Relationship Id="rIdNote" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/{rel}" Target="{part}.xml"/></Relationships>')
        parts["word/_rels/document.xml.rels"] = rels.encode()
        ct = parts["[Content_Types].xml"].decode().replace(
            "</Types>", f'<Override PartName="/word/{part}.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.wordprocessingml.{part}+xml"/></Types>')
        parts["[Content_Types].xml"] = ct.encode()

    return lambda out: _rezip(out, change)


def _title(text: str) -> Callable[[Path], None]:
    def build(out: Path) -> None:
        from docx import Document

        doc = Document(str(_default()))
        doc.core_properties.title = text
        doc.save(str(out))

    return build


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda out: out.write_bytes(data)


def _zip_bomb(name: str, size: int) -> Callable[[Path], None]:
    def change(parts: dict[str, bytes]) -> None:
        parts[name] = b" " * size

    return lambda out: _rezip(out, change)


def _many_paragraphs(n: int) -> Callable[[Path], None]:
    return _body_xml("<w:p/>" * n)


CASES: list[Case] = [
    # resources: memory, time, output
    Case("noi_chuoi", "check", 1, "bộ nhớ", _with_lines([
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s|length }}"])),
    Case("nhan_doi_namespace", "export", 2, "bộ nhớ", _with_lines([
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}"
        "{% endfor %}{{ ns.s|length }}"])),
    Case("center", "check", 1, "lệnh của Python", _with_lines(["{{ 'a'.center(3000000000) }}"])),
    Case("loc_indent", "check", 1, "không dùng được trong mẫu", _with_lines(["{{ 'a'|indent(1000000000) }}"])),
    Case("loc_wordwrap", "check", 1, "không dùng được trong mẫu", _with_lines(
        ["{{ ('a ' * 400000)|wordwrap(1) }}"])),
    Case("vong_lap_vo_tan", "check", 1, "giây", _with_lines([
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"])),
    Case("qua_nhieu_chu", "draft", 2, "quá", _with_lines([
        "{% for i in range(100000) %}{{ 'a' * 999999 }}{% endfor %}"])),
    Case("de_quy_macro", "check", 1, "sâu", _with_lines([
        "{% macro r(n) %}{{ r(n) }}{% endmacro %}{{ r(1) }}"])),
    Case("range_qua_lon", "check", 1, "range tối đa", _with_lines(["{{ range(10**9)|length }}"])),
    # the package, before any XML is parsed
    Case("bom_zip", "check", 2, "MB", _zip_bomb("word/media/anh.bin", 100 * 1024 * 1024)),
    Case("styles_500mb", "export", 2, "MB", _zip_bomb("word/styles.xml", 120 * 1024 * 1024)),
    Case("trieu_doan", "check", 2, "đoạn văn", _many_paragraphs(1_000_000)),
    Case("long_300_tang", "check", 2, "tầng", _body_xml(_deep_tables(300))),
    Case("khong_phai_docx", "check", 2, "không phải tệp Word", _bytes(b"PK\x03\x04 not a zip" * 10)),
    # active content
    Case("macro_vba", "check", 1, "mã macro", _add_part(
        "word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 2000,
        "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
        "application/vnd.ms-office.vbaProject")),
    Case("macro_vba_xuat", "draft", 2, "mã macro", _add_part(
        "word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 2000,
        "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
        "application/vnd.ms-office.vbaProject")),
    Case("activex", "check", 1, "ActiveX", _add_part(
        "word/activeX/activeX1.xml", b'<?xml version="1.0"?><ax:ocx xmlns:ax="http://schemas.'
        b'microsoft.com/office/2006/activeX" ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}"/>')),
    Case("chuong_trinh_nhung", "check", 1, "chương trình nhúng", _add_part(
        "word/embeddings/setup.exe", b"MZ\x90\x00" + b"\0" * 4000)),
    # mistakes: fields, types, messages
    Case("sai_ten_truong", "export", 1, "vbqppl_ban_hanh", _with_lines(
        ["Trong kỳ đã ban hành {{ vbqppl_ban_hanhh }} văn bản."])),
    Case("chu_thich_sai_ten", "check", 1, "chú thích chân trang", _note("footnote", "{{ so_ky_hieuu }}")),
    Case("the_trong_ghi_chu", "check", 1, "không được xử lý", _note("comment", "{{ so_ky_hieu }}")),
    Case("the_trong_chu_thich_cuoi", "export", 1, "không được xử lý",
         _note("endnote", "{{ trich_yeu }}")),
    Case("thuoc_tinh_sai_ten", "check", 1, "thuộc tính tệp", _title("{{ trich_yeuu }}")),
    Case("bien_vong_lap_ngoai", "check", 1, "“dv”", _with_lines([
        "{%p for dv in don_vi %}", "{{ dv.ten }}", "{%p endfor %}", "Cuối cùng: {{ dv.ten }}"])),
    Case("in_danh_sach", "check", 1, "kinh_gui_dong", _with_lines(["Kính gửi {{ kinh_gui }}"])),
    Case("in_nhom", "check", 1, "nhóm trường", _with_lines(["Người ký {{ nguoi_ky }}"])),
    Case("format_python", "check", 1, "lệnh của Python", _with_lines(
        ["{{ '{:,}'.format(so.ho_so_tiep_nhan) }}"])),
    Case("loc_round", "check", 1, "|phan_tram", _with_lines(["{{ so.ty_le_giai_quyet_dung_han|round(2) }}%"])),
    Case("so_sanh_chu_so", "check", 1, "so.ho_so_qua_han", _with_lines(
        ["{% if ho_so_qua_han > 0 %}Có hồ sơ quá hạn.{% endif %}"])),
    Case("chia_cho_0", "check", 1, "chia cho 0", _with_lines(["{{ (so.ho_so_qua_han or 0) / 0 }}"])),
    Case("chu_trong_the_p", "check", 1, "sẽ bị mất", _with_lines(
        ["{%p if co_ky_truoc %} Chữ cố định", "{%p endif %}"])),
    Case("thoat_sandbox", "check", 1, "bên trong của chương trình", _with_lines(
        ["{{ ''.__class__.__mro__[1].__subclasses__() }}"])),
]


def build_corpus(folder: str | Path) -> list[tuple[Case, Path]]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for case in CASES:
        path = folder / f"{case.name}.docx"
        case.build(path)
        out.append((case, path))
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for case, path in build_corpus(sys.argv[1] if len(sys.argv) > 1 else "mau-doc-hai"):
        print(f"{path}  ({case.command}, exit {case.exit_code}: {case.phrase})")
