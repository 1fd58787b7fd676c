#!/usr/bin/env bash
# Run the whole test suite on this machine, installing whatever is missing first.
# Lab tests (real FRR routers behind real OpenSSH) run when root; they skip with a reason otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ORT_DISABLE_TELEMETRY=1 ANONYMIZED_TELEMETRY=False
exec "${PYTHON:-python3}" -m pytest -q "$@"
