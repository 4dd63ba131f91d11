"""The ``python -m mnist_helpers predict`` command line: output lines, exit statuses, bad input of every kind."""

import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from handwriting_pages import EXAMPLES
from ordinary_user import locked_folder, ordinary_user_prefix
from PIL import Image

from mnist_helpers.__main__ import main
from mnist_helpers.config import PROJECT_ROOT, shown_path
from mnist_helpers.model_files import default_model_path
from mnist_helpers.own_digits.compare import expected_digit

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
    assert records[1] == {
        "path": str(missing),
        "error": f"{missing}: no such file",
        "model": str(shown_path(model_file)),
    }
    assert records[0]["model"] == str(shown_path(model_file))  # which model answered


def test_cli_without_a_model_exits_2_with_the_hint(tmp_path, capsys):
    status = main(["predict", str(EXAMPLES[0]), "--model", str(tmp_path / "none.keras")])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err.startswith(f"{tmp_path / 'none.keras'}: model file not found; pass --model PATH")
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


# --- any input: one clear line, the rest of the batch still processed ----------------------------------


def cli_environment(**extra):
    """The environment for a CLI process: TensorFlow's log level unset and oneDNN forced on, as on any x86 CPU."""
    env = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    return {**env, "TF_ENABLE_ONEDNN_OPTS": "1", "PYTHONPATH": str(PROJECT_ROOT), **extra}


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_output_into_a_closed_pipe_ends_quietly(model_file, tmp_path, as_json):
    """``predict many/*.png | head -1``: enough lines to fill the pipe, the reader leaves after the first."""
    shutil.copy(EXAMPLES[0], tmp_path / "d.png")
    (tmp_path / "bad.png").write_text("not an image")
    command = [
        sys.executable,
        "-m",
        "mnist_helpers",
        "predict",
        *["d.png"] * 2000,
        "bad.png",
        "--model",
        str(model_file),
    ]
    with subprocess.Popen(
        command + ["--json"] * as_json,
        cwd=tmp_path,
        env=cli_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        first = process.stdout.readline().decode()
        process.stdout.close()
        stderr = process.stderr.read().decode()
        status = process.wait(timeout=300)
    assert json.loads(first)["path"] == "d.png" if as_json else LINE.match(first.strip())["path"] == "d.png"
    assert stderr == "bad.png: not an image file (or a format Pillow cannot read)\n"  # no BrokenPipeError traceback
    assert status == 1  # as documented: an image failed (the last one, after the pipe closed)


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_undecodable_file_names_print_escaped_under_strict_utf8(model_file, tmp_path, as_json):
    shutil.copy(EXAMPLES[0], tmp_path / os.fsdecode(b"\xff.png"))
    (tmp_path / os.fsdecode(b"\xfe.png")).write_text("not an image")
    shutil.copy(EXAMPLES[1], tmp_path / "ok.jpg")
    names = [b"\xff.png", b"\xfe.png", b"ok.jpg"]
    done = subprocess.run(
        [sys.executable, "-m", "mnist_helpers", "predict", *names, "--model", str(model_file)] + ["--json"] * as_json,
        cwd=tmp_path,
        env=cli_environment(PYTHONIOENCODING="utf-8:strict"),
        capture_output=True,
        timeout=120,
    )
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert err == "\\xfe.png: not an image file (or a format Pillow cannot read)\n"
    assert done.returncode == 1
    if as_json:
        records = [json.loads(line) for line in out.splitlines()]
        assert [record["path"] for record in records] == ["\\xff.png", "\\xfe.png", "ok.jpg"]
        assert records[1]["error"] == err.strip()
    else:
        assert [LINE.match(line)["path"] for line in out.splitlines()] == ["\\xff.png", "ok.jpg"]


def test_without_model_the_robust_model_answers_and_json_names_it(capsys):
    assert main(["predict", str(EXAMPLES[0]), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["model"] == str(shown_path(default_model_path()))
    assert record["digit"] == expected_digit(EXAMPLES[0])


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_noise_is_classified_but_flagged_as_not_looking_like_a_digit(model_file, tmp_path, capsys, as_json):
    noise = tmp_path / "noise.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (200, 200), dtype=np.uint8)).save(noise)
    status = main(["predict", str(noise), str(EXAMPLES[0]), "--model", str(model_file)] + ["--json"] * as_json)
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    noise_line, digit_line = out.splitlines()
    if as_json:
        noise_record, digit_record = json.loads(noise_line), json.loads(digit_line)
        assert noise_record["looks_like_digit"] is False and noise_record["warning"].startswith("a solid blot")
        assert digit_record["looks_like_digit"] is True and "warning" not in digit_record
    else:
        prediction, warning = noise_line.split("  (does not look like a digit: ")
        assert LINE.match(prediction)["path"] == str(noise)
        assert warning.startswith("a solid blot, not pen strokes") and warning.endswith(")")
        assert LINE.match(digit_line)


# --- hostile paths: locked folders, pipes, standard input ----------------------------------------------


def test_an_image_in_a_locked_folder_is_one_line_and_the_readable_one_is_still_printed(model_file, tmp_path):
    prefix = ordinary_user_prefix()
    locked = locked_folder(tmp_path, EXAMPLES[0].read_bytes())
    command = [*prefix, sys.executable, "-m", "mnist_helpers", "predict", str(EXAMPLES[0]), str(locked)]
    done = subprocess.run(
        [*command, "--model", str(model_file)],
        cwd=PROJECT_ROOT,
        env=cli_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    locked.parent.chmod(0o700)
    assert done.stderr == f"{locked}: cannot enter the folder {locked.parent} (permission denied)\n"
    assert LINE.match(done.stdout.strip())["path"] == str(EXAMPLES[0])
    assert done.returncode == 1


def test_a_model_in_a_locked_folder_is_one_line(model_file, tmp_path):
    prefix = ordinary_user_prefix()
    locked = locked_folder(tmp_path, model_file.read_bytes(), name="model.keras")
    command = [*prefix, sys.executable, "-m", "mnist_helpers", "predict", str(EXAMPLES[0]), "--model", str(locked)]
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=cli_environment(), capture_output=True, text=True, timeout=300)
    locked.parent.chmod(0o700)
    assert done.stderr.startswith(
        f"{locked}: cannot enter the folder {locked.parent} (permission denied); pass --model"
    )
    assert len(done.stderr.splitlines()) == 1 and done.returncode == 2 and done.stdout == ""


def test_a_named_pipe_is_refused_without_blocking_and_the_other_image_printed(model_file, tmp_path, capsys):
    os.mkfifo(tmp_path / "f.png")
    status = main(["predict", str(tmp_path / "f.png"), str(EXAMPLES[0]), "--model", str(model_file)])
    out, err = capsys.readouterr()
    assert err == f"{tmp_path / 'f.png'}: not a regular file (a named pipe)\n"
    assert LINE.match(out.strip())["path"] == str(EXAMPLES[0]) and status == 1


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_an_image_piped_into_standard_input_is_classified(name, model_file, monkeypatch, capsys):
    reader, writer = os.pipe()
    os.write(writer, EXAMPLES[0].read_bytes())  # a few kB: fits in the pipe's buffer
    os.close(writer)
    monkeypatch.setattr(sys, "stdin", open(reader, encoding="utf-8"))
    assert main(["predict", name, "--model", str(model_file), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["path"] == name and record["digit"] == expected_digit(EXAMPLES[0])
