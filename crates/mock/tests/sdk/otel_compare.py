"""Compares the spans of the `otel` example with the official Python SDK's
for the same calls (both printed one JSON object a line): the same spans in
the same order, with the same name, kind and status, the same attribute
keys, and the same `gen_ai.*` and `anthropic.*` values.

`gen_ai.response.time_to_first_chunk` is a duration: only its presence and
type are compared. `server.port` and `url.full` name each run's own mock.

Usage: otel_compare.py OURS.jsonl OFFICIAL.jsonl LABEL
"""

import json
import sys

TIMED = {"gen_ai.response.time_to_first_chunk"}
PER_RUN = {"server.port", "url.full"}


def spans(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def compare(ours: list[dict], official: list[dict]) -> list[str]:
    problems = []
    if [s["name"] for s in ours] != [s["name"] for s in official]:
        return [f"span names differ: ours {[s['name'] for s in ours]}, official {[s['name'] for s in official]}"]
    for index, (a, b) in enumerate(zip(ours, official)):
        where = f"span {index} ({a['name']})"
        for field in ("kind", "status"):
            if a[field] != b[field]:
                problems.append(f"{where}: {field} {a[field]!r}, official {b[field]!r}")
        keys_a, keys_b = set(a["attributes"]), set(b["attributes"])
        for key in sorted(keys_b - keys_a):
            problems.append(f"{where}: missing {key} = {b['attributes'][key]!r}")
        for key in sorted(keys_a - keys_b):
            problems.append(f"{where}: extra {key} = {a['attributes'][key]!r}")
        for key in sorted(keys_a & keys_b):
            if not key.startswith(("gen_ai.", "anthropic.")) and key not in PER_RUN:
                continue
            va, vb = a["attributes"][key], b["attributes"][key]
            if key in TIMED:
                if not (isinstance(va, float) and isinstance(vb, float) and va > 0 and vb > 0):
                    problems.append(f"{where}: {key} {va!r}, official {vb!r}")
            elif key in PER_RUN:
                if type(va) is not type(vb):
                    problems.append(f"{where}: {key} {va!r}, official {vb!r}")
            elif va != vb or type(va) is not type(vb):
                problems.append(f"{where}: {key} {va!r}, official {vb!r}")
    return problems


def main() -> None:
    ours, official, label = spans(sys.argv[1]), spans(sys.argv[2]), sys.argv[3]
    problems = compare(ours, official)
    if not official:
        problems.append("the official SDK recorded no span")
    for problem in problems:
        print(f"FAIL otel {label}: {problem}")
    if problems:
        sys.exit(1)
    gen_ai = sum(1 for s in ours for k in s["attributes"] if k.startswith("gen_ai."))
    print(f"ok   otel {label}: {len(ours)} spans, {gen_ai} gen_ai.* attributes as the official SDK's")


if __name__ == "__main__":
    main()
