"""Retake docs/ky-so-trang-cuoi.png: the sample report exported as PDF/A, signed by the person
then by the agency with test certificates (tests/pdf/pki.py) and drawn images, its last page
rendered by poppler's pdftoppm.

    python tools/signed_page.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "pdf"))

import conftest  # noqa: E402  (the drawn signature and seal images)
import pki  # noqa: E402

from app.pdf.export import export_pdf  # noqa: E402
from app.pdf.sign import P12Source, sign_pdf  # noqa: E402
from app.sample import sample_report  # noqa: E402

OUT = ROOT / "docs" / "ky-so-trang-cuoi.png"


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        os.environ.setdefault("CCHC_DATA_DIR", str(d / "data"))
        export_pdf(sample_report(), d / "bc.pdf")
        root = pki.make_root()
        signer = pki.write_p12(pki.issue(root, "Nguyễn Văn An"), root, d / "s.p12")
        agency = pki.write_p12(pki.issue(root, "Ủy ban nhân dân tỉnh Hà Nam"), root, d / "a.p12")
        sig = conftest._png(d / "sig.png", (20, 40, 170), False)
        seal = conftest._png(d / "seal.png", (210, 20, 20), True)
        sign_pdf(d / "bc.pdf", d / "1.pdf", "nguoi_ky", P12Source(str(signer)), pki.PIN,
                 image=sig)
        sign_pdf(d / "1.pdf", d / "2.pdf", "co_quan", P12Source(str(agency)), pki.PIN,
                 image=seal)
        pages = subprocess.run(["pdfinfo", str(d / "2.pdf")], capture_output=True, text=True,
                               check=True).stdout
        last = next(int(line.split()[-1]) for line in pages.splitlines()
                    if line.startswith("Pages:"))
        subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", str(last), "-l", str(last),
                        "-singlefile", str(d / "2.pdf"), str(OUT.with_suffix(""))], check=True)
    print(f"Đã ghi: {OUT}")


if __name__ == "__main__":
    main()
