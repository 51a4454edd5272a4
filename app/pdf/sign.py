"""Signing our PDFs with pyHanko: PAdES baseline B-B, or B-T when a time-stamp server is set.

The key comes from a PKCS#12 file or from a PKCS#11 token (the library path chosen in the
settings). The PIN is asked each time by the caller and passed straight through: never stored,
never logged, never part of a message. Appearances follow Nghị định 30 (reference.md §4.4a):
- the competent person: the handwritten signature image (transparent PNG), no text;
- the agency on the report: the seal image at its real size, the agency name and the signing
  time (ISO 8601, +07:00) under it;
- the agency on an annex in its own file: no image; the number and symbol of the report and the
  signing time, Times New Roman 10 pt, italic.
Order: the person first, then the agency; each signature is an incremental update that keeps
the earlier one valid. The output is written to a temporary file and renamed into place.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from app.pdf import (
    KIND_ANNEX,
    KIND_REPORT,
    MM,
    ROLE_FIELDS,
    ROLE_TITLES,
    SIGNER_FIELD,
    PdfError,
    read_input,
    read_pdf,
)

VIETNAM = timezone(timedelta(hours=7), "+07:00")
SEAL_TEXT_PT = 7
ANNEX_TEXT_PT = 10


@dataclass(frozen=True)
class P12Source:
    path: str


@dataclass(frozen=True)
class TokenSource:
    library: str
    slot: int | None = None


KeySource = P12Source | TokenSource


def vietnam_now() -> datetime:
    return datetime.now(VIETNAM).replace(microsecond=0)


def iso_time(moment: datetime) -> str:
    """ISO 8601 with the Vietnamese offset: 2025-03-05T14:30:00+07:00."""
    return moment.astimezone(VIETNAM).isoformat()


# ------------------------------------------------------------------------------------- fonts

def _font_candidates(italic: bool) -> list[Path]:
    windows = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    if italic:
        names = [windows / "timesi.ttf",
                 Path("/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman_Italic.ttf"),
                 Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf"),
                 Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Italic.ttf"),
                 Path("/Library/Fonts/Times New Roman Italic.ttf")]
    else:
        names = [windows / "times.ttf",
                 Path("/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf"),
                 Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
                 Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
                 Path("/Library/Fonts/Times New Roman.ttf")]
    return names


# the characters a signature's text can hold: Latin with Vietnamese letters, digits, punctuation
_VIETNAMESE = (set(range(0x20, 0x7F)) | set(range(0xA0, 0x180)) | set(range(0x1A0, 0x1B1))
               | set(range(0x300, 0x324)) | set(range(0x1EA0, 0x1EFA)) | set(range(0x2010, 0x2028)))


def find_font(italic: bool = False) -> Path:
    """Times New Roman (or its metric twin Liberation Serif), which writes Vietnamese, prepared
    for pyHanko: pyHanko writes glyph widths in font units as if a font had 1,000 units per em,
    while these have 2,048 (letters would stand far apart), so a copy reduced to the Vietnamese
    characters and scaled to 1,000 units is made once and kept in the data folder."""
    for path in _font_candidates(italic):
        if path.is_file():
            return _scaled_copy(path)
    raise PdfError("Không tìm thấy phông chữ Times New Roman"
                   f"{' nghiêng' if italic else ''} (hoặc Liberation Serif) để viết chữ trong "
                   "chữ ký số: hãy cài phông này rồi ký lại.")


def _scaled_copy(path: Path) -> Path:
    import hashlib
    import logging

    from app.settings import data_dir

    stat = path.stat()
    tag = hashlib.sha1(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    target = data_dir() / "fonts" / f"{path.stem}-{tag}.ttf"
    if target.is_file():
        return target
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # it lists every table it drops
    font = TTFont(str(path))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_VIETNAMESE)
    subsetter.subset(font)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    target.parent.mkdir(parents=True, exist_ok=True)
    from app.export import write_atomically

    write_atomically(target, lambda tmp: font.save(str(tmp)))
    return target


# ------------------------------------------------------------------------------------ images

def load_png(path: str | os.PathLike[str], what: str):
    """A PNG with a transparent background, as Nghị định 30 asks for signature and seal."""
    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    try:
        image = Image.open(p)
        image.load()
    except FileNotFoundError:
        raise PdfError(f"{p}: không có tệp ảnh {what}.") from None
    except (UnidentifiedImageError, OSError):
        raise PdfError(f"{p}: không đọc được ảnh {what} (cần tệp PNG).") from None
    if image.format != "PNG":
        raise PdfError(f"{p}: ảnh {what} phải là tệp PNG (tệp này là {image.format}).")
    if "A" not in image.getbands() and "transparency" not in image.info:
        raise PdfError(f"{p}: ảnh {what} phải có nền trong suốt (PNG có kênh alpha).")
    return image.convert("RGBA")


# ------------------------------------------------------------------------------ appearances

def _layout(x: str, y: str, scale: str = "SHRINK_TO_FIT", margin: int = 0):
    from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, Margins, SimpleBoxLayoutRule

    return SimpleBoxLayoutRule(x_align=AxisAlignment[f"ALIGN_{x}"],
                               y_align=AxisAlignment[f"ALIGN_{y}"],
                               margins=Margins.uniform(margin),
                               inner_content_scaling=InnerScaling[scale])


def _text_style(size: int, italic: bool):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle

    return TextBoxStyle(font=GlyphAccumulatorFactory(str(find_font(italic)), font_size=size),
                        font_size=size, leading=round(size * 1.2), text_color=(0, 0, 0),
                        box_layout_rule=_layout("MIN", "MIN", "NO_SCALING"))


def _safe_cm() -> None:
    """pyHanko writes the `cm` operator with %g, which turns a tiny offset into "3.5e-15" —
    not a PDF number: viewers then drop the whole appearance. Write plain decimals instead."""
    from pyhanko.pdf_utils.layout import Positioning

    def as_cm(self) -> bytes:
        return b"%.4f 0 0 %.4f %.4f %.4f cm" % (self.x_scale, self.y_scale, self.x_pos, self.y_pos)

    Positioning.as_cm = as_cm


def signer_style(image_path: str | os.PathLike[str]):
    """The person's signature: the image alone, centred, no text (no font either), no border."""
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.stamp import BaseStamp, BaseStampStyle

    class ImageStamp(BaseStamp):
        def _render_inner_content(self):
            return []

    class ImageStampStyle(BaseStampStyle):
        def create_stamp(self, writer, box, text_params):
            return ImageStamp(writer=writer, style=self, box=box)

    image = load_png(image_path, "chữ ký")
    return ImageStampStyle(border_width=0, background=PdfImage(image), background_opacity=1.0,
                           background_layout=_layout("MID", "MID"))


