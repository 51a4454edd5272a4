"""Signing as Nghị định 30 orders it (the person, then the agency; each an incremental update)
through a PKCS#12 file and a PKCS#11 token (SoftHSM2), and verification against a test root."""

from __future__ import annotations

import re

import pki
import pytest

from app.cli import main
from app.pdf import AGENCY_FIELD, SIGNER_FIELD, PdfError
from app.pdf.fields import field_boxes
from app.pdf.sign import P12Source, TokenSource, sign_pdf
from app.pdf.verify import verify_pdf


def _sign_both(exported, tmp_path, images, signer_source, agency_source):
    first, both = tmp_path / "da-ky-1.pdf", tmp_path / "da-ky-2.pdf"
    sign_pdf(exported["pdf"], first, "nguoi_ky", signer_source, pki.PIN,
             image=images["signature"])
    sign_pdf(first, both, "co_quan", agency_source, pki.PIN, image=images["seal"])
    return first, both


def _assert_both_intact_and_trusted(path, root):
    checks = verify_pdf(path, root)
    assert [c.field for c in checks] == [SIGNER_FIELD, AGENCY_FIELD]
    signer, agency = checks
    assert (signer.signer, agency.signer) == ("Nguyễn Văn An", "Ủy ban nhân dân tỉnh Hà Nam")
    assert all(c.intact and c.trusted and not c.changed_after for c in checks)
    assert signer.later_revisions and not agency.later_revisions  # the agency's came after
    assert signer.time <= agency.time and agency.time.utcoffset().total_seconds() == 7 * 3600


def test_pkcs12_signer_then_agency_both_intact_and_trusted(exported, ca, images, tmp_path):
    first, both = _sign_both(exported, tmp_path, images, P12Source(str(ca["signer_p12"])),
                             P12Source(str(ca["agency_p12"])))
    # each signature is an incremental update: the earlier bytes are kept as they were
    assert both.read_bytes().startswith(first.read_bytes())
    assert first.read_bytes().startswith(exported["pdf"].read_bytes())
    _assert_both_intact_and_trusted(both, ca["root"])
    # against another root: intact, not trusted; exit 1
    assert all(c.intact and c.trusted is False for c in verify_pdf(both, ca["other_root"]))
    assert main(["pdf", "verify", str(both), "--trust", str(ca["root"])]) == 0
    assert main(["pdf", "verify", str(both), "--trust", str(ca["other_root"])]) == 1


def test_pkcs11_token_signer_then_agency_both_intact_and_trusted(exported, ca, images, tokens,
                                                                 tmp_path):
    _first, both = _sign_both(
        exported, tmp_path, images,
        TokenSource(tokens["library"], tokens["signer_slot"]),
        TokenSource(tokens["library"], tokens["agency_slot"]))
    _assert_both_intact_and_trusted(both, ca["root"])


