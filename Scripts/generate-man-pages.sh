#!/usr/bin/env bash
# Regenerates Man/man1 from the command declarations, through the built binary:
#   Scripts/generate-man-pages.sh [path/to/euca]
# One page per command, an alias page (.so) per euca2ools 1.x name, and euca(1).
# A unit test fails when a checked-in page differs from what this writes.
set -euo pipefail
cd "$(dirname "$0")/.."
euca=${1:-bin/euca}
out=Man/man1
mkdir -p "$out"
rm -f "$out"/euca*.1
for name in euca $("$euca" --list-commands); do
    "$euca" --man-page "$name" > "$out/$name.1"
done
echo "wrote $(ls "$out" | wc -l) pages to $out" >&2
