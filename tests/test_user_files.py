"""Opening a file the user named: whatever is there instead is one line saying what, and nothing ever blocks."""

import contextlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import zipfile

import pytest
from ordinary_user import locked_folder, ordinary_user_prefix

from mnist_helpers._support import user_files
from mnist_helpers._support.user_files import UnusableFile, open_user_file, printable_name, zip_archive_problem
from mnist_helpers.config import PROJECT_ROOT


@contextlib.contextmanager
def fails_instead_of_hanging(seconds=5):
    """Turn a hang into a test failure."""

    def give_up(*_):
        raise TimeoutError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def refusal(path, **kwargs) -> str:
    with fails_instead_of_hanging(), pytest.raises(UnusableFile) as caught:
        open_user_file(path, "an image file", **kwargs)
    return str(caught.value)


def test_a_regular_file_opens_for_binary_reading(tmp_path):
    path = tmp_path / "a.png"
    path.write_bytes(b"pixels")
    with open_user_file(path) as handle:
        assert handle.read() == b"pixels"


def test_each_kind_of_path_that_is_not_a_file_is_named(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "big.png").write_bytes(b"x" * 101)
    (tmp_path / "file.png").write_bytes(b"x")
    (tmp_path / "dangling.png").symlink_to(tmp_path / "gone.png")
    (tmp_path / "loop.png").symlink_to(tmp_path / "loop.png")
    cases = {
        "missing.png": "no such file",
        "folder": "is a directory, not an image file",
        "empty.png": "empty file (0 bytes)",
        "big.png": "file too large (101 bytes; the limit is 100)",
        "file.png/inside.png": f"{tmp_path / 'file.png'} is a file, not a folder",
        "dangling.png": f"a broken symbolic link (to {tmp_path / 'gone.png'}, which does not exist)",
        "loop.png": "a loop of symbolic links",
        "x" * 300: "file name too long",
        "nul\0.png": "not a valid file name (it contains a NUL byte)",
    }
    for name, reason in cases.items():
        assert refusal(tmp_path / name, max_bytes=100) == f"{printable_name(str(tmp_path / name))}: {reason}"


def test_special_files_are_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.png")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "socket.png"))
        assert refusal(tmp_path / "socket.png") == f"{tmp_path / 'socket.png'}: not a regular file (a socket)"
    assert refusal(tmp_path / "pipe.png") == f"{tmp_path / 'pipe.png'}: not a regular file (a named pipe)"
    assert refusal("/dev/zero") == "/dev/zero: not a regular file (a character device)"


def test_a_path_that_becomes_a_pipe_after_the_check_is_refused_without_blocking(tmp_path, monkeypatch):
    os.mkfifo(tmp_path / "pipe.png")
    regular = os.stat(__file__)
    monkeypatch.setattr(user_files, "os_stat", lambda path, name: regular)  # as if it was a file when looked at
    assert refusal(tmp_path / "pipe.png") == f"{tmp_path / 'pipe.png'}: not a regular file (a named pipe)"


def run_reading_standard_input(name, **popen):
    code = (
        "import sys\nfrom mnist_helpers._support.user_files import UnusableFile, open_user_file\n"
        f"try:\n    print(open_user_file({name!r}, max_bytes=1000).read().decode())\n"
        "except UnusableFile as error:\n    print(error)\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, timeout=60, **popen)


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_standard_input_is_read_from_a_pipe_or_a_file(name, tmp_path):
    assert run_reading_standard_input(name, input=b"piped image").stdout == b"piped image\n"
    (tmp_path / "in.png").write_bytes(b"redirected image")
    with open(tmp_path / "in.png", "rb") as redirected:
        assert run_reading_standard_input(name, stdin=redirected).stdout == b"redirected image\n"


def test_standard_input_that_is_a_terminal_empty_too_large_or_closed_is_one_line():
    main, terminal = os.openpty()
    try:
        done = run_reading_standard_input("-", stdin=terminal)
    finally:
        os.close(main), os.close(terminal)
    assert done.stdout == b"-: standard input is a terminal; pipe an image in (cat digit.png | ...)\n"
    assert run_reading_standard_input("-", input=b"").stdout == b"-: standard input is empty (0 bytes)\n"
    too_large = run_reading_standard_input("-", input=b"x" * 1001).stdout
    assert too_large == b"-: standard input too large (more than 1,000 bytes)\n"
    with open(os.devnull, "rb") as null:
        assert run_reading_standard_input("-", stdin=null).stdout == (
            b"-: standard input is a device, not a file or a pipe\n"
        )
    closed = run_reading_standard_input("-", stdin=subprocess.DEVNULL, preexec_fn=lambda: os.close(0))
    assert closed.stdout == b"-: standard input is closed\n"


def test_locked_folders_and_files_are_named_for_an_ordinary_user(tmp_path):
    prefix = ordinary_user_prefix()
    inside = locked_folder(tmp_path, b"pixels")
    unreadable = tmp_path / "unreadable.png"
    unreadable.write_bytes(b"pixels")
    unreadable.chmod(0)
    code = (
        "import json, sys\nfrom mnist_helpers._support.user_files import UnusableFile, check_user_file\nmessages = []\n"
        "for path in sys.argv[1:]:\n    try:\n        check_user_file(path)\n"
        "    except UnusableFile as error:\n        messages.append(str(error))\nprint(json.dumps(messages))\n"
    )
    command = [*prefix, sys.executable, "-c", code, str(inside), str(unreadable)]
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=False)
    inside.parent.chmod(0o700)
    assert done.stderr == ""
    assert json.loads(done.stdout) == [
        f"{inside}: cannot enter the folder {inside.parent} (permission denied)",
        f"{unreadable}: cannot read the file (permission denied)",
    ]


def zip_of(entries: dict) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_archive_bounds_are_read_from_the_directory_alone():
    assert zip_archive_problem(zip_of({"a": b"1" * 100}), max_entries=2, max_unpacked_bytes=100) is None
    assert zip_archive_problem(zip_of({"a": b"1" * 101}), 2, 100) == (
        "unpacks to 101 bytes; the limit is 100 (a zip bomb?)"
    )
    assert zip_archive_problem(zip_of(dict.fromkeys("abc", b"")), 2, 100) == "a zip archive of 3 files; the limit is 2"
    assert zip_archive_problem(io.BytesIO(b"PK\x03\x04 cut"), 2, 100) == (
        "not a readable zip archive (corrupt or truncated?)"
    )
