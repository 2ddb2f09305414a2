#!/usr/bin/env python3
"""A reverse proxy that makes the cloud fail on purpose, for the euca end-to-end tests.

Usage: fault-proxy.py [--upstream http://127.0.0.1:PORT] [--port N]
                      [--schedule FILE|JSON] [--seed N]
                      [--max-requests N] [--max-seconds S]
                      [--exit-on-stdin-eof] [--verbose]

Listens on 127.0.0.1 (a free port unless --port is given) and forwards every request to
the upstream (normally the moto endpoint of Scripts/moto-endpoint.py), except those that
a rule of the *schedule* picks for a fault. Point EC2_URL/S3_URL at the proxy. Python 3
standard library only. When it is ready it prints exactly one JSON line on stdout:

  {"endpoint": "http://127.0.0.1:PORT", "pid": N}

Nothing else is ever written to stdout; logs go to stderr. On a startup failure (a bad
schedule, a port in use) the exit status is non-zero and no JSON line is printed.

Forwarding
----------
The request is forwarded byte for byte: request line, header block (Host included) and
body exactly as the client sent them. That matters because the client signs
Host: 127.0.0.1:PROXYPORT with SigV4, and moto verifies the signature against the Host
it receives (it accepts any Host as long as it is the signed one). The upstream's
response (status line, headers, body and its framing) is relayed unchanged too, except
where a fault changes it and for the hop-by-hop Connection and Keep-Alive headers, which
describe the proxy's own upstream connection (used for one request, then closed). moto's
werkzeug sends "Connection: close" on every response; relaying it would stop the client
from ever reusing a connection, which real endpoints let it do.

Towards the client the proxy speaks HTTP/1.1 with keep-alive: bodies are framed by
Content-Length (or relayed chunked, as the upstream sent them; a body the upstream ended
by closing gets a Content-Length), several requests may come over one connection, and it
is closed after a response only when the client asked for that ("Connection: close", or
HTTP/1.0 without keep-alive) or a fault closes it. "Expect: 100-continue" is answered by
the proxy itself (the upstream's own 100 is skipped). Every connection has its own thread.

A connection that closes before sending a request is not a request: euca's connect-timeout
probe (EucaCore/HTTP/ConnectProbes.swift) opens and closes one for each new host:port.

The schedule
------------
A JSON list of rules (or {"rules": [...], "seed": N}). For each request the rules are
tried in order; the first one that matches, has uses left and wins its probability draw
applies its fault. A request that no rule takes is passed through.

  {"match": {"method": "POST",                 # exact, case-insensitive
             "path": "^/bucket/key$",          # regex, re.search on the path (no query)
             "action": "RunInstances",         # EC2/Query Action (form body or query)
             "service": "s3",                  # the service in the SigV4 credential scope
             "nth": 2},                        # only the 2nd request matching the above
   "times": 1,           # how many requests it applies to; null or absent: every one
   "probability": 0.5,   # chance to apply when it could; absent: 1 (seeded, --seed)
   "label": "first zone call fails",   # optional; copied into the log
   "fault": {"type": "error", ...}}

All match fields are optional; {} (or no "match") matches every request. "nth" counts,
per rule, every request that matches the rule's other fields, whether or not an earlier
rule took it, so it does not depend on the other rules. Unknown fields are an error, so a
misspelt rule fails loudly instead of silently passing everything through. Replacing the
schedule resets all counters and re-seeds the random generator, so the same schedule and
seed always make the same decisions for the same sequence of requests.

Faults ("close": "fin" is an orderly close, "rst" an abortive one via SO_LINGER 0):

  pass               Forward unchanged (uses up a "times"; marks the request in the log).
  error              {"status": 503, "code": "ServiceUnavailable", "message": "...",
                      "style": "ec2"|"s3", "headers": {...}}
                     An AWS error document, not forwarded. EC2 style:
                     <Response><Errors><Error><Code/><Message/></Error></Errors>
                     <RequestID/></Response>; S3 style: <Error><Code/><Message/>
                     <RequestId/><HostId/></Error>. The default style is s3 for requests
                     signed for s3, else ec2. Use it for 500/503, RequestLimitExceeded
                     (EC2 answers it with 503), Throttling (400), SlowDown (S3, 503).
  skew               {"seconds": 3600, "code": ..., "status": 403, "style": ...,
                      "tolerance": null}
                     A 403 clock-skew error, not forwarded, whose Date header is the real
                     time plus "seconds" (a server whose clock is that far ahead). The code
                     defaults to RequestTimeTooSkewed (s3) or RequestExpired (ec2); use
                     "code": "AuthFailure" for the EC2 variant that only a far-off Date
                     reveals. moto itself has no skew check. With "tolerance": T the rule
                     applies only to requests whose X-Amz-Date (or Date) is more than T
                     seconds away from that server time, like a real server: a client
                     that corrected its clock gets through.
  reset              {"close": "rst"} Read the whole request, then close without any
                     response.
  reset_mid_body     {"after_bytes": N, "close": "rst"} Forward, send the response headers
                     (with the full Content-Length) and the first N body bytes, close.
  forward_then_drop  {"close": "fin"} Forward (the action really happens), then close
                     without sending the response: the "first response is lost" case.
  delay              {"seconds": S} Wait S seconds, then forward and answer normally. The
                     request is forwarded even if the client gave up meanwhile, as a slow
                     server would still carry it out; "client_closed" in the log says
                     whether it did.
  stall_body         {"seconds": S, "after_bytes": 0, "then": "finish"|"close"|"reset"}
                     Forward, send the headers and the first "after_bytes" body bytes,
                     stall S seconds, then send the rest ("finish") or close;
                     "client_closed" in the log says whether the client gave up meanwhile.
  truncate           {"keep_bytes": N, "close": "fin"} Forward, send the right
                     Content-Length but only the first N body bytes, close.
  wrong_length       {"extra": N, "close": "fin"} Forward, send the whole body under a
                     Content-Length N bytes larger, close.
  garbage            {"status": 200, "bytes": 256, "content_type": "text/xml"} Random
                     bytes (seeded, never a '<') as the body; not forwarded.
  malformed_xml      {} Forward, answer 200 with the first half of the upstream body
                     (Content-Length matches the cut body).
  redirect           {"status": 301, "location": "http://...", "region": null,
                      "style": ...} A redirect, not forwarded. S3 style (the default
                     when "region" is given or the request is signed for s3) has an
                     <Error><Code>PermanentRedirect|TemporaryRedirect</Code>...
                     <Endpoint/></Error> body; "region" adds an x-amz-bucket-region
                     header. EC2 style has an empty body.
  html               {"status": 502} An HTML error page like nginx or a load balancer
                     sends; not forwarded.
  tamper_etag        {"etag": "\"...\""} Forward, then relay the upstream's response
                     unchanged except for its ETag header, which is replaced (added if
                     missing) by "etag" (default: the quoted MD5 of b"tampered by
                     fault-proxy"): a server that says it stored other bytes than
                     were sent.

There is no "refuse" fault: a connection the proxy has accepted cannot be refused any
more. Tests of "connection refused" point the client at a port nobody listens on (bind
a socket to 127.0.0.1:0, read its port, close it).

Observability and control
-------------------------
Every request is recorded, as a JSON object with these fields (null when unknown):

  seq              1, 2, ... over the proxy's whole life (a reset does not restart it)
  t, t_done        monotonic seconds when the request had been read / was finished with
  time             wall-clock seconds (time.time()) when it had been read
  connection       the client connection's number: equal numbers = a kept-alive connection
  method, path, query, host       as received (host: the Host header)
  service          the service of the SigV4 credential scope ("ec2", "s3", ...)
  region           the region of the SigV4 credential scope ("us-east-1", ...)
  action           the EC2/Query Action;  bucket, key: S3 path-style bucket and key
  x_amz_date       the X-Amz-Date the request was signed with
  rule, label      the index and label of the rule that took it
  fault            its type, "pass" when no rule took it, "incomplete" (see below)
  upstream_status  what the upstream answered (null: not forwarded)
  status           what the proxy sent (or began to send) to the client (null: nothing)
  request_bytes, upstream_bytes, response_bytes   body sizes; response_bytes counts
                   the body bytes actually sent
  error            what went wrong (the client went away, the upstream failed, ...)
  done             false while the proxy is still working on it (a delay, a stall)
  client_closed    true if the client closed (or reset) its connection while a delay or
                   a stall held the response back: the client gave up waiting, which
                   tests of read timeouts observe instead of timing the client

Requests under /__proxy/ are the control API; they are never forwarded, recorded or
counted:

  GET  /__proxy/log        the records, oldest first, as a JSON list
  GET  /__proxy/schedule   the rules with their "seen" and "used" counters
  POST /__proxy/schedule   replace the schedule (body as for --schedule); resets counters.
                           400 with {"error": "..."} if the schedule is invalid.
  POST /__proxy/reset      clear the log and the schedule

A request whose headers arrived but whose body did not (the client closed the connection
or sent nothing for 60 s) is recorded with "fault": "incomplete" and an "error"; it is
not matched against the schedule. A client that re-sends a request on a fresh connection
after a kept-alive one died, but without rewinding its body, produces exactly that (the
FoundationNetworking/libcurl stack this project used to have did); the tests check that
none appears. See Tests/EndToEndTests/FaultProxyTests.swift.

Lifetime
--------
Bounded and self-stopping: --max-requests N (exit once N proxied requests have been
answered), --max-seconds S, SIGTERM/SIGINT, EOF on stdin (with --exit-on-stdin-eof),
and always when the parent process dies (getppid() is polled every 0.5 s), so a crashed
test run cannot leave a proxy behind. It stops with os._exit() and does not wait for
requests still in progress.
"""

