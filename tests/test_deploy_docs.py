"""docs/deploy.md's plain ONNX Runtime code runs as shown: a fresh process, no project code, the printed answers."""

import re
import subprocess
import sys

from mnist_helpers.config import PROJECT_ROOT

PAGE = PROJECT_ROOT / "docs" / "deploy.md"
# The python block and the block of what it prints, under the "Running the ONNX file elsewhere" heading.
EXAMPLE = re.compile(
    r"## Running the ONNX file elsewhere\n.*?```python\n(?P<code>.*?)```\n\nprints\n\n```\n(?P<out>.*?)```", re.S
)


def test_the_onnx_runtime_example_prints_what_the_page_shows():
    example = EXAMPLE.search(PAGE.read_text())
    assert "mnist_helpers" not in example["code"]
    done = subprocess.run(
        [sys.executable, "-I", "-c", example["code"]], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    assert done.stderr == "" and done.returncode == 0
    assert done.stdout == example["out"]
