"""Shared set-up of the PDF tests: the sample report exported once as sign-ready PDFs, a
self-made CA with signer and agency certificates as PKCS#12 files and on SoftHSM2 tokens, and
signature and seal images."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pki, under --import-mode=importlib

import pki  # noqa: E402
import pytest  # noqa: E402

HAVE_CONVERTER = bool(shutil.which("soffice") or shutil.which("libreoffice"))
needs_converter = pytest.mark.skipif(not HAVE_CONVERTER, reason="LibreOffice is needed")


@pytest.fixture(autouse=True)
def user_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(scope="session")
def exported(tmp_path_factory):
    """The sample report and its annex as sign-ready PDFs (converted once per session)."""
    if not HAVE_CONVERTER:
        pytest.skip("LibreOffice is needed")
    from app.pdf.export import export_pdf
    from app.sample import sample_report

    folder = tmp_path_factory.mktemp("exported")
    report = sample_report()
    export_pdf(report, folder / "bao-cao.pdf", folder / "phu-luc.pdf")
    return {"report": report, "pdf": folder / "bao-cao.pdf", "annex": folder / "phu-luc.pdf"}


@pytest.fixture(scope="session")
def ca(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    root = pki.make_root()
    signer = pki.issue(root, "Nguyễn Văn An")
    agency = pki.issue(root, "Ủy ban nhân dân tỉnh Hà Nam")
    expired = pki.issue(root, "Trần Thị Hết Hạn", expired=True)
    return {
        "root": pki.write_cert(root, folder / "root.cer"),
        "root_issued": root, "signer": signer, "agency": agency,
        "signer_p12": pki.write_p12(signer, root, folder / "nguoi-ky.p12"),
        "agency_p12": pki.write_p12(agency, root, folder / "co-quan.p12"),
        "expired_p12": pki.write_p12(expired, root, folder / "het-han.p12"),
        "other_root": pki.write_cert(pki.make_root(), folder / "other-root.cer"),
    }


@pytest.fixture(scope="session")
def tokens(ca, tmp_path_factory):
    """Two SoftHSM2 tokens: slot of the signer's key and slot of the agency's key."""
    library = pki.softhsm_library()
    if library is None or not shutil.which("softhsm2-util"):
        if os.environ.get("CCHC_REQUIRE_SOFTHSM"):  # set by .ci/run: never a silent skip there
            pytest.fail("SoftHSM2 is missing although .ci/run installs it")
        pytest.skip("SoftHSM2 is needed (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("softhsm")
    os.environ["SOFTHSM2_CONF"] = str(pki.softhsm_conf(folder))
    for label in ("nguoi-ky", "co-quan"):
        pki.init_softhsm(folder, label)
    pki.store_on_token(library, "nguoi-ky", ca["signer"], b"\x01")
    pki.store_on_token(library, "co-quan", ca["agency"], b"\x02")
    import pkcs11

    labels = [s.get_token().label.strip() for s in pkcs11.lib(library).get_slots(token_present=True)]
    return {"library": library, "signer_slot": labels.index("nguoi-ky"),
            "agency_slot": labels.index("co-quan")}


def _png(path: Path, color: tuple[int, int, int], round_: bool) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (400, 400) if round_ else (600, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if round_:  # a seal: two red rings and a star
        draw.ellipse((8, 8, 392, 392), outline=color + (255,), width=14)
        draw.ellipse((70, 70, 330, 330), outline=color + (255,), width=6)
        draw.regular_polygon((200, 200, 60), 5, fill=color + (255,))
    else:  # a handwritten-looking blue signature
        draw.line([(30, 170), (120, 60), (180, 190), (260, 70), (330, 180), (420, 90),
                   (560, 120)], fill=color + (255,), width=9, joint="curve")
    image.save(path, dpi=(300, 300))
    return path


@pytest.fixture(scope="session")
def images(tmp_path_factory):
    folder = tmp_path_factory.mktemp("images")
    return {"signature": _png(folder / "chu-ky.png", (20, 40, 170), False),
            "seal": _png(folder / "con-dau.png", (210, 20, 20), True)}