from __future__ import annotations

import argparse
import calendar
import email.utils
import errno
import hashlib
import http
import itertools
import json
import logging
import os
import random
import re
import select
import socket
import struct
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

# Scripts/ is on sys.path when a script there runs.
from helper_lifetime import install_stop_conditions, reserve_stdout_for_json, run_main, terminate


log = logging.getLogger("fault-proxy")

CONTROL_PREFIX = "/__proxy/"
MAX_HEAD_BYTES = 64 * 1024
IDLE_TIMEOUT = 120  # seconds a kept-alive client connection may wait between requests
IO_TIMEOUT = 60  # seconds for reading a request body or the upstream's response


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="A fault-injecting reverse proxy on 127.0.0.1 (see the module docstring).")
    p.add_argument("--upstream", metavar="URL",
                   help="http://HOST:PORT to forward to; without it, requests that would be "
                        "forwarded get a 502 from the proxy")
    p.add_argument("--port", type=int, default=0, help="port to listen on (default: a free port)")
    p.add_argument("--schedule", metavar="FILE|JSON",
                   help="the initial schedule: a JSON text or the path of a JSON file")
    p.add_argument("--seed", type=int, default=0,
                   help="seed for probabilities and garbage bodies (default: 0)")
    p.add_argument("--max-requests", type=int, metavar="N",
                   help="exit after answering N proxied requests")
    p.add_argument("--max-seconds", type=float, metavar="S", help="exit after S seconds")
    p.add_argument("--exit-on-stdin-eof", action="store_true",
                   help="exit when stdin reaches EOF (the parent keeps the write end open)")
    p.add_argument("-v", "--verbose", action="count", default=0,
                   help="log every request (to stderr); twice: also connections")
    return p.parse_args(argv)


# --------------------------------------------------------------------------- #
# The schedule
# --------------------------------------------------------------------------- #

class ConfigurationError(Exception):
    """A command-line argument is unusable; the message says why."""


class ScheduleError(ConfigurationError):
    """The schedule is invalid; the message says where."""


# Which parameters each fault takes: name -> (kind, required). Kinds: "int", "number",
# "str", "dict", or a tuple of allowed strings.
CLOSE = ("fin", "rst")
STYLE = ("ec2", "s3")
FAULTS: dict[str, dict[str, tuple[object, bool]]] = {
    "pass": {},
    "error": {"status": ("int", False), "code": ("str", False), "message": ("str", False),
              "style": (STYLE, False), "headers": ("dict", False)},
    "skew": {"seconds": ("number", True), "code": ("str", False), "status": ("int", False),
             "message": ("str", False), "style": (STYLE, False), "tolerance": ("number", False)},
    "reset": {"close": (CLOSE, False)},
    "reset_mid_body": {"after_bytes": ("int", True), "close": (CLOSE, False)},
    "forward_then_drop": {"close": (CLOSE, False)},
    "delay": {"seconds": ("number", True)},
    "stall_body": {"seconds": ("number", True), "after_bytes": ("int", False),
                   "then": (("finish", "close", "reset"), False)},
    "truncate": {"keep_bytes": ("int", True), "close": (CLOSE, False)},
    "wrong_length": {"extra": ("int", True), "close": (CLOSE, False)},
    "garbage": {"status": ("int", False), "bytes": ("int", False), "content_type": ("str", False)},
    "malformed_xml": {},
    "redirect": {"status": ("int", False), "location": ("str", True), "region": ("str", False),
                 "style": (STYLE, False)},
    "html": {"status": ("int", False)},
    "tamper_etag": {"etag": ("str", False)},
}
MATCH_FIELDS = {"method": "str", "path": "str", "action": "str", "service": "str", "nth": "int"}
RULE_FIELDS = {"match", "times", "probability", "label", "fault"}


