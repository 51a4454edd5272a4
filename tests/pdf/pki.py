"""A self-made certificate authority for the signing tests: a root, a signer (người ký) and an
agency (cơ quan) certificate, an expired one; PKCS#12 files; a SoftHSM2 token holding keys."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PIN = "123456"
SO_PIN = "87654321"
SOFTHSM_LIBS = ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                "/usr/local/lib/softhsm/libsofthsm2.so"]


def softhsm_library() -> str | None:
    return next((p for p in SOFTHSM_LIBS if Path(p).is_file()), None)


def _name(cn: str, org: str = "Ủy ban nhân dân tỉnh Hà Nam") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@dataclass
class Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


def make_root() -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(_name("CA thử nghiệm CCHC"))
            .issuer_name(_name("CA thử nghiệm CCHC")).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                           critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return Issued(key, cert)


def issue(root: Issued, cn: str, *, expired: bool = False, tsa: bool = False) -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    start, end = ((now - timedelta(days=400), now - timedelta(days=30)) if expired
                  else (now - timedelta(hours=1), now + timedelta(days=365)))
    cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(root.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                           critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING] if tsa
                                                 else [ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                           critical=tsa)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key()),
                           critical=False)
            .sign(root.key, hashes.SHA256()))
    return Issued(key, cert)


def write_p12(issued: Issued, root: Issued, path: Path, pin: str = PIN) -> Path:
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"cchc", issued.key, issued.cert, [root.cert],
        serialization.BestAvailableEncryption(pin.encode())))
    return path


def write_cert(issued: Issued, path: Path) -> Path:
    path.write_bytes(issued.der())
    return path


def init_softhsm(folder: Path, label: str) -> None:
    """A fresh SoftHSM2 token in `folder` (SOFTHSM2_CONF must already point at folder/softhsm2.conf)."""
    subprocess.run([shutil.which("softhsm2-util") or "softhsm2-util", "--init-token", "--free",
                    "--label", label, "--pin", PIN, "--so-pin", SO_PIN],
                   check=True, capture_output=True, env=dict(os.environ))


def softhsm_conf(folder: Path) -> Path:
    tokens = folder / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    return conf


def store_on_token(library: str, label: str, issued: Issued, key_id: bytes) -> None:
    """Put a private key and its certificate on the token (as a card issuer would)."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass
    from pkcs11.util.rsa import decode_rsa_private_key

    lib = pkcs11.lib(library)
    token = lib.get_token(token_label=label)
    der_key = issued.key.private_bytes(serialization.Encoding.DER,
                                       serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption())
    with token.open(rw=True, user_pin=PIN) as session:
        attrs = decode_rsa_private_key(der_key)
        attrs.update({Attribute.TOKEN: True, Attribute.ID: key_id, Attribute.LABEL: "khoa-ky",
                      Attribute.SIGN: True, Attribute.PRIVATE: True, Attribute.SENSITIVE: True})
        session.create_object(attrs)
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.ID: key_id, Attribute.LABEL: "chung-thu",
            Attribute.VALUE: issued.der(),
            Attribute.SUBJECT: issued.cert.subject.public_bytes(),
        })


class TimeStampServer:
    """An RFC 3161 time-stamp server on 127.0.0.1 (pyHanko's test stamper behind http.server),
    for the B-T signatures; `url` while running; stop() ends its thread."""

    def __init__(self, root: Issued):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from asn1crypto import keys, tsp
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign.timestamps import DummyTimeStamper

        issued = issue(root, "Máy chủ dấu thời gian thử nghiệm", tsa=True)
        stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(issued.der()),
            tsa_key=keys.PrivateKeyInfo.load(issued.key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())))
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                outer.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
