"""Run a command as an ordinary user would: root without its power to read and enter every folder."""

import os
import shutil
import subprocess

import pytest

SETPRIV = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def ordinary_user_prefix() -> list:
    """The command prefix that drops root's file-permission override (none when not root); skips when impossible."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot drop root's power to read a locked folder")
    probe = subprocess.run([*SETPRIV, "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot drop root's file-permission override here: {probe.stderr.decode().strip()}")
    return SETPRIV


def locked_folder(tmp_path, content: bytes, name="a.png"):
    """A file ``name`` holding ``content`` inside a folder nobody may enter (mode 000); returns the file's path."""
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / name).write_bytes(content)
    folder.chmod(0)
    return folder / name
