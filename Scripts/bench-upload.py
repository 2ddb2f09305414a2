#!/usr/bin/env python3
"""make bench (upload part): euca-upload-bundle of a 200 MiB bundle (20 parts of 10 MiB) to a
local moto, sequential and parallel, next to `curl -T` of the same parts one at a time and
four at a time, measured in the same run. moto runs without signature checking so that plain
curl can upload too (our requests are signed either way). Medians of --runs runs; each run
uploads to a new bucket so nothing is skipped as already present. Writes an "## Upload"
section into --output, keeping the other sections.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = ROOT / "Tests/EucaCoreTests/Fixtures/keys"


def timed(argv, env=None, shell=False) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, shell=shell, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="bin")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    bin_dir = Path(args.bin).resolve()

    with tempfile.TemporaryDirectory(dir="/var/tmp") as tmp:
        work = Path(tmp)
        moto = subprocess.Popen([sys.executable, str(ROOT / "Scripts/moto-endpoint.py"), "--no-auth"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            endpoint = json.loads(moto.stdout.readline())
            url = endpoint["endpoint"]
            env = {"PATH": os.environ.get("PATH", ""), "HOME": str(work), "S3_URL": url, "EC2_URL": url,
                   "AWS_ACCESS_KEY_ID": endpoint["access_key_id"],
                   "AWS_SECRET_ACCESS_KEY": endpoint["secret_access_key"], "AWS_DEFAULT_REGION": "us-east-1",
                   "EC2_CERT": str(KEYS / "user-cert.pem"), "EC2_PRIVATE_KEY": str(KEYS / "user-key.pem"),
                   "EUCALYPTUS_CERT": str(KEYS / "cloud-cert.pem"), "EC2_USER_ID": "123456789012"}
            image = work / "upload.img"
            image.write_bytes(os.urandom(200 * 1024 * 1024))
            bundle = work / "bundle"
            bundle.mkdir()
            subprocess.run([str(bin_dir / "euca-bundle-image"), "-i", str(image), "-d", str(bundle), "--no-progress"],
                           env=env, check=True, stdout=subprocess.DEVNULL)
            manifest = bundle / "upload.img.manifest.xml"
            parts = sorted(str(p) for p in bundle.glob("upload.img.part.*"))
            total = sum(os.path.getsize(p) for p in parts) + manifest.stat().st_size
            results: dict[str, list[float]] = {}
            for run in range(args.runs):
                for name, concurrency in [("ours, one part at a time", "1"), ("ours, parallel (default)", None)]:
                    run_env = dict(env)
                    if concurrency:
                        run_env["EUCA_UPLOAD_CONCURRENCY"] = concurrency
                    bucket = f"bench-{run}-{len(results.get(name, []))}-{'seq' if concurrency else 'par'}"
                    results.setdefault(name, []).append(timed(
                        [str(bin_dir / "euca-upload-bundle"), "-b", bucket, "-m", str(manifest), "--no-progress"], run_env))
                for name, parallel in [("curl -T, one part at a time", 1), ("curl -T, four at a time", 4)]:
                    bucket = f"curl-{run}-{parallel}"
                    subprocess.run(["curl", "-sf", "-X", "PUT", f"{url}/{bucket}"], check=True, stdout=subprocess.DEVNULL)
                    files = parts + [str(manifest)]
                    command = (f"printf '%s\\n' {' '.join(files)} | xargs -P {parallel} -I{{}} "
                               f"sh -c 'curl -sf -T \"$1\" {url}/{bucket}/$(basename \"$1\") >/dev/null' _ {{}}")
                    results.setdefault(name, []).append(timed(command, shell=True))
        finally:
            moto.terminate()
            moto.wait()

    mib = total / 1024 / 1024
    lines = ["## Upload", "",
             f"`Scripts/bench-upload.py`: a {mib:.0f} MiB bundle ({len(parts)} parts and the manifest) "
             f"uploaded to a local moto (signature checking off, so plain curl can upload too), medians of "
             f"{args.runs} runs, each to a new bucket. Ours signs every request (SigV4 with the payload's "
             "SHA-256) and sends Content-MD5; curl sends the bytes only. moto on the same 2 cores is the "
             "limit for everyone.", "",
             "| client | median | throughput |", "|---|---:|---:|"]
    for name, samples in results.items():
        median = statistics.median(samples)
        lines.append(f"| {name} | {median:.2f} s | {mib / median:.0f} MiB/s |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        path = Path(args.output)
        existing = path.read_text() if path.exists() else "# Benchmarks\n"
        head, _, rest = existing.partition("\n## Upload\n")
        if rest:
            tail = rest.split("\n## ", 1)
            rest = ("\n## " + tail[1]) if len(tail) > 1 else ""
        path.write_text(head.rstrip("\n") + "\n\n" + text + rest)


if __name__ == "__main__":
    main()
