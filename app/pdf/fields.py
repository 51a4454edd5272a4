"""Where the signatures go, found in the rendered PDF itself, and the empty fields written there.

Nghị định 30 (reference.md §4.4a): the competent person's signature lies over the signature
block — the space between the position line and the name; the agency's seal, at its real size,
over about the left third of the person's signature; an attachment in its own file carries the
agency's signature alone at the top right of its first page.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from app.pdf import AGENCY_FIELD, KIND_ANNEX, KIND_REPORT, MARKER_KEY, MM, SIGNER_FIELD, PdfError

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points, origin bottom left

SIGNER_MIN_W, SIGNER_MAX_W = 45 * MM, 70 * MM
SEAL_TEXT_H, SEAL_TEXT_W = 18.0, 110.0  # two lines of 7 pt under the seal: agency, time
ANNEX_BOX_W, ANNEX_BOX_H = 70 * MM, 30.0  # two lines of 10 pt
ANNEX_TOP, ANNEX_RIGHT = 10 * MM, 15 * MM  # from the page's top and right edges
DEFAULT_SEAL_MM = 36


@dataclass(frozen=True)
class Placement:
    """The signature fields of one of our PDFs."""

    kind: str  # KIND_REPORT or KIND_ANNEX
    page: int  # 0-based
    boxes: dict[str, Box]  # field name → box


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass(frozen=True)
class TextLine:
    text: str
    box: Box


def page_lines(pdf: bytes | str | os.PathLike[str]) -> list[tuple[Box, list[TextLine]]]:
    """Every page's media box and its text lines, as a reader sees them."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextLine

    def lines(obj):
        for item in obj:
            if isinstance(item, LTTextLine):
                yield TextLine(item.get_text().strip(), tuple(item.bbox))
            elif hasattr(item, "__iter__"):
                yield from lines(item)

    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else str(pdf)
    try:
        return [(tuple(p.bbox), [ln for ln in lines(p) if ln.text])
                for p in extract_pages(source, laparams=LAParams())]
    except Exception as exc:  # pdfminer raises many kinds on a broken file
        raise PdfError(f"Không đọc được nội dung tệp PDF ({type(exc).__name__}).") from None


def find_signature_block(pages: list[tuple[Box, list[TextLine]]], position: str,
                         name: str) -> tuple[int, Box, Box]:
    """(page, position line's box, name line's box) of the signature block: the last page
    holding the signer's name under the last line of the position."""
    pos_last = _norm([ln for ln in position.splitlines() if ln.strip()][-1]) if position.strip() else ""
    want_name = _norm(name)
    if not want_name or not pos_last:
        raise PdfError("Báo cáo chưa có chức vụ hoặc họ tên người ký: không xác định được chỗ "
                       "đặt chữ ký số.")
    for index in range(len(pages) - 1, -1, -1):
        lines = pages[index][1]
        names = [ln for ln in lines if _norm(ln.text) == want_name]
        for name_line in sorted(names, key=lambda ln: ln.box[1]):
            cx = (name_line.box[0] + name_line.box[2]) / 2
            above = [ln for ln in lines if _norm(ln.text) == pos_last
                     and ln.box[1] > name_line.box[3] and ln.box[0] <= cx <= ln.box[2]]
            if above:
                pos_line = min(above, key=lambda ln: ln.box[1] - name_line.box[3])
                return index, pos_line.box, name_line.box
    raise PdfError(f"Không tìm thấy khối chữ ký (“{position.splitlines()[-1].strip()}” rồi "
                   f"“{name.strip()}”) trong tệp PDF.")


def report_boxes(pos: Box, name: Box, block_lines: list[Box], seal_mm: float) -> dict[str, Box]:
    """The signer's box between the position line and the name, as wide as the block (within
    45–70 mm), centred on it. The agency's box: the seal (real size) with its right edge at the
    end of the left third of the signer's box, vertically centred on it, and under the seal, left
    of the name, room for two lines of text (agency name, signing time)."""
    cx = ((pos[0] + pos[2]) / 2 + (name[0] + name[2]) / 2) / 2
    width = max((b[2] - b[0] for b in block_lines), default=SIGNER_MIN_W)
    width = min(max(width, SIGNER_MIN_W), SIGNER_MAX_W)
    signer = (cx - width / 2, name[3] + 1, cx + width / 2, pos[1] - 1)
    seal = seal_mm * MM
    right = signer[0] + width / 3
    cy = (signer[1] + signer[3]) / 2
    left = min(right - seal, name[0] - 2 - SEAL_TEXT_W)
    agency = (left, cy - seal / 2 - SEAL_TEXT_H, right, cy + seal / 2)
    return {SIGNER_FIELD: _rounded(signer), AGENCY_FIELD: _rounded(agency)}


