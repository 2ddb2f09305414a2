#!/usr/bin/env python3
"""make bench: start-up and request latency of the euca-* commands, measured next to the
Python clients on the same machine in the same run, against a local moto endpoint.

Each command runs --warmup times unmeasured, then --runs times; the table shows medians and
the ratio of each baseline to ours. Results are printed and written to --output (Markdown).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Scripts"))
from bench_support import start_helper  # noqa: E402


def median_ms(argv: list[str], env: dict[str, str], runs: int, warmup: int) -> float:
    for _ in range(warmup):
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="bin")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    bin_dir = Path(args.bin).resolve()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        moto, endpoint = start_helper("moto-endpoint.py", missing="is moto[server] installed? make test-deps")
        try:
            env = {
                "PATH": os.environ.get("PATH", ""), "HOME": str(work),
                "EC2_URL": endpoint["endpoint"], "AWS_ACCESS_KEY_ID": endpoint["access_key_id"],
                "AWS_SECRET_ACCESS_KEY": endpoint["secret_access_key"], "AWS_DEFAULT_REGION": "us-east-1",
            }
            python = sys.executable  # the interpreter itself, not a pyenv shim script
            boto3_call = ("import boto3, os; boto3.client('ec2', endpoint_url=os.environ['EC2_URL'])"
                          ".describe_availability_zones()")
            rows = []
            version = median_ms([str(bin_dir / "euca-version")], env, args.runs, args.warmup)
            python_pass = median_ms([python, "-c", "pass"], env, args.runs, args.warmup)
            rows.append(("euca-version (no network)", version, None))
            rows.append(("python3 -c pass (interpreter start-up only)", python_pass, python_pass / version))
            curl = shutil.which("curl")
            if curl:
                curl_version = median_ms([curl, "--version"], env, args.runs, args.warmup)
                rows.append(("curl --version (libcurl start-up only)", curl_version, curl_version / version))
            zones = median_ms([str(bin_dir / "euca-describe-availability-zones")], env, args.runs, args.warmup)
            rows.append(("euca-describe-availability-zones", zones, None))
            if curl:
                # The same signed POST from curl: the floor for one request from a C client.
                curl_zones = median_ms([curl, "-sf", "-o", "/dev/null", "--aws-sigv4", "aws:amz:us-east-1:ec2",
                                        "--user", f"{endpoint['access_key_id']}:{endpoint['secret_access_key']}",
                                        "-d", "Action=DescribeAvailabilityZones&Version=2016-11-15",
                                        endpoint["endpoint"]], env, args.runs, args.warmup)
                rows.append(("curl --aws-sigv4: the same DescribeAvailabilityZones", curl_zones, curl_zones / zones))
            boto3 = median_ms([python, "-c", boto3_call], env, args.runs, args.warmup)
            rows.append(("python3 + boto3: describe_availability_zones", boto3, boto3 / zones))
            aws = shutil.which("aws")
            if aws:
                aws_ms = median_ms([aws, "ec2", "describe-availability-zones", "--endpoint-url",
                                    endpoint["endpoint"], "--output", "text"], env, args.runs, args.warmup)
                rows.append(("aws ec2 describe-availability-zones (AWS CLI)", aws_ms, aws_ms / zones))
            curl_pairs = []
            if curl:
                curl_pairs = [("euca-version", version, curl_version),
                              ("euca-describe-availability-zones", zones, curl_zones)]
        finally:
            moto.terminate()
            moto.wait()

    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (Scripts/bench.py). Wall time of whole processes, median of "
        f"{args.runs} runs after {args.warmup} warm-up runs, all measured in the same run on the same "
        f"machine ({platform.machine()}, {os.cpu_count()} cores). Requests go to a local moto "
        "server with signature checking on, so the request rows include moto's own time. "
        "The ratio is baseline ÷ ours (higher means we are faster).",
        "",
        "## Start-up and a full request",
        "",
        "| command | median | ratio |",
        "|---|---:|---:|",
    ]
    for name, ms, ratio in rows:
        lines.append(f"| {name} | {ms:.1f} ms | {'' if ratio is None else f'{ratio:.1f}×'} |")
    lines += ["", "Targets: a command that needs no network under 15 ms; a full request at least "
              "10× faster than the Python clients; against curl (issue 8), `euca-version` at most 0.5× "
              "the time of `curl --version` and a whole describe at most 0.75× the time of curl "
              "sending the same signed request (ours ÷ curl here: "
              + ", ".join(f"{name} {ours / theirs:.2f}×" for name, ours, theirs in curl_pairs) + ").", ""]
    text = "\n".join(lines)
    print(text)
    if args.output:
        path = Path(args.output)
        existing = path.read_text() if path.exists() else ""
        # Later issues append their own sections; keep everything after this one.
        marker = "\n## Start-up and a full request\n"
        rest = ""
        if "\n## " in existing:
            sections = existing.split("\n## ")
            kept = [s for s in sections[1:] if not s.startswith("Start-up and a full request")]
            rest = "".join("\n## " + s for s in kept)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + rest.rstrip("\n") + ("\n" if rest else ""))


if __name__ == "__main__":
    main()
