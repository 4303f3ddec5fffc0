"""The credential chain of the official Python SDK and of claude-rs, side by side.

Usage: python_credentials.py RUST_PROBE

For each setup (an environment and a config directory), runs the Python SDK
and RUST_PROBE (the `credentials` example, which resolves credentials from
the process environment and makes one Messages call) against a loopback
capture server that plays the API and its token endpoint. Both must send the
same token exchanges (path, beta flags, JSON body) and present the same
credential on the API call. Each program gets a fresh copy of the config
directory, since refreshing rewrites the credentials file.
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from checks import check, run

PROBE = sys.argv[1] if len(sys.argv) > 1 else ""
RULE = "fdrl_01InteropRule"
ORG = "00000000-0000-4000-8000-0000000000aa"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJpbnRlcm9wIn0.c2lnbmF0dXJl"
ACCESS = "sk-ant-oat01-interop-access"
MESSAGE = {
    "id": "msg_interop", "type": "message", "role": "assistant", "model": "claude-sonnet-5",
    "content": [{"type": "text", "text": "hi"}], "stop_reason": "end_turn", "stop_sequence": None,
    "usage": {"input_tokens": 1, "output_tokens": 1},
}

captured = []


class Capture(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        captured.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
        if self.path == "/v1/oauth/token":
            answer = {"access_token": ACCESS, "token_type": "bearer", "expires_in": 3600}
            if isinstance(body, dict) and body.get("grant_type") == "refresh_token":
                answer["refresh_token"] = "rt-interop-rotated"
        else:
            answer = MESSAGE
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("request-id", "req_interop")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


BASE = ""


def start_capture():
    global BASE
    server = ThreadingHTTPServer(("127.0.0.1", 0), Capture)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    BASE = f"http://127.0.0.1:{server.server_address[1]}"


def write(path, content, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(content if isinstance(content, str) else json.dumps(content))
    os.chmod(path, mode)


def python_call():
    """Run inside a child process: the SDK with the environment it was given."""
    import anthropic

    client = anthropic.Anthropic(max_retries=0)
    client.messages.create(model="claude-sonnet-5", max_tokens=8, messages=[{"role": "user", "content": "hi"}])


def sdk_run(program, env):
    del captured[:]
    if program == "python":
        command = [sys.executable, "-W", "ignore", __file__, "--python-call"]
    else:
        command = [PROBE]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise AssertionError(f"{program} failed ({result.returncode}): {result.stderr[-2000:]}")
    time.sleep(0.05)
    return list(captured)


def normalize(requests):
    """What must match: each exchange whole, and the API call's credential."""
    out = []
    for request in requests:
        headers = request["headers"]
        if request["path"] == "/v1/oauth/token":
            out.append({
                "exchange": request["body"],
                "anthropic-beta": headers.get("anthropic-beta"),
                "content-type": headers.get("content-type"),
                "credential headers": sorted(h for h in ("authorization", "x-api-key", "anthropic-version") if h in headers),
            })
        else:
            auth = headers.get("authorization", "")
            credential = auth[len("Bearer "):] if auth.startswith("Bearer ") else headers.get("x-api-key")
            betas = [b.strip() for b in headers.get("anthropic-beta", "").split(",") if b.strip()]
            out.append({
                "path": request["path"],
                "credential": credential,
                "oauth beta": "oauth-2025-04-20" in betas,
                "anthropic-workspace-id": headers.get("anthropic-workspace-id"),
            })
    return out


def compare(setup):
    """Runs both programs on fresh copies of `setup` (a function filling a
    directory and returning the variables); they must agree."""
    results = {}
    for program in ("python", "rust"):
        with tempfile.TemporaryDirectory() as home:
            variables = setup(home)
            env = {"PATH": os.environ.get("PATH", ""), "HOME": home, **variables}
            results[program] = normalize(sdk_run(program, env))
    if results["python"] != results["rust"]:
        raise AssertionError(
            "different requests:\n python: " + json.dumps(results["python"], indent=1)
            + "\n rust:   " + json.dumps(results["rust"], indent=1)
        )
    return results["rust"]


def federation_vars(home):
    token = os.path.join(home, "identity.jwt")
    write(token, JWT + "\n")
    return {
        "ANTHROPIC_BASE_URL": BASE,
        "ANTHROPIC_FEDERATION_RULE_ID": RULE,
        "ANTHROPIC_ORGANIZATION_ID": ORG,
        "ANTHROPIC_IDENTITY_TOKEN_FILE": token,
    }


def federation_profile(home, name):
    token = os.path.join(home, "identity.jwt")
    write(token, JWT)
    config_dir = os.path.join(home, ".config", "anthropic")
    write(os.path.join(config_dir, "configs", f"{name}.json"), {
        "version": "1.0", "organization_id": ORG, "workspace_id": "wrkspc_interop", "base_url": BASE,
        "authentication": {"type": "oidc_federation", "federation_rule_id": RULE,
                           "service_account_id": "svac_interop",
                           "identity_token": {"source": "file", "path": token}},
    }, 0o644)
    return config_dir


