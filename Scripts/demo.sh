#!/usr/bin/env bash
# make demo: start a local EC2/S3 endpoint (moto on 127.0.0.1), write a Eucalyptus-style
# eucarc for it, source it as an operator would, and run a short session with the euca-*
# commands in bin/. The endpoint is stopped (by PID) when the script exits.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${1:-bin}" && pwd)
work=$(mktemp -d)
moto_pid=
cleanup() {
    [[ -n $moto_pid ]] && kill "$moto_pid" 2>/dev/null && wait "$moto_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

echo "== starting moto on 127.0.0.1 (signature checking on)"
python3 Scripts/moto-endpoint.py --eucarc "$work/eucarc" > "$work/endpoint.json" 2> "$work/moto.log" &
moto_pid=$!
for _ in $(seq 600); do
    [[ -s $work/endpoint.json ]] && break
    kill -0 "$moto_pid" 2>/dev/null || { cat "$work/moto.log" >&2; exit 1; }
    sleep 0.1
done
[[ -s $work/endpoint.json ]] || { echo "moto did not start; its log:" >&2; cat "$work/moto.log" >&2; exit 1; }

echo "== source $work/eucarc"
sed 's/\(SECRET_KEY\)=.*/\1=<hidden>/' "$work/eucarc"
# shellcheck disable=SC1091
source "$work/eucarc"
export PATH="$bin:$PATH"

run() {
    printf '\n$ %s\n' "$*"
    "$@"
}

run euca-version
run euca-describe-regions us-east-1 eu-west-1
run euca-describe-availability-zones
run euca-create-keypair -f "$work/demo.pem" demo
run ls -l "$work/demo.pem"
run euca-describe-keypairs demo
run euca-create-group -d "demo web servers" demo-web
run euca-authorize -P tcp -p 22 -s 0.0.0.0/0 demo-web
image=$(euca-describe-images | awk -F'\t' '$1 == "IMAGE" && $8 == "machine" && $7 == "x86_64" {print $2; exit}')
run euca-run-instances -k demo -g demo-web -t m1.small "$image" | tee "$work/run.out"
instance=$(awk -F'\t' '$1 == "INSTANCE" {print $2}' "$work/run.out")
run euca-describe-instances "$instance"
run euca-create-tags "$instance" --tag Name=demo
run euca-describe-tags --filter resource-id="$instance"
run euca-terminate-instances "$instance"
run euca-delete-keypair demo
run euca-describe-keypairs demo || true
echo
echo "== done; the endpoint is stopped on exit"
