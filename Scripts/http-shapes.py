#!/usr/bin/env python3
"""An HTTP/1.1 server on 127.0.0.1 for the transport tests: Python's http.server answering
in every framing a response may have, and counting connections so keep-alive can be seen.

Usage: http-shapes.py [--exit-on-stdin-eof]

  GET  /length       200, "length body" with Content-Length, kept alive
  GET  /chunked      200, Transfer-Encoding: chunked in three chunks with an extension and a
                     trailer, kept alive; the body is "chunked body, in three pieces"
  GET  /close        200, no Content-Length, "Connection: close": the body ends when the
                     server closes the connection
  HEAD /length       200 with the Content-Length of the GET and no body
  GET  /empty        204, no body
  PUT  /echo         200, JSON {"length": N, "sha256": HEX} of the request body, which must
                     have a Content-Length
  GET  /connections  200, JSON {"connections": N}: TCP connections accepted so far
When ready it prints one JSON line on stdout: {"port": PORT}.
Ends on SIGTERM, when its parent dies, or on EOF on stdin (with --exit-on-stdin-eof).
"""
import argparse
import hashlib
import http.server
import json
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helper_lifetime import install_stop_conditions, reserve_stdout_for_json, run_main, wait_forever  # noqa: E402

LENGTH_BODY = b"length body"
CHUNKS = [b"chunked body", b", in three", b" pieces"]


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.connections = 0

    def process_request(self, request, client_address) -> None:
        with self.lock:
            self.connections += 1
        super().process_request(request, client_address)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, *_args) -> None:
        pass

    def fixed(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.fixed(200, LENGTH_BODY) if self.path == "/length" else self.fixed(404, b"")

    def do_GET(self) -> None:
        if self.path == "/length":
            self.fixed(200, LENGTH_BODY)
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Trailer", "X-Checksum")
            self.end_headers()
            for i, chunk in enumerate(CHUNKS):
                extension = ";piece=%d" % i if i == 1 else ""
                self.wfile.write(b"%x%s\r\n%s\r\n" % (len(chunk), extension.encode(), chunk))
            self.wfile.write(b"0\r\nX-Checksum: 42\r\n\r\n")
        elif self.path == "/close":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"body ended by close")
            self.wfile.flush()
            self.close_connection = True
        elif self.path == "/empty":
            self.send_response(204)
            self.end_headers()
        elif self.path == "/connections":
            with self.server.lock:
                count = self.server.connections
            self.fixed(200, json.dumps({"connections": count}).encode(), "application/json")
        else:
            self.fixed(404, b"no such shape\n")

    def do_PUT(self) -> None:
        if self.path != "/echo" or self.headers.get("Content-Length") is None:
            return self.fixed(400, b"PUT /echo with a Content-Length\n")
        length = int(self.headers["Content-Length"])
        digest, left = hashlib.sha256(), length
        while left:
            piece = self.rfile.read(min(left, 1 << 20))
            if not piece:
                break
            digest.update(piece)
            left -= len(piece)
        self.fixed(200, json.dumps({"length": length - left, "sha256": digest.hexdigest()}).encode(),
                   "application/json")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    args = parser.parse_args(argv)
    json_out = reserve_stdout_for_json()
    install_stop_conditions(args.exit_on_stdin_eof)
    server = Server()
    threading.Thread(target=server.serve_forever, name="server", daemon=True).start()
    json_out.write(json.dumps({"port": server.server_address[1]}) + "\n")
    json_out.flush()
    wait_forever()
    return 0


if __name__ == "__main__":
    run_main(main)
