#!/usr/bin/env python3
"""TLS fronts for the euca end-to-end tests: a private CA and three HTTPS listeners on
127.0.0.1 that forward every connection's bytes to one plain-HTTP upstream (moto).

Usage: tls-front.py --upstream HOST:PORT --dir DIR [--exit-on-stdin-eof]

Writes DIR/ca.pem (the private CA) and DIR/other-ca.pem (a CA that signed nothing we serve),
then listens with three server certificates, all issued by ca.pem:
  good     for DNS:localhost and IP:127.0.0.1, valid now
  expired  for the same names, expired yesterday
  wrong    for DNS:wrong.example only (a name mismatch for localhost and 127.0.0.1)
When ready it prints one JSON line on stdout:
  {"good": PORT, "expired": PORT, "wrong": PORT, "ca": "DIR/ca.pem", "other_ca": "DIR/other-ca.pem"}
Needs the `cryptography` package (moto depends on it). Ends on SIGTERM or EOF on stdin.
"""
import argparse, datetime, ipaddress, json, os, socket, ssl, sys, threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def name(text):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def make_ca(common_name):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name(common_name)).issuer_name(name(common_name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_server(ca_key, ca_cert, names, not_before, not_after):
    key = ec.generate_private_key(ec.SECP256R1())
    alt = [x509.IPAddress(ipaddress.ip_address(n)) if n[0].isdigit() else x509.DNSName(n) for n in names]
    cert = (x509.CertificateBuilder().subject_name(name(names[0])).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def pem_files(directory, label, key, cert):
    cert_path = os.path.join(directory, label + ".crt")
    key_path = os.path.join(directory, label + ".key")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return cert_path, key_path


def pump(source, target):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, target):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(listener, context, upstream):
    while True:
        try:
            raw, _ = listener.accept()
        except OSError:
            return
        def handle(raw=raw):
            try:
                client = context.wrap_socket(raw, server_side=True)
            except (ssl.SSLError, OSError):
                raw.close()
                return
            try:
                backend = socket.create_connection(upstream, timeout=10)
                backend.settimeout(None)
            except OSError:
                client.close()
                return
            threading.Thread(target=pump, args=(backend, client), daemon=True).start()
            pump(client, backend)
        threading.Thread(target=handle, daemon=True).start()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    args = parser.parse_args()
    host, port = args.upstream.rsplit(":", 1)
    upstream = (host, int(port))
    os.makedirs(args.dir, exist_ok=True)

    ca_key, ca_cert = make_ca("euca test CA")
    _, other_cert = make_ca("euca other CA")
    ca_path = os.path.join(args.dir, "ca.pem")
    other_path = os.path.join(args.dir, "other-ca.pem")
    with open(ca_path, "wb") as f:
        f.write(ca_cert.public_bytes(serialization.Encoding.PEM))
    with open(other_path, "wb") as f:
        f.write(other_cert.public_bytes(serialization.Encoding.PEM))

    now = datetime.datetime.now(datetime.timezone.utc)
    day = datetime.timedelta(days=1)
    servers = {
        "good": make_server(ca_key, ca_cert, ["localhost", "127.0.0.1"], now - day, now + 30 * day),
        "expired": make_server(ca_key, ca_cert, ["localhost", "127.0.0.1"], now - 30 * day, now - day),
        "wrong": make_server(ca_key, ca_cert, ["wrong.example"], now - day, now + 30 * day),
    }
    ready = {"ca": ca_path, "other_ca": other_path}
    for label, (key, cert) in servers.items():
        cert_path, key_path = pem_files(args.dir, label, key, cert)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        ready[label] = listener.getsockname()[1]
        threading.Thread(target=serve, args=(listener, context, upstream), daemon=True).start()

    print(json.dumps(ready), flush=True)
    if args.exit_on_stdin_eof:
        sys.stdin.read()
    else:
        threading.Event().wait()


if __name__ == "__main__":
    main()