def seal_style(image_path: str | os.PathLike[str], seal_mm: float):
    """The agency's seal at its real size at the top of the box, the name and time under it."""
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.stamp import TextStampStyle

    image = load_png(image_path, "con dấu")
    side = seal_mm * MM
    scale = min(side / image.width, side / image.height)
    img = PdfImage(image, box=BoxConstraints(image.width * scale, image.height * scale))
    return TextStampStyle(stamp_text="%(agency)s\n%(time)s", border_width=0,
                          text_box_style=_text_style(SEAL_TEXT_PT, italic=False),
                          inner_content_layout=_layout("MIN", "MIN", "SHRINK_TO_FIT"),
                          background=img, background_opacity=1.0,
                          background_layout=_layout("MAX", "MAX", "NO_SCALING"))


def annex_style():
    """The agency on a separate annex: text only, Times New Roman 10 pt italic."""
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(stamp_text="%(number)s\n%(time)s", border_width=0,
                          text_box_style=_text_style(ANNEX_TEXT_PT, italic=True),
                          inner_content_layout=_layout("MAX", "MAX", "SHRINK_TO_FIT"))


def annex_text(number: str) -> str:
    """First line of the annex's agency signature, in lower case as the decree asks (the number
    and symbol keep their capitals)."""
    return f"kèm theo văn bản số {number}"


# ------------------------------------------------------------------------------------- keys

@dataclass
class OpenedKey:
    signer: object  # a pyHanko Signer
    certificate: object  # cryptography x509.Certificate
    close: object  # callable


def _cert_name(cert) -> str:
    from cryptography.x509.oid import NameOID

    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def check_validity(cert, when: datetime) -> None:
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    if when < start:
        raise PdfError(f"Chứng thư số của “{_cert_name(cert)}” chưa có hiệu lực (từ "
                       f"{start.astimezone(VIETNAM):%d/%m/%Y}): không ký được.")
    if when > end:
        raise PdfError(f"Chứng thư số của “{_cert_name(cert)}” đã hết hạn ngày "
                       f"{end.astimezone(VIETNAM):%d/%m/%Y}: không ký được, hãy dùng chứng thư "
                       "còn hạn.")


