#!/usr/bin/env python3
"""Run an in-process moto server for the euca end-to-end tests.

Usage: moto-endpoint.py [--no-auth] [--eucarc PATH] [--port N]
                        [--exit-on-stdin-eof] [--verbose]

Starts moto on 127.0.0.1 (a free port unless --port is given), creates an IAM
user with an allow-all policy and an access key while moto still accepts
anything, then switches moto's signature checking on and checks that it works.
Then it prints exactly one JSON line on stdout and serves until it is stopped:

  {"endpoint": "http://127.0.0.1:PORT", "access_key_id": "...",
   "secret_access_key": "...", "account_id": "123456789012",
   "region": "us-east-1", "pid": N, "auth": true, "ready_seconds": 1.4}

Nothing else is ever written to stdout (fd 1 is pointed at stderr before moto is
imported); log lines, warnings and errors go to stderr. On failure the exit
status is non-zero and no JSON line is printed. The eucarc file, if asked for,
is complete before the JSON line is printed.

The process stops by itself on SIGTERM/SIGINT, on EOF on stdin (only with
--exit-on-stdin-eof), and always when its parent process dies (getppid() is
polled every 0.5 s), so a crashed or killed test run cannot leave a moto behind.
moto keeps all state in memory, so it stops with os._exit() and does not wait
for requests that are still running.

What moto 5.2.1 checks when auth is on
(measured with botocore 1.43 and with requests signed by hand; see
Tests/EndToEndTests/HarnessTests.swift for the part that is tested all the time):

How auth is switched on. moto checks signatures only after
settings.INITIAL_NO_AUTH_ACTION_COUNT requests (the default is infinity). POST
"0" to /moto-api/reset-auth sets the count to zero. The value is read from the
raw body: send it as application/octet-stream. If it is sent as a form,
request.data is empty, float("") raises and moto answers 500. /moto-api/* itself
is never authenticated. POST /moto-api/reset also wipes IAM, so the access key
stops working and every request fails with AuthFailure afterwards. Never send it
to a shared endpoint.

* EC2, SigV4, POST with a form body (how euca2ools and boto send it): checked.
  A wrong secret, an unknown key, a body that does not match the signed payload
  hash, UNSIGNED-PAYLOAD, a Host different from the signed one (including
  "127.0.0.1" signed but "127.0.0.1:PORT" sent), or a credential-scope date
  that differs from X-Amz-Date all get 401 AuthFailure. A correct signature
  passes.
* EC2, SigV4, GET with the parameters in the query string: correctly signed
  requests are REJECTED (401 AuthFailure). moto rebuilds the request from its
  parsed parameters and hashes them as if they were the body, so it only
  accepts a GET signed with payload hash = sha256(query string) (checked by
  hand). Send EC2 calls as POST forms.
* S3, SigV4 Authorization header: checked. A wrong secret gets 403
  SignatureDoesNotMatch. The x-amz-content-sha256 header must be present and
  signed. Without it even a correctly signed GET is rejected, because moto then
  hashes its parsed parameters. moto trusts the header's value and never checks
  it against the body: a signed hash of some other body, and UNSIGNED-PAYLOAD,
  are both accepted. moto gets the canonical URI wrong for keys with '+', '%',
  '=', '&' or non-ASCII characters, so even boto3 gets SignatureDoesNotMatch for
  them, while ' ' and '~' work. Keep S3 test keys to [A-Za-z0-9 ._~/-].
* S3 presigned URLs (SigV4 in the query) and S3 SigV2 ("AWS key:sig"): 500,
  because moto expects a SigV4 Authorization header. An unsigned S3 GET: 403.
* SigV2 Query requests (AWSAccessKeyId/SignatureVersion=2/Signature in the form
  or query, no Authorization header) are never checked by moto:
    - With auth on, moto fails with a KeyError on the missing Authorization
      header and answers 500 with an HTML page. This
      script answers such requests itself with 400
      <Code>MotoEndpointSigV2Unsupported</Code> so the cause is clear. The code
      is deliberately not AuthFailure, so a "wrong key is rejected" test cannot
      pass by accident.
    - With auth off, stock moto sends them to S3 (its fallback for unsigned
      requests) and answers with ListAllMyBucketsResult; even botocore's
      signature_version='v2' EC2 client gets an empty response. This script
      therefore routes them by their Version parameter (EC2 unless it is a
      known IAM/STS/ELB/AutoScaling/CloudWatch version). Any signature is
      accepted, so SigV2 tests check how requests are built and answered, not
      the signature.
  An EC2 request with no signature at all gets 500 with auth on (same KeyError).
* Quirks that apply to every SigV4 request: the X-Amz-Date header is required
  and must be signed ("Date" alone: 500, KeyError). There is no clock-skew
  check (a request dated 2001 is accepted). The region in the credential scope
  must be one moto knows: "eucalyptus" gives 500, while "us-west-2" works and
  is the region the request is served in. The Host header
  is taken as received and is not used for routing (routing uses the service in
  the credential scope), so any Host works if it is the one that was signed.
  The account is whatever moto maps the access key to (123456789012 unless
  MOTO_ACCOUNT_ID is set), and it is reported from sts:GetCallerIdentity.

RunInstances idempotency: moto records a ClientToken but launches again when a request
repeats it. The dispatcher here answers a repeated ClientToken with the first launch's
response, as EC2 does, so that tests can show a retried launch never starts a second instance.

Startup on this machine: about 1.6-2 s to ready, most of it moto creating its
EC2 backend on the first EC2 call. The self-check makes that call here rather
than in the first test.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

# Scripts/ is on sys.path when a script there runs.
from helper_lifetime import install_stop_conditions, reserve_stdout_for_json, run_main, terminate, wait_forever

REGION = "us-east-1"
USER_NAME = "euca-e2e"
POLICY_NAME = "euca-e2e-allow-all"
ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}

# SigV2 Query requests have no credential scope to name their service. Map the
# API versions of the non-EC2 Query services to the host names moto's URL
# patterns expect; everything else is taken to be EC2.
SIGV2_VERSION_HOSTS = {
    "2010-05-08": "iam.amazonaws.com",
    "2011-06-15": "sts.amazonaws.com",
    "2012-06-01": "elasticloadbalancing.{region}.amazonaws.com",
    "2015-12-01": "elasticloadbalancing.{region}.amazonaws.com",
    "2011-01-01": "autoscaling.{region}.amazonaws.com",
    "2010-08-01": "monitoring.{region}.amazonaws.com",
}


log = logging.getLogger("moto-endpoint")


class StartupError(Exception):
    """Startup failed; the message is printed for the person reading the test log."""


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Start moto on 127.0.0.1 with IAM credentials and print them as JSON."
    )
    p.add_argument("--no-auth", action="store_true",
                   help="leave signature checking off (for SigV2 tests)")
    p.add_argument("--eucarc", metavar="PATH",
                   help="also write a Eucalyptus-style eucarc (mode 0600) to PATH")
    p.add_argument("--port", type=int, default=0,
                   help="port to listen on (default: a free port)")
    p.add_argument("--exit-on-stdin-eof", action="store_true",
                   help="exit when stdin reaches EOF (the parent keeps the write end open)")
    p.add_argument("--verbose", action="store_true",
                   help="log every request moto serves (to stderr)")
    return p.parse_args(argv)


def scrub_environment() -> None:
    """Keep the developer's AWS configuration and proxies out of our boto3 clients.

    This script talks only to the loopback server it started, with credentials
    it passes in explicitly. An AWS_PROFILE, AWS_ENDPOINT_URL_*, AWS_CA_BUNDLE,
    ~/.aws/config or HTTP(S)_PROXY would at best slow startup and at worst send
    the bootstrap calls somewhere else.
    """
    for name in list(os.environ):
        upper = name.upper()
        if upper.startswith("AWS_") or upper in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            del os.environ[name]
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


def configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("moto-endpoint[%(process)d] %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])
    # werkzeug logs one INFO line per request and adds its own handler unless
    # its logger already has a level. Errors (500 tracebacks) still get through.
    logging.getLogger("werkzeug").setLevel(logging.INFO if verbose else logging.ERROR)
    try:  # no ANSI colour codes in test logs (werkzeug adds them even when stderr is a pipe)
        import werkzeug.serving
        werkzeug.serving._log_add_style = False
    except (ImportError, AttributeError):
        pass
    logging.getLogger("botocore").setLevel(logging.WARNING)


# --------------------------------------------------------------------------- #
# The server
# --------------------------------------------------------------------------- #

def _query_params(environ: dict) -> dict[str, str]:
    """Parameters from the query string and a form body; wsgi.input is left re-readable."""
    params = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length:
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
            params.update(urllib.parse.parse_qsl(body.decode("utf-8", "replace"),
                                                 keep_blank_values=True))
    return params


def _is_query_sigv2(environ: dict, params: dict[str, str]) -> bool:
    # S3's own SigV2 query auth has no SignatureVersion parameter, so it is not matched.
    return (
        "HTTP_AUTHORIZATION" not in environ
        and "SignatureVersion" in params
        and "AWSAccessKeyId" in params
    )


def make_dispatcher(auth: bool):
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    # moto stores RunInstances' ClientToken but does not honour it: a repeated request launches
    # again. EC2 answers a repeat with the first launch's reservation, and the reliability
    # tests need that behaviour to show that a retried launch never starts a second instance.
    # (A repeat is answered from this cache before moto sees it, so it is not re-authenticated.)
    launches: dict[str, tuple[str, list, bytes]] = {}
    launches_lock = threading.Lock()

    class HarnessDispatcher(DomainDispatcherApplication):
        """moto's dispatcher, plus SigV2 Query handling and RunInstances idempotency
        (see the module docstring)."""

        def __call__(self, environ, start_response):
            params = _query_params(environ)
            token = params.get("ClientToken") if params.get("Action") == "RunInstances" else None
            if not token:
                return self.dispatch(environ, start_response)
            with launches_lock:
                if token not in launches:
                    captured = {}

                    def capture(status, headers, exc_info=None):
                        captured["status"], captured["headers"] = status, headers
                        return lambda data: None

                    body = b"".join(self.dispatch(environ, capture))
                    if captured.get("status", "").startswith("200"):
                        launches[token] = (captured["status"], captured["headers"], body)
                    start_response(captured["status"], captured["headers"])
                    return [body]
                status, headers, body = launches[token]
            log.info("RunInstances with ClientToken %s answered from the first launch", token)
            start_response(status, headers)
            return [body]

        def dispatch(self, environ, start_response):
            if auth and not environ.get("PATH_INFO", "").startswith("/moto-api"):
                params = _query_params(environ)
                if _is_query_sigv2(environ, params):
                    body = (
                        '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
                        "<Code>MotoEndpointSigV2Unsupported</Code><Message>moto verifies "
                        "SigV4 only and fails on SigV2 requests; start the endpoint with "
                        "--no-auth (MotoEndpoint.start(auth: false)) for SigV2 tests"
                        "</Message></Error></Errors><RequestID>moto-endpoint</RequestID>"
                        "</Response>"
                    ).encode()
                    start_response("400 Bad Request", [
                        ("Content-Type", "text/xml"), ("Content-Length", str(len(body)))])
                    return [body]
            return super().__call__(environ, start_response)

        def infer_service_region_host(self, environ, path):
            params = _query_params(environ)
            if _is_query_sigv2(environ, params):
                host = SIGV2_VERSION_HOSTS.get(params.get("Version", ""),
                                               "ec2.{region}.amazonaws.com")
                return host.format(region=REGION)
            return super().infer_service_region_host(environ, path)

    return HarnessDispatcher(create_backend_app)


def start_server(port: int, auth: bool):
    # moto.server.ThreadedMotoServer does the same, but builds its
    # DomainDispatcherApplication internally; we need our subclass in its place.
    from werkzeug.serving import make_server

    try:
        server = make_server("127.0.0.1", port, make_dispatcher(auth), threaded=True)
    except SystemExit:
        # werkzeug prints its own explanation and raises SystemExit when the port is taken.
        raise StartupError(f"cannot listen on 127.0.0.1:{port} (see above)") from None
    except OSError as e:
        raise StartupError(f"cannot listen on 127.0.0.1:{port}: {e}") from e
    threading.Thread(target=server.serve_forever, name="moto-server", daemon=True).start()
    return server


def http(method: str, url: str, body: bytes | None = None, timeout: float = 10) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, method=method,
                                 headers={"Content-Type": "application/octet-stream"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_until_answering(endpoint: str, deadline: float) -> None:
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            status, _ = http("GET", f"{endpoint}/moto-api/config", timeout=2)
            if status < 500:
                return
        except OSError as e:
            last = e
        time.sleep(0.05)
    raise StartupError(f"moto at {endpoint} did not answer in time (last error: {last})")


def set_auth(endpoint: str, enabled: bool) -> None:
    # "0": check every request from now on; "inf": never check. See the module docstring
    # for why the body must not be sent as a form.
    status, body = http("POST", f"{endpoint}/moto-api/reset-auth", b"0" if enabled else b"inf")
    if status != 200:
        raise StartupError(f"POST /moto-api/reset-auth failed: HTTP {status}: {body[:300]!r}")


def client(service: str, endpoint: str, key: str, secret: str, **config):
    import boto3
    from botocore.config import Config

    return boto3.client(
        service, endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=key, aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=60,
                      **config),
    )


def create_credentials(endpoint: str) -> tuple[str, str]:
    """Create the test user, its allow-all policy and an access key, while auth is off."""
    iam = client("iam", endpoint, "bootstrap", "bootstrap")
    iam.create_user(UserName=USER_NAME)
    policy_arn = iam.create_policy(
        PolicyName=POLICY_NAME, PolicyDocument=json.dumps(ALLOW_ALL))["Policy"]["Arn"]
    iam.attach_user_policy(UserName=USER_NAME, PolicyArn=policy_arn)
    key = iam.create_access_key(UserName=USER_NAME)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def error_code(call) -> str | None:
    from botocore.exceptions import ClientError

    try:
        call()
    except ClientError as e:
        return e.response.get("Error", {}).get("Code", "?")
    return None


def self_check(endpoint: str, key: str, secret: str, auth: bool) -> str:
    """Check that moto behaves as the tests expect, and return the account id.

    This also makes the first, slow EC2 call (moto sets up its EC2 backend then),
    so the first test does not have to.
    """
    s3cfg = {"s3": {"addressing_style": "path"}}
    account = client("sts", endpoint, key, secret).get_caller_identity()["Account"]
    client("ec2", endpoint, key, secret).describe_regions()
    client("s3", endpoint, key, secret, **s3cfg).list_buckets()

    bad_ec2 = error_code(lambda: client("ec2", endpoint, key, "wrong" + secret).describe_regions())
    bad_s3 = error_code(lambda: client("s3", endpoint, key, "wrong" + secret, **s3cfg).list_buckets())
    if auth and (bad_ec2, bad_s3) != ("AuthFailure", "SignatureDoesNotMatch"):
        raise StartupError(
            "moto did not reject a wrong secret: EC2 gave "
            f"{bad_ec2 or 'success'}, S3 gave {bad_s3 or 'success'} "
            "(expected AuthFailure and SignatureDoesNotMatch)")
    if not auth and (bad_ec2, bad_s3) != (None, None):
        raise StartupError(f"with --no-auth moto rejected a wrong secret ({bad_ec2}, {bad_s3})")
    if not auth:
        # The SigV2 routing above: without it this returns S3's bucket list.
        regions = client("ec2", endpoint, key, secret, signature_version="v2").describe_regions()
        if not regions.get("Regions"):
            raise StartupError("a SigV2 EC2 request was not routed to EC2")
    return account


def write_eucarc(path: str, endpoint: str, key: str, secret: str, account: str) -> None:
    import shlex

    values = [
        ("EC2_URL", endpoint),
        ("S3_URL", endpoint),  # moto serves every service on one port; S3 is path-style
        ("EC2_ACCESS_KEY", key),
        ("EC2_SECRET_KEY", secret),
        ("AWS_ACCESS_KEY", key),
        ("AWS_SECRET_KEY", secret),
        ("EC2_USER_ID", account),
        ("EC2_ACCOUNT_NUMBER", account),
        ("AWS_DEFAULT_REGION", REGION),
    ]
    text = f"# Written by moto-endpoint.py (pid {os.getpid()}) for the moto at {endpoint}.\n"
    text += "".join(f"export {name}={shlex.quote(value)}\n" for name, value in values)
    # Write a temporary file next to the target and rename it over the target. The
    # file has mode 0600 from the moment it exists, and a reader never sees half of it.
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".eucarc.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def main(argv: list[str]) -> int:
    started = time.monotonic()
    args = parse_args(argv)
    json_out = reserve_stdout_for_json()
    configure_logging(args.verbose)
    install_stop_conditions(args.exit_on_stdin_eof)
    scrub_environment()

    try:
        import boto3  # noqa: F401
        import moto  # noqa: F401
        import moto.moto_server.werkzeug_app  # noqa: F401  (needs the [server] extra: flask)
    except ImportError as e:
        print(f"moto-endpoint: moto_server is not installed ({e}): "
              "run `make test-deps` or `pip install 'moto[server]'`", file=sys.stderr)
        return 3

    try:
        server = start_server(args.port, auth=not args.no_auth)
        endpoint = f"http://127.0.0.1:{server.server_port}"
        wait_until_answering(endpoint, deadline=started + 30)
        set_auth(endpoint, enabled=False)  # explicit, in case INITIAL_NO_AUTH_ACTION_COUNT is set
        key, secret = create_credentials(endpoint)
        if not args.no_auth:
            set_auth(endpoint, enabled=True)
        account = self_check(endpoint, key, secret, auth=not args.no_auth)
        if args.eucarc:
            write_eucarc(args.eucarc, endpoint, key, secret, account)
    except StartupError as e:
        print(f"moto-endpoint: {e}", file=sys.stderr)
        return 4
    except Exception as e:  # botocore errors, OSError writing the eucarc, ...
        log.exception("startup failed")
        print(f"moto-endpoint: startup failed: {type(e).__name__}: {e}", file=sys.stderr)
        return 4

    ready = round(time.monotonic() - started, 3)
    log.info("ready in %.2f s at %s (auth %s)", ready, endpoint, "on" if not args.no_auth else "off")
    json_out.write(json.dumps({
        "endpoint": endpoint,
        "access_key_id": key,
        "secret_access_key": secret,
        "account_id": account,
        "region": REGION,
        "pid": os.getpid(),
        "auth": not args.no_auth,
        "ready_seconds": ready,
    }) + "\n")
    json_out.flush()

    # Serve until one of the stop conditions calls os._exit.
    wait_forever()


if __name__ == "__main__":
    run_main(main)