def _check_kind(where: str, value: object, kind: object) -> None:
    ok = {
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0,
        "str": lambda v: isinstance(v, str),
        "dict": lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
    }
    if isinstance(kind, tuple):
        if value not in kind:
            raise ScheduleError(f"{where} must be one of {', '.join(kind)}, got {value!r}")
    elif not ok[kind](value):
        expected = {"int": "a non-negative integer", "number": "a non-negative number",
                    "str": "a string", "dict": "an object of strings"}[kind]
        raise ScheduleError(f"{where} must be {expected}, got {value!r}")


@dataclass
class Rule:
    index: int
    spec: dict  # the rule as given (returned by GET /__proxy/schedule)
    method: str | None
    path: re.Pattern | None
    action: str | None
    service: str | None
    nth: int | None
    times: int | None
    probability: float
    label: str | None
    fault: dict
    seen: int = 0  # requests that matched the match fields other than nth
    used: int = 0  # requests the fault was applied to

    @classmethod
    def parse(cls, index: int, spec: object) -> "Rule":
        where = f"rule {index}"
        if not isinstance(spec, dict):
            raise ScheduleError(f"{where} must be an object, got {spec!r}")
        unknown = set(spec) - RULE_FIELDS
        if unknown:
            raise ScheduleError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        match = spec.get("match") or {}
        if not isinstance(match, dict):
            raise ScheduleError(f"{where}.match must be an object")
        for name, value in match.items():
            if name not in MATCH_FIELDS:
                raise ScheduleError(f"{where}.match: unknown field {name!r} "
                                    f"(known: {', '.join(MATCH_FIELDS)})")
            _check_kind(f"{where}.match.{name}", value, MATCH_FIELDS[name])
        if match.get("nth") == 0:
            raise ScheduleError(f"{where}.match.nth counts from 1")
        try:
            path = re.compile(match["path"]) if "path" in match else None
        except re.error as e:
            raise ScheduleError(f"{where}.match.path is not a valid regex: {e}") from None

        times = spec.get("times")
        if times is not None:
            _check_kind(f"{where}.times", times, "int")
        probability = spec.get("probability", 1)
        _check_kind(f"{where}.probability", probability, "number")
        if probability > 1:
            raise ScheduleError(f"{where}.probability must be between 0 and 1")
        label = spec.get("label")
        if label is not None:
            _check_kind(f"{where}.label", label, "str")

        fault = spec.get("fault")
        if not isinstance(fault, dict) or "type" not in fault:
            raise ScheduleError(f"{where}.fault must be an object with a \"type\"")
        kind = fault["type"]
        if kind not in FAULTS:
            raise ScheduleError(f"{where}.fault.type {kind!r} is not one of "
                                f"{', '.join(FAULTS)} (\"refuse\" cannot be done on an "
                                "accepted connection: use a closed port)")
        params = FAULTS[kind]
        for name, value in fault.items():
            if name == "type":
                continue
            if name not in params:
                raise ScheduleError(f"{where}.fault: {kind} takes no {name!r} "
                                    f"(it takes: {', '.join(params) or 'nothing'})")
            _check_kind(f"{where}.fault.{name}", value, params[name][0])
        for name, (_, required) in params.items():
            if required and name not in fault:
                raise ScheduleError(f"{where}.fault: {kind} needs {name!r}")
        if "status" in fault and not 200 <= fault["status"] <= 599:
            raise ScheduleError(f"{where}.fault.status must be a final HTTP status (200-599)")
        if kind == "redirect" and not 300 <= fault.get("status", 301) < 400:
            raise ScheduleError(f"{where}.fault: a redirect status must be 3xx")

        return cls(index=index, spec=spec, method=match.get("method"), path=path,
                   action=match.get("action"), service=match.get("service"),
                   nth=match.get("nth"), times=times, probability=float(probability),
                   label=label, fault=fault)

    def matches_fields(self, info: dict) -> bool:
        if self.method is not None and self.method.upper() != info["method"].upper():
            return False
        if self.path is not None and not self.path.search(info["path"]):
            return False
        if self.action is not None and self.action != info["action"]:
            return False
        if self.service is not None and self.service != info["service"]:
            return False
        return True

    def applies_to_clock(self, info: dict, now: float) -> bool:
        """For skew with a tolerance: only requests dated too far from the skewed clock."""
        tolerance = self.fault.get("tolerance")
        if self.fault["type"] != "skew" or tolerance is None:
            return True
        signed = info.get("signed_time")
        if signed is None:
            return True
        return abs(signed - (now + self.fault["seconds"])) > tolerance


def parse_schedule(value: object) -> tuple[list[Rule], int | None]:
    seed = None
    if isinstance(value, dict):
        unknown = set(value) - {"rules", "seed"}
        if unknown:
            raise ScheduleError(f"unknown field(s) {', '.join(sorted(unknown))}: "
                                "expected a list of rules or {\"rules\": [...], \"seed\": N}")
        seed = value.get("seed")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise ScheduleError("seed must be an integer")
        value = value.get("rules", [])
    if not isinstance(value, list):
        raise ScheduleError("a schedule is a JSON list of rules")
    return [Rule.parse(i, spec) for i, spec in enumerate(value)], seed


def load_schedule_argument(text: str) -> object:
    stripped = text.strip()
    try:
        if stripped.startswith(("[", "{")):
            return json.loads(stripped)
        with open(text, encoding="utf-8") as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        raise ScheduleError(f"--schedule is not valid JSON: {e}") from None
    except OSError as e:
        raise ScheduleError(f"cannot read --schedule file: {e}") from None


# --------------------------------------------------------------------------- #
# HTTP/1.1 parsing
# --------------------------------------------------------------------------- #

class ProtocolError(Exception):
    """The peer sent something that is not HTTP/1.x."""


