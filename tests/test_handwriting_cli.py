"""The ``python -m mnist_helpers predict`` command line: output lines, exit statuses, bad input of every kind."""

import json
import os
import re
import subprocess
import sys

import pytest
from handwriting_pages import EXAMPLES

from mnist_helpers.__main__ import main
from mnist_helpers.config import PROJECT_ROOT

LINE = re.compile(r"^(?P<path>.+): (?P<digit>\d) \((?P<conf>[\d.]+)%\)  top 3: (\d [\d.]+%, ){2}\d [\d.]+%$")


def test_cli_prints_one_line_per_image_and_exits_0(model_file, capsys):
    status = main(["predict", *map(str, EXAMPLES), "--model", str(model_file)])
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert [LINE.match(line)["path"] for line in lines] == [str(path) for path in EXAMPLES]


def test_cli_reports_each_bad_file_and_exits_1(model_file, tmp_path, capsys):
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    status = main(["predict", str(EXAMPLES[0]), str(empty), str(EXAMPLES[1]), "--model", str(model_file)])
    out, err = capsys.readouterr()
    assert status == 1
    assert err == f"{empty}: empty file (0 bytes)\n"
    assert len(out.splitlines()) == 2 and all(LINE.match(line) for line in out.splitlines())


def test_cli_json_lines_include_failures(model_file, tmp_path, capsys):
    missing = tmp_path / "missing.png"
    status = main(["predict", str(EXAMPLES[0]), str(missing), "--model", str(model_file), "--json"])
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert status == 1 and err == f"{missing}: no such file\n"
    assert records[0]["path"] == str(EXAMPLES[0]) and len(records[0]["top"]) == 3
    assert records[0]["digit"] == records[0]["top"][0]["digit"]
    assert records[1] == {"path": str(missing), "error": f"{missing}: no such file"}


def test_cli_without_a_model_exits_2_with_the_hint(tmp_path, capsys):
    status = main(["predict", str(EXAMPLES[0]), "--model", str(tmp_path / "none.keras")])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err.startswith(f"{tmp_path / 'none.keras'}: model file not found; train one by running the notebook")
    assert len(err.splitlines()) == 1


def test_cli_usage_errors_exit_2(capsys):
    for argv in ([], ["predict"], ["predict", "x.png", "--unknown"]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
    assert "usage: python -m mnist_helpers" in capsys.readouterr().err


def test_cli_as_a_process_prints_no_traceback_or_tensorflow_noise(model_file, tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    env = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    env["TF_ENABLE_ONEDNN_OPTS"] = "1"  # oneDNN's start-up lines appear on any x86 CPU, as on AVX-512 ones by default
    done = subprocess.run(
        [sys.executable, "-m", "mnist_helpers", "predict", str(EXAMPLES[0]), str(text), "--model", str(model_file)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr == f"{text}: not an image file (or a format Pillow cannot read)\n"
    assert LINE.match(done.stdout.strip())