def annex_box(media: Box) -> Box:
    x1, y1 = media[2] - ANNEX_RIGHT, media[3] - ANNEX_TOP
    return _rounded((x1 - ANNEX_BOX_W, y1 - ANNEX_BOX_H, x1, y1))


def _rounded(box: Box) -> Box:
    return tuple(round(v, 2) for v in box)  # type: ignore[return-value]


def place_report(pdf: bytes, position: str, name: str, authority: str = "",
                 seal_mm: float = DEFAULT_SEAL_MM) -> Placement:
    pages = page_lines(pdf)
    index, pos, nm = find_signature_block(pages, position, name)
    wanted = {_norm(t) for t in [authority, *position.splitlines(), name] if t.strip()}
    lines = [ln.box for ln in pages[index][1]
             if _norm(ln.text) in wanted and pos[0] - 80 <= ln.box[0] and ln.box[1] >= nm[1]]
    return Placement(KIND_REPORT, index, report_boxes(pos, nm, lines, seal_mm))


def place_annex(pdf: bytes) -> Placement:
    pages = page_lines(pdf)
    if not pages:
        raise PdfError("Tệp PDF phụ lục không có trang nào.")
    return Placement(KIND_ANNEX, 0, {AGENCY_FIELD: annex_box(pages[0][0])})


def add_fields(pdf: bytes, placement: Placement, info: dict[str, str]) -> bytes:
    """The PDF with the empty signature fields and our marker (kind, number and symbol of the
    report, agency name), as an incremental update."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for field_name, box in placement.boxes.items():
        append_signature_field(writer, SigFieldSpec(sig_field_name=field_name,
                                                    on_page=placement.page, box=box))
    marker = generic.DictionaryObject({
        generic.NameObject("/Kind"): generic.TextStringObject(placement.kind),
        **{generic.NameObject(f"/{k}"): generic.TextStringObject(v) for k, v in info.items()},
    })
    writer.root[MARKER_KEY] = writer.add_object(marker)
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def read_marker(reader) -> dict[str, str] | None:
    """Our marker in a PDF opened with pyHanko's reader, or None for a PDF that is not ours."""
    try:
        raw = reader.root.get(MARKER_KEY)
        if raw is None:
            return None
        raw = raw.get_object()
        return {str(k)[1:]: str(v.get_object()) for k, v in raw.items()}
    except Exception:
        return None


@dataclass(frozen=True)
class SignatureField:
    name: str
    page: int  # 0-based
    box: Box
    signed: bool


@dataclass(frozen=True)
class PdfState:
    """What the signing window shows: whose turn it is and where the boxes are."""

    kind: str | None  # KIND_REPORT, KIND_ANNEX, or None for a PDF that is not ours
    info: dict[str, str]
    fields: dict[str, SignatureField]
    page: int  # the page the fields are on
    media: Box
    lines: list[TextLine]

    def next_role(self) -> str | None:
        """"nguoi_ky", then "co_quan", then None (all signed, or not ours)."""
        signer, agency = self.fields.get(SIGNER_FIELD), self.fields.get(AGENCY_FIELD)
        if self.kind == KIND_REPORT and signer and not signer.signed:
            return "nguoi_ky"
        if self.kind in (KIND_REPORT, KIND_ANNEX) and agency and not agency.signed:
            return "co_quan"
        return None


def field_boxes(path: str | os.PathLike[str]) -> dict[str, tuple[int, Box]]:
    """The signature fields of a PDF: name → (page, box)."""
    return {f.name: (f.page, f.box) for f in _fields(Path(path).read_bytes())[1].values()}


def pdf_state(path: str | os.PathLike[str]) -> PdfState:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise PdfError(f"{p}: không đọc được tệp ({exc.strerror}).") from None
    if not data.startswith(b"%PDF"):
        raise PdfError(f"{p.name}: không phải tệp PDF.")
    marker, fields = _fields(data)
    pages = page_lines(data)
    page = next(iter(fields.values())).page if fields else max(len(pages) - 1, 0)
    media, lines = pages[page] if pages else ((0.0, 0.0, 595.3, 841.9), [])
    return PdfState(marker.get("Kind") if marker else None, marker or {}, fields, page, media,
                    lines)


def _fields(data: bytes) -> tuple[dict[str, str] | None, dict[str, SignatureField]]:
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        count = int(reader.root["/Pages"]["/Count"])
        pages = [reader.find_page_for_modification(i)[0].idnum for i in range(count)]
        found = {}
        for name, value, ref in enumerate_sig_fields(reader):
            widget = ref.get_object()
            box = tuple(float(v) for v in widget["/Rect"])
            page_ref = widget.get_value_as_reference("/P", optional=True)
            page = pages.index(page_ref.idnum) if page_ref and page_ref.idnum in pages else 0
            found[name] = SignatureField(name, page, box, value is not None)
        return read_marker(reader), found
    except (PdfReadError, ValueError, KeyError, TypeError):
        raise PdfError("Tệp PDF hỏng, không đọc được.") from None
