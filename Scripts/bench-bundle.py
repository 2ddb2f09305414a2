#!/usr/bin/env python3
"""make bench: bundling and unbundling speed and memory, ours next to the bare shell pipelines.

Generates a mixed test image (default 1 GiB: 256 MiB random, 512 MiB text-like, 256 MiB zeros,
half of the zeros written and half left as holes), then runs, interleaved, --runs times each:

  bundle     euca-bundle-image -i IMG -d DIR            vs  pigz -6 < IMG | openssl enc -aes-128-cbc | sha1sum
  unbundle   euca-unbundle -m MANIFEST -d DIR           vs  cat PARTS | openssl enc -d -aes-128-cbc | gzip -d | sha1sum

(the pipelines decrypt/encrypt with the same key as our bundle; they write nothing to disk,
we write the parts or the image). Reports the median wall time, the median CPU time (user +
system) and the peak RSS (of one process for us; of the largest process of a pipeline), and checks that our peak RSS stays under 100 MiB for a much larger
sparse image too. Each command runs under /usr/bin/time (wall time is measured here). Results are printed and written as the "## Bundling" section of --output
(other sections are kept).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "Scripts"))
from bench_support import measured  # noqa: E402
MiB = 1 << 20
KEY = "000102030405060708090a0b0c0d0e0f"
IV = "0f0e0d0c0b0a09080706050403020100"


def make_text(size: int, seed: int) -> bytes:
    """Text-like data: words with a Zipf-like distribution, lines of varying length."""
    rng = random.Random(seed)
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    vocab = ["".join(rng.choice(letters[: rng.randint(8, 26)]) for _ in range(rng.randint(2, 10)))
             for _ in range(5000)]
    weights = [1.0 / (i + 1) for i in range(len(vocab))]
    out, n = [], 0
    while n < size:
        words = rng.choices(vocab, weights, k=4096)
        line = " ".join(words).replace(" " + words[0] + " ", "\n", 50) + "\n"
        out.append(line)
        n += len(line)
    return "".join(out).encode()[:size]


def make_image(path: Path, size_mib: int) -> None:
    """Segments of 1/16 of the image: random, text, zeros, text, repeated; every other zero
    segment is a hole."""
    segment = size_mib * MiB // 16
    text = make_text(16 * MiB, 1)
    with open(path, "wb") as f:
        for index in range(16):
            kind = ["random", "text", "zeros", "text"][index % 4]
            if kind == "random":
                left = segment
                while left:
                    chunk = min(left, 16 * MiB)
                    f.write(os.urandom(chunk))
                    left -= chunk
            elif kind == "text":
                left, flip = segment, False
                while left:
                    chunk = min(left, len(text))
                    f.write((text[::-1] if flip else text)[:chunk])
                    left -= chunk
                    flip = not flip
            elif index % 8 == 2:
                left = segment
                while left:
                    chunk = min(left, 16 * MiB)
                    f.write(bytes(chunk))
                    left -= chunk
            else:
                f.seek(segment, 1)
        f.truncate(16 * segment)


def make_sparse(path: Path, size_gib: int) -> None:
    with open(path, "wb") as f:
        for offset in range(0, size_gib << 30, 1 << 30):
            f.seek(offset)
            f.write(os.urandom(MiB))
        f.truncate(size_gib << 30)


def make_credentials(directory: Path) -> dict[str, str]:
    env = {}
    for who in ("user", "cloud"):
        key, cert = directory / f"{who}-key.pem", directory / f"{who}-cert.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                        "-out", str(cert), "-subj", f"/CN=bench-{who}", "-days", "2"],
                       check=True, capture_output=True)
        env[who] = str(key), str(cert)
    return {"EC2_PRIVATE_KEY": env["user"][0], "EC2_CERT": env["user"][1],
            "EUCALYPTUS_CERT": env["cloud"][1], "EC2_USER_ID": "123456789012"}


def median(samples: list[tuple[float, float, int]]) -> tuple[float, float, int]:
    return (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples),
            max(s[2] for s in samples))


def tool_version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except OSError:
        return "not found"


def write_section(output: Path, section: str) -> None:
    text = output.read_text() if output.exists() else "# Benchmarks\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, l in enumerate(lines) if l.rstrip() == "## Bundling"), None)
    if start is None:
        if not text.endswith("\n"):
            text += "\n"
        text += "\n" + section
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        text = "".join(lines[:start]) + section + ("\n" if end < len(lines) else "") + "".join(lines[end:])
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default="bin", help="directory with euca and its euca-* links")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size-mib", type=int, default=1024, help="size of the mixed image")
    parser.add_argument("--sparse-gib", type=int, default=8, help="size of the sparse image for the RSS check (0: skip)")
    parser.add_argument("--workdir", default=None, help="where to put the image and bundles (default: TMPDIR or /var/tmp)")
    parser.add_argument("--output", default=None, help="Markdown file to write the ## Bundling section into")
    args = parser.parse_args()
    bin_dir = Path(args.bin).resolve()
    for tool in ("pigz", "openssl", "gzip", "sha1sum"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed for the comparison (make test-deps)")
    if not os.access("/usr/bin/time", os.X_OK):
        raise SystemExit("GNU time (/usr/bin/time) is needed to measure peak RSS (apt-get install time)")

    base = args.workdir or os.environ.get("TMPDIR") or "/var/tmp"
    with tempfile.TemporaryDirectory(prefix="bench-bundle-", dir=base) as tmp:
        work = Path(tmp)
        print(f"generating a {args.size_mib} MiB mixed image in {work} ...", flush=True)
        image = work / "mixed.img"
        make_image(image, args.size_mib)
        env = {"PATH": f"{bin_dir}:{os.environ.get('PATH', '')}", "HOME": str(work)}
        env.update(make_credentials(work))

        bundle_dir, unbundle_dir = work / "bundle", work / "unbundled"
        ours_bundle = [str(bin_dir / "euca-bundle-image"), "-i", str(image), "-d", str(bundle_dir),
                       "--no-progress", "--enc-key", KEY, "--enc-iv", IV]
        pipe_bundle = ["bash", "-c", f"pigz -6 < '{image}' | openssl enc -aes-128-cbc -K {KEY} -iv {IV} | sha1sum"]
        ours_unbundle = [str(bin_dir / "euca-unbundle"), "-m", str(bundle_dir / "mixed.img.manifest.xml"),
                         "-d", str(unbundle_dir), "--no-progress"]
        pipe_unbundle = ["bash", "-c", f"cat '{bundle_dir}'/mixed.img.part.* | openssl enc -d -aes-128-cbc -K {KEY} "
                                       f"-iv {IV} | gzip -d | sha1sum"]

        def bundle_ours():
            shutil.rmtree(bundle_dir, ignore_errors=True)
            return measured(ours_bundle, env)

        def unbundle_ours():
            shutil.rmtree(unbundle_dir, ignore_errors=True)
            unbundle_dir.mkdir()
            result = measured(ours_unbundle, env)
            return result

        samples: dict[str, list] = {"bundle": [], "pigz": [], "unbundle": [], "gunzip": []}
        load_before = os.getloadavg()
        print("warming up ...", flush=True)
        bundle_ours()
        measured(pipe_bundle, env)
        unbundle_ours()
        measured(pipe_unbundle, env)
        for index in range(args.runs):
            # Alternate the order so that neither side always runs on a cooler machine.
            pairs = [("bundle", bundle_ours), ("pigz", lambda: measured(pipe_bundle, env))]
            pairs += [("unbundle", unbundle_ours), ("gunzip", lambda: measured(pipe_unbundle, env))]
            if index % 2:
                pairs = [pairs[1], pairs[0], pairs[3], pairs[2]]
            for name, action in pairs:
                samples[name].append(action())
                wall, cpu, rss = samples[name][-1]
                print(f"  run {index + 1}: {name:9s} {wall:6.2f} s wall {cpu:6.2f} s CPU {rss / 1024:6.1f} MiB", flush=True)
        load_after = os.getloadavg()
        identical = subprocess.run(["cmp", str(image), str(unbundle_dir / "mixed.img")]).returncode == 0
        bundled_bytes = sum(p.stat().st_size for p in bundle_dir.glob("mixed.img.part.*"))
        parts = len(list(bundle_dir.glob("mixed.img.part.*")))

        sparse_rss = None
        if args.sparse_gib:
            print(f"RSS check: bundling a {args.sparse_gib} GiB sparse image ...", flush=True)
            sparse = work / "sparse.img"
            make_sparse(sparse, args.sparse_gib)
            shutil.rmtree(bundle_dir, ignore_errors=True)
            sparse_bundle = measured([str(bin_dir / "euca-bundle-image"), "-i", str(sparse), "-d", str(bundle_dir),
                                 "--no-progress"], env)
            shutil.rmtree(unbundle_dir, ignore_errors=True)
            unbundle_dir.mkdir()
            sparse_unbundle = measured([str(bin_dir / "euca-unbundle"), "-m", str(bundle_dir / "sparse.img.manifest.xml"),
                                   "-d", str(unbundle_dir), "--no-progress"], env)
            sparse_rss = (sparse_bundle, sparse_unbundle)

    rows = []
    for ours, theirs, label, pipeline in (("bundle", "pigz", "bundle", "`pigz -6 < img \\| openssl enc -aes-128-cbc … \\| sha1sum`"),
                                          ("unbundle", "gunzip", "unbundle", "`cat parts \\| openssl enc -d -aes-128-cbc … \\| gzip -d \\| sha1sum`")):
        o, t = median(samples[ours]), median(samples[theirs])
        rows.append(f"| {label} | {o[0]:.2f} s | {o[1]:.2f} s | {o[2] / 1024:.0f} MiB | {pipeline} | {t[0]:.2f} s | "
                    f"{t[1]:.2f} s | {t[2] / 1024:.0f} MiB | {t[0] / o[0]:.2f}× |")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    section = [
        "## Bundling",
        "",
        f"`Scripts/bench-bundle.py` on {os.cpu_count()} cores ({cpu}), {time.strftime('%Y-%m-%d')}: a "
        f"{args.size_mib} MiB image of random (1/4), text-like (1/2) and zero (1/4, half of it holes) stretches; "
        f"medians of {args.runs} interleaved runs after one warm-up, files in the page cache. Wall and CPU "
        "(user + system) time and peak RSS come from /usr/bin/time around each command; a pipeline's RSS is "
        "that of its largest process. We write the parts (bundle) or the image (unbundle) to disk; the pipelines write nothing.",
        "",
        "| | ours wall | ours CPU | ours peak RSS | pipeline | pipeline wall | pipeline CPU | pipeline peak RSS | pipeline / ours |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"- Bundle: {parts} parts, {bundled_bytes / MiB:.1f} MiB ({bundled_bytes / (args.size_mib * MiB):.1%} of the image); "
        f"unbundled image identical to the original: {'yes' if identical else 'NO'}.",
    ]
    if sparse_rss:
        (bw, bc, br), (uw, uc, ur) = sparse_rss
        section.append(f"- Memory does not grow with the image: a {args.sparse_gib} GiB sparse image bundled in {bw:.1f} s "
                       f"(peak RSS {br / 1024:.0f} MiB) and unbundled in {uw:.1f} s (peak RSS {ur / 1024:.0f} MiB).")
    section += [
        f"- Load average (1 min) {load_before[0]:.2f} before and {load_after[0]:.2f} after the runs: other work on "
        "the machine slows both sides, and CPU time is the steadier figure.",
        f"- Tools: {tool_version(['pigz', '--version'])}, {tool_version(['openssl', 'version'])}, "
        f"{tool_version(['gzip', '--version'])}.",
        "",
    ]
    text = "\n".join(section)
    print()
    print(text)
    if args.output:
        write_section(Path(args.output), text)
        print(f"wrote the Bundling section of {args.output}")


if __name__ == "__main__":
    main()
