"""Reading image files, arrays and Pillow images: bad input is one clear line naming the file."""

import os
import warnings

import numpy as np
import pytest
from handwriting_pages import png_header_only
from PIL import EpsImagePlugin, Image

from mnist_helpers.own_digits import image_files, ink
from mnist_helpers.own_digits import mnist_style as di
from mnist_helpers.synthetic.pages import on_paper, page_on_desk


def write_bad_file(kind, directory, digit):
    names = {"text": "notes.png", "directory": "folder", "truncated_jpeg": "cut.jpg", "blank_noisy": "paper.jpg"}
    path = directory / names.get(kind, f"{kind}.png")
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("this is not an image\n")
    elif kind == "directory":
        path.mkdir()
    elif kind in ("truncated", "truncated_jpeg"):
        on_paper(digit).save(path)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif kind == "blank":
        Image.new("RGB", (300, 200), (250, 250, 245)).save(path)
    elif kind == "blank_noisy":
        noise = np.random.default_rng(0).normal(235, 8, (400, 300))
        Image.fromarray(np.clip(noise, 0, 255).astype(np.uint8)).save(path, quality=80)
    elif kind == "too_large":
        path.write_bytes(png_header_only(8000, 6000))
    elif kind == "bomb":
        path.write_bytes(png_header_only(100_000, 100_000))
    return path


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("missing", "no such file"),
        ("directory", "is a directory, not an image file"),
        ("empty", "empty file (0 bytes)"),
        ("text", "not an image file (or a format Pillow cannot read)"),
        ("truncated", "truncated or corrupt image data (image file is truncated"),
        ("truncated_jpeg", "truncated or corrupt image data (image file is truncated"),
        ("blank", "no ink found (blank image?)"),
        ("blank_noisy", "no ink found (blank image?)"),
        ("too_large", "image too large (8000x6000 = 48,000,000 pixels; the limit is 40,000,000)"),
        ("bomb", "image too large (refused as a possible decompression bomb)"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(kind, reason, tmp_path, mnist_test):
    path = write_bad_file(kind, tmp_path, mnist_test[0][0])
    with pytest.raises(image_files.ImageInputError) as caught:
        di.prepare_digit(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {reason}")
    assert "\n" not in message
    assert caught.value.__context__ is None or caught.value.__suppress_context__  # no chained traceback


def test_the_pixel_limit_applies_to_in_memory_images_and_arrays_must_be_images():
    with pytest.raises(image_files.ImageInputError, match=r"^<image>: image too large"):
        image_files.load_image(Image.new("L", (100, 100)), max_pixels=5000)
    with pytest.raises(image_files.ImageInputError, match=r"^<array>: expected an \(H, W\)"):
        di.prepare_digit(np.zeros((5, 5, 2)))


def test_float_arrays_outside_the_unit_range_are_read_by_their_own_range_not_saturated(mnist_test):
    x_test, _ = mnist_test
    as_uint8 = di.prepare_digit(x_test[0])
    assert np.abs(di.prepare_digit(x_test[0].astype("float32")) - as_uint8).max() < 0.02
    assert np.abs(di.prepare_digit(x_test[0].astype("float32") * 4 - 30) - as_uint8).max() < 0.02


def test_printable_name_escapes_undecodable_bytes_and_control_characters():
    assert image_files.printable_name(os.fsdecode(b"\xff.png")) == "\\xff.png"
    assert image_files.printable_name("a\nb\x1b[31m.png") == "a\\nb\\x1b[31m.png"
    assert image_files.printable_name("café 7.png") == "café 7.png"


def test_an_undecodable_file_name_is_printable_in_the_message(tmp_path):
    path = tmp_path / os.fsdecode(b"\xfe.png")
    path.write_text("not an image")
    with pytest.raises(image_files.ImageInputError) as caught:
        image_files.load_image(path)
    assert str(caught.value) == f"{tmp_path}/\\xfe.png: not an image file (or a format Pillow cannot read)"
    str(caught.value).encode("utf-8")  # strict: no lone surrogates left


# --- one decoder, one rule for pixel values, one pixel limit ---------------------------------------------


def test_a_float_tiff_in_other_units_is_read_by_its_own_range(mnist_test, tmp_path):
    page = np.asarray(on_paper(mnist_test[0][0]), dtype=np.float32)
    path = tmp_path / "counts.tif"
    Image.fromarray(page * (1000 / 255), "F").save(path)  # values up to 1000: not 8-bit, not 16-bit
    assert np.abs(di.prepare_digit(path) - di.prepare_digit(on_paper(mnist_test[0][0]))).max() < 0.02


def test_nan_pixels_are_refused_in_one_line_without_a_warning(mnist_test, tmp_path):
    page = np.asarray(on_paper(mnist_test[0][0]), dtype=np.float32) / 255
    page[:3, :4] = np.nan
    path = tmp_path / "holes.tif"
    Image.fromarray(page, "F").save(path)
    reason = "12 of 40,000 pixels are NaN or infinite, not grey levels; fill them in before reading the image"
    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        for source, name in ((path, str(path)), (page, "<array>")):
            with pytest.raises(image_files.ImageInputError) as caught:
                di.prepare_digit(source)
            assert str(caught.value) == f"{name}: {reason}"
    assert caught_warnings == []


def test_the_pixel_limit_applies_to_arrays_with_exact_numbers():
    with pytest.raises(image_files.ImageInputError) as caught:
        di.prepare_digit(np.broadcast_to(np.uint8(255), (6300, 6400)))  # no memory: refused before any copy
    assert str(caught.value) == "<array>: image too large (6400x6300 = 40,320,000 pixels; the limit is 40,000,000)"


def test_an_eps_file_without_ghostscript_says_so(tmp_path, monkeypatch, mnist_test):
    path = tmp_path / "digit.eps"
    on_paper(mnist_test[0][0]).save(path)
    monkeypatch.setattr(EpsImagePlugin, "has_ghostscript", lambda: False)
    with pytest.raises(image_files.ImageInputError) as caught:
        di.prepare_digit(path)
    assert str(caught.value) == f"{path}: {image_files.NO_GHOSTSCRIPT}; save it as PNG or JPEG instead"


@pytest.mark.parametrize("sheet", [0.7, 0.95])
def test_a_sheet_of_paper_on_a_dark_desk_is_refused_not_read_as_a_blot(sheet, mnist_test):
    photo = page_on_desk(mnist_test[0][0], sheet=sheet)
    with pytest.raises(image_files.ImageInputError) as caught:
        di.prepare_digit(photo)
    assert str(caught.value) == f"<image>: {ink.PAGE_ON_DESK}"
    di.prepare_digit(on_paper(mnist_test[0][0]))  # the same page, photographed without the desk, is read


def test_a_named_pipe_is_one_line_naming_the_image(tmp_path):
    os.mkfifo(tmp_path / "pipe.png")
    with pytest.raises(image_files.ImageInputError) as caught:
        di.prepare_digit(tmp_path / "pipe.png")  # never opened, so it cannot block
    assert str(caught.value) == f"{tmp_path / 'pipe.png'}: not a regular file (a named pipe)"
