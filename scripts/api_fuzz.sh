#!/usr/bin/env bash
# API fuzzing: schemathesis (PyPI) against docs/openapi.yaml and a real `livetrain serve` on a free
# loopback port, a fresh data folder and a fresh import root (GitHub issue #13).
#
# Every operation of the spec is exercised (/simulation, /metrics, imports and token routes included)
# with a bounded number of generated cases each. Real ids come from the data this script creates
# first (a project of each task with a 4x3 image to label, import projects, import folders, throwaway
# projects and tokens to delete), bound to the operations by WORK/schemathesis.toml and
# scripts/api_fuzz_hooks.py (scripts/api_fuzz.py writes both). The run's own admin token and the
# projects it needs can never be revoked or deleted.
#
# Fails (non-zero) on any failed schemathesis check (a 5xx included), a server crash, an operation
# never answered with a 2xx, or a schema-mismatch warning (missing test data, validation mismatch).
# The last line printed is the verdict: `api_fuzz: N passed, M failed (operations, cases, problems, seconds)`.
#
# Installs what is missing and is safe to run again: the venv .venv-api with a pinned schemathesis.
# Builds nothing: the server binary must exist (make build). Reports (NDJSON, JSON, JUnit), the
# generated config and the server log go to artifacts/api-fuzz/ (git-ignored).
#
#   bash scripts/api_fuzz.sh                      the whole run (about 2 minutes on 2 cores)
#   bash scripts/api_fuzz.sh --include-path-regex annotation    extra schemathesis arguments pass through
#
# Environment: LIVETRAIN_BIN (default .build/debug/livetrain), API_FUZZ_EXAMPLES (cases per operation
# and phase, default 40), API_FUZZ_SEED (default 1; "random" for a fresh one), API_FUZZ_MAX_TIME
# (seconds the schemathesis run may take before it is stopped, default 300), KEEP_DATA=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
SCHEMATHESIS="schemathesis==4.32.5"
venv="$root/.venv-api"

stamp="$venv/.stamp"
if [[ ! -x "$venv/bin/python" || ! -f "$stamp" || "$(cat "$stamp")" != "$SCHEMATHESIS" ]]; then
  echo "api_fuzz: setting up $venv ($SCHEMATHESIS)"
  [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "$SCHEMATHESIS"
  echo "$SCHEMATHESIS" > "$stamp"
fi

bin="${LIVETRAIN_BIN:-$root/.build/debug/livetrain}"
if [[ ! -x "$bin" ]]; then
  echo "api_fuzz: $bin not found; build it first (make build)" >&2
  exit 2
fi
examples="${API_FUZZ_EXAMPLES:-40}"
seed="${API_FUZZ_SEED:-1}"
max_time="${API_FUZZ_MAX_TIME:-300}"
artifacts="${ARTIFACTS:-$root/artifacts/api-fuzz}"
rm -rf "$artifacts"
mkdir -p "$artifacts"
work="$(mktemp -d "${TMPDIR:-/tmp}/livetrain-api-fuzz.XXXXXX")"
mkdir -p "$work/import"
log="$artifacts/server.log"
started=$SECONDS

server=""
stop_server() {
  if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server" 2>/dev/null || true
  fi
  server=""
}
cleanup() {
  stop_server
  if [[ "${KEEP_DATA:-0}" == 1 ]]; then echo "api_fuzz: data kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
# --input-size 128: should a trainer start after all, its steps stay cheap.
"$bin" serve --data "$work/data" --port "$port" --host 127.0.0.1 --import-root "$work/import" --threads 1 \
  --input-size 128 --sign-ins-per-minute 100000 >"$log" 2>&1 &
server=$!
for _ in $(seq 1 300); do
  if [[ -s "$work/data/admin-token" ]] && python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "$url/metrics" 2>/dev/null; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "api_fuzz: the server exited at start; its log:" >&2
    tail -n 40 "$log" | sed -E 's/(token=)lt_[0-9a-f]+/\1[filtered]/g' >&2
    exit 1
  fi
  sleep 0.2
done
token="$(tr -d '[:space:]' <"$work/data/admin-token")"
echo "api_fuzz: server pid $server on $url, data in $work"

"$venv/bin/python" scripts/api_fuzz.py prepare "$url" "$token" "$work"
cp "$work/schemathesis.toml" "$work/state.json" "$artifacts/"
[[ "$seed" == random ]] && seed=$RANDOM
status=0
API_FUZZ_TOKEN="$token" API_FUZZ_STATE="$work/state.json" API_FUZZ_SEED="$seed" \
  SCHEMATHESIS_HOOKS="$root/scripts/api_fuzz_hooks.py" \
  timeout --signal=INT --kill-after=30 "$max_time" \
  "$venv/bin/schemathesis" --config-file "$work/schemathesis.toml" --no-color run docs/openapi.yaml \
  --url "$url" --max-examples "$examples" --seed "$seed" --workers 1 \
  --report junit,ndjson,json --report-dir "$artifacts" \
  --report-ndjson-path "$artifacts/events.ndjson" --report-json-path "$artifacts/report.json" \
  --report-junit-path "$artifacts/junit.xml" "$@" || status=$?

crashed=0
kill -0 "$server" 2>/dev/null || crashed=1
stop_server
# A crash leaves its report in the log (the process may still be writing its backtrace above).
grep -q -E "Fatal error|Program crashed|Segmentation fault" "$log" && crashed=1

verdict=1
last="api_fuzz: 0 passed, 1 failed (schemathesis wrote no report; exit $status)"
if [[ -f "$artifacts/events.ndjson" && -f "$artifacts/report.json" ]]; then
  verdict=0
  "$venv/bin/python" scripts/api_fuzz.py verdict "$artifacts/events.ndjson" "$artifacts/report.json" \
    docs/openapi.yaml "$crashed" "$((SECONDS - started))" "$work/last-line" || verdict=$?
  last="$(cat "$work/last-line")"
fi
if ((crashed)); then
  # The fatal error, the crash line and the frames in livetrain's own sources (the whole log is kept).
  echo "api_fuzz: the server crashed during the run ($log):"
  grep -m 1 -E "Fatal error|fatal error" "$log" || true
  grep -m 1 -E "Program crashed|Segmentation fault|Illegal instruction" "$log" || true
  grep -E "in livetrain at $root/Sources/" "$log" | head -n 8 || true
elif ((status != 0 || verdict != 0)); then
  echo "api_fuzz: the end of the server log ($log):"
  tail -n 30 "$log" | sed -E 's/(token=)lt_[0-9a-f]+/\1[filtered]/g'
fi
echo "$last"
((crashed == 0 && status == 0 && verdict == 0))
