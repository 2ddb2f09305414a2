"""What the make bench scripts share: running a command under /usr/bin/time, and starting a
helper server script and reading its JSON line."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent


def measured(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Runs argv to completion; returns (wall seconds, CPU seconds, peak RSS in KiB).

    The command runs under /usr/bin/time, whose own wait4() sees the peak RSS of the command
    (for `sh -c PIPELINE`, the largest process of the pipeline) — asking wait4() from here
    would count this Python process's pages that the child had before exec."""
    with tempfile.NamedTemporaryFile("r") as report:
        started = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", report.name] + argv, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
        user, system, rss = report.read().split()[-3:]
    return wall, float(user) + float(system), int(rss)


def start_helper(script: str, arguments: list[str] = (), missing: str = "") -> tuple[subprocess.Popen, dict]:
    """Starts Scripts/`script` and returns the process and its JSON ready line."""
    proc = subprocess.Popen([sys.executable, str(SCRIPTS / script), *arguments],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if not line:
        raise SystemExit(f"{script} did not start{f' ({missing})' if missing else ''}")
    return proc, json.loads(line)