def open_p12(path: str, pin: str) -> OpenedKey:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        pkcs12,
    )
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    p = Path(path)
    data = read_input(p, "tệp chứng thư số (.p12/.pfx)")
    try:
        key, cert, others = pkcs12.load_key_and_certificates(data, pin.encode("utf-8"))
    except ValueError as exc:
        if "password" in str(exc).lower() or "mac" in str(exc).lower():
            raise PdfError(f"{p.name}: mã PIN (mật khẩu) không đúng.") from None
        raise PdfError(f"{p.name}: không phải tệp chứng thư số PKCS#12 (.p12/.pfx).") from None
    if key is None or cert is None:
        raise PdfError(f"{p.name}: tệp PKCS#12 không có khóa bí mật và chứng thư để ký.")

    def der(c):
        return asn1_x509.Certificate.load(c.public_bytes(Encoding.DER))

    signer = SimpleSigner(
        signing_cert=der(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs([der(c) for c in others or []]))
    return OpenedKey(signer, cert, lambda: None)


def _load_library(library: str):
    import pkcs11

    lib_path = Path(library)
    if not library or not lib_path.is_file():
        raise PdfError(f"Không có thư viện PKCS#11 của token “{library}”: hãy chọn đúng tệp thư "
                       "viện (.dll/.so) của USB token trong phần Cài đặt.")
    try:
        return pkcs11.lib(str(lib_path))
    except Exception:  # python-pkcs11 raises RuntimeError / OSError / its own errors
        raise PdfError(f"“{lib_path.name}” không phải thư viện PKCS#11 dùng được (không nạp "
                       "được).") from None


def open_token(source: TokenSource, pin: str) -> OpenedKey:
    import pkcs11
    from cryptography import x509
    from pkcs11 import Attribute, ObjectClass
    from pyhanko.sign.pkcs11 import PKCS11Signer

    lib = _load_library(source.library)
    try:
        slots = lib.get_slots(token_present=True)
    except pkcs11.PKCS11Error:
        slots = []
    if not slots:
        raise PdfError("Không thấy USB token nào: hãy cắm token rồi ký lại.")
    if source.slot is not None:
        if not 0 <= source.slot < len(slots):
            raise PdfError(f"Không có khe token số {source.slot} (có {len(slots)} khe: "
                           f"0–{len(slots) - 1}).")
        slots = [slots[source.slot]]
    token = None
    for slot in slots:
        candidate = slot.get_token()
        if pkcs11.TokenFlag.TOKEN_INITIALIZED in candidate.flags:
            token = candidate
            break
    if token is None:
        raise PdfError("Token chưa được khởi tạo (không có chứng thư số).")
    try:
        session = token.open(user_pin=pin)
    except pkcs11.exceptions.PinIncorrect:
        raise PdfError(f"Mã PIN của token “{token.label.strip()}” không đúng.") from None
    except pkcs11.exceptions.PinLocked:
        raise PdfError(f"Token “{token.label.strip()}” đã bị khóa vì nhập sai PIN nhiều lần.") from None
    except (pkcs11.exceptions.PinLenRange, pkcs11.exceptions.ArgumentsBad):
        raise PdfError(f"Mã PIN của token “{token.label.strip()}” không đúng (độ dài không "
                       "hợp lệ).") from None
    try:
        keys = {bytes(k[Attribute.ID]) for k in session.get_objects(
            {Attribute.CLASS: ObjectClass.PRIVATE_KEY})}
        found = [(bytes(c[Attribute.ID]), x509.load_der_x509_certificate(bytes(c[Attribute.VALUE])))
                 for c in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})]
        usable = [(cid, cert) for cid, cert in found if cid in keys]
        if not usable:
            raise PdfError(f"Token “{token.label.strip()}” không có chứng thư số kèm khóa để ký.")
        cert_id, cert = usable[0]
        signer = PKCS11Signer(session, cert_id=cert_id, key_id=cert_id)
    except BaseException:
        session.close()
        raise
    return OpenedKey(signer, cert, session.close)


def open_key(source: KeySource, pin: str) -> OpenedKey:
    if isinstance(source, P12Source):
        return open_p12(source.path, pin)
    return open_token(source, pin)


# ---------------------------------------------------------------------------------- signing

@dataclass
class SignResult:
    out: Path
    signer_name: str
    time: datetime
    role: str


def _state(reader) -> tuple[dict[str, str], dict[str, bool]]:
    """Our marker and which of our fields are already signed."""
    from pyhanko.sign.fields import enumerate_sig_fields

    from app.pdf.fields import read_marker

    marker = read_marker(reader)
    filled = {name: value is not None for name, value, _ref in enumerate_sig_fields(reader)}
    return marker or {}, filled


