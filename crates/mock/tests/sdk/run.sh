#!/usr/bin/env bash
# Runs the official SDKs' checks against the claude-rs-mock binary:
# python_check.py (under the SDK's default API version, 2026-10-21, and
# under 2023-06-01), python_agents.py (Managed Agents), python_admin.py (the
# Admin API and the resource store) and python_platforms.py, with
# anthropic==2.17.0 (and boto3 1.44.8 for Bedrock's signing) in a
# virtualenv, and ts_check.mjs with @anthropic-ai/sdk@1.17.0 when node and
# npm are available.
#
# Usage: crates/mock/tests/sdk/run.sh
# The virtualenv and node_modules are kept under target/sdk-check (set
# SDK_CHECK_DIR to move them), so later runs skip the installs. With
# SDK_CHECK_PREBUILT set, the mock binary already in the target dir is used
# as it is (CI sets it after `cargo test --workspace` built it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
work="${SDK_CHECK_DIR:-$root/target/sdk-check}"
python="${PYTHON:-python3}"
mkdir -p "$work"

[[ -n "${SDK_CHECK_PREBUILT:-}" ]] || cargo build --quiet --manifest-path "$root/Cargo.toml" -p claude-rs-mock --bin claude-rs-mock
binary="${CARGO_TARGET_DIR:-$root/target}/debug/claude-rs-mock"

# shellcheck source=mock_process.sh
source "$here/mock_process.sh"

status=0

if [[ ! -x "$work/venv/bin/python" ]]; then
    "$python" -m venv "$work/venv"
fi
if ! "$work/venv/bin/python" -c 'import anthropic, sys; sys.exit(anthropic.__version__ != "2.17.0")' 2>/dev/null; then
    "$work/venv/bin/pip" install --quiet --disable-pip-version-check 'anthropic==2.17.0'
fi
# Under the SDK's default API version (2026-10-21), then under 2023-06-01.
for version in "" 2023-06-01; do
    start_mock
    "$work/venv/bin/python" -W ignore::DeprecationWarning "$here/python_check.py" "$url" $version || status=1
done

# Managed Agents: environments, an agent with a custom tool, a session, its
# event stream (and a stream cut on demand), history, lists, the work queue.
start_mock
"$work/venv/bin/python" -W ignore::DeprecationWarning "$here/python_agents.py" "$url" || status=1
# The Admin API (an organization of 250 users, paged) and the resource
# store the mock serves from the API description.
start_mock --admin-users 250
"$work/venv/bin/python" -W ignore::DeprecationWarning "$here/python_admin.py" "$url" 250 || status=1

# The platform clients: AnthropicBedrock signs with botocore, whose
# signatures the mock verifies with its own SigV4 implementation.
if ! "$work/venv/bin/python" -c 'import boto3, sys; sys.exit(boto3.__version__ != "1.44.8")' 2>/dev/null; then
    "$work/venv/bin/pip" install --quiet --disable-pip-version-check 'boto3==1.44.8'
fi
start_mock --aws-credentials AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
    --aws-session-token TOKEN --vertex-token ya29.python --foundry-api-key foundry-python
"$work/venv/bin/python" -W ignore::DeprecationWarning "$here/python_platforms.py" "$url" || status=1

# Record through the proxy against a local upstream (a second mock standing
# in for the API), then replay to the SDK: bodies must be byte-identical,
# and no credential may reach a cassette.
cassettes="$work/cassettes"
rm -rf "$cassettes"
upstream_log="$work/upstream.out"
"$binary" >"$upstream_log" &
upstream_pid=$!
for _ in $(seq 50); do [[ -s "$upstream_log" ]] && break; sleep 0.1; done
upstream="$(head -n1 "$upstream_log")"
start_mock record --upstream "$upstream" --dir "$cassettes"
"$work/venv/bin/python" "$here/python_replay.py" record "$url" "$work/replay.json" || status=1
kill "$upstream_pid" 2>/dev/null || true
wait "$upstream_pid" 2>/dev/null || true
if grep -rq SECRET "$cassettes"; then
    echo "FAIL a credential was written to a cassette"
    status=1
else
    echo "ok   no credential in $(ls "$cassettes" | wc -l) cassette files"
fi
start_mock replay "$cassettes"
"$work/venv/bin/python" "$here/python_replay.py" replay "$url" "$work/replay.json" || status=1

if command -v node >/dev/null && command -v npm >/dev/null; then
    ts="$work/ts"
    mkdir -p "$ts"
    if [[ ! -f "$ts/node_modules/@anthropic-ai/sdk/package.json" ]] \
        || ! grep -q '"version": "1.17.0"' "$ts/node_modules/@anthropic-ai/sdk/package.json"; then
        (cd "$ts" && npm install --silent --no-audit --no-fund --no-save '@anthropic-ai/sdk@1.17.0')
    fi
    # Node resolves the package from the script's directory: run a copy there.
    cp "$here/ts_check.mjs" "$ts/ts_check.mjs"
    for version in "" 2023-06-01; do
        start_mock
        node "$ts/ts_check.mjs" "$url" $version || status=1
    done
else
    echo "typescript: skipped (node or npm not found)"
fi

exit "$status"
