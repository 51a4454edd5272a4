"""The Word file as a zip package, looked at before any XML is parsed.

A .docx is a zip of XML parts. Before python-docx or docxtpl build a tree, `scan_package`
reads the zip directory and streams the XML parts, and refuses — one Vietnamese line naming
the limit — a package that would unpack too large (in total or in one part), has too many
parts, too many paragraphs or elements nested too deep. It also finds what must never reach
a report: macros (vbaProject.bin), ActiveX controls and embedded programs.

The sizes in a zip directory can lie; zipfile stops reading a member at its declared size (and
then fails its checksum), so the declared sizes are the most that will ever be unpacked.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from app.templates.lint import TemplateFileError

MB = 1024 * 1024
MAX_UNZIPPED_BYTES = 60 * MB  # the whole package, unpacked
MAX_PART_BYTES = 25 * MB  # one part (document.xml, styles.xml, an image…)
MAX_XML_PART_BYTES = 20 * MB  # one XML part
MAX_PARTS = 1000
MAX_TEMPLATE_PARAGRAPHS = 20_000  # paragraphs in all the text parts together
MAX_DEPTH = 120  # element nesting in any XML part (a normal report: ~15)

_EXECUTABLE_SUFFIXES = (".exe", ".dll", ".com", ".scr", ".bat", ".cmd", ".ps1", ".vbs", ".js",
                        ".jse", ".wsf", ".msi", ".hta", ".jar", ".cpl", ".lnk", ".pif", ".sh")


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file (OLE, VBA, old .doc)


@dataclass
class PackageScan:
    """What the scan found that is not a limit breach: active content, each a Vietnamese line."""

    active: list[str] = field(default_factory=list)
    paragraphs: int = 0


def _is_active(name: str, head: bytes) -> str:
    """Why a package member is active content, or ""."""
    low = name.lower()
    base = low.rsplit("/", 1)[-1]
    if base.startswith("vbaproject") or base.startswith("vbadata") or low.endswith(".bin") \
            and "/vba" in low:
        return f"“{name}”: mã macro (VBA)"
    if "/activex/" in low or low.startswith("activex/"):
        return f"“{name}”: điều khiển ActiveX"
    if base.endswith(_EXECUTABLE_SUFFIXES):
        return f"“{name}”: tệp chương trình nhúng"
    if head.startswith(b"MZ"):
        return f"“{name}”: tệp chương trình nhúng (Windows)"
    if "/embeddings/" in low and (low.endswith(".bin") or head.startswith(_OLE_MAGIC)):
        # an OLE object (a "Package" can wrap any program); embedded workbooks of charts
        # (.xlsx) are plain zips and stay
        return f"“{name}”: đối tượng nhúng (OLE) có thể chứa chương trình"
    if "/embeddings/" in low and base.endswith((".xlsm", ".docm", ".pptm", ".xlsb")):
        return f"“{name}”: tệp nhúng có macro"
    return ""


# the parts whose paragraphs are walked (recursively) by the check and rendered by docxtpl; the
# others (styles, theme…) are parsed by libxml2, whose own depth limit (256) then applies
_TEXT_PART_RE = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
_W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


def _scan_xml(z: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, before: int) -> int:
    """Stream one XML part: its nesting depth, and its paragraphs (returned; `before` were
    counted in the parts already scanned)."""
    from lxml import etree

    depth, paragraphs = 0, before
    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True,
                                 huge_tree=False)
    with z.open(info) as f:
        while True:
            chunk = f.read(1 << 16)
            if not chunk:
                break
            try:
                parser.feed(chunk)
                for event, element in parser.read_events():
                    if event == "start":
                        depth += 1
                        if element.tag == _W_P:
                            paragraphs += 1
                            if paragraphs > MAX_TEMPLATE_PARAGRAPHS:
                                raise TemplateFileError(
                                    f"{label}: mẫu có hơn "
                                    f"{MAX_TEMPLATE_PARAGRAPHS:,} đoạn văn".replace(",", ".")
                                    + "; mẫu báo cáo không cần dài như vậy, không dùng được.")
                        if depth > MAX_DEPTH:
                            raise _too_deep(label, info.filename)
                    else:
                        depth -= 1
                        element.clear()  # streaming: keep no tree
            except etree.XMLSyntaxError as exc:
                if "depth" in str(exc):  # libxml2's own limit (256) met inside one chunk
                    raise _too_deep(label, info.filename) from None
                raise TemplateFileError(
                    f"{label}: phần “{info.filename}” bị hỏng (không đọc được XML); hãy mở và lưu "
                    "lại tệp bằng Word.") from None
    return paragraphs


def _too_deep(label: str, part: str) -> TemplateFileError:
    return TemplateFileError(f"{label}: phần “{part}” lồng nhau quá {MAX_DEPTH} tầng (bảng trong "
                             "bảng, khung trong khung); mẫu không dùng được.")


def scan_package(path: str | os.PathLike[str]) -> PackageScan:
    """Check a .docx package against the limits; raises TemplateFileError (one line) on a
    breach, returns the active content found otherwise."""
    path = Path(path)
    label = path.name
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TemplateFileError(f"{label}: không mở được, không phải tệp Word (.docx) hợp lệ.") from None
    scan = PackageScan()
    with z:
        infos = z.infolist()
        if len(infos) > MAX_PARTS:
            raise TemplateFileError(f"{label}: tệp Word có {len(infos)} phần (tối đa {MAX_PARTS}); "
                                    "mẫu không dùng được.")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED_BYTES:
            raise TemplateFileError(
                f"{label}: giải nén ra {total // MB} MB (tối đa {MAX_UNZIPPED_BYTES // MB} MB); "
                "mẫu không dùng được. Hãy bỏ bớt hình ảnh lớn.")
        for info in infos:
            limit = MAX_XML_PART_BYTES if info.filename.lower().endswith(".xml") else MAX_PART_BYTES
            if info.file_size > limit:
                raise TemplateFileError(
                    f"{label}: phần “{info.filename}” giải nén ra {info.file_size // MB} MB (tối đa "
                    f"{limit // MB} MB một phần); mẫu không dùng được.")
        for info in infos:
            name = info.filename
            if name.endswith("/"):
                continue
            try:
                with z.open(info) as f:
                    head = f.read(64)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
                raise TemplateFileError(f"{label}: phần “{name}” bị hỏng; mẫu không dùng được.") from None
            why = _is_active(name, head)
            if why:
                scan.active.append(why)
                continue
            if _TEXT_PART_RE.fullmatch(name.lower()):
                try:
                    scan.paragraphs = _scan_xml(z, info, label, scan.paragraphs)
                except (zipfile.BadZipFile, OSError, RuntimeError):
                    raise TemplateFileError(f"{label}: phần “{name}” bị hỏng; mẫu không dùng được.") from None
    return scan


def active_content_message(label: str, active: list[str]) -> str:
    return (f"{label}: mẫu chứa nội dung có thể chạy được, không được đưa vào báo cáo — "
            + "; ".join(active) + ". Hãy lưu lại mẫu dạng “Word Document (.docx)” không có macro, "
            "bỏ các điều khiển và đối tượng nhúng.")
