#!/usr/bin/env bash
# The credential chain of the official Python SDK (anthropic==2.17.0) and of
# claude-rs, given the same environments and config directories, must send
# the same token exchanges and present the same credential
# (python_credentials.py, with the `credentials` example as claude-rs's side).
#
# Usage: crates/mock/tests/sdk/credentials.sh
# The virtualenv is kept under target/sdk-check/venv-credentials (set
# SDK_CHECK_DIR to move it), so later runs skip the install.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
work="${SDK_CHECK_DIR:-$root/target/sdk-check}"
python="${PYTHON:-python3}"
venv="$work/venv-credentials"
mkdir -p "$work"

[[ -n "${SDK_CHECK_PREBUILT:-}" ]] || cargo build --quiet --manifest-path "$root/Cargo.toml" -p claude-rs-examples --example credentials
probe="${CARGO_TARGET_DIR:-$root/target}/debug/examples/credentials"

if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import anthropic, sys; sys.exit(anthropic.__version__ != "2.17.0")' 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'anthropic==2.17.0'
fi
"$venv/bin/python" -W ignore::DeprecationWarning "$here/python_credentials.py" "$probe"
