"""Drives a running claude-rs-mock's Managed Agents with the official
Python SDK: the core flow a Python team tests its agent code with.

Usage: python_agents.py BASE_URL

Creates an environment, an agent with a custom tool and a session; opens
the session's event stream; sends a user message; answers the agent's
custom tool call; reads the reply to the end of the turn; then lists the
events and sessions, a cut stream's lost event found in the history, and
the work queue of a self-hosted environment. Every assertion is on what
the SDK parsed. Prints one line per check; exits 1 if any fails.
"""

import json
import sys
import urllib.request

import anthropic

from checks import check, run

BASE = sys.argv[1].rstrip("/")
client = anthropic.Anthropic(base_url=BASE, api_key="sk-ant-test-python", max_retries=0)
beta = client.beta
state = {}

WORD_COUNT = {
    "type": "custom",
    "name": "word_count",
    "description": "Counts the words of a text",
    "input_schema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
}


def control(method, path, body=None):
    """Calls the mock's control API; returns the decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("content-type", "application/json")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


@check
def create_environment_agent_and_session():
    env = beta.environments.create(name="ci", config={"type": "cloud", "networking": {"type": "unrestricted"}})
    assert env.type == "environment" and env.id.startswith("env_"), env
    assert env.config.type == "cloud" and env.config.networking.type == "unrestricted", env.config
    agent = beta.agents.create(name="counter", model="claude-sonnet-4-6", tools=[WORD_COUNT], system="Count.")
    assert agent.id.startswith("agent_") and agent.version == 1, agent
    assert agent.tools[0].type == "custom" and agent.tools[0].name == "word_count", agent.tools
    assert agent.model.id == "claude-sonnet-4-6", agent.model
    session = beta.sessions.create(agent=agent.id, environment_id=env.id, title="interop")
    assert session.id.startswith("sesn_") and session.status == "idle", session
    assert session.agent.id == agent.id and session.agent.version == 1, session.agent
    state.update(env=env, agent=agent, session=session)


@check
def custom_tool_turn_over_the_stream():
    session = state["session"]
    seen = []
    with beta.sessions.events.stream(session.id) as stream:
        sent = beta.sessions.events.send(
            session.id, events=[{"type": "user.message", "content": [{"type": "text", "text": "count these four words"}]}]
        )
        assert sent.data[0].type == "user.message" and sent.data[0].id.startswith("sevt_"), sent
        tool_use = None
        for event in stream:
            seen.append(event.type)
            if event.type == "agent.custom_tool_use":
                assert event.name == "word_count", event
                assert event.input == {"text": "count these four words"}, event.input
                tool_use = event
            elif event.type == "session.status_idle" and event.stop_reason.type == "requires_action":
                assert tool_use is not None and event.stop_reason.event_ids == [tool_use.id], event
                beta.sessions.events.send(
                    session.id,
                    events=[{"type": "user.custom_tool_result", "custom_tool_use_id": tool_use.id,
                             "content": [{"type": "text", "text": "4"}]}],
                )
            elif event.type == "agent.message":
                assert event.content[0].text == "The word_count tool returned: 4", event.content
            elif event.type == "session.status_idle":
                assert event.stop_reason.type == "end_turn", event.stop_reason
                break
    expected = ["user.message", "session.status_running", "agent.custom_tool_use", "session.status_idle",
                "user.custom_tool_result", "session.status_running", "agent.message", "session.status_idle"]
    assert seen == expected, seen
    state["seen"] = seen


@check
def history_and_session_lists():
    session = state["session"]
    events = list(beta.sessions.events.list(session.id, limit=3))
    assert [e.type for e in events] == state["seen"], [e.type for e in events]
    newest = beta.sessions.events.list(session.id, order="desc", limit=1)
    assert newest.data[0].type == "session.status_idle" and newest.next_page, newest
    messages = beta.sessions.events.list(session.id, types=["agent.message"])
    assert [e.type for e in messages.data] == ["agent.message"], messages.data
    other = beta.sessions.create(agent={"type": "agent", "id": state["agent"].id, "version": 1},
                                 environment_id=state["env"].id)
    sessions = beta.sessions.list(limit=1)
    assert sessions.data[0].id == other.id and sessions.next_page, sessions
    assert [s.id for s in sessions] == [other.id, session.id]
    idle = beta.sessions.list(statuses=["idle"])
    assert len(idle.data) == 2, idle.data
    assert beta.sessions.list(statuses=["running"]).data == []
    assert [a.id for a in beta.agents.list()] == [state["agent"].id]


@check
def agent_versions_and_precondition():
    agent = state["agent"]
    updated = beta.agents.update(agent.id, version=1, description="counts words")
    assert updated.version == 2 and updated.description == "counts words", updated
    try:
        beta.agents.update(agent.id, version=1, description="stale")
        raise AssertionError("a stale version was accepted")
    except anthropic.APIStatusError as err:
        assert err.status_code == 409, err
    assert beta.agents.retrieve(agent.id, version=1).description is None
    assert [v.version for v in beta.agents.versions.list(agent.id)] == [2, 1]


@check
def a_cut_stream_loses_an_event_the_history_keeps():
    session = state["session"]
    control("POST", "/_mock/streams/cut", {"after_events": 2, "mid_frame": True})
    seen = []
    try:
        with beta.sessions.events.stream(session.id) as stream:
            beta.sessions.events.send(session.id, events=[{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}])
            for event in stream:
                seen.append(event.type)
    except (anthropic.APIError, Exception) as err:  # httpx reports the cut as a read error
        state["cut_error"] = type(err).__name__
    # The third event (the agent's tool call) was cut mid-frame: persisted,
    # never delivered; the history has it after the two delivered.
    assert seen == ["user.message", "session.status_running"], seen
    history = beta.sessions.events.list(session.id, order="desc", limit=4).data
    assert [e.type for e in history] == [
        "session.status_idle", "agent.custom_tool_use", "session.status_running", "user.message"
    ], history
    assert history[1].input == {"text": "hi"}, history[1]


@check
def self_hosted_work_queue():
    env = beta.environments.create(name="own", config={"type": "self_hosted"})
    session = beta.sessions.create(agent=state["agent"].id, environment_id=env.id)
    key = control("GET", f"/_mock/environments/{env.id}/key")["key"]
    worker = anthropic.Anthropic(base_url=BASE, auth_token=key, api_key=None, max_retries=0)
    item = worker.beta.environments.work.poll(env.id, block_ms=50, anthropic_worker_id="w1")
    assert item is not None and item.data.id == session.id and item.state == "queued", item
    assert item.secret, item
    assert worker.beta.environments.work.poll(env.id) is None
    acked = worker.beta.environments.work.ack(item.id, environment_id=env.id)
    assert acked.state == "starting", acked
    beat = worker.beta.environments.work.heartbeat(item.id, environment_id=env.id, expected_last_heartbeat="NO_HEARTBEAT")
    assert beat.state == "active" and beat.lease_extended, beat
    try:
        worker.beta.environments.work.heartbeat(item.id, environment_id=env.id, expected_last_heartbeat="NO_HEARTBEAT")
        raise AssertionError("a stale heartbeat was accepted")
    except anthropic.PreconditionFailedError as err:
        assert err.status_code == 412, err
    # The official worker holds an item's lease with the sessions token of
    # its work secret (its own helper makes that client).
    from anthropic.lib.environments._poller import with_item_token

    own = with_item_token(worker, item)
    assert own is not worker, "the secret carries no sessions token"
    again = own.beta.environments.work.heartbeat(
        item.id, environment_id=env.id, expected_last_heartbeat=beat.last_heartbeat
    )
    assert again.lease_extended, again
    stopped = own.beta.environments.work.stop(item.id, environment_id=env.id, force=True)
    assert stopped.state == "stopped", stopped
    stats = beta.environments.work.stats(env.id)
    assert stats.depth == 0 and stats.workers_polling == 1, stats


run("python agents")
