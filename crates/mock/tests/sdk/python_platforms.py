"""Drives a running claude-rs-mock with the official Python SDK's platform
clients: AnthropicBedrock (signed by botocore; its runtime, and its control
plane's memory stores under /anthropic, decoded strictly),
AnthropicBedrockMantle, AnthropicVertex and AnthropicFoundry.

Usage: python_platforms.py BASE_URL

The mock must run with the credentials below (run.sh starts it so):
--aws-credentials AKIDEXAMPLE:<SECRET> --aws-session-token TOKEN
--vertex-token ya29.python --foundry-api-key foundry-python. Prints one
line per check and a summary; exits 1 if any check fails.
"""

import json
import sys
import urllib.request

import anthropic
from anthropic import AnthropicBedrock, AnthropicFoundry, AnthropicVertex
from anthropic.lib.bedrock import AnthropicBedrockMantle

from checks import check, run

BASE = sys.argv[1].rstrip("/")
AWS = dict(
    aws_access_key="AKIDEXAMPLE",
    aws_secret_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    aws_session_token="TOKEN",
    aws_region="us-east-1",
)
BEDROCK_MODEL = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
ARN = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/" + BEDROCK_MODEL
MESSAGES = [{"role": "user", "content": "Hello from Python"}]

bedrock = AnthropicBedrock(base_url=BASE, max_retries=2, **AWS)
# The control plane's Managed Agents calls go to the base URL as given.
control_plane = AnthropicBedrock(base_url=BASE + "/anthropic", max_retries=0,
                                 _strict_response_validation=True, **AWS)
mantle = AnthropicBedrockMantle(base_url=BASE + "/anthropic", **AWS)
vertex = AnthropicVertex(access_token="ya29.python", region="us-east5", project_id="p",
                         base_url=BASE + "/v1")
foundry = AnthropicFoundry(api_key="foundry-python", base_url=BASE + "/anthropic/")


def control(path, body):
    request = urllib.request.Request(BASE + path, json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())




@check
def bedrock_create_is_signed_by_botocore_and_verified():
    message = bedrock.messages.create(model=BEDROCK_MODEL, max_tokens=64, messages=MESSAGES)
    assert message.content[0].text == "Hello from Python", message.content
    assert message.model == "claude-haiku-4-5-20251001", message.model


@check
def bedrock_stream_of_an_arn_decodes_the_eventstream():
    with bedrock.messages.stream(model=ARN, max_tokens=64, messages=MESSAGES) as stream:
        assert stream.get_final_message().content[0].text == "Hello from Python"


@check
def bedrock_retries_a_529_signed_again():
    control("/_mock/script", {"faults": [{"fault": {"kind": "overloaded", "retry_after_ms": 10}}]})
    message = bedrock.messages.create(model=BEDROCK_MODEL, max_tokens=64, messages=MESSAGES)
    assert message.content[0].text == "Hello from Python"


@check
def bedrock_mid_stream_exception_is_raised():
    control("/_mock/script", {"faults": [{"fault": {"kind": "sse_error_at", "index": 3}}]})
    try:
        with bedrock.messages.stream(model=BEDROCK_MODEL, max_tokens=64, messages=MESSAGES) as s:
            s.get_final_message()
    except anthropic.APIStatusError as err:
        assert "serviceUnavailableException" in str(err.body), err.body
    else:
        raise AssertionError("no error raised")


@check
def bedrock_refuses_a_wrong_secret():
    wrong = AnthropicBedrock(base_url=BASE, max_retries=0, **{**AWS, "aws_secret_key": "wrong"})
    try:
        wrong.messages.create(model=BEDROCK_MODEL, max_tokens=64, messages=MESSAGES)
    except anthropic.APIStatusError as err:
        assert err.status_code == 403, err.status_code
        assert err.response.headers["x-amzn-errortype"] == "InvalidSignatureException"
    else:
        raise AssertionError("a wrong secret was accepted")


@check
def bedrock_memory_stores_on_the_control_plane():
    stores = control_plane.beta.memory_stores
    notes = stores.create(name="notes", backend={"type": "managed"}, description="Team notes")
    assert (notes.backend.type, notes.name) == ("managed", "notes"), notes
    assert stores.retrieve(notes.id).description == "Team notes"
    assert stores.update(notes.id, name="handbook").name == "handbook"
    stores.create(name="drafts")
    listed = list(stores.list(limit=1))  # two pages, through `next_page`
    assert sorted(s.name for s in listed) == ["drafts", "handbook"], listed
    assert all(s.created_by_me for s in listed), listed
    memory = stores.memories.create(notes.id, path="/todo.md", content="write tests")
    assert (memory.path, memory.content_size_bytes) == ("/todo.md", 11), memory
    changed = stores.memories.update(memory.id, memory_store_id=notes.id, content="write more")
    assert changed.memory_version_id != memory.memory_version_id
    versions = list(stores.memory_versions.list(notes.id, memory_id=memory.id))
    assert sorted(v.operation for v in versions) == ["created", "modified"], versions
    assert stores.archive(notes.id).archived_at is not None
    assert stores.delete(notes.id).type == "memory_store_deleted"


@check
def mantle_create_is_signed_for_bedrock_mantle():
    message = mantle.messages.create(model="claude-haiku-4-5", max_tokens=64, messages=MESSAGES)
    assert message.content[0].text == "Hello from Python"


@check
def vertex_create_stream_and_count_tokens():
    model = "claude-haiku-4-5@20251001"
    message = vertex.messages.create(model=model, max_tokens=64, messages=MESSAGES)
    assert message.content[0].text == "Hello from Python"
    with vertex.messages.stream(model=model, max_tokens=64, messages=MESSAGES) as stream:
        assert stream.get_final_message().content[0].text == "Hello from Python"
    assert vertex.messages.count_tokens(model=model, messages=MESSAGES).input_tokens > 0


@check
def foundry_create_with_its_key():
    message = foundry.messages.create(model="claude-haiku-4-5", max_tokens=64, messages=MESSAGES)
    assert message.content[0].text == "Hello from Python"


run("python platforms")
