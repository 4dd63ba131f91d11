"""Run one function in a fresh Python process (its own Keras backend, seeds and threads); get back its JSON result.

The benchmarks and the tests that compare runs use this, so each run starts from a clean interpreter:
``run_fresh("mnist_helpers.train:summary", {"seed": 0}, env={"KERAS_BACKEND": "jax"})``.
The child runs in the caller's working directory, so a benchmark run as ``python -m benchmarks.NAME`` from
the repository root can name its own functions (``benchmarks.NAME:worker``).
"""

import importlib
import json
import os
import subprocess
import sys

RESULT_PREFIX = "RESULT "


class FreshProcessError(RuntimeError):
    """The child process failed or printed no result."""


def run_fresh(target: str, kwargs=None, env=None, echo=False):
    """Call ``module:function(**kwargs)`` in a new interpreter and return its (JSON-able) return value.

    ``env`` adds environment variables. With ``echo`` the child's output (e.g. Keras's epoch log)
    is passed through as it comes; otherwise it is kept for the error message if the child fails.
    """
    command = [sys.executable, "-m", __name__, target, json.dumps(kwargs or {})]
    with subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=None if echo else subprocess.STDOUT,
        text=True,
    ) as child:
        result, output = None, []
        for line in child.stdout:
            if line.startswith(RESULT_PREFIX):
                result = json.loads(line[len(RESULT_PREFIX) :])
            elif echo:
                print(line, end="", flush=True)
            else:
                output.append(line)
    if child.returncode != 0 or result is None:
        raise FreshProcessError(f"{target} failed (exit {child.returncode}):\n{''.join(output)[-3000:]}")
    return result


def main(argv) -> None:
    """The child's side: import ``module:function``, call it with the JSON keyword arguments, print the result."""
    module_name, function_name = argv[0].split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    result = function(**json.loads(argv[1]))
    print(RESULT_PREFIX + json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
