#!/usr/bin/env bash
# Client CPU time of the official Python SDK (`anthropic`) and of
# claude-rs-client consuming the same stream from the same mock server.
#
#   bash crates/bench/python_compare.sh        (STREAM=deltas|mixed|recorded EVENTS=N RUNS=N)
#
# Not for CI: it installs `anthropic` from PyPI into a temporary virtual
# environment (removed at exit, with the mock).
set -euo pipefail
cd "$(dirname "$0")/../.."

STREAM=${STREAM:-deltas}
EVENTS=${EVENTS:-200000}
RUNS=${RUNS:-3}
TARGET=${CARGO_TARGET_DIR:-target}

tmp=$(mktemp -d)
mock_pid=
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

echo "== python venv with anthropic"
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check anthropic
"$tmp/venv/bin/python" -c 'import anthropic; print("anthropic", anthropic.__version__)'

echo "== bench-mock serving $STREAM ($EVENTS events)"
cargo build --quiet --release -p claude-rs-bench --bin bench-mock
"$TARGET/release/bench-mock" --stream "$STREAM" --events "$EVENTS" >"$tmp/url" </dev/null &
mock_pid=$!
for _ in $(seq 100); do [ -s "$tmp/url" ] && break; sleep 0.1; done
url=$(head -n1 "$tmp/url")
[ -n "$url" ] || { echo "bench-mock did not start" >&2; exit 1; }

results="$tmp/results"
echo "== Python SDK, messages.stream (accumulating), $RUNS run(s)"
"$tmp/venv/bin/python" crates/bench/python_consume.py "$url" "$RUNS" stream | tee -a "$results"
echo "== Python SDK, messages.create(stream=True), $RUNS run(s)"
"$tmp/venv/bin/python" crates/bench/python_consume.py "$url" "$RUNS" raw | tee -a "$results"
echo "== claude-rs-client, messages().stream (accumulating), $RUNS run(s)"
cargo bench --quiet -p claude-rs-bench --bench e2e -- --url "$url" --stream "$STREAM" --runs "$RUNS" | tee -a "$results"

python3 - "$results" <<'PY'
import sys
cpu = {}
for line in open(sys.argv[1]):
    if line.startswith("RESULT "):
        fields = line.split()
        cpu[fields[1]] = float(dict(f.split("=") for f in fields[2:])["cpu_s"])
rust = cpu["rust"]
for mode in ("python-stream", "python-raw"):
    print(f"{mode}: {cpu[mode]:.3f} s CPU vs claude-rs-client {rust:.3f} s: {cpu[mode] / rust:.1f}x")
PY
