import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from ordinary_user import locked_folder, ordinary_user_prefix

from mnist_helpers import data
from mnist_helpers.config import PROJECT_ROOT
from mnist_helpers.data import MnistDataError, load_mnist


def small_arrays():
    return {
        "x_train": np.zeros((60000, 28, 28), np.uint8),
        "y_train": np.zeros(60000, np.uint8),
        "x_test": np.zeros((10000, 28, 28), np.uint8),
        "y_test": np.zeros(10000, np.uint8),
    }


def test_bundled_copy_matches_published_mnist_facts(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert x_train.dtype == np.uint8 and x_train.shape == (60000, 28, 28)
    assert list(y_train[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert list(y_test[:10]) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert int(x_train[0].sum()) == 27525
    assert list(data.class_counts(y_test)) == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_explicit_path_and_env_var_take_precedence(tmp_path, monkeypatch):
    path = tmp_path / "mine.npz"
    np.savez(path, **small_arrays())
    (x_train, _), _ = load_mnist(path)
    assert x_train.sum() == 0
    monkeypatch.setenv("MNIST_DATA", str(path))
    (x_train, _), _ = load_mnist()
    assert x_train.sum() == 0


def test_truncated_file_is_rejected_with_its_name(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_bytes(data.DATA_PATH.read_bytes()[:100_000])
    with pytest.raises(MnistDataError, match=r"mnist\.npz: not a readable MNIST \.npz file"):
        load_mnist(path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(MnistDataError, match=r"nowhere\.npz: no such file"):
        load_mnist(tmp_path / "nowhere.npz")


def test_missing_key_is_named(tmp_path):
    arrays = small_arrays()
    del arrays["y_test"]
    np.savez(tmp_path / "partial.npz", **arrays)
    with pytest.raises(MnistDataError, match=r"partial\.npz: missing array\(s\) y_test"):
        load_mnist(tmp_path / "partial.npz")


def test_wrong_dtype_is_rejected(tmp_path):
    arrays = small_arrays()
    arrays["x_train"] = arrays["x_train"].astype(np.float32)
    np.savez(tmp_path / "float.npz", **arrays)
    with pytest.raises(MnistDataError, match="x_train has dtype float32, expected uint8"):
        load_mnist(tmp_path / "float.npz")


def test_wrong_shape_is_rejected(tmp_path):
    arrays = small_arrays()
    arrays["x_test"] = np.zeros((10000, 784), np.uint8)
    np.savez(tmp_path / "flat.npz", **arrays)
    with pytest.raises(MnistDataError, match=r"x_test has shape \(10000, 784\), expected \(10000, 28, 28\)"):
        load_mnist(tmp_path / "flat.npz")


def test_label_out_of_range_is_rejected(tmp_path):
    arrays = small_arrays()
    arrays["y_train"][5] = 10
    np.savez(tmp_path / "labels.npz", **arrays)
    with pytest.raises(MnistDataError, match="y_train has label 10, expected 0-9"):
        load_mnist(tmp_path / "labels.npz")


def test_pickled_objects_are_refused(tmp_path):
    arrays = small_arrays()
    arrays["y_test"] = np.array([{"evil": 1}] * 3, dtype=object)
    np.savez(tmp_path / "pickled.npz", **arrays)
    with pytest.raises(MnistDataError, match=r"pickled\.npz: not a readable MNIST \.npz file"):
        load_mnist(tmp_path / "pickled.npz")


def test_bundled_copy_with_one_changed_pixel_fails_fingerprint(tmp_path, monkeypatch, mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    x_train = x_train.copy()
    x_train[123, 14, 14] ^= 1
    fake_bundle = tmp_path / "mnist.npz"
    np.savez_compressed(fake_bundle, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    monkeypatch.setattr(data, "DATA_PATH", fake_bundle)
    monkeypatch.delenv("MNIST_DATA", raising=False)
    with pytest.raises(MnistDataError) as caught:
        load_mnist()
    assert str(caught.value) == (
        f"{fake_bundle}: x_train do not match the canonical MNIST fingerprints "
        "(file corrupted or replaced; restore it with `git checkout -- data/mnist.npz`)"
    )
    assert not data.is_canonical_mnist(x_train, y_train, x_test, y_test)


def test_the_bundled_copy_is_canonical(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert data.is_canonical_mnist(x_train, y_train, x_test, y_test)


def _bad_source(kind, tmp_path):
    path = tmp_path / f"{kind}.npz"
    if kind == "directory":
        path.mkdir()
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "text":
        path.write_text("x_train,y_train\n1,2\n")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "npy":
        np.save(tmp_path / "single.npy", np.zeros(3))
        (tmp_path / "single.npy").rename(path)
    return path


@pytest.mark.parametrize(
    "kind, reason",
    [
        ("directory", "is a directory, not an .npz file"),
        ("device", "not a regular file (a character device)"),
        ("text", "not an .npz archive (expected a zip of x_train, y_train, x_test, y_test arrays)"),
        ("empty", "empty file (0 bytes)"),
        ("npy", "not an .npz archive (expected a zip of x_train, y_train, x_test, y_test arrays)"),
    ],
)
def test_what_is_not_an_npz_archive_is_named_in_one_line(kind, reason, tmp_path):
    path = _bad_source(kind, tmp_path)
    with pytest.raises(MnistDataError) as caught:
        load_mnist(path)
    assert str(caught.value) == f"{path}: {reason}"


def test_error_renders_as_one_line_in_ipython():
    error = MnistDataError("data/mnist.npz: no such file")
    assert error._render_traceback_() == ["MnistDataError: data/mnist.npz: no such file"]


def test_flatten_and_scale_maps_uint8_to_unit_interval():
    images = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    flat = data.flatten_and_scale(images)
    assert flat.dtype == np.float32 and flat.shape == (1, 4)
    np.testing.assert_allclose(flat[0], [0.0, 1.0, 0.2, 0.4])


def test_one_hot_and_class_counts():
    labels = np.array([3, 0, 3, 9])
    encoded = data.one_hot(labels)
    assert encoded.shape == (4, 10) and encoded.dtype == np.float32
    assert list(encoded.argmax(axis=1)) == [3, 0, 3, 9] and encoded.sum() == 4
    assert list(data.class_counts(labels)) == [1, 0, 0, 2, 0, 0, 0, 0, 0, 1]


def test_a_named_pipe_as_mnist_data_is_refused_without_blocking(tmp_path, monkeypatch):
    os.mkfifo(tmp_path / "mnist.npz")
    monkeypatch.setenv("MNIST_DATA", str(tmp_path / "mnist.npz"))
    with pytest.raises(MnistDataError) as caught:
        load_mnist()
    assert str(caught.value) == f"{tmp_path / 'mnist.npz'}: not a regular file (a named pipe)"


def test_an_npz_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("x_train.npy", "w", force_zip64=True) as entry:
            for _ in range(500):
                entry.write(bytes(1 << 20))
    with pytest.raises(MnistDataError) as caught:
        load_mnist(path)
    assert str(caught.value) == f"{path}: unpacks to 524,288,000 bytes; the limit is 500,000,000 (a zip bomb?)"


def test_mnist_data_in_a_locked_folder_is_one_line_for_an_ordinary_user(tmp_path):
    prefix = ordinary_user_prefix()
    locked = locked_folder(tmp_path, b"PK\x03\x04", name="mnist.npz")
    code = (
        "from mnist_helpers.data import MnistDataError, load_mnist\n"
        "try:\n    load_mnist()\nexcept MnistDataError as error:\n    print(error)"
    )
    done = subprocess.run(
        [*prefix, sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env={**os.environ, "MNIST_DATA": str(locked)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    locked.parent.chmod(0o700)
    assert (done.stdout, done.stderr) == (
        f"{locked}: cannot enter the folder {locked.parent} (permission denied)\n",
        "",
    )
