#!/usr/bin/env bash
# Set up a fresh machine for netops: system packages (FRR, OpenSSH, socat, Debian's RFCs),
# CPU-only torch, then netops itself with its test extras. Idempotent; safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

apt_pkgs="frr openssh-server socat iproute2 doc-rfc-std procps"
need_apt=0
for p in $apt_pkgs; do dpkg -s "$p" >/dev/null 2>&1 || need_apt=1; done
if [ "$need_apt" = 1 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> system packages: $apt_pkgs"
  # doc-rfc-std lives in Debian's non-free component.
  for f in /etc/apt/sources.list.d/debian.sources; do
    [ -f "$f" ] || continue
    if ! grep -qE '^Components:.*non-free( |$)' "$f"; then
      $SUDO sed -i -E 's/^(Components:.*\bmain\b)(.*)$/\1\2 non-free/' "$f"
    fi
  done
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $apt_pkgs >/dev/null
fi

PY=${PYTHON:-python3}
echo "==> python packages"
# CPU torch first: otherwise sentence-transformers pulls the CUDA build (gigabytes).
$PY -m pip install -q "torch==2.13.0"
$PY -m pip install -q -e ".[test]"
# pyenv installs console scripts behind shims; make `netops` visible right away.
command -v pyenv >/dev/null 2>&1 && pyenv rehash 2>/dev/null || true
echo "==> done"
