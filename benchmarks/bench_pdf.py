"""Medians of the sign-ready PDF work on the sample report:

- PDF export of the report and of the annex (LibreOffice conversion included, each a whole
  export_pdf call: Word/Excel rendering, conversion, finding the signature block, the fields);
- signing with a PKCS#12 key (the person's signature; the agency's after it);
- verifying both signatures against the root.

    python benchmarks/bench_pdf.py [--runs N]

Needs LibreOffice. The certificates are made on the fly (tests/pdf/pki.py)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "pdf"))

import pki  # noqa: E402
from timing import bench  # noqa: E402

from app.pdf.export import export_pdf  # noqa: E402
from app.pdf.sign import P12Source, sign_pdf  # noqa: E402
from app.pdf.verify import verify_pdf  # noqa: E402
from app.sample import sample_report  # noqa: E402


def _png(path: Path, rgba: tuple[int, int, int, int], size: tuple[int, int]) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((4, 4, size[0] - 4, size[1] - 4), outline=rgba, width=10)
    image.save(path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    report = sample_report()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        os.environ.setdefault("CCHC_DATA_DIR", str(d / "data"))
        bench("PDF export, report (.docx → PDF/A + fields)",
              lambda: export_pdf(report, d / "bc.pdf"), args.runs)
        bench("PDF export, annex (.xlsx → PDF/A + field)",
              lambda: export_pdf(report, annex_pdf=d / "pl.pdf"), args.runs)
        root = pki.make_root()
        signer = pki.write_p12(pki.issue(root, "Nguyễn Văn An"), root, d / "s.p12")
        agency = pki.write_p12(pki.issue(root, "Ủy ban nhân dân tỉnh Hà Nam"), root, d / "a.p12")
        pki.write_cert(root, d / "root.cer")
        sig = _png(d / "sig.png", (20, 40, 170, 255), (600, 240))
        seal = _png(d / "seal.png", (210, 20, 20, 255), (400, 400))
        bench("sign, person (PKCS#12, image)",
              lambda: sign_pdf(d / "bc.pdf", d / "1.pdf", "nguoi_ky", P12Source(str(signer)),
                               pki.PIN, image=sig), args.runs)
        bench("sign, agency after the person (PKCS#12, seal + text)",
              lambda: sign_pdf(d / "1.pdf", d / "2.pdf", "co_quan", P12Source(str(agency)),
                               pki.PIN, image=seal), args.runs)
        bench("sign, annex agency (text only)",
              lambda: sign_pdf(d / "pl.pdf", d / "pl2.pdf", "co_quan", P12Source(str(agency)),
                               pki.PIN), args.runs)
        bench("verify both signatures against the root",
              lambda: verify_pdf(d / "2.pdf", d / "root.cer"), args.runs)


if __name__ == "__main__":
    main()
