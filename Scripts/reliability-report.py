#!/usr/bin/env python3
"""make reliability-report: how long the commands take, and what they leave, when the cloud
fails. Writes the figures into docs/reliability.md between the "figures:begin" and
"figures:end" markers; the figures in that document come only from here.

The tests (FaultProxyTests, ReliabilityTests, BundleReliabilityTests) assert the behaviour —
attempts, order, exit status, what is stored — and measure nothing. This script measures the
same scenarios the same way they are set up: the release binaries in --bin (make build), a moto
from Scripts/moto-endpoint.py (signature checking on), and Scripts/fault-proxy.py in front of
it with the schedules the tests use. A scenario runs --runs times (default 5; the two slowest,
3) and its wall time is the median, with the range over the runs; counts that are the same in
every run are given once, counts that differ are given as a range. Nothing here asserts: a
scenario that behaves unexpectedly is reported as it behaved (the tests are the place to fail).

Not measured here: fuzz throughput. The fuzz tests run a fixed, seeded number of inputs in a
debug test build; how fast that goes says nothing about the tools.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = ROOT / "Tests/EucaCoreTests/Fixtures/keys"
sys.path.insert(0, str(ROOT / "Scripts"))
from bench_support import start_helper  # noqa: E402

# Loopback only: never let an http_proxy from the environment between us and the helpers.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# The credentials a sourced eucarc gives bundle-image (the tests' fixtures).
BUNDLING = {"EC2_CERT": str(KEYS / "user-cert.pem"), "EC2_PRIVATE_KEY": str(KEYS / "user-key.pem"),
            "EUCALYPTUS_CERT": str(KEYS / "cloud-cert.pem"), "EC2_USER_ID": "1234-5678-9012"}


# -- helpers ------------------------------------------------------------------------------------

def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL. A helper can miss the SIGTERM: CPython runs the handler only on
    the main thread, and a signal that lands just before the main thread blocks in accept()
    waits for the next connection (seen once in about fifty stops of the fault proxy)."""
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class FaultProxy:
    """Scripts/fault-proxy.py in front of `upstream`, with its control API."""

    def __init__(self, upstream: str | None, schedule: list | None = None) -> None:
        arguments = ["--upstream", upstream] if upstream else []
        if schedule:
            arguments += ["--schedule", json.dumps(schedule)]
        self.process, ready = start_helper("fault-proxy.py", arguments)
        self.endpoint = ready["endpoint"]

    def _control(self, method: str, name: str, body: object | None = None) -> object:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.endpoint}/__proxy/{name}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with OPENER.open(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def log(self) -> list[dict]:
        return self._control("GET", "log")

    def restart(self, schedule: list) -> None:
        """An empty log and a fresh schedule (its counters start again)."""
        self._control("POST", "reset", {})
        self._control("POST", "schedule", {"rules": schedule})

    def settle(self, timeout: float = 30) -> list[dict]:
        """The log once the proxy is done with every request (delays still reach the upstream)."""
        deadline = time.monotonic() + timeout
        while True:
            records = self.log()
            if all(r["done"] for r in records) or time.monotonic() > deadline:
                return records
            time.sleep(0.02)

    def stop(self) -> None:
        stop(self.process)


class Run:
    """One finished command."""

    def __init__(self, status: int, stdout: str, stderr: str, seconds: float) -> None:
        self.status, self.stdout, self.stderr, self.seconds = status, stdout, stderr, seconds


class Euca:
    """Runs bin/euca-* as the tests do: only PATH and a fresh, empty HOME, then `env`."""

    def __init__(self, bin_dir: Path, scratch: Path) -> None:
        self.bin_dir = bin_dir
        self.scratch = scratch

    def environment(self, env: dict[str, str]) -> dict[str, str]:
        home = self.scratch / f"home-{uuid.uuid4().hex[:8]}"
        home.mkdir()
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), **env}

    def argv(self, command: str, args: list[str]) -> list[str]:
        return [str(self.bin_dir / f"euca-{command}"), *args]

    def __call__(self, command: str, args: list[str], env: dict[str, str], timeout: float = 300) -> Run:
        environment = self.environment(env)
        started = time.perf_counter()
        proc = subprocess.run(self.argv(command, args), env=environment, cwd=environment["HOME"],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
        return Run(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)

    def background(self, command: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        environment = self.environment(env)
        return subprocess.Popen(self.argv(command, args), env=environment, cwd=environment["HOME"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)


def image_file(path: Path, size: int) -> None:
    """Like the tests' image: a compressible first quarter, random bytes after it, so that a
    bundle of it has the same number of parts as theirs."""
    quarter = size // 4
    pattern = bytes(ord("a") + i for i in range(7)) * (quarter // 7 + 1)
    path.write_bytes(pattern[:quarter] + os.urandom(size - quarter))


class Stage:
    """An image bundled into parts of `part_size`, as BundleReliabilityTests.stage does."""

    def __init__(self, euca: Euca, directory: Path, size: int, part_size: str) -> None:
        directory.mkdir()
        image = directory / "disk.img"
        image_file(image, size)
        bundle = directory / "bundle"
        result = euca("bundle-image", ["-i", str(image), "-d", str(bundle), "--part-size", part_size], BUNDLING)
        if result.status != 0:
            raise SystemExit(f"bundle-image failed: {result.stderr}")
        self.manifest = str(bundle / "disk.img.manifest.xml")
        self.manifest_name = "disk.img.manifest.xml"
        self.parts = sorted(p.name for p in bundle.glob("disk.img.part.*"))


def part_path(part: str) -> str:
    """The fault-proxy path regex for one part (as BundleReliabilityTests.partPath)."""
    return f"\\.part\\.{part.rsplit('.', 1)[1]}$"


def part_files(directory: Path) -> int:
    """Part files under the bundle-XXXXXX directories in `directory` (which come and go)."""
    total = 0
    for bundle in directory.iterdir():
        try:
            total += sum(1 for name in os.listdir(bundle) if ".part." in name)
        except OSError:  # removed meanwhile, or not a directory
            pass
    return total


def bucket_name(purpose: str) -> str:
    return f"rr-{purpose}-{uuid.uuid4().hex[:8]}"


def seconds(values: list[float]) -> str:
    """Median, and the range when there is more than one run."""
    text = f"{statistics.median(values):.2f} s"
    if len(values) > 1:
        text += f" ({min(values):.2f}–{max(values):.2f})"
    return text


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def count(values: list[int]) -> str:
    low, high = min(values), max(values)
    return str(low) if low == high else f"{low}–{high}"


def rate(records: list[dict]) -> float:
    """Requests per second over `records`, from the first to the last (the proxy's clock)."""
    if len(records) < 2 or records[-1]["t"] <= records[0]["t"]:
        return 0.0
    return (len(records) - 1) / (records[-1]["t"] - records[0]["t"])


# -- the measurements ---------------------------------------------------------------------------

class Report:
    def __init__(self, args: argparse.Namespace, euca: Euca, moto: dict, scratch: Path) -> None:
        self.runs = args.runs
        self.slow_runs = max(1, min(args.runs, 3))
        self.euca = euca
        self.moto = moto
        self.scratch = scratch
        self.sections: list[tuple[str, list[str]]] = []

    def log(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def env(self, ec2: str | None = None, s3: str | None = None, extra: dict | None = None) -> dict[str, str]:
        return {"EC2_URL": ec2 or self.moto["endpoint"], "S3_URL": s3 or self.moto["endpoint"],
                "AWS_ACCESS_KEY_ID": self.moto["access_key_id"],
                "AWS_SECRET_ACCESS_KEY": self.moto["secret_access_key"],
                "AWS_DEFAULT_REGION": self.moto["region"], **BUNDLING, **(extra or {})}

    def stage(self, purpose: str, size: int, part_size: str) -> Stage:
        return Stage(self.euca, self.scratch / f"{purpose}-{uuid.uuid4().hex[:6]}", size, part_size)

    def s3(self):
        import boto3  # installed with moto[server] (make test-deps)
        from botocore.config import Config
        return boto3.client("s3", endpoint_url=self.moto["endpoint"], region_name=self.moto["region"],
                            aws_access_key_id=self.moto["access_key_id"],
                            aws_secret_access_key=self.moto["secret_access_key"],
                            config=Config(s3={"addressing_style": "path"}, proxies={}))

    def stored(self, bucket: str) -> set[str]:
        try:
            pages = self.s3().get_paginator("list_objects").paginate(Bucket=bucket)
            return {item["Key"] for page in pages for item in page.get("Contents", [])}
        except Exception as error:  # no such bucket: nothing stored
            if "NoSuchBucket" in str(error):
                return set()
            raise

    def drop(self, bucket: str) -> None:
        """Frees moto's memory (it keeps every object in RAM)."""
        s3 = self.s3()
        for key in self.stored(bucket):
            s3.delete_object(Bucket=bucket, Key=key)
        try:
            s3.delete_bucket(Bucket=bucket)
        except Exception:
            pass

    # describe-availability-zones under each fault of FaultProxyTests ------------------------

    ZONE_FAULTS: list[tuple[str, list[str], list[dict]]] = [
        ("500 InternalError, always", [], [{"fault": {"type": "error", "status": 500, "code": "InternalError"}}]),
        ("503 ServiceUnavailable, always", ["--max-attempts", "1"],
         [{"fault": {"type": "error", "status": 503, "code": "ServiceUnavailable"}}]),
        ("503 ServiceUnavailable, once", [],
         [{"times": 1, "fault": {"type": "error", "status": 503, "code": "ServiceUnavailable"}}]),
        ("503 RequestLimitExceeded, once", [],
         [{"times": 1, "fault": {"type": "error", "status": 503, "code": "RequestLimitExceeded"}}]),
        ("400 Throttling, once", [], [{"times": 1, "fault": {"type": "error", "status": 400, "code": "Throttling"}}]),
        ("503 SlowDown (S3 style), once", [],
         [{"times": 1, "fault": {"type": "error", "status": 503, "code": "SlowDown", "style": "s3"}}]),
        ("connection reset after the request, once", [], [{"times": 1, "fault": {"type": "reset"}}]),
        ("connection closed (FIN) after the request, once", [],
         [{"times": 1, "fault": {"type": "reset", "close": "fin"}}]),
        ("reset after 100 body bytes, once", [],
         [{"times": 1, "fault": {"type": "reset_mid_body", "after_bytes": 100}}]),
        ("forwarded, response dropped, once", [], [{"times": 1, "fault": {"type": "forward_then_drop"}}]),
        ("truncated to 100 bytes, once", [], [{"times": 1, "fault": {"type": "truncate", "keep_bytes": 100}}]),
        ("Content-Length 10 too large, once", [], [{"times": 1, "fault": {"type": "wrong_length", "extra": 10}}]),
        ("garbage body, once", [], [{"times": 1, "fault": {"type": "garbage"}}]),
        ("half the XML, once", [], [{"times": 1, "fault": {"type": "malformed_xml"}}]),
        ("clock 1 h ahead (RequestExpired), once", [], [{"times": 1, "fault": {"type": "skew", "seconds": 3600}}]),
        ("clock 1 h ahead (AuthFailure), once", [],
         [{"times": 1, "fault": {"type": "skew", "seconds": 3600, "code": "AuthFailure"}}]),
        ("clock 1 h ahead, rejecting requests off by > 15 min", [],
         [{"fault": {"type": "skew", "seconds": 3600, "tolerance": 900}}]),
        ("response delayed 3 s, always", ["--read-timeout", "1"], [{"fault": {"type": "delay", "seconds": 3}}]),
        ("body stalled 2 s after the headers, once", ["--read-timeout", "1"],
         [{"times": 1, "fault": {"type": "stall_body", "seconds": 2}}]),
        ("503 on the 1st request, reset on the 2nd", ["--read-timeout", "3"],
         [{"match": {"nth": 1}, "fault": {"type": "error", "status": 503}},
          {"match": {"nth": 2}, "fault": {"type": "reset"}}]),
    ]

    def zone_faults(self) -> None:
        rows = ["| fault | options | exit | requests | time |", "|---|---|---:|---:|---:|"]
        proxy = FaultProxy(self.moto["endpoint"])
        try:
            for name, args, schedule in self.ZONE_FAULTS:
                self.log(f"describe-availability-zones: {name}")
                statuses, requests, times = [], [], []
                for _ in range(self.runs):
                    proxy.restart(schedule)
                    run = self.euca("describe-availability-zones", args, self.env(ec2=proxy.endpoint))
                    statuses.append(run.status)
                    requests.append(len(proxy.log()))
                    times.append(run.seconds)
                rows.append(f"| {name} | {' '.join(args) or '—'} | {count(statuses)} | {count(requests)} | "
                            f"{seconds(times)} |")
        finally:
            proxy.stop()
        self.sections.append(("`euca-describe-availability-zones` through the fault proxy (3 attempts "
                              "unless --max-attempts says otherwise; the time includes process start-up "
                              "and the full-jitter backoff)", rows))

    # ReliabilityTests --------------------------------------------------------------------------

    def concurrent_commands(self) -> list[str]:
        commands = 8
        self.log(f"{commands} concurrent commands against an always-503 endpoint")
        schedule = [{"match": {"action": "DescribeAvailabilityZones"},
                     "fault": {"type": "error", "status": 503, "code": "ServiceUnavailable"}}]
        proxy = FaultProxy(self.moto["endpoint"])
        spreads, walls, totals = [], [], []
        try:
            for _ in range(self.runs):
                proxy.restart(schedule)
                env = self.env(ec2=proxy.endpoint)
                started = time.perf_counter()
                threads = [threading.Thread(target=self.euca, args=("describe-availability-zones", [], env))
                           for _ in range(commands)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                walls.append(time.perf_counter() - started)
                records = [r for r in proxy.log() if r["action"] == "DescribeAvailabilityZones"]
                totals.append(len(records))
                retries = sorted(r["t"] for r in records)[commands:]
                spreads.append(retries[-1] - retries[0] if retries else 0.0)
        finally:
            proxy.stop()
        return [f"{commands} concurrent commands against an always-503 endpoint: {count(totals)} requests in all "
                f"({commands} × 3 attempts); their retries spread over {seconds(spreads)}; all had failed "
                f"after {seconds(walls)}"]

    def lost_launch(self) -> list[str]:
        self.log("run-instances with its first response lost")
        images = self.euca("describe-images", ["-o", "amazon"], self.env())
        image = next(line.split("\t")[1] for line in images.stdout.splitlines() if line.startswith("IMAGE\t"))

        def instances() -> set[str]:
            described = self.euca("describe-instances", ["--filter", f"image-id={image}"], self.env())
            return {line.split("\t")[1] for line in described.stdout.splitlines() if line.startswith("INSTANCE\t")}

        existing = instances()
        proxy = FaultProxy(self.moto["endpoint"],
                           [{"match": {"action": "RunInstances"}, "times": 1, "fault": {"type": "forward_then_drop"}}])
        try:
            run = self.euca("run-instances", ["-t", "m1.small", image], self.env(ec2=proxy.endpoint))
            sent = [r for r in proxy.log() if r["action"] == "RunInstances"]
        finally:
            proxy.stop()
        launched = instances() - existing
        return [f"run-instances with its first response lost: exit {run.status} after {run.seconds:.1f} s, "
                f"{len(sent)} RunInstances requests, {len(launched)} instance(s) started"]

    # BundleReliabilityTests ---------------------------------------------------------------------

    def upload_cut(self) -> list[str]:
        lines = []
        for fault in ("reset", "forward_then_drop"):
            self.log(f"upload cut by {fault} on one part")
            times, stored, resent, missing = [], [], [], []
            for _ in range(self.runs):
                stage = self.stage(f"cut-{fault}", 1_500_000, "128K")
                bucket = bucket_name("cut")
                victim = stage.parts[4]
                proxy = FaultProxy(self.moto["endpoint"],
                                   [{"match": {"path": part_path(victim), "method": "PUT"}, "fault": {"type": fault}}])
                try:
                    env = self.env(s3=proxy.endpoint)
                    failed = self.euca("upload-bundle", ["-b", bucket, "-m", stage.manifest], env)
                    proxy.settle()
                    after = self.stored(bucket)
                    proxy.restart([])
                    resumed = self.euca("upload-bundle", ["-b", bucket, "-m", stage.manifest], env)
                    puts = [r for r in proxy.log() if r["method"] == "PUT" and r["key"]]
                finally:
                    proxy.stop()
                times.append(failed.seconds)
                stored.append(len(after - {stage.manifest_name}))
                resent.append(len(puts))
                missing.append(len(set(stage.parts) - after))
                if failed.status != 1 or stage.manifest_name in after or resumed.status != 0:
                    self.log(f"  unexpected: exit {failed.status}, then {resumed.status}; stored {sorted(after)}")
                self.drop(bucket)
            lines.append(f"upload of {len(stage.parts)} parts, one of them cut by {fault} on every attempt: "
                         f"exit 1 after {seconds(times)} with {count(stored)} of {len(stage.parts)} parts stored "
                         f"and no manifest; the re-run sent {count(resent)} PUTs ({count(missing)} missing "
                         f"part{'' if max(missing) == 1 else 's'} + manifest)")
        return lines

    def upload_interrupted_once(self) -> list[str]:
        lines = []
        for fault in ({"type": "reset"}, {"type": "forward_then_drop"}, {"type": "reset_mid_body", "after_bytes": 0}):
            self.log(f"upload with the 5th part PUT interrupted once by {fault['type']}")
            times, puts, statuses = [], [], []
            for _ in range(self.runs):
                stage = self.stage("once", 900_000, "128K")
                bucket = bucket_name("once")
                proxy = FaultProxy(self.moto["endpoint"],
                                   [{"match": {"method": "PUT", "path": "\\.part\\.", "nth": 5}, "fault": fault}])
                try:
                    run = self.euca("upload-bundle", ["-b", bucket, "-m", stage.manifest, "--read-timeout", "5"],
                                    self.env(s3=proxy.endpoint))
                    sent = [r for r in proxy.log() if r["method"] == "PUT" and r["key"]]
                finally:
                    proxy.stop()
                times.append(run.seconds)
                statuses.append(run.status)
                puts.append(len(sent))
                self.drop(bucket)
            lines.append(f"upload of {len(stage.parts)} parts with the 5th part PUT interrupted once by "
                         f"{fault['type']}: exit {count(statuses)} after {seconds(times)}, {count(puts)} PUTs for "
                         f"{len(stage.parts)} parts + manifest")
        return lines

    def upload_killed(self) -> list[str]:
        self.log("upload killed with SIGKILL mid-way")
        stage = self.stage("kill", 1_300_000, "32K")
        bucket = bucket_name("kill")
        kill_after = len(stage.parts) // 2
        # Slow parts, so that the kill lands mid-upload.
        proxy = FaultProxy(self.moto["endpoint"],
                           [{"match": {"path": "\\.part\\.", "method": "PUT"}, "fault": {"type": "delay", "seconds": 0.2}}])
        try:
            env = self.env(s3=proxy.endpoint)
            upload = self.euca.background("upload-bundle", ["-b", bucket, "-m", stage.manifest], env)
            deadline = time.monotonic() + 60
            while (sum(1 for r in proxy.log() if r["method"] == "PUT" and r["status"] is not None) < kill_after
                   and time.monotonic() < deadline and upload.poll() is None):
                time.sleep(0.01)
            upload.send_signal(signal.SIGKILL)
            upload.communicate()
            proxy.settle()
            after = self.stored(bucket)
            proxy.restart([])
            resumed = self.euca("upload-bundle", ["-b", bucket, "-m", stage.manifest], env)
            puts = [r for r in proxy.log() if r["method"] == "PUT" and r["key"]]
        finally:
            proxy.stop()
        self.drop(bucket)
        manifest = "a manifest" if stage.manifest_name in after else "no manifest"
        missing = len(set(stage.parts) - after)
        return [f"upload of {len(stage.parts)} parts killed (SIGKILL) once {kill_after} part PUTs had been answered: "
                f"{len(after - {stage.manifest_name})} of {len(stage.parts)} parts stored, {manifest}; the re-run "
                f"(exit {resumed.status}) sent {len(puts)} PUTs ({plural(missing, 'missing part')} + manifest)"]

    def transient_faults(self) -> list[str]:
        self.log("upload riding out SlowDown once per part")
        times, puts, faulted = [], [], []
        for _ in range(self.runs):
            stage = self.stage("transient", 900_000, "128K")
            bucket = bucket_name("transient")
            schedule = [{"match": {"method": "PUT", "path": "\\.part\\.", "nth": 3}, "fault": {"type": "forward_then_drop"}}]
            schedule += [{"match": {"path": part_path(part), "method": "PUT"}, "times": 1,
                          "fault": {"type": "error", "status": 503, "code": "SlowDown"}} for part in stage.parts]
            schedule.append({"match": {"path": "manifest\\.xml$", "method": "PUT"}, "times": 1,
                             "fault": {"type": "error", "status": 500, "code": "InternalError"}})
            proxy = FaultProxy(self.moto["endpoint"], schedule)
            try:
                run = self.euca("upload-bundle", ["-b", bucket, "-m", stage.manifest], self.env(s3=proxy.endpoint))
                sent = [r for r in proxy.log() if r["method"] == "PUT" and r["key"]]
            finally:
                proxy.stop()
            times.append(run.seconds)
            puts.append(len(sent))
            faulted.append(sum(1 for r in sent if r["fault"] != "pass"))
            self.drop(bucket)
        return [f"upload of {len(stage.parts)} parts with SlowDown once per part, InternalError once on the manifest "
                f"and one lost response: succeeded after {seconds(times)}, {count(puts)} PUTs ({count(faulted)} faulted)"]

    def permanent_faults(self) -> list[str]:
        lines = []
        for name, fault in (("SlowDown", {"type": "error", "status": 503, "code": "SlowDown"}),
                            ("InternalError", {"type": "error", "status": 500, "code": "InternalError"}),
                            ("a tampered ETag", {"type": "tamper_etag"})):
            self.log(f"{name} on every PUT of one part")
            times, attempts, manifests = [], [], 0
            for _ in range(self.runs):
                stage = self.stage("perm", 600_000, "128K")
                bucket = bucket_name("perm")
                victim = stage.parts[1]
                proxy = FaultProxy(self.moto["endpoint"],
                                   [{"match": {"path": part_path(victim), "method": "PUT"}, "fault": fault}])
                try:
                    run = self.euca("upload-bundle", ["-b", bucket, "-m", stage.manifest], self.env(s3=proxy.endpoint))
                    attempts.append(sum(1 for r in proxy.log() if r["key"] == victim))
                finally:
                    proxy.stop()
                times.append(run.seconds)
                manifests += stage.manifest_name in self.stored(bucket)
                self.drop(bucket)
            lines.append(f"{name} on every PUT of one part: exit 1 after {seconds(times)} and {count(attempts)} "
                         f"attempts, {'no manifest' if not manifests else f'a manifest in {manifests} runs'}")
        return lines

    def pending_parts(self) -> list[str]:
        self.log("bundle-and-upload-image with --max-pending-parts 2")
        most_seen, parts = 0, 0
        directory = self.scratch / f"pipeline-{uuid.uuid4().hex[:6]}"
        directory.mkdir()
        image = directory / "disk.img"
        image_file(image, 1_200_000)
        temporary = directory / "tmp"
        temporary.mkdir()
        # Slow uploads, so that bundling has to wait for them.
        proxy = FaultProxy(self.moto["endpoint"],
                           [{"match": {"path": "\\.part\\.", "method": "PUT"}, "fault": {"type": "delay", "seconds": 0.15}}])
        try:
            for _ in range(self.runs):
                bucket = bucket_name("pipeline")
                upload = self.euca.background(
                    "bundle-and-upload-image",
                    ["-i", str(image), "-b", bucket, "--part-size", "64K", "--max-pending-parts", "2"],
                    self.env(s3=proxy.endpoint, extra={"TMPDIR": str(temporary)}))
                while upload.poll() is None:
                    most_seen = max(most_seen, part_files(temporary))
                    time.sleep(0.005)
                parts = sum(1 for key in self.stored(bucket) if ".part." in key)
                self.drop(bucket)
        finally:
            proxy.stop()
        return [f"bundle-and-upload-image of {parts} parts with --max-pending-parts 2 and uploads slowed to 0.15 s: "
                f"at most {most_seen} part files on disk at once (sampled every 5 ms, {plural(self.runs, 'run')})"]

    def retry_modes(self) -> list[str]:
        lines = []
        for mode in ("standard", "adaptive"):
            self.log(f"AWS_RETRY_MODE={mode}: an upload answered SlowDown 10 times")
            before, after, to_end, totals, walls = [], [], [], [], []
            for _ in range(self.slow_runs):
                stage = self.stage(f"throttled-{mode}", 820_000, "10K")
                bucket = bucket_name(mode)
                # The first 12 part PUTs pass, the next 10 get SlowDown, the rest pass.
                proxy = FaultProxy(self.moto["endpoint"], [
                    {"match": {"path": "\\.part\\.", "method": "PUT"}, "times": 12, "fault": {"type": "pass"}},
                    {"match": {"path": "\\.part\\.", "method": "PUT"}, "times": 10,
                     "fault": {"type": "error", "status": 503, "code": "SlowDown"}},
                ])
                try:
                    run = self.euca("upload-bundle", ["-b", bucket, "-m", stage.manifest, "--max-attempts", "6"],
                                    self.env(s3=proxy.endpoint, extra={"AWS_RETRY_MODE": mode}))
                    puts = sorted((r for r in proxy.log() if r["method"] == "PUT"), key=lambda r: r["t"])
                finally:
                    proxy.stop()
                self.drop(bucket)
                first = next((i for i, r in enumerate(puts) if r["fault"] == "error"), None)
                if run.status != 0 or first is None:
                    self.log(f"  unexpected: exit {run.status}, first throttle {first}")
                    continue
                # The rate before the first SlowDown, over the 30 requests that follow it (the
                # spacing the limiter imposes), and from it to the end (which in standard mode
                # is stretched by the backoff of the last retries rather than by any spacing).
                before.append(rate(puts[:first]))
                after.append(rate(puts[first:first + 30]))
                to_end.append(rate(puts[first:]))
                totals.append(len(puts))
                walls.append(run.seconds)
            if not walls:
                lines.append(f"AWS_RETRY_MODE={mode}: no run completed as set up")
                continue
            lines.append(f"AWS_RETRY_MODE={mode}, one upload of {len(stage.parts)} parts, 10 PUTs answered SlowDown "
                         f"after the first 12: {statistics.median(before):.0f} requests/s before throttling, "
                         f"{statistics.median(after):.1f} requests/s over the 30 requests from the first SlowDown on, "
                         f"{statistics.median(to_end):.1f} requests/s from it to the end ({count(totals)} PUTs in "
                         f"{seconds(walls)}; {'medians of ' if len(walls) > 1 else ''}{plural(len(walls), 'run')})")
        return lines

    def throughput(self) -> list[str]:
        lines = []
        stage = self.stage("speed", 48 << 20, "10M")
        bundle = Path(stage.manifest).parent
        mebibytes = sum((bundle / part).stat().st_size for part in stage.parts) / (1 << 20)
        for concurrency in ("1", "4"):
            self.log(f"upload-bundle of {mebibytes:.0f} MiB to moto, {concurrency} at a time")
            times = []
            for _ in range(self.slow_runs):
                bucket = bucket_name(f"speed-{concurrency}")
                run = self.euca("upload-bundle", ["-b", bucket, "-m", stage.manifest],
                                self.env(extra={"EUCA_UPLOAD_CONCURRENCY": concurrency}))
                if run.status == 0:
                    times.append(run.seconds)
                self.drop(bucket)
            if times:
                lines.append(f"euca-upload-bundle of {mebibytes:.0f} MiB ({len(stage.parts)} parts of 10 MiB) to moto on "
                             f"127.0.0.1, {concurrency} request{'s' if concurrency != '1' else ''} at a time: "
                             f"{seconds(times)}, {mebibytes / statistics.median(times):.0f} MiB/s")
        return lines

    def measure(self) -> None:
        self.zone_faults()
        self.sections.append(("Many commands, lost responses", self.concurrent_commands() + self.lost_launch()))
        self.sections.append(("Bundle uploads through the fault proxy",
                              self.upload_cut() + self.upload_interrupted_once() + self.upload_killed()
                              + self.transient_faults() + self.permanent_faults() + self.pending_parts()))
        self.sections.append(("Throttling and throughput", self.retry_modes() + self.throughput()))

    def block(self) -> str:
        moto_version = subprocess.run([sys.executable, "-c", "import moto; print(moto.__version__)"],
                                      capture_output=True, text=True).stdout.strip()
        out = [f"_Measured by `make reliability-report` (Scripts/reliability-report.py) on "
               f"{datetime.date.today().isoformat()}: the release binaries against moto {moto_version} on 127.0.0.1 "
               f"through Scripts/fault-proxy.py, {os.cpu_count()} cores. Times are wall-clock medians of "
               f"{plural(self.runs, 'run')} ({self.slow_runs} for the throttled and the 36 MiB uploads), the "
               f"range over the runs in brackets._"]
        for title, lines in self.sections:
            out += ["", f"**{title}**", ""]
            out += lines if lines and lines[0].startswith("|") else [f"- {line}" for line in lines]
        return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default="bin")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", default=str(ROOT / "docs/reliability.md"))
    args = parser.parse_args()
    bin_dir = Path(args.bin).resolve()
    if not (bin_dir / "euca-upload-bundle").exists():
        raise SystemExit(f"no euca-* commands in {bin_dir}: run make build")

    with tempfile.TemporaryDirectory(prefix="euca-reliability-") as tmp:
        scratch = Path(tmp)
        moto_process, moto = start_helper("moto-endpoint.py", missing="is moto installed? make test-deps")
        try:
            report = Report(args, Euca(bin_dir, scratch), moto, scratch)
            report.measure()
        finally:
            stop(moto_process)

    block = report.block()
    print(block)
    path = Path(args.output)
    text = path.read_text()
    if "<!-- figures:begin -->" not in text:
        raise SystemExit(f"{path} has no <!-- figures:begin --> marker")
    text = re.sub(r"<!-- figures:begin -->.*?<!-- figures:end -->",
                  lambda _: f"<!-- figures:begin -->\n{block}\n<!-- figures:end -->", text, flags=re.S)
    path.write_text(text)
    print(f"updated {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