def user_oauth_profile(home, client_id, expires_at):
    config_dir = os.path.join(home, "anthropic-config")
    auth = {"type": "user_oauth"}
    if client_id:
        auth["client_id"] = client_id
    write(os.path.join(config_dir, "configs", "me.json"),
          {"base_url": BASE, "workspace_id": "wrkspc_me", "authentication": auth}, 0o644)
    write(os.path.join(config_dir, "credentials", "me.json"),
          {"version": "1.0", "type": "oauth_token", "access_token": "stored-access",
           "expires_at": expires_at, "refresh_token": "rt-interop-1"})
    write(os.path.join(config_dir, "active_config"), "me\n", 0o644)
    return config_dir


@check
def api_key():
    sent = compare(lambda home: {"ANTHROPIC_BASE_URL": BASE, "ANTHROPIC_API_KEY": "sk-ant-interop-key"})
    assert sent == [{"path": "/v1/messages", "credential": "sk-ant-interop-key", "oauth beta": False,
                     "anthropic-workspace-id": None}], sent


@check
def auth_token_and_the_key_winning_over_it():
    sent = compare(lambda home: {"ANTHROPIC_BASE_URL": BASE, "ANTHROPIC_AUTH_TOKEN": "interop-token"})
    assert sent[0]["credential"] == "interop-token", sent
    sent = compare(lambda home: {"ANTHROPIC_BASE_URL": BASE, "ANTHROPIC_AUTH_TOKEN": "interop-token",
                                 "ANTHROPIC_API_KEY": "sk-ant-interop-key", **federation_vars(home)})
    assert sent[0]["credential"] == "sk-ant-interop-key", sent


@check
def federation_with_a_token_file():
    sent = compare(lambda home: {**federation_vars(home), "ANTHROPIC_SERVICE_ACCOUNT_ID": "svac_1",
                                 "ANTHROPIC_WORKSPACE_ID": "wrkspc_1", "ANTHROPIC_SCOPE": "not-sent"})
    assert [s.get("path", "exchange") for s in sent] == ["exchange", "/v1/messages"], sent
    assert sent[0]["exchange"]["assertion"] == JWT, sent
    assert sent[1]["credential"] == ACCESS and sent[1]["oauth beta"], sent


@check
def federation_with_a_literal_identity_token():
    def setup(home):
        variables = federation_vars(home)
        del variables["ANTHROPIC_IDENTITY_TOKEN_FILE"]
        return {**variables, "ANTHROPIC_IDENTITY_TOKEN": JWT}
    sent = compare(setup)
    assert sent[0]["exchange"]["assertion"] == JWT, sent


@check
def named_profile_beats_federation_variables():
    def setup(home):
        config_dir = federation_profile(home, "ci")
        variables = federation_vars(home)
        del variables["ANTHROPIC_BASE_URL"]
        variables["ANTHROPIC_FEDERATION_RULE_ID"] = "fdrl_01NotThisOne"
        return {**variables, "ANTHROPIC_PROFILE": "ci", "ANTHROPIC_CONFIG_DIR": config_dir}
    sent = compare(setup)
    assert sent[0]["exchange"]["federation_rule_id"] == RULE, sent
    assert sent[0]["exchange"]["workspace_id"] == "wrkspc_interop", sent
    assert sent[1]["anthropic-workspace-id"] is None, sent


@check
def default_profile_under_home():
    sent = compare(lambda home: (federation_profile(home, "default"), {})[1])
    assert sent[0]["exchange"]["service_account_id"] == "svac_interop", sent


@check
def user_oauth_profile_refreshes_an_expired_token():
    sent = compare(lambda home: {"ANTHROPIC_CONFIG_DIR": user_oauth_profile(home, "client-interop", 1000)})
    assert sent[0]["exchange"] == {"grant_type": "refresh_token", "refresh_token": "rt-interop-1",
                                   "client_id": "client-interop"}, sent
    assert sent[1]["anthropic-workspace-id"] == "wrkspc_me", sent


@check
def user_oauth_profile_with_a_static_token():
    far = int(time.time()) + 86400
    sent = compare(lambda home: {"ANTHROPIC_CONFIG_DIR": user_oauth_profile(home, None, far)})
    assert sent == [{"path": "/v1/messages", "credential": "stored-access", "oauth beta": True,
                     "anthropic-workspace-id": "wrkspc_me"}], sent


if __name__ == "__main__":
    if sys.argv[1:] == ["--python-call"]:
        python_call()
    else:
        start_capture()
        run("credential chain, Python vs claude-rs")