class Reader:
    """Buffered reads from a socket; what is read past one message stays for the next."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        if not data:
            return False
        self.buffer += data
        return True

    def read_head(self) -> bytes | None:
        """The start line and headers through the empty line; None at EOF before any byte."""
        while True:
            while self.buffer.startswith(b"\r\n"):  # stray CRLFs between messages (RFC 9112 2.2)
                del self.buffer[:2]
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                head = bytes(self.buffer[:end + 4])
                del self.buffer[:end + 4]
                return head
            if len(self.buffer) > MAX_HEAD_BYTES:
                raise ProtocolError("header block larger than 64 KiB")
            if not self._fill():
                if self.buffer:
                    raise ProtocolError("connection closed in the middle of the headers")
                return None

    def read_line(self) -> bytes:
        while True:
            end = self.buffer.find(b"\r\n")
            if end >= 0:
                line = bytes(self.buffer[:end + 2])
                del self.buffer[:end + 2]
                return line
            if len(self.buffer) > MAX_HEAD_BYTES or not self._fill():
                raise ProtocolError("connection closed or line too long in a chunked body")

    def read_exact(self, count: int) -> bytes:
        while len(self.buffer) < count:
            if not self._fill():
                raise ProtocolError(f"connection closed after {len(self.buffer)} of {count} body bytes")
        data = bytes(self.buffer[:count])
        del self.buffer[:count]
        return data

    def read_to_eof(self) -> bytes:
        while self._fill():
            pass
        data = bytes(self.buffer)
        self.buffer.clear()
        return data


@dataclass
class Head:
    raw: bytes
    start_line: str
    headers: list[tuple[str, str]]

    @classmethod
    def parse(cls, raw: bytes) -> "Head":
        lines = raw[:-4].decode("latin-1").split("\r\n")
        headers = []
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if not colon or not name or name != name.strip() or line[0] in " \t":
                raise ProtocolError(f"malformed header line {line!r}")
            headers.append((name, value.strip()))
        return cls(raw=raw, start_line=lines[0], headers=headers)

    def get(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    def has_token(self, name: str, token: str) -> bool:
        value = self.get(name) or ""
        return token in [t.strip().lower() for t in value.split(",")]


def read_body(reader: Reader, head: Head, framing: str) -> tuple[bytes, bytes]:
    """(the body as it was on the wire, the body decoded) for the given framing."""
    if framing == "none":
        return b"", b""
    if framing == "length":
        value = head.get("Content-Length") or ""
        if not value.isdigit():
            raise ProtocolError(f"bad Content-Length {value!r}")
        body = reader.read_exact(int(value))
        return body, body
    if framing == "chunked":
        raw, decoded = bytearray(), bytearray()
        while True:
            line = reader.read_line()
            raw += line
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                raise ProtocolError(f"bad chunk size line {line!r}") from None
            if size == 0:
                while True:  # trailers, up to the empty line
                    trailer = reader.read_line()
                    raw += trailer
                    if trailer == b"\r\n":
                        return bytes(raw), bytes(decoded)
            chunk = reader.read_exact(size + 2)
            raw += chunk
            decoded += chunk[:-2]
    body = reader.read_to_eof()  # "eof": the body ends where the connection does
    return body, body


def request_framing(head: Head) -> str:
    if head.has_token("Transfer-Encoding", "chunked"):
        return "chunked"
    return "length" if head.get("Content-Length") is not None else "none"


def response_framing(head: Head, status: int, method: str) -> str:
    if method.upper() == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return "none"
    if head.has_token("Transfer-Encoding", "chunked"):
        return "chunked"
    return "length" if head.get("Content-Length") is not None else "eof"


@dataclass
class Request:
    head: Head
    method: str
    target: str
    version: str
    body_raw: bytes
    body: bytes

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.target).path or "/"

    @property
    def query(self) -> str:
        return urllib.parse.urlsplit(self.target).query

    @property
    def wants_close(self) -> bool:
        if self.version == "HTTP/1.0":
            return not self.head.has_token("Connection", "keep-alive")
        return self.head.has_token("Connection", "close")


@dataclass
class Response:
    """An upstream response: `raw_head` + `body_raw` is exactly what the upstream sent."""
    head: Head
    status: int
    body_raw: bytes
    body: bytes
    framing: str

    def head_for_client(self, close: bool) -> bytes:
        """The response head to relay: the upstream's, byte for byte, if it can be.

        Connection and Keep-Alive are hop-by-hop (RFC 9110 7.6.1): they describe the
        proxy's own upstream connection, which is used once and closed, so they are
        removed. (moto's werkzeug says "Connection: close" on every response; passing that
        on would stop the client from ever reusing its connection.) A body delimited by
        the upstream closing the connection gets a Content-Length instead, since the
        client's connection stays open.
        """
        hop_by_hop = {"connection", "keep-alive", "proxy-connection"}
        hop_by_hop |= {t.strip().lower() for t in (self.head.get("Connection") or "").split(",")}
        listed = [k for k, _ in self.head.headers if k.lower() in hop_by_hop]
        if not listed and self.framing != "eof" and not close:
            return self.head.raw
        lines = [self.head.start_line]
        lines += [f"{k}: {v}" for k, v in self.head.headers if k.lower() not in hop_by_hop]
        if self.framing == "eof":
            lines.append(f"Content-Length: {len(self.body)}")
        if close:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


    def head_with_etag(self, etag: str, close: bool) -> bytes:
        """The head for the client (as head_for_client) with the ETag header replaced."""
        hop_by_hop = {"connection", "keep-alive", "proxy-connection"}
        hop_by_hop |= {t.strip().lower() for t in (self.head.get("Connection") or "").split(",")}
        lines = [self.head.start_line]
        replaced = False
        for k, v in self.head.headers:
            if k.lower() in hop_by_hop:
                continue
            if k.lower() == "etag":
                v, replaced = etag, True
            lines.append(f"{k}: {v}")
        if not replaced:
            lines.append(f"ETag: {etag}")
        if self.framing == "eof":
            lines.append(f"Content-Length: {len(self.body)}")
        if close:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class UpstreamError(Exception):
    pass


# --------------------------------------------------------------------------- #
# Building responses
# --------------------------------------------------------------------------- #

def reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Status"


def http_date(offset: float = 0) -> str:
    return email.utils.formatdate(time.time() + offset, usegmt=True)


def response_head(status: int, headers: list[tuple[str, str]], content_length: int,
                  close: bool = False) -> bytes:
    lines = [f"HTTP/1.1 {status} {reason(status)}"]
    lines += [f"{k}: {v}" for k, v in headers]
    lines.append(f"Content-Length: {content_length}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def reframed_head(upstream: Response, content_length: int, status: int | None = None,
                  close: bool = False) -> bytes:
    """The upstream's headers with our own framing (Content-Length, never chunked)."""
    drop = {"content-length", "transfer-encoding", "connection", "keep-alive"}
    headers = [(k, v) for k, v in upstream.head.headers if k.lower() not in drop]
    return response_head(status or upstream.status, headers, content_length, close)


