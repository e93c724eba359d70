#!/usr/bin/env bash
# The venv .venv-formats (git-ignored) with the third-party dataset readers that the export tests load
# every export with: pycocotools for COCO, Roboflow's supervision for YOLO and Pascal VOC
# (Tests/ServerTests/ThirdPartyReaderTests.swift runs scripts/formats/read_export.py in it).
# Pinned, and safe to run again: a stamp holding the pins skips a finished install.
#
#   bash scripts/formats/setup_venv.sh        prints the venv's python on the last line
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.venv-formats"
PINS=(supervision==0.31.2 pycocotools==2.0.11 numpy==2.4.6)

stamp="$venv/.stamp"
# Test suites run in parallel and each may call this: one installs, the others wait on this file's lock.
exec 9<"${BASH_SOURCE[0]}"
flock 9
if [[ ! -x "$venv/bin/python" || ! -f "$stamp" || "$(cat "$stamp")" != "${PINS[*]}" ]]; then
  echo "formats venv: setting up $venv (${PINS[*]})" >&2
  [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "${PINS[@]}" >&2
  echo "${PINS[*]}" > "$stamp"
fi
echo "$venv/bin/python"
