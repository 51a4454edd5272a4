"""Checking the signatures of a PDF, with no network: for each signature its signer, time,
whether the signed bytes are intact, whether the document changed after it (beyond later
signatures), and whether it chains to a root certificate the user provides."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.pdf import ROLE_FIELDS, ROLE_TITLES, PdfError, read_input, read_pdf

FIELD_TITLES = {ROLE_FIELDS[role]: title for role, title in ROLE_TITLES.items()}


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str
    time: datetime | None
    intact: bool  # the signed bytes are unchanged and the signature value is right
    changed_after: bool  # content changed after this signature (later signatures do not count)
    later_revisions: bool  # anything was appended after it (e.g. the agency's signature)
    trusted: bool | None  # None: no root given
    timestamped: bool

    @property
    def ok(self) -> bool:
        return self.intact and not self.changed_after and self.trusted is not False

    def line(self) -> str:
        from app.pdf.sign import iso_time

        who = FIELD_TITLES.get(self.field, self.field)
        parts = [f"Chữ ký {who}: {self.signer}",
                 f"thời gian {iso_time(self.time) if self.time else 'không rõ'}"
                 + (" (có dấu thời gian)" if self.timestamped else ""),
                 "nguyên vẹn" if self.intact else "KHÔNG nguyên vẹn (nội dung đã ký bị thay đổi)"]
        if self.intact:
            if self.changed_after:
                parts.append("tài liệu BỊ SỬA sau khi ký")
            elif self.later_revisions:
                parts.append("sau đó chỉ thêm chữ ký")
            else:
                parts.append("không thay đổi sau khi ký")
        if self.trusted is not None:
            parts.append("tin cậy theo chứng thư gốc" if self.trusted
                         else "KHÔNG tin cậy theo chứng thư gốc đã chọn")
        return "; ".join(parts) + "."


def load_root(path: str | os.PathLike[str]):
    """A root certificate file (.cer/.crt, DER or PEM) as pyHanko wants it."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    p = Path(path)
    data = read_input(p, "tệp chứng thư gốc")
    try:
        if pem.detect(data):
            data = pem.unarmor(data)[2]
        cert = asn1_x509.Certificate.load(data)
        _ = cert.native  # parse now: a broken file fails here, not in the validator
        return cert
    except Exception:
        raise PdfError(f"{p.name}: không phải tệp chứng thư số (.cer/.crt).") from None


def verify_pdf(path: str | os.PathLike[str],
               trust: str | os.PathLike[str] | None = None) -> list[SignatureCheck]:
    """Every signature of the PDF, oldest first. A file that is not a readable PDF raises
    PdfError; a PDF without signatures gives an empty list."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    p = Path(path)
    root = load_root(trust) if trust else None
    data = read_pdf(p)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError):
        raise PdfError(f"{p.name}: tệp PDF hỏng, không đọc được.") from None
    checks = []
    for sig in embedded:
        context = ValidationContext(trust_roots=[root] if root else [], allow_fetching=False,
                                    revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(sig, context)
        except Exception:  # a signature so broken that it cannot even be evaluated
            checks.append(SignatureCheck(sig.field_name, _signer_of(sig), None, False, True,
                                         True, False if root else None, False))
            continue
        level = status.modification_level
        later = status.coverage != SignatureCoverageLevel.ENTIRE_FILE
        changed = (status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION
                   or (level is not None and level > ModificationLevel.FORM_FILLING)
                   or status.docmdp_ok is False)
        moment = (status.timestamp_validity.timestamp if status.timestamp_validity
                  else status.signer_reported_dt)
        if moment is not None:
            from app.pdf.sign import VIETNAM

            moment = moment.astimezone(VIETNAM)
        checks.append(SignatureCheck(
            field=sig.field_name, signer=_common_name(status.signing_cert),
            time=moment, intact=bool(status.intact and status.valid), changed_after=changed,
            later_revisions=later, trusted=bool(status.trusted) if root else None,
            timestamped=status.timestamp_validity is not None))
    return checks


def _common_name(cert) -> str:
    try:
        return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)
    except Exception:
        return "không rõ"


def _signer_of(sig) -> str:
    try:
        return _common_name(sig.signer_cert)
    except Exception:
        return "không rõ"