def check_order(path: Path, marker: dict[str, str], filled: dict[str, bool], role: str) -> None:
    field = ROLE_FIELDS[role]
    kind = marker.get("Kind")
    if kind == KIND_ANNEX and role == "nguoi_ky":
        raise PdfError(f"{path.name}: là phụ lục tách riêng, chỉ cơ quan ký (Nghị định 30); "
                       "người có thẩm quyền ký trên báo cáo.")
    if kind not in (KIND_REPORT, KIND_ANNEX) or field not in filled:
        raise PdfError(f"{path.name}: không phải tệp PDF do chương trình xuất (không có ô chữ ký "
                       f"{ROLE_TITLES[role]}); hãy xuất lại báo cáo sang PDF rồi ký.")
    if filled[field]:
        raise PdfError(f"{path.name}: đã có chữ ký số của {ROLE_TITLES[role]}.")
    if role == "co_quan" and kind == KIND_REPORT and not filled.get(SIGNER_FIELD):
        raise PdfError(f"{path.name}: người có thẩm quyền phải ký trước, cơ quan ký sau.")


def sign_pdf(src: str | os.PathLike[str], out: str | os.PathLike[str], role: str,
             source: KeySource, pin: str | Callable[[], str], *,
             image: str | os.PathLike[str] | None = None, seal_mm: float = 36, tsa_url: str = "") -> SignResult:
    """Sign `src` as `role` ("nguoi_ky" or "co_quan") into `out` (may be the same file). `pin`
    may be a function asking for it: it is called only once the file and images are known good,
    so nobody types a PIN for a file that cannot be signed."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    from app.export import write_atomically

    _safe_cm()
    if role not in ROLE_FIELDS:
        raise PdfError(f"Vai trò ký “{role}” không hợp lệ (nguoi_ky hoặc co_quan).")
    src = Path(src)
    data = read_pdf(src)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        marker, filled = _state(writer.prev)
    except (PdfReadError, ValueError, KeyError, TypeError):
        raise PdfError(f"{src.name}: tệp PDF hỏng, không đọc được.") from None
    check_order(src, marker, filled, role)
    kind = marker["Kind"]
    if role == "nguoi_ky":
        if not image:
            raise PdfError("Chưa chọn ảnh chữ ký (PNG nền trong suốt) của người ký.")
        style = signer_style(image)
    elif kind == KIND_ANNEX:
        style = annex_style()
    else:
        if not image:
            raise PdfError("Chưa chọn ảnh con dấu (PNG nền trong suốt) của cơ quan.")
        style = seal_style(image, seal_mm)
    key = open_key(source, pin() if callable(pin) else pin)
    try:
        now = vietnam_now()
        check_validity(key.certificate, now)
        timestamper = None
        if tsa_url.strip():
            from pyhanko.sign.timestamps import HTTPTimeStamper

            timestamper = HTTPTimeStamper(tsa_url.strip(), timeout=30)
        meta = signers.PdfSignatureMetadata(
            field_name=ROLE_FIELDS[role], md_algorithm="sha256",
            subfilter=SigSeedSubFilter.PADES, use_pades_lta=False,
            name=_cert_name(key.certificate))
        pdf_signer = signers.PdfSigner(meta, signer=key.signer, stamp_style=style,
                                       timestamper=timestamper)
        buffer = io.BytesIO()
        params = {"time": iso_time(now), "agency": marker.get("CoQuan", ""),
                  "number": annex_text(marker.get("So", ""))}
        try:
            pdf_signer.sign_pdf(writer, output=buffer, appearance_text_params=params)
        except PdfError:
            raise
        except Exception as exc:
            raise PdfError(_signing_failure(exc, tsa_url)) from None
    finally:
        key.close()
    written = write_atomically(out, lambda tmp: tmp.write_bytes(buffer.getvalue()))
    return SignResult(written, _cert_name(key.certificate), now, role)


def _signing_failure(exc: Exception, tsa_url: str) -> str:
    text = f"{type(exc).__module__}.{type(exc).__name__}"
    if "timestamp" in text.lower() or "aiohttp" in text or "requests" in text:
        return (f"Không lấy được dấu thời gian từ máy chủ “{tsa_url}”: kiểm tra địa chỉ và kết "
                "nối mạng, hoặc bỏ trống địa chỉ để ký không kèm dấu thời gian.")
    if "pkcs11" in text:
        return "Token từ chối ký (đã rút token hoặc khóa không dùng để ký được): hãy thử lại."
    raise exc  # a bug, not bad input: the front ends report it as an internal error
