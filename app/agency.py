"""What the kind of agency decides in a report's document details (Nghị định 30/2020/NĐ-CP):
the symbol ("BC-UBND", "BC-SNV"), who signs and how ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
"GIÁM ĐỐC", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"), the governing body, recipients and distribution.

A Sở Nội vụ does not issue as the People's Committee: its report is "Số: …/BC-SNV" under
"UBND TỈNH …" and is signed by its director, or by a deputy "KT. GIÁM ĐỐC".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# kind → (label shown to the user, level of the unit, is it a People's Committee)
AGENCY_KINDS: dict[str, tuple[str, str, bool]] = {
    "ubnd_tinh": ("Ủy ban nhân dân tỉnh, thành phố", "tinh", True),
    "so": ("Sở, ban, ngành thuộc tỉnh", "so_nganh", False),
    "ubnd_xa": ("Ủy ban nhân dân xã, phường, đặc khu", "xa", True),
    "ubnd_huyen": ("Ủy ban nhân dân huyện (kỳ trước 01/7/2025)", "huyen", True),
}
AGENCY_CHOICES = {k: label for k, (label, _level, _committee) in AGENCY_KINDS.items()}
SIGNER_ROLES = {"head": "Người đứng đầu ký", "deputy": "Cấp phó ký thay (KT.)"}

# centrally governed cities: "thành phố Hà Nội", not "tỉnh Hà Nội"
CITIES = ("hà nội", "hồ chí minh", "hải phòng", "đà nẵng", "cần thơ", "huế")
# the generic nouns that open the name of an administrative unit in an agency's name
PLACE_NOUNS = ("thành phố", "tỉnh", "thị xã", "huyện", "quận", "xã", "phường", "thị trấn",
               "đặc khu")
_SKIP_IN_ABBREVIATION = {"và", "thuộc"}


def province_phrase(province: str) -> str:
    """"Ninh Bình" → "tỉnh Ninh Bình"; "Hà Nội" → "thành phố Hà Nội"; a phrase that already
    says what it is stays as it is."""
    p = " ".join(province.split())
    low = p.casefold()
    if not p or low.startswith(("tỉnh ", "thành phố ")):
        return p
    return f"thành phố {p}" if low in CITIES else f"tỉnh {p}"


def abbreviation(name: str) -> str:
    """The usual abbreviation of an agency: "Sở Nội vụ" → "SNV", "Sở Tư pháp" → "STP",
    "Ủy ban nhân dân tỉnh Hà Nam" → "UBND"."""
    words = name.split()
    if not words:
        return ""
    if name.casefold().startswith(("ủy ban nhân dân", "uỷ ban nhân dân")):
        return "UBND"
    letters = []
    for w in words:
        if w.casefold() in _SKIP_IN_ABBREVIATION:
            continue
        if w.casefold() in PLACE_NOUNS:
            break  # "Sở Nội vụ tỉnh Ninh Bình" → "SNV"
        first = w[0].upper()
        if first != "Đ":  # Đ is a letter of its own; the others lose their marks
            first = unicodedata.normalize("NFD", first)[0]
        letters.append(first)
    return "".join(letters)


def head_title(kind: str, name: str) -> str:
    """The title of the head of the agency: "CHỦ TỊCH", "GIÁM ĐỐC", "TRƯỞNG BAN", …"""
    if AGENCY_KINDS.get(kind, ("", "", True))[2]:
        return "CHỦ TỊCH"
    low = name.casefold()
    if low.startswith("ban "):
        return "TRƯỞNG BAN"
    if low.startswith(("văn phòng", "thanh tra")):
        return "CHÁNH VĂN PHÒNG" if low.startswith("văn phòng") else "CHÁNH THANH TRA"
    return "GIÁM ĐỐC"


@dataclass
class AgencyDetails:
    level: str
    agency_name: str
    governing_body: str
    unit_code: str
    default_symbol: str
    signer_authority: str
    signer_position: str
    recipients: list[str]
    distribution: list[str]


def agency_details(kind: str, name: str, province: str, *, governing_body: str | None = None,
                   code: str | None = None, role: str = "head") -> AgencyDetails:
    """Every document detail the kind of agency decides. `name` is the agency's own name
    ("Sở Nội vụ"; for a People's Committee it may be blank: it is made from the province);
    `governing_body` and `code` override the derived ones when the user typed them."""
    label, level, committee = AGENCY_KINDS[kind]
    place = province_phrase(province)
    if committee and not name.strip():
        name = f"Ủy ban nhân dân {place}" if kind == "ubnd_tinh" else ""
    name = " ".join(name.split())
    abbr = (code if code is not None else abbreviation(name) or "UBND").strip().upper()
    if governing_body is None:
        governing_body = f"UBND {place}" if kind == "so" and place else ""
    title = head_title(kind, name)
    if committee:
        authority = "TM. ỦY BAN NHÂN DÂN"
        position = title if role == "head" else f"KT. {title}\nPHÓ {title}"
    else:
        authority = "" if role == "head" else f"KT. {title}"
        position = title if role == "head" else f"PHÓ {title}"
    if kind == "ubnd_tinh":
        recipients = ["Bộ Nội vụ"]
        distribution = ["Như trên", "Lưu: VT, SNV"]
    else:
        above = f"Ủy ban nhân dân {place}" if place else "Ủy ban nhân dân tỉnh"
        recipients = [above]
        distribution = ["Như trên"]
        if abbr != "SNV":
            distribution.append(f"Sở Nội vụ {place}".strip())
        distribution.append("Lưu: VT")
    return AgencyDetails(level, name, governing_body, abbr, f"BC-{abbr}" if abbr else "BC",
                         authority, position, recipients, distribution)


# capitals that fit on one line of the header's left column (62 mm, 13 pt bold)
HEADER_LINE_CHARS = 19


def header_lines(name: str, chosen: list[str] | None = None) -> list[str]:
    """The issuing body as the header sets it, in capitals: broken where the user chose
    (`chosen`, the name's words in lines — used only while they still spell the name), else
    before the name of the place ("SỞ NỘI VỤ" / "TỈNH NINH BÌNH"); a place too long for one line
    is broken after its generic noun ("THÀNH PHỐ" / "HỒ CHÍ MINH") — never inside the place's
    own name."""
    from app.formatting import fold

    picked = [" ".join(ln.split()) for ln in chosen or [] if ln.strip()]
    if picked and fold(" ".join(picked)) == fold(name):
        return [ln.upper() for ln in picked]
    lines = [ln for ln in (" ".join(part.split()) for part in name.splitlines()) if ln]
    if len(lines) > 1:
        return [ln.upper() for ln in lines]
    text = lines[0] if lines else ""
    low = text.casefold()
    cut, noun_len = -1, 0
    for noun in PLACE_NOUNS:
        i = low.find(f" {noun} ")
        if i > 0 and (cut < 0 or i < cut):
            cut, noun_len = i, len(noun)
    if cut < 0:
        return [text.upper()] if text else []
    body, place = text[:cut].upper(), text[cut + 1:].upper()
    if len(place) <= HEADER_LINE_CHARS:
        return [body, place]
    return [body, place[:noun_len], place[noun_len + 1:]]
