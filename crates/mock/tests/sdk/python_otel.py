"""The official Python SDK's OpenTelemetry spans for the calls of the `otel`
example (one create and one streamed call: model claude-sonnet-5,
max_tokens 64, system "be brief", user "hi"), printed as the example prints
its own: one JSON object a line, {"name", "kind", "trace_id", "span_id",
"parent_span_id", "status", "attributes"}.

Usage: python_otel.py BASE_URL [--content]
"""

import json
import sys

import anthropic
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


def main() -> None:
    url = sys.argv[1]
    content = "--content" in sys.argv[2:]
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    client = anthropic.Anthropic(
        api_key="sk-ant-otel-check",
        base_url=url,
        max_retries=0,
        open_telemetry={
            "tracer_provider": provider,
            "traces": {"content_mode": "content" if content else "metadata_only"},
        },
    )
    request = {
        "model": "claude-sonnet-5",
        "max_tokens": 64,
        "system": "be brief",
        "messages": [{"role": "user", "content": "hi"}],
    }
    client.messages.create(**request)
    with client.messages.stream(**request) as stream:
        stream.get_final_text()
    for span in exporter.get_finished_spans():
        parent = span.parent.span_id if span.parent is not None else None
        print(
            json.dumps(
                {
                    "name": span.name,
                    "kind": span.kind.name.lower(),
                    "trace_id": format(span.context.trace_id, "032x"),
                    "span_id": format(span.context.span_id, "016x"),
                    "parent_span_id": None if parent is None else format(parent, "016x"),
                    "status": span.status.status_code.name.lower(),
                    "attributes": {k: (list(v) if isinstance(v, tuple) else v) for k, v in span.attributes.items()},
                },
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
