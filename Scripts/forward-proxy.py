#!/usr/bin/env python3
"""A forward proxy on 127.0.0.1 for the euca end-to-end tests, counting what passes.

Usage: forward-proxy.py [--user USER:PASSWORD] [--stall] [--exit-on-stdin-eof]

Serves what a client behind `http_proxy`/`https_proxy` sends:
  absolute-form requests (`GET http://host:port/path HTTP/1.1`), forwarded to the origin in
      origin form with the client's headers as they are (so signatures still match), the
      answer relayed with a Content-Length; the client's connection is kept alive;
  CONNECT host:port, answered 200 and then a byte tunnel both ways (TLS inside, unseen).
With --user, a request without `Proxy-Authorization: Basic base64(USER:PASSWORD)` is
answered 407. With --stall, every request is read and never answered (a proxy that hangs).

Requests in origin form are the control interface:
  GET /requests   JSON list of {"method", "target", "authorized"} in arrival order
  POST /reset     forget them
When ready it prints one JSON line on stdout: {"endpoint": "http://127.0.0.1:PORT", "port": PORT}.
Ends on SIGTERM, when its parent dies, or on EOF on stdin (with --exit-on-stdin-eof).
"""
import argparse
import base64
import http.client
import http.server
import json
import os
import select
import socket
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helper_lifetime import install_stop_conditions, reserve_stdout_for_json, run_main, wait_forever  # noqa: E402

# Hop-by-hop headers (RFC 9110 7.6.1) and the framing the proxy redoes itself.
HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "proxy-authorization", "te",
              "trailer", "transfer-encoding", "upgrade", "content-length"}


class Proxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, user: str | None, stall: bool):
        super().__init__(("127.0.0.1", 0), Handler)
        self.expected = "Basic " + base64.b64encode(user.encode()).decode() if user else None
        self.stall = stall
        self.lock = threading.Lock()
        self.seen: list[dict] = []


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Proxy

    def log_message(self, *_args) -> None:
        pass

    def record(self) -> bool:
        authorized = self.server.expected is None or \
            self.headers.get("Proxy-Authorization") == self.server.expected
        with self.server.lock:
            self.server.seen.append({"method": self.command, "target": self.path, "authorized": authorized})
        return authorized

    def reply(self, status: int, body: bytes, headers: list[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def refuse_or_stall(self) -> bool:
        """True when the request was dealt with: stalled, or refused for its credentials."""
        if self.server.stall:
            self.record()
            threading.Event().wait()
        if not self.record():
            self.reply(407, b"proxy authentication required\n",
                       [("Proxy-Authenticate", 'Basic realm="euca-tests"')])
            return True
        return False

    def control(self) -> None:
        if self.command == "GET" and self.path == "/requests":
            with self.server.lock:
                body = json.dumps(self.server.seen).encode()
            self.reply(200, body, [("Content-Type", "application/json")])
        elif self.command == "POST" and self.path == "/reset":
            self.body()
            with self.server.lock:
                self.server.seen.clear()
            self.reply(204, b"")
        else:
            self.reply(404, b"not a proxy request\n")

    def forward(self) -> None:
        if not self.path.startswith("http://"):
            return self.control()
        body = self.body()
        if self.refuse_or_stall():
            return
        rest = self.path[len("http://"):]
        authority, _, path = rest.partition("/")
        host, _, port = authority.rpartition(":") if ":" in authority else (authority, "", "80")
        upstream = http.client.HTTPConnection(host.strip("[]"), int(port), timeout=60)
        try:
            upstream.putrequest(self.command, "/" + path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    upstream.putheader(name, value)
            if body or self.command in ("PUT", "POST"):
                upstream.putheader("Content-Length", str(len(body)))
            upstream.endheaders(body)
            answer = upstream.getresponse()
            content = answer.read()
            headers = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP]
        except OSError as e:
            return self.reply(502, f"upstream {authority}: {e}\n".encode())
        finally:
            upstream.close()
        self.send_response(answer.status, answer.reason)
        for name, value in headers:
            self.send_header(name, value)
        if self.command != "HEAD" and answer.status not in (204, 304):
            self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = forward

    def do_CONNECT(self) -> None:
        if self.refuse_or_stall():
            return
        host, _, port = self.path.rpartition(":")
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
        except (OSError, ValueError) as e:
            return self.reply(502, f"cannot reach {self.path}: {e}\n".encode())
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        self.tunnel(self.connection, upstream)
        self.close_connection = True

    @staticmethod
    def tunnel(client: socket.socket, upstream: socket.socket) -> None:
        peers = {client: upstream, upstream: client}
        try:
            while True:
                readable, _, _ = select.select(list(peers), [], [], 120)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except OSError:
            return
        finally:
            upstream.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="forward proxy for the euca end-to-end tests")
    parser.add_argument("--user", help="require these Basic credentials (USER:PASSWORD)")
    parser.add_argument("--stall", action="store_true", help="read requests, never answer")
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    args = parser.parse_args(argv)
    json_out = reserve_stdout_for_json()
    install_stop_conditions(args.exit_on_stdin_eof)
    proxy = Proxy(args.user, args.stall)
    port = proxy.server_address[1]
    threading.Thread(target=proxy.serve_forever, name="proxy", daemon=True).start()
    json_out.write(json.dumps({"endpoint": f"http://127.0.0.1:{port}", "port": port}) + "\n")
    json_out.flush()
    wait_forever()
    return 0


if __name__ == "__main__":
    run_main(main)
