#!/usr/bin/env bash
# make reliability-report: runs the fault, fuzz and reliability tests and copies the figures
# they print (lines starting with "FIGURE: ") into docs/reliability.md, between the
# "figures:begin" and "figures:end" markers. The figures in that document come only from here.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-bin}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
EUCA_BIN_DIR=$(cd "$bin" && pwd) swift test --filter 'FaultProxy|ReliabilityTests|BundleReliability|FuzzTests' >"$log" 2>&1 \
    || { tail -50 "$log" >&2; echo "tests failed; figures not updated" >&2; exit 1; }
figures=$(grep -o 'FIGURE: .*' "$log" | sed 's/^FIGURE: /- /' | sort)
python3 - "$figures" <<'PY'
import re, sys, datetime
path = "docs/reliability.md"
text = open(path).read()
figures = sys.argv[1]
stamp = datetime.date.today().isoformat()
block = f"<!-- figures:begin -->\n_Measured by `make reliability-report` on {stamp}._\n\n{figures}\n<!-- figures:end -->"
text = re.sub(r"<!-- figures:begin -->.*?<!-- figures:end -->", lambda m: block, text, flags=re.S)
open(path, "w").write(text)
PY
echo "updated docs/reliability.md with $(printf '%s\n' "$figures" | wc -l) figures" >&2
