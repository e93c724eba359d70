#!/usr/bin/env bash
# Puts the demo's images into <repo>/assets/demo/ (git-ignored): the MIT-licensed aerial RGB images of
# tree crowns (with their Pascal VOC boxes) that PyPI's deepforest wheel ships. `livetrain demo` cuts
# the large ones into 400x400 tiles and serves them as a detection project. Idempotent (stamp).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/assets/demo"
py="$root/.venv/bin/python"
WHEEL="deepforest==2.1.0"
FILES=(2019_YELL_2_528000_4978000_image_crop2 2019_YELL_2_541000_4977000_image_crop OSBS_029 SOAP_061)
stamp="$out/.stamp"

if [[ "${FORCE:-0}" != "1" && -f "$stamp" && "$(cat "$stamp")" == "$WHEEL ${FILES[*]}" ]]; then
  echo "setup_demo_data: $out up to date"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "setup_demo_data: downloading $WHEEL (20 MB)"
"$py" -m pip download --disable-pip-version-check -q --no-deps -d "$tmp" "$WHEEL"
mkdir -p "$out"
for f in "${FILES[@]}"; do
  unzip -q -o -j "$tmp"/deepforest-*.whl "deepforest/data/$f.png" "deepforest/data/$f.xml" -d "$out"
done
echo "$WHEEL ${FILES[*]}" > "$stamp"
echo "setup_demo_data: $(ls "$out"/*.png | wc -l) images in $out"
