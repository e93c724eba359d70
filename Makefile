# livetrain: every target sets up what it needs and is safe to run again (stamps skip finished work).
#   make demo   set up, build and run the demo on the embedded default (README's main command)
#   make test   set up, build and run the whole test suite (what .ci/run calls)
#   make bench  set up (incl. the reference PyTorch venv) and run `livetrain bench step`
#   make api-fuzz  schemathesis against docs/openapi.yaml and a running server (scripts/api_fuzz.sh)
#   make fuzz   build the libFuzzer targets of Fuzz/ and run each for 60 s
#   make gpu-check  on an NVIDIA machine: CUDA build, `bench step --device cuda`, a short replay (scripts/gpu_check.sh)
#   make replays  the three replay benchmarks of docs/benchmarks (virtual clock, about 40 min on 2 cores; ../shared/datasets)

SHELL := /bin/bash
TORCH_VERSION := 2.15.0
CUDA_RT := 13.2.86
VENV := .venv
STAMPS := .build/stamps
# CUDA builds when the machine has an NVIDIA GPU; LIVETRAIN_CUDA=0 forces CPU.
LIVETRAIN_CUDA ?= $(shell nvidia-smi -L >/dev/null 2>&1 && echo 1 || echo 0)
export LIVETRAIN_CUDA
SWIFT_FLAGS ?=
APT_PACKAGES := pkg-config libjpeg62-turbo-dev libpng-dev librsvg2-bin libargon2-dev libarchive-dev

.PHONY: setup system venv assets fixtures build test browser-test api-fuzz fuzz demo bench gpu-check replays clean

setup: system venv assets

# Debian packages: image codecs for the Vision module, rsvg-convert to render the simulator's plots,
# the reference Argon2 library for account passwords (Store).
# The stamp depends on this file, so a package added to APT_PACKAGES is installed on machines set up before.
system: $(STAMPS)/system
$(STAMPS)/system: Makefile
	@mkdir -p $(STAMPS)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "setup: apt-get install $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@touch $@

# libtorch from PyPI's torch wheel. CPU use needs only the wheel plus cudart/cupti (libtorch links them);
# with a GPU, the full CUDA dependency set.
venv: $(STAMPS)/venv-$(LIVETRAIN_CUDA)
$(STAMPS)/venv-$(LIVETRAIN_CUDA):
	@mkdir -p $(STAMPS)
	@test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	@if [ "$(LIVETRAIN_CUDA)" = 1 ]; then \
	  $(VENV)/bin/pip install -q --disable-pip-version-check torch==$(TORCH_VERSION); \
	else \
	  $(VENV)/bin/pip install -q --disable-pip-version-check --no-deps torch==$(TORCH_VERSION) \
	    "nvidia-cuda-runtime==$(CUDA_RT).*" "nvidia-cuda-cupti==$(CUDA_RT).*"; \
	fi
	@$(VENV)/bin/pip install -q --disable-pip-version-check numpy pycocotools
	@touch $@

# Pretrained weights converted to safetensors, sample photos (scripts/setup_assets.sh).
assets: venv
	@bash scripts/setup_assets.sh
	@bash scripts/setup_demo_data.sh

# Test-only: the backbone parity fixtures made by the PyPI reference implementations
# (scripts/setup_backbone_fixtures.sh: its own .venv-backbones with full PyPI torch, ~3 GB download the
# first time), so `make demo` never pays for them.
fixtures: venv
	@bash scripts/setup_backbone_fixtures.sh

build: setup
	swift build $(SWIFT_FLAGS) --build-tests

# Browser tests (real headless Chromium and Firefox against `livetrain demo`), the API fuzz pass
# (schemathesis, ~2 min), a short libFuzzer pass (10 s a target), the pinned venv of third-party dataset
# readers that the export tests load exports with (.venv-formats), then the Swift suite, serially:
# training tests hold CPU-bound work that starves the HTTP tests' event loops on 2 cores.
test: build fixtures
	bash scripts/browser_tests.sh
	bash scripts/api_fuzz.sh
	bash scripts/fuzz.sh --seconds 10
	bash scripts/formats/setup_venv.sh >/dev/null
	swift test $(SWIFT_FLAGS) --skip-build --no-parallel

browser-test: build fixtures
	bash scripts/browser_tests.sh
	bash scripts/api_fuzz.sh
	bash scripts/fuzz.sh --seconds 10

# schemathesis against docs/openapi.yaml and a real server on a fresh data folder (issue 13): every
# operation, a bounded number of cases each; fails on a 5xx, a crash, an unreached operation, a failed
# check or a schema-mismatch warning. About 2 minutes on 2 cores; reports in artifacts/api-fuzz/.
api-fuzz: build
	bash scripts/api_fuzz.sh

# libFuzzer over the parsers of untrusted input (Fuzz/README.md), 60 s a target. The script builds
# with the toolchain directly (no SwiftPM, no libtorch) and installs the codec packages it needs.
fuzz:
	bash scripts/fuzz.sh --seconds 60

demo: setup
	swift build -c release --product livetrain
	.build/release/livetrain demo

# The reference venv (full PyTorch) is needed only here: the Python half of the step benchmark.
bench: setup
	@bash scripts/reference/setup_venv.sh
	swift build -c release --product livetrain
	.build/release/livetrain bench step

# Needs an NVIDIA GPU (stops at once without one): builds with LIVETRAIN_CUDA=1, times a step against
# PyTorch on the GPU and replays the first deepforest images at that step time (docs/benchmarks/gpu-check/).
gpu-check:
	bash scripts/gpu_check.sh

# The commands behind docs/benchmarks/replay-*, on the virtual clock: each annotator second buys 1/10 of
# a training step (about 20 steps for a hand-drawn image; this CPU's real pace would be ~0.3 s a step), so
# the numbers do not depend on machine load. Baselines train to their loss plateau (the step options are
# caps). About 40 min on 2 cores.
DATASETS := ../shared/datasets
REPLAY_CLOCK := --step-seconds 10 --retrain-steps 600 --offline-steps 1500 --tail-seconds 1200
replays: setup
	swift build -c release --product livetrain
	.build/release/livetrain replay --dataset $(DATASETS)/deepforest-trees/coco.json \
	  --held-out 2019_YELL_2_541000_4977000_image_crop --input-size 320 --hitl-at 5,10,20 \
	  $(REPLAY_CLOCK) --out docs/benchmarks/replay-deepforest
	.build/release/livetrain replay --task instance --dataset $(DATASETS)/dsb2018-nuclei/coco.json --max-images 30 \
	  --input-size 384 --hitl-at 5,10,20 --evaluate-every 5 --seed 0 $(REPLAY_CLOCK) --out docs/benchmarks/replay-dsb2018
	.build/release/livetrain replay --task semantic --dataset $(DATASETS)/crackforest-cracks/dataset.json --max-images 30 \
	  --input-size 320 --hitl-at 5,10,20 --evaluate-every 5 --seed 0 $(REPLAY_CLOCK) --out docs/benchmarks/replay-crackforest

clean:
	rm -rf .build
