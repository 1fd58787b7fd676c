#!/usr/bin/env bash
# Run the whole test suite in netops' own environment (scripts/setup.sh makes it or finds it done).
# Lab tests (real FRR routers behind real OpenSSH) run when root; they skip with a reason otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ORT_DISABLE_TELEMETRY=1 ANONYMIZED_TELEMETRY=False
# the slowest tests are listed at the end, to keep the suite inside its 20 minutes
exec "${NETOPS_VENV:-$PWD/.venv}/bin/python" -m pytest -q --durations=15 "$@"
