#!/usr/bin/env bash
# `make gpu-check` (issue 12, item 8): on a machine with an NVIDIA GPU, builds livetrain against the CUDA
# libtorch, times one training step against Python PyTorch on the GPU (`bench step --device cuda`), and
# replays the first deepforest images on the virtual clock at the GPU's own step time. Tables go to
# docs/benchmarks/gpu-check/ (a dated folder per run). Without a GPU it stops at once with a clear message:
# nothing here is needed for the CPU build or the tests.
#
# Usage: bash scripts/gpu_check.sh   (IMAGES=11 for a longer replay; DATASETS=../shared/datasets)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if ! nvidia-smi -L >/dev/null 2>&1; then
  echo "gpu-check: no NVIDIA GPU here (nvidia-smi -L fails); the CPU build and tests do not need one" >&2
  exit 2
fi
datasets="${DATASETS:-../shared/datasets}"
images="${IMAGES:-6}"
out="docs/benchmarks/gpu-check/$(date -u +%Y-%m-%d)"
mkdir -p "$out"

export LIVETRAIN_CUDA=1
make setup
bash scripts/reference/setup_venv.sh
swift build -c release --product livetrain
bin=.build/release/livetrain

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"
"$bin" bench step --device cuda --rounds 3 --steps 20 --out "$out/bench-step.md" | tee "$out/bench-step.log"

# The replay's clock runs at the measured step time: the swift side's median, in seconds.
step_ms=$(awk -F'|' '/swift \(livetrain Torch\)/ { gsub(/ /, "", $3); print $3 }' "$out/bench-step.md")
step_s=$(awk -v ms="$step_ms" 'BEGIN { s = ms / 1000 * 2; if (s < 0.001) s = 0.001; printf "%.4f", s }')
# bench step times batch 8 at 320²; the replay trains batch 4 at 320² plus the EMA teacher's update:
# twice the bench's median is a stated, rounded-up stand-in, written into the replay's settings.
"$bin" replay --dataset "$datasets/deepforest-trees/coco.json" \
  --held-out 2019_YELL_2_541000_4977000_image_crop --input-size 320 --hitl-at none \
  --offline-steps 0 --max-images "$images" --step-seconds "$step_s" --out "$out/replay-deepforest" | tee "$out/replay.log"
echo "gpu-check: tables in $out (step $step_ms ms in bench step; replay clock $step_s s a step)"
