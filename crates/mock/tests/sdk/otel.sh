#!/usr/bin/env bash
# The `otel` example's spans against the official Python SDK's: both make
# the same calls (a create and a streamed call) against a fresh
# claude-rs-mock binary each, in metadata and in content mode, print their
# spans as JSON lines, and otel_compare.py requires the same span names,
# kinds, statuses, attribute keys and gen_ai.* / anthropic.* values.
#
# Usage: crates/mock/tests/sdk/otel.sh
# The virtualenv (anthropic 2.17.0, opentelemetry-sdk 1.45.2) is kept under
# target/sdk-check (set SDK_CHECK_DIR to move it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
work="${SDK_CHECK_DIR:-$root/target/sdk-check}"
python="${PYTHON:-python3}"
target="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$work"

[[ -n "${SDK_CHECK_PREBUILT:-}" ]] || cargo build --quiet --manifest-path "$root/Cargo.toml" -p claude-rs-mock --bin claude-rs-mock
[[ -n "${SDK_CHECK_PREBUILT:-}" ]] || cargo build --quiet --manifest-path "$root/Cargo.toml" -p claude-rs-examples --example otel
binary="$target/debug/claude-rs-mock"
example="$target/debug/examples/otel"

venv="$work/otel-venv"
if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import anthropic, opentelemetry.sdk.version as v, sys; sys.exit(anthropic.__version__ != "2.17.0" or v.__version__ != "1.45.2")' 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'anthropic==2.17.0' 'opentelemetry-sdk==1.45.2'
fi

# shellcheck source=mock_process.sh
source "$here/mock_process.sh"

status=0
for mode in metadata content; do
    args=()
    [[ "$mode" == content ]] && args=(--content)
    start_mock
    "$venv/bin/python" -W ignore::DeprecationWarning "$here/python_otel.py" "$url" "${args[@]}" \
        >"$work/otel-official-$mode.jsonl"
    start_mock
    env -u ANTHROPIC_AUTH_TOKEN -u HTTPS_PROXY -u HTTP_PROXY -u https_proxy -u http_proxy \
        ANTHROPIC_API_KEY=sk-ant-otel-check ANTHROPIC_BASE_URL="$url" \
        "$example" "${args[@]}" >"$work/otel-ours-$mode.jsonl" 2>"$work/otel-ours-$mode.err" || {
        echo "FAIL otel $mode: the example failed"; cat "$work/otel-ours-$mode.err"; status=1; continue; }
    "$venv/bin/python" "$here/otel_compare.py" "$work/otel-ours-$mode.jsonl" \
        "$work/otel-official-$mode.jsonl" "$mode" || status=1
done
exit "$status"