DEFAULT_MESSAGES = {
    "ServiceUnavailable": "The service is unavailable. Please try again shortly.",
    "InternalError": "An internal error has occurred. Please try again.",
    "InternalFailure": "An internal error has occurred. Please try again.",
    "RequestLimitExceeded": "Request limit exceeded.",
    "Throttling": "Rate exceeded",
    "SlowDown": "Please reduce your request rate.",
    "RequestTimeTooSkewed": "The difference between the request time and the current time is too large.",
    "RequestExpired": "Request has expired.",
    "AuthFailure": "AWS was not able to validate the provided access credentials",
}


def error_document(style: str, code: str, message: str, request_id: str,
                   extra: dict[str, str] | None = None) -> tuple[bytes, str]:
    """(body, Content-Type) of an AWS error document."""
    extra_xml = "".join(f"<{k}>{xml_escape(v)}</{k}>" for k, v in (extra or {}).items())
    if style == "s3":
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f"<Error><Code>{xml_escape(code)}</Code><Message>{xml_escape(message)}</Message>"
                f"{extra_xml}<RequestId>{request_id}</RequestId>"
                f"<HostId>{request_id}</HostId></Error>")
        return body.encode(), "application/xml"
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Response><Errors><Error><Code>{xml_escape(code)}</Code>"
            f"<Message>{xml_escape(message)}</Message>{extra_xml}</Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>")
    return body.encode(), "text/xml;charset=UTF-8"


def request_id_headers(style: str, request_id: str) -> list[tuple[str, str]]:
    return [("x-amz-request-id", request_id)] if style == "s3" else [("x-amzn-RequestId", request_id)]


HTML_PAGE = ("<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
             "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
             "</body>\r\n</html>\r\n")


# --------------------------------------------------------------------------- #
# Sockets
# --------------------------------------------------------------------------- #

def drain_send_queue(sock: socket.socket, timeout: float = 1.0) -> None:
    """Wait until the peer has acknowledged everything we sent.

    An abortive close (SO_LINGER 0) throws away whatever is still in the send queue, so
    without this the RST could overtake the N body bytes a fault promises to deliver.
    TIOCOUTQ (Linux) counts the bytes not yet acknowledged; elsewhere wait a moment.
    """
    try:
        import fcntl
        import termios
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pending = struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0" * 4))[0]
            if pending == 0:
                return
            time.sleep(0.005)
    except (ImportError, AttributeError, OSError):
        time.sleep(0.05)


