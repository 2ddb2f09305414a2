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
echo "== an image bundle: bundle, upload, register, describe, download and unbundle, compare"
# Bundling credentials as a cloud's eucarc would give them: the user's certificate and key,
# and the cloud's certificate (here made up on the spot).
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=demo user" \
    -keyout "$work/pk.pem" -out "$work/cert.pem" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=demo cloud" \
    -keyout "$work/cloud-pk.pem" -out "$work/cloud-cert.pem" 2>/dev/null
export EC2_CERT=$work/cert.pem EC2_PRIVATE_KEY=$work/pk.pem EUCALYPTUS_CERT=$work/cloud-cert.pem
# 3 MiB: 1 MiB of random bytes, 1 MiB of text, 1 MiB of zeros.
{ head -c 1048576 /dev/urandom; (yes "demo image line" || true) | head -c 1048576; head -c 1048576 /dev/zero; } > "$work/demo.img"
run euca-bundle-image -i "$work/demo.img" -d "$work/bundle" --part-size 1M
run euca-upload-bundle -b demo-images/2024 -m "$work/bundle/demo.img.manifest.xml"
run euca-register demo-images/2024/demo.img.manifest.xml | tee "$work/register.out"
ami=$(awk -F'\t' '$1 == "IMAGE" {print $2}' "$work/register.out")
run euca-describe-images "$ami"
mkdir "$work/back"
run euca-download-and-unbundle -b demo-images/2024 -p demo.img -d "$work/back"
run sha1sum "$work/demo.img" "$work/back/demo.img"
if [[ $(sha1sum < "$work/demo.img") == "$(sha1sum < "$work/back/demo.img")" ]]; then
    echo "identical: the image came back byte for byte"
else
    echo "the image that came back differs" >&2
    exit 1
fi
run euca-deregister "$ami"
run euca-delete-bundle -b demo-images/2024 -p demo.img
echo
echo "== done; the endpoint is stopped on exit"
