"""Record, then replay, with the official Python SDK.

Usage: python_replay.py record URL SAVED   (URL: `claude-rs-mock record`)
       python_replay.py replay URL SAVED   (URL: `claude-rs-mock replay DIR`)

`record` makes a few calls through the recording proxy and saves the raw
response bodies to SAVED; `replay` makes the same calls against the replay
server and checks every body is byte-identical to the saved one.
"""

import json
import sys

import anthropic

mode, base, saved = sys.argv[1], sys.argv[2], sys.argv[3]
client = anthropic.Anthropic(base_url=base, api_key="sk-ant-SECRET-python-replay", max_retries=0)
say = dict(model="claude-haiku-5-5", max_tokens=64, messages=[{"role": "user", "content": "replay me"}])


def bodies():
    out = {}
    out["create"] = client.messages.with_raw_response.create(**say).http_response.content
    with client.messages.with_streaming_response.create(**say, stream=True) as response:
        out["stream"] = response.read()
    out["count_tokens"] = client.messages.with_raw_response.count_tokens(
        model=say["model"], messages=say["messages"]
    ).http_response.content
    out["models"] = client.models.with_raw_response.list().http_response.content
    return {name: body.decode() for name, body in out.items()}


if mode == "record":
    with open(saved, "w") as f:
        json.dump(bodies(), f)
    print("python replay: recorded 4 exchanges")
else:
    with open(saved) as f:
        before = json.load(f)
    after = bodies()
    same = [name for name in before if before[name] == after[name]]
    for name in before:
        print(("ok  " if name in same else "FAIL") + f" {name} byte-identical on replay")
    print(f"python replay: {len(same)}/{len(before)} bodies byte-identical")
    # A request no cassette holds is a 404 naming the closest one.
    try:
        client.messages.create(**dict(say, max_tokens=65))
        print("FAIL unmatched request was answered")
        sys.exit(1)
    except anthropic.NotFoundError as err:
        message = err.body["error"]["message"]
        assert "the closest is" in message and "max_tokens" in message, message
        print("ok   unmatched request names the closest cassette")
    sys.exit(0 if len(same) == len(before) else 1)