def close_connection(sock: socket.socket, how: str) -> None:
    """Close a client connection: "fin" orderly, "rst" abortive (the peer sees ECONNRESET)."""
    try:
        if how == "rst":
            drain_send_queue(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def parse_amz_date(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return float(calendar.timegm(time.strptime(text, "%Y%m%dT%H%M%SZ")))
    except ValueError:
        parsed = email.utils.parsedate_tz(text)
        return float(email.utils.mktime_tz(parsed)) if parsed else None


# --------------------------------------------------------------------------- #
# The proxy
# --------------------------------------------------------------------------- #

class Closed(Exception):
    """The client connection is gone (or was closed by a fault); stop serving it."""


class Proxy:
    def __init__(self, upstream: tuple[str, int] | None, upstream_url: str | None,
                 rules: list[Rule], seed: int, max_requests: int | None) -> None:
        self.upstream = upstream
        self.upstream_url = upstream_url
        self.lock = threading.Lock()
        self.rules = rules
        self.seed = seed
        self.rng = random.Random(seed)
        self.garbage_rng = random.Random(seed + 1)  # separate, so bodies don't shift decisions
        self.records: list[dict] = []
        self.sequence = itertools.count(1)
        self.connections = itertools.count(1)
        self.max_requests = max_requests
        self.admitted = 0
        self.answered = 0

    # -- schedule -------------------------------------------------------------

    def set_schedule(self, rules: list[Rule], seed: int | None) -> None:
        with self.lock:
            self.rules = rules
            if seed is not None:
                self.seed = seed
            self.rng = random.Random(self.seed)
            self.garbage_rng = random.Random(self.seed + 1)

    def decide(self, info: dict) -> Rule | None:
        """The rule that takes this request, if any. Called with self.lock held."""
        now = time.time()
        candidates = []
        for rule in self.rules:
            if rule.matches_fields(info):
                rule.seen += 1
                candidates.append((rule, rule.seen))
        for rule, seen in candidates:
            if rule.nth is not None and seen != rule.nth:
                continue
            if rule.times is not None and rule.used >= rule.times:
                continue
            if not rule.applies_to_clock(info, now):
                continue
            # Draw only for rules that need it, so a certain rule doesn't shift the sequence.
            if rule.probability < 1 and self.rng.random() >= rule.probability:
                continue
            rule.used += 1
            return rule
        return None

    # -- recording --------------------------------------------------------------

    def new_record(self, request: Request, info: dict, connection: int, rule: Rule | None) -> dict:
        """One log entry. Fields that are not known yet are null until the request ends."""
        return {
            "seq": next(self.sequence),  # 1, 2, ... for the proxy's whole life
            "t": time.monotonic(),  # when the request had been read (monotonic seconds)
            "t_done": None,  # when the proxy was done with it
            "time": time.time(),  # wall clock, for reading logs
            "connection": connection,  # client connection number: equal = kept alive
            "method": request.method,
            "path": request.path,
            "query": request.query,
            "host": request.head.get("Host"),
            "service": info["service"],  # from the SigV4 credential scope
            "region": info["region"],  # from the SigV4 credential scope
            "action": info["action"],  # EC2/Query Action
            "bucket": info["bucket"],  # S3 path-style bucket and key
            "key": info["key"],
            "x_amz_date": request.head.get("X-Amz-Date") or info["query_amz_date"],
            "rule": rule.index if rule else None,
            "label": rule.label if rule else None,
            "fault": rule.fault["type"] if rule else "pass",
            "upstream_status": None,  # status the upstream answered (null: not forwarded)
            "status": None,  # status sent to the client (null: none sent)
            "request_bytes": len(request.body),
            "upstream_bytes": None,  # body bytes the upstream sent
            "response_bytes": 0,  # body bytes sent to the client
            "error": None,  # what went wrong, if anything did
            "done": False,
            # The client closed its connection during a delay or stall (it gave up waiting).
            "client_closed": False,
        }

    def record_incomplete(self, request: Request, connection: int, error: Exception) -> None:
        """Record a request whose body never arrived (it is neither matched nor counted).

        A client that sends the headers of a request but not its body is a client bug
        worth seeing in the log: it happens, for one, when a client re-sends a request on a
        fresh connection and cannot rewind the body (see the module docstring).
        """
        if request.path.startswith(CONTROL_PREFIX):
            return
        if isinstance(error, socket.timeout):
            error = ProtocolError(f"no request body within {IO_TIMEOUT} s")
        record = self.new_record(request, describe_request(request), connection, None)
        record.update(fault="incomplete", error=f"request body incomplete: {error}", done=True,
                      t_done=time.monotonic(), request_bytes=None)
        with self.lock:
            self.records.append(record)
        log.warning("#%d %s %s: %s", record["seq"], request.method, request.path, record["error"])

    def update(self, record: dict, **fields: object) -> None:
        with self.lock:
            record.update(fields)

    def hold(self, conn: socket.socket, record: dict, seconds: float) -> None:
        """Waits `seconds` (a delay or a stall), and notes in the record whether the client
        closed its connection meanwhile: that is how a test sees a read timeout fire without
        timing the client."""
        deadline = time.monotonic() + seconds
        readable, _, _ = select.select([conn], [], [], seconds)
        if not readable:
            return
        try:
            peeked = conn.recv(1, socket.MSG_PEEK)
        except OSError:  # reset by the client
            peeked = b""
        if not peeked:
            self.update(record, client_closed=True)
        # Either way there is nothing more to watch for (a client that sent more bytes has
        # pipelined its next request), and select would return at once from now on.
        time.sleep(max(0.0, deadline - time.monotonic()))

    # -- serving ----------------------------------------------------------------

    def serve(self, listener: socket.socket) -> None:
        # Python runs signal handlers on the main thread between bytecodes: a SIGTERM that
        # lands just before this thread enters accept() would wait for the next connection.
        # Waking up twice a second bounds that wait.
        listener.settimeout(0.5)
        while True:
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            except OSError as e:
                if e.errno in (errno.EMFILE, errno.ENFILE):
                    time.sleep(0.1)
                continue
            threading.Thread(target=self.handle_connection, args=(conn, next(self.connections)),
                             name="client", daemon=True).start()

    def handle_connection(self, conn: socket.socket, number: int) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = Reader(conn)
        opened = time.monotonic()
        log.debug("connection %d opened", number)
        try:
            while True:
                conn.settimeout(IDLE_TIMEOUT)
                raw = reader.read_head()
                if raw is None:
                    # The client closed an idle connection (or a connect probe closed its own).
                    log.debug("connection %d closed by the client after %.3f s", number,
                              time.monotonic() - opened)
                    break
                conn.settimeout(IO_TIMEOUT)
                if not self.handle_request(conn, reader, Head.parse(raw), number):
                    break
        except ProtocolError as e:
            log.warning("connection %d: %s", number, e)
            self.send_quietly(conn, response_head(400, [("Content-Type", "text/plain")],
                                                  len(str(e)) + 1, close=True) + f"{e}\n".encode())
        except Closed:
            pass  # a fault closed it already, or the client went away
        except OSError:
            pass  # includes socket.timeout: an idle client, or one that stopped sending
        except Exception:  # a bug in this script: say so, and don't leave the client hanging
            log.exception("connection %d: internal error", number)
        try:
            conn.close()  # a no-op if a fault closed it already
        except OSError:
            pass

    @staticmethod
    def send_quietly(conn: socket.socket, data: bytes) -> None:
        try:
            conn.sendall(data)
        except OSError:
            pass

    def send(self, conn: socket.socket, record: dict | None, data: bytes) -> None:
        try:
            conn.sendall(data)
        except OSError as e:
            if record is not None:
                self.update(record, error=f"client went away: {e}", done=True, t_done=time.monotonic())
            raise Closed() from None

    def handle_request(self, conn: socket.socket, reader: Reader, head: Head, number: int) -> bool:
        """Serve one request; False when the connection must not be used again."""
        parts = head.start_line.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise ProtocolError(f"not an HTTP/1.x request line: {head.start_line!r}")
        method, target, version = parts
        if head.has_token("Expect", "100-continue") and version == "HTTP/1.1":
            self.send(conn, None, b"HTTP/1.1 100 Continue\r\n\r\n")
        try:
            body_raw, body = read_body(reader, head, request_framing(head))
        except (ProtocolError, OSError) as e:
            self.record_incomplete(Request(head, method, target, version, b"", b""), number, e)
            raise Closed() from None
        request = Request(head, method, target, version, body_raw, body)

        if request.path.startswith(CONTROL_PREFIX):
            return self.handle_control(conn, request)

        with self.lock:
            self.admitted += 1
            over_limit = self.max_requests is not None and self.admitted > self.max_requests
        if over_limit:
            close_connection(conn, "fin")  # about to exit: --max-requests answered already
            raise Closed()

        info = describe_request(request)
        with self.lock:
            rule = self.decide(info)
            record = self.new_record(request, info, number, rule)
            self.records.append(record)
        if log.isEnabledFor(logging.INFO):
            log.info("#%d %s %s %s -> %s", record["seq"], method, request.path,
                     info["action"] or info["key"] or "", record["fault"])

        keep_alive = False
        try:
            keep_alive = self.apply(conn, request, record, rule.fault if rule else {"type": "pass"})
        finally:
            with self.lock:
                record["done"] = True
                if record["t_done"] is None:
                    record["t_done"] = time.monotonic()
                self.answered += 1
                finished = self.max_requests is not None and self.answered >= self.max_requests
            if finished:
                terminate(f"--max-requests {self.max_requests} answered")
        return keep_alive

    # -- faults -------------------------------------------------------------------

    def forward(self, request: Request, record: dict) -> Response | None:
        """The upstream's response, or None after answering 502 ourselves (recorded)."""
        if self.upstream is None:
            record_error = "no --upstream: nothing to forward to"
        else:
            try:
                response = exchange(self.upstream, request)
                self.update(record, upstream_status=response.status, upstream_bytes=len(response.body))
                return response
            except (OSError, ProtocolError, UpstreamError) as e:
                record_error = f"upstream {self.upstream_url} failed: {type(e).__name__}: {e}"
                log.warning("#%d: %s", record["seq"], record_error)
        self.update(record, error=record_error)
        return None

    def upstream_failed(self, conn: socket.socket, request: Request, record: dict) -> bool:
        text = f"fault-proxy: {record['error']}\n".encode()
        self.update(record, status=502, response_bytes=len(text))
        self.send(conn, record, response_head(
            502, [("Content-Type", "text/plain"), ("X-Fault-Proxy-Error", "upstream")], len(text),
            close=request.wants_close) + text)
        return not request.wants_close

    def reply(self, conn: socket.socket, request: Request, record: dict, status: int,
              headers: list[tuple[str, str]], body: bytes) -> bool:
        """Send a complete response of our own; True if the connection stays open."""
        # A "Date" among `headers` replaces the real one: the skew fault sends its own.
        has_date = any(k.lower() == "date" for k, _ in headers)
        headers = ([] if has_date else [("Date", http_date())]) + [("Server", "fault-proxy")] + headers
        self.update(record, status=status, response_bytes=len(body))
        self.send(conn, record, response_head(status, headers, len(body), request.wants_close) + body)
        return not request.wants_close

    def relay(self, conn: socket.socket, request: Request, record: dict, response: Response) -> bool:
        self.update(record, status=response.status, response_bytes=len(response.body))
        self.send(conn, record, response.head_for_client(request.wants_close) + response.body_raw)
        return not request.wants_close

    def apply(self, conn: socket.socket, request: Request, record: dict, fault: dict) -> bool:
        kind = fault["type"]
        style = fault.get("style") or ("s3" if record["service"] == "s3" else "ec2")
        request_id = f"fault-proxy-{record['seq']}"

        if kind == "error":
            code = fault.get("code", "ServiceUnavailable")
            body, content_type = error_document(
                style, code, fault.get("message", DEFAULT_MESSAGES.get(code, f"fault-proxy injected {code}")),
                request_id)
            headers = [("Content-Type", content_type)] + request_id_headers(style, request_id)
            headers += list(fault.get("headers", {}).items())
            return self.reply(conn, request, record, fault.get("status", 503), headers, body)

        if kind == "skew":
            server_time = time.time() + fault["seconds"]
            code = fault.get("code", "RequestTimeTooSkewed" if style == "s3" else "RequestExpired")
            extra = {}
            if code == "RequestTimeTooSkewed":
                extra = {"RequestTime": record["x_amz_date"] or "",
                         "ServerTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(server_time)),
                         "MaxAllowedSkewMilliseconds": "900000"}
            body, content_type = error_document(
                style, code, fault.get("message", DEFAULT_MESSAGES.get(code, code)), request_id, extra)
            headers = [("Content-Type", content_type), ("Date", http_date(fault["seconds"]))]
            return self.reply(conn, request, record, fault.get("status", 403),
                              headers + request_id_headers(style, request_id), body)

        if kind == "html":
            status = fault.get("status", 502)
            body = HTML_PAGE.format(status=status, reason=reason(status)).encode()
            return self.reply(conn, request, record, status, [("Content-Type", "text/html")], body)

        if kind == "garbage":
            with self.lock:
                body = self.garbage_rng.randbytes(fault.get("bytes", 256)).replace(b"<", b"?")
            return self.reply(conn, request, record, fault.get("status", 200),
                              [("Content-Type", fault.get("content_type", "text/xml;charset=UTF-8"))], body)

        if kind == "redirect":
            status = fault.get("status", 301)
            location = fault["location"]
            headers = [("Location", location)]
            body = b""
            if fault.get("region"):
                headers.append(("x-amz-bucket-region", fault["region"]))
            if fault.get("style", "s3" if fault.get("region") else style) == "s3":
                code = "PermanentRedirect" if status == 301 else "TemporaryRedirect"
                body, content_type = error_document(
                    "s3", code, "The bucket you are attempting to access must be addressed using "
                    "the specified endpoint. Please send all future requests to this endpoint.",
                    request_id, {"Endpoint": urllib.parse.urlsplit(location).netloc,
                                 "Bucket": record["bucket"] or ""})
                headers.append(("Content-Type", content_type))
            return self.reply(conn, request, record, status, headers, body)

        if kind == "reset":
            self.update(record, t_done=time.monotonic())
            close_connection(conn, fault.get("close", "rst"))
            raise Closed()

        if kind == "delay":
            self.hold(conn, record, fault["seconds"])
            # falls through to forwarding

        response = self.forward(request, record)
        if response is None:
            return self.upstream_failed(conn, request, record)

        if kind in ("pass", "delay"):
            return self.relay(conn, request, record, response)

        if kind == "tamper_etag":
            etag = fault.get("etag") or '"%s"' % hashlib.md5(b"tampered by fault-proxy").hexdigest()
            self.update(record, status=response.status, response_bytes=len(response.body))
            self.send(conn, record, response.head_with_etag(etag, request.wants_close) + response.body_raw)
            return not request.wants_close

        if kind == "forward_then_drop":
            self.update(record, t_done=time.monotonic())
            close_connection(conn, fault.get("close", "fin"))
            raise Closed()

        if kind == "malformed_xml":
            body = response.body[:len(response.body) // 2]
            self.update(record, status=200, response_bytes=len(body))
            self.send(conn, record, reframed_head(response, len(body), status=200,
                                                  close=request.wants_close) + body)
            return not request.wants_close

        if kind in ("truncate", "reset_mid_body", "wrong_length"):
            if kind == "wrong_length":
                declared, body = len(response.body) + fault["extra"], response.body
            else:
                keep = fault["keep_bytes" if kind == "truncate" else "after_bytes"]
                declared, body = len(response.body), response.body[:keep]
            self.update(record, status=response.status, response_bytes=len(body))
            self.send(conn, record, reframed_head(response, declared) + body)
            self.update(record, t_done=time.monotonic())
            close_connection(conn, fault.get("close", "rst" if kind == "reset_mid_body" else "fin"))
            raise Closed()

        if kind == "stall_body":
            first = response.body[:fault.get("after_bytes", 0)]
            self.update(record, status=response.status, response_bytes=len(first))
            self.send(conn, record, reframed_head(response, len(response.body),
                                                  close=request.wants_close) + first)
            self.hold(conn, record, fault["seconds"])
            then = fault.get("then", "finish")
            if then != "finish":
                self.update(record, t_done=time.monotonic())
                close_connection(conn, "rst" if then == "reset" else "fin")
                raise Closed()
            self.send(conn, record, response.body[len(first):])
            self.update(record, response_bytes=len(response.body))
            return not request.wants_close

        raise AssertionError(f"unhandled fault type {kind}")  # FAULTS and apply() disagree

    # -- control API --------------------------------------------------------------

    def handle_control(self, conn: socket.socket, request: Request) -> bool:
        route = (request.method.upper(), request.path[len(CONTROL_PREFIX):].rstrip("/"))
        status, payload = 200, None
        if route == ("GET", "log"):
            with self.lock:
                payload = json.dumps(self.records)
        elif route == ("GET", "schedule"):
            with self.lock:
                payload = json.dumps({"seed": self.seed, "rules": [
                    dict(rule.spec, seen=rule.seen, used=rule.used) for rule in self.rules]})
        elif route == ("POST", "schedule"):
            try:
                rules, seed = parse_schedule(json.loads(request.body or b"null"))
                self.set_schedule(rules, seed)
                log.info("schedule replaced: %d rule(s)", len(rules))
                payload = json.dumps({"rules": len(rules)})
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                status, payload = 400, json.dumps({"error": f"the body is not JSON: {e}"})
            except ScheduleError as e:
                status, payload = 400, json.dumps({"error": str(e)})
        elif route == ("POST", "reset"):
            with self.lock:
                self.records.clear()
            self.set_schedule([], None)
            payload = json.dumps({"reset": True})
        else:
            status = 404
            payload = json.dumps({"error": f"no control endpoint {request.method} {request.path}; "
                                           "there are GET log, GET/POST schedule, POST reset"})
        body = payload.encode()
        self.send(conn, None, response_head(status, [("Content-Type", "application/json")],
                                            len(body), request.wants_close) + body)
        return not request.wants_close


def describe_request(request: Request) -> dict:
    """What rules match on and the log records: service, Action, S3 bucket and key."""
    params = dict(urllib.parse.parse_qsl(request.query, keep_blank_values=True))
    content_type = (request.head.get("Content-Type") or "").lower()
    if content_type.startswith("application/x-www-form-urlencoded") and request.body:
        params.update(urllib.parse.parse_qsl(request.body.decode("utf-8", "replace"),
                                             keep_blank_values=True))
    credential = params.get("X-Amz-Credential", "")
    authorization = request.head.get("Authorization") or ""
    if "Credential=" in authorization:
        credential = authorization.split("Credential=", 1)[1].split(",", 1)[0]
    scope = credential.split("/")
    service = scope[3] if len(scope) >= 5 else None
    region = scope[2] if len(scope) >= 5 else None
    action = params.get("Action")

    bucket = key = None
    if service == "s3" or (action is None and service is None and request.path != "/"):
        segments = request.path.lstrip("/").split("/", 1)
        bucket = urllib.parse.unquote(segments[0]) or None
        key = urllib.parse.unquote(segments[1]) if len(segments) > 1 and segments[1] else None
    query_amz_date = params.get("X-Amz-Date")
    signed = parse_amz_date(request.head.get("X-Amz-Date") or query_amz_date or request.head.get("Date"))
    return {"method": request.method, "path": request.path, "action": action, "service": service,
            "region": region,
            "bucket": bucket, "key": key, "query_amz_date": query_amz_date, "signed_time": signed}


def exchange(upstream: tuple[str, int], request: Request) -> Response:
    """Send the request as received on a new connection and read the whole response."""
    with socket.create_connection(upstream, timeout=IO_TIMEOUT) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(request.head.raw + request.body_raw)
        reader = Reader(sock)
        while True:
            raw = reader.read_head()
            if raw is None:
                raise UpstreamError("the upstream closed the connection without answering")
            head = Head.parse(raw)
            parts = head.start_line.split(" ", 2)
            if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
                raise UpstreamError(f"not an HTTP/1.x status line: {head.start_line!r}")
            status = int(parts[1])
            if 100 <= status < 200 and status != 101:
                continue  # interim response (100 Continue): the client got ours already
            break
        framing = response_framing(head, status, request.method)
        body_raw, body = read_body(reader, head, framing)
        return Response(head, status, body_raw, body, framing)


def parse_upstream(url: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or not parts.hostname or parts.path not in ("", "/") or parts.query:
        raise ConfigurationError(f"--upstream must be http://HOST:PORT, got {url!r}")
    return parts.hostname, parts.port or 80


def configure_logging(verbose: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("fault-proxy[%(process)d]: %(message)s"))
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, handlers=[handler])


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    json_out = reserve_stdout_for_json()
    configure_logging(args.verbose)
    install_stop_conditions(args.exit_on_stdin_eof, args.max_seconds)

    try:
        upstream = parse_upstream(args.upstream) if args.upstream else None
        rules, seed = parse_schedule(load_schedule_argument(args.schedule)) if args.schedule else ([], None)
    except ConfigurationError as e:
        print(f"fault-proxy: {e}", file=sys.stderr)
        return 2
    if args.max_requests is not None and args.max_requests < 1:
        print("fault-proxy: --max-requests must be at least 1", file=sys.stderr)
        return 2

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(("127.0.0.1", args.port))
    except OSError as e:
        print(f"fault-proxy: cannot listen on 127.0.0.1:{args.port}: {e}", file=sys.stderr)
        return 4
    listener.listen(128)
    port = listener.getsockname()[1]

    proxy = Proxy(upstream, args.upstream, rules, seed if seed is not None else args.seed,
                  args.max_requests)
    endpoint = f"http://127.0.0.1:{port}"
    log.info("ready at %s, forwarding to %s, %d rule(s)", endpoint, args.upstream or "(nothing)", len(rules))
    json_out.write(json.dumps({"endpoint": endpoint, "pid": os.getpid()}) + "\n")
    json_out.flush()
    proxy.serve(listener)  # until a stop condition calls os._exit
    return 0


if __name__ == "__main__":
    run_main(main)
