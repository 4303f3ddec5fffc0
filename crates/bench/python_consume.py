"""Consumes a stream from the bench mock with the official Python SDK and
prints its CPU time (`resource.getrusage`, this process), for
`python_compare.sh`. Usage: python_consume.py URL RUNS MODE, MODE being
`stream` (client.messages.stream: typed events and accumulation, like
claude-rs-client's MessageStream) or `raw` (create(stream=True): typed events
only)."""

import resource
import sys
import time
import warnings

import anthropic

# The SDK warns about the model name; the mock does not care.
warnings.filterwarnings("ignore", category=DeprecationWarning)


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def once(client, mode):
    args = dict(
        model="claude-sonnet-4-6",
        max_tokens=64000,
        messages=[{"role": "user", "content": "Write a long answer."}],
    )
    events = 0
    if mode == "stream":
        with client.messages.stream(**args) as stream:
            for _ in stream:
                events += 1
            message = stream.get_final_message()
            assert message.content, "a message"
    else:
        for _ in client.messages.create(stream=True, **args):
            events += 1
    return events


def main():
    url, runs, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    client = anthropic.Anthropic(api_key="sk-ant-bench", base_url=url, max_retries=0)
    once(client, mode)  # Warm-up, as for the Rust client.
    results = []
    for _ in range(runs):
        c, t = cpu(), time.perf_counter()
        events = once(client, mode)
        results.append((cpu() - c, time.perf_counter() - t, events))
    results.sort()
    c, t, events = results[len(results) // 2]
    print(f"RESULT python-{mode} events={events} cpu_s={c:.4f} wall_s={t:.4f}")


main()
