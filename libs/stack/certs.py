"""The local stack's certificate authority: a CA and one certificate per process.

`make run` (and every test stack) talks gRPC over mutual TLS between its processes. The
launcher makes a CA the first time it runs and keeps it in `<var>/tls/` (keys mode 0600);
each process gets a certificate the CA signed, valid for 127.0.0.1, localhost and its
own name, usable both to serve and to call. `make clean` removes them with the data.
A certificate that is missing, unreadable or close to its end is made again.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from libs.grpc.tls import TlsFiles

TLS_DIR = "tls"
CA_NAME = "ca"
VALID_DAYS = 365
RENEW_BEFORE = datetime.timedelta(days=30)
ORGANISATION = "loyalty local stack"


@dataclass(frozen=True)
class _Issued:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)


def _load(cert_path: Path, key_path: Path) -> _Issued | None:
    """The certificate and key kept there, unless either is missing, unreadable or ending."""
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError):
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        return None
    if cert.not_valid_after_utc - _now() < RENEW_BEFORE:
        return None
    return _Issued(cert, key)


def _make_ca() -> _Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("loyalty local CA"))
        .issuer_name(_name("loyalty local CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS * 2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return _Issued(cert, key)


def issue(ca: _Issued, common_name: str, dns_names: Iterable[str] = ()) -> _Issued:
    """A certificate for one process, signed by `ca`, for serving and calling alike."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    names: list[x509.GeneralName] = [
        x509.DNSName(name) for name in dict.fromkeys([common_name, "localhost", *dns_names])
    ]
    names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .sign(ca.key, hashes.SHA256())
    )
    return _Issued(cert, key)


def _store(directory: Path, name: str, issued: _Issued) -> None:
    _write_key(directory / f"{name}.key", issued.key)
    (directory / f"{name}.crt").write_bytes(issued.cert.public_bytes(serialization.Encoding.PEM))


def local_certificates(var_dir: Path, names: Iterable[str]) -> dict[str, TlsFiles]:
    """`TlsFiles` per name, under `<var_dir>/tls/`, made (or made again) where needed."""
    directory = var_dir / TLS_DIR
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    ca_cert, ca_key = directory / f"{CA_NAME}.crt", directory / f"{CA_NAME}.key"
    ca = _load(ca_cert, ca_key)
    renewed = ca is None
    if ca is None:
        ca = _make_ca()
        _store(directory, CA_NAME, ca)
    files: dict[str, TlsFiles] = {}
    for name in names:
        cert, key = directory / f"{name}.crt", directory / f"{name}.key"
        held = None if renewed else _load(cert, key)
        if held is None or held.cert.issuer != ca.cert.subject:
            _store(directory, name, issue(ca, name))
        files[name] = TlsFiles(ca=ca_cert, cert=cert, key=key)
    return files
