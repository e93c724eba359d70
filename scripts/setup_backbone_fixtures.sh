#!/usr/bin/env bash
# Builds <repo>/assets/fixtures/backbones/ (git-ignored): parity fixtures for EfficientNet-Lite2 and the
# backbones users bring weights for (ResNet-50, ConvNeXt-Tiny, DINOv2 ViT-S/14). The PyPI reference
# implementations run on random seeded weights; the Swift tests load those weights through the same
# loader a user's folder goes through and compare the feature maps (Tests/ModelsTests/BackboneParityTests).
#
# Needs real PyPI torch, so it makes its own venv, .venv-backbones (git-ignored): torch pulls its CUDA
# wheels (~3 GB download, 5.5 GB installed) because PyPI has no CPU-only build. Versions are pinned;
# torchvision, timm and efficientnet-lite-pytorch are installed --no-deps (their model code is pure
# Python; torchvision 0.29.2 was built against torch 2.14 and its compiled ops are not used).
#
# Idempotent: a stamp records the package set and the generator's hash.
# Usage: bash scripts/setup_backbone_fixtures.sh        (FORCE=1 to rebuild)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-backbones"
out="$root/assets/fixtures/backbones"
generator="$root/scripts/reference/make_backbone_fixtures.py"

WITHDEPS=("torch==2.15.0")
NODEPS=("torchvision==0.29.2" "timm==1.0.31" "efficientnet-lite-pytorch==0.1.0"
        "numpy==2.4.6" "pillow==13.0.0" "safetensors==0.8.0" "pyyaml==6.0.4")
kinds=(resnet50 convnext_tiny efficientnet_lite2 dinov2_vits14)
want="v1 ${WITHDEPS[*]} ${NODEPS[*]} $(sha256sum "$generator" | cut -c1-16)"
stamp="$out/.stamp"

up_to_date() {
  [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] || return 1
  for k in "${kinds[@]}"; do [[ -s "$out/$k.safetensors" && -s "$out/weights/$k.safetensors" ]] || return 1; done
}
if [[ "${FORCE:-0}" != "1" ]] && up_to_date; then
  echo "setup_backbone_fixtures: $out up to date"
  exit 0
fi

pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
if ! "$venv/bin/python" -c "import torch, torchvision, timm, efficientnet_lite_pytorch, safetensors" >/dev/null 2>&1 \
   || [[ "$("$venv/bin/python" -c 'import torch; print(torch.__version__.split("+")[0])')" != "2.15.0" ]]; then
  echo "setup_backbone_fixtures: installing ${WITHDEPS[*]} ${NODEPS[*]} into $venv"
  [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
  "${pip[@]}" install "${WITHDEPS[@]}"
  "${pip[@]}" install --no-deps "${NODEPS[@]}"
fi

rm -rf "$out.tmp"
"$venv/bin/python" "$generator" "$out.tmp"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$want" > "$stamp"
echo "setup_backbone_fixtures: done: $(du -sh "$out" | cut -f1) in $out"
