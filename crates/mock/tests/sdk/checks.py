"""The check registry and runner that the SDK scripts share: each `@check`
function runs in order, a failure is reported and the rest still run, and
the exit status says whether all passed."""

import sys
import traceback

import anthropic

CHECKS = []


def check(function):
    CHECKS.append(function)
    return function


def run(label):
    passed = 0
    for function in CHECKS:
        try:
            function()
            passed += 1
            print(f"ok   {function.__name__}")
        except Exception as err:  # a failed check is reported, the rest still run
            print(f"FAIL {function.__name__}: {type(err).__name__}: {err}")
            traceback.print_exc(limit=2, file=sys.stdout)
    print(f"{label}: {passed}/{len(CHECKS)} checks passed (anthropic {anthropic.__version__})")
    sys.exit(0 if passed == len(CHECKS) else 1)
