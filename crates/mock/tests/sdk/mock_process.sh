# Sourced by the SDK check scripts: starts and stops the mock binary
# ($binary, set by the caller). `start_mock [ARGS...]` starts a fresh mock
# (each SDK gets its own state) and sets $url; the mock is stopped when the
# script exits.

mock_pid=""
stop_mock() {
    if [[ -n "$mock_pid" ]]; then
        kill "$mock_pid" 2>/dev/null || true
        wait "$mock_pid" 2>/dev/null || true
        mock_pid=""
    fi
}
trap stop_mock EXIT

start_mock() {
    stop_mock
    coproc MOCK { exec "$binary" "$@"; }
    mock_pid="$MOCK_PID"
    read -r url <&"${MOCK[0]}"
    [[ "$url" == http://* ]] || { echo "claude-rs-mock printed no URL: $url" >&2; exit 1; }
}
