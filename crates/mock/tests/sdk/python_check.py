"""Drives a running claude-rs-mock with the official Python SDK.

Usage: python_check.py BASE_URL [API_VERSION]

With API_VERSION (2023-06-01, say) the client sends it as its
`anthropic-version`; without, the SDK's own default (2026-10-21).

Every check runs against the mock's HTTP API and its control API under
/_mock/, the way a Python team would use the mock in its own tests. Prints
one line per check and a summary; exits 1 if any check fails.
"""

import json
import sys
import urllib.request

import anthropic
from anthropic.types import FileNotDownloadableError

from checks import check, run

BASE = sys.argv[1].rstrip("/")
MODEL = "claude-haiku-5-5"
VERSION = sys.argv[2] if len(sys.argv) > 2 else None
client = anthropic.Anthropic(
    base_url=BASE,
    api_key="sk-ant-test-python",
    max_retries=2,
    default_headers={"anthropic-version": VERSION} if VERSION else None,
)


def control(method, path, body=None):
    """Calls the mock's control API; returns the decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("content-type", "application/json")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def say(text, **extra):
    return dict(model=MODEL, max_tokens=256, messages=[{"role": "user", "content": text}], **extra)




@check
def create_returns_the_echo():
    message = client.messages.create(**say("Hello there"))
    assert isinstance(message, anthropic.types.Message), type(message)
    assert message.content[0].text == "Hello there", message.content
    assert message.stop_reason == "end_turn"
    assert message.usage.input_tokens > 0


@check
def scripted_reply_via_control_api():
    control("POST", "/_mock/script", {"replies": {"messages": [{"text": "scripted from Python"}]}})
    message = client.messages.create(**say("ignored"))
    assert message.content[0].text == "scripted from Python", message.content


@check
def stream_with_helpers():
    with client.messages.stream(**say("one two three four five")) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    assert len(pieces) > 1, pieces
    assert "".join(pieces) == "one two three four five"
    assert final.content[0].text == "one two three four five"
    assert final.stop_reason == "end_turn"


@check
def count_tokens_matches_usage():
    counted = client.messages.count_tokens(
        model=MODEL, messages=[{"role": "user", "content": "count these words"}]
    )
    used = client.messages.create(**say("count these words")).usage.input_tokens
    assert counted.input_tokens == used, (counted.input_tokens, used)


@check
def models_list_and_retrieve():
    models = list(client.models.list())
    assert len(models) >= 5, len(models)
    newest = models[0]
    assert newest.lifecycle in ("active", "deprecated", "retired")
    assert newest.max_tokens and newest.max_input_tokens
    assert newest.capabilities is not None
    opus = client.models.retrieve("claude-opus-4-5")
    assert opus.id == "claude-opus-4-5-20251101" and opus.max_tokens == 64000, opus


@check
def batches_create_poll_results():
    batch = client.messages.batches.create(
        requests=[
            {"custom_id": "first", "params": say("batch one")},
            {"custom_id": "second", "params": say("batch two")},
        ]
    )
    assert batch.processing_status == "in_progress"
    ended = client.messages.batches.retrieve(batch.id)
    assert ended.processing_status == "ended", ended.processing_status
    results = {r.custom_id: r.result for r in client.messages.batches.results(batch.id)}
    assert results["first"].type == "succeeded"
    assert results["second"].message.content[0].text == "batch two"


@check
def files_25_paged_and_downloads():
    ids = [client.files.upload(file=(f"f{i}.txt", b"data %d" % i, "text/plain")).id for i in range(25)]
    listed = [f.id for f in client.files.list()]
    assert len(listed) >= 25, len(listed)
    assert set(ids) <= set(listed), "every upload is listed across pages"
    try:
        client.files.download(ids[0])
        raise AssertionError("an uploaded file was downloadable")
    except FileNotDownloadableError as err:
        assert err.status_code == 400 and err.error_code == "file_not_downloadable"
    made = control("POST", "/_mock/files", {"filename": "out.csv", "mime_type": "text/csv", "content": "a,b\n1,2\n"})
    assert client.files.download(made["id"]).read() == b"a,b\n1,2\n"


@check
def skills_25_paged():
    manifest = b"---\nname: pdf-tools\ndescription: Fill PDF forms\n---\nSteps."
    first = client.skills.create(files=[("pdf/SKILL.md", manifest, "text/markdown")])
    assert first.display_name == "pdf-tools" and first.source.type == "custom", first
    for i in range(24):
        client.skills.create(files=[(f"s{i}/SKILL.md", manifest, "text/markdown")], display_name=f"skill {i}")
    listed = list(client.skills.list())
    assert len(listed) == 25, len(listed)
    assert listed[-1].id == first.id, "oldest last"
    assert client.skills.retrieve(first.id).id == first.id


@check
def unknown_model_is_not_found():
    try:
        client.messages.create(**dict(say("x"), model="claude-does-not-exist"))
        raise AssertionError("no error")
    except anthropic.NotFoundError as err:
        assert err.status_code == 404
        assert err.body["error"]["message"] == "model: claude-does-not-exist", err.body


@check
def invalid_request_is_bad_request():
    try:
        client.messages.create(**say("x"), extra_body={"temperature": 5})
        raise AssertionError("no error")
    except anthropic.BadRequestError as err:
        assert err.status_code == 400
        assert "temperature" in err.body["error"]["message"], err.body


@check
def sampling_follows_the_api_version():
    # 2026-10-21 (the SDK's default) refuses `temperature`; 2023-06-01 takes it.
    sent = VERSION or "2026-10-21"
    try:
        client.messages.create(**say("x"), extra_body={"temperature": 0.5})
        accepted = True
    except anthropic.BadRequestError as err:
        assert "temperature" in err.body["error"]["message"], err.body
        accepted = False
    assert accepted == (sent < "2026-10-21"), (sent, accepted)


@check
def scripted_529_then_ok_is_retried():
    control("POST", "/_mock/reset")
    control(
        "POST",
        "/_mock/script",
        {"faults": [{"fault": {"kind": "overloaded", "retry_after_ms": 10}, "times": 1, "route": "messages"}]},
    )
    message = client.messages.create(**say("after a retry"))
    assert message.content[0].text == "after a retry"
    attempts = control("GET", "/_mock/requests?route=messages")["data"]
    assert len(attempts) == 2, len(attempts)
    assert attempts[0]["headers"]["authorization"] == "[redacted]", attempts[0]["headers"]


@check
def sse_error_midway_raises():
    control("POST", "/_mock/script", {"faults": [{"fault": {"kind": "sse_error_at", "index": 3}}]})
    try:
        with client.messages.stream(**say("a long enough answer to stream")) as stream:
            for _ in stream.text_stream:
                pass
        raise AssertionError("no error")
    except anthropic.APIStatusError as err:
        assert "Overloaded" in str(err), str(err)


@check
def forced_tool_choice_gives_a_tool_call():
    tools = [{
        "name": "get_weather",
        "description": "Weather for a city",
        "input_schema": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
            "required": ["city"],
        },
    }]
    message = client.messages.create(**say("weather?"), tools=tools, tool_choice={"type": "tool", "name": "get_weather"})
    assert message.stop_reason == "tool_use", message.stop_reason
    call = message.content[-1]
    assert call.type == "tool_use" and call.name == "get_weather"
    assert isinstance(call.input["city"], str), call.input


@check
def thinking_gives_a_signed_thinking_block():
    message = client.messages.create(
        **dict(say("think about it"), max_tokens=4096), thinking={"type": "enabled", "budget_tokens": 2048}
    )
    thinking = message.content[0]
    assert thinking.type == "thinking" and thinking.signature, thinking
    assert message.content[1].type == "text"


run(f"python (anthropic-version {VERSION or 'default'})")
