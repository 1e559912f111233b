"""A real SMTP server for the delivery tests: aiosmtpd, in plain, STARTTLS or implicit-TLS mode.

    smtp_server.py --mode plain|starttls|tls --pki DIR --received DIR [--cert good|self-signed|wrong-name]
                   [--user NAME --password SECRET] [--no-plain-auth] [--rcpt-reply "451 4.3.0 try later"]
                   [--no-starttls] [--silent]

On start it makes (once per DIR) a test CA and certificates in DIR: ca.pem; good.pem/good.key for
localhost and 127.0.0.1 signed by the CA; self-signed.pem/.key for localhost, signed by no CA;
wrong-name.pem/.key for mail.other.example, signed by the CA. Then it prints "ready PORT" on
standard output (the readiness line the tests wait for) and serves until killed.

Each message received is parsed with Python's email package and written to --received as
N.json: envelope (from, to), the authenticated user, the decoded Subject, From, Message-ID,
Date, Auto-Submitted, Content-Type, and each part's type, charset and decoded text.
"""
import argparse
import asyncio
import datetime
import email
import email.policy
import ipaddress
import json
import os
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword, SMTP
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def make_pki(folder):
    if os.path.exists(os.path.join(folder, "ca.pem")):
        return
    os.makedirs(folder, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)

    def name(common):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    def write(stem, key, cert):
        with open(os.path.join(folder, stem + ".key"), "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        with open(os.path.join(folder, stem + ".pem"), "wb") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))

    def certificate(subject, key, issuer, issuer_key, hosts, is_ca=False):
        builder = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
                   .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True))
        if is_ca:
            builder = builder.add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                                          data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                                          crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        else:
            sans = [x509.IPAddress(ipaddress.ip_address(h)) if h[0].isdigit() else x509.DNSName(h) for h in hosts]
            builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
            builder = builder.add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = certificate("Help Center Test CA", ca_key, "Help Center Test CA", ca_key, [], is_ca=True)
    with open(os.path.join(folder, "ca.pem"), "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    for stem, subject, hosts, signer in [("good", "localhost", ["localhost", "127.0.0.1"], ca_key),
                                         ("wrong-name", "mail.other.example", ["mail.other.example"], ca_key),
                                         ("self-signed", "localhost", ["localhost", "127.0.0.1"], None)]:
        key = ec.generate_private_key(ec.SECP256R1())
        issuer = "Help Center Test CA" if signer else subject
        write(stem, key, certificate(subject, key, issuer, signer or key, hosts))


class Handler:
    def __init__(self, folder, rcpt_reply):
        self.folder = folder
        self.rcpt_reply = rcpt_reply
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        parts = []
        for part in (message.walk() if message.is_multipart() else [message]):
            if part.is_multipart():
                continue
            parts.append({"type": part.get_content_type(), "charset": part.get_content_charset(),
                          "transfer_encoding": part.get("Content-Transfer-Encoding"), "text": part.get_content()})
        record = {
            "mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
            "user": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "subject": str(message["Subject"]), "from": str(message["From"]), "to": str(message["To"]),
            "message_id": str(message["Message-ID"]), "date": str(message["Date"]),
            "auto_submitted": str(message["Auto-Submitted"]), "content_type": message.get_content_type(),
            "defects": [type(d).__name__ for d in message.defects], "parts": parts,
            "longest_line": max(len(line) for line in envelope.original_content.split(b"\r\n")),
        }
        with self.lock:
            self.count += 1
            path = os.path.join(self.folder, f"{self.count}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(record, f, ensure_ascii=False)
        os.replace(path + ".tmp", path)
        return "250 2.0.0 OK queued"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["plain", "starttls", "tls"], required=True)
    parser.add_argument("--pki", required=True)
    parser.add_argument("--received", required=True)
    parser.add_argument("--cert", choices=["good", "self-signed", "wrong-name"], default="good")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--no-plain-auth", action="store_true")
    parser.add_argument("--no-starttls", action="store_true")
    parser.add_argument("--rcpt-reply")
    args = parser.parse_args()
    make_pki(args.pki)
    os.makedirs(args.received, exist_ok=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(os.path.join(args.pki, args.cert + ".pem"), os.path.join(args.pki, args.cert + ".key"))

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user and auth_data.password.decode() == args.password
        if ok:
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False, message="535 5.7.8 Authentication credentials invalid")

    with socket.socket() as probe:  # a free port (aiosmtpd's readiness check cannot take port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    kwargs = {"hostname": "127.0.0.1", "port": port, "ready_timeout": 10}
    if args.user:
        kwargs.update(authenticator=authenticate, auth_required=True, auth_require_tls=args.mode == "starttls")  # implicit TLS: aiosmtpd sees no STARTTLS, but the link is TLS
        if args.no_plain_auth:
            kwargs["auth_exclude_mechanism"] = ["PLAIN"]
    if args.mode == "starttls" and not args.no_starttls:
        kwargs.update(tls_context=context, require_starttls=True)
    if args.mode == "tls":
        kwargs["ssl_context"] = context
    controller = Controller(Handler(args.received, args.rcpt_reply), **kwargs)
    controller.start()
    print(f"ready {port}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
