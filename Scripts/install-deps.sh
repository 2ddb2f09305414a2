#!/usr/bin/env bash
# Installs what building (and, with --test, testing/benchmarking) needs on a Debian-family
# machine, skipping anything already present: the C libraries behind the system-library
# targets (OpenSSL's libcrypto and libssl, zlib), and for tests
# moto's server (the local EC2/S3 endpoint) plus the standard tools the bundle tests use.
set -euo pipefail

want_test=false
[[ "${1:-}" == "--test" ]] && want_test=true

packages=(libssl-dev zlib1g-dev)
$want_test && packages+=(pigz hyperfine openssl tar gzip)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}" >&2
    sudo_cmd=()
    [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get install -y -q "${missing[@]}" >/dev/null \
        || { "${sudo_cmd[@]}" apt-get update -q >/dev/null && "${sudo_cmd[@]}" apt-get install -y -q "${missing[@]}" >/dev/null; }
fi

if $want_test; then
    if ! python3 -c 'import moto.server, boto3' 2>/dev/null; then
        echo "installing: moto[server]" >&2
        python3 -m pip install -q 'moto[server]'
    fi
fi
