"""One bad item never costs the others their answers: an exception nobody expected on one image (a bug) is that
image's one-line failure, naming it and saying it is a bug to report, in predict, the library's readers, the pad and
the benchmarks' readers; predict prints each line as soon as its image is read."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from handwriting_pages import EXAMPLES
from pad_strokes import STROKES, flat
from PIL import Image

from benchmarks import not_a_digit as not_a_digit_benchmark
from benchmarks import numbers as numbers_benchmark
from mnist_helpers.__main__ import main
from mnist_helpers.own_digits import classify, number_search, pad, reading
from mnist_helpers.own_digits.classify import FailedImage
from mnist_helpers.own_digits.image_files import ImageInputError

BUG = "failed on an unexpected error (ValueError: a bug in a step"


def failing_for(name, prepare):
    """``prepare``, raising ValueError (a stand-in for a bug in a preparation step) for the file called ``name``."""

    def prepare_or_raise(source):
        if Path(str(source)).name == name:
            raise ValueError("a bug in a step")
        return prepare(source)

    return prepare_or_raise


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_predict_answers_every_other_image_and_names_the_bug(monkeypatch, capsys, tmp_path, as_json):
    bad = tmp_path / "bad.png"
    bad.write_bytes(EXAMPLES[0].read_bytes())
    monkeypatch.setattr(number_search, "number_ink", failing_for("bad.png", number_search.number_ink))
    status = main(["predict", str(EXAMPLES[0]), str(bad), str(EXAMPLES[1]), *["--json"] * as_json])
    out, err = capsys.readouterr()
    assert status == 1
    assert re.fullmatch(rf"{re.escape(f'{bad}: {BUG}')}, at \w+\.py:\d+\); this is a bug, please report it\n", err)
    assert len(err.splitlines()) == 1
    lines = out.splitlines()
    assert len(lines) == (3 if as_json else 2)
    if as_json:
        assert [json.loads(line)["path"] for line in lines] == [str(EXAMPLES[0]), str(bad), str(EXAMPLES[1])]
        assert json.loads(lines[1])["error"] == err.strip()
    else:
        assert [line.split(": ")[0] for line in lines] == [str(EXAMPLES[0]), str(EXAMPLES[1])]


def test_classify_images_keeps_the_others(monkeypatch, robust):
    monkeypatch.setattr(classify, "prepare_digit", failing_for(EXAMPLES[1].name, classify.prepare_digit))
    results = classify.classify_images(robust, EXAMPLES[:3])
    assert [type(result).__name__ for result in results] == ["DigitPrediction", "FailedImage", "DigitPrediction"]
    assert results[1].bug and results[1].message.startswith(f"{EXAMPLES[1]}: {BUG}")


def test_the_benchmarks_readers_keep_the_others(monkeypatch, robust, capsys):
    monkeypatch.setattr(number_search, "number_ink", failing_for(EXAMPLES[1].name, number_search.number_ink))
    split = numbers_benchmark.split_rate(robust, EXAMPLES[:3])
    assert split == {"images": 2, "unreadable": 1, "split": 0, "split_rate": 0}
    scores = not_a_digit_benchmark.read_scores(robust, EXAMPLES[:3])
    assert list(scores["parts"]) == [1, 0, 1] and np.isinf(scores["margin"][1])
    assert capsys.readouterr().err.count(BUG) == 2  # said, not swallowed


def test_the_pad_reads_the_other_digits_of_a_drawing(monkeypatch, robust):
    prepare = pad.prepare_drawing
    calls = []

    def second_fails(paths, pen_width):
        calls.append(1)
        if len(calls) == 2:
            raise ValueError("a bug in a step")
        return prepare(paths, pen_width)

    monkeypatch.setattr(pad, "prepare_drawing", second_fails)
    shifted = [(x + 270, y) for x, y in STROKES[7]]
    result = pad.DrawingPad({"m": robust}).read({"request": 3, "strokes": [flat(STROKES[1]), flat(shifted)]})
    assert result["state"] == "ok" and len(result["digits"]) == 1 and result["models"][0]["number"] == "1"
    assert result["message"].startswith(f"digit 2: {BUG}") and "\n" not in result["message"]


@pytest.mark.parametrize("size", [(5000, 1), (1, 5000), (3000, 2)])
def test_a_one_pixel_thin_image_is_an_answer_or_one_line_and_the_batch_goes_on(robust, tmp_path, size):
    """Issue 25: a 5000x1 PNG made digit_split raise, and predict lost every image's answer."""
    pixels = np.full(size[::-1], 255, np.uint8)
    pixels.reshape(-1)[len(pixels.reshape(-1)) // 5 : len(pixels.reshape(-1)) // 2] = 0
    path = tmp_path / "thin.png"
    Image.fromarray(pixels).save(path)
    thin, example = reading.read_images(robust, [path, EXAMPLES[1]])
    assert example.number == "7"
    if isinstance(thin, FailedImage):
        assert thin.message.startswith(f"{path}: ") and "\n" not in thin.message
    else:
        assert thin.number.isdigit()


@pytest.mark.parametrize("as_path", [str, Path])
def test_read_images_takes_one_path_as_one_image(robust, as_path):
    """``read_images(model, "seven.png")`` read each character as a file name before."""
    (result,) = reading.read_images(robust, as_path(EXAMPLES[1]))
    assert result.source == str(EXAMPLES[1]) and result.number == "7"


def test_what_is_not_an_image_is_one_line(robust):
    with pytest.raises(ImageInputError, match=r"^5: not an image or a list of images \(got int\)$"):
        reading.read_images(robust, 5)
    (result,) = reading.read_images(robust, [5])
    assert result.message == "5: not an image (a file path, a NumPy array or a Pillow image; got int)"


def test_readings_come_as_each_image_is_read(monkeypatch, robust):
    """predict prints from this generator: the first line comes before the second image is even opened."""
    opened = []

    def search_number(source, search):
        opened.append(source)
        return reading.FailedImage("", "")

    monkeypatch.setattr(reading, "search_number", search_number)
    readings = reading.iter_readings(robust, [EXAMPLES[0]] * 500)
    next(readings)
    assert len(opened) == 1
    next(readings)
    assert len(opened) == 3  # then in growing chunks: 1, 2, 4, ... 64