def test_command_line_signs_with_a_token_and_pin_from_the_environment(
        exported, ca, images, tokens, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CCHC_PIN", pki.PIN)
    out = tmp_path / "ky.pdf"
    assert main(["pdf", "sign", str(exported["pdf"]), "--out", str(out), "--role", "nguoi_ky",
                 "--pkcs11", tokens["library"], "--slot", str(tokens["signer_slot"]),
                 "--image", str(images["signature"])]) == 0
    assert main(["pdf", "sign", str(out), "--out", str(out), "--role", "co_quan",
                 "--pkcs11", tokens["library"], "--slot", str(tokens["agency_slot"]),
                 "--image", str(images["seal"])]) == 0
    printed = capsys.readouterr()
    assert "Đã ký (người có thẩm quyền): Nguyễn Văn An" in printed.out
    assert pki.PIN not in printed.out + printed.err
    _assert_both_intact_and_trusted(out, ca["root"])


def test_one_changed_byte_fails_verification(exported, ca, images, tmp_path, capsys):
    _first, both = _sign_both(exported, tmp_path, images, P12Source(str(ca["signer_p12"])),
                              P12Source(str(ca["agency_p12"])))
    data = bytearray(both.read_bytes())
    at = len(exported["pdf"].read_bytes()) // 2  # inside the first revision: both signed it
    data[at] ^= 0x01
    tampered = tmp_path / "sua.pdf"
    tampered.write_bytes(bytes(data))
    checks = verify_pdf(tampered, ca["root"])
    assert len(checks) == 2 and not any(c.intact for c in checks)
    assert main(["pdf", "verify", str(tampered), "--trust", str(ca["root"])]) == 1
    assert "KHÔNG nguyên vẹn" in capsys.readouterr().out


def _actual_texts(content: bytes) -> list[str]:
    """The text lines of an appearance stream, from their /ActualText (PDF string escapes,
    UTF-16 with a byte-order mark or PDFDocEncoding)."""
    lines = []
    for raw in re.findall(rb"/ActualText \((.*?)\)\s*>>", content, re.S):
        out, i = bytearray(), 0
        while i < len(raw):
            if raw[i] == 0x5C:  # backslash
                nxt = raw[i + 1:i + 4]
                m = re.match(rb"[0-7]{1,3}", nxt)
                if m:
                    out.append(int(m.group(), 8))
                    i += 1 + len(m.group())
                    continue
                out.append({ord("n"): 10, ord("r"): 13, ord("t"): 9}.get(raw[i + 1], raw[i + 1]))
                i += 2
                continue
            out.append(raw[i])
            i += 1
        data = bytes(out)
        lines.append(data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff")
                     else data.decode("latin-1"))
    return lines


def _appearance(path, field):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    with open(path, "rb") as fh:
        reader = PdfFileReader(fh)
        for name, _value, ref in enumerate_sig_fields(reader):
            if name == field:
                ap = ref.get_object()["/AP"]["/N"].get_object()
                parts, fonts, images = [ap.data], [], 0
                stack = [ap]
                while stack:
                    res = stack.pop().get("/Resources", {})
                    fonts += [f.get_object() for f in res.get("/Font", {}).values()]
                    for x in res.get("/XObject", {}).values():
                        x = x.get_object()
                        if x.get("/Subtype") == "/Image":
                            images += 1
                        else:
                            parts.append(x.data)
                            stack.append(x)
                return b"".join(parts), [str(f["/BaseFont"]) for f in fonts], images
    raise AssertionError(field)


def test_annex_carries_the_agency_signature_top_right_with_the_prescribed_text(
        exported, ca, tmp_path):
    out = tmp_path / "phu-luc-ky.pdf"
    result = sign_pdf(exported["annex"], out, "co_quan", P12Source(str(ca["agency_p12"])),
                      pki.PIN)
    content, fonts, images = _appearance(out, AGENCY_FIELD)
    # no image; Times New Roman (or its metric twin) italic 10 pt; lower case; number and time
    assert images == 0
    assert fonts and all("Italic" in f and ("Times" in f or "LiberationSerif" in f) for f in fonts)
    assert b" 10 Tf" in content
    assert _actual_texts(content) == ["kèm theo văn bản số 412/BC-UBND",
                                      result.time.isoformat()]  # 2026-…T10:15:30+07:00
    page, box = field_boxes(out)[AGENCY_FIELD]
    assert page == 0 and box[0] > 420 and box[1] > 500  # top right of an A4 landscape page
    [check] = verify_pdf(out, ca["root"])
    assert check.intact and check.trusted


def test_report_appearances_signature_image_alone_then_seal_with_agency_and_time(
        exported, ca, images, tmp_path):
    _first, both = _sign_both(exported, tmp_path, images, P12Source(str(ca["signer_p12"])),
                              P12Source(str(ca["agency_p12"])))
    content, fonts, count = _appearance(both, SIGNER_FIELD)
    assert count == 1 and not fonts and b"Tj" not in content and b"TJ" not in content
    content, fonts, count = _appearance(both, AGENCY_FIELD)
    assert count == 1 and fonts
    agency, moment = _actual_texts(content)
    assert agency == "Ủy ban nhân dân tỉnh Hà Nam"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", moment)  # ISO 8601, +07:00


def test_with_a_time_stamp_server_the_signatures_are_pades_b_t(exported, ca, images, tmp_path):
    server = pki.TimeStampServer(ca["root_issued"])
    try:
        first, both = tmp_path / "1.pdf", tmp_path / "2.pdf"
        sign_pdf(exported["pdf"], first, "nguoi_ky", P12Source(str(ca["signer_p12"])), pki.PIN,
                 image=images["signature"], tsa_url=server.url)
        sign_pdf(first, both, "co_quan", P12Source(str(ca["agency_p12"])), pki.PIN,
                 image=images["seal"], tsa_url=server.url)
    finally:
        server.stop()
    assert server.requests >= 2  # (pyHanko also asks once per signature to size the token)
    checks = verify_pdf(both, ca["root"])
    assert all(c.timestamped and c.intact and c.trusted for c in checks)
    assert "(có dấu thời gian)" in checks[0].line()


def test_an_unreachable_time_stamp_server_is_one_line_and_nothing_written(
        exported, ca, images, tmp_path, monkeypatch, capsys):
    import socket

    from app.settings import Settings, save_settings

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    save_settings(Settings(tsa_url=f"http://127.0.0.1:{port}/tsa"))
    monkeypatch.setenv("CCHC_PIN", pki.PIN)
    out = tmp_path / "ky.pdf"
    err = _one_line_exit_2(_sign_argv(exported["pdf"], out, "nguoi_ky", "--p12",
                                      str(ca["signer_p12"]), "--image",
                                      str(images["signature"])), capsys)
    assert "dấu thời gian" in err and str(port) in err and not out.exists()


# ----------------------------------------------------------------------------- order, bad input

def _one_line_exit_2(argv, capsys) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Lỗi: ") and "Traceback" not in err
    return err


def _sign_argv(src, out, role, *key):
    return ["pdf", "sign", str(src), "--out", str(out), "--role", role, *key]


def test_agency_cannot_sign_before_the_signer(exported, ca, images, tmp_path, monkeypatch,
                                              capsys):
    monkeypatch.setenv("CCHC_PIN", pki.PIN)
    out = tmp_path / "ky.pdf"
    err = _one_line_exit_2(_sign_argv(exported["pdf"], out, "co_quan", "--p12",
                                      str(ca["agency_p12"]), "--image", str(images["seal"])),
                           capsys)
    assert "người có thẩm quyền phải ký trước" in err and not out.exists()
    err = _one_line_exit_2(_sign_argv(exported["annex"], out, "nguoi_ky", "--p12",
                                      str(ca["signer_p12"]), "--image", str(images["signature"])),
                           capsys)
    assert "phụ lục tách riêng, chỉ cơ quan ký" in err and not out.exists()


def test_wrong_pin_is_one_line_and_nothing_written(exported, ca, images, tokens, tmp_path,
                                                   monkeypatch, capsys):
    monkeypatch.setenv("CCHC_PIN", "000000")
    out = tmp_path / "ky.pdf"
    err = _one_line_exit_2(_sign_argv(exported["pdf"], out, "nguoi_ky", "--p12",
                                      str(ca["signer_p12"]), "--image",
                                      str(images["signature"])), capsys)
    assert "mã PIN" in err and "không đúng" in err and "000000" not in err
    err = _one_line_exit_2(_sign_argv(exported["pdf"], out, "nguoi_ky", "--pkcs11",
                                      tokens["library"], "--slot", str(tokens["signer_slot"]),
                                      "--image", str(images["signature"])), capsys)
    assert "Mã PIN của token “nguoi-ky” không đúng" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_missing_token_library(exported, images, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CCHC_PIN", pki.PIN)
    missing = tmp_path / "token_p11.dll"
    err = _one_line_exit_2(_sign_argv(exported["pdf"], tmp_path / "ky.pdf", "nguoi_ky",
                                      "--pkcs11", str(missing), "--image",
                                      str(images["signature"])), capsys)
    assert str(missing) in err and "thư viện PKCS#11" in err
    not_a_library = tmp_path / "token.so"
    not_a_library.write_bytes(b"not a library")
    err = _one_line_exit_2(_sign_argv(exported["pdf"], tmp_path / "ky.pdf", "nguoi_ky",
                                      "--pkcs11", str(not_a_library), "--image",
                                      str(images["signature"])), capsys)
    assert "token.so" in err and "không nạp" in err
    assert not (tmp_path / "ky.pdf").exists()


def test_expired_certificate_is_refused(exported, ca, images, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CCHC_PIN", pki.PIN)
    out = tmp_path / "ky.pdf"
    err = _one_line_exit_2(_sign_argv(exported["pdf"], out, "nguoi_ky", "--p12",
                                      str(ca["expired_p12"]), "--image",
                                      str(images["signature"])), capsys)
    assert "Trần Thị Hết Hạn" in err and "đã hết hạn" in err and not out.exists()


def test_a_pdf_that_is_not_ours_is_refused(exported, ca, images, tmp_path, monkeypatch, capsys):
    from app.export import export_report
    from app.pdf.convert import convert_to_pdf
    from app.sample import sample_report

    monkeypatch.setenv("CCHC_PIN", pki.PIN)
    docx = tmp_path / "khac.docx"
    export_report(sample_report(), docx=docx)
    foreign = convert_to_pdf(docx, tmp_path / "khac.pdf")  # a PDF without our fields
    out = tmp_path / "ky.pdf"
    err = _one_line_exit_2(_sign_argv(foreign, out, "nguoi_ky", "--p12", str(ca["signer_p12"]),
                                      "--image", str(images["signature"])), capsys)
    assert "khac.pdf" in err and "không phải tệp PDF do chương trình xuất" in err
    text = tmp_path / "ghi-chu.pdf"
    text.write_text("không phải PDF")
    err = _one_line_exit_2(["pdf", "verify", str(text)], capsys)
    assert "ghi-chu.pdf: không phải tệp PDF" in err
    assert not out.exists()


def test_a_locked_output_file_is_named_and_kept(exported, ca, images, tmp_path, monkeypatch,
                                                capsys):
    import os

    monkeypatch.setenv("CCHC_PIN", pki.PIN)
    out = tmp_path / "ky.pdf"
    out.write_bytes(b"%PDF-1.7 the file open in the viewer")
    real_replace = os.replace

    def locked(src, dst, *a, **k):  # what Windows does while a viewer holds the file
        if os.fspath(dst) == os.fspath(out):
            raise PermissionError(13, "Permission denied")
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", locked)
    err = _one_line_exit_2(_sign_argv(exported["pdf"], out, "nguoi_ky", "--p12",
                                      str(ca["signer_p12"]), "--image",
                                      str(images["signature"])), capsys)
    assert str(out) in err and "đang mở" in err
    assert out.read_bytes() == b"%PDF-1.7 the file open in the viewer"
    assert [p.name for p in tmp_path.iterdir()] == ["ky.pdf"]  # no temporary file left


def test_signature_image_must_be_a_transparent_png(exported, ca, tmp_path):
    from PIL import Image

    jpeg = tmp_path / "chu-ky.jpg"
    Image.new("RGB", (60, 20), "white").save(jpeg)
    opaque = tmp_path / "chu-ky.png"
    Image.new("RGB", (60, 20), "white").save(opaque)
    for image, words in ((jpeg, "phải là tệp PNG"), (opaque, "nền trong suốt")):
        with pytest.raises(PdfError, match=words):
            sign_pdf(exported["pdf"], tmp_path / "ky.pdf", "nguoi_ky",
                     P12Source(str(ca["signer_p12"])), pki.PIN, image=image)
    assert not (tmp_path / "ky.pdf").exists()
