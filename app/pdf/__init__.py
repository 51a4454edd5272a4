"""Sign-ready PDF (Nghị định 30, Phụ lục I, văn bản điện tử — reference.md §4.4a).

- `convert`: .docx/.xlsx → PDF/A-2b through LibreOffice (or Microsoft Office on Windows);
- `fields`: finds the signature block in the rendered PDF and writes the empty signature fields
  (the signer's between the position line and the name; the agency's over the left third of it;
  an annex in its own file gets the agency's at the top right of its first page);
- `export`: the report and its annex as such PDFs;
- `sign`: PAdES signatures with pyHanko from a PKCS#12 file or a PKCS#11 token;
- `verify`: each signature's signer, time, integrity and trust.

Heavy libraries (pyHanko, pdfminer) are imported where they are first needed.
"""

from __future__ import annotations

import logging

from app.errors import UserError

# pyHanko logs each failed check with a traceback (a missing trust root, a tampered byte); the
# user gets our Vietnamese lines instead, so its records stop here unless logging is set up
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

SIGNER_FIELD = "NguoiKy"  # the competent person's signature (người có thẩm quyền)
AGENCY_FIELD = "CoQuan"  # the agency's signature (cơ quan, tổ chức)
ROLE_FIELDS = {"nguoi_ky": SIGNER_FIELD, "co_quan": AGENCY_FIELD}
ROLE_TITLES = {"nguoi_ky": "người có thẩm quyền", "co_quan": "cơ quan"}
# the catalogue key our exports carry: what the file is and what its signatures must say
MARKER_KEY = "/CCHCBaoCao"
KIND_REPORT, KIND_ANNEX = "bao_cao", "phu_luc"
MM = 72 / 25.4  # PDF points per millimetre


class PdfError(UserError):
    """A PDF could not be made, signed or read; the message is one Vietnamese line."""


def read_input(path: object, what: str = "tệp") -> bytes:
    """The bytes of a file the user named; a missing or unreadable one is a PdfError naming
    the path and `what` it should be ("tệp PDF", "tệp chứng thư gốc" …)."""
    from pathlib import Path

    p = Path(path)  # type: ignore[arg-type]
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise PdfError(f"{p}: không có {what} này.") from None
    except OSError as exc:
        raise PdfError(f"{p}: không đọc được {what} ({exc.strerror}).") from None


def read_pdf(path: object) -> bytes:
    """The bytes of a PDF the user named (PdfError when missing, unreadable or not a PDF)."""
    from pathlib import Path

    data = read_input(path, "tệp PDF")
    if not data.startswith(b"%PDF"):
        raise PdfError(f"{Path(path).name}: không phải tệp PDF.")  # type: ignore[arg-type]
    return data
