#!/usr/bin/env bash
# libFuzzer over the parsers of untrusted input (Fuzz/README.md): builds each Fuzz/Targets/<name>.swift
# with the toolchain directly (not SwiftPM, so it neither waits for nor disturbs the package build),
# then runs each for a bounded time from its seed corpus Fuzz/Corpus/<name>.
#
#   bash scripts/fuzz.sh                          every target, 60 s each
#   bash scripts/fuzz.sh --seconds 10 png jpeg    some targets, 10 s each
#   bash scripts/fuzz.sh --build-only             build, run nothing
#
# New inputs go to .build/fuzz/corpus/<name> (kept between runs, so coverage accumulates); the
# checked-in seeds are only read. Crashing inputs go to artifacts/fuzz/ (git-ignored); reproduce one
# with `.build/fuzz/bin/<name> artifacts/fuzz/<name>-crash-...`. Exits non-zero when any target crashed
# or failed to build; the last line is `N passed, M failed`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds=60
build_only=0
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    --build-only) build_only=1; shift ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if ((${#targets[@]} == 0)); then
  for file in Fuzz/Targets/*.swift; do targets+=("$(basename "$file" .swift)"); done
fi
for t in "${targets[@]}"; do
  [[ -f "Fuzz/Targets/$t.swift" ]] || { echo "fuzz: no target Fuzz/Targets/$t.swift" >&2; exit 2; }
done

# The codecs' headers and libraries (as `make system` installs them).
missing=()
for p in libjpeg62-turbo-dev libpng-dev; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "fuzz: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi

# libFuzzer and ASan ship inside the Swift toolchain; its own clang must build the C side so both
# halves use the same sanitizer runtime.
# (swiftc itself is a link whose name picks the driver mode, so resolve its folder, not the file.)
bin="$(dirname "$(readlink -f "$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)")")"
swiftc="$bin/swiftc" clang="$bin/clang"
[[ -x "$swiftc" && -x "$clang" ]] || { echo "fuzz: need the Swift toolchain's swiftc and clang" >&2; exit 2; }

build=.build/fuzz
mkdir -p "$build/obj" "$build/include" "$build/bin" "$build/logs" artifacts/fuzz
# -O keeps Swift's overflow and bounds checks (they are what we hunt) and runs far faster than -Onone;
# Swift 6 mode as in Package.swift.
sanitize=(-sanitize=fuzzer,address -O -g -swift-version 6)

# True when $1 is missing or older than any later argument (files or folders, searched whole).
stale() {
  local out="$1"; shift
  [[ ! -e "$out" ]] || [[ -n "$(find "$@" -newer "$out" -print -quit)" ]]
}

# Vision and CImageCodecs once, as a library the targets link: only their public API is fuzzed.
vision_inputs=(Sources/Vision Sources/CImageCodecs scripts/fuzz.sh)
if stale "$build/obj/libVision.a" "${vision_inputs[@]}"; then
  echo "fuzz: building Vision + CImageCodecs with -sanitize=fuzzer,address"
  # SwiftPM writes CImageCodecs' module map itself; without it we need one for `import CImageCodecs`.
  cat >"$build/include/module.modulemap" <<EOF
module CImageCodecs {
    header "$root/Sources/CImageCodecs/include/image_codecs.h"
    export *
}
EOF
  objects=()
  for c in Sources/CImageCodecs/*.c; do
    object="$build/obj/$(basename "$c" .c).o"
    "$clang" -O1 -g -fsanitize=fuzzer-no-link,address -ISources/CImageCodecs/include -c "$c" -o "$object"
    objects+=("$object")
  done
  rm -f "$build/obj/libVision.a"
  "$swiftc" "${sanitize[@]}" -wmo -parse-as-library -module-name Vision -I "$build/include" \
    -emit-module -emit-module-path "$build/obj/Vision.swiftmodule" \
    -c $(find Sources/Vision -name '*.swift' | sort) -o "$build/obj/Vision.o"
  ar rcs "$build/obj/libVision.a" "$build/obj/Vision.o" "${objects[@]}"
fi

# Formats (the dataset readers and writers) over Vision, when the checkout has it: the importers' targets
# link it; the others do not need it but linking an unused archive costs nothing.
libs=("$build/obj/libVision.a")
if [[ -d Sources/Formats ]]; then
  if stale "$build/obj/libFormats.a" Sources/Formats "$build/obj/libVision.a"; then
    echo "fuzz: building Formats with -sanitize=fuzzer,address"
    rm -f "$build/obj/libFormats.a"
    "$swiftc" "${sanitize[@]}" -wmo -parse-as-library -module-name Formats -I "$build/obj" -I "$build/include" \
      -emit-module -emit-module-path "$build/obj/Formats.swiftmodule" \
      -c $(find Sources/Formats -name '*.swift' | sort) -o "$build/obj/Formats.o"
    ar rcs "$build/obj/libFormats.a" "$build/obj/Formats.o"
  fi
  libs=("$build/obj/libFormats.a" "${libs[@]}")
fi

failed=()
passed=()
for t in "${targets[@]}"; do
  binary="$build/bin/$t"
  if stale "$binary" "Fuzz/Targets/$t.swift" Fuzz/Support "${libs[@]}"; then
    echo "fuzz: building $t"
    if ! "$swiftc" "${sanitize[@]}" -parse-as-library -module-name FuzzTarget -I "$build/obj" -I "$build/include" \
      "Fuzz/Targets/$t.swift" Fuzz/Support/*.swift "${libs[@]}" -ljpeg -lpng -use-ld=lld -o "$binary"; then
      echo "fuzz: $t does not build"
      failed+=("$t")
      continue
    fi
  fi
  ((build_only)) && { passed+=("$t"); continue; }

  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  log="$build/logs/$t.log"
  echo "fuzz: $t for ${seconds}s"
  # New inputs are written to the first corpus folder only; the checked-in seeds are read, never
  # written. The Swift backtracer is off: libFuzzer prints the stack itself, and the backtracer can
  # hang a crashing, ASan-instrumented process.
  if SWIFT_BACKTRACE=enable=no "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="artifacts/fuzz/$t-" "$corpus" "Fuzz/Corpus/$t" >"$log" 2>&1; then
    passed+=("$t")
    # The last status line, e.g. "#123456 DONE cov: 812 ft: 2301 corp: 210/9Kb lim: 4096 exec/s: 4115 rss: 80Mb".
    line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)"
    runs="${line%%[[:space:]]*}"
    echo "fuzz: $t clean: runs ${runs#\#} cov $(sed -E 's/.*cov: ([0-9]+).*/\1/' <<<"$line") exec/s $(sed -E 's/.*exec\/s: ([0-9]+).*/\1/' <<<"$line") (log $log)"
  else
    failed+=("$t")
    echo "fuzz: $t FAILED (log $log):"
    { grep -E 'ERROR: |SUMMARY: |Fatal error|fuzz invariant|Test unit written' "$log" || tail -5 "$log"; } | head -20 | sed 's/^/  /' || true
  fi
done

echo "${#passed[@]} passed, ${#failed[@]} failed"
((${#failed[@]} == 0))
